package templates

import (
	"bytes"
	"crypto/hmac"
	"fmt"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"lingpao"
)

// Return is a county return read back from a filled template.
type Return struct {
	Meta    Meta
	Org     string
	Period  lingpao.Period
	Contact string
	Phone   string
	// Clusters are the rows of the cluster sheet; Values its numbers, one per cluster and indicator
	// reported, with their cells. The validation rules are not applied here: lingpao.CheckReturn
	// applies them to Check's view of the return.
	Clusters    []lingpao.ClusterRow
	Values      []lingpao.Value
	Enterprises []lingpao.Enterprise
	Issues      []lingpao.Issue
	// Unreadable holds the cells (lingpao.UnreadableKey) whose content could not be read as their
	// column's type; each has a finding.
	Unreadable map[string]bool
}

// Check returns the return as the rule engine sees it; the caller adds the cross-period and
// cross-county context (Previous, Elsewhere).
func (r *Return) Check(cat *lingpao.Catalog) lingpao.ReturnCheck {
	return lingpao.ReturnCheck{
		Org: r.Org, Period: r.Period, Layout: Layout(cat),
		Guide:    map[string]string{lingpao.FieldContact: r.Contact, lingpao.FieldPhone: r.Phone},
		Clusters: r.Clusters, Values: r.Values, Unreadable: r.Unreadable, Enterprises: r.Enterprises, Issues: r.Issues,
	}
}

// Limits protect the reader against hostile files.
type Limits struct {
	// UnzipSize bounds the total uncompressed size of the workbook, and of any one sheet streamed
	// (zip bombs).
	UnzipSize int64
	// UnzipXMLSize bounds a part read whole into memory (workbook, shared strings, styles).
	UnzipXMLSize int64
}

// DefaultLimits allow generous real returns (a 20,000-enterprise roster is about 10 MB) and stop bombs.
func DefaultLimits() Limits { return Limits{UnzipSize: 256 << 20, UnzipXMLSize: 64 << 20} }

// Read parses a filled return; name is the file's name, whose extension only tells a WPS .et from an
// .xls. File-level problems (not an .xlsx, not our template, another version, a failed hash, an edited
// structure) come back as error findings with a nil Return; cell problems come back as findings beside
// the Return. err is only for faults of ours.
func Read(data []byte, name string, cat *lingpao.Catalog, secret string, lim Limits) (ret *Return, findings []lingpao.Finding, err error) {
	defer func() {
		// A file that trips a bug of ours still gets an answer, and the batch goes on.
		if p := recover(); p != nil {
			ret, findings, err = nil, []lingpao.Finding{fileFinding("file.unreadable", "系统读取此文件时出错：请用 Excel 打开后另存为新的 .xlsx 文件再报送；如仍不行，请联系市工信局。")}, nil
		}
	}()
	if f, ok := sniff(data, name); !ok {
		return nil, []lingpao.Finding{f}, nil
	}
	zr, f, ok := checkZip(data, lim)
	if !ok {
		return nil, []lingpao.Finding{f}, nil
	}
	b, err := openBook(zr, lim)
	if err != nil {
		return nil, []lingpao.Finding{packageFailure(err)}, nil
	}
	r := &reader{b: b, data: data, lim: lim, cat: cat, ret: &Return{Unreadable: map[string]bool{}}}
	defer r.close()
	if !r.meta(secret) || !r.sheets() {
		return nil, r.findings, nil
	}
	for _, step := range []func(){r.guide, r.clusterSheet, r.roster, r.issues} {
		if step(); r.fatal {
			return nil, r.findings, nil
		}
	}
	return r.ret, r.findings, nil
}

type reader struct {
	b        *book
	data     []byte
	lim      Limits
	cat      *lingpao.Catalog
	ret      *Return
	findings []lingpao.Finding
	// fatal is set by a structural error: the rest of the file cannot be trusted.
	fatal    bool
	clusters map[string]lingpao.Cluster // the org's clusters by code
	byName   map[string]string          // cluster name → code
	// calc evaluates formulas that have no cached value; opened on first need.
	calc    *excelize.File
	calcErr error
	// at is byColumn's slice.
	at []*xcell
}

func (r *reader) close() {
	if r.calc != nil {
		r.calc.Close()
	}
}

func (r *reader) add(sev lingpao.Severity, rule, sheet, cell, value, msg string) {
	r.findings = append(r.findings, lingpao.Finding{Severity: sev, Rule: rule, Sheet: sheet, Cell: cell, Value: value, Message: msg})
	if strings.HasPrefix(rule, "structure.") {
		r.fatal = true
	}
}

// bad reports a cell that cannot be read as its column's type.
func (r *reader) bad(rule, sheet, cell, value, msg string) {
	r.add(lingpao.SevError, rule, sheet, cell, value, msg)
	r.ret.Unreadable[lingpao.UnreadableKey(sheet, cell)] = true
}

// stream reads a sheet row by row. A sheet that cannot be decoded — damaged compressed data, broken
// XML, beyond the unzip limit — makes the file unreadable.
func (r *reader) stream(sheet string, fn func(row int, cells []xcell) error) {
	if err := r.b.stream(sheet, fn); err != nil {
		f := packageFailure(err)
		f.Sheet = sheet
		r.findings = append(r.findings, f)
		r.fatal = true
	}
}

func (r *reader) meta(secret string) bool {
	if _, ok := r.b.sheet(SheetMeta); !ok {
		r.add(lingpao.SevError, "meta.missing", "", "", "", "文件不是系统下发的报表模板（缺少模板元数据）：请使用 lingpao 下发的本单位本期模板填报，不要新建或复制表格。")
		return false
	}
	got := map[string]string{}
	r.stream(SheetMeta, func(row int, cells []xcell) error {
		if row > len(metaKeys) {
			return errStop
		}
		var k, v string
		for i := range cells {
			switch cells[i].col {
			case 1:
				k = cells[i].text
			case 2:
				v = cells[i].text
			}
		}
		got[k] = v
		return nil
	})
	if r.fatal {
		return false
	}
	m := Meta{TemplateVersion: got["template_version"], Org: got["org_code"], OrgName: got["org_name"], Period: got["period"], Generated: got["generated_at"], Layout: got["layout"], Hash: got["hash"]}
	r.ret.Meta = m
	if m.TemplateVersion != Version {
		r.add(lingpao.SevError, "meta.version", SheetMeta, "B1", m.TemplateVersion, fmt.Sprintf("模板版本“%s”已停用（当前为 %s）：请下载本期最新模板，把数据复制过去后重新报送。", m.TemplateVersion, Version))
		return false
	}
	if !hmac.Equal([]byte(m.Hash), []byte(m.sign(secret))) {
		r.add(lingpao.SevError, "meta.hash", SheetMeta, "", "", "模板校验失败：文件的隐藏元数据被修改，或模板不是本系统为本单位下发的。请使用本系统下发的本单位本期模板重新填报。")
		return false
	}
	u, ok := r.cat.Tree.Unit(m.Org)
	if !ok {
		r.add(lingpao.SevError, "meta.org", SheetMeta, "B2", m.Org, fmt.Sprintf("模板中的单位编码 %s 不在本市组织机构中：请使用本单位的模板。", m.Org))
		return false
	}
	p, err := lingpao.ParsePeriod(m.Period)
	if err != nil || p.Kind != lingpao.Month {
		r.add(lingpao.SevError, "meta.period", SheetMeta, "B4", m.Period, "模板中的报送期间无效：请下载本期模板重新填报。")
		return false
	}
	r.ret.Org, r.ret.Period = u.Code, p
	r.clusters, r.byName = map[string]lingpao.Cluster{}, map[string]string{}
	cl := r.cat.ClustersOf(u.Code)
	for _, c := range cl {
		r.clusters[c.Code] = c
		r.byName[c.Name] = c.Code
	}
	if m.Layout != layoutSignature(r.cat, cl) {
		r.add(lingpao.SevError, "meta.layout", SheetMeta, "", "", "模板已过期：指标或集群设置在模板下发后有调整。请下载本期最新模板，把数据复制过去后重新报送。")
		return false
	}
	return true
}

// sheets checks that the data sheets exist: a deleted or renamed sheet rejects the file, with the
// rename spelt out when it is clear; an extra sheet is only noted.
func (r *reader) sheets() bool {
	ours := []string{SheetGuide, SheetClusters, SheetRoster, SheetIssues, SheetMeta}
	var missing, extra []string
	for _, name := range ours {
		if _, ok := r.b.sheet(name); !ok {
			missing = append(missing, name)
		}
	}
	for _, s := range r.b.sheets {
		if !contains(ours, s.name) {
			extra = append(extra, s.name)
		}
	}
	switch {
	case len(missing) == 1 && len(extra) == 1:
		r.add(lingpao.SevError, "structure.sheet", extra[0], "", extra[0], fmt.Sprintf("工作表「%s」被改名为「%s」：请把工作表名称改回「%s」后重新报送（工作表名称是模板的一部分）。", missing[0], extra[0], missing[0]))
	case len(missing) > 0:
		r.add(lingpao.SevError, "structure.sheet", "", "", strings.Join(missing, "、"), fmt.Sprintf("缺少工作表「%s」（可能被删除或改名）：请使用下发的模板重新填报，不要删除工作表或修改工作表名称。", strings.Join(missing, "」「")))
	default:
		for _, name := range extra {
			r.add(lingpao.SevWarning, "sheet.extra", name, "", "", fmt.Sprintf("工作表「%s」不是模板的一部分，其中的内容不会被读取：如有需要报送的数据，请填入模板相应的表中。", name))
		}
	}
	return len(missing) == 0
}

func contains(set []string, s string) bool {
	for _, x := range set {
		if x == s {
			return true
		}
	}
	return false
}

// checkCodes compares a sheet's hidden code row with the contract. A deleted, inserted or moved
// column — or a deleted code row — is a structural error that rejects the file, described as what
// was done to which column.
func (r *reader) checkCodes(sheet string, codeRow, headerRow int, cols []Column, cells []xcell) bool {
	got := make([]string, len(cols)+2)
	any := false
	for i := range cells {
		if c := cells[i].col; c <= len(got) {
			got[c-1] = strings.TrimSpace(cells[i].text)
			any = any || got[c-1] != ""
		}
	}
	pos := map[string]int{}
	for i, g := range got {
		if _, dup := pos[g]; g != "" && !dup {
			pos[g] = i
		}
	}
	for i, c := range cols {
		if got[i] == c.Code {
			continue
		}
		at := c.Letter + strconv.Itoa(headerRow)
		var msg string
		j, found := pos[c.Code]
		switch {
		case !any || (len(pos) < len(cols)/2 && !found):
			msg = fmt.Sprintf("第 %d 行（隐藏的列标识行）被删除或清空：请使用下发的模板重新填报，不要删除行。", codeRow)
			at = ""
		case !found:
			msg = fmt.Sprintf("「%s」列（原第 %s 列）被删除了：请使用下发的模板重新填报，不要删除列。", c.Name, c.Letter)
		case j == i+1 && (got[i] == "" || pos[got[i]] == i && !codeOf(cols, got[i])):
			msg = fmt.Sprintf("在第 %s 列（「%s」之前）插入了一列：请删除插入的列，或使用下发的模板重新填报。", c.Letter, c.Name)
		default:
			msg = fmt.Sprintf("「%s」列被移动到了第 %s 列（原在第 %s 列）：请使用下发的模板重新填报，不要移动列。", c.Name, colName(j+1), c.Letter)
		}
		r.add(lingpao.SevError, "structure.column", sheet, at, got[i], msg)
		return false
	}
	return true
}

func codeOf(cols []Column, code string) bool {
	for _, c := range cols {
		if c.Code == code {
			return true
		}
	}
	return false
}

// byColumn indexes a row's cells by column number (1-based) up to n columns, in a slice reused from
// row to row: valid until the next call.
func (r *reader) byColumn(cells []xcell, n int) []*xcell {
	out := r.at[:0]
	for range n + 1 {
		out = append(out, nil)
	}
	r.at = out
	for i := range cells {
		if c := cells[i].col; c <= n {
			out[c] = &cells[i]
		}
	}
	return out
}

// beyond reports, once per sheet, content to the right of the contract's columns.
func (r *reader) beyond(sheet string, cells []xcell, n int, warned *bool) {
	if *warned {
		return
	}
	for i := range cells {
		if cells[i].col > n && strings.TrimSpace(cells[i].text) != "" {
			*warned = true
			r.add(lingpao.SevWarning, "cell.outside", sheet, cells[i].ref(), cells[i].text, fmt.Sprintf("第 %s 列不在模板范围内（模板只到第 %s 列），其中的内容不会被读取：如是需要报送的数据，请填入模板对应的列。", colName(cells[i].col), colName(n)))
			return
		}
	}
}

func (r *reader) guide() {
	r.stream(SheetGuide, func(row int, cells []xcell) error {
		for i := range cells {
			switch cells[i].ref() {
			case CellContact:
				r.ret.Contact = normalize(r.text(SheetGuide, &cells[i]))
			case CellPhone:
				r.ret.Phone = normalize(r.text(SheetGuide, &cells[i]))
			}
		}
		if row >= 10 {
			return errStop
		}
		return nil
	})
}

func (r *reader) clusterSheet() {
	cols := clusterColumns(r.cat)
	seen := map[string]bool{}
	warned := false
	r.stream(SheetClusters, func(n int, cells []xcell) error {
		switch {
		case n == clusterCodeRow:
			if !r.checkCodes(SheetClusters, clusterCodeRow, clusterHeaderRow, cols, cells) {
				return errStop
			}
			return nil
		case n < clusterFirstRow:
			return nil
		}
		r.beyond(SheetClusters, cells, len(cols), &warned)
		at := r.byColumn(cells, len(cols))
		code := ""
		if at[1] != nil {
			code = normalize(r.text(SheetClusters, at[1]))
		}
		if code == "" {
			for _, c := range at[2:] {
				if c != nil && strings.TrimSpace(r.text(SheetClusters, c)) != "" {
					r.add(lingpao.SevWarning, "cell.extra_row", SheetClusters, fmt.Sprintf("A%d", n), "", fmt.Sprintf("第 %d 行不是预填的集群行（如“合计”行），其中的内容不会被读取：合计由系统自动计算，请勿填写。", n))
					break
				}
			}
			return nil
		}
		c, ok := r.clusters[code]
		if !ok {
			r.bad("cluster.unknown", SheetClusters, fmt.Sprintf("A%d", n), code, fmt.Sprintf("集群编码 %s 不属于本单位：集群行是预填内容，请勿修改或增加。", code))
			return nil
		}
		seen[code] = true
		row := lingpao.ClusterRow{Code: code, Name: c.Name, Row: n}
		for i, col := range cols {
			if i < len(clusterLead) || at[i+1] == nil {
				continue
			}
			if col.Code == lingpao.FieldRemark {
				row.Remark = strings.TrimSpace(r.text(SheetClusters, at[i+1]))
				continue
			}
			if v, ok := r.number(SheetClusters, at[i+1], col, c.Name); ok {
				r.ret.Values = append(r.ret.Values, lingpao.Value{Org: r.ret.Org, Cluster: code, Indicator: col.Code, Period: r.ret.Period, V: v, Sheet: SheetClusters, Cell: at[i+1].ref()})
			}
		}
		r.ret.Clusters = append(r.ret.Clusters, row)
		return nil
	})
	if r.fatal {
		return
	}
	for _, c := range r.cat.ClustersOf(r.ret.Org) {
		if !seen[c.Code] {
			r.add(lingpao.SevError, "cluster.missing", SheetClusters, "", c.Code, fmt.Sprintf("缺少集群「%s」所在的行（可能被删除）：请使用下发的模板重新填报，不要删除集群行。", c.Name))
		}
	}
}

// yesMarks and noMarks are what counties write in a tag column.
var (
	yesMarks = map[string]bool{"是": true, "√": true, "✓": true, "✔": true, "Y": true, "YES": true, "1": true, "TRUE": true}
	noMarks  = map[string]bool{"": true, "否": true, "N": true, "NO": true, "0": true, "×": true, "FALSE": true}
)

func (r *reader) roster() {
	cols := rosterColumns()
	idx := map[string]int{}
	for i, c := range cols {
		idx[c.Code] = i + 1
	}
	warned := false
	r.stream(SheetRoster, func(n int, cells []xcell) error {
		switch {
		case n == rosterCodeRow:
			if !r.checkCodes(SheetRoster, rosterCodeRow, rosterHeaderRow, cols, cells) {
				return errStop
			}
			return nil
		case n < rosterFirstRow:
			return nil
		}
		r.beyond(SheetRoster, cells, len(cols), &warned)
		at := r.byColumn(cells, len(cols))
		text := func(code string) string {
			if c := at[idx[code]]; c != nil {
				return strings.TrimSpace(r.text(SheetRoster, c))
			}
			return ""
		}
		empty := true
		for i := 2; i <= len(cols); i++ {
			if at[i] != nil && strings.TrimSpace(r.text(SheetRoster, at[i])) != "" {
				empty = false
				break
			}
		}
		if empty {
			return nil
		}
		e := lingpao.Enterprise{Name: normalizeName(text(lingpao.FieldName)), Row: n, Remark: text(lingpao.FieldRemark)}
		rowName := e.Name
		if rowName == "" {
			rowName = fmt.Sprintf("第%d行", n)
		}
		if c := at[idx[lingpao.FieldUSCC]]; c != nil {
			if (c.typ == "" || c.typ == "n") && !c.formula && strings.TrimSpace(c.text) != "" {
				r.bad("roster.uscc_number", SheetRoster, c.ref(), c.text, fmt.Sprintf("「%s」的统一社会信用代码被 Excel 当成了数字，后几位可能已丢失：请把该单元格设为“文本”格式后重新输入18位代码。", rowName))
			} else {
				e.USCC = strings.ToUpper(strings.Join(strings.Fields(normalize(r.text(SheetRoster, c))), ""))
			}
		}
		switch cl := normalize(text(lingpao.FieldCluster)); {
		case cl == "":
		case r.byName[cl] != "":
			e.Cluster = r.byName[cl]
		case r.clusters[cl].Code != "":
			e.Cluster = cl
		default:
			r.bad("roster.cluster", SheetRoster, at[idx[lingpao.FieldCluster]].ref(), cl, fmt.Sprintf("「%s」的所属集群“%s”不是本单位的集群：请从下拉列表选择。", rowName, cl))
		}
		for _, tag := range lingpao.EnterpriseTags {
			c := at[idx["tag:"+tag]]
			if c == nil {
				continue
			}
			switch v := strings.ToUpper(normalize(r.text(SheetRoster, c))); {
			case yesMarks[v]:
				e.Tags = append(e.Tags, tag)
			case noMarks[v]:
			default:
				r.bad("cell.tag", SheetRoster, c.ref(), v, fmt.Sprintf("「%s」的“%s”列应填“是”或留空，现为“%s”，系统不能确定是否属于%s：请改为“是”或清空。", rowName, tag, v, tag))
			}
		}
		for _, fld := range []struct {
			code string
			dst  **float64
		}{{lingpao.FieldRevenue, &e.Revenue}, {lingpao.FieldRnD, &e.RnD}} {
			if c := at[idx[fld.code]]; c != nil {
				if v, ok := r.number(SheetRoster, c, cols[idx[fld.code]-1], rowName); ok {
					*fld.dst = &v
				}
			}
		}
		r.ret.Enterprises = append(r.ret.Enterprises, e)
		return nil
	})
}

// normalizeName folds full-width forms and runs of spaces in an enterprise name, so that "华 恒 科技"
// typed twice matches itself; brackets stay as written.
func normalizeName(s string) string {
	return strings.Join(strings.Fields(normalize(s)), " ")
}

func (r *reader) issues() {
	cols := issueColumns()
	r.stream(SheetIssues, func(n int, cells []xcell) error {
		switch {
		case n == issueCodeRow:
			if !r.checkCodes(SheetIssues, issueCodeRow, issueHeaderRow, cols, cells) {
				return errStop
			}
			return nil
		case n < issueFirstRow:
			return nil
		}
		at := r.byColumn(cells, len(cols))
		vals := make([]string, len(cols)+1)
		any := false
		for i := 2; i <= len(cols); i++ {
			if at[i] != nil {
				vals[i] = strings.TrimSpace(r.text(SheetIssues, at[i]))
				any = any || vals[i] != ""
			}
		}
		if !any {
			return nil
		}
		is := lingpao.Issue{Description: vals[2], Category: vals[3], Enterprise: vals[4], Department: vals[5], Status: vals[6], Row: n}
		for _, chk := range []struct {
			col  int
			v    string
			list []string
			what string
		}{{3, is.Category, IssueCategories, "问题类别"}, {6, is.Status, lingpao.IssueStatuses, "办理状态"}} {
			if chk.v != "" && !contains(chk.list, chk.v) {
				r.add(lingpao.SevWarning, "cell.choice", SheetIssues, at[chk.col].ref(), chk.v, fmt.Sprintf("问题台账第 %d 行的%s“%s”不在下拉列表中（%s）：请从下拉列表选择。", n, chk.what, chk.v, strings.Join(chk.list, "、")))
			}
		}
		is.Raised = r.date(SheetIssues, at[7])
		is.Closed = r.date(SheetIssues, at[8])
		r.ret.Issues = append(r.ret.Issues, is)
		return nil
	})
}

// calculator returns the workbook opened for formula evaluation, opening it on first need.
func (r *reader) calculator() (*excelize.File, error) {
	if r.calc == nil && r.calcErr == nil {
		r.calc, r.calcErr = excelize.OpenReader(bytes.NewReader(r.data), excelize.Options{RawCellValue: true, UnzipSizeLimit: r.lim.UnzipSize, UnzipXMLSizeLimit: r.lim.UnzipXMLSize})
	}
	return r.calc, r.calcErr
}

// evaluate calculates a formula cell that carries no cached value (openpyxl saves formulas so).
func (r *reader) evaluate(sheet, ref string) (v string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("evaluate %s!%s: %v", sheet, ref, p)
		}
	}()
	f, err := r.calculator()
	if err != nil {
		return "", err
	}
	return f.CalcCellValue(sheet, ref, excelize.Options{RawCellValue: true})
}
