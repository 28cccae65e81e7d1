package web

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"strings"

	"lingpao"
)

// The accounts page (admins only): add an account, reset its password, change its role, disable or
// enable it. A password set here is a one-time password, shown once: its owner must replace it at
// the first login.

type userRow struct {
	lingpao.User
	Self bool
}

type usersView struct {
	Rows  []userRow
	Roles []option
	// Name and Role refill the add form after a refusal.
	Name, Role string
	Message    string
	Error      string
	// OneTime is the password just set, shown once, for the account named For.
	OneTime, For string
}

// userPage shows the accounts.
func (s *Server) userPage(w http.ResponseWriter, r *http.Request) {
	s.showUsers(w, r, http.StatusOK, usersView{})
}

func (s *Server) showUsers(w http.ResponseWriter, r *http.Request, status int, v usersView) {
	p := s.newPage(r, "账号管理", "users")
	p.Path = "/users" // the period picker reloads the page, not the form's address
	if err := s.withPeriod(r, p); err != nil {
		s.error(w, r, err)
		return
	}
	users, err := s.w.Store.Users(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	for _, u := range users {
		v.Rows = append(v.Rows, userRow{User: u, Self: u.ID == p.User.ID})
	}
	for _, role := range lingpao.Roles {
		v.Roles = append(v.Roles, option{string(role), role.Label()})
	}
	if v.Role == "" {
		v.Role = string(lingpao.UserStaff)
	}
	p.Data = v
	s.render(w, r, status, "users", p)
}

// userAdd creates an account with a one-time password.
func (s *Server) userAdd(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	v := usersView{Name: name, Role: r.PostFormValue("role")}
	refuse := func(err error) {
		if code := lingpao.ErrorCode(err); code != lingpao.EINVALID && code != lingpao.ECONFLICT {
			s.error(w, r, err)
			return
		}
		v.Error = lingpao.ErrorMessage(err)
		s.showUsers(w, r, http.StatusBadRequest, v)
	}
	if err := lingpao.ValidateUserName(name); err != nil {
		refuse(err)
		return
	}
	role, err := lingpao.ParseRole(v.Role)
	if err != nil {
		refuse(err)
		return
	}
	pw := newPassword(name)
	hash, err := HashPassword(pw)
	if err != nil {
		s.error(w, r, err)
		return
	}
	u := lingpao.User{Name: name, Role: role, MustChangePassword: true}
	if err := s.w.Store.CreateUser(r.Context(), &u, hash); err != nil {
		refuse(err)
		return
	}
	s.audit(r, "user_add", fmt.Sprintf("新建账号「%s」（%s）", u.Name, role.Label()))
	s.showUsers(w, r, http.StatusOK, usersView{Message: fmt.Sprintf("已建立账号「%s」（%s）。", u.Name, role.Label()), OneTime: pw, For: u.Name})
}

// userChange resets the password, changes the role, or disables or enables the account {id}.
func (s *Server) userChange(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := parseID(r.PathValue("id"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	u, _, err := s.w.Store.FindUser(ctx, id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	sess, _ := sessionFrom(ctx)
	self := u.ID == sess.User.ID
	refuse := func(err error) {
		if code := lingpao.ErrorCode(err); code != lingpao.EINVALID && code != lingpao.ECONFLICT {
			s.error(w, r, err)
			return
		}
		s.showUsers(w, r, http.StatusBadRequest, usersView{Error: lingpao.ErrorMessage(err)})
	}
	switch action := r.PathValue("action"); action {
	case "reset":
		if self {
			refuse(lingpao.Errorf(lingpao.EINVALID, "不能在这里重设自己的密码：请在“我的账号”中修改。"))
			return
		}
		pw := newPassword(u.Name)
		hash, err := HashPassword(pw)
		if err != nil {
			s.error(w, r, err)
			return
		}
		if err := s.w.Store.SetPassword(ctx, u.ID, hash, "", true); err != nil {
			s.error(w, r, err)
			return
		}
		s.audit(r, "user_reset", fmt.Sprintf("重设「%s」的密码（一次性密码）", u.Name))
		s.showUsers(w, r, http.StatusOK, usersView{Message: fmt.Sprintf("已重设「%s」的密码，其所有登录已失效。", u.Name), OneTime: pw, For: u.Name})
	case "role":
		role, err := lingpao.ParseRole(r.PostFormValue("role"))
		if err != nil {
			refuse(err)
			return
		}
		if role == u.Role {
			http.Redirect(w, r, "/users", http.StatusSeeOther)
			return
		}
		if err := s.w.Store.SetUserRole(ctx, u.ID, role); err != nil {
			refuse(err)
			return
		}
		s.audit(r, "user_role", fmt.Sprintf("「%s」的角色由%s改为%s", u.Name, u.Role.Label(), role.Label()))
		s.showUsers(w, r, http.StatusOK, usersView{Message: fmt.Sprintf("「%s」的角色已改为%s。", u.Name, role.Label())})
	case "disable", "enable":
		disable := action == "disable"
		if self && disable {
			refuse(lingpao.Errorf(lingpao.EINVALID, "不能停用自己的账号：请由另一位管理员操作。"))
			return
		}
		if err := s.w.Store.SetUserDisabled(ctx, u.ID, disable); err != nil {
			refuse(err)
			return
		}
		if disable {
			s.audit(r, "user_disable", fmt.Sprintf("停用账号「%s」", u.Name))
			s.showUsers(w, r, http.StatusOK, usersView{Message: fmt.Sprintf("已停用「%s」，其所有登录已失效。", u.Name)})
		} else {
			s.audit(r, "user_enable", fmt.Sprintf("启用账号「%s」", u.Name))
			s.showUsers(w, r, http.StatusOK, usersView{Message: fmt.Sprintf("已启用「%s」。", u.Name)})
		}
	default:
		s.error(w, r, errNotFound)
	}
}

// newPassword returns a one-time password for the account called name: 12 characters from an
// alphabet without look-alikes (0/O, 1/l/I), meeting the password policy.
func newPassword(name string) string {
	const alphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	const limit = 256 - 256%len(alphabet) // bytes at or above it would favour the first letters
	for {
		out := make([]byte, 0, 12)
		buf := make([]byte, 32)
		for len(out) < cap(out) {
			if _, err := rand.Read(buf); err != nil {
				panic(err) // crypto/rand does not fail on supported platforms
			}
			for _, c := range buf {
				if int(c) < limit && len(out) < cap(out) {
					out = append(out, alphabet[int(c)%len(alphabet)])
				}
			}
		}
		if pw := string(out); lingpao.ValidatePassword(name, pw) == nil {
			return pw
		}
	}
}
