package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"

	"lingpao"
	"lingpao/templates"
)

// runTemplate writes county return templates — each with its county's roster of the latest accepted
// return prefilled — or describes the template's contract.
func runTemplate(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "--period P (--county C | --all) [--out D] [--dir D] | --describe")
	f.Dir()
	period := f.Period("period", "", "报送月份，如 2025-09", lingpao.Month)
	county := f.String("county", "", "县（市、区）名称或代码")
	all := f.Bool("all", false, "为本市每个县（市、区）各生成一份，放在以县名命名的子文件夹中")
	out := f.String("out", ".", "输出目录")
	describe := f.Bool("describe", false, "以 JSON 输出模板结构（工作表、表头行、列的代码/名称/单位/类型）")
	if _, err := f.parse(args); err != nil {
		return err
	}
	if !*describe {
		switch {
		case period.IsZero():
			return f.usagef("请用 --period 指定报送月份，如 --period 2025-09。")
		case *county == "" && !*all:
			return f.usagef("请用 --county 指定县（市、区），或用 --all 为全部县（市、区）生成。")
		case *county != "" && *all:
			return f.usagef("--county 和 --all 只能用一个。")
		}
	}
	w, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer w.Close()
	if *describe {
		return writeJSON(e.stdout, templates.Describe(w.Catalog))
	}
	p := *period
	units := w.Catalog.Tree.Counties(w.Config.City)
	if !*all {
		u, err := w.Catalog.Tree.Find(*county)
		if err != nil {
			return err
		}
		if u.Level != lingpao.LevelCounty {
			return lingpao.Errorf(lingpao.EINVALID, "「%s」不是县级单位：模板按县（市、区）生成。", u.Name)
		}
		units = []lingpao.OrgUnit{u}
	}
	deadline := w.Deadline(p)
	// The paths go to stdout once the bar is done with the terminal.
	var paths []string
	defer func() {
		for _, p := range paths {
			fmt.Fprintln(e.stdout, p)
		}
	}()
	var bar *progress
	if len(units) > 1 {
		bar = e.progress("生成模板", len(units))
		defer bar.stop()
	}
	for _, u := range units {
		path := filepath.Join(*out, fmt.Sprintf("%s_%s.xlsx", p, u.Name))
		if *all {
			path = filepath.Join(*out, u.Name, fmt.Sprintf("%s_%s.xlsx", p, u.Name))
		}
		// The roster of the county's latest accepted return (clerks update figures, not names) and its
		// problems on the city's issue ledger, with their status.
		spec, err := w.TemplateSpec(ctx, u, p)
		if err != nil {
			return err
		}
		if err := lingpao.WriteFileAtomic(path, func(wr io.Writer) error { return templates.Generate(wr, w.Catalog, spec) }); err != nil {
			return err
		}
		paths = append(paths, path)
		bar.step()
	}
	fmt.Fprintf(e.stderr, "共 %d 份模板，报送截止 %s。\n", len(units), lingpao.FormatDateCN(deadline))
	return nil
}
