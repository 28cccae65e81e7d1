// Package reportstest provides a hand-made city for the tests of the report builders and renderers:
// the seed catalog (24 counties of 石家庄 with the example allocation) and returns from January 2024
// whose figures follow simple formulas, so that a reader can check a figure by hand.
package reportstest

import (
	"fmt"
	"math"
	"testing"
	"time"

	"lingpao"
	"lingpao/reports"
	"lingpao/seeds"
)

// Each county of the fixture moves at its own pace toward its allocation: most on schedule or ahead, a few behind, 深泽县 and 井陉矿区 far behind. 井陉矿区 misses
// September 2025; 赞皇县 sends a rejected file before its accepted one; 行唐县 and 无极县 are late in
// some months; most counties report January together with February.

// pace is county i's pace toward its targets (1 = exactly on schedule).
func pace(name string, i int) float64 {
	switch name {
	case "深泽县":
		return 0.45
	case "井陉矿区":
		return 0.6
	case "高邑县", "赞皇县":
		return 0.85
	}
	return 0.96 + 0.02*float64(i%8)
}

// Fixture is the hand-made city: its catalog and configuration (tests may change both before
// calling Input), the data set of its returns, every submission, and the clock reports are made at.
type Fixture struct {
	Catalog *lingpao.Catalog
	Config  lingpao.Config
	Data    *lingpao.DataSet
	Subs    []lingpao.Submission
	Sources map[string]lingpao.Submission
	Clock   time.Time
}

func loadCatalog(t testing.TB) *lingpao.Catalog {
	t.Helper()
	cat, err := seeds.Load(seeds.Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// New builds the returns of every county for January 2024 to last; reports are made five working
// days after last's deadline.
func New(t testing.TB, last lingpao.Period) *Fixture {
	t.Helper()
	f := &Fixture{Catalog: loadCatalog(t), Config: lingpao.DefaultConfig(""), Data: lingpao.NewDataSet(), Sources: map[string]lingpao.Submission{}}
	f.Config.Secret = "fixture"
	cal := f.Catalog.Calendar()
	id := int64(0)
	counties := f.Catalog.Tree.Counties(f.Config.City)
	for m := lingpao.MonthOf(2024, 1); !last.Before(m); m = m.Add(1) {
		for i, c := range counties {
			if m.N == 1 && i%4 != 0 {
				continue // 1–2月合并
			}
			if c.Name == "井陉矿区" && m == lingpao.MonthOf(2025, 9) {
				continue
			}
			deadline := cal.Deadline(m, f.Config.DeadlineDay)
			at := deadline.Add(-time.Duration(24+i) * time.Hour)
			if (c.Name == "行唐县" && m.N%3 == 0) || (c.Name == "无极县" && m == lingpao.MonthOf(2025, 9)) {
				at = deadline.Add(50 * time.Hour) // late
			}
			if c.Name == "赞皇县" && m == lingpao.MonthOf(2025, 9) {
				id++
				f.Subs = append(f.Subs, lingpao.Submission{ID: id, Org: c.Code, Period: m, FileName: fmt.Sprintf("%s_%s.xlsx", m, c.Name),
					ReceivedAt: at.Add(-48 * time.Hour), Status: lingpao.SubRejected, Reason: "有错误"})
			}
			id++
			s := lingpao.Submission{ID: id, Org: c.Code, Period: m, FileName: fmt.Sprintf("%s_%s.xlsx", m, c.Name), ReceivedAt: at,
				Status: lingpao.SubAccepted, Version: 1}
			f.Subs = append(f.Subs, s)
			f.Sources[c.Code+"/"+m.String()] = s
			f.Data.AddSubmission(c.Code, m, id, f.values(c, i, m))
		}
	}
	f.Clock = cal.AddWorkdays(cal.Deadline(last.LastMonth(), f.Config.DeadlineDay), 5).Add(9 * time.Hour)
	return f
}

// target returns county org's target figure for indicator ind due in (or applying to) year y.
func (f *Fixture) target(org, ind string, y int) (float64, bool) {
	for _, t := range f.Catalog.Targets {
		if t.Org != org || t.Indicator != ind {
			continue
		}
		switch t.Form {
		case lingpao.FormAnnual:
			if t.AppliesTo(y) {
				return t.Bar(), true
			}
		default:
			if t.Due.Year() == y {
				return t.Bar(), true
			}
		}
	}
	return 0, false
}

// values are county c's figures for month m, split over its clusters.
func (f *Fixture) values(c lingpao.OrgUnit, i int, m lingpao.Period) []lingpao.Value {
	p := pace(c.Name, i)
	share := float64(m.N) / 12
	elapsed := float64((m.Year-2024)*12+m.N) / 24 // of the 2023→2025 milestones
	county := map[string]float64{}
	for _, code := range []string{"srdi_sme", "little_giant", "listed"} {
		t23, ok23 := f.target(c.Code, code, 2023)
		t25, ok25 := f.target(c.Code, code, 2025)
		switch {
		case ok23 && ok25:
			county[code] = math.Round(t23 + (t25-t23)*elapsed*p)
		case ok25:
			county[code] = math.Round(t25 * (0.6 + 0.4*elapsed) * p)
		default:
			county[code] = float64(1 + i%3)
		}
	}
	for _, code := range []string{"invention_patents_new", "srdi_sme_new", "innov_sme_new", "hitech_new", "green_factory_new",
		"joint_stock_new", "energy_diag_new", "standards_new", "innovation_platforms_new"} {
		a, ok := f.target(c.Code, code, m.Year)
		if !ok {
			a = float64(4 + i%5)
		}
		county[code] = math.Round(a * share * p)
	}
	clusters := f.Catalog.ClustersOf(c.Code)
	var out []lingpao.Value
	for k, cl := range clusters {
		part := func(v float64) float64 { // an even split, the remainder to the first cluster
			n := float64(len(clusters))
			base := math.Floor(v / n)
			if k == 0 {
				return v - base*(n-1)
			}
			return base
		}
		add := func(code string, v float64) {
			out = append(out, lingpao.Value{Org: c.Code, Cluster: cl.Code, Indicator: code, Period: m, V: v})
		}
		for code, v := range county {
			add(code, part(v))
		}
		annual := 40 + 10*float64(i%7) + 15*float64(k)
		growth := 0.065 + 0.005*float64(i%7) + 0.05*(p-1)
		if m.Year == 2024 {
			growth = 0.05
		}
		ytd := math.Round(annual*share*(1+0.2*(p-1))*100) / 100
		add("revenue_ytd", ytd)
		add("revenue_ytd_ly", math.Round(ytd/(1+growth)*100)/100)
		above := float64(30 + 5*i%40 + 10*k)
		add("above_scale", above)
		add("rev50_firms", math.Floor(annual/50))
		for code, rate := range map[string]float64{"digital_rd_users": 0.79, "digital_mgmt_users": 0.81, "cloud_users": 0.62, "ecommerce_users": 0.81, "diagnosed": 0.8 + 0.2*share} {
			add(code, math.Min(above, math.Round(above*rate*math.Min(p, 1.06))))
		}
		add("leader_firms", float64(1+k))
		add("listing_pool", float64(k))
		rev := math.Round(annual*1000*share) / 100
		add("leader_revenue_ytd", rev)
		add("leader_rnd_ytd", math.Round(rev*(0.033+0.001*float64(i%5))*p*100)/100)
	}
	return out
}

// Input is the report Input of period p from the fixture, as of its clock, with the ladder computed
// the way jobs.ComputeLadder does, and a few roster and issue rows.
func (f *Fixture) Input(p lingpao.Period) reports.Input {
	in := reports.Input{Catalog: f.Catalog, Config: f.Config, Data: f.Data, Submissions: f.Subs, Period: p, CutOff: f.Clock,
		Generated: f.Clock, Version: "test", TargetsVersion: 1, Edition: 1, Sources: map[string]lingpao.Submission{}}
	for k, s := range f.Sources {
		in.Sources[k] = s
	}
	in.Escalations, in.LadderStates = f.ladder(p.LastMonth())
	counties := f.Catalog.Tree.Counties(f.Config.City)
	for _, c := range counties[:3] {
		s := f.Sources[c.Code+"/"+p.LastMonth().String()]
		if s.ID == 0 {
			continue
		}
		in.Roster = append(in.Roster,
			reports.RosterEntry{Org: c.Code, Enterprise: lingpao.Enterprise{Name: c.Name[:len(c.Name)-3] + "恒瑞科技有限公司", USCC: "91130100MA0000000X", Cluster: f.Catalog.ClustersOf(c.Code)[0].Code, Tags: []string{lingpao.TagLeader, lingpao.TagSRDI}, Row: 4}},
			reports.RosterEntry{Org: c.Code, Enterprise: lingpao.Enterprise{Name: c.Name[:len(c.Name)-3] + "鼎盛装备有限公司", USCC: "91130100MA0000001X", Cluster: f.Catalog.ClustersOf(c.Code)[0].Code, Tags: []string{lingpao.TagSRDI}, Row: 5}})
		in.Issues = append(in.Issues, reports.IssueEntry{Org: c.Code, Issue: lingpao.Issue{Description: "新建厂房用地指标不足", Category: "用地", Department: "县自然资源和规划局", Status: "交办", Raised: "2025-09-10", Row: 4}})
	}
	return in
}

// ladder walks the performance and reporting ladders of every county from January 2025 to month.
func (f *Fixture) ladder(month lingpao.Period) ([]lingpao.Escalation, map[lingpao.LadderSubject]lingpao.LadderState) {
	opt := f.Config.Dispatch.Ladder
	cal := f.Catalog.Calendar()
	states := map[lingpao.LadderSubject]lingpao.LadderState{}
	var steps []lingpao.Escalation
	counties := f.Catalog.Tree.Counties(f.Config.City)
	from := lingpao.MonthOf(month.Year, 1)
	var months []lingpao.Period
	for m := from; !month.Before(m); m = m.Add(1) {
		months = append(months, m)
	}
	rates := make([]lingpao.ReportingRate, len(months))
	for i, m := range months {
		rates[i] = lingpao.ComputeReporting(counties, m, f.Subs, cal, f.Config.DeadlineDay, f.Config.MergeJanFeb, f.Clock)
	}
	dated := func(es []lingpao.Escalation) []lingpao.Escalation {
		for i := range es {
			es[i].Date = cal.Deadline(es[i].Month, f.Config.DeadlineDay)
		}
		return es
	}
	for ci, c := range counties {
		obs := make([]lingpao.Observation, len(months))
		for i, m := range months {
			obs[i] = lingpao.ObserveReport(m, rates[i].Counties[ci])
		}
		st, es := opt.RunLadder(c.Code, "", obs)
		states[lingpao.LadderSubject{Org: c.Code}] = st
		steps = append(steps, dated(es)...)
		for _, ind := range lingpao.CountyIndicators(f.Catalog) {
			var obs []lingpao.Observation
			measured := false
			for _, m := range months {
				a := lingpao.Assess(f.Catalog, f.Data, c.Code, ind, m, f.Config.ProgressOptions())
				measured = measured || a.HasTarget
				obs = append(obs, opt.ObserveAssessment(m, a))
			}
			if !measured {
				continue
			}
			st, es := opt.RunLadder(c.Code, ind.Code, obs)
			states[lingpao.LadderSubject{Org: c.Code, Indicator: ind.Code}] = st
			steps = append(steps, dated(es)...)
		}
	}
	return steps, states
}
