package export

import (
	"reflect"
	"testing"

	"github.com/draftroom/draftroom/engine"
)

// TestTextSpans: the room draws a paragraph's emphasis from the spans the
// exports read, in code points, marks hidden but counted.
func TestTextSpans(t *testing.T) {
	for _, c := range []struct {
		src  string
		want []TextSpan
	}{
		{"plain text, no marks", nil},
		{"🌐 *no two* and **first**.", []TextSpan{
			{Start: 2, End: 3, Mark: true}, {Start: 3, End: 9, Emphasis: Italic}, {Start: 9, End: 10, Mark: true},
			{Start: 15, End: 17, Mark: true}, {Start: 17, End: 22, Emphasis: Bold}, {Start: 22, End: 24, Mark: true}}},
		{"a `code` b \\* c", []TextSpan{
			{Start: 2, End: 3, Mark: true}, {Start: 3, End: 7, Emphasis: Code}, {Start: 7, End: 8, Mark: true}, {Start: 11, End: 12, Mark: true}}},
		{"snake_case stays", nil},
	} {
		got := TextSpans(c.src)
		if c.want == nil && len(got) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("TextSpans(%q) =\n%+v, want\n%+v", c.src, got, c.want)
		}
	}
}

// TestContextWords: the context of an amendment is cut between words,
// never mid-word ("…onal peace" was shown), with "…" only where the
// paragraph goes on (issue 17, defect 5).
func TestContextWords(t *testing.T) {
	a := engine.Anchor{Start: 40, End: 44, Text: "text", Before: "maintenance of international ", After: "peace and security. More words fol"}
	a.Before = string([]rune(a.Before)[5:]) // 24 runes, cut inside "maintenance"
	a.After = string([]rune(a.After)[:24])
	b, f := contextWords(a)
	if b != "…of international " || f != "peace and security.…" {
		t.Errorf("contextWords = %q, %q", b, f)
	}
	b, f = contextWords(engine.Anchor{Start: 7, End: 10, Before: "States ", After: " the end."})
	if b != "States " || f != " the end." {
		t.Errorf("contextWords at the paragraph's ends = %q, %q", b, f)
	}
}

// TestEmphasisJSON: an emphasis reads back as it was written.
func TestEmphasisJSON(t *testing.T) {
	for _, e := range []Emphasis{0, Italic, Bold | Code, Italic | Bold | Code} {
		b, err := e.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		var got Emphasis
		if err := got.UnmarshalJSON(b); err != nil || got != e {
			t.Errorf("%s read back as %v, %v", b, got, err)
		}
	}
	var bad Emphasis
	if err := bad.UnmarshalJSON([]byte(`["underline"]`)); err == nil {
		t.Error("an unknown emphasis was read")
	}
}
