package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"lingpao"
)

// RosterRow is one enterprise of a submission's roster.
type RosterRow struct {
	Submission int64
	lingpao.Enterprise
}

// FindRosters returns the enterprise rosters of the given submissions (the returns a report uses),
// by submission and row, in one read transaction.
func (d *DB) FindRosters(ctx context.Context, ids []int64) (_ []RosterRow, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindRosters")
	var out []RosterRow
	err = d.readChunks(ctx, ids, func(tx *sql.Tx, part []any) error {
		rows, err := tx.QueryContext(ctx, `SELECT submission_id, row, name, uscc, cluster, tags, revenue, rnd, remark FROM enterprises
			WHERE submission_id IN (`+placeholders(len(part))+`) ORDER BY submission_id, row`, part...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r RosterRow
			var tags string
			var rev, rnd sql.NullFloat64
			if err := rows.Scan(&r.Submission, &r.Row, &r.Name, &r.USCC, &r.Cluster, &tags, &rev, &rnd, &r.Remark); err != nil {
				return err
			}
			if tags != "" {
				r.Tags = strings.Split(tags, "、")
			}
			if rev.Valid {
				v := rev.Float64
				r.Revenue = &v
			}
			if rnd.Valid {
				v := rnd.Float64
				r.RnD = &v
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

// IssueOf is one 问题台账 row of a submission.
type IssueOf struct {
	Submission int64
	lingpao.Issue
}

// FindIssuesOf returns the 问题台账 rows of the given submissions, by submission and row.
func (d *DB) FindIssuesOf(ctx context.Context, ids []int64) (_ []IssueOf, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindIssuesOf")
	var out []IssueOf
	err = d.readChunks(ctx, ids, func(tx *sql.Tx, part []any) error {
		rows, err := tx.QueryContext(ctx, `SELECT submission_id, row, description, category, enterprise, department, status, raised, closed FROM issues
			WHERE submission_id IN (`+placeholders(len(part))+`) ORDER BY submission_id, row`, part...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r IssueOf
			if err := rows.Scan(&r.Submission, &r.Row, &r.Description, &r.Category, &r.Enterprise, &r.Department, &r.Status, &r.Raised, &r.Closed); err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, err
}

// readChunks runs fn over ids in chunks of 500 (SQLite's limit on bound parameters is higher, but a
// province has thousands of returns) within one read transaction.
func (d *DB) readChunks(ctx context.Context, ids []int64, fn func(tx *sql.Tx, part []any) error) error {
	tx, err := d.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	const chunk = 500
	for i := 0; i < len(ids); i += chunk {
		part := make([]any, 0, chunk)
		for _, id := range ids[i:min(i+chunk, len(ids))] {
			part = append(part, id)
		}
		if err := fn(tx, part); err != nil {
			return err
		}
	}
	return nil
}
