package engine

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DocumentType is what a document is for.
type DocumentType string

// Document types.
const (
	DraftProgressReport DocumentType = "draft-progress-report"
	FinalReport         DocumentType = "final-report"
	ElementsPaper       DocumentType = "elements-paper"
	Recommendations     DocumentType = "recommendations"
	ChairsSummary       DocumentType = "chairs-summary"
	Compilation         DocumentType = "compilation"
)

// Numbering says how numbered paragraphs are counted.
type Numbering string

// Numbering schemes.
const (
	// NumberContinuous numbers paragraphs 1, 2, 3… across the whole
	// document, as reports do.
	NumberContinuous Numbering = "continuous"
	// NumberPerSection restarts at 1 in every section, as treaty articles
	// do.
	NumberPerSection Numbering = "per-section"
)

// ParagraphStatus is where a paragraph stands in the reading.
type ParagraphStatus string

// Paragraph statuses.
const (
	StatusNotRead        ParagraphStatus = "not-read"
	StatusUnderReading   ParagraphStatus = "under-reading"
	StatusPending        ParagraphStatus = "pending"
	StatusAgreedAdRef    ParagraphStatus = "agreed-ad-ref"
	StatusAdopted        ParagraphStatus = "adopted"
	StatusDeletedPending ParagraphStatus = "deleted-pending"
)

// maxPast is how many earlier texts of a paragraph are kept so that a
// command written against a recent version can be carried onto the
// current one.
const maxPast = 32

// Document is a negotiated text and everything said about it: its
// sections and paragraphs, amendments, positions and revisions. It is the
// state of one room, the fold of the room's events.
type Document struct {
	ID        DocumentID   `json:"id"`
	Title     string       `json:"title"`
	Symbol    string       `json:"symbol"` // base symbol, e.g. A/AC.292/2025/CRP.1
	Type      DocumentType `json:"type"`
	Language  string       `json:"language,omitempty"` // BCP 47 tag of the text, e.g. "en", "ar"
	Numbering Numbering    `json:"numbering"`
	Created   time.Time    `json:"created"`
	// SymbolsAllocated says the base symbol was allocated by the
	// document's process, and so are the symbols of its L-document and
	// final issues: no symbol is typed for it (see symbol.go).
	SymbolsAllocated bool `json:"symbolsAllocated,omitempty"`

	Sections   []*Section                    `json:"sections"`
	Paragraphs map[ParagraphID]*Paragraph    `json:"paragraphs"`
	Amendments map[AmendmentID]*Amendment    `json:"amendments"`
	Positions  map[PositionKey]*Position     `json:"positions"`
	Revisions  []*Revision                   `json:"revisions"`
	Record     []PositionRecord              `json:"record,omitempty"` // every position ever stated, in order
	Counters   Counters                      `json:"counters"`
	Renumbered map[ParagraphID]Renumbering   `json:"renumbered,omitempty"` // from the last revision
	Attrib     map[ParagraphID][]BracketMark `json:"attrib,omitempty"`     // who asked for which bracket
	// WordAuthors maps the authors of tracked changes in Word files to
	// the States they speak for (MapWordAuthors).
	WordAuthors map[string]StateCode `json:"wordAuthors,omitempty"`

	// Translations are the language versions of the document, by
	// language (see translation.go); the working language is the source.
	Translations map[string]*LanguageVersion `json:"translations,omitempty"`

	// deciding is the amendment an AmendmentDecided event just accepted,
	// so that the text events of the same command, applied next, record
	// it in the paragraph's history. It is not state of its own: the
	// events at the same time say it again on replay.
	deciding struct {
		Amendment AmendmentID
		At        time.Time
	}

	Proceedings // readings, floor, decisions, silence procedures: see reading.go
}

// Counters hand out identities; they only grow, so an identity is never
// reused.
type Counters struct {
	Paragraph int `json:"paragraph"`
	Section   int `json:"section"`
	Amendment int `json:"amendment"`
}

// Section is a heading and the paragraphs under it.
type Section struct {
	ID      SectionID      `json:"id"`
	Heading string         `json:"heading"`
	Level   int            `json:"level"` // 1 for a main heading, 2 for a sub-heading
	Paras   []ParagraphID  `json:"paras"`
	Source  *SectionSource `json:"source,omitempty"` // set when taken in from a group's text
}

// Paragraph is a paragraph or subparagraph. Its display number is derived
// (see Document.Number); Base and Suffix record what the last revision
// numbered it and, for a paragraph added since, its "bis", "ter"… rank.
type Paragraph struct {
	ID       ParagraphID     `json:"id"`
	Section  SectionID       `json:"section"`
	Parent   ParagraphID     `json:"parent,omitempty"` // set for subparagraphs
	Level    int             `json:"level"`            // 0 paragraph, 1 "(a)", 2 "(i)"
	Numbered bool            `json:"numbered"`
	Base     int             `json:"base,omitempty"`
	Suffix   int             `json:"suffix,omitempty"` // 1 bis, 2 ter, …
	Alt      int             `json:"alt,omitempty"`    // 1 for "12 alt", 2 for "12 alt 2"
	Option   string          `json:"option,omitempty"` // "Option 1" when the paragraph belongs to an option
	Text     string          `json:"text"`
	Version  int             `json:"version"`
	Status   ParagraphStatus `json:"status"`
	Deleted  bool            `json:"deleted,omitempty"` // struck through, deletion not yet agreed
	Removed  bool            `json:"removed,omitempty"` // gone from the text; the identity stays retired
	Children []ParagraphID   `json:"children,omitempty"`
	Past     []PastText      `json:"past,omitempty"` // recent earlier texts, oldest first
	// History is every change of the text since the paragraph was
	// created, oldest first: who made it, when, and by which decision.
	History []TextChange `json:"history,omitempty"`
}

// TextChange is one change of a paragraph's text, on the record: the
// version it made, when, who (the actor of the event, an officer in the
// role of the seat they hold), which event, and the accepted amendment or
// the amendments merged into a compromise that it applied. What changed
// is one splice, in code points: Deleted at Start of the earlier text was
// replaced by Inserted. Every earlier text follows from the current one by
// undoing the splices from the last, and a pen-holder's keystroke costs a
// few characters, not a copy of the paragraph.
type TextChange struct {
	Version   int           `json:"version"`
	At        time.Time     `json:"at"`
	By        Actor         `json:"by"`
	Event     string        `json:"event"`
	Amendment AmendmentID   `json:"amendment,omitempty"`
	Merges    []AmendmentID `json:"merges,omitempty"`
	Start     int           `json:"start"`
	Deleted   string        `json:"deleted,omitempty"`
	Inserted  string        `json:"inserted,omitempty"`
}

// TextAt returns the paragraph's text at an earlier version, undoing the
// changes of its history from the last; false when the version is not in
// it (before its creation, or after now).
func (p *Paragraph) TextAt(version int) (string, bool) {
	if version == p.Version {
		return p.Text, true
	}
	rs := []rune(p.Text)
	for i := len(p.History) - 1; i >= 0; i-- {
		h := p.History[i]
		if h.Version <= version {
			break
		}
		ins := len([]rune(h.Inserted))
		if h.Start < 0 || h.Start+ins > len(rs) {
			return "", false
		}
		rs = append(append(append([]rune(nil), rs[:h.Start]...), []rune(h.Deleted)...), rs[h.Start+ins:]...)
		if h.Version-1 == version {
			return string(rs), true
		}
	}
	return "", false
}

// PastText is an earlier version of a paragraph's text.
type PastText struct {
	Version int    `json:"version"`
	Text    string `json:"text"`
}

// BracketMark records who asked for a bracket: the anchor of the bracketed
// span, brackets included, carried along like an amendment's anchor.
type BracketMark struct {
	Anchor Anchor      `json:"anchor"`
	By     []StateCode `json:"by"`
}

// Renumbering records a paragraph's number before and after a revision.
type Renumbering struct {
	Old string `json:"old"`
	New string `json:"new"`
}

// NewDocument returns an empty document state, ready for its
// "document.created" event.
func NewDocument() *Document {
	return &Document{
		Paragraphs: map[ParagraphID]*Paragraph{},
		Amendments: map[AmendmentID]*Amendment{},
		Positions:  map[PositionKey]*Position{},
	}
}

// Paragraph returns the paragraph with the given identity, or an ENOTFOUND
// error naming it.
func (d *Document) Paragraph(id ParagraphID) (*Paragraph, error) {
	p, ok := d.Paragraphs[id]
	if !ok || p.Removed {
		return nil, Errorf(ENOTFOUND, "paragraph %s does not exist in %s", id, d.label())
	}
	return p, nil
}

func (d *Document) label() string {
	if d.Symbol != "" {
		return d.Symbol
	}
	return "document " + string(d.ID)
}

// Order returns every paragraph that is in the text (including those struck
// through) in reading order: each paragraph followed by its subparagraphs.
func (d *Document) Order() []*Paragraph {
	var out []*Paragraph
	var walk func(ids []ParagraphID)
	walk = func(ids []ParagraphID) {
		for _, id := range ids {
			p := d.Paragraphs[id]
			if p == nil || p.Removed {
				continue
			}
			out = append(out, p)
			walk(p.Children)
		}
	}
	for _, s := range d.Sections {
		walk(s.Paras)
	}
	return out
}

// section returns the section with the given identity.
func (d *Document) section(id SectionID) (*Section, int) {
	for i, s := range d.Sections {
		if s.ID == id {
			return s, i
		}
	}
	return nil, -1
}

// siblings returns the list that holds p: its section's paragraphs or its
// parent's children.
func (d *Document) siblings(p *Paragraph) *[]ParagraphID {
	if p.Parent != "" {
		return &d.Paragraphs[p.Parent].Children
	}
	s, _ := d.section(p.Section)
	return &s.Paras
}

// Number returns the display number of a paragraph: "12", "12 bis",
// "12 alt", "(a)", "(a bis)", "(ii)", or "" for an unnumbered paragraph.
func (d *Document) Number(p *Paragraph) string {
	if !p.Numbered {
		return ""
	}
	var base string
	switch p.Level {
	case 0:
		base = strconv.Itoa(p.Base)
	case 1:
		base = letterNumber(p.Base)
	default:
		base = romanNumber(p.Base)
	}
	if p.Suffix > 0 {
		base += " " + LatinSuffix(p.Suffix)
	}
	if p.Alt == 1 {
		base += " alt"
	} else if p.Alt > 1 {
		base += " alt " + strconv.Itoa(p.Alt)
	}
	if p.Level > 0 {
		return "(" + base + ")"
	}
	return base
}

var latinSuffixes = []string{"bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "decies",
	"undecies", "duodecies", "terdecies", "quaterdecies", "quindecies", "sexdecies", "septdecies", "octodecies", "novodecies", "vicies"}

// LatinSuffix names the n-th paragraph inserted after another: 1 "bis",
// 2 "ter", 3 "quater", … Past twenty it falls back on "bis.n".
func LatinSuffix(n int) string {
	if n >= 1 && n <= len(latinSuffixes) {
		return latinSuffixes[n-1]
	}
	return fmt.Sprintf("bis.%d", n)
}

// ParseLatinSuffix is the inverse of LatinSuffix; it returns 0 for a word
// that is not a suffix.
func ParseLatinSuffix(s string) int {
	s = strings.ToLower(s)
	for i, w := range latinSuffixes {
		if w == s {
			return i + 1
		}
	}
	return 0
}

// letterNumber gives a, b, …, z, aa, bb, … as UN documents letter
// subparagraphs.
func letterNumber(n int) string {
	if n <= 0 {
		return "0"
	}
	l := string(rune('a' + (n-1)%26))
	return strings.Repeat(l, (n-1)/26+1)
}

// parseLetterNumber is the inverse of letterNumber.
func parseLetterNumber(s string) int {
	if s == "" || strings.Trim(s, s[:1]) != "" || s[0] < 'a' || s[0] > 'z' {
		return 0
	}
	return int(s[0]-'a') + 1 + 26*(len(s)-1)
}

var romans = []struct {
	v int
	s string
}{{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"}, {90, "xc"}, {50, "l"}, {40, "xl"}, {10, "x"}, {9, "ix"}, {5, "v"}, {4, "iv"}, {1, "i"}}

// romanNumber gives i, ii, iii, iv, … in lower case.
func romanNumber(n int) string {
	if n <= 0 {
		return "0"
	}
	var b strings.Builder
	for _, r := range romans {
		for n >= r.v {
			b.WriteString(r.s)
			n -= r.v
		}
	}
	return b.String()
}

// parseRomanNumber is the inverse of romanNumber; 0 for anything else.
func parseRomanNumber(s string) int {
	n, rest := 0, s
	for _, r := range romans {
		for strings.HasPrefix(rest, r.s) {
			n += r.v
			rest = rest[len(r.s):]
		}
	}
	if rest != "" || n == 0 || romanNumber(n) != s {
		return 0
	}
	return n
}

// EIDs returns the identifier of every paragraph in the text; use it rather
// than EID when naming many paragraphs, as each call works out all of them.
func (d *Document) EIDs() map[ParagraphID]string { return d.eids() }

// EID returns the Akoma Ntoso-style identifier of a paragraph: "para_12",
// "para_12-bis", "para_12-alt", "para_12__point_a", and for per-section
// numbering or unnumbered paragraphs a form qualified by the section
// ("sec_3__para_1", "sec_1__intro_2"). EIDs are unique in the document.
func (d *Document) EID(p *Paragraph) string {
	return d.eids()[p.ID]
}

// eids computes the identifiers of every paragraph in reading order and
// de-duplicates them with a counter.
func (d *Document) eids() map[ParagraphID]string {
	out := map[ParagraphID]string{}
	seen := map[string]int{}
	for si, s := range d.Sections {
		unnumbered := 0
		var walk func(prefix string, ids []ParagraphID)
		walk = func(prefix string, ids []ParagraphID) {
			for _, id := range ids {
				p := d.Paragraphs[id]
				if p == nil || p.Removed {
					continue
				}
				var e string
				num := eidToken(d.Number(p))
				switch {
				case p.Level > 0 && num != "":
					e = prefix + "__point_" + num
				case p.Level > 0:
					unnumbered++
					e = prefix + "__intro_" + strconv.Itoa(unnumbered)
				case num == "":
					unnumbered++
					e = fmt.Sprintf("sec_%d__intro_%d", si+1, unnumbered)
				case d.Numbering == NumberPerSection:
					e = fmt.Sprintf("sec_%d__para_%s", si+1, num)
				default:
					e = "para_" + num
				}
				if n := seen[e]; n > 0 {
					seen[e] = n + 1
					e = fmt.Sprintf("%s-%d", e, n+1)
				} else {
					seen[e] = 1
				}
				out[id] = e
				walk(e, p.Children)
			}
		}
		walk("", s.Paras)
	}
	return out
}

// SectionEID returns the identifier of the i-th section (from 0).
func SectionEID(i int) string { return "sec_" + strconv.Itoa(i+1) }

// eidToken turns "12 bis" into "12-bis" and "(a)" into "a".
func eidToken(num string) string {
	num = strings.Trim(num, "()")
	return strings.ReplaceAll(num, " ", "-")
}

// FindByNumber returns the paragraph whose display number is num ("12",
// "12 bis", "(a)" is ambiguous and not looked up), searching top-level
// paragraphs. With per-section numbering, section (from 1) narrows it.
func (d *Document) FindByNumber(num string) (*Paragraph, bool) {
	for _, p := range d.Order() {
		if p.Level == 0 && d.Number(p) == num {
			return p, true
		}
	}
	return nil, false
}

// setText records a new text for p and keeps the old one in Past.
func (p *Paragraph) setText(text string) {
	p.Past = append(p.Past, PastText{p.Version, p.Text})
	if len(p.Past) > maxPast {
		p.Past = append([]PastText(nil), p.Past[len(p.Past)-maxPast:]...)
	}
	p.Text = text
	p.Version++
}

// textAt returns the paragraph's text as of version v, if still kept.
func (p *Paragraph) textAt(v int) (string, bool) {
	if v == p.Version {
		return p.Text, true
	}
	for _, pt := range p.Past {
		if pt.Version == v {
			return pt.Text, true
		}
	}
	return "", false
}
