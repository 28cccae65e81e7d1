package lingpao

import (
	"math"
	"strings"
	"testing"
)

func TestScoreAnnual(t *testing.T) {
	opt := DefaultAnnualOptions()
	opt.Weights = map[string]float64{"b": 2, "off": 0}
	opt.Bonus = []BonusEntry{{Org: "鹿泉区", Points: 1, Reason: "获评省级中小企业特色产业集群"}, {Org: "130111", Points: 4, Reason: "other county"}}
	as := []Assessment{
		// a: weight 1, exactly on schedule at year end: ratio 1.
		{Indicator: "a", HasTarget: true, Completion: 1, Expected: 1, Status: StatusOnTrack},
		// b: weight 2, 60% of a milestone whose 序时进度 is 0.75: ratio 0.8.
		{Indicator: "b", HasTarget: true, Completion: 0.6, Expected: 0.75, Status: StatusFarBehind},
		// c: weight 1, 150% of a rate target: ratio 1.5, capped at 1.2.
		{Indicator: "c", HasTarget: true, Completion: 1.5, Expected: 1, Status: StatusAhead},
		// d: weight 1, not reported: 0 points, but its weight counts.
		{Indicator: "d", HasTarget: true, Expected: 1, Status: StatusMissing},
		// no target, and weight 0: left out altogether.
		{Indicator: "e", Status: StatusNoTarget},
		{Indicator: "off", HasTarget: true, Completion: 1, Expected: 1, Status: StatusOnTrack},
	}
	reports := []CountyReport{
		{State: ReportMerged}, {State: ReportOnTime}, {State: ReportLate}, {State: ReportLate},
		{State: ReportMissing}, {State: ReportRejected, Overdue: true}, {State: ReportRejected}, {State: ReportNotDue},
	}
	s := ScoreAnnual("130110", "鹿泉区", as, 2, reports, opt)

	// Total weight 1+2+1+1 = 5. Points: a 100·1·1/5 = 20; b 100·2·0.8/5 = 32; c 100·1·1.2/5 = 24; d 0.
	want := map[string]float64{"a": 20, "b": 32, "c": 24, "d": 0}
	if len(s.Items) != 4 {
		t.Fatalf("items %+v, want a b c d", s.Items)
	}
	for _, it := range s.Items {
		if math.Abs(it.Points-want[it.Indicator]) > 1e-9 {
			t.Errorf("%s scores %v, want %v", it.Indicator, it.Points, want[it.Indicator])
		}
	}
	if math.Abs(s.Items[1].Ratio-0.8) > 1e-9 || math.Abs(s.Items[2].Ratio-1.5) > 1e-9 {
		t.Errorf("ratios %v %v, want 0.8 and 1.5 (uncapped)", s.Items[1].Ratio, s.Items[2].Ratio)
	}
	if math.Abs(s.Base-76) > 1e-9 {
		t.Errorf("base %v, want 76", s.Base)
	}
	// Bonus: 2 key clusters × 2 + 1 by decision (matched by name) = 5, at the cap of 5.
	if s.Bonus != 5 || len(s.Bonuses) != 2 || !strings.Contains(s.Bonuses[0].Reason, "省级重点特色产业集群2个") {
		t.Errorf("bonus %v %+v", s.Bonus, s.Bonuses)
	}
	// Deductions: 2 late × 0.5 + (missing + rejected overdue) × 1 = 3; merged, on time, rejected before
	// the deadline and not due cost nothing.
	if s.Deduction != 3 || len(s.Deductions) != 2 {
		t.Errorf("deduction %v %+v, want 3", s.Deduction, s.Deductions)
	}
	if math.Abs(s.Total-78) > 1e-9 {
		t.Errorf("total %v, want 76 + 5 − 3 = 78", s.Total)
	}
}

func TestScoreAnnualCaps(t *testing.T) {
	opt := DefaultAnnualOptions()
	opt.Bonus = []BonusEntry{{Org: "x", Points: 9, Reason: "大额加分"}}
	var reports []CountyReport
	for range 12 {
		reports = append(reports, CountyReport{State: ReportMissing})
	}
	s := ScoreAnnual("x", "", []Assessment{{Indicator: "a", HasTarget: true, Completion: 0.5, Expected: 0, Status: StatusBehind}}, 0, reports, opt)
	// 序时进度 0: the ratio is the completion itself, 0.5 → 50 points.
	if s.Base != 50 || s.Bonus != opt.MaxBonus || s.Deduction != opt.MaxDeduction || s.Total != 50 {
		t.Errorf("base %v bonus %v deduction %v total %v, want 50, 5, 5, 50", s.Base, s.Bonus, s.Deduction, s.Total)
	}
	if s := ScoreAnnual("y", "", nil, 0, nil, opt); s.Base != 0 || s.Items != nil {
		t.Errorf("no targets: %+v", s)
	}
}

func TestRankAnnual(t *testing.T) {
	opt := DefaultAnnualOptions()
	scores := []AnnualScore{{Org: "a", Total: 59.994}, {Org: "b", Total: 89.996}, {Org: "c", Total: 90.004}, {Org: "d", Total: 80}, {Org: "e", Total: 79.99}}
	RankAnnual(scores, opt)
	var got []string
	for _, s := range scores {
		got = append(got, s.Org+":"+itoa(s.Rank)+s.Grade)
	}
	// 89.996 and 90.004 both print as 90.00: they share rank 1 and the grade 优秀.
	want := "b:1优秀 c:1优秀 d:3良好 e:4合格 a:5不合格"
	if strings.Join(got, " ") != want {
		t.Errorf("got %s\nwant %s", strings.Join(got, " "), want)
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestAnnualOptionsProblems(t *testing.T) {
	opt := DefaultAnnualOptions()
	if p := opt.problems(); len(p) != 0 {
		t.Fatalf("defaults: %v", p)
	}
	opt.Full, opt.Cap, opt.Late = 0, 0.5, -1
	opt.Bonus = []BonusEntry{{Org: "鹿泉区"}}
	if p := opt.problems(); len(p) != 4 {
		t.Errorf("problems %v, want full, cap, late and the bonus without reason", p)
	}
}
