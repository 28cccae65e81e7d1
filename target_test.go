package lingpao

import (
	"strings"
	"testing"
)

func TestTargetMet(t *testing.T) {
	tests := []struct {
		name   string
		t      Target
		actual float64
		want   bool
	}{
		{"达到 750: 750", Target{Comp: CompReach, Value: fp(750)}, 750, true},
		{"达到 750: 749", Target{Comp: CompReach, Value: fp(750)}, 749, false},
		{"以上 80: 80", Target{Comp: CompAtLeast, Value: fp(80), Min: fp(80)}, 80, true},
		{"超过 100: 100", Target{Comp: CompMoreThan, Value: fp(100), Min: fp(100)}, 100, false},
		{"超过 100: 100.5", Target{Comp: CompMoreThan, Value: fp(100), Min: fp(100)}, 100.5, true},
		{"8%左右: 7.6 (95%)", Target{Comp: CompAbout, Value: fp(8)}, 7.6, true},
		{"8%左右: 7.59", Target{Comp: CompAbout, Value: fp(8)}, 7.59, false},
		{"8至10: 8", Target{Comp: CompRange, Min: fp(8), Max: fp(10)}, 8, true},
		{"8至10: 7", Target{Comp: CompRange, Min: fp(8), Max: fp(10)}, 7, false},
		{"8至10: 12 (the upper end is no cap)", Target{Comp: CompRange, Min: fp(8), Max: fp(10)}, 12, true},
		{"0.3 reached by 0.1+0.2", Target{Comp: CompReach, Value: fp(0.3)}, 0.1 + 0.2, true},
		{"0.1+0.2 reached by 0.3", Target{Comp: CompReach, Value: fp(0.1 + 0.2)}, 0.3, true},
	}
	for _, tt := range tests {
		if got := tt.t.Met(tt.actual); got != tt.want {
			t.Errorf("%s: Met = %v, want %v", tt.name, got, tt.want)
		}
	}
	low := Target{Comp: CompReach, Value: fp(0.5)}
	if !low.MetLowerIsBetter(0.5) || low.MetLowerIsBetter(0.51) {
		t.Error("lower is better: at most 0.5")
	}
}

func TestTargetTexts(t *testing.T) {
	jia := Indicator{Unit: "家", Decimals: 0}
	pct := Indicator{Unit: "%", Decimals: 1}
	tests := []struct {
		t           Target
		ind         Indicator
		value, rule string
	}{
		{Target{Comp: CompRange, Min: fp(8), Max: fp(10)}, jia, "8至10家", "达到8家即完成，10家为力争目标"},
		{Target{Comp: CompReach, Value: fp(750)}, jia, "750家", "达到750家"},
		{Target{Comp: CompAtLeast, Value: fp(20), Min: fp(20)}, jia, "20家以上", "不少于20家"},
		{Target{Comp: CompMoreThan, Value: fp(100), Min: fp(100)}, jia, "超过100家", "须超过100家"},
		{Target{Comp: CompAbout, Value: fp(8)}, pct, "8%左右", "达到7.6%（8%的95%）即完成"},
		{Target{Comp: CompReach, Value: fp(3.5)}, pct, "3.5%", "达到3.5%"},
	}
	for _, tt := range tests {
		if got := tt.t.ValueText(tt.ind); got != tt.value {
			t.Errorf("ValueText = %q, want %q", got, tt.value)
		}
		if got := tt.t.JudgeText(tt.ind); got != tt.rule {
			t.Errorf("JudgeText = %q, want %q", got, tt.rule)
		}
	}
}

func TestAllocationHelpers(t *testing.T) {
	stock := Indicator{Code: "srdi_sme", Name: "专精特新中小企业数", Unit: "家", Kind: KindStock, Source: SourceReturn}
	flow := Indicator{Code: "invention_patents_new", Name: "新增发明专利", Unit: "件", Kind: KindYTD, Source: SourceReturn}
	ratio := Indicator{Code: "r", Kind: KindRatio, Source: SourceDerived}
	cityKept := Indicator{Code: "leader_firms_new", Kind: KindYTD, Source: SourceCity}
	ms := Target{ID: "sjz2022-srdi_sme-2025", Org: "130100", Indicator: "srdi_sme", Form: FormMilestone, Comp: CompReach, Value: fp(750),
		Baseline: fp(580), Start: date("2024-01-01"), Due: date("2025-12-31"), Citation: "《方案》一、主要目标"}
	annual := Target{ID: "sjz2022-invention_patents_new-annual", Org: "130100", Indicator: "invention_patents_new", Form: FormAnnual, Comp: CompReach, Value: fp(100),
		FromYear: 2022, ToYear: 2025, Due: date("2025-12-31"), Citation: "《方案》二、（二）1"}
	rng := Target{ID: "sjz2022-listed-2025", Org: "130100", Indicator: "listed", Form: FormMilestone, Comp: CompRange, Min: fp(8), Max: fp(10), Due: date("2025-12-31")}

	if !Allocatable(ms, stock) || !Allocatable(annual, flow) || Allocatable(Target{Form: FormRate}, ratio) || Allocatable(Target{Form: FormCumulative}, cityKept) {
		t.Error("Allocatable: counts and flows reported by counties only")
	}
	if got := AllocationYears(annual, 2024); len(got) != 2 || got[0] != 2024 || got[1] != 2025 {
		t.Errorf("annual years from 2024 = %v", got)
	}
	if got := AllocationYears(ms, 2026); got != nil {
		t.Errorf("a 2025 milestone from 2026 = %v, want none", got)
	}
	lq := OrgUnit{Code: "130110", Name: "鹿泉区", Level: LevelCounty}
	a := Allocate(ms, stock, 2025, lq, 52, "市工信局分解")
	if a.ID != "sjz2022-srdi_sme-2025@130110" || a.Basis != ms.ID || a.Org != "130110" || a.Bar() != 52 || a.Baseline != nil || !a.Start.IsZero() ||
		!a.Due.Equal(ms.Due) || a.Example || a.Citation != "市工信局分解：依据 《方案》一、主要目标" || a.Text != "鹿泉区 2025年底专精特新中小企业数 52家" {
		t.Errorf("milestone share = %+v", a)
	}
	b := Allocate(annual, flow, 2025, lq, 9, "市工信局分解")
	if b.ID != "sjz2022-invention_patents_new-annual/2025@130110" || b.FromYear != 2025 || b.ToYear != 2025 || !b.Due.Equal(date("2025-12-31")) || b.Text != "鹿泉区 2025年新增发明专利 9件" {
		t.Errorf("annual share = %+v", b)
	}
	if c := Allocate(rng, stock, 2025, lq, 1, "x"); c.Comp != CompReach || c.Min != nil || c.Max != nil || c.Bar() != 1 {
		t.Errorf("range share = %+v, want 达到 its share", c)
	}
	key, ok := ParseAllocationKey(AllocationKey{Basis: annual.ID, Year: 2025}.String())
	if !ok || key.Basis != annual.ID || key.Year != 2025 {
		t.Errorf("key round trip = %+v %v", key, ok)
	}
	for _, bad := range []string{"", "x", "x|", "|2025", "x|20x5", "x|1999"} {
		if _, ok := ParseAllocationKey(bad); ok {
			t.Errorf("ParseAllocationKey(%q) accepted", bad)
		}
	}
	if !IsAllocationOf(b.ID, key) || IsAllocationOf(b.ID, AllocationKey{Basis: annual.ID, Year: 2024}) || !IsAllocationOf(a.ID, AllocationKey{Basis: ms.ID, Year: 2025}) {
		t.Error("IsAllocationOf")
	}
}

func TestCheckAllocation(t *testing.T) {
	reach := Target{Comp: CompReach, Value: fp(750)}
	atLeast := Target{Comp: CompAtLeast, Value: fp(80), Min: fp(80)}
	rng := Target{Comp: CompRange, Min: fp(8), Max: fp(10)}
	tests := []struct {
		name string
		t    Target
		sum  float64
		ok   bool
		diff float64
	}{
		{"达到: exact", reach, 750, true, 0},
		{"达到: short by 5", reach, 745, false, -5},
		{"达到: over by 3", reach, 753, false, 3},
		{"达到: decimals that add up", Target{Comp: CompReach, Value: fp(0.3)}, 0.1 + 0.2, true, 0},
		{"以上: exact", atLeast, 80, true, 0},
		{"以上: more is fine", atLeast, 85, true, 0},
		{"以上: short", atLeast, 78, false, -2},
		{"range: lower end", rng, 8, true, 0},
		{"range: inside", rng, 9, true, 0},
		{"range: upper end", rng, 10, true, 0},
		{"range: below", rng, 7, false, -1},
		{"range: above", rng, 12, false, 2},
	}
	for _, tt := range tests {
		ok, diff := CheckAllocation(tt.t, tt.sum)
		if ok != tt.ok || diff != tt.diff {
			t.Errorf("%s: got %v %v, want %v %v", tt.name, ok, diff, tt.ok, tt.diff)
		}
	}
}

func TestReplaceAllocations(t *testing.T) {
	city23 := Target{ID: "b23", Org: "C", Indicator: "stock", Form: FormMilestone, Comp: CompReach, Value: fp(580), Due: date("2023-12-31")}
	city25 := Target{ID: "b25", Org: "C", Indicator: "stock", Form: FormMilestone, Comp: CompReach, Value: fp(750), Due: date("2025-12-31")}
	stock := Indicator{Code: "stock", Name: "专精特新", Unit: "家", Kind: KindStock, Source: SourceReturn}
	a := OrgUnit{Code: "A", Name: "甲县"}
	b := OrgUnit{Code: "B", Name: "乙县"}
	example := func(basis Target, u OrgUnit, v float64) Target {
		t := Allocate(basis, stock, basis.Due.Year(), u, v, "示例")
		t.Basis, t.Example = "", true
		return t
	}
	ts := ResolveChains([]Target{city23, city25, example(city23, a, 300), example(city23, b, 280), example(city25, a, 400), example(city25, b, 350)})
	// Import the 2025 shares: 甲县 420, 乙县 330. The 2023 shares stay; the 2025 ones chain from them.
	shares := []Target{Allocate(city25, stock, 2025, a, 420, "导入"), Allocate(city25, stock, 2025, b, 330, "导入"),
		Allocate(Target{ID: "gone", Due: date("2025-12-31"), Form: FormMilestone}, stock, 2025, a, 1, "导入")}
	got := ReplaceAllocations(ts, []AllocationKey{{Basis: "b25", Year: 2025}}, shares)
	byID := map[string]Target{}
	for _, t := range got {
		byID[t.ID] = t
	}
	if len(got) != 6 {
		t.Fatalf("got %d targets, want 6 (a share of a basis that is gone is dropped): %v", len(got), got)
	}
	if x := byID["b25@A"]; x.Bar() != 420 || x.Example || x.Baseline == nil || *x.Baseline != 300 || !x.Start.Equal(date("2024-01-01")) {
		t.Errorf("甲县 2025 = %+v, want 420 chained from its 2023 share 300", x)
	}
	if x := byID["b23@B"]; x.Bar() != 280 || !x.Example {
		t.Errorf("乙县 2023 = %+v, want the example kept", x)
	}
	if !strings.Contains(byID["b25@B"].Text, "330") {
		t.Errorf("乙县 2025 text = %q", byID["b25@B"].Text)
	}
	// 丙县's share of the 2027 milestone (from 2026-01-01, chained at city level) has no earlier share of
	// its own to chain from: it starts with its basis, and Assess takes its baseline from the data. 甲县's
	// chains from its 2025 share.
	city27 := Target{ID: "b27", Org: "C", Indicator: "stock", Form: FormMilestone, Comp: CompReach, Value: fp(900), Due: date("2027-12-31")}
	ts27 := ResolveChains(append(append([]Target(nil), ts...), city27))
	d := OrgUnit{Code: "D", Name: "丙县"}
	got27 := ReplaceAllocations(ts27, []AllocationKey{{Basis: "b27", Year: 2027}}, []Target{Allocate(city27, stock, 2027, a, 480, "导入"), Allocate(city27, stock, 2027, d, 20, "导入")})
	for _, x := range got27 {
		switch x.ID {
		case "b27@D":
			if !x.Start.Equal(date("2026-01-01")) || x.Baseline != nil {
				t.Errorf("丙县 2027 = start %v baseline %v, want the basis's start 2026-01-01 and no baseline", x.Start, x.Baseline)
			}
		case "b27@A":
			if !x.Start.Equal(date("2026-01-01")) || x.Baseline == nil || *x.Baseline != 400 {
				t.Errorf("甲县 2027 = start %v baseline %v, want chained from its 2025 share 400", x.Start, x.Baseline)
			}
		}
	}
	// Covering a key without shares removes the allocation: the counties have no target for it.
	got = ReplaceAllocations(ts, []AllocationKey{{Basis: "b25", Year: 2025}}, nil)
	if len(got) != 4 {
		t.Errorf("cleared block: %d targets, want 4", len(got))
	}
}
