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
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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
// Key and Params name the refusal for clients that show it in another
// language, as gettext does: Key is the English sentence with its values
// numbered ("only {1}, the proposer, can withdraw amendment {2}") and
// Params holds those values by number ("1": "FRA", "2": "a3"), so a
// catalog sentence keyed by Key can be filled in the reader's language.
// Errorf sets both from its format; Message stays the English sentence
// for every other client and the logs.
type Error struct {
	Code    string
	Message string
	Key     string
	Params  map[string]string
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
// Its Key is MessageKey(format) and its Params the arguments, each
// written as the format writes it (a %q argument without its quotes,
// which the key keeps, so translations use their own).
func Errorf(code, format string, args ...any) *Error {
	e := &Error{Code: code, Message: fmt.Sprintf(format, args...)}
	key, verbs := parseFormat(format)
	if key == "" {
		return e
	}
	e.Key = key
	e.Params = make(map[string]string, len(verbs))
	for _, v := range verbs {
		if v.arg >= len(args) {
			continue
		}
		n := strconv.Itoa(v.arg + 1)
		e.Params[n] = fmt.Sprintf(v.spec, args[v.arg])
		if m, ok := args[v.arg].(moment); ok {
			e.Params[n+":"+m.kind] = m.from.UTC().Format(time.RFC3339)
			if m.kind == "span" {
				e.Params[n+":to"] = m.to.UTC().Format(time.RFC3339)
			}
		}
		if r, ok := args[v.arg].(reason); ok && r.key != "" {
			e.Params[n+":key"] = r.key
			for k, p := range r.params {
				e.Params[n+":"+k] = p
			}
		}
	}
	return e
}

// reason is a refusal given inside another (Because).
type reason struct {
	message, key string
	params       map[string]string
}

// String is the reason's message.
func (r reason) String() string { return r.message }

// Because gives err as the reason inside another refusal ("paragraph
// %s: %s"): it prints as ErrorMessage(err), and Errorf passes its key and
// values on as well, under the value's number ("2:key", "2:1"…), so a
// client translates the reason with the sentence around it.
func Because(err error) fmt.Stringer {
	key, params := ErrorKey(err)
	return reason{message: ErrorMessage(err), key: key, params: params}
}

// MessageKey returns the key of the refusals Errorf makes with format:
// the format with each value written {n}, n counting the arguments from
// 1 ("%q" becomes "\"{n}\""), and "%%" written "%". A format with no
// words of its own ("%s", "%v: %v") has no key: its sentence is made
// elsewhere, and the empty key tells clients to show Message.
func MessageKey(format string) string {
	key, _ := parseFormat(format)
	return key
}

// verb is one value of a format: the argument it writes (from 0) and the
// spec that writes it as a parameter.
type verb struct {
	arg  int
	spec string
}

// parseFormat reads a fmt format: its key (MessageKey) and its verbs.
func parseFormat(format string) (string, []verb) {
	var b strings.Builder
	var verbs []verb
	next := 0
	words := false
	for i := 0; i < len(format); {
		c := format[i]
		if c != '%' {
			r, size := utf8.DecodeRuneInString(format[i:])
			if unicode.IsLetter(r) {
				words = true
			}
			b.WriteString(format[i : i+size])
			i += size
			continue
		}
		i++
		if i < len(format) && format[i] == '%' {
			b.WriteByte('%')
			i++
			continue
		}
		spec := strings.Builder{}
		spec.WriteByte('%')
		arg := -1
		// flags, an explicit argument index, width and precision.
		for i < len(format) && strings.IndexByte("+-# 0", format[i]) >= 0 {
			spec.WriteByte(format[i])
			i++
		}
		for i < len(format) && (format[i] == '[' || format[i] == '.' || format[i] == '*' || format[i] == ']' || (format[i] >= '0' && format[i] <= '9')) {
			if format[i] == '[' {
				j := strings.IndexByte(format[i:], ']')
				if j < 0 {
					break
				}
				if n, err := strconv.Atoi(format[i+1 : i+j]); err == nil {
					arg = n - 1
				}
				i += j + 1
				continue
			}
			spec.WriteByte(format[i])
			i++
		}
		if i >= len(format) {
			break
		}
		r, size := utf8.DecodeRuneInString(format[i:])
		i += size
		if arg < 0 {
			arg = next
		}
		next = arg + 1
		placeholder := "{" + strconv.Itoa(arg+1) + "}"
		if r == 'q' {
			placeholder = `"` + placeholder + `"`
			r = 'v'
		}
		spec.WriteRune(r)
		b.WriteString(placeholder)
		verbs = append(verbs, verb{arg: arg, spec: spec.String()})
	}
	if !words {
		return "", nil
	}
	return b.String(), verbs
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
