//go:build windows

package lingpao

import (
	"errors"
	"syscall"
)

func isEINVAL(err error) bool { return true }

// The Windows system errors of a file another program holds open: Excel and WPS hold a workbook they
// show, so it can be neither replaced nor deleted.
const (
	errorAccessDenied     syscall.Errno = 5  // ERROR_ACCESS_DENIED (replacing a file open elsewhere)
	errorSharingViolation syscall.Errno = 32 // ERROR_SHARING_VIOLATION
	errorLockViolation    syscall.Errno = 33 // ERROR_LOCK_VIOLATION
)

// lockedByAnother reports whether a write failed because another program holds the target.
func lockedByAnother(err error) bool {
	return errors.Is(err, errorSharingViolation) || errors.Is(err, errorLockViolation) || errors.Is(err, errorAccessDenied)
}
