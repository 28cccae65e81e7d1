package main

import (
	"context"
	"fmt"
	"path/filepath"

	"lingpao"
	"lingpao/demo"
)

// runDemo builds a demonstration workspace end to end.
func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "demo", "[--dir D] [--period 2025-09] [--seed N]")
	dir := fs.String("dir", "lingpao-demo", "演示工作目录（须不存在或为空）")
	period := fs.String("period", "2025-09", "模拟到哪个月（1月至该月）")
	seed := fs.Uint64("seed", 2025, "随机种子：同一种子生成完全相同的数据")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	p, err := lingpao.ParsePeriod(*period)
	if err != nil {
		return err
	}
	if p.Kind != lingpao.Month {
		return lingpao.Errorf(lingpao.EINVALID, "--period 应为月份，如 2025-09。")
	}
	if demo.Exists(*dir) {
		return lingpao.Errorf(lingpao.ECONFLICT, "目录 %s 已是工作目录：演示会新建工作目录，请换一个 --dir 或先删除它。", *dir)
	}
	fmt.Fprintf(e.stderr, "在 %s 中模拟 %d年1月至%s的县级报送…\n", *dir, p.Year, p.Label())
	sum, err := demo.Run(ctx, demo.Options{Dir: *dir, Period: p, Seed: *seed, Log: e.stderr, Version: e.version})
	if err != nil {
		return err
	}
	abs, _ := filepath.Abs(sum.Dir)
	fmt.Fprintf(e.stdout, "\n演示完成：%s\n", abs)
	fmt.Fprintf(e.stdout, "  报表文件 %d 个：受理 %d，退回 %d，重复 %d\n", sum.Files, sum.Accepted, sum.Rejected, sum.Duplicate)
	fmt.Fprintf(e.stdout, "  回执：%s/<县名>/\n", sum.Receipts)
	fmt.Fprintln(e.stdout, "  报告：")
	for _, r := range sum.Reports {
		fmt.Fprintf(e.stdout, "    %s\n", r)
	}
	fmt.Fprintf(e.stdout, "\n查看报送情况：lingpao report monthly --dir %s --period %s\n", *dir, p)
	return nil
}
