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
	List     listQuery
	Counties []lingpao.OrgUnit
	Statuses []option
	Rows     []submissionRow
	Pager    pager
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
	lq, err := parseListQuery(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
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
	v := submissionListView{Filter: f, List: lq, Counties: s.counties(), Statuses: submissionStatuses}
	var rows []submissionRow
	for i := len(subs) - 1; i >= 0; i-- {
		sub := subs[i]
		c := counts[sub.ID]
		row := submissionRow{Submission: sub, OrgName: s.orgName(sub.Org), Errors: c.Errors, Warnings: c.Warnings, Superseded: sub.SupersededBy != 0}
		if lq.within(sub.ReceivedAt) && lq.matches(sub.FileName, row.OrgName, sub.Reason, sub.Contact, sub.Folder) {
			rows = append(rows, row)
		}
	}
	if lq.Export {
		scope := p.Period.Label()
		if f.All {
			scope = "所有期间"
		}
		s.sendXLSX(w, r, "报送记录_"+scope, submissionTable(scope, rows))
		return
	}
	v.Rows, v.Pager = paginate(r, &lq, rows)
	v.List = lq
	p.Hidden = map[string]string{"org": f.Org, "status": f.Status, "all": q.Get("all"), "q": lq.Q, "from": lq.From, "to": lq.To}
	p.Data = v
	s.render(w, r, http.StatusOK, "submissions", p)
}

// submissionTable is the list as a workbook sheet.
func submissionTable(scope string, rows []submissionRow) exportTable {
	t := exportTable{Sheet: "报送记录", Title: "报送记录（" + scope + "）",
		Columns: cols("收到时间", "单位", "期间", "文件名", "结果", "版本", "错误", "警告", "退回原因", "填报人", "联系电话", "SHA-256")}
	for _, row := range rows {
		status := row.Status.Label()
		if row.Superseded {
			status = "已被替代"
		}
		version := any(nil)
		if row.Version > 0 {
			version = row.Version
		}
		t.Rows = append(t.Rows, []any{row.ReceivedAt, row.OrgName, row.Period, row.FileName, status, version, row.Errors, row.Warnings,
			row.Reason, row.Contact, row.Phone, row.SHA256})
	}
	return t
}
