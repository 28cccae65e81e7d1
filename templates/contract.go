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
	// Type is number, integer, text, tag (是/blank), uscc, cluster (drop-down), date or status.
	Type      string   `json:"type"`
	Required  bool     `json:"required"`
	Kind      string   `json:"kind,omitempty"`
	Min       *float64 `json:"min,omitempty"`
	Max       *float64 `json:"max,omitempty"`
	Prefilled bool     `json:"prefilled,omitempty"`
}

// SheetContract describes one sheet: where its header, hidden code row and data begin.
type SheetContract struct {
	Name      string   `json:"name"`
	Hidden    bool     `json:"hidden,omitempty"`
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
		cols = append(cols, Column{Code: ind.Code, Name: ind.Name, Unit: ind.Unit, Type: t, Required: ind.Required, Kind: string(ind.Kind), Min: ind.Min, Max: ind.Max})
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
		cols = append(cols, Column{Code: "tag:" + t, Name: t, Type: "tag"})
	}
	cols = append(cols,
		Column{Code: RosterRevenue, Name: "营业收入（本年累计）", Unit: "万元", Type: "number", Min: &zero},
		Column{Code: RosterRnD, Name: "研发投入（本年累计）", Unit: "万元", Type: "number", Min: &zero},
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
		{Code: "category", Name: "问题类别", Type: "status"},
		{Code: "enterprise", Name: "涉及企业", Type: "text"},
		{Code: "department", Name: "责任部门", Type: "text"},
		{Code: "status", Name: "办理状态", Type: "status"},
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

// Describe returns the template's contract for the catalog.
func Describe(cat *lingpao.Catalog) Contract {
	return Contract{
		TemplateVersion: Version,
		Sheets: []SheetContract{
			{Name: SheetGuide, Cells: []Column{
				{Letter: CellContact, Code: "contact", Name: "填报人", Type: "text", Required: true},
				{Letter: CellPhone, Code: "phone", Name: "联系电话", Type: "text", Required: true},
			}},
			{Name: SheetClusters, HeaderRow: clusterHeaderRow, UnitRow: clusterUnitRow, CodeRow: clusterCodeRow, FirstRow: clusterFirstRow, Columns: clusterColumns(cat)},
			{Name: SheetRoster, HeaderRow: rosterHeaderRow, CodeRow: rosterCodeRow, FirstRow: rosterFirstRow, MaxRows: RosterRows, Columns: rosterColumns()},
			{Name: SheetIssues, HeaderRow: issueHeaderRow, CodeRow: issueCodeRow, FirstRow: issueFirstRow, MaxRows: issueRows, Columns: issueColumns()},
			{Name: SheetMeta, Hidden: true},
		},
		Notes: []string{
			"集群指标表每个集群一行，集群编码、名称为预填内容；代码行（第4行）隐藏，是列的唯一标识。",
			"空白、“—”、“-” 表示未报送（不是 0）。数值可带千分位逗号、全角数字、首尾空格。",
			"本年累计指标填 1 月至本月累计数；比率类指标由系统按分子、分母汇总计算，不在模板中填写。",
			fmt.Sprintf("企业名录最多 %d 行；标签列填“是”或留空。", RosterRows),
		},
	}
}
