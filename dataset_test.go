package lingpao

import "testing"

// addClusters records a submission of county org for month m with values per cluster.
func addClusters(ds *DataSet, org string, m Period, byCluster map[string]map[string]float64) {
	var vs []Value
	for cl, kv := range byCluster {
		for k, v := range kv {
			vs = append(vs, Value{Org: org, Cluster: cl, Indicator: k, V: v, Period: m})
		}
	}
	ds.AddSubmission(org, m, 1, vs)
}

// TestBlankCellMakesCountyNotReported: a county's figure is complete only when every row of its
// return reported it. 元氏县 leaving 专精特新 blank in one of its two clusters is 未报送 for that
// indicator — not the other cluster's 21 — and the city, without carrying forward, leaves it out.
func TestBlankCellMakesCountyNotReported(t *testing.T) {
	cat := testCatalog(t)
	stock, _ := cat.Indicator("stock")
	ratio, _ := cat.Indicator("ratio")
	sep := MonthOf(2025, 9)
	ds := NewDataSet()
	addClusters(ds, "A", sep, map[string]map[string]float64{"A-1": {"stock": 21, "rnd": 1, "rev": 10}, "A-2": {"rev": 90}})
	addClusters(ds, "B", sep, map[string]map[string]float64{"B-1": {"stock": 30, "rnd": 3, "rev": 30}})
	if a := ds.Actual(cat, stock, []string{"A"}, "", sep); a.OK {
		t.Errorf("甲县 stock with a blank cell = %+v, want not reported (not 21)", a)
	}
	if v, ok := ds.Get("A", "", "stock", sep); ok {
		t.Errorf("甲县 total stock = %v, want none", v)
	}
	if got := ds.Blank("A", "stock", sep); len(got) != 1 || got[0] != "A-2" {
		t.Errorf("blank rows = %v, want [A-2]", got)
	}
	// The rows that reported keep their figures; a complete indicator still sums: 10 + 90.
	if v, ok := ds.Get("A", "A-1", "stock", sep); !ok || v != 21 {
		t.Errorf("A-1 stock = %v %v, want 21", v, ok)
	}
	if v, _ := ds.Get("A", "", "rev", sep); v != 100 {
		t.Errorf("甲县 revenue = %v, want 100", v)
	}
	// A ratio with a blank numerator in one row: 未报送, not 1/10 nor 1/100.
	if a := ds.Actual(cat, ratio, []string{"A"}, "", sep); a.OK {
		t.Errorf("甲县 ratio = %+v, want not reported", a)
	}
	// The city without carrying forward: 乙县 only, 甲县 named as without a figure.
	a := ds.Actual(cat, stock, []string{"A", "B"}, "", sep)
	if !a.OK || a.Value != 30 || a.Units != 1 || len(a.Without) != 1 || a.Without[0] != "A" {
		t.Errorf("city stock = %+v, want 30 from 乙县, 甲县 without", a)
	}
	if a := ds.Actual(cat, ratio, []string{"A", "B"}, "", sep); !near(a.Value, 10) || a.Units != 1 {
		t.Errorf("city ratio = %+v, want 3/30 = 10%% from 乙县", a)
	}
}

// TestCarryBlankCell: in a city total, a blank cell is counted with that cell's latest earlier figure
// and named; the county's other row counts as reported. 甲县: A-1 21 (September) + A-2 20 (August) +
// 乙县 30 = 71.
func TestCarryBlankCell(t *testing.T) {
	cat := testCatalog(t)
	stock, _ := cat.Indicator("stock")
	ytd, _ := cat.Indicator("ytd")
	ratio, _ := cat.Indicator("ratio")
	jul, aug, sep := MonthOf(2025, 7), MonthOf(2025, 8), MonthOf(2025, 9)
	ds := NewDataSet()
	addClusters(ds, "A", jul, map[string]map[string]float64{"A-1": {"stock": 19, "ytd": 4, "rnd": 1, "rev": 9}, "A-2": {"stock": 18, "ytd": 2, "rnd": 2, "rev": 80}})
	addClusters(ds, "A", aug, map[string]map[string]float64{"A-1": {"stock": 20, "ytd": 5}, "A-2": {"stock": 20, "rnd": 5, "rev": 85}})
	addClusters(ds, "A", sep, map[string]map[string]float64{"A-1": {"stock": 21, "ytd": 6, "rnd": 1, "rev": 10}, "A-2": {"rev": 90}})
	addClusters(ds, "B", sep, map[string]map[string]float64{"B-1": {"stock": 30, "ytd": 7, "rnd": 3, "rev": 30}})
	orgs := []string{"A", "B"}
	a := ds.ActualCarried(cat, stock, orgs, "", sep)
	if !a.OK || a.Value != 71 || a.Units != 2 || len(a.Carried) != 1 {
		t.Fatalf("city stock = %+v, want 21 + 20 + 30 = 71 with A-2 carried", a)
	}
	if c := a.Carried[0]; c.Org != "A" || c.Cluster != "A-2" || c.From != aug || c.Missing {
		t.Errorf("carry = %+v, want A-2 from August (blank cell)", c)
	}
	// A-2's flow cell was blank in August and September: its July figure, 2 (same year): 6 + 2 + 7.
	if a := ds.ActualCarried(cat, ytd, orgs, "", sep); a.Value != 15 || a.Carried[0].From != jul {
		t.Errorf("city ytd = %+v, want 6 + 2 (July) + 7 = 15", a)
	}
	// A ratio carries the row's pair from its latest month with both: A-2 (5, 85) of August:
	// (1 + 5 + 3) / (10 + 85 + 30).
	if a := ds.ActualCarried(cat, ratio, orgs, "", sep); !near(a.Value, 9.0/125*100) || a.Carried[0].From != aug {
		t.Errorf("city ratio = %+v, want 9/125", a)
	}
	// The county's own figure is still 未报送, and the data set is unchanged.
	if _, ok := ds.Get("A", "", "stock", sep); ok {
		t.Error("ActualCarried completed the county's own figure")
	}
	if _, ok := ds.Get("A", "A-2", "stock", sep); ok {
		t.Error("ActualCarried wrote into the data set")
	}
	// A YTD cell blank since January has nothing of the same year to carry: 甲县 stays out.
	ds2 := NewDataSet()
	addClusters(ds2, "A", MonthOf(2024, 12), map[string]map[string]float64{"A-1": {"ytd": 30}, "A-2": {"ytd": 9}})
	addClusters(ds2, "A", MonthOf(2025, 1), map[string]map[string]float64{"A-1": {"ytd": 3}, "A-2": {"stock": 1}})
	addClusters(ds2, "B", MonthOf(2025, 1), map[string]map[string]float64{"B-1": {"ytd": 2}})
	if a := ds2.ActualCarried(cat, ytd, orgs, "", MonthOf(2025, 1)); a.Value != 2 || a.Units != 1 || len(a.Without) != 1 || len(a.Carried) != 0 {
		t.Errorf("January ytd = %+v, want 乙县's 2 only", a)
	}
}

func TestGrowthClusterByCluster(t *testing.T) {
	cat := testCatalog(t)
	g, _ := cat.Indicator("growth")
	sep, sepLY := MonthOf(2025, 9), MonthOf(2024, 9)
	ds := NewDataSet()
	addClusters(ds, "A", sepLY, map[string]map[string]float64{"A-2": {"rev": 40}})
	// A-1 gives last year's figure in the return (50); A-2 leaves it blank, so its stored September 2024
	// (40) is used: (55 + 46) / (50 + 40) − 1 = 12.2222…%.
	addClusters(ds, "A", sep, map[string]map[string]float64{"A-1": {"rev": 55, "rev_ly": 50}, "A-2": {"rev": 46}})
	if a := ds.Actual(cat, g, []string{"A"}, "", sep); !near(a.Value, (101.0/90-1)*100) || a.Num != 101 || a.Den != 90 {
		t.Errorf("growth = %+v, want %v", a, (101.0/90-1)*100)
	}
	// A row without either figure of last year makes the county's growth not reported — not 55/50.
	ds2 := NewDataSet()
	addClusters(ds2, "A", sep, map[string]map[string]float64{"A-1": {"rev": 55, "rev_ly": 50}, "A-2": {"rev": 46}})
	if a := ds2.Actual(cat, g, []string{"A"}, "", sep); a.OK {
		t.Errorf("growth without A-2's history = %+v, want not reported", a)
	}
	// Nothing from last year at all: unknown, not zero.
	ds3 := NewDataSet()
	addClusters(ds3, "A", sep, map[string]map[string]float64{"A-1": {"rev": 55}})
	if a := ds3.Actual(cat, g, []string{"A"}, "", sep); a.OK {
		t.Errorf("growth without history = %+v, want not known", a)
	}
}

func TestCarriedRatioKeepsClusterPairs(t *testing.T) {
	cat := testCatalog(t)
	ratio, _ := cat.Indicator("ratio")
	aug, sep := MonthOf(2025, 8), MonthOf(2025, 9)
	ds := NewDataSet()
	addClusters(ds, "A", aug, map[string]map[string]float64{"A-1": {"rnd": 1, "rev": 10}, "A-2": {"rnd": 2, "rev": 90}})
	addClusters(ds, "B", sep, map[string]map[string]float64{"B-1": {"rnd": 3, "rev": 30}})
	// 甲县 sent no September return: carried from August, pair by pair: (1 + 2 + 3) / (10 + 90 + 30).
	a := ds.ActualCarried(cat, ratio, []string{"A", "B"}, "", sep)
	if !near(a.Value, 6.0/130*100) || len(a.Carried) != 2 || a.Carried[0].Org != "A" || !a.Carried[0].Missing {
		t.Errorf("carried ratio = %+v, want 6/130 with 甲县's two rows carried", a)
	}
	// Carrying did not change the data set itself.
	if _, ok := ds.Get("A", "A-1", "rnd", sep); ok {
		t.Error("ActualCarried wrote into the data set")
	}
}

func TestFlow(t *testing.T) {
	cat := testCatalog(t)
	ytd, _ := cat.Indicator("ytd")
	stock, _ := cat.Indicator("stock")
	ratio, _ := cat.Indicator("ratio")
	ds := NewDataSet()
	add(ds, "A", MonthOf(2024, 12), map[string]float64{"stock": 40, "ytd": 90})
	add(ds, "A", MonthOf(2025, 2), map[string]float64{"stock": 41, "ytd": 7})
	add(ds, "A", MonthOf(2025, 3), map[string]float64{"stock": 43, "ytd": 12})
	add(ds, "A", MonthOf(2025, 6), map[string]float64{"stock": 45, "ytd": 30})
	add(ds, "A", MonthOf(2025, 9), map[string]float64{"stock": 50, "ytd": 51})
	add(ds, "B", MonthOf(2025, 6), map[string]float64{"stock": 10, "ytd": 4})
	add(ds, "B", MonthOf(2025, 9), map[string]float64{"stock": 12, "ytd": 9})
	orgs := []string{"A", "B"}
	q := func(y, n int) Period { return Period{Year: y, Kind: Quarter, N: n} }
	tests := []struct {
		name   string
		ind    Indicator
		orgs   []string
		p      Period
		merge  bool
		want   float64
		ok     bool
		merged bool
	}{
		{"Q3 YTD flow: (51−30) + (9−4)", ytd, orgs, q(2025, 3), false, 26, true, false},
		{"Q1 YTD flow is March's YTD", ytd, []string{"A"}, q(2025, 1), false, 12, true, false},
		{"Q3 stock net change: (50−45) + (12−10)", stock, orgs, q(2025, 3), false, 7, true, false},
		{"Q1 stock from last December: 43 − 40", stock, []string{"A"}, q(2025, 1), false, 3, true, false},
		{"March's own flow", ytd, []string{"A"}, MonthOf(2025, 3), false, 5, true, false},
		{"February without January, not merged: unknown", ytd, []string{"A"}, MonthOf(2025, 2), false, 0, false, false},
		{"February without January under 1–2月合并: covers both", ytd, []string{"A"}, MonthOf(2025, 2), true, 7, true, true},
		{"a ratio has no flow", ratio, orgs, q(2025, 3), false, 0, false, false},
	}
	for _, tt := range tests {
		a := ds.Flow(tt.ind, tt.orgs, "", tt.p, tt.merge)
		if a.OK != tt.ok || !near(a.Value, tt.want) || a.MergedJanFeb != tt.merged {
			t.Errorf("%s: got %+v, want %v ok=%v merged=%v", tt.name, a, tt.want, tt.ok, tt.merged)
		}
	}
}

func TestCheckYTDFall(t *testing.T) {
	ytd := Indicator{Code: "ytd", Name: "新增发明专利", Unit: "件", Kind: KindYTD}
	stock := Indicator{Code: "s", Name: "专精特新中小企业数", Unit: "家", Kind: KindStock}
	v := Value{Indicator: "ytd", V: 12, Period: MonthOf(2025, 9), Sheet: "集群指标", Cell: "F5"}
	f, ok := CheckYTDFall(ytd, v, 15, "鹿泉电子信息", "")
	if !ok || f.Severity != SevWarning || f.Rule != "period.ytd_decrease" || f.Cell != "F5" || f.Sheet != "集群指标" || f.Value != "12" {
		t.Fatalf("fall 15 → 12: %+v %v", f, ok)
	}
	if want := "「鹿泉电子信息」新增发明专利为本年累计数，本月 12件 小于上月 15件：请核对；如确属调整，请在该行“备注（情况说明）”中写明原因。"; f.Message != want {
		t.Errorf("message:\n got %s\nwant %s", f.Message, want)
	}
	if f, _ := CheckYTDFall(ytd, v, 15, "鹿泉电子信息", "专利撤回2件"); f.Message[len(f.Message)-len("已有情况说明：专利撤回2件"):] != "已有情况说明：专利撤回2件" {
		t.Errorf("with a remark: %s", f.Message)
	}
	for _, c := range []struct {
		name string
		ind  Indicator
		v    Value
		prev float64
	}{
		{"equal is not a fall", ytd, v, 12},
		{"a rise", ytd, v, 11},
		{"January starts a new year", ytd, Value{V: 1, Period: MonthOf(2025, 1)}, 90},
		{"a stock may fall", stock, v, 15},
		{"0.3 is not below 0.1+0.2", ytd, Value{V: 0.3, Period: MonthOf(2025, 5)}, 0.1 + 0.2},
	} {
		if _, ok := CheckYTDFall(c.ind, c.v, c.prev, "x", ""); ok {
			t.Errorf("%s: reported a fall", c.name)
		}
	}
}
