package sqlite

import (
	"context"
	"testing"
	"time"

	"lingpao"
)

func TestFindIssuesOfCurrentReturns(t *testing.T) {
	ctx := context.Background()
	db, now := openTest(t)
	mar := lingpao.MonthOf(2025, 3)
	save := func(sha, org string, status lingpao.SubmissionStatus, issues ...lingpao.Issue) lingpao.Submission {
		s := lingpao.Submission{SHA256: sha, Org: org, Period: mar, FileName: sha + ".xlsx", ReceivedAt: *now, Status: status}
		if status == lingpao.SubRejected {
			s.Findings = []lingpao.Finding{{Severity: lingpao.SevError, Rule: "x", Message: "错"}}
		}
		if err := db.SaveSubmission(ctx, &s, nil, nil, issues); err != nil {
			t.Fatal(err)
		}
		*now = now.Add(time.Hour)
		return s
	}
	land := lingpao.Issue{Row: 4, Description: "用地指标不足", Category: "用地", Status: "交办", Raised: "2025-03-10"}
	save("a1", "130110", lingpao.SubAccepted, land, lingpao.Issue{Row: 5, Description: "融资难", Status: "征集"})
	v2 := save("a2", "130110", lingpao.SubAccepted, lingpao.Issue{Row: 4, Description: "用地指标不足", Category: "用地", Status: "办结销号", Closed: "2025-04-02"})
	save("b1", "130111", lingpao.SubAccepted, land)
	save("c1", "130129", lingpao.SubRejected, land) // a rejected file's ledger is not stored

	all, err := db.FindIssues(ctx, IssueFilter{Period: "2025-03"})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 2 || all[0].Org != "130110" || all[0].Submission != v2.ID || all[0].Status != "办结销号" || all[1].Org != "130111" {
		t.Fatalf("issues of the current returns: %+v", all)
	}
	if got, _ := db.FindIssues(ctx, IssueFilter{Period: "2025-03", Status: "交办"}); len(got) != 1 || got[0].Org != "130111" {
		t.Errorf("status filter: %+v", got)
	}
	if got, _ := db.FindIssues(ctx, IssueFilter{Org: "130110", Period: "2025-02"}); len(got) != 0 {
		t.Errorf("other period: %+v", got)
	}
}
