package server

import (
	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/export"
)

// View is what a client holds of a room: the text as read, with numbers,
// brackets and who asked for them, amendments, positions (marked stale
// when their text changed) and the revisions issued. The server sends a
// whole View in the hello and, after each change, the parts it touched;
// clients never re-implement the engine's fold.
type View struct {
	ID         engine.DocumentID   `json:"id"`
	Title      string              `json:"title"`
	Symbol     string              `json:"symbol"`
	Type       engine.DocumentType `json:"type"`
	Language   string              `json:"language,omitempty"`
	Sections   []SectionView       `json:"sections"`
	Paragraphs []ParagraphView     `json:"paragraphs"`
	Amendments []AmendmentView     `json:"amendments"`
	Positions  []PositionView      `json:"positions"`
	Revisions  []RevisionView      `json:"revisions"`
	Room       *RoomView           `json:"room"`
	// Versions are the document's language versions: title and
	// headings; each paragraph's translations are in its view.
	Versions []LanguageView `json:"versions,omitempty"`
}

// LanguageView is one language version's title and headings, and how
// many paragraphs of it are current, outdated or missing.
type LanguageView struct {
	Language string                      `json:"language"`
	Title    string                      `json:"title,omitempty"`
	Headings map[engine.SectionID]string `json:"headings,omitempty"`
}

// TranslationView is a paragraph's text in one language version and
// where it stands: "current", or "outdated" when the source paragraph
// changed since the version it translates (Source). Clients keep the
// comparison current as the source changes: a translation is outdated
// when Source differs from its paragraph's version.
type TranslationView struct {
	Text    string                  `json:"text"`
	Version int                     `json:"version"`
	Source  int                     `json:"source"`
	State   engine.TranslationState `json:"state"`
}

// RoomView is the state of the proceedings in a room: the open reading
// with its "now reading" pointer and floor, the silence procedure in
// progress (its deadline is the clock clients show), decisions taken and
// explanations of position, and whether the text was adopted or ended in a
// Chair's summary.
type RoomView struct {
	Process      engine.ProcessID     `json:"process,omitempty"`
	Body         engine.BodyID        `json:"body,omitempty"`
	Reading      *engine.Reading      `json:"reading,omitempty"`
	Silence      *engine.Silence      `json:"silence,omitempty"`
	Decisions    []engine.Decision    `json:"decisions,omitempty"`
	Explanations []engine.Explanation `json:"explanations,omitempty"`
	Adopted      string               `json:"adopted,omitempty"`
	NoConsensus  *engine.NoConsensus  `json:"noConsensus,omitempty"`
	Summary      *engine.SummaryIssue `json:"summary,omitempty"`
}

// roomView reads the proceedings of a document.
func roomView(d *engine.Document) *RoomView {
	v := &RoomView{Process: d.Process, Body: d.Body, Reading: d.CurrentReading(), Silence: d.CurrentSilence(),
		Decisions: d.Decisions, Explanations: d.Explanations, NoConsensus: d.NoConsensus, Summary: d.Summary}
	if !d.Adopted.IsZero() {
		v.Adopted = d.Adopted.UTC().Format("2006-01-02T15:04:05Z")
	}
	return v
}

// SectionView is a section heading and its top-level paragraphs in order.
type SectionView struct {
	ID      engine.SectionID     `json:"id"`
	Heading string               `json:"heading"`
	Level   int                  `json:"level"`
	Paras   []engine.ParagraphID `json:"paras"`
}

// ParagraphView is one paragraph as clients show it.
type ParagraphView struct {
	ID       engine.ParagraphID      `json:"id"`
	Section  engine.SectionID        `json:"section"`
	Parent   engine.ParagraphID      `json:"parent,omitempty"`
	Children []engine.ParagraphID    `json:"children,omitempty"`
	Number   string                  `json:"number"`
	EID      string                  `json:"eId"`
	Level    int                     `json:"level"`
	Option   string                  `json:"option,omitempty"`
	Text     string                  `json:"text"`
	Version  int                     `json:"version"`
	Status   engine.ParagraphStatus  `json:"status"`
	Deleted  bool                    `json:"deleted,omitempty"`
	Brackets []*engine.BracketNode   `json:"brackets,omitempty"` // the parsed text, with who asked for each bracket
	Problems []engine.BracketProblem `json:"problems,omitempty"`
	// Styles are the stretches of the text in italics, bold or code and
	// the Markdown marks that are not text (code points), read as the
	// exports read them: clients draw the formatting and hide the marks.
	Styles []export.TextSpan `json:"styles,omitempty"`
	// Lines are where the lines of the text after the first begin
	// (export.LineStarts: 80 characters of the text as read): the line
	// numbers clients show, the same as a clean text's with lines=1.
	Lines     []int          `json:"lines,omitempty"`
	Positions []PositionView `json:"positions,omitempty"`
	// Translations are the paragraph's texts in the language versions
	// that have one, by language.
	Translations map[string]TranslationView `json:"translations,omitempty"`
}

// AmendmentView is an amendment as clients show it.
type AmendmentView struct {
	engine.Amendment
	// Preview is what the amendment proposes as the exports' redline
	// runs (context kept, words deleted and inserted, with their
	// formatting), so the room shows it as the compare does.
	Preview []export.Run `json:"preview,omitempty"`
	// Applied is the paragraph as it would read with the amendment, word
	// diff against the paragraph as it reads now, for a pending amendment
	// that changes words of it.
	Applied []export.Run `json:"applied,omitempty"`
	// Warnings say what the amendment would leave wrong in the text: a
	// bracket left unbalanced because its span cuts a pair.
	Warnings []string `json:"warnings,omitempty"`
	// Line is the line of the paragraph where the words it changes begin,
	// for an amendment to words of it: "paragraph 12, line 3".
	Line int `json:"line,omitempty"`
}

// PositionView is a position with its staleness worked out when sent. A
// position is stale when its version differs from its paragraph's version
// (or, on an amendment, from the amendment's textVersion): clients keep
// that comparison current as texts change, since positions are not sent
// again when only the text moves on. Withdrawn marks a position taken
// back, in an events message.
type PositionView struct {
	engine.Position
	Stale     bool `json:"stale,omitempty"`
	Withdrawn bool `json:"withdrawn,omitempty"`
}

// RevisionView lists an issued revision without its frozen text.
type RevisionView struct {
	Number int                 `json:"number"`
	Kind   engine.RevisionKind `json:"kind"`
	Symbol string              `json:"symbol"`
	Date   string              `json:"date"`
}

// buildView returns the whole view of a document.
func buildView(d *engine.Document) *View {
	v := &View{ID: d.ID, Title: d.Title, Symbol: d.CurrentSymbol(), Type: d.Type, Language: d.Language,
		Sections: []SectionView{}, Paragraphs: []ParagraphView{}, Amendments: []AmendmentView{}, Revisions: []RevisionView{}}
	for _, s := range d.Sections {
		v.Sections = append(v.Sections, SectionView{ID: s.ID, Heading: s.Heading, Level: s.Level, Paras: append([]engine.ParagraphID{}, s.Paras...)})
	}
	eids := d.EIDs()
	for _, p := range d.Order() {
		v.Paragraphs = append(v.Paragraphs, paragraphView(d, p, eids))
	}
	for _, a := range sortedAmendments(d) {
		v.Amendments = append(v.Amendments, amendmentView(d, a))
	}
	v.Positions = []PositionView{}
	for _, p := range d.Order() {
		v.Positions = append(v.Positions, positionViews(d, d.PositionsOn(p.ID, ""))...)
		for _, a := range d.AmendmentsOn(p.ID) {
			v.Positions = append(v.Positions, positionViews(d, d.PositionsOn(a.Para, a.ID))...)
		}
	}
	v.Room = roomView(d)
	for _, r := range d.Revisions {
		v.Revisions = append(v.Revisions, RevisionView{r.Number, r.Kind, r.Symbol, r.Date.Format("2006-01-02")})
	}
	for _, l := range d.Languages()[1:] {
		lv := d.Translations[l]
		v.Versions = append(v.Versions, LanguageView{Language: l, Title: lv.Title, Headings: lv.Headings})
	}
	return v
}

func sortedAmendments(d *engine.Document) []*engine.Amendment {
	var out []*engine.Amendment
	for _, p := range d.Order() {
		out = append(out, d.AmendmentsOn(p.ID)...)
	}
	return out
}

func paragraphView(d *engine.Document, p *engine.Paragraph, eids map[engine.ParagraphID]string) ParagraphView {
	t := d.Brackets(p)
	pv := ParagraphView{ID: p.ID, Section: p.Section, Parent: p.Parent, Children: append([]engine.ParagraphID(nil), p.Children...),
		Number: d.Number(p), EID: eids[p.ID], Level: p.Level, Option: p.Option, Text: p.Text, Version: p.Version,
		Status: p.Status, Deleted: p.Deleted, Problems: t.Problems, Styles: export.TextSpans(p.Text), Lines: export.LineStarts(p.Text)}
	if t.Count > 0 {
		pv.Brackets = t.Nodes
	}
	for _, l := range d.Languages()[1:] {
		if tr, st := d.Translation(l, p.ID); tr != nil {
			if pv.Translations == nil {
				pv.Translations = map[string]TranslationView{}
			}
			pv.Translations[l] = TranslationView{Text: tr.Text, Version: tr.Version, Source: tr.Source, State: st}
		}
	}
	return pv
}

func amendmentView(d *engine.Document, a *engine.Amendment) AmendmentView {
	v := AmendmentView{Amendment: *a, Preview: export.ProposalRuns(d, a), Applied: export.AppliedRuns(d, a), Warnings: d.BracketWarnings(a)}
	if p := d.Paragraphs[a.Para]; p != nil && a.Parent == "" && a.Op.SpanOp() && a.Anchor.Check(p.Text) == nil {
		v.Line = export.LineOf(p.Text, a.Anchor.Start)
	}
	return v
}

func positionViews(d *engine.Document, ps []*engine.Position) []PositionView {
	var out []PositionView
	for _, p := range ps {
		out = append(out, PositionView{Position: *p, Stale: d.Stale(p)})
	}
	return out
}
