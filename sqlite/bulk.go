package sqlite

import (
	"context"
	"database/sql"
	"strings"
)

// bulkRows is how many rows one INSERT of insertRows carries: a multi-row VALUES list costs one
// statement step instead of one per row (a 3,000-enterprise roster is 30 steps, not 3,000), and
// stays far below SQLite's 32,766 bound variables.
const bulkRows = 100

// insertRows inserts n rows into table's columns inside tx, bulkRows per statement, through the
// statement cache. row(i, args) appends row i's values to args and returns it.
func (d *DB) insertRows(ctx context.Context, tx *sql.Tx, table string, columns []string, n int, row func(i int, args []any) []any) error {
	if n == 0 {
		return nil
	}
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(columns)), ",") + ")"
	args := make([]any, 0, min(n, bulkRows)*len(columns))
	for start := 0; start < n; start += bulkRows {
		k := min(bulkRows, n-start)
		// A statement per table and row count, through the statement cache: a full batch of 100
		// rows and the remainder's size, of which there are at most a hundred.
		q := "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES " + strings.TrimSuffix(strings.Repeat(one+",", k), ",")
		st, err := d.prepared(ctx, tx, q)
		if err != nil {
			return err
		}
		args = args[:0]
		for i := start; i < start+k; i++ {
			args = row(i, args)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	return nil
}
