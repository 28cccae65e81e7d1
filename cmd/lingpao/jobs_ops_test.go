package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"lingpao"
	"lingpao/internal/disktest"
	"lingpao/jobs"
	"lingpao/sqlite"
)

func runCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	return out.String(), errb.String(), err
}

// TestJobsPlan: `jobs plan` lists each scheduled run of a period with its deadline and why it falls
// then — October 2024: the September deadline moved by 国庆 to 10-08, the dispatch and bulletin on
// the third working day after it (10-11), the reminders around it.
func TestJobsPlan(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := runCmd(t, "init", "--dir", dir); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCmd(t, "jobs", "plan", "--dir", dir, "--from", "2024-10-01", "--to", "2024-10-31", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var plan []jobs.PlannedRun
	if err := json.Unmarshal([]byte(out), &plan); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var reports []string
	for _, p := range plan {
		if p.Job != lingpao.JobRemind {
			reports = append(reports, p.Job+" "+p.Due.In(lingpao.Beijing).Format("01-02 15:04")+" "+p.Period+" "+lingpao.FormatDate(p.Deadline))
		}
	}
	if want := "monthly 10-11 09:00 2024-09 2024-10-08,quarterly 10-11 09:30 2024Q3 2024-10-08"; strings.Join(reports, ",") != want {
		t.Errorf("reports planned:\n %s\nwant\n %s", strings.Join(reports, ","), want)
	}
	table, _, err := runCmd(t, "jobs", "plan", "--dir", dir, "--from", "2024-10-01", "--to", "2024-10-31")
	if err != nil || !strings.Contains(table, "2024年9月报表截止 10月8日（10月5日为国庆节假期，顺延），截止后第3个工作日运行") {
		t.Errorf("plan table:\n%s %v", table, err)
	}
	if _, _, err := runCmd(t, "jobs", "plan", "--dir", dir, "--from", "2024-10-31", "--to", "2024-10-01"); lingpao.ErrorCode(err) != lingpao.EINVALID {
		t.Errorf("--from after --to: %v", err)
	}
}

// TestJobsRunRefusesTimes: `jobs run --now` in the future (it would stamp today's data with a later
// date and use up the real run) and before the plans are refused in Chinese; a time that is a
// scheduled run not due yet is refused too; nothing is recorded.
func TestJobsRunRefusesTimes(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := runCmd(t, "init", "--dir", dir); err != nil {
		t.Fatal(err)
	}
	future := time.Now().Add(72 * time.Hour).In(lingpao.Beijing).Format("2006-01-02T15:04")
	for _, now := range []string{future, "0001-01-01T00:00", "2019-12-31T09:00"} {
		_, _, err := runCmd(t, "jobs", "run", "monthly", "--dir", dir, "--now", now)
		if lingpao.ErrorCode(err) != lingpao.EINVALID || !strings.Contains(lingpao.ErrorMessage(err), "--now") {
			t.Errorf("--now %s: %v", now, err)
		}
	}
	// This month's dispatch: nominally the 5th at 09:00, due days later.
	m := time.Now().In(lingpao.Beijing)
	nominal := time.Date(m.Year(), m.Month(), 5, 9, 0, 0, 0, lingpao.Beijing)
	w, err := jobs.Open(context.Background(), dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	svc, err := w.NewService(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	j, _ := svc.Scheduler.Job(lingpao.JobMonthly)
	if due := j.Schedule.Due(nominal, w.Catalog.Calendar()); nominal.Before(time.Now()) && due.After(time.Now()) {
		_, _, err := runCmd(t, "jobs", "run", "monthly", "--dir", dir, "--now", nominal.Format("2006-01-02T15:04"))
		if lingpao.ErrorCode(err) != lingpao.ECONFLICT || !strings.Contains(lingpao.ErrorMessage(err), "会占用这次计划运行") {
			t.Errorf("--now on the scheduled time not yet due: %v", err)
		}
	}
	if runs, _ := w.Store.FindJobRuns(context.Background(), sqlite.JobRunFilter{}); len(runs) != 0 {
		t.Errorf("refused runs were recorded: %+v", runs)
	}
}

// TestProblemsAndDeliveriesCommands: `problems` and `deliveries` list in tables and JSON; a refused
// mail is retried or cancelled by number; a failed run is acknowledged with `jobs ack`.
func TestProblemsAndDeliveriesCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	if _, _, err := runCmd(t, "init", "--dir", dir); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCmd(t, "problems", "list", "--dir", dir, "--format", "json")
	var h jobs.Health
	if err != nil || json.Unmarshal([]byte(out), &h) != nil || !h.OK || h.Problems == nil {
		t.Fatalf("problems of a new workspace: %s %v", out, err)
	}
	w, err := jobs.Open(ctx, dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	now := time.Now()
	if _, err := w.Store.QueueDeliveries(ctx, []lingpao.Delivery{
		{Key: "a", Role: lingpao.RoleStaff, To: "staff@example.gov.cn", Subject: "【月调度表】石家庄市 2025年9月", Body: "x"},
		{Key: "b", Role: lingpao.RoleStaff, To: "nobody@example.gov.cn", Subject: "【月调度表】石家庄市 2025年9月", Body: "x"},
	}, now); err != nil {
		t.Fatal(err)
	}
	if err := w.Store.MarkDeliveryRefused(ctx, 2, "邮件服务器 smtp:587 拒收（永久性错误，不再重试）：550 5.1.1 Mailbox unavailable", now); err != nil {
		t.Fatal(err)
	}
	out, _, err = runCmd(t, "deliveries", "list", "--dir", dir)
	if err != nil || !strings.Contains(out, "被拒收") || !strings.Contains(out, "nobody@example.gov.cn") || !strings.Contains(out, "lingpao deliveries retry") {
		t.Errorf("deliveries list:\n%s %v", out, err)
	}
	out, _, err = runCmd(t, "deliveries", "list", "--dir", dir, "--status", "refused", "--format", "json")
	var ds []lingpao.Delivery
	if err != nil || json.Unmarshal([]byte(out), &ds) != nil || len(ds) != 1 || ds[0].Status != lingpao.DeliveryRefused {
		t.Errorf("refused as JSON: %s %v", out, err)
	}
	if out, _, err := runCmd(t, "deliveries", "retry", "2", "--dir", dir); err != nil || !strings.Contains(out, "重新加入队列") {
		t.Errorf("retry: %s %v", out, err)
	}
	if out, _, err := runCmd(t, "deliveries", "cancel", "--dir", dir, "1,2"); err != nil || strings.Count(out, "已取消") != 2 {
		t.Errorf("cancel: %s %v", out, err)
	}
	if pending, _ := w.Store.FindDeliveries(ctx, sqlite.DeliveryFilter{Status: lingpao.DeliveryPending}); len(pending) != 0 {
		t.Errorf("%d pending after cancel", len(pending))
	}
	if _, _, err := runCmd(t, "deliveries", "cancel", "99", "--dir", dir); lingpao.ErrorCode(err) != lingpao.ENOTFOUND {
		t.Errorf("cancel of an unknown mail: %v", err)
	}

	// A failed scheduled run, acknowledged.
	at := time.Date(2025, 10, 5, 9, 0, 0, 0, lingpao.Beijing)
	run, _, err := w.Store.ClaimRun(ctx, lingpao.JobRun{Job: lingpao.JobMonthly, Scheduled: at, Due: at, Trigger: lingpao.TriggerSchedule, Started: at}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Store.FinishRun(ctx, run.ID, sqlite.RunEnd{Outcome: lingpao.RunFailed, Ended: at, Error: "字体文件不存在"}); err != nil {
		t.Fatal(err)
	}
	// The scheduler records the failure as this problem (scheduler.FailureProblem).
	if _, err := w.Store.SyncAlarms(ctx, "run/monthly/2025-10-05T01:00:00Z", []lingpao.Problem{{Key: "run/monthly/2025-10-05T01:00:00Z", Title: "任务失败：月调度表", Action: "x"}}, at, nil); err != nil {
		t.Fatal(err)
	}
	out, _, err = runCmd(t, "problems", "list", "--dir", dir)
	if err != nil || !strings.Contains(out, "任务失败：月调度表") {
		t.Errorf("problems:\n%s %v", out, err)
	}
	if out, _, err := runCmd(t, "jobs", "ack", "1", "--dir", dir, "--note", "已手工报送"); err != nil || !strings.Contains(out, "已确认问题") {
		t.Errorf("jobs ack: %s %v", out, err)
	}
	out, _, err = runCmd(t, "problems", "list", "--dir", dir, "--format", "json")
	if err != nil || json.Unmarshal([]byte(out), &h) != nil || !h.OK || len(h.Acknowledged) != 1 || h.Acknowledged[0].AckNote != "已手工报送" {
		t.Errorf("problems after ack: %s %v", out, err)
	}
}

// TestCommandsOnFullDisk: with the workspace's disk full, commands that must write fail with a
// Chinese message naming what is full and what to do — not an internal chain.
func TestCommandsOnFullDisk(t *testing.T) {
	disk := disktest.Small(t, 32<<20)
	dir := filepath.Join(disk, "ws")
	if _, _, err := runCmd(t, "init", "--dir", dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "inbox", "鹿泉区", "报表.xlsx"), bytes.Repeat([]byte("x"), 200<<10), 0o644); err != nil {
		t.Fatal(err)
	}
	free := disktest.Fill(t, disk)
	defer free()
	for _, args := range [][]string{
		{"jobs", "run", "monthly", "--dir", dir},
		{"ingest", "--dir", dir},
		{"status", "--dir", dir, "--period", "2025-09"},
		{"user", "add", "--dir", dir, "--name", "张科长", "--role", "admin"},
	} {
		_, stderr, err := runCmd(t, args...)
		if err == nil {
			continue // it had nothing to write
		}
		var code bytes.Buffer
		exitCode(err, &code)
		msg := code.String()
		if !strings.Contains(msg, "磁盘已满") && !strings.Contains(msg, "所在的磁盘已满") || strings.Contains(msg, "database or disk is full") || strings.Contains(msg, "no space left") {
			t.Errorf("lingpao %s on a full disk:\n%s%s", strings.Join(args[:2], " "), stderr, msg)
		}
	}
}

// TestStatusOnReadOnlyDisk: a workspace on a disk that turned read-only is said to be read-only.
func TestStatusOnReadOnlyDisk(t *testing.T) {
	disk := disktest.Small(t, 32<<20)
	dir := filepath.Join(disk, "ws")
	if _, _, err := runCmd(t, "init", "--dir", dir); err != nil {
		t.Fatal(err)
	}
	writable := disktest.ReadOnly(t, disk)
	defer writable()
	_, _, err := runCmd(t, "status", "--dir", dir, "--period", "2025-09")
	var msg bytes.Buffer
	if exitCode(err, &msg); err != nil && !strings.Contains(msg.String(), "只读") {
		t.Errorf("status on a read-only disk: %s", msg.String())
	}
}
