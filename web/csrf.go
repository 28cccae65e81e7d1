package web

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"lingpao"
)

// csrfField is the hidden form field that carries the session's anti-forgery token.
const csrfField = "csrf"

// Body limits: ordinary forms are small; an upload may be as large as the workspace allows plus the
// multipart envelope.
const (
	formLimit         = 64 << 10
	multipartOverhead = 64 << 10
)

// errForged is what a request without the right token, or from another site, gets.
var errForged = lingpao.Errorf(lingpao.EUNAUTHORIZED, "页面已过期或请求来源不明，操作未执行：请刷新页面后重试。")

// checkCSRF accepts a state-changing request only when it comes from this site (Origin, else
// Referer, else Sec-Fetch-Site) and carries the session's token, compared in constant time.
func checkCSRF(r *http.Request, want string) error {
	if !sameOrigin(r) {
		return errForged
	}
	got := r.PostFormValue(csrfField)
	if got == "" || want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
		return errForged
	}
	return nil
}

// sameOrigin reports whether the request's Origin (else Referer) names this host. Browsers send
// Origin with every POST; a request with neither header relies on the token alone.
func sameOrigin(r *http.Request) bool {
	if site := r.Header.Get("Sec-Fetch-Site"); site == "cross-site" || site == "same-site" {
		return false
	}
	for _, h := range []string{"Origin", "Referer"} {
		v := r.Header.Get(h)
		if v == "" {
			continue
		}
		u, err := url.Parse(v)
		return err == nil && u.Host != "" && strings.EqualFold(u.Host, r.Host)
	}
	return true
}

// readForm reads the request's form — multipart for uploads — within max bytes. A body over the
// limit is refused before it is read when its length is declared, else when the limit is reached.
func (s *Server) readForm(w http.ResponseWriter, r *http.Request, max int64) error {
	multipart := strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data")
	tooLarge := func() error {
		if multipart {
			return errTooLarge{lingpao.Errorf(lingpao.EINVALID, "文件超过 %d MB 的上限，未上传：请删除无关内容（如图片、多余的工作表）后重新保存，再上传。", s.opt.MaxUploadMB)}
		}
		return errTooLarge{lingpao.Errorf(lingpao.EINVALID, "提交的内容过大，未处理。")}
	}
	if r.ContentLength > max {
		return tooLarge()
	}
	r.Body = http.MaxBytesReader(w, r.Body, max)
	var err error
	if multipart {
		err = r.ParseMultipartForm(8 << 20)
	} else {
		err = r.ParseForm()
	}
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return tooLarge()
	case err != nil:
		return lingpao.Errorf(lingpao.EINVALID, "提交的表单无法读取：请刷新页面后重试。")
	}
	return nil
}
