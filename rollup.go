package lingpao

// RollUpRow is one unit's line of a roll-up: its assessment, its depth below the root (0 for the root)
// and the period's own flow.
type RollUpRow struct {
	Unit  OrgUnit `json:"unit"`
	Depth int     `json:"depth"`
	Assessment
	// Flow is the period's own flow (DataSet.Flow): for a YTD indicator what was added during the
	// period, for a stock its net change. OK is false for ratios, coverage and growth.
	Flow Actual `json:"flow"`
}

// RollUp assesses ind for root and every unit beneath it — county → city → province — parents
// before their children, in the order of the org tree (PRODUCT §7.1). Each unit is measured over its
// own counties by the rules of the indicator's kind: stocks sum at the same date, YTD flows sum,
// ratios are Σnumerator/Σdenominator, growth is ΣYTD/ΣYTD(last year) − 1. Aggregates carry a county
// that has not reported forward when opt.CarryForward is set (labelled in Actual.Carried); the county's
// own row stays 未报送. The period may be a month, quarter, half or year: it is measured at its last
// month, and Flow gives what happened within it.
func RollUp(cat *Catalog, ds *DataSet, root string, ind Indicator, p Period, opt ProgressOptions, mergeJanFeb bool) []RollUpRow {
	var rows []RollUpRow
	var walk func(u OrgUnit, depth int)
	walk = func(u OrgUnit, depth int) {
		rows = append(rows, RollUpRow{
			Unit: u, Depth: depth,
			Assessment: Assess(cat, ds, u.Code, ind, p, opt),
			Flow:       ds.Flow(ind, countyCodes(cat, u.Code), "", p, mergeJanFeb),
		})
		for _, c := range cat.Tree.Children(u.Code) {
			walk(c, depth+1)
		}
	}
	if u, ok := cat.Tree.Unit(root); ok {
		walk(u, 0)
	}
	return rows
}

// StatusCounts counts assessments by status; assessments without a target are not counted (an
// indicator a unit is not measured on is neither on track nor missing).
type StatusCounts map[Status]int

// CountStatuses counts the statuses of the assessments that have a target.
func CountStatuses(as []Assessment) StatusCounts {
	c := StatusCounts{}
	for _, a := range as {
		if a.HasTarget {
			c[a.Status]++
		}
	}
	return c
}

// Lagging returns the number of 滞后 and 严重滞后 assessments.
func (c StatusCounts) Lagging() int { return c[StatusBehind] + c[StatusFarBehind] }

// CountyIndicators returns the indicators a county can be measured on, in catalog order: those its
// return reports (directly or from the enterprise roster) and those derived only from such
// indicators. Indicators kept by the city, or derived from them, have no county figures.
func CountyIndicators(cat *Catalog) []Indicator {
	fromCounty := func(code string) bool {
		ind, ok := cat.Indicator(code)
		return ok && (ind.Source == SourceReturn || ind.Source == SourceRoster)
	}
	var out []Indicator
	for _, ind := range cat.Indicators {
		switch ind.Source {
		case SourceReturn, SourceRoster:
			out = append(out, ind)
		case SourceDerived:
			switch ind.Kind {
			case KindRatio, KindCoverage:
				if fromCounty(ind.Numerator) && fromCounty(ind.Denominator) {
					out = append(out, ind)
				}
			case KindGrowth:
				if fromCounty(ind.Base) {
					out = append(out, ind)
				}
			}
		}
	}
	return out
}
