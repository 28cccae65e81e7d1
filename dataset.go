package lingpao

// DataSet holds the values of the accepted, current submissions: per county, cluster, indicator and
// month. Absent means not reported — never zero.
type DataSet struct {
	values   map[dataKey]float64
	reported map[orgMonth]int64
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
	return &DataSet{values: map[dataKey]float64{}, reported: map[orgMonth]int64{}}
}

// AddSubmission records that county org reported month m in submission id, with its values. Cluster
// values are also summed into the county's total (cluster ""). Adding a second submission for the same
// county and month replaces nothing: callers add only the current version.
func (d *DataSet) AddSubmission(org string, m Period, id int64, values []Value) {
	d.reported[orgMonth{org, m}] = id
	for _, v := range values {
		d.values[dataKey{org, v.Cluster, v.Indicator, m}] = v.V
		if v.Cluster != "" {
			d.values[dataKey{org, "", v.Indicator, m}] += v.V
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
	return v, ok
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
//   - ratio and coverage: Σnumerator / Σdenominator over counties that reported both — never an
//     average of the counties' ratios;
//   - growth: ΣYTD / ΣYTD(last year) − 1 over counties with both figures; last year's figure is the
//     Prior column of the return when filled, else the stored value of the same month last year.
func (d *DataSet) Actual(cat *Catalog, ind Indicator, orgs []string, cluster string, m Period) Actual {
	a := Actual{Of: len(orgs)}
	switch ind.Kind {
	case KindRatio, KindCoverage:
		for _, org := range orgs {
			n, ok1 := d.Get(org, cluster, ind.Numerator, m)
			q, ok2 := d.Get(org, cluster, ind.Denominator, m)
			if ok1 && ok2 {
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
			cur, ok1 := d.Get(org, cluster, ind.Base, m)
			prev, ok2 := d.priorYTD(ind, org, cluster, m)
			if ok1 && ok2 {
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

// ActualCarried is Actual for an aggregate (a city or the province) in which a county that did not
// report month m is counted with its latest earlier figure — for YTD flows only from the same year,
// for stocks from the last twelve months — so that a city total stays comparable with the city's
// target. It is an explicit, labelled estimate: Carried lists each such county and month, reports
// print it, and the county's own row still says 未报送. A county with no earlier figure stays out.
func (d *DataSet) ActualCarried(cat *Catalog, ind Indicator, orgs []string, cluster string, m Period) Actual {
	view := &DataSet{values: d.values, reported: d.reported}
	var carried []Carry
	var extra map[dataKey]float64
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
			found := false
			for _, c := range codes {
				if v, ok := d.values[dataKey{org, cluster, c, from}]; ok {
					if extra == nil {
						extra = map[dataKey]float64{}
					}
					extra[dataKey{org, cluster, c, m}] = v
					found = true
				}
			}
			if found {
				carried = append(carried, Carry{Org: org, From: from})
			}
			break
		}
	}
	if len(extra) > 0 {
		view.values = make(map[dataKey]float64, len(d.values)+len(extra))
		for k, v := range d.values {
			view.values[k] = v
		}
		for k, v := range extra {
			view.values[k] = v
		}
	}
	a := view.Actual(cat, ind, orgs, cluster, m)
	a.Carried = carried
	return a
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
