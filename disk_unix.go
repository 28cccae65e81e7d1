//go:build !windows

package lingpao

import (
	"errors"
	"syscall"
)

// diskErrno reports whether err carries the errno of a full disk (ENOSPC, EDQUOT) or a read-only one
// (EROFS).
func diskErrno(err error) (full, readOnly bool) {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT), errors.Is(err, syscall.EROFS)
}
