package export

import (
	"strconv"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// Compilation is the compilation of proposals: for every paragraph of the
// live text, its text and status, the positions stated on it, and each
// amendment with its proposer, co-sponsors, the States supporting and
// objecting, and its status.
type Compilation struct {
	Meta    Meta               `json:"meta"`
	Counts  CompilationCounts  `json:"counts"`
	Entries []CompilationEntry `json:"entries"`
	// Lines numbers the lines of the paragraphs' texts in HTML and Word
	// (Request.Lines): the room's fixed lines, which the amendments cite.
	Lines bool `json:"-"`
}

// CompilationCounts sums up a compilation.
type CompilationCounts struct {
	Paragraphs int                            `json:"paragraphs"`
	Amendments int                            `json:"amendments"`
	ByStatus   map[engine.AmendmentStatus]int `json:"byStatus"`
	Positions  int                            `json:"positions"`
	Stale      int                            `json:"stale"`
}

// CompilationEntry is a heading, or a paragraph with what was proposed
// and said about it.
type CompilationEntry struct {
	Row
	Positions  []PositionLine  `json:"positions,omitempty"`
	Amendments []AmendmentLine `json:"amendments,omitempty"`
}

// PositionLine is one delegation's current position, flagged when the
// text it was given on has changed since.
type PositionLine struct {
	State   engine.StateCode    `json:"state"`
	Kind    engine.PositionKind `json:"kind"`
	Comment string              `json:"comment,omitempty"`
	At      time.Time           `json:"at"`
	Stale   bool                `json:"stale,omitempty"`
}

// AmendmentLine is one amendment in a compilation.
type AmendmentLine struct {
	ID         engine.AmendmentID     `json:"id"`
	Parent     engine.AmendmentID     `json:"parent,omitempty"`
	Op         engine.AmendmentOp     `json:"op"`
	Proposer   engine.StateCode       `json:"proposer"`
	CoSponsors []engine.StateCode     `json:"coSponsors,omitempty"`
	Status     engine.AmendmentStatus `json:"status"`
	Proposed   time.Time              `json:"proposed"`
	Decided    time.Time              `json:"decided,omitzero"`
	// Segments show the proposal in its context: the anchored text
	// deleted, the new text inserted, with some text on either side.
	Segments []Segment `json:"segments,omitempty"`
	// After names the paragraph a move or an added paragraph goes after.
	After     string         `json:"after,omitempty"`
	Comment   string         `json:"comment,omitempty"`
	Reason    string         `json:"reason,omitempty"`
	Positions []PositionLine `json:"positions,omitempty"`
	// Line is the line of the paragraph's text (its fixed lines,
	// LineStarts) on which the words an amendment changes begin, and Cite
	// names it ("paragraph 12, line 3"), as the room cites it: set for a
	// pending or decided change of words whose anchor still holds in the
	// text, in a compilation of the working language.
	Line int    `json:"line,omitempty"`
	Cite string `json:"cite,omitempty"`
}

// BuildCompilation compiles the proposals on the live state of d. meta
// names the text (see LiveMeta).
func BuildCompilation(d *engine.Document, meta Meta) *Compilation {
	return compile(d, fillMeta(meta, d), d.Outline(), true)
}

// BuildCompilationIn compiles the proposals on the live state of d with the
// text of each paragraph in lang (a language version, its outdated and
// missing translations marked); the proposals are quoted as made, in the
// working language.
func BuildCompilationIn(d *engine.Document, meta Meta, lang string) (*Compilation, error) {
	o, err := d.LanguageOutline(lang)
	if err != nil {
		return nil, err
	}
	return compile(d, inLanguage(fillMeta(meta, d), o), o, false), nil
}

// compile builds a compilation of the text o of d; cite says o is the
// working language's text, whose lines the amendments can cite.
func compile(d *engine.Document, meta Meta, o engine.Outline, cite bool) *Compilation {
	c := &Compilation{Meta: meta, Counts: CompilationCounts{ByStatus: map[engine.AmendmentStatus]int{}}}
	idx := indexAmendments(d)
	pi := indexPositions(d)
	rows := outlineRows(o)
	markFootnotes(rows)
	for _, r := range rows {
		e := CompilationEntry{Row: r}
		if r.Kind == ParagraphRow {
			c.Counts.Paragraphs++
			id := engine.ParagraphID(r.ID)
			e.Brackets = bracketsBy(d, id, r.Text)
			e.Positions = positionLines(d, pi.para[id])
			for _, a := range idx[id] {
				l := amendmentLine(d, a, pi.amendment[a.ID])
				if cite {
					l.Line, l.Cite = citeLine(d, a, r)
				}
				e.Amendments = append(e.Amendments, l)
			}
			c.Counts.Amendments += len(e.Amendments)
			for _, a := range e.Amendments {
				c.Counts.ByStatus[a.Status]++
				c.Counts.Positions += len(a.Positions)
				for _, p := range a.Positions {
					if p.Stale {
						c.Counts.Stale++
					}
				}
			}
			c.Counts.Positions += len(e.Positions)
			for _, p := range e.Positions {
				if p.Stale {
					c.Counts.Stale++
				}
			}
		}
		c.Entries = append(c.Entries, e)
	}
	return c
}

// indexAmendments lists the amendments on each paragraph in order of
// submission, each amendment to an amendment right after its parent.
// It does in one pass what Document.AmendmentsOn does per paragraph.
func indexAmendments(d *engine.Document) map[engine.ParagraphID][]*engine.Amendment {
	byPara := map[engine.ParagraphID][]*engine.Amendment{}
	subs := map[engine.AmendmentID][]*engine.Amendment{}
	for _, a := range d.Amendments {
		if a.Parent != "" {
			subs[a.Parent] = append(subs[a.Parent], a)
		} else {
			byPara[a.Para] = append(byPara[a.Para], a)
		}
	}
	for id, as := range byPara {
		sortByNumber(as)
		out := make([]*engine.Amendment, 0, len(as))
		for _, a := range as {
			out = append(out, a)
			ss := subs[a.ID]
			sortByNumber(ss)
			out = append(out, ss...)
		}
		byPara[id] = out
	}
	return byPara
}

func positionLines(d *engine.Document, ps []*engine.Position) []PositionLine {
	var out []PositionLine
	for _, p := range ps {
		out = append(out, PositionLine{State: p.State, Kind: p.Kind, Comment: p.Comment, At: p.At, Stale: d.Stale(p)})
	}
	return out
}

// proposalSegments is what an amendment proposes, as compare segments: a
// span's context ("…" before and after), the words it deletes and those it
// inserts; a whole new paragraph inserted; a paragraph replaced compared
// word by word with the paragraph's text.
func proposalSegments(d *engine.Document, a *engine.Amendment) []Segment {
	var out []Segment
	switch a.Op {
	case engine.OpInsert, engine.OpDelete, engine.OpReplace:
		before, after := contextWords(a.Anchor)
		if before != "" {
			out = append(out, Segment{Op: OpEqual, Text: before})
		}
		if a.Anchor.Text != "" {
			out = append(out, Segment{Op: OpDelete, Text: a.Anchor.Text})
		}
		if a.NewText != "" {
			out = append(out, Segment{Op: OpInsert, Text: a.NewText})
		}
		if after != "" {
			out = append(out, Segment{Op: OpEqual, Text: after})
		}
	case engine.OpReplaceParagraph:
		if p := d.Paragraphs[a.Para]; p != nil && p.Text != "" {
			return segments(engine.WordDiff(p.Text, a.NewText))
		}
		out = []Segment{{Op: OpInsert, Text: a.NewText}}
	case engine.OpAddParagraph:
		out = []Segment{{Op: OpInsert, Text: a.NewText}}
	}
	return out
}

// contextWords is the context an amendment is shown with: the text its
// anchor kept on each side, cut at a word boundary (never mid-word, in
// scripts written with spaces) with "…" where the paragraph goes on.
func contextWords(a engine.Anchor) (before, after string) {
	const maxRunes = 24 // what an anchor keeps (engine contextRunes)
	b := []rune(a.Before)
	if a.Start > len(b) && len(b) > 0 { // the paragraph goes on before
		if i := indexRune(b, ' '); i >= 0 && i < len(b)-1 {
			b = b[i+1:]
		}
		before = "…" + string(b)
	} else {
		before = string(b)
	}
	f := []rune(a.After)
	if len(f) >= maxRunes { // the paragraph may go on after
		if i := lastIndexRune(f, ' '); i > 0 {
			f = f[:i]
		}
		after = string(f) + "…"
	} else {
		after = string(f)
	}
	return before, after
}

func indexRune(rs []rune, r rune) int {
	for i, x := range rs {
		if x == r {
			return i
		}
	}
	return -1
}

func lastIndexRune(rs []rune, r rune) int {
	for i := len(rs) - 1; i >= 0; i-- {
		if rs[i] == r {
			return i
		}
	}
	return -1
}

// ProposalRuns is what an amendment proposes as formatted runs, the
// redline model every export renders: the room shows amendments with it.
func ProposalRuns(d *engine.Document, a *engine.Amendment) []Run {
	segs := proposalSegments(d, a)
	if a.Op == engine.OpReplaceParagraph && len(segs) > 0 {
		if p := d.Paragraphs[a.Para]; p != nil && p.Text != "" {
			return segmentRuns(segs, p.Text, a.NewText)
		}
	}
	return proposalRuns(segs)
}

func amendmentLine(d *engine.Document, a *engine.Amendment, positions []*engine.Position) AmendmentLine {
	l := AmendmentLine{ID: a.ID, Parent: a.Parent, Op: a.Op, Proposer: a.Proposer, CoSponsors: a.CoSponsors, Status: a.Status,
		Proposed: a.Proposed, Decided: a.Decided, Comment: a.Comment, Reason: a.Reason,
		Positions: positionLines(d, positions)}
	l.Segments = proposalSegments(d, a)
	switch a.Op {
	case engine.OpAddParagraph:
		l.After = displayName(d, a.Para)
	case engine.OpMoveParagraph:
		l.After = displayName(d, a.After)
		if a.After == "" {
			l.After = "the start of its section"
		}
	}
	return l
}

// citeLine is the line of the paragraph r on which amendment a's words
// begin, and its citation ("paragraph 12, line 3"), as the room gives
// them; 0 and "" for an amendment that changes no words of the text as it
// reads (a paragraph operation, an amendment to an amendment, an anchor
// the text no longer holds).
func citeLine(d *engine.Document, a *engine.Amendment, r Row) (int, string) {
	p := d.Paragraphs[a.Para]
	if p == nil || p.Text != r.Text || a.Parent != "" || !a.Op.SpanOp() || a.Anchor.Check(p.Text) != nil {
		return 0, ""
	}
	n := LineOf(p.Text, a.Anchor.Start)
	line := "line " + strconv.Itoa(n)
	if r.Number == "" {
		return n, line
	}
	return n, paragraphName(r.Number, r.Level) + ", " + line
}

// displayName names a paragraph of d by its number, or its identity when
// it has none.
func displayName(d *engine.Document, id engine.ParagraphID) string {
	p := d.Paragraphs[id]
	if p == nil {
		return string(id)
	}
	if n := d.Number(p); n != "" {
		return paragraphName(n, p.Level)
	}
	return "paragraph " + string(id)
}

// fillMeta completes meta from the document.
func fillMeta(meta Meta, d *engine.Document) Meta {
	if meta.Title == "" {
		meta.Title = d.Title
	}
	if meta.Symbol == "" {
		meta.Symbol = d.CurrentSymbol()
	}
	if meta.Language == "" {
		meta.Language = d.Language
	}
	return meta
}

// Kind implements Report.
func (*Compilation) Kind() string { return "compilation" }

// Metadata implements Report.
func (c *Compilation) Metadata() Meta { return c.Meta }

// JSON implements Report.
func (c *Compilation) JSON() ([]byte, error) {
	return marshalReport("compilation", struct {
		Report string `json:"report"`
		*Compilation
	}{"compilation", c})
}

// AKN implements Report: a compilation has no Akoma Ntoso form.
func (c *Compilation) AKN() ([]byte, error) {
	return nil, engine.Errorf(engine.EINVALID, "the compilation of proposals has no Akoma Ntoso form; use md, html, docx or json")
}
