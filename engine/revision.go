package engine

import (
	"fmt"
	"strings"
	"time"
)

// RevisionKind is the kind of an issued text.
type RevisionKind string

// Revision kinds.
const (
	ZeroDraft RevisionKind = "zero-draft"
	Rev       RevisionKind = "rev"        // Rev.1, Rev.2, …
	LDocument RevisionKind = "l-document" // a limited-distribution draft for adoption
	Final     RevisionKind = "final"
)

// Revision is an immutable snapshot of a document as issued, with its
// symbol and date. Renumbered maps each paragraph's number before the
// revision to its number in it, for references.
type Revision struct {
	Number     int                         `json:"number"` // 0 for the first issued text, then 1, 2, …
	Kind       RevisionKind                `json:"kind"`
	Symbol     string                      `json:"symbol"`
	Date       time.Time                   `json:"date"`
	Issued     time.Time                   `json:"issued"`
	Outline    Outline                     `json:"outline"`
	Renumbered map[ParagraphID]Renumbering `json:"renumbered,omitempty"`
	// Translations are the language versions as they stood when the
	// revision was issued, by language.
	Translations map[string]Outline `json:"translations,omitempty"`
}

// Outline is a text as read: sections and paragraphs with their display
// numbers, identifiers and text. It is what revisions keep and what exports
// render.
type Outline struct {
	Title    string           `json:"title"`
	Symbol   string           `json:"symbol"`
	Language string           `json:"language,omitempty"`
	Sections []OutlineSection `json:"sections"`
}

// OutlineSection is a section of an Outline.
type OutlineSection struct {
	ID      SectionID          `json:"id"`
	EID     string             `json:"eId"`
	Heading string             `json:"heading"`
	Level   int                `json:"level"`
	Paras   []OutlineParagraph `json:"paras"`
}

// OutlineParagraph is a paragraph of an Outline.
type OutlineParagraph struct {
	ID      ParagraphID     `json:"id"`
	EID     string          `json:"eId"`
	Number  string          `json:"number,omitempty"`
	Level   int             `json:"level,omitempty"`
	Option  string          `json:"option,omitempty"`
	Text    string          `json:"text"`
	Version int             `json:"version"`
	Status  ParagraphStatus `json:"status"`
	Deleted bool            `json:"deleted,omitempty"`
	// Translation says, in an outline of a language version, where the
	// paragraph's translation stands; a missing one keeps the source text.
	Translation TranslationState   `json:"translation,omitempty"`
	Children    []OutlineParagraph `json:"children,omitempty"`
}

// Outline returns the live text of the document.
func (d *Document) Outline() Outline {
	eids := d.eids()
	o := Outline{Title: d.Title, Symbol: d.CurrentSymbol(), Language: d.Language}
	var build func(ids []ParagraphID) []OutlineParagraph
	build = func(ids []ParagraphID) []OutlineParagraph {
		var out []OutlineParagraph
		for _, id := range ids {
			p := d.Paragraphs[id]
			if p.Removed {
				continue
			}
			out = append(out, OutlineParagraph{ID: p.ID, EID: eids[p.ID], Number: d.Number(p), Level: p.Level, Option: p.Option,
				Text: p.Text, Version: p.Version, Status: p.Status, Deleted: p.Deleted, Children: build(p.Children)})
		}
		return out
	}
	for i, s := range d.Sections {
		o.Sections = append(o.Sections, OutlineSection{ID: s.ID, EID: SectionEID(i), Heading: s.Heading, Level: s.Level, Paras: build(s.Paras)})
	}
	return o
}

// Walk calls f for every paragraph of the outline in reading order.
func (o Outline) Walk(f func(s *OutlineSection, p *OutlineParagraph)) {
	var walk func(s *OutlineSection, ps []OutlineParagraph)
	walk = func(s *OutlineSection, ps []OutlineParagraph) {
		for i := range ps {
			f(s, &ps[i])
			walk(s, ps[i].Children)
		}
	}
	for i := range o.Sections {
		walk(&o.Sections[i], o.Sections[i].Paras)
	}
}

// CurrentSymbol is the symbol of the latest issued revision, or the base
// symbol before any is issued.
func (d *Document) CurrentSymbol() string {
	if n := len(d.Revisions); n > 0 {
		return d.Revisions[n-1].Symbol
	}
	return d.Symbol
}

// Revision returns the revision with the given number, or ENOTFOUND.
func (d *Document) Revision(n int) (*Revision, error) {
	for _, r := range d.Revisions {
		if r.Number == n {
			return r, nil
		}
	}
	return nil, Errorf(ENOTFOUND, "%s has no revision %d", d.label(), n)
}

// Blocker is a reason a text cannot be final: a bracket still open or an
// amendment still pending, and where it is.
type Blocker struct {
	Para    ParagraphID `json:"para"`
	Number  string      `json:"number"`
	Message string      `json:"message"`
}

// FinalBlockers lists everything that keeps the text from being final:
// every paragraph with brackets (and how many) or unbalanced brackets, and
// every pending amendment.
func (d *Document) FinalBlockers() []Blocker {
	var out []Blocker
	for _, p := range d.Order() {
		t := ParseBrackets(p.Text)
		if t.Count > 0 {
			out = append(out, Blocker{p.ID, d.displayName(p), fmt.Sprintf("paragraph %s has %s", d.displayName(p), plural(t.Count, "bracket"))})
		}
		if len(t.Problems) > 0 {
			out = append(out, Blocker{p.ID, d.displayName(p), fmt.Sprintf("paragraph %s has %s", d.displayName(p), plural(len(t.Problems), "unbalanced bracket"))})
		}
		if p.Deleted {
			out = append(out, Blocker{p.ID, d.displayName(p), fmt.Sprintf("paragraph %s is struck through; its deletion is not agreed", d.displayName(p))})
		}
	}
	for _, a := range d.PendingAmendments() {
		p := d.Paragraphs[a.Para]
		out = append(out, Blocker{a.Para, d.displayName(p), fmt.Sprintf("amendment %s by %s to paragraph %s is pending", a.ID, a.Proposer, d.displayName(p))})
	}
	return out
}

// IssueRevision issues the current text as a new revision: numbering
// becomes consecutive again (12 bis becomes 13, and so on) and the text is
// frozen with its symbol and date. Pending amendments and brackets carry
// forward. A final text is refused while brackets or pending amendments
// remain.
//
// The symbol is never typed for a document whose symbols its process
// allocates (Document.SymbolsAllocated): the zero draft carries the
// document's symbol, a Rev "<symbol>/Rev.n", and an L-document or a final
// text the symbol the process allocated (AllocateSymbol), which the
// caller copies into Allocated. For a document outside any process (or of
// a process without a symbol prefix) Symbol may be given: it defaults to
// the base symbol for the first and final texts and to "<base>/Rev.n" for
// Revs; an L-document needs one.
type IssueRevision struct {
	Kind   RevisionKind `json:"kind"`
	Symbol string       `json:"symbol,omitempty"`
	Date   time.Time    `json:"date"`
	// Allocated is the symbol the process allocated for an L-document or
	// final issue. The server sets it from the process; a client never
	// does.
	Allocated string `json:"allocated,omitempty"`
}

// RevisionIssued records an issued revision.
type RevisionIssued struct {
	Number int          `json:"number"`
	Kind   RevisionKind `json:"kind"`
	Symbol string       `json:"symbol"`
	Date   time.Time    `json:"date"`
}

// IssueSymbol is the symbol an issue of kind k would carry, given the
// symbol typed (for a document whose symbols are not allocated) and the
// one the process allocated (for one whose symbols are). It refuses a
// typed symbol where the process allocates them, and an L-document or
// final text of such a document without its allocated symbol.
func (d *Document) IssueSymbol(k RevisionKind, typed, allocated string) (string, error) {
	sym := strings.TrimSpace(typed)
	if d.SymbolsAllocated {
		if sym != "" {
			return "", Errorf(EINVALID, "symbol: the symbols of %s are allocated by its process; leave symbol out (%q was given)", d.label(), typed)
		}
		if _, ok := seriesOf(k); ok {
			if allocated == "" {
				return "", Errorf(EINVALID, "allocated: the symbol of %s as %s is allocated by its process, and none was given", d.label(), issueWords(k))
			}
			return allocated, nil
		}
	} else if allocated != "" {
		return "", Errorf(EINVALID, "allocated: the symbols of %s are not allocated by a process; give symbol instead", d.label())
	}
	switch k {
	case ZeroDraft, Final:
		if sym == "" {
			sym = d.Symbol
		}
	case Rev:
		if sym == "" {
			revs := 0
			for _, r := range d.Revisions {
				if r.Kind == Rev {
					revs++
				}
			}
			sym = fmt.Sprintf("%s/Rev.%d", d.Symbol, revs+1)
		}
	case LDocument:
		if sym == "" {
			return "", Errorf(EINVALID, "symbol is required for an L-document (e.g. A/AC.292/2025/L.1)")
		}
	}
	return sym, nil
}

// issueWords names a kind of issue for messages: "an L-document".
func issueWords(k RevisionKind) string {
	switch k {
	case LDocument:
		return "an L-document"
	case Final:
		return "a final text"
	case ZeroDraft:
		return "a zero draft"
	}
	return "a " + string(k)
}

func (cmd IssueRevision) decide(d *Document, c Context) ([]EventData, error) {
	n := len(d.Revisions)
	if cmd.Date.IsZero() {
		cmd.Date = c.Now
	}
	switch cmd.Kind {
	case ZeroDraft:
		if n > 0 {
			return nil, Errorf(ECONFLICT, "%s already has an issued text; the next one is a Rev", d.label())
		}
	case Rev:
		if n == 0 {
			return nil, Errorf(ECONFLICT, "issue the zero draft before a revision")
		}
	case LDocument:
	case Final:
		if bs := d.FinalBlockers(); len(bs) > 0 {
			msgs := make([]string, len(bs))
			for i, b := range bs {
				msgs[i] = b.Message
			}
			return nil, Errorf(ECONFLICT, "the text cannot be final with %s still open: %s", plural(len(bs), "thing"), strings.Join(msgs, "; "))
		}
	default:
		return nil, Errorf(EINVALID, "kind %q is not one of zero-draft, rev, l-document, final", cmd.Kind)
	}
	sym, err := d.IssueSymbol(cmd.Kind, cmd.Symbol, cmd.Allocated)
	if err != nil {
		return nil, err
	}
	if sym == "" {
		return nil, Errorf(EINVALID, "symbol is required: the document has no base symbol")
	}
	for _, r := range d.Revisions {
		if r.Symbol == sym {
			return nil, Errorf(ECONFLICT, "symbol %s is already used by revision %d", sym, r.Number)
		}
	}
	return []EventData{RevisionIssued{Number: n, Kind: cmd.Kind, Symbol: sym, Date: cmd.Date.UTC()}}, nil
}

// EventType implements EventData.
func (RevisionIssued) EventType() string { return "revision.issued" }

func (ev RevisionIssued) apply(d *Document, e Event) {
	before := map[ParagraphID]string{}
	for _, p := range d.Order() {
		before[p.ID] = d.Number(p)
	}
	d.renumber()
	ren := map[ParagraphID]Renumbering{}
	for _, p := range d.Order() {
		if now := d.Number(p); now != before[p.ID] {
			ren[p.ID] = Renumbering{Old: before[p.ID], New: now}
		}
	}
	d.Renumbered = ren
	r := &Revision{Number: ev.Number, Kind: ev.Kind, Symbol: ev.Symbol, Date: ev.Date, Issued: e.At, Renumbered: ren}
	d.Revisions = append(d.Revisions, r)
	r.Outline = d.Outline()
	for _, l := range d.Languages()[1:] {
		if r.Translations == nil {
			r.Translations = map[string]Outline{}
		}
		r.Translations[l] = d.translateOutline(d.Outline(), l) // a fresh copy: the version shares no slice with r.Outline
	}
}

// LanguageOutline returns the revision's text in lang as issued: its
// Outline in the working language, or the language version frozen with
// it.
func (r *Revision) LanguageOutline(lang string) (Outline, error) {
	if lang == "" || baseLanguage(lang) == baseLanguage(nonEmptyLang(r.Outline.Language)) {
		return r.Outline, nil
	}
	o, ok := r.Translations[lang]
	if !ok {
		return Outline{}, Errorf(ENOTFOUND, "revision %d (%s) was issued without a %s version", r.Number, r.Symbol, LanguageName(lang))
	}
	return o, nil
}

func nonEmptyLang(l string) string {
	if l == "" {
		return "en"
	}
	return l
}

// renumber numbers every numbered paragraph consecutively in its scope.
// Alternatives ("12 alt") share the number of the paragraph they are an
// alternative of, and the options of one choice ("Option 1", "Option 2")
// each start at the same number.
func (d *Document) renumber() {
	var number func(ps []*Paragraph, start int) int
	number = func(ps []*Paragraph, next int) int {
		optStart, prevOpt := next, ""
		for _, p := range ps {
			if p.Option != prevOpt {
				if prevOpt == "" {
					optStart = next
				} else if p.Option != "" {
					next = optStart
				}
				prevOpt = p.Option
			}
			if p.Numbered {
				if p.Alt > 0 {
					p.Base, p.Suffix = max(next-1, 1), 0
				} else {
					p.Base, p.Suffix = next, 0
					next++
				}
			}
			var kids []*Paragraph
			for _, id := range p.Children {
				if c := d.Paragraphs[id]; !c.Removed {
					kids = append(kids, c)
				}
			}
			number(kids, 1)
		}
		return next
	}
	if d.Numbering == NumberPerSection {
		for _, s := range d.Sections {
			number(d.numberScope(s.ID, ""), 1)
		}
		return
	}
	number(d.numberScope("", ""), 1)
}

func init() { RegisterEvent(func() EventData { return new(RevisionIssued) }) }
