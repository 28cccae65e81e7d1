package pdf

import (
	"math"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// unitWidth measures CJK and other non-ASCII characters as 1 and ASCII as 0.5, like a CJK font at
// size 1; combining marks take no width.
func unitWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case isMark(r):
		case r < utf8.RuneSelf:
			w += 0.5
		default:
			w++
		}
	}
	return w
}

func TestBreakLines(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		width float64
		want  []string
	}{
		{"cjk anywhere", "一二三四五六七八九十", 4, []string{"一二三四", "五六七八", "九十"}},
		{"fits", "一二三", 3, []string{"一二三"}},
		{"empty", "", 3, []string{""}},
		{"comma pushes the character before it down", "一二三，四五六", 3, []string{"一二", "三，四", "五六"}},
		{"full stop at the wrap", "甲乙丙。丁戊", 3, []string{"甲乙", "丙。丁", "戊"}},
		{"opening bracket goes down with what it opens", "一二（三）四", 3, []string{"一二", "（三）", "四"}},
		{"opening quote not at a line end", "一二“三四”", 3, []string{"一二", "“三", "四”"}},
		{"quotes and colon", "他说：“好。”然后", 4, []string{"他说：", "“好。”", "然后"}},
		{"percentage whole with its comma", "完成81.6%，超", 4, []string{"完成", "81.6%，", "超"}},
		{"grouped decimal whole", "达到1,234.56家", 5, []string{"达到", "1,234.56家"}},
		{"percent sign never starts a line", "增长12%", 2.5, []string{"增长", "12%"}},
		{"ellipsis pair stays with the word", "甲乙丙等等……", 5, []string{"甲乙丙等", "等……"}},
		{"dash pair not split", "一——二", 2, []string{"一", "——", "二"}},
		{"latin words break at spaces, spaces dropped", "hello world foo", 3, []string{"hello", "world", "foo"}},
		{"latin and cjk", "GDP增长6.6个百分点", 5, []string{"GDP增长6.6", "个百分点"}},
		{"number moves down whole", "GDP增长16.6个百分点", 5, []string{"GDP增长", "16.6个百分", "点"}},
		{"run wider than a line splits", "abcdefghij", 2, []string{"abcd", "efgh", "ij"}},
		{"newline", "一二\n三四五", 10, []string{"一二", "三四五"}},
		{"blank line", "一\n\n二", 10, []string{"一", "", "二"}},
		{"leading spaces kept", "  ab", 10, []string{"  ab"}},
		{"space between cjk kept inside a line", "一 二", 10, []string{"一 二"}},
		{"trailing spaces that fit kept", "ab  ", 10, []string{"ab  "}},
		{"trailing spaces at a break dropped", "一二  ", 2, []string{"一二"}},
		{"zero width: one character a line", "一二", 0, []string{"一", "二"}},
		{"combining mark stays with its base", "ae\u0301b", 0.5, []string{"a", "e\u0301", "b"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := BreakLines(tt.text, tt.width, unitWidth)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("BreakLines(%q, %v) mismatch (-want +got):\n%s", tt.text, tt.width, diff)
			}
			checkLines(t, tt.text, tt.width, 0, breakLines(tt.text, tt.width, 0, unitWidth))
		})
	}
}

func TestBreakLinesIndent(t *testing.T) {
	got := breakLines("一二三四五六\n七八九十", 4, 2, unitWidth)
	want := []line{{"一二", false}, {"三四五六", true}, {"七八", false}, {"九十", true}}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(line{})); diff != "" {
		t.Errorf("breakLines with indent mismatch (-want +got):\n%s", diff)
	}
}

// TestBreakLinesKinsoku wraps a realistic paragraph at every width and checks 避头尾 everywhere.
func TestBreakLinesKinsoku(t *testing.T) {
	text := "截至9月底，全市专精特新中小企业达到612家，完成年度目标的81.6%，超序时进度6.6个百分点；" +
		"“领跑者”企业新增12家（其中鹿泉区5家、栾城区3家），营业收入同比增长8.2%。" +
		"高阳县、博野县等4个县（市、区）进度滞后……请各地对照《实施方案》抓紧推进！"
	for w := 4.0; w <= 40; w += 0.5 {
		lines := breakLines(text, w, 2, unitWidth)
		checkLines(t, text, w, 2, lines)
		for i, l := range lines {
			first, _ := utf8.DecodeRuneInString(l.text)
			last, _ := utf8.DecodeLastRuneInString(l.text)
			if i > 0 && isNoStart(first) {
				t.Errorf("width %v: line %d starts with %q: %q", w, i, first, l.text)
			}
			if !l.last && isNoEnd(last) {
				t.Errorf("width %v: line %d ends with %q: %q", w, i, last, l.text)
			}
		}
		// No number is cut: no line boundary falls strictly inside one.
		boundaries := map[int]bool{}
		pos := 0
		for _, l := range lines {
			pos += len(l.text)
			boundaries[pos] = true
		}
		for _, num := range []string{"612", "81.6%，", "6.6", "8.2%。"} {
			at := strings.Index(text, num)
			for b := at + 1; b < at+len(num); b++ {
				if boundaries[b] {
					t.Errorf("width %v: %q split across lines: %v", w, num, lines)
				}
			}
		}
	}
}

// checkLines asserts the invariants of breakLines: each paragraph's lines put together are the
// paragraph minus some spaces (never another character), and every line fits its width unless it
// is a single character wider than the line.
func checkLines(t *testing.T, text string, width, indent float64, lines []line) {
	t.Helper()
	segs := strings.Split(text, "\n")
	var paras [][]string
	var cur []string
	for _, l := range lines {
		cur = append(cur, l.text)
		if l.last {
			paras = append(paras, cur)
			cur = nil
		}
	}
	if cur != nil {
		t.Fatalf("last line not marked last: %q", cur)
	}
	if len(paras) != len(segs) {
		t.Fatalf("got %d paragraphs, want %d (%q → %v)", len(paras), len(segs), text, lines)
	}
	if !(width > 0) {
		width = 0
	}
	eps := 1e-9 * math.Max(1, width)
	for i, p := range paras {
		if err := onlySpacesDropped(segs[i], strings.Join(p, "")); err != "" {
			t.Fatalf("paragraph %d %q → %q: %s", i, segs[i], p, err)
		}
		for j, l := range p {
			avail := width
			if j == 0 {
				avail -= indent
			}
			if w := unitWidth(l); w > avail+eps && clusterEnd(l, 0) != len(l) {
				t.Fatalf("paragraph %d line %d %q is %v wide, more than %v", i, j, l, w, avail)
			}
			if j > 0 && strings.HasPrefix(l, " ") {
				t.Fatalf("paragraph %d line %d %q starts with a space at a break", i, j, l)
			}
		}
	}
}

// onlySpacesDropped returns "" if got is want with zero or more ASCII spaces removed.
func onlySpacesDropped(want, got string) string {
	i := 0
	for j := 0; j < len(got); j++ {
		for i < len(want) && want[i] != got[j] && want[i] == ' ' {
			i++
		}
		if i >= len(want) || want[i] != got[j] {
			return "character lost, added or reordered at byte " + strconv.Itoa(j)
		}
		i++
	}
	if strings.Trim(want[i:], " ") != "" {
		return "characters lost at the end: " + want[i:]
	}
	return ""
}

func FuzzBreakLines(f *testing.F) {
	for _, s := range []string{
		"截至9月底，全市专精特新中小企业达到612家，完成年度目标的81.6%，超序时进度6.6个百分点……",
		"“领跑者”企业（12家）",
		"hello world, 1,234.56 and 81.6%",
		"一\n\n二  三",
		"  ab  ",
		"，，，，。。。（（（（",
		"ae\u0301\u200db",
		"\xff\xfe一",
	} {
		f.Add(s, uint8(13), uint8(4))
	}
	f.Fuzz(func(t *testing.T, text string, w, ind uint8) {
		width := float64(w) / 4
		indent := math.Min(float64(ind)/4, width)
		checkLines(t, text, width, indent, breakLines(text, width, indent, unitWidth))
	})
}
