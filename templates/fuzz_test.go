package templates_test

import (
	"archive/zip"
	"bytes"
	"io"
	"math"
	"testing"

	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/templates"
)

// fuzzLimits keep each fuzz input cheap.
var fuzzLimits = templates.Limits{UnzipSize: 8 << 20, UnzipXMLSize: 4 << 20}

// filledTemplate is a real return with values, roster, issues and a formula, the fuzzers' seed.
func filledTemplate(t testing.TB, cat *lingpao.Catalog) []byte {
	return edit(t, template(t, cat, "元氏县", nil), func(f *excelize.File) {
		f.SetCellValue(templates.SheetGuide, "C9", "王晓明")
		f.SetCellValue(templates.SheetClusters, "C5", "1,234.5")
		f.SetCellValue(templates.SheetClusters, "E5", 80)
		f.SetCellFormula(templates.SheetClusters, "F5", "E5/8")
		f.SetCellValue(templates.SheetClusters, "G5", "约3")
		f.SetCellValue(templates.SheetRoster, "B4", "元氏华恒装备有限公司")
		f.SetCellValue(templates.SheetRoster, "C4", "91130132MA07L2XK3U")
		f.SetCellValue(templates.SheetRoster, "D4", "元氏装备制造")
		f.SetCellValue(templates.SheetRoster, "J4", 5000)
		f.SetCellValue(templates.SheetIssues, "B4", "用地")
		f.SetCellValue(templates.SheetIssues, "G4", 45900)
	})
}

// checkRead asserts what Read promises on any input: no panic (Read turns one into a file.unreadable
// finding, which here counts as a crash), a return only with its identity, findings with a rule and a
// message, finite values on cells of the cluster sheet.
func checkRead(t *testing.T, cat *lingpao.Catalog, data []byte) {
	ret, fs, err := templates.Read(data, "x.xlsx", cat, testSecret, fuzzLimits)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	for _, f := range fs {
		if f.Rule == "file.unreadable" {
			t.Fatalf("Read panicked on this input")
		}
		if f.Rule == "" || f.Message == "" || (f.Severity != lingpao.SevError && f.Severity != lingpao.SevWarning) {
			t.Fatalf("bad finding %+v", f)
		}
	}
	if ret == nil {
		if !lingpao.HasErrors(fs) {
			t.Fatalf("no return and no error: %+v", fs)
		}
		return
	}
	if ret.Org == "" || ret.Period.IsZero() {
		t.Fatalf("return without identity: %+v", ret)
	}
	for _, v := range ret.Values {
		if math.IsNaN(v.V) || math.IsInf(v.V, 0) || v.Sheet != templates.SheetClusters || v.Cell == "" {
			t.Fatalf("bad value %+v", v)
		}
	}
	// The rule engine copes with whatever was read.
	lingpao.CheckReturn(cat, nil, ret.Check(cat))
}

// FuzzRead reads arbitrary bytes as a return, seeded with real templates, blank and filled.
func FuzzRead(f *testing.F) {
	cat := catalog(f)
	f.Add(template(f, cat, "鹿泉区", nil))
	f.Add(filledTemplate(f, cat))
	f.Add([]byte("集群,营业收入\n"))
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, cat, data) })
}

// fuzzParts are the parts FuzzReadPart replaces, by index.
var fuzzParts = []string{"xl/worksheets/sheet2.xml", "xl/worksheets/sheet3.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml", "xl/worksheets/sheet5.xml", "xl/_rels/workbook.xml.rels"}

// replacePart returns the zip data with part replaced by content, properly re-zipped, so that the
// fuzzer reaches the XML rather than the checksum.
func replacePart(t testing.TB, data []byte, part string, content []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == part {
			w.Write(content)
			continue
		}
		rc, _ := f.Open()
		io.Copy(w, rc)
		rc.Close()
	}
	zw.Close()
	return buf.Bytes()
}

func partOf(t testing.TB, data []byte, part string) []byte {
	zr, _ := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	for _, f := range zr.File {
		if f.Name == part {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			return b
		}
	}
	t.Fatalf("no part %s", part)
	return nil
}

// FuzzReadPart replaces one XML part of a real filled return — the cluster sheet, the roster, shared
// strings, styles, the workbook, the metadata sheet or the relationships — with fuzzed XML.
func FuzzReadPart(f *testing.F) {
	cat := catalog(f)
	base := filledTemplate(f, cat)
	for i, p := range fuzzParts {
		f.Add(uint8(i), partOf(f, base, p))
	}
	f.Add(uint8(0), []byte(`<worksheet><sheetData><row r="4"><c r="A4" t="s"><v>0</v></c></row><row><c t="inlineStr"><is><t>130132-01</t></is></c><c t="b"><v>1</v></c><c s="99" t="n"><v>1e308</v></c><c t="e"><v>#N/A</v></c><c t="d"><v>2025-09-01T00:00:00</v></c><c><f>A1</f><v></v></c></row></sheetData></worksheet>`))
	f.Fuzz(func(t *testing.T, which uint8, content []byte) {
		checkRead(t, cat, replacePart(t, base, fuzzParts[int(which)%len(fuzzParts)], content))
	})
}
