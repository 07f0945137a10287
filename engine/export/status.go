package export

import (
	"fmt"
	"sort"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// statusOrder is the order in which statuses are counted and listed.
var statusOrder = []engine.ParagraphStatus{
	engine.StatusNotRead, engine.StatusUnderReading, engine.StatusPending,
	engine.StatusAgreedAdRef, engine.StatusAdopted, engine.StatusDeletedPending,
}

// StatusLabel names a paragraph status in words.
func StatusLabel(s engine.ParagraphStatus) string {
	switch s {
	case engine.StatusNotRead:
		return "Not yet read"
	case engine.StatusUnderReading:
		return "Under reading"
	case engine.StatusPending:
		return "Pending"
	case engine.StatusAgreedAdRef:
		return "Agreed ad ref"
	case engine.StatusAdopted:
		return "Adopted"
	case engine.StatusDeletedPending:
		return "Deletion pending"
	}
	return string(s)
}

// StatusReport says where the negotiation stands: how many paragraphs are
// in each status and which, what keeps each open, the objections that
// stand and the silence procedures under way.
type StatusReport struct {
	Meta       Meta               `json:"meta"`
	Counts     []StatusCount      `json:"counts"`
	Total      int                `json:"total"`
	Open       OpenCounts         `json:"open"`
	Paragraphs []StatusParagraph  `json:"paragraphs"`
	Objections []Objection        `json:"objections"`
	Silence    []SilenceProcedure `json:"silence"`
	// FinalBlockers counts what keeps the text from being final.
	FinalBlockers int `json:"finalBlockers"`
}

// StatusCount is the number of paragraphs in one status.
type StatusCount struct {
	Status engine.ParagraphStatus `json:"status"`
	Label  string                 `json:"label"`
	Count  int                    `json:"count"`
}

// OpenCounts sums up what remains open.
type OpenCounts struct {
	Bracketed         int `json:"bracketed"` // paragraphs with brackets
	Brackets          int `json:"brackets"`  // bracket pairs
	PendingAmendments int `json:"pendingAmendments"`
	Objections        int `json:"objections"`
	Silence           int `json:"silence"`
}

// StatusParagraph is one paragraph of the status report and what keeps it
// open (nothing for a settled paragraph).
type StatusParagraph struct {
	ID      engine.ParagraphID     `json:"id"`
	EID     string                 `json:"eId"`
	Number  string                 `json:"number,omitempty"`
	Level   int                    `json:"level"`
	Section string                 `json:"section,omitempty"`
	Status  engine.ParagraphStatus `json:"status"`
	Reasons []string               `json:"reasons,omitempty"`
}

// Objection is a standing objection: a current Oppose position on a
// paragraph or an amendment.
type Objection struct {
	State     engine.StateCode   `json:"state"`
	Para      engine.ParagraphID `json:"para"`
	Number    string             `json:"number,omitempty"`
	Amendment engine.AmendmentID `json:"amendment,omitempty"`
	Proposer  engine.StateCode   `json:"proposer,omitempty"` // of the amendment objected to
	Comment   string             `json:"comment,omitempty"`
	Since     time.Time          `json:"since"`
	Stale     bool               `json:"stale,omitempty"`
}

// SilenceProcedure is a silence procedure under way: the text it covers
// and its deadline. The engine does not model silence procedures yet;
// StatusOptions.Silence passes them in until it does.
type SilenceProcedure struct {
	Para     engine.ParagraphID `json:"para,omitempty"`
	Number   string             `json:"number,omitempty"`
	Subject  string             `json:"subject"`
	Opened   time.Time          `json:"opened"`
	Deadline time.Time          `json:"deadline"`
}

// StatusOptions tunes a status report.
type StatusOptions struct {
	// Silence lists the open silence procedures, for callers that track
	// them; they are added to those the document itself reports (see
	// openSilenceProcedures).
	Silence []SilenceProcedure
}

// openSilenceProcedures lists the silence procedure in progress on d, if
// any.
func openSilenceProcedures(d *engine.Document) []SilenceProcedure {
	s := d.CurrentSilence()
	if s == nil {
		return nil
	}
	sp := SilenceProcedure{Para: s.Para, Subject: "the whole document (adoption)", Opened: s.Opened, Deadline: s.Deadline}
	if p, ok := d.Paragraphs[s.Para]; ok {
		sp.Number = d.Number(p)
		sp.Subject = "paragraph " + sp.Number + " (agreement ad ref)"
		if sp.Number == "" {
			sp.Subject = "paragraph " + string(p.ID) + " (agreement ad ref)"
		}
	}
	return []SilenceProcedure{sp}
}

// BuildStatus builds the status report of the live state of d. meta names
// the text (see LiveMeta).
func BuildStatus(d *engine.Document, meta Meta, opts StatusOptions) *StatusReport {
	s := &StatusReport{Meta: fillMeta(meta, d), Objections: []Objection{}}
	s.Silence = append(openSilenceProcedures(d), opts.Silence...)
	if s.Silence == nil {
		s.Silence = []SilenceProcedure{}
	}
	s.Open.Silence = len(s.Silence)
	counts := map[engine.ParagraphStatus]int{}
	pending := map[engine.ParagraphID][]*engine.Amendment{}
	for _, a := range d.PendingAmendments() {
		pending[a.Para] = append(pending[a.Para], a)
	}
	s.Open.PendingAmendments = len(d.PendingAmendments())
	objections := map[engine.ParagraphID][]engine.StateCode{}
	for _, pos := range sortedPositions(d) {
		if pos.Kind != engine.Oppose {
			continue
		}
		o := Objection{State: pos.State, Para: pos.Para, Amendment: pos.Amendment, Comment: pos.Comment, Since: pos.At, Stale: d.Stale(pos)}
		if p := d.Paragraphs[pos.Para]; p != nil {
			o.Number = d.Number(p)
		}
		if a := d.Amendments[pos.Amendment]; a != nil {
			o.Proposer = a.Proposer
		}
		s.Objections = append(s.Objections, o)
		if pos.Amendment == "" {
			objections[pos.Para] = append(objections[pos.Para], pos.State)
		}
	}
	s.Open.Objections = len(s.Objections)
	heading := map[engine.SectionID]string{}
	for _, sec := range d.Sections {
		heading[sec.ID] = sec.Heading
	}
	for _, p := range d.Order() {
		sp := StatusParagraph{ID: p.ID, EID: d.EID(p), Number: d.Number(p), Level: p.Level, Section: heading[p.Section], Status: p.Status}
		t := engine.ParseBrackets(p.Text)
		if t.Count > 0 {
			s.Open.Bracketed++
			s.Open.Brackets += t.Count
			sp.Reasons = append(sp.Reasons, plural(t.Count, "bracket", "brackets"))
		}
		if len(t.Problems) > 0 {
			sp.Reasons = append(sp.Reasons, plural(len(t.Problems), "unbalanced bracket", "unbalanced brackets"))
		}
		if p.Deleted {
			sp.Reasons = append(sp.Reasons, "struck through: deletion not agreed")
		}
		for _, a := range pending[p.ID] {
			sp.Reasons = append(sp.Reasons, fmt.Sprintf("amendment %s by %s pending", a.ID, a.Proposer))
		}
		if st := objections[p.ID]; len(st) > 0 {
			sp.Reasons = append(sp.Reasons, "objection by "+statesText(st))
		}
		counts[p.Status]++
		s.Total++
		s.Paragraphs = append(s.Paragraphs, sp)
	}
	for _, st := range statusOrder {
		s.Counts = append(s.Counts, StatusCount{Status: st, Label: StatusLabel(st), Count: counts[st]})
		delete(counts, st)
	}
	for st, n := range counts { // statuses added to the engine later
		s.Counts = append(s.Counts, StatusCount{Status: st, Label: StatusLabel(st), Count: n})
	}
	s.FinalBlockers = len(d.FinalBlockers())
	return s
}

// sortedPositions lists the current positions in a stable order:
// paragraph positions in reading order, each followed by the positions on
// its amendments, by amendment and then by State.
func sortedPositions(d *engine.Document) []*engine.Position {
	pi := indexPositions(d)
	idx := indexAmendments(d)
	var out []*engine.Position
	for _, p := range d.Order() {
		out = append(out, pi.para[p.ID]...)
		for _, a := range idx[p.ID] {
			out = append(out, pi.amendment[a.ID]...)
		}
	}
	return out
}

// positionIndex holds the current positions by paragraph and by amendment,
// each list ordered by State, as Document.PositionsOn gives them.
type positionIndex struct {
	para      map[engine.ParagraphID][]*engine.Position
	amendment map[engine.AmendmentID][]*engine.Position
}

func indexPositions(d *engine.Document) positionIndex {
	pi := positionIndex{para: map[engine.ParagraphID][]*engine.Position{}, amendment: map[engine.AmendmentID][]*engine.Position{}}
	for _, pos := range d.Positions {
		if pos.Amendment != "" {
			pi.amendment[pos.Amendment] = append(pi.amendment[pos.Amendment], pos)
		} else {
			pi.para[pos.Para] = append(pi.para[pos.Para], pos)
		}
	}
	byState := func(ps []*engine.Position) {
		sort.Slice(ps, func(i, j int) bool { return ps[i].State < ps[j].State })
	}
	for _, ps := range pi.para {
		byState(ps)
	}
	for _, ps := range pi.amendment {
		byState(ps)
	}
	return pi
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// Kind implements Report.
func (*StatusReport) Kind() string { return "status" }

// Metadata implements Report.
func (s *StatusReport) Metadata() Meta { return s.Meta }

// JSON implements Report.
func (s *StatusReport) JSON() ([]byte, error) {
	return marshalReport("status", struct {
		Report string `json:"report"`
		*StatusReport
	}{"status", s})
}

// AKN implements Report: a status report has no Akoma Ntoso form.
func (s *StatusReport) AKN() ([]byte, error) {
	return nil, engine.Errorf(engine.EINVALID, "the status report has no Akoma Ntoso form; use md, html, docx or json")
}
