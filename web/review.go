package web

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"lingpao"
	"lingpao/ingest"
	"lingpao/jobs"
	"lingpao/sqlite"
)

// reviewFinding is a warning on the review page, with the county's 情况说明 and whether it was
// accepted.
type reviewFinding struct {
	sqlite.FindingRef
	// Asks is set when the warning asks for a 情况说明; Explanation is the one the county wrote.
	Asks        bool
	Explanation string
	Accepted    *sqlite.Review
}

// reviewEntry is one review in the history.
type reviewEntry struct {
	sqlite.Review
	Label string
	// About names the warning of an explanation review.
	About string
}

// reviewState sums up a submission's reviews.
type reviewState struct {
	// Label is 待审核, 已审核通过 or 已退回; Class its tag's class.
	Label, Class string
	Accepted     *sqlite.Review
	Returned     *sqlite.Review
	// Explained counts the accepted 情况说明.
	Explained int
}

// reviewStateOf sums up reviews (oldest first).
func reviewStateOf(rs []sqlite.Review) reviewState {
	st := reviewState{Label: "待审核", Class: "tag-old"}
	for i := range rs {
		r := &rs[i]
		switch r.Action {
		case sqlite.ReviewAccept:
			st.Accepted = r
		case sqlite.ReviewReturn:
			st.Returned = r
		case sqlite.ReviewExplanation:
			st.Explained++
		}
	}
	switch {
	case st.Returned != nil:
		st.Label, st.Class = "已退回", "tag-rejected"
	case st.Accepted != nil:
		st.Label, st.Class = "已审核通过", "tag-ok"
	}
	return st
}

type reviewView struct {
	Sub     lingpao.Submission
	OrgName string
	Summary string
	State   reviewState
	// Reviewable is set for the current accepted version; Why says why another cannot be reviewed and
	// InForce links the version in force instead.
	Reviewable bool
	Why        string
	InForce    int64
	// Previous is the earlier version that is in force again if this one is returned.
	Previous *lingpao.Submission
	Warnings []reviewFinding
	Errors   int
	Asks     int
	History  []reviewEntry
	Done     string
	Problem  string
	Comment  string
}

// reviewPage is FineReport's 审批 for one return: its warnings with the county's 情况说明 (each to
// accept), and the two decisions — 审核通过 with a note, or 退回 with a comment the county receives.
func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request) {
	s.renderReview(w, r, "", "", http.StatusOK)
}

func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, problem, comment string, status int) {
	ctx := r.Context()
	sub, err := s.findSubmission(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, "报表审核", "review")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	p.Path = fmt.Sprintf("/submissions/%d/review", sub.ID) // also when a refused form is shown again
	v, err := s.reviewView(ctx, sub)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v.Done, v.Problem, v.Comment = r.URL.Query().Get("done"), problem, comment
	p.Title = "审核 " + v.OrgName + " " + sub.FileName
	p.Data = v
	s.render(w, r, status, "review", p)
}

// reviewView gathers what the review page shows of sub; it also completes the receipt of a return
// whose process stopped before writing it.
func (s *Server) reviewView(ctx context.Context, sub lingpao.Submission) (reviewView, error) {
	v := reviewView{Sub: sub, OrgName: s.orgName(sub.Org), Summary: ingest.Summary(s.w.Catalog, sub)}
	rs, err := s.w.Store.Reviews(ctx, sub.ID)
	if err != nil {
		return v, err
	}
	if err := s.w.CompleteReturns(ctx, rs[sub.ID]); err != nil {
		return v, err
	}
	if rs, err = s.w.Store.Reviews(ctx, sub.ID); err != nil {
		return v, err
	}
	v.State = reviewStateOf(rs[sub.ID])
	if v.State.Returned != nil {
		var prev *lingpao.Submission
		if id := v.State.Returned.Restored; id != 0 {
			if p, err := s.w.Store.FindSubmission(ctx, id); err == nil {
				prev = &p
			}
		}
		v.Summary = jobs.ReturnLine(s.w.Config, v.OrgName, sub, *v.State.Returned, prev)
	}
	fs, err := s.w.Store.SubmissionFindings(ctx, sub.ID)
	if err != nil {
		return v, err
	}
	accepted := map[int64]*sqlite.Review{}
	for i := range rs[sub.ID] {
		if r := &rs[sub.ID][i]; r.Action == sqlite.ReviewExplanation {
			accepted[r.Finding] = r
		}
	}
	about := map[int64]string{}
	for _, f := range fs {
		if f.Severity == lingpao.SevError {
			v.Errors++
			continue
		}
		rf := reviewFinding{FindingRef: f, Asks: strings.Contains(f.Message, "情况说明"), Explanation: explanationOf(f.Message), Accepted: accepted[f.ID]}
		if rf.Asks {
			v.Asks++
		}
		about[f.ID] = strings.TrimSpace(f.Sheet + " " + f.Cell)
		v.Warnings = append(v.Warnings, rf)
	}
	for _, r := range rs[sub.ID] {
		e := reviewEntry{Review: r, Label: reviewLabels[r.Action], About: about[r.Finding]}
		v.History = append(v.History, e)
	}
	switch {
	case sub.Status == lingpao.SubAccepted && sub.SupersededBy == 0:
		v.Reviewable = true
	case v.State.Returned != nil:
		v.Why = "该版本已退回，县里重新报送并受理后再审核新版本。"
	case sub.Status == lingpao.SubRejected:
		v.Why = "该文件有错误，未受理，已由回执退回县里：无需审核。"
	default:
		v.Why = "该版本已被县里后来报送的版本替代，只能审核现行版本。"
	}
	if sub.Org != "" && !sub.Period.IsZero() {
		all, err := s.w.Store.FindSubmissions(ctx, sqlite.SubmissionFilter{Org: sub.Org, Period: sub.Period.String()})
		if err != nil {
			return v, err
		}
		for i := range all {
			o := all[i]
			if o.SupersededBy == sub.ID && o.Status == lingpao.SubAccepted {
				v.Previous = &o
			}
			if o.ID != sub.ID && o.Status == lingpao.SubAccepted && o.SupersededBy == 0 {
				v.InForce = o.ID
			}
		}
	}
	return v, nil
}

// reviewLabels name the review actions.
var reviewLabels = map[string]string{sqlite.ReviewAccept: "审核通过", sqlite.ReviewReturn: "退回", sqlite.ReviewExplanation: "认可情况说明"}

// explanationOf returns the 情况说明 a warning's message quotes (已有情况说明：“…”), or "".
func explanationOf(msg string) string {
	const mark = "已有情况说明："
	i := strings.Index(msg, mark)
	if i < 0 {
		return ""
	}
	rest := strings.TrimSpace(msg[i+len(mark):])
	rest = strings.TrimRight(rest, "。.；;")
	rest = strings.TrimPrefix(rest, "“")
	if j := strings.LastIndex(rest, "”"); j >= 0 {
		rest = rest[:j]
	}
	return strings.TrimSpace(rest)
}

// reviewSubmit applies one review action to a submission — action=accept (审核通过, with an optional
// note), return (退回, with the comment the county receives, confirmed), or explanation (认可 a
// warning's 情况说明) — audits it, and goes back to the review page.
func (s *Server) reviewSubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	sub, err := s.findSubmission(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	sess, _ := sessionFrom(ctx)
	name := s.orgName(sub.Org)
	what := fmt.Sprintf("%s %s报表（%s，第%d版）", name, sub.Period.Label(), sub.FileName, sub.Version)
	refuse := func(err error, comment string) {
		if c := lingpao.ErrorCode(err); c == lingpao.EINVALID || c == lingpao.ECONFLICT || c == lingpao.ENOTFOUND {
			s.renderReview(w, r, lingpao.ErrorMessage(err), comment, http.StatusBadRequest)
			return
		}
		s.error(w, r, err)
	}
	action := r.PostFormValue("action")
	switch action {
	case sqlite.ReviewAccept:
		note, err := jobs.ReviewNote(r.PostFormValue("note"), false, "审核意见")
		if err != nil {
			refuse(err, "")
			return
		}
		rv := sqlite.Review{Submission: sub.ID, Note: note, UserID: sess.User.ID, UserName: sess.User.Name, At: s.now()}
		if err := s.w.Store.AcceptReviewed(ctx, &rv); err != nil {
			refuse(err, "")
			return
		}
		s.audit(r, "review_accept", what+" 审核通过"+suffixNote(note))
	case sqlite.ReviewReturn:
		comment := r.PostFormValue("comment")
		if r.PostFormValue("confirm") != "1" {
			refuse(lingpao.Errorf(lingpao.EINVALID, "请勾选“确认退回”：退回后该文件不再计为已受理。"), comment)
			return
		}
		res, err := s.w.ReturnSubmission(ctx, jobs.ReturnRequest{Submission: sub.ID, Comment: comment, UserID: sess.User.ID, User: sess.User.Name})
		if err != nil {
			refuse(err, comment)
			return
		}
		detail := what + " 退回：" + clip(res.Review.Note, 80) + "；回执 " + res.Receipt
		if res.Restored != nil {
			detail += fmt.Sprintf("；本月改按第%d版计", res.Restored.Version)
		}
		s.audit(r, "review_return", detail)
	case sqlite.ReviewExplanation:
		fid, err := strconv.ParseInt(r.PostFormValue("finding"), 10, 64)
		if err != nil {
			refuse(lingpao.Errorf(lingpao.EINVALID, "请从警告列表中选择要认可的情况说明。"), "")
			return
		}
		note, err := jobs.ReviewNote(r.PostFormValue("note"), false, "审核意见")
		if err != nil {
			refuse(err, "")
			return
		}
		rv := sqlite.Review{Submission: sub.ID, Finding: fid, Note: note, UserID: sess.User.ID, UserName: sess.User.Name, At: s.now()}
		if err := s.w.Store.AcceptExplanation(ctx, &rv); err != nil {
			refuse(err, "")
			return
		}
		s.audit(r, "review_explanation", fmt.Sprintf("%s 认可警告 #%d 的情况说明%s", what, fid, suffixNote(note)))
	default:
		refuse(lingpao.Errorf(lingpao.EINVALID, "未知的审核操作：请从审核页面重新操作。"), "")
		return
	}
	http.Redirect(w, r, link(fmt.Sprintf("/submissions/%d/review", sub.ID), lingpao.Period{}, "period", r.URL.Query().Get("period"), "done", action), http.StatusSeeOther)
}

func suffixNote(note string) string {
	if note == "" {
		return ""
	}
	return "：" + clip(note, 60)
}

// downloadReturnReceipt sends the receipt of a submission's return, by the submission's id.
func (s *Server) downloadReturnReceipt(w http.ResponseWriter, r *http.Request) {
	sub, err := s.findSubmission(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	rs, err := s.w.Store.Reviews(r.Context(), sub.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	st := reviewStateOf(rs[sub.ID])
	if st.Returned == nil || st.Returned.Receipt == "" || !filepath.IsLocal(filepath.FromSlash(st.Returned.Receipt)) {
		s.error(w, r, lingpao.Errorf(lingpao.ENOTFOUND, "该文件没有退回回执。"))
		return
	}
	rel := filepath.FromSlash(st.Returned.Receipt)
	s.serveFile(w, r, filepath.Join(s.w.Config.Dir, rel), filepath.Base(rel))
}

// reviewRow is one return on the review queue.
type reviewRow struct {
	Sub     lingpao.Submission
	OrgName string
	State   reviewState
	Count   sqlite.ReviewCount
	// Pending counts the 情况说明 asked for and not yet accepted.
	Pending int
}

type reviewQueueView struct {
	Month lingpao.Period
	Rows  []reviewRow
	// Counts of the rows: to review, accepted, returned, and 情况说明 waiting.
	ToReview, Accepted, Returned, Pending int
	Missing                               int
}

// reviewQueue lists the month's returns to review: each county's version in force, and the ones
// returned, with their warnings, the 情况说明 still to accept and where the review stands.
func (s *Server) reviewQueue(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := s.newPage(r, "报表审核", "review")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	period := p.Period.String()
	subs, err := s.w.Store.FindSubmissions(ctx, sqlite.SubmissionFilter{Period: period})
	if err != nil {
		s.error(w, r, err)
		return
	}
	reviews, err := s.w.Store.ReviewsOfPeriod(ctx, period)
	if err != nil {
		s.error(w, r, err)
		return
	}
	counts, err := s.w.Store.ReviewCounts(ctx, period)
	if err != nil {
		s.error(w, r, err)
		return
	}
	order := map[string]int{}
	for i, c := range s.counties() {
		order[c.Code] = i
	}
	v := reviewQueueView{Month: p.Period}
	have := map[string]bool{}
	for _, sub := range subs {
		st := reviewStateOf(reviews[sub.ID])
		current := sub.Status == lingpao.SubAccepted && sub.SupersededBy == 0
		if !current && st.Returned == nil {
			continue
		}
		row := reviewRow{Sub: sub, OrgName: s.orgName(sub.Org), State: st, Count: counts[sub.ID]}
		if current {
			have[sub.Org] = true
			row.Pending = max(row.Count.AskExplanation-st.Explained, 0)
			v.Pending += row.Pending
			if st.Accepted != nil {
				v.Accepted++
			} else {
				v.ToReview++
			}
		} else {
			v.Returned++
		}
		v.Rows = append(v.Rows, row)
	}
	for _, c := range s.counties() {
		if !have[c.Code] {
			v.Missing++
		}
	}
	sortRows(v.Rows, order)
	p.Data = v
	s.render(w, r, http.StatusOK, "review_queue", p)
}

// sortRows orders the queue by county, the version in force before the returned ones, newest first.
func sortRows(rows []reviewRow, order map[string]int) {
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if order[a.Sub.Org] != order[b.Sub.Org] {
			return order[a.Sub.Org] < order[b.Sub.Org]
		}
		if (a.State.Returned == nil) != (b.State.Returned == nil) {
			return a.State.Returned == nil
		}
		return a.Sub.ReceivedAt.After(b.Sub.ReceivedAt)
	})
}
