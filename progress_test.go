package lingpao

import (
	"math"
	"testing"
	"time"
)

func fp(v float64) *float64 { return &v }

func date(s string) time.Time {
	t, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

// testCatalog is a city with three counties and the indicators of each kind.
func testCatalog(t *testing.T) *Catalog {
	t.Helper()
	tree, err := NewOrgTree([]OrgUnit{
		{Code: "P", Name: "省", Level: LevelProvince},
		{Code: "C", Name: "市", Level: LevelCity, Parent: "P"},
		{Code: "A", Name: "甲县", Level: LevelCounty, Parent: "C"},
		{Code: "B", Name: "乙县", Level: LevelCounty, Parent: "C"},
		{Code: "D", Name: "丙县", Level: LevelCounty, Parent: "C"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return &Catalog{Tree: tree, Indicators: []Indicator{
		{Code: "stock", Name: "专精特新", Unit: "家", Kind: KindStock, Source: SourceReturn},
		{Code: "ytd", Name: "发明专利", Unit: "件", Kind: KindYTD, Source: SourceReturn},
		{Code: "rev", Name: "营业收入", Unit: "亿元", Kind: KindYTD, Source: SourceReturn},
		{Code: "rev_ly", Name: "上年同期", Unit: "亿元", Kind: KindYTD, Source: SourceReturn},
		{Code: "rnd", Name: "研发投入", Unit: "亿元", Kind: KindYTD, Source: SourceReturn},
		{Code: "ratio", Name: "研发投入占比", Unit: "%", Kind: KindRatio, Source: SourceDerived, Numerator: "rnd", Denominator: "rev"},
		{Code: "growth", Name: "增速", Unit: "%", Kind: KindGrowth, Source: SourceDerived, Base: "rev", Prior: "rev_ly"},
	}}
}

func add(ds *DataSet, org string, m Period, kv map[string]float64) {
	var vs []Value
	for k, v := range kv {
		vs = append(vs, Value{Org: org, Cluster: org + "-1", Indicator: k, V: v})
	}
	ds.AddSubmission(org, m, 1, vs)
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestActualKinds(t *testing.T) {
	cat := testCatalog(t)
	sep := MonthOf(2025, 9)
	ds := NewDataSet()
	// 甲县: R&D 1 of revenue 10 (10%); 乙县: 9 of 90 (10%)... make them differ: 乙县 3 of 90 (3.33%).
	add(ds, "A", sep, map[string]float64{"stock": 100, "ytd": 12, "rev": 10, "rnd": 1, "rev_ly": 8})
	add(ds, "B", sep, map[string]float64{"stock": 50, "ytd": 30, "rev": 90, "rnd": 3, "rev_ly": 100})
	// 丙县 did not report.
	orgs := []string{"A", "B", "D"}
	ind := func(code string) Indicator { i, _ := cat.Indicator(code); return i }

	if a := ds.Actual(cat, ind("stock"), orgs, "", sep); !a.OK || a.Value != 150 || a.Units != 2 || a.Of != 3 {
		t.Errorf("stock = %+v, want 150 from 2 of 3", a)
	}
	if a := ds.Actual(cat, ind("ytd"), orgs, "", sep); a.Value != 42 {
		t.Errorf("ytd = %v, want 42", a.Value)
	}
	// Ratio of sums: (1+3)/(10+90) = 4%. The average of ratios would be (10%+3.33%)/2 = 6.67%.
	if a := ds.Actual(cat, ind("ratio"), orgs, "", sep); !near(a.Value, 4) || a.Num != 4 || a.Den != 100 {
		t.Errorf("ratio = %+v, want 4%% (4/100)", a)
	}
	// Growth: (10+90)/(8+100) − 1 = −7.4074…%.
	if a := ds.Actual(cat, ind("growth"), orgs, "", sep); !near(a.Value, (100.0/108-1)*100) {
		t.Errorf("growth = %v, want %v", a.Value, (100.0/108-1)*100)
	}
	// Not reported is not zero.
	if a := ds.Actual(cat, ind("stock"), []string{"D"}, "", sep); a.OK {
		t.Errorf("丙县 stock OK = true, want not reported")
	}
}

func TestGrowthFromHistory(t *testing.T) {
	cat := testCatalog(t)
	ds := NewDataSet()
	add(ds, "A", MonthOf(2024, 9), map[string]float64{"rev": 50})
	add(ds, "A", MonthOf(2025, 9), map[string]float64{"rev": 54}) // no rev_ly in the return
	g, _ := cat.Indicator("growth")
	if a := ds.Actual(cat, g, []string{"A"}, "", MonthOf(2025, 9)); !near(a.Value, 8) {
		t.Errorf("growth from stored history = %v, want 8", a.Value)
	}
}

func TestExpectedProgress(t *testing.T) {
	annual := Target{Form: FormAnnual, FromYear: 2022, ToYear: 2025}
	chained := Target{Form: FormMilestone, Start: date("2024-01-01"), Due: date("2025-12-31"), Baseline: fp(580), Value: fp(750)}
	tests := []struct {
		name string
		t    Target
		m    Period
		w    []float64
		want float64
	}{
		{"annual September", annual, MonthOf(2025, 9), nil, 0.75},
		{"annual January", annual, MonthOf(2025, 1), nil, 1.0 / 12},
		{"annual seasonal", annual, MonthOf(2025, 2), []float64{0, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}, 2.0 / 12},
		{"chained milestone 21 of 24 months", chained, MonthOf(2025, 9), nil, 21.0 / 24},
		{"rate applies at every date", Target{Form: FormRate}, MonthOf(2025, 3), nil, 1},
	}
	for _, tt := range tests {
		if got := ExpectedProgress(tt.t, tt.m, tt.w); !near(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCompletion(t *testing.T) {
	stock := Indicator{Kind: KindStock}
	tests := []struct {
		name   string
		t      Target
		actual float64
		want   float64
	}{
		{"milestone without baseline", Target{Form: FormMilestone, Value: fp(750)}, 612, 0.816},
		{"milestone from baseline", Target{Form: FormMilestone, Value: fp(750), Baseline: fp(580)}, 733, 0.9},
		{"range meets at the lower end", Target{Form: FormMilestone, Comp: CompRange, Min: fp(8), Max: fp(10)}, 6, 0.75},
		{"cumulative stock counts the increment", Target{Form: FormCumulative, Value: fp(20), Baseline: fp(30)}, 45, 0.75},
		{"annual", Target{Form: FormAnnual, Value: fp(100)}, 80, 0.8},
		{"rate", Target{Form: FormRate, Value: fp(3.5)}, 3.15, 0.9},
	}
	for _, tt := range tests {
		if got := Completion(tt.t, stock, tt.actual); !near(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestClassifyBoundaries(t *testing.T) {
	th := DefaultThresholds()
	tests := []struct {
		gap  float64
		want Status
	}{
		{5.0001, StatusAhead}, {5, StatusOnTrack}, {0, StatusOnTrack}, {-5, StatusOnTrack},
		{-5.0001, StatusBehind}, {-15, StatusBehind}, {-15.0001, StatusFarBehind},
		{(0.80 - 0.75) * 100, StatusOnTrack}, // 5.000000000000004 in binary: still exactly +5
	}
	for _, tt := range tests {
		if got := th.Classify(tt.gap); got != tt.want {
			t.Errorf("Classify(%v) = %s, want %s", tt.gap, got, tt.want)
		}
	}
}

func TestAssessCityAndCounty(t *testing.T) {
	cat := testCatalog(t)
	cat.Targets = []Target{
		{ID: "c", Org: "C", Indicator: "ytd", Form: FormAnnual, Value: fp(100), FromYear: 2025, ToYear: 2025},
		{ID: "a", Org: "A", Indicator: "ytd", Form: FormAnnual, Value: fp(40), FromYear: 2025, ToYear: 2025},
		{ID: "r", Org: "C", Indicator: "ratio", Form: FormRate, Value: fp(5), Due: date("2025-12-31")},
	}
	sep := MonthOf(2025, 9)
	ds := NewDataSet()
	add(ds, "A", sep, map[string]float64{"ytd": 24, "rev": 10, "rnd": 0.4})
	add(ds, "B", sep, map[string]float64{"ytd": 56, "rev": 30, "rnd": 1.2})
	opt := DefaultProgressOptions()
	ytd, _ := cat.Indicator("ytd")
	city := Assess(cat, ds, "C", ytd, sep, opt)
	// 80 of 100 = 80%, expected 75% → +5pp exactly → 基本同步.
	if !near(city.Completion, 0.8) || !near(city.Expected, 0.75) || city.Status != StatusOnTrack {
		t.Errorf("city = %+v", city)
	}
	a := Assess(cat, ds, "A", ytd, sep, opt)
	// 24 of 40 = 60%, gap −15pp exactly → 滞后 (not 严重滞后).
	if !near(a.Completion, 0.6) || a.Status != StatusBehind {
		t.Errorf("甲县 = %+v", a)
	}
	if b := Assess(cat, ds, "B", ytd, sep, opt); b.Status != StatusNoTarget {
		t.Errorf("乙县 without an allocation: status %s, want no_target (counts are never inherited)", b.Status)
	}
	if d := Assess(cat, ds, "D", ytd, sep, opt); d.Status != StatusMissing {
		t.Errorf("丙县: status %s, want missing", d.Status)
	}
	ratio, _ := cat.Indicator("ratio")
	// A ratio target is inherited: 乙县 1.2/30 = 4% against 5% → 80% → gap −20pp → 严重滞后.
	if b := Assess(cat, ds, "B", ratio, sep, opt); !near(b.Actual.Value, 4) || b.Status != StatusFarBehind {
		t.Errorf("乙县 ratio = %+v", b)
	}
}

func TestResolveChains(t *testing.T) {
	ts := ResolveChains([]Target{
		{ID: "2025", Org: "C", Indicator: "stock", Form: FormMilestone, Value: fp(750), Due: date("2025-12-31")},
		{ID: "2023", Org: "C", Indicator: "stock", Form: FormMilestone, Value: fp(580), Due: date("2023-12-31")},
	})
	got := ts[0]
	if got.Baseline == nil || *got.Baseline != 580 || !got.Start.Equal(date("2024-01-01")) {
		t.Errorf("2025 milestone = baseline %v start %v, want 580 from 2024-01-01", got.Baseline, got.Start)
	}
}

func TestActualCarried(t *testing.T) {
	cat := testCatalog(t)
	ds := NewDataSet()
	aug, sep := MonthOf(2025, 8), MonthOf(2025, 9)
	add(ds, "A", aug, map[string]float64{"stock": 90, "ytd": 10, "rev": 8, "rnd": 0.2})
	add(ds, "A", sep, map[string]float64{"stock": 100, "ytd": 12, "rev": 10, "rnd": 1})
	add(ds, "B", aug, map[string]float64{"stock": 40, "ytd": 25, "rev": 80, "rnd": 2})
	// 乙县 misses September; 丙县 never reported.
	ind := func(code string) Indicator { i, _ := cat.Indicator(code); return i }
	orgs := []string{"A", "B", "D"}
	a := ds.ActualCarried(cat, ind("stock"), orgs, "", sep)
	if a.Value != 140 || a.Units != 2 || len(a.Carried) != 1 || a.Carried[0].Org != "B" || a.Carried[0].From != aug {
		t.Errorf("stock carried = %+v, want 100 + 乙县's August 40", a)
	}
	// Ratio carries numerator and denominator together: (1+2)/(10+80).
	if a := ds.ActualCarried(cat, ind("ratio"), orgs, "", sep); !near(a.Value, 300.0/90) {
		t.Errorf("ratio carried = %v, want %v", a.Value, 300.0/90)
	}
	// A YTD figure never crosses the year: nothing carried into January from December.
	ds2 := NewDataSet()
	add(ds2, "B", MonthOf(2024, 12), map[string]float64{"ytd": 99})
	add(ds2, "A", MonthOf(2025, 1), map[string]float64{"ytd": 3})
	if a := ds2.ActualCarried(cat, ind("ytd"), orgs, "", MonthOf(2025, 1)); a.Value != 3 || len(a.Carried) != 0 {
		t.Errorf("ytd across the year = %+v, want 3 with nothing carried", a)
	}
	// The plain Actual never carries: same-date sums only.
	if a := ds.Actual(cat, ind("stock"), orgs, "", sep); a.Value != 100 {
		t.Errorf("Actual = %v, want 100", a.Value)
	}
}
