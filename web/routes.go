package web

import (
	"net/http"
)

// routes is the whole site. Every page except the login page and the static files needs a session;
// every download is looked up by an id in the store (or the outbox listing), never by a path from the
// request.
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	upload := int64(s.opt.MaxUploadMB)<<20 + multipartOverhead
	read := func(h http.HandlerFunc) http.Handler { return s.guard(canRead, formLimit, h) }
	write := func(h http.HandlerFunc) http.Handler { return s.guard(canWrite, formLimit, h) }

	mux.Handle("GET /static/", http.StripPrefix("/static/", s.staticFiles()))
	mux.HandleFunc("GET /favicon.ico", http.NotFound) // browsers ask; the pages name /static/favicon.svg
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.loginSubmit)
	mux.Handle("POST /logout", read(s.logout))
	mux.Handle("GET /account", read(s.accountPage))
	mux.Handle("POST /account/password", read(s.changePassword))

	mux.Handle("GET /{$}", read(s.dashboard))
	mux.Handle("GET /submissions", read(s.submissionList))
	mux.Handle("GET /submissions/{id}", read(s.submissionDetail))
	mux.Handle("GET /submissions/{id}/original", read(s.downloadOriginal))
	mux.Handle("GET /submissions/{id}/receipt/{kind}", read(s.downloadReceipt))
	mux.Handle("GET /upload", s.guard(canWrite, formLimit, s.uploadPage))
	mux.Handle("POST /upload", s.guard(canWrite, upload, s.uploadSubmit))
	mux.Handle("GET /upload/pending/{sha}", write(s.uploadPending))
	mux.Handle("GET /targets", read(s.targetList))
	mux.Handle("GET /targets/export", read(s.targetsExport))
	mux.Handle("POST /targets/import", s.guard(canWrite, upload, s.targetsImport))
	mux.Handle("GET /escalations", read(s.escalations))
	mux.Handle("GET /issues", read(s.issueLedger))
	mux.Handle("GET /reports", read(s.reportList))
	mux.Handle("GET /reports/files/{id}", read(s.downloadReport))
	mux.Handle("POST /reports/generate", write(s.reportGenerate))
	mux.Handle("GET /reports/tasks/{id}", read(s.reportTask))
	mux.Handle("GET /reports/tasks/{id}/status", read(s.reportTaskStatus))
	mux.Handle("GET /reports/tasks/{id}/files/{n}", read(s.downloadTaskFile))
	mux.Handle("GET /grid", read(s.reportingGrid))
	mux.Handle("GET /review", read(s.reviewQueue))
	mux.Handle("GET /submissions/{id}/review", read(s.reviewPage))
	mux.Handle("POST /submissions/{id}/review", write(s.reviewSubmit))
	mux.Handle("GET /submissions/{id}/review/receipt", read(s.downloadReturnReceipt))
	mux.Handle("GET /remind", read(s.remindList))
	mux.Handle("POST /remind", write(s.remindSend))
	mux.Handle("GET /remind/{org}", read(s.remindCounty))
	mux.Handle("POST /remind/{org}/contacts", write(s.contactsSave))
	mux.Handle("GET /remind/files/{id}", read(s.downloadReminder))
	mux.Handle("GET /templates", read(s.templateList))
	mux.Handle("GET /templates/all", read(s.templateZip))
	mux.Handle("GET /templates/{org}", read(s.templateDownload))
	mux.Handle("GET /issues/export", read(s.issueExport))
	mux.Handle("GET /issues/{id}", read(s.issueDetail))
	mux.Handle("POST /issues/{id}/{action}", write(s.issueAction))
	mux.Handle("GET /counties", read(s.countyList))
	mux.Handle("GET /counties/{org}", read(s.countyPage))
	mux.Handle("GET /jobs", read(s.jobList))
	mux.Handle("GET /jobs/runs/{id}/files/{n}", read(s.downloadRunFile))
	mux.Handle("GET /audit", s.guard(canAdmin, formLimit, s.auditLog))
	mux.Handle("/", read(s.notFound))
	return mux
}

// staticFiles serves the embedded stylesheet and script; nothing on disk is reachable.
func (s *Server) staticFiles() http.Handler {
	fsrv := http.FileServerFS(s.static)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "" || r.URL.Path[len(r.URL.Path)-1] == '/' {
			http.NotFound(w, r) // no directory listings
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=3600")
		fsrv.ServeHTTP(w, r)
	})
}
