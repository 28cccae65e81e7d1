package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"lingpao"
)

// SaveSubmission records one ingested file in one transaction: the submission, its findings and, when
// accepted, its values, roster and issue ledger; an accepted file becomes the next version for its
// county and period and supersedes the previous one, with what changed recorded (FindChanges). It
// sets s.ID and s.Version. The same bytes twice (same SHA-256) is an ECONFLICT: callers look the hash
// up first.
func (d *DB) SaveSubmission(ctx context.Context, s *lingpao.Submission, values []lingpao.Value, ents []lingpao.Enterprise, issues []lingpao.Issue) (err error) {
	defer lingpao.Wrap(&err, "sqlite.SaveSubmission(%s)", s.FileName)
	return d.tx(ctx, func(tx *sql.Tx) error {
		var exists int
		if err := d.queryRowStmt(ctx, tx, `SELECT COUNT(*) FROM submissions WHERE sha256 = ?`, s.SHA256).Scan(&exists); err != nil {
			return err
		}
		if exists > 0 {
			return lingpao.Errorf(lingpao.ECONFLICT, "文件 %s 已报送过（内容完全相同）。", s.FileName)
		}
		period := ""
		if !s.Period.IsZero() {
			period = s.Period.String()
		}
		var prev sql.NullInt64
		if s.Status == lingpao.SubAccepted {
			// Versions count every file once accepted, also one returned since (审核退回), so that no
			// two files of a county and period carry the same number.
			if err := d.queryRowStmt(ctx, tx, `SELECT COALESCE(MAX(version), 0) FROM submissions WHERE org = ? AND period = ?`,
				s.Org, period).Scan(&s.Version); err != nil {
				return err
			}
			s.Version++
			err := d.queryRowStmt(ctx, tx, `SELECT id FROM submissions WHERE org = ? AND period = ? AND status = 'accepted' AND superseded_by IS NULL`,
				s.Org, period).Scan(&prev)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		var version any
		if s.Version > 0 {
			version = s.Version
		}
		res, err := d.execStmt(ctx, tx, `INSERT INTO submissions (sha256, org, period, file_name, folder, size, received_at, status, version, reason, contact, phone)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.SHA256, s.Org, period, s.FileName, s.Folder, s.Size, formatTime(s.ReceivedAt), string(s.Status), version, s.Reason, s.Contact, s.Phone)
		if err != nil {
			return err
		}
		if s.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		if prev.Valid {
			if _, err := d.execStmt(ctx, tx, `UPDATE submissions SET superseded_by = ? WHERE id = ?`, s.ID, prev.Int64); err != nil {
				return err
			}
		}
		err = d.insertRows(ctx, tx, "findings", []string{"submission_id", "severity", "rule", "sheet", "cell", "value", "message"}, len(s.Findings),
			func(i int, args []any) []any {
				f := s.Findings[i]
				return append(args, s.ID, string(f.Severity), f.Rule, f.Sheet, f.Cell, f.Value, f.Message)
			})
		if err != nil {
			return err
		}
		if s.Status != lingpao.SubAccepted {
			return nil
		}
		if err := d.saveContent(ctx, tx, s.ID, values, ents, issues); err != nil || !prev.Valid {
			return err
		}
		return saveChanges(ctx, tx, s.ID, prev.Int64)
	})
}

// saveContent inserts an accepted submission's values, roster and issue ledger, many rows per
// statement.
func (d *DB) saveContent(ctx context.Context, tx *sql.Tx, id int64, values []lingpao.Value, ents []lingpao.Enterprise, issues []lingpao.Issue) error {
	err := d.insertRows(ctx, tx, "cell_values", []string{"submission_id", "cluster", "indicator", "value", "sheet", "cell"}, len(values),
		func(i int, args []any) []any {
			v := values[i]
			return append(args, id, v.Cluster, v.Indicator, v.V, v.Sheet, v.Cell)
		})
	if err != nil {
		return err
	}
	err = d.insertRows(ctx, tx, "enterprises", []string{"submission_id", "row", "name", "uscc", "cluster", "tags", "revenue", "rnd", "remark"}, len(ents),
		func(i int, args []any) []any {
			e := ents[i]
			return append(args, id, e.Row, e.Name, e.USCC, e.Cluster, strings.Join(e.Tags, "、"), e.Revenue, e.RnD, e.Remark)
		})
	if err != nil {
		return err
	}
	return d.insertRows(ctx, tx, "issues", []string{"submission_id", "row", "description", "category", "enterprise", "department", "status", "raised", "closed"}, len(issues),
		func(i int, args []any) []any {
			is := issues[i]
			return append(args, id, is.Row, is.Description, is.Category, is.Enterprise, is.Department, is.Status, is.Raised, is.Closed)
		})
}

const submissionColumns = `id, sha256, org, period, file_name, folder, size, received_at, status, COALESCE(version, 0), COALESCE(superseded_by, 0), reason, contact, phone`

func scanSubmission(sc interface{ Scan(...any) error }) (lingpao.Submission, error) {
	var s lingpao.Submission
	var period, received, status string
	if err := sc.Scan(&s.ID, &s.SHA256, &s.Org, &period, &s.FileName, &s.Folder, &s.Size, &received, &status, &s.Version, &s.SupersededBy, &s.Reason, &s.Contact, &s.Phone); err != nil {
		return s, err
	}
	s.Period, _ = lingpao.ParsePeriod(period)
	s.ReceivedAt = parseTime(received)
	s.Status = lingpao.SubmissionStatus(status)
	return s, nil
}

// FindSubmissionBySHA returns the submission of the file with the given SHA-256, or ENOTFOUND.
func (d *DB) FindSubmissionBySHA(ctx context.Context, sha string) (_ lingpao.Submission, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindSubmissionBySHA(%s)", sha)
	s, err := scanSubmission(d.queryRowStmt(ctx, nil, `SELECT `+submissionColumns+` FROM submissions WHERE sha256 = ?`, sha))
	if errors.Is(err, sql.ErrNoRows) {
		return s, lingpao.Errorf(lingpao.ENOTFOUND, "没有该文件的报送记录。")
	}
	return s, err
}

// FindSubmission returns the submission with the given id and its findings, or ENOTFOUND.
func (d *DB) FindSubmission(ctx context.Context, id int64) (_ lingpao.Submission, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindSubmission(%d)", id)
	s, err := scanSubmission(d.db.QueryRowContext(ctx, `SELECT `+submissionColumns+` FROM submissions WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return s, lingpao.Errorf(lingpao.ENOTFOUND, "报送记录 %d 不存在。", id)
	} else if err != nil {
		return s, err
	}
	s.Findings, err = d.findings(ctx, id)
	return s, err
}

func (d *DB) findings(ctx context.Context, id int64) ([]lingpao.Finding, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT severity, rule, sheet, cell, value, message FROM findings WHERE submission_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lingpao.Finding
	for rows.Next() {
		var f lingpao.Finding
		var sev string
		if err := rows.Scan(&sev, &f.Rule, &f.Sheet, &f.Cell, &f.Value, &f.Message); err != nil {
			return nil, err
		}
		f.Severity = lingpao.Severity(sev)
		out = append(out, f)
	}
	return out, rows.Err()
}

// SubmissionFilter selects submissions. Zero fields do not filter.
type SubmissionFilter struct {
	Org    string
	Period string
	Status lingpao.SubmissionStatus
	// Current keeps only accepted submissions that no later file superseded.
	Current bool
	// ReceiptPending keeps submissions whose receipt files have not been written yet.
	ReceiptPending bool
}

// FindSubmissions returns the submissions matching f, oldest first, without findings.
func (d *DB) FindSubmissions(ctx context.Context, f SubmissionFilter) (_ []lingpao.Submission, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindSubmissions")
	where, args := []string{"1=1"}, []any{}
	if f.Org != "" {
		where, args = append(where, "org = ?"), append(args, f.Org)
	}
	if f.Period != "" {
		where, args = append(where, "period = ?"), append(args, f.Period)
	}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, string(f.Status))
	}
	if f.Current {
		where = append(where, "status = 'accepted' AND superseded_by IS NULL")
	}
	if f.ReceiptPending {
		where = append(where, "receipt_written = 0")
	}
	rows, err := d.db.QueryContext(ctx, `SELECT `+submissionColumns+` FROM submissions WHERE `+strings.Join(where, " AND ")+` ORDER BY received_at, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lingpao.Submission
	for rows.Next() {
		s, err := scanSubmission(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// MarkReceiptWritten records that the receipt files of submission id are on disk.
func (d *DB) MarkReceiptWritten(ctx context.Context, id int64) (err error) {
	defer lingpao.Wrap(&err, "sqlite.MarkReceiptWritten(%d)", id)
	return d.tx(ctx, func(tx *sql.Tx) error {
		_, err := d.execStmt(ctx, tx, `UPDATE submissions SET receipt_written = 1 WHERE id = ?`, id)
		return err
	})
}

// LoadDataSet returns the values of the submissions in force at asOf for every month from `from` to
// `to`: per county and month, the latest accepted submission received at or before asOf (zero asOf:
// now). Regenerating a past report with the same asOf therefore gives the same numbers. It also
// returns the submission each county-month came from. The data set may be shared with other callers
// (datacache.go): read it, never add to it.
func (d *DB) LoadDataSet(ctx context.Context, from, to lingpao.Period, asOf time.Time) (ds *lingpao.DataSet, subs map[string]lingpao.Submission, err error) {
	defer lingpao.Wrap(&err, "sqlite.LoadDataSet(%s..%s)", from, to)
	if asOf.IsZero() {
		asOf = time.Now().Add(time.Hour)
	}
	var months []string
	for m := from.FirstMonth(); !to.LastMonth().Before(m); m = m.Add(1) {
		months = append(months, m.String())
	}
	if len(months) == 0 {
		return lingpao.NewDataSet(), map[string]lingpao.Submission{}, nil
	}
	tx, err := d.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	from, to = from.FirstMonth(), to.LastMonth()
	var maxID int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM submissions`).Scan(&maxID); err != nil {
		return nil, nil, err
	}
	if ds, subs, ok, err := d.data.lookup(ctx, tx, maxID, from, to, asOf); err != nil || ok {
		return ds, subs, err
	}
	defer func() {
		if err == nil {
			d.data.keep(dataEntry{from: from, to: to, asOf: asOf, maxID: maxID, ds: ds, subs: cloneSubs(subs, from, to)})
		}
	}()
	// The submission in force per org and period: accepted, received by asOf, latest received.
	const inForce = `FROM submissions s
		WHERE status = 'accepted' AND received_at <= ? AND period IN (%s)
		AND NOT EXISTS (SELECT 1 FROM submissions t WHERE t.org = s.org AND t.period = s.period AND t.status = 'accepted'
			AND t.received_at <= ? AND (t.received_at > s.received_at OR (t.received_at = s.received_at AND t.id > s.id)))`
	where := fmt.Sprintf(inForce, placeholders(len(months)))
	args := append(append([]any{formatTime(asOf)}, toAny(months)...), formatTime(asOf))
	rows, err := tx.QueryContext(ctx, `SELECT `+submissionColumns+` `+where, args...)
	if err != nil {
		return nil, nil, err
	}
	subs = map[string]lingpao.Submission{}
	byID := map[int64]lingpao.Submission{}
	for rows.Next() {
		s, err := scanSubmission(rows)
		if err != nil {
			rows.Close()
			return nil, nil, err
		}
		subs[s.Org+"/"+s.Period.String()] = s
		byID[s.ID] = s
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	// Their values in one statement, by submission; the cells they came from are not needed here.
	vrows, err := tx.QueryContext(ctx, `SELECT v.submission_id, v.cluster, v.indicator, v.value FROM cell_values v
		WHERE v.submission_id IN (SELECT s.id `+where+`) ORDER BY v.submission_id`, args...)
	if err != nil {
		return nil, nil, err
	}
	defer vrows.Close()
	ds = lingpao.NewDataSet()
	var vals []lingpao.Value
	cur := int64(-1)
	flush := func() {
		if s, ok := byID[cur]; ok {
			ds.AddSubmission(s.Org, s.Period, s.ID, vals)
			delete(byID, cur)
		}
		vals = vals[:0]
	}
	for vrows.Next() {
		var id int64
		v := lingpao.Value{}
		if err := vrows.Scan(&id, &v.Cluster, &v.Indicator, &v.V); err != nil {
			return nil, nil, err
		}
		if id != cur {
			flush()
			cur = id
		}
		v.Submission = id
		vals = append(vals, v)
	}
	if err := vrows.Err(); err != nil {
		return nil, nil, err
	}
	flush()
	// A return in force with no values at all (every cell blank) still counts as reported.
	for _, s := range sortedSubs(byID) {
		ds.AddSubmission(s.Org, s.Period, s.ID, nil)
	}
	return ds, subs, nil
}

// sortedSubs returns the submissions of m ordered by id.
func sortedSubs(m map[int64]lingpao.Submission) []lingpao.Submission {
	out := make([]lingpao.Submission, 0, len(m))
	for _, s := range m {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
