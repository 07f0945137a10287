package engine

import "strings"

// contextRunes is how much text on each side of a span an anchor keeps.
const contextRunes = 24

// Anchor fixes a span of a paragraph's text: the characters [Start, End)
// (rune offsets), the text they held when the anchor was made and some
// context on each side. A zero-width anchor (Start == End) is an insertion
// point. Anchors are carried onto new versions of the text by MapAnchor.
type Anchor struct {
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Text   string `json:"text"`
	Before string `json:"before,omitempty"`
	After  string `json:"after,omitempty"`
}

// NewAnchor anchors [start, end) of text, with context. It fails with
// EINVALID when the span is outside the text.
func NewAnchor(text string, start, end int) (Anchor, error) {
	rs := []rune(text)
	if start < 0 || end < start || end > len(rs) {
		return Anchor{}, Errorf(EINVALID, "span %d–%d is outside the text (%d characters)", start, end, len(rs))
	}
	b := max(0, start-contextRunes)
	a := min(len(rs), end+contextRunes)
	return Anchor{Start: start, End: end, Text: string(rs[start:end]), Before: string(rs[b:start]), After: string(rs[end:a])}, nil
}

// Check reports whether the anchor still fits text: in range and holding
// the text it was made on. The error names both texts.
func (a Anchor) Check(text string) error {
	rs := []rune(text)
	if a.Start < 0 || a.End < a.Start || a.End > len(rs) {
		return Errorf(EINVALID, "span %d–%d is outside the text (%d characters)", a.Start, a.End, len(rs))
	}
	if got := string(rs[a.Start:a.End]); got != a.Text {
		return Errorf(ECONFLICT, "span %d–%d holds %q, not %q", a.Start, a.End, got, a.Text)
	}
	return nil
}

// MapAnchor carries an anchor through a diff from the text it was made on
// to the new text. It returns false when the target is gone: the span's
// text was deleted or changed and cannot be found unambiguously in the new
// text, or an insertion point fell inside deleted text.
func MapAnchor(a Anchor, ds []Diff) (Anchor, bool) {
	// Positions map through equal text; the start sticks to the right of an
	// insertion made exactly at it, the end to the left.
	oldPos, newPos := 0, 0
	start, end := -1, -1
	intact := true
	for _, d := range ds {
		n := runeLen(d.Text)
		switch d.Op {
		case DiffEqual:
			if start < 0 && a.Start >= oldPos && a.Start < oldPos+n {
				start = newPos + a.Start - oldPos
			}
			if end < 0 && a.End > oldPos && a.End <= oldPos+n {
				end = newPos + a.End - oldPos
			}
			oldPos += n
			newPos += n
		case DiffDelete:
			if start < 0 && a.Start == oldPos {
				start = newPos
			}
			// Deleted text overlapping the span breaks it; so does a
			// deletion around an insertion point.
			if a.Start < oldPos+n && a.End > oldPos {
				intact = false
			}
			if a.Start == a.End && a.Start > oldPos && a.Start < oldPos+n {
				intact = false
			}
			oldPos += n
		case DiffInsert:
			if a.Start < oldPos && a.End > oldPos {
				intact = false // an insertion strictly inside the span
			}
			newPos += n
		}
	}
	if start < 0 && a.Start == oldPos {
		start = newPos
	}
	if a.Start == a.End {
		end = start
	}
	newText := DiffNew(ds)
	if intact && start >= 0 && end >= start {
		m, err := NewAnchor(newText, start, end)
		if err == nil && m.Text == a.Text {
			return m, true
		}
	}
	// Fall back on finding the span's text by its context.
	return relocate(a, newText)
}

// relocate finds the anchored text in text by its context: first with both
// sides, then with one; it succeeds only on a unique match.
func relocate(a Anchor, text string) (Anchor, bool) {
	if a.Text == "" && a.Before == "" && a.After == "" {
		return Anchor{}, false
	}
	for _, probe := range []struct{ before, after string }{{a.Before, a.After}, {a.Before, ""}, {"", a.After}} {
		needle := probe.before + a.Text + probe.after
		if needle == a.Text && a.Text == "" {
			continue
		}
		if len([]rune(needle)) < 4 {
			continue
		}
		i := strings.Index(text, needle)
		if i < 0 || strings.Contains(text[i+1:], needle) {
			continue
		}
		start := runeLen(text[:i]) + runeLen(probe.before)
		m, err := NewAnchor(text, start, start+runeLen(a.Text))
		if err == nil {
			return m, true
		}
	}
	return Anchor{}, false
}

// ApplySpan replaces the anchored span of text by insert and returns the
// new text. The anchor must fit text (see Check).
func ApplySpan(text string, a Anchor, insert string) string {
	rs := []rune(text)
	return string(rs[:a.Start]) + insert + string(rs[a.End:])
}
