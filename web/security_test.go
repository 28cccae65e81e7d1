package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"lingpao"
	"lingpao/sqlite"
)

// rejected returns the submission the demo rejected for its planted errors (赞皇县, March).
func (st *site) rejected() lingpao.Submission {
	st.t.Helper()
	subs, err := st.w.Store.FindSubmissions(context.Background(), sqlite.SubmissionFilter{Org: st.county("赞皇县"), Period: "2025-03", Status: lingpao.SubRejected})
	if err != nil || len(subs) != 1 {
		st.t.Fatalf("rejected 赞皇县 submission: %v, %v", subs, err)
	}
	return subs[0]
}

func (st *site) tasks() []sqlite.ReportTask {
	st.t.Helper()
	ts, err := st.w.Store.FindReportTasks(context.Background(), 0)
	if err != nil {
		st.t.Fatal(err)
	}
	return ts
}

// zipLike is the start of an .xlsx: enough for the type check, not a readable workbook.
var zipLike = append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0}, 200)...)

func TestWithoutSessionEveryPageGoesToLogin(t *testing.T) {
	st := newSite(t, Options{})
	b := st.browser()
	sub := st.rejected()
	for _, path := range []string{"/", "/submissions", "/submissions/1", "/submissions/1/original", "/submissions/1/receipt/xlsx",
		"/upload", "/targets", "/escalations", "/issues", "/reports", "/reports/files/0123", "/reports/tasks/1", "/reports/tasks/1/files/0",
		"/jobs", "/audit", "/account", "/no/such/page"} {
		res := b.get(path)
		loc := res.header.Get("Location")
		if res.code != http.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=") {
			t.Errorf("GET %s without session: %d %q, want 303 to /login?next=…", path, res.code, loc)
		}
		if next, _ := url.QueryUnescape(strings.TrimPrefix(loc, "/login?next=")); next != path {
			t.Errorf("GET %s: login would return to %q", path, next)
		}
	}
	// The login page itself and the stylesheet are public; nothing else is.
	if res := b.get("/login"); res.code != http.StatusOK || !strings.Contains(res.body, "用户名") {
		t.Errorf("GET /login: %d", res.code)
	}
	if res := b.get("/static/style.css"); res.code != http.StatusOK {
		t.Errorf("GET /static/style.css: %d", res.code)
	}
	// A state-changing request without a session changes nothing.
	before := len(st.inboxFiles())
	for _, path := range []string{"/upload", "/reports/generate", "/logout", "/account/password"} {
		res := b.post(path, url.Values{"kind": {"quarterly"}, "period": {"2025Q1"}, "org": {sub.Org}})
		if res.code != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/login") {
			t.Errorf("POST %s without session: %d %q", path, res.code, res.header.Get("Location"))
		}
	}
	if len(st.tasks()) != 0 || len(st.inboxFiles()) != before {
		t.Errorf("requests without a session changed something: tasks %v", st.tasks())
	}
}

func TestLeaderCanReadButNotWrite(t *testing.T) {
	st := newSite(t, Options{})
	b := st.login(leaderName)
	sub := st.rejected()
	for _, path := range []string{"/", "/submissions", "/targets", "/escalations", "/issues", "/reports", "/jobs",
		"/submissions/" + itoa(sub.ID)} {
		if res := b.get(path); res.code != http.StatusOK {
			t.Errorf("leader GET %s: %d", path, res.code)
		}
	}
	res := b.get("/submissions/" + itoa(sub.ID) + "/original")
	if res.code != http.StatusOK || !strings.HasPrefix(res.body, "PK") {
		t.Errorf("leader download original: %d", res.code)
	}
	if strings.Contains(b.get("/").body, `href="/upload`) {
		t.Error("the leader's navigation offers the upload page")
	}
	tok := b.token("/")
	for _, tc := range []struct {
		name string
		res  response
	}{
		{"GET /upload", b.get("/upload")},
		{"POST /upload", b.upload(sub.Org, "2025-03_赞皇县.xlsx", zipLike, tok)},
		{"POST /reports/generate", b.post("/reports/generate", url.Values{"csrf": {tok}, "kind": {"quarterly"}, "period": {"2025Q1"}})},
		{"GET /audit", b.get("/audit")},
	} {
		if tc.res.code != http.StatusForbidden {
			t.Errorf("leader %s: %d, want 403", tc.name, tc.res.code)
		}
	}
	if res := b.post("/reports/generate", url.Values{"csrf": {tok}, "kind": {"quarterly"}, "period": {"2025Q1"}}); !strings.Contains(res.body, "只能查看和下载") {
		t.Errorf("the refusal does not say why:\n%s", res.body)
	}
	if len(st.tasks()) != 0 || len(st.inboxFiles()) != 0 {
		t.Errorf("leader changed something: tasks %v, inbox %v", st.tasks(), st.inboxFiles())
	}
}

func TestForgedRequestsAreRefused(t *testing.T) {
	st := newSite(t, Options{})
	staff := st.login(staffName)
	other := st.login(adminName)
	tok, otherTok := staff.token("/reports"), other.token("/reports")
	if tok == otherTok {
		t.Fatal("two sessions share an anti-forgery token")
	}
	gen := url.Values{"kind": {"quarterly"}, "period": {"2025Q1"}, "format": {"pdf"}}
	with := func(tok string) url.Values {
		v := url.Values{"csrf": {tok}}
		for k, vs := range gen {
			v[k] = vs
		}
		return v
	}
	post := func(form url.Values, header map[string]string) response {
		req, _ := http.NewRequest(http.MethodPost, staff.base+"/reports/generate", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for k, v := range header {
			req.Header.Set(k, v)
		}
		return staff.do(req)
	}
	for _, tc := range []struct {
		name   string
		form   url.Values
		header map[string]string
	}{
		{"no token", gen, map[string]string{"Origin": staff.base}},
		{"forged token", with("forged-" + tok[7:]), map[string]string{"Origin": staff.base}},
		{"another session's token", with(otherTok), map[string]string{"Origin": staff.base}},
		{"right token from another site", with(tok), map[string]string{"Origin": "http://evil.example"}},
		{"right token, Referer of another site", with(tok), map[string]string{"Referer": "http://evil.example/page"}},
		{"right token, cross-site fetch", with(tok), map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"right token, Origin null", with(tok), map[string]string{"Origin": "null"}},
	} {
		res := post(tc.form, tc.header)
		if res.code != http.StatusForbidden || !strings.Contains(res.body, "请刷新页面后重试") {
			t.Errorf("%s: %d, want 403 with a message", tc.name, res.code)
		}
	}
	if n := len(st.tasks()); n != 0 {
		t.Fatalf("forged requests queued %d generations", n)
	}
	// Logging out needs the token too: a forged logout leaves the session alone.
	if res := staff.post("/logout", url.Values{"csrf": {"x"}}); res.code != http.StatusForbidden {
		t.Errorf("forged logout: %d", res.code)
	}
	if res := staff.get("/"); res.code != http.StatusOK {
		t.Errorf("session gone after a forged logout: %d", res.code)
	}
	// The genuine request works.
	res := post(with(tok), map[string]string{"Origin": staff.base})
	if res.code != http.StatusSeeOther || !strings.HasPrefix(res.header.Get("Location"), "/reports/tasks/") {
		t.Fatalf("genuine generate: %d %s\n%s", res.code, res.header.Get("Location"), res.body)
	}
	// A login form posted without the login page's token logs nobody in.
	fresh := st.browser()
	res = fresh.post("/login", url.Values{"name": {staffName}, "password": {password}, "csrf": {"x"}})
	if res.code != http.StatusForbidden || len(fresh.c.Jar.Cookies(mustURL(fresh.base))) != 1 {
		t.Errorf("login without token: %d, cookies %v", res.code, fresh.c.Jar.Cookies(mustURL(fresh.base)))
	}
	if r := fresh.get("/"); r.code != http.StatusSeeOther {
		t.Errorf("logged in by a login form without token: %d", r.code)
	}
}

func TestNoPathFromARequestReadsAFile(t *testing.T) {
	st := newSite(t, Options{})
	b := st.login(adminName)
	follow := *b.c
	follow.CheckRedirect = nil
	sub := st.rejected()
	secret := st.w.Config.Secret
	abs := st.w.Config.Path(lingpao.ConfigFile)
	// A generation whose stored file list was tampered with: even paths from the store stay inside
	// the workspace.
	task := sqlite.ReportTask{Kind: "monthly", Period: "2025-03"}
	if err := st.w.Store.CreateReportTask(context.Background(), &task); err != nil {
		t.Fatal(err)
	}
	if err := st.w.Store.FinishReportTask(context.Background(), task.ID, []string{"../../../../etc/passwd", abs, "lingpao.yaml/../../x"}, ""); err != nil {
		t.Fatal(err)
	}
	id, tid := itoa(sub.ID), itoa(task.ID)
	paths := []string{
		"/submissions/" + id + "/receipt/..%2F..%2F..%2Flingpao.yaml",
		"/submissions/" + id + "/receipt/%2Fetc%2Fpasswd",
		"/submissions/..%2F..%2Flingpao.yaml/original",
		"/submissions/%2Fetc%2Fpasswd/original",
		"/submissions/" + id + "/../../lingpao.yaml",
		"/reports/files/..%2F..%2Flingpao.yaml",
		"/reports/files/%2Fetc%2Fpasswd",
		"/reports/files/" + url.PathEscape(abs),
		"/reports/tasks/" + tid + "/files/0",
		"/reports/tasks/" + tid + "/files/1",
		"/reports/tasks/" + tid + "/files/2",
		"/reports/tasks/" + tid + "/files/..%2F..%2Flingpao.yaml",
		"/reports/tasks/" + tid + "/files/-1",
		"/static/..%2F..%2Flingpao.yaml",
		"/static/../../../../etc/passwd",
		"/static/%2Fetc%2Fpasswd",
		"/upload/pending/..%2F..%2Flingpao.yaml",
		"/submissions?org=..%2F..%2Fetc&period=2025-03",
		"/submissions?period=..%2F..%2Fetc%2Fpasswd",
		"/targets?org=%2Fetc%2Fpasswd",
		"/issues?org=..%2F..%2F&status=..%2F",
		"/reports?period=%2Fetc%2Fpasswd",
		"/?period=..%2F..%2Flingpao.yaml",
	}
	for _, p := range paths {
		req, _ := http.NewRequest(http.MethodGet, b.base+p, nil)
		res, err := follow.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", p, err)
		}
		var body bytes.Buffer
		body.ReadFrom(res.Body)
		res.Body.Close()
		text := body.String()
		for _, leak := range []string{"root:x:0:0", secret, "SQLite format 3", "package web", "module lingpao"} {
			if strings.Contains(text, leak) {
				t.Errorf("GET %s leaks %q (%d)", p, leak[:min(len(leak), 12)], res.StatusCode)
			}
		}
		if res.StatusCode == http.StatusOK && res.Header.Get("Content-Disposition") != "" {
			t.Errorf("GET %s served a file (%s)", p, res.Header.Get("Content-Disposition"))
		}
		if res.StatusCode >= 500 {
			t.Errorf("GET %s: %d", p, res.StatusCode)
		}
	}
	// Upload: the county comes from the list, never a path; the file name is reduced to a base name.
	tok := b.token("/upload")
	if res := b.upload("../../etc", "x.xlsx", zipLike, tok); res.code != http.StatusBadRequest || !strings.Contains(res.body, "请从列表中选择") {
		t.Errorf("upload to county ../../etc: %d", res.code)
	}
	res := b.upload(sub.Org, "../../../evil.xlsx", zipLike, tok)
	if res.code != http.StatusSeeOther {
		t.Fatalf("upload ../../../evil.xlsx: %d\n%s", res.code, res.body)
	}
	for _, p := range []string{filepath.Join(st.dir, "evil.xlsx"), filepath.Join(st.dir, "..", "evil.xlsx"), filepath.Join(st.dir, "inbox", "evil.xlsx")} {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("upload wrote %s", p)
		}
	}
	got, err := st.w.Store.FindSubmissions(context.Background(), sqlite.SubmissionFilter{Org: sub.Org})
	if err != nil {
		t.Fatal(err)
	}
	last := got[len(got)-1]
	if last.FileName != "evil.xlsx" || last.Folder != "赞皇县" {
		t.Errorf("uploaded file stored as %q in %q, want evil.xlsx in 赞皇县", last.FileName, last.Folder)
	}
}

func TestUploadChecksTypeAndSize(t *testing.T) {
	st := newSite(t, Options{MaxUploadMB: 1})
	b := st.login(staffName)
	org := st.county("赞皇县")
	tok := b.token("/upload")
	big := append(append([]byte{}, zipLike...), bytes.Repeat([]byte("x"), 1<<20)...)
	for _, tc := range []struct {
		name string
		file string
		data []byte
		code int
		want string
	}{
		{"over the limit", "2025-03_赞皇县.xlsx", big, http.StatusRequestEntityTooLarge, "文件超过 1 MB 的上限"},
		{"a CSV renamed .xlsx", "2025-03_赞皇县.xlsx", []byte("集群名称,营业收入\n赞皇,12.5\n"), http.StatusBadRequest, "不是 Excel 工作簿"},
		{"an .xls", "2025-03_赞皇县.xls", []byte{0xD0, 0xCF, 0x11, 0xE0}, http.StatusBadRequest, "另存为 Excel 工作簿"},
		{"no file name extension", "赞皇县报表", zipLike, http.StatusBadRequest, "不是 .xlsx 文件"},
		{"an empty file", "2025-03_赞皇县.xlsx", nil, http.StatusBadRequest, "空文件"},
	} {
		res := b.upload(org, tc.file, tc.data, tok)
		if res.code != tc.code || !strings.Contains(res.body, tc.want) {
			t.Errorf("%s: %d, want %d with %q\n%s", tc.name, res.code, tc.code, tc.want, res.body)
		}
	}
	// Without a declared length the limit holds while reading.
	var body bytes.Buffer
	body.WriteString("--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.xlsx\"\r\n\r\n")
	body.Write(big)
	body.Write(big)
	body.WriteString("\r\n--B--\r\n")
	req, _ := http.NewRequest(http.MethodPost, b.base+"/upload", struct{ *bytes.Buffer }{&body}) // no ContentLength
	req.Header.Set("Content-Type", "multipart/form-data; boundary=B")
	req.Header.Set("Origin", b.base)
	if res := b.do(req); res.code != http.StatusRequestEntityTooLarge || !strings.Contains(res.body, "上限") {
		t.Errorf("streamed oversized upload: %d", res.code)
	}
	if files := st.inboxFiles(); len(files) != 0 {
		t.Errorf("refused uploads reached the inbox: %v", files)
	}
}

func TestSessionsExpireAndEnd(t *testing.T) {
	st := newSite(t, Options{SessionIdle: time.Hour, SessionMax: 3 * time.Hour})
	b := st.login(staffName)
	st.advance(50 * time.Minute)
	if res := b.get("/"); res.code != http.StatusOK {
		t.Fatalf("after 50 minutes: %d", res.code)
	}
	st.advance(50 * time.Minute) // 50 minutes after the last request: still alive
	if res := b.get("/"); res.code != http.StatusOK {
		t.Fatalf("activity did not extend the session: %d", res.code)
	}
	st.advance(61 * time.Minute)
	if res := b.get("/"); res.code != http.StatusSeeOther {
		t.Errorf("idle session still valid after 61 minutes: %d", res.code)
	}
	// However active, a session ends SessionMax after login.
	b = st.login(staffName)
	for i := 0; i < 6; i++ {
		st.advance(30 * time.Minute)
		b.get("/jobs")
	}
	if res := b.get("/"); res.code != http.StatusSeeOther {
		t.Errorf("session alive 3 hours after login: %d", res.code)
	}
	// Logout ends it at once, and the old cookie opens nothing.
	b = st.login(staffName)
	cookies := b.c.Jar.Cookies(mustURL(b.base))
	if res := b.post("/logout", url.Values{"csrf": {b.token("/")}}); res.code != http.StatusSeeOther {
		t.Fatalf("logout: %d", res.code)
	}
	replay := st.browser()
	replay.c.Jar.SetCookies(mustURL(b.base), cookies)
	if res := replay.get("/"); res.code != http.StatusSeeOther {
		t.Errorf("the cookie of a logged-out session still works: %d", res.code)
	}
	// Session cookies are HttpOnly and SameSite; over TLS they are Secure (see TestSecureCookie).
	res := st.browser().tryLogin(staffName, password)
	c := res.header.Get("Set-Cookie")
	if !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") {
		t.Errorf("session cookie %q", c)
	}
}

func TestSecureCookie(t *testing.T) {
	st := newSite(t, Options{SecureCookies: true})
	res := st.browser().tryLogin(staffName, password)
	var found bool
	for _, c := range res.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, sessionCookie+"=") {
			found = true
			if !strings.Contains(c, "Secure") {
				t.Errorf("session cookie without Secure: %q", c)
			}
		}
	}
	if !found {
		t.Errorf("no session cookie: %v", res.header.Values("Set-Cookie"))
	}
}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestUploadNeverTakesAPartialCopy drops part of another county's file into the inbox, uploads a
// return, and completes the other copy while the upload is being taken: the upload's second poll waits
// the poll interval when other files are in the inbox, so the growing file is seen to change and left
// for a later poll — never read half-copied.
func TestUploadNeverTakesAPartialCopy(t *testing.T) {
	st := newSite(t, Options{})
	st.w.Config.Inbox.PollSeconds = 3
	b := st.login(staffName)
	tok := b.token("/upload")
	other := filepath.Join(st.dir, "inbox", "井陉矿区", "2025-03_井陉矿区.xlsx")
	if err := os.WriteFile(other, zipLike[:100], 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan response, 1)
	start := time.Now()
	go func() { done <- b.upload(st.county("赞皇县"), "2025-03_赞皇县（网页）.xlsx", zipLike, tok) }()
	time.Sleep(time.Second) // the upload's first poll has seen the partial file; its second waits
	f, err := os.OpenFile(other, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(zipLike[100:])
	f.Close()
	res := <-done
	if res.code != http.StatusSeeOther {
		t.Fatalf("upload: %d\n%s", res.code, res.body)
	}
	if d := time.Since(start); d < 3*time.Second {
		t.Errorf("the second poll came after %v, before the poll interval", d)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("the file still being copied was taken from the inbox: %v", err)
	}
	subs, err := st.w.Store.FindSubmissions(context.Background(), sqlite.SubmissionFilter{Org: st.county("井陉矿区"), Period: "2025-03"})
	if err != nil || len(subs) != 0 {
		t.Errorf("submissions of 井陉矿区: %v, %v", subs, err)
	}
}

// TestChangePassword checks the current password, ends the user's other sessions and keeps this one.
func TestChangePassword(t *testing.T) {
	st := newSite(t, Options{})
	b := st.login(staffName)
	other := st.login(staffName)
	tok := b.token("/account")
	for _, tc := range []struct {
		form url.Values
		want string
	}{
		{url.Values{"current": {"wrong"}, "new": {"new-password-1"}, "confirm": {"new-password-1"}}, "当前密码不正确"},
		{url.Values{"current": {password}, "new": {"new-password-1"}, "confirm": {"new-password-2"}}, "不一致"},
		{url.Values{"current": {password}, "new": {"short"}, "confirm": {"short"}}, "至少 10 个字符"},
		{url.Values{"current": {password}, "new": {"Password2025!"}, "confirm": {"Password2025!"}}, "常见密码"},
		{url.Values{"current": {password}, "new": {"12345678901"}, "confirm": {"12345678901"}}, "全是数字"},
		{url.Values{"current": {password}, "new": {staffName + "的新密码123"}, "confirm": {staffName + "的新密码123"}}, "用户名"},
	} {
		tc.form.Set("csrf", tok)
		if res := b.post("/account/password", tc.form); res.code != http.StatusBadRequest || !strings.Contains(res.body, tc.want) {
			t.Errorf("%v: %d, want 400 with %q", tc.form, res.code, tc.want)
		}
	}
	res := b.post("/account/password", url.Values{"csrf": {tok}, "current": {password}, "new": {"new-password-1"}, "confirm": {"new-password-1"}})
	if res.code != http.StatusSeeOther {
		t.Fatalf("change: %d\n%s", res.code, res.body)
	}
	if res := b.get("/account?changed=1"); res.code != http.StatusOK || !strings.Contains(res.body, "密码已修改") {
		t.Errorf("this session after the change: %d", res.code)
	}
	if res := other.get("/"); res.code != http.StatusSeeOther {
		t.Errorf("the other session survived the change: %d", res.code)
	}
	if res := st.browser().tryLogin(staffName, password); res.code != http.StatusUnauthorized {
		t.Errorf("old password still logs in: %d", res.code)
	}
	if res := st.browser().tryLogin(staffName, "new-password-1"); res.code != http.StatusSeeOther {
		t.Errorf("new password: %d", res.code)
	}
	if n := st.auditActions()["password"]; n != 1 {
		t.Errorf("password changes in the audit log: %d", n)
	}
	page := st.login(adminName).get("/audit?action=password")
	if page.code != http.StatusOK || !strings.Contains(page.body, "修改密码") || !strings.Contains(page.body, staffName) || strings.Contains(page.body, `<td class="nowrap">登录</td>`) {
		t.Errorf("the admin's audit page: %d", page.code)
	}
}
