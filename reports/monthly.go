package reports

import (
	"fmt"

	"lingpao"
)

// Monthly is the content of the 月调度表 (PRODUCT §8.1).
type Monthly struct {
	Title      string     `json:"title"`
	City       string     `json:"city"`
	Issuer     string     `json:"issuer"`
	Provenance Provenance `json:"provenance"`
	// Headline holds the headline indicators' tables (the overview shows their city totals).
	Headline  []Table               `json:"headline"`
	Groups    []Group               `json:"groups"`
	Reporting lingpao.ReportingRate `json:"reporting"`
	Clusters  []ClusterRow          `json:"clusters"`
}

// ClusterRow is one cluster's reported figures for the month.
type ClusterRow struct {
	County  string             `json:"county"`
	Cluster lingpao.Cluster    `json:"cluster"`
	Values  map[string]float64 `json:"values"`
	// Reported is false when the county has no return for the month.
	Reported bool `json:"reported"`
}

// ClusterIndicators are the cluster sheet's columns, in order.
var ClusterIndicators = []string{"revenue_ytd", "revenue_growth", "srdi_sme", "little_giant", "leader_firms", "invention_patents_new", "leader_rnd_ratio"}

// BuildMonthly builds the monthly dispatch workbook's content for in.Period (a month, or the last month
// of a longer period).
func BuildMonthly(in Input) *Monthly {
	counties := in.Catalog.Tree.Counties(in.Config.City)
	cityName := in.Catalog.Tree.Name(in.Config.City)
	mo := &Monthly{
		Title:      fmt.Sprintf("%s县域特色产业集群月调度表（%s）", cityName, in.Period.LastMonth().Label()),
		City:       cityName,
		Issuer:     in.Config.IssuingUnit,
		Provenance: in.provenance(counties),
		Groups:     in.groups(counties),
		Reporting:  in.reporting(counties),
	}
	for _, g := range mo.Groups {
		for _, t := range g.Tables {
			if t.Indicator.Headline {
				mo.Headline = append(mo.Headline, t)
			}
		}
	}
	m := in.Period.LastMonth()
	for _, c := range counties {
		_, reported := in.Data.Reported(c.Code, m)
		for _, cl := range in.Catalog.ClustersOf(c.Code) {
			row := ClusterRow{County: c.Name, Cluster: cl, Values: map[string]float64{}, Reported: reported}
			for _, code := range ClusterIndicators {
				ind, ok := in.Catalog.Indicator(code)
				if !ok {
					continue
				}
				if a := in.Data.Actual(in.Catalog, ind, []string{c.Code}, cl.Code, m); a.OK {
					row.Values[code] = a.Value
				}
			}
			mo.Clusters = append(mo.Clusters, row)
		}
	}
	return mo
}
