package lingpao

import (
	"fmt"
	"strconv"
	"strings"
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
	// Basis is the id of the city target an imported county allocation was made from (see Allocate);
	// empty for the documents' targets and the seed example allocation.
	Basis string `yaml:"-" json:"basis,omitempty"`
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

// AboutTolerance is the shortfall a 左右 (about) target allows: 5% of the figure. 8%左右 is met by 7.6%.
const AboutTolerance = 0.05

// Met reports whether actual meets the target under its comparison, comparing what a person would
// (six decimals, so 0.1+0.2 meets 0.3):
//   - 达到 (reach) and 以上 (at least): actual ≥ the figure;
//   - 超过/突破 (more than): actual > the figure — exactly the figure does not meet it;
//   - 左右 (about): actual ≥ the figure less AboutTolerance of it;
//   - a range a至b: actual ≥ a. The upper end is the ambition, not a cap: 11 meets 8至10.
//
// Lower-is-better indicators meet a target by staying at or below it.
func (t Target) Met(actual float64) bool {
	a, bar := roundTo(actual, 6), roundTo(t.Bar(), 6)
	switch t.Comp {
	case CompMoreThan:
		return a > bar
	case CompAbout:
		return a >= roundTo(t.Bar()*(1-AboutTolerance), 6)
	}
	return a >= bar
}

// MetLowerIsBetter is Met for an indicator where lower is better: at or below the figure (below it
// for 超过 wording, within the tolerance above it for 左右).
func (t Target) MetLowerIsBetter(actual float64) bool {
	a, bar := roundTo(actual, 6), roundTo(t.Bar(), 6)
	switch t.Comp {
	case CompMoreThan:
		return a < bar
	case CompAbout:
		return a <= roundTo(t.Bar()*(1+AboutTolerance), 6)
	}
	return a <= bar
}

// JudgeText says in Chinese how the target is judged, for notes beside a figure: a range is met at
// its lower end (8至10家: 达到8家即完成，10家为力争目标), 超过 needs more than the figure, 左右 allows
// AboutTolerance.
func (t Target) JudgeText(ind Indicator) string {
	n := func(v float64) string { return FormatNumber(v, decimalsFor(v, ind.Decimals)) + ind.Unit }
	switch {
	case t.Comp == CompRange && t.Min != nil && t.Max != nil:
		return fmt.Sprintf("达到%s即完成，%s为力争目标", n(*t.Min), n(*t.Max))
	case t.Comp == CompMoreThan:
		return fmt.Sprintf("须超过%s", n(t.Bar()))
	case t.Comp == CompAbout:
		return fmt.Sprintf("达到%s（%s的%.0f%%）即完成", n(t.Bar()*(1-AboutTolerance)), n(t.Bar()), (1-AboutTolerance)*100)
	case t.Comp == CompAtLeast:
		return fmt.Sprintf("不少于%s", n(t.Bar()))
	}
	return fmt.Sprintf("达到%s", n(t.Bar()))
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

// AllocationKey names one allocatable figure of a city target (任务分解): the target and the year it
// is for — the due year of a milestone or plan-cumulative target, each year of an annual one.
type AllocationKey struct {
	Basis string `json:"basis"`
	Year  int    `json:"year"`
}

// String returns "basis|year", the form kept in the allocation workbook's hidden key column.
func (k AllocationKey) String() string { return fmt.Sprintf("%s|%d", k.Basis, k.Year) }

// ParseAllocationKey parses the form String returns.
func ParseAllocationKey(s string) (AllocationKey, bool) {
	i := strings.LastIndexByte(s, '|')
	if i <= 0 {
		return AllocationKey{}, false
	}
	y, err := strconv.Atoi(s[i+1:])
	if err != nil || y < 2000 || y > 2100 {
		return AllocationKey{}, false
	}
	return AllocationKey{Basis: s[:i], Year: y}, true
}

// Allocatable reports whether t can be allocated to the units under its org: counts and flows are
// (milestones of stocks, annual and plan-cumulative flows); rates, coverage and growth are not — a rate
// applies to every part as to the whole, so counties are held to the city's (see TargetFor). Indicators
// kept by the city itself (SourceCity) have no county figures to measure an allocation against.
func Allocatable(t Target, ind Indicator) bool {
	if ind.Source == SourceCity || ind.Source == SourceDerived {
		return false
	}
	switch t.Form {
	case FormMilestone:
		return ind.Kind == KindStock
	case FormAnnual, FormCumulative:
		return ind.Kind == KindYTD || ind.Kind == KindStock
	}
	return false
}

// AllocationYears returns the years of t that are allocated, from year `from` on: each year of an
// annual target, the due year of any other.
func AllocationYears(t Target, from int) []int {
	if t.Form == FormAnnual {
		var ys []int
		for y := max(t.FromYear, from); y <= t.ToYear; y++ {
			ys = append(ys, y)
		}
		return ys
	}
	if y := t.Due.In(Beijing).Year(); y >= from {
		return []int{y}
	}
	return nil
}

// AllocationID is the id of org's share of basis for year: basis@org, or basis/year@org for an annual
// target. The seed example allocation uses the same ids, so an imported share replaces the example.
func AllocationID(basis Target, year int, org string) string {
	if basis.Form == FormAnnual || basis.Form == FormGrowth {
		return fmt.Sprintf("%s/%d@%s", basis.ID, year, org)
	}
	return basis.ID + "@" + org
}

// Allocate returns the target of unit org for its share v of basis in year: it inherits the basis's
// form, due date, start and wording; a range becomes 达到 the share; an annual basis becomes a target
// for that year only; a milestone has no start or baseline of its own, so that ResolveChains chains it
// from the unit's earlier milestone (a county's 2025 share starts from its 2023 share). source says
// who allocated it, for the citation.
func Allocate(basis Target, ind Indicator, year int, org OrgUnit, v float64, source string) Target {
	t := basis
	t.ID = AllocationID(basis, year, org.Code)
	t.Org = org.Code
	t.Basis = basis.ID
	t.Value, t.Min, t.Max, t.Baseline = &v, nil, nil, nil
	t.Version, t.Example = 0, false
	switch t.Comp {
	case CompRange:
		t.Comp = CompReach
	case CompAtLeast, CompMoreThan:
		t.Min = &v
	}
	switch basis.Form {
	case FormAnnual:
		t.FromYear, t.ToYear = year, year
		t.Due = time.Date(year, 12, 31, 0, 0, 0, 0, Beijing)
	case FormMilestone:
		t.Start = time.Time{}
	}
	t.Citation = source + "：依据 " + basis.Citation
	period := fmt.Sprintf("%d年底", t.Due.In(Beijing).Year())
	if basis.Form == FormAnnual {
		period = fmt.Sprintf("%d年", year)
	} else if basis.Form == FormCumulative {
		period = fmt.Sprintf("%d—%d年累计", t.Start.In(Beijing).Year(), t.Due.In(Beijing).Year())
	}
	t.Text = fmt.Sprintf("%s %s%s %s", org.Name, period, ind.Name, t.ValueText(ind))
	t.Note = ""
	return t
}

// CheckAllocation reports whether county shares summing to sum satisfy basis, and by how much the sum
// differs from what is required (0 when it satisfies it; negative when short):
//   - 达到 and 左右: the sum equals the figure — allocations must add up exactly;
//   - 以上 and 超过: the sum is at least the figure (allocating more than a floor keeps it);
//   - a range a至b: the sum lies within a and b (diff is measured from the nearer end).
//
// Comparisons are made at six decimals.
func CheckAllocation(basis Target, sum float64) (ok bool, diff float64) {
	s := roundTo(sum, 6)
	switch basis.Comp {
	case CompRange:
		lo, hi := roundTo(basis.Bar(), 6), s
		if basis.Max != nil {
			hi = roundTo(*basis.Max, 6)
		}
		switch {
		case s < lo:
			return false, roundTo(s-lo, 6)
		case s > hi:
			return false, roundTo(s-hi, 6)
		}
		return true, 0
	case CompAtLeast, CompMoreThan:
		d := roundTo(s-roundTo(basis.Bar(), 6), 6)
		return d >= 0, min(d, 0)
	}
	d := roundTo(s-roundTo(basis.Bar(), 6), 6)
	return d == 0, d
}

// IsAllocationOf reports whether target id is a unit's share of key (basis@org or basis/year@org).
func IsAllocationOf(id string, key AllocationKey) bool {
	return strings.HasPrefix(id, key.Basis+"@") || strings.HasPrefix(id, fmt.Sprintf("%s/%d@", key.Basis, key.Year))
}

// ReplaceAllocations returns ts with the shares of every key in covered replaced by shares: the
// previous shares of those keys (imported or example) are dropped, shares whose basis is not in ts are
// dropped too, and the rest of ts is kept in order. Milestone shares chain from their unit's earlier
// milestone (ResolveChains); one with nothing to chain from starts when its basis starts.
// It is how an imported allocation workbook becomes a new targets version, and how a later change of
// the seed targets keeps the last imported allocation.
func ReplaceAllocations(ts []Target, covered []AllocationKey, shares []Target) []Target {
	bases := map[string]bool{}
	for _, t := range ts {
		bases[t.ID] = true
	}
	var out []Target
	for _, t := range ts {
		drop := false
		for _, k := range covered {
			if IsAllocationOf(t.ID, k) {
				drop = true
				break
			}
		}
		if !drop {
			t.Version = 0
			out = append(out, t)
		}
	}
	for _, s := range shares {
		if bases[s.Basis] {
			s.Version = 0
			out = append(out, s)
		}
	}
	out = ResolveChains(out)
	// A milestone share with no earlier share of its unit to chain from starts when its basis does
	// (when the basis has a start): its baseline then comes from the unit's data (Assess), instead of
	// the share being a level to hold from the outset.
	start := map[string]time.Time{}
	for _, t := range out {
		start[t.ID] = t.Start
	}
	for i, t := range out {
		if t.Basis != "" && t.Form == FormMilestone && t.Start.IsZero() && t.Baseline == nil {
			out[i].Start = start[t.Basis]
		}
	}
	return out
}
