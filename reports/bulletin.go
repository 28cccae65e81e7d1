package reports

import (
	"fmt"
	"math"
	"strings"

	"lingpao"
)

// Bulletin is the content of the 季度通报 (PRODUCT §8.2), also used for monthly ad-hoc bulletins.
type Bulletin struct {
	Masthead   string     `json:"masthead"`
	Issue      string     `json:"issue"`
	Issuer     string     `json:"issuer"`
	Date       string     `json:"date"`
	Title      string     `json:"title"`
	Provenance Provenance `json:"provenance"`
	Narrative  []string   `json:"narrative"`
	// Tables are the headline indicators' tables.
	Tables    []Table               `json:"tables"`
	Reporting lingpao.ReportingRate `json:"reporting"`
	// Red and Black are the 红榜 and 黑榜: counties best and worst on the composite of headline tables.
	Red   []Row `json:"red"`
	Black []Row `json:"black"`
}

// BuildBulletin builds the bulletin for in.Period.
func BuildBulletin(in Input) *Bulletin {
	counties := in.Catalog.Tree.Counties(in.Config.City)
	cityName := in.Catalog.Tree.Name(in.Config.City)
	m := in.Period.LastMonth()
	b := &Bulletin{
		Masthead:   in.Config.Masthead,
		Issue:      issueNumber(in.Period),
		Issuer:     in.Config.IssuingUnit,
		Date:       lingpao.FormatDateCN(in.Generated),
		Title:      fmt.Sprintf("关于%s全市县域特色产业集群发展情况的通报", in.Period.Label()),
		Provenance: in.provenance(counties),
		Reporting:  in.reporting(counties),
	}
	for _, g := range in.groups(counties) {
		for _, t := range g.Tables {
			if t.Indicator.Headline {
				b.Tables = append(b.Tables, t)
			}
		}
	}
	b.Red, b.Black = redBlack(b.Tables, 3)
	b.Narrative = narrative(in, cityName, m, b)
	return b
}

// issueNumber is 第N期: the bulletin's number within the year.
func issueNumber(p lingpao.Period) string {
	switch p.Kind {
	case lingpao.Quarter:
		return fmt.Sprintf("%d年第%d期", p.Year, p.N)
	case lingpao.Month:
		return fmt.Sprintf("%d年第%d期", p.Year, p.N)
	case lingpao.Half:
		return fmt.Sprintf("%d年第%d期", p.Year, p.N)
	}
	return fmt.Sprintf("%d年第1期", p.Year)
}

// redBlack ranks counties by their mean gap over the tables where they are measured: the top n are the
// 红榜, the bottom n with a negative mean gap the 黑榜.
func redBlack(tables []Table, n int) (red, black []Row) {
	type agg struct {
		row  Row
		sum  float64
		seen int
	}
	by := map[string]*agg{}
	var order []string
	for _, t := range tables {
		for _, r := range t.Rows {
			if !r.A.Measured() {
				continue
			}
			a, ok := by[r.Org]
			if !ok {
				a = &agg{row: Row{Org: r.Org, Name: r.Name}}
				by[r.Org] = a
				order = append(order, r.Org)
			}
			a.sum += r.A.Gap
			a.seen++
		}
	}
	var rows []Row
	for _, org := range order {
		a := by[org]
		a.row.A.Gap = a.sum / float64(a.seen)
		rows = append(rows, a.row)
	}
	sortByGap(rows)
	for i, r := range rows {
		r.A.Rank = i + 1
		rows[i] = r
	}
	for i := 0; i < len(rows) && i < n; i++ {
		if rows[i].A.Gap > 0 {
			red = append(red, rows[i])
		}
	}
	for i := len(rows) - 1; i >= 0 && len(black) < n; i-- {
		if rows[i].A.Gap < 0 {
			black = append(black, rows[i])
		}
	}
	return red, black
}

func sortByGap(rows []Row) {
	for i := 1; i < len(rows); i++ {
		for j := i; j > 0 && rows[j].A.Gap > rows[j-1].A.Gap; j-- {
			rows[j], rows[j-1] = rows[j-1], rows[j]
		}
	}
}

// pct formats a fraction as a percentage with one decimal: 0.816 → 81.6%.
func pct(f float64) string { return lingpao.FormatNumber(f*100, 1) + "%" }

// pp formats a gap in percentage points without its sign.
func pp(g float64) string { return lingpao.FormatNumber(math.Abs(g), 1) + "个百分点" }

// gapPhrase words a gap against 序时进度.
func gapPhrase(g float64) string {
	switch {
	case math.Abs(g) < 0.05:
		return "与序时进度持平"
	case g > 0:
		return "超序时进度" + pp(g)
	}
	return "落后序时进度" + pp(g)
}

// Sentence words one assessment of the city for the narrative, by the target's form.
func Sentence(ind lingpao.Indicator, a lingpao.Assessment) string {
	if !a.Actual.OK {
		return fmt.Sprintf("%s暂无报送数据", ind.Name)
	}
	actual := ind.Format(a.Actual.Value)
	partial := ""
	if !a.HasTarget {
		return fmt.Sprintf("%s为%s%s", ind.Name, actual, partial)
	}
	t := a.Target
	target := t.ValueText(ind)
	switch t.Form {
	case lingpao.FormAnnual:
		return fmt.Sprintf("%s%s，完成年度目标（%s）的%s，%s", ind.Name, actual, target, pct(a.Completion), gapPhrase(a.Gap)) + partial
	case lingpao.FormMilestone:
		s := fmt.Sprintf("%s达到%s，%d年目标为%s", ind.Name, actual, t.Due.Year(), target)
		if t.Baseline != nil {
			s += fmt.Sprintf("，较%d年底的%s目标净增%s，完成阶段任务的%s", t.Start.AddDate(0, 0, -1).Year(), lingpao.FormatNumber(*t.Baseline, 0)+ind.Unit, lingpao.FormatNumber(a.Actual.Value-*t.Baseline, ind.Decimals)+ind.Unit, pct(a.Completion))
		} else {
			s += fmt.Sprintf("，完成目标的%s", pct(a.Completion))
		}
		return s + "，" + gapPhrase(a.Gap) + partial
	case lingpao.FormCumulative:
		return fmt.Sprintf("%s累计%s，完成%d年底目标（%s）的%s，%s", ind.Name, actual, t.Due.Year(), target, pct(a.Completion), gapPhrase(a.Gap)) + partial
	case lingpao.FormGrowth:
		dir := "增长"
		if a.Actual.Value < 0 {
			dir = "下降"
		}
		cmp := "达到"
		if !t.Met(a.Actual.Value) {
			cmp = "未达到"
		}
		subject := strings.TrimSuffix(strings.TrimSuffix(ind.Name, "同比增速"), "增速")
		return fmt.Sprintf("%s同比%s%s，%s%s的目标", subject, dir, lingpao.FormatNumber(math.Abs(a.Actual.Value), 1)+"%", cmp, target) + partial
	}
	diff := a.Actual.Value - t.Bar()
	rel := "高于"
	if diff < 0 {
		rel = "低于"
	}
	if math.Abs(diff) < 0.005 {
		return fmt.Sprintf("%s为%s，与目标（%s）持平", ind.Name, actual, target) + partial
	}
	unit := "个百分点"
	if !ind.Percent() {
		unit = ind.Unit
	}
	return fmt.Sprintf("%s为%s，%s目标（%s）%s%s", ind.Name, actual, rel, target, lingpao.FormatNumber(math.Abs(diff), ind.Decimals), unit) + partial
}

func narrative(in Input, city string, m lingpao.Period, b *Bulletin) []string {
	var paras []string
	var parts []string
	for _, t := range b.Tables {
		parts = append(parts, Sentence(t.Indicator, t.Total.A))
	}
	if len(parts) > 0 {
		paras = append(paras, fmt.Sprintf("截至%d月底，全市%s。%s", m.N, strings.Join(parts, "；"), coverageNote(in, b.Tables)))
	}
	var names []string
	for _, r := range b.Red {
		names = append(names, r.Name)
	}
	var lag []string
	for _, r := range b.Black {
		lag = append(lag, r.Name)
	}
	switch {
	case len(names) > 0 && len(lag) > 0:
		paras = append(paras, fmt.Sprintf("从各县（市、区）看，%s等地主要指标整体超序时进度，进展较好；%s等地整体落后于序时进度，需加快推进。", strings.Join(names, "、"), strings.Join(lag, "、")))
	case len(names) > 0:
		paras = append(paras, fmt.Sprintf("从各县（市、区）看，%s等地主要指标整体超序时进度，进展较好。", strings.Join(names, "、")))
	case len(lag) > 0:
		paras = append(paras, fmt.Sprintf("从各县（市、区）看，%s等地整体落后于序时进度，需加快推进。", strings.Join(lag, "、")))
	}
	if first := firstWithCounties(b.Tables); first != nil {
		var far []string
		for _, r := range first.Rows {
			if r.A.Status == lingpao.StatusFarBehind {
				far = append(far, r.Name)
			}
		}
		if len(far) > 0 {
			paras = append(paras, fmt.Sprintf("%s指标中，%s严重滞后于序时进度（落后超过%s个百分点），请相关县（市、区）分析原因、制定措施，确保完成全年目标任务。", first.Indicator.Name, strings.Join(far, "、"), lingpao.FormatNumber(in.Config.Progress.Thresholds.FarBehind, 0)))
		}
	}
	r := b.Reporting
	s := fmt.Sprintf("报送方面，%s应报送单位%d个，按时报送%d个，逾期报送%d个", m.Label(), r.Expected, r.OnTime, r.Late)
	var miss []string
	for _, c := range r.Counties {
		if c.State == lingpao.ReportMissing || c.State == lingpao.ReportRejected {
			miss = append(miss, in.Catalog.Tree.Name(c.Org))
		}
	}
	if len(miss) > 0 {
		s += fmt.Sprintf("，未报送%d个（%s）", len(miss), strings.Join(miss, "、"))
	}
	paras = append(paras, s+"。")
	return paras
}

// coverageNote says, once, which counties the city totals lack or count with an earlier month's
// figure.
func coverageNote(in Input, tables []Table) string {
	carried := map[string]lingpao.Period{}
	var order []string
	missing := map[string]bool{}
	for _, t := range tables {
		a := t.Total.A.Actual
		for _, c := range a.Carried {
			if _, ok := carried[c.Org]; !ok {
				order = append(order, c.Org)
			}
			carried[c.Org] = c.From
		}
		if a.Units+0 < a.Of {
			for _, c := range in.Catalog.Tree.Counties(in.Config.City) {
				if _, ok := in.Data.Reported(c.Code, in.Period.LastMonth()); !ok {
					if _, ok := carried[c.Code]; !ok {
						missing[c.Code] = true
					}
				}
			}
		}
	}
	var parts []string
	for _, org := range order {
		parts = append(parts, fmt.Sprintf("%s按%d月数据计入", in.Catalog.Tree.Name(org), carried[org].N))
	}
	var none []string
	for _, c := range in.Catalog.Tree.Counties(in.Config.City) {
		if missing[c.Code] {
			none = append(none, c.Name)
		}
	}
	switch {
	case len(parts) > 0 && len(none) > 0:
		return fmt.Sprintf("（全市合计中，未报送本月数据的%s；%s无数据，未计入。）", strings.Join(parts, "、"), strings.Join(none, "、"))
	case len(parts) > 0:
		return fmt.Sprintf("（全市合计中，未报送本月数据的%s。）", strings.Join(parts, "、"))
	case len(none) > 0:
		return fmt.Sprintf("（%s未报送，未计入全市合计。）", strings.Join(none, "、"))
	}
	return ""
}

// firstWithCounties returns the first table where some county is measured against a target.
func firstWithCounties(ts []Table) *Table {
	for i := range ts {
		for _, r := range ts[i].Rows {
			if r.A.Measured() {
				return &ts[i]
			}
		}
	}
	return nil
}
