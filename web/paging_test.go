package web

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"lingpao"
	"lingpao/sqlite"
)

// TestListsPageAndFilter: the lists show a page at a time with the right rows, filter by keyword and
// date, and refuse bad parameters with a message.
func TestListsPageAndFilter(t *testing.T) {
	st := newSite(t, Options{})
	b := st.login(adminName)
	ctx := context.Background()
	all, err := st.w.Store.FindSubmissions(ctx, sqlite.SubmissionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	n := len(all)
	res := b.get("/submissions?all=1&size=20&page=2")
	if want := fmt.Sprintf("共 %d 条，第 21–40 条", n); !strings.Contains(res.body, want) {
		t.Errorf("page 2 of %d: lacks %q", n, want)
	}
	if c := strings.Count(res.body, `<td class="file">`); c != 20 {
		t.Errorf("page 2 shows %d rows, want 20", c)
	}
	// Newest first: the 21st newest file is the first row of page 2.
	if !strings.Contains(res.body, fmt.Sprintf(`href="/submissions/%d"`, all[n-21].ID)) {
		t.Errorf("page 2 lacks submission %d", all[n-21].ID)
	}
	// A page past the end shows the last one.
	last := (n + 19) / 20
	if res := b.get("/submissions?all=1&size=20&page=999"); !strings.Contains(res.body, fmt.Sprintf("第 %d–%d 条", (last-1)*20+1, n)) {
		t.Error("a page past the end does not show the last page")
	}
	// Keyword and dates.
	res = b.get("/submissions?all=1&q=" + "井陉县")
	for _, s := range all {
		in := strings.Contains(res.body, fmt.Sprintf(`href="/submissions/%d"`, s.ID))
		if want := st.w.Catalog.Tree.Name(s.Org) == "井陉县" || strings.Contains(s.FileName, "井陉县"); in != want {
			t.Errorf("keyword 井陉县: submission %d shown %v", s.ID, in)
		}
	}
	day := all[n-1].ReceivedAt.In(lingpao.Beijing).Format("2006-01-02")
	res = b.get("/submissions?all=1&from=" + day + "&to=" + day)
	count := 0
	for _, s := range all {
		if s.ReceivedAt.In(lingpao.Beijing).Format("2006-01-02") == day {
			count++
		}
	}
	if !strings.Contains(res.body, fmt.Sprintf("共 %d 条", count)) {
		t.Errorf("one day (%s): want %d files", day, count)
	}
	for _, bad := range []string{"page=0", "page=x", "size=7", "from=2025-13-01", "from=2025-03-02&to=2025-03-01", "format=csv"} {
		if res := b.get("/submissions?" + bad); res.code != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", bad, res.code)
		}
	}
}

// TestAuditLogHasNoCap: 1,200 entries are all reachable a page at a time, and the log filters by user
// and date.
func TestAuditLogHasNoCap(t *testing.T) {
	st := newSite(t, Options{})
	ctx := context.Background()
	at := time.Date(2025, 3, 1, 8, 0, 0, 0, lingpao.Beijing)
	for i := 0; i < 1200; i++ {
		who := staffName
		if i%3 == 0 {
			who = leaderName
		}
		e := sqlite.AuditEntry{UserID: 1, UserName: who, Action: "download", Detail: fmt.Sprintf("下载 文件%04d.xlsx", i), Remote: "127.0.0.1", At: at.Add(time.Duration(i) * time.Hour)}
		if err := st.w.Store.AddAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	b := st.login(adminName)
	res := b.get("/audit?action=download&size=50&page=24")
	if !strings.Contains(res.body, "共 1200 条，第 1151–1200 条") || !strings.Contains(res.body, "文件0000.xlsx") {
		t.Errorf("the oldest entries are out of reach")
	}
	res = b.get("/audit?action=download&user=" + leaderName)
	if !strings.Contains(res.body, "共 400 条") {
		t.Errorf("by user: want 400 entries")
	}
	// 2025-03-02 in Beijing: hours 16 to 39 after 08:00 on the 1st.
	res = b.get("/audit?action=download&from=2025-03-02&to=2025-03-02")
	if !strings.Contains(res.body, "共 24 条") || !strings.Contains(res.body, "文件0016.xlsx") || strings.Contains(res.body, "文件0015.xlsx") || strings.Contains(res.body, "文件0040.xlsx") {
		t.Errorf("by date: want the 24 entries of 2 March")
	}
	res = b.get("/audit?q=文件1199")
	if !strings.Contains(res.body, "共 1 条") {
		t.Errorf("by keyword: want 1 entry")
	}
}
