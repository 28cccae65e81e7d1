package web

import (
	"crypto/subtle"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
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
// take the same time. Guessing is slowed per address and per account (throttle.go), never so that the
// owner of an account is locked out by someone else's guesses.
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
	client := clientKey(r)
	device := s.deviceID(r, name, now)
	if no := s.login.check(client, name, device, now); no != nil {
		if no.account {
			v.Message = fmt.Sprintf("该账号近期多次登录失败，为防止他人猜测密码已放慢登录：请 %s后再试。如果是您本人，可换用曾经登录过的电脑，或请管理员重设密码。", waitText(no.wait))
		} else {
			v.Message = fmt.Sprintf("这台电脑（%s）登录失败次数过多，已暂停登录：请 %s后再试，或联系管理员。", remoteIP(r), waitText(no.wait))
		}
		if no.first {
			s.auditAs(r, 0, name, "login_failed", "登录受限期间尝试登录")
		}
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(no.wait.Seconds()))))
		s.showLogin(w, r, http.StatusTooManyRequests, v)
		return
	}
	u, hash, err := s.w.Store.FindUserByName(r.Context(), name)
	if err != nil && lingpao.ErrorCode(err) != lingpao.ENOTFOUND {
		s.error(w, r, err)
		return
	}
	real := err == nil
	if !real {
		hash = s.dummyHash
	}
	if !checkPassword(hash, pw) || !real || u.Disabled {
		s.login.fail(client, name, real, device, now)
		s.auditAs(r, 0, name, "login_failed", "用户名或密码不正确")
		v.Message = "用户名或密码不正确。"
		s.showLogin(w, r, http.StatusUnauthorized, v)
		return
	}
	s.login.ok(name, device)
	if err := s.startSession(w, r, u); err != nil {
		s.error(w, r, err)
		return
	}
	http.SetCookie(w, s.clearCookie(r, loginCookie))
	s.setDeviceCookie(w, r, u.Name, now)
	s.auditAs(r, u.ID, u.Name, "login", "登录")
	if u.MustChangePassword {
		http.Redirect(w, r, "/account?first=1&next="+url.QueryEscape(v.Next), http.StatusSeeOther)
		return
	}
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
