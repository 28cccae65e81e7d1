package web

import (
	"fmt"
	"net/http"
	"slices"

	"lingpao/sqlite"
)

// auditActions names the audit log's actions in Chinese, in the order the filter lists them.
var auditActions = []option{
	{"login", "登录"},
	{"login_failed", "登录失败"},
	{"logout", "退出"},
	{"password", "修改密码"},
	{"download", "下载"},
	{"upload", "代县上传"},
	{"generate", "生成报告"},
	{"send", "发送报告"},
	{"targets_import", "导入目标"},
	{"targets_export", "导出目标"},
	{"user_add", "新建账号"},
	{"user_reset", "重设密码"},
	{"user_role", "更改角色"},
	{"user_disable", "停用账号"},
	{"user_enable", "启用账号"},
	{"remind_now", "立即催报"},
	{"contacts", "修改联系人"},
	{"template_download", "下载模板"},
	{"review_accept", "审核通过"},
	{"review_return", "审核退回"},
	{"review_explanation", "认可情况说明"},
	{"issue_assign", "问题交办"},
	{"issue_opinion", "办理意见"},
	{"issue_close", "问题办结销号"},
	{"issue_reopen", "问题重新打开"},
	{"issue_export", "导出问题台账"},
}

// auditLabel names an action; an action this list lacks (another page's) shows as it is stored.
func auditLabel(action string) string {
	for _, a := range auditActions {
		if a.Value == action {
			return a.Label
		}
	}
	return action
}

// maxAuditExport caps an export of the audit log, newest first.
const maxAuditExport = 100000

type auditRow struct {
	sqlite.AuditEntry
	Label string
}

type auditView struct {
	Action, User string
	Actions      []option
	Users        []option
	List         listQuery
	Rows         []auditRow
	Pager        pager
}

// auditLog shows who did what (admins only): logins, downloads, uploads, generations, account
// changes — filtered by action, user, keyword and date, a page at a time, or exported whole.
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "审计日志", "audit")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	lq, err := parseListQuery(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	q := r.URL.Query()
	v := auditView{Action: q.Get("action"), User: q.Get("user"), List: lq}
	v.Actions = append([]option{{"", "全部"}}, auditActions...)
	names, err := s.w.Store.AuditUsers(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	v.Users = []option{{"", "全部用户"}}
	for _, n := range names {
		v.Users = append(v.Users, option{n, n})
	}
	if v.User != "" && !slices.Contains(names, v.User) {
		v.Users = append(v.Users, option{v.User, v.User})
	}
	f := sqlite.AuditFilter{Action: v.Action, UserName: v.User, From: lq.from, To: lq.to, Query: lq.Q}
	total, err := s.w.Store.CountAudit(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if lq.Export {
		f.Limit = maxAuditExport
		entries, err := s.w.Store.FindAudit(r.Context(), f)
		if err != nil {
			s.error(w, r, err)
			return
		}
		title := "审计日志"
		if total > len(entries) {
			title += fmt.Sprintf("（共 %d 条，导出最近 %d 条）", total, len(entries))
		}
		t := exportTable{Sheet: "审计日志", Title: title, Columns: cols("时间", "用户", "操作", "内容", "来源地址")}
		for _, e := range entries {
			t.Rows = append(t.Rows, []any{e.At, e.UserName, auditLabel(e.Action), e.Detail, e.Remote})
		}
		s.sendXLSX(w, r, "审计日志", t)
		return
	}
	v.Pager = newPager(r, &lq, total)
	v.List = lq
	f.Offset, f.Limit = lq.offset(), lq.Size
	entries, err := s.w.Store.FindAudit(r.Context(), f)
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, e := range entries {
		v.Rows = append(v.Rows, auditRow{AuditEntry: e, Label: auditLabel(e.Action)})
	}
	p.Hidden = map[string]string{"action": v.Action, "user": v.User, "q": lq.Q, "from": lq.From, "to": lq.To}
	p.Data = v
	s.render(w, r, http.StatusOK, "audit", p)
}

// notFound answers every path no route matches.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.error(w, r, errNotFound)
}
