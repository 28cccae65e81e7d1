package lingpao

import "sort"

// Catalog is the reference data everything is measured against: the org tree, clusters, indicators,
// targets and the working calendar. It is loaded from the seed data (package seeds) and the store.
type Catalog struct {
	Tree       *OrgTree
	Clusters   []Cluster
	Indicators []Indicator
	Targets    []Target
	Holidays   []Holiday
	Documents  []Document

	indicators map[string]int
	// index lists the targets of each org and indicator; SetTargets builds it. An index that is not
	// of the current Targets (a slice assigned directly) is not used.
	index *targetIndex
}

// targetIndex is the positions in Targets of each (org, indicator)'s targets, for the Targets slice
// it was built from. It is never modified once built.
type targetIndex struct {
	base *Target
	n    int
	by   map[[2]string][]int
}

// SetTargets replaces the catalog's targets and indexes them by org and indicator for
// ApplicableTargetOf. Like any change to the catalog, it is made before the catalog is shared or
// under the owner's lock.
func (c *Catalog) SetTargets(ts []Target) {
	c.Targets = ts
	idx := &targetIndex{n: len(ts), by: map[[2]string][]int{}}
	if len(ts) > 0 {
		idx.base = &ts[0]
	}
	for i := range ts {
		k := [2]string{ts[i].Org, ts[i].Indicator}
		idx.by[k] = append(idx.by[k], i)
	}
	c.index = idx
}

// targetsOf returns the positions in c.Targets of org's targets for indicator, in order, and false
// when the targets are not indexed (set without SetTargets).
func (c *Catalog) targetsOf(org, indicator string) ([]int, bool) {
	idx := c.index
	if idx == nil || idx.n != len(c.Targets) || (len(c.Targets) > 0 && idx.base != &c.Targets[0]) {
		return nil, false
	}
	return idx.by[[2]string{org, indicator}], true
}

// ApplicableTargetOf is ApplicableTarget over the catalog's targets, through the index of SetTargets
// when there is one: it runs for every county, indicator and month of a report.
func (c *Catalog) ApplicableTargetOf(org, indicator string, m Period) (Target, bool) {
	at, ok := c.targetsOf(org, indicator)
	if !ok {
		return ApplicableTarget(c.Targets, org, indicator, m)
	}
	best := -1
	for _, i := range at {
		t := &c.Targets[i]
		if t.Org != org || t.Indicator != indicator || !t.InForce(m) {
			continue
		}
		if best < 0 || preferTarget(*t, c.Targets[best]) {
			best = i
		}
	}
	if best < 0 {
		return Target{}, false
	}
	return c.Targets[best], true
}

// Document is one of the policy documents the seed data cites.
type Document struct {
	Key    string `yaml:"key" json:"key"`
	Title  string `yaml:"title" json:"title"`
	Number string `yaml:"number,omitempty" json:"number,omitempty"`
	Issuer string `yaml:"issuer" json:"issuer"`
	Date   string `yaml:"date" json:"date"`
}

// Indicator returns the indicator with the given code.
func (c *Catalog) Indicator(code string) (Indicator, bool) {
	if c.indicators == nil || len(c.indicators) != len(c.Indicators) {
		c.indicators = make(map[string]int, len(c.Indicators))
		for i, ind := range c.Indicators {
			c.indicators[ind.Code] = i
		}
	}
	i, ok := c.indicators[code]
	if !ok {
		return Indicator{}, false
	}
	return c.Indicators[i], true
}

// ReturnIndicators returns the indicators counties fill in the 集群指标 sheet, in catalog order.
func (c *Catalog) ReturnIndicators() []Indicator {
	var out []Indicator
	for _, ind := range c.Indicators {
		if ind.Reported() {
			out = append(out, ind)
		}
	}
	return out
}

// ClustersOf returns the clusters of county org.
func (c *Catalog) ClustersOf(org string) []Cluster { return ClustersOf(c.Clusters, org) }

// Calendar returns the working calendar of the holiday table.
func (c *Catalog) Calendar() *Calendar { return NewCalendar(c.Holidays) }

// TargetsFor returns the targets of org for indicator, ordered by due date.
func (c *Catalog) TargetsFor(org, indicator string) []Target {
	var out []Target
	for _, t := range c.Targets {
		if t.Org == org && t.Indicator == indicator {
			out = append(out, t)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Due.Before(out[j].Due) })
	return out
}
