package lingpao

import (
	"testing"
	"time"
)

// TestApplicableTargetOf: through the index of SetTargets, the catalog picks the same target as
// ApplicableTarget over the whole slice — the next milestone, the annual figure before the
// plan-long one, the later version — and a Targets slice assigned without SetTargets (the index no
// longer its own) is still searched correctly.
func TestApplicableTargetOf(t *testing.T) {
	due := func(y int) time.Time { return time.Date(y, 12, 31, 0, 0, 0, 0, Beijing) }
	v := func(x float64) *float64 { return &x }
	ts := []Target{
		{ID: "a25", Org: "A", Indicator: "stock", Form: FormMilestone, Comp: CompReach, Value: v(20), Due: due(2025)},
		{ID: "a23", Org: "A", Indicator: "stock", Form: FormMilestone, Comp: CompReach, Value: v(10), Due: due(2023)},
		{ID: "b25", Org: "B", Indicator: "stock", Form: FormMilestone, Comp: CompReach, Value: v(5), Due: due(2025)},
		{ID: "a-plan", Org: "A", Indicator: "flow", Form: FormCumulative, Comp: CompAtLeast, Value: v(30), Due: due(2027)},
		{ID: "a-year", Org: "A", Indicator: "flow", Form: FormAnnual, Comp: CompAtLeast, Value: v(10), FromYear: 2025, ToYear: 2027, Due: due(2027)},
		{ID: "a-year2", Org: "A", Indicator: "flow", Form: FormAnnual, Comp: CompAtLeast, Value: v(12), FromYear: 2025, ToYear: 2027, Due: due(2027), Version: 2},
	}
	cat := &Catalog{}
	cat.SetTargets(ts)
	cases := []struct {
		org, ind string
		m        Period
		want     string
	}{
		{"A", "stock", MonthOf(2023, 6), "a23"},
		{"A", "stock", MonthOf(2024, 6), "a25"},
		{"B", "stock", MonthOf(2024, 6), "b25"},
		{"B", "flow", MonthOf(2025, 6), ""},
		{"A", "flow", MonthOf(2026, 3), "a-year2"},
		{"A", "flow", MonthOf(2028, 3), ""},
		{"C", "stock", MonthOf(2025, 1), ""},
	}
	check := func(what string) {
		for _, c := range cases {
			got, ok := cat.ApplicableTargetOf(c.org, c.ind, c.m)
			want, wok := ApplicableTarget(cat.Targets, c.org, c.ind, c.m)
			if got.ID != c.want || ok != (c.want != "") || got.ID != want.ID || ok != wok {
				t.Errorf("%s: %s %s %s = %q, %v; want %q (ApplicableTarget %q)", what, c.org, c.ind, c.m, got.ID, ok, c.want, want.ID)
			}
		}
	}
	check("indexed")
	// Assigned directly: the A stock targets swapped for one of C's; the old index must not be used.
	moved := append([]Target(nil), ts...)
	moved[0].Org, moved[1].Org = "C", "C"
	cat.Targets = moved
	cases[0].want, cases[1].want, cases[6].want = "", "", "a25"
	check("assigned directly")
}
