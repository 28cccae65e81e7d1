package reports

import (
	"fmt"
	"math"
	"strings"

	"lingpao"
)

// The texts of table cells, shared by the renderers so that a workbook, a PDF and the tests that read
// them back print a figure the same way.

// Placeholder is what a cell shows when there is nothing to measure (no target, not reported).
const Placeholder = "—"

// Pct formats a fraction as a percentage with one decimal: 0.816 → 81.6%.
func Pct(f float64) string { return lingpao.FormatNumber(f*100, 1) + "%" }

// GapText formats a gap in percentage points with its sign and one decimal: +3.1, −16.0, 0.0.
func GapText(g float64) string {
	s := lingpao.FormatNumber(math.Abs(g), 1)
	switch {
	case s == "0.0":
		return "0.0"
	case g > 0:
		return "+" + s
	}
	return "-" + s
}

// ActualText is the actual figure of an assessment with the indicator's decimals, or 未报送 (1–2月合并
// for a January reported with February).
func ActualText(ind lingpao.Indicator, a lingpao.Assessment) string {
	if !a.Actual.OK {
		if a.Status == lingpao.StatusMerged || a.Actual.MergedJanFeb {
			return lingpao.StatusMerged.Label()
		}
		return lingpao.StatusMissing.Label()
	}
	return lingpao.FormatNumber(a.Actual.Value, ind.Decimals)
}

// TargetText is the target of an assessment as the documents word it (750家, 8至10家, 8%左右), or —.
func TargetText(ind lingpao.Indicator, a lingpao.Assessment) string {
	if !a.HasTarget {
		return Placeholder
	}
	return a.Target.ValueText(ind)
}

// TargetFigure is the target's bar as a bare number (the county tables: 61), or —.
func TargetFigure(ind lingpao.Indicator, a lingpao.Assessment) string {
	if !a.HasTarget {
		return Placeholder
	}
	return lingpao.FormatNumber(a.TargetValue, max(ind.Decimals, decimalsOf(a.TargetValue)))
}

// decimalsOf is the number of decimals v needs, up to 2.
func decimalsOf(v float64) int {
	for d := 0; d < 2; d++ {
		p := math.Pow(10, float64(d))
		if math.Abs(v*p-math.Round(v*p)) < 1e-9 {
			return d
		}
	}
	return 2
}

// CompletionText, ExpectedText and GapCell are the measured columns of an assessment, — when it is
// not measured.
func CompletionText(a lingpao.Assessment) string {
	return measured(a, func() string { return Pct(a.Completion) })
}

// ExpectedText is 序时进度 as a percentage, or —.
func ExpectedText(a lingpao.Assessment) string {
	return measured(a, func() string { return Pct(a.Expected) })
}

// GapCell is the gap in percentage points, or —.
func GapCell(a lingpao.Assessment) string {
	return measured(a, func() string { return GapText(a.Gap) })
}

func measured(a lingpao.Assessment, f func() string) string {
	if !a.Measured() {
		return Placeholder
	}
	return f()
}

// RankText is the rank, or — when not ranked.
func RankText(rank int) string {
	if rank <= 0 {
		return Placeholder
	}
	return itoa(rank)
}

// MoveText renders a rank movement: ↑3, ↓2, → (unchanged), "" (not ranked now or then).
func MoveText(r Row) string { return lingpao.MoveArrow(r.PrevRank, r.A.Rank) }

// ScoreText formats a composite or annual score with two decimals.
func ScoreText(s float64) string { return lingpao.FormatNumber(s, 2) }

// Subject is an indicator's name as the subject of a sentence or a short column header:
// 专精特新中小企业数 → 专精特新中小企业, 新增发明专利（本年累计） → 新增发明专利.
func Subject(ind lingpao.Indicator) string {
	n := ind.Name
	if i := strings.Index(n, "（"); i > 0 {
		n = n[:i]
	}
	if ind.Unit != "%" && strings.HasSuffix(n, "数") && len([]rune(n)) > 3 {
		n = strings.TrimSuffix(n, "数")
	}
	return n
}

// listNames joins names with 、, at most n of them, adding 等 when more were left out.
func listNames(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, "、")
	}
	return strings.Join(names[:n], "、") + "等"
}

// cnCount writes a small count in Chinese for prose: 1 → 1个. Figures stay in Arabic numerals, as
// the bulletins do.
func cnCount(n int, unit string) string { return fmt.Sprintf("%d%s", n, unit) }

// ordinal words the rank of a list entry in prose: 第1位.
func ordinal(n int) string { return fmt.Sprintf("第%d位", n) }

// yearAhead is how the narrative refers to the period: 截至9月底, 上半年, 前三季度 …
func periodPhrase(p lingpao.Period) string {
	m := p.LastMonth()
	switch p.Kind {
	case lingpao.Quarter:
		switch p.N {
		case 1:
			return "一季度"
		case 2:
			return "上半年"
		case 3:
			return "前三季度"
		}
		return "全年"
	case lingpao.Half:
		if p.N == 1 {
			return "上半年"
		}
		return "全年"
	case lingpao.Year:
		return "全年"
	}
	if m.N == 1 {
		return "1月份"
	}
	return fmt.Sprintf("1—%d月", m.N)
}

// RateLike reports whether an assessment is judged against its figure — a rate or a growth, whose
// 序时进度 is 100% at every date — rather than as progress toward a target over time.
func RateLike(a lingpao.Assessment) bool {
	return a.HasTarget && (a.Target.Form == lingpao.FormRate || a.Target.Form == lingpao.FormGrowth)
}

// TargetDiff is a rate's or a growth's actual figure less its target, in the indicator's own points
// (percentage points for a %), as printed with the indicator's decimals; ok is false for any other
// assessment, or one not measured.
func TargetDiff(ind lingpao.Indicator, a lingpao.Assessment) (float64, bool) {
	if !RateLike(a) || !a.Measured() {
		return 0, false
	}
	return printedDiff(ind, a), true
}

// TargetDiffText is TargetDiff with its sign (+1.6), or — when there is none.
func TargetDiffText(ind lingpao.Indicator, a lingpao.Assessment) string {
	d, ok := TargetDiff(ind, a)
	if !ok {
		return Placeholder
	}
	s := lingpao.FormatNumber(math.Abs(d), ind.Decimals)
	switch {
	case d > 0:
		return "+" + s
	case d < 0:
		return "-" + s
	}
	return s
}

// DiffUnit is the unit of TargetDiff: 百分点 for a percentage, else the indicator's unit.
func DiffUnit(ind lingpao.Indicator) string {
	if ind.Percent() {
		return "百分点"
	}
	return ind.Unit
}

// Column headers that say what their numbers are, shared by the renderers.
const (
	// HeadCompletion is completion: actual ÷ target (a milestone's increment from its baseline).
	HeadCompletion = "完成率"
	// HeadGap is completion less 序时进度, in percentage points: what status is decided on.
	HeadGap = "完成率−序时进度（百分点）"
	// HeadTargetDiff is a rate's or a growth's actual less its target, in its own points.
	HeadTargetDiff = "实际−目标"
)

// StatusRule states the status rule in force, for the notes of every report: 状态按“完成率−序时进度”
// 判定（保留一位小数）：高于+5为超序时，…
func StatusRule(th lingpao.Thresholds) string {
	on, far := lingpao.FormatNumber(th.OnTrack, decimalsOf(th.OnTrack)), lingpao.FormatNumber(th.FarBehind, decimalsOf(th.FarBehind))
	return fmt.Sprintf("完成率＝实际÷目标（里程碑目标按自基数起的增量计）；状态按“完成率−序时进度”（百分点，保留一位小数、四舍五入）判定：高于+%s为超序时，−%s至+%s（含）为基本同步，低于−%s但不低于−%s为滞后，低于−%s为严重滞后；增速、比率类指标的序时进度为100%%，另列“实际−目标”；任一集群未填报的指标为未报送，不排名、不计分",
		on, on, on, on, far, far)
}
