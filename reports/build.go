// Package reports builds the content of lingpao's reports — tables, rankings, the 督办 list and the
// narrative — from the catalog and the stored returns: the 月调度表, the 季度通报, the 半年总结, the
// 年终考核 and the county 体检表 (PRODUCT §8). Renderers beneath it (reports/xlsx, reports/pdf) turn
// that content into files; nothing here knows about file formats. Building is pure: the same Input
// gives the same content.
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
	// Submissions are all files received for the report's months (any status), for the reporting rate;
	// the scorecard and the annual assessment look at every month of the year up to the last.
	Submissions []lingpao.Submission
	Period      lingpao.Period
	// CutOff is the data cut-off: only files received by then count.
	CutOff time.Time
	// Generated is when the report is made; Version is lingpao's version.
	Generated time.Time
	Version   string
	// TargetsVersion is the targets version the catalog's targets come from.
	TargetsVersion int
	// Edition numbers the report's editions for the period: 1, then revisions. Errata lists what the
	// edition corrects in the one before (Revises), which was generated at RevisesDate.
	Edition     int
	Errata      []Correction
	RevisesDate time.Time
	// Late are the returns this edition counts that the edition it revises did not have (补报).
	Late []LateReturn
	// Escalations are the ladder steps through the report's last month and LadderStates each ladder's
	// state after it, as computed at CutOff (jobs.ComputeLadderAt). Nil leaves the 督办 list empty.
	Escalations  []lingpao.Escalation
	LadderStates map[lingpao.LadderSubject]lingpao.LadderState
	// Roster and Issues are the enterprise rosters and 问题台账 rows of the returns in force for the
	// last month (those in Sources).
	Roster []RosterEntry
	Issues []IssueEntry
}

// RosterEntry is one enterprise of a county's roster.
type RosterEntry struct {
	Org string `json:"org"`
	lingpao.Enterprise
}

// IssueEntry is one row of a county's 问题台账.
type IssueEntry struct {
	Org string `json:"org"`
	lingpao.Issue
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
// each county contributed, the targets version and lingpao's version — and, for a revised edition,
// what it corrects.
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
	// Errata are the corrections of a revised edition; RevisesDate is when the edition it revises was
	// generated.
	Errata      []Correction `json:"errata,omitempty"`
	RevisesDate time.Time    `json:"revises_date,omitzero"`
	Late        []LateReturn `json:"late,omitempty"`
	// Names are the names of the city's counties by code, for the renderers.
	Names map[string]string `json:"-"`
}

// Name returns the name of county org, or its code.
func (p Provenance) Name(org string) string {
	if n := p.Names[org]; n != "" {
		return n
	}
	return org
}

// EditionLabel is 第N版.
func (p Provenance) EditionLabel() string { return "第" + itoa(p.Edition) + "版" }

func (in Input) provenance(counties []lingpao.OrgUnit) Provenance {
	m := in.Period.LastMonth()
	p := Provenance{Period: in.Period.String(), PeriodLabel: in.Period.Label(), CutOff: in.CutOff, Generated: in.Generated,
		Version: in.Version, TargetsVersion: in.TargetsVersion, Edition: max(in.Edition, 1), Errata: in.Errata, RevisesDate: in.RevisesDate, Late: in.Late,
		Names: map[string]string{}}
	for _, c := range counties {
		p.Names[c.Code] = c.Name
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
	// Blank names the clusters whose blank cells make a county that sent its return 未报送 for the
	// indicator.
	Blank []string `json:"blank,omitempty"`
}

// Table is one indicator's table: the city total and a row per county, ranked.
type Table struct {
	Indicator lingpao.Indicator `json:"indicator"`
	Total     Row               `json:"total"`
	Rows      []Row             `json:"rows"`
	// Note says what the city total did with the counties without a complete figure (CarryNote):
	// which were counted with an earlier month's figures, which left out, and why.
	Note string `json:"note,omitempty"`
	// prev are the counties' assessments of the period before, for the composite ranking's movement.
	prev []lingpao.Assessment
}

// Ranked returns the rows in rank order, the unranked (未报送, no target) after them in seed order.
func (t Table) Ranked() []Row {
	rows := append([]Row(nil), t.Rows...)
	for i := 1; i < len(rows); i++ {
		for j := i; j > 0 && rankedBefore(rows[j], rows[j-1]); j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
	return rows
}

func rankedBefore(a, b Row) bool {
	switch {
	case a.A.Rank > 0 && b.A.Rank > 0:
		return a.A.Rank < b.A.Rank
	case a.A.Rank > 0:
		return true
	}
	return false
}

// HasCountyTargets reports whether any county of the table is measured against a target.
func (t Table) HasCountyTargets() bool {
	for _, r := range t.Rows {
		if r.A.HasTarget {
			return true
		}
	}
	return false
}

// Group is an indicator group (one sheet of the monthly workbook).
type Group struct {
	Name   string  `json:"name"`
	Tables []Table `json:"tables"`
}

// indicatorsForReport returns the indicators worth reporting for the city at month m: those the
// counties' returns measure (lingpao.CountyIndicators) with a target for the city or any of its
// counties in force, in catalog order. Indicators the city keeps itself have no county figures.
func (in Input) indicatorsForReport(counties []lingpao.OrgUnit) []lingpao.Indicator {
	m := in.Period.LastMonth()
	var out []lingpao.Indicator
	for _, ind := range lingpao.CountyIndicators(in.Catalog) {
		if _, ok := lingpao.TargetFor(in.Catalog, in.Config.City, ind, m); ok {
			out = append(out, ind)
			continue
		}
		for _, c := range counties {
			if _, ok := in.Catalog.ApplicableTargetOf(c.Code, ind.Code, m); ok {
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
	opt := in.Config.ProgressOptions()
	t := Table{Indicator: ind}
	t.Total = Row{Org: in.Config.City, Name: "全市合计", A: lingpao.Assess(in.Catalog, in.Data, in.Config.City, ind, p, opt)}
	cur := make([]Row, 0, len(counties))
	prev := make([]Row, 0, len(counties))
	for _, c := range counties {
		row := Row{Org: c.Code, Name: c.Name, A: lingpao.Assess(in.Catalog, in.Data, c.Code, ind, p, opt)}
		if row.A.Status == lingpao.StatusMissing {
			row.Blank = in.blankClusters(c.Code, ind)
		}
		cur = append(cur, row)
		prev = append(prev, Row{Org: c.Code, A: lingpao.Assess(in.Catalog, in.Data, c.Code, ind, p.Prev(), opt)})
	}
	rank(cur)
	rank(prev)
	for i := range cur {
		if pr := prev[i].A.Rank; pr > 0 && cur[i].A.Rank > 0 {
			cur[i].PrevRank, cur[i].Move = pr, pr-cur[i].A.Rank
		}
		t.prev = append(t.prev, prev[i].A)
	}
	t.Rows = cur
	t.Note = CarryNote(in, []Table{t})
	return t
}

// blankClusters names the clusters of county org's return for the report's last month that left a
// cell feeding ind blank (none when the county sent no return).
func (in Input) blankClusters(org string, ind lingpao.Indicator) []string {
	m := in.Period.LastMonth()
	if _, ok := in.Data.Reported(org, m); !ok {
		return nil
	}
	codes := lingpaoComponents(ind)
	if ind.Kind == lingpao.KindGrowth {
		codes = codes[:1]
	}
	var out []string
	for _, code := range codes {
		for _, cl := range in.Data.Blank(org, code, m) {
			name := cl
			for _, c := range in.Catalog.ClustersOf(org) {
				if c.Code == cl {
					name = c.Name
				}
			}
			if !contains(out, name) {
				out = append(out, name)
			}
		}
	}
	return out
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

// headline returns the tables of the headline indicators, in catalog order.
func headline(gs []Group) []Table {
	var out []Table
	for _, g := range gs {
		for _, t := range g.Tables {
			if t.Indicator.Headline {
				out = append(out, t)
			}
		}
	}
	return out
}

// allTables returns every table of the groups.
func allTables(gs []Group) []Table {
	var out []Table
	for _, g := range gs {
		out = append(out, g.Tables...)
	}
	return out
}

// reporting computes the reporting rate of the city's counties for the report's last month.
func (in Input) reporting(counties []lingpao.OrgUnit) lingpao.ReportingRate {
	return in.reportingOf(counties, in.Period.LastMonth())
}

// reportingOf computes the reporting rate of counties for month m.
func (in Input) reportingOf(counties []lingpao.OrgUnit, m lingpao.Period) lingpao.ReportingRate {
	return lingpao.ComputeReporting(counties, m, in.Submissions, in.Catalog.Calendar(), in.Config.DeadlineDay, in.Config.MergeJanFeb, in.CutOff)
}

// counties returns the city's county-level units.
func (in Input) counties() []lingpao.OrgUnit { return in.Catalog.Tree.Counties(in.Config.City) }

// cityName returns the city's name.
func (in Input) cityName() string { return in.Catalog.Tree.Name(in.Config.City) }

// name returns the name of org unit code, or the code.
func (in Input) name(code string) string {
	if n := in.Catalog.Tree.Name(code); n != "" {
		return n
	}
	return code
}

func itoa(n int) string {
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
