package export_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine/export"
)

// TestCompareHTMLLines numbers the later text's lines in the HTML compare:
// a paragraph shows as many line numbers as its later text has lines,
// deleted words are shown but not counted, and a deleted paragraph is no
// line of the later text.
func TestCompareHTMLLines(t *testing.T) {
	long := strings.Repeat("States reaffirmed the framework of responsible State behaviour in the use of ICTs. ", 4)
	oldSrc := "# Case\n\n1. " + long + "\n\n2. " + long + "\n"
	newSrc := "# Case\n\n1. " + strings.Repeat("States noted the framework. ", 2) + "\n"
	o := createRoom(t, oldSrc, "old", "en").doc.Outline()
	n := createRoom(t, newSrc, "new", "en").doc.Outline()
	c := export.CompareDrafts(o, n, export.Meta{Title: "Case"}, export.CompareOptions{Lines: true})
	page := string(c.HTML())
	rows := regexp.MustCompile(`(?m)^<p class="para[^"]*" id="[^"]*" data-change="([a-z-]+)">.*</p>$`).FindAllStringSubmatch(page, -1)
	if len(rows) != 2 {
		t.Fatalf("want a changed and a deleted row, got %d rows:\n%s", len(rows), page)
	}
	newText := n.Sections[0].Paras[0].Text
	want := 1 + len(export.LineStarts(newText))
	for _, r := range rows {
		got := strings.Count(r[0], `class="ln"`)
		switch r[1] {
		case "deleted":
			if got != 0 {
				t.Errorf("the deleted paragraph is numbered (%d line numbers): it is no line of the later text", got)
			}
		default:
			if got != want {
				t.Errorf("the changed paragraph has %d line numbers; its later text has %d lines (deleted words counted?)", got, want)
			}
		}
	}
	if c2 := export.CompareDrafts(o, n, export.Meta{Title: "Case"}, export.CompareOptions{}); strings.Contains(string(c2.HTML()), `class="ln"`) {
		t.Error("lines are numbered without being asked for")
	}
}
