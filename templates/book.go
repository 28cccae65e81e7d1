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
	col   int    // 1-based
	ref   string // A1 address
	typ   string // the t attribute: "" or n (number), s, str, inlineStr, b, e, d
	style int
	// text is the value: the <v> text, the shared string it points to, or the inline string.
	text    string
	formula bool
}

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

// sharedStrings reads the shared string table: the text of each <si>, rich-text runs joined, phonetic
// guides (<rPh>) left out.
func (b *book) sharedStrings(name string) ([]string, error) {
	rc, err := b.open(name, b.lim.UnzipXMLSize)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	d := xml.NewDecoder(rc)
	var out []string
	var sb strings.Builder
	inT, phonetic := false, 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return out, nil
		} else if err != nil {
			return nil, fmt.Errorf("%w: shared strings: %v", errPackage, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "si":
				sb.Reset()
			case "t":
				inT = true
			case "rPh":
				phonetic++
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				out = append(out, sb.String())
			case "t":
				inT = false
			case "rPh":
				phonetic--
			}
		case xml.CharData:
			if inT && phonetic == 0 {
				sb.Write(t)
			}
		}
	}
}

// styles reads the number-format class of each cell style.
func (b *book) styles(name string) ([]numClass, error) {
	data, err := b.read(name, b.lim.UnzipXMLSize)
	if err != nil {
		return nil, err
	}
	var st struct {
		NumFmts []struct {
			ID   int    `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			NumFmtID int `xml:"numFmtId,attr"`
		} `xml:"cellXfs>xf"`
	}
	if err := xml.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("%w: styles: %v", errPackage, err)
	}
	custom := map[int]string{}
	for _, f := range st.NumFmts {
		custom[f.ID] = f.Code
	}
	out := make([]numClass, len(st.Xfs))
	for i, x := range st.Xfs {
		if code, ok := custom[x.NumFmtID]; ok {
			out[i] = classifyFormat(code)
		} else {
			out[i] = builtinClass(x.NumFmtID)
		}
	}
	return out, nil
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

// stream decodes the sheet's rows in order and calls fn with each row's number and cells; fn returns
// errStop to end early. Rows and cells without an r attribute follow the previous one. At most
// lim.UnzipSize bytes of XML are read.
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
	d := xml.NewDecoder(rc)
	row, col := 0, 0
	var cells []xcell
	var cur *xcell
	var text bytes.Buffer
	inV, inF, inIs, inT, phonetic, inData := false, false, false, false, 0, false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		} else if err != nil {
			return fmt.Errorf("%w: %s: %v", errPackage, sheet, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "sheetData":
				inData = true
			case "row":
				if !inData {
					continue
				}
				n := row + 1
				if r := attr(t, "r"); r != "" {
					if v, err := strconv.Atoi(r); err == nil && v > 0 {
						n = v
					}
				}
				row, col, cells = n, 0, cells[:0]
			case "c":
				if !inData {
					continue
				}
				col++
				c := xcell{col: col, typ: attr(t, "t")}
				if r := attr(t, "r"); r != "" {
					if cc, _, ok := splitRef(r); ok {
						c.col, col = cc, cc
					}
				}
				c.ref = colName(c.col) + strconv.Itoa(row)
				if s := attr(t, "s"); s != "" {
					c.style, _ = strconv.Atoi(s)
				}
				cells = append(cells, c)
				cur = &cells[len(cells)-1]
				text.Reset()
			case "v":
				inV = cur != nil
			case "f":
				inF = cur != nil
				if cur != nil {
					cur.formula = true
				}
			case "is":
				inIs = cur != nil
			case "t":
				inT = inIs
			case "rPh":
				phonetic++
			}
		case xml.EndElement:
			switch t.Name.Local {
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
			case "c":
				if cur != nil {
					cur.text = text.String()
					if cur.typ == "s" {
						cur.text = b.shared(cur.text)
					}
				}
				cur = nil
			case "v":
				inV = false
			case "f":
				inF = false
			case "is":
				inIs = false
			case "t":
				inT = false
			case "rPh":
				phonetic--
			}
		case xml.CharData:
			if (inV && !inF) || (inIs && inT && phonetic == 0) {
				text.Write(t)
			}
		}
	}
}

// shared returns the shared string at index s ("" when out of range).
func (b *book) shared(s string) string {
	i, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || i < 0 || i >= len(b.sst) {
		return ""
	}
	return b.sst[i]
}

func attr(t xml.StartElement, name string) string {
	for _, a := range t.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
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
