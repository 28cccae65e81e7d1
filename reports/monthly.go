package reports

import (
	"fmt"
	"sort"

	"lingpao"
)

// Monthly is the content of the 月调度表 (PRODUCT §8.1).
type Monthly struct {
	// Period is the report's period.
	Period     lingpao.Period `json:"-"`
	Title      string         `json:"title"`
	City       string         `json:"city"`
	Issuer     string         `json:"issuer"`
	Provenance Provenance     `json:"provenance"`
	// Overview is the narrative of the overview sheet: the city's headline figures.
	Overview []string `json:"overview"`
	// Headline holds the headline indicators' tables (the overview shows their city totals).
	Headline  []Table               `json:"headline"`
	Groups    []Group               `json:"groups"`
	Reporting lingpao.ReportingRate `json:"reporting"`
	Clusters  []ClusterRow          `json:"clusters"`
	// Ranking is the composite ranking with the 红榜 and 黑榜; Ladder the 督办清单.
	Ranking Ranking `json:"ranking"`
	Ladder  Ladder  `json:"ladder"`
	// Roster is the merged enterprise roster of the returns in force; Issues the 问题台账 with its
	// summary.
	Roster []RosterLine `json:"roster"`
	Issues IssueSummary `json:"issues"`
	// Rules are the rules in force with their configured values and Indicators how each indicator is
	// measured (the 口径说明 sheet).
	Rules      []RuleLine      `json:"rules"`
	Indicators []IndicatorRule `json:"indicators"`
	// StatusRule states the status rule in force, for the notes of the sheets.
	StatusRule string `json:"status_rule"`
}

// ClusterRow is one cluster's reported figures for the month.
type ClusterRow struct {
	County  string             `json:"county"`
	Cluster lingpao.Cluster    `json:"cluster"`
	Values  map[string]float64 `json:"values"`
	// Reported is false when the county has no return for the month; Merged when that is a January
	// reported with February (1–2月合并).
	Reported bool `json:"reported"`
	Merged   bool `json:"merged,omitempty"`
}

// NoValue is what a cluster's cell without a figure reads: 未报送, or 1–2月合并.
func (r ClusterRow) NoValue() string {
	if r.Merged {
		return lingpao.StatusMerged.Label()
	}
	return lingpao.StatusMissing.Label()
}

// ClusterIndicators are the cluster sheet's columns, in order.
var ClusterIndicators = []string{"revenue_ytd", "revenue_growth", "srdi_sme", "little_giant", "leader_firms", "invention_patents_new", "leader_rnd_ratio"}

// RosterLine is one enterprise of the merged roster, with its county's and cluster's names.
type RosterLine struct {
	County  string `json:"county"`
	Cluster string `json:"cluster"`
	lingpao.Enterprise
}

// IssueSummary is the 问题台账 of the month: every open or closed issue the counties raised, and how
// many there are by status and by category.
type IssueSummary struct {
	Rows       []IssueLine `json:"rows"`
	ByStatus   []Count     `json:"by_status"`
	ByCategory []Count     `json:"by_category"`
}

// IssueLine is one issue with its county's name.
type IssueLine struct {
	County string `json:"county"`
	lingpao.Issue
}

// Count is a labelled count.
type Count struct {
	Label string `json:"label"`
	N     int    `json:"n"`
}

// BuildMonthly builds the monthly dispatch workbook's content for in.Period: a month, or a quarter, half
// or year, measured at its last month (the workbook of the 季度通报, 半年总结 and 年终考核).
func BuildMonthly(in Input) *Monthly {
	counties := in.counties()
	groups := in.groups(counties)
	title := fmt.Sprintf("%s县域特色产业集群月调度表（%s）", in.cityName(), in.Period.LastMonth().Label())
	if in.Period.Kind != lingpao.Month {
		title = fmt.Sprintf("%s县域特色产业集群发展情况（%s）", in.cityName(), in.Period.Label())
	}
	mo := &Monthly{
		Period:     in.Period,
		Title:      title,
		City:       in.cityName(),
		Issuer:     in.Config.IssuingUnit,
		Provenance: in.provenance(counties),
		Groups:     groups,
		Headline:   headline(groups),
		Reporting:  in.reporting(counties),
		Clusters:   in.clusters(),
		Ranking:    in.ranking(allTables(groups)),
		Ladder:     in.ladder(),
		Roster:     in.roster(),
		Issues:     in.issues(),
		Rules:      in.rules(),
		StatusRule: StatusRule(in.Config.Progress.Thresholds),
		Indicators: in.indicatorRules(allTables(groups)),
	}
	mo.Overview = in.overview(mo.Headline)
	return mo
}

// Figures are the monthly workbook's figures, for editions.
func (mo *Monthly) Figures() []Figure {
	return append(tableFigures(allTables(mo.Groups)), rankFigures(mo.Ranking)...)
}

// rankFigures are the composite scores.
func rankFigures(rk Ranking) []Figure {
	var out []Figure
	for _, r := range rk.Rows {
		if r.Rank > 0 {
			out = append(out, Figure{Org: r.Org, Name: r.Name, Item: "综合得分", Text: ScoreText(r.Score.Score)})
		}
	}
	return out
}

// clusters returns every cluster's reported figures for the report's last month.
func (in Input) clusters() []ClusterRow {
	m := in.Period.LastMonth()
	var out []ClusterRow
	for _, c := range in.counties() {
		_, reported := in.Data.Reported(c.Code, m)
		for _, cl := range in.Catalog.ClustersOf(c.Code) {
			row := ClusterRow{County: c.Name, Cluster: cl, Values: map[string]float64{}, Reported: reported,
				Merged: !reported && in.Config.MergeJanFeb && m.N == 1}
			for _, code := range ClusterIndicators {
				ind, ok := in.Catalog.Indicator(code)
				if !ok {
					continue
				}
				if a := in.Data.Actual(in.Catalog, ind, []string{c.Code}, cl.Code, m); a.OK {
					row.Values[code] = a.Value
				}
			}
			out = append(out, row)
		}
	}
	return out
}

// roster merges the enterprise rosters of the returns in force, by county in seed order and row.
func (in Input) roster() []RosterLine {
	order := map[string]int{}
	for i, c := range in.counties() {
		order[c.Code] = i
	}
	clusterName := map[string]string{}
	for _, cl := range in.Catalog.Clusters {
		clusterName[cl.Code] = cl.Name
	}
	rs := append([]RosterEntry(nil), in.Roster...)
	sort.SliceStable(rs, func(i, j int) bool {
		if order[rs[i].Org] != order[rs[j].Org] {
			return order[rs[i].Org] < order[rs[j].Org]
		}
		return rs[i].Row < rs[j].Row
	})
	out := make([]RosterLine, 0, len(rs))
	for _, r := range rs {
		if _, ok := order[r.Org]; !ok {
			continue
		}
		cl := clusterName[r.Cluster]
		if cl == "" {
			cl = r.Cluster
		}
		out = append(out, RosterLine{County: in.name(r.Org), Cluster: cl, Enterprise: r.Enterprise})
	}
	return out
}

// issues summarises the 问题台账 rows of the returns in force.
func (in Input) issues() IssueSummary {
	order := map[string]int{}
	for i, c := range in.counties() {
		order[c.Code] = i
	}
	is := append([]IssueEntry(nil), in.Issues...)
	sort.SliceStable(is, func(i, j int) bool {
		if order[is[i].Org] != order[is[j].Org] {
			return order[is[i].Org] < order[is[j].Org]
		}
		return is[i].Row < is[j].Row
	})
	var s IssueSummary
	status, category := map[string]int{}, map[string]int{}
	var sOrder, cOrder []string
	for _, e := range is {
		if _, ok := order[e.Org]; !ok {
			continue
		}
		s.Rows = append(s.Rows, IssueLine{County: in.name(e.Org), Issue: e.Issue})
		st := orDash(e.Status)
		if status[st] == 0 {
			sOrder = append(sOrder, st)
		}
		status[st]++
		ca := orDash(e.Category)
		if category[ca] == 0 {
			cOrder = append(cOrder, ca)
		}
		category[ca]++
	}
	// Statuses in the order of the ledger's life cycle (征集→交办→办理→办结销号), others after.
	rankOf := map[string]int{}
	for i, st := range lingpao.IssueStatuses {
		rankOf[st] = i + 1
	}
	sort.SliceStable(sOrder, func(i, j int) bool {
		ri, rj := rankOf[sOrder[i]], rankOf[sOrder[j]]
		if ri == 0 {
			ri = 99
		}
		if rj == 0 {
			rj = 99
		}
		return ri < rj
	})
	for _, st := range sOrder {
		s.ByStatus = append(s.ByStatus, Count{Label: st, N: status[st]})
	}
	for _, ca := range cOrder {
		s.ByCategory = append(s.ByCategory, Count{Label: ca, N: category[ca]})
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "未填写"
	}
	return s
}
