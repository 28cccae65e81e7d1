// Package disktest gives tests real disk trouble on Linux, as root: a small file system that fills
// up (tmpfs), one that turns read-only, and a file another party holds so that it can be neither
// replaced nor removed (a bind mount over it: EBUSY, as a share or Windows gives for a file open in
// Excel). Elsewhere, or without the right to mount, the test is skipped.
package disktest

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"testing"
)

// mount runs mount(8) with args, skipping the test when this machine cannot.
func mount(t testing.TB, args ...string) {
	t.Helper()
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skip("disktest: needs Linux and root to mount")
	}
	if out, err := exec.Command("mount", args...).CombinedOutput(); err != nil {
		t.Skipf("disktest: mount %v: %v\n%s", args, err, out)
	}
}

func umount(t testing.TB, path string) {
	if out, err := exec.Command("umount", "-l", path).CombinedOutput(); err != nil {
		t.Errorf("disktest: umount %s: %v\n%s", path, err, out)
	}
}

// Small returns a folder on a new tmpfs of size bytes, unmounted when the test ends.
func Small(t testing.TB, size int64) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "disk")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	mount(t, "-t", "tmpfs", "-o", "size="+strconv.FormatInt(size, 10), "tmpfs", dir)
	t.Cleanup(func() { umount(t, dir) })
	return dir
}

// Fill writes a file into dir until the disk is full and returns a function that frees the space.
func Fill(t testing.TB, dir string) (free func()) {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 64<<10)
	for {
		if _, err := f.Write(buf); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("disktest: filling %s: %v", dir, err)
			}
			break
		}
	}
	for n := len(buf) / 2; n > 0; n /= 2 { // the last crumbs
		if _, err := f.Write(buf[:n]); err != nil {
			continue
		}
	}
	f.Close()
	return func() {
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
	}
}

// ReadOnly remounts the tmpfs at dir (from Small) read-only and returns a function that makes it
// writable again.
func ReadOnly(t testing.TB, dir string) (writable func()) {
	t.Helper()
	mount(t, "-o", "remount,ro", dir)
	return func() { mount(t, "-o", "remount,rw", dir) }
}

// Hold makes the file at path impossible to remove or replace (unlink and rename over it fail with
// EBUSY) while its content stays readable, by bind-mounting a copy of it over itself. It returns a
// function that lets it go.
func Hold(t testing.TB, path string) (release func()) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cp := filepath.Join(t.TempDir(), "held")
	if err := os.WriteFile(cp, b, 0o644); err != nil {
		t.Fatal(err)
	}
	mount(t, "--bind", cp, path)
	done := false
	release = func() {
		if !done {
			done = true
			umount(t, path)
		}
	}
	t.Cleanup(release)
	return release
}
