package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"lingpao"
	"lingpao/ingest"
	"lingpao/sqlite"
)

// ReturnRequest sends a county's current return back (审核退回) with a comment.
type ReturnRequest struct {
	Submission int64
	Comment    string
	UserID     int64
	User       string
}

// ReturnResult is what a return did.
type ReturnResult struct {
	Review sqlite.Review
	Sub    lingpao.Submission
	// Restored is the earlier accepted version in force again, if any.
	Restored *lingpao.Submission
	// Receipt is the receipt written into the county's folder (relative to the workspace); Mailed the
	// addresses a mail was queued for.
	Receipt string
	Mailed  []string
}

// maxReviewNote bounds a review's comment or note.
const maxReviewNote = 500

// ReviewNote checks a comment or note typed into the page: trimmed, at most 500 characters, and
// present when required.
func ReviewNote(s string, required bool, what string) (string, error) {
	s = strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
	switch {
	case required && s == "":
		return "", lingpao.Errorf(lingpao.EINVALID, "请填写%s。", what)
	case utf8.RuneCountInString(s) > maxReviewNote:
		return "", lingpao.Errorf(lingpao.EINVALID, "%s最多 %d 字，现有 %d 字：请精简后再提交。", what, maxReviewNote, utf8.RuneCountInString(s))
	}
	return s, nil
}

// ReturnSubmission sends the current version of a county's return back to the county with a
// comment (FineReport's 退回): it stops counting as accepted — the county's earlier version of the
// month, if any, is in force again — and the county gets a receipt in its receipts folder saying why
// and what to do (…_回执_…_退回_….txt, with a .json beside it), and a mail to its addresses when mail
// is configured.
func (w *Workspace) ReturnSubmission(ctx context.Context, req ReturnRequest) (_ ReturnResult, err error) {
	defer lingpao.Wrap(&err, "jobs.ReturnSubmission(%d)", req.Submission)
	var res ReturnResult
	comment, err := ReviewNote(req.Comment, true, "退回意见（县里据此修改）")
	if err != nil {
		return res, err
	}
	now := w.now()
	who := w.Config.IssuingUnit
	if who == "" {
		who = "市级主管部门"
	}
	rv := sqlite.Review{Submission: req.Submission, Note: comment, UserID: req.UserID, UserName: req.User, At: now}
	reason := "审核退回：" + comment
	msg := fmt.Sprintf("%s于 %s 审核退回：%s。请按意见修改后重新报送。", who, fmtCN(now), strings.TrimRight(comment, "。.；;"))
	if err := w.Store.ReturnSubmission(ctx, &rv, reason, msg); err != nil {
		return res, err
	}
	res.Review = rv
	return w.completeReturn(ctx, rv)
}

// CompleteReturns writes the receipts of returns whose receipt is not on record — a process stopped
// between the return and its receipt — for the given submissions' reviews.
func (w *Workspace) CompleteReturns(ctx context.Context, reviews []sqlite.Review) error {
	for _, rv := range reviews {
		if rv.Action == sqlite.ReviewReturn && rv.Receipt == "" {
			if _, err := w.completeReturn(ctx, rv); err != nil {
				return err
			}
		}
	}
	return nil
}

// completeReturn writes the receipt of return review rv, records it, and queues its mails.
func (w *Workspace) completeReturn(ctx context.Context, rv sqlite.Review) (ReturnResult, error) {
	res := ReturnResult{Review: rv}
	sub, err := w.Store.FindSubmission(ctx, rv.Submission)
	if err != nil {
		return res, err
	}
	res.Sub = sub
	if rv.Restored != 0 {
		prev, err := w.Store.FindSubmission(ctx, rv.Restored)
		if err != nil {
			return res, err
		}
		res.Restored = &prev
	}
	name := w.Catalog.Tree.Name(sub.Org)
	line := ReturnLine(w.Config, name, sub, rv, res.Restored)
	base := filepath.Join(ingest.ReceiptDir(w.Config, w.Catalog, sub), ingest.ReceiptBase(sub)+"_退回_"+rv.At.In(lingpao.Beijing).Format("20060102-150405"))
	js := struct {
		Submission int64  `json:"submission"`
		File       string `json:"file"`
		SHA256     string `json:"sha256"`
		Org        string `json:"org"`
		OrgName    string `json:"org_name"`
		Period     string `json:"period"`
		Version    int    `json:"version"`
		Status     string `json:"status"`
		ReturnedAt string `json:"returned_at"`
		Comment    string `json:"comment"`
		InForce    int    `json:"version_in_force,omitempty"`
		Summary    string `json:"summary"`
	}{sub.ID, sub.FileName, sub.SHA256, sub.Org, name, sub.Period.String(), sub.Version, "returned",
		rv.At.Format("2006-01-02T15:04:05-07:00"), rv.Note, 0, line}
	if res.Restored != nil {
		js.InForce = res.Restored.Version
	}
	b, err := json.MarshalIndent(js, "", "  ")
	if err != nil {
		return res, err
	}
	if err := lingpao.WriteFileBytesAtomic(base+".json", append(b, '\n')); err != nil {
		return res, err
	}
	if err := lingpao.WriteFileBytesAtomic(base+".txt", []byte(strings.ReplaceAll(line, "\n", "\r\n")+"\r\n")); err != nil {
		return res, err
	}
	res.Receipt = relTo(w.Config.Dir, base+".txt")
	if err := w.Store.SetReviewReceipt(ctx, rv.ID, res.Receipt); err != nil {
		return res, err
	}
	if !w.Config.Mail.Enabled() {
		return res, nil
	}
	addrs, err := w.CountyAddresses(ctx, sub.Org)
	if err != nil {
		return res, err
	}
	subject := fmt.Sprintf("【退回】%s %s报表（第%d版）经审核退回，请修改后重新报送", name, sub.Period.Label(), sub.Version)
	body := fmt.Sprintf("%s：\n\n%s\n\n%s\n（本邮件由 lingpao 自动发送，请勿直接回复。）", name, line, w.Config.IssuingUnit)
	var mails []lingpao.Delivery
	for _, a := range addrs {
		mails = append(mails, lingpao.Delivery{Key: fmt.Sprintf("return/%d/%s", rv.ID, a), Role: lingpao.RoleCounty, Org: sub.Org, To: a,
			Subject: subject, Body: body, Attachments: []string{res.Receipt}})
	}
	if len(mails) > 0 {
		if _, err := w.Store.QueueDeliveries(ctx, mails, w.now()); err != nil {
			return res, err
		}
		res.Mailed = addrs
	}
	return res, nil
}

// ReturnLine is the receipt of a return in plain Chinese: which file, who returned it when and why,
// what counts for the month meanwhile, and where to put the corrected file.
func ReturnLine(cfg lingpao.Config, county string, sub lingpao.Submission, rv sqlite.Review, restored *lingpao.Submission) string {
	who := cfg.IssuingUnit
	if who == "" {
		who = "市级主管部门"
	}
	head := fmt.Sprintf("【审核退回】%s %s报表（文件 %s，第 %d 版，%s 受理）经%s审核，于 %s 退回，不再计为已受理。",
		county, sub.Period.Label(), sub.FileName, sub.Version, fmtCN(sub.ReceivedAt), who, fmtCN(rv.At))
	meanwhile := "重新报送并受理前，贵单位本月报表按“已退回待重报”统计。"
	if restored != nil {
		meanwhile = fmt.Sprintf("重新报送并受理前，本月数据按此前受理的第 %d 版（文件 %s）计。", restored.Version, restored.FileName)
	}
	return fmt.Sprintf("%s\n退回意见：%s\n%s请按意见修改后，将改好的报表放入共享文件夹 inbox/%s/，系统受理后在 receipts/%s/ 中写回执。",
		head, rv.Note, meanwhile, county, county)
}
