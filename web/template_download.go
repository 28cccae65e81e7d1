package web

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"mime"
	"net/http"
	"time"

	"lingpao"
	"lingpao/templates"
)

// templateRow is one county on the templates page.
type templateRow struct {
	Org, Name string
	Clusters  int
	// Roster is how many enterprises its template prefills, from the return of RosterFrom; Issues how
	// many problems of the ledger.
	Roster     int
	RosterFrom lingpao.Period
	Issues     int
}

type templateView struct {
	Month    lingpao.Period
	Months   []lingpao.Period
	Deadline time.Time
	Rows     []templateRow
	ZipName  string
}

// templateMonths are the months the templates page offers: from two months back to the next.
func (s *Server) templateMonths() []lingpao.Period {
	cur := lingpao.MonthOfTime(s.now())
	var out []lingpao.Period
	for i := 1; i >= -3; i-- {
		out = append(out, cur.Add(i))
	}
	return out
}

// templateMonth reads ?month= (else the month whose returns are due now: the one before the
// current).
func (s *Server) templateMonth(r *http.Request) (lingpao.Period, error) {
	q := r.URL.Query().Get("month")
	if q == "" {
		return lingpao.MonthOfTime(s.now()).Prev(), nil
	}
	m, err := lingpao.ParsePeriod(q)
	if err != nil || m.Kind != lingpao.Month {
		return m, lingpao.Errorf(lingpao.EINVALID, "模板按月下发：月份请写成 2025-10 这样，现为“%s”。", q)
	}
	return m, nil
}

// templateList is the templates page: each county's return template for a month — what it prefills
// (roster, open problems) — to download one by one or all as one zip.
func (s *Server) templateList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := s.newPage(r, "模板下载", "templates")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	m, err := s.templateMonth(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if _, err := s.w.Store.SyncIssueCases(ctx, s.now()); err != nil {
		s.error(w, r, err)
		return
	}
	v := templateView{Month: m, Months: s.templateMonths(), Deadline: s.w.Deadline(m), ZipName: templateZipName(s.w.City().Name, m)}
	if !containsPeriod(v.Months, m) {
		v.Months = append([]lingpao.Period{m}, v.Months...)
	}
	for _, c := range s.counties() {
		row := templateRow{Org: c.Code, Name: c.Name, Clusters: len(s.w.Catalog.ClustersOf(c.Code))}
		roster, from, err := s.w.Store.LatestRoster(ctx, c.Code, m)
		switch {
		case err == nil:
			row.Roster, row.RosterFrom = len(roster), from.Period
		case lingpao.ErrorCode(err) != lingpao.ENOTFOUND:
			s.error(w, r, err)
			return
		}
		cases, err := s.w.Store.IssueCasesForTemplate(ctx, c.Code, lingpao.FormatDate(m.Start()))
		if err != nil {
			s.error(w, r, err)
			return
		}
		row.Issues = len(cases)
		v.Rows = append(v.Rows, row)
	}
	p.Hidden = map[string]string{"month": m.String()}
	p.Data = v
	s.render(w, r, http.StatusOK, "templates", p)
}

func containsPeriod(ps []lingpao.Period, m lingpao.Period) bool {
	for _, p := range ps {
		if p == m {
			return true
		}
	}
	return false
}

// templateFileName is a county's template file name, as `lingpao template` writes it.
func templateFileName(m lingpao.Period, county string) string {
	return fmt.Sprintf("%s_%s.xlsx", m, county)
}

func templateZipName(city string, m lingpao.Period) string {
	return fmt.Sprintf("报表模板_%s_%s.zip", city, m.Label())
}

// generateTemplate writes county c's template for month m.
func (s *Server) generateTemplate(ctx context.Context, c lingpao.OrgUnit, m lingpao.Period) ([]byte, error) {
	spec, err := s.w.TemplateSpec(ctx, c, m)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := templates.Generate(&buf, s.w.Catalog, spec); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// templateDownload sends one county's template for ?month=, generated now.
func (s *Server) templateDownload(w http.ResponseWriter, r *http.Request) {
	c, err := s.county(r.PathValue("org"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	m, err := s.templateMonth(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	data, err := s.generateTemplate(r.Context(), c, m)
	if err != nil {
		s.error(w, r, err)
		return
	}
	name := templateFileName(m, c.Name)
	s.audit(r, "template_download", fmt.Sprintf("下载 %s %s报表模板（%s）", c.Name, m.Label(), name))
	sendBytes(w, name, contentTypes[".xlsx"], data)
}

// templateZip sends every county's template for ?month= as one zip, one folder per county (as
// `lingpao template --all` lays them out). Every template is generated before anything is sent, so
// that a failure is a page, not a truncated zip.
func (s *Server) templateZip(w http.ResponseWriter, r *http.Request) {
	m, err := s.templateMonth(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	now := s.now()
	for _, c := range s.counties() {
		data, err := s.generateTemplate(r.Context(), c, m)
		if err != nil {
			s.error(w, r, err)
			return
		}
		f, err := zw.CreateHeader(&zip.FileHeader{Name: c.Name + "/" + templateFileName(m, c.Name), Method: zip.Deflate, Modified: now, Flags: 0x800})
		if err != nil {
			s.error(w, r, err)
			return
		}
		if _, err := f.Write(data); err != nil {
			s.error(w, r, err)
			return
		}
	}
	if err := zw.Close(); err != nil {
		s.error(w, r, err)
		return
	}
	name := templateZipName(s.w.City().Name, m)
	s.audit(r, "template_download", fmt.Sprintf("下载全部 %d 个单位的%s报表模板（%s）", len(s.counties()), m.Label(), name))
	sendBytes(w, name, "application/zip", buf.Bytes())
}

// sendBytes sends data as an attachment called name.
func sendBytes(w http.ResponseWriter, name, contentType string, data []byte) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Length", fmt.Sprint(len(data)))
	w.Write(data)
}
