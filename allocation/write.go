package allocation

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"lingpao"
)

// Columns of the main sheet. A and B are hidden: the allocation key and the county code (or a row
// marker) are what the reader goes by, so the visible text may be anything.
const (
	colKey     = 1  // A 键 "basis|year" (hidden)
	colOrg     = 2  // B 组织编码, or markTotal / markHead (hidden)
	colInd     = 3  // C 指标
	colPeriod  = 4  // D 期限
	colUnit    = 5  // E 县（市、区）
	colShare   = 6  // F 分解值 — the only input column
	colMeasure = 7  // G 单位
	colCity    = 8  // H 全市目标
	colDiff    = 9  // I 差额
	colCheck   = 10 // J 核对
	colNote    = 11 // K 说明
	nCols      = 11
	headerRow  = 3
)

// Row markers in the hidden code column.
const (
	markHead  = "#"
	markTotal = "合计"
)

// Check texts of the live check column.
const (
	checkOK  = "相符"
	checkBad = "不相符"
)

var headers = []string{"键", "组织编码", "指标", "期限", "县（市、区）", "分解值＊", "单位", "全市目标", "差额", "核对", "说明"}

func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

// Meta is the content of the hidden metadata sheet.
type Meta struct {
	Kind           string
	FormatVersion  string
	City           string
	CityName       string
	FromYear       int
	TargetsVersion int
	Generated      string
	// Keys are the allocation keys of the blocks, in order.
	Keys []lingpao.AllocationKey
	Hash string
}

var metaKeys = []string{"kind", "format_version", "city_code", "city_name", "from_year", "targets_version", "generated_at", "keys", "hash"}

func (m Meta) values() []string {
	keys, _ := json.Marshal(m.Keys)
	return []string{m.Kind, m.FormatVersion, m.City, m.CityName, strconv.Itoa(m.FromYear), strconv.Itoa(m.TargetsVersion), m.Generated, string(keys), m.Hash}
}

// sign is the keyed hash over the metadata, so that a workbook from another workspace, or with its
// metadata edited, is detected.
func (m Meta) sign(secret string) string {
	v := m.values()
	mac := hmac.New(sha256.New, []byte(secret))
	io.WriteString(mac, strings.Join(v[:len(v)-1], "\x1f"))
	return hex.EncodeToString(mac.Sum(nil))
}

// Write writes the allocation workbook of spec to w: the guide, the allocation sheet and the hidden
// metadata. The allocation sheet has one row per county × block with the share in force prefilled in
// the only unlocked column, and under each block a total row whose sum, difference and check are
// live formulas with their values cached (so a reader that does not calculate sees them too).
// Structure and sheets are protected without a password; the code columns are hidden.
func Write(w io.Writer, spec Spec) (err error) {
	defer lingpao.Wrap(&err, "allocation.Write")
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", SheetGuide); err != nil {
		return err
	}
	if err := guide(f, st, spec); err != nil {
		return err
	}
	if _, err := f.NewSheet(SheetMain); err != nil {
		return err
	}
	if err := mainSheet(f, st, spec); err != nil {
		return err
	}
	if err := meta(f, spec); err != nil {
		return err
	}
	f.SetActiveSheet(1)
	if err := f.ProtectWorkbook(&excelize.WorkbookProtectionOptions{LockStructure: true}); err != nil {
		return err
	}
	return f.Write(w)
}

type styles struct {
	title, note, header, text, head, total, totalNum, city, check int
	share                                                         map[int]int // by decimals
	num                                                           map[int]int // locked numbers by decimals
	guideTitle, guideText                                         int
}

func newStyles(f *excelize.File) (*styles, error) {
	font := func(size float64, bold bool, color string) *excelize.Font {
		return &excelize.Font{Family: "宋体", Size: size, Bold: bold, Color: color}
	}
	border := []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}, {Type: "right", Color: "BFBFBF", Style: 1}, {Type: "top", Color: "BFBFBF", Style: 1}, {Type: "bottom", Color: "BFBFBF", Style: 1}}
	fill := func(c string) excelize.Fill { return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}} }
	mid := &excelize.Alignment{Vertical: "center"}
	st := &styles{share: map[int]int{}, num: map[int]int{}}
	for _, s := range []struct {
		id *int
		s  *excelize.Style
	}{
		{&st.title, &excelize.Style{Font: font(14, true, "000000"), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}},
		{&st.note, &excelize.Style{Font: font(10, false, "404040"), Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
		{&st.header, &excelize.Style{Font: font(10, true, "000000"), Fill: fill("DDEBF7"), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}, Border: border}},
		{&st.text, &excelize.Style{Font: font(10, false, "000000"), Alignment: mid, Border: border}},
		{&st.head, &excelize.Style{Font: font(10, true, "1F4E79"), Fill: fill("F2F2F2"), Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}, Border: border}},
		{&st.total, &excelize.Style{Font: font(10, true, "000000"), Fill: fill("EDEDED"), Alignment: mid, Border: border}},
		{&st.check, &excelize.Style{Font: font(10, true, "000000"), Fill: fill("EDEDED"), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}, Border: border}},
		{&st.guideTitle, &excelize.Style{Font: font(14, true, "000000")}},
		{&st.guideText, &excelize.Style{Font: font(10, false, "000000"), Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}}},
	} {
		id, err := f.NewStyle(s.s)
		if err != nil {
			return nil, err
		}
		*s.id = id
	}
	for d := 0; d <= 4; d++ {
		nf := "0"
		if d > 0 {
			nf += "." + strings.Repeat("0", d)
		}
		in, err := f.NewStyle(&excelize.Style{Font: font(10, false, "000000"), Fill: fill("FFF2CC"), CustomNumFmt: &nf, Border: border, Protection: &excelize.Protection{Locked: false}})
		if err != nil {
			return nil, err
		}
		out, err := f.NewStyle(&excelize.Style{Font: font(10, true, "000000"), Fill: fill("EDEDED"), CustomNumFmt: &nf, Border: border})
		if err != nil {
			return nil, err
		}
		st.share[d], st.num[d] = in, out
	}
	return st, nil
}

// decimalsOf is how many decimals shares of ind are shown with: none for whole numbers.
func decimalsOf(ind lingpao.Indicator) int {
	if ind.Integer {
		return 0
	}
	return min(max(ind.Decimals, 0), 4)
}

func guide(f *excelize.File, st *styles, spec Spec) error {
	sh := SheetGuide
	f.SetColWidth(sh, "A", "A", 110)
	size, orient, fitW, fitH, fit := 9, "landscape", 1, 0, true
	if err := f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &fitW, FitToHeight: &fitH}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	lines := []string{
		fmt.Sprintf("%s县域特色产业集群目标任务分解表", spec.City.Name),
		fmt.Sprintf("导出时间：%s　目标版本：%d　分解年度：%d年起", spec.Generated.In(lingpao.Beijing).Format("2006-01-02 15:04"), spec.TargetsVersion, spec.FromYear),
		"",
		"一、填写什么：在“目标分解”工作表中，只填黄色单元格“分解值”——各县（市、区）承担的目标数。没有任务的县填 0，不要留空；只填数字，不带单位。",
		"二、怎么核对：每项目标的最后一行“合计”自动求和并与全市目标核对，“核对”列显示“相符”或“不相符”，“差额”列显示合计与要求之差。",
		"　　达到、左右类目标：各县合计须等于全市目标；以上、超过类：合计不少于全市目标；区间类（如“8至10家”）：合计在区间之内即可，达到下限即完成，上限为力争目标。",
		"三、分解的是什么：节点目标（如“2025年底达到750家”）分解各县届时应达到的总量；每年目标分解当年新增量；累计目标分解规划期内的累计新增量。节点目标各县的进度从本县上一节点的分解值起算（“说明”列列出）。",
		"四、整项不分解：某项目标的全部县都留空，表示不分解该项，导入后各县不再设该项目标（原有分解一并取消）。",
		"五、不要改动：不要增删行列、不要改动灰色单元格、隐藏列和工作表结构；行的顺序可以不同，系统按隐藏的编码识别。",
		"六、导入：填好保存后运行 lingpao targets import 本文件。校验不通过时列出每处错误的单元格、数值和改法（合计不符时给出差额），改正后重新导入；通过后形成新的目标版本，旧版本保留，已出的报告可按原版本重新生成。",
	}
	if len(spec.Inherited) > 0 {
		var ts []string
		for _, t := range spec.Inherited {
			ts = append(ts, t.Text)
		}
		lines = append(lines, "七、比率、覆盖率、增速类目标不分解，各县（市、区）按全市目标考核："+strings.Join(ts, "；")+"。")
	}
	if len(spec.CityKept) > 0 {
		lines = append(lines, fmt.Sprintf("八、另有 %d 项目标的指标由市级统计，县级报表不填报，本表不分解。", len(spec.CityKept)))
	}
	for i, l := range lines {
		f.SetCellValue(sh, cell(1, i+1), l)
		style := st.guideText
		if i == 0 {
			style = st.guideTitle
		}
		f.SetCellStyle(sh, cell(1, i+1), cell(1, i+1), style)
		// Wrapped text does not grow its row in every reader: size each row for its lines, at about
		// 90 display columns (a CJK character takes two) to the line.
		if n := (displayWidth(l) + 89) / 90; n > 1 {
			f.SetRowHeight(sh, i+1, float64(14*n+4))
		}
	}
	// excelize leaves <dimension ref="A1">; readers that trust it would see one line. (The streamed
	// sheet gets its dimension before streaming, and is never touched after Flush.)
	if err := f.SetSheetDimension(sh, "A1:"+cell(1, len(lines))); err != nil {
		return err
	}
	return f.ProtectSheet(sh, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true})
}

// rowsOf is the number of rows the main sheet takes.
func rowsOf(spec Spec) int {
	return headerRow + len(spec.Blocks)*(len(spec.Counties)+3) - 1
}

func mainSheet(f *excelize.File, st *styles, spec Spec) error {
	sh := SheetMain
	if err := f.SetSheetDimension(sh, "A1:"+cell(nCols, rowsOf(spec))); err != nil {
		return err
	}
	size, orient, fitW, fitH, fit := 9, "landscape", 1, 0, true
	if err := f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &fitW, FitToHeight: &fitH}); err != nil {
		return err
	}
	if err := f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sh)
	if err != nil {
		return err
	}
	for col, wd := range map[int]float64{colKey: 12, colOrg: 10, colInd: 30, colPeriod: 14, colUnit: 14, colShare: 12, colMeasure: 6, colCity: 12, colDiff: 10, colCheck: 8, colNote: 44} {
		if err := sw.SetColWidth(col, col, wd); err != nil {
			return err
		}
	}
	if err := sw.SetColVisible(colKey, colOrg, false); err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: headerRow, TopLeftCell: cell(1, headerRow+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	title := fmt.Sprintf("%s目标任务分解表（%d年起）", spec.City.Name, spec.FromYear)
	if err := sw.SetRow(cell(1, 1), []any{nil, nil, excelize.Cell{StyleID: st.title, Value: title}}, excelize.RowOpts{Height: 24}); err != nil {
		return err
	}
	note := fmt.Sprintf("只填黄色“分解值”列（无任务填0）；每项最后一行“合计”自动核对。导出时间 %s，目标版本 %d。比率、增速类目标不分解，见“填写说明”。",
		spec.Generated.In(lingpao.Beijing).Format("2006-01-02 15:04"), spec.TargetsVersion)
	if err := sw.SetRow(cell(1, 2), []any{nil, nil, excelize.Cell{StyleID: st.note, Value: note}}, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	hdr := make([]any, nCols)
	for i, h := range headers {
		hdr[i] = excelize.Cell{StyleID: st.header, Value: h}
	}
	if err := sw.SetRow(cell(1, headerRow), hdr, excelize.RowOpts{Height: 20}); err != nil {
		return err
	}
	for _, m := range [][2]string{{cell(colInd, 1), cell(nCols, 1)}, {cell(colInd, 2), cell(nCols, 2)}} {
		if err := sw.MergeCell(m[0], m[1]); err != nil {
			return err
		}
	}
	row := headerRow + 1
	var checks []string
	for _, b := range spec.Blocks {
		r, check, err := writeBlock(sw, st, spec, b, row)
		if err != nil {
			return err
		}
		checks = append(checks, check)
		row = r + 2 // a blank row between blocks
	}
	// 不相符 in red (the cached value and any recalculation).
	red, err := f.NewConditionalStyle(&excelize.Style{Font: &excelize.Font{Color: "C00000", Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FCE4D6"}}})
	if err != nil {
		return err
	}
	if err := f.SetConditionalFormat(sh, strings.Join(checks, " "), []excelize.ConditionalFormatOptions{{Type: "cell", Criteria: "==", Value: `"` + checkBad + `"`, Format: &red}}); err != nil {
		return err
	}
	if err := f.ProtectSheet(sh, &excelize.SheetProtectionOptions{SelectLockedCells: true, SelectUnlockedCells: true, FormatColumns: true, FormatRows: true}); err != nil {
		return err
	}
	return sw.Flush()
}

// writeBlock writes one block from row: its heading, a row per county and the total row with the
// live check. It returns the total row and the check cell.
func writeBlock(sw *excelize.StreamWriter, st *styles, spec Spec, b Block, row int) (int, string, error) {
	ind, key := b.Indicator, b.Key.String()
	d := decimalsOf(ind)
	heading := fmt.Sprintf("%s　%s %s（%s，%s）　%s", ind.Name, b.Period(), b.Basis.ValueText(ind), b.What(), b.Rule(), b.Basis.Citation)
	headCells := []any{key, markHead, excelize.Cell{StyleID: st.head, Value: heading}}
	for c := colPeriod; c <= nCols; c++ {
		headCells = append(headCells, excelize.Cell{StyleID: st.head})
	}
	if err := sw.SetRow(cell(1, row), headCells, excelize.RowOpts{Height: 30}); err != nil {
		return 0, "", err
	}
	if err := sw.MergeCell(cell(colInd, row), cell(nCols, row)); err != nil {
		return 0, "", err
	}
	first := row + 1
	var sum float64
	for i, c := range spec.Counties {
		r := first + i
		share := excelize.Cell{StyleID: st.share[d]}
		if v, ok := b.Shares[c.Code]; ok {
			share.Value = v
			sum += v
		}
		note := ""
		if v, ok := b.Previous[c.Code]; ok {
			note = fmt.Sprintf("上一节点（%s）分解：%s%s，进度由此起算", b.PreviousLabel, lingpao.FormatNumber(v, decimals(v)), ind.Unit)
		}
		if err := sw.SetRow(cell(1, r), []any{
			key, c.Code,
			excelize.Cell{StyleID: st.text, Value: ind.Name},
			excelize.Cell{StyleID: st.text, Value: b.Period()},
			excelize.Cell{StyleID: st.text, Value: c.Name},
			share,
			excelize.Cell{StyleID: st.text, Value: ind.Unit},
			excelize.Cell{StyleID: st.text}, excelize.Cell{StyleID: st.text}, excelize.Cell{StyleID: st.text},
			excelize.Cell{StyleID: st.text, Value: note},
		}); err != nil {
			return 0, "", err
		}
	}
	tr := first + len(spec.Counties)
	sumCell, cityCell, diffCell := cell(colShare, tr), cell(colCity, tr), cell(colDiff, tr)
	sumF := fmt.Sprintf("SUM(%s:%s)", cell(colShare, first), cell(colShare, tr-1))
	ok, diff := lingpao.CheckAllocation(b.Basis, sum)
	check := checkOK
	if !ok {
		check = checkBad
	}
	if err := sw.SetRow(cell(1, tr), []any{
		key, markTotal,
		excelize.Cell{StyleID: st.total, Value: ind.Name},
		excelize.Cell{StyleID: st.total, Value: b.Period()},
		excelize.Cell{StyleID: st.total, Value: "合计"},
		excelize.Cell{StyleID: st.num[d], Formula: sumF, Value: sum},
		excelize.Cell{StyleID: st.total, Value: ind.Unit},
		excelize.Cell{StyleID: st.num[decimals(b.Basis.Bar())], Value: b.Basis.Bar()},
		excelize.Cell{StyleID: st.num[d], Formula: diffFormula(b.Basis, sumCell, cityCell), Value: diff},
		excelize.Cell{StyleID: st.check, Formula: fmt.Sprintf(`IF(%s=0,"%s","%s")`, diffCell, checkOK, checkBad), Value: check},
		excelize.Cell{StyleID: st.total, Value: b.Rule()},
	}); err != nil {
		return 0, "", err
	}
	return tr, cell(colCheck, tr), nil
}

// diffFormula is the live form of lingpao.CheckAllocation's difference.
func diffFormula(basis lingpao.Target, sum, city string) string {
	switch basis.Comp {
	case lingpao.CompRange:
		hi := strconv.FormatFloat(*basis.Max, 'f', -1, 64)
		return fmt.Sprintf("IF(ROUND(%[1]s,6)<%[2]s,ROUND(%[1]s-%[2]s,6),IF(ROUND(%[1]s,6)>%[3]s,ROUND(%[1]s-%[3]s,6),0))", sum, city, hi)
	case lingpao.CompAtLeast, lingpao.CompMoreThan:
		return fmt.Sprintf("MIN(0,ROUND(%s-%s,6))", sum, city)
	}
	return fmt.Sprintf("ROUND(%s-%s,6)", sum, city)
}

func meta(f *excelize.File, spec Spec) error {
	sh := SheetMeta
	if _, err := f.NewSheet(sh); err != nil {
		return err
	}
	m := Meta{Kind: Kind, FormatVersion: FormatVersion, City: spec.City.Code, CityName: spec.City.Name, FromYear: spec.FromYear,
		TargetsVersion: spec.TargetsVersion, Generated: spec.Generated.UTC().Format(time.RFC3339)}
	for _, b := range spec.Blocks {
		m.Keys = append(m.Keys, b.Key)
	}
	m.Hash = m.sign(spec.Secret)
	for i, v := range m.values() {
		f.SetCellStr(sh, cell(1, i+1), metaKeys[i])
		f.SetCellStr(sh, cell(2, i+1), v)
	}
	if err := f.SetSheetDimension(sh, "A1:"+cell(2, len(metaKeys))); err != nil {
		return err
	}
	if err := f.ProtectSheet(sh, &excelize.SheetProtectionOptions{}); err != nil {
		return err
	}
	return f.SetSheetVisible(sh, false, true)
}

// displayWidth counts a CJK or full-width character as two columns, anything else as one.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x2E80 {
			n += 2
		} else {
			n++
		}
	}
	return n
}
