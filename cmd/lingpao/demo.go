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
	f := newFlags(e, "[--dir D] [--period 2025-09] [--seed N] [--scale city|province|province10 [--months N] [--leave-last]]")
	dir := f.String("dir", "lingpao-demo", "演示工作目录（须不存在或为空）")
	period := f.Period("period", "2025-09", "模拟到哪个月（上一年1月至该月）", lingpao.Month)
	seed := f.Uint64("seed", 2025, "随机种子：同一种子生成完全相同的数据")
	scaleFlag := define(f, "scale", "city", "规模：city（石家庄市 24 个县级单位，逐日模拟两年）、province（全省 167 个县级单位，每县约 300 家企业）、province10（每县约 3000 家企业）", demo.ParseScale)
	months := f.IntRange("months", 3, 1, 12, "省级规模：模拟到 --period 为止的月数，1 至 12")
	leaveLast := f.Bool("leave-last", false, "省级规模：最后一个月的报表只放入收件箱，不处理、不生成报告（供基准测试计时 lingpao ingest）")
	if _, err := f.parse(args); err != nil {
		return err
	}
	scale, p := *scaleFlag, *period
	if demo.Exists(*dir) {
		return lingpao.Errorf(lingpao.ECONFLICT, "目录 %s 已是工作目录：演示会新建工作目录，请换一个 --dir 或先删除它。", *dir)
	}
	opt := demo.Options{Dir: *dir, Period: p, Seed: *seed, Version: e.version, Scale: scale, Months: *months, LeaveLast: *leaveLast}
	if e.tty {
		opt.Progress = e.stages() // a bar per stage rather than a line per simulated day
	} else {
		opt.Log = e.stderr
	}
	if scale == demo.ScaleCity {
		fmt.Fprintf(e.stderr, "在 %s 中模拟 %d年1月至%s的县级报送…\n", *dir, p.Year-1, p.Label())
	} else {
		fmt.Fprintf(e.stderr, "在 %s 中模拟全省县级单位 %s 及之前共 %d 个月的报送（%s）…\n", *dir, p.Label(), *months, scale)
	}
	sum, err := demo.Run(ctx, opt)
	if err != nil {
		return err
	}
	if sum.Left > 0 {
		abs, _ := filepath.Abs(sum.Dir)
		fmt.Fprintf(e.stdout, "\n演示工作目录：%s\n  %d 个报表留在收件箱中，处理：lingpao ingest --dir %s\n", abs, sum.Left, *dir)
		return nil
	}
	abs, _ := filepath.Abs(sum.Dir)
	fmt.Fprintf(e.stdout, "\n演示完成：%s\n", abs)
	fmt.Fprintf(e.stdout, "  报表文件 %d 个：受理 %d，退回 %d，重复 %d\n", sum.Files, sum.Accepted, sum.Rejected, sum.Duplicate)
	fmt.Fprintf(e.stdout, "  回执：%s/<县名>/\n", sum.Receipts)
	fmt.Fprintln(e.stdout, "  报告：")
	for _, r := range sum.Reports {
		fmt.Fprintf(e.stdout, "    %s\n", r)
	}
	fmt.Fprintf(e.stdout, "\n查看报送情况：lingpao status --dir %s --period %s\n  网页：lingpao user add --dir %s --name admin --role admin，然后 lingpao serve --dir %s\n", *dir, p, *dir, *dir)
	return nil
}
