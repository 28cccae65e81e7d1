package pdf

// TitleBlockSpec is the head of a bulletin (简报): a red masthead, the issue number, the issuing unit
// and date above a red double rule, then the bulletin's own title.
type TitleBlockSpec struct {
	Masthead string // e.g. 石家庄市县域特色产业集群工作简报, red, bold, centred
	Issue    string // e.g. 第9期, centred under the masthead
	Unit     string // the issuing unit, left
	Date     string // e.g. 2025年10月15日, right
	Title    string // the title of this issue, bold, centred; wraps into lines of even length
}

// TitleBlock adds the head of a bulletin in the style of a government 简报. It starts on the current
// page, normally the first.
func (d *Doc) TitleBlock(s TitleBlockSpec) {
	if !d.begin() {
		return
	}
	w := d.textWidth()
	if s.Masthead != "" {
		// The masthead is set as large as fits on one line, between 20 and 30 pt; a longer one wraps.
		size := 30.0
		d.setFont(size, true)
		for size > 20 && d.measure(clean(s.Masthead)) > w {
			size--
			d.setFont(size, true)
		}
		d.setText(GovRed)
		lh := size * mmPerPt * 1.3
		for _, l := range d.wrap(s.Masthead, w, 0) {
			d.need(lh)
			y := d.y()
			d.textLine(d.left, y, w, lh, l.text, AlignCenter, false)
			d.setY(y + lh)
		}
		d.setY(d.y() + 3)
	}
	d.setText(Black)
	if s.Issue != "" {
		lh := 14 * mmPerPt * 1.5
		d.setFont(14, false)
		d.need(lh)
		y := d.y()
		d.textLine(d.left, y, w, lh, clean(s.Issue), AlignCenter, false)
		d.setY(y + lh + 2)
	}
	if s.Unit != "" || s.Date != "" {
		const size = 12
		lh := size * mmPerPt * 1.6
		d.setFont(size, false)
		date := clean(s.Date)
		dateW := d.measure(date)
		unitW := w - dateW - 6
		for i, l := range d.wrap(s.Unit, unitW, 0) {
			d.need(lh)
			y := d.y()
			d.textLine(d.left, y, unitW, lh, l.text, AlignLeft, false)
			if i == 0 {
				d.textLine(d.right-dateW, y, dateW, lh, date, AlignLeft, false)
			}
			d.setY(y + lh)
		}
	}
	// The red double rule (反线): a heavy line over a hairline.
	d.need(4)
	y := d.y() + 1
	d.setDraw(GovRed)
	d.pdf.SetLineWidth(0.9)
	d.pdf.Line(d.left, y, d.right, y)
	d.pdf.SetLineWidth(0.3)
	d.pdf.Line(d.left, y+1.4, d.right, y+1.4)
	d.drawn()
	d.setY(y + 1.4 + 8)

	if s.Title != "" {
		const size = 18
		lh := size * mmPerPt * 1.45
		d.setFont(size, true)
		for _, l := range d.balanced(s.Title, w-2*size*mmPerPt) {
			d.need(lh)
			y := d.y()
			d.textLine(d.left, y, w, lh, l.text, AlignCenter, false)
			d.setY(y + lh)
		}
		d.setY(d.y() + 5)
	}
}

// balanced breaks text for the current font into as few lines as fit width, made as even as they can
// be: a title that needs two lines breaks near its middle instead of leaving two characters on the
// second. It narrows the measure while the number of lines stays the same.
func (d *Doc) balanced(text string, width float64) []line {
	lines := d.wrap(text, width, 0)
	if len(lines) < 2 {
		return lines
	}
	n := len(lines)
	lo, hi := d.measure(clean(text))/float64(n), width
	for range 24 {
		mid := (lo + hi) / 2
		if len(d.wrap(text, mid, 0)) == n {
			hi = mid
		} else {
			lo = mid
		}
	}
	return d.wrap(text, hi, 0)
}
