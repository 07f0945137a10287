package export

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

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

// TestCleanHTMLLines: a clean text with line numbers sets each paragraph
// in the lines the room shows (80 characters of the text as read, marks
// not counted), numbered, and says nothing else differently.
func TestCleanHTMLLines(t *testing.T) {
	text := "States " + strings.Repeat("recalled the *importance* of cooperation and ", 4) + "agreed."
	d := engine.NewDocument()
	draft, _, err := engine.ImportDraft("# T\n<!-- symbol: A/1 -->\n\n## A\n\n1. " + text + "\n\n2. Short [one].\n")
	if err != nil {
		t.Fatal(err)
	}
	c := engine.Context{Actor: engine.Actor{Person: "sec", Role: engine.RoleSecretariat}}
	if _, err := d.Execute(c, engine.CreateDocument{ID: "d1", Draft: draft}); err != nil {
		t.Fatal(err)
	}
	with, err := Build(d, Request{Report: "clean", Revision: Live, Lines: true}, "", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	html := string(with.HTML())
	starts := LineStarts(d.Order()[0].Text)
	if len(starts) != 2 || strings.Count(html, `<span class="ln" aria-hidden="true">`) != 2+1+1 {
		t.Errorf("%d line starts; the HTML numbers %d lines:\n%s", len(starts), strings.Count(html, `class="ln"`), html)
	}
	// Each numbered line begins where the room's line begins.
	src := []rune(d.Order()[0].Text)
	for k, s := range starts {
		word := strings.Fields(string(src[s:]))[0]
		marker := fmt.Sprintf(`<span class="ln" aria-hidden="true">%d</span>`, k+2)
		i := strings.Index(html, marker)
		if i < 0 || !strings.HasPrefix(strings.TrimLeft(stripTags(html[i+len(marker):]), " "), strings.Trim(word, "*")) {
			t.Errorf("line %d does not begin with %q: %.80s", k+2, word, html[i+len(marker):])
		}
	}
	without, _ := Build(d, Request{Report: "clean", Revision: Live}, "", time.Time{})
	if strings.Contains(string(without.HTML()), `class="ln"`) {
		t.Error("line numbers without asking")
	}
}

func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}
