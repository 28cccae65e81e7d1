package jobs

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"lingpao"
	"lingpao/delivery"
	"lingpao/scheduler"
	"lingpao/sqlite"
)

// deliverLease is how long a sender holds a mail it is sending; a sender that dies leaves it to
// expire, and the mail is sent again.
const deliverLease = 10 * time.Minute

// deliverBatch bounds the mails one run of the deliver job sends.
const deliverBatch = 200

// Deliver is the mail job: it sends the queued e-mails that are due, one SMTP transaction per
// recipient. A mail that fails for a passing reason (the server cannot be reached, stalls, or refuses
// for now with a 4xx) stays queued and is tried again after mail.retry's backoff — never dropped; one
// the server refuses permanently (a 5xx reply: no such mailbox) is not tried again, and is listed
// (lingpao deliveries list) until an operator retries or cancels it. When the server cannot be reached
// or stalls, the run stops and everything waits for the next try; when the service is asked to stop,
// the run stops between two mails. Its problems tell the admins — once — about mail refused and about
// mail that has failed mail.notify_after times. Every mail sent or failed is one log line.
func (s *Service) Deliver(ctx context.Context, at time.Time) (scheduler.Result, error) {
	var res scheduler.Result
	if s.Mailer == nil {
		// Mail was configured once and is not now: the queue waits (a problem says so) rather than
		// failing a run every minute.
		pending, err := s.W.Store.FindDeliveries(ctx, sqlite.DeliveryFilter{Status: lingpao.DeliveryPending})
		if err != nil || len(pending) == 0 {
			res.Problems = []lingpao.Problem{}
			return res, err
		}
		res.Summary = fmt.Sprintf("%d 封邮件待发送，但没有配置邮件服务器（mail.smtp.host）：请配置后重启 lingpao serve。", len(pending))
		res.Problems = []lingpao.Problem{{Key: "mail/no-server", Title: fmt.Sprintf("%d 封邮件待发送，但没有配置邮件服务器", len(pending)), Silent: true,
			Detail: "lingpao.yaml 的 mail.smtp.host 为空，邮件队列中的邮件无法发出。", Action: "在 lingpao.yaml 中配置 mail.smtp 后重启 lingpao serve；不需要的邮件可运行 lingpao deliveries cancel 取消。"}}
		return res, nil
	}
	// The daily reminders of open problems go out with this run.
	if _, err := s.W.Store.RemindAlarms(ctx, s.W.now(), s.alarmNotices); err != nil {
		return res, err
	}
	mcfg := s.W.Config.Mail
	var sent, failed, refused int
	var lastErr error
	stopping := scheduler.Stopping(ctx)
	for i := 0; i < deliverBatch && ctx.Err() == nil; i++ {
		select {
		case <-stopping:
			i = deliverBatch // the service is stopping: the rest waits for the next start
			continue
		default:
		}
		now := s.W.now()
		ds, err := s.W.Store.ClaimDueDeliveries(ctx, now, now.Add(deliverLease), 1)
		if err != nil {
			return res, err
		}
		if len(ds) == 0 {
			break
		}
		d := ds[0]
		err = s.send(ctx, d)
		book := context.WithoutCancel(ctx) // the outcome is recorded even when the send was cut off
		switch {
		case err == nil:
			if err := s.W.Store.MarkDeliverySent(book, d.ID, s.W.now()); err != nil {
				return res, err
			}
			sent++
			s.Log.Info("邮件已发送", "delivery", d.ID, "to", d.To, "subject", d.Subject, "attachments", len(d.Attachments))
			continue
		case errors.Is(err, delivery.ErrInterrupted):
			if err := s.W.Store.ReleaseDelivery(book, d.ID); err != nil {
				return res, err
			}
			s.Log.Warn("邮件发送被中断，下次启动后重新发送", "delivery", d.ID, "to", d.To, "subject", d.Subject)
			i = deliverBatch
			continue
		case errors.Is(err, delivery.ErrPermanent):
			refused++
			lastErr = err
			if err := s.W.Store.MarkDeliveryRefused(book, d.ID, errorLine(err), s.W.now()); err != nil {
				return res, err
			}
			s.Log.Error("邮件被拒收，不再重试", "delivery", d.ID, "to", d.To, "subject", d.Subject, "err", errorLine(err))
			continue
		}
		failed++
		lastErr = err
		x, merr := s.W.Store.MarkDeliveryFailed(book, d.ID, errorLine(err), s.W.now().Add(mcfg.Retry.Delay(d.Attempts+1)))
		if merr != nil {
			return res, merr
		}
		s.Log.Warn("邮件发送失败，将重试", "delivery", d.ID, "to", d.To, "subject", d.Subject, "attempts", x.Attempts, "next", fmtCN(x.NextAttempt), "err", errorLine(err))
		if errors.Is(err, delivery.ErrUnreachable) || errors.Is(err, delivery.ErrTimeout) {
			break // the server is down or stalls: the rest would wait the same way
		}
	}
	var err error
	if res.Problems, err = s.mailProblems(context.WithoutCancel(ctx)); err != nil {
		return res, err
	}
	if sent+failed+refused > 0 {
		res.Summary = fmt.Sprintf("发送邮件 %d 封", sent)
		if failed > 0 {
			res.Summary += fmt.Sprintf("，%d 封失败（稍后重试）", failed)
		}
		if refused > 0 {
			res.Summary += fmt.Sprintf("，%d 封被拒收（不再重试）", refused)
		}
		if lastErr != nil {
			res.Summary += "：" + errorLine(lastErr)
		}
	}
	return res, nil
}

// mailProblems are the problems of the mail queue: each mail refused permanently (told once; those
// to the admins are only listed, their notice would go the same way), and — as one problem — the
// mails that have failed mail.notify_after times and are still being retried.
func (s *Service) mailProblems(ctx context.Context) ([]lingpao.Problem, error) {
	out := []lingpao.Problem{}
	refused, err := s.W.Store.FindDeliveries(ctx, sqlite.DeliveryFilter{Status: lingpao.DeliveryRefused})
	if err != nil {
		return nil, err
	}
	for _, d := range refused {
		out = append(out, lingpao.Problem{Key: fmt.Sprintf("mail/refused/%d", d.ID), Once: true, Silent: d.Role == lingpao.RoleAdmins,
			Title:  fmt.Sprintf("邮件被拒收：发给 %s 的「%s」", d.To, d.Subject),
			Detail: d.LastError + "。这封邮件不再自动重试。",
			Action: fmt.Sprintf("核对收件人地址（lingpao.yaml 的 mail.recipients）；改正后运行 lingpao deliveries retry %d 重发，不需要时运行 lingpao deliveries cancel %d。", d.ID, d.ID)})
	}
	failing, err := s.W.Store.FindDeliveries(ctx, sqlite.DeliveryFilter{Failing: true})
	if err != nil {
		return nil, err
	}
	var stuck []lingpao.Delivery
	silent := true
	for _, d := range failing {
		if d.Attempts >= max(s.W.Config.Mail.NotifyAfter, 1) {
			stuck = append(stuck, d)
			silent = silent && d.Role == lingpao.RoleAdmins
		}
	}
	if len(stuck) > 0 {
		var lines []string
		for i, d := range stuck {
			if i == 10 {
				lines = append(lines, fmt.Sprintf("……共 %d 封", len(stuck)))
				break
			}
			lines = append(lines, fmt.Sprintf("发给 %s 的「%s」失败 %d 次，下次重试 %s", d.To, d.Subject, d.Attempts, fmtCN(d.NextAttempt)))
		}
		out = append(out, lingpao.Problem{Key: "mail/failing", Once: true, Silent: silent,
			Title:  fmt.Sprintf("邮件多次发送失败：%d 封", len(stuck)),
			Detail: fmt.Sprintf("最近的错误：%s。%s。", stuck[len(stuck)-1].LastError, strings.Join(lines, "；")),
			Action: "检查 lingpao.yaml 的 mail 配置和邮件服务器；lingpao 会继续自动重试，直到发出为止。待发邮件：lingpao deliveries list。"})
	}
	return out, nil
}

// send sends one queued mail with its attachments read from the workspace.
func (s *Service) send(ctx context.Context, d lingpao.Delivery) error {
	msg := delivery.Message{From: s.W.Config.Mail.From, To: []string{d.To}, Subject: d.Subject, Body: d.Body, Date: s.W.now()}
	for _, a := range d.Attachments {
		b, err := os.ReadFile(s.W.Config.Path(filepath.FromSlash(a)))
		if err != nil {
			return lingpao.Errorf(lingpao.EINVALID, "附件 %s 无法读取（%v）：文件被移走或删除了？恢复后会自动重发。", a, err)
		}
		msg.Attachments = append(msg.Attachments, delivery.Attachment{Name: filepath.Base(a), Data: b})
	}
	return s.Mailer.Send(ctx, msg)
}

// errorLine is the user-facing message of err (the whole chain for an internal error).
func errorLine(err error) string {
	if err == nil {
		return ""
	}
	if lingpao.ErrorCode(err) == lingpao.EINTERNAL {
		return err.Error()
	}
	return lingpao.ErrorMessage(err)
}
