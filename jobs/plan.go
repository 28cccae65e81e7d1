package jobs

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"lingpao"
	"lingpao/scheduler"
	"lingpao/sqlite"
)

// PlannedRun is one scheduled run of a job between two dates, and why it falls when it does.
type PlannedRun struct {
	Job   string `json:"job"`
	Title string `json:"title"`
	// Nominal is the run's key in the ledger (the cron time, or the deadline day of the month for a
	// deadline-relative schedule); Due is when it runs.
	Nominal time.Time `json:"nominal"`
	Due     time.Time `json:"due"`
	// Period is what a report run covers (2025-09, 2025Q3 …); for a reminder day, the months chased.
	Period string `json:"period,omitempty"`
	// Deadline is the reporting deadline the run waits for (report jobs) or chases (reminders).
	Deadline time.Time `json:"deadline,omitzero"`
	// Note says in Chinese why it runs then: holiday shifts of the deadline and of the run.
	Note string `json:"note"`
	// Run is the ledger's record of it, when it has run (or was skipped, or failed).
	Run *lingpao.JobRun `json:"run,omitempty"`
}

// Plan lists every scheduled run of the report jobs and every day reminders go out, due in [from,
// to), in order of due time, each with the deadline it waits for and the holiday shifts that move it;
// runs already in the ledger carry their record. The poll and the mail job (every minute) are not
// listed.
func (s *Service) Plan(ctx context.Context, from, to time.Time) (_ []PlannedRun, err error) {
	defer lingpao.Wrap(&err, "jobs.Plan")
	cal := s.W.Catalog.Calendar()
	cfg := s.W.Config
	var out []PlannedRun
	for _, j := range s.Scheduler.Jobs {
		if j.Config.Disabled || j.Name == lingpao.JobPoll || j.Name == lingpao.JobDeliver {
			continue
		}
		// Start early enough to catch a nominal time before `from` that is due after it.
		t := from.Add(-j.Schedule.MaxDelay() - 24*time.Hour)
		for i := 0; i < 5000; i++ {
			n := j.Schedule.Next(t)
			if n.IsZero() || !n.Before(to) {
				break
			}
			t = n
			due := j.Schedule.Due(n, cal)
			if due.Before(from) || !due.Before(to) {
				continue
			}
			p := PlannedRun{Job: j.Name, Title: j.Title, Nominal: n, Due: due}
			if j.Deliverable {
				p.Period = lingpao.ClosedPeriod(reportPeriodKind(j.Name), due).String()
				p.Deadline = j.Schedule.Deadline(n, cal)
				p.Note = s.reportNote(j, n, due, cal)
			} else if j.Name == lingpao.JobRemind {
				dues := lingpao.RemindersDue(cal, due, cfg.DeadlineDay, cfg.MergeJanFeb, cfg.Reminders)
				if len(dues) == 0 {
					continue
				}
				var months, notes []string
				for _, d := range dues {
					months = append(months, d.Month.String())
					p.Deadline = d.Deadline
					if d.Kind == lingpao.RemindOverdue {
						notes = append(notes, fmt.Sprintf("%s报表逾期催报（截止 %s，已逾期 %d 个工作日）", d.Month.Label(), monthDay(d.Deadline), d.Workdays))
					} else {
						notes = append(notes, fmt.Sprintf("%s报表报送提醒（截止 %s%s，还有 %d 个工作日）", d.Month.Label(), monthDay(d.Deadline), s.deadlineShift(d.Month, cal), d.Workdays))
					}
				}
				p.Period, p.Note = strings.Join(months, ","), strings.Join(notes, "；")
			} else {
				p.Note = shiftNote(j.Schedule, n, due, cal)
			}
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, k int) bool { return out[i].Due.Before(out[k].Due) })
	for i := range out {
		rs, err := s.W.Store.FindJobRuns(ctx, sqlite.JobRunFilter{Job: out[i].Job, From: out[i].Nominal, To: out[i].Nominal.Add(time.Nanosecond)})
		if err != nil {
			return nil, err
		}
		if len(rs) > 0 {
			out[i].Run = &rs[0]
		}
	}
	return out, nil
}

func reportPeriodKind(job string) lingpao.PeriodKind {
	switch job {
	case lingpao.JobQuarterly:
		return lingpao.Quarter
	case lingpao.JobHalf:
		return lingpao.Half
	case lingpao.JobAnnual:
		return lingpao.Year
	}
	return lingpao.Month
}

// reportNote explains a report run's time: the deadline it waits for (and how a holiday moved it),
// then how the run itself was placed.
func (s *Service) reportNote(j scheduler.Job, n, due time.Time, cal *lingpao.Calendar) string {
	m := lingpao.MonthOfTime(n).Add(-1)
	dl := j.Schedule.Deadline(n, cal)
	note := fmt.Sprintf("%s报表截止 %s%s", m.Label(), monthDay(dl), s.deadlineShift(m, cal))
	if wd, ok := j.Schedule.AfterDeadline(); ok {
		return note + fmt.Sprintf("，截止后第%d个工作日运行", wd)
	}
	if shift := shiftNote(j.Schedule, n, due, cal); shift != "" {
		note += "；" + shift
	}
	return note
}

// deadlineShift says how the holiday table moved month m's deadline ("" when it did not).
func (s *Service) deadlineShift(m lingpao.Period, cal *lingpao.Calendar) string {
	day := s.W.Config.DeadlineDay
	next := m.LastMonth().End()
	nominal := time.Date(next.Year(), next.Month(), day, 0, 0, 0, 0, lingpao.Beijing)
	if cal.IsWorkday(nominal) {
		return ""
	}
	return fmt.Sprintf("（%s为%s，顺延）", monthDay(nominal), restName(nominal, cal))
}

// shiftNote says why a cron run is due later than its nominal time: a day off, or the deadline.
func shiftNote(sched lingpao.Schedule, n, due time.Time, cal *lingpao.Calendar) string {
	if due.Equal(n) {
		return ""
	}
	var parts []string
	if sched.NextWorkday && !cal.IsWorkday(n) {
		parts = append(parts, fmt.Sprintf("计划 %s 为%s，顺延", monthDay(n), restName(n, cal)))
	}
	if sched.WaitForDeadline {
		dl := sched.Deadline(n, cal)
		plain := lingpao.Schedule{NextWorkday: sched.NextWorkday}.Due(n, cal)
		if !plain.After(dl.AddDate(0, 0, 1).Add(-time.Nanosecond)) {
			parts = append(parts, fmt.Sprintf("等到报送截止日 %s 过后", monthDay(dl)))
		}
	}
	return strings.Join(parts, "，") + fmt.Sprintf("，于 %s 运行", monthDay(due))
}

// restName names why date t is not a working day: its holiday, or the weekend.
func restName(t time.Time, cal *lingpao.Calendar) string {
	if h, ok := cal.Holiday(t); ok && h.Off {
		return h.Name + "假期"
	}
	return "周" + [...]string{"日", "一", "二", "三", "四", "五", "六"}[t.In(lingpao.Beijing).Weekday()]
}

func monthDay(t time.Time) string {
	t = t.In(lingpao.Beijing)
	return fmt.Sprintf("%d月%d日", t.Month(), t.Day())
}

// ManualRunSlack is how far ahead of the real clock a --now may be (clocks of two machines differ).
const ManualRunSlack = 5 * time.Minute

// CheckRunTime checks the as-of time of a job run an operator asks for (`lingpao jobs run --now`),
// against the real clock: not in the future — a report made now from today's data cannot be stamped
// with a later date, and would use up the real run — and not before the plans this workspace follows
// (the earliest seed document's year), where no period means anything.
func (w *Workspace) CheckRunTime(at, real time.Time) error {
	if at.After(real.Add(ManualRunSlack)) {
		return lingpao.Errorf(lingpao.EINVALID, "--now %s 晚于现在（%s）：不能按未来的时间运行任务——那样会用今天的数据冒充未来的报告，并占用到时真正的计划运行。"+
			"请等到那时由 lingpao serve 按计划运行；现在就要看报告，请用 lingpao report 生成（不影响计划）。", fmtCN(at), fmtCN(real))
	}
	first := 0
	for _, d := range w.Catalog.Documents {
		if t, err := time.ParseInLocation("2006-01-02", d.Date, lingpao.Beijing); err == nil && (first == 0 || t.Year() < first) {
			first = t.Year()
		}
	}
	if first > 0 && at.In(lingpao.Beijing).Year() < first {
		return lingpao.Errorf(lingpao.EINVALID, "--now %s 早于本工作目录所依据的规划（最早的文件为 %d 年）：这时没有可调度的期间。请写 %d 年以后的时间，如 %d-10-09T09:00。",
			fmtCN(at), first, first, real.In(lingpao.Beijing).Year())
	}
	return nil
}
