package pdf

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"lingpao"
	"lingpao/reports"
	"lingpao/reports/reportstest"
)

// keep writes a rendered report to $LINGPAO_PDF_OUT, when set, for a look with pdftoppm.
func keep(t testing.TB, name string, data []byte) {
	if dir := os.Getenv("LINGPAO_PDF_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var subsetRE = regexp.MustCompile(`(?m)^([A-Z]{6}\+\S+)\s+CID TrueType\s+Identity-H\s+yes\s+yes\s+yes`)

// checkPDF reads a rendered report back with poppler: every text of its layout is in the file, whole
// and in order (pdftotext -raw reads the content streams in the order they were drawn, so a table
// cell or a paragraph wrapped over several lines reads as one piece), and the fonts are embedded
// subsets — each face once.
func checkPDF(t *testing.T, name string, data []byte, l *Layout, faces int) {
	t.Helper()
	keep(t, name, data)
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	raw := bodyText(poppler(t, "pdftotext", "-raw", "-enc", "UTF-8", path, "-"))
	texts := l.Texts()
	if len(texts) < 10 {
		t.Fatalf("%s: only %d texts in the layout", name, len(texts))
	}
	if err := findInOrder(raw, texts); err != nil {
		t.Errorf("%s: %v", name, err)
	}
	fonts := poppler(t, "pdffonts", path)
	got := subsetRE.FindAllStringSubmatch(fonts, -1)
	if len(got) != faces {
		t.Errorf("%s: want %d embedded subset fonts, pdffonts says:\n%s", name, faces, fonts)
	}
	seen := map[string]bool{}
	for _, m := range got {
		if seen[m[1]] {
			t.Errorf("%s: font %s embedded twice", name, m[1])
		}
		seen[m[1]] = true
	}
}

// faces is how many faces the test fonts embed: the bold face, when there is one, is its own.
func faces(f *Fonts) int {
	if f.BoldFromRegular {
		return 1
	}
	return 2
}

func TestBulletinPDF(t *testing.T) {
	f := fontsForTest(t)
	fx := reportstest.New(t, lingpao.MonthOf(2025, 9))
	b := reports.BuildBulletin(fx.Input(lingpao.Period{Year: 2025, Kind: lingpao.Quarter, N: 3}))
	var buf bytes.Buffer
	if err := WriteBulletin(&buf, b, f); err != nil {
		t.Fatal(err)
	}
	checkPDF(t, "bulletin.pdf", buf.Bytes(), BulletinLayout(b), faces(f))
	// The page numbers say 第x页 共y页 on every page.
	path := filepath.Join(t.TempDir(), "b.pdf")
	os.WriteFile(path, buf.Bytes(), 0o644)
	text := squeeze(poppler(t, "pdftotext", "-enc", "UTF-8", path, "-"))
	pages := footerRE.FindAllStringSubmatch(text, -1)
	if len(pages) < 4 || pages[0][1] != "1" || pages[len(pages)-1][1] != pages[0][2] {
		t.Errorf("page numbers %v", pages)
	}
	// The chart of 上市企业: counties allocated 0 read 无任务, as the workbook says — never 未报送.
	// The fixture's example allocation gives 长安区 and 新乐市 no listing.
	raw := squeeze(poppler(t, "pdftotext", "-raw", "-enc", "UTF-8", path, "-"))
	chart := raw[strings.Index(raw, "各县（市、区）上市企业完成率"):]
	chart = chart[:strings.Index(chart, "（四）")]
	for _, want := range []string{"长安区无任务", "新乐市无任务"} {
		if !strings.Contains(chart, want) {
			t.Errorf("上市企业 chart lacks %q: %s", want, chart)
		}
	}
	if strings.Contains(chart, "未报送") {
		t.Errorf("上市企业 chart says 未报送 of a county allocated 0: %s", chart)
	}
}

func TestRevisedBulletinPDF(t *testing.T) {
	f := fontsForTest(t)
	fx := reportstest.New(t, lingpao.MonthOf(2025, 9))
	in := fx.Input(lingpao.Period{Year: 2025, Kind: lingpao.Quarter, N: 3})
	in.Edition = 2
	in.RevisesDate = fx.Clock.AddDate(0, 0, -3)
	in.Errata = []reports.Correction{{Org: "130123", Name: "正定县", Item: "新增发明专利（本年累计）", Old: "12件", New: "13件"}}
	b := reports.BuildBulletin(in)
	if !strings.Contains(b.Errata, "正定县新增发明专利（本年累计）由12件更正为13件") {
		t.Fatalf("errata %q", b.Errata)
	}
	var buf bytes.Buffer
	if err := WriteBulletin(&buf, b, f); err != nil {
		t.Fatal(err)
	}
	checkPDF(t, "bulletin_v2.pdf", buf.Bytes(), BulletinLayout(b), faces(f))
}

func TestHalfYearPDF(t *testing.T) {
	f := fontsForTest(t)
	fx := reportstest.New(t, lingpao.MonthOf(2025, 6))
	h := reports.BuildHalfYear(fx.Input(lingpao.Period{Year: 2025, Kind: lingpao.Half, N: 1}))
	var buf bytes.Buffer
	if err := WriteHalfYear(&buf, h, f); err != nil {
		t.Fatal(err)
	}
	checkPDF(t, "half.pdf", buf.Bytes(), HalfYearLayout(h), faces(f))
}

func TestAnnualPDF(t *testing.T) {
	f := fontsForTest(t)
	fx := reportstest.New(t, lingpao.MonthOf(2024, 12))
	a := reports.BuildAnnual(fx.Input(lingpao.Period{Year: 2024, Kind: lingpao.Year}))
	var buf bytes.Buffer
	if err := WriteAnnual(&buf, a, f); err != nil {
		t.Fatal(err)
	}
	checkPDF(t, "annual.pdf", buf.Bytes(), AnnualLayout(a), faces(f))
}

// TestScorecardPDF renders every county's 体检表: each is one page and holds all its texts.
func TestScorecardPDF(t *testing.T) {
	f := fontsForTest(t)
	fx := reportstest.New(t, lingpao.MonthOf(2025, 9))
	scs := reports.BuildScorecards(fx.Input(lingpao.MonthOf(2025, 9)))
	if len(scs) != 24 {
		t.Fatalf("%d scorecards, want 24", len(scs))
	}
	for i, sc := range scs {
		if i%6 != 0 && sc.Name != "井陉矿区" {
			continue // a sample, to keep the test short: the layout is the same for all
		}
		var buf bytes.Buffer
		if err := WriteScorecard(&buf, sc, f); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "sc.pdf")
		os.WriteFile(path, buf.Bytes(), 0o644)
		if info := poppler(t, "pdfinfo", path); !regexp.MustCompile(`(?m)^Pages:\s+1$`).MatchString(info) {
			t.Errorf("%s: scorecard is not one page:\n%s", sc.Name, info)
		}
		checkPDF(t, "scorecard_"+sc.Org+".pdf", buf.Bytes(), ScorecardLayout(sc, 1), faces(f))
	}
}

// BenchmarkBulletin builds and renders the quarterly bulletin of a 24-county city.
func BenchmarkBulletin(b *testing.B) {
	f := fontsForTest(b)
	fx := reportstest.New(b, lingpao.MonthOf(2025, 9))
	in := fx.Input(lingpao.Period{Year: 2025, Kind: lingpao.Quarter, N: 3})
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := WriteBulletin(&buf, reports.BuildBulletin(in), f); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len())/1024, "KiB")
}
