package reports_test

import (
	"strings"
	"testing"
	"time"

	"lingpao"
	"lingpao/reports"
)

func TestDiff(t *testing.T) {
	old := []reports.Figure{
		{Org: "a", Name: "正定县", Item: "新增发明专利（本年累计）", Text: "12件"},
		{Org: "a", Name: "正定县", Item: "新增发明专利（本年累计）目标", Text: "16件"},
		{Org: "b", Name: "井陉矿区", Item: "专精特新中小企业数", Text: "未报送"},
		{Org: "c", Name: "赵县", Item: "综合得分", Text: "101.20"},
	}
	cur := []reports.Figure{
		{Org: "a", Name: "正定县", Item: "新增发明专利（本年累计）", Text: "13件"},
		{Org: "a", Name: "正定县", Item: "新增发明专利（本年累计）目标", Text: "16件"},
		{Org: "b", Name: "井陉矿区", Item: "专精特新中小企业数", Text: "7家"},
		{Org: "b", Name: "井陉矿区", Item: "综合得分", Text: "88.00"},
	}
	got := reports.Diff(old, cur)
	want := []string{
		"正定县新增发明专利（本年累计）由12件更正为13件",
		"井陉矿区专精特新中小企业数由未报送更正为7家",
		"井陉矿区综合得分增列为88.00",
		"赵县综合得分（原为101.20）不再列出",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d corrections %+v, want %d", len(got), got, len(want))
	}
	for i, c := range got {
		if c.Text() != want[i] {
			t.Errorf("correction %d: %q, want %q", i, c.Text(), want[i])
		}
	}
	if reports.Digest(old) == reports.Digest(cur) || reports.Digest(cur) != reports.Digest(append([]reports.Figure(nil), cur...)) {
		t.Error("digest does not tell the figures apart, or is not stable")
	}
	if len(reports.Diff(cur, cur)) != 0 {
		t.Error("the same figures differ")
	}
}

func TestErrataNote(t *testing.T) {
	p := reports.Provenance{Edition: 1}
	if s := reports.ErrataNote(p); s != "" {
		t.Errorf("first edition has an errata note: %q", s)
	}
	p = reports.Provenance{Edition: 3, RevisesDate: time.Date(2025, 10, 15, 9, 0, 0, 0, time.UTC),
		Errata: []reports.Correction{{Name: "正定县", Item: "新增发明专利（本年累计）", Old: "12件", New: "13件"}}}
	want := "本件为第3版，更正第2版（2025年10月15日生成）。印发后收到的报表更正，共1处：正定县新增发明专利（本年累计）由12件更正为13件。其余内容不变，请以本版为准。"
	if s := reports.ErrataNote(p); s != want {
		t.Errorf("errata note\n got %s\nwant %s", s, want)
	}
	for i := range 14 {
		p.Errata = append(p.Errata, reports.Correction{Name: "赵县", Item: "指标" + string(rune('A'+i)), Old: "1", New: "2"})
	}
	if s := reports.ErrataNote(p); !strings.Contains(s, "赵县指标K由1更正为2等（其余3处见同期工作簿“数据来源”表）。") || strings.Contains(s, "指标L") {
		t.Errorf("a long errata note is not cut after 12 corrections: %q", s)
	}
	p.Errata = nil
	if s := reports.ErrataNote(p); !strings.HasSuffix(s, "数据未变。") {
		t.Errorf("a revision without changes: %q", s)
	}
}

// TestAttributeChanges: a 更正说明 lists only changes to accepted data the earlier edition used. A
// county that sent a later version (正定县) is corrected; one whose return the earlier edition did
// not have (井陉矿区, 补报) is not a correction — it is named apart; a figure of no changed county
// (a target) is an adjustment; the city total follows the counties.
func TestAttributeChanges(t *testing.T) {
	changes := []reports.Correction{
		{Org: "130123", Name: "正定县", Item: "新增发明专利（本年累计）", Old: "12件", New: "13件"},
		{Org: "130107", Name: "井陉矿区", Item: "专精特新中小企业数", Old: "未报送", New: "7家"},
		{Org: "130110", Name: "鹿泉区", Item: "专精特新中小企业数目标", Old: "68家", New: "70家"},
		{Org: "130100", Name: "全市合计", Item: "新增发明专利（本年累计）", Old: "80件", New: "81件"},
	}
	got := reports.Attribute(changes, "130100", map[string]bool{"130123": true}, map[string]bool{"130107": true})
	want := []string{reports.CauseCorrection, reports.CauseLate, reports.CauseOther, reports.CauseCorrection}
	for i, c := range got {
		if c.Cause != want[i] {
			t.Errorf("%s%s: cause %s, want %s", c.Name, c.Item, c.Cause, want[i])
		}
	}
	p := reports.Provenance{Edition: 2, RevisesDate: time.Date(2025, 10, 16, 1, 0, 0, 0, time.UTC), Errata: got,
		Late: []reports.LateReturn{{Org: "130107", Name: "井陉矿区", Month: lingpao.MonthOf(2025, 9), ReceivedAt: time.Date(2025, 10, 20, 2, 0, 0, 0, time.UTC)}}}
	note := reports.ErrataNote(p)
	for _, w := range []string{"本件为第2版，更正第1版（2025年10月16日生成）。", "共2处：正定县新增发明专利（本年累计）由12件更正为13件；全市合计新增发明专利（本年累计）由80件更正为81件。",
		"本版计入了印发后补报的井陉矿区2025年9月报表（10月20日收到），相关数字随之变化，不属更正。", "因目标任务调整变化的数字1处"} {
		if !strings.Contains(note, w) {
			t.Errorf("note lacks %q:\n%s", w, note)
		}
	}
	if strings.Contains(note, "由未报送更正为") {
		t.Errorf("a late return is worded as a correction: %s", note)
	}
	// Only late returns: the new edition replaces the old one, it corrects nothing.
	p.Errata = reports.Attribute(changes[1:2], "130100", nil, map[string]bool{"130107": true})
	if note := reports.ErrataNote(p); !strings.HasPrefix(note, "本件为第2版，替代第1版") || strings.Contains(note, "更正，共") {
		t.Errorf("late return only: %s", note)
	}
}
