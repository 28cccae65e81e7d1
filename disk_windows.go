//go:build windows

package lingpao

import (
	"errors"
	"syscall"
)

// The Windows system error codes of a full or write-protected disk.
const (
	errorWriteProtect      syscall.Errno = 19   // ERROR_WRITE_PROTECT
	errorHandleDiskFull    syscall.Errno = 39   // ERROR_HANDLE_DISK_FULL
	errorDiskFull          syscall.Errno = 112  // ERROR_DISK_FULL
	errorDiskQuotaExceeded syscall.Errno = 1295 // ERROR_DISK_QUOTA_EXCEEDED
)

// diskErrno reports whether err carries the system error of a full disk or a write-protected one.
func diskErrno(err error) (full, readOnly bool) {
	full = errors.Is(err, errorDiskFull) || errors.Is(err, errorHandleDiskFull) || errors.Is(err, errorDiskQuotaExceeded)
	return full, errors.Is(err, errorWriteProtect)
}
