package allocation

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"lingpao"
	"lingpao/internal/tooltest"
	"lingpao/seeds"
)

const secret = "0123456789abcdef0123456789abcdef0123456789abcdef"

// runPy runs a Python script with openpyxl and returns its standard output.
func runPy(t *testing.T, script string, args ...string) string {
	t.Helper()
	cmd := exec.Command(tooltest.Python(t), append([]string{"-c", script}, args...)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("python: %v\n%s", err, errb.String())
	}
	return out.String()
}

func seedCatalog(t *testing.T) *lingpao.Catalog {
	t.Helper()
	cat, err := seeds.Load(seeds.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

func export(t *testing.T, cat *lingpao.Catalog, path string) Spec {
	t.Helper()
	spec, err := Plan(cat, "130100", 2025)
	if err != nil {
		t.Fatal(err)
	}
	spec.TargetsVersion, spec.Secret = 1, secret
	spec.Generated = time.Date(2025, 10, 20, 9, 30, 0, 0, lingpao.Beijing)
	var buf bytes.Buffer
	if err := Write(&buf, spec); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return spec
}

func TestPlan(t *testing.T) {
	cat := seedCatalog(t)
	spec, err := Plan(cat, "130100", 2025)
	if err != nil {
		t.Fatal(err)
	}
	if len(spec.Counties) != 24 {
		t.Errorf("%d counties, want 24", len(spec.Counties))
	}
	keys := map[string]Block{}
	for _, b := range spec.Blocks {
		keys[b.Key.String()] = b
		if !lingpao.Allocatable(b.Basis, b.Indicator) || b.Basis.Org != "130100" || b.Basis.Example {
			t.Errorf("block %s is not an allocatable city target", b.Key)
		}
	}
	srdi, ok := keys["sjz2022-srdi_sme-2025|2025"]
	if !ok {
		t.Fatalf("no block for the 2025 milestone of 750; blocks: %v", len(keys))
	}
	// The example allocation is in force: 鹿泉区 has a share, which chains from its 2023 share.
	if srdi.Shares["130110"] == 0 || srdi.Previous["130110"] == 0 || srdi.PreviousLabel != "2023年底" {
		t.Errorf("鹿泉区 share %v previous %v (%s)", srdi.Shares["130110"], srdi.Previous["130110"], srdi.PreviousLabel)
	}
	var sum float64
	for _, v := range srdi.Shares {
		sum += v
	}
	if sum != 750 {
		t.Errorf("example shares add up to %v, want 750", sum)
	}
	if _, ok := keys["sjz2022-srdi_sme-2023|2023"]; ok {
		t.Error("a 2023 milestone is exported from 2025 on")
	}
	if b, ok := keys["sjz2022-invention_patents_new-annual|2025"]; !ok || b.Period() != "2025年" || b.What() != "当年新增量" {
		t.Errorf("annual block: %+v %v", b.Key, ok)
	}
	if b, ok := keys["sjz2022-listed-2025|2025"]; !ok || b.Rule() != "合计在8家至10家之间（达到下限即完成）" {
		t.Errorf("range block rule: %q", b.Rule())
	}
	for _, tg := range spec.Inherited {
		if tg.Form != lingpao.FormRate && tg.Form != lingpao.FormGrowth {
			t.Errorf("inherited %s is a %s target", tg.ID, tg.Form)
		}
	}
	if len(spec.Inherited) == 0 {
		t.Error("no inherited rate or growth targets listed")
	}
}

// TestWorkbookAsSecondReaderSeesIt opens the exported workbook with openpyxl: sheets, hidden code
// columns and metadata, protection, unlocked input cells, and the check rows' formulas with their
// cached values.
func TestWorkbookAsSecondReaderSeesIt(t *testing.T) {
	cat := seedCatalog(t)
	path := filepath.Join(t.TempDir(), "目标分解表.xlsx")
	spec := export(t, cat, path)
	out := runPy(t, `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
vals = openpyxl.load_workbook(sys.argv[1], data_only=True)
ws, wv = wb["目标分解"], vals["目标分解"]
rows = []
for r in range(4, ws.max_row + 1):
    if ws.cell(r, 2).value == "合计":
        rows.append({"row": r, "key": ws.cell(r, 1).value, "f": ws.cell(r, 6).value, "sum": wv.cell(r, 6).value,
                     "diff_f": ws.cell(r, 9).value, "diff": wv.cell(r, 9).value, "check": wv.cell(r, 10).value, "city": wv.cell(r, 8).value})
share = None
for r in range(4, ws.max_row + 1):
    if ws.cell(r, 2).value == "130110" and ws.cell(r, 1).value == "sjz2022-srdi_sme-2025|2025":
        c = ws.cell(r, 6)
        share = {"row": r, "value": c.value, "locked": c.protection.locked, "name": ws.cell(r, 5).value, "note": ws.cell(r, 11).value}
print(json.dumps({
  "sheets": wb.sheetnames, "meta_state": wb["_meta"].sheet_state,
  "hidden": [ws.column_dimensions["A"].hidden, ws.column_dimensions["B"].hidden],
  "protected": ws.protection.sheet, "structure": wb.security.lockStructure if wb.security else None,
  "locked_name": ws["E5"].protection.locked, "max_row": ws.max_row,
  "totals": rows, "share": share, "guide": wb["填写说明"]["A1"].value,
}, ensure_ascii=False))
`, path)
	var got struct {
		Sheets    []string `json:"sheets"`
		MetaState string   `json:"meta_state"`
		Hidden    []bool   `json:"hidden"`
		Protected bool     `json:"protected"`
		Structure bool     `json:"structure"`
		LockedKey bool     `json:"locked_name"`
		MaxRow    int      `json:"max_row"`
		Totals    []struct {
			Row   int     `json:"row"`
			Key   string  `json:"key"`
			F     string  `json:"f"`
			Sum   float64 `json:"sum"`
			DiffF string  `json:"diff_f"`
			Diff  float64 `json:"diff"`
			Check string  `json:"check"`
			City  float64 `json:"city"`
		} `json:"totals"`
		Share struct {
			Row    int     `json:"row"`
			Value  float64 `json:"value"`
			Locked bool    `json:"locked"`
			Name   string  `json:"name"`
			Note   string  `json:"note"`
		} `json:"share"`
		Guide string `json:"guide"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if strings.Join(got.Sheets, ",") != "填写说明,目标分解,_meta" || got.MetaState != "veryHidden" {
		t.Errorf("sheets %v, meta %s", got.Sheets, got.MetaState)
	}
	if !got.Hidden[0] || !got.Hidden[1] || !got.Protected || !got.Structure || !got.LockedKey {
		t.Errorf("hidden %v, sheet protected %v, structure locked %v, name cell locked %v", got.Hidden, got.Protected, got.Structure, got.LockedKey)
	}
	if want := 3 + len(spec.Blocks)*27 - 1; got.MaxRow != want {
		t.Errorf("max row %d, want %d (every row visible to a reader that trusts the dimension)", got.MaxRow, want)
	}
	if len(got.Totals) != len(spec.Blocks) {
		t.Fatalf("%d total rows, want %d", len(got.Totals), len(spec.Blocks))
	}
	for _, tr := range got.Totals {
		first, last := tr.Row-24, tr.Row-1
		if tr.F != "=SUM(F"+itoa(first)+":F"+itoa(last)+")" || !strings.HasPrefix(tr.DiffF, "=") {
			t.Errorf("%s: formulas %q %q", tr.Key, tr.F, tr.DiffF)
		}
		if tr.Key == "sjz2022-srdi_sme-2025|2025" && (tr.Sum != 750 || tr.City != 750 || tr.Diff != 0 || tr.Check != "相符") {
			t.Errorf("750 check row: %+v", tr)
		}
	}
	if got.Share.Locked || got.Share.Name != "鹿泉区" || got.Share.Value == 0 || !strings.Contains(got.Share.Note, "2023年底") {
		t.Errorf("鹿泉区 share cell: %+v", got.Share)
	}
	if !strings.Contains(got.Guide, "石家庄市") {
		t.Errorf("guide title %q", got.Guide)
	}
}

// edit changes share cells with openpyxl (the second writer) and saves: args are key, org code, new
// value ("" to clear, text to type text).
const editScript = `
import sys, openpyxl
path, out = sys.argv[1], sys.argv[2]
wb = openpyxl.load_workbook(path)
ws = wb["目标分解"]
edits = {}
for e in sys.argv[3:]:
    key, org, val = e.split(";")
    edits[(key, org)] = val
for r in range(4, ws.max_row + 1):
    k = (ws.cell(r, 1).value, ws.cell(r, 2).value)
    if k in edits:
        v = edits[k]
        if v == "":
            ws.cell(r, 6).value = None
        else:
            try:
                ws.cell(r, 6).value = float(v) if "." in v else int(v)
            except ValueError:
                ws.cell(r, 6).value = v
wb.save(out)
`

func editWith(t *testing.T, in, out string, edits ...string) []byte {
	t.Helper()
	runPy(t, editScript, append([]string{in, out}, edits...)...)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func itoa(n int) string { return strconv.Itoa(n) }

func jsonNum(n int) string { return strconv.Itoa(n) }

func errorsOf(fs []lingpao.Finding) []lingpao.Finding {
	var out []lingpao.Finding
	for _, f := range fs {
		if f.Severity == lingpao.SevError {
			out = append(out, f)
		}
	}
	return out
}

// TestRoundTrip exports, edits with openpyxl and reads back: moving 5 from 长安区 to 鹿泉区 keeps the
// total; the shares come back as county targets.
func TestRoundTrip(t *testing.T) {
	cat := seedCatalog(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "目标分解表.xlsx")
	spec := export(t, cat, path)
	var srdi Block
	for _, b := range spec.Blocks {
		if b.Key.String() == "sjz2022-srdi_sme-2025|2025" {
			srdi = b
		}
	}
	lq, ca := srdi.Shares["130110"], srdi.Shares["130102"]
	key := srdi.Key.String()
	data := editWith(t, path, filepath.Join(dir, "edited.xlsx"), key+";130110;"+jsonNum(int(lq)+5), key+";130102;"+jsonNum(int(ca)-5))
	res, fs, err := Read(data, cat, "130100", secret, 1, "市工信局任务分解（edited.xlsx）")
	if err != nil {
		t.Fatal(err)
	}
	if errs := errorsOf(fs); len(errs) > 0 {
		t.Fatalf("errors: %+v", errs)
	}
	allocated := 0
	for _, b := range spec.Blocks {
		if len(b.Shares) > 0 {
			allocated++
		}
	}
	// Blocks left blank that were not allocated before are not covered: nothing changes for them.
	if len(res.Covered) != allocated || allocated < 5 {
		t.Errorf("covered %d keys, want the %d allocated ones", len(res.Covered), allocated)
	}
	found := false
	for _, s := range res.Shares {
		if s.ID == "sjz2022-srdi_sme-2025@130110" {
			found = true
			if s.Bar() != lq+5 || s.Example || s.Basis != "sjz2022-srdi_sme-2025" || !strings.HasPrefix(s.Citation, "市工信局任务分解（edited.xlsx）：依据") {
				t.Errorf("鹿泉区 share: %+v", s)
			}
		}
	}
	if !found {
		t.Error("鹿泉区 share not read back")
	}
	for _, b := range res.Blocks {
		if b.Key == srdi.Key && (b.Sum != 750 || !b.OK || b.Changed != 2) {
			t.Errorf("block result: %+v", b)
		}
	}
}

// TestNotAddingUp: an allocation that does not add up is rejected with the difference, on the total
// row's cell; LibreOffice, recalculating the file openpyxl saved without cached values, shows the live
// check saying 不相符 with the same difference.
func TestNotAddingUp(t *testing.T) {
	cat := seedCatalog(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "目标分解表.xlsx")
	spec := export(t, cat, path)
	var srdi Block
	for _, b := range spec.Blocks {
		if b.Key.String() == "sjz2022-srdi_sme-2025|2025" {
			srdi = b
		}
	}
	key := srdi.Key.String()
	edited := filepath.Join(dir, "edited.xlsx")
	data := editWith(t, path, edited, key+";130110;"+jsonNum(int(srdi.Shares["130110"])+3))
	res, fs, err := Read(data, cat, "130100", secret, 1, "x")
	if err != nil {
		t.Fatal(err)
	}
	errs := errorsOf(fs)
	if len(errs) != 1 {
		t.Fatalf("want one error, got %+v", errs)
	}
	e := errs[0]
	want := "「专精特新中小企业数 2025年底」各县分解合计 753家，全市目标 750家（合计应等于750家），多 3家：请调整分解值后重新导入。"
	if e.Rule != "alloc.sum" || e.Sheet != "目标分解" || e.Value != "753" || e.Message != want || !strings.HasPrefix(e.Cell, "F") {
		t.Errorf("finding: %+v\nwant message %s", e, want)
	}
	for _, b := range res.Blocks {
		if b.Key == srdi.Key && (b.OK || b.Diff != 3 || b.Sum != 753) {
			t.Errorf("block: %+v", b)
		}
	}

	// The live check, recalculated by LibreOffice.
	if _, err := exec.LookPath("soffice"); err != nil {
		t.Fatal("soffice not found: apt-get install libreoffice-calc-nogui (make test installs it when run as root)")
	}
	outDir := filepath.Join(dir, "lo")
	cmd := exec.Command("soffice", "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "xlsx", "--outdir", outDir, edited)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	got := runPy(t, `
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1], data_only=True)["目标分解"]
for r in range(4, ws.max_row + 1):
    if ws.cell(r, 1).value == sys.argv[2] and ws.cell(r, 2).value == "合计":
        print(ws.cell(r, 6).value, ws.cell(r, 9).value, ws.cell(r, 10).value)
`, filepath.Join(outDir, "edited.xlsx"), key)
	if strings.TrimSpace(got) != "753 3 不相符" {
		t.Errorf("LibreOffice recalculated the check row as %q, want 753 3 不相符", strings.TrimSpace(got))
	}
}

func TestReadFindings(t *testing.T) {
	cat := seedCatalog(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "目标分解表.xlsx")
	spec := export(t, cat, path)
	var srdi, flow, listed Block
	for _, b := range spec.Blocks {
		switch b.Key.String() {
		case "sjz2022-srdi_sme-2025|2025":
			srdi = b
		case "sjz2022-invention_patents_new-annual|2025":
			flow = b
		case "sjz2022-listed-2025|2025":
			listed = b
		}
	}
	s, f, l := srdi.Key.String(), flow.Key.String(), listed.Key.String()
	var clear []string
	for _, c := range spec.Counties {
		clear = append(clear, f+";"+c.Code+";")
	}
	edits := append(clear,
		s+";130110;五十",  // text
		s+";130102;-2",  // negative
		s+";130104;2.5", // not whole
		s+";130105;",    // blank in a filled block
		l+";130110;"+jsonNum(int(listed.Shares["130110"])+1), // a range: 9 is within 8至10
	)
	data := editWith(t, path, filepath.Join(dir, "edited.xlsx"), edits...)
	res, fs, err := Read(data, cat, "130100", secret, 2, "x")
	if err != nil {
		t.Fatal(err)
	}
	rules := map[string]int{}
	for _, f := range fs {
		rules[f.Rule]++
		if f.Sheet != "" && f.Cell == "" && f.Rule != "alloc.basis" {
			t.Errorf("finding without a cell: %+v", f)
		}
	}
	if rules["alloc.value"] != 3 || rules["alloc.required"] != 1 || rules["alloc.cleared"] != 1 || rules["alloc.version"] != 1 || rules["alloc.sum"] != 0 {
		t.Errorf("rules: %v\n%+v", rules, fs)
	}
	for _, f := range fs {
		if f.Rule == "alloc.value" && f.Value == "五十" && !strings.Contains(f.Message, "鹿泉区") {
			t.Errorf("text share message: %s", f.Message)
		}
	}
	clearedOK, rangeOK := false, false
	for _, b := range res.Blocks {
		if b.Key == flow.Key {
			clearedOK = b.Cleared
		}
		if b.Key == listed.Key {
			rangeOK = b.OK && b.Sum == 9
		}
	}
	if !clearedOK || !rangeOK {
		t.Errorf("cleared block %v, range within its ends %v", clearedOK, rangeOK)
	}
	for _, sh := range res.Shares {
		if lingpao.IsAllocationOf(sh.ID, flow.Key) {
			t.Errorf("a cleared block has share %s", sh.ID)
		}
	}

	// Another workspace's key, and a file that is not a workbook.
	b, _ := os.ReadFile(path)
	if _, fs, _ := Read(b, cat, "130100", "another-secret-another-secret-xx", 1, "x"); len(fs) != 1 || fs[0].Rule != "alloc.meta" {
		t.Errorf("wrong key: %+v", fs)
	}
	if res, fs, _ := Read([]byte("组织,指标\n"), cat, "130100", secret, 1, "x"); res != nil || len(fs) != 1 || fs[0].Rule != "file.not_xlsx" {
		t.Errorf("CSV: %+v", fs)
	}
}

func TestParseShare(t *testing.T) {
	tests := []struct {
		in    string
		v     float64
		state cellState
	}{
		{"52", 52, cellNumber}, {" ５２ ", 52, cellNumber}, {"1,234", 1234, cellNumber}, {"2.5", 2.5, cellNumber},
		{"", 0, cellBlank}, {"—", 0, cellBlank}, {"52家", 0, cellInvalid}, {"12,34", 0, cellInvalid}, {"约50", 0, cellInvalid}, {"5%", 0, cellInvalid},
	}
	for _, tt := range tests {
		v, st, _ := parseShare(tt.in)
		if v != tt.v || st != tt.state {
			t.Errorf("parseShare(%q) = %v %v, want %v %v", tt.in, v, st, tt.v, tt.state)
		}
	}
}
