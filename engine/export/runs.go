package export

import (
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Inline formatting of a run, read from the emphasis in paragraph text.
const (
	styleItalic uint8 = 1 << iota
	styleBold
	styleCode
	styleHidden // a Markdown mark: "*", "**", "`", an escaping "\"
)

// run is a stretch of text with one formatting, for the formats that
// write formatting themselves (Word, Akoma Ntoso).
type run struct {
	Text  string // the text, without Markdown marks
	Style uint8  // styleItalic, styleBold, styleCode
	Op    Op     // equal, insert or delete
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
// emphasis its Markdown marks ask for, and styleHidden for the marks
// themselves (and for escaping backslashes). A clean text and the two
// sides of a compare read the same text the same way, so accepting every
// change of a compare gives exactly the clean text of the later version.
func textStyles(src string) []uint8 {
	m := make([]uint8, len(src))
	for i := range m {
		m[i] = styleHidden
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
		var st uint8
		for p := n.Parent(); p != nil; p = p.Parent() {
			switch e := p.(type) {
			case *ast.Emphasis:
				if e.Level >= 2 {
					st |= styleBold
				} else {
					st |= styleItalic
				}
			case *ast.CodeSpan:
				st |= styleCode
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
		if b[i] == '\\' && m[i]&styleHidden == 0 && m[i]&styleCode == 0 && isASCIIPunct(b[i+1]) {
			m[i] |= styleHidden
			i++
		}
	}
	return m
}

func isASCIIPunct(c byte) bool {
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~')
}

// appendRuns adds the visible bytes of src[from:to] to runs, grouped by
// formatting.
func appendRuns(runs []run, src string, styles []uint8, from, to int, op Op, at Attribution) []run {
	start := -1
	var cur uint8
	flush := func(end int) {
		if start >= 0 && end > start {
			runs = append(runs, run{Text: src[start:end], Style: cur, Op: op, Attribution: at})
		}
		start = -1
	}
	for i := from; i < to; i++ {
		st := styles[i]
		if st&styleHidden != 0 {
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

// textRuns splits a text into formatted runs.
func textRuns(src string, op Op, at Attribution) []run {
	return appendRuns(nil, src, textStyles(src), 0, len(src), op, at)
}

// segmentRuns splits the segments of a compare into formatted runs: equal
// and inserted text formatted as the later text reads, deleted text as the
// earlier text reads.
func segmentRuns(segs []Segment, oldText, newText string) []run {
	oldSt, newSt := textStyles(oldText), textStyles(newText)
	var runs []run
	po, pn := 0, 0
	for _, s := range segs {
		n := len(s.Text)
		switch s.Op {
		case OpEqual:
			runs = appendRuns(runs, newText, newSt, pn, pn+n, OpEqual, Attribution{})
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
