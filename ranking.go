package lingpao

import (
	"fmt"
	"sort"
)

// RankingOptions configure the composite ranking of counties (比学赶超, PRODUCT §7.2).
type RankingOptions struct {
	// Weights per indicator code; an indicator not listed weighs DefaultWeight, and weight 0 leaves it
	// out of the composite.
	Weights map[string]float64 `yaml:"weights,omitempty" json:"weights,omitempty"`
	// DefaultWeight is the weight of indicators not listed in Weights (default 1).
	DefaultWeight float64 `yaml:"default_weight" json:"default_weight"`
	// GapCap bounds each indicator's gap, in percentage points, before it enters the composite, so
	// that one indicator far ahead cannot hide the rest (default 30).
	GapCap float64 `yaml:"gap_cap" json:"gap_cap"`
	// ListSize is how many counties the 红榜 and the 黑榜 name (default 3).
	ListSize int `yaml:"list_size" json:"list_size"`
}

// DefaultRankingOptions weighs every indicator 1, caps gaps at ±30 pp and lists 3 counties.
func DefaultRankingOptions() RankingOptions {
	return RankingOptions{DefaultWeight: 1, GapCap: 30, ListSize: 3}
}

// Weight returns the weight of indicator code.
func (o RankingOptions) Weight(code string) float64 {
	if w, ok := o.Weights[code]; ok {
		return w
	}
	return o.DefaultWeight
}

// RankAssessments ranks measured assessments of one indicator by their gap to 序时进度 as printed
// (Assessment.Gap), best first, and sets their Rank (1 = best); unmeasured ones (未报送, no task,
// 1–2月合并) get 0. Equal printed gaps share a rank and the next rank is skipped (1, 2, 2, 4).
func RankAssessments(as []Assessment) {
	scores := make([]float64, len(as))
	ok := make([]bool, len(as))
	for i, a := range as {
		scores[i], ok[i] = Round(a.Gap, GapDecimals), a.Measured()
	}
	for i, r := range competitionRanks(scores, ok) {
		as[i].Rank = r
	}
}

// competitionRanks ranks the scores with ok set, highest first, ties sharing a rank.
func competitionRanks(scores []float64, ok []bool) []int {
	idx := make([]int, 0, len(scores))
	for i := range scores {
		if ok[i] {
			idx = append(idx, i)
		}
	}
	sort.SliceStable(idx, func(a, b int) bool { return roundTo(scores[idx[a]], 6) > roundTo(scores[idx[b]], 6) })
	ranks := make([]int, len(scores))
	for n, i := range idx {
		ranks[i] = n + 1
		if n > 0 && roundTo(scores[i], 6) == roundTo(scores[idx[n-1]], 6) {
			ranks[i] = ranks[idx[n-1]]
		}
	}
	return ranks
}

// ScoreDecimals is how many decimals a composite score is printed with — and ranked on.
const ScoreDecimals = 2

// Score is one unit's composite standing: the weighted mean, over the indicators it is measured on,
// of 100 + its gap to 序时进度 (each gap capped at ±GapCap): 100 is exactly on schedule everywhere,
// 105 is five points ahead on average.
type Score struct {
	Org   string  `json:"org"`
	Score float64 `json:"score"`
	// Rank is 1 for the best; 0 when the unit was measured on no weighted indicator.
	Rank int `json:"rank"`
	// PrevRank is the rank in the previous period (0: not ranked then); Move is PrevRank − Rank,
	// positive when the unit moved up.
	PrevRank int `json:"prev_rank,omitempty"`
	Move     int `json:"move,omitempty"`
	// Measured is how many weighted indicators entered the score; Weight their total weight.
	Measured int     `json:"measured"`
	Weight   float64 `json:"weight"`
	// Lagging counts the indicators among them that are 滞后 or 严重滞后.
	Lagging int `json:"lagging"`
}

// CompositeScores computes every unit's composite score from its assessments (any number of
// indicators, units in order of first appearance) and ranks the units, best first. Units measured on
// no weighted indicator are listed last with Rank 0.
func CompositeScores(as []Assessment, opt RankingOptions) []Score {
	var order []string
	by := map[string]*Score{}
	sums := map[string]float64{}
	for _, a := range as {
		s, ok := by[a.Org]
		if !ok {
			s = &Score{Org: a.Org}
			by[a.Org] = s
			order = append(order, a.Org)
		}
		w := opt.Weight(a.Indicator)
		if !a.Measured() || w <= 0 {
			continue
		}
		gap := Round(a.Gap, GapDecimals)
		if opt.GapCap > 0 {
			gap = max(-opt.GapCap, min(opt.GapCap, gap))
		}
		sums[a.Org] += w * (100 + gap)
		s.Weight += w
		s.Measured++
		if a.Status.Lagging() {
			s.Lagging++
		}
	}
	out := make([]Score, 0, len(order))
	scores := make([]float64, 0, len(order))
	ok := make([]bool, 0, len(order))
	for _, org := range order {
		s := by[org]
		if s.Weight > 0 {
			s.Score = Round(sums[org]/s.Weight, ScoreDecimals) // ranked and listed as printed
		}
		out = append(out, *s)
		scores = append(scores, s.Score)
		ok = append(ok, s.Weight > 0)
	}
	for i, r := range competitionRanks(scores, ok) {
		out[i].Rank = r
	}
	sort.SliceStable(out, func(i, j int) bool {
		ri, rj := out[i].Rank, out[j].Rank
		if (ri == 0) != (rj == 0) {
			return rj == 0
		}
		return ri < rj
	})
	return out
}

// Movement sets PrevRank and Move of each current score from the previous period's scores of the
// same unit.
func Movement(cur, prev []Score) {
	was := map[string]int{}
	for _, p := range prev {
		was[p.Org] = p.Rank
	}
	for i := range cur {
		if pr := was[cur[i].Org]; pr > 0 && cur[i].Rank > 0 {
			cur[i].PrevRank, cur[i].Move = pr, pr-cur[i].Rank
		}
	}
}

// MoveArrow renders a change of rank as reports show it: ↑2 (up two places), ↓1, → (unchanged), or
// "" when there is nothing to compare (not ranked now or then).
func MoveArrow(prevRank, rank int) string {
	switch {
	case prevRank == 0 || rank == 0:
		return ""
	case prevRank > rank:
		return fmt.Sprintf("↑%d", prevRank-rank)
	case prevRank < rank:
		return fmt.Sprintf("↓%d", rank-prevRank)
	}
	return "→"
}

// RedBlack returns the 红榜 and 黑榜 of ranked scores: the best n units that are ahead of schedule on
// average (score above 100) and the worst n that are behind it (below 100), worst first. A unit tied
// with the last one named is named too, so that equal standing is treated alike.
func RedBlack(scores []Score, n int) (red, black []Score) {
	var ranked []Score
	for _, s := range scores {
		if s.Rank > 0 {
			ranked = append(ranked, s)
		}
	}
	sort.SliceStable(ranked, func(i, j int) bool { return ranked[i].Rank < ranked[j].Rank })
	for _, s := range ranked {
		if roundTo(s.Score, 6) <= 100 {
			break
		}
		if len(red) >= n && s.Rank != red[len(red)-1].Rank {
			break
		}
		red = append(red, s)
	}
	for i := len(ranked) - 1; i >= 0; i-- {
		s := ranked[i]
		if roundTo(s.Score, 6) >= 100 {
			break
		}
		if len(black) >= n && s.Rank != black[len(black)-1].Rank {
			break
		}
		black = append(black, s)
	}
	return red, black
}
