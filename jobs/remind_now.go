package jobs

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"lingpao"
	"lingpao/sqlite"
)

// CountyAddresses returns the e-mail addresses county org is written to — those of
// mail.recipients.counties in the configuration and those of its contacts kept in the page (with
// 接收催报 ticked) — each once, in that order.
func (w *Workspace) CountyAddresses(ctx context.Context, org string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(a string) {
		a = strings.TrimSpace(a)
		if a != "" && !seen[strings.ToLower(a)] {
			seen[strings.ToLower(a)] = true
			out = append(out, a)
		}
	}
	keys := make([]string, 0, len(w.Config.Mail.Recipients.Counties))
	for k := range w.Config.Mail.Recipients.Counties {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if u, err := w.Catalog.Tree.Find(k); err == nil && u.Code == org {
			for _, a := range w.Config.Mail.Recipients.Counties[k] {
				add(a)
			}
		}
	}
	cs, err := w.Store.Contacts(ctx, org)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.Remind {
			add(c.Email)
		}
	}
	return out, nil
}

// RemindRequest asks for reminders (立即催报) of one month, now, from the web page.
type RemindRequest struct {
	Month lingpao.Period
	// Orgs are the counties to remind; none means every county that has no accepted return yet.
	Orgs []string
	// User is who asked.
	User string
}

// RemindOutcome is what happened for one county.
type RemindOutcome struct {
	Org, Name string
	State     lingpao.ReportState
	// Reminder is the recorded reminder (0 when the county was not reminded); Skipped says why not.
	Reminder int64
	Skipped  string
	// Txt is the reminder written into the county's receipts folder, relative to the workspace.
	Txt string
	// Mailed are the addresses a mail was queued for; NoMail says why there is none.
	Mailed []string
	NoMail string
}

// remindAgainAfter is how long a county reminded from the page is left alone: a second click, or a
// reload of the page that sent it, does not send the same reminder twice.
const remindAgainAfter = 10 * time.Minute

// RemindNow reminds counties of month req.Month's return now — the same reminder the scheduled 催报
// job sends (reminderText: the deadline, the working days left or passed, a rejected file and why):
// a .txt in the county's receipts folder, and a mail to each of its addresses, queued for the deliver
// job. A county whose return has been accepted, a January reported with February, and a county
// reminded from the page in the last ten minutes are skipped with the reason.
func (w *Workspace) RemindNow(ctx context.Context, req RemindRequest) (_ []RemindOutcome, err error) {
	defer lingpao.Wrap(&err, "jobs.RemindNow(%s)", req.Month)
	if req.Month.Kind != lingpao.Month {
		return nil, lingpao.Errorf(lingpao.EINVALID, "催报按月进行：请选择月份。")
	}
	cfg, cal, now := w.Config, w.Catalog.Calendar(), w.now()
	counties := w.Catalog.Tree.Counties(cfg.City)
	subs, err := w.Store.FindSubmissions(ctx, sqlite.SubmissionFilter{Period: req.Month.String()})
	if err != nil {
		return nil, err
	}
	rr := lingpao.ComputeReporting(counties, req.Month, subs, cal, cfg.DeadlineDay, cfg.MergeJanFeb, now)
	want := map[string]bool{}
	for _, o := range req.Orgs {
		want[o] = true
	}
	recent, err := w.Store.Reminders(ctx, "")
	if err != nil {
		return nil, err
	}
	lastAt := map[string]time.Time{}
	for _, r := range recent {
		if r.Month == req.Month && r.At.After(lastAt[r.Org]) {
			lastAt[r.Org] = r.At
		}
	}
	due := lingpao.ReminderDue{Month: req.Month, Deadline: rr.Deadline, Kind: lingpao.RemindBefore}
	if !now.Before(rr.Deadline.AddDate(0, 0, 1)) {
		due.Kind = lingpao.RemindOverdue
	}
	var out []RemindOutcome
	for _, cr := range rr.Counties {
		if len(want) > 0 && !want[cr.Org] {
			continue
		}
		name := w.Catalog.Tree.Name(cr.Org)
		o := RemindOutcome{Org: cr.Org, Name: name, State: cr.State}
		switch {
		case cr.First != nil:
			o.Skipped = fmt.Sprintf("已报送（%s），无需催报", cr.State.Label())
		case cr.State == lingpao.ReportMerged:
			o.Skipped = "1月与2月合并报送，无需单独催报"
		case now.Sub(lastAt[cr.Org]) < remindAgainAfter:
			o.Skipped = fmt.Sprintf("%s 已催报过，10 分钟内不重复发送", lastAt[cr.Org].In(lingpao.Beijing).Format("15:04"))
		}
		if o.Skipped != "" {
			// Asked by name, every county is answered; asked for all, those just reminded are.
			if len(want) > 0 || (cr.First == nil && cr.State != lingpao.ReportMerged) {
				out = append(out, o)
			}
			continue
		}
		if err := w.remindOne(ctx, &o, due, lastRejection(subs, cr.Org), req.User, now, cal); err != nil {
			return out, err
		}
		out = append(out, o)
	}
	return out, nil
}

// remindOne writes the reminder of one county, records it, and queues its mails.
func (w *Workspace) remindOne(ctx context.Context, o *RemindOutcome, due lingpao.ReminderDue, rejected *lingpao.Submission, user string, now time.Time, cal *lingpao.Calendar) error {
	cfg := w.Config
	subject, body := reminderText(w, due, o.Name, rejected, now, cal)
	path := filepath.Join(cfg.Path(lingpao.ReceiptsDir, o.Name), fmt.Sprintf("催报_%s_%s.txt", due.Month.Label(), now.In(lingpao.Beijing).Format("20060102-150405")))
	if err := lingpao.WriteFileBytesAtomic(path, []byte(strings.ReplaceAll(subject+"\n\n"+body, "\n", "\r\n")+"\r\n")); err != nil {
		return err
	}
	o.Txt = relTo(cfg.Dir, path)
	addrs, err := w.CountyAddresses(ctx, o.Org)
	if err != nil {
		return err
	}
	switch {
	case len(addrs) == 0:
		o.NoMail = "未登记邮箱"
	case !cfg.Mail.Enabled():
		o.NoMail = "未配置邮件服务器（mail.smtp.host）"
	default:
		o.Mailed = addrs
	}
	rec := sqlite.Reminder{Org: o.Org, Month: due.Month, At: now, User: user, State: o.State, Txt: o.Txt, Recipients: o.Mailed}
	if err := w.Store.AddReminder(ctx, &rec); err != nil {
		return err
	}
	o.Reminder = rec.ID
	var mails []lingpao.Delivery
	for _, a := range o.Mailed {
		mails = append(mails, lingpao.Delivery{Key: fmt.Sprintf("remindnow/%d/%s", rec.ID, a), Role: lingpao.RoleCounty, Org: o.Org, To: a, Subject: subject, Body: body})
	}
	if len(mails) > 0 {
		if _, err := w.Store.QueueDeliveries(ctx, mails, now); err != nil {
			return err
		}
	}
	return nil
}

// relTo returns path relative to dir, with forward slashes, as the store keeps workspace paths.
func relTo(dir, path string) string {
	if r, err := filepath.Rel(dir, path); err == nil && filepath.IsLocal(r) {
		return filepath.ToSlash(r)
	}
	return path
}

// ReminderEvent is one reminder a county received, from the scheduled job or from the page.
type ReminderEvent struct {
	Org   string
	At    time.Time
	Month lingpao.Period
	// Kind is 报送提醒 (before the deadline), 逾期催报 (after it) or 立即催报 (from the page).
	Kind string
	// By is the user who sent it from the page, or 系统定时.
	By string
	// Reminder is the page's reminder id; Run and RunFile the run and output index of a scheduled
	// one's .txt: how the page links the file, by id, never by path.
	Reminder int64
	Run      int64
	RunFile  int
	// Txt is the .txt written, relative to the workspace ("" when none was written).
	Txt   string
	Mails []ReminderMail
}

// ReminderMail is one reminder e-mail and where it stands.
type ReminderMail struct {
	To     string
	Status string // 已发送, 待发送, 发送失败，重试中
}

// remindHistoryRuns bounds the runs of the 催报 job read for the history: more than a year of daily
// runs.
const remindHistoryRuns = 500

// ReminderHistory returns the reminders county org received (every county for ""), newest first:
// those sent from the page, and those of the scheduled 催报 job — its .txt files (from the run
// ledger) and its mails (from the mail queue).
func (w *Workspace) ReminderHistory(ctx context.Context, org string) (_ []ReminderEvent, err error) {
	defer lingpao.Wrap(&err, "jobs.ReminderHistory(%s)", org)
	mails, err := w.Store.ReminderMails(ctx, org)
	if err != nil {
		return nil, err
	}
	manual := map[int64][]ReminderMail{}
	type runKey struct {
		run   int64
		org   string
		month string
	}
	scheduled := map[runKey][]ReminderMail{}
	kinds := map[runKey]string{}
	for _, m := range mails {
		rm := ReminderMail{To: m.To, Status: mailStatus(m)}
		parts := strings.Split(m.Key, "/")
		switch {
		case parts[0] == "remindnow" && len(parts) >= 3:
			var id int64
			fmt.Sscan(parts[1], &id)
			manual[id] = append(manual[id], rm)
		case parts[0] == "remind" && len(parts) >= 6:
			k := runKey{m.RunID, m.Org, parts[1]}
			scheduled[k] = append(scheduled[k], rm)
			kinds[k] = parts[2]
		}
	}
	var out []ReminderEvent
	rs, err := w.Store.Reminders(ctx, org)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		out = append(out, ReminderEvent{Org: r.Org, At: r.At, Month: r.Month, Kind: "立即催报", By: r.User, Reminder: r.ID, Txt: r.Txt, Mails: manual[r.ID]})
	}
	runs, err := w.Store.FindJobRuns(ctx, sqlite.JobRunFilter{Job: lingpao.JobRemind, Limit: remindHistoryRuns})
	if err != nil {
		return nil, err
	}
	byName := map[string]string{}
	for _, c := range w.Catalog.Tree.Counties(w.Config.City) {
		byName[c.Name] = c.Code
	}
	for _, run := range runs {
		at := run.Started
		if at.IsZero() {
			at = run.Scheduled
		}
		seen := map[runKey]bool{}
		for i, path := range run.Outputs {
			county, month, ok := reminderFile(path, at)
			code := byName[county]
			if !ok || code == "" || (org != "" && code != org) {
				continue
			}
			k := runKey{run.ID, code, month.String()}
			seen[k] = true
			out = append(out, ReminderEvent{Org: code, At: at, Month: month, Kind: w.reminderKind(kinds[k], month, at), By: "系统定时",
				Run: run.ID, RunFile: i, Txt: path, Mails: scheduled[k]})
		}
		for k, ms := range scheduled {
			if k.run != run.ID || seen[k] {
				continue
			}
			m, _ := lingpao.ParsePeriod(k.month)
			out = append(out, ReminderEvent{Org: k.org, At: at, Month: m, Kind: w.reminderKind(kinds[k], m, at), By: "系统定时", Mails: ms})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	return out, nil
}

// reminderKind names a scheduled reminder: from its mail's key (before…, overdue…) or else by the
// date against the month's deadline.
func (w *Workspace) reminderKind(key string, m lingpao.Period, at time.Time) string {
	switch {
	case strings.HasPrefix(key, string(lingpao.RemindOverdue)):
		return "逾期催报"
	case strings.HasPrefix(key, string(lingpao.RemindBefore)):
		return "报送提醒"
	case at.After(w.Deadline(m).AddDate(0, 0, 1)):
		return "逾期催报"
	}
	return "报送提醒"
}

// reminderFile reads the county and month of a scheduled reminder's .txt
// (receipts/<县名>/催报_2025年9月_20251008.txt), the month being one of the few before the run.
func reminderFile(path string, at time.Time) (county string, m lingpao.Period, ok bool) {
	parts := strings.Split(path, "/")
	if len(parts) != 3 || parts[0] != lingpao.ReceiptsDir || !strings.HasPrefix(parts[2], "催报_") {
		return "", m, false
	}
	fields := strings.Split(strings.TrimSuffix(parts[2], ".txt"), "_")
	if len(fields) < 3 {
		return "", m, false
	}
	cur := lingpao.MonthOfTime(at)
	for i := -3; i <= 0; i++ {
		if c := cur.Add(i); c.Label() == fields[1] {
			return parts[1], c, true
		}
	}
	return "", m, false
}

// mailStatus says in Chinese where a mail stands.
func mailStatus(d lingpao.Delivery) string {
	switch {
	case d.Status == lingpao.DeliverySent:
		return "已发送"
	case d.Attempts > 0:
		return "发送失败，重试中"
	}
	return "待发送"
}
