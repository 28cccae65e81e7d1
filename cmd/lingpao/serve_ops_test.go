//go:build !windows

package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"lingpao"
	"lingpao/delivery/smtptest"
	"lingpao/sqlite"
)

// serveWorkspace makes a workspace with the real binary and replaces its jobs section with jobs.
func serveWorkspace(t *testing.T, bin, jobs string, edit func(cfg string) string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "ws")
	if out, err := exec.Command(bin, "init", "--dir", dir).CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	yml := filepath.Join(dir, lingpao.ConfigFile)
	b, err := os.ReadFile(yml)
	if err != nil {
		t.Fatal(err)
	}
	cfg := regexp.MustCompile(`(?s)\njobs:\n.*?\n(\S)`).ReplaceAllString(string(b), "\n$1")
	if edit != nil {
		cfg = edit(cfg)
	}
	if err := os.WriteFile(yml, []byte(cfg+jobs), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestServeStopsWithinDrain: the mail server stalls (it takes the connection and never answers; each
// mail would wait its 60 s timeout) while 50 mails wait. SIGTERM stops serve within the drain it was
// given (3 s here, 30 s by default) — not 50 minutes — with exit 0; the mail being sent is left
// queued, untried (it was interrupted, not refused), and the log says nothing of a refusal.
func TestServeStopsWithinDrain(t *testing.T) {
	bin := buildServeBinary(t)
	srv := smtptest.New(t)
	dir := serveWorkspace(t, bin, "jobs:\n  poll: {disabled: true}\n  remind: {disabled: true}\n  monthly: {disabled: true}\n  quarterly: {disabled: true}\n"+
		"  half: {disabled: true}\n  annual: {disabled: true}\n  deliver: {schedule: \"* * * * * *\", catch_up: skip}\n",
		func(cfg string) string {
			mail := fmt.Sprintf("mail:\n  smtp: {host: %s, port: %d, security: starttls, username: %s, password: %q, timeout: 60s}\n"+
				"  from: 石家庄市工业和信息化局 <jxj@example.gov.cn>\n  recipients: {admins: [admin@example.gov.cn], staff: [staff@example.gov.cn]}\n",
				srv.Host, srv.Port, srv.Username, srv.Password)
			return regexp.MustCompile(`(?s)\nmail:\n.*?\n(\S)`).ReplaceAllString(cfg, "\n"+mail+"$1")
		})
	cert := filepath.Join(t.TempDir(), "cert.pem")
	if err := os.WriteFile(cert, srv.CertPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(filepath.Join(dir, lingpao.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	var ds []lingpao.Delivery
	for i := range 50 {
		ds = append(ds, lingpao.Delivery{Key: fmt.Sprint("test/", i), Role: lingpao.RoleStaff, To: "staff@example.gov.cn", Subject: fmt.Sprintf("第%d封", i+1), Body: "正文"})
	}
	if _, err := db.QueueDeliveries(ctx, ds, time.Now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	srv.Stall()

	cmd := exec.Command(bin, "serve", "--dir", dir, "--addr", "off", "--drain", "3s")
	cmd.Env = append(os.Environ(), "SSL_CERT_FILE="+cert)
	log := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for deadline := time.Now().Add(time.Minute); srv.Stalls() == 0; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("serve never reached the mail server:\n%s", log.String())
		}
	}
	start := time.Now()
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve after SIGTERM: %v\n%s", err, log.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("serve still running 30 s after SIGTERM\n%s", log.String())
	}
	took := time.Since(start)
	t.Logf("SIGTERM to exit with a stalled mail server: %s (drain 3s)", took.Round(10*time.Millisecond))
	if took > 10*time.Second {
		t.Errorf("stopping took %s with a 3 s drain", took)
	}
	pending, err := db.FindDeliveries(ctx, sqlite.DeliveryFilter{Status: lingpao.DeliveryPending})
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 50 {
		t.Errorf("%d mails pending, want all 50 kept; last %+v", len(pending), pending[len(pending)-1])
	}
	for _, d := range pending {
		if d.Attempts != 0 {
			t.Errorf("mail %d counted %d attempts: %s", d.ID, d.Attempts, d.LastError)
		}
	}
	if strings.Contains(log.String(), "拒收") || !strings.Contains(log.String(), "lingpao serve 已停止") {
		t.Errorf("serve log:\n%s", log.String())
	}
	if running, _ := db.FindJobRuns(ctx, sqlite.JobRunFilter{Outcome: lingpao.RunRunning}); len(running) > 0 {
		t.Errorf("runs left running: %+v", running)
	}
}

// TestServePortTaken: a serve whose port is taken fails at once, in Chinese, before it says it has
// started or records anything about its jobs; an address that is not one says so.
func TestServePortTaken(t *testing.T) {
	bin := buildServeBinary(t)
	dir := serveWorkspace(t, bin, "", nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	out, err := exec.Command(bin, "serve", "--dir", dir, "--addr", ln.Addr().String()).CombinedOutput()
	if code := exitStatus(err); code != 1 || !strings.Contains(string(out), "已被其他程序占用") || strings.Contains(string(out), "已启动") {
		t.Errorf("serve on a taken port: exit %d\n%s", code, out)
	}
	db, err := sqlite.Open(filepath.Join(dir, lingpao.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if arms, _ := db.JobArms(context.Background()); len(arms) != 0 {
		t.Errorf("jobs recorded by a serve that did not start: %v", arms)
	}
	out, err = exec.Command(bin, "serve", "--dir", dir, "--addr", "999.1.1.1:80").CombinedOutput()
	if code := exitStatus(err); code != 2 || !strings.Contains(string(out), "「999.1.1.1」不是有效的 IP 地址") || strings.Contains(string(out), "lookup") {
		t.Errorf("serve --addr 999.1.1.1:80: exit %d\n%s", code, out)
	}
}
