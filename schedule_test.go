package lingpao

import (
	"strings"
	"testing"
	"time"
)

func bj(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, Beijing)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseSchedule(t *testing.T) {
	cal := NewCalendar([]Holiday{
		{Date: date("2025-10-08"), Name: "国庆节", Off: true},
		{Date: date("2025-02-08"), Name: "春节", Off: false}, // a Saturday worked (调休)
	})
	for _, tc := range []struct {
		spec        string
		nextWorkday bool
		after       string
		next, due   string
	}{
		{"0 9 8 * *", false, "2025-10-01 00:00", "2025-10-08 09:00", "2025-10-08 09:00"},
		{"0 9 8 * *", true, "2025-10-01 00:00", "2025-10-08 09:00", "2025-10-09 09:00"}, // holiday → next working day
		{"0 9 8 * *", true, "2025-02-01 00:00", "2025-02-08 09:00", "2025-02-08 09:00"}, // worked Saturday stays
		{"0 9 8 * *", true, "2025-03-01 00:00", "2025-03-08 09:00", "2025-03-10 09:00"}, // Saturday → Monday
		{"0 9 8 * *", true, "2025-10-08 09:00", "2025-11-08 09:00", "2025-11-10 09:00"}, // strictly after
		{"CRON_TZ=UTC 0 1 8 * *", false, "2025-10-01 00:00", "2025-10-08 09:00", "2025-10-08 09:00"},
		{"0 9 10 1,4,7,10 *", false, "2025-07-10 09:00", "2025-10-10 09:00", "2025-10-10 09:00"},
		{"@every 1m", false, "2025-10-01 00:00", "2025-10-01 00:01", "2025-10-01 00:01"},
		{"30 0 9 * * *", false, "2025-10-01 00:00", "2025-10-01 09:00", "2025-10-01 09:00"}, // seconds first
	} {
		s, err := ParseSchedule(tc.spec)
		if err != nil {
			t.Errorf("ParseSchedule(%q): %v", tc.spec, err)
			continue
		}
		s.NextWorkday = tc.nextWorkday
		n := s.Next(bj(tc.after))
		want := bj(tc.next)
		if strings.HasPrefix(tc.spec, "30 ") {
			want = want.Add(30 * time.Second)
		}
		if !n.Equal(want) {
			t.Errorf("%q Next(%s) = %s, want %s", tc.spec, tc.after, n.In(Beijing), tc.next)
		}
		if d := s.Due(n, cal); !d.Equal(bj(tc.due).Add(want.Sub(bj(tc.next)))) {
			t.Errorf("%q Due(%s) = %s, want %s", tc.spec, n.In(Beijing), d.In(Beijing), tc.due)
		}
	}
	if s, _ := ParseSchedule("0 9 8 * *"); s.Spec != "CRON_TZ=Asia/Shanghai 0 9 8 * *" {
		t.Errorf("Spec = %q, want the zone prefixed", s.Spec)
	}
	for _, bad := range []string{"", "0 25 * * *", "every day", "CRON_TZ=Mars/Olympus 0 9 * * *"} {
		if _, err := ParseSchedule(bad); ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), "cron") {
			t.Errorf("ParseSchedule(%q) = %v, want EINVALID explaining the cron format", bad, err)
		}
	}
}

func TestPlanCatchUp(t *testing.T) {
	now := bj("2025-10-11 10:00")
	fire := func(s string) Fire { return Fire{Nominal: bj(s), Due: bj(s)} }
	days := []Fire{fire("2025-10-09 09:00"), fire("2025-10-10 09:00"), fire("2025-10-11 09:00")}
	onTime := Fire{Nominal: bj("2025-10-11 09:59"), Due: bj("2025-10-11 09:59")}
	// A monthly report nominally on a holiday, due on the next working day.
	shifted := Fire{Nominal: bj("2025-10-08 09:00"), Due: bj("2025-10-09 09:00")}
	names := func(fs []Fire) string {
		var out []string
		for _, f := range fs {
			out = append(out, f.Nominal.In(Beijing).Format("01-02 15:04"))
		}
		return strings.Join(out, ",")
	}
	for _, tc := range []struct {
		name      string
		policy    CatchUpPolicy
		grace     time.Duration
		pending   []Fire
		run, skip string
	}{
		{"once runs the latest", CatchUpOnce, 0, days, "10-11 09:00", "10-09 09:00,10-10 09:00"},
		{"once within grace", CatchUpOnce, 12 * time.Hour, days, "10-11 09:00", "10-09 09:00,10-10 09:00"},
		{"once, all beyond grace", CatchUpOnce, 30 * time.Minute, days, "", "10-09 09:00,10-10 09:00,10-11 09:00"},
		{"once prefers on time", CatchUpOnce, 0, append(days, onTime), "10-11 09:59", "10-09 09:00,10-10 09:00,10-11 09:00"},
		{"all within grace", CatchUpAll, 30 * time.Hour, days, "10-10 09:00,10-11 09:00", "10-09 09:00"},
		{"all, no limit", CatchUpAll, 0, days, "10-09 09:00,10-10 09:00,10-11 09:00", ""},
		{"skip", CatchUpSkip, 0, days, "", "10-09 09:00,10-10 09:00,10-11 09:00"},
		{"skip still runs on time", CatchUpSkip, 0, append(days, onTime), "10-11 09:59", "10-09 09:00,10-10 09:00,10-11 09:00"},
		{"grace counts from the due time", CatchUpOnce, 50 * time.Hour, []Fire{shifted}, "10-08 09:00", ""},
		{"nothing pending", CatchUpOnce, 0, nil, "", ""},
	} {
		run, skip := PlanCatchUp(tc.policy, tc.grace, tc.pending, now)
		if names(run) != tc.run || names(skip) != tc.skip {
			t.Errorf("%s: run %q skip %q, want run %q skip %q", tc.name, names(run), names(skip), tc.run, tc.skip)
		}
	}
}

func TestClosedPeriod(t *testing.T) {
	for _, tc := range []struct {
		at                     string
		month, q, half, annual string
	}{
		{"2025-10-10 09:00", "2025-09", "2025Q3", "2025H1", "2024"},
		{"2026-01-12 09:00", "2025-12", "2025Q4", "2025H2", "2025"},
		{"2025-07-15 09:00", "2025-06", "2025Q2", "2025H1", "2024"},
		{"2025-02-09 09:00", "2025-01", "2024Q4", "2024H2", "2024"},
		{"2025-04-30 23:59", "2025-03", "2025Q1", "2024H2", "2024"},
	} {
		at := bj(tc.at)
		got := []string{ClosedPeriod(Month, at).String(), ClosedPeriod(Quarter, at).String(), ClosedPeriod(Half, at).String(), ClosedPeriod(Year, at).String()}
		if want := []string{tc.month, tc.q, tc.half, tc.annual}; strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("ClosedPeriod at %s = %v, want %v", tc.at, got, want)
		}
	}
}
