package scheduler

import (
	"context"
	"time"

	"lingpao"
	"lingpao/sqlite"
)

// JobStatus is where a job stands, for `lingpao jobs list` and the web page.
type JobStatus struct {
	Job Job
	// Next is the job's next scheduled time after now (zero when it is disabled).
	Next lingpao.Fire
	// Last is the job's latest run (by scheduled time), nil when it never ran.
	Last *lingpao.JobRun
	// Missed counts scheduled times that are overdue and not in the ledger: the service is not
	// running, or has not caught up yet. Quiet jobs are not counted.
	Missed int
	// Open lists the runs that need attention: runs in progress, retries pending, failures and skipped
	// reports not yet re-run or acknowledged.
	Open []lingpao.JobRun
}

// Status returns every job's status as of Now(). It reads the ledger only, so it works whether or not
// `lingpao serve` is running.
func (s *Scheduler) Status(ctx context.Context) (_ []JobStatus, err error) {
	defer lingpao.Wrap(&err, "scheduler.Status")
	now := s.now()
	arms, err := s.Store.JobArms(ctx)
	if err != nil {
		return nil, err
	}
	open, err := s.Store.FindAlarms(ctx, sqlite.AlarmFilter{Open: true})
	if err != nil {
		return nil, err
	}
	pending := map[string]bool{}
	for _, a := range open {
		if a.Acked.IsZero() {
			pending[a.Scope] = true
		}
	}
	var out []JobStatus
	for _, j := range s.Jobs {
		st := JobStatus{Job: j}
		last, err := s.Store.FindJobRuns(ctx, sqlite.JobRunFilter{Job: j.Name, Limit: 1})
		if err != nil {
			return nil, err
		}
		armed, ok := arms[j.Name]
		if !ok {
			armed = now // serve never ran with this job: nothing was missed
		}
		from := searchFrom(armed, last, lookback(j))
		if len(last) > 0 {
			st.Last = &last[0]
		}
		// Failures stay listed, whatever their age, while their problem is open and unacknowledged
		// (lingpao jobs rerun / jobs ack); a failing job's, until it runs well again.
		for _, o := range []lingpao.RunOutcome{lingpao.RunRunning, lingpao.RunRetry, lingpao.RunFailed, lingpao.RunSkipped} {
			rs, err := s.Store.FindJobRuns(ctx, sqlite.JobRunFilter{Job: j.Name, Outcome: o})
			if err != nil {
				return nil, err
			}
			for _, r := range rs {
				if (o == lingpao.RunFailed || o == lingpao.RunSkipped) && !pending[FailureScope(j, r)] {
					continue
				}
				if o == lingpao.RunFailed && !j.Deliverable && len(st.Open) > 0 && st.Open[len(st.Open)-1].Outcome == lingpao.RunFailed {
					continue // a failing job: its latest failure says it
				}
				st.Open = append(st.Open, r)
			}
		}
		if !j.Config.Disabled {
			if st.Next, st.Missed, err = s.scan(ctx, j, from, armed, now); err != nil {
				return nil, err
			}
			if st.Next.Due.IsZero() { // a schedule too fine to walk from `from`
				n := j.Schedule.Next(now)
				st.Next = lingpao.Fire{Nominal: n, Due: j.Schedule.Due(n, s.Calendar)}
			}
			if j.Quiet {
				st.Missed = 0
			}
		}
		out = append(out, st)
	}
	return out, nil
}

// scan walks j's schedule from `from`: it counts the overdue times not in the ledger and finds the
// next time due after now.
func (s *Scheduler) scan(ctx context.Context, j Job, from, armed, now time.Time) (next lingpao.Fire, missed int, err error) {
	recorded, err := s.recorded(ctx, j.Name, from)
	if err != nil {
		return next, 0, err
	}
	t := from
	for i, after := 0, 0; i < 200000 && after < 16; i++ {
		n := j.Schedule.Next(t)
		if n.IsZero() {
			break
		}
		t = n
		if n.After(now) {
			after++
		}
		due := j.Schedule.Due(n, s.Calendar)
		if recorded[n.UnixNano()] || due.Before(armed) {
			continue
		}
		switch {
		case due.After(now):
			if next.Due.IsZero() || due.Before(next.Due) {
				next = lingpao.Fire{Nominal: n, Due: due}
			}
		case (lingpao.Fire{Nominal: n, Due: due}).Late(now):
			missed++
		}
	}
	return next, missed, nil
}
