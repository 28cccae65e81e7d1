package scheduler

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	_ "time/tzdata" // schedules name Asia/Shanghai

	"lingpao"
	"lingpao/seeds"
	"lingpao/sqlite"
)

// jobCall is one invocation of a job function.
type jobCall struct {
	job     string
	at, now time.Time
}

// rig is a workspace folder, its store, a simulated clock and job functions that record their calls.
type rig struct {
	t     *testing.T
	dir   string
	db    *sqlite.DB
	cal   *lingpao.Calendar
	now   time.Time
	mu    sync.Mutex
	calls []jobCall
	// fails makes a job fail its first n calls for one scheduled time (-1: always).
	fails  map[string]int
	failed map[string]int
	// failures lists the failure problems reported to OnProblems.
	failures []lingpao.Problem
}

func newRig(t *testing.T, start string) *rig {
	t.Helper()
	dir := t.TempDir()
	db, err := sqlite.Open(filepath.Join(dir, "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	cat, err := seeds.Load(seeds.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return &rig{t: t, dir: dir, db: db, cal: cat.Calendar(), now: bj(start), fails: map[string]int{}, failed: map[string]int{}}
}

func bj(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, lingpao.Beijing)
	if err != nil {
		panic(err)
	}
	return t
}

// scheduler returns a scheduler over the rig with the given jobs (default configurations unless
// overridden), as a new process would start it.
func (r *rig) scheduler(cfg lingpao.JobsConfig, names ...string) *Scheduler {
	r.t.Helper()
	inst, err := NewInstance(r.dir, ThisProcess("test", time.Now()))
	if err != nil {
		r.t.Fatal(err)
	}
	r.t.Cleanup(func() { inst.Close() })
	s := &Scheduler{Store: r.db, Calendar: r.cal, Instance: inst, Now: func() time.Time { r.mu.Lock(); defer r.mu.Unlock(); return r.now }}
	s.OnProblems = func(_ context.Context, scope string, ps []lingpao.Problem) {
		if !strings.HasPrefix(scope, "job/") {
			r.failures = append(r.failures, ps...)
		}
	}
	for _, name := range names {
		c, _ := cfg.Get(name)
		sched, err := c.ParseSchedule(5)
		if err != nil {
			r.t.Fatal(err)
		}
		s.Jobs = append(s.Jobs, Job{Name: name, Schedule: sched, Config: c, Quiet: name == lingpao.JobPoll, Deliverable: lingpao.IsReportJob(name), Run: r.fn(name)})
	}
	return s
}

func (r *rig) fn(name string) Func {
	return func(ctx context.Context, at time.Time) (Result, error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		r.calls = append(r.calls, jobCall{job: name, at: at, now: r.now})
		key := name + at.String()
		if n := r.fails[name]; n < 0 || r.failed[key] < n {
			r.failed[key]++
			return Result{}, errors.New("模拟失败")
		}
		if name == lingpao.JobPoll {
			return Result{}, nil // an uneventful poll
		}
		return Result{Summary: "完成", Outputs: []string{"outbox/" + name}}, nil
	}
}

// drive advances the clock from wake-up to wake-up until `until`, ticking at each.
func (r *rig) drive(s *Scheduler, until time.Time) {
	r.t.Helper()
	ctx := context.Background()
	prev := time.Time{}
	for {
		w, err := s.NextWake(ctx)
		if err != nil {
			r.t.Fatal(err)
		}
		if w.IsZero() || w.After(until) {
			break
		}
		if !w.After(prev) && !prev.IsZero() && w.Before(prev) {
			r.t.Fatalf("the clock would go back from %s to %s", prev, w)
		}
		if w.After(r.now) {
			r.now = w
		}
		if !prev.IsZero() && !w.After(prev) {
			r.t.Fatalf("no progress at %s", w)
		}
		prev = w
		s.Tick(ctx)
	}
	r.now = until
}

// times lists the times a job was called for, as "01-02 15:04" in Beijing time, with the year when
// it is not 2025.
func (r *rig) times(job string) []string {
	var out []string
	for _, c := range r.calls {
		if c.job == job {
			f := "01-02 15:04"
			if c.at.In(lingpao.Beijing).Year() != 2025 {
				f = "2006-01-02 15:04"
			}
			out = append(out, c.at.In(lingpao.Beijing).Format(f))
		}
	}
	return out
}

// TestSimulatedYear runs the default schedules of the report jobs and the reminder check over 14
// months with a simulated clock and the seed holiday table. Expected times are worked out by hand
// from the 2025 and 2026 notices: the deadline of the month before is the 5th, or the next working
// day when the 5th is a weekend or holiday; the monthly dispatch runs on the third working day after
// it at 09:00, the quarterly bulletin the same day at 09:30, the half-year summary and the annual
// assessment on the fifth at 09:00.
func TestSimulatedYear(t *testing.T) {
	r := newRig(t, "2025-01-01 00:00")
	cfg := lingpao.DefaultJobsConfig()
	s := r.scheduler(cfg, lingpao.JobRemind, lingpao.JobMonthly, lingpao.JobQuarterly, lingpao.JobHalf, lingpao.JobAnnual)
	ctx := context.Background()
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	r.drive(s, bj("2026-03-01 00:00"))
	for job, want := range map[string]string{
		// Deadlines: 01-05 is a Sunday (→ 01-06); 02-05 a Wednesday, and 02-08 a worked Saturday (春节调休);
		// 04-05 in 清明 (→ 04-07); 05-05 in 劳动节 (→ 05-06); 07-05 a Saturday (→ 07-07); 10-05 in 国庆
		// (→ 10-09, and 10-11 is a worked Saturday); 2026-01-05 a Monday.
		lingpao.JobMonthly: "01-09 09:00,02-08 09:00,03-10 09:00,04-10 09:00,05-09 09:00,06-10 09:00,07-10 09:00,08-08 09:00," +
			"09-10 09:00,10-13 09:00,11-10 09:00,12-10 09:00,2026-01-08 09:00,2026-02-10 09:00",
		lingpao.JobQuarterly: "01-09 09:30,04-10 09:30,07-10 09:30,10-13 09:30,2026-01-08 09:30",
		lingpao.JobHalf:      "07-14 09:00",
		lingpao.JobAnnual:    "01-13 09:00,2026-01-12 09:00",
	} {
		if got := strings.Join(r.times(job), ","); got != want {
			t.Errorf("%s ran at\n %s\nwant\n %s", job, got, want)
		}
	}
	// The reminder check runs every day at 09:00 (it decides by the calendar whether anyone is due).
	days := r.times(lingpao.JobRemind)
	if len(days) != 424 || days[0] != "01-01 09:00" || days[len(days)-1] != "2026-02-28 09:00" {
		t.Errorf("remind ran %d times, %v … %v; want 424 from 01-01 to 2026-02-28", len(days), days[:2], days[len(days)-1])
	}
	// Every call was on time (the clock stood at the due time) and every run is in the ledger, ok.
	for _, c := range r.calls {
		if !c.now.Equal(c.at) {
			t.Errorf("%s for %s ran at %s", c.job, c.at, c.now)
		}
	}
	runs, err := r.db.FindJobRuns(ctx, sqlite.JobRunFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != len(r.calls) {
		t.Errorf("%d runs in the ledger for %d calls", len(runs), len(r.calls))
	}
	for _, run := range runs {
		if run.Outcome != lingpao.RunOK || run.Trigger != lingpao.TriggerSchedule || run.Attempts != 1 {
			t.Errorf("run %+v", run)
		}
	}
	// The monthly run of October is keyed by its nominal time (the 5th) and ran on the 13th.
	oct, _ := r.db.FindJobRuns(ctx, sqlite.JobRunFilter{Job: lingpao.JobMonthly, From: bj("2025-10-01 00:00"), To: bj("2025-11-01 00:00")})
	if len(oct) != 1 || !oct[0].Scheduled.Equal(bj("2025-10-05 09:00")) || !oct[0].Due.Equal(bj("2025-10-13 09:00")) {
		t.Errorf("October dispatch: %+v", oct)
	}
}

// TestRetryThenReport: a failing job is retried with doubling backoff, a bounded number of times,
// then reported once; a job that recovers on a retry ends ok with its error history kept.
func TestRetryThenReport(t *testing.T) {
	r := newRig(t, "2025-07-01 00:00")
	r.fails[lingpao.JobHalf] = 2
	r.fails[lingpao.JobQuarterly] = -1
	s := r.scheduler(lingpao.DefaultJobsConfig(), lingpao.JobQuarterly, lingpao.JobHalf)
	ctx := context.Background()
	s.Start(ctx)
	r.drive(s, bj("2025-07-31 00:00"))
	// Backoff 10m doubling; three retries.
	if got, want := strings.Join(callTimes(r, lingpao.JobQuarterly), ","), "09:30,09:40,10:00,10:40"; got != want {
		t.Errorf("quarterly attempts at %s, want %s", got, want)
	}
	if got, want := strings.Join(callTimes(r, lingpao.JobHalf), ","), "09:00,09:10,09:30"; got != want {
		t.Errorf("half attempts at %s, want %s", got, want)
	}
	q, _ := r.db.FindJobRuns(ctx, sqlite.JobRunFilter{Job: lingpao.JobQuarterly})
	h, _ := r.db.FindJobRuns(ctx, sqlite.JobRunFilter{Job: lingpao.JobHalf})
	if len(q) != 1 || q[0].Outcome != lingpao.RunFailed || q[0].Attempts != 4 || strings.Count(q[0].Error, "模拟失败") != 4 {
		t.Errorf("quarterly run %+v", q)
	}
	if len(h) != 1 || h[0].Outcome != lingpao.RunOK || h[0].Attempts != 3 || strings.Count(h[0].Error, "\n") != 1 {
		t.Errorf("half run %+v", h)
	}
	if len(r.failures) != 1 || r.failures[0].Key != "run/quarterly/2025-07-05T01:30:00Z" || !strings.Contains(r.failures[0].Detail, "已尝试 4 次") ||
		!strings.Contains(r.failures[0].Action, fmt.Sprintf("lingpao jobs rerun %d", q[0].ID)) {
		t.Errorf("reported failures %+v, want the quarterly run once", r.failures)
	}
}

func callTimes(r *rig, job string) []string {
	var out []string
	for _, c := range r.calls {
		if c.job == job {
			out = append(out, c.now.In(lingpao.Beijing).Format("15:04"))
		}
	}
	return out
}

// TestOutageCatchUp: the service runs through September 2025, is down from Oct 1 to Oct 14 10:00
// (the National Day holiday and after), and starts again. Each job that missed times runs once —
// the quarterly bulletin although it had never run before — and the reminder checks of the days it
// was down are recorded as skipped. Then the schedule goes on with nothing run twice.
func TestOutageCatchUp(t *testing.T) {
	r := newRig(t, "2025-09-01 00:00")
	cfg := lingpao.DefaultJobsConfig()
	jobs := []string{lingpao.JobPoll, lingpao.JobRemind, lingpao.JobMonthly, lingpao.JobQuarterly}
	cfg.Poll.Schedule = "@every 2h" // a finer poll would only slow the simulation
	s := r.scheduler(cfg, jobs...)
	ctx := context.Background()
	s.Start(ctx)
	r.drive(s, bj("2025-09-30 23:59"))
	before := len(r.calls)

	r.now = bj("2025-10-14 10:00")
	s2 := r.scheduler(cfg, jobs...)
	if err := s2.Start(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := s2.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	missed := map[string]int{}
	for _, x := range st {
		missed[x.Job.Name] = x.Missed
	}
	// Before catching up, jobs list shows what was missed: remind 10-01…10-14, the dispatch and the
	// bulletin due on the 13th (the third working day after the deadline, 10-09).
	if missed[lingpao.JobRemind] != 14 || missed[lingpao.JobMonthly] != 1 || missed[lingpao.JobQuarterly] != 1 || missed[lingpao.JobPoll] != 0 {
		t.Errorf("missed before catch-up: %v", missed)
	}
	s2.Tick(ctx)
	caught := r.calls[before:]
	var got []string
	for _, c := range caught {
		got = append(got, c.job+" "+c.at.In(lingpao.Beijing).Format("01-02 15:04"))
	}
	sort.Strings(got)
	if want := "monthly 10-13 09:00,poll 10-14 10:00,quarterly 10-13 09:30,remind 10-14 09:00"; strings.Join(got, ",") != want {
		t.Errorf("caught up:\n %s\nwant\n %s", strings.Join(got, ","), want)
	}
	skipped, _ := r.db.FindJobRuns(ctx, sqlite.JobRunFilter{Outcome: lingpao.RunSkipped})
	var sk []string
	for _, x := range skipped {
		sk = append(sk, x.Job+" "+x.Scheduled.In(lingpao.Beijing).Format("01-02"))
	}
	sort.Strings(sk)
	if len(sk) != 13 || sk[0] != "remind 10-01" || sk[12] != "remind 10-13" {
		t.Errorf("skipped: %v, want the reminder checks of 10-01…10-13", sk)
	}
	for _, name := range []string{lingpao.JobMonthly, lingpao.JobQuarterly, lingpao.JobRemind} {
		rs, _ := r.db.FindJobRuns(ctx, sqlite.JobRunFilter{Job: name, Outcome: lingpao.RunOK, From: bj("2025-10-01 00:00")})
		if len(rs) != 1 || rs[0].Trigger != lingpao.TriggerCatchUp {
			t.Errorf("%s after the outage: %+v", name, rs)
		}
	}
	// Ticking again, and running on to the end of October, runs nothing twice.
	s2.Tick(ctx)
	r.drive(s2, bj("2025-10-31 23:00"))
	seen := map[string]bool{}
	for _, c := range r.calls {
		k := c.job + c.at.String()
		if seen[k] {
			t.Errorf("%s ran twice for %s", c.job, c.at)
		}
		seen[k] = true
	}
	if got := strings.Join(r.times(lingpao.JobRemind)[30:], ","); !strings.HasPrefix(got, "10-14 09:00,10-15 09:00,10-16 09:00") {
		t.Errorf("reminders after the outage: %s", got)
	}
	// The poll is quiet: its uneventful runs are kept for four weeks only.
	polls, _ := r.db.FindJobRuns(ctx, sqlite.JobRunFilter{Job: lingpao.JobPoll})
	if oldest := polls[len(polls)-1].Scheduled; polls[0].Scheduled.Sub(oldest) > sqlite.QuietKeep {
		t.Errorf("poll runs kept from %s to %s", oldest, polls[0].Scheduled)
	}
}

// TestDeadProcessRerun: a run left "running" by a process that died (its instance lock released) is
// run again, once; one whose process still lives is left alone.
func TestDeadProcessRerun(t *testing.T) {
	r := newRig(t, "2025-10-10 09:00")
	ctx := context.Background()
	cfg := lingpao.DefaultJobsConfig()
	alive, err := NewInstance(r.dir, ThisProcess("other", time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	defer alive.Close()
	dead, err := NewInstance(r.dir, ThisProcess("killed", time.Now().Add(time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	for job, owner := range map[string]*Instance{lingpao.JobQuarterly: dead, lingpao.JobMonthly: alive} {
		at := bj("2025-10-10 09:00")
		if _, _, err := r.db.ClaimRun(ctx, lingpao.JobRun{Job: job, Scheduled: at, Due: at, Trigger: lingpao.TriggerManual, Owner: owner.ID, Started: at}, nil); err != nil {
			t.Fatal(err)
		}
	}
	dead.Close() // as the OS does when the process is killed
	r.now = bj("2025-10-10 09:05")
	s := r.scheduler(cfg, lingpao.JobQuarterly, lingpao.JobMonthly)
	s.Start(ctx)
	s.Tick(ctx)
	s.Tick(ctx)
	if got := strings.Join(r.times(lingpao.JobQuarterly), ","); got != "10-10 09:00" {
		t.Errorf("quarterly re-ran for %q, want once for 10-10 09:00", got)
	}
	if got := r.times(lingpao.JobMonthly); len(got) != 0 {
		t.Errorf("monthly, still running elsewhere, was run again: %v", got)
	}
	q, _ := r.db.FindJobRuns(ctx, sqlite.JobRunFilter{Job: lingpao.JobQuarterly})
	if len(q) != 1 || q[0].Outcome != lingpao.RunOK || q[0].Attempts != 2 || q[0].Owner != s.Instance.ID {
		t.Errorf("quarterly run %+v", q)
	}
}

// TestRace: two schedulers (two processes) tick the same workspace at the same moments; every
// scheduled time runs exactly once between them.
func TestRace(t *testing.T) {
	r := newRig(t, "2025-10-09 08:59")
	ctx := context.Background()
	cfg := lingpao.DefaultJobsConfig()
	cfg.Poll.Schedule = "* * * * *"
	cfg.Poll.CatchUp = lingpao.CatchUpAll
	cfg.Monthly.Schedule, cfg.Monthly.WaitForDeadline = "0 9 9 * *", false
	other, err := sqlite.Open(filepath.Join(r.dir, "data.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	a := r.scheduler(cfg, lingpao.JobPoll, lingpao.JobMonthly)
	b := r.scheduler(cfg, lingpao.JobPoll, lingpao.JobMonthly)
	b.Store = other
	a.Start(ctx)
	b.Start(ctx)
	for i := 0; i < 30; i++ {
		r.now = r.now.Add(time.Minute)
		var wg sync.WaitGroup
		for _, s := range []*Scheduler{a, b} {
			wg.Add(1)
			go func(s *Scheduler) { defer wg.Done(); s.Tick(ctx) }(s)
		}
		wg.Wait()
	}
	count := map[string]int{}
	for _, c := range r.calls {
		count[c.job+" "+c.at.In(lingpao.Beijing).Format("15:04")]++
	}
	for k, n := range count {
		if n != 1 {
			t.Errorf("%s ran %d times", k, n)
		}
	}
	// The poll runs for 08:59 too: it was due the moment the schedulers were armed.
	if count["monthly 09:00"] != 1 || len(r.times(lingpao.JobPoll)) != 31 {
		t.Errorf("runs: %v", count)
	}
}

// TestRunDrains runs the real loop on the wall clock with a job due every second; cancelling lets the
// run in progress finish and record itself.
func TestRunDrains(t *testing.T) {
	r := newRig(t, "2025-10-09 09:00")
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{}, 100)
	sched, _ := lingpao.ParseSchedule("* * * * * *")
	inst, err := NewInstance(r.dir, ThisProcess("test", time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	defer inst.Close()
	var mu sync.Mutex
	n := 0
	s := &Scheduler{Store: r.db, Calendar: r.cal, Instance: inst, Jobs: []Job{{Name: "tick", Schedule: sched,
		Config: lingpao.JobConfig{CatchUp: lingpao.CatchUpSkip},
		Run: func(ctx context.Context, at time.Time) (Result, error) {
			mu.Lock()
			n++
			mu.Unlock()
			started <- struct{}{}
			time.Sleep(300 * time.Millisecond)
			if ctx.Err() != nil {
				return Result{}, fmt.Errorf("the run saw the shutdown: %w", ctx.Err())
			}
			return Result{Summary: "ok"}, nil
		}}}}
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	for i := 0; i < 2; i++ {
		select {
		case <-started:
		case <-time.After(20 * time.Second):
			t.Fatal("the job did not run on its schedule")
		}
	}
	cancel() // the second run is in progress
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	runs, _ := r.db.FindJobRuns(context.Background(), sqlite.JobRunFilter{Job: "tick"})
	mu.Lock()
	defer mu.Unlock()
	if len(runs) != n || n < 2 {
		t.Fatalf("%d runs recorded for %d calls", len(runs), n)
	}
	for _, run := range runs {
		if run.Outcome != lingpao.RunOK {
			t.Errorf("run %+v after the drain", run)
		}
	}
}

func TestServeLock(t *testing.T) {
	dir := t.TempDir()
	since := time.Date(2025, 10, 8, 9, 0, 0, 0, lingpao.Beijing)
	l, err := LockServe(dir, Holder{PID: 4242, Host: "srv1", Since: since, Command: "lingpao serve"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = LockServe(dir, ThisProcess("lingpao serve", time.Now()))
	var held *HeldError
	if !errors.As(err, &held) || held.Holder.PID != 4242 || lingpao.ErrorCode(err) != lingpao.ECONFLICT {
		t.Fatalf("second lock: %v", err)
	}
	if msg := lingpao.ErrorMessage(err); !strings.Contains(msg, "进程 4242") || !strings.Contains(msg, "srv1") || !strings.Contains(msg, "2025-10-08 09:00:00") {
		t.Errorf("message %q does not say who holds the lock", msg)
	}
	l.Unlock()
	l2, err := LockServe(dir, ThisProcess("lingpao serve", time.Now()))
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	l2.Unlock()
}

// TestInstances: an instance's lock file says it lives; a closed (or killed) one's does not, and the
// next instance sweeps its file away.
func TestInstances(t *testing.T) {
	dir := t.TempDir()
	a, err := NewInstance(dir, ThisProcess("a", time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewInstance(dir, ThisProcess("b", time.Now().Add(time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	if !b.Alive(a.ID) || !a.Alive(b.ID) || !a.Alive(a.ID) || b.Alive("") || b.Alive("../x") {
		t.Fatal("liveness of running instances")
	}
	// A process killed while idle leaves its file; the lock on it is gone with the process.
	a.lock.Unlock()
	if b.Alive(a.ID) {
		t.Fatal("a dead instance reported alive")
	}
	c, err := NewInstance(dir, ThisProcess("c", time.Now().Add(2*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	b.Close()
	files, _ := filepath.Glob(filepath.Join(dir, LocksDir, "*.lock"))
	if len(files) != 1 || filepath.Base(files[0]) != c.ID+".lock" {
		t.Errorf("lock files left: %v", files)
	}
	if h, ok := ServeHolder(dir); ok {
		t.Errorf("no serve runs, but ServeHolder says %+v", h)
	}
	l, err := LockServe(dir, ThisProcess("lingpao serve", time.Now()))
	if err != nil {
		t.Fatal(err)
	}
	defer l.Unlock()
	if h, ok := ServeHolder(dir); !ok || h.Command != "lingpao serve" {
		t.Errorf("ServeHolder while serving: %+v %v", h, ok)
	}
}
