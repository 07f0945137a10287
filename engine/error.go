// Package engine is the domain core of draftroom: documents, paragraphs,
// brackets, amendments, positions, revisions and the negotiating process.
//
// The engine does no I/O. Every change is a command that the engine
// validates and turns into events; state is the fold of those events
// (Apply is deterministic), so storage, transport and rendering depend on
// the engine and never the other way round.
package engine

import (
	"errors"
	"fmt"
)

// Error codes. They are few on purpose: the server maps each to one HTTP
// status and clients switch on them.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EFORBIDDEN    = "forbidden"
	EUNAUTHORIZED = "unauthorized"
	EINTERNAL     = "internal"
)

// Error is the one error type of draftroom. Message is written for the
// person who caused it: it names what is wrong and where (paragraph, field,
// line) and is safe to show to users.
type Error struct {
	Code    string
	Message string
}

// Error implements the error interface.
func (e *Error) Error() string { return e.Message }

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of the first *Error in err's
// chain. Other errors yield a generic message so that internal details are
// never shown to users.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
