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
		if got := ExpectedProgress(tt.t, tt.m, tt.w, false); !near(got, tt.want) {
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
		{5.1, StatusAhead}, {5, StatusOnTrack}, {0, StatusOnTrack}, {-5, StatusOnTrack},
		{-5.1, StatusBehind}, {-15, StatusBehind}, {-15.1, StatusFarBehind},
		{(0.80 - 0.75) * 100, StatusOnTrack}, // 5.000000000000004 in binary: still exactly +5
		// Decided on the gap as printed, one decimal half away from zero: −15.02 prints −15.0 and is
		// 滞后; −15.05 prints −15.1 and is 严重滞后; +5.04 prints +5.0; +5.05 prints +5.1.
		{-15.02, StatusBehind}, {-15.0499, StatusBehind}, {-15.05, StatusFarBehind}, {-5.04, StatusOnTrack}, {-5.05, StatusBehind},
		{5.04, StatusOnTrack}, {5.05, StatusAhead}, {5.0001, StatusOnTrack},
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

// formsCatalog is testCatalog with a coverage indicator and every target form, for county A.
func formsCatalog(t *testing.T) *Catalog {
	cat := testCatalog(t)
	cat.Indicators = append(cat.Indicators,
		Indicator{Code: "diag", Name: "诊断企业", Unit: "家", Kind: KindStock, Source: SourceReturn},
		Indicator{Code: "above", Name: "规上企业", Unit: "家", Kind: KindStock, Source: SourceReturn},
		Indicator{Code: "cov", Name: "诊断覆盖率", Unit: "%", Kind: KindCoverage, Source: SourceDerived, Numerator: "diag", Denominator: "above"},
		Indicator{Code: "listed", Name: "上市企业", Unit: "家", Kind: KindStock, Source: SourceReturn},
	)
	return cat
}

// TestAssessFormsAndBoundaries assesses county A against one target of every form with values that
// put the gap exactly on the status boundaries (+5, −5, −15 pp) and just beyond them. Every expected
// figure is worked out by hand in the case's comment.
func TestAssessFormsAndBoundaries(t *testing.T) {
	sep25, sep26 := MonthOf(2025, 9), MonthOf(2026, 9)
	annual := Target{ID: "annual", Org: "A", Indicator: "ytd", Form: FormAnnual, Comp: CompReach, Value: fp(120), FromYear: 2025, ToYear: 2025, Due: date("2025-12-31")}
	chained := Target{ID: "ms", Org: "A", Indicator: "stock", Form: FormMilestone, Comp: CompReach, Value: fp(740), Baseline: fp(500), Start: date("2024-01-01"), Due: date("2025-12-31")}
	cumul := Target{ID: "cum", Org: "A", Indicator: "ytd", Form: FormCumulative, Comp: CompAtLeast, Value: fp(60), Min: fp(60), Start: date("2025-01-01"), Due: date("2027-12-31")}
	rate := Target{ID: "rate", Org: "A", Indicator: "ratio", Form: FormRate, Comp: CompReach, Value: fp(3.5), Due: date("2025-12-31")}
	growth := Target{ID: "g", Org: "A", Indicator: "growth", Form: FormGrowth, Comp: CompAbout, Value: fp(8), FromYear: 2025, ToYear: 2027, Due: date("2027-12-31")}
	rng := Target{ID: "rng", Org: "A", Indicator: "listed", Form: FormMilestone, Comp: CompRange, Min: fp(8), Max: fp(10), Due: date("2025-12-31")}
	cover := Target{ID: "cov", Org: "A", Indicator: "cov", Form: FormRate, Comp: CompReach, Value: fp(100), Due: date("2025-12-31")}
	more := Target{ID: "more", Org: "A", Indicator: "ytd", Form: FormAnnual, Comp: CompMoreThan, Value: fp(100), Min: fp(100), FromYear: 2025, ToYear: 2025, Due: date("2025-12-31")}

	type point struct {
		m  Period
		kv map[string]float64
	}
	tests := []struct {
		name       string
		t          Target
		ind        string
		m          Period
		data       []point
		completion float64
		expected   float64
		gap        float64
		status     Status
		met        bool
	}{
		// Annual 120, September: expected 9/12 = 0.75.
		{"annual +5 exactly: 96/120 = 0.80", annual, "ytd", sep25, []point{{sep25, map[string]float64{"ytd": 96}}}, 0.8, 0.75, 5, StatusOnTrack, false},
		{"annual just above +5: 96.12/120 = 0.801", annual, "ytd", sep25, []point{{sep25, map[string]float64{"ytd": 96.12}}}, 0.801, 0.75, 5.1, StatusAhead, false},
		{"annual −5 exactly: 84/120 = 0.70", annual, "ytd", sep25, []point{{sep25, map[string]float64{"ytd": 84}}}, 0.7, 0.75, -5, StatusOnTrack, false},
		{"annual just below −5: 83.88/120 = 0.699", annual, "ytd", sep25, []point{{sep25, map[string]float64{"ytd": 83.88}}}, 0.699, 0.75, -5.1, StatusBehind, false},
		{"annual −15 exactly: 72/120 = 0.60", annual, "ytd", sep25, []point{{sep25, map[string]float64{"ytd": 72}}}, 0.6, 0.75, -15, StatusBehind, false},
		{"annual just below −15: 71.88/120 = 0.599", annual, "ytd", sep25, []point{{sep25, map[string]float64{"ytd": 71.88}}}, 0.599, 0.75, -15.1, StatusFarBehind, false},
		{"annual met at 120", annual, "ytd", MonthOf(2025, 12), []point{{MonthOf(2025, 12), map[string]float64{"ytd": 120}}}, 1, 1, 0, StatusOnTrack, true},
		// Milestone 500 → 740 from 2024-01-01 to 2025-12-31: September 2025 is 21 of 24 months, 0.875;
		// completion (a − 500) / 240.
		{"milestone +5: (722−500)/240 = 0.925", chained, "stock", sep25, []point{{sep25, map[string]float64{"stock": 722}}}, 0.925, 0.875, 5, StatusOnTrack, false},
		{"milestone −5: (698−500)/240 = 0.825", chained, "stock", sep25, []point{{sep25, map[string]float64{"stock": 698}}}, 0.825, 0.875, -5, StatusOnTrack, false},
		{"milestone −15: (674−500)/240 = 0.725", chained, "stock", sep25, []point{{sep25, map[string]float64{"stock": 674}}}, 0.725, 0.875, -15, StatusBehind, false},
		{"milestone below −15: (673−500)/240", chained, "stock", sep25, []point{{sep25, map[string]float64{"stock": 673}}}, 173.0 / 240, 0.875, -15.4, StatusFarBehind, false},
		{"milestone ahead: (760−500)/240", chained, "stock", sep25, []point{{sep25, map[string]float64{"stock": 760}}}, 260.0 / 240, 0.875, 20.8, StatusAhead, true},
		// Cumulative 60 over 2025–2027: September 2026 expects (1 + 9/12) / 3 = 0.583333; the flow is
		// December 2025's YTD 20 plus September 2026's YTD.
		{"cumulative +5: (20+18)/60", cumul, "ytd", sep26, []point{{MonthOf(2025, 12), map[string]float64{"ytd": 20}}, {sep26, map[string]float64{"ytd": 18}}}, 38.0 / 60, 1.75 / 3, 5, StatusOnTrack, false},
		{"cumulative −5: (20+12)/60", cumul, "ytd", sep26, []point{{MonthOf(2025, 12), map[string]float64{"ytd": 20}}, {sep26, map[string]float64{"ytd": 12}}}, 32.0 / 60, 1.75 / 3, -5, StatusOnTrack, false},
		{"cumulative −15: (20+6)/60", cumul, "ytd", sep26, []point{{MonthOf(2025, 12), map[string]float64{"ytd": 20}}, {sep26, map[string]float64{"ytd": 6}}}, 26.0 / 60, 1.75 / 3, -15, StatusBehind, false},
		{"cumulative below −15: (20+5.4)/60", cumul, "ytd", sep26, []point{{MonthOf(2025, 12), map[string]float64{"ytd": 20}}, {sep26, map[string]float64{"ytd": 5.4}}}, 25.4 / 60, 1.75 / 3, -16, StatusFarBehind, false},
		// Rate 3.5%: expected 1 at every date; completion = ratio / 3.5.
		{"rate +5: 3.675%", rate, "ratio", sep25, []point{{sep25, map[string]float64{"rnd": 3.675, "rev": 100}}}, 1.05, 1, 5, StatusOnTrack, true},
		{"rate −5: 3.325%", rate, "ratio", sep25, []point{{sep25, map[string]float64{"rnd": 3.325, "rev": 100}}}, 0.95, 1, -5, StatusOnTrack, false},
		{"rate −15: 2.975%", rate, "ratio", sep25, []point{{sep25, map[string]float64{"rnd": 2.975, "rev": 100}}}, 0.85, 1, -15, StatusBehind, false},
		{"rate below −15: 2.8%", rate, "ratio", sep25, []point{{sep25, map[string]float64{"rnd": 2.8, "rev": 100}}}, 0.8, 1, -20, StatusFarBehind, false},
		// Growth 8% 左右: (106.8/100 − 1) = 6.8% → 0.85; 7.6% is 95% of 8, which 左右 meets.
		{"growth −15: 6.8% of 8%", growth, "growth", sep25, []point{{sep25, map[string]float64{"rev": 106.8, "rev_ly": 100}}}, 0.85, 1, -15, StatusBehind, false},
		{"growth about, −5: 7.6% meets 8%左右", growth, "growth", sep25, []point{{sep25, map[string]float64{"rev": 107.6, "rev_ly": 100}}}, 0.95, 1, -5, StatusOnTrack, true},
		{"growth about, 7.5% does not", growth, "growth", sep25, []point{{sep25, map[string]float64{"rev": 107.5, "rev_ly": 100}}}, 7.5 / 8, 1, -6.3, StatusBehind, false},
		// Range 8至10 without a start: a level judged at its lower end 8, expected 1.
		{"range: 8 meets 8至10", rng, "listed", sep25, []point{{sep25, map[string]float64{"listed": 8}}}, 1, 1, 0, StatusOnTrack, true},
		{"range: 6.8 is −15", rng, "listed", sep25, []point{{sep25, map[string]float64{"listed": 6.8}}}, 0.85, 1, -15, StatusBehind, false},
		{"range: 11 is ahead and meets it", rng, "listed", sep25, []point{{sep25, map[string]float64{"listed": 11}}}, 11.0 / 8, 1, 37.5, StatusAhead, true},
		// Coverage 100%: 95 of 100 diagnosed → 95% → −5; 85 → −15; 84 → −16.
		{"coverage −5: 95/100", cover, "cov", sep25, []point{{sep25, map[string]float64{"diag": 95, "above": 100}}}, 0.95, 1, -5, StatusOnTrack, false},
		{"coverage −15: 85/100", cover, "cov", sep25, []point{{sep25, map[string]float64{"diag": 85, "above": 100}}}, 0.85, 1, -15, StatusBehind, false},
		{"coverage −16: 84/100", cover, "cov", sep25, []point{{sep25, map[string]float64{"diag": 84, "above": 100}}}, 0.84, 1, -16, StatusFarBehind, false},
		{"coverage full: 100/100", cover, "cov", sep25, []point{{sep25, map[string]float64{"diag": 100, "above": 100}}}, 1, 1, 0, StatusOnTrack, true},
		// 超过100: exactly 100 completes 100% but does not meet "more than".
		{"more than: 100 is not more than 100", more, "ytd", MonthOf(2025, 12), []point{{MonthOf(2025, 12), map[string]float64{"ytd": 100}}}, 1, 1, 0, StatusOnTrack, false},
		{"more than: 101 is", more, "ytd", MonthOf(2025, 12), []point{{MonthOf(2025, 12), map[string]float64{"ytd": 101}}}, 1.01, 1, 1, StatusOnTrack, true},
	}
	for _, tt := range tests {
		cat := formsCatalog(t)
		cat.Targets = []Target{tt.t}
		ds := NewDataSet()
		for _, p := range tt.data {
			add(ds, "A", p.m, p.kv)
		}
		ind, _ := cat.Indicator(tt.ind)
		got := Assess(cat, ds, "A", ind, tt.m, DefaultProgressOptions())
		if math.Abs(got.Completion-tt.completion) > 1e-12 || !near(got.Expected, tt.expected) || math.Abs(got.Gap-tt.gap) > 1e-9 || got.Status != tt.status || got.Met != tt.met {
			t.Errorf("%s: got completion %v expected %v gap %v status %s met %v; want %v %v %v %s %v",
				tt.name, got.Completion, got.Expected, got.Gap, got.Status, got.Met, tt.completion, tt.expected, tt.gap, tt.status, tt.met)
		}
	}
}

func TestExpectedProgressForms(t *testing.T) {
	cumul := Target{Form: FormCumulative, Start: date("2025-01-01"), Due: date("2027-12-31")}
	midYear := Target{Form: FormCumulative, Start: date("2025-07-01"), Due: date("2026-06-30")}
	seasonal := []float64{0, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1} // sums to 12; 1–2月 carry 2
	tests := []struct {
		name string
		t    Target
		m    Period
		w    []float64
		want float64
	}{
		{"cumulative 2025–2027 at September 2026: (1 + 9/12)/3", cumul, MonthOf(2026, 9), nil, 1.75 / 3},
		{"cumulative at its first month: (0 + 1/12)/3", cumul, MonthOf(2025, 1), nil, 1.0 / 36},
		{"cumulative with seasonal weights at February 2025: (2/12)/3", cumul, MonthOf(2025, 2), seasonal, 2.0 / 36},
		{"cumulative at its due month", cumul, MonthOf(2027, 12), nil, 1},
		{"cumulative after its due date stays 1", cumul, MonthOf(2028, 3), nil, 1},
		{"cumulative not year-aligned: 3 of 12 months", midYear, MonthOf(2025, 9), nil, 0.25},
		{"annual February under 1–2月合并 counts two months", Target{Form: FormAnnual}, MonthOf(2025, 2), nil, 2.0 / 12},
		{"annual seasonal: nothing expected in January", Target{Form: FormAnnual}, MonthOf(2025, 1), seasonal, 0},
		{"annual seasonal December", Target{Form: FormAnnual}, MonthOf(2025, 12), seasonal, 1},
		{"annual weights that do not sum to anything fall back to months", Target{Form: FormAnnual}, MonthOf(2025, 6), make([]float64, 12), 0.5},
		{"milestone without a start is a level", Target{Form: FormMilestone, Due: date("2025-12-31")}, MonthOf(2025, 3), nil, 1},
		{"milestone before its start", Target{Form: FormMilestone, Start: date("2026-01-01"), Due: date("2027-12-31")}, MonthOf(2025, 9), nil, 0},
		{"growth", Target{Form: FormGrowth}, MonthOf(2025, 3), nil, 1},
	}
	for _, tt := range tests {
		if got := ExpectedProgress(tt.t, tt.m, tt.w, false); !near(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestCompletionEdges(t *testing.T) {
	lower := Indicator{Kind: KindStock, LowerIsBetter: true}
	stock := Indicator{Kind: KindStock}
	tests := []struct {
		name   string
		t      Target
		ind    Indicator
		actual float64
		want   float64
	}{
		{"lower is better: 80 against at most 100", Target{Form: FormRate, Value: fp(100)}, lower, 80, 1.25},
		{"lower is better: 125 against 100", Target{Form: FormRate, Value: fp(100)}, lower, 125, 0.8},
		{"zero target, nothing negative", Target{Form: FormAnnual, Value: fp(0)}, stock, 0, 1},
		{"baseline equals the target, reached", Target{Form: FormMilestone, Value: fp(10), Baseline: fp(10)}, stock, 10, 1},
		{"baseline equals the target, fallen short", Target{Form: FormMilestone, Value: fp(10), Baseline: fp(10)}, stock, 9, 0},
		{"below the baseline is negative progress", Target{Form: FormMilestone, Value: fp(750), Baseline: fp(580)}, stock, 563, -0.1},
	}
	for _, tt := range tests {
		if got := Completion(tt.t, tt.ind, tt.actual); !near(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestApplicableTarget(t *testing.T) {
	ms := func(id, due string, v float64) Target {
		return Target{ID: id, Org: "C", Indicator: "stock", Form: FormMilestone, Comp: CompReach, Value: fp(v), Due: date(due)}
	}
	chain := ResolveChains([]Target{ms("2023", "2023-12-31", 580), ms("2025", "2025-12-31", 750), ms("2027", "2027-12-31", 900)})
	flows := []Target{
		{ID: "annual", Org: "C", Indicator: "ytd", Form: FormAnnual, Value: fp(100), FromYear: 2022, ToYear: 2025, Due: date("2025-12-31")},
		{ID: "plan", Org: "C", Indicator: "ytd", Form: FormCumulative, Value: fp(300), Start: date("2025-01-01"), Due: date("2027-12-31")},
		{ID: "late", Org: "C", Indicator: "ytd", Form: FormCumulative, Value: fp(50), Start: date("2028-01-01"), Due: date("2028-12-31")},
		{ID: "midyear", Org: "C", Indicator: "rate", Form: FormRate, Value: fp(3), Due: date("2025-06-30")},
	}
	all := append(chain, flows...)
	tests := []struct {
		indicator string
		m         Period
		want      string // "" = none
	}{
		{"stock", MonthOf(2022, 6), "2023"},
		{"stock", MonthOf(2023, 12), "2023"},
		{"stock", MonthOf(2024, 1), "2025"}, // the 2025 milestone starts the day after 2023's is due
		{"stock", MonthOf(2025, 12), "2025"},
		{"stock", MonthOf(2026, 1), "2027"},
		{"stock", MonthOf(2028, 1), ""},
		{"ytd", MonthOf(2024, 9), "annual"}, // the plan of 2025–2027 has not started
		{"ytd", MonthOf(2025, 9), "annual"}, // the year's own figure before the plan-long one
		{"ytd", MonthOf(2026, 9), "plan"},
		{"ytd", MonthOf(2027, 12), "plan"},
		{"ytd", MonthOf(2028, 1), "late"},
		{"rate", MonthOf(2025, 9), "midyear"}, // due in June, still measured in the rest of 2025
		{"rate", MonthOf(2026, 1), ""},
	}
	for _, tt := range tests {
		got, ok := ApplicableTarget(all, "C", tt.indicator, tt.m)
		if (tt.want == "") == ok || (ok && got.ID != tt.want) {
			t.Errorf("%s %s: got %q (%v), want %q", tt.indicator, tt.m, got.ID, ok, tt.want)
		}
	}
	// The order of the list does not matter.
	rev := make([]Target, len(all))
	for i, x := range all {
		rev[len(all)-1-i] = x
	}
	for _, tt := range tests {
		a, _ := ApplicableTarget(all, "C", tt.indicator, tt.m)
		b, _ := ApplicableTarget(rev, "C", tt.indicator, tt.m)
		if a.ID != b.ID {
			t.Errorf("%s %s: order changes the choice: %q vs %q", tt.indicator, tt.m, a.ID, b.ID)
		}
	}
}

func TestAssessChainAcrossYears(t *testing.T) {
	cat := testCatalog(t)
	cat.Targets = ResolveChains([]Target{
		{ID: "2023", Org: "C", Indicator: "stock", Form: FormMilestone, Comp: CompReach, Value: fp(580), Due: date("2023-12-31")},
		{ID: "2025", Org: "C", Indicator: "stock", Form: FormMilestone, Comp: CompReach, Value: fp(750), Due: date("2025-12-31")},
		{ID: "2027", Org: "C", Indicator: "stock", Form: FormMilestone, Comp: CompReach, Value: fp(900), Due: date("2027-12-31")},
	})
	ds := NewDataSet()
	add(ds, "A", MonthOf(2023, 6), map[string]float64{"stock": 290})
	add(ds, "B", MonthOf(2023, 6), map[string]float64{"stock": 232})
	add(ds, "A", MonthOf(2026, 6), map[string]float64{"stock": 420})
	add(ds, "B", MonthOf(2026, 6), map[string]float64{"stock": 390})
	stock, _ := cat.Indicator("stock")
	opt := DefaultProgressOptions()
	// 2023: the first milestone has no start: a level. 522 of 580 = 0.9 → −10 pp → 滞后.
	a := Assess(cat, ds, "C", stock, MonthOf(2023, 6), opt)
	if a.Target.ID != "2023" || !near(a.Completion, 0.9) || a.Expected != 1 || a.Status != StatusBehind || a.Baseline != nil {
		t.Errorf("2023: %+v", a)
	}
	// 2026-06: the 2027 milestone from 750 (2026-01-01) — 6 of 24 months = 0.25; (810−750)/150 = 0.4.
	a = Assess(cat, ds, "C", stock, MonthOf(2026, 6), opt)
	if a.Target.ID != "2027" || a.Baseline == nil || *a.Baseline != 750 || a.BaselineFrom != "target" ||
		!near(a.Expected, 0.25) || !near(a.Completion, 0.4) || !near(a.Gap, 15) || a.Status != StatusAhead {
		t.Errorf("2026: %+v", a)
	}
	// A quarter is measured at its last month; a half and a year too.
	if q := Assess(cat, ds, "C", stock, Period{Year: 2026, Kind: Quarter, N: 2}, opt); q.Period != "2026Q2" || !near(q.Gap, a.Gap) {
		t.Errorf("2026Q2 = %+v, want the June figures", q)
	}
}

func TestAssessBaselineFromData(t *testing.T) {
	cat := testCatalog(t)
	cat.Targets = []Target{{ID: "m", Org: "C", Indicator: "stock", Form: FormMilestone, Comp: CompReach, Value: fp(200), Start: date("2025-01-01"), Due: date("2025-12-31")}}
	stock, _ := cat.Indicator("stock")
	ds := NewDataSet()
	add(ds, "A", MonthOf(2024, 12), map[string]float64{"stock": 60})
	add(ds, "B", MonthOf(2024, 12), map[string]float64{"stock": 40})
	add(ds, "D", MonthOf(2024, 12), map[string]float64{"stock": 20})
	for _, org := range []string{"A", "B", "D"} {
		add(ds, org, MonthOf(2025, 6), map[string]float64{"stock": 50})
	}
	// Baseline 120 from December 2024; June: (150 − 120) / 80 = 0.375 against 6/12 = 0.5 → −12.5 pp.
	a := Assess(cat, ds, "C", stock, MonthOf(2025, 6), DefaultProgressOptions())
	if a.Baseline == nil || *a.Baseline != 120 || a.BaselineFrom != "data" || !near(a.Completion, 0.375) || !near(a.Expected, 0.5) || a.Status != StatusBehind {
		t.Errorf("baseline from data: %+v", a)
	}
	// Without a complete baseline month the milestone is a level: 150/200 = 0.75 against 1.
	ds2 := NewDataSet()
	add(ds2, "A", MonthOf(2024, 12), map[string]float64{"stock": 60})
	for _, org := range []string{"A", "B", "D"} {
		add(ds2, org, MonthOf(2025, 6), map[string]float64{"stock": 50})
	}
	opt := DefaultProgressOptions()
	opt.CarryForward = false
	a = Assess(cat, ds2, "C", stock, MonthOf(2025, 6), opt)
	if a.Baseline != nil || !near(a.Completion, 0.75) || a.Expected != 1 {
		t.Errorf("incomplete baseline month: %+v", a)
	}
}

func TestAssessSeasonalWeights(t *testing.T) {
	cat := testCatalog(t)
	cat.Targets = []Target{{ID: "a", Org: "A", Indicator: "ytd", Form: FormAnnual, Value: fp(120), FromYear: 2025, ToYear: 2025, Due: date("2025-12-31")}}
	ytd, _ := cat.Indicator("ytd")
	ds := NewDataSet()
	add(ds, "A", MonthOf(2025, 3), map[string]float64{"ytd": 12})
	opt := DefaultProgressOptions()
	// Equal weights: 12/120 = 0.10 against 3/12 = 0.25 → −15 pp, 滞后.
	if a := Assess(cat, ds, "A", ytd, MonthOf(2025, 3), opt); !near(a.Gap, -15) || a.Status != StatusBehind {
		t.Errorf("equal weights: %+v", a)
	}
	// A slow first quarter (weights 0.5, 0.5, 1, then 1.1 for nine months: sum 11.9): expected
	// 2/11.9 = 0.168067 → gap −6.8 pp, still 滞后 but not by as much.
	opt.Seasonal = map[string][]float64{"ytd": {0.5, 0.5, 1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1, 1.1}}
	if a := Assess(cat, ds, "A", ytd, MonthOf(2025, 3), opt); !near(a.Expected, 2/11.9) || a.Status != StatusBehind {
		t.Errorf("seasonal: %+v", a)
	}
}

func TestAssessCumulativeAcrossYears(t *testing.T) {
	cat := testCatalog(t)
	cat.Targets = []Target{{ID: "p", Org: "C", Indicator: "ytd", Form: FormCumulative, Comp: CompReach, Value: fp(100), Start: date("2024-04-01"), Due: date("2025-12-31")}}
	ytd, _ := cat.Indicator("ytd")
	ds := NewDataSet()
	add(ds, "A", MonthOf(2024, 3), map[string]float64{"ytd": 5}) // before the plan started
	add(ds, "A", MonthOf(2024, 12), map[string]float64{"ytd": 35})
	add(ds, "A", MonthOf(2025, 6), map[string]float64{"ytd": 20})
	// Flow since 2024-04-01: (35 − 5) + 20 = 50; 15 of 21 months elapsed (Apr 2024 .. Jun 2025).
	a := Assess(cat, ds, "C", ytd, MonthOf(2025, 6), DefaultProgressOptions())
	if !near(a.Actual.Value, 50) || !near(a.Completion, 0.5) || !near(a.Expected, 15.0/21) {
		t.Errorf("cumulative from April 2024: %+v", a)
	}
}

func TestZeroAllocationIsNoTask(t *testing.T) {
	cat := testCatalog(t)
	cat.Targets = []Target{{ID: "a", Org: "A", Indicator: "ytd", Form: FormAnnual, Value: fp(0), FromYear: 2025, ToYear: 2025}}
	ds := NewDataSet()
	add(ds, "A", MonthOf(2025, 9), map[string]float64{"ytd": 0})
	ytd, _ := cat.Indicator("ytd")
	a := Assess(cat, ds, "A", ytd, MonthOf(2025, 9), DefaultProgressOptions())
	if a.Status != StatusNoTarget || a.Measured() || !a.HasTarget || a.TargetValue != 0 {
		t.Errorf("zero allocation = %+v, want 无任务, not measured", a)
	}
	if StatusNoTarget.Label() != "无任务" {
		t.Errorf("label %q", StatusNoTarget.Label())
	}
}

// TestJanuaryUnderMergeJanFeb: with 1–2月合并 January is not expected. A county that files January
// with nothing done yet is on schedule (序时进度 0, not 1/12 — which made it 滞后 and put it on the
// ladder); a county that merged reads 1–2月合并, holds its ladder and is not ranked; a milestone's
// line stands where it stood in December; February counts two months.
func TestJanuaryUnderMergeJanFeb(t *testing.T) {
	cat := testCatalog(t)
	cat.Targets = []Target{
		{ID: "a", Org: "A", Indicator: "ytd", Form: FormAnnual, Comp: CompReach, Value: fp(120), FromYear: 2025, ToYear: 2025, Due: date("2025-12-31")},
		{ID: "b", Org: "B", Indicator: "ytd", Form: FormAnnual, Comp: CompReach, Value: fp(60), FromYear: 2025, ToYear: 2025, Due: date("2025-12-31")},
		{ID: "ms", Org: "A", Indicator: "stock", Form: FormMilestone, Comp: CompReach, Value: fp(740), Baseline: fp(500), Start: date("2024-01-01"), Due: date("2025-12-31")},
	}
	jan, feb := MonthOf(2025, 1), MonthOf(2025, 2)
	ds := NewDataSet()
	add(ds, "A", jan, map[string]float64{"ytd": 0, "stock": 620})
	add(ds, "A", feb, map[string]float64{"ytd": 20, "stock": 625})
	add(ds, "B", feb, map[string]float64{"ytd": 10})
	opt := DefaultProgressOptions()
	opt.MergeJanFeb = true
	ytd, _ := cat.Indicator("ytd")
	stock, _ := cat.Indicator("stock")

	a := Assess(cat, ds, "A", ytd, jan, opt)
	if a.Expected != 0 || a.Gap != 0 || a.Status != StatusOnTrack {
		t.Errorf("甲县 January: expected %v gap %v %s, want 0, 0, 基本同步", a.Expected, a.Gap, a.Status)
	}
	if ob := opt.Thresholds; ob.Classify(a.Gap).Lagging() {
		t.Error("a January filed on time is lagging")
	}
	b := Assess(cat, ds, "B", ytd, jan, opt)
	if b.Status != StatusMerged || b.Status.Label() != "1–2月合并" || b.Measured() {
		t.Errorf("乙县 January: %s (%s), measured %v; want 1–2月合并, not measured", b.Status, b.Status.Label(), b.Measured())
	}
	if ob := DefaultLadderOptions().ObserveAssessment(jan, b); ob.Tally != Hold {
		t.Errorf("乙县 January moves the ladder: %+v", ob)
	}
	rows := []Assessment{a, b}
	RankAssessments(rows)
	if rows[1].Rank != 0 {
		t.Errorf("乙县 ranked %d in January", rows[1].Rank)
	}
	// The milestone 500 → 740 (2024-01-01 to 2025-12-31): January 2025 stands at December's 12/24.
	if s := Assess(cat, ds, "A", stock, jan, opt); !near(s.Expected, 0.5) || !near(s.Completion, 0.5) || s.Gap != 0 {
		t.Errorf("甲县 stock January: expected %v completion %v gap %v, want 0.5, 0.5, 0", s.Expected, s.Completion, s.Gap)
	}
	// February: two months of twelve; 20 of 120 is on schedule.
	if f := Assess(cat, ds, "A", ytd, feb, opt); !near(f.Expected, 2.0/12) || f.Gap != 0 {
		t.Errorf("甲县 February: expected %v gap %v, want 2/12, 0", f.Expected, f.Gap)
	}
	// Without 1–2月合并 January is a month like the others, and a missing return is 未报送.
	opt.MergeJanFeb = false
	if a := Assess(cat, ds, "A", ytd, jan, opt); !near(a.Expected, 1.0/12) || a.Status != StatusBehind {
		t.Errorf("甲县 January without merging: expected %v %s, want 1/12 滞后", a.Expected, a.Status)
	}
	if b := Assess(cat, ds, "B", ytd, jan, opt); b.Status != StatusMissing {
		t.Errorf("乙县 January without merging: %s, want 未报送", b.Status)
	}
}

// TestStatusOnPrintedGap: status, ranks and the ladder are decided on the gap as printed. 599.8 of
// 1,000 in September: 59.98% against 75%, a gap of −15.02 printed −15.0 — 滞后, not 严重滞后.
func TestStatusOnPrintedGap(t *testing.T) {
	cat := testCatalog(t)
	cat.Targets = []Target{{ID: "a", Org: "A", Indicator: "ytd", Form: FormAnnual, Comp: CompReach, Value: fp(1000), FromYear: 2025, ToYear: 2025, Due: date("2025-12-31")}}
	sep := MonthOf(2025, 9)
	ds := NewDataSet()
	add(ds, "A", sep, map[string]float64{"ytd": 599.8})
	ytd, _ := cat.Indicator("ytd")
	a := Assess(cat, ds, "A", ytd, sep, DefaultProgressOptions())
	if a.Gap != -15 || a.Status != StatusBehind {
		t.Errorf("gap %v %s, want −15.0 滞后", a.Gap, a.Status)
	}
	if ob := DefaultLadderOptions().ObserveAssessment(sep, a); ob.Note != "滞后序时进度15.0个百分点（滞后）" {
		t.Errorf("ladder note %q", ob.Note)
	}
}

// TestMilestoneWithNothingToAdd: a county whose 2025 share equals its 2023 share (井陉矿区 小巨人 1 →
// 1) has no task — not ranked first at 100%, not scored; a 2025 share above the 2023 one is measured
// from it, as the city's 2025 target is measured from its 2023 one.
func TestMilestoneWithNothingToAdd(t *testing.T) {
	cat := testCatalog(t)
	cat.SetTargets(ResolveChains([]Target{
		{ID: "c23", Org: "C", Indicator: "stock", Form: FormMilestone, Comp: CompReach, Value: fp(75), Due: date("2023-12-31")},
		{ID: "c25", Org: "C", Indicator: "stock", Form: FormMilestone, Comp: CompReach, Value: fp(105), Due: date("2025-12-31")},
		{ID: "a23", Org: "A", Indicator: "stock", Form: FormMilestone, Comp: CompReach, Value: fp(1), Due: date("2023-12-31")},
		{ID: "a25", Org: "A", Indicator: "stock", Form: FormMilestone, Comp: CompReach, Value: fp(1), Due: date("2025-12-31")},
		{ID: "b23", Org: "B", Indicator: "stock", Form: FormMilestone, Comp: CompReach, Value: fp(2), Due: date("2023-12-31")},
		{ID: "b25", Org: "B", Indicator: "stock", Form: FormMilestone, Comp: CompReach, Value: fp(4), Due: date("2025-12-31")},
	}))
	sep := MonthOf(2025, 9)
	ds := NewDataSet()
	add(ds, "A", sep, map[string]float64{"stock": 1})
	add(ds, "B", sep, map[string]float64{"stock": 4})
	stock, _ := cat.Indicator("stock")
	opt := DefaultProgressOptions()
	a := Assess(cat, ds, "A", stock, sep, opt)
	b := Assess(cat, ds, "B", stock, sep, opt)
	if a.Status != StatusNoTarget || a.HasTask() || !a.HasTarget {
		t.Errorf("甲县 1 → 1: %s, task %v; want 无任务 with its target shown", a.Status, a.HasTask())
	}
	// 乙县 2 → 4 over 2024–2025, September 2025 expects 21/24: (4 − 2) / 2 = 100%, +12.5.
	if b.Completion != 1 || !near(b.Expected, 0.875) || b.Gap != 12.5 || b.Status != StatusAhead {
		t.Errorf("乙县 2 → 4: completion %v expected %v gap %v %s", b.Completion, b.Expected, b.Gap, b.Status)
	}
	rows := []Assessment{a, b}
	RankAssessments(rows)
	if rows[0].Rank != 0 || rows[1].Rank != 1 {
		t.Errorf("ranks %d, %d; want 甲县 not ranked", rows[0].Rank, rows[1].Rank)
	}
}

// TestRoundHalfAwayFromZero: figures print half away from zero on their decimal value.
func TestRoundHalfAwayFromZero(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		d    int
		want string
	}{
		{15.05, 1, "15.1"}, {-15.05, 1, "-15.1"}, {-15.02, 1, "-15.0"}, {2.675, 2, "2.68"}, {0.125, 2, "0.13"},
		{1234.5, 0, "1,235"}, {-0.04, 1, "0.0"}, {(0.80 - 0.75) * 100, 1, "5.0"}, {81.65, 1, "81.7"},
	} {
		if got := FormatNumber(tt.v, tt.d); got != tt.want {
			t.Errorf("FormatNumber(%v, %d) = %s, want %s", tt.v, tt.d, got, tt.want)
		}
	}
}
