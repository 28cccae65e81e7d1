package ingest_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/ingest"
	"lingpao/internal/tooltest"
	"lingpao/templates"
)

// commentsScript lists, through openpyxl, each commented or filled cell of the data sheets: comment
// author and text, fill colour, lock and number format.
const commentsScript = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for c in row:
            color = c.fill.fgColor.rgb if c.fill and c.fill.fill_type == "solid" else ""
            if c.comment or (isinstance(color, str) and color[-6:] in ("FF8C8C", "FFC000")):
                out[ws.title + "!" + c.coordinate] = {
                    "author": c.comment.author if c.comment else "", "text": c.comment.text if c.comment else "",
                    "fill": color[-6:] if isinstance(color, str) else "", "locked": c.protection.locked, "format": c.number_format}
print(json.dumps(out, ensure_ascii=False))
`

type mark struct {
	Author, Text, Fill, Format string
	Locked                     bool
}

func marks(t *testing.T, path string) map[string]mark {
	t.Helper()
	out, err := exec.Command(tooltest.Python(t), "-c", commentsScript, path).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	var m map[string]mark
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return m
}

// TestAnnotatedCopy: a rejected return's receipt includes the county's own workbook with each
// offending cell filled (red for errors, orange for warnings) and commented; openpyxl and LibreOffice
// both see the comments; the county fixes that very copy with its own spreadsheet program, drops it
// back, and it is accepted — the old annotations gone, its metadata still verifying.
func TestAnnotatedCopy(t *testing.T) {
	w, now := workspace(t)
	drop(t, w, "元氏县/2025-09_元氏县.xlsx", filledReturn(t, w, "元氏县", func(f *excelize.File) {
		f.SetCellValue(templates.SheetClusters, "C5", "约120亿")
		f.SetCellValue(templates.SheetClusters, "G5", 500)
		f.SetCellValue(templates.SheetClusters, "N5", "2家")
	}))
	s := pass(t, w.Ingester())[0].Submission
	if s.Status != lingpao.SubRejected {
		t.Fatalf("status %s", s.Status)
	}
	dir := ingest.ReceiptDir(w.Config, w.Catalog, s)
	annotated := filepath.Join(dir, ingest.ReceiptBase(s)+ingest.AnnotatedSuffix)
	got := marks(t, annotated)
	const cl = "集群指标!"
	for cell, want := range map[string]struct{ fill, text string }{
		cl + "C5": {"FF8C8C", "错误：「元氏装备制造」集群营业收入（本年累计）填的是“约120亿”"},
		cl + "G5": {"FF8C8C", "专精特新“小巨人”企业数（500家）大于专精特新中小企业数（10家，单元格 F5）"},
		cl + "N5": {"FFC000", "警告：「元氏装备制造」完成股份制改造企业（本年累计）：带了单位“家”"},
	} {
		m, ok := got[cell]
		switch {
		case !ok:
			t.Errorf("%s not annotated; got %v", cell, got)
		case m.Fill != want.fill || m.Author != templates.AnnotationAuthor || !strings.Contains(m.Text, want.text):
			t.Errorf("%s: %+v, want fill %s and a comment with %q", cell, m, want.fill, want.text)
		case m.Locked:
			t.Errorf("%s: an input cell was locked by annotating it", cell)
		}
	}
	if m := got[cl+"G5"]; m.Format != "#,##0" {
		t.Errorf("G5 lost its number format: %q", m.Format)
	}
	if len(got) != 3 {
		t.Errorf("annotated cells %v, want exactly the three with findings", got)
	}
	txt := string(readFile(t, filepath.Join(dir, ingest.ReceiptBase(s)+".txt")))
	if !strings.Contains(txt, "批注") {
		t.Errorf("receipt does not point to the annotated copy: %q", txt)
	}

	// LibreOffice reads the comments too: re-saved by it, they are still there.
	tooltest.Need(t, "soffice", "libreoffice-calc-nogui")
	lo := t.TempDir()
	if msg, err := exec.Command("soffice", "-env:UserInstallation=file://"+filepath.Join(lo, "profile"), "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", lo, annotated).CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, msg)
	}
	relo := marks(t, filepath.Join(lo, filepath.Base(annotated)))
	if m := relo[cl+"C5"]; !strings.Contains(m.Text, "约120亿") {
		t.Errorf("LibreOffice lost the comment on C5: %+v", relo)
	}

	// The county fixes the annotated copy (with openpyxl, not excelize) and drops it back.
	fixed := openpyxlFill(t, annotated, []cellSpec{{"集群指标", "C5", "n", 120}, {"集群指标", "G5", "n", 3}}, t.TempDir())
	*now = now.Add(2 * time.Hour)
	drop(t, w, "元氏县/"+filepath.Base(annotated), readFile(t, fixed))
	res := pass(t, w.Ingester())
	if len(res) != 1 || res[0].Submission.Status != lingpao.SubAccepted || res[0].Submission.Version != 1 {
		t.Fatalf("fixed copy: %+v", res)
	}
	s2 := res[0].Submission
	if !strings.HasPrefix(ingest.ReceiptBase(s2), "2025-09_元氏县_回执_") || strings.Count(ingest.ReceiptBase(s2), "回执") != 1 {
		t.Errorf("receipt of the dropped-back copy: %s", ingest.ReceiptBase(s2))
	}
	// Its own annotated copy shows only what is left — the warning — not the fixed errors.
	again := marks(t, filepath.Join(dir, ingest.ReceiptBase(s2)+ingest.AnnotatedSuffix))
	if _, ok := again[cl+"C5"]; ok || len(again) != 1 || again[cl+"N5"].Fill != "FFC000" {
		t.Errorf("second annotation: %+v", again)
	}
}

// TestChangesFromPreviousVersion: a correction records, cell by cell, what it changed from the
// version it supersedes — values changed, cleared and added, enterprises added, removed and edited —
// and its receipt lists them.
func TestChangesFromPreviousVersion(t *testing.T) {
	w, now := workspace(t)
	usccA, usccB, usccC := usccWith(t, "91130110MA07L2XK3"), usccWith(t, "91130110MA0DQ4RT1"), usccWith(t, "91130110MA0FX8WP2")
	roster := func(f *excelize.File, rows [][]any) {
		for i, r := range rows {
			for j, v := range r {
				c, _ := excelize.CoordinatesToCellName(j+2, 4+i)
				f.SetCellValue(templates.SheetRoster, c, v)
			}
		}
	}
	drop(t, w, "鹿泉区/a.xlsx", filledReturn(t, w, "鹿泉区", func(f *excelize.File) {
		f.SetCellValue(templates.SheetClusters, "D5", 9)
		roster(f, [][]any{{"甲公司", usccA, "鹿泉电子信息", "是", "", "", "", "", 100}, {"乙公司", usccB, "鹿泉电子信息", "", "", "", "", "", 50}})
	}))
	if s := pass(t, w.Ingester())[0].Submission; s.Status != lingpao.SubAccepted {
		t.Fatalf("v1: %+v", s.Findings)
	}
	*now = now.Add(time.Hour)
	drop(t, w, "鹿泉区/b.xlsx", filledReturn(t, w, "鹿泉区", func(f *excelize.File) {
		f.SetCellValue(templates.SheetClusters, "C5", 10.5) // 10 → 10.5
		f.SetCellValue(templates.SheetClusters, "D5", "—")  // 9 → not reported
		f.SetCellValue(templates.SheetClusters, "H5", 2)    // 10 → 2
		roster(f, [][]any{{"丙公司", usccC, "鹿泉电子信息"}, {"甲公司", usccA, "鹿泉电子信息", "是", "是", "", "", "", 120}})
	}))
	s := pass(t, w.Ingester())[0].Submission
	if s.Status != lingpao.SubAccepted || s.Version != 2 {
		t.Fatalf("v2: %s v%d %+v", s.Status, s.Version, s.Findings)
	}
	var rj struct {
		Summary string
		Changes []struct {
			Sheet, Cell, Item, Kind string
			Old, New                any
		}
	}
	dir := ingest.ReceiptDir(w.Config, w.Catalog, s)
	if err := json.Unmarshal(readFile(t, filepath.Join(dir, ingest.ReceiptBase(s)+".json")), &rj); err != nil {
		t.Fatal(err)
	}
	type change struct {
		Cell, Item string
		Old, New   any
	}
	var got []change
	for _, c := range rj.Changes {
		got = append(got, change{c.Cell, c.Item, c.Old, c.New})
	}
	want := []change{
		{"C5", "鹿泉电子信息 · 集群营业收入（本年累计）", 10.0, 10.5},
		{"D5", "鹿泉电子信息 · 上年同期营业收入", 9.0, nil},
		{"H5", "鹿泉电子信息 · 上市企业数", 10.0, 2.0},
		{"B4", "新增企业 " + usccC + "（丙公司）", nil, "丙公司"},
		{"", "删除企业 " + usccB + "（乙公司，原第 5 行）", "乙公司", nil},
		{"E5", usccA + " · 标签", "领跑者", "领跑者、专精特新"},
		{"J5", usccA + " · 营业收入（本年累计）", 100.0, 120.0},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if !strings.Contains(rj.Summary, "与上一版相比改动 7 处") {
		t.Errorf("summary %q", rj.Summary)
	}
	f, err := excelize.OpenFile(filepath.Join(dir, ingest.ReceiptBase(s)+".xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("与上一版比较")
	if err != nil || len(rows) != 1+len(want) || rows[1][1] != "C5" || rows[2][4] != "（空）" {
		t.Errorf("changes sheet: %v %v", rows, err)
	}
	if _, err := os.Stat(filepath.Join(dir, ingest.ReceiptBase(s)+ingest.AnnotatedSuffix)); err == nil {
		t.Error("a clean file got an annotated copy")
	}
}
