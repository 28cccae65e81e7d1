package templates

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// CellState is what a cell's text turned out to be.
type CellState int

// The cell states.
const (
	// CellNumber: a number was read.
	CellNumber CellState = iota
	// CellMissing: blank or a dash — not reported, which is never zero.
	CellMissing
	// CellInvalid: not a number, or ambiguous; Number.Reason says why and what to do.
	CellInvalid
	// CellNoted: a number was read from a cell that held more than a number — the column's own unit
	// typed after it ("12亿" in a 亿元 column). Number.Reason says what was read; the reader reports
	// it as a warning, so it is never silent.
	CellNoted
)

// Number is a parsed cell.
type Number struct {
	Value float64
	State CellState
	// Problem classifies an invalid or noted cell for the finding's rule (cell.<problem>): number,
	// approximate, range, unit, percent, chinese, negative_parens, words.
	Problem string
	// Reason says in Chinese what is wrong and what to do, or what was read.
	Reason string
}

var (
	plainNumber   = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$`)
	groupedNumber = regexp.MustCompile(`^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$`)
	numberUnit    = regexp.MustCompile(`^([+-]?[\d.,]+)\s*(亿元|万元|千元|百万元|亿|万|千|百|元|家|户|个|项|件|名|人|场|次)$`)
	rangeForm     = regexp.MustCompile(`^[+-]?[\d.,]+\s*(-|~|～|—|–|至|到|或|/)\s*[\d.,]+\s*[^\d\s.,/~～—–-]*$`)
	parenNegative = regexp.MustCompile(`^\(\s*[\d.,]+\s*\)$`)
	digitRun      = regexp.MustCompile(`\d`)
)

// missingMarks are the texts counties use for "not reported".
var missingMarks = map[string]bool{"": true, "-": true, "--": true, "—": true, "——": true, "–": true, "/": true, "\\": true}

// approxWords mark an estimate, a bound or an approximation: a figure the system must not pick for
// the county.
var approxWords = []string{"约", "大约", "大概", "左右", "上下", "余", "多", "近", "将近", "接近", "超过", "不到", "不足", "以上", "以下", "以内", "至少", "最多", "≈", "≥", "≤", ">", "<", "＞", "＜"}

// sameUnit lists, per column unit, the suffixes that mean exactly that unit.
var sameUnit = map[string][]string{
	"亿元": {"亿元", "亿"},
	"万元": {"万元", "万"},
	"家":  {"家", "户"},
	"个":  {"个"},
	"项":  {"项"},
	"件":  {"件"},
	"名":  {"名", "人"},
	"场":  {"场", "次"},
}

// ParseNumber reads a cell's text leniently but exactly (PRODUCT §6.2) for a column of the given unit.
//
// Accepted as the number they show: surrounding and full-width spaces, full-width digits and
// punctuation, thousands separators in proper groups of three ("1,234"; "1，234"), a leading
// apostrophe, scientific notation, and a trailing % in a % column (12.5% is 12.5). Blank and dashes
// are CellMissing: not reported, never zero. The column's own unit typed after the number ("12亿" in
// a 亿元 column) is read and noted (CellNoted).
//
// Refused with a reason (CellInvalid), never guessed: % outside a % column (12.5% of 家 means
// nothing), another unit ("12万" in a 亿元 column: the system does not convert), estimates and
// bounds (约120, 120左右, 100以上), ranges (10-12), misplaced commas (1,23), accounting negatives
// ((120)), Chinese numerals (一百二十), and words.
//
// Values keep 15 significant digits, as Excel shows them, so 0.1+0.2 is 0.3.
func ParseNumber(s, unit string) Number {
	t := normalize(s)
	t = strings.TrimPrefix(t, "'")
	if missingMarks[t] {
		return Number{State: CellMissing}
	}
	if v, ok := plain(t); ok {
		return Number{Value: v, State: CellNumber}
	}
	if strings.HasSuffix(t, "%") {
		n := strings.TrimSpace(strings.TrimSuffix(t, "%"))
		if v, ok := plain(n); ok {
			if unit == "%" {
				return Number{Value: v, State: CellNumber}
			}
			return invalid("percent", "填的是百分数，而本列单位是“"+unit+"”：请按表头单位只填数字（不带 %）")
		}
	}
	if m := numberUnit.FindStringSubmatch(t); m != nil {
		if v, ok := plain(m[1]); ok {
			for _, u := range sameUnit[unit] {
				if m[2] == u {
					return Number{Value: v, State: CellNoted, Problem: "unit", Reason: "带了单位“" + m[2] + "”，已按 " + m[1] + " " + unit + " 读取；请以后只填数字，单位见表头"}
				}
			}
			return invalid("unit", "带了单位“"+m[2]+"”，与本列单位“"+unit+"”不同，系统不做换算：请换算成"+unit+"后只填数字")
		}
	}
	switch {
	case (containsAny(t, approxWords) || strings.HasSuffix(t, "+")) && digitRun.MatchString(t):
		return invalid("approximate", "是估计数或范围（如“约”“左右”“以上”），系统不能替您取值：请填写确切数字，确实无法统计的留空")
	case rangeForm.MatchString(t):
		return invalid("range", "填了一个范围，系统不能替您取值：请填写确切数字")
	case parenNegative.MatchString(t):
		return invalid("negative_parens", "括号写法（会计负数）系统不识别：负数请写成 -120；如不是负数请去掉括号")
	case strings.Contains(t, ",") && digitRun.MatchString(t):
		return invalid("number", "千分位逗号位置不对，无法确定数值：请去掉逗号重新填写")
	case strings.ContainsAny(t, "零〇一二三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟两") && !digitRun.MatchString(t):
		return invalid("chinese", "是中文数字：请用阿拉伯数字填写（如 120）")
	case t == "无" || t == "没有" || t == "暂无" || t == "空":
		return invalid("words", "“"+t+"”含义不明确：确实为零请填 0，未统计请留空或填“—”")
	}
	return invalid("number", "不是数字：请只填数字，未统计的留空或填“—”")
}

func invalid(problem, reason string) Number {
	return Number{State: CellInvalid, Problem: problem, Reason: reason}
}

// plain parses an unadorned or properly grouped number to 15 significant digits.
func plain(t string) (float64, bool) {
	switch {
	case isPlainNumber(t):
	case groupedNumber.MatchString(t):
		t = strings.ReplaceAll(t, ",", "")
	default:
		return 0, false
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil {
		return 0, false // out of range
	}
	if v != 0 && significantDigits(t) <= 15 {
		return v, true // already the nearest double to a number Excel keeps exactly
	}
	return excelPrecision(v), true
}

// significantDigits counts the digits of a plain number's mantissa from its first non-zero digit.
func significantDigits(t string) int {
	n, started := 0, false
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c == 'e' || c == 'E' {
			break
		}
		if c >= '1' && c <= '9' || c == '0' && started {
			started = true
			n++
		}
	}
	return n
}

// isPlainNumber is plainNumber.MatchString, by hand: it runs for every number of every return.
func isPlainNumber(t string) bool {
	i := 0
	if i < len(t) && (t[i] == '+' || t[i] == '-') {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(t) && t[i] >= '0' && t[i] <= '9' {
			i++
			n++
		}
		return n
	}
	whole := digits()
	if i < len(t) && t[i] == '.' {
		i++
		if frac := digits(); whole == 0 && frac == 0 {
			return false
		}
	} else if whole == 0 {
		return false
	}
	if i < len(t) && (t[i] == 'e' || t[i] == 'E') {
		i++
		if i < len(t) && (t[i] == '+' || t[i] == '-') {
			i++
		}
		if n := digits(); n < 1 || n > 3 {
			return false
		}
	}
	return i == len(t)
}

// excelPrecision rounds v to the 15 significant digits Excel keeps.
func excelPrecision(v float64) float64 {
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	if err != nil {
		return v
	}
	if r == 0 {
		return 0 // no negative zero
	}
	return r
}

// normalized reports whether normalize would return s as it is: no full-width form, zero-width
// character or soft hyphen in it, and no space of any kind at either end.
func normalized(s string) bool {
	for i, r := range s {
		switch {
		case r < 0x80:
			if (i == 0 || i == len(s)-1) && (r <= ' ' || r == 0x7f) {
				return false
			}
		case r >= 0xFF00 && r <= 0xFFEF, r == utf8.RuneError, r == '−', r == '\u200b', r == '\u200c', r == '\u200d', r == '\ufeff', r == '\u00ad':
			return false
		case i == 0 || i+utf8.RuneLen(r) == len(s):
			if unicode.IsSpace(r) || r == '\u3000' {
				return false
			}
		}
	}
	return true
}

func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// normalize folds full-width forms to ASCII, drops zero-width characters and trims every kind of
// space.
func normalize(s string) string {
	if normalized(s) {
		return s // the usual case: nothing to fold or trim, nothing to allocate
	}
	return fold(s)
}

// fold is normalize without its shortcut.
func fold(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r >= 'Ａ' && r <= 'Ｚ':
			r = 'A' + (r - 'Ａ')
		case r >= 'ａ' && r <= 'ｚ':
			r = 'a' + (r - 'ａ')
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
		case r == '（':
			r = '('
		case r == '）':
			r = ')'
		case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff' || r == '\u00ad':
			continue
		}
		b.WriteRune(r)
	}
	return strings.TrimFunc(b.String(), func(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' })
}
