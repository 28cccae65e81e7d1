package main

import (
	"context"
	"fmt"

	"lingpao"
	"lingpao/jobs"
	"lingpao/reports"
)

// runExplain is `lingpao explain --period P --org O --indicator I`: how one figure of the reports was
// made — the figure, its kind and formula, every cell it comes from (county, cluster, return file,
// time of receipt, SHA-256, sheet and cell, value, carried forward or not), the target in force with
// its citation, 序时进度 and its derivation, and the status band applied.
func runExplain(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "--period P --org O --indicator I [--cutoff T] [--format text|json] [--dir D]")
	f.Dir()
	period := f.Period("period", "", "期间：2025-09、2025Q3、2025H1 或 2025（按期末月份计算）")
	org := f.String("org", "", "全市（如 石家庄市）或县（市、区）名称或代码")
	indicator := f.String("indicator", "", "指标代码或名称，如 srdi_sme 或 专精特新中小企业数")
	cutoff := f.Time("cutoff", "数据截止时间（北京时间），如 2025-10-15T09:00；默认现在。用报告印出的截止时间可解释该版的数字", parseCutOff)
	format := f.Format("text", "json")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if period.IsZero() || *org == "" || *indicator == "" {
		return f.usagef("请用 --period、--org 和 --indicator 指定要解释的数字，如 --period 2025-09 --org 鹿泉区 --indicator srdi_sme。")
	}
	w, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer w.Close()
	ex, err := w.Explain(ctx, *period, *org, *indicator, *cutoff)
	if err != nil {
		return err
	}
	if *format == "json" {
		return writeJSON(e.stdout, ex)
	}
	return writeExplanation(e, ex)
}

// writeExplanation prints an explanation as text.
func writeExplanation(e *env, ex *jobs.Explanation) error {
	out := e.stdout
	a := ex.Assessment
	ind := ex.Indicator
	fmt.Fprintf(out, "%s %s %s（数据截至 %s）\n", ex.Org.Name, ex.Period, ind.Name, reports.CutOffText(ex.CutOff))
	fmt.Fprintf(out, "数字：%s    状态：%s\n", ex.Figure, a.Status.Label())
	fmt.Fprintf(out, "类型与算法：%s\n", ex.Formula)
	fmt.Fprintf(out, "计算：%s\n\n", ex.Computation)
	fmt.Fprintln(out, "数据来源（逐个单元格）：")
	tbl := newTable("县（市、区）", "集群", "项目", "月份", "数值", "结转", "报表文件", "收到时间", "SHA-256", "工作表!单元格", "说明").alignRight(4)
	for _, c := range ex.Contributions {
		v := c.Text
		carried := ""
		if c.Carried {
			carried = "是（取" + c.Month + "）"
		}
		item := c.IndicatorName
		if c.Role != "" {
			item += "（" + c.Role + "）"
		}
		received, sha, where := "", "", ""
		if !c.ReceivedAt.IsZero() {
			received = c.ReceivedAt.In(lingpao.Beijing).Format("2006-01-02 15:04:05")
		}
		if len(c.SHA256) >= 12 {
			sha = c.SHA256[:12] + "…"
		}
		if c.Sheet != "" {
			where = c.Sheet
			if c.Cell != "" {
				where += "!" + c.Cell
			}
		}
		file := c.File
		if c.Version > 0 {
			file = fmt.Sprintf("%s（第%d版）", c.File, c.Version)
		}
		tbl.add(c.OrgName, orDash(c.ClusterName), item, c.Month, v, orDash(carried), orDash(file), orDash(received), orDash(sha), orDash(where), c.Note)
	}
	if err := tbl.write(out, e.width); err != nil {
		return err
	}
	fmt.Fprintln(out)
	if t := ex.Target; t != nil {
		fmt.Fprintf(out, "目标：%s（%s；%s）", t.Value, t.Form, t.Judge)
		if t.Inherited != "" {
			fmt.Fprintf(out, "，比率/增速目标与%s相同", t.Inherited)
		}
		fmt.Fprintln(out)
		if t.Text != "" {
			fmt.Fprintf(out, "  原文要点：%s\n", t.Text)
		}
		if t.Baseline != "" {
			fmt.Fprintf(out, "  基数：%s，起点 %s\n", t.Baseline, t.Start)
		}
		if t.Due != "" {
			fmt.Fprintf(out, "  到期：%s\n", t.Due)
		}
		fmt.Fprintf(out, "  依据：%s\n", t.Citation)
	} else {
		fmt.Fprintln(out, "目标：无")
	}
	if ex.Expected != "" {
		fmt.Fprintf(out, "序时进度：%s\n", ex.Expected)
	}
	if a.Measured() {
		fmt.Fprintf(out, "完成率：%s\n", reports.CompletionText(a))
	}
	fmt.Fprintf(out, "状态：%s\n", ex.Band)
	for _, n := range ex.Notes {
		fmt.Fprintf(out, "说明：%s\n", n)
	}
	return nil
}
