package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"lingpao"
	"lingpao/sqlite"
)

// sessionCookie names the session cookie; its value is a random token whose SHA-256 the store keeps.
const sessionCookie = "lingpao_session"

// HashPassword returns the bcrypt hash of a password. It checks only what bcrypt needs (at most
// lingpao.MaxPasswordBytes bytes): a new password is checked against the password policy with
// lingpao.ValidatePassword first.
func HashPassword(pw string) (string, error) {
	if len(pw) > lingpao.MaxPasswordBytes {
		return "", lingpao.Errorf(lingpao.EINVALID, "密码太长（最多 %d 个字节）：请缩短。", lingpao.MaxPasswordBytes)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	if err != nil {
		return "", err
	}
	return string(h), nil
}

// checkPassword reports whether pw matches the bcrypt hash.
func checkPassword(hash, pw string) bool {
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// newToken returns 32 random bytes, URL-safe base64.
func newToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashToken(tok string) string {
	h := sha256.Sum256([]byte(tok))
	return hex.EncodeToString(h[:])
}

type sessionKey struct{}

// sessionFrom returns the session a guarded handler runs under.
func sessionFrom(ctx context.Context) (sqlite.Session, bool) {
	s, ok := ctx.Value(sessionKey{}).(sqlite.Session)
	return s, ok
}

// access is what a route needs.
type access int

const (
	canRead  access = iota // any logged-in user
	canWrite               // admin or staff: upload, generate, import
	canAdmin               // admin: the audit log
)

// passwordPaths are the pages an account with a one-time password may open.
var passwordPaths = map[string]bool{"/account": true, "/account/password": true, "/logout": true}

// guard runs h for a logged-in user with the access a needs. Without a valid session a GET is sent to
// the login page and anything else refused; a user without the role gets 403; a state-changing
// request must carry the session's anti-forgery token and come from this site (csrf.go). maxBody
// caps the request body.
func (s *Server) guard(a access, maxBody int64, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, err := s.session(r)
		if lingpao.ErrorCode(err) == lingpao.ENOTFOUND {
			s.toLogin(w, r)
			return
		} else if err != nil {
			s.error(w, r, err)
			return
		}
		ctx := context.WithValue(r.Context(), sessionKey{}, sess)
		r = r.WithContext(ctx)
		if sess.User.MustChangePassword && !passwordPaths[r.URL.Path] {
			// A one-time password opens only the form that replaces it.
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				next := r.URL.Path
				if r.URL.RawQuery != "" {
					next += "?" + r.URL.RawQuery
				}
				http.Redirect(w, r, "/account?first=1&next="+url.QueryEscape(next), http.StatusSeeOther)
				return
			}
			s.error(w, r, lingpao.Errorf(lingpao.EUNAUTHORIZED, "请先在“我的账号”中把一次性密码改为您本人的密码，再进行其他操作。"))
			return
		}
		switch {
		case a == canWrite && !sess.User.Role.CanWrite():
			s.error(w, r, lingpao.Errorf(lingpao.EUNAUTHORIZED, "您的账号（%s）只能查看和下载，不能上传、生成或导入。如需办理，请联系工作人员。", sess.User.Role.Label()))
			return
		case a == canAdmin && !sess.User.Role.CanAdmin():
			s.error(w, r, lingpao.Errorf(lingpao.EUNAUTHORIZED, "此页面仅管理员可以查看。"))
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if err := s.readForm(w, r, maxBody); err != nil {
				s.error(w, r, err)
				return
			}
			if err := checkCSRF(r, sess.CSRF); err != nil {
				s.error(w, r, err)
				return
			}
		}
		h(w, r)
	})
}

// session returns the session of the request's cookie, or ENOTFOUND. It moves the idle expiry at
// most once a minute and ends sessions older than SessionMax.
func (s *Server) session(r *http.Request) (sqlite.Session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return sqlite.Session{}, lingpao.Errorf(lingpao.ENOTFOUND, "请先登录。")
	}
	ctx, now := r.Context(), s.now()
	sess, err := s.w.Store.FindSession(ctx, hashToken(c.Value), now)
	if err != nil {
		return sess, err
	}
	if now.Sub(sess.CreatedAt) >= s.opt.SessionMax {
		if err := s.w.Store.DeleteSession(ctx, sess.TokenHash); err != nil {
			return sess, err
		}
		return sess, lingpao.Errorf(lingpao.ENOTFOUND, "登录已超过有效期，请重新登录。")
	}
	if now.Sub(sess.SeenAt) >= time.Minute {
		if err := s.w.Store.TouchSession(ctx, sess.TokenHash, now, now.Add(s.opt.SessionIdle)); err != nil {
			return sess, err
		}
	}
	return sess, nil
}

// toLogin sends a request without a session to the login page, remembering where it was going; a
// request that changes something is refused instead, since its form cannot be replayed.
func (s *Server) toLogin(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.SetCookie(w, s.clearCookie(r, sessionCookie))
		http.Redirect(w, r, "/login?expired=1", http.StatusSeeOther)
		return
	}
	next := r.URL.Path
	if r.URL.RawQuery != "" {
		next += "?" + r.URL.RawQuery
	}
	http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
}

// startSession logs user in: a fresh token (never one the browser brought), its anti-forgery token,
// and the cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u lingpao.User) error {
	now := s.now()
	tok := newToken()
	sess := sqlite.Session{TokenHash: hashToken(tok), User: u, CSRF: newToken(), CreatedAt: now, SeenAt: now,
		ExpiresAt: now.Add(s.opt.SessionIdle), Remote: remoteIP(r)}
	if err := s.w.Store.CreateSession(r.Context(), sess); err != nil {
		return err
	}
	// Logins are rare: a good moment to forget the sessions that have expired.
	if _, err := s.w.Store.DeleteExpiredSessions(r.Context(), now); err != nil {
		s.log.Error("delete expired sessions", "err", err)
	}
	http.SetCookie(w, s.cookie(r, sessionCookie, tok))
	return nil
}

// cookie returns a session-lifetime cookie: HttpOnly, SameSite=Lax, Secure over TLS or when
// configured.
func (s *Server) cookie(r *http.Request, name, value string) *http.Cookie {
	return &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.opt.SecureCookies || r.TLS != nil}
}

func (s *Server) clearCookie(r *http.Request, name string) *http.Cookie {
	c := s.cookie(r, name, "")
	c.MaxAge = -1
	return c
}

// remoteIP is the peer's address (a proxy's X-Forwarded-For is not trusted).
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// audit records an action of the request's user; a failure to record is logged, not shown.
func (s *Server) audit(r *http.Request, action, detail string) {
	sess, _ := sessionFrom(r.Context())
	s.auditAs(r, sess.User.ID, sess.User.Name, action, detail)
}

// auditAs records an action of the named user (who may not be logged in: a login, a failed one).
func (s *Server) auditAs(r *http.Request, userID int64, userName, action, detail string) {
	e := sqlite.AuditEntry{UserID: userID, UserName: userName, Action: action, Detail: detail, Remote: remoteIP(r), At: s.now()}
	if err := s.w.Store.AddAudit(r.Context(), e); err != nil {
		s.log.Error("audit", "action", action, "err", err)
	}
}

// safeNext returns next when it is a path on this site, else "/".
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return next
}
