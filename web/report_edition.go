package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"lingpao"
	"lingpao/reports"
	"lingpao/sqlite"
)

// An edition (PRODUCT §8) is one version of a report. Its page says what changed against the
// edition before it — the figures a late correction changed, the same list as its 更正说明 — and
// sends it to leaders, staff or counties by queuing mails in the delivery queue that service mode's
// mail job sends (and retries).

// sendTargets are the groups an edition can be sent to, in the form's order.
var sendTargets = []option{
	{lingpao.RoleLeaders, "领导"},
	{lingpao.RoleStaff, "工作人员"},
	{lingpao.RoleCounty, "各县（市、区）"},
}

type editionView struct {
	Edition sqlite.Edition
	Label   string
	Scope   string
	// Files are the edition's files by name, downloadable by index.
	Files []string
	// Editions are all editions of this report, for the links between them.
	Editions []sqlite.Edition
	// Previous is the edition this one revises; Changes what differs from it.
	Previous *sqlite.Edition
	Changes  []reports.Correction
	// Sent are the mails of this edition queued from the page.
	Sent []lingpao.Delivery
	// Targets are the groups it can go to, with how many addresses each has.
	Targets []sendTarget
	Mail    bool
	Message string
	Error   string
}

type sendTarget struct {
	Role, Label string
	Addresses   int
}

// editionPage shows one edition: its files, what changed since the edition before, and the form to
// send it.
func (s *Server) editionPage(w http.ResponseWriter, r *http.Request) {
	s.showEdition(w, r, http.StatusOK, "", "")
}

func (s *Server) showEdition(w http.ResponseWriter, r *http.Request, status int, message, failure string) {
	ctx := r.Context()
	ed, err := s.findEdition(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "报告版次", "reports")
	p.Path = "/reports/editions/" + strconv.FormatInt(ed.ID, 10) // the period picker reloads the page, not the form's address
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	v := editionView{Edition: ed, Label: kindLabel(ed.Kind), Scope: s.scopeName(ed.Scope), Mail: s.w.Config.Mail.Enabled(), Message: message, Error: failure}
	for _, f := range ed.Files {
		v.Files = append(v.Files, path.Base(f))
	}
	if v.Editions, err = s.w.Store.FindEditions(ctx, sqlite.EditionFilter{Kind: ed.Kind, Period: ed.Period, Scope: ed.Scope}); err != nil {
		s.error(w, r, err)
		return
	}
	for i := range v.Editions {
		if v.Editions[i].Edition == ed.Edition-1 {
			v.Previous = &v.Editions[i]
		}
	}
	if v.Previous != nil {
		if v.Changes, err = editionChanges(*v.Previous, ed); err != nil {
			s.error(w, r, err)
			return
		}
	}
	if v.Sent, err = s.w.Store.FindDeliveriesByKey(ctx, editionKey(ed.ID)); err != nil {
		s.error(w, r, err)
		return
	}
	for _, t := range sendTargets {
		v.Targets = append(v.Targets, sendTarget{Role: t.Value, Label: t.Label, Addresses: len(s.recipients(ed, t.Value))})
	}
	p.Title = fmt.Sprintf("%s · %s · 第%d版", v.Label, periodLabel(ed.Period), ed.Edition)
	p.Data = v
	s.render(w, r, status, "edition", p)
}

// editionChanges lists the figures that differ between an edition and the one before it.
func editionChanges(prev, cur sqlite.Edition) ([]reports.Correction, error) {
	var old, now []reports.Figure
	if err := json.Unmarshal(prev.Figures, &old); err != nil {
		return nil, fmt.Errorf("edition %d figures: %w", prev.ID, err)
	}
	if err := json.Unmarshal(cur.Figures, &now); err != nil {
		return nil, fmt.Errorf("edition %d figures: %w", cur.ID, err)
	}
	return reports.Diff(old, now), nil
}

// editionSend queues the edition's mails to the chosen groups. Mails already queued for the same
// edition and address are not queued again.
func (s *Server) editionSend(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ed, err := s.findEdition(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if !s.w.Config.Mail.Enabled() {
		s.showEdition(w, r, http.StatusBadRequest, "", "尚未配置邮件服务器（lingpao.yaml 的 mail.smtp.host），无法发送：请管理员配置后重试，或下载文件另行发送。")
		return
	}
	var roles []string
	for _, role := range r.PostForm["to"] {
		if !slices.ContainsFunc(sendTargets, func(o option) bool { return o.Value == role }) {
			s.error(w, r, lingpao.Errorf(lingpao.EINVALID, "收件人「%s」不存在：请从列表中选择。", clip(role, 20)))
			return
		}
		if !slices.Contains(roles, role) {
			roles = append(roles, role)
		}
	}
	if len(roles) == 0 {
		s.showEdition(w, r, http.StatusBadRequest, "", "请至少选择一类收件人。")
		return
	}
	note := strings.TrimSpace(r.PostFormValue("note"))
	if len([]rune(note)) > 500 {
		s.showEdition(w, r, http.StatusBadRequest, "", "附言太长（最多 500 字）：请缩短。")
		return
	}
	for _, f := range ed.Files {
		if _, err := s.workspaceFile(f); err != nil {
			s.showEdition(w, r, http.StatusConflict, "", fmt.Sprintf("文件「%s」已不在发件箱中，无法作为附件发送：请重新生成该报告。", path.Base(f)))
			return
		}
	}
	sess, _ := sessionFrom(ctx)
	subject, body := s.editionMail(ed, note, sess.User.Name)
	var mails []lingpao.Delivery
	var missing []string
	for _, role := range roles {
		rs := s.recipients(ed, role)
		if len(rs) == 0 {
			missing = append(missing, sendLabel(role))
		}
		for _, rc := range rs {
			mails = append(mails, lingpao.Delivery{Key: editionKey(ed.ID) + role + "/" + rc.addr, Role: role, Org: rc.org, To: rc.addr,
				Subject: subject, Body: body, Attachments: ed.Files})
		}
	}
	if len(mails) == 0 {
		s.showEdition(w, r, http.StatusBadRequest, "", fmt.Sprintf("%s没有配置邮箱（lingpao.yaml 的 mail.recipients）：未发送。", strings.Join(missing, "、")))
		return
	}
	added, err := s.w.Store.QueueDeliveries(ctx, mails, s.now())
	if err != nil {
		s.error(w, r, err)
		return
	}
	var labels []string
	for _, role := range roles {
		labels = append(labels, sendLabel(role))
	}
	s.audit(r, "send", fmt.Sprintf("发送%s（%s，第%d版）给%s：%d 封邮件加入发送队列", kindLabel(ed.Kind), periodLabel(ed.Period), ed.Edition, strings.Join(labels, "、"), added))
	msg := fmt.Sprintf("已把 %d 封邮件加入发送队列，服务将在一分钟内发出，发送结果见下表。", added)
	if dup := len(mails) - added; dup > 0 {
		msg += fmt.Sprintf("另有 %d 个地址此前已发送过本版，未重复发送。", dup)
	}
	if len(missing) > 0 {
		msg += fmt.Sprintf("%s没有配置邮箱，未发送。", strings.Join(missing, "、"))
	}
	s.showEdition(w, r, http.StatusOK, msg, "")
}

// editionKey is the key prefix of an edition's mails in the delivery queue.
func editionKey(id int64) string { return "edition/" + strconv.FormatInt(id, 10) + "/" }

func sendLabel(role string) string {
	for _, t := range sendTargets {
		if t.Value == role {
			return t.Label
		}
	}
	return role
}

// recipient is one address of a group, with the county it belongs to.
type recipient struct{ org, addr string }

// recipients returns the addresses of a group for an edition: leaders and staff from
// mail.recipients; for counties, each county's addresses — only the county's own for a county's
// scorecard.
func (s *Server) recipients(ed sqlite.Edition, role string) []recipient {
	var out []recipient
	seen := map[string]bool{}
	add := func(org, addr string) {
		if addr = strings.TrimSpace(addr); addr != "" && !seen[addr] {
			seen[addr] = true
			out = append(out, recipient{org, addr})
		}
	}
	if role != lingpao.RoleCounty {
		for _, a := range s.w.Config.Mail.Recipients.Role(role) {
			add("", a)
		}
		return out
	}
	keys := make([]string, 0, len(s.w.Config.Mail.Recipients.Counties))
	for k := range s.w.Config.Mail.Recipients.Counties {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		u, err := s.w.Catalog.Tree.Find(k)
		if err != nil || u.Level != lingpao.LevelCounty || !s.w.Catalog.Tree.IsUnder(u.Code, s.w.Config.City) {
			continue
		}
		if ed.Scope != "" && u.Code != ed.Scope {
			continue // a county's scorecard goes to that county only
		}
		for _, a := range s.w.Config.Mail.Recipients.Counties[k] {
			add(u.Code, a)
		}
	}
	return out
}

// editionMail words the mail of an edition.
func (s *Server) editionMail(ed sqlite.Edition, note, sender string) (subject, body string) {
	city := s.w.City().Name
	label := kindLabel(ed.Kind)
	what := city
	if ed.Scope != "" {
		what = s.scopeName(ed.Scope)
	}
	subject = fmt.Sprintf("【%s】%s %s", label, what, periodLabel(ed.Period))
	if ed.Edition > 1 {
		subject += fmt.Sprintf("（第%d版）", ed.Edition)
	}
	var names []string
	for _, f := range ed.Files {
		names = append(names, "  "+path.Base(f))
	}
	var b strings.Builder
	b.WriteString("各位领导、同志：\n\n")
	if note != "" {
		b.WriteString(note + "\n\n")
	}
	fmt.Fprintf(&b, "附件为%s%s%s", what, periodLabel(ed.Period), label)
	if ed.Edition > 1 {
		fmt.Fprintf(&b, "第%d版（更正第%d版，更正内容见报告中的更正说明）", ed.Edition, ed.Edition-1)
	}
	fmt.Fprintf(&b, "，数据截至 %s。\n\n%s\n\n%s\n（本邮件由 %s 通过 lingpao 发送，请勿直接回复。）", ed.CutOff.In(lingpao.Beijing).Format("2006年1月2日 15:04"),
		strings.Join(names, "\n"), s.w.Config.IssuingUnit, sender)
	return subject, b.String()
}

// scopeName names an edition's scope: the city for "", else the county.
func (s *Server) scopeName(scope string) string {
	if scope == "" {
		return s.w.City().Name
	}
	return s.orgName(scope)
}

// downloadEditionFile sends file {n} of an edition; the path comes from the store and must lie in
// the workspace.
func (s *Server) downloadEditionFile(w http.ResponseWriter, r *http.Request) {
	ed, err := s.findEdition(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 || n >= len(ed.Files) {
		s.error(w, r, lingpao.Errorf(lingpao.ENOTFOUND, "该版次没有这个文件：请回到报告档案重新选择。"))
		return
	}
	abs, err := s.workspaceFile(ed.Files[n])
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.serveFile(w, r, abs, path.Base(ed.Files[n]))
}

// workspaceFile resolves a path relative to the workspace (from the store) and checks that it stays
// inside it.
func (s *Server) workspaceFile(rel string) (string, error) {
	local := filepath.FromSlash(rel)
	if !filepath.IsLocal(local) {
		return "", lingpao.Errorf(lingpao.ENOTFOUND, "文件「%s」不在工作目录中。", path.Base(rel))
	}
	abs := filepath.Join(s.w.Config.Dir, local)
	if _, err := filepath.Abs(abs); err != nil {
		return "", err
	}
	if info, err := statRegular(abs); err != nil || !info {
		return "", lingpao.Errorf(lingpao.ENOTFOUND, "文件「%s」已不在工作目录中（可能已被移走或删除）。", path.Base(rel))
	}
	return abs, nil
}

func (s *Server) findEdition(r *http.Request) (sqlite.Edition, error) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		return sqlite.Edition{}, err
	}
	return s.w.Store.FindEdition(r.Context(), id)
}

// deliveryState names where a mail stands for the page.
func deliveryState(d lingpao.Delivery) string {
	switch {
	case d.Status == lingpao.DeliverySent:
		return "已发送"
	case d.Attempts > 0:
		return fmt.Sprintf("发送失败 %d 次，将重试", d.Attempts)
	}
	return "待发送"
}

// statRegular reports whether path is a regular file (not a link, not a folder).
func statRegular(path string) (bool, error) {
	info, err := os.Lstat(path)
	if err != nil {
		return false, err
	}
	return info.Mode().IsRegular(), nil
}
