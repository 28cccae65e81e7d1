// Package xlsx renders lingpao's report content as Excel workbooks (excelize): the 月调度表 and the
// workbooks of the 季度通报, 半年总结 and 年终考核 — frozen headers, number formats, status colours
// as conditional formats, data bars, native charts, print setup and document properties.
package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/reports"
)

// StatusFill and StatusFont are the status colours, shared with the PDF renderer's palette.
var (
	StatusFill = map[lingpao.Status]string{
		lingpao.StatusAhead: "C6EFCE", lingpao.StatusOnTrack: "DDEBF7", lingpao.StatusBehind: "FFEB9C",
		lingpao.StatusFarBehind: "FFC7CE", lingpao.StatusMissing: "D9D9D9", lingpao.StatusNoTarget: "F2F2F2",
		lingpao.StatusMerged: "EDEDED",
	}
	StatusFont = map[lingpao.Status]string{
		lingpao.StatusAhead: "006100", lingpao.StatusOnTrack: "1F4E78", lingpao.StatusBehind: "9C5700",
		lingpao.StatusFarBehind: "9C0006", lingpao.StatusMissing: "595959", lingpao.StatusNoTarget: "595959",
		lingpao.StatusMerged: "595959",
	}
)

// styles holds the workbook's style ids.
type styles struct {
	title, sub, note, head, text, textBold, center, centerBold, wrap int
	num, numBold                                                     map[int]int // by decimals 0–2
	gapN, gapNBold                                                   map[int]int // signed, by decimals 0–2
	pct, pctBold, gap, gapBold, score, scoreBold                     int
	// cond are the conditional formats of the statuses (and of good/bad words), by label.
	cond map[string]int
	bar  string
}

func newStyles(f *excelize.File) (*styles, error) {
	s := &styles{num: map[int]int{}, numBold: map[int]int{}, gapN: map[int]int{}, gapNBold: map[int]int{}, cond: map[string]int{}}
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
	fill := func(c string) excelize.Fill { return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{c}} }
	numFmt := func(bold bool, fmtS string, align string) int {
		return mk(&excelize.Style{Font: font(bold, 10, "000000"), Border: border, CustomNumFmt: &fmtS, Alignment: &excelize.Alignment{Horizontal: align, Vertical: "center"}})
	}
	s.title = mk(&excelize.Style{Font: font(true, 16, "000000"), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	s.sub = mk(&excelize.Style{Font: font(true, 11, "000000"), Alignment: &excelize.Alignment{Vertical: "center"}})
	s.note = mk(&excelize.Style{Font: font(false, 9, "595959"), Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	s.wrap = mk(&excelize.Style{Font: font(false, 10.5, "000000"), Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	s.head = mk(&excelize.Style{Font: font(true, 10, "000000"), Fill: fill("D9E1F2"), Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	s.text = mk(&excelize.Style{Font: font(false, 10, "000000"), Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	s.textBold = mk(&excelize.Style{Font: font(true, 10, "000000"), Border: border, Fill: fill("F2F2F2"), Alignment: &excelize.Alignment{Vertical: "center"}})
	s.center = mk(&excelize.Style{Font: font(false, 10, "000000"), Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	s.centerBold = mk(&excelize.Style{Font: font(true, 10, "000000"), Border: border, Fill: fill("F2F2F2"), Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}})
	for d := 0; d <= 2; d++ {
		f := "#,##0"
		if d > 0 {
			f += "." + strings.Repeat("0", d)
		}
		s.num[d] = numFmt(false, f, "right")
		s.numBold[d] = numFmt(true, f, "right")
		z := "0"
		if d > 0 {
			z += "." + strings.Repeat("0", d)
		}
		sf := "+" + z + ";-" + z + ";" + z
		s.gapN[d] = numFmt(false, sf, "right")
		s.gapNBold[d] = numFmt(true, sf, "right")
	}
	s.pct, s.pctBold = numFmt(false, "0.0%", "right"), numFmt(true, "0.0%", "right")
	s.gap, s.gapBold = numFmt(false, "+0.0;-0.0;0.0", "right"), numFmt(true, "+0.0;-0.0;0.0", "right")
	s.score, s.scoreBold = numFmt(false, "0.00", "right"), numFmt(true, "0.00", "right")
	cond := func(label, fillC, fontC string) {
		if err != nil {
			return
		}
		var id int
		id, err = f.NewConditionalStyle(&excelize.Style{Font: &excelize.Font{Color: fontC, Bold: true}, Fill: fill(fillC)})
		s.cond[label] = id
	}
	for _, st := range []lingpao.Status{lingpao.StatusAhead, lingpao.StatusOnTrack, lingpao.StatusBehind, lingpao.StatusFarBehind, lingpao.StatusMissing, lingpao.StatusMerged} {
		cond(st.Label(), StatusFill[st], StatusFont[st])
	}
	good, bad, warn := lingpao.StatusAhead, lingpao.StatusFarBehind, lingpao.StatusBehind
	for _, w := range []string{"按时报送", "红榜", "优秀"} {
		cond(w, StatusFill[good], StatusFont[good])
	}
	for _, w := range []string{"逾期报送", "警示", "约谈", "合格"} {
		cond(w, StatusFill[warn], StatusFont[warn])
	}
	for _, w := range []string{"已退回待重报", "黑榜", "通报", "报告", "问责", lingpao.FailGrade} {
		cond(w, StatusFill[bad], StatusFont[bad])
	}
	cond("良好", StatusFill[lingpao.StatusOnTrack], StatusFont[lingpao.StatusOnTrack])
	s.bar = "#5B9BD5"
	return s, err
}

// book is a workbook being written.
type book struct {
	f *excelize.File
	s *styles
	// streamed are the sheets written with a StreamWriter, which must not be touched after Flush.
	streamed []string
	// used is each sheet's used range as written through set and merge — its last column and row —
	// for the sheet's <dimension> (excelize keeps "A1"; reading the sheet back to find it costs more
	// than writing it).
	used  map[string][2]int
	first bool // the first sheet ("Sheet1") is still to be named
	err   error
}

func newBook() (*book, error) {
	f := excelize.NewFile()
	s, err := newStyles(f)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &book{f: f, s: s, used: map[string][2]int{}, first: true}, nil
}

// sheet adds a sheet named name (the first takes the place of excelize's Sheet1).
func (b *book) sheet(name string) string {
	name = sheetName(name)
	if b.first {
		b.first = false
		b.check(b.f.SetSheetName("Sheet1", name))
		return name
	}
	_, err := b.f.NewSheet(name)
	b.check(err)
	return name
}

// check records the first error.
func (b *book) check(err error) {
	if err != nil && b.err == nil {
		b.err = err
	}
}

// cell returns the name of the cell at col, row (1-based).
func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}

// set writes v into the cell at col, row with style (0: none).
func (b *book) set(sh string, col, row int, v any, style int) {
	c := cell(col, row)
	b.extend(sh, col, row)
	b.check(b.f.SetCellValue(sh, c, v))
	if style != 0 {
		b.check(b.f.SetCellStyle(sh, c, c, style))
	}
}

// merge merges the cells from..to (names such as "A1" and "H1").
func (b *book) merge(sh, from, to string) {
	col, row, err := excelize.CellNameToCoordinates(to)
	b.check(err)
	b.extend(sh, col, row)
	b.check(b.f.MergeCell(sh, from, to))
}

// extend grows sheet sh's used range to include col, row.
func (b *book) extend(sh string, col, row int) {
	u := b.used[sh]
	b.used[sh] = [2]int{max(u[0], col), max(u[1], row)}
}

// title writes the sheet's title over ncols columns in row 1 and a note (period, cut-off, edition)
// in row 2.
func (b *book) title(sh, text, note string, ncols int) {
	b.set(sh, 1, 1, text, b.s.title)
	b.merge(sh, "A1", cell(ncols, 1))
	b.check(b.f.SetRowHeight(sh, 1, 30))
	if note != "" {
		b.set(sh, 1, 2, note, b.s.note)
		b.merge(sh, "A2", cell(ncols, 2))
		b.check(b.f.SetRowHeight(sh, 2, 18))
	}
}

// header writes column headers in row r from column 1.
func (b *book) header(sh string, r int, heads ...string) {
	for i, h := range heads {
		b.set(sh, i+1, r, h, b.s.head)
	}
	b.check(b.f.SetRowHeight(sh, r, 30))
}

// paragraph writes text into a merged, wrapping block of ncols columns at row r, tall enough for
// its lines given the columns' total width in characters, and returns the next row.
func (b *book) paragraph(sh string, r, ncols int, text string, width float64, style int) int {
	if text == "" {
		return r
	}
	b.set(sh, 1, r, text, style)
	b.merge(sh, cell(1, r), cell(ncols, r))
	lines := 0
	for _, p := range strings.Split(text, "\n") {
		lines += int(textWidth(p)/width) + 1
	}
	// Excel's tallest row is 409 points: a province's long notes (167 counties) are cut there.
	b.check(b.f.SetRowHeight(sh, r, min(float64(lines)*15+4, 409)))
	return r + 1
}

// textWidth is the width of s in Excel character units: a CJK character counts two.
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r < 0x2E80 {
			w++
		} else {
			w += 2
		}
	}
	return w * 1.05
}

// page sets A4 landscape, fit to one page wide, with rows 1..titleRows repeated on every printed page.
func (b *book) page(sh string, titleRows int, portrait bool) {
	size, fitW, fitH, orient := 9, 1, 0, "landscape"
	if portrait {
		orient = "portrait"
	}
	fit := true
	b.check(b.f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &fitW, FitToHeight: &fitH}))
	b.check(b.f.SetSheetProps(sh, &excelize.SheetPropsOptions{FitToPage: &fit}))
	m := 0.5
	b.check(b.f.SetPageMargins(sh, &excelize.PageLayoutMarginsOptions{Left: &m, Right: &m}))
	b.check(b.f.SetHeaderFooter(sh, &excelize.HeaderFooterOptions{OddFooter: "&C第&P页 共&N页"}))
	if titleRows > 0 {
		b.check(b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$%d", sh, titleRows), Scope: sh}))
	}
}

// freeze freezes the rows above row and the columns left of col.
func (b *book) freeze(sh string, col, row int) {
	p := &excelize.Panes{Freeze: true, XSplit: col - 1, YSplit: row - 1, TopLeftCell: cell(col, row), ActivePane: "bottomRight"}
	switch {
	case col == 1:
		p.ActivePane = "bottomLeft"
	case row == 1:
		p.ActivePane = "topRight"
	}
	b.check(b.f.SetPanes(sh, p))
}

// colors adds the conditional formats that colour the words of labels (statuses, 红榜 …) in rangeRef.
func (b *book) colors(sh, rangeRef string, labels ...string) {
	var opts []excelize.ConditionalFormatOptions
	for _, l := range labels {
		id, ok := b.s.cond[l]
		if !ok {
			continue
		}
		opts = append(opts, excelize.ConditionalFormatOptions{Type: "cell", Criteria: "==", Format: &id, Value: `"` + l + `"`})
	}
	if len(opts) > 0 {
		b.check(b.f.SetConditionalFormat(sh, rangeRef, opts))
	}
}

// statusLabels are the words the status columns hold.
var statusLabels = []string{lingpao.StatusAhead.Label(), lingpao.StatusOnTrack.Label(), lingpao.StatusBehind.Label(), lingpao.StatusFarBehind.Label(), lingpao.StatusMissing.Label(), lingpao.StatusMerged.Label()}

// dataBar adds data bars to rangeRef, from 0 to max.
func (b *book) dataBar(sh, rangeRef string, max float64) {
	b.check(b.f.SetConditionalFormat(sh, rangeRef, []excelize.ConditionalFormatOptions{{
		Type: "data_bar", Criteria: "=", MinType: "num", MinValue: "0", MaxType: "num", MaxValue: fmt.Sprint(max), BarColor: b.s.bar, BarSolid: true,
	}}))
}

// widths sets the widths of consecutive columns from col 1.
func (b *book) widths(sh string, ws ...float64) {
	for i, w := range ws {
		c, _ := excelize.ColumnNumberToName(i + 1)
		b.check(b.f.SetColWidth(sh, c, c, w))
	}
}

// Props are a workbook's document properties.
type props struct {
	title, subject, issuer, keywords string
	p                                reports.Provenance
}

// finish writes the document properties (dates pinned to the report's generation, so a regeneration
// gives the same file), the sheets' dimensions, and the workbook to w.
func (b *book) finish(w io.Writer, pr props) error {
	defer b.f.Close()
	if b.err != nil {
		return b.err
	}
	// The first sheet is the active one already (excelize's Sheet1, renamed); SetActiveSheet would
	// read every sheet back, the streamed ones too.
	at := pr.p.Generated.UTC().Format(time.RFC3339)
	if err := b.f.SetDocProps(&excelize.DocProperties{
		Title: pr.title, Subject: pr.subject, Creator: pr.issuer, LastModifiedBy: "lingpao " + pr.p.Version,
		Created: at, Modified: at, Category: "县域特色产业集群", Keywords: pr.keywords + " " + pr.p.Period + " " + pr.p.EditionLabel(),
		Description: fmt.Sprintf("数据截至%s；%s；目标任务第%d版；lingpao %s 生成", reports.CutOffText(pr.p.CutOff), pr.p.EditionLabel(), pr.p.TargetsVersion, pr.p.Version),
		Version:     pr.p.Version,
	}); err != nil {
		return err
	}
	for sh, u := range b.used {
		if !slices.Contains(b.streamed, sh) {
			if err := b.f.SetSheetDimension(sh, "A1:"+cell(u[0], u[1])); err != nil {
				return err
			}
		}
	}
	var buf bytes.Buffer
	if _, err := b.f.WriteTo(&buf); err != nil {
		return err
	}
	out, err := stableContentTypes(buf.Bytes())
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// defaultRE matches a <Default> element of [Content_Types].xml.
var defaultRE = regexp.MustCompile(`<Default [^>]*>(</Default>)?`)

// stableContentTypes sorts the <Default> elements of the workbook's [Content_Types].xml, which
// excelize writes in map order, so that the same workbook gives the same bytes every time (a
// regenerated edition is byte for byte the file in the outbox). Every other entry is copied as it
// is, still compressed.
func stableContentTypes(data []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name != "[Content_Types].xml" {
			raw, err := f.OpenRaw()
			if err != nil {
				return nil, err
			}
			dst, err := zw.CreateRaw(&f.FileHeader)
			if err != nil {
				return nil, err
			}
			if _, err := io.Copy(dst, raw); err != nil {
				return nil, err
			}
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		xml, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		defaults := defaultRE.FindAll(xml, -1)
		sort.Slice(defaults, func(i, j int) bool { return bytes.Compare(defaults[i], defaults[j]) < 0 })
		k := 0
		xml = defaultRE.ReplaceAllFunc(xml, func([]byte) []byte { k++; return defaults[k-1] })
		h := f.FileHeader
		dst, err := zw.CreateHeader(&h)
		if err != nil {
			return nil, err
		}
		if _, err := dst.Write(xml); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
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

// round rounds v to d decimals as reports print it (lingpao.Round: half away from zero), so that the
// cell holds the figure the report prints.
func round(v float64, d int) float64 { return lingpao.Round(v, d) }

// pctCell is a fraction as the percentage a report prints (one decimal): 0.81649 is stored 0.816, and
// shows 81.6% in a 0.0% format.
func pctCell(f float64) float64 { return lingpao.Round(f, 3) }

// note is the line under a sheet's title: issuer, period, cut-off, edition, lingpao's version.
func note(issuer string, p reports.Provenance) string {
	return fmt.Sprintf("编制单位：%s    数据期间：%s    数据截至：%s    %s    lingpao %s", issuer, p.PeriodLabel, reports.CutOffText(p.CutOff), p.EditionLabel(), p.Version)
}
