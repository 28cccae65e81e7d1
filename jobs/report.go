package jobs

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"lingpao"
	"lingpao/reports"
	"lingpao/reports/pdf"
	"lingpao/reports/xlsx"
	"lingpao/sqlite"
)

// Report kinds.
const (
	Monthly   = "monthly"
	Quarterly = "quarterly"
	Half      = "half"
	Annual    = "annual"
	Scorecard = "scorecard"
)

// ReportRequest asks for one report.
type ReportRequest struct {
	Kind   string
	Period lingpao.Period
	// Formats is a subset of "xlsx" and "pdf"; empty means every format the kind has.
	Formats []string
	// OutDir is where files go; empty means outbox/<period>.
	OutDir string
	// CutOff counts only files received by then; zero means now.
	CutOff time.Time
}

// input loads what a report of period p is built from, as of cutOff: the data from lingpao.DataFrom
// (the year before p's, and back to the start of cumulative plans and the baselines of milestones),
// the submissions in force, and all files of p's last month for the reporting rate.
func (w *Workspace) input(ctx context.Context, p lingpao.Period, cutOff time.Time) (reports.Input, error) {
	m := p.LastMonth()
	ds, sources, err := w.Store.LoadDataSet(ctx, lingpao.DataFrom(w.Catalog, p), m, cutOff)
	if err != nil {
		return reports.Input{}, err
	}
	subs, err := w.Store.FindSubmissions(ctx, sqlite.SubmissionFilter{Period: m.String()})
	if err != nil {
		return reports.Input{}, err
	}
	return reports.Input{
		Catalog: w.Catalog, Config: w.Config, Data: ds, Sources: sources, Submissions: subs,
		Period: p, CutOff: cutOff, Generated: w.now(), Version: w.Version, TargetsVersion: w.TargetsVersion, Edition: 1,
	}, nil
}

// GenerateReport builds a report and writes its files atomically, returning their paths.
func (w *Workspace) GenerateReport(ctx context.Context, req ReportRequest) (paths []string, err error) {
	defer lingpao.Wrap(&err, "jobs.GenerateReport(%s, %s)", req.Kind, req.Period)
	if req.CutOff.IsZero() {
		req.CutOff = w.now()
	}
	if err := checkPeriod(req); err != nil {
		return nil, err
	}
	out := req.OutDir
	if out == "" {
		out = w.Config.Path(lingpao.OutboxDir, req.Period.String())
	}
	in, err := w.input(ctx, req.Period, req.CutOff)
	if err != nil {
		return nil, err
	}
	city := w.City().Name
	want := func(format string) bool {
		if len(req.Formats) == 0 {
			return true
		}
		for _, f := range req.Formats {
			if strings.EqualFold(strings.TrimSpace(f), format) {
				return true
			}
		}
		return false
	}
	write := func(name string, fn func(io.Writer) error) error {
		path := filepath.Join(out, name)
		if err := lingpao.WriteFileAtomic(path, fn); err != nil {
			return err
		}
		paths = append(paths, path)
		return nil
	}
	switch req.Kind {
	case Monthly:
		m := reports.BuildMonthly(in)
		if want("xlsx") {
			if err := write(fmt.Sprintf("月调度表_%s_%s.xlsx", city, req.Period.Label()), func(wr io.Writer) error { return xlsx.WriteMonthly(wr, m) }); err != nil {
				return paths, err
			}
		}
	case Quarterly:
		b := reports.BuildBulletin(in)
		if want("pdf") {
			fonts, err := w.fonts()
			if err != nil {
				return paths, err
			}
			if err := write(fmt.Sprintf("季度通报_%s_%s.pdf", city, req.Period.Label()), func(wr io.Writer) error { return writeBulletinPDF(wr, b, fonts) }); err != nil {
				return paths, err
			}
		}
		if want("xlsx") {
			m := reports.BuildMonthly(in)
			if err := write(fmt.Sprintf("季度通报_%s_%s.xlsx", city, req.Period.Label()), func(wr io.Writer) error { return xlsx.WriteMonthly(wr, m) }); err != nil {
				return paths, err
			}
		}
	default:
		return nil, lingpao.Errorf(lingpao.EINVALID, "报告类型「%s」暂不支持：可选 monthly、quarterly。", req.Kind)
	}
	return paths, nil
}

// checkPeriod matches the period to the report kind: monthly takes a month, quarterly a quarter, and
// so on; a month is accepted for a bulletin (an ad-hoc monthly bulletin).
func checkPeriod(req ReportRequest) error {
	want := map[string][]lingpao.PeriodKind{
		Monthly:   {lingpao.Month},
		Quarterly: {lingpao.Quarter, lingpao.Month},
		Half:      {lingpao.Half},
		Annual:    {lingpao.Year},
		Scorecard: {lingpao.Month, lingpao.Quarter, lingpao.Half, lingpao.Year},
	}[req.Kind]
	for _, k := range want {
		if req.Period.Kind == k {
			return nil
		}
	}
	examples := map[string]string{Monthly: "2025-09", Quarterly: "2025Q3", Half: "2025H1", Annual: "2025"}
	if ex, ok := examples[req.Kind]; ok {
		return lingpao.Errorf(lingpao.EINVALID, "%s 报告的期间应写成 %s 这样的格式，现为 %s。", req.Kind, ex, req.Period)
	}
	return nil
}

// fonts resolves the PDF fonts from the configuration, the environment or the usual places.
func (w *Workspace) fonts() (*pdf.Fonts, error) {
	return pdf.ResolveFonts(w.Config.Fonts.Regular, w.Config.Fonts.Bold)
}

func writeBulletinPDF(wr io.Writer, b *reports.Bulletin, f *pdf.Fonts) error {
	return pdf.WriteBulletin(wr, b, f)
}
