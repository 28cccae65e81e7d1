package pdf

import (
	"cmp"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Column is one column of a table.
type Column struct {
	Header string
	// Width is the column's share of the table width, in any unit — millimetres, or weights such
	// as 1, 2, 3 — scaled to fit. Zero takes the average of the others.
	Width float64
	// Align is the alignment of the column's cells. AlignAuto right-aligns a column of numbers,
	// centres a column of short one-line texts and left-aligns any other.
	Align Align
	// NoWrap keeps each cell of the column on one line — a status such as 严重滞后 is never broken:
	// the column widens to its widest cell, taking the room from the other columns, and a cell that
	// still does not fit is set smaller. The header may wrap.
	NoWrap bool
}

// Cell is one table cell. Its style, where set, overrides the row's.
type Cell struct {
	Text  string
	Align Align // AlignAuto means the column's
	Bold  bool
	Color Color // text colour
	Fill  Color
}

// Row makes a table row of plain cells.
func Row(texts ...string) []Cell {
	cells := make([]Cell, len(texts))
	for i, t := range texts {
		cells[i] = Cell{Text: t}
	}
	return cells
}

// RowStyle styles a whole body row, e.g. red text for a county 严重滞后.
type RowStyle struct {
	Color Color // text colour
	Fill  Color // background; overrides the zebra fill
	Bold  bool
}

// TableSpec describes a table. Rows may have fewer cells than there are columns, never more.
type TableSpec struct {
	Title     string // caption above the table, e.g. 表1 各县（市、区）专精特新企业培育情况
	Columns   []Column
	Rows      [][]Cell
	RowStyles []RowStyle // by row index; may be shorter than Rows
	// HeaderFill is the header row's background (LightGray when not set); ZebraFill, when set,
	// shades every other body row.
	HeaderFill, ZebraFill Color
	FontSize              float64 // points; 0 means 10.5 (五号)
	Width                 float64 // millimetres; 0 means the text width
}

// Table layout constants, in millimetres.
const (
	cellPadX   = 1.6
	cellPadY   = 1.3
	tableRule  = 0.2
	captionGap = 2.0
)

// tableCell is a cell ready to draw.
type tableCell struct {
	lines []line
	size  float64 // points; 0 means the table's
	align Align
	bold  bool
	color Color
	fill  Color
}

// Table adds a table. Cells wrap within their column and a row is as tall as its tallest cell. A
// table breaks across pages between rows, repeating the header row on each page; a row splits only
// if it is taller than a whole page. The caption, the header and the first three rows are kept
// together.
func (d *Doc) Table(s TableSpec) {
	if !d.begin() {
		return
	}
	n := len(s.Columns)
	if n == 0 {
		d.fail(fmt.Errorf("pdf.Table(%q): no columns", s.Title))
		return
	}
	for i, r := range s.Rows {
		if len(r) > n {
			d.fail(fmt.Errorf("pdf.Table(%q): row %d has %d cells for %d columns", s.Title, i+1, len(r), n))
			return
		}
	}
	size := orDefault(s.FontSize, 10.5)
	lh := size * mmPerPt * 1.35
	tw := s.Width
	if tw <= 0 || tw > d.textWidth() {
		tw = d.textWidth()
	}
	x0 := d.left + (d.textWidth()-tw)/2
	widths := columnWidths(s.Columns, tw)
	d.widenNoWrap(s, widths, size)

	// Lay out every cell first: alignment by column needs to know whether all cells are numbers.
	headerFill := s.HeaderFill
	if !headerFill.IsSet() {
		headerFill = LightGray
	}
	header := make([]tableCell, n)
	for j, c := range s.Columns {
		d.setFont(size, true)
		header[j] = tableCell{lines: d.wrap(c.Header, widths[j]-2*cellPadX, 0), align: AlignCenter, bold: true, color: Black, fill: headerFill}
	}
	body := make([][]tableCell, len(s.Rows))
	for i, r := range s.Rows {
		var rs RowStyle
		if i < len(s.RowStyles) {
			rs = s.RowStyles[i]
		}
		row := make([]tableCell, n)
		for j := range row {
			var c Cell
			if j < len(r) {
				c = r[j]
			}
			tc := tableCell{align: c.Align, bold: c.Bold || rs.Bold, color: c.Color, fill: c.Fill}
			if !tc.color.IsSet() {
				tc.color = rs.Color
			}
			if !tc.color.IsSet() {
				tc.color = Black
			}
			if !tc.fill.IsSet() {
				tc.fill = rs.Fill
			}
			if !tc.fill.IsSet() && i%2 == 1 {
				tc.fill = s.ZebraFill
			}
			d.setFont(size, tc.bold)
			inner := widths[j] - 2*cellPadX
			text := clean(c.Text)
			if w := d.measure(text); w > inner && (isNumber(strings.TrimSpace(text)) || s.Columns[j].NoWrap) {
				// A number, or a cell of a NoWrap column, is never broken: it is set smaller to fit,
				// down to 70% (numbers) or as far as it takes (NoWrap).
				tc.size = max(size*inner/w, 0.7*size)
				if s.Columns[j].NoWrap {
					tc.size = size * inner / w
				}
				d.setFont(tc.size, tc.bold)
			}
			tc.lines = d.wrap(text, inner, 0)
			row[j] = tc
		}
		body[i] = row
	}
	for j, c := range s.Columns {
		align := c.Align
		if align == AlignAuto {
			align = autoAlign(s.Rows, body, j)
		}
		for i := range body {
			if body[i][j].align == AlignAuto {
				body[i][j].align = align
			}
		}
	}

	t := tableLayout{d: d, x: x0, widths: widths, size: size, lh: lh, header: header}
	headerH := t.height(header)
	firstH := headerH // the header and the first rows, up to three, are kept with the caption
	for i := 0; i < len(body) && i < 3; i++ {
		firstH += t.height(body[i])
	}
	captionLH := 12 * mmPerPt * 1.5
	var caption []line
	if s.Title != "" {
		d.setFont(12, true)
		caption = d.wrap(s.Title, tw, 0)
	}
	captionH := float64(len(caption))*captionLH + captionGap
	if len(caption) == 0 {
		captionH = 0
	}
	// The caption, the header and the first rows stay together.
	if !d.pageEmpty {
		d.need(captionH + min(firstH, d.bodyHeight()-captionH))
	}
	if len(caption) > 0 {
		d.setFont(12, true)
		d.setText(Black)
		for _, l := range caption {
			y := d.y()
			d.textLine(x0, y, tw, captionLH, l.text, AlignCenter, false)
			d.setY(y + captionLH)
		}
		d.setY(d.y() + captionGap)
	}
	t.drawRow(header)
	for _, row := range body {
		h := t.height(row)
		if !d.fits(h) {
			if headerH+h <= d.bodyHeight() {
				d.newPage()
				t.drawRow(header)
			} else {
				t.splitRow(row)
				continue
			}
		}
		t.drawRow(row)
	}
	d.setText(Black)
	d.setY(d.y() + 2)
}

// tableLayout draws the rows of one table.
type tableLayout struct {
	d      *Doc
	x      float64
	widths []float64
	size   float64
	lh     float64
	header []tableCell
}

func (t *tableLayout) height(row []tableCell) float64 {
	n := 1
	for _, c := range row {
		n = max(n, len(c.lines))
	}
	return float64(n)*t.lh + 2*cellPadY
}

// drawRow draws row at the current position and moves below it.
func (t *tableLayout) drawRow(row []tableCell) {
	t.drawLines(row, 0, 1<<30, t.height(row))
}

// drawLines draws lines [from, to) of every cell of row in a band of height h, each cell's lines
// centred vertically.
func (t *tableLayout) drawLines(row []tableCell, from, to int, h float64) {
	d := t.d
	y := d.y()
	x := t.x
	d.pdf.SetLineWidth(tableRule)
	d.setDraw(RuleGray)
	for j, c := range row {
		w := t.widths[j]
		style := "D"
		if c.fill.IsSet() {
			d.setFill(c.fill)
			style = "FD"
		}
		d.pdf.Rect(x, y, w, h, style)
		lines := c.lines[min(from, len(c.lines)):min(to, len(c.lines))]
		top := y + (h-float64(len(lines))*t.lh)/2
		d.setFont(cmp.Or(c.size, t.size), c.bold)
		d.setText(c.color)
		for k, l := range lines {
			d.textLine(x+cellPadX, top+float64(k)*t.lh, w-2*cellPadX, t.lh, l.text, c.align, false)
		}
		x += w
	}
	d.drawn()
	d.setY(y + h)
}

// splitRow draws a row taller than a page over as many pages as it needs, with the header on each.
func (t *tableLayout) splitRow(row []tableCell) {
	d := t.d
	n := 0
	for _, c := range row {
		n = max(n, len(c.lines))
	}
	for from := 0; from < n; {
		k := int((d.bottom - d.y() - 2*cellPadY) / t.lh)
		if k < 1 {
			d.newPage()
			t.drawRow(t.header)
			continue
		}
		to := min(from+k, n)
		t.drawLines(row, from, to, float64(to-from)*t.lh+2*cellPadY)
		from = to
	}
}

// widenNoWrap widens each NoWrap column to its widest cell, taking the room from the other columns in
// proportion to their widths, as far as they can give it: a column keeps at least two characters.
func (d *Doc) widenNoWrap(s TableSpec, widths []float64, size float64) {
	need := 0.0
	var others float64
	minW := 2*size*mmPerPt + 2*cellPadX
	for j, c := range s.Columns {
		if !c.NoWrap {
			others += max(widths[j]-minW, 0)
			continue
		}
		want := 0.0
		for _, r := range s.Rows {
			if j < len(r) {
				d.setFont(size, r[j].Bold)
				want = max(want, d.measure(clean(r[j].Text))+2*cellPadX+0.2)
			}
		}
		if want > widths[j] {
			need += want - widths[j]
		}
	}
	if need <= 0 || others <= 0 {
		return
	}
	give := min(need/others, 1) // the share of each other column's spare width given away
	for j, c := range s.Columns {
		if c.NoWrap {
			continue
		}
		widths[j] -= max(widths[j]-minW, 0) * give
	}
	// Hand what was taken to the NoWrap columns, as much as each needs.
	taken := min(need, others)
	for j, c := range s.Columns {
		if !c.NoWrap || taken <= 0 {
			continue
		}
		want := 0.0
		for _, r := range s.Rows {
			if j < len(r) {
				d.setFont(size, r[j].Bold)
				want = max(want, d.measure(clean(r[j].Text))+2*cellPadX+0.2)
			}
		}
		add := min(max(want-widths[j], 0), taken)
		widths[j] += add
		taken -= add
	}
}

// columnWidths scales the columns' widths to total.
func columnWidths(cols []Column, total float64) []float64 {
	sum, set := 0.0, 0
	for _, c := range cols {
		if c.Width > 0 {
			sum += c.Width
			set++
		}
	}
	avg := 1.0
	if set > 0 {
		avg = sum / float64(set)
	}
	ws := make([]float64, len(cols))
	sum = 0
	for i, c := range cols {
		ws[i] = c.Width
		if ws[i] <= 0 {
			ws[i] = avg
		}
		sum += ws[i]
	}
	for i := range ws {
		ws[i] *= total / sum
	}
	return ws
}

// autoAlign chooses the alignment of column j: right for numbers (a placeholder such as — counts as
// one), centre for short one-line texts, left otherwise.
func autoAlign(rows [][]Cell, laid [][]tableCell, j int) Align {
	numbers, texts, short := 0, 0, true
	for i, r := range rows {
		if j >= len(r) {
			continue
		}
		s := strings.TrimSpace(r[j].Text)
		switch {
		case s == "" || isPlaceholder(s):
		case isNumber(s):
			numbers++
		default:
			texts++
			if len(laid[i][j].lines) > 1 || utf8.RuneCountInString(s) > 8 {
				short = false
			}
		}
	}
	switch {
	case numbers > 0 && texts == 0:
		return AlignRight
	case short:
		return AlignCenter
	}
	return AlignLeft
}

func isPlaceholder(s string) bool {
	switch s {
	case "-", "—", "——", "－", "/", "／", "未报送", "无":
		return true
	}
	return false
}

// isNumber reports whether s reads as a number, possibly signed, grouped, with a unit of % or ‰, a
// trend arrow or a "pp" for percentage points: 1,234 · −5.2% · +6.6 · 3↑ · 6.6pp.
func isNumber(s string) bool {
	s = strings.TrimSuffix(strings.TrimSuffix(s, "↑"), "↓")
	s = strings.TrimSuffix(s, "pp")
	s = strings.TrimSpace(s)
	digits := 0
	for i, r := range s {
		switch {
		case '0' <= r && r <= '9':
			digits++
		case r == '.' || r == ',':
		case (r == '+' || r == '-' || r == '−') && i == 0:
		case (r == '%' || r == '‰') && i == len(s)-utf8.RuneLen(r):
		default:
			return false
		}
	}
	return digits > 0
}
