// Package pdf typesets lingpao's print-ready Chinese reports (季度通报, 简报, county scorecards) as
// A4 PDF files: a small flowing-layout API — title block, headings, paragraphs, tables, bar charts —
// with our own CJK line breaking (避头尾) and page numbering.
//
// It is the only package that imports github.com/jung-kurt/gofpdf, an archived library; keeping
// its API this small makes replacing the engine a change to this package alone.
package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"

	"lingpao"
)

// mmPerPt converts font sizes (points) to page units (millimetres).
const mmPerPt = 25.4 / 72

// Orientation is the direction of the page.
type Orientation int

// The orientations.
const (
	Portrait Orientation = iota
	Landscape
)

// Margins are the page margins in millimetres. A zero field takes its default: 25 top and bottom,
// 28 left and 26 right, which leaves the 156 mm text width of GB/T 9704 on a portrait A4 page.
type Margins struct {
	Top, Right, Bottom, Left float64
}

// Options configure a document. Pages are A4.
type Options struct {
	Orientation Orientation
	Margins     Margins

	// Document metadata.
	Title, Subject, Author, Creator, Keywords string
	// CreationDate is written as the creation and modification date. Pin it (e.g. to the data
	// cut-off) so that rerunning a report gives the same file; zero means now.
	CreationDate time.Time

	// Footer numbers the pages 「第x页 共y页」, centred at the bottom.
	Footer bool
}

// Align is the horizontal alignment of text.
type Align int

// The alignments. AlignAuto is justified for paragraphs and, in a table column, right for numbers
// and centred or left for text.
const (
	AlignAuto Align = iota
	AlignLeft
	AlignCenter
	AlignRight
	AlignJustify
)

// Doc is a PDF document being laid out, top to bottom. Each method adds content after the previous
// and starts a new page when the current one is full. Errors are sticky: after the first, methods do
// nothing and WriteTo returns it. A Doc is not safe for concurrent use.
type Doc struct {
	pdf *gofpdf.Fpdf
	opt Options
	k   float64 // points per millimetre

	pageW, pageH float64
	left, right  float64 // x of the text area's edges
	top, bottom  float64 // y of the text area's edges

	regular, bold string // gofpdf families of the two faces; the same when there is no bold face
	subsets       []subsetName

	fontSize float64 // current font, to skip redundant SetFont calls
	fontBold bool
	fontSet  bool

	pageEmpty bool // nothing drawn on the current page yet
	err       error
	out       []byte // the finished file, once WriteTo has run
	fonts     *Fonts // whose cut faces the document is written with (fontcut.go)
}

// subsetName renames an embedded font in the finished file. gofpdf embeds a subset but names it
// "utf8<family><style>", without the tag that marks a subset (ISO 32000-1 §9.6.4: six capital
// letters and "+", e.g. "QXBKAE+LXGWWenKai-Regular"), so pdffonts and preflight tools report it as
// a full font. The family is chosen so that gofpdf's name has exactly the length of the proper one,
// which then replaces it byte for byte in the finished file without moving any object offset.
type subsetName struct{ placeholder, name string }

// New starts a document set in the given fonts. The font faces are registered once here — parsed
// once per process (fontparse.go) — and only the characters used are embedded.
func New(f *Fonts, o Options) (*Doc, error) {
	if f == nil || len(f.Regular) == 0 {
		return nil, fmt.Errorf("pdf.New: %w", lingpao.Errorf(lingpao.EINVALID, "%s", noFontMessage))
	}
	m := o.Margins
	m.Top = orDefault(m.Top, 25)
	m.Bottom = orDefault(m.Bottom, 25)
	m.Left = orDefault(m.Left, 28)
	m.Right = orDefault(m.Right, 26)
	o.Margins = m

	orient := "P"
	if o.Orientation == Landscape {
		orient = "L"
	}
	p := gofpdf.New(orient, "mm", "A4", "")
	d := &Doc{pdf: p, opt: o, k: p.GetConversionRatio(), pageEmpty: true, fonts: f}
	d.pageW, d.pageH = p.GetPageSize()
	d.left, d.right = m.Left, d.pageW-m.Right
	d.top, d.bottom = m.Top, d.pageH-m.Bottom
	if d.right-d.left < 20 || d.bottom-d.top < 20 {
		return nil, fmt.Errorf("pdf.New: margins %+v leave no room for text", m)
	}

	p.SetMargins(m.Left, m.Top, m.Right)
	p.SetAutoPageBreak(false, m.Bottom) // we break pages ourselves, before each line
	p.SetCellMargin(0)
	p.SetCompression(true)
	p.SetCatalogSort(true) // resources in a fixed order, so that reruns give the same bytes
	if !o.CreationDate.IsZero() {
		p.SetCreationDate(o.CreationDate)
		p.SetModificationDate(o.CreationDate)
	}
	p.SetTitle(o.Title, true)
	p.SetSubject(o.Subject, true)
	p.SetAuthor(o.Author, true)
	p.SetCreator(o.Creator, true)
	p.SetKeywords(o.Keywords, true)
	p.SetProducer("lingpao", false)

	regular := subsetFor(f.RegularPath, "lpr")
	d.regular, d.bold = regular.family, regular.family
	d.subsets = append(d.subsets, regular.subsetName)
	if _, err := addFontOnce(p, regular.family, f.Regular); err != nil {
		return nil, fmt.Errorf("pdf.New: %w", badParseError(f.RegularPath, err))
	}
	if !f.BoldFromRegular && len(f.Bold) > 0 && f.BoldPath != f.RegularPath {
		bold := subsetFor(f.BoldPath, "lpb")
		d.bold = bold.family
		d.subsets = append(d.subsets, bold.subsetName)
		if _, err := addFontOnce(p, bold.family, f.Bold); err != nil {
			return nil, fmt.Errorf("pdf.New: %w", badParseError(f.BoldPath, err))
		}
	}
	return d, nil
}

// addFont registers a TrueType face with gofpdf and checks that it took. gofpdf panics on some
// malformed fonts, and on others prints to stdout and registers nothing; both become errors.
func addFont(p *gofpdf.Fpdf, family string, data []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("gofpdf: parsing font: %v", r)
		}
	}()
	p.AddUTF8FontFromBytes(family, "", data)
	p.SetFont(family, "", 12) // fails with "undefined font" when the font was not registered
	return p.Error()
}

// badParseError tells the user that the font at path could not be read as a font.
func badParseError(path string, err error) error {
	return fmt.Errorf("%w: %w", lingpao.Errorf(lingpao.EINVALID,
		"字体文件“%s”无法解析，请换用其他 TrueType（.ttf）字体，例如 sudo apt-get install fonts-lxgw-wenkai。", path), err)
}

type fontSubset struct {
	family string
	subsetName
}

// subsetFor names the embedded subset of the font file at path. Each face is its own gofpdf family
// (prefix "lpr" or "lpb"), padded so that gofpdf's name is as long as the proper one. The tag is
// derived from the name, so that reruns give the same file.
func subsetFor(path, prefix string) fontSubset {
	ps := postScriptName(path)
	h := fnv.New32a()
	h.Write([]byte(prefix + ps))
	sum := h.Sum32()
	var tag [6]byte
	for i := range tag {
		tag[i] = 'A' + byte(sum%26)
		sum /= 26
	}
	name := string(tag[:]) + "+" + ps
	family := prefix + strings.Repeat("x", len(name)-len("utf8")-len(prefix))
	return fontSubset{family: family, subsetName: subsetName{placeholder: "utf8" + family, name: name}}
}

// postScriptName makes a PDF font name from a font file name: LXGWWenKai-Regular.ttf →
// LXGWWenKai-Regular.
func postScriptName(path string) string {
	base := filepath.Base(strings.ReplaceAll(path, `\`, "/"))
	base = strings.TrimSuffix(base, filepath.Ext(base))
	var b strings.Builder
	for _, r := range base {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-') && b.Len() < 40 {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return "Font"
	}
	return b.String()
}

func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}

// Err returns the first error met while laying out the document, if any.
func (d *Doc) Err() error {
	if d.err != nil {
		return d.err
	}
	if err := d.pdf.Error(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// Remaining returns the height in millimetres left on the current page, for keeping a block
// together: if d.Remaining() < h { d.PageBreak() }.
func (d *Doc) Remaining() float64 {
	if !d.begin() {
		return 0
	}
	return max(d.bottom-d.y(), 0)
}

// PageCount returns the number of pages laid out so far.
func (d *Doc) PageCount() int { return d.pdf.PageCount() }

// WriteTo finishes the document — numbering the pages when Options.Footer is set — and writes it to
// w. It returns the first layout error, if any. Nothing can be added afterwards; a second call
// writes the same bytes again.
func (d *Doc) WriteTo(w io.Writer) (int64, error) {
	if d.err != nil {
		return 0, fmt.Errorf("pdf.WriteTo: %w", d.err)
	}
	if d.out == nil {
		if err := d.finish(); err != nil {
			return 0, fmt.Errorf("pdf.WriteTo: %w", err)
		}
	}
	n, err := w.Write(d.out)
	if err != nil {
		return int64(n), fmt.Errorf("pdf.WriteTo: %w", err)
	}
	return int64(n), nil
}

// errWritten is the error of adding content to a document that has been written.
var errWritten = errors.New("pdf: content added after WriteTo")

func (d *Doc) finish() error {
	if !d.begin() {
		return d.Err()
	}
	if d.opt.Footer {
		d.drawFooters()
	}
	var buf bytes.Buffer
	cutMu.Lock()
	d.fonts.useCuts(d.pdf, []string{d.regular, d.bold})
	err := d.pdf.Output(&buf)
	cutMu.Unlock()
	if err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	out := buf.Bytes()
	for _, s := range d.subsets {
		out = bytes.ReplaceAll(out, []byte("/"+s.placeholder), []byte("/"+s.name))
	}
	d.out = out
	return nil
}

// drawFooters numbers every page once the page count is known. (gofpdf's AliasNbPages does
// replace its alias in UTF-8 text, but the centred footer would be measured with the alias, not
// the number, and so sit off centre.)
func (d *Doc) drawFooters() {
	n := d.pdf.PageCount()
	for i := 1; i <= n; i++ {
		d.pdf.SetPage(i)
		d.fontSet = false // the page's own stream does not have our current font set
		d.setFont(9, false)
		// The fill is set explicitly so that gofpdf writes the text colour into this page's stream.
		d.setFill(White)
		d.setText(Gray)
		d.pdf.SetXY(d.left, d.pageH-d.opt.Margins.Bottom/2-3)
		d.pdf.CellFormat(d.right-d.left, 6, fmt.Sprintf("第%d页 共%d页", i, n), "", 0, "C", false, 0, "")
	}
	d.setText(Black)
}

// begin prepares for drawing: it reports false once the document has failed or been written, and
// opens the first page.
func (d *Doc) begin() bool {
	if d.out != nil {
		d.fail(errWritten)
	}
	if d.err != nil || d.pdf.Error() != nil {
		return false
	}
	if d.pdf.PageNo() == 0 {
		d.newPage()
	}
	return true
}

// fail records the first error.
func (d *Doc) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

func (d *Doc) newPage() {
	d.pdf.AddPage()
	d.pdf.SetXY(d.left, d.top)
	d.pageEmpty = true
}

// y returns the current vertical position.
func (d *Doc) y() float64 { return d.pdf.GetY() }

// setY moves to y at the left margin.
func (d *Doc) setY(y float64) { d.pdf.SetXY(d.left, y) }

// textWidth returns the width of the text area.
func (d *Doc) textWidth() float64 { return d.right - d.left }

// bodyHeight returns the height of the text area.
func (d *Doc) bodyHeight() float64 { return d.bottom - d.top }

// fits reports whether h more millimetres fit on the current page.
func (d *Doc) fits(h float64) bool { return d.y()+h <= d.bottom+0.01 }

// need starts a new page unless h more millimetres fit on this one (or this one is still empty).
func (d *Doc) need(h float64) {
	if !d.fits(h) && !d.pageEmpty {
		d.newPage()
	}
}

// drawn marks the page as having content.
func (d *Doc) drawn() { d.pageEmpty = false }

// setFont selects the regular or bold face at size points.
func (d *Doc) setFont(size float64, bold bool) {
	if d.fontSet && d.fontSize == size && d.fontBold == bold {
		return
	}
	family := d.regular
	if bold {
		family = d.bold
	}
	d.pdf.SetFont(family, "", size)
	d.fontSize, d.fontBold, d.fontSet = size, bold, true
}

func (d *Doc) setText(c Color) { d.pdf.SetTextColor(c.RGB()) }
func (d *Doc) setFill(c Color) { d.pdf.SetFillColor(c.RGB()) }
func (d *Doc) setDraw(c Color) { d.pdf.SetDrawColor(c.RGB()) }

// measure returns the width of s in the current font.
func (d *Doc) measure(s string) float64 { return d.pdf.GetStringWidth(s) }

// wrap breaks text for the current font into lines of width, the first of each paragraph indent
// narrower.
func (d *Doc) wrap(text string, width, indent float64) []line {
	return breakLines(clean(text), width, indent, d.measure)
}

// textLine draws one line of text in a box of width w and height h at (x, y), vertically centred.
// justify spreads the characters over the width, as 两端对齐 does, unless the line is far too short
// for that to look right.
func (d *Doc) textLine(x, y, w, h float64, s string, align Align, justify bool) {
	d.pdf.SetXY(x, y)
	a := "L"
	switch align {
	case AlignCenter:
		a = "C"
	case AlignRight:
		a = "R"
	}
	if justify {
		n := utf8.RuneCountInString(s)
		slack := w - d.measure(s)
		if n > 1 && slack > 0.05 && slack < 3*d.fontSize*mmPerPt {
			// Character spacing (Tc) applies to every glyph, CJK included; gofpdf's word spacing
			// only widens ASCII spaces.
			d.pdf.RawWriteStr(fmt.Sprintf("%.4f Tc", slack/float64(n-1)*d.k))
			d.pdf.CellFormat(w, h, s, "", 0, "L", false, 0, "")
			d.pdf.RawWriteStr("0 Tc")
			d.drawn()
			return
		}
	}
	d.pdf.CellFormat(w, h, s, "", 0, a, false, 0, "")
	d.drawn()
}

// clean makes text safe for gofpdf: valid UTF-8; "\r\n" and "\r" as "\n"; tabs as spaces; other
// control characters removed; and characters beyond the Basic Multilingual Plane — which gofpdf
// can neither measure nor encode — replaced by 〓, the traditional mark of a missing character.
func clean(s string) string {
	ok := true
	for i := 0; i < len(s) && ok; i++ {
		c := s[i]
		// Controls, DEL, C1 controls (0xC2 0x80–0x9F) and lead bytes of 4-byte sequences.
		ok = (c >= 0x20 || c == '\n') && c != 0x7F && c < 0xF0 && (c != 0xC2 || i+1 >= len(s) || s[i+1] >= 0xA0)
	}
	if ok && utf8.ValidString(s) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\r':
			return '\n'
		case r == '\t':
			return ' '
		case unicode.IsControl(r):
			return -1
		case r > 0xFFFF:
			return '〓'
		}
		return r
	}, s)
}
