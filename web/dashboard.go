package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"lingpao"
	"lingpao/jobs"
	"lingpao/reports"
)

// dashboardView is the current period at a glance: who reported, who did not, what is lagging.
type dashboardView struct {
	Month    lingpao.Period
	Deadline time.Time
	CutOff   time.Time
	Rate     lingpao.ReportingRate
	// RateWidth is the reporting rate's bar, 0–100.
	RateWidth string
	// NotDue counts counties whose deadline has not come yet and have sent nothing.
	NotDue   int
	Counties []countyState
	// Attention lists the counties staff should chase: missing, rejected, late.
	Attention []countyState
	Headline  []headlineRow
	Heat      heatMap
	Ladder    []ladderCount
}

// headlineRow is one headline indicator's city total.
type headlineRow struct {
	Name, Target, Actual, Completion, Expected, Gap string
	Status                                          lingpao.Status
	// Href explains the figure (/explain).
	Href string
}

// countyState is one county's reporting for the month.
type countyState struct {
	Org, Name string
	State     lingpao.ReportState
	// Received is when the first accepted file came; Current is the submission in force.
	Received time.Time
	// ReceivedShort is Received as month-day.
	ReceivedShort string
	Current       int64
	Version       int
	Rejected      int
}

// heatMap is the county × indicator status grid.
type heatMap struct {
	Groups  []heatGroup
	Columns []heatColumn
	Total   heatRow
	Rows    []heatRow
	// Counts is how many cells have each status, in legend order.
	Counts []statusCount
}

type heatGroup struct {
	Name string
	Span int
}

type heatColumn struct {
	Code, Name, Unit string
	// Short is the header: the name without 本年累计 and quotes (the tooltip has the full name).
	Short string
}

type heatRow struct {
	Org, Name string
	Cells     []heatCell
}

type heatCell struct {
	Status lingpao.Status
	Text   string
	Title  string
	// Href explains the figure (/explain).
	Href string
}

type statusCount struct {
	Status lingpao.Status
	N      int
}

// ladderCount is how many ladders — (county, indicator) pairs and counties' reporting — stand at one
// rung of the escalation ladder.
type ladderCount struct {
	Level lingpao.EscalationLevel
	N     int
}

// ladderCounts counts the ladders of a status at each rung, 警示 to 问责.
func ladderCounts(st *jobs.Status) []ladderCount {
	n := map[lingpao.EscalationLevel]int{}
	for _, c := range st.Counties {
		if c.ReportingLevel != lingpao.EscNone {
			n[c.ReportingLevel]++
		}
		for _, e := range c.Escalated {
			n[e.Level]++
		}
	}
	var out []ladderCount
	for l := lingpao.EscWarning; l <= lingpao.EscAccountability; l++ {
		out = append(out, ladderCount{Level: l, N: n[l]})
	}
	return out
}

// legend is the order statuses are explained in.
var legend = []lingpao.Status{lingpao.StatusAhead, lingpao.StatusOnTrack, lingpao.StatusBehind, lingpao.StatusFarBehind, lingpao.StatusMissing, lingpao.StatusNoTarget}

// dashboard shows the reporting rate of the selected month and the status heat-map, computed with
// the same rules and data as the monthly dispatch workbook, as of now.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "工作台", "dashboard")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	now := s.now()
	in, err := s.reportInput(r.Context(), p.Period, now)
	if err != nil {
		s.error(w, r, err)
		return
	}
	mo := reports.BuildMonthly(in)
	v := dashboardView{Month: p.Period, Deadline: mo.Reporting.Deadline, CutOff: now, Rate: mo.Reporting}
	for _, cr := range mo.Reporting.Counties {
		cs := countyState{Org: cr.Org, Name: s.orgName(cr.Org), State: cr.State, Rejected: cr.Rejected}
		if cr.First != nil {
			cs.Received = cr.First.ReceivedAt
			cs.ReceivedShort = cs.Received.In(lingpao.Beijing).Format("01-02")
		}
		if cr.Current != nil {
			cs.Current, cs.Version = cr.Current.ID, cr.Current.Version
		}
		if cr.State == lingpao.ReportNotDue {
			v.NotDue++
		}
		v.Counties = append(v.Counties, cs)
		switch cr.State {
		case lingpao.ReportMissing, lingpao.ReportRejected, lingpao.ReportLate:
			v.Attention = append(v.Attention, cs)
		}
	}
	v.RateWidth = fmt.Sprintf("%.1f", 100*v.Rate.Rate())
	for _, t := range mo.Headline {
		h := headlineOf(t.Indicator, t.Total.A)
		h.Href = explainLink(p.Period, t.Total.Org, t.Indicator.Code)
		v.Headline = append(v.Headline, h)
	}
	v.Heat = buildHeatMap(mo)
	st, err := s.status(r.Context(), p.Period)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v.Ladder = ladderCounts(st)
	if r.URL.Query().Get("format") == "xlsx" {
		s.dashboardExport(w, r, v)
		return
	}
	p.Data = v
	s.render(w, r, http.StatusOK, "dashboard", p)
}

// buildHeatMap turns the monthly tables (one per indicator, a row per county) into a grid with a row
// per county and a column per indicator. Indicators no county is measured on (a city-only target, or
// nothing reported) are left out: the headline table shows the city's figures.
func buildHeatMap(mo *reports.Monthly) heatMap {
	var h heatMap
	index := map[string]int{}
	counts := map[lingpao.Status]int{}
	h.Total.Name = "全市合计"
	for _, g := range mo.Groups {
		span := 0
		for _, t := range g.Tables {
			if !anyMeasured(t.Rows) {
				continue
			}
			span++
			h.Columns = append(h.Columns, heatColumn{Code: t.Indicator.Code, Name: t.Indicator.Name, Unit: t.Indicator.Unit, Short: shortName(t.Indicator.Name)})
			tc := heatCellOf(t.Indicator, t.Total.Name, t.Total.A)
			tc.Href = explainLink(mo.Period, t.Total.Org, t.Indicator.Code)
			h.Total.Cells = append(h.Total.Cells, tc)
			for _, row := range t.Rows {
				i, ok := index[row.Org]
				if !ok {
					i = len(h.Rows)
					index[row.Org] = i
					h.Rows = append(h.Rows, heatRow{Org: row.Org, Name: row.Name})
				}
				c := heatCellOf(t.Indicator, row.Name, row.A)
				c.Href = explainLink(mo.Period, row.Org, t.Indicator.Code)
				counts[c.Status]++
				h.Rows[i].Cells = append(h.Rows[i].Cells, c)
			}
		}
		if span > 0 {
			h.Groups = append(h.Groups, heatGroup{Name: g.Name, Span: span})
		}
	}
	for _, st := range legend {
		h.Counts = append(h.Counts, statusCount{Status: st, N: counts[st]})
	}
	return h
}

// explainLink is the page explaining org's figure of indicator in period p.
func explainLink(p lingpao.Period, org, indicator string) string {
	return link("/explain", p, "org", org, "indicator", indicator)
}

// shortName shortens an indicator name for a narrow column header.
func shortName(name string) string {
	return strings.NewReplacer("（本年累计）", "", "“", "", "”", "", "\"", "").Replace(name)
}

func anyMeasured(rows []reports.Row) bool {
	for _, r := range rows {
		if r.A.Measured() {
			return true
		}
	}
	return false
}

// heatCellOf shows an assessment as a cell: the completion rate, with the figures in its tooltip.
func heatCellOf(ind lingpao.Indicator, who string, a lingpao.Assessment) heatCell {
	c := heatCell{Status: a.Status}
	switch a.Status {
	case lingpao.StatusMissing:
		c.Text = "未报"
		c.Title = fmt.Sprintf("%s · %s：未报送", who, ind.Name)
	case lingpao.StatusMerged:
		c.Text = "合并"
		c.Title = fmt.Sprintf("%s · %s：1–2月合并报送，1月不单独考核", who, ind.Name)
	case lingpao.StatusNoTarget:
		c.Text = "—"
		c.Title = fmt.Sprintf("%s · %s：%s，无分解目标", who, ind.Name, ind.Format(a.Actual.Value))
		if !a.Actual.OK {
			c.Title = fmt.Sprintf("%s · %s：无分解目标", who, ind.Name)
		}
	default:
		c.Text = pct(a.Completion)
		c.Title = fmt.Sprintf("%s · %s：实际 %s，目标 %s，完成 %s，序时进度 %s，完成率−序时进度 %s 个百分点（%s）",
			who, ind.Name, ind.Format(a.Actual.Value), a.Target.ValueText(ind), pct(a.Completion), pct(a.Expected), pp(a.Gap), a.Status.Label())
	}
	return c
}

// headlineOf shows a city total: "—" wherever a figure does not exist.
func headlineOf(ind lingpao.Indicator, a lingpao.Assessment) headlineRow {
	h := headlineRow{Name: ind.Name, Target: "—", Actual: "—", Completion: "—", Expected: "—", Gap: "—", Status: a.Status}
	if a.HasTarget {
		h.Target, h.Expected = a.Target.ValueText(ind), pct(a.Expected)
	}
	if a.Actual.OK {
		h.Actual = ind.Format(a.Actual.Value)
	}
	if a.Measured() {
		h.Completion, h.Gap = pct(a.Completion), pp(a.Gap)
	}
	return h
}
