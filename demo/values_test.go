package demo

import (
	"math"
	"testing"

	"lingpao"
	"lingpao/seeds"
)

// TestDemoFiguresPlausible: the demo is how a new user judges lingpao, so its September 2025 must
// read like a real city's — most counties within ±30 points of 序时进度 and only a few far behind;
// distinct indicators with distinct figures (经营管理数字化 and 电子商务 are not one table twice); and
// the counties' flows adding up to about the city's own targets (股改 near 5 a year, not 60).
func TestDemoFiguresPlausible(t *testing.T) {
	cat, err := seeds.Load(seeds.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	cfg := lingpao.DefaultConfig("")
	g := &generator{cat: cat, cfg: cfg, seed: 2025, cal: cat.Calendar(), layout: templatesLayout(cat)}
	sep := lingpao.MonthOf(2025, 9)
	ds := lingpao.NewDataSet()
	counties := cat.Tree.Counties(cfg.City)
	same, clusters := 0, 0
	for i, c := range counties {
		for _, m := range []lingpao.Period{lingpao.MonthOf(2025, 8), sep} {
			f := g.countyReturn(c, m)
			var vs []lingpao.Value
			for cl, kv := range f.values {
				for code, v := range kv {
					vs = append(vs, lingpao.Value{Org: c.Code, Cluster: cl, Indicator: code, Period: m, V: v})
				}
				if m == sep {
					clusters++
					if kv["digital_mgmt_users"] == kv["ecommerce_users"] {
						same++
					}
				}
			}
			vs = append(vs, lingpao.RosterValues(cat, c.Code, m, f.roster)...)
			ds.AddSubmission(c.Code, m, int64(i+1), vs)
		}
	}
	if same*2 > clusters {
		t.Errorf("经营管理数字化 equals 电子商务 in %d of %d clusters", same, clusters)
	}
	opt := cfg.ProgressOptions()
	var measured, within, far int
	for _, ind := range lingpao.CountyIndicators(cat) {
		for _, c := range counties {
			a := lingpao.Assess(cat, ds, c.Code, ind, sep, opt)
			if !a.Measured() {
				continue
			}
			measured++
			if math.Abs(a.Gap) <= 30 {
				within++
			}
			if a.Status == lingpao.StatusFarBehind {
				far++
			}
		}
	}
	if measured < 200 || float64(within) < 0.85*float64(measured) || far == 0 || float64(far) > 0.15*float64(measured) {
		t.Errorf("of %d county figures %d are within ±30 points of 序时进度 and %d far behind; want most within, a few far behind", measured, within, far)
	}
	// The city's flows against its own targets: September is 9/12 of the year.
	var orgs []string
	for _, c := range counties {
		orgs = append(orgs, c.Code)
	}
	for _, code := range []string{"joint_stock_new", "energy_diag_new", "standards_new", "innovation_platforms_new", "invention_patents_new", "srdi_sme_new", "innov_sme_new", "hitech_new"} {
		ind, _ := cat.Indicator(code)
		tg, ok := lingpao.TargetFor(cat, cfg.City, ind, sep)
		if !ok {
			t.Fatalf("no city target for %s", code)
		}
		a := ds.Actual(cat, ind, orgs, "", sep)
		if r := a.Value / (tg.Bar() * 9 / 12); r < 0.6 || r > 1.4 {
			t.Errorf("%s: the counties add up to %v against the city's %v a year (%.0f%% of 序时进度)", code, a.Value, tg.Bar(), r*100)
		}
	}
	a1, _ := cat.Indicator("digital_mgmt_rate")
	a2, _ := cat.Indicator("ecommerce_rate")
	if x, y := ds.Actual(cat, a1, orgs, "", sep), ds.Actual(cat, a2, orgs, "", sep); lingpao.Round(x.Value, 1) == lingpao.Round(y.Value, 1) {
		t.Errorf("the city's 经营管理数字化普及率 and 电子商务应用率 are both %.1f%%", x.Value)
	}
}
