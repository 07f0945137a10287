package export

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/draftroom/draftroom/engine"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The redline model. A compare row's Segments say what changed in the
// text as written (Markdown marks included); its Runs are the same text as
// a reader sees it: stretches of one formatting that are kept, deleted or
// inserted. Every format renders a compare from the runs, never from the
// Markdown of the two texts, so formatting can never cross a change
// marker: a run is inside one change or outside all of them. A word whose
// formatting changed but not its letters is a deletion (old formatting)
// and an insertion (new formatting), as Word shows it.

// Emphasis is the inline formatting of a run: a set of Italic, Bold and
// Code.
type Emphasis uint8

// Inline formatting, read from the emphasis and code spans of paragraph
// text.
const (
	Italic Emphasis = 1 << iota
	Bold
	Code
	// hiddenMark marks a byte of Markdown that is not text: "*", "**",
	// "`", an escaping "\".
	hiddenMark
)

// MarshalJSON writes an emphasis as the list of its names, e.g.
// ["italic","bold"].
func (f Emphasis) MarshalJSON() ([]byte, error) {
	names := []string{}
	if f&Italic != 0 {
		names = append(names, "italic")
	}
	if f&Bold != 0 {
		names = append(names, "bold")
	}
	if f&Code != 0 {
		names = append(names, "code")
	}
	return json.Marshal(names)
}

// UnmarshalJSON reads an emphasis written by MarshalJSON, so that a Go
// client reads back what the server sends.
func (f *Emphasis) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err != nil {
		return err
	}
	*f = 0
	for _, n := range names {
		switch n {
		case "italic":
			*f |= Italic
		case "bold":
			*f |= Bold
		case "code":
			*f |= Code
		default:
			return fmt.Errorf("emphasis %q is not italic, bold or code", n)
		}
	}
	return nil
}

// Run is a stretch of visible text with one formatting that a compare
// keeps, deletes or inserts. Runs are what every format renders.
type Run struct {
	Op       Op       `json:"op"`   // equal, insert or delete
	Text     string   `json:"text"` // the visible text, without Markdown marks
	Emphasis Emphasis `json:"emphasis,omitempty"`
	// Restyled marks kept text whose formatting changed; OldEmphasis is
	// the formatting it had. The words are the same, so it is not a
	// deletion and an insertion; Word shows it as a formatting change.
	Restyled    bool     `json:"restyled,omitempty"`
	OldEmphasis Emphasis `json:"oldEmphasis,omitempty"`
	Attribution
}

// plainMD parses paragraph text for its emphasis and code spans only.
var plainMD = sync.OnceValue(func() goldmark.Markdown {
	p := parser.NewParser(
		parser.WithBlockParsers(util.Prioritized(parser.NewParagraphParser(), 1000)),
		parser.WithInlineParsers(
			util.Prioritized(parser.NewCodeSpanParser(), 100),
			util.Prioritized(parser.NewEmphasisParser(), 500),
		),
		parser.WithParagraphTransformers(),
	)
	return goldmark.New(goldmark.WithParser(p))
})

// textStyles gives the formatting of every byte of a paragraph text: the
// emphasis its Markdown marks ask for, and hiddenMark for the marks
// themselves (and for escaping backslashes). A clean text and the two
// sides of a compare read the same text the same way, so accepting every
// change of a compare gives exactly the clean text of the later version.
func textStyles(src string) []Emphasis {
	m := make([]Emphasis, len(src))
	for i := range m {
		m[i] = hiddenMark
	}
	if src == "" {
		return m
	}
	if !strings.ContainsAny(src, "*_`\\") {
		// No emphasis, code or escape: every byte is plain text, as the
		// parse would find (it only trims the paragraph's outer spaces).
		lo, hi := 0, len(src)
		for lo < hi && (src[lo] == ' ' || src[lo] == '\t') {
			lo++
		}
		for hi > lo && (src[hi-1] == ' ' || src[hi-1] == '\t') {
			hi--
		}
		for i := lo; i < hi; i++ {
			m[i] = 0
		}
		return m
	}
	b := []byte(src)
	doc := plainMD().Parser().Parse(text.NewReader(b))
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		t, ok := n.(*ast.Text)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		var st Emphasis
		for p := n.Parent(); p != nil; p = p.Parent() {
			switch e := p.(type) {
			case *ast.Emphasis:
				if e.Level >= 2 {
					st |= Bold
				} else {
					st |= Italic
				}
			case *ast.CodeSpan:
				st |= Code
			}
		}
		for i := t.Segment.Start; i < t.Segment.Stop && i < len(m); i++ {
			m[i] = st
		}
		return ast.WalkContinue, nil
	})
	// Backslash escapes: the backslash is a mark, the character after it
	// text (goldmark keeps both in the text node).
	for i := 0; i+1 < len(b); i++ {
		if b[i] == '\\' && m[i]&hiddenMark == 0 && m[i]&Code == 0 && isASCIIPunct(b[i+1]) {
			m[i] |= hiddenMark
			i++
		}
	}
	return m
}

func isASCIIPunct(c byte) bool {
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~')
}

// appendRun adds a run, merging it into the last one when it continues it.
func appendRun(runs []Run, r Run) []Run {
	if r.Text == "" {
		return runs
	}
	if n := len(runs); n > 0 {
		last := &runs[n-1]
		if last.Op == r.Op && last.Emphasis == r.Emphasis && last.Attribution == r.Attribution &&
			last.Restyled == r.Restyled && last.OldEmphasis == r.OldEmphasis {
			last.Text += r.Text
			return runs
		}
	}
	return append(runs, r)
}

// appendRuns adds the visible bytes of src[from:to] to runs, grouped by
// formatting.
func appendRuns(runs []Run, src string, styles []Emphasis, from, to int, op Op, at Attribution) []Run {
	start := -1
	var cur Emphasis
	flush := func(end int) {
		if start >= 0 && end > start {
			runs = appendRun(runs, Run{Text: src[start:end], Emphasis: cur, Op: op, Attribution: at})
		}
		start = -1
	}
	for i := from; i < to; i++ {
		st := styles[i]
		if st&hiddenMark != 0 {
			flush(i)
			continue
		}
		if start >= 0 && st != cur {
			flush(i)
		}
		if start < 0 {
			start, cur = i, st
		}
	}
	flush(to)
	return runs
}

// TextRuns splits a paragraph text (Markdown) into the runs a reader
// sees: its visible text, grouped by formatting, without the marks. The
// .docx importer checks with it that the Markdown it writes for a Word
// paragraph reads back as the same text and formatting.
func TextRuns(src string) []Run { return textRuns(src, OpEqual, Attribution{}) }

// textRuns splits a text into formatted runs.
func textRuns(src string, op Op, at Attribution) []Run {
	return appendRuns(nil, src, textStyles(src), 0, len(src), op, at)
}

// segmentRuns turns the segments of a compare row into runs: equal and
// inserted text formatted as the later text reads it, deleted text as the
// earlier text reads it. Text that is equal in both but formatted
// differently (a word set in italics) is deleted with its old formatting
// and inserted with its new one.
func segmentRuns(segs []Segment, oldText, newText string) []Run {
	return styledRuns(segs, oldText, newText, textStyles(oldText), textStyles(newText))
}

// styledRuns is segmentRuns with the styles of both texts given.
func styledRuns(segs []Segment, oldText, newText string, oldSt, newSt []Emphasis) []Run {
	var runs []Run
	po, pn := 0, 0
	for _, s := range segs {
		n := len(s.Text)
		switch s.Op {
		case OpEqual:
			runs = equalRuns(runs, oldText, newText, oldSt, newSt, po, pn, n)
			po += n
			pn += n
		case OpInsert:
			runs = appendRuns(runs, newText, newSt, pn, pn+n, OpInsert, s.Attribution)
			pn += n
		case OpDelete:
			runs = appendRuns(runs, oldText, oldSt, po, po+n, OpDelete, s.Attribution)
			po += n
		}
	}
	return runs
}

// equalRuns adds the runs of n bytes that are the same in both texts (at
// po in the old, pn in the new): kept, formatted as the new text reads
// them, and marked restyled where the old text read them otherwise.
func equalRuns(runs []Run, oldText, newText string, oldSt, newSt []Emphasis, po, pn, n int) []Run {
	for k := 0; k < n; {
		j := k + 1
		o, w := oldSt[po+k], newSt[pn+k]
		for j < n && oldSt[po+j] == o && newSt[pn+j] == w {
			j++
		}
		switch {
		case w&hiddenMark != 0 && o&hiddenMark != 0:
			// A mark in both texts: nothing to show.
		case w&hiddenMark != 0:
			// Text in the old, a mark in the new ("*" that now emphasizes).
			runs = appendRuns(runs, oldText, oldSt, po+k, po+j, OpDelete, Attribution{})
		case o&hiddenMark != 0:
			runs = appendRuns(runs, newText, newSt, pn+k, pn+j, OpInsert, Attribution{})
		case o == w:
			runs = appendRuns(runs, newText, newSt, pn+k, pn+j, OpEqual, Attribution{})
		default:
			runs = appendRun(runs, Run{Op: OpEqual, Text: newText[pn+k : pn+j], Emphasis: w, Restyled: true, OldEmphasis: o})
		}
		k = j
	}
	return runs
}

// sideRuns keeps the runs of one side of a compare: the original (equal
// and deleted, drop OpInsert) or the amended (equal and inserted).
func sideRuns(runs []Run, drop Op) []Run {
	out := make([]Run, 0, len(runs))
	for _, r := range runs {
		if r.Op != drop {
			out = append(out, r)
		}
	}
	return out
}

// pilcrow stands for a paragraph mark that a compare inserts or deletes
// in the formats that have no paragraph mark of their own (Markdown,
// HTML).
const pilcrow = "¶"

// numberRuns is a compare row's number as runs: kept, or, when the
// paragraph was renumbered, the old number deleted and the new inserted,
// as Word shows it.
func numberRuns(r Row) []Run {
	switch r.Change {
	case Added, MovedHere:
		return labelRun(nil, r.Number, r.Level, OpInsert, r.Attribution)
	case Deleted, MovedAway:
		return labelRun(nil, r.OldNumber, r.OldLevel, OpDelete, r.Attribution)
	}
	if numberLabel(r.OldNumber, r.OldLevel) == numberLabel(r.Number, r.Level) {
		return labelRun(nil, r.Number, r.Level, OpEqual, Attribution{})
	}
	return labelRun(labelRun(nil, r.OldNumber, r.OldLevel, OpDelete, Attribution{}), r.Number, r.Level, OpInsert, Attribution{})
}

// withSeparator adds the separator that follows a number (a space, a tab)
// to number runs: inside them when the number is only on one side (so
// that accepting or rejecting every change leaves no stray space),
// outside them otherwise.
func withSeparator(nums []Run, sep string) ([]Run, string) {
	if len(nums) == 0 {
		return nil, ""
	}
	op := nums[0].Op
	for _, n := range nums {
		if n.Op != op {
			return nums, sep
		}
	}
	if op == OpEqual {
		return nums, sep
	}
	out := append([]Run(nil), nums...)
	out[len(out)-1].Text += sep
	return out, ""
}

// labelRun adds a paragraph's number label as a run.
func labelRun(runs []Run, number string, level int, op Op, at Attribution) []Run {
	if l := numberLabel(number, level); l != "" {
		return append(runs, Run{Text: l, Op: op, Attribution: at})
	}
	return runs
}

// groupRuns calls f for each stretch of consecutive runs that share an
// operation and an attribution: what one <ins>, <del>, w:ins or {++ ++}
// wraps.
func groupRuns(runs []Run, f func(op Op, at Attribution, rs []Run)) {
	for i := 0; i < len(runs); {
		j := i + 1
		for j < len(runs) && runs[j].Op == runs[i].Op && runs[j].Attribution == runs[i].Attribution {
			j++
		}
		f(runs[i].Op, runs[i].Attribution, runs[i:j])
		i = j
	}
}

// htmlRuns renders runs as HTML: <ins> and <del> around changes (naming
// who brought them when authors is set), <em>, <strong> and <code> inside
// them, so that formatting never crosses a change.
func htmlRuns(runs []Run, authors bool) string {
	var b strings.Builder
	groupRuns(runs, func(op Op, at Attribution, rs []Run) {
		tag := ""
		switch op {
		case OpInsert:
			tag = "ins"
		case OpDelete:
			tag = "del"
		}
		if tag != "" {
			b.WriteString("<" + tag)
			if authors && at.Amendment != "" {
				by := escapeHTML(at.Author + ", amendment " + string(at.Amendment))
				b.WriteString(` data-by="` + by + `" title="` + by + `"`)
			}
			b.WriteString(">")
		}
		for _, r := range rs {
			b.WriteString(htmlRunText(r))
		}
		if tag != "" {
			b.WriteString("</" + tag + ">")
		}
	})
	return b.String()
}

// htmlRunText is one run's text with its formatting.
func htmlRunText(r Run) string {
	s := htmlBrackets(r.Text, r.Op == OpDelete)
	if r.Emphasis&Code != 0 {
		s = "<code>" + s + "</code>"
	}
	if r.Emphasis&Italic != 0 {
		s = "<em>" + s + "</em>"
	}
	if r.Emphasis&Bold != 0 {
		s = "<strong>" + s + "</strong>"
	}
	if r.Restyled {
		s = `<span class="restyled" title="formatting changed">` + s + "</span>"
	}
	return s
}

// htmlBrackets escapes text and marks each square bracket (not a
// footnote reference) with class "bk": a bracketed span may cross a
// change, so a compare marks the brackets, not the spans. Footnote
// references become links to their footnotes.
func htmlBrackets(t string, deleted bool) string {
	if !strings.ContainsAny(t, "[]") {
		return escapeHTML(t)
	}
	var b strings.Builder
	from := 0
	for i := 0; i < len(t); i++ {
		switch {
		case t[i] == '[' && engine.IsFootnoteRef(t[i:]):
			end := i + strings.IndexByte(t[i:], ']')
			b.WriteString(escapeHTML(t[from:i]))
			b.WriteString(footnoteRefHTML(t[i+2:end], deleted))
			i, from = end, end+1
		case t[i] == '[' || t[i] == ']':
			b.WriteString(escapeHTML(t[from:i]))
			b.WriteString(`<span class="bk">` + t[i:i+1] + `</span>`)
			from = i + 1
		}
	}
	b.WriteString(escapeHTML(t[from:]))
	return b.String()
}

// mdRuns renders runs as inline Markdown with the negotiation markup:
// changes in {++ ++} and {-- --} (followed by a note naming the amendment
// when o.authors is set), the formatting of each run written inside the
// change it belongs to, every character that Markdown or the markup would
// read as a mark escaped.
func mdRuns(runs []Run, o inlineOpts) string {
	var b strings.Builder
	first := true
	groupRuns(runs, func(op Op, at Attribution, rs []Run) {
		switch op {
		case OpInsert:
			b.WriteString("{++")
		case OpDelete:
			b.WriteString("{--")
		}
		for _, r := range rs {
			piece := mdRunText(r, o, first && op == OpEqual && o.lineStart)
			if b.Len() > 0 && touchingMarks(lastByte(&b), piece) {
				// An empty note keeps the closing mark of one run from
				// running into the opening mark of the next.
				b.WriteString("{>><<}")
			}
			b.WriteString(piece)
			first = false
		}
		switch op {
		case OpInsert:
			b.WriteString("++}")
		case OpDelete:
			b.WriteString("--}")
		}
		if op != OpEqual && o.authors && at.Amendment != "" {
			b.WriteString("{>>" + noteText(at.Author+", amendment "+string(at.Amendment)) + "<<}")
		}
	})
	out := b.String()
	if o.lineStart && strings.HasSuffix(out, "#") && !strings.HasSuffix(out, `\#`) {
		out = out[:len(out)-1] + `\#`
	}
	return out
}

// mdRunText writes one run: its text escaped, wrapped in the marks of its
// formatting (white space at either end stays outside them, where
// CommonMark needs it).
func mdRunText(r Run, o inlineOpts, lineStart bool) string {
	t := r.Text
	startSpace := ""
	if lineStart {
		// White space that opens a line is not text to Markdown: a
		// character reference keeps it.
		trimmed := strings.TrimLeft(t, " \t")
		startSpace = strings.Repeat("&#32;", len(t)-len(trimmed))
		t = trimmed
	}
	core := strings.TrimRight(strings.TrimLeft(t, " \t"), " \t")
	if core == "" {
		return startSpace + t
	}
	lead := t[:strings.Index(t, core)]
	trail := t[len(lead)+len(core):]
	var body string
	if r.Emphasis&Code != 0 {
		fence := "`"
		for strings.Contains(core, fence) {
			fence += "`"
		}
		pad := ""
		if strings.HasPrefix(core, "`") || strings.HasSuffix(core, "`") {
			pad = " "
		}
		body = fence + pad + core + pad + fence
	} else {
		body = mdEscape(core, o)
		if lineStart && lead == "" {
			if n := blockMarker(core); n >= 0 {
				rest := mdEscape(core[n:], o)
				if !strings.HasPrefix(rest, `\`) {
					rest = `\` + rest
				}
				body = mdEscape(core[:n], o) + rest
			}
		}
	}
	switch r.Emphasis & (Italic | Bold) {
	case Italic:
		body = "*" + body + "*"
	case Bold:
		body = "**" + body + "**"
	case Italic | Bold:
		body = "***" + body + "***"
	}
	return startSpace + lead + body + trail
}

// mdEscape escapes, in visible text, every character Markdown or the
// negotiation markup could read as a mark: emphasis, code, raw HTML,
// entity references, strikethrough, the markup's own braces, table pipes.
// Brackets stay as they are: paired or not, they render as themselves.
func mdEscape(s string, o inlineOpts) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '*', '_', '`', '<', '~':
			b.WriteByte('\\')
		case '&':
			if entityRef.MatchString(s[i:]) {
				b.WriteByte('\\')
			}
		case '{':
			if strings.HasPrefix(s[i+1:], "++") || strings.HasPrefix(s[i+1:], "--") || strings.HasPrefix(s[i+1:], ">>") {
				b.WriteByte('\\')
			}
		case '}':
			if i >= 2 && (s[i-2:i] == "++" || s[i-2:i] == "--" || s[i-2:i] == "<<") {
				b.WriteByte('\\')
			}
		case '|':
			if o.table {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

// touchingMarks reports whether Markdown written so far (ending in last) ends with an
// emphasis or code mark and the next piece starts with one: CommonMark
// would read the two as one run of delimiters.
func touchingMarks(last byte, next string) bool {
	if next == "" {
		return false
	}
	first := next[0]
	return (last == '*' || last == '`') && (first == '*' || first == '`')
}

// lastByte is the last byte written to b, which is not empty.
func lastByte(b *strings.Builder) byte {
	s := b.String() // no copy: String shares the buffer
	return s[len(s)-1]
}

// proposalRuns turns the segments of a proposal in a compilation (the
// context, the words it deletes, the words it inserts) into runs, each
// read with its own formatting.
func proposalRuns(segs []Segment) []Run {
	var runs []Run
	for _, s := range segs {
		runs = appendRuns(runs, s.Text, fragmentStyles(s.Text), 0, len(s.Text), s.Op, s.Attribution)
	}
	return runs
}

// fragmentStyles reads a fragment of a paragraph (a proposal's context)
// as textStyles does, but keeps the white space at its ends, which a
// paragraph parse would trim.
func fragmentStyles(text string) []Emphasis {
	st := textStyles(text)
	for i := 0; i < len(text) && (text[i] == ' ' || text[i] == '\t'); i++ {
		st[i] = 0
	}
	for i := len(text) - 1; i >= 0 && (text[i] == ' ' || text[i] == '\t'); i-- {
		st[i] = 0
	}
	return st
}

// TextSpan is a stretch of a paragraph's text, in Unicode code points
// from the start of the text, that is not plain: text in a formatting
// (Emphasis) or Markdown marks that a reader does not see (Mark: "*",
// "**", "`", an escaping "\"). The room draws a paragraph with them, so
// that it reads as the exports print it while every character of the
// text, marks included, keeps its offset for selections.
type TextSpan struct {
	Start    int      `json:"start"`
	End      int      `json:"end"`
	Emphasis Emphasis `json:"emphasis,omitempty"`
	Mark     bool     `json:"mark,omitempty"`
}

// TextSpans returns the formatted stretches and the marks of a paragraph
// text, in order; nil for a text with no emphasis, code or escape. It
// reads the text as every export does (textStyles).
func TextSpans(src string) []TextSpan {
	if !strings.ContainsAny(src, "*_`\\") {
		return nil
	}
	styles := textStyles(src)
	var out []TextSpan
	cp := 0
	for i := 0; i < len(src); {
		st := styles[i]
		start := cp
		for i < len(src) && styles[i] == st {
			_, n := utf8.DecodeRuneInString(src[i:])
			i += n
			cp++
		}
		if st == 0 {
			continue
		}
		out = append(out, TextSpan{Start: start, End: cp, Emphasis: st &^ hiddenMark, Mark: st&hiddenMark != 0})
	}
	// Spaces trimmed from the ends of a paragraph are not marks.
	for len(out) > 0 && out[0].Mark && strings.TrimSpace(string([]rune(src)[out[0].Start:out[0].End])) == "" {
		out = out[1:]
	}
	for len(out) > 0 && out[len(out)-1].Mark && strings.TrimSpace(string([]rune(src)[out[len(out)-1].Start:out[len(out)-1].End])) == "" {
		out = out[:len(out)-1]
	}
	return out
}

// ChangeRuns is the word diff of two texts of a paragraph as formatted
// runs, the redline model every export renders: the room shows with it a
// paragraph as an amendment would make it read, and each version of a
// paragraph's history against the one before.
func ChangeRuns(oldText, newText string) []Run {
	return segmentRuns(segments(engine.WordDiff(oldText, newText)), oldText, newText)
}

// AppliedRuns is the paragraph as it would read with a pending amendment
// that changes words of it (insert, delete, replace), compared word by
// word with the paragraph as it reads now; nil for any other amendment,
// whose preview already shows the whole paragraph.
func AppliedRuns(d *engine.Document, a *engine.Amendment) []Run {
	switch a.Op {
	case engine.OpInsert, engine.OpDelete, engine.OpReplace:
	default:
		return nil
	}
	text, ok := d.AppliedText(a)
	if !ok {
		return nil
	}
	return ChangeRuns(d.Paragraphs[a.Para].Text, text)
}
