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

func TestRatioPairsClusterByCluster(t *testing.T) {
	cat := testCatalog(t)
	ratio, _ := cat.Indicator("ratio")
	sep := MonthOf(2025, 9)
	ds := NewDataSet()
	// 甲县 has two clusters; the second left R&D blank. Its ratio is 1/10 = 10%, not 1/(10+90) = 1%.
	addClusters(ds, "A", sep, map[string]map[string]float64{"A-1": {"rnd": 1, "rev": 10}, "A-2": {"rev": 90}})
	addClusters(ds, "B", sep, map[string]map[string]float64{"B-1": {"rnd": 3, "rev": 30}})
	if a := ds.Actual(cat, ratio, []string{"A"}, "", sep); !near(a.Value, 10) || a.Num != 1 || a.Den != 10 {
		t.Errorf("甲县 ratio = %+v, want 10%% (1/10)", a)
	}
	// The city: (1+3)/(10+30) = 10%.
	if a := ds.Actual(cat, ratio, []string{"A", "B"}, "", sep); !near(a.Value, 10) || a.Units != 2 {
		t.Errorf("city ratio = %+v, want 10%% from 2 counties", a)
	}
	// One cluster alone.
	if a := ds.Actual(cat, ratio, []string{"A"}, "A-2", sep); a.OK {
		t.Errorf("A-2 ratio = %+v, want not reported", a)
	}
	// The county total of a stock still sums what was reported.
	if v, _ := ds.Get("A", "", "rev", sep); v != 100 {
		t.Errorf("甲县 revenue = %v, want 100", v)
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
	// A cluster without either figure of last year stays out of both sums.
	ds2 := NewDataSet()
	addClusters(ds2, "A", sep, map[string]map[string]float64{"A-1": {"rev": 55, "rev_ly": 50}, "A-2": {"rev": 46}})
	if a := ds2.Actual(cat, g, []string{"A"}, "", sep); !near(a.Value, 10) {
		t.Errorf("growth without A-2's history = %v, want 10%% (55/50)", a.Value)
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
	addClusters(ds, "A", aug, map[string]map[string]float64{"A-1": {"rnd": 1, "rev": 10}, "A-2": {"rev": 90}})
	addClusters(ds, "B", sep, map[string]map[string]float64{"B-1": {"rnd": 3, "rev": 30}})
	// 甲县 is carried from August, pair by pair: (1 + 3) / (10 + 30) = 10%.
	a := ds.ActualCarried(cat, ratio, []string{"A", "B"}, "", sep)
	if !near(a.Value, 10) || len(a.Carried) != 1 || a.Carried[0].Org != "A" {
		t.Errorf("carried ratio = %+v, want 10%% with 甲县 carried", a)
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
