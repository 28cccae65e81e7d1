package web

import (
	"net/http"

	"lingpao"
	"lingpao/sqlite"
)

// issueRow is one row of the issue ledger as the page shows it.
type issueRow struct {
	sqlite.IssueRow
	OrgName string
	Stage   int // index of Status in lingpao.IssueStatuses, -1 when not one of them
}

type issueLedgerView struct {
	Month    lingpao.Period
	Org      string
	Status   string
	Counties []lingpao.OrgUnit
	Statuses []string
	// Counts is how many rows stand at each status, in order.
	Counts []statusTally
	Rows   []issueRow
}

type statusTally struct {
	Status string
	N      int
}

// issueLedger shows the 问题台账 rows of the current returns of the month: problems counties raised and
// where each stands (征集 → 交办 → 办理中 → 办结销号).
func (s *Server) issueLedger(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "问题台账", "issues")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	q := r.URL.Query()
	v := issueLedgerView{Month: p.Period, Org: q.Get("org"), Status: q.Get("status"), Counties: s.counties(), Statuses: lingpao.IssueStatuses}
	f := sqlite.IssueFilter{Period: p.Period.String()}
	if v.Org != "" {
		c, err := s.county(v.Org)
		if err != nil {
			s.error(w, r, err)
			return
		}
		f.Org = c.Code
	}
	all, err := s.w.Store.FindIssues(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	tally := map[string]int{}
	for _, is := range all {
		tally[is.Status]++
		if v.Status != "" && is.Status != v.Status {
			continue
		}
		row := issueRow{IssueRow: is, OrgName: s.orgName(is.Org), Stage: -1}
		for i, st := range lingpao.IssueStatuses {
			if st == is.Status {
				row.Stage = i
			}
		}
		v.Rows = append(v.Rows, row)
	}
	for _, st := range lingpao.IssueStatuses {
		v.Counts = append(v.Counts, statusTally{Status: st, N: tally[st]})
	}
	p.Hidden = map[string]string{"org": v.Org, "status": v.Status}
	p.Data = v
	s.render(w, r, http.StatusOK, "issues", p)
}
