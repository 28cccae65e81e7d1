package demo

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"lingpao"
)

// filled is the content of one synthetic return.
type filled struct {
	org      lingpao.OrgUnit
	month    lingpao.Period
	values   map[string]map[string]float64 // cluster → indicator → value
	roster   []lingpao.Enterprise
	issues   []lingpao.Issue
	contact  string
	phone    string
	remarks  map[string]string
	clusters []lingpao.Cluster
}

var (
	tradeWords    = []string{"华", "恒", "鼎", "瑞", "博", "盛", "宏", "信", "泰", "创", "联", "新", "远", "达", "晟", "嘉", "中", "科", "正", "润"}
	industryWords = []string{"科技", "电子", "装备", "制药", "生物", "食品", "新材料", "机械", "智能", "精工", "化工", "能源"}
	surnames      = []string{"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭"}
	givenNames    = []string{"建国", "丽华", "晓明", "志强", "海燕", "文博", "静", "磊", "敏", "洋", "佳怡", "子涵"}
)

// shortName strips the unit type: 鹿泉区 → 鹿泉, 石家庄高新区 → 石家庄高新.
func shortName(name string) string {
	// 张家口市桥西区 → 张家口桥西; 青龙满族自治县 → 青龙.
	if city, rest, ok := strings.Cut(name, "市"); ok && len([]rune(city)) >= 2 && len([]rune(rest)) >= 2 {
		name = city + rest
	}
	for _, suf := range []string{"满族蒙古族自治县", "满族自治县", "回族自治县"} {
		if s, ok := strings.CutSuffix(name, suf); ok {
			return s
		}
	}
	for _, suf := range []string{"区", "县", "市"} {
		if strings.HasSuffix(name, suf) && len([]rune(name)) > 2 {
			return strings.TrimSuffix(name, suf)
		}
	}
	return name
}

// uscc builds a valid unified social credit code for an enterprise of county org.
func uscc(rng *rand.Rand, orgCode string) string {
	const alpha = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	area := orgCode
	if len(area) != 6 || strings.ContainsAny(area, "-") {
		area = area[:6]
	}
	b := []byte("91" + area)
	for len(b) < 17 {
		b = append(b, alpha[rng.IntN(len(alpha))])
	}
	c, _ := lingpao.USCCCheck(string(b))
	return string(append(b, c))
}

// roster returns a county's key enterprises, the same every month (names, codes, tags); revenue and
// R&D are year-to-date for month m.
func (g *generator) roster(org lingpao.OrgUnit, clusters []lingpao.Cluster, m lingpao.Period) []lingpao.Enterprise {
	rng := rand.New(rand.NewPCG(g.seed, hash("roster", org.Code)))
	var out []lingpao.Enterprise
	used := map[string]bool{}
	row := 4
	for _, c := range clusters {
		n := g.enterprisesPerCluster(rng, len(clusters))
		for i := 0; i < n; i++ {
			var name string
			for name == "" || used[name] {
				trade := tradeWords[rng.IntN(len(tradeWords))] + tradeWords[rng.IntN(len(tradeWords))]
				if g.perCounty > 0 {
					trade += tradeWords[rng.IntN(len(tradeWords))] // thousands of names need more than 20 × 20 × 12
				}
				name = fmt.Sprintf("%s%s%s有限公司", shortName(org.Name), trade, industryWords[rng.IntN(len(industryWords))])
			}
			used[name] = true
			e := lingpao.Enterprise{Name: name, USCC: uscc(rng, org.Code), Cluster: c.Code, Row: row}
			row++
			switch {
			case i < 2:
				e.Tags = []string{lingpao.TagLeader, lingpao.TagSRDI}
				if i == 0 && rng.IntN(3) == 0 {
					e.Tags = append(e.Tags, lingpao.TagLittleGiant)
				}
				if rng.IntN(2) == 0 {
					e.Tags = append(e.Tags, lingpao.TagListingPool)
				}
			case i < 4 && rng.IntN(2) == 0:
				e.Tags = []string{lingpao.TagSRDI}
			case rng.IntN(3) == 0:
				e.Tags = []string{lingpao.TagHighTech}
			}
			annual := 3000 + rng.Float64()*40000 // 万元
			if e.HasTag(lingpao.TagLeader) {
				annual = 20000 + rng.Float64()*150000
			}
			rev := math.Round(annual*seasonal(m.N)*100) / 100
			e.Revenue = &rev
			share := 0.01 + rng.Float64()*0.02
			if e.HasTag(lingpao.TagLeader) {
				// Front-runners invest about 3.9% of revenue in R&D (the plan asks 3.5%), less in a
				// county that lags.
				share = 0.033 + rng.Float64()*0.012 + 0.02*(perf(g.seed, org)-1)
			}
			rnd := math.Round(rev*share*100) / 100
			e.RnD = &rnd
			out = append(out, e)
		}
	}
	return out
}

// enterprisesPerCluster draws how many enterprises a cluster of a county with n clusters lists: about
// perCounty/n at province scale (half to one and a half times that), five to ten otherwise.
func (g *generator) enterprisesPerCluster(rng *rand.Rand, n int) int {
	if g.perCounty > 0 {
		per := max(2, g.perCounty/n)
		return per/2 + rng.IntN(per)
	}
	return 5 + rng.IntN(6)
}

// countyReturn builds the synthetic figures of county org for month m.
func (g *generator) countyReturn(org lingpao.OrgUnit, m lingpao.Period) filled {
	cat := g.cat
	clusters := cat.ClustersOf(org.Code)
	f := filled{org: org, month: m, values: map[string]map[string]float64{}, clusters: clusters, remarks: map[string]string{}}
	rng := rand.New(rand.NewPCG(g.seed, hash("return", org.Code, m.String())))
	p := perf(g.seed, org)
	weights := make([]float64, len(clusters))
	for i, c := range clusters {
		weights[i] = 1 + unit(g.seed, "weight", c.Code)*2
		f.values[c.Code] = map[string]float64{}
	}
	set := func(ind string, parts []float64) {
		for i, c := range clusters {
			f.values[c.Code][ind] = parts[i]
		}
	}
	// setFlow sets a year-to-date flow: the county's figure split among its clusters, or, at province
	// scale, each cluster's own share of the allocation, so that no cluster's YTD figure ever falls
	// from one month to the next (a split of a growing total can move a unit between clusters).
	setFlow := func(ind string, a float64) {
		if g.perCounty == 0 {
			ev := g.countyEvents(org, clusters, weights, ind, m.Year, a*p)
			for _, c := range clusters {
				f.values[c.Code][ind] = ev.ytd(c.Code, m.N)
			}
			return
		}
		var sum float64
		for _, w := range weights {
			sum += w
		}
		for i, c := range clusters {
			f.values[c.Code][ind] = flow(a*weights[i]/sum, seasonal(m.N), p)
		}
	}
	elapsed := float64(m.N) / 12

	// Stocks with chained milestones: from the 2023 level toward the 2025 level at the county's pace
	// (the months since the end of 2023 over the 24 of the stage).
	for _, ind := range []string{"srdi_sme", "little_giant", "listed"} {
		t25, ok25 := allocation(cat, org.Code, ind, 2025)
		t23, ok23 := allocation(cat, org.Code, ind, 2023)
		stage := math.Min(float64((m.Year-2024)*12+m.N)/24, 1.2)
		var v float64
		switch {
		case ok25 && ok23:
			v = t23 + (t25-t23)*stage*p
		case ok25:
			v = t25 * (0.4 + 0.6*stage) * p
		default:
			v = float64(1 + int(unit(g.seed, ind, org.Code)*4))
		}
		// Whole enterprises, counted as soon as most of one is there: a county with a step of one
		// reaches it early in the stage rather than at its middle.
		set(ind, split(math.Max(0, math.Floor(v+0.85)), weights, true))
	}
	// Little giants are a subset of SRDI enterprises.
	for _, c := range clusters {
		if f.values[c.Code]["little_giant"] > f.values[c.Code]["srdi_sme"] {
			f.values[c.Code]["little_giant"] = f.values[c.Code]["srdi_sme"]
		}
	}
	// Annual flows: the allocation times the seasonal share times the county's pace.
	for _, ind := range []string{"invention_patents_new", "srdi_sme_new", "innov_sme_new", "hitech_new", "green_factory_new"} {
		a, ok := allocation(cat, org.Code, ind, m.Year)
		if a25, ok25 := allocation(cat, org.Code, ind, 2025); !ok && ok25 && m.Year < 2025 {
			a, ok = math.Round(a25*0.9), true // the year before the allocation: a little less
		}
		if !ok {
			a = float64(2 + int(unit(g.seed, ind, org.Code)*6))
		}
		setFlow(ind, a)
	}
	// Flows the city keeps a target for but does not allocate (股改 5 a year, 节能诊断 20 …): the
	// city's year is a number of events near its target, each falling to a county as its industrial
	// base and pace have it, so that the counties add up to the city's progress.
	for _, ind := range []string{"joint_stock_new", "energy_diag_new", "standards_new", "innovation_platforms_new"} {
		if g.perCounty == 0 {
			ev := g.cityEvents(ind, m.Year)
			for _, c := range clusters {
				f.values[c.Code][ind] = ev.ytd(c.Code, m.N)
			}
			continue
		}
		a := float64(1 + int(unit(g.seed, ind, org.Code)*5))
		setFlow(ind, a)
	}
	for i, c := range clusters {
		v := f.values[c.Code]
		// Revenue grows by the county's rate each year (about the 8% of the plan at pace 1), so this
		// year's 上年同期 column is last year's figure.
		// About the plan's 8%: a county at pace 1 within a point of it, faster ones a little above,
		// the one far behind well below.
		growth := 0.075 + unit(g.seed, "growth", org.Code)*0.015 + 0.06*(p-1)
		annual := (15 + unit(g.seed, "revenue", c.Code)*220) / math.Pow(1+growth, float64(2025-m.Year)) // 亿元
		v["revenue_ytd"] = math.Round(annual*seasonal(m.N)*100) / 100
		v["revenue_ytd_ly"] = math.Round(v["revenue_ytd"]/(1+growth)*100) / 100
		above := math.Round(20 + unit(g.seed, "above", c.Code)*120)
		v["above_scale"] = above
		v["rev50_firms"] = math.Floor(annual / 120)
		// Adoption rates around the city's targets (78%, 80%, 60%, 80%): a county at pace 1 a little
		// above them, one far behind well below.
		// Each measure has its own spread by cluster, so that two with the same target are not the
		// same table.
		level := func(what string, centre float64) float64 {
			return centre + 0.25*p + (unit(g.seed, what, c.Code)-0.5)*0.08 + rng.Float64()*0.01
		}
		v["digital_rd_users"] = math.Min(above, math.Round(above*math.Min(0.97, 0.78*level("rd", 0.78))))
		v["digital_mgmt_users"] = math.Min(above, math.Round(above*math.Min(0.97, 0.80*level("mgmt", 0.79))))
		v["cloud_users"] = math.Min(above, math.Round(above*math.Min(0.9, 0.60*level("cloud", 0.78))))
		v["ecommerce_users"] = math.Min(above, math.Round(above*math.Min(0.97, 0.80*level("ecommerce", 0.75))))
		v["diagnosed"] = math.Min(above, math.Round(above*math.Min(1, 0.75+0.25*p*elapsed+0.1)))
		_ = i
	}
	f.roster = g.roster(org, clusters, m)
	if g.perCounty > 0 {
		// A long roster names more 专精特新 and 小巨人 enterprises than a small allocation counts: a
		// careful county's cluster sheet counts at least those it lists.
		for _, e := range f.roster {
			v := f.values[e.Cluster]
			if e.HasTag(lingpao.TagSRDI) {
				v["srdi_tagged"]++
			}
			if e.HasTag(lingpao.TagLittleGiant) {
				v["little_giant_tagged"]++
			}
		}
		for _, c := range clusters {
			v := f.values[c.Code]
			v["srdi_sme"] = math.Max(v["srdi_sme"], v["srdi_tagged"])
			v["little_giant"] = math.Max(v["little_giant"], v["little_giant_tagged"])
			delete(v, "srdi_tagged")
			delete(v, "little_giant_tagged")
		}
	}
	if rng.IntN(3) == 0 {
		f.issues = []lingpao.Issue{{Description: "集群企业反映新建厂房用地指标不足，项目落地受影响", Category: "用地", Enterprise: f.roster[0].Name, Department: "县自然资源和规划局", Status: "交办", Raised: fmt.Sprintf("%d-%02d-10", m.Year, m.N)}}
	}
	f.contact = surnames[rng.IntN(len(surnames))] + givenNames[rng.IntN(len(givenNames))]
	f.phone = fmt.Sprintf("0311-8%03d%04d", rng.IntN(1000), rng.IntN(10000))
	return f
}
