package engine

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Document symbols come from the process, never from a keyboard. A
// process with a symbol prefix (A/AC.292 for the OEWG and the permanent
// mechanism) numbers three series of its documents, each per calendar
// year, as the United Nations does:
//
//   - conference room papers, <prefix>/<year>/CRP.<n>: the working drafts
//     the bodies negotiate ("the Chair will circulate the draft report
//     well in advance", OEWG concept of work, section II, Reporting; a
//     thematic group's "updates and recommendations", permanent mechanism
//     paragraphs 12b and 16);
//   - limited-distribution drafts for adoption, <prefix>/<year>/L.<n>;
//   - general-distribution documents, <prefix>/<year>/<n>: the progress
//     and final reports as adopted (the "annual progress reports" and the
//     "final report" of the OEWG concept, section II; the biennial
//     "Progress Reports" of permanent mechanism paragraph 12a).
//
// Revisions of a document are <symbol>/Rev.<n> (IssueRevision). The
// numbers of a series count every document of the process in that year,
// whatever its body, so they are allocated by the process (RegisterDocument,
// AllocateSymbol), whose events carry the allocated symbol: a replay gives
// the same symbols, and two allocations decided on the same state are
// stored once, the second refused by the log's expected sequence and
// decided again on the new state.

// SymbolSeries is a series of document symbols a process numbers per
// year.
type SymbolSeries string

// The series of document symbols.
const (
	SeriesCRP     SymbolSeries = "crp"     // <prefix>/<year>/CRP.<n>
	SeriesL       SymbolSeries = "l"       // <prefix>/<year>/L.<n>
	SeriesGeneral SymbolSeries = "general" // <prefix>/<year>/<n>
)

// SymbolAllocation is a number of a series allocated to a document:
// Stem is the symbol without its number ("A/AC.292/2027/CRP."), so the
// symbol is Stem followed by Number.
type SymbolAllocation struct {
	Series SymbolSeries `json:"series"`
	Year   int          `json:"year"`
	Stem   string       `json:"stem"`
	Number int          `json:"number"`
}

// Symbol is the allocated symbol.
func (a SymbolAllocation) Symbol() string { return a.Stem + strconv.Itoa(a.Number) }

// symbolStem is the symbol of a series in a year without its number.
func symbolStem(prefix string, s SymbolSeries, year int) string {
	switch s {
	case SeriesCRP:
		return fmt.Sprintf("%s/%d/CRP.", prefix, year)
	case SeriesL:
		return fmt.Sprintf("%s/%d/L.", prefix, year)
	}
	return fmt.Sprintf("%s/%d/", prefix, year)
}

// seriesOf is the series of the symbol a revision of this kind takes
// from the process: an L-document's, or a final text's (general
// distribution). Zero drafts and Revs take the document's own symbol.
func seriesOf(k RevisionKind) (SymbolSeries, bool) {
	switch k {
	case LDocument:
		return SeriesL, true
	case Final:
		return SeriesGeneral, true
	}
	return "", false
}

// NextSymbol is the allocation the process would make next in series s
// for a document dated in year: one more than the last number of that
// series and year. It changes nothing.
func (p *Process) NextSymbol(s SymbolSeries, year int) (SymbolAllocation, error) {
	if p.SymbolPrefix == "" {
		return SymbolAllocation{}, Errorf(EINVALID, "%s has no symbol prefix: its documents carry the symbols the secretariat gives them", p.label())
	}
	stem := symbolStem(p.SymbolPrefix, s, year)
	return SymbolAllocation{Series: s, Year: year, Stem: stem, Number: p.Symbols[stem] + 1}, nil
}

// symbolYear is the year a document's symbol is numbered in: the year of
// the meeting it is prepared for when one is named, else the year of
// date, else of the command.
func (p *Process) symbolYear(meeting MeetingID, date time.Time, c Context) (int, error) {
	if meeting != "" {
		m, err := p.Meeting(meeting)
		if err != nil {
			return 0, err
		}
		return m.Start.UTC().Year(), nil
	}
	if !date.IsZero() {
		return date.UTC().Year(), nil
	}
	return c.Now.UTC().Year(), nil
}

// allocated folds an allocation into the process's counters.
func (p *Process) allocated(a SymbolAllocation) {
	if p.Symbols == nil {
		p.Symbols = map[string]int{}
	}
	p.Symbols[a.Stem] = max(p.Symbols[a.Stem], a.Number)
}

// typedSymbol refuses a symbol given by hand for a document of a process
// that allocates them; field names where it was given.
func (p *Process) typedSymbol(field, symbol string) error {
	if p.SymbolPrefix == "" || strings.TrimSpace(symbol) == "" {
		return nil
	}
	return Errorf(EINVALID, "%s: the symbols of %s's documents are allocated by the process from its prefix %s and the year; leave %s out (%q was given)", field, p.label(), p.SymbolPrefix, field, symbol)
}

// AllocateSymbol allocates to a registered document the symbol it takes
// when it is issued as an L-document (<prefix>/<year>/L.<n>) or as a final
// text (<prefix>/<year>/<n>), in the year of Date (or of the command). A
// document has one symbol of each kind: asking again is refused with the
// symbol it already has, which a later issue of that kind reuses.
type AllocateSymbol struct {
	Document DocumentID   `json:"document"`
	Kind     RevisionKind `json:"kind"`
	Date     time.Time    `json:"date,omitzero"`
}

// SymbolAllocated records a symbol allocated to a document for an issue
// of the given kind.
type SymbolAllocated struct {
	Document   DocumentID       `json:"document"`
	Kind       RevisionKind     `json:"kind"`
	Allocation SymbolAllocation `json:"allocation"`
	Symbol     string           `json:"symbol"`
}

func (cmd AllocateSymbol) decide(p *Process, c Context) ([]EventData, error) {
	if err := setUp(c, "allocate a document symbol"); err != nil {
		return nil, err
	}
	x, err := p.Document(cmd.Document)
	if err != nil {
		return nil, err
	}
	series, ok := seriesOf(cmd.Kind)
	if !ok {
		return nil, Errorf(EINVALID, "kind %q: the process allocates the symbols of l-document and final issues; a zero draft has the document's symbol and a rev adds /Rev.n to it", cmd.Kind)
	}
	if s := x.Symbols[cmd.Kind]; s != "" {
		return nil, Errorf(ECONFLICT, "document %s already has its %s symbol, %s", x.ID, cmd.Kind, s)
	}
	year, err := p.symbolYear("", cmd.Date, c)
	if err != nil {
		return nil, err
	}
	a, err := p.NextSymbol(series, year)
	if err != nil {
		return nil, err
	}
	return []EventData{SymbolAllocated{Document: x.ID, Kind: cmd.Kind, Allocation: a, Symbol: a.Symbol()}}, nil
}

// EventType implements EventData.
func (SymbolAllocated) EventType() string { return "symbol.allocated" }

func (ev SymbolAllocated) apply(p *Process, e Event) {
	p.allocated(ev.Allocation)
	if x, err := p.Document(ev.Document); err == nil {
		if x.Symbols == nil {
			x.Symbols = map[RevisionKind]string{}
		}
		x.Symbols[ev.Kind] = ev.Symbol
	}
}

// IssueSymbol is the symbol a document's issue of kind k will carry when
// the process allocates it: the one already allocated to the document,
// or the next of its series in year. ok is false for the kinds the
// process does not allocate.
func (p *Process) IssueSymbol(doc DocumentID, k RevisionKind, year int) (symbol string, ok bool, err error) {
	series, ok := seriesOf(k)
	if !ok {
		return "", false, nil
	}
	x, err := p.Document(doc)
	if err != nil {
		return "", true, err
	}
	if s := x.Symbols[k]; s != "" {
		return s, true, nil
	}
	a, err := p.NextSymbol(series, year)
	if err != nil {
		return "", true, err
	}
	return a.Symbol(), true, nil
}

// RegistrationSymbol is the symbol RegisterDocument would allocate now to
// a document prepared for meeting (or, without one, registered at c):
// the next conference room paper of its year.
func (p *Process) RegistrationSymbol(meeting MeetingID, c Context) (string, error) {
	year, err := p.symbolYear(meeting, time.Time{}, c)
	if err != nil {
		return "", err
	}
	a, err := p.NextSymbol(SeriesCRP, year)
	if err != nil {
		return "", err
	}
	return a.Symbol(), nil
}

func init() { RegisterEvent(func() EventData { return new(SymbolAllocated) }) }
