package pdf

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"
)

// render writes d to a file in dir and returns its path and bytes.
func render(t testing.TB, d *Doc, dir, name string) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if _, err := d.WriteTo(&buf); err != nil {
		t.Fatalf("WriteTo: %v", err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path, buf.Bytes()
}

// poppler runs a poppler tool and returns its output.
func poppler(t testing.TB, tool string, args ...string) string {
	t.Helper()
	out, err := exec.Command(needTool(t, tool), args...).Output()
	if err != nil {
		t.Fatalf("%s %q: %v", tool, args, err)
	}
	return string(out)
}

// squeeze removes all white space: pdftotext puts spaces and newlines where the layout has gaps
// and line ends, and a dropped character must still show.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

var footerRE = regexp.MustCompile(`第(\d+)页共(\d+)页`)

// bodyText is pdftotext's output without white space and page footers.
func bodyText(s string) string { return footerRE.ReplaceAllString(squeeze(s), "") }

// findInOrder checks that every text of want occurs whole in got, one after the other. It names
// the first text that does not, and where it stops matching.
func findInOrder(got string, want []string) error {
	pos := 0
	for i, w := range want {
		w = squeeze(w)
		j := strings.Index(got[pos:], w)
		if j < 0 {
			// The longest prefix of w found, to show where the text breaks off.
			n := 0
			for k := range w {
				if k > n && strings.Contains(got[pos:], w[:k]) {
					n = k
				}
			}
			return fmt.Errorf("text %d not found in order; it matches up to %q, then expected %q", i, w[:n], firstRunes(w[n:], 8))
		}
		pos += j + len(w)
	}
	return nil
}

func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// TestRoundTrip renders the sample bulletin and reads it back with poppler: every character of every
// heading, paragraph, table cell and chart label, the page numbers and the embedded font subsets.
// Set LINGPAO_PDF_SAMPLE=/tmp/sample.pdf to keep the file for a look.
func TestRoundTrip(t *testing.T) {
	f := fontsForTest(t)
	s := buildSample(t, f, 16)
	path, data := render(t, s.doc, t.TempDir(), "sample.pdf")
	if out := os.Getenv("LINGPAO_PDF_SAMPLE"); out != "" {
		if err := os.WriteFile(out, data, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("sample written to %s", out)
	}
	pages := s.doc.PageCount()
	if pages < 8 {
		t.Fatalf("sample has %d pages; the table alone should need several", pages)
	}

	plain := poppler(t, "pdftotext", "-enc", "UTF-8", path, "-")
	layout := poppler(t, "pdftotext", "-enc", "UTF-8", "-layout", path, "-")

	t.Run("paragraphs", func(t *testing.T) {
		for name, text := range map[string]string{"plain": plain, "layout": layout} {
			if err := findInOrder(bodyText(text), s.texts); err != nil {
				t.Errorf("pdftotext %s: %v", name, err)
			}
		}
	})

	t.Run("kinsoku", func(t *testing.T) {
		for i, l := range strings.Split(plain, "\n") {
			l = strings.TrimSpace(l)
			if r, _ := utf8.DecodeRuneInString(l); l != "" && isNoStart(r) && !strings.HasPrefix(l, "%") {
				t.Errorf("extracted line %d starts with %q: %q", i, r, l)
			}
		}
	})

	t.Run("table rows", func(t *testing.T) {
		// All columns but the last hold one line per cell, so a row reads as one line of -layout.
		var rows []string
		for _, r := range s.table.Rows {
			var b strings.Builder
			for _, c := range r[:len(r)-1] {
				b.WriteString(c.Text)
			}
			rows = append(rows, b.String())
		}
		if err := findInOrder(bodyText(layout), rows); err != nil {
			t.Error(err)
		}
	})

	t.Run("table wrapped column", func(t *testing.T) {
		// The last column wraps. Cropped to that column, each page must read as its header and
		// then whole cells, continuing where the previous page stopped: no character lost at a
		// wrap, no row split across pages, the header repeated on every page.
		d := s.doc
		widths := columnWidths(s.table.Columns, d.textWidth())
		x := d.left
		for _, w := range widths[:len(widths)-1] {
			x += w
		}
		last := len(widths) - 1
		header := squeeze(s.table.Columns[last].Header)
		var cells []string
		for _, r := range s.table.Rows {
			cells = append(cells, squeeze(r[last].Text))
		}
		pt := func(mm float64) string { return strconv.Itoa(int(mm * d.k)) }
		next := 0
		for _, p := range s.tablePages {
			text := squeeze(poppler(t, "pdftotext", "-enc", "UTF-8", "-f", strconv.Itoa(p), "-l", strconv.Itoa(p),
				"-x", pt(x+0.5), "-y", pt(d.top), "-W", pt(widths[last]-1), "-H", pt(d.bottom-d.top), path, "-"))
			_, text, ok := strings.Cut(text, header)
			if !ok {
				t.Fatalf("page %d: no header %q over the column", p, header)
			}
			start := next
			for next < len(cells) && strings.HasPrefix(text, cells[next]) {
				text = text[len(cells[next]):]
				next++
			}
			if text != "" {
				want := ""
				if next < len(cells) {
					want = cells[next]
				}
				t.Fatalf("page %d: after rows %d–%d the column reads %q, want row %d %q", p, start+1, next, text, next+1, want)
			}
		}
		if next != len(cells) {
			t.Fatalf("only %d of %d rows of the wrapped column found", next, len(cells))
		}
	})

	t.Run("chart", func(t *testing.T) {
		c := sampleChart()
		l := chartLayout{d: s.doc, s: c}
		l.layout()
		want := []string{c.Title}
		for i, label := range c.Labels {
			v := "未报送"
			if c.Values[i] == c.Values[i] {
				v = l.format(c.Values[i])
			}
			want = append(want, label+v)
		}
		if err := findInOrder(bodyText(layout), want); err != nil {
			t.Error(err)
		}
	})

	t.Run("page numbers", func(t *testing.T) {
		info := poppler(t, "pdfinfo", path)
		if !regexp.MustCompile(`(?m)^Pages:\s+` + strconv.Itoa(pages) + `$`).MatchString(info) {
			t.Fatalf("pdfinfo does not report %d pages:\n%s", pages, info)
		}
		var got []string
		for _, m := range footerRE.FindAllStringSubmatch(squeeze(plain), -1) {
			got = append(got, m[0])
		}
		var want []string
		for i := 1; i <= pages; i++ {
			want = append(want, fmt.Sprintf("第%d页共%d页", i, pages))
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("footers:\n got %q\nwant %q", got, want)
		}
	})

	t.Run("fonts", func(t *testing.T) {
		out := poppler(t, "pdffonts", path)
		lines := strings.Split(strings.TrimSpace(out), "\n")[2:]
		if len(lines) != 2 {
			t.Fatalf("want the regular and the bold face embedded once each:\n%s", out)
		}
		for _, l := range lines {
			fields := strings.Fields(l)
			name := fields[0]
			// name, "CID", "TrueType", "Identity-H", emb, sub, uni, object, generation
			if len(fields) != 9 || fields[1] != "CID" || fields[2] != "TrueType" || fields[4] != "yes" || fields[5] != "yes" {
				t.Errorf("font not an embedded TrueType subset: %s", l)
			}
			if !regexp.MustCompile(`^[A-Z]{6}\+`).MatchString(name) {
				t.Errorf("font %s has no subset tag", name)
			}
		}
		for _, want := range []string{"+" + postScriptName(f.RegularPath), "+" + postScriptName(f.BoldPath)} {
			if !strings.Contains(out, want) {
				t.Errorf("pdffonts does not list %s:\n%s", want, out)
			}
		}
	})

	t.Run("metadata", func(t *testing.T) {
		info := poppler(t, "pdfinfo", path)
		for _, want := range []string{"Title:           石家庄市县域特色产业集群工作简报 2025年第9期", "Author:          石家庄市工业和信息化局", "Producer:        lingpao", "Page size:       595.28 x 841.89 pts (A4)"} {
			if !strings.Contains(info, want) {
				t.Errorf("pdfinfo lacks %q:\n%s", want, info)
			}
		}
	})

	t.Run("reproducible", func(t *testing.T) {
		_, again := render(t, buildSample(t, f, 16).doc, t.TempDir(), "again.pdf")
		if !bytes.Equal(data, again) {
			t.Error("rendering the same document twice gave different bytes")
		}
	})
}

// TestSampleExercisesKinsoku makes sure the round trip covers what it is meant to: wraps where a
// line would start with punctuation if 避头尾 did not move a character.
func TestSampleExercisesKinsoku(t *testing.T) {
	s := buildSample(t, fontsForTest(t), 16)
	d := s.doc
	d.setFont(bodySize, false)
	indent := 2 * bodySize * mmPerPt
	hits := 0
	for _, p := range sampleParagraphs(16) {
		for _, l := range naiveBreak(p, d.textWidth(), indent, d.measure)[1:] {
			if r, _ := utf8.DecodeRuneInString(l); isNoStart(r) {
				hits++
			}
		}
	}
	if hits < 3 {
		t.Errorf("only %d wraps of the sample paragraphs fall before punctuation; vary the text", hits)
	}
	t.Logf("%d wraps fall before punctuation", hits)
}

// naiveBreak breaks text by width alone, one character at a time.
func naiveBreak(text string, width, indent float64, measure func(string) float64) []string {
	var out []string
	start, w, avail := 0, 0.0, width-indent
	for i, r := range text {
		cw := measure(string(r))
		if w+cw > avail && i > start {
			out = append(out, text[start:i])
			start, w, avail = i, 0, width
		}
		w += cw
	}
	return append(out, text[start:])
}

// TestMultiCellDropsCharacters is the negative control: gofpdf's own MultiCell, given the same
// paragraphs, font and width, loses characters at CJK wraps — and the check above catches it.
func TestMultiCellDropsCharacters(t *testing.T) {
	f := fontsForTest(t)
	paras := sampleParagraphs(16)
	p := gofpdf.New("P", "mm", "A4", "")
	p.SetMargins(28, 25, 26)
	p.AddUTF8FontFromBytes("cjk", "", f.Regular)
	p.SetFont("cjk", "", bodySize)
	p.AddPage()
	for _, s := range paras {
		p.MultiCell(156, bodySize*mmPerPt*1.75, s, "", "L", false)
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "multicell.pdf")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	err := findInOrder(bodyText(poppler(t, "pdftotext", "-enc", "UTF-8", path, "-")), paras)
	if err == nil {
		t.Fatal("MultiCell output passed the check: either gofpdf no longer drops characters or the check cannot fail")
	}
	t.Logf("as expected, MultiCell lost text: %v", err)
}

// TestTableErrors checks that a malformed table is reported, not drawn with data missing.
func TestTableErrors(t *testing.T) {
	d, err := New(fontsForTest(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	d.Table(TableSpec{Columns: []Column{{Header: "甲"}}, Rows: [][]Cell{Row("1", "2")}})
	d.Paragraph("之后的内容不再排版。", ParagraphStyle{})
	if _, err := d.WriteTo(io.Discard); err == nil || !strings.Contains(err.Error(), "row 1 has 2 cells for 1 columns") {
		t.Fatalf("WriteTo error = %v, want the bad row named", err)
	}
}

// TestTallRow checks that a row taller than a page is split over pages rather than lost.
func TestTallRow(t *testing.T) {
	d, err := New(fontsForTest(t), Options{Footer: true})
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("这是一段很长的单元格内容，用来检验超过一页高度的行能否完整排出。", 90)
	d.Table(TableSpec{Columns: []Column{{Header: "项目", Width: 1}, {Header: "说明", Width: 3}}, Rows: [][]Cell{Row("甲", long), Row("乙", "短")}})
	path, _ := render(t, d, t.TempDir(), "tall.pdf")
	if d.PageCount() < 2 {
		t.Fatalf("a %d-character cell fit on %d page(s)", utf8.RuneCountInString(long), d.PageCount())
	}
	got := bodyText(poppler(t, "pdftotext", "-enc", "UTF-8", path, "-"))
	got = strings.ReplaceAll(got, "项目说明", "") // the repeated header
	if err := findInOrder(got, []string{long, "乙短"}); err != nil {
		t.Error(err)
	}
}

// TestCleanText checks the characters gofpdf cannot take are replaced, not passed through.
func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"普通文本", "普通文本"},
		{"a\r\nb\rc", "a\nb\nc"},
		{"a\tb\x00c", "a bc"},
		{"𠮷野家", "〓野家"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"c1\u0085control", "c1control"},
		{"é，１２３", "é，１２３"},
	}
	for _, tt := range tests {
		if got := clean(tt.in); got != tt.want {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNiceScale(t *testing.T) {
	tests := []struct {
		lo, hi             float64
		from, to, stepWant float64
	}{
		{0, 128.5, 0, 140, 20},
		{0, 100, 0, 100, 20},
		{-12.3, 8.2, -15, 10, 5},
		{0, 0.8, 0, 0.8, 0.2},
		{0, 612, 0, 700, 100},
	}
	for _, tt := range tests {
		from, to, step := niceScale(tt.lo, tt.hi, 6)
		if from != tt.from || to != tt.to || step != tt.stepWant {
			t.Errorf("niceScale(%v, %v) = %v, %v, %v; want %v, %v, %v", tt.lo, tt.hi, from, to, step, tt.from, tt.to, tt.stepWant)
		}
	}
}

// BenchmarkTwentyPages lays out and writes a bulletin of about twenty pages.
func BenchmarkTwentyPages(b *testing.B) {
	f := fontsForTest(b)
	pages := 0
	b.ReportAllocs()
	for b.Loop() {
		s := buildSample(b, f, 90)
		if _, err := s.doc.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
		pages = s.doc.PageCount()
	}
	b.ReportMetric(float64(pages), "pages")
}

// TestLandscape lays out a wide table on landscape pages.
func TestLandscape(t *testing.T) {
	d, err := New(fontsForTest(t), Options{Orientation: Landscape, Footer: true})
	if err != nil {
		t.Fatal(err)
	}
	cols := []Column{{Header: "县（市、区）", Width: 2}}
	row := Row("鹿泉区")
	for m := 1; m <= 12; m++ {
		cols = append(cols, Column{Header: fmt.Sprintf("%d月", m)})
		row = append(row, Cell{Text: fmt.Sprintf("%d", 100+m*7)})
	}
	d.Table(TableSpec{Title: "表2 月度报送值", Columns: cols, Rows: [][]Cell{row}})
	path, _ := render(t, d, t.TempDir(), "landscape.pdf")
	if info := poppler(t, "pdfinfo", path); !strings.Contains(info, "841.89 x 595.28 pts (A4)") {
		t.Errorf("not landscape A4:\n%s", info)
	}
	got := bodyText(poppler(t, "pdftotext", "-enc", "UTF-8", "-layout", path, "-"))
	var want strings.Builder
	for _, c := range row {
		want.WriteString(c.Text)
	}
	if err := findInOrder(got, []string{"表2月度报送值", want.String()}); err != nil {
		t.Error(err)
	}
}
