package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/user"
	"strconv"
	"strings"
	"time"

	"lingpao"
	"lingpao/jobs"
	"lingpao/scheduler"
)

// The operator's subcommands of `lingpao jobs`: plan (every scheduled run between two dates), rerun
// (a failed or skipped run, in place) and ack (acknowledge a failure).

// runJobsPlan is `lingpao jobs plan [--from D] [--to D] [--format table|json]`.
func runJobsPlan(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "[--from 2026-01-01] [--to 2026-12-31] [--format table|json] [--dir D]")
	f.Dir()
	fromFlag := f.Time("from", "起始日期（含），如 2026-01-01；默认今天", parseDay)
	toFlag := f.Time("to", "结束日期（含），如 2026-12-31；默认起始日期后一年", parseDay)
	format := f.Format("table", "json")
	if _, err := f.parse(args); err != nil {
		return err
	}
	from := startOfDay(time.Now())
	if !fromFlag.IsZero() {
		from = *fromFlag
	}
	to := from.AddDate(1, 0, 0)
	if !toFlag.IsZero() {
		to = toFlag.AddDate(0, 0, 1)
	}
	if !to.After(from) || to.Sub(from) > 5*366*24*time.Hour {
		return f.usagef("--from 应早于 --to，且相隔不超过 5 年。")
	}
	w, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer w.Close()
	svc, err := w.NewService(nil, nil)
	if err != nil {
		return err
	}
	plan, err := svc.Plan(ctx, from, to)
	if err != nil {
		return err
	}
	if *format == "json" {
		if plan == nil {
			plan = []jobs.PlannedRun{}
		}
		return writeJSON(e.stdout, plan)
	}
	cal := w.Catalog.Calendar()
	fmt.Fprintf(e.stdout, "计划运行 %s 至 %s（北京时间；报送截止日为每月%d日，遇法定节假日顺延；收件箱轮询和邮件发送每分钟运行，不列出）\n",
		lingpao.FormatDate(from), lingpao.FormatDate(to.AddDate(0, 0, -1)), w.Config.DeadlineDay)
	if cal.To > 0 && to.In(lingpao.Beijing).Year() > cal.To {
		fmt.Fprintf(e.stdout, "注意：节假日表只到 %d 年，其后只按周末推算。\n", cal.To)
	}
	fmt.Fprintln(e.stdout)
	if len(plan) == 0 {
		fmt.Fprintln(e.stdout, "这段时间没有计划运行。")
		return nil
	}
	t := newTable("运行时间", "任务", "期间", "说明", "记录")
	for _, p := range plan {
		rec := ""
		if p.Run != nil {
			rec = fmt.Sprintf("#%d %s", p.Run.ID, p.Run.Outcome.Label())
		}
		t.add(fmtTime(p.Due)+" "+weekday(p.Due), p.Title, p.Period, p.Note, rec)
	}
	return t.write(e.stdout, e.width)
}

// runJobsRerun is `lingpao jobs rerun ID`: the run of the ledger numbered ID, which failed, was
// skipped or waits for a retry, is run again in place, as of its own scheduled time.
func runJobsRerun(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "ID [--dir D]")
	dir := f.Dir()
	id, err := parseID(f, args)
	if err != nil {
		return err
	}
	w, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer w.Close()
	inst, err := scheduler.NewInstance(*dir, scheduler.ThisProcess("lingpao jobs rerun", time.Now()))
	if err != nil {
		return err
	}
	defer inst.Close()
	svc, err := w.NewService(inst, slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	run, err := svc.Scheduler.Rerun(ctx, id)
	if lingpao.ErrorCode(err) == lingpao.ENOTFOUND || lingpao.ErrorCode(err) == lingpao.ECONFLICT {
		return err
	}
	fmt.Fprintf(e.stdout, "运行记录 %d：任务 %s（%s），计划时间 %s，第 %d 次运行：%s\n", run.ID, run.Job, jobs.JobTitle(run.Job), fmtTime(run.Scheduled), run.Attempts, run.Outcome.Label())
	if run.Summary != "" {
		fmt.Fprintf(e.stdout, "  %s\n", run.Summary)
	}
	for _, o := range run.Outputs {
		fmt.Fprintf(e.stdout, "  %s\n", o)
	}
	return err
}

// runJobsAck is `lingpao jobs ack ID [--note 说明]`: the failure of run ID is acknowledged — no more
// reminders, /healthz no longer reports it.
func runJobsAck(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "ID [--note 说明] [--dir D]")
	f.Dir()
	note := f.String("note", "", "说明（如：该月报告已手工报送）")
	id, err := parseID(f, args)
	if err != nil {
		return err
	}
	w, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer w.Close()
	svc, err := w.NewService(nil, nil)
	if err != nil {
		return err
	}
	a, err := svc.AckRun(ctx, id, operator(), *note)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "已确认问题 %d：%s\n不再提醒，/healthz 不再因它报警；重新运行成功（lingpao jobs rerun %d）后自动解除。\n", a.ID, a.Title, id)
	return nil
}

// parseID reads the flags and one numeric argument, ID: the number of a run or a problem (as the
// listings and the notices show it, #42 or 42).
func parseID(f *flags, args []string) (int64, error) {
	pos, err := f.parse(args, "ID")
	if err != nil {
		return 0, err
	}
	ids, err := parseIDList(f, pos[0])
	if err != nil {
		return 0, err
	}
	if len(ids) != 1 {
		return 0, f.usagef("lingpao %s 只接受一个编号，如 42。", f.e.path)
	}
	return ids[0], nil
}

// parseIDList reads numbers written 42, #42 or 12,13,14.
func parseIDList(f *flags, s string) ([]int64, error) {
	var ids []int64
	for _, part := range strings.Split(s, ",") {
		id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(part), "#"), 10, 64)
		if err != nil || id <= 0 {
			return nil, f.usagef("编号「%s」不对：请写编号（正整数），如 42；几个编号用逗号隔开，如 12,13。", part)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// operator names who acknowledges: the user running the command, on this host.
func operator() string {
	name := "?"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	if h, err := os.Hostname(); err == nil {
		name += "@" + h
	}
	return name
}

// parseDay parses a date: 2026-01-01, Beijing time.
func parseDay(s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), lingpao.Beijing)
	if err != nil {
		return t, lingpao.Errorf(lingpao.EINVALID, "日期请写成 2026-01-01。")
	}
	return t, nil
}

func startOfDay(t time.Time) time.Time {
	t = t.In(lingpao.Beijing)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, lingpao.Beijing)
}

func weekday(t time.Time) string {
	return "周" + [...]string{"日", "一", "二", "三", "四", "五", "六"}[t.In(lingpao.Beijing).Weekday()]
}
