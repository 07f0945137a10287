package export

import (
	"bytes"
	"strings"
	"sync"

	"github.com/draftroom/draftroom/engine"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The negotiation markup that the Markdown reports use inside text, on
// top of CommonMark emphasis and code spans:
//
//	[text]          a bracket: text not agreed (nests; "[a][b]" are alternatives)
//	{++text++}      text inserted
//	{--text--}      text deleted
//	{>>note<<}      a note; right after a bracket, an insertion or a
//	                deletion it says who asked for it or brought it
//
// Markup is the goldmark extension that reads it: brackets become
// <span class="bracket"> (with data-by and a title naming who asked for
// them), insertions <ins> and deletions <del>. Marks that do not pair up
// within one run of formatting stay visible as the characters they are.

// Kinds of the nodes Markup adds to a goldmark tree.
var (
	// KindBracket is a bracketed span: text that is not agreed.
	KindBracket = ast.NewNodeKind("DraftroomBracket")
	// KindInsert is inserted text.
	KindInsert = ast.NewNodeKind("DraftroomInsert")
	// KindDelete is deleted text.
	KindDelete = ast.NewNodeKind("DraftroomDelete")
	// KindNote is a note that no bracket, insertion or deletion took up.
	KindNote = ast.NewNodeKind("DraftroomNote")
	kindMark = ast.NewNodeKind("DraftroomMark")
)

// Bracket is a bracketed span in a goldmark tree.
type Bracket struct {
	ast.BaseInline
	// By names who asked for the bracket, from a note right after it.
	By string
	// Alternative marks a bracket adjacent to another ("[shall][should]").
	Alternative bool
}

// Kind implements ast.Node.
func (*Bracket) Kind() ast.NodeKind { return KindBracket }

// Dump implements ast.Node.
func (n *Bracket) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"By": n.By}, nil)
}

// Edit is inserted or deleted text in a goldmark tree.
type Edit struct {
	ast.BaseInline
	// Insert tells an insertion from a deletion.
	Insert bool
	// By says who brought the change, from a note right after it.
	By string
}

// Kind implements ast.Node.
func (n *Edit) Kind() ast.NodeKind {
	if n.Insert {
		return KindInsert
	}
	return KindDelete
}

// Dump implements ast.Node.
func (n *Edit) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"By": n.By}, nil)
}

// Note is a note in a goldmark tree.
type Note struct {
	ast.BaseInline
	// Note is the note, as written.
	Note string
}

// Kind implements ast.Node.
func (*Note) Kind() ast.NodeKind { return KindNote }

// Dump implements ast.Node.
func (n *Note) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Note": n.Note}, nil)
}

type markKind int

const (
	markOpenBracket markKind = iota
	markCloseBracket
	markOpenInsert
	markCloseInsert
	markOpenDelete
	markCloseDelete
)

// mark is an opening or closing mark until the transformer pairs it; an
// unpaired mark renders as its literal text.
type mark struct {
	ast.BaseInline
	kind markKind
	lit  string
}

// Kind implements ast.Node.
func (*mark) Kind() ast.NodeKind { return kindMark }

// Dump implements ast.Node.
func (n *mark) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Lit": n.lit}, nil)
}

// markParser reads the marks of the negotiation markup. With footnotes
// set, a footnote reference becomes a footnoteRef node (a link to the
// footnote); otherwise it is kept as text.
type markParser struct{ footnotes bool }

// Trigger implements parser.InlineParser: the characters that may start
// a mark.
func (markParser) Trigger() []byte { return []byte{'[', ']', '{', '+', '-'} }

// Parse implements parser.InlineParser: it reads one mark, a note or a
// footnote reference (kept as text), or nothing.
func (mp markParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, _ := block.PeekLine()
	if len(line) == 0 {
		return nil
	}
	take := func(k markKind, n int) ast.Node {
		m := &mark{kind: k, lit: string(line[:n])}
		block.Advance(n)
		return m
	}
	switch line[0] {
	case '[':
		if engine.IsFootnoteRef(line) {
			n := bytes.IndexByte(line, ']') + 1
			block.Advance(n)
			if mp.footnotes {
				return &footnoteRef{label: string(line[2 : n-1])}
			}
			return ast.NewString(line[:n])
		}
		return take(markOpenBracket, 1)
	case ']':
		return take(markCloseBracket, 1)
	case '{':
		switch {
		case bytes.HasPrefix(line, []byte("{++")):
			return take(markOpenInsert, 3)
		case bytes.HasPrefix(line, []byte("{--")):
			return take(markOpenDelete, 3)
		case bytes.HasPrefix(line, []byte("{>>")):
			end := bytes.Index(line[3:], []byte("<<}"))
			if end < 0 {
				return nil
			}
			n := &Note{Note: string(line[3 : 3+end])}
			block.Advance(3 + end + 3)
			return n
		}
	case '+':
		if bytes.HasPrefix(line, []byte("++}")) {
			return take(markCloseInsert, 3)
		}
	case '-':
		if bytes.HasPrefix(line, []byte("--}")) {
			return take(markCloseDelete, 3)
		}
	}
	return nil
}

// markTransformer pairs marks into brackets, insertions and deletions once
// a document is parsed (after emphasis, so pairs never cross it).
type markTransformer struct{}

// Transform implements parser.ASTTransformer.
func (markTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	pairAll(doc)
}

// pairAll pairs marks among the children of n, innermost first.
func pairAll(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if c.HasChildren() {
			pairAll(c)
		}
	}
	if n.Type() == ast.TypeDocument {
		return
	}
	// Insertions and deletions first: the compare writes them flat, and a
	// bracket mark inside one belongs to it.
	wrapPairs(n, markOpenInsert, markCloseInsert, func() ast.Node { return &Edit{Insert: true} })
	wrapPairs(n, markOpenDelete, markCloseDelete, func() ast.Node { return &Edit{} })
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if ch, ok := c.(*Edit); ok {
			pairBrackets(ch)
			takeNotes(ch)
		}
	}
	pairBrackets(n)
	takeNotes(n)
}

// wrapPairs wraps the children between an open mark and the next close
// mark of the same kind into a new node; nested opens stay literal.
func wrapPairs(n ast.Node, open, close markKind, newNode func() ast.Node) {
	var start *mark
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		if m, ok := c.(*mark); ok {
			switch {
			case m.kind == open && start == nil:
				start = m
			case m.kind == close && start != nil:
				w := newNode()
				for x := start.NextSibling(); x != m; {
					xn := x.NextSibling()
					w.AppendChild(w, x) // AppendChild detaches x from n
					x = xn
				}
				n.ReplaceChild(n, start, w)
				n.RemoveChild(n, m)
				start = nil
			}
		}
		c = next
	}
}

// pairBrackets pairs bracket marks among the children of n with a stack,
// as engine.ParseBrackets does.
func pairBrackets(n ast.Node) {
	var stack []*mark
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		if m, ok := c.(*mark); ok {
			switch {
			case m.kind == markOpenBracket:
				stack = append(stack, m)
			case m.kind == markCloseBracket && len(stack) > 0:
				start := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				b := &Bracket{}
				for x := start.NextSibling(); x != m; {
					xn := x.NextSibling()
					b.AppendChild(b, x)
					x = xn
				}
				n.ReplaceChild(n, start, b)
				n.RemoveChild(n, m)
			}
		}
		c = next
	}
}

// markAlternatives marks brackets adjacent to another bracket as
// alternatives; run after takeNotes, since a note between two brackets
// does not separate them.
func markAlternatives(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if b, ok := c.(*Bracket); ok {
			_, prev := c.PreviousSibling().(*Bracket)
			_, next := c.NextSibling().(*Bracket)
			b.Alternative = prev || next
		}
	}
}

// takeNotes gives a note that follows a bracket, an insertion or a
// deletion to it.
func takeNotes(n ast.Node) {
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		if note, ok := c.(*Note); ok {
			switch p := c.PreviousSibling().(type) {
			case *Bracket:
				p.By = note.Note
				n.RemoveChild(n, c)
			case *Edit:
				p.By = note.Note
				n.RemoveChild(n, c)
			}
		}
		c = next
	}
	markAlternatives(n)
}

// markRenderer renders the negotiation markup as HTML.
type markRenderer struct{}

// RegisterFuncs implements renderer.NodeRenderer.
func (markRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindBracket, renderBracket)
	reg.Register(KindInsert, renderChange)
	reg.Register(KindDelete, renderChange)
	reg.Register(KindNote, renderNote)
	reg.Register(kindMark, renderMark)
	reg.Register(kindFootnoteRef, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString(footnoteRefHTML(n.(*footnoteRef).label, false))
		}
		return ast.WalkSkipChildren, nil
	})
}

// kindFootnoteRef is a footnote reference read by the inline converter.
var kindFootnoteRef = ast.NewNodeKind("DraftroomFootnoteRef")

// footnoteRef is a footnote reference ("[^label]") in a goldmark tree.
type footnoteRef struct {
	ast.BaseInline
	label string
}

// Kind implements ast.Node.
func (*footnoteRef) Kind() ast.NodeKind { return kindFootnoteRef }

// Dump implements ast.Node.
func (n *footnoteRef) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Label": n.label}, nil)
}

func renderBracket(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	b := n.(*Bracket)
	if !entering {
		_, _ = w.WriteString("]</span>")
		return ast.WalkContinue, nil
	}
	depth := 1
	for p := n.Parent(); p != nil; p = p.Parent() {
		if _, ok := p.(*Bracket); ok {
			depth++
		}
	}
	class := "bracket"
	if b.Alternative {
		class += " alternative"
	}
	_, _ = w.WriteString(`<span class="` + class + `" data-depth="` + itoa(depth) + `"`)
	if b.By != "" {
		by := escapeHTML(b.By)
		_, _ = w.WriteString(` data-by="` + by + `" title="Bracketed at the request of ` + by + `"`)
	}
	_, _ = w.WriteString(">[")
	return ast.WalkContinue, nil
}

func renderChange(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	c := n.(*Edit)
	tag := "del"
	if c.Insert {
		tag = "ins"
	}
	if !entering {
		_, _ = w.WriteString("</" + tag + ">")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString("<" + tag)
	if c.By != "" {
		by := escapeHTML(c.By)
		_, _ = w.WriteString(` data-by="` + by + `" title="` + by + `"`)
	}
	_, _ = w.WriteString(">")
	return ast.WalkContinue, nil
}

func renderNote(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(`<span class="note">` + escapeHTML(n.(*Note).Note) + `</span>`)
	}
	return ast.WalkSkipChildren, nil
}

func renderMark(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(escapeHTML(n.(*mark).lit))
	}
	return ast.WalkSkipChildren, nil
}

func escapeHTML(s string) string { return string(util.EscapeHTML([]byte(s))) }

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

// markup is the goldmark extension for the negotiation markup; with
// footnotes, footnote references are links (the reports' own HTML).
type markup struct{ footnotes bool }

// Markup is the goldmark extension for the negotiation markup: brackets,
// insertions, deletions and notes (see the package documentation of
// markup.go and docs/formats.md). It adds an inline parser, an AST
// transformer that pairs the marks and an HTML renderer.
var Markup goldmark.Extender = markup{}

// Extend implements goldmark.Extender.
func (e markup) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithInlineParsers(util.Prioritized(markParser{footnotes: e.footnotes}, 50)),
		parser.WithASTTransformers(util.Prioritized(markTransformer{}, 50)),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(markRenderer{}, 50)))
}

// NewMarkdown returns the goldmark converter for draftroom's Markdown
// reports: CommonMark blocks, GFM tables and strikethrough, emphasis and
// code spans, and the negotiation markup. It deliberately has no raw HTML
// (blocks or inline), no links, no autolinks and no link reference
// definitions: user text may contain "<script>" or "[text](javascript:…)",
// and it must come out as text. Raw HTML is never passed through.
func NewMarkdown() goldmark.Markdown {
	var blocks []util.PrioritizedValue
	for _, b := range parser.DefaultBlockParsers() {
		if isHTMLBlockParser(b.Value) {
			continue
		}
		blocks = append(blocks, b)
	}
	p := parser.NewParser(
		parser.WithBlockParsers(blocks...),
		parser.WithInlineParsers(
			util.Prioritized(parser.NewCodeSpanParser(), 100),
			util.Prioritized(parser.NewEmphasisParser(), 500),
		),
		parser.WithParagraphTransformers(),
	)
	return goldmark.New(
		goldmark.WithParser(p),
		goldmark.WithRenderer(renderer.NewRenderer(renderer.WithNodeRenderers(util.Prioritized(html.NewRenderer(), 1000)))),
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, Markup),
	)
}

// isHTMLBlockParser tells the raw HTML block parser apart by its triggers.
func isHTMLBlockParser(v any) bool {
	bp, ok := v.(parser.BlockParser)
	return ok && string(bp.Trigger()) == "<"
}

// inlineMarkdown converts one paragraph of the negotiation markup, without
// block structure, to HTML without the enclosing <p>.
var inlineMD = sync.OnceValue(func() goldmark.Markdown {
	p := parser.NewParser(
		parser.WithBlockParsers(util.Prioritized(parser.NewParagraphParser(), 1000)),
		parser.WithInlineParsers(
			util.Prioritized(parser.NewCodeSpanParser(), 100),
			util.Prioritized(parser.NewEmphasisParser(), 500),
		),
		parser.WithParagraphTransformers(),
	)
	return goldmark.New(
		goldmark.WithParser(p),
		goldmark.WithRenderer(renderer.NewRenderer(renderer.WithNodeRenderers(util.Prioritized(html.NewRenderer(), 1000)))),
		goldmark.WithExtensions(markup{footnotes: true}),
	)
})

// inlineHTML renders a run of inline Markdown (see mdInline) as HTML.
func inlineHTML(src string) string {
	src = strings.TrimSpace(src)
	if src == "" {
		return ""
	}
	var b bytes.Buffer
	if err := inlineMD().Convert([]byte(src), &b); err != nil {
		// Conversion into a buffer does not fail; keep the text, escaped.
		return escapeHTML(src)
	}
	out := strings.TrimSuffix(b.String(), "\n")
	out = strings.TrimPrefix(out, "<p>")
	return strings.TrimSuffix(out, "</p>")
}
