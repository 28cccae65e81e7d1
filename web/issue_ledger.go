package web

import (
	"net/http"
	"strings"

	"lingpao"
	"lingpao/sqlite"
)

// issueRow is one case of the issue ledger as the page shows it.
type issueRow struct {
	lingpao.IssueCase
	OrgName string
	Stage   int // index of Status in lingpao.IssueStatuses
	// DaysOverdue counts the days past the deadline of an open case.
	DaysOverdue int
}

// issueLedgerView is the ledger with its filter.
type issueLedgerView struct {
	Org      string
	Status   string // a status, "open" or "overdue"
	Query    string
	Counties []lingpao.OrgUnit
	Statuses []string
	// Counts is how many cases stand at each status, in order; Overdue how many open ones are past
	// their deadline; Total all of them.
	Counts  []statusTally
	Overdue int
	Total   int
	Rows    []issueRow
	// Matched is how many cases the filter selects (Rows holds at most issueListLimit of them).
	Matched int
	Limit   int
	Export  string
}

type statusTally struct {
	Status string
	N      int
}

// issueListLimit bounds the cases listed at once; the filters narrow the list, the export has all.
const issueListLimit = 200

// issueFilter reads the ledger's filter from the query: org, status (one of IssueStatuses, open or
// overdue) and q.
func (s *Server) issueFilter(r *http.Request) (sqlite.IssueCaseFilter, issueLedgerView, error) {
	q := r.URL.Query()
	v := issueLedgerView{Org: q.Get("org"), Status: q.Get("status"), Query: strings.TrimSpace(q.Get("q")), Counties: s.counties(), Statuses: lingpao.IssueStatuses}
	if q.Get("open") == "1" && v.Status == "" {
		v.Status = "open"
	}
	f := sqlite.IssueCaseFilter{Today: lingpao.FormatDate(s.now()), Query: v.Query}
	if v.Org != "" {
		c, err := s.county(v.Org)
		if err != nil {
			return f, v, err
		}
		f.Org = c.Code
	}
	switch v.Status {
	case "":
	case "open":
		f.Open = true
	case "overdue":
		f.Overdue = true
	default:
		ok := false
		for _, st := range lingpao.IssueStatuses {
			ok = ok || st == v.Status
		}
		if !ok {
			return f, v, lingpao.Errorf(lingpao.EINVALID, "没有“%s”这个办理状态：请从列表中选择。", v.Status)
		}
		f.Status = v.Status
	}
	return f, v, nil
}

// issueLedger is the 问题台账: the problems counties raised in their returns, followed through
// 问题征集 → 分解交办 → 对接服务（办理中）→ 办结销号, overdue ones first and flagged.
func (s *Server) issueLedger(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := s.newPage(r, "问题台账", "issues")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	f, v, err := s.issueFilter(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	now := s.now()
	if _, err := s.w.Store.SyncIssueCases(ctx, now); err != nil {
		s.error(w, r, err)
		return
	}
	tally, err := s.w.Store.TallyIssueCases(ctx, f.Org, f.Today)
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, st := range lingpao.IssueStatuses {
		v.Counts = append(v.Counts, statusTally{Status: st, N: tally.ByStatus[st]})
		v.Total += tally.ByStatus[st]
	}
	v.Overdue = tally.Overdue
	f.Limit = issueListLimit
	cases, matched, err := s.w.Store.FindIssueCases(ctx, f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v.Matched, v.Limit = matched, issueListLimit
	for _, c := range cases {
		v.Rows = append(v.Rows, s.issueRowOf(c))
	}
	v.Export = link("/issues/export", lingpao.Period{}, "org", v.Org, "status", v.Status, "q", v.Query)
	p.Hidden = map[string]string{"org": v.Org, "status": v.Status, "q": v.Query}
	p.Data = v
	s.render(w, r, http.StatusOK, "issues", p)
}

func (s *Server) issueRowOf(c lingpao.IssueCase) issueRow {
	row := issueRow{IssueCase: c, OrgName: s.orgName(c.Org), DaysOverdue: c.DaysOverdue(s.now())}
	for i, st := range lingpao.IssueStatuses {
		if st == c.Status {
			row.Stage = i
		}
	}
	return row
}
