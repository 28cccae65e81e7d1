package lingpao

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Beijing is China Standard Time (UTC+8, no daylight saving). Every date of the reporting cycle —
// period ends, deadlines, schedule times — is a date in this zone.
var Beijing = time.FixedZone("CST", 8*3600)

// PeriodKind is the length of a reporting period.
type PeriodKind int

// The period kinds of the dispatch rhythm: 月调度、季通报、半年总结、年终考核.
const (
	Month PeriodKind = iota + 1
	Quarter
	Half
	Year
)

// Period is a reporting period: a month, quarter, half-year or year. N is the month (1–12), quarter
// (1–4) or half (1–2); it is 0 for a year.
type Period struct {
	Year int
	Kind PeriodKind
	N    int
}

// MonthOf returns the month period of year y, month m.
func MonthOf(y, m int) Period { return Period{Year: y, Kind: Month, N: m} }

// ParsePeriod parses "2025-09", "2025Q3", "2025H1" or "2025".
func ParsePeriod(s string) (Period, error) {
	s = strings.TrimSpace(s)
	bad := Errorf(EINVALID, "期间「%s」格式不对：请写成 2025-09（月）、2025Q3（季度）、2025H1（半年）或 2025（年）。", s)
	if len(s) < 4 {
		return Period{}, bad
	}
	y, err := strconv.Atoi(s[:4])
	if err != nil || y < 2000 || y > 2100 {
		return Period{}, bad
	}
	rest := strings.ToUpper(s[4:])
	var p Period
	switch {
	case rest == "":
		p = Period{Year: y, Kind: Year}
	case strings.HasPrefix(rest, "-"):
		p.Kind, p.N = Month, atoi(rest[1:])
	case strings.HasPrefix(rest, "Q"):
		p.Kind, p.N = Quarter, atoi(rest[1:])
	case strings.HasPrefix(rest, "H"):
		p.Kind, p.N = Half, atoi(rest[1:])
	default:
		return Period{}, bad
	}
	p.Year = y
	if !p.valid() {
		return Period{}, bad
	}
	return p, nil
}

func atoi(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return -1
	}
	return n
}

func (p Period) valid() bool {
	switch p.Kind {
	case Month:
		return p.N >= 1 && p.N <= 12
	case Quarter:
		return p.N >= 1 && p.N <= 4
	case Half:
		return p.N == 1 || p.N == 2
	case Year:
		return p.N == 0
	}
	return false
}

// IsZero reports whether p is the zero Period.
func (p Period) IsZero() bool { return p == Period{} }

// String returns the canonical form accepted by ParsePeriod.
func (p Period) String() string {
	switch p.Kind {
	case Month:
		return fmt.Sprintf("%04d-%02d", p.Year, p.N)
	case Quarter:
		return fmt.Sprintf("%04dQ%d", p.Year, p.N)
	case Half:
		return fmt.Sprintf("%04dH%d", p.Year, p.N)
	case Year:
		return fmt.Sprintf("%04d", p.Year)
	}
	return ""
}

var quarterNames = [...]string{"", "一", "二", "三", "四"}

// Label returns the Chinese name of the period: 2025年9月, 2025年第三季度, 2025年上半年, 2025年.
func (p Period) Label() string {
	switch p.Kind {
	case Month:
		return fmt.Sprintf("%d年%d月", p.Year, p.N)
	case Quarter:
		return fmt.Sprintf("%d年第%s季度", p.Year, quarterNames[p.N])
	case Half:
		if p.N == 1 {
			return fmt.Sprintf("%d年上半年", p.Year)
		}
		return fmt.Sprintf("%d年下半年", p.Year)
	case Year:
		return fmt.Sprintf("%d年", p.Year)
	}
	return ""
}

// FirstMonth returns the first month of the period.
func (p Period) FirstMonth() Period {
	switch p.Kind {
	case Month:
		return p
	case Quarter:
		return MonthOf(p.Year, 3*p.N-2)
	case Half:
		return MonthOf(p.Year, 6*p.N-5)
	}
	return MonthOf(p.Year, 1)
}

// LastMonth returns the last month of the period: the month whose returns describe the period's end.
func (p Period) LastMonth() Period {
	switch p.Kind {
	case Month:
		return p
	case Quarter:
		return MonthOf(p.Year, 3*p.N)
	case Half:
		return MonthOf(p.Year, 6*p.N)
	}
	return MonthOf(p.Year, 12)
}

// Months returns the months of the period in order.
func (p Period) Months() []Period {
	first, last := p.FirstMonth(), p.LastMonth()
	var ms []Period
	for m := first.N; m <= last.N; m++ {
		ms = append(ms, MonthOf(p.Year, m))
	}
	return ms
}

// Start returns the first instant of the period in Beijing time.
func (p Period) Start() time.Time {
	f := p.FirstMonth()
	return time.Date(f.Year, time.Month(f.N), 1, 0, 0, 0, 0, Beijing)
}

// End returns the first instant after the period (exclusive end) in Beijing time.
func (p Period) End() time.Time {
	l := p.LastMonth()
	return time.Date(l.Year, time.Month(l.N)+1, 1, 0, 0, 0, 0, Beijing)
}

// LastDay returns the last calendar day of the period (at 00:00 Beijing time).
func (p Period) LastDay() time.Time { return p.End().AddDate(0, 0, -1) }

// Prev returns the period of the same kind just before p.
func (p Period) Prev() Period {
	return p.Add(-1)
}

// Add returns the period n periods of the same kind after p (before it for negative n).
func (p Period) Add(n int) Period {
	per := map[PeriodKind]int{Month: 12, Quarter: 4, Half: 2}[p.Kind]
	if p.Kind == Year {
		return Period{Year: p.Year + n, Kind: Year}
	}
	idx := p.Year*per + (p.N - 1) + n
	return Period{Year: idx / per, Kind: p.Kind, N: idx%per + 1}
}

// Contains reports whether month m lies in p.
func (p Period) Contains(m Period) bool {
	return m.Kind == Month && m.Year == p.Year && m.N >= p.FirstMonth().N && m.N <= p.LastMonth().N
}

// Before reports whether p ends before q starts.
func (p Period) Before(q Period) bool { return !p.End().After(q.Start()) }

// MonthOfTime returns the month period containing t (in Beijing time).
func MonthOfTime(t time.Time) Period {
	t = t.In(Beijing)
	return MonthOf(t.Year(), int(t.Month()))
}

// ParseDate parses a civil date "2006-01-02" as midnight Beijing time.
func ParseDate(s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), Beijing)
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "日期「%s」格式不对：请写成 2025-12-31。", s)
	}
	return t, nil
}

// FormatDate formats t as a civil date "2006-01-02" in Beijing time.
func FormatDate(t time.Time) string { return t.In(Beijing).Format("2006-01-02") }

// FormatDateCN formats t as 2025年9月30日 in Beijing time.
func FormatDateCN(t time.Time) string {
	t = t.In(Beijing)
	return fmt.Sprintf("%d年%d月%d日", t.Year(), int(t.Month()), t.Day())
}
