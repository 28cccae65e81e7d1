package web

import (
	"crypto/subtle"
	"net/http"
	"strings"

	"lingpao"
)

// loginCookie carries the login form's anti-forgery token before there is a session (double submit).
const loginCookie = "lingpao_login"

type loginView struct {
	Next    string
	Name    string
	Token   string
	Message string
	NoUsers bool
}

// loginPage shows the login form. A user already logged in goes on to the dashboard.
func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if _, err := s.session(r); err == nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	v := loginView{Next: safeNext(r.URL.Query().Get("next"))}
	if r.URL.Query().Get("expired") != "" {
		v.Message = "登录已失效，请重新登录后再操作。"
	}
	s.showLogin(w, r, http.StatusOK, v)
}

// showLogin renders the form with a fresh pre-session token.
func (s *Server) showLogin(w http.ResponseWriter, r *http.Request, status int, v loginView) {
	users, err := s.w.Store.Users(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	v.NoUsers = len(users) == 0
	// Keep the browser's token if it has one: the login page may be loaded again in the background
	// (another tab, a redirect), and a new token would void the form already shown.
	if c, err := r.Cookie(loginCookie); err == nil && len(c.Value) == len(newToken()) {
		v.Token = c.Value
	} else {
		v.Token = newToken()
		http.SetCookie(w, s.cookie(r, loginCookie, v.Token))
	}
	p := s.newPage(r, "登录", "")
	p.Data = v
	s.render(w, r, status, "login", p)
}

// loginSubmit checks the name and password. Wrong names and wrong passwords get the same answer and
// take the same time; five wrong passwords lock the name for five minutes.
func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	if err := s.readForm(w, r, formLimit); err != nil {
		s.error(w, r, err)
		return
	}
	name, pw := strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("password")
	v := loginView{Next: safeNext(r.PostFormValue("next")), Name: name}
	if !sameOrigin(r) {
		s.error(w, r, errForged)
		return
	}
	c, err := r.Cookie(loginCookie)
	tok := r.PostFormValue(csrfField)
	if err != nil || tok == "" || subtle.ConstantTimeCompare([]byte(c.Value), []byte(tok)) != 1 {
		// A stale form (or a forged one): nothing is checked, the form is shown again.
		v.Message = "登录页面已过期，请重新输入密码登录。"
		s.showLogin(w, r, http.StatusForbidden, v)
		return
	}
	now := s.now()
	if s.login.locked(name, now) {
		v.Message = "密码错误次数过多，该账号已暂停登录 5 分钟：请稍后再试，或联系管理员重设密码。"
		s.auditAs(r, 0, name, "login_failed", "暂停登录期间尝试登录")
		s.showLogin(w, r, http.StatusTooManyRequests, v)
		return
	}
	u, hash, err := s.w.Store.FindUserByName(r.Context(), name)
	if err != nil && lingpao.ErrorCode(err) != lingpao.ENOTFOUND {
		s.error(w, r, err)
		return
	}
	if err != nil {
		hash = s.dummyHash
	}
	if !checkPassword(hash, pw) || err != nil || u.Disabled {
		s.login.fail(name, now)
		s.auditAs(r, 0, name, "login_failed", "用户名或密码不正确")
		v.Message = "用户名或密码不正确。"
		s.showLogin(w, r, http.StatusUnauthorized, v)
		return
	}
	s.login.ok(name)
	if err := s.startSession(w, r, u); err != nil {
		s.error(w, r, err)
		return
	}
	http.SetCookie(w, s.clearCookie(r, loginCookie))
	s.auditAs(r, u.ID, u.Name, "login", "登录")
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
}

// logout ends the session.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	sess, _ := sessionFrom(r.Context())
	if err := s.w.Store.DeleteSession(r.Context(), sess.TokenHash); err != nil {
		s.error(w, r, err)
		return
	}
	s.audit(r, "logout", "退出登录")
	http.SetCookie(w, s.clearCookie(r, sessionCookie))
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

type accountView struct {
	Message string
	Error   string
}

// accountPage shows the user's account and the password form.
func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	p := s.newPage(r, "我的账号", "account")
	if r.URL.Query().Get("changed") != "" {
		p.Data = accountView{Message: "密码已修改。其他设备上的登录已失效。"}
	} else {
		p.Data = accountView{}
	}
	s.render(w, r, http.StatusOK, "account", p)
}

// changePassword sets a new password after checking the current one, and ends the user's other
// sessions.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) {
	sess, _ := sessionFrom(r.Context())
	fail := func(status int, msg string) {
		p := s.newPage(r, "我的账号", "account")
		p.Data = accountView{Error: msg}
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
	h, err := HashPassword(pw)
	if err != nil {
		if lingpao.ErrorCode(err) == lingpao.EINVALID {
			fail(http.StatusBadRequest, lingpao.ErrorMessage(err))
			return
		}
		s.error(w, r, err)
		return
	}
	if err := s.w.Store.SetPassword(r.Context(), sess.User.ID, h, sess.TokenHash); err != nil {
		s.error(w, r, err)
		return
	}
	s.audit(r, "password", "修改密码")
	http.Redirect(w, r, "/account?changed=1", http.StatusSeeOther)
}
