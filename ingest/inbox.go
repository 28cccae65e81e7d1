// Package ingest takes county returns from the inbox: it polls (the inbox is a network share, so no
// inotify), takes a file only once it is stable, archives the original bytes under their SHA-256 before
// parsing, validates, stores each submission in one transaction, writes the county's receipt and only
// then removes the file from the inbox. A crash at any point leaves each file either still in the inbox
// or archived and recorded — never half-stored — and the next pass completes it.
package ingest

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"lingpao"
	"lingpao/seeds"
	"lingpao/sqlite"
)

// Ingester runs inbox passes for one workspace.
type Ingester struct {
	Config  lingpao.Config
	Catalog *lingpao.Catalog
	Store   *sqlite.DB
	// Now is the clock (received times, receipts); tests pin it.
	Now func() time.Time
	// Sleep waits between the two looks of Once; tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Rules are the validation rules; nil means those of the workspace's seeds/rules.yaml adjusted
	// by Config.Validation, loaded on the first pass.
	Rules []lingpao.Rule
	// Checkpoint, when set, is called after each durable step — archive write, submission commit,
	// each receipt file, receipt mark, inbox removal, poll save — with the step's name. The crash
	// test uses it to kill the process between steps; nil in normal use.
	Checkpoint func(step string)
	// Progress, when set, is called each time a file of a pass is done, with how many of the pass's
	// files are done and how many it has: the CLI shows a progress bar with it. Calls are serialized.
	Progress func(done, total int)

	checkpointMu sync.Mutex
	progressMu   sync.Mutex
}

// Durable steps reported to Checkpoint.
const (
	StepArchive     = "archive"
	StepCommit      = "commit"
	StepReceipt     = "receipt" // one per receipt file
	StepReceiptMark = "receipt-mark"
	StepRemove      = "remove"
	StepPollSave    = "poll-save"
)

func (in *Ingester) checkpoint(step string) {
	if in.Checkpoint != nil {
		in.checkpointMu.Lock() // the stages of a pass report from several goroutines
		defer in.checkpointMu.Unlock()
		in.Checkpoint(step)
	}
}

// progress reports the nth file of a pass of total done (Progress).
func (in *Ingester) progress(n *int, total int) {
	if in.Progress != nil {
		in.progressMu.Lock()
		defer in.progressMu.Unlock()
		*n++
		in.Progress(*n, total)
	}
}

// rules returns the validation rules, loading them on first use.
func (in *Ingester) rules() ([]lingpao.Rule, error) {
	if in.Rules != nil {
		return in.Rules, nil
	}
	rs, err := seeds.Rules(seeds.Workspace(in.Config.Dir), in.Catalog)
	if err != nil {
		return nil, err
	}
	if rs, err = lingpao.ApplyValidation(rs, in.Config.Validation); err != nil {
		return nil, err
	}
	in.Rules = rs
	return rs, nil
}

// Result is what happened to one file of a pass.
type Result struct {
	// Path is the file's path relative to the inbox.
	Path       string
	Submission lingpao.Submission
	// Duplicate is true when the same bytes had been received before: nothing new was stored.
	Duplicate bool
}

// candidate is a file in the inbox as one poll saw it.
type candidate struct {
	rel   string
	size  int64
	mtime time.Time
}

// ignored reports names that are never returns: Office lock files (~$…), temporary and partial
// downloads, hidden files, and our own temporary files.
func ignored(name string) bool {
	lower := strings.ToLower(name)
	switch {
	case strings.HasPrefix(name, "~$"), strings.HasPrefix(name, "."), strings.HasPrefix(name, "~"):
		return true
	case strings.HasSuffix(lower, ".tmp"), strings.HasSuffix(lower, ".part"), strings.HasSuffix(lower, ".crdownload"),
		strings.HasSuffix(lower, ".partial"), strings.HasSuffix(lower, "~"), strings.HasSuffix(lower, ".swp"):
		return true
	case lower == "thumbs.db", lower == "desktop.ini":
		return true
	}
	return false
}

// scan lists the inbox: files at its top level and in per-county sub-folders (one level deep).
func (in *Ingester) scan() ([]candidate, error) {
	root := in.Config.Path(lingpao.InboxDir)
	var out []candidate
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root {
				return err
			}
			return nil // a folder vanished mid-walk; the next poll sees it
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() {
			if path != root && (strings.Count(rel, string(filepath.Separator)) >= 1 || ignored(d.Name())) {
				return filepath.SkipDir
			}
			return nil
		}
		if ignored(d.Name()) || !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		out = append(out, candidate{rel: rel, size: info.Size(), mtime: info.ModTime()})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].rel < out[j].rel })
	return out, err
}

// Poll makes one poll of the inbox and processes the files that are stable: unchanged in size and
// mtime since the previous poll (recorded in the store, so it works across restarts and between
// `lingpao ingest` runs). Files seen for the first time, or still growing, wait for the next poll.
func (in *Ingester) Poll(ctx context.Context) ([]Result, error) {
	if _, err := in.rules(); err != nil {
		return nil, err
	}
	if err := in.completePending(ctx); err != nil {
		return nil, err
	}
	files, err := in.scan()
	if err != nil {
		return nil, err
	}
	prev, err := in.Store.InboxPoll(ctx)
	if err != nil {
		return nil, err
	}
	var seen []sqlite.PollEntry
	var stable []candidate
	for _, c := range files {
		p, ok := prev[c.rel]
		if !ok || p.Size != c.size || !p.MTime.Equal(c.mtime) {
			seen = append(seen, sqlite.PollEntry{Path: c.rel, Size: c.size, MTime: c.mtime})
			continue
		}
		stable = append(stable, c)
	}
	results, err := in.pass(ctx, stable)
	if err != nil {
		// A fault of ours (disk, database): the files not finished stay for the next poll.
		return results, err
	}
	if err := in.Store.SaveInboxPoll(ctx, seen); err != nil {
		return results, err
	}
	in.checkpoint(StepPollSave)
	return results, ctx.Err()
}

// Once is a one-shot pass for `lingpao ingest`: look, wait one poll interval, look again and process
// what stayed the same.
func (in *Ingester) Once(ctx context.Context) ([]Result, error) {
	first, err := in.Poll(ctx)
	if err != nil {
		return first, err
	}
	files, err := in.scan()
	if err != nil || len(files) == 0 {
		return first, err
	}
	sleep := in.Sleep
	if sleep == nil {
		sleep = sleepCtx
	}
	if err := sleep(ctx, time.Duration(in.Config.Inbox.PollSeconds*float64(time.Second))); err != nil {
		return first, err
	}
	second, err := in.Poll(ctx)
	return append(first, second...), err
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// completePending writes the receipts of submissions stored by a pass that crashed before writing
// them.
func (in *Ingester) completePending(ctx context.Context) error {
	subs, err := in.Store.FindSubmissions(ctx, sqlite.SubmissionFilter{ReceiptPending: true})
	if err != nil {
		return err
	}
	for _, s := range subs {
		full, err := in.Store.FindSubmission(ctx, s.ID)
		if err != nil {
			return err
		}
		if err := in.writeReceipts(ctx, full); err != nil {
			return err
		}
	}
	return nil
}

func removeFromInbox(path string) error {
	err := os.Remove(path)
	if os.IsNotExist(err) {
		return nil
	}
	return err
}
