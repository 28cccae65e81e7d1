package web

import (
	"context"
	"net/http"
	"sort"

	"lingpao"
	"lingpao/jobs"
	"lingpao/reports"
	"lingpao/sqlite"
)

// lagRow is one county lagging on one indicator.
type lagRow struct {
	Org, Name, Indicator, Actual, Target, Completion, Expected, Gap string
	GapValue                                                        float64
	Status                                                          lingpao.Status
	// Href explains the figure (/explain).
	Href string
}

type escalationsView struct {
	Month lingpao.Period
	// Standing are the counties on a ladder after Month, highest rung first.
	Standing []ladderRow
	// Steps are the recorded ladder steps of Month's year through Month, newest first.
	Steps []stepRow
	// Levels lists the rungs for the legend.
	Levels []lingpao.EscalationLevel
	// Lagging are the (county, indicator) pairs 滞后 or 严重滞后 this month, worst first.
	Lagging []lagRow
	// Reporting are the counties late, missing or rejected this month.
	Reporting []countyState
}

// ladderRow is one county's place on the escalation ladders.
type ladderRow struct {
	Org, Name      string
	Level          lingpao.EscalationLevel
	ReportingLevel lingpao.EscalationLevel
	Escalated      []jobs.EscalatedIndicator
}

// stepRow is one recorded ladder step.
type stepRow struct {
	lingpao.Escalation
	Name, Indicator string
}

// escalations lists who is lagging and who has not reported this month — the candidates of the
// escalation ladder (督办: 警示 → 约谈 → 通报 → 报告 → 问责).
func (s *Server) escalations(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "督办预警", "escalations")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	in, err := s.reportInput(r.Context(), p.Period, s.now())
	if err != nil {
		s.error(w, r, err)
		return
	}
	mo := reports.BuildMonthly(in)
	v := escalationsView{Month: p.Period, Levels: []lingpao.EscalationLevel{lingpao.EscWarning, lingpao.EscInterview, lingpao.EscNotice, lingpao.EscReport, lingpao.EscAccountability}}
	st, err := s.status(r.Context(), p.Period)
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, c := range st.Counties {
		if c.Level == lingpao.EscNone && c.ReportingLevel == lingpao.EscNone {
			continue
		}
		v.Standing = append(v.Standing, ladderRow{Org: c.Org, Name: c.Name, Level: max(c.Level, c.ReportingLevel), ReportingLevel: c.ReportingLevel, Escalated: c.Escalated})
	}
	sort.SliceStable(v.Standing, func(i, j int) bool { return v.Standing[i].Level > v.Standing[j].Level })
	steps, err := s.w.Store.FindEscalations(r.Context(), sqlite.EscalationFilter{From: lingpao.MonthOf(p.Period.Year, 1), To: p.Period, Revoked: true})
	if err != nil {
		s.error(w, r, err)
		return
	}
	for i := len(steps) - 1; i >= 0; i-- {
		e := steps[i]
		row := stepRow{Escalation: e, Name: s.orgName(e.Org), Indicator: "按时报送"}
		if ind, ok := s.w.Catalog.Indicator(e.Indicator); ok {
			row.Indicator = ind.Name
		}
		v.Steps = append(v.Steps, row)
	}
	for _, g := range mo.Groups {
		for _, t := range g.Tables {
			ind := t.Indicator
			for _, row := range t.Rows {
				a := row.A
				if !a.Status.Lagging() {
					continue
				}
				v.Lagging = append(v.Lagging, lagRow{Org: row.Org, Name: row.Name, Indicator: ind.Name, Actual: ind.Format(a.Actual.Value),
					Target: a.Target.ValueText(ind), Completion: pct(a.Completion), Expected: pct(a.Expected), Gap: pp(a.Gap), GapValue: a.Gap, Status: a.Status,
					Href: explainLink(p.Period, row.Org, ind.Code)})
			}
		}
	}
	sort.SliceStable(v.Lagging, func(i, j int) bool { return v.Lagging[i].GapValue < v.Lagging[j].GapValue })
	for _, cr := range mo.Reporting.Counties {
		switch cr.State {
		case lingpao.ReportMissing, lingpao.ReportRejected, lingpao.ReportLate:
			cs := countyState{Org: cr.Org, Name: s.orgName(cr.Org), State: cr.State, Rejected: cr.Rejected}
			if cr.First != nil {
				cs.Received = cr.First.ReceivedAt
			}
			v.Reporting = append(v.Reporting, cs)
		}
	}
	p.Data = v
	s.render(w, r, http.StatusOK, "escalations", p)
}

// status computes the reporting, status counts and ladder standing of period p as of now — the same
// computation as `lingpao status`.
func (s *Server) status(ctx context.Context, p lingpao.Period) (*jobs.Status, error) {
	release := s.w.ReadTargets()
	defer release()
	return s.w.Status(ctx, p)
}
