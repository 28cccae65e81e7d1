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

// TaskStatus is where a report generation started from the web page stands.
type TaskStatus string

// The task states.
const (
	TaskQueued  TaskStatus = "queued"
	TaskRunning TaskStatus = "running"
	TaskDone    TaskStatus = "done"
	TaskFailed  TaskStatus = "failed"
)

// Label returns the Chinese name of the state.
func (s TaskStatus) Label() string {
	switch s {
	case TaskQueued:
		return "排队中"
	case TaskRunning:
		return "正在生成"
	case TaskDone:
		return "已完成"
	case TaskFailed:
		return "失败"
	}
	return string(s)
}

// Finished reports whether the task has ended, well or not.
func (s TaskStatus) Finished() bool { return s == TaskDone || s == TaskFailed }

// ReportTask is one "generate now" of the web page: which report, who asked, how it went and the
// files it wrote (relative to the workspace folder).
type ReportTask struct {
	ID         int64
	Kind       string
	Period     string
	Formats    []string
	UserName   string
	Status     TaskStatus
	CreatedAt  time.Time
	StartedAt  time.Time
	FinishedAt time.Time
	// Error is the user-facing message of a failure.
	Error string
	Files []string
}

// CreateReportTask records a queued task and sets t.ID, t.Status and t.CreatedAt.
func (d *DB) CreateReportTask(ctx context.Context, t *ReportTask) (err error) {
	defer lingpao.Wrap(&err, "sqlite.CreateReportTask(%s, %s)", t.Kind, t.Period)
	t.Status, t.CreatedAt = TaskQueued, d.Now().In(lingpao.Beijing)
	return d.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO report_tasks (kind, period, formats, user_name, status, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			t.Kind, t.Period, strings.Join(t.Formats, ","), t.UserName, string(t.Status), formatTime(t.CreatedAt))
		if err != nil {
			return err
		}
		t.ID, err = res.LastInsertId()
		return err
	})
}

// StartReportTask marks task id running.
func (d *DB) StartReportTask(ctx context.Context, id int64) (err error) {
	defer lingpao.Wrap(&err, "sqlite.StartReportTask(%d)", id)
	return d.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE report_tasks SET status = 'running', started_at = ? WHERE id = ?`, formatTime(d.Now()), id)
		return err
	})
}

// FinishReportTask records the end of task id: done with its files, or failed with a message when
// failure is not "".
func (d *DB) FinishReportTask(ctx context.Context, id int64, files []string, failure string) (err error) {
	defer lingpao.Wrap(&err, "sqlite.FinishReportTask(%d)", id)
	status := TaskDone
	if failure != "" {
		status = TaskFailed
	}
	if files == nil {
		files = []string{}
	}
	b, err := json.Marshal(files)
	if err != nil {
		return err
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE report_tasks SET status = ?, finished_at = ?, error = ?, files = ? WHERE id = ?`,
			string(status), formatTime(d.Now()), failure, string(b), id)
		return err
	})
}

// FailUnfinishedReportTasks marks every queued or running task failed with msg — called on start,
// because a task is only ever run by the process that queued it.
func (d *DB) FailUnfinishedReportTasks(ctx context.Context, msg string) (n int64, err error) {
	defer lingpao.Wrap(&err, "sqlite.FailUnfinishedReportTasks")
	err = d.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE report_tasks SET status = 'failed', finished_at = ?, error = ? WHERE status IN ('queued', 'running')`,
			formatTime(d.Now()), msg)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

const taskColumns = `id, kind, period, formats, user_name, status, created_at, started_at, finished_at, error, files`

func scanTask(sc interface{ Scan(...any) error }) (ReportTask, error) {
	var t ReportTask
	var formats, status, created, started, finished, files string
	if err := sc.Scan(&t.ID, &t.Kind, &t.Period, &formats, &t.UserName, &status, &created, &started, &finished, &t.Error, &files); err != nil {
		return t, err
	}
	t.Formats, t.Status = splitList(formats), TaskStatus(status)
	t.CreatedAt = parseTime(created)
	if started != "" {
		t.StartedAt = parseTime(started)
	}
	if finished != "" {
		t.FinishedAt = parseTime(finished)
	}
	if err := json.Unmarshal([]byte(files), &t.Files); err != nil {
		return t, err
	}
	return t, nil
}

// FindReportTask returns task id, or ENOTFOUND.
func (d *DB) FindReportTask(ctx context.Context, id int64) (_ ReportTask, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindReportTask(%d)", id)
	t, err := scanTask(d.db.QueryRowContext(ctx, `SELECT `+taskColumns+` FROM report_tasks WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, lingpao.Errorf(lingpao.ENOTFOUND, "生成任务 %d 不存在。", id)
	}
	return t, err
}

// FindReportTasks returns the latest tasks, newest first; limit 0 means 100.
func (d *DB) FindReportTasks(ctx context.Context, limit int) (_ []ReportTask, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindReportTasks")
	if limit <= 0 {
		limit = 100
	}
	rows, err := d.db.QueryContext(ctx, `SELECT `+taskColumns+` FROM report_tasks ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ReportTask
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}
