// Package demo makes the synthetic workspace of `lingpao demo`: plausible county returns for January
// to a chosen month, dropped into the inbox on simulated days (some late, one county missing, one file
// with errors that is corrected later), ingested with the clock pinned to each day, then every report.
// Everything is deterministic for a seed.
package demo

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"

	"lingpao"
)

// model produces one county's figures. Its counties differ by a performance factor (how fast they
// move toward their allocation) drawn from the seed.
type model struct {
	cat  *lingpao.Catalog
	year int
	rng  *rand.Rand
}

func hash(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// unit returns a deterministic number in [0,1) for the given key.
func unit(seed uint64, parts ...string) float64 {
	r := rand.New(rand.NewPCG(seed, hash(parts...)))
	return r.Float64()
}

// perf is a county's pace toward its targets (1 = exactly on schedule): a plausible city where most
// counties are on schedule or ahead (0.98–1.2), a few lag (高邑县, 赞皇县 and some drawn by the seed,
// 0.86–0.94) and one is far behind (深泽县, 0.6).
func perf(seed uint64, org lingpao.OrgUnit) float64 {
	switch org.Name {
	case "深泽县":
		return 0.6
	case "赞皇县":
		return 0.86
	case "高邑县":
		return 0.9
	}
	u := unit(seed, "perf", org.Code)
	if u < 0.12 {
		return 0.88 + u/2 // 0.88–0.94
	}
	return 0.98 + (u-0.12)*0.25 // 0.98–1.2
}

// allocation returns the county's target value for an indicator and year from the catalog (the
// example allocation), or ok=false.
func allocation(cat *lingpao.Catalog, org, ind string, year int) (float64, bool) {
	for _, t := range cat.Targets {
		if t.Org != org || t.Indicator != ind {
			continue
		}
		switch t.Form {
		case lingpao.FormAnnual:
			if year >= t.FromYear && year <= t.ToYear {
				return t.Bar(), true
			}
		default:
			if t.Due.Year() == year {
				return t.Bar(), true
			}
		}
	}
	return 0, false
}

// split divides a county total among its clusters by fixed weights, in whole numbers when integer,
// so that the parts add up exactly.
func split(total float64, weights []float64, integer bool) []float64 {
	var sum float64
	for _, w := range weights {
		sum += w
	}
	out := make([]float64, len(weights))
	if !integer {
		for i, w := range weights {
			out[i] = math.Round(total*w/sum*100) / 100
		}
		return out
	}
	n := int(math.Round(total))
	given := 0
	for i, w := range weights {
		out[i] = math.Floor(float64(n) * w / sum)
		given += int(out[i])
	}
	for i := 0; given < n; i = (i + 1) % len(out) {
		out[i]++
		given++
	}
	return out
}

// seasonal is the share of a year's flow done by the end of month m: the months elapsed, as 序时进度
// assumes, with January and February a little slower (Spring Festival) and the difference made up by
// June.
func seasonal(m int) float64 {
	w := []float64{0.8, 0.9, 1.05, 1.05, 1.05, 1.15, 1, 1, 1, 1, 1, 1}
	var done, all float64
	for i, x := range w {
		all += x
		if i < m {
			done += x
		}
	}
	return done / all
}

// flow is a county's figure of a year-to-date flow: its annual allocation a at share of the year and
// its pace p, in whole units rounded up from 0.4 — counties front-load a small number of projects —
// so that a county on pace with an allocation of two is not 0 in March.
func flow(a, share, p float64) float64 { return math.Max(0, math.Floor(a*share*p+0.6)) }

// events are the events of a year-to-date flow in one year — a patent granted, an enterprise
// certified — each in its month (1–12) and cluster. A cluster's YTD figure counts its events up to the
// month, so it never falls, and the figures of all clusters add up to the year's events.
type events []event

type event struct {
	month   int
	cluster string
}

// ytd is the year-to-date count of the events of cluster cl by the end of month n.
func (es events) ytd(cl string, n int) float64 {
	k := 0
	for _, e := range es {
		if e.cluster == cl && e.month <= n {
			k++
		}
	}
	return float64(k)
}

// monthOf is the month in which a share q (0–1) of the year's flow is reached (seasonal).
func monthOf(q float64) int {
	for n := 1; n <= 12; n++ {
		if seasonal(n) >= q-1e-9 {
			return n
		}
	}
	return 12
}

// place spreads n events over the year by the seasonal shape — event j at a share between (j + 0.15)/n
// and (j + 0.65)/n, a little ahead of an even spread (a county with two projects does not wait for
// the middle of the year for the first) — and picks each one's cluster by weight, drawn with key.
func place(seed uint64, n int, clusters []lingpao.Cluster, weights []float64, key ...string) events {
	var sum float64
	for _, w := range weights {
		sum += w
	}
	out := make(events, 0, n)
	for j := 0; j < n; j++ {
		k := append(append([]string(nil), key...), fmt.Sprint(j))
		q := (float64(j) + 0.15 + unit(seed, append(k, "when")...)*0.5) / float64(n)
		pick := unit(seed, append(k, "where")...) * sum
		cl := clusters[len(clusters)-1].Code
		for i, w := range weights {
			if pick < w {
				cl = clusters[i].Code
				break
			}
			pick -= w
		}
		out = append(out, event{month: monthOf(q), cluster: cl})
	}
	return out
}

// countyEvents are county org's events of an allocated flow in year y: its allocation times its pace
// (expected), give or take a twentieth from year to year.
func (g *generator) countyEvents(org lingpao.OrgUnit, clusters []lingpao.Cluster, weights []float64, ind string, y int, expected float64) events {
	f := 0.95 + unit(g.seed, "year", ind, org.Code, fmt.Sprint(y))*0.1
	n := int(math.Round(expected * f))
	return place(g.seed, n, clusters, weights, "flow", ind, org.Code, fmt.Sprint(y))
}

// cityEvents are the events of a flow the city has a target for but does not allocate, in year y:
// about the city's target (10 when it has none that year), each falling to a county drawn by the
// weight of its industrial base (its share of the 2025 专精特新 allocation, else 1) and its pace,
// then to a cluster of it. Only the clusters of the county asked for matter to the caller, but the
// draw is the city's, so that the counties' figures add up to it.
func (g *generator) cityEvents(ind string, y int) events {
	t, ok := allocation(g.cat, g.cfg.City, ind, y)
	if !ok {
		t = 10
	}
	n := int(math.Round(t * (0.95 + unit(g.seed, "cityyear", ind, fmt.Sprint(y))*0.15)))
	counties := g.cat.Tree.Counties(g.cfg.City)
	var all []lingpao.Cluster
	var ws []float64
	for _, c := range counties {
		base, ok := allocation(g.cat, c.Code, "srdi_sme", 2025)
		if !ok {
			base = 20
		}
		cls := g.cat.ClustersOf(c.Code)
		for _, cl := range cls {
			all = append(all, cl)
			ws = append(ws, base*perf(g.seed, c)/float64(len(cls)))
		}
	}
	if len(all) == 0 {
		return nil
	}
	return place(g.seed, n, all, ws, "cityflow", ind, fmt.Sprint(y))
}
