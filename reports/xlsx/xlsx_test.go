package xlsx_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"lingpao"
	"lingpao/internal/tooltest"
	"lingpao/reports"
	"lingpao/reports/reportstest"
	"lingpao/reports/xlsx"
)

// readBack is what openpyxl reads from a workbook: sheets, the 总览 rows by indicator, the actual
// figure of every unit in every indicator block, and the setup of each sheet.
const readBack = `
import json, sys, warnings, openpyxl
warnings.simplefilter("ignore")
wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames, "title": wb.properties.title, "creator": wb.properties.creator,
       "overview": {}, "blocks": {}, "charts": {}, "cf": {}, "freeze": {}, "landscape": {}, "fit": {}, "titles": {}, "rows": {}}
ws = wb["总览"]
for r in ws.iter_rows(min_row=5, values_only=True):
    if r[0] and r[7]:
        out["overview"][r[0]] = list(r[:8])
for ws in wb.worksheets:
    out["charts"][ws.title] = len(ws._charts)
    out["cf"][ws.title] = sum(len(c.rules) for c in ws.conditional_formatting)
    out["freeze"][ws.title] = ws.freeze_panes
    out["landscape"][ws.title] = ws.page_setup.orientation
    out["fit"][ws.title] = [ws.page_setup.fitToWidth, ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None]
    out["titles"][ws.title] = ws.print_title_rows
    out["rows"][ws.title] = ws.max_row
    rows = list(ws.iter_rows(values_only=True))
    for i, r in enumerate(rows):
        if i > 0 and r and r[0] == "县（市、区）" and len(r) > 2 and r[1] == "目标":
            block = {}
            for d in rows[i+1:]:
                if not d or d[0] is None:
                    break
                block[d[0]] = d[2]
            out["blocks"][ws.title + "/" + rows[i-1][0]] = block
    if ws.title == "考核得分":
        for i, r in enumerate(rows):
            if r and r[0] == "名次":
                head = list(r)
                out["scores"] = {d[1]: d[head.index("总分")] for d in rows[i+1:] if d and d[1]}
    if ws.title == "同比情况":
        out["yoy"] = {r[0]: [r[2], r[3]] for r in rows[3:] if r and r[0] and r[1]}
print(json.dumps(out, ensure_ascii=False, default=str))
`

type readBackResult struct {
	Sheets    []string                  `json:"sheets"`
	Title     string                    `json:"title"`
	Creator   string                    `json:"creator"`
	Overview  map[string][]any          `json:"overview"`
	Blocks    map[string]map[string]any `json:"blocks"`
	Charts    map[string]int            `json:"charts"`
	CF        map[string]int            `json:"cf"`
	Freeze    map[string]*string        `json:"freeze"`
	Landscape map[string]string         `json:"landscape"`
	Fit       map[string][]any          `json:"fit"`
	Titles    map[string]*string        `json:"titles"`
	Rows      map[string]int            `json:"rows"`
	Scores    map[string]float64        `json:"scores"`
	YoY       map[string][]any          `json:"yoy"`
}

func openpyxl(t *testing.T, path string) readBackResult {
	t.Helper()
	out, err := exec.Command(tooltest.Python(t), "-c", readBack, path).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl cannot read %s: %v\n%s", filepath.Base(path), err, out)
	}
	var r readBackResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	return r
}

// number reads a figure as openpyxl gives it: a number, or the text of a placeholder.
func number(v any) (float64, bool) {
	f, ok := v.(float64)
	return f, ok
}

func write(t *testing.T, name string, fn func(*os.File) error) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := fn(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("LINGPAO_XLSX_OUT"); dir != "" {
		b, _ := os.ReadFile(path)
		os.WriteFile(filepath.Join(dir, name), b, 0o644)
	}
	return path
}

// checkMonthly compares what openpyxl read with the content: every headline total on the 总览, and
// every unit's actual figure in every indicator block; and the sheets' setup.
func checkMonthly(t *testing.T, got readBackResult, m *reports.Monthly, title string) {
	t.Helper()
	for _, want := range []string{"总览", "集群情况", "综合排名", "督办清单", "报送情况", "问题台账", "企业名录", "数据来源"} {
		found := false
		for _, s := range got.Sheets {
			found = found || s == want
		}
		if !found {
			t.Errorf("sheet %s missing: %v", want, got.Sheets)
		}
	}
	if got.Title != title || !strings.Contains(got.Creator, "工业和信息化局") {
		t.Errorf("document properties: %q by %q", got.Title, got.Creator)
	}
	for _, tb := range m.Headline {
		row := got.Overview[tb.Indicator.Name]
		if len(row) < 8 {
			t.Errorf("总览 lacks %s", tb.Indicator.Name)
			continue
		}
		if v, ok := number(row[3]); !ok || math.Abs(v-round(tb.Total.A.Actual.Value, tb.Indicator.Decimals)) > 1e-9 {
			t.Errorf("总览 %s actual %v, want %v", tb.Indicator.Name, row[3], tb.Total.A.Actual.Value)
		}
		if row[7] != tb.Total.A.Status.Label() {
			t.Errorf("总览 %s status %v, want %s", tb.Indicator.Name, row[7], tb.Total.A.Status.Label())
		}
	}
	checked := 0
	for _, g := range m.Groups {
		for _, tb := range g.Tables {
			ind := tb.Indicator
			block := got.Blocks[g.Name+"/"+fmt.Sprintf("%s（%s，%s）", ind.Name, ind.Unit, ind.Kind.Label())]
			if block == nil {
				t.Errorf("no block for %s on sheet %s", ind.Name, g.Name)
				continue
			}
			for _, r := range append([]reports.Row{tb.Total}, tb.Rows...) {
				v := block[r.Name]
				if !r.A.Actual.OK {
					if v != "未报送" {
						t.Errorf("%s %s: %v, want 未报送", ind.Name, r.Name, v)
					}
					continue
				}
				if f, ok := number(v); !ok || math.Abs(f-round(r.A.Actual.Value, ind.Decimals)) > 1e-9 {
					t.Errorf("%s %s: %v, want %v", ind.Name, r.Name, v, r.A.Actual.Value)
				}
				checked++
			}
		}
		charts := 0
		for _, tb := range g.Tables {
			if tb.HasCountyTargets() {
				charts++
			}
		}
		if got.Charts[g.Name] != charts {
			t.Errorf("sheet %s has %d charts, want one per indicator with county targets (%d)", g.Name, got.Charts[g.Name], charts)
		}
		if got.CF[g.Name] == 0 || got.Freeze[g.Name] == nil || got.Landscape[g.Name] != "landscape" || got.Titles[g.Name] == nil {
			t.Errorf("sheet %s setup: %d conditional formats, freeze %v, %s, print titles %v", g.Name, got.CF[g.Name], got.Freeze[g.Name], got.Landscape[g.Name], got.Titles[g.Name])
		}
		if fit := got.Fit[g.Name]; len(fit) != 2 || fit[0] != float64(1) || fit[1] != true {
			t.Errorf("sheet %s is not fit to one page wide: %v", g.Name, fit)
		}
	}
	if checked < 100 {
		t.Errorf("only %d figures compared", checked)
	}
	if got.Rows["企业名录"] != 2+len(m.Roster) {
		t.Errorf("企业名录 has %d rows, want %d", got.Rows["企业名录"], 2+len(m.Roster))
	}
	if fit := got.Fit["企业名录"]; got.Landscape["企业名录"] != "landscape" || got.Titles["企业名录"] == nil || got.Freeze["企业名录"] == nil || len(fit) != 2 || fit[1] != true {
		t.Errorf("the streamed 企业名录 lost its setup: %s, print titles %v, freeze %v, fit %v", got.Landscape["企业名录"], got.Titles["企业名录"], got.Freeze["企业名录"], fit)
	}
}

func round(v float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(v*p) / p
}

func TestMonthlyWorkbook(t *testing.T) {
	fx := reportstest.New(t, lingpao.MonthOf(2025, 9))
	m := reports.BuildMonthly(fx.Input(lingpao.MonthOf(2025, 9)))
	path := write(t, "monthly.xlsx", func(f *os.File) error { return xlsx.WriteMonthly(f, m) })
	checkMonthly(t, openpyxl(t, path), m, m.Title)
}

func TestHalfYearWorkbook(t *testing.T) {
	fx := reportstest.New(t, lingpao.MonthOf(2025, 6))
	in := fx.Input(lingpao.Period{Year: 2025, Kind: lingpao.Half, N: 1})
	m, h := reports.BuildMonthly(in), reports.BuildHalfYear(in)
	path := write(t, "half.xlsx", func(f *os.File) error { return xlsx.WriteHalfYear(f, m, h) })
	got := openpyxl(t, path)
	checkMonthly(t, got, m, h.Title)
	if len(got.YoY) == 0 {
		t.Fatal("no 同比情况 sheet")
	}
	for _, r := range h.YoY {
		row := got.YoY[r.Indicator.Name]
		if len(row) != 2 {
			t.Errorf("同比 lacks %s", r.Indicator.Name)
			continue
		}
		if v, ok := number(row[1]); r.Last.OK && (!ok || math.Abs(v-round(r.Last.Value, r.Indicator.Decimals)) > 1e-9) {
			t.Errorf("同比 %s last year %v, want %v", r.Indicator.Name, row[1], r.Last.Value)
		}
	}
}

// TestAnnualWorkbook reads the 年终考核 workbook with openpyxl and, sheet by sheet, with LibreOffice.
func TestAnnualWorkbook(t *testing.T) {
	fx := reportstest.New(t, lingpao.MonthOf(2024, 12))
	in := fx.Input(lingpao.Period{Year: 2024, Kind: lingpao.Year})
	m, a := reports.BuildMonthly(in), reports.BuildAnnual(in)
	path := write(t, "annual.xlsx", func(f *os.File) error { return xlsx.WriteAnnual(f, m, a) })
	got := openpyxl(t, path)
	checkMonthly(t, got, m, a.Title)
	if got.Sheets[0] != "考核得分" || len(got.Scores) != len(a.Scores) {
		t.Fatalf("考核得分: sheets %v, %d scores", got.Sheets, len(got.Scores))
	}
	for _, s := range a.Scores {
		if math.Abs(got.Scores[s.Name]-round(s.Total, 2)) > 1e-9 {
			t.Errorf("考核得分 %s %v, want %v", s.Name, got.Scores[s.Name], s.Total)
		}
	}

	// LibreOffice opens it (no repair dialog in headless mode: it would fail the conversion) and
	// writes every sheet as CSV; the figures are the same.
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Fatal("soffice not found: apt-get install libreoffice-calc-nogui (make test installs it when run as root)")
	}
	out := t.TempDir()
	cmd := exec.Command(soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(out, "profile"),
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", path, "--outdir", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	sheets := map[string][][]string{}
	for _, name := range got.Sheets {
		f, err := os.Open(filepath.Join(out, "annual-"+name+".csv"))
		if err != nil {
			t.Fatalf("LibreOffice wrote no CSV for sheet %s: %v", name, err)
		}
		rows, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatalf("sheet %s: %v", name, err)
		}
		sheets[name] = rows
	}
	for _, tb := range m.Headline {
		found := false
		for _, r := range sheets["总览"] {
			if len(r) > 3 && r[0] == tb.Indicator.Name {
				found = true
				if v, err := strconv.ParseFloat(strings.ReplaceAll(r[3], ",", ""), 64); err != nil || math.Abs(v-round(tb.Total.A.Actual.Value, tb.Indicator.Decimals)) > 1e-9 {
					t.Errorf("LibreOffice 总览 %s: %q, want %v", tb.Indicator.Name, r[3], tb.Total.A.Actual.Value)
				}
			}
		}
		if !found {
			t.Errorf("LibreOffice 总览 lacks %s", tb.Indicator.Name)
		}
	}
	totals := 0
	for _, r := range sheets["考核得分"] {
		for _, s := range a.Scores {
			if len(r) > 1 && r[1] == s.Name {
				totals++
			}
		}
	}
	if totals != len(a.Scores) {
		t.Errorf("LibreOffice 考核得分 shows %d of %d counties", totals, len(a.Scores))
	}
	if n := len(sheets["企业名录"]); n != 2+len(m.Roster) {
		t.Errorf("LibreOffice 企业名录 has %d rows, want %d", n, 2+len(m.Roster))
	}
}

// BenchmarkMonthlyWorkbook builds and writes the 月调度表 of a 24-county city.
func BenchmarkMonthlyWorkbook(b *testing.B) {
	fx := reportstest.New(b, lingpao.MonthOf(2025, 9))
	in := fx.Input(lingpao.MonthOf(2025, 9))
	b.ReportAllocs()
	for b.Loop() {
		if err := xlsx.WriteMonthly(discard{}, reports.BuildMonthly(in)); err != nil {
			b.Fatal(err)
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// BenchmarkProvinceRoster writes a monthly workbook whose merged 企业名录 has 20,000 enterprises, as a
// province's would: the roster is streamed.
func BenchmarkProvinceRoster(b *testing.B) {
	fx := reportstest.New(b, lingpao.MonthOf(2025, 9))
	m := reports.BuildMonthly(fx.Input(lingpao.MonthOf(2025, 9)))
	rev := 12345.67
	for i := range 20000 {
		m.Roster = append(m.Roster, reports.RosterLine{County: "鹿泉区", Cluster: "鹿泉电子信息", Enterprise: lingpao.Enterprise{
			Name: fmt.Sprintf("鹿泉恒瑞第%d科技有限公司", i), USCC: "91130110MA0000000X", Tags: []string{lingpao.TagSRDI}, Revenue: &rev, RnD: &rev, Row: 4 + i}})
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := xlsx.WriteMonthly(discard{}, m); err != nil {
			b.Fatal(err)
		}
	}
}
