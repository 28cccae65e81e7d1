//go:build !windows

package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"lingpao"
	"lingpao/sqlite"
)

// TestServeKilledMidJob runs the real binary: `lingpao serve` with the quarterly bulletin due every
// two seconds. A second serve on the same workspace is refused, naming the first. The first is frozen
// (SIGSTOP) while a bulletin run is in progress and killed (SIGKILL); restarted, it runs that bulletin
// again — once — and the ledger shows one run for that time, finished, on its second attempt. SIGTERM
// then lets the run in progress finish and serve exits 0.
func TestServeKilledMidJob(t *testing.T) {
	bin := buildServeBinary(t)
	dir := filepath.Join(t.TempDir(), "ws")
	if out, err := exec.Command(bin, "init", "--dir", dir).CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	yml := filepath.Join(dir, lingpao.ConfigFile)
	cfg, err := os.ReadFile(yml)
	if err != nil {
		t.Fatal(err)
	}
	// Only the bulletin runs, every two seconds; everything else is switched off.
	extra := "jobs:\n" +
		"  poll: {disabled: true}\n  remind: {disabled: true}\n  monthly: {disabled: true}\n  half: {disabled: true}\n  annual: {disabled: true}\n  deliver: {disabled: true}\n" +
		"  quarterly: {schedule: \"*/2 * * * * *\", next_workday: false, wait_for_deadline: false, catch_up: once, retries: 0}\n"
	cfg = regexp.MustCompile(`(?s)\njobs:\n.*?\n(\S)`).ReplaceAll(cfg, []byte("\n$1"))
	if err := os.WriteFile(yml, append(cfg, []byte(extra)...), 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(filepath.Join(dir, lingpao.DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()

	first, firstErr := startServe(t, bin, dir)
	// A second serve is refused and says who holds the workspace.
	tctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	out, err := exec.CommandContext(tctx, bin, "serve", "--dir", dir, "--addr", "off").CombinedOutput()
	if code := exitStatus(err); code != 1 || !strings.Contains(string(out), "已有 lingpao serve 在运行") ||
		!strings.Contains(string(out), "进程 "+strconv.Itoa(first.Process.Pid)) {
		t.Fatalf("second serve: exit %d\n%s", code, out)
	}

	// Catch a bulletin run in progress: freeze the process, check the ledger still has it running,
	// and kill it. (A run that finished in between is let go, and the next one is tried.)
	var killed lingpao.JobRun
	deadline := time.Now().Add(90 * time.Second)
	for killed.ID == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("never caught a run in progress\n%s", firstErr.String())
		}
		running, err := db.FindJobRuns(ctx, sqlite.JobRunFilter{Job: lingpao.JobQuarterly, Outcome: lingpao.RunRunning})
		if err != nil {
			t.Fatal(err)
		}
		if len(running) == 0 {
			time.Sleep(2 * time.Millisecond)
			continue
		}
		syscall.Kill(first.Process.Pid, syscall.SIGSTOP)
		still, err := db.FindJobRun(ctx, running[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if still.Outcome == lingpao.RunRunning {
			killed = still
			first.Process.Kill() // SIGKILL, frozen mid-run
			first.Wait()
			break
		}
		syscall.Kill(first.Process.Pid, syscall.SIGCONT)
	}
	if after, _ := db.FindJobRun(ctx, killed.ID); after.Outcome != lingpao.RunRunning {
		t.Fatalf("the killed run is %s", after.Outcome)
	}

	second, secondErr := startServe(t, bin, dir)
	var rerun lingpao.JobRun
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the interrupted run was not completed: %+v\n%s", rerun, secondErr.String())
		}
		if rerun, err = db.FindJobRun(ctx, killed.ID); err != nil {
			t.Fatal(err)
		}
		if rerun.Outcome != lingpao.RunRunning {
			break
		}
	}
	if rerun.Outcome != lingpao.RunOK || rerun.Attempts != 2 || rerun.Owner == killed.Owner || len(rerun.Outputs) != 2 {
		t.Errorf("interrupted run after restart: %+v", rerun)
	}
	same, _ := db.FindJobRuns(ctx, sqlite.JobRunFilter{Job: lingpao.JobQuarterly, From: killed.Scheduled, To: killed.Scheduled.Add(time.Nanosecond)})
	if len(same) != 1 {
		t.Errorf("%d runs for the scheduled time %s, want 1", len(same), killed.Scheduled)
	}
	for _, o := range rerun.Outputs {
		b, err := os.ReadFile(filepath.Join(dir, o))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(o, ".pdf") && !bytes.Contains(b[max(0, len(b)-64):], []byte("%%EOF")) {
			t.Errorf("%s is not a complete PDF", o)
		}
	}
	if !strings.Contains(secondErr.String(), "重新运行被中断的任务") {
		t.Errorf("the restart does not say it re-ran the interrupted run:\n%s", secondErr.String())
	}

	// SIGTERM: the run in progress (if any) finishes, serve exits 0, nothing is left running.
	for {
		if running, _ := db.FindJobRuns(ctx, sqlite.JobRunFilter{Job: lingpao.JobQuarterly, Outcome: lingpao.RunRunning}); len(running) > 0 {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	second.Process.Signal(syscall.SIGTERM)
	if err := second.Wait(); err != nil {
		t.Fatalf("serve after SIGTERM: %v\n%s", err, secondErr.String())
	}
	if running, _ := db.FindJobRuns(ctx, sqlite.JobRunFilter{Outcome: lingpao.RunRunning}); len(running) > 0 {
		t.Errorf("runs left running after a clean stop: %+v", running)
	}
	if !strings.Contains(secondErr.String(), "lingpao serve 已停止") {
		t.Errorf("serve log:\n%s", secondErr.String())
	}
}

// startServe starts `lingpao serve` on dir, its log captured, killed when the test ends.
func startServe(t *testing.T, bin, dir string) (*exec.Cmd, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--dir", dir, "--addr", "127.0.0.1:0")
	log := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for deadline := time.Now().Add(time.Minute); !strings.Contains(log.String(), "lingpao serve 已启动"); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", log.String())
		}
	}
	return cmd, log
}

// buildServeBinary builds lingpao from this package's source.
func buildServeBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "lingpao")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func exitStatus(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// syncBuffer is a bytes.Buffer safe for the process's writes and the test's reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}
