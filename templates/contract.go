// Package templates makes the county return workbook (报表模板), describes its contract, and reads a
// filled one back into values, roster and issues with the cell each came from.
package templates

import (
	"fmt"

	"lingpao"
)

// Version is the template version written into every generated workbook. A file of another version
// is rejected with a message asking for the current template.
const Version = "2025.1"

// Sheet names are part of the contract with the counties.
const (
	SheetGuide    = "填报说明"
	SheetClusters = "集群指标"
	SheetRoster   = "企业名录"
	SheetIssues   = "问题台账"
	SheetMeta     = "_meta"
)

// Rows of the data sheets (1-based, as Excel shows them).
const (
	clusterHeaderRow = 2
	clusterUnitRow   = 3
	clusterCodeRow   = 4
	clusterFirstRow  = 5

	rosterHeaderRow = 2
	rosterCodeRow   = 3
	rosterFirstRow  = 4
	// RosterRows is how many roster rows the template's drop-downs and validations cover; the columns
	// are unlocked all the way down.
	RosterRows = 20000

	issueHeaderRow = 2
	issueCodeRow   = 3
	issueFirstRow  = 4
	issueRows      = 1000
)

// Cells of the guide sheet that the county fills.
const (
	CellContact = "C9"
	CellPhone   = "C10"
)

// Column is one column of a data sheet in the contract.
type Column struct {
	Letter string `json:"column"`
	Code   string `json:"code"`
	Name   string `json:"name"`
	Unit   string `json:"unit,omitempty"`
	// Type is number, integer, text, tag (是 or blank), uscc, cluster (drop-down of the county's
	// clusters), choice (drop-down of Choices) or date.
	Type      string   `json:"type"`
	Required  bool     `json:"required"`
	Kind      string   `json:"kind,omitempty"`
	Min       *float64 `json:"min,omitempty"`
	Max       *float64 `json:"max,omitempty"`
	Decimals  int      `json:"decimals,omitempty"`
	Choices   []string `json:"choices,omitempty"`
	Prefilled bool     `json:"prefilled,omitempty"`
}

// SheetContract describes one sheet: what it is for, where its header, unit row, hidden code row and
// data begin, and its columns (or, for the guide sheet, its input cells).
type SheetContract struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Hidden      bool   `json:"hidden,omitempty"`
	// Protected sheets accept input only in their unlocked (white) cells.
	Protected bool     `json:"protected"`
	HeaderRow int      `json:"header_row,omitempty"`
	UnitRow   int      `json:"unit_row,omitempty"`
	CodeRow   int      `json:"code_row,omitempty"`
	FirstRow  int      `json:"first_data_row,omitempty"`
	MaxRows   int      `json:"max_data_rows,omitempty"`
	Columns   []Column `json:"columns,omitempty"`
	Cells     []Column `json:"cells,omitempty"`
}

// Contract is the machine-readable contract of the return template (`lingpao template --describe`).
type Contract struct {
	TemplateVersion string          `json:"template_version"`
	Sheets          []SheetContract `json:"sheets"`
	Notes           []string        `json:"notes"`
}

// Fixed columns of the cluster sheet before the indicators, and after them.
var (
	clusterLead  = []Column{{Code: "cluster_code", Name: "集群编码", Type: "text", Required: true, Prefilled: true}, {Code: "cluster_name", Name: "集群名称", Type: "text", Required: true, Prefilled: true}}
	clusterTrail = []Column{{Code: "remark", Name: "备注（情况说明）", Type: "text"}}
)

// clusterColumns returns the cluster sheet's columns: lead, one per return indicator, trail.
func clusterColumns(cat *lingpao.Catalog) []Column {
	cols := append([]Column(nil), clusterLead...)
	for _, ind := range cat.ReturnIndicators() {
		t := "number"
		if ind.Integer {
			t = "integer"
		}
		cols = append(cols, Column{Code: ind.Code, Name: ind.Name, Unit: ind.Unit, Type: t, Required: ind.Required, Kind: string(ind.Kind), Min: ind.Min, Max: ind.Max, Decimals: ind.Decimals})
	}
	cols = append(cols, clusterTrail...)
	return letter(cols)
}

// RosterFields are the roster's numeric fields that roster-derived indicators sum.
const (
	RosterRevenue = "revenue"
	RosterRnD     = "rnd"
)

func rosterColumns() []Column {
	zero := 0.0
	cols := []Column{
		{Code: "seq", Name: "序号", Type: "integer"},
		{Code: "name", Name: "企业名称", Type: "text", Required: true},
		{Code: "uscc", Name: "统一社会信用代码", Type: "uscc", Required: true},
		{Code: "cluster", Name: "所属集群", Type: "cluster", Required: true},
	}
	for _, t := range lingpao.EnterpriseTags {
		cols = append(cols, Column{Code: "tag:" + t, Name: t, Type: "tag", Choices: []string{"是"}})
	}
	cols = append(cols,
		Column{Code: RosterRevenue, Name: "营业收入（本年累计）", Unit: "万元", Type: "number", Min: &zero, Decimals: 2},
		Column{Code: RosterRnD, Name: "研发投入（本年累计）", Unit: "万元", Type: "number", Min: &zero, Decimals: 2},
		Column{Code: "remark", Name: "备注", Type: "text"},
	)
	return letter(cols)
}

// IssueCategories are the drop-down values of the issue ledger's category column.
var IssueCategories = []string{"要素保障", "融资", "用地", "人才", "技术", "市场", "审批", "其他"}

func issueColumns() []Column {
	return letter([]Column{
		{Code: "seq", Name: "序号", Type: "integer"},
		{Code: "description", Name: "问题描述", Type: "text", Required: true},
		{Code: "category", Name: "问题类别", Type: "choice", Choices: IssueCategories},
		{Code: "enterprise", Name: "涉及企业", Type: "text"},
		{Code: "department", Name: "责任部门", Type: "text"},
		{Code: "status", Name: "办理状态", Type: "choice", Choices: lingpao.IssueStatuses},
		{Code: "raised", Name: "提出日期", Type: "date"},
		{Code: "closed", Name: "办结日期", Type: "date"},
	})
}

func letter(cols []Column) []Column {
	for i := range cols {
		cols[i].Letter = colName(i + 1)
	}
	return cols
}

// colName returns the Excel column letters of 1-based column n.
func colName(n int) string {
	s := ""
	for n > 0 {
		n--
		s = string(rune('A'+n%26)) + s
		n /= 26
	}
	return s
}

// guideCells are the guide sheet's input cells.
func guideCells() []Column {
	return []Column{
		{Letter: CellContact, Code: "contact", Name: "填报人", Type: "text", Required: true},
		{Letter: CellPhone, Code: "phone", Name: "联系电话", Type: "text", Required: true},
	}
}

// Describe returns the template's contract for the catalog.
func Describe(cat *lingpao.Catalog) Contract {
	return Contract{
		TemplateVersion: Version,
		Sheets: []SheetContract{
			{Name: SheetGuide, Description: "填报说明：单位、期间、截止日期、模板版本（预填）；填报人和联系电话（填写）", Protected: true, Cells: guideCells()},
			{Name: SheetClusters, Description: "集群指标：本单位每个特色产业集群一行（预填编码和名称），每个指标一列", Protected: true,
				HeaderRow: clusterHeaderRow, UnitRow: clusterUnitRow, CodeRow: clusterCodeRow, FirstRow: clusterFirstRow, Columns: clusterColumns(cat)},
			{Name: SheetRoster, Description: "企业名录：重点企业每家一行（领跑者、专精特新、小巨人、上市后备、高新技术）；名称、代码、集群、标签按上期预填", Protected: true,
				HeaderRow: rosterHeaderRow, CodeRow: rosterCodeRow, FirstRow: rosterFirstRow, MaxRows: RosterRows, Columns: rosterColumns()},
			{Name: SheetIssues, Description: "问题台账：需市级协调解决的问题，每个问题一行", Protected: true,
				HeaderRow: issueHeaderRow, CodeRow: issueCodeRow, FirstRow: issueFirstRow, MaxRows: issueRows, Columns: issueColumns()},
			{Name: SheetMeta, Description: "模板元数据（隐藏）：模板版本、单位编码、期间、生成时间、结构摘要和密钥签名；用于识别单位、期间和被改动的结构", Hidden: true, Protected: true,
				Cells: metaCells()},
		},
		Notes: []string{
			"工作表名称、列的位置和隐藏的列标识行（代码行）是合同的一部分：删除、插入、移动列或改工作表名称的文件会被退回。",
			"集群指标表每个集群一行，集群编码、名称为预填内容；代码行（第4行）隐藏，是列的唯一标识。",
			"空白、“—”、“-”、“/” 表示未报送（不是 0）。数值可带千分位逗号、全角数字、首尾空格，可以是文本格式的数字或公式（有缓存值用缓存值，没有时由系统计算）。",
			"带本列单位的数字（如亿元列填“12亿”）按该数读取并给出警告；带其他单位（如“12万”）、估计数（约120、120左右、100以上）、范围（10-12）、中文数字、百分号（非百分比列）都会作为错误列出单元格，系统不替您猜。",
			"百分比列（单位 %）中“12.5%”、12.5 和百分比格式的 0.125 都读作 12.5；其他列中的百分比格式单元格会被列为错误。",
			"本年累计指标填 1 月至本月累计数；比率类指标由系统按分子、分母汇总计算，不在模板中填写。",
			fmt.Sprintf("企业名录最多 %d 行；统一社会信用代码列为文本格式，18位且校验位正确；标签列填“是”或留空。", RosterRows),
			"问题台账的日期可填 2025-09-12、2025/9/12、2025年9月12日或 Excel 日期。",
		},
	}
}

// metaCells describes the rows of the metadata sheet.
func metaCells() []Column {
	var out []Column
	for i, k := range metaKeys {
		out = append(out, Column{Letter: fmt.Sprintf("B%d", i+1), Code: k, Name: k, Type: "text", Prefilled: true})
	}
	return out
}

// Layout returns where each field of each rule scope sits in the template, for the rule engine.
func Layout(cat *lingpao.Catalog) map[string]lingpao.SheetLayout {
	sheet := func(name string, cols []Column) lingpao.SheetLayout {
		l := lingpao.SheetLayout{Sheet: name, Fields: map[string]lingpao.LayoutField{}}
		for _, c := range cols {
			l.Fields[c.Code] = lingpao.LayoutField{Column: c.Letter, Name: c.Name, Unit: c.Unit, Decimals: c.Decimals}
		}
		return l
	}
	return map[string]lingpao.SheetLayout{
		lingpao.ScopeGuide:   sheet(SheetGuide, guideCells()),
		lingpao.ScopeCluster: sheet(SheetClusters, clusterColumns(cat)),
		lingpao.ScopeRoster:  sheet(SheetRoster, rosterColumns()),
		lingpao.ScopeIssues:  sheet(SheetIssues, issueColumns()),
	}
}
