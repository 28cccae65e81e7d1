package ingest_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/ingest"
	"lingpao/jobs"
	"lingpao/sqlite"
	"lingpao/templates"
)

// workspace makes a fresh workspace with a pinned clock.
func workspace(t *testing.T) (*jobs.Workspace, *time.Time) {
	t.Helper()
	dir := t.TempDir()
	if _, err := jobs.Init(dir); err != nil {
		t.Fatal(err)
	}
	w, err := jobs.Open(context.Background(), dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	now := time.Date(2025, 10, 8, 10, 0, 0, 0, lingpao.Beijing)
	w.Now = func() time.Time { return now }
	return w, &now
}

// filledReturn makes a county's template for September 2025 and fills every cluster's numbers.
func filledReturn(t *testing.T, w *jobs.Workspace, county string, edit func(f *excelize.File)) []byte {
	t.Helper()
	u, err := w.Catalog.Tree.Find(county)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	spec := templates.Spec{Org: u, Period: lingpao.MonthOf(2025, 9), Deadline: w.Deadline(lingpao.MonthOf(2025, 9)), Generated: time.Date(2025, 9, 20, 0, 0, 0, 0, lingpao.Beijing), Secret: w.Config.Secret, IssuingUnit: "测试"}
	if err := templates.Generate(&buf, w.Catalog, spec); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.SetCellValue(templates.SheetGuide, templates.CellContact, "王晓明")
	f.SetCellValue(templates.SheetGuide, templates.CellPhone, "0311-88888888")
	contract := templates.Describe(w.Catalog)
	for _, col := range contract.Sheets[1].Columns {
		for i := range w.Catalog.ClustersOf(u.Code) {
			cell := col.Letter + itoa(5+i)
			switch col.Code {
			case "cluster_code", "cluster_name", "remark":
			case "above_scale":
				f.SetCellValue(templates.SheetClusters, cell, 100)
			case "little_giant":
				f.SetCellValue(templates.SheetClusters, cell, 3)
			default:
				f.SetCellValue(templates.SheetClusters, cell, 10+i)
			}
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

func itoa(n int) string { return strconv.Itoa(n) }

func drop(t *testing.T, w *jobs.Workspace, rel string, b []byte) {
	t.Helper()
	p := w.Config.Path(lingpao.InboxDir, rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// pass runs two polls: the first sees the files, the second takes the stable ones.
func pass(t *testing.T, in *ingest.Ingester) []ingest.Result {
	t.Helper()
	var all []ingest.Result
	for i := 0; i < 2; i++ {
		res, err := in.Poll(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, res...)
	}
	return all
}

func TestBatchWithBadFileGoesOn(t *testing.T) {
	w, _ := workspace(t)
	good := filledReturn(t, w, "鹿泉区", nil)
	drop(t, w, "鹿泉区/2025-09_鹿泉区.xlsx", good)
	drop(t, w, "栾城区/2025-09_栾城区.xlsx", filledReturn(t, w, "栾城区", nil))
	drop(t, w, "元氏县/2025-09_元氏县.xlsx", []byte("集群名称,营业收入\n元氏装备制造,12.5\n"))
	drop(t, w, "鹿泉区/~$2025-09_鹿泉区.xlsx", []byte("lock"))
	res := pass(t, w.Ingester())
	if len(res) != 3 {
		t.Fatalf("%d results, want 3 (the lock file is ignored): %+v", len(res), res)
	}
	by := map[string]ingest.Result{}
	for _, r := range res {
		by[r.Path] = r
	}
	if s := by["鹿泉区/2025-09_鹿泉区.xlsx"].Submission; s.Status != lingpao.SubAccepted || s.Version != 1 {
		t.Errorf("鹿泉区: %+v, want accepted v1", s)
	}
	if s := by["栾城区/2025-09_栾城区.xlsx"].Submission; s.Status != lingpao.SubAccepted {
		t.Errorf("栾城区: %s %v", s.Status, s.Findings)
	}
	csv := by["元氏县/2025-09_元氏县.xlsx"].Submission
	if csv.Status != lingpao.SubRejected || csv.Findings[0].Rule != "file.csv" {
		t.Fatalf("csv renamed to .xlsx: %+v", csv)
	}
	// The rejection answers in the county's receipts folder, in Chinese, saying what to do.
	txt := readReceipt(t, w, "元氏县", ".txt")
	for _, want := range []string{"【已退回】", "CSV", ".xlsx"} {
		if !strings.Contains(txt, want) {
			t.Errorf("receipt %q lacks %q", txt, want)
		}
	}
	// Nothing is left in the inbox but the ignored lock file, and every original is archived.
	left, _ := filepath.Glob(w.Config.Path(lingpao.InboxDir, "*", "*"))
	if len(left) != 1 || !strings.HasPrefix(filepath.Base(left[0]), "~$") {
		t.Errorf("inbox left %v", left)
	}
	for _, r := range res {
		if _, err := os.Stat(ingest.ArchivePath(w.Config, r.Submission)); err != nil {
			t.Errorf("%s not archived: %v", r.Path, err)
		}
	}
}

func readReceipt(t *testing.T, w *jobs.Workspace, county, ext string) string {
	t.Helper()
	m, _ := filepath.Glob(w.Config.Path(lingpao.ReceiptsDir, county, "*"+ext))
	if len(m) != 1 {
		t.Fatalf("receipts of %s: %v", county, m)
	}
	b, err := os.ReadFile(m[0])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSameBytesTwiceIsOneSubmission(t *testing.T) {
	w, now := workspace(t)
	b := filledReturn(t, w, "鹿泉区", nil)
	drop(t, w, "鹿泉区/2025-09_鹿泉区.xlsx", b)
	pass(t, w.Ingester())
	*now = now.Add(24 * time.Hour)
	drop(t, w, "鹿泉区/2025-09_鹿泉区 - 副本.xlsx", b)
	res := pass(t, w.Ingester())
	if len(res) != 1 || !res[0].Duplicate {
		t.Fatalf("second copy: %+v, want one duplicate", res)
	}
	subs, err := w.Store.FindSubmissions(context.Background(), sqlite.SubmissionFilter{Org: "130110"})
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 {
		t.Errorf("%d submissions, want 1", len(subs))
	}
}

func TestLaterFileSupersedes(t *testing.T) {
	w, now := workspace(t)
	drop(t, w, "鹿泉区/a.xlsx", filledReturn(t, w, "鹿泉区", nil))
	pass(t, w.Ingester())
	*now = now.Add(time.Hour)
	drop(t, w, "鹿泉区/b.xlsx", filledReturn(t, w, "鹿泉区", func(f *excelize.File) { f.SetCellValue(templates.SheetClusters, "C5", 99.5) }))
	res := pass(t, w.Ingester())
	if len(res) != 1 || res[0].Submission.Version != 2 {
		t.Fatalf("second file: %+v, want version 2", res)
	}
	cur, err := w.Store.FindSubmissions(context.Background(), sqlite.SubmissionFilter{Org: "130110", Current: true})
	if err != nil || len(cur) != 1 || cur[0].Version != 2 {
		t.Fatalf("current = %+v, %v; want only version 2", cur, err)
	}
	ds, _, err := w.Store.LoadDataSet(context.Background(), lingpao.MonthOf(2025, 9), lingpao.MonthOf(2025, 9), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	cl := w.Catalog.ClustersOf("130110")[0]
	if v, _ := ds.Get("130110", cl.Code, "revenue_ytd", lingpao.MonthOf(2025, 9)); v != 99.5 {
		t.Errorf("revenue of %s = %v, want 99.5 from version 2", cl.Name, v)
	}
	// As of before the correction, version 1 is in force: a past report regenerates the same.
	old, _, _ := w.Store.LoadDataSet(context.Background(), lingpao.MonthOf(2025, 9), lingpao.MonthOf(2025, 9), now.Add(-30*time.Minute))
	if v, _ := old.Get("130110", cl.Code, "revenue_ytd", lingpao.MonthOf(2025, 9)); v != 10 {
		t.Errorf("as of before the correction: %v, want 10", v)
	}
}

func TestGrowingFileWaits(t *testing.T) {
	w, _ := workspace(t)
	b := filledReturn(t, w, "鹿泉区", nil)
	in := w.Ingester()
	drop(t, w, "鹿泉区/x.xlsx", b[:len(b)/2]) // copy in progress
	if res, _ := in.Poll(context.Background()); len(res) != 0 {
		t.Fatalf("first sight: %+v", res)
	}
	drop(t, w, "鹿泉区/x.xlsx", b) // the copy finished between polls: size changed
	if res, _ := in.Poll(context.Background()); len(res) != 0 {
		t.Fatalf("file still changing was read: %+v", res)
	}
	res, err := in.Poll(context.Background())
	if err != nil || len(res) != 1 || res[0].Submission.Status != lingpao.SubAccepted {
		t.Fatalf("stable file: %+v %v", res, err)
	}
}

func TestCellErrorsNameTheCell(t *testing.T) {
	w, _ := workspace(t)
	drop(t, w, "鹿泉区/x.xlsx", filledReturn(t, w, "鹿泉区", func(f *excelize.File) {
		f.SetCellValue(templates.SheetClusters, "C5", "约120亿")
		f.SetCellValue(templates.SheetClusters, "G5", 500) // 小巨人 above 专精特新
	}))
	res := pass(t, w.Ingester())
	s := res[0].Submission
	if s.Status != lingpao.SubRejected {
		t.Fatalf("status %s, want rejected", s.Status)
	}
	cells := map[string]string{}
	for _, f := range s.Findings {
		cells[f.Cell] = f.Rule
	}
	if cells["C5"] == "" || cells["G5"] != "part_whole.little_giant" {
		t.Errorf("findings by cell = %v, want C5 and G5 (part > whole)", cells)
	}
}
