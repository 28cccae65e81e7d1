package lingpao

import (
	"strings"
	"testing"
)

func TestParseRole(t *testing.T) {
	for _, tc := range []struct {
		in        string
		want      Role
		write, ok bool
	}{
		{"admin", UserAdmin, true, true},
		{" staff ", UserStaff, true, true},
		{"leader", UserLeader, false, true},
		{"Admin", "", false, false},
		{"", "", false, false},
	} {
		got, err := ParseRole(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseRole(%q) = %q, %v; want %q, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
		if tc.ok && got.CanWrite() != tc.write {
			t.Errorf("%s.CanWrite() = %v, want %v", got, got.CanWrite(), tc.write)
		}
	}
	if !UserAdmin.CanAdmin() || UserStaff.CanAdmin() || UserLeader.CanAdmin() {
		t.Error("only admin may read the audit log")
	}
}

func TestValidatePassword(t *testing.T) {
	for _, tc := range []struct {
		name, pw string
		ok       bool
		want     string
	}{
		{"张科长", "123456789", false, "至少 10 个字符"},
		{"张科长", "雪松-铁塔-47-蓝鲸", true, ""},         // 11 characters
		{"张科长", "领跑者密码安全一二", false, "至少 10 个字符"}, // 9 characters
		{"张科长", "春耕秋收铁塔蓝鲸雪松", true, ""},          // 10 characters, 30 bytes
		{"张科长", "aaaaaaaaaaaa", false, "重复"},
		{"staff", "staff2staff2", false, "用户名"},
		{"bob", "tiger7tiger7", false, "重复"},
		{"bob", "1234567890", false, "全是数字"},
		{"bob", "13812345678", false, "全是数字"},
		{"bob", "abcdefghijk", false, "连续"},
		{"bob", "password", false, "至少 10 个字符"},
		{"bob", "password12", false, "常见密码"},
		{"bob", "Password2025!", false, "常见密码"},
		{"bob", "P@ssw0rd2025", false, "常见密码"},
		{"bob", "2025password", false, "常见密码"},
		{"bob", "qwertyuiop", false, "常见密码"},
		{"bob", "1qaz2wsx3edc", false, "常见密码"},
		{"bob", "woaini1314", false, "常见密码"},
		{"bob", "iloveyou!!", false, "常见密码"},
		{"bob", "Lingpao2025!", false, "本系统"},
		{"bob", "领跑平台密码二〇二五", false, "本系统"},
		{"张科长", "张科长的密码很长很长", false, "用户名"},
		{"bob", "bob-the-builder-7", false, "用户名"},
		{"b", "brisk-otter-91", true, ""}, // a one-letter name is not looked for
		{"bob", "brisk-otter-91", true, ""},
		{"bob", "Kx7mPq2R9tAb", true, ""},
		{"bob", strings.Repeat("ab", 35) + "cd", true, ""},   // 72 bytes
		{"bob", strings.Repeat("ab", 36) + "c", false, "太长"}, // 73 bytes: bcrypt would cut it
		{"bob", "abc\xffdefghijk", false, "无法识别"},            // not UTF-8
	} {
		err := ValidatePassword(tc.name, tc.pw)
		if (err == nil) != tc.ok {
			t.Errorf("ValidatePassword(%q, %q) = %v, want ok %v", tc.name, tc.pw, err, tc.ok)
			continue
		}
		if err != nil && (ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tc.want)) {
			t.Errorf("ValidatePassword(%q, %q) = %s %q, want EINVALID with %q", tc.name, tc.pw, ErrorCode(err), ErrorMessage(err), tc.want)
		}
	}
}

// TestCommonPasswordsAreRefused checks the whole embedded blocklist: every entry long enough to pass
// the length check is still refused, and so is each with a year appended.
func TestCommonPasswordsAreRefused(t *testing.T) {
	n := 0
	for pw := range commonPasswords() {
		n++
		for _, c := range []string{pw, pw + "2025", strings.ToUpper(pw[:1]) + pw[1:] + "!"} {
			if len([]rune(c)) >= MinPasswordLen && ValidatePassword("someone", c) == nil {
				t.Errorf("common password %q accepted", c)
			}
		}
	}
	if n < 3000 {
		t.Errorf("the blocklist has %d passwords, want a few thousand", n)
	}
}

func TestValidateUserName(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"张科长", true},
		{"admin", true},
		{"", false},
		{"张 科长", false},
		{"a\tb", false},
		{strings.Repeat("名", 32), true},
		{strings.Repeat("名", 33), false},
	} {
		if err := ValidateUserName(tc.name); (err == nil) != tc.ok {
			t.Errorf("ValidateUserName(%q) = %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}
