package reports

import (
	"fmt"
	"math"
	"strings"

	"lingpao"
)

// HalfYear is the content of the 半年总结 (PRODUCT §8.3): the bulletin of the half year with a
// year-on-year comparison of the city's figures.
type HalfYear struct {
	*Bulletin
	// YoY compares each indicator of the report with the same month of last year; YoYText words it.
	YoY     []YoYRow `json:"yoy"`
	YoYText string   `json:"yoy_text"`
}

// YoYRow is one indicator of the city this year and at the same month of last year (同比).
type YoYRow struct {
	Indicator lingpao.Indicator `json:"indicator"`
	This      lingpao.Actual    `json:"this"`
	Last      lingpao.Actual    `json:"last"`
	// Change is This − Last (for a ratio or a growth, in percentage points); Rate is This ÷ Last − 1
	// for counts and flows (HasRate false when last year's figure is zero or missing).
	Change  float64 `json:"change"`
	Rate    float64 `json:"rate"`
	HasRate bool    `json:"has_rate"`
}

// Comparable reports whether both years have a figure.
func (r YoYRow) Comparable() bool { return r.This.OK && r.Last.OK }

// BuildHalfYear builds the 半年总结 for in.Period (a half year; the first half is the usual one).
func BuildHalfYear(in Input) *HalfYear {
	title := fmt.Sprintf("%s全市县域特色产业集群发展情况总结", in.Period.Label())
	h := &HalfYear{Bulletin: in.bulletin(title, "总结")}
	h.Issue = fmt.Sprintf("%d年%s总结", in.Period.Year, map[int]string{1: "上半年", 2: "下半年"}[in.Period.N])
	h.YoY = in.yoy(allTables(in.groups(in.counties())))
	h.YoYText = yoyText(h.YoY)
	return h
}

// Figures are the summary's figures, for editions: the bulletin's and last year's.
func (h *HalfYear) Figures() []Figure {
	fs := h.Bulletin.Figures()
	for _, r := range h.YoY {
		text := lingpao.StatusMissing.Label()
		if r.Last.OK {
			text = r.Indicator.Format(r.Last.Value)
		}
		fs = append(fs, Figure{Org: "", Name: "上年同期", Item: r.Indicator.Name, Text: text})
	}
	return fs
}

// yoy compares the city's figure of each table's indicator with the same month last year; for a YTD
// flow that is the same months' flow.
func (in Input) yoy(tables []Table) []YoYRow {
	m := in.Period.LastMonth()
	last := lingpao.MonthOf(m.Year-1, m.N)
	var orgs []string
	for _, c := range in.counties() {
		orgs = append(orgs, c.Code)
	}
	var out []YoYRow
	for _, t := range tables {
		ind := t.Indicator
		r := YoYRow{Indicator: ind, This: t.Total.A.Actual}
		if t.Total.A.HasTarget && t.Total.A.Target.Form == lingpao.FormCumulative {
			// A plan-cumulative figure runs over years; compare this year's own flow instead.
			r.This = in.Data.ActualCarried(in.Catalog, ind, orgs, "", m)
		}
		r.Last = in.Data.ActualCarried(in.Catalog, ind, orgs, "", last)
		if r.Comparable() {
			r.Change = r.This.Value - r.Last.Value
			if ind.Kind == lingpao.KindStock || ind.Kind == lingpao.KindYTD {
				if r.Last.Value != 0 {
					r.Rate, r.HasRate = r.This.Value/r.Last.Value-1, true
				}
			}
		}
		out = append(out, r)
	}
	return out
}

// yoyText words the comparison with last year of the headline indicators that have both years.
func yoyText(rows []YoYRow) string {
	var parts []string
	missing := 0
	for _, r := range rows {
		if !r.Indicator.Headline {
			continue // the narrative takes the headline indicators; the table has every one
		}
		if !r.Comparable() {
			missing++
			continue
		}
		ind := r.Indicator
		subj := Subject(ind)
		switch ind.Kind {
		case lingpao.KindStock, lingpao.KindYTD:
			dir := "增加"
			if r.Change < 0 {
				dir = "减少"
			}
			s := fmt.Sprintf("%s%s，比上年同期%s%s", subj, ind.Format(r.This.Value), dir, lingpao.FormatNumber(math.Abs(r.Change), ind.Decimals)+ind.Unit)
			if r.HasRate {
				s += fmt.Sprintf("（%s%s%%）", map[bool]string{true: "增长", false: "下降"}[r.Rate >= 0], lingpao.FormatNumber(math.Abs(r.Rate*100), 1))
			}
			parts = append(parts, s)
		case lingpao.KindRatio, lingpao.KindCoverage:
			if math.Abs(r.Change) < 0.005 {
				parts = append(parts, fmt.Sprintf("%s为%s，与上年同期持平", ind.Name, ind.Format(r.This.Value)))
				continue
			}
			parts = append(parts, fmt.Sprintf("%s为%s，比上年同期%s%s个百分点", ind.Name, ind.Format(r.This.Value),
				map[bool]string{true: "提高", false: "降低"}[r.Change > 0], lingpao.FormatNumber(math.Abs(r.Change), ind.Decimals)))
		case lingpao.KindGrowth:
			parts = append(parts, fmt.Sprintf("%s为%s，上年同期为%s", ind.Name, ind.Format(r.This.Value), ind.Format(r.Last.Value)))
		}
	}
	if len(parts) == 0 {
		return "上年同期没有可比的报送数据，本期暂不作同比分析。"
	}
	s := "与上年同期相比，" + strings.Join(parts, "；") + "。"
	if missing > 0 {
		s += fmt.Sprintf("另有%d项主要指标上年同期无报送数据，未作比较。", missing)
	}
	return s
}
