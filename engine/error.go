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
//
// Key and Params, when set, name the refusal for clients that show it in
// another language: Key is stable ("firstReadingOnly") and Params holds
// the values its sentence names (a meeting, a document, a paragraph), so a
// catalog string can be filled in the reader's language. Message stays
// the English sentence for every other client and the logs.
type Error struct {
	Code    string
	Message string
	Key     string
	Params  map[string]string
}

// With gives the refusal a stable key and its parameters, as name/value
// pairs: Errorf(...).With("firstReadingOnly", "meeting", m, "document", d).
func (e *Error) With(key string, pairs ...string) *Error {
	e.Key = key
	e.Params = make(map[string]string, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		e.Params[pairs[i]] = pairs[i+1]
	}
	return e
}

// ErrorKey returns the key and parameters of the first *Error in err's
// chain, empty when it has none.
func ErrorKey(err error) (string, map[string]string) {
	var e *Error
	if errors.As(err, &e) {
		return e.Key, e.Params
	}
	return "", nil
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
