package xlsx

import (
	"archive/zip"
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// A plain workbook is a few tables of text and numbers written straight as SpreadsheetML, without
// excelize: for the small files made by the thousand — the receipt of every county return — where
// building an excelize File and saving it costs more than everything else done for the file. It has
// a title merged across the table, a header row, wrapped text, a few fixed styles, column widths and
// frozen header rows; every string is inline.

// PlainStyle is the look of a cell of a plain workbook.
type PlainStyle int

// The styles of a plain workbook: 宋体 throughout.
const (
	PlainText    PlainStyle = iota // regular, unwrapped
	PlainTitle                     // 12 pt bold, wrapped, vertically centred
	PlainHead                      // bold, light blue fill, bottom border, centred
	PlainWrap                      // wrapped, top aligned
	PlainError                     // bold dark red, top aligned
	PlainWarning                   // bold orange, top aligned
)

// PlainCell is a cell: a string, an integer or a float64 (nil: empty), in a style.
type PlainCell struct {
	Value any
	Style PlainStyle
}

// PlainRow is a row of cells from column A, with a height in points (0: Excel's default).
type PlainRow struct {
	Cells  []PlainCell
	Height float64
}

// PlainSheet is one sheet: rows from row 1 (a nil row is left empty), the cells merged (A1:G1 …),
// column widths in characters from column A, and how many top rows stay frozen.
type PlainSheet struct {
	Name       string
	Rows       []*PlainRow
	Merged     []string
	Widths     []float64
	FreezeRows int
}

// WritePlain writes a workbook of sheets to w.
func WritePlain(w io.Writer, sheets []PlainSheet) error {
	if len(sheets) == 0 {
		return fmt.Errorf("xlsx.WritePlain: no sheets")
	}
	zw := zip.NewWriter(w)
	part := func(name string, fill func(b *bufio.Writer) error) error {
		pw, err := zw.Create(name)
		if err != nil {
			return err
		}
		b := bufio.NewWriter(pw)
		b.WriteString(xml.Header)
		if err := fill(b); err != nil {
			return err
		}
		return b.Flush()
	}
	static := func(s string) func(b *bufio.Writer) error {
		return func(b *bufio.Writer) error { _, err := b.WriteString(s); return err }
	}
	var types, rels, list strings.Builder
	for i, sh := range sheets {
		n := i + 1
		fmt.Fprintf(&types, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, n)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, n, n)
		list.WriteString(`<sheet name="`)
		xml.EscapeText(&list, []byte(sh.Name))
		fmt.Fprintf(&list, `" sheetId="%d" r:id="rId%d"/>`, n, n)
	}
	steps := []struct {
		name string
		fill func(b *bufio.Writer) error
	}{
		{"[Content_Types].xml", static(`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
			types.String() + `</Types>`)},
		{"_rels/.rels", static(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
		{"xl/workbook.xml", static(`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
			`<bookViews><workbookView activeTab="0"/></bookViews><sheets>` + list.String() + `</sheets></workbook>`)},
		{"xl/_rels/workbook.xml.rels", static(`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels.String() +
			fmt.Sprintf(`<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`, len(sheets)+1) +
			`</Relationships>`)},
		{"xl/styles.xml", static(plainStyles)},
	}
	for _, s := range steps {
		if err := part(s.name, s.fill); err != nil {
			return fmt.Errorf("xlsx.WritePlain: %w", err)
		}
	}
	for i := range sheets {
		sh := &sheets[i]
		if err := part(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1), func(b *bufio.Writer) error { return writePlainSheet(b, sh, i == 0) }); err != nil {
			return fmt.Errorf("xlsx.WritePlain(%s): %w", sh.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("xlsx.WritePlain: %w", err)
	}
	return nil
}

// plainStyles is the style sheet: fonts 0 regular, 1 bold 12 pt, 2 bold, 3 bold dark red, 4 bold
// orange; fills 2 light blue; border 1 a grey bottom line; cellXfs in PlainStyle order.
const plainStyles = `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` +
	`<fonts count="5">` +
	`<font><sz val="11"/><name val="宋体"/><family val="2"/><charset val="134"/></font>` +
	`<font><b/><sz val="12"/><name val="宋体"/><family val="2"/><charset val="134"/></font>` +
	`<font><b/><sz val="11"/><name val="宋体"/><family val="2"/><charset val="134"/></font>` +
	`<font><b/><sz val="11"/><color rgb="FFC00000"/><name val="宋体"/><family val="2"/><charset val="134"/></font>` +
	`<font><b/><sz val="11"/><color rgb="FFC65911"/><name val="宋体"/><family val="2"/><charset val="134"/></font>` +
	`</fonts>` +
	`<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>` +
	`<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/></patternFill></fill></fills>` +
	`<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>` +
	`<border><left/><right/><top/><bottom style="thin"><color rgb="FF808080"/></bottom><diagonal/></border></borders>` +
	`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
	`<cellXfs count="6">` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
	`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>` +
	`<xf numFmtId="0" fontId="2" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center"/></xf>` +
	`<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>` +
	`<xf numFmtId="0" fontId="3" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top"/></xf>` +
	`<xf numFmtId="0" fontId="4" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="top"/></xf>` +
	`</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`

// writePlainSheet writes a sheet's XML: its used range, frozen rows, widths, rows and merged cells.
func writePlainSheet(b *bufio.Writer, sh *PlainSheet, selected bool) error {
	lastCol, lastRow := 1, 1
	for r, row := range sh.Rows {
		if row != nil && len(row.Cells) > 0 {
			lastRow, lastCol = r+1, max(lastCol, len(row.Cells))
		}
	}
	for _, m := range sh.Merged {
		if _, end, ok := strings.Cut(m, ":"); ok {
			if c, r, ok := splitCellRef(end); ok {
				lastCol, lastRow = max(lastCol, c), max(lastRow, r)
			}
		}
	}
	fmt.Fprintf(b, `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><dimension ref="A1:%s%d"/><sheetViews><sheetView workbookViewId="0"`, colLetters(lastCol), lastRow)
	if selected {
		b.WriteString(` tabSelected="1"`)
	}
	if sh.FreezeRows > 0 {
		top := fmt.Sprintf("A%d", sh.FreezeRows+1)
		fmt.Fprintf(b, `><pane ySplit="%d" topLeftCell="%s" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="%s" sqref="%s"/></sheetView></sheetViews>`, sh.FreezeRows, top, top, top)
	} else {
		b.WriteString(`/></sheetViews>`)
	}
	b.WriteString(`<sheetFormatPr defaultRowHeight="15"/>`)
	if len(sh.Widths) > 0 {
		b.WriteString(`<cols>`)
		for i, wd := range sh.Widths {
			fmt.Fprintf(b, `<col min="%d" max="%d" width="%s" customWidth="1"/>`, i+1, i+1, strconv.FormatFloat(wd, 'f', -1, 64))
		}
		b.WriteString(`</cols>`)
	}
	b.WriteString(`<sheetData>`)
	for r, row := range sh.Rows {
		if row == nil {
			continue
		}
		fmt.Fprintf(b, `<row r="%d"`, r+1)
		if row.Height > 0 {
			fmt.Fprintf(b, ` ht="%s" customHeight="1"`, strconv.FormatFloat(row.Height, 'f', -1, 64))
		}
		b.WriteString(`>`)
		for c, cell := range row.Cells {
			ref := colLetters(c+1) + strconv.Itoa(r+1)
			style := ""
			if cell.Style != PlainText {
				style = fmt.Sprintf(` s="%d"`, cell.Style)
			}
			switch v := cell.Value.(type) {
			case nil:
				if style != "" {
					fmt.Fprintf(b, `<c r="%s"%s/>`, ref, style)
				}
			case string:
				fmt.Fprintf(b, `<c r="%s"%s t="inlineStr"><is><t xml:space="preserve">`, ref, style)
				if err := xml.EscapeText(b, []byte(escapeXstring(v))); err != nil {
					return err
				}
				b.WriteString(`</t></is></c>`)
			case int:
				fmt.Fprintf(b, `<c r="%s"%s><v>%d</v></c>`, ref, style, v)
			case float64:
				fmt.Fprintf(b, `<c r="%s"%s><v>%s</v></c>`, ref, style, strconv.FormatFloat(v, 'g', -1, 64))
			default:
				return fmt.Errorf("cell %s: unsupported value %T", ref, cell.Value)
			}
		}
		b.WriteString(`</row>`)
	}
	b.WriteString(`</sheetData>`)
	if len(sh.Merged) > 0 {
		fmt.Fprintf(b, `<mergeCells count="%d">`, len(sh.Merged))
		for _, m := range sh.Merged {
			fmt.Fprintf(b, `<mergeCell ref="%s"/>`, m)
		}
		b.WriteString(`</mergeCells>`)
	}
	b.WriteString(`<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`)
	return nil
}

// escapeXstring escapes what XML text cannot carry as OOXML does (ST_Xstring): control characters
// as _xHHHH_, and an underscore that would read as such an escape as _x005F_ (xml.EscapeText then
// writes \r, \n and \t as character references).
func escapeXstring(s string) string {
	needs := false
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == '_' {
			needs = true
			break
		}
	}
	if !needs {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r':
			fmt.Fprintf(&sb, "_x%04X_", c)
		case c == '_' && i+6 < len(s) && s[i+1] == 'x' && isHex4(s[i+2:i+6]) && s[i+6] == '_':
			sb.WriteString("_x005F_")
		default:
			sb.WriteByte(c)
		}
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

// colLetters returns the letters of column n (1 = A).
func colLetters(n int) string {
	var b []byte
	for n > 0 {
		n--
		b = append([]byte{byte('A' + n%26)}, b...)
		n /= 26
	}
	return string(b)
}

// splitCellRef splits an A1 address into column and row.
func splitCellRef(ref string) (col, row int, ok bool) {
	i := 0
	for i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z' {
		col = col*26 + int(ref[i]-'A'+1)
		i++
	}
	row, err := strconv.Atoi(ref[i:])
	return col, row, i > 0 && err == nil && row > 0
}
