package demo

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"lingpao"
	"lingpao/jobs"
	"lingpao/seeds"
	"lingpao/templates"
)

// Options configure a demo run.
type Options struct {
	Dir    string
	Period lingpao.Period // the last month to simulate
	// From is the first month to simulate; zero means January of the year before Period, so that the
	// reports have last year to compare with (同比) and the demo can make last year's 年终考核.
	From lingpao.Period
	Seed uint64
	// Log receives one line per simulated day and report.
	Log io.Writer
	// Progress, when set, is told how far each stage of the run has got (what it is, steps done,
	// steps in all): simulated days, returns written and ingested, reports.
	Progress func(what string, done, total int)
	Version  string
	// Scale is the size of the workspace: the city demo (zero or ScaleCity), or the whole province
	// (ScaleProvince, ScaleProvince10), for benchmarks.
	Scale Scale
	// Months is, at province scale, how many months up to Period are simulated (0: one).
	Months int
	// LeaveLast, at province scale, leaves the last month's returns in the inbox unprocessed.
	LeaveLast bool
}

// Summary is what a demo run produced. Reports lists the report files, and the folder of the
// county 体检表 once.
type Summary struct {
	Dir       string
	Files     int
	Accepted  int
	Rejected  int
	Duplicate int
	Reports   []string
	Receipts  string
	// Left is how many returns were left in the inbox (Options.LeaveLast).
	Left int
}

// drop is one file a county puts into the inbox on a simulated day.
type drop struct {
	at   time.Time
	path string // relative to the inbox
	data func() ([]byte, error)
}

// Run creates the workspace in opt.Dir and replays opt.From to opt.Period.
func Run(ctx context.Context, opt Options) (sum Summary, err error) {
	defer lingpao.Wrap(&err, "demo.Run(%s)", opt.Dir)
	sum.Dir = opt.Dir
	if opt.Scale == ScaleProvince || opt.Scale == ScaleProvince10 {
		return runProvince(ctx, opt)
	}
	if opt.From.IsZero() {
		opt.From = lingpao.MonthOf(opt.Period.Year-1, 1)
	}
	if _, err := jobs.Init(opt.Dir); err != nil {
		return sum, err
	}
	if err := markKeyClusters(opt.Dir); err != nil {
		return sum, err
	}
	w, err := jobs.Open(ctx, opt.Dir, opt.Version)
	if err != nil {
		return sum, err
	}
	defer w.Close()
	var clock time.Time
	w.Now = func() time.Time { return clock }
	g := &generator{cat: w.Catalog, cfg: w.Config, seed: opt.Seed, cal: w.Catalog.Calendar(), layout: templatesLayout(w.Catalog)}
	drops := g.schedule(opt.From, opt.Period)
	sort.SliceStable(drops, func(i, j int) bool { return drops[i].at.Before(drops[j].at) })
	ing := w.Ingester()
	days, done := 0, 0
	for i := range drops {
		if i == 0 || !drops[i].at.Equal(drops[i-1].at) {
			days++
		}
	}
	for i := 0; i < len(drops); {
		day := drops[i].at
		j := i
		for j < len(drops) && drops[j].at.Equal(day) {
			b, err := drops[j].data()
			if err != nil {
				return sum, err
			}
			if err := lingpao.WriteFileBytesAtomic(w.Config.Path(lingpao.InboxDir, drops[j].path), b); err != nil {
				return sum, err
			}
			j++
		}
		// Two polls at the drop time: the first sees the files, the second takes them once stable.
		clock = day
		var got []string
		for k := 0; k < 2; k++ {
			res, err := ing.Poll(ctx)
			if err != nil {
				return sum, err
			}
			for _, r := range res {
				sum.Files++
				switch {
				case r.Duplicate:
					sum.Duplicate++
					got = append(got, r.Path+"（重复，不重复计入）")
				case r.Submission.Status == lingpao.SubAccepted:
					sum.Accepted++
				default:
					sum.Rejected++
					got = append(got, r.Path+"（退回）")
				}
			}
		}
		if opt.Log != nil {
			line := fmt.Sprintf("%s 收到 %d 个文件", day.Format("2006-01-02 15:04"), j-i)
			if len(got) > 0 {
				line += "：" + fmt.Sprint(got)
			}
			fmt.Fprintln(opt.Log, line)
		}
		done++
		opt.progress("模拟各县报送（天）", done, days)
		i = j
	}
	// Reports as the bureau makes them: a week after the month's deadline, when the late files are in.
	clock = g.cal.AddWorkdays(w.Deadline(opt.Period), 5).Add(9 * time.Hour)
	q := lingpao.Period{Year: opt.Period.Year, Kind: lingpao.Quarter, N: (opt.Period.N-1)/3 + 1}
	if opt.Period.N%3 != 0 {
		q = q.Prev() // the last complete quarter
	}
	reqs := []jobs.ReportRequest{{Kind: jobs.Monthly, Period: opt.Period}}
	if !q.FirstMonth().Before(opt.From) {
		reqs = append(reqs, jobs.ReportRequest{Kind: jobs.Quarterly, Period: q})
	}
	// The half-year summary of the year, once June is in; last year's annual assessment, when last
	// year was simulated; every county's scorecard for the month.
	if h := (lingpao.Period{Year: opt.Period.Year, Kind: lingpao.Half, N: 1}); opt.Period.N >= 6 && !h.FirstMonth().Before(opt.From) {
		reqs = append(reqs, jobs.ReportRequest{Kind: jobs.Half, Period: h})
	}
	if y := (lingpao.Period{Year: opt.Period.Year - 1, Kind: lingpao.Year}); !y.FirstMonth().Before(opt.From) {
		reqs = append(reqs, jobs.ReportRequest{Kind: jobs.Annual, Period: y})
	}
	reqs = append(reqs, jobs.ReportRequest{Kind: jobs.Scorecard, Period: opt.Period})
	return sum, generate(ctx, w, opt, reqs, clock, &sum)
}

// progress reports a stage's progress to Progress, when set.
func (opt Options) progress(what string, done, total int) {
	if opt.Progress != nil {
		opt.Progress(what, done, total)
	}
}

// generate makes the reports of reqs with the clock at clock, and lists them in sum.
func generate(ctx context.Context, w *jobs.Workspace, opt Options, reqs []jobs.ReportRequest, clock time.Time, sum *Summary) error {
	reports := 0
	for _, req := range reqs {
		if req.Kind != jobs.Scorecard {
			reports++
		}
	}
	made := 0
	for _, req := range reqs {
		if req.Kind == jobs.Scorecard && opt.Progress != nil {
			req.Progress = func(done, total int) { opt.Progress("生成体检表", done, total) }
		}
		paths, err := w.GenerateReport(ctx, req)
		if err != nil {
			return err
		}
		if req.Kind != jobs.Scorecard {
			made++
			opt.progress("生成报告", made, reports)
		}
		if req.Kind == jobs.Scorecard && len(paths) > 0 {
			sum.Reports = append(sum.Reports, filepath.Dir(paths[0])+string(filepath.Separator)) // a folder of 体检表
		} else {
			sum.Reports = append(sum.Reports, paths...)
		}
		if opt.Log != nil && req.Kind == jobs.Scorecard && len(paths) > 0 {
			rel, _ := filepath.Rel(opt.Dir, filepath.Dir(paths[0]))
			fmt.Fprintf(opt.Log, "%s 生成报告 %s/（%d 个县的体检表）\n", clock.Format("2006-01-02 15:04"), rel, len(paths))
		} else if opt.Log != nil {
			for _, p := range paths {
				rel, _ := filepath.Rel(opt.Dir, p)
				fmt.Fprintf(opt.Log, "%s 生成报告 %s\n", clock.Format("2006-01-02 15:04"), rel)
			}
		}
	}
	sum.Receipts = w.Config.Path(lingpao.ReceiptsDir)
	return nil
}

// schedule plans every drop of first..last: most counties report a few days before the deadline,
// some late, January mostly merged into February, one county missing the last month, one file with
// errors corrected two days later, one re-sent correction, one duplicate and one CSV in disguise.
func (g *generator) schedule(first, last lingpao.Period) []drop {
	counties := g.cat.Tree.Counties(g.cfg.City)
	var ds []drop
	pick := func(name string, fallback int) lingpao.OrgUnit {
		if u, err := g.cat.Tree.Find(name); err == nil {
			return u
		}
		return counties[fallback%len(counties)]
	}
	missing := pick("井陉矿区", len(counties)-1)
	faulty := pick("赞皇县", 1)
	resend := pick("正定县", 2)
	dup := pick("新华区", 3)
	stray := pick("长安区", 0)
	generated := func(m lingpao.Period) time.Time { return m.Start().AddDate(0, 0, 20).Add(10 * time.Hour) }
	for m := first; !last.Before(m); m = m.Add(1) {
		deadline := g.cal.Deadline(m, g.cfg.DeadlineDay)
		for _, c := range counties {
			c, m := c, m
			if m == last && c.Code == missing.Code {
				continue
			}
			if m.N == 1 && g.cfg.MergeJanFeb && unit(g.seed, "jan", c.Code) < 0.75 {
				continue // reported together with February
			}
			u := unit(g.seed, "when", c.Code, m.String())
			at := g.cal.AddWorkdays(deadline, -1-int(u*4)).Add(time.Duration(9+int(u*8)) * time.Hour)
			// A month's figures exist only once it has ended: never before the next month's first
			// working day, however far a holiday pushed the deadline.
			if first := g.cal.NextWorkday(m.End()).Add(time.Duration(9+int(u*8)) * time.Hour); at.Before(first) {
				at = first
			}
			if u > 0.88 {
				at = g.cal.AddWorkdays(deadline, 1+int((u-0.88)*30)).Add(15 * time.Hour) // late
			}
			name := fmt.Sprintf("%s/%s_%s.xlsx", c.Name, m, c.Name)
			fl := func() filled { return g.countyReturn(c, m) }
			good := func() ([]byte, error) { return g.workbook(fl(), generated(m)) }
			switch {
			case m == last && c.Code == faulty.Code:
				ds = append(ds, drop{at: at, path: name, data: func() ([]byte, error) {
					return g.workbook(fl(), generated(m), plantErrors)
				}})
				ds = append(ds, drop{at: g.cal.AddWorkdays(at, 2).Add(11 * time.Hour), path: fmt.Sprintf("%s/%s_%s（修改）.xlsx", c.Name, m, c.Name), data: good})
			case m == last.Add(-1) && c.Code == resend.Code && last.N > 1:
				ds = append(ds, drop{at: at, path: name, data: good})
				ds = append(ds, drop{at: g.cal.AddWorkdays(deadline, 3).Add(10 * time.Hour), path: fmt.Sprintf("%s/%s_%s（更正）.xlsx", c.Name, m, c.Name), data: func() ([]byte, error) {
					f := fl()
					for _, cl := range f.clusters {
						f.values[cl.Code]["invention_patents_new"]++
						f.remarks[cl.Code] = "更正：补报一件授权发明专利"
					}
					return g.workbook(f, generated(m))
				}})
			case m == last && c.Code == dup.Code:
				ds = append(ds, drop{at: at, path: name, data: good})
				ds = append(ds, drop{at: at.Add(26 * time.Hour), path: fmt.Sprintf("%s/%s_%s - 副本.xlsx", c.Name, m, c.Name), data: good})
			default:
				ds = append(ds, drop{at: at, path: name, data: good})
			}
			if m == last && c.Code == stray.Code {
				ds = append(ds, drop{at: at, path: fmt.Sprintf("%s/%s_%s_汇总.xlsx", c.Name, m, c.Name), data: func() ([]byte, error) {
					return []byte("集群名称,营业收入\n" + c.Name + "示例集群,12.5\n"), nil
				}})
			}
		}
	}
	return ds
}

// plantErrors makes the mistakes counties make: words in a number cell, a little-giant count above
// the SRDI count, a mistyped credit code.
func plantErrors(f *excelize.File) {
	f.SetCellValue(templates.SheetClusters, "C5", "约120亿")
	srdi, _ := f.GetCellValue(templates.SheetClusters, "F5")
	f.SetCellValue(templates.SheetClusters, "G5", srdi+"0")
	code, _ := f.GetCellValue(templates.SheetRoster, "C4")
	if len(code) == 18 {
		b := []byte(code)
		b[10] = map[bool]byte{true: 'A', false: 'B'}[b[10] != 'A']
		f.SetCellValue(templates.SheetRoster, "C4", string(b))
	}
}

// Exists reports whether dir already holds a workspace.
func Exists(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, lingpao.ConfigFile))
	return err == nil
}

// keyClusters are the clusters the demo treats as 省级重点特色产业集群, for the bonus points of the
// annual assessment. No document designates one; a real workspace marks them when the province
// publishes its list.
var keyClusters = []string{"130110-01", "130109-01"}

// markKeyClusters writes the workspace's clusters.yaml: the seed file with keyClusters marked
// province_key.
func markKeyClusters(dir string) error {
	b, err := fs.ReadFile(seeds.Embedded(), seeds.FileClusters)
	if err != nil {
		return err
	}
	s := string(b)
	for _, code := range keyClusters {
		entry := "  - code: " + code + "\n"
		if !strings.Contains(s, entry) {
			return fmt.Errorf("demo: cluster %s not in %s", code, seeds.FileClusters)
		}
		s = strings.Replace(s, entry, entry+"    province_key: true  # 演示数据：假定为省级重点特色产业集群\n", 1)
	}
	return lingpao.WriteFileBytesAtomic(filepath.Join(dir, "seeds", seeds.FileClusters), []byte(s))
}
