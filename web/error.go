package web

import (
	"errors"
	"net/http"

	"lingpao"
)

// statusOf maps lingpao's error codes to HTTP statuses — the one table of the web adapter.
var statusOf = map[string]int{
	lingpao.EINVALID:      http.StatusBadRequest,
	lingpao.ENOTFOUND:     http.StatusNotFound,
	lingpao.ECONFLICT:     http.StatusConflict,
	lingpao.EUNAUTHORIZED: http.StatusForbidden,
	lingpao.EINTERNAL:     http.StatusInternalServerError,
	lingpao.ENOSPACE:      http.StatusServiceUnavailable,
}

// errTooLarge marks an upload over the size limit (413); its message says the limit.
type errTooLarge struct{ err *lingpao.Error }

func (e errTooLarge) Error() string { return e.err.Error() }
func (e errTooLarge) Unwrap() error { return e.err }

// error renders err as a page in plain Chinese with the status its code maps to. Internal errors are
// logged with their whole chain and shown only as "内部错误".
func (s *Server) error(w http.ResponseWriter, r *http.Request, err error) {
	err = lingpao.ExplainDisk(err, s.w.Config.Dir)
	code := lingpao.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	var big errTooLarge
	if errors.As(err, &big) {
		status = http.StatusRequestEntityTooLarge
	}
	msg := lingpao.ErrorMessage(err)
	if code == lingpao.EINTERNAL {
		s.log.Error("web request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	p := s.newPage(r, "出错了", "")
	p.Data = struct {
		Status  int
		Message string
	}{status, msg}
	s.render(w, r, status, "error", p)
}

// errorText is error for requests that expect no page (the task status poll).
func (s *Server) errorText(w http.ResponseWriter, r *http.Request, err error) {
	err = lingpao.ExplainDisk(err, s.w.Config.Dir)
	code := lingpao.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	if code == lingpao.EINTERNAL {
		s.log.Error("web request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	http.Error(w, lingpao.ErrorMessage(err), status)
}

// errNotFound is the answer for a path no route matches.
var errNotFound = lingpao.Errorf(lingpao.ENOTFOUND, "页面不存在：请从左侧菜单进入。")
