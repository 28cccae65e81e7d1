package lingpao

import (
	"math"
	"sort"
	"time"
)

// Status is how an org unit stands against 序时进度 for one indicator (PRODUCT §7.1).
type Status string

// The states. Missing is its own state: a county that did not report is never counted as zero.
const (
	StatusAhead     Status = "ahead"      // 超序时
	StatusOnTrack   Status = "on_track"   // 基本同步
	StatusBehind    Status = "behind"     // 滞后
	StatusFarBehind Status = "far_behind" // 严重滞后
	StatusMissing   Status = "missing"    // 未报送
	StatusNoTarget  Status = "no_target"  // 无任务: no target, an allocation of zero, or nothing to add
	// StatusMerged is a January not reported on its own under 1–2月合并: the February return covers it.
	StatusMerged Status = "merged" // 1–2月合并
)

// Label returns the Chinese name of the status.
func (s Status) Label() string {
	switch s {
	case StatusAhead:
		return "超序时"
	case StatusOnTrack:
		return "基本同步"
	case StatusBehind:
		return "滞后"
	case StatusFarBehind:
		return "严重滞后"
	case StatusMissing:
		return "未报送"
	case StatusNoTarget:
		return "无任务"
	case StatusMerged:
		return "1–2月合并"
	}
	return string(s)
}

// Lagging reports whether the status counts toward the escalation ladder.
func (s Status) Lagging() bool { return s == StatusBehind || s == StatusFarBehind }

// Thresholds are the status bands in percentage points of gap: within ±OnTrack is 基本同步, below
// −FarBehind is 严重滞后.
type Thresholds struct {
	OnTrack   float64 `yaml:"on_track" json:"on_track"`
	FarBehind float64 `yaml:"far_behind" json:"far_behind"`
}

// DefaultThresholds are ±5 and −15 percentage points.
func DefaultThresholds() Thresholds { return Thresholds{OnTrack: 5, FarBehind: 15} }

// Classify returns the status of a gap in percentage points, as printed: rounded to one decimal half
// away from zero (Round), so that −15.04 (printed −15.0) is 滞后. The bands are closed toward 基本同步:
// exactly +5 and −5 are 基本同步, exactly −15 is 滞后.
func (th Thresholds) Classify(gapPP float64) Status {
	g := Round(gapPP, GapDecimals)
	switch {
	case g > th.OnTrack:
		return StatusAhead
	case g >= -th.OnTrack:
		return StatusOnTrack
	case g >= -th.FarBehind:
		return StatusBehind
	}
	return StatusFarBehind
}

// GapDecimals is how many decimals a gap is printed with — and decided on.
const GapDecimals = 1

func roundTo(v float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(v*p) / p
}

// ProgressOptions configure 序时进度 and status (the `progress` section of lingpao.yaml).
type ProgressOptions struct {
	// Thresholds are the status bands.
	Thresholds Thresholds `yaml:"thresholds" json:"thresholds"`
	// Seasonal holds, per indicator code, 12 monthly weights (any scale) for the 序时进度 of annual and
	// plan-cumulative flows; months count equally when absent. For 1–2月合并 leave January's weight as
	// it is: February's figure covers both months and is expected to hold both weights.
	Seasonal map[string][]float64 `yaml:"seasonal,omitempty" json:"seasonal,omitempty"`
	// CarryForward counts a county that has not reported in a city or province total with its latest
	// earlier figure, labelled as such (DataSet.ActualCarried). Off, aggregates sum only what was
	// reported for the month.
	CarryForward bool `yaml:"carry_forward" json:"carry_forward"`
	// MergeJanFeb is the workspace's 1–2月合并 (Config.MergeJanFeb, set by Config.ProgressOptions):
	// January is not expected — its 序时进度 is 0 and February's counts both months — and a county
	// without a January return is 1–2月合并, not 未报送.
	MergeJanFeb bool `yaml:"-" json:"merge_jan_feb"`
}

// DefaultProgressOptions returns ±5/−15 pp bands and no seasonal weights.
func DefaultProgressOptions() ProgressOptions {
	return ProgressOptions{Thresholds: DefaultThresholds(), CarryForward: true}
}

// InForce reports whether t applies to month m:
//   - annual and growth targets in the years FromYear..ToYear;
//   - milestone, plan-cumulative and rate targets from their Start (any time, when there is none) until
//     their due date — and to the end of the due year, so that a year's reports still measure a target
//     due mid-year.
func (t Target) InForce(m Period) bool {
	switch t.Form {
	case FormAnnual, FormGrowth:
		return t.AppliesTo(m.Year)
	}
	if t.Due.IsZero() {
		return false
	}
	last := m.LastDay()
	if !t.Start.IsZero() && t.Start.After(last) {
		return false
	}
	return !t.Due.Before(last) || t.Due.In(Beijing).Year() == m.Year
}

// ApplicableTarget returns the target of org for indicator that month m is measured against, among
// those in force (Target.InForce): the one due soonest — the next milestone of a chain (到2023年580家
// before 到2025年750家), a year's annual figure before a plan-long cumulative one. Equal due dates
// prefer an annual or growth target, then the later version, then the smaller id, so the choice never
// depends on the order of targets. ok is false when none is in force.
func ApplicableTarget(targets []Target, org, indicator string, m Period) (Target, bool) {
	// By index: a Target is large, and this runs for every county, indicator and month of a report.
	best := -1
	for i := range targets {
		t := &targets[i]
		if t.Org != org || t.Indicator != indicator || !t.InForce(m) {
			continue
		}
		if best < 0 || preferTarget(*t, targets[best]) {
			best = i
		}
	}
	if best < 0 {
		return Target{}, false
	}
	return targets[best], true
}

// preferTarget reports whether a is to be measured against rather than b (see ApplicableTarget).
func preferTarget(a, b Target) bool {
	if !a.Due.Equal(b.Due) {
		return a.Due.Before(b.Due)
	}
	ya := a.Form == FormAnnual || a.Form == FormGrowth
	yb := b.Form == FormAnnual || b.Form == FormGrowth
	if ya != yb {
		return ya
	}
	if a.Version != b.Version {
		return a.Version > b.Version
	}
	return a.ID < b.ID
}

// yearShare is the share of a year's flow expected by the end of month n (1–12): n/12, or the
// cumulative seasonal weights when 12 are given with a positive sum. With 1–2月合并 January is not
// expected (0); February's figure covers two months and is expected to hold both months' share.
func yearShare(n int, weights []float64, mergeJanFeb bool) float64 {
	if mergeJanFeb && n == 1 {
		return 0
	}
	if len(weights) == 12 {
		var done, all float64
		for i, w := range weights {
			all += w
			if i < n {
				done += w
			}
		}
		if all > 0 {
			return done / all
		}
	}
	return float64(n) / 12
}

// ExpectedProgress returns 序时进度 — the share of target t that should be done by the end of month m
// (PRODUCT §5.2), as a fraction from 0 to 1:
//   - annual flow: months elapsed / 12, or the cumulative seasonal weights when given;
//   - plan-cumulative flow: the share of the plan's months elapsed; over whole calendar years (start
//     1 January, due 31 December) each year counts its seasonal weights, so 2025–2027 at September 2026
//     is (1 + 9/12) / 3;
//   - milestone with a start: linear in time from Start to the end of the due day — measured together
//     with a baseline (Assess); without a start the milestone is a level to hold now: 1;
//   - rate and growth: 1 — the target applies at every date.
//
// With mergeJanFeb (1–2月合并) January does not count as elapsed: an annual flow expects 0 of the year
// in January, and a milestone's line stands where it stood at the end of December.
func ExpectedProgress(t Target, m Period, weights []float64, mergeJanFeb bool) float64 {
	switch t.Form {
	case FormAnnual:
		return yearShare(m.N, weights, mergeJanFeb)
	case FormCumulative:
		if t.Start.IsZero() || !t.Due.After(t.Start) {
			return 1
		}
		s, d := t.Start.In(Beijing), t.Due.In(Beijing)
		if s.Month() == 1 && s.Day() == 1 && d.Month() == 12 && d.Day() == 31 {
			years := float64(d.Year() - s.Year() + 1)
			done := float64(m.Year-s.Year()) + yearShare(m.N, weights, mergeJanFeb)
			return clamp01(done / years)
		}
		return linearProgress(t, m, mergeJanFeb)
	case FormMilestone:
		if t.Start.IsZero() || !t.Due.After(t.Start) {
			return 1
		}
		return linearProgress(t, m, mergeJanFeb)
	}
	return 1
}

// linearProgress is the share of the time from t.Start to the end of t.Due elapsed by the end of m
// (by its start, for a January under 1–2月合并).
func linearProgress(t Target, m Period, mergeJanFeb bool) float64 {
	due := t.Due.AddDate(0, 0, 1) // due by the end of the due day
	at := m.End()
	if mergeJanFeb && m.N == 1 {
		at = m.Start()
	}
	return clamp01(monthsBetween(t.Start, at) / monthsBetween(t.Start, due))
}

func clamp01(f float64) float64 { return math.Max(0, math.Min(1, f)) }

// monthsBetween counts months from a to b, fractional by days within a month.
func monthsBetween(a, b time.Time) float64 {
	a, b = a.In(Beijing), b.In(Beijing)
	months := float64((b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month()))
	dim := float64(time.Date(b.Year(), b.Month()+1, 0, 0, 0, 0, 0, Beijing).Day())
	return months + float64(b.Day()-a.Day())/dim
}

// Completion returns how much of target t the actual value achieves, as a fraction (PRODUCT §5.2):
//   - milestone: (actual − baseline) / (target − baseline) when the baseline — the value at the
//     target's start — is known (on t, or passed by Assess from the data); else actual / target;
//   - plan-cumulative: the flow since the start over the target (Assess passes the flow summed over
//     the plan years); for a stock, (actual − baseline) / target — the target is the increment;
//   - annual, rate, growth: actual / target; a lower-is-better indicator inverts it (target / actual).
//
// A range is measured against its lower end (Target.Bar). A target of zero is complete (1) when
// actual is not negative.
func Completion(t Target, ind Indicator, actual float64) float64 {
	bar := t.Bar()
	switch {
	case t.Form == FormMilestone && t.Baseline != nil:
		b := *t.Baseline
		if bar == b {
			if (ind.LowerIsBetter && actual <= bar) || (!ind.LowerIsBetter && actual >= bar) {
				return 1
			}
			return 0
		}
		return (actual - b) / (bar - b)
	case t.Form == FormCumulative && ind.Kind == KindStock && t.Baseline != nil:
		actual -= *t.Baseline
	case ind.LowerIsBetter:
		if actual == 0 {
			return 1
		}
		return bar / actual
	}
	if bar == 0 {
		if actual >= 0 {
			return 1
		}
		return 0
	}
	return actual / bar
}

// Assessment is the state of one org unit for one indicator at one period (PRODUCT §7.1).
type Assessment struct {
	Org       string `json:"org"`
	Indicator string `json:"indicator"`
	Period    string `json:"period"`
	// Actual is the value measured at the period's last month — for a plan-cumulative target, the flow
	// summed from the target's start.
	Actual Actual `json:"actual"`
	// Target is the applicable target; HasTarget is false when there is none.
	Target    Target `json:"-"`
	HasTarget bool   `json:"has_target"`
	// TargetValue is the target's bar (Target.Bar()).
	TargetValue float64 `json:"target,omitempty"`
	// Baseline is the value progress toward a milestone is measured from, when known; BaselineFrom says
	// where it came from: "target" (the target's own or its chained predecessor's figure) or "data"
	// (the value reported the month before the target's start).
	Baseline     *float64 `json:"baseline,omitempty"`
	BaselineFrom string   `json:"baseline_from,omitempty"`
	// Completion and Expected are fractions; Gap is (Completion − Expected) in percentage points as
	// printed — rounded to GapDecimals, half away from zero — which status, ranks, scores and the
	// ladder are decided on.
	Completion float64 `json:"completion,omitempty"`
	Expected   float64 `json:"expected,omitempty"`
	Gap        float64 `json:"gap,omitempty"`
	Status     Status  `json:"status"`
	// Met says whether the actual value already meets the target (Target.Met).
	Met bool `json:"met,omitempty"`
	// Rank among the units compared (1 = best); 0 when not ranked.
	Rank int `json:"rank,omitempty"`
}

// HasTask reports whether the unit has a task for the indicator: a target that is not an allocation of
// zero, nor a milestone with nothing to add.
func (a Assessment) HasTask() bool { return a.HasTarget && a.Status != StatusNoTarget }

// Measured reports whether the assessment has an actual value and a task: it is ranked, scored and
// moves the ladder.
func (a Assessment) Measured() bool {
	return a.Status != StatusMissing && a.Status != StatusNoTarget && a.Status != StatusMerged
}

// Assess computes the assessment of org (a county, or a city/province rolled up from its counties)
// for indicator ind over period p, measured at p's last month (PRODUCT §7.1):
//   - the actual value by the rules of the indicator's kind (DataSet.Actual); an aggregate counts a
//     county that has not reported with its latest earlier figure when opt.CarryForward is set, and
//     says so (Actual.Carried);
//   - the target from TargetFor; a plan-cumulative target of a YTD flow measures the flow summed from
//     the target's start (every plan year's December YTD, plus this year's);
//   - a milestone with a start but no baseline takes its baseline from the data of the month before
//     the start, when every unit reported it; without any baseline it is a level to hold (expected 1);
//   - completion, 序时进度, gap in percentage points (as printed) and status; 未报送 (no return, or a
//     blank cell feeding the figure) is its own status and never a zero; a January without a return
//     under 1–2月合并 is StatusMerged; no target, an allocation of zero and a milestone whose target
//     adds nothing to its baseline are StatusNoTarget.
func Assess(cat *Catalog, ds *DataSet, org string, ind Indicator, p Period, opt ProgressOptions) Assessment {
	m := p.LastMonth()
	orgs := countyCodes(cat, org)
	as := Assessment{Org: org, Indicator: ind.Code, Period: p.String()}
	u, _ := cat.Tree.Unit(org)
	carry := u.Level != LevelCounty && opt.CarryForward
	actual := func(at Period) Actual {
		if carry {
			return ds.ActualCarried(cat, ind, orgs, "", at)
		}
		return ds.Actual(cat, ind, orgs, "", at)
	}
	as.Actual = actual(m)
	t, ok := TargetFor(cat, org, ind, m)
	if ok && t.Form == FormCumulative && ind.Kind == KindYTD && as.Actual.OK {
		as.Actual = cumulativeFlow(as.Actual, t.Start, m, actual)
	}
	switch {
	case !as.Actual.OK && !carry && opt.MergeJanFeb && m.N == 1 && p.Kind == Month && !reported(ds, orgs, m):
		as.Status = StatusMerged
		as.Actual.MergedJanFeb = true // kept when no task overrides the status: the figure reads 1–2月合并
	case !as.Actual.OK:
		as.Status = StatusMissing
	case !ok:
		as.Status = StatusNoTarget
	}
	if !ok {
		return as
	}
	as.Target, as.HasTarget, as.TargetValue = t, true, t.Bar()
	if zeroTask(t, ind) {
		// A county allocated 0 of a count or flow has no task: reaching 0 is not an achievement to
		// rank, score or colour green, and not reporting it is no shortfall.
		as.Status = StatusNoTarget
		return as
	}
	if t.Form == FormMilestone {
		switch {
		case t.Baseline != nil:
			b := *t.Baseline
			as.Baseline, as.BaselineFrom = &b, "target"
		case !t.Start.IsZero():
			if b := actual(MonthOfTime(t.Start).Add(-1)); b.Complete() {
				v := b.Value
				as.Baseline, as.BaselineFrom = &v, "data"
				t.Baseline = &v
			} else {
				t.Start = time.Time{} // no baseline: a level to hold, like a milestone without a start
			}
		}
	}
	if as.Baseline != nil && nothingToAdd(t.Bar(), *as.Baseline, ind) {
		// The target adds nothing to what the unit had at the start: there is no task to rank or
		// score (a county's 2025 share equal to its 2023 share).
		as.Status = StatusNoTarget
		return as
	}
	as.Expected = ExpectedProgress(t, m, opt.Seasonal[ind.Code], opt.MergeJanFeb)
	if !as.Actual.OK {
		return as
	}
	as.Completion = Completion(t, ind, as.Actual.Value)
	as.Gap = Round((as.Completion-as.Expected)*100, GapDecimals)
	as.Status = opt.Thresholds.Classify(as.Gap)
	if ind.LowerIsBetter {
		as.Met = t.MetLowerIsBetter(as.Actual.Value)
	} else {
		as.Met = t.Met(as.Actual.Value)
	}
	return as
}

// zeroTask reports a target of zero for a count or flow (a county's allocation of 0): rates and growth
// keep a zero target's meaning.
func zeroTask(t Target, ind Indicator) bool {
	if ind.IsRatio() || ind.Kind == KindGrowth || t.Form == FormRate || t.Form == FormGrowth {
		return false
	}
	return t.Bar() == 0 && (t.Max == nil || *t.Max == 0) && t.Baseline == nil
}

// nothingToAdd reports whether a milestone bar asks nothing beyond its baseline.
func nothingToAdd(bar, baseline float64, ind Indicator) bool {
	if ind.IsRatio() || ind.Kind == KindGrowth {
		return false
	}
	if ind.LowerIsBetter {
		return roundTo(bar, 6) >= roundTo(baseline, 6)
	}
	return roundTo(bar, 6) <= roundTo(baseline, 6)
}

// reported reports whether any of the counties orgs has a return in force for month m.
func reported(ds *DataSet, orgs []string, m Period) bool {
	for _, o := range orgs {
		if _, ok := ds.Reported(o, m); ok {
			return true
		}
	}
	return false
}

// countyCodes returns the codes of the counties under org (org itself for a county).
func countyCodes(cat *Catalog, org string) []string {
	var orgs []string
	for _, c := range cat.Tree.Counties(org) {
		orgs = append(orgs, c.Code)
	}
	return orgs
}

// cumulativeFlow adds to this year's YTD the flow of the earlier years since start: each earlier
// year's December YTD (its latest month when December is missing, labelled as carried), less the YTD
// before start when the plan starts within a year. Units is the fewest units any year counted, so that
// a year with a missing county shows as incomplete.
func cumulativeFlow(cur Actual, start time.Time, m Period, actual func(Period) Actual) Actual {
	s := MonthOfTime(start)
	if s.Year == m.Year && s.N > 1 {
		if before := actual(s.Add(-1)); before.OK {
			cur.Value -= before.Value
		}
		return cur
	}
	for y := s.Year; y < m.Year; y++ {
		dec := actual(MonthOf(y, 12))
		if !dec.OK {
			cur.Units = 0
			continue
		}
		cur.Value += dec.Value
		cur.Units = min(cur.Units, dec.Units)
		cur.Carried = append(cur.Carried, dec.Carried...)
		if y == s.Year && s.N > 1 {
			if before := actual(s.Add(-1)); before.OK {
				cur.Value -= before.Value
			}
		}
	}
	return cur
}

// TargetFor returns the target org is measured against for ind in month m: its own, or — for
// intensive indicators (ratios, coverage, growth: a rate applies to every part as to the whole) — the
// nearest ancestor's. Counts and flows are never inherited: a city's 750 is not each county's 750; a
// county without an allocation has no target.
func TargetFor(cat *Catalog, org string, ind Indicator, m Period) (Target, bool) {
	if t, ok := cat.ApplicableTargetOf(org, ind.Code, m); ok {
		return t, true
	}
	if !ind.IsRatio() && ind.Kind != KindGrowth {
		return Target{}, false
	}
	for _, a := range cat.Tree.Ancestors(org) {
		if t, ok := cat.ApplicableTargetOf(a.Code, ind.Code, m); ok {
			return t, true
		}
	}
	return Target{}, false
}

// DataFrom returns the first month whose data assessing period p (and the period before it, for
// movement in rankings) needs: January of the year before (growth compares with last year), the
// start of every plan-cumulative target in force (each plan year's December counts), and the month
// before a milestone's start (its baseline).
func DataFrom(cat *Catalog, p Period) Period {
	from := MonthOf(p.Prev().LastMonth().Year-1, 1)
	for _, q := range []Period{p.LastMonth(), p.Prev().LastMonth()} {
		for _, t := range cat.Targets {
			if t.Start.IsZero() || !t.InForce(q) || (t.Form != FormCumulative && t.Form != FormMilestone) {
				continue
			}
			if s := MonthOfTime(t.Start).Add(-1); s.Before(from) {
				from = s
			}
		}
	}
	return from
}

// ResolveChains fills Start and Baseline of chained milestones: a milestone without an explicit start
// starts the day after the previous milestone of the same org and indicator is due, from that
// milestone's value (到2023年580家 → 到2025年750家).
func ResolveChains(ts []Target) []Target {
	out := append([]Target(nil), ts...)
	idx := map[[2]string][]int{}
	for i, t := range out {
		if t.Form == FormMilestone || t.Form == FormRate {
			k := [2]string{t.Org, t.Indicator}
			idx[k] = append(idx[k], i)
		}
	}
	for _, is := range idx {
		sort.SliceStable(is, func(a, b int) bool { return out[is[a]].Due.Before(out[is[b]].Due) })
		for n := 1; n < len(is); n++ {
			prev, cur := out[is[n-1]], &out[is[n]]
			if cur.Form != FormMilestone || prev.Version != cur.Version {
				continue
			}
			if cur.Baseline == nil && cur.Start.IsZero() {
				b := prev.Bar()
				cur.Baseline = &b
				cur.Start = prev.Due.AddDate(0, 0, 1)
			}
		}
	}
	return out
}
