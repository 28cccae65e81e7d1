package web

import (
	"net/http"

	"lingpao/sqlite"
)

type jobListView struct {
	Tasks []sqlite.ReportTask
}

// jobList shows the history of work done: the reports generated from this page.
func (s *Server) jobList(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "任务记录", "jobs")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	tasks, err := s.w.Store.FindReportTasks(r.Context(), 200)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p.Data = jobListView{Tasks: tasks}
	s.render(w, r, http.StatusOK, "jobs", p)
}
