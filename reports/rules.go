package reports

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"lingpao"
)

// RuleLine is one rule in force of a report (口径说明): what it governs, the value configured in the
// workspace (lingpao.yaml key and value) and how it works.
type RuleLine struct {
	Item    string `json:"item"`
	Setting string `json:"setting"`
	Rule    string `json:"rule"`
}

// IndicatorRule is how one indicator of a report is measured: its kind and formula, the target in
// force for the city and how 序时进度 is derived.
type IndicatorRule struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Formula  string `json:"formula"`
	Target   string `json:"target"`
	Expected string `json:"expected"`
	Citation string `json:"citation"`
}

// rules lists every rule in force for the report, with its configured value.
func (in Input) rules() []RuleLine {
	cfg := in.Config
	opt := cfg.ProgressOptions()
	th := opt.Thresholds
	n := func(v float64) string { return lingpao.FormatNumber(v, decimalsOf(v)) }
	onOff := func(b bool) string {
		if b {
			return "true（开）"
		}
		return "false（关）"
	}
	ints := func(xs []int) string {
		var s []string
		for _, x := range xs {
			s = append(s, fmt.Sprint(x))
		}
		return "[" + strings.Join(s, ", ") + "]"
	}
	var out []RuleLine
	add := func(item, setting, rule string) { out = append(out, RuleLine{item, setting, rule}) }
	add("指标类型与汇总", "indicators.yaml（kind）",
		"存量：同一时点各单位数值相加，不跨月相加；本年累计：各单位本年1月至本月末累计数相加，当月数为本月累计减上月累计；比率、覆盖率：Σ分子÷Σ分母（逐集群配对），不取比率的平均；增速：Σ本年累计÷Σ上年同期−1（报表未填上年同期时取上年同月报送数）。各指标见下表。")
	add("数据完整性", "—",
		"县（市、区）某项指标须其报表各集群（各行）均已填报方为完整；任一行空白，该县该项指标为未报送：不按0计，不排名、不计分，督办保持不变。集群情况表中空白单元格显示为未报送。")
	carry := "全市合计只计当月已报送的完整数据，未报送或不完整的县（市、区）不计入，并在说明中列明。"
	if opt.CarryForward {
		carry = "全市合计中，未报送本月报表的县（市、区）按其最近一期报表计入；报表中某集群未填报的单元格按该单元格最近一期数据计入（比率、增速按该集群最近一期的分子分母或本年、上年数成对计入）。本年累计类指标只取同一年的数据，存量类取12个月以内的数据；没有可结转数据的不计入。每处结转都在报告中注明县名和所取月份；县（市、区）本身的该项指标仍为未报送。"
	}
	add("结转（未报送或未填报）", "progress.carry_forward: "+onOff(opt.CarryForward), carry)
	merge := "1月与其他月份一样单独报送和考核。"
	if opt.MergeJanFeb {
		merge = "1月不要求单独报送：1月序时进度为0，2月报表覆盖1—2月、2月序时进度计两个月；未报送1月报表的县（市、区）显示为“1–2月合并”，不是未报送，不排名、不计入报送率的应报数，督办保持不变；已报送1月的照常计算。里程碑目标的1月序时进度与上年12月相同。"
	}
	add("1–2月合并", "merge_jan_feb: "+onOff(opt.MergeJanFeb), merge)
	seasonal := "各月均衡：年度目标序时进度为已过月数÷12。"
	if len(opt.Seasonal) > 0 {
		var codes []string
		for c := range opt.Seasonal {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		var parts []string
		for _, c := range codes {
			name := c
			if ind, ok := in.Catalog.Indicator(c); ok {
				name = ind.Name
			}
			var ws []string
			for _, w := range opt.Seasonal[c] {
				ws = append(ws, n(w))
			}
			parts = append(parts, fmt.Sprintf("%s [%s]", name, strings.Join(ws, ", ")))
		}
		seasonal = "按季节权重：" + strings.Join(parts, "；") + "；其余指标各月均衡。"
	}
	add("序时进度", "progress.seasonal",
		"年度目标："+seasonal+"里程碑目标：自起点（上一阶段目标到期次日）至到期日按时间均匀推进，完成率按自基数起的增量计；没有起点基数的按水平衡量（序时进度100%）。规划期累计目标：按已过年数（含本年份额）÷规划年数。比率、增速目标：每期适用，序时进度100%。")
	add("完成率", "—", "完成率＝实际÷目标；里程碑目标为（实际−基数）÷（目标−基数）；区间目标按下限计，“以上”为不少于，“超过”须大于，“左右”允许低5%。分解数为0或目标不高于基数的为无任务：不排名、不计分。")
	add("状态阈值", fmt.Sprintf("progress.thresholds: {on_track: %s, far_behind: %s}", n(th.OnTrack), n(th.FarBehind)), StatusRule(th)+"。")
	add("比率、增速指标", "—", "与目标值直接比较：完成率＝实际÷目标，序时进度100%，状态规则同上；表中另列“实际−目标”（百分点），叙述中的“高于/低于目标X个百分点”即此数。")
	add("舍入", "—", fmt.Sprintf("所有数字按显示位数四舍五入（5进位，正负数均远离零）：完成率、序时进度为百分数保留1位小数，“完成率−序时进度”保留%d位小数，综合得分保留%d位小数，指标值按各指标的小数位数。状态、排名、综合得分、红黑榜和督办均按显示的数值判定。", lingpao.GapDecimals, lingpao.ScoreDecimals))
	rk := cfg.Dispatch.Ranking
	weights := "各指标权重均为" + n(rk.DefaultWeight)
	if len(rk.Weights) > 0 {
		var codes []string
		for c := range rk.Weights {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		var parts []string
		for _, c := range codes {
			parts = append(parts, fmt.Sprintf("%s %s", c, n(rk.Weights[c])))
		}
		weights = fmt.Sprintf("默认权重%s，另设 %s", n(rk.DefaultWeight), strings.Join(parts, "、"))
	}
	add("单项排名", "—", "按“完成率−序时进度”（保留一位小数）由高到低排名，相同者并列、下一名次顺延；未报送、无任务、1–2月合并的不排名；升降与上期名次比较。")
	add("综合排名与红黑榜", fmt.Sprintf("dispatch.ranking: {default_weight: %s, gap_cap: %s, list_size: %d}", n(rk.DefaultWeight), n(rk.GapCap), rk.ListSize),
		fmt.Sprintf("综合得分＝各项“100＋完成率−序时进度”（每项以±%s个百分点为限）的加权平均（%s），保留两位小数；按得分排名，相同者并列。红榜为得分高于100的前%d名，黑榜为低于100的后%d名，与末位并列的一并列入。", n(rk.GapCap), weights, rk.ListSize, rk.ListSize))
	ld := cfg.Dispatch.Ladder
	far := ""
	if ld.FarBehindOnly {
		far = "只计严重滞后的月份（滞后月份不升级也不解除）；"
	}
	add("督办（五步工作法）", fmt.Sprintf("dispatch.ladder: {steps: %s, recover: %d, far_behind_only: %v, reporting_steps: %s}", ints(ld.Steps), ld.Recover, ld.FarBehindOnly, ints(ld.ReportingSteps)),
		fmt.Sprintf("同一县（市、区）同一指标连续滞后（含严重滞后）的月数达到 %s 时依次升为警示、约谈、通报、报告、问责；%s连续%d个月恢复正常即解除；未报送、1–2月合并的月份保持不变。报表逾期、未报送或退回未重报的月份另按 %s 升级报送督办。", ints(ld.Steps), far, ld.Recover, ints(ld.ReportingSteps)))
	add("报送截止", fmt.Sprintf("deadline_day: %d", cfg.DeadlineDay), fmt.Sprintf("每月%d日前报送上月报表，遇法定节假日顺延（按 holidays.yaml 的节假日和调休安排）；截止日当天内收到为按时。", cfg.DeadlineDay))
	add("数据截止与版本", "—", fmt.Sprintf("只计截至 %s 收到的报表；同一县同一月有多个版本的，取截止时最新受理的版本。按同一截止时间重新生成得到同一版本；印发后收到更正的，生成新版本并附更正说明，更正说明只列已印发版本所用数据的更正，补报另行说明。", CutOffText(in.CutOff)))
	add("目标任务", fmt.Sprintf("目标任务第%d版", in.TargetsVersion), "目标任务来自五份政策文件（见各指标引用的文号条款）；各县（市、区）的分解数由市局确定（示例分解注明“示例分解”）；比率、增速目标各县与全市相同。")
	return out
}

// indicatorRules lists how each indicator of the tables is measured for the city.
func (in Input) indicatorRules(tables []Table) []IndicatorRule {
	opt := in.Config.ProgressOptions()
	m := in.Period.LastMonth()
	var out []IndicatorRule
	for _, t := range tables {
		ind := t.Indicator
		r := IndicatorRule{Name: ind.Name, Kind: ind.Kind.Label(), Formula: lingpao.FormulaText(in.Catalog, ind, true), Target: Placeholder, Expected: Placeholder}
		a := t.Total.A
		if !a.HasTarget {
			for _, row := range t.Rows {
				if row.A.HasTarget {
					a = row.A
					break
				}
			}
			if a.HasTarget {
				r.Target = "全市无目标，各县（市、区）按分解数考核"
			}
		}
		if a.HasTarget {
			tg := a.Target
			if a.Org == t.Total.Org {
				r.Target = tg.ValueText(ind)
				if !tg.Due.IsZero() {
					r.Target += fmt.Sprintf("（%s到期）", lingpao.FormatDate(tg.Due))
				}
				if a.Baseline != nil {
					r.Target += "，基数" + ind.Format(*a.Baseline)
				}
			}
			r.Citation = tg.Citation
			if a.Status != lingpao.StatusNoTarget {
				t2 := tg
				if a.Baseline == nil && tg.Form == lingpao.FormMilestone {
					t2.Start = time.Time{} // no baseline: a level to hold, as Assess measures it
				}
				r.Expected = lingpao.ExpectedDerivation(t2, m, opt.Seasonal[ind.Code], opt.MergeJanFeb)
			}
		}
		out = append(out, r)
	}
	return out
}
