//go:build !windows

package lingpao

import (
	"errors"
	"syscall"
)

func isEINVAL(err error) bool {
	return errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP)
}
