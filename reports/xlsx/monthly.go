// Package xlsx renders lingpao's report content as Excel workbooks (excelize).
package xlsx

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/reports"
)

// styles holds the workbook's style ids.
type styles struct {
	title, note, head, text, textBold, num map[int]int
	pct, gap, int0                         int
	status                                 map[lingpao.Status]int
}

func newStyles(f *excelize.File) (*styles, error) {
	s := &styles{num: map[int]int{}, status: map[lingpao.Status]int{}}
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1}, {Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	font := func(bold bool, size float64, color string) *excelize.Font {
		return &excelize.Font{Family: "宋体", Bold: bold, Size: size, Color: color}
	}
	var err error
	mk := func(st *excelize.Style) int {
		if err != nil {
			return 0
		}
		var id int
		id, err = f.NewStyle(st)
		return id
	}
	s.title = map[int]int{0: mk(&excelize.Style{Font: font(true, 16, "000000"), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})}
	s.note = map[int]int{0: mk(&excelize.Style{Font: font(false, 9, "595959"), Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})}
	s.head = map[int]int{0: mk(&excelize.Style{Font: font(true, 10, "000000"), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}}, Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})}
	s.text = map[int]int{0: mk(&excelize.Style{Font: font(false, 10, "000000"), Border: border, Alignment: &excelize.Alignment{Vertical: "center"}})}
	s.textBold = map[int]int{0: mk(&excelize.Style{Font: font(true, 10, "000000"), Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}, Alignment: &excelize.Alignment{Vertical: "center"}})}
	for d := 0; d <= 2; d++ {
		f := "#,##0"
		if d > 0 {
			f += "." + "00"[:d]
		}
		fm := f
		s.num[d] = mk(&excelize.Style{Font: font(false, 10, "000000"), Border: border, CustomNumFmt: &fm})
	}
	pf, gf := "0.0%", `+0.0;-0.0;0.0`
	s.pct = mk(&excelize.Style{Font: font(false, 10, "000000"), Border: border, CustomNumFmt: &pf})
	s.gap = mk(&excelize.Style{Font: font(false, 10, "000000"), Border: border, CustomNumFmt: &gf})
	s.int0 = mk(&excelize.Style{Font: font(false, 10, "000000"), Border: border, Alignment: &excelize.Alignment{Horizontal: "center"}})
	for st, color := range StatusFill {
		s.status[st] = mk(&excelize.Style{Font: font(true, 10, StatusFont[st]), Border: border, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}, Alignment: &excelize.Alignment{Horizontal: "center"}})
	}
	return s, err
}

// StatusFill and StatusFont are the status colours, shared with the PDF renderer's palette.
var (
	StatusFill = map[lingpao.Status]string{
		lingpao.StatusAhead: "C6EFCE", lingpao.StatusOnTrack: "DDEBF7", lingpao.StatusBehind: "FFEB9C",
		lingpao.StatusFarBehind: "FFC7CE", lingpao.StatusMissing: "D9D9D9", lingpao.StatusNoTarget: "F2F2F2",
	}
	StatusFont = map[lingpao.Status]string{
		lingpao.StatusAhead: "006100", lingpao.StatusOnTrack: "1F4E78", lingpao.StatusBehind: "9C5700",
		lingpao.StatusFarBehind: "9C0006", lingpao.StatusMissing: "595959", lingpao.StatusNoTarget: "595959",
	}
)

type book struct {
	f *excelize.File
	s *styles
}

func (b *book) set(sh string, col, row int, v any, style int) {
	c, _ := excelize.CoordinatesToCellName(col, row)
	b.f.SetCellValue(sh, c, v)
	if style != 0 {
		b.f.SetCellStyle(sh, c, c, style)
	}
}

func (b *book) title(sh, text string, ncols int) {
	b.set(sh, 1, 1, text, b.s.title[0])
	end, _ := excelize.CoordinatesToCellName(ncols, 1)
	b.f.MergeCell(sh, "A1", end)
	b.f.SetRowHeight(sh, 1, 30)
}

func (b *book) page(sh string, titleRows int) {
	size, fitW, fitH, orient := 9, 1, 0, "landscape"
	fit := true
	b.f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &fitW, FitToHeight: &fitH})
	b.f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit})
	b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$%d", sh, titleRows), Scope: sh})
}

// WriteMonthly writes the 月调度表 workbook.
func WriteMonthly(w io.Writer, m *reports.Monthly) (err error) {
	defer lingpao.Wrap(&err, "xlsx.WriteMonthly")
	f := excelize.NewFile()
	defer f.Close()
	s, err := newStyles(f)
	if err != nil {
		return err
	}
	b := &book{f: f, s: s}
	b.overview(m)
	for _, g := range m.Groups {
		b.group(g, m.Provenance)
	}
	b.clusters(m)
	b.reporting(m.Reporting, m.Provenance)
	b.sources(m.Provenance)
	f.SetActiveSheet(0)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title: m.Title, Subject: "县域特色产业集群月调度", Creator: m.Issuer + "（lingpao " + m.Provenance.Version + "）",
		Created: m.Provenance.Generated.UTC().Format(time.RFC3339), Description: "数据截止 " + m.Provenance.CutOff.In(lingpao.Beijing).Format("2006-01-02 15:04"),
	}); err != nil {
		return err
	}
	if err := SetDimensions(f); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

func (b *book) overview(m *reports.Monthly) {
	const sh = "总览"
	b.f.SetSheetName("Sheet1", sh)
	b.title(sh, m.Title, 8)
	p := m.Provenance
	b.set(sh, 1, 2, fmt.Sprintf("编制单位：%s    数据截止：%s    生成：%s    第%d版    lingpao %s", m.Issuer,
		p.CutOff.In(lingpao.Beijing).Format("2006-01-02 15:04"), p.Generated.In(lingpao.Beijing).Format("2006-01-02 15:04"), p.Edition, p.Version), b.s.note[0])
	b.f.MergeCell(sh, "A2", "H2")
	heads := []string{"指标", "单位", "目标", "实际", "完成率", "序时进度", "差距（百分点）", "状态"}
	for i, h := range heads {
		b.set(sh, i+1, 4, h, b.s.head[0])
	}
	for i, t := range m.Headline {
		ind := t.Indicator
		b.row(sh, 5+i, reports.Row{Name: ind.Name, A: t.Total.A}, &ind, true)
	}
	rr := m.Reporting
	at := 6 + len(m.Headline)
	b.set(sh, 1, at, "报送情况", b.s.textBold[0])
	b.set(sh, 2, at, fmt.Sprintf("应报 %d，已报 %d（按时 %d，逾期 %d），未报 %d，退回待重报 %d；报送率 %.1f%%", rr.Expected, rr.Received, rr.OnTime, rr.Late, rr.Missing, rr.Rejected, rr.Rate()*100), b.s.text[0])
	c1, _ := excelize.CoordinatesToCellName(2, at)
	c2, _ := excelize.CoordinatesToCellName(8, at)
	b.f.MergeCell(sh, c1, c2)
	b.f.SetColWidth(sh, "A", "A", 30)
	b.f.SetColWidth(sh, "B", "B", 8)
	b.f.SetColWidth(sh, "C", "H", 13)
	b.f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 4, TopLeftCell: "A5", ActivePane: "bottomLeft"})
	b.page(sh, 4)
}

// row writes one assessment of ind; name is the first column. With withUnit (the overview) the unit
// follows in column 2.
func (b *book) row(sh string, r int, row reports.Row, ind *lingpao.Indicator, withUnit bool) {
	a := row.A
	col := 1
	b.set(sh, col, r, row.Name, b.s.text[0])
	col++
	dec := ind.Decimals
	if withUnit {
		b.set(sh, col, r, ind.Unit, b.s.int0)
		col++
	}
	if a.HasTarget {
		b.set(sh, col, r, a.TargetValue, b.s.num[min(dec, 2)])
	} else {
		b.set(sh, col, r, "—", b.s.int0)
	}
	col++
	if a.Actual.OK {
		b.set(sh, col, r, round(a.Actual.Value, dec), b.s.num[min(dec, 2)])
	} else {
		b.set(sh, col, r, "未报送", b.s.int0)
	}
	col++
	if a.Measured() {
		b.set(sh, col, r, a.Completion, b.s.pct)
		b.set(sh, col+1, r, a.Expected, b.s.pct)
		b.set(sh, col+2, r, round(a.Gap, 1), b.s.gap)
	} else {
		for k := 0; k < 3; k++ {
			b.set(sh, col+k, r, "—", b.s.int0)
		}
	}
	col += 3
	b.set(sh, col, r, a.Status.Label(), b.s.status[a.Status])
}

func round(v float64, d int) float64 {
	p := 1.0
	for i := 0; i < d; i++ {
		p *= 10
	}
	if v < 0 {
		return -float64(int64(-v*p+0.5)) / p
	}
	return float64(int64(v*p+0.5)) / p
}

func (b *book) group(g reports.Group, p reports.Provenance) {
	sh := sheetName(g.Name)
	b.f.NewSheet(sh)
	b.title(sh, fmt.Sprintf("%s（%s）", g.Name, p.PeriodLabel), 10)
	r := 3
	for _, t := range g.Tables {
		ind := t.Indicator
		b.set(sh, 1, r, fmt.Sprintf("%s（%s，%s）", ind.Name, ind.Unit, ind.Kind.Label()), b.s.textBold[0])
		c2, _ := excelize.CoordinatesToCellName(10, r)
		b.f.MergeCell(sh, fmt.Sprintf("A%d", r), c2)
		r++
		heads := []string{"县（市、区）", "目标", "实际", "完成率", "序时进度", "差距（百分点）", "状态", "排名", "升降"}
		for i, h := range heads {
			b.set(sh, i+1, r, h, b.s.head[0])
		}
		r++
		b.row(sh, r, t.Total, &ind, false)
		b.f.SetCellStyle(sh, fmt.Sprintf("A%d", r), fmt.Sprintf("A%d", r), b.s.textBold[0])
		r++
		for _, row := range t.Rows {
			b.row(sh, r, row, &ind, false)
			if row.A.Rank > 0 {
				b.set(sh, 8, r, row.A.Rank, b.s.int0)
			} else {
				b.set(sh, 8, r, "—", b.s.int0)
			}
			b.set(sh, 9, r, moveText(row), b.s.int0)
			r++
		}
		r++
	}
	b.f.SetColWidth(sh, "A", "A", 16)
	b.f.SetColWidth(sh, "B", "I", 12)
	b.page(sh, 2)
}

// moveText renders a rank movement: ↑3, ↓2, — (unchanged), 新 (not ranked last period).
func moveText(r reports.Row) string {
	switch {
	case r.A.Rank == 0:
		return ""
	case r.PrevRank == 0:
		return "新"
	case r.Move > 0:
		return fmt.Sprintf("↑%d", r.Move)
	case r.Move < 0:
		return fmt.Sprintf("↓%d", -r.Move)
	}
	return "—"
}

// sheetName trims a name to Excel's 31-character sheet-name limit and removes forbidden characters.
func sheetName(s string) string {
	r := []rune(s)
	out := make([]rune, 0, len(r))
	for _, c := range r {
		switch c {
		case ':', '\\', '/', '?', '*', '[', ']':
			continue
		}
		out = append(out, c)
	}
	if len(out) > 31 {
		out = out[:31]
	}
	return string(out)
}

func (b *book) clusters(m *reports.Monthly) {
	const sh = "集群情况"
	b.f.NewSheet(sh)
	heads := []string{"县（市、区）", "集群", "营业收入（亿元）", "同比增速（%）", "专精特新（家）", "小巨人（家）", "“领跑者”（家）", "新增发明专利（件）", "“领跑者”研发投入占比（%）"}
	b.title(sh, "特色产业集群主要指标（"+m.Provenance.PeriodLabel+"）", len(heads))
	for i, h := range heads {
		b.set(sh, i+1, 3, h, b.s.head[0])
	}
	decs := []int{2, 1, 0, 0, 0, 0, 2}
	for i, c := range m.Clusters {
		r := 4 + i
		b.set(sh, 1, r, c.County, b.s.text[0])
		name := c.Cluster.Name
		if c.Cluster.Example {
			name += "（示例）"
		}
		b.set(sh, 2, r, name, b.s.text[0])
		for j, code := range reports.ClusterIndicators {
			if v, ok := c.Values[code]; ok {
				b.set(sh, 3+j, r, round(v, decs[j]), b.s.num[min(decs[j], 2)])
			} else {
				b.set(sh, 3+j, r, "未报送", b.s.int0)
			}
		}
	}
	b.f.SetColWidth(sh, "A", "A", 14)
	b.f.SetColWidth(sh, "B", "B", 22)
	b.f.SetColWidth(sh, "C", "I", 13)
	b.f.SetPanes(sh, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: 3, TopLeftCell: "C4", ActivePane: "bottomRight"})
	b.page(sh, 3)
}

func (b *book) reporting(rr lingpao.ReportingRate, p reports.Provenance) {
	const sh = "报送情况"
	b.f.NewSheet(sh)
	heads := []string{"县（市、区）", "状态", "截止日期", "首次受理时间", "在用版本", "在用文件", "退回次数"}
	b.title(sh, "报送情况（"+p.PeriodLabel+"）", len(heads))
	for i, h := range heads {
		b.set(sh, i+1, 3, h, b.s.head[0])
	}
	names := map[string]string{}
	for _, s := range p.Sources {
		names[s.Org] = s.Name
	}
	for i, c := range rr.Counties {
		r := 4 + i
		name := names[c.Org]
		if name == "" {
			name = c.Org
		}
		b.set(sh, 1, r, name, b.s.text[0])
		st := lingpao.StatusOnTrack
		switch c.State {
		case lingpao.ReportLate:
			st = lingpao.StatusBehind
		case lingpao.ReportMissing, lingpao.ReportRejected:
			st = lingpao.StatusFarBehind
		}
		b.set(sh, 2, r, c.State.Label(), b.s.status[st])
		b.set(sh, 3, r, lingpao.FormatDate(c.Deadline), b.s.int0)
		if c.First != nil {
			b.set(sh, 4, r, c.First.ReceivedAt.In(lingpao.Beijing).Format("2006-01-02 15:04"), b.s.int0)
		}
		if c.Current != nil {
			b.set(sh, 5, r, fmt.Sprintf("第%d版", c.Current.Version), b.s.int0)
			b.set(sh, 6, r, c.Current.FileName, b.s.text[0])
		}
		b.set(sh, 7, r, c.Rejected, b.s.int0)
	}
	b.f.SetColWidth(sh, "A", "A", 14)
	b.f.SetColWidth(sh, "B", "E", 16)
	b.f.SetColWidth(sh, "F", "F", 28)
	b.page(sh, 3)
}

func (b *book) sources(p reports.Provenance) {
	const sh = "数据来源"
	b.f.NewSheet(sh)
	b.title(sh, "数据来源（各县报送版本）", 5)
	b.set(sh, 1, 2, fmt.Sprintf("期间：%s；数据截止：%s；目标版本：%d；lingpao %s", p.PeriodLabel, p.CutOff.In(lingpao.Beijing).Format("2006-01-02 15:04"), p.TargetsVersion, p.Version), b.s.note[0])
	b.f.MergeCell(sh, "A2", "E2")
	for i, h := range []string{"县（市、区）", "报送编号", "版本", "文件", "受理时间"} {
		b.set(sh, i+1, 3, h, b.s.head[0])
	}
	for i, s := range p.Sources {
		r := 4 + i
		b.set(sh, 1, r, s.Name, b.s.text[0])
		b.set(sh, 2, r, s.Submission, b.s.int0)
		b.set(sh, 3, r, fmt.Sprintf("第%d版", s.Version), b.s.int0)
		b.set(sh, 4, r, s.File, b.s.text[0])
		b.set(sh, 5, r, s.ReceivedAt.In(lingpao.Beijing).Format("2006-01-02 15:04"), b.s.int0)
	}
	for i, name := range p.Missing {
		r := 4 + len(p.Sources) + i
		b.set(sh, 1, r, name, b.s.text[0])
		b.set(sh, 4, r, "未报送", b.s.text[0])
	}
	b.f.SetColWidth(sh, "A", "A", 14)
	b.f.SetColWidth(sh, "B", "C", 10)
	b.f.SetColWidth(sh, "D", "D", 30)
	b.f.SetColWidth(sh, "E", "E", 18)
}
