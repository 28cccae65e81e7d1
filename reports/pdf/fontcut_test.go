package pdf

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFontCuts writes the same document through faces cut three ways — from a cut made for this
// document alone, from one made for many other characters too (announced with Expect, so the glyphs
// sit at other positions), and from a cut reused by a second document — and checks that all render
// to the same pixels (pdftoppm) and read back to the same text (pdftotext), and that a document with
// a character the cut lacks gets it.
func TestFontCuts(t *testing.T) {
	dir := t.TempDir()
	doc := func(f *Fonts, text string) []byte {
		d, err := New(f, Options{Title: "cut", Footer: true})
		if err != nil {
			t.Fatal(err)
		}
		d.Heading("鹿泉区县域特色产业集群发展体检表", 1)
		d.Paragraph(text, ParagraphStyle{})
		var buf bytes.Buffer
		if _, err := d.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	look := func(name string, pdf []byte) (png []byte, text string) {
		path := filepath.Join(dir, name+".pdf")
		if err := os.WriteFile(path, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		poppler(t, "pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", path, filepath.Join(dir, name))
		png, err := os.ReadFile(filepath.Join(dir, name+"-1.png"))
		if err != nil {
			t.Fatal(err)
		}
		return png, bodyText(poppler(t, "pdftotext", path, "-"))
	}
	body := "截至2025年9月底，鹿泉区专精特新中小企业达到68家，完成年度目标的100.0%，超序时进度12.5个百分点（Aa,;:!?）。"

	alone, err := ResolveFonts("", "")
	if err != nil {
		t.Fatal(err)
	}
	png1, text1 := look("alone", doc(alone, body))

	many, err := ResolveFonts("", "")
	if err != nil {
		t.Fatal(err)
	}
	many.Expect("邯郸市峰峰矿区张家口市崇礼区承德县兴隆县衡水市桃城区廊坊市三河市" + strings.Repeat("、", 3))
	doc(many, "另一份文件：邢台市襄都区、沧州市运河区")
	png2, text2 := look("many", doc(many, body))

	if !bytes.Equal(png1, png2) {
		t.Error("the document renders differently from a face cut for other characters too")
	}
	if text1 != text2 || !strings.Contains(text1, squeeze(body)) {
		t.Errorf("text read back:\n alone %s\n many  %s\n want  %s", text1, text2, squeeze(body))
	}
	if cut := many.cuts.faces[&many.Regular[0]]; cut == nil || !covers(cut.runes, map[int]int{'邯': '邯', '峰': '峰', '邢': '邢'}) {
		t.Error("the regular face was not cut for the expected and earlier characters")
	}
	// A character no earlier document had nor Expect announced: the face is cut again.
	_, text3 := look("new", doc(many, body+"蠡县"))
	if !strings.Contains(text3, "蠡县") {
		t.Errorf("a character new to the cut is missing: %s", text3)
	}
}
