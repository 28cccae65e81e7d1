// Package demo makes the synthetic workspace of `lingpao demo`: plausible county returns for January
// to a chosen month, dropped into the inbox on simulated days (some late, one county missing, one file
// with errors that is corrected later), ingested with the clock pinned to each day, then every report.
// Everything is deterministic for a seed.
package demo

import (
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

// perf is a county's pace toward its targets: most between 0.9 and 1.15, a few lagging.
func perf(seed uint64, org string) float64 {
	u := unit(seed, "perf", org)
	switch {
	case u < 0.12:
		return 0.55 + u // clearly lagging
	case u < 0.3:
		return 0.85 + u/3
	}
	return 0.95 + u*0.25
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

// seasonal is the share of a year's flow done by the end of month m: slow January–February (Spring
// Festival), a push before mid-year and year end.
func seasonal(m int) float64 {
	w := []float64{0.5, 0.6, 1.0, 1.0, 1.0, 1.2, 0.9, 0.9, 1.1, 1.0, 1.1, 1.7}
	var done, all float64
	for i, x := range w {
		all += x
		if i < m {
			done += x
		}
	}
	return done / all
}
