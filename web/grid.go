package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"lingpao"
	"lingpao/sqlite"
)

// gridCell is one county-month of the reporting grid.
type gridCell struct {
	Month lingpao.Period
	State lingpao.ReportState
	// Future marks a month not begun; Text is what the cell shows, Title its tooltip, Link where it
	// leads.
	Future bool
	Text   string
	Title  string
	Link   string
}

// gridRow is one county's year.
type gridRow struct {
	Org, Name string
	Cells     []gridCell
	// OnTime, Received and Expected count its months (merged Januaries are not expected).
	OnTime, Received, Expected int
	Rate                       string
}

// gridFoot is one month's reporting rate over the counties.
type gridFoot struct {
	Received, Expected int
	Rate               string
	Future             bool
}

type gridView struct {
	Year   int
	Years  []int
	Months []lingpao.Period
	Rows   []gridRow
	Foot   []gridFoot
	// Total is the year's reporting over every county and month so far.
	Total   gridFoot
	Legend  []lingpao.ReportState
	Current lingpao.Period
}

// reportingGrid is the county × month reporting summary of a year (cf. DHIS2's reporting rate
// summary): each cell the county's reporting state for the month — on time with the date, late,
// returned, missing, not due, merged — linked to the return in force; a county's months and a
// month's rate at the ends.
func (s *Server) reportingGrid(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := s.newPage(r, "报送总览", "grid")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	year := p.Period.Year
	if q := r.URL.Query().Get("year"); q != "" {
		y, err := strconv.Atoi(q)
		if err != nil || y < 2000 || y > 2100 {
			s.error(w, r, lingpao.Errorf(lingpao.EINVALID, "年份“%s”有误：请从列表中选择。", q))
			return
		}
		year = y
	}
	v, err := s.grid(ctx, year)
	if err != nil {
		s.error(w, r, err)
		return
	}
	v.Current = p.Period
	for y := lingpao.MonthOfTime(s.now()).Year; y >= min(year, p.Period.Year)-1 && len(v.Years) < 6; y-- {
		v.Years = append(v.Years, y)
	}
	if !containsInt(v.Years, year) {
		v.Years = append(v.Years, year)
	}
	p.Hidden = map[string]string{"year": strconv.Itoa(year)}
	p.Data = v
	s.render(w, r, http.StatusOK, "grid", p)
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// grid computes the reporting of every county for each month of year, as of now.
func (s *Server) grid(ctx context.Context, year int) (gridView, error) {
	v := gridView{Year: year, Legend: []lingpao.ReportState{lingpao.ReportOnTime, lingpao.ReportLate, lingpao.ReportRejected,
		lingpao.ReportMissing, lingpao.ReportNotDue, lingpao.ReportMerged}}
	now := s.now()
	cfg := s.w.Config
	counties := s.counties()
	index := map[string]int{}
	for i, c := range counties {
		index[c.Code] = i
		v.Rows = append(v.Rows, gridRow{Org: c.Code, Name: c.Name})
	}
	for n := 1; n <= 12; n++ {
		m := lingpao.MonthOf(year, n)
		v.Months = append(v.Months, m)
		if m.Start().After(now) {
			v.Foot = append(v.Foot, gridFoot{Future: true})
			for i := range v.Rows {
				v.Rows[i].Cells = append(v.Rows[i].Cells, gridCell{Month: m, Future: true})
			}
			continue
		}
		subs, err := s.w.Store.FindSubmissions(ctx, sqlite.SubmissionFilter{Period: m.String()})
		if err != nil {
			return v, err
		}
		rr := lingpao.ComputeReporting(counties, m, subs, s.w.Catalog.Calendar(), cfg.DeadlineDay, cfg.MergeJanFeb, now)
		v.Foot = append(v.Foot, gridFoot{Received: rr.Received, Expected: rr.Expected, Rate: pct(rr.Rate())})
		v.Total.Received += rr.Received
		v.Total.Expected += rr.Expected
		for _, cr := range rr.Counties {
			row := &v.Rows[index[cr.Org]]
			row.Cells = append(row.Cells, s.gridCellOf(row.Name, m, cr))
			if cr.State != lingpao.ReportMerged {
				row.Expected++
			}
			switch cr.State {
			case lingpao.ReportOnTime:
				row.OnTime++
				row.Received++
			case lingpao.ReportLate:
				row.Received++
			}
		}
	}
	for i := range v.Rows {
		if row := &v.Rows[i]; row.Expected > 0 {
			row.Rate = pct(float64(row.Received) / float64(row.Expected))
		}
	}
	if v.Total.Expected > 0 {
		v.Total.Rate = pct(float64(v.Total.Received) / float64(v.Total.Expected))
	}
	return v, nil
}

// gridCellOf shows one county-month.
func (s *Server) gridCellOf(county string, m lingpao.Period, cr lingpao.CountyReport) gridCell {
	c := gridCell{Month: m, State: cr.State}
	title := fmt.Sprintf("%s %s：%s", county, m.Label(), cr.State.Label())
	short := func(t time.Time) string { return t.In(lingpao.Beijing).Format("01-02") }
	switch cr.State {
	case lingpao.ReportOnTime, lingpao.ReportLate:
		c.Text = short(cr.First.ReceivedAt)
		if cr.State == lingpao.ReportLate {
			c.Text = "逾期 " + c.Text
		}
		title += fmt.Sprintf("，%s 首次受理（截止 %s）", datetime(cr.First.ReceivedAt), lingpao.FormatDate(cr.Deadline))
		if cr.Current != nil && cr.Current.Version > 1 {
			title += fmt.Sprintf("，现行第%d版", cr.Current.Version)
		}
	case lingpao.ReportRejected:
		c.Text = "退回"
		title += fmt.Sprintf("，%d 个文件未受理，尚未重报", cr.Rejected)
	case lingpao.ReportMissing:
		c.Text = "未报"
		title += fmt.Sprintf("（截止 %s）", lingpao.FormatDate(cr.Deadline))
	case lingpao.ReportNotDue:
		c.Text = "—"
		title += fmt.Sprintf("（截止 %s）", lingpao.FormatDate(cr.Deadline))
	case lingpao.ReportMerged:
		c.Text = "合并"
		title += "（与2月合并报送）"
	}
	c.Title = title
	switch {
	case cr.Current != nil:
		c.Link = fmt.Sprintf("/submissions/%d", cr.Current.ID)
	case cr.Rejected > 0:
		c.Link = link("/submissions", m, "org", cr.Org)
	}
	return c
}
