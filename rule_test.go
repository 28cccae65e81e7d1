package lingpao

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// ruleCatalog is one county with two clusters and return indicators of each kind the rules use.
func ruleCatalog(t *testing.T) *Catalog {
	t.Helper()
	tree, err := NewOrgTree([]OrgUnit{
		{Code: "C", Name: "市", Level: LevelCity},
		{Code: "A", Name: "甲县", Level: LevelCounty, Parent: "C"},
		{Code: "B", Name: "乙县", Level: LevelCounty, Parent: "C"},
	})
	if err != nil {
		t.Fatal(err)
	}
	zero := 0.0
	return &Catalog{Tree: tree,
		Clusters: []Cluster{{Code: "A01", Name: "甲装备", Org: "A"}, {Code: "A02", Name: "甲食品", Org: "A"}},
		Indicators: []Indicator{
			{Code: "rev", Name: "营业收入", Unit: "亿元", Kind: KindYTD, Source: SourceReturn, Required: true, Min: &zero},
			{Code: "srdi", Name: "专精特新", Unit: "家", Kind: KindStock, Source: SourceReturn, Integer: true, Min: &zero},
			{Code: "giant", Name: "小巨人", Unit: "家", Kind: KindStock, Source: SourceReturn, Integer: true, Min: &zero},
			{Code: "derived", Name: "增速", Unit: "%", Kind: KindGrowth, Source: SourceDerived},
		}}
}

// ruleLayout places the fields as the template does: cluster rows from 5, roster rows from 4.
func ruleLayout() map[string]SheetLayout {
	return map[string]SheetLayout{
		ScopeGuide: {Sheet: "填报说明", Fields: map[string]LayoutField{FieldContact: {Column: "C9", Name: "填报人"}, FieldPhone: {Column: "C10", Name: "联系电话"}}},
		ScopeCluster: {Sheet: "集群指标", Fields: map[string]LayoutField{
			"rev": {Column: "C", Name: "营业收入", Unit: "亿元"}, "srdi": {Column: "D", Name: "专精特新", Unit: "家"}, "giant": {Column: "E", Name: "小巨人", Unit: "家"}}},
		ScopeRoster: {Sheet: "企业名录", Fields: map[string]LayoutField{
			FieldName: {Column: "B", Name: "企业名称"}, FieldUSCC: {Column: "C", Name: "统一社会信用代码"}, FieldCluster: {Column: "D", Name: "所属集群"},
			FieldRevenue: {Column: "J", Name: "营业收入", Unit: "万元"}, FieldRnD: {Column: "K", Name: "研发投入", Unit: "万元"}}},
		ScopeIssues: {Sheet: "问题台账", Fields: map[string]LayoutField{FieldDescription: {Column: "B", Name: "问题描述"}}},
	}
}

func fpr(v float64) *float64 { return &v }

// A valid credit code and one with its check character changed.
const (
	goodUSCC = "91130100MA07L2XK3U"
	badUSCC  = "91130100MA07L2XK3C"
)

func TestCheckReturn(t *testing.T) {
	cat := ruleCatalog(t)
	sep := MonthOf(2025, 9)
	base := func() ReturnCheck {
		return ReturnCheck{Org: "A", Period: sep, Layout: ruleLayout(),
			Guide:    map[string]string{FieldContact: "王", FieldPhone: "1"},
			Clusters: []ClusterRow{{Code: "A01", Name: "甲装备", Row: 5}, {Code: "A02", Name: "甲食品", Row: 6, Remark: "新认定3家"}},
			Values: []Value{
				{Cluster: "A01", Indicator: "rev", V: 12.5, Cell: "C5"}, {Cluster: "A01", Indicator: "srdi", V: 10, Cell: "D5"}, {Cluster: "A01", Indicator: "giant", V: 2, Cell: "E5"},
				{Cluster: "A02", Indicator: "rev", V: 3, Cell: "C6"}, {Cluster: "A02", Indicator: "srdi", V: 4, Cell: "D6"}, {Cluster: "A02", Indicator: "giant", V: 1, Cell: "E6"},
			},
			Unreadable: map[string]bool{},
		}
	}
	type want struct{ rule, cell, msg string }
	tests := []struct {
		name string
		rule Rule
		edit func(rc *ReturnCheck)
		want []want
	}{
		{"required: blank cluster cell, not an unreadable one",
			Rule{Code: "req", Type: RuleRequired, Params: RuleParams{Scope: ScopeCluster, Select: "required"}, Message: "「{row}」{field}（{unit}）必填 {cell}"},
			func(rc *ReturnCheck) {
				rc.Values = rc.Values[1:]                           // A01 rev blank
				rc.Values = append(rc.Values[:2], rc.Values[3:]...) // A02 rev gone too …
				rc.Unreadable[UnreadableKey("集群指标", "C6")] = true   // … but it held "约3亿", already reported
			},
			[]want{{"req", "C5", "「甲装备」营业收入（亿元）必填 C5"}}},
		{"required: guide and roster",
			Rule{Code: "req", Type: RuleRequired, Params: RuleParams{Scope: ScopeRoster, Fields: []string{FieldName, FieldUSCC}}, Message: "{row} 缺 {field}"},
			func(rc *ReturnCheck) {
				rc.Enterprises = []Enterprise{{Name: "甲公司", Row: 4}, {USCC: goodUSCC, Row: 5}}
			},
			[]want{{"req", "C4", "甲公司 缺 统一社会信用代码"}, {"req", "B5", "第5行 缺 企业名称"}}},
		{"required: guide",
			Rule{Code: "req", Type: RuleRequired, Params: RuleParams{Scope: ScopeGuide, Fields: []string{FieldContact, FieldPhone}}, Message: "未填{field}（{cell}）"},
			func(rc *ReturnCheck) { rc.Guide[FieldPhone] = " " },
			[]want{{"req", "C10", "未填联系电话（C10）"}}},
		{"bounds from the catalog, with the range spelt out",
			Rule{Code: "b", Type: RuleBounds, Params: RuleParams{Scope: ScopeCluster, Select: "bounded"}, Message: "{row}{field}={value}，应{range}"},
			func(rc *ReturnCheck) { rc.Values[0].V = -1234.5 },
			[]want{{"b", "C5", "甲装备营业收入=-1,234.5，应不小于 0亿元"}}},
		{"bounds from params on the roster",
			Rule{Code: "b", Type: RuleBounds, Params: RuleParams{Scope: ScopeRoster, Fields: []string{FieldRevenue}, Min: fpr(0), Max: fpr(100)}, Message: "{row} {value} {range}"},
			func(rc *ReturnCheck) {
				rc.Enterprises = []Enterprise{{Name: "甲公司", Row: 4, Revenue: fpr(100)}, {Name: "乙公司", Row: 5, Revenue: fpr(100.5)}}
			},
			[]want{{"b", "J5", "乙公司 100.5 0～100万元"}}},
		{"integer",
			Rule{Code: "i", Type: RuleInteger, Params: RuleParams{Scope: ScopeCluster, Select: "integer"}, Message: "{row}{field}{value}"},
			func(rc *ReturnCheck) { rc.Values[4].V = 4.5 },
			[]want{{"i", "D6", "甲食品专精特新4.5"}}},
		{"part_whole on the cluster sheet names both cells",
			Rule{Code: "pw", Type: RulePartWhole, Params: RuleParams{Scope: ScopeCluster, Part: "giant", Whole: "srdi"}, Message: "{row}{part}{part_value}>{whole}{whole_value}({whole_cell})"},
			func(rc *ReturnCheck) { rc.Values[5].V = 5 },
			[]want{{"pw", "E6", "甲食品小巨人5>专精特新4(D6)"}}},
		{"part_whole on the roster: R&D within revenue; equal is fine",
			Rule{Code: "pw", Type: RulePartWhole, Params: RuleParams{Scope: ScopeRoster, Part: FieldRnD, Whole: FieldRevenue}, Message: "{row}:{part_value}>{whole_value}"},
			func(rc *ReturnCheck) {
				rc.Enterprises = []Enterprise{{Name: "甲", Row: 4, Revenue: fpr(10), RnD: fpr(10)}, {Name: "乙", Row: 5, Revenue: fpr(10), RnD: fpr(12)}, {Name: "丙", Row: 6, RnD: fpr(12)}}
			},
			[]want{{"pw", "K5", "乙:12>10"}}},
		{"ytd falls within the year, not across it; the remark is quoted or asked for",
			Rule{Code: "y", Type: RuleYTDNonDecreasing, Severity: SevWarning, Params: RuleParams{Select: "ytd", RequireRemark: true}, Message: "{row}{value}<{prev_period}{prev}；{explain}"},
			func(rc *ReturnCheck) {
				rc.Previous = []Value{
					{Cluster: "A01", Indicator: "rev", V: 11, Period: MonthOf(2025, 7)}, // older: ignored
					{Cluster: "A01", Indicator: "rev", V: 13, Period: MonthOf(2025, 8)},
					{Cluster: "A02", Indicator: "rev", V: 3.5, Period: MonthOf(2025, 8)},
				}
			},
			[]want{{"y", "C5", "甲装备12.5<2025年8月13；请在本行“备注（情况说明）”栏写明原因"}, {"y", "C6", "甲食品3<2025年8月3.5；已有情况说明：“新认定3家”"}}},
		{"ytd: January after December is no fall",
			Rule{Code: "y", Type: RuleYTDNonDecreasing, Params: RuleParams{Select: "ytd"}, Message: "x"},
			func(rc *ReturnCheck) {
				rc.Period = MonthOf(2026, 1)
				rc.Previous = []Value{{Cluster: "A01", Indicator: "rev", V: 100, Period: MonthOf(2025, 12)}}
			},
			nil},
		{"stock jump: beyond the percentage and the minimum change, from zero too",
			Rule{Code: "s", Type: RuleStockJump, Severity: SevWarning, Params: RuleParams{Select: "stock", Percent: 30, MinChange: 3}, Message: "{row}{field}{prev}→{value}({change},>{percent}%)"},
			func(rc *ReturnCheck) {
				rc.Previous = []Value{
					{Cluster: "A01", Indicator: "srdi", V: 7, Period: MonthOf(2025, 8)},  // 7→10: +3 = 42.9%: flagged
					{Cluster: "A02", Indicator: "srdi", V: 2, Period: MonthOf(2025, 8)},  // 2→4: +100% but only 2: not flagged
					{Cluster: "A01", Indicator: "giant", V: 2, Period: MonthOf(2025, 8)}, // unchanged
					{Cluster: "A02", Indicator: "giant", V: 0, Period: MonthOf(2025, 8)}, // 0→1: below min_change
				}
				rc.Values[2].V = 5 // A01 giant 2→5: +150%, +3: flagged
			},
			[]want{{"s", "D5", "甲装备专精特新7→10(+3,>30%)"}, {"s", "E5", "甲装备小巨人2→5(+3,>30%)"}}},
		{"stock jump within the percentage",
			Rule{Code: "s", Type: RuleStockJump, Params: RuleParams{Select: "stock", Percent: 50, MinChange: 1}, Message: "x"},
			func(rc *ReturnCheck) {
				rc.Previous = []Value{{Cluster: "A01", Indicator: "srdi", V: 8, Period: MonthOf(2025, 8)}}
			},
			nil},
		{"roster lists more tagged enterprises than the cluster sheet counts",
			Rule{Code: "rc", Type: RuleRosterCount, Params: RuleParams{Tag: TagLittleGiant, Indicator: "giant"}, Message: "{row}{tag}{count}>{value}"},
			func(rc *ReturnCheck) {
				rc.Enterprises = []Enterprise{
					{Name: "甲", Cluster: "A02", Tags: []string{TagSRDI, TagLittleGiant}, Row: 4},
					{Name: "乙", Cluster: "A02", Tags: []string{TagLittleGiant}, Row: 5},
					{Name: "丙", Cluster: "A01", Tags: []string{TagLittleGiant}, Row: 6},
					{Name: "丁", Cluster: "A01", Tags: []string{TagLittleGiant}, Row: 7}, // 2 listed, 2 reported: fine
				}
			},
			[]want{{"rc", "E6", "甲食品小巨人2>1"}}},
		{"credit code check character",
			Rule{Code: "u", Type: RuleUSCC, Message: "{row}{reason}{value}"},
			func(rc *ReturnCheck) {
				rc.Enterprises = []Enterprise{{Name: "甲", USCC: goodUSCC, Row: 4}, {Name: "乙", USCC: badUSCC, Row: 5}, {Name: "丙", USCC: "123", Row: 6}, {Name: "丁", Row: 7}}
			},
			[]want{{"u", "C5", "乙统一社会信用代码校验位不正确，可能有错字" + badUSCC}, {"u", "C6", "丙统一社会信用代码应为18位123"}}},
		{"duplicates within the file, by code and by name",
			Rule{Code: "d", Type: RuleDuplicateInFile, Params: RuleParams{Key: FieldName}, Message: "{row}={other_row}"},
			func(rc *ReturnCheck) {
				rc.Enterprises = []Enterprise{{Name: "甲", Row: 4}, {Name: "乙", Row: 5}, {Name: "甲", Row: 9}, {Row: 10}, {Row: 11}}
			},
			[]want{{"d", "B9", "甲=4"}}},
		{"duplicates across counties",
			Rule{Code: "x", Type: RuleDuplicateAcross, Message: "{row}在{other_county}（{other_name}）"},
			func(rc *ReturnCheck) {
				rc.Enterprises = []Enterprise{{Name: "甲", USCC: goodUSCC, Row: 4}, {Name: "乙", USCC: badUSCC, Row: 5}}
				rc.Elsewhere = []Listing{{USCC: goodUSCC, Org: "B", Name: "甲有限公司"}, {USCC: goodUSCC, Org: "A", Name: "自己"}}
			},
			[]want{{"x", "C4", "甲在乙县（甲有限公司）"}}},
		{"issues without a description",
			Rule{Code: "is", Type: RuleRequired, Params: RuleParams{Scope: ScopeIssues, Fields: []string{FieldDescription}}, Message: "{row}"},
			func(rc *ReturnCheck) {
				rc.Issues = []Issue{{Description: "用地", Row: 4}, {Category: "融资", Row: 5}}
			},
			[]want{{"is", "B5", "第5行"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if probs := CheckRules(cat, []Rule{withSeverity(tt.rule)}); probs != nil {
				t.Fatalf("rule does not check: %v", probs)
			}
			rc := base()
			tt.edit(&rc)
			var got []want
			for _, f := range CheckReturn(cat, []Rule{withSeverity(tt.rule)}, rc) {
				got = append(got, want{f.Rule, f.Cell, f.Message})
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func withSeverity(r Rule) Rule {
	if r.Severity == "" {
		r.Severity = SevError
	}
	return r
}

func TestCheckRules(t *testing.T) {
	cat := ruleCatalog(t)
	ok := Rule{Code: "ok", Type: RulePartWhole, Severity: SevError, Params: RuleParams{Scope: ScopeCluster, Part: "giant", Whole: "srdi"}, Message: "{row}{part}{whole_cell}"}
	tests := []struct {
		name string
		r    Rule
		want string // a fragment of the one problem expected; "" = none
	}{
		{"valid", ok, ""},
		{"unknown type", Rule{Code: "t", Type: "sum", Severity: SevError, Message: "x"}, "没有「sum」这种规则类型"},
		{"bad severity", Rule{Code: "s", Type: RuleUSCC, Severity: "fatal", Message: "x"}, "severity 应为 error 或 warning"},
		{"no message", Rule{Code: "m", Type: RuleUSCC, Severity: SevError}, "缺少 message"},
		{"unknown field", Rule{Code: "f", Type: RuleRequired, Severity: SevError, Params: RuleParams{Scope: ScopeCluster, Fields: []string{"derived"}}, Message: "x"}, "「derived」不是集群指标表的字段"},
		{"wrong scope", Rule{Code: "w", Type: RuleBounds, Severity: SevError, Params: RuleParams{Scope: ScopeGuide, Fields: []string{"contact"}}, Message: "x"}, "params.scope 应为"},
		{"placeholder the type lacks", Rule{Code: "p", Type: RuleUSCC, Severity: SevError, Message: "{row}{prev}"}, "{prev} 不是该类型可用的占位符"},
		{"remark without explain", Rule{Code: "e", Type: RuleStockJump, Severity: SevWarning, Params: RuleParams{Select: "stock", Percent: 30, RequireRemark: true}, Message: "x"}, "应有 {explain}"},
		{"remark on an error", Rule{Code: "e", Type: RuleStockJump, Severity: SevError, Params: RuleParams{Select: "stock", Percent: 30, RequireRemark: true}, Message: "{explain}"}, "只用于 warning"},
		{"jump without percent", Rule{Code: "j", Type: RuleStockJump, Severity: SevWarning, Params: RuleParams{Select: "stock"}, Message: "x"}, "params.percent"},
		{"unknown tag", Rule{Code: "g", Type: RuleRosterCount, Severity: SevWarning, Params: RuleParams{Tag: "龙头", Indicator: "srdi"}, Message: "x"}, "不是企业名录的标签"},
		{"select and fields", Rule{Code: "sf", Type: RuleInteger, Severity: SevError, Params: RuleParams{Scope: ScopeCluster, Select: "integer", Fields: []string{"srdi"}}, Message: "x"}, "只能用一个"},
		{"name key across counties", Rule{Code: "k", Type: RuleDuplicateAcross, Severity: SevWarning, Params: RuleParams{Key: FieldName}, Message: "x"}, "params.key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			probs := CheckRules(cat, []Rule{tt.r})
			switch {
			case tt.want == "" && probs != nil:
				t.Errorf("problems %v, want none", probs)
			case tt.want != "" && (len(probs) != 1 || !strings.Contains(probs[0], tt.want)):
				t.Errorf("problems %v, want one containing %q", probs, tt.want)
			}
		})
	}
	if probs := CheckRules(cat, []Rule{ok, ok}); len(probs) != 1 || !strings.Contains(probs[0], "code 重复") {
		t.Errorf("duplicate codes: %v", probs)
	}
}

func TestApplyValidation(t *testing.T) {
	rules := []Rule{
		{Code: "a", Type: RuleStockJump, Severity: SevWarning, Params: RuleParams{Percent: 30}},
		{Code: "b", Type: RuleUSCC, Severity: SevError},
		{Code: "c", Type: RuleDuplicateAcross, Severity: SevWarning},
	}
	got, err := ApplyValidation(rules, ValidationConfig{StockJumpPercent: 50, Disable: []string{"c"}, Severity: map[string]Severity{"b": SevWarning}})
	if err != nil {
		t.Fatal(err)
	}
	want := []Rule{
		{Code: "a", Type: RuleStockJump, Severity: SevWarning, Params: RuleParams{Percent: 50}},
		{Code: "b", Type: RuleUSCC, Severity: SevWarning},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("applied (-want +got):\n%s", diff)
	}
	if rules[0].Params.Percent != 30 {
		t.Error("ApplyValidation changed its input")
	}
	if _, err := ApplyValidation(rules, ValidationConfig{Disable: []string{"zz"}}); ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), "zz") {
		t.Errorf("unknown code: %v", err)
	}
}

func TestValidationConfigProblems(t *testing.T) {
	c := DefaultConfig(t.TempDir())
	c.Secret = strings.Repeat("a", 64)
	if err := c.Validate(); err != nil {
		t.Fatalf("default config: %v", err)
	}
	c.Validation = ValidationConfig{StockJumpPercent: -1, Severity: map[string]Severity{"x": "fatal"}}
	msg := ErrorMessage(c.Validate())
	for _, want := range []string{"stock_jump_percent 不能为负", "validation.severity.x", "max_unzip_mb"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
}
