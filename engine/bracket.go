package engine

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// The bracket grammar of negotiation text:
//
//	text        = { plain | bracket | alternatives } ;
//	bracket     = "[" text "]" ;                  (not agreed; nests to any depth)
//	alternatives= bracket bracket { bracket } ;   (adjacent, nothing between: "[shall][should]")
//	plain       = any run without "[" or "]", plus the literals below ;
//	literals    = "\[" | "\]" (escaped) | "[^" label "]" (a footnote reference) .
//
// Parsing never fails: an unmatched "]" or "[" stays in the text as a plain
// character and is reported as a BracketProblem with its character offset,
// so imported drafts keep every byte. Rendering a parsed tree gives back the
// input byte for byte.

// BracketKind tells what a BracketNode is.
type BracketKind int

// Kinds of nodes in a bracket tree.
const (
	// PlainText is text outside any bracket at its level (it may include
	// escaped brackets, footnote references and unmatched brackets).
	PlainText BracketKind = iota
	// Bracketed is "[...]": text that is not agreed.
	Bracketed
	// Alternatives groups two or more adjacent Bracketed nodes that offer a
	// choice, as in "[shall][should]".
	Alternatives
)

// BracketNode is one node of a parsed paragraph text. Start and End are
// character (rune) offsets into the text; for Bracketed nodes they include
// the brackets themselves.
type BracketNode struct {
	Kind     BracketKind    `json:"kind"`
	Start    int            `json:"start"`
	End      int            `json:"end"`
	Text     string         `json:"text,omitempty"` // PlainText only
	Children []*BracketNode `json:"children,omitempty"`
	// Index numbers Bracketed nodes in order of their opening bracket, from
	// 0, so that commands can name "the third bracket" of a paragraph.
	Index int `json:"index"`
	// Depth is 1 for a top-level bracket, 2 for one nested in it, and so on.
	Depth int `json:"depth,omitempty"`
	// By lists who asked for the bracket, when known.
	By []StateCode `json:"by,omitempty"`
}

// BracketProblem reports an unbalanced bracket.
type BracketProblem struct {
	// Offset is the character (rune) offset of the bracket in the text.
	Offset int `json:"offset"`
	// Char is "[" or "]".
	Char string `json:"char"`
	// Message says what is wrong in words.
	Message string `json:"message"`
}

// BracketTree is a parsed paragraph text.
type BracketTree struct {
	Nodes    []*BracketNode   `json:"nodes"`
	Problems []BracketProblem `json:"problems,omitempty"`
	// Count is the number of matched bracket pairs.
	Count int `json:"count"`
	// MaxDepth is the deepest nesting found (0 when there are no brackets).
	MaxDepth int `json:"maxDepth"`
}

// bracketToken is one significant position found by the scanner.
type bracketToken struct {
	byteAt, runeAt int
	open           bool
}

// scanBrackets finds the structural "[" and "]" in text, skipping escapes
// and footnote references.
func scanBrackets(text string) []bracketToken {
	var toks []bracketToken
	r := 0
	for i := 0; i < len(text); {
		c := text[i]
		switch {
		case c == '\\' && i+1 < len(text) && (text[i+1] == '[' || text[i+1] == ']'):
			i += 2
			r += 2
			continue
		case c == '[' && IsFootnoteRef(text[i:]):
			n := strings.IndexByte(text[i:], ']') + 1
			r += utf8.RuneCountInString(text[i : i+n])
			i += n
			continue
		case c == '[':
			toks = append(toks, bracketToken{i, r, true})
		case c == ']':
			toks = append(toks, bracketToken{i, r, false})
		}
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
		r++
	}
	return toks
}

// IsFootnoteRef reports whether s starts with a Markdown footnote
// reference such as "[^1]" or "[^note]", which the bracket grammar reads
// as text, not as a bracket.
func IsFootnoteRef[S ~string | ~[]byte](s S) bool {
	if len(s) < 4 || s[0] != '[' || s[1] != '^' {
		return false
	}
	for i := 2; i < len(s) && i < 34; i++ {
		switch c := s[i]; {
		case c == ']':
			return i > 2
		case c == ' ' || c == '[' || c == '\n' || c == '\t':
			return false
		}
	}
	return false
}

// ParseBrackets parses paragraph text into a bracket tree. It never fails;
// unbalanced brackets are kept as plain text and listed in Problems.
func ParseBrackets(text string) *BracketTree {
	toks := scanBrackets(text)
	// Match pairs with a stack; unmatched tokens become literal text.
	match := make(map[int]int) // opening byte offset -> closing byte offset
	var stack []bracketToken
	var problems []BracketProblem
	for _, t := range toks {
		if t.open {
			stack = append(stack, t)
			continue
		}
		if len(stack) == 0 {
			problems = append(problems, BracketProblem{t.runeAt, "]", "closing bracket ']' without an opening '['"})
			continue
		}
		o := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		match[o.byteAt] = t.byteAt
	}
	for _, o := range stack {
		problems = append(problems, BracketProblem{o.runeAt, "[", "opening bracket '[' is never closed"})
	}
	sortProblems(problems)

	p := &bracketParser{text: text, match: match}
	tree := &BracketTree{Problems: problems}
	tree.Nodes = p.parse(0, len(text), 0, 1)
	tree.Count = p.index
	tree.MaxDepth = p.maxDepth
	return tree
}

func sortProblems(ps []BracketProblem) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].Offset < ps[j-1].Offset; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

type bracketParser struct {
	text     string
	match    map[int]int
	index    int
	maxDepth int
}

// parse builds the nodes for text[from:to], where runeFrom is the rune
// offset of from and depth the nesting depth of brackets found here.
func (p *bracketParser) parse(from, to, runeFrom, depth int) []*BracketNode {
	var nodes []*BracketNode
	plainStart, plainRune := from, runeFrom
	r := runeFrom
	flush := func(end, endRune int) {
		if end > plainStart {
			nodes = append(nodes, &BracketNode{Kind: PlainText, Start: plainRune, End: endRune, Text: p.text[plainStart:end]})
		}
	}
	for i := from; i < to; {
		closeAt, ok := p.match[i]
		if !ok || p.text[i] != '[' {
			_, size := utf8.DecodeRuneInString(p.text[i:])
			i += size
			r++
			continue
		}
		flush(i, r)
		if depth > p.maxDepth {
			p.maxDepth = depth
		}
		n := &BracketNode{Kind: Bracketed, Start: r, Index: p.index, Depth: depth}
		p.index++
		innerRunes := utf8.RuneCountInString(p.text[i+1 : closeAt])
		n.Children = p.parse(i+1, closeAt, r+1, depth+1)
		n.End = r + innerRunes + 2
		nodes = append(nodes, n)
		i = closeAt + 1
		r = n.End
		plainStart, plainRune = i, r
	}
	flush(to, r)
	return groupAlternatives(nodes)
}

// groupAlternatives folds runs of adjacent Bracketed siblings into
// Alternatives nodes.
func groupAlternatives(nodes []*BracketNode) []*BracketNode {
	var out []*BracketNode
	for i := 0; i < len(nodes); {
		j := i + 1
		for nodes[i].Kind == Bracketed && j < len(nodes) && nodes[j].Kind == Bracketed && nodes[j].Start == nodes[j-1].End {
			j++
		}
		if j-i >= 2 {
			out = append(out, &BracketNode{Kind: Alternatives, Start: nodes[i].Start, End: nodes[j-1].End, Children: nodes[i:j], Index: -1})
		} else {
			out = append(out, nodes[i])
		}
		i = j
	}
	return out
}

// Render writes the tree back as text. For any input, Render of its parse
// is the input byte for byte.
func (t *BracketTree) Render() string {
	var b strings.Builder
	renderNodes(&b, t.Nodes)
	return b.String()
}

func renderNodes(b *strings.Builder, nodes []*BracketNode) {
	for _, n := range nodes {
		switch n.Kind {
		case PlainText:
			b.WriteString(n.Text)
		case Bracketed:
			b.WriteByte('[')
			renderNodes(b, n.Children)
			b.WriteByte(']')
		case Alternatives:
			renderNodes(b, n.Children)
		}
	}
}

// SettleBrackets renders nodes as the simplest compromise: every bracket
// lifted and, of each set of alternatives, the first kept. It is how the
// seed processes' chairs settle a paragraph in one step (a real chair
// usually settles bracket by bracket, with ClearBrackets).
func SettleBrackets(nodes []*BracketNode) string {
	var b strings.Builder
	settleNodes(&b, nodes)
	return b.String()
}

func settleNodes(b *strings.Builder, nodes []*BracketNode) {
	for _, n := range nodes {
		switch n.Kind {
		case PlainText:
			b.WriteString(n.Text)
		case Bracketed:
			settleNodes(b, n.Children)
		case Alternatives:
			settleNodes(b, n.Children[0].Children)
		}
	}
}

// Brackets returns every Bracketed node in order of Index.
func (t *BracketTree) Brackets() []*BracketNode {
	var out []*BracketNode
	var walk func([]*BracketNode)
	walk = func(ns []*BracketNode) {
		for _, n := range ns {
			if n.Kind == Bracketed {
				out = append(out, n)
			}
			walk(n.Children)
		}
	}
	walk(t.Nodes)
	// Walk order is pre-order, which is the order of opening brackets.
	return out
}

// HasBrackets reports whether text contains at least one matched bracket.
func HasBrackets(text string) bool { return ParseBrackets(text).Count > 0 }

// AddBrackets puts a span of a paragraph in square brackets on behalf of
// the delegations that asked for it (the chair or pen-holder does this).
type AddBrackets struct {
	Para    ParagraphID `json:"para"`
	Version int         `json:"version"`
	Start   int         `json:"start"`
	End     int         `json:"end"`
	By      []StateCode `json:"by"`
}

// BracketsAdded records that the span [Start, End) of a paragraph's text at
// Version was replaced by Text, which holds the span in brackets (or an
// amendment incorporated in brackets), asked for by By.
type BracketsAdded struct {
	Para    ParagraphID `json:"para"`
	Version int         `json:"version"`
	Start   int         `json:"start"`
	End     int         `json:"end"`
	Text    string      `json:"text"`
	By      []StateCode `json:"by"`
}

func (cmd AddBrackets) decide(d *Document, c Context) ([]EventData, error) {
	p, err := d.Paragraph(cmd.Para)
	if err != nil {
		return nil, err
	}
	if len(cmd.By) == 0 {
		return nil, Errorf(EINVALID, "by is required: the delegations that asked for the brackets")
	}
	a, err := d.currentAnchor(p, cmd.Version, cmd.Start, cmd.End)
	if err != nil {
		return nil, err
	}
	if a.Start == a.End {
		return nil, Errorf(EINVALID, "paragraph %s: select the text to put in brackets (start < end)", d.displayName(p))
	}
	if t := ParseBrackets(a.Text); len(t.Problems) > 0 {
		return nil, Errorf(EINVALID, "paragraph %s: the span %q would cut a bracket in two (%s)", d.displayName(p), a.Text, t.Problems[0].Message)
	}
	return []EventData{BracketsAdded{Para: p.ID, Version: p.Version, Start: a.Start, End: a.End, Text: "[" + a.Text + "]", By: uniqueStates(cmd.By, "")}}, nil
}

// EventType implements EventData.
func (BracketsAdded) EventType() string { return "brackets.added" }

func (ev BracketsAdded) apply(d *Document, e Event) {
	p := d.Paragraphs[ev.Para]
	d.changeText(p, SpliceDiff(p.Text, ev.Start, ev.End, ev.Text), e)
	if m, err := NewAnchor(p.Text, ev.Start, ev.Start+runeLen(ev.Text)); err == nil {
		d.setMarks(p.ID, append(d.Attrib[p.ID], BracketMark{m, ev.By}))
	}
}

// ClearBrackets settles one bracket of a paragraph (by its Index in
// ParseBrackets): the text inside is kept as agreed and the brackets go,
// or with Drop the bracketed text is deleted. Choosing one of the
// alternatives "[shall][should]" is keeping one and dropping the other.
//
// Settle settles several brackets of the paragraph at once, each by its
// index in the text at Version (Index and Drop are then unused): the chair
// chooses for each, then confirms, and the choices are stored together or
// not at all — the alternatives of "[noted][welcomed]" are never left
// half-settled.
type ClearBrackets struct {
	Para    ParagraphID     `json:"para"`
	Version int             `json:"version"`
	Index   int             `json:"index"`
	Drop    bool            `json:"drop,omitempty"`
	Settle  []BracketChoice `json:"settle,omitempty"`
}

// BracketChoice is the chair's choice for one bracket of a paragraph:
// keep its words (Drop false) or drop them.
type BracketChoice struct {
	Index int  `json:"index"`
	Drop  bool `json:"drop,omitempty"`
}

// BracketsCleared records a bracket settled on the paragraph's text at
// Version (Settle is empty in the event: one event per bracket).
type BracketsCleared ClearBrackets

func (cmd ClearBrackets) decide(d *Document, c Context) ([]EventData, error) {
	p, err := d.Paragraph(cmd.Para)
	if err != nil {
		return nil, err
	}
	if cmd.Version != p.Version {
		return nil, Errorf(ECONFLICT, "paragraph %s is at version %d, not %d: its brackets may have changed; reload and try again", d.displayName(p), p.Version, cmd.Version)
	}
	bs := ParseBrackets(p.Text).Brackets()
	if len(cmd.Settle) == 0 {
		if cmd.Index < 0 || cmd.Index >= len(bs) {
			return nil, Errorf(EINVALID, "paragraph %s has %s; there is no bracket %d", d.displayName(p), plural(len(bs), "bracket"), cmd.Index)
		}
		return []EventData{BracketsCleared{Para: cmd.Para, Version: cmd.Version, Index: cmd.Index, Drop: cmd.Drop}}, nil
	}
	if cmd.Index != 0 || cmd.Drop {
		return nil, Errorf(EINVALID, "settle: give either one bracket (index, drop) or the list settle, not both")
	}
	choices := slices.Clone(cmd.Settle)
	// From the last bracket to the first: settling a bracket never moves
	// one that opens before it, so every index still names the bracket
	// the chair saw.
	slices.SortFunc(choices, func(a, b BracketChoice) int { return b.Index - a.Index })
	text := p.Text
	var out []EventData
	for i, ch := range choices {
		if ch.Index < 0 || ch.Index >= len(bs) {
			return nil, Errorf(EINVALID, "settle: paragraph %s has %s; there is no bracket %d", d.displayName(p), plural(len(bs), "bracket"), ch.Index)
		}
		if i > 0 && choices[i-1].Index == ch.Index {
			return nil, Errorf(EINVALID, "settle: bracket %d is chosen twice", ch.Index)
		}
		now := ParseBrackets(text).Brackets()
		if ch.Index >= len(now) || now[ch.Index].Start != bs[ch.Index].Start {
			return nil, Errorf(ECONFLICT, "settle: bracket %d of paragraph %s is gone once the brackets after it are settled (it was inside one dropped); settle it on its own", ch.Index, d.displayName(p))
		}
		text = DiffNew(settleDiff(text, now[ch.Index], ch.Drop))
		out = append(out, BracketsCleared{Para: cmd.Para, Version: cmd.Version + i, Index: ch.Index, Drop: ch.Drop})
	}
	return out, nil
}

// EventType implements EventData.
func (BracketsCleared) EventType() string { return "brackets.cleared" }

func (ev BracketsCleared) apply(d *Document, e Event) {
	p := d.Paragraphs[ev.Para]
	b := ParseBrackets(p.Text).Brackets()[ev.Index]
	d.changeText(p, settleDiff(p.Text, b, ev.Drop), e)
}

// settleDiff is the change that settles bracket b of text: its brackets
// removed, or with drop its words too.
func settleDiff(text string, b *BracketNode, drop bool) []Diff {
	rs := []rune(text)
	var ds []Diff
	if b.Start > 0 {
		ds = append(ds, Diff{DiffEqual, string(rs[:b.Start])})
	}
	if drop {
		ds = append(ds, Diff{DiffDelete, string(rs[b.Start:b.End])})
	} else {
		ds = append(ds, Diff{DiffDelete, "["})
		if b.End-1 > b.Start+1 {
			ds = append(ds, Diff{DiffEqual, string(rs[b.Start+1 : b.End-1])})
		}
		ds = append(ds, Diff{DiffDelete, "]"})
	}
	if b.End < len(rs) {
		ds = append(ds, Diff{DiffEqual, string(rs[b.End:])})
	}
	return ds
}

// Brackets parses a paragraph's text and tells each bracket who asked for
// it, from the marks recorded when brackets were added.
func (d *Document) Brackets(p *Paragraph) *BracketTree {
	t := ParseBrackets(p.Text)
	marks := d.Attrib[p.ID]
	if len(marks) == 0 {
		return t
	}
	bs := t.Brackets()
	for _, m := range marks {
		// The mark belongs to the outermost brackets inside its span: one
		// bracket, or each of a group of alternatives.
		top := 0
		for _, b := range bs {
			if b.Start >= m.Anchor.Start && b.End <= m.Anchor.End && (top == 0 || b.Depth < top) {
				top = b.Depth
			}
		}
		for _, b := range bs {
			if b.Start >= m.Anchor.Start && b.End <= m.Anchor.End && b.Depth == top {
				b.By = uniqueStates(append(b.By, m.By...), "")
			}
		}
	}
	return t
}

func init() {
	RegisterEvent(func() EventData { return new(BracketsAdded) })
	RegisterEvent(func() EventData { return new(BracketsCleared) })
}
