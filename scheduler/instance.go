package scheduler

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"lingpao"
)

// LocksDir is the workspace folder of lock files.
const LocksDir = "locks"

// ServeLock is the lock file that keeps one `lingpao serve` per workspace.
const ServeLock = "serve.lock"

// LockServe takes the workspace's single-instance lock for `lingpao serve`. When another serve holds
// it, the error is an ECONFLICT that says who (and wraps the *HeldError).
func LockServe(workspace string, h Holder) (*Lock, error) {
	l, err := TryLock(filepath.Join(workspace, LocksDir, ServeLock), h)
	var held *HeldError
	if errors.As(err, &held) {
		return nil, errors.Join(held, lingpao.Errorf(lingpao.ECONFLICT,
			"工作目录 %s 已有 lingpao serve 在运行：%s。同一工作目录只能运行一个 serve；如需重启，请先停止该进程。", workspace, held.Holder.Describe()))
	}
	return l, err
}

// Instance is this process as a runner of jobs. It holds a lock file of its own in locks/ for as
// long as it lives; its ID is the owner of the runs it starts, so another process can tell whether a
// run left "running" is still going (its owner's lock is held) or was cut off (it is not).
type Instance struct {
	ID   string
	dir  string
	lock *Lock
}

// NewInstance registers this process in the workspace's locks/ folder.
func NewInstance(workspace string, h Holder) (_ *Instance, err error) {
	defer lingpao.Wrap(&err, "scheduler.NewInstance")
	host := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '_'
	}, h.Host)
	id := fmt.Sprintf("%s-%d-%d", host, h.PID, h.Since.UnixNano())
	dir := filepath.Join(workspace, LocksDir)
	l, err := TryLock(filepath.Join(dir, id+".lock"), h)
	if err != nil {
		return nil, err
	}
	inst := &Instance{ID: id, dir: dir, lock: l}
	inst.sweep()
	return inst, nil
}

// sweep removes the lock files of instances that have died (a process killed while no run of its
// was in progress leaves its file behind).
func (i *Instance) sweep() {
	files, _ := filepath.Glob(filepath.Join(i.dir, "*.lock"))
	for _, f := range files {
		if base := filepath.Base(f); base != ServeLock {
			i.Alive(strings.TrimSuffix(base, ".lock"))
		}
	}
}

// Close releases the instance's lock and removes its file.
func (i *Instance) Close() error {
	if i == nil {
		return nil
	}
	err := i.lock.Unlock()
	if rerr := os.Remove(i.lock.Path()); err == nil && !errors.Is(rerr, fs.ErrNotExist) {
		err = rerr
	}
	return err
}

// Alive reports whether the process that registered as owner is still running: it is this instance,
// or its lock file is still locked. The file of an owner found dead is removed.
func (i *Instance) Alive(owner string) bool {
	if owner == i.ID {
		return true
	}
	if owner == "" || strings.ContainsAny(owner, `/\`) {
		return false
	}
	path := filepath.Join(i.dir, owner+".lock")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return false
	}
	l, err := TryLock(path, ThisProcess("probe", time.Now()))
	var held *HeldError
	if errors.As(err, &held) {
		return true
	} else if err != nil {
		return true // cannot tell: assume alive rather than run a job twice
	}
	l.Unlock()
	os.Remove(path)
	return false
}

// ServeHolder reports whether a `lingpao serve` holds the workspace's lock, and who.
func ServeHolder(workspace string) (Holder, bool) {
	path := filepath.Join(workspace, LocksDir, ServeLock)
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return Holder{}, false
	}
	defer f.Close()
	if err := lockFile(f); err != nil {
		h, _ := ReadHolder(path)
		return h, errors.Is(err, errWouldBlock)
	}
	unlockFile(f)
	return Holder{}, false
}
