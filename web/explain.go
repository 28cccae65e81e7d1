package web

import (
	"net/http"
	"strings"

	"lingpao"
	"lingpao/jobs"
)

// explainView is one figure of the reports and how it was made.
type explainView struct {
	*jobs.Explanation
	// PeriodLabel names the period explained (a month, or a quarter of the bulletin).
	PeriodLabel string
}

// explain shows how one figure of the dashboard or the reports was made (GET /explain?period=P&org=O&
// indicator=I): the figure, its kind and formula, every cell it comes from with its return, sheet and
// cell, carried forward or not, the target in force with its citation, 序时进度 and the status band —
// computed by jobs.ExplainInput from exactly what the dashboard shows.
func (s *Server) explain(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "数字说明", "dashboard")
	q := r.URL.Query()
	org, ind := strings.TrimSpace(q.Get("org")), strings.TrimSpace(q.Get("indicator"))
	if org == "" || ind == "" {
		s.error(w, r, lingpao.Errorf(lingpao.EINVALID, "请从工作台或指标表中点击一个数字查看它的来源（需要期间、单位和指标）。"))
		return
	}
	period := strings.TrimSpace(q.Get("period"))
	if period == "" {
		if err := s.withPeriod(r, p); err != nil {
			s.error(w, r, err)
			return
		}
	} else {
		per, err := lingpao.ParsePeriod(period)
		if err != nil {
			s.error(w, r, err)
			return
		}
		p.Period = per
	}
	in, err := s.reportInput(r.Context(), p.Period, s.now())
	if err != nil {
		s.error(w, r, err)
		return
	}
	ex, err := s.w.ExplainInput(r.Context(), in, org, ind)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p.Title = ex.Org.Name + " " + ex.Indicator.Name
	p.Period = p.Period.LastMonth() // the navigation stays on the month
	p.Data = explainView{Explanation: ex, PeriodLabel: in.Period.Label()}
	s.render(w, r, http.StatusOK, "explain", p)
}
