package web

import (
	"context"
	"strconv"
	"time"

	"lingpao"
	"lingpao/reports"
	"lingpao/sqlite"
)

// catalog returns the workspace's catalog with the newest targets version from the store, so that
// an import made while serving takes effect on the next page. The shared catalog is never modified.
func (s *Server) catalog(ctx context.Context) (*lingpao.Catalog, int, error) {
	ts, v, err := s.w.Store.Targets(ctx)
	if err != nil {
		return nil, 0, err
	}
	release := s.w.ReadTargets()
	c := *s.w.Catalog
	release()
	c.Targets = ts
	return &c, v, nil
}

// reportInput loads what a report of period p is built from as of cutOff — the same data the jobs'
// report generation reads: p's year and the year before, the submissions in force, and every file
// of p's last month for the reporting rate.
func (s *Server) reportInput(ctx context.Context, p lingpao.Period, cutOff time.Time) (reports.Input, error) {
	m := p.LastMonth()
	cat, tv, err := s.catalog(ctx)
	if err != nil {
		return reports.Input{}, err
	}
	ds, sources, err := s.w.Store.LoadDataSet(ctx, lingpao.MonthOf(p.Year-1, 1), m, cutOff)
	if err != nil {
		return reports.Input{}, err
	}
	subs, err := s.w.Store.FindSubmissions(ctx, sqlite.SubmissionFilter{Period: m.String()})
	if err != nil {
		return reports.Input{}, err
	}
	return reports.Input{Catalog: cat, Config: s.w.Config, Data: ds, Sources: sources, Submissions: subs, Period: p,
		CutOff: cutOff, Generated: s.now(), Version: s.w.Version, TargetsVersion: tv, Edition: 1}, nil
}

// counties returns the county-level units of the workspace's city.
func (s *Server) counties() []lingpao.OrgUnit { return s.w.Catalog.Tree.Counties(s.w.Config.City) }

// county returns the county of the city with the given code, or EINVALID: a code from a form is
// never trusted beyond that.
func (s *Server) county(code string) (lingpao.OrgUnit, error) {
	for _, c := range s.counties() {
		if c.Code == code {
			return c, nil
		}
	}
	return lingpao.OrgUnit{}, lingpao.Errorf(lingpao.EINVALID, "单位「%s」不是本市的县（市、区）：请从列表中选择。", code)
}

// orgName names an org code, or returns "未识别单位" for "".
func (s *Server) orgName(code string) string {
	if code == "" {
		return "未识别单位"
	}
	return s.w.Catalog.Tree.Name(code)
}

// parseID reads a positive integer id from a path segment; anything else is ENOTFOUND.
func parseID(v string) (int64, error) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		return 0, lingpao.Errorf(lingpao.ENOTFOUND, "没有找到「%s」：链接可能有误。", v)
	}
	return id, nil
}
