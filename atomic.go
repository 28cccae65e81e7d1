package lingpao

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// WriteFileAtomic writes a file so that readers see either nothing or the whole file: write a temporary
// file beside it, fsync, rename over the target, fsync the folder. A crash at any point leaves at most a
// stray ".tmp-" file, which the next run ignores.
func WriteFileAtomic(path string, write func(w io.Writer) error) (err error) {
	return writeFileAtomic(path, write, os.Rename)
}

func writeFileAtomic(path string, write func(w io.Writer) error, rename func(oldpath, newpath string) error) (err error) {
	defer Wrap(&err, "write %s", path)
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	if err := write(f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return err
	}
	if err := rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

// besideName is what a file written beside a locked one adds to its name: 月调度表_…_2025年9月（另存_20251013-093000）.xlsx.
var besideName = regexp.MustCompile(`^(.*)（另存_\d{8}-\d{6}）(\.[^.]*)?$`)

// WriteFileBeside writes path like WriteFileAtomic. When the file at path cannot be replaced because
// another program holds it (a report open in Excel or WPS on Windows: a sharing violation), it writes
// the new content beside it instead — the same name with （另存_<date-time>） before the extension —
// and returns that path: the job does not fail, and the caller says where the new file is (BesideOf).
// The locked file is left as it was.
func WriteFileBeside(path string, now time.Time, write func(w io.Writer) error) (written string, err error) {
	return writeFileBeside(path, now, write, os.Rename)
}

func writeFileBeside(path string, now time.Time, write func(w io.Writer) error, rename func(oldpath, newpath string) error) (string, error) {
	err := writeFileAtomic(path, write, rename)
	if err == nil || !lockedByAnother(err) {
		return path, err
	}
	ext := filepath.Ext(path)
	alt := fmt.Sprintf("%s（另存_%s）%s", strings.TrimSuffix(path, ext), now.In(Beijing).Format("20060102-150405"), ext)
	if err := writeFileAtomic(alt, write, rename); err != nil {
		return path, err
	}
	return alt, nil
}

// HeldByAnother reports whether err is a file another program holds (a workbook open in Excel or WPS
// on Windows: a sharing violation; EBUSY elsewhere), so that it cannot be replaced or removed now.
func HeldByAnother(err error) bool { return lockedByAnother(err) }

// BesideOf reports whether path was written beside a locked file by WriteFileBeside, and returns the
// locked file's path.
func BesideOf(path string) (locked string, ok bool) {
	dir, base := filepath.Split(path)
	m := besideName.FindStringSubmatch(base)
	if m == nil {
		return "", false
	}
	return dir + m[1] + m[2], true
}

// WriteFileBytesAtomic is WriteFileAtomic for a byte slice.
func WriteFileBytesAtomic(path string, b []byte) error {
	return WriteFileAtomic(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !isUnsupportedSync(err) {
		return fmt.Errorf("sync dir: %w", err)
	}
	return nil
}

// isUnsupportedSync reports errors from file systems (some network shares, Windows) that cannot fsync
// a directory; the rename is still atomic there.
func isUnsupportedSync(err error) bool {
	return os.IsPermission(err) || isEINVAL(err)
}
