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

// AddSubmission records that county org reported month m in submission id, with its values. Cluster
// values are also summed into the county's total (cluster ""). Adding a second submission for the same
// county and month replaces nothing: callers add only the current version.
func (d *DataSet) AddSubmission(org string, m Period, id int64, values []Value) {
	om := orgMonth{org, m}
	d.reported[om] = id
	seen := map[string]bool{}
	for _, c := range d.clusters[om] {
		seen[c] = true
	}
	for _, v := range values {
		d.values[dataKey{org, v.Cluster, v.Indicator, m}] = v.V
		if v.Cluster != "" {
			d.values[dataKey{org, "", v.Indicator, m}] += v.V
			if !seen[v.Cluster] {
				seen[v.Cluster] = true
				d.clusters[om] = append(d.clusters[om], v.Cluster)
			}
		}
	}
}

// Reported returns the submission county org's month m comes from.
func (d *DataSet) Reported(org string, m Period) (int64, bool) {
	id, ok := d.reported[orgMonth{org, m}]
	return id, ok
}

// Get returns the value of indicator for county org (cluster "" = the county's total) in month m.
func (d *DataSet) Get(org, cluster, indicator string, m Period) (float64, bool) {
	v, ok := d.values[dataKey{org, cluster, indicator, m}]
	if !ok && d.base != nil {
		return d.base.Get(org, cluster, indicator, m)
	}
	return v, ok
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
	// OK is false when no unit in scope reported the indicator: the value is unknown, not zero.
	OK bool `json:"ok"`
	// Num and Den are the summed numerator and denominator of a ratio, or this year's and last year's
	// YTD of a growth.
	Num float64 `json:"num,omitempty"`
	Den float64 `json:"den,omitempty"`
	// Units is how many counties contributed; Of is how many are in scope.
	Units int `json:"units"`
	Of    int `json:"of"`
	// Carried lists the counties that did not report month m and were counted with their latest
	// earlier figure (see ActualCarried); they are included in Units.
	Carried []Carry `json:"carried,omitempty"`
	// MergedJanFeb is set on a February flow that covers January too (1–2月合并, see DataSet.Flow).
	MergedJanFeb bool `json:"merged_jan_feb,omitempty"`
}

// Carry is one county counted with an earlier month's figure in an aggregate.
type Carry struct {
	Org  string `json:"org"`
	From Period `json:"-"`
}

// Complete reports whether every county in scope contributed.
func (a Actual) Complete() bool { return a.OK && a.Units == a.Of }

// Actual computes ind for the counties orgs at month m (one cluster when cluster is not ""), by the
// rules of its kind (PRODUCT §4):
//   - stock and ytd: the sum over the counties that reported it;
//   - ratio and coverage: Σnumerator / Σdenominator over the units that reported both — never an
//     average of the counties' ratios. Within a county the pairs are taken cluster by cluster, so a
//     cluster that left the numerator blank does not put its denominator into the county's ratio;
//   - growth: ΣYTD / ΣYTD(last year) − 1 over the units with both figures, cluster by cluster; last
//     year's figure is the Prior column of the return when filled, else the stored value of the same
//     month last year.
func (d *DataSet) Actual(cat *Catalog, ind Indicator, orgs []string, cluster string, m Period) Actual {
	a := Actual{Of: len(orgs)}
	switch ind.Kind {
	case KindRatio, KindCoverage:
		for _, org := range orgs {
			if n, q, ok := d.pair(org, cluster, m, func(cl string) (float64, float64, bool) {
				n, ok1 := d.Get(org, cl, ind.Numerator, m)
				q, ok2 := d.Get(org, cl, ind.Denominator, m)
				return n, q, ok1 && ok2
			}); ok {
				a.Num += n
				a.Den += q
				a.Units++
			}
		}
		if a.Units > 0 && a.Den != 0 {
			a.OK = true
			a.Value = a.Num / a.Den
			if ind.Percent() {
				a.Value *= 100
			}
		}
	case KindGrowth:
		for _, org := range orgs {
			if cur, prev, ok := d.pair(org, cluster, m, func(cl string) (float64, float64, bool) {
				cur, ok1 := d.Get(org, cl, ind.Base, m)
				prev, ok2 := d.priorYTD(ind, org, cl, m)
				return cur, prev, ok1 && ok2
			}); ok {
				a.Num += cur
				a.Den += prev
				a.Units++
			}
		}
		if a.Units > 0 && a.Den != 0 {
			a.OK = true
			a.Value = (a.Num/a.Den - 1) * 100
		}
	default:
		for _, org := range orgs {
			if v, ok := d.Get(org, cluster, ind.Code, m); ok {
				a.Value += v
				a.Units++
			}
		}
		a.OK = a.Units > 0
	}
	return a
}

// pair sums the two figures get returns over the clusters of county org that have both (when
// cluster is "" and the county reported by cluster), else takes them for cluster itself. ok is false
// when no cluster has both.
func (d *DataSet) pair(org, cluster string, m Period, get func(cluster string) (float64, float64, bool)) (x, y float64, ok bool) {
	cls := d.clustersAt(orgMonth{org, m})
	if cluster != "" || len(cls) == 0 {
		return get(cluster)
	}
	for _, cl := range cls {
		if a, b, both := get(cl); both {
			x, y, ok = x+a, y+b, true
		}
	}
	if !ok {
		return get("") // figures reported for the county as a whole
	}
	return x, y, ok
}

// ActualCarried is Actual for an aggregate (a city or the province) in which a county that did not
// report month m is counted with its latest earlier figure — for YTD flows only from the same year,
// for stocks from the last twelve months — so that a city total stays comparable with the city's
// target. It is an explicit, labelled estimate: Carried lists each such county and month, reports
// print it, and the county's own row still says 未报送. A county with no earlier figure stays out.
func (d *DataSet) ActualCarried(cat *Catalog, ind Indicator, orgs []string, cluster string, m Period) Actual {
	codes := []string{ind.Code}
	switch ind.Kind {
	case KindRatio, KindCoverage:
		codes = []string{ind.Numerator, ind.Denominator}
	case KindGrowth:
		codes = []string{ind.Base, ind.Prior}
	}
	baseKind := ind.Kind
	if base, ok := cat.Indicator(codes[0]); ok && (ind.Kind == KindRatio || ind.Kind == KindCoverage || ind.Kind == KindGrowth) {
		baseKind = base.Kind
	}
	var view *DataSet
	var carried []Carry
	for _, org := range orgs {
		if _, ok := d.reported[orgMonth{org, m}]; ok {
			continue
		}
		for back := 1; back <= 12; back++ {
			from := m.Add(-back)
			if baseKind == KindYTD && from.Year != m.Year {
				break
			}
			if _, ok := d.reported[orgMonth{org, from}]; !ok {
				continue
			}
			if view == nil {
				view = d.overlay()
			}
			if view.carry(org, from, m, cluster, codes) {
				carried = append(carried, Carry{Org: org, From: from})
			}
			break
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

// carry copies county org's figures of codes from month `from` to month m — the county total, the
// cluster asked for, and (for the total) every cluster, so that ratios still pair cluster by cluster.
// It reports whether any figure was copied.
func (d *DataSet) carry(org string, from, m Period, cluster string, codes []string) bool {
	cls := []string{cluster}
	if cluster == "" {
		cls = append(cls, d.clustersAt(orgMonth{org, from})...)
		d.clusters[orgMonth{org, m}] = d.clustersAt(orgMonth{org, from})
	}
	found := false
	for _, cl := range cls {
		for _, c := range codes {
			if v, ok := d.Get(org, cl, c, from); ok {
				d.values[dataKey{org, cl, c, m}] = v
				found = true
			}
		}
	}
	return found
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
