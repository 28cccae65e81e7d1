package lingpao

import (
	"testing"
	"time"
)

func TestComputeReporting(t *testing.T) {
	// 国庆 2025: 10-01..10-08 off, Saturday 10-11 a make-up working day. September's returns are due
	// 「10月5日前，遇法定节假日顺延」: Thursday 2025-10-09, by the end of the day.
	var hs []Holiday
	for d := 1; d <= 8; d++ {
		hs = append(hs, Holiday{Date: time.Date(2025, 10, d, 0, 0, 0, 0, Beijing), Name: "国庆节", Off: true})
	}
	hs = append(hs, Holiday{Date: time.Date(2025, 10, 11, 0, 0, 0, 0, Beijing), Name: "国庆节"})
	cal := NewCalendar(hs)
	at := func(day, h, min int) time.Time { return time.Date(2025, 10, day, h, min, 0, 0, Beijing) }
	sep := MonthOf(2025, 9)
	sub := func(id int64, org string, st SubmissionStatus, t time.Time) Submission {
		return Submission{ID: id, Org: org, Period: sep, Status: st, ReceivedAt: t}
	}
	var counties []OrgUnit
	for _, c := range []string{"A", "B", "C", "D", "E", "F", "G"} {
		counties = append(counties, OrgUnit{Code: c, Level: LevelCounty})
	}
	subs := []Submission{
		sub(1, "A", SubAccepted, at(9, 23, 59)), // the last minute of the deadline day: on time
		sub(2, "B", SubAccepted, at(10, 0, 0)),  // the first minute after: late
		sub(3, "C", SubRejected, at(8, 10, 0)),  // rejected, then accepted late
		sub(4, "C", SubAccepted, at(11, 9, 0)),
		sub(5, "D", SubRejected, at(9, 10, 0)),                                                    // rejected and never sent again
		sub(6, "F", SubAccepted, at(12, 9, 0)),                                                    // a correction after the deadline of …
		sub(7, "F", SubAccepted, at(8, 9, 0)),                                                     // … a file on time: still on time
		sub(8, "G", SubAccepted, at(16, 9, 0)),                                                    // after "now"
		{ID: 9, Org: "E", Period: MonthOf(2025, 8), Status: SubAccepted, ReceivedAt: at(1, 9, 0)}, // another month
	}
	type want struct {
		state    ReportState
		first    int64
		current  int64
		rejected int
	}
	check := func(now time.Time, wants map[string]want, counts [7]int) {
		t.Helper()
		r := ComputeReporting(counties, sep, subs, cal, 5, true, now)
		if FormatDate(r.Deadline) != "2025-10-09" {
			t.Fatalf("deadline %s, want 2025-10-09", FormatDate(r.Deadline))
		}
		for _, c := range r.Counties {
			w := wants[c.Org]
			var first, current int64
			if c.First != nil {
				first, current = c.First.ID, c.Current.ID
			}
			if c.State != w.state || first != w.first || current != w.current || c.Rejected != w.rejected {
				t.Errorf("%s at %s: got %s first %d current %d rejected %d, want %+v", c.Org, now, c.State, first, current, c.Rejected, w)
			}
		}
		got := [7]int{r.Expected, r.Received, r.OnTime, r.Late, r.Missing, r.Rejected, r.NotDue}
		if got != counts {
			t.Errorf("at %s: expected/received/on time/late/missing/rejected/not due = %v, want %v", now, got, counts)
		}
	}
	check(at(15, 12, 0), map[string]want{
		"A": {ReportOnTime, 1, 1, 0}, "B": {ReportLate, 2, 2, 0}, "C": {ReportLate, 4, 4, 1}, "D": {ReportRejected, 0, 0, 1},
		"E": {ReportMissing, 0, 0, 0}, "F": {ReportOnTime, 7, 6, 0}, "G": {ReportMissing, 0, 0, 0},
	}, [7]int{7, 4, 2, 2, 2, 1, 0})
	// On the deadline day at noon: A and B have sent nothing yet; C's and D's files were rejected.
	check(at(9, 12, 0), map[string]want{
		"A": {ReportNotDue, 0, 0, 0}, "B": {ReportNotDue, 0, 0, 0}, "C": {ReportRejected, 0, 0, 1}, "D": {ReportRejected, 0, 0, 1},
		"E": {ReportNotDue, 0, 0, 0}, "F": {ReportOnTime, 7, 7, 0}, "G": {ReportNotDue, 0, 0, 0},
	}, [7]int{7, 1, 1, 0, 0, 2, 4})
	if r := ComputeReporting(counties, sep, subs, cal, 5, true, at(15, 12, 0)); !near(r.Rate(), 4.0/7) {
		t.Errorf("rate = %v, want 4/7", r.Rate())
	}

	// 1–2月合并: January without a return is not expected; one sent anyway counts as usual.
	jan := MonthOf(2025, 1)
	janSubs := []Submission{{ID: 10, Org: "A", Period: jan, Status: SubAccepted, ReceivedAt: time.Date(2025, 2, 1, 9, 0, 0, 0, Beijing)}}
	r := ComputeReporting(counties[:3], jan, janSubs, cal, 5, true, time.Date(2025, 3, 1, 0, 0, 0, 0, Beijing))
	if r.Counties[0].State != ReportOnTime || r.Counties[1].State != ReportMerged || r.Expected != 1 || r.Merged != 2 || r.Rate() != 1 {
		t.Errorf("merged January: %+v", r)
	}
	// Without the merge January is due like any month (2025-02-05).
	r = ComputeReporting(counties[:3], jan, janSubs, cal, 5, false, time.Date(2025, 3, 1, 0, 0, 0, 0, Beijing))
	if r.Counties[1].State != ReportMissing || r.Expected != 3 || FormatDate(r.Deadline) != "2025-02-05" {
		t.Errorf("January without the merge: %+v", r)
	}
}

func TestObserveRejectedBeforeDeadline(t *testing.T) {
	r := CountyReport{State: ReportRejected, Deadline: time.Date(2025, 10, 9, 0, 0, 0, 0, Beijing)}
	if ob := ObserveReport(MonthOf(2025, 9), r); ob.Tally != Hold {
		t.Errorf("rejected before the deadline: %+v, want hold", ob)
	}
	r.Overdue = true
	if ob := ObserveReport(MonthOf(2025, 9), r); ob.Tally != Strike {
		t.Errorf("rejected after the deadline: %+v, want strike", ob)
	}
}
