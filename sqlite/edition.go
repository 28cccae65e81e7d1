package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"lingpao"
)

// Edition is one edition of a generated report: which report (kind, period, scope), its number, the
// cut-off and generation time it was made with, the digest and text of its figures, and the files
// written.
type Edition struct {
	ID      int64
	Kind    string
	Period  string
	Scope   string
	Edition int
	CutOff  time.Time
	// Generated is the time the report states it was made; a regeneration of the same edition reuses
	// it, so the files come out the same.
	Generated time.Time
	Digest    string
	// Figures is the report's figures as JSON (the reports package's []Figure), kept for the 更正说明
	// of the next edition.
	Figures json.RawMessage
	// Sources are the returns the edition was made from: per "org/month", the id of the submission in
	// force at its cut-off. Empty for editions recorded before they were kept.
	Sources        map[string]int64
	Files          []string
	Version        string
	TargetsVersion int
	RecordedAt     time.Time
}

// EditionFilter selects editions. Zero fields do not filter.
type EditionFilter struct {
	Kind, Period string
	// Scope selects one scope; AnyScope lists every scope.
	Scope    string
	AnyScope bool
}

// FindEditions returns the editions matching f, by kind, period, scope and edition number.
func (d *DB) FindEditions(ctx context.Context, f EditionFilter) (_ []Edition, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindEditions")
	where, args := []string{"1=1"}, []any{}
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, f.Kind)
	}
	if f.Period != "" {
		where, args = append(where, "period = ?"), append(args, f.Period)
	}
	if !f.AnyScope {
		where, args = append(where, "scope = ?"), append(args, f.Scope)
	}
	rows, err := d.db.QueryContext(ctx, `SELECT id, kind, period, scope, edition, cutoff, generated_at, digest, figures, sources, files, lingpao_version,
		targets_version, recorded_at FROM report_editions WHERE `+strings.Join(where, " AND ")+` ORDER BY kind, period, scope, edition`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Edition
	for rows.Next() {
		var e Edition
		var cutoff, generated, recorded, files, sources string
		var figures []byte
		if err := rows.Scan(&e.ID, &e.Kind, &e.Period, &e.Scope, &e.Edition, &cutoff, &generated, &e.Digest, &figures, &sources, &files, &e.Version,
			&e.TargetsVersion, &recorded); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(sources), &e.Sources); err != nil {
			return nil, err
		}
		e.CutOff, e.Generated, e.RecordedAt = parseTime(cutoff), parseTime(generated), parseTime(recorded)
		e.Figures = json.RawMessage(figures)
		if err := json.Unmarshal([]byte(files), &e.Files); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// SaveEdition records an edition in one transaction. A new number is inserted; for a number already
// recorded (the same edition regenerated, perhaps in another format) only the files are added, and
// the stored edition keeps its figures and times. It is ECONFLICT to record a number that skips one,
// or a recorded number with other figures (two generations raced for the next number): generate again.
func (d *DB) SaveEdition(ctx context.Context, e *Edition) (err error) {
	defer lingpao.Wrap(&err, "sqlite.SaveEdition(%s %s %s #%d)", e.Kind, e.Period, e.Scope, e.Edition)
	return d.tx(ctx, func(tx *sql.Tx) error {
		var last int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(edition), 0) FROM report_editions WHERE kind = ? AND period = ? AND scope = ?`,
			e.Kind, e.Period, e.Scope).Scan(&last); err != nil {
			return err
		}
		if e.Edition <= last {
			var id int64
			var digest, files string
			if err := tx.QueryRowContext(ctx, `SELECT id, digest, files FROM report_editions WHERE kind = ? AND period = ? AND scope = ? AND edition = ?`,
				e.Kind, e.Period, e.Scope, e.Edition).Scan(&id, &digest, &files); err != nil {
				return err
			}
			if digest != e.Digest {
				return lingpao.Errorf(lingpao.ECONFLICT, "%s %s 的第%d版已由另一次生成写入且数据不同：请重新生成。", e.Kind, e.Period, e.Edition)
			}
			var have []string
			if err := json.Unmarshal([]byte(files), &have); err != nil {
				return err
			}
			for _, f := range e.Files {
				if !slices.Contains(have, f) {
					have = append(have, f)
				}
			}
			b, err := json.Marshal(have)
			if err != nil {
				return err
			}
			e.ID, e.Files = id, have
			_, err = tx.ExecContext(ctx, `UPDATE report_editions SET files = ? WHERE id = ?`, string(b), id)
			return err
		}
		if e.Edition != last+1 {
			return lingpao.Errorf(lingpao.ECONFLICT, "%s %s 应为第%d版，不能记为第%d版：请重新生成。", e.Kind, e.Period, last+1, e.Edition)
		}
		files, err := json.Marshal(e.Files)
		if err != nil {
			return err
		}
		if e.Files == nil {
			files = []byte("[]")
		}
		sources := []byte("{}")
		if len(e.Sources) > 0 {
			if sources, err = json.Marshal(e.Sources); err != nil {
				return err
			}
		}
		e.RecordedAt = d.Now()
		res, err := tx.ExecContext(ctx, `INSERT INTO report_editions (kind, period, scope, edition, cutoff, generated_at, digest, figures, sources, files,
			lingpao_version, targets_version, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			e.Kind, e.Period, e.Scope, e.Edition, formatTime(e.CutOff), formatTime(e.Generated), e.Digest, string(e.Figures), string(sources), string(files),
			e.Version, e.TargetsVersion, formatTime(e.RecordedAt))
		if err != nil {
			return err
		}
		e.ID, err = res.LastInsertId()
		return err
	})
}
