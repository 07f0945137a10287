package engine

// Document-level bracket matching.
//
// ParseBrackets reads one paragraph. Negotiators also bracket across
// paragraphs: a "[" before a chapeau closes after the last of its
// subparagraphs, or a whole run of paragraphs is bracketed as one block.
// MatchBrackets reads the blocks of a text (headings and paragraphs in
// reading order) as one stream, so that such a bracket is a pair that spans
// blocks, not two errors; only a bracket with no partner anywhere is a
// problem, and nesting depth counts across blocks.

// BracketSite is where a bracket character is: the index of its block in
// the slice given to MatchBrackets and its character (rune) offset in that
// block's text.
type BracketSite struct {
	Block  int `json:"block"`
	Offset int `json:"offset"`
}

// BracketPair is a matched pair of brackets. Depth is 1 for a bracket
// inside no other, 2 for one inside one other, counting only matched
// brackets and counting across blocks.
type BracketPair struct {
	Open  BracketSite `json:"open"`
	Close BracketSite `json:"close"`
	Depth int         `json:"depth"`
}

// Spans reports whether the pair opens in one block and closes in another.
func (p BracketPair) Spans() bool { return p.Open.Block != p.Close.Block }

// UnmatchedBracket is a bracket with no partner anywhere in the text.
type UnmatchedBracket struct {
	BracketSite
	Char    string `json:"char"`    // "[" or "]"
	Message string `json:"message"` // what is wrong, in words
}

// BracketMatch is the result of matching brackets over a whole text.
type BracketMatch struct {
	// Pairs counts every matched pair, within a block or across blocks.
	Pairs int `json:"pairs"`
	// MaxDepth is the deepest nesting of matched brackets.
	MaxDepth int `json:"maxDepth"`
	// Spanning lists the pairs that open in one block and close in a
	// later one, in order of their opening bracket.
	Spanning []BracketPair `json:"spanning,omitempty"`
	// Unmatched lists the brackets with no partner, in text order.
	Unmatched []UnmatchedBracket `json:"unmatched,omitempty"`
}

// MatchBrackets matches square brackets over blocks of text read as one
// stream, with the grammar of ParseBrackets: escaped brackets ("\[") and
// footnote references ("[^1]") are text. A "]" closes the nearest "[" still
// open, in its own block or an earlier one. It never fails and does no I/O.
func MatchBrackets(blocks []string) BracketMatch {
	type tok struct {
		site BracketSite
		open bool
		mate int // index of the partner token, -1 when unmatched
	}
	var toks []tok
	for b, text := range blocks {
		for _, t := range scanBrackets(text) {
			toks = append(toks, tok{site: BracketSite{b, t.runeAt}, open: t.open, mate: -1})
		}
	}
	var stack []int
	for i := range toks {
		if toks[i].open {
			stack = append(stack, i)
			continue
		}
		if len(stack) == 0 {
			continue
		}
		o := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		toks[o].mate, toks[i].mate = i, o
	}
	var m BracketMatch
	depth := 0
	for _, t := range toks {
		switch {
		case t.mate < 0 && t.open:
			m.Unmatched = append(m.Unmatched, UnmatchedBracket{t.site, "[", "opening bracket '[' is never closed"})
		case t.mate < 0:
			m.Unmatched = append(m.Unmatched, UnmatchedBracket{t.site, "]", "closing bracket ']' without an opening '['"})
		case t.open:
			depth++
			m.Pairs++
			m.MaxDepth = max(m.MaxDepth, depth)
			if c := toks[t.mate]; c.site.Block != t.site.Block {
				m.Spanning = append(m.Spanning, BracketPair{Open: t.site, Close: c.site, Depth: depth})
			}
		default:
			depth--
		}
	}
	return m
}

// DocumentBracketSite is where a bracket is in a document: a paragraph, or
// the heading of a section when Para is empty.
type DocumentBracketSite struct {
	Section SectionID   `json:"section"`
	Para    ParagraphID `json:"para,omitempty"`
	Offset  int         `json:"offset"`
}

// DocumentBrackets is MatchBrackets over a document's live text.
type DocumentBrackets struct {
	Pairs     int                        `json:"pairs"`
	MaxDepth  int                        `json:"maxDepth"`
	Spanning  []DocumentBracketPair      `json:"spanning,omitempty"`
	Unmatched []DocumentUnmatchedBracket `json:"unmatched,omitempty"`
}

// DocumentBracketPair is a pair of brackets that spans paragraphs.
type DocumentBracketPair struct {
	Open  DocumentBracketSite `json:"open"`
	Close DocumentBracketSite `json:"close"`
	Depth int                 `json:"depth"`
}

// DocumentUnmatchedBracket is a bracket with no partner in the document.
type DocumentUnmatchedBracket struct {
	DocumentBracketSite
	Char    string `json:"char"`
	Message string `json:"message"`
}

// MatchBrackets matches brackets over the document's live text in reading
// order (each section's heading, then its paragraphs and subparagraphs;
// removed paragraphs are gone, struck-through ones still count), so that a
// status report can tell brackets that span paragraphs from brackets that
// are truly unmatched.
func (d *Document) MatchBrackets() DocumentBrackets {
	var blocks []string
	var sites []DocumentBracketSite
	var walk func(s SectionID, ids []ParagraphID)
	walk = func(s SectionID, ids []ParagraphID) {
		for _, id := range ids {
			p := d.Paragraphs[id]
			if p == nil || p.Removed {
				continue
			}
			blocks = append(blocks, p.Text)
			sites = append(sites, DocumentBracketSite{Section: s, Para: id})
			walk(s, p.Children)
		}
	}
	for _, s := range d.Sections {
		blocks = append(blocks, s.Heading)
		sites = append(sites, DocumentBracketSite{Section: s.ID})
		walk(s.ID, s.Paras)
	}
	m := MatchBrackets(blocks)
	at := func(b BracketSite) DocumentBracketSite {
		s := sites[b.Block]
		s.Offset = b.Offset
		return s
	}
	out := DocumentBrackets{Pairs: m.Pairs, MaxDepth: m.MaxDepth}
	for _, p := range m.Spanning {
		out.Spanning = append(out.Spanning, DocumentBracketPair{Open: at(p.Open), Close: at(p.Close), Depth: p.Depth})
	}
	for _, u := range m.Unmatched {
		out.Unmatched = append(out.Unmatched, DocumentUnmatchedBracket{at(u.BracketSite), u.Char, u.Message})
	}
	return out
}
