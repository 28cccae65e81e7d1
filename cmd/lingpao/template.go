package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"

	"lingpao"
	"lingpao/templates"
)

// runTemplate writes county return templates — each with its county's roster of the latest accepted
// return prefilled — or describes the template's contract.
func runTemplate(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "template", "--period P (--county C | --all) [--out D] [--dir D] | --describe")
	dir := fs.String("dir", defaultDir(), "工作目录")
	period := fs.String("period", "", "报送月份，如 2025-09")
	county := fs.String("county", "", "县（市、区）名称或代码")
	all := fs.Bool("all", false, "为本市每个县（市、区）各生成一份，放在以县名命名的子文件夹中")
	out := fs.String("out", ".", "输出目录")
	describe := fs.Bool("describe", false, "以 JSON 输出模板结构（工作表、表头行、列的代码/名称/单位/类型）")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	w, err := openWorkspace(ctx, e, *dir)
	if err != nil {
		return err
	}
	defer w.Close()
	if *describe {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(templates.Describe(w.Catalog))
	}
	p, err := lingpao.ParsePeriod(*period)
	if err != nil {
		return err
	}
	if p.Kind != lingpao.Month {
		return lingpao.Errorf(lingpao.EINVALID, "报表模板按月下发：--period 应为月份，如 2025-09。")
	}
	var units []lingpao.OrgUnit
	switch {
	case *all:
		units = w.Catalog.Tree.Counties(w.Config.City)
	case *county != "":
		u, err := w.Catalog.Tree.Find(*county)
		if err != nil {
			return err
		}
		if u.Level != lingpao.LevelCounty {
			return lingpao.Errorf(lingpao.EINVALID, "「%s」不是县级单位：模板按县（市、区）生成。", u.Name)
		}
		units = []lingpao.OrgUnit{u}
	default:
		fmt.Fprintln(e.stderr, "请用 --county 指定县（市、区），或用 --all 为全部县（市、区）生成。")
		return errUsage
	}
	deadline := w.Deadline(p)
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
		fmt.Fprintln(e.stdout, path)
	}
	fmt.Fprintf(e.stderr, "共 %d 份模板，报送截止 %s。\n", len(units), lingpao.FormatDateCN(deadline))
	return nil
}
