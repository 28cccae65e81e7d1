package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/ingest"
	"lingpao/jobs"
	"lingpao/sqlite"
	"lingpao/templates"
)

// TestCrashAndRestart runs the real `lingpao ingest` binary over a batch and kills it with SIGKILL at
// every durable step in turn — archive write, commit, each receipt file, receipt mark, inbox removal,
// poll save (the test-only LINGPAO_TEST_KILL_AT hook) — and at moments spread over a run, restarts it,
// and checks the invariants: every file is recorded exactly once with its receipt complete (and the
// outcome is the same as without a crash), nothing is left in the inbox, the archive holds every
// recorded file, no submission is half-written, and no receipt file is partial (.tmp- strays aside).
func TestCrashAndRestart(t *testing.T) {
	bin := buildBinary(t)
	golden := t.TempDir()
	batch := prepareBatch(t, bin, golden)

	refDir := copyWorkspace(t, golden)
	start := time.Now()
	if killed := ingestOnce(t, bin, refDir, 0); killed {
		t.Fatal("reference run killed")
	}
	refTook := time.Since(start)
	ref := checkInvariants(t, refDir, batch, nil)

	points := 0
	for n := 1; ; n++ {
		dir := copyWorkspace(t, golden)
		if !ingestOnce(t, bin, dir, n) {
			break // the run had fewer than n steps: every step has been a kill point
		}
		points++
		restart(t, bin, dir)
		if t.Run(fmt.Sprintf("kill_at_step_%d", n), func(t *testing.T) { checkInvariants(t, dir, batch, ref) }); t.Failed() {
			return
		}
		os.RemoveAll(dir)
	}
	if points < 50 {
		t.Errorf("only %d kill points; the batch should have at least 50 durable steps", points)
	}
	// Kills at arbitrary moments: inside writes, between a temporary file and its rename, mid-parse.
	for i := 1; i <= 12; i++ {
		dir := copyWorkspace(t, golden)
		cmd := exec.Command(bin, "ingest", "--dir", dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(refTook * time.Duration(i) / 13)
		cmd.Process.Kill()
		cmd.Wait()
		restart(t, bin, dir)
		t.Run(fmt.Sprintf("kill_after_%dms", (refTook*time.Duration(i)/13).Milliseconds()), func(t *testing.T) { checkInvariants(t, dir, batch, ref) })
		os.RemoveAll(dir)
	}
	t.Logf("%d step kill points and 12 timed kills over a run of %v", points, refTook.Round(time.Millisecond))
}

// buildBinary builds lingpao from this package's source.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "lingpao")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// batchFile is one file of the batch and what it must become.
type batchFile struct {
	path     string
	data     []byte
	accepted bool
}

// prepareBatch makes a workspace with a short poll interval and an inbox of nine files: accepted
// returns, a correction superseding one of them, a return with errors and one with warnings (both
// annotated), a CSV in disguise, a duplicate, and a return put into the wrong county's folder whose
// same bytes then arrive in the right one.
func prepareBatch(t *testing.T, bin, dir string) []batchFile {
	t.Helper()
	if out, err := exec.Command(bin, "init", "--dir", dir).CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	cfg, err := lingpao.ReadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Inbox.PollSeconds = 0.02
	b, _ := lingpao.MarshalConfig(cfg)
	if err := os.WriteFile(cfg.Path(lingpao.ConfigFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := jobs.Open(context.Background(), dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	uscc := func(first17 string) string {
		c, _ := lingpao.USCCCheck(first17)
		return first17 + string(c)
	}
	ret := func(county string, edit func(f *excelize.File)) []byte {
		u, _ := w.Catalog.Tree.Find(county)
		var buf bytes.Buffer
		spec := templates.Spec{Org: u, Period: lingpao.MonthOf(2025, 9), Deadline: w.Deadline(lingpao.MonthOf(2025, 9)), Generated: time.Date(2025, 9, 20, 0, 0, 0, 0, lingpao.Beijing), Secret: w.Config.Secret}
		if err := templates.Generate(&buf, w.Catalog, spec); err != nil {
			t.Fatal(err)
		}
		f, err := excelize.OpenReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		f.SetCellValue(templates.SheetGuide, templates.CellContact, "王晓明")
		f.SetCellValue(templates.SheetGuide, templates.CellPhone, "0311-1")
		for i := range w.Catalog.ClustersOf(u.Code) {
			for col, v := range map[string]any{"C": 50 + i, "E": 100, "F": 10, "G": 3} {
				f.SetCellValue(templates.SheetClusters, fmt.Sprintf("%s%d", col, 5+i), v)
			}
		}
		for i, row := range [][]any{{"甲公司", uscc("91130100MA07L2XK3"), "是"}, {"乙公司", uscc("91130100MA0DQ4RT1"), ""}} {
			c := w.Catalog.ClustersOf(u.Code)[0]
			for j, v := range []any{row[0], row[1], c.Name, row[2]} {
				cell, _ := excelize.CoordinatesToCellName(j+2, 4+i)
				f.SetCellValue(templates.SheetRoster, cell, v)
			}
		}
		if edit != nil {
			edit(f)
		}
		var out bytes.Buffer
		if _, err := f.WriteTo(&out); err != nil {
			t.Fatal(err)
		}
		return out.Bytes()
	}
	xinhua, luquan := ret("新华区", nil), ret("鹿泉区", nil)
	batch := []batchFile{
		// Dropped first into the wrong county's folder (rejected), then the same bytes into the right one.
		{"元氏县/2025-09_鹿泉区.xlsx", luquan, false},
		{"鹿泉区/2025-09_鹿泉区.xlsx", luquan, true},
		{"鹿泉区/2025-09_鹿泉区（更正）.xlsx", ret("鹿泉区", func(f *excelize.File) { f.SetCellValue(templates.SheetClusters, "C5", 55.5) }), true},
		{"栾城区/2025-09_栾城区.xlsx", ret("栾城区", nil), true},
		{"元氏县/2025-09_元氏县.xlsx", ret("元氏县", func(f *excelize.File) { f.SetCellValue(templates.SheetClusters, "C5", "约50亿") }), false},
		{"元氏县/汇总.xlsx", []byte("集群,营业收入\n元氏装备制造,12\n"), false},
		{"新华区/2025-09_新华区.xlsx", xinhua, true},
		{"新华区/2025-09_新华区 - 副本.xlsx", xinhua, true},
		{"长安区/2025-09_长安区.xlsx", ret("长安区", func(f *excelize.File) { f.SetCellValue(templates.SheetClusters, "N5", "2家") }), true},
	}
	for _, f := range batch {
		p := filepath.Join(dir, lingpao.InboxDir, f.path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return batch
}

// copyWorkspace copies the golden workspace (files keep their modification times).
func copyWorkspace(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.WriteFile(target, b, 0o644); err != nil {
			return err
		}
		info, _ := d.Info()
		return os.Chtimes(target, info.ModTime(), info.ModTime())
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// ingestOnce runs `lingpao ingest`, killed at its killAt-th durable step (0: never), and reports
// whether it was killed.
func ingestOnce(t *testing.T, bin, dir string, killAt int) bool {
	t.Helper()
	cmd := exec.Command(bin, "ingest", "--dir", dir)
	cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%d", killAtEnv, killAt))
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return false
	case errors.As(err, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL && killAt > 0 {
			return true
		}
	}
	t.Fatalf("ingest (kill at %d): %v\n%s", killAt, err, out)
	return false
}

// restart runs `lingpao ingest` until the inbox is empty (at most three times).
func restart(t *testing.T, bin, dir string) {
	t.Helper()
	for i := 0; i < 3 && len(inboxFiles(t, dir)) > 0; i++ {
		ingestOnce(t, bin, dir, 0)
	}
}

func inboxFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(filepath.Join(dir, lingpao.InboxDir), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// outcome is what became of one distinct file, independent of when it was processed.
type outcome struct {
	SHA, Org, Period, File, Status string
	Version, Values, Enterprises   int
	Findings, Changes              int
}

// checkInvariants checks dir after a (possibly interrupted and restarted) pass and returns the
// outcome per file; with ref it must equal the outcome of the uninterrupted run.
func checkInvariants(t *testing.T, dir string, batch []batchFile, ref []outcome) []outcome {
	t.Helper()
	if left := inboxFiles(t, dir); len(left) > 0 {
		t.Errorf("inbox not emptied: %v", left)
	}
	cfg, err := lingpao.ReadConfig(dir)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+cfg.Path(lingpao.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func(q string, args ...any) int {
		var n int
		if err := db.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	// No half-written submission: nothing hangs off a missing submission; accepted ones have their
	// values, rejected ones none; one current version per county and period, numbered 1..n.
	for _, q := range []string{
		`SELECT COUNT(*) FROM cell_values WHERE submission_id NOT IN (SELECT id FROM submissions)`,
		`SELECT COUNT(*) FROM findings WHERE submission_id NOT IN (SELECT id FROM submissions)`,
		`SELECT COUNT(*) FROM enterprises WHERE submission_id NOT IN (SELECT id FROM submissions)`,
		`SELECT COUNT(*) FROM changes WHERE submission_id NOT IN (SELECT id FROM submissions)`,
		`SELECT COUNT(*) FROM submissions s WHERE status = 'accepted' AND NOT EXISTS (SELECT 1 FROM cell_values v WHERE v.submission_id = s.id)`,
		`SELECT COUNT(*) FROM submissions s WHERE status = 'rejected' AND EXISTS (SELECT 1 FROM cell_values v WHERE v.submission_id = s.id)`,
		`SELECT COUNT(*) FROM (SELECT org, period FROM submissions WHERE status = 'accepted' AND superseded_by IS NULL GROUP BY org, period HAVING COUNT(*) > 1)`,
		`SELECT COUNT(*) FROM (SELECT org, period FROM submissions WHERE status = 'accepted' GROUP BY org, period HAVING MAX(version) != COUNT(*) OR COUNT(DISTINCT version) != COUNT(*))`,
		`SELECT COUNT(*) FROM submissions WHERE receipt_written = 0`,
	} {
		if n := count(q); n != 0 {
			t.Errorf("%d rows: %s", n, q)
		}
	}
	store, err := sqlite.Open(cfg.Path(lingpao.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	cat := mustCatalog(t, dir)
	subs, err := store.FindSubmissions(context.Background(), sqlite.SubmissionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []outcome
	bySHA := map[string]bool{}
	for _, s := range subs {
		if bySHA[s.SHA256] {
			t.Errorf("%s recorded twice", s.SHA256)
		}
		bySHA[s.SHA256] = true
		full, err := store.FindSubmission(context.Background(), s.ID)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, outcome{SHA: s.SHA256, Org: s.Org, Period: s.Period.String(), File: s.FileName, Status: string(s.Status), Version: s.Version,
			Values:      count(`SELECT COUNT(*) FROM cell_values WHERE submission_id = ?`, s.ID),
			Enterprises: count(`SELECT COUNT(*) FROM enterprises WHERE submission_id = ?`, s.ID),
			Findings:    len(full.Findings), Changes: count(`SELECT COUNT(*) FROM changes WHERE submission_id = ?`, s.ID)})
		// The archive holds the original bytes under their hash.
		b, err := os.ReadFile(ingest.ArchivePath(cfg, s))
		if sum := sha256.Sum256(b); err != nil || hex.EncodeToString(sum[:]) != s.SHA256 {
			t.Errorf("archive of %s: %v", s.FileName, err)
		}
		// The receipt is complete.
		base := filepath.Join(ingest.ReceiptDir(cfg, cat, full), ingest.ReceiptBase(full))
		want := []string{".txt", ".json", ".xlsx"}
		if !s.Period.IsZero() && len(full.Findings) > 0 {
			want = append(want, ingest.AnnotatedSuffix)
		}
		for _, ext := range want {
			if err := completeFile(base + ext); err != nil {
				t.Errorf("receipt of %s: %v", s.FileName, err)
			}
		}
	}
	// Every file of the batch is recorded, under its bytes' hash.
	for _, f := range batch {
		sum := sha256.Sum256(f.data)
		if !bySHA[hex.EncodeToString(sum[:])] {
			t.Errorf("%s was lost", f.path)
		}
	}
	// No partial receipt: every file there is complete, apart from ignored .tmp- strays.
	filepath.WalkDir(cfg.Path(lingpao.ReceiptsDir), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !strings.HasPrefix(d.Name(), ".tmp-") {
			if err := completeFile(p); err != nil {
				t.Errorf("partial receipt file: %v", err)
			}
		}
		return nil
	})
	sort.Slice(got, func(i, j int) bool { return got[i].SHA < got[j].SHA })
	if ref != nil {
		if diff := cmp.Diff(ref, got); diff != "" {
			t.Errorf("outcome differs from the uninterrupted run (-want +got):\n%s", diff)
		}
	} else if len(got) != len(batch)-2 { // the duplicate and the moved file are one submission each
		t.Errorf("%d submissions for %d files (one a duplicate, one moved)", len(got), len(batch))
	}
	return got
}

func mustCatalog(t *testing.T, dir string) *lingpao.Catalog {
	t.Helper()
	w, err := jobs.Open(context.Background(), dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	return w.Catalog
}

// completeFile checks that a receipt file is whole: a .txt ends its line, a .json decodes, an .xlsx
// opens as a workbook.
func completeFile(p string) error {
	b, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	switch {
	case strings.HasSuffix(p, ".txt"):
		if !bytes.HasSuffix(b, []byte("\r\n")) {
			return fmt.Errorf("%s: no line end", p)
		}
	case strings.HasSuffix(p, ".json"):
		var v map[string]any
		if err := json.Unmarshal(b, &v); err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
	case strings.HasSuffix(p, ".xlsx"):
		f, err := excelize.OpenReader(bytes.NewReader(b))
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		f.Close()
	default:
		return fmt.Errorf("%s: unexpected file", p)
	}
	return nil
}
