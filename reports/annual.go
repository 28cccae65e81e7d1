package reports

import (
	"fmt"
	"strings"

	"lingpao"
)

// Annual is the content of the 年终考核 (PRODUCT §8.3): each county's score from its year-end progress,
// bonus points and deductions (lingpao.ScoreAnnual with the workspace's annual options), the final
// ranking with grades, and the year-end figures behind it.
type Annual struct {
	Masthead   string     `json:"masthead"`
	Issue      string     `json:"issue"`
	Issuer     string     `json:"issuer"`
	Date       string     `json:"date"`
	Title      string     `json:"title"`
	Provenance Provenance `json:"provenance"`
	Errata     string     `json:"errata,omitempty"`
	// Method explains how the scores are made, from the options in force.
	Method []string `json:"method"`
	// Indicators are the indicators scored, in catalog order (the columns of the score detail).
	Indicators []lingpao.Indicator `json:"indicators"`
	// Scores are the counties' scores, ranked.
	Scores     []AnnualRow `json:"scores"`
	ResultText string      `json:"result_text"`
	// Grades counts the counties per grade, best grade first; PassMark is the lowest band's minimum.
	Grades   []Count `json:"grades"`
	PassMark float64 `json:"pass_mark"`
	// Overview and Tables are the city's year-end figures.
	Overview     []string `json:"overview"`
	Tables       []Table  `json:"tables"`
	Requirements []string `json:"requirements"`
	Note         string   `json:"note"`
}

// AnnualRow is one county's annual score with its name.
type AnnualRow struct {
	Name string `json:"name"`
	lingpao.AnnualScore
}

// Item returns the county's score item for indicator code.
func (r AnnualRow) Item(code string) (lingpao.ScoreItem, bool) {
	for _, it := range r.Items {
		if it.Indicator == code {
			return it, true
		}
	}
	return lingpao.ScoreItem{}, false
}

// BuildAnnual builds the 年终考核 for in.Period (a year), measured at December. Reporting deductions
// look at every month of the year in in.Submissions.
func BuildAnnual(in Input) *Annual {
	opt := in.Config.Annual
	counties := in.counties()
	groups := in.groups(counties)
	tables := allTables(groups)
	a := &Annual{
		Masthead:   in.Config.Masthead,
		Issue:      fmt.Sprintf("%d年度考核", in.Period.Year),
		Issuer:     in.Config.IssuingUnit,
		Date:       lingpao.FormatDateCN(in.Generated),
		Title:      fmt.Sprintf("关于%d年度全市县域特色产业集群工作考核结果的通报", in.Period.Year),
		Provenance: in.provenance(counties),
		Tables:     headline(groups),
	}
	a.Errata = ErrataNote(a.Provenance)
	seen := map[string]bool{}
	for _, t := range tables {
		if t.HasCountyTargets() && opt.Weight(t.Indicator.Code) > 0 && !seen[t.Indicator.Code] {
			seen[t.Indicator.Code] = true
			a.Indicators = append(a.Indicators, t.Indicator)
		}
	}
	months := in.Period.Months()
	rates := make([]lingpao.ReportingRate, len(months))
	for i, m := range months {
		rates[i] = in.reportingOf(counties, m)
	}
	var scores []lingpao.AnnualScore
	for ci, c := range counties {
		var as []lingpao.Assessment
		for _, t := range tables {
			if seen[t.Indicator.Code] {
				as = append(as, t.Rows[ci].A)
			}
		}
		key := 0
		for _, cl := range in.Catalog.ClustersOf(c.Code) {
			if cl.ProvinceKey {
				key++
			}
		}
		var reps []lingpao.CountyReport
		for _, r := range rates {
			reps = append(reps, r.Counties[ci])
		}
		scores = append(scores, lingpao.ScoreAnnual(c.Code, c.Name, as, key, reps, opt))
	}
	lingpao.RankAnnual(scores, opt)
	for _, s := range scores {
		a.Scores = append(a.Scores, AnnualRow{Name: in.name(s.Org), AnnualScore: s})
	}
	grades := append([]lingpao.Grade(nil), opt.Grades...)
	for i := 1; i < len(grades); i++ {
		for j := i; j > 0 && grades[j].Min > grades[j-1].Min; j-- {
			grades[j], grades[j-1] = grades[j-1], grades[j]
		}
	}
	if len(grades) > 0 {
		a.PassMark = grades[len(grades)-1].Min
	}
	for _, g := range append(grades, lingpao.Grade{Name: lingpao.FailGrade}) {
		n := 0
		for _, s := range a.Scores {
			if s.Grade == g.Name {
				n++
			}
		}
		a.Grades = append(a.Grades, Count{Label: g.Name, N: n})
	}
	a.Method = annualMethod(in, a.Indicators)
	a.ResultText = annualResult(a)
	a.Overview = in.overview(a.Tables)
	a.Requirements = annualRequirements(a)
	a.Note = ProvenanceNote(a.Provenance, "考核")
	return a
}

// Figures are the assessment's figures, for editions: the year-end tables and every county's score.
func (a *Annual) Figures() []Figure {
	fs := tableFigures(a.Tables)
	for _, s := range a.Scores {
		fs = append(fs, Figure{Org: s.Org, Name: s.Name, Item: "考核得分", Text: ScoreText(s.Total)})
	}
	return fs
}

// annualMethod explains the scoring from the options in force.
func annualMethod(in Input, inds []lingpao.Indicator) []string {
	opt := in.Config.Annual
	var ws []string
	uniform := true
	for _, ind := range inds {
		if opt.Weight(ind.Code) != opt.DefaultWeight {
			uniform = false
		}
	}
	for _, ind := range inds {
		if uniform {
			ws = append(ws, Subject(ind))
			continue
		}
		ws = append(ws, fmt.Sprintf("%s（权重%s）", Subject(ind), lingpao.FormatNumber(opt.Weight(ind.Code), decimalsOf(opt.Weight(ind.Code)))))
	}
	weights := "各项指标权重相同"
	if !uniform {
		weights = "各项指标按权重计分"
	}
	out := []string{
		fmt.Sprintf("考核以各县（市、区）%d年12月底各项指标完成情况为依据，满分%s分。考核指标为%s，共%d项，%s。每项指标按“完成率÷序时进度”计分，单项最高按%s计；未报送的指标不得分；县（市、区）没有目标任务的指标不计入，其分值由其余指标按权重分摊。",
			in.Period.Year, lingpao.FormatNumber(opt.Full, 0), strings.Join(ws, "、"), len(inds), weights, Pct(opt.Cap)),
	}
	var extra []string
	if opt.ProvinceKeyCluster > 0 {
		extra = append(extra, fmt.Sprintf("每有1个省级重点特色产业集群加%s分", lingpao.FormatNumber(opt.ProvinceKeyCluster, decimalsOf(opt.ProvinceKeyCluster))))
	}
	if len(opt.Bonus) > 0 {
		extra = append(extra, "市里另行认定的加分事项按认定分值加分")
	}
	var minus []string
	if opt.Late > 0 {
		minus = append(minus, fmt.Sprintf("逾期报送每月扣%s分", lingpao.FormatNumber(opt.Late, decimalsOf(opt.Late))))
	}
	if opt.Missing > 0 {
		minus = append(minus, fmt.Sprintf("未报送每月扣%s分", lingpao.FormatNumber(opt.Missing, decimalsOf(opt.Missing))))
	}
	s := ""
	if len(extra) > 0 {
		s += fmt.Sprintf("加分项：%s，加分合计不超过%s分。", strings.Join(extra, "；"), lingpao.FormatNumber(opt.MaxBonus, decimalsOf(opt.MaxBonus)))
	}
	if len(minus) > 0 {
		s += fmt.Sprintf("扣分项：%s，扣分合计不超过%s分。", strings.Join(minus, "，"), lingpao.FormatNumber(opt.MaxDeduction, decimalsOf(opt.MaxDeduction)))
	}
	var bands []string
	for _, g := range opt.Grades {
		bands = append(bands, fmt.Sprintf("%s分及以上为%s", lingpao.FormatNumber(g.Min, decimalsOf(g.Min)), g.Name))
	}
	if len(bands) > 0 {
		s += fmt.Sprintf("考核结果分为等次：%s，其余为%s。", strings.Join(bands, "，"), lingpao.FailGrade)
	}
	if s != "" {
		out = append(out, s)
	}
	return out
}

// annualResult words the result: the first three, the grades, the last.
func annualResult(a *Annual) string {
	if len(a.Scores) == 0 {
		return ""
	}
	var top []string
	for _, s := range a.Scores {
		if len(top) >= 3 {
			break
		}
		top = append(top, fmt.Sprintf("%s（%s分）", s.Name, ScoreText(s.Total)))
	}
	var grades []string
	for _, g := range a.Grades {
		if g.N > 0 {
			grades = append(grades, fmt.Sprintf("%s%d个", g.Label, g.N))
		}
	}
	s := fmt.Sprintf("经考核，%s位列前三；全市%d个县（市、区）中，%s。", strings.Join(top, "、"), len(a.Scores), strings.Join(grades, "、"))
	var fail []string
	for _, r := range a.Scores {
		if r.Grade == lingpao.FailGrade {
			fail = append(fail, r.Name)
		}
	}
	if len(fail) > 0 {
		s += fmt.Sprintf("考核等次为%s的是%s。", lingpao.FailGrade, strings.Join(fail, "、"))
	}
	return s
}

// annualRequirements are the assessment's closing requirements.
func annualRequirements(a *Annual) []string {
	var low []string
	for _, r := range a.Scores {
		if r.Grade == lingpao.FailGrade {
			low = append(low, r.Name)
		}
	}
	out := []string{"一是对标先进找差距。各县（市、区）要对照考核结果，认真总结经验，查找短板弱项，研究提出下一年度的改进措施。"}
	if len(low) > 0 {
		out = append(out, fmt.Sprintf("二是抓好整改落实。%s要深入分析考核结果，形成整改方案报%s。", strings.Join(low, "、"), a.Issuer))
	} else {
		out = append(out, "二是巩固提升成效。各县（市、区）要保持工作力度，推动特色产业集群持续提档升级。")
	}
	return out
}
