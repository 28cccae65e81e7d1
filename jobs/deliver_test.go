package jobs_test

import (
	"bytes"
	"context"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lingpao"
	"lingpao/jobs"
	"lingpao/sqlite"
)

// TestDeliveriesSurviveOutage: reports are queued for e-mail while the mail server is down. Every
// attempt fails and is recorded; the mails stay queued with growing backoff, the admins' notice is
// queued too; once the server is back every mail arrives exactly once, attachments intact.
func TestDeliveriesSurviveOutage(t *testing.T) {
	r := newRig(t, "2025-10-09 09:00", func(c *lingpao.Config) { c.Mail.NotifyAfter = 3 })
	ctx := context.Background()
	if _, err := r.svc.Scheduler.RunNow(ctx, lingpao.JobMonthly, bj("2025-10-09 09:00")); err != nil {
		t.Fatal(err)
	}
	r.clk.Set(bj("2025-10-10 09:00"))
	if _, err := r.svc.Scheduler.RunNow(ctx, lingpao.JobQuarterly, bj("2025-10-10 09:00")); err != nil {
		t.Fatal(err)
	}
	queued, _ := r.w.Store.FindDeliveries(ctx, sqlite.DeliveryFilter{})
	if len(queued) != 5 { // dispatch to 2 staff; bulletin to 1 leader and 2 staff
		t.Fatalf("%d mails queued, want 5", len(queued))
	}

	r.smtp.Stop()
	start := r.clk.Now()
	for i := 0; i < 30; i++ { // the mail job every minute for half an hour
		r.clk.Set(start.Add(time.Duration(i) * time.Minute))
		res, err := r.svc.Scheduler.RunNow(ctx, lingpao.JobDeliver, r.clk.Now())
		if err != nil {
			t.Fatal(err)
		}
		if res.Summary != "" && !strings.Contains(res.Summary, "发送邮件 0 封") {
			t.Fatalf("while the server is down: %s", res.Summary)
		}
	}
	pending, _ := r.w.Store.FindDeliveries(ctx, sqlite.DeliveryFilter{Status: lingpao.DeliveryPending})
	if len(pending) < 5 {
		t.Fatalf("%d pending while the server is down, want all 5 (and the admins' notice)", len(pending))
	}
	var tried, notice int
	for _, d := range pending {
		if d.Attempts > 0 {
			tried++
			if !strings.Contains(d.LastError, "连接邮件服务器") || !d.NextAttempt.After(r.clk.Now().Add(-time.Hour)) {
				t.Errorf("failed mail %+v", d)
			}
		}
		if strings.HasPrefix(d.Subject, "【lingpao 需要处理】邮件多次发送失败") {
			notice++
		}
	}
	if tried == 0 || notice != 1 {
		t.Errorf("tried %d, admin notices %d (want one)", tried, notice)
	}
	h, err := r.svc.Health(ctx)
	if err != nil || h.OK || !strings.Contains(titles(h), "邮件多次发送失败") {
		t.Errorf("health while mail fails: %+v %v", h, err)
	}

	r.smtp.Start()
	r.clk.Set(r.clk.Now().Add(2 * time.Hour)) // past every backoff (capped at one hour)
	for i := 0; i < 2; i++ {                  // the second run sends the admins' notice that the problem is resolved
		r.clk.Set(r.clk.Now().Add(time.Minute))
		if _, err := r.svc.Scheduler.RunNow(ctx, lingpao.JobDeliver, r.clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	all, _ := r.w.Store.FindDeliveries(ctx, sqlite.DeliveryFilter{})
	got := r.received()
	if len(got) != len(all) {
		t.Errorf("%d mails arrived for %d queued", len(got), len(all))
	}
	// Every queued mail arrived exactly once.
	seen := map[string]int{}
	for _, m := range got {
		seen[m.To+"|"+m.Subject]++
		for name, data := range m.Files {
			matches, _ := filepath.Glob(filepath.Join(r.dir, "outbox", "*", name))
			disk, err := os.ReadFile(matches[0])
			if err != nil || !bytes.Equal(disk, data) {
				t.Errorf("attachment %s damaged", name)
			}
		}
	}
	for _, d := range all {
		addr, _ := mail.ParseAddress(d.To)
		if d.Status != lingpao.DeliverySent {
			t.Errorf("%s to %s: %s", d.Subject, d.To, d.Status)
		}
		seen[addr.Address+"|"+d.Subject]--
	}
	for k, n := range seen {
		if n != 0 {
			t.Errorf("%s: %+d arrivals against the queue", k, n)
		}
	}
	if h, _ := r.svc.Health(ctx); !h.OK {
		t.Errorf("health after recovery: %+v", h)
	}
}

// titles lists the titles of the health problems.
func titles(h jobs.Health) string {
	var out []string
	for _, p := range h.Problems {
		out = append(out, p.Title)
	}
	return strings.Join(out, ";")
}

// TestReceiptsAndRejectedReminder: with mail.send_receipts a receipt goes to the county by e-mail with
// its workbook; a county whose only file was rejected is reminded, naming the rejected file.
func TestReceiptsAndRejectedReminder(t *testing.T) {
	r := newRig(t, "2025-10-08 10:00", func(c *lingpao.Config) { c.Mail.SendReceipts = true })
	ctx := context.Background()
	// A CSV saved as .xlsx in 鹿泉区's folder: rejected, answered in 鹿泉区's receipts folder.
	if err := os.WriteFile(filepath.Join(r.dir, "inbox", "鹿泉区", "鹿泉区9月报表.xlsx"), []byte("指标,数值\n专精特新,12\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, at := range []string{"2025-10-08 10:00", "2025-10-08 10:01"} { // a file is taken on the second look
		r.clk.Set(bj(at))
		if _, err := r.svc.Scheduler.RunNow(ctx, lingpao.JobPoll, bj(at)); err != nil {
			t.Fatal(err)
		}
	}
	polls, _ := r.w.Store.FindJobRuns(ctx, sqlite.JobRunFilter{Job: lingpao.JobPoll})
	if len(polls) != 2 || polls[0].Summary != "处理 1 个文件：受理 0，退回 1，重复 0" || len(polls[0].Outputs) != 1 {
		t.Fatalf("poll runs %+v", polls)
	}
	// 栾城区's September file was rejected too (recorded directly in the store).
	luancheng, _ := r.w.Catalog.Tree.Find("栾城区")
	bad := lingpao.Submission{SHA256: strings.Repeat("ab", 32), Org: luancheng.Code, Period: lingpao.MonthOf(2025, 9), FileName: "栾城区_2025年9月.xlsx",
		Size: 1000, ReceivedAt: bj("2025-10-09 16:30"), Status: lingpao.SubRejected, Reason: "集群指标 D5 营业收入小于研发投入",
		Findings: []lingpao.Finding{{Severity: lingpao.SevError, Rule: "cross", Sheet: "集群指标", Cell: "D5", Message: "营业收入小于研发投入"}}}
	if err := r.w.Store.SaveSubmission(ctx, &bad, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	r.clk.Set(bj("2025-10-10 09:00"))
	run, err := r.svc.Scheduler.RunNow(ctx, lingpao.JobRemind, bj("2025-10-10 09:00"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(run.Summary, "2025年9月报表逾期催报（截止 2025年10月9日）：24 个单位未报送") || !strings.Contains(run.Summary, "2 封催报邮件待发送") {
		t.Errorf("remind summary %q", run.Summary)
	}
	txt, err := os.ReadFile(filepath.Join(r.dir, "receipts", "栾城区", "催报_2025年9月_20251010.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"【催报】栾城区 2025年9月", "“栾城区_2025年9月.xlsx”已退回（集群指标 D5 营业收入小于研发投入）", "2025年10月9日（星期四）", "已逾期 1 个工作日", "inbox/栾城区/"} {
		if !strings.Contains(string(txt), want) {
			t.Errorf("reminder lacks %q:\n%s", want, txt)
		}
	}
	if _, err := r.svc.Deliver(ctx, r.clk.Now()); err != nil {
		t.Fatal(err)
	}
	var receipt, remind *mailMessage
	got := r.received()
	for i, m := range got {
		switch {
		case m.To == "luquan@example.gov.cn" && strings.HasPrefix(m.Subject, "【回执】鹿泉区"):
			receipt = &got[i]
		case m.To == "luancheng@example.gov.cn" && strings.HasPrefix(m.Subject, "【催报】栾城区 2025年9月"):
			remind = &got[i]
		}
	}
	if receipt == nil || remind == nil {
		t.Fatalf("mails: %+v", got)
	}
	if !strings.Contains(receipt.Subject, "已退回") || !strings.Contains(receipt.Body, "【已退回】") || len(receipt.Files) != 1 {
		t.Errorf("receipt mail %q: %s (%d files)", receipt.Subject, receipt.Body, len(receipt.Files))
	}
	for name, data := range receipt.Files {
		disk, err := os.ReadFile(filepath.Join(r.dir, "receipts", "鹿泉区", name))
		if err != nil || !bytes.Equal(disk, data) {
			t.Errorf("receipt attachment %s differs from the receipt file", name)
		}
	}
	if !strings.Contains(remind.Body, "已退回（集群指标 D5 营业收入小于研发投入）") {
		t.Errorf("reminder mail body:\n%s", remind.Body)
	}
}

// TestFailedJobReportedToAdmins: a job that keeps failing (here the bulletin, whose configured font
// does not exist) is retried with backoff, three times; then the admins get one e-mail naming the job,
// its scheduled time, the last error and the commands to run it again or acknowledge it — and no
// more for days but one reminder a day. /healthz reports it whatever its age until an operator re-runs
// it (the font restored) — then the admins hear it is resolved.
func TestFailedJobReportedToAdmins(t *testing.T) {
	font := ""
	r := newRig(t, "2025-10-13 08:00", func(c *lingpao.Config) {
		font = c.Fonts.Regular
		c.Fonts.Regular = filepath.Join(t.TempDir(), "没有这个字体.ttf")
		c.Jobs.Deliver.Schedule = "0 * * * *" // hourly, so that the reminders show
		for _, j := range []*lingpao.JobConfig{&c.Jobs.Poll, &c.Jobs.Remind, &c.Jobs.Monthly, &c.Jobs.Half, &c.Jobs.Annual} {
			j.Disabled = true
		}
	})
	ctx := context.Background()
	if err := r.svc.Scheduler.Start(ctx); err != nil {
		t.Fatal(err)
	}
	r.drive(bj("2025-10-13 12:00"))
	runs := r.runs(sqlite.JobRunFilter{Job: lingpao.JobQuarterly})
	if len(runs) != 1 || runs[0].Outcome != lingpao.RunFailed || runs[0].Attempts != 4 || strings.Count(runs[0].Error, "\n") != 3 ||
		!runs[0].Ended.Equal(bj("2025-10-13 10:40")) {
		t.Fatalf("bulletin runs %+v", runs)
	}
	got := r.received()
	if len(got) != 1 || got[0].To != "admin@example.gov.cn" || got[0].Subject != "【lingpao 需要处理】任务失败：季度通报（quarterly），计划 2025-10-13 09:30" {
		t.Fatalf("mails %+v", got)
	}
	id := runs[0].ID
	for _, want := range []string{"已尝试 4 次", "没有这个字体.ttf", fmt.Sprintf("lingpao jobs rerun %d", id), fmt.Sprintf("lingpao jobs ack %d", id)} {
		if !strings.Contains(got[0].Body, want) {
			t.Errorf("admin mail lacks %q:\n%s", want, got[0].Body)
		}
	}
	// 40 days on, with the mail job running every hour: one reminder a day, and /healthz still says so.
	r.drive(bj("2025-11-22 12:00"))
	got = r.received()
	var reminders int
	for _, m := range got[1:] {
		if !strings.HasPrefix(m.Subject, "【lingpao 仍未解决】任务失败：季度通报") {
			t.Errorf("unexpected mail %q", m.Subject)
		}
		reminders++
	}
	if reminders != 40 {
		t.Errorf("%d reminders in 40 days, want one a day", reminders)
	}
	h, _ := r.svc.Health(ctx)
	if h.OK || !strings.Contains(titles(h), "任务失败：季度通报") {
		t.Errorf("health 40 days later %+v", h)
	}
	// Re-run it with the font back: it succeeds for its own period (2025Q3), and the problem resolves.
	r.svc.W.Config.Fonts.Regular = font
	run, err := r.svc.Scheduler.Rerun(ctx, id)
	if err != nil || run.Outcome != lingpao.RunOK || run.ID != id || len(run.Outputs) != 2 || !strings.Contains(run.Outputs[0], "2025Q3") {
		t.Fatalf("rerun: %+v %v", run, err)
	}
	if h, _ := r.svc.Health(ctx); !h.OK {
		t.Errorf("health after the rerun %+v", h)
	}
	if _, err := r.svc.Deliver(ctx, r.clk.Now()); err != nil {
		t.Fatal(err)
	}
	got = r.received()
	if last := got[len(got)-1]; last.To != "admin@example.gov.cn" || !strings.HasPrefix(last.Subject, "【lingpao 已解决】任务失败：季度通报") {
		t.Errorf("last mail %q to %s, want the resolution", last.Subject, last.To)
	}
	if _, err := r.svc.Scheduler.Rerun(ctx, id); lingpao.ErrorCode(err) != lingpao.ECONFLICT {
		t.Errorf("second rerun of a good run: %v", err)
	}
}

// TestMailSwitchedOff: mail queued while mail was configured waits when the server is removed from
// the configuration; the mail job says so without failing, and the health check reports it.
func TestMailSwitchedOff(t *testing.T) {
	r := newRig(t, "2025-10-09 09:00", nil)
	ctx := context.Background()
	if _, err := r.svc.Scheduler.RunNow(ctx, lingpao.JobMonthly, bj("2025-10-09 09:00")); err != nil {
		t.Fatal(err)
	}
	r.svc.Mailer = nil
	res, err := r.svc.Deliver(ctx, r.clk.Now())
	if err != nil || !strings.Contains(res.Summary, "2 封邮件待发送，但没有配置邮件服务器") {
		t.Errorf("deliver without a server: %q %v", res.Summary, err)
	}
	if _, err := r.svc.Scheduler.RunNow(ctx, lingpao.JobDeliver, r.clk.Now()); err != nil {
		t.Fatal(err)
	}
	if h, _ := r.svc.Health(ctx); h.OK || !strings.Contains(titles(h), "没有配置邮件服务器") {
		t.Errorf("health %+v", h)
	}
	if pending, _ := r.w.Store.FindDeliveries(ctx, sqlite.DeliveryFilter{Status: lingpao.DeliveryPending}); len(pending) != 2 {
		t.Errorf("%d pending, want the 2 dispatch mails kept", len(pending))
	}
}
