package templates

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
)

// book is a read-only, streaming view of an .xlsx package: its sheets by name, the shared strings and
// the number-format class of each cell style. Sheets are decoded row by row straight from the zip and
// never held whole, and every cell comes back as stored — its type, style, formula and cached value —
// so that the reader can tell a number from a number typed as text, a percentage, a date Excel made
// out of "9-12", or a formula nobody calculated.
type book struct {
	files    map[string]*zip.File // by lower-case part name
	sheets   []bookSheet
	sst      []string
	classes  []numClass // by cell style (xf) index
	date1904 bool
	lim      Limits
	// buf is the scanner buffer, reused by every part of the book.
	buf []byte
}

type bookSheet struct {
	name, part string
	hidden     bool
}

// numClass is what a cell style's number format makes of a number.
type numClass uint8

const (
	numPlain numClass = iota
	numPercent
	numDate
)

// xcell is one cell as stored in the sheet XML.
type xcell struct {
	col, row int    // 1-based
	typ      string // the t attribute: "" or n (number), s, str, inlineStr, b, e, d
	style    int
	// text is the value as excelize reads it with RawCellValue: the <v> text, the shared string it
	// points to, or the inline string (_xHHHH_ escapes decoded in both).
	text    string
	formula bool
}

// ref returns the cell's A1 address.
func (c *xcell) ref() string { return colName(c.col) + strconv.Itoa(c.row) }

// cached reports whether a formula cell carries a calculated value (openpyxl writes none).
func (c *xcell) cached() bool { return !c.formula || c.text != "" }

// errPackage marks a zip that is not a readable spreadsheet package.
var errPackage = errors.New("not a spreadsheet package")

// errTooLarge marks a part beyond the unzip limits.
var errTooLarge = errors.New("part too large")

// errStop ends a sheet stream early without error.
var errStop = errors.New("stop")

const (
	relOfficeDocument = "/officeDocument"
	relWorksheet      = "/worksheet"
	relSharedStrings  = "/sharedStrings"
	relStyles         = "/styles"
)

// openBook reads the package structure: the workbook, its relationships, shared strings and styles.
func openBook(zr *zip.Reader, lim Limits) (*book, error) {
	b := &book{files: map[string]*zip.File{}, lim: lim}
	for _, f := range zr.File {
		b.files[strings.ToLower(strings.TrimPrefix(f.Name, "/"))] = f
	}
	main := "xl/workbook.xml"
	if rels, err := b.rels("_rels/.rels", ""); err == nil {
		for _, r := range rels {
			if strings.HasSuffix(r.typ, relOfficeDocument) {
				main = r.target
			}
		}
	}
	data, err := b.read(main, lim.UnzipXMLSize)
	if err != nil {
		return nil, err
	}
	var wb struct {
		Pr struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name  string     `xml:"name,attr"`
			State string     `xml:"state,attr"`
			Attrs []xml.Attr `xml:",any,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := xml.Unmarshal(data, &wb); err != nil {
		return nil, fmt.Errorf("%w: workbook: %v", errPackage, err)
	}
	b.date1904 = wb.Pr.Date1904 == "1" || wb.Pr.Date1904 == "true"
	rels, err := b.rels(path.Join(path.Dir(main), "_rels", path.Base(main)+".rels"), path.Dir(main))
	if err != nil {
		return nil, err
	}
	byID := map[string]string{}
	for _, r := range rels {
		byID[r.id] = r.target
		switch {
		case strings.HasSuffix(r.typ, relSharedStrings):
			if b.sst, err = b.sharedStrings(r.target); err != nil {
				return nil, err
			}
		case strings.HasSuffix(r.typ, relStyles):
			if b.classes, err = b.styles(r.target); err != nil {
				return nil, err
			}
		}
	}
	for _, s := range wb.Sheets {
		var id string
		for _, a := range s.Attrs {
			if a.Name.Local == "id" {
				id = a.Value
			}
		}
		if part, ok := byID[id]; ok {
			b.sheets = append(b.sheets, bookSheet{name: s.Name, part: part, hidden: s.State == "hidden" || s.State == "veryHidden"})
		}
	}
	return b, nil
}

type rel struct{ id, typ, target string }

// rels reads a relationships part; targets are resolved against dir (or taken as absolute).
func (b *book) rels(name, dir string) ([]rel, error) {
	data, err := b.read(name, b.lim.UnzipXMLSize)
	if err != nil {
		return nil, err
	}
	var rs struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
			Mode   string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal(data, &rs); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errPackage, name, err)
	}
	var out []rel
	for _, r := range rs.Rel {
		if r.Mode == "External" {
			continue
		}
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join(dir, t)
		}
		out = append(out, rel{id: r.ID, typ: r.Type, target: t})
	}
	return out, nil
}

// open opens a part of the package, bounded to limit bytes uncompressed.
func (b *book) open(name string, limit int64) (io.ReadCloser, error) {
	f, ok := b.files[strings.ToLower(name)]
	if !ok {
		return nil, fmt.Errorf("%w: missing part %s", errPackage, name)
	}
	if int64(f.UncompressedSize64) > limit {
		return nil, fmt.Errorf("%w: %s", errTooLarge, name)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errPackage, name, err)
	}
	return rc, nil
}

// read returns a whole (small) part.
func (b *book) read(name string, limit int64) ([]byte, error) {
	rc, err := b.open(name, limit)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errPackage, name, err)
	}
	return data, nil
}

// sharedStrings reads the shared string table as excelize does: the text of each <si> under the
// root — its <t>, then the <t> of each rich-text run <r>; phonetic guides (<rPh>) left out — with
// the _xHHHH_ escapes decoded.
func (b *book) sharedStrings(name string) ([]string, error) {
	rc, err := b.open(name, b.lim.UnzipXMLSize)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	sc := b.scanner(rc)
	var out []string
	var si richText
	depth := 0
	for {
		switch sc.next() {
		case tokEOF:
			return out, nil
		case tokError:
			return nil, fmt.Errorf("%w: shared strings: %v", errPackage, sc.err)
		case tokStart:
			if depth == 1 && string(sc.local) == "si" {
				si.reset()
				if !si.read(sc) {
					return nil, fmt.Errorf("%w: shared strings: %v", errPackage, sc.err)
				}
				out = append(out, si.String())
				continue
			}
			depth++
		case tokEnd:
			depth--
		}
	}
}

// richText is a string item (<si>, or a cell's <is>) as excelize reads it into xlsxSI: the last
// direct <t>, then the last <t> of each <r> run, in order.
type richText struct {
	t, runs, run []byte
}

func (r *richText) reset() { r.t, r.runs = r.t[:0], r.runs[:0] }

// read consumes the element just started. A second <is> in one cell adds its runs and replaces the
// <t>, as decoding into the same xlsxSI does.
func (r *richText) read(sc *scanner) bool {
	for {
		switch sc.next() {
		case tokStart:
			var ok bool
			switch string(sc.local) {
			case "t":
				r.t, ok = sc.ownText(r.t[:0])
			case "r":
				ok = r.readRun(sc)
			default:
				ok = sc.skip()
			}
			if !ok {
				return false
			}
		case tokEnd:
			return true
		case tokEOF, tokError:
			if sc.err == nil {
				sc.fail("unexpected EOF")
			}
			return false
		}
	}
}

// readRun reads an <r> run: the last <t> in it counts.
func (r *richText) readRun(sc *scanner) bool {
	r.run = r.run[:0]
	for {
		switch sc.next() {
		case tokStart:
			var ok bool
			if string(sc.local) == "t" {
				r.run, ok = sc.ownText(r.run[:0])
			} else {
				ok = sc.skip()
			}
			if !ok {
				return false
			}
		case tokEnd:
			r.runs = append(r.runs, r.run...)
			return true
		case tokEOF, tokError:
			if sc.err == nil {
				sc.fail("unexpected EOF")
			}
			return false
		}
	}
}

// String returns the item's text, escapes decoded.
func (r *richText) String() string {
	if len(r.t)+len(r.runs) == 0 {
		return ""
	}
	return unescapeXstring(string(r.t) + string(r.runs))
}

// unescapeXstring decodes the _xHHHH_ escapes of OOXML strings (ST_Xstring) exactly as excelize's
// bstrUnmarshal: each leftmost match of _x followed by four hex digits and _ becomes that UTF-16
// code unit's character — nothing for a surrogate — and _x005F_ becomes _.
func unescapeXstring(s string) string {
	i := strings.Index(s, "_x")
	if i < 0 {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s))
	sb.WriteString(s[:i])
	for i < len(s) {
		if s[i] == '_' && i+6 < len(s) && s[i+1] == 'x' && isHex4(s[i+2:i+6]) && s[i+6] == '_' {
			v, _ := strconv.ParseUint(s[i+2:i+6], 16, 32)
			switch {
			case v == 0x5F:
				sb.WriteByte('_')
			case v >= 0xD800 && v <= 0xDFFF:
			default:
				sb.WriteRune(rune(v))
			}
			i += 7
			continue
		}
		sb.WriteByte(s[i])
		i++
	}
	return sb.String()
}

func isHex4(s string) bool {
	for i := 0; i < 4; i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// styles reads the number-format class of each cell style: the <numFmt> formats under <numFmts>
// and the numFmtId of each <xf> under <cellXfs>, as decoding into a struct with
// `xml:"numFmts>numFmt"` and `xml:"cellXfs>xf"` reads them (a numFmtId that is not a number fails).
func (b *book) styles(name string) ([]numClass, error) {
	rc, err := b.open(name, b.lim.UnzipXMLSize)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	sc := b.scanner(rc)
	defer func() { b.buf = sc.buf }()
	bad := func(err error) ([]numClass, error) { return nil, fmt.Errorf("%w: styles: %v", errPackage, err) }
	custom := map[int]string{}
	var ids []int
	var path []string // the open elements' local names below the root, while under numFmts or cellXfs
	depth := 0
	var buf []byte
	for {
		switch sc.next() {
		case tokEOF:
			out := make([]numClass, len(ids))
			for i, id := range ids {
				if code, ok := custom[id]; ok {
					out[i] = classifyFormat(code)
				} else {
					out[i] = builtinClass(id)
				}
			}
			return out, nil
		case tokError:
			return bad(sc.err)
		case tokStart:
			depth++
			local := string(sc.local)
			switch {
			case depth == 2 && (local == "numFmts" || local == "cellXfs"):
				path = append(path[:0], local)
			case depth == 3 && len(path) == 1 && (path[0] == "numFmts" && local == "numFmt" || path[0] == "cellXfs" && local == "xf"):
				id := 0
				if v, ok := sc.attr("numFmtId", buf); ok {
					n, err := strconv.ParseInt(strings.TrimSpace(string(v)), 10, 64)
					if err != nil {
						return bad(err)
					}
					id = int(n)
				}
				if local == "xf" {
					ids = append(ids, id)
				} else {
					code, _ := sc.attr("formatCode", buf)
					custom[id] = string(code)
				}
			}
		case tokEnd:
			if depth == 2 {
				path = path[:0]
			}
			depth--
		}
	}
}

// builtinClass classifies Excel's built-in number formats, including the East Asian date formats.
func builtinClass(id int) numClass {
	switch {
	case id == 9 || id == 10:
		return numPercent
	case id >= 14 && id <= 22, id >= 27 && id <= 36, id >= 45 && id <= 47, id >= 50 && id <= 58:
		return numDate
	}
	return numPlain
}

// classifyFormat tells percentages and dates from a custom format code, ignoring quoted text,
// escaped characters and [colour]/[locale] sections.
func classifyFormat(code string) numClass {
	var sb strings.Builder
	quoted, bracket := false, false
	for i := 0; i < len(code); i++ {
		c := code[i]
		switch {
		case quoted:
			quoted = c != '"'
		case c == '"':
			quoted = true
		case bracket:
			bracket = c != ']'
		case c == '[':
			bracket = true
		case c == '\\' || c == '_' || c == '*':
			i++ // the next character is literal (or padding)
		default:
			sb.WriteByte(c)
		}
	}
	s := strings.ToLower(sb.String())
	switch {
	case s == "general":
		return numPlain
	case strings.Contains(s, "%"):
		return numPercent
	case strings.ContainsAny(s, "ymdhs"):
		return numDate
	}
	return numPlain
}

// class returns the number-format class of a cell style.
func (b *book) class(style int) numClass {
	if style >= 0 && style < len(b.classes) {
		return b.classes[style]
	}
	return numPlain
}

// sheet returns the sheet called name.
func (b *book) sheet(name string) (bookSheet, bool) {
	for _, s := range b.sheets {
		if s.name == name {
			return s, true
		}
	}
	return bookSheet{}, false
}

// scanner returns a scanner over a part, on the book's buffer.
func (b *book) scanner(r io.Reader) *scanner {
	sc := newScanner(r, b.buf)
	b.buf = sc.buf
	return sc
}

// stream decodes the sheet's rows in order and calls fn with each row's number and cells; fn returns
// errStop to end early. Rows and cells are read as excelize's Rows iterator reads them: a row or cell
// without an r attribute follows the previous one, and a cell's value is that of excelize with
// RawCellValue (xcell.text). At most lim.UnzipSize bytes of XML are read.
func (b *book) stream(sheet string, fn func(row int, cells []xcell) error) error {
	s, ok := b.sheet(sheet)
	if !ok {
		return fmt.Errorf("%w: no sheet %s", errPackage, sheet)
	}
	rc, err := b.open(s.part, b.lim.UnzipSize)
	if err != nil {
		return err
	}
	defer rc.Close()
	sc := b.scanner(rc)
	defer func() { b.buf = sc.buf }()
	row, col := 0, 0
	var cells []xcell
	var cr cellReader
	inData := false
	for {
		switch sc.next() {
		case tokEOF:
			return nil
		case tokError:
			return fmt.Errorf("%w: %s: %v", errPackage, sheet, sc.err)
		case tokStart:
			switch string(sc.local) {
			case "sheetData":
				inData = true
			case "row":
				if !inData {
					continue
				}
				n := row + 1
				if r, ok := sc.attr("r", cr.attr); ok {
					if v, err := strconv.Atoi(string(r)); err == nil && v > 0 {
						n = v
					}
				}
				row, col, cells = n, 0, cells[:0]
			case "c":
				if !inData {
					continue
				}
				col++
				c, ok := cr.read(sc, b, col, row)
				if !ok {
					return fmt.Errorf("%w: %s: %v", errPackage, sheet, sc.err)
				}
				col = c.col
				if c.present {
					cells = append(cells, c.xcell)
				}
			}
		case tokEnd:
			switch string(sc.local) {
			case "sheetData":
				inData = false
			case "row":
				if !inData {
					continue
				}
				if err := fn(row, cells); err != nil {
					if err == errStop {
						return nil
					}
					return err
				}
				cells = cells[:0]
			}
		}
	}
}

// cellReader reads <c> elements, reusing its buffers.
type cellReader struct {
	attr, v, name []byte
	is            richText
}

// readCell is a cell read; present is false for a cell excelize would not see (a style that is not a
// number makes excelize give up on the cell).
type readCell struct {
	xcell
	present bool
}

// read reads the cell just started at column col (the r attribute may say otherwise) of row, as
// excelize's cellXMLHandler and getValueFrom do: attributes in order — a style that is not a number
// ends the cell, unread —, every <v> in the cell (the last counts), <f> marking a formula, <is>
// holding an inline string, up to the first end tag named like the cell.
func (cr *cellReader) read(sc *scanner, b *book, col, row int) (readCell, bool) {
	c := readCell{xcell: xcell{col: col, row: row}, present: true}
	cr.name = append(cr.name[:0], sc.name...)
	var typ []byte
	for i := range sc.attrCount() {
		name := sc.attrLocal(i)
		switch string(name) {
		case "r":
			if cc, ok := refColumn(sc.attrValue(i, cr.attr[:0])); ok {
				c.col = cc
			}
		case "s":
			st, err := strconv.ParseInt(string(sc.attrValue(i, cr.attr[:0])), 10, 64)
			if err != nil {
				c.present = false
				return c, sc.skip()
			}
			c.style = int(st)
		case "t":
			typ = append(typ[:0], sc.attrValue(i, cr.attr[:0])...)
		}
	}
	c.typ = cellType(typ)
	cr.v = cr.v[:0]
	hasIS := false
	cr.is.reset()
	for {
		switch sc.next() {
		case tokStart:
			var ok bool
			switch string(sc.local) {
			case "v":
				cr.v, ok = sc.ownText(cr.v[:0])
			case "f":
				c.formula = true
				ok = sc.skip()
			case "is":
				hasIS = true
				ok = cr.is.read(sc)
			default:
				ok = true
			}
			if !ok {
				return c, false
			}
		case tokEnd:
			if !bytes.Equal(sc.name, cr.name) {
				continue
			}
			switch c.typ {
			case "s":
				c.text = b.shared(cr.v)
			case "inlineStr":
				if hasIS {
					c.text = cr.is.String()
				} else {
					c.text = string(cr.v)
				}
			default:
				c.text = string(cr.v)
			}
			return c, true
		case tokText:
		default:
			if sc.err == nil {
				sc.fail("unexpected EOF")
			}
			return c, false
		}
	}
}

// refColumn returns the column of a cell's r attribute as excelize's CellNameToCoordinates reads it:
// letters of either case and '$' up to the last of them, then a row number (a sign allowed) from 1
// to 1,048,576; the column at most XFD.
func refColumn(ref []byte) (int, bool) {
	alpha := func(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '$' }
	if len(ref) == 0 || !alpha(ref[0]) {
		return 0, false
	}
	i := len(ref) - 1
	for i >= 0 && !alpha(ref[i]) {
		i--
	}
	if i == len(ref)-1 {
		return 0, false
	}
	row, err := strconv.Atoi(string(ref[i+1:]))
	if err != nil || row <= 0 || row > 1048576 {
		return 0, false
	}
	col, letters := 0, 0
	for _, c := range ref[:i+1] {
		switch {
		case c == '$':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case c < 'A' || c > 'Z':
			return 0, false
		}
		col = col*26 + int(c-'A'+1)
		if letters++; col > 16384 {
			return 0, false
		}
	}
	return col, letters > 0
}

// cellType returns the t attribute as a string, without allocating for the usual types.
func cellType(t []byte) string {
	switch string(t) {
	case "":
		return ""
	case "s":
		return "s"
	case "n":
		return "n"
	case "str":
		return "str"
	case "inlineStr":
		return "inlineStr"
	case "b":
		return "b"
	case "e":
		return "e"
	case "d":
		return "d"
	}
	return string(t)
}

// shared returns the shared string a cell's value points to, as excelize does: none for an empty
// value; the index read from the trimmed value, 0 when it is not a number; none out of range.
func (b *book) shared(v []byte) string {
	if len(v) == 0 {
		return ""
	}
	i, _ := strconv.Atoi(string(bytes.TrimSpace(v)))
	if i < 0 || i >= len(b.sst) {
		return ""
	}
	return b.sst[i]
}

// splitRef splits an A1 address into its column number and row.
func splitRef(ref string) (col, row int, ok bool) {
	i := 0
	for i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z' {
		col = col*26 + int(ref[i]-'A'+1)
		i++
		if col > 16384 {
			return 0, 0, false
		}
	}
	if i == 0 {
		return 0, 0, false
	}
	row, err := strconv.Atoi(ref[i:])
	return col, row, err == nil && row > 0
}
