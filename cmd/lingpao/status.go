package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"lingpao"
	"lingpao/jobs"
)

// runStatus is `lingpao status --period P`: the reporting rate of the period's last month and, per
// county, its reporting state, status counts and ladder rungs.
func runStatus(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "--period P [--dir D] [--format table|json]")
	f.Dir()
	period := f.Period("period", "", "期间：2025-09、2025Q3、2025H1 或 2025（按期末月份统计）")
	format := f.Format("table", "json")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if period.IsZero() {
		return f.usagef("请用 --period 指定期间，如 --period 2025-09。")
	}
	p := *period
	w, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer w.Close()
	st, err := w.Status(ctx, p)
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeJSON(e.stdout, st)
	}
	writeStatus(e, st)
	return nil
}

// statusColumns are the status counts shown, in order.
var statusColumns = []lingpao.Status{lingpao.StatusAhead, lingpao.StatusOnTrack, lingpao.StatusBehind, lingpao.StatusFarBehind, lingpao.StatusMissing}

func writeStatus(e *env, st *jobs.Status) {
	r := st.Reporting
	fmt.Fprintf(e.stdout, "%s %s 报送与进度（截至 %s，目标版本 %d）\n", st.City, st.Period.Label(), st.AsOf.In(lingpao.Beijing).Format("2006-01-02 15:04"), st.TargetsVersion)
	if st.Period.Kind != lingpao.Month {
		fmt.Fprintf(e.stdout, "按期末月份 %s 统计。\n", st.Month.Label())
	}
	fmt.Fprintf(e.stdout, "报送：应报 %d，已报 %d（按时 %d，逾期 %d），未报 %d，退回待重报 %d，未到截止日 %d", r.Expected, r.Received, r.OnTime, r.Late, r.Missing, r.Rejected, r.NotDue)
	if r.Merged > 0 {
		fmt.Fprintf(e.stdout, "，1–2月合并 %d", r.Merged)
	}
	fmt.Fprintf(e.stdout, "；报送率 %s%%。截止日 %s。\n\n", lingpao.FormatNumber(r.Rate()*100, 1), lingpao.FormatDate(r.Deadline))

	head := []string{"县（市、区）", "报送状态"}
	var counts []int
	for _, s := range statusColumns {
		counts = append(counts, len(head))
		head = append(head, s.Label())
	}
	head = append(head, "督办")
	t := newTable(head...).alignRight(counts...)
	for _, c := range st.Counties {
		row := []string{c.Name, c.Report.State.Label()}
		for _, s := range statusColumns {
			if c.Report.State == lingpao.ReportMerged {
				row = append(row, "—")
			} else {
				row = append(row, strconv.Itoa(c.Counts[s]))
			}
		}
		t.add(append(row, ladderText(c))...)
	}
	total := []string{"合计", ""}
	for _, s := range statusColumns {
		total = append(total, strconv.Itoa(st.Total[s]))
	}
	t.add(append(total, "")...)
	t.write(e.stdout, e.width)
	fmt.Fprintln(e.stdout, "\n状态按各县有目标任务的指标计数：超序时（偏差高于+5个百分点）、基本同步（±5以内）、滞后（−5至−15）、严重滞后（低于−15），未报送不计为零。")
}

// ladderText is a county's ladder column: 约谈（专精特新中小企业数等2项）；报送警示, or —.
func ladderText(c jobs.CountyStatus) string {
	var parts []string
	if c.Level != lingpao.EscNone {
		var top []string
		for _, x := range c.Escalated {
			if x.Level == c.Level {
				top = append(top, x.Name)
			}
		}
		what := top[0]
		if len(c.Escalated) > 1 {
			what = fmt.Sprintf("%s等%d项", top[0], len(c.Escalated))
		}
		parts = append(parts, fmt.Sprintf("%s（%s）", c.Level.Label(), what))
	}
	if c.ReportingLevel != lingpao.EscNone {
		parts = append(parts, "报送"+c.ReportingLevel.Label())
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, "；")
}
