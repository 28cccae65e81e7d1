// Command bench is lingpao's performance harness (issue 8). For each scale it builds a workspace with
// `lingpao demo`, then measures in one run, over the same files, and prints a table of medians:
//
//   - the floor: every worksheet and the shared strings of every return scanned with archive/zip and
//     encoding/xml's RawToken, on one worker and on one per CPU — what any reader must at least pay;
//   - lingpao's reader (templates.Read) alone over the same files, on one worker and on one per CPU;
//   - `lingpao ingest` of the whole inbox (parse, validate, store, receipts) as its own process, with
//     its wall time, CPU and peak RSS, and the peak RSS of a quarter of the inbox (memory must not grow
//     with the number of files);
//   - openpyxl read-only reading every cell of the same files (/usr/bin/python3);
//   - every report (monthly .xlsx, quarterly .pdf + .xlsx, one 体检表 per county), and the bulletin PDF
//     alone against LibreOffice converting the quarterly .xlsx to PDF.
//
// Results are ratios against the floor and the references measured in the same run, so they hold on
// any machine. Run it through bench/run.sh, which builds the binary first.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"lingpao/bench/floor"
)

type options struct {
	bin, work, python, soffice string
	scales                     []string
	runs, months               int
	period, quarter            string
	seed                       string
}

func main() {
	var o options
	var scales string
	flag.StringVar(&o.bin, "bin", "", "the lingpao binary to measure (required)")
	flag.StringVar(&o.work, "work", filepath.Join(os.TempDir(), "lingpao-bench"), "work folder (replaced)")
	flag.StringVar(&scales, "scales", "city,province,province10", "scales to measure: city, province, province10")
	flag.IntVar(&o.runs, "runs", 3, "runs per measurement (the median is shown)")
	flag.IntVar(&o.months, "months", 3, "months simulated at province scale; the last is the inbox measured")
	flag.StringVar(&o.period, "period", "2025-09", "the month measured")
	flag.StringVar(&o.quarter, "quarter", "2025Q3", "the quarter of the bulletin")
	flag.StringVar(&o.seed, "seed", "2025", "demo seed")
	flag.StringVar(&o.python, "python", "/usr/bin/python3", "a python3 with openpyxl (empty: skip)")
	flag.StringVar(&o.soffice, "soffice", "soffice", "LibreOffice (empty: skip)")
	flag.Parse()
	if o.bin == "" {
		fmt.Fprintln(os.Stderr, "bench: -bin is required (bench/run.sh builds it)")
		os.Exit(2)
	}
	o.scales = strings.Split(scales, ",")
	if err := run(o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(o options, out io.Writer) error {
	if err := os.RemoveAll(o.work); err != nil {
		return err
	}
	if err := os.MkdirAll(o.work, 0o755); err != nil {
		return err
	}
	t := &table{}
	fmt.Fprintf(out, "lingpao benchmarks: %d CPUs, %s, %s, medians of %d runs\n\n", runtime.NumCPU(), runtime.Version(), time.Now().Format("2006-01-02 15:04"), o.runs)
	for _, sc := range o.scales {
		var err error
		switch sc {
		case "city":
			err = benchCity(o, t)
		case "province", "province10":
			err = benchProvince(o, sc, t)
		default:
			err = fmt.Errorf("unknown scale %q", sc)
		}
		t.print(out) // each scale as it ends: a long run that is stopped keeps what it measured
		t.rows = nil
		if err != nil {
			return fmt.Errorf("%s: %w", sc, err)
		}
	}
	return nil
}

// benchProvince measures ingest and reports at a province scale.
func benchProvince(o options, scale string, t *table) error {
	golden := filepath.Join(o.work, scale, "golden")
	gen, err := child(o.bin, "demo", "--scale", scale, "--dir", golden, "--period", o.period, "--months", fmt.Sprint(o.months), "--leave-last", "--seed", o.seed)
	if err != nil {
		return err
	}
	if err := shortPoll(golden); err != nil {
		return err
	}
	files, err := filepath.Glob(filepath.Join(golden, "inbox", "*", "*.xlsx"))
	if err != nil || len(files) == 0 {
		return fmt.Errorf("no returns in %s/inbox", golden)
	}
	vol, err := floor.Pass(files, 1)
	if err != nil {
		return err
	}
	t.row(scale, fmt.Sprintf("workspace: %d months of %d returns, the last left in the inbox", o.months, len(files)), gen.wall, "", "")
	t.row(scale, fmt.Sprintf("inbox: %.1f MB, %d rows, %d cells", float64(vol.Bytes)/1e6, vol.Rows, vol.Cells), 0, "", "")

	var floor1, floorN, read1, readN, ingest, ingestCPU, rss, py, rssQuarter []float64
	var last string
	for r := 0; r < o.runs; r++ {
		start := time.Now()
		if _, err := floor.Pass(files, 1); err != nil {
			return err
		}
		floor1 = append(floor1, since(start))
		start = time.Now()
		if _, err := floor.Pass(files, runtime.NumCPU()); err != nil {
			return err
		}
		floorN = append(floorN, since(start))
		start = time.Now()
		if err := readPass(golden, files, 1); err != nil {
			return err
		}
		read1 = append(read1, since(start))
		start = time.Now()
		if err := readPass(golden, files, runtime.NumCPU()); err != nil {
			return err
		}
		readN = append(readN, since(start))

		dir := filepath.Join(o.work, scale, fmt.Sprintf("run%d", r))
		if err := copyDir(golden, dir); err != nil {
			return err
		}
		st, err := child(o.bin, "ingest", "--dir", dir)
		if err != nil {
			return err
		}
		if want := fmt.Sprintf("受理 %d，", len(files)); !strings.Contains(st.out, want) {
			return fmt.Errorf("ingest did not accept every file:\n%s", tail(st.out))
		}
		ingest = append(ingest, st.wall-pollSeconds)
		ingestCPU = append(ingestCPU, st.cpu)
		rss = append(rss, st.rssMB)
		if last != "" {
			os.RemoveAll(last)
		}
		last = dir

		if o.python != "" {
			py1, err := openpyxlPass(o.python, files)
			if err != nil {
				return err
			}
			py = append(py, py1)
		}
	}
	// A quarter of the inbox: peak memory must be the same.
	dir := filepath.Join(o.work, scale, "quarter")
	if err := copyDir(golden, dir); err != nil {
		return err
	}
	qfiles, _ := filepath.Glob(filepath.Join(dir, "inbox", "*", "*.xlsx"))
	for i, f := range qfiles {
		if i%4 != 0 {
			os.Remove(f)
		}
	}
	st, err := child(o.bin, "ingest", "--dir", dir)
	if err != nil {
		return err
	}
	rssQuarter = append(rssQuarter, st.rssMB)
	os.RemoveAll(dir)

	f1, fN, in := median(floor1), median(floorN), median(ingest)
	t.row(scale, "floor: zip + xml RawToken, 1 worker", f1, "", "")
	t.row(scale, fmt.Sprintf("floor: zip + xml RawToken, %d workers", runtime.NumCPU()), fN, "", "")
	r1, rN := median(read1), median(readN)
	t.row(scale, "lingpao's reader alone (templates.Read), 1 worker", r1, fmt.Sprintf("%.2f× floor(1)", r1/f1), "")
	t.row(scale, fmt.Sprintf("lingpao's reader alone (templates.Read), %d workers", runtime.NumCPU()), rN, fmt.Sprintf("%.2f× floor(%d)", rN/fN, runtime.NumCPU()), "")
	t.row(scale, "lingpao ingest (parse, validate, store, receipts)", in, fmt.Sprintf("%.2f× floor(%d)", in/fN, runtime.NumCPU()), "≤ 2× floor")
	t.row(scale, fmt.Sprintf("  … rows/s  %.0f; CPU %.2f s", float64(vol.Rows)/in, median(ingestCPU)), 0, fmt.Sprintf("%.2f× floor(1)", in/f1), "")
	t.mem(scale, fmt.Sprintf("  … peak RSS, all %d files", len(files)), median(rss), "≤ 200 MB")
	t.mem(scale, fmt.Sprintf("  … peak RSS, %d files", (len(files)+3)/4), median(rssQuarter), "same as all")
	if len(py) > 0 {
		p := median(py)
		t.row(scale, "openpyxl read-only, every cell (1 process)", p, fmt.Sprintf("ingest %.1f× faster; reader %.1f× (1 worker), %.1f× (%d)", p/in, p/r1, p/rN, runtime.NumCPU()), "≥ 5×")
	}
	return benchReports(o, scale, last, t)
}

// benchCity measures every report of the 石家庄 demo: the reports are made once by the demo, so each
// run regenerates them (the same figures: the same edition, rebuilt as it was made).
func benchCity(o options, t *table) error {
	golden := filepath.Join(o.work, "city", "golden")
	gen, err := child(o.bin, "demo", "--dir", golden, "--period", o.period, "--seed", o.seed)
	if err != nil {
		return err
	}
	t.row("city", "workspace: the 石家庄 demo (two years day by day, every report)", gen.wall, "", "")
	return benchReports(o, "city", golden, t)
}

// benchReports times every report of the period in copies of the workspace dir, each report as its
// own `lingpao report` process, then the bulletin PDF alone against LibreOffice.
func benchReports(o options, scale, dir string, t *table) error {
	kinds := []struct{ name, kind, period, format string }{
		{"monthly .xlsx", "monthly", o.period, ""},
		{"quarterly .pdf + .xlsx", "quarterly", o.quarter, ""},
		{"scorecards (one per county)", "scorecard", o.period, ""},
	}
	times := make([][]float64, len(kinds))
	var total, pdfOnly, lo []float64
	var xlsxPath string
	for r := 0; r < o.runs; r++ {
		cp := filepath.Join(o.work, scale, fmt.Sprintf("reports%d", r))
		if err := copyDir(dir, cp); err != nil {
			return err
		}
		var sum float64
		for i, k := range kinds {
			out := filepath.Join(cp, "bench-out")
			st, err := child(o.bin, "report", k.kind, "--dir", cp, "--period", k.period, "--out", out)
			if err != nil {
				return err
			}
			times[i] = append(times[i], st.wall)
			sum += st.wall
			if k.kind == "quarterly" {
				m, _ := filepath.Glob(filepath.Join(out, "*.xlsx"))
				if len(m) > 0 {
					xlsxPath = filepath.Join(o.work, scale, "bulletin.xlsx")
					if err := copyFile(m[0], xlsxPath); err != nil {
						return err
					}
				}
			}
		}
		total = append(total, sum)
		os.RemoveAll(cp)

		cp = filepath.Join(o.work, scale, fmt.Sprintf("pdf%d", r))
		if err := copyDir(dir, cp); err != nil {
			return err
		}
		st, err := child(o.bin, "report", "quarterly", "--dir", cp, "--period", o.quarter, "--format", "pdf", "--out", filepath.Join(cp, "bench-out"))
		if err != nil {
			return err
		}
		pdfOnly = append(pdfOnly, st.wall)
		os.RemoveAll(cp)
		// LibreOffice once per scale (a province's workbook takes it minutes), not at the ten-times
		// scale (half a million roster rows).
		if o.soffice != "" && xlsxPath != "" && r == 0 && scale != "province10" {
			if err := sofficeWarm(o); err != nil {
				return err
			}
			s, err := sofficePDF(o, xlsxPath)
			if err != nil {
				return err
			}
			lo = append(lo, s)
		}
	}
	for i, k := range kinds {
		t.row(scale, "report "+k.name, median(times[i]), "", "")
	}
	goal := "≤ 5 s"
	if scale == "city" {
		goal = "≤ 1 s"
	}
	if scale == "province10" {
		goal = ""
	}
	t.row(scale, "every report (the three above)", median(total), "", goal)
	p := median(pdfOnly)
	if len(lo) > 0 {
		l := median(lo)
		t.row(scale, "report quarterly --format pdf (the bulletin)", p, fmt.Sprintf("%.1f× faster than LibreOffice", l/p), "≥ 20×")
		t.row(scale, "soffice --convert-to pdf of the quarterly .xlsx", l, "", "")
	} else {
		t.row(scale, "report quarterly --format pdf (the bulletin)", p, "", "")
	}
	return nil
}

// table collects the result rows.
type table struct{ rows [][4]string }

func (t *table) row(scale, what string, seconds float64, ratio, goal string) {
	v := ""
	if seconds > 0 {
		v = fmt.Sprintf("%.2f s", seconds)
	}
	t.rows = append(t.rows, [4]string{scale, what, v, strings.TrimSpace(ratio + "  " + goal)})
}

func (t *table) mem(scale, what string, mb float64, goal string) {
	t.rows = append(t.rows, [4]string{scale, what, fmt.Sprintf("%.0f MB", mb), goal})
}

func (t *table) print(w io.Writer) {
	width := [3]int{}
	for _, r := range t.rows {
		for i := 0; i < 3; i++ {
			width[i] = max(width[i], len([]rune(r[i])))
		}
	}
	for _, r := range t.rows {
		fmt.Fprintf(w, "%s  %s  %s  %s\n", pad(r[0], width[0]), pad(r[1], width[1]), padLeft(r[2], width[2]), r[3])
	}
}

func pad(s string, n int) string { return s + strings.Repeat(" ", n-len([]rune(s))) }

func padLeft(s string, n int) string { return strings.Repeat(" ", n-len([]rune(s))) + s }

func since(t time.Time) float64 { return time.Since(t).Seconds() }

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func tail(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-10):], "\n")
}
