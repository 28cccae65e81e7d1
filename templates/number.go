package templates

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// CellState is what a cell's text turned out to be.
type CellState int

// The cell states.
const (
	// CellNumber: a number was read.
	CellNumber CellState = iota
	// CellMissing: blank or a dash — not reported, which is never zero.
	CellMissing
	// CellInvalid: not a number, or ambiguous; the problem says why.
	CellInvalid
)

var (
	plainNumber   = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)
	groupedNumber = regexp.MustCompile(`^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$`)
	unitSuffix    = regexp.MustCompile(`(亿元|万元|亿|万|元|家|个|项|件|名|场|户)$`)
)

// missingMarks are the texts counties use for "not reported".
var missingMarks = map[string]bool{"": true, "-": true, "--": true, "—": true, "——": true, "–": true, "/": true, "\\": true}

// ParseNumber reads a cell's text leniently but exactly (PRODUCT §6.2): surrounding and full-width
// spaces, full-width digits and punctuation, thousands separators in proper groups of three, a
// trailing % (kept as the percentage figure in a % column; a fraction elsewhere would be a guess, so it
// is refused), and dashes or blank for "not reported". Anything else — units typed into the cell, a
// comma in the wrong place, words — is CellInvalid with a Chinese explanation, never a guess.
func ParseNumber(s string, percentColumn bool) (float64, CellState, string) {
	t := normalize(s)
	if missingMarks[t] {
		return 0, CellMissing, ""
	}
	if unitSuffix.MatchString(t) && plainNumber.MatchString(unitSuffix.ReplaceAllString(t, "")) {
		return 0, CellInvalid, "只填数字，不要带单位（单位见表头）"
	}
	pct := strings.HasSuffix(t, "%")
	if pct {
		t = strings.TrimSpace(strings.TrimSuffix(t, "%"))
		if !percentColumn {
			return 0, CellInvalid, "该列不是百分比指标，不应填写“%”；请按表头单位填写数值"
		}
	}
	switch {
	case plainNumber.MatchString(t):
	case groupedNumber.MatchString(t):
		t = strings.ReplaceAll(t, ",", "")
	case strings.Contains(t, ","):
		return 0, CellInvalid, "千分位逗号位置不对，无法确定数值；请去掉逗号重新填写"
	default:
		return 0, CellInvalid, "不是数字；请填写数字，未统计的留空或填“—”"
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return 0, CellInvalid, "不是有效的数字"
	}
	return v, CellNumber, ""
}

// normalize folds full-width forms to ASCII and trims every kind of space.
func normalize(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r == '．':
			r = '.'
		case r == '，':
			r = ','
		case r == '％':
			r = '%'
		case r == '－' || r == '−':
			r = '-'
		case r == '＋':
			r = '+'
		case r == '／':
			r = '/'
		}
		b.WriteRune(r)
	}
	return strings.TrimFunc(b.String(), func(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' || r == '\u200b' || r == '\ufeff' })
}
