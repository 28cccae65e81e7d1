package web

import (
	"fmt"
	"math"
	"net/http"
	"strings"

	"lingpao"
	"lingpao/jobs"
	"lingpao/sqlite"
)

// countyTabs are the views of the county page, by ?tab=.
var countyTabs = []struct{ Key, Label string }{
	{"", "概况"}, {"trend", "指标走势"}, {"roster", "企业名录"}, {"returns", "报送记录"}, {"escalations", "督办记录"},
}

type tabLink struct {
	Key, Label, Href string
	On               bool
}

// trendRow is one indicator's months on the county page.
type trendRow struct {
	Code, Name, Unit string
	Values           []string
	// Points draws the sparkline (SVG polyline, 120×28); Dots the months with a value alone.
	Points string
	Dots   []sparkDot
	// Last is the assessment at the month shown.
	Last     lingpao.Assessment
	LastText string
}

type sparkDot struct{ X, Y string }

// rosterRow is one enterprise of the county's roster.
type rosterRow struct {
	lingpao.Enterprise
	ClusterName string
	Revenue     string
	RnD         string
}

// countyReturn is one file of the county.
type countyReturn struct {
	submissionRow
	Review reviewState
}

type countyView struct {
	County   lingpao.OrgUnit
	Clusters []lingpao.Cluster
	Month    lingpao.Period
	Tab      string
	Tabs     []tabLink
	// 概况
	Year           []gridCell
	OnTime, Expect int
	Standing       *jobs.CountyStatus
	Counts         []statusCount
	Issues         sqlite.IssueTally
	OpenIssues     []issueRow
	Contacts       []sqlite.Contact
	// 指标走势
	Months []lingpao.Period
	Trend  []trendRow
	// 企业名录
	Query         string
	Roster        []rosterRow
	RosterFrom    *lingpao.Submission
	RosterTotal   int
	RosterLimited bool
	// 报送记录
	Returns []countyReturn
	// 督办记录
	Steps []stepRow
}

// countyList lists the counties with their reporting this month, linking each county's page.
func (s *Server) countyList(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "县区档案", "counties")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	rr, err := s.reporting(r, p.Period)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if _, err := s.w.Store.SyncIssueCases(r.Context(), s.now()); err != nil {
		s.error(w, r, err)
		return
	}
	type row struct {
		lingpao.OrgUnit
		Clusters []lingpao.Cluster
		State    lingpao.ReportState
		Open     int
		Overdue  int
	}
	var rows []row
	today := lingpao.FormatDate(s.now())
	for i, c := range s.counties() {
		t, err := s.w.Store.TallyIssueCases(r.Context(), c.Code, today)
		if err != nil {
			s.error(w, r, err)
			return
		}
		open := 0
		for st, n := range t.ByStatus {
			if st != lingpao.IssueClosed {
				open += n
			}
		}
		rows = append(rows, row{OrgUnit: c, Clusters: s.w.Catalog.ClustersOf(c.Code), State: rr.Counties[i].State, Open: open, Overdue: t.Overdue})
	}
	p.Data = rows
	s.render(w, r, http.StatusOK, "counties", p)
}

// countyPage is one county's page: its year of reporting, ladder standing, statuses and open
// problems (概况); each indicator's months with a sparkline (指标走势); its roster, searchable by name,
// credit code or tag (企业名录); its returns with their review (报送记录); its ladder steps (督办记录).
func (s *Server) countyPage(w http.ResponseWriter, r *http.Request) {
	c, err := s.county(r.PathValue("org"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := s.newPage(r, c.Name, "counties")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	q := r.URL.Query()
	v := countyView{County: c, Clusters: s.w.Catalog.ClustersOf(c.Code), Month: p.Period, Tab: q.Get("tab"), Query: strings.TrimSpace(q.Get("q"))}
	known := false
	for _, t := range countyTabs {
		known = known || t.Key == v.Tab
		v.Tabs = append(v.Tabs, tabLink{Key: t.Key, Label: t.Label, Href: link("/counties/"+c.Code, p.Period, "tab", t.Key), On: t.Key == v.Tab})
	}
	if !known {
		s.error(w, r, errNotFound)
		return
	}
	switch v.Tab {
	case "":
		err = s.countyOverview(r, &v)
	case "trend":
		err = s.countyTrend(r, &v)
	case "roster":
		err = s.countyRoster(r, &v)
	case "returns":
		err = s.countyReturns(r, &v)
	case "escalations":
		err = s.countySteps(r, &v)
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	p.Hidden = map[string]string{"tab": v.Tab, "q": v.Query}
	p.Data = v
	s.render(w, r, http.StatusOK, "county", p)
}

func (s *Server) countyOverview(r *http.Request, v *countyView) error {
	ctx := r.Context()
	g, err := s.grid(ctx, v.Month.Year)
	if err != nil {
		return err
	}
	for _, row := range g.Rows {
		if row.Org == v.County.Code {
			v.Year, v.OnTime, v.Expect = row.Cells, row.OnTime, row.Expected
		}
	}
	st, err := s.status(ctx, v.Month)
	if err != nil {
		return err
	}
	for i := range st.Counties {
		if cs := &st.Counties[i]; cs.Org == v.County.Code {
			v.Standing = cs
			for _, status := range legend {
				v.Counts = append(v.Counts, statusCount{Status: status, N: cs.Counts[status]})
			}
		}
	}
	today := lingpao.FormatDate(s.now())
	if _, err := s.w.Store.SyncIssueCases(ctx, s.now()); err != nil {
		return err
	}
	if v.Issues, err = s.w.Store.TallyIssueCases(ctx, v.County.Code, today); err != nil {
		return err
	}
	open, _, err := s.w.Store.FindIssueCases(ctx, sqlite.IssueCaseFilter{Org: v.County.Code, Open: true, Today: today, Limit: 8})
	if err != nil {
		return err
	}
	for _, c := range open {
		v.OpenIssues = append(v.OpenIssues, s.issueRowOf(c))
	}
	v.Contacts, err = s.w.Store.Contacts(ctx, v.County.Code)
	return err
}

func (s *Server) countyTrend(r *http.Request, v *countyView) error {
	ctx := r.Context()
	cat, _, err := s.catalog(ctx)
	if err != nil {
		return err
	}
	ds, _, err := s.w.Store.LoadDataSet(ctx, lingpao.DataFrom(cat, v.Month), v.Month, s.now())
	if err != nil {
		return err
	}
	for m := lingpao.MonthOf(v.Month.Year, 1); !v.Month.Before(m); m = m.Add(1) {
		v.Months = append(v.Months, m)
	}
	for _, ind := range lingpao.CountyIndicators(cat) {
		row := trendRow{Code: ind.Code, Name: ind.Name, Unit: ind.Unit}
		vals := make([]float64, len(v.Months))
		ok := make([]bool, len(v.Months))
		for i, m := range v.Months {
			a := lingpao.Assess(cat, ds, v.County.Code, ind, m, s.w.Config.Progress)
			row.Values = append(row.Values, "—")
			if a.Actual.OK {
				row.Values[i] = ind.Format(a.Actual.Value)
				vals[i], ok[i] = a.Actual.Value, true
			}
			row.Last = a
		}
		if row.Last.Measured() {
			row.LastText = fmt.Sprintf("完成 %s（序时 %s）", pct(row.Last.Completion), pct(row.Last.Expected))
		}
		row.Points, row.Dots = sparkline(vals, ok, 120, 28)
		v.Trend = append(v.Trend, row)
	}
	return nil
}

// sparkline returns the points of a polyline through the values marked ok, spread over w×h with a
// 3-unit margin, and a dot for each value (a single month shows as a dot alone). A missing month
// breaks nothing: the line joins the months reported.
func sparkline(vals []float64, ok []bool, w, h float64) (string, []sparkDot) {
	lo, hi, n := math.Inf(1), math.Inf(-1), 0
	for i, v := range vals {
		if ok[i] {
			lo, hi, n = math.Min(lo, v), math.Max(hi, v), n+1
		}
	}
	if n == 0 {
		return "", nil
	}
	const pad = 3.0
	step := (w - 2*pad) / float64(max(len(vals)-1, 1))
	var pts []string
	var dots []sparkDot
	for i, v := range vals {
		if !ok[i] {
			continue
		}
		y := h / 2
		if hi > lo {
			y = pad + (h-2*pad)*(hi-v)/(hi-lo)
		}
		x := fmt.Sprintf("%.1f", pad+step*float64(i))
		ys := fmt.Sprintf("%.1f", y)
		pts = append(pts, x+","+ys)
		dots = append(dots, sparkDot{X: x, Y: ys})
	}
	if len(pts) < 2 {
		return "", dots
	}
	return strings.Join(pts, " "), dots[len(dots)-1:]
}

// rosterLimit bounds the enterprises listed at once; the search narrows the list.
const rosterLimit = 300

func (s *Server) countyRoster(r *http.Request, v *countyView) error {
	ents, sub, err := s.w.Store.LatestRoster(r.Context(), v.County.Code, v.Month.Add(1))
	if lingpao.ErrorCode(err) == lingpao.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	v.RosterFrom = &sub
	clusters := map[string]string{}
	for _, c := range v.Clusters {
		clusters[c.Code] = c.Name
	}
	q := strings.ToLower(v.Query)
	for _, e := range ents {
		row := rosterRow{Enterprise: e, ClusterName: clusters[e.Cluster], Revenue: "—", RnD: "—"}
		if row.ClusterName == "" {
			row.ClusterName = e.Cluster
		}
		if q != "" && !strings.Contains(strings.ToLower(e.Name+"\x00"+e.USCC+"\x00"+strings.Join(e.Tags, "\x00")+"\x00"+row.ClusterName), q) {
			continue
		}
		v.RosterTotal++
		if len(v.Roster) >= rosterLimit {
			v.RosterLimited = true
			continue
		}
		if e.Revenue != nil {
			row.Revenue = lingpao.FormatNumber(*e.Revenue, 2)
		}
		if e.RnD != nil {
			row.RnD = lingpao.FormatNumber(*e.RnD, 2)
		}
		v.Roster = append(v.Roster, row)
	}
	return nil
}

// countyReturnsLimit bounds the files listed: more than three years of months with corrections.
const countyReturnsLimit = 120

func (s *Server) countyReturns(r *http.Request, v *countyView) error {
	ctx := r.Context()
	subs, err := s.w.Store.FindSubmissions(ctx, sqlite.SubmissionFilter{Org: v.County.Code})
	if err != nil {
		return err
	}
	var ids []int64
	for i := len(subs) - 1; i >= 0 && len(v.Returns) < countyReturnsLimit; i-- {
		o := subs[i]
		v.Returns = append(v.Returns, countyReturn{submissionRow: submissionRow{Submission: o, OrgName: v.County.Name, Superseded: o.SupersededBy != 0}})
		ids = append(ids, o.ID)
	}
	reviews, err := s.w.Store.Reviews(ctx, ids...)
	if err != nil {
		return err
	}
	for i := range v.Returns {
		v.Returns[i].Review = reviewStateOf(reviews[v.Returns[i].ID])
	}
	return nil
}

func (s *Server) countySteps(r *http.Request, v *countyView) error {
	steps, err := s.w.Store.FindEscalations(r.Context(), sqlite.EscalationFilter{Org: v.County.Code, Revoked: true})
	if err != nil {
		return err
	}
	for i := len(steps) - 1; i >= 0; i-- {
		e := steps[i]
		row := stepRow{Escalation: e, Name: v.County.Name, Indicator: "按时报送"}
		if ind, ok := s.w.Catalog.Indicator(e.Indicator); ok {
			row.Indicator = ind.Name
		}
		v.Steps = append(v.Steps, row)
	}
	return nil
}
