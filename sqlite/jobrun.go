package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"lingpao"
)

// instantLayout stores the times of the run ledger and the delivery queue: UTC with a fixed-width
// fraction, so that they compare correctly as text (RFC 3339 with trimmed zeros does not).
const instantLayout = "2006-01-02T15:04:05.000000000Z"

func formatInstant(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(instantLayout)
}

func parseInstant(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	return parseTime(s)
}

// ArmJob records that the scheduler knows job from at on, unless it knew it already, and returns the
// time it was first armed.
func (d *DB) ArmJob(ctx context.Context, job string, at time.Time) (armed time.Time, err error) {
	defer lingpao.Wrap(&err, "sqlite.ArmJob(%s)", job)
	err = d.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO job_arms (job, armed_at) VALUES (?, ?) ON CONFLICT (job) DO NOTHING`, job, formatInstant(at)); err != nil {
			return err
		}
		var s string
		if err := tx.QueryRowContext(ctx, `SELECT armed_at FROM job_arms WHERE job = ?`, job).Scan(&s); err != nil {
			return err
		}
		armed = parseInstant(s)
		return nil
	})
	return armed, err
}

// ClaimRun starts run r (Job, Scheduled, Due, Trigger, Owner, Started) in one transaction. When the
// ledger has no run of r.Job for r.Scheduled, it records r as running with one attempt and returns it
// with claimed true. When it has one, takeOver decides: true restarts that run under r.Owner (a retry
// that is due, or a run whose process died) with one more attempt; false returns it untouched with
// claimed false. Writers are serialised (BEGIN IMMEDIATE) and (job, scheduled) is unique, so of two
// processes racing for one scheduled time exactly one claims it.
func (d *DB) ClaimRun(ctx context.Context, r lingpao.JobRun, takeOver func(existing lingpao.JobRun) bool) (run lingpao.JobRun, claimed bool, err error) {
	defer lingpao.Wrap(&err, "sqlite.ClaimRun(%s, %s)", r.Job, formatInstant(r.Scheduled))
	err = d.tx(ctx, func(tx *sql.Tx) error {
		existing, err := findRun(ctx, tx, `WHERE job = ? AND scheduled = ?`, r.Job, formatInstant(r.Scheduled))
		switch {
		case errors.Is(err, sql.ErrNoRows):
			res, err := tx.ExecContext(ctx, `INSERT INTO job_runs (job, scheduled, due, trigger, started, outcome, attempts, owner) VALUES (?, ?, ?, ?, ?, 'running', 1, ?)`,
				r.Job, formatInstant(r.Scheduled), formatInstant(r.Due), r.Trigger, formatInstant(r.Started), r.Owner)
			if err != nil {
				return err
			}
			id, err := res.LastInsertId()
			if err != nil {
				return err
			}
			run, err = findRun(ctx, tx, `WHERE id = ?`, id)
			claimed = err == nil
			return err
		case err != nil:
			return err
		}
		if takeOver == nil || !takeOver(existing) {
			run = existing
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE job_runs SET outcome = 'running', attempts = attempts + 1, owner = ?, started = ?, ended = '', next_attempt = '' WHERE id = ?`,
			r.Owner, formatInstant(r.Started), existing.ID); err != nil {
			return err
		}
		run, err = findRun(ctx, tx, `WHERE id = ?`, existing.ID)
		claimed = err == nil
		return err
	})
	return run, claimed, err
}

// QuietKeep is how long the uneventful runs of a quiet job are kept.
const QuietKeep = 28 * 24 * time.Hour

// RunEnd is how a run ended.
type RunEnd struct {
	Outcome lingpao.RunOutcome
	Ended   time.Time
	Summary string
	Outputs []string
	// Error is the failure, appended to the errors of earlier attempts.
	Error       string
	NextAttempt time.Time
	// Quiet drops the job's uneventful runs (ok, nothing written) scheduled more than QuietKeep before
	// this one, when this one is uneventful too: a poll every minute keeps four weeks of rows, not half
	// a million a year. (The scheduler looks back two weeks for times not in the ledger; the rows it
	// may look at are kept, so nothing runs twice.)
	Quiet bool
}

// FinishRun records the end of run id.
func (d *DB) FinishRun(ctx context.Context, id int64, e RunEnd) (err error) {
	defer lingpao.Wrap(&err, "sqlite.FinishRun(%d)", id)
	outputs, err := json.Marshal(nonNil(e.Outputs))
	if err != nil {
		return err
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		run, err := findRun(ctx, tx, `WHERE id = ?`, id)
		if err != nil {
			return err
		}
		msg := run.Error
		if e.Error != "" {
			if msg != "" {
				msg += "\n"
			}
			msg += fmt.Sprintf("第%d次：%s", run.Attempts, e.Error)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE job_runs SET outcome = ?, ended = ?, summary = ?, outputs = ?, error = ?, next_attempt = ? WHERE id = ?`,
			string(e.Outcome), formatInstant(e.Ended), e.Summary, string(outputs), msg, formatInstant(e.NextAttempt), id); err != nil {
			return err
		}
		if e.Quiet && e.Outcome == lingpao.RunOK && len(e.Outputs) == 0 && msg == "" {
			_, err := tx.ExecContext(ctx, `DELETE FROM job_runs WHERE job = ? AND scheduled < ? AND outcome = 'ok' AND outputs = '[]' AND error = ''
				AND id NOT IN (SELECT run_id FROM deliveries WHERE run_id IS NOT NULL)`, run.Job, formatInstant(run.Scheduled.Add(-QuietKeep)))
			return err
		}
		return nil
	})
}

// SkipRun records that job did not run for scheduled time r.Scheduled (r.Summary says why), unless the
// ledger already has a run for it. It reports whether it recorded the skip.
func (d *DB) SkipRun(ctx context.Context, r lingpao.JobRun) (recorded bool, err error) {
	defer lingpao.Wrap(&err, "sqlite.SkipRun(%s, %s)", r.Job, formatInstant(r.Scheduled))
	err = d.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO job_runs (job, scheduled, due, trigger, started, ended, outcome, summary) VALUES (?, ?, ?, ?, ?, ?, 'skipped', ?)
			ON CONFLICT (job, scheduled) DO NOTHING`,
			r.Job, formatInstant(r.Scheduled), formatInstant(r.Due), r.Trigger, formatInstant(r.Started), formatInstant(r.Started), r.Summary)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		recorded = n > 0
		return err
	})
	return recorded, err
}

// JobRunFilter selects runs of the ledger. Zero fields select everything.
type JobRunFilter struct {
	Job     string
	Outcome lingpao.RunOutcome
	// From and To bound the scheduled time (From inclusive, To exclusive).
	From, To time.Time
	// Limit caps the number of runs; the newest (by scheduled time) come first.
	Limit int
}

// FindJobRuns returns the runs the filter selects, newest scheduled time first.
func (d *DB) FindJobRuns(ctx context.Context, f JobRunFilter) (_ []lingpao.JobRun, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindJobRuns")
	var where []string
	var args []any
	if f.Job != "" {
		where, args = append(where, "job = ?"), append(args, f.Job)
	}
	if f.Outcome != "" {
		where, args = append(where, "outcome = ?"), append(args, string(f.Outcome))
	}
	if !f.From.IsZero() {
		where, args = append(where, "scheduled >= ?"), append(args, formatInstant(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, "scheduled < ?"), append(args, formatInstant(f.To))
	}
	q := ""
	if len(where) > 0 {
		q = "WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY scheduled DESC, id DESC"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := d.db.QueryContext(ctx, `SELECT `+runColumns+` FROM job_runs `+q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lingpao.JobRun
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// FindJobRun returns run id, or ENOTFOUND.
func (d *DB) FindJobRun(ctx context.Context, id int64) (_ lingpao.JobRun, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindJobRun(%d)", id)
	r, err := scanRun(d.db.QueryRowContext(ctx, `SELECT `+runColumns+` FROM job_runs WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, lingpao.Errorf(lingpao.ENOTFOUND, "没有编号为 %d 的任务运行记录。", id)
	}
	return r, err
}

const runColumns = `id, job, scheduled, due, trigger, started, ended, outcome, attempts, next_attempt, owner, summary, outputs, error`

func findRun(ctx context.Context, tx *sql.Tx, where string, args ...any) (lingpao.JobRun, error) {
	return scanRun(tx.QueryRowContext(ctx, `SELECT `+runColumns+` FROM job_runs `+where, args...))
}

func scanRun(sc interface{ Scan(...any) error }) (lingpao.JobRun, error) {
	var r lingpao.JobRun
	var scheduled, due, started, ended, outcome, next, outputs string
	if err := sc.Scan(&r.ID, &r.Job, &scheduled, &due, &r.Trigger, &started, &ended, &outcome, &r.Attempts, &next, &r.Owner, &r.Summary, &outputs, &r.Error); err != nil {
		return r, err
	}
	r.Scheduled, r.Due, r.Started, r.Ended, r.NextAttempt = parseInstant(scheduled), parseInstant(due), parseInstant(started), parseInstant(ended), parseInstant(next)
	r.Outcome = lingpao.RunOutcome(outcome)
	if err := json.Unmarshal([]byte(outputs), &r.Outputs); err != nil {
		return r, fmt.Errorf("run %d outputs: %w", r.ID, err)
	}
	return r, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// JobArms returns when the scheduler first knew each job.
func (d *DB) JobArms(ctx context.Context) (_ map[string]time.Time, err error) {
	defer lingpao.Wrap(&err, "sqlite.JobArms")
	rows, err := d.db.QueryContext(ctx, `SELECT job, armed_at FROM job_arms`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var job, at string
		if err := rows.Scan(&job, &at); err != nil {
			return nil, err
		}
		out[job] = parseInstant(at)
	}
	return out, rows.Err()
}

// ScheduledTimes returns the scheduled times of job's runs from `from` on (any outcome), as Unix
// nanoseconds: what the scheduler checks before running a time.
func (d *DB) ScheduledTimes(ctx context.Context, job string, from time.Time) (_ map[int64]bool, err error) {
	defer lingpao.Wrap(&err, "sqlite.ScheduledTimes(%s)", job)
	rows, err := d.db.QueryContext(ctx, `SELECT scheduled FROM job_runs WHERE job = ? AND scheduled >= ?`, job, formatInstant(from))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out[parseInstant(s).UnixNano()] = true
	}
	return out, rows.Err()
}
