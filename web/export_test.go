package web

import (
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"lingpao/internal/tooltest"
	"lingpao/sqlite"
)

// sheetDump is a workbook as openpyxl reads it: per sheet, its rows of cell texts.
type sheetDump map[string][][]string

// readXLSX reads a workbook with openpyxl — another reader than ours.
func readXLSX(t *testing.T, b []byte) sheetDump {
	t.Helper()
	python := tooltest.Python(t)
	path := filepath.Join(t.TempDir(), "x.xlsx")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	script := `import sys, json, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    out[ws.title] = [["" if c is None else str(c) for c in row] for row in ws.iter_rows(values_only=True)]
print(json.dumps(out, ensure_ascii=False))`
	cmd := exec.Command(python, "-c", script, path)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, stderr.String())
	}
	var d sheetDump
	if err := json.Unmarshal(out, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestEveryListExports downloads each list as a workbook, with its filter, and reads it back with
// openpyxl: the headers, and every row the filter selects — not only the page shown.
func TestEveryListExports(t *testing.T) {
	st := newSite(t, Options{})
	b := st.login(adminName)
	ctx := context.Background()
	all, err := st.w.Store.FindSubmissions(ctx, sqlite.SubmissionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) sheetDump {
		t.Helper()
		res := b.get(path)
		if res.code != http.StatusOK || !strings.HasPrefix(res.body, "PK") || !strings.Contains(res.header.Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("GET %s: %d %s", path, res.code, res.header.Get("Content-Disposition"))
		}
		return readXLSX(t, []byte(res.body))
	}
	// Every period, 20 rows a page on screen: the export has them all.
	d := get("/submissions?all=1&size=20&format=xlsx")
	rows := d["报送记录"]
	if len(rows) != len(all)+3 || rows[2][0] != "收到时间" || rows[2][3] != "文件名" {
		t.Errorf("submissions export: %d rows, want %d + 3; header %v", len(rows), len(all), rows[2])
	}
	// The keyword filter applies to the export too.
	d = get("/submissions?all=1&q=赞皇县&format=xlsx")
	for _, row := range d["报送记录"][3:] {
		if !strings.Contains(strings.Join(row, " "), "赞皇县") {
			t.Errorf("a row without the keyword: %v", row)
		}
	}
	d = get("/escalations?period=2025-03&format=xlsx")
	for _, sheet := range []string{"督办台账", "报送不及时", "督办记录", "指标滞后"} {
		if len(d[sheet]) < 3 {
			t.Errorf("escalations export lacks sheet %s: %v", sheet, d)
		}
	}
	d = get("/reports?format=xlsx")
	if len(d["报告档案"]) < 4 || d["报告档案"][2][1] != "报告" {
		t.Errorf("reports export: %v", d["报告档案"])
	}
	d = get("/?period=2025-03&format=xlsx")
	if len(d["报送情况"]) != 24+3 || len(d["指标进度"]) < 3+24 {
		t.Errorf("dashboard export: %d reporting rows, %d heat rows", len(d["报送情况"]), len(d["指标进度"]))
	}
	d = get("/targets?org=all&format=xlsx")
	if len(d["目标任务"]) < 50 {
		t.Errorf("targets export: %d rows", len(d["目标任务"]))
	}
	d = get("/jobs?job=all&format=xlsx")
	if _, ok := d["任务记录"]; !ok {
		t.Errorf("jobs export: %v", d)
	}
	// The audit log: every download above is in it, and its export lists them.
	d = get("/audit?action=download&format=xlsx")
	if n := len(d["审计日志"]) - 3; n != 7 {
		t.Errorf("audit export lists %d downloads, want the 7 exports so far", n)
	}
	if res := b.get("/submissions?format=pdf"); res.code != http.StatusBadRequest {
		t.Errorf("unknown export format: %d", res.code)
	}
}
