package scheduler

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"lingpao"
)

// Holder says which process holds a lock.
type Holder struct {
	PID     int       `json:"pid"`
	Host    string    `json:"host"`
	Since   time.Time `json:"since"`
	Command string    `json:"command,omitempty"`
}

// Describe renders the holder for a message: 进程 1234（主机 srv1，lingpao serve，自 2025-10-08 09:00:00 起）.
func (h Holder) Describe() string {
	what := ""
	if h.Command != "" {
		what = "，" + h.Command
	}
	return fmt.Sprintf("进程 %d（主机 %s%s，自 %s 起）", h.PID, h.Host, what, h.Since.In(lingpao.Beijing).Format("2006-01-02 15:04:05"))
}

// ThisProcess returns the holder for the running process.
func ThisProcess(command string, now time.Time) Holder {
	host, _ := os.Hostname()
	return Holder{PID: os.Getpid(), Host: host, Since: now, Command: command}
}

// Lock is an exclusive lock on a file (flock on Unix, LockFileEx on Windows). The operating system
// drops it when the process ends, however it ends — a SIGKILL included — so a lock is never stale.
type Lock struct {
	f    *os.File
	path string
}

// HeldError is the error of TryLock when another process holds the lock.
type HeldError struct {
	Path   string
	Holder Holder
}

func (e *HeldError) Error() string {
	return fmt.Sprintf("%s is locked by pid %d on %s since %s", e.Path, e.Holder.PID, e.Holder.Host, e.Holder.Since.Format(time.RFC3339))
}

// errWouldBlock is what the platform's lockFile returns when the lock is held elsewhere.
var errWouldBlock = errors.New("lock held by another process")

// TryLock takes the lock at path without waiting and writes h into the file, so that whoever fails to
// take it can say who holds it. When another process holds it, the error is a *HeldError.
func TryLock(path string, h Holder) (_ *Lock, err error) {
	defer lingpao.Wrap(&err, "scheduler.TryLock(%s)", path)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := lockFile(f); err != nil {
		f.Close()
		if errors.Is(err, errWouldBlock) {
			held, _ := ReadHolder(path)
			return nil, &HeldError{Path: path, Holder: held}
		}
		return nil, err
	}
	b, _ := json.Marshal(h)
	if err := f.Truncate(0); err != nil {
		unlockFile(f)
		f.Close()
		return nil, err
	}
	if _, err := f.WriteAt(append(b, '\n'), 0); err != nil {
		unlockFile(f)
		f.Close()
		return nil, err
	}
	f.Sync()
	return &Lock{f: f, path: path}, nil
}

// ReadHolder reads who holds (or last held) the lock at path.
func ReadHolder(path string) (Holder, error) {
	var h Holder
	f, err := os.Open(path)
	if err != nil {
		return h, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, 4096))
	if err != nil {
		return h, err
	}
	err = json.Unmarshal([]byte(strings.TrimSpace(string(b))), &h)
	return h, err
}

// Path returns the lock file's path.
func (l *Lock) Path() string { return l.path }

// Unlock releases the lock. The file stays: removing it would let a process that opened it just
// before take a lock on a file nobody else can see.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := unlockFile(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}
