package templates

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

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
	// Values holds the cluster sheet's numbers, one per cluster and indicator, with their cells.
	Values      []lingpao.Value
	Enterprises []lingpao.Enterprise
	Issues      []lingpao.Issue
	// Remarks holds the 备注（情况说明）cell of each cluster row, by cluster code, with its cell.
	Remarks map[string]Remark
}

// Remark is the explanation a county wrote in a cluster row.
type Remark struct {
	Text string
	Cell string
}

// Limits protect the reader against hostile files.
type Limits struct {
	// UnzipSize bounds the total uncompressed size of the workbook (zip bombs).
	UnzipSize int64
	// UnzipXMLSize bounds one sheet's XML held in memory; larger sheets stream from a temp file.
	UnzipXMLSize int64
}

// DefaultLimits allow generous real returns (a 3,000-enterprise roster is a few MB) and stop bombs.
func DefaultLimits() Limits { return Limits{UnzipSize: 256 << 20, UnzipXMLSize: 64 << 20} }

// Read parses a filled return. File-level problems (not an .xlsx, not our template, another version,
// a failed hash, an edited layout) come back as error findings with a nil Return; cell problems come
// back as findings beside the Return. err is only for faults of ours.
func Read(data []byte, cat *lingpao.Catalog, secret string, lim Limits) (*Return, []lingpao.Finding, error) {
	if f, ok := sniff(data); !ok {
		return nil, []lingpao.Finding{f}, nil
	}
	if f, ok := checkZip(data, lim); !ok {
		return nil, []lingpao.Finding{f}, nil
	}
	x, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true, UnzipSizeLimit: lim.UnzipSize, UnzipXMLSizeLimit: lim.UnzipXMLSize})
	if err != nil {
		return nil, []lingpao.Finding{openFailure(err)}, nil
	}
	defer x.Close()
	r := &reader{x: x, cat: cat, ret: &Return{Remarks: map[string]Remark{}}}
	if !r.meta(secret) {
		return nil, r.findings, nil
	}
	r.guide()
	r.clusterRows()
	r.roster()
	r.issues()
	if r.fatal {
		return nil, r.findings, nil
	}
	return r.ret, r.findings, nil
}

// fileFinding is a finding about the whole file.
func fileFinding(rule, msg string) lingpao.Finding {
	return lingpao.Finding{Severity: lingpao.SevError, Rule: rule, Message: msg}
}

// sniff recognises what a file really is from its first bytes, whatever its name says.
func sniff(b []byte) (lingpao.Finding, bool) {
	switch {
	case len(b) == 0:
		return fileFinding("file.empty", "文件是空的（0 字节），可能复制未完成或保存失败：请重新保存后再放入收件箱。"), false
	case bytes.HasPrefix(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		if bytes.Contains(b, utf16("EncryptionInfo")) || bytes.Contains(b, utf16("EncryptedPackage")) {
			return fileFinding("file.encrypted", "文件设置了打开密码，系统无法读取：请在 Excel/WPS 中取消密码（文件→信息→保护工作簿→用密码进行加密，清空密码）后另存为 .xlsx 重新报送。"), false
		}
		return fileFinding("file.xls", "这是旧版 Excel（.xls）或 WPS（.et）格式的文件：请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（*.xlsx）格式，再重新报送。"), false
	case bytes.HasPrefix(b, []byte("PK\x03\x04")):
		return lingpao.Finding{}, true
	case looksLikeText(b):
		return fileFinding("file.csv", "这是文本（CSV）文件，不是 Excel 工作簿，可能只是改了扩展名：请在下发的 .xlsx 模板中填报，用 Excel 保存为 .xlsx 后重新报送。"), false
	}
	return fileFinding("file.unknown", "无法识别的文件格式（不是 Excel .xlsx 工作簿）：请使用下发的模板填报并保存为 .xlsx 格式。"), false
}

func utf16(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), 0)
	}
	return b
}

func looksLikeText(b []byte) bool {
	n := min(len(b), 4096)
	for _, c := range b[:n] {
		if c == 0 {
			return false
		}
	}
	return true
}

// checkZip looks inside the zip before excelize does: a truncated or corrupt archive, a zip bomb
// (declared sizes beyond the limit, or an absurd compression ratio), and zips that are not workbooks
// (.ods, .docx renamed) each get their own explanation.
func checkZip(b []byte, lim Limits) (lingpao.Finding, bool) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return fileFinding("file.corrupt", "文件已损坏或不完整（压缩包结构错误，可能复制中断）：请用 Excel 打开确认无误后重新保存，再放入收件箱。"), false
	}
	var total uint64
	names := map[string]bool{}
	for _, f := range zr.File {
		names[strings.ToLower(f.Name)] = true
		total += f.UncompressedSize64
		if f.UncompressedSize64 > 1<<20 && f.CompressedSize64 > 0 && f.UncompressedSize64/f.CompressedSize64 > 200 {
			return fileFinding("file.bomb", "文件内部数据异常（压缩比异常，疑似“压缩炸弹”），系统拒绝读取：请使用下发的模板重新填报。"), false
		}
	}
	if total > uint64(lim.UnzipSize) {
		return fileFinding("file.too_large", "文件解压后过大（超过安全上限），疑似异常文件：请检查是否粘贴了大量图片或无关内容，删除后另存为 .xlsx 重新报送。"), false
	}
	switch {
	case names["mimetype"] && names["content.xml"]:
		return fileFinding("file.ods", "这是 OpenDocument（.ods）表格：请用 WPS、LibreOffice 或 Excel“另存为”Excel 工作簿（*.xlsx）格式后重新报送。"), false
	case !names["xl/workbook.xml"]:
		return fileFinding("file.not_xlsx", "文件不是 Excel 工作簿（可能是 Word 文档或其他压缩包改了扩展名）：请在下发的 .xlsx 模板中填报。"), false
	}
	return lingpao.Finding{}, true
}

// openFailure explains why excelize could not open a zip-shaped file.
func openFailure(err error) lingpao.Finding {
	switch {
	case errors.Is(err, excelize.ErrWorkbookFileFormat):
		return fileFinding("file.not_xlsx", "文件不是有效的 Excel 工作簿（.xlsx）：请用 Excel 或 WPS 打开模板填报后另存为 .xlsx 重新报送。")
	}
	return fileFinding("file.corrupt", "文件已损坏或不完整，无法打开（可能复制中断）：请用 Excel 打开确认无误后重新保存，再放入收件箱。")
}

type reader struct {
	x        *excelize.File
	cat      *lingpao.Catalog
	ret      *Return
	findings []lingpao.Finding
	fatal    bool
	clusters map[string]lingpao.Cluster // the org's clusters by code
	byName   map[string]string          // cluster name → code
}

func (r *reader) add(sev lingpao.Severity, rule, sheet, cell, value, msg string) {
	r.findings = append(r.findings, lingpao.Finding{Severity: sev, Rule: rule, Sheet: sheet, Cell: cell, Value: value, Message: msg})
	if rule == "structure" {
		r.fatal = true
	}
}

// value returns a cell's raw value; a formula without a cached result is evaluated.
func (r *reader) value(sheet, cell string) string {
	v, err := r.x.GetCellValue(sheet, cell)
	if err != nil {
		return ""
	}
	if v == "" {
		if fm, _ := r.x.GetCellFormula(sheet, cell); fm != "" {
			if cv, err := r.x.CalcCellValue(sheet, cell, excelize.Options{RawCellValue: true}); err == nil {
				return cv
			}
			r.add(lingpao.SevError, "cell.formula", sheet, cell, "="+fm, "公式无法计算：请把该单元格改为直接填写数值。")
		}
	}
	return v
}

func (r *reader) meta(secret string) bool {
	idx, err := r.x.GetSheetIndex(SheetMeta)
	if err != nil || idx < 0 {
		r.add(lingpao.SevError, "meta.missing", "", "", "", "文件不是系统下发的报表模板（缺少模板元数据）：请使用 lingpao 下发的本期模板填报，不要新建或复制表格。")
		return false
	}
	get := func(i int) string { v, _ := r.x.GetCellValue(SheetMeta, cell(2, i+1)); return v }
	m := Meta{TemplateVersion: get(0), Org: get(1), OrgName: get(2), Period: get(3), Generated: get(4), Layout: get(5), Hash: get(6)}
	r.ret.Meta = m
	if m.TemplateVersion != Version {
		r.add(lingpao.SevError, "meta.version", SheetMeta, "B1", m.TemplateVersion, fmt.Sprintf("模板版本 %s 已停用（当前为 %s）：请下载本期最新模板重新填报。", m.TemplateVersion, Version))
		return false
	}
	if !hmacEqual(m.Hash, m.sign(secret)) {
		r.add(lingpao.SevError, "meta.hash", SheetMeta, "", "", "模板校验失败：文件的隐藏元数据被修改，或模板来自其他系统/其他工作目录。请使用本系统下发的本单位本期模板重新填报。")
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
	return r.structure()
}

func hmacEqual(a, b string) bool {
	return len(a) == len(b) && subtleEqual([]byte(a), []byte(b))
}

func subtleEqual(a, b []byte) bool {
	var v byte
	for i := range a {
		v |= a[i] ^ b[i]
	}
	return v == 0
}

// structure checks that the cluster sheet still has its columns where the template put them, and
// that the streamed sheets exist; their code rows are checked while streaming (checkCodes).
func (r *reader) structure() bool {
	ok := true
	for _, name := range []string{SheetClusters, SheetRoster, SheetIssues} {
		if i, err := r.x.GetSheetIndex(name); err != nil || i < 0 {
			r.add(lingpao.SevError, "structure", name, "", "", fmt.Sprintf("缺少工作表「%s」（可能被删除或改名）：请使用下发的模板重新填报，不要修改工作表名称。", name))
			ok = false
		}
	}
	if !ok {
		return false
	}
	cols := clusterColumns(r.cat)
	codes := make([]string, len(cols))
	for i := range cols {
		codes[i], _ = r.x.GetCellValue(SheetClusters, cell(i+1, clusterCodeRow))
	}
	return r.checkCodes(SheetClusters, clusterCodeRow, cols, codes)
}

// checkCodes compares a sheet's hidden code row with the contract: a deleted, inserted or moved column
// is a structural error that rejects the file.
func (r *reader) checkCodes(sheet string, codeRow int, cols []Column, got []string) bool {
	for i, c := range cols {
		g := ""
		if i < len(got) {
			g = strings.TrimSpace(got[i])
		}
		if g == c.Code {
			continue
		}
		msg := fmt.Sprintf("第 %s 列应为「%s」，现在不是（列可能被删除、插入或移动）：请使用下发的模板重新填报，不要增删或移动列。", c.Letter, c.Name)
		r.add(lingpao.SevError, "structure", sheet, c.Letter+strconv.Itoa(codeRow-1), g, msg)
		return false
	}
	return true
}

// stream calls fn for each row of sheet from its code row on, with the row's raw values; the code row
// is checked against cols first. Rows are read one at a time (excelize's Rows), never the whole sheet.
func (r *reader) stream(sheet string, codeRow int, cols []Column, fn func(n int, vals []string)) {
	rows, err := r.x.Rows(sheet)
	if err != nil {
		r.add(lingpao.SevError, "structure", sheet, "", "", fmt.Sprintf("无法读取工作表「%s」：请使用下发的模板重新填报。", sheet))
		return
	}
	defer rows.Close()
	for n := 1; rows.Next(); n++ {
		if n < codeRow {
			continue
		}
		vals, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			r.add(lingpao.SevError, "cell.read", sheet, fmt.Sprintf("A%d", n), "", "该行无法读取：请检查是否含有异常内容。")
			continue
		}
		if n == codeRow {
			if !r.checkCodes(sheet, codeRow, cols, vals) {
				return
			}
			continue
		}
		fn(n, vals)
	}
	if err := rows.Error(); err != nil {
		r.add(lingpao.SevError, "cell.read", sheet, "", "", fmt.Sprintf("工作表「%s」读取出错，文件可能已损坏：请重新保存后报送。", sheet))
	}
}

func (r *reader) guide() {
	r.ret.Contact = strings.TrimSpace(r.value(SheetGuide, CellContact))
	r.ret.Phone = strings.TrimSpace(r.value(SheetGuide, CellPhone))
	if r.ret.Contact == "" {
		r.add(lingpao.SevWarning, "required", SheetGuide, CellContact, "", "未填写填报人：请在“填报说明”表中填写，便于联系核实。")
	}
	if r.ret.Phone == "" {
		r.add(lingpao.SevWarning, "required", SheetGuide, CellPhone, "", "未填写联系电话：请在“填报说明”表中填写。")
	}
}

func (r *reader) clusterRows() {
	cols := clusterColumns(r.cat)
	seen := map[string]bool{}
	for row := clusterFirstRow; ; row++ {
		code := strings.TrimSpace(r.value(SheetClusters, cell(1, row)))
		if code == "" {
			break
		}
		c, ok := r.clusters[code]
		if !ok {
			r.add(lingpao.SevError, "cluster.unknown", SheetClusters, cell(1, row), code, fmt.Sprintf("集群编码 %s 不属于本单位：集群行为预填内容，请勿修改或增加。", code))
			continue
		}
		seen[code] = true
		for i, col := range cols {
			if i < len(clusterLead) {
				continue
			}
			at := cell(i+1, row)
			raw := r.value(SheetClusters, at)
			if col.Code == "remark" {
				if t := strings.TrimSpace(raw); t != "" {
					r.ret.Remarks[code] = Remark{Text: t, Cell: at}
				}
				continue
			}
			ind, _ := r.cat.Indicator(col.Code)
			v, ok := r.number(SheetClusters, at, raw, ind.Name, ind.Percent(), col.Required, c.Name)
			if !ok {
				continue
			}
			if !r.bounds(SheetClusters, at, raw, v, ind) {
				continue
			}
			r.ret.Values = append(r.ret.Values, lingpao.Value{Org: r.ret.Org, Cluster: code, Indicator: ind.Code, Period: r.ret.Period, V: v, Sheet: SheetClusters, Cell: at})
		}
	}
	for code, c := range r.clusters {
		if !seen[code] {
			r.add(lingpao.SevError, "cluster.missing", SheetClusters, "", code, fmt.Sprintf("缺少集群「%s」所在行（可能被删除）：请使用下发的模板重新填报。", c.Name))
		}
	}
}

// number parses a numeric cell, adding a finding when it is invalid, or empty but required.
func (r *reader) number(sheet, at, raw, name string, percent, required bool, rowName string) (float64, bool) {
	v, st, why := ParseNumber(raw, percent)
	switch st {
	case CellInvalid:
		r.add(lingpao.SevError, "cell.number", sheet, at, raw, fmt.Sprintf("「%s」%s：%s。", rowName, name, why))
		return 0, false
	case CellMissing:
		if required {
			r.add(lingpao.SevError, "required", sheet, at, raw, fmt.Sprintf("「%s」%s为必填项，不能为空：请填写数值。", rowName, name))
		}
		return 0, false
	}
	return v, true
}

func (r *reader) bounds(sheet, at, raw string, v float64, ind lingpao.Indicator) bool {
	switch {
	case ind.Min != nil && v < *ind.Min:
		r.add(lingpao.SevError, "cell.range", sheet, at, raw, fmt.Sprintf("%s不能小于 %s%s：请核对。", ind.Name, lingpao.FormatNumber(*ind.Min, ind.Decimals), ind.Unit))
		return false
	case ind.Max != nil && v > *ind.Max:
		r.add(lingpao.SevError, "cell.range", sheet, at, raw, fmt.Sprintf("%s不能大于 %s%s：请核对单位和数值。", ind.Name, lingpao.FormatNumber(*ind.Max, ind.Decimals), ind.Unit))
		return false
	case ind.Integer && v != math.Trunc(v):
		r.add(lingpao.SevError, "cell.integer", sheet, at, raw, fmt.Sprintf("%s应为整数（单位：%s）：请核对。", ind.Name, ind.Unit))
		return false
	}
	return true
}

var yesMarks = map[string]bool{"是": true, "√": true, "✓": true, "✔": true, "Y": true, "y": true, "YES": true, "yes": true, "1": true}
var noMarks = map[string]bool{"": true, "否": true, "N": true, "n": true, "NO": true, "no": true, "0": true, "×": true}

func (r *reader) roster() {
	cols := rosterColumns()
	if r.fatal {
		return
	}
	r.stream(SheetRoster, rosterCodeRow, cols, func(n int, vals []string) {
		get := func(i int) string {
			if i < len(vals) {
				return strings.TrimSpace(vals[i])
			}
			return ""
		}
		// Formulas without cached values come back empty from the stream; evaluate those cells.
		for i := 9; i <= 10; i++ {
			if get(i) == "" && get(1) != "" {
				if v := r.value(SheetRoster, cell(i+1, n)); v != "" {
					for len(vals) <= i {
						vals = append(vals, "")
					}
					vals[i] = v
				}
			}
		}
		empty := true
		for i := 1; i < len(cols); i++ {
			if get(i) != "" {
				empty = false
				break
			}
		}
		if empty {
			return
		}
		e := lingpao.Enterprise{Name: get(1), USCC: strings.ToUpper(normalize(get(2))), Row: n, Remark: get(11)}
		rowName := e.Name
		if e.Name == "" {
			rowName = fmt.Sprintf("第%d行", n)
			r.add(lingpao.SevError, "required", SheetRoster, cell(2, n), "", fmt.Sprintf("企业名录第 %d 行有数据但未填写企业名称：请补填或删除该行内容。", n))
		}
		switch cl := normalize(get(3)); {
		case cl == "":
			r.add(lingpao.SevError, "required", SheetRoster, cell(4, n), "", fmt.Sprintf("「%s」未选择所属集群：请从下拉列表选择。", rowName))
		case r.byName[cl] != "":
			e.Cluster = r.byName[cl]
		case r.clusters[cl].Code != "":
			e.Cluster = cl
		default:
			r.add(lingpao.SevError, "roster.cluster", SheetRoster, cell(4, n), cl, fmt.Sprintf("「%s」的所属集群「%s」不是本单位的集群：请从下拉列表选择。", rowName, cl))
		}
		for ti, tag := range lingpao.EnterpriseTags {
			v := normalize(get(4 + ti))
			switch {
			case yesMarks[v]:
				e.Tags = append(e.Tags, tag)
			case noMarks[v]:
			default:
				r.add(lingpao.SevWarning, "roster.tag", SheetRoster, cell(5+ti, n), v, fmt.Sprintf("「%s」的“%s”列应填“是”或留空，现为“%s”，已按“否”处理：请核对。", rowName, tag, v))
			}
		}
		for _, fld := range []struct {
			i    int
			dst  **float64
			name string
		}{{9, &e.Revenue, "营业收入"}, {10, &e.RnD, "研发投入"}} {
			raw := get(fld.i)
			v, st, why := ParseNumber(raw, false)
			switch {
			case st == CellInvalid:
				r.add(lingpao.SevError, "cell.number", SheetRoster, cell(fld.i+1, n), raw, fmt.Sprintf("「%s」%s：%s。", rowName, fld.name, why))
			case st == CellNumber && v < 0:
				r.add(lingpao.SevError, "cell.range", SheetRoster, cell(fld.i+1, n), raw, fmt.Sprintf("「%s」%s不能为负数：请核对。", rowName, fld.name))
			case st == CellNumber:
				vv := v
				*fld.dst = &vv
			}
		}
		r.ret.Enterprises = append(r.ret.Enterprises, e)
	})
}

func (r *reader) issues() {
	if r.fatal {
		return
	}
	cols := issueColumns()
	r.stream(SheetIssues, issueCodeRow, cols, func(row int, raw []string) {
		vals := make([]string, len(cols))
		any := false
		for i := 1; i < len(cols) && i < len(raw); i++ {
			vals[i] = strings.TrimSpace(raw[i])
			any = any || vals[i] != ""
		}
		if !any {
			return
		}
		is := lingpao.Issue{Description: vals[1], Category: vals[2], Enterprise: vals[3], Department: vals[4], Status: vals[5], Row: row}
		if is.Description == "" {
			r.add(lingpao.SevWarning, "required", SheetIssues, cell(2, row), "", fmt.Sprintf("问题台账第 %d 行未填写问题描述：请补充。", row))
		}
		is.Raised = r.date(SheetIssues, cell(7, row), vals[6])
		is.Closed = r.date(SheetIssues, cell(8, row), vals[7])
		r.ret.Issues = append(r.ret.Issues, is)
	})
}

// date reads a date cell: an Excel serial, or text such as 2025-09-12, 2025/9/12 or 2025年9月12日.
func (r *reader) date(sheet, at, raw string) string {
	t := normalize(raw)
	if t == "" {
		return ""
	}
	if f, err := strconv.ParseFloat(t, 64); err == nil && f > 20000 && f < 80000 {
		d, err := excelize.ExcelDateToTime(f, false)
		if err == nil {
			return d.Format("2006-01-02")
		}
	}
	t = strings.NewReplacer("年", "-", "月", "-", "日", "", "/", "-", ".", "-").Replace(t)
	if d, err := time.Parse("2006-1-2", t); err == nil {
		return d.Format("2006-01-02")
	}
	r.add(lingpao.SevWarning, "cell.date", sheet, at, raw, "日期格式无法识别：请填写如 2025-09-12 的日期。")
	return ""
}
