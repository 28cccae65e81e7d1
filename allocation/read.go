package allocation

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"lingpao"
)

// Result is a filled allocation workbook read back and checked against the targets in force.
type Result struct {
	Meta   Meta          `json:"-"`
	Blocks []BlockResult `json:"blocks"`
	// Covered are the keys the workbook sets or clears; Shares the county targets it sets.
	Covered []lingpao.AllocationKey `json:"covered"`
	Shares  []lingpao.Target        `json:"-"`
}

// BlockResult is what one block of the workbook came to.
type BlockResult struct {
	Key       lingpao.AllocationKey `json:"key"`
	Indicator string                `json:"indicator"`
	Period    string                `json:"period"`
	Target    string                `json:"target"`
	Unit      string                `json:"unit"`
	// Sum of the shares filled; Diff its difference from what the target requires (0 when it adds up,
	// see lingpao.CheckAllocation); OK whether it adds up.
	Sum  float64 `json:"sum"`
	Diff float64 `json:"diff"`
	OK   bool    `json:"ok"`
	// Cleared is set when every share was left blank: the target is not allocated any more.
	Cleared bool `json:"cleared"`
	// Invalid is set when a share of the block has an error of its own; Sum and Diff then count only
	// the valid shares.
	Invalid bool `json:"invalid"`
	// Changed counts the shares that differ from the ones in force.
	Changed int `json:"changed"`
}

// Limits protect the reader against hostile files.
var limits = excelize.Options{RawCellValue: true, UnzipSizeLimit: 64 << 20, UnzipXMLSizeLimit: 32 << 20}

type reader struct {
	x        *excelize.File
	cat      *lingpao.Catalog
	city     lingpao.OrgUnit
	counties map[string]lingpao.OrgUnit
	findings []lingpao.Finding
}

func (r *reader) add(sev lingpao.Severity, rule, sheet, cell, value, format string, args ...any) {
	r.findings = append(r.findings, lingpao.Finding{Severity: sev, Rule: rule, Sheet: sheet, Cell: cell, Value: value, Message: fmt.Sprintf(format, args...)})
}

func fileFinding(rule, msg string) []lingpao.Finding {
	return []lingpao.Finding{{Severity: lingpao.SevError, Rule: rule, Message: msg}}
}

// Read reads a filled allocation workbook and checks it against cat, the catalog with the targets in
// force, for city. secret is the workspace's template key; targetsVersion the version in force, to
// warn when the targets changed since the export; source names the allocation in the citation of the
// county targets it makes (市工信局任务分解（目标分解表.xlsx）).
//
// Findings follow the returns' conventions (sheet, cell, value, rule, Chinese message): errors — a
// file that is not the exported workbook, edited codes, a share that is not a number or is negative
// or not whole where whole numbers are required, a blank share in a block that is otherwise filled,
// a block whose shares do not add up (the message gives the difference), a basis no longer in force —
// reject the whole workbook; warnings (a block left blank that was allocated before, which clears that
// allocation; targets changed since the export) do not. A block left blank that had no allocation is
// not covered: nothing changes for it. The Result is nil only when the file could not be read at all.
// err is for faults of ours.
func Read(data []byte, cat *lingpao.Catalog, city, secret string, targetsVersion int, source string) (*Result, []lingpao.Finding, error) {
	if !bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return nil, fileFinding("file.not_xlsx", "文件不是 Excel（.xlsx）工作簿：请在 lingpao targets export 导出的目标分解表中填写，用 Excel 或 WPS 保存为 .xlsx 格式后再导入。"), nil
	}
	x, err := excelize.OpenReader(bytes.NewReader(data), limits)
	if err != nil {
		return nil, fileFinding("file.corrupt", "文件已损坏或不完整，无法打开：请用 Excel 打开确认后重新保存为 .xlsx，再导入。"), nil
	}
	defer x.Close()
	u, ok := cat.Tree.Unit(city)
	if !ok {
		return nil, nil, fmt.Errorf("allocation.Read: unknown city %s", city)
	}
	r := &reader{x: x, cat: cat, city: u, counties: map[string]lingpao.OrgUnit{}}
	for _, c := range cat.Tree.Counties(city) {
		r.counties[c.Code] = c
	}
	m, ok := r.meta(secret)
	if !ok {
		return nil, r.findings, nil
	}
	if m.TargetsVersion != targetsVersion {
		r.add(lingpao.SevWarning, "alloc.version", "", "", strconv.Itoa(m.TargetsVersion),
			"本表导出时的目标版本为 %d，现行版本为 %d：各项分解按现行目标核对，请留意期间目标有无修订。", m.TargetsVersion, targetsVersion)
	}
	res := &Result{Meta: m}
	rows, err := r.rows(m)
	if err != nil {
		return nil, nil, err
	}
	if rows == nil {
		return nil, r.findings, nil
	}
	r.blocks(m, rows, res, source)
	return res, r.findings, nil
}

// meta reads and checks the hidden metadata sheet.
func (r *reader) meta(secret string) (Meta, bool) {
	bad := func(msg string) (Meta, bool) {
		r.findings = append(r.findings, fileFinding("alloc.meta", msg)...)
		return Meta{}, false
	}
	idx, err := r.x.GetSheetIndex(SheetMeta)
	if err != nil || idx < 0 {
		return bad("这不是 lingpao 导出的目标分解表（缺少隐藏的元数据工作表）：请先运行 lingpao targets export 导出，在导出的表中填写后再导入。")
	}
	vals := map[string]string{}
	for i := range metaKeys {
		k, _ := r.x.GetCellValue(SheetMeta, cell(1, i+1))
		v, _ := r.x.GetCellValue(SheetMeta, cell(2, i+1))
		vals[k] = v
	}
	m := Meta{Kind: vals["kind"], FormatVersion: vals["format_version"], City: vals["city_code"], CityName: vals["city_name"], Generated: vals["generated_at"], Hash: vals["hash"]}
	m.FromYear, _ = strconv.Atoi(vals["from_year"])
	m.TargetsVersion, _ = strconv.Atoi(vals["targets_version"])
	if m.Kind != Kind {
		return bad("这不是 lingpao 导出的目标分解表（元数据不符）：请先运行 lingpao targets export 导出，在导出的表中填写后再导入。")
	}
	if m.FormatVersion != FormatVersion {
		return bad(fmt.Sprintf("目标分解表的格式版本为 %s，本系统只能导入版本 %s：请重新运行 lingpao targets export 导出新表填写。", m.FormatVersion, FormatVersion))
	}
	if err := jsonUnmarshal(vals["keys"], &m.Keys); err != nil {
		return bad("目标分解表的隐藏元数据已损坏：请重新导出后填写。")
	}
	if m.City != r.city.Code {
		return bad(fmt.Sprintf("这是%s（%s）的目标分解表，本工作目录属于%s（%s）：请导入本市导出的表。", m.CityName, m.City, r.city.Name, r.city.Code))
	}
	if m.sign(secret) != m.Hash {
		return bad("目标分解表的隐藏元数据被改动，或表格来自其他工作目录：请用本工作目录重新导出（lingpao targets export）后填写。")
	}
	return m, true
}

// shareRow is one county row of the main sheet.
type shareRow struct {
	row   int
	org   string
	raw   string
	value float64
	state cellState
}

// rows reads the main sheet: per key, the county rows and the total row. It returns nil when the
// sheet is missing.
func (r *reader) rows(m Meta) (map[lingpao.AllocationKey]*blockRows, error) {
	if idx, err := r.x.GetSheetIndex(SheetMain); err != nil || idx < 0 {
		r.findings = append(r.findings, fileFinding("alloc.sheet", fmt.Sprintf("找不到工作表「%s」：请不要删除或改名工作表，重新导出后填写。", SheetMain))...)
		return nil, nil
	}
	known := map[lingpao.AllocationKey]bool{}
	for _, k := range m.Keys {
		known[k] = true
	}
	out := map[lingpao.AllocationKey]*blockRows{}
	it, err := r.x.Rows(SheetMain)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	n := 0
	for it.Next() {
		n++
		cols, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, err
		}
		get := func(c int) string {
			if c <= len(cols) {
				return strings.TrimSpace(cols[c-1])
			}
			return ""
		}
		if n <= headerRow || (get(colKey) == "" && get(colOrg) == "") {
			continue
		}
		key, ok := lingpao.ParseAllocationKey(get(colKey))
		if !ok || !known[key] {
			r.add(lingpao.SevError, "alloc.code", SheetMain, cell(colKey, n), get(colKey), "第 %d 行的隐藏编码被改动或不属于本表：请不要改动隐藏列，用原表重新填写。", n)
			continue
		}
		b := out[key]
		if b == nil {
			b = &blockRows{shares: map[string]shareRow{}}
			out[key] = b
		}
		switch org := get(colOrg); org {
		case markHead:
		case markTotal:
			b.total = n
		default:
			if _, ok := r.counties[org]; !ok {
				r.add(lingpao.SevError, "alloc.code", SheetMain, cell(colOrg, n), org, "第 %d 行的县（市、区）编码「%s」不属于%s：请不要改动隐藏列。", n, org, r.city.Name)
				continue
			}
			if prev, dup := b.shares[org]; dup {
				r.add(lingpao.SevError, "alloc.duplicate", SheetMain, cell(colShare, n), get(colShare), "%s在同一项目标中出现两次（第 %d 行和第 %d 行）：请删除多余的行，用原表填写。", r.counties[org].Name, prev.row, n)
				continue
			}
			s := shareRow{row: n, org: org, raw: get(colShare)}
			var problem string
			s.value, s.state, problem = parseShare(s.raw)
			if s.state == cellBlank {
				if f, _ := r.x.GetCellFormula(SheetMain, cell(colShare, n)); f != "" {
					s.state, problem = cellInvalid, "是公式而没有计算结果；请直接填写数值"
				}
			}
			if s.state == cellInvalid {
				r.add(lingpao.SevError, "alloc.value", SheetMain, cell(colShare, n), s.raw, "%s%s的分解值「%s」%s。", r.blockName(key), r.counties[org].Name, s.raw, problem)
			}
			b.shares[org] = s
		}
	}
	return out, it.Error()
}

// blockName names a block in messages: 「专精特新中小企业数 2025年底」.
func (r *reader) blockName(key lingpao.AllocationKey) string {
	for _, t := range r.cat.Targets {
		if t.ID == key.Basis {
			ind, _ := r.cat.Indicator(t.Indicator)
			return fmt.Sprintf("「%s %s」", ind.Name, Block{Key: key, Basis: t}.Period())
		}
	}
	return "「" + key.Basis + "」"
}

type blockRows struct {
	shares map[string]shareRow
	total  int
}

// blocks checks each block against its basis in force and fills res.
func (r *reader) blocks(m Meta, rows map[lingpao.AllocationKey]*blockRows, res *Result, source string) {
	byID := map[string]lingpao.Target{}
	for _, t := range r.cat.Targets {
		byID[t.ID] = t
	}
	counties := r.cat.Tree.Counties(r.city.Code)
	for _, key := range m.Keys {
		basis, ok := byID[key.Basis]
		ind, indOK := r.cat.Indicator(basis.Indicator)
		if !ok || basis.Org != r.city.Code || !indOK || !lingpao.Allocatable(basis, ind) || !containsYear(lingpao.AllocationYears(basis, key.Year), key.Year) {
			r.add(lingpao.SevError, "alloc.basis", SheetMain, "", key.Basis, "目标「%s」（%d年）已不在现行目标任务中（可能已修订）：请重新导出目标分解表后填写。", key.Basis, key.Year)
			continue
		}
		b := Block{Key: key, Basis: basis, Indicator: ind}
		br := BlockResult{Key: key, Indicator: ind.Name, Period: b.Period(), Target: basis.ValueText(ind), Unit: ind.Unit}
		what := r.blockName(key)
		rs := rows[key]
		if rs == nil {
			rs = &blockRows{shares: map[string]shareRow{}}
		}
		var filled, blank []shareRow
		invalid := false
		for _, c := range counties {
			s, ok := rs.shares[c.Code]
			if !ok {
				r.add(lingpao.SevError, "alloc.missing_row", SheetMain, "", "", "%s缺少%s的分解行：请不要删除行，用原表重新填写。", what, c.Name)
				invalid = true
				continue
			}
			switch s.state {
			case cellInvalid:
				invalid = true
			case cellBlank:
				blank = append(blank, s)
			default:
				at := cell(colShare, s.row)
				switch {
				case s.value < 0:
					r.add(lingpao.SevError, "alloc.value", SheetMain, at, s.raw, "%s%s的分解值 %s 为负数：请填写 0 或正数。", what, c.Name, s.raw)
					invalid = true
				case ind.Integer && s.value != math.Trunc(s.value):
					r.add(lingpao.SevError, "alloc.value", SheetMain, at, s.raw, "%s以%s计，%s的分解值 %s 应为整数。", what, ind.Unit, c.Name, s.raw)
					invalid = true
				}
				filled = append(filled, s)
			}
		}
		if len(filled) == 0 && !invalid && len(blank) > 0 {
			had := false
			for _, c := range counties {
				if _, ok := byID[lingpao.AllocationID(basis, key.Year, c.Code)]; ok {
					had = true
				}
			}
			if !had {
				continue // not allocated before, not allocated now: nothing to do
			}
			br.Cleared, br.OK = true, true
			r.add(lingpao.SevWarning, "alloc.cleared", SheetMain, cell(colShare, blank[0].row), "", "%s各县分解值全部留空：导入后该项目标不再分解到各县（原有分解取消）。如需分解，请逐县填写（无任务填0）。", what)
			res.Blocks = append(res.Blocks, br)
			res.Covered = append(res.Covered, key)
			continue
		}
		for _, s := range blank {
			r.add(lingpao.SevError, "alloc.required", SheetMain, cell(colShare, s.row), "", "%s%s的分解值未填写：没有任务的县请填 0。", what, r.counties[s.org].Name)
			invalid = true
		}
		for _, s := range filled {
			br.Sum += s.value
			cur, had := byID[lingpao.AllocationID(basis, key.Year, s.org)]
			if !had || cur.Bar() != s.value {
				br.Changed++
			}
		}
		br.Sum = round6(br.Sum)
		br.OK, br.Diff = lingpao.CheckAllocation(basis, br.Sum)
		if invalid {
			br.OK, br.Invalid = false, true
			res.Blocks = append(res.Blocks, br)
			continue
		}
		if !br.OK {
			at := ""
			if rs.total > 0 {
				at = cell(colShare, rs.total)
			}
			n := func(v float64) string { return lingpao.FormatNumber(v, decimals(v)) + ind.Unit }
			diff := lingpao.FormatNumber(math.Abs(br.Diff), decimals(math.Abs(br.Diff))) + ind.Unit
			more := "少"
			if br.Diff > 0 {
				more = "多"
			}
			r.add(lingpao.SevError, "alloc.sum", SheetMain, at, strconv.FormatFloat(br.Sum, 'f', -1, 64),
				"%s各县分解合计 %s，全市目标 %s（%s），%s %s：请调整分解值后重新导入。", what, n(br.Sum), basis.ValueText(ind), b.Rule(), more, diff)
		}
		res.Blocks = append(res.Blocks, br)
		res.Covered = append(res.Covered, key)
		for _, s := range filled {
			res.Shares = append(res.Shares, lingpao.Allocate(basis, ind, key.Year, r.counties[s.org], s.value, source))
		}
	}
}

func containsYear(ys []int, y int) bool {
	for _, x := range ys {
		if x == y {
			return true
		}
	}
	return false
}

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
