package web

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"lingpao"
	"lingpao/demo"
	"lingpao/jobs"
	"lingpao/sqlite"
)

// auditFilterAll selects the whole audit log of a test.
var auditFilterAll = sqlite.AuditFilter{Limit: 10000}

// fixture is a demo workspace (石家庄市, January to March 2025) built once by TestMain; each test
// works on its own copy.
var fixture string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "lingpao-web-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fixture = filepath.Join(dir, "demo")
	if _, err := demo.Run(context.Background(), demo.Options{Dir: fixture, Period: lingpao.MonthOf(2025, 3), Seed: 1, Version: "test"}); err != nil {
		fmt.Fprintln(os.Stderr, "demo workspace:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// The accounts every test site has.
const (
	adminName  = "张科长"
	staffName  = "李干事"
	leaderName = "王局长"
	password   = "lingpao-test-1"
)

// site is the web page over a fresh copy of the demo workspace, served on loopback.
type site struct {
	t   testing.TB
	w   *jobs.Workspace
	s   *Server
	srv *httptest.Server
	dir string
	// clock is the workspace's clock; it runs from the real time unless a test moves it.
	mu     sync.Mutex
	offset time.Duration
}

func newSite(t testing.TB, opt Options) *site {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ws")
	copyDir(t, fixture, dir)
	w, err := jobs.Open(context.Background(), dir, "test")
	if err != nil {
		t.Fatal(err)
	}
	st := &site{t: t, w: w, dir: dir}
	w.Now = st.now
	w.Store.Now = st.now
	for _, u := range []struct {
		name string
		role lingpao.Role
	}{{adminName, lingpao.UserAdmin}, {staffName, lingpao.UserStaff}, {leaderName, lingpao.UserLeader}} {
		h, err := HashPassword(password)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Store.CreateUser(context.Background(), &lingpao.User{Name: u.name, Role: u.role}, h); err != nil {
			t.Fatal(err)
		}
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(testWriter{t}, nil))
	}
	st.s, err = New(w, opt)
	if err != nil {
		t.Fatal(err)
	}
	st.srv = httptest.NewServer(st.s)
	t.Cleanup(func() {
		st.srv.Close()
		st.s.Close()
		w.Close()
	})
	return st
}

func (st *site) now() time.Time {
	st.mu.Lock()
	defer st.mu.Unlock()
	return time.Now().Add(st.offset)
}

// advance moves the workspace's clock forward.
func (st *site) advance(d time.Duration) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.offset += d
}

// testWriter sends the server's log to the test's log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// copyDir copies a workspace folder.
func copyDir(t testing.TB, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// browser is a plain HTTP client with its own cookies that does not follow redirects, so that tests
// see them.
type browser struct {
	t    testing.TB
	st   *site
	c    *http.Client
	base string
}

func (st *site) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: st.t, st: st, base: st.srv.URL, c: &http.Client{Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// login logs in as name and fails the test when that does not work.
func (st *site) login(name string) *browser {
	b := st.browser()
	res := b.tryLogin(name, password)
	if res.code != http.StatusSeeOther || res.header.Get("Location") != "/" {
		st.t.Fatalf("login %s: %d %s\n%s", name, res.code, res.header.Get("Location"), res.body)
	}
	return b
}

// response is what a request got back.
type response struct {
	code   int
	header http.Header
	body   string
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{code: res.StatusCode, header: res.Header, body: string(body)}
}

func (b *browser) get(path string) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.base+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// post sends a form as a browser on this site would: with the Origin header.
func (b *browser) post(path string, form url.Values) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.base)
	return b.do(req)
}

var csrfPattern = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// token returns the anti-forgery token of the page at path.
func (b *browser) token(path string) string {
	b.t.Helper()
	res := b.get(path)
	m := csrfPattern.FindStringSubmatch(res.body)
	if m == nil {
		b.t.Fatalf("no csrf token on %s (%d):\n%s", path, res.code, res.body)
	}
	return m[1]
}

func (b *browser) tryLogin(name, pw string) response {
	b.t.Helper()
	tok := b.token("/login")
	return b.post("/login", url.Values{"csrf": {tok}, "name": {name}, "password": {pw}, "next": {"/"}})
}

// upload posts a file to /upload as the form does.
func (b *browser) upload(org, name string, data []byte, csrf string) response {
	b.t.Helper()
	return b.multipart("/upload", map[string]string{"csrf": csrf, "org": org}, name, data)
}

// multipart posts a form with fields and a file field "file", as a browser on this site would.
func (b *browser) multipart(path string, fields map[string]string, name string, data []byte) response {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		b.t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.base+path, &buf)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", b.base)
	return b.do(req)
}

// inboxFiles lists what waits in the workspace's inbox.
func (st *site) inboxFiles() []string {
	var out []string
	filepath.WalkDir(st.w.Config.Path(lingpao.InboxDir), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, path)
		}
		return nil
	})
	return out
}

// county returns the code of the county called name.
func (st *site) county(name string) string {
	st.t.Helper()
	u, err := st.w.Catalog.Tree.Find(name)
	if err != nil {
		st.t.Fatal(err)
	}
	return u.Code
}
