package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"lingpao"
)

// SyncAlarms records, in one transaction, the problems a finder sees now in its scope: a problem not
// open yet is opened (or reopened), an open one is updated and — when a reminder is due — reminded of,
// and the open alarms of the scope not among them are resolved. notices, when not nil, turns what
// changed into e-mails, queued in the same transaction: a restart neither loses nor repeats a notice.
func (d *DB) SyncAlarms(ctx context.Context, scope string, current []lingpao.Problem, now time.Time, notices func(lingpao.AlarmChanges) []lingpao.Delivery) (ch lingpao.AlarmChanges, err error) {
	defer lingpao.Wrap(&err, "sqlite.SyncAlarms(%s)", scope)
	err = d.tx(ctx, func(tx *sql.Tx) error {
		ch = lingpao.AlarmChanges{}
		open, err := findAlarms(ctx, tx, `WHERE scope = ? AND resolved_at = ''`, scope)
		if err != nil {
			return err
		}
		byKey := map[string]lingpao.Alarm{}
		for _, a := range open {
			byKey[a.Key] = a
		}
		seen := map[string]bool{}
		for _, p := range current {
			if p.Key == "" || seen[p.Key] {
				continue
			}
			seen[p.Key] = true
			if a, ok := byKey[p.Key]; ok {
				remind := a.ReminderDue(now)
				a.Problem, a.Seen = p, now
				if remind {
					a.Notified, a.Reminders = now, a.Reminders+1
					ch.Reminded = append(ch.Reminded, a)
				}
				if _, err := tx.ExecContext(ctx, `UPDATE alarms SET title = ?, detail = ?, action = ?, once = ?, silent = ?, seen_at = ?, notified_at = ?, reminders = ? WHERE id = ?`,
					p.Title, p.Detail, p.Action, p.Once, p.Silent, formatInstant(now), formatInstant(a.Notified), a.Reminders, a.ID); err != nil {
					return err
				}
				continue
			}
			// New, or back after it was resolved (or found by another scope): open it afresh.
			if _, err := tx.ExecContext(ctx, `INSERT INTO alarms (key, scope, title, detail, action, once, silent, opened_at, seen_at, notified_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (key) DO UPDATE SET scope = excluded.scope, title = excluded.title, detail = excluded.detail, action = excluded.action,
					once = excluded.once, silent = excluded.silent, opened_at = excluded.opened_at, seen_at = excluded.seen_at,
					notified_at = excluded.notified_at, reminders = 0, resolved_at = '', acked_at = '', acked_by = '', ack_note = ''`,
				p.Key, scope, p.Title, p.Detail, p.Action, p.Once, p.Silent, formatInstant(now), formatInstant(now), formatInstant(now)); err != nil {
				return err
			}
			a, err := findAlarm(ctx, tx, `WHERE key = ?`, p.Key)
			if err != nil {
				return err
			}
			ch.Opened = append(ch.Opened, a)
		}
		for _, a := range open {
			if seen[a.Key] {
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE alarms SET resolved_at = ? WHERE id = ?`, formatInstant(now), a.ID); err != nil {
				return err
			}
			a.Resolved = now
			ch.Resolved = append(ch.Resolved, a)
		}
		if notices == nil || ch.Empty() {
			return nil
		}
		_, err = queueDeliveries(ctx, tx, notices(ch), now)
		return err
	})
	return ch, err
}

// RemindAlarms marks, in one transaction, every open alarm whose daily reminder is due at now as
// reminded, and queues the notices that notices makes of them in the same transaction.
func (d *DB) RemindAlarms(ctx context.Context, now time.Time, notices func(lingpao.AlarmChanges) []lingpao.Delivery) (ch lingpao.AlarmChanges, err error) {
	defer lingpao.Wrap(&err, "sqlite.RemindAlarms")
	err = d.tx(ctx, func(tx *sql.Tx) error {
		ch = lingpao.AlarmChanges{}
		open, err := findAlarms(ctx, tx, `WHERE resolved_at = '' AND acked_at = '' AND once = 0 AND notified_at <= ?`, formatInstant(now.Add(-lingpao.AlarmReminderEvery)))
		if err != nil {
			return err
		}
		for _, a := range open {
			if !a.ReminderDue(now) {
				continue
			}
			a.Notified, a.Reminders = now, a.Reminders+1
			if _, err := tx.ExecContext(ctx, `UPDATE alarms SET notified_at = ?, reminders = ? WHERE id = ?`, formatInstant(now), a.Reminders, a.ID); err != nil {
				return err
			}
			ch.Reminded = append(ch.Reminded, a)
		}
		if notices == nil || ch.Empty() {
			return nil
		}
		_, err = queueDeliveries(ctx, tx, notices(ch), now)
		return err
	})
	return ch, err
}

// AckAlarm records that by acknowledged open alarm id at now (note says why): it is no longer
// reminded of and no longer makes the service unhealthy. ENOTFOUND when there is no such open alarm.
func (d *DB) AckAlarm(ctx context.Context, id int64, by, note string, now time.Time) (a lingpao.Alarm, err error) {
	defer lingpao.Wrap(&err, "sqlite.AckAlarm(%d)", id)
	err = d.tx(ctx, func(tx *sql.Tx) error {
		var err error
		a, err = findAlarm(ctx, tx, `WHERE id = ?`, id)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !a.IsOpen()) {
			return lingpao.Errorf(lingpao.ENOTFOUND, "没有编号为 %d 的未解决问题：运行 lingpao problems list 查看未解决的问题及其编号。", id)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE alarms SET acked_at = ?, acked_by = ?, ack_note = ? WHERE id = ?`, formatInstant(now), by, note, id); err != nil {
			return err
		}
		a.Acked, a.AckedBy, a.AckNote = now, by, note
		return nil
	})
	return a, err
}

// AlarmFilter selects alarms. Zero fields select everything.
type AlarmFilter struct {
	// Open selects unresolved alarms only.
	Open  bool
	Scope string
	Key   string
	// ScopePrefix selects the scopes that start with it.
	ScopePrefix string
	Limit       int
}

// FindAlarms returns the alarms the filter selects, oldest first.
func (d *DB) FindAlarms(ctx context.Context, f AlarmFilter) (_ []lingpao.Alarm, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindAlarms")
	var where []string
	var args []any
	if f.Open {
		where = append(where, "resolved_at = ''")
	}
	if f.Scope != "" {
		where, args = append(where, "scope = ?"), append(args, f.Scope)
	}
	if f.Key != "" {
		where, args = append(where, "key = ?"), append(args, f.Key)
	}
	if f.ScopePrefix != "" {
		where, args = append(where, "substr(scope, 1, ?) = ?"), append(args, len(f.ScopePrefix), f.ScopePrefix)
	}
	q := ""
	if len(where) > 0 {
		q = "WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY opened_at, id"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := d.db.QueryContext(ctx, `SELECT `+alarmColumns+` FROM alarms `+q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lingpao.Alarm
	for rows.Next() {
		a, err := scanAlarm(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

const alarmColumns = `id, key, scope, title, detail, action, once, silent, opened_at, seen_at, notified_at, reminders, resolved_at, acked_at, acked_by, ack_note`

func findAlarms(ctx context.Context, tx *sql.Tx, where string, args ...any) ([]lingpao.Alarm, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+alarmColumns+` FROM alarms `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lingpao.Alarm
	for rows.Next() {
		a, err := scanAlarm(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func findAlarm(ctx context.Context, tx *sql.Tx, where string, args ...any) (lingpao.Alarm, error) {
	return scanAlarm(tx.QueryRowContext(ctx, `SELECT `+alarmColumns+` FROM alarms `+where, args...))
}

func scanAlarm(sc interface{ Scan(...any) error }) (lingpao.Alarm, error) {
	var a lingpao.Alarm
	var opened, seen, notified, resolved, acked string
	if err := sc.Scan(&a.ID, &a.Key, &a.Scope, &a.Title, &a.Detail, &a.Action, &a.Once, &a.Silent, &opened, &seen, &notified, &a.Reminders, &resolved, &acked, &a.AckedBy, &a.AckNote); err != nil {
		return a, err
	}
	a.Opened, a.Seen, a.Notified, a.Resolved, a.Acked = parseInstant(opened), parseInstant(seen), parseInstant(notified), parseInstant(resolved), parseInstant(acked)
	return a, nil
}
