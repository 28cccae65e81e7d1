package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"lingpao"
	"lingpao/sqlite"
)

// deliveriesActions are the actions of `lingpao deliveries`: the mail queue — what waits, what failed
// and why, what the server refused — and the operator's hand on it.
func deliveriesActions() []command {
	return []command{
		{"list", "邮件队列：未发出的（默认）、待发送、失败重试中、被拒收、已取消或已发送的邮件", runDeliveriesList},
		{"retry", "重发邮件 ID（被拒收、已取消或等待重试的；几个用逗号隔开，refused 表示全部被拒收的）", func(ctx context.Context, e *env, args []string) error {
			return runDeliveriesChange(ctx, e, "retry", args)
		}},
		{"cancel", "取消邮件 ID（不再发送，仍保留记录；几个用逗号隔开）", func(ctx context.Context, e *env, args []string) error {
			return runDeliveriesChange(ctx, e, "cancel", args)
		}},
	}
}

func runDeliveriesList(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "[--status unsent|pending|failing|refused|cancelled|sent|all] [--limit N] [--format table|json] [--dir D]")
	f.Dir()
	status := f.Enum("status", "unsent", "哪些邮件：unsent（未发出，默认）、pending（待发送）、failing（发送失败、等待重试）、refused（被拒收）、cancelled（已取消）、sent（已发送）、all",
		"unsent", "pending", "failing", "refused", "cancelled", "sent", "all")
	limit := f.IntRange("limit", 200, 1, 100000, "最多列出几封（最新的在前）")
	format := f.Format("table", "json")
	if _, err := f.parse(args); err != nil {
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
	}
	w, err := f.open(ctx)
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
		return writeJSON(e.stdout, ds)
	}
	if len(ds) == 0 {
		fmt.Fprintln(e.stdout, "没有这样的邮件。")
		return nil
	}
	t := newTable("编号", "状态", "收件人", "主题", "次数", "时间", "原因")
	for _, d := range ds {
		when := "下次 " + fmtTime(d.NextAttempt)
		switch d.Status {
		case lingpao.DeliverySent:
			when = "发出 " + fmtTime(d.Sent)
		case lingpao.DeliveryRefused, lingpao.DeliveryCancelled:
			when = fmtTime(d.Stopped)
		}
		t.add(fmt.Sprint(d.ID), d.Status.Label(), d.To, clip(d.Subject, 40), fmt.Sprint(d.Attempts), when, clip(d.LastError, 60))
	}
	if err := t.write(e.stdout, e.width); err != nil {
		return err
	}
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
	f := newFlags(e, "ID[,ID…] [--dir D]")
	f.Dir()
	pos, err := f.parse(args, "ID")
	if err != nil {
		return err
	}
	w, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer w.Close()
	var ids []int64
	if action == "retry" && pos[0] == "refused" {
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
	} else if ids, err = parseIDList(f, pos[0]); err != nil {
		return err
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

// clip shortens s to n characters with an ellipsis.
func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
