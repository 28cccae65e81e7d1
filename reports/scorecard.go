package reports

import (
	"fmt"
	"strings"
	"time"

	"lingpao"
)

// Scorecard is a county's 体检表 (PRODUCT §8.4): one page with its indicators against their targets,
// their status and rank among the counties, its composite standing, the subjects under supervision,
// its reporting month by month, and its clusters.
type Scorecard struct {
	Org    string `json:"org"`
	Name   string `json:"name"`
	City   string `json:"city"`
	Issuer string `json:"issuer"`
	Title  string `json:"title"`
	Date   string `json:"date"`
	// Provenance is the report's, with only the county's own source.
	Provenance Provenance `json:"provenance"`
	Errata     string     `json:"errata,omitempty"`
	// Summary is a short paragraph on where the county stands.
	Summary string `json:"summary"`
	// Rows are the indicators the county is measured on (those with a target), with Of counties ranked.
	Rows []ScoreLine `json:"rows"`
	// Standing is the county's composite standing among Ranked counties.
	Standing RankRow `json:"standing"`
	Ranked   int     `json:"ranked"`
	// Ladder are the county's subjects under supervision.
	Ladder []LadderRow `json:"ladder"`
	// Reporting is the county's reporting for each month of the year up to the report's last.
	Reporting []MonthReport `json:"reporting"`
	Clusters  []ClusterRow  `json:"clusters"`
	Note      string        `json:"note"`
	// StatusRule states the status rule in force.
	StatusRule string `json:"status_rule"`
}

// ScoreLine is one indicator of a scorecard.
type ScoreLine struct {
	Indicator lingpao.Indicator `json:"indicator"`
	Row       Row               `json:"row"`
	// Of is how many counties are ranked on the indicator.
	Of int `json:"of"`
}

// MonthReport is a county's reporting of one month.
type MonthReport struct {
	Month    lingpao.Period      `json:"-"`
	Label    string              `json:"month"`
	State    lingpao.ReportState `json:"state"`
	Received time.Time           `json:"received,omitzero"`
}

// Short is the state in a word or two, for the scorecard's month strip: 按时, 逾期, 未报, 退回, 合并, —.
func (r MonthReport) Short() string {
	switch r.State {
	case lingpao.ReportOnTime:
		return "按时"
	case lingpao.ReportLate:
		return "逾期"
	case lingpao.ReportMissing:
		return "未报"
	case lingpao.ReportRejected:
		return "退回"
	case lingpao.ReportMerged:
		return "合并"
	}
	return Placeholder
}

// BuildScorecards builds the 体检表 of every county of the city (the tables, ranking and ladder are
// computed once for all), or only of the counties listed by code.
func BuildScorecards(in Input, only ...string) []*Scorecard {
	counties := in.counties()
	groups := in.groups(counties)
	tables := allTables(groups)
	rk := in.ranking(tables)
	ladder := in.ladder()
	clusters := in.clusters()
	var rates []lingpao.ReportingRate
	for m := lingpao.MonthOf(in.Period.LastMonth().Year, 1); !in.Period.LastMonth().Before(m); m = m.Add(1) {
		rates = append(rates, in.reportingOf(counties, m))
	}
	ranked := 0
	for _, r := range rk.Rows {
		if r.Rank > 0 {
			ranked++
		}
	}
	want := map[string]bool{}
	for _, o := range only {
		want[o] = true
	}
	prov := in.provenance(counties)
	var out []*Scorecard
	for ci, c := range counties {
		if len(want) > 0 && !want[c.Code] {
			continue
		}
		sc := &Scorecard{Org: c.Code, Name: c.Name, City: in.cityName(), Issuer: in.Config.IssuingUnit, Date: lingpao.FormatDateCN(in.Generated),
			Title: fmt.Sprintf("%s县域特色产业集群发展体检表", c.Name), Ranked: ranked, StatusRule: StatusRule(in.Config.Progress.Thresholds)}
		sc.Provenance = prov
		sc.Provenance.Sources, sc.Provenance.Missing = nil, nil
		for _, s := range prov.Sources {
			if s.Org == c.Code {
				sc.Provenance.Sources = append(sc.Provenance.Sources, s)
			}
		}
		if len(sc.Provenance.Sources) == 0 {
			sc.Provenance.Missing = []string{c.Name}
		}
		sc.Errata = ErrataNote(sc.Provenance)
		for _, t := range tables {
			r := t.Rows[ci]
			if !r.A.HasTarget {
				continue
			}
			of := 0
			for _, x := range t.Rows {
				if x.A.Rank > 0 {
					of++
				}
			}
			sc.Rows = append(sc.Rows, ScoreLine{Indicator: t.Indicator, Row: r, Of: of})
		}
		sc.Standing, _ = rk.Of(c.Code)
		sc.Ladder = ladder.Of(c.Code)
		for _, r := range rates {
			cr := r.Counties[ci]
			mr := MonthReport{Month: r.Month, Label: fmt.Sprintf("%d月", r.Month.N), State: cr.State}
			if cr.First != nil {
				mr.Received = cr.First.ReceivedAt
			}
			sc.Reporting = append(sc.Reporting, mr)
		}
		for _, cl := range clusters {
			if cl.Cluster.Org == c.Code {
				sc.Clusters = append(sc.Clusters, cl)
			}
		}
		sc.Summary = sc.summary(in.Period)
		sc.Note = ProvenanceNote(sc.Provenance, "表")
		out = append(out, sc)
	}
	return out
}

// Figures are the scorecard's figures, for editions.
func (sc *Scorecard) Figures() []Figure {
	var fs []Figure
	for _, l := range sc.Rows {
		fs = append(fs, tableFigures([]Table{{Indicator: l.Indicator, Total: l.Row}})...)
	}
	if sc.Standing.Rank > 0 {
		fs = append(fs, Figure{Org: sc.Org, Name: sc.Name, Item: "综合得分", Text: ScoreText(sc.Standing.Score.Score)})
	}
	return fs
}

// summary words the county's standing in a few sentences.
func (sc *Scorecard) summary(p lingpao.Period) string {
	m := p.LastMonth()
	var b strings.Builder
	fmt.Fprintf(&b, "截至%d年%d月底，%s纳入考核的%d项指标中", m.Year, m.N, sc.Name, len(sc.Rows))
	counts := map[lingpao.Status]int{}
	for _, l := range sc.Rows {
		counts[l.Row.A.Status]++
	}
	var bits []string
	for _, st := range []lingpao.Status{lingpao.StatusAhead, lingpao.StatusOnTrack, lingpao.StatusBehind, lingpao.StatusFarBehind, lingpao.StatusMissing, lingpao.StatusMerged, lingpao.StatusNoTarget} {
		if counts[st] > 0 {
			bits = append(bits, fmt.Sprintf("%s%d项", st.Label(), counts[st]))
		}
	}
	if len(bits) == 0 {
		bits = append(bits, "暂无可评价的指标")
	}
	b.WriteString("，" + strings.Join(bits, "、"))
	if sc.Standing.Rank > 0 {
		fmt.Fprintf(&b, "；综合得分%s，在全市%d个县（市、区）中列%s", ScoreText(sc.Standing.Score.Score), sc.Ranked, ordinal(sc.Standing.Rank))
		if mv := lingpao.MoveArrow(sc.Standing.PrevRank, sc.Standing.Rank); mv != "" && mv != "→" {
			if sc.Standing.Move > 0 {
				fmt.Fprintf(&b, "，比上期上升%d位", sc.Standing.Move)
			} else {
				fmt.Fprintf(&b, "，比上期下降%d位", -sc.Standing.Move)
			}
		}
	}
	b.WriteString("。")
	if len(sc.Ladder) > 0 {
		top := sc.Ladder[0]
		fmt.Fprintf(&b, "目前有%d项督办事项，最高为“%s”（%s）。", len(sc.Ladder), top.Level.Label(), top.Item)
	} else {
		b.WriteString("目前没有督办事项。")
	}
	late, miss := 0, 0
	for _, r := range sc.Reporting {
		switch r.State {
		case lingpao.ReportLate:
			late++
		case lingpao.ReportMissing, lingpao.ReportRejected:
			miss++
		}
	}
	switch {
	case late == 0 && miss == 0:
		fmt.Fprintf(&b, "%d年报表均按时报送。", m.Year)
	default:
		fmt.Fprintf(&b, "%d年以来报表逾期%d次、未报送%d次。", m.Year, late, miss)
	}
	return b.String()
}

// WithEdition returns a copy of the scorecard as edition n, correcting an edition generated at
// revises with errata: BuildScorecards makes every county's card at once, and each card has its own
// editions.
func (sc *Scorecard) WithEdition(n int, errata []Correction, revises time.Time) *Scorecard {
	c := *sc
	c.Provenance.Edition, c.Provenance.Errata, c.Provenance.RevisesDate = max(n, 1), errata, revises
	c.Errata = ErrataNote(c.Provenance)
	c.Note = ProvenanceNote(c.Provenance, "表")
	return &c
}
