package sqlite

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"lingpao"
)

// TestDataCacheAnswersAsALoad: whatever LoadDataSet answers from its kept loads is what loading
// afresh gives — for fewer months, for another cut-off with the same returns in force, and not
// after a cut-off between which a return arrived or after a new submission was stored.
func TestDataCacheAnswersAsALoad(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	at := func(month, day int) time.Time {
		return time.Date(2025, time.Month(month), day, 9, 0, 0, 0, lingpao.Beijing)
	}
	n := 0
	save := func(org string, m lingpao.Period, received time.Time, status lingpao.SubmissionStatus, v float64) {
		t.Helper()
		n++
		s := lingpao.Submission{SHA256: fmt.Sprintf("%064x", n), Org: org, Period: m, FileName: fmt.Sprintf("r%d.xlsx", n), ReceivedAt: received, Status: status}
		vals := []lingpao.Value{{Cluster: org + "-01", Indicator: "rev", V: v, Sheet: "集群指标", Cell: "C5"}, {Indicator: "srdi", V: v / 10, Sheet: "集群指标", Cell: "D5"}}
		if status != lingpao.SubAccepted {
			vals = nil
		}
		if err := db.SaveSubmission(ctx, &s, vals, nil, nil); err != nil {
			t.Fatal(err)
		}
	}
	jul, aug, sep := lingpao.MonthOf(2025, 7), lingpao.MonthOf(2025, 8), lingpao.MonthOf(2025, 9)
	save("130102", jul, at(8, 4), lingpao.SubAccepted, 100)
	save("130102", aug, at(9, 3), lingpao.SubAccepted, 210)
	save("130104", aug, at(9, 4), lingpao.SubAccepted, 55)
	save("130102", sep, at(10, 3), lingpao.SubAccepted, 330)
	save("130104", sep, at(10, 6), lingpao.SubRejected, 0)

	check := func(name string, from, to lingpao.Period, asOf time.Time, hit bool) {
		t.Helper()
		loads := db.data.loads
		ds, subs, err := db.LoadDataSet(ctx, from, to, asOf)
		if err != nil {
			t.Fatal(err)
		}
		if got := db.data.loads == loads; got != hit {
			t.Errorf("%s: answered from a kept load: %v, want %v", name, got, hit)
		}
		saved := db.data.entries
		db.data.entries = nil
		fresh, freshSubs, err := db.LoadDataSet(ctx, from, to, asOf)
		db.data.entries = saved
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(ds, fresh) {
			t.Errorf("%s: data set differs from a fresh load", name)
		}
		if !reflect.DeepEqual(subs, freshSubs) {
			t.Errorf("%s: submissions in force %v, a fresh load %v", name, subs, freshSubs)
		}
	}
	check("first load", jul, sep, at(10, 10), false)
	check("fewer months", aug, sep, at(10, 10), true)
	check("later cut-off, same returns", sep, sep, at(10, 20), true)
	check("earlier cut-off, September's return not yet in", aug, sep, at(10, 1), false)
	check("more months than kept", lingpao.MonthOf(2025, 6), sep, at(10, 20), false)
	save("130104", sep, at(10, 8), lingpao.SubAccepted, 60) // received before the cut-offs kept
	check("a return stored since", aug, sep, at(10, 20), false)
	if v, ok := db.mustLoad(t, sep, at(10, 20)).Get("130104", "", "rev", sep); !ok || v != 60 {
		t.Errorf("130104 September = %v, %v after its return was stored; want 60", v, ok)
	}
}

func (d *DB) mustLoad(t *testing.T, m lingpao.Period, asOf time.Time) *lingpao.DataSet {
	t.Helper()
	ds, _, err := d.LoadDataSet(context.Background(), m, m, asOf)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}
