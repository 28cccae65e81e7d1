// Package seeds provides lingpao's reference data — org tree, clusters, indicators, the targets of the
// policy documents with their citations, an example allocation, the holiday table and the support
// policies — as embedded, human-editable YAML files, and the loader that turns them into a checked
// lingpao.Catalog.
//
// A workspace may override any file by putting a file of the same name in <workspace>/seeds/, so a
// bureau can correct its org tree or targets without rebuilding.
package seeds

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"lingpao"
)

//go:embed *.yaml
var embedded embed.FS

// The seed files. Each is read whole; a workspace override replaces the embedded file of the same name.
const (
	FileDocuments  = "documents.yaml"
	FileOrgs       = "orgs.yaml"
	FileClusters   = "clusters.yaml"
	FileIndicators = "indicators.yaml"
	FileTargets    = "targets.yaml"
	FileAllocation = "allocation_example.yaml"
	FileHolidays   = "holidays.yaml"
	FileRewards    = "rewards.yaml"
	FileRules      = "rules.yaml"
)

// IndicatorGroups returns the indicator groups in the order the monthly workbook shows them, one
// sheet each.
func IndicatorGroups() []string {
	return []string{"企业培育", "创新能力", "数字化转型", "绿色低碳", "规模效益", "平台服务"}
}

// Embedded returns the seed files built into the binary.
func Embedded() fs.FS { return embedded }

// Workspace returns the seed files as seen from workspace dir: <dir>/seeds/<name> where that file
// exists, the embedded file otherwise.
func Workspace(dir string) fs.FS {
	return &overlay{dir: filepath.Join(dir, "seeds"), base: embedded}
}

// LoadWorkspace loads the catalog of workspace dir: the embedded seed files, each replaced by
// <dir>/seeds/<same name> when that file exists.
func LoadWorkspace(dir string) (*lingpao.Catalog, error) { return Load(Workspace(dir)) }

// overlay is an fs.FS that prefers files in dir over those of base.
type overlay struct {
	dir  string
	base fs.FS
}

// Open implements fs.FS.
func (o *overlay) Open(name string) (fs.File, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrInvalid}
	}
	f, err := os.Open(filepath.Join(o.dir, filepath.FromSlash(name)))
	if err == nil {
		return f, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return o.base.Open(name)
}

// label names the file a seed came from in messages: the override's path, or the embedded file.
func (o *overlay) label(name string) string {
	p := filepath.Join(o.dir, filepath.FromSlash(name))
	if _, err := os.Stat(p); err == nil {
		return p
	}
	return "seeds/" + name + "（内置）"
}

func fileLabel(fsys fs.FS, name string) string {
	if o, ok := fsys.(*overlay); ok {
		return o.label(name)
	}
	return "seeds/" + name
}

// problems collects the errors of one load, so that a clerk editing a file sees them all at once.
type problems struct{ msgs []string }

func (p *problems) addf(format string, args ...any) {
	p.msgs = append(p.msgs, fmt.Sprintf(format, args...))
}

func (p *problems) err() error {
	switch n := len(p.msgs); {
	case n == 0:
		return nil
	case n == 1:
		return lingpao.Errorf(lingpao.EINVALID, "种子数据有误：%s", p.msgs[0])
	default:
		const max = 30
		shown := p.msgs
		if n > max {
			shown = shown[:max]
		}
		msg := fmt.Sprintf("种子数据有 %d 处错误：\n  - %s", n, strings.Join(shown, "\n  - "))
		if n > max {
			msg += fmt.Sprintf("\n  - ……另有 %d 处未列出", n-max)
		}
		return lingpao.Errorf(lingpao.EINVALID, "%s", msg)
	}
}

// decode reads one YAML file strictly: unknown keys are errors, so a misspelt field is not silently
// ignored.
func decode(fsys fs.FS, name string, v any) error {
	label := fileLabel(fsys, name)
	b, err := fs.ReadFile(fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return lingpao.Errorf(lingpao.EINVALID, "缺少种子数据文件 %s。", label)
	} else if err != nil {
		return fmt.Errorf("seeds: read %s: %w", label, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil && !errors.Is(err, io.EOF) {
		return lingpao.Errorf(lingpao.EINVALID, "%s 格式有误：%s。请按文件开头的说明改正。", label, yamlProblem(err))
	}
	return nil
}

var (
	yamlUnknownField = regexp.MustCompile(`^line (\d+): field (\S+) not found in type \S+$`)
	yamlLine         = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
)

// yamlProblem restates a YAML decoding error for the person editing the file: line numbers first,
// unknown keys (usually typos) in plain words.
func yamlProblem(err error) string {
	var lines []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		lines = te.Errors
	} else {
		lines = []string{err.Error()}
	}
	for i, l := range lines {
		l = strings.TrimSpace(l)
		if m := yamlUnknownField.FindStringSubmatch(l); m != nil {
			l = fmt.Sprintf("第 %s 行：没有「%s」这个字段（可能拼写有误）", m[1], m[2])
		} else if m := yamlLine.FindStringSubmatch(l); m != nil {
			l = fmt.Sprintf("第 %s 行：%s", m[1], m[2])
		}
		lines[i] = l
	}
	return strings.Join(lines, "；")
}

// ---- file formats ----

type documentsFile struct {
	Documents []documentEntry `yaml:"documents"`
}

type documentEntry struct {
	lingpao.Document `yaml:",inline"`
	File             string `yaml:"file"`
	Note             string `yaml:"note"`
}

type orgsFile struct {
	Units []lingpao.OrgUnit `yaml:"units"`
}

type clustersFile struct {
	Clusters []clusterEntry `yaml:"clusters"`
}

type clusterEntry struct {
	lingpao.Cluster `yaml:",inline"`
	Doc             string `yaml:"doc"`
	Clause          string `yaml:"clause"`
	Note            string `yaml:"note"`
}

type indicatorsFile struct {
	Indicators []indicatorEntry `yaml:"indicators"`
}

type indicatorEntry struct {
	lingpao.Indicator `yaml:",inline"`
	Doc               string `yaml:"doc"`
	Clause            string `yaml:"clause"`
}

type targetsFile struct {
	Targets []targetEntry `yaml:"targets"`
}

type targetEntry struct {
	lingpao.Target `yaml:",inline"`
	Due            string `yaml:"due"`
	Start          string `yaml:"start"`
	Doc            string `yaml:"doc"`
	Clause         string `yaml:"clause"`
}

type allocationFile struct {
	Allocations []allocationEntry `yaml:"allocations"`
}

type allocationEntry struct {
	Basis   string       `yaml:"basis"`
	Year    int          `yaml:"year"`
	Example bool         `yaml:"example"`
	Note    string       `yaml:"note"`
	Shares  []shareEntry `yaml:"shares"`
}

type shareEntry struct {
	Org     string   `yaml:"org"`
	Value   *float64 `yaml:"value"`
	Example bool     `yaml:"example"`
}

type holidaysFile struct {
	Years []holidayYear `yaml:"years"`
}

type holidayYear struct {
	Year        int            `yaml:"year"`
	Source      string         `yaml:"source"`
	Note        string         `yaml:"note"`
	Provisional bool           `yaml:"provisional"`
	Days        []holidayEntry `yaml:"days"`
}

type holidayEntry struct {
	Date        string `yaml:"date"`
	Name        string `yaml:"name"`
	Off         *bool  `yaml:"off"`
	Provisional bool   `yaml:"provisional"`
}

// ---- loading ----

// Load reads the seed files of fsys, resolves citations, dates and milestone chains, and checks them:
// unknown units, indicators and documents, duplicate codes, ratio components and growth bases that do
// not exist, roster rules with unknown tags, incomplete ranges, unknown forms and comparisons, targets
// without a citation. All problems are reported together in one EINVALID error naming file and entry.
func Load(fsys fs.FS) (*lingpao.Catalog, error) {
	var (
		docsF  documentsFile
		orgsF  orgsFile
		clusF  clustersFile
		indsF  indicatorsFile
		tgtsF  targetsFile
		allocF allocationFile
		holsF  holidaysFile
	)
	for _, f := range []struct {
		name string
		v    any
	}{
		{FileDocuments, &docsF}, {FileOrgs, &orgsF}, {FileClusters, &clusF}, {FileIndicators, &indsF},
		{FileTargets, &tgtsF}, {FileAllocation, &allocF}, {FileHolidays, &holsF},
	} {
		if err := decode(fsys, f.name, f.v); err != nil {
			return nil, err
		}
	}

	var p problems
	docs := checkDocuments(&p, fileLabel(fsys, FileDocuments), docsF.Documents)
	tree, err := lingpao.NewOrgTree(orgsF.Units)
	if err != nil {
		return nil, lingpao.Errorf(lingpao.EINVALID, "%s：%s", fileLabel(fsys, FileOrgs), lingpao.ErrorMessage(err))
	}
	l := &loader{p: &p, docs: docs, tree: tree}
	cat := &lingpao.Catalog{Tree: tree}
	for _, d := range docsF.Documents {
		cat.Documents = append(cat.Documents, d.Document)
	}
	cat.Indicators = l.indicators(fileLabel(fsys, FileIndicators), indsF.Indicators)
	l.inds = map[string]lingpao.Indicator{}
	for _, ind := range cat.Indicators {
		l.inds[ind.Code] = ind
	}
	cat.Clusters = l.clusters(fileLabel(fsys, FileClusters), clusF.Clusters)
	targets := l.targets(fileLabel(fsys, FileTargets), tgtsF.Targets)
	listed := map[string]bool{}
	for _, e := range tgtsF.Targets {
		listed[e.ID] = true
	}
	targets = append(targets, l.allocations(fileLabel(fsys, FileAllocation), allocF.Allocations, targets, listed)...)
	cat.Holidays = l.holidays(fileLabel(fsys, FileHolidays), holsF.Years)
	if err := p.err(); err != nil {
		return nil, err
	}
	cat.SetTargets(lingpao.ResolveChains(targets))
	return cat, nil
}

type loader struct {
	p    *problems
	docs map[string]lingpao.Document
	tree *lingpao.OrgTree
	inds map[string]lingpao.Indicator
}

var docDate = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

func checkDocuments(p *problems, file string, entries []documentEntry) map[string]lingpao.Document {
	docs := map[string]lingpao.Document{}
	for i, d := range entries {
		switch {
		case d.Key == "":
			p.addf("%s：第 %d 个文件缺少 key。", file, i+1)
			continue
		case d.Title == "" || d.Issuer == "":
			p.addf("%s：文件 %s 缺少 title 或 issuer。", file, d.Key)
		case !docDate.MatchString(d.Date):
			p.addf("%s：文件 %s 的日期「%s」格式不对：请写成 2022-08-28（只知年月时写 2022-09）。", file, d.Key, d.Date)
		}
		if _, dup := docs[d.Key]; dup {
			p.addf("%s：文件 key「%s」重复。", file, d.Key)
		}
		docs[d.Key] = d.Document
	}
	return docs
}

// Citation formats the citation of clause of document d: 《title》（number）clause, or
// 《title》（issuer，date）clause when the document has no number.
func Citation(d lingpao.Document, clause string) string {
	src := d.Number
	if src == "" {
		src = d.Issuer + "，" + dateCN(d.Date)
	}
	return "《" + d.Title + "》（" + src + "）" + clause
}

// dateCN renders "2025-07-22", "2022-09" or "2022" as 2025年7月22日, 2022年9月, 2022年.
func dateCN(s string) string {
	parts := strings.Split(s, "-")
	units := []string{"年", "月", "日"}
	var b strings.Builder
	for i, part := range parts {
		if i >= len(units) {
			break
		}
		b.WriteString(strings.TrimLeft(part, "0"))
		b.WriteString(units[i])
	}
	return b.String()
}

// cite resolves doc + clause (or an explicit citation) for an entry; it reports what is missing.
func (l *loader) cite(file, what, doc, clause, explicit string) string {
	switch {
	case doc != "":
		d, ok := l.docs[doc]
		if !ok {
			l.p.addf("%s：%s 引用的文件「%s」不在 documents.yaml 中。", file, what, doc)
			return ""
		}
		if clause == "" {
			l.p.addf("%s：%s 缺少 clause（条款，如「一、主要目标」）。", file, what)
			return ""
		}
		return Citation(d, clause)
	case explicit != "":
		return explicit
	}
	return ""
}

// org resolves a unit given by code or name to its code.
func (l *loader) org(file, what, s string) (lingpao.OrgUnit, bool) {
	u, err := l.tree.Find(strings.TrimSpace(s))
	if err != nil {
		l.p.addf("%s：%s 的组织单元「%s」不存在：请填写 orgs.yaml 中的编码或名称。", file, what, s)
		return lingpao.OrgUnit{}, false
	}
	return u, true
}

var (
	codeRE    = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	kinds     = []lingpao.Kind{lingpao.KindStock, lingpao.KindYTD, lingpao.KindRatio, lingpao.KindGrowth, lingpao.KindCoverage}
	sources   = []lingpao.Source{lingpao.SourceReturn, lingpao.SourceRoster, lingpao.SourceDerived, lingpao.SourceCity}
	forms     = []lingpao.TargetForm{lingpao.FormMilestone, lingpao.FormAnnual, lingpao.FormCumulative, lingpao.FormRate, lingpao.FormGrowth}
	comps     = []lingpao.Comparison{lingpao.CompReach, lingpao.CompAtLeast, lingpao.CompMoreThan, lingpao.CompAbout, lingpao.CompRange}
	rosterFld = []string{"", "revenue", "rnd"}
)

func in[T comparable](v T, set []T) bool {
	for _, s := range set {
		if s == v {
			return true
		}
	}
	return false
}

func (l *loader) indicators(file string, entries []indicatorEntry) []lingpao.Indicator {
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Code] = true
	}
	exists := func(code string) bool { return code != "" && seen[code] }
	var out []lingpao.Indicator
	dup := map[string]bool{}
	for i, e := range entries {
		ind := e.Indicator
		what := "指标 " + ind.Code
		if ind.Code == "" {
			l.p.addf("%s：第 %d 个指标缺少 code。", file, i+1)
			continue
		}
		if !codeRE.MatchString(ind.Code) {
			l.p.addf("%s：%s 的代码只能用小写字母、数字和下划线，并以字母开头。", file, what)
		}
		if dup[ind.Code] {
			l.p.addf("%s：指标代码 %s 重复。", file, ind.Code)
		}
		dup[ind.Code] = true
		if ind.Name == "" || ind.Unit == "" {
			l.p.addf("%s：%s 缺少 name 或 unit。", file, what)
		}
		if !in(ind.Kind, kinds) {
			l.p.addf("%s：%s 的 kind「%s」不对：只能是 stock、ytd、ratio、growth、coverage。", file, what, ind.Kind)
		}
		if !in(ind.Source, sources) {
			l.p.addf("%s：%s 的 source「%s」不对：只能是 return、roster、derived、city。", file, what, ind.Source)
		}
		if groups := IndicatorGroups(); !in(ind.Group, groups) {
			l.p.addf("%s：%s 的 group「%s」不对：只能是 %s。", file, what, ind.Group, strings.Join(groups, "、"))
		}
		computed := ind.Kind == lingpao.KindRatio || ind.Kind == lingpao.KindCoverage || ind.Kind == lingpao.KindGrowth
		if computed != (ind.Source == lingpao.SourceDerived) {
			l.p.addf("%s：%s 的 kind 为 %s、source 为 %s：比率、覆盖率和增速由其他指标计算（source: derived），其余指标不能是 derived。", file, what, ind.Kind, ind.Source)
		}
		switch ind.Kind {
		case lingpao.KindRatio, lingpao.KindCoverage:
			if !exists(ind.Numerator) || !exists(ind.Denominator) {
				l.p.addf("%s：%s 是比率，分子「%s」或分母「%s」不是已定义的指标。", file, what, ind.Numerator, ind.Denominator)
			} else if ind.Numerator == ind.Code || ind.Denominator == ind.Code {
				l.p.addf("%s：%s 不能以自身为分子或分母。", file, what)
			}
		case lingpao.KindGrowth:
			if !exists(ind.Base) {
				l.p.addf("%s：%s 是增速，缺少 base 或 base「%s」不是已定义的指标。", file, what, ind.Base)
			}
			if ind.Prior != "" && !exists(ind.Prior) {
				l.p.addf("%s：%s 的 prior「%s」不是已定义的指标。", file, what, ind.Prior)
			}
		}
		if ind.Source == lingpao.SourceRoster {
			if ind.Roster.Tag != "" && !in(ind.Roster.Tag, lingpao.EnterpriseTags) {
				l.p.addf("%s：%s 的名录标签「%s」不存在：只能是 %s。", file, what, ind.Roster.Tag, strings.Join(lingpao.EnterpriseTags, "、"))
			}
			if !in(ind.Roster.Field, rosterFld) {
				l.p.addf("%s：%s 的名录字段「%s」不对：只能是 revenue（营业收入）、rnd（研发投入）或留空（计企业户数）。", file, what, ind.Roster.Field)
			}
		} else if ind.Roster != (lingpao.RosterRule{}) {
			l.p.addf("%s：%s 不是名录指标（source: roster），不应填写 roster。", file, what)
		}
		if ind.Min != nil && ind.Max != nil && *ind.Min > *ind.Max {
			l.p.addf("%s：%s 的 min 大于 max。", file, what)
		}
		if ind.Decimals < 0 {
			l.p.addf("%s：%s 的 decimals 不能为负。", file, what)
		}
		if c := l.cite(file, what, e.Doc, e.Clause, ind.Citation); c != "" {
			ind.Citation = c
		}
		out = append(out, ind)
	}
	return out
}

func (l *loader) clusters(file string, entries []clusterEntry) []lingpao.Cluster {
	var out []lingpao.Cluster
	codes, names := map[string]bool{}, map[string]bool{}
	for i, e := range entries {
		c := e.Cluster
		what := "集群 " + c.Code
		if c.Code == "" || c.Name == "" {
			l.p.addf("%s：第 %d 个集群缺少 code 或 name。", file, i+1)
			continue
		}
		if codes[c.Code] {
			l.p.addf("%s：集群编码 %s 重复。", file, c.Code)
		}
		if names[c.Name] {
			l.p.addf("%s：集群名称「%s」重复。", file, c.Name)
		}
		codes[c.Code], names[c.Name] = true, true
		u, ok := l.org(file, what, c.Org)
		if ok {
			c.Org = u.Code
			if u.Level != lingpao.LevelCounty {
				l.p.addf("%s：%s 属于 %s，但集群只能属于县级单位。", file, what, u.Name)
			} else if !strings.HasPrefix(c.Code, u.Code+"-") {
				l.p.addf("%s：%s 的编码应以所属县的编码开头，写成 %s-01 这样。", file, what, u.Code)
			}
		}
		c.Citation = l.cite(file, what, e.Doc, e.Clause, c.Citation)
		if c.Citation == "" && !c.Example {
			l.p.addf("%s：%s 既没有出处（doc + clause），也没有标为示例（example: true）。", file, what)
		}
		out = append(out, c)
	}
	return out
}

// target checks one entry of targets.yaml and returns the domain target.
func (l *loader) target(file string, e targetEntry) (lingpao.Target, bool) {
	t := e.Target
	what := "目标 " + t.ID
	n := len(l.p.msgs)
	u, ok := l.org(file, what, t.Org)
	if ok {
		t.Org = u.Code
	}
	ind, ok := l.inds[t.Indicator]
	if !ok {
		l.p.addf("%s：%s 的指标「%s」不存在：请用 indicators.yaml 中的代码。", file, what, t.Indicator)
	}
	if !in(t.Form, forms) {
		l.p.addf("%s：%s 的 form「%s」不对：只能是 milestone、annual、cumulative、rate、growth。", file, what, t.Form)
	}
	if !in(t.Comp, comps) {
		l.p.addf("%s：%s 的 comparison「%s」不对：只能是 reach、at_least、more_than、about、range。", file, what, t.Comp)
	}
	if t.Comp == lingpao.CompRange {
		switch {
		case t.Min == nil || t.Max == nil:
			l.p.addf("%s：%s 是区间目标，min 和 max 都要填写。", file, what)
		case t.Value != nil:
			l.p.addf("%s：%s 是区间目标，只填 min 和 max，不填 value。", file, what)
		case *t.Min > *t.Max:
			l.p.addf("%s：%s 的 min 大于 max。", file, what)
		}
	} else {
		switch {
		case t.Value == nil:
			l.p.addf("%s：%s 缺少 value。", file, what)
		case t.Min != nil || t.Max != nil:
			l.p.addf("%s：%s 不是区间目标（comparison: range），不要填写 min/max。", file, what)
		case t.Comp == lingpao.CompAtLeast || t.Comp == lingpao.CompMoreThan:
			v := *t.Value
			t.Min = &v
		}
	}
	// The form must suit the indicator's kind: flows are summed over a year or a plan, levels are stocks.
	if ok {
		switch {
		case (t.Form == lingpao.FormAnnual || t.Form == lingpao.FormCumulative) && ind.Kind != lingpao.KindYTD:
			l.p.addf("%s：%s 是%s目标，指标 %s 应为本年累计（ytd）指标。", file, what, map[lingpao.TargetForm]string{lingpao.FormAnnual: "每年", lingpao.FormCumulative: "累计"}[t.Form], ind.Code)
		case t.Form == lingpao.FormMilestone && ind.Kind != lingpao.KindStock:
			l.p.addf("%s：%s 是节点目标，指标 %s 应为存量（stock）指标。", file, what, ind.Code)
		}
	}
	if e.Start != "" {
		s, err := lingpao.ParseDate(e.Start)
		if err != nil {
			l.p.addf("%s：%s 的 start：%s", file, what, lingpao.ErrorMessage(err))
		}
		t.Start = s
	}
	switch t.Form {
	case lingpao.FormAnnual, lingpao.FormGrowth:
		if t.FromYear == 0 || t.ToYear == 0 || t.FromYear > t.ToYear {
			l.p.addf("%s：%s 是每年适用的目标，from_year 和 to_year 都要填写，且 from_year 不大于 to_year。", file, what)
		}
		if e.Due == "" && t.ToYear != 0 {
			t.Due = time.Date(t.ToYear, 12, 31, 0, 0, 0, 0, lingpao.Beijing)
		}
	case lingpao.FormCumulative:
		if e.Start == "" {
			l.p.addf("%s：%s 是累计目标，要填写 start（累计的起点，如 2025-01-01）。", file, what)
		}
	}
	if e.Due != "" {
		d, err := lingpao.ParseDate(e.Due)
		if err != nil {
			l.p.addf("%s：%s 的 due：%s", file, what, lingpao.ErrorMessage(err))
		}
		t.Due = d
	} else if t.Due.IsZero() {
		l.p.addf("%s：%s 缺少 due（期限，如 2025-12-31）。", file, what)
	}
	if !t.Start.IsZero() && !t.Due.IsZero() && !t.Start.Before(t.Due) {
		l.p.addf("%s：%s 的 start 不早于 due。", file, what)
	}
	t.Citation = l.cite(file, what, e.Doc, e.Clause, t.Citation)
	if t.Citation == "" {
		l.p.addf("%s：%s 没有出处：请填写 doc 和 clause。", file, what)
	}
	return t, len(l.p.msgs) == n
}

func (l *loader) targets(file string, entries []targetEntry) []lingpao.Target {
	var out []lingpao.Target
	ids := map[string]bool{}
	for i, e := range entries {
		if e.ID == "" {
			l.p.addf("%s：第 %d 个目标缺少 id。", file, i+1)
			continue
		}
		if ids[e.ID] {
			l.p.addf("%s：目标 id %s 重复。", file, e.ID)
		}
		ids[e.ID] = true
		if t, ok := l.target(file, e); ok {
			out = append(out, t)
		}
	}
	return out
}

// allocations expands the example allocation into county targets. Each share inherits form, due date
// and start from its basis (a city target); a range is allocated by its lower end.
// listed holds every id of targets.yaml, valid or not: a basis whose own entry is wrong has been
// reported already and is skipped quietly.
func (l *loader) allocations(file string, entries []allocationEntry, city []lingpao.Target, listed map[string]bool) []lingpao.Target {
	byID := map[string]lingpao.Target{}
	for _, t := range city {
		byID[t.ID] = t
	}
	var out []lingpao.Target
	done := map[string]bool{}
	for i, e := range entries {
		what := fmt.Sprintf("第 %d 组分解（依据 %s）", i+1, e.Basis)
		basis, ok := byID[e.Basis]
		if !ok {
			if !listed[e.Basis] {
				l.p.addf("%s：%s的 basis 不是 targets.yaml 中的目标 id。", file, what)
			}
			continue
		}
		annual := basis.Form == lingpao.FormAnnual || basis.Form == lingpao.FormGrowth
		if annual && (e.Year < basis.FromYear || e.Year > basis.ToYear) {
			l.p.addf("%s：%s是每年目标，year 要填写 %d 至 %d 之间的年份。", file, what, basis.FromYear, basis.ToYear)
			continue
		}
		if !annual && e.Year != 0 && e.Year != basis.Due.Year() {
			l.p.addf("%s：%s的 year 与依据目标的期限不一致，可不填。", file, what)
		}
		if basis.Form == lingpao.FormRate || basis.Form == lingpao.FormGrowth {
			l.p.addf("%s：%s是比率或增速目标，不分解：各县按全市比率考核。", file, what)
			continue
		}
		ind := l.inds[basis.Indicator]
		for _, s := range e.Shares {
			u, ok := l.org(file, what, s.Org)
			if !ok {
				continue
			}
			if u.Code == basis.Org || !l.tree.IsUnder(u.Code, basis.Org) {
				l.p.addf("%s：%s中的 %s 不在 %s 之下。", file, what, u.Name, l.tree.Name(basis.Org))
				continue
			}
			if s.Value == nil || *s.Value < 0 {
				l.p.addf("%s：%s中 %s 的 value 缺少或为负。", file, what, u.Name)
				continue
			}
			t := basis
			t.ID = basis.ID + "@" + u.Code
			if annual {
				t.ID = fmt.Sprintf("%s/%d@%s", basis.ID, e.Year, u.Code)
				t.FromYear, t.ToYear = e.Year, e.Year
				t.Due = time.Date(e.Year, 12, 31, 0, 0, 0, 0, lingpao.Beijing)
			}
			if done[t.ID] {
				l.p.addf("%s：%s中 %s 重复出现。", file, what, u.Name)
				continue
			}
			done[t.ID] = true
			v := *s.Value
			t.Org, t.Value, t.Min, t.Max, t.Baseline = u.Code, &v, nil, nil, nil
			if t.Comp == lingpao.CompRange {
				t.Comp = lingpao.CompReach
			}
			if t.Comp == lingpao.CompAtLeast || t.Comp == lingpao.CompMoreThan {
				t.Min = &v
			}
			if !t.Start.IsZero() && basis.Form == lingpao.FormMilestone {
				t.Start = time.Time{} // a county milestone chains from the county's earlier milestone
			}
			t.Citation = "示例分解（非文件内容）：依据 " + basis.Citation
			t.Text = fmt.Sprintf("示例分解：%s %s%s %s", u.Name, periodText(t), ind.Name, t.ValueText(ind))
			t.Note = strings.TrimSpace("示例数据，实际分解由市工信局在目标表中填写。" + e.Note)
			t.Example = true
			out = append(out, t)
		}
	}
	return out
}

// periodText is the period a target covers, for generated texts: "2025年底" or "2025年".
func periodText(t lingpao.Target) string {
	switch t.Form {
	case lingpao.FormAnnual, lingpao.FormGrowth:
		if t.FromYear == t.ToYear {
			return fmt.Sprintf("%d年", t.FromYear)
		}
		return fmt.Sprintf("%d—%d年每年", t.FromYear, t.ToYear)
	}
	return fmt.Sprintf("%d年底", t.Due.In(lingpao.Beijing).Year())
}

func (l *loader) holidays(file string, years []holidayYear) []lingpao.Holiday {
	var out []lingpao.Holiday
	seen := map[string]bool{}
	for _, y := range years {
		if y.Source == "" {
			l.p.addf("%s：%d 年缺少 source（国务院办公厅通知名称）。", file, y.Year)
		}
		for _, d := range y.Days {
			what := fmt.Sprintf("%d 年的 %s", y.Year, d.Date)
			date, err := lingpao.ParseDate(d.Date)
			if err != nil {
				l.p.addf("%s：%s：%s", file, what, lingpao.ErrorMessage(err))
				continue
			}
			if date.Year() != y.Year {
				l.p.addf("%s：%s 不在 %d 年内。", file, what, y.Year)
			}
			if seen[d.Date] {
				l.p.addf("%s：日期 %s 重复。", file, d.Date)
			}
			seen[d.Date] = true
			if d.Name == "" || d.Off == nil {
				l.p.addf("%s：%s 要写明 name 和 off（true 放假，false 调休上班）。", file, what)
				continue
			}
			if !*d.Off {
				if wd := date.Weekday(); wd != time.Saturday && wd != time.Sunday {
					l.p.addf("%s：%s 是工作日，不必列为调休上班日。", file, what)
				}
			}
			name := d.Name
			if d.Provisional || y.Provisional {
				name += "（暂定）"
			}
			out = append(out, lingpao.Holiday{Date: date, Name: name, Off: *d.Off})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out
}

type rulesFile struct {
	Rules []lingpao.Rule `yaml:"rules"`
}

// Rules reads the validation rules of rules.yaml in fsys and checks them against the catalog
// (lingpao.CheckRules): all problems come back together in one EINVALID error.
func Rules(fsys fs.FS, cat *lingpao.Catalog) ([]lingpao.Rule, error) {
	var rf rulesFile
	if err := decode(fsys, FileRules, &rf); err != nil {
		return nil, err
	}
	var p problems
	for _, msg := range lingpao.CheckRules(cat, rf.Rules) {
		p.addf("%s：%s。", fileLabel(fsys, FileRules), msg)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return rf.Rules, nil
}
