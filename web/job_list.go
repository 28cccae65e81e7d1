package web

import (
	"net/http"
	"path/filepath"
	"slices"
	"strconv"

	"lingpao"
	"lingpao/jobs"
	"lingpao/sqlite"
)

// jobNames are the scheduled jobs of service mode in the order the filter lists them.
var jobNames = []string{lingpao.JobMonthly, lingpao.JobQuarterly, lingpao.JobHalf, lingpao.JobAnnual, lingpao.JobRemind, lingpao.JobDeliver, lingpao.JobPoll}

var triggerLabels = map[string]string{
	lingpao.TriggerSchedule: "定时",
	lingpao.TriggerCatchUp:  "补跑",
	lingpao.TriggerManual:   "手动",
}

// runRow is one run of the ledger as the page shows it.
type runRow struct {
	lingpao.JobRun
	Title, Trigger string
	// Files are the run's outputs by name, downloadable by index.
	Files []string
}

type jobListView struct {
	Job    string
	Jobs   []option
	Runs   []runRow
	Tasks  []sqlite.ReportTask
	Failed int
}

// jobList shows the run ledger of service mode (every scheduled, caught-up and manual run with its
// outcome and outputs; the frequent inbox polls only on request) and the reports generated from
// this page.
func (s *Server) jobList(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "任务记录", "jobs")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	v := jobListView{Job: r.URL.Query().Get("job")}
	v.Jobs = append(v.Jobs, option{"", "全部（不含收件箱轮询）"})
	for _, j := range jobNames {
		v.Jobs = append(v.Jobs, option{j, jobs.JobTitle(j)})
	}
	if v.Job != "" && !slices.Contains(jobNames, v.Job) {
		s.error(w, r, lingpao.Errorf(lingpao.EINVALID, "任务「%s」不存在：请从列表中选择。", v.Job))
		return
	}
	runs, err := s.w.Store.FindJobRuns(r.Context(), sqlite.JobRunFilter{Job: v.Job, Limit: 300})
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, run := range runs {
		if v.Job == "" && run.Job == lingpao.JobPoll && run.Outcome == lingpao.RunOK {
			continue // a poll every few seconds would bury everything else
		}
		row := runRow{JobRun: run, Title: jobs.JobTitle(run.Job), Trigger: triggerLabels[run.Trigger]}
		if row.Title == "" {
			row.Title = run.Job
		}
		for _, o := range run.Outputs {
			row.Files = append(row.Files, filepath.Base(filepath.FromSlash(o)))
		}
		if run.Outcome == lingpao.RunFailed || run.Outcome == lingpao.RunRetry {
			v.Failed++
		}
		v.Runs = append(v.Runs, row)
		if len(v.Runs) == 100 {
			break
		}
	}
	if v.Tasks, err = s.w.Store.FindReportTasks(r.Context(), 50); err != nil {
		s.error(w, r, err)
		return
	}
	p.Hidden = map[string]string{"job": v.Job}
	p.Data = v
	s.render(w, r, http.StatusOK, "jobs", p)
}

// downloadRunFile sends output {n} of a run of the ledger; the path comes from the store and must lie
// in the workspace.
func (s *Server) downloadRunFile(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	run, err := s.w.Store.FindJobRun(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 || n >= len(run.Outputs) || !filepath.IsLocal(filepath.FromSlash(run.Outputs[n])) {
		s.error(w, r, lingpao.Errorf(lingpao.ENOTFOUND, "该任务没有这个文件：请回到任务记录重新选择。"))
		return
	}
	rel := filepath.FromSlash(run.Outputs[n])
	s.serveFile(w, r, filepath.Join(s.w.Config.Dir, rel), filepath.Base(rel))
}
