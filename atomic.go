package lingpao

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WriteFileAtomic writes a file so that readers see either nothing or the whole file: write a temporary
// file beside it, fsync, rename over the target, fsync the folder. A crash at any point leaves at most a
// stray ".tmp-" file, which the next run ignores.
func WriteFileAtomic(path string, write func(w io.Writer) error) (err error) {
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
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
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
