// Package web serves the staff web page (PRODUCT §10): who reported, what is wrong, what is lagging,
// and reports on demand. It is server-rendered with html/template over a Go 1.22 ServeMux, with its
// templates, stylesheet and a little vanilla JavaScript embedded; accounts, sessions and the audit log
// live in the workspace's store.
package web

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"lingpao"
	"lingpao/ingest"
	"lingpao/jobs"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options configure the web page.
type Options struct {
	// SecureCookies marks the session cookie Secure. Set it when a TLS-terminating proxy sits in
	// front; requests that arrive over TLS get Secure cookies anyway.
	SecureCookies bool
	// SessionIdle ends a session after this long without a request (default 8 hours); SessionMax
	// ends it this long after login whatever the activity (default 7 days).
	SessionIdle time.Duration
	SessionMax  time.Duration
	// MaxUploadMB caps an uploaded return; 0 means the workspace's inbox.max_file_mb.
	MaxUploadMB int
	// Poll runs one inbox poll. Nil means the workspace's own ingester; `serve` passes the poll it
	// schedules, so that the page and the scheduler never poll at the same time.
	Poll func(ctx context.Context) ([]ingest.Result, error)
	// Logger receives internal errors (never shown to users); nil means slog.Default().
	Logger *slog.Logger
	// Health is what /healthz reports (service mode's jobs.Service.Health); nil answers healthy.
	Health func(ctx context.Context) (jobs.Health, error)
	// AllowedHosts are the host names the page answers to (the Host header, port ignored); others
	// get 421. Empty allows any name.
	AllowedHosts []string
}

// Server is the staff web page over one workspace. It owns the background report generations it
// starts: Close cancels them and waits.
type Server struct {
	w       *jobs.Workspace
	opt     Options
	mux     *http.ServeMux
	pages   map[string]*template.Template
	log     *slog.Logger
	static  fs.FS
	hosts   hosts
	login   *loginThrottle
	pollMu  sync.Mutex    // one upload's inbox polls at a time
	genSlot chan struct{} // one report generation at a time: the machine is small
	// dummyHash is compared against when a user does not exist, so that a wrong name takes as long
	// as a wrong password.
	dummyHash string

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New returns the web page over workspace w. Reports left queued or running by a previous process
// are marked failed: they are run only by the process that queued them.
func New(w *jobs.Workspace, opt Options) (_ *Server, err error) {
	defer lingpao.Wrap(&err, "web.New")
	if opt.SessionIdle <= 0 {
		opt.SessionIdle = 8 * time.Hour
	}
	if opt.SessionMax <= 0 {
		opt.SessionMax = 7 * 24 * time.Hour
	}
	if opt.MaxUploadMB <= 0 {
		opt.MaxUploadMB = w.Config.Inbox.MaxFileMB
	}
	if opt.MaxUploadMB <= 0 {
		opt.MaxUploadMB = 50
	}
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Poll == nil {
		ing := w.Ingester()
		opt.Poll = ing.Poll
	}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	// Catalog.Indicator builds its index on first use; build it now, before requests read it
	// concurrently.
	w.Catalog.Indicator("")
	s := &Server{w: w, opt: opt, log: opt.Logger, static: static, hosts: hostSet(opt.AllowedHosts), login: newLoginThrottle(), genSlot: make(chan struct{}, 1)}
	if s.dummyHash, err = HashPassword(newToken()); err != nil {
		return nil, err
	}
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	if _, err := w.Store.FailUnfinishedReportTasks(context.Background(), "服务重启，生成中断：请重新点击“立即生成”。"); err != nil {
		return nil, err
	}
	s.mux = s.routes()
	return s, nil
}

// ServeHTTP serves the page with the security headers every response carries, to the allowed host
// names only.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	securityHeaders(w.Header())
	if !s.hosts.allows(r.Host) {
		refuseHost(w, r)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// Close cancels the report generations still running and waits for them to stop.
func (s *Server) Close() error {
	s.cancel()
	s.wg.Wait()
	return nil
}

// now is the workspace's clock.
func (s *Server) now() time.Time {
	if s.w.Now != nil {
		return s.w.Now()
	}
	return time.Now()
}

// parsePages parses each page template together with the layout, so that every page has its own
// "content" block.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := n[len("templates/") : len(n)-len(".html")]
		if base == "layout" || base == "partials" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html", n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", base, err)
		}
		pages[base] = t
	}
	return pages, nil
}
