package lingpao

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Role is what a user of the staff web page may do (PRODUCT §10).
type Role string

// The roles.
const (
	// UserAdmin may do everything staff may, and read the audit log.
	UserAdmin Role = "admin"
	// UserStaff runs the cycle: uploads returns on behalf of counties, generates reports, imports
	// targets.
	UserStaff Role = "staff"
	// UserLeader reads and downloads; it changes nothing.
	UserLeader Role = "leader"
)

// Roles lists the roles in order of power.
var Roles = []Role{UserAdmin, UserStaff, UserLeader}

// ParseRole returns the role named s (admin, staff or leader).
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == strings.TrimSpace(s) {
			return r, nil
		}
	}
	return "", Errorf(EINVALID, "角色「%s」不存在：请填 admin（管理员）、staff（工作人员）或 leader（领导，只读）。", s)
}

// Label returns the Chinese name of the role.
func (r Role) Label() string {
	switch r {
	case UserAdmin:
		return "管理员"
	case UserStaff:
		return "工作人员"
	case UserLeader:
		return "领导（只读）"
	}
	return string(r)
}

// CanWrite reports whether the role may change things: upload returns, generate reports, import
// targets.
func (r Role) CanWrite() bool { return r == UserAdmin || r == UserStaff }

// CanAdmin reports whether the role may read the audit log.
func (r Role) CanAdmin() bool { return r == UserAdmin }

// User is an account of the staff web page.
type User struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	CreatedAt time.Time `json:"created_at"`
	Disabled  bool      `json:"disabled,omitempty"`
}

// Password length limits. bcrypt reads at most 72 bytes; a longer password would be silently cut.
const (
	MinPasswordLen   = 8
	MaxPasswordBytes = 72
)

// ValidateUserName checks a login name: 1–32 characters, no spaces or control characters.
func ValidateUserName(name string) error {
	n := utf8.RuneCountInString(name)
	if n == 0 || n > 32 {
		return Errorf(EINVALID, "用户名应为 1–32 个字符。")
	}
	for _, r := range name {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == utf8.RuneError {
			return Errorf(EINVALID, "用户名「%s」不能含空格或控制字符。", name)
		}
	}
	return nil
}

// ValidatePassword checks a new password: at least MinPasswordLen characters, at most
// MaxPasswordBytes bytes, and not one character repeated.
func ValidatePassword(pw string) error {
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return Errorf(EINVALID, "密码至少 %d 个字符：请换一个更长的密码。", MinPasswordLen)
	case len(pw) > MaxPasswordBytes:
		return Errorf(EINVALID, "密码太长（最多 %d 个字节，约 24 个汉字或 72 个英文字符）：请缩短。", MaxPasswordBytes)
	case !utf8.ValidString(pw):
		return Errorf(EINVALID, "密码含无法识别的字符：请重新输入。")
	case strings.Count(pw, pw[:1]) == len(pw):
		return Errorf(EINVALID, "密码不能由同一个字符重复组成：请换一个密码。")
	}
	return nil
}
