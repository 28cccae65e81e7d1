package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"lingpao"
	"lingpao/internal/tooltest"
	"lingpao/jobs"
)

func runTargetsCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), append([]string{"targets"}, args...), &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

func TestTargetsListJSON(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runTargetsCmd(t, "list", "--dir", dir, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("output is not a JSON array: %v\n%s", err, out)
	}
	var found bool
	for _, r := range rows {
		for _, key := range []string{"org", "org_code", "indicator_code", "indicator_name", "unit", "kind", "form", "due",
			"value", "min", "max", "comparison", "baseline", "citation", "text", "example"} {
			if _, ok := r[key]; !ok {
				t.Fatalf("row %v lacks %q", r["id"], key)
			}
		}
		if r["example"] != false {
			t.Errorf("example %v listed without --examples", r["id"])
		}
		if r["org_code"] == "130100" && r["indicator_code"] == "srdi_sme" && r["due"] == "2025-12-31" {
			found = true
			if r["value"] != 750.0 || r["min"] != nil || r["max"] != nil || r["comparison"] != "reach" || r["org"] != "石家庄市" ||
				r["kind"] != "stock" || r["form"] != "milestone" || r["baseline"] != 580.0 ||
				!strings.Contains(r["citation"].(string), "石政办函〔2022〕44号") {
				t.Errorf("750 target: %v", r)
			}
		}
		if r["id"] == "sjz2022-listed-2025" && (r["value"] != nil || r["min"] != 8.0 || r["max"] != 10.0) {
			t.Errorf("range target: %v", r)
		}
	}
	if !found {
		t.Error("the 2025 target of 750 专精特新中小企业 is not listed")
	}
}

func TestTargetsListOrgAndExamples(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runTargetsCmd(t, "list", "--dir", dir, "--org", "鹿泉区", "--examples", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		OrgCode string  `json:"org_code"`
		Example bool    `json:"example"`
		Value   float64 `json:"value"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatal("no example targets for 鹿泉区")
	}
	for _, r := range rows {
		if r.OrgCode != "130110" || !r.Example {
			t.Errorf("row %+v: want only 鹿泉区 examples", r)
		}
	}

	// Without --examples a county has no targets of its own; its city lists its own and its units'.
	out, _, err = runTargetsCmd(t, "list", "--dir", dir, "--org", "130110")
	if err != nil || !strings.Contains(out, "没有符合条件的目标任务") {
		t.Errorf("鹿泉区 without examples: %v\n%s", err, out)
	}
	out, _, err = runTargetsCmd(t, "list", "--dir", dir, "--org", "河北省", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{`"org_code": "130000"`, `"org_code": "130100"`, `"org_code": "130600"`} {
		if !strings.Contains(out, code) {
			t.Errorf("河北省 listing lacks %s", code)
		}
	}

	_, _, err = runTargetsCmd(t, "list", "--dir", dir, "--org", "不存在县")
	if lingpao.ErrorCode(err) != lingpao.ENOTFOUND {
		t.Errorf("unknown org: got %v, want ENOTFOUND", err)
	}
}

func TestTargetsListTableAndCSV(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runTargetsCmd(t, "list", "--dir", dir, "--org", "石家庄市")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], "组织") || !strings.Contains(lines[0], "出处") {
		t.Fatalf("header: %q", lines[0])
	}
	// Columns line up by display width: the 指标 column starts at the same column on every row.
	col := displayWidth().StringWidth(lines[0][:strings.Index(lines[0], "指标")])
	for _, l := range lines[2:] {
		if !strings.HasPrefix(l, "石家庄市") {
			continue
		}
		rest := strings.TrimLeft(l[len("石家庄市"):], " ")
		if got := displayWidth().StringWidth(l[:len(l)-len(rest)]); got != col {
			t.Errorf("指标 column at %d, want %d: %q", got, col, l)
		}
	}
	if !strings.Contains(out, "750家") || !strings.Contains(out, "8至10家") || !strings.Contains(out, "20家以上") {
		t.Errorf("table lacks the document figures:\n%s", out)
	}

	out, _, err = runTargetsCmd(t, "list", "--dir", dir, "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out, "\ufeff") {
		t.Error("CSV has no byte-order mark")
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[0][0] != "组织" || len(recs) < 100 {
		t.Errorf("CSV: header %v, %d records", recs[0], len(recs))
	}
}

func TestTargetsWorkspaceOverride(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "seeds"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "seeds", "targets.yaml"), []byte(`targets:
  - {id: local-1, org: 鹿泉区, indicator: srdi_sme, form: milestone, comparison: reach, value: 70, due: 2026-12-31, citation: 区工作要点}
`), 0o644)
	os.WriteFile(filepath.Join(dir, "seeds", "allocation_example.yaml"), []byte("allocations: []\n"), 0o644)
	out, _, err := runTargetsCmd(t, "list", "--dir", dir, "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	json.Unmarshal([]byte(out), &rows)
	if len(rows) != 1 || rows[0]["id"] != "local-1" || rows[0]["org"] != "鹿泉区" {
		t.Errorf("override not used: %s", out)
	}
}

func TestTargetsOtherActions(t *testing.T) {
	dir := t.TempDir() // not a workspace
	for _, action := range []string{"export", "import", "versions"} {
		args := []string{action, "--dir", dir}
		if action != "versions" {
			args = append(args, "x.xlsx")
		}
		_, _, err := runTargetsCmd(t, args...)
		if lingpao.ErrorCode(err) != lingpao.ENOTFOUND || !strings.Contains(lingpao.ErrorMessage(err), "lingpao init") {
			t.Errorf("%s outside a workspace: got %v, want ENOTFOUND saying to run lingpao init", action, err)
		}
	}
	if _, _, err := runTargetsCmd(t, "export", "--dir", dir); !errors.Is(err, errUsage) {
		t.Errorf("export without a file: got %v, want usage error", err)
	}
	if _, _, err := runTargetsCmd(t, "export", "a.xlsx", "b.xlsx", "--dir", dir); !errors.Is(err, errUsage) {
		t.Errorf("export with two files: got %v, want usage error", err)
	}
	if _, _, err := runTargetsCmd(t); !errors.Is(err, errUsage) {
		t.Errorf("no action: got %v, want usage error", err)
	}
	if _, _, err := runTargetsCmd(t, "list", "--format", "xml"); !errors.Is(err, errUsage) || !strings.Contains(lingpao.ErrorMessage(err), "可选 table、csv、json") {
		t.Errorf("bad format: got %v", err)
	}
}

// editAllocation changes share cells of an allocation workbook with openpyxl and saves it in place:
// each edit is "key;org code;value".
func editAllocation(t *testing.T, path string, edits ...string) {
	t.Helper()
	script := `
import sys, openpyxl
path = sys.argv[1]
wb = openpyxl.load_workbook(path)
ws = wb["目标分解"]
edits = dict(((e.split(";")[0], e.split(";")[1]), e.split(";")[2]) for e in sys.argv[2:])
for r in range(4, ws.max_row + 1):
    k = (ws.cell(r, 1).value, ws.cell(r, 2).value)
    if k in edits:
        ws.cell(r, 6).value = int(edits[k])
wb.save(path)
`
	if out, err := exec.Command(tooltest.Python(t), append([]string{"-c", script, path}, edits...)...).CombinedOutput(); err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
}

// shareOf returns the share of org in the 2025 milestone of 750 listed by `targets list`.
func shareOf(t *testing.T, dir, org string) (float64, bool) {
	t.Helper()
	out, _, err := runTargetsCmd(t, "list", "--dir", dir, "--org", org, "--examples", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []struct {
		ID      string  `json:"id"`
		Value   float64 `json:"value"`
		Example bool    `json:"example"`
	}
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.ID == "sjz2022-srdi_sme-2025@"+org {
			return r.Value, r.Example
		}
	}
	t.Fatalf("no 2025 share of %s", org)
	return 0, false
}

// TestTargetsExportImport: export → edit with openpyxl → import makes a new targets version that the
// workspace measures against, and survives reopening; an allocation that does not add up is
// rejected with the difference and changes nothing.
func TestTargetsExportImport(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"init", "--dir", dir}, &out, &errb); err != nil {
		t.Fatalf("init: %v\n%s", err, errb.String())
	}
	file := filepath.Join(dir, "目标分解表.xlsx")
	stdout, _, err := runTargetsCmd(t, "export", file, "--dir", dir, "--from", "2025")
	if err != nil || !strings.Contains(stdout, "已导出目标分解表") || !strings.Contains(stdout, "× 24 个县（市、区），目标版本 1") {
		t.Fatalf("export: %v\n%s", err, stdout)
	}
	lq, example := shareOf(t, dir, "130110")
	ca, _ := shareOf(t, dir, "130102")
	if !example {
		t.Fatal("鹿泉区's share should be the example before the import")
	}
	const key = "sjz2022-srdi_sme-2025|2025"
	editAllocation(t, file, fmt.Sprintf("%s;130110;%d", key, int(lq)+5), fmt.Sprintf("%s;130102;%d", key, int(ca)-5))
	stdout, _, err = runTargetsCmd(t, "import", file, "--dir", dir)
	if err != nil || !strings.Contains(stdout, "形成目标版本 2") {
		t.Fatalf("import: %v\n%s", err, stdout)
	}
	if !strings.Contains(stdout, "专精特新中小企业数") || !strings.Contains(stdout, "2个县") {
		t.Errorf("import summary lacks the changed block:\n%s", stdout)
	}
	got, example := shareOf(t, dir, "130110")
	if got != lq+5 || example {
		t.Errorf("鹿泉区 after the import: %v (example %v), want %v", got, example, lq+5)
	}

	// Not adding up: 鹿泉区 +3 more. Rejected, with the difference; nothing changes.
	editAllocation(t, file, fmt.Sprintf("%s;130110;%d", key, int(lq)+8))
	stdout, _, err = runTargetsCmd(t, "import", file, "--dir", dir)
	if lingpao.ErrorCode(err) != lingpao.EINVALID || !strings.Contains(lingpao.ErrorMessage(err), "未通过校验（1 处错误）") {
		t.Fatalf("import of a sum that does not add up: %v", err)
	}
	for _, want := range []string{"错误", "目标分解", "F29", "各县分解合计 753家，全市目标 750家（合计应等于750家），多 3家", "不相符", "+3",
		"警告", "本表导出时的目标版本为 1，现行版本为 2"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("rejection output lacks %q:\n%s", want, stdout)
		}
	}
	jsonOut, _, _ := runTargetsCmd(t, "import", file, "--dir", dir, "--format", "json")
	var res struct {
		Version  int               `json:"version"`
		Findings []lingpao.Finding `json:"findings"`
	}
	// The workbook was exported at version 1 and version 2 is in force now: a warning beside the error.
	if err := json.Unmarshal([]byte(jsonOut), &res); err != nil || res.Version != 0 || len(res.Findings) != 2 || res.Findings[1].Rule != "alloc.sum" ||
		res.Findings[1].Value != "753" || res.Findings[1].Cell != "F29" || res.Findings[0].Rule != "alloc.version" {
		t.Errorf("JSON rejection: %v %+v", err, res)
	}
	if got, _ := shareOf(t, dir, "130110"); got != lq+5 {
		t.Errorf("a rejected import changed 鹿泉区 to %v", got)
	}

	// Reopening the workspace (the seed files unchanged) keeps the imported version in force.
	stdout, _, err = runTargetsCmd(t, "versions", "--dir", dir)
	if err != nil || !strings.Contains(stdout, "2（现行）") || !strings.Contains(stdout, "目标分解表.xlsx") || !strings.Contains(stdout, "种子数据") {
		t.Errorf("versions: %v\n%s", err, stdout)
	}
	w, err := jobs.Open(ctx, dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if w.TargetsVersion != 2 {
		t.Errorf("reopened workspace measures against version %d, want 2", w.TargetsVersion)
	}
}
