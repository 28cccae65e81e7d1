package sqlite

import (
	"context"
	"database/sql"
	"time"

	"lingpao"
)

// Contact is a person at a county the city writes to: the return's filler, the official in charge.
type Contact struct {
	ID    int64
	Org   string
	Name  string
	Title string // 填报人, 分管负责人 …
	Phone string
	Email string
	// Remind sends reminders (催报) and receipts to Email.
	Remind    bool
	UpdatedAt time.Time
	UpdatedBy string
}

// Contacts returns the contacts of county org, or of every county for "", in the order they were
// entered.
func (d *DB) Contacts(ctx context.Context, org string) (_ []Contact, err error) {
	defer lingpao.Wrap(&err, "sqlite.Contacts(%s)", org)
	rows, err := d.db.QueryContext(ctx, `SELECT id, org, name, title, phone, email, remind, updated_at, updated_by FROM county_contacts
		WHERE (? = '' OR org = ?) ORDER BY org, sort, id`, org, org)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Contact
	for rows.Next() {
		var c Contact
		var remind int
		var at string
		if err := rows.Scan(&c.ID, &c.Org, &c.Name, &c.Title, &c.Phone, &c.Email, &remind, &at, &c.UpdatedBy); err != nil {
			return nil, err
		}
		c.Remind, c.UpdatedAt = remind != 0, parseTime(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// SetContacts replaces the contacts of county org with cs, in order, as edited by user at at.
func (d *DB) SetContacts(ctx context.Context, org string, cs []Contact, user string, at time.Time) (err error) {
	defer lingpao.Wrap(&err, "sqlite.SetContacts(%s)", org)
	return d.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM county_contacts WHERE org = ?`, org); err != nil {
			return err
		}
		for i, c := range cs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO county_contacts (org, name, title, phone, email, remind, sort, updated_at, updated_by)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, org, c.Name, c.Title, c.Phone, c.Email, boolInt(c.Remind), i, formatTime(at), user); err != nil {
				return err
			}
		}
		return nil
	})
}
