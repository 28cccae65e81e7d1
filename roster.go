package lingpao

// RosterValues derives the roster-sourced indicators of catalog cat for county org's return, per
// cluster: the count of enterprises carrying the rule's tag, or the sum of the rule's field over them.
// A count is always produced (an empty list really is zero of the key enterprises it lists), and so is
// the sum over a cluster listing none of them (0). A sum over listed enterprises is produced only when
// every one of them reported the field: one blank is a sum not reported, never a smaller sum.
func RosterValues(cat *Catalog, org string, m Period, ents []Enterprise) []Value {
	var out []Value
	for _, ind := range cat.Indicators {
		if ind.Source != SourceRoster {
			continue
		}
		for _, c := range cat.ClustersOf(org) {
			var sum float64
			var n, reported int
			for _, e := range ents {
				if e.Cluster != c.Code || (ind.Roster.Tag != "" && !e.HasTag(ind.Roster.Tag)) {
					continue
				}
				n++
				if f := e.field(ind.Roster.Field); f != nil {
					sum += *f
					reported++
				}
			}
			v := Value{Org: org, Cluster: c.Code, Indicator: ind.Code, Period: m, Sheet: "企业名录"}
			switch {
			case ind.Roster.Field == "":
				v.V = float64(n)
			case reported == n:
				v.V = sum
			default:
				continue
			}
			out = append(out, v)
		}
	}
	return out
}

// field returns the roster field named f ("revenue" or "rnd").
func (e Enterprise) field(f string) *float64 {
	switch f {
	case "revenue":
		return e.Revenue
	case "rnd":
		return e.RnD
	}
	return nil
}
