package export

import (
	"html"
	"strings"

	"github.com/draftroom/draftroom/engine"
)

// Footnotes. The text keeps a footnote as Markdown does: a reference
// "[^label]" in a paragraph (one token of the word diff, so a compare
// deletes or inserts it whole) and a definition, an unnumbered paragraph
// "[^label]: text" (the importers put the definitions at the end of the
// last section). A report marks each definition that the text refers to
// as a footnote (Row.Footnote); HTML and PDF print it in the list of
// footnotes at the end of the report instead of in the body, and Word as a
// real footnote (word/footnotes.xml) at each reference. A definition that
// nothing refers to, or a second definition of a label, stays a paragraph
// of the body, so no text is ever lost.

// footnoteDef reads a footnote definition "[^label]: text": its label and
// the byte offset where its text starts (after the colon and the spaces).
func footnoteDef(text string) (label string, body int, ok bool) {
	if !engine.IsFootnoteRef(text) {
		return "", 0, false
	}
	end := strings.IndexByte(text, ']')
	if end+1 >= len(text) || text[end+1] != ':' {
		return "", 0, false
	}
	body = end + 2
	for body < len(text) && (text[body] == ' ' || text[body] == '\t') {
		body++
	}
	return text[2:end], body, true
}

// footnoteRefs calls f with the label of every footnote reference in
// text.
func footnoteRefs(text string, f func(label string)) {
	for i := strings.Index(text, "[^"); i >= 0; {
		if engine.IsFootnoteRef(text[i:]) {
			end := i + strings.IndexByte(text[i:], ']')
			f(text[i+2 : end])
			i = end
		}
		j := strings.Index(text[i+1:], "[^")
		if j < 0 {
			return
		}
		i += 1 + j
	}
}

// isDefRow reports whether a row reads as a footnote definition on every
// side it has, with one label; a definition that split, merged or was
// rewritten with others, or whose label changed, stays a paragraph.
func isDefRow(r Row) (string, bool) {
	if r.Kind != ParagraphRow || r.Number != "" || r.OldNumber != "" || r.OptionStart || r.OldOptionStart {
		return "", false
	}
	switch r.Change {
	case "", Unchanged, Changed, Renumbered:
		l, _, ok := footnoteDef(r.Text)
		if !ok {
			return "", false
		}
		if r.Change != "" {
			if ol, _, ok := footnoteDef(r.OldText); !ok || ol != l {
				return "", false
			}
		}
		return l, true
	case Added:
		l, _, ok := footnoteDef(r.Text)
		return l, ok
	case Deleted, MovedAway:
		l, _, ok := footnoteDef(r.OldText)
		return l, ok
	case MovedHere:
		// Where a definition stands does not matter to a footnote: a
		// moved one is its old text (at its old place) and its compared
		// text (at the new).
		l, _, ok := footnoteDef(r.Text)
		if ol, _, oldOK := footnoteDef(r.OldText); !oldOK || ol != l {
			return "", false
		}
		return l, ok
	}
	return "", false
}

// markFootnotes sets Row.Footnote on the definitions of the rows that the
// other rows refer to: on each side of a compare (the earlier text, the
// later), the first definition of each label referred to on that side. A
// definition that exists on a side where nothing refers to it, or that
// has paragraphs of its own under it, stays in the body.
func markFootnotes(rows []Row) {
	var referred [2]map[string]bool // by side: 0 the earlier text, 1 the later
	for _, r := range rows {
		if _, ok := isDefRow(r); ok {
			continue
		}
		// The text of each side the row is in (a deleted row keeps its
		// text in both fields, an added one too).
		switch r.Change {
		case "":
			footnoteRefs(r.Text, func(l string) { setSide(&referred[0], l); setSide(&referred[1], l) })
		case Deleted, MovedAway:
			footnoteRefs(r.OldText, func(l string) { setSide(&referred[0], l) })
		case Added, MovedHere:
			footnoteRefs(r.Text, func(l string) { setSide(&referred[1], l) })
		default:
			footnoteRefs(r.Text, func(l string) { setSide(&referred[1], l) })
			footnoteRefs(r.OldText, func(l string) { setSide(&referred[0], l) })
		}
	}
	if referred[0] == nil && referred[1] == nil {
		return
	}
	// taken: the labels already defined on a side. The first definition
	// of a label on a side is the one that counts, as in Markdown, even
	// when it stays in the body.
	var taken [2]map[string]bool
	for i := range rows {
		r := &rows[i]
		var defs [2]string
		if r.Kind == ParagraphRow {
			if r.Change != Added && r.Change != MovedHere {
				old := r.OldText
				if r.Change == "" {
					old = r.Text
				}
				defs[0], _, _ = footnoteDef(old)
			}
			if r.Change != Deleted && r.Change != MovedAway {
				defs[1], _, _ = footnoteDef(r.Text)
			}
		}
		l, ok := isDefRow(*r)
		if ok && i+1 < len(rows) && rows[i+1].Kind == ParagraphRow && rows[i+1].Level > r.Level {
			ok = false
		}
		if ok {
			for _, sd := range rowSides(*r) {
				if !referred[sd][l] || taken[sd][l] {
					ok = false
				}
			}
		}
		if ok {
			r.Footnote = l
		}
		for sd, d := range defs {
			if d != "" {
				setSide(&taken[sd], d)
			}
		}
	}
}

func setSide(m *map[string]bool, l string) {
	if *m == nil {
		*m = map[string]bool{}
	}
	(*m)[l] = true
}

// rowSides lists the sides of a compare a row is in: 0 the earlier text,
// 1 the later; both for a clean text.
func rowSides(r Row) []int {
	switch r.Change {
	case Added, MovedHere:
		return []int{1}
	case Deleted, MovedAway:
		return []int{0}
	}
	return []int{0, 1}
}

// footnoteRuns is the text of a footnote row as runs, without its
// "[^label]: " prefix: the text's own runs in a clean text, the compare's
// runs in a compare.
func footnoteRuns(r Row) []Run {
	if r.Change == "" {
		_, body, _ := footnoteDef(r.Text)
		return appendRuns(nil, r.Text, textStyles(r.Text), body, len(r.Text), OpEqual, Attribution{})
	}
	// The prefix is visible text at the start of the runs, kept (or
	// inserted, or deleted with the whole row).
	prefix := "[^" + r.Footnote + "]:"
	var out []Run
	skip := len(prefix)
	for _, x := range r.Runs {
		if skip > 0 {
			n := min(skip, len(x.Text))
			x.Text = x.Text[n:]
			skip -= n
		}
		if skip == 0 && len(out) == 0 {
			x.Text = strings.TrimLeft(x.Text, " \t")
		}
		out = appendRun(out, x)
	}
	return out
}

// footnoteIndex finds the footnote row of a label on each side of a
// compare: a reference in deleted text is to the earlier text's footnote,
// any other to the later text's.
type footnoteIndex struct {
	old, new map[string]*Row
}

func indexFootnotes(rows []Row) *footnoteIndex {
	var idx *footnoteIndex
	for i := range rows {
		r := &rows[i]
		if r.Footnote == "" {
			continue
		}
		if idx == nil {
			idx = &footnoteIndex{old: map[string]*Row{}, new: map[string]*Row{}}
		}
		for _, sd := range rowSides(*r) {
			if sd == 0 {
				idx.old[r.Footnote] = r
			} else {
				idx.new[r.Footnote] = r
			}
		}
	}
	return idx
}

// find is the footnote a reference refers to, or nil.
func (x *footnoteIndex) find(label string, deleted bool) *Row {
	if x == nil {
		return nil
	}
	if deleted {
		return x.old[label]
	}
	return x.new[label]
}

// anchor is the HTML id of a footnote row: "fn-label", or for a footnote
// the later text deleted, "fn-label-deleted" (the later text may have a
// footnote of that label of its own).
func anchor(r *Row) string {
	if r.Change == Deleted || r.Change == MovedAway {
		return "fn-" + r.Footnote + "-deleted"
	}
	return "fn-" + r.Footnote
}

// splitRefs splits run text at its footnote references: f is called with
// each stretch of text and each reference (ref set to its label).
func splitRefs(text string, f func(s string, ref string)) {
	from := 0
	for i := 0; i < len(text); i++ {
		if text[i] == '[' && engine.IsFootnoteRef(text[i:]) {
			end := i + strings.IndexByte(text[i:], ']')
			if i > from {
				f(text[from:i], "")
			}
			f(text[i:end+1], text[i+2:end])
			i = end
			from = end + 1
		}
	}
	if from < len(text) {
		f(text[from:], "")
	}
}

// The HTML of footnotes. A reference is written as a link to its footnote
// wherever it is rendered (footnoteRefHTML); once the page's body is
// written, linkFootnotes gives each reference to a footnote of the report
// an id for the footnote's back-link and turns references to labels the
// report has no footnote for back into the text they are.

const (
	fnRefOpen    = `<sup class="fn-ref"><a href="#fn-`
	fnRefOldOpen = `<sup class="fn-ref old"><a href="#fn-`
)

// footnoteRefHTML is the HTML of a footnote reference; deleted says it is
// in deleted text, a reference to the earlier text's footnote.
func footnoteRefHTML(label string, deleted bool) string {
	l := escapeHTML(label)
	open := fnRefOpen
	if deleted {
		open = fnRefOldOpen
	}
	return open + l + `">` + l + `</a></sup>`
}

// linkFootnotes points the references in body to footnotes in idx at
// them, gives each an id for the footnote's back-link ("fnref-label",
// then "fnref-label-2", …) and writes the others as text.
func linkFootnotes(body string, idx *footnoteIndex) string {
	if !strings.Contains(body, `<sup class="fn-ref`) {
		return body
	}
	seen := map[string]int{}
	var b strings.Builder
	for {
		i, open := strings.Index(body, fnRefOpen), fnRefOpen
		if j := strings.Index(body, fnRefOldOpen); j >= 0 && (i < 0 || j < i) {
			i, open = j, fnRefOldOpen
		}
		if i < 0 {
			b.WriteString(body)
			return b.String()
		}
		b.WriteString(body[:i])
		rest := body[i+len(open):]
		q := strings.Index(rest, `">`)
		end := strings.Index(rest, `</a></sup>`)
		if q < 0 || end < q {
			b.WriteString(body[i:])
			return b.String()
		}
		l := rest[:q]
		if row := idx.find(html.UnescapeString(l), open == fnRefOldOpen); row != nil {
			a := escapeHTML(anchor(row))
			seen[a]++
			id := "fnref-" + strings.TrimPrefix(a, "fn-")
			if n := seen[a]; n > 1 {
				id += "-" + itoa(n)
			}
			b.WriteString(`<sup class="fn-ref"><a id="` + id + `" href="#` + a + `">` + rest[q+2:end] + `</a></sup>`)
		} else {
			b.WriteString("[^" + l + "]")
		}
		body = rest[end+len(`</a></sup>`):]
	}
}

// unlinkFootnotes writes the footnote references of one row's HTML as
// text: a definition left in the body (one nothing refers to, a second
// one of a label) starts with its own label, which is not a reference.
func unlinkFootnotes(inner string) string {
	return linkFootnotes(inner, nil)
}

// htmlFootnotes writes the footnotes of a report: each footnote row, in
// the order of the text, with its label linking back to the first
// reference. In a compare the footnote's text shows its changes.
func htmlFootnotes(b *strings.Builder, rows []Row) {
	first := true
	for _, r := range rows {
		if r.Footnote == "" || r.Change == MovedAway {
			// The old place of a moved footnote: its text is the moved
			// one's, compared.
			continue
		}
		if first {
			b.WriteString("<section class=\"footnotes\" aria-label=\"Footnotes\">\n")
			first = false
		}
		b.WriteString(htmlFootnote(r, ""))
	}
	if !first {
		b.WriteString("</section>\n")
	}
}

// htmlFootnote is one footnote as a paragraph: its label (a link back to
// the first reference) and its text; extra is more HTML after the text.
func htmlFootnote(r Row, extra string) string {
	l, a := escapeHTML(r.Footnote), escapeHTML(anchor(&r))
	var inner string
	if r.Change == "" {
		_, body, _ := footnoteDef(r.Text)
		inner = inlineHTML(mdText(r.Text[body:], inlineOpts{}))
		if r.Deleted {
			inner = "<s>" + inner + "</s> <span class=\"note\">struck through: deletion pending agreement</span>"
		}
	} else {
		inner = htmlRuns(footnoteRuns(r), true)
	}
	inner = unlinkFootnotes(inner) // a footnote does not refer to another
	label := `<a class="fn-back" href="#fnref-` + strings.TrimPrefix(a, "fn-") + `" title="back to the text">` + l + `</a>`
	switch r.Change {
	case Added:
		label = "<ins>" + label + "</ins>"
	case Deleted, MovedAway:
		label = "<del>" + label + "</del>"
	}
	change := ""
	switch r.Change {
	case "":
	case MovedHere:
		change = ` data-change="` + string(Changed) + `"` // where a footnote is written does not matter
	default:
		change = ` data-change="` + string(r.Change) + `"`
	}
	return `<p class="para footnote" id="` + a + `" data-footnote="` + l + `"` + change + `>` + label + " " + inner + extra + "</p>\n"
}
