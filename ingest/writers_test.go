package ingest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"lingpao"
	"lingpao/internal/tooltest"
	"lingpao/jobs"
	"lingpao/templates"
)

// fillScript fills a template the way a clerk's spreadsheet program would, through openpyxl (a
// writer that is not excelize): it loads the template, sets each cell of the spec — text, number,
// formula (saved without a cached value, as openpyxl does), boolean, date, or a number with a percent
// format — and saves.
const fillScript = `
import datetime, json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
for sheet, ref, kind, value in json.load(open(sys.argv[3], encoding="utf-8")):
    c = wb[sheet][ref]
    if kind in ("s", "n", "f"):
        c.value = value
    elif kind == "b":
        c.value = bool(value)
    elif kind == "d":
        c.value = datetime.date.fromisoformat(value)
    elif kind == "pct":
        c.value = value
        c.number_format = "0.0%"
    elif kind == "clear":
        c.value = None
wb.save(sys.argv[2])
`

// wpsScript rewrites an openpyxl-written workbook with the quirks of WPS Office, which cannot run here:
// every number stored as an inline string, no dimension element, and cells without r attributes
// where they follow their left neighbour (as streaming writers write them).
const wpsScript = `
import re, sys, zipfile
CELL = re.compile(r'<c r="([A-Z]+)(\d+)"([^>]*?)(/>|>.*?</c>)', re.S)
def col(letters):
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n
def strip_refs(m):
    prev = 0
    def one(c):
        nonlocal prev
        n = col(c.group(1))
        out = ('<c' if n == prev + 1 else '<c r="%s%s"' % (c.group(1), c.group(2))) + c.group(3) + c.group(4)
        prev = n
        return out
    return m.group(1) + CELL.sub(one, m.group(2)) + m.group(3)
zin, zout = zipfile.ZipFile(sys.argv[1]), zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED)
for item in zin.infolist():
    data = zin.read(item.filename)
    if item.filename.startswith("xl/worksheets/sheet"):
        s = data.decode("utf-8")
        s = re.sub(r'<dimension ref="[^"]*"/>', '', s)
        if item.filename in ("xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml"):
            s = re.sub(r'<c r="([A-Z]+\d+)"((?: s="\d+")?)(?: t="n")?><v>([^<]*)</v></c>', r'<c r="\1"\2 t="inlineStr"><is><t>\3</t></is></c>', s)
        s = re.sub(r'(<row\b[^>]*[^/]>)(.*?)(</row>)', strip_refs, s, flags=re.S)
        data = s.encode("utf-8")
    zout.writestr(item, data)
zout.close()
`

// cellSpec is one cell to fill: sheet, cell, kind (s, n, f, b, d, pct, clear) and value.
type cellSpec [4]any

// writer produces a filled workbook from the template at tpl into dir and returns its bytes.
type writer struct {
	name  string
	write func(t *testing.T, tpl string, spec []cellSpec, dir string) []byte
}

func openpyxlFill(t *testing.T, tpl string, spec []cellSpec, dir string) string {
	t.Helper()
	python := tooltest.Python(t)
	specPath, out := filepath.Join(dir, "spec.json"), filepath.Join(dir, "openpyxl.xlsx")
	b, _ := json.Marshal(spec)
	if err := os.WriteFile(specPath, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(python, "-c", fillScript, tpl, out, specPath).CombinedOutput(); err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, msg)
	}
	return out
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var writers = []writer{
	{"openpyxl", func(t *testing.T, tpl string, spec []cellSpec, dir string) []byte {
		return readFile(t, openpyxlFill(t, tpl, spec, dir))
	}},
	{"LibreOffice", func(t *testing.T, tpl string, spec []cellSpec, dir string) []byte {
		// openpyxl fills, LibreOffice opens, recalculates and saves it again as .xlsx.
		tooltest.Need(t, "soffice", "libreoffice-calc-nogui")
		src := openpyxlFill(t, tpl, spec, dir)
		outDir := filepath.Join(dir, "lo")
		cmd := exec.Command("soffice", "-env:UserInstallation=file://"+filepath.Join(dir, "lo-profile"), "--headless",
			"--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", outDir, src)
		if msg, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice: %v\n%s", err, msg)
		}
		return readFile(t, filepath.Join(outDir, "openpyxl.xlsx"))
	}},
	{"WPS (emulated)", func(t *testing.T, tpl string, spec []cellSpec, dir string) []byte {
		src, out := openpyxlFill(t, tpl, spec, dir), filepath.Join(dir, "wps.xlsx")
		if msg, err := exec.Command(tooltest.Python(t), "-c", wpsScript, src, out).CombinedOutput(); err != nil {
			t.Fatalf("wps emulation: %v\n%s", err, msg)
		}
		return readFile(t, out)
	}},
}

// usccWith completes a 17-character prefix with its check character.
func usccWith(t *testing.T, first17 string) string {
	t.Helper()
	c, ok := lingpao.USCCCheck(first17)
	if !ok {
		t.Fatalf("bad prefix %s", first17)
	}
	return first17 + string(c)
}

// templateFile writes county's September template of workspace w into dir.
func templateFile(t *testing.T, w *jobs.Workspace, county, dir string) string {
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
	path := filepath.Join(dir, "template.xlsx")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

type cellValue struct {
	Cluster, Indicator, Cell string
	V                        float64
}

// storedValues returns the cluster-sheet values stored for submission id, sorted by cell.
func storedValues(t *testing.T, w *jobs.Workspace, id int64) []cellValue {
	t.Helper()
	vals, err := w.Store.SubmissionValues(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []cellValue
	for _, v := range vals {
		if v.Cell != "" {
			out = append(out, cellValue{v.Cluster, v.Indicator, v.Cell, v.V})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Cell < out[j].Cell })
	return out
}

func findingsByCell(fs []lingpao.Finding) map[string]string {
	out := map[string]string{}
	for _, f := range fs {
		out[f.Sheet+"!"+f.Cell] = f.Rule
	}
	return out
}

// TestMessyValuesFromOtherWriters fills 元氏县's template with every lenient form of PRODUCT §6.2 —
// thousands separators, full-width digits, spaces, numbers stored as text, dashes and blanks for not
// reported, formulas without cached values (and a chain of them), dates as serials and as text, the
// column's own unit — through openpyxl, LibreOffice and an emulation of WPS, and checks that each
// file ingests with exactly the intended values.
func TestMessyValuesFromOtherWriters(t *testing.T) {
	const cl, ro, is, gd = "集群指标", "企业名录", "问题台账", "填报说明"
	usccA, usccB := usccWith(t, "91130132MA07L2XK3"), usccWith(t, "91130132MA0DQ4RT1")
	lower := []byte(usccA)
	for i := range lower {
		if lower[i] >= 'A' && lower[i] <= 'Z' {
			lower[i] += 'a' - 'A'
		}
	}
	spaced := string(lower[:4]) + " " + string(lower[4:8]) + " " + string(lower[8:])
	spec := []cellSpec{
		{gd, "C9", "s", "王晓明"}, {gd, "C10", "n", 3118888888},
		{cl, "C5", "s", "1,234.5"}, {cl, "D5", "s", "１，１００"}, {cl, "E5", "s", " 120 "}, {cl, "F5", "f", "=10+5"},
		{cl, "G5", "s", "—"}, {cl, "H5", "s", "-"}, {cl, "J5", "s", "7"}, {cl, "K5", "n", 3}, {cl, "L5", "f", "=F5-12"},
		{cl, "M5", "s", "１２"}, {cl, "N5", "s", "2家"}, {cl, "O5", "n", 0}, {cl, "P5", "s", "0"}, {cl, "Q5", "f", "=SUM(2,3)"},
		{cl, "R5", "s", "'4"}, {cl, "S5", "n", 100}, {cl, "T5", "s", "100.0"}, {cl, "U5", "n", 80}, {cl, "V5", "s", "9E1"},
		{cl, "W5", "f", "=S5"}, {cl, "X5", "s", "新认定 3 家"},
		{cl, "C6", "s", "12亿"}, {cl, "D6", "n", 10.5}, {cl, "E6", "n", 40}, {cl, "F6", "s", "/"},
		{ro, "A4", "n", 1}, {ro, "B4", "s", " 元氏华恒装备有限公司 "}, {ro, "C4", "s", spaced}, {ro, "D4", "s", "元氏装备制造"},
		{ro, "E4", "s", "是"}, {ro, "F4", "s", "√"}, {ro, "J4", "s", "1,234.5"}, {ro, "K4", "f", "=100*0.5"},
		{ro, "B5", "s", "元氏恒达医药有限公司"}, {ro, "C5", "s", usccB}, {ro, "D5", "s", "130132-02"}, {ro, "F5", "s", "是"},
		{ro, "G5", "s", "Y"}, {ro, "J5", "n", 500},
		{is, "B4", "s", "用地指标不足"}, {is, "C4", "s", "用地"}, {is, "F4", "s", "交办"}, {is, "G4", "d", "2025-09-03"}, {is, "H4", "s", "2025/9/20"},
		{is, "B5", "s", "融资难"}, {is, "G5", "s", "2025年9月5日"},
	}
	const c1, c2 = "130132-01", "130132-02"
	want := []cellValue{
		{c1, "revenue_ytd", "C5", 1234.5}, {c2, "revenue_ytd", "C6", 12}, {c1, "revenue_ytd_ly", "D5", 1100}, {c2, "revenue_ytd_ly", "D6", 10.5},
		{c1, "above_scale", "E5", 120}, {c2, "above_scale", "E6", 40}, {c1, "srdi_sme", "F5", 15}, {c1, "srdi_sme_new", "J5", 7},
		{c1, "innov_sme_new", "K5", 3}, {c1, "hitech_new", "L5", 3}, {c1, "invention_patents_new", "M5", 12}, {c1, "joint_stock_new", "N5", 2},
		{c1, "green_factory_new", "O5", 0}, {c1, "energy_diag_new", "P5", 0}, {c1, "standards_new", "Q5", 5}, {c1, "innovation_platforms_new", "R5", 4},
		{c1, "digital_rd_users", "S5", 100}, {c1, "digital_mgmt_users", "T5", 100}, {c1, "cloud_users", "U5", 80}, {c1, "ecommerce_users", "V5", 90},
		{c1, "diagnosed", "W5", 100},
	}
	sort.Slice(want, func(i, j int) bool { return want[i].Cell < want[j].Cell })
	rev4, rnd4, rev5 := 1234.5, 50.0, 500.0
	wantRoster := []lingpao.Enterprise{
		{Name: "元氏华恒装备有限公司", USCC: usccA, Cluster: c1, Tags: []string{lingpao.TagLeader, lingpao.TagSRDI}, Revenue: &rev4, RnD: &rnd4, Row: 4},
		{Name: "元氏恒达医药有限公司", USCC: usccB, Cluster: c2, Tags: []string{lingpao.TagSRDI, lingpao.TagLittleGiant}, Revenue: &rev5, Row: 5},
	}
	wantWarnings := map[string]string{cl + "!N5": "cell.unit", cl + "!C6": "cell.unit"}

	for _, wr := range writers {
		t.Run(wr.name, func(t *testing.T) {
			w, _ := workspace(t)
			dir := t.TempDir()
			data := wr.write(t, templateFile(t, w, "元氏县", dir), spec, dir)
			drop(t, w, "元氏县/2025-09_元氏县.xlsx", data)
			res := pass(t, w.Ingester())
			if len(res) != 1 {
				t.Fatalf("results %+v", res)
			}
			s := res[0].Submission
			if s.Status != lingpao.SubAccepted || s.Contact != "王晓明" || s.Phone != "3118888888" {
				t.Fatalf("%s %s %s: %+v", s.Status, s.Contact, s.Phone, s.Findings)
			}
			if diff := cmp.Diff(wantWarnings, findingsByCell(s.Findings)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want, storedValues(t, w, s.ID)); diff != "" {
				t.Errorf("stored values (-want +got):\n%s", diff)
			}
			ret, _, err := templates.Read(data, "x.xlsx", w.Catalog, w.Config.Secret, templates.DefaultLimits())
			if err != nil || ret == nil {
				t.Fatalf("read: %v", err)
			}
			if diff := cmp.Diff(wantRoster, ret.Enterprises); diff != "" {
				t.Errorf("roster (-want +got):\n%s", diff)
			}
			var dates [][2]string
			for _, i := range ret.Issues {
				dates = append(dates, [2]string{i.Raised, i.Closed})
			}
			if diff := cmp.Diff([][2]string{{"2025-09-03", "2025-09-20"}, {"2025-09-05", ""}}, dates); diff != "" {
				t.Errorf("issue dates (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAmbiguousValuesAreFindings fills the forms a system must not guess at — estimates, ranges,
// other units, % in a column of counts, a percent-formatted or date-formatted number (Excel turning
// "1-2" into a date), booleans, formula errors, misplaced commas, Chinese numerals — and checks each
// becomes a finding on its own cell and the file is rejected.
func TestAmbiguousValuesAreFindings(t *testing.T) {
	const cl, ro, is = "集群指标", "企业名录", "问题台账"
	usccBad := usccWith(t, "91130132MA07L2XK3")
	usccBad = usccBad[:17] + string("0123456789ABCDEFGHJKLMNPQRTUWXY"[(len(usccBad)+7)%31])
	if ok, _ := lingpao.ValidUSCC(usccBad); ok {
		usccBad = usccBad[:17] + "Y"
	}
	spec := []cellSpec{
		{"填报说明", "C9", "s", "王晓明"}, {"填报说明", "C10", "s", "0311-1"},
		{cl, "C5", "s", "约120亿"}, {cl, "D5", "s", "120左右"}, {cl, "E5", "s", "12.5%"}, {cl, "F5", "s", "12亿"},
		{cl, "G5", "s", "10-12"}, {cl, "H5", "s", "1,23"}, {cl, "I5", "s", "(3)"}, {cl, "J5", "s", "一百"}, {cl, "K5", "s", "无"},
		{cl, "L5", "pct", 0.5}, {cl, "M5", "d", "2025-01-02"}, {cl, "N5", "b", true}, {cl, "O5", "f", "=1/0"}, {cl, "Q5", "s", "3.5"},
		{cl, "C6", "s", "12万"}, {cl, "F6", "n", 5}, {cl, "G6", "n", 6},
		{ro, "B4", "s", "甲公司"}, {ro, "C4", "n", 911301321234567000}, {ro, "D4", "s", "不存在的集群"}, {ro, "E4", "s", "省级"},
		{ro, "B5", "s", "乙公司"}, {ro, "C5", "s", usccBad}, {ro, "D5", "s", "元氏装备制造"}, {ro, "J5", "s", "约500"},
		{is, "B4", "s", "用地"}, {is, "G4", "s", "9/12"},
	}
	want := map[string]string{
		cl + "!C5": "cell.approximate", cl + "!D5": "cell.approximate", cl + "!E5": "cell.percent", cl + "!F5": "cell.unit",
		cl + "!G5": "cell.range", cl + "!H5": "cell.number", cl + "!I5": "cell.negative_parens", cl + "!J5": "cell.chinese",
		cl + "!K5": "cell.words", cl + "!L5": "cell.percent", cl + "!M5": "cell.date_format", cl + "!N5": "cell.number",
		cl + "!O5": "cell.formula_error", cl + "!Q5": "integer.cluster", cl + "!C6": "cell.unit", cl + "!E6": "required.cluster",
		cl + "!G6": "part_whole.little_giant",
		ro + "!C4": "roster.uscc_number", ro + "!D4": "roster.cluster", ro + "!E4": "cell.tag", ro + "!C5": "roster.uscc",
		ro + "!J5": "cell.approximate", is + "!G4": "cell.date",
	}
	for _, wr := range writers[:2] {
		t.Run(wr.name, func(t *testing.T) {
			want := maps.Clone(want)
			if wr.name == "LibreOffice" {
				// LibreOffice saves TRUE typed into a number-formatted cell as =TRUE() with the numeric
				// result 1, and shows 1: reading 1 is reading what the county sees.
				delete(want, cl+"!N5")
			}
			w, _ := workspace(t)
			dir := t.TempDir()
			drop(t, w, "元氏县/2025-09_元氏县.xlsx", wr.write(t, templateFile(t, w, "元氏县", dir), spec, dir))
			res := pass(t, w.Ingester())
			s := res[0].Submission
			if s.Status != lingpao.SubRejected {
				t.Fatalf("status %s", s.Status)
			}
			if diff := cmp.Diff(want, findingsByCell(s.Findings)); diff != "" {
				t.Errorf("findings by cell (-want +got):\n%s", diff)
			}
			for _, f := range s.Findings {
				if f.Message == "" || f.Cell == "" {
					t.Errorf("finding without cell or message: %+v", f)
				}
			}
			if vals := storedValues(t, w, s.ID); len(vals) != 0 {
				t.Errorf("a rejected file stored values: %v", vals)
			}
		})
	}
}

// TestPercentColumn checks the three ways a percentage arrives in a % column — "12.5%" typed, 12.5,
// and 0.125 formatted as a percentage — all read as 12.5, through openpyxl and LibreOffice.
func TestPercentColumn(t *testing.T) {
	for _, wr := range writers[:2] {
		t.Run(wr.name, func(t *testing.T) {
			w, _ := workspace(t)
			// A bureau that asks for a rate directly: revenue_ytd_ly stands in for a % column here.
			for i := range w.Catalog.Indicators {
				if w.Catalog.Indicators[i].Code == "revenue_ytd_ly" {
					w.Catalog.Indicators[i].Unit = "%"
				}
			}
			dir := t.TempDir()
			spec := []cellSpec{{"填报说明", "C9", "s", "王"}, {"填报说明", "C10", "s", "1"},
				{"集群指标", "C5", "n", 1}, {"集群指标", "E5", "n", 1}, {"集群指标", "C6", "n", 1}, {"集群指标", "E6", "n", 1},
				{"集群指标", "D5", "s", "12.5%"}, {"集群指标", "D6", "pct", 0.125}}
			drop(t, w, "元氏县/a.xlsx", wr.write(t, templateFile(t, w, "元氏县", dir), spec, dir))
			s := pass(t, w.Ingester())[0].Submission
			if s.Status != lingpao.SubAccepted {
				t.Fatalf("%s: %+v", s.Status, s.Findings)
			}
			got := map[string]float64{}
			for _, v := range storedValues(t, w, s.ID) {
				got[v.Cell] = v.V
			}
			if got["D5"] != 12.5 || got["D6"] != 12.5 {
				t.Errorf("D5 %v, D6 %v, want 12.5 both", got["D5"], got["D6"])
			}
		})
	}
}
