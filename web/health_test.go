package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"lingpao"
	"lingpao/jobs"
	"lingpao/sqlite"
)

func TestHealthzDetailsForAdminsOnly(t *testing.T) {
	health := jobs.Health{OK: false, Problems: []lingpao.Alarm{{Problem: lingpao.Problem{Key: "run/monthly/2025-10-08T01:00:00Z",
		Title: "任务 monthly（2025-10-08 09:00）失败", Detail: "open /srv/lingpao/outbox: permission denied", Action: "lingpao jobs rerun 12"}}}}
	st := newSite(t, Options{Health: func(context.Context) (jobs.Health, error) { return health, nil }})
	check := func(who string, b *browser, wantCode int, wantDetails bool) {
		t.Helper()
		res := b.get("/healthz")
		if res.code != wantCode {
			t.Errorf("%s: %d, want %d", who, res.code, wantCode)
		}
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options"} {
			if res.header.Get(h) == "" {
				t.Errorf("%s: no %s header", who, h)
			}
		}
		leaks := strings.Contains(res.body, "monthly") || strings.Contains(res.body, "permission denied")
		if leaks != wantDetails {
			t.Errorf("%s: details shown %v, want %v:\n%s", who, leaks, wantDetails, res.body)
		}
		if wantDetails {
			var h jobs.Health
			if err := json.Unmarshal([]byte(res.body), &h); err != nil || h.OK || len(h.Problems) != 1 {
				t.Errorf("%s: %q is not the health as JSON: %v", who, res.body, err)
			}
		} else if res.body != "unavailable\n" && res.body != "ok\n" {
			t.Errorf("%s: body %q", who, res.body)
		}
	}
	check("anonymous", st.browser(), http.StatusServiceUnavailable, false)
	check("staff", st.login(staffName), http.StatusServiceUnavailable, false)
	check("leader", st.login(leaderName), http.StatusServiceUnavailable, false)
	check("admin", st.login(adminName), http.StatusServiceUnavailable, true)
	health = jobs.Health{OK: true, Problems: []lingpao.Alarm{}}
	if res := st.browser().get("/healthz"); res.code != http.StatusOK || res.body != "ok\n" {
		t.Errorf("healthy, anonymous: %d %q", res.code, res.body)
	}
	if res := st.login(adminName).get("/healthz"); res.code != http.StatusOK || !strings.Contains(res.body, `"ok":true`) {
		t.Errorf("healthy, admin: %d %q", res.code, res.body)
	}
}

func TestForeignHostIsRefused(t *testing.T) {
	st := newSite(t, Options{AllowedHosts: []string{"lingpao.example.gov.cn", "127.0.0.1"}})
	b := st.browser()
	for _, tc := range []struct {
		host string
		code int
	}{
		{"evil.example", http.StatusMisdirectedRequest},
		{"evil.example:" + strings.Split(st.srv.URL, ":")[2], http.StatusMisdirectedRequest},
		{"lingpao.example.gov.cn.evil.example", http.StatusMisdirectedRequest},
		{"LINGPAO.example.gov.cn:8443", http.StatusOK},
		{"lingpao.example.gov.cn.", http.StatusOK},
	} {
		for _, path := range []string{"/login", "/healthz", "/static/style.css"} {
			req, _ := http.NewRequest(http.MethodGet, st.srv.URL+path, nil)
			req.Host = tc.host
			res := b.do(req)
			if res.code != tc.code {
				t.Errorf("Host %q %s: %d, want %d", tc.host, path, res.code, tc.code)
			}
			if tc.code != http.StatusOK && (res.header.Get("X-Frame-Options") == "" || !strings.Contains(res.body, "allowed_hosts")) {
				t.Errorf("Host %q: the refusal lacks headers or the way out:\n%s", tc.host, res.body)
			}
		}
	}
	// The address the test server has (127.0.0.1) is on the list: the page works.
	st.login(staffName)
	// Without a list every name is served.
	open := newSite(t, Options{})
	req, _ := http.NewRequest(http.MethodGet, open.srv.URL+"/login", nil)
	req.Host = "anything.example"
	if res := open.browser().do(req); res.code != http.StatusOK {
		t.Errorf("no allow-list: %d", res.code)
	}
}

func TestHealthHandlerWithoutThePage(t *testing.T) {
	h := HealthHandler(func(context.Context) (jobs.Health, error) {
		return jobs.Health{OK: false, Problems: []lingpao.Alarm{{Problem: lingpao.Problem{Key: "job/poll", Title: "任务 poll 失败", Detail: "secret detail"}}}}, nil
	}, []string{"localhost"}, t.Logf)
	for _, tc := range []struct {
		host, path string
		code       int
	}{{"localhost:8080", "/healthz", 503}, {"localhost", "/", 404}, {"evil.example", "/healthz", 421}} {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, tc.path, nil)
		req.Host = tc.host
		h.ServeHTTP(rec, req)
		if rec.Code != tc.code || rec.Header().Get("Content-Security-Policy") == "" || strings.Contains(rec.Body.String(), "secret") {
			t.Errorf("%s %s: %d %q", tc.host, tc.path, rec.Code, rec.Body.String())
		}
	}
}

// TestDownloadsAreAudited: every file handed out — an original, a receipt, a report — is recorded
// with who took it; a viewer's request for a later part of the same file is not recorded again.
func TestDownloadsAreAudited(t *testing.T) {
	st := newSite(t, Options{})
	b := st.login(leaderName)
	sub := st.rejected()
	for _, path := range []string{"/submissions/" + itoa(sub.ID) + "/original", "/submissions/" + itoa(sub.ID) + "/receipt/xlsx"} {
		if res := b.get(path); res.code != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.code)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, b.base+"/submissions/"+itoa(sub.ID)+"/original", nil)
	req.Header.Set("Range", "bytes=100-200")
	if res := b.do(req); res.code != http.StatusPartialContent {
		t.Fatalf("range request: %d", res.code)
	}
	es, err := st.w.Store.FindAudit(context.Background(), sqlite.AuditFilter{Action: "download"})
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 2 || es[0].UserName != leaderName || !strings.Contains(es[1].Detail, sub.FileName) || !strings.Contains(es[1].Detail, "archive/") {
		t.Errorf("downloads in the audit log: %+v", es)
	}
	page := st.login(adminName).get("/audit?action=download&user=" + leaderName)
	if !strings.Contains(page.body, "共 2 条") {
		t.Error("the audit page does not list the leader's downloads")
	}
}
