package sqlite

import (
	"context"
	"database/sql"
)

// The statements of ingestion run for every file received — the lookups, the inserts of up to 100
// rows at a time — and SQLite takes longer to compile a long statement than to run it. They go
// through a cache of prepared statements, by SQL text: prepared on the first connection that runs
// them, then once per connection (database/sql keeps them per connection), closed with the DB.

// prepared returns the cached statement for query, bound to tx when tx is not nil.
func (d *DB) prepared(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	d.stmtsMu.Lock()
	st, ok := d.stmts[query]
	d.stmtsMu.Unlock()
	if !ok {
		var err error
		if st, err = d.db.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
		d.stmtsMu.Lock()
		if old, ok := d.stmts[query]; ok {
			st.Close() // prepared meanwhile by another goroutine
			st = old
		} else {
			if d.stmts == nil {
				d.stmts = map[string]*sql.Stmt{}
			}
			d.stmts[query] = st
		}
		d.stmtsMu.Unlock()
	}
	if tx != nil {
		return tx.StmtContext(ctx, st), nil
	}
	return st, nil
}

// execStmt runs query through the cache.
func (d *DB) execStmt(ctx context.Context, tx *sql.Tx, query string, args ...any) (sql.Result, error) {
	st, err := d.prepared(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// queryStmt runs query through the cache.
func (d *DB) queryStmt(ctx context.Context, tx *sql.Tx, query string, args ...any) (*sql.Rows, error) {
	st, err := d.prepared(ctx, tx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// rowScanner is a *sql.Row, or a failed preparation.
type rowScanner interface{ Scan(dest ...any) error }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// queryRowStmt runs a one-row query through the cache.
func (d *DB) queryRowStmt(ctx context.Context, tx *sql.Tx, query string, args ...any) rowScanner {
	st, err := d.prepared(ctx, tx, query)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(ctx, args...)
}

// closeStmts closes the cached statements.
func (d *DB) closeStmts() {
	d.stmtsMu.Lock()
	defer d.stmtsMu.Unlock()
	for _, st := range d.stmts {
		st.Close()
	}
	d.stmts = nil
}
