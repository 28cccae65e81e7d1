package main

import (
	"context"
	"fmt"
	"strings"

	"lingpao"
	"lingpao/jobs"
)

// runReport generates one report.
func runReport(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(e.stderr, "用法：lingpao report monthly|quarterly|half|annual|scorecard --period P [--format xlsx,pdf] [--out D] [--dir D]")
		return errUsage
	}
	kind := args[0]
	fs := newFlagSet(e, "report "+kind, "--period P [--format xlsx,pdf] [--out D] [--dir D]")
	dir := fs.String("dir", defaultDir(), "工作目录")
	period := fs.String("period", "", "期间：2025-09、2025Q3、2025H1 或 2025")
	format := fs.String("format", "", "输出格式，逗号分隔：xlsx,pdf（默认该报告的全部格式）")
	out := fs.String("out", "", "输出目录（默认 outbox/<期间>/）")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	p, err := lingpao.ParsePeriod(*period)
	if err != nil {
		return err
	}
	w, err := openWorkspace(ctx, e, *dir)
	if err != nil {
		return err
	}
	defer w.Close()
	var formats []string
	if *format != "" {
		formats = strings.Split(*format, ",")
	}
	paths, err := w.GenerateReport(ctx, jobs.ReportRequest{Kind: kind, Period: p, Formats: formats, OutDir: *out})
	for _, p := range paths {
		fmt.Fprintln(e.stdout, p)
	}
	return err
}
