package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/xuri/excelize/v2"

	"lingpao"
)

// issueExport sends the cases the ledger's filter selects — all of them, not only the page's first
// ones — as an Excel workbook: one row per case with its status, department, deadline, days overdue,
// the latest opinion and how it was closed.
func (s *Server) issueExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f, v, err := s.issueFilter(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	now := s.now()
	if _, err := s.w.Store.SyncIssueCases(ctx, now); err != nil {
		s.error(w, r, err)
		return
	}
	cases, _, err := s.w.Store.FindIssueCases(ctx, f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	scope := "全部单位"
	if v.Org != "" {
		scope = s.orgName(v.Org)
	}
	title := fmt.Sprintf("%s问题台账（%s，%s）", s.w.City().Name, scope, issueScopeLabel(v.Status))
	var buf bytes.Buffer
	if err := writeIssueWorkbook(&buf, title, fmt.Sprintf("导出时间：%s；共 %d 条", datetime(now), len(cases)), cases, s.orgName, now); err != nil {
		s.error(w, r, err)
		return
	}
	name := fmt.Sprintf("问题台账_%s_%s.xlsx", s.w.City().Name, now.In(lingpao.Beijing).Format("20060102"))
	s.audit(r, "issue_export", fmt.Sprintf("导出问题台账 %d 条（%s，%s）", len(cases), scope, issueScopeLabel(v.Status)))
	sendBytes(w, name, contentTypes[".xlsx"], buf.Bytes())
}

// issueScopeLabel names the status filter.
func issueScopeLabel(status string) string {
	switch status {
	case "":
		return "全部状态"
	case "open":
		return "未办结"
	case "overdue":
		return "已逾期"
	}
	return status
}

// issueExportColumns are the export's columns with their widths in characters.
var issueExportColumns = []struct {
	Name  string
	Width float64
}{
	{"编号", 6}, {"单位", 10}, {"问题描述", 40}, {"问题类别", 9}, {"涉及企业", 22}, {"提出日期", 11}, {"首次报送", 10},
	{"县报状态", 9}, {"办理状态", 9}, {"责任部门", 18}, {"办理时限", 11}, {"逾期天数", 8}, {"最新办理意见", 36}, {"办结日期", 11}, {"办结情况", 30},
}

// writeIssueWorkbook writes the ledger's cases as one sheet: a title, the header (frozen, with
// filters), overdue rows in red; A4 landscape, one page wide, the header repeated on each page.
func writeIssueWorkbook(w io.Writer, title, subtitle string, cases []lingpao.IssueCase, orgName func(string) string, now time.Time) error {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "问题台账"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return err
	}
	font := func(bold bool, color string, size float64) *excelize.Font {
		return &excelize.Font{Family: "宋体", Size: size, Bold: bold, Color: color}
	}
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1},
		{Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	wrap := &excelize.Alignment{Vertical: "top", WrapText: true}
	styles := map[string]*excelize.Style{
		"title": {Font: font(true, "000000", 14)},
		"sub":   {Font: font(false, "595959", 9)},
		"head":  {Font: font(true, "000000", 10), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}, Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}},
		"cell":  {Font: font(false, "000000", 10), Border: border, Alignment: wrap},
		"late":  {Font: font(true, "C00000", 10), Border: border, Alignment: wrap},
	}
	ids := map[string]int{}
	for k, st := range styles {
		id, err := f.NewStyle(st)
		if err != nil {
			return err
		}
		ids[k] = id
	}
	last, _ := excelize.ColumnNumberToName(len(issueExportColumns))
	f.SetCellValue(sh, "A1", title)
	f.SetCellStyle(sh, "A1", "A1", ids["title"])
	f.SetRowHeight(sh, 1, 24)
	f.SetCellValue(sh, "A2", subtitle)
	f.SetCellStyle(sh, "A2", "A2", ids["sub"])
	for i, c := range issueExportColumns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		f.SetCellValue(sh, fmt.Sprintf("%s3", col), c.Name)
		f.SetColWidth(sh, col, col, c.Width)
	}
	f.SetCellStyle(sh, "A3", last+"3", ids["head"])
	f.SetRowHeight(sh, 3, 22)
	for i, c := range cases {
		row := i + 4
		late := c.DaysOverdue(now)
		var days any
		if late > 0 {
			days = late
		}
		vals := []any{c.ID, orgName(c.Org), c.Description, c.Category, c.Enterprise, c.Raised, c.FirstPeriod.Label(),
			c.CountyStatus, c.Status, c.Department, c.Deadline, days, c.Opinion, c.Closed, c.Result}
		for j, v := range vals {
			col, _ := excelize.ColumnNumberToName(j + 1)
			if s, ok := v.(string); ok && s == "" {
				continue
			}
			if v == nil {
				continue
			}
			f.SetCellValue(sh, fmt.Sprintf("%s%d", col, row), v)
		}
		style := ids["cell"]
		if late > 0 {
			style = ids["late"]
		}
		f.SetCellStyle(sh, fmt.Sprintf("A%d", row), fmt.Sprintf("%s%d", last, row), style)
	}
	end := max(len(cases)+3, 4)
	if err := f.AutoFilter(sh, fmt.Sprintf("A3:%s%d", last, end), nil); err != nil {
		return err
	}
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 3, TopLeftCell: "A4", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	size, orient, fitW, fitH, fit := 9, "landscape", 1, 0, true
	if err := f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &fitW, FitToHeight: &fitH}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$3:$3", sh), Scope: sh}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(sh, &excelize.HeaderFooterOptions{OddFooter: "&C&9第 &P 页，共 &N 页"}); err != nil {
		return err
	}
	_, err := f.WriteTo(w)
	return err
}
