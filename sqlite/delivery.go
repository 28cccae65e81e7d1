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

// QueueDeliveries adds e-mails to the queue at time now, pending and due at once (or at NextAttempt
// when set), in one transaction. A delivery whose Key is queued already is left alone, so a job that
// runs again queues nothing twice. It returns how many were added.
func (d *DB) QueueDeliveries(ctx context.Context, ds []lingpao.Delivery, now time.Time) (added int, err error) {
	defer lingpao.Wrap(&err, "sqlite.QueueDeliveries")
	err = d.tx(ctx, func(tx *sql.Tx) error {
		added, err = queueDeliveries(ctx, tx, ds, now)
		return err
	})
	return added, err
}

func queueDeliveries(ctx context.Context, tx *sql.Tx, ds []lingpao.Delivery, now time.Time) (added int, err error) {
	for _, x := range ds {
		att, err := json.Marshal(nonNil(x.Attachments))
		if err != nil {
			return added, err
		}
		next := x.NextAttempt
		if next.IsZero() {
			next = now
		}
		var run any
		if x.RunID != 0 {
			run = x.RunID
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO deliveries (key, run_id, role, org, recipient, subject, body, attachments, status, next_attempt, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (key) DO NOTHING`,
			x.Key, run, x.Role, x.Org, x.To, x.Subject, x.Body, string(att), formatInstant(next), formatInstant(now))
		if err != nil {
			return added, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return added, err
		}
		added += int(n)
	}
	return added, nil
}

// ClaimDueDeliveries returns up to limit pending deliveries due by now that no sender holds, and
// leases them until `until`, in one transaction: a second sender (another process) does not get them
// while the lease runs. A sender that dies leaves the lease to expire; the mail is then sent again.
func (d *DB) ClaimDueDeliveries(ctx context.Context, now, until time.Time, limit int) (_ []lingpao.Delivery, err error) {
	defer lingpao.Wrap(&err, "sqlite.ClaimDueDeliveries")
	var out []lingpao.Delivery
	err = d.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries
			WHERE status = 'pending' AND stopped = '' AND next_attempt <= ? AND claimed_until <= ? ORDER BY next_attempt, id LIMIT ?`,
			formatInstant(now), formatInstant(now), limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			x, err := scanDelivery(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, x)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, x := range out {
			if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET claimed_until = ? WHERE id = ?`, formatInstant(until), x.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// MarkDeliverySent records that delivery id was accepted by the mail server at `at`.
func (d *DB) MarkDeliverySent(ctx context.Context, id int64, at time.Time) (err error) {
	defer lingpao.Wrap(&err, "sqlite.MarkDeliverySent(%d)", id)
	return d.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE deliveries SET status = 'sent', attempts = attempts + 1, sent_at = ?, claimed_until = '', last_error = '' WHERE id = ?`,
			formatInstant(at), id)
		return err
	})
}

// MarkDeliveryFailed records a failed attempt at delivery id: it stays pending and is tried again at
// next. It returns the delivery as it now stands.
func (d *DB) MarkDeliveryFailed(ctx context.Context, id int64, reason string, next time.Time) (_ lingpao.Delivery, err error) {
	defer lingpao.Wrap(&err, "sqlite.MarkDeliveryFailed(%d)", id)
	var x lingpao.Delivery
	err = d.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET attempts = attempts + 1, last_error = ?, next_attempt = ?, claimed_until = '' WHERE id = ?`,
			reason, formatInstant(next), id); err != nil {
			return err
		}
		var err error
		x, err = scanDelivery(tx.QueryRowContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE id = ?`, id))
		return err
	})
	return x, err
}

// MarkDeliveryRefused records that the server refused delivery id permanently at `at` (reason is its
// reply): it is not tried again unless an operator asks (RetryDeliveries).
func (d *DB) MarkDeliveryRefused(ctx context.Context, id int64, reason string, at time.Time) (err error) {
	defer lingpao.Wrap(&err, "sqlite.MarkDeliveryRefused(%d)", id)
	return d.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE deliveries SET attempts = attempts + 1, last_error = ?, stopped = 'refused', stopped_at = ?, claimed_until = '' WHERE id = ? AND status = 'pending'`,
			reason, formatInstant(at), id)
		return err
	})
}

// ReleaseDelivery gives up a sender's lease on delivery id without counting an attempt (a send cut
// off by a shutdown): it is sent again as soon as a sender runs.
func (d *DB) ReleaseDelivery(ctx context.Context, id int64) (err error) {
	defer lingpao.Wrap(&err, "sqlite.ReleaseDelivery(%d)", id)
	return d.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE deliveries SET claimed_until = '' WHERE id = ?`, id)
		return err
	})
}

// CancelDeliveries stops the unsent deliveries ids at `at`: they are kept and listed, never sent. It
// returns those it cancelled; an id that does not exist or was sent is an error naming it, and then
// nothing is cancelled.
func (d *DB) CancelDeliveries(ctx context.Context, ids []int64, at time.Time) (_ []lingpao.Delivery, err error) {
	defer lingpao.Wrap(&err, "sqlite.CancelDeliveries")
	return d.changeDeliveries(ctx, ids, func(tx *sql.Tx, x lingpao.Delivery) error {
		if x.Status == lingpao.DeliverySent {
			return lingpao.Errorf(lingpao.ECONFLICT, "邮件 %d（发给 %s 的「%s」）已于 %s 发出，无法取消。", x.ID, x.To, x.Subject, x.Sent.In(lingpao.Beijing).Format("2006-01-02 15:04"))
		}
		_, err := tx.ExecContext(ctx, `UPDATE deliveries SET stopped = 'cancelled', stopped_at = ?, claimed_until = '' WHERE id = ?`, formatInstant(at), x.ID)
		return err
	})
}

// RetryDeliveries puts the unsent deliveries ids (refused, cancelled, or waiting for a retry) back in
// the queue, due at `at`. It returns them; an id that does not exist or was sent is an error naming
// it, and then nothing changes.
func (d *DB) RetryDeliveries(ctx context.Context, ids []int64, at time.Time) (_ []lingpao.Delivery, err error) {
	defer lingpao.Wrap(&err, "sqlite.RetryDeliveries")
	return d.changeDeliveries(ctx, ids, func(tx *sql.Tx, x lingpao.Delivery) error {
		if x.Status == lingpao.DeliverySent {
			return lingpao.Errorf(lingpao.ECONFLICT, "邮件 %d（发给 %s 的「%s」）已于 %s 发出，无需重发。", x.ID, x.To, x.Subject, x.Sent.In(lingpao.Beijing).Format("2006-01-02 15:04"))
		}
		_, err := tx.ExecContext(ctx, `UPDATE deliveries SET stopped = '', stopped_at = '', next_attempt = ?, claimed_until = '' WHERE id = ?`, formatInstant(at), x.ID)
		return err
	})
}

func (d *DB) changeDeliveries(ctx context.Context, ids []int64, change func(*sql.Tx, lingpao.Delivery) error) ([]lingpao.Delivery, error) {
	var out []lingpao.Delivery
	err := d.tx(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			x, err := scanDelivery(tx.QueryRowContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE id = ?`, id))
			if errors.Is(err, sql.ErrNoRows) {
				return lingpao.Errorf(lingpao.ENOTFOUND, "没有编号为 %d 的邮件：运行 lingpao deliveries list 查看编号。", id)
			} else if err != nil {
				return err
			}
			if err := change(tx, x); err != nil {
				return err
			}
			x, err = scanDelivery(tx.QueryRowContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE id = ?`, id))
			if err != nil {
				return err
			}
			out = append(out, x)
		}
		return nil
	})
	return out, err
}

// MarkDeliveryNotified records that the admins were told delivery id keeps failing.
func (d *DB) MarkDeliveryNotified(ctx context.Context, id int64) (err error) {
	defer lingpao.Wrap(&err, "sqlite.MarkDeliveryNotified(%d)", id)
	return d.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE deliveries SET notified = 1 WHERE id = ?`, id)
		return err
	})
}

// DeliveryFilter selects deliveries. Zero fields select everything.
type DeliveryFilter struct {
	Status lingpao.DeliveryStatus
	RunID  int64
	// Failing selects pending deliveries that have failed at least once.
	Failing bool
	Role    string
	// Limit caps the number returned; with Newest the latest come first.
	Limit  int
	Newest bool
}

// FindDeliveries returns the deliveries the filter selects, oldest first.
func (d *DB) FindDeliveries(ctx context.Context, f DeliveryFilter) (_ []lingpao.Delivery, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindDeliveries")
	var where []string
	var args []any
	switch f.Status {
	case "":
	case lingpao.DeliveryRefused, lingpao.DeliveryCancelled:
		where, args = append(where, "stopped = ?"), append(args, string(f.Status))
	default:
		where, args = append(where, "status = ? AND stopped = ''"), append(args, string(f.Status))
	}
	if f.RunID != 0 {
		where, args = append(where, "run_id = ?"), append(args, f.RunID)
	}
	if f.Failing {
		where = append(where, "status = 'pending' AND stopped = '' AND attempts > 0")
	}
	if f.Role != "" {
		where, args = append(where, "role = ?"), append(args, f.Role)
	}
	q := ""
	if len(where) > 0 {
		q = "WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY id"
	if f.Newest {
		q += " DESC"
	}
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	rows, err := d.db.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries `+q, args...)
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

const deliveryColumns = `id, key, COALESCE(run_id, 0), role, org, recipient, subject, body, attachments, status, attempts, next_attempt, last_error, created_at, sent_at, notified, stopped, stopped_at`

func scanDelivery(sc interface{ Scan(...any) error }) (lingpao.Delivery, error) {
	var x lingpao.Delivery
	var att, status, next, created, sent, stopped, stoppedAt string
	var notified int
	if err := sc.Scan(&x.ID, &x.Key, &x.RunID, &x.Role, &x.Org, &x.To, &x.Subject, &x.Body, &att, &status, &x.Attempts, &next, &x.LastError, &created, &sent, &notified, &stopped, &stoppedAt); err != nil {
		return x, err
	}
	x.Status = lingpao.DeliveryStatus(status)
	if stopped != "" {
		x.Status = lingpao.DeliveryStatus(stopped)
	}
	x.NextAttempt, x.Created, x.Sent, x.Stopped = parseInstant(next), parseInstant(created), parseInstant(sent), parseInstant(stoppedAt)
	x.Notified = notified != 0
	if err := json.Unmarshal([]byte(att), &x.Attachments); err != nil {
		return x, fmt.Errorf("delivery %d attachments: %w", x.ID, err)
	}
	return x, nil
}
