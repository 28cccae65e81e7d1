package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"lingpao"
)

// Every long list of the page reads the same query parameters — page and size, a keyword (q) and a
// date range (from, to) — and shows the same pager under the table; ?format=xlsx on the same address
// exports every row the filter selects (export.go).

// pageSizes are the page sizes offered; the first is the default.
var pageSizes = []int{50, 20, 100, 200}

// maxPage is the largest page number accepted.
const maxPage = 1 << 20

// listQuery is the part of a list's query that is the same for every list.
type listQuery struct {
	Page, Size int
	// Q is the keyword; the list matches it against its text columns, ignoring case.
	Q string
	// From and To are the date range as typed (2025-09-01); from and to are its instants in Beijing
	// time, to being the end of the To day (exclusive). Zero when not given.
	From, To string
	from, to time.Time
	// Export is set for ?format=xlsx: every row, as a workbook.
	Export bool
}

// parseListQuery reads the list parameters of r. Bad values are EINVALID with a message that says
// what to type.
func parseListQuery(r *http.Request) (listQuery, error) {
	v := r.URL.Query()
	q := listQuery{Page: 1, Size: pageSizes[0], Q: strings.TrimSpace(v.Get("q")), From: strings.TrimSpace(v.Get("from")), To: strings.TrimSpace(v.Get("to"))}
	if len([]rune(q.Q)) > 100 {
		q.Q = string([]rune(q.Q)[:100])
	}
	if p := v.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > maxPage {
			return q, lingpao.Errorf(lingpao.EINVALID, "页码「%s」有误：请填写 1 以上的整数。", clip(p, 20))
		}
		q.Page = n
	}
	if s := v.Get("size"); s != "" {
		n, err := strconv.Atoi(s)
		ok := false
		for _, size := range pageSizes {
			ok = ok || size == n
		}
		if err != nil || !ok {
			return q, lingpao.Errorf(lingpao.EINVALID, "每页条数「%s」有误：请从列表中选择。", clip(s, 20))
		}
		q.Size = n
	}
	var err error
	if q.from, err = parseDay(q.From, "起始日期"); err != nil {
		return q, err
	}
	if q.to, err = parseDay(q.To, "截止日期"); err != nil {
		return q, err
	}
	if !q.to.IsZero() {
		q.to = q.to.AddDate(0, 0, 1)
	}
	if !q.from.IsZero() && !q.to.IsZero() && !q.from.Before(q.to) {
		return q, lingpao.Errorf(lingpao.EINVALID, "起始日期 %s 晚于截止日期 %s：请调换。", q.From, q.To)
	}
	switch f := v.Get("format"); f {
	case "":
	case "xlsx":
		q.Export = true
	default:
		return q, lingpao.Errorf(lingpao.EINVALID, "导出格式「%s」不存在：只能导出 Excel（xlsx）。", clip(f, 20))
	}
	return q, nil
}

// parseDay reads a date typed as 2025-09-01 (or 2025/9/1) as the start of that day in Beijing.
func parseDay(s, what string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	norm := strings.ReplaceAll(s, "/", "-")
	for _, layout := range []string{"2006-01-02", "2006-1-2"} {
		if t, err := time.ParseInLocation(layout, norm, lingpao.Beijing); err == nil {
			return t, nil
		}
	}
	return time.Time{}, lingpao.Errorf(lingpao.EINVALID, "%s「%s」有误：请写成 2025-09-01 这样的日期。", what, clip(s, 20))
}

// Filtered reports whether a keyword or a date range is set.
func (q listQuery) Filtered() bool { return q.Q != "" || q.From != "" || q.To != "" }

// matches reports whether the keyword is in one of the texts (every row matches without one).
func (q listQuery) matches(texts ...string) bool {
	if q.Q == "" {
		return true
	}
	k := strings.ToLower(q.Q)
	for _, t := range texts {
		if strings.Contains(strings.ToLower(t), k) {
			return true
		}
	}
	return false
}

// within reports whether t falls in the date range (every time does without one).
func (q listQuery) within(t time.Time) bool {
	if !q.from.IsZero() && t.Before(q.from) {
		return false
	}
	if !q.to.IsZero() && !t.Before(q.to) {
		return false
	}
	return true
}

// offset is the index of the page's first row.
func (q listQuery) offset() int { return (q.Page - 1) * q.Size }

// pager is the navigation under a paged table.
type pager struct {
	Total, Page, Size, Pages int
	// First and Last are the 1-based numbers of the rows shown (0 when there are none).
	First, Last int
	Prev, Next  string
	Links       []pageLink
	Sizes       []int
	// Export is the address of this list as a workbook (every row of the filter).
	Export string
	// Path and Keep rebuild the list's address in the size form: the other query parameters.
	Path string
	Keep map[string]string
}

// pageLink is one numbered link of the pager; Gap marks an ellipsis.
type pageLink struct {
	N       int
	URL     string
	Current bool
	Gap     bool
}

// newPager returns the pager of a list of total rows for request r. A page past the end shows the
// last page.
func newPager(r *http.Request, q *listQuery, total int) pager {
	pg := pager{Total: total, Size: q.Size, Sizes: pageSizes, Path: r.URL.Path, Keep: map[string]string{}}
	pg.Pages = max(1, (total+q.Size-1)/q.Size)
	if q.Page > pg.Pages {
		q.Page = pg.Pages
	}
	pg.Page = q.Page
	if total > 0 {
		pg.First = q.offset() + 1
		pg.Last = min(total, q.offset()+q.Size)
	}
	base := url.Values{}
	for k, vs := range r.URL.Query() {
		if k != "page" && k != "format" && len(vs) > 0 {
			base.Set(k, vs[0])
		}
	}
	for k := range base {
		if k != "size" {
			pg.Keep[k] = base.Get(k)
		}
	}
	at := func(n int) string {
		v := url.Values{}
		for k := range base {
			v.Set(k, base.Get(k))
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if len(v) == 0 {
			return r.URL.Path
		}
		return r.URL.Path + "?" + v.Encode()
	}
	if pg.Page > 1 {
		pg.Prev = at(pg.Page - 1)
	}
	if pg.Page < pg.Pages {
		pg.Next = at(pg.Page + 1)
	}
	last := 0
	for n := 1; n <= pg.Pages; n++ {
		if n == 1 || n == pg.Pages || (n >= pg.Page-2 && n <= pg.Page+2) {
			if last != 0 && n > last+1 {
				pg.Links = append(pg.Links, pageLink{Gap: true})
			}
			pg.Links = append(pg.Links, pageLink{N: n, URL: at(n), Current: n == pg.Page})
			last = n
		}
	}
	ex := url.Values{}
	for k := range base {
		if k != "size" {
			ex.Set(k, base.Get(k))
		}
	}
	ex.Set("format", "xlsx")
	pg.Export = r.URL.Path + "?" + ex.Encode()
	return pg
}

// paginate returns the page of items the query selects, and the pager under it.
func paginate[T any](r *http.Request, q *listQuery, items []T) ([]T, pager) {
	pg := newPager(r, q, len(items))
	if len(items) == 0 {
		return items, pg
	}
	from := min(q.offset(), len(items))
	return items[from:min(len(items), from+q.Size)], pg
}
