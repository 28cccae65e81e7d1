package xlsx

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/reports"
)

// WriteHalfYear writes the workbook of the 半年总结: the monthly workbook of June with a 同比情况
// sheet after the 总览.
func WriteHalfYear(w io.Writer, m *reports.Monthly, h *reports.HalfYear) (err error) {
	defer lingpao.Wrap(&err, "xlsx.WriteHalfYear")
	b, err := newBook()
	if err != nil {
		return err
	}
	b.monthly(m, func() { b.yoy(h, m) })
	return b.finish(w, props{title: h.Title, subject: "县域特色产业集群半年总结", issuer: h.Issuer, keywords: "半年总结", p: h.Provenance})
}

func (b *book) yoy(h *reports.HalfYear, m *reports.Monthly) {
	sh := b.sheet("同比情况")
	heads := []string{"指标", "单位", "本期", "上年同期", "增减", "增幅"}
	b.title(sh, "全市主要指标同比情况（"+h.Provenance.PeriodLabel+"）", note(h.Issuer, h.Provenance), len(heads))
	b.header(sh, 3, heads...)
	r := 4
	for _, y := range h.YoY {
		ind := y.Indicator
		d := min(ind.Decimals, 2)
		b.set(sh, 1, r, ind.Name, b.s.text)
		b.set(sh, 2, r, ind.Unit, b.s.center)
		figure := func(col int, a lingpao.Actual) {
			if a.OK {
				b.set(sh, col, r, round(a.Value, ind.Decimals), b.s.num[d])
			} else {
				b.set(sh, col, r, "无数据", b.s.center)
			}
		}
		figure(3, y.This)
		figure(4, y.Last)
		if y.Comparable() {
			b.set(sh, 5, r, round(y.Change, ind.Decimals), b.s.num[d])
		} else {
			b.set(sh, 5, r, reports.Placeholder, b.s.center)
		}
		if y.HasRate {
			b.set(sh, 6, r, round(y.Rate, 4), b.s.pct)
		} else {
			b.set(sh, 6, r, reports.Placeholder, b.s.center)
		}
		r++
	}
	r++
	b.paragraph(sh, r, len(heads), h.YoYText, 36+8+14*4, b.s.wrap)
	b.widths(sh, 36, 8, 14, 14, 14, 14)
	b.freeze(sh, 2, 4)
	b.page(sh, 3, false)
}

// WriteAnnual writes the workbook of the 年终考核: the 考核得分 sheet with every county's points per
// indicator, bonus, deductions, total, rank and grade, then the monthly workbook of December.
func WriteAnnual(w io.Writer, m *reports.Monthly, a *reports.Annual) (err error) {
	defer lingpao.Wrap(&err, "xlsx.WriteAnnual")
	b, err := newBook()
	if err != nil {
		return err
	}
	b.annual(a)
	b.monthly(m, nil)
	return b.finish(w, props{title: a.Title, subject: "县域特色产业集群年终考核", issuer: a.Issuer, keywords: "年终考核", p: a.Provenance})
}

func (b *book) annual(a *reports.Annual) {
	sh := b.sheet("考核得分")
	heads := []string{"名次", "县（市、区）"}
	for _, ind := range a.Indicators {
		heads = append(heads, reports.Subject(ind))
	}
	heads = append(heads, "基础分", "加分", "扣分", "总分", "等次", "加分事由", "扣分事由")
	n := len(heads)
	b.title(sh, a.Title, note(a.Issuer, a.Provenance), n)
	r := 3
	width := 8 + 14 + 11*float64(len(a.Indicators)) + 9*4 + 8 + 30 + 20
	for _, p := range a.Method {
		r = b.paragraph(sh, r, n, p, width, b.s.note)
	}
	r = b.paragraph(sh, r, n, a.ResultText, width, b.s.wrap)
	if a.Errata != "" {
		r = b.paragraph(sh, r, n, "更正说明："+a.Errata, width, b.s.wrap)
	}
	r++
	head := r
	b.header(sh, head, heads...)
	for i, s := range a.Scores {
		row := head + 1 + i
		b.set(sh, 1, row, s.Rank, b.s.center)
		b.set(sh, 2, row, s.Name, b.s.text)
		for j, ind := range a.Indicators {
			if it, ok := s.Item(ind.Code); ok {
				b.set(sh, 3+j, row, round(it.Points, 2), b.s.score)
			} else {
				b.set(sh, 3+j, row, reports.Placeholder, b.s.center)
			}
		}
		c := 3 + len(a.Indicators)
		b.set(sh, c, row, round(s.Base, 2), b.s.score)
		b.set(sh, c+1, row, round(s.Bonus, 2), b.s.score)
		b.set(sh, c+2, row, round(s.Deduction, 2), b.s.score)
		b.set(sh, c+3, row, round(s.Total, 2), b.s.scoreBold)
		b.set(sh, c+4, row, s.Grade, b.s.center)
		var plus, minus []string
		for _, x := range s.Bonuses {
			plus = append(plus, fmt.Sprintf("%s（%s分）", x.Reason, lingpao.FormatNumber(x.Points, 1)))
		}
		for _, x := range s.Deductions {
			minus = append(minus, fmt.Sprintf("%s（%s分）", x.Reason, lingpao.FormatNumber(x.Points, 1)))
		}
		b.set(sh, c+5, row, strings.Join(plus, "；"), b.s.text)
		b.set(sh, c+6, row, strings.Join(minus, "；"), b.s.text)
	}
	last := head + len(a.Scores)
	total := 3 + len(a.Indicators) + 3
	if len(a.Scores) > 0 {
		tc, _ := excelize.ColumnNumberToName(total)
		gc, _ := excelize.ColumnNumberToName(total + 1)
		b.dataBar(sh, fmt.Sprintf("%s%d:%s%d", tc, head+1, tc, last), 120)
		grades := []string{lingpao.FailGrade}
		for _, g := range a.Grades {
			grades = append(grades, g.Label)
		}
		b.colors(sh, fmt.Sprintf("%s%d:%s%d", gc, head+1, gc, last), grades...)
		q := "'" + sh + "'"
		b.check(b.f.AddChart(sh, cell(2, last+3), &excelize.Chart{
			Type:      excelize.Bar,
			Series:    []excelize.ChartSeries{{Name: "总分", Categories: fmt.Sprintf("%s!$B$%d:$B$%d", q, head+1, last), Values: fmt.Sprintf("%s!$%s$%d:$%s$%d", q, tc, head+1, tc, last), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"5B9BD5"}}}},
			Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "各县（市、区）考核总分", Font: &excelize.Font{Family: "宋体", Size: 11, Bold: true}}}},
			Dimension: excelize.ChartDimension{Width: 720, Height: 520},
			Legend:    excelize.ChartLegend{Position: "none"},
			XAxis:     excelize.ChartAxis{ReverseOrder: true, Font: excelize.Font{Family: "宋体", Size: 9}},
			YAxis:     excelize.ChartAxis{MajorGridLines: true, Font: excelize.Font{Family: "宋体", Size: 9}},
		}))
	}
	ws := []float64{6, 14}
	for range a.Indicators {
		ws = append(ws, 11)
	}
	b.widths(sh, append(ws, 9, 8, 8, 9, 8, 30, 20)...)
	b.freeze(sh, 3, head+1)
	b.page(sh, head, false)
}
