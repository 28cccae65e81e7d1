package templates

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"lingpao/internal/tooltest"
)

// The reader's cells must be excelize's: for every workbook excelize reads (RawCellValue), book.stream
// gives every sheet's cells the same values at the same addresses. These tests hold it over workbooks
// written by excelize (shared and inline strings, rich text, formulas), openpyxl and LibreOffice, and
// over generated sheet XML that exercises the corners of the format (FuzzStreamMatchesExcelize).

// cellMap is a sheet's non-empty values by row and column.
type cellMap map[[2]int]string

func (m cellMap) String() string {
	keys := make([][2]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return keys[i][0] < keys[j][0] || keys[i][0] == keys[j][0] && keys[i][1] < keys[j][1]
	})
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s%d=%q ", colName(k[1]), k[0], m[k])
	}
	return b.String()
}

// excelizeCells reads a sheet with excelize's Rows iterator and RawCellValue.
func excelizeCells(data []byte, sheet string) (cellMap, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	m := cellMap{}
	n := 0
	for rows.Next() {
		n++
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, err
		}
		for i, v := range cols {
			if v != "" {
				m[[2]int{n, i + 1}] = v
			}
		}
	}
	return m, rows.Error()
}

// ourCells reads a sheet with book.stream.
func ourCells(data []byte, sheet string) (cellMap, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	b, err := openBook(zr, DefaultLimits())
	if err != nil {
		return nil, err
	}
	m := cellMap{}
	err = b.stream(sheet, func(row int, cells []xcell) error {
		for _, c := range cells {
			if c.text != "" {
				m[[2]int{row, c.col}] = c.text
			}
		}
		return nil
	})
	return m, err
}

// sameCells compares every sheet of a workbook as both read it.
func sameCells(t *testing.T, what string, data []byte) {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: excelize: %v", what, err)
	}
	sheets := f.GetSheetList()
	f.Close()
	for _, sh := range sheets {
		want, err := excelizeCells(data, sh)
		if err != nil {
			t.Fatalf("%s: excelize %s: %v", what, sh, err)
		}
		got, err := ourCells(data, sh)
		if err != nil {
			t.Fatalf("%s: stream %s: %v", what, sh, err)
		}
		if got.String() != want.String() {
			t.Errorf("%s, sheet %s:\n stream  %s\n excelize %s", what, sh, got, want)
		}
		if len(want) == 0 {
			t.Errorf("%s, sheet %s: no cells — the test reads nothing", what, sh)
		}
	}
}

// awkward are cell texts that exercise escapes, whitespace, line ends and scripts.
var awkward = []string{"鹿泉区", " 前后空格 ", "a\r\nb", "回车\r键", "tab\there", "_x000D_ literal", "_x005F_x0041_", "<&>\"'", "😀 emoji",
	"１２３全角", "1,234.5", "—", "=not a formula", "0012", "TRUE"}

// excelizeWorkbook writes cells of every kind with excelize: shared strings, numbers, booleans, a date,
// formulas with cached values, rich text, and a sheet streamed with inline strings.
func excelizeWorkbook(t *testing.T) []byte {
	f := excelize.NewFile()
	defer f.Close()
	sh := "Sheet1"
	for i, s := range awkward {
		f.SetCellValue(sh, fmt.Sprintf("A%d", i+1), s)
	}
	nums := []any{0, -1, 3.14159, 1e-7, 12345678901234567.0, 0.1 + 0.2, int64(-9007199254740993), true, false, time.Date(2025, 9, 12, 0, 0, 0, 0, time.UTC)}
	for i, v := range nums {
		f.SetCellValue(sh, fmt.Sprintf("B%d", i+1), v)
	}
	f.SetCellFormula(sh, "C1", "B2+B3")
	f.SetCellValue(sh, "C1", 2.14159)
	f.SetCellFormula(sh, "C2", `"x"&A1`)
	f.SetCellRichText(sh, "D1", []excelize.RichTextRun{{Text: "粗体", Font: &excelize.Font{Bold: true}}, {Text: " and _x0041_ plain"}})
	f.SetCellValue(sh, "XFD3", "last column")
	f.NewSheet("流式")
	sw, err := f.NewStreamWriter("流式")
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range awkward {
		sw.SetRow(fmt.Sprintf("A%d", i+2), []any{s, float64(i) / 3, i%2 == 0, excelize.Cell{Formula: "1+1", Value: 2}})
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestStreamMatchesExcelize(t *testing.T) {
	sameCells(t, "excelize", excelizeWorkbook(t))
}

// openpyxlScript writes the awkward texts, numbers, booleans, a date and a formula without a cached
// value with openpyxl (Debian's has no rich text).
const openpyxlScript = `
import datetime, sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "数据"
texts = sys.argv[2].split("\x1f")
for i, s in enumerate(texts):
    ws.cell(row=i + 1, column=1, value=s)
for i, v in enumerate([0, -1, 3.14159, 1e-7, 12345678901234567, 0.1 + 0.2, True, False, datetime.date(2025, 9, 12)]):
    ws.cell(row=i + 1, column=2, value=v)
ws["C1"] = "=B2+B3"
ws["F40"] = "far"
wb.create_sheet("空白行后").cell(row=100, column=3, value="下面")
wb.save(sys.argv[1])
`

// TestStreamMatchesExcelizeOtherWriters reads workbooks written by openpyxl, and by LibreOffice
// converting that one.
func TestStreamMatchesExcelizeOtherWriters(t *testing.T) {
	python := tooltest.Python(t)
	dir := t.TempDir()
	src := filepath.Join(dir, "openpyxl.xlsx")
	if out, err := exec.Command(python, "-c", openpyxlScript, src, strings.Join(awkward, "\x1f")).CombinedOutput(); err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	sameCells(t, "openpyxl", data)

	if _, err := exec.LookPath("soffice"); err != nil {
		t.Fatal("soffice not found: apt-get install libreoffice-calc-nogui (make test installs it when run as root)")
	}
	out := filepath.Join(dir, "lo")
	cmd := exec.Command("soffice", "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--convert-to", "xlsx", "--outdir", out, src)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	if data, err = os.ReadFile(filepath.Join(out, "openpyxl.xlsx")); err != nil {
		t.Fatal(err)
	}
	sameCells(t, "LibreOffice", data)
}

// minimalWorkbook zips one sheet's XML and a shared-string table into a workbook both readers open.
func minimalWorkbook(sheet, sst []byte) []byte {
	const main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + rel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="` + main + `" xmlns:r="` + rel + `"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + rel + `/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + rel + `/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/worksheets/sheet1.xml", string(sheet)},
		{"xl/sharedStrings.xml", string(sst)},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, _ := zw.Create(p.name)
		io.WriteString(w, p.body)
	}
	zw.Close()
	return buf.Bytes()
}

// wellFormed reports whether encoding/xml reads the whole document without error.
func wellFormed(doc []byte) bool {
	d := xml.NewDecoder(bytes.NewReader(doc))
	for {
		if _, err := d.Token(); err == io.EOF {
			return true
		} else if err != nil {
			return false
		}
	}
}

// choices turns fuzz bytes into a stream of small decisions.
type choices struct{ b []byte }

func (c *choices) n(k int) int {
	if len(c.b) == 0 {
		return 0
	}
	v := int(c.b[0]) % k
	c.b = c.b[1:]
	return v
}

func (c *choices) pick(xs []string) string { return xs[c.n(len(xs))] }

// textPieces are what generated character data is made of.
var textPieces = []string{"", "abc", "12.5", " lead", "trail ", "中文", "&amp;", "&lt;b&gt;", "&#x41;", "&#65;", "&#13;", "&#x1F600;", "&#xD800;",
	"\r\n", "\r", "\n", "\t", "_x000D_", "_x005F_", "_x005f_x0041_", "_xD800_", "_x0041", "_x00e9_", "<![CDATA[a<b&c]]>", "<![CDATA[\r\n]]>",
	"<!--c-->", "<?pi x?>", "<b>nested</b>", "0", "1", " 2 ", "-3", "+1", "x", "99", "1e308", "2025-09-01T00:00:00", "#N/A", "TRUE", "&quot;&apos;"}

func (c *choices) text() string {
	var b strings.Builder
	for i := c.n(4); i > 0; i-- {
		b.WriteString(c.pick(textPieces))
	}
	return b.String()
}

// richText generates the children of an <si> or <is>.
func (c *choices) richText(p string) string {
	var b strings.Builder
	for i := c.n(4); i > 0; i-- {
		switch c.n(6) {
		case 0, 1:
			b.WriteString("<" + p + "t>" + c.text() + "</" + p + "t>")
		case 2:
			b.WriteString("<" + p + `t xml:space="preserve">` + c.text() + "</" + p + "t>")
		case 3:
			b.WriteString("<" + p + "r><" + p + "rPr><" + p + "b/></" + p + "rPr><" + p + "t>" + c.text() + "</" + p + "t></" + p + "r>")
		case 4:
			b.WriteString("<" + p + "rPh sb=\"0\" eb=\"1\"><" + p + "t>" + c.text() + "</" + p + "t></" + p + "rPh>")
		default:
			b.WriteString("<" + p + "r><" + p + "t>" + c.text() + "</" + p + "t><" + p + "t>" + c.text() + "</" + p + "t></" + p + "r>")
		}
	}
	return b.String()
}

// generated builds a sheet and a shared-string table from fuzz bytes: rows and cells with and without
// addresses, every cell type, values, formulas, inline strings, stray elements, comments and a
// namespace prefix.
func generated(data []byte) (sheet, sst []byte) {
	c := &choices{data}
	p := ""
	if c.n(4) == 0 {
		p = "x:"
	}
	q := `"`
	var s strings.Builder
	s.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	s.WriteString("<" + p + `worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	s.WriteString("<" + p + "dimension ref=\"A1\"/><" + p + "sheetData>")
	row := 0
	for r := c.n(6) + 1; r > 0; r-- {
		row += 1 + c.n(3)
		s.WriteString("<" + p + "row")
		if c.n(3) > 0 {
			fmt.Fprintf(&s, " r=%s%d%s", q, row, q)
		}
		if c.n(5) == 0 {
			s.WriteString("/>")
			continue
		}
		s.WriteString(">")
		col := 0
		for k := c.n(5); k > 0; k-- {
			col += 1 + c.n(3)
			s.WriteString("<" + p + "c")
			if c.n(4) > 0 {
				ref := colName(col) + fmt.Sprint(row)
				switch c.n(6) {
				case 0:
					ref = strings.ToLower(ref)
				case 1:
					ref = "$" + colName(col) + "$" + fmt.Sprint(row)
				}
				fmt.Fprintf(&s, " r=%s%s%s", q, ref, q)
			}
			if t := c.pick([]string{"", "", "n", "s", "s", "str", "inlineStr", "inlineStr", "b", "e", "d", "x", "&#115;"}); t != "" {
				fmt.Fprintf(&s, " t=%s%s%s", q, t, q)
			}
			if st := c.pick([]string{"", "", "0", "1", "7", "x", " 2"}); st != "" {
				fmt.Fprintf(&s, " s=%s%s%s", q, st, q)
			}
			if c.n(8) == 0 {
				s.WriteString("/>")
				continue
			}
			s.WriteString(">")
			for j := c.n(4); j > 0; j-- {
				switch c.n(9) {
				case 0, 1, 2:
					s.WriteString("<" + p + "v>" + c.text() + "</" + p + "v>")
				case 3:
					s.WriteString("<" + p + "f>" + c.text() + "</" + p + "f>")
				case 4:
					s.WriteString("<" + p + "f/>")
				case 5, 6:
					s.WriteString("<" + p + "is>" + c.richText(p) + "</" + p + "is>")
				case 7:
					s.WriteString("<" + p + "extLst><" + p + "v>" + c.text() + "</" + p + "v></" + p + "extLst>")
				default:
					s.WriteString(c.pick([]string{" ", "<!--note-->", "\n  ", "junk"}))
				}
			}
			s.WriteString("</" + p + "c>")
		}
		s.WriteString("</" + p + "row>")
	}
	s.WriteString("</" + p + "sheetData></" + p + "worksheet>")

	var t strings.Builder
	t.WriteString(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	for i := c.n(4) + 1; i > 0; i-- {
		t.WriteString("<si>" + c.richText("") + "</si>")
	}
	t.WriteString("</sst>")
	return []byte(s.String()), []byte(t.String())
}

// FuzzStreamMatchesExcelize: whenever encoding/xml finds the generated sheet and shared strings well
// formed and excelize reads the sheet, the stream reads it too, to the same cells.
func FuzzStreamMatchesExcelize(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("a row of cells with inline strings and formulas, shared indices and stray values"))
	f.Add(bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 200, 33, 71}, 20))
	f.Fuzz(func(t *testing.T, data []byte) {
		sheet, sst := generated(data)
		if !wellFormed(sheet) || !wellFormed(sst) {
			return
		}
		wb := minimalWorkbook(sheet, sst)
		want, err := excelizeCells(wb, "S")
		if err != nil {
			return // excelize gives up on this sheet (an address it cannot read, an invalid index…)
		}
		got, err := ourCells(wb, "S")
		if err != nil {
			t.Fatalf("stream failed where excelize reads: %v\n%s\n%s", err, sheet, sst)
		}
		if got.String() != want.String() {
			t.Fatalf("cells differ\n stream   %s\n excelize %s\nsheet %s\nsst %s", got, want, sheet, sst)
		}
	})
}
