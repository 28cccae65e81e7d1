package lingpao

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// randomWorld builds a province with 1–4 cities of 1–8 counties each, every county with 1–3
// clusters, and a month of random values: some counties do not report, some clusters leave the
// numerator of the ratio blank.
func randomWorld(t *testing.T, r *rand.Rand, m Period) (*Catalog, *DataSet, map[string][2]float64, map[string]float64) {
	units := []OrgUnit{{Code: "P", Name: "省", Level: LevelProvince}}
	for c := 0; c < 1+r.IntN(4); c++ {
		city := fmt.Sprintf("C%d", c)
		units = append(units, OrgUnit{Code: city, Name: "市" + city, Level: LevelCity, Parent: "P"})
		for k := 0; k < 1+r.IntN(8); k++ {
			code := fmt.Sprintf("%s-%d", city, k)
			units = append(units, OrgUnit{Code: code, Name: "县" + code, Level: LevelCounty, Parent: city})
		}
	}
	tree, err := NewOrgTree(units)
	if err != nil {
		t.Fatal(err)
	}
	cat := &Catalog{Tree: tree, Indicators: []Indicator{
		{Code: "stock", Unit: "家", Kind: KindStock, Source: SourceReturn},
		{Code: "num", Unit: "亿元", Kind: KindYTD, Source: SourceReturn},
		{Code: "den", Unit: "亿元", Kind: KindYTD, Source: SourceReturn},
		{Code: "ratio", Unit: "%", Kind: KindRatio, Source: SourceDerived, Numerator: "num", Denominator: "den"},
	}}
	ds := NewDataSet()
	pairs := map[string][2]float64{} // per county whose every cluster has both: Σnum, Σden
	stocks := map[string]float64{}
	for _, u := range tree.Counties("P") {
		if r.IntN(5) == 0 {
			continue // did not report
		}
		var vs []Value
		var p [2]float64
		complete := true
		for k := 0; k < 1+r.IntN(3); k++ {
			cl := fmt.Sprintf("%s/%d", u.Code, k)
			s := float64(r.IntN(200))
			den := math.Round(r.Float64()*1e6) / 100
			vs = append(vs, Value{Cluster: cl, Indicator: "stock", V: s}, Value{Cluster: cl, Indicator: "den", V: den})
			stocks[u.Code] += s
			if r.IntN(4) > 0 {
				num := math.Round(r.Float64()*den*10) / 100
				vs = append(vs, Value{Cluster: cl, Indicator: "num", V: num})
				p[0], p[1] = p[0]+num, p[1]+den
			} else {
				complete = false // a blank numerator: the county's ratio is not reported
			}
		}
		ds.AddSubmission(u.Code, m, 1, vs)
		if complete && p[1] > 0 {
			pairs[u.Code] = p
		}
	}
	return cat, ds, pairs, stocks
}

// TestRollUpProperties: for random trees and values, every city's and the province's ratio equals
// Σnumerator/Σdenominator over its counties whose every cluster reported both figures, never an
// average of ratios, and stocks roll up as sums at the same date.
func TestRollUpProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 2025))
	m := MonthOf(2025, 9)
	opt := DefaultProgressOptions()
	opt.CarryForward = false
	for iter := 0; iter < 300; iter++ {
		cat, ds, pairs, stocks := randomWorld(t, r, m)
		ratio, _ := cat.Indicator("ratio")
		stock, _ := cat.Indicator("stock")
		rs := RollUp(cat, ds, "P", ratio, m, opt, false)
		ss := RollUp(cat, ds, "P", stock, m, opt, false)
		if len(rs) != len(cat.Tree.Units()) || rs[0].Unit.Code != "P" || rs[0].Depth != 0 {
			t.Fatalf("iteration %d: roll-up rows %d for %d units", iter, len(rs), len(cat.Tree.Units()))
		}
		for i, row := range rs {
			var num, den, sum float64
			var reported, ratioUnits int
			for _, c := range cat.Tree.Counties(row.Unit.Code) {
				if p, ok := pairs[c.Code]; ok {
					num, den = num+p[0], den+p[1]
					ratioUnits++
				}
				if s, ok := stocks[c.Code]; ok {
					sum += s
					reported++
				}
			}
			a := row.Actual
			if ratioUnits == 0 {
				if a.OK {
					t.Fatalf("iteration %d %s: ratio %+v from no pairs", iter, row.Unit.Code, a)
				}
			} else if !a.OK || math.Abs(a.Num-num) > 1e-6 || math.Abs(a.Den-den) > 1e-6 || math.Abs(a.Value-num/den*100) > 1e-9 || a.Units != ratioUnits {
				t.Fatalf("iteration %d %s: ratio %+v, want Σnum/Σden = %v/%v from %d counties", iter, row.Unit.Code, a, num, den, ratioUnits)
			}
			s := ss[i].Actual
			if ss[i].Unit.Code != row.Unit.Code || s.Value != sum || s.Units != reported || s.OK != (reported > 0) {
				t.Fatalf("iteration %d %s: stock %+v, want Σ = %v from %d", iter, row.Unit.Code, s, sum, reported)
			}
			// A parent's figures are its children's figures added up.
			if kids := cat.Tree.Children(row.Unit.Code); len(kids) > 0 {
				var kn, kd, ks float64
				for j := range rs {
					if u, _ := cat.Tree.Parent(rs[j].Unit.Code); u.Code == row.Unit.Code {
						kn, kd, ks = kn+rs[j].Actual.Num, kd+rs[j].Actual.Den, ks+ss[j].Actual.Value
					}
				}
				if math.Abs(kn-a.Num) > 1e-6 || math.Abs(kd-a.Den) > 1e-6 || ks != s.Value {
					t.Fatalf("iteration %d %s: children add up to %v/%v and %v, parent has %v/%v and %v", iter, row.Unit.Code, kn, kd, ks, a.Num, a.Den, s.Value)
				}
			}
		}
	}
}

func TestRollUpFlowsAndCounts(t *testing.T) {
	cat := testCatalog(t)
	cat.Targets = []Target{
		{ID: "c", Org: "C", Indicator: "ytd", Form: FormAnnual, Value: fp(100), FromYear: 2025, ToYear: 2025},
		{ID: "a", Org: "A", Indicator: "ytd", Form: FormAnnual, Value: fp(40), FromYear: 2025, ToYear: 2025},
		{ID: "b", Org: "B", Indicator: "ytd", Form: FormAnnual, Value: fp(60), FromYear: 2025, ToYear: 2025},
	}
	ds := NewDataSet()
	add(ds, "A", MonthOf(2025, 6), map[string]float64{"ytd": 18})
	add(ds, "A", MonthOf(2025, 9), map[string]float64{"ytd": 30})
	add(ds, "B", MonthOf(2025, 6), map[string]float64{"ytd": 20})
	add(ds, "B", MonthOf(2025, 9), map[string]float64{"ytd": 33})
	ytd, _ := cat.Indicator("ytd")
	rows := RollUp(cat, ds, "C", ytd, Period{Year: 2025, Kind: Quarter, N: 3}, DefaultProgressOptions(), true)
	if len(rows) != 4 || rows[0].Unit.Code != "C" || rows[1].Depth != 1 {
		t.Fatalf("rows: %+v", rows)
	}
	// City: 63 of 100 at 0.75 → −12 pp 滞后; the quarter added (30−18)+(33−20) = 25.
	if c := rows[0]; !near(c.Completion, 0.63) || c.Status != StatusBehind || c.Flow.Value != 25 || c.Flow.Units != 2 || c.Flow.Of != 3 {
		t.Errorf("city = %+v", c)
	}
	// 甲县 30/40 = 0.75 on track; 乙县 33/60 = 0.55 → −20 pp; 丙县 has no target and nothing reported.
	var as []Assessment
	for _, r := range rows[1:] {
		as = append(as, r.Assessment)
	}
	got := CountStatuses(as)
	if got[StatusOnTrack] != 1 || got[StatusFarBehind] != 1 || got[StatusMissing] != 0 || got.Lagging() != 1 {
		t.Errorf("counts = %v", got)
	}
}

func TestCountyIndicators(t *testing.T) {
	cat := testCatalog(t)
	cat.Indicators = append(cat.Indicators,
		Indicator{Code: "kept", Kind: KindStock, Source: SourceCity},
		Indicator{Code: "kept_ratio", Kind: KindCoverage, Source: SourceDerived, Numerator: "kept", Denominator: "stock"},
		Indicator{Code: "roster", Kind: KindStock, Source: SourceRoster},
	)
	var codes []string
	for _, ind := range CountyIndicators(cat) {
		codes = append(codes, ind.Code)
	}
	if got := fmt.Sprint(codes); got != "[stock ytd rev rev_ly rnd ratio growth roster]" {
		t.Errorf("county indicators = %s", got)
	}
}

// BenchmarkRollUpProvince rolls a ratio and a stock up a province of 11 cities × 16 counties × 3
// clusters, every unit assessed against a rate target (the shape of a province-wide status page).
func BenchmarkRollUpProvince(b *testing.B) {
	units := []OrgUnit{{Code: "P", Name: "省", Level: LevelProvince}}
	m := MonthOf(2025, 9)
	ds := NewDataSet()
	for c := 0; c < 11; c++ {
		city := fmt.Sprintf("C%d", c)
		units = append(units, OrgUnit{Code: city, Name: "市" + city, Level: LevelCity, Parent: "P"})
		for k := 0; k < 16; k++ {
			code := fmt.Sprintf("%s-%d", city, k)
			units = append(units, OrgUnit{Code: code, Name: "县" + code, Level: LevelCounty, Parent: city})
			var vs []Value
			for cl := 0; cl < 3; cl++ {
				name := fmt.Sprintf("%s/%d", code, cl)
				vs = append(vs, Value{Cluster: name, Indicator: "num", V: float64(k + cl)}, Value{Cluster: name, Indicator: "den", V: float64(100 + k)},
					Value{Cluster: name, Indicator: "stock", V: float64(10 * cl)})
			}
			ds.AddSubmission(code, m, 1, vs)
		}
	}
	tree, err := NewOrgTree(units)
	if err != nil {
		b.Fatal(err)
	}
	cat := &Catalog{Tree: tree, Indicators: []Indicator{
		{Code: "stock", Unit: "家", Kind: KindStock, Source: SourceReturn},
		{Code: "num", Unit: "亿元", Kind: KindYTD, Source: SourceReturn},
		{Code: "den", Unit: "亿元", Kind: KindYTD, Source: SourceReturn},
		{Code: "ratio", Unit: "%", Kind: KindRatio, Source: SourceDerived, Numerator: "num", Denominator: "den"},
	}, Targets: []Target{{ID: "r", Org: "P", Indicator: "ratio", Form: FormRate, Comp: CompReach, Value: fp(10), Due: time.Date(2025, 12, 31, 0, 0, 0, 0, Beijing)}}}
	ratio, _ := cat.Indicator("ratio")
	stock, _ := cat.Indicator("stock")
	opt := DefaultProgressOptions()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		RollUp(cat, ds, "P", ratio, m, opt, false)
		RollUp(cat, ds, "P", stock, m, opt, false)
	}
}
