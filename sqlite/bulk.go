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

// insertRows inserts n rows into table's columns inside tx, bulkRows per statement, with the
// statements prepared once. row(i, args) appends row i's values to args and returns it.
func insertRows(ctx context.Context, tx *sql.Tx, table string, columns []string, n int, row func(i int, args []any) []any) error {
	if n == 0 {
		return nil
	}
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, s := range stmts {
			s.Close()
		}
	}()
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", len(columns)), ",") + ")"
	args := make([]any, 0, min(n, bulkRows)*len(columns))
	for start := 0; start < n; start += bulkRows {
		k := min(bulkRows, n-start)
		st, ok := stmts[k]
		if !ok {
			var err error
			q := "INSERT INTO " + table + " (" + strings.Join(columns, ", ") + ") VALUES " + strings.TrimSuffix(strings.Repeat(one+",", k), ",")
			if st, err = tx.PrepareContext(ctx, q); err != nil {
				return err
			}
			stmts[k] = st
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
