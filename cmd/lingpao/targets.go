package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
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

const targetsSynopsis = "list [--dir D] [--org 名称或编码] [--format table|csv|json] [--examples] | export FILE [--dir D] [--from 年份] | import FILE [--dir D] [--format table|json] | versions [--dir D]"

// runTargets is `lingpao targets`: list the targets, export the allocation workbook, import a filled
// one as a new targets version, list the versions.
func runTargets(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintf(e.stderr, "用法：lingpao targets %s\n", targetsSynopsis)
		return errUsage
	}
	switch args[0] {
	case "list":
		return runTargetsList(ctx, e, args[1:])
	case "export":
		return runTargetsExport(ctx, e, args[1:])
	case "import":
		return runTargetsImport(ctx, e, args[1:])
	case "versions":
		return runTargetsVersions(ctx, e, args[1:])
	case "-h", "--help", "help":
		fmt.Fprintf(e.stderr, "用法：lingpao targets %s\n", targetsSynopsis)
		return nil
	}
	fmt.Fprintf(e.stderr, "未知操作「%s」。用法：lingpao targets %s\n", args[0], targetsSynopsis)
	return errUsage
}

func runTargetsList(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "targets list", "[--dir D] [--org 名称或编码] [--format table|csv|json] [--examples]")
	dir := fs.String("dir", defaultDir(), "工作目录（默认 $LINGPAO_DIR，否则当前目录）")
	org := fs.String("org", "", "只列出该组织单元及其下级的目标，填名称或编码，如 石家庄市、鹿泉区、130110")
	format := fs.String("format", "table", "输出格式：table、csv 或 json")
	examples := fs.Bool("examples", false, "同时列出示例分解（allocation_example.yaml 中的各县目标）")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "多余的参数：%s\n", strings.Join(fs.Args(), " "))
		fs.Usage()
		return errUsage
	}
	switch *format {
	case "table", "csv", "json":
	default:
		return lingpao.Errorf(lingpao.EINVALID, "输出格式「%s」不支持：请用 table、csv 或 json。", *format)
	}

	// In a workspace the targets in force are listed (imported allocations included); elsewhere the
	// seed targets.
	var cat *lingpao.Catalog
	if _, err := os.Stat(filepath.Join(*dir, lingpao.ConfigFile)); err == nil {
		w, err := openWorkspace(ctx, e, *dir)
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
		return writeTargetsJSON(e.stdout, rows)
	case "csv":
		return writeTargetsCSV(e.stdout, rows)
	}
	return writeTargetsTable(e.stdout, rows)
}

// parseWithFile parses args that hold one file name among the flags (export FILE --dir D, or
// --dir D export FILE) and returns the file name.
func parseWithFile(e *env, fs *flag.FlagSet, args []string) (string, error) {
	var files []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return "", err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) != 1 {
		fmt.Fprintln(e.stderr, "请给出一个文件名。")
		fs.Usage()
		return "", errUsage
	}
	return files[0], nil
}

// runTargetsExport is `lingpao targets export FILE`: the allocation workbook of the city's targets.
func runTargetsExport(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "targets export", "FILE [--dir D] [--from 年份]")
	dir := fs.String("dir", defaultDir(), "工作目录（默认 $LINGPAO_DIR，否则当前目录）")
	from := fs.Int("from", 0, "从哪一年起分解（默认今年）；更早到期的节点目标和更早年份的每年目标不列出")
	file, err := parseWithFile(e, fs, args)
	if err != nil {
		return err
	}
	if !strings.HasSuffix(strings.ToLower(file), ".xlsx") {
		return lingpao.Errorf(lingpao.EINVALID, "目标分解表请存为 .xlsx 文件，如 目标分解表.xlsx（现为 %s）。", file)
	}
	w, err := openWorkspace(ctx, e, *dir)
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
	fs := newFlagSet(e, "targets import", "FILE [--dir D] [--format table|json]")
	dir := fs.String("dir", defaultDir(), "工作目录（默认 $LINGPAO_DIR，否则当前目录）")
	format := fs.String("format", "table", "输出格式：table 或 json")
	file, err := parseWithFile(e, fs, args)
	if err != nil {
		return err
	}
	if *format != "table" && *format != "json" {
		return lingpao.Errorf(lingpao.EINVALID, "输出格式「%s」不支持：请用 table 或 json。", *format)
	}
	w, err := openWorkspace(ctx, e, *dir)
	if err != nil {
		return err
	}
	defer w.Close()
	res, err := w.ImportTargets(ctx, file)
	if res == nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if jerr := enc.Encode(res); jerr != nil {
			return jerr
		}
		return err
	}
	if len(res.Findings) > 0 {
		cells := [][]string{{"级别", "工作表", "单元格", "数值", "说明"}}
		for _, f := range res.Findings {
			cells = append(cells, []string{f.Severity.Label(), orDash(f.Sheet), orDash(f.Cell), orDash(f.Value), f.Message})
		}
		writeAligned(e.stdout, cells)
		fmt.Fprintln(e.stdout)
	}
	if len(res.Blocks) > 0 {
		cells := [][]string{{"指标", "期限", "全市目标", "分解合计", "差额", "核对", "变动"}}
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
			cells = append(cells, []string{b.Indicator, b.Period, b.Target, sum, diff, check, fmt.Sprintf("%d个县", b.Changed)})
		}
		writeAligned(e.stdout, cells)
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
	fs := newFlagSet(e, "targets versions", "[--dir D]")
	dir := fs.String("dir", defaultDir(), "工作目录（默认 $LINGPAO_DIR，否则当前目录）")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	w, err := openWorkspace(ctx, e, *dir)
	if err != nil {
		return err
	}
	defer w.Close()
	vs, err := w.Store.TargetVersions(ctx)
	if err != nil {
		return err
	}
	cells := [][]string{{"版本", "时间", "来源", "目标数", "说明"}}
	for _, v := range vs {
		ver := strconv.Itoa(v.Version)
		if v.Version == w.TargetsVersion {
			ver += "（现行）"
		}
		src := v.Source
		if src == "seeds" {
			src = "种子数据"
		}
		cells = append(cells, []string{ver, v.CreatedAt, src, strconv.Itoa(v.Targets), v.Note})
	}
	writeAligned(e.stdout, cells)
	return nil
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

func writeTargetsJSON(w io.Writer, rows []targetRow) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(rows)
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

func writeTargetsTable(w io.Writer, rows []targetRow) error {
	if len(rows) == 0 {
		_, err := fmt.Fprintln(w, "没有符合条件的目标任务。")
		return err
	}
	cells := [][]string{{"组织", "指标", "目标", "期限", "形式", "出处"}}
	for _, r := range rows {
		org := r.Org
		if r.Example {
			org += "（示例）"
		}
		cells = append(cells, []string{org, r.IndicatorName, r.ValueText, r.Period,
			formLabels[lingpao.TargetForm(r.Form)], r.Citation})
	}
	writeAligned(w, cells)
	_, err := fmt.Fprintf(w, "\n共 %d 条目标任务。\n", len(rows))
	return err
}

// writeAligned writes cells as columns padded to their display width (CJK characters take two
// columns), with a rule under the header. The last column is not padded.
func writeAligned(w io.Writer, cells [][]string) {
	widths := make([]int, len(cells[0]))
	for _, row := range cells {
		for i, c := range row {
			widths[i] = max(widths[i], displayWidth(c))
		}
	}
	line := func(row []string) {
		var b strings.Builder
		for i, c := range row {
			b.WriteString(c)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(c)+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	line(cells[0])
	rule := make([]string, len(widths))
	for i, wd := range widths {
		rule[i] = strings.Repeat("-", wd)
	}
	line(rule)
	for _, row := range cells[1:] {
		line(row)
	}
}

// displayWidth is the number of terminal columns s takes: East Asian wide and fullwidth characters
// count two, everything else one (ambiguous-width punctuation such as “” and — counts one, as most
// terminals outside CJK locales render it).
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		if isWide(r) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func isWide(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r <= 0x115F, // Hangul Jamo
		r >= 0x2E80 && r <= 0x303E, // CJK radicals, punctuation (、。〔〕《》…)
		r >= 0x3041 && r <= 0x33FF, // kana, CJK compatibility
		r >= 0x3400 && r <= 0x4DBF, // CJK extension A
		r >= 0x4E00 && r <= 0x9FFF, // CJK unified ideographs
		r >= 0xA000 && r <= 0xA4CF, // Yi
		r >= 0xAC00 && r <= 0xD7A3, // Hangul syllables
		r >= 0xF900 && r <= 0xFAFF, // CJK compatibility ideographs
		r >= 0xFE30 && r <= 0xFE4F, // CJK compatibility forms
		r >= 0xFF00 && r <= 0xFF60, // fullwidth forms (（），：)
		r >= 0xFFE0 && r <= 0xFFE6,
		r >= 0x20000 && r <= 0x3FFFD:
		return true
	}
	return false
}
