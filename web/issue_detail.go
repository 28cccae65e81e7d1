package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"lingpao"
	"lingpao/jobs"
	"lingpao/sqlite"
)

// issueEventRow is one step of a case as the page shows it.
type issueEventRow struct {
	lingpao.IssueEvent
	Label string
}

type issueDetailView struct {
	Case    issueRow
	Events  []issueEventRow
	Sources []sqlite.IssueSource
	// Departments are the suggestions of the assignment form; Today the earliest deadline.
	Departments []string
	Today       string
	DefaultDue  string
	Done        string
	// Form keeps what was typed into a form that was refused, and Problem says why.
	Form    issueForm
	Problem string
}

// issueForm is what the action forms send.
type issueForm struct {
	Action, Department, Deadline, Note string
}

// defaultDepartments are the city's departments a problem is usually assigned to; the ones used
// before come first.
var defaultDepartments = []string{"市发展和改革委员会", "市工业和信息化局", "市财政局", "市自然资源和规划局", "市科学技术局", "市人力资源和社会保障局",
	"市商务局", "市地方金融管理局", "市行政审批局", "市生态环境局", "市市场监督管理局", "市住房和城乡建设局", "县（市、区）政府"}

// issueDetail shows one case: what the county raised and where, every step since, and — for staff —
// the forms of the next steps: 交办 with a department and a deadline, 办理意见, 办结销号, 重新打开.
func (s *Server) issueDetail(w http.ResponseWriter, r *http.Request) {
	s.renderIssue(w, r, issueForm{}, "", http.StatusOK)
}

func (s *Server) renderIssue(w http.ResponseWriter, r *http.Request, form issueForm, problem string, status int) {
	ctx := r.Context()
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	c, evs, srcs, err := s.w.Store.FindIssueCase(ctx, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, fmt.Sprintf("问题 %d", id), "issues")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	p.Path = fmt.Sprintf("/issues/%d", id) // also when a refused form is shown again
	now := s.now()
	v := issueDetailView{Case: s.issueRowOf(c), Sources: srcs, Today: lingpao.FormatDate(now), DefaultDue: lingpao.FormatDate(now.AddDate(0, 0, 15)),
		Done: r.URL.Query().Get("done"), Form: form, Problem: problem}
	for _, e := range evs {
		v.Events = append(v.Events, issueEventRow{IssueEvent: e, Label: lingpao.IssueEventLabel(e.Action)})
	}
	used, err := s.w.Store.IssueDepartments(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	seen := map[string]bool{}
	for _, d := range append(used, defaultDepartments...) {
		if !seen[d] {
			seen[d] = true
			v.Departments = append(v.Departments, d)
		}
	}
	if v.Form.Deadline == "" {
		v.Form.Deadline = c.Deadline
		if v.Form.Deadline == "" {
			v.Form.Deadline = v.DefaultDue
		}
	}
	if v.Form.Department == "" {
		v.Form.Department = c.Department
	}
	p.Title = fmt.Sprintf("问题 %d · %s", id, s.orgName(c.Org))
	p.Data = v
	s.render(w, r, status, "issue", p)
}

// issueActionLabels name the actions for the audit log and the page.
var issueActionLabels = map[string]string{"assign": "交办", "opinion": "办理意见", "close": "办结销号", "reopen": "重新打开"}

// issueAction applies one step to a case ({action}: assign, opinion, close, reopen), records it in the
// case's history and the audit log, and goes back to the case.
func (s *Server) issueAction(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	action := r.PathValue("action")
	label, ok := issueActionLabels[action]
	if !ok {
		s.error(w, r, errNotFound)
		return
	}
	form := issueForm{Action: action, Department: strings.TrimSpace(r.PostFormValue("department")), Deadline: strings.TrimSpace(r.PostFormValue("deadline"))}
	a := sqlite.IssueAction{Case: id, User: sessionUser(r), At: s.now()}
	refuse := func(err error) {
		if lingpao.ErrorCode(err) == lingpao.EINVALID || lingpao.ErrorCode(err) == lingpao.ECONFLICT {
			s.renderIssue(w, r, form, lingpao.ErrorMessage(err), http.StatusBadRequest)
			return
		}
		s.error(w, r, err)
	}
	what := map[string]string{"assign": "交办要求", "opinion": "办理意见", "close": "办结情况", "reopen": "重新打开的原因"}[action]
	note, err := jobs.ReviewNote(r.PostFormValue("note"), action != "assign", what)
	form.Note = r.PostFormValue("note")
	if err != nil {
		refuse(err)
		return
	}
	a.Note = note
	var c lingpao.IssueCase
	switch action {
	case "assign":
		if a.Department, a.Deadline, err = s.checkAssignment(form.Department, form.Deadline); err != nil {
			refuse(err)
			return
		}
		c, err = s.w.Store.AssignIssue(r.Context(), a)
	case "opinion":
		c, err = s.w.Store.AddIssueOpinion(r.Context(), a)
	case "close":
		c, err = s.w.Store.CloseIssue(r.Context(), a)
	case "reopen":
		c, err = s.w.Store.ReopenIssue(r.Context(), a)
	}
	if err != nil {
		refuse(err)
		return
	}
	detail := fmt.Sprintf("问题 %d（%s：%s）%s", c.ID, s.orgName(c.Org), clip(c.Description, 30), label)
	if action == "assign" {
		detail += fmt.Sprintf(" %s，时限 %s", c.Department, c.Deadline)
	}
	if note != "" {
		detail += "：" + clip(note, 60)
	}
	s.audit(r, "issue_"+action, detail)
	http.Redirect(w, r, link(fmt.Sprintf("/issues/%d", id), lingpao.Period{}, "period", r.URL.Query().Get("period"), "done", action), http.StatusSeeOther)
}

// checkAssignment checks the department and the deadline of an assignment: a department named in at
// most 40 characters, a date from today on.
func (s *Server) checkAssignment(dept, deadline string) (string, string, error) {
	switch {
	case dept == "":
		return "", "", lingpao.Errorf(lingpao.EINVALID, "请填写责任部门（可从建议中选择）。")
	case utf8.RuneCountInString(dept) > 40:
		return "", "", lingpao.Errorf(lingpao.EINVALID, "责任部门最多 40 个字。")
	}
	d, err := time.ParseInLocation("2006-01-02", deadline, lingpao.Beijing)
	if err != nil {
		return "", "", lingpao.Errorf(lingpao.EINVALID, "办理时限“%s”不是日期：请选择日期，或写成 2025-10-20。", deadline)
	}
	if lingpao.FormatDate(d) < lingpao.FormatDate(s.now()) {
		return "", "", lingpao.Errorf(lingpao.EINVALID, "办理时限 %s 早于今天：请定一个今天或以后的日期。", deadline)
	}
	return dept, lingpao.FormatDate(d), nil
}

// clip shortens s to n characters with an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
