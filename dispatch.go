package lingpao

import "fmt"

// DispatchOptions configure the escalation ladder and the composite ranking of the monthly dispatch:
// the `dispatch` section of lingpao.yaml.
//
//	dispatch:
//	  ladder:
//	    steps: [1, 2, 3, 4, 5]         # consecutive lagging months that reach 警示, 约谈, 通报, 报告, 问责
//	    recover: 1                      # months back on schedule that reset the ladder
//	    far_behind_only: false          # count only 严重滞后 months
//	    reporting_steps: [1, 2, 3, 4, 5] # consecutive months with a late, missing or rejected return
//	  ranking:
//	    weights: {srdi_sme: 2, revenue_growth: 2}   # per indicator; 0 leaves one out
//	    default_weight: 1
//	    gap_cap: 30                     # each gap counts at most ±30 percentage points
//	    list_size: 3                    # counties on the 红榜 and the 黑榜
type DispatchOptions struct {
	Ladder  LadderOptions  `yaml:"ladder" json:"ladder"`
	Ranking RankingOptions `yaml:"ranking" json:"ranking"`
}

// DefaultDispatchOptions returns the default ladder and ranking.
func DefaultDispatchOptions() DispatchOptions {
	return DispatchOptions{Ladder: DefaultLadderOptions(), Ranking: DefaultRankingOptions()}
}

// problems lists what is wrong with the options, field by field, for Config.Validate.
func (o DispatchOptions) problems() []string {
	probs := o.Ladder.problems()
	r := o.Ranking
	if r.DefaultWeight < 0 {
		probs = append(probs, "dispatch.ranking.default_weight 不能为负")
	}
	for code, w := range r.Weights {
		if w < 0 {
			probs = append(probs, fmt.Sprintf("dispatch.ranking.weights.%s 不能为负（填 0 表示不计入综合排名）", code))
		}
	}
	if r.GapCap < 0 {
		probs = append(probs, "dispatch.ranking.gap_cap 不能为负（0 表示不封顶）")
	}
	if r.ListSize < 1 {
		probs = append(probs, "dispatch.ranking.list_size（红黑榜各列几个县）应至少为 1")
	}
	return probs
}
