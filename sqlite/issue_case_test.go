package sqlite

import (
	"context"
	"fmt"
	"testing"
	"time"

	"lingpao"
)

// TestIssueCaseWorkflow follows problems from the counties' returns through the ledger: collected
// once, recognised in the next month's return (also written differently), two equal rows of one return
// kept apart, assigned, handled, overdue, closed, reopened; the county's own status recorded, never
// taken over.
func TestIssueCaseWorkflow(t *testing.T) {
	ctx := context.Background()
	db, now := openTest(t)
	save := func(sha, org string, m lingpao.Period, issues ...lingpao.Issue) lingpao.Submission {
		s := lingpao.Submission{SHA256: sha, Org: org, Period: m, FileName: sha + ".xlsx", ReceivedAt: *now, Status: lingpao.SubAccepted}
		if err := db.SaveSubmission(ctx, &s, nil, nil, issues); err != nil {
			t.Fatal(err)
		}
		*now = now.Add(time.Hour)
		return s
	}
	mar, apr := lingpao.MonthOf(2025, 3), lingpao.MonthOf(2025, 4)
	land := lingpao.Issue{Row: 4, Description: "用地指标不足，二期无法开工。", Category: "用地", Department: "县自然资源局", Status: "交办", Raised: "2025-03-10"}
	loan := lingpao.Issue{Row: 5, Description: "融资难", Category: "融资"}
	save("a1", "130110", mar, land, loan, lingpao.Issue{Row: 6, Description: "融资难", Category: "融资"})
	save("b1", "130111", mar, lingpao.Issue{Row: 4, Description: "人才外流", Status: "办结销号", Closed: "2025-03-20"})
	sync := func(want int) {
		t.Helper()
		n, err := db.SyncIssueCases(ctx, *now)
		if err != nil || n != want {
			t.Fatalf("sync added %d (%v), want %d", n, err, want)
		}
	}
	sync(4)
	sync(0)
	cases, total, err := db.FindIssueCases(ctx, IssueCaseFilter{Org: "130110", Today: "2025-04-07"})
	if err != nil || total != 3 || len(cases) != 3 {
		t.Fatalf("cases of 长安区: %d %+v %v", total, cases, err)
	}
	var landCase, loanCase lingpao.IssueCase
	for _, c := range cases {
		switch c.Category {
		case "用地":
			landCase = c
		case "融资":
			loanCase = c
		}
	}
	if landCase.Status != lingpao.IssueAssigned || landCase.Department != "县自然资源局" || landCase.Raised != "2025-03-10" || landCase.FirstPeriod != mar {
		t.Errorf("a row the county marks 交办 starts assigned: %+v", landCase)
	}
	if c, _, _ := db.FindIssueCases(ctx, IssueCaseFilter{Org: "130111", Today: "2025-04-07"}); len(c) != 1 || c[0].Status != lingpao.IssueClosed || c[0].Closed != "2025-03-20" {
		t.Errorf("a row the county marks 办结销号 starts closed: %+v", c)
	}

	// April: the same problems again — one written with full-width punctuation and spaces, one with the
	// county's status moved on — and a new one.
	land2 := land
	land2.Description, land2.Status = "用地指标不足， 二期无法开工", "办理中"
	apr1 := save("a2", "130110", apr, land2, loan, lingpao.Issue{Row: 6, Description: "融资难"}, lingpao.Issue{Row: 7, Description: "物流成本高"})
	sync(1)
	c, evs, srcs, err := db.FindIssueCase(ctx, landCase.ID)
	if err != nil {
		t.Fatal(err)
	}
	if c.LastSubmission != apr1.ID || c.LastPeriod != apr || c.CountyStatus != "办理中" || c.Status != lingpao.IssueAssigned {
		t.Errorf("case after April's return: %+v", c)
	}
	if len(srcs) != 2 || srcs[1].Period != apr || srcs[1].Status != "办理中" {
		t.Errorf("sources: %+v", srcs)
	}
	if len(evs) != 2 || evs[0].Action != lingpao.IssueEventCollect || evs[1].Action != lingpao.IssueEventCounty {
		t.Errorf("events: %+v", evs)
	}
	if _, total, _ := db.FindIssueCases(ctx, IssueCaseFilter{Org: "130110"}); total != 4 {
		t.Errorf("cases after April: %d, want 4 (the two 融资难 rows stay two cases)", total)
	}

	// The city's workflow.
	step := IssueAction{Case: landCase.ID, User: "李干事", At: *now}
	if _, err := db.AddIssueOpinion(ctx, IssueAction{Case: loanCase.ID, Note: "x", At: *now}); lingpao.ErrorCode(err) != lingpao.ECONFLICT || loanCase.Status != lingpao.IssueCollected {
		t.Errorf("an opinion before assignment: %v, want ECONFLICT", err)
	}
	a := step
	a.Department, a.Deadline, a.Note = "市自然资源和规划局", "2025-04-10", "请协调用地指标"
	if c, err = db.AssignIssue(ctx, a); err != nil || c.Status != lingpao.IssueAssigned || c.Department != "市自然资源和规划局" || c.AssignedAt.IsZero() {
		t.Fatalf("assign: %+v, %v", c, err)
	}
	if c.Overdue(time.Date(2025, 4, 10, 23, 0, 0, 0, lingpao.Beijing)) || !c.Overdue(time.Date(2025, 4, 11, 0, 1, 0, 0, lingpao.Beijing)) {
		t.Error("overdue from the day after the deadline day")
	}
	if got, _, _ := db.FindIssueCases(ctx, IssueCaseFilter{Overdue: true, Today: "2025-04-11"}); len(got) != 1 || got[0].ID != landCase.ID {
		t.Errorf("overdue filter: %+v", got)
	}
	if got, _, _ := db.FindIssueCases(ctx, IssueCaseFilter{Query: "自然资源和规划", Today: "2025-04-11"}); len(got) != 1 {
		t.Errorf("search by department: %+v", got)
	}
	if got, _, _ := db.FindIssueCases(ctx, IssueCaseFilter{Query: "100%_", Today: "2025-04-11"}); len(got) != 0 {
		t.Errorf("wildcards are literal: %+v", got)
	}
	o := step
	o.Note = "已与县里对接，拟调剂指标"
	if c, err = db.AddIssueOpinion(ctx, o); err != nil || c.Status != lingpao.IssueHandling || c.Opinion != o.Note {
		t.Fatalf("opinion: %+v, %v", c, err)
	}
	tally, err := db.TallyIssueCases(ctx, "", "2025-04-11")
	if err != nil || tally.Overdue != 1 || tally.ByStatus[lingpao.IssueHandling] != 1 || tally.ByStatus[lingpao.IssueClosed] != 1 {
		t.Errorf("tally: %+v, %v", tally, err)
	}
	cl := step
	cl.Note, cl.At = "已调剂用地指标30亩", now.Add(time.Hour)
	if c, err = db.CloseIssue(ctx, cl); err != nil || c.Status != lingpao.IssueClosed || c.Closed != lingpao.FormatDate(cl.At) || c.Overdue(cl.At) {
		t.Fatalf("close: %+v, %v", c, err)
	}
	if _, err := db.CloseIssue(ctx, cl); lingpao.ErrorCode(err) != lingpao.ECONFLICT {
		t.Errorf("closing twice: %v", err)
	}
	if _, err := db.AssignIssue(ctx, a); lingpao.ErrorCode(err) != lingpao.ECONFLICT {
		t.Errorf("assigning a closed case: %v", err)
	}
	for _, tc := range []struct {
		since string
		want  int
	}{{"2025-04-01", 4}, {"2025-05-01", 3}} {
		if got, err := db.IssueCasesForTemplate(ctx, "130110", tc.since); err != nil || len(got) != tc.want {
			t.Errorf("template cases since %s: %d (%v), want %d", tc.since, len(got), err, tc.want)
		}
	}
	r := step
	r.Note, r.At = "县里反映指标未落实", now.Add(2*time.Hour)
	if c, err = db.ReopenIssue(ctx, r); err != nil || c.Status != lingpao.IssueHandling || c.Closed != "" {
		t.Fatalf("reopen: %+v, %v", c, err)
	}
	_, evs, _, _ = db.FindIssueCase(ctx, landCase.ID)
	var actions []string
	for _, e := range evs {
		actions = append(actions, e.Action)
	}
	if want := []string{"collect", "county", "assign", "opinion", "close", "reopen"}; fmt.Sprint(actions) != fmt.Sprint(want) || evs[2].User != "李干事" || evs[2].Deadline != "2025-04-10" {
		t.Errorf("events %v, want %v", actions, want)
	}
	if ds, err := db.IssueDepartments(ctx); err != nil || len(ds) != 2 || ds[0] != "县自然资源局" {
		t.Errorf("departments: %v, %v", ds, err)
	}
	if _, _, _, err := db.FindIssueCase(ctx, 999); lingpao.ErrorCode(err) != lingpao.ENOTFOUND {
		t.Errorf("missing case: %v", err)
	}
}

func TestNormalizeIssue(t *testing.T) {
	for in, want := range map[string]string{
		"用地指标不足，二期无法开工。":   "用地指标不足,二期无法开工",
		" 用地指标不足， 二期无法开工 ": "用地指标不足,二期无法开工",
		"ＡＢＣ项目　审批慢":        "abc项目审批慢",
	} {
		if got := lingpao.NormalizeIssue(in); got != want {
			t.Errorf("NormalizeIssue(%q) = %q, want %q", in, got, want)
		}
	}
}
