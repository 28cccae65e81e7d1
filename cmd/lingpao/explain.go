package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"lingpao"
	"lingpao/jobs"
	"lingpao/reports"
)

// runExplain is `lingpao explain --period P --org O --indicator I`: how one figure of the reports was
// made — the figure, its kind and formula, every cell it comes from (county, cluster, return file,
// time of receipt, SHA-256, sheet and cell, value, carried forward or not), the target in force with
// its citation, 序时进度 and its derivation, and the status band applied.
func runExplain(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "explain", "--period P --org O --indicator I [--cutoff T] [--format text|json] [--dir D]")
	dir := fs.String("dir", defaultDir(), "工作目录（默认 $LINGPAO_DIR，否则当前目录）")
	period := fs.String("period", "", "期间：2025-09、2025Q3、2025H1 或 2025（按期末月份计算）")
	org := fs.String("org", "", "全市（如 石家庄市）或县（市、区）名称或代码")
	indicator := fs.String("indicator", "", "指标代码或名称，如 srdi_sme 或 专精特新中小企业数")
	cutoff := fs.String("cutoff", "", "数据截止时间（北京时间），如 2025-10-15T09:00；默认现在。用报告印出的截止时间可解释该版的数字")
	format := fs.String("format", "text", "输出格式：text 或 json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "多余的参数：%s\n", strings.Join(fs.Args(), " "))
		fs.Usage()
		return errUsage
	}
	if *period == "" || *org == "" || *indicator == "" {
		fmt.Fprintln(e.stderr, "请用 --period、--org 和 --indicator 指定要解释的数字，如 --period 2025-09 --org 鹿泉区 --indicator srdi_sme。")
		fs.Usage()
		return errUsage
	}
	p, err := lingpao.ParsePeriod(*period)
	if err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return lingpao.Errorf(lingpao.EINVALID, "输出格式「%s」不支持：请用 text 或 json。", *format)
	}
	var cut time.Time
	if *cutoff != "" {
		if cut, err = parseCutOff(*cutoff); err != nil {
			return err
		}
	}
	w, err := openWorkspace(ctx, e, *dir)
	if err != nil {
		return err
	}
	defer w.Close()
	ex, err := w.Explain(ctx, p, *org, *indicator, cut)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(ex)
	}
	writeExplanation(e, ex)
	return nil
}

// writeExplanation prints an explanation as text.
func writeExplanation(e *env, ex *jobs.Explanation) {
	out := e.stdout
	a := ex.Assessment
	ind := ex.Indicator
	fmt.Fprintf(out, "%s %s %s（数据截至 %s）\n", ex.Org.Name, ex.Period, ind.Name, reports.CutOffText(ex.CutOff))
	fmt.Fprintf(out, "数字：%s    状态：%s\n", ex.Figure, a.Status.Label())
	fmt.Fprintf(out, "类型与算法：%s\n", ex.Formula)
	fmt.Fprintf(out, "计算：%s\n\n", ex.Computation)
	fmt.Fprintln(out, "数据来源（逐个单元格）：")
	rows := [][]string{{"县（市、区）", "集群", "项目", "月份", "数值", "结转", "报表文件", "收到时间", "SHA-256", "工作表!单元格", "说明"}}
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
		rows = append(rows, []string{c.OrgName, orDash(c.ClusterName), item, c.Month, v, orDash(carried), orDash(file), orDash(received), orDash(sha), orDash(where), c.Note})
	}
	writeAligned(out, rows)
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
}
