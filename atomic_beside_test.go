package lingpao_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"lingpao"
	"lingpao/internal/disktest"
)

// TestWriteBesideHeldFile: a report file someone holds (here a bind mount makes replacing it fail
// with EBUSY, as Windows fails for a workbook open in Excel or WPS) is not overwritten, and the write
// does not fail: the new content goes beside it under a name that says so, and the held file is
// untouched.
func TestWriteBesideHeldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "月调度表_石家庄市_2025年9月.xlsx")
	if err := os.WriteFile(path, []byte("第一次"), 0o644); err != nil {
		t.Fatal(err)
	}
	release := disktest.Hold(t, path)
	if err := lingpao.WriteFileAtomic(path, func(w io.Writer) error { _, err := w.Write([]byte("x")); return err }); err == nil {
		t.Fatal("replacing a held file succeeded: the test does not hold it")
	}
	now := time.Date(2025, 10, 13, 9, 30, 5, 0, lingpao.Beijing)
	got, err := lingpao.WriteFileBeside(path, now, func(w io.Writer) error { _, err := w.Write([]byte("第二次")); return err })
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(dir, "月调度表_石家庄市_2025年9月（另存_20251013-093005）.xlsx")
	if got != want {
		t.Errorf("written to %s, want %s", got, want)
	}
	if b, _ := os.ReadFile(want); !bytes.Equal(b, []byte("第二次")) {
		t.Errorf("beside file holds %q", b)
	}
	if locked, ok := lingpao.BesideOf(got); !ok || locked != path {
		t.Errorf("BesideOf(%s) = %s, %v", got, locked, ok)
	}
	if _, ok := lingpao.BesideOf(path); ok {
		t.Errorf("BesideOf(%s) says it was written beside", path)
	}
	release()
	if b, _ := os.ReadFile(path); !bytes.Equal(b, []byte("第一次")) {
		t.Errorf("the held file was changed: %q", b)
	}
	if tmp, _ := filepath.Glob(filepath.Join(dir, ".tmp-*")); len(tmp) > 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
	// Not held: written in place.
	if got, err := lingpao.WriteFileBeside(path, now, func(w io.Writer) error { _, err := w.Write([]byte("第三次")); return err }); err != nil || got != path {
		t.Errorf("free file: %s %v", got, err)
	}
}
