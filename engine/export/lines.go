package export

import (
	"html"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/draftroom/draftroom/engine"
)

// Line numbers. A paragraph is set in fixed lines of engine.LineWidth
// characters of its text as read — Markdown marks not counted — broken
// after a space (engine.LineStarts). The lines depend on the text alone:
// the room, the projector and the exports of one text number them alike,
// and an issued revision's never change.

// LineStarts returns where each line of a paragraph's text after the first
// begins, as code point offsets in the text as written (marks included),
// the lines being counted on the text as read.
func LineStarts(src string) []int {
	rs := []rune(src)
	hidden := make([]bool, len(rs))
	for _, s := range TextSpans(src) {
		if s.Mark {
			for i := s.Start; i < s.End && i < len(rs); i++ {
				hidden[i] = true
			}
		}
	}
	var visible []rune
	var at []int // source offset of each visible rune
	for i, r := range rs {
		if !hidden[i] {
			visible = append(visible, r)
			at = append(at, i)
		}
	}
	var out []int
	for _, v := range engine.LineStarts(string(visible), engine.LineWidth) {
		out = append(out, at[v])
	}
	return out
}

// LineOf returns the line (from 1) of a paragraph's text that the code
// point at offset is on.
func LineOf(src string, offset int) int {
	n := 1
	for _, s := range LineStarts(src) {
		if offset >= s {
			n++
		}
	}
	return n
}

// linesStyle sets the numbered lines of a clean text: each line on its
// own, its number in the margin (written only when lines are numbered).
const linesStyle = `<style>.lines{display:inline-block;vertical-align:top;padding-inline-start:2.4em}` +
	`.lines .ln{display:inline-block;width:2em;margin-inline-start:-2.4em;margin-inline-end:.4em;text-align:end;color:#666;font-size:.75em}</style>
`

// numberLines sets the inline HTML of a paragraph in its fixed lines: a
// number before the first, and a break and the number before each next
// one. Characters are counted in the text as read: outside tags, an
// entity as one, not in a note (who asked for a bracket), and a footnote
// reference as written ("[^1]"), as the room and Word count them.
func numberLines(inner string) string {
	return numberLinesOf(inner, false)
}

// numberLinesOf is numberLines; with later set, the lines are those of the
// later text of a compare row: deleted text (inside <del>) is shown where
// it stands but not counted, so the numbers are the later text's.
func numberLinesOf(inner string, later bool) string {
	// The text as read, and where each of its characters is in inner.
	var visible []rune
	var pos []int
	skip := 0      // depth inside a note, or (later) inside a deletion
	inRef := false // inside a footnote reference, counted as written ("[^1]")
	for i := 0; i < len(inner); {
		switch c := inner[i]; {
		case c == '<':
			end := strings.IndexByte(inner[i:], '>')
			if end < 0 {
				end = len(inner) - i - 1
			}
			tag := inner[i : i+end+1]
			switch {
			case strings.HasPrefix(tag, `<sup class="fn-ref"`):
				// A footnote reference shows its label and counts as
				// the room counts it, "[^label]".
				inRef = true
				if skip == 0 {
					visible = append(visible, '[', '^')
					pos = append(pos, i, i)
				}
			case inRef && tag == "</sup>":
				inRef = false
				if skip == 0 {
					visible = append(visible, ']')
					pos = append(pos, i)
				}
			case later && strings.HasPrefix(tag, "<del"):
				skip++
			case later && tag == "</del>":
				skip--
			case strings.HasPrefix(tag, `<span class="note"`):
				skip++
			case skip > 0 && strings.HasPrefix(tag, "<span"):
				skip++
			case skip > 0 && tag == "</span>":
				skip--
			}
			i += end + 1
		case c == '&':
			end := strings.IndexByte(inner[i:], ';')
			if end < 0 || end > 10 {
				end = 0
			}
			if skip == 0 {
				r, _ := utf8.DecodeRuneInString(html.UnescapeString(inner[i : i+end+1]))
				visible = append(visible, r)
				pos = append(pos, i)
			}
			i += end + 1
		default:
			r, n := utf8.DecodeRuneInString(inner[i:])
			if skip == 0 {
				visible = append(visible, r)
				pos = append(pos, i)
			}
			i += n
		}
	}
	var b strings.Builder
	b.WriteString(`<span class="ln" aria-hidden="true">1</span>`)
	from := 0
	for k, v := range engine.LineStarts(string(visible), engine.LineWidth) {
		b.WriteString(inner[from:pos[v]])
		b.WriteString(`<br class="lb"><span class="ln" aria-hidden="true">` + strconv.Itoa(k+2) + `</span>`)
		from = pos[v]
	}
	b.WriteString(inner[from:])
	return b.String()
}

// splitLines splits the runs of a paragraph's text into its fixed lines:
// the lines of the later text, deleted runs shown where they stand but
// not counted (as numberLinesOf does for HTML), so that a compare's
// numbers are the later text's and a clean text's the room's. Text at a
// line start that a deletion precedes begins the new line after it.
func splitLines(runs []Run) [][]Run {
	var visible []rune
	for _, r := range runs {
		if r.Op != OpDelete {
			visible = append(visible, []rune(r.Text)...)
		}
	}
	starts := engine.LineStarts(string(visible), engine.LineWidth)
	out := [][]Run{nil}
	at := 0 // visible code points before the current run
	for _, r := range runs {
		if r.Op == OpDelete {
			out[len(out)-1] = append(out[len(out)-1], r)
			continue
		}
		rs := []rune(r.Text)
		from := 0
		for len(starts) > 0 && starts[0] < at+len(rs) {
			cut := starts[0] - at
			starts = starts[1:]
			if cut > from {
				part := r
				part.Text = string(rs[from:cut])
				out[len(out)-1] = append(out[len(out)-1], part)
			}
			out = append(out, nil)
			from = cut
		}
		if from < len(rs) {
			part := r
			part.Text = string(rs[from:])
			out[len(out)-1] = append(out[len(out)-1], part)
		}
		at += len(rs)
	}
	return out
}
