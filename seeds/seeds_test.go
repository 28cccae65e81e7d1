package seeds

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"lingpao"
)

func loadEmbedded(t *testing.T) *lingpao.Catalog {
	t.Helper()
	cat, err := Load(Embedded())
	if err != nil {
		t.Fatalf("Load(Embedded()): %v", err)
	}
	return cat
}

func date(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := lingpao.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestEmbeddedLoads(t *testing.T) {
	cat := loadEmbedded(t)
	if len(cat.Documents) != 5 {
		t.Errorf("documents: got %d, want 5", len(cat.Documents))
	}
	if got := len(cat.ReturnIndicators()); got != 21 {
		t.Errorf("return indicators: got %d, want 21", got)
	}
	// The return's column order is a contract with the template.
	wantCols := []string{"revenue_ytd", "revenue_ytd_ly", "above_scale", "srdi_sme", "little_giant", "listed",
		"rev50_firms", "srdi_sme_new", "innov_sme_new", "hitech_new", "invention_patents_new", "joint_stock_new",
		"green_factory_new", "energy_diag_new", "standards_new", "innovation_platforms_new", "digital_rd_users",
		"digital_mgmt_users", "cloud_users", "ecommerce_users", "diagnosed"}
	for i, ind := range cat.ReturnIndicators() {
		if i < len(wantCols) && ind.Code != wantCols[i] {
			t.Errorf("return column %d: got %s, want %s", i+1, ind.Code, wantCols[i])
		}
	}
	for _, code := range []string{"leader_firms", "listing_pool", "leader_revenue_ytd", "leader_rnd_ytd", "revenue_growth",
		"leader_rnd_ratio", "digital_rd_rate", "digital_mgmt_rate", "cloud_rate", "ecommerce_rate", "diag_coverage"} {
		if _, ok := cat.Indicator(code); !ok {
			t.Errorf("indicator %s missing", code)
		}
	}
	ratio, _ := cat.Indicator("leader_rnd_ratio")
	if ratio.Kind != lingpao.KindRatio || ratio.Numerator != "leader_rnd_ytd" || ratio.Denominator != "leader_revenue_ytd" || ratio.Decimals != 2 {
		t.Errorf("leader_rnd_ratio = %+v", ratio)
	}
	growth, _ := cat.Indicator("revenue_growth")
	if growth.Kind != lingpao.KindGrowth || growth.Base != "revenue_ytd" || growth.Prior != "revenue_ytd_ly" {
		t.Errorf("revenue_growth = %+v", growth)
	}
	rev, _ := cat.Indicator("leader_revenue_ytd")
	if rev.Source != lingpao.SourceRoster || rev.Roster != (lingpao.RosterRule{Tag: lingpao.TagLeader, Field: "revenue"}) {
		t.Errorf("leader_revenue_ytd = %+v", rev)
	}
}

func TestOrgTree(t *testing.T) {
	cat := loadEmbedded(t)
	sjz := map[string]string{
		"长安区": "130102", "桥西区": "130104", "新华区": "130105", "井陉矿区": "130107", "裕华区": "130108",
		"藁城区": "130109", "鹿泉区": "130110", "栾城区": "130111", "井陉县": "130121", "正定县": "130123",
		"行唐县": "130125", "灵寿县": "130126", "高邑县": "130127", "深泽县": "130128", "赞皇县": "130129",
		"无极县": "130130", "平山县": "130131", "元氏县": "130132", "赵县": "130133", "辛集市": "130181",
		"晋州市": "130183", "新乐市": "130184", "石家庄高新区": "130171", "石家庄经开区": "130100-JK",
	}
	bd := map[string]string{
		"竞秀区": "130602", "莲池区": "130606", "满城区": "130607", "清苑区": "130608", "徐水区": "130609",
		"涞水县": "130623", "阜平县": "130624", "定兴县": "130626", "唐县": "130627", "高阳县": "130628",
		"容城县": "130629", "涞源县": "130630", "望都县": "130631", "安新县": "130632", "易县": "130633",
		"曲阳县": "130634", "蠡县": "130635", "顺平县": "130636", "博野县": "130637", "雄县": "130638",
		"涿州市": "130681", "定州市": "130682", "安国市": "130683", "高碑店市": "130684",
		"保定高新区": "130671", "白沟新城": "130672",
	}
	for city, want := range map[string]map[string]string{"130100": sjz, "130600": bd} {
		got := map[string]string{}
		for _, u := range cat.Tree.Counties(city) {
			got[u.Name] = u.Code
			if u.Level != lingpao.LevelCounty || u.Parent != city {
				t.Errorf("%s: level %s parent %s", u, u.Level, u.Parent)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: got %d county-level units, want %d", city, len(got), len(want))
		}
		for name, code := range want {
			if got[name] != code {
				t.Errorf("%s: got code %q, want %q", name, got[name], code)
			}
		}
	}
	jk, _ := cat.Tree.Unit("130100-JK")
	if jk.CodeScheme == "GB/T 2260" || jk.CodeScheme == "" {
		t.Errorf("石家庄经开区 code scheme = %q, want the local scheme", jk.CodeScheme)
	}
	for _, name := range []string{"辛集市", "定州市", "容城县", "安新县", "雄县"} {
		u, err := cat.Tree.Find(name)
		if err != nil || u.Note == "" {
			t.Errorf("%s: note missing (%v)", name, err)
		}
	}
	if p, _ := cat.Tree.Parent("130100"); p.Code != "130000" {
		t.Errorf("石家庄市 parent = %s", p.Code)
	}
}

func TestClusters(t *testing.T) {
	cat := loadEmbedded(t)
	for _, u := range cat.Tree.Counties("130100") {
		if n := len(cat.ClustersOf(u.Code)); n < 1 || n > 3 {
			t.Errorf("%s has %d clusters, want 1–3", u.Name, n)
		}
	}
	named := map[string]string{
		"鹿泉电子信息": "130110", "栾城装备制造": "130111", "元氏装备制造": "130132", "藁城医药": "130109",
		"赞皇特色食品": "130129", "元氏医药化工": "130132", "高阳农机配件": "130628", "博野绿色新涂料": "130637",
		"蠡县光伏": "130635", "涞源新能源": "130630",
	}
	found := map[string]bool{}
	for _, c := range cat.Clusters {
		if org, ok := named[c.Name]; ok {
			found[c.Name] = true
			if c.Org != org || c.Example || c.Citation == "" || c.ProvinceKey {
				t.Errorf("named cluster %+v", c)
			}
		}
		if !strings.HasPrefix(c.Code, c.Org+"-") {
			t.Errorf("cluster %s: code does not start with its county %s", c.Code, c.Org)
		}
		if !c.Example && c.Citation == "" {
			t.Errorf("cluster %s neither cited nor example", c.Name)
		}
	}
	for name := range named {
		if !found[name] {
			t.Errorf("cluster %s missing", name)
		}
	}
	// The four 保定 counties the plan names keep only their named cluster.
	for _, org := range []string{"130628", "130637", "130635", "130630"} {
		if n := len(cat.ClustersOf(org)); n != 1 {
			t.Errorf("%s has %d clusters, want 1", org, n)
		}
	}
}

func TestDocumentTargets(t *testing.T) {
	cat := loadEmbedded(t)
	byID := map[string]lingpao.Target{}
	for _, tg := range cat.Targets {
		byID[tg.ID] = tg
	}
	num := func(v float64) *float64 { return &v }
	tests := []struct {
		id, org, ind string
		form         lingpao.TargetForm
		comp         lingpao.Comparison
		value        *float64
		min, max     *float64
		due, start   string
		from, to     int
	}{
		{"sjz2022-srdi_sme-2023", "130100", "srdi_sme", "milestone", "reach", num(580), nil, nil, "2023-12-31", "", 0, 0},
		{"sjz2022-srdi_sme-2025", "130100", "srdi_sme", "milestone", "reach", num(750), nil, nil, "2025-12-31", "2024-01-01", 0, 0},
		{"sjz2022-little_giant-2023", "130100", "little_giant", "milestone", "reach", num(75), nil, nil, "2023-12-31", "", 0, 0},
		{"sjz2022-little_giant-2025", "130100", "little_giant", "milestone", "reach", num(105), nil, nil, "2025-12-31", "2024-01-01", 0, 0},
		{"sjz2022-leader_rnd_ratio-2023", "130100", "leader_rnd_ratio", "rate", "reach", num(3), nil, nil, "2023-12-31", "", 0, 0},
		{"sjz2022-leader_rnd_ratio-2025", "130100", "leader_rnd_ratio", "rate", "reach", num(3.5), nil, nil, "2025-12-31", "", 0, 0},
		{"sjz2022-listed-2023", "130100", "listed", "milestone", "range", nil, num(1), num(2), "2023-12-31", "", 0, 0},
		{"sjz2022-listed-2025", "130100", "listed", "milestone", "range", nil, num(8), num(10), "2025-12-31", "2024-01-01", 0, 0},
		{"sjz2022-srdi_sme_new-annual", "130100", "srdi_sme_new", "annual", "at_least", num(80), num(80), nil, "2025-12-31", "", 2022, 2025},
		{"sjz2022-invention_patents_new-annual", "130100", "invention_patents_new", "annual", "reach", num(100), nil, nil, "2025-12-31", "", 2022, 2025},
		{"sjz2022-energy_diag_new-annual", "130100", "energy_diag_new", "annual", "about", num(20), nil, nil, "2025-12-31", "", 2022, 2025},
		{"sjz2022-digital_mgmt_rate-2023", "130100", "digital_mgmt_rate", "rate", "more_than", num(78), num(78), nil, "2023-12-31", "", 0, 0},
		{"sjz2022-smart_benchmarks-2025", "130100", "smart_benchmarks", "milestone", "range", nil, num(3), num(5), "2025-12-31", "", 0, 0},
		{"sjz2022-diag_coverage-2023", "130100", "diag_coverage", "rate", "reach", num(100), nil, nil, "2023-12-31", "", 0, 0},
		{"sjz2025-revenue_growth-annual", "130100", "revenue_growth", "growth", "about", num(8), nil, nil, "2027-12-31", "", 2025, 2027},
		{"sjz2025-leader_firms_new-2027", "130100", "leader_firms_new", "cumulative", "at_least", num(20), num(20), nil, "2027-12-31", "2025-01-01", 0, 0},
		{"sjz2025-rev50_firms-2027", "130100", "rev50_firms", "milestone", "reach", num(14), nil, nil, "2027-12-31", "", 0, 0},
		{"sjz2025-green_output_share-2027", "130100", "green_output_share", "rate", "more_than", num(40), num(40), nil, "2027-12-31", "", 0, 0},
		{"sjz2025-standards_new-2027", "130100", "standards_new", "cumulative", "at_least", num(105), num(105), nil, "2027-12-31", "2025-01-01", 0, 0},
		{"bd2022-listed-2023", "130600", "listed", "milestone", "at_least", num(1), num(1), nil, "2023-12-31", "", 0, 0},
		{"bd2022-listed-2025", "130600", "listed", "milestone", "about", num(3), nil, nil, "2025-12-31", "2024-01-01", 0, 0},
		{"bd2022-leader_rnd_ratio-2023", "130600", "leader_rnd_ratio", "rate", "reach", num(3.1), nil, nil, "2023-12-31", "", 0, 0},
		{"bd2022-leader_rnd_ratio-2025", "130600", "leader_rnd_ratio", "rate", "reach", num(3.6), nil, nil, "2025-12-31", "", 0, 0},
		{"bd2022-srdi_sme_new-2025", "130600", "srdi_sme_new", "cumulative", "at_least", num(200), num(200), nil, "2025-12-31", "2022-01-01", 0, 0},
		{"bd2022-standard_leaders_new-annual", "130600", "standard_leaders_new", "annual", "range", nil, num(1), num(3), "2025-12-31", "", 2022, 2025},
		{"bd2022-digital_economy_share_gain-annual", "130600", "digital_economy_share_gain", "growth", "at_least", num(2), num(2), nil, "2025-12-31", "", 2022, 2025},
		{"hb2021-tech_sme-2025", "130000", "tech_sme", "milestone", "more_than", num(20000), num(20000), nil, "2025-12-31", "", 0, 0},
		{"hb2021-srdi_sme-2025", "130000", "srdi_sme", "milestone", "more_than", num(2000), num(2000), nil, "2025-12-31", "", 0, 0},
		{"hb2021-key_tech_breakthroughs-annual", "130000", "key_tech_breakthroughs", "annual", "range", nil, num(1), num(2), "2025-12-31", "", 2021, 2025},
		{"hb2021-rev50_clusters-2025", "130000", "rev50_clusters", "milestone", "about", num(150), nil, nil, "2025-12-31", "2021-01-01", 0, 0},
		{"hb2021-served_firms-annual", "130000", "served_firms", "annual", "at_least", num(10000), num(10000), nil, "2025-12-31", "", 2021, 2025},
	}
	eq := func(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }
	show := func(v *float64) any {
		if v == nil {
			return nil
		}
		return *v
	}
	for _, tt := range tests {
		got, ok := byID[tt.id]
		if !ok {
			t.Errorf("%s: missing", tt.id)
			continue
		}
		if got.Org != tt.org || got.Indicator != tt.ind || got.Form != tt.form || got.Comp != tt.comp {
			t.Errorf("%s: got org=%s ind=%s form=%s comp=%s, want %s %s %s %s", tt.id, got.Org, got.Indicator, got.Form, got.Comp, tt.org, tt.ind, tt.form, tt.comp)
		}
		if !eq(got.Value, tt.value) || !eq(got.Min, tt.min) || !eq(got.Max, tt.max) {
			t.Errorf("%s: got value=%v min=%v max=%v, want %v %v %v", tt.id, show(got.Value), show(got.Min), show(got.Max), show(tt.value), show(tt.min), show(tt.max))
		}
		if !got.Due.Equal(date(t, tt.due)) {
			t.Errorf("%s: due %s, want %s", tt.id, lingpao.FormatDate(got.Due), tt.due)
		}
		if (tt.start == "") != got.Start.IsZero() || (tt.start != "" && !got.Start.Equal(date(t, tt.start))) {
			t.Errorf("%s: start %s, want %q", tt.id, lingpao.FormatDate(got.Start), tt.start)
		}
		if got.FromYear != tt.from || got.ToYear != tt.to {
			t.Errorf("%s: years %d–%d, want %d–%d", tt.id, got.FromYear, got.ToYear, tt.from, tt.to)
		}
		if got.Example {
			t.Errorf("%s: marked example", tt.id)
		}
	}
	// Chained milestones measure from the earlier milestone's figure.
	if b := byID["sjz2022-srdi_sme-2025"].Baseline; b == nil || *b != 580 {
		t.Errorf("sjz2022-srdi_sme-2025 baseline = %v, want 580", show(b))
	}
	if b := byID["hb2021-rev50_clusters-2025"].Baseline; b == nil || *b != 120 {
		t.Errorf("hb2021-rev50_clusters-2025 baseline = %v, want 120", show(b))
	}
	// 003 only repeats 000: no target cites the newspaper.
	for _, tg := range cat.Targets {
		if strings.Contains(tg.Citation, "河北日报") {
			t.Errorf("%s cites the newspaper report", tg.ID)
		}
	}
}

func TestCitations(t *testing.T) {
	cat := loadEmbedded(t)
	var titles []string
	for _, d := range cat.Documents {
		titles = append(titles, "《"+d.Title+"》")
	}
	names := func(c string) bool {
		for _, title := range titles {
			if strings.Contains(c, title) {
				return true
			}
		}
		return false
	}
	for _, tg := range cat.Targets {
		switch {
		case tg.Citation == "" || !names(tg.Citation):
			t.Errorf("%s: citation %q names no known document", tg.ID, tg.Citation)
		case tg.Example && !strings.HasPrefix(tg.Citation, "示例分解（非文件内容）：依据 《"):
			t.Errorf("%s: example citation %q", tg.ID, tg.Citation)
		case !tg.Example && !strings.HasPrefix(tg.Citation, "《"):
			t.Errorf("%s: citation %q", tg.ID, tg.Citation)
		}
	}
	want := "《石家庄市县域特色产业集群“领跑者”企业培育行动实施方案》（石政办函〔2022〕44号）一、主要目标"
	if got := cat.TargetsFor("130100", "srdi_sme")[0].Citation; got != want {
		t.Errorf("citation: got %q, want %q", got, want)
	}
	want = "《石家庄市特色产业集群提档升级三年行动方案（2025—2027年）》（石家庄市人民政府办公室，2025年7月22日）二、（一）1"
	if got := cat.TargetsFor("130100", "leader_firms_new")[0].Citation; got != want {
		t.Errorf("citation without number: got %q, want %q", got, want)
	}
}

func TestAllocationSums(t *testing.T) {
	cat := loadEmbedded(t)
	byID := map[string]lingpao.Target{}
	for _, tg := range cat.Targets {
		byID[tg.ID] = tg
	}
	counties := cat.Tree.Counties("130100")
	sums := map[string]float64{}
	seen := map[string]map[string]bool{}
	for _, tg := range cat.Targets {
		if !tg.Example {
			continue
		}
		basis, _, ok := strings.Cut(tg.ID, "@")
		if !ok {
			t.Errorf("example target %s has no basis in its id", tg.ID)
			continue
		}
		sums[basis] += tg.Bar()
		if seen[basis] == nil {
			seen[basis] = map[string]bool{}
		}
		seen[basis][tg.Org] = true
		if tg.Form == lingpao.FormRate || tg.Form == lingpao.FormGrowth {
			t.Errorf("%s: rates and growth are not allocated", tg.ID)
		}
	}
	want := []string{
		"sjz2022-srdi_sme-2023", "sjz2022-srdi_sme-2025", "sjz2022-little_giant-2023", "sjz2022-little_giant-2025",
		"sjz2022-listed-2023", "sjz2022-listed-2025", "sjz2022-invention_patents_new-annual/2025", "sjz2022-srdi_sme_new-annual/2025",
		"sjz2022-innov_sme_new-annual/2025", "sjz2022-hitech_new-annual/2025", "sjz2022-green_factory_new-annual/2025",
	}
	for _, b := range want {
		if _, ok := sums[b]; !ok {
			t.Errorf("no allocation of %s", b)
		}
	}
	for b, sum := range sums {
		city, ok := byID[strings.Split(b, "/")[0]]
		if !ok {
			t.Errorf("allocation %s: basis missing", b)
			continue
		}
		if sum != city.Bar() {
			t.Errorf("allocation of %s sums to %v, want %v", b, sum, city.Bar())
		}
		if len(seen[b]) != len(counties) {
			t.Errorf("allocation of %s covers %d units, want %d", b, len(seen[b]), len(counties))
		}
	}
	// A county's 2025 milestone chains from its own 2023 share.
	lq := cat.TargetsFor("130110", "srdi_sme")
	if len(lq) != 2 || lq[1].Baseline == nil || *lq[1].Baseline != lq[0].Bar() || lq[1].Bar() < lq[0].Bar() {
		t.Errorf("鹿泉区 srdi_sme allocations do not chain: %+v", lq)
	}
}

func TestCalendar(t *testing.T) {
	cal := loadEmbedded(t).Calendar()
	h, ok := cal.Holiday(date(t, "2025-10-05"))
	if !ok || !h.Off || !strings.Contains(h.Name, "国庆") {
		t.Errorf("2025-10-05: got %+v %v, want a 国庆 day off", h, ok)
	}
	if got := cal.NextWorkday(date(t, "2025-10-05")); !got.Equal(date(t, "2025-10-09")) {
		t.Errorf("NextWorkday(2025-10-05) = %s, want 2025-10-09", lingpao.FormatDate(got))
	}
	if got := cal.Deadline(lingpao.MonthOf(2025, 9), 5); !got.Equal(date(t, "2025-10-09")) {
		t.Errorf("deadline of 2025-09 = %s, want 2025-10-09", lingpao.FormatDate(got))
	}
	if got := cal.Deadline(lingpao.MonthOf(2026, 9), 5); !got.Equal(date(t, "2026-10-08")) {
		t.Errorf("deadline of 2026-09 = %s, want 2026-10-08", lingpao.FormatDate(got))
	}
	for _, d := range []string{"2025-01-26", "2025-02-08", "2025-09-28", "2025-10-11", "2024-02-04", "2023-10-07"} {
		if !cal.IsWorkday(date(t, d)) {
			t.Errorf("%s should be a make-up working day", d)
		}
	}
	for _, d := range []string{"2025-01-28", "2025-02-04", "2025-05-05", "2025-10-08", "2024-02-16", "2023-06-23", "2026-02-23"} {
		if cal.IsWorkday(date(t, d)) {
			t.Errorf("%s should be a day off", d)
		}
	}
	if cal.From != 2023 || cal.To != 2027 {
		t.Errorf("calendar covers %d–%d, want 2023–2027", cal.From, cal.To)
	}
	if h, _ := cal.Holiday(date(t, "2027-02-06")); !h.Off || !strings.Contains(h.Name, "暂定") {
		t.Errorf("2027-02-06 = %+v, want a provisional 春节 day", h)
	}
}

func TestRewards(t *testing.T) {
	rs, err := Rewards(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]Reward{}
	for _, r := range rs {
		byID[r.ID] = r
		if r.Citation == "" {
			t.Errorf("%s: no citation", r.ID)
		}
	}
	check := func(id string, field string, p *float64, want float64) {
		if p == nil || *p != want {
			t.Errorf("%s %s: got %v, want %v", id, field, p, want)
		}
	}
	check("sjz2022-china-quality-award", "amount", byID["sjz2022-china-quality-award"].Amount, 1000)
	check("sjz2022-standard-lead-international", "amount", byID["sjz2022-standard-lead-international"].Amount, 30)
	check("sjz2025-smart-factory-leading", "max", byID["sjz2025-smart-factory-leading"].Max, 50)
	check("sjz2025-national-sme-cluster", "max", byID["sjz2025-national-sme-cluster"].Max, 100)
	check("hb2021-equity-investment", "percent", byID["hb2021-equity-investment"].Percent, 2)
	check("hb2021-equity-investment", "max", byID["hb2021-equity-investment"].Max, 500)
	check("hb2021-listing-service-fee", "percent", byID["hb2021-listing-service-fee"].Percent, 40)
	// Every numbered item of hb2021 三、支持政策 has an entry.
	for _, item := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"} {
		found := false
		for _, r := range rs {
			if strings.HasPrefix(r.ID, "hb2021-") && strings.HasSuffix(r.Citation, "）"+item) {
				found = true
			}
		}
		if !found {
			t.Errorf("hb2021 三、 item %s has no reward entry", item)
		}
	}
}

func TestWorkspaceOverride(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Join(dir, "seeds"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "seeds", name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(FileTargets, `targets:
  - id: local-srdi_sme-2026
    org: 石家庄市
    indicator: srdi_sme
    form: milestone
    comparison: at_least
    value: 800
    due: 2026-12-31
    citation: 市工信局2026年工作要点
`)
	write(FileAllocation, "allocations: []\n")
	cat, err := LoadWorkspace(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cat.Targets) != 1 || cat.Targets[0].ID != "local-srdi_sme-2026" || cat.Targets[0].Org != "130100" || cat.Targets[0].Bar() != 800 {
		t.Fatalf("override not used: %+v", cat.Targets)
	}
	if len(cat.Tree.Counties("130100")) != 24 {
		t.Errorf("files not overridden must come from the embedded seeds")
	}

	// A broken override is reported with its path.
	write(FileTargets, "targets:\n  - {id: x, org: 不存在县, indicator: srdi_sme, form: milestone, comparison: reach, value: 1, due: 2026-12-31, citation: c}\n")
	_, err = LoadWorkspace(dir)
	if lingpao.ErrorCode(err) != lingpao.EINVALID || !strings.Contains(lingpao.ErrorMessage(err), filepath.Join(dir, "seeds", FileTargets)) ||
		!strings.Contains(lingpao.ErrorMessage(err), "不存在县") {
		t.Errorf("broken override: got %v", err)
	}

	// A workspace without seeds/ loads the embedded catalog.
	if _, err := LoadWorkspace(t.TempDir()); err != nil {
		t.Errorf("empty workspace: %v", err)
	}
}

// TestValidation breaks one embedded file at a time and checks the loader names the problem.
func TestValidation(t *testing.T) {
	tests := []struct {
		name, file, old, new string
		want                 []string
	}{
		{"unknown indicator", FileTargets, "indicator: srdi_sme\n    form: milestone\n    comparison: reach\n    value: 750", "indicator: srdi_smes\n    form: milestone\n    comparison: reach\n    value: 750",
			[]string{"targets.yaml", "sjz2022-srdi_sme-2025", "srdi_smes"}},
		{"unknown org", FileTargets, "id: sjz2022-srdi_sme-2025\n    org: \"130100\"", "id: sjz2022-srdi_sme-2025\n    org: \"139999\"",
			[]string{"sjz2022-srdi_sme-2025", "139999"}},
		{"range without max", FileTargets, "min: 8\n    max: 10\n", "min: 8\n", []string{"sjz2022-listed-2025", "min 和 max"}},
		{"range with value", FileTargets, "min: 8\n    max: 10\n", "min: 8\n    max: 10\n    value: 9\n", []string{"sjz2022-listed-2025", "不填 value"}},
		{"unknown comparison", FileTargets, "comparison: more_than\n    value: 78", "comparison: beyond\n    value: 78", []string{"sjz2022-digital_mgmt_rate-2023", "beyond"}},
		{"unknown form", FileTargets, "id: sjz2022-hitech_new-annual\n    org: \"130100\"\n    indicator: hitech_new\n    form: annual", "id: sjz2022-hitech_new-annual\n    org: \"130100\"\n    indicator: hitech_new\n    form: yearly",
			[]string{"sjz2022-hitech_new-annual", "yearly"}},
		{"duplicate id", FileTargets, "id: sjz2022-little_giant-2025", "id: sjz2022-little_giant-2023", []string{"重复", "sjz2022-little_giant-2023"}},
		{"no citation", FileTargets, "due: 2025-12-31\n    doc: sjz2022\n    clause: 二、（一）1\n", "due: 2025-12-31\n", []string{"sjz2022-listing_pool-2025", "出处"}},
		{"unknown document", FileTargets, "doc: hb2021\n    clause: 二、（五）3", "doc: hb2099\n    clause: 二、（五）3", []string{"hb2099"}},
		{"cumulative without start", FileTargets, "start: 2025-01-01\n    due: 2027-12-31\n    doc: sjz2025\n    clause: 二、（一）1\n    text: 到2027年底新培育“领跑者”企业20家以上",
			"due: 2027-12-31\n    doc: sjz2025\n    clause: 二、（一）1\n    text: 到2027年底新培育“领跑者”企业20家以上", []string{"sjz2025-leader_firms_new-2027", "start"}},
		{"annual on a stock", FileTargets, "indicator: joint_stock_new", "indicator: listed", []string{"sjz2022-joint_stock_new-annual", "ytd"}},
		{"bad date", FileTargets, "due: 2027-12-31\n    doc: sjz2025\n    clause: 一、发展目标\n    text: 营业收入超百亿元", "due: 2027-13-31\n    doc: sjz2025\n    clause: 一、发展目标\n    text: 营业收入超百亿元", []string{"sjz2025-rev100_clusters-2027", "2027-13-31"}},
		{"misspelt field", FileTargets, "comparison: about\n    value: 20\n", "comparison: about\n    valeu: 20\n", []string{"targets.yaml", "valeu"}},
		{"ratio without denominator", FileIndicators, "denominator: leader_revenue_ytd", "denominator: leader_income_ytd", []string{"indicators.yaml", "leader_rnd_ratio", "leader_income_ytd"}},
		{"growth without base", FileIndicators, "    base: revenue_ytd\n", "", []string{"revenue_growth", "base"}},
		{"roster tag", FileIndicators, "roster: {tag: 上市后备}", "roster: {tag: 拟上市}", []string{"listing_pool", "拟上市"}},
		{"duplicate indicator", FileIndicators, "code: revenue_ytd_ly", "code: revenue_ytd", []string{"revenue_ytd", "重复"}},
		{"bad kind", FileIndicators, "code: above_scale\n    name: 规上工业企业数\n    unit: 家\n    kind: stock", "code: above_scale\n    name: 规上工业企业数\n    unit: 家\n    kind: level", []string{"above_scale", "level"}},
		{"cluster org", FileClusters, "org: \"130637\"", "org: \"130699\"", []string{"clusters.yaml", "130637-01", "130699"}},
		{"duplicate cluster", FileClusters, "code: 130132-02", "code: 130132-01", []string{"130132-01", "重复"}},
		{"uncited cluster", FileClusters, "    doc: bd2022\n    clause: 第二部分 第七个专项行动 2\n    note: 2023年底推动形成的4个新增产业集群之一。\n\n  - code: 130637-01", "\n  - code: 130637-01", []string{"130628-01", "出处"}},
		{"allocation outside city", FileAllocation, "{org: 长安区, value: 21, example: true}", "{org: 蠡县, value: 21, example: true}", []string{"allocation_example.yaml", "蠡县"}},
		{"allocation of a rate", FileAllocation, "basis: sjz2022-srdi_sme-2023", "basis: sjz2022-leader_rnd_ratio-2023", []string{"不分解"}},
		{"holiday without off", FileHolidays, "{date: 2025-10-05, name: 国庆节、中秋节, off: true}", "{date: 2025-10-05, name: 国庆节、中秋节}", []string{"holidays.yaml", "2025-10-05", "off"}},
		{"make-up on a weekday", FileHolidays, "{date: 2025-09-28, name: 国庆节、中秋节, off: false}", "{date: 2025-09-29, name: 国庆节、中秋节, off: false}", []string{"2025-09-29", "工作日"}},
		{"document date", FileDocuments, "date: 2021-08-09", "date: 2021年8月9日", []string{"documents.yaml", "hb2021"}},
		{"duplicate org name", FileOrgs, "name: 桥西区", "name: 长安区", []string{"orgs.yaml", "长安区"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := modified(t, tt.file, tt.old, tt.new)
			_, err := Load(fsys)
			if lingpao.ErrorCode(err) != lingpao.EINVALID {
				t.Fatalf("got %v, want an EINVALID error", err)
			}
			msg := lingpao.ErrorMessage(err)
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q does not mention %q", msg, w)
				}
			}
		})
	}
}

// modified returns the embedded seeds with the first occurrence of old in file replaced by new.
func modified(t *testing.T, file, old, new string) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	entries, err := fs.ReadDir(Embedded(), ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := fs.ReadFile(Embedded(), e.Name())
		if err != nil {
			t.Fatal(err)
		}
		m[e.Name()] = &fstest.MapFile{Data: b}
	}
	s := string(m[file].Data)
	if !strings.Contains(s, old) {
		t.Fatalf("%s does not contain %q", file, old)
	}
	m[file] = &fstest.MapFile{Data: []byte(strings.Replace(s, old, new, 1))}
	return m
}

// TestAllocationChainsLikeTheCity: an indicator is measured the same way at city and county level.
// Where the city's milestone is measured from an earlier one (上市企业 2025 from 2023), every county's
// share of it is measured from the county's share of the earlier one — never held as a level — and the
// county shares of the increment add up to the city's increment.
func TestAllocationChainsLikeTheCity(t *testing.T) {
	cat := loadEmbedded(t)
	for _, city := range cat.Targets {
		if city.Org != "130100" || city.Form != lingpao.FormMilestone || city.Baseline == nil {
			continue
		}
		var increments float64
		shares := 0
		for _, tg := range cat.Targets {
			if !tg.Example || !strings.HasPrefix(tg.ID, city.ID+"@") {
				continue
			}
			shares++
			if tg.Baseline == nil || tg.Start.IsZero() {
				t.Errorf("%s: a county share without a baseline, held as a level while the city's is measured from %v", tg.ID, *city.Baseline)
				continue
			}
			increments += tg.Bar() - *tg.Baseline
		}
		if shares > 0 && increments != city.Bar()-*city.Baseline {
			t.Errorf("%s: the counties' increments add up to %v, the city's is %v", city.ID, increments, city.Bar()-*city.Baseline)
		}
	}
}
