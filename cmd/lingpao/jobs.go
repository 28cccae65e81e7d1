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

// jobsActions are the actions of `lingpao jobs`.
func jobsActions() []command {
	return []command{
		{"list", "计划任务：计划、下次与上次运行、需要关注的运行、邮件队列", runJobsList},
		{"run", "立即运行一个任务 NAME（poll、remind、monthly、quarterly、half、annual、deliver），记入运行记录", runJobsRun},
		{"plan", "列出一段时间内每次计划运行：报送截止日、节假日顺延、对应期间（--from D --to D）", runJobsPlan},
		{"rerun", "重新运行一次失败、跳过或待重试的运行 ID（按其原计划时间，用现在的数据）", runJobsRerun},
		{"ack", "确认一次失败或跳过的运行 ID：不再提醒，/healthz 不再报警", runJobsAck},
	}
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
	f := newFlags(e, "[--dir D] [--now T] [--format table|json]")
	dir := f.Dir()
	now := f.Time("now", "按此时间（北京时间）计算下次运行，如 2025-10-08T09:00", parseNow)
	format := f.Format("table", "json")
	if _, err := f.parse(args); err != nil {
		return err
	}
	w, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer w.Close()
	if !now.IsZero() {
		pinClock(w, *now)
	}
	svc, err := w.NewService(nil, nil)
	if err != nil {
		return err
	}
	st, err := svc.Scheduler.Status(ctx)
	if err != nil {
		return err
	}
	holder, serving := scheduler.ServeHolder(*dir)
	pending, err := w.Store.FindDeliveries(ctx, sqlite.DeliveryFilter{Status: lingpao.DeliveryPending})
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeJSON(e.stdout, jobsListJSON(st, serving, holder.Describe(), pending))
	}
	if serving {
		fmt.Fprintf(e.stdout, "lingpao serve 正在运行：%s\n\n", holder.Describe())
	} else {
		fmt.Fprintf(e.stdout, "lingpao serve 未在运行：以下计划不会自动执行。\n\n")
	}
	t := newTable("任务", "名称", "计划（北京时间）", "下次运行", "上次运行", "结果", "说明")
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
		t.add(x.Job.Name, x.Job.Title, sched, next, last, outcome, note)
	}
	t.write(e.stdout, e.width)

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

func runJobsRun(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "NAME [--now 2025-10-08T09:00] [--dir D]")
	dir := f.Dir()
	now := f.Time("now", "按此时间（北京时间）运行，如 2025-10-08T09:00；默认现在", parseNow)
	pos, err := f.parse(args, "NAME")
	if err != nil {
		return err
	}
	name := pos[0]
	w, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer w.Close()
	at := time.Now().Truncate(time.Second)
	if !now.IsZero() {
		at = *now
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

// jobsListJSON is `lingpao jobs list --format json`: each job with its next run (RFC 3339, Beijing
// time), its latest run and the runs that need attention; whether serve runs; the mail queue.
func jobsListJSON(st []scheduler.JobStatus, serving bool, holder string, pending []lingpao.Delivery) any {
	type run struct {
		Scheduled   string             `json:"scheduled"`
		Outcome     lingpao.RunOutcome `json:"outcome"`
		Label       string             `json:"label"`
		Attempts    int                `json:"attempts"`
		NextAttempt *string            `json:"next_attempt,omitempty"`
		Summary     string             `json:"summary,omitempty"`
		Error       string             `json:"error,omitempty"`
	}
	type job struct {
		Name        string  `json:"name"`
		Title       string  `json:"title"`
		Schedule    string  `json:"schedule"`
		NextWorkday bool    `json:"next_workday"`
		Disabled    bool    `json:"disabled"`
		Next        *string `json:"next"`
		Nominal     *string `json:"nominal"`
		Last        *run    `json:"last"`
		Missed      int     `json:"missed"`
		Open        []run   `json:"open"`
	}
	type mail struct {
		To          string `json:"to"`
		Subject     string `json:"subject"`
		Attempts    int    `json:"attempts"`
		NextAttempt string `json:"next_attempt"`
		LastError   string `json:"last_error,omitempty"`
	}
	toRun := func(r lingpao.JobRun) run {
		x := run{Scheduled: rfc3339(r.Scheduled), Outcome: r.Outcome, Label: r.Outcome.Label(), Attempts: r.Attempts, Summary: r.Summary, Error: r.Error}
		if r.Outcome == lingpao.RunRetry && !r.NextAttempt.IsZero() {
			t := rfc3339(r.NextAttempt)
			x.NextAttempt = &t
		}
		return x
	}
	out := struct {
		Serving bool   `json:"serving"`
		Holder  string `json:"holder,omitempty"`
		Jobs    []job  `json:"jobs"`
		Pending []mail `json:"mail_pending"`
	}{Serving: serving, Jobs: []job{}, Pending: []mail{}}
	if serving {
		out.Holder = holder
	}
	for _, x := range st {
		j := job{Name: x.Job.Name, Title: x.Job.Title, Schedule: x.Job.Config.Schedule, NextWorkday: x.Job.Config.NextWorkday,
			Disabled: x.Job.Config.Disabled, Missed: x.Missed, Open: []run{}}
		if !x.Job.Config.Disabled && !x.Next.Due.IsZero() {
			next, nominal := rfc3339(x.Next.Due), rfc3339(x.Next.Nominal)
			j.Next, j.Nominal = &next, &nominal
		}
		if x.Last != nil {
			r := toRun(*x.Last)
			j.Last = &r
		}
		for _, r := range x.Open {
			j.Open = append(j.Open, toRun(r))
		}
		out.Jobs = append(out.Jobs, j)
	}
	for _, d := range pending {
		out.Pending = append(out.Pending, mail{To: d.To, Subject: d.Subject, Attempts: d.Attempts, NextAttempt: rfc3339(d.NextAttempt), LastError: d.LastError})
	}
	return out
}

// rfc3339 writes t in Beijing time as RFC 3339 (2025-10-08T09:00:00+08:00).
func rfc3339(t time.Time) string {
	return t.In(lingpao.Beijing).Format(time.RFC3339)
}

func lastLine(s string) string {
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}
