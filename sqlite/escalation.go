package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"lingpao"
)

// SyncEscalations makes the recorded ladder steps of every month up to `through` equal to steps, the
// ladder as computed now from the data (jobs.UpdateLadder), in one transaction: a step not recorded
// yet is added (recorded now), a recorded step that is no longer computed — a late correction changed
// a past month — is revoked with a reason, and steps recorded for later months are left alone.
// Running it again with the same steps changes nothing. It returns how many steps were added and
// revoked.
func (d *DB) SyncEscalations(ctx context.Context, through lingpao.Period, steps []lingpao.Escalation) (added, revoked int, err error) {
	defer lingpao.Wrap(&err, "sqlite.SyncEscalations(%s)", through)
	now := formatTime(d.Now())
	err = d.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, org, indicator, month, from_level, to_level, streak, reason FROM escalations
			WHERE revoked_at IS NULL AND month <= ?`, through.String())
		if err != nil {
			return err
		}
		recorded := map[string][]int64{}
		for rows.Next() {
			var id int64
			var e lingpao.Escalation
			var month string
			if err := rows.Scan(&id, &e.Org, &e.Indicator, &month, &e.From, &e.To, &e.Streak, &e.Reason); err != nil {
				rows.Close()
				return err
			}
			e.Month, _ = lingpao.ParsePeriod(month)
			recorded[stepKey(e)] = append(recorded[stepKey(e)], id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, e := range steps {
			if !through.Before(e.Month) {
				k := stepKey(e)
				if ids := recorded[k]; len(ids) > 0 {
					recorded[k] = ids[1:]
					continue
				}
				var gap any
				if e.Gap != nil {
					gap = *e.Gap
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO escalations (org, indicator, month, from_level, to_level, streak, state, gap, reason, date, recorded_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
					e.Org, e.Indicator, e.Month.String(), int(e.From), int(e.To), e.Streak, e.State, gap, e.Reason, formatTime(e.Date), now); err != nil {
					return err
				}
				added++
			}
		}
		for _, ids := range recorded {
			for _, id := range ids {
				if _, err := tx.ExecContext(ctx, `UPDATE escalations SET revoked_at = ?, revoke_reason = ? WHERE id = ?`,
					now, "报表数据更正后重新计算，此步不再成立", id); err != nil {
					return err
				}
				revoked++
			}
		}
		return nil
	})
	return added, revoked, err
}

// stepKey identifies a step for SyncEscalations: subject, month, levels, streak and reason.
func stepKey(e lingpao.Escalation) string {
	return strings.Join([]string{e.Org, e.Indicator, e.Month.String(), fmt.Sprint(int(e.From), int(e.To), e.Streak), e.Reason}, "\x1f")
}

// EscalationFilter selects ladder steps. Zero fields do not filter.
type EscalationFilter struct {
	Org string
	// Indicator selects one indicator's ladder; Reporting selects the reporting ladders instead.
	Indicator string
	Reporting bool
	// From and To bound the months the steps are based on (inclusive).
	From, To lingpao.Period
	// Revoked includes steps that a correction made void.
	Revoked bool
}

// FindEscalations returns the ladder steps matching f in the order they happened: by month, then as
// recorded.
func (d *DB) FindEscalations(ctx context.Context, f EscalationFilter) (_ []lingpao.Escalation, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindEscalations")
	where, args := []string{"1=1"}, []any{}
	if f.Org != "" {
		where, args = append(where, "org = ?"), append(args, f.Org)
	}
	if f.Reporting {
		where = append(where, "indicator = ''")
	} else if f.Indicator != "" {
		where, args = append(where, "indicator = ?"), append(args, f.Indicator)
	}
	if !f.From.IsZero() {
		where, args = append(where, "month >= ?"), append(args, f.From.FirstMonth().String())
	}
	if !f.To.IsZero() {
		where, args = append(where, "month <= ?"), append(args, f.To.LastMonth().String())
	}
	if !f.Revoked {
		where = append(where, "revoked_at IS NULL")
	}
	rows, err := d.db.QueryContext(ctx, `SELECT id, org, indicator, month, from_level, to_level, streak, state, gap, reason, date, recorded_at,
		COALESCE(revoked_at, ''), revoke_reason FROM escalations WHERE `+strings.Join(where, " AND ")+` ORDER BY month, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lingpao.Escalation
	for rows.Next() {
		var e lingpao.Escalation
		var month, date, recorded, revoked string
		var gap sql.NullFloat64
		if err := rows.Scan(&e.ID, &e.Org, &e.Indicator, &month, &e.From, &e.To, &e.Streak, &e.State, &gap, &e.Reason, &date, &recorded, &revoked, &e.RevokeReason); err != nil {
			return nil, err
		}
		e.Month, _ = lingpao.ParsePeriod(month)
		if gap.Valid {
			g := gap.Float64
			e.Gap = &g
		}
		e.Date, e.RecordedAt = parseTime(date), parseTime(recorded)
		if revoked != "" {
			e.RevokedAt = parseTime(revoked)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
