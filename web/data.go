package web

import (
	"context"
	"strconv"
	"time"

	"lingpao"
	"lingpao/reports"
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
	c.SetTargets(ts)
	return &c, v, nil
}

// reportInput loads what period p is measured with as of cutOff — exactly what the jobs' report
// generation reads (jobs.ReportInput) — measured against the newest targets version in the store, so
// that an import made by another process (the CLI) shows on the next page.
func (s *Server) reportInput(ctx context.Context, p lingpao.Period, cutOff time.Time) (reports.Input, error) {
	cat, tv, err := s.catalog(ctx)
	if err != nil {
		return reports.Input{}, err
	}
	release := s.w.ReadTargets()
	in, err := s.w.ReportInput(ctx, p, cutOff)
	release()
	if err != nil {
		return reports.Input{}, err
	}
	in.Catalog, in.TargetsVersion, in.Generated = cat, tv, s.now()
	return in, nil
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
