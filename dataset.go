package lingpao

import (
	"fmt"
	"strconv"
)

// DataSet holds the values of the accepted, current submissions: per county, cluster, indicator and
// month. Absent means not reported — never zero.
type DataSet struct {
	values   map[dataKey]float64
	reported map[orgMonth]int64
	// clusters lists, per county and month, the clusters that reported any value, in the order seen.
	clusters map[orgMonth][]string
	// base is the data set an overlay (ActualCarried) reads through: the overlay holds only the
	// figures it carries forward, so that carrying one county does not copy every figure.
	base *DataSet
}

type dataKey struct {
	Org, Cluster, Indicator string
	Month                   Period
}

type orgMonth struct {
	Org   string
	Month Period
}

// NewDataSet returns an empty data set.
func NewDataSet() *DataSet {
	return &DataSet{values: map[dataKey]float64{}, reported: map[orgMonth]int64{}, clusters: map[orgMonth][]string{}}
}

// AddSubmission records that county org reported month m in submission id, with its values. The
// clusters of the values are the rows of the return; a county's total of an indicator (cluster "") is
// the sum over them, and exists only when every row reported the indicator: a blank cell makes the
// county's figure not reported, never a smaller sum. Adding a second submission for the same county and
// month replaces nothing: callers add only the current version.
func (d *DataSet) AddSubmission(org string, m Period, id int64, values []Value) {
	om := orgMonth{org, m}
	d.reported[om] = id
	seen := map[string]bool{}
	for _, c := range d.clusters[om] {
		seen[c] = true
	}
	type part struct {
		sum float64
		n   int
	}
	parts := map[string]*part{}
	var order []string
	for _, v := range values {
		d.values[dataKey{org, v.Cluster, v.Indicator, m}] = v.V
		if v.Cluster == "" {
			continue
		}
		if !seen[v.Cluster] {
			seen[v.Cluster] = true
			d.clusters[om] = append(d.clusters[om], v.Cluster)
		}
		p := parts[v.Indicator]
		if p == nil {
			p = &part{}
			parts[v.Indicator] = p
			order = append(order, v.Indicator)
		}
		p.sum += v.V
		p.n++
	}
	rows := len(d.clusters[om])
	for _, code := range order {
		if p := parts[code]; p.n == rows {
			d.values[dataKey{org, "", code, m}] = p.sum
		}
	}
}

// Reported returns the submission county org's month m comes from.
func (d *DataSet) Reported(org string, m Period) (int64, bool) {
	id, ok := d.reported[orgMonth{org, m}]
	return id, ok
}

// Get returns the value of indicator for county org (cluster "" = the county's total, present only
// when every row of the return reported it) in month m.
func (d *DataSet) Get(org, cluster, indicator string, m Period) (float64, bool) {
	v, ok := d.values[dataKey{org, cluster, indicator, m}]
	if !ok && d.base != nil {
		return d.base.Get(org, cluster, indicator, m)
	}
	return v, ok
}

// Rows returns the rows (clusters) of county org's return in force for month m, in the order seen;
// none when the county has no return for m or reported for the county as a whole.
func (d *DataSet) Rows(org string, m Period) []string {
	return d.clustersAt(orgMonth{org, m})
}

// Blank returns the rows of county org's return for month m that left indicator blank.
func (d *DataSet) Blank(org, indicator string, m Period) []string {
	var out []string
	for _, cl := range d.Rows(org, m) {
		if _, ok := d.Get(org, cl, indicator, m); !ok {
			out = append(out, cl)
		}
	}
	return out
}

// clustersAt returns the clusters county om.Org reported in month om.Month, through to the base of an
// overlay.
func (d *DataSet) clustersAt(om orgMonth) []string {
	if cls, ok := d.clusters[om]; ok || d.base == nil {
		return cls
	}
	return d.base.clustersAt(om)
}

// Actual is an indicator's value for a set of counties at one month, with what it was computed from.
type Actual struct {
	Value float64 `json:"value"`
	// OK is false when no unit in scope has a complete figure: the value is unknown, not zero.
	OK bool `json:"ok"`
	// Num and Den are the summed numerator and denominator of a ratio, or this year's and last year's
	// YTD of a growth.
	Num float64 `json:"num,omitempty"`
	Den float64 `json:"den,omitempty"`
	// Units is how many counties contributed; Of is how many are in scope.
	Units int `json:"units"`
	Of    int `json:"of"`
	// Without lists the counties in scope that contributed nothing: no return, or a return with a
	// blank cell feeding the figure, and nothing carried forward for them.
	Without []string `json:"without,omitempty"`
	// Carried lists the figures counted with an earlier month's value (see ActualCarried); their
	// counties are included in Units.
	Carried []Carry `json:"carried,omitempty"`
	// MergedJanFeb is set on a February flow that covers January too (1–2月合并, see DataSet.Flow), and
	// on a county's January without a return under 1–2月合并 (Assess).
	MergedJanFeb bool `json:"merged_jan_feb,omitempty"`
}

// Carry is one row of a county counted in an aggregate with an earlier month's figure: the row's
// cluster ("" for a county reporting as a whole) and the month the figure is from. Missing says the
// county has no return for the month at all; otherwise its return left the row's cell blank.
type Carry struct {
	Org     string `json:"org"`
	Cluster string `json:"cluster,omitempty"`
	From    Period `json:"-"`
	Missing bool   `json:"missing,omitempty"`
}

// Complete reports whether every county in scope contributed.
func (a Actual) Complete() bool { return a.OK && a.Units == a.Of }

// components are the indicators whose cells feed ind: itself, a ratio's numerator and denominator, a
// growth's base and last year's column.
func components(ind Indicator) []string {
	switch ind.Kind {
	case KindRatio, KindCoverage:
		return []string{ind.Numerator, ind.Denominator}
	case KindGrowth:
		return []string{ind.Base, ind.Prior}
	}
	return []string{ind.Code}
}

// Figure returns county org's figure of ind at month m — for one cluster, or ("") the county's total —
// as the two numbers it is made of: a ratio's numerator and denominator, a growth's YTD and last
// year's YTD, or a stock's or flow's value (y 0). ok is false when a cell feeding it is blank or the
// county has no return: a county's figure is complete only when every row of its return reported it.
func (d *DataSet) Figure(ind Indicator, org, cluster string, m Period) (x, y float64, ok bool) {
	switch ind.Kind {
	case KindRatio, KindCoverage:
		return d.pair(org, cluster, m, func(cl string) (float64, float64, bool) {
			n, ok1 := d.Get(org, cl, ind.Numerator, m)
			q, ok2 := d.Get(org, cl, ind.Denominator, m)
			return n, q, ok1 && ok2
		})
	case KindGrowth:
		return d.pair(org, cluster, m, func(cl string) (float64, float64, bool) {
			cur, ok1 := d.Get(org, cl, ind.Base, m)
			prev, ok2 := d.priorYTD(ind, org, cl, m)
			return cur, prev, ok1 && ok2
		})
	}
	v, ok := d.Get(org, cluster, ind.Code, m)
	return v, 0, ok
}

// Actual computes ind for the counties orgs at month m (one cluster when cluster is not ""), by the
// rules of its kind (PRODUCT §4), over the counties whose figure is complete (DataSet.Figure):
//   - stock and ytd: the sum;
//   - ratio and coverage: Σnumerator / Σdenominator — never an average of the counties' ratios; within
//     a county the pairs are taken cluster by cluster;
//   - growth: ΣYTD / ΣYTD(last year) − 1, cluster by cluster; last year's figure is the Prior column of
//     the return when filled, else the stored value of the same month last year.
func (d *DataSet) Actual(cat *Catalog, ind Indicator, orgs []string, cluster string, m Period) Actual {
	a := Actual{Of: len(orgs)}
	for _, org := range orgs {
		x, y, ok := d.Figure(ind, org, cluster, m)
		if !ok {
			a.Without = append(a.Without, org)
			continue
		}
		a.Units++
		switch ind.Kind {
		case KindRatio, KindCoverage, KindGrowth:
			a.Num += x
			a.Den += y
		default:
			a.Value += x
		}
	}
	switch ind.Kind {
	case KindRatio, KindCoverage:
		if a.Units > 0 && a.Den != 0 {
			a.OK = true
			a.Value = a.Num / a.Den
			if ind.Percent() {
				a.Value *= 100
			}
		}
	case KindGrowth:
		if a.Units > 0 && a.Den != 0 {
			a.OK = true
			a.Value = (a.Num/a.Den - 1) * 100
		}
	default:
		a.OK = a.Units > 0
	}
	return a
}

// pair sums the two figures get returns over the rows of county org's return (when cluster is ""
// and the county reported by cluster), else takes them for cluster itself. ok is false when any row
// lacks either.
func (d *DataSet) pair(org, cluster string, m Period, get func(cluster string) (float64, float64, bool)) (x, y float64, ok bool) {
	cls := d.clustersAt(orgMonth{org, m})
	if cluster != "" || len(cls) == 0 {
		return get(cluster)
	}
	for _, cl := range cls {
		a, b, both := get(cl)
		if !both {
			return 0, 0, false
		}
		x, y = x+a, y+b
	}
	return x, y, true
}

// ActualCarried is Actual for an aggregate (a city or the province) in which a county without a
// complete figure for month m is counted with its latest earlier figures, row by row — for YTD flows
// only from the same year, for stocks from the last twelve months — so that a city total stays
// comparable with the city's target:
//   - a county without a return for m: each row of its latest earlier return, with that row's latest
//     figure;
//   - a county whose return left a cell feeding the figure blank: that row's latest earlier figure
//     (for a ratio or a growth the row's pair, from the latest month with both), its other rows as
//     reported.
//
// It is an explicit, labelled estimate: Carried lists each row and the month it is from, reports print
// it, and the county's own figure still says 未报送. A county with a row that has no earlier figure
// stays out (Without).
func (d *DataSet) ActualCarried(cat *Catalog, ind Indicator, orgs []string, cluster string, m Period) Actual {
	baseKind := ind.Kind
	if ind.Kind == KindRatio || ind.Kind == KindCoverage || ind.Kind == KindGrowth {
		if base, ok := cat.Indicator(components(ind)[0]); ok {
			baseKind = base.Kind
		}
	}
	window := func(back int) (Period, bool) {
		from := m.Add(-back)
		return from, back <= 12 && !(baseKind == KindYTD && from.Year != m.Year)
	}
	var view *DataSet
	var carried []Carry
	for _, org := range orgs {
		if _, _, ok := d.Figure(ind, org, cluster, m); ok {
			continue
		}
		om := orgMonth{org, m}
		_, missing := d.reported[om]
		missing = !missing
		var rows []string
		switch {
		case cluster != "":
			rows = []string{cluster}
		case !missing:
			rows = d.clustersAt(om)
		default:
			for back := 1; ; back++ {
				from, ok := window(back)
				if !ok {
					break
				}
				if _, ok := d.reported[orgMonth{org, from}]; ok {
					rows = d.clustersAt(orgMonth{org, from})
					if len(rows) == 0 {
						rows = []string{""}
					}
					break
				}
			}
		}
		if len(rows) == 0 {
			rows = []string{""}
		}
		type fill struct {
			row  string
			from Period
		}
		var fills []fill
		complete := true
		for _, cl := range rows {
			if !missing {
				if _, _, ok := d.Figure(ind, org, cl, m); ok && cl != "" {
					continue
				}
			}
			found := false
			for back := 1; ; back++ {
				from, ok := window(back)
				if !ok {
					break
				}
				if _, _, ok := d.Figure(ind, org, cl, from); ok {
					fills, found = append(fills, fill{cl, from}), true
					break
				}
			}
			if !found {
				complete = false
				break
			}
		}
		if !complete || len(fills) == 0 {
			continue
		}
		if view == nil {
			view = d.overlay()
		}
		if missing && cluster == "" && rows[0] != "" {
			view.clusters[om] = rows
		}
		for _, f := range fills {
			view.carry(ind, org, f.row, f.from, m)
			carried = append(carried, Carry{Org: org, Cluster: f.row, From: f.from, Missing: missing})
		}
		if cluster == "" && rows[0] != "" && ind.Kind != KindRatio && ind.Kind != KindCoverage && ind.Kind != KindGrowth {
			var sum float64
			for _, cl := range rows {
				v, _ := view.Get(org, cl, ind.Code, m)
				sum += v
			}
			view.values[dataKey{org, "", ind.Code, m}] = sum
		}
	}
	if view == nil {
		view = d
	}
	a := view.Actual(cat, ind, orgs, cluster, m)
	a.Carried = carried
	return a
}

// overlay returns a data set that reads d but can take extra values without changing d.
func (d *DataSet) overlay() *DataSet {
	return &DataSet{values: map[dataKey]float64{}, reported: d.reported, clusters: map[orgMonth][]string{}, base: d}
}

// carry copies row cl of county org's figure of ind from month `from` to month m: the cell, or the
// pair of a ratio or a growth (a growth's last-year figure into its Prior column).
func (d *DataSet) carry(ind Indicator, org, cl string, from, m Period) {
	x, y, _ := d.Figure(ind, org, cl, from)
	switch ind.Kind {
	case KindRatio, KindCoverage:
		d.values[dataKey{org, cl, ind.Numerator, m}] = x
		d.values[dataKey{org, cl, ind.Denominator, m}] = y
	case KindGrowth:
		d.values[dataKey{org, cl, ind.Base, m}] = x
		if ind.Prior != "" {
			d.values[dataKey{org, cl, ind.Prior, m}] = y
		}
	default:
		d.values[dataKey{org, cl, ind.Code, m}] = x
	}
}

// priorYTD returns last year's YTD of a growth's base for the same month.
func (d *DataSet) priorYTD(ind Indicator, org, cluster string, m Period) (float64, bool) {
	if ind.Prior != "" {
		if v, ok := d.Get(org, cluster, ind.Prior, m); ok {
			return v, true
		}
	}
	return d.Get(org, cluster, ind.Base, MonthOf(m.Year-1, m.N))
}

// MonthFlow returns the month's own value of a YTD indicator for county org: YTD(m) − YTD(m−1), with
// YTD(0) = 0 in January. ok is false when either figure is missing. A negative result means the
// county's YTD fell, which validation reports.
func (d *DataSet) MonthFlow(org, cluster, indicator string, m Period) (float64, bool) {
	cur, ok := d.Get(org, cluster, indicator, m)
	if !ok {
		return 0, false
	}
	if m.N == 1 {
		return cur, true
	}
	prev, ok := d.Get(org, cluster, indicator, m.Add(-1))
	if !ok {
		return 0, false
	}
	return cur - prev, true
}

// Flow returns the period's own flow of ind for the counties orgs, summed over the counties that have
// both figures:
//   - a YTD flow: YTD at the period's last month less YTD at the month before its first (0 when the
//     period starts in January): 2025Q3 is YTD(September) − YTD(June);
//   - a stock: the net change over the period, the stock at its last month less the stock at the
//     month before (which may be last December).
//
// With mergeJanFeb, a county without a January return has February's flow counted from the start of
// the year (1–2月合并): MergedJanFeb says so. Ratios, coverage and growth have no flow (OK false).
func (d *DataSet) Flow(ind Indicator, orgs []string, cluster string, p Period, mergeJanFeb bool) Actual {
	a := Actual{Of: len(orgs)}
	if ind.Kind != KindYTD && ind.Kind != KindStock {
		return a
	}
	last, before := p.LastMonth(), p.FirstMonth().Add(-1)
	for _, org := range orgs {
		cur, ok := d.Get(org, cluster, ind.Code, last)
		if !ok {
			continue
		}
		var base float64
		switch {
		case ind.Kind == KindYTD && before.Year != last.Year:
			// YTD(0) = 0
		default:
			b, ok := d.Get(org, cluster, ind.Code, before)
			if !ok && ind.Kind == KindYTD && mergeJanFeb && before == MonthOf(last.Year, 1) {
				a.MergedJanFeb = true
				break
			}
			if !ok {
				continue
			}
			base = b
		}
		a.Value += cur - base
		a.Units++
	}
	a.OK = a.Units > 0
	return a
}

// CheckYTDFall returns the warning for value v of a year-to-date indicator when it is lower than
// prev, the same cell's figure the month before (PRODUCT §4: YTD must not decrease within a year —
// never silently). There is nothing to compare in January, which starts a new year. where names the
// row (the cluster); remark is the explanation the county already wrote in the row, if any.
func CheckYTDFall(ind Indicator, v Value, prev float64, where, remark string) (Finding, bool) {
	if ind.Kind != KindYTD || v.Period.N == 1 || roundTo(v.V, 6) >= roundTo(prev, 6) {
		return Finding{}, false
	}
	ask := "请核对；如确属调整，请在该行“备注（情况说明）”中写明原因。"
	if remark != "" {
		ask = "已有情况说明：" + remark
	}
	return Finding{
		Severity: SevWarning, Rule: "period.ytd_decrease", Sheet: v.Sheet, Cell: v.Cell,
		Value:   strconv.FormatFloat(v.V, 'f', -1, 64),
		Message: fmt.Sprintf("「%s」%s为本年累计数，本月 %s 小于上月 %s：%s", where, ind.Name, ind.Format(v.V), ind.Format(prev), ask),
	}, true
}

// Within returns a data set of the months from..to of d (inclusive) — what loading those months alone
// gives. d is left as it is.
func (d *DataSet) Within(from, to Period) *DataSet {
	from, to = from.FirstMonth(), to.LastMonth()
	in := func(m Period) bool { return !m.Before(from) && !to.Before(m) }
	out := NewDataSet()
	for k, v := range d.values {
		if in(k.Month) {
			out.values[k] = v
		}
	}
	for k, id := range d.reported {
		if in(k.Month) {
			out.reported[k] = id
		}
	}
	for k, cls := range d.clusters {
		if in(k.Month) {
			out.clusters[k] = cls
		}
	}
	return out
}
