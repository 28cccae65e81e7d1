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
