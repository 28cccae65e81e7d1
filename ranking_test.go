package lingpao

import "testing"

func TestRankAssessments(t *testing.T) {
	// Ranked on the gap as printed (one decimal): A, C and E all read +5.0 and share second place,
	// although E's completion differs in the fifth decimal.
	as := []Assessment{
		{Org: "A", Completion: 0.8, Gap: 5, Status: StatusOnTrack},
		{Org: "B", Completion: 0.9, Gap: 15, Status: StatusAhead},
		{Org: "C", Completion: 0.8, Gap: 5, Status: StatusOnTrack},
		{Org: "D", Status: StatusMissing},
		{Org: "E", Completion: 0.80004, Gap: 5.004, Status: StatusOnTrack},
		{Org: "F", Completion: 0.5, Gap: -25, Status: StatusFarBehind},
		{Org: "G", Status: StatusNoTarget},
		{Org: "H", Status: StatusMerged},
	}
	RankAssessments(as)
	want := []int{2, 1, 2, 0, 2, 5, 0, 0}
	for i, a := range as {
		if a.Rank != want[i] {
			t.Errorf("%s: rank %d, want %d", a.Org, a.Rank, want[i])
		}
	}
}

// TestCompositeScores works through weights 2 for x and 1 for y, gaps capped at ±30 pp, scores as
// printed (two decimals):
//
//	A: x +10, y +2   → (2×110 + 102) / 3 = 107.333… → 107.33
//	F: the same as A → tie for first
//	D: x missing, y +5 → 105 / 1 = 105
//	B: x −4, y +8    → (2×96 + 108) / 3 = 100
//	C: x −40 (capped at −30), y −10 → (2×70 + 90) / 3 = 76.666… → 76.67
//	E: nothing measured → not ranked
func TestCompositeScores(t *testing.T) {
	a := func(org, ind string, gap float64, st Status) Assessment {
		return Assessment{Org: org, Indicator: ind, Gap: gap, Status: st, HasTarget: st != StatusNoTarget}
	}
	as := []Assessment{
		a("A", "x", 10, StatusAhead), a("A", "y", 2, StatusOnTrack),
		a("B", "x", -4, StatusOnTrack), a("B", "y", 8, StatusAhead),
		a("C", "x", -40, StatusFarBehind), a("C", "y", -10, StatusBehind),
		a("D", "x", 0, StatusMissing), a("D", "y", 5, StatusOnTrack),
		a("E", "x", 0, StatusMissing), a("E", "y", 0, StatusNoTarget),
		a("F", "x", 10, StatusAhead), a("F", "y", 2, StatusOnTrack),
		a("A", "z", -50, StatusFarBehind), // weight 0: left out
	}
	opt := DefaultRankingOptions()
	opt.Weights = map[string]float64{"x": 2, "z": 0}
	got := CompositeScores(as, opt)
	want := []struct {
		org      string
		score    float64
		rank     int
		measured int
		lagging  int
	}{
		{"A", 107.33, 1, 2, 0}, {"F", 107.33, 1, 2, 0}, {"D", 105, 3, 1, 0}, {"B", 100, 4, 2, 0}, {"C", 76.67, 5, 2, 2}, {"E", 0, 0, 0, 0},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d scores: %+v", len(got), got)
	}
	for i, w := range want {
		g := got[i]
		if g.Org != w.org || !near(g.Score, w.score) || g.Rank != w.rank || g.Measured != w.measured || g.Lagging != w.lagging {
			t.Errorf("place %d: got %+v, want %+v", i, g, w)
		}
	}

	red, black := RedBlack(got, 1)
	if len(red) != 2 || red[0].Org != "A" || red[1].Org != "F" {
		t.Errorf("红榜 of 1 with a tie for first: %+v, want A and F", red)
	}
	if len(black) != 1 || black[0].Org != "C" {
		t.Errorf("黑榜: %+v, want C only (B is exactly on schedule)", black)
	}
	red, _ = RedBlack(got, 3)
	if len(red) != 3 || red[2].Org != "D" {
		t.Errorf("红榜 of 3: %+v, want A, F, D (B at 100 is not ahead)", red)
	}

	prev := []Score{{Org: "A", Rank: 3}, {Org: "B", Rank: 1}, {Org: "C", Rank: 5}, {Org: "D"}}
	Movement(got, prev)
	arrows := map[string]string{}
	for _, s := range got {
		arrows[s.Org] = MoveArrow(s.PrevRank, s.Rank)
	}
	for org, want := range map[string]string{"A": "↑2", "B": "↓3", "C": "→", "D": "", "E": "", "F": ""} {
		if arrows[org] != want {
			t.Errorf("%s moved %q, want %q", org, arrows[org], want)
		}
	}
}
