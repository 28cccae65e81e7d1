package lingpao_test

import (
	"testing"
	"time"

	"lingpao"
	"lingpao/seeds"
)

func seedCalendar(t *testing.T) *lingpao.Calendar {
	t.Helper()
	cat, err := seeds.Load(seeds.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return cat.Calendar()
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, lingpao.Beijing)
	if err != nil {
		panic(err)
	}
	return t
}

// TestOctoberWaitsForDeadline: 国庆 moves the September deadline (10-05) to 10-08 in 2024, 10-09 in
// 2025 and 10-08 in 2026. A dispatch on 「the 8th, next working day」 fell on the deadline morning each
// year; waiting for the deadline it runs the working day after, and the deadline-relative default
// three working days after (hand-checked against the State Council notices: 2024-10-12 and
// 2025-10-11 are worked Saturdays, 2026-10-10 too).
func TestOctoberWaitsForDeadline(t *testing.T) {
	cal := seedCalendar(t)
	cron := lingpao.JobConfig{Schedule: "0 9 8 * *", NextWorkday: true}
	guarded := cron
	guarded.WaitForDeadline = true
	def := lingpao.DefaultJobsConfig().Monthly
	for _, tc := range []struct {
		year                         int
		deadline, cron, guarded, def string
	}{
		{2024, "2024-10-08", "2024-10-08 09:00", "2024-10-09 09:00", "2024-10-11 09:00"},
		{2025, "2025-10-09", "2025-10-09 09:00", "2025-10-10 09:00", "2025-10-13 09:00"},
		{2026, "2026-10-08", "2026-10-08 09:00", "2026-10-09 09:00", "2026-10-12 09:00"},
	} {
		from := time.Date(tc.year, 10, 1, 0, 0, 0, 0, lingpao.Beijing)
		for _, c := range []struct {
			name string
			cfg  lingpao.JobConfig
			want string
		}{{"cron", cron, tc.cron}, {"guarded", guarded, tc.guarded}, {"default", def, tc.def}} {
			s, err := c.cfg.ParseSchedule(5)
			if err != nil {
				t.Fatal(err)
			}
			n := s.Next(from)
			if got := s.Due(n, cal); !got.Equal(at(c.want)) {
				t.Errorf("%d %s (%s): due %s, want %s", tc.year, c.name, c.cfg.Schedule, got.Format("2006-01-02 15:04"), c.want)
			}
			if got := lingpao.FormatDate(s.Deadline(n, cal)); got != tc.deadline {
				t.Errorf("%d %s: deadline %s, want %s", tc.year, c.name, got, tc.deadline)
			}
		}
	}
}

// TestDeadlineSchedule: 「@deadline+N HH:MM [months]」 runs N working days after the deadline of the
// month before, only in the months listed; its nominal time is the deadline day of the month.
func TestDeadlineSchedule(t *testing.T) {
	cal := seedCalendar(t)
	s, err := lingpao.ParseSchedule("@deadline+3 09:30 1,4,7,10")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for n := s.Next(at("2025-01-01 00:00")); n.Before(at("2026-12-31 00:00")); n = s.Next(n) {
		got = append(got, n.Format("01-02 15:04")+"→"+s.Due(n, cal).Format("2006-01-02 15:04"))
	}
	// 2025: 01-05 Sunday → deadline 01-06; 04-05 清明 → 04-07; 07-05 Saturday → 07-07; 10-05 国庆 →
	// 10-09 (10-11 worked). 2026: 01-05 Monday; 04-05 清明 → 04-07; 07-05 Sunday → 07-06; 10-05 国庆 →
	// 10-08 (10-10 worked).
	want := []string{"01-05 09:30→2025-01-09 09:30", "04-05 09:30→2025-04-10 09:30", "07-05 09:30→2025-07-10 09:30", "10-05 09:30→2025-10-13 09:30",
		"01-05 09:30→2026-01-08 09:30", "04-05 09:30→2026-04-10 09:30", "07-05 09:30→2026-07-09 09:30", "10-05 09:30→2026-10-12 09:30"}
	if len(got) != len(want) {
		t.Fatalf("runs %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("run %d: %s, want %s", i, got[i], want[i])
		}
	}
	for _, bad := range []string{"@deadline+0 09:00", "@deadline+3", "@deadline+3 9h", "@deadline+3 09:00 13", "@deadline+x 09:00"} {
		if _, err := lingpao.ParseSchedule(bad); lingpao.ErrorCode(err) != lingpao.EINVALID {
			t.Errorf("ParseSchedule(%q) = %v, want EINVALID", bad, err)
		}
	}
}
