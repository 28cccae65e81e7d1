package lingpao

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// ReturnCheck is what the rule ruleEngine looks at for one county return: its content as read from the
// workbook, where each field sits, and the context the cross-period and cross-county rules need.
type ReturnCheck struct {
	Org    string
	Period Period
	// Layout says where each field of each scope sits in the workbook and what it is called.
	Layout map[string]SheetLayout
	// Guide holds the guide sheet's fields (contact, phone) as written.
	Guide map[string]string
	// Clusters are the rows of the cluster sheet; Values the numbers read from it, with their cells.
	Clusters []ClusterRow
	Values   []Value
	// Unreadable holds the cells ("集群指标!C5") whose content could not be read as what the column
	// takes. The reader has reported each; required does not report them again as blank.
	Unreadable  map[string]bool
	Enterprises []Enterprise
	Issues      []Issue
	// Previous holds the county's values in force for earlier months (each with its Period); the
	// cross-period rules compare with the latest of them.
	Previous []Value
	// Elsewhere lists the enterprises other counties' current returns for the period list, by credit
	// code.
	Elsewhere []Listing
}

// SheetLayout is where a scope's fields sit in the workbook.
type SheetLayout struct {
	Sheet  string
	Fields map[string]LayoutField
}

// LayoutField is one field of a sheet: its column letter (for the guide sheet, its cell), name, unit
// and decimals.
type LayoutField struct {
	Column   string
	Name     string
	Unit     string
	Decimals int
}

// ClusterRow is one row of the cluster sheet.
type ClusterRow struct {
	Code string
	Name string
	Row  int
	// Remark is the row's 备注（情况说明）.
	Remark string
}

// Listing is an enterprise in another county's current return.
type Listing struct {
	USCC string
	Org  string
	Name string
}

// UnreadableKey is the key of a cell in ReturnCheck.Unreadable.
func UnreadableKey(sheet, cell string) string { return sheet + "!" + cell }

// CheckReturn evaluates rules over one return and returns their findings, rule by rule in the order
// given, row by row within a rule.
func CheckReturn(cat *Catalog, rules []Rule, rc ReturnCheck) []Finding {
	e := &ruleEngine{cat: cat, rc: rc, vals: map[[2]string]Value{}, prev: map[[2]string]Value{}}
	for _, v := range rc.Values {
		e.vals[[2]string{v.Cluster, v.Indicator}] = v
	}
	for _, v := range rc.Previous {
		k := [2]string{v.Cluster, v.Indicator}
		if p, ok := e.prev[k]; v.Period.Before(rc.Period) && (!ok || p.Period.Before(v.Period)) {
			e.prev[k] = v
		}
	}
	for _, r := range rules {
		e.r = r
		switch r.Type {
		case RuleRequired:
			e.required()
		case RuleBounds, RuleInteger:
			e.numbers()
		case RulePartWhole:
			e.partWhole()
		case RuleYTDNonDecreasing, RuleStockJump:
			e.crossPeriod()
		case RuleRosterCount:
			e.rosterCount()
		case RuleUSCC:
			e.uscc()
		case RuleDuplicateInFile:
			e.duplicates()
		case RuleDuplicateAcross:
			e.elsewhere()
		}
	}
	return e.out
}

type ruleEngine struct {
	cat  *Catalog
	rc   ReturnCheck
	r    Rule
	vals map[[2]string]Value
	prev map[[2]string]Value
	out  []Finding
}

// ruleVars are the placeholders of one finding.
type ruleVars map[string]string

func (e *ruleEngine) add(scope, field string, row int, value string, v ruleVars) {
	lay := e.rc.Layout[scope]
	f := lay.Fields[field]
	cell := ""
	if f.Column != "" {
		cell = f.Column
		if row > 0 {
			cell += strconv.Itoa(row)
		}
	}
	all := ruleVars{"sheet": lay.Sheet, "cell": cell, "field": f.Name, "unit": f.Unit, "value": value}
	for k, x := range v {
		all[k] = x
	}
	e.out = append(e.out, Finding{Severity: e.r.Severity, Rule: e.r.Code, Sheet: lay.Sheet, Cell: cell, Value: value, Message: expandRule(e.r.Message, all)})
}

func (e *ruleEngine) unreadable(scope, field string, row int) bool {
	lay := e.rc.Layout[scope]
	return e.rc.Unreadable[UnreadableKey(lay.Sheet, lay.Fields[field].Column+strconv.Itoa(row))]
}

func (e *ruleEngine) fields() []string { return ruleFields(e.cat, e.r.Params) }

// explain says whether a row that needs a 情况说明 has one.
func (e *ruleEngine) explain(remark string) string {
	if !e.r.Params.RequireRemark {
		return ""
	}
	if strings.TrimSpace(remark) == "" {
		return "请在本行“备注（情况说明）”栏写明原因"
	}
	return fmt.Sprintf("已有情况说明：“%s”", strings.TrimSpace(remark))
}

func ruleRowName(en Enterprise) string {
	if en.Name != "" {
		return en.Name
	}
	return fmt.Sprintf("第%d行", en.Row)
}

// rosterNumber returns a numeric roster field of an enterprise.
func rosterNumber(en Enterprise, field string) *float64 {
	switch field {
	case FieldRevenue:
		return en.Revenue
	case FieldRnD:
		return en.RnD
	}
	return nil
}

// rosterText returns a text roster field of an enterprise ("是" for a tag it carries).
func rosterText(en Enterprise, field string) string {
	switch field {
	case FieldName:
		return en.Name
	case FieldUSCC:
		return en.USCC
	case FieldCluster:
		return en.Cluster
	case FieldRemark:
		return en.Remark
	}
	if tag, ok := strings.CutPrefix(field, "tag:"); ok && en.HasTag(tag) {
		return "是"
	}
	return ""
}

func (e *ruleEngine) required() {
	p := e.r.Params
	switch p.Scope {
	case ScopeGuide:
		for _, f := range e.fields() {
			if strings.TrimSpace(e.rc.Guide[f]) == "" {
				e.add(ScopeGuide, f, 0, "", ruleVars{"row": "填报说明"})
			}
		}
	case ScopeCluster:
		for _, c := range e.rc.Clusters {
			for _, f := range e.fields() {
				if _, ok := e.vals[[2]string{c.Code, f}]; !ok && !e.unreadable(ScopeCluster, f, c.Row) {
					e.add(ScopeCluster, f, c.Row, "", ruleVars{"row": c.Name})
				}
			}
		}
	case ScopeRoster:
		for _, en := range e.rc.Enterprises {
			for _, f := range e.fields() {
				blank := rosterText(en, f) == ""
				if slices.Contains(rosterNumberFields, f) {
					blank = rosterNumber(en, f) == nil
				}
				if blank && !e.unreadable(ScopeRoster, f, en.Row) {
					e.add(ScopeRoster, f, en.Row, "", ruleVars{"row": ruleRowName(en)})
				}
			}
		}
	case ScopeIssues:
		for _, is := range e.rc.Issues {
			if strings.TrimSpace(is.Description) == "" {
				e.add(ScopeIssues, FieldDescription, is.Row, "", ruleVars{"row": fmt.Sprintf("第%d行", is.Row)})
			}
		}
	}
}

// numbers applies bounds and integer rules.
func (e *ruleEngine) numbers() {
	// The value is written out only for a finding: every number of a return passes through here.
	check := func(scope, field string, row int, rowName string, v float64, lo, hi *float64) {
		if e.r.Type == RuleInteger {
			if math.Abs(v-math.Round(v)) > 1e-9 {
				e.add(scope, field, row, NumberText(v), ruleVars{"row": rowName})
			}
			return
		}
		if (lo != nil && v < *lo) || (hi != nil && v > *hi) {
			unit := e.rc.Layout[scope].Fields[field].Unit
			e.add(scope, field, row, NumberText(v), ruleVars{"row": rowName, "range": ruleRange(lo, hi, unit), "min": ruleOptNumber(lo), "max": ruleOptNumber(hi)})
		}
	}
	p := e.r.Params
	switch p.Scope {
	case ScopeCluster:
		for _, c := range e.rc.Clusters {
			for _, f := range e.fields() {
				v, ok := e.vals[[2]string{c.Code, f}]
				if !ok {
					continue
				}
				lo, hi := p.Min, p.Max
				if lo == nil && hi == nil {
					ind, _ := e.cat.Indicator(f)
					lo, hi = ind.Min, ind.Max
				}
				check(ScopeCluster, f, c.Row, c.Name, v.V, lo, hi)
			}
		}
	case ScopeRoster:
		for _, en := range e.rc.Enterprises {
			for _, f := range e.fields() {
				if v := rosterNumber(en, f); v != nil {
					check(ScopeRoster, f, en.Row, ruleRowName(en), *v, p.Min, p.Max)
				}
			}
		}
	}
}

func ruleRange(lo, hi *float64, unit string) string {
	switch {
	case lo != nil && hi != nil:
		return fmt.Sprintf("%s～%s%s", NumberText(*lo), NumberText(*hi), unit)
	case lo != nil:
		return fmt.Sprintf("不小于 %s%s", NumberText(*lo), unit)
	case hi != nil:
		return fmt.Sprintf("不大于 %s%s", NumberText(*hi), unit)
	}
	return ""
}

func ruleOptNumber(v *float64) string {
	if v == nil {
		return ""
	}
	return NumberText(*v)
}

func (e *ruleEngine) partWhole() {
	p := e.r.Params
	lay := e.rc.Layout[p.Scope]
	names := ruleVars{"part": lay.Fields[p.Part].Name, "whole": lay.Fields[p.Whole].Name}
	flag := func(row int, rowName string, a, b float64) {
		if a <= b+1e-9 {
			return
		}
		v := ruleVars{"row": rowName, "part_value": NumberText(a), "whole_value": NumberText(b), "whole_cell": lay.Fields[p.Whole].Column + strconv.Itoa(row)}
		for k, x := range names {
			v[k] = x
		}
		e.add(p.Scope, p.Part, row, NumberText(a), v)
	}
	switch p.Scope {
	case ScopeCluster:
		for _, c := range e.rc.Clusters {
			a, ok1 := e.vals[[2]string{c.Code, p.Part}]
			b, ok2 := e.vals[[2]string{c.Code, p.Whole}]
			if ok1 && ok2 {
				flag(c.Row, c.Name, a.V, b.V)
			}
		}
	case ScopeRoster:
		for _, en := range e.rc.Enterprises {
			if a, b := rosterNumber(en, p.Part), rosterNumber(en, p.Whole); a != nil && b != nil {
				flag(en.Row, ruleRowName(en), *a, *b)
			}
		}
	}
}

// crossPeriod applies ytd_non_decreasing and stock_jump against the latest earlier month.
func (e *ruleEngine) crossPeriod() {
	p := e.r.Params
	for _, c := range e.rc.Clusters {
		for _, f := range e.fields() {
			v, ok := e.vals[[2]string{c.Code, f}]
			prev, okp := e.prev[[2]string{c.Code, f}]
			if !ok || !okp {
				continue
			}
			vv := ruleVars{"row": c.Name, "prev": NumberText(prev.V), "prev_period": prev.Period.Label(), "explain": e.explain(c.Remark)}
			if e.r.Type == RuleYTDNonDecreasing {
				if prev.Period.Year == e.rc.Period.Year && v.V < prev.V-1e-9 {
					e.add(ScopeCluster, f, c.Row, NumberText(v.V), vv)
				}
				continue
			}
			change := v.V - prev.V
			if math.Abs(change) < math.Max(p.MinChange, 1e-9) {
				continue
			}
			if prev.V != 0 && math.Abs(change)/math.Abs(prev.V)*100 <= p.Percent {
				continue
			}
			vv["percent"] = NumberText(p.Percent)
			vv["change"] = ruleSigned(change)
			e.add(ScopeCluster, f, c.Row, NumberText(v.V), vv)
		}
	}
}

func ruleSigned(v float64) string {
	if v > 0 {
		return "+" + NumberText(v)
	}
	return NumberText(v)
}

func (e *ruleEngine) rosterCount() {
	p := e.r.Params
	for _, c := range e.rc.Clusters {
		v, ok := e.vals[[2]string{c.Code, p.Indicator}]
		if !ok {
			continue
		}
		n := 0
		for _, en := range e.rc.Enterprises {
			if en.Cluster == c.Code && en.HasTag(p.Tag) {
				n++
			}
		}
		if float64(n) > v.V {
			e.add(ScopeCluster, p.Indicator, c.Row, NumberText(v.V), ruleVars{"row": c.Name, "tag": p.Tag, "count": strconv.Itoa(n)})
		}
	}
}

func (e *ruleEngine) uscc() {
	for _, en := range e.rc.Enterprises {
		if en.USCC == "" {
			continue
		}
		if ok, why := ValidUSCC(en.USCC); !ok {
			e.add(ScopeRoster, FieldUSCC, en.Row, en.USCC, ruleVars{"row": ruleRowName(en), "reason": why})
		}
	}
}

func (e *ruleEngine) duplicates() {
	key := e.r.Params.Key
	if key == "" {
		key = FieldUSCC
	}
	seen := map[string]int{}
	for _, en := range e.rc.Enterprises {
		k := rosterText(en, key)
		if k == "" {
			continue
		}
		if first, dup := seen[k]; dup {
			e.add(ScopeRoster, key, en.Row, k, ruleVars{"row": ruleRowName(en), "other_row": strconv.Itoa(first)})
			continue
		}
		seen[k] = en.Row
	}
}

func (e *ruleEngine) elsewhere() {
	if len(e.rc.Elsewhere) == 0 {
		return
	}
	by := map[string]Listing{}
	for _, l := range e.rc.Elsewhere {
		if _, ok := by[l.USCC]; !ok && l.Org != e.rc.Org {
			by[l.USCC] = l
		}
	}
	for _, en := range e.rc.Enterprises {
		if l, ok := by[en.USCC]; ok && en.USCC != "" {
			e.add(ScopeRoster, FieldUSCC, en.Row, en.USCC, ruleVars{"row": ruleRowName(en), "other_county": e.cat.Tree.Name(l.Org), "other_name": l.Name})
		}
	}
}

// NumberText formats v for a message: thousands separators and as many decimals as it has (up to 6),
// so 1234.5 reads "1,234.5" and 12 reads "12".
func NumberText(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	d := 0
	if i := strings.IndexByte(s, '.'); i >= 0 {
		d = min(len(s)-i-1, 6)
	}
	return FormatNumber(v, d)
}
