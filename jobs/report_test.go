package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/demo"
	"lingpao/ingest"
	"lingpao/internal/tooltest"
	"lingpao/jobs"
	"lingpao/sqlite"
)

// TestReportEditions runs the editions of PRODUCT §8 on a demo workspace (January to March 2025):
// the first generation of the 2025Q1 bulletin is 第1版; generating again with the same data rewrites
// the same files byte for byte; a county's correction received after publication makes 第2版, whose
// 更正说明 names the county, the figure and its old and new values, while 第1版 stays in the outbox;
// and regenerating with the first edition's cut-off gives 第1版 again, as it was.
func TestReportEditions(t *testing.T) {
	tooltest.Need(t, "pdftotext", "poppler-utils")
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "ws")
	if _, err := demo.Run(ctx, demo.Options{Dir: dir, Period: lingpao.MonthOf(2025, 3), Seed: 7, Version: "test"}); err != nil {
		t.Fatal(err)
	}
	w, err := jobs.Open(ctx, dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	clock := time.Date(2025, 4, 20, 9, 0, 0, 0, lingpao.Beijing)
	w.Now = func() time.Time { return clock }
	q1 := lingpao.Period{Year: 2025, Kind: lingpao.Quarter, N: 1}

	first, err := w.GenerateReport(ctx, jobs.ReportRequest{Kind: jobs.Quarterly, Period: q1})
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 2 || !strings.HasSuffix(first[0], "季度通报_石家庄市_2025年第一季度.pdf") {
		t.Fatalf("first edition: %v", first)
	}
	pdf1, xlsx1 := read(t, first[0]), read(t, first[1])

	// The same data a day later: the same edition, the same bytes.
	clock = clock.AddDate(0, 0, 1)
	again, err := w.GenerateReport(ctx, jobs.ReportRequest{Kind: jobs.Quarterly, Period: q1})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(again, ",") != strings.Join(first, ",") || !bytes.Equal(read(t, again[0]), pdf1) || !bytes.Equal(read(t, again[1]), xlsx1) {
		t.Fatalf("regeneration with unchanged data is not the same edition: %v", again)
	}

	// 鹿泉区 corrects its March return: three more invention patents in its first cluster.
	luquan, _ := w.Catalog.Tree.Find("鹿泉区")
	subs, err := w.Store.FindSubmissions(ctx, sqlite.SubmissionFilter{Org: luquan.Code, Period: "2025-03", Current: true})
	if err != nil || len(subs) != 1 {
		t.Fatalf("鹿泉区 March: %v %v", subs, err)
	}
	vals, err := w.Store.SubmissionValues(ctx, subs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	var patent lingpao.Value
	for _, v := range vals {
		if v.Indicator == "invention_patents_new" && v.Cell != "" {
			patent = v
			break
		}
	}
	f, err := excelize.OpenFile(ingest.ArchivePath(w.Config, subs[0]))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellValue(patent.Sheet, patent.Cell, patent.V+3); err != nil {
		t.Fatal(err)
	}
	var corrected bytes.Buffer
	if _, err := f.WriteTo(&corrected); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.WriteFile(filepath.Join(dir, lingpao.InboxDir, "鹿泉区", "2025-03_鹿泉区（更正）.xlsx"), corrected.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ing := w.Ingester()
	for range 2 {
		if _, err := ing.Poll(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if now, _ := w.Store.FindSubmissions(ctx, sqlite.SubmissionFilter{Org: luquan.Code, Period: "2025-03", Current: true}); len(now) != 1 || now[0].Version != 2 {
		t.Fatalf("the correction was not accepted as version 2: %+v", now)
	}

	clock = clock.AddDate(0, 0, 1)
	second, err := w.GenerateReport(ctx, jobs.ReportRequest{Kind: jobs.Quarterly, Period: q1})
	if err != nil {
		t.Fatal(err)
	}
	if len(second) != 2 || !strings.HasSuffix(second[0], "季度通报_石家庄市_2025年第一季度_第2版.pdf") || !strings.HasSuffix(second[1], "_第2版.xlsx") {
		t.Fatalf("second edition: %v", second)
	}
	if !bytes.Equal(read(t, first[0]), pdf1) {
		t.Error("the first edition's file changed")
	}
	text := squeeze(pdftotext(t, second[0]))
	for _, want := range []string{"更正说明", "本件为第2版，更正第1版", "鹿泉区新增发明专利（本年累计）由", "本件为第2版，由lingpaotest生成", "鹿泉区第2版"} {
		if !strings.Contains(text, want) {
			t.Errorf("second edition lacks %q", want)
		}
	}
	eds, err := w.Store.FindEditions(ctx, sqlite.EditionFilter{Kind: jobs.Quarterly, Period: "2025Q1"})
	if err != nil || len(eds) != 2 || eds[0].Edition != 1 || eds[1].Edition != 2 || len(eds[1].Files) != 2 {
		t.Fatalf("editions recorded: %+v %v", eds, err)
	}
	var figures []struct{ Name, Item, Text string }
	if err := json.Unmarshal(eds[1].Figures, &figures); err != nil || len(figures) == 0 {
		t.Fatalf("figures of the second edition: %v", err)
	}

	// The first edition's cut-off regenerates the first edition, as it was.
	old, err := w.GenerateReport(ctx, jobs.ReportRequest{Kind: jobs.Quarterly, Period: q1, CutOff: eds[0].CutOff, Formats: []string{"pdf"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(old) != 1 || old[0] != first[0] || !bytes.Equal(read(t, old[0]), pdf1) {
		t.Errorf("regenerating at the first cut-off gave %v, not the first edition as it was", old)
	}
}

func read(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func pdftotext(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func squeeze(s string) string { return strings.Join(strings.Fields(s), "") }
