package seeds

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"lingpao"
)

func TestRulesLoad(t *testing.T) {
	cat, err := Load(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	rules, err := Rules(Embedded(), cat)
	if err != nil {
		t.Fatal(err)
	}
	types := map[lingpao.RuleType]bool{}
	pairs := map[[2]string]bool{}
	for _, r := range rules {
		types[r.Type] = true
		if r.Type == lingpao.RulePartWhole {
			pairs[[2]string{r.Params.Part, r.Params.Whole}] = true
		}
	}
	// Every rule type is in use, so each is exercised by the shipped data.
	for _, tt := range []lingpao.RuleType{lingpao.RuleRequired, lingpao.RuleBounds, lingpao.RuleInteger, lingpao.RulePartWhole, lingpao.RuleYTDNonDecreasing,
		lingpao.RuleStockJump, lingpao.RuleRosterCount, lingpao.RuleUSCC, lingpao.RuleDuplicateInFile, lingpao.RuleDuplicateAcross} {
		if !types[tt] {
			t.Errorf("no rule of type %s in %s", tt, FileRules)
		}
	}
	// A ratio whose numerator and denominator are both reported must have numerator ≤ denominator.
	for _, ind := range cat.Indicators {
		if !ind.IsRatio() {
			continue
		}
		n, _ := cat.Indicator(ind.Numerator)
		d, _ := cat.Indicator(ind.Denominator)
		if n.Reported() && d.Reported() && !pairs[[2]string{n.Code, d.Code}] {
			t.Errorf("%s (%s / %s) has no part_whole rule", ind.Code, n.Code, d.Code)
		}
	}
	if !pairs[[2]string{"little_giant", "srdi_sme"}] || !pairs[[2]string{lingpao.FieldRnD, lingpao.FieldRevenue}] {
		t.Error("小巨人 ≤ 专精特新 and 研发投入 ≤ 营业收入 must be rules")
	}
}

func TestRulesOverrideReportsProblems(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "seeds"), 0o755); err != nil {
		t.Fatal(err)
	}
	bad := "rules:\n  - code: x\n    type: part_whole\n    severity: error\n    params: {scope: cluster, part: little_giant, whole: nonesuch}\n    message: \"{row}{prev}\"\n"
	if err := os.WriteFile(filepath.Join(dir, "seeds", FileRules), []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	cat, err := LoadWorkspace(dir)
	if err != nil {
		t.Fatal(err)
	}
	_, err = Rules(Workspace(dir), cat)
	msg := lingpao.ErrorMessage(err)
	for _, want := range []string{filepath.Join(dir, "seeds", FileRules), "「nonesuch」不是集群指标表的字段", "{prev}"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message %q lacks %q", msg, want)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "seeds", FileRules), []byte("rules:\n  - code: x\n    typo: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Rules(Workspace(dir), cat); !strings.Contains(lingpao.ErrorMessage(err), "typo") {
		t.Errorf("unknown key: %v", err)
	}
}
