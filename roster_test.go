package lingpao

import "testing"

// TestRosterValuesCompleteOnly: a roster sum is reported for a cluster only when every enterprise it
// sums reported the field — one blank revenue is a sum not reported, never a smaller sum — and a
// cluster listing none of them sums to 0; counts are always reported.
func TestRosterValuesCompleteOnly(t *testing.T) {
	cat := testCatalog(t)
	cat.Indicators = append(cat.Indicators,
		Indicator{Code: "leaders", Kind: KindStock, Source: SourceRoster, Roster: RosterRule{Tag: TagLeader}},
		Indicator{Code: "leader_rev", Kind: KindYTD, Source: SourceRoster, Roster: RosterRule{Tag: TagLeader, Field: "revenue"}},
	)
	cat.Clusters = []Cluster{{Code: "A-1", Org: "A"}, {Code: "A-2", Org: "A"}, {Code: "A-3", Org: "A"}}
	ents := []Enterprise{
		{Name: "甲", Cluster: "A-1", Tags: []string{TagLeader}, Revenue: fp(100)},
		{Name: "乙", Cluster: "A-1", Tags: []string{TagLeader}, Revenue: fp(50)},
		{Name: "丙", Cluster: "A-2", Tags: []string{TagLeader}, Revenue: fp(70)},
		{Name: "丁", Cluster: "A-2", Tags: []string{TagLeader}}, // revenue blank
		{Name: "戊", Cluster: "A-3", Revenue: fp(9)},            // not a 领跑者
	}
	got := map[string]float64{}
	for _, v := range RosterValues(cat, "A", MonthOf(2025, 9), ents) {
		got[v.Cluster+"/"+v.Indicator] = v.V
	}
	want := map[string]float64{
		"A-1/leaders": 2, "A-2/leaders": 2, "A-3/leaders": 0,
		"A-1/leader_rev": 150, "A-3/leader_rev": 0, // 70 + blank is not reported
	}
	if len(got) != len(want) {
		t.Errorf("got %v, want %v", got, want)
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || g != w {
			t.Errorf("%s = %v (%v), want %v", k, g, ok, w)
		}
	}
}
