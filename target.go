package lingpao

import (
	"fmt"
	"time"
)

// Comparison is how a target's value is to be met, as the documents word it.
type Comparison string

// The comparisons of the documents.
const (
	// CompReach is 达到: reach the value (at least).
	CompReach Comparison = "reach"
	// CompAtLeast is 以上 / 不少于: at least the value.
	CompAtLeast Comparison = "at_least"
	// CompMoreThan is 超过 / 突破: strictly more than the value.
	CompMoreThan Comparison = "more_than"
	// CompAbout is 左右: about the value.
	CompAbout Comparison = "about"
	// CompRange is 至 / —: between Min and Max; reaching Min meets it.
	CompRange Comparison = "range"
)

// Label returns the Chinese wording of the comparison.
func (c Comparison) Label() string {
	switch c {
	case CompReach:
		return "达到"
	case CompAtLeast:
		return "以上"
	case CompMoreThan:
		return "超过"
	case CompAbout:
		return "左右"
	case CompRange:
		return "区间"
	}
	return string(c)
}

// TargetForm is the shape of a target in the documents (PRODUCT §5.1).
type TargetForm string

// The target forms.
const (
	// FormMilestone is a level to reach by a date (到2025年达到750家); stocks.
	FormMilestone TargetForm = "milestone"
	// FormAnnual is a flow to achieve every year (每年新增发明专利100件).
	FormAnnual TargetForm = "annual"
	// FormCumulative is a flow accumulated over a plan (到2027年底新培育“领跑者”20家以上).
	FormCumulative TargetForm = "cumulative"
	// FormRate is a rate to hold (研发投入占比达到3.5%): the target applies at every date.
	FormRate TargetForm = "rate"
	// FormGrowth is a growth rate to hold (年均增长8%左右): the target applies every year.
	FormGrowth TargetForm = "growth"
)

// Target is a value an org unit must reach for an indicator (目标任务).
type Target struct {
	ID        string     `yaml:"id" json:"id"`
	Org       string     `yaml:"org" json:"org"`
	Indicator string     `yaml:"indicator" json:"indicator"`
	Form      TargetForm `yaml:"form" json:"form"`
	Comp      Comparison `yaml:"comparison" json:"comparison"`
	// Value is the figure of a single-valued target; nil for a range.
	Value *float64 `yaml:"value,omitempty" json:"value"`
	// Min and Max are the ends of a range (8至10家). Min is also set for at-least and more-than targets.
	Min *float64 `yaml:"min,omitempty" json:"min"`
	Max *float64 `yaml:"max,omitempty" json:"max"`
	// Start is when the target's clock starts: plan start for cumulative targets, the previous
	// milestone's due date for chained milestones. Due is when it must be met.
	Start time.Time `yaml:"-" json:"start"`
	Due   time.Time `yaml:"-" json:"due"`
	// FromYear and ToYear bound the years an annual or growth target applies to.
	FromYear int `yaml:"from_year,omitempty" json:"from_year,omitempty"`
	ToYear   int `yaml:"to_year,omitempty" json:"to_year,omitempty"`
	// Baseline is the indicator's value at Start (stocks); progress is measured from it.
	Baseline *float64 `yaml:"baseline,omitempty" json:"baseline"`
	// Citation names document, number and clause: 石政办函〔2022〕44号 一、主要目标.
	Citation string `yaml:"citation" json:"citation"`
	// Text is the target as the document words it, shortened (never a copied sentence).
	Text string `yaml:"text,omitempty" json:"text,omitempty"`
	Note string `yaml:"note,omitempty" json:"note,omitempty"`
	// Example marks allocations that exist only for the demo.
	Example bool `yaml:"example,omitempty" json:"example,omitempty"`
	// Version is the targets version the target belongs to (0 for the seed catalog).
	Version int `yaml:"-" json:"version,omitempty"`
}

// Bar returns the value that meets the target: Value, or Min for a range.
func (t Target) Bar() float64 {
	if t.Value != nil {
		return *t.Value
	}
	if t.Min != nil {
		return *t.Min
	}
	return 0
}

// Met reports whether actual meets the target under its comparison.
func (t Target) Met(actual float64) bool {
	switch t.Comp {
	case CompMoreThan:
		return actual > t.Bar()
	case CompAbout:
		// 左右 allows a small shortfall; 5% of the figure is the convention used here.
		return actual >= t.Bar()*0.95
	}
	return actual >= t.Bar()
}

// AppliesTo reports whether the target is in force for year y.
func (t Target) AppliesTo(y int) bool {
	switch t.Form {
	case FormAnnual, FormGrowth:
		return y >= t.FromYear && y <= t.ToYear
	}
	return !t.Due.IsZero() && y <= t.Due.Year() && (t.Start.IsZero() || y >= t.Start.Year())
}

// ValueText renders the target figure as the documents would: "750家", "8至10家", "3.5%", "20家以上".
func (t Target) ValueText(ind Indicator) string {
	n := func(v float64) string { return FormatNumber(v, decimalsFor(v, ind.Decimals)) }
	switch {
	case t.Comp == CompRange && t.Min != nil && t.Max != nil:
		return fmt.Sprintf("%s至%s%s", n(*t.Min), n(*t.Max), ind.Unit)
	case t.Comp == CompAtLeast:
		return fmt.Sprintf("%s%s以上", n(t.Bar()), ind.Unit)
	case t.Comp == CompMoreThan:
		return fmt.Sprintf("超过%s%s", n(t.Bar()), ind.Unit)
	case t.Comp == CompAbout:
		return fmt.Sprintf("%s%s左右", n(t.Bar()), ind.Unit)
	}
	return n(t.Bar()) + ind.Unit
}

// decimalsFor shows as few decimals as the figure needs, at most max(d, 2).
func decimalsFor(v float64, d int) int {
	for k := 0; k < 4; k++ {
		if r := fmt.Sprintf("%.*f", k, v); mustParse(r) == v {
			return k
		}
	}
	if d < 2 {
		return 2
	}
	return d
}

func mustParse(s string) float64 {
	var f float64
	fmt.Sscan(s, &f)
	return f
}

// Holiday is a day of the working calendar that differs from the weekday rule: a statutory holiday
// (Off) or a make-up working day on a weekend (调休, !Off).
type Holiday struct {
	Date time.Time `yaml:"-" json:"date"`
	Name string    `yaml:"name" json:"name"`
	Off  bool      `yaml:"off" json:"off"`
}

// Calendar is the Chinese working calendar: weekdays work, weekends rest, unless the holiday table says
// otherwise.
type Calendar struct {
	days map[string]Holiday
	// From and To bound the years the table covers; outside them only the weekday rule applies.
	From, To int
}

// NewCalendar builds a calendar from a holiday table.
func NewCalendar(hs []Holiday) *Calendar {
	c := &Calendar{days: map[string]Holiday{}}
	for _, h := range hs {
		c.days[FormatDate(h.Date)] = h
		y := h.Date.In(Beijing).Year()
		if c.From == 0 || y < c.From {
			c.From = y
		}
		if y > c.To {
			c.To = y
		}
	}
	return c
}

// IsWorkday reports whether the date of t (Beijing time) is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	if h, ok := c.days[FormatDate(t)]; ok {
		return !h.Off
	}
	wd := t.In(Beijing).Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Holiday returns the table entry for the date of t, if any.
func (c *Calendar) Holiday(t time.Time) (Holiday, bool) {
	h, ok := c.days[FormatDate(t)]
	return h, ok
}

// NextWorkday returns t's date if it is a working day, else the next working day (00:00 Beijing).
func (c *Calendar) NextWorkday(t time.Time) time.Time {
	t = t.In(Beijing)
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Beijing)
	for !c.IsWorkday(d) {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// AddWorkdays moves n working days from t's date (backwards for negative n).
func (c *Calendar) AddWorkdays(t time.Time, n int) time.Time {
	t = t.In(Beijing)
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, Beijing)
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDate(0, 0, step)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// Deadline returns the due date of month m's return under 「次月day日前，遇法定节假日顺延」: day `day`
// of the following month, moved to the next working day when it is not one. The return is due by the
// end of that day.
func (c *Calendar) Deadline(m Period, day int) time.Time {
	next := m.LastMonth().End()
	d := time.Date(next.Year(), next.Month(), day, 0, 0, 0, 0, Beijing)
	return c.NextWorkday(d)
}
