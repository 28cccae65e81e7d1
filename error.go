package lingpao

import (
	"errors"
	"fmt"
)

// Application error codes. Each adapter maps them once: web to HTTP statuses, cmd to exit codes.
const (
	ECONFLICT     = "conflict"     // the action clashes with the current state
	EINTERNAL     = "internal"     // a fault of ours; logged, never shown in detail
	EINVALID      = "invalid"      // the input is wrong; the message says how to fix it
	ENOTFOUND     = "not_found"    // the thing asked for does not exist
	EUNAUTHORIZED = "unauthorized" // the user may not do this
	ENOSPACE      = "no_space"     // the disk refused a write: it is full or read-only (see DiskError)
)

// Error is lingpao's application error. Message is plain Chinese for the user and says what to do.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("lingpao error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any other error and ""
// for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of the first *Error in err's chain; any other error
// yields a generic message, because internal details are logged, not shown.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "内部错误，请联系系统管理员查看日志。"
}

// Wrap annotates *errp with the operation that failed, keeping the chain (%w), when *errp is not nil.
// Use it deferred: defer lingpao.Wrap(&err, "sqlite.SaveSubmission(%s)", id).
func Wrap(errp *error, format string, args ...any) {
	if *errp != nil {
		*errp = fmt.Errorf("%s: %w", fmt.Sprintf(format, args...), *errp)
	}
}
