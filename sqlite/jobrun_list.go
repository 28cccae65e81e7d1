package sqlite

import (
	"context"
	"strings"
	"time"

	"lingpao"
)

// JobRunQuery selects a page of the run ledger for the job history page: the runs of Jobs, plus the
// failed runs (failed or waiting for a retry) of Failures — frequent jobs whose successful runs would
// bury everything else. Empty Jobs and Failures select every run.
type JobRunQuery struct {
	Jobs, Failures []string
	// From and To bound the scheduled time (From inclusive, To exclusive).
	From, To time.Time
	// Offset skips that many runs; Limit caps them (0: no cap). Newest scheduled time first.
	Offset, Limit int
}

func (q JobRunQuery) where() (string, []any) {
	var or []string
	var args []any
	in := func(col string, vals []string) string {
		marks := strings.TrimSuffix(strings.Repeat("?,", len(vals)), ",")
		for _, v := range vals {
			args = append(args, v)
		}
		return col + " IN (" + marks + ")"
	}
	if len(q.Jobs) > 0 {
		or = append(or, in("job", q.Jobs))
	}
	if len(q.Failures) > 0 {
		or = append(or, "("+in("job", q.Failures)+" AND outcome IN ('failed', 'retry'))")
	}
	where := []string{"1=1"}
	if len(or) > 0 {
		where = append(where, "("+strings.Join(or, " OR ")+")")
	}
	if !q.From.IsZero() {
		where, args = append(where, "scheduled >= ?"), append(args, formatInstant(q.From))
	}
	if !q.To.IsZero() {
		where, args = append(where, "scheduled < ?"), append(args, formatInstant(q.To))
	}
	return strings.Join(where, " AND "), args
}

// FindJobRunPage returns the runs q selects, newest scheduled time first, and how many it selects in
// all.
func (d *DB) FindJobRunPage(ctx context.Context, q JobRunQuery) (_ []lingpao.JobRun, total int, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindJobRunPage")
	where, args := q.where()
	if err := d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM job_runs WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit := q.Limit
	if limit <= 0 {
		limit = -1
	}
	rows, err := d.db.QueryContext(ctx, `SELECT `+runColumns+` FROM job_runs WHERE `+where+` ORDER BY scheduled DESC, id DESC LIMIT ? OFFSET ?`,
		append(args, limit, max(q.Offset, 0))...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []lingpao.JobRun
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// JobRunStats sums up the runs of one job since a time: how many, how many failed, and the latest.
type JobRunStats struct {
	Job          string
	Runs, Failed int
	Last         lingpao.JobRun
}

// FindJobRunStats returns the stats of job since `since` (Last is the job's latest run ever; zero
// when it never ran).
func (d *DB) FindJobRunStats(ctx context.Context, job string, since time.Time) (_ JobRunStats, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindJobRunStats(%s)", job)
	st := JobRunStats{Job: job}
	if err := d.db.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(*) FILTER (WHERE outcome IN ('failed', 'retry')) FROM job_runs
		WHERE job = ? AND scheduled >= ?`, job, formatInstant(since)).Scan(&st.Runs, &st.Failed); err != nil {
		return st, err
	}
	rows, err := d.db.QueryContext(ctx, `SELECT `+runColumns+` FROM job_runs WHERE job = ? ORDER BY scheduled DESC, id DESC LIMIT 1`, job)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	if rows.Next() {
		if st.Last, err = scanRun(rows); err != nil {
			return st, err
		}
	}
	return st, rows.Err()
}
