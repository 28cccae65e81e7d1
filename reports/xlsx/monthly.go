package xlsx

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/reports"
)

// WriteMonthly writes the 月调度表 (PRODUCT §8.1) — or the workbook of a 季度通报, for a longer
// period: 总览, one sheet per indicator group, 集群情况, 综合排名, 督办清单, 报送情况, 问题台账,
// 企业名录, 数据来源 and 口径说明 (every rule in force with its configured value).
func WriteMonthly(w io.Writer, m *reports.Monthly) (err error) {
	defer lingpao.Wrap(&err, "xlsx.WriteMonthly")
	b, err := newBook()
	if err != nil {
		return err
	}
	b.monthly(m, nil)
	return b.finish(w, props{title: m.Title, subject: "县域特色产业集群月调度", issuer: m.Issuer, keywords: "月调度表", p: m.Provenance})
}

// monthly adds the sheets of the monthly workbook; extra, when set, adds sheets right after 总览.
func (b *book) monthly(m *reports.Monthly, extra func()) {
	b.overview(m)
	if extra != nil {
		extra()
	}
	for _, g := range m.Groups {
		b.group(g, m)
	}
	b.clusters(m)
	b.ranking(m)
	b.ladder(m)
	b.reporting(m)
	b.issues(m)
	b.roster(m)
	b.sources(m.Provenance, m.Issuer)
	b.rules(m)
}

// overviewHead are the columns of the 总览 table; a reader finds the city's actual figure of an
// indicator in column D of the row named after it. Column I holds a rate's or a growth's actual less
// its target, in percentage points.
var overviewHead = []string{"指标", "单位", "目标", "实际", reports.HeadCompletion, "序时进度", reports.HeadGap, "状态", reports.HeadTargetDiff + "（百分点，增速、比率类）"}

func (b *book) overview(m *reports.Monthly) {
	sh := b.sheet("总览")
	n := len(overviewHead)
	b.title(sh, m.Title, note(m.Issuer, m.Provenance), n)
	b.header(sh, 4, overviewHead...)
	r := 5
	for _, t := range m.Headline {
		b.assessment(sh, r, t.Indicator.Name, t.Indicator, t.Total.A, true, true)
		b.targetDiff(sh, 9, r, t.Indicator, t.Total.A, true)
		r++
	}
	if len(m.Headline) > 0 {
		b.colors(sh, fmt.Sprintf("H5:H%d", r-1), statusLabels...)
	}
	r++
	rr := m.Reporting
	b.set(sh, 1, r, "报送情况", b.s.textBold)
	b.set(sh, 2, r, fmt.Sprintf("%s：应报%d个，已报%d个（按时%d个，逾期%d个），未报送%d个，退回待重报%d个；报送率%s", rr.Month.Label(), rr.Expected, rr.Received, rr.OnTime, rr.Late, rr.Missing, rr.Rejected, reports.Pct(rr.Rate())), b.s.text)
	b.merge(sh, cell(2, r), cell(n, r))
	r += 2
	width := 30.0 + 8 + 13*6
	r = b.paragraph(sh, r, n, "注："+m.StatusRule+"。全部规则见“口径说明”表。", width, b.s.note) + 1
	if len(m.Overview) > 0 {
		b.set(sh, 1, r, "总体情况", b.s.sub)
		r++
		for _, p := range m.Overview {
			r = b.paragraph(sh, r, n, p, width, b.s.wrap)
		}
		r++
	}
	names := func(rs []reports.RankRow) string {
		var s []string
		for _, x := range rs {
			s = append(s, fmt.Sprintf("%s（%s）", x.Name, reports.ScoreText(x.Score.Score)))
		}
		if len(s) == 0 {
			return "空缺"
		}
		return strings.Join(s, "、")
	}
	if len(m.Ranking.Rows) > 0 {
		b.set(sh, 1, r, "红榜", b.s.textBold)
		b.set(sh, 2, r, names(m.Ranking.Red), b.s.text)
		b.merge(sh, cell(2, r), cell(n, r))
		b.set(sh, 1, r+1, "黑榜", b.s.textBold)
		b.set(sh, 2, r+1, names(m.Ranking.Black), b.s.text)
		b.merge(sh, cell(2, r+1), cell(n, r+1))
		r += 3
	}
	if e := reports.ErrataNote(m.Provenance); e != "" {
		b.set(sh, 1, r, "更正说明", b.s.sub)
		r = b.paragraph(sh, r+1, n, e, width, b.s.wrap)
	}
	b.widths(sh, 30, 8, 13, 13, 13, 13, 16, 13, 16)
	b.freeze(sh, 1, 5)
	b.page(sh, 4, false)
}

// assessment writes one unit's assessment of ind in row r: name, (unit,) target, actual, completion,
// 序时进度, gap and status, with the figures' number formats.
func (b *book) assessment(sh string, r int, name string, ind lingpao.Indicator, a lingpao.Assessment, withUnit, bold bool) {
	col := 1
	text, center := b.s.text, b.s.center
	num, pct, gap := b.s.num[min(ind.Decimals, 2)], b.s.pct, b.s.gap
	if bold {
		text, center, num, pct, gap = b.s.textBold, b.s.centerBold, b.s.numBold[min(ind.Decimals, 2)], b.s.pctBold, b.s.gapBold
	}
	b.set(sh, col, r, name, text)
	col++
	if withUnit {
		b.set(sh, col, r, ind.Unit, center)
		col++
	}
	switch {
	case !a.HasTarget:
		b.set(sh, col, r, reports.Placeholder, center)
	case withUnit:
		b.set(sh, col, r, reports.TargetText(ind, a), center)
	default:
		b.set(sh, col, r, round(a.TargetValue, max(ind.Decimals, 2)), num)
	}
	col++
	if a.Actual.OK {
		b.set(sh, col, r, round(a.Actual.Value, ind.Decimals), num)
	} else {
		b.set(sh, col, r, reports.ActualText(ind, a), center)
	}
	col++
	if a.Measured() {
		b.set(sh, col, r, pctCell(a.Completion), pct)
		b.set(sh, col+1, r, pctCell(a.Expected), pct)
		b.set(sh, col+2, r, round(a.Gap, lingpao.GapDecimals), gap)
	} else {
		for k := 0; k < 3; k++ {
			b.set(sh, col+k, r, reports.Placeholder, center)
		}
	}
	col += 3
	b.set(sh, col, r, a.Status.Label(), center)
}

// targetDiff writes a rate's or a growth's actual less its target (reports.TargetDiff) in column
// col of row r, or — for any other assessment.
func (b *book) targetDiff(sh string, col, r int, ind lingpao.Indicator, a lingpao.Assessment, bold bool) {
	center, gap := b.s.center, b.s.gapN[min(ind.Decimals, 2)]
	if bold {
		center, gap = b.s.centerBold, b.s.gapNBold[min(ind.Decimals, 2)]
	}
	if d, ok := reports.TargetDiff(ind, a); ok {
		b.set(sh, col, r, d, gap)
		return
	}
	b.set(sh, col, r, reports.Placeholder, center)
}

// groupHead are the columns of an indicator block; a rate's or a growth's block adds its actual less
// its target in column J.
var groupHead = []string{"县（市、区）", "目标", "实际", reports.HeadCompletion, "序时进度", reports.HeadGap, "状态", "排名", "升降"}

// group writes one indicator group: a block per indicator (the city total, then the counties in rank
// order) with status colours, data bars on the completion and a chart of the counties beside it.
func (b *book) group(g reports.Group, m *reports.Monthly) {
	sh := b.sheet(g.Name)
	n := len(groupHead)
	b.title(sh, fmt.Sprintf("%s（%s）", g.Name, m.Provenance.PeriodLabel), note(m.Issuer, m.Provenance), n)
	b.set(sh, 1, 3, "注："+m.StatusRule+"；排名按“完成率−序时进度”。", b.s.note)
	b.merge(sh, "A3", cell(n+1, 3))
	b.check(b.f.SetRowHeight(sh, 3, 42))
	r := 5
	for _, t := range g.Tables {
		ind := t.Indicator
		rate := reports.RateLike(t.Total.A) || rateTable(t)
		b.set(sh, 1, r, fmt.Sprintf("%s（%s，%s）", ind.Name, ind.Unit, ind.Kind.Label()), b.s.sub)
		b.merge(sh, cell(1, r), cell(n, r))
		heads := groupHead
		if rate {
			heads = append(append([]string(nil), groupHead...), reports.HeadTargetDiff+"（"+reports.DiffUnit(ind)+"）")
		}
		b.header(sh, r+1, heads...)
		top := r + 1
		b.assessment(sh, r+2, t.Total.Name, ind, t.Total.A, false, true)
		b.set(sh, 8, r+2, "", b.s.centerBold)
		b.set(sh, 9, r+2, "", b.s.centerBold)
		if rate {
			b.targetDiff(sh, 10, r+2, ind, t.Total.A, true)
		}
		first := r + 3
		row := first
		for _, x := range t.Ranked() {
			b.assessment(sh, row, x.Name, ind, x.A, false, false)
			b.set(sh, 8, row, reports.RankText(x.A.Rank), b.s.center)
			b.set(sh, 9, row, reports.MoveText(x), b.s.center)
			if rate {
				b.targetDiff(sh, 10, row, ind, x.A, false)
			}
			row++
		}
		last := row - 1
		if t.Note != "" {
			b.set(sh, 1, row, t.Note+"。", b.s.note)
			b.merge(sh, cell(1, row), cell(n, row))
			b.check(b.f.SetRowHeight(sh, row, min(15*float64(1+int(textWidth(t.Note)/110)), 409)))
			row++
		}
		b.colors(sh, fmt.Sprintf("G%d:G%d", r+2, last), statusLabels...)
		if last >= first {
			b.dataBar(sh, fmt.Sprintf("D%d:D%d", first, last), 1.2)
		}
		if t.HasCountyTargets() && last >= first {
			b.chart(sh, cell(n+3, top), ind, t, first, last)
		}
		r = max(row+2, top+19) // room for the chart beside a short block
	}
	b.widths(sh, 16, 12, 12, 12, 12, 16, 11, 8, 8, 12)
	b.freeze(sh, 2, 4)
	b.page(sh, 2, false)
}

// chart draws the counties of a block as columns against a line: completion against 序时进度, or —
// for a rate or a growth — the actual figure against the target.
func (b *book) chart(sh, at string, ind lingpao.Indicator, t reports.Table, first, last int) {
	q := "'" + strings.ReplaceAll(sh, "'", "''") + "'"
	rng := func(col string) string { return fmt.Sprintf("%s!$%s$%d:$%s$%d", q, col, first, col, last) }
	cats := rng("A")
	bars, line := excelize.ChartSeries{Name: "完成率", Categories: cats, Values: rng("D")}, excelize.ChartSeries{Name: "序时进度", Categories: cats, Values: rng("E")}
	title := "各县（市、区）" + reports.Subject(ind) + "完成率与序时进度"
	numFmt := "0%"
	if reports.RateLike(t.Total.A) || rateTable(t) {
		bars.Name, bars.Values = "实际", rng("C")
		line.Name, line.Values = "目标", rng("B")
		title = "各县（市、区）" + ind.Name + "与目标"
		numFmt = "0.0"
	}
	bars.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"5B9BD5"}}
	line.Line = excelize.LineOptions{Width: 1.5}
	line.Marker = excelize.ChartMarker{Symbol: "none"}
	line.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"C00000"}}
	gap := uint(60)
	font := excelize.Font{Family: "宋体", Size: 9}
	b.check(b.f.AddChart(sh, at, &excelize.Chart{
		Type: excelize.Col, Series: []excelize.ChartSeries{bars},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title, Font: &excelize.Font{Family: "宋体", Size: 11, Bold: true}}}},
		Dimension: excelize.ChartDimension{Width: 640, Height: 340},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		XAxis:     excelize.ChartAxis{Font: font},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, Font: font, NumFmt: excelize.ChartNumFmt{CustomNumFmt: numFmt}},
		GapWidth:  &gap,
	}, &excelize.Chart{Type: excelize.Line, Series: []excelize.ChartSeries{line}}))
}

// clusterHead are the cluster sheet's columns after 县 and 集群.
var clusterHead = []string{"营业收入（亿元）", "同比增速（%）", "专精特新（家）", "小巨人（家）", "“领跑者”（家）", "新增发明专利（件）", "“领跑者”研发投入占比（%）"}

func (b *book) clusters(m *reports.Monthly) {
	sh := b.sheet("集群情况")
	heads := append([]string{"县（市、区）", "集群", "省级重点"}, clusterHead...)
	b.title(sh, "特色产业集群主要指标（"+m.Provenance.PeriodLabel+"）", note(m.Issuer, m.Provenance), len(heads))
	b.header(sh, 3, heads...)
	decs := []int{2, 1, 0, 0, 0, 0, 2}
	for i, c := range m.Clusters {
		r := 4 + i
		b.set(sh, 1, r, c.County, b.s.text)
		name := c.Cluster.Name
		if c.Cluster.Example {
			name += "（示例）"
		}
		b.set(sh, 2, r, name, b.s.text)
		key := ""
		if c.Cluster.ProvinceKey {
			key = "是"
		}
		b.set(sh, 3, r, key, b.s.center)
		for j, code := range reports.ClusterIndicators {
			if v, ok := c.Values[code]; ok {
				b.set(sh, 4+j, r, round(v, decs[j]), b.s.num[decs[j]])
			} else {
				b.set(sh, 4+j, r, c.NoValue(), b.s.center)
			}
		}
	}
	if n := len(m.Clusters); n > 0 {
		b.dataBar(sh, fmt.Sprintf("D4:D%d", 3+n), maxValue(m.Clusters, "revenue_ytd"))
	}
	b.widths(sh, 14, 24, 8, 13, 12, 12, 12, 12, 14, 16)
	b.freeze(sh, 3, 4)
	b.page(sh, 3, false)
}

// causeText names the cause of a change between editions.
func causeText(c string) string {
	switch c {
	case reports.CauseLate:
		return "补报（不属更正）"
	case reports.CauseOther:
		return "目标任务调整"
	}
	return "更正"
}

// rateTable reports whether the counties of a table are held to a rate or a growth.
func rateTable(t reports.Table) bool {
	for _, r := range t.Rows {
		if r.A.HasTarget {
			return reports.RateLike(r.A)
		}
	}
	return false
}

func maxValue(rows []reports.ClusterRow, code string) float64 {
	m := 1.0
	for _, r := range rows {
		m = max(m, r.Values[code])
	}
	return m
}

func (b *book) ranking(m *reports.Monthly) {
	sh := b.sheet("综合排名")
	heads := []string{"排名", "县（市、区）", "综合得分", "计入指标（项）", "滞后指标（项）", "升降", "榜单"}
	b.title(sh, fmt.Sprintf("县（市、区）综合排名（%s）", m.Provenance.PeriodLabel), note(m.Issuer, m.Provenance), len(heads))
	b.set(sh, 1, 3, fmt.Sprintf("综合得分为各项指标“100＋与序时进度的差距”（差距以±%s个百分点为限）按权重的平均值，100分即与序时进度同步。",
		lingpao.FormatNumber(m.Ranking.GapCap, 0)), b.s.note)
	b.merge(sh, "A3", cell(len(heads), 3))
	b.check(b.f.SetRowHeight(sh, 3, 28))
	b.header(sh, 4, heads...)
	list := map[string]string{}
	for _, r := range m.Ranking.Red {
		list[r.Org] = "红榜"
	}
	for _, r := range m.Ranking.Black {
		list[r.Org] = "黑榜"
	}
	for i, x := range m.Ranking.Rows {
		r := 5 + i
		b.set(sh, 1, r, reports.RankText(x.Rank), b.s.center)
		b.set(sh, 2, r, x.Name, b.s.text)
		if x.Rank > 0 {
			b.set(sh, 3, r, round(x.Score.Score, 2), b.s.score)
		} else {
			b.set(sh, 3, r, reports.Placeholder, b.s.center)
		}
		b.set(sh, 4, r, x.Measured, b.s.center)
		b.set(sh, 5, r, x.Lagging, b.s.center)
		b.set(sh, 6, r, lingpao.MoveArrow(x.PrevRank, x.Rank), b.s.center)
		b.set(sh, 7, r, list[x.Org], b.s.center)
	}
	if n := len(m.Ranking.Rows); n > 0 {
		b.colors(sh, fmt.Sprintf("G5:G%d", 4+n), "红榜", "黑榜")
	}
	b.widths(sh, 8, 16, 12, 14, 14, 8, 10)
	b.freeze(sh, 1, 5)
	b.page(sh, 4, true)
}

func (b *book) ladder(m *reports.Monthly) {
	sh := b.sheet("督办清单")
	heads := []string{"序号", "县（市、区）", "督办事项", "督办等级", "连续月数", "起始日期", "事由", "本期新增"}
	b.title(sh, fmt.Sprintf("督办清单（截至%s）", m.Provenance.PeriodLabel), note(m.Issuer, m.Provenance), len(heads))
	var counts []string
	for _, c := range m.Ladder.Counts {
		counts = append(counts, fmt.Sprintf("%s%d项", c.Level.Label(), c.N))
	}
	b.set(sh, 1, 3, fmt.Sprintf("督办事项%d项，涉及%d个县（市、区）：%s；本期新增或升级%d项，解除%d项。", len(m.Ladder.Rows), m.Ladder.Counties, strings.Join(counts, "、"), m.Ladder.Raised, m.Ladder.Cleared), b.s.note)
	b.merge(sh, "A3", cell(len(heads), 3))
	b.header(sh, 4, heads...)
	r := 5
	write := func(rows []reports.LadderRow, seq bool) {
		for i, x := range rows {
			b.set(sh, 1, r, i+1, b.s.center)
			b.set(sh, 2, r, x.Name, b.s.text)
			b.set(sh, 3, r, x.Item, b.s.text)
			b.set(sh, 4, r, x.Level.Label(), b.s.center)
			b.set(sh, 5, r, x.Streak, b.s.center)
			since := ""
			if !x.Since.IsZero() {
				since = lingpao.FormatDate(x.Since)
			}
			b.set(sh, 6, r, since, b.s.center)
			b.set(sh, 7, r, x.Reason, b.s.text)
			newText := ""
			if x.New && seq {
				newText = "是"
			}
			b.set(sh, 8, r, newText, b.s.center)
			r++
		}
	}
	write(m.Ladder.Rows, true)
	if r > 5 {
		b.colors(sh, fmt.Sprintf("D5:D%d", r-1), "警示", "约谈", "通报", "报告", "问责")
	}
	if len(m.Ladder.ClearedRows) > 0 {
		r++
		b.set(sh, 1, r, "本期解除督办", b.s.sub)
		r++
		b.header(sh, r, "序号", "县（市、区）", "督办事项", "原督办等级", "此前连续月数", "解除日期", "事由", "")
		r++
		write(m.Ladder.ClearedRows, false)
	}
	b.widths(sh, 6, 14, 30, 10, 10, 12, 60, 10)
	b.freeze(sh, 3, 5)
	b.page(sh, 4, false)
}

func (b *book) reporting(m *reports.Monthly) {
	sh := b.sheet("报送情况")
	rr := m.Reporting
	heads := []string{"县（市、区）", "报送状态", "截止日期", "首次受理时间", "采用版本", "采用文件", "退回次数"}
	b.title(sh, "报送情况（"+rr.Month.Label()+"）", note(m.Issuer, m.Provenance), len(heads))
	b.set(sh, 1, 3, fmt.Sprintf("应报%d个，已报%d个（按时%d个，逾期%d个），未报送%d个，退回待重报%d个，未到截止日%d个；报送率%s。",
		rr.Expected, rr.Received, rr.OnTime, rr.Late, rr.Missing, rr.Rejected, rr.NotDue, reports.Pct(rr.Rate())), b.s.note)
	b.merge(sh, "A3", cell(len(heads), 3))
	b.header(sh, 4, heads...)
	for i, c := range rr.Counties {
		r := 5 + i
		b.set(sh, 1, r, m.Provenance.Name(c.Org), b.s.text)
		b.set(sh, 2, r, c.State.Label(), b.s.center)
		b.set(sh, 3, r, lingpao.FormatDate(c.Deadline), b.s.center)
		first, ver, file := "", "", ""
		if c.First != nil {
			first = c.First.ReceivedAt.In(lingpao.Beijing).Format("2006-01-02 15:04")
		}
		if c.Current != nil {
			ver, file = fmt.Sprintf("第%d版", c.Current.Version), c.Current.FileName
		}
		b.set(sh, 4, r, first, b.s.center)
		b.set(sh, 5, r, ver, b.s.center)
		b.set(sh, 6, r, file, b.s.text)
		b.set(sh, 7, r, c.Rejected, b.s.center)
	}
	if n := len(rr.Counties); n > 0 {
		b.colors(sh, fmt.Sprintf("B5:B%d", 4+n), "按时报送", "逾期报送", lingpao.StatusMissing.Label(), "已退回待重报")
	}
	b.widths(sh, 14, 14, 12, 18, 10, 36, 10)
	b.freeze(sh, 2, 5)
	b.page(sh, 4, false)
}

func (b *book) issues(m *reports.Monthly) {
	sh := b.sheet("问题台账")
	heads := []string{"县（市、区）", "问题描述", "类别", "涉及企业", "责任部门", "办理状态", "提出日期", "办结日期"}
	b.title(sh, "问题台账（"+m.Provenance.PeriodLabel+"）", note(m.Issuer, m.Provenance), len(heads))
	var st, ca []string
	for _, c := range m.Issues.ByStatus {
		st = append(st, fmt.Sprintf("%s%d项", c.Label, c.N))
	}
	for _, c := range m.Issues.ByCategory {
		ca = append(ca, fmt.Sprintf("%s%d项", c.Label, c.N))
	}
	summary := fmt.Sprintf("共%d项。", len(m.Issues.Rows))
	if len(st) > 0 {
		summary = fmt.Sprintf("共%d项。按办理状态：%s；按类别：%s。", len(m.Issues.Rows), strings.Join(st, "、"), strings.Join(ca, "、"))
	}
	b.set(sh, 1, 3, summary, b.s.note)
	b.merge(sh, "A3", cell(len(heads), 3))
	b.header(sh, 4, heads...)
	for i, x := range m.Issues.Rows {
		r := 5 + i
		for j, v := range []string{x.County, x.Description, x.Category, x.Enterprise, x.Department, x.Status, x.Raised, x.Closed} {
			style := b.s.text
			if j >= 5 {
				style = b.s.center
			}
			b.set(sh, j+1, r, v, style)
		}
	}
	b.widths(sh, 14, 44, 10, 26, 20, 12, 12, 12)
	b.freeze(sh, 2, 5)
	b.page(sh, 4, false)
}

// roster writes the merged enterprise roster with a StreamWriter: thousands of rows at province
// scale. The dimension and the page setup are set before the stream writer is made, and the sheet is
// not touched after Flush.
func (b *book) roster(m *reports.Monthly) {
	if b.err != nil {
		return
	}
	sh := b.sheet("企业名录")
	heads := []string{"县（市、区）", "集群", "企业名称", "统一社会信用代码", "标签", "本年累计营业收入（万元）", "本年累计研发投入（万元）", "备注"}
	last := 2 + len(m.Roster)
	b.check(b.f.SetSheetDimension(sh, "A1:"+cell(len(heads), last)))
	b.page(sh, 2, false) // before the stream writer takes the sheet, which keeps its setup
	sw, err := b.f.NewStreamWriter(sh)
	if err != nil {
		b.check(err)
		return
	}
	b.streamed = append(b.streamed, sh)
	for i, w := range []float64{14, 22, 34, 22, 24, 16, 16, 30} {
		b.check(sw.SetColWidth(i+1, i+1, w))
	}
	b.check(sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}))
	b.check(sw.SetRow("A1", []any{excelize.Cell{StyleID: b.s.sub, Value: fmt.Sprintf("企业名录（%s，%d家）", m.Provenance.PeriodLabel, len(m.Roster))}}))
	row := make([]any, len(heads))
	for i, h := range heads {
		row[i] = excelize.Cell{StyleID: b.s.head, Value: h}
	}
	b.check(sw.SetRow("A2", row))
	money := func(v *float64) any {
		if v == nil {
			return excelize.Cell{StyleID: b.s.center, Value: lingpao.StatusMissing.Label()}
		}
		return excelize.Cell{StyleID: b.s.num[2], Value: round(*v, 2)}
	}
	for i, e := range m.Roster {
		cells := []any{
			excelize.Cell{StyleID: b.s.text, Value: e.County}, excelize.Cell{StyleID: b.s.text, Value: e.Cluster},
			excelize.Cell{StyleID: b.s.text, Value: e.Name}, excelize.Cell{StyleID: b.s.center, Value: e.USCC},
			excelize.Cell{StyleID: b.s.text, Value: strings.Join(e.Tags, "、")}, money(e.Revenue), money(e.RnD),
			excelize.Cell{StyleID: b.s.text, Value: e.Remark},
		}
		if err := sw.SetRow(cell(1, 3+i), cells); err != nil {
			b.check(err)
			return
		}
	}
	b.check(sw.Flush())
}

func (b *book) sources(p reports.Provenance, issuer string) {
	sh := b.sheet("数据来源")
	heads := []string{"县（市、区）", "报送编号", "版本", "文件", "受理时间"}
	b.title(sh, "数据来源（各县报送版本）", note(issuer, p), len(heads))
	b.header(sh, 3, heads...)
	r := 4
	for _, s := range p.Sources {
		b.set(sh, 1, r, s.Name, b.s.text)
		b.set(sh, 2, r, s.Submission, b.s.center)
		b.set(sh, 3, r, fmt.Sprintf("第%d版", s.Version), b.s.center)
		b.set(sh, 4, r, s.File, b.s.text)
		b.set(sh, 5, r, s.ReceivedAt.In(lingpao.Beijing).Format("2006-01-02 15:04:05"), b.s.center)
		r++
	}
	for _, name := range p.Missing {
		b.set(sh, 1, r, name, b.s.text)
		b.set(sh, 4, r, lingpao.StatusMissing.Label(), b.s.text)
		r++
	}
	r++
	r = b.paragraph(sh, r, len(heads), reports.ProvenanceNote(p, "表"), 14+10+10+30+18, b.s.note)
	r = b.paragraph(sh, r, len(heads), fmt.Sprintf("重新生成本版：在 lingpao report 命令后加 --cutoff %s（数据截止时间精确到秒，按此截止时间重新生成得到同一版本）。", reports.CutOffArg(p.CutOff)), 14+10+10+30+18, b.s.note)
	if p.Edition > 1 {
		r++
		b.set(sh, 1, r, fmt.Sprintf("与第%d版相比（%s）", p.Edition-1, p.EditionLabel()), b.s.sub)
		r++
		r = b.paragraph(sh, r, len(heads), reports.ErrataNote(p), 14+10+10+30+18, b.s.wrap)
		if len(p.Errata) > 0 {
			b.header(sh, r, "县（市、区）", "项目", "原数据", "现数据", "原因")
			for _, c := range p.Errata {
				r++
				b.set(sh, 1, r, c.Name, b.s.text)
				b.set(sh, 2, r, c.Item, b.s.text)
				b.set(sh, 3, r, c.Old, b.s.center)
				b.set(sh, 4, r, c.New, b.s.center)
				b.set(sh, 5, r, causeText(c.Cause), b.s.center)
			}
		}
	}
	b.widths(sh, 14, 30, 12, 36, 18)
	b.page(sh, 3, false)
}

// rules writes the 口径说明 sheet: every rule in force with the value configured in the workspace,
// then how each indicator of the workbook is measured.
func (b *book) rules(m *reports.Monthly) {
	sh := b.sheet("口径说明")
	heads := []string{"项目", "本工作目录的设定", "口径与规则"}
	b.title(sh, "口径说明（"+m.Provenance.PeriodLabel+"）", note(m.Issuer, m.Provenance), 6)
	b.header(sh, 3, heads...)
	b.merge(sh, "C3", "F3")
	r := 4
	for _, x := range m.Rules {
		b.set(sh, 1, r, x.Item, b.s.text)
		b.set(sh, 2, r, x.Setting, b.s.text)
		b.set(sh, 3, r, x.Rule, b.s.text)
		b.merge(sh, cell(3, r), cell(6, r))
		b.check(b.f.SetRowHeight(sh, r, min(15*float64(1+int(textWidth(x.Rule)/120)), 409)))
		r++
	}
	r++
	b.set(sh, 1, r, "各指标的计算口径", b.s.sub)
	r++
	b.header(sh, r, "指标", "类型", "计算方法", "全市目标", "序时进度（本期）", "依据")
	r++
	for _, x := range m.Indicators {
		for i, v := range []string{x.Name, x.Kind, x.Formula, x.Target, x.Expected, x.Citation} {
			b.set(sh, i+1, r, v, b.s.text)
		}
		lines := max(textWidth(x.Formula)/40, textWidth(x.Expected)/36, textWidth(x.Citation)/30)
		b.check(b.f.SetRowHeight(sh, r, min(15*float64(1+int(lines)), 409)))
		r++
	}
	b.widths(sh, 26, 30, 40, 20, 36, 30)
	b.freeze(sh, 1, 4)
	b.page(sh, 3, false)
}
