package lingpao

import (
	_ "embed"
	"strings"
	"sync"
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
	// MustChangePassword is set while the account's password is a one-time password someone else
	// chose (an initial or reset one): its owner must set their own at the next login.
	MustChangePassword bool `json:"must_change_password,omitempty"`
}

// Password length limits. bcrypt reads at most 72 bytes; a longer password would be silently cut.
const (
	MinPasswordLen   = 10
	MaxPasswordBytes = 72
)

//go:embed common_passwords.txt
var commonPasswordsText string

// commonPasswords is the blocklist of common_passwords.txt (scripts/common-passwords.sh), lower case.
var commonPasswords = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, 4000)
	for _, line := range strings.Split(commonPasswordsText, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
})

// contextWords are words an attacker tries first against this system, whatever the list says.
var contextWords = []string{"lingpao", "linpao", "领跑", "admin", "staff", "leader"}

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

// ValidatePassword checks a new password for the account called name: at least MinPasswordLen
// characters and at most MaxPasswordBytes bytes; not a common password, nor one with digits or
// symbols around it (Password2025!, p@ssw0rd), nor leetspeak of one; not only digits; not a
// sequence (abcdefghij, 9876543210) or a short part repeated (staff2staff2); and not containing the
// user name or the name of this system.
func ValidatePassword(name, pw string) error {
	const pick = "：请换一个别人难以猜到的密码，例如几个不相关的词加数字（如“春耕-铁塔-47-蓝鲸”）。"
	switch {
	case !utf8.ValidString(pw):
		return Errorf(EINVALID, "密码含无法识别的字符：请重新输入。")
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return Errorf(EINVALID, "密码至少 %d 个字符：请换一个更长的密码。", MinPasswordLen)
	case len(pw) > MaxPasswordBytes:
		return Errorf(EINVALID, "密码太长（最多 %d 个字节，约 24 个汉字或 72 个英文字符）：请缩短。", MaxPasswordBytes)
	}
	lower := strings.ToLower(pw)
	if n := strings.ToLower(strings.TrimSpace(name)); significant(n) && strings.Contains(lower, n) {
		return Errorf(EINVALID, "密码不能包含用户名%s", pick)
	}
	for _, w := range contextWords {
		if strings.Contains(lower, w) {
			return Errorf(EINVALID, "密码不能包含“%s”这类与本系统相关的词%s", w, pick)
		}
	}
	if strings.Trim(pw, "0123456789") == "" {
		return Errorf(EINVALID, "密码不能全是数字（电话号码、生日、工号都容易被猜到）%s", pick)
	}
	if repeated(lower) {
		return Errorf(EINVALID, "密码不能由同一段字符重复组成%s", pick)
	}
	if sequence(lower) {
		return Errorf(EINVALID, "密码不能是连续的字母或数字%s", pick)
	}
	if isCommonPassword(lower) {
		return Errorf(EINVALID, "这是常见密码，很容易被猜中%s", pick)
	}
	return nil
}

// isCommonPassword reports whether a lower-case password is on the blocklist: as it is, or once
// digits and symbols added before or after it are taken off (Password2025!, 2025password,
// qq123456!), each also with its leetspeak undone (p@ssw0rd).
func isCommonPassword(pw string) bool {
	common := commonPasswords()
	unleet := strings.NewReplacer("@", "a", "4", "a", "0", "o", "1", "i", "!", "i", "3", "e", "$", "s", "5", "s", "7", "t", "+", "t")
	padding := func(s string) bool {
		return strings.IndexFunc(s, unicode.IsLetter) < 0
	}
	r := []rune(pw)
	for i := 0; i < len(r); i++ {
		if !padding(string(r[:i])) {
			break
		}
		for j := len(r); j > i; j-- {
			if !padding(string(r[j:])) {
				break
			}
			c := string(r[i:j])
			if j-i < 4 && (i > 0 || j < len(r)) {
				continue // a short word inside digits is no longer that word
			}
			if common[c] || common[unleet.Replace(c)] {
				return true
			}
		}
	}
	return false
}

// significant reports whether a user name is long enough that a password containing it is built on
// it: three letters, or two Chinese characters.
func significant(name string) bool {
	n := utf8.RuneCountInString(name)
	return n >= 3 || (n == 2 && len(name) > 2)
}

// repeated reports whether s is one part written two or more times (aaaaaaaaaa, staff2staff2).
func repeated(s string) bool {
	r := []rune(s)
	for n := 1; n <= len(r)/2; n++ {
		if len(r)%n != 0 {
			continue
		}
		same := true
		for i := n; i < len(r) && same; i++ {
			same = r[i] == r[i-n]
		}
		if same {
			return true
		}
	}
	return false
}

// sequence reports whether s runs up or down one letter or digit at a time (abcdefghij, 9876543210).
func sequence(s string) bool {
	r := []rune(s)
	if len(r) < 3 {
		return false
	}
	step := r[1] - r[0]
	if step != 1 && step != -1 {
		return false
	}
	for i := 2; i < len(r); i++ {
		if r[i]-r[i-1] != step {
			return false
		}
	}
	return true
}
