package jobs_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"net/mail"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	_ "time/tzdata" // schedules name Asia/Shanghai

	"lingpao"
	"lingpao/delivery/smtptest"
	"lingpao/jobs"
	"lingpao/scheduler"
	"lingpao/sqlite"
)

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t.After(c.t) {
		c.t = t
	}
}

func bj(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, lingpao.Beijing)
	if err != nil {
		panic(err)
	}
	return t
}

// rig is a real workspace (jobs.Init) with mail to a real SMTP server on loopback, a simulated clock
// and the service over it.
type rig struct {
	t    *testing.T
	dir  string
	w    *jobs.Workspace
	svc  *jobs.Service
	clk  *clock
	smtp *smtptest.Server
}

func newRig(t *testing.T, start string, edit func(c *lingpao.Config)) *rig {
	t.Helper()
	return newRigIn(t, filepath.Join(t.TempDir(), "ws"), start, edit)
}

// newRigIn is newRig with the workspace in dir.
func newRigIn(t *testing.T, dir, start string, edit func(c *lingpao.Config)) *rig {
	t.Helper()
	srv := smtptest.New(t)
	cfg, err := jobs.Init(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Mail.SMTP.Host, cfg.Mail.SMTP.Port = srv.Host, srv.Port
	cfg.Mail.SMTP.Username, cfg.Mail.SMTP.Password = srv.Username, srv.Password
	cfg.Mail.From = "石家庄市工业和信息化局 <jxj@example.gov.cn>"
	cfg.Mail.Recipients = lingpao.Recipients{
		Admins:   []string{"admin@example.gov.cn"},
		Leaders:  []string{"王局长 <leader@example.gov.cn>"},
		Staff:    []string{"staff@example.gov.cn", "staff2@example.gov.cn"},
		Counties: map[string][]string{"鹿泉区": {"luquan@example.gov.cn"}, "130111": {"luancheng@example.gov.cn"}},
	}
	if edit != nil {
		edit(&cfg)
	}
	b, err := lingpao.MarshalConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, lingpao.ConfigFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := jobs.Open(context.Background(), dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { w.Close() })
	clk := &clock{t: bj(start)}
	w.Now = clk.Now
	inst, err := scheduler.NewInstance(dir, scheduler.ThisProcess("test", time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { inst.Close() })
	svc, err := w.NewService(inst, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc.Mailer.TLS = srv.ClientTLS // trust the test server's certificate
	return &rig{t: t, dir: dir, w: w, svc: svc, clk: clk, smtp: srv}
}

// drive advances the clock from one wake-up of the scheduler to the next until `until`.
func (r *rig) drive(until time.Time) {
	r.t.Helper()
	ctx := context.Background()
	var last time.Time
	stuck := 0
	for {
		wake, err := r.svc.Scheduler.NextWake(ctx)
		if err != nil {
			r.t.Fatal(err)
		}
		if wake.IsZero() || wake.After(until) {
			break
		}
		if stuck++; !wake.Equal(last) {
			stuck = 0
		}
		if stuck > 3 {
			r.t.Fatalf("the schedule does not move on at %s", wake)
		}
		last = wake
		r.clk.Set(wake)
		r.svc.Scheduler.Tick(ctx)
	}
	r.clk.Set(until)
}

// mailMessage is a received e-mail, decoded.
type mailMessage struct {
	To, Subject, Body string
	Files             map[string][]byte
}

func (r *rig) received() []mailMessage {
	r.t.Helper()
	var out []mailMessage
	var dec mime.WordDecoder
	for _, m := range r.smtp.Messages() {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			r.t.Fatal(err)
		}
		subject, err := dec.DecodeHeader(msg.Header.Get("Subject"))
		if err != nil {
			r.t.Fatal(err)
		}
		mm := mailMessage{To: strings.Join(m.To, ","), Subject: subject, Files: map[string][]byte{}}
		_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
		mr := multipart.NewReader(msg.Body, params["boundary"])
		for i := 0; ; i++ {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			} else if err != nil {
				r.t.Fatal(err)
			}
			raw, _ := io.ReadAll(p)
			data, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(strings.TrimSpace(string(raw)), "\r\n", ""))
			if err != nil {
				r.t.Fatal(err)
			}
			if i == 0 {
				mm.Body = string(data)
			} else {
				mm.Files[p.FileName()] = data
			}
		}
		out = append(out, mm)
	}
	return out
}

func (r *rig) runs(f sqlite.JobRunFilter) []lingpao.JobRun {
	r.t.Helper()
	runs, err := r.w.Store.FindJobRuns(context.Background(), f)
	if err != nil {
		r.t.Fatal(err)
	}
	sort.Slice(runs, func(i, j int) bool { return runs[i].Scheduled.Before(runs[j].Scheduled) })
	return runs
}

func dues(runs []lingpao.JobRun) string {
	var out []string
	for _, r := range runs {
		out = append(out, r.Due.In(lingpao.Beijing).Format("2006-01-02 15:04"))
	}
	return strings.Join(out, ",")
}

// TestServiceYear runs lingpao's own jobs — 催报, the monthly dispatch, the quarterly bulletin, the
// half-year summary and the annual assessment, and the mail job — on their default schedules over 14
// simulated months (January 2025 to February 2026) against a real workspace, the seed holiday table
// and a real SMTP server. No county reports, so every county is chased every month.
func TestServiceYear(t *testing.T) {
	r := newRig(t, "2025-01-01 00:00", func(c *lingpao.Config) {
		c.Jobs.Poll.Disabled = true
		c.Jobs.Deliver.Schedule = "0 12 * * *" // daily at noon: a finer mail job only slows the simulation
	})
	ctx := context.Background()
	if err := r.svc.Scheduler.Start(ctx); err != nil {
		t.Fatal(err)
	}
	r.drive(bj("2026-03-01 00:00"))

	// Report jobs ran on the third (monthly, quarterly) or fifth (half, annual) working day after the
	// deadline of the month before (hand-checked against the 2025/2026 notices: 01-05 is a Sunday, 02-08
	// a worked Saturday, 04-05 in 清明, 05-05 in 劳动节, 07-05 a Saturday, 10-05 in 国庆 — the deadline
	// moves to 10-09 and 10-11 is a worked Saturday).
	monthly := r.runs(sqlite.JobRunFilter{Job: lingpao.JobMonthly})
	if got, want := dues(monthly), "2025-01-09 09:00,2025-02-08 09:00,2025-03-10 09:00,2025-04-10 09:00,2025-05-09 09:00,2025-06-10 09:00,"+
		"2025-07-10 09:00,2025-08-08 09:00,2025-09-10 09:00,2025-10-13 09:00,2025-11-10 09:00,2025-12-10 09:00,2026-01-08 09:00,2026-02-10 09:00"; got != want {
		t.Errorf("monthly dispatch ran at\n %s\nwant\n %s", got, want)
	}
	for _, run := range monthly {
		p := lingpao.ClosedPeriod(lingpao.Month, run.Due)
		switch {
		case run.Outcome != lingpao.RunOK:
			t.Errorf("monthly %s: %s %s", p, run.Outcome, run.Error)
		case p.N == 1: // 1–2月合并: no January dispatch
			if len(run.Outputs) != 0 || !strings.Contains(run.Summary, "1–2月合并") {
				t.Errorf("January dispatch %s: %+v", p, run)
			}
		case len(run.Outputs) != 1 || !strings.HasPrefix(run.Outputs[0], "outbox/"+p.String()+"/月调度表_"):
			t.Errorf("monthly %s outputs %v", p, run.Outputs)
		}
	}
	quarterly := r.runs(sqlite.JobRunFilter{Job: lingpao.JobQuarterly})
	if got, want := dues(quarterly), "2025-01-09 09:30,2025-04-10 09:30,2025-07-10 09:30,2025-10-13 09:30,2026-01-08 09:30"; got != want {
		t.Errorf("quarterly bulletin ran at %s, want %s", got, want)
	}
	for i, q := range []string{"2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4"} {
		if run := quarterly[i]; run.Outcome != lingpao.RunOK || len(run.Outputs) != 2 || !strings.HasPrefix(run.Outputs[0], "outbox/"+q+"/季度通报_") {
			t.Errorf("quarterly %s: %+v", q, run)
		}
	}
	// The half-year summary and the annual assessment run once on their dates and write their PDF
	// and workbook into the outbox folder of the period just closed (2024 and 2025 for the annual).
	for job, want := range map[string]string{lingpao.JobHalf: "2025-07-14 09:00", lingpao.JobAnnual: "2025-01-13 09:00,2026-01-12 09:00"} {
		runs := r.runs(sqlite.JobRunFilter{Job: job})
		if dues(runs) != want {
			t.Errorf("%s ran at %s, want %s", job, dues(runs), want)
		}
		for _, run := range runs {
			p := lingpao.ClosedPeriod(map[string]lingpao.PeriodKind{lingpao.JobHalf: lingpao.Half, lingpao.JobAnnual: lingpao.Year}[job], run.Due)
			if run.Outcome != lingpao.RunOK || run.Attempts != 1 || len(run.Outputs) != 2 || !strings.HasPrefix(run.Outputs[0], "outbox/"+p.String()+"/") {
				t.Errorf("%s: %s after %d attempts, outputs %v", job, run.Outcome, run.Attempts, run.Outputs)
			}
		}
	}
	if n := len(r.runs(sqlite.JobRunFilter{Job: lingpao.JobRemind, Outcome: lingpao.RunOK})); n != 424 {
		t.Errorf("%d reminder checks, want one a day (424)", n)
	}

	// Everything queued was sent; nothing is pending.
	if pending, _ := r.w.Store.FindDeliveries(ctx, sqlite.DeliveryFilter{Status: lingpao.DeliveryPending}); len(pending) > 0 {
		t.Errorf("%d mails still pending, first %+v", len(pending), pending[0])
	}
	mails := r.received()
	by := map[string][]mailMessage{}
	for _, m := range mails {
		by[m.To] = append(by[m.To], m)
	}
	// Staff got each dispatch workbook, byte for byte as in the outbox.
	var dispatch int
	for _, m := range by["staff@example.gov.cn"] {
		if !strings.HasPrefix(m.Subject, "【月调度表】石家庄市 ") {
			continue
		}
		dispatch++
		for name, data := range m.Files {
			matches, _ := filepath.Glob(filepath.Join(r.dir, "outbox", "*", name))
			if len(matches) != 1 {
				t.Fatalf("attachment %s not in the outbox", name)
			}
			if disk, _ := os.ReadFile(matches[0]); !bytes.Equal(disk, data) {
				t.Errorf("attachment %s differs from the outbox file", name)
			}
		}
	}
	if dispatch != 12 {
		t.Errorf("staff got %d dispatch workbooks, want 12 (14 months less two Januaries)", dispatch)
	}
	// Leaders got the bulletins (PDF and workbook), not the dispatch workbooks.
	var bulletins int
	for _, m := range by["leader@example.gov.cn"] {
		if strings.HasPrefix(m.Subject, "【月调度表】") {
			t.Errorf("a leader got %q", m.Subject)
		}
		if strings.HasPrefix(m.Subject, "【季度通报】") {
			bulletins++
			if len(m.Files) != 2 {
				t.Errorf("bulletin mail with %d files", len(m.Files))
			}
		}
	}
	if bulletins != 5 {
		t.Errorf("leaders got %d bulletins, want 5", bulletins)
	}
	// No run failed, so the admins heard of none.
	var failures []string
	for _, m := range by["admin@example.gov.cn"] {
		if strings.HasPrefix(m.Subject, "【lingpao 任务失败】") {
			failures = append(failures, m.Subject)
		}
	}
	if len(failures) > 0 {
		t.Errorf("failure notices %v", failures)
	}

	// 催报 for the September 2025 return, whose deadline moved from Oct 5 to Oct 9 (National Day):
	// T−3 on the worked Sunday Sep 28, T−1 on Sep 30, overdue from Oct 10, every 5 working days, until
	// the October return falls due on Nov 5. A .txt in the county's receipts folder and a mail to the
	// county, for counties with addresses.
	sepDays := reminderDays(t, filepath.Join(r.dir, "receipts", "鹿泉区"), "2025年9月")
	if want := "20250928,20250930,20251010,20251016,20251023,20251030"; sepDays != want {
		t.Errorf("鹿泉区 reminded of September on %s, want %s", sepDays, want)
	}
	var sepMail []string
	for _, m := range by["luquan@example.gov.cn"] {
		if strings.Contains(m.Subject, " 2025年9月县域") {
			sepMail = append(sepMail, m.Subject)
		}
	}
	if len(sepMail) != 6 || !strings.HasPrefix(sepMail[0], "【报送提醒】鹿泉区 2025年9月") || !strings.HasPrefix(sepMail[2], "【催报】鹿泉区 2025年9月") {
		t.Errorf("鹿泉区 mails about September: %v", sepMail)
	}
	for _, m := range by["luquan@example.gov.cn"] {
		if strings.Contains(m.Subject, " 2025年1月县域") || strings.Contains(m.Subject, " 2026年1月县域") {
			t.Errorf("a January return was chased (1–2月合并): %s", m.Subject)
		}
	}
	if len(by["luancheng@example.gov.cn"]) != len(by["luquan@example.gov.cn"]) {
		t.Errorf("栾城区 (configured by code) got %d mails, 鹿泉区 %d", len(by["luancheng@example.gov.cn"]), len(by["luquan@example.gov.cn"]))
	}
}

// reminderDays lists the dates of the reminder files for a month in a receipts folder.
func reminderDays(t *testing.T, dir, month string) string {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "催报_"+month+"_*.txt"))
	var days []string
	for _, f := range files {
		days = append(days, strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "催报_"+month+"_"), ".txt"))
	}
	sort.Strings(days)
	return strings.Join(days, ",")
}
