package web

import (
	"fmt"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"lingpao"
)

// contentTypes are the types of the files the page hands out, by extension.
var contentTypes = map[string]string{
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pdf":  "application/pdf",
	".json": "application/json",
	".txt":  "text/plain; charset=utf-8",
	".csv":  "text/csv; charset=utf-8",
}

// serveFile sends the workspace file at path as an attachment called name. The path comes from the
// store or a listing, never from the request; it must still lie inside the workspace and be a regular
// file, or the answer is ENOTFOUND.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, path, name string) {
	root, err := filepath.Abs(s.w.Config.Dir)
	if err != nil {
		s.error(w, r, err)
		return
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		s.error(w, r, err)
		return
	}
	gone := lingpao.Errorf(lingpao.ENOTFOUND, "文件「%s」已不在工作目录中（可能已被移走或删除）：请联系管理员。", name)
	if rel, err := filepath.Rel(root, abs); err != nil || !filepath.IsLocal(rel) {
		s.error(w, r, gone)
		return
	}
	info, err := os.Lstat(abs)
	if err != nil || !info.Mode().IsRegular() {
		s.error(w, r, gone)
		return
	}
	f, err := os.Open(abs)
	if err != nil {
		s.error(w, r, gone)
		return
	}
	defer f.Close()
	if whole(r) {
		rel, _ := filepath.Rel(root, abs)
		s.audit(r, "download", fmt.Sprintf("下载 %s（%s）", name, filepath.ToSlash(rel)))
	}
	s.sendFile(w, r, f, info, name)
}

// whole reports whether r asks for a file from its start: a download, not a viewer's range request
// for a later part of it (recorded once, not per part).
func whole(r *http.Request) bool {
	rg := r.Header.Get("Range")
	return r.Method == http.MethodGet && (rg == "" || strings.HasPrefix(rg, "bytes=0-"))
}

// sendFile sends an open file as an attachment called name.
func (s *Server) sendFile(w http.ResponseWriter, r *http.Request, f *os.File, info os.FileInfo, name string) {
	ct, ok := contentTypes[strings.ToLower(filepath.Ext(name))]
	if !ok {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Cache-Control", "private, no-cache")
	http.ServeContent(w, r, "", info.ModTime(), f)
}
