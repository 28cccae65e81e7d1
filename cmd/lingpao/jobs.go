package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"lingpao"
	"lingpao/jobs"
	"lingpao/scheduler"
	"lingpao/sqlite"
)

// runJobs is `lingpao jobs list`, `lingpao jobs run NAME [--now T]`, `lingpao jobs plan`, `lingpao jobs
// rerun ID` and `lingpao jobs ack ID`.
func runJobs(ctx context.Context, e *env, args []string) error {
	const usage = "用法：lingpao jobs list [--dir D] | jobs run NAME [--now 2025-10-08T09:00] | jobs plan [--from D] [--to D] [--format json] | jobs rerun ID | jobs ack ID [--note 说明]"
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "list":
		return runJobsList(ctx, e, args[1:])
	case "plan":
		return runJobsPlan(ctx, e, args[1:])
	case "rerun":
		return runJobsRerun(ctx, e, args[1:])
	case "ack":
		return runJobsAck(ctx, e, args[1:])
	case "run":
		if len(args) < 2 || strings.HasPrefix(args[1], "-") {
			fmt.Fprintln(e.stderr, usage)
			return errUsage
		}
		return runJobsRun(ctx, e, args[1], args[2:])
	}
	fmt.Fprintln(e.stderr, usage)
	return errUsage
}

// parseNow parses --now: 2025-10-08T09:00, 2025-10-08 09:00 or 2025-10-08T09:00:30, Beijing time.
func parseNow(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, lingpao.Beijing); err == nil {
			return t, nil
		}
	}
	return time.Time{}, lingpao.Errorf(lingpao.EINVALID, "--now「%s」格式不对：请写成 2025-10-08T09:00（北京时间）。", s)
}

// pinClock sets the workspace clock to run from t on.
func pinClock(w *jobs.Workspace, t time.Time) {
	start := time.Now()
	w.Now = func() time.Time { return t.Add(time.Since(start)) }
}

func runJobsList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "jobs list", "[--dir D] [--now T]")
	dir := fs.String("dir", defaultDir(), "工作目录")
	nowFlag := fs.String("now", "", "按此时间（北京时间）计算下次运行，如 2025-10-08T09:00")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	w, err := openWorkspace(ctx, e, *dir)
	if err != nil {
		return err
	}
	defer w.Close()
	if *nowFlag != "" {
		t, err := parseNow(*nowFlag)
		if err != nil {
			return err
		}
		pinClock(w, t)
	}
	svc, err := w.NewService(nil, nil)
	if err != nil {
		return err
	}
	st, err := svc.Scheduler.Status(ctx)
	if err != nil {
		return err
	}
	if h, ok := scheduler.ServeHolder(*dir); ok {
		fmt.Fprintf(e.stdout, "lingpao serve 正在运行：%s\n\n", h.Describe())
	} else {
		fmt.Fprintf(e.stdout, "lingpao serve 未在运行：以下计划不会自动执行。\n\n")
	}
	rows := [][]string{{"任务", "名称", "计划（北京时间）", "下次运行", "上次运行", "结果", "说明"}}
	for _, x := range st {
		sched := x.Job.Config.Schedule
		if x.Job.Config.NextWorkday {
			sched += "，遇节假日顺延"
		}
		next := "已停用"
		if !x.Job.Config.Disabled {
			next = fmtTime(x.Next.Due)
			if !x.Next.Nominal.Equal(x.Next.Due) {
				next += fmt.Sprintf("（%s顺延）", x.Next.Nominal.In(lingpao.Beijing).Format("01-02"))
			}
		}
		last, outcome, note := "—", "—", ""
		if x.Last != nil {
			last, outcome, note = fmtTime(x.Last.Scheduled), x.Last.Outcome.Label(), x.Last.Summary
			if x.Last.Outcome != lingpao.RunOK && x.Last.Error != "" {
				note = lastLine(x.Last.Error)
			}
		}
		if x.Missed > 0 {
			note = fmt.Sprintf("错过 %d 次（serve 未运行？启动后按补跑策略「%s」处理）", x.Missed, x.Job.Config.CatchUp)
		}
		rows = append(rows, []string{x.Job.Name, x.Job.Title, sched, next, last, outcome, note})
	}
	writeAligned(e.stdout, rows)

	var open []string
	for _, x := range st {
		for _, r := range x.Open {
			line := fmt.Sprintf("  #%d %s %s（计划 %s，已尝试 %d 次）", r.ID, r.Job, r.Outcome.Label(), fmtTime(r.Scheduled), r.Attempts)
			switch r.Outcome {
			case lingpao.RunRetry:
				line += "，下次重试 " + fmtTime(r.NextAttempt)
			case lingpao.RunRunning:
				line += "，开始于 " + fmtTime(r.Started)
			case lingpao.RunFailed, lingpao.RunSkipped:
				line += fmt.Sprintf("，重新运行：lingpao jobs rerun %d，确认：lingpao jobs ack %d", r.ID, r.ID)
			}
			if r.Error != "" {
				line += "：" + lastLine(r.Error)
			}
			open = append(open, line)
		}
	}
	if len(open) > 0 {
		fmt.Fprintf(e.stdout, "\n需要关注的运行：\n%s\n", strings.Join(open, "\n"))
	}
	pending, err := w.Store.FindDeliveries(ctx, sqlite.DeliveryFilter{Status: lingpao.DeliveryPending})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\n邮件队列：待发送 %d 封", len(pending))
	var failing []lingpao.Delivery
	for _, d := range pending {
		if d.Attempts > 0 {
			failing = append(failing, d)
		}
	}
	if len(failing) == 0 {
		fmt.Fprintln(e.stdout, "。")
		return nil
	}
	fmt.Fprintf(e.stdout, "，其中 %d 封发送失败、等待重试：\n", len(failing))
	for _, d := range failing {
		fmt.Fprintf(e.stdout, "  %s「%s」失败 %d 次，下次 %s：%s\n", d.To, d.Subject, d.Attempts, fmtTime(d.NextAttempt), d.LastError)
	}
	return nil
}

func runJobsRun(ctx context.Context, e *env, name string, args []string) error {
	fs := newFlagSet(e, "jobs run "+name, "[--now 2025-10-08T09:00] [--dir D]")
	dir := fs.String("dir", defaultDir(), "工作目录")
	nowFlag := fs.String("now", "", "按此时间（北京时间）运行，如 2025-10-08T09:00；默认现在")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	w, err := openWorkspace(ctx, e, *dir)
	if err != nil {
		return err
	}
	defer w.Close()
	at := time.Now().Truncate(time.Second)
	if *nowFlag != "" {
		if at, err = parseNow(*nowFlag); err != nil {
			return err
		}
		if err := w.CheckRunTime(at, time.Now()); err != nil {
			return err
		}
		pinClock(w, at)
	}
	inst, err := scheduler.NewInstance(*dir, scheduler.ThisProcess("lingpao jobs run "+name, time.Now()))
	if err != nil {
		return err
	}
	defer inst.Close()
	svc, err := w.NewService(inst, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	run, err := svc.Scheduler.RunNow(ctx, name, at)
	if lingpao.ErrorCode(err) == lingpao.ENOTFOUND || lingpao.ErrorCode(err) == lingpao.ECONFLICT {
		return err
	}
	fmt.Fprintf(e.stdout, "任务 %s（%s），计划时间 %s：%s\n", name, jobs.JobTitle(name), fmtTime(run.Scheduled), run.Outcome.Label())
	if run.Summary != "" {
		fmt.Fprintf(e.stdout, "  %s\n", run.Summary)
	}
	for _, o := range run.Outputs {
		fmt.Fprintf(e.stdout, "  %s\n", o)
	}
	if err != nil {
		return err
	}
	if ds, _ := w.Store.FindDeliveries(ctx, sqlite.DeliveryFilter{RunID: run.ID, Status: lingpao.DeliveryPending}); len(ds) > 0 && name != lingpao.JobDeliver {
		fmt.Fprintf(e.stdout, "  %d 封邮件已加入队列：lingpao serve 运行时自动发送，也可运行 lingpao jobs run deliver。\n", len(ds))
	}
	return nil
}

func lastLine(s string) string {
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}
