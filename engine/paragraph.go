package engine

import (
	"fmt"
	"slices"
	"unicode"
)

// Draft is a document's content before it has identities: what an import
// produces and what CreateDocument takes.
type Draft struct {
	Title     string         `json:"title"`
	Symbol    string         `json:"symbol,omitempty"`
	Numbering Numbering      `json:"numbering"`
	Sections  []DraftSection `json:"sections"`
}

// DraftSection is a heading and its paragraphs in a Draft. A section with
// an empty heading holds text that comes before the first heading.
type DraftSection struct {
	Heading string           `json:"heading"`
	Level   int              `json:"level"`
	Paras   []DraftParagraph `json:"paras"`
}

// DraftParagraph is a paragraph or subparagraph in a Draft, with the
// numbering it had in its source.
type DraftParagraph struct {
	Numbered bool             `json:"numbered"`
	Base     int              `json:"base,omitempty"`
	Suffix   int              `json:"suffix,omitempty"`
	Alt      int              `json:"alt,omitempty"`
	Option   string           `json:"option,omitempty"`
	Text     string           `json:"text"`
	Line     int              `json:"line,omitempty"` // line in the source file, from 1
	Children []DraftParagraph `json:"children,omitempty"`
}

// CreateDocument creates a document from a draft. Identities are given to
// sections and paragraphs in reading order.
type CreateDocument struct {
	ID       DocumentID   `json:"id"`
	Type     DocumentType `json:"type"`
	Language string       `json:"language,omitempty"`
	Draft    Draft        `json:"draft"`
	// Process and Body say whose document it is. The engine cannot see
	// the process; the caller checks that the body exists.
	Process ProcessID `json:"process,omitempty"`
	Body    BodyID    `json:"body,omitempty"`
	// SymbolsAllocated says Draft.Symbol was allocated by the process
	// (RegisterDocument) and that the process allocates the symbols of the
	// document's L-document and final issues too. The caller sets it,
	// with the symbol the process's event carries.
	SymbolsAllocated bool `json:"symbolsAllocated,omitempty"`
}

// DocumentCreated is the first event of a document's stream.
type DocumentCreated CreateDocument

func (cmd CreateDocument) decide(d *Document, c Context) ([]EventData, error) {
	if d.ID != "" {
		return nil, Errorf(ECONFLICT, "document %s already exists", d.ID)
	}
	if err := nonEmpty("document id", string(cmd.ID)); err != nil {
		return nil, err
	}
	if err := nonEmpty("document title", cmd.Draft.Title); err != nil {
		return nil, err
	}
	if cmd.SymbolsAllocated && (cmd.Process == "" || cmd.Draft.Symbol == "") {
		return nil, Errorf(EINVALID, "symbolsAllocated: only a document of a process has its symbols allocated, and then the draft carries the allocated symbol")
	}
	if cmd.Type == "" {
		cmd.Type = DraftProgressReport
	}
	if cmd.Draft.Numbering == "" {
		cmd.Draft.Numbering = NumberContinuous
	}
	n := 0
	var check func(where string, ps []DraftParagraph, level int) error
	check = func(where string, ps []DraftParagraph, level int) error {
		for i, p := range ps {
			n++
			field := fmt.Sprintf("text of paragraph %d in %s", i+1, where)
			if p.Line > 0 {
				field = fmt.Sprintf("text of the paragraph at line %d", p.Line)
			}
			if err := checkText(field, p.Text); err != nil {
				return err
			}
			if level >= 2 && len(p.Children) > 0 {
				return Errorf(EINVALID, "%s: subparagraphs nest two levels deep at most", field)
			}
			if err := check(where, p.Children, level+1); err != nil {
				return err
			}
		}
		return nil
	}
	for i, s := range cmd.Draft.Sections {
		if err := checkText(fmt.Sprintf("heading of section %d", i+1), s.Heading); err != nil {
			return nil, err
		}
		if err := check(fmt.Sprintf("section %d", i+1), s.Paras, 0); err != nil {
			return nil, err
		}
	}
	if n > MaxParagraphs {
		return nil, Errorf(EINVALID, "the draft has %d paragraphs; the limit is %d", n, MaxParagraphs)
	}
	return []EventData{DocumentCreated(cmd)}, nil
}

// EventType implements EventData.
func (DocumentCreated) EventType() string { return "document.created" }

func (ev DocumentCreated) apply(d *Document, e Event) {
	d.ID, d.Type, d.Language = ev.ID, ev.Type, ev.Language
	d.Title, d.Symbol, d.Numbering = ev.Draft.Title, ev.Draft.Symbol, ev.Draft.Numbering
	d.Created = e.At
	d.Process, d.Body, d.SymbolsAllocated = ev.Process, ev.Body, ev.SymbolsAllocated
	if len(ev.Draft.Sections) == 0 {
		ev.Draft.Sections = []DraftSection{{}}
	}
	var add func(sec SectionID, parent ParagraphID, level int, ps []DraftParagraph) []ParagraphID
	add = func(sec SectionID, parent ParagraphID, level int, ps []DraftParagraph) []ParagraphID {
		var ids []ParagraphID
		for _, dp := range ps {
			d.Counters.Paragraph++
			p := &Paragraph{ID: ParagraphID(fmt.Sprintf("p%d", d.Counters.Paragraph)), Section: sec, Parent: parent, Level: level,
				Numbered: dp.Numbered, Base: dp.Base, Suffix: dp.Suffix, Alt: dp.Alt, Option: dp.Option,
				Text: dp.Text, Version: 1, Status: StatusNotRead}
			d.Paragraphs[p.ID] = p
			ids = append(ids, p.ID)
			p.Children = add(sec, p.ID, level+1, dp.Children)
		}
		return ids
	}
	for _, ds := range ev.Draft.Sections {
		d.Counters.Section++
		s := &Section{ID: SectionID(fmt.Sprintf("s%d", d.Counters.Section)), Heading: ds.Heading, Level: ds.Level}
		d.Sections = append(d.Sections, s)
		s.Paras = add(s.ID, "", 0, ds.Paras)
	}
}

// EditText is the pen-holder's edit: replace the characters [Start, End)
// of a paragraph's text (rune offsets into the version the editor saw) by
// Insert. An edit written against an older version is carried onto the
// current text when the span it touches is unchanged, and refused as a
// conflict otherwise.
type EditText struct {
	Para    ParagraphID `json:"para"`
	Version int         `json:"version"`
	Start   int         `json:"start"`
	End     int         `json:"end"`
	Insert  string      `json:"insert"`
}

// TextEdited records a splice of a paragraph's current text (Version is the
// version it applies to; the result is Version+1).
type TextEdited EditText

func (cmd EditText) decide(d *Document, c Context) ([]EventData, error) {
	p, err := d.Paragraph(cmd.Para)
	if err != nil {
		return nil, err
	}
	if err := checkText("inserted text", cmd.Insert); err != nil {
		return nil, err
	}
	a, err := d.currentAnchor(p, cmd.Version, cmd.Start, cmd.End)
	if err != nil {
		return nil, err
	}
	newText := ApplySpan(p.Text, a, cmd.Insert)
	if err := checkText(fmt.Sprintf("text of paragraph %s", d.Number(p)), newText); err != nil {
		return nil, err
	}
	return []EventData{TextEdited{Para: p.ID, Version: p.Version, Start: a.Start, End: a.End, Insert: cmd.Insert}}, nil
}

// currentAnchor anchors [start, end) of the paragraph's text as of version
// and carries it onto the current text, or refuses with a conflict.
func (d *Document) currentAnchor(p *Paragraph, version, start, end int) (Anchor, error) {
	old, ok := p.textAt(version)
	if !ok {
		return Anchor{}, Errorf(ECONFLICT, "paragraph %s is at version %d; version %d is too old to carry the change over, reload it", d.displayName(p), p.Version, version)
	}
	a, err := NewAnchor(old, start, end)
	if err != nil {
		return Anchor{}, Errorf(EINVALID, "paragraph %s: %s", d.displayName(p), Because(err))
	}
	if version == p.Version {
		return a, nil
	}
	m, ok := MapAnchor(a, WordDiff(old, p.Text))
	if !ok {
		return Anchor{}, Errorf(ECONFLICT, "paragraph %s changed since version %d and the text %q you edited is no longer there", d.displayName(p), version, a.Text)
	}
	return m, nil
}

// displayName names a paragraph for messages: its number, or its identity
// when unnumbered.
func (d *Document) displayName(p *Paragraph) string {
	if n := d.Number(p); n != "" {
		return n
	}
	return string(p.ID)
}

// EventType implements EventData.
func (TextEdited) EventType() string { return "paragraph.edited" }

func (ev TextEdited) apply(d *Document, e Event) {
	p := d.Paragraphs[ev.Para]
	d.changeText(p, SpliceDiff(p.Text, ev.Start, ev.End, ev.Insert), e)
}

// ReplaceText sets the whole text of a paragraph, as the secretariat
// correcting it or a chair's compromise. Merges lists pending amendments
// that the new text merges; they are marked merged into the compromise.
type ReplaceText struct {
	Para    ParagraphID   `json:"para"`
	Version int           `json:"version"`
	Text    string        `json:"text"`
	Merges  []AmendmentID `json:"merges,omitempty"`
}

// TextReplaced records a paragraph's new text (Version is the version it
// replaces).
type TextReplaced ReplaceText

func (cmd ReplaceText) decide(d *Document, c Context) ([]EventData, error) {
	p, err := d.Paragraph(cmd.Para)
	if err != nil {
		return nil, err
	}
	if cmd.Version != p.Version {
		return nil, Errorf(ECONFLICT, "paragraph %s is at version %d, not %d: someone changed it; reload and try again", d.displayName(p), p.Version, cmd.Version)
	}
	if err := checkText(fmt.Sprintf("text of paragraph %s", d.displayName(p)), cmd.Text); err != nil {
		return nil, err
	}
	for _, id := range cmd.Merges {
		a, err := d.Amendment(id)
		if err != nil {
			return nil, err
		}
		if a.Status != Proposed {
			return nil, Errorf(ECONFLICT, "amendment %s is %s; only a proposed amendment can be merged into a compromise", id, a.Status)
		}
	}
	return []EventData{TextReplaced(cmd)}, nil
}

// EventType implements EventData.
func (TextReplaced) EventType() string { return "paragraph.replaced" }

func (ev TextReplaced) apply(d *Document, e Event) {
	p := d.Paragraphs[ev.Para]
	for _, id := range ev.Merges {
		d.Amendments[id].setStatus(Merged, e)
	}
	d.changeText(p, WordDiff(p.Text, ev.Text), e)
}

// changeText gives p the new side of ds as its text, carries every pending
// amendment and bracket mark on it onto the new text (or marks the
// amendment obsolete), and so makes positions on the old text stale.
func (d *Document) changeText(p *Paragraph, ds []Diff, e Event) {
	newText := DiffNew(ds)
	if newText == p.Text {
		return
	}
	old, now := []rune(p.Text), []rune(newText)
	pre := 0
	for pre < len(old) && pre < len(now) && old[pre] == now[pre] {
		pre++
	}
	suf := 0
	for suf < len(old)-pre && suf < len(now)-pre && old[len(old)-1-suf] == now[len(now)-1-suf] {
		suf++
	}
	// Whole words: "recalled" → "reaffirmed", not "call" → "affirm".
	for pre > 0 && isWordRune(old[pre-1]) && (pre < len(old) && isWordRune(old[pre]) || pre < len(now) && isWordRune(now[pre])) {
		pre--
	}
	for suf > 0 && isWordRune(old[len(old)-suf]) && (len(old)-suf-1 >= pre && isWordRune(old[len(old)-suf-1]) || len(now)-suf-1 >= pre && isWordRune(now[len(now)-suf-1])) {
		suf--
	}
	p.setText(newText)
	ch := TextChange{Version: p.Version, At: e.At, By: e.Actor, Event: e.Type, Start: pre,
		Deleted: string(old[pre : len(old)-suf]), Inserted: string(now[pre : len(now)-suf])}
	switch ev := e.Data.(type) {
	case TextReplaced:
		ch.Merges = ev.Merges
	case *TextReplaced:
		ch.Merges = ev.Merges
	}
	ch.Amendment = d.decidedBy(p, e)
	p.History = append(p.History, ch)
	d.reopen(p, e)
	for _, a := range d.pendingOn(p.ID) {
		if a.Parent != "" || !a.Op.spanOp() {
			if a.Op.spanOp() || a.Op == OpReplaceParagraph || a.Op == OpDeleteParagraph {
				a.Version = p.Version
			}
			continue
		}
		m, ok := MapAnchor(a.Anchor, ds)
		if !ok {
			a.setStatus(Obsolete, e)
			a.Reason = fmt.Sprintf("the text %q it was written against is no longer in the paragraph", a.Anchor.Text)
			continue
		}
		a.Anchor, a.Version = m, p.Version
		a.Rebased++
	}
	marks := d.Attrib[p.ID][:0:0]
	for _, bm := range d.Attrib[p.ID] {
		if m, ok := MapAnchor(bm.Anchor, ds); ok {
			marks = append(marks, BracketMark{m, bm.By})
		}
	}
	d.setMarks(p.ID, marks)
}

// isWordRune reports whether r belongs to a word (a letter, digit or
// mark); a change is recorded on whole words.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// decidedBy returns the amendment whose acceptance made the text event e
// on paragraph p: the amendment an AmendmentDecided event of the same
// moment accepted, when e is the change that decision plans (its text
// spliced over the anchor, the paragraph replaced by it, or brackets
// added for it). A pen's edit in the same batch is not taken for it.
func (d *Document) decidedBy(p *Paragraph, e Event) AmendmentID {
	a := d.Amendments[d.deciding.Amendment]
	if a == nil || !d.deciding.At.Equal(e.At) {
		return ""
	}
	var data any = e.Data
	switch ev := data.(type) {
	case *TextEdited:
		data = *ev
	case *TextReplaced:
		data = *ev
	case *BracketsAdded:
		data = *ev
	}
	switch ev := data.(type) {
	case TextEdited:
		if ev.Para == a.Para && ev.Start == a.Anchor.Start && ev.End == a.Anchor.End && ev.Insert == a.NewText {
			return a.ID
		}
	case TextReplaced:
		if ev.Para == a.Para && ev.Text == a.NewText && len(ev.Merges) == 0 {
			return a.ID
		}
	case BracketsAdded:
		if a.Status == InBrackets && (ev.Para == a.Para || p.ID == ev.Para && slices.Contains(ev.By, a.Proposer)) {
			return a.ID
		}
	}
	return ""
}

func (d *Document) setMarks(id ParagraphID, marks []BracketMark) {
	if len(marks) == 0 {
		delete(d.Attrib, id)
		return
	}
	if d.Attrib == nil {
		d.Attrib = map[ParagraphID][]BracketMark{}
	}
	d.Attrib[id] = marks
}

// AddParagraph adds a paragraph (or a subparagraph, with Parent) after
// another one; with After empty it becomes the first of its section or
// parent. A numbered paragraph added after 12 is numbered "12 bis" (then
// "12 ter", …) until the next revision renumbers.
type AddParagraph struct {
	Section  SectionID   `json:"section,omitempty"`
	Parent   ParagraphID `json:"parent,omitempty"`
	After    ParagraphID `json:"after,omitempty"`
	Numbered bool        `json:"numbered"`
	Text     string      `json:"text"`
	// AltOf makes the new paragraph an alternative of this one ("12 alt").
	AltOf ParagraphID `json:"altOf,omitempty"`
}

// ParagraphAdded records a new paragraph with its identity and numbering.
type ParagraphAdded struct {
	Para      ParagraphID `json:"para"`
	Section   SectionID   `json:"section"`
	Parent    ParagraphID `json:"parent,omitempty"`
	After     ParagraphID `json:"after,omitempty"`
	Level     int         `json:"level"`
	Numbered  bool        `json:"numbered"`
	Base      int         `json:"base,omitempty"`
	Suffix    int         `json:"suffix,omitempty"`
	Alt       int         `json:"alt,omitempty"`
	Option    string      `json:"option,omitempty"`
	Text      string      `json:"text"`
	Amendment AmendmentID `json:"amendment,omitempty"` // the accepted amendment that added it
}

func (cmd AddParagraph) decide(d *Document, c Context) ([]EventData, error) {
	ev, err := d.planAdd(cmd, 0)
	if err != nil {
		return nil, err
	}
	return []EventData{ev}, nil
}

// planAdd validates an addition and works out its place and number. extra
// counts paragraphs already planned by the same command, so that their
// identities do not collide.
func (d *Document) planAdd(cmd AddParagraph, extra int) (ParagraphAdded, error) {
	if err := checkText("text of the new paragraph", cmd.Text); err != nil {
		return ParagraphAdded{}, err
	}
	if len(d.Paragraphs)+extra >= MaxParagraphs {
		return ParagraphAdded{}, Errorf(EINVALID, "the document already has %d paragraphs; the limit is %d", len(d.Paragraphs), MaxParagraphs)
	}
	ev := ParagraphAdded{Para: ParagraphID(fmt.Sprintf("p%d", d.Counters.Paragraph+1+extra)), Section: cmd.Section, Parent: cmd.Parent,
		After: cmd.After, Numbered: cmd.Numbered, Text: cmd.Text}
	if cmd.AltOf != "" {
		alt, err := d.Paragraph(cmd.AltOf)
		if err != nil {
			return ev, err
		}
		ev.Section, ev.Parent, ev.After, ev.Level, ev.Numbered = alt.Section, alt.Parent, alt.ID, alt.Level, alt.Numbered
		ev.Base, ev.Suffix, ev.Option = alt.Base, alt.Suffix, alt.Option
		for _, q := range d.Paragraphs {
			if !q.Removed && q.Section == alt.Section && q.Parent == alt.Parent && q.Base == alt.Base && q.Suffix == alt.Suffix && q.Alt >= ev.Alt {
				ev.Alt = q.Alt + 1
			}
		}
		// Place it after the last existing alternative.
		sib := *d.siblings(alt)
		for i := slices.Index(sib, alt.ID) + 1; i < len(sib); i++ {
			if q := d.Paragraphs[sib[i]]; q.Alt > 0 && q.Base == alt.Base && q.Suffix == alt.Suffix {
				ev.After = q.ID
			}
		}
		return ev, nil
	}
	if cmd.After != "" {
		after, err := d.Paragraph(cmd.After)
		if err != nil {
			return ev, Errorf(ENOTFOUND, "the paragraph to add after: %s", Because(err))
		}
		ev.Section, ev.Parent, ev.Option = after.Section, after.Parent, after.Option
	} else if cmd.Parent != "" {
		if _, err := d.Paragraph(cmd.Parent); err != nil {
			return ev, err
		}
	}
	if ev.Parent != "" {
		parent := d.Paragraphs[ev.Parent]
		if parent.Level >= 2 {
			return ev, Errorf(EINVALID, "subparagraphs nest two levels deep at most; %s is already at the second level", d.displayName(parent))
		}
		ev.Section, ev.Level = parent.Section, parent.Level+1
	}
	if s, _ := d.section(ev.Section); s == nil {
		if ev.Section == "" {
			return ev, Errorf(EINVALID, "section is required when adding a paragraph without a paragraph to add it after")
		}
		return ev, Errorf(ENOTFOUND, "section %s does not exist", ev.Section)
	}
	if ev.Numbered {
		ev.Base, ev.Suffix = d.insertNumber(ev)
	}
	return ev, nil
}

// insertNumber gives a numbered paragraph inserted at ev's place the base
// number of the numbered paragraph before it and the next free suffix.
func (d *Document) insertNumber(ev ParagraphAdded) (base, suffix int) {
	scope := d.numberScope(ev.Section, ev.Parent)
	pos := 0 // index in scope after which the paragraph goes
	if ev.After != "" {
		pos = slices.IndexFunc(scope, func(p *Paragraph) bool { return p.ID == ev.After }) + 1
	}
	for i := pos - 1; i >= 0; i-- {
		if scope[i].Numbered {
			base = scope[i].Base
			break
		}
	}
	for _, p := range scope {
		if p.Numbered && p.Base == base && p.Suffix >= suffix {
			suffix = p.Suffix + 1
		}
	}
	if suffix == 0 {
		suffix = 1
	}
	return base, suffix
}

// numberScope lists, in order, the paragraphs that share one numbering
// with a paragraph placed in section sec under parent: the parent's
// children for subparagraphs, else the section's or the whole document's
// top-level paragraphs.
func (d *Document) numberScope(sec SectionID, parent ParagraphID) []*Paragraph {
	var out []*Paragraph
	if parent != "" {
		for _, id := range d.Paragraphs[parent].Children {
			if p := d.Paragraphs[id]; !p.Removed {
				out = append(out, p)
			}
		}
		return out
	}
	for _, s := range d.Sections {
		if d.Numbering == NumberPerSection && s.ID != sec {
			continue
		}
		for _, id := range s.Paras {
			if p := d.Paragraphs[id]; !p.Removed {
				out = append(out, p)
			}
		}
	}
	return out
}

// EventType implements EventData.
func (ParagraphAdded) EventType() string { return "paragraph.added" }

func (ev ParagraphAdded) apply(d *Document, e Event) {
	d.Counters.Paragraph++
	p := &Paragraph{ID: ev.Para, Section: ev.Section, Parent: ev.Parent, Level: ev.Level, Numbered: ev.Numbered,
		Base: ev.Base, Suffix: ev.Suffix, Alt: ev.Alt, Option: ev.Option, Text: ev.Text, Version: 1, Status: StatusNotRead}
	d.Paragraphs[p.ID] = p
	d.insertAfter(p, ev.After)
}

// insertAfter places p in its section or parent after the given sibling,
// or first when after is empty.
func (d *Document) insertAfter(p *Paragraph, after ParagraphID) {
	list := d.siblings(p)
	i := 0
	if after != "" {
		i = slices.Index(*list, after) + 1
	}
	*list = slices.Insert(*list, i, p.ID)
}

// DeleteParagraph strikes a paragraph through: it stays visible until the
// deletion is agreed (see RemoveParagraph).
type DeleteParagraph struct {
	Para ParagraphID `json:"para"`
}

// ParagraphDeleted records that a paragraph is struck through, pending
// agreement on its deletion.
type ParagraphDeleted DeleteParagraph

func (cmd DeleteParagraph) decide(d *Document, c Context) ([]EventData, error) {
	p, err := d.Paragraph(cmd.Para)
	if err != nil {
		return nil, err
	}
	if p.Deleted {
		return nil, Errorf(ECONFLICT, "paragraph %s is already struck through", d.displayName(p))
	}
	return []EventData{ParagraphDeleted(cmd)}, nil
}

// EventType implements EventData.
func (ParagraphDeleted) EventType() string { return "paragraph.deleted" }

func (ev ParagraphDeleted) apply(d *Document, e Event) {
	p := d.Paragraphs[ev.Para]
	p.Deleted, p.Status = true, StatusDeletedPending
}

// RemoveParagraph takes a struck-through paragraph out of the text once its
// deletion is agreed. Its identity is retired, never reused.
type RemoveParagraph struct {
	Para ParagraphID `json:"para"`
}

// ParagraphRemoved records that a paragraph's deletion was agreed.
type ParagraphRemoved RemoveParagraph

func (cmd RemoveParagraph) decide(d *Document, c Context) ([]EventData, error) {
	p, err := d.Paragraph(cmd.Para)
	if err != nil {
		return nil, err
	}
	if !p.Deleted {
		return nil, Errorf(ECONFLICT, "paragraph %s is not struck through; delete it before agreeing its deletion", d.displayName(p))
	}
	return []EventData{ParagraphRemoved(cmd)}, nil
}

// EventType implements EventData.
func (ParagraphRemoved) EventType() string { return "paragraph.removed" }

func (ev ParagraphRemoved) apply(d *Document, e Event) {
	p := d.Paragraphs[ev.Para]
	p.Removed = true
	list := d.siblings(p)
	*list = slices.DeleteFunc(*list, func(id ParagraphID) bool { return id == p.ID })
	var retire func(ids []ParagraphID)
	retire = func(ids []ParagraphID) {
		for _, id := range ids {
			d.Paragraphs[id].Removed = true
			retire(d.Paragraphs[id].Children)
		}
	}
	retire(p.Children)
	for _, a := range d.pendingOn(p.ID) {
		a.setStatus(Obsolete, e)
		a.Reason = "the paragraph it amends was deleted"
	}
}

// MoveParagraph moves a top-level paragraph after another one (or first in
// Section when After is empty). It keeps its identity and number until the
// next revision renumbers.
type MoveParagraph struct {
	Para    ParagraphID `json:"para"`
	After   ParagraphID `json:"after,omitempty"`
	Section SectionID   `json:"section,omitempty"`
}

// ParagraphMoved records a paragraph's new place.
type ParagraphMoved MoveParagraph

func (cmd MoveParagraph) decide(d *Document, c Context) ([]EventData, error) {
	ev, err := d.planMove(cmd)
	if err != nil {
		return nil, err
	}
	return []EventData{ev}, nil
}

func (d *Document) planMove(cmd MoveParagraph) (ParagraphMoved, error) {
	p, err := d.Paragraph(cmd.Para)
	if err != nil {
		return ParagraphMoved{}, err
	}
	if p.Parent != "" {
		return ParagraphMoved{}, Errorf(EINVALID, "subparagraph %s moves with its paragraph; move the paragraph", d.displayName(p))
	}
	if cmd.After == p.ID {
		return ParagraphMoved{}, Errorf(EINVALID, "paragraph %s cannot be moved after itself", d.displayName(p))
	}
	if cmd.After != "" {
		after, err := d.Paragraph(cmd.After)
		if err != nil {
			return ParagraphMoved{}, err
		}
		if after.Parent != "" {
			return ParagraphMoved{}, Errorf(EINVALID, "a paragraph can only be moved after another paragraph, not after subparagraph %s", d.displayName(after))
		}
		cmd.Section = after.Section
	} else if s, _ := d.section(cmd.Section); s == nil {
		return ParagraphMoved{}, Errorf(ENOTFOUND, "section %q does not exist", cmd.Section)
	}
	return ParagraphMoved(cmd), nil
}

// EventType implements EventData.
func (ParagraphMoved) EventType() string { return "paragraph.moved" }

func (ev ParagraphMoved) apply(d *Document, e Event) {
	p := d.Paragraphs[ev.Para]
	list := d.siblings(p)
	*list = slices.DeleteFunc(*list, func(id ParagraphID) bool { return id == p.ID })
	p.Section = ev.Section
	var fix func(ids []ParagraphID)
	fix = func(ids []ParagraphID) {
		for _, id := range ids {
			d.Paragraphs[id].Section = ev.Section
			fix(d.Paragraphs[id].Children)
		}
	}
	fix(p.Children)
	d.insertAfter(p, ev.After)
}

func init() {
	RegisterEvent(func() EventData { return new(DocumentCreated) })
	RegisterEvent(func() EventData { return new(TextEdited) })
	RegisterEvent(func() EventData { return new(TextReplaced) })
	RegisterEvent(func() EventData { return new(ParagraphAdded) })
	RegisterEvent(func() EventData { return new(ParagraphDeleted) })
	RegisterEvent(func() EventData { return new(ParagraphRemoved) })
	RegisterEvent(func() EventData { return new(ParagraphMoved) })
}
