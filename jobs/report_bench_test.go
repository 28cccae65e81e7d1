package jobs_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"lingpao"
	"lingpao/demo"
	"lingpao/jobs"
	"lingpao/reports"
)

// benchWorkspace builds a demo workspace for the benchmarks: the 石家庄 demo (24 counties, two
// years day by day) or the province (167 counties, about 300 enterprises each, July to September
// 2025). It takes a while — only `go test -bench` builds it.
func benchWorkspace(b *testing.B, scale demo.Scale) string {
	b.Helper()
	dir := filepath.Join(b.TempDir(), string(scale))
	opt := demo.Options{Dir: dir, Period: lingpao.MonthOf(2025, 9), Seed: 2025, Version: "bench", Scale: scale, Months: 3}
	if _, err := demo.Run(context.Background(), opt); err != nil {
		b.Fatal(err)
	}
	return dir
}

// openCopy copies the workspace (its reports and editions too) and opens the copy with the clock a
// week after September's deadline, so that each generation is a first one or, with keep, a
// regeneration of the demo's own.
func openCopy(b *testing.B, src string) *jobs.Workspace {
	b.Helper()
	dir := filepath.Join(b.TempDir(), "w")
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		b.Fatal(err)
	}
	w, err := jobs.Open(context.Background(), dir, "bench")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { w.Close() })
	w.Now = func() time.Time { return time.Date(2025, 10, 20, 9, 0, 0, 0, lingpao.Beijing) }
	return w
}

// BenchmarkReports makes every report a month asks for — the 月调度表 (.xlsx), the 季度通报 (.pdf and
// .xlsx) and a 体检表 per county — for the 24-county city and for the 167-county province; each
// op regenerates them all (same figures: same editions). counties/s counts the counties covered per
// second of all three. Sub-benchmarks time each kind.
func BenchmarkReports(b *testing.B) {
	for _, scale := range []demo.Scale{demo.ScaleCity, demo.ScaleProvince} {
		b.Run(string(scale), func(b *testing.B) {
			src := benchWorkspace(b, scale)
			w := openCopy(b, src)
			out := b.TempDir()
			m, q := lingpao.MonthOf(2025, 9), lingpao.Period{Year: 2025, Kind: lingpao.Quarter, N: 3}
			n := len(w.Catalog.Tree.Counties(w.Config.City))
			all := []jobs.ReportRequest{{Kind: jobs.Monthly, Period: m}, {Kind: jobs.Quarterly, Period: q}, {Kind: jobs.Scorecard, Period: m}}
			for _, sub := range []struct {
				name string
				reqs []jobs.ReportRequest
			}{{"all", all}, {"monthly", all[:1]}, {"quarterly", all[1:2]}, {"bulletin-pdf", []jobs.ReportRequest{{Kind: jobs.Quarterly, Period: q, Formats: []string{"pdf"}}}}, {"scorecards", all[2:]}} {
				b.Run(sub.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						for _, req := range sub.reqs {
							req.OutDir = out
							if _, err := w.GenerateReport(context.Background(), req); err != nil {
								b.Fatal(err)
							}
						}
					}
					b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "counties/s")
				})
			}
		})
	}
}

// BenchmarkAggregate loads a month's data and builds the monthly dispatch content from it — every
// county and cluster measured against its targets, rolled up, ranked — without the ladder or any
// rendering; returns/s counts the returns in force it loaded (every county-month the month needs).
func BenchmarkAggregate(b *testing.B) {
	for _, scale := range []demo.Scale{demo.ScaleCity, demo.ScaleProvince} {
		b.Run(string(scale), func(b *testing.B) {
			w := openCopy(b, benchWorkspace(b, scale))
			m := lingpao.MonthOf(2025, 9)
			returns := 0
			b.ReportAllocs()
			for b.Loop() {
				in, err := w.ReportInput(context.Background(), m, w.Now())
				if err != nil {
					b.Fatal(err)
				}
				reports.BuildMonthly(in)
				returns = len(in.Sources)
			}
			b.ReportMetric(float64(returns*b.N)/b.Elapsed().Seconds(), "returns/s")
		})
	}
}
