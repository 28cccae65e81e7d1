package jobs

import (
	"context"
	"time"

	"lingpao"
)

// CountyStatus is one county's line of `lingpao status`.
type CountyStatus struct {
	Org  string `json:"org"`
	Name string `json:"name"`
	// Report is the county's reporting of the period's last month.
	Report lingpao.CountyReport `json:"report"`
	// Counts are its indicators by status, over the indicators it has a target for; empty for a
	// January reported with February (1–2月合并), which is not measured on its own.
	Counts lingpao.StatusCounts `json:"counts"`
	// Level is the highest rung of its performance ladders, Escalated the indicators at a rung (name
	// and level); ReportingLevel the rung of its reporting ladder.
	Level          lingpao.EscalationLevel `json:"level"`
	Escalated      []EscalatedIndicator    `json:"escalated,omitempty"`
	ReportingLevel lingpao.EscalationLevel `json:"reporting_level"`
}

// EscalatedIndicator is an indicator on which a county is on the ladder.
type EscalatedIndicator struct {
	Code   string                  `json:"code"`
	Name   string                  `json:"name"`
	Level  lingpao.EscalationLevel `json:"level"`
	Streak int                     `json:"streak"`
}

// Status is the state of the city for one period: the reporting rate of its last month and, per
// county, the reporting state, status counts and ladder rungs (PRODUCT §7, `lingpao status`).
type Status struct {
	Period lingpao.Period `json:"-"`
	Month  lingpao.Period `json:"-"`
	// PeriodText and MonthText are Period and Month as ParsePeriod reads them, for JSON.
	PeriodText string                `json:"period"`
	MonthText  string                `json:"month"`
	AsOf       time.Time             `json:"as_of"`
	City       string                `json:"city"`
	Reporting  lingpao.ReportingRate `json:"reporting"`
	Counties   []CountyStatus        `json:"counties"`
	// Total adds up the counties' counts.
	Total          lingpao.StatusCounts `json:"total"`
	TargetsVersion int                  `json:"targets_version"`
}

// Status computes the status of period p as of now: everything measured at p's last month, the
// ladders walked through it (computed, not recorded: see UpdateLadder).
func (w *Workspace) Status(ctx context.Context, p lingpao.Period) (_ *Status, err error) {
	defer lingpao.Wrap(&err, "jobs.Status(%s)", p)
	m := p.LastMonth()
	l, err := w.ComputeLadder(ctx, m)
	if err != nil {
		return nil, err
	}
	now := lingpao.CutOffOf(w.now())
	ds, _, err := w.Store.LoadDataSet(ctx, lingpao.DataFrom(w.Catalog, p), m, now)
	if err != nil {
		return nil, err
	}
	st := &Status{Period: p, Month: m, PeriodText: p.String(), MonthText: m.String(), AsOf: now, City: w.City().Name, Reporting: l.Reporting, Total: lingpao.StatusCounts{}, TargetsVersion: w.TargetsVersion}
	inds := lingpao.CountyIndicators(w.Catalog)
	for i, c := range w.Catalog.Tree.Counties(w.Config.City) {
		cs := CountyStatus{Org: c.Code, Name: c.Name, Report: l.Reporting.Counties[i], Counts: lingpao.StatusCounts{}}
		if cs.Report.State != lingpao.ReportMerged {
			var as []lingpao.Assessment
			for _, ind := range inds {
				as = append(as, lingpao.Assess(w.Catalog, ds, c.Code, ind, p, w.Config.ProgressOptions()))
			}
			cs.Counts = lingpao.CountStatuses(as)
			for s, n := range cs.Counts {
				st.Total[s] += n
			}
		}
		cs.ReportingLevel = l.States[lingpao.LadderSubject{Org: c.Code}].Level
		for _, ind := range inds {
			s := l.States[lingpao.LadderSubject{Org: c.Code, Indicator: ind.Code}]
			if s.Level == lingpao.EscNone {
				continue
			}
			cs.Escalated = append(cs.Escalated, EscalatedIndicator{Code: ind.Code, Name: ind.Name, Level: s.Level, Streak: s.Streak})
			cs.Level = max(cs.Level, s.Level)
		}
		st.Counties = append(st.Counties, cs)
	}
	return st, nil
}
