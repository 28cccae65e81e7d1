package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"lingpao"
)

// Reminder is one reminder (催报) sent from the web page to one county for one month.
type Reminder struct {
	ID    int64
	Org   string
	Month lingpao.Period
	At    time.Time
	User  string
	// State is the county's reporting state when it was chased.
	State lingpao.ReportState
	// Txt is the reminder written into the county's receipts folder, relative to the workspace.
	Txt string
	// Recipients are the addresses mailed.
	Recipients []string
}

// AddReminder records a reminder sent from the page and sets its ID.
func (d *DB) AddReminder(ctx context.Context, r *Reminder) (err error) {
	defer lingpao.Wrap(&err, "sqlite.AddReminder(%s)", r.Org)
	to, err := json.Marshal(nonNil(r.Recipients))
	if err != nil {
		return err
	}
	return d.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO reminders (org, month, at, user_name, state, txt, recipients) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			r.Org, r.Month.String(), formatTime(r.At), r.User, string(r.State), r.Txt, string(to))
		if err != nil {
			return err
		}
		r.ID, err = res.LastInsertId()
		return err
	})
}

const reminderColumns = `id, org, month, at, user_name, state, txt, recipients`

func scanReminder(sc interface{ Scan(...any) error }) (Reminder, error) {
	var r Reminder
	var month, at, state, to string
	if err := sc.Scan(&r.ID, &r.Org, &month, &at, &r.User, &state, &r.Txt, &to); err != nil {
		return r, err
	}
	r.Month, _ = lingpao.ParsePeriod(month)
	r.At, r.State = parseTime(at), lingpao.ReportState(state)
	if err := json.Unmarshal([]byte(to), &r.Recipients); err != nil {
		return r, fmt.Errorf("reminder %d recipients: %w", r.ID, err)
	}
	return r, nil
}

// FindReminder returns reminder id, or ENOTFOUND.
func (d *DB) FindReminder(ctx context.Context, id int64) (_ Reminder, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindReminder(%d)", id)
	r, err := scanReminder(d.db.QueryRowContext(ctx, `SELECT `+reminderColumns+` FROM reminders WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, lingpao.Errorf(lingpao.ENOTFOUND, "没有编号为 %d 的催报记录。", id)
	}
	return r, err
}

// Reminders returns the reminders sent from the page to county org (every county for ""), newest
// first.
func (d *DB) Reminders(ctx context.Context, org string) (_ []Reminder, err error) {
	defer lingpao.Wrap(&err, "sqlite.Reminders(%s)", org)
	rows, err := d.db.QueryContext(ctx, `SELECT `+reminderColumns+` FROM reminders WHERE (? = '' OR org = ?) ORDER BY at DESC, id DESC`, org, org)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Reminder
	for rows.Next() {
		r, err := scanReminder(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// ReminderMails returns the reminder e-mails queued for county org (every county for ""): those of
// the scheduled 催报 job (key remind/…) and of the page (remindnow/…), oldest first.
func (d *DB) ReminderMails(ctx context.Context, org string) (_ []lingpao.Delivery, err error) {
	defer lingpao.Wrap(&err, "sqlite.ReminderMails(%s)", org)
	rows, err := d.db.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries
		WHERE (? = '' OR org = ?) AND (key LIKE 'remind/%' OR key LIKE 'remindnow/%') ORDER BY id`, org, org)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lingpao.Delivery
	for rows.Next() {
		x, err := scanDelivery(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
