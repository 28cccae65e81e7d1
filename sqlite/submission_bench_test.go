package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"lingpao"
)

// roster returns n enterprises of county 130132 with every field set, rows from 4.
func roster(n int) []lingpao.Enterprise {
	out := make([]lingpao.Enterprise, n)
	for i := range out {
		rev, rnd := float64(1000+i), float64(i)/4
		out[i] = lingpao.Enterprise{Row: 4 + i, Name: fmt.Sprintf("元氏第%d装备有限公司", i), USCC: fmt.Sprintf("91130132MA%08d", i),
			Cluster: "130132-01", Tags: []string{lingpao.TagSRDI, lingpao.TagLeader}[:1+i%2], Revenue: &rev, RnD: &rnd, Remark: fmt.Sprint(i % 7)}
	}
	return out
}

func submission(i int) lingpao.Submission {
	return lingpao.Submission{SHA256: fmt.Sprintf("%064x", i), Org: "130132", Period: lingpao.MonthOf(2025, 9), FileName: fmt.Sprintf("r%d.xlsx", i),
		ReceivedAt: time.Date(2025, 10, 3, 9, 0, i, 0, lingpao.Beijing), Status: lingpao.SubAccepted,
		Findings: []lingpao.Finding{{Severity: lingpao.SevWarning, Rule: "r", Sheet: "s", Cell: "A1", Value: "v", Message: "m"}}}
}

// TestSaveManyRows stores a roster, values and findings longer than one bulk statement and reads them
// back in order: the multi-row inserts lose and reorder nothing.
func TestSaveManyRows(t *testing.T) {
	ctx := context.Background()
	db := openTestDB(t)
	ents := roster(2*bulkRows + 37)
	var values []lingpao.Value
	for i := 0; i < bulkRows+1; i++ {
		values = append(values, lingpao.Value{Cluster: "130132-01", Indicator: fmt.Sprintf("ind%03d", i), V: float64(i) + 0.5, Sheet: "集群指标", Cell: fmt.Sprintf("C%d", 5+i)})
	}
	s := submission(1)
	for i := 0; i < bulkRows+3; i++ {
		s.Findings = append(s.Findings, lingpao.Finding{Severity: lingpao.SevWarning, Rule: fmt.Sprintf("rule%d", i), Message: "m"})
	}
	if err := db.SaveSubmission(ctx, &s, values, ents, nil); err != nil {
		t.Fatal(err)
	}
	rows, err := db.FindRosters(ctx, []int64{s.ID})
	if err != nil {
		t.Fatal(err)
	}
	var got []lingpao.Enterprise
	for _, r := range rows {
		got = append(got, r.Enterprise)
	}
	if diff := cmp.Diff(ents, got); diff != "" {
		t.Errorf("roster read back (-saved +read):\n%s", diff)
	}
	full, err := db.FindSubmission(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s.Findings, full.Findings); diff != "" {
		t.Errorf("findings read back (-saved +read):\n%s", diff)
	}
	ds, _, err := db.LoadDataSet(ctx, lingpao.MonthOf(2025, 9), lingpao.MonthOf(2025, 9), time.Date(2026, 1, 1, 0, 0, 0, 0, lingpao.Beijing))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range values {
		if got, ok := ds.Get("130132", v.Cluster, v.Indicator, lingpao.MonthOf(2025, 9)); !ok || got != v.V {
			t.Errorf("value %s = %v, %v; want %v", v.Indicator, got, ok, v.V)
		}
	}
}

// BenchmarkSaveSubmission stores one accepted return per iteration — its values, findings and a roster
// of 300 or 3,000 enterprises — in one transaction, as ingest does; rows/s counts roster rows.
func BenchmarkSaveSubmission(b *testing.B) {
	for _, n := range []int{300, 3000} {
		b.Run(fmt.Sprintf("enterprises=%d", n), func(b *testing.B) {
			ctx := context.Background()
			db, err := Open(filepath.Join(b.TempDir(), "data.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			ents := roster(n)
			var values []lingpao.Value
			for i := 0; i < 60; i++ {
				values = append(values, lingpao.Value{Cluster: "130132-01", Indicator: fmt.Sprintf("ind%02d", i), V: float64(i), Sheet: "集群指标", Cell: fmt.Sprintf("C%d", 5+i)})
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				i++
				s := submission(i)
				s.Period = lingpao.MonthOf(2000+i/12, 1+i%12) // a new county-month each time: no superseding
				if err := db.SaveSubmission(ctx, &s, values, ents, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}
