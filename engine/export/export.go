// Package export builds the secretariat's reports on a negotiated text —
// the clean text, the compare (redline), the compilation of proposals and
// the status report — and renders them as Markdown, HTML, Word (.docx),
// Akoma Ntoso XML and JSON.
//
// Everything here is a pure function over engine types: it reads no file,
// opens no connection and reads no clock. Callers pass what an output must
// name (document symbol, revision, date, the head hash of the event log) in
// a Meta, so that the same inputs always give the same bytes.
//
// A report is built first (Clean, CompareOutlines, CompareDrafts,
// BuildCompilation, BuildStatus) and then rendered with Render or the
// report's own methods. The model is what JSON shows; the other formats
// are views of it.
package export

import (
	"fmt"
	"strings"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// Format is an output format.
type Format string

// Output formats.
const (
	Markdown   Format = "md"
	HTML       Format = "html"
	DOCX       Format = "docx"
	AkomaNtoso Format = "akn"
	JSON       Format = "json"
)

// Formats lists every output format, in the order help texts show them.
var Formats = []Format{Markdown, HTML, DOCX, AkomaNtoso, JSON}

// ParseFormat reads a format name ("md", "markdown", "html", "docx",
// "akn", "xml", "json").
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "md", "markdown":
		return Markdown, nil
	case "html", "htm":
		return HTML, nil
	case "docx", "word":
		return DOCX, nil
	case "akn", "xml", "akomantoso", "akoma-ntoso":
		return AkomaNtoso, nil
	case "json":
		return JSON, nil
	}
	return "", engine.Errorf(engine.EINVALID, "format %q is not one of md, html, docx, akn, json", s)
}

// Style is a house style for a compare: how deletions and insertions are
// shown.
type Style string

// House styles for compares.
const (
	// StrikeUnderline strikes deleted text through and underlines inserted
	// text.
	StrikeUnderline Style = "strike-underline"
	// StrikeBold strikes deleted text through and sets inserted text in
	// bold.
	StrikeBold Style = "strike-bold"
	// Columns sets the original and the amended text side by side, one row
	// per paragraph, with deletions struck in the original and insertions
	// marked in the amended column.
	Columns Style = "columns"
)

// ParseStyle reads a house style name; "" gives StrikeUnderline.
func ParseStyle(s string) (Style, error) {
	switch Style(strings.ToLower(strings.TrimSpace(s))) {
	case "", StrikeUnderline, "underline":
		return StrikeUnderline, nil
	case StrikeBold, "bold":
		return StrikeBold, nil
	case Columns, "two-columns", "2col":
		return Columns, nil
	}
	return "", engine.Errorf(engine.EINVALID, "style %q is not one of strike-underline, strike-bold, columns", s)
}

// Source names one text a report was built from: a revision as issued,
// the live state of a room, or a draft file.
type Source struct {
	// Symbol is the document symbol as issued, e.g.
	// "A/AC.292/2027/CRP.1/Rev.1".
	Symbol string `json:"symbol"`
	// Revision names the text: "Zero draft", "Rev.1", "Live state", ….
	Revision string `json:"revision"`
	// Date is the date of the text: the revision's date, or the moment the
	// live state was read.
	Date time.Time `json:"date"`
}

// Meta is what every output names: the document, the text (and for a
// compare the earlier text) and the head hash of the event log the state
// was built from.
type Meta struct {
	// Title is the document title.
	Title string `json:"title"`
	Source
	// Against is the earlier text of a compare; nil for other reports.
	Against *Source `json:"against,omitempty"`
	// LogHead is the hash of the last event of the log the document state
	// was folded from. Empty when the text did not come from a log (a draft
	// file); outputs then say so.
	LogHead string `json:"logHead"`
	// Language is the BCP 47 tag of the text ("en", "ar", …); it decides the
	// writing direction.
	Language string `json:"language,omitempty"`
	// Statement is a statement every rendering carries under the title:
	// for a Chair's summary, that it is issued under the chair's own
	// responsibility (engine.ChairsSummaryStatement). Empty for others.
	Statement string `json:"statement,omitempty"`
}

// statementOf is the statement a document's reports carry.
func statementOf(d *engine.Document) string {
	if d != nil && d.Summary != nil {
		return d.Summary.Statement
	}
	return ""
}

// RTL reports whether the language of the text is written right to left.
func (m Meta) RTL() bool { return rtlLanguage(m.Language) }

func rtlLanguage(lang string) bool {
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	switch base {
	case "ar", "fa", "he", "ur", "ps", "dv", "yi", "ku", "sd", "ug":
		return true
	}
	return false
}

// logHeadText is how outputs show the log head.
func (m Meta) logHeadText() string {
	if m.LogHead == "" {
		return "none (not built from an event log)"
	}
	return m.LogHead
}

// dateText formats a date as outputs show it (ISO 8601, language-neutral).
// dayText writes a date for readers in the UN style, "3 December 2026"
// (UTC): the one style of the UI and of every report's visible text.
// Machine-readable places (metadata, Akoma Ntoso, <time datetime>) keep
// dateText's ISO form.
func dayText(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2 January 2006")
}

func dateText(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02")
}

// RevisionSource names an issued revision.
func RevisionSource(r *engine.Revision) Source {
	return Source{Symbol: r.Symbol, Revision: RevisionLabel(r), Date: r.Date}
}

// LiveSource names the live state of a document as read at the given time.
func LiveSource(d *engine.Document, at time.Time) Source {
	return Source{Symbol: d.CurrentSymbol(), Revision: "Live state", Date: at}
}

// RevisionLabel names a revision as secretariats do: "Zero draft",
// "Rev.1", "L-document", "Final".
func RevisionLabel(r *engine.Revision) string {
	switch r.Kind {
	case engine.ZeroDraft:
		return "Zero draft"
	case engine.Rev:
		if i := strings.LastIndex(r.Symbol, "/"); i >= 0 && strings.HasPrefix(r.Symbol[i+1:], "Rev.") {
			return r.Symbol[i+1:]
		}
		return fmt.Sprintf("Rev. (revision %d)", r.Number)
	case engine.LDocument:
		return "L-document"
	case engine.Final:
		return "Final"
	}
	return string(r.Kind)
}

// RevisionMeta is the Meta of a report on one revision of d, built from a
// log whose head hash is logHead.
func RevisionMeta(d *engine.Document, r *engine.Revision, logHead string) Meta {
	return Meta{Title: r.Outline.Title, Source: RevisionSource(r), LogHead: logHead, Language: r.Outline.Language, Statement: statementOf(d)}
}

// LiveMeta is the Meta of a report on the live state of d read at time at,
// built from a log whose head hash is logHead.
func LiveMeta(d *engine.Document, at time.Time, logHead string) Meta {
	return Meta{Title: d.Title, Source: LiveSource(d, at), LogHead: logHead, Language: d.Language, Statement: statementOf(d)}
}

// Report is a built report that can be rendered in every format it
// supports.
type Report interface {
	// Kind names the report: "clean", "compare", "compilation" or "status".
	Kind() string
	// Metadata returns what the report names.
	Metadata() Meta
	// Markdown renders the report as Markdown (see docs/formats.md).
	Markdown() []byte
	// HTML renders the report as a standalone HTML page.
	HTML() []byte
	// DOCX renders the report as a Word document.
	DOCX() ([]byte, error)
	// AKN renders the report as Akoma Ntoso XML, or fails with EINVALID
	// for reports that have no Akoma Ntoso form.
	AKN() ([]byte, error)
	// JSON renders the report model as indented JSON.
	JSON() ([]byte, error)
}

// The reports.
var (
	_ Report = (*CleanText)(nil)
	_ Report = (*Compare)(nil)
	_ Report = (*Compilation)(nil)
	_ Report = (*StatusReport)(nil)
)

// Render renders a report in the given format.
func Render(r Report, f Format) ([]byte, error) {
	switch f {
	case Markdown:
		return r.Markdown(), nil
	case HTML:
		return r.HTML(), nil
	case DOCX:
		return r.DOCX()
	case AkomaNtoso:
		return r.AKN()
	case JSON:
		return r.JSON()
	}
	return nil, engine.Errorf(engine.EINVALID, "format %q is not one of md, html, docx, akn, json", f)
}

// Op is the kind of a Segment of text in a compare.
type Op string

// Segment kinds.
const (
	OpEqual  Op = "equal"
	OpInsert Op = "insert"
	OpDelete Op = "delete"
)

// Attribution says who brought a change and when: the proposer of the
// amendment that introduced it when that is known, else the secretariat.
type Attribution struct {
	Author    string             `json:"author,omitempty"`    // a State or group code, or "Secretariat"
	Date      time.Time          `json:"date,omitzero"`       // the amendment's proposal time
	Amendment engine.AmendmentID `json:"amendment,omitempty"` // empty when no amendment explains the change
}

// Segment is a run of text that is the same in both texts of a compare,
// or was inserted or deleted.
type Segment struct {
	Op   Op     `json:"op"`   // equal, insert or delete
	Text string `json:"text"` // the text of the run, as written
	Attribution
}

// RowKind tells a heading row from a paragraph row.
type RowKind string

// Row kinds.
const (
	HeadingRow   RowKind = "heading"
	ParagraphRow RowKind = "paragraph"
)

// Change says how a row of a compare differs from the earlier text.
type Change string

// Changes of a row. Clean texts leave Change empty.
const (
	Unchanged Change = "unchanged"
	Changed   Change = "changed"
	Added     Change = "added"
	Deleted   Change = "deleted"
	// MovedHere is a paragraph at its new place; its text is compared with
	// its text at the old place.
	MovedHere Change = "moved"
	// MovedAway marks the old place of a moved paragraph.
	MovedAway Change = "moved-away"
	// Renumbered is a paragraph whose text is the same and whose number
	// changed.
	Renumbered Change = "renumbered"
	// Split is one of the paragraphs that one paragraph of the earlier
	// text became; each shows the part of the earlier text it holds, and
	// all but the last end in an inserted paragraph mark.
	Split Change = "split"
	// Merged is one of the paragraphs of the earlier text that became
	// one; all but the last end in a deleted paragraph mark.
	Merged Change = "merged"
	// Restructured is one fragment of a run of paragraphs rewritten as a
	// run of another number of paragraphs, compared as one block: it
	// ends in an inserted or deleted paragraph mark where the later text
	// broke or joined paragraphs.
	Restructured Change = "restructured"
)

// BracketBy records who asked for one bracket of a paragraph: the bracket's
// index in engine.ParseBrackets order, its rune span (brackets included) and
// the delegations.
type BracketBy struct {
	Index int                `json:"index"` // the bracket's Index in engine.ParseBrackets
	Start int                `json:"start"` // rune offset of "["
	End   int                `json:"end"`   // rune offset after "]"
	By    []engine.StateCode `json:"by"`    // who asked for it
}

// Row is one heading or paragraph of a clean text or a compare, in reading
// order. A compare also has rows for deleted paragraphs and for the old
// places of moved ones.
type Row struct {
	Kind   RowKind `json:"kind"`             // heading or paragraph
	ID     string  `json:"id"`               // paragraph or section identity (in a compare of drafts, the new one's, else the old one's)
	EID    string  `json:"eId"`              // Akoma Ntoso identifier from the outline
	Level  int     `json:"level"`            // heading level 1 or 2; paragraph level 0, 1 "(a)", 2 "(i)"
	Number string  `json:"number,omitempty"` // display number: "12", "12 bis", "(a)"; "" when unnumbered
	// Option is the option the paragraph belongs to; OptionStart marks the
	// first paragraph of an option, before which the label is shown.
	Option      string                 `json:"option,omitempty"`
	OptionStart bool                   `json:"optionStart,omitempty"`
	Text        string                 `json:"text"`
	Status      engine.ParagraphStatus `json:"status,omitempty"`
	// Deleted marks a paragraph struck through whose deletion is not yet
	// agreed: it stays in the text.
	Deleted bool `json:"deleted,omitempty"`
	// Brackets says who asked for which bracket, when the room recorded
	// it.
	Brackets []BracketBy `json:"brackets,omitempty"`
	// Translation says, in a language version, where the paragraph's
	// translation stands: outdated and missing ones are marked in every
	// format.
	Translation engine.TranslationState `json:"translation,omitempty"`

	// Change says how the row differs from the earlier text (compare
	// only); the Old fields are the row as the earlier text has it.
	Change     Change `json:"change,omitempty"`
	OldID      string `json:"oldId,omitempty"`
	OldEID     string `json:"oldEId,omitempty"`
	OldNumber  string `json:"oldNumber,omitempty"`
	OldLevel   int    `json:"oldLevel,omitempty"` // the level the old number is printed at
	OldText    string `json:"oldText,omitempty"`
	OldDeleted bool   `json:"oldDeleted,omitempty"`
	// OldOption and OldOptionStart are the option of the paragraph in the
	// earlier text.
	OldOption      string `json:"oldOption,omitempty"`
	OldOptionStart bool   `json:"oldOptionStart,omitempty"`
	// Renumbered is set when the paragraph's number changed (OldNumber
	// struck, Number inserted in every format).
	Renumbered bool `json:"renumbered,omitempty"`
	// Segments are the text compared word by word: equal, inserted and
	// deleted runs that rebuild both OldText and Text as written.
	Segments []Segment `json:"segments,omitempty"`
	// Runs are the same comparison as the reader sees it: visible text of
	// one formatting, kept, deleted or inserted, the number first. Every
	// format renders the row from them.
	Runs []Run `json:"runs,omitempty"`
	// ParagraphMark is set on a row whose end is a change: "insert" where
	// the later text broke a paragraph in two (Split), "delete" where it
	// joined two (Merged). Rejecting (accepting) every change joins the
	// row with the next.
	ParagraphMark Op `json:"paragraphMark,omitempty"`
	// Attribution is who brought a whole-paragraph change (added, deleted,
	// moved).
	Attribution
	// Note explains the change in words: "moved from after paragraph 12".
	Note string `json:"note,omitempty"`
	// Footnote is set on a footnote definition ("[^label]: text") that
	// the text refers to: the label. HTML and PDF print the row in the
	// footnotes at the end, Word as the footnote of each reference (see
	// footnote.go).
	Footnote string `json:"footnote,omitempty"`
}

// numberLabel is a paragraph's number as printed at the start of the paragraph:
// "12." for paragraphs, "(a)" for subparagraphs.
func numberLabel(number string, level int) string {
	if number == "" {
		return ""
	}
	if level == 0 && !strings.HasSuffix(number, ".") {
		return number + "."
	}
	return number
}

// paragraphName names a paragraph in notes: "paragraph 12", "subparagraph
// (a)", or "an unnumbered paragraph".
func paragraphName(number string, level int) string {
	switch {
	case number == "":
		return "an unnumbered paragraph"
	case level == 0:
		return "paragraph " + number
	}
	return "subparagraph " + number
}

// statesText joins state codes with commas.
func statesText(ss []engine.StateCode) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = string(s)
	}
	return strings.Join(out, ", ")
}
