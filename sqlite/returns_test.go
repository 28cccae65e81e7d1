package sqlite

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"lingpao"
)

// TestFindListings: the enterprises with the codes asked for that other counties' current accepted
// returns of the period list, ordered by county and row — not the county's own, not a superseded
// version, not a rejected file, not another period; a code asked for twice is found once.
func TestFindListings(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	n := 0
	save := func(org string, m lingpao.Period, status lingpao.SubmissionStatus, ents ...lingpao.Enterprise) {
		t.Helper()
		n++
		s := lingpao.Submission{SHA256: fmt.Sprintf("%064x", n), Org: org, Period: m, FileName: fmt.Sprintf("f%d.xlsx", n),
			ReceivedAt: time.Date(2025, 10, 1, 9, n, 0, 0, lingpao.Beijing), Status: status}
		if err := db.SaveSubmission(ctx, &s, nil, ents, nil); err != nil {
			t.Fatal(err)
		}
	}
	e := func(row int, name, uscc string) lingpao.Enterprise {
		return lingpao.Enterprise{Row: row, Name: name, USCC: uscc}
	}
	sep, aug := lingpao.MonthOf(2025, 9), lingpao.MonthOf(2025, 8)
	save("A", sep, lingpao.SubAccepted, e(4, "甲一", "U1"), e(5, "甲二", "U2"))
	save("B", sep, lingpao.SubAccepted, e(4, "乙旧", "U1"))
	save("B", sep, lingpao.SubAccepted, e(4, "乙一", "U3"), e(5, "乙二", "U1")) // supersedes the one above
	save("C", sep, lingpao.SubRejected, e(4, "丙", "U1"))
	save("D", aug, lingpao.SubAccepted, e(4, "丁", "U1"))
	save("E", sep, lingpao.SubAccepted, e(7, "戊", "U2"), e(8, "戊二", "U9"))

	got, err := db.FindListings(ctx, sep, "A", []string{"U1", "U2", "U1", "U4"})
	if err != nil {
		t.Fatal(err)
	}
	want := []lingpao.Listing{{USCC: "U1", Org: "B", Name: "乙二"}, {USCC: "U2", Org: "E", Name: "戊"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("FindListings (-want +got):\n%s", diff)
	}
	if got, err := db.FindListings(ctx, sep, "A", nil); err != nil || len(got) != 0 {
		t.Errorf("no codes: %v, %v", got, err)
	}
}
