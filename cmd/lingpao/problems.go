package main

import (
	"context"
	"fmt"

	"lingpao"
	"lingpao/sqlite"
)

// problemsActions are the actions of `lingpao problems`: what /healthz reports — every unresolved
// problem, whatever its age — and a way to acknowledge one.
func problemsActions() []command {
	return []command{
		{"list", "未解决的问题：情况、处理办法、发现时间（--all 含最近已解决的）", runProblemsList},
		{"ack", "确认问题 ID：不再提醒，/healthz 不再因它报警，解决后自动移除", runProblemsAck},
	}
}

func runProblemsList(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "[--all] [--format table|json] [--dir D]")
	f.Dir()
	all := f.Bool("all", false, "同时列出最近已解决的问题")
	format := f.Format("table", "json")
	if _, err := f.parse(args); err != nil {
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
	h, err := svc.Health(ctx)
	if err != nil {
		return err
	}
	var resolved []lingpao.Alarm
	if *all {
		as, err := w.Store.FindAlarms(ctx, sqlite.AlarmFilter{})
		if err != nil {
			return err
		}
		for _, a := range as {
			if !a.IsOpen() {
				resolved = append(resolved, a)
			}
		}
		if len(resolved) > 50 {
			resolved = resolved[len(resolved)-50:]
		}
	}
	if *format == "json" {
		out := struct {
			OK           bool            `json:"ok"`
			Problems     []lingpao.Alarm `json:"problems"`
			Acknowledged []lingpao.Alarm `json:"acknowledged"`
			Resolved     []lingpao.Alarm `json:"resolved,omitempty"`
		}{h.OK, h.Problems, h.Acknowledged, resolved}
		return writeJSON(e.stdout, out)
	}
	if len(h.Problems)+len(h.Acknowledged) == 0 {
		fmt.Fprintln(e.stdout, "没有未解决的问题。")
	}
	list := func(head string, as []lingpao.Alarm) {
		if len(as) == 0 {
			return
		}
		fmt.Fprintf(e.stdout, "%s（%d 个）：\n", head, len(as))
		for _, a := range as {
			id := "    "
			if a.ID != 0 {
				id = fmt.Sprintf("%-4d", a.ID)
			}
			fmt.Fprintf(e.stdout, "\n  %s %s\n", id, a.Title)
			if a.Detail != "" {
				fmt.Fprintf(e.stdout, "       情况：%s\n", a.Detail)
			}
			if a.Action != "" && a.IsOpen() {
				fmt.Fprintf(e.stdout, "       处理：%s\n", a.Action)
			}
			when := "发现于 " + fmtTime(a.Opened)
			if !a.Resolved.IsZero() {
				when += "，解决于 " + fmtTime(a.Resolved)
			}
			if !a.Acked.IsZero() {
				when += fmt.Sprintf("，%s 于 %s 确认", a.AckedBy, fmtTime(a.Acked))
				if a.AckNote != "" {
					when += "：" + a.AckNote
				}
			}
			fmt.Fprintf(e.stdout, "       %s\n", when)
		}
		fmt.Fprintln(e.stdout)
	}
	list("需要处理的问题", h.Problems)
	list("已确认、尚未解决的问题", h.Acknowledged)
	list("最近已解决的问题", resolved)
	if len(h.Problems) > 0 {
		fmt.Fprintln(e.stdout, "已知晓、暂不处理的问题可确认（不再提醒，/healthz 不再报警）：lingpao problems ack 编号 [--note 说明]")
	}
	return nil
}

// runProblemsAck is `lingpao problems ack ID [--note 说明]`.
func runProblemsAck(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "ID [--note 说明] [--dir D]")
	f.Dir()
	note := f.String("note", "", "说明")
	id, err := parseID(f, args)
	if err != nil {
		return err
	}
	w, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer w.Close()
	a, err := w.Store.AckAlarm(ctx, id, operator(), *note, w.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "已确认问题 %d：%s\n不再提醒，/healthz 不再因它报警；问题解决后自动从列表中移除。\n", a.ID, a.Title)
	return nil
}
