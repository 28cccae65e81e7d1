package jobs

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"lingpao"
	"lingpao/scheduler"
	"lingpao/sqlite"
)

// Remind is the 催报 job. On the days the reminder rule picks for `at` (T−3 and T−1 working days
// before a month's deadline, and when it is overdue — lingpao.RemindersDue over the holiday calendar)
// it reminds each county that has not yet had a return accepted for that month: an e-mail to the
// county's addresses and, with reminders.write_txt, a .txt in its receipts folder. Who has reported is
// judged now, so a county that reported since the scheduled time is not chased.
func (s *Service) Remind(ctx context.Context, at time.Time) (scheduler.Result, error) {
	cfg := s.W.Config
	cal := s.W.Catalog.Calendar()
	dues := lingpao.RemindersDue(cal, at, cfg.DeadlineDay, cfg.MergeJanFeb, cfg.Reminders)
	var res scheduler.Result
	if len(dues) == 0 {
		res.Summary = "今日不是提醒日，无需催报。"
		if !cal.IsWorkday(at) {
			res.Summary = "非工作日，无需催报。"
		}
		return res, nil
	}
	now := s.W.now()
	counties := s.W.Catalog.Tree.Counties(cfg.City)
	var mails []lingpao.Delivery
	var lines []string
	for _, due := range dues {
		subs, err := s.W.Store.FindSubmissions(ctx, sqlite.SubmissionFilter{Period: due.Month.String()})
		if err != nil {
			return res, err
		}
		rr := lingpao.ComputeReporting(counties, due.Month, subs, cal, cfg.DeadlineDay, cfg.MergeJanFeb, now)
		var chased, noMail []string
		for _, cr := range rr.Counties {
			if cr.First != nil || cr.State == lingpao.ReportMerged {
				continue
			}
			name := s.W.Catalog.Tree.Name(cr.Org)
			chased = append(chased, name)
			subject, body := reminderText(s.W, due, name, lastRejection(subs, cr.Org), now, cal)
			if cfg.Reminders.WriteTxt {
				path := filepath.Join(cfg.Path(lingpao.ReceiptsDir, name),
					fmt.Sprintf("催报_%s_%s.txt", due.Month.Label(), at.In(lingpao.Beijing).Format("20060102")))
				if err := lingpao.WriteFileBytesAtomic(path, []byte(strings.ReplaceAll(subject+"\n\n"+body, "\n", "\r\n")+"\r\n")); err != nil {
					return res, err
				}
				res.Outputs = append(res.Outputs, s.rel(path))
			}
			addrs, err := s.W.CountyAddresses(ctx, cr.Org) // the configuration's and the page's contacts
			if err != nil {
				return res, err
			}
			if len(addrs) == 0 {
				noMail = append(noMail, name)
			}
			for _, addr := range addrs {
				key := fmt.Sprintf("remind/%s/%s%d/%s/%s/%s", due.Month, due.Kind, due.Workdays, lingpao.FormatDate(at), cr.Org, addr)
				mails = append(mails, lingpao.Delivery{Key: key, Role: lingpao.RoleCounty, Org: cr.Org, To: addr, Subject: subject, Body: body})
			}
		}
		kind := "报送提醒"
		if due.Kind == lingpao.RemindOverdue {
			kind = "逾期催报"
		}
		line := fmt.Sprintf("%s报表%s（截止 %s）：", due.Month.Label(), kind, lingpao.FormatDateCN(due.Deadline))
		if len(chased) == 0 {
			line += "各单位均已报送"
		} else {
			line += fmt.Sprintf("%d 个单位未报送（%s）", len(chased), strings.Join(chased, "、"))
		}
		if len(noMail) > 0 && cfg.Mail.Enabled() {
			line += fmt.Sprintf("，其中 %d 个未配置邮箱（%s）", len(noMail), strings.Join(noMail, "、"))
		}
		lines = append(lines, line)
	}
	n, err := s.queue(ctx, mails)
	res.Summary = strings.Join(lines, "；")
	if len(mails) > 0 {
		res.Summary += fmt.Sprintf("；%d 封催报邮件待发送", n)
	}
	return res, err
}

// lastRejection returns the latest rejected file of org among subs, if any.
func lastRejection(subs []lingpao.Submission, org string) *lingpao.Submission {
	var last *lingpao.Submission
	for i := range subs {
		s := subs[i]
		if s.Org == org && s.Status == lingpao.SubRejected && (last == nil || s.ReceivedAt.After(last.ReceivedAt)) {
			last = &subs[i]
		}
	}
	return last
}

// reminderText is a reminder in plain Chinese: the period, the deadline (and how many working days
// are left or have passed, counted now), what is missing, and where to put the return.
func reminderText(w *Workspace, due lingpao.ReminderDue, county string, rejected *lingpao.Submission, now time.Time, cal *lingpao.Calendar) (subject, body string) {
	weekday := [...]string{"日", "一", "二", "三", "四", "五", "六"}[due.Deadline.In(lingpao.Beijing).Weekday()]
	deadline := fmt.Sprintf("%s（星期%s）", lingpao.FormatDateCN(due.Deadline), weekday)
	dueEnd := due.Deadline.AddDate(0, 0, 1)
	var when string
	if now.Before(dueEnd) {
		subject = fmt.Sprintf("【报送提醒】%s %s县域特色产业集群报表请于%s前报送", county, due.Month.Label(), lingpao.FormatDateCN(due.Deadline))
		left := 0
		for d := startOfDay(now); d.Before(dueEnd); d = d.AddDate(0, 0, 1) {
			if cal.IsWorkday(d) {
				left++
			}
		}
		when = fmt.Sprintf("本期报送截止日为 %s（每月%d日前报送，遇法定节假日顺延），含今天还有 %d 个工作日。", deadline, w.Config.DeadlineDay, left)
	} else {
		late := 0
		for d := dueEnd; !d.After(now); d = d.AddDate(0, 0, 1) {
			if cal.IsWorkday(d) {
				late++
			}
		}
		subject = fmt.Sprintf("【催报】%s %s县域特色产业集群报表已逾期，请尽快报送", county, due.Month.Label())
		when = fmt.Sprintf("本期报送截止日为 %s，已逾期 %d 个工作日。逾期未报将记入报送情况通报，并按督办规定逐级提醒。", deadline, late)
	}
	missing := fmt.Sprintf("截至 %s，尚未收到贵单位 %s 的县域特色产业集群报表（集群指标、企业名录、问题台账）。", fmtCN(now), due.Month.Label())
	if rejected != nil {
		reason := rejected.Reason
		if reason == "" {
			reason = "有错误，详见回执"
		}
		missing = fmt.Sprintf("截至 %s，贵单位 %s 的报表尚未被受理：%s 报送的文件“%s”已退回（%s）。请按回执修改后重新报送。",
			fmtCN(now), due.Month.Label(), fmtCN(rejected.ReceivedAt), rejected.FileName, reason)
	}
	body = fmt.Sprintf("%s：\n\n%s\n%s\n\n请使用本期报表模板填报，将文件放入共享文件夹 inbox/%s/，系统自动受理并在 receipts/%s/ 中写回执。如已报送，请忽略本提醒。\n\n%s\n（本邮件由 lingpao 自动发送，请勿直接回复。）",
		county, missing, when, county, county, w.Config.IssuingUnit)
	return subject, body
}

func startOfDay(t time.Time) time.Time {
	t = t.In(lingpao.Beijing)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, lingpao.Beijing)
}
