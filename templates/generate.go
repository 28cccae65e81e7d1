package templates

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/reports/xlsx"
)

// Spec says which return to generate.
type Spec struct {
	Org    lingpao.OrgUnit
	Period lingpao.Period
	// Deadline is when the return is due (already moved past holidays).
	Deadline time.Time
	// Generated is written into the metadata; tests pin it.
	Generated time.Time
	// Secret keys the metadata hash (Config.Secret).
	Secret string
	// IssuingUnit is printed in the instructions.
	IssuingUnit string
	// Roster prefills the 企业名录 with the county's enterprises — names, credit codes, clusters and
	// tags, as in its previous accepted return — so that clerks only update the figures. Enterprises of
	// clusters the county no longer has are left out.
	Roster []lingpao.Enterprise
	// Issues prefill the 问题台账 with the county's problems still on the city's ledger (and those
	// struck off since its last return), each with the city's status, department and dates, so that
	// the county sees where each stands and only adds new ones. The description of a prefilled row is
	// locked: it is how the problem is recognised in the returned file.
	Issues []PrefilledIssue
}

// PrefilledIssue is one problem of the ledger written into a template's 问题台账: the row's fields,
// and a note from the city (the assignment, its deadline, the latest handling opinion) shown as a
// comment on the status cell.
type PrefilledIssue struct {
	lingpao.Issue
	Note string
}

// sheetPassword protects the structure against accidental edits; it is not a secret — integrity comes
// from the keyed hash in the metadata sheet.
const sheetPassword = "lingpao"

// Generate writes the county return workbook of PRODUCT §6.1 for spec to w.
func Generate(w io.Writer, cat *lingpao.Catalog, spec Spec) (err error) {
	defer lingpao.Wrap(&err, "templates.Generate(%s, %s)", spec.Org.Name, spec.Period)
	clusters := cat.ClustersOf(spec.Org.Code)
	if len(clusters) == 0 {
		return lingpao.Errorf(lingpao.EINVALID, "%s 没有登记特色产业集群，无法生成模板：请先在种子数据 clusters.yaml 中登记。", spec.Org.Name)
	}
	f := excelize.NewFile()
	defer f.Close()
	g := &gen{f: f, cat: cat, spec: spec, clusters: clusters}
	if err := g.styles(); err != nil {
		return err
	}
	steps := []func() error{g.guide, g.clusterSheet, g.rosterSheet, g.issueSheet, g.meta}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	if err := xlsx.SetDimensions(f); err != nil {
		return err
	}
	f.SetActiveSheet(1)
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:   fmt.Sprintf("%s %s 特色产业集群月度报表", spec.Org.Name, spec.Period.Label()),
		Subject: "县域特色产业集群月调度报表",
		Creator: "lingpao（领跑）",
		Created: spec.Generated.UTC().Format(time.RFC3339),
	}); err != nil {
		return err
	}
	// No password on the structure lock: excelize hashes workbook passwords with 100,000 rounds of
	// SHA-512 (~85 ms a template), and integrity comes from the keyed hash in the metadata anyway.
	if err := f.ProtectWorkbook(&excelize.WorkbookProtectionOptions{LockStructure: true}); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

type gen struct {
	f        *excelize.File
	cat      *lingpao.Catalog
	spec     Spec
	clusters []lingpao.Cluster

	title, titleLeft, header, unit, locked, lockedWrap, text, integer, decimal, tag, note, label int
}

func (g *gen) styles() error {
	border := []excelize.Border{{Type: "left", Color: "A6A6A6", Style: 1}, {Type: "right", Color: "A6A6A6", Style: 1}, {Type: "top", Color: "A6A6A6", Style: 1}, {Type: "bottom", Color: "A6A6A6", Style: 1}}
	font := func(size float64, bold bool, color string) *excelize.Font {
		return &excelize.Font{Family: "宋体", Size: size, Bold: bold, Color: color}
	}
	center := &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}
	unlocked := &excelize.Protection{Locked: false}
	intFmt, decFmt, textFmt := "#,##0", "#,##0.00", "@"
	specs := []struct {
		id *int
		s  *excelize.Style
	}{
		{&g.title, &excelize.Style{Font: font(14, true, "000000"), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&g.titleLeft, &excelize.Style{Font: font(14, true, "000000"), Alignment: &excelize.Alignment{Horizontal: "left", Vertical: "center"}}},
		{&g.header, &excelize.Style{Font: font(10, true, "000000"), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}, Alignment: center, Border: border}},
		{&g.unit, &excelize.Style{Font: font(9, false, "595959"), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}, Alignment: center, Border: border}},
		{&g.locked, &excelize.Style{Font: font(10, false, "000000"), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EDEDED"}}, Alignment: &excelize.Alignment{Vertical: "center"}, Border: border}},
		{&g.lockedWrap, &excelize.Style{Font: font(10, false, "000000"), Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"EDEDED"}}, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}, Border: border}},
		// Text inputs are formatted as text (@), so that an all-digit 18-character credit code typed
		// in stays text instead of becoming a 15-digit number.
		{&g.text, &excelize.Style{Font: font(10, false, "000000"), CustomNumFmt: &textFmt, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}, Border: border, Protection: unlocked}},
		{&g.integer, &excelize.Style{Font: font(10, false, "000000"), CustomNumFmt: &intFmt, Border: border, Protection: unlocked}},
		{&g.decimal, &excelize.Style{Font: font(10, false, "000000"), CustomNumFmt: &decFmt, Border: border, Protection: unlocked}},
		{&g.tag, &excelize.Style{Font: font(10, false, "000000"), Alignment: &excelize.Alignment{Horizontal: "center"}, Border: border, Protection: unlocked}},
		{&g.note, &excelize.Style{Font: font(10, false, "404040"), Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&g.label, &excelize.Style{Font: font(10, true, "000000"), Alignment: &excelize.Alignment{Vertical: "center"}, Border: border}},
	}
	for _, s := range specs {
		id, err := g.f.NewStyle(s.s)
		if err != nil {
			return err
		}
		*s.id = id
	}
	return nil
}

func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

func (g *gen) guide() error {
	f, sh := g.f, SheetGuide
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return err
	}
	sp := g.spec
	f.SetCellValue(sh, "A1", fmt.Sprintf("%s %s 县域特色产业集群月度报表", sp.Org.Name, sp.Period.Label()))
	f.MergeCell(sh, "A1", "D1")
	f.SetCellStyle(sh, "A1", "D1", g.title)
	f.SetRowHeight(sh, 1, 30)
	rows := [][2]string{
		{"报送单位", sp.Org.Name},
		{"行政区划代码", sp.Org.Code},
		{"报送期间", sp.Period.Label()},
		{"报送截止", lingpao.FormatDateCN(sp.Deadline) + "（已按法定节假日顺延）"},
		{"模板版本", Version},
		{"下发单位", sp.IssuingUnit},
	}
	for i, r := range rows {
		f.SetCellValue(sh, cell(2, 3+i), r[0])
		f.SetCellValue(sh, cell(3, 3+i), r[1])
		f.SetCellStyle(sh, cell(2, 3+i), cell(2, 3+i), g.label)
		f.SetCellStyle(sh, cell(3, 3+i), cell(3, 3+i), g.locked)
	}
	f.SetCellValue(sh, "B9", "填报人（必填）")
	f.SetCellValue(sh, "B10", "联系电话（必填）")
	f.SetCellStyle(sh, "B9", "B10", g.label)
	f.SetCellStyle(sh, CellContact, CellPhone, g.text)
	steps := []string{
		"1. 只在白色单元格中填写；灰色单元格为预填内容，请勿修改。请勿增删行列、修改工作表名称或移动列。",
		"2. 数值单元格只填数字，不带单位（单位见表头第3行）。可带千分位逗号，全角数字也可识别。",
		"3. 未统计、无法提供的指标请留空或填“—”，表示“未报送”；“0”表示确实为零，二者含义不同。",
		"4. “本年累计”指标填写当年1月至本月的累计数（1–2月可合并报送）；存量指标填写本月末数。",
		"5. 比率类指标（研发投入占比、普及率、覆盖率、增速）由系统按各集群分子、分母汇总计算，无需填写。",
		"6. 企业名录：每家企业一行，统一社会信用代码须为18位且校验位正确；标签列填“是”或留空。",
		"7. 问题台账：填写需市级协调解决的问题，办理状态从下拉列表选择。",
		fmt.Sprintf("8. 请保存为 Excel 工作簿（.xlsx）格式，文件名建议为“%s_%s.xlsx”，放入共享文件夹 inbox/%s/ 下；系统会在 receipts/%s/ 下写回执。", sp.Period, sp.Org.Name, sp.Org.Name, sp.Org.Name),
		"9. 回执列出“错误”的，文件不被受理：回执附有本表的“批注”版，出错单元格标红并有批注，可直接在其中改正后放回收件箱；“警告”（标橙）不影响受理，回执要求写情况说明的，请在该行“备注（情况说明）”中写明。",
	}
	f.SetCellValue(sh, "B12", "填报要求")
	f.SetCellStyle(sh, "B12", "B12", g.label)
	for i, s := range steps {
		r := 13 + i
		f.SetCellValue(sh, cell(2, r), s)
		f.MergeCell(sh, cell(2, r), cell(4, r))
		f.SetCellStyle(sh, cell(2, r), cell(4, r), g.note)
		f.SetRowHeight(sh, r, 30)
	}
	f.SetColWidth(sh, "A", "A", 3)
	f.SetColWidth(sh, "B", "B", 18)
	f.SetColWidth(sh, "C", "C", 40)
	f.SetColWidth(sh, "D", "D", 40)
	return g.protect(sh, "landscape", 1, 1)
}

// protect sets the sheet's print setup — A4, orientation, fitted to wide × tall pages (0: as many as
// needed) — and protects it: only unlocked cells take input.
func (g *gen) protect(sh, orientation string, wide, tall int) error {
	size, fitW, fitH := 9, wide, tall // 9 = A4
	fit := true
	if err := g.f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &size, Orientation: &orientation, FitToWidth: &fitW, FitToHeight: &fitH}); err != nil {
		return err
	}
	if err := g.f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	title, _ := g.f.GetCellValue(sh, "A1")
	if err := g.f.SetHeaderFooter(sh, &excelize.HeaderFooterOptions{
		OddHeader: "&R&9" + title, OddFooter: "&C&9第 &P 页，共 &N 页",
	}); err != nil {
		return err
	}
	return g.f.ProtectSheet(sh, &excelize.SheetProtectionOptions{
		Password: sheetPassword, SelectLockedCells: true, SelectUnlockedCells: true,
		FormatColumns: true, FormatRows: true,
	})
}

func (g *gen) writeHeader(sh string, row int, cols []Column, codeRow, unitRow int) {
	f := g.f
	for i, c := range cols {
		name := c.Name
		if c.Required {
			name += "＊"
		}
		f.SetCellValue(sh, cell(i+1, row), name)
		f.SetCellValue(sh, cell(i+1, codeRow), c.Code)
		if unitRow > 0 {
			f.SetCellValue(sh, cell(i+1, unitRow), c.Unit)
		}
	}
	last := cell(len(cols), row)
	f.SetCellStyle(sh, cell(1, row), last, g.header)
	if unitRow > 0 {
		f.SetCellStyle(sh, cell(1, unitRow), cell(len(cols), unitRow), g.unit)
	}
	f.SetCellStyle(sh, cell(1, codeRow), cell(len(cols), codeRow), g.unit)
	f.SetRowVisible(sh, codeRow, false)
	f.SetRowHeight(sh, row, 54)
}

// titleRow writes a sheet's title in row 1, centred over ncols columns; with ncols 0 it is written
// left-aligned into A1 alone, for sheets printed several pages wide, where a merged title would be
// cut in two.
func (g *gen) titleRow(sh string, ncols int, text string) {
	g.f.SetCellValue(sh, "A1", text)
	if ncols > 0 {
		g.f.MergeCell(sh, "A1", cell(ncols, 1))
		g.f.SetCellStyle(sh, "A1", cell(ncols, 1), g.title)
	} else {
		g.f.SetCellStyle(sh, "A1", "A1", g.titleLeft)
	}
	g.f.SetRowHeight(sh, 1, 28)
}

func (g *gen) numberValidation(sh, sqref string, c Column) error {
	dv := excelize.NewDataValidation(true)
	dv.Sqref = sqref
	lo, hi := 0.0, 1e12
	if c.Min != nil {
		lo = *c.Min
	}
	if c.Max != nil {
		hi = *c.Max
	}
	typ := excelize.DataValidationTypeDecimal
	if c.Type == "integer" {
		typ = excelize.DataValidationTypeWhole
	}
	if err := dv.SetRange(lo, hi, typ, excelize.DataValidationOperatorBetween); err != nil {
		return err
	}
	// A warning, not a stop: "—" for not-reported must stay possible; the reader checks exactly.
	dv.SetError(excelize.DataValidationErrorStyleWarning, "请核对数值", fmt.Sprintf("「%s」应为%s数字（%s）。未统计请留空或填“—”。", c.Name, map[bool]string{true: "整", false: ""}[c.Type == "integer"], c.Unit))
	dv.SetInput(c.Name, fmt.Sprintf("单位：%s。未统计请留空。", c.Unit))
	return g.f.AddDataValidation(sh, dv)
}

func (g *gen) listValidation(sh, sqref string, items []string, what string) error {
	dv := excelize.NewDataValidation(true)
	dv.Sqref = sqref
	if err := dv.SetDropList(items); err != nil {
		return err
	}
	dv.SetError(excelize.DataValidationErrorStyleStop, "请从下拉列表选择", fmt.Sprintf("「%s」只能从下拉列表中选择。", what))
	return g.f.AddDataValidation(sh, dv)
}

func (g *gen) clusterSheet() error {
	f, sh := g.f, SheetClusters
	if _, err := f.NewSheet(sh); err != nil {
		return err
	}
	cols := clusterColumns(g.cat)
	g.titleRow(sh, 0, fmt.Sprintf("%s %s 特色产业集群主要指标", g.spec.Org.Name, g.spec.Period.Label()))
	g.writeHeader(sh, clusterHeaderRow, cols, clusterCodeRow, clusterUnitRow)
	last := clusterFirstRow + len(g.clusters) - 1
	for i, c := range g.clusters {
		r := clusterFirstRow + i
		f.SetCellValue(sh, cell(1, r), c.Code)
		f.SetCellValue(sh, cell(2, r), c.Name)
		f.SetCellStyle(sh, cell(1, r), cell(2, r), g.locked)
		f.SetRowHeight(sh, r, 22)
	}
	for i, c := range cols {
		col := i + 1
		if i < len(clusterLead) {
			continue
		}
		rng := cell(col, clusterFirstRow) + ":" + cell(col, last)
		switch c.Type {
		case "integer":
			f.SetCellStyle(sh, cell(col, clusterFirstRow), cell(col, last), g.integer)
			if err := g.numberValidation(sh, rng, c); err != nil {
				return err
			}
		case "number":
			f.SetCellStyle(sh, cell(col, clusterFirstRow), cell(col, last), g.decimal)
			if err := g.numberValidation(sh, rng, c); err != nil {
				return err
			}
		default:
			f.SetCellStyle(sh, cell(col, clusterFirstRow), cell(col, last), g.text)
		}
	}
	f.SetColWidth(sh, "A", "A", 11)
	f.SetColWidth(sh, "B", "B", 18)
	f.SetColWidth(sh, colName(3), colName(len(cols)-1), 13)
	f.SetColWidth(sh, colName(len(cols)), colName(len(cols)), 30)
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: clusterCodeRow, TopLeftCell: cell(3, clusterFirstRow), ActivePane: "bottomRight"}); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$A:$B,'%s'!$%d:$%d", sh, sh, clusterHeaderRow, clusterUnitRow), Scope: sh}); err != nil {
		return err
	}
	// Two pages wide: one page would print two dozen indicators too small to read. The cluster names
	// and the header repeat on the second page (print titles); the title is in the page header.
	return g.protect(sh, "landscape", 2, 0)
}

func (g *gen) rosterSheet() error {
	f, sh := g.f, SheetRoster
	if _, err := f.NewSheet(sh); err != nil {
		return err
	}
	cols := rosterColumns()
	first, last := rosterFirstRow, rosterFirstRow+RosterRows-1
	var names []string
	for _, c := range g.clusters {
		names = append(names, c.Name)
	}
	// Column styles, not cell styles: the input rows stay absent from the file until filled, which
	// keeps the template small and fast to read back, and Excel, WPS and LibreOffice apply the
	// column's (unlocked) style to every new cell.
	for i, c := range cols {
		col := colName(i + 1)
		rng := fmt.Sprintf("%s%d:%s%d", col, first, col, last)
		style := g.text
		switch c.Type {
		case "integer":
			style = g.integer
		case "number":
			style = g.decimal
			if err := g.numberValidation(sh, rng, c); err != nil {
				return err
			}
		case "tag":
			style = g.tag
			if err := g.listValidation(sh, rng, []string{"是"}, c.Name); err != nil {
				return err
			}
		case "cluster":
			if err := g.listValidation(sh, rng, names, c.Name); err != nil {
				return err
			}
		}
		if err := f.SetColStyle(sh, col, style); err != nil {
			return err
		}
	}
	if err := g.prefillRoster(cols); err != nil {
		return err
	}
	g.titleRow(sh, len(cols), fmt.Sprintf("%s %s 重点企业名录", g.spec.Org.Name, g.spec.Period.Label()))
	g.writeHeader(sh, rosterHeaderRow, cols, rosterCodeRow, 0)
	widths := map[string]float64{"A": 6, "B": 30, "C": 22, "D": 18}
	for k, v := range widths {
		f.SetColWidth(sh, k, k, v)
	}
	f.SetColWidth(sh, "E", "I", 8)
	f.SetColWidth(sh, "J", "K", 14)
	f.SetColWidth(sh, "L", "L", 24)
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, XSplit: 2, YSplit: rosterCodeRow, TopLeftCell: cell(3, first), ActivePane: "bottomRight"}); err != nil {
		return err
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$%d", sh, rosterHeaderRow), Scope: sh}); err != nil {
		return err
	}
	return g.protect(sh, "landscape", 1, 0)
}

// prefillRoster writes the enterprises of spec.Roster from the first data row on: sequence number,
// name, credit code, cluster name and tags; the figures stay blank for the clerk.
func (g *gen) prefillRoster(cols []Column) error {
	names := map[string]string{}
	for _, c := range g.clusters {
		names[c.Code] = c.Name
	}
	col := map[string]int{}
	for i, c := range cols {
		col[c.Code] = i + 1
	}
	row := rosterFirstRow
	for _, e := range g.spec.Roster {
		cl, ok := names[e.Cluster]
		if !ok || row >= rosterFirstRow+RosterRows {
			continue
		}
		vals := map[string]any{"seq": row - rosterFirstRow + 1, "name": e.Name, "uscc": e.USCC, "cluster": cl}
		for _, t := range e.Tags {
			vals["tag:"+t] = "是"
		}
		for code, v := range vals {
			if c, ok := col[code]; ok {
				if err := g.f.SetCellValue(SheetRoster, cell(c, row), v); err != nil {
					return err
				}
			}
		}
		row++
	}
	return nil
}

func (g *gen) issueSheet() error {
	f, sh := g.f, SheetIssues
	if _, err := f.NewSheet(sh); err != nil {
		return err
	}
	cols := issueColumns()
	first, last := issueFirstRow, issueFirstRow+issueRows-1
	if err := f.SetColStyle(sh, "A:"+colName(len(cols)), g.text); err != nil {
		return err
	}
	g.titleRow(sh, len(cols), fmt.Sprintf("%s %s 问题台账", g.spec.Org.Name, g.spec.Period.Label()))
	g.writeHeader(sh, issueHeaderRow, cols, issueCodeRow, 0)
	if err := g.listValidation(sh, fmt.Sprintf("C%d:C%d", first, last), IssueCategories, "问题类别"); err != nil {
		return err
	}
	if err := g.listValidation(sh, fmt.Sprintf("F%d:F%d", first, last), lingpao.IssueStatuses, "办理状态"); err != nil {
		return err
	}
	if err := g.prefillIssues(cols); err != nil {
		return err
	}
	f.SetColWidth(sh, "A", "A", 6)
	f.SetColWidth(sh, "B", "B", 44)
	f.SetColWidth(sh, "C", "F", 14)
	f.SetColWidth(sh, "G", "H", 12)
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: issueCodeRow, TopLeftCell: cell(1, first), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	return g.protect(sh, "landscape", 1, 0)
}

// prefillIssues writes spec.Issues from the first data row on: the sequence number and description
// locked (grey), the other fields open for the county to update; the city's note is a comment on the
// status cell.
func (g *gen) prefillIssues(cols []Column) error {
	f, sh := g.f, SheetIssues
	col := map[string]int{}
	for i, c := range cols {
		col[c.Code] = i + 1
	}
	for i, is := range g.spec.Issues {
		if i >= issueRows {
			break
		}
		row := issueFirstRow + i
		vals := map[string]any{"seq": i + 1, "description": is.Description, "category": is.Category, "enterprise": is.Enterprise,
			"department": is.Department, "status": is.Status, "raised": is.Raised, "closed": is.Closed}
		for code, v := range vals {
			c, ok := col[code]
			if !ok || v == "" {
				continue
			}
			if err := f.SetCellValue(sh, cell(c, row), v); err != nil {
				return err
			}
		}
		if err := f.SetCellStyle(sh, cell(col["seq"], row), cell(col["description"], row), g.lockedWrap); err != nil {
			return err
		}
		// Two lines: a description or an enterprise name longer than its column wraps.
		if err := f.SetRowHeight(sh, row, 30); err != nil {
			return err
		}
		if is.Note != "" {
			if err := f.AddComment(sh, excelize.Comment{Cell: cell(col["status"], row), Author: "市级问题台账",
				Paragraph: []excelize.RichTextRun{{Text: is.Note}}}); err != nil {
				return err
			}
		}
	}
	return nil
}

// metaKeys are the rows of the metadata sheet, in order.
var metaKeys = []string{"template_version", "org_code", "org_name", "period", "generated_at", "layout", "hash"}

func (g *gen) meta() error {
	f, sh := g.f, SheetMeta
	if _, err := f.NewSheet(sh); err != nil {
		return err
	}
	m := Meta{
		TemplateVersion: Version,
		Org:             g.spec.Org.Code,
		OrgName:         g.spec.Org.Name,
		Period:          g.spec.Period.String(),
		Generated:       g.spec.Generated.UTC().Format(time.RFC3339),
		Layout:          layoutSignature(g.cat, g.clusters),
	}
	m.Hash = m.sign(g.spec.Secret)
	vals := []string{m.TemplateVersion, m.Org, m.OrgName, m.Period, m.Generated, m.Layout, m.Hash}
	for i, k := range metaKeys {
		f.SetCellValue(sh, cell(1, i+1), k)
		f.SetCellValue(sh, cell(2, i+1), vals[i])
	}
	if err := f.ProtectSheet(sh, &excelize.SheetProtectionOptions{Password: sheetPassword}); err != nil {
		return err
	}
	return f.SetSheetVisible(sh, false, true)
}

// Meta is the content of the hidden metadata sheet.
type Meta struct {
	TemplateVersion string
	Org, OrgName    string
	Period          string
	Generated       string
	// Layout is a digest of the code rows and prefilled clusters the template was generated with.
	Layout string
	Hash   string
}

// sign returns the keyed hash over the metadata, so that a file cannot be moved to another county or
// period, nor its layout edited, without detection.
func (m Meta) sign(secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	io.WriteString(mac, strings.Join([]string{m.TemplateVersion, m.Org, m.Period, m.Generated, m.Layout}, "\x1f"))
	return hex.EncodeToString(mac.Sum(nil))
}

// layoutSignature digests the code rows of the data sheets and the prefilled clusters.
func layoutSignature(cat *lingpao.Catalog, clusters []lingpao.Cluster) string {
	h := sha256.New()
	for _, cols := range [][]Column{clusterColumns(cat), rosterColumns(), issueColumns()} {
		for _, c := range cols {
			io.WriteString(h, c.Code+",")
		}
		io.WriteString(h, "|")
	}
	for _, c := range clusters {
		io.WriteString(h, c.Code+",")
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}
