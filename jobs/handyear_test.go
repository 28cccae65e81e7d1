package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/internal/tooltest"
	"lingpao/jobs"
	"lingpao/sqlite"
	"lingpao/templates"
)

// The hand-computed year: a city of three counties with two clusters each, returns from December
// 2024 to December 2025 filed through the inbox, and every figure of the reports made from them
// checked against figures worked out by hand below — read back from the workbooks with openpyxl and
// from the PDF with pdftotext.
//
// 鹿泉区 (A: 鹿泉电子信息 A1, 鹿泉装备制造 A2), 栾城区 (B: 栾城装备制造 B1, 栾城生物医药 B2), 元氏县 (C:
// 元氏装备制造 C1, 元氏医药化工 C2). In month n of 2025 (n = 0 is December 2024):
//
//	专精特新中小企业数 (stock)      A1 16+n  A2 16   B1 17+n  B2 17   C1 14+n  C2 14
//	新增发明专利 (YTD, 2025)        A1 3n    A2 2n   B1 2n    B2 2n   C1 n     C2 n     (Dec 2024: 30 20 20 20 10 10)
//	集群营业收入 (YTD, 亿元)        A1 10.8n A2 5.4n B1 11n   B2 10n  C1 10.9n C2 10.9n (Dec 2024: 120 each, 60 for A2)
//	上年同期营业收入                A1 10n   A2 5n   B1 10n   B2 10n  C1 10n   C2 10n   (2025 only)
//	使用数字化研发设计工具 / 规上     A1 6/10  A2 5/10 B1 8/10  B2 100/1000 C1 5/10 C2 5/10 (every month)
//
// Targets (targets.yaml of the workspace): 专精特新 city 60 by 2023 → 132 by 2025, allocated 20 → 44 to
// each county (each county and the city measured from its 2023 figure, a 24-month line from
// 2024-01-01: 序时进度 (12+n)/24); 新增发明专利 120 in 2025, allocated A 60, B 60, C 0 (no task);
// 数字化研发设计工具普及率 50% (a rate: every county held to it); 集群营业收入增速 8% (2025).
//
// The edge cases: 1–2月合并 is on and only 栾城区 files January; 栾城区 sends no August return;
// 元氏县 leaves 元氏医药化工's 专精特新 blank in September; 栾城生物医药 has a denominator a hundred
// times the others'; 元氏县 is allocated no patents; 鹿泉区 corrects its September return after the
// report went out.
var (
	handA = [2]string{"130110-91", "130110-92"}
	handB = [2]string{"130111-91", "130111-92"}
	handC = [2]string{"130132-91", "130132-92"}
)

const handClusters = `clusters:
  - {code: 130110-91, name: 鹿泉电子信息, org: "130110", industry: 电子信息, example: true}
  - {code: 130110-92, name: 鹿泉装备制造, org: "130110", industry: 装备制造, example: true}
  - {code: 130111-91, name: 栾城装备制造, org: "130111", industry: 装备制造, example: true}
  - {code: 130111-92, name: 栾城生物医药, org: "130111", industry: 生物医药, example: true}
  - {code: 130132-91, name: 元氏装备制造, org: "130132", industry: 装备制造, example: true}
  - {code: 130132-92, name: 元氏医药化工, org: "130132", industry: 医药化工, example: true}
`

const handOrgs = `units:
  - {code: "130000", name: 河北省, level: province, type: 省, code_scheme: GB/T 2260}
  - {code: "130100", name: 石家庄市, level: city, parent: "130000", type: 市, code_scheme: GB/T 2260}
  - {code: "130110", name: 鹿泉区, level: county, parent: "130100", type: 区, code_scheme: GB/T 2260}
  - {code: "130111", name: 栾城区, level: county, parent: "130100", type: 区, code_scheme: GB/T 2260}
  - {code: "130132", name: 元氏县, level: county, parent: "130100", type: 县, code_scheme: GB/T 2260}
`

const handTargets = `targets:
  - {id: h-srdi-2023, org: "130100", indicator: srdi_sme, form: milestone, comparison: reach, value: 60, due: 2023-12-31, doc: sjz2022, clause: 一、主要目标, text: 2023年专精特新中小企业达到60家}
  - {id: h-srdi-2025, org: "130100", indicator: srdi_sme, form: milestone, comparison: reach, value: 132, due: 2025-12-31, doc: sjz2022, clause: 一、主要目标, text: 2025年专精特新中小企业达到132家}
  - {id: h-patents, org: "130100", indicator: invention_patents_new, form: annual, comparison: reach, value: 120, from_year: 2025, to_year: 2025, due: 2025-12-31, doc: sjz2022, clause: 二、（二）1, text: 2025年新增发明专利120件}
  - {id: h-digital, org: "130100", indicator: digital_rd_rate, form: rate, comparison: reach, value: 50, due: 2025-12-31, doc: sjz2022, clause: 二、（三）1, text: 数字化研发设计工具普及率达到50%}
  - {id: h-growth, org: "130100", indicator: revenue_growth, form: growth, comparison: reach, value: 8, from_year: 2025, to_year: 2025, due: 2025-12-31, doc: sjz2025, clause: 一、发展目标, text: 集群营业收入增长8%}
`

const handAllocation = `allocations:
  - basis: h-srdi-2023
    shares: [{org: 鹿泉区, value: 20}, {org: 栾城区, value: 20}, {org: 元氏县, value: 20}]
  - basis: h-srdi-2025
    shares: [{org: 鹿泉区, value: 44}, {org: 栾城区, value: 44}, {org: 元氏县, value: 44}]
  - basis: h-patents
    year: 2025
    shares: [{org: 鹿泉区, value: 60}, {org: 栾城区, value: 60}, {org: 元氏县, value: 0}]
`

// handValues are the cells of a county's return for month m, by cluster and indicator.
func handValues(org string, m lingpao.Period) map[string]map[string]float64 {
	n := float64(m.N)
	if m.Year == 2024 {
		n = 0
	}
	r2 := func(v float64) float64 { return math.Round(v*100) / 100 }
	out := map[string]map[string]float64{}
	set := func(cl string, kv map[string]float64) { out[cl] = kv }
	dec := m.Year == 2024
	ytd := func(v2025, v2024 float64) float64 {
		if dec {
			return v2024
		}
		return v2025
	}
	rev := func(per float64, dec2024 float64) float64 { return r2(ytd(per*n, dec2024)) }
	switch org {
	case "130110":
		set(handA[0], map[string]float64{"srdi_sme": 16 + n, "invention_patents_new": ytd(3*n, 30), "revenue_ytd": rev(10.8, 120), "revenue_ytd_ly": 10 * n, "digital_rd_users": 6, "above_scale": 10})
		set(handA[1], map[string]float64{"srdi_sme": 16, "invention_patents_new": ytd(2*n, 20), "revenue_ytd": rev(5.4, 60), "revenue_ytd_ly": 5 * n, "digital_rd_users": 5, "above_scale": 10})
	case "130111":
		set(handB[0], map[string]float64{"srdi_sme": 17 + n, "invention_patents_new": ytd(2*n, 20), "revenue_ytd": rev(11, 120), "revenue_ytd_ly": 10 * n, "digital_rd_users": 8, "above_scale": 10})
		set(handB[1], map[string]float64{"srdi_sme": 17, "invention_patents_new": ytd(2*n, 20), "revenue_ytd": rev(10, 120), "revenue_ytd_ly": 10 * n, "digital_rd_users": 100, "above_scale": 1000})
	case "130132":
		set(handC[0], map[string]float64{"srdi_sme": 14 + n, "invention_patents_new": ytd(n, 10), "revenue_ytd": rev(10.9, 120), "revenue_ytd_ly": 10 * n, "digital_rd_users": 5, "above_scale": 10})
		set(handC[1], map[string]float64{"srdi_sme": 14, "invention_patents_new": ytd(n, 10), "revenue_ytd": rev(10.9, 120), "revenue_ytd_ly": 10 * n, "digital_rd_users": 5, "above_scale": 10})
	}
	for _, kv := range out {
		if dec {
			delete(kv, "revenue_ytd_ly") // no last-year column in the first month
		}
	}
	return out
}

// handWorkspace is a workspace of the hand-computed city.
type handWorkspace struct {
	t     *testing.T
	dir   string
	w     *jobs.Workspace
	clock time.Time
	cols  map[string]string
}

func newHandWorkspace(t *testing.T) *handWorkspace {
	t.Helper()
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "ws")
	if _, err := jobs.Init(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "seeds"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"orgs.yaml": handOrgs, "clusters.yaml": handClusters, "targets.yaml": handTargets, "allocation_example.yaml": handAllocation} {
		if err := os.WriteFile(filepath.Join(dir, "seeds", name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	w, err := jobs.Open(ctx, dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	h := &handWorkspace{t: t, dir: dir, w: w, cols: map[string]string{}}
	w.Now = func() time.Time { return h.clock }
	for _, s := range templates.Describe(w.Catalog).Sheets {
		if s.Name == templates.SheetClusters {
			for _, c := range s.Columns {
				h.cols[c.Code] = c.Letter
			}
		}
	}
	return h
}

// drop files county org's return for month m at time at (file name name), with the cells of vals,
// and ingests it.
func (h *handWorkspace) drop(org string, m lingpao.Period, at time.Time, name string, vals map[string]map[string]float64) {
	t := h.t
	t.Helper()
	u, _ := h.w.Catalog.Tree.Unit(org)
	var tpl bytes.Buffer
	spec := templates.Spec{Org: u, Period: m, Deadline: h.w.Deadline(m), Generated: m.End(), Secret: h.w.Config.Secret, IssuingUnit: h.w.Config.IssuingUnit}
	if err := templates.Generate(&tpl, h.w.Catalog, spec); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&tpl)
	if err != nil {
		t.Fatal(err)
	}
	f.SetCellValue(templates.SheetGuide, templates.CellContact, "张明")
	f.SetCellValue(templates.SheetGuide, templates.CellPhone, "0311-86000000")
	for i, cl := range h.w.Catalog.ClustersOf(org) {
		for code, v := range vals[cl.Code] {
			col, ok := h.cols[code]
			if !ok {
				t.Fatalf("no column for %s", code)
			}
			f.SetCellValue(templates.SheetClusters, fmt.Sprintf("%s%d", col, 5+i), v)
		}
	}
	var out bytes.Buffer
	if _, err := f.WriteTo(&out); err != nil {
		t.Fatal(err)
	}
	f.Close()
	path := filepath.Join(h.dir, lingpao.InboxDir, u.Name, name)
	if err := lingpao.WriteFileBytesAtomic(path, out.Bytes()); err != nil {
		t.Fatal(err)
	}
	h.clock = at
	ing := h.w.Ingester()
	for range 2 {
		res, err := ing.Poll(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			if r.Submission.Status != lingpao.SubAccepted {
				t.Fatalf("%s rejected: %s %+v", name, r.Submission.Reason, r.Submission.Findings)
			}
		}
	}
}

// month files every county's return of month m, on the deadline day at 10:00, but those skip names.
func (h *handWorkspace) month(m lingpao.Period, skip ...string) {
	at := h.w.Deadline(m).Add(10 * time.Hour)
	for _, org := range []string{"130110", "130111", "130132"} {
		name := h.w.Catalog.Tree.Name(org)
		if contains(skip, name) {
			continue
		}
		vals := handValues(org, m)
		if org == "130132" && m == lingpao.MonthOf(2025, 9) {
			delete(vals[handC[1]], "srdi_sme") // 元氏医药化工 leaves 专精特新 blank
		}
		h.drop(org, m, at, fmt.Sprintf("%s_%s.xlsx", m, name), vals)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// sheets reads every sheet of the workbook at path with openpyxl: rows of cells as text, numbers in
// their shortest form (0.847, -2.8, 12), empty cells "" and empty trailing rows dropped.
func sheets(t *testing.T, path string) map[string][][]string {
	t.Helper()
	py := tooltest.Python(t)
	script := `
import json, sys, openpyxl, warnings
warnings.simplefilter("ignore")
wb = openpyxl.load_workbook(sys.argv[1], data_only=True)
out = {}
for ws in wb.worksheets:
    rows = []
    for row in ws.iter_rows(values_only=True):
        cells = []
        for v in row:
            if v is None: cells.append("")
            elif isinstance(v, bool): cells.append(str(v))
            elif isinstance(v, (int, float)):
                cells.append(str(int(v)) if float(v).is_integer() else repr(float(v)))
            else: cells.append(str(v))
        while cells and cells[-1] == "": cells.pop()
        rows.append(cells)
    while rows and not rows[-1]: rows.pop()
    out[ws.title] = rows
print(json.dumps(out, ensure_ascii=False))
`
	b, err := exec.Command(py, "-c", script, path).Output()
	if err != nil {
		t.Fatalf("openpyxl %s: %v", path, err)
	}
	var out map[string][][]string
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// block returns the rows of sheet from the row whose first cell is title, for n rows.
func block(t *testing.T, rows [][]string, title string, n int) [][]string {
	t.Helper()
	for i, r := range rows {
		if len(r) > 0 && r[0] == title {
			if i+n > len(rows) {
				t.Fatalf("block %q runs past the sheet", title)
			}
			return rows[i : i+n]
		}
	}
	t.Fatalf("no block %q", title)
	return nil
}

// sameRows compares rows of cells with the wanted ones, cell by cell.
func sameRows(t *testing.T, what string, got, want [][]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: %d rows, want %d:\n%s", what, len(got), len(want), show(got))
		return
	}
	for i := range want {
		if strings.Join(trim(got[i]), " | ") != strings.Join(trim(want[i]), " | ") {
			t.Errorf("%s row %d:\n got %s\nwant %s", what, i+1, strings.Join(got[i], " | "), strings.Join(want[i], " | "))
		}
	}
}

func show(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, " | ") + "\n")
	}
	return b.String()
}

func row(cells ...string) []string { return cells }

// The notes under the sheets' titles and the status rule, as the workbooks print them.
const handRule = "注：完成率＝实际÷目标（里程碑目标按自基数起的增量计）；状态按“完成率−序时进度”（百分点，保留一位小数、四舍五入）判定：高于+5为超序时，−5至+5（含）为基本同步，低于−5但不低于−15为滞后，低于−15为严重滞后；增速、比率类指标的序时进度为100%，另列“实际−目标”；任一集群未填报的指标为未报送，不排名、不计分"

var groupHeadRow = row("县（市、区）", "目标", "实际", "完成率", "序时进度", "完成率−序时进度（百分点）", "状态", "排名", "升降")

func rateHead() []string {
	return append(append([]string(nil), groupHeadRow...), "实际−目标（百分点）")
}

// TestHandComputedYear checks every figure of the 月调度表 of September 2025 (第1版 and, after a
// late correction, 第2版), the 季度通报 of 2025Q3 (workbook and PDF) and the 月调度表 of January
// 2025 against the hand-computed figures of the city above; that a printed cut-off regenerates its
// edition byte for byte; that an earlier cut-off gives its edition or a clear refusal; and that
// `explain` traces a figure to its cells.
func TestHandComputedYear(t *testing.T) {
	tooltest.Need(t, "pdftotext", "poppler-utils")
	ctx := context.Background()
	h := newHandWorkspace(t)
	w := h.w
	h.month(lingpao.MonthOf(2024, 12))
	h.month(lingpao.MonthOf(2025, 1), "鹿泉区", "元氏县") // 1–2月合并: only 栾城区 files January

	// ---- January 2025, made on 12 February: 1–2月合并 ----
	h.clock = time.Date(2025, 2, 12, 9, 0, 0, 0, lingpao.Beijing)
	jan := lingpao.MonthOf(2025, 1)
	paths, err := w.GenerateReport(ctx, jobs.ReportRequest{Kind: jobs.Monthly, Period: jan})
	if err != nil {
		t.Fatal(err)
	}
	checkJanuary(t, sheets(t, paths[0]))

	for n := 2; n <= 9; n++ {
		if n == 8 {
			h.month(lingpao.MonthOf(2025, n), "栾城区") // 栾城区 sends no August return
			continue
		}
		h.month(lingpao.MonthOf(2025, n))
	}

	// ---- September 2025, made on 15 October at 09:00:07 ----
	sep, q3 := lingpao.MonthOf(2025, 9), lingpao.Period{Year: 2025, Kind: lingpao.Quarter, N: 3}
	h.clock = time.Date(2025, 10, 15, 9, 0, 7, 0, lingpao.Beijing)
	monthly, err := w.GenerateReport(ctx, jobs.ReportRequest{Kind: jobs.Monthly, Period: sep})
	if err != nil {
		t.Fatal(err)
	}
	quarterly, err := w.GenerateReport(ctx, jobs.ReportRequest{Kind: jobs.Quarterly, Period: q3})
	if err != nil {
		t.Fatal(err)
	}
	book1, pdf1, qbook1 := read(t, monthly[0]), read(t, quarterly[0]), read(t, quarterly[1])
	ms := sheets(t, monthly[0])
	checkSeptember(t, ms, "2025年9月", false)
	checkSeptember(t, sheets(t, quarterly[1]), "2025年第三季度", false)
	checkBulletin(t, quarterly[0])

	// The printed cut-off, to the second, regenerates the same edition byte for byte.
	if !strings.Contains(ms["数据来源"][len(ms["数据来源"])-1][0], "--cutoff 2025-10-15T09:00:07") &&
		!strings.Contains(strings.Join(flatten(ms["数据来源"]), ""), "--cutoff 2025-10-15T09:00:07") {
		t.Error("数据来源 does not say how to regenerate the edition with its cut-off")
	}
	h.clock = time.Date(2025, 10, 15, 9, 30, 0, 0, lingpao.Beijing)
	printed := time.Date(2025, 10, 15, 9, 0, 7, 0, lingpao.Beijing)
	again, err := w.GenerateReport(ctx, jobs.ReportRequest{Kind: jobs.Quarterly, Period: q3, CutOff: printed})
	if err != nil || again[0] != quarterly[0] || !bytes.Equal(read(t, again[0]), pdf1) || !bytes.Equal(read(t, again[1]), qbook1) {
		t.Errorf("the printed cut-off does not regenerate the edition byte for byte: %v %v", again, err)
	}
	// An earlier cut-off with the same figures is the same edition; one before the returns were in
	// is refused — never numbered 第2版 with the missing returns as "corrections".
	if again, err := w.GenerateReport(ctx, jobs.ReportRequest{Kind: jobs.Monthly, Period: sep, CutOff: time.Date(2025, 10, 12, 9, 0, 0, 0, lingpao.Beijing)}); err != nil || !bytes.Equal(read(t, again[0]), book1) {
		t.Errorf("a cut-off between the returns and the edition does not give the edition: %v", err)
	}
	h.clock = time.Date(2025, 10, 8, 9, 0, 0, 0, lingpao.Beijing)
	_, err = w.GenerateReport(ctx, jobs.ReportRequest{Kind: jobs.Monthly, Period: sep})
	if lingpao.ErrorCode(err) != lingpao.ECONFLICT || !strings.Contains(lingpao.ErrorMessage(err), "已有第1版（数据截至2025年10月15日 09:00:07") ||
		!strings.Contains(lingpao.ErrorMessage(err), "--cutoff 2025-10-15T09:00:07") {
		t.Errorf("a job run as of 8 October: %v, want a refusal naming 第1版 and its cut-off", err)
	}

	// ---- 鹿泉区 corrects September on 16 October: 鹿泉电子信息's patents 27 → 29 ----
	vals := handValues("130110", sep)
	vals[handA[0]]["invention_patents_new"] = 29
	h.drop("130110", sep, time.Date(2025, 10, 16, 10, 0, 0, 0, lingpao.Beijing), "2025-09_鹿泉区（更正）.xlsx", vals)
	h.clock = time.Date(2025, 10, 20, 9, 0, 0, 0, lingpao.Beijing)
	second, err := w.GenerateReport(ctx, jobs.ReportRequest{Kind: jobs.Monthly, Period: sep})
	if err != nil || !strings.HasSuffix(second[0], "月调度表_石家庄市_2025年9月_第2版.xlsx") {
		t.Fatalf("second edition: %v %v", second, err)
	}
	checkSeptember(t, sheets(t, second[0]), "2025年9月", true)
	if !bytes.Equal(read(t, monthly[0]), book1) {
		t.Error("第1版 changed in the outbox")
	}
	// 第1版's cut-off still gives 第1版.
	if old, err := w.GenerateReport(ctx, jobs.ReportRequest{Kind: jobs.Monthly, Period: sep, CutOff: printed}); err != nil || old[0] != monthly[0] || !bytes.Equal(read(t, old[0]), book1) {
		t.Errorf("第1版's cut-off after the correction: %v %v", old, err)
	}

	// ---- the rest of the year ----
	for n := 10; n <= 12; n++ {
		h.month(lingpao.MonthOf(2025, n))
	}
	checkExplain(t, h)
}

func flatten(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

func pdftotextRaw(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return squeeze(string(out))
}

// checkJanuary checks the 月调度表 of January 2025: 1–2月合并 is on, so January's 序时进度 is 0 for
// the flows and a milestone's line stands where it stood in December (12/24); 鹿泉区 and 元氏县
// merged January into February and read 1–2月合并, neither ranked nor 未报送; 栾城区 filed January.
//
//	专精特新: 栾城区 35 → (35 − 20) / 24 = 62.5% against 50.0%: +12.5 超序时; the city counts 鹿泉区 and
//	元氏县 with December's 32 and 28: 32 + 35 + 28 = 95 → (95 − 60) / 72 = 48.6% against 50.0%: −1.4.
//	新增发明专利: 栾城区 4 of 60 = 6.7% against 0: +6.7; the city cannot carry a YTD figure across the
//	year, so it is 栾城区's 4 alone: 4 / 120 = 3.3%, +3.3 基本同步.
//	增速: 栾城区 (11 + 10) / (10 + 10) − 1 = 5.0% → 5 / 8 = 62.5%: −37.5 严重滞后, 实际−目标 −3.0; the
//	city likewise 栾城区's alone.
//	普及率: 栾城区 (8 + 100) / (10 + 1000) = 10.7% → 21.4%: −78.6; the city with December's pairs of
//	鹿泉区 and 元氏县: 129 / 1050 = 12.3% → 24.6%: −75.4, 实际−目标 −37.7.
//
// Ranks move against December 2024: 栾城区 was first on 专精特新 (+8.3 against 鹿泉区's 0.0 and
// 元氏县's −16.7) and third on 普及率 (after 鹿泉区 +10.0 and 元氏县 0.0); the flows had no target in
// 2024. The ladder through January: 普及率 of 栾城区 lagged in December and January (约谈, since the
// January deadline, 5 February — the Spring Festival ends on the 4th); its growth in January (警示);
// 元氏县's 专精特新 in December (警示 since 6 January — the 5th was a Sunday), held in January.
func checkJanuary(t *testing.T, s map[string][][]string) {
	t.Helper()
	note := "编制单位：石家庄市工业和信息化局    数据期间：2025年1月    数据截至：2025年2月12日 09:00    第1版    lingpao test"
	merged := func(name, target string, rate bool) []string {
		r := row(name, target, "1–2月合并", "—", "—", "—", "1–2月合并", "—")
		if rate {
			r = append(r, "", "—")
		}
		return r
	}
	sameRows(t, "1月 总览", s["总览"][1:7], [][]string{
		{note},
		nil,
		row("指标", "单位", "目标", "实际", "完成率", "序时进度", "完成率−序时进度（百分点）", "状态", "实际−目标（百分点，增速、比率类）"),
		row("专精特新中小企业数", "家", "132家", "95", "0.486", "0.5", "-1.4", "基本同步", "—"),
		row("新增发明专利（本年累计）", "件", "120件", "4", "0.033", "0", "3.3", "基本同步", "—"),
		row("集群营业收入同比增速", "%", "8%", "5", "0.625", "1", "-37.5", "严重滞后", "-3"),
	})
	sameRows(t, "1月 专精特新", block(t, s["企业培育"], "专精特新中小企业数（家，存量）", 7), [][]string{
		{"专精特新中小企业数（家，存量）"}, groupHeadRow,
		row("全市合计", "132", "95", "0.486", "0.5", "-1.4", "基本同步"),
		row("栾城区", "44", "35", "0.625", "0.5", "12.5", "超序时", "1", "→"),
		merged("鹿泉区", "44", false), merged("元氏县", "44", false),
		{"全市合计中，鹿泉区、元氏县1–2月合并报送，按2024年12月数据计入。"},
	})
	sameRows(t, "1月 发明专利", block(t, s["创新能力"], "新增发明专利（本年累计）（件，本年累计）", 7), [][]string{
		{"新增发明专利（本年累计）（件，本年累计）"}, groupHeadRow,
		row("全市合计", "120", "4", "0.033", "0", "3.3", "基本同步"),
		row("栾城区", "60", "4", "0.067", "0", "6.7", "超序时", "1"),
		merged("鹿泉区", "60", false),
		row("元氏县", "0", "1–2月合并", "—", "—", "—", "无任务", "—"),
		{"全市合计中，鹿泉区、元氏县1–2月合并报送，未计入。"},
	})
	sameRows(t, "1月 增速", block(t, s["规模效益"], "集群营业收入同比增速（%，增速）", 7), [][]string{
		{"集群营业收入同比增速（%，增速）"}, rateHead(),
		row("全市合计", "8", "5", "0.625", "1", "-37.5", "严重滞后", "", "", "-3"),
		row("栾城区", "8", "5", "0.625", "1", "-37.5", "严重滞后", "1", "", "-3"),
		merged("鹿泉区", "8", true), merged("元氏县", "8", true),
		{"全市合计中，鹿泉区、元氏县1–2月合并报送，未计入。"},
	})
	sameRows(t, "1月 普及率", block(t, s["数字化转型"], "数字化研发设计工具普及率（%，比率）", 7), [][]string{
		{"数字化研发设计工具普及率（%，比率）"}, rateHead(),
		row("全市合计", "50", "12.3", "0.246", "1", "-75.4", "严重滞后", "", "", "-37.7"),
		row("栾城区", "50", "10.7", "0.214", "1", "-78.6", "严重滞后", "1", "↑2", "-39.3"),
		merged("鹿泉区", "50", true), merged("元氏县", "50", true),
		{"全市合计中，鹿泉区、元氏县1–2月合并报送，按2024年12月数据计入。"},
	})
	overview := strings.Join(flatten(s["总览"]), "\n")
	for _, want := range []string{
		"截至2025年1月底，全市专精特新中小企业达到95家，以2023年底目标60家为基数净增35家，完成2025年目标（132家）增量任务的48.6%，落后序时进度1.4个百分点；新增发明专利4件，完成年度目标（120件）的3.3%，超序时进度3.3个百分点；集群营业收入同比增长5.0%，低于8%的目标3.0个百分点。（全市合计中，鹿泉区、元氏县1–2月合并报送，专精特新中小企业数按2024年12月数据计入，新增发明专利（本年累计）、集群营业收入同比增速未计入。）",
		"2025年1月：应报1个，已报1个（按时1个，逾期0个），未报送0个，退回待重报0个；报送率100.0%",
	} {
		if !strings.Contains(overview, want) {
			t.Errorf("1月 总览 lacks %q", want)
		}
	}
	sameRows(t, "1月 综合排名", s["综合排名"][4:], [][]string{
		// (112.5 + 106.7 + 70 + 70) / 4; in December 鹿泉区 (100 + 110) / 2 = 105, 元氏县 (83.3 + 100) / 2
		// = 91.65 and 栾城区 (108.3 + 70) / 2 = 89.15 stood 1, 2, 3. 鹿泉区 and 元氏县 are not ranked.
		row("1", "栾城区", "89.8", "4", "2", "↑2", "黑榜"),
		row("—", "鹿泉区", "—", "0", "0"),
		row("—", "元氏县", "—", "0", "0"),
	})
	sameRows(t, "1月 督办清单", s["督办清单"][2:], [][]string{
		{"督办事项3项，涉及2个县（市、区）：问责0项、报告0项、通报0项、约谈1项、警示2项；本期新增或升级2项，解除0项。"},
		row("序号", "县（市、区）", "督办事项", "督办等级", "连续月数", "起始日期", "事由", "本期新增"),
		row("1", "栾城区", "数字化研发设计工具普及率", "约谈", "2", "2025-02-05", "2025年1月滞后序时进度78.6个百分点（严重滞后），连续第2个月滞后：警示→约谈", "是"),
		row("2", "栾城区", "集群营业收入同比增速", "警示", "1", "2025-02-05", "2025年1月滞后序时进度37.5个百分点（严重滞后），连续第1个月滞后：警示", "是"),
		row("3", "元氏县", "专精特新中小企业数", "警示", "1", "2025-01-06", "2024年12月滞后序时进度16.7个百分点（严重滞后），连续第1个月滞后：警示"),
	})
}

// checkSeptember checks the workbook of September 2025 — the 月调度表 (label 2025年9月) or the
// 季度通报's (2025年第三季度) — in its first edition, or (second) its second, after 鹿泉区's correction.
//
// September, n = 9; 序时进度 21/24 = 87.5% for 专精特新, 9/12 = 75.0% for the flows:
//
//	专精特新 鹿泉区 41 → 21/24 = 87.5%: 0.0; 栾城区 43 → 23/24 = 95.8%: +8.3; 元氏县 left 元氏医药化工
//	blank: 未报送, and the city counts that cell's August 14 with 元氏装备制造's 23: 41 + 43 + 37 = 121
//	→ 61 / 72 = 84.7%: −2.8 基本同步.
//	新增发明专利 鹿泉区 45 of 60 = 75.0%: 0.0; 栾城区 36 = 60.0%: −15.0 (exactly: 滞后, not 严重滞后);
//	元氏县 18 with an allocation of 0: 无任务, counted in the city's 45 + 36 + 18 = 99 → 82.5%: +7.5.
//	增速 鹿泉区 (97.2 + 48.6) / (90 + 45) − 1 = 8.0%: 0.0; 栾城区 (99 + 90) / 180 − 1 = 5.0%: −37.5;
//	元氏县 196.2 / 180 − 1 = 9.0%: +12.5; the city 531 / 495 − 1 = 7.3% → 90.9%: −9.1 滞后, −0.7.
//	普及率 鹿泉区 11/20 = 55.0% → 110.0%: +10.0; 元氏县 10/20 = 50.0%: 0.0; 栾城区 108/1010 = 10.7%:
//	−78.6; the city Σ/Σ = 129/1050 = 12.3%: −75.4 (the average of the three ratios would be 38.6%).
//
// In the second edition 鹿泉区's patents are 47: 78.3%, +3.3; the city's 101: 84.2%, +9.2.
func checkSeptember(t *testing.T, s map[string][][]string, label string, second bool) {
	t.Helper()
	quarter := label != "2025年9月"
	edition, cut := "第1版", "2025年10月15日 09:00:07"
	aPatents, aPct, aGap, aStatus := "45", "0.75", "0", "基本同步"
	cPatents, cPct, cGap, aScore := "99", "0.825", "7.5", "102.5"
	if second {
		edition, cut = "第2版", "2025年10月20日 09:00"
		aPatents, aPct, aGap = "47", "0.783", "3.3"
		cPatents, cPct, cGap, aScore = "101", "0.842", "9.2", "103.33"
	}
	// Movement: the month against August (栾城区 not ranked then), the quarter against June.
	mv := func(month, q string) string {
		if quarter {
			return q
		}
		return month
	}
	note := fmt.Sprintf("编制单位：石家庄市工业和信息化局    数据期间：%s    数据截至：%s    %s    lingpao test", label, cut, edition)
	for _, sh := range []string{"总览", "企业培育", "创新能力", "规模效益", "数字化转型", "集群情况", "综合排名", "督办清单", "数据来源", "口径说明"} {
		if len(s[sh]) < 2 || len(s[sh][1]) == 0 || s[sh][1][0] != note {
			t.Errorf("%s %s: note %v, want %q", label, sh, s[sh][1:2], note)
		}
	}
	sameRows(t, label+" 总览", s["总览"][3:7], [][]string{
		row("指标", "单位", "目标", "实际", "完成率", "序时进度", "完成率−序时进度（百分点）", "状态", "实际−目标（百分点，增速、比率类）"),
		row("专精特新中小企业数", "家", "132家", "121", "0.847", "0.875", "-2.8", "基本同步", "—"),
		row("新增发明专利（本年累计）", "件", "120件", cPatents, cPct, "0.75", cGap, "超序时", "—"),
		row("集群营业收入同比增速", "%", "8%", "7.3", "0.909", "1", "-9.1", "滞后", "-0.7"),
	})
	sameRows(t, label+" 专精特新", block(t, s["企业培育"], "专精特新中小企业数（家，存量）", 7), [][]string{
		{"专精特新中小企业数（家，存量）"}, groupHeadRow,
		row("全市合计", "132", "121", "0.847", "0.875", "-2.8", "基本同步"),
		row("栾城区", "44", "43", "0.958", "0.875", "8.3", "超序时", "1", mv("", "→")),
		row("鹿泉区", "44", "41", "0.875", "0.875", "0", "基本同步", "2", mv("↓1", "→")),
		row("元氏县", "44", "未报送", "—", "—", "—", "未报送", "—"),
		{"全市合计中，元氏县报表中「元氏医药化工」未填报专精特新中小企业数，按8月数据计入。"},
	})
	sameRows(t, label+" 发明专利", block(t, s["创新能力"], "新增发明专利（本年累计）（件，本年累计）", 6), [][]string{
		{"新增发明专利（本年累计）（件，本年累计）"}, groupHeadRow,
		row("全市合计", "120", cPatents, cPct, "0.75", cGap, "超序时"),
		row("鹿泉区", "60", aPatents, aPct, "0.75", aGap, aStatus, "1", "→"),
		row("栾城区", "60", "36", "0.6", "0.75", "-15", "滞后", "2", mv("", "→")),
		row("元氏县", "0", "18", "—", "—", "—", "无任务", "—"),
	})
	sameRows(t, label+" 增速", block(t, s["规模效益"], "集群营业收入同比增速（%，增速）", 6), [][]string{
		{"集群营业收入同比增速（%，增速）"}, rateHead(),
		row("全市合计", "8", "7.3", "0.909", "1", "-9.1", "滞后", "", "", "-0.7"),
		row("元氏县", "8", "9", "1.125", "1", "12.5", "超序时", "1", "→", "1"),
		row("鹿泉区", "8", "8", "1", "1", "0", "基本同步", "2", "→", "0"),
		row("栾城区", "8", "5", "0.625", "1", "-37.5", "严重滞后", "3", mv("", "→"), "-3"),
	})
	sameRows(t, label+" 普及率", block(t, s["数字化转型"], "数字化研发设计工具普及率（%，比率）", 6), [][]string{
		{"数字化研发设计工具普及率（%，比率）"}, rateHead(),
		row("全市合计", "50", "12.3", "0.246", "1", "-75.4", "严重滞后", "", "", "-37.7"),
		row("鹿泉区", "50", "55", "1.1", "1", "10", "超序时", "1", "→", "5"),
		row("元氏县", "50", "50", "1", "1", "0", "基本同步", "2", "→", "0"),
		row("栾城区", "50", "10.7", "0.214", "1", "-78.6", "严重滞后", "3", mv("", "→"), "-39.3"),
	})
	// 集群情况: every cluster's cells; a blank cell reads 未报送 (元氏医药化工's 专精特新, and 小巨人 and the
	// 领跑者 ratio, which no cluster filled: 0 of 0 has no ratio).
	a1Patents := "27"
	if second {
		a1Patents = "29"
	}
	sameRows(t, label+" 集群情况", s["集群情况"][2:], [][]string{
		row("县（市、区）", "集群", "省级重点", "营业收入（亿元）", "同比增速（%）", "专精特新（家）", "小巨人（家）", "“领跑者”（家）", "新增发明专利（件）", "“领跑者”研发投入占比（%）"),
		row("鹿泉区", "鹿泉电子信息（示例）", "", "97.2", "8", "25", "未报送", "0", a1Patents, "未报送"),
		row("鹿泉区", "鹿泉装备制造（示例）", "", "48.6", "8", "16", "未报送", "0", "18", "未报送"),
		row("栾城区", "栾城装备制造（示例）", "", "99", "10", "26", "未报送", "0", "18", "未报送"),
		row("栾城区", "栾城生物医药（示例）", "", "90", "0", "17", "未报送", "0", "18", "未报送"),
		row("元氏县", "元氏装备制造（示例）", "", "98.1", "9", "23", "未报送", "0", "9", "未报送"),
		row("元氏县", "元氏医药化工（示例）", "", "98.1", "9", "未报送", "未报送", "0", "9", "未报送"),
	})
	// 综合排名: 元氏县 (112.5 + 100) / 2 = 106.25 on 增速 and 普及率 (专精特新 未报送, 专利 无任务);
	// 鹿泉区 (100 + 100 + 100 + 110) / 4 = 102.50 (second edition: 103.3 for patents: 103.33);
	// 栾城区 (108.3 + 85 + 70 + 70) / 4 = 83.325 → 83.33, the −37.5 and −78.6 capped at −30.
	// In August 鹿泉区 (102.50) led 元氏县 ((83.3 + 112.5 + 100) / 3 = 98.60); in June 鹿泉区, 元氏县,
	// 栾城区 ((108.3 + 90 + 70 + 70) / 4 = 84.58).
	sameRows(t, label+" 综合排名", s["综合排名"][4:], [][]string{
		row("1", "元氏县", "106.25", "2", "0", "↑1", "红榜"),
		row("2", "鹿泉区", aScore, "4", "0", "↓1", "红榜"),
		row("3", "栾城区", "83.33", "4", "3", mv("", "→"), "黑榜"),
	})
	// 督办: 栾城区's patents lagged from April (−6.7, −8.3, −10.0, −11.7; August held; −15.0 in
	// September: 问责); its growth from January and its 普及率 from December 2024, 问责 since May
	// (deadline 5 June) and April (6 May, after 劳动节); 元氏县's 专精特新 from December 2024, held in
	// January (merged) and September (blank), 问责 since May. 栾城区's missing August return (警示)
	// is cleared by September's, on time.
	raised := "1"
	if quarter {
		raised = "2" // the patents' 报告 (July) and 问责, and the reporting ladder's 警示 (August)
	}
	newCell := func(n bool) string {
		if n {
			return "是"
		}
		return ""
	}
	sameRows(t, label+" 督办清单", s["督办清单"][2:], [][]string{
		{"督办事项4项，涉及2个县（市、区）：问责4项、报告0项、通报0项、约谈0项、警示0项；本期新增或升级" + raised + "项，解除1项。"},
		row("序号", "县（市、区）", "督办事项", "督办等级", "连续月数", "起始日期", "事由", "本期新增"),
		row("1", "栾城区", "新增发明专利（本年累计）", "问责", "5", "2025-10-09", "2025年9月滞后序时进度15.0个百分点（滞后），连续第5个月滞后：报告→问责", "是"),
		trim(row("2", "栾城区", "集群营业收入同比增速", "问责", "8", "2025-06-05", "2025年5月滞后序时进度37.5个百分点（严重滞后），连续第5个月滞后：报告→问责", newCell(false))),
		trim(row("3", "栾城区", "数字化研发设计工具普及率", "问责", "9", "2025-05-06", "2025年4月滞后序时进度78.6个百分点（严重滞后），连续第5个月滞后：报告→问责", newCell(false))),
		trim(row("4", "元氏县", "专精特新中小企业数", "问责", "8", "2025-06-05", "2025年5月滞后序时进度16.7个百分点（严重滞后），连续第5个月滞后：报告→问责", newCell(false))),
		nil,
		{"本期解除督办"},
		row("序号", "县（市、区）", "督办事项", "原督办等级", "此前连续月数", "解除日期", "事由"),
		row("1", "栾城区", "报表报送", "警示", "1", "2025-10-09", "2025年9月报表按时报送，督办解除（原为警示，此前连续1个月报送不及时）"),
	})
	rr := s["报送情况"]
	sameRows(t, label+" 报送情况", rr[2:], [][]string{
		{"应报3个，已报3个（按时3个，逾期0个），未报送0个，退回待重报0个，未到截止日0个；报送率100.0%。"},
		row("县（市、区）", "报送状态", "截止日期", "首次受理时间", "采用版本", "采用文件", "退回次数"),
		row("鹿泉区", "按时报送", "2025-10-09", "2025-10-09 10:00", map[bool]string{false: "第1版", true: "第2版"}[second], map[bool]string{false: "2025-09_鹿泉区.xlsx", true: "2025-09_鹿泉区（更正）.xlsx"}[second], "0"),
		row("栾城区", "按时报送", "2025-10-09", "2025-10-09 10:00", "第1版", "2025-09_栾城区.xlsx", "0"),
		row("元氏县", "按时报送", "2025-10-09", "2025-10-09 10:00", "第1版", "2025-09_元氏县.xlsx", "0"),
	})
	overview := strings.Join(flatten(s["总览"]), "\n")
	wants := []string{
		fmt.Sprintf("截至2025年9月底，全市专精特新中小企业达到121家，以2023年底目标60家为基数净增61家，完成2025年目标（132家）增量任务的84.7%%，落后序时进度2.8个百分点；新增发明专利%s件，完成年度目标（120件）的%s，超序时进度%s个百分点；集群营业收入同比增长7.3%%，低于8%%的目标0.7个百分点。（全市合计中，元氏县报表中「元氏医药化工」未填报专精特新中小企业数，按8月数据计入。）",
			cPatents, map[bool]string{false: "82.5%", true: "84.2%"}[second], cGap),
		"按序时进度衡量的2项主要指标中，1项超序时进度，1项与序时进度基本同步。",
		"元氏县（106.25）、鹿泉区（" + map[bool]string{false: "102.50", true: "103.33"}[second] + "）",
		"栾城区（83.33）",
		"2025年9月：应报3个，已报3个（按时3个，逾期0个），未报送0个，退回待重报0个；报送率100.0%",
	}
	if second {
		wants = append(wants, "本件为第2版，更正第1版（2025年10月15日生成）。印发后收到的报表更正，共3处：全市合计新增发明专利（本年累计）由99件更正为101件；鹿泉区新增发明专利（本年累计）由45件更正为47件；鹿泉区综合得分由102.50更正为103.33。其余内容不变，请以本版为准。")
	}
	for _, want := range wants {
		if !strings.Contains(overview, want) {
			t.Errorf("%s 总览 lacks %q", label, want)
		}
	}
	src := strings.Join(flatten(s["数据来源"]), "\n")
	for _, want := range []string{"2025-10-09 10:00:00", "重新生成本版：在 lingpao report 命令后加 --cutoff " + map[bool]string{false: "2025-10-15T09:00:07", true: "2025-10-20T09:00"}[second]} {
		if !strings.Contains(src, want) {
			t.Errorf("%s 数据来源 lacks %q", label, want)
		}
	}
	if second && !strings.Contains(src, "鹿泉区\n新增发明专利（本年累计）\n45件\n47件\n更正") {
		t.Errorf("%s 数据来源 does not list the correction with its cause:\n%s", label, src)
	}
	rules := strings.Join(flatten(s["口径说明"]), "\n")
	for _, want := range []string{"progress.carry_forward: true（开）", "merge_jan_feb: true（开）", "progress.thresholds: {on_track: 5, far_behind: 15}",
		"dispatch.ranking: {default_weight: 1, gap_cap: 30, list_size: 3}", "dispatch.ladder: {steps: [1, 2, 3, 4, 5], recover: 1, far_behind_only: false, reporting_steps: [1, 2, 3, 4, 5]}",
		"deadline_day: 5", "四舍五入（5进位，正负数均远离零）", "自2024年1月1日至2025年12月31日按时间均匀推进，共24个月，至2025年9月底已过21个月：21 ÷ 24 = 87.5%",
		"年度目标按月均衡：9 ÷ 12 = 75.0%", "Σ使用数字化研发设计工具的规上企业数 ÷ Σ规上工业企业数 × 100%"} {
		if !strings.Contains(rules, want) {
			t.Errorf("%s 口径说明 lacks %q", label, want)
		}
	}
}

// trim drops trailing empty cells, as the reader does.
func trim(r []string) []string {
	for len(r) > 0 && r[len(r)-1] == "" {
		r = r[:len(r)-1]
	}
	return r
}

// checkBulletin checks the 季度通报 of 2025Q3 read back with pdftotext: every sentence with a figure,
// every row of its tables, and the charts' labels — 元氏县's blank 专精特新 reads 未报送, its patents,
// allocated 0, 无任务.
func checkBulletin(t *testing.T, path string) {
	t.Helper()
	text := pdftotextRaw(t, path)
	for _, want := range []string{
		"关于2025年第三季度全市县域特色产业集群发展情况的通报",
		"截至2025年9月底，全市专精特新中小企业达到121家，以2023年底目标60家为基数净增61家，完成2025年目标（132家）增量任务的84.7%，落后序时进度2.8个百分点；新增发明专利99件，完成年度目标（120件）的82.5%，超序时进度7.5个百分点；集群营业收入同比增长7.3%，低于8%的目标0.7个百分点。（全市合计中，元氏县报表中「元氏医药化工」未填报专精特新中小企业数，按8月数据计入。）",
		"按序时进度衡量的2项主要指标中，1项超序时进度，1项与序时进度基本同步。",
		// 表1: 指标, 目标, 实际, 完成率, 序时进度, 完成率−序时进度, 实际−目标, 状态.
		"专精特新中小企业数（家）132家12184.7%87.5%-2.8—基本同步",
		"新增发明专利（本年累计）（件）120件9982.5%75.0%+7.5—超序时",
		"集群营业收入同比增速（%）8%7.390.9%100.0%-9.1-0.7滞后",
		"状态按“完成率−序时进度”（百分点，保留一位小数、四舍五入）判定：高于+5为超序时，−5至+5（含）为基本同步，低于−5但不低于−15为滞后，低于−15为严重滞后",
		"专精特新中小企业完成率居前的是栾城区（95.8%）、鹿泉区（87.5%）；其余县（市、区）均达到或超过序时进度；元氏县（元氏医药化工未填报）未报送。",
		"栾城区95.8%鹿泉区87.5%元氏县未报送", // 图1
		"新增发明专利完成率居前的是鹿泉区（75.0%）、栾城区（60.0%）；栾城区滞后于序时进度。",
		"鹿泉区75.0%栾城区60.0%元氏县无任务", // 图2: an allocation of 0 is 无任务, not 未报送
		"集群营业收入同比增速居前的是元氏县（9.0%）、鹿泉区（8.0%）、栾城区（5.0%）；2个县（市、区）达到8%的目标，1个未达到，其中栾城区与目标差距较大。",
		"前三季度，全市特色产业集群实现营业收入531.00亿元，同比增长7.3%。营业收入居前的集群是栾城装备制造（99.00亿元）、元氏装备制造（98.10亿元）、元氏医药化工（98.10亿元）；同比增速居前的是栾城装备制造（10.0%）、元氏装备制造（9.0%）、元氏医药化工（9.0%）。",
		// 表3: 序号, 集群, 县, 营业收入, 同比增速, 专精特新, 领跑者.
		"1栾城装备制造（示例）栾城区99.0010.02602元氏装备制造（示例）元氏县98.109.02303元氏医药化工（示例）元氏县98.109.0未报送04鹿泉电子信息（示例）鹿泉区97.208.02505栾城生物医药（示例）栾城区90.000.01706鹿泉装备制造（示例）鹿泉区48.608.0160",
		"按4项指标完成进度与序时进度的差距综合评分（每项差距以±30个百分点为限，加权平均后加100分，100分为与序时进度同步），元氏县、鹿泉区列入红榜，综合得分分别为106.25、102.50；栾城区列入黑榜，综合得分为83.33。",
		"按照“警示、约谈、通报、报告、问责”五步工作法，截至9月底，全市共有督办事项4项，涉及2个县（市、区），其中问责4项。达到通报及以上等级的涉及栾城区、元氏县。本季度内新列入或升级督办的事项2项，解除督办1项。",
		"1栾城区新增发明专利（本年累计）问责52025-10-092栾城区集群营业收入同比增速问责82025-06-053栾城区数字化研发设计工具普及率问责92025-05-064元氏县专精特新中小企业数问责82025-06-05",
		"报送方面，2025年9月报表应报送单位3个，按时报送3个，报送率100.0%。",
		"鹿泉区按时报送10-0910-0910:00第1版0栾城区按时报送10-0910-0910:00第1版0元氏县按时报送10-0910-0910:00第1版0",
		"一是加快追赶进度。栾城区要针对严重滞后的指标认真分析原因，逐项制定追赶措施，确保完成全年目标任务。",
		"数据截至2025年10月15日09:00:07",
		"各县（市、区）采用的报表版本：鹿泉区第1版、栾城区第1版、元氏县第1版。",
	} {
		if !strings.Contains(text, squeeze(want)) {
			t.Errorf("bulletin lacks %q", want)
		}
	}
	// 表2, read line by line: the counties in the composite ranking's order, the headline indicators'
	// completion (a growth's figure), score, rank and movement against June.
	out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) == 7 && (f[0] == "元氏县" || f[0] == "鹿泉区" || f[0] == "栾城区") && f[1] != "按时报送" {
			got = append(got, f)
		}
	}
	sameRows(t, "表2", got, [][]string{
		row("元氏县", "未报送", "无任务", "9.0%", "106.25", "1", "↑1"),
		row("鹿泉区", "87.5%", "75.0%", "8.0%", "102.50", "2", "↓1"),
		row("栾城区", "95.8%", "60.0%", "5.0%", "83.33", "3", "→"),
	})
}

// checkExplain traces September's figures to their cells: the city's 专精特新 (121) cell by cell,
// 元氏医药化工's blank carried from August; 元氏县's own figure 未报送; 鹿泉区's patents from its
// corrected return.
func checkExplain(t *testing.T, h *handWorkspace) {
	t.Helper()
	ctx := context.Background()
	w := h.w
	sep := lingpao.MonthOf(2025, 9)
	ex, err := w.Explain(ctx, sep, "石家庄市", "专精特新中小企业数", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Figure != "121家" || ex.Assessment.Status != lingpao.StatusOnTrack || ex.Computation != "25 + 16 + 26 + 17 + 23 + 14 = 121家" {
		t.Errorf("city 专精特新: %s %s %q", ex.Figure, ex.Assessment.Status, ex.Computation)
	}
	sub := func(org, period string) lingpao.Submission {
		subs, err := w.Store.FindSubmissions(ctx, sqlite.SubmissionFilter{Org: org, Period: period, Current: true})
		if err != nil || len(subs) != 1 {
			t.Fatalf("%s %s: %v %v", org, period, subs, err)
		}
		return subs[0]
	}
	col := h.cols["srdi_sme"]
	type cell struct {
		org, cluster, month, text, file, where string
		carried                                bool
		version                                int
	}
	want := []cell{
		{"鹿泉区", "鹿泉电子信息", "2025-09", "25", "2025-09_鹿泉区（更正）.xlsx", "集群指标!" + col + "5", false, 2},
		{"鹿泉区", "鹿泉装备制造", "2025-09", "16", "2025-09_鹿泉区（更正）.xlsx", "集群指标!" + col + "6", false, 2},
		{"栾城区", "栾城装备制造", "2025-09", "26", "2025-09_栾城区.xlsx", "集群指标!" + col + "5", false, 1},
		{"栾城区", "栾城生物医药", "2025-09", "17", "2025-09_栾城区.xlsx", "集群指标!" + col + "6", false, 1},
		{"元氏县", "元氏装备制造", "2025-09", "23", "2025-09_元氏县.xlsx", "集群指标!" + col + "5", false, 1},
		{"元氏县", "元氏医药化工", "2025-08", "14", "2025-08_元氏县.xlsx", "集群指标!" + col + "6", true, 1},
	}
	if len(ex.Contributions) != len(want) {
		t.Fatalf("contributions: %+v", ex.Contributions)
	}
	for i, c := range ex.Contributions {
		wc := want[i]
		s := sub(c.Org, c.Month)
		if c.OrgName != wc.org || c.ClusterName != wc.cluster || c.Month != wc.month || c.Text != wc.text || c.File != wc.file ||
			c.Sheet+"!"+c.Cell != wc.where || c.Carried != wc.carried || c.Version != wc.version || c.SHA256 != s.SHA256 || !c.ReceivedAt.Equal(s.ReceivedAt) {
			t.Errorf("contribution %d: %+v, want %+v (sha %s)", i, c, wc, s.SHA256)
		}
	}
	if ex.Target == nil || ex.Target.Value != "132家" || ex.Target.Baseline != "60家（上一阶段目标值）" || !strings.Contains(ex.Target.Citation, "石政办函〔2022〕44号）一、主要目标") {
		t.Errorf("target: %+v", ex.Target)
	}
	if want := "自2024年1月1日至2025年12月31日按时间均匀推进，共24个月，至2025年9月底已过21个月：21 ÷ 24 = 87.5%"; ex.Expected != want {
		t.Errorf("序时进度: %q, want %q", ex.Expected, want)
	}
	if want := "完成率84.7% − 序时进度87.5% = -2.8个百分点（相减后保留一位小数，按此判定），在−5.0至+5.0之间（含两端）：基本同步"; ex.Band != want {
		t.Errorf("band: %q, want %q", ex.Band, want)
	}
	if len(ex.Notes) != 1 || ex.Notes[0] != "元氏县报表中有集群未填报本项，全市合计中元氏医药化工按2025年8月数据计入（结转）；元氏县本身的该项指标仍为未报送。" {
		t.Errorf("notes: %q", ex.Notes)
	}
	// 元氏县's own figure: 未报送, the blank cell named.
	ex, err = w.Explain(ctx, sep, "130132", "srdi_sme", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Figure != "未报送" || ex.Assessment.Status != lingpao.StatusMissing || len(ex.Contributions) != 2 || ex.Contributions[1].Note != "未填报" || ex.Contributions[1].OK {
		t.Errorf("元氏县 专精特新: %s %+v", ex.Figure, ex.Contributions)
	}
	// 鹿泉区's patents: 29 + 18 from the corrected return, 47 of 60 against 9/12.
	ex, err = w.Explain(ctx, sep, "鹿泉区", "invention_patents_new", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Figure != "47件" || ex.Computation != "29 + 18 = 47件" || ex.Expected != "年度目标按月均衡：9 ÷ 12 = 75.0%" || ex.Target.Value != "60件" || !strings.HasPrefix(ex.Target.Citation, "示例分解（非文件内容）：依据") {
		t.Errorf("鹿泉区 patents: %s %q %q %+v", ex.Figure, ex.Computation, ex.Expected, ex.Target)
	}
	// The ratio: Σ/Σ of the city, cluster by cluster.
	ex, err = w.Explain(ctx, sep, "石家庄市", "digital_rd_rate", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if ex.Figure != "12.3%" || ex.Computation != "(6 + 5 + 8 + 100 + 5 + 5) ÷ (10 + 10 + 10 + 1,000 + 10 + 10) × 100% = 129 ÷ 1,050 × 100% = 12.3%" {
		t.Errorf("city 普及率: %s %q", ex.Figure, ex.Computation)
	}
	if _, err := w.Explain(ctx, sep, "高阳县", "srdi_sme", time.Time{}); lingpao.ErrorCode(err) != lingpao.EINVALID {
		t.Errorf("a county of another city: %v", err)
	}
	if _, err := w.Explain(ctx, sep, "鹿泉区", "产值", time.Time{}); lingpao.ErrorCode(err) != lingpao.EINVALID {
		t.Errorf("an unknown indicator: %v", err)
	}
}
