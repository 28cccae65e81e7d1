package web

import (
	"net/http"
	"sort"

	"lingpao"
	"lingpao/sqlite"
)

// submissionFilter is the list's filter as the form sends it.
type submissionFilter struct {
	Org    string
	All    bool // every period, not only the selected one
	Status string
}

// submissionRow is one file in the list.
type submissionRow struct {
	lingpao.Submission
	OrgName  string
	Errors   int
	Warnings int
	// Superseded is true for an accepted file a later one replaced.
	Superseded bool
}

type submissionListView struct {
	Filter   submissionFilter
	Counties []lingpao.OrgUnit
	Statuses []option
	Rows     []submissionRow
}

// option is one entry of a drop-down.
type option struct {
	Value, Label string
}

var submissionStatuses = []option{
	{"", "全部"},
	{"current", "当前有效"},
	{string(lingpao.SubAccepted), "已受理（含被替代）"},
	{string(lingpao.SubRejected), "已退回"},
}

// submissionList lists the files received, newest first, filtered by county, period and outcome.
func (s *Server) submissionList(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "报送记录", "submissions")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	q := r.URL.Query()
	f := submissionFilter{Org: q.Get("org"), All: q.Get("all") == "1", Status: q.Get("status")}
	sf := sqlite.SubmissionFilter{}
	if f.Org != "" {
		c, err := s.county(f.Org)
		if err != nil {
			s.error(w, r, err)
			return
		}
		sf.Org = c.Code
	}
	if !f.All {
		sf.Period = p.Period.String()
	}
	switch f.Status {
	case "":
	case "current":
		sf.Current = true
	case string(lingpao.SubAccepted), string(lingpao.SubRejected):
		sf.Status = lingpao.SubmissionStatus(f.Status)
	default:
		s.error(w, r, lingpao.Errorf(lingpao.EINVALID, "结果筛选「%s」不存在：请从列表中选择。", f.Status))
		return
	}
	subs, err := s.w.Store.FindSubmissions(r.Context(), sf)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if !f.All && sf.Org == "" && (f.Status == "" || f.Status == string(lingpao.SubRejected)) {
		// Files nobody could identify belong to no period; show them in the cycle they arrived in
		// (a month's returns come in the month after it).
		rej, err := s.w.Store.FindSubmissions(r.Context(), sqlite.SubmissionFilter{Status: lingpao.SubRejected})
		if err != nil {
			s.error(w, r, err)
			return
		}
		from, to := p.Period.End(), p.Period.Add(1).End()
		for _, sub := range rej {
			if sub.Period.IsZero() && !sub.ReceivedAt.Before(from) && sub.ReceivedAt.Before(to) {
				subs = append(subs, sub)
			}
		}
		sort.SliceStable(subs, func(i, j int) bool { return subs[i].ReceivedAt.Before(subs[j].ReceivedAt) })
	}
	counts, err := s.w.Store.FindingCounts(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := submissionListView{Filter: f, Counties: s.counties(), Statuses: submissionStatuses}
	for i := len(subs) - 1; i >= 0; i-- {
		sub := subs[i]
		c := counts[sub.ID]
		v.Rows = append(v.Rows, submissionRow{Submission: sub, OrgName: s.orgName(sub.Org), Errors: c.Errors, Warnings: c.Warnings,
			Superseded: sub.SupersededBy != 0})
	}
	p.Hidden = map[string]string{"org": f.Org, "status": f.Status}
	p.Data = v
	s.render(w, r, http.StatusOK, "submissions", p)
}
