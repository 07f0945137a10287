package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/draftroom/draftroom/engine"
)

// decodeJSON reads a JSON request body of at most limit bytes into v,
// strictly (see decodeStrict). Errors name the field that is wrong.
func decodeJSON(r *http.Request, limit int64, v any) error {
	if r.ContentLength > limit {
		return engine.Errorf(engine.EINVALID, "the request body is %d bytes; the limit is %d", r.ContentLength, limit)
	}
	data, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return engine.Errorf(engine.EINVALID, "the request body is larger than the limit of %d bytes", limit)
		}
		return engine.Errorf(engine.EINVALID, "the request body could not be read to its end")
	}
	return decodeStrict(data, v, "")
}

// decodeStrict decodes one JSON value into v and refuses, in plain words
// naming the field: invalid UTF-8 (which encoding/json would silently turn
// into U+FFFD), fields v does not have, values of the wrong type, dates
// that are not RFC 3339, and anything after the value. prefix names where
// data sits in a larger message ("command." for a command's body), so
// that a field is named by its whole path.
func decodeStrict(data []byte, v any, prefix string) error {
	if !utf8.Valid(data) {
		return engine.Errorf(engine.EINVALID, "%s is not valid UTF-8; send text in UTF-8", fieldWords(prefix, invalidUTF8Field(data)))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err, data, prefix)
	}
	if _, err := dec.Token(); err != io.EOF {
		return engine.Errorf(engine.EINVALID, "%s holds more than one JSON value: something follows it at byte %d", bodyWords(prefix), dec.InputOffset())
	}
	return nil
}

// jsonError turns a JSON decoding error into an EINVALID in plain words
// naming the field: never encoding/json's own text, which speaks of Go
// types.
func jsonError(err error, data []byte, prefix string) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	var pe *time.ParseError
	switch {
	case errors.As(err, &te):
		if te.Field == "" {
			return engine.Errorf(engine.EINVALID, "%s must be %s, not %s", bodyWords(prefix), typeWords(te.Type), valueWords(te.Value))
		}
		return engine.Errorf(engine.EINVALID, "%s must be %s, not %s", fieldWords(prefix, te.Field), typeWords(te.Type), valueWords(te.Value))
	case errors.As(err, &se):
		return engine.Errorf(engine.EINVALID, "%s is not valid JSON (at byte %d)", bodyWords(prefix), se.Offset)
	case errors.As(err, &pe):
		return engine.Errorf(engine.EINVALID, "%s must be a date and time such as \"2027-03-01T10:00:00Z\" (RFC 3339, with a time zone), not %q", fieldWords(prefix, fieldWithValue(data, pe.Value)), pe.Value)
	case errors.Is(err, io.EOF):
		return engine.Errorf(engine.EINVALID, "%s is empty; send a JSON object", bodyWords(prefix))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return engine.Errorf(engine.EINVALID, "%s ends in the middle of a JSON value", bodyWords(prefix))
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return engine.Errorf(engine.EINVALID, "unknown field %s%s; the fields are those of docs/protocol.md", prefix, strings.Trim(name, `"`))
	}
	var ue *json.UnsupportedValueError
	if errors.As(err, &ue) {
		return engine.Errorf(engine.EINVALID, "%s has a value that cannot be read", bodyWords(prefix))
	}
	// A value refused by a field's own decoder (an unknown enumeration
	// value, say): its message is ours, not encoding/json's.
	var ee *engine.Error
	if errors.As(err, &ee) {
		return ee
	}
	return engine.Errorf(engine.EINVALID, "%s could not be read as JSON", bodyWords(prefix))
}

// fieldWords names a field by its whole path: `field "command.version"`.
func fieldWords(prefix, field string) string {
	path := strings.TrimSuffix(prefix+field, ".")
	if path == "" {
		return "the body"
	}
	return fmt.Sprintf("field %q", path)
}

// bodyWords names the value being decoded: the body, or a field holding
// it.
func bodyWords(prefix string) string {
	if p := strings.TrimSuffix(prefix, "."); p != "" {
		return fmt.Sprintf("field %q", p)
	}
	return "the body"
}

var timeType = reflect.TypeFor[time.Time]()

// typeWords says what a Go type expects, in JSON words.
func typeWords(t reflect.Type) string {
	if t == timeType {
		return "a date and time such as \"2027-03-01T10:00:00Z\""
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "a whole number"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number, 0 or more"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Pointer:
		return typeWords(t.Elem())
	}
	return "another kind of value"
}

// valueWords says what kind of JSON value was sent, from encoding/json's
// description of it ("string", "number -1", "array").
func valueWords(v string) string {
	switch {
	case v == "string":
		return "a string"
	case v == "bool":
		return "true or false"
	case v == "array":
		return "a list"
	case v == "object":
		return "an object"
	case v == "number":
		return "a number"
	case strings.HasPrefix(v, "number "):
		return "the number " + strings.TrimPrefix(v, "number ")
	}
	return v
}

// invalidUTF8Field returns the dotted path of the field whose key or
// string value holds the first invalid UTF-8 byte of data, or "" when it
// cannot tell.
func invalidUTF8Field(data []byte) string {
	bad := 0
	for bad < len(data) {
		r, n := utf8.DecodeRune(data[bad:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		bad += n
	}
	var path string
	walkJSON(data, func(p string, end int64, _ any) bool {
		if end > int64(bad) {
			path = p
			return false
		}
		return true
	})
	return path
}

// fieldWithValue returns the dotted path of the first field whose value
// is the string v, or "" when there is none.
func fieldWithValue(data []byte, v string) string {
	var path string
	walkJSON(data, func(p string, _ int64, val any) bool {
		if s, ok := val.(string); ok && s == v {
			path = p
			return false
		}
		return true
	})
	return path
}

// walkJSON calls f with the dotted path, the end offset and the value of
// every key and scalar of data, in order, until f returns false or the
// JSON ends or breaks. Keys are reported with their object's path plus
// their own name; list items with their list's path.
func walkJSON(data []byte, f func(path string, end int64, v any) bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	type level struct {
		object bool
		key    string
		keyed  bool // the next string in an object is a value, not a key
		path   string
	}
	var stack []level
	cur := func() string {
		if len(stack) == 0 {
			return ""
		}
		l := stack[len(stack)-1]
		if l.object {
			return strings.TrimPrefix(l.path+"."+l.key, ".")
		}
		return l.path
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return
		}
		end := dec.InputOffset()
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				stack = append(stack, level{object: t == '{', path: cur()})
				continue
			default:
				stack = stack[:len(stack)-1]
			}
		default:
			if len(stack) > 0 && stack[len(stack)-1].object && !stack[len(stack)-1].keyed {
				l := &stack[len(stack)-1]
				l.key, _ = t.(string)
				l.keyed = true
				if !f(cur(), end, nil) {
					return
				}
				continue
			}
			if !f(cur(), end, t) {
				return
			}
		}
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].keyed = false
		}
	}
}
