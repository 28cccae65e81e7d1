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
	// Limit caps the entries returned, newest first; 0 means 200.
	Limit int
}

// FindAudit returns the audit entries matching f, newest first.
func (d *DB) FindAudit(ctx context.Context, f AuditFilter) (_ []AuditEntry, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindAudit")
	where, args := []string{"1=1"}, []any{}
	if f.Action != "" {
		where, args = append(where, "action = ?"), append(args, f.Action)
	}
	if f.UserName != "" {
		where, args = append(where, "user_name = ?"), append(args, f.UserName)
	}
	if f.Limit <= 0 {
		f.Limit = 200
	}
	rows, err := d.db.QueryContext(ctx, `SELECT id, at, COALESCE(user_id, 0), user_name, action, detail, remote FROM audit_log
		WHERE `+strings.Join(where, " AND ")+` ORDER BY id DESC LIMIT ?`, append(args, f.Limit)...)
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
