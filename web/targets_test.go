package web

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"lingpao"
	"lingpao/internal/tooltest"
)

// editAllocation changes county shares of the allocation workbook at path with openpyxl (a second
// writer): pairs of (key|org, value); "-" moves value away from the first org of the key, "+" to it.
func editAllocation(t *testing.T, path, out string, edits map[[2]string]string) {
	t.Helper()
	python := tooltest.Python(t)
	var args []string
	for k, v := range edits {
		args = append(args, k[0], k[1], v)
	}
	script := `import sys, openpyxl
path, out, args = sys.argv[1], sys.argv[2], sys.argv[3:]
wb = openpyxl.load_workbook(path)
ws = wb["目标分解"]
edits = {(args[i], args[i+1]): args[i+2] for i in range(0, len(args), 3)}
done = 0
for r in range(1, ws.max_row + 1):
    k = (ws.cell(r, 1).value, ws.cell(r, 2).value)
    if k in edits:
        v = edits[k]
        if v.startswith("+") or v.startswith("-"):
            ws.cell(r, 6).value = (ws.cell(r, 6).value or 0) + float(v)
        else:
            ws.cell(r, 6).value = v
        done += 1
wb.save(out)
print(done)`
	b, err := exec.Command(python, append([]string{"-c", script, path, out}, args...)...).CombinedOutput()
	if err != nil || strings.TrimSpace(string(b)) != itoa(int64(len(edits))) {
		t.Fatalf("openpyxl edit: %v\n%s", err, b)
	}
}

// TestTargetsExportEditImport exports the allocation workbook from the page, lets openpyxl move five
// enterprises of the 2025 专精特新 target from 长安区 to 鹿泉区, imports it, and sees the new version in
// force; a workbook with words in a share cell is refused cell by cell and changes nothing.
func TestTargetsExportEditImport(t *testing.T) {
	st := newSite(t, Options{})
	staff := st.login(staffName)
	res := staff.get("/targets/export?period=2025-03")
	if res.code != http.StatusOK || !strings.HasPrefix(res.body, "PK") || !strings.Contains(res.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export: %d %q", res.code, res.header.Get("Content-Disposition"))
	}
	dir := t.TempDir()
	exported := filepath.Join(dir, "exported.xlsx")
	if err := os.WriteFile(exported, []byte(res.body), 0o644); err != nil {
		t.Fatal(err)
	}
	const key = "sjz2022-srdi_sme-2025|2025"
	changan, luquan := st.county("长安区"), st.county("鹿泉区")
	before := shareOf(t, st, changan, luquan)

	bad := filepath.Join(dir, "目标分解表（有误）.xlsx")
	editAllocation(t, exported, bad, map[[2]string]string{{key, luquan}: "很多"})
	tok := staff.token("/targets")
	res = st.postFile(staff, "/targets/import", bad, tok)
	if res.code != http.StatusBadRequest || !strings.Contains(res.body, "未导入") || !strings.Contains(res.body, "目标分解") {
		t.Errorf("bad workbook: %d\n%s", res.code, res.body)
	}
	if got := shareOf(t, st, changan, luquan); got != before {
		t.Errorf("a refused import changed the shares: %v → %v", before, got)
	}

	good := filepath.Join(dir, "目标分解表（已分解）.xlsx")
	editAllocation(t, exported, good, map[[2]string]string{{key, changan}: "-5", {key, luquan}: "+5"})
	res = st.postFile(staff, "/targets/import", good, tok)
	if res.code != http.StatusOK || !strings.Contains(res.body, "已导入") {
		t.Fatalf("good workbook: %d\n%s", res.code, res.body)
	}
	after := shareOf(t, st, changan, luquan)
	if after[0] != before[0]-5 || after[1] != before[1]+5 {
		t.Errorf("shares 长安区, 鹿泉区: %v → %v, want −5 and +5", before, after)
	}
	if page := staff.get("/targets?org=" + luquan); !strings.Contains(page.body, "目标分解表（已分解）.xlsx") {
		t.Error("the targets page does not list the imported version")
	}
	// The leader may download the workbook but not import one.
	leader := st.login(leaderName)
	if res := leader.get("/targets/export"); res.code != http.StatusOK {
		t.Errorf("leader export: %d", res.code)
	}
	if res := st.postFile(leader, "/targets/import", good, leader.token("/targets")); res.code != http.StatusForbidden {
		t.Errorf("leader import: %d", res.code)
	}
	entries := st.auditActions()
	if entries["targets_import"] != 2 || entries["targets_export"] != 2 {
		t.Errorf("audit log: %v", entries)
	}
}

// shareOf returns the 2025 专精特新 targets in force of two counties.
func shareOf(t *testing.T, st *site, a, b string) [2]float64 {
	t.Helper()
	ts, _, err := st.w.Store.Targets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var out [2]float64
	for _, tg := range ts {
		if tg.Indicator != "srdi_sme" || tg.Due.Year() != 2025 || tg.Form != lingpao.FormMilestone {
			continue
		}
		switch tg.Org {
		case a:
			out[0] = tg.Bar()
		case b:
			out[1] = tg.Bar()
		}
	}
	return out
}

// postFile uploads a file to a form with a file field "file".
func (st *site) postFile(b *browser, path, file, csrf string) response {
	st.t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		st.t.Fatal(err)
	}
	return b.multipart(path, map[string]string{"csrf": csrf}, filepath.Base(file), data)
}

// auditActions counts the audit log's entries by action.
func (st *site) auditActions() map[string]int {
	st.t.Helper()
	es, err := st.w.Store.FindAudit(context.Background(), auditFilterAll)
	if err != nil {
		st.t.Fatal(err)
	}
	out := map[string]int{}
	for _, e := range es {
		out[e.Action]++
	}
	return out
}
