package lingpao

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// DiskError is a write the disk refused because it is full (or over quota) or read-only. The store
// turns SQLite's "database or disk is full" into one, naming the database file; the operating system's
// ENOSPC, EDQUOT and EROFS (and their Windows counterparts) are recognised by AsDiskError wherever
// they occur.
type DiskError struct {
	// Path is the file or folder that could not be written ("" when unknown).
	Path     string
	ReadOnly bool
	Err      error
}

// Error implements the error interface.
func (e *DiskError) Error() string {
	what := "disk full"
	if e.ReadOnly {
		what = "read-only file system"
	}
	return fmt.Sprintf("%s: %s: %v", what, e.Path, e.Err)
}

// Unwrap returns the underlying error.
func (e *DiskError) Unwrap() error { return e.Err }

// AsDiskError reports whether err is the disk refusing a write, and describes it: a *DiskError in
// the chain, or an ENOSPC/EDQUOT/EROFS (ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL, ERROR_WRITE_PROTECT
// on Windows) from the operating system, with the path of the *fs.PathError that carries it. Error
// codes decide, never the text of a message.
func AsDiskError(err error) (*DiskError, bool) {
	if err == nil {
		return nil, false
	}
	var de *DiskError
	if errors.As(err, &de) {
		return de, true
	}
	full, ro := diskErrno(err)
	if !full && !ro {
		return nil, false
	}
	d := &DiskError{ReadOnly: ro && !full, Err: err}
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		d.Path = untemp(pe.Path)
	case errors.As(err, &le):
		d.Path = untemp(le.New)
	}
	return d, true
}

// untemp names the file a temporary file of WriteFileAtomic (.tmp-<name>-<random>) was for.
func untemp(path string) string {
	dir, base := filepath.Split(path)
	if rest, ok := strings.CutPrefix(base, ".tmp-"); ok {
		if i := strings.LastIndexByte(rest, '-'); i > 0 {
			return dir + rest[:i]
		}
	}
	return path
}

// Message says in Chinese what cannot be written and what to do. where names the workspace (or ""),
// for a fault whose file is not known.
func (e *DiskError) Message(where string) string {
	what := "磁盘"
	switch {
	case e.Path != "" && filepath.Base(e.Path) == DBFile:
		what = fmt.Sprintf("数据库 %s 所在的磁盘", e.Path)
	case e.Path != "":
		what = fmt.Sprintf("%s 所在的磁盘", e.Path)
	case where != "":
		what = fmt.Sprintf("工作目录 %s 所在的磁盘", where)
	}
	if e.ReadOnly {
		return fmt.Sprintf("%s是只读的，无法写入：请检查该磁盘或共享文件夹是否被设为只读、是否已挂载为可写，改正后重试。本次操作没有留下写了一半的文件或数据。", what)
	}
	return fmt.Sprintf("%s已满，无法写入：请清理该磁盘（如把 outbox/ 中的旧报告、archive/ 的备份移到别处）或扩容，然后重试。本次操作没有留下写了一半的文件或数据。", what)
}

// ExplainDisk returns err with a Chinese ENOSPACE message in front when it is the disk refusing a
// write (where names the workspace for messages), and err unchanged otherwise: every command and the
// service say "the disk is full, clear it" instead of an internal chain.
func ExplainDisk(err error, where string) error {
	de, ok := AsDiskError(err)
	if !ok {
		return err
	}
	var e *Error
	if errors.As(err, &e) && e.Code == ENOSPACE {
		return err
	}
	return errors.Join(&Error{Code: ENOSPACE, Message: de.Message(where)}, err)
}

// ProbeFile is the name of the small file ProbeWrite writes and removes.
const ProbeFile = ".lingpao-probe"

// ProbeWrite writes a small file into dir, syncs it and removes it: a full or read-only disk shows as
// a *DiskError (other failures as they are). It is how a vague failure (SQLite's "disk I/O error")
// is told apart from a full disk by the operating system's own error code.
func ProbeWrite(dir string) (err error) {
	path := filepath.Join(dir, ProbeFile)
	defer func() {
		if de, ok := AsDiskError(err); ok {
			err = de
		}
	}()
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		f.Close()
		if rerr := os.Remove(path); err == nil && rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			err = rerr
		}
	}()
	if _, err := f.Write(make([]byte, 16<<10)); err != nil {
		return err
	}
	return f.Sync()
}
