package pdf

import (
	"fmt"
	"io"

	"lingpao"
	"lingpao/reports"
)

// WriteScorecard typesets a county's 体检表 on one A4 page and writes it to w. The page is laid out
// at full size first and set smaller, step by step, until it fits on one page.
func WriteScorecard(w io.Writer, sc *reports.Scorecard, f *Fonts) (err error) {
	defer lingpao.Wrap(&err, "pdf.WriteScorecard")
	var d *Doc
	for _, scale := range []float64{1, 0.92, 0.85, 0.78, 0.72, 0.66} {
		if d, err = New(f, scorecardOptions(sc)); err != nil {
			return err
		}
		d.Draw(ScorecardLayout(sc, scale))
		if d.PageCount() == 1 {
			break // laid out, not yet written: only the page that fits is
		}
	}
	_, err = d.WriteTo(w)
	return err
}

func scorecardOptions(sc *reports.Scorecard) Options {
	return Options{
		Margins: Margins{Top: 14, Bottom: 14, Left: 16, Right: 16},
		Title:   sc.Title + "（" + sc.Provenance.PeriodLabel + "）", Subject: "县域特色产业集群发展体检表", Author: sc.Issuer,
		Creator: "lingpao " + sc.Provenance.Version, Keywords: "体检表 " + sc.Name + " " + sc.Provenance.Period + " " + sc.Provenance.EditionLabel(),
		CreationDate: sc.Provenance.Generated,
	}
}

// ScorecardLayout lays out a 体检表 with its type sizes multiplied by scale: the title, a row of key
// figures, the summary, the indicator table, the reporting strip, the subjects under supervision and
// the county's clusters.
func ScorecardLayout(sc *reports.Scorecard, scale float64) *Layout {
	l := &Layout{}
	z := func(pt float64) float64 { return pt * scale }
	l.Paragraph(sc.Title, ParagraphStyle{Size: z(18), Bold: true, Align: AlignCenter, LineHeight: 1.4, Color: GovRed})
	l.Paragraph(fmt.Sprintf("%s · 数据截至%s · %s · %s", sc.Provenance.PeriodLabel, reports.CutOffText(sc.Provenance.CutOff), sc.Issuer, sc.Provenance.EditionLabel()),
		ParagraphStyle{Size: z(9.5), Align: AlignCenter, Color: Gray, LineHeight: 1.5})
	l.Spacer(z(2))
	l.Box("更正说明", sc.Errata, GovRed)

	rank, move := reports.Placeholder, ""
	score := reports.Placeholder
	if sc.Standing.Rank > 0 {
		rank = fmt.Sprintf("第%d位（共%d个）", sc.Standing.Rank, sc.Ranked)
		score = reports.ScoreText(sc.Standing.Score.Score)
		move = lingpao.MoveArrow(sc.Standing.PrevRank, sc.Standing.Rank)
	}
	ladder := "无"
	if len(sc.Ladder) > 0 {
		ladder = fmt.Sprintf("%d项，最高“%s”", len(sc.Ladder), sc.Ladder[0].Level.Label())
	}
	onTime, late, miss := 0, 0, 0
	for _, r := range sc.Reporting {
		switch r.State {
		case lingpao.ReportOnTime:
			onTime++
		case lingpao.ReportLate:
			late++
		case lingpao.ReportMissing, lingpao.ReportRejected:
			miss++
		}
	}
	kpi := TableSpec{FontSize: z(11), HeaderFill: GovRed.Tint(0.88), Columns: []Column{
		{Header: "综合得分", Align: AlignCenter}, {Header: "全市排名", Align: AlignCenter}, {Header: "较上期", Align: AlignCenter},
		{Header: "督办事项", Align: AlignCenter}, {Header: "本年报送", Align: AlignCenter},
	}}
	kpi.Rows = [][]Cell{{{Text: score, Bold: true}, {Text: rank, Bold: true}, {Text: orDash(move), Bold: true},
		{Text: ladder, Bold: true, Color: ladderColor(sc.Ladder)}, {Text: fmt.Sprintf("按时%d 逾期%d 未报%d", onTime, late, miss), Bold: true}}}
	l.Table(kpi)
	l.Paragraph(sc.Summary, ParagraphStyle{Size: z(10.5), Indent: 2, LineHeight: 1.6})

	ind := TableSpec{Title: "一、主要指标完成情况", FontSize: z(9), Columns: []Column{
		{Header: "指标", Width: 3.6, Align: AlignLeft}, {Header: "目标", Width: 1.1}, {Header: "实际", Width: 1.1}, {Header: "完成率", Width: 1.1},
		{Header: "序时进度", Width: 1.1}, {Header: reports.HeadGap, Width: 1.4}, {Header: reports.HeadTargetDiff, Width: 1.0}, {Header: "状态", Width: 1.1, Align: AlignCenter, NoWrap: true}, {Header: "全市排名", Width: 1.1, Align: AlignCenter, NoWrap: true},
	}}
	for _, line := range sc.Rows {
		a := line.Row.A
		rk := reports.Placeholder
		if a.Rank > 0 {
			rk = fmt.Sprintf("%d/%d", a.Rank, line.Of)
		}
		ind.Rows = append(ind.Rows, []Cell{{Text: fmt.Sprintf("%s（%s）", line.Indicator.Name, line.Indicator.Unit)}, {Text: reports.TargetFigure(line.Indicator, a)},
			{Text: reports.ActualText(line.Indicator, a)}, {Text: reports.CompletionText(a)}, {Text: reports.ExpectedText(a)}, {Text: reports.GapCell(a)},
			{Text: reports.TargetDiffText(line.Indicator, a)}, statusCell(a.Status), {Text: rk}})
	}
	ind.ZebraFill = Hex(0xF7F7F7)
	l.Table(ind)
	l.Paragraph("注："+sc.StatusRule+"；“实际−目标”只列增速、比率类指标（百分点）。", ParagraphStyle{Size: z(8), Color: Gray, LineHeight: 1.4, Align: AlignLeft})

	if len(sc.Reporting) > 0 {
		strip := TableSpec{Title: "二、报表报送情况", FontSize: z(9)}
		var row []Cell
		for _, r := range sc.Reporting {
			strip.Columns = append(strip.Columns, Column{Header: r.Label, Align: AlignCenter, NoWrap: true})
			c := Cell{Text: r.Short()}
			switch r.State {
			case lingpao.ReportLate:
				c.Color, c.Bold = ColorBehind, true
			case lingpao.ReportMissing, lingpao.ReportRejected:
				c.Color, c.Bold = ColorFarBehind, true
			case lingpao.ReportMerged, lingpao.ReportNotDue:
				c.Color = Gray
			}
			row = append(row, c)
		}
		strip.Rows = [][]Cell{row}
		l.Table(strip)
	}

	lt := TableSpec{Title: "三、督办事项", FontSize: z(9), Columns: []Column{{Header: "督办事项", Width: 2.6, Align: AlignLeft}, {Header: "等级", Width: 0.8, Align: AlignCenter, NoWrap: true},
		{Header: "连续月数", Width: 0.8, Align: AlignCenter}, {Header: "事由", Width: 5.2, Align: AlignLeft}}}
	for _, r := range sc.Ladder {
		lt.Rows = append(lt.Rows, []Cell{{Text: r.Item}, {Text: r.Level.Label(), Color: levelColor(r.Level), Bold: true}, {Text: fmt.Sprint(r.Streak)}, {Text: orDash(r.Reason)}})
	}
	if len(lt.Rows) == 0 {
		lt.Rows = [][]Cell{{{Text: "无"}, {Text: reports.Placeholder}, {Text: reports.Placeholder}, {Text: "本期没有处于督办状态的事项"}}}
	}
	l.Table(lt)

	if len(sc.Clusters) > 0 {
		ct := TableSpec{Title: "四、特色产业集群", FontSize: z(9), Columns: []Column{{Header: "集群", Width: 3, Align: AlignLeft}, {Header: "营业收入（亿元）", Width: 1.4},
			{Header: "同比增速（%）", Width: 1.2}, {Header: "专精特新（家）", Width: 1.2}, {Header: "小巨人（家）", Width: 1.1}, {Header: "“领跑者”（家）", Width: 1.2}, {Header: "新增发明专利（件）", Width: 1.4}}}
		for _, c := range sc.Clusters {
			v := func(code string, d int) string {
				if x, ok := c.Values[code]; ok {
					return lingpao.FormatNumber(x, d)
				}
				return c.NoValue()
			}
			name := c.Cluster.Name
			if c.Cluster.ProvinceKey {
				name += "（省级重点）"
			}
			ct.Rows = append(ct.Rows, Row(name, v("revenue_ytd", 2), v("revenue_growth", 1), v("srdi_sme", 0), v("little_giant", 0), v("leader_firms", 0), v("invention_patents_new", 0)))
		}
		l.Table(ct)
	}
	l.Paragraph(sc.Note, ParagraphStyle{Size: z(8), Color: Gray, LineHeight: 1.4, Align: AlignLeft})
	return l
}

func ladderColor(rows []reports.LadderRow) Color {
	if len(rows) == 0 {
		return ColorAhead
	}
	return levelColor(rows[0].Level)
}
