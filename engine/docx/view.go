package docx

import (
	"strings"
	"unicode"

	"github.com/draftroom/draftroom/engine/export"
)

// view is a way of reading tracked changes: as Word's Accept All leaves
// the text, or as Reject All does.
type view uint8

const (
	acceptView view = iota
	rejectView
)

// visible reports whether a run is text in a view, and with which
// formatting.
func (r Run) visible(v view) (bool, Emphasis) {
	em := r.Emphasis
	if v == rejectView && r.Restyled != nil {
		em = r.OldEmphasis
	}
	switch r.Change.Kind {
	case Inserted, MovedTo:
		return v == acceptView, em
	case Deleted, MovedFrom:
		return v == rejectView, em
	}
	return true, em
}

// piece is a stretch of visible text of one formatting, or a footnote
// reference.
type piece struct {
	text string
	em   Emphasis
	fn   string // footnote w:id
}

// pieces lists the visible text of runs in a view. Footnote references
// are written [^label] with the label fnLabel gives (the w:id if nil).
func pieces(runs []Run, v view, fnLabel func(string) string) []piece {
	var out []piece
	for _, r := range runs {
		ok, em := r.visible(v)
		if !ok {
			continue
		}
		if r.Footnote != "" {
			label := r.Footnote
			if fnLabel != nil {
				label = fnLabel(r.Footnote)
			}
			out = append(out, piece{text: "[^" + label + "]", em: em, fn: r.Footnote})
			continue
		}
		if n := len(out); n > 0 && out[n-1].fn == "" && out[n-1].em == em {
			out[n-1].text += r.Text
			continue
		}
		out = append(out, piece{text: r.Text, em: em})
	}
	return out
}

// plainText is the visible text of runs in a view, without formatting.
func plainText(runs []Run, v view) string {
	var b strings.Builder
	for _, p := range pieces(runs, v, nil) {
		b.WriteString(p.text)
	}
	return b.String()
}

// dropPrefix removes the first n bytes of visible text.
func dropPrefix(ps []piece, n int) []piece {
	for n > 0 && len(ps) > 0 {
		if len(ps[0].text) <= n {
			n -= len(ps[0].text)
			ps = ps[1:]
			continue
		}
		p := ps[0]
		p.text = p.text[n:]
		ps = append([]piece{p}, ps[1:]...)
		n = 0
	}
	return ps
}

// markdown writes pieces as paragraph text in draftroom's Markdown: bold
// "**…**", italic "*…*", footnote references as written. Characters that
// Markdown would read as marks are escaped only when they would be: the
// result is checked by reading it back (export.TextRuns), and escaped when
// it does not give the same text and formatting.
func markdown(ps []piece) string {
	ps = tidyPieces(ps)
	// A literal asterisk is always escaped, as drafts write it; other
	// marks only when they would be read as marks.
	raw := emit(ps, starEscaper)
	if sameRuns(raw, ps) {
		return raw
	}
	return emit(ps, mdEscaper)
}

// tidyPieces trims the paragraph, moves the white space at the edges of
// formatted text outside it (Markdown emphasis cannot start or end with
// a space) and merges neighbours of one formatting.
func tidyPieces(in []piece) []piece {
	var ps []piece
	push := func(p piece) {
		if p.text == "" {
			return
		}
		if n := len(ps); n > 0 && p.fn == "" && ps[n-1].fn == "" && ps[n-1].em == p.em {
			ps[n-1].text += p.text
			return
		}
		ps = append(ps, p)
	}
	for _, p := range in {
		if p.fn != "" || p.em == 0 {
			push(p)
			continue
		}
		core := strings.TrimFunc(p.text, unicode.IsSpace)
		if core == "" {
			push(piece{text: p.text})
			continue
		}
		i := strings.Index(p.text, core)
		push(piece{text: p.text[:i]})
		push(piece{text: core, em: p.em})
		push(piece{text: p.text[i+len(core):]})
	}
	// Trim the paragraph.
	for len(ps) > 0 && ps[0].fn == "" && strings.TrimLeftFunc(ps[0].text, unicode.IsSpace) == "" {
		ps = ps[1:]
	}
	if len(ps) > 0 && ps[0].fn == "" {
		ps[0].text = strings.TrimLeftFunc(ps[0].text, unicode.IsSpace)
	}
	for len(ps) > 0 && ps[len(ps)-1].fn == "" && strings.TrimRightFunc(ps[len(ps)-1].text, unicode.IsSpace) == "" {
		ps = ps[:len(ps)-1]
	}
	if n := len(ps); n > 0 && ps[n-1].fn == "" {
		ps[n-1].text = strings.TrimRightFunc(ps[n-1].text, unicode.IsSpace)
	}
	return ps
}

var (
	mdEscaper   = strings.NewReplacer(`\`, `\\`, `*`, `\*`, `_`, `\_`, "`", "\\`")
	starEscaper = strings.NewReplacer(`*`, `\*`)
)

// emit writes the pieces; an island of formatted pieces shares its outer
// mark when every piece has it ("**a *b***").
func emit(ps []piece, esc *strings.Replacer) string {
	var b strings.Builder
	text := func(p piece) string {
		if p.fn == "" {
			return esc.Replace(p.text)
		}
		return p.text
	}
	marks := func(em Emphasis) string {
		switch em {
		case Bold:
			return "**"
		case Italic:
			return "*"
		case Bold | Italic:
			return "***"
		}
		return ""
	}
	for i := 0; i < len(ps); {
		if ps[i].em == 0 {
			b.WriteString(text(ps[i]))
			i++
			continue
		}
		j := i
		common := Bold | Italic
		for j < len(ps) && ps[j].em != 0 {
			common &= ps[j].em
			j++
		}
		if common == 0 || j == i+1 {
			for _, p := range ps[i:j] {
				m := marks(p.em)
				b.WriteString(m + text(p) + m)
			}
			i = j
			continue
		}
		outer := marks(common)
		b.WriteString(outer)
		for _, p := range ps[i:j] {
			m := marks(p.em &^ common)
			b.WriteString(m + text(p) + m)
		}
		b.WriteString(outer)
		i = j
	}
	return b.String()
}

// sameRuns reports whether md reads back as the text and formatting of
// the pieces.
func sameRuns(md string, ps []piece) bool {
	var want, got []piece
	for _, p := range ps {
		if n := len(want); n > 0 && want[n-1].em == p.em {
			want[n-1].text += p.text
			continue
		}
		want = append(want, piece{text: p.text, em: p.em})
	}
	for _, r := range export.TextRuns(md) {
		em := Emphasis(0)
		if r.Emphasis&export.Italic != 0 {
			em |= Italic
		}
		if r.Emphasis&export.Bold != 0 {
			em |= Bold
		}
		if r.Emphasis&export.Code != 0 {
			return false
		}
		if n := len(got); n > 0 && got[n-1].em == em {
			got[n-1].text += r.Text
			continue
		}
		got = append(got, piece{text: r.Text, em: em})
	}
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}
