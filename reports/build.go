// Package reports builds the content of lingpao's reports — tables, rankings and narrative — from the
// catalog and the stored returns. Renderers beneath it (reports/xlsx, reports/pdf) turn that content
// into files; nothing here knows about file formats.
package reports

import (
	"time"

	"lingpao"
)

// Input is everything a report is built from. Building is pure: the same Input gives the same report.
type Input struct {
	Catalog *lingpao.Catalog
	Config  lingpao.Config
	// Data holds the submissions in force at CutOff, for the report's year and the year before.
	Data *lingpao.DataSet
	// Sources is the submission in force per "org/period", as LoadDataSet returns it.
	Sources map[string]lingpao.Submission
	// Submissions are all files received for the report's months (any status), for the reporting rate.
	Submissions []lingpao.Submission
	Period      lingpao.Period
	// CutOff is the data cut-off: only files received by then count.
	CutOff time.Time
	// Generated is when the report is made; Version is lingpao's version.
	Generated time.Time
	Version   string
	// TargetsVersion is the targets version the catalog's targets come from.
	TargetsVersion int
	// Edition numbers the report's editions for the period: 1, then revisions.
	Edition int
}

// Source is the submission one county contributed to a report.
type Source struct {
	Org        string    `json:"org"`
	Name       string    `json:"name"`
	Submission int64     `json:"submission"`
	Version    int       `json:"version"`
	File       string    `json:"file"`
	ReceivedAt time.Time `json:"received_at"`
}

// Provenance says what a report is made of (PRODUCT §8): period, cut-off, the submission version
// each county contributed, the targets version and lingpao's version.
type Provenance struct {
	Period         string    `json:"period"`
	PeriodLabel    string    `json:"period_label"`
	CutOff         time.Time `json:"cutoff"`
	Generated      time.Time `json:"generated"`
	Version        string    `json:"lingpao_version"`
	TargetsVersion int       `json:"targets_version"`
	Edition        int       `json:"edition"`
	Sources        []Source  `json:"sources"`
	Missing        []string  `json:"missing,omitempty"`
}

func (in Input) provenance(counties []lingpao.OrgUnit) Provenance {
	m := in.Period.LastMonth()
	p := Provenance{Period: in.Period.String(), PeriodLabel: in.Period.Label(), CutOff: in.CutOff, Generated: in.Generated,
		Version: in.Version, TargetsVersion: in.TargetsVersion, Edition: max(in.Edition, 1)}
	for _, c := range counties {
		s, ok := in.Sources[c.Code+"/"+m.String()]
		if !ok {
			p.Missing = append(p.Missing, c.Name)
			continue
		}
		p.Sources = append(p.Sources, Source{Org: c.Code, Name: c.Name, Submission: s.ID, Version: s.Version, File: s.FileName, ReceivedAt: s.ReceivedAt})
	}
	return p
}

// Row is one org unit's line in an indicator table.
type Row struct {
	Org  string             `json:"org"`
	Name string             `json:"name"`
	A    lingpao.Assessment `json:"assessment"`
	// PrevRank is the rank in the previous period (0: not ranked then); Move is PrevRank − Rank
	// (positive = moved up).
	PrevRank int `json:"prev_rank,omitempty"`
	Move     int `json:"move,omitempty"`
}

// Table is one indicator's table: the city total and a row per county, ranked.
type Table struct {
	Indicator lingpao.Indicator `json:"indicator"`
	Total     Row               `json:"total"`
	Rows      []Row             `json:"rows"`
}

// Group is an indicator group (one sheet of the monthly workbook).
type Group struct {
	Name   string  `json:"name"`
	Tables []Table `json:"tables"`
}

// indicatorsForReport returns the indicators worth reporting for the city at month m: those with a
// target for the city or any of its counties in force, in catalog order.
func (in Input) indicatorsForReport(counties []lingpao.OrgUnit) []lingpao.Indicator {
	m := in.Period.LastMonth()
	var out []lingpao.Indicator
	for _, ind := range in.Catalog.Indicators {
		if ind.Source == lingpao.SourceCity {
			continue
		}
		if _, ok := lingpao.TargetFor(in.Catalog, in.Config.City, ind, m); ok {
			out = append(out, ind)
			continue
		}
		for _, c := range counties {
			if _, ok := lingpao.ApplicableTarget(in.Catalog.Targets, c.Code, ind.Code, m); ok {
				out = append(out, ind)
				break
			}
		}
	}
	return out
}

// table assesses ind for the city and each county at period p, ranks counties by completion and sets
// the movement against the previous period.
func (in Input) table(ind lingpao.Indicator, counties []lingpao.OrgUnit, p lingpao.Period) Table {
	opt := in.Config.Progress
	t := Table{Indicator: ind}
	t.Total = Row{Org: in.Config.City, Name: "全市合计", A: lingpao.Assess(in.Catalog, in.Data, in.Config.City, ind, p, opt)}
	cur := make([]Row, 0, len(counties))
	prev := make([]Row, 0, len(counties))
	for _, c := range counties {
		cur = append(cur, Row{Org: c.Code, Name: c.Name, A: lingpao.Assess(in.Catalog, in.Data, c.Code, ind, p, opt)})
		prev = append(prev, Row{Org: c.Code, A: lingpao.Assess(in.Catalog, in.Data, c.Code, ind, p.Prev(), opt)})
	}
	rank(cur)
	rank(prev)
	for i := range cur {
		if pr := prev[i].A.Rank; pr > 0 && cur[i].A.Rank > 0 {
			cur[i].PrevRank, cur[i].Move = pr, pr-cur[i].A.Rank
		}
	}
	t.Rows = cur
	return t
}

// rank sets Rank on measured rows by completion, best first, with lingpao.RankAssessments: equal
// completions (at six decimals) share a rank.
func rank(rows []Row) {
	as := make([]lingpao.Assessment, len(rows))
	for i, r := range rows {
		as[i] = r.A
	}
	lingpao.RankAssessments(as)
	for i := range rows {
		rows[i].A.Rank = as[i].Rank
	}
}

// groups builds one Group per indicator group, in catalog order.
func (in Input) groups(counties []lingpao.OrgUnit) []Group {
	var gs []Group
	at := map[string]int{}
	for _, ind := range in.indicatorsForReport(counties) {
		i, ok := at[ind.Group]
		if !ok {
			i = len(gs)
			at[ind.Group] = i
			gs = append(gs, Group{Name: ind.Group})
		}
		gs[i].Tables = append(gs[i].Tables, in.table(ind, counties, in.Period))
	}
	return gs
}

// reporting computes the reporting rate of the city's counties for the report's last month.
func (in Input) reporting(counties []lingpao.OrgUnit) lingpao.ReportingRate {
	return lingpao.ComputeReporting(counties, in.Period.LastMonth(), in.Submissions, in.Catalog.Calendar(), in.Config.DeadlineDay, in.Config.MergeJanFeb, in.CutOff)
}
