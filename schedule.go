package lingpao

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
)

// ScheduleZone is the zone every job schedule is read in: `CRON_TZ=Asia/Shanghai` is prefixed to a
// spec that names no zone.
const ScheduleZone = "Asia/Shanghai"

// OnTimeTolerance is how late a scheduled run may start and still count as on time rather than
// missed (and so subject to the catch-up policy).
const OnTimeTolerance = 2 * time.Minute

// Schedule is when a job is due: a cron spec read in Beijing time, optionally moved off weekends and
// statutory holidays to the next working day; or a time relative to the reporting deadline
// (「@deadline+3 09:00」: the third working day after the month's deadline, 09:00). A report job's
// schedule can also wait for the deadline: it is never due before the deadline of the month it covers
// has passed.
type Schedule struct {
	// Spec is the spec as parsed (a cron spec with its CRON_TZ prefix).
	Spec string
	// NextWorkday moves a time on a non-working day to the same clock time of the next working day.
	NextWorkday bool
	// WaitForDeadline moves a time on or before the reporting deadline of the month before it (the
	// month a report run then covers) to the same clock time of the first working day after it.
	WaitForDeadline bool
	// DeadlineDay is the day of the month returns are due (「每月5日前」), for deadline-relative
	// schedules and WaitForDeadline; 0 means 5.
	DeadlineDay int
	cron        cron.Schedule
	after       *afterDeadline
}

// afterDeadline is a deadline-relative schedule: the Workdays-th working day after the reporting
// deadline of the previous month's return, at Hour:Minute, in the months listed (all when empty).
type afterDeadline struct {
	Workdays     int
	Hour, Minute int
	Months       map[time.Month]bool
}

// DeadlinePrefix starts a deadline-relative schedule spec.
const DeadlinePrefix = "@deadline+"

// ParseSchedule parses a schedule spec: a cron spec — five fields (minute hour day-of-month month
// day-of-week), or six with seconds first, or a descriptor (@daily, @every 1m), read in Asia/Shanghai
// unless it starts with CRON_TZ= or TZ= — or a deadline-relative spec 「@deadline+N HH:MM [months]」:
// the N-th working day after the reporting deadline of the month before, e.g. 「@deadline+3 09:00」
// monthly, 「@deadline+3 09:00 1,4,7,10」 in the first month of each quarter.
func ParseSchedule(spec string) (Schedule, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return Schedule{}, Errorf(EINVALID, "计划不能为空：请写成 cron 格式，如「0 9 8 * *」（每月8日9:00）或「@every 1m」，或写成「@deadline+3 09:00」（报送截止日后第3个工作日9:00）。")
	}
	if strings.HasPrefix(spec, DeadlinePrefix) {
		return parseAfterDeadline(spec)
	}
	if !strings.HasPrefix(spec, "CRON_TZ=") && !strings.HasPrefix(spec, "TZ=") {
		spec = "CRON_TZ=" + ScheduleZone + " " + spec
	}
	p := cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)
	s, err := p.Parse(spec)
	if err != nil {
		return Schedule{}, Errorf(EINVALID, "计划「%s」无法解析（%v）：请写成 cron 格式，如「0 9 8 * *」（每月8日9:00）或「@every 1m」。", spec, err)
	}
	return Schedule{Spec: spec, cron: s}, nil
}

func parseAfterDeadline(spec string) (Schedule, error) {
	bad := func(why string) (Schedule, error) {
		return Schedule{}, Errorf(EINVALID, "计划「%s」无法解析（%s）：截止日计划请写成「@deadline+3 09:00」（报送截止日后第3个工作日9:00），"+
			"只在某些月份运行时在后面列出月份，如「@deadline+3 09:00 1,4,7,10」。", spec, why)
	}
	f := strings.Fields(strings.TrimPrefix(spec, DeadlinePrefix))
	if len(f) < 2 || len(f) > 3 {
		return bad("应有工作日数、时间和可选的月份三部分")
	}
	a := &afterDeadline{}
	n, err := strconv.Atoi(f[0])
	if err != nil || n < 1 || n > 15 {
		return bad("截止日后的工作日数应为 1–15")
	}
	a.Workdays = n
	hm, err := time.Parse("15:04", f[1])
	if err != nil {
		return bad("时间应写成 09:00")
	}
	a.Hour, a.Minute = hm.Hour(), hm.Minute()
	if len(f) == 3 {
		a.Months = map[time.Month]bool{}
		for _, m := range strings.Split(f[2], ",") {
			v, err := strconv.Atoi(m)
			if err != nil || v < 1 || v > 12 {
				return bad("月份应为 1–12，用逗号分隔")
			}
			a.Months[time.Month(v)] = true
		}
	}
	return Schedule{Spec: spec, after: a}, nil
}

// AfterDeadline reports whether the schedule is relative to the reporting deadline, and how many
// working days after it.
func (s Schedule) AfterDeadline() (workdays int, ok bool) {
	if s.after == nil {
		return 0, false
	}
	return s.after.Workdays, true
}

func (s Schedule) deadlineDay() int {
	if s.DeadlineDay <= 0 {
		return 5
	}
	return s.DeadlineDay
}

// Next returns the first nominal time of the schedule after t (before any move to a working day).
// The nominal time of a deadline-relative schedule is the deadline's day of the month (the 5th) at
// the schedule's clock time; its Due is the working day after the deadline.
func (s Schedule) Next(t time.Time) time.Time {
	if s.after != nil {
		b := t.In(Beijing)
		for i := 0; i < 13; i++ {
			m := time.Date(b.Year(), b.Month()+time.Month(i), 1, 0, 0, 0, 0, Beijing)
			if s.after.Months != nil && !s.after.Months[m.Month()] {
				continue
			}
			n := time.Date(m.Year(), m.Month(), s.deadlineDay(), s.after.Hour, s.after.Minute, 0, 0, Beijing)
			if n.After(t) {
				return n
			}
		}
		return time.Time{}
	}
	if s.cron == nil {
		return time.Time{}
	}
	return s.cron.Next(t)
}

// Due returns when nominal time n runs: for a cron schedule n itself or — with NextWorkday, when n's
// date is not a working day — the same clock time on the next working day of cal; for a
// deadline-relative schedule the N-th working day after the deadline of the month before n's month.
// With WaitForDeadline, a time on or before that deadline moves to the first working day after it.
func (s Schedule) Due(n time.Time, cal *Calendar) time.Time {
	due := n
	b := n.In(Beijing)
	switch {
	case cal == nil:
		return n
	case s.after != nil:
		d := cal.AddWorkdays(s.Deadline(n, cal), s.after.Workdays)
		due = time.Date(d.Year(), d.Month(), d.Day(), s.after.Hour, s.after.Minute, 0, 0, Beijing)
	case s.NextWorkday && !cal.IsWorkday(n):
		d := cal.NextWorkday(b)
		due = time.Date(d.Year(), d.Month(), d.Day(), b.Hour(), b.Minute(), b.Second(), b.Nanosecond(), Beijing)
	}
	if s.WaitForDeadline {
		dl := s.Deadline(n, cal)
		if !due.After(dl.AddDate(0, 0, 1).Add(-time.Nanosecond)) {
			d := cal.NextWorkday(dl.AddDate(0, 0, 1))
			c := due.In(Beijing)
			due = time.Date(d.Year(), d.Month(), d.Day(), c.Hour(), c.Minute(), c.Second(), c.Nanosecond(), Beijing)
		}
	}
	return due
}

// Deadline returns the reporting deadline that nominal time n's run waits for: the due date of the
// return of the month before n's month (00:00 Beijing of that day; returns are due by its end).
func (s Schedule) Deadline(n time.Time, cal *Calendar) time.Time {
	return cal.Deadline(MonthOfTime(n).Add(-1), s.deadlineDay())
}

// MaxDelay bounds how long after its nominal time a run can be due: a long holiday, and for schedules
// that wait for the deadline a deadline moved by one and the working days after it.
func (s Schedule) MaxDelay() time.Duration {
	switch {
	case s.after != nil || s.WaitForDeadline:
		return 45 * 24 * time.Hour
	case s.NextWorkday:
		return 14 * 24 * time.Hour
	}
	return 0
}

// Fire is one scheduled time of a job: Nominal comes from the cron spec and is the run's key in the
// ledger; Due is when it runs, after any move off a holiday.
type Fire struct {
	Nominal time.Time
	Due     time.Time
}

// Late reports whether the fire should have started more than OnTimeTolerance before now.
func (f Fire) Late(now time.Time) bool { return now.Sub(f.Due) > OnTimeTolerance }

// PlanCatchUp decides which of a job's pending fires (due by now, not yet in the ledger) run and which
// are recorded as skipped. A fire is missed when it is late (the service was down or busy) and within
// grace when grace is 0 or it is at most grace late.
//
//   - all:  every on-time fire and every missed fire within grace runs, in order;
//   - once: only the latest on-time or within-grace fire runs;
//   - skip: only the latest on-time fire runs.
//
// Everything else is skipped. So a job never runs twice for one nominal time, and after an outage each
// job with policy once runs exactly once.
func PlanCatchUp(policy CatchUpPolicy, grace time.Duration, pending []Fire, now time.Time) (run, skip []Fire) {
	ps := append([]Fire(nil), pending...)
	sort.Slice(ps, func(i, j int) bool { return ps[i].Nominal.Before(ps[j].Nominal) })
	eligible := func(f Fire) bool {
		if !f.Late(now) {
			return true
		}
		return policy != CatchUpSkip && (grace <= 0 || now.Sub(f.Due) <= grace)
	}
	if policy == CatchUpAll {
		for _, f := range ps {
			if eligible(f) {
				run = append(run, f)
			} else {
				skip = append(skip, f)
			}
		}
		return run, skip
	}
	last := -1
	for i, f := range ps {
		if eligible(f) {
			last = i
		}
	}
	for i, f := range ps {
		if i == last {
			run = append(run, f)
		} else {
			skip = append(skip, f)
		}
	}
	return run, skip
}

// ClosedPeriod returns the latest period of the kind that ended by the start of at's month — what a
// report run at `at` covers. Run in October 2025: the month 2025-09, the quarter 2025Q3, the half
// 2025H1, the year 2024; run in January 2026: 2025-12, 2025Q4, 2025H2, 2025.
func ClosedPeriod(kind PeriodKind, at time.Time) Period {
	m := MonthOfTime(at).Add(-1)
	var p Period
	switch kind {
	case Month:
		return m
	case Quarter:
		p = Period{Year: m.Year, Kind: Quarter, N: (m.N-1)/3 + 1}
	case Half:
		p = Period{Year: m.Year, Kind: Half, N: (m.N-1)/6 + 1}
	default:
		p = Period{Year: m.Year, Kind: Year}
	}
	if p.LastMonth() != m {
		p = p.Prev()
	}
	return p
}
