package pdf

import (
	"fmt"
	"io"
	"math"
	"strings"

	"lingpao"
	"lingpao/reports"
)

// WriteBulletin typesets a 季度通报 in the style of a government 简报 and writes it to w.
func WriteBulletin(w io.Writer, b *reports.Bulletin, f *Fonts) (err error) {
	defer lingpao.Wrap(&err, "pdf.WriteBulletin")
	d, err := New(f, Options{
		Title: b.Title, Subject: b.Masthead + " " + b.Issue, Author: b.Issuer,
		Creator: "lingpao " + b.Provenance.Version, Keywords: "县域特色产业集群 季度通报 " + b.Provenance.Period,
		CreationDate: b.Provenance.Generated, Footer: true,
	})
	if err != nil {
		return err
	}
	d.TitleBlock(TitleBlockSpec{Masthead: b.Masthead, Issue: b.Issue, Unit: b.Issuer, Date: b.Date, Title: b.Title})
	for _, p := range b.Narrative {
		d.Paragraph(p, ParagraphStyle{Indent: 2})
	}
	n := 0
	section := func(title string) {
		n++
		d.Heading(fmt.Sprintf("%s、%s", cnNumber(n), title), 1)
	}
	if len(b.Tables) > 0 {
		section("主要指标完成情况")
		d.Table(headlineTable(b))
	}
	for i, t := range b.Tables {
		if !hasCountyTargets(t) {
			continue
		}
		section(fmt.Sprintf("各县（市、区）%s完成情况", t.Indicator.Name))
		d.BarChart(completionChart(t))
		d.Table(countyTable(t, i+1))
	}
	if len(b.Red) > 0 || len(b.Black) > 0 {
		section("红黑榜")
		d.Paragraph("按主要指标完成进度与序时进度差距的平均值排序。", ParagraphStyle{Size: 10.5, Color: Gray})
		d.Table(redBlackTable(b))
	}
	section("报送情况")
	d.Table(reportingTable(b))
	d.Spacer(4)
	d.Note(provenanceNote(b.Provenance))
	if _, err := d.WriteTo(w); err != nil {
		return err
	}
	return nil
}

var cnDigits = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

// cnNumber writes 1–99 in Chinese numerals for section headings: 一、二、…十一.
func cnNumber(n int) string {
	switch {
	case n <= 10:
		return cnDigits[n]
	case n < 20:
		return "十" + cnDigits[n-10]
	}
	s := cnDigits[n/10] + "十"
	if n%10 != 0 {
		s += cnDigits[n%10]
	}
	return s
}

func hasCountyTargets(t reports.Table) bool {
	for _, r := range t.Rows {
		if r.A.HasTarget {
			return true
		}
	}
	return false
}

// figure formats an assessment's actual value; 未报送 when unknown.
func figure(ind lingpao.Indicator, a lingpao.Assessment) string {
	if !a.Actual.OK {
		return "未报送"
	}
	return lingpao.FormatNumber(a.Actual.Value, ind.Decimals)
}

func pctText(f float64) string { return lingpao.FormatNumber(f*100, 1) + "%" }

func gapText(g float64) string {
	if math.Abs(g) < 0.05 {
		return "0.0"
	}
	return fmt.Sprintf("%+.1f", g)
}

func measured(a lingpao.Assessment, f func() string) string {
	if !a.Measured() {
		return "—"
	}
	return f()
}

func statusCell(s lingpao.Status) Cell {
	return Cell{Text: s.Label(), Color: StatusColor(s), Bold: s == lingpao.StatusFarBehind}
}

func headlineTable(b *reports.Bulletin) TableSpec {
	t := TableSpec{Title: "表1 全市主要指标完成情况", Columns: []Column{
		{Header: "指标", Width: 3.2, Align: AlignLeft}, {Header: "目标", Width: 1.5}, {Header: "实际", Width: 1.4},
		{Header: "完成率", Width: 1.2}, {Header: "序时进度", Width: 1.2}, {Header: "差距（百分点）", Width: 1.3}, {Header: "状态", Width: 1.2, Align: AlignCenter},
	}}
	for _, tb := range b.Tables {
		ind, a := tb.Indicator, tb.Total.A
		target := "—"
		if a.HasTarget {
			target = a.Target.ValueText(ind)
		}
		t.Rows = append(t.Rows, []Cell{
			{Text: fmt.Sprintf("%s（%s）", ind.Name, ind.Unit)}, {Text: target}, {Text: figure(ind, a)},
			{Text: measured(a, func() string { return pctText(a.Completion) })},
			{Text: measured(a, func() string { return pctText(a.Expected) })},
			{Text: measured(a, func() string { return gapText(a.Gap) })},
			statusCell(a.Status),
		})
	}
	return t
}

func completionChart(t reports.Table) ChartSpec {
	c := ChartSpec{Title: fmt.Sprintf("各县（市、区）%s完成率", t.Indicator.Name), Unit: "%", Decimals: 1, ReferenceLabel: "序时进度"}
	var ref float64
	for _, r := range t.Rows {
		c.Labels = append(c.Labels, r.Name)
		v := math.NaN()
		if r.A.Measured() {
			v = r.A.Completion * 100
			ref = r.A.Expected * 100
		}
		c.Values = append(c.Values, v)
		c.BarColors = append(c.BarColors, StatusColor(r.A.Status))
	}
	if ref > 0 {
		c.Reference = &ref
	}
	c.Legend = []LegendEntry{
		{Label: lingpao.StatusAhead.Label(), Color: StatusColor(lingpao.StatusAhead)},
		{Label: lingpao.StatusOnTrack.Label(), Color: StatusColor(lingpao.StatusOnTrack)},
		{Label: lingpao.StatusBehind.Label(), Color: StatusColor(lingpao.StatusBehind)},
		{Label: lingpao.StatusFarBehind.Label(), Color: StatusColor(lingpao.StatusFarBehind)},
	}
	return c
}

func countyTable(t reports.Table, n int) TableSpec {
	ind := t.Indicator
	spec := TableSpec{Title: fmt.Sprintf("表%d 各县（市、区）%s完成情况（%s）", n+1, ind.Name, ind.Unit), Columns: []Column{
		{Header: "排名", Width: 0.8, Align: AlignCenter}, {Header: "县（市、区）", Width: 2, Align: AlignLeft}, {Header: "目标", Width: 1.2},
		{Header: "实际", Width: 1.2}, {Header: "完成率", Width: 1.1}, {Header: "差距（百分点）", Width: 1.3}, {Header: "状态", Width: 1.1, Align: AlignCenter}, {Header: "升降", Width: 0.8, Align: AlignCenter},
	}}
	rows := append([]reports.Row(nil), t.Rows...)
	// Ranked counties first in rank order, then the unranked in seed order.
	for i := 1; i < len(rows); i++ {
		for j := i; j > 0 && less(rows[j], rows[j-1]); j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
	for _, r := range rows {
		a := r.A
		rank, target := "—", "—"
		if a.Rank > 0 {
			rank = fmt.Sprint(a.Rank)
		}
		if a.HasTarget {
			target = lingpao.FormatNumber(a.TargetValue, ind.Decimals)
		}
		spec.Rows = append(spec.Rows, []Cell{
			{Text: rank}, {Text: r.Name}, {Text: target}, {Text: figure(ind, a)},
			{Text: measured(a, func() string { return pctText(a.Completion) })},
			{Text: measured(a, func() string { return gapText(a.Gap) })},
			statusCell(a.Status), {Text: move(r)},
		})
	}
	total := t.Total.A
	spec.Rows = append(spec.Rows, []Cell{{Text: ""}, {Text: "全市", Bold: true}, {Text: measured(total, func() string { return lingpao.FormatNumber(total.TargetValue, ind.Decimals) })},
		{Text: figure(ind, total), Bold: true}, {Text: measured(total, func() string { return pctText(total.Completion) })},
		{Text: measured(total, func() string { return gapText(total.Gap) })}, statusCell(total.Status), {Text: ""}})
	return spec
}

func less(a, b reports.Row) bool {
	switch {
	case a.A.Rank > 0 && b.A.Rank > 0:
		return a.A.Rank < b.A.Rank
	case a.A.Rank > 0:
		return true
	}
	return false
}

func move(r reports.Row) string {
	switch {
	case r.A.Rank == 0 || r.PrevRank == 0:
		return ""
	case r.Move > 0:
		return fmt.Sprintf("↑%d", r.Move)
	case r.Move < 0:
		return fmt.Sprintf("↓%d", -r.Move)
	}
	return "—"
}

func redBlackTable(b *reports.Bulletin) TableSpec {
	t := TableSpec{Columns: []Column{{Header: "红榜（进展较好）", Width: 2.5, Align: AlignLeft}, {Header: "平均差距（百分点）", Width: 1.5},
		{Header: "黑榜（进展滞后）", Width: 2.5, Align: AlignLeft}, {Header: "平均差距（百分点）", Width: 1.5}}}
	for i := 0; i < max(len(b.Red), len(b.Black)); i++ {
		row := make([]Cell, 4)
		if i < len(b.Red) {
			row[0], row[1] = Cell{Text: b.Red[i].Name, Color: ColorAhead, Bold: true}, Cell{Text: gapText(b.Red[i].A.Gap)}
		}
		if i < len(b.Black) {
			row[2], row[3] = Cell{Text: b.Black[i].Name, Color: ColorFarBehind, Bold: true}, Cell{Text: gapText(b.Black[i].A.Gap)}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

func reportingTable(b *reports.Bulletin) TableSpec {
	t := TableSpec{Columns: []Column{{Header: "县（市、区）", Width: 2, Align: AlignLeft}, {Header: "报送状态", Width: 1.6, Align: AlignCenter},
		{Header: "截止日期", Width: 1.4, Align: AlignCenter}, {Header: "受理时间", Width: 2, Align: AlignCenter}, {Header: "版本", Width: 0.8, Align: AlignCenter}}}
	names := map[string]string{}
	for _, s := range b.Provenance.Sources {
		names[s.Org] = s.Name
	}
	r := b.Reporting
	for _, c := range r.Counties {
		name := names[c.Org]
		if name == "" {
			name = c.Org
		}
		color := Black
		switch c.State {
		case lingpao.ReportLate:
			color = ColorBehind
		case lingpao.ReportMissing, lingpao.ReportRejected:
			color = ColorFarBehind
		}
		when, ver := "—", "—"
		if c.First != nil {
			when = c.First.ReceivedAt.In(lingpao.Beijing).Format("01-02 15:04")
		}
		if c.Current != nil {
			ver = fmt.Sprintf("第%d版", c.Current.Version)
		}
		t.Rows = append(t.Rows, []Cell{{Text: name}, {Text: c.State.Label(), Color: color, Bold: color != Black},
			{Text: lingpao.FormatDate(c.Deadline)[5:]}, {Text: when}, {Text: ver}})
	}
	t.Title = fmt.Sprintf("表 报送情况：应报%d个，按时%d个，逾期%d个，未报送%d个，报送率%.1f%%", r.Expected, r.OnTime, r.Late, r.Missing+r.Rejected, r.Rate()*100)
	return t
}

func provenanceNote(p reports.Provenance) string {
	var b strings.Builder
	fmt.Fprintf(&b, "数据说明：%s；数据截止 %s；目标任务第%d版；第%d版通报；由 lingpao %s 生成。", p.PeriodLabel,
		p.CutOff.In(lingpao.Beijing).Format("2006年1月2日 15:04"), p.TargetsVersion, p.Edition, p.Version)
	var used []string
	for _, s := range p.Sources {
		used = append(used, fmt.Sprintf("%s第%d版", s.Name, s.Version))
	}
	if len(used) > 0 {
		fmt.Fprintf(&b, "采用报送：%s。", strings.Join(used, "、"))
	}
	if len(p.Missing) > 0 {
		fmt.Fprintf(&b, "未报送：%s。", strings.Join(p.Missing, "、"))
	}
	return b.String()
}
