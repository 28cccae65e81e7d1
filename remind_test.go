package lingpao_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"lingpao"
	"lingpao/seeds"
)

// TestRemindersDue walks every day from February 2025 to March 2026 with the seed holiday table and
// lists the days each month's return is chased. Expectations are worked out by hand from the 2025 and
// 2026 notices: deadline 「次月5日前，遇法定节假日顺延」; reminders at T−3 and T−1 working days; overdue
// on the first working day after the deadline and every 5 working days until the next deadline.
func TestRemindersDue(t *testing.T) {
	cat, err := seeds.Load(seeds.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	cal := cat.Calendar()
	rc := lingpao.DefaultReminderConfig()
	got := map[string][]string{}
	for d := day("2025-02-01"); d.Before(day("2026-03-31")); d = d.AddDate(0, 0, 1) {
		for _, r := range lingpao.RemindersDue(cal, d.Add(9*time.Hour), 5, true, rc) {
			got[r.Month.String()] = append(got[r.Month.String()], fmt.Sprintf("%s %s%d", d.Format("01-02"), r.Kind, r.Workdays))
		}
	}
	for month, want := range map[string]string{
		// Deadline Mar 5 (Wed): T−3 is Friday Feb 28.
		"2025-02": "02-28 before3,03-04 before1,03-06 overdue1,03-13 overdue6,03-20 overdue11,03-27 overdue16,04-03 overdue21",
		// Deadline May 5 falls in the 劳动节 holiday (May 1–5): moved to Tuesday May 6; T−1 is Apr 30
		// and T−3 Apr 28; the next deadline is Jun 5, so overdue reminders stop after Jun 4.
		"2025-04": "04-28 before3,04-30 before1,05-07 overdue1,05-14 overdue6,05-21 overdue11,05-28 overdue16",
		// Deadline Oct 5 falls in 国庆节、中秋节 (Oct 1–8): moved to Thursday Oct 9. T−1 is Sep 30 and
		// T−3 the worked Sunday Sep 28; the worked Saturday Oct 11 counts as a working day after it; the
		// October return is due Nov 5, so the reminder that would fall on Nov 6 is not sent.
		"2025-09": "09-28 before3,09-30 before1,10-10 overdue1,10-16 overdue6,10-23 overdue11,10-30 overdue16",
		// Deadline Monday Jan 5 2026; T−1 is the worked Sunday Jan 4, T−3 Dec 30 (Jan 1–3 are off).
		"2025-12": "12-30 before3,01-04 before1,01-06 overdue1,01-13 overdue6,01-20 overdue11,01-27 overdue16,02-03 overdue21",
		// Deadline Thursday Mar 5 2026 (the 春节 holiday ends Feb 23; Feb 28 is a worked Saturday).
		"2026-02": "03-02 before3,03-04 before1,03-06 overdue1,03-13 overdue6,03-20 overdue11,03-27 overdue16",
	} {
		if g := strings.Join(got[month], ","); g != want {
			t.Errorf("reminders for %s:\n got  %s\n want %s", month, g, want)
		}
	}
	// 1–2月合并: nobody is chased for January.
	for _, m := range []string{"2025-01", "2026-01"} {
		if len(got[m]) > 0 {
			t.Errorf("reminders for %s with merge_jan_feb: %v", m, got[m])
		}
	}
	// Nothing goes out on a day off, even one inside a reminder window.
	for _, d := range []string{"2025-10-05", "2025-05-03", "2026-01-03"} {
		if r := lingpao.RemindersDue(cal, day(d), 5, true, rc); len(r) > 0 {
			t.Errorf("reminders on the day off %s: %v", d, r)
		}
	}
	// Without merging, January is chased like any month: deadline Feb 5 2026 (Thu).
	var jan []string
	for d := day("2026-01-25"); d.Before(day("2026-02-10")); d = d.AddDate(0, 0, 1) {
		for _, r := range lingpao.RemindersDue(cal, d, 5, false, lingpao.ReminderConfig{Before: []int{1}, Overdue: true}) {
			if r.Month.N == 1 {
				jan = append(jan, fmt.Sprintf("%s %s", d.Format("01-02"), r.Kind))
			}
		}
	}
	if g := strings.Join(jan, ","); g != "02-04 before,02-06 overdue" {
		t.Errorf("January without merging: %s", g)
	}
}

func day(s string) time.Time {
	t, err := lingpao.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}
