package engine

import (
	"errors"
	"maps"
	"testing"
	"time"
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

// TestBecause checks that a refusal given as the reason of another keeps
// its key and values inside the outer one's.
func TestBecause(t *testing.T) {
	inner := Errorf(ECONFLICT, "amendment %s is already %s", "a3", "obsolete")
	e := Errorf(EINVALID, "paragraph %s: %s", "4", Because(inner))
	if e.Message != "paragraph 4: amendment a3 is already obsolete" || e.Key != "paragraph {1}: {2}" {
		t.Fatalf("got %q key %q", e.Message, e.Key)
	}
	want := map[string]string{"1": "4", "2": "amendment a3 is already obsolete", "2:key": "amendment {1} is already {2}", "2:1": "a3", "2:2": "obsolete"}
	if !maps.Equal(e.Params, want) {
		t.Errorf("params %v, want %v", e.Params, want)
	}
	if got := Errorf(EINVALID, "rules: %s", Because(errors.New("disk detail"))).Message; got != "rules: Internal error." {
		t.Errorf("an internal reason shows %q", got)
	}
}

// TestMomentParams checks that a date, an instant or an interval in a
// refusal reads in English in the message and comes as ISO 8601 values
// in the params, for the client to write the reader's way.
func TestMomentParams(t *testing.T) {
	start := time.Date(2027, 7, 5, 10, 0, 0, 0, time.UTC)
	e := Errorf(ECONFLICT, "meeting %s runs %s, after %s, opened %s", "m1", span(start, start.Add(3*time.Hour)), day(start.AddDate(0, 0, -1)), when(start))
	if e.Message != "meeting m1 runs 5 July 2027, 10:00–13:00 UTC, after 4 July 2027, opened 5 July 2027, 10:00 UTC" {
		t.Errorf("message %q", e.Message)
	}
	want := map[string]string{"1": "m1", "2": "5 July 2027, 10:00–13:00 UTC", "2:span": "2027-07-05T10:00:00Z", "2:to": "2027-07-05T13:00:00Z",
		"3": "4 July 2027", "3:day": "2027-07-04T10:00:00Z", "4": "5 July 2027, 10:00 UTC", "4:when": "2027-07-05T10:00:00Z"}
	if !maps.Equal(e.Params, want) {
		t.Errorf("params %v, want %v", e.Params, want)
	}
	if got := span(start, start.AddDate(0, 0, 4)).String(); got != "5 July 2027, 10:00 UTC – 9 July 2027, 10:00 UTC" {
		t.Errorf("a span across days reads %q", got)
	}
}
