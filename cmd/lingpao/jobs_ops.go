package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
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
	fs := newFlagSet(e, "jobs plan", "[--from 2026-01-01] [--to 2026-12-31] [--format table|json] [--dir D]")
	dir := fs.String("dir", defaultDir(), "工作目录")
	fromFlag := fs.String("from", "", "起始日期（含），如 2026-01-01；默认今天")
	toFlag := fs.String("to", "", "结束日期（含），如 2026-12-31；默认起始日期后一年")
	format := fs.String("format", "table", "输出格式：table 或 json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := opsFormat(*format); err != nil {
		return err
	}
	from := startOfDay(time.Now())
	var err error
	if *fromFlag != "" {
		if from, err = parseDay("--from", *fromFlag); err != nil {
			return err
		}
	}
	to := from.AddDate(1, 0, 0)
	if *toFlag != "" {
		if to, err = parseDay("--to", *toFlag); err != nil {
			return err
		}
		to = to.AddDate(0, 0, 1)
	}
	if !to.After(from) || to.Sub(from) > 5*366*24*time.Hour {
		return lingpao.Errorf(lingpao.EINVALID, "--from 应早于 --to，且相隔不超过 5 年。")
	}
	w, err := openWorkspace(ctx, e, *dir)
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
		return opsJSON(e.stdout, plan)
	}
	cal := w.Catalog.Calendar()
	fmt.Fprintf(e.stdout, "计划运行 %s 至 %s（北京时间；报送截止日为每月%d日，遇法定节假日顺延；收件箱轮询和邮件发送每分钟运行，不列出）\n",
		lingpao.FormatDate(from), lingpao.FormatDate(to.AddDate(0, 0, -1)), w.Config.DeadlineDay)
	if cal.To > 0 && to.In(lingpao.Beijing).Year() > cal.To {
		fmt.Fprintf(e.stdout, "注意：节假日表只到 %d 年，其后只按周末推算。\n", cal.To)
	}
	fmt.Fprintln(e.stdout)
	rows := [][]string{{"运行时间", "任务", "期间", "说明", "记录"}}
	for _, p := range plan {
		rec := ""
		if p.Run != nil {
			rec = fmt.Sprintf("#%d %s", p.Run.ID, p.Run.Outcome.Label())
		}
		rows = append(rows, []string{fmtTime(p.Due) + " " + weekday(p.Due), p.Title, p.Period, p.Note, rec})
	}
	if len(plan) == 0 {
		fmt.Fprintln(e.stdout, "这段时间没有计划运行。")
		return nil
	}
	writeAligned(e.stdout, rows)
	return nil
}

// runJobsRerun is `lingpao jobs rerun ID`: the run of the ledger numbered ID, which failed, was
// skipped or waits for a retry, is run again in place, as of its own scheduled time.
func runJobsRerun(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "jobs rerun", "ID [--dir D]（ID 为运行记录编号，见 lingpao jobs list 或失败通知邮件）")
	dir := fs.String("dir", defaultDir(), "工作目录")
	id, err := parseWithID(e, fs, args)
	if err != nil {
		return err
	}
	w, err := openWorkspace(ctx, e, *dir)
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
	fs := newFlagSet(e, "jobs ack", "ID [--note 说明] [--dir D]（ID 为运行记录编号）")
	dir := fs.String("dir", defaultDir(), "工作目录")
	note := fs.String("note", "", "说明（如：该月报告已手工报送）")
	id, err := parseWithID(e, fs, args)
	if err != nil {
		return err
	}
	w, err := openWorkspace(ctx, e, *dir)
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

// parseWithID parses flags placed before or after one numeric argument (a run's or a problem's
// number) and returns it.
func parseWithID(e *env, fs *flag.FlagSet, args []string) (int64, error) {
	ids, err := parseIDs(e, fs, args)
	if err != nil {
		return 0, err
	}
	if len(ids) != 1 {
		fmt.Fprintln(e.stderr, "请给出一个编号。")
		fs.Usage()
		return 0, errUsage
	}
	return ids[0], nil
}

// parseIDs parses flags placed before, between or after numeric arguments and returns them.
func parseIDs(e *env, fs *flag.FlagSet, args []string) ([]int64, error) {
	var ids []int64
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		a := fs.Arg(0)
		id, err := strconv.ParseInt(strings.TrimPrefix(a, "#"), 10, 64)
		if err != nil || id <= 0 {
			return nil, lingpao.Errorf(lingpao.EINVALID, "编号「%s」不对：请写编号（正整数），如 42。", a)
		}
		ids = append(ids, id)
		args = fs.Args()[1:]
	}
	if len(ids) == 0 {
		fmt.Fprintln(e.stderr, "请给出编号。")
		fs.Usage()
		return nil, errUsage
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

func opsFormat(f string) error {
	if f != "table" && f != "json" {
		return lingpao.Errorf(lingpao.EINVALID, "输出格式「%s」不支持：请用 table 或 json。", f)
	}
	return nil
}

func opsJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// parseDay parses a date flag: 2026-01-01, Beijing time.
func parseDay(flag, s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), lingpao.Beijing)
	if err != nil {
		return t, lingpao.Errorf(lingpao.EINVALID, "%s「%s」格式不对：请写成 2026-01-01。", flag, s)
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
