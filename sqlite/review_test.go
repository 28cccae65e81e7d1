package sqlite

import (
	"context"
	"testing"
	"time"

	"lingpao"
)

// TestReturnSubmission: returning the current version makes it rejected with a finding saying why,
// puts the earlier version back in force — for the reports (LoadDataSet, also after a cached load),
// the current submissions and the issue ledger — and the next file takes the next version number.
func TestReturnSubmission(t *testing.T) {
	ctx := context.Background()
	db, now := openTest(t)
	mar := lingpao.MonthOf(2025, 3)
	save := func(sha string, v float64, warn bool) lingpao.Submission {
		s := lingpao.Submission{SHA256: sha, Org: "130110", Period: mar, FileName: sha + ".xlsx", ReceivedAt: *now, Status: lingpao.SubAccepted}
		if warn {
			s.Findings = []lingpao.Finding{{Severity: lingpao.SevWarning, Rule: "period.stock_jump", Sheet: "集群指标", Cell: "D5", Message: "变化超过30%：已有情况说明：“新认定12家”"}}
		}
		vals := []lingpao.Value{{Cluster: "c1", Indicator: "srdi", V: v, Sheet: "集群指标", Cell: "D5"}}
		if err := db.SaveSubmission(ctx, &s, vals, nil, []lingpao.Issue{{Row: 4, Description: "用地指标不足", Status: "征集"}}); err != nil {
			t.Fatal(err)
		}
		*now = now.Add(time.Hour)
		return s
	}
	v1 := save("a1", 10, false)
	v2 := save("a2", 12, true)
	load := func() float64 {
		t.Helper()
		ds, subs, err := db.LoadDataSet(ctx, mar, mar, now.Add(time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		v, ok := ds.Get("130110", "c1", "srdi", mar)
		if !ok {
			t.Fatal("no value in force")
		}
		if _, ok := subs["130110/2025-03"]; !ok {
			t.Fatal("no submission in force")
		}
		return v
	}
	if got := load(); got != 12 {
		t.Fatalf("before the return: %v in force, want 12", got)
	}

	// Only the current version can be reviewed.
	if err := db.AcceptReviewed(ctx, &Review{Submission: v1.ID, At: *now}); lingpao.ErrorCode(err) != lingpao.ECONFLICT {
		t.Errorf("review of a superseded version: %v, want ECONFLICT", err)
	}
	fs, err := db.SubmissionFindings(ctx, v2.ID)
	if err != nil || len(fs) != 1 {
		t.Fatalf("findings: %v, %v", fs, err)
	}
	exp := Review{Submission: v2.ID, Finding: fs[0].ID, Note: "已核实", UserName: "李干事", At: *now}
	if err := db.AcceptExplanation(ctx, &exp); err != nil || exp.ID == 0 {
		t.Fatalf("accept explanation: %v", err)
	}
	if err := db.AcceptExplanation(ctx, &Review{Submission: v2.ID, Finding: fs[0].ID, At: *now}); lingpao.ErrorCode(err) != lingpao.ECONFLICT {
		t.Errorf("the same explanation twice: %v, want ECONFLICT", err)
	}

	ret := Review{Submission: v2.ID, Note: "专精特新企业数与名录不符", UserName: "李干事", At: *now}
	if err := db.ReturnSubmission(ctx, &ret, "审核退回：专精特新企业数与名录不符", "市工信局审核退回：专精特新企业数与名录不符"); err != nil {
		t.Fatal(err)
	}
	if ret.Restored != v1.ID {
		t.Errorf("restored %d, want version 1 (%d)", ret.Restored, v1.ID)
	}
	got, err := db.FindSubmission(ctx, v2.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != lingpao.SubRejected || got.Reason != "审核退回：专精特新企业数与名录不符" || !lingpao.HasErrors(got.Findings) || got.Findings[1].Rule != RuleReturned {
		t.Errorf("returned submission: %+v", got)
	}
	if got := load(); got != 10 {
		t.Errorf("after the return: %v in force, want version 1's 10", got)
	}
	cur, err := db.FindSubmissions(ctx, SubmissionFilter{Org: "130110", Period: "2025-03", Current: true})
	if err != nil || len(cur) != 1 || cur[0].ID != v1.ID {
		t.Errorf("current after the return: %+v, %v", cur, err)
	}
	if err := db.ReturnSubmission(ctx, &Review{Submission: v2.ID, At: *now}, "x", "x"); lingpao.ErrorCode(err) != lingpao.ECONFLICT {
		t.Errorf("returning twice: %v, want ECONFLICT", err)
	}
	v3 := save("a3", 11, false)
	if v3.Version != 3 {
		t.Errorf("the file after a returned version 2 is version %d, want 3", v3.Version)
	}
	if v1s, _ := db.FindSubmission(ctx, v1.ID); v1s.SupersededBy != v3.ID {
		t.Errorf("version 1 superseded by %d, want %d", v1s.SupersededBy, v3.ID)
	}
	rs, err := db.Reviews(ctx, v2.ID, v3.ID)
	if err != nil || len(rs[v2.ID]) != 2 || rs[v2.ID][1].Action != ReviewReturn || rs[v2.ID][1].Restored != v1.ID || len(rs[v3.ID]) != 0 {
		t.Errorf("reviews: %+v, %v", rs, err)
	}
	if err := db.SetReviewReceipt(ctx, ret.ID, "receipts/长安区/x_退回.txt"); err != nil {
		t.Fatal(err)
	}
	if rs, _ := db.ReviewsOfPeriod(ctx, "2025-03"); rs[v2.ID][1].Receipt != "receipts/长安区/x_退回.txt" {
		t.Errorf("receipt not recorded: %+v", rs[v2.ID])
	}
}

func TestContacts(t *testing.T) {
	ctx := context.Background()
	db, now := openTest(t)
	cs := []Contact{{Name: "赵敏", Title: "填报人", Phone: "0311-88886666", Email: "zhao@example.gov.cn", Remind: true}, {Name: "钱局长", Title: "分管负责人"}}
	if err := db.SetContacts(ctx, "130110", cs, "李干事", *now); err != nil {
		t.Fatal(err)
	}
	if err := db.SetContacts(ctx, "130111", cs[1:], "李干事", *now); err != nil {
		t.Fatal(err)
	}
	got, err := db.Contacts(ctx, "130110")
	if err != nil || len(got) != 2 || got[0].Name != "赵敏" || !got[0].Remind || got[1].Remind || got[0].UpdatedBy != "李干事" {
		t.Fatalf("contacts: %+v, %v", got, err)
	}
	if err := db.SetContacts(ctx, "130110", cs[:1], "张科长", *now); err != nil {
		t.Fatal(err)
	}
	if all, _ := db.Contacts(ctx, ""); len(all) != 2 || all[0].Org != "130110" || all[1].Org != "130111" {
		t.Errorf("all contacts: %+v", all)
	}
}

func TestReminders(t *testing.T) {
	ctx := context.Background()
	db, now := openTest(t)
	r := Reminder{Org: "130110", Month: lingpao.MonthOf(2025, 3), At: *now, User: "李干事", State: lingpao.ReportMissing, Txt: "receipts/长安区/催报.txt", Recipients: []string{"a@example.gov.cn"}}
	if err := db.AddReminder(ctx, &r); err != nil || r.ID == 0 {
		t.Fatal(err)
	}
	if _, err := db.QueueDeliveries(ctx, []lingpao.Delivery{
		{Key: "remindnow/1/a@example.gov.cn", Role: lingpao.RoleCounty, Org: "130110", To: "a@example.gov.cn", Subject: "催报", Body: "b"},
		{Key: "remind/2025-03/overdue1/2025-04-08/130110/a@example.gov.cn", Role: lingpao.RoleCounty, Org: "130110", To: "a@example.gov.cn", Subject: "催报", Body: "b"},
		{Key: "monthly/x", Role: lingpao.RoleCounty, Org: "130110", To: "a@example.gov.cn", Subject: "报告", Body: "b"},
	}, *now); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindReminder(ctx, r.ID)
	if err != nil || got.Month != r.Month || got.State != lingpao.ReportMissing || len(got.Recipients) != 1 {
		t.Errorf("reminder: %+v, %v", got, err)
	}
	if ms, err := db.ReminderMails(ctx, "130110"); err != nil || len(ms) != 2 {
		t.Errorf("reminder mails: %+v, %v", ms, err)
	}
	if _, err := db.FindReminder(ctx, 99); lingpao.ErrorCode(err) != lingpao.ENOTFOUND {
		t.Errorf("missing reminder: %v", err)
	}
}
