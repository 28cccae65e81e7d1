package sqlite

import (
	"context"
	"strings"

	"lingpao"
)

// IssueRow is one row of a county's 问题台账 with the submission it came from.
type IssueRow struct {
	lingpao.Issue
	Submission int64
	Org        string
	Period     lingpao.Period
}

// IssueFilter selects issue-ledger rows. Zero fields do not filter.
type IssueFilter struct {
	Org    string
	Period string
	// Status is one of lingpao.IssueStatuses.
	Status string
}

// FindIssues returns the issue-ledger rows of the current submissions (accepted, not superseded)
// matching f, by county and row.
func (d *DB) FindIssues(ctx context.Context, f IssueFilter) (_ []IssueRow, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindIssues")
	where := []string{"s.status = 'accepted'", "s.superseded_by IS NULL"}
	var args []any
	if f.Org != "" {
		where, args = append(where, "s.org = ?"), append(args, f.Org)
	}
	if f.Period != "" {
		where, args = append(where, "s.period = ?"), append(args, f.Period)
	}
	if f.Status != "" {
		where, args = append(where, "i.status = ?"), append(args, f.Status)
	}
	rows, err := d.db.QueryContext(ctx, `SELECT s.id, s.org, s.period, i.row, i.description, i.category, i.enterprise, i.department, i.status, i.raised, i.closed
		FROM issues i JOIN submissions s ON s.id = i.submission_id WHERE `+strings.Join(where, " AND ")+` ORDER BY s.period, s.org, i.row`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []IssueRow
	for rows.Next() {
		var r IssueRow
		var period string
		if err := rows.Scan(&r.Submission, &r.Org, &period, &r.Row, &r.Description, &r.Category, &r.Enterprise, &r.Department, &r.Status, &r.Raised, &r.Closed); err != nil {
			return nil, err
		}
		r.Period, _ = lingpao.ParsePeriod(period)
		out = append(out, r)
	}
	return out, rows.Err()
}
