package xlsx_test

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"lingpao/internal/tooltest"
	"lingpao/reports/xlsx"
)

// plainFixture is a two-sheet plain workbook with every style, awkward text and numbers.
func plainFixture() []xlsx.PlainSheet {
	return []xlsx.PlainSheet{
		{Name: "回执", Rows: []*xlsx.PlainRow{
			{Cells: []xlsx.PlainCell{{"【已退回】鹿泉区 2025年9月 报表有 2 处错误", xlsx.PlainTitle}, {nil, xlsx.PlainTitle}, {nil, xlsx.PlainTitle}}, Height: 48},
			nil,
			{Cells: []xlsx.PlainCell{{"序号", xlsx.PlainHead}, {"类别", xlsx.PlainHead}, {"说明", xlsx.PlainHead}}},
			{Cells: []xlsx.PlainCell{{1, xlsx.PlainWrap}, {"错误", xlsx.PlainError}, {"<&> \"引号\" 第一行\n第二行\r回车", xlsx.PlainWrap}}},
			{Cells: []xlsx.PlainCell{{2, xlsx.PlainWrap}, {"警告", xlsx.PlainWarning}, {12345.678, xlsx.PlainWrap}}},
			{Cells: []xlsx.PlainCell{{3, xlsx.PlainWrap}, {nil, xlsx.PlainText}, {"县里填的 _x0041_ 原样，控制字符\x01", xlsx.PlainWrap}}},
		}, Merged: []string{"A1:C1"}, Widths: []float64{6, 7, 70}, FreezeRows: 3},
		{Name: "与上一版比较", Rows: []*xlsx.PlainRow{{Cells: []xlsx.PlainCell{{"项目", xlsx.PlainHead}, {"上一版", xlsx.PlainHead}}}, {Cells: []xlsx.PlainCell{{"营业收入", xlsx.PlainText}, {-0.5, xlsx.PlainText}}}}, FreezeRows: 1},
	}
}

// TestWritePlain reads a plain workbook back with excelize (values, styles, merged cells, widths,
// frozen rows), openpyxl and LibreOffice, which must all open it and see the same cells.
func TestWritePlain(t *testing.T) {
	var buf bytes.Buffer
	if err := xlsx.WritePlain(&buf, plainFixture()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), ","); got != "回执,与上一版比较" {
		t.Errorf("sheets %s", got)
	}
	want := map[string]string{"A1": "【已退回】鹿泉区 2025年9月 报表有 2 处错误", "A3": "序号", "C4": "<&> \"引号\" 第一行\n第二行\r回车", "A5": "2", "C5": "12345.678",
		"C6": "县里填的 _x0041_ 原样，控制字符\x01"}
	for cell, v := range want {
		if got, _ := f.GetCellValue("回执", cell); got != v {
			t.Errorf("%s = %q, want %q", cell, got, v)
		}
	}
	style := func(cell string) *excelize.Style {
		id, _ := f.GetCellStyle("回执", cell)
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	if st := style("B4"); st.Font == nil || !st.Font.Bold || st.Font.Color != "C00000" {
		t.Errorf("error cell font %+v", st.Font)
	}
	if st := style("B5"); st.Font == nil || st.Font.Color != "C65911" {
		t.Errorf("warning cell font %+v", st.Font)
	}
	// (excelize reports fill colours only of workbooks with a theme part; openpyxl checks the fill below.)
	if st := style("A3"); st.Fill.Pattern != 1 || st.Alignment.Horizontal != "center" {
		t.Errorf("header style fill %+v alignment %+v", st.Fill, st.Alignment)
	}
	if st := style("C4"); st.Alignment == nil || !st.Alignment.WrapText {
		t.Errorf("wrapped cell alignment %+v", st.Alignment)
	}
	if m, _ := f.GetMergeCells("回执"); len(m) != 1 || m[0].GetStartAxis() != "A1" || m[0].GetEndAxis() != "C1" {
		t.Errorf("merged %v", m)
	}
	if w, _ := f.GetColWidth("回执", "C"); w != 70 {
		t.Errorf("width of C %v", w)
	}
	if h, _ := f.GetRowHeight("回执", 1); h != 48 {
		t.Errorf("height of row 1 %v", h)
	}
	if p, _ := f.GetPanes("回执"); !p.Freeze || p.YSplit != 3 {
		t.Errorf("panes %+v", p)
	}
	if d, _ := f.GetSheetDimension("回执"); d != "A1:C6" {
		t.Errorf("dimension %s", d)
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "plain.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	const script = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    out[ws.title] = {"cells": {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None},
        "freeze": ws.freeze_panes, "merged": [str(r) for r in ws.merged_cells.ranges], "bold": bool(ws["B4"].font.b),
        "fill": ws["A1"].fill.fgColor.rgb if ws.title == "与上一版比较" else ws["A3"].fill.fgColor.rgb}
json.dump(out, sys.stdout)
`
	out, err := exec.Command(tooltest.Python(t), "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	var got map[string]struct {
		Cells  map[string]any
		Freeze string
		Merged []string
		Bold   bool
		Fill   string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("openpyxl output: %v\n%s", err, out)
	}
	r := got["回执"]
	// (openpyxl leaves the _xHHHH_ escapes of C6 as they are; Excel, LibreOffice and excelize decode them.)
	if r.Cells["C4"] != want["C4"] || r.Cells["C5"] != 12345.678 || r.Freeze != "A4" || len(r.Merged) != 1 || r.Merged[0] != "A1:C1" || !r.Bold || r.Fill != "FFDDEBF7" {
		t.Errorf("openpyxl reads %+v", r)
	}
	if c := got["与上一版比较"]; c.Cells["B2"] != -0.5 || c.Freeze != "A2" {
		t.Errorf("openpyxl reads the second sheet %+v", c)
	}

	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatal("soffice not found: apt-get install libreoffice-calc-nogui (make test installs it when run as root)")
	}
	lo := filepath.Join(dir, "lo")
	cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "xlsx", "--outdir", lo, path)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	again, err := excelize.OpenFile(filepath.Join(lo, "plain.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	for cell, v := range want {
		switch cell {
		case "C4":
			v = strings.ReplaceAll(v, "\r", "\n") // LibreOffice turns a lone \r into a line break
		}
		if got, _ := again.GetCellValue("回执", cell); got != v {
			t.Errorf("LibreOffice: %s = %q, want %q", cell, got, v)
		}
	}
	if got, _ := again.GetCellValue("与上一版比较", "A2"); got != "营业收入" {
		t.Errorf("LibreOffice: second sheet A2 = %q", got)
	}
}

// BenchmarkWritePlain writes a receipt-sized plain workbook: for comparison, excelize takes about
// 3 ms to create and save the same.
func BenchmarkWritePlain(b *testing.B) {
	sheets := plainFixture()
	b.ReportAllocs()
	for b.Loop() {
		if err := xlsx.WritePlain(io.Discard, sheets); err != nil {
			b.Fatal(err)
		}
	}
}
