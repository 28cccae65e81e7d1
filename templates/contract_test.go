package templates_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"lingpao"
	"lingpao/internal/tooltest"
	"lingpao/templates"
)

func TestDescribe(t *testing.T) {
	cat := catalog(t)
	b, err := json.Marshal(templates.Describe(cat))
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Version string `json:"template_version"`
		Sheets  []struct {
			Name      string `json:"name"`
			Hidden    bool   `json:"hidden"`
			HeaderRow int    `json:"header_row"`
			CodeRow   int    `json:"code_row"`
			FirstRow  int    `json:"first_data_row"`
			Columns   []struct {
				Column, Code, Name, Unit, Type string
				Required                       bool
			} `json:"columns"`
			Cells []struct{ Column, Code string } `json:"cells"`
		} `json:"sheets"`
	}
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	type sheet struct {
		name                        string
		hidden                      bool
		header, code, first, ncells int
	}
	var got []sheet
	for _, s := range c.Sheets {
		got = append(got, sheet{s.Name, s.Hidden, s.HeaderRow, s.CodeRow, s.FirstRow, len(s.Columns) + len(s.Cells)})
	}
	nind := len(cat.ReturnIndicators())
	want := []sheet{{"填报说明", false, 0, 0, 0, 2}, {"集群指标", false, 2, 4, 5, 2 + nind + 1}, {"企业名录", false, 2, 3, 4, 12}, {"问题台账", false, 2, 3, 4, 8}, {"_meta", true, 0, 0, 0, 7}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(sheet{})); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	// Every return indicator is a column, with its code, name, unit and whether it is required.
	cols := map[string]int{}
	for i, col := range c.Sheets[1].Columns {
		cols[col.Code] = i
		if col.Column == "" || col.Name == "" || col.Type == "" {
			t.Errorf("column %+v incomplete", col)
		}
	}
	for _, ind := range cat.ReturnIndicators() {
		i, ok := cols[ind.Code]
		if !ok {
			t.Errorf("%s missing from the contract", ind.Code)
			continue
		}
		if col := c.Sheets[1].Columns[i]; col.Unit != ind.Unit || col.Required != ind.Required || col.Name != ind.Name {
			t.Errorf("%s: %+v", ind.Code, col)
		}
	}
	if c.Sheets[1].Columns[2].Column != "C" || c.Sheets[1].Columns[2].Code != "revenue_ytd" || c.Sheets[0].Cells[0].Column != templates.CellContact {
		t.Errorf("letters: %+v %+v", c.Sheets[1].Columns[2], c.Sheets[0].Cells[0])
	}
}

// inspectScript reports, through openpyxl, what Excel users get: sheet order and visibility,
// protection, locked and unlocked cells, drop-downs and numeric validations, frozen panes, hidden code
// rows, number formats and print setup.
const inspectScript = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames, "lock_structure": bool(wb.security and wb.security.lockStructure), "s": {}}
for ws in wb.worksheets:
    dvs = []
    for dv in ws.data_validations.dataValidation:
        dvs.append({"type": dv.type, "sqref": str(dv.sqref), "formula": dv.formula1, "error_style": dv.errorStyle})
    ps = ws.page_setup
    cells = {}
    for ref in sys.argv[2:]:
        sh, c = ref.split("!")
        if sh == ws.title:
            cell = ws[c]
            cells[c] = {"locked": cell.protection.locked, "format": cell.number_format, "value": cell.value}
    out["s"][ws.title] = {
        "state": ws.sheet_state, "protected": bool(ws.protection.sheet), "freeze": ws.freeze_panes,
        "hidden_rows": [r for r, d in ws.row_dimensions.items() if d.hidden],
        "paper": ps.paperSize, "orientation": ps.orientation, "fit_width": ps.fitToWidth, "fit_height": ps.fitToHeight,
        "fit": bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
        "print_title_rows": ws.print_title_rows, "print_title_cols": ws.print_title_cols,
        "validations": dvs, "cells": cells,
    }
print(json.dumps(out, ensure_ascii=False, default=str))
`

func TestTemplateAsExcelUsersSeeIt(t *testing.T) {
	python := tooltest.Python(t)
	cat := catalog(t)
	rev := 100.0
	roster := []lingpao.Enterprise{
		{Name: "元氏华恒装备有限公司", USCC: "91130132MA07L2XK3U", Cluster: "130132-01", Tags: []string{lingpao.TagLeader, lingpao.TagSRDI}, Revenue: &rev},
		{Name: "已撤销集群的企业", USCC: "91130132MA07L2XK3U", Cluster: "130199-01"},
		{Name: "元氏恒达医药有限公司", USCC: "123456789012345678", Cluster: "130132-02"},
	}
	path := filepath.Join(t.TempDir(), "t.xlsx")
	if err := os.WriteFile(path, template(t, cat, "元氏县", roster), 0o644); err != nil {
		t.Fatal(err)
	}
	refs := []string{"集群指标!A5", "集群指标!C5", "集群指标!E6", "集群指标!X5", "企业名录!A4", "企业名录!B4", "企业名录!C5", "企业名录!D5", "企业名录!E4", "企业名录!J4", "企业名录!B6", "填报说明!C3", "填报说明!C9"}
	out, err := exec.Command(python, append([]string{"-c", inspectScript, path}, refs...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	var got struct {
		Sheets []string `json:"sheets"`
		Lock   bool     `json:"lock_structure"`
		S      map[string]struct {
			State, Freeze, Orientation string
			Protected, Fit             bool
			HiddenRows                 []int `json:"hidden_rows"`
			Paper                      any
			FitWidth                   int                                     `json:"fit_width"`
			FitHeight                  int                                     `json:"fit_height"`
			PrintTitleRows             string                                  `json:"print_title_rows"`
			PrintTitleCols             string                                  `json:"print_title_cols"`
			Validations                []struct{ Type, Sqref, Formula string } `json:"validations"`
			Cells                      map[string]struct {
				Locked bool
				Format string
				Value  any
			}
		} `json:"s"`
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if !cmp.Equal(got.Sheets, []string{"填报说明", "集群指标", "企业名录", "问题台账", "_meta"}) || !got.Lock {
		t.Errorf("sheets %v, structure locked %v", got.Sheets, got.Lock)
	}
	for _, name := range got.Sheets {
		s := got.S[name]
		if !s.Protected {
			t.Errorf("%s is not protected", name)
		}
		if name == "_meta" {
			if s.State != "veryHidden" { // not even Excel's "unhide" lists it
				t.Errorf("_meta is %s", s.State)
			}
			continue
		}
		if s.Orientation != "landscape" || !s.Fit || s.FitWidth < 1 || (name == "填报说明" && s.FitHeight != 1) {
			t.Errorf("%s print setup: %+v", name, s)
		}
		if p, _ := s.Paper.(float64); p != 9 && s.Paper != "9" {
			t.Errorf("%s paper %v, want A4 (9)", name, s.Paper)
		}
	}
	cl, ro, is := got.S["集群指标"], got.S["企业名录"], got.S["问题台账"]
	if cl.Freeze != "C5" || ro.Freeze != "C4" || is.Freeze != "A4" {
		t.Errorf("frozen panes %s %s %s", cl.Freeze, ro.Freeze, is.Freeze)
	}
	if !cmp.Equal(cl.HiddenRows, []int{4}) || !cmp.Equal(ro.HiddenRows, []int{3}) || !cmp.Equal(is.HiddenRows, []int{3}) {
		t.Errorf("hidden code rows %v %v %v", cl.HiddenRows, ro.HiddenRows, is.HiddenRows)
	}
	if cl.FitWidth != 2 || cl.PrintTitleCols != "$A:$B" || cl.PrintTitleRows != "$2:$3" || ro.PrintTitleRows != "$1:$2" {
		t.Errorf("cluster sheet prints %d wide with titles %s %s; roster titles %s", cl.FitWidth, cl.PrintTitleCols, cl.PrintTitleRows, ro.PrintTitleRows)
	}
	// Prefilled cells are locked (grey), inputs unlocked; credit codes are text, figures blank.
	locked := map[string]bool{"A5": true, "C5": false, "E6": false, "X5": false}
	for ref, want := range locked {
		if c := cl.Cells[ref]; c.Locked != want {
			t.Errorf("集群指标!%s locked = %v, want %v", ref, c.Locked, want)
		}
	}
	if c := got.S["填报说明"].Cells; !c["C3"].Locked || c["C9"].Locked {
		t.Errorf("guide: C3 locked %v, C9 locked %v", c["C3"].Locked, c["C9"].Locked)
	}
	wantRoster := map[string]any{"A4": 1.0, "B4": "元氏华恒装备有限公司", "C5": "123456789012345678", "D5": "元氏医药化工", "E4": "是", "J4": nil, "B6": nil}
	for ref, want := range wantRoster {
		c := ro.Cells[ref]
		if c.Value != want {
			t.Errorf("企业名录!%s = %v, want %v (the enterprise of a cluster the county no longer has is left out)", ref, c.Value, want)
		}
		if c.Value != nil && c.Locked {
			t.Errorf("企业名录!%s is locked", ref)
		}
	}
	if ro.Cells["C5"].Format != "@" {
		t.Errorf("credit codes formatted %q, want text (@)", ro.Cells["C5"].Format)
	}
	// Drop-downs: tags, the county's clusters, issue categories and states; numeric ranges for figures.
	has := func(vs []struct{ Type, Sqref, Formula string }, typ, sqrefPrefix, formulaPart string) bool {
		for _, v := range vs {
			if v.Type == typ && strings.HasPrefix(v.Sqref, sqrefPrefix) && strings.Contains(v.Formula, formulaPart) {
				return true
			}
		}
		return false
	}
	checks := []struct {
		sheet                  string
		vs                     []struct{ Type, Sqref, Formula string }
		typ, sqref, formulaHas string
	}{
		{"集群指标", cl.Validations, "decimal", "C5:C6", "0"},
		{"集群指标", cl.Validations, "whole", "E5:E6", "0"},
		{"企业名录", ro.Validations, "list", "D4:D20003", "元氏装备制造,元氏医药化工"},
		{"企业名录", ro.Validations, "list", "E4:E20003", "是"},
		{"企业名录", ro.Validations, "decimal", "J4:J20003", "0"},
		{"问题台账", is.Validations, "list", "C4:C1003", "要素保障"},
		{"问题台账", is.Validations, "list", "F4:F1003", "办结销号"},
	}
	for _, c := range checks {
		if !has(c.vs, c.typ, c.sqref, c.formulaHas) {
			t.Errorf("%s: no %s validation on %s with %q in %+v", c.sheet, c.typ, c.sqref, c.formulaHas, c.vs)
		}
	}
}

// TestTemplateRendersInLibreOffice prints the template through LibreOffice and reads the PDF back:
// every sheet prints, with its title, headers, prefilled clusters and page numbers.
func TestTemplateRendersInLibreOffice(t *testing.T) {
	tooltest.Need(t, "soffice", "libreoffice-calc-nogui")
	tooltest.Need(t, "pdftotext", "poppler-utils")
	dir := t.TempDir()
	path := filepath.Join(dir, "t.xlsx")
	if err := os.WriteFile(path, template(t, catalog(t), "元氏县", nil), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("soffice", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--convert-to", "pdf", "--outdir", dir, path).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	txt, err := exec.Command("pdftotext", "-enc", "UTF-8", filepath.Join(dir, "t.pdf"), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(string(txt)), "")
	for _, want := range []string{"元氏县2025年9月县域特色产业集群月度报表", "填报人（必填）", "元氏装备制造", "元氏医药化工", "集群营业收入（本年累计）＊", "备注（情况说明）", "统一社会信用代码＊", "问题描述＊", "第1页，共5页", "第5页，共5页"} {
		if !strings.Contains(flat, want) {
			t.Errorf("printed template lacks %q", want)
		}
	}
}
