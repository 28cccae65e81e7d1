package templates_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/internal/tooltest"
	"lingpao/templates"
)

// TestPrefilledIssuesReadBack generates a template with two problems of the city's ledger in its
// 问题台账, has the county update one status and add a new problem with openpyxl (another writer than
// ours), and reads the file back: the prefilled rows come back as written, the county's change and
// its new row with them; the prefilled descriptions are locked and the city's note is a comment.
func TestPrefilledIssuesReadBack(t *testing.T) {
	cat := catalog(t)
	u, err := cat.Tree.Find("鹿泉区")
	if err != nil {
		t.Fatal(err)
	}
	issues := []templates.PrefilledIssue{
		{Issue: lingpao.Issue{Description: "电子信息产业园用地指标不足，二期项目无法落地", Category: "用地", Enterprise: "石家庄华恒电子科技有限公司",
			Department: "市自然资源和规划局", Status: lingpao.IssueAssigned, Raised: "2025-07-10"},
			Note: "已交办 市自然资源和规划局，办理时限 2025-10-20。"},
		{Issue: lingpao.Issue{Description: "企业技术改造贷款贴息申报材料复杂", Category: "融资", Status: lingpao.IssueClosed, Raised: "2025-06-02", Closed: "2025-09-15"}},
	}
	var buf bytes.Buffer
	spec := templates.Spec{Org: u, Period: lingpao.MonthOf(2025, 9), Deadline: time.Date(2025, 10, 10, 0, 0, 0, 0, lingpao.Beijing),
		Generated: time.Date(2025, 9, 20, 10, 0, 0, 0, lingpao.Beijing), Secret: testSecret, IssuingUnit: "石家庄市工业和信息化局", Issues: issues}
	if err := templates.Generate(&buf, cat, spec); err != nil {
		t.Fatal(err)
	}

	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	comments, err := f.GetComments(templates.SheetIssues)
	if err != nil || len(comments) != 1 || comments[0].Cell != "F4" || comments[0].Paragraph[0].Text != issues[0].Note {
		t.Errorf("comments: %+v, %v", comments, err)
	}
	for _, ref := range []string{"A4", "B4", "B5"} {
		id, _ := f.GetCellStyle(templates.SheetIssues, ref)
		st, _ := f.GetStyle(id)
		if st.Protection != nil && !st.Protection.Locked {
			t.Errorf("%s is not locked", ref)
		}
	}
	for _, ref := range []string{"F4", "B6"} {
		id, _ := f.GetCellStyle(templates.SheetIssues, ref)
		st, _ := f.GetStyle(id)
		if st.Protection == nil || st.Protection.Locked {
			t.Errorf("%s is locked: the county cannot fill it", ref)
		}
	}
	f.Close()

	dir := t.TempDir()
	in, out := filepath.Join(dir, "tpl.xlsx"), filepath.Join(dir, "filled.xlsx")
	if err := os.WriteFile(in, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["问题台账"]
ws["F4"].value = "办理中"
ws["B6"].value = "高端人才公寓房源紧张"
ws["C6"].value = "人才"
ws["F6"].value = "征集"
ws["G6"].value = "2025-09-18"
wb.save(sys.argv[2])`
	if b, err := exec.Command(tooltest.Python(t), "-c", script, in, out).CombinedOutput(); err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	ret, _ := read(t, cat, data, "2025-09_鹿泉区.xlsx")
	want := []lingpao.Issue{issues[0].Issue, issues[1].Issue,
		{Description: "高端人才公寓房源紧张", Category: "人才", Status: lingpao.IssueCollected, Raised: "2025-09-18", Row: 6}}
	want[0].Status, want[0].Row, want[1].Row = lingpao.IssueHandling, 4, 5
	if diff := cmp.Diff(want, ret.Issues); diff != "" {
		t.Errorf("issues read back (-want +got):\n%s", diff)
	}
}
