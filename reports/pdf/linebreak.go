package pdf

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
)

// BreakLines splits text into lines no wider than width, as measured by measure, for Chinese text
// mixed with Latin words and numbers:
//   - a line may break between any two CJK characters;
//   - a run of Latin letters, digits and .,%-+/_':&@ (a word, or a number such as 1,234.56 or
//     81.6%) is kept whole unless it alone is wider than a line;
//   - 避头尾: no line starts with a closing mark (，。、；：？！）》”’」』】…% and their ASCII
//     kin) and none ends with an opening one (（《“‘「『【 …): the character next to it moves to the
//     next line with it; a dash pair —— is not split;
//   - "\n" ends a line;
//   - spaces at a break are dropped; every other character is kept, once, in order.
//
// A line is wider than width only when it holds a single character that is. measure must be
// additive — the width of a string is the sum of the widths of its parts — as font advance widths
// without kerning are.
func BreakLines(text string, width float64, measure func(string) float64) []string {
	ls := breakLines(text, width, 0, measure)
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = l.text
	}
	return out
}

// line is one line of broken text. last marks the end of a paragraph (the text or a "\n"), which
// is never justified.
type line struct {
	text string
	last bool
}

// breakLines is BreakLines with a first-line indent: the first line of each paragraph ("\n"-separated
// segment) is indent narrower.
func breakLines(text string, width, indent float64, measure func(string) float64) []line {
	if !(width > 0) { // also NaN
		width = 0
	}
	var out []line
	for {
		seg, rest, more := strings.Cut(text, "\n")
		out = breakSegment(out, seg, width, indent, measure)
		if !more {
			return out
		}
		text = rest
	}
}

// atom is a piece of a segment that no line break may split: a CJK character, a word or number, or
// these glued together by 避头尾. Runs of spaces between atoms are atoms of their own (space), the
// only places besides CJK boundaries where a line may break.
type atom struct {
	start, end int // byte offsets in the segment
	space      bool
}

func breakSegment(out []line, seg string, width, indent float64, measure func(string) float64) []line {
	if seg == "" {
		return append(out, line{last: true})
	}
	eps := 1e-9 * math.Max(1, width)
	avail := width - indent
	start, end := -1, -1 // the current line is seg[start:end]; start < 0 when it is empty
	var lineW float64
	var spaceW float64 // width of the spaces after the current line, if any
	haveSpace := false
	broken := false // a line of this segment has been emitted
	emit := func() {
		out = append(out, line{text: seg[start:end]})
		start, lineW, avail, broken = -1, 0, width, true
	}
	for _, a := range atoms(seg) {
		if a.space {
			haveSpace, spaceW = true, measure(seg[a.start:a.end])
			continue
		}
		w := measure(seg[a.start:a.end])
		if start >= 0 {
			add := w
			if haveSpace {
				add += spaceW
			}
			haveSpace = false
			if lineW+add <= avail+eps {
				end, lineW = a.end, lineW+add
				continue
			}
			emit() // the spaces before a, if any, are dropped here
		}
		haveSpace = false
		if w <= avail+eps {
			start, end, lineW = a.start, a.end, w
			continue
		}
		// The atom alone is wider than a line: break it between characters (keeping combining
		// marks with their base), the only case where 避头尾 may give way.
		for i := a.start; i < a.end; {
			j := clusterEnd(seg[:a.end], i)
			cw := measure(seg[i:j])
			if start >= 0 && lineW+cw > avail+eps {
				emit()
			}
			if start < 0 && broken && seg[i] == ' ' {
				i++ // a space at a break is dropped (not a combining mark after it)
				continue
			}
			if start < 0 {
				start, lineW = i, 0
			}
			end, lineW = j, lineW+cw
			i = j
		}
	}
	if haveSpace && start >= 0 && lineW+spaceW <= avail+eps {
		end = len(seg) // trailing spaces that fit are kept
	}
	if start < 0 {
		return append(out, line{last: true})
	}
	return append(out, line{text: seg[start:end], last: true})
}

// clusterEnd returns the end of the character starting at s[i:], including the combining marks
// that follow it.
func clusterEnd(s string, i int) int {
	_, n := utf8.DecodeRuneInString(s[i:])
	i += n
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if !isMark(r) {
			break
		}
		i += n
	}
	return i
}

// unitKind classifies the pieces a segment is first cut into.
type unitKind uint8

const (
	unitOther unitKind = iota // one character: CJK, punctuation, symbol
	unitWord                  // a run of word characters
	unitSpace                 // a run of ASCII spaces
)

// atoms cuts seg into atoms: first into characters, words and space runs, then glues pieces that
// 避头尾 forbids to separate.
func atoms(seg string) []atom {
	type unit struct {
		start, end int
		kind       unitKind
	}
	units := make([]unit, 0, len(seg)/2)
	for i := 0; i < len(seg); {
		r, n := utf8.DecodeRuneInString(seg[i:])
		last := len(units) - 1
		var kind unitKind
		switch {
		case r == ' ':
			kind = unitSpace
		case isMark(r) && last >= 0 && units[last].kind != unitSpace && units[last].end == i:
			units[last].end = i + n // a combining mark stays with its base
			i += n
			continue
		case isWordRune(r):
			kind = unitWord
		}
		if kind != unitOther && last >= 0 && units[last].kind == kind {
			units[last].end = i + n
		} else {
			units = append(units, unit{i, i + n, kind})
		}
		i += n
	}

	out := make([]atom, 0, len(units))
	for i, u := range units {
		if u.kind == unitSpace {
			// Spaces that open a paragraph are content (an indent), not a break opportunity.
			out = append(out, atom{u.start, u.end, i > 0})
			continue
		}
		// The previous content atom, and whether spaces lie between it and u.
		p := len(out) - 1
		if p >= 0 && out[p].space {
			p--
		}
		if p >= 0 {
			first, _ := utf8.DecodeRuneInString(seg[u.start:])
			prev, _ := utf8.DecodeLastRuneInString(seg[out[p].start:out[p].end])
			adjacent := p == len(out)-1
			if isNoStart(first) || isNoEnd(prev) || (adjacent && first == '—' && prev == '—') {
				out[p].end = u.end
				out = out[:p+1]
				continue
			}
		}
		out = append(out, atom{u.start, u.end, false})
	}
	return out
}

// isNoStart reports whether r may not begin a line (行首禁则): closing brackets and quotes,
// sentence and clause punctuation, the ellipsis and the percent sign.
func isNoStart(r rune) bool {
	switch r {
	case '，', '。', '、', '；', '：', '？', '！', '）', '》', '”', '’', '」', '』', '】', '…', '%',
		'％', '〕', '〉', '〗', '〙', '］', '｝', '．', '〃', '々', '‰',
		',', '.', ';', ':', '?', '!', ')', ']', '}':
		return true
	}
	return false
}

// isNoEnd reports whether r may not end a line (行尾禁则): opening brackets and quotes.
func isNoEnd(r rune) bool {
	switch r {
	case '（', '《', '“', '‘', '「', '『', '【', '〔', '〈', '〖', '〘', '［', '｛', '(', '[', '{':
		return true
	}
	return false
}

// isWordRune reports whether r belongs to a word or number that is kept whole: Latin (and other
// alphabetic, non-CJK) letters, digits, and the marks numbers and codes are written with.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9':
			return true
		}
		return strings.ContainsRune(".,%-+/_':&@", r)
	}
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !isWide(r)
}

// isWide reports whether r is set as a full-width character, between any two of which a line may
// break: Han, kana, Hangul, Bopomofo, CJK symbols and full-width forms.
func isWide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Bopomofo) ||
		(0x3000 <= r && r <= 0x303F) || (0xFF00 <= r && r <= 0xFFEF) || (0x3190 <= r && r <= 0x31FF)
}

// isMark reports whether r combines with the character before it and so never starts a line.
func isMark(r rune) bool {
	return unicode.In(r, unicode.Mn, unicode.Me) || r == 0x200D || (0xFE00 <= r && r <= 0xFE0F)
}
