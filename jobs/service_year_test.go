package jobs_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/internal/disktest"
	"lingpao/sqlite"
)

// accept stores an accepted return of county org for month m, received at the rig's clock, with
// the given values of its first cluster (indicator code → value).
func (r *rig) accept(org string, m lingpao.Period, kv ...map[string]float64) {
	r.t.Helper()
	at := r.clk.Now()
	s := &lingpao.Submission{SHA256: fmt.Sprintf("%s-%s-%d", org, m, at.UnixNano()), Org: org, Period: m, FileName: org + ".xlsx", ReceivedAt: at, Status: lingpao.SubAccepted}
	var vs []lingpao.Value
	for _, values := range kv {
		for _, c := range r.w.Catalog.Clusters {
			if c.Org == org {
				for k, v := range values {
					vs = append(vs, lingpao.Value{Org: org, Cluster: c.Code, Indicator: k, Period: m, V: v})
				}
				break
			}
		}
	}
	if err := r.w.Store.SaveSubmission(context.Background(), s, vs, nil, nil); err != nil {
		r.t.Fatal(err)
	}
}

// onlyJobs switches off every job but those named.
func onlyJobs(c *lingpao.Config, names ...string) {
	keep := map[string]bool{}
	for _, n := range names {
		keep[n] = true
	}
	for _, j := range []struct {
		name string
		cfg  *lingpao.JobConfig
	}{{lingpao.JobPoll, &c.Jobs.Poll}, {lingpao.JobRemind, &c.Jobs.Remind}, {lingpao.JobMonthly, &c.Jobs.Monthly}, {lingpao.JobQuarterly, &c.Jobs.Quarterly},
		{lingpao.JobHalf, &c.Jobs.Half}, {lingpao.JobAnnual, &c.Jobs.Annual}, {lingpao.JobDeliver, &c.Jobs.Deliver}} {
		j.cfg.Disabled = !keep[j.name]
	}
}

// TestOctoberDispatch: 国庆 moves the September deadline to 10-09. Two counties report on 09-30, twenty
// on the afternoon of the deadline day, one the day after, one never. The dispatch runs on the third
// working day after the deadline (10-13 09:00, 10-11 being a worked Saturday), so the 月调度表 the staff
// receive counts every county that met the deadline — none is 「未到截止日」 — and names the late one.
// (On the 8th, moved to the 9th, it ran on the deadline morning with 21 counties not yet due.)
func TestOctoberDispatch(t *testing.T) {
	r := newRig(t, "2025-09-25 00:00", func(c *lingpao.Config) {
		onlyJobs(c, lingpao.JobMonthly, lingpao.JobDeliver)
		c.Jobs.Deliver.Schedule = "0 * * * *"
	})
	ctx := context.Background()
	if err := r.svc.Scheduler.Start(ctx); err != nil {
		t.Fatal(err)
	}
	sep := lingpao.MonthOf(2025, 9)
	counties := r.w.Catalog.Tree.Counties(r.w.Config.City)
	if len(counties) != 24 {
		t.Fatalf("%d counties", len(counties))
	}
	r.drive(bj("2025-09-30 10:00"))
	for _, c := range counties[:2] {
		r.accept(c.Code, sep)
	}
	r.drive(bj("2025-10-09 16:00"))
	for _, c := range counties[2:22] {
		r.accept(c.Code, sep)
	}
	r.drive(bj("2025-10-10 10:00"))
	r.accept(counties[22].Code, sep)
	r.drive(bj("2025-10-14 00:00"))

	runs := r.runs(sqlite.JobRunFilter{Job: lingpao.JobMonthly})
	if len(runs) != 1 || dues(runs) != "2025-10-13 09:00" || runs[0].Outcome != lingpao.RunOK {
		t.Fatalf("October dispatch runs %+v", runs)
	}
	var sheet *excelize.File
	for _, m := range r.received() {
		if m.To == "staff@example.gov.cn" && m.Subject == "【月调度表】石家庄市 2025年9月" {
			for name, data := range m.Files {
				if !strings.HasPrefix(name, "月调度表_") {
					continue
				}
				f, err := excelize.OpenReader(bytes.NewReader(data))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				sheet = f
			}
			if !strings.Contains(m.Body, "附件为石家庄市《月调度表（2025年9月）》") {
				t.Errorf("dispatch mail body:\n%s", m.Body)
			}
		}
	}
	if sheet == nil {
		t.Fatal("staff did not get the September dispatch workbook")
	}
	got, err := sheet.GetCellValue("报送情况", "A3")
	if err != nil {
		t.Fatal(err)
	}
	if want := "应报24个，已报23个（按时22个，逾期1个），未报送1个，退回待重报0个，未到截止日0个；报送率95.8%。"; got != want {
		t.Errorf("报送情况:\n %s\nwant\n %s", got, want)
	}
	late, _ := sheet.GetCellValue("报送情况", "B27")
	never, _ := sheet.GetCellValue("报送情况", "B28")
	if late != lingpao.ReportLate.Label() || never != lingpao.ReportMissing.Label() {
		t.Errorf("states of the last two counties: %q, %q", late, never)
	}
}

// TestSixMonthOutage: the service runs in March 2025, is down from April to 20 October, and starts
// again. Every report it owed is made, in order, each for its own period, and mailed saying it is
// late: the dispatches of March to September, the bulletins of Q1 to Q3 and the half-year summary.
// Reminders keep their policy: only the latest is run. A job whose policy is still `once` (an older
// workspace's bulletin) makes the latest report and says which it did not make: each is a problem
// until an operator re-runs it (and it is made) or acknowledges it.
func TestSixMonthOutage(t *testing.T) {
	for _, policy := range []lingpao.CatchUpPolicy{lingpao.CatchUpAll, lingpao.CatchUpOnce} {
		t.Run(string(policy), func(t *testing.T) {
			r := newRig(t, "2025-03-01 00:00", func(c *lingpao.Config) {
				onlyJobs(c, lingpao.JobMonthly, lingpao.JobQuarterly, lingpao.JobHalf, lingpao.JobRemind, lingpao.JobDeliver)
				c.Jobs.Deliver.Schedule = "0 12 * * *"
				c.Jobs.Quarterly.CatchUp = policy
			})
			ctx := context.Background()
			if err := r.svc.Scheduler.Start(ctx); err != nil {
				t.Fatal(err)
			}
			r.drive(bj("2025-03-31 23:00"))
			// Down until 10-20 10:00; a new process starts.
			r.clk.Set(bj("2025-10-20 10:00"))
			svc, err := r.w.NewService(r.svc.Scheduler.Instance, nil)
			if err != nil {
				t.Fatal(err)
			}
			svc.Mailer.TLS = r.smtp.ClientTLS
			r.svc = svc
			if err := svc.Scheduler.Start(ctx); err != nil {
				t.Fatal(err)
			}
			svc.Scheduler.Tick(ctx)

			var got []string
			for _, run := range r.runs(sqlite.JobRunFilter{Job: lingpao.JobMonthly}) {
				if run.Outcome != lingpao.RunOK || len(run.Outputs) != 1 {
					t.Errorf("monthly %s: %s %v %s", run.Scheduled, run.Outcome, run.Outputs, run.Error)
					continue
				}
				got = append(got, run.Trigger+" "+strings.Split(run.Outputs[0], "/")[1])
			}
			// 2025-03 ran in March (February's); then April to October were caught up.
			if want := "schedule 2025-02,catchup 2025-03,catchup 2025-04,catchup 2025-05,catchup 2025-06,catchup 2025-07,catchup 2025-08,catchup 2025-09"; strings.Join(got, ",") != want {
				t.Errorf("dispatches:\n %s\nwant\n %s", strings.Join(got, ","), want)
			}
			half := r.runs(sqlite.JobRunFilter{Job: lingpao.JobHalf})
			if len(half) != 1 || half[0].Outcome != lingpao.RunOK || !strings.HasPrefix(half[0].Outputs[0], "outbox/2025H1/") {
				t.Errorf("half-year summary %+v", half)
			}
			remind := r.runs(sqlite.JobRunFilter{Job: lingpao.JobRemind, From: bj("2025-04-01 00:00")})
			if len(remind) == 0 || remind[len(remind)-1].Outcome != lingpao.RunOK || remind[len(remind)-1].Due.Format("01-02") != "10-20" {
				t.Errorf("reminders after the outage: last %+v", remind[len(remind)-1])
			}
			for _, run := range remind[:len(remind)-1] {
				if run.Outcome != lingpao.RunSkipped {
					t.Errorf("reminder of %s: %s", run.Due.Format("01-02"), run.Outcome)
				}
			}
			quarterly := r.runs(sqlite.JobRunFilter{Job: lingpao.JobQuarterly, From: bj("2025-04-01 00:00")})
			var made, skipped []lingpao.JobRun
			for _, run := range quarterly {
				switch run.Outcome {
				case lingpao.RunOK:
					made = append(made, run)
				case lingpao.RunSkipped:
					skipped = append(skipped, run)
				default:
					t.Errorf("bulletin run %+v", run)
				}
			}
			h, err := svc.Health(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if policy == lingpao.CatchUpAll {
				if len(made) != 3 || len(skipped) != 0 || !h.OK {
					t.Errorf("bulletins made %d, skipped %d, health %+v", len(made), len(skipped), h)
				}
			} else {
				if len(made) != 1 || len(skipped) != 2 || !strings.HasPrefix(made[0].Outputs[0], "outbox/2025Q3/") {
					t.Fatalf("bulletins made %+v, skipped %+v", made, skipped)
				}
				if h.OK || len(h.Problems) != 2 || !strings.HasPrefix(h.Problems[0].Title, "报告未生成：季度通报（quarterly），应于 2025-04-10 09:30") ||
					!strings.Contains(h.Problems[0].Action, fmt.Sprintf("lingpao jobs rerun %d", skipped[0].ID)) {
					t.Fatalf("health %+v", h)
				}
				// Re-run the first (Q1 is made), acknowledge the second.
				if run, err := svc.Scheduler.Rerun(ctx, skipped[0].ID); err != nil || !strings.HasPrefix(run.Outputs[0], "outbox/2025Q1/") {
					t.Errorf("rerun of the skipped bulletin: %+v %v", run, err)
				}
				if _, err := svc.AckRun(ctx, skipped[1].ID, "test", "已手工报送"); err != nil {
					t.Fatal(err)
				}
				if h, _ := svc.Health(ctx); !h.OK || len(h.Acknowledged) != 1 {
					t.Errorf("health after rerun and ack %+v", h)
				}
			}
			// The staff got the seven late dispatches, each saying it is late and when it was due.
			r.drive(bj("2025-10-21 12:00"))
			var late int
			for _, m := range r.received() {
				if m.To == "staff@example.gov.cn" && strings.HasPrefix(m.Subject, "【月调度表】") && strings.Contains(m.Body, "服务停止期间错过，现补发") {
					late++
				}
			}
			if late != 7 {
				t.Errorf("%d late dispatches mailed, want 7", late)
			}
		})
	}
}

// TestFullDisk: the disk of the workspace fills up on the morning of the dispatch. /healthz says so at
// once, in Chinese, naming the workspace and what to do; the dispatch cannot be written and nothing
// half-written is left in the outbox; the ledger says why in Chinese. Once space is freed the
// dispatch is made on its retry, complete, and /healthz is well again — without a restart.
func TestFullDisk(t *testing.T) {
	disk := disktest.Small(t, 48<<20)
	r := newRigIn(t, filepath.Join(disk, "ws"), "2025-10-13 08:00", func(c *lingpao.Config) {
		onlyJobs(c, lingpao.JobMonthly, lingpao.JobDeliver)
		c.Jobs.Deliver.Schedule = "*/10 * * * *"
	})
	ctx := context.Background()
	if err := r.svc.Scheduler.Start(ctx); err != nil {
		t.Fatal(err)
	}
	r.drive(bj("2025-10-13 08:30"))
	if h, err := r.svc.Health(ctx); err != nil || !h.OK {
		t.Fatalf("health before: %+v %v", h, err)
	}
	free := disktest.Fill(t, disk)
	h, err := r.svc.Health(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if h.OK || len(h.Problems) == 0 || h.Problems[0].Key != "disk" || !strings.Contains(h.Problems[0].Detail, "已满") || !strings.Contains(h.Problems[0].Detail, r.dir) {
		t.Fatalf("health with a full disk: %+v", h)
	}
	// The morning goes by with the disk full: the scheduler tries, as the service would.
	for at := bj("2025-10-13 09:00"); at.Before(bj("2025-10-13 10:30")); at = at.Add(5 * time.Minute) {
		r.clk.Set(at)
		r.svc.Scheduler.Tick(ctx)
	}
	if h, _ := r.svc.Health(ctx); h.OK {
		t.Errorf("healthy while the disk is full")
	}
	checkOutbox := func() {
		t.Helper()
		filepath.WalkDir(filepath.Join(r.dir, "outbox"), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if strings.HasPrefix(d.Name(), ".tmp-") {
				t.Errorf("half-written file left: %s", p)
			} else if f, err := excelize.OpenFile(p); err != nil {
				t.Errorf("%s does not open: %v", p, err)
			} else {
				f.Close()
			}
			return nil
		})
	}
	checkOutbox()
	for _, run := range r.runs(sqlite.JobRunFilter{Job: lingpao.JobMonthly}) {
		t.Logf("while full: %s attempts %d: %s", run.Outcome, run.Attempts, run.Error)
		if run.Outcome == lingpao.RunOK {
			t.Errorf("the dispatch ran with a full disk: %+v", run)
		}
		if run.Error != "" && (!strings.Contains(run.Error, "已满") || strings.Contains(run.Error, "database or disk is full")) {
			t.Errorf("ledger error not in Chinese: %s", run.Error)
		}
	}
	// A manual run says it in Chinese.
	if _, err := r.svc.Scheduler.RunNow(ctx, lingpao.JobMonthly, r.clk.Now()); lingpao.ErrorCode(lingpao.ExplainDisk(err, "")) != lingpao.ENOSPACE ||
		!strings.Contains(lingpao.ErrorMessage(lingpao.ExplainDisk(err, "")), "已满") {
		t.Errorf("manual run on a full disk: %v", err)
	}

	free()
	r.drive(bj("2025-10-13 14:00"))
	runs := r.runs(sqlite.JobRunFilter{Job: lingpao.JobMonthly, From: bj("2025-10-05 09:00"), To: bj("2025-10-05 09:01")})
	if len(runs) != 1 || runs[0].Outcome != lingpao.RunOK || len(runs[0].Outputs) != 1 {
		t.Fatalf("dispatch after the disk was freed: %+v", runs)
	}
	checkOutbox()
	if h, _ := r.svc.Health(ctx); !h.OK {
		t.Errorf("health after freeing the disk: %+v", h)
	}
}

// TestOutboxDiskFull: the outbox is on a disk of its own (a share), and it is full: the dispatch fails
// with a Chinese message naming the file it could not write, leaves nothing half-written, and /healthz
// reports it until the outbox can be written again.
func TestOutboxDiskFull(t *testing.T) {
	r := newRig(t, "2025-10-13 09:00", func(c *lingpao.Config) { onlyJobs(c, lingpao.JobMonthly) })
	ctx := context.Background()
	share := disktest.Small(t, 1<<20)
	outbox := filepath.Join(r.dir, "outbox")
	if err := os.Remove(outbox); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(share, outbox); err != nil {
		t.Fatal(err)
	}
	free := disktest.Fill(t, share)
	run, err := r.svc.Scheduler.RunNow(ctx, lingpao.JobMonthly, r.clk.Now())
	msg := lingpao.ErrorMessage(err)
	if run.Outcome != lingpao.RunFailed || !strings.Contains(msg, "已满") || !strings.Contains(run.Error, "outbox/2025-09/月调度表_") || !strings.Contains(run.Error, "已满") {
		t.Fatalf("dispatch on a full outbox: %s %q %q", run.Outcome, msg, run.Error)
	}
	h, _ := r.svc.Health(ctx)
	if h.OK || h.Problems[0].Key != "disk" || !strings.Contains(h.Problems[0].Detail, "outbox") {
		t.Errorf("health: %+v", h)
	}
	if left, _ := filepath.Glob(filepath.Join(share, "*", ".tmp-*")); len(left) > 0 {
		t.Errorf("half-written files: %v", left)
	}
	free()
	if h, _ := r.svc.Health(ctx); !h.OK {
		t.Errorf("health after freeing the outbox: %+v", h)
	}
	if run, err := r.svc.Scheduler.RunNow(ctx, lingpao.JobMonthly, r.clk.Now().Add(time.Minute)); err != nil || run.Outcome != lingpao.RunOK {
		t.Errorf("dispatch after freeing: %+v %v", run, err)
	}
}

// TestRefusedAndStalledMail: a recipient the server refuses permanently (550) is tried once, not every
// hour for ever: the mail is listed as refused and the admins are told once — no reminders over two
// days; cancelled by an operator, the problem is resolved. A server that stalls is a timeout, not a
// refusal: the mail stays queued and the batch stops at the first stalled mail.
func TestRefusedAndStalledMail(t *testing.T) {
	r := newRig(t, "2025-10-13 09:00", func(c *lingpao.Config) { onlyJobs(c, lingpao.JobMonthly, lingpao.JobDeliver) })
	ctx := context.Background()
	r.smtp.Refuse("staff2@example.gov.cn")
	if _, err := r.svc.Scheduler.RunNow(ctx, lingpao.JobMonthly, r.clk.Now()); err != nil {
		t.Fatal(err)
	}
	for at := r.clk.Now().Add(time.Minute); at.Before(bj("2025-10-15 10:00")); at = at.Add(time.Hour) {
		r.clk.Set(at)
		if _, err := r.svc.Scheduler.RunNow(ctx, lingpao.JobDeliver, at); err != nil {
			t.Fatal(err)
		}
	}
	refused, _ := r.w.Store.FindDeliveries(ctx, sqlite.DeliveryFilter{Status: lingpao.DeliveryRefused})
	if len(refused) != 1 || refused[0].To != "staff2@example.gov.cn" || refused[0].Attempts != 1 || !strings.Contains(refused[0].LastError, "550") {
		t.Fatalf("refused mails %+v", refused)
	}
	var admin []string
	for _, m := range r.received() {
		if m.To == "admin@example.gov.cn" {
			admin = append(admin, m.Subject)
		}
	}
	if len(admin) != 1 || !strings.HasPrefix(admin[0], "【lingpao 需要处理】邮件被拒收：发给 staff2@example.gov.cn 的「【月调度表】石家庄市 2025年9月」") {
		t.Errorf("admins got %v, want one notice", admin)
	}
	h, _ := r.svc.Health(ctx)
	if h.OK || !strings.Contains(titles(h), "邮件被拒收") || !strings.Contains(h.Problems[0].Action, fmt.Sprintf("lingpao deliveries cancel %d", refused[0].ID)) {
		t.Errorf("health %+v", h)
	}
	if _, err := r.w.Store.CancelDeliveries(ctx, []int64{refused[0].ID}, r.clk.Now()); err != nil {
		t.Fatal(err)
	}
	r.clk.Set(r.clk.Now().Add(time.Minute))
	if _, err := r.svc.Scheduler.RunNow(ctx, lingpao.JobDeliver, r.clk.Now()); err != nil {
		t.Fatal(err)
	}
	if h, _ := r.svc.Health(ctx); !h.OK {
		t.Errorf("health after cancelling %+v", h)
	}

	// The server stalls: three mails wait; one attempt times out and the batch stops.
	r.svc.Mailer.Timeout = 200 * time.Millisecond
	r.smtp.Stall()
	if _, err := r.svc.Scheduler.RunNow(ctx, lingpao.JobQuarterly, r.clk.Now()); err != nil {
		t.Fatal(err)
	}
	r.clk.Set(r.clk.Now().Add(time.Minute))
	run, err := r.svc.Scheduler.RunNow(ctx, lingpao.JobDeliver, r.clk.Now())
	if err != nil || !strings.Contains(run.Summary, "超时") || strings.Contains(run.Summary, "拒收") {
		t.Errorf("deliver against a stalled server: %q %v", run.Summary, err)
	}
	if r.smtp.Stalls() != 1 {
		t.Errorf("%d stalled sends, want the batch to stop at the first", r.smtp.Stalls())
	}
	pending, _ := r.w.Store.FindDeliveries(ctx, sqlite.DeliveryFilter{Status: lingpao.DeliveryPending})
	if len(pending) < 3 {
		t.Errorf("%d pending after the stall, want the bulletin's mails kept", len(pending))
	}
	for _, d := range pending {
		if strings.Contains(d.LastError, "拒收") {
			t.Errorf("a timeout recorded as a refusal: %s", d.LastError)
		}
	}
}

// TestStuckInboxFile: a file that cannot be removed from the inbox (held by another party: a share
// that refuses, a county's Excel on Windows) was once a failed poll every minute, mailed to the admins
// each time. It is one problem — keyed by the file and its bytes — announced once in three hours of
// polls (the polls themselves succeed), listed by /healthz, and resolved, with a notice, when the file
// can go. The log is quiet while nothing changes: a line for the file, a line per change of problem.
func TestStuckInboxFile(t *testing.T) {
	var logBuf syncBuffer
	r := newRig(t, "2025-10-08 10:00", func(c *lingpao.Config) {
		onlyJobs(c, lingpao.JobPoll, lingpao.JobDeliver)
		c.Jobs.Deliver.Schedule = "*/10 * * * *"
	})
	log := slog.New(slog.NewTextHandler(&logBuf, nil))
	r.svc.Log, r.svc.Scheduler.Log = log, log
	ctx := context.Background()
	path := filepath.Join(r.dir, "inbox", "鹿泉区", "鹿泉区9月报表.xlsx")
	if err := os.WriteFile(path, []byte("指标,数值\n专精特新,12\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	release := disktest.Hold(t, path)
	if err := r.svc.Scheduler.Start(ctx); err != nil {
		t.Fatal(err)
	}
	r.drive(bj("2025-10-08 13:00"))

	if failed := r.runs(sqlite.JobRunFilter{Job: lingpao.JobPoll, Outcome: lingpao.RunFailed}); len(failed) > 0 {
		t.Errorf("%d polls failed, first: %s", len(failed), failed[0].Error)
	}
	h, _ := r.svc.Health(ctx)
	if h.OK || len(h.Problems) != 1 || !strings.HasPrefix(h.Problems[0].Key, "poll/file/鹿泉区/鹿泉区9月报表.xlsx/") ||
		h.Problems[0].Title != "收件箱文件无法处理：inbox/鹿泉区/鹿泉区9月报表.xlsx" || !strings.Contains(h.Problems[0].Detail, "无法在受理后从收件箱移除") {
		t.Fatalf("health %+v", h)
	}
	var notices []string
	for _, m := range r.received() {
		notices = append(notices, m.Subject)
	}
	if len(notices) != 1 || notices[0] != "【lingpao 需要处理】收件箱文件无法处理：inbox/鹿泉区/鹿泉区9月报表.xlsx" {
		t.Errorf("admins got %v, want one notice in three hours", notices)
	}
	lines := strings.Split(strings.TrimSpace(logBuf.String()), "\n")
	if len(lines) > 4 {
		t.Errorf("%d log lines for three hours of one stuck file:\n%s", len(lines), logBuf.String())
	}

	release()
	r.drive(bj("2025-10-08 13:30"))
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the file is still in the inbox: %v", err)
	}
	if h, _ := r.svc.Health(ctx); !h.OK {
		t.Errorf("health after the file went: %+v", h)
	}
	got := r.received()
	if last := got[len(got)-1].Subject; last != "【lingpao 已解决】收件箱文件无法处理：inbox/鹿泉区/鹿泉区9月报表.xlsx" {
		t.Errorf("last notice %q", last)
	}
	if n := strings.Count(logBuf.String(), "msg=收到文件"); n != 1 {
		t.Errorf("%d 收到文件 lines, want 1:\n%s", n, logBuf.String())
	}
}

// syncBuffer is a bytes.Buffer safe for the scheduler's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestEditionMail: a dispatch made again after a late return is 第2版: the mail's subject and body say
// so; the bulletin's mail names the document once (no 「季度季度通报」).
func TestEditionMail(t *testing.T) {
	r := newRig(t, "2025-10-13 09:00", func(c *lingpao.Config) { onlyJobs(c, lingpao.JobMonthly, lingpao.JobQuarterly, lingpao.JobDeliver) })
	ctx := context.Background()
	counties := r.w.Catalog.Tree.Counties(r.w.Config.City)
	sep := lingpao.MonthOf(2025, 9)
	r.clk.Set(bj("2025-10-09 10:00"))
	for _, c := range counties[:20] {
		r.accept(c.Code, sep)
	}
	r.clk.Set(bj("2025-10-13 09:00"))
	for _, job := range []string{lingpao.JobMonthly, lingpao.JobQuarterly} {
		if _, err := r.svc.Scheduler.RunNow(ctx, job, r.clk.Now()); err != nil {
			t.Fatal(err)
		}
	}
	r.clk.Set(bj("2025-10-14 10:00"))
	r.accept(counties[0].Code, sep, map[string]float64{"invention_patents_new": 3}) // a correction: the dispatch changes
	run, err := r.svc.Scheduler.RunNow(ctx, lingpao.JobMonthly, bj("2025-10-14 11:00"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(run.Summary, "第2版") || !strings.Contains(run.Outputs[0], "_第2版") {
		t.Fatalf("second dispatch %+v", run)
	}
	if _, err := r.svc.Scheduler.RunNow(ctx, lingpao.JobDeliver, r.clk.Now()); err != nil {
		t.Fatal(err)
	}
	var subjects []string
	for _, m := range r.received() {
		if m.To != "staff@example.gov.cn" {
			continue
		}
		subjects = append(subjects, m.Subject)
		if strings.Contains(m.Body, "季度季度") || strings.Contains(m.Body, "月月调度") {
			t.Errorf("body repeats the kind:\n%s", m.Body)
		}
		if m.Subject == "【月调度表】石家庄市 2025年9月（第2版）" && !strings.Contains(m.Body, "附件为石家庄市《月调度表（2025年9月，第2版）》") {
			t.Errorf("第2版 body:\n%s", m.Body)
		}
		if strings.HasPrefix(m.Subject, "【季度通报】") && !strings.Contains(m.Body, "附件为石家庄市《季度通报（2025年第三季度）》") {
			t.Errorf("bulletin body:\n%s", m.Body)
		}
	}
	want := "【月调度表】石家庄市 2025年9月,【季度通报】石家庄市 2025年第三季度,【月调度表】石家庄市 2025年9月（第2版）"
	if strings.Join(subjects, ",") != want {
		t.Errorf("staff subjects:\n %s\nwant\n %s", strings.Join(subjects, ","), want)
	}
}
