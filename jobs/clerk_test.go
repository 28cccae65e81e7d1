package jobs_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lingpao"
	"lingpao/jobs"
	"lingpao/sqlite"
)

// save stores an accepted (or rejected) September return of county name received at at.
func (r *rig) save(name, sha string, at string, status lingpao.SubmissionStatus, issues ...lingpao.Issue) lingpao.Submission {
	r.t.Helper()
	u, err := r.w.Catalog.Tree.Find(name)
	if err != nil {
		r.t.Fatal(err)
	}
	s := lingpao.Submission{SHA256: strings.Repeat(sha, 64/len(sha)), Org: u.Code, Period: lingpao.MonthOf(2025, 9), FileName: "2025-09_" + name + "_" + sha + ".xlsx",
		Size: 1000, ReceivedAt: bj(at), Status: status}
	if status == lingpao.SubRejected {
		s.Findings = []lingpao.Finding{{Severity: lingpao.SevError, Rule: "x", Message: "错"}}
	}
	if err := r.w.Store.SaveSubmission(context.Background(), &s, nil, nil, issues); err != nil {
		r.t.Fatal(err)
	}
	return s
}

// TestRemindNowAndHistory: reminders sent from the page reach the county's configured address and
// the contacts kept in the page (so do the scheduled ones), skip counties that reported and counties
// just reminded, and the county's history lists both kinds with the state of each mail.
func TestRemindNowAndHistory(t *testing.T) {
	r := newRig(t, "2025-10-10 08:00", nil)
	ctx := context.Background()
	luquan, _ := r.w.Catalog.Tree.Find("鹿泉区")
	if err := r.w.Store.SetContacts(ctx, luquan.Code, []sqlite.Contact{
		{Name: "赵敏", Title: "填报人", Phone: "0311-8888", Email: "zhaomin@example.gov.cn", Remind: true},
		{Name: "钱局长", Title: "分管负责人", Email: "qian@example.gov.cn", Remind: false},
		{Name: "重复", Email: "LUQUAN@example.gov.cn", Remind: true},
	}, "李干事", r.clk.Now()); err != nil {
		t.Fatal(err)
	}
	if got, _ := r.w.CountyAddresses(ctx, luquan.Code); strings.Join(got, ",") != "luquan@example.gov.cn,zhaomin@example.gov.cn" {
		t.Errorf("addresses of 鹿泉区: %v", got)
	}
	r.save("栾城区", "a1", "2025-10-09 10:00", lingpao.SubAccepted)
	r.clk.Set(bj("2025-10-10 09:00"))
	if _, err := r.svc.Scheduler.RunNow(ctx, lingpao.JobRemind, bj("2025-10-10 09:00")); err != nil {
		t.Fatal(err)
	}
	r.clk.Set(bj("2025-10-10 15:30"))
	sept := lingpao.MonthOf(2025, 9)
	luancheng, _ := r.w.Catalog.Tree.Find("栾城区")
	out, err := r.w.RemindNow(ctx, jobs.RemindRequest{Month: sept, Orgs: []string{luquan.Code, luancheng.Code}, User: "李干事"})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[0].Name != "鹿泉区" || out[0].Reminder == 0 || len(out[0].Mailed) != 2 || out[1].Skipped == "" || !strings.Contains(out[1].Skipped, "已报送") {
		t.Fatalf("outcomes: %+v", out)
	}
	txt, err := os.ReadFile(filepath.Join(r.dir, filepath.FromSlash(out[0].Txt)))
	if err != nil || !strings.Contains(string(txt), "【催报】鹿泉区 2025年9月") || !strings.Contains(string(txt), "已逾期 1 个工作日") || !strings.Contains(string(txt), "\r\n") {
		t.Errorf("reminder %s: %v\n%s", out[0].Txt, err, txt)
	}
	again, err := r.w.RemindNow(ctx, jobs.RemindRequest{Month: sept, Orgs: []string{luquan.Code}, User: "李干事"})
	if err != nil || len(again) != 1 || !strings.Contains(again[0].Skipped, "15:30 已催报过") {
		t.Errorf("a second click: %+v, %v", again, err)
	}
	all, err := r.w.RemindNow(ctx, jobs.RemindRequest{Month: sept, User: "张科长"})
	reminded := 0
	for _, o := range all {
		if o.Reminder != 0 {
			reminded++
		} else if o.Org != luquan.Code {
			t.Errorf("skipped %s: %s", o.Name, o.Skipped)
		}
	}
	if err != nil || len(all) != 23 || reminded != 22 {
		t.Errorf("reminding every county not reported: %d reminded of %d (%v), want 22 and 鹿泉区 skipped", reminded, len(all), err)
	}
	if _, err := r.svc.Deliver(ctx, r.clk.Now()); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, m := range r.received() {
		if strings.Contains(m.Subject, "鹿泉区") {
			got[m.To]++
		}
	}
	if got["zhaomin@example.gov.cn"] != 2 || got["luquan@example.gov.cn"] != 2 || got["qian@example.gov.cn"] != 0 {
		t.Errorf("mails for 鹿泉区 by address: %v (the scheduled reminder and the page's, each to both)", got)
	}
	hist, err := r.w.ReminderHistory(ctx, luquan.Code)
	if err != nil {
		t.Fatal(err)
	}
	if len(hist) != 2 || hist[0].Kind != "立即催报" || hist[0].By != "李干事" || hist[1].Kind != "逾期催报" || hist[1].By != "系统定时" ||
		hist[1].Run == 0 || !strings.HasSuffix(hist[1].Txt, "催报_2025年9月_20251010.txt") || hist[1].Month != sept {
		t.Fatalf("history: %+v", hist)
	}
	for _, e := range hist {
		if len(e.Mails) != 2 || e.Mails[0].Status != "已发送" {
			t.Errorf("mails of %s: %+v", e.Kind, e.Mails)
		}
	}
	everyone, err := r.w.ReminderHistory(ctx, "")
	if err != nil || len(everyone) != 23+23 {
		t.Errorf("history of every county: %d events (%v), want 23 scheduled + 23 from the page", len(everyone), err)
	}
}

// TestReturnWritesReceipt: a returned version puts the earlier one back in force, writes the county a
// receipt (.txt and .json) saying why and what counts meanwhile, and mails it; a later reminder names
// the return.
func TestReturnWritesReceipt(t *testing.T) {
	r := newRig(t, "2025-10-08 10:00", nil)
	ctx := context.Background()
	v1 := r.save("鹿泉区", "a1", "2025-10-08 10:00", lingpao.SubAccepted)
	v2 := r.save("鹿泉区", "a2", "2025-10-09 11:00", lingpao.SubAccepted)
	r.clk.Set(bj("2025-10-10 14:20"))
	if _, err := r.w.ReturnSubmission(ctx, jobs.ReturnRequest{Submission: v2.ID, Comment: "  ", User: "李干事"}); lingpao.ErrorCode(err) != lingpao.EINVALID {
		t.Errorf("a return without a comment: %v, want EINVALID", err)
	}
	res, err := r.w.ReturnSubmission(ctx, jobs.ReturnRequest{Submission: v2.ID, Comment: "专精特新企业数与企业名录不一致，请核对", User: "李干事"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Restored == nil || res.Restored.ID != v1.ID || len(res.Mailed) != 1 {
		t.Errorf("result: %+v", res)
	}
	want := filepath.ToSlash(filepath.Join("receipts", "鹿泉区", strings.TrimSuffix(v2.FileName, ".xlsx")+"_回执_20251009-110000_退回_20251010-142000.txt"))
	if res.Receipt != want {
		t.Errorf("receipt %s, want %s", res.Receipt, want)
	}
	txt, err := os.ReadFile(filepath.Join(r.dir, filepath.FromSlash(res.Receipt)))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"【审核退回】鹿泉区 2025年9月报表", "第 2 版", "2025年10月10日 14:20 退回", "退回意见：专精特新企业数与企业名录不一致，请核对", "按此前受理的第 1 版", "inbox/鹿泉区/"} {
		if !strings.Contains(string(txt), w) {
			t.Errorf("receipt lacks %q:\n%s", w, txt)
		}
	}
	var js map[string]any
	if b, err := os.ReadFile(strings.TrimSuffix(filepath.Join(r.dir, filepath.FromSlash(res.Receipt)), ".txt") + ".json"); err != nil || json.Unmarshal(b, &js) != nil || js["status"] != "returned" || js["version_in_force"] != 1.0 {
		t.Errorf("receipt json: %v %v", js, err)
	}
	subs, _ := r.w.Store.FindSubmissions(ctx, sqlite.SubmissionFilter{Period: "2025-09"})
	rr := lingpao.ComputeReporting(r.w.Catalog.Tree.Counties(r.w.Config.City), lingpao.MonthOf(2025, 9), subs, r.w.Catalog.Calendar(), r.w.Config.DeadlineDay, true, r.clk.Now())
	for _, c := range rr.Counties {
		if c.Org == v1.Org && (c.State != lingpao.ReportOnTime || c.Current.ID != v1.ID) {
			t.Errorf("鹿泉区 after the return of version 2: %s, current %d", c.State, c.Current.ID)
		}
	}
	// Version 1 returned too: nothing accepted is left, and the reminder says why.
	r.clk.Set(bj("2025-10-10 15:00"))
	if _, err := r.w.ReturnSubmission(ctx, jobs.ReturnRequest{Submission: v1.ID, Comment: "数据有误", User: "李干事"}); err != nil {
		t.Fatal(err)
	}
	out, err := r.w.RemindNow(ctx, jobs.RemindRequest{Month: lingpao.MonthOf(2025, 9), Orgs: []string{v1.Org}, User: "李干事"})
	if err != nil || len(out) != 1 || out[0].State != lingpao.ReportRejected {
		t.Fatalf("reminder after both returns: %+v, %v", out, err)
	}
	rem, _ := os.ReadFile(filepath.Join(r.dir, filepath.FromSlash(out[0].Txt)))
	if !strings.Contains(string(rem), "“2025-09_鹿泉区_a2.xlsx”已退回（审核退回：专精特新企业数与企业名录不一致，请核对）") {
		t.Errorf("the reminder does not name the return:\n%s", rem)
	}
	if _, err := r.svc.Deliver(ctx, r.clk.Now()); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range r.received() {
		if strings.HasPrefix(m.Subject, "【退回】鹿泉区 2025年9月报表（第2版）") && strings.Contains(m.Body, "退回意见") && len(m.Files) == 1 {
			found = true
		}
	}
	if !found {
		t.Errorf("no return mail with its receipt: %+v", r.received())
	}
}

// TestTemplateSpecPrefillsIssues: the template of the month after lists the county's open problems
// with the city's status and a note, and those closed since the month began; not the older ones.
func TestTemplateSpecPrefillsIssues(t *testing.T) {
	r := newRig(t, "2025-10-08 10:00", nil)
	ctx := context.Background()
	r.save("鹿泉区", "a1", "2025-10-08 10:00", lingpao.SubAccepted,
		lingpao.Issue{Row: 4, Description: "用地指标不足", Category: "用地", Status: "征集", Raised: "2025-09-20"},
		lingpao.Issue{Row: 5, Description: "融资难", Category: "融资", Department: "县金融办", Status: "办结销号", Closed: "2025-09-25"},
		lingpao.Issue{Row: 6, Description: "物流成本高", Status: "征集"})
	if _, err := r.w.Store.SyncIssueCases(ctx, r.clk.Now()); err != nil {
		t.Fatal(err)
	}
	cases, _, _ := r.w.Store.FindIssueCases(ctx, sqlite.IssueCaseFilter{Query: "用地"})
	if _, err := r.w.Store.AssignIssue(ctx, sqlite.IssueAction{Case: cases[0].ID, User: "李干事", At: r.clk.Now(), Department: "市自然资源和规划局", Deadline: "2025-10-31"}); err != nil {
		t.Fatal(err)
	}
	logistics, _, _ := r.w.Store.FindIssueCases(ctx, sqlite.IssueCaseFilter{Query: "物流"})
	if _, err := r.w.Store.CloseIssue(ctx, sqlite.IssueAction{Case: logistics[0].ID, User: "李干事", At: bj("2025-10-09 10:00"), Note: "已协调物流园"}); err != nil {
		t.Fatal(err)
	}
	u, _ := r.w.Catalog.Tree.Find("鹿泉区")
	spec, err := r.w.TemplateSpec(ctx, u, lingpao.MonthOf(2025, 10))
	if err != nil {
		t.Fatal(err)
	}
	if len(spec.Issues) != 2 {
		t.Fatalf("prefilled issues: %+v", spec.Issues)
	}
	land, logi := spec.Issues[0], spec.Issues[1]
	if land.Description != "用地指标不足" || land.Status != "交办" || land.Department != "市自然资源和规划局" || !strings.Contains(land.Note, "办理时限 2025-10-31") {
		t.Errorf("assigned issue: %+v", land)
	}
	if logi.Status != "办结销号" || logi.Closed != "2025-10-09" || !strings.Contains(logi.Note, "已协调物流园") {
		t.Errorf("issue closed this month: %+v", logi)
	}
	if spec.Deadline.IsZero() || spec.Secret == "" || spec.Generated != r.clk.Now() {
		t.Errorf("spec: %+v", spec)
	}
}
