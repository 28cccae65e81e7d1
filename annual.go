package lingpao

import (
	"fmt"
	"math"
	"sort"
)

// AnnualOptions configure the 年终考核 (annual assessment, PRODUCT §8.3): the `annual` section of
// lingpao.yaml. A county's score is out of Full points for its year-end progress on the indicators it
// has targets for, plus bonus points, less deductions for its reporting.
//
//	annual:
//	  weights: {srdi_sme: 2, invention_patents_new: 2}   # per indicator; 0 leaves one out
//	  default_weight: 1
//	  full: 100
//	  cap: 1.2                    # progress counts up to 120% of 序时进度
//	  province_key_cluster: 2     # bonus per 省级重点特色产业集群 (省方案 四、（四）)
//	  max_bonus: 5
//	  late: 0.5                   # per month with a late return
//	  missing: 1                  # per month with no accepted return after the deadline
//	  max_deduction: 5
//	  bonus:                      # points the city grants by decision
//	    - {org: 鹿泉区, points: 1, reason: 获评省级中小企业特色产业集群}
//	  grades:
//	    - {name: 优秀, min: 90}
//	    - {name: 良好, min: 80}
//	    - {name: 合格, min: 60}
type AnnualOptions struct {
	// Weights per indicator code; an indicator not listed weighs DefaultWeight, and 0 leaves it out.
	Weights       map[string]float64 `yaml:"weights,omitempty" json:"weights,omitempty"`
	DefaultWeight float64            `yaml:"default_weight" json:"default_weight"`
	// Full is the score of a county exactly on schedule on every indicator (default 100).
	Full float64 `yaml:"full" json:"full"`
	// Cap bounds each indicator's progress ratio (completion ÷ 序时进度) before it is scored, so that
	// one indicator far ahead cannot make up for the others (default 1.2).
	Cap float64 `yaml:"cap" json:"cap"`
	// ProvinceKeyCluster is the bonus for each 省级重点特色产业集群 of the county (clusters with
	// province_key; 河北省方案 四、（四） allows 加分 for them in the annual assessment; default 2).
	ProvinceKeyCluster float64 `yaml:"province_key_cluster" json:"province_key_cluster"`
	// Bonus are further points the city grants by decision, each with its reason.
	Bonus []BonusEntry `yaml:"bonus,omitempty" json:"bonus,omitempty"`
	// MaxBonus caps a county's bonus (default 5).
	MaxBonus float64 `yaml:"max_bonus" json:"max_bonus"`
	// Late and Missing are deducted for each month of the year whose return was late, or missing (or
	// rejected and not sent again) after the deadline; MaxDeduction caps them (defaults 0.5, 1, 5).
	Late         float64 `yaml:"late" json:"late"`
	Missing      float64 `yaml:"missing" json:"missing"`
	MaxDeduction float64 `yaml:"max_deduction" json:"max_deduction"`
	// Grades are the grade bands, a total at or above Min earning Name; a total below every band is
	// 不合格 (defaults 优秀 90, 良好 80, 合格 60).
	Grades []Grade `yaml:"grades" json:"grades"`
}

// BonusEntry is bonus points granted to a county (by name or code) with the reason.
type BonusEntry struct {
	Org    string  `yaml:"org" json:"org"`
	Points float64 `yaml:"points" json:"points"`
	Reason string  `yaml:"reason" json:"reason"`
}

// Grade is a grade band of the annual assessment.
type Grade struct {
	Name string  `yaml:"name" json:"name"`
	Min  float64 `yaml:"min" json:"min"`
}

// FailGrade is the grade of a total below every band.
const FailGrade = "不合格"

// DefaultAnnualOptions returns weights of 1, 100 points, a 1.2 cap, 2 points per province key cluster
// up to 5, deductions of 0.5 and 1 per late and missing month up to 5, and grades 优秀/良好/合格 at
// 90/80/60.
func DefaultAnnualOptions() AnnualOptions {
	return AnnualOptions{DefaultWeight: 1, Full: 100, Cap: 1.2, ProvinceKeyCluster: 2, MaxBonus: 5,
		Late: 0.5, Missing: 1, MaxDeduction: 5,
		Grades: []Grade{{"优秀", 90}, {"良好", 80}, {"合格", 60}}}
}

// Weight returns the weight of indicator code.
func (o AnnualOptions) Weight(code string) float64 {
	if w, ok := o.Weights[code]; ok {
		return w
	}
	return o.DefaultWeight
}

// GradeOf returns the grade of a total.
func (o AnnualOptions) GradeOf(total float64) string {
	gs := append([]Grade(nil), o.Grades...)
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].Min > gs[j].Min })
	for _, g := range gs {
		if roundTo(total, 2) >= g.Min { // as printed: 89.996 is 90.00, 优秀
			return g.Name
		}
	}
	return FailGrade
}

// problems lists what is wrong with the options, for Config.Validate.
func (o AnnualOptions) problems() []string {
	var probs []string
	if o.Full <= 0 {
		probs = append(probs, "annual.full（考核满分）应大于 0，如 100")
	}
	if o.Cap < 1 {
		probs = append(probs, "annual.cap（单项进度计分上限）应不小于 1，如 1.2")
	}
	if o.DefaultWeight < 0 {
		probs = append(probs, "annual.default_weight 不能为负")
	}
	for code, w := range o.Weights {
		if w < 0 {
			probs = append(probs, fmt.Sprintf("annual.weights.%s 不能为负（填 0 表示不计分）", code))
		}
	}
	for _, v := range []struct {
		name string
		v    float64
	}{{"province_key_cluster", o.ProvinceKeyCluster}, {"max_bonus", o.MaxBonus}, {"late", o.Late}, {"missing", o.Missing}, {"max_deduction", o.MaxDeduction}} {
		if v.v < 0 {
			probs = append(probs, fmt.Sprintf("annual.%s 不能为负", v.name))
		}
	}
	for i, b := range o.Bonus {
		if b.Org == "" || b.Reason == "" {
			probs = append(probs, fmt.Sprintf("annual.bonus 第%d项应写明 org（县名或代码）、points 和 reason（加分理由）", i+1))
		}
	}
	return probs
}

// ScoreItem is one indicator of a county's annual score.
type ScoreItem struct {
	Indicator string  `json:"indicator"`
	Weight    float64 `json:"weight"`
	// Status is the indicator's year-end status; Missing means not reported, which scores 0.
	Status Status `json:"status"`
	// Ratio is completion ÷ 序时进度 (completion alone when 序时进度 is 0), before the cap.
	Ratio float64 `json:"ratio"`
	// Points is the item's share of the base score: Full × Weight × min(Ratio, Cap) ÷ total weight.
	Points float64 `json:"points"`
}

// Adjustment is a bonus or a deduction with its reason.
type Adjustment struct {
	Reason string  `json:"reason"`
	Points float64 `json:"points"`
}

// AnnualScore is one county's annual assessment.
type AnnualScore struct {
	Org   string      `json:"org"`
	Items []ScoreItem `json:"items"`
	// Base is the sum of the items' points; Bonus and Deduction are the capped totals of the
	// adjustments; Total = Base + Bonus − Deduction.
	Base        float64      `json:"base"`
	Bonuses     []Adjustment `json:"bonuses,omitempty"`
	Deductions  []Adjustment `json:"deductions,omitempty"`
	Bonus       float64      `json:"bonus"`
	Deduction   float64      `json:"deduction"`
	Total       float64      `json:"total"`
	Rank        int          `json:"rank"`
	Grade       string       `json:"grade"`
	KeyClusters int          `json:"key_clusters,omitempty"`
}

// ScoreAnnual computes county org's annual score (PRODUCT §8.3) from its year-end assessments (one
// per indicator; those without a task — no target, or an allocation of zero — are left out), its province key clusters, its reporting over
// the year's months and the city's bonus decisions (matched by org code or name):
//   - each weighted indicator scores Full × weight × min(completion ÷ 序时进度, Cap) ÷ the total
//     weight of the indicators with a target, so a county is not penalised for indicators it has no
//     target for; an indicator not reported scores 0;
//   - bonus: ProvinceKeyCluster per key cluster plus the city's entries, capped at MaxBonus;
//   - deduction: Late per late month and Missing per missing or rejected-not-resent month, capped at
//     MaxDeduction; 1–2月合并 and months not yet due cost nothing.
//
// Rank and Grade are set by RankAnnual.
func ScoreAnnual(org, name string, as []Assessment, keyClusters int, reports []CountyReport, opt AnnualOptions) AnnualScore {
	s := AnnualScore{Org: org, KeyClusters: keyClusters}
	var total float64
	for _, a := range as {
		if !a.HasTask() || opt.Weight(a.Indicator) <= 0 {
			continue
		}
		total += opt.Weight(a.Indicator)
	}
	for _, a := range as {
		w := opt.Weight(a.Indicator)
		if !a.HasTask() || w <= 0 {
			continue
		}
		it := ScoreItem{Indicator: a.Indicator, Weight: w, Status: a.Status}
		if a.Measured() {
			it.Ratio = a.Completion
			if a.Expected > 0 {
				it.Ratio = a.Completion / a.Expected
			}
			it.Ratio = math.Max(it.Ratio, 0)
			it.Points = opt.Full * w * math.Min(it.Ratio, opt.Cap) / total
		}
		s.Items = append(s.Items, it)
		s.Base += it.Points
	}
	if keyClusters > 0 && opt.ProvinceKeyCluster > 0 {
		s.Bonuses = append(s.Bonuses, Adjustment{Reason: fmt.Sprintf("省级重点特色产业集群%d个", keyClusters), Points: float64(keyClusters) * opt.ProvinceKeyCluster})
	}
	for _, b := range opt.Bonus {
		if b.Org == org || (name != "" && b.Org == name) {
			s.Bonuses = append(s.Bonuses, Adjustment{Reason: b.Reason, Points: b.Points})
		}
	}
	var late, missing int
	for _, r := range reports {
		switch {
		case r.State == ReportLate:
			late++
		case r.State == ReportMissing, r.State == ReportRejected && r.Overdue:
			missing++
		}
	}
	if late > 0 && opt.Late > 0 {
		s.Deductions = append(s.Deductions, Adjustment{Reason: fmt.Sprintf("逾期报送%d个月", late), Points: float64(late) * opt.Late})
	}
	if missing > 0 && opt.Missing > 0 {
		s.Deductions = append(s.Deductions, Adjustment{Reason: fmt.Sprintf("未报送%d个月", missing), Points: float64(missing) * opt.Missing})
	}
	for _, b := range s.Bonuses {
		s.Bonus += b.Points
	}
	for _, d := range s.Deductions {
		s.Deduction += d.Points
	}
	s.Bonus = math.Min(s.Bonus, opt.MaxBonus)
	s.Deduction = math.Min(s.Deduction, opt.MaxDeduction)
	s.Total = s.Base + s.Bonus - s.Deduction
	return s
}

// RankAnnual ranks the scores by total, best first — equal totals at two decimals, as printed, share
// a rank — sets each grade and sorts the scores by rank.
func RankAnnual(scores []AnnualScore, opt AnnualOptions) {
	totals := make([]float64, len(scores))
	ok := make([]bool, len(scores))
	for i, s := range scores {
		totals[i], ok[i] = roundTo(s.Total, 2), true
	}
	for i, r := range competitionRanks(totals, ok) {
		scores[i].Rank = r
		scores[i].Grade = opt.GradeOf(scores[i].Total)
	}
	sort.SliceStable(scores, func(i, j int) bool { return scores[i].Rank < scores[j].Rank })
}
