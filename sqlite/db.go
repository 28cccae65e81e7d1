// Package sqlite is lingpao's store: an embedded SQLite database (modernc.org/sqlite, pure Go) in WAL
// mode with numbered, embedded migrations. Every public method is one transaction.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"lingpao"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// DB is an open lingpao database.
type DB struct {
	db   *sql.DB
	path string
	// Now is the clock for recorded times; tests pin it.
	Now func() time.Time
	// write serialises this process's write transactions: SQLite takes one writer at a time, and
	// goroutines waiting here wake as soon as the lock is free instead of in SQLite's busy-handler
	// sleeps (1 to 100 ms each). Other processes still wait in the busy handler.
	write sync.Mutex
	// stmts are the prepared statements of the hot paths, by SQL (stmt.go).
	stmts   map[string]*sql.Stmt
	stmtsMu sync.Mutex
	// data keeps the last loads of LoadDataSet (datacache.go).
	data dataCache
}

// Open opens (creating if needed) the database at path, sets WAL, foreign keys and a busy timeout, and
// runs the migrations not applied yet.
func Open(path string) (_ *DB, err error) {
	defer lingpao.Wrap(&err, "sqlite.Open(%s)", path)
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(15000)")
	// FULL: a commit is on disk before it returns. Ingestion takes a file out of the inbox once its
	// submission is stored; under NORMAL a power cut could still roll that commit back, leaving the
	// file only in the archive. Its cost does not show in the benchmarks (bench/run.sh).
	q.Add("_pragma", "synchronous(FULL)")
	q.Set("_txlock", "immediate")
	sdb, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	d := &DB{db: sdb, path: path, Now: time.Now}
	if err := d.migrate(context.Background()); err != nil {
		sdb.Close()
		return nil, d.diskFault(err)
	}
	return d, nil
}

// Close closes the database.
func (d *DB) Close() error {
	d.closeStmts()
	return d.db.Close()
}

// Path returns the database file's path.
func (d *DB) Path() string { return d.path }

// migrate applies migrations/NNNN_*.sql in order, each in its own transaction, recording the version.
func (d *DB) migrate(ctx context.Context) error {
	if _, err := d.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create migrations table: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		base := strings.TrimPrefix(name, "migrations/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with a number", base)
		}
		if err := d.migrateOne(ctx, v, base, name); err != nil {
			return fmt.Errorf("migration %s: %w", base, err)
		}
	}
	return nil
}

func (d *DB) migrateOne(ctx context.Context, v int, base, name string) error {
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM migrations WHERE version = ?`, v).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	body, err := migrationFS.ReadFile(name)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, string(body)); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO migrations (version, name, applied_at) VALUES (?, ?, ?)`, v, base, formatTime(time.Now())); err != nil {
		return err
	}
	return tx.Commit()
}

// tx runs fn in one write transaction: begin, fn, commit — rolled back on any error. A disk that
// refuses the write comes back as a *lingpao.DiskError.
func (d *DB) tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	d.write.Lock()
	defer d.write.Unlock()
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return d.diskFault(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return d.diskFault(err)
	}
	return d.diskFault(tx.Commit())
}

// formatTime stores times as RFC 3339 in UTC with nanoseconds, which sort as text.
func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.In(lingpao.Beijing)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
