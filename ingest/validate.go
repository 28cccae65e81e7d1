package ingest

import (
	"context"
	"fmt"
	"math"

	"lingpao"
	"lingpao/templates"
)

// stockJump is the relative change of a stock between consecutive months beyond which a value is
// flagged for a check.
const stockJump = 0.30

// validate applies the rules that look across cells, sheets, periods and counties (PRODUCT §6.3). Cell
// rules (types, bounds, required) were applied while reading.
func (in *Ingester) validate(ctx context.Context, ret *templates.Return) ([]lingpao.Finding, error) {
	var fs []lingpao.Finding
	add := func(sev lingpao.Severity, rule, sheet, cell, value, msg string) {
		fs = append(fs, lingpao.Finding{Severity: sev, Rule: rule, Sheet: sheet, Cell: cell, Value: value, Message: msg})
	}
	type key struct{ cluster, ind string }
	vals := map[key]lingpao.Value{}
	for _, v := range ret.Values {
		vals[key{v.Cluster, v.Indicator}] = v
	}
	clusterName := func(code string) string {
		for _, c := range in.Catalog.ClustersOf(ret.Org) {
			if c.Code == code {
				return c.Name
			}
		}
		return code
	}
	num := func(v float64) string { return lingpao.FormatNumber(v, 2) }

	// Cross-field: a part never exceeds its whole.
	type pair struct{ part, whole, why string }
	pairs := []pair{{"little_giant", "srdi_sme", "专精特新“小巨人”企业是专精特新中小企业的一部分"}}
	for _, ind := range in.Catalog.Indicators {
		if ind.IsRatio() {
			pairs = append(pairs, pair{ind.Numerator, ind.Denominator, fmt.Sprintf("%s的分子不能大于分母", ind.Name)})
		}
	}
	for _, c := range in.Catalog.ClustersOf(ret.Org) {
		for _, p := range pairs {
			a, ok1 := vals[key{c.Code, p.part}]
			b, ok2 := vals[key{c.Code, p.whole}]
			if ok1 && ok2 && a.V > b.V {
				pi, _ := in.Catalog.Indicator(p.part)
				wi, _ := in.Catalog.Indicator(p.whole)
				add(lingpao.SevError, "cross.part_whole", a.Sheet, a.Cell, num(a.V),
					fmt.Sprintf("「%s」%s（%s）大于%s（%s，单元格 %s）：%s，请核对。", c.Name, pi.Name, lingpao.FormatNumber(a.V, pi.Decimals), wi.Name, lingpao.FormatNumber(b.V, wi.Decimals), b.Cell, p.why))
			}
		}
	}

	// Roster: check characters, duplicates, R&D within revenue.
	seen := map[string]int{}
	for _, e := range ret.Enterprises {
		name := e.Name
		if e.USCC == "" {
			add(lingpao.SevError, "required", templates.SheetRoster, fmt.Sprintf("C%d", e.Row), "", fmt.Sprintf("「%s」未填写统一社会信用代码：请补填18位代码。", name))
		} else if ok, why := lingpao.ValidUSCC(e.USCC); !ok {
			add(lingpao.SevError, "roster.uscc", templates.SheetRoster, fmt.Sprintf("C%d", e.Row), e.USCC, fmt.Sprintf("「%s」的%s：请对照营业执照核对。", name, why))
		} else if prev, dup := seen[e.USCC]; dup {
			add(lingpao.SevError, "roster.duplicate", templates.SheetRoster, fmt.Sprintf("C%d", e.Row), e.USCC, fmt.Sprintf("「%s」与第 %d 行是同一企业（统一社会信用代码相同）：请删除重复行。", name, prev))
		} else {
			seen[e.USCC] = e.Row
		}
		if e.Revenue != nil && e.RnD != nil && *e.RnD > *e.Revenue {
			add(lingpao.SevError, "cross.rnd_revenue", templates.SheetRoster, fmt.Sprintf("K%d", e.Row), num(*e.RnD), fmt.Sprintf("「%s」研发投入（%s万元）大于营业收入（%s万元）：请核对单位和数值。", name, num(*e.RnD), num(*e.Revenue)))
		}
	}

	// Cross-sheet: the roster cannot list more tagged enterprises than the cluster sheet counts.
	for _, c := range in.Catalog.ClustersOf(ret.Org) {
		for _, t := range []struct{ tag, ind string }{{lingpao.TagSRDI, "srdi_sme"}, {lingpao.TagLittleGiant, "little_giant"}} {
			v, ok := vals[key{c.Code, t.ind}]
			if !ok {
				continue
			}
			n := 0
			for _, e := range ret.Enterprises {
				if e.Cluster == c.Code && e.HasTag(t.tag) {
					n++
				}
			}
			if float64(n) > v.V {
				add(lingpao.SevWarning, "cross.roster_count", v.Sheet, v.Cell, num(v.V), fmt.Sprintf("「%s」企业名录中标为“%s”的企业有 %d 家，多于集群指标表填报的 %s 家：请核对两表。", c.Name, t.tag, n, lingpao.FormatNumber(v.V, 0)))
			}
		}
	}

	// Cross-period: YTD never falls within a year; stocks do not jump without explanation.
	if ret.Period.N > 1 {
		prevM := ret.Period.Add(-1)
		ds, _, err := in.Store.LoadDataSet(ctx, prevM, prevM, in.now().Add(1))
		if err != nil {
			return nil, err
		}
		for _, v := range ret.Values {
			ind, _ := in.Catalog.Indicator(v.Indicator)
			prev, ok := ds.Get(ret.Org, v.Cluster, v.Indicator, prevM)
			if !ok {
				continue
			}
			remark := ret.Remarks[v.Cluster].Text
			ask := "请核对；如确属调整，请在该行“备注（情况说明）”中写明原因。"
			if remark != "" {
				ask = "已有情况说明：" + remark
			}
			switch ind.Kind {
			case lingpao.KindYTD:
				if v.V < prev {
					add(lingpao.SevWarning, "period.ytd_decrease", v.Sheet, v.Cell, num(v.V), fmt.Sprintf("「%s」%s为本年累计数，本月 %s 小于上月 %s：%s", clusterName(v.Cluster), ind.Name, ind.Format(v.V), ind.Format(prev), ask))
				}
			case lingpao.KindStock:
				if prev > 0 && math.Abs(v.V-prev)/prev > stockJump && math.Abs(v.V-prev) >= 3 {
					add(lingpao.SevWarning, "period.stock_jump", v.Sheet, v.Cell, num(v.V), fmt.Sprintf("「%s」%s由上月 %s 变为 %s，变化超过 %d%%：%s", clusterName(v.Cluster), ind.Name, ind.Format(prev), ind.Format(v.V), int(stockJump*100), ask))
				}
			}
		}
	}
	return fs, nil
}
