package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"lingpao"
)

// AuditEntry is one line of the audit log: who did what, when, from where.
type AuditEntry struct {
	ID       int64
	At       time.Time
	UserID   int64 // 0 when nobody was logged in (a failed login)
	UserName string
	// Action is a short code: login, login_failed, logout, upload, generate, targets_import, password.
	Action string
	// Detail says what, in Chinese: the file and county of an upload, the report and period generated.
	Detail string
	Remote string
}

// AddAudit appends an entry to the audit log; a zero At means now.
func (d *DB) AddAudit(ctx context.Context, e AuditEntry) (err error) {
	defer lingpao.Wrap(&err, "sqlite.AddAudit(%s)", e.Action)
	if e.At.IsZero() {
		e.At = d.Now()
	}
	var uid any
	if e.UserID != 0 {
		uid = e.UserID
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, user_id, user_name, action, detail, remote) VALUES (?, ?, ?, ?, ?, ?)`,
			formatTime(e.At), uid, e.UserName, e.Action, e.Detail, e.Remote)
		return err
	})
}

// AuditFilter selects audit entries. Zero fields do not filter.
type AuditFilter struct {
	Action   string
	UserName string
	// From and To bound the time (From inclusive, To exclusive).
	From, To time.Time
	// Query is a keyword looked for in the user name, the detail and the address.
	Query string
	// Offset skips that many entries; Limit caps the entries returned, newest first (0 means 200).
	Offset, Limit int
}

// where returns the filter's WHERE clause and its arguments.
func (f AuditFilter) where() (string, []any) {
	where, args := []string{"1=1"}, []any{}
	if f.Action != "" {
		where, args = append(where, "action = ?"), append(args, f.Action)
	}
	if f.UserName != "" {
		where, args = append(where, "user_name = ?"), append(args, f.UserName)
	}
	// Times are stored as RFC 3339 in UTC with a fraction of varying length: a bound without the "Z"
	// sorts before every stored time of its second, so that the comparison is exact.
	const bound = "2006-01-02T15:04:05"
	if !f.From.IsZero() {
		where, args = append(where, "at >= ?"), append(args, f.From.UTC().Format(bound))
	}
	if !f.To.IsZero() {
		where, args = append(where, "at < ?"), append(args, f.To.UTC().Format(bound))
	}
	if f.Query != "" {
		like := "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(f.Query) + "%"
		where = append(where, `(user_name LIKE ? ESCAPE '\' OR detail LIKE ? ESCAPE '\' OR remote LIKE ? ESCAPE '\')`)
		args = append(args, like, like, like)
	}
	return strings.Join(where, " AND "), args
}

// FindAudit returns the audit entries matching f, newest first.
func (d *DB) FindAudit(ctx context.Context, f AuditFilter) (_ []AuditEntry, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindAudit")
	if f.Limit <= 0 {
		f.Limit = 200
	}
	where, args := f.where()
	rows, err := d.db.QueryContext(ctx, `SELECT id, at, COALESCE(user_id, 0), user_name, action, detail, remote FROM audit_log
		WHERE `+where+` ORDER BY id DESC LIMIT ? OFFSET ?`, append(args, f.Limit, max(f.Offset, 0))...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.UserID, &e.UserName, &e.Action, &e.Detail, &e.Remote); err != nil {
			return nil, err
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// CountAudit returns how many audit entries match f (Offset and Limit aside).
func (d *DB) CountAudit(ctx context.Context, f AuditFilter) (n int, err error) {
	defer lingpao.Wrap(&err, "sqlite.CountAudit")
	where, args := f.where()
	err = d.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE `+where, args...).Scan(&n)
	return n, err
}

// AuditUsers returns the names that appear in the audit log as logged-in users, by name.
func (d *DB) AuditUsers(ctx context.Context) (_ []string, err error) {
	defer lingpao.Wrap(&err, "sqlite.AuditUsers")
	rows, err := d.db.QueryContext(ctx, `SELECT DISTINCT user_name FROM audit_log WHERE user_id IS NOT NULL AND user_name <> '' ORDER BY user_name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
