package demo

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"

	"lingpao"
	"lingpao/jobs"
)

// Scale is the size of a demo workspace.
type Scale string

// The demo scales: the 石家庄 city demo, and the whole province with about 300 or about 3,000
// enterprises in each county's roster (the benchmarks of issue 8).
const (
	ScaleCity       Scale = "city"
	ScaleProvince   Scale = "province"
	ScaleProvince10 Scale = "province10"
)

// ParseScale reads a --scale value.
func ParseScale(s string) (Scale, error) {
	switch sc := Scale(s); sc {
	case "", ScaleCity:
		return ScaleCity, nil
	case ScaleProvince, ScaleProvince10:
		return sc, nil
	}
	return "", lingpao.Errorf(lingpao.EINVALID, "--scale 只能是 city（石家庄市，24 个县级单位）、province（全省 167 个县级单位，每县约 300 家企业）或 province10（每县约 3000 家企业），现为 %q。", s)
}

// enterprises is about how many enterprises each county lists at the scale (0: the city demo's few).
func (s Scale) enterprises() int {
	switch s {
	case ScaleProvince:
		return 300
	case ScaleProvince10:
		return 3000
	}
	return 0
}

// runProvince builds a province-scale workspace: the province's seed overrides, then opt.Months
// months up to opt.Period in which every county files one return (all on the same day, two working
// days before the deadline), each month ingested in one pass; then the month's reports. With
// opt.LeaveLast the last month's returns stay in the inbox, unprocessed and without reports, for a
// benchmark to time `lingpao ingest` over them.
func runProvince(ctx context.Context, opt Options) (sum Summary, err error) {
	sum.Dir = opt.Dir
	if err := writeProvinceSeeds(opt.Dir); err != nil {
		return sum, err
	}
	cfg, err := jobs.Init(opt.Dir)
	if err != nil {
		return sum, err
	}
	cfg.City = provinceCode
	cfg.IssuingUnit = "河北省工业和信息化厅（演示）"
	cfg.Masthead = "河北省县域特色产业集群工作简报（演示）"
	b, err := lingpao.MarshalConfig(cfg)
	if err != nil {
		return sum, err
	}
	if err := lingpao.WriteFileBytesAtomic(cfg.Path(lingpao.ConfigFile), b); err != nil {
		return sum, err
	}
	w, err := jobs.Open(ctx, opt.Dir, opt.Version)
	if err != nil {
		return sum, err
	}
	defer w.Close()
	var clock time.Time
	w.Now = func() time.Time { return clock }
	counties := w.Catalog.Tree.Counties(cfg.City)
	for _, c := range counties {
		if err := os.MkdirAll(cfg.Path(lingpao.InboxDir, c.Name), 0o755); err != nil {
			return sum, err
		}
	}
	g := &generator{cat: w.Catalog, cfg: w.Config, seed: opt.Seed, cal: w.Catalog.Calendar(), layout: templatesLayout(w.Catalog), perCounty: opt.Scale.enterprises()}
	months := max(opt.Months, 1)
	first := opt.Period.Add(-(months - 1))
	ing := w.Ingester()
	for m := first; !opt.Period.Before(m); m = m.Add(1) {
		at := g.cal.AddWorkdays(g.cal.Deadline(m, g.cfg.DeadlineDay), -2).Add(10 * time.Hour)
		if err := g.dropAll(ctx, counties, m, at, opt.progress); err != nil {
			return sum, err
		}
		if m == opt.Period && opt.LeaveLast {
			sum.Left = len(counties)
			if opt.Log != nil {
				fmt.Fprintf(opt.Log, "%s %d 个县级单位的 %s 报表留在收件箱中，未处理\n", at.Format("2006-01-02 15:04"), len(counties), m.Label())
			}
			return sum, nil
		}
		clock = at
		if opt.Progress != nil {
			ing.Progress = func(done, total int) { opt.Progress(fmt.Sprintf("入库 %s 报表", m.Label()), done, total) }
		}
		n0, acc0, rej0 := sum.Files, sum.Accepted, sum.Rejected
		for k := 0; k < 2; k++ {
			res, err := ing.Poll(ctx)
			if err != nil {
				return sum, err
			}
			for _, r := range res {
				sum.Files++
				if r.Submission.Status == lingpao.SubAccepted {
					sum.Accepted++
				} else {
					sum.Rejected++
				}
			}
		}
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, "%s 收到 %d 个县级单位的 %s 报表：受理 %d，退回 %d\n", at.Format("2006-01-02 15:04"),
				sum.Files-n0, m.Label(), sum.Accepted-acc0, sum.Rejected-rej0)
		}
	}
	clock = g.cal.AddWorkdays(w.Deadline(opt.Period), 5).Add(9 * time.Hour)
	reqs := []jobs.ReportRequest{{Kind: jobs.Monthly, Period: opt.Period}}
	if opt.Period.N%3 == 0 {
		reqs = append(reqs, jobs.ReportRequest{Kind: jobs.Quarterly, Period: lingpao.Period{Year: opt.Period.Year, Kind: lingpao.Quarter, N: opt.Period.N / 3}})
	}
	reqs = append(reqs, jobs.ReportRequest{Kind: jobs.Scorecard, Period: opt.Period})
	return sum, generate(ctx, w, opt, reqs, clock, &sum)
}

// dropAll writes month m's return of every county into its inbox folder, generating them on a
// worker per CPU; the files are the same whatever the order. progress is told of each file written.
func (g *generator) dropAll(ctx context.Context, counties []lingpao.OrgUnit, m lingpao.Period, at time.Time, progress func(what string, done, total int)) error {
	generated := m.Start().AddDate(0, 0, 20).Add(10 * time.Hour)
	work := make(chan lingpao.OrgUnit)
	errs := make(chan error, len(counties))
	var wg sync.WaitGroup
	var mu sync.Mutex
	written := 0
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range work {
				b, err := g.streamedWorkbook(g.countyReturn(c, m), generated)
				if err == nil {
					err = lingpao.WriteFileBytesAtomic(g.cfg.Path(lingpao.InboxDir, c.Name, fmt.Sprintf("%s_%s.xlsx", m, c.Name)), b)
				}
				if err != nil {
					errs <- err
					continue
				}
				mu.Lock()
				written++
				progress(fmt.Sprintf("生成 %s 报表", m.Label()), written, len(counties))
				mu.Unlock()
			}
		}()
	}
	for _, c := range counties {
		if ctx.Err() != nil {
			break
		}
		work <- c
	}
	close(work)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	return ctx.Err()
}
