// Package jobs holds the work lingpao does — an inbox pass, generating a report — as plain functions
// over an open Workspace. The CLI, the scheduler and the web page all call these same functions; the
// scheduler only decides when.
package jobs

import (
	"context"
	"fmt"
	"os"
	"sync"
	"time"

	"lingpao"
	"lingpao/ingest"
	"lingpao/seeds"
	"lingpao/sqlite"
)

// Workspace is an open workspace: its configuration, catalog (with the current targets version) and
// store.
type Workspace struct {
	Config  lingpao.Config
	Catalog *lingpao.Catalog
	Store   *sqlite.DB
	// TargetsVersion is the targets version in Catalog.Targets.
	TargetsVersion int
	// Version is lingpao's version, printed in reports.
	Version string
	// Now is the clock; tests and `--now` pin it.
	Now func() time.Time

	// targets guards Catalog.Targets and TargetsVersion: a targets import replaces them while, in
	// serve, scheduled jobs and web requests read them. Code that may run beside an import holds the
	// read lock for its whole run (ReadTargets); ImportTargets takes the write lock for the swap.
	targets sync.RWMutex
}

// ReadTargets holds the targets read lock until the returned function is called, so that a targets
// import cannot swap the catalog's targets in the middle of a job or request.
func (w *Workspace) ReadTargets() (release func()) {
	w.targets.RLock()
	return w.targets.RUnlock
}

// Init creates a workspace in dir: lingpao.yaml with a fresh template key, the inbox (with a folder per
// county of the city, so counties drop files into their own), archive, receipts, outbox and the
// database. An existing workspace is left as it is (ECONFLICT).
func Init(dir string) (cfg lingpao.Config, err error) {
	defer lingpao.Wrap(&err, "jobs.Init(%s)", dir)
	cfg = lingpao.DefaultConfig(dir)
	if _, err := os.Stat(cfg.Path(lingpao.ConfigFile)); err == nil {
		return cfg, lingpao.Errorf(lingpao.ECONFLICT, "%s 已经是 lingpao 工作目录（已有 %s），未做改动。", dir, lingpao.ConfigFile)
	}
	cfg.Secret = lingpao.NewSecret()
	cat, err := seeds.LoadWorkspace(dir)
	if err != nil {
		return cfg, err
	}
	for _, d := range []string{lingpao.InboxDir, lingpao.ArchiveDir, lingpao.ReceiptsDir, lingpao.OutboxDir} {
		if err := os.MkdirAll(cfg.Path(d), 0o755); err != nil {
			return cfg, err
		}
	}
	for _, c := range cat.Tree.Counties(cfg.City) {
		if err := os.MkdirAll(cfg.Path(lingpao.InboxDir, c.Name), 0o755); err != nil {
			return cfg, err
		}
	}
	b, err := lingpao.MarshalConfig(cfg)
	if err != nil {
		return cfg, err
	}
	if err := lingpao.WriteFileBytesAtomic(cfg.Path(lingpao.ConfigFile), b); err != nil {
		return cfg, err
	}
	db, err := sqlite.Open(cfg.Path(lingpao.DBFile))
	if err != nil {
		return cfg, err
	}
	defer db.Close()
	return cfg, db.SyncCatalog(context.Background(), cat)
}

// Open opens the workspace in dir: reads and validates the configuration, loads the seed catalog (with
// the workspace's overrides), opens the store and brings its catalog snapshot up to date, and takes
// the newest targets version.
func Open(ctx context.Context, dir, version string) (_ *Workspace, err error) {
	defer lingpao.Wrap(&err, "jobs.Open(%s)", dir)
	cfg, err := lingpao.ReadConfig(dir)
	if err != nil {
		return nil, err
	}
	cat, err := seeds.LoadWorkspace(dir)
	if err != nil {
		return nil, err
	}
	if _, ok := cat.Tree.Unit(cfg.City); !ok {
		return nil, lingpao.Errorf(lingpao.EINVALID, "配置文件中的 city（%s）不在组织机构种子数据中：请填写本市的行政区划代码。", cfg.City)
	}
	db, err := sqlite.Open(cfg.Path(lingpao.DBFile))
	if err != nil {
		return nil, err
	}
	w := &Workspace{Config: cfg, Catalog: cat, Store: db, Version: version, Now: time.Now}
	if err := db.SyncCatalog(ctx, cat); err != nil {
		db.Close()
		return nil, err
	}
	ts, v, err := db.Targets(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	cat.SetTargets(ts)
	w.TargetsVersion = v
	return w, nil
}

// Close closes the store.
func (w *Workspace) Close() error { return w.Store.Close() }

func (w *Workspace) now() time.Time {
	if w.Now == nil {
		return time.Now()
	}
	return w.Now()
}

// Ingester returns an ingester over the workspace.
func (w *Workspace) Ingester() *ingest.Ingester {
	return &ingest.Ingester{Config: w.Config, Catalog: w.Catalog, Store: w.Store, Now: w.now}
}

// City returns the city unit the workspace runs.
func (w *Workspace) City() lingpao.OrgUnit {
	u, _ := w.Catalog.Tree.Unit(w.Config.City)
	return u
}

// Deadline returns the due date of month m's returns.
func (w *Workspace) Deadline(m lingpao.Period) time.Time {
	return w.Catalog.Calendar().Deadline(m, w.Config.DeadlineDay)
}

// describe names a unit for messages.
func describe(u lingpao.OrgUnit) string { return fmt.Sprintf("%s（%s）", u.Name, u.Code) }
