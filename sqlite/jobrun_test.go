package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"lingpao"
)

// Two processes (two connections to one file) racing for the same scheduled time: exactly one claims
// it, however the race goes.
func TestClaimRunRace(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "data.db")
	var dbs []*DB
	for i := 0; i < 2; i++ {
		db, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		dbs = append(dbs, db)
	}
	at := time.Date(2025, 10, 9, 9, 0, 0, 0, lingpao.Beijing)
	for round := 0; round < 20; round++ {
		sched := at.AddDate(0, 0, round)
		var wg sync.WaitGroup
		var mu sync.Mutex
		claims := 0
		for i := 0; i < 8; i++ {
			wg.Add(1)
			go func(db *DB, owner string) {
				defer wg.Done()
				_, ok, err := db.ClaimRun(ctx, lingpao.JobRun{Job: "monthly", Scheduled: sched, Due: sched, Trigger: lingpao.TriggerSchedule, Owner: owner, Started: sched},
					func(lingpao.JobRun) bool { return false })
				if err != nil {
					t.Error(err)
					return
				}
				if ok {
					mu.Lock()
					claims++
					mu.Unlock()
				}
			}(dbs[i%2], string(rune('a'+i)))
		}
		wg.Wait()
		if claims != 1 {
			t.Fatalf("round %d: %d claims for one scheduled time, want 1", round, claims)
		}
	}
	runs, err := dbs[0].FindJobRuns(ctx, JobRunFilter{Job: "monthly"})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 20 {
		t.Fatalf("%d runs in the ledger, want 20", len(runs))
	}
}

func TestRunLedger(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	at := time.Date(2025, 7, 15, 9, 0, 0, 0, lingpao.Beijing)
	r := lingpao.JobRun{Job: "half", Scheduled: at, Due: at, Trigger: lingpao.TriggerSchedule, Owner: "A", Started: at}
	run, ok, err := db.ClaimRun(ctx, r, nil)
	if err != nil || !ok || run.Attempts != 1 || run.Outcome != lingpao.RunRunning {
		t.Fatalf("first claim: %+v %v %v", run, ok, err)
	}
	next := at.Add(10 * time.Minute)
	if err := db.FinishRun(ctx, run.ID, RunEnd{Outcome: lingpao.RunRetry, Ended: at.Add(time.Second), Error: "报告类型「half」暂不支持", NextAttempt: next}); err != nil {
		t.Fatal(err)
	}
	// Not taken over while the callback says no; taken over (one more attempt) when it says yes.
	if got, ok, _ := db.ClaimRun(ctx, r, func(e lingpao.JobRun) bool { return false }); ok || got.Outcome != lingpao.RunRetry || !got.NextAttempt.Equal(next) {
		t.Fatalf("claim of a run not due: %+v %v", got, ok)
	}
	r.Owner, r.Started = "B", next
	run, ok, err = db.ClaimRun(ctx, r, func(e lingpao.JobRun) bool { return e.Outcome == lingpao.RunRetry })
	if err != nil || !ok || run.Attempts != 2 || run.Owner != "B" || !run.NextAttempt.IsZero() {
		t.Fatalf("retry claim: %+v %v %v", run, ok, err)
	}
	if err := db.FinishRun(ctx, run.ID, RunEnd{Outcome: lingpao.RunFailed, Ended: next.Add(time.Second), Error: "仍然失败"}); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindJobRun(ctx, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := "第1次：报告类型「half」暂不支持\n第2次：仍然失败"; got.Error != want || got.Outcome != lingpao.RunFailed {
		t.Fatalf("error history %q (%s), want %q", got.Error, got.Outcome, want)
	}
	// A skip for a time that has a run records nothing; for a new time it records a skipped run.
	if rec, err := db.SkipRun(ctx, lingpao.JobRun{Job: "half", Scheduled: at, Due: at, Summary: "x", Started: at}); err != nil || rec {
		t.Fatalf("skip over an existing run: %v %v", rec, err)
	}
	later := at.AddDate(1, 0, 0)
	if rec, err := db.SkipRun(ctx, lingpao.JobRun{Job: "half", Scheduled: later, Due: later, Trigger: lingpao.TriggerCatchUp, Summary: "停机期间错过", Started: later}); err != nil || !rec {
		t.Fatalf("skip: %v %v", rec, err)
	}
	// Newest scheduled first; sub-second times order correctly as text.
	frac := at.Add(1500 * time.Millisecond)
	if _, _, err := db.ClaimRun(ctx, lingpao.JobRun{Job: "half", Scheduled: frac, Due: frac, Started: frac}, nil); err != nil {
		t.Fatal(err)
	}
	runs, err := db.FindJobRuns(ctx, JobRunFilter{Job: "half"})
	if err != nil {
		t.Fatal(err)
	}
	var order []time.Time
	for _, r := range runs {
		order = append(order, r.Scheduled)
	}
	if len(order) != 3 || !order[0].Equal(later) || !order[1].Equal(frac) || !order[2].Equal(at) {
		t.Fatalf("order %v", order)
	}
	if rs, _ := db.FindJobRuns(ctx, JobRunFilter{Job: "half", From: at.Add(time.Second), To: later}); len(rs) != 1 || !rs[0].Scheduled.Equal(frac) {
		t.Fatalf("range: %+v", rs)
	}
}

// A quiet job (the inbox poll) keeps its uneventful runs for QuietKeep only, and every eventful one.
func TestQuietRuns(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	at := time.Date(2025, 10, 9, 9, 0, 0, 0, lingpao.Beijing)
	for i := 0; i < 5; i++ {
		s := at.Add(time.Duration(i) * 10 * 24 * time.Hour)
		run, _, err := db.ClaimRun(ctx, lingpao.JobRun{Job: "poll", Scheduled: s, Due: s, Started: s}, nil)
		if err != nil {
			t.Fatal(err)
		}
		var outputs []string
		if i == 1 {
			outputs = []string{"receipts/长安区/x_回执.txt"}
		}
		if err := db.FinishRun(ctx, run.ID, RunEnd{Outcome: lingpao.RunOK, Ended: s, Outputs: outputs, Quiet: true}); err != nil {
			t.Fatal(err)
		}
	}
	// Days 0, 10, 20, 30, 40: at day 40 the uneventful runs before day 12 are gone (day 0); day 10
	// wrote a file and stays.
	runs, _ := db.FindJobRuns(ctx, JobRunFilter{Job: "poll"})
	var days []int
	for _, r := range runs {
		days = append(days, int(r.Scheduled.Sub(at).Hours()/24))
	}
	if fmt.Sprint(days) != "[40 30 20 10]" {
		t.Fatalf("quiet runs kept: days %v", days)
	}
}

func TestDeliveryQueue(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "data.db")
	a, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	now := time.Date(2025, 10, 10, 9, 0, 0, 0, lingpao.Beijing)
	mails := []lingpao.Delivery{
		{Key: "q/2025Q3/leaders/a", Role: lingpao.RoleLeaders, To: "a@example.com", Subject: "季度通报", Attachments: []string{"outbox/2025Q3/季度通报.pdf"}},
		{Key: "q/2025Q3/leaders/b", Role: lingpao.RoleLeaders, To: "b@example.com", Subject: "季度通报"},
	}
	if n, err := a.QueueDeliveries(ctx, mails, now); err != nil || n != 2 {
		t.Fatalf("queue: %d %v", n, err)
	}
	if n, err := a.QueueDeliveries(ctx, mails, now); err != nil || n != 0 {
		t.Fatalf("queue again: %d %v, want nothing added", n, err)
	}
	// One sender leases both; the other process gets none until the lease runs out.
	got, err := a.ClaimDueDeliveries(ctx, now, now.Add(10*time.Minute), 10)
	if err != nil || len(got) != 2 || got[0].Attachments[0] != "outbox/2025Q3/季度通报.pdf" {
		t.Fatalf("claim: %+v %v", got, err)
	}
	if other, _ := b.ClaimDueDeliveries(ctx, now.Add(time.Minute), now.Add(11*time.Minute), 10); len(other) != 0 {
		t.Fatalf("second sender got leased mail: %+v", other)
	}
	if err := a.MarkDeliverySent(ctx, got[0].ID, now); err != nil {
		t.Fatal(err)
	}
	x, err := a.MarkDeliveryFailed(ctx, got[1].ID, "连接被拒绝", now.Add(2*time.Minute))
	if err != nil || x.Attempts != 1 || x.Status != lingpao.DeliveryPending || x.LastError != "连接被拒绝" {
		t.Fatalf("failed: %+v %v", x, err)
	}
	if early, _ := b.ClaimDueDeliveries(ctx, now.Add(time.Minute), now.Add(11*time.Minute), 10); len(early) != 0 {
		t.Fatalf("claimed before its next attempt: %+v", early)
	}
	if due, _ := b.ClaimDueDeliveries(ctx, now.Add(2*time.Minute), now.Add(12*time.Minute), 10); len(due) != 1 || due[0].ID != got[1].ID {
		t.Fatalf("due retry: %+v", due)
	}
	// A sender that died: the lease expires and the mail is claimed again.
	if again, _ := a.ClaimDueDeliveries(ctx, now.Add(13*time.Minute), now.Add(23*time.Minute), 10); len(again) != 1 {
		t.Fatalf("after the lease: %+v", again)
	}
	failing, _ := a.FindDeliveries(ctx, DeliveryFilter{Failing: true})
	sent, _ := a.FindDeliveries(ctx, DeliveryFilter{Status: lingpao.DeliverySent})
	if len(failing) != 1 || len(sent) != 1 || sent[0].Sent.IsZero() {
		t.Fatalf("failing %+v sent %+v", failing, sent)
	}
}
