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
// recipient. A mail that fails stays queued and is tried again after mail.retry's backoff — never
// dropped; once it has failed mail.notify_after times the admins are told (once). When the server
// cannot be reached at all the run stops and everything waits for the next try.
func (s *Service) Deliver(ctx context.Context, at time.Time) (scheduler.Result, error) {
	var res scheduler.Result
	if s.Mailer == nil {
		// Mail was configured once and is not now: the queue waits (and Health says so) rather than
		// failing a run every minute.
		pending, err := s.W.Store.FindDeliveries(ctx, sqlite.DeliveryFilter{Status: lingpao.DeliveryPending})
		if err != nil || len(pending) == 0 {
			return res, err
		}
		res.Summary = fmt.Sprintf("%d 封邮件待发送，但没有配置邮件服务器（mail.smtp.host）：请配置后重启 lingpao serve。", len(pending))
		s.Log.Warn(res.Summary)
		return res, nil
	}
	mcfg := s.W.Config.Mail
	var sent, failed int
	var lastErr error
	for i := 0; i < deliverBatch && ctx.Err() == nil; i++ {
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
		if err == nil {
			if err := s.W.Store.MarkDeliverySent(ctx, d.ID, s.W.now()); err != nil {
				return res, err
			}
			sent++
			continue
		}
		failed++
		lastErr = err
		x, merr := s.W.Store.MarkDeliveryFailed(ctx, d.ID, errorLine(err), s.W.now().Add(mcfg.Retry.Delay(d.Attempts+1)))
		if merr != nil {
			return res, merr
		}
		s.Log.Warn("邮件发送失败，将重试", "to", d.To, "subject", d.Subject, "attempts", x.Attempts, "next", fmtCN(x.NextAttempt), "err", errorLine(err))
		if errors.Is(err, delivery.ErrUnreachable) {
			break // the server is down: the rest would fail the same way
		}
	}
	if err := s.notifyStuck(ctx); err != nil {
		return res, err
	}
	if sent+failed > 0 {
		res.Summary = fmt.Sprintf("发送邮件 %d 封", sent)
		if failed > 0 {
			res.Summary += fmt.Sprintf("，%d 封失败（稍后重试）：%s", failed, errorLine(lastErr))
		}
	}
	return res, nil
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

// notifyStuck tells the admins, in one mail, about the mails that have now failed mail.notify_after
// times (each mail once). Mail to the admins themselves is not reported by mail.
func (s *Service) notifyStuck(ctx context.Context) error {
	failing, err := s.W.Store.FindDeliveries(ctx, sqlite.DeliveryFilter{Failing: true})
	if err != nil {
		return err
	}
	var stuck []lingpao.Delivery
	var ids, lines []string
	for _, d := range failing {
		if d.Attempts >= max(s.W.Config.Mail.NotifyAfter, 1) && !d.Notified && d.Role != lingpao.RoleAdmins {
			stuck = append(stuck, d)
			ids = append(ids, fmt.Sprint(d.ID))
			lines = append(lines, fmt.Sprintf("  发给 %s 的「%s」：失败 %d 次，下次重试 %s；最近的错误：%s", d.To, d.Subject, d.Attempts, fmtCN(d.NextAttempt), d.LastError))
		}
	}
	if len(stuck) == 0 {
		return nil
	}
	subject := fmt.Sprintf("【lingpao 邮件发送失败】%d 封邮件多次发送失败，仍在重试", len(stuck))
	body := fmt.Sprintf("以下邮件已多次发送失败，lingpao 会继续自动重试，直到发出为止：\n\n%s\n\n"+
		"请检查 lingpao.yaml 的 mail 配置、收件人地址和邮件服务器。待发邮件：lingpao jobs list\n（本邮件由 lingpao 自动发送。）", strings.Join(lines, "\n"))
	if _, err := s.W.Store.QueueDeliveries(ctx, s.toRoles([]string{lingpao.RoleAdmins}, "stuck/"+strings.Join(ids, ","), subject, body, nil), s.W.now()); err != nil {
		return err
	}
	for _, d := range stuck {
		if err := s.W.Store.MarkDeliveryNotified(ctx, d.ID); err != nil {
			return err
		}
	}
	return nil
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
