package reports

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"lingpao"
)

// The narrative of the bulletins, written from the data in the register of a government 通报: figures
// in Arabic numerals with their units, gaps in 百分点, counties named in the order of the seed data
// unless ranked.

// pp formats a gap in percentage points without its sign: 3.1个百分点.
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

// Sentence words one assessment of a unit for the narrative, by the target's form:
//   - annual flow: 新增发明专利59件，完成年度目标（100件）的59.0%，落后序时进度16.0个百分点;
//   - milestone from a baseline: 专精特新中小企业达到734家，以2023年底目标580家为基数净增154家，完成2025年
//     目标（750家）增量任务的90.6%，超序时进度3.1个百分点;
//   - plan-cumulative: …累计12家，完成2027年目标（20家以上）的60.0%，…;
//   - growth: 集群营业收入同比增长6.2%，低于8%左右的目标1.8个百分点;
//   - rate: “领跑者”企业研发投入占比为3.67%，高于3.5%的目标0.17个百分点.
func Sentence(ind lingpao.Indicator, a lingpao.Assessment) string {
	subj := Subject(ind)
	if !a.Actual.OK {
		return subj + "暂无报送数据"
	}
	actual := ind.Format(a.Actual.Value)
	if !a.HasTarget {
		return subj + "为" + actual
	}
	t := a.Target
	target := t.ValueText(ind)
	switch t.Form {
	case lingpao.FormAnnual:
		return fmt.Sprintf("%s%s，完成年度目标（%s）的%s，%s", subj, actual, target, Pct(a.Completion), gapPhrase(a.Gap))
	case lingpao.FormMilestone:
		s := fmt.Sprintf("%s达到%s", subj, actual)
		if a.Baseline != nil {
			base := lingpao.FormatNumber(*a.Baseline, decimalsOf(*a.Baseline)) + ind.Unit
			from := "目标"
			if a.BaselineFrom == "data" {
				from = "实际"
			}
			at := lingpao.MonthOfTime(t.Start).Add(-1)
			when := fmt.Sprintf("%d年底", at.Year)
			if at.N != 12 {
				when = fmt.Sprintf("%d年%d月底", at.Year, at.N)
			}
			diff := a.Actual.Value - *a.Baseline
			verb := "净增"
			if diff < 0 {
				verb = "净减"
			}
			s += fmt.Sprintf("，以%s%s%s为基数%s%s，完成%d年目标（%s）增量任务的%s，%s", when, from, base, verb,
				lingpao.FormatNumber(math.Abs(diff), ind.Decimals)+ind.Unit, t.Due.In(lingpao.Beijing).Year(), target, Pct(a.Completion), gapPhrase(a.Gap))
			return s
		}
		s += fmt.Sprintf("，%d年目标为%s", t.Due.In(lingpao.Beijing).Year(), target)
		if a.Met {
			return s + "，已达到目标"
		}
		return s + fmt.Sprintf("，完成目标的%s", Pct(a.Completion))
	case lingpao.FormCumulative:
		return fmt.Sprintf("%s累计%s，完成%d年目标（%s）的%s，%s", subj, actual, t.Due.In(lingpao.Beijing).Year(), target, Pct(a.Completion), gapPhrase(a.Gap))
	case lingpao.FormGrowth:
		subj = strings.TrimSuffix(strings.TrimSuffix(subj, "同比增速"), "增速")
		dir := "增长"
		if a.Actual.Value < 0 {
			dir = "下降"
		}
		s := fmt.Sprintf("%s同比%s%s", subj, dir, lingpao.FormatNumber(math.Abs(a.Actual.Value), ind.Decimals)+"%")
		diff := printedDiff(ind, a) // as the table's 实际−目标 column prints it
		switch {
		case diff > 0:
			return s + fmt.Sprintf("，高于%s的目标%s", target, lingpao.FormatNumber(diff, ind.Decimals)+"个百分点")
		case diff == 0:
			return s + fmt.Sprintf("，与%s的目标持平", target)
		case a.Met:
			return s + fmt.Sprintf("，低于%s的目标%s个百分点，在“左右”允许的范围内", target, lingpao.FormatNumber(-diff, ind.Decimals))
		}
		return s + fmt.Sprintf("，低于%s的目标%s个百分点", target, lingpao.FormatNumber(-diff, ind.Decimals))
	}
	diff := printedDiff(ind, a)
	unit := "个百分点"
	if !ind.Percent() {
		unit = ind.Unit
	}
	gap := lingpao.FormatNumber(math.Abs(diff), ind.Decimals) + unit
	if ind.LowerIsBetter {
		diff = -diff
	}
	switch {
	case diff == 0:
		return fmt.Sprintf("%s为%s，与%s的目标持平", ind.Name, actual, target)
	case diff > 0:
		return fmt.Sprintf("%s为%s，%s%s的目标%s", ind.Name, actual, map[bool]string{true: "低于", false: "高于"}[ind.LowerIsBetter], target, gap)
	}
	return fmt.Sprintf("%s为%s，%s%s的目标%s", ind.Name, actual, map[bool]string{true: "高于", false: "低于"}[ind.LowerIsBetter], target, gap)
}

// printedDiff is the actual figure less the target as printed (TargetDiff), for any measured form.
func printedDiff(ind lingpao.Indicator, a lingpao.Assessment) float64 {
	return lingpao.Round(lingpao.Round(a.Actual.Value, ind.Decimals)-lingpao.Round(a.Target.Bar(), max(ind.Decimals, decimalsOf(a.Target.Bar()))), ind.Decimals)
}

// overview is the bulletin's 总体情况: the city's headline figures and how they stand.
func (in Input) overview(tables []Table) []string {
	m := in.Period.LastMonth()
	var parts []string
	for _, t := range tables {
		parts = append(parts, Sentence(t.Indicator, t.Total.A))
	}
	var paras []string
	if len(parts) > 0 {
		paras = append(paras, fmt.Sprintf("截至%d年%d月底，全市%s。%s", m.Year, m.N, strings.Join(parts, "；"), coverageNote(in, tables)))
	}
	var counts [5]int // ahead, on track, behind, far behind, other
	measuredN := 0
	for _, t := range tables {
		a := t.Total.A
		if !a.Measured() || a.Expected >= 1 && (a.Target.Form == lingpao.FormGrowth || a.Target.Form == lingpao.FormRate) {
			continue // rates and growth are judged against the figure, not 序时进度
		}
		measuredN++
		switch a.Status {
		case lingpao.StatusAhead:
			counts[0]++
		case lingpao.StatusOnTrack:
			counts[1]++
		case lingpao.StatusBehind:
			counts[2]++
		case lingpao.StatusFarBehind:
			counts[3]++
		}
	}
	if measuredN > 1 {
		var bits []string
		for i, label := range []string{"超序时进度", "与序时进度基本同步", "滞后于序时进度", "严重滞后于序时进度"} {
			if counts[i] > 0 {
				bits = append(bits, fmt.Sprintf("%d项%s", counts[i], label))
			}
		}
		paras = append(paras, fmt.Sprintf("按序时进度衡量的%d项主要指标中，%s。", measuredN, strings.Join(bits, "，")))
	}
	return paras
}

// coverageNote says, once for the headline tables, what the city totals did with each county that has
// no complete figure for the month: counted with which month's figures, for which indicators, and
// which left out — and why (no return, 1–2月合并, a cluster's blank cell).
func coverageNote(in Input, tables []Table) string {
	if s := CarryNote(in, tables); s != "" {
		return "（" + s + "。）"
	}
	return ""
}

// CarryNote words what the city totals of the tables did with the counties without a complete figure
// for the report's last month: 「全市合计中，井陉矿区未报送本月报表，按8月数据计入；元氏县报表中元氏
// 装备制造未填报专精特新中小企业数，该项按8月数据计入」. Counties treated alike are named together.
func CarryNote(in Input, tables []Table) string {
	m := in.Period.LastMonth()
	type treat struct {
		how  string   // 按8月数据计入, 未计入
		inds []string // the indicators so treated
	}
	per := map[string][]*treat{}
	blank := map[string][]string{} // county → blank 「cluster」 rows, in order
	blankInds := map[string][]string{}
	clusterName := map[string]string{}
	for _, cl := range in.Catalog.Clusters {
		clusterName[cl.Code] = cl.Name
	}
	add := func(org, how, ind string) {
		for _, t := range per[org] {
			if t.how == how {
				t.inds = append(t.inds, ind)
				return
			}
		}
		per[org] = append(per[org], &treat{how: how, inds: []string{ind}})
	}
	for _, t := range tables {
		a := t.Total.A.Actual
		subj := t.Indicator.Name
		from := map[string]lingpao.Period{}
		for _, c := range a.Carried {
			if f, ok := from[c.Org]; !ok || c.From.Before(f) {
				from[c.Org] = c.From
			}
		}
		orgs := make([]string, 0, len(from))
		for org := range from {
			orgs = append(orgs, org)
		}
		for _, org := range orgs {
			add(org, "按"+monthWord(from[org], m)+"数据计入", subj)
		}
		for _, org := range a.Without {
			add(org, "未计入", subj)
		}
		for _, org := range append(orgs, a.Without...) {
			if _, ok := in.Data.Reported(org, m); !ok {
				continue
			}
			codes := lingpaoComponents(t.Indicator)
			if t.Indicator.Kind == lingpao.KindGrowth {
				codes = codes[:1] // last year's column may be blank: the stored history stands in
			}
			for _, code := range codes {
				for _, cl := range in.Data.Blank(org, code, m) {
					name := "「" + orDefault(clusterName[cl], cl) + "」"
					if !contains(blank[org], name) {
						blank[org] = append(blank[org], name)
					}
				}
			}
			if !contains(blankInds[org], subj) {
				blankInds[org] = append(blankInds[org], subj)
			}
		}
	}
	groups := map[string][]string{}
	var order []string
	for _, c := range in.counties() {
		ts := per[c.Code]
		if len(ts) == 0 {
			continue
		}
		var reason string
		_, hasReturn := in.Data.Reported(c.Code, m)
		switch {
		case hasReturn && len(blank[c.Code]) > 0:
			reason = fmt.Sprintf("报表中%s未填报%s，", strings.Join(blank[c.Code], ""), strings.Join(blankInds[c.Code], "、"))
		case hasReturn:
			reason = fmt.Sprintf("报表缺少%s的计算数据，", strings.Join(blankInds[c.Code], "、"))
		case in.Config.MergeJanFeb && m.N == 1:
			reason = "1–2月合并报送，"
		default:
			reason = "未报送本月报表，"
		}
		var hows []string
		for _, t := range ts {
			if len(ts) == 1 && (hasReturn || len(t.inds) == len(tables)) {
				hows = append(hows, t.how)
				continue
			}
			hows = append(hows, strings.Join(t.inds, "、")+t.how)
		}
		tail := reason + strings.Join(hows, "，")
		if _, ok := groups[tail]; !ok {
			order = append(order, tail)
		}
		groups[tail] = append(groups[tail], c.Name)
	}
	if len(order) == 0 {
		return ""
	}
	var parts []string
	for _, tail := range order {
		parts = append(parts, strings.Join(groups[tail], "、")+tail)
	}
	return "全市合计中，" + strings.Join(parts, "；")
}

// monthWord names month f as seen from month m: 8月 in the same year, 2024年12月 otherwise.
func monthWord(f, m lingpao.Period) string {
	if f.Year == m.Year {
		return fmt.Sprintf("%d月", f.N)
	}
	return f.Label()
}

// lingpaoComponents are the indicators whose cells feed ind (itself, a ratio's two, a growth's two).
func lingpaoComponents(ind lingpao.Indicator) []string {
	switch ind.Kind {
	case lingpao.KindRatio, lingpao.KindCoverage:
		return []string{ind.Numerator, ind.Denominator}
	case lingpao.KindGrowth:
		return []string{ind.Base, ind.Prior}
	}
	return []string{ind.Code}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// countyText words how the counties stand on one indicator: the best, and the counties behind. A rate
// or a growth is judged against the figure itself, not against 序时进度.
func countyText(t Table) string {
	subj := Subject(t.Indicator)
	rate := t.Total.A.HasTarget && (t.Total.A.Target.Form == lingpao.FormRate || t.Total.A.Target.Form == lingpao.FormGrowth)
	value := func(r Row) string { return Pct(r.A.Completion) }
	if rate {
		subj = t.Indicator.Name
		value = func(r Row) string { return t.Indicator.Format(r.A.Actual.Value) }
	}
	var b strings.Builder
	what := subj + "完成率"
	if rate {
		what = subj
	}
	b.WriteString(topText(what, t.Ranked(), value))
	var far, behind, missing, merged, short []string
	met := 0
	for _, r := range t.Rows {
		switch {
		case !r.A.HasTask():
		case r.A.Status == lingpao.StatusMissing && len(r.Blank) > 0:
			missing = append(missing, fmt.Sprintf("%s（%s未填报）", r.Name, strings.Join(r.Blank, "、")))
		case r.A.Status == lingpao.StatusMissing:
			missing = append(missing, r.Name)
		case r.A.Status == lingpao.StatusMerged:
			merged = append(merged, r.Name)
		case rate && r.A.Met:
			met++
		case rate:
			short = append(short, r.Name)
			if r.A.Status == lingpao.StatusFarBehind {
				far = append(far, r.Name)
			}
		case r.A.Status == lingpao.StatusFarBehind:
			far = append(far, r.Name)
		case r.A.Status == lingpao.StatusBehind:
			behind = append(behind, r.Name)
		}
	}
	var lag []string
	if rate {
		target := t.Total.A.Target.ValueText(t.Indicator)
		switch {
		case len(short) == 0:
			lag = append(lag, fmt.Sprintf("报送的县（市、区）均达到%s的目标", target))
		default:
			s := fmt.Sprintf("%d个县（市、区）达到%s的目标，%d个未达到", met, target, len(short))
			if len(far) > 0 {
				s += fmt.Sprintf("，其中%s与目标差距较大", namesCount(far, 6))
			}
			lag = append(lag, s)
		}
	} else {
		if len(far) > 0 {
			lag = append(lag, namesCount(far, 6)+"严重滞后于序时进度")
		}
		if len(behind) > 0 {
			lag = append(lag, namesCount(behind, 6)+"滞后于序时进度")
		}
		if len(lag) == 0 && b.Len() > 0 {
			lag = append(lag, "其余县（市、区）均达到或超过序时进度")
		}
	}
	if len(lag) > 0 {
		if b.Len() > 0 {
			b.WriteString("；")
		}
		b.WriteString(strings.Join(lag, "，"))
	}
	if len(missing) > 0 {
		if b.Len() > 0 {
			b.WriteString("；")
		}
		fmt.Fprintf(&b, "%s未报送", strings.Join(missing, "、"))
	}
	if len(merged) > 0 {
		if b.Len() > 0 {
			b.WriteString("；")
		}
		fmt.Fprintf(&b, "%s1–2月合并报送，1月不单独考核", strings.Join(merged, "、"))
	}
	if b.Len() == 0 {
		return ""
	}
	return b.String() + "。"
}

// topText names the best ranked rows with their values: 鹿泉区完成率居前的是鹿泉区（107.1%）、…; or,
// when more than three share first place, …完成率并列第一的有井陉县、行唐县、灵寿县等7个县（市、区），
// 均为100.0%.
func topText(what string, ranked []Row, value func(Row) string) string {
	firsts := 0
	for _, r := range ranked {
		if r.A.Rank == 1 {
			firsts++
		}
	}
	if firsts > 3 {
		var names []string
		for _, r := range ranked[:3] {
			names = append(names, r.Name)
		}
		return fmt.Sprintf("%s并列第一的有%s等%d个县（市、区），均为%s", what, strings.Join(names, "、"), firsts, value(ranked[0]))
	}
	var top []string
	for _, r := range ranked {
		if r.A.Rank == 0 || len(top) >= 3 {
			break
		}
		top = append(top, fmt.Sprintf("%s（%s）", r.Name, value(r)))
	}
	if len(top) == 0 {
		return ""
	}
	return what + "居前的是" + strings.Join(top, "、")
}

// namesCount names counties for prose: all of them when there are at most n, else the first n and
// how many in all (深泽县、高邑县等8个县（市、区）).
func namesCount(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, "、")
	}
	return fmt.Sprintf("%s等%d个县（市、区）", strings.Join(names[:n], "、"), len(names))
}

// rankingText words the composite ranking's 红榜 and 黑榜.
func rankingText(rk Ranking, opt lingpao.RankingOptions) string {
	if len(rk.Rows) == 0 || rk.Indicators == 0 {
		return ""
	}
	scores := func(rs []RankRow) string {
		var s []string
		for _, r := range rs {
			s = append(s, ScoreText(r.Score.Score))
		}
		if len(s) == 1 {
			return "为" + s[0]
		}
		return "分别为" + strings.Join(s, "、")
	}
	names := func(rs []RankRow) string {
		var s []string
		for _, r := range rs {
			s = append(s, r.Name)
		}
		return strings.Join(s, "、")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "按%d项指标完成进度与序时进度的差距综合评分（每项差距以±%s个百分点为限，加权平均后加100分，100分为与序时进度同步）", rk.Indicators, lingpao.FormatNumber(opt.GapCap, 0))
	switch {
	case len(rk.Red) > 0:
		fmt.Fprintf(&b, "，%s列入红榜，综合得分%s", names(rk.Red), scores(rk.Red))
	default:
		b.WriteString("，本期没有整体超序时进度的县（市、区），红榜空缺")
	}
	switch {
	case len(rk.Black) > 0:
		fmt.Fprintf(&b, "；%s列入黑榜，综合得分%s。", names(rk.Black), scores(rk.Black))
	default:
		b.WriteString("；本期没有整体落后于序时进度的县（市、区），黑榜空缺。")
	}
	return b.String()
}

// ladderText words the state of supervision.
func ladderText(l Ladder, p lingpao.Period) string {
	m := p.LastMonth()
	if len(l.Rows) == 0 {
		s := fmt.Sprintf("截至%d月底，全市没有处于督办状态的事项", m.N)
		if l.Cleared > 0 {
			s += fmt.Sprintf("，%s内解除督办%d项", periodName(p), l.Cleared)
		}
		return s + "。"
	}
	var levels []string
	for _, c := range l.Counts {
		if c.N > 0 {
			levels = append(levels, fmt.Sprintf("%s%d项", c.Level.Label(), c.N))
		}
	}
	s := fmt.Sprintf("按照“警示、约谈、通报、报告、问责”五步工作法，截至%d月底，全市共有督办事项%d项，涉及%d个县（市、区），其中%s",
		m.N, len(l.Rows), l.Counties, strings.Join(levels, "、"))
	var up []string
	for _, r := range l.Rows {
		if r.Level >= lingpao.EscNotice {
			up = append(up, r.Name)
		}
	}
	up = unique(up)
	if len(up) > 0 {
		s += fmt.Sprintf("。达到通报及以上等级的涉及%s", namesCount(up, 8))
	}
	s += fmt.Sprintf("。%s内新列入或升级督办的事项%d项，解除督办%d项。", periodName(p), l.Raised, l.Cleared)
	return s
}

// periodName is how prose names the report's period: 本月, 本季度, 上半年, 本年度.
func periodName(p lingpao.Period) string {
	switch p.Kind {
	case lingpao.Quarter:
		return "本季度"
	case lingpao.Half:
		return "本半年"
	case lingpao.Year:
		return "本年度"
	}
	return "本月"
}

// reportingText words the reporting of the last month.
func reportingText(in Input, r lingpao.ReportingRate) string {
	var late, miss []string
	for _, c := range r.Counties {
		switch c.State {
		case lingpao.ReportLate:
			late = append(late, in.name(c.Org))
		case lingpao.ReportMissing, lingpao.ReportRejected:
			miss = append(miss, in.name(c.Org))
		}
	}
	s := fmt.Sprintf("报送方面，%s报表应报送单位%d个，按时报送%d个", r.Month.Label(), r.Expected, r.OnTime)
	if len(late) > 0 {
		s += fmt.Sprintf("，逾期报送%d个（%s）", len(late), strings.Join(late, "、"))
	}
	if len(miss) > 0 {
		s += fmt.Sprintf("，截至数据截止时未报送%d个（%s）", len(miss), strings.Join(miss, "、"))
	}
	if r.NotDue > 0 {
		s += fmt.Sprintf("，%d个尚未到报送截止日", r.NotDue)
	}
	return s + fmt.Sprintf("，报送率%s。", Pct(r.Rate()))
}

// requirements are the bulletin's 下一步工作要求, each raised only when the data calls for it.
func requirements(in Input, tables []Table, l Ladder, r lingpao.ReportingRate) []string {
	var far []string
	for _, t := range tables {
		for _, row := range t.Rows {
			if row.A.Status == lingpao.StatusFarBehind {
				far = append(far, row.Name)
			}
		}
	}
	far = inCountyOrder(in, unique(far))
	var out []string
	if len(far) > 0 {
		out = append(out, fmt.Sprintf("加快追赶进度。%s要针对严重滞后的指标认真分析原因，逐项制定追赶措施，确保完成全年目标任务。", namesCount(far, 8)))
	} else {
		out = append(out, "保持良好态势。各县（市、区）要对照年度目标任务，巩固进度，力争提前完成全年任务。")
	}
	if len(l.Rows) > 0 {
		out = append(out, "压实督办责任。列入督办的县（市、区）要对照督办事项逐项整改，整改情况随下月报表一并报送；连续滞后的将按五步工作法逐级升级督办。")
	}
	var late []string
	for _, c := range r.Counties {
		if c.State == lingpao.ReportLate || c.State == lingpao.ReportMissing || c.State == lingpao.ReportRejected {
			late = append(late, in.name(c.Org))
		}
	}
	if len(late) > 0 {
		out = append(out, fmt.Sprintf("严格报送纪律。%s要严格按照每月%d日前（遇法定节假日顺延）的时限报送报表，确保数据及时、准确、完整。", namesCount(late, 8), in.Config.DeadlineDay))
	} else {
		out = append(out, fmt.Sprintf("坚持按时报送。各县（市、区）要继续按照每月%d日前（遇法定节假日顺延）的时限报送报表，确保数据及时、准确、完整。", in.Config.DeadlineDay))
	}
	numerals := []string{"一", "二", "三", "四", "五"}
	for i := range out {
		out[i] = numerals[i] + "是" + out[i]
	}
	return out
}

func unique(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// inCountyOrder sorts county names in the order of the seed data.
func inCountyOrder(in Input, names []string) []string {
	order := map[string]int{}
	for i, c := range in.counties() {
		order[c.Name] = i
	}
	sort.SliceStable(names, func(i, j int) bool { return order[names[i]] < order[names[j]] })
	return names
}
