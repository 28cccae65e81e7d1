package web

import (
	"net/http"

	"lingpao"
)

type accountView struct {
	Message string
	Error   string
	// First is set while the password is a one-time password that must be changed first.
	First bool
	Next  string
	// MinLen is the password policy's minimum length.
	MinLen int
}

// accountPage shows the user's account and the password form. While the account's password is a
// one-time password, every page leads here until it is changed.
func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "我的账号", "account")
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	v := accountView{First: p.User.MustChangePassword, Next: safeNext(r.URL.Query().Get("next")), MinLen: lingpao.MinPasswordLen}
	if r.URL.Query().Get("changed") != "" {
		v.Message = "密码已修改。其他设备上的登录已失效。"
	}
	p.Data = v
	s.render(w, r, http.StatusOK, "account", p)
}

// changePassword sets a new password after checking the current one against the password policy,
// ends the user's other sessions, and clears a one-time password's mark.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	sess, _ := sessionFrom(r.Context())
	next := safeNext(r.PostFormValue("next"))
	fail := func(status int, msg string) {
		p := s.newPage(r, "我的账号", "account")
		p.Path = "/account" // the period picker reloads the page, not the form's address
		if err := s.withPeriod(r, p); err != nil {
			s.error(w, r, err)
			return
		}
		p.Data = accountView{Error: msg, First: sess.User.MustChangePassword, Next: next, MinLen: lingpao.MinPasswordLen}
		s.render(w, r, status, "account", p)
	}
	_, hash, err := s.w.Store.FindUser(r.Context(), sess.User.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if !checkPassword(hash, r.PostFormValue("current")) {
		fail(http.StatusBadRequest, "当前密码不正确，密码未修改。")
		return
	}
	pw := r.PostFormValue("new")
	if pw != r.PostFormValue("confirm") {
		fail(http.StatusBadRequest, "两次输入的新密码不一致，密码未修改。")
		return
	}
	if pw == r.PostFormValue("current") {
		fail(http.StatusBadRequest, "新密码不能与当前密码相同，密码未修改。")
		return
	}
	if err := lingpao.ValidatePassword(sess.User.Name, pw); err != nil {
		fail(http.StatusBadRequest, lingpao.ErrorMessage(err)+"密码未修改。")
		return
	}
	h, err := HashPassword(pw)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.w.Store.SetPassword(r.Context(), sess.User.ID, h, sess.TokenHash, false); err != nil {
		s.error(w, r, err)
		return
	}
	s.audit(r, "password", "修改密码")
	if sess.User.MustChangePassword && next != "/" {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/account?changed=1", http.StatusSeeOther)
}
