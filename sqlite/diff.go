package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"lingpao"
)

// Change is one difference between a county's accepted version of a return and the version it
// superseded.
type Change struct {
	// Kind is value, enterprise, enterprise_added or enterprise_removed.
	Kind string `json:"kind"`
	// Subject is the cluster code (value) or the enterprise's credit code (or name without one).
	Subject string `json:"subject"`
	// Field is the indicator code (value) or roster field (enterprise).
	Field string `json:"field,omitempty"`
	Sheet string `json:"sheet"`
	// Cell is the cell of a value; Row the roster row of an enterprise change.
	Cell string `json:"cell,omitempty"`
	Row  int    `json:"row,omitempty"`
	// Old and New are the values as stored (float64 or string); nil when absent.
	Old any `json:"old"`
	New any `json:"new"`
}

// The kinds of change.
const (
	ChangeValue             = "value"
	ChangeEnterprise        = "enterprise"
	ChangeEnterpriseAdded   = "enterprise_added"
	ChangeEnterpriseRemoved = "enterprise_removed"
)

// saveChanges records, inside SaveSubmission's transaction, how accepted submission id differs from
// prev, the version it supersedes: every cluster-sheet cell whose value changed, appeared or went
// blank, and every roster row added, removed or changed, field by field. Roster rows are matched by
// credit code (by name when a row has none), so re-sorting the roster is no change.
func saveChanges(ctx context.Context, tx *sql.Tx, id, prev int64) error {
	stmts := []string{
		`INSERT INTO changes (submission_id, previous_id, kind, subject, field, sheet, cell, old_value, new_value)
		SELECT ?1, ?2, 'value', COALESCE(n.cluster, p.cluster), COALESCE(n.indicator, p.indicator),
			COALESCE(n.sheet, p.sheet), COALESCE(n.cell, p.cell), p.value, n.value
		FROM (SELECT * FROM cell_values WHERE submission_id = ?2 AND cell != '') p
		FULL OUTER JOIN (SELECT * FROM cell_values WHERE submission_id = ?1 AND cell != '') n
			ON n.cluster = p.cluster AND n.indicator = p.indicator
		WHERE p.value IS NOT n.value
		ORDER BY COALESCE(n.cluster, p.cluster), COALESCE(n.cell, p.cell)`,
	}
	keyed := func(sub string) string {
		return `(SELECT CASE WHEN uscc != '' THEN uscc ELSE name END AS k, * FROM enterprises WHERE submission_id = ` + sub + `)`
	}
	stmts = append(stmts,
		`INSERT INTO changes (submission_id, previous_id, kind, subject, sheet, row, old_value, new_value)
		SELECT ?1, ?2, 'enterprise_added', n.k, '企业名录', n.row, NULL, n.name
		FROM `+keyed("?1")+` n WHERE n.k NOT IN (SELECT k FROM `+keyed("?2")+`) ORDER BY n.row`,
		`INSERT INTO changes (submission_id, previous_id, kind, subject, sheet, row, old_value, new_value)
		SELECT ?1, ?2, 'enterprise_removed', p.k, '企业名录', p.row, p.name, NULL
		FROM `+keyed("?2")+` p WHERE p.k NOT IN (SELECT k FROM `+keyed("?1")+`) ORDER BY p.row`)
	for _, f := range []string{"name", "cluster", "tags", "revenue", "rnd", "remark"} {
		stmts = append(stmts, fmt.Sprintf(`INSERT INTO changes (submission_id, previous_id, kind, subject, field, sheet, row, old_value, new_value)
		SELECT ?1, ?2, 'enterprise', n.k, '%[1]s', '企业名录', n.row, p.%[1]s, n.%[1]s
		FROM %[2]s n JOIN %[3]s p ON p.k = n.k
		WHERE p.%[1]s IS NOT n.%[1]s ORDER BY n.row`, f, keyed("?1"), keyed("?2")))
	}
	for _, q := range stmts {
		if _, err := tx.ExecContext(ctx, q, id, prev); err != nil {
			return fmt.Errorf("save changes: %w", err)
		}
	}
	return nil
}

// FindChanges returns how submission id differs from the version it superseded, in the order they
// were recorded (cluster values, added, removed and changed enterprises); none for a first version.
func (d *DB) FindChanges(ctx context.Context, id int64) (_ []Change, err error) {
	defer lingpao.Wrap(&err, "sqlite.FindChanges(%d)", id)
	rows, err := d.db.QueryContext(ctx, `SELECT kind, subject, field, sheet, cell, row, old_value, new_value FROM changes WHERE submission_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		if err := rows.Scan(&c.Kind, &c.Subject, &c.Field, &c.Sheet, &c.Cell, &c.Row, &c.Old, &c.New); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
