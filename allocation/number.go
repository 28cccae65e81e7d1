package allocation

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// cellState is what a share cell turned out to be.
type cellState int

const (
	cellNumber cellState = iota
	cellBlank
	cellInvalid
)

var (
	plainNumber   = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)$`)
	groupedNumber = regexp.MustCompile(`^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$`)
)

// parseShare reads a share as staff type it: surrounding and full-width spaces, full-width digits,
// thousands separators in groups of three. Blank or a dash is blank. Anything else — units, words,
// percentages — is invalid, with what to do; a share is never guessed.
func parseShare(s string) (float64, cellState, string) {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r == '．':
			r = '.'
		case r == '，':
			r = ','
		case r == '－' || r == '−':
			r = '-'
		}
		b.WriteRune(r)
	}
	t := strings.TrimFunc(b.String(), func(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' || r == '\ufeff' })
	switch t {
	case "", "-", "—", "——", "–", "/":
		return 0, cellBlank, ""
	}
	switch {
	case plainNumber.MatchString(t):
	case groupedNumber.MatchString(t):
		t = strings.ReplaceAll(t, ",", "")
	default:
		return 0, cellInvalid, "不是数字：只填数字，不带单位或文字（单位见“单位”列）"
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return 0, cellInvalid, "不是有效的数字"
	}
	return v, cellNumber, ""
}
