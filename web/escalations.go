package web

import (
	"net/http"
	"sort"

	"lingpao"
	"lingpao/reports"
)

// lagRow is one county lagging on one indicator.
type lagRow struct {
	Org, Name, Indicator, Actual, Target, Completion, Expected, Gap string
	GapValue                                                        float64
	Status                                                          lingpao.Status
}

type escalationsView struct {
	Month lingpao.Period
	// Lagging are the (county, indicator) pairs 滞后 or 严重滞后 this month, worst first.
	Lagging []lagRow
	// Reporting are the counties late, missing or rejected this month.
	Reporting []countyState
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
	v := escalationsView{Month: p.Period}
	for _, g := range mo.Groups {
		for _, t := range g.Tables {
			ind := t.Indicator
			for _, row := range t.Rows {
				a := row.A
				if !a.Status.Lagging() {
					continue
				}
				v.Lagging = append(v.Lagging, lagRow{Org: row.Org, Name: row.Name, Indicator: ind.Name, Actual: ind.Format(a.Actual.Value),
					Target: a.Target.ValueText(ind), Completion: pct(a.Completion), Expected: pct(a.Expected), Gap: pp(a.Gap), GapValue: a.Gap, Status: a.Status})
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
