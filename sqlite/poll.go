package sqlite

import (
	"context"
	"database/sql"
	"time"

	"lingpao"
)

// PollEntry is what one inbox poll saw of one file.
type PollEntry struct {
	Path  string
	Size  int64
	MTime time.Time
}

// InboxPoll returns what the previous inbox poll saw, by path.
func (d *DB) InboxPoll(ctx context.Context) (_ map[string]PollEntry, err error) {
	defer lingpao.Wrap(&err, "sqlite.InboxPoll")
	rows, err := d.db.QueryContext(ctx, `SELECT path, size, mtime FROM inbox_poll`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]PollEntry{}
	for rows.Next() {
		var e PollEntry
		var mt string
		if err := rows.Scan(&e.Path, &e.Size, &mt); err != nil {
			return nil, err
		}
		e.MTime = parseTime(mt)
		out[e.Path] = e
	}
	return out, rows.Err()
}

// SaveInboxPoll replaces the recorded poll with what this poll saw.
func (d *DB) SaveInboxPoll(ctx context.Context, seen []PollEntry) (err error) {
	defer lingpao.Wrap(&err, "sqlite.SaveInboxPoll")
	now := formatTime(d.Now())
	return d.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM inbox_poll`); err != nil {
			return err
		}
		for _, e := range seen {
			if _, err := tx.ExecContext(ctx, `INSERT INTO inbox_poll (path, size, mtime, seen_at) VALUES (?, ?, ?, ?)`,
				e.Path, e.Size, formatTime(e.MTime), now); err != nil {
				return err
			}
		}
		return nil
	})
}
