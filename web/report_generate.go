package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"lingpao"
	"lingpao/jobs"
	"lingpao/sqlite"
)

// reportGenerate queues a report for any kind and period and runs it in the background with the
// same job function the scheduler and `lingpao report` call; the browser goes to the task's page.
func (s *Server) reportGenerate(w http.ResponseWriter, r *http.Request) {
	kind := r.PostFormValue("kind")
	label := ""
	for _, k := range reportKinds {
		if k.Kind == kind {
			label = k.Label
		}
	}
	if label == "" {
		s.error(w, r, lingpao.Errorf(lingpao.EINVALID, "报告类型「%s」不存在：请从列表中选择。", kind))
		return
	}
	period, err := lingpao.ParsePeriod(strings.TrimSpace(r.PostFormValue("period")))
	if err != nil {
		s.error(w, r, err)
		return
	}
	var formats []string
	switch f := r.PostFormValue("format"); f {
	case "":
	case "pdf", "xlsx":
		formats = []string{f}
	default:
		s.error(w, r, lingpao.Errorf(lingpao.EINVALID, "格式「%s」不存在：请选 PDF 或 Excel。", f))
		return
	}
	sess, _ := sessionFrom(r.Context())
	task := sqlite.ReportTask{Kind: kind, Period: period.String(), Formats: formats, UserName: sess.User.Name}
	if err := s.w.Store.CreateReportTask(r.Context(), &task); err != nil {
		s.error(w, r, err)
		return
	}
	s.audit(r, "generate", fmt.Sprintf("生成%s（%s）", label, period.Label()))
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.runTask(task, period)
	}()
	http.Redirect(w, r, fmt.Sprintf("/reports/tasks/%d", task.ID), http.StatusSeeOther)
}

// runTask runs one queued generation, one at a time, and records its end. Closing the server cancels
// it; the store still learns how it ended.
func (s *Server) runTask(task sqlite.ReportTask, period lingpao.Period) {
	store := context.WithoutCancel(s.ctx)
	finish := func(files []string, failure string) {
		if err := s.w.Store.FinishReportTask(store, task.ID, files, failure); err != nil {
			s.log.Error("report task", "id", task.ID, "err", err)
		}
	}
	select {
	case s.genSlot <- struct{}{}:
		defer func() { <-s.genSlot }()
	case <-s.ctx.Done():
		finish(nil, "服务正在关闭，生成未开始：请稍后重新生成。")
		return
	}
	if err := s.w.Store.StartReportTask(store, task.ID); err != nil {
		s.log.Error("report task", "id", task.ID, "err", err)
	}
	release := s.w.ReadTargets()
	paths, err := s.w.GenerateReport(s.ctx, jobs.ReportRequest{Kind: task.Kind, Period: period, Formats: task.Formats})
	release()
	var files []string
	for _, p := range paths {
		if rel, err := filepath.Rel(s.w.Config.Dir, p); err == nil && filepath.IsLocal(rel) {
			files = append(files, filepath.ToSlash(rel))
		}
	}
	if err != nil && s.ctx.Err() != nil {
		finish(files, "服务关闭，生成中断：请重新点击“立即生成”。")
		return
	}
	if err != nil {
		if lingpao.ErrorCode(err) == lingpao.EINTERNAL {
			s.log.Error("report task", "id", task.ID, "kind", task.Kind, "period", task.Period, "err", err)
		}
		finish(files, lingpao.ErrorMessage(err))
		return
	}
	finish(files, "")
}

type taskView struct {
	Task  sqlite.ReportTask
	Label string
	// Files are the written files by name, for the download links (by index).
	Files   []string
	Elapsed string
}

// reportTask shows one generation: waiting, running (the page polls until it ends), done with its
// files, or failed with the reason.
func (s *Server) reportTask(w http.ResponseWriter, r *http.Request) {
	task, err := s.findTask(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "生成报告", "reports")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	v := taskView{Task: task, Label: task.Kind, Elapsed: s.elapsed(task)}
	for _, k := range reportKinds {
		if k.Kind == task.Kind {
			v.Label = k.Label
		}
	}
	for _, f := range task.Files {
		v.Files = append(v.Files, filepath.Base(filepath.FromSlash(f)))
	}
	p.Title = v.Label + " · " + periodLabel(task.Period)
	p.Data = v
	s.render(w, r, http.StatusOK, "report_task", p)
}

// elapsed says how long a task has taken (or waited) so far.
func (s *Server) elapsed(t sqlite.ReportTask) string {
	start, end := t.StartedAt, t.FinishedAt
	if start.IsZero() {
		start = t.CreatedAt
	}
	if end.IsZero() {
		end = s.now()
	}
	d := end.Sub(start).Round(time.Second)
	if d < 0 {
		d = 0
	}
	return fmt.Sprintf("%d 秒", int(d.Seconds()))
}

// reportTaskStatus answers the page's poll with the task's state as JSON.
func (s *Server) reportTaskStatus(w http.ResponseWriter, r *http.Request) {
	task, err := s.findTask(r)
	if err != nil {
		s.errorText(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(map[string]any{
		"status": task.Status, "label": task.Status.Label(), "finished": task.Status.Finished(), "elapsed": s.elapsed(task),
	})
}

// downloadTaskFile sends file {n} of a finished task; the path comes from the store.
func (s *Server) downloadTaskFile(w http.ResponseWriter, r *http.Request) {
	task, err := s.findTask(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 || n >= len(task.Files) || !filepath.IsLocal(filepath.FromSlash(task.Files[n])) {
		s.error(w, r, lingpao.Errorf(lingpao.ENOTFOUND, "该任务没有这个文件：请回到任务页面重新选择。"))
		return
	}
	rel := filepath.FromSlash(task.Files[n])
	s.serveFile(w, r, filepath.Join(s.w.Config.Dir, rel), filepath.Base(rel))
}

func (s *Server) findTask(r *http.Request) (sqlite.ReportTask, error) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		return sqlite.ReportTask{}, err
	}
	return s.w.Store.FindReportTask(r.Context(), id)
}
