package lingpao

import (
	"sort"
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
// statutory holidays to the next working day.
type Schedule struct {
	// Spec is the spec as parsed, with its CRON_TZ prefix.
	Spec string
	// NextWorkday moves a time on a non-working day to the same clock time of the next working day.
	NextWorkday bool
	cron        cron.Schedule
}

// ParseSchedule parses a cron spec: five fields (minute hour day-of-month month day-of-week), or six
// with seconds first, or a descriptor (@daily, @every 1m). A spec without CRON_TZ= or TZ= is read in
// Asia/Shanghai.
func ParseSchedule(spec string) (Schedule, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return Schedule{}, Errorf(EINVALID, "计划不能为空：请写成 cron 格式，如「0 9 8 * *」（每月8日9:00）或「@every 1m」。")
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

// Next returns the first nominal time of the schedule after t (before any move to a working day).
func (s Schedule) Next(t time.Time) time.Time {
	if s.cron == nil {
		return time.Time{}
	}
	return s.cron.Next(t)
}

// Due returns when nominal time n runs: n itself, or — with NextWorkday, when n's date is not a
// working day — the same clock time on the next working day of cal.
func (s Schedule) Due(n time.Time, cal *Calendar) time.Time {
	if !s.NextWorkday || cal == nil || cal.IsWorkday(n) {
		return n
	}
	b := n.In(Beijing)
	d := cal.NextWorkday(b)
	return time.Date(d.Year(), d.Month(), d.Day(), b.Hour(), b.Minute(), b.Second(), b.Nanosecond(), Beijing)
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
