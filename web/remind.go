package web

import (
	"fmt"
	"net/http"
	"net/mail"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"lingpao"
	"lingpao/jobs"
	"lingpao/sqlite"
)

// remindRow is one county on the 催报 page.
type remindRow struct {
	Org, Name string
	State     lingpao.ReportState
	// Current is the submission in force, Reported whether the county has an accepted return.
	Current  int64
	Reported bool
	Contacts []sqlite.Contact
	// Addresses are where its reminders go (the configuration's and the contacts').
	Addresses []string
	// Last is its latest reminder of any month; Count its reminders for the month shown.
	Last  *jobs.ReminderEvent
	Count int
}

type remindView struct {
	Month    lingpao.Period
	Deadline time.Time
	Overdue  bool
	// MailOn is whether an SMTP server is configured.
	MailOn     bool
	Rows       []remindRow
	Unreported int
}

// remindList is the 催报 page: per county, its reporting state for the month, its contacts, when it
// was last reminded and how often this month, with 立即催报 for one county or all that have not
// reported.
func (s *Server) remindList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := s.newPage(r, "催报", "remind")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	now := s.now()
	rr, err := s.reporting(r, p.Period)
	if err != nil {
		s.error(w, r, err)
		return
	}
	contacts, err := s.w.Store.Contacts(ctx, "")
	if err != nil {
		s.error(w, r, err)
		return
	}
	byOrg := map[string][]sqlite.Contact{}
	for _, c := range contacts {
		byOrg[c.Org] = append(byOrg[c.Org], c)
	}
	hist, err := s.w.ReminderHistory(ctx, "")
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := remindView{Month: p.Period, Deadline: rr.Deadline, Overdue: !now.Before(rr.Deadline.AddDate(0, 0, 1)), MailOn: s.w.Config.Mail.Enabled()}
	for _, cr := range rr.Counties {
		row := remindRow{Org: cr.Org, Name: s.orgName(cr.Org), State: cr.State, Contacts: byOrg[cr.Org], Reported: cr.First != nil || cr.State == lingpao.ReportMerged}
		if cr.Current != nil {
			row.Current = cr.Current.ID
		}
		if row.Addresses, err = s.w.CountyAddresses(ctx, cr.Org); err != nil {
			s.error(w, r, err)
			return
		}
		for i := range hist {
			e := &hist[i]
			if e.Org != cr.Org {
				continue
			}
			if row.Last == nil {
				row.Last = e
			}
			if e.Month == p.Period {
				row.Count++
			}
		}
		if !row.Reported {
			v.Unreported++
		}
		v.Rows = append(v.Rows, row)
	}
	// The counties to chase first, the others after, each in the order of the org tree.
	sort.SliceStable(v.Rows, func(i, j int) bool { return !v.Rows[i].Reported && v.Rows[j].Reported })
	p.Data = v
	s.render(w, r, http.StatusOK, "remind", p)
}

// reporting computes the reporting of month m as of now.
func (s *Server) reporting(r *http.Request, m lingpao.Period) (lingpao.ReportingRate, error) {
	subs, err := s.w.Store.FindSubmissions(r.Context(), sqlite.SubmissionFilter{Period: m.String()})
	if err != nil {
		return lingpao.ReportingRate{}, err
	}
	cfg := s.w.Config
	return lingpao.ComputeReporting(s.counties(), m, subs, s.w.Catalog.Calendar(), cfg.DeadlineDay, cfg.MergeJanFeb, s.now()), nil
}

type remindDoneView struct {
	Month    lingpao.Period
	Outcomes []jobs.RemindOutcome
	Sent     int
	MailOn   bool
	Mails    int
}

// remindSend reminds one county (org) or every county that has not reported (all=1) of the month's
// return now, and shows what was sent where.
func (s *Server) remindSend(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	m, err := lingpao.ParsePeriod(r.PostFormValue("period"))
	if err != nil || m.Kind != lingpao.Month {
		s.error(w, r, lingpao.Errorf(lingpao.EINVALID, "催报的月份有误：请从催报页面重新操作。"))
		return
	}
	req := jobs.RemindRequest{Month: m, User: sessionUser(r)}
	if r.PostFormValue("all") != "1" {
		c, err := s.county(r.PostFormValue("org"))
		if err != nil {
			s.error(w, r, err)
			return
		}
		req.Orgs = []string{c.Code}
	}
	out, err := s.w.RemindNow(ctx, req)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v := remindDoneView{Month: m, Outcomes: out, MailOn: s.w.Config.Mail.Enabled()}
	var names []string
	for _, o := range out {
		if o.Reminder != 0 {
			v.Sent++
			v.Mails += len(o.Mailed)
			names = append(names, o.Name)
		}
	}
	if v.Sent > 0 {
		s.audit(r, "remind_now", fmt.Sprintf("%s报表立即催报 %d 个单位：%s", m.Label(), v.Sent, strings.Join(names, "、")))
	}
	p := s.newPage(r, "催报结果", "remind")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	p.Period = m
	p.Data = v
	s.render(w, r, http.StatusOK, "remind_done", p)
}

type remindCountyView struct {
	County   lingpao.OrgUnit
	Month    lingpao.Period
	State    lingpao.ReportState
	Reported bool
	Contacts []contactRow
	// Filler is the contact written in the county's latest return (填报人, 联系电话).
	Filler    *lingpao.Submission
	Config    []string
	History   []jobs.ReminderEvent
	MailOn    bool
	Saved     bool
	Problems  []string
	Addresses []string
}

// contactRow is one line of the contacts form.
type contactRow struct {
	sqlite.Contact
	N int
}

// contactRows is how many lines the contacts form offers at most.
const contactRows = 8

// remindCounty shows one county's contacts (editable by staff) and every reminder it received.
func (s *Server) remindCounty(w http.ResponseWriter, r *http.Request) {
	c, err := s.county(r.PathValue("org"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderRemindCounty(w, r, c, nil, nil, http.StatusOK)
}

func (s *Server) renderRemindCounty(w http.ResponseWriter, r *http.Request, c lingpao.OrgUnit, edited []sqlite.Contact, problems []string, status int) {
	ctx := r.Context()
	p := s.newPage(r, c.Name+" 催报与联系人", "remind")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	p.Path = "/remind/" + c.Code // also when a refused form is shown again: the period picker goes to the page
	v := remindCountyView{County: c, Month: p.Period, MailOn: s.w.Config.Mail.Enabled(), Saved: r.URL.Query().Get("saved") == "1", Problems: problems}
	rr, err := s.reporting(r, p.Period)
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, cr := range rr.Counties {
		if cr.Org == c.Code {
			v.State, v.Reported = cr.State, cr.First != nil || cr.State == lingpao.ReportMerged
		}
	}
	cs := edited
	if cs == nil {
		if cs, err = s.w.Store.Contacts(ctx, c.Code); err != nil {
			s.error(w, r, err)
			return
		}
	}
	for i := 0; i < contactRows && (i < len(cs)+2 || i < 3); i++ {
		row := contactRow{N: i, Contact: sqlite.Contact{Remind: true}}
		if i < len(cs) {
			row.Contact = cs[i]
		}
		v.Contacts = append(v.Contacts, row)
	}
	subs, err := s.w.Store.FindSubmissions(ctx, sqlite.SubmissionFilter{Org: c.Code, Status: lingpao.SubAccepted})
	if err != nil {
		s.error(w, r, err)
		return
	}
	for i := len(subs) - 1; i >= 0; i-- {
		if subs[i].Contact != "" || subs[i].Phone != "" {
			v.Filler = &subs[i]
			break
		}
	}
	for k, addrs := range s.w.Config.Mail.Recipients.Counties {
		if u, err := s.w.Catalog.Tree.Find(k); err == nil && u.Code == c.Code {
			v.Config = append(v.Config, addrs...)
		}
	}
	if v.Addresses, err = s.w.CountyAddresses(ctx, c.Code); err != nil {
		s.error(w, r, err)
		return
	}
	if v.History, err = s.w.ReminderHistory(ctx, c.Code); err != nil {
		s.error(w, r, err)
		return
	}
	p.Data = v
	s.render(w, r, status, "remind_county", p)
}

// contactsSave replaces a county's contacts with the form's lines; blank lines are dropped. A form
// with mistakes is shown again with what was typed and what to fix.
func (s *Server) contactsSave(w http.ResponseWriter, r *http.Request) {
	c, err := s.county(r.PathValue("org"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	var cs []sqlite.Contact
	var problems []string
	for i := 0; i < contactRows; i++ {
		n := strconv.Itoa(i)
		ct := sqlite.Contact{
			Name:  strings.TrimSpace(r.PostFormValue("name_" + n)),
			Title: strings.TrimSpace(r.PostFormValue("title_" + n)),
			Phone: strings.TrimSpace(r.PostFormValue("phone_" + n)),
			Email: strings.TrimSpace(r.PostFormValue("email_" + n)),
		}
		// 接收催报 needs an address; a contact with only a phone is kept without it.
		ct.Remind = r.PostFormValue("remind_"+n) == "1" && ct.Email != ""
		if ct.Name == "" && ct.Title == "" && ct.Phone == "" && ct.Email == "" {
			continue
		}
		problems = append(problems, checkContact(i+1, ct)...)
		cs = append(cs, ct)
	}
	if len(problems) > 0 {
		s.renderRemindCounty(w, r, c, cs, problems, http.StatusBadRequest)
		return
	}
	if err := s.w.Store.SetContacts(r.Context(), c.Code, cs, sessionUser(r), s.now()); err != nil {
		s.error(w, r, err)
		return
	}
	var names []string
	for _, ct := range cs {
		names = append(names, strings.TrimSpace(ct.Name+" "+ct.Email))
	}
	detail := fmt.Sprintf("%s联系人改为 %d 人", c.Name, len(cs))
	if len(names) > 0 {
		detail += "：" + strings.Join(names, "、")
	}
	s.audit(r, "contacts", detail)
	http.Redirect(w, r, link("/remind/"+c.Code, lingpao.Period{}, "period", r.PostFormValue("period"), "saved", "1"), http.StatusSeeOther)
}

// checkContact returns what is wrong with line n of the contacts form, in Chinese.
func checkContact(n int, c sqlite.Contact) []string {
	var out []string
	if c.Name == "" {
		out = append(out, fmt.Sprintf("第 %d 行：请填写姓名。", n))
	}
	for _, f := range []struct {
		what, v string
		max     int
	}{{"姓名", c.Name, 20}, {"职务", c.Title, 20}, {"电话", c.Phone, 30}, {"邮箱", c.Email, 100}} {
		if utf8.RuneCountInString(f.v) > f.max {
			out = append(out, fmt.Sprintf("第 %d 行：%s最多 %d 个字。", n, f.what, f.max))
		}
	}
	if c.Phone != "" && strings.Trim(c.Phone, "0123456789-+ ()转") != "" {
		out = append(out, fmt.Sprintf("第 %d 行：电话“%s”只能含数字、“-”、“+”、空格、括号和“转”（分机）。", n, c.Phone))
	}
	if c.Email != "" {
		if a, err := mail.ParseAddress(c.Email); err != nil || a.Address != c.Email || !strings.Contains(a.Address, ".") {
			out = append(out, fmt.Sprintf("第 %d 行：邮箱“%s”格式不对，应为 name@example.gov.cn 这样的地址。", n, c.Email))
		}
	}
	return out
}

// downloadReminder sends the .txt of a reminder sent from the page, by its id.
func (s *Server) downloadReminder(w http.ResponseWriter, r *http.Request) {
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	rem, err := s.w.Store.FindReminder(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if rem.Txt == "" || !filepath.IsLocal(filepath.FromSlash(rem.Txt)) {
		s.error(w, r, lingpao.Errorf(lingpao.ENOTFOUND, "这次催报没有写回执文件。"))
		return
	}
	s.serveFile(w, r, filepath.Join(s.w.Config.Dir, filepath.FromSlash(rem.Txt)), filepath.Base(rem.Txt))
}

// sessionUser names the request's user.
func sessionUser(r *http.Request) string {
	sess, _ := sessionFrom(r.Context())
	return sess.User.Name
}
