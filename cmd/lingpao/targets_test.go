package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lingpao"
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
	col := displayWidth(lines[0][:strings.Index(lines[0], "指标")])
	for _, l := range lines[2:] {
		if !strings.HasPrefix(l, "石家庄市") {
			continue
		}
		rest := strings.TrimLeft(l[len("石家庄市"):], " ")
		if got := displayWidth(l[:len(l)-len(rest)]); got != col {
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
	for _, action := range []string{"export", "import"} {
		_, _, err := runTargetsCmd(t, action, "x.xlsx")
		if lingpao.ErrorCode(err) != lingpao.EINVALID {
			t.Errorf("%s: got %v, want EINVALID", action, err)
		}
	}
	if _, _, err := runTargetsCmd(t); err != errUsage {
		t.Errorf("no action: got %v, want usage error", err)
	}
	if _, _, err := runTargetsCmd(t, "list", "--format", "xml"); lingpao.ErrorCode(err) != lingpao.EINVALID {
		t.Errorf("bad format: got %v", err)
	}
}

func TestDisplayWidth(t *testing.T) {
	for s, want := range map[string]int{"abc": 3, "鹿泉区": 6, "8至10家": 7, "《方案》（石政办函〔2022〕44号）": 32, "“领跑者”": 8} {
		if got := displayWidth(s); got != want {
			t.Errorf("displayWidth(%q) = %d, want %d", s, got, want)
		}
	}
}
