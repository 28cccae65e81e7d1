package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"time"

	"lingpao"
)

// SyncCatalog stores a snapshot of the catalog's org tree, clusters and indicators, and records the
// catalog's targets as a new targets version when they differ from the last seed version (so an edited
// seed file takes effect and the old targets stay on record), keeping an imported allocation (see
// the versions comment in target.go).
func (d *DB) SyncCatalog(ctx context.Context, cat *lingpao.Catalog) (err error) {
	defer lingpao.Wrap(&err, "sqlite.SyncCatalog")
	return d.tx(ctx, func(tx *sql.Tx) error {
		for _, stmt := range []string{`DELETE FROM org_units`, `DELETE FROM clusters`, `DELETE FROM indicators`} {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return err
			}
		}
		for i, u := range cat.Tree.Units() {
			if _, err := tx.ExecContext(ctx, `INSERT INTO org_units (code, name, level, parent, type, sort) VALUES (?, ?, ?, ?, ?, ?)`,
				u.Code, u.Name, string(u.Level), u.Parent, u.Type, i); err != nil {
				return err
			}
		}
		for _, c := range cat.Clusters {
			if _, err := tx.ExecContext(ctx, `INSERT INTO clusters (code, name, org, industry, example) VALUES (?, ?, ?, ?, ?)`,
				c.Code, c.Name, c.Org, c.Industry, boolInt(c.Example)); err != nil {
				return err
			}
		}
		for _, ind := range cat.Indicators {
			def, err := json.Marshal(ind)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO indicators (code, name, unit, kind, source, def) VALUES (?, ?, ?, ?, ?, ?)`,
				ind.Code, ind.Name, ind.Unit, string(ind.Kind), string(ind.Source), string(def)); err != nil {
				return err
			}
		}
		digest, err := targetsDigest(cat.Targets)
		if err != nil {
			return err
		}
		var last string
		err = tx.QueryRowContext(ctx, `SELECT digest FROM target_versions WHERE source = 'seeds' ORDER BY version DESC LIMIT 1`).Scan(&last)
		if err != nil && err != sql.ErrNoRows {
			return err
		}
		if last == digest {
			return nil
		}
		ts, note, err := seedVersionTargets(ctx, tx, cat.Targets) // keeps an imported allocation
		if err != nil {
			return err
		}
		_, err = insertTargets(ctx, tx, ts, "seeds", digest, note, d.Now())
		return err
	})
}

func targetsDigest(ts []lingpao.Target) (string, error) {
	b, err := json.Marshal(ts)
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:]), nil
}

// insertTargets records ts as a new targets version and returns its number.
func insertTargets(ctx context.Context, tx *sql.Tx, ts []lingpao.Target, source, digest, note string, now time.Time) (int, error) {
	res, err := tx.ExecContext(ctx, `INSERT INTO target_versions (created_at, source, digest, note) VALUES (?, ?, ?, ?)`,
		formatTime(now), source, digest, note)
	if err != nil {
		return 0, err
	}
	v64, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	v := int(v64)
	for _, t := range ts {
		t.Version = v
		def, err := json.Marshal(t)
		if err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO targets (version, id, org, indicator, def) VALUES (?, ?, ?, ?, ?)`,
			v, t.ID, t.Org, t.Indicator, string(def)); err != nil {
			return 0, err
		}
	}
	return v, nil
}

// Targets returns the targets of the newest version and its number. Version 0 and no targets means
// the catalog was never synced.
func (d *DB) Targets(ctx context.Context) (_ []lingpao.Target, version int, err error) {
	defer lingpao.Wrap(&err, "sqlite.Targets")
	if err := d.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM target_versions`).Scan(&version); err != nil {
		return nil, 0, err
	}
	ts, err := d.TargetsOfVersion(ctx, version)
	return ts, version, err
}

// TargetsOfVersion returns the targets of one version, in insertion order.
func (d *DB) TargetsOfVersion(ctx context.Context, version int) (_ []lingpao.Target, err error) {
	defer lingpao.Wrap(&err, "sqlite.TargetsOfVersion(%d)", version)
	tx, err := d.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return targetsOfVersion(ctx, tx, version)
}
