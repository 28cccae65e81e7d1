package web

import (
	"archive/zip"
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"lingpao"
	"lingpao/ingest"
	"lingpao/internal/tooltest"
	"lingpao/sqlite"
	"lingpao/templates"
)

// audited returns the audit log's entries of action.
func (st *site) audited(action string) []sqlite.AuditEntry {
	st.t.Helper()
	es, err := st.w.Store.FindAudit(context.Background(), sqlite.AuditFilter{Action: action, Limit: 1000})
	if err != nil {
		st.t.Fatal(err)
	}
	return es
}

// current returns the submission in force of county name for March 2025.
func (st *site) current(name string) lingpao.Submission {
	st.t.Helper()
	subs, err := st.w.Store.FindSubmissions(context.Background(), sqlite.SubmissionFilter{Org: st.county(name), Period: "2025-03", Current: true})
	if err != nil || len(subs) != 1 {
		st.t.Fatalf("current submission of %s: %v, %v", name, subs, err)
	}
	return subs[0]
}

// warningReturn is county name's March return in force, changed by openpyxl (another writer than
// ours, as a county's Excel would) so that 规上工业企业数 jumps by more than 30% with a 情况说明 in the
// row's remark: accepted, with one warning that quotes the explanation.
func warningReturn(t *testing.T, st *site, name string) []byte {
	t.Helper()
	cur := st.current(name)
	out := filepath.Join(t.TempDir(), "out.xlsx")
	script := `import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["集群指标"]
codes = [ws.cell(4, i).value for i in range(1, ws.max_column + 1)]
col, rem = codes.index("above_scale") + 1, codes.index("remark") + 1
ws.cell(5, col).value = round(ws.cell(5, col).value * 1.6) + 3
ws.cell(5, rem).value = "本月新纳统规上企业12家，已核实"
wb.save(sys.argv[2])`
	if b, err := exec.Command(tooltest.Python(t), "-c", script, ingest.ArchivePath(st.w.Config, cur), out).CombinedOutput(); err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

var hrefID = regexp.MustCompile(`href="/remind/files/(\d+)"`)

// TestRemindFromThePage: staff remind the county that has not reported, see where the reminder went
// and download it; a second click does not send it again; contacts are checked and saved; a leader
// sees no buttons and is refused; a forged form is refused; every action is audited.
func TestRemindFromThePage(t *testing.T) {
	st := newSite(t, Options{})
	staff, leader := st.login(staffName), st.login(leaderName)
	missing := st.county("井陉矿区")

	page := staff.get("/remind?period=2025-03")
	if page.code != 200 || !strings.Contains(page.body, "向全部 1 个未报送单位立即催报") || !strings.Contains(page.body, `name="org" value="`+missing+`"`) {
		t.Fatalf("催报 page: %d\n%.2000s", page.code, page.body)
	}
	if i, j := strings.Index(page.body, "井陉矿区"), strings.Index(page.body, "长安区"); i < 0 || j < i {
		t.Error("the county that has not reported is not listed first")
	}
	if lp := leader.get("/remind?period=2025-03"); lp.code != 200 || strings.Contains(lp.body, `method="post" action="/remind"`) || strings.Contains(lp.body, "立即催报</button>") {
		t.Errorf("a leader sees the 立即催报 forms (%d)", lp.code)
	}
	tok := staff.token("/remind?period=2025-03")
	if res := staff.post("/remind", url.Values{"period": {"2025-03"}, "org": {missing}}); res.code != http.StatusForbidden {
		t.Errorf("a form without the token: %d", res.code)
	}
	if res := leader.post("/remind", url.Values{"csrf": {leader.token("/remind")}, "period": {"2025-03"}, "org": {missing}}); res.code != http.StatusForbidden {
		t.Errorf("a leader's 立即催报: %d", res.code)
	}
	res := staff.post("/remind", url.Values{"csrf": {tok}, "period": {"2025-03"}, "org": {missing}})
	if res.code != 200 || !strings.Contains(res.body, "已向 1 个单位发出催报") || !strings.Contains(res.body, "未配置邮件服务器") {
		t.Fatalf("remind: %d\n%s", res.code, res.body)
	}
	m := hrefID.FindStringSubmatch(res.body)
	if m == nil {
		t.Fatalf("no link to the reminder:\n%s", res.body)
	}
	txt := staff.get("/remind/files/" + m[1])
	if txt.code != 200 || !strings.Contains(txt.body, "【催报】井陉矿区 2025年3月") || !strings.Contains(txt.body, "inbox/井陉矿区/") {
		t.Errorf("reminder file: %d\n%s", txt.code, txt.body)
	}
	files, _ := filepath.Glob(filepath.Join(st.dir, "receipts", "井陉矿区", "催报_2025年3月_*.txt"))
	if len(files) != 1 {
		t.Errorf("reminders in the county's receipts folder: %v", files)
	}
	again := staff.post("/remind", url.Values{"csrf": {tok}, "period": {"2025-03"}, "all": {"1"}})
	if !strings.Contains(again.body, "没有发出催报") || !strings.Contains(again.body, "10 分钟内不重复发送") {
		t.Errorf("reminding all right after: %s", again.body)
	}
	if es := st.audited("remind_now"); len(es) != 1 || !strings.Contains(es[0].Detail, "井陉矿区") || es[0].UserName != staffName {
		t.Errorf("audit: %+v", es)
	}
	if staff.get("/remind/files/999").code != http.StatusNotFound || staff.get("/remind/files/..%2f..%2flingpao.yaml").code != http.StatusNotFound {
		t.Error("reminder downloads are by id only")
	}

	// Contacts: checked line by line, saved, used for the mail.
	form := url.Values{"csrf": {tok}, "period": {"2025-03"}, "name_0": {"赵敏"}, "title_0": {"填报人"}, "phone_0": {"0311-8888 6666"},
		"email_0": {"zhaomin@example"}, "remind_0": {"1"}, "name_1": {"钱局长"}, "phone_1": {"电话打不通"}, "remind_1": {"1"}}
	bad := staff.post("/remind/"+missing+"/contacts?period=2025-03", form)
	if bad.code != http.StatusBadRequest || !strings.Contains(bad.body, "第 1 行：邮箱“zhaomin@example”格式不对") || !strings.Contains(bad.body, "第 2 行：电话") || !strings.Contains(bad.body, `value="赵敏"`) {
		t.Errorf("bad contacts: %d\n%s", bad.code, bad.body)
	}
	form.Set("email_0", "zhaomin@example.gov.cn")
	form.Set("phone_1", "13800000000")
	if ok := staff.post("/remind/"+missing+"/contacts?period=2025-03", form); ok.code != http.StatusSeeOther {
		t.Fatalf("save contacts: %d\n%s", ok.code, ok.body)
	}
	cs, err := st.w.Store.Contacts(context.Background(), missing)
	if err != nil || len(cs) != 2 || cs[0].Email != "zhaomin@example.gov.cn" || !cs[0].Remind || cs[1].Remind {
		t.Errorf("contacts saved: %+v, %v", cs, err)
	}
	cp := staff.get("/remind/" + missing + "?period=2025-03&saved=1")
	if !strings.Contains(cp.body, "联系人已保存") || !strings.Contains(cp.body, "催报邮件发往：zhaomin@example.gov.cn") || !strings.Contains(cp.body, "立即催报") {
		t.Errorf("county page after saving:\n%.3000s", cp.body)
	}
	if es := st.audited("contacts"); len(es) != 1 || !strings.Contains(es[0].Detail, "赵敏") {
		t.Errorf("contacts audit: %+v", es)
	}
	if res := staff.post("/remind/999999/contacts", form); res.code != http.StatusBadRequest {
		t.Errorf("contacts of an unknown county: %d", res.code)
	}
}

// TestTemplateDownloads: one county's template and every county's as a zip, prefilled with the
// roster and the county's problems of the ledger; downloads are audited; unknown counties refused.
func TestTemplateDownloads(t *testing.T) {
	st := newSite(t, Options{})
	leader := st.login(leaderName)
	ctx := context.Background()
	luquan := st.county("鹿泉区")
	if _, err := st.w.Store.SyncIssueCases(ctx, st.now()); err != nil {
		t.Fatal(err)
	}
	cases, _, err := st.w.Store.FindIssueCases(ctx, sqlite.IssueCaseFilter{Org: luquan})
	if err != nil || len(cases) != 1 {
		t.Fatalf("鹿泉区's cases: %+v, %v", cases, err)
	}
	if _, err := st.w.Store.AssignIssue(ctx, sqlite.IssueAction{Case: cases[0].ID, User: staffName, At: st.now(), Department: "市自然资源和规划局", Deadline: "2099-12-31"}); err != nil {
		t.Fatal(err)
	}
	page := leader.get("/templates?period=2025-03&month=2025-04")
	if page.code != 200 || !strings.Contains(page.body, "2025-04_鹿泉区.xlsx") || !strings.Contains(page.body, "报表模板_石家庄市_2025年4月.zip") {
		t.Fatalf("templates page: %d\n%.2000s", page.code, page.body)
	}
	res := leader.get("/templates/" + luquan + "?month=2025-04")
	if res.code != 200 || !strings.Contains(res.header.Get("Content-Disposition"), "2025-04_%E9%B9%BF%E6%B3%89%E5%8C%BA.xlsx") {
		t.Fatalf("template download: %d %v", res.code, res.header)
	}
	ret, _, err := templates.Read([]byte(res.body), "2025-04_鹿泉区.xlsx", st.w.Catalog, st.w.Config.Secret, templates.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if ret.Org != luquan || ret.Period != lingpao.MonthOf(2025, 4) || len(ret.Issues) != 1 || ret.Issues[0].Status != "交办" || ret.Issues[0].Department != "市自然资源和规划局" {
		t.Errorf("template read back: org %s period %s issues %+v", ret.Org, ret.Period, ret.Issues)
	}
	if len(ret.Enterprises) == 0 {
		t.Error("the roster is not prefilled")
	}
	all := leader.get("/templates/all?month=2025-04")
	zr, err := zip.NewReader(bytes.NewReader([]byte(all.body)), int64(len(all.body)))
	if err != nil {
		t.Fatalf("zip: %v (%d, %s)", err, all.code, all.header.Get("Content-Type"))
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	if len(names) != 24 || !contains(names, "鹿泉区/2025-04_鹿泉区.xlsx") {
		t.Errorf("zip entries: %v", names)
	}
	if res := leader.get("/templates/130000?month=2025-04"); res.code != http.StatusBadRequest {
		t.Errorf("template of a unit that is not a county: %d", res.code)
	}
	if res := leader.get("/templates/" + luquan + "?month=2025Q1"); res.code != http.StatusBadRequest || !strings.Contains(res.body, "模板按月下发") {
		t.Errorf("template for a quarter: %d", res.code)
	}
	if es := st.audited("template_download"); len(es) != 2 || es[0].UserName != leaderName {
		t.Errorf("template audit: %+v", es)
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

// TestIssueWorkflow: a problem of the ledger assigned to a department with a deadline (a past deadline
// refused), overdue once the deadline is past, handled, exported (read back with openpyxl), closed —
// and the county's next template says so; a leader cannot act; every step is audited.
func TestIssueWorkflow(t *testing.T) {
	st := newSite(t, Options{})
	staff, leader := st.login(staffName), st.login(leaderName)
	ctx := context.Background()
	ledger := staff.get("/issues?period=2025-03")
	if ledger.code != 200 || !strings.Contains(ledger.body, "用地指标不足") {
		t.Fatalf("ledger: %d", ledger.code)
	}
	luquan := st.county("鹿泉区")
	cases, _, err := st.w.Store.FindIssueCases(ctx, sqlite.IssueCaseFilter{Org: luquan})
	if err != nil || len(cases) != 1 {
		t.Fatalf("cases: %+v %v", cases, err)
	}
	id := cases[0].ID
	path := "/issues/" + idStr(id)
	tok := staff.token(path)
	due := lingpao.FormatDate(st.now().AddDate(0, 0, 10))
	past := staff.post(path+"/assign", url.Values{"csrf": {tok}, "department": {"市自然资源和规划局"}, "deadline": {"2020-01-01"}, "note": {"请协调"}})
	if past.code != http.StatusBadRequest || !strings.Contains(past.body, "早于今天") || !strings.Contains(past.body, "请协调") {
		t.Errorf("a past deadline: %d", past.code)
	}
	if res := leader.post(path+"/assign", url.Values{"csrf": {leader.token(path)}, "department": {"x"}, "deadline": {due}}); res.code != http.StatusForbidden {
		t.Errorf("a leader's assignment: %d", res.code)
	}
	if res := staff.post(path+"/assign", url.Values{"csrf": {tok}, "department": {"市自然资源和规划局"}, "deadline": {due}, "note": {"请协调用地指标"}}); res.code != http.StatusSeeOther {
		t.Fatalf("assign: %d\n%s", res.code, res.body)
	}
	if d := staff.get(path + "?done=assign"); !strings.Contains(d.body, "已交办给 市自然资源和规划局，办理时限 "+due) || strings.Contains(d.body, "已逾期") {
		t.Errorf("case after assignment:\n%.3000s", d.body)
	}
	st.advance(12 * 24 * time.Hour)
	staff = st.login(staffName) // the session has expired meanwhile
	tok = staff.token(path)
	overdue := staff.get("/issues?status=overdue")
	if !strings.Contains(overdue.body, "逾期2天") || !strings.Contains(overdue.body, "共 1 条") {
		t.Errorf("overdue list:\n%.3000s", overdue.body)
	}
	if res := staff.post(path+"/opinion", url.Values{"csrf": {tok}, "note": {"  "}}); res.code != http.StatusBadRequest || !strings.Contains(res.body, "请填写办理意见") {
		t.Errorf("an empty opinion: %d", res.code)
	}
	if res := staff.post(path+"/opinion", url.Values{"csrf": {tok}, "note": {"已与县里对接，拟调剂指标"}}); res.code != http.StatusSeeOther {
		t.Fatalf("opinion: %d", res.code)
	}

	// The export, read by openpyxl.
	exp := staff.get("/issues/export?status=overdue")
	if exp.code != 200 || !strings.HasSuffix(exp.header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("export: %d %v", exp.code, exp.header)
	}
	file := filepath.Join(t.TempDir(), "ledger.xlsx")
	if err := os.WriteFile(file, []byte(exp.body), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tooltest.Python(t), "-c", `import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
print(ws.title, ws.max_row, ws.freeze_panes)
for row in ws.iter_rows(min_row=3, values_only=True):
    print("|".join("" if v is None else str(v) for v in row))`, file).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != 3 || lines[0] != "问题台账 4 A4" || !strings.HasPrefix(lines[1], "编号|单位|问题描述") ||
		!strings.Contains(lines[2], "|鹿泉区|") || !strings.Contains(lines[2], "|办理中|市自然资源和规划局|"+due+"|2|已与县里对接，拟调剂指标|") {
		t.Errorf("export read back:\n%s", out)
	}

	if res := staff.post(path+"/close", url.Values{"csrf": {tok}, "note": {"已调剂用地指标30亩"}}); res.code != http.StatusSeeOther {
		t.Fatalf("close: %d", res.code)
	}
	c, evs, _, err := st.w.Store.FindIssueCase(ctx, id)
	if err != nil || c.Status != lingpao.IssueClosed || len(evs) != 4 || evs[3].User != staffName {
		t.Errorf("case closed: %+v %+v %v", c, evs, err)
	}
	spec, err := st.w.TemplateSpec(ctx, lingpao.OrgUnit{Code: luquan, Name: "鹿泉区"}, lingpao.MonthOfTime(st.now()))
	if err != nil || len(spec.Issues) != 1 || spec.Issues[0].Status != "办结销号" || !strings.Contains(spec.Issues[0].Note, "已调剂用地指标30亩") {
		t.Errorf("next template: %+v %v", spec.Issues, err)
	}
	for _, a := range []string{"issue_assign", "issue_opinion", "issue_close", "issue_export"} {
		if len(st.audited(a)) != 1 {
			t.Errorf("%s not audited once", a)
		}
	}
}

func idStr(n int64) string { return strconv.FormatInt(n, 10) }

// TestReviewAndReturn: a county's corrected return with a warning explained in its remark is
// reviewed — the explanation accepted, the return accepted with a note — then returned: it stops
// counting, version 1 is in force again, the county gets a receipt saying why, and the same file
// dropped again under another name is not taken as a new return.
func TestReviewAndReturn(t *testing.T) {
	st := newSite(t, Options{})
	staff := st.login(staffName)
	ctx := context.Background()
	v1 := st.current("鹿泉区")
	data := warningReturn(t, st, "鹿泉区")
	up := staff.upload(v1.Org, "2025-03_鹿泉区（更正）.xlsx", data, staff.token("/upload"))
	if up.code != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", up.code, up.body)
	}
	v2 := st.current("鹿泉区")
	if v2.Version != 2 {
		t.Fatalf("the corrected return is version %d", v2.Version)
	}
	path := "/submissions/" + idStr(v2.ID) + "/review"
	page := staff.get(path)
	if page.code != 200 || !strings.Contains(page.body, "本月新纳统规上企业12家，已核实") || !strings.Contains(page.body, "认可说明") || !strings.Contains(page.body, "本月数据改按此前受理的第1版") {
		t.Fatalf("review page: %d\n%.4000s", page.code, page.body)
	}
	fs, _ := st.w.Store.SubmissionFindings(ctx, v2.ID)
	if len(fs) != 1 {
		t.Fatalf("findings of version 2: %+v", fs)
	}
	tok := staff.token(path)
	if res := staff.post(path, url.Values{"csrf": {tok}, "action": {"explanation"}, "finding": {idStr(fs[0].ID)}, "note": {"已电话核实"}}); res.code != http.StatusSeeOther {
		t.Fatalf("accept explanation: %d\n%s", res.code, res.body)
	}
	if res := staff.post(path, url.Values{"csrf": {tok}, "action": {"explanation"}, "finding": {idStr(fs[0].ID)}}); res.code != http.StatusBadRequest || !strings.Contains(res.body, "已经认可过了") {
		t.Errorf("the same explanation twice: %d", res.code)
	}
	if res := staff.post(path, url.Values{"csrf": {tok}, "action": {"accept"}, "note": {"数据已核对"}}); res.code != http.StatusSeeOther {
		t.Fatalf("accept: %d", res.code)
	}
	if q := staff.get("/review?period=2025-03"); !strings.Contains(q.body, "已审核通过") {
		t.Error("the queue does not show the accepted review")
	}
	noConfirm := staff.post(path, url.Values{"csrf": {tok}, "action": {"return"}, "comment": {"规上企业数与名录不符，请核对"}})
	if noConfirm.code != http.StatusBadRequest || !strings.Contains(noConfirm.body, "请勾选“确认退回”") || !strings.Contains(noConfirm.body, "规上企业数与名录不符，请核对") {
		t.Errorf("a return not confirmed: %d", noConfirm.code)
	}
	if res := staff.post(path, url.Values{"csrf": {tok}, "action": {"return"}, "comment": {"规上企业数与名录不符，请核对"}, "confirm": {"1"}}); res.code != http.StatusSeeOther {
		t.Fatalf("return: %d\n%s", res.code, res.body)
	}
	if cur := st.current("鹿泉区"); cur.ID != v1.ID {
		t.Errorf("in force after the return: %d, want version 1 (%d)", cur.ID, v1.ID)
	}
	rec := staff.get(path + "/receipt")
	if rec.code != 200 || !strings.Contains(rec.body, "【审核退回】鹿泉区 2025年3月报表") || !strings.Contains(rec.body, "退回意见：规上企业数与名录不符，请核对") {
		t.Errorf("return receipt: %d\n%s", rec.code, rec.body)
	}
	detail := staff.get("/submissions/" + idStr(v2.ID))
	if !strings.Contains(detail.body, "【审核退回】") || !strings.Contains(detail.body, "退回回执") {
		t.Errorf("the detail page does not say it was returned:\n%.3000s", detail.body)
	}
	if res := staff.post(path, url.Values{"csrf": {tok}, "action": {"return"}, "comment": {"再退一次"}, "confirm": {"1"}}); res.code != http.StatusBadRequest {
		t.Errorf("returning a returned file: %d", res.code)
	}
	for _, a := range []string{"review_explanation", "review_accept", "review_return"} {
		if len(st.audited(a)) != 1 {
			t.Errorf("%s not audited once", a)
		}
	}
	// The county drops the returned file again under another name: a duplicate, nothing re-accepted.
	again := staff.upload(v1.Org, "2025-03_鹿泉区（再报）.xlsx", data, staff.token("/upload"))
	if again.code != http.StatusSeeOther {
		t.Fatalf("upload again: %d", again.code)
	}
	if cur := st.current("鹿泉区"); cur.ID != v1.ID {
		t.Errorf("the returned bytes were taken again: in force %+v", cur)
	}
	if s, _ := st.w.Store.FindSubmission(ctx, v2.ID); s.Status != lingpao.SubRejected {
		t.Errorf("the returned file is %s again", s.Status)
	}
}

// TestClerkFormsGuarded: every form of the clerk's pages refuses a request without the session's
// token and a leader's request with it, and changes nothing.
func TestClerkFormsGuarded(t *testing.T) {
	st := newSite(t, Options{})
	staff, leader := st.login(staffName), st.login(leaderName)
	ctx := context.Background()
	if _, err := st.w.Store.SyncIssueCases(ctx, st.now()); err != nil {
		t.Fatal(err)
	}
	cases, _, _ := st.w.Store.FindIssueCases(ctx, sqlite.IssueCaseFilter{})
	sub := st.current("鹿泉区")
	org := st.county("井陉矿区")
	forms := []struct {
		path string
		form url.Values
	}{
		{"/remind", url.Values{"period": {"2025-03"}, "org": {org}}},
		{"/remind", url.Values{"period": {"2025-03"}, "all": {"1"}}},
		{"/remind/" + org + "/contacts", url.Values{"name_0": {"x"}, "email_0": {"x@example.gov.cn"}}},
		{"/issues/" + idStr(cases[0].ID) + "/assign", url.Values{"department": {"市财政局"}, "deadline": {"2099-01-01"}}},
		{"/issues/" + idStr(cases[0].ID) + "/close", url.Values{"note": {"x"}}},
		{"/submissions/" + idStr(sub.ID) + "/review", url.Values{"action": {"accept"}}},
		{"/submissions/" + idStr(sub.ID) + "/review", url.Values{"action": {"return"}, "comment": {"x"}, "confirm": {"1"}}},
	}
	staffTok, leaderTok := staff.token("/remind"), leader.token("/remind")
	for _, f := range forms {
		if res := staff.post(f.path, f.form); res.code != http.StatusForbidden {
			t.Errorf("%s without the token: %d", f.path, res.code)
		}
		other := url.Values{}
		for k, v := range f.form {
			other[k] = v
		}
		other.Set("csrf", leaderTok)
		if res := leader.post(f.path, other); res.code != http.StatusForbidden {
			t.Errorf("%s by a leader: %d", f.path, res.code)
		}
		other.Set("csrf", staffTok)
		req, _ := http.NewRequest(http.MethodPost, staff.base+f.path, strings.NewReader(other.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", "http://evil.example")
		if res := staff.do(req); res.code != http.StatusForbidden {
			t.Errorf("%s from another site: %d", f.path, res.code)
		}
	}
	if rs, _ := st.w.Store.Reminders(ctx, ""); len(rs) != 0 {
		t.Errorf("reminders sent: %+v", rs)
	}
	if cs, _ := st.w.Store.Contacts(ctx, ""); len(cs) != 0 {
		t.Errorf("contacts saved: %+v", cs)
	}
	if c, _, _, _ := st.w.Store.FindIssueCase(ctx, cases[0].ID); c.Status != cases[0].Status {
		t.Errorf("case changed: %s", c.Status)
	}
	if rs, _ := st.w.Store.Reviews(ctx, sub.ID); len(rs[sub.ID]) != 0 || st.current("鹿泉区").ID != sub.ID {
		t.Errorf("reviews recorded: %+v", rs)
	}
}
