package main

import (
	"bytes"
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"lingpao"
	"lingpao/sqlite"
)

func runUserCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), append([]string{"user"}, args...), &stdout, &stderr)
	return stdout.String(), stderr.String(), err
}

func TestUserAddListPasswd(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	if err := run(context.Background(), []string{"init", "--dir", dir}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	out, _, err := runUserCmd(t, "list", "--dir", dir)
	if err != nil || !strings.Contains(out, "还没有账号") {
		t.Fatalf("list of no users: %q, %v", out, err)
	}
	out, _, err = runUserCmd(t, "add", "--dir", dir, "--name", "张科长", "--role", "admin")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`初始密码：(\S+)`).FindStringSubmatch(out)
	if m == nil || len(m[1]) != 12 {
		t.Fatalf("no generated password in %q", out)
	}
	db, err := sqlite.Open(filepath.Join(dir, lingpao.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, hash, err := db.FindUserByName(context.Background(), "张科长")
	if err != nil || u.Role != lingpao.UserAdmin {
		t.Fatalf("stored user %+v, %v", u, err)
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(m[1])) != nil {
		t.Error("the printed password does not match the stored hash")
	}
	// Wrong input is refused with a message, and nothing is stored.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--name", "张科长", "--role", "staff"}, "已存在"},
		{[]string{"--name", "李干事", "--role", "boss"}, "角色「boss」不存在"},
		{[]string{"--name", "李 干事", "--role", "staff"}, "不能含空格"},
	} {
		_, _, err := runUserCmd(t, append([]string{"add", "--dir", dir}, tc.args...)...)
		if err == nil || !strings.Contains(lingpao.ErrorMessage(err), tc.want) {
			t.Errorf("user add %v: %v, want %q", tc.args, err, tc.want)
		}
	}
	if _, _, err := runUserCmd(t, "add", "--dir", dir, "--role", "staff"); err != errUsage {
		t.Errorf("user add without --name: %v, want a usage error", err)
	}
	if _, _, err := runUserCmd(t, "add", "--dir", dir, "--name", "王局长", "--role", "leader"); err != nil {
		t.Fatal(err)
	}
	out, _, err = runUserCmd(t, "list", "--dir", dir)
	if err != nil || !strings.Contains(out, "王局长") || !strings.Contains(out, "领导（只读）") || !strings.Contains(out, "管理员") || strings.Contains(out, "李干事") {
		t.Errorf("list: %q, %v", out, err)
	}
	// A new password replaces the old one.
	out, _, err = runUserCmd(t, "passwd", "--dir", dir, "--name", "张科长")
	if err != nil {
		t.Fatal(err)
	}
	m2 := regexp.MustCompile(`新密码：(\S+)`).FindStringSubmatch(out)
	_, hash, _ = db.FindUserByName(context.Background(), "张科长")
	if m2 == nil || bcrypt.CompareHashAndPassword([]byte(hash), []byte(m2[1])) != nil || bcrypt.CompareHashAndPassword([]byte(hash), []byte(m[1])) == nil {
		t.Errorf("passwd did not replace the password: %q", out)
	}
	if _, _, err := runUserCmd(t, "passwd", "--dir", dir, "--name", "nobody"); lingpao.ErrorCode(err) != lingpao.ENOTFOUND {
		t.Errorf("passwd of an unknown user: %v", err)
	}
}

func TestPasswordFromStdin(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"s3cret-password\n", "s3cret-password", true},
		{"s3cret-password\r\nsecond line\n", "s3cret-password", true},
		{"no-newline-at-end", "no-newline-at-end", true},
		{"short\n", "", false},
		{"\n", "", false},
	} {
		got, generated, err := password(true, strings.NewReader(tc.in))
		if (err == nil) != tc.ok || generated || (tc.ok && got != tc.want) {
			t.Errorf("password(%q) = %q, %v, %v", tc.in, got, generated, err)
		}
	}
	a, gen, err := password(false, nil)
	b, _, _ := password(false, nil)
	if err != nil || !gen || a == b || lingpao.ValidatePassword(a) != nil || strings.ContainsAny(a, "0O1lI") {
		t.Errorf("generated passwords %q, %q", a, b)
	}
}
