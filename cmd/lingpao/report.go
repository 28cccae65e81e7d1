package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"lingpao"
	"lingpao/jobs"
)

const reportUsage = "用法：lingpao report monthly|quarterly|half|annual|scorecard --period P [--format xlsx,pdf] [--out D] [--county C | --all] [--cutoff T] [--dir D]"

// runReport generates one report: `lingpao report KIND --period P`. The files go atomically into
// outbox/<period>/ (体检表 into its 体检表 folder), named by edition; the paths are printed, one a line.
func runReport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(e.stderr, reportUsage)
		return errUsage
	}
	kind := args[0]
	fs := newFlagSet(e, "report "+kind, "--period P [--format xlsx,pdf] [--out D] [--county C | --all] [--cutoff T] [--dir D]")
	dir := fs.String("dir", defaultDir(), "工作目录")
	period := fs.String("period", "", "期间：2025-09、2025Q3、2025H1 或 2025")
	format := fs.String("format", "", "输出格式，逗号分隔：xlsx,pdf（默认该报告的全部格式）")
	out := fs.String("out", "", "输出目录（默认 outbox/<期间>/）")
	county := fs.String("county", "", "体检表：只生成这些县（市、区），逗号分隔，县名或行政区划代码")
	all := fs.Bool("all", false, "体检表：生成全市每个县（市、区）的（默认）")
	cutoff := fs.String("cutoff", "", "数据截止时间（北京时间），如 2025-10-15T09:00；默认现在。用某一版的截止时间可原样重新生成该版")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *period == "" {
		fmt.Fprintln(e.stderr, "请用 --period 指定期间，如 --period 2025-09。\n"+reportUsage)
		return errUsage
	}
	p, err := lingpao.ParsePeriod(*period)
	if err != nil {
		return err
	}
	req := jobs.ReportRequest{Kind: kind, Period: p, OutDir: *out}
	if *format != "" {
		req.Formats = strings.Split(*format, ",")
	}
	if *county != "" {
		if *all {
			fmt.Fprintln(e.stderr, "--county 和 --all 只能用一个。\n"+reportUsage)
			return errUsage
		}
		if kind != jobs.Scorecard {
			return lingpao.Errorf(lingpao.EINVALID, "--county 只用于体检表（lingpao report scorecard）。")
		}
		req.Counties = strings.Split(*county, ",")
	}
	if *cutoff != "" {
		if req.CutOff, err = parseCutOff(*cutoff); err != nil {
			return err
		}
	}
	w, err := openWorkspace(ctx, e, *dir)
	if err != nil {
		return err
	}
	defer w.Close()
	paths, err := w.GenerateReport(ctx, req)
	for _, path := range paths {
		fmt.Fprintln(e.stdout, path)
	}
	return err
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
