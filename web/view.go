package web

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"lingpao"
	"lingpao/sqlite"
)

// page is what every page template gets: the chrome (user, city, period selector, navigation) and
// the page's own data.
type page struct {
	Title string
	// Nav is the key of the navigation entry to highlight.
	Nav  string
	User lingpao.User
	CSRF string
	City string
	// Period is the month the pages look at; Periods are the months to choose from, newest first.
	Period  lingpao.Period
	Periods []lingpao.Period
	// Path is the current path, for the period selector.
	Path string
	// Hidden are the other query parameters the period selector keeps.
	Hidden map[string]string
	// Refresh reloads the page after so many seconds (a page waiting for work to finish).
	Refresh int
	Data    any
}

// newPage returns the chrome of a page for request r.
func (s *Server) newPage(r *http.Request, title, nav string) *page {
	p := &page{Title: title, Nav: nav, City: s.w.City().Name, Path: r.URL.Path}
	if sess, ok := sessionFrom(r.Context()); ok {
		p.User, p.CSRF = sess.User, sess.CSRF
	}
	return p
}

// withPeriod resolves the period of the request into p: ?period=, else the month whose returns are
// due now (the previous month) — unless the workspace has had no returns for that month or the one
// before (a demonstration or a workspace left idle): then the latest month with returns. A return
// sent early for a month not yet over never moves the default.
func (s *Server) withPeriod(r *http.Request, p *page) error {
	return s.withPeriodOr(r, p, lingpao.Period{})
}

// withPeriodOr is withPeriod with the month a page is about (a submission's) as the default.
func (s *Server) withPeriodOr(r *http.Request, p *page, def lingpao.Period) error {
	ctx := r.Context()
	periods, err := s.w.Store.SubmissionPeriods(ctx)
	if err != nil {
		return err
	}
	seen := map[lingpao.Period]bool{}
	for _, ps := range periods {
		if m, err := lingpao.ParsePeriod(ps); err == nil && m.Kind == lingpao.Month {
			seen[m] = true
		}
	}
	cycle := lingpao.MonthOfTime(s.now()).Prev() // the month whose returns are due now
	var latest lingpao.Period
	for m := range seen {
		if !cycle.Before(m) && (latest.IsZero() || latest.Before(m)) {
			latest = m
		}
	}
	if latest.IsZero() || !latest.Before(cycle.Prev()) {
		latest = cycle
	}
	seen[cycle] = true
	p.Period = latest
	if !def.IsZero() && def.Kind == lingpao.Month {
		p.Period = def
		seen[def] = true
	}
	if q := strings.TrimSpace(r.URL.Query().Get("period")); q != "" {
		m, err := lingpao.ParsePeriod(q)
		if err != nil {
			return err
		}
		if m.Kind != lingpao.Month {
			return lingpao.Errorf(lingpao.EINVALID, "这里按月查看：期间请写成 2025-09 这样的月份，现为 %s。", q)
		}
		p.Period = m
		seen[m] = true
	}
	for m := range seen {
		p.Periods = append(p.Periods, m)
	}
	sort.Slice(p.Periods, func(i, j int) bool { return p.Periods[j].Before(p.Periods[i]) })
	return nil
}

// render writes page name with status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := s.pages[name]
	if !ok {
		s.error(w, r, fmt.Errorf("no template %q", name))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		s.log.Error("render", "page", name, "err", err)
		http.Error(w, "页面显示出错，请联系系统管理员查看日志。", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// link returns path with the period and the given key/value pairs as query parameters.
func link(path string, p lingpao.Period, kv ...string) string {
	q := url.Values{}
	if !p.IsZero() {
		q.Set("period", p.String())
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

var funcs = template.FuncMap{
	"link":          link,
	"statusClass":   statusClass,
	"stateClass":    stateClass,
	"pct":           pct,
	"pp":            pp,
	"datetime":      datetime,
	"date":          func(t time.Time) string { return dateOr(t, "—") },
	"size":          size,
	"add":           func(a, b int) int { return a + b },
	"join":          strings.Join,
	"taskClass":     func(s sqlite.TaskStatus) string { return "task-" + string(s) },
	"kindLabel":     kindLabel,
	"periodLabel":   periodLabel,
	"mulMB":         func(mb int) int64 { return int64(mb) << 20 },
	"ruleName":      ruleName,
	"deliveryState": deliveryState,
}

// periodLabel names a stored period ("2025Q1") in Chinese (2025年第一季度).
func periodLabel(s string) string {
	if p, err := lingpao.ParsePeriod(s); err == nil {
		return p.Label()
	}
	return s
}

// kindLabel names a report kind in Chinese.
func kindLabel(kind string) string {
	for _, k := range reportKinds {
		if k.Kind == kind {
			return k.Label
		}
	}
	return kind
}

// statusClass is the CSS class of a status: 超序时 green, 基本同步 blue, 滞后 orange, 严重滞后 red,
// 未报送 grey.
func statusClass(st lingpao.Status) string { return "st-" + strings.ReplaceAll(string(st), "_", "-") }

// stateClass is the CSS class of a reporting state.
func stateClass(st lingpao.ReportState) string {
	switch st {
	case lingpao.ReportOnTime, lingpao.ReportMerged:
		return "rs-ok"
	case lingpao.ReportLate:
		return "rs-late"
	case lingpao.ReportRejected:
		return "rs-rejected"
	case lingpao.ReportMissing:
		return "rs-missing"
	}
	return "rs-pending"
}

// pct renders a fraction as a percentage with one decimal: 0.816 → 81.6%.
func pct(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "—"
	}
	return lingpao.FormatNumber(f*100, 1) + "%"
}

// pp renders a gap in percentage points with its sign: +6.6, −3.0.
func pp(f float64) string {
	s := lingpao.FormatNumber(math.Abs(f), 1)
	switch {
	case s == "0" || s == "0.0":
		return "0.0"
	case f > 0:
		return "+" + s
	}
	return "−" + s
}

func datetime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(lingpao.Beijing).Format("2006-01-02 15:04")
}

func dateOr(t time.Time, zero string) string {
	if t.IsZero() {
		return zero
	}
	return lingpao.FormatDate(t)
}

// size renders a byte count: 812 B, 14.2 KB, 3.1 MB.
func size(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}
