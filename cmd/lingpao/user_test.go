package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"lingpao"
	"lingpao/sqlite"
	"lingpao/web"
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
	if _, _, err := runUserCmd(t, "add", "--dir", dir, "--role", "staff"); !errors.Is(err, errUsage) {
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
		got, _, generated, err := password(true, strings.NewReader(tc.in))
		if (err == nil) != tc.ok || generated || (tc.ok && got != tc.want) {
			t.Errorf("password(%q) = %q, %v, %v", tc.in, got, generated, err)
		}
	}
	a, _, gen, err := password(false, nil)
	b, _, _, _ := password(false, nil)
	if err != nil || !gen || a == b || lingpao.ValidatePassword(a) != nil || strings.ContainsAny(a, "0O1lI") {
		t.Errorf("generated passwords %q, %q", a, b)
	}
}

// TestServeMountsTheStaffPage starts `lingpao serve` on loopback over a fresh workspace with one
// account and logs in through the real listener: the page is mounted beside /healthz.
func TestServeMountsTheStaffPage(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ws")
	if err := run(context.Background(), []string{"init", "--dir", dir}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(filepath.Join(dir, lingpao.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	hash, err := web.HashPassword("serve-test-1")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(context.Background(), &lingpao.User{Name: "张科长", Role: lingpao.UserStaff}, hash); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var stderr bytes.Buffer
	go func() { done <- run(ctx, []string{"serve", "--dir", dir, "--addr", addr}, &bytes.Buffer{}, &stderr) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v\n%s", err, stderr.String())
		}
	}()
	base := "http://" + addr
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	var page string
	for i := 0; ; i++ {
		res, err := c.Get(base + "/login")
		if err == nil {
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			page = string(b)
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if i == 100 {
			t.Fatalf("serve did not answer on %s: %v\n%s", addr, err, stderr.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	tok := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page)
	if tok == nil {
		t.Fatalf("login page:\n%s", page)
	}
	req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(url.Values{"csrf": {tok[1]}, "name": {"张科长"}, "password": {"serve-test-1"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(b), "工作台") {
		t.Errorf("after login: %d\n%.300s", res.StatusCode, b)
	}
	if res, err := c.Get(base + "/healthz"); err != nil || res.StatusCode >= 500 {
		t.Errorf("/healthz beside the page: %v %v", res, err)
	} else {
		res.Body.Close()
	}
}
