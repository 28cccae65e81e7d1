package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"lingpao"
	"lingpao/jobs"
)

// reportKinds are the reports of `lingpao report KIND`, one action each.
func reportKinds() []command {
	var cmds []command
	for _, k := range []struct{ kind, summary string }{
		{jobs.Monthly, "月调度表（.xlsx）：--period 2025-09"},
		{jobs.Quarterly, "季度通报（.pdf + .xlsx）：--period 2025Q3；给月份则生成月度通报"},
		{jobs.Half, "半年总结（.pdf + .xlsx），含同比：--period 2025H1"},
		{jobs.Annual, "年终考核（.pdf + .xlsx）：--period 2024"},
		{jobs.Scorecard, "各县体检表（.pdf，每县一页）：--period 2025-09 [--county 鹿泉区,栾城区 | --all]"},
	} {
		cmds = append(cmds, command{k.kind, k.summary, func(ctx context.Context, e *env, args []string) error {
			return runReport(ctx, e, k.kind, args)
		}})
	}
	return cmds
}

// runReport generates one report: `lingpao report KIND --period P`. The files go atomically into
// outbox/<period>/ (体检表 into its 体检表 folder), named by edition; the paths are printed, one a line.
func runReport(ctx context.Context, e *env, kind string, args []string) error {
	synopsis := "--period P [--format xlsx,pdf] [--out D] [--cutoff T] [--dir D]"
	if kind == jobs.Scorecard {
		synopsis = "--period P [--county C | --all] [--format pdf] [--out D] [--cutoff T] [--dir D]"
	}
	f := newFlags(e, synopsis)
	f.Dir()
	kinds, _ := jobs.PeriodKinds(kind)
	period := f.Period("period", "", "期间："+periodKindsText(kinds)+"，如 "+periodExample(kinds[0]), kinds...)
	format := define(f, "format", "", "输出格式，逗号分隔：xlsx,pdf（默认该报告的全部格式）", parseFormats)
	out := f.String("out", "", "输出目录（默认 outbox/<期间>/）")
	var county *string
	var all *bool
	if kind == jobs.Scorecard {
		county = f.String("county", "", "只生成这些县（市、区）的，逗号分隔，县名或行政区划代码")
		all = f.Bool("all", false, "生成全市每个县（市、区）的（默认）")
	}
	cutoff := f.Time("cutoff", "数据截止时间（北京时间），如 2025-10-15T09:00；默认现在。用某一版的截止时间可原样重新生成该版", parseCutOff)
	if _, err := f.parse(args); err != nil {
		return err
	}
	if period.IsZero() {
		return f.usagef("请用 --period 指定期间，如 --period %s。", periodExample(kinds[0]))
	}
	req := jobs.ReportRequest{Kind: kind, Period: *period, OutDir: *out, CutOff: *cutoff, Formats: *format}
	if county != nil && *county != "" {
		if *all {
			return f.usagef("--county 和 --all 只能用一个。")
		}
		req.Counties = strings.Split(*county, ",")
	}
	w, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer w.Close()
	var bar *progress
	if kind == jobs.Scorecard {
		req.Progress = func(done, total int) {
			if bar == nil {
				bar = e.progress("生成体检表", total)
			}
			bar.set(done)
		}
	}
	paths, err := w.GenerateReport(ctx, req)
	bar.stop()
	for _, path := range paths {
		fmt.Fprintln(e.stdout, path)
	}
	return err
}

// parseFormats reads --format of a report: xlsx, pdf or both, comma-separated.
func parseFormats(s string) ([]string, error) {
	var out []string
	for _, f := range strings.Split(s, ",") {
		f = strings.ToLower(strings.TrimSpace(f))
		if f != "xlsx" && f != "pdf" {
			return nil, lingpao.Errorf(lingpao.EINVALID, "格式可选 xlsx、pdf，或逗号分隔的 xlsx,pdf。")
		}
		out = append(out, f)
	}
	return out, nil
}

// parseCutOff parses --cutoff like --now (Beijing time), also accepting RFC 3339 with an offset, as
// the workbooks' properties print it.
func parseCutOff(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, strings.TrimSpace(s)); err == nil {
		return t, nil
	}
	t, err := parseNow(s)
	if err != nil {
		return t, lingpao.Errorf(lingpao.EINVALID, "--cutoff「%s」格式不对：请写成 2025-10-15T09:00（北京时间）。", s)
	}
	return t, nil
}
