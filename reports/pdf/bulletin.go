package pdf

import (
	"fmt"
	"io"
	"math"

	"lingpao"
	"lingpao/reports"
)

// WriteBulletin typesets a 季度通报 (or an ad-hoc monthly 通报) in the style of a government 简报 and
// writes it to w.
func WriteBulletin(w io.Writer, b *reports.Bulletin, f *Fonts) (err error) {
	defer lingpao.Wrap(&err, "pdf.WriteBulletin")
	return write(w, f, bulletinOptions(b, "季度通报"), BulletinLayout(b))
}

// WriteHalfYear typesets a 半年总结 and writes it to w.
func WriteHalfYear(w io.Writer, h *reports.HalfYear, f *Fonts) (err error) {
	defer lingpao.Wrap(&err, "pdf.WriteHalfYear")
	return write(w, f, bulletinOptions(h.Bulletin, "半年总结"), HalfYearLayout(h))
}

func bulletinOptions(b *reports.Bulletin, kind string) Options {
	return Options{
		Title: b.Title, Subject: b.Masthead + " " + b.Issue, Author: b.Issuer,
		Creator: "lingpao " + b.Provenance.Version, Keywords: "县域特色产业集群 " + kind + " " + b.Provenance.Period + " " + b.Provenance.EditionLabel(),
		CreationDate: b.Provenance.Generated, Footer: true,
	}
}

// BulletinLayout lays out a bulletin: the title block, the 更正说明 of a revised edition, then the
// sections 总体情况, 各县（市、区）进展情况, 特色产业集群发展情况, 红黑榜, 督办情况, 报送情况 and
// 下一步工作要求, and the data note.
func BulletinLayout(b *reports.Bulletin) *Layout {
	return bulletinLayout(b, nil)
}

// HalfYearLayout lays out a 半年总结: the bulletin with a 同比情况 section after the 总体情况.
func HalfYearLayout(h *reports.HalfYear) *Layout {
	return bulletinLayout(h.Bulletin, func(l *Layout, s *sections) {
		s.heading(l, "同比情况")
		l.Body(h.YoYText)
		l.Table(yoyTable(s.nextTable("全市主要指标同比情况"), h.YoY))
	})
}

// sections numbers the headings (一、二、…) and the tables and charts (表1, 图1 …) of a layout.
type sections struct{ n, tables, charts, sub int }

func (s *sections) heading(l *Layout, title string) {
	s.n++
	s.sub = 0
	l.Heading(fmt.Sprintf("%s、%s", cnNumber(s.n), title), 1)
}

func (s *sections) subheading(l *Layout, title string) {
	s.sub++
	l.Heading(fmt.Sprintf("（%s）%s", cnNumber(s.sub), title), 2)
}

func (s *sections) nextTable(title string) string {
	s.tables++
	return fmt.Sprintf("表%d %s", s.tables, title)
}

func (s *sections) nextChart(title string) string {
	s.charts++
	return fmt.Sprintf("图%d %s", s.charts, title)
}

func bulletinLayout(b *reports.Bulletin, extra func(*Layout, *sections)) *Layout {
	l := &Layout{}
	var s sections
	l.TitleBlock(TitleBlockSpec{Masthead: b.Masthead, Issue: b.Issue, Unit: b.Issuer, Date: b.Date, Title: b.Title})
	l.Box("更正说明", b.Errata, GovRed)

	s.heading(l, "总体情况")
	l.Body(b.Overview...)
	if len(b.Tables) > 0 {
		l.Table(headlineTable(s.nextTable("全市主要指标完成情况"), b.Tables))
		l.Note("注：" + b.StatusRule + "。")
	}
	if extra != nil {
		extra(l, &s)
	}

	if len(b.Counties) > 0 {
		s.heading(l, "各县（市、区）进展情况")
		for _, c := range b.Counties {
			s.subheading(l, reports.Subject(c.Table.Indicator))
			l.Body(c.Text)
			if !rateLike(c.Table) {
				l.Chart(completionChart(s.nextChart(fmt.Sprintf("各县（市、区）%s完成率", reports.Subject(c.Table.Indicator))), c.Table))
			}
		}
		l.Table(countiesTable(s.nextTable("各县（市、区）主要指标完成情况"), b.Counties, b.Ranking))
		l.Note("注：表中指标为完成率（增速、占比类指标为实际值），颜色表示状态：绿色超序时，蓝色基本同步，橙色滞后，红色严重滞后，灰色未报送或无任务。" + b.StatusRule + "。综合得分见“红黑榜”。")
	}

	if b.ClustersText != "" {
		s.heading(l, "特色产业集群发展情况")
		l.Body(b.ClustersText)
		l.Table(clustersTable(s.nextTable("营业收入居前的特色产业集群"), reports.TopClusters(b.Clusters, "revenue_ytd", 10)))
	}

	if b.RankingText != "" {
		s.heading(l, "红黑榜")
		l.Body(b.RankingText)
		if len(b.Ranking.Red) > 0 || len(b.Ranking.Black) > 0 {
			l.Table(redBlackTable(s.nextTable("红黑榜"), b.Ranking))
		}
	}

	s.heading(l, "督办情况")
	l.Body(b.LadderText)
	if len(b.Ladder.Rows) > 0 {
		l.Table(ladderTable(s.nextTable("督办事项清单"), b.Ladder.Rows))
	}

	s.heading(l, "报送情况")
	l.Body(b.ReportingText)
	l.Table(reportingTable(s.nextTable(fmt.Sprintf("%s报表报送情况", b.Reporting.Month.Label())), b))

	s.heading(l, "下一步工作要求")
	l.Body(b.Requirements...)
	l.Spacer(4)
	l.Note(b.Note)
	return l
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

// rateLike reports whether a table's indicator is judged against its figure (a rate or a growth)
// rather than against 序时进度.
func rateLike(t reports.Table) bool {
	a := t.Total.A
	if !a.HasTarget {
		for _, r := range t.Rows {
			if r.A.HasTarget {
				a = r.A
				break
			}
		}
	}
	return a.HasTarget && (a.Target.Form == lingpao.FormRate || a.Target.Form == lingpao.FormGrowth)
}

// statusCell is a status word in its colour, bold when 严重滞后.
func statusCell(st lingpao.Status) Cell {
	return Cell{Text: st.Label(), Color: StatusColor(st), Bold: st == lingpao.StatusFarBehind}
}

// statusColumn is a table's 状态 column: centred, never wrapped.
func statusColumn(w float64) Column {
	return Column{Header: "状态", Width: w, Align: AlignCenter, NoWrap: true}
}

func headlineTable(title string, ts []reports.Table) TableSpec {
	t := TableSpec{Title: title, FontSize: 9.5, Columns: []Column{
		{Header: "指标", Width: 3.0, Align: AlignLeft}, {Header: "目标", Width: 1.2, Align: AlignCenter}, {Header: "实际", Width: 1.0},
		{Header: reports.HeadCompletion, Width: 1.05}, {Header: "序时进度", Width: 1.05}, {Header: reports.HeadGap, Width: 1.8},
		{Header: reports.HeadTargetDiff + "（百分点）", Width: 1.5}, statusColumn(1.1),
	}}
	for _, tb := range ts {
		ind, a := tb.Indicator, tb.Total.A
		t.Rows = append(t.Rows, []Cell{
			{Text: fmt.Sprintf("%s（%s）", ind.Name, ind.Unit)}, {Text: reports.TargetText(ind, a)}, {Text: reports.ActualText(ind, a)},
			{Text: reports.CompletionText(a)}, {Text: reports.ExpectedText(a)}, {Text: reports.GapCell(a)}, {Text: reports.TargetDiffText(ind, a)}, statusCell(a.Status),
		})
	}
	return t
}

// completionChart is the counties' completion of one indicator against 序时进度, ranked.
func completionChart(title string, t reports.Table) ChartSpec {
	c := ChartSpec{Title: title, Unit: "%", Decimals: 1, ReferenceLabel: "序时进度"}
	var ref float64
	for _, r := range t.Ranked() {
		if !r.A.HasTarget {
			continue
		}
		c.Labels = append(c.Labels, r.Name)
		v := math.NaN()
		if r.A.Measured() {
			v = lingpao.Round(r.A.Completion*100, 1)
			ref = lingpao.Round(r.A.Expected*100, 1)
		}
		c.Values = append(c.Values, v)
		c.Notes = append(c.Notes, r.A.Status.Label()) // 未报送, 无任务 (an allocation of 0), 1–2月合并
		c.BarColors = append(c.BarColors, StatusColor(r.A.Status))
	}
	if ref > 0 {
		c.Reference = &ref
	}
	c.Height = 22 + 4.6*float64(len(c.Values))
	c.Legend = statusLegend()
	return c
}

func statusLegend() []LegendEntry {
	var out []LegendEntry
	for _, st := range []lingpao.Status{lingpao.StatusAhead, lingpao.StatusOnTrack, lingpao.StatusBehind, lingpao.StatusFarBehind} {
		out = append(out, LegendEntry{Label: st.Label(), Color: StatusColor(st)})
	}
	return out
}

// countiesTable is every county's standing on the headline indicators, in the order of the composite
// ranking: completion (or the figure of a rate) in its status colour, the composite score and rank.
func countiesTable(title string, secs []reports.CountySection, rk reports.Ranking) TableSpec {
	t := TableSpec{Title: title, FontSize: 9, Columns: []Column{{Header: "县（市、区）", Width: 2.3, Align: AlignLeft, NoWrap: true}}}
	for _, s := range secs {
		t.Columns = append(t.Columns, Column{Header: reports.Subject(s.Table.Indicator), Width: 1.5, Align: AlignRight, NoWrap: true})
	}
	t.Columns = append(t.Columns, Column{Header: "综合得分", Width: 1.4, Align: AlignRight}, Column{Header: "排名", Width: 0.9, Align: AlignCenter},
		Column{Header: "升降", Width: 0.9, Align: AlignCenter, NoWrap: true})
	idx := map[string]int{}
	for i, r := range secs[0].Table.Rows {
		idx[r.Org] = i
	}
	for _, rr := range rk.Rows {
		i, ok := idx[rr.Org]
		if !ok {
			continue
		}
		row := []Cell{{Text: rr.Name}}
		for _, s := range secs {
			r := s.Table.Rows[i]
			text := reports.Placeholder
			switch {
			case !r.A.HasTarget:
			case !r.A.HasTask(), r.A.Status == lingpao.StatusMerged:
				text = r.A.Status.Label()
			case !r.A.Actual.OK:
				text = lingpao.StatusMissing.Label()
			case rateLike(s.Table):
				text = reports.ActualText(s.Table.Indicator, r.A) + s.Table.Indicator.Unit
			default:
				text = reports.CompletionText(r.A)
			}
			row = append(row, Cell{Text: text, Color: StatusColor(r.A.Status), Bold: r.A.Status == lingpao.StatusFarBehind})
		}
		score := reports.Placeholder
		if rr.Rank > 0 {
			score = reports.ScoreText(rr.Score.Score)
		}
		row = append(row, Cell{Text: score}, Cell{Text: reports.RankText(rr.Rank)}, Cell{Text: lingpao.MoveArrow(rr.PrevRank, rr.Rank)})
		t.Rows = append(t.Rows, row)
	}
	t.ZebraFill = Hex(0xF7F7F7)
	return t
}

func clustersTable(title string, rows []reports.ClusterRow) TableSpec {
	t := TableSpec{Title: title, FontSize: 9.5, Columns: []Column{
		{Header: "序号", Width: 0.7, Align: AlignCenter}, {Header: "集群", Width: 3, Align: AlignLeft}, {Header: "县（市、区）", Width: 1.8, Align: AlignLeft},
		{Header: "营业收入（亿元）", Width: 1.5}, {Header: "同比增速（%）", Width: 1.3}, {Header: "专精特新企业（家）", Width: 1.4}, {Header: "“领跑者”企业（家）", Width: 1.4},
	}}
	val := func(r reports.ClusterRow, code string, d int) string {
		if v, ok := r.Values[code]; ok {
			return lingpao.FormatNumber(v, d)
		}
		return r.NoValue() // a blank cell is not reported, as in the workbook
	}
	for i, r := range rows {
		name := r.Cluster.Name
		if r.Cluster.Example {
			name += "（示例）"
		}
		t.Rows = append(t.Rows, Row(fmt.Sprint(i+1), name, r.County, val(r, "revenue_ytd", 2), val(r, "revenue_growth", 1), val(r, "srdi_sme", 0), val(r, "leader_firms", 0)))
	}
	return t
}

func redBlackTable(title string, rk reports.Ranking) TableSpec {
	t := TableSpec{Title: title, Columns: []Column{{Header: "红榜（整体超序时进度）", Width: 2.4, Align: AlignLeft}, {Header: "综合得分", Width: 1.2},
		{Header: "黑榜（整体落后序时进度）", Width: 2.4, Align: AlignLeft}, {Header: "综合得分", Width: 1.2}}}
	for i := 0; i < max(len(rk.Red), len(rk.Black)); i++ {
		row := make([]Cell, 4)
		if i < len(rk.Red) {
			row[0], row[1] = Cell{Text: rk.Red[i].Name, Color: ColorAhead, Bold: true}, Cell{Text: reports.ScoreText(rk.Red[i].Score.Score)}
		}
		if i < len(rk.Black) {
			row[2], row[3] = Cell{Text: rk.Black[i].Name, Color: ColorFarBehind, Bold: true}, Cell{Text: reports.ScoreText(rk.Black[i].Score.Score)}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// levelColor is the colour of a rung of the ladder: orange for 警示 and 约谈, red above.
func levelColor(l lingpao.EscalationLevel) Color {
	if l >= lingpao.EscNotice {
		return ColorFarBehind
	}
	return ColorBehind
}

func ladderTable(title string, rows []reports.LadderRow) TableSpec {
	t := TableSpec{Title: title, FontSize: 9.5, Columns: []Column{
		{Header: "序号", Width: 0.7, Align: AlignCenter}, {Header: "县（市、区）", Width: 1.8, Align: AlignLeft, NoWrap: true}, {Header: "督办事项", Width: 3.4, Align: AlignLeft},
		{Header: "督办等级", Width: 1.1, Align: AlignCenter, NoWrap: true}, {Header: "连续月数", Width: 1, Align: AlignCenter}, {Header: "起始日期", Width: 1.4, Align: AlignCenter, NoWrap: true},
	}}
	for i, r := range rows {
		since := reports.Placeholder
		if !r.Since.IsZero() {
			since = lingpao.FormatDate(r.Since)
		}
		t.Rows = append(t.Rows, []Cell{{Text: fmt.Sprint(i + 1)}, {Text: r.Name}, {Text: r.Item},
			{Text: r.Level.Label(), Color: levelColor(r.Level), Bold: r.Level >= lingpao.EscNotice}, {Text: fmt.Sprint(r.Streak)}, {Text: since}})
	}
	return t
}

func reportingTable(title string, b *reports.Bulletin) TableSpec {
	t := TableSpec{Title: title, FontSize: 9.5, Columns: []Column{{Header: "县（市、区）", Width: 2, Align: AlignLeft, NoWrap: true}, {Header: "报送状态", Width: 1.6, Align: AlignCenter, NoWrap: true},
		{Header: "截止日期", Width: 1.4, Align: AlignCenter}, {Header: "首次受理", Width: 1.6, Align: AlignCenter}, {Header: "采用版本", Width: 1, Align: AlignCenter}, {Header: "退回次数", Width: 1, Align: AlignCenter}}}
	for _, c := range b.Reporting.Counties {
		t.Rows = append(t.Rows, reportingRow(c, b.Provenance.Name(c.Org)))
	}
	return t
}

func reportingRow(c lingpao.CountyReport, name string) []Cell {
	color := Black
	switch c.State {
	case lingpao.ReportLate:
		color = ColorBehind
	case lingpao.ReportMissing, lingpao.ReportRejected:
		color = ColorFarBehind
	}
	when, ver := reports.Placeholder, reports.Placeholder
	if c.First != nil {
		when = c.First.ReceivedAt.In(lingpao.Beijing).Format("01-02 15:04")
	}
	if c.Current != nil {
		ver = fmt.Sprintf("第%d版", c.Current.Version)
	}
	return []Cell{{Text: name}, {Text: c.State.Label(), Color: color, Bold: color != Black},
		{Text: lingpao.FormatDate(c.Deadline)[5:]}, {Text: when}, {Text: ver}, {Text: fmt.Sprint(c.Rejected)}}
}

func yoyTable(title string, rows []reports.YoYRow) TableSpec {
	t := TableSpec{Title: title, FontSize: 10, Columns: []Column{{Header: "指标", Width: 3.4, Align: AlignLeft}, {Header: "本期", Width: 1.2},
		{Header: "上年同期", Width: 1.2}, {Header: "增减", Width: 1.6, Align: AlignRight, NoWrap: true}, {Header: "增幅", Width: 1.1}}}
	for _, r := range rows {
		ind := r.Indicator
		last, change, rate := "无数据", reports.Placeholder, reports.Placeholder
		this := reports.Placeholder
		if r.This.OK {
			this = lingpao.FormatNumber(r.This.Value, ind.Decimals)
		}
		if r.Last.OK {
			last = lingpao.FormatNumber(r.Last.Value, ind.Decimals)
		}
		if r.Comparable() {
			change = signed(r.Change, ind.Decimals)
			if ind.Percent() {
				change = signed(r.Change, 1) + "个百分点"
			}
		}
		if r.HasRate {
			rate = signed(r.Rate*100, 1) + "%"
		}
		t.Rows = append(t.Rows, Row(fmt.Sprintf("%s（%s）", ind.Name, ind.Unit), this, last, change, rate))
	}
	return t
}

// signed formats v with d decimals and its sign: +12, -3.5, 0.
func signed(v float64, d int) string {
	s := lingpao.FormatNumber(math.Abs(v), d)
	if z := lingpao.FormatNumber(0, d); s == z {
		return z
	}
	if v > 0 {
		return "+" + s
	}
	return "-" + s
}
