package engine

import (
	"maps"
	"testing"
)

// TestErrorfKey checks that a refusal carries its sentence with numbered
// values and the values by number, as the catalogs translate it.
func TestErrorfKey(t *testing.T) {
	for _, c := range []struct {
		format string
		args   []any
		key    string
		params map[string]string
	}{
		{"only %s, the proposer, can withdraw amendment %s", []any{"FRA", AmendmentID("a3")},
			"only {1}, the proposer, can withdraw amendment {2}", map[string]string{"1": "FRA", "2": "a3"}},
		{"paragraph %s changed since version %d and the text %q you edited is no longer there", []any{"4", 7, `say "no"`},
			`paragraph {1} changed since version {2} and the text "{3}" you edited is no longer there`,
			map[string]string{"1": "4", "2": "7", "3": `say "no"`}},
		{"%[2]s before %[1]s, 100%% sure", []any{"a", "b"}, "{2} before {1}, 100% sure", map[string]string{"1": "a", "2": "b"}},
		{"%-6s|%05.1f", []any{"x", 2.5}, "", nil},
		{"%s: %v", []any{"a", "b"}, "", nil},
		{"line %d is %x", []any{3, 255}, "line {1} is {2}", map[string]string{"1": "3", "2": "ff"}},
		{"段落 %s", []any{"3"}, "段落 {1}", map[string]string{"1": "3"}},
	} {
		e := Errorf(EINVALID, c.format, c.args...)
		if e.Key != c.key || !maps.Equal(e.Params, c.params) {
			t.Errorf("Errorf(%q): key %q params %v, want %q %v", c.format, e.Key, e.Params, c.key, c.params)
		}
		if MessageKey(c.format) != c.key {
			t.Errorf("MessageKey(%q) = %q, want %q", c.format, MessageKey(c.format), c.key)
		}
	}
}
