package reports

import (
	"fmt"

	"lingpao"
)

// Bulletin is the content of the 季度通报 (PRODUCT §8.2), also used for an ad-hoc monthly 通报 and as
// the body of the 半年总结: a government 简报 with its title block, the 更正说明 of a revised edition,
// the narrative section by section, and the tables, charts and lists behind it.
type Bulletin struct {
	// Kind is what the document calls itself in its notes: 通报, 总结.
	Kind       string     `json:"kind"`
	Masthead   string     `json:"masthead"`
	Issue      string     `json:"issue"`
	Issuer     string     `json:"issuer"`
	Date       string     `json:"date"`
	Title      string     `json:"title"`
	Provenance Provenance `json:"provenance"`
	// Errata is the 更正说明 of a revised edition ("" for the first).
	Errata string `json:"errata,omitempty"`
	// Overview is the 总体情况; Tables the headline indicators' tables.
	Overview []string `json:"overview"`
	Tables   []Table  `json:"tables"`
	// Counties has a section per headline indicator with county targets: its chart and table, and a
	// paragraph on the best and the lagging counties.
	Counties []CountySection `json:"counties"`
	// Clusters are the clusters' figures with a paragraph on the leading ones.
	Clusters     []ClusterRow `json:"clusters"`
	ClustersText string       `json:"clusters_text"`
	// Ranking is the composite ranking (红黑榜) and RankingText its paragraph.
	Ranking     Ranking `json:"ranking"`
	RankingText string  `json:"ranking_text"`
	// Ladder is the 督办 list and LadderText its paragraph.
	Ladder     Ladder `json:"ladder"`
	LadderText string `json:"ladder_text"`
	// Reporting is the last month's reporting rate and ReportingText its paragraph.
	Reporting     lingpao.ReportingRate `json:"reporting"`
	ReportingText string                `json:"reporting_text"`
	// Requirements are the 下一步工作要求.
	Requirements []string `json:"requirements"`
	// Note is the data note (period, cut-off, versions).
	Note string `json:"note"`
	// StatusRule states the status rule in force.
	StatusRule string `json:"status_rule"`
}

// CountySection is one headline indicator across the counties.
type CountySection struct {
	Table Table  `json:"table"`
	Text  string `json:"text"`
}

// BuildBulletin builds the bulletin for in.Period: a quarter (季度通报) or, ad hoc, a month.
func BuildBulletin(in Input) *Bulletin {
	return in.bulletin(fmt.Sprintf("关于%s全市县域特色产业集群发展情况的通报", in.Period.Label()), "通报")
}

// bulletin builds a bulletin with the given title; kind is how its note names it.
func (in Input) bulletin(title, kind string) *Bulletin {
	counties := in.counties()
	groups := in.groups(counties)
	b := &Bulletin{
		Kind:       kind,
		Masthead:   in.Config.Masthead,
		Issue:      issueNumber(in.Period),
		Issuer:     in.Config.IssuingUnit,
		Date:       lingpao.FormatDateCN(in.Generated),
		Title:      title,
		Provenance: in.provenance(counties),
		Tables:     headline(groups),
		Clusters:   in.clusters(),
		Ranking:    in.ranking(allTables(groups)),
		Ladder:     in.ladder(),
		Reporting:  in.reporting(counties),
	}
	b.Errata = ErrataNote(b.Provenance)
	b.StatusRule = StatusRule(in.Config.Progress.Thresholds)
	b.Overview = in.overview(b.Tables)
	for _, t := range b.Tables {
		if t.HasCountyTargets() {
			b.Counties = append(b.Counties, CountySection{Table: t, Text: countyText(t)})
		}
	}
	b.ClustersText = in.clustersText(b.Clusters)
	b.RankingText = rankingText(b.Ranking, in.Config.Dispatch.Ranking)
	b.LadderText = ladderText(b.Ladder, in.Period)
	b.ReportingText = reportingText(in, b.Reporting)
	b.Requirements = requirements(in, b.Tables, b.Ladder, b.Reporting)
	b.Note = ProvenanceNote(b.Provenance, kind)
	return b
}

// Figures are the bulletin's figures, for editions.
func (b *Bulletin) Figures() []Figure {
	return append(tableFigures(b.Tables), rankFigures(b.Ranking)...)
}

// issueNumber is 第N期: the bulletin's number within the year — the quarter, the half or the month.
func issueNumber(p lingpao.Period) string {
	switch p.Kind {
	case lingpao.Quarter, lingpao.Month, lingpao.Half:
		return fmt.Sprintf("%d年第%d期", p.Year, p.N)
	}
	return fmt.Sprintf("%d年第1期", p.Year)
}

// TopClusters returns the clusters with the largest value of indicator code, at most n, largest first.
func TopClusters(rows []ClusterRow, code string, n int) []ClusterRow {
	var out []ClusterRow
	for _, r := range rows {
		if _, ok := r.Values[code]; ok {
			out = append(out, r)
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].Values[code] > out[j-1].Values[code]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// clustersText words the clusters' revenue: the city's total and growth, the largest clusters and the
// fastest growing.
func (in Input) clustersText(rows []ClusterRow) string {
	rev, ok1 := in.Catalog.Indicator("revenue_ytd")
	gr, ok2 := in.Catalog.Indicator("revenue_growth")
	if !ok1 || !ok2 {
		return ""
	}
	reported := 0
	for _, r := range rows {
		if _, ok := r.Values["revenue_ytd"]; ok {
			reported++
		}
	}
	if reported == 0 {
		return ""
	}
	m := in.Period.LastMonth()
	total := lingpao.Assess(in.Catalog, in.Data, in.Config.City, rev, m, in.Config.ProgressOptions())
	growth := lingpao.Assess(in.Catalog, in.Data, in.Config.City, gr, m, in.Config.ProgressOptions())
	s := fmt.Sprintf("%s，全市%d个特色产业集群报送了营业收入", periodPhrase(in.Period), reported)
	if total.Actual.OK {
		s = fmt.Sprintf("%s，全市特色产业集群实现营业收入%s亿元", periodPhrase(in.Period), lingpao.FormatNumber(total.Actual.Value, 2))
	}
	if growth.Actual.OK {
		dir := "增长"
		if growth.Actual.Value < 0 {
			dir = "下降"
		}
		s += fmt.Sprintf("，同比%s%s%%", dir, lingpao.FormatNumber(abs(growth.Actual.Value), 1))
	}
	var big []string
	for _, r := range TopClusters(rows, "revenue_ytd", 3) {
		big = append(big, fmt.Sprintf("%s（%s亿元）", r.Cluster.Name, lingpao.FormatNumber(r.Values["revenue_ytd"], 2)))
	}
	s += "。营业收入居前的集群是" + joinCN(big)
	var fast []string
	for _, r := range TopClusters(rows, "revenue_growth", 3) {
		fast = append(fast, fmt.Sprintf("%s（%s%%）", r.Cluster.Name, lingpao.FormatNumber(r.Values["revenue_growth"], 1)))
	}
	if len(fast) > 0 {
		s += "；同比增速居前的是" + joinCN(fast)
	}
	return s + "。"
}

func joinCN(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += "、"
		}
		out += s
	}
	return out
}

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}
