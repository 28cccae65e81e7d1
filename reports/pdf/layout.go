package pdf

import (
	"io"
)

// A layout is a report as a list of blocks — title block, headings, paragraphs, boxes, tables,
// charts — made from the report's content before anything is drawn. Draw sets it on the pages;
// Texts lists every text it prints, in order, which is what a test reads back from the PDF.
type Layout struct {
	blocks []block
}

type block struct {
	title   *TitleBlockSpec
	heading string
	level   int
	para    string
	style   ParagraphStyle
	note    string
	boxHead string
	boxText string
	boxRule Color
	table   *TableSpec
	chart   *ChartSpec
	spacer  float64
	newPage bool
}

// TitleBlock adds the head of a bulletin.
func (l *Layout) TitleBlock(s TitleBlockSpec) { l.blocks = append(l.blocks, block{title: &s}) }

// Heading adds a section heading of the given level.
func (l *Layout) Heading(text string, level int) {
	l.blocks = append(l.blocks, block{heading: text, level: level})
}

// Paragraph adds paragraphs ("\n" separates them) in style s.
func (l *Layout) Paragraph(text string, s ParagraphStyle) {
	if text != "" {
		l.blocks = append(l.blocks, block{para: text, style: s})
	}
}

// Body adds body text: 12 pt with a two-character first-line indent.
func (l *Layout) Body(texts ...string) {
	for _, t := range texts {
		l.Paragraph(t, ParagraphStyle{Indent: 2})
	}
}

// Note adds small grey text.
func (l *Layout) Note(text string) {
	if text != "" {
		l.blocks = append(l.blocks, block{note: text})
	}
}

// Box adds a boxed paragraph with a title.
func (l *Layout) Box(title, text string, c Color) {
	if text != "" {
		l.blocks = append(l.blocks, block{boxHead: title, boxText: text, boxRule: c})
	}
}

// Table adds a table.
func (l *Layout) Table(s TableSpec) { l.blocks = append(l.blocks, block{table: &s}) }

// Chart adds a bar chart.
func (l *Layout) Chart(s ChartSpec) { l.blocks = append(l.blocks, block{chart: &s}) }

// Spacer adds vertical space.
func (l *Layout) Spacer(mm float64) { l.blocks = append(l.blocks, block{spacer: mm}) }

// PageBreak starts a new page.
func (l *Layout) PageBreak() { l.blocks = append(l.blocks, block{newPage: true}) }

// headingHeight is about what a one-line heading of the level takes, with its space before and after.
func headingHeight(level int) float64 {
	switch {
	case level <= 1:
		return 16*mmPerPt*1.5 + 7
	case level == 2:
		return 14*mmPerPt*1.5 + 5
	}
	return 12*mmPerPt*1.5 + 3
}

// Draw sets the layout on the document's pages. A heading is kept with a chart that follows it (or a
// paragraph and a chart, after any subheadings): the heading moves to the next page with the chart
// rather than stay alone.
func (d *Doc) Draw(l *Layout) {
	for i, b := range l.blocks {
		switch {
		case b.title != nil:
			d.TitleBlock(*b.title)
		case b.heading != "":
			// What follows the heading and must stay with it: further headings (a section's first
			// subheading), then a paragraph, then a chart.
			keep, j := 0.0, i+1
			for j < len(l.blocks) && l.blocks[j].heading != "" {
				keep += headingHeight(l.blocks[j].level)
				j++
			}
			if j < len(l.blocks) && l.blocks[j].para != "" {
				keep += d.paragraphHeight(l.blocks[j].para, l.blocks[j].style)
				j++
			}
			if j < len(l.blocks) && l.blocks[j].chart != nil {
				keep += d.ChartHeight(*l.blocks[j].chart)
			} else {
				keep = 0
			}
			if keep > 0 && keep+headingHeight(b.level) <= d.bodyHeight() && d.Remaining() < keep+headingHeight(b.level) {
				d.PageBreak()
			}
			d.Heading(b.heading, b.level)
		case b.para != "":
			d.Paragraph(b.para, b.style)
		case b.note != "":
			d.Note(b.note)
		case b.boxText != "":
			d.Box(b.boxHead, b.boxText, b.boxRule)
		case b.table != nil:
			d.Table(*b.table)
		case b.chart != nil:
			d.BarChart(*b.chart)
		case b.spacer > 0:
			d.Spacer(b.spacer)
		case b.newPage:
			d.PageBreak()
		}
	}
}

// paragraphHeight is the height text takes set in style s.
func (d *Doc) paragraphHeight(text string, s ParagraphStyle) float64 {
	if !d.begin() {
		return 0
	}
	s = s.withDefaults()
	d.setFont(s.Size, s.Bold)
	size := s.Size * mmPerPt
	return float64(len(d.wrap(text, d.textWidth(), s.Indent*size))) * size * s.LineHeight
}

// Texts returns every text the layout prints, in reading order: the title block's lines, headings,
// paragraphs, notes, boxes, table captions, headers and cells row by row, chart titles and labels.
func (l *Layout) Texts() []string {
	var out []string
	add := func(ss ...string) {
		for _, s := range ss {
			if s != "" {
				out = append(out, s)
			}
		}
	}
	for _, b := range l.blocks {
		switch {
		case b.title != nil:
			add(b.title.Masthead, b.title.Issue, b.title.Unit, b.title.Date, b.title.Title)
		case b.heading != "":
			add(b.heading)
		case b.para != "":
			add(b.para)
		case b.note != "":
			add(b.note)
		case b.boxText != "":
			add(b.boxHead, b.boxText)
		case b.table != nil:
			add(b.table.Title)
			for _, c := range b.table.Columns {
				add(c.Header)
			}
			for _, r := range b.table.Rows {
				for _, c := range r {
					add(c.Text)
				}
			}
		case b.chart != nil:
			add(b.chart.Title)
			for _, e := range b.chart.Legend {
				add(e.Label)
			}
			add(b.chart.ReferenceLabel)
			add(b.chart.Labels...)
		}
	}
	return out
}

// write lays out l in a new document with options o and writes it to w.
func write(w io.Writer, f *Fonts, o Options, l *Layout) error {
	d, err := New(f, o)
	if err != nil {
		return err
	}
	d.Draw(l)
	_, err = d.WriteTo(w)
	return err
}
