package pdf

import "strings"

// bodySize is the default size of body text in points (小四), and the em of heading indents.
const bodySize = 12

// ParagraphStyle is how a paragraph is set. The zero value is 12 pt regular text, justified, with
// 1.75 line spacing and no indent; Chinese body text sets Indent: 2 (首行缩进2字).
type ParagraphStyle struct {
	Size       float64 // points; 0 means 12
	Bold       bool
	Indent     float64 // first-line indent in characters (em)
	LineHeight float64 // line pitch as a multiple of Size; 0 means 1.75
	Align      Align   // AlignAuto means justified
	Color      Color   // not set means black
}

func (s ParagraphStyle) withDefaults() ParagraphStyle {
	s.Size = orDefault(s.Size, bodySize)
	s.LineHeight = orDefault(s.LineHeight, 1.75)
	if s.Align == AlignAuto {
		s.Align = AlignJustify
	}
	if !s.Color.IsSet() {
		s.Color = Black
	}
	return s
}

// Paragraph adds text set in style s. "\n" starts a new paragraph in the same style; lines break
// by BreakLines and pages break between lines.
func (d *Doc) Paragraph(text string, s ParagraphStyle) {
	if !d.begin() {
		return
	}
	s = s.withDefaults()
	d.setFont(s.Size, s.Bold)
	d.setText(s.Color)
	size := s.Size * mmPerPt
	lh := size * s.LineHeight
	indent := s.Indent * size
	first := true
	for _, l := range d.wrap(text, d.textWidth(), indent) {
		d.need(lh)
		x, w := d.left, d.textWidth()
		if first {
			x, w = x+indent, w-indent
		}
		y := d.y()
		d.textLine(x, y, w, lh, l.text, s.Align, s.Align == AlignJustify && !l.last)
		d.setY(y + lh)
		first = l.last
	}
	d.setText(Black)
}

// Heading adds a section heading. Level 1 is the 一、 level (16 pt), 2 the （一） level (14 pt), 3 and
// deeper the 1. level (12 pt); all are bold and indented like body text. A heading is never the last
// thing on a page: it moves to the next page unless two body lines fit after it.
func (d *Doc) Heading(text string, level int) {
	if !d.begin() {
		return
	}
	size, before, after := 12.0, 2.0, 1.0
	switch {
	case level <= 1:
		size, before, after = 16, 5, 2
	case level == 2:
		size, before, after = 14, 3.5, 1.5
	}
	indent := 2 * bodySize * mmPerPt
	lh := size * mmPerPt * 1.5
	d.setFont(size, true)
	lines := d.wrap(text, d.textWidth()-indent, 0)
	body := 2 * bodySize * mmPerPt * 1.75
	if !d.pageEmpty {
		if d.fits(before + float64(len(lines))*lh + after + body) {
			d.setY(d.y() + before)
		} else {
			d.newPage()
		}
	}
	d.setText(Black)
	for _, l := range lines {
		d.need(lh)
		y := d.y()
		d.textLine(d.left+indent, y, d.textWidth()-indent, lh, l.text, AlignLeft, false)
		d.setY(y + lh)
	}
	d.setY(d.y() + after)
}

// Note adds small grey text, such as a source line or a footnote under a table.
func (d *Doc) Note(text string) {
	d.Paragraph(text, ParagraphStyle{Size: 9, LineHeight: 1.5, Align: AlignLeft, Color: Gray})
}

// Spacer adds mm millimetres of vertical space; at the end of a page it starts the next one instead.
func (d *Doc) Spacer(mm float64) {
	if !d.begin() {
		return
	}
	if d.fits(mm) {
		d.setY(d.y() + mm)
	} else {
		d.newPage()
	}
}

// PageBreak starts a new page, unless the current one is still empty.
func (d *Doc) PageBreak() {
	if !d.begin() {
		return
	}
	if !d.pageEmpty {
		d.newPage()
	}
}

// Rule adds a thin horizontal line across the text width in colour c (black when not set).
func (d *Doc) Rule(c Color) {
	if !d.begin() {
		return
	}
	if !c.IsSet() {
		c = Black
	}
	d.need(3)
	y := d.y() + 1.5
	d.setDraw(c)
	d.pdf.SetLineWidth(0.3)
	d.pdf.Line(d.left, y, d.right, y)
	d.drawn()
	d.setY(y + 1.5)
}

// KeyValues adds a borderless two-column block of labelled values, such as 数据截止时间 or 报送情况:
// bold keys on the left, values wrapping on the right. A block of up to a third of a page is kept
// on one page.
func (d *Doc) KeyValues(pairs [][2]string) {
	if !d.begin() || len(pairs) == 0 {
		return
	}
	const size = 10.5
	lh := size * mmPerPt * 1.6
	keys := make([]string, len(pairs))
	d.setFont(size, true)
	keyW := 0.0
	for i, p := range pairs {
		keys[i] = clean(p[0])
		if k := strings.TrimSpace(keys[i]); k != "" && !strings.HasSuffix(k, "：") && !strings.HasSuffix(k, ":") {
			keys[i] = k + "："
		}
		keyW = max(keyW, d.measure(keys[i]))
	}
	keyW = min(keyW+1, 0.4*d.textWidth())
	valW := d.textWidth() - keyW
	kls, vls := make([][]line, len(pairs)), make([][]line, len(pairs))
	total := 0.0
	for i, p := range pairs {
		d.setFont(size, true)
		kls[i] = d.wrap(keys[i], keyW, 0)
		d.setFont(size, false)
		vls[i] = d.wrap(p[1], valW, 0)
		total += float64(max(len(kls[i]), len(vls[i]))) * lh
	}
	if total <= d.bodyHeight()/3 {
		d.need(total) // a small block stays together
	}
	d.setText(Black)
	for i := range pairs {
		kl, vl := kls[i], vls[i]
		n := max(len(kl), len(vl))
		d.need(min(float64(n)*lh, d.bodyHeight())) // a pair taller than a page continues on the next
		for j := range n {
			d.need(lh)
			y := d.y()
			if j < len(kl) {
				d.setFont(size, true)
				d.textLine(d.left, y, keyW, lh, kl[j].text, AlignLeft, false)
			}
			if j < len(vl) {
				d.setFont(size, false)
				d.textLine(d.left+keyW, y, valW, lh, vl[j].text, AlignLeft, false)
			}
			d.setY(y + lh)
		}
	}
}

// Box adds a paragraph in a ruled box with a bold title line, such as the 更正说明 of a revised
// edition: 10.5 pt text, the rule and the title in colour c (black when not set). A box that fits on
// the rest of the page is kept together; a longer one is closed at the foot of each page and
// reopened on the next.
func (d *Doc) Box(title, text string, c Color) {
	if !d.begin() {
		return
	}
	if !c.IsSet() {
		c = Black
	}
	const size, pad = 10.5, 2.5
	lh := size * mmPerPt * 1.6
	inner := d.textWidth() - 2*pad
	d.setFont(size, true)
	tl := d.wrap(title, inner, 0)
	d.setFont(size, false)
	bl := d.wrap(text, inner, 0)
	total := float64(len(tl)+len(bl))*lh + 2*pad
	if total <= d.bodyHeight()/2 {
		d.need(total)
	}
	top := d.y()
	d.setY(top + pad)
	frame := func(bottom float64) {
		d.setDraw(c)
		d.pdf.SetLineWidth(0.4)
		d.pdf.Rect(d.left, top, d.textWidth(), bottom-top, "D")
		d.drawn()
	}
	draw := func(ls []line, bold bool, color Color) {
		for _, l := range ls {
			if !d.fits(lh + pad) {
				frame(d.y() + pad)
				d.newPage()
				top = d.y()
				d.setY(top + pad)
			}
			d.setFont(size, bold)
			d.setText(color)
			y := d.y()
			d.textLine(d.left+pad, y, inner, lh, l.text, AlignLeft, !l.last)
			d.setY(y + lh)
		}
	}
	draw(tl, true, c)
	draw(bl, false, Black)
	frame(d.y() + pad)
	d.setText(Black)
	d.setY(d.y() + pad + 2)
}
