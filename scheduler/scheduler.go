// Package scheduler decides when lingpao's jobs run and records every run in the run ledger: cron
// schedules in Beijing time (robfig/cron/v3 specs with CRON_TZ=Asia/Shanghai), moved off holidays
// where configured; bounded retries with backoff; catch-up on start of the times missed while the
// service was down, per job policy; at most one run per (job, scheduled time), across processes; and
// the single-instance lock of `lingpao serve`. The jobs themselves are plain functions (package jobs).
package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"

	"lingpao"
	"lingpao/sqlite"
)

// Result is what one run produced: a one-line summary in Chinese, the files it wrote (relative to
// the workspace), and the problems it sees now — the whole set of them: those of its earlier runs
// that are not among them are resolved.
type Result struct {
	Summary  string
	Outputs  []string
	Problems []lingpao.Problem
}

// Func is a job's work as of time at: the time it was scheduled for (after any move off a holiday),
// or the --now of a manual run.
type Func func(ctx context.Context, at time.Time) (Result, error)

// Job is one job the scheduler runs.
type Job struct {
	Name string
	// Title is the job's Chinese name, for messages.
	Title    string
	Schedule lingpao.Schedule
	Config   lingpao.JobConfig
	// Quiet jobs (the inbox poll, the mail queue) keep only their latest uneventful run in the ledger
	// and record no skipped times.
	Quiet bool
	// Deliverable jobs (the reports) owe something for every scheduled time: a time that fails or is
	// skipped is a problem of its own until it is run again or acknowledged. For other jobs a failure
	// is one problem of the job, resolved by its next good run.
	Deliverable bool
	Run         Func
}

// lookback is how far before a job's last recorded run the scheduler looks for times not in the
// ledger: far enough to cover a time moved past later ones by a long holiday (春节 is 9 days), or
// due long after its nominal time (a schedule that waits for the reporting deadline).
func lookback(j Job) time.Duration {
	return max(14*24*time.Hour, j.Schedule.MaxDelay()+2*24*time.Hour)
}

// maxPending bounds the missed times considered for one job after a very long outage.
const maxPending = 10000

// Scheduler runs jobs on their schedules and records every run in the ledger.
type Scheduler struct {
	Jobs     []Job
	Store    *sqlite.DB
	Calendar *lingpao.Calendar
	// Instance is this process; it owns the runs it starts.
	Instance *Instance
	// Now is the clock. Tick and RunNow go by it alone, so tests can drive a simulated year; Run
	// sleeps on real timers and asks Now again at least every minute.
	Now func() time.Time
	Log *slog.Logger
	// OnProblems hears the open problems of a scope whenever a run tells them: a job's own problems
	// (scope JobScope) after each good run, and a run's failure (scope FailureScope) after its last
	// attempt, its skip, or its success. Service mode keeps them as alarms and tells the admins.
	OnProblems func(ctx context.Context, scope string, problems []lingpao.Problem)
	// OnWrite hears how each write to the ledger went (nil: it worked), so that service mode knows
	// about a full disk.
	OnWrite func(err error)
	// Drain bounds how long Run waits for the runs in progress once it is asked to stop (0: 30 s):
	// they are told to stop at their next safe point (Stopping), and are cancelled when it is up.
	Drain time.Duration

	mu     sync.Mutex
	floors map[string]time.Time // every time of the job up to its floor is in the ledger or was skipped
	armed  map[string]time.Time // times due before the job was armed are none of the scheduler's business
}

func (s *Scheduler) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func (s *Scheduler) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

// Job returns the job with the given name.
func (s *Scheduler) Job(name string) (Job, bool) {
	for _, j := range s.Jobs {
		if j.Name == name {
			return j, true
		}
	}
	return Job{}, false
}

// Start arms every scheduled job: from now on the ledger remembers that the scheduler knows it, so a
// job that has never run is still caught up after an outage. It sets where each job's search for
// pending times begins: shortly before the later of when it was armed and its last recorded run.
// Call it once before Tick or Run.
func (s *Scheduler) Start(ctx context.Context) (err error) {
	defer lingpao.Wrap(&err, "scheduler.Start")
	now := s.now()
	floors, arms := map[string]time.Time{}, map[string]time.Time{}
	for _, j := range s.Jobs {
		if j.Config.Disabled {
			continue
		}
		armed, err := s.Store.ArmJob(ctx, j.Name, now)
		if err != nil {
			return err
		}
		last, err := s.Store.FindJobRuns(ctx, sqlite.JobRunFilter{Job: j.Name, Limit: 1})
		if err != nil {
			return err
		}
		floors[j.Name], arms[j.Name] = searchFrom(armed, last, lookback(j)), armed
	}
	s.mu.Lock()
	s.floors, s.armed = floors, arms
	s.mu.Unlock()
	return nil
}

// searchFrom is where the search for a job's pending times begins: lookback before the later of when
// it was armed and its last recorded run, so that a time moved past later ones by a long holiday is
// not overlooked. (Times already in the ledger, and times due before the job was armed, are passed
// over.)
func searchFrom(armed time.Time, last []lingpao.JobRun, lookback time.Duration) time.Time {
	from := armed
	if len(last) > 0 && last[0].Scheduled.After(from) {
		from = last[0].Scheduled
	}
	return from.Add(-lookback)
}

// floor returns where the search for job's pending times begins, and when the job was armed; a job
// Start did not arm begins now.
func (s *Scheduler) floor(job string) (floor, armed time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.floors == nil {
		s.floors, s.armed = map[string]time.Time{}, map[string]time.Time{}
	}
	f, ok := s.floors[job]
	if !ok {
		f = s.now()
		s.floors[job], s.armed[job] = f, f
	}
	return f, s.armed[job]
}

func (s *Scheduler) setFloor(job string, t time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.After(s.floors[job]) {
		s.floors[job] = t
	}
}

// Tick runs, one after another, everything due at Now(): for each job, runs cut off by a process that
// died, retries that are due, and the scheduled times not yet in the ledger (missed ones per the job's
// catch-up policy). It returns when they have all finished.
func (s *Scheduler) Tick(ctx context.Context) {
	for _, j := range s.Jobs {
		if !j.Config.Disabled {
			s.tickJob(ctx, j)
		}
	}
}

// DefaultDrain is how long Run waits for the runs in progress when asked to stop, unless Drain says
// otherwise.
const DefaultDrain = 30 * time.Second

// ErrDrainTimeout is returned by Run when runs were still in progress when the drain time was up.
// Their ledger rows stay "running"; the next start runs them again.
var ErrDrainTimeout = errors.New("scheduler: drain timed out")

type stoppingKey struct{}

// Stopping returns a channel closed when the service is asked to stop (nil, never closed, outside
// Run). A job that does many small things (the mail job) checks it between them and returns early;
// one that does one thing (a report) finishes it.
func Stopping(ctx context.Context) <-chan struct{} {
	ch, _ := ctx.Value(stoppingKey{}).(<-chan struct{})
	return ch
}

// stopRequested reports whether Stopping(ctx) is closed.
func stopRequested(ctx context.Context) bool {
	select {
	case <-Stopping(ctx):
		return true
	default:
		return false
	}
}

// Run keeps the schedule until ctx is cancelled: each job in its own goroutine, which sleeps until
// the job is next due. On cancel the runs in progress are told to stop at their next safe point
// (Stopping) and given Drain to finish; then their context is cancelled, and after a few more seconds
// Run returns ErrDrainTimeout regardless (the ledger keeps them "running", and the next start runs
// them again). Call Start first.
func (s *Scheduler) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	// The runs do not see the cancel of ctx itself: a report in progress finishes.
	work, hardStop := context.WithCancel(context.WithValue(context.WithoutCancel(ctx), stoppingKey{}, ctx.Done()))
	defer hardStop()
	for _, j := range s.Jobs {
		if j.Config.Disabled {
			continue
		}
		wg.Add(1)
		go func(j Job) {
			defer wg.Done()
			s.lane(ctx, work, j)
		}(j)
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
	}
	drain := s.Drain
	if drain <= 0 {
		drain = DefaultDrain
	}
	t := time.NewTimer(drain)
	defer t.Stop()
	select {
	case <-done:
		return nil
	case <-t.C:
	}
	s.log().Warn("停止超时：取消仍在运行的任务（下次启动时重新运行）", "drain", drain.String())
	hardStop()
	select {
	case <-done:
		return nil
	case <-time.After(5 * time.Second):
		return ErrDrainTimeout
	}
}

func (s *Scheduler) lane(ctx, work context.Context, j Job) {
	for {
		ok := s.tickJob(work, j)
		if ctx.Err() != nil {
			return
		}
		wait := time.Minute
		if next, err := s.nextWake(ctx, j); ok && err == nil && !next.IsZero() {
			if d := next.Sub(s.now()); d < wait {
				wait = max(d, 10*time.Millisecond)
			}
		} else if !ok || err != nil {
			wait = 30 * time.Second // the store is failing: do not spin
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// NextWake returns the earliest time any job is next due (a scheduled time or a retry).
func (s *Scheduler) NextWake(ctx context.Context) (time.Time, error) {
	var next time.Time
	for _, j := range s.Jobs {
		if j.Config.Disabled {
			continue
		}
		t, err := s.nextWake(ctx, j)
		if err != nil {
			return time.Time{}, err
		}
		if !t.IsZero() && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	return next, nil
}

// nextWake returns when job j is next due: its earliest pending retry, or the earliest due time of
// the next few scheduled times not in the ledger (a time moved off a holiday may fall after later
// ones).
func (s *Scheduler) nextWake(ctx context.Context, j Job) (time.Time, error) {
	var next time.Time
	retries, err := s.Store.FindJobRuns(ctx, sqlite.JobRunFilter{Job: j.Name, Outcome: lingpao.RunRetry})
	if err != nil {
		return next, err
	}
	for _, r := range retries {
		if next.IsZero() || r.NextAttempt.Before(next) {
			next = r.NextAttempt
		}
	}
	floor, armed := s.floor(j.Name)
	recorded, err := s.recorded(ctx, j.Name, floor)
	if err != nil {
		return next, err
	}
	t := floor
	for i, found := 0, 0; i < 100000 && found < 16; i++ {
		n := j.Schedule.Next(t)
		if n.IsZero() {
			break
		}
		t = n
		due := j.Schedule.Due(n, s.Calendar)
		if recorded[n.UnixNano()] || due.Before(armed) {
			continue
		}
		found++
		if next.IsZero() || due.Before(next) {
			next = due
		}
	}
	return next, nil
}

// recorded returns the scheduled times of job's runs after floor, as Unix nanoseconds.
func (s *Scheduler) recorded(ctx context.Context, job string, floor time.Time) (map[int64]bool, error) {
	return s.Store.ScheduledTimes(ctx, job, floor)
}

// pending returns job j's scheduled times after its floor that are due by now and not in the
// ledger, and the floor it may move to once they are handled: the last time before the first one not
// yet due.
func (s *Scheduler) pending(ctx context.Context, j Job, now time.Time) (fires []lingpao.Fire, floor time.Time, err error) {
	floor, armed := s.floor(j.Name)
	recorded, err := s.recorded(ctx, j.Name, floor)
	if err != nil {
		return nil, floor, err
	}
	t, blocked := floor, false
	for {
		n := j.Schedule.Next(t)
		if n.IsZero() || n.After(now) {
			break
		}
		t = n
		due := j.Schedule.Due(n, s.Calendar)
		if recorded[n.UnixNano()] || due.Before(armed) {
			if !blocked {
				floor = n
			}
			continue
		}
		if due.After(now) {
			blocked = true
			continue
		}
		fires = append(fires, lingpao.Fire{Nominal: n, Due: due})
		if !blocked {
			floor = n
		}
	}
	if len(fires) > maxPending {
		fires = fires[len(fires)-maxPending:]
	}
	return fires, floor, nil
}

// tickJob runs what of job j is due now; it reports false when the ledger could not be read or
// written, so the caller waits before trying again.
func (s *Scheduler) tickJob(ctx context.Context, j Job) bool {
	now := s.now()
	ok := s.resume(ctx, j, now)
	fires, floor, err := s.pending(ctx, j, now)
	if err != nil {
		s.log().Error("无法读取任务运行记录", "job", j.Name, "err", logErr(err))
		return false
	}
	run, skip := lingpao.PlanCatchUp(j.Config.CatchUp, time.Duration(j.Config.Grace), fires, now)
	for _, f := range skip {
		if j.Quiet {
			continue
		}
		why := fmt.Sprintf("服务停止期间错过（应于 %s 运行），按补跑策略「%s」跳过", fmtTime(f.Due), j.Config.CatchUp)
		recorded, err := s.Store.SkipRun(ctx, lingpao.JobRun{Job: j.Name, Scheduled: f.Nominal, Due: f.Due, Trigger: lingpao.TriggerCatchUp, Started: now, Summary: why})
		if err != nil {
			s.log().Error("无法记录跳过的运行", "job", j.Name, "scheduled", fmtTime(f.Nominal), "err", logErr(err))
			ok = false
			continue
		}
		if recorded && j.Deliverable {
			if rs, err := s.Store.FindJobRuns(ctx, sqlite.JobRunFilter{Job: j.Name, From: f.Nominal, To: f.Nominal.Add(time.Nanosecond)}); err == nil && len(rs) == 1 {
				s.problems(ctx, FailureScope(j, rs[0]), []lingpao.Problem{missedProblem(j, rs[0])})
			}
		}
	}
	if len(skip) > 0 {
		s.log().Warn("跳过停机期间错过的运行", "job", j.Name, "count", len(skip), "policy", string(j.Config.CatchUp))
	}
	if late := lateCount(run, now); late > 0 {
		s.log().Warn("补跑停机期间错过的运行", "job", j.Name, "count", late, "first", fmtTime(run[0].Due))
	}
	for _, f := range run {
		if stopRequested(ctx) {
			return false // asked to stop: the rest waits for the next start
		}
		trigger := lingpao.TriggerSchedule
		if f.Late(now) {
			trigger = lingpao.TriggerCatchUp
		}
		if _, _, err := s.execute(ctx, j, f, trigger, nil); err != nil {
			ok = false
		}
	}
	if ok {
		s.setFloor(j.Name, floor)
	}
	return ok
}

// resume re-runs runs of j whose process died and retries that are due. It reports whether the
// ledger could be read and written.
func (s *Scheduler) resume(ctx context.Context, j Job, now time.Time) bool {
	var runs []lingpao.JobRun
	for _, o := range []lingpao.RunOutcome{lingpao.RunRunning, lingpao.RunRetry} {
		rs, err := s.Store.FindJobRuns(ctx, sqlite.JobRunFilter{Job: j.Name, Outcome: o})
		if err != nil {
			s.log().Error("无法读取任务运行记录", "job", j.Name, "err", logErr(err))
			return false
		}
		runs = append(runs, rs...)
	}
	sort.Slice(runs, func(a, b int) bool { return runs[a].Scheduled.Before(runs[b].Scheduled) })
	ok := true
	for _, r := range runs {
		f := lingpao.Fire{Nominal: r.Scheduled, Due: r.Due}
		switch {
		case r.Outcome == lingpao.RunRetry && !r.NextAttempt.After(now):
			if _, _, err := s.execute(ctx, j, f, r.Trigger, func(e lingpao.JobRun) bool {
				return e.Outcome == lingpao.RunRetry && !e.NextAttempt.After(now)
			}); err != nil {
				ok = false
			}
		case r.Outcome == lingpao.RunRunning && s.Instance != nil && !s.Instance.Alive(r.Owner):
			dead := func(e lingpao.JobRun) bool { return e.Outcome == lingpao.RunRunning && e.Owner == r.Owner }
			if run, _ := lingpao.PlanCatchUp(j.Config.CatchUp, time.Duration(j.Config.Grace), []lingpao.Fire{f}, now); len(run) == 0 && r.Trigger != lingpao.TriggerManual {
				// Too late to run it again under the job's policy: close it as skipped.
				if claimed, ok2 := s.claimDead(ctx, r, dead); ok2 && claimed.ID != 0 {
					s.Store.FinishRun(ctx, claimed.ID, sqlite.RunEnd{Outcome: lingpao.RunSkipped, Ended: now,
						Error: "运行被中断（进程退出），按补跑策略不再运行"})
				}
				continue
			}
			s.log().Warn("重新运行被中断的任务", "job", j.Name, "scheduled", fmtTime(r.Scheduled), "owner", r.Owner)
			if _, _, err := s.execute(ctx, j, f, r.Trigger, dead); err != nil {
				ok = false
			}
		}
	}
	return ok
}

func (s *Scheduler) claimDead(ctx context.Context, r lingpao.JobRun, dead func(lingpao.JobRun) bool) (lingpao.JobRun, bool) {
	run, claimed, err := s.Store.ClaimRun(ctx, lingpao.JobRun{Job: r.Job, Scheduled: r.Scheduled, Due: r.Due, Trigger: r.Trigger, Owner: s.owner(), Started: s.now()}, dead)
	return run, err == nil && claimed
}

func (s *Scheduler) owner() string {
	if s.Instance == nil {
		return ""
	}
	return s.Instance.ID
}

// execute claims the run of j for fire f and, if this process got it, runs the job and records the
// outcome: ok; retry with backoff while attempts remain; failed after the last, which OnFailure hears
// of. It returns the run as the ledger has it. takeOver decides about a run already in the ledger
// (nil: leave it).
func (s *Scheduler) execute(ctx context.Context, j Job, f lingpao.Fire, trigger string, takeOver func(lingpao.JobRun) bool) (_ lingpao.JobRun, claimed bool, _ error) {
	run, claimed, err := s.Store.ClaimRun(ctx, lingpao.JobRun{Job: j.Name, Scheduled: f.Nominal, Due: f.Due, Trigger: trigger, Owner: s.owner(), Started: s.now()}, takeOver)
	if err != nil {
		if s.OnWrite != nil {
			s.OnWrite(err)
		}
		s.log().Error("无法记录任务开始", "job", j.Name, "scheduled", fmtTime(f.Nominal), "err", logErr(err))
		return run, false, err
	}
	if !claimed {
		return run, false, nil
	}
	res, jobErr := call(context.WithValue(ctx, runKey{}, run), j.Run, f.Due)
	end := runEnd(j, run, res, jobErr, s.now())
	err = s.Store.FinishRun(context.WithoutCancel(ctx), run.ID, end)
	if s.OnWrite != nil {
		s.OnWrite(err)
	}
	if err != nil {
		s.log().Error("无法记录任务结束", "job", j.Name, "scheduled", fmtTime(f.Nominal), "err", logErr(err))
		return run, true, err
	}
	run.Outcome, run.Ended, run.Summary, run.Outputs, run.NextAttempt = end.Outcome, end.Ended, end.Summary, end.Outputs, end.NextAttempt
	if full, err := s.Store.FindJobRun(context.WithoutCancel(ctx), run.ID); err == nil {
		run = full
	}
	// One line per run that did something or failed; an uneventful poll says nothing.
	switch end.Outcome {
	case lingpao.RunOK:
		if !j.Quiet { // a quiet job logs what it did itself: each file received, each mail sent
			s.log().Info("任务完成", "job", j.Name, "run", run.ID, "scheduled", fmtTime(f.Nominal), "trigger", trigger, "summary", res.Summary, "outputs", len(res.Outputs))
		}
		s.problems(ctx, JobScope(j.Name), res.Problems)
		s.problems(ctx, FailureScope(j, run), nil)
	case lingpao.RunRetry:
		s.log().Warn("任务失败，将重试", "job", j.Name, "run", run.ID, "scheduled", fmtTime(f.Nominal), "attempt", run.Attempts, "retry_at", fmtTime(end.NextAttempt), "err", end.Error)
	case lingpao.RunFailed:
		s.log().Error("任务失败", "job", j.Name, "run", run.ID, "scheduled", fmtTime(f.Nominal), "attempts", run.Attempts, "err", end.Error)
		if trigger != lingpao.TriggerManual {
			// A manual run's failure is shown to whoever asked; a scheduled one's needs an alarm.
			s.problems(ctx, FailureScope(j, run), []lingpao.Problem{FailureProblem(j, run)})
		}
	}
	return run, true, nil
}

// problems passes a scope's open problems to OnProblems.
func (s *Scheduler) problems(ctx context.Context, scope string, ps []lingpao.Problem) {
	if s.OnProblems != nil {
		s.OnProblems(context.WithoutCancel(ctx), scope, ps)
	}
}

// JobScope is the scope of the problems a job reports in its results.
func JobScope(job string) string { return "job/" + job }

// FailureScope is the scope of a run's failure: the run itself for a deliverable job (each report
// owed is its own problem), the job for the others (a failing poll is one problem, however many
// minutes it fails).
func FailureScope(j Job, run lingpao.JobRun) string {
	if j.Deliverable {
		return "run/" + j.Name + "/" + run.Scheduled.UTC().Format(time.RFC3339)
	}
	return "failing/" + j.Name
}

// FailureProblem describes the failure of run, which has failed its last attempt.
func FailureProblem(j Job, run lingpao.JobRun) lingpao.Problem {
	title := fmt.Sprintf("任务失败：%s（%s），计划 %s", titleOf(j), j.Name, fmtMinute(run.Due))
	detail := fmt.Sprintf("已尝试 %d 次，最近一次（%s）的错误：%s", run.Attempts, fmtMinute(run.Ended), lastError(run.Error))
	action := fmt.Sprintf("排除原因后运行 lingpao jobs rerun %d 重新运行这次任务（运行记录：lingpao jobs list）；如不需要补做，运行 lingpao jobs ack %d 确认。", run.ID, run.ID)
	if !j.Deliverable {
		title = fmt.Sprintf("任务失败：%s（%s）", titleOf(j), j.Name)
		detail = fmt.Sprintf("计划 %s 的运行已尝试 %d 次，最近的错误：%s", fmtMinute(run.Due), run.Attempts, lastError(run.Error))
		action = fmt.Sprintf("排除原因后，下一次运行成功即自动解除；也可运行 lingpao jobs rerun %d 立即重试。", run.ID)
	}
	return lingpao.Problem{Key: FailureScope(j, run), Title: title, Detail: detail, Action: action}
}

// missedProblem describes a scheduled time of a deliverable job that was skipped (missed while the
// service was down, and not caught up under the job's policy).
func missedProblem(j Job, run lingpao.JobRun) lingpao.Problem {
	return lingpao.Problem{Key: FailureScope(j, run),
		Title:  fmt.Sprintf("报告未生成：%s（%s），应于 %s 运行", titleOf(j), j.Name, fmtMinute(run.Due)),
		Detail: run.Summary,
		Action: fmt.Sprintf("运行 lingpao jobs rerun %d 补做这次报告；如不需要，运行 lingpao jobs ack %d 确认。", run.ID, run.ID)}
}

func titleOf(j Job) string {
	if j.Title != "" {
		return j.Title
	}
	return j.Name
}

// runEnd turns a job's result into the ledger's record of how run ended: ok; a retry after the
// job's backoff (doubling) while attempts remain; failed after the last attempt.
func runEnd(j Job, run lingpao.JobRun, res Result, jobErr error, end time.Time) sqlite.RunEnd {
	e := sqlite.RunEnd{Outcome: lingpao.RunOK, Ended: end, Summary: res.Summary, Outputs: res.Outputs, Quiet: j.Quiet}
	if jobErr == nil {
		return e
	}
	e.Error = errorText(jobErr)
	if run.Attempts <= j.Config.Retries {
		e.Outcome = lingpao.RunRetry
		e.NextAttempt = end.Add(lingpao.Backoff{Initial: j.Config.Backoff}.Delay(run.Attempts))
	} else {
		e.Outcome = lingpao.RunFailed
	}
	return e
}

// errorText is what the ledger keeps of a failure: the user-facing message of an application error,
// the whole chain of an internal one (the admins need it).
func errorText(err error) string {
	err = lingpao.ExplainDisk(err, "")
	if lingpao.ErrorCode(err) == lingpao.EINTERNAL {
		return err.Error()
	}
	return lingpao.ErrorMessage(err)
}

type runKey struct{}

// RunOf returns the ledger's run that a job function is called for, so that what it queues (e-mails)
// can point back to it.
func RunOf(ctx context.Context) (lingpao.JobRun, bool) {
	r, ok := ctx.Value(runKey{}).(lingpao.JobRun)
	return r, ok
}

// call runs fn, turning a panic into an error so that one bad run does not take the service down.
func call(ctx context.Context, fn Func, at time.Time) (res Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	return fn(ctx, at)
}

// RunNow runs job name as of time at, recorded as a manual run with scheduled time at. A second
// request for the same job and time does not run it again: it returns the recorded run with an
// ECONFLICT, unless that run is a due retry or was cut off by a process that died. A manual run never
// takes a scheduled time of the job that is not due yet by Now(): it would use up the real run.
func (s *Scheduler) RunNow(ctx context.Context, name string, at time.Time) (lingpao.JobRun, error) {
	j, ok := s.Job(name)
	if !ok {
		return lingpao.JobRun{}, lingpao.Errorf(lingpao.ENOTFOUND, "没有名为「%s」的任务：可选 %s。", name, s.names())
	}
	now := s.now()
	if n := j.Schedule.Next(at.Add(-time.Nanosecond)); n.Equal(at) && !j.Config.Disabled {
		if due := j.Schedule.Due(n, s.Calendar); due.After(now) {
			if rs, err := s.Store.FindJobRuns(ctx, sqlite.JobRunFilter{Job: name, From: at, To: at.Add(time.Nanosecond)}); err != nil {
				return lingpao.JobRun{}, err
			} else if len(rs) == 0 {
				return lingpao.JobRun{}, lingpao.Errorf(lingpao.ECONFLICT, "%s 是任务 %s 的计划时间（应于 %s 运行，尚未到时）：手动运行会占用这次计划运行。请等它按时运行，或换一个不是计划时间的 --now。",
					fmtMinute(at), name, fmtMinute(due))
			}
		}
	}
	// A manual run is tried once: its failure is shown to whoever asked.
	j.Config.Retries = 0
	run, claimed, err := s.execute(ctx, j, lingpao.Fire{Nominal: at, Due: at}, lingpao.TriggerManual, func(e lingpao.JobRun) bool {
		return (e.Outcome == lingpao.RunRetry && !e.NextAttempt.After(now)) ||
			(e.Outcome == lingpao.RunRunning && s.Instance != nil && !s.Instance.Alive(e.Owner))
	})
	if err != nil {
		return run, err
	}
	if !claimed {
		hint := "换一个 --now，或用 lingpao report 重新生成报告。"
		switch run.Outcome {
		case lingpao.RunFailed, lingpao.RunSkipped, lingpao.RunRetry:
			hint = fmt.Sprintf("要重新运行这一次，请运行 lingpao jobs rerun %d。", run.ID)
		case lingpao.RunRunning:
			hint = "它正在运行，请稍候用 lingpao jobs list 查看结果。"
		}
		return run, lingpao.Errorf(lingpao.ECONFLICT, "任务 %s 在 %s 的运行已有记录（编号 %d，%s，开始于 %s）：同一计划时间只运行一次。%s",
			name, fmtTime(at), run.ID, run.Outcome.Label(), fmtTime(run.Started), hint)
	}
	if run.Outcome == lingpao.RunFailed {
		return run, lingpao.Errorf(lingpao.EINVALID, "任务 %s 运行失败：%s", name, lastError(run.Error))
	}
	return run, nil
}

// Rerun runs recorded run id again, in place, once: a run that failed, was skipped, waits for a retry,
// or was cut off by a process that died. It runs as of the run's due time (the period it covers) with
// today's data; its success resolves the run's failure. A run that succeeded is not run again
// (ECONFLICT: regenerate a report with lingpao report).
func (s *Scheduler) Rerun(ctx context.Context, id int64) (lingpao.JobRun, error) {
	old, err := s.Store.FindJobRun(ctx, id)
	if err != nil {
		return old, err
	}
	j, ok := s.Job(old.Job)
	if !ok {
		return old, lingpao.Errorf(lingpao.ENOTFOUND, "运行记录 %d 的任务「%s」不在配置中。", id, old.Job)
	}
	dead := func(e lingpao.JobRun) bool {
		return e.Outcome == lingpao.RunRunning && s.Instance != nil && !s.Instance.Alive(e.Owner)
	}
	switch {
	case old.Outcome == lingpao.RunOK:
		return old, lingpao.Errorf(lingpao.ECONFLICT, "运行记录 %d（%s，计划 %s）已成功，无需重新运行；要重新生成报告，请用 lingpao report。", id, old.Job, fmtMinute(old.Scheduled))
	case old.Outcome == lingpao.RunRunning && !dead(old):
		return old, lingpao.Errorf(lingpao.ECONFLICT, "运行记录 %d（%s）正在运行（开始于 %s）：请等它结束。", id, old.Job, fmtTime(old.Started))
	}
	j.Config.Retries = 0
	run, claimed, err := s.execute(ctx, j, lingpao.Fire{Nominal: old.Scheduled, Due: old.Due}, old.Trigger, func(e lingpao.JobRun) bool {
		return e.ID == id && (e.Outcome == lingpao.RunFailed || e.Outcome == lingpao.RunSkipped || e.Outcome == lingpao.RunRetry || dead(e))
	})
	if err != nil {
		return run, err
	}
	if !claimed {
		return run, lingpao.Errorf(lingpao.ECONFLICT, "运行记录 %d 刚被另一个进程接手（%s）：请用 lingpao jobs list 查看结果。", id, run.Outcome.Label())
	}
	if run.Outcome == lingpao.RunFailed {
		return run, lingpao.Errorf(lingpao.EINVALID, "任务 %s（计划 %s）重新运行仍然失败：%s", j.Name, fmtMinute(run.Scheduled), lastError(run.Error))
	}
	return run, nil
}

func (s *Scheduler) names() string {
	var out string
	for i, j := range s.Jobs {
		if i > 0 {
			out += "、"
		}
		out += j.Name
	}
	return out
}

// lastError returns the last attempt's error from a run's error history, without its 第N次： prefix.
func lastError(s string) string {
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	if strings.HasPrefix(s, "第") {
		if _, rest, ok := strings.Cut(s, "次："); ok {
			return rest
		}
	}
	return s
}

// logErr is err as a log shows it: a full or read-only disk in Chinese, anything else as it is.
func logErr(err error) any {
	if de, ok := lingpao.AsDiskError(err); ok {
		return de.Message("")
	}
	return err
}

// lateCount counts the fires of a catch-up that are late.
func lateCount(fs []lingpao.Fire, now time.Time) int {
	n := 0
	for _, f := range fs {
		if f.Late(now) {
			n++
		}
	}
	return n
}

func fmtMinute(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(lingpao.Beijing).Format("2006-01-02 15:04")
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(lingpao.Beijing).Format("2006-01-02 15:04:05")
}
