package pdf

import (
	"fmt"
	"math"
	"strconv"
)

// ChartSpec describes a bar chart: one horizontal bar per label, which keeps two dozen Chinese
// county names readable without rotating them.
type ChartSpec struct {
	Title  string
	Labels []string
	// Values are the bar lengths, one per label. NaN means no figure: the bar is left out and marked
	// with its Notes entry (未报送 when there is none), never drawn as zero.
	Values []float64
	// Notes, when set, say per bar why a NaN bar has no figure: 未报送, 无任务, 1–2月合并.
	Notes []string
	// Reference, when set, is drawn as a dashed line across the bars, labelled ReferenceLabel and
	// the value (e.g. 序时进度 75%).
	Reference      *float64
	ReferenceLabel string
	// Unit "%" is appended to values and ticks; any other unit is shown once, as 单位：….
	Unit string
	// Decimals is the number of digits after the point in value labels; 0 means as many as the
	// most precise value needs, up to 2.
	Decimals int
	// Width and Height in millimetres; 0 means the text width and 6.5 mm per bar.
	Width, Height float64
	// BarColors colour the bars, one per bar (e.g. StatusColor of each county) or one for all;
	// a bar without one is steel blue.
	BarColors []Color
	// Legend, when set, explains the colours under the title.
	Legend []LegendEntry
}

// LegendEntry is one colour of a chart's legend.
type LegendEntry struct {
	Label string
	Color Color
}

// Chart colours: a bar with no colour of its own, and the grid.
const (
	barBlue  = colorSet | 0x3B6EA8
	gridGray = colorSet | 0xD9D9D9
)

// Chart layout, in millimetres and points.
const (
	chartLabelSize = 9.0
	chartSmallSize = 8.0
	chartTitleSize = 11.0
	chartAxisH     = 6.0 // tick labels under the plot
	chartRefH      = 4.5 // the reference line's label above the plot
	chartLegendH   = 5.5
	chartPad       = 1.5 // space above the first and below the last bar
)

// BarChart adds a horizontal bar chart drawn with vector lines and rectangles: labels on the left,
// values at the bar ends, a nice-numbered axis below, and an optional dashed reference line. A
// chart moves to the next page unless it fits; one taller than a page continues on the next.
func (d *Doc) BarChart(s ChartSpec) {
	if !d.begin() || len(s.Values) == 0 {
		return
	}
	if len(s.Labels) != len(s.Values) {
		d.fail(fmt.Errorf("pdf.BarChart(%q): %d labels for %d values", s.Title, len(s.Labels), len(s.Values)))
		return
	}
	if s.Reference != nil && (math.IsNaN(*s.Reference) || math.IsInf(*s.Reference, 0)) {
		s.Reference = nil
	}
	c := chartLayout{d: d, s: s}
	c.layout()

	d.need(min(c.headH()+c.frameH()+float64(len(s.Values))*c.rowH, d.bodyHeight()))
	c.drawHead()
	for from := 0; from < len(s.Values); {
		k := int((d.bottom - d.y() - c.frameH()) / c.rowH)
		if k < 1 {
			d.newPage()
			continue
		}
		to := min(from+k, len(s.Values))
		c.drawBars(from, to)
		from = to
	}
	d.setText(Black)
	d.setY(d.y() + 3)
}

// ChartHeight returns the height in millimetres the chart s takes, so that a heading and its chart
// can be kept together: if d.Remaining() < headingH+d.ChartHeight(s) { d.PageBreak() }.
func (d *Doc) ChartHeight(s ChartSpec) float64 {
	if !d.begin() || len(s.Values) == 0 || len(s.Labels) != len(s.Values) {
		return 0
	}
	c := chartLayout{d: d, s: s}
	c.layout()
	return c.headH() + c.frameH() + float64(len(s.Values))*c.rowH + 3
}

// chartLayout holds the geometry of one chart.
type chartLayout struct {
	d *Doc
	s ChartSpec

	x0, w          float64 // the chart's box
	labelW         float64
	labels         [][]line
	plotX0, plotX1 float64
	lo, hi, step   float64
	decimals       int // of value labels
	rowH           float64
}

func (c *chartLayout) layout() {
	d, s := c.d, c.s
	c.w = s.Width
	if c.w <= 0 || c.w > d.textWidth() {
		c.w = d.textWidth()
	}
	c.x0 = d.left + (d.textWidth()-c.w)/2

	// Labels: as wide as the widest, up to 28% of the chart; longer ones wrap.
	d.setFont(chartLabelSize, false)
	for _, l := range s.Labels {
		c.labelW = max(c.labelW, d.measure(clean(l)))
	}
	c.labelW = min(c.labelW, 0.28*c.w)
	c.labels = make([][]line, len(s.Values))
	lines := 1
	for i := range s.Values {
		if i < len(s.Labels) {
			c.labels[i] = d.wrap(s.Labels[i], c.labelW, 0)
		}
		lines = max(lines, len(c.labels[i]))
	}

	// The scale covers zero, every value and the reference.
	lo, hi := 0.0, 0.0
	for _, v := range s.Values {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	if s.Reference != nil {
		lo, hi = min(lo, *s.Reference), max(hi, *s.Reference)
	}
	if hi-lo < 1e-9 {
		hi = lo + 1
	}
	c.lo, c.hi, c.step = niceScale(lo, hi, 6)
	if c.decimals = s.Decimals; c.decimals <= 0 {
		// As many decimals as the most precise value needs, up to 2, the same for every bar.
		for _, v := range s.Values {
			for c.decimals < 2 && !math.IsNaN(v) && !math.IsInf(v, 0) &&
				math.Abs(v*math.Pow(10, float64(c.decimals))-math.Round(v*math.Pow(10, float64(c.decimals)))) > 1e-6 {
				c.decimals++
			}
		}
	}

	// Room for the value labels past the bar ends, on the right and, for negatives, the left.
	d.setFont(chartSmallSize, false)
	right, left := d.measure("未报送"), 0.0
	for i := range s.Values {
		right = max(right, d.measure(c.note(i)))
	}
	for _, v := range s.Values {
		if math.IsNaN(v) {
			continue
		}
		if w := d.measure(c.format(v)); v >= 0 {
			right = max(right, w)
		} else {
			left = max(left, w)
		}
	}
	c.plotX0 = c.x0 + c.labelW + 2
	if left > 0 {
		c.plotX0 += left + 1.5
	}
	c.plotX1 = c.x0 + c.w - right - 1.5

	labelLH := chartLabelSize * mmPerPt * 1.2
	c.rowH = 6.5
	if s.Height > 0 {
		c.rowH = (s.Height - c.headH() - c.frameH()) / float64(len(s.Values))
	}
	c.rowH = max(c.rowH, float64(lines)*labelLH+1.2, 4)
}

// note is what bar i without a figure says.
func (c *chartLayout) note(i int) string {
	if i < len(c.s.Notes) && c.s.Notes[i] != "" {
		return c.s.Notes[i]
	}
	return "未报送"
}

// headH is the height of the title and legend line, drawn once.
func (c *chartLayout) headH() float64 {
	h := 0.0
	if c.s.Title != "" {
		h += chartTitleSize*mmPerPt*1.5 + 1
	}
	if len(c.s.Legend) > 0 || (c.s.Unit != "" && c.s.Unit != "%") {
		h += chartLegendH
	}
	return h
}

// frameH is the height of everything but the bars in each part of the chart: reference label,
// padding and axis.
func (c *chartLayout) frameH() float64 {
	h := 2*chartPad + chartAxisH
	if c.s.Reference != nil {
		h += chartRefH
	}
	return h
}

func (c *chartLayout) x(v float64) float64 {
	return c.plotX0 + (v-c.lo)/(c.hi-c.lo)*(c.plotX1-c.plotX0)
}

// format writes a value label.
func (c *chartLayout) format(v float64) string {
	s := strconv.FormatFloat(v, 'f', c.decimals, 64)
	if c.s.Unit == "%" {
		s += "%"
	}
	return s
}

// drawHead draws the title, the legend and the unit.
func (c *chartLayout) drawHead() {
	d, s := c.d, c.s
	if s.Title != "" {
		lh := chartTitleSize * mmPerPt * 1.5
		d.setFont(chartTitleSize, true)
		d.setText(Black)
		y := d.y()
		d.textLine(c.x0, y, c.w, lh, clean(s.Title), AlignCenter, false)
		d.setY(y + lh + 1)
	}
	if len(s.Legend) == 0 && (s.Unit == "" || s.Unit == "%") {
		return
	}
	y := d.y()
	d.setFont(chartSmallSize, false)
	const sw, gap = 3.0, 4.0
	total := 0.0
	for _, e := range s.Legend {
		total += sw + 1 + d.measure(clean(e.Label)) + gap
	}
	x := c.x0 + (c.w-total)/2
	for _, e := range s.Legend {
		d.setFill(e.Color)
		d.pdf.Rect(x, y+(chartLegendH-sw)/2, sw, sw, "F")
		label := clean(e.Label)
		lw := d.measure(label)
		d.setText(Black)
		d.textLine(x+sw+1, y, lw, chartLegendH, label, AlignLeft, false)
		x += sw + 1 + lw + gap
	}
	if s.Unit != "" && s.Unit != "%" {
		d.setText(Gray)
		d.textLine(c.x0, y, c.w, chartLegendH, "单位："+clean(s.Unit), AlignRight, false)
	}
	d.setY(y + chartLegendH)
}

// drawBars draws bars [from, to) with their frame, from the current position down.
func (c *chartLayout) drawBars(from, to int) {
	d, s := c.d, c.s
	p := d.pdf
	y := d.y()
	if s.Reference != nil {
		d.setFont(chartSmallSize, false)
		d.setText(GovRed)
		label := c.format(*s.Reference)
		if s.ReferenceLabel != "" {
			label = clean(s.ReferenceLabel) + " " + label
		}
		lw := d.measure(label)
		x := min(max(c.x(*s.Reference)-lw/2, c.plotX0), c.x0+c.w-lw)
		d.textLine(x, y, lw, chartRefH, label, AlignLeft, false)
		y += chartRefH
	}
	top := y
	bottom := top + 2*chartPad + float64(to-from)*c.rowH

	// Grid and ticks.
	p.SetLineWidth(0.15)
	d.setDraw(gridGray)
	d.setFont(chartSmallSize, false)
	d.setText(Gray)
	prec := max(0, -int(math.Floor(math.Log10(c.step)+1e-9)))
	for i := range int(math.Round((c.hi-c.lo)/c.step)) + 1 {
		v := c.lo + float64(i)*c.step
		x := c.x(v)
		p.Line(x, top, x, bottom)
		label := strconv.FormatFloat(v, 'f', prec, 64)
		if label == "-0" {
			label = "0"
		}
		if s.Unit == "%" {
			label += "%"
		}
		lw := d.measure(label)
		d.textLine(x-lw/2, bottom+1, lw, chartAxisH-1, label, AlignLeft, false)
	}
	d.setDraw(RuleGray)
	p.SetLineWidth(0.2)
	p.Line(c.plotX0, bottom, c.plotX1, bottom)

	// Bars, labels and values.
	bar := min(0.62*c.rowH, 5.0)
	zero := c.x(0)
	labelLH := chartLabelSize * mmPerPt * 1.2
	for i := from; i < to; i++ {
		yc := top + chartPad + (float64(i-from)+0.5)*c.rowH
		lines := c.labels[i]
		d.setFont(chartLabelSize, false)
		d.setText(Black)
		ly := yc - float64(len(lines))*labelLH/2
		for k, l := range lines {
			d.textLine(c.x0, ly+float64(k)*labelLH, c.labelW, labelLH, l.text, AlignRight, false)
		}
		v := s.Values[i]
		d.setFont(chartSmallSize, false)
		if math.IsNaN(v) {
			d.setText(ColorMissing)
			d.textLine(zero+1, yc-2, c.plotX1-zero, 4, c.note(i), AlignLeft, false)
			continue
		}
		d.setFill(c.color(i))
		x := c.x(v)
		p.Rect(min(zero, x), yc-bar/2, math.Abs(x-zero), bar, "F")
	}
	// The zero line and the reference line go over the bars, the value labels over them.
	d.setDraw(RuleGray)
	p.SetLineWidth(0.3)
	p.Line(zero, top, zero, bottom)
	if s.Reference != nil {
		x := c.x(*s.Reference)
		d.setDraw(GovRed)
		p.SetLineWidth(0.35)
		p.SetDashPattern([]float64{1.2, 0.8}, 0)
		p.Line(x, top, x, bottom)
		p.SetDashPattern(nil, 0)
	}
	d.setFont(chartSmallSize, false)
	d.setText(Black)
	d.setFill(White)
	for i := from; i < to; i++ {
		v := s.Values[i]
		if math.IsNaN(v) {
			continue
		}
		yc := top + chartPad + (float64(i-from)+0.5)*c.rowH
		x := c.x(v)
		label := c.format(v)
		lw := d.measure(label)
		lx := x + 1
		if v < 0 {
			lx = x - 1 - lw
		}
		p.Rect(lx-0.4, yc-1.6, lw+0.8, 3.2, "F")
		d.textLine(lx, yc-2, lw, 4, label, AlignLeft, false)
	}
	d.drawn()
	d.setY(bottom + chartAxisH)
}

// color returns the colour of bar i.
func (c *chartLayout) color(i int) Color {
	var col Color
	switch n := len(c.s.BarColors); {
	case i < n:
		col = c.s.BarColors[i]
	case n == 1:
		col = c.s.BarColors[0]
	}
	if !col.IsSet() {
		col = barBlue
	}
	return col
}

// niceScale returns an axis from lo to hi with about ticks ticks at round steps (1, 2 or 5 × 10ⁿ)
// that covers lo and hi.
func niceScale(lo, hi float64, ticks int) (from, to, step float64) {
	step = niceNum((hi-lo)/float64(ticks-1), true)
	return math.Floor(lo/step) * step, math.Ceil(hi/step) * step, step
}

// niceNum returns a round number near x: the nearest of 1, 2, 5, 10 × 10ⁿ when round, else the
// next above.
func niceNum(x float64, round bool) float64 {
	exp := math.Floor(math.Log10(x))
	f := x / math.Pow(10, exp)
	var nf float64
	switch {
	case round && f < 1.5, !round && f <= 1:
		nf = 1
	case round && f < 3, !round && f <= 2:
		nf = 2
	case round && f < 7, !round && f <= 5:
		nf = 5
	default:
		nf = 10
	}
	return nf * math.Pow(10, exp)
}
