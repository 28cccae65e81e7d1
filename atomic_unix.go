//go:build !windows

package lingpao

import (
	"errors"
	"syscall"
)

func isEINVAL(err error) bool {
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP)
}

// lockedByAnother reports whether a write failed because another program holds the target: EBUSY
// (a file in use, or a mount point) or ETXTBSY.
func lockedByAnother(err error) bool {
	return errors.Is(err, syscall.EBUSY) || errors.Is(err, syscall.ETXTBSY)
}
