package lingpao

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// RuleType names what a validation rule checks (PRODUCT §6.3). The engine, CheckReturn, knows how to
// evaluate each type; seeds/rules.yaml says which rules of each type apply, with which parameters,
// severity and message. A new rule of an existing type is a YAML edit.
type RuleType string

// The rule types.
const (
	// RuleRequired: the fields must not be blank (blank, "—" and "-" mean not reported).
	RuleRequired RuleType = "required"
	// RuleBounds: numbers within [min, max] (the params', else the catalog's bounds of the indicator).
	RuleBounds RuleType = "bounds"
	// RuleInteger: numbers must be whole (counts of enterprises, patents…).
	RuleInteger RuleType = "integer"
	// RulePartWhole: a part never exceeds its whole in the same row (小巨人 ≤ 专精特新; numerator ≤
	// denominator; 研发投入 ≤ 营业收入).
	RulePartWhole RuleType = "part_whole"
	// RuleYTDNonDecreasing: a year-to-date figure does not fall from the previous month of the same year.
	RuleYTDNonDecreasing RuleType = "ytd_non_decreasing"
	// RuleStockJump: a stock does not change by more than percent % from the previous month.
	RuleStockJump RuleType = "stock_jump"
	// RuleRosterCount: the roster does not list more enterprises with a tag than the cluster sheet
	// counts for that cluster.
	RuleRosterCount RuleType = "roster_vs_cluster_count"
	// RuleUSCC: a credit code has 18 characters of its alphabet and the right check character.
	RuleUSCC RuleType = "uscc_check"
	// RuleDuplicateInFile: no enterprise is listed twice in one roster.
	RuleDuplicateInFile RuleType = "duplicate_in_file"
	// RuleDuplicateAcross: no enterprise is listed by another county for the same period.
	RuleDuplicateAcross RuleType = "duplicate_across_counties"
)

// Scopes: the sheet of the return a rule reads.
const (
	ScopeGuide   = "guide"   // 填报说明: contact and phone
	ScopeCluster = "cluster" // 集群指标: one row per cluster, one field per return indicator
	ScopeRoster  = "roster"  // 企业名录: one row per enterprise
	ScopeIssues  = "issues"  // 问题台账: one row per issue
)

// Fields of the scopes other than the cluster sheet (whose fields are the return indicators' codes).
const (
	FieldContact     = "contact"
	FieldPhone       = "phone"
	FieldName        = "name"
	FieldUSCC        = "uscc"
	FieldCluster     = "cluster"
	FieldRevenue     = "revenue"
	FieldRnD         = "rnd"
	FieldRemark      = "remark"
	FieldDescription = "description"
)

// Rule is one validation rule, as data.
type Rule struct {
	// Code identifies the rule in findings, receipts and configuration (validation.disable).
	Code     string     `yaml:"code" json:"code"`
	Type     RuleType   `yaml:"type" json:"type"`
	Severity Severity   `yaml:"severity" json:"severity"`
	Params   RuleParams `yaml:"params" json:"params"`
	// Message is the plain-Chinese text of each finding, with {placeholders} filled per finding;
	// RulePlaceholders lists those each type provides.
	Message string `yaml:"message" json:"message"`
	// Note says why the rule exists; it is not shown to counties.
	Note string `yaml:"note,omitempty" json:"note,omitempty"`
}

// RuleParams are a rule's parameters; which ones apply depends on its type.
type RuleParams struct {
	// Scope is the sheet the rule reads (required, bounds, integer, part_whole).
	Scope string `yaml:"scope,omitempty" json:"scope,omitempty"`
	// Fields lists field codes; for the cluster sheet Select may pick them from the catalog instead:
	// all, required, integer, bounded, ytd or stock return indicators.
	Fields []string `yaml:"fields,omitempty" json:"fields,omitempty"`
	Select string   `yaml:"select,omitempty" json:"select,omitempty"`
	// Min and Max bound numbers (bounds); absent, the catalog's bounds of the indicator apply.
	Min *float64 `yaml:"min,omitempty" json:"min,omitempty"`
	Max *float64 `yaml:"max,omitempty" json:"max,omitempty"`
	// Part and Whole are the fields of part_whole.
	Part  string `yaml:"part,omitempty" json:"part,omitempty"`
	Whole string `yaml:"whole,omitempty" json:"whole,omitempty"`
	// Percent is stock_jump's threshold of relative change; MinChange the smallest absolute change
	// worth flagging (so that 2 → 3 enterprises is not a "50% jump").
	Percent   float64 `yaml:"percent,omitempty" json:"percent,omitempty"`
	MinChange float64 `yaml:"min_change,omitempty" json:"min_change,omitempty"`
	// Tag and Indicator are roster_vs_cluster_count's roster tag and cluster-sheet indicator.
	Tag       string `yaml:"tag,omitempty" json:"tag,omitempty"`
	Indicator string `yaml:"indicator,omitempty" json:"indicator,omitempty"`
	// Key is what makes two roster rows the same enterprise: uscc (default) or name.
	Key string `yaml:"key,omitempty" json:"key,omitempty"`
	// RequireRemark asks for a 情况说明 in the row's remark cell; the message's {explain} says whether
	// one was given. Only for warnings of the cluster sheet and the roster.
	RequireRemark bool `yaml:"require_remark,omitempty" json:"require_remark,omitempty"`
}

// ruleCommonPlaceholders are provided by every rule type.
var ruleCommonPlaceholders = []string{"sheet", "cell", "row", "field", "unit", "value"}

// RulePlaceholders returns the placeholders a message of rule type t may use, besides the common ones
// (sheet, cell, row, field, unit, value) and, with require_remark, explain.
func RulePlaceholders(t RuleType) []string {
	switch t {
	case RuleBounds:
		return []string{"range", "min", "max"}
	case RulePartWhole:
		return []string{"part", "whole", "part_value", "whole_value", "whole_cell"}
	case RuleYTDNonDecreasing:
		return []string{"prev", "prev_period"}
	case RuleStockJump:
		return []string{"prev", "prev_period", "percent", "change"}
	case RuleRosterCount:
		return []string{"tag", "count"}
	case RuleUSCC:
		return []string{"reason"}
	case RuleDuplicateInFile:
		return []string{"other_row"}
	case RuleDuplicateAcross:
		return []string{"other_county", "other_name"}
	}
	return nil
}

var ruleTypes = []RuleType{RuleRequired, RuleBounds, RuleInteger, RulePartWhole, RuleYTDNonDecreasing, RuleStockJump,
	RuleRosterCount, RuleUSCC, RuleDuplicateInFile, RuleDuplicateAcross}

// rosterNumberFields and rosterTextFields are the roster fields the engine reads from an Enterprise.
var (
	rosterNumberFields = []string{FieldRevenue, FieldRnD}
	rosterTextFields   = []string{FieldName, FieldUSCC, FieldCluster, FieldRemark}
	ruleSelects        = []string{"all", "required", "integer", "bounded", "ytd", "stock"}
	rulePlaceholderRe  = regexp.MustCompile(`\{([a-z_]+)\}`)
)

// CheckRules checks rules against the catalog and returns every problem in plain Chinese, naming the
// rule: unknown types, severities, scopes and fields, missing parameters, placeholders the type does
// not provide, duplicate codes. Nil means the rules can be used.
func CheckRules(cat *Catalog, rules []Rule) []string {
	var probs []string
	bad := func(r Rule, format string, args ...any) {
		probs = append(probs, fmt.Sprintf("规则 %s：%s", r.Code, fmt.Sprintf(format, args...)))
	}
	codes := map[string]bool{}
	for i, r := range rules {
		if r.Code == "" {
			probs = append(probs, fmt.Sprintf("第 %d 条规则缺少 code", i+1))
			continue
		}
		if codes[r.Code] {
			bad(r, "code 重复")
		}
		codes[r.Code] = true
		if !slices.Contains(ruleTypes, r.Type) {
			bad(r, "没有「%s」这种规则类型（可用：%s）", r.Type, ruleTypeList())
			continue
		}
		if r.Severity != SevError && r.Severity != SevWarning {
			bad(r, "severity 应为 error 或 warning，现为「%s」", r.Severity)
		}
		if strings.TrimSpace(r.Message) == "" {
			bad(r, "缺少 message")
		}
		for _, p := range checkRuleParams(cat, r) {
			bad(r, "%s", p)
		}
		allowed := append(append([]string{}, ruleCommonPlaceholders...), RulePlaceholders(r.Type)...)
		if r.Params.RequireRemark {
			allowed = append(allowed, "explain")
			if !strings.Contains(r.Message, "{explain}") {
				bad(r, "require_remark 的规则，message 中应有 {explain}（填入是否已有情况说明）")
			}
			if r.Severity != SevWarning {
				bad(r, "require_remark 只用于 warning 规则")
			}
		}
		for _, m := range rulePlaceholderRe.FindAllStringSubmatch(r.Message, -1) {
			if !slices.Contains(allowed, m[1]) {
				bad(r, "message 中的 {%s} 不是该类型可用的占位符（可用：%s）", m[1], strings.Join(allowed, "、"))
			}
		}
	}
	return probs
}

func ruleTypeList() string {
	var s []string
	for _, t := range ruleTypes {
		s = append(s, string(t))
	}
	return strings.Join(s, "、")
}

// checkRuleParams checks the parameters a rule's type needs.
func checkRuleParams(cat *Catalog, r Rule) []string {
	var probs []string
	p := r.Params
	field := func(scope, f string) {
		if !ruleKnownField(cat, scope, f) {
			probs = append(probs, fmt.Sprintf("「%s」不是%s的字段", f, ruleScopeLabel(scope)))
		}
	}
	scopes := map[RuleType][]string{
		RuleRequired:  {ScopeGuide, ScopeCluster, ScopeRoster, ScopeIssues},
		RuleBounds:    {ScopeCluster, ScopeRoster},
		RuleInteger:   {ScopeCluster, ScopeRoster},
		RulePartWhole: {ScopeCluster, ScopeRoster},
	}
	if allowed, ok := scopes[r.Type]; ok {
		if !slices.Contains(allowed, p.Scope) {
			return append(probs, fmt.Sprintf("params.scope 应为 %s 之一，现为「%s」", strings.Join(allowed, "、"), p.Scope))
		}
	}
	switch r.Type {
	case RuleRequired, RuleBounds, RuleInteger, RuleYTDNonDecreasing, RuleStockJump:
		scope := p.Scope
		if r.Type == RuleYTDNonDecreasing || r.Type == RuleStockJump {
			scope = ScopeCluster
		}
		switch {
		case p.Select != "" && len(p.Fields) > 0:
			probs = append(probs, "params.fields 与 params.select 只能用一个")
		case p.Select != "":
			if scope != ScopeCluster || !slices.Contains(ruleSelects, p.Select) {
				probs = append(probs, fmt.Sprintf("params.select 只用于集群指标表，可选 %s", strings.Join(ruleSelects, "、")))
			}
		case len(p.Fields) == 0:
			probs = append(probs, "缺少 params.fields 或 params.select")
		}
		for _, f := range p.Fields {
			field(scope, f)
		}
		if r.Type == RuleBounds && scope == ScopeRoster && p.Min == nil && p.Max == nil {
			probs = append(probs, "企业名录的 bounds 规则须给出 params.min 或 params.max")
		}
		if r.Type == RuleStockJump && p.Percent <= 0 {
			probs = append(probs, "params.percent（变化幅度，百分数）应大于 0")
		}
	case RulePartWhole:
		if p.Part == "" || p.Whole == "" {
			probs = append(probs, "缺少 params.part 或 params.whole")
		}
		field(p.Scope, p.Part)
		field(p.Scope, p.Whole)
	case RuleRosterCount:
		if !slices.Contains(EnterpriseTags, p.Tag) {
			probs = append(probs, fmt.Sprintf("params.tag「%s」不是企业名录的标签（%s）", p.Tag, strings.Join(EnterpriseTags, "、")))
		}
		field(ScopeCluster, p.Indicator)
	case RuleDuplicateInFile, RuleDuplicateAcross:
		if p.Key != "" && p.Key != FieldUSCC && (p.Key != FieldName || r.Type == RuleDuplicateAcross) {
			probs = append(probs, "params.key 应为 uscc（跨县比对只用 uscc）或 name")
		}
	}
	if p.RequireRemark && r.Type != RuleYTDNonDecreasing && r.Type != RuleStockJump && p.Scope != ScopeCluster && p.Scope != ScopeRoster {
		probs = append(probs, "require_remark 只用于集群指标表和企业名录（有备注栏）")
	}
	return probs
}

func ruleKnownField(cat *Catalog, scope, f string) bool {
	switch scope {
	case ScopeCluster:
		ind, ok := cat.Indicator(f)
		return ok && ind.Reported()
	case ScopeRoster:
		return slices.Contains(rosterNumberFields, f) || slices.Contains(rosterTextFields, f) || (strings.HasPrefix(f, "tag:") && slices.Contains(EnterpriseTags, strings.TrimPrefix(f, "tag:")))
	case ScopeGuide:
		return f == FieldContact || f == FieldPhone
	case ScopeIssues:
		return f == FieldDescription
	}
	return false
}

func ruleScopeLabel(scope string) string {
	return map[string]string{ScopeGuide: "填报说明", ScopeCluster: "集群指标表", ScopeRoster: "企业名录", ScopeIssues: "问题台账"}[scope]
}

// ruleFields returns the fields a cluster-sheet rule applies to: its params' fields, or the return
// indicators its select picks.
func ruleFields(cat *Catalog, p RuleParams) []string {
	if p.Select == "" {
		return p.Fields
	}
	var out []string
	for _, ind := range cat.ReturnIndicators() {
		var pick bool
		switch p.Select {
		case "all":
			pick = true
		case "required":
			pick = ind.Required
		case "integer":
			pick = ind.Integer
		case "bounded":
			pick = ind.Min != nil || ind.Max != nil
		case "ytd":
			pick = ind.Kind == KindYTD
		case "stock":
			pick = ind.Kind == KindStock
		}
		if pick {
			out = append(out, ind.Code)
		}
	}
	return out
}

// ApplyValidation adjusts rules to a workspace's configuration: disabled rules are dropped, severities
// overridden, and stock_jump thresholds replaced. Codes the configuration names but no rule has are an
// EINVALID error, so a typo does not silently leave a rule on.
func ApplyValidation(rules []Rule, vc ValidationConfig) ([]Rule, error) {
	known := map[string]bool{}
	for _, r := range rules {
		known[r.Code] = true
	}
	var unknown []string
	for _, c := range vc.Disable {
		if !known[c] {
			unknown = append(unknown, c)
		}
	}
	for c := range vc.Severity {
		if !known[c] {
			unknown = append(unknown, c)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return nil, Errorf(EINVALID, "配置 validation 中的规则 %s 不存在：请对照 seeds/rules.yaml 中的 code 改正。", strings.Join(unknown, "、"))
	}
	var out []Rule
	for _, r := range rules {
		if slices.Contains(vc.Disable, r.Code) {
			continue
		}
		if s, ok := vc.Severity[r.Code]; ok {
			r.Severity = s
		}
		if r.Type == RuleStockJump && vc.StockJumpPercent > 0 {
			r.Params.Percent = vc.StockJumpPercent
		}
		out = append(out, r)
	}
	return out, nil
}

// expand fills a message's {placeholders}.
func expandRule(tmpl string, vars map[string]string) string {
	return rulePlaceholderRe.ReplaceAllStringFunc(tmpl, func(m string) string {
		if v, ok := vars[m[1:len(m)-1]]; ok {
			return v
		}
		return m
	})
}
