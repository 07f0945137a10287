package export

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/draftroom/draftroom/engine"
)

// inlineOpts says where a run of inline Markdown goes.
type inlineOpts struct {
	// notes maps the rune offset of a closing bracket in the text to who
	// asked for the bracket.
	notes map[int]string
	// lineStart: the run starts a Markdown line, so block markers at its
	// start ("# ", "- ", "12. ") must be escaped.
	lineStart bool
	// table: the run goes in a table cell, so "|" is escaped.
	table bool
	// authors: insertions and deletions brought by an amendment are
	// followed by a note naming it.
	authors bool
}

var entityRef = regexp.MustCompile(`^&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

// mdText encodes plain negotiation text as inline Markdown.
func mdText(text string, o inlineOpts) string {
	return mdInline([]Segment{{Op: OpEqual, Text: text}}, o)
}

// mdInline encodes segments of text as inline Markdown with the
// negotiation markup: inserted segments in {++ ++}, deleted ones in
// {-- --}. Text is kept as written — emphasis included — except that what
// Markdown would read as something else is escaped: "<" (raw HTML is never
// produced), entity references, the markup's own marks, brackets that do
// not pair up in the text, emphasis marks that an insertion or deletion
// would leave unpaired, and block markers at the start of a line.
func mdInline(segs []Segment, o inlineOpts) string {
	var combined strings.Builder
	for _, s := range segs {
		combined.WriteString(s.Text)
	}
	all := combined.String()
	unmatched := unmatchedBrackets(all)
	var b strings.Builder
	b.Grow(len(all) + 16)
	k := 0 // rune offset in the combined text
	first := true
	for _, s := range segs {
		text := s.Text
		if first && o.lineStart {
			trimmed := strings.TrimLeft(text, " \t")
			k += utf8.RuneCountInString(text[:len(text)-len(trimmed)])
			text = trimmed
		}
		var escapeEmph [3]bool // "*", "_", "`" left unpaired by a change
		if s.Op != OpEqual {
			for i, c := range "*_`" {
				escapeEmph[i] = strings.Count(text, string(c))%2 == 1
			}
		}
		switch s.Op {
		case OpInsert:
			b.WriteString("{++")
		case OpDelete:
			b.WriteString("{--")
		}
		if first && o.lineStart && s.Op == OpEqual {
			if n := blockMarker(text); n >= 0 {
				b.WriteString(text[:n])
				b.WriteByte('\\')
				k += utf8.RuneCountInString(text[:n])
				text = text[n:]
			}
		}
		first = false
		// Copy runs of ordinary text at once; look at the ASCII characters
		// Markdown or the markup might read, counting runes only there.
		from, counted := 0, 0
		at := func(i int) int { // rune offset of byte i of this segment
			k += utf8.RuneCountInString(text[counted:i])
			counted = i
			return k
		}
		for i := 0; i < len(text); i++ {
			c := text[i]
			var esc string
			switch c {
			case '<':
				esc = `\<`
			case '&':
				if entityRef.MatchString(text[i:]) {
					esc = `\&`
				}
			case '[', ']':
				if unmatched != nil && unmatched[at(i)] {
					esc = `\` + string(c)
				}
			case '{':
				if strings.HasPrefix(text[i+1:], "++") || strings.HasPrefix(text[i+1:], "--") || strings.HasPrefix(text[i+1:], ">>") {
					esc = `\{`
				}
			case '}':
				if i >= 2 && (text[i-2:i] == "++" || text[i-2:i] == "--" || text[i-2:i] == "<<") {
					esc = `\}`
				}
			case '|':
				if o.table {
					esc = `\|`
				}
			case '\\':
				if i == len(text)-1 {
					esc = `\\`
				}
			case '*':
				if escapeEmph[0] {
					esc = `\*`
				}
			case '_':
				if escapeEmph[1] {
					esc = `\_`
				}
			case '`':
				if escapeEmph[2] {
					esc = "\\`"
				}
			}
			note, hasNote := "", false
			if c == ']' && o.notes != nil {
				note, hasNote = o.notes[at(i)]
			}
			if esc == "" && !hasNote {
				continue
			}
			b.WriteString(text[from:i])
			if esc != "" {
				b.WriteString(esc)
			} else {
				b.WriteByte(c)
			}
			if hasNote {
				b.WriteString("{>>" + noteText(note) + "<<}")
			}
			from = i + 1
		}
		b.WriteString(text[from:])
		at(len(text))
		switch s.Op {
		case OpInsert:
			b.WriteString("++}")
		case OpDelete:
			b.WriteString("--}")
		}
		if s.Op != OpEqual && o.authors && s.Amendment != "" {
			b.WriteString("{>>" + noteText(s.Author+", amendment "+string(s.Amendment)) + "<<}")
		}
	}
	out := b.String()
	if o.lineStart && strings.HasSuffix(out, "#") && !strings.HasSuffix(out, `\#`) {
		out = out[:len(out)-1] + `\#`
	}
	return out
}

// unmatchedBrackets returns the rune offsets of the brackets that do not
// pair up in text by the bracket grammar, or nil when all do. A text
// without escapes or footnote references whose brackets balance as a
// stack needs no parse.
func unmatchedBrackets(text string) map[int]bool {
	if !strings.ContainsAny(text, "[]") {
		return nil
	}
	if !strings.Contains(text, "\\") && !strings.Contains(text, "[^") {
		depth, ok := 0, true
		for i := 0; i < len(text) && ok; i++ {
			switch text[i] {
			case '[':
				depth++
			case ']':
				depth--
				ok = depth >= 0
			}
		}
		if ok && depth == 0 {
			return nil
		}
	}
	ps := engine.ParseBrackets(text).Problems
	if len(ps) == 0 {
		return nil
	}
	m := make(map[int]bool, len(ps))
	for _, p := range ps {
		m[p.Offset] = true
	}
	return m
}

// noteText keeps a note from closing early or holding markup.
func noteText(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '<', '>', '{', '}', '\n', '\r':
			return -1
		}
		return r
	}, s)
}

// blockMarker returns the byte offset before which a backslash keeps the
// start of a line from reading as a block (heading, quote, list item,
// thematic break, code fence), or -1.
func blockMarker(s string) int {
	if s == "" {
		return -1
	}
	switch s[0] {
	case '#', '>', '=':
		return 0
	case '-', '+', '*':
		if len(s) == 1 || s[1] == ' ' || s[1] == '\t' || isRule(s) {
			return 0
		}
	case '_':
		if isRule(s) {
			return 0
		}
	case '`', '~':
		if len(s) >= 3 && s[1] == s[0] && s[2] == s[0] {
			return 0
		}
	}
	n := 0
	for n < len(s) && n < 10 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n > 0 && n <= 9 && n < len(s) && (s[n] == '.' || s[n] == ')') && (n+1 == len(s) || s[n+1] == ' ' || s[n+1] == '\t') {
		return n
	}
	return -1
}

// isRule reports whether a line is a thematic break ("---", "* * *").
func isRule(s string) bool {
	c, n := s[0], 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case c:
			n++
		case ' ', '\t':
		default:
			return false
		}
	}
	return n >= 3
}

// bracketNotes maps the rune offset of each attributed bracket's closing
// "]" to who asked for it.
func bracketNotes(bs []BracketBy) map[int]string {
	if len(bs) == 0 {
		return nil
	}
	m := make(map[int]string, len(bs))
	for _, b := range bs {
		m[b.End-1] = statesText(b.By)
	}
	return m
}
