package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"lingpao"
	"lingpao/sqlite"
)

// runDeliveries is `lingpao deliveries list | retry ID… | cancel ID…`: the mail queue — what waits,
// what failed and why, what the server refused — and the operator's hand on it.
func runDeliveries(ctx context.Context, e *env, args []string) error {
	const usage = "用法：lingpao deliveries list [--status unsent|pending|failing|refused|cancelled|sent|all] [--format table|json] | retry ID… [--refused] | cancel ID… [--dir D]"
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "list":
		return runDeliveriesList(ctx, e, args[1:])
	case "retry", "cancel":
		return runDeliveriesChange(ctx, e, args[0], args[1:])
	}
	fmt.Fprintf(e.stderr, "未知的子命令「%s」。\n%s\n", args[0], usage)
	return errUsage
}

func runDeliveriesList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "deliveries list", "[--status unsent|pending|failing|refused|cancelled|sent|all] [--limit N] [--format table|json] [--dir D]")
	dir := fs.String("dir", defaultDir(), "工作目录")
	status := fs.String("status", "unsent", "哪些邮件：unsent（未发出，默认）、pending（待发送）、failing（发送失败、等待重试）、refused（被拒收）、cancelled（已取消）、sent（已发送）、all")
	limit := fs.Int("limit", 200, "最多列出几封（最新的在前）")
	format := fs.String("format", "table", "输出格式：table 或 json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "多余的参数：%s\n", strings.Join(fs.Args(), " "))
		fs.Usage()
		return errUsage
	}
	if err := opsFormat(*format); err != nil {
		return err
	}
	var filters []sqlite.DeliveryFilter
	switch *status {
	case "unsent":
		filters = []sqlite.DeliveryFilter{{Status: lingpao.DeliveryPending}, {Status: lingpao.DeliveryRefused}}
	case "pending", "refused", "cancelled", "sent":
		filters = []sqlite.DeliveryFilter{{Status: lingpao.DeliveryStatus(*status)}}
	case "failing":
		filters = []sqlite.DeliveryFilter{{Failing: true}}
	case "all":
		filters = []sqlite.DeliveryFilter{{}}
	default:
		return lingpao.Errorf(lingpao.EINVALID, "--status「%s」不支持：可选 unsent、pending、failing、refused、cancelled、sent、all。", *status)
	}
	w, err := openWorkspace(ctx, e, *dir)
	if err != nil {
		return err
	}
	defer w.Close()
	ds := []lingpao.Delivery{}
	for _, f := range filters {
		f.Limit, f.Newest = *limit, true
		got, err := w.Store.FindDeliveries(ctx, f)
		if err != nil {
			return err
		}
		ds = append(ds, got...)
	}
	if *format == "json" {
		for i := range ds {
			ds[i].Body = "" // the listing is about the queue; bodies are long
		}
		return opsJSON(e.stdout, ds)
	}
	if len(ds) == 0 {
		fmt.Fprintln(e.stdout, "没有这样的邮件。")
		return nil
	}
	rows := [][]string{{"编号", "状态", "收件人", "主题", "次数", "时间", "原因"}}
	for _, d := range ds {
		when := "下次 " + fmtTime(d.NextAttempt)
		switch d.Status {
		case lingpao.DeliverySent:
			when = "发出 " + fmtTime(d.Sent)
		case lingpao.DeliveryRefused, lingpao.DeliveryCancelled:
			when = fmtTime(d.Stopped)
		}
		rows = append(rows, []string{fmt.Sprint(d.ID), d.Status.Label(), d.To, clip(d.Subject, 40), fmt.Sprint(d.Attempts), when, clip(d.LastError, 60)})
	}
	writeAligned(e.stdout, rows)
	var refused int
	for _, d := range ds {
		if d.Status == lingpao.DeliveryRefused {
			refused++
		}
	}
	if refused > 0 {
		fmt.Fprintf(e.stdout, "\n%d 封被拒收的邮件不再自动重试：核对收件人地址后运行 lingpao deliveries retry 编号 重发，或 lingpao deliveries cancel 编号 取消。\n", refused)
	}
	return nil
}

func runDeliveriesChange(ctx context.Context, e *env, action string, args []string) error {
	fs := newFlagSet(e, "deliveries "+action, "ID… [--dir D]")
	dir := fs.String("dir", defaultDir(), "工作目录")
	var allRefused *bool
	if action == "retry" {
		allRefused = fs.Bool("refused", false, "重发全部被拒收的邮件")
	}
	var ids []int64
	var err error
	if allRefused != nil && hasFlag(args, "refused") {
		if err := parseFlags(fs, args); err != nil {
			return err
		}
	} else if ids, err = parseIDs(e, fs, args); err != nil {
		return err
	}
	w, err := openWorkspace(ctx, e, *dir)
	if err != nil {
		return err
	}
	defer w.Close()
	if allRefused != nil && *allRefused {
		ds, err := w.Store.FindDeliveries(ctx, sqlite.DeliveryFilter{Status: lingpao.DeliveryRefused})
		if err != nil {
			return err
		}
		for _, d := range ds {
			ids = append(ids, d.ID)
		}
		if len(ids) == 0 {
			fmt.Fprintln(e.stdout, "没有被拒收的邮件。")
			return nil
		}
	}
	now := time.Now()
	var ds []lingpao.Delivery
	if action == "retry" {
		ds, err = w.Store.RetryDeliveries(ctx, ids, now)
	} else {
		ds, err = w.Store.CancelDeliveries(ctx, ids, now)
	}
	if err != nil {
		return err
	}
	for _, d := range ds {
		if action == "retry" {
			fmt.Fprintf(e.stdout, "邮件 %d（发给 %s 的「%s」）已重新加入队列。\n", d.ID, d.To, d.Subject)
		} else {
			fmt.Fprintf(e.stdout, "邮件 %d（发给 %s 的「%s」）已取消，不会发出。\n", d.ID, d.To, d.Subject)
		}
	}
	if action == "retry" {
		fmt.Fprintln(e.stdout, "lingpao serve 运行时会在一分钟内发送；也可运行 lingpao jobs run deliver。")
	}
	return nil
}

// hasFlag reports whether args set the boolean flag name.
func hasFlag(args []string, name string) bool {
	for _, a := range args {
		if a == "-"+name || a == "--"+name || strings.HasPrefix(a, "--"+name+"=") || strings.HasPrefix(a, "-"+name+"=") {
			return true
		}
	}
	return false
}

// clip shortens s to n characters with an ellipsis.
func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
