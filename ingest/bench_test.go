//go:build unix

package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
	"time"

	"lingpao"
	"lingpao/bench/floor"
	"lingpao/demo"
	"lingpao/jobs"
)

// BenchmarkIngest ingests a whole inbox of September 2025 returns — the province (167 counties, about
// 300 enterprises each) and ten times that — into a workspace holding July and August: archive,
// parse, validate against the store, store, receipts. Each op processes a fresh copy of the inbox
// (copying and the poll that sees the files first are not timed). It reports rows/s (worksheet rows)
// and x-floor: the op's time over the floor pass (zip + RawToken, one worker per CPU) timed in the
// same run over the same files.
func BenchmarkIngest(b *testing.B) {
	for _, scale := range []demo.Scale{demo.ScaleProvince, demo.ScaleProvince10} {
		b.Run(string(scale), func(b *testing.B) {
			golden := filepath.Join(b.TempDir(), "golden")
			opt := demo.Options{Dir: golden, Period: lingpao.MonthOf(2025, 9), Seed: 2025, Version: "bench", Scale: scale, Months: 3, LeaveLast: true}
			if _, err := demo.Run(context.Background(), opt); err != nil {
				b.Fatal(err)
			}
			files, err := filepath.Glob(filepath.Join(golden, "inbox", "*", "*.xlsx"))
			if err != nil || len(files) == 0 {
				b.Fatalf("no returns in the inbox: %v", err)
			}
			vol, err := floor.Pass(files, runtime.NumCPU())
			if err != nil {
				b.Fatal(err)
			}
			const floorRuns = 3
			start := time.Now()
			for range floorRuns {
				if _, err := floor.Pass(files, runtime.NumCPU()); err != nil {
					b.Fatal(err)
				}
			}
			floorTime := time.Since(start) / floorRuns

			b.ReportAllocs()
			var took time.Duration
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				dir := filepath.Join(b.TempDir(), "w")
				if err := os.CopyFS(dir, os.DirFS(golden)); err != nil {
					b.Fatal(err)
				}
				syscall.Sync() // the copy on disk, so that the op's own fsyncs do not write it
				w, err := jobs.Open(context.Background(), dir, "bench")
				if err != nil {
					b.Fatal(err)
				}
				w.Now = func() time.Time { return time.Date(2025, 10, 8, 10, 0, 0, 0, lingpao.Beijing) }
				in := w.Ingester()
				if _, err := in.Poll(context.Background()); err != nil { // sees the files
					b.Fatal(err)
				}
				b.StartTimer()
				t0 := time.Now()
				res, err := in.Poll(context.Background()) // takes them
				took += time.Since(t0)
				b.StopTimer()
				if err != nil || len(res) != len(files) {
					b.Fatalf("ingested %d of %d files: %v", len(res), len(files), err)
				}
				for _, r := range res {
					if r.Submission.Status != lingpao.SubAccepted {
						b.Fatalf("%s: %s %s", r.Path, r.Submission.Status, r.Submission.Reason)
					}
				}
				w.Close()
				os.RemoveAll(dir)
				b.StartTimer()
			}
			per := took / time.Duration(b.N)
			b.ReportMetric(float64(vol.Rows)/per.Seconds(), "rows/s")
			b.ReportMetric(float64(per)/float64(floorTime), "x-floor")
		})
	}
}
