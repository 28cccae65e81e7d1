package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"lingpao"
)

// FindDeliveriesByKey returns the deliveries whose key starts with prefix (the mails of one edition
// sent from the web page: "edition/<id>/"), oldest first.
func (d *DB) FindDeliveriesByKey(ctx context.Context, prefix string) (_ []lingpao.Delivery, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindDeliveriesByKey(%s)", prefix)
	like := strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(prefix) + "%"
	rows, err := d.db.QueryContext(ctx, `SELECT `+deliveryColumns+` FROM deliveries WHERE key LIKE ? ESCAPE '\' ORDER BY id`, like)
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

// FindEdition returns the edition with the given id, or ENOTFOUND.
func (d *DB) FindEdition(ctx context.Context, id int64) (_ Edition, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindEdition(%d)", id)
	var kind, period, scope string
	err = d.db.QueryRowContext(ctx, `SELECT kind, period, scope FROM report_editions WHERE id = ?`, id).Scan(&kind, &period, &scope)
	if errors.Is(err, sql.ErrNoRows) {
		return Edition{}, lingpao.Errorf(lingpao.ENOTFOUND, "没有编号为 %d 的报告版次：请从报告档案重新选择。", id)
	} else if err != nil {
		return Edition{}, err
	}
	eds, err := d.FindEditions(ctx, EditionFilter{Kind: kind, Period: period, Scope: scope})
	if err != nil {
		return Edition{}, err
	}
	for _, e := range eds {
		if e.ID == id {
			return e, nil
		}
	}
	return Edition{}, lingpao.Errorf(lingpao.ENOTFOUND, "没有编号为 %d 的报告版次：请从报告档案重新选择。", id)
}

// EditionFile is one file of a recorded edition, without the edition's figures.
type EditionFile struct {
	EditionID int64
	Kind      string
	Period    string
	Scope     string
	Edition   int
	// Path is relative to the workspace (outbox/2025Q3/…).
	Path string
}

// EditionFiles returns the files of every recorded edition.
func (d *DB) EditionFiles(ctx context.Context) (_ []EditionFile, err error) {
	defer lingpao.Wrap(&err, "sqlite.EditionFiles")
	rows, err := d.db.QueryContext(ctx, `SELECT id, kind, period, scope, edition, files FROM report_editions ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []EditionFile
	for rows.Next() {
		var e EditionFile
		var files string
		if err := rows.Scan(&e.EditionID, &e.Kind, &e.Period, &e.Scope, &e.Edition, &files); err != nil {
			return nil, err
		}
		var paths []string
		if err := json.Unmarshal([]byte(files), &paths); err != nil {
			return nil, fmt.Errorf("edition %d files: %w", e.EditionID, err)
		}
		for _, p := range paths {
			e.Path = p
			out = append(out, e)
		}
	}
	return out, rows.Err()
}
