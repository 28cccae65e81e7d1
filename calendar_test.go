package lingpao_test

import (
	"testing"
	"time"

	"lingpao"
	"lingpao/seeds"
)

// TestDeadlinesFromHolidayTable checks 「次月5日前，遇法定节假日顺延」 against the seed holiday table
// (国务院办公厅 notices for 2023–2026, provisional 2027). Each expected date was read off the table
// and a calendar by hand.
func TestDeadlinesFromHolidayTable(t *testing.T) {
	cat, err := seeds.Load(seeds.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	cal := cat.Calendar()
	tests := []struct {
		name  string
		month lingpao.Period
		day   int
		want  string
	}{
		{"2025-10-05 is in 国庆 (10-01..10-08 off): the next working day is Thursday 10-09", lingpao.MonthOf(2025, 9), 5, "2025-10-09"},
		{"2023-10-05 in 国庆; Saturday 10-07 is a make-up working day", lingpao.MonthOf(2023, 9), 5, "2023-10-07"},
		{"2024-10-05 in 国庆 (to 10-07): Tuesday 10-08", lingpao.MonthOf(2024, 9), 5, "2024-10-08"},
		{"2026-10-05 in 国庆 (to 10-07): Thursday 10-08", lingpao.MonthOf(2026, 9), 5, "2026-10-08"},
		{"2025-05-05 in 劳动节 (05-01..05-05): Tuesday 05-06", lingpao.MonthOf(2025, 4), 5, "2025-05-06"},
		{"2025-02-05 is the first working day after 春节", lingpao.MonthOf(2025, 1), 5, "2025-02-05"},
		{"an ordinary Monday: 2026-01-05", lingpao.MonthOf(2025, 12), 5, "2026-01-05"},
		{"Saturday 2026-01-03 is off (元旦), Sunday 01-04 a make-up working day", lingpao.MonthOf(2025, 12), 3, "2026-01-04"},
		{"Sunday 2025-01-26 is a make-up working day: the deadline stays", lingpao.MonthOf(2024, 12), 26, "2025-01-26"},
		{"an ordinary Saturday moves to Monday: 2026-03-28 → 03-30", lingpao.MonthOf(2026, 2), 28, "2026-03-30"},
		{"provisional 2027 春节 (02-05..02-08): 02-09", lingpao.MonthOf(2027, 1), 5, "2027-02-09"},
		{"beyond the table only weekdays count: Thursday 2028-10-05", lingpao.MonthOf(2028, 9), 5, "2028-10-05"},
		{"a quarter's returns are due after its last month", lingpao.Period{Year: 2025, Kind: lingpao.Quarter, N: 3}, 5, "2025-10-09"},
	}
	for _, tt := range tests {
		if got := lingpao.FormatDate(cal.Deadline(tt.month, tt.day)); got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.name, got, tt.want)
		}
	}

	day := func(s string) time.Time {
		d, err := lingpao.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	// Working days: 2025-09-30 + 1 skips the whole 国庆 block; + 3 from 10-09 passes the make-up
	// Saturday 10-11 (10-10, 10-11, 10-13).
	if got := lingpao.FormatDate(cal.AddWorkdays(day("2025-09-30"), 1)); got != "2025-10-09" {
		t.Errorf("2025-09-30 + 1 working day = %s, want 2025-10-09", got)
	}
	if got := lingpao.FormatDate(cal.AddWorkdays(day("2025-10-09"), 3)); got != "2025-10-13" {
		t.Errorf("2025-10-09 + 3 working days = %s, want 2025-10-13", got)
	}
	if got := lingpao.FormatDate(cal.AddWorkdays(day("2025-10-09"), -1)); got != "2025-09-30" {
		t.Errorf("2025-10-09 − 1 working day = %s, want 2025-09-30", got)
	}
	// A time late in the evening is still that day in Beijing.
	if !cal.IsWorkday(time.Date(2025, 10, 11, 15, 30, 0, 0, time.UTC)) { // 23:30 in Beijing, Saturday make-up
		t.Error("2025-10-11 23:30 Beijing time should be a working day")
	}
}
