package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"lingpao"
)

// OrgValues returns the cluster-sheet values (those with a cell) of county org's returns in force at
// asOf for the months from..to, each with its Period: the context of the cross-period rules.
func (d *DB) OrgValues(ctx context.Context, org string, from, to lingpao.Period, asOf time.Time) (_ []lingpao.Value, err error) {
	defer lingpao.Wrap(&err, "sqlite.OrgValues(%s, %s..%s)", org, from, to)
	rows, err := d.queryStmt(ctx, nil, `SELECT s.id, s.period, v.cluster, v.indicator, v.value, v.sheet, v.cell
		FROM submissions s JOIN cell_values v ON v.submission_id = s.id
		WHERE s.org = ? AND s.status = 'accepted' AND s.period >= ? AND s.period <= ? AND s.received_at <= ? AND v.cell != ''
		AND NOT EXISTS (SELECT 1 FROM submissions t WHERE t.org = s.org AND t.period = s.period AND t.status = 'accepted'
			AND t.received_at <= ? AND (t.received_at > s.received_at OR (t.received_at = s.received_at AND t.id > s.id)))
		ORDER BY s.period, v.cluster, v.indicator`, org, from.String(), to.String(), formatTime(asOf), formatTime(asOf))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lingpao.Value
	for rows.Next() {
		v := lingpao.Value{Org: org}
		var period string
		if err := rows.Scan(&v.Submission, &period, &v.Cluster, &v.Indicator, &v.V, &v.Sheet, &v.Cell); err != nil {
			return nil, err
		}
		v.Period, _ = lingpao.ParsePeriod(period)
		out = append(out, v)
	}
	return out, rows.Err()
}

// FindListings returns the enterprises with the given credit codes that other counties' current
// accepted returns for period list: the context of the cross-county duplicate rule.
func (d *DB) FindListings(ctx context.Context, period lingpao.Period, exceptOrg string, usccs []string) (_ []lingpao.Listing, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindListings(%s)", period)
	seen := make(map[string]bool, len(usccs))
	list := make([]string, 0, len(usccs))
	for _, u := range usccs {
		if !seen[u] {
			seen[u] = true
			list = append(list, u)
		}
	}
	if len(list) == 0 {
		return nil, nil
	}
	codes, err := json.Marshal(list)
	if err != nil {
		return nil, err
	}
	// From the codes asked for (one JSON parameter, whatever their number) to the enterprises with
	// each code, then to their submissions — CROSS JOIN keeps that order: a county's codes are few,
	// the enterprises of a period many.
	rows, err := d.queryStmt(ctx, nil, `SELECT e.uscc, s.org, e.name FROM json_each(?3) j
		CROSS JOIN enterprises e ON e.uscc = j.value
		CROSS JOIN submissions s ON s.id = e.submission_id
		WHERE s.period = ?1 AND s.org != ?2 AND s.status = 'accepted' AND s.superseded_by IS NULL
		ORDER BY s.org, e.row`, period.String(), exceptOrg, string(codes))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lingpao.Listing
	for rows.Next() {
		var l lingpao.Listing
		if err := rows.Scan(&l.USCC, &l.Org, &l.Name); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// LatestRoster returns the enterprise roster of county org's latest accepted return for a month
// before period, in roster order, and that return; ENOTFOUND when it has none. Templates prefill it.
func (d *DB) LatestRoster(ctx context.Context, org string, before lingpao.Period) (_ []lingpao.Enterprise, _ lingpao.Submission, err error) {
	defer lingpao.Wrap(&err, "sqlite.LatestRoster(%s, %s)", org, before)
	tx, err := d.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, lingpao.Submission{}, err
	}
	defer tx.Rollback()
	s, err := scanSubmission(tx.QueryRowContext(ctx, `SELECT `+submissionColumns+` FROM submissions
		WHERE org = ? AND status = 'accepted' AND superseded_by IS NULL AND period < ? AND period != ''
		ORDER BY period DESC, received_at DESC LIMIT 1`, org, before.String()))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, s, lingpao.Errorf(lingpao.ENOTFOUND, "%s 此前没有已受理的报表。", org)
	} else if err != nil {
		return nil, s, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT row, name, uscc, cluster, tags, revenue, rnd, remark FROM enterprises WHERE submission_id = ? ORDER BY row`, s.ID)
	if err != nil {
		return nil, s, err
	}
	defer rows.Close()
	var out []lingpao.Enterprise
	for rows.Next() {
		var e lingpao.Enterprise
		var tags string
		if err := rows.Scan(&e.Row, &e.Name, &e.USCC, &e.Cluster, &tags, &e.Revenue, &e.RnD, &e.Remark); err != nil {
			return nil, s, err
		}
		if tags != "" {
			e.Tags = strings.Split(tags, "、")
		}
		out = append(out, e)
	}
	return out, s, rows.Err()
}

// DeleteRejected removes a rejected submission and its findings, so that the same bytes can be taken
// afresh once the county has moved or renamed the file as its receipt asked. Accepted submissions
// are never deleted (ECONFLICT).
func (d *DB) DeleteRejected(ctx context.Context, id int64) (err error) {
	defer lingpao.Wrap(&err, "sqlite.DeleteRejected(%d)", id)
	return d.tx(ctx, func(tx *sql.Tx) error {
		var status string
		if err := tx.QueryRowContext(ctx, `SELECT status FROM submissions WHERE id = ?`, id).Scan(&status); errors.Is(err, sql.ErrNoRows) {
			return lingpao.Errorf(lingpao.ENOTFOUND, "报送记录 %d 不存在。", id)
		} else if err != nil {
			return err
		}
		if status != string(lingpao.SubRejected) {
			return lingpao.Errorf(lingpao.ECONFLICT, "报送记录 %d 已受理，不能删除。", id)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM findings WHERE submission_id = ?`, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM submissions WHERE id = ?`, id)
		return err
	})
}
