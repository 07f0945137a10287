package engine

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Reporting: a thematic group's recommendations are a document of the
// group that goes to the plenary (TransmitDocument, in the process); the
// plenary's progress report can take a group's agreed text in as a section
// (TakeInSection, in the report's room).

// ProcessDocument is a document as the process knows it: which body it
// belongs to and, for a group's recommendations, when it went to the
// plenary.
type ProcessDocument struct {
	ID            DocumentID   `json:"id"`
	Body          BodyID       `json:"body"`
	Type          DocumentType `json:"type"`
	Title         string       `json:"title"`
	Registered    time.Time    `json:"registered"`
	TransmittedTo BodyID       `json:"transmittedTo,omitempty"`
	Transmitted   time.Time    `json:"transmitted,omitzero"`
	// Symbol is the document's symbol: the conference room paper the
	// process allocated when it was registered (empty when registered
	// before symbols were allocated, or in a process without a prefix
	// and none was given).
	Symbol string `json:"symbol,omitempty"`
	// Symbols are the symbols allocated to the document for its issue as
	// an L-document and as a final text (AllocateSymbol).
	Symbols map[RevisionKind]string `json:"symbols,omitempty"`
}

// Document returns the registered document with the given identity, or
// ENOTFOUND.
func (p *Process) Document(id DocumentID) (*ProcessDocument, error) {
	for _, x := range p.Documents {
		if x.ID == id {
			return x, nil
		}
	}
	return nil, Errorf(ENOTFOUND, "document %s is not registered in %s", id, p.label())
}

var documentTypes = []DocumentType{DraftProgressReport, FinalReport, ElementsPaper, Recommendations, ChairsSummary, Compilation}

// RegisterDocument records that a document belongs to a body. Progress and
// final reports belong to the plenary; recommendations to a group. In a
// process with a symbol prefix it allocates the document's symbol, the
// next conference room paper of the year of Meeting (the meeting the
// document is prepared for) or, without one, of the command:
// <prefix>/<year>/CRP.<n> (see symbol.go). Symbol is for a process
// without a prefix only: a symbol typed for a process that allocates them
// is refused.
type RegisterDocument struct {
	Document DocumentID   `json:"document"`
	Body     BodyID       `json:"body"`
	Type     DocumentType `json:"type"`
	Title    string       `json:"title"`
	Meeting  MeetingID    `json:"meeting,omitempty"`
	Symbol   string       `json:"symbol,omitempty"`
}

// DocumentRegistered records a registered document, whole, and the
// number of the symbol allocated to it.
type DocumentRegistered struct {
	Document   ProcessDocument   `json:"document"`
	Allocation *SymbolAllocation `json:"allocation,omitempty"`
}

func (cmd RegisterDocument) decide(p *Process, c Context) ([]EventData, error) {
	if err := setUp(c, "register a document"); err != nil {
		return nil, err
	}
	if err := nonEmpty("document", string(cmd.Document)); err != nil {
		return nil, err
	}
	if err := nonEmpty("title", cmd.Title); err != nil {
		return nil, err
	}
	if err := checkText("title", cmd.Title); err != nil {
		return nil, err
	}
	if x, err := p.Document(cmd.Document); err == nil {
		return nil, Errorf(ECONFLICT, "document %s is already registered to body %s", x.ID, x.Body)
	}
	b, err := p.Body(cmd.Body)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(documentTypes, cmd.Type) {
		return nil, Errorf(EINVALID, "type %q is not one of draft-progress-report, final-report, elements-paper, recommendations, chairs-summary, compilation", cmd.Type)
	}
	switch {
	case cmd.Type == Recommendations && !b.Kind.group():
		return nil, Errorf(EINVALID, "recommendations come from a thematic or additional group; %s is the plenary", b.label())
	case (cmd.Type == DraftProgressReport || cmd.Type == FinalReport) && b.Kind != BodyPlenary:
		return nil, Errorf(EINVALID, "a %s is the plenary's; %s is %s, whose text is its recommendations", cmd.Type, b.label(), b.Kind.words())
	}
	if err := p.typedSymbol("symbol", cmd.Symbol); err != nil {
		return nil, err
	}
	if err := checkText("symbol", cmd.Symbol); err != nil {
		return nil, err
	}
	ev := DocumentRegistered{Document: ProcessDocument{ID: cmd.Document, Body: b.ID, Type: cmd.Type, Title: cmd.Title, Registered: c.Now.UTC(),
		Symbol: strings.TrimSpace(cmd.Symbol)}}
	if p.SymbolPrefix != "" {
		year, err := p.symbolYear(cmd.Meeting, time.Time{}, c)
		if err != nil {
			return nil, Errorf(ErrorCode(err), "meeting: %s", Because(err))
		}
		a, err := p.NextSymbol(SeriesCRP, year)
		if err != nil {
			return nil, err
		}
		ev.Allocation, ev.Document.Symbol = &a, a.Symbol()
	}
	return []EventData{ev}, nil
}

// EventType implements EventData.
func (DocumentRegistered) EventType() string { return "document.registered" }

func (ev DocumentRegistered) apply(p *Process, e Event) {
	x := ev.Document
	p.Documents = append(p.Documents, &x)
	if ev.Allocation != nil {
		p.allocated(*ev.Allocation)
	}
}

// TransmitDocument sends a group's recommendations to the plenary.
type TransmitDocument struct {
	Document DocumentID `json:"document"`
	To       BodyID     `json:"to"`
}

// DocumentTransmitted records recommendations sent to the plenary.
type DocumentTransmitted TransmitDocument

func (cmd TransmitDocument) decide(p *Process, c Context) ([]EventData, error) {
	if err := setUp(c, "transmit a document"); err != nil {
		return nil, err
	}
	x, err := p.Document(cmd.Document)
	if err != nil {
		return nil, err
	}
	if x.Type != Recommendations {
		return nil, Errorf(EINVALID, "only a group's recommendations go to the plenary; document %s is a %s", x.ID, x.Type)
	}
	if !x.Transmitted.IsZero() {
		return nil, Errorf(ECONFLICT, "document %s already went to %s on %s", x.ID, x.TransmittedTo, day(x.Transmitted))
	}
	to, err := p.Body(cmd.To)
	if err != nil {
		return nil, err
	}
	if to.Kind != BodyPlenary {
		return nil, Errorf(EINVALID, "recommendations go to the plenary; %s is %s", to.label(), to.Kind.words())
	}
	return []EventData{DocumentTransmitted(cmd)}, nil
}

// EventType implements EventData.
func (DocumentTransmitted) EventType() string { return "document.transmitted" }

func (ev DocumentTransmitted) apply(p *Process, e Event) {
	x, _ := p.Document(ev.Document)
	x.TransmittedTo, x.Transmitted = ev.To, e.At
}

// SectionSource says where a section taken in came from.
type SectionSource struct {
	Document DocumentID `json:"document"`
	Symbol   string     `json:"symbol,omitempty"`
	Body     BodyID     `json:"body,omitempty"`
}

// TakeInSection takes a group's agreed text into this document (the
// plenary's progress report) as a new section. The engine cannot read the
// group's document, another aggregate: the caller passes its Outline
// (Document.Outline of the group's recommendations), and the engine takes
// in only paragraphs whose status there is agreed ad ref or adopted and
// that have no brackets. The paragraphs get new identities here and are
// not yet read: the plenary negotiates them as its own text. With
// continuous numbering they continue the numbers when the section is
// placed last, and take "bis", "ter"… numbers otherwise, until the next
// revision renumbers.
type TakeInSection struct {
	From     DocumentID  `json:"from"`
	Body     BodyID      `json:"body,omitempty"`
	Outline  Outline     `json:"outline"`
	Sections []SectionID `json:"sections,omitempty"` // sections of the outline to take; all when empty
	Heading  string      `json:"heading"`
	After    SectionID   `json:"after,omitempty"` // place the new section after this one; last when empty
}

// SectionAdded records a new section; its paragraphs follow as
// ParagraphAdded events.
type SectionAdded struct {
	Section SectionID      `json:"section"`
	After   SectionID      `json:"after,omitempty"`
	Heading string         `json:"heading"`
	Level   int            `json:"level"`
	Source  *SectionSource `json:"source,omitempty"`
}

func (cmd TakeInSection) decide(d *Document, c Context) ([]EventData, error) {
	if err := d.penHolder(c, "take a group's text in"); err != nil {
		return nil, err
	}
	if err := nonEmpty("from", string(cmd.From)); err != nil {
		return nil, err
	}
	if cmd.From == d.ID {
		return nil, Errorf(EINVALID, "a document cannot take its own text in")
	}
	if err := nonEmpty("heading", cmd.Heading); err != nil {
		return nil, err
	}
	if err := checkText("heading", cmd.Heading); err != nil {
		return nil, err
	}
	src := cmd.Outline.Symbol
	if src == "" {
		src = string(cmd.From)
	}
	picked := cmd.Outline.Sections
	if len(cmd.Sections) > 0 {
		picked = nil
		for _, id := range cmd.Sections {
			i := slices.IndexFunc(cmd.Outline.Sections, func(s OutlineSection) bool { return s.ID == id })
			if i < 0 {
				return nil, Errorf(ENOTFOUND, "section %s is not in the outline of %s", id, src)
			}
			picked = append(picked, cmd.Outline.Sections[i])
		}
	}
	n := 0
	var check func(ps []OutlineParagraph, level int) error
	check = func(ps []OutlineParagraph, level int) error {
		for _, op := range ps {
			n++
			name := op.Number
			if name == "" {
				name = string(op.ID)
			}
			if op.Status != StatusAgreedAdRef && op.Status != StatusAdopted {
				return Errorf(ECONFLICT, "paragraph %s of %s is %s; only text the group agreed (agreed ad ref or adopted) is taken in", name, src, op.Status)
			}
			if HasBrackets(op.Text) {
				return Errorf(ECONFLICT, "paragraph %s of %s still has brackets; only agreed text is taken in", name, src)
			}
			if err := checkText(fmt.Sprintf("text of paragraph %s of %s", name, src), op.Text); err != nil {
				return err
			}
			if level >= 2 && len(op.Children) > 0 {
				return Errorf(EINVALID, "paragraph %s of %s: subparagraphs nest two levels deep at most", name, src)
			}
			if err := check(op.Children, level+1); err != nil {
				return err
			}
		}
		return nil
	}
	for _, s := range picked {
		if err := check(s.Paras, 0); err != nil {
			return nil, err
		}
	}
	if n == 0 {
		return nil, Errorf(EINVALID, "the outline of %s has no paragraphs to take in", src)
	}
	if len(d.Paragraphs)+n > MaxParagraphs {
		return nil, Errorf(EINVALID, "the document has %d paragraphs and would have %d; the limit is %d", len(d.Paragraphs), len(d.Paragraphs)+n, MaxParagraphs)
	}
	idx := len(d.Sections) - 1
	if cmd.After != "" {
		if _, idx = d.section(cmd.After); idx < 0 {
			return nil, Errorf(ENOTFOUND, "section %s does not exist in %s", cmd.After, d.label())
		}
	}
	sec := SectionID(fmt.Sprintf("s%d", d.Counters.Section+1))
	out := []EventData{SectionAdded{Section: sec, After: cmd.After, Heading: cmd.Heading, Level: 1,
		Source: &SectionSource{Document: cmd.From, Symbol: cmd.Outline.Symbol, Body: cmd.Body}}}
	base, suffix, last := d.numbersAfter(idx)
	next, top := d.Counters.Paragraph, 0
	var prevTop ParagraphID
	var emit func(ps []OutlineParagraph, parent ParagraphID, level int)
	emit = func(ps []OutlineParagraph, parent ParagraphID, level int) {
		var prev ParagraphID
		k := 0
		for _, op := range ps {
			next++
			ev := ParagraphAdded{Para: ParagraphID(fmt.Sprintf("p%d", next)), Section: sec, Parent: parent, After: prev,
				Level: level, Numbered: op.Number != "", Text: op.Text}
			if level == 0 {
				ev.After = prevTop
				prevTop = ev.Para
			}
			if ev.Numbered && level == 0 {
				top++
				if last {
					ev.Base = base + top
				} else {
					ev.Base, ev.Suffix = base, suffix+top
				}
			} else if ev.Numbered {
				k++
				ev.Base = k
			}
			out = append(out, ev)
			prev = ev.Para
			emit(op.Children, ev.Para, level+1)
		}
	}
	for _, s := range picked {
		emit(s.Paras, "", 0)
	}
	return out, nil
}

// numbersAfter works out how paragraphs placed after the section at index
// idx are numbered: with per-section numbering, or when no numbered
// paragraph follows, they continue from base (last is true); otherwise
// they share base with suffixes after suffix.
func (d *Document) numbersAfter(idx int) (base, suffix int, last bool) {
	if d.Numbering == NumberPerSection {
		return 0, 0, true
	}
	last = true
	for i, s := range d.Sections {
		for _, id := range s.Paras {
			p := d.Paragraphs[id]
			if p.Removed || !p.Numbered {
				continue
			}
			if i <= idx {
				base = p.Base
			} else {
				last = false
			}
		}
	}
	for _, p := range d.numberScope("", "") {
		if p.Numbered && p.Base == base && p.Suffix > suffix {
			suffix = p.Suffix
		}
	}
	return base, suffix, last
}

// EventType implements EventData.
func (SectionAdded) EventType() string { return "section.added" }

func (ev SectionAdded) apply(d *Document, e Event) {
	d.Counters.Section++
	s := &Section{ID: ev.Section, Heading: ev.Heading, Level: ev.Level, Source: ev.Source}
	i := len(d.Sections)
	if ev.After != "" {
		_, i = d.section(ev.After)
		i++
	}
	d.Sections = slices.Insert(d.Sections, i, s)
}

func init() {
	RegisterEvent(func() EventData { return new(DocumentRegistered) })
	RegisterEvent(func() EventData { return new(DocumentTransmitted) })
	RegisterEvent(func() EventData { return new(SectionAdded) })
}
