package jobs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"lingpao"
	"lingpao/ingest"
	"lingpao/scheduler"
)

// Poll is the inbox poll job: one poll (files stable since the previous poll are taken, validated,
// stored and answered with receipts). With mail.send_receipts each receipt is also e-mailed to the
// county. Its outputs are the receipts it wrote.
func (s *Service) Poll(ctx context.Context, at time.Time) (scheduler.Result, error) {
	results, err := s.PollInbox(ctx)
	var res scheduler.Result
	var acc, rej, dup int
	var mails []lingpao.Delivery
	for _, r := range results {
		sub := r.Submission
		switch {
		case r.Duplicate:
			dup++
			continue
		case sub.Status == lingpao.SubAccepted:
			acc++
		default:
			rej++
		}
		base := filepath.Join(ingest.ReceiptDir(s.W.Config, s.W.Catalog, sub), ingest.ReceiptBase(sub))
		files, _ := filepath.Glob(base + "*")
		sort.Strings(files)
		var attach []string
		line := ""
		for _, f := range files {
			switch strings.ToLower(filepath.Ext(f)) {
			case ".txt":
				res.Outputs = append(res.Outputs, s.rel(f))
				if b, err := os.ReadFile(f); err == nil {
					line = strings.TrimSpace(string(b))
				}
			case ".xlsx":
				attach = append(attach, s.rel(f))
			}
		}
		if s.W.Config.Mail.SendReceipts && sub.Org != "" {
			if line == "" {
				line = ingest.Summary(s.W.Catalog, sub)
			}
			mails = append(mails, s.receiptMails(sub, line, attach)...)
		}
	}
	if len(results) > 0 {
		res.Summary = fmt.Sprintf("处理 %d 个文件：受理 %d，退回 %d，重复 %d", len(results), acc, rej, dup)
	}
	if _, qerr := s.queue(ctx, mails); qerr != nil && err == nil {
		err = qerr
	}
	return res, err
}

// receiptMails are a receipt e-mailed to the county's addresses: the receipt's line as the body and
// its workbooks (the findings, the annotated copy) attached.
func (s *Service) receiptMails(sub lingpao.Submission, line string, attach []string) []lingpao.Delivery {
	name := s.W.Catalog.Tree.Name(sub.Org)
	what := sub.Status.Label()
	if sub.Status == lingpao.SubAccepted {
		what = fmt.Sprintf("已受理（第%d版）", sub.Version)
	}
	period := ""
	if !sub.Period.IsZero() {
		period = sub.Period.Label()
	}
	subject := fmt.Sprintf("【回执】%s %s报表 %s", name, period, what)
	body := fmt.Sprintf("%s：\n\n%s\n\n文件：%s\n收到时间：%s\n\n%s\n（本邮件由 lingpao 自动发送，请勿直接回复。）", name, line, sub.FileName, fmtCN(sub.ReceivedAt), s.W.Config.IssuingUnit)
	var out []lingpao.Delivery
	for _, addr := range s.county[sub.Org] {
		out = append(out, lingpao.Delivery{Key: fmt.Sprintf("receipt/%s/%s", sub.SHA256, addr), Role: lingpao.RoleCounty, Org: sub.Org,
			To: addr, Subject: subject, Body: body, Attachments: attach})
	}
	return out
}

// reportJob is the job that generates report kind for the period just closed at its run time (the
// month before for the monthly dispatch, the last full quarter for the bulletin …) into the outbox and
// queues it by e-mail to the roles of the job's send_to. With 1–2月合并 there is no January dispatch:
// February's covers both months.
func (s *Service) reportJob(job, kind string) scheduler.Func {
	pk := map[string]lingpao.PeriodKind{Monthly: lingpao.Month, Quarterly: lingpao.Quarter, Half: lingpao.Half, Annual: lingpao.Year}[kind]
	return func(ctx context.Context, at time.Time) (scheduler.Result, error) {
		p := lingpao.ClosedPeriod(pk, at)
		if kind == Monthly && p.N == 1 && s.W.Config.MergeJanFeb {
			return scheduler.Result{Summary: fmt.Sprintf("%s：1–2月合并报送，1月不单独调度，2月调度表包含1—2月数据。", p.Label())}, nil
		}
		paths, err := s.W.GenerateReport(ctx, ReportRequest{Kind: kind, Period: p})
		var res scheduler.Result
		for _, path := range paths {
			res.Outputs = append(res.Outputs, s.rel(path))
		}
		if err != nil {
			return res, err
		}
		cfg, _ := s.W.Config.Jobs.Get(job)
		title := JobTitle(job)
		city := s.W.City().Name
		subject := fmt.Sprintf("【%s】%s %s", title, city, p.Label())
		var names []string
		for _, o := range res.Outputs {
			names = append(names, "  "+filepath.Base(o))
		}
		body := fmt.Sprintf("各位领导、同志：\n\n附件为%s%s%s，数据截至 %s。\n\n%s\n\n报告同时保存在 lingpao 工作目录的 outbox/%s/ 中。\n\n%s\n（本邮件由 lingpao 自动发送，请勿直接回复。）",
			city, p.Label(), title, fmtCN(s.W.now()), strings.Join(names, "\n"), p, s.W.Config.IssuingUnit)
		mails := s.toRoles(cfg.SendTo, fmt.Sprintf("%s/%s/%s", job, at.UTC().Format(time.RFC3339), p), subject, body, res.Outputs)
		n, err := s.queue(ctx, mails)
		res.Summary = fmt.Sprintf("%s%s：生成 %d 个文件", p.Label(), title, len(paths))
		if len(mails) > 0 {
			res.Summary += fmt.Sprintf("，%d 封邮件待发送", n)
		}
		return res, err
	}
}
