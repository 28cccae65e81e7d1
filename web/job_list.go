package web

import (
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

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

// frequentJobs run every minute or so: the history lists their failures and sums up the rest, so
// that the monthly and quarterly runs never fall off the page.
var frequentJobs = []string{lingpao.JobPoll, lingpao.JobDeliver}

// runRow is one run of the ledger as the page shows it.
type runRow struct {
	lingpao.JobRun
	Title, Trigger string
	// Files are the run's outputs by name, downloadable by index.
	Files []string
}

// frequentRow sums up a frequent job over the last day.
type frequentRow struct {
	Job, Title   string
	Runs, Failed int
	Last         runRow
}

type jobListView struct {
	Job      string
	Jobs     []option
	List     listQuery
	Runs     []runRow
	Pager    pager
	Frequent []frequentRow
	Tasks    []sqlite.ReportTask
	Failed   int
}

// jobList shows the run ledger of service mode, a page at a time: by default every run of the report
// and reminder jobs and the failures of the frequent ones (the inbox poll, the mail queue), whose
// other runs are summed up above; a job chosen in the filter shows all its runs. Below are the reports
// generated from this page.
func (s *Server) jobList(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "任务记录", "jobs")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	lq, err := parseListQuery(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := jobListView{Job: r.URL.Query().Get("job")}
	v.Jobs = append(v.Jobs, option{"", "报告与催报（及轮询、发信的失败）"}, option{"all", "全部（含每次收件箱轮询和邮件发送）"})
	for _, j := range jobNames {
		v.Jobs = append(v.Jobs, option{j, jobs.JobTitle(j)})
	}
	q := sqlite.JobRunQuery{From: lq.from, To: lq.to}
	switch {
	case v.Job == "":
		for _, j := range jobNames {
			if !slices.Contains(frequentJobs, j) {
				q.Jobs = append(q.Jobs, j)
			}
		}
		q.Failures = frequentJobs
	case v.Job == "all":
	case slices.Contains(jobNames, v.Job):
		q.Jobs = []string{v.Job}
	default:
		s.error(w, r, lingpao.Errorf(lingpao.EINVALID, "任务「%s」不存在：请从列表中选择。", clip(v.Job, 20)))
		return
	}
	if lq.Export {
		runs, _, err := s.w.Store.FindJobRunPage(r.Context(), q)
		if err != nil {
			s.error(w, r, err)
			return
		}
		t := exportTable{Sheet: "任务记录", Title: "任务记录", Columns: cols("任务", "计划时间", "方式", "开始", "结束", "结果", "次数", "说明", "错误", "输出文件")}
		for _, run := range runs {
			row := s.runRow(run)
			t.Rows = append(t.Rows, []any{row.Title, run.Scheduled, row.Trigger, run.Started, run.Ended, run.Outcome.Label(), run.Attempts, run.Summary, run.Error, strings.Join(run.Outputs, "\n")})
		}
		s.sendXLSX(w, r, "任务记录", t)
		return
	}
	_, total, err := s.w.Store.FindJobRunPage(r.Context(), sqlite.JobRunQuery{Jobs: q.Jobs, Failures: q.Failures, From: q.From, To: q.To, Limit: 1})
	if err != nil {
		s.error(w, r, err)
		return
	}
	v.Pager = newPager(r, &lq, total)
	v.List = lq
	q.Offset, q.Limit = lq.offset(), lq.Size
	runs, _, err := s.w.Store.FindJobRunPage(r.Context(), q)
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, run := range runs {
		if run.Outcome == lingpao.RunFailed || run.Outcome == lingpao.RunRetry {
			v.Failed++
		}
		v.Runs = append(v.Runs, s.runRow(run))
	}
	if v.Job == "" {
		since := s.now().Add(-24 * time.Hour)
		for _, j := range frequentJobs {
			st, err := s.w.Store.FindJobRunStats(r.Context(), j, since)
			if err != nil {
				s.error(w, r, err)
				return
			}
			if st.Last.ID != 0 {
				v.Frequent = append(v.Frequent, frequentRow{Job: j, Title: jobs.JobTitle(j), Runs: st.Runs, Failed: st.Failed, Last: s.runRow(st.Last)})
			}
		}
	}
	if v.Tasks, err = s.w.Store.FindReportTasks(r.Context(), 20); err != nil {
		s.error(w, r, err)
		return
	}
	p.Hidden = map[string]string{"job": v.Job, "from": lq.From, "to": lq.To}
	p.Data = v
	s.render(w, r, http.StatusOK, "jobs", p)
}

func (s *Server) runRow(run lingpao.JobRun) runRow {
	row := runRow{JobRun: run, Title: jobs.JobTitle(run.Job), Trigger: triggerLabels[run.Trigger]}
	if row.Title == "" {
		row.Title = run.Job
	}
	for _, o := range run.Outputs {
		row.Files = append(row.Files, filepath.Base(filepath.FromSlash(o)))
	}
	return row
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
