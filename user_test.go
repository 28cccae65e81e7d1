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
		pw string
		ok bool
	}{
		{"1234567", false},                      // 7 characters
		{"12345678", true},                      // exactly the minimum
		{"领跑者密码安全一二", true},                     // 9 characters, 27 bytes
		{"aaaaaaaa", false},                     // one character repeated
		{strings.Repeat("ab", 36), true},        // 72 bytes
		{strings.Repeat("ab", 36) + "c", false}, // 73 bytes: bcrypt would cut it
		{"abc\xffdefgh", false},                 // not UTF-8
	} {
		err := ValidatePassword(tc.pw)
		if (err == nil) != tc.ok {
			t.Errorf("ValidatePassword(%q) = %v, want ok %v", tc.pw, err, tc.ok)
		}
		if err != nil && ErrorCode(err) != EINVALID {
			t.Errorf("ValidatePassword(%q) code %s", tc.pw, ErrorCode(err))
		}
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
