package lingpao

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// yearOfAssessments is a (county, indicator) through 2025: January not reported (1–2月合并), then
// gaps of −8, −16, not reported, −6, −3, −7, −9, −10, −20, −18, −25 percentage points.
func yearOfAssessments() []Observation {
	type month struct {
		st  Status
		gap float64
	}
	ms := []month{{StatusMissing, 0}, {StatusBehind, -8}, {StatusFarBehind, -16}, {StatusMissing, 0}, {StatusBehind, -6}, {StatusOnTrack, -3},
		{StatusBehind, -7}, {StatusBehind, -9}, {StatusBehind, -10}, {StatusFarBehind, -20}, {StatusFarBehind, -18}, {StatusFarBehind, -25}}
	var obs []Observation
	o := DefaultLadderOptions()
	for i, m := range ms {
		a := Assessment{Status: m.st, Gap: m.gap, HasTarget: true}
		obs = append(obs, o.ObserveAssessment(MonthOf(2025, i+1), a))
	}
	return obs
}

type step struct {
	month    int
	from, to EscalationLevel
	streak   int
}

func steps(es []Escalation) []step {
	var out []step
	for _, e := range es {
		out = append(out, step{e.Month.N, e.From, e.To, e.Streak})
	}
	return out
}

// TestLadderTwelveMonths walks the default ladder (one rung per consecutive lagging month, one month
// on schedule resets) through the year by hand:
//
//	Jan 未报送  hold                      —
//	Feb −8     streak 1 → 警示
//	Mar −16    streak 2 → 约谈
//	Apr 未报送  hold: stays 约谈, streak 2
//	May −6     streak 3 → 通报
//	Jun −3     on schedule → reset (通报 → —)
//	Jul −7     streak 1 → 警示
//	Aug −9     streak 2 → 约谈
//	Sep −10    streak 3 → 通报
//	Oct −20    streak 4 → 报告
//	Nov −18    streak 5 → 问责
//	Dec −25    streak 6: stays 问责, no new step
func TestLadderTwelveMonths(t *testing.T) {
	obs := yearOfAssessments()
	final, es := DefaultLadderOptions().RunLadder("130110", "srdi_sme", obs)
	want := []step{
		{2, EscNone, EscWarning, 1}, {3, EscWarning, EscInterview, 2}, {5, EscInterview, EscNotice, 3}, {6, EscNotice, EscNone, 3},
		{7, EscNone, EscWarning, 1}, {8, EscWarning, EscInterview, 2}, {9, EscInterview, EscNotice, 3}, {10, EscNotice, EscReport, 4},
		{11, EscReport, EscAccountability, 5},
	}
	if got := steps(es); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("steps:\n got %v\nwant %v", got, want)
	}
	if final != (LadderState{Level: EscAccountability, Streak: 6}) {
		t.Errorf("final state %+v, want 问责 after 6 lagging months", final)
	}
	reasons := map[int]string{
		2:  "2025年2月滞后序时进度8.0个百分点（滞后），连续第1个月滞后：警示",
		5:  "2025年5月滞后序时进度6.0个百分点（滞后），连续第3个月滞后：约谈→通报",
		6:  "2025年6月与序时进度基本同步（偏差−3.0个百分点），督办解除（原为通报，此前连续3个月滞后）",
		10: "2025年10月滞后序时进度20.0个百分点（严重滞后），连续第4个月滞后：通报→报告",
	}
	for _, e := range es {
		if want, ok := reasons[e.Month.N]; ok && e.Reason != want {
			t.Errorf("reason of %s:\n got %s\nwant %s", e.Month, e.Reason, want)
		}
		if e.Org != "130110" || e.Indicator != "srdi_sme" || e.Gap == nil {
			t.Errorf("step %+v lacks its subject or gap", e)
		}
	}
}

// TestLadderOptions runs the same year with two rungs at 2 and 4 months and two months to recover,
// and with only 严重滞后 counting:
//
//	steps [2 4], recover 2: Feb streak 1 (—), Mar 2 → 警示, May 3, Jun one month back (kept), Jul 4 → 约谈,
//	then 约谈 to the end (no third rung), streak 9 in December.
//	far behind only: Mar → 警示, Jun reset, Oct → 警示, Nov → 约谈, Dec → 通报.
func TestLadderOptions(t *testing.T) {
	obs := yearOfAssessments()
	o := LadderOptions{Steps: []int{2, 4}, Recover: 2}
	final, es := o.RunLadder("A", "x", obs)
	if got, want := fmt.Sprint(steps(es)), fmt.Sprint([]step{{3, EscNone, EscWarning, 2}, {7, EscWarning, EscInterview, 4}}); got != want {
		t.Errorf("steps [2 4] recover 2:\n got %s\nwant %s", got, want)
	}
	if final.Level != EscInterview || final.Streak != 9 {
		t.Errorf("final %+v", final)
	}

	far := DefaultLadderOptions()
	far.FarBehindOnly = true
	var fobs []Observation
	for _, ob := range obs {
		a := Assessment{Status: Status(ob.State), HasTarget: true}
		if ob.Gap != nil {
			a.Gap = *ob.Gap
		}
		fobs = append(fobs, far.ObserveAssessment(ob.Month, a))
	}
	_, es = far.RunLadder("A", "x", fobs)
	want := []step{{3, EscNone, EscWarning, 1}, {6, EscWarning, EscNone, 1}, {10, EscNone, EscWarning, 1}, {11, EscWarning, EscInterview, 2}, {12, EscInterview, EscNotice, 3}}
	if got := steps(es); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("far behind only:\n got %v\nwant %v", got, want)
	}
	if !strings.Contains(fobs[1].Note, "仅严重滞后计入督办") || fobs[1].Tally != Hold {
		t.Errorf("a 滞后 month with FarBehindOnly: %+v", fobs[1])
	}
}

// TestReportingLadder walks a county's returns through 2025: January merged into February, February
// late, March on time, April missing, May rejected and not resent, June late, then on time.
func TestReportingLadder(t *testing.T) {
	deadline := func(m int) time.Time { return time.Date(2025, time.Month(m)+1, 5, 0, 0, 0, 0, Beijing) }
	late := func(m int) *Submission { return &Submission{ReceivedAt: deadline(m).AddDate(0, 0, 3)} }
	states := []CountyReport{
		{State: ReportMerged}, {State: ReportLate, First: late(2)}, {State: ReportOnTime}, {State: ReportMissing}, {State: ReportRejected, Overdue: true},
		{State: ReportLate, First: late(6)}, {State: ReportOnTime}, {State: ReportOnTime}, {State: ReportOnTime}, {State: ReportNotDue},
	}
	var obs []Observation
	for i, r := range states {
		r.Deadline = deadline(i + 1)
		obs = append(obs, ObserveReport(MonthOf(2025, i+1), r))
	}
	final, es := DefaultLadderOptions().RunLadder("130110", "", obs)
	want := []step{{2, EscNone, EscWarning, 1}, {3, EscWarning, EscNone, 1}, {4, EscNone, EscWarning, 1}, {5, EscWarning, EscInterview, 2}, {6, EscInterview, EscNotice, 3}, {7, EscNotice, EscNone, 3}}
	if got := steps(es); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("reporting steps:\n got %v\nwant %v", got, want)
	}
	if final != (LadderState{}) {
		t.Errorf("final %+v, want reset", final)
	}
	if want := "2025年2月报表逾期报送（截止2025-03-05，2025-03-08收到），连续第1个月报送不及时：警示"; es[0].Reason != want {
		t.Errorf("reason:\n got %s\nwant %s", es[0].Reason, want)
	}
	if want := "2025年5月报表被退回后未重新报送（截止2025-06-05），连续第2个月报送不及时：警示→约谈"; es[3].Reason != want {
		t.Errorf("reason:\n got %s\nwant %s", es[3].Reason, want)
	}
}

func TestLadderOptionsProblems(t *testing.T) {
	if p := DefaultLadderOptions().problems(); len(p) != 0 {
		t.Errorf("defaults: %v", p)
	}
	for _, o := range []LadderOptions{
		{Steps: []int{2, 1}, ReportingSteps: []int{1}, Recover: 1},
		{Steps: []int{0}, ReportingSteps: []int{1}, Recover: 1},
		{Steps: nil, ReportingSteps: []int{1}, Recover: 1},
		{Steps: []int{1, 2, 3, 4, 5, 6}, ReportingSteps: []int{1}, Recover: 1},
		{Steps: []int{1}, ReportingSteps: []int{1}, Recover: 0},
	} {
		if len(o.problems()) == 0 {
			t.Errorf("%+v accepted", o)
		}
	}
}
