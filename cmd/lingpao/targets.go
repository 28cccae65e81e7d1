package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"lingpao"
	"lingpao/seeds"
)

// targetsActions are the actions of `lingpao targets`: list the targets, export the allocation
// workbook, import a filled one as a new targets version, list the versions.
func targetsActions() []command {
	return []command{
		{"list", "列出各文件规定的目标任务及出处（工作目录中为现行目标，含已导入的分解）", runTargetsList},
		{"export", "导出目标分解表 FILE（.xlsx），在其中填写各县分解值", runTargetsExport},
		{"import", "导入填好的目标分解表 FILE：核对合计，形成新的目标版本", runTargetsImport},
		{"versions", "目标版本的历史；最新的为现行版本", runTargetsVersions},
	}
}

func runTargetsList(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "[--dir D] [--org 名称或编码] [--format table|csv|json] [--examples]")
	dir := f.Dir()
	org := f.String("org", "", "只列出该组织单元及其下级的目标，填名称或编码，如 石家庄市、鹿泉区、130110")
	format := f.Format("table", "csv", "json")
	examples := f.Bool("examples", false, "同时列出示例分解（allocation_example.yaml 中的各县目标）")
	if _, err := f.parse(args); err != nil {
		return err
	}

	// In a workspace the targets in force are listed (imported allocations included); elsewhere the
	// seed targets.
	var cat *lingpao.Catalog
	if _, err := os.Stat(filepath.Join(*dir, lingpao.ConfigFile)); err == nil {
		w, err := f.open(ctx)
		if err != nil {
			return err
		}
		defer w.Close()
		cat = w.Catalog
	} else if cat, err = seeds.LoadWorkspace(*dir); err != nil {
		return err
	}
	rows, err := targetRows(cat, *org, *examples)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		return writeJSON(e.stdout, rows)
	case "csv":
		return writeTargetsCSV(e.stdout, rows)
	}
	return writeTargetsTable(e, rows)
}

// runTargetsExport is `lingpao targets export FILE`: the allocation workbook of the city's targets.
func runTargetsExport(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "FILE [--dir D] [--from 年份]")
	f.Dir()
	from := f.Int("from", 0, "从哪一年起分解（默认今年）；更早到期的节点目标和更早年份的每年目标不列出")
	pos, err := f.parse(args, "FILE")
	if err != nil {
		return err
	}
	file := pos[0]
	if !strings.HasSuffix(strings.ToLower(file), ".xlsx") {
		return f.usagef("目标分解表请存为 .xlsx 文件，如 目标分解表.xlsx（现为 %s）。", file)
	}
	if *from != 0 && (*from < 2000 || *from > 2100) {
		return f.usagef("--from 应为年份，如 --from 2025（现为 %d）。", *from)
	}
	w, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer w.Close()
	spec, err := w.ExportTargets(ctx, file, *from)
	if err != nil {
		return err
	}
	allocated := 0
	for _, b := range spec.Blocks {
		if len(b.Shares) > 0 {
			allocated++
		}
	}
	fmt.Fprintf(e.stdout, "已导出目标分解表：%s\n%d 项目标（%d 年起，其中 %d 项已有分解）× %d 个县（市、区），目标版本 %d。\n",
		file, len(spec.Blocks), spec.FromYear, allocated, len(spec.Counties), spec.TargetsVersion)
	if len(spec.Inherited) > 0 {
		fmt.Fprintf(e.stdout, "比率、增速类目标 %d 项不分解，各县按全市目标考核。\n", len(spec.Inherited))
	}
	fmt.Fprintf(e.stdout, "在“目标分解”表的黄色单元格中填写各县分解值，保存后运行：lingpao targets import %s\n", file)
	return nil
}

// runTargetsImport is `lingpao targets import FILE`: check a filled allocation workbook and record it
// as a new targets version, or list what is wrong.
func runTargetsImport(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "FILE [--dir D] [--format table|json]")
	f.Dir()
	format := f.Format("table", "json")
	pos, err := f.parse(args, "FILE")
	if err != nil {
		return err
	}
	file := pos[0]
	w, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer w.Close()
	res, err := w.ImportTargets(ctx, file)
	if res == nil {
		return err
	}
	if *format == "json" {
		if jerr := writeJSON(e.stdout, res); jerr != nil {
			return jerr
		}
		return err
	}
	if len(res.Findings) > 0 {
		t := newTable("级别", "工作表", "单元格", "数值", "说明")
		for _, f := range res.Findings {
			t.add(f.Severity.Label(), orDash(f.Sheet), orDash(f.Cell), orDash(f.Value), f.Message)
		}
		t.write(e.stdout, e.width)
		fmt.Fprintln(e.stdout)
	}
	if len(res.Blocks) > 0 {
		t := newTable("指标", "期限", "全市目标", "分解合计", "差额", "核对", "变动").alignRight(2, 3, 4)
		for _, b := range res.Blocks {
			check, sum, diff := "相符", lingpao.FormatNumber(b.Sum, decimalsOf(b.Sum))+b.Unit, signedNumber(b.Diff)
			switch {
			case b.Cleared:
				check, sum, diff = "取消分解", "—", "—"
			case b.Invalid:
				check, sum, diff = "有误", "—", "—"
			case !b.OK:
				check = "不相符"
			}
			t.add(b.Indicator, b.Period, b.Target, sum, diff, check, fmt.Sprintf("%d个县", b.Changed))
		}
		t.write(e.stdout, e.width)
		fmt.Fprintln(e.stdout)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "已导入 %s：形成目标版本 %d（%d 项目标、%d 个县级分解值），此前的版本保留。\n", res.File, res.Version, len(res.Blocks), res.Shares)
	return nil
}

// runTargetsVersions is `lingpao targets versions`: the history of the targets.
func runTargetsVersions(ctx context.Context, e *env, args []string) error {
	f := newFlags(e, "[--dir D] [--format table|json]")
	f.Dir()
	format := f.Format("table", "json")
	if _, err := f.parse(args); err != nil {
		return err
	}
	w, err := f.open(ctx)
	if err != nil {
		return err
	}
	defer w.Close()
	vs, err := w.Store.TargetVersions(ctx)
	if err != nil {
		return err
	}
	if *format == "json" {
		type version struct {
			Version int    `json:"version"`
			Current bool   `json:"current"`
			Created string `json:"created_at"`
			Source  string `json:"source"`
			Targets int    `json:"targets"`
			Note    string `json:"note"`
		}
		out := make([]version, 0, len(vs))
		for _, v := range vs {
			out = append(out, version{v.Version, v.Version == w.TargetsVersion, v.CreatedAt, v.Source, v.Targets, v.Note})
		}
		return writeJSON(e.stdout, out)
	}
	t := newTable("版本", "时间", "来源", "目标数", "说明").alignRight(3)
	for _, v := range vs {
		ver := strconv.Itoa(v.Version)
		if v.Version == w.TargetsVersion {
			ver += "（现行）"
		}
		src := v.Source
		if src == "seeds" {
			src = "种子数据"
		}
		t.add(ver, v.CreatedAt, src, strconv.Itoa(v.Targets), v.Note)
	}
	return t.write(e.stdout, e.width)
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// decimalsOf is how many decimals v needs, at most 4.
func decimalsOf(v float64) int {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return min(len(s)-i-1, 4)
	}
	return 0
}

// signedNumber renders a difference with its sign: +3, −5, 0.
func signedNumber(v float64) string {
	s := lingpao.FormatNumber(v, decimalsOf(v))
	switch {
	case v > 0:
		return "+" + s
	case v < 0:
		return "−" + strings.TrimPrefix(s, "-")
	}
	return "0"
}

// targetRow is one target as `targets list` shows it.
type targetRow struct {
	ID            string   `json:"id"`
	Org           string   `json:"org"`
	OrgCode       string   `json:"org_code"`
	IndicatorCode string   `json:"indicator_code"`
	IndicatorName string   `json:"indicator_name"`
	Unit          string   `json:"unit"`
	Kind          string   `json:"kind"`
	Form          string   `json:"form"`
	Comparison    string   `json:"comparison"`
	Value         *float64 `json:"value"`
	Min           *float64 `json:"min"`
	Max           *float64 `json:"max"`
	Baseline      *float64 `json:"baseline"`
	Start         *string  `json:"start"`
	Due           string   `json:"due"`
	FromYear      *int     `json:"from_year"`
	ToYear        *int     `json:"to_year"`
	ValueText     string   `json:"value_text"`
	Period        string   `json:"period"`
	Citation      string   `json:"citation"`
	Text          string   `json:"text"`
	Note          string   `json:"note,omitempty"`
	Example       bool     `json:"example"`
}

// targetRows selects the targets of org (a name or code; "" for all) and the units under it, in tree
// order, then catalog indicator order, then due date. Examples are left out unless asked for.
func targetRows(cat *lingpao.Catalog, org string, examples bool) ([]targetRow, error) {
	root := ""
	if org != "" {
		u, err := cat.Tree.Find(strings.TrimSpace(org))
		if err != nil {
			return nil, err
		}
		root = u.Code
	}
	orgIdx := map[string]int{}
	for i, u := range cat.Tree.Units() {
		orgIdx[u.Code] = i
	}
	indIdx := map[string]int{}
	for i, ind := range cat.Indicators {
		indIdx[ind.Code] = i
	}
	var ts []lingpao.Target
	for _, t := range cat.Targets {
		if (t.Example && !examples) || (root != "" && !cat.Tree.IsUnder(t.Org, root)) {
			continue
		}
		ts = append(ts, t)
	}
	sort.SliceStable(ts, func(i, j int) bool {
		a, b := ts[i], ts[j]
		if orgIdx[a.Org] != orgIdx[b.Org] {
			return orgIdx[a.Org] < orgIdx[b.Org]
		}
		if indIdx[a.Indicator] != indIdx[b.Indicator] {
			return indIdx[a.Indicator] < indIdx[b.Indicator]
		}
		if !a.Due.Equal(b.Due) {
			return a.Due.Before(b.Due)
		}
		return a.ID < b.ID
	})
	rows := make([]targetRow, 0, len(ts))
	for _, t := range ts {
		ind, _ := cat.Indicator(t.Indicator)
		r := targetRow{
			ID: t.ID, Org: cat.Tree.Name(t.Org), OrgCode: t.Org,
			IndicatorCode: ind.Code, IndicatorName: ind.Name, Unit: ind.Unit, Kind: string(ind.Kind),
			Form: string(t.Form), Comparison: string(t.Comp),
			Value: t.Value, Min: t.Min, Max: t.Max, Baseline: t.Baseline,
			Due: lingpao.FormatDate(t.Due), ValueText: t.ValueText(ind), Period: periodLabel(t),
			Citation: t.Citation, Text: t.Text, Note: t.Note, Example: t.Example,
		}
		if !t.Start.IsZero() {
			s := lingpao.FormatDate(t.Start)
			r.Start = &s
		}
		if t.FromYear != 0 {
			from, to := t.FromYear, t.ToYear
			r.FromYear, r.ToYear = &from, &to
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// formLabels are the Chinese names of the target forms.
var formLabels = map[lingpao.TargetForm]string{
	lingpao.FormMilestone:  "节点",
	lingpao.FormAnnual:     "每年",
	lingpao.FormCumulative: "累计",
	lingpao.FormRate:       "比率",
	lingpao.FormGrowth:     "增速",
}

// periodLabel says when a target applies: "2025年底", "2022—2025年每年", "2025—2027年累计".
func periodLabel(t lingpao.Target) string {
	due := t.Due.In(lingpao.Beijing)
	yearEnd := due.Month() == 12 && due.Day() == 31
	switch t.Form {
	case lingpao.FormAnnual, lingpao.FormGrowth:
		if t.FromYear == t.ToYear {
			return fmt.Sprintf("%d年", t.FromYear)
		}
		return fmt.Sprintf("%d—%d年每年", t.FromYear, t.ToYear)
	case lingpao.FormCumulative:
		s := t.Start.In(lingpao.Beijing)
		if s.Month() == 1 && s.Day() == 1 && yearEnd {
			if s.Year() == due.Year() {
				return fmt.Sprintf("%d年累计", s.Year())
			}
			return fmt.Sprintf("%d—%d年累计", s.Year(), due.Year())
		}
		return lingpao.FormatDate(t.Start) + "至" + lingpao.FormatDate(t.Due) + "累计"
	}
	if yearEnd {
		return fmt.Sprintf("%d年底", due.Year())
	}
	return lingpao.FormatDateCN(t.Due)
}

// writeTargetsCSV writes UTF-8 with a byte-order mark, so that Excel opens the Chinese correctly.
func writeTargetsCSV(w io.Writer, rows []targetRow) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write([]string{"组织", "组织编码", "指标代码", "指标", "单位", "指标类型", "形式", "比较", "目标值", "下限", "上限", "基数",
		"开始", "期限", "起始年", "终止年", "目标", "适用期", "出处", "目标表述", "说明", "示例"})
	num := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', -1, 64)
	}
	str := func(s *string) string {
		if s == nil {
			return ""
		}
		return *s
	}
	year := func(y *int) string {
		if y == nil {
			return ""
		}
		return strconv.Itoa(*y)
	}
	for _, r := range rows {
		example := ""
		if r.Example {
			example = "是"
		}
		cw.Write([]string{r.Org, r.OrgCode, r.IndicatorCode, r.IndicatorName, r.Unit, lingpao.Kind(r.Kind).Label(),
			formLabels[lingpao.TargetForm(r.Form)], lingpao.Comparison(r.Comparison).Label(), num(r.Value), num(r.Min), num(r.Max),
			num(r.Baseline), str(r.Start), r.Due, year(r.FromYear), year(r.ToYear), r.ValueText, r.Period, r.Citation, r.Text,
			r.Note, example})
	}
	cw.Flush()
	return cw.Error()
}

func writeTargetsTable(e *env, rows []targetRow) error {
	if len(rows) == 0 {
		_, err := fmt.Fprintln(e.stdout, "没有符合条件的目标任务。")
		return err
	}
	t := newTable("组织", "指标", "目标", "期限", "形式", "出处")
	for _, r := range rows {
		org := r.Org
		if r.Example {
			org += "（示例）"
		}
		t.add(org, r.IndicatorName, r.ValueText, r.Period, formLabels[lingpao.TargetForm(r.Form)], r.Citation)
	}
	if err := t.write(e.stdout, e.width); err != nil {
		return err
	}
	_, err := fmt.Fprintf(e.stdout, "\n共 %d 条目标任务。\n", len(rows))
	return err
}
