package lingpao

import (
	"fmt"
	"strings"
	"time"
)

// Explanation says how one figure of the reports was made (PRODUCT §13: every number traceable to a
// submission cell): the figure, its kind and formula, every cell it was computed from — county,
// cluster, month, value, whether carried forward — the target in force with its citation, 序时进度 and
// how it was derived, and the status band applied. Explain builds it from the data set; the jobs
// package adds each cell's file, time of receipt, SHA-256, sheet and cell from the store.
type Explanation struct {
	Org       OrgUnit   `json:"org"`
	Indicator Indicator `json:"indicator"`
	Period    string    `json:"period"`
	// Month is the month the figure is measured at (the period's last).
	Month      string     `json:"month"`
	Assessment Assessment `json:"assessment"`
	// Figure is the actual figure as printed with its unit, or 未报送.
	Figure string `json:"figure"`
	// Kind is the kind's Chinese name; Formula how the kind aggregates, in words and symbols.
	Kind    string `json:"kind"`
	Formula string `json:"formula"`
	// Computation writes the figure's arithmetic out: 21 + 20 = 41, (1 + 3) ÷ (10 + 30) = 10.0%.
	Computation string `json:"computation"`
	// Contributions are the cells the figure is made of, county by county and row by row; counties in
	// scope that contributed nothing are listed with a note.
	Contributions []Contribution `json:"contributions"`
	// Target is the target in force; Expected the 序时进度 derivation; Band the status rule applied.
	Target   *TargetExplained `json:"target,omitempty"`
	Expected string           `json:"expected,omitempty"`
	Band     string           `json:"band"`
	// Notes are further remarks: carried figures, counties left out, 1–2月合并, no task.
	Notes []string `json:"notes,omitempty"`
}

// Contribution is one cell a figure is computed from.
type Contribution struct {
	Org         string `json:"org"`
	OrgName     string `json:"org_name"`
	Cluster     string `json:"cluster,omitempty"`
	ClusterName string `json:"cluster_name,omitempty"`
	// Indicator is the code of the cell's indicator (a ratio's numerator or denominator, a growth's
	// base or last year's column); Role says which part it plays.
	Indicator     string `json:"indicator"`
	IndicatorName string `json:"indicator_name"`
	Role          string `json:"role,omitempty"`
	// Month is the month the cell is from; Carried is set when it stands in for the figure's own
	// month (From the month it was carried from).
	Month string  `json:"month"`
	Value float64 `json:"value"`
	// Text is the value as printed with its indicator's decimals; OK is false for a blank cell.
	Text    string `json:"text"`
	OK      bool   `json:"ok"`
	Carried bool   `json:"carried,omitempty"`
	// Submission is the return the cell is from (0 for none); the store fills the rest.
	Submission int64     `json:"submission,omitempty"`
	Version    int       `json:"version,omitempty"`
	File       string    `json:"file,omitempty"`
	ReceivedAt time.Time `json:"received_at,omitzero"`
	SHA256     string    `json:"sha256,omitempty"`
	Sheet      string    `json:"sheet,omitempty"`
	Cell       string    `json:"cell,omitempty"`
	// Note says why a cell is missing or how it was used: 未填报, 未报送, 上年同期取上年报送数 …
	Note string `json:"note,omitempty"`

	month Period
}

// MonthPeriod returns the month of the contribution.
func (c Contribution) MonthPeriod() Period { return c.month }

// TargetExplained is the target in force for a figure, with its citation.
type TargetExplained struct {
	ID       string `json:"id"`
	Text     string `json:"text"`
	Value    string `json:"value"`
	Judge    string `json:"judge"`
	Form     string `json:"form"`
	Due      string `json:"due,omitempty"`
	Start    string `json:"start,omitempty"`
	Baseline string `json:"baseline,omitempty"`
	Citation string `json:"citation"`
	// Inherited names the unit whose rate a county is held to (a rate applies to every part).
	Inherited string `json:"inherited,omitempty"`
	Example   bool   `json:"example,omitempty"`
}

// formLabels are the Chinese names of the target forms.
var formLabels = map[TargetForm]string{
	FormMilestone: "里程碑（存量到期达到）", FormAnnual: "年度目标（每年完成）", FormCumulative: "规划期累计",
	FormRate: "比率目标（每期适用）", FormGrowth: "增速目标（每年适用）",
}

// Explain explains the figure of indicator ind for org (a county, or a city or province rolled up from
// its counties) over period p, as Assess computes it with opt.
func Explain(cat *Catalog, ds *DataSet, org string, ind Indicator, p Period, opt ProgressOptions) Explanation {
	m := p.LastMonth()
	u, _ := cat.Tree.Unit(org)
	a := Assess(cat, ds, org, ind, p, opt)
	ex := Explanation{Org: u, Indicator: ind, Period: p.String(), Month: m.String(), Assessment: a, Kind: ind.Kind.Label(),
		Formula: FormulaText(cat, ind, u.Level != LevelCounty)}
	ex.Figure = StatusMissing.Label()
	if a.Actual.OK {
		ex.Figure = ind.Format(a.Actual.Value)
	} else if a.Status == StatusMerged {
		ex.Figure = StatusMerged.Label()
	}
	orgs := countyCodes(cat, org)
	aggregate := u.Level != LevelCounty
	carried := map[string]map[string]Period{} // org → row → from
	missing := map[string]bool{}
	for _, c := range a.Actual.Carried {
		if carried[c.Org] == nil {
			carried[c.Org] = map[string]Period{}
		}
		carried[c.Org][c.Cluster] = c.From
		missing[c.Org] = missing[c.Org] || c.Missing
	}
	without := map[string]bool{}
	for _, o := range a.Actual.Without {
		without[o] = true
	}
	clusterName := map[string]string{}
	for _, cl := range cat.Clusters {
		clusterName[cl.Code] = cl.Name
	}
	for _, o := range orgs {
		name := cat.Tree.Name(o)
		_, reported := ds.Reported(o, m)
		switch {
		case carried[o] != nil:
			rows := ds.Rows(o, m)
			if missing[o] {
				rows = nil
				for cl := range carried[o] {
					rows = append(rows, cl)
				}
				rows = orderRows(rows, cat.ClustersOf(o))
			}
			if len(rows) == 0 {
				rows = []string{""}
			}
			for _, cl := range rows {
				at, isCarried := m, false
				if f, ok := carried[o][cl]; ok {
					at, isCarried = f, true
				}
				ex.Contributions = append(ex.Contributions, cells(cat, ds, ind, o, name, cl, clusterName[cl], at, isCarried)...)
			}
			var how []string
			for _, cl := range rows {
				if f, ok := carried[o][cl]; ok {
					label := clusterName[cl]
					if label == "" {
						label = "全县"
					}
					how = append(how, fmt.Sprintf("%s按%s数据", label, f.Label()))
				}
			}
			reason := "报表中有集群未填报本项"
			if missing[o] {
				reason = "未报送本月报表"
			}
			ex.Notes = append(ex.Notes, fmt.Sprintf("%s%s，全市合计中%s计入（结转）；%s本身的该项指标仍为未报送。", name, reason, strings.Join(how, "、"), name))
		case !reported:
			c := Contribution{Org: o, OrgName: name, Indicator: ind.Code, IndicatorName: ind.Name, Month: m.String(), month: m, Note: "未报送本月报表"}
			if opt.MergeJanFeb && m.N == 1 {
				c.Note = "1–2月合并报送，1月无报表"
			}
			ex.Contributions = append(ex.Contributions, c)
			if aggregate {
				ex.Notes = append(ex.Notes, fmt.Sprintf("%s%s，在本期（同年）没有可结转的数据，未计入全市合计。", name, c.Note))
			}
		default:
			rows := ds.Rows(o, m)
			if len(rows) == 0 {
				rows = []string{""}
			}
			for _, cl := range rows {
				ex.Contributions = append(ex.Contributions, cells(cat, ds, ind, o, name, cl, clusterName[cl], m, false)...)
			}
			if without[o] {
				if aggregate {
					ex.Notes = append(ex.Notes, fmt.Sprintf("%s报表中有集群未填报本项，且没有可结转的早前数据，未计入合计。", name))
				} else {
					ex.Notes = append(ex.Notes, "本县报表中有集群未填报本项：县（市、区）的指标须各集群均已填报方为完整，否则为未报送——不排名、不计分、督办保持不变。")
				}
			}
		}
	}
	ex.Computation = computation(ind, a, ex.Contributions)
	if a.HasTarget {
		t := a.Target
		te := &TargetExplained{ID: t.ID, Text: t.Text, Value: t.ValueText(ind), Judge: t.JudgeText(ind), Form: formLabels[t.Form], Citation: t.Citation, Example: t.Example}
		if !t.Due.IsZero() {
			te.Due = FormatDate(t.Due)
		}
		if !t.Start.IsZero() {
			te.Start = FormatDate(t.Start)
		}
		if a.Baseline != nil {
			from := "上一阶段目标值"
			if a.BaselineFrom == "data" {
				from = "起点前一月的实际数"
			}
			te.Baseline = fmt.Sprintf("%s（%s）", ind.Format(*a.Baseline), from)
		}
		if t.Org != org {
			te.Inherited = cat.Tree.Name(t.Org)
		}
		ex.Target = te
		if a.Status != StatusNoTarget {
			t2 := t
			if a.Baseline == nil && t2.Form == FormMilestone {
				t2.Start = time.Time{} // a level to hold, as Assess measured it
			}
			ex.Expected = ExpectedDerivation(t2, m, opt.Seasonal[ind.Code], opt.MergeJanFeb)
		}
	}
	ex.Band = BandText(opt.Thresholds, a)
	if a.Status == StatusMerged {
		ex.Notes = append(ex.Notes, "1–2月合并：1月不要求单独报送，2月报表覆盖1—2月；本月不考核、不排名，督办保持不变。")
	}
	return ex
}

// orderRows orders cluster codes as the county's clusters are listed.
func orderRows(rows []string, cls []Cluster) []string {
	pos := map[string]int{}
	for i, c := range cls {
		pos[c.Code] = i + 1
	}
	out := append([]string(nil), rows...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && (pos[out[j]] < pos[out[j-1]] || pos[out[j-1]] == 0 && pos[out[j]] > 0); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// cells returns the contributions of row cl of county org to ind at month at: one cell for a stock or a
// flow, the two of a ratio or a growth (last year's figure from the stored history when the return's
// column is blank).
func cells(cat *Catalog, ds *DataSet, ind Indicator, org, orgName, cl, clName string, at Period, carried bool) []Contribution {
	one := func(code, role string, m Period) Contribution {
		c := Contribution{Org: org, OrgName: orgName, Cluster: cl, ClusterName: clName, Indicator: code, Role: role, Month: m.String(), month: m, Carried: carried}
		dec := 2
		if i, ok := cat.Indicator(code); ok {
			c.IndicatorName, dec = i.Name, i.Decimals
		}
		c.Value, c.OK = ds.Get(org, cl, code, m)
		c.Text = "—"
		if c.OK {
			c.Text = FormatNumber(c.Value, dec)
		}
		if id, ok := ds.Reported(org, m); ok {
			c.Submission = id
		}
		if !c.OK {
			c.Note = "未填报"
			if c.Submission == 0 {
				c.Note = "未报送"
			}
		}
		return c
	}
	switch ind.Kind {
	case KindRatio, KindCoverage:
		return []Contribution{one(ind.Numerator, "分子", at), one(ind.Denominator, "分母", at)}
	case KindGrowth:
		out := []Contribution{one(ind.Base, "本年累计", at)}
		prior := one(ind.Prior, "上年同期", at)
		if ind.Prior == "" || !prior.OK {
			last := MonthOf(at.Year-1, at.N)
			h := one(ind.Base, "上年同期", last)
			h.Carried = false
			if h.OK {
				h.Note = "报表未填上年同期，取上年同月报送数"
			}
			prior = h
		}
		return append(out, prior)
	}
	return []Contribution{one(ind.Code, "", at)}
}

// computation writes out the figure's arithmetic from its contributions.
func computation(ind Indicator, a Assessment, cs []Contribution) string {
	if !a.Actual.OK {
		return "无完整数据，不计算（未报送不按0计）"
	}
	num := func(v float64) string { return FormatNumber(v, max(ind.Decimals, 2)) }
	terms := func(role string) []string {
		var out []string
		for _, c := range cs {
			if c.OK && c.Role == role && !excluded(a, c.Org) {
				out = append(out, trimNum(num(c.Value)))
			}
		}
		return out
	}
	switch ind.Kind {
	case KindRatio, KindCoverage:
		n, d := terms("分子"), terms("分母")
		pct := ""
		if ind.Percent() {
			pct = " × 100%"
		}
		return fmt.Sprintf("(%s) ÷ (%s)%s = %s ÷ %s%s = %s", strings.Join(n, " + "), strings.Join(d, " + "), pct,
			trimNum(num(a.Actual.Num)), trimNum(num(a.Actual.Den)), pct, ind.Format(a.Actual.Value))
	case KindGrowth:
		n, d := terms("本年累计"), terms("上年同期")
		return fmt.Sprintf("(%s) ÷ (%s) − 1 = %s ÷ %s − 1 = %s", strings.Join(n, " + "), strings.Join(d, " + "),
			trimNum(num(a.Actual.Num)), trimNum(num(a.Actual.Den)), ind.Format(a.Actual.Value))
	}
	ts := terms("")
	s := strings.Join(ts, " + ")
	if len(ts) > 1 {
		s += " = " + ind.Format(a.Actual.Value)
	} else {
		s = ind.Format(a.Actual.Value)
	}
	if a.HasTarget && a.Target.Form == FormCumulative && ind.Kind == KindYTD {
		s += "（规划期累计：含以前年度12月的本年累计数）"
	}
	return s
}

// excluded reports whether county org contributed nothing to a.
func excluded(a Assessment, org string) bool {
	for _, o := range a.Actual.Without {
		if o == org {
			return true
		}
	}
	return false
}

// trimNum drops trailing zeros of a printed decimal: 12.50 → 12.5, 3.00 → 3.
func trimNum(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// FormulaText says how ind is computed, for a county (sum over its clusters) or an aggregate (over
// its counties).
func FormulaText(cat *Catalog, ind Indicator, aggregate bool) string {
	name := func(code string) string {
		if i, ok := cat.Indicator(code); ok {
			return i.Name
		}
		return code
	}
	over := "各集群"
	if aggregate {
		over = "各县（市、区）各集群"
	}
	complete := "；县（市、区）须各集群均已填报方为完整，否则为未报送（不按0计）"
	switch ind.Kind {
	case KindStock:
		return fmt.Sprintf("存量：%s本月末数值之和，不跨月相加%s", over, complete)
	case KindYTD:
		return fmt.Sprintf("本年累计：%s本年1月至本月末累计数之和%s", over, complete)
	case KindRatio, KindCoverage:
		pct := ""
		if ind.Percent() {
			pct = " × 100%"
		}
		return fmt.Sprintf("%s：Σ%s ÷ Σ%s%s（%s逐集群配对求和后相除，不是比率的平均）%s", ind.Kind.Label(), name(ind.Numerator), name(ind.Denominator), pct, over, complete)
	case KindGrowth:
		return fmt.Sprintf("增速：Σ%s ÷ Σ%s − 1（%s逐集群配对；报表未填上年同期时取上年同月报送数）%s", name(ind.Base), name(ind.Prior), over, complete)
	}
	return string(ind.Kind)
}

// ExpectedDerivation says how 序时进度 of t at month m was derived (ExpectedProgress), with the
// arithmetic.
func ExpectedDerivation(t Target, m Period, weights []float64, mergeJanFeb bool) string {
	e := ExpectedProgress(t, m, weights, mergeJanFeb)
	pct := FormatNumber(e*100, 1) + "%"
	share := func(n int) string {
		if mergeJanFeb && n == 1 {
			return "1–2月合并：1月不单独计序时进度，为0"
		}
		if len(weights) == 12 {
			return fmt.Sprintf("按季节权重：1—%d月权重之和 ÷ 全年权重之和", n)
		}
		return fmt.Sprintf("%d ÷ 12", n)
	}
	switch t.Form {
	case FormAnnual:
		return fmt.Sprintf("年度目标按月均衡：%s = %s", share(m.N), pct)
	case FormCumulative:
		if t.Start.IsZero() || !t.Due.After(t.Start) {
			return "规划期累计目标没有起点：序时进度100%"
		}
		s, d := t.Start.In(Beijing), t.Due.In(Beijing)
		if s.Month() == 1 && s.Day() == 1 && d.Month() == 12 && d.Day() == 31 {
			years := d.Year() - s.Year() + 1
			return fmt.Sprintf("规划期%d—%d年共%d年，已过%d个整年加本年（%s）：(%d + 本年份额) ÷ %d = %s", s.Year(), d.Year(), years, m.Year-s.Year(), share(m.N), m.Year-s.Year(), years, pct)
		}
		return linearText(t, m, mergeJanFeb, pct)
	case FormMilestone:
		if t.Start.IsZero() || !t.Due.After(t.Start) {
			return "里程碑目标没有起点基数，按水平衡量（须保持达到目标值）：序时进度100%"
		}
		return linearText(t, m, mergeJanFeb, pct)
	}
	return "比率、增速类目标每期适用，直接与目标值比较：序时进度100%"
}

// linearText words a linear 序时进度 from t.Start to the end of t.Due.
func linearText(t Target, m Period, mergeJanFeb bool, pct string) string {
	at, when := m.End(), fmt.Sprintf("%s底", m.Label())
	if mergeJanFeb && m.N == 1 {
		at, when = m.Start(), fmt.Sprintf("%d年底（1–2月合并，1月不计）", m.Year-1)
	}
	total := monthsBetween(t.Start, t.Due.AddDate(0, 0, 1))
	done := monthsBetween(t.Start, at)
	n := func(v float64) string { return trimNum(FormatNumber(v, 2)) }
	return fmt.Sprintf("自%s至%s按时间均匀推进，共%s个月，至%s已过%s个月：%s ÷ %s = %s", FormatDateCN(t.Start), FormatDateCN(t.Due), n(total), when, n(max(done, 0)), n(max(done, 0)), n(total), pct)
}

// BandText says which status band the assessment's printed gap falls in under th.
func BandText(th Thresholds, a Assessment) string {
	on, far := FormatNumber(th.OnTrack, 1), FormatNumber(th.FarBehind, 1)
	switch a.Status {
	case StatusMissing:
		return "未报送：没有完整数据，不计算完成率，不排名、不计分，督办保持不变"
	case StatusMerged:
		return "1–2月合并：1月不单独考核"
	case StatusNoTarget:
		return "无任务：没有目标任务、分解数为0或目标不高于基数，不排名、不计分"
	}
	g := FormatNumber(a.Gap, 1)
	if a.Gap > 0 {
		g = "+" + g
	}
	rule := map[Status]string{
		StatusAhead:     fmt.Sprintf("高于+%s", on),
		StatusOnTrack:   fmt.Sprintf("在−%s至+%s之间（含两端）", on, on),
		StatusBehind:    fmt.Sprintf("低于−%s、不低于−%s", on, far),
		StatusFarBehind: fmt.Sprintf("低于−%s", far),
	}[a.Status]
	return fmt.Sprintf("完成率%s − 序时进度%s = %s个百分点（相减后保留一位小数，按此判定），%s：%s",
		FormatNumber(a.Completion*100, 1)+"%", FormatNumber(a.Expected*100, 1)+"%", g, rule, a.Status.Label())
}
