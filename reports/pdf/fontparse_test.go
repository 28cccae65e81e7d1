package pdf

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"
)

// forgetParsedFonts empties the cache of parsed faces, so that the next document parses again.
func forgetParsedFonts() {
	parsedFonts.mu.Lock()
	parsedFonts.faces = nil
	parsedFonts.mu.Unlock()
}

// smallDoc lays out a short document in both faces with text that depends on n, so that documents
// use different characters and so embed different subsets.
func smallDoc(t testing.TB, f *Fonts, n int) []byte {
	t.Helper()
	d, err := New(f, Options{CreationDate: time.Date(2025, 10, 15, 9, 0, 0, 0, time.UTC), Footer: true})
	if err != nil {
		t.Fatal(err)
	}
	d.Heading(fmt.Sprintf("第%d份文档", n+1), 1)
	d.Paragraph(sampleParagraphs(n + 1)[n], ParagraphStyle{Indent: 2})
	d.Table(TableSpec{Columns: []Column{{Header: "县（市、区）"}, {Header: "完成率"}}, Rows: [][]Cell{Row(counties[n%len(counties)], fmt.Sprintf("%d.%d%%", 60+n, n))}})
	var buf bytes.Buffer
	if _, err := d.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestFontParsedOnce checks the bridge into gofpdf (fontparse.go): gofpdf's layout is what the
// bridge expects (this fails when a gofpdf release changes it), a second document takes the parsed
// face from the cache, and documents made from the cache — several at once, each with its own
// characters — are byte for byte the documents gofpdf makes when it parses the font itself.
func TestFontParsedOnce(t *testing.T) {
	if !fontLayout().ok {
		t.Fatal("gofpdf's internal layout changed: fontparse.go cannot reuse parsed fonts; update the bridge")
	}
	f := fontsForTest(t)
	const n = 6
	fresh := make([][]byte, n)
	for i := range n {
		forgetParsedFonts()
		fresh[i] = smallDoc(t, f, i)
	}

	// The cache now holds the faces; a new document must take them from it.
	d, err := New(f, Options{})
	if err != nil {
		t.Fatal(err)
	}
	cached, err := addFontOnce(d.pdf, d.regular, f.Regular)
	if err != nil || !cached {
		t.Fatalf("regular face not taken from the cache: cached %v, err %v", cached, err)
	}

	got := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { got[i] = smallDoc(t, f, i) })
	}
	wg.Wait()
	for i := range n {
		if !bytes.Equal(got[i], fresh[i]) {
			t.Errorf("document %d from the parsed-once font differs from a freshly parsed one (%d vs %d bytes)", i, len(got[i]), len(fresh[i]))
		}
	}
	if bytes.Equal(fresh[0], fresh[1]) {
		t.Error("documents with different text are identical: the test proves nothing")
	}
}

// BenchmarkNewDocument measures a small two-face document, parsing the fonts for every document
// (as gofpdf alone does) and once per process.
func BenchmarkNewDocument(b *testing.B) {
	f := fontsForTest(b)
	b.Run("parse-each", func(b *testing.B) {
		for b.Loop() {
			forgetParsedFonts()
			smallDoc(b, f, 1)
		}
	})
	b.Run("parse-once", func(b *testing.B) {
		smallDoc(b, f, 1)
		for b.Loop() {
			smallDoc(b, f, 1)
		}
	})
}
