package jobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"lingpao"
	"lingpao/ingest"
	"lingpao/scheduler"
	"lingpao/sqlite"
)

// Poll is the inbox poll job: one poll (files stable since the previous poll are taken, validated,
// stored and answered with receipts). With mail.send_receipts each receipt is also e-mailed to the
// county. Its outputs are the receipts it wrote; its problems, the files it could not handle
// (fileProblems). Each file received is one log line.
func (s *Service) Poll(ctx context.Context, at time.Time) (scheduler.Result, error) {
	results, err := s.PollInbox(ctx)
	var res scheduler.Result
	res.Problems, err = s.fileProblems(results, err)
	for _, r := range results {
		sub := r.Submission
		s.Log.Info("收到文件", "file", r.Path, "county", s.W.Catalog.Tree.Name(sub.Org), "period", sub.Period.String(),
			"status", sub.Status.Label(), "version", sub.Version, "duplicate", r.Duplicate, "reason", sub.Reason)
	}
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
		edition := s.editionOf(ctx, kind, p, res.Outputs)
		subject := fmt.Sprintf("【%s】%s %s", title, city, p.Label())
		doc := fmt.Sprintf("%s《%s（%s）》", city, title, p.Label())
		if edition > 1 {
			subject += fmt.Sprintf("（第%d版）", edition)
			doc = fmt.Sprintf("%s《%s（%s，第%d版）》", city, title, p.Label(), edition)
		}
		var names, beside []string
		for _, o := range res.Outputs {
			names = append(names, "  "+filepath.Base(o))
			if locked, ok := lingpao.BesideOf(o); ok {
				beside = append(beside, fmt.Sprintf("%s 正被其他程序打开（如 Excel、WPS），新文件另存为 %s", locked, filepath.Base(o)))
				s.Log.Warn("报告文件被占用，另存", "file", locked, "written", o)
			}
		}
		late := ""
		if run, ok := scheduler.RunOf(ctx); ok && run.Trigger == lingpao.TriggerCatchUp {
			late = fmt.Sprintf("（本报告原定于 %s 生成，服务停止期间错过，现补发。）\n\n", fmtCN(run.Due))
		}
		where := fmt.Sprintf("报告同时保存在 lingpao 工作目录的 outbox/%s/ 中", p)
		if len(beside) > 0 {
			where += "（" + strings.Join(beside, "；") + "）"
		}
		body := fmt.Sprintf("各位领导、同志：\n\n%s附件为%s，数据截至 %s。\n\n%s\n\n%s。\n\n%s\n（本邮件由 lingpao 自动发送，请勿直接回复。）",
			late, doc, fmtCN(s.W.now()), strings.Join(names, "\n"), where, s.W.Config.IssuingUnit)
		mails := s.toRoles(cfg.SendTo, fmt.Sprintf("%s/%s/%s", job, at.UTC().Format(time.RFC3339), p), subject, body, res.Outputs)
		n, err := s.queue(ctx, mails)
		res.Summary = fmt.Sprintf("%s%s：生成 %d 个文件", p.Label(), title, len(paths))
		if edition > 1 {
			res.Summary = fmt.Sprintf("%s%s（第%d版）：生成 %d 个文件", p.Label(), title, edition, len(paths))
		}
		if len(beside) > 0 {
			res.Summary += "；" + strings.Join(beside, "；")
		}
		if len(mails) > 0 {
			res.Summary += fmt.Sprintf("，%d 封邮件待发送", n)
		}
		return res, err
	}
}

// fileProblems is the one adapter from what an inbox pass says about single files to problems: each
// file that could not be handled becomes a problem keyed by its inbox path and the hash of its bytes —
// the same stuck file is announced once however many polls meet it, and a changed file is a new
// problem — with a Chinese reason and what to do. It returns the error left for the pass as a whole.
//
// ingest reports a file it cannot read or remove as the pass's error, an *fs.PathError on a path in
// the inbox; that error becomes the file's problem, and the poll itself does not fail (and does not
// mail the admins every minute). A full or read-only disk stays the pass's error: it is no one file's.
func (s *Service) fileProblems(results []ingest.Result, err error) ([]lingpao.Problem, error) {
	problems := []lingpao.Problem{}
	var pe *fs.PathError
	if err == nil || !errors.As(err, &pe) {
		return problems, err
	}
	if _, disk := lingpao.AsDiskError(err); disk {
		return problems, err
	}
	inbox, _ := filepath.Abs(s.W.Config.Path(lingpao.InboxDir))
	path, _ := filepath.Abs(pe.Path)
	rel, rerr := filepath.Rel(inbox, path)
	if rerr != nil || !filepath.IsLocal(rel) {
		return problems, err
	}
	rel = filepath.ToSlash(rel)
	key := "poll/file/" + rel
	if sum, herr := fileSHA256(path); herr == nil {
		key += "/" + sum[:16]
	}
	what := "处理"
	switch pe.Op {
	case "open", "read", "stat", "lstat":
		what = "读取"
	case "remove", "unlink", "unlinkat", "rename":
		what = "在受理后从收件箱移除"
	}
	why := "出错"
	switch {
	case lingpao.HeldByAnother(err):
		why = "文件正被其他程序占用（如在 Excel 或 WPS 中打开，或共享文件夹锁定了它）"
	case errors.Is(err, fs.ErrPermission):
		why = "没有权限：文件或共享文件夹是只读的，或文件正在 Excel/WPS 等程序中打开"
	case errors.Is(err, fs.ErrNotExist):
		why = "文件在处理中被移走了"
	default:
		why = fmt.Sprintf("出错（%v）", pe.Err)
	}
	problems = append(problems, lingpao.Problem{Key: key,
		Title:  fmt.Sprintf("收件箱文件无法处理：inbox/%s", rel),
		Detail: fmt.Sprintf("文件 inbox/%s 无法%s：%s。在它解决之前，本轮收件箱处理在这个文件处停下。", rel, what, why),
		Action: "请让 lingpao 的运行账号能读取和删除这个文件（检查文件和文件夹的权限、共享是否只读），或关闭打开它的程序；也可把它移出收件箱后重新放入。解决后下一次轮询自动继续，本问题自动解除。"})
	return problems, nil
}

// fileSHA256 returns the hex SHA-256 of the file at path.
func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// editionOf returns the edition number of a report just generated into outputs (1 when it cannot
// tell): the recorded edition of the city's report of kind and period that lists those files.
func (s *Service) editionOf(ctx context.Context, kind string, p lingpao.Period, outputs []string) int {
	eds, err := s.W.Store.FindEditions(ctx, sqlite.EditionFilter{Kind: kind, Period: p.String()})
	if err != nil || len(outputs) == 0 {
		return 1
	}
	for i := len(eds) - 1; i >= 0; i-- {
		for _, f := range eds[i].Files {
			if f == outputs[0] {
				return eds[i].Edition
			}
		}
	}
	return 1
}
