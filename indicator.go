package lingpao

import (
	"fmt"
	"math"
)

// Kind is how an indicator's values behave over time and across units. It decides aggregation
// (PRODUCT §4); most spreadsheet automation gets it wrong.
type Kind string

// The indicator kinds.
const (
	// KindStock is a value at period end (专精特新企业数): sums across units at the same date, never
	// across months.
	KindStock Kind = "stock"
	// KindYTD is a year-to-date flow (本年累计): counties report the YTD figure; a month's own value is
	// YTD(m) − YTD(m−1); YTD must not fall within a year.
	KindYTD Kind = "ytd"
	// KindRatio is Σnumerator / Σdenominator of two other indicators — never an average of ratios.
	KindRatio Kind = "ratio"
	// KindGrowth is the year-on-year growth of a YTD indicator: ΣYTD / ΣYTD(last year) − 1.
	KindGrowth Kind = "growth"
	// KindCoverage is a ratio whose target is full coverage (100%).
	KindCoverage Kind = "coverage"
)

// KindLabel returns the Chinese name of a kind.
func (k Kind) Label() string {
	switch k {
	case KindStock:
		return "存量"
	case KindYTD:
		return "本年累计"
	case KindRatio:
		return "比率"
	case KindGrowth:
		return "增速"
	case KindCoverage:
		return "覆盖率"
	}
	return string(k)
}

// Source says where an indicator's values come from.
type Source string

// The indicator sources.
const (
	// SourceReturn values are cells of the 集群指标 sheet of the county return, one per cluster.
	SourceReturn Source = "return"
	// SourceRoster values are sums over the 企业名录 sheet (enterprise-derived), per cluster.
	SourceRoster Source = "roster"
	// SourceDerived values are computed from other indicators (ratio, growth, coverage).
	SourceDerived Source = "derived"
	// SourceCity values are kept by city staff, not reported by counties.
	SourceCity Source = "city"
)

// RosterRule derives a cluster value from the enterprise roster: the sum of Field over the enterprises
// carrying Tag (every enterprise when Tag is empty), or their count when Field is empty.
type RosterRule struct {
	Tag   string `yaml:"tag,omitempty" json:"tag,omitempty"`
	Field string `yaml:"field,omitempty" json:"field,omitempty"`
}

// Indicator is a measured quantity of the catalog (指标).
type Indicator struct {
	Code   string `yaml:"code" json:"code"`
	Name   string `yaml:"name" json:"name"`
	Unit   string `yaml:"unit" json:"unit"`
	Kind   Kind   `yaml:"kind" json:"kind"`
	Source Source `yaml:"source" json:"source"`
	// Group is the indicator group; the monthly workbook has one sheet per group.
	Group string `yaml:"group" json:"group"`
	// Numerator and Denominator name the component indicators of a ratio or coverage.
	Numerator   string `yaml:"numerator,omitempty" json:"numerator,omitempty"`
	Denominator string `yaml:"denominator,omitempty" json:"denominator,omitempty"`
	// Base names the YTD indicator a growth is computed from; Prior names the indicator holding the
	// same YTD figure of last year as reported in the return (optional: stored history is used when the
	// cell is empty).
	Base   string     `yaml:"base,omitempty" json:"base,omitempty"`
	Prior  string     `yaml:"prior,omitempty" json:"prior,omitempty"`
	Roster RosterRule `yaml:"roster,omitempty" json:"roster,omitempty"`
	// Min and Max bound a reported value; outside them the cell is an error.
	Min *float64 `yaml:"min,omitempty" json:"min,omitempty"`
	Max *float64 `yaml:"max,omitempty" json:"max,omitempty"`
	// Integer requires a whole number (counts of enterprises, patents…).
	Integer  bool `yaml:"integer,omitempty" json:"integer,omitempty"`
	Decimals int  `yaml:"decimals" json:"decimals"`
	// LowerIsBetter inverts the direction (higher is better unless stated).
	LowerIsBetter bool `yaml:"lower_is_better,omitempty" json:"lower_is_better,omitempty"`
	// Required makes an empty return cell an error rather than "not reported".
	Required bool `yaml:"required,omitempty" json:"required,omitempty"`
	// Headline indicators lead the overview sheet and the bulletin's narrative.
	Headline bool   `yaml:"headline,omitempty" json:"headline,omitempty"`
	Hint     string `yaml:"hint,omitempty" json:"hint,omitempty"`
	Citation string `yaml:"citation,omitempty" json:"citation,omitempty"`
}

// Percent reports whether values are shown as percentages.
func (ind Indicator) Percent() bool { return ind.Unit == "%" }

// IsRatio reports whether the indicator rolls up as Σnumerator/Σdenominator.
func (ind Indicator) IsRatio() bool { return ind.Kind == KindRatio || ind.Kind == KindCoverage }

// Reported reports whether counties fill the indicator in the return's 集群指标 sheet.
func (ind Indicator) Reported() bool { return ind.Source == SourceReturn }

// Format formats v with the indicator's decimals and unit: "612家", "3.25%", "1,234.50亿元".
func (ind Indicator) Format(v float64) string {
	return FormatNumber(v, ind.Decimals) + ind.Unit
}

// FormatNumber formats v with d decimals and thousands separators, rounded half away from zero
// (Round): 15.05 prints 15.1.
func FormatNumber(v float64, d int) string {
	s := fmt.Sprintf("%.*f", d, Round(v, d))
	neg := false
	if s[0] == '-' {
		neg, s = true, s[1:]
	}
	intPart, frac := s, ""
	for i := range s {
		if s[i] == '.' {
			intPart, frac = s[:i], s[i:]
			break
		}
	}
	var b []byte
	for i := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, intPart[i])
	}
	out := string(b) + frac
	if neg && out != "0" && trimZeros(out) != "0" {
		out = "-" + out
	}
	return out
}

func trimZeros(s string) string {
	for len(s) > 0 && (s[len(s)-1] == '0' || s[len(s)-1] == '.') {
		s = s[:len(s)-1]
	}
	if s == "" {
		return "0"
	}
	return s
}

// Round rounds v to d decimals half away from zero, on the decimal value a person reads rather than
// on its binary approximation: 15.05 (binary 15.04999…) is 15.1, −15.05 is −15.1, 2.675 is 2.68. Every
// figure is printed so (FormatNumber), and status, ranks and scores are decided on the figures so
// printed.
func Round(v float64, d int) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	p := math.Pow(10, float64(d))
	x := v * p
	if math.Abs(x) < 1e9 {
		// Clear the binary noise far below the digit that decides: 150.49999999999997 is 150.5.
		x = math.Round(x*1e6) / 1e6
	}
	return math.Round(x) / p
}
