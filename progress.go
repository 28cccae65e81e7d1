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
	StatusNoTarget  Status = "no_target"  // 无目标
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
		return "无目标"
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

// Classify returns the status of a gap in percentage points. The bands are closed toward 基本同步:
// exactly +5 and −5 are 基本同步, exactly −15 is 滞后.
func (th Thresholds) Classify(gapPP float64) Status {
	g := roundTo(gapPP, 6) // 0.80−0.75 is 0.0500000000004 in binary; compare what a person would.
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

func roundTo(v float64, d int) float64 {
	p := math.Pow(10, float64(d))
	return math.Round(v*p) / p
}

// Progress options: seasonal weights per indicator for annual flows (12 weights, any scale; equal
// when absent).
type ProgressOptions struct {
	Thresholds Thresholds           `yaml:"thresholds" json:"thresholds"`
	Seasonal   map[string][]float64 `yaml:"seasonal,omitempty" json:"seasonal,omitempty"`
	// CarryForward counts a county that has not reported in a city or province total with its latest
	// earlier figure, labelled as such (DataSet.ActualCarried). Off, aggregates sum only what was
	// reported for the month.
	CarryForward bool `yaml:"carry_forward" json:"carry_forward"`
}

// DefaultProgressOptions returns ±5/−15 pp bands and no seasonal weights.
func DefaultProgressOptions() ProgressOptions {
	return ProgressOptions{Thresholds: DefaultThresholds(), CarryForward: true}
}

// ApplicableTarget returns the target of org for indicator that month m is measured against: an annual
// or growth target in force that year, else the earliest milestone, cumulative or rate target due at
// or after the month's end (later versions win). ok is false when there is none.
func ApplicableTarget(targets []Target, org, indicator string, m Period) (Target, bool) {
	var cands []Target
	end := m.LastDay()
	for _, t := range targets {
		if t.Org != org || t.Indicator != indicator {
			continue
		}
		switch t.Form {
		case FormAnnual, FormGrowth:
			if t.AppliesTo(m.Year) {
				cands = append(cands, t)
			}
		default:
			if !t.Due.Before(end) || (t.Due.Year() == m.Year) {
				cands = append(cands, t)
			}
		}
	}
	if len(cands) == 0 {
		return Target{}, false
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if !cands[i].Due.Equal(cands[j].Due) {
			return cands[i].Due.Before(cands[j].Due)
		}
		return cands[i].Version > cands[j].Version
	})
	return cands[0], true
}

// ExpectedProgress returns 序时进度 — the share of target t that should be done by the end of month m
// (PRODUCT §5.2), as a fraction:
//   - annual flow: months elapsed / 12, or the cumulative seasonal weights when given;
//   - milestone or plan-cumulative: the time elapsed from Start to Due, linear;
//   - rate and growth: 1 — the target applies at every date.
func ExpectedProgress(t Target, m Period, weights []float64) float64 {
	switch t.Form {
	case FormAnnual:
		if len(weights) == 12 {
			var done, all float64
			for i, w := range weights {
				all += w
				if i < m.N {
					done += w
				}
			}
			if all > 0 {
				return done / all
			}
		}
		return float64(m.N) / 12
	case FormMilestone, FormCumulative:
		if t.Start.IsZero() || !t.Due.After(t.Start) {
			return 1
		}
		at := m.End()
		due := t.Due.AddDate(0, 0, 1) // due by the end of the due day
		f := monthsBetween(t.Start, at) / monthsBetween(t.Start, due)
		return math.Max(0, math.Min(1, f))
	}
	return 1
}

// monthsBetween counts months from a to b, fractional by days within a month.
func monthsBetween(a, b time.Time) float64 {
	a, b = a.In(Beijing), b.In(Beijing)
	months := float64((b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month()))
	dim := float64(time.Date(b.Year(), b.Month()+1, 0, 0, 0, 0, 0, Beijing).Day())
	return months + float64(b.Day()-a.Day())/dim
}

// Completion returns how much of target t the actual value achieves, as a fraction:
//   - milestone: actual / target, or (actual − baseline) / (target − baseline) when the baseline — the
//     value at the target's start — is known;
//   - plan-cumulative: the progress since the start over the target's increment: for a stock,
//     (actual − baseline) / target; for a YTD flow the caller passes the flow summed over the plan years;
//   - annual, rate, growth: actual / target; lower-is-better indicators invert the ratio.
func Completion(t Target, ind Indicator, actual float64) float64 {
	bar := t.Bar()
	switch {
	case t.Form == FormMilestone && t.Baseline != nil:
		b := *t.Baseline
		if bar == b {
			if actual >= bar {
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
	Actual    Actual `json:"actual"`
	// Target is the applicable target; HasTarget is false when there is none.
	Target    Target `json:"-"`
	HasTarget bool   `json:"has_target"`
	// TargetValue is the target's bar (Target.Bar()).
	TargetValue float64 `json:"target,omitempty"`
	// Completion and Expected are fractions; Gap is (Completion − Expected) in percentage points.
	Completion float64 `json:"completion,omitempty"`
	Expected   float64 `json:"expected,omitempty"`
	Gap        float64 `json:"gap,omitempty"`
	Status     Status  `json:"status"`
	// Rank among the units compared (1 = best); 0 when not ranked.
	Rank int `json:"rank,omitempty"`
}

// Measured reports whether the assessment has an actual value and a target.
func (a Assessment) Measured() bool { return a.Status != StatusMissing && a.Status != StatusNoTarget }

// Assess computes the assessment of org (a county, or a city/province rolled up from its counties)
// for indicator ind over period p, measured at p's last month.
func Assess(cat *Catalog, ds *DataSet, org string, ind Indicator, p Period, opt ProgressOptions) Assessment {
	m := p.LastMonth()
	var orgs []string
	for _, c := range cat.Tree.Counties(org) {
		orgs = append(orgs, c.Code)
	}
	as := Assessment{Org: org, Indicator: ind.Code, Period: p.String()}
	if u, _ := cat.Tree.Unit(org); u.Level != LevelCounty && opt.CarryForward {
		as.Actual = ds.ActualCarried(cat, ind, orgs, "", m)
	} else {
		as.Actual = ds.Actual(cat, ind, orgs, "", m)
	}
	t, ok := TargetFor(cat, org, ind, m)
	if ok && t.Form == FormCumulative && ind.Kind == KindYTD && as.Actual.OK {
		as.Actual.Value += ds.priorYearsYTD(ind.Code, orgs, t.Start, m)
	}
	switch {
	case !as.Actual.OK:
		as.Status = StatusMissing
	case !ok:
		as.Status = StatusNoTarget
	}
	if !ok {
		return as
	}
	as.Target, as.HasTarget, as.TargetValue = t, true, t.Bar()
	as.Expected = ExpectedProgress(t, m, opt.Seasonal[ind.Code])
	if !as.Actual.OK {
		return as
	}
	as.Completion = Completion(t, ind, as.Actual.Value)
	as.Gap = (as.Completion - as.Expected) * 100
	as.Status = opt.Thresholds.Classify(as.Gap)
	return as
}

// TargetFor returns the target org is measured against for ind in month m: its own, or — for
// intensive indicators (ratios, coverage, growth: a rate applies to every part as to the whole) — the
// nearest ancestor's. Counts and flows are never inherited: a city's 750 is not each county's 750; a
// county without an allocation has no target.
func TargetFor(cat *Catalog, org string, ind Indicator, m Period) (Target, bool) {
	if t, ok := ApplicableTarget(cat.Targets, org, ind.Code, m); ok {
		return t, true
	}
	if !ind.IsRatio() && ind.Kind != KindGrowth {
		return Target{}, false
	}
	for _, a := range cat.Tree.Ancestors(org) {
		if t, ok := ApplicableTarget(cat.Targets, a.Code, ind.Code, m); ok {
			return t, true
		}
	}
	return Target{}, false
}

// priorYearsYTD sums the December YTD of the years between a cumulative target's start and month m's
// year, so that a plan-cumulative target counts every plan year, not just this one.
func (d *DataSet) priorYearsYTD(indicator string, orgs []string, start time.Time, m Period) float64 {
	var sum float64
	for y := start.In(Beijing).Year(); y < m.Year; y++ {
		for _, org := range orgs {
			if v, ok := d.Get(org, "", indicator, MonthOf(y, 12)); ok {
				sum += v
			}
		}
	}
	return sum
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
