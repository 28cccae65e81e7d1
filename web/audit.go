package web

import (
	"net/http"

	"lingpao/sqlite"
)

// auditActions names the audit log's actions in Chinese.
var auditActions = map[string]string{
	"login":          "登录",
	"login_failed":   "登录失败",
	"logout":         "退出",
	"password":       "修改密码",
	"upload":         "代县上传",
	"generate":       "生成报告",
	"targets_import": "导入目标",
	"targets_export": "导出目标",

	"remind_now":         "立即催报",
	"contacts":           "修改联系人",
	"template_download":  "下载模板",
	"review_accept":      "审核通过",
	"review_return":      "审核退回",
	"review_explanation": "认可情况说明",
	"issue_assign":       "问题交办",
	"issue_opinion":      "办理意见",
	"issue_close":        "问题办结销号",
	"issue_reopen":       "问题重新打开",
	"issue_export":       "导出问题台账",
}

type auditRow struct {
	sqlite.AuditEntry
	Label string
}

type auditView struct {
	Action  string
	Actions []option
	Rows    []auditRow
}

// auditLog shows who did what (admins only): logins, uploads, generations, target imports.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "审计日志", "audit")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	v := auditView{Action: r.URL.Query().Get("action")}
	v.Actions = append(v.Actions, option{"", "全部"})
	for _, a := range []string{"login", "login_failed", "logout", "password", "upload", "generate", "targets_import", "targets_export",
		"remind_now", "contacts", "template_download", "review_accept", "review_return", "review_explanation",
		"issue_assign", "issue_opinion", "issue_close", "issue_reopen", "issue_export"} {
		v.Actions = append(v.Actions, option{a, auditActions[a]})
	}
	entries, err := s.w.Store.FindAudit(r.Context(), sqlite.AuditFilter{Action: v.Action, Limit: 500})
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, e := range entries {
		label := auditActions[e.Action]
		if label == "" {
			label = e.Action
		}
		v.Rows = append(v.Rows, auditRow{AuditEntry: e, Label: label})
	}
	p.Hidden = map[string]string{"action": v.Action}
	p.Data = v
	s.render(w, r, http.StatusOK, "audit", p)
}

// notFound answers every path no route matches.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.error(w, r, errNotFound)
}
