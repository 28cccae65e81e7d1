package pdf

import (
	"fmt"
	"io"
	"strings"

	"lingpao"
	"lingpao/reports"
)

// WriteAnnual typesets the 年终考核 通报 and writes it to w.
func WriteAnnual(w io.Writer, a *reports.Annual, f *Fonts) (err error) {
	defer lingpao.Wrap(&err, "pdf.WriteAnnual")
	return write(w, f, Options{
		Title: a.Title, Subject: a.Masthead + " " + a.Issue, Author: a.Issuer, Creator: "lingpao " + a.Provenance.Version,
		Keywords: "县域特色产业集群 年终考核 " + a.Provenance.Period + " " + a.Provenance.EditionLabel(), CreationDate: a.Provenance.Generated, Footer: true,
	}, AnnualLayout(a))
}

// AnnualLayout lays out the 年终考核: title block, 更正说明, 考核办法, 考核结果 with the ranking table and
// a chart of the totals, the bonus and deduction details, the year-end figures and the requirements.
func AnnualLayout(a *reports.Annual) *Layout {
	l := &Layout{}
	var s sections
	l.TitleBlock(TitleBlockSpec{Masthead: a.Masthead, Issue: a.Issue, Unit: a.Issuer, Date: a.Date, Title: a.Title})
	l.Box("更正说明", a.Errata, GovRed)

	s.heading(l, "考核办法")
	l.Body(a.Method...)

	s.heading(l, "考核结果")
	l.Body(a.ResultText)
	l.Table(annualTable(s.nextTable("考核得分及排名"), a))
	if len(a.Scores) > 0 {
		l.Chart(annualChart(s.nextChart("各县（市、区）考核总分"), a))
	}
	if t, ok := adjustmentsTable(&s, a); ok {
		s.heading(l, "加分和扣分情况")
		l.Table(t)
	}

	if len(a.Tables) > 0 {
		s.heading(l, "全市主要指标完成情况")
		l.Body(a.Overview...)
		l.Table(headlineTable(s.nextTable("全市主要指标年末完成情况"), a.Tables))
	}

	s.heading(l, "工作要求")
	l.Body(a.Requirements...)
	l.Spacer(4)
	l.Note("注：各项指标得分明细见同期考核工作簿（.xlsx）。" + a.Note)
	return l
}

// gradeColor colours a grade: green for the best band, orange for the lowest passing one, blue for
// those between, red for 不合格.
func gradeColor(a *reports.Annual, grade string) Color {
	switch {
	case grade == lingpao.FailGrade:
		return ColorFarBehind
	case len(a.Grades) > 0 && grade == a.Grades[0].Label:
		return ColorAhead
	case len(a.Grades) > 2 && grade == a.Grades[len(a.Grades)-2].Label:
		return ColorBehind
	}
	return ColorOnTrack
}

func annualTable(title string, a *reports.Annual) TableSpec {
	t := TableSpec{Title: title, FontSize: 10, ZebraFill: Hex(0xF7F7F7), Columns: []Column{
		{Header: "名次", Width: 0.8, Align: AlignCenter}, {Header: "县（市、区）", Width: 2, Align: AlignLeft, NoWrap: true},
		{Header: "基础分", Width: 1.2}, {Header: "加分", Width: 1}, {Header: "扣分", Width: 1}, {Header: "总分", Width: 1.2}, {Header: "等次", Width: 1, Align: AlignCenter, NoWrap: true},
	}}
	for _, s := range a.Scores {
		t.Rows = append(t.Rows, []Cell{{Text: reports.RankText(s.Rank)}, {Text: s.Name}, {Text: reports.ScoreText(s.Base)},
			{Text: reports.ScoreText(s.Bonus)}, {Text: reports.ScoreText(s.Deduction)}, {Text: reports.ScoreText(s.Total), Bold: true},
			{Text: s.Grade, Color: gradeColor(a, s.Grade), Bold: true}})
	}
	return t
}

func annualChart(title string, a *reports.Annual) ChartSpec {
	c := ChartSpec{Title: title, Decimals: 2, Unit: "分"}
	for _, s := range a.Scores {
		c.Labels = append(c.Labels, s.Name)
		c.Values = append(c.Values, s.Total)
		c.BarColors = append(c.BarColors, gradeColor(a, s.Grade))
	}
	if a.PassMark > 0 {
		pass := a.PassMark
		c.Reference, c.ReferenceLabel = &pass, "合格线"
	}
	c.Height = 22 + 4.6*float64(len(c.Values))
	return c
}

// adjustmentsTable lists the counties with bonus points or deductions and why.
func adjustmentsTable(s *sections, a *reports.Annual) (TableSpec, bool) {
	t := TableSpec{FontSize: 10, Columns: []Column{{Header: "县（市、区）", Width: 1.8, Align: AlignLeft, NoWrap: true}, {Header: "加分事由", Width: 3.4, Align: AlignLeft},
		{Header: "加分", Width: 0.9}, {Header: "扣分事由", Width: 2.6, Align: AlignLeft}, {Header: "扣分", Width: 0.9}}}
	for _, r := range a.Scores {
		if len(r.Bonuses) == 0 && len(r.Deductions) == 0 {
			continue
		}
		var plus, minus []string
		for _, b := range r.Bonuses {
			plus = append(plus, fmt.Sprintf("%s（%s分）", b.Reason, lingpao.FormatNumber(b.Points, 1)))
		}
		for _, d := range r.Deductions {
			minus = append(minus, fmt.Sprintf("%s（%s分）", d.Reason, lingpao.FormatNumber(d.Points, 1)))
		}
		t.Rows = append(t.Rows, Row(r.Name, orDash(strings.Join(plus, "；")), reports.ScoreText(r.Bonus), orDash(strings.Join(minus, "；")), reports.ScoreText(r.Deduction)))
	}
	if len(t.Rows) == 0 {
		return t, false
	}
	t.Title = s.nextTable("加分和扣分明细")
	return t, true
}

func orDash(s string) string {
	if s == "" {
		return reports.Placeholder
	}
	return s
}
