package engine

// LineWidth is how many characters a line of a text with line numbers
// holds, as in the amendment tools parliaments use (80 in Antragsgrün).
const LineWidth = 80

// LineStarts returns where each line of a paragraph's text after the first
// begins (code points), the text being set in lines of at most width
// characters broken after a space; a word longer than a line, and text
// written without spaces (Chinese), is broken at the width. The lines
// depend on the text alone, so they are fixed for an issued revision, and
// "paragraph 12, line 3" names the same words on every screen and in every
// export of it.
func LineStarts(text string, width int) []int {
	if width <= 0 {
		width = LineWidth
	}
	rs := []rune(text)
	var out []int
	for start := 0; len(rs)-start > width; {
		next := start + width
		for i := start + width; i > start; i-- {
			if rs[i] == ' ' {
				next = i + 1
				break
			}
		}
		if next >= len(rs) {
			break // the text ends with the space the line breaks after
		}
		out = append(out, next)
		start = next
	}
	return out
}

// LineOf returns the line (from 1) of a paragraph's text that the
// character at offset is on.
func LineOf(text string, offset int) int {
	n := 1
	for _, s := range LineStarts(text, LineWidth) {
		if offset >= s {
			n++
		}
	}
	return n
}
