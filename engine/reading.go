package engine

import (
	"time"
)

// Proceedings is what happens to a document in its room besides the text:
// whose document it is, its readings with their floor, the decisions taken
// on it, its silence procedures and the explanations of position. It is
// embedded in Document, so its fields are the document's.
type Proceedings struct {
	Process      ProcessID     `json:"process,omitempty"`
	Body         BodyID        `json:"body,omitempty"`
	Readings     []*Reading    `json:"readings,omitempty"`
	Decisions    []Decision    `json:"decisions,omitempty"`
	Silences     []*Silence    `json:"silences,omitempty"`
	Explanations []Explanation `json:"explanations,omitempty"`
	// Adopted is when the document was adopted, by consensus in a meeting
	// or by an unbroken silence procedure.
	Adopted time.Time `json:"adopted,omitzero"`
	// NoConsensus is set on a report that could not be adopted.
	NoConsensus *NoConsensus `json:"noConsensus,omitempty"`
	// Summary is set on a Chair's summary once issued.
	Summary *SummaryIssue `json:"summary,omitempty"`
}

// ReadingKind is which reading of a text is held.
type ReadingKind string

// Readings.
const (
	// FirstReading takes general comments on each paragraph; no textual
	// proposals are taken.
	FirstReading ReadingKind = "first"
	// SecondReading takes textual proposals: amendments, brackets,
	// agreement ad ref.
	SecondReading ReadingKind = "second"
)

// Reading is one reading of the document in a meeting: the "now reading"
// pointer and the floor. At most one reading is open at a time; the floor
// belongs to it, so each meeting has its own queue.
type Reading struct {
	Kind     ReadingKind    `json:"kind"`
	Meeting  MeetingRef     `json:"meeting"`
	Opened   time.Time      `json:"opened"`
	Closed   time.Time      `json:"closed,omitzero"`
	Now      ParagraphID    `json:"now,omitempty"`      // the paragraph being read
	Queue    []FloorRequest `json:"queue,omitempty"`    // who asked for the floor, in order
	Speakers []FloorRequest `json:"speakers,omitempty"` // who was given the floor, in order
	// SpeakingTime and ReplyTime limit a statement and a right of reply,
	// in seconds (0: no limit), set by the chair (SetSpeakingTime).
	SpeakingTime int `json:"speakingTime,omitempty"`
	ReplyTime    int `json:"replyTime,omitempty"`
}

// CurrentReading returns the open reading, or nil when no meeting is in
// session in the room.
func (d *Document) CurrentReading() *Reading {
	if n := len(d.Readings); n > 0 && d.Readings[n-1].Closed.IsZero() {
		return d.Readings[n-1]
	}
	return nil
}

// subtree returns a paragraph and its subparagraphs in reading order.
func (d *Document) subtree(id ParagraphID) []*Paragraph {
	p := d.Paragraphs[id]
	if p == nil || p.Removed {
		return nil
	}
	out := []*Paragraph{p}
	for _, c := range p.Children {
		out = append(out, d.subtree(c)...)
	}
	return out
}

// inSubtree reports whether id is root or one of its subparagraphs.
func (d *Document) inSubtree(root, id ParagraphID) bool {
	for p := d.Paragraphs[id]; p != nil; p = d.Paragraphs[p.Parent] {
		if p.ID == root {
			return true
		}
		if p.Parent == "" {
			break
		}
	}
	return false
}

// setStatus moves every paragraph of a subtree whose status is one of from
// to status to.
func (d *Document) setStatus(id ParagraphID, to ParagraphStatus, from ...ParagraphStatus) {
	for _, p := range d.subtree(id) {
		for _, f := range from {
			if p.Status == f {
				p.Status = to
				break
			}
		}
	}
}

// reopen puts a paragraph agreed ad ref, and any paragraph it belongs to,
// back to pending when its text changes: the agreement was on the old
// text.
func (d *Document) reopen(p *Paragraph, e Event) {
	for q := p; q != nil; q = d.Paragraphs[q.Parent] {
		if q.Status == StatusAgreedAdRef {
			q.Status = StatusPending
		}
		if q.Parent == "" {
			break
		}
	}
}

// penHolder refuses anyone but the secretariat and the presiding officer
// for acts of the pen-holder.
func (d *Document) penHolder(c Context, what string) error {
	if c.Actor.Role == RoleSecretariat {
		return nil
	}
	return d.presiding(c, what)
}

// OpenReading opens a reading of the document in a meeting. The engine
// cannot read the process, so the caller copies the meeting from it
// (Process.Meeting(id).Ref()); the room's rules for observers depend on
// whether that meeting is State-only, and the copy is on the record.
type OpenReading struct {
	Kind    ReadingKind `json:"kind"`
	Meeting MeetingRef  `json:"meeting"`
}

// ReadingOpened records a reading opened in a meeting.
type ReadingOpened OpenReading

func (cmd OpenReading) decide(d *Document, c Context) ([]EventData, error) {
	if err := d.presidingAt(c, "open a reading", cmd.Meeting.Start); err != nil {
		return nil, err
	}
	if d.Type == ChairsSummary {
		return nil, Errorf(ECONFLICT, "%s is a Chair's summary, issued under the chair's own responsibility; it is not read or negotiated", d.label())
	}
	if !d.Adopted.IsZero() {
		return nil, Errorf(ECONFLICT, "%s was adopted on %s; there is nothing left to read", d.label(), day(d.Adopted))
	}
	if err := nonEmpty("meeting id", string(cmd.Meeting.ID)); err != nil {
		return nil, err
	}
	if err := nonEmpty("meeting kind", string(cmd.Meeting.Kind)); err != nil {
		return nil, err
	}
	if err := checkCategories("meeting admits", cmd.Meeting.Admits); err != nil {
		return nil, err
	}
	if d.Process != "" && cmd.Meeting.Process != "" && cmd.Meeting.Process != d.Process {
		return nil, Errorf(EINVALID, "meeting %s is a meeting of %s; %s is a document of %s and is read in its meetings", cmd.Meeting.label(), cmd.Meeting.Process, d.label(), d.Process)
	}
	if d.Body != "" && cmd.Meeting.Body != "" && cmd.Meeting.Body != d.Body {
		return nil, Errorf(EINVALID, "meeting %s is a meeting of body %s; %s is a document of body %s and is read in its meetings (a group's agreed text goes to the plenary's report with section.takein)", cmd.Meeting.label(), cmd.Meeting.Body, d.label(), d.Body)
	}
	switch cmd.Kind {
	case FirstReading, SecondReading:
	default:
		return nil, Errorf(EINVALID, "kind %q is not one of first, second", cmd.Kind)
	}
	if r := d.CurrentReading(); r != nil {
		return nil, Errorf(ECONFLICT, "the %s reading in meeting %s is still open; close it before opening another", r.Kind, r.Meeting.label())
	}
	if cmd.Kind == SecondReading {
		first := false
		for _, r := range d.Readings {
			first = first || r.Kind == FirstReading
		}
		if !first {
			return nil, Errorf(ECONFLICT, "hold a first reading of %s (general comments) before the second reading", d.label())
		}
	}
	return []EventData{ReadingOpened(cmd)}, nil
}

// EventType implements EventData.
func (ReadingOpened) EventType() string { return "reading.opened" }

func (ev ReadingOpened) apply(d *Document, e Event) {
	d.Readings = append(d.Readings, &Reading{Kind: ev.Kind, Meeting: ev.Meeting, Opened: e.At})
}

// CloseReading closes the open reading; the paragraph being read becomes
// pending and the floor queue is cleared.
type CloseReading struct{}

// ReadingClosed records the end of a reading.
type ReadingClosed struct{}

func (cmd CloseReading) decide(d *Document, c Context) ([]EventData, error) {
	if err := d.presiding(c, "close a reading"); err != nil {
		return nil, err
	}
	if d.CurrentReading() == nil {
		return nil, Errorf(ECONFLICT, "no reading is open in %s", d.label())
	}
	return []EventData{ReadingClosed{}}, nil
}

// EventType implements EventData.
func (ReadingClosed) EventType() string { return "reading.closed" }

func (ev ReadingClosed) apply(d *Document, e Event) {
	r := d.CurrentReading()
	if r.Now != "" {
		d.setStatus(r.Now, StatusPending, StatusUnderReading)
	}
	r.Closed, r.Now, r.Queue = e.At, "", nil
}

// ReadParagraph moves the "now reading" pointer to a paragraph. The
// paragraph (with its subparagraphs) is under reading; the one read before
// becomes pending: read, not yet agreed. Paragraphs agreed ad ref, adopted
// or struck through keep their status.
type ReadParagraph struct {
	Para ParagraphID `json:"para"`
}

// ParagraphRead records the pointer moved.
type ParagraphRead ReadParagraph

func (cmd ReadParagraph) decide(d *Document, c Context) ([]EventData, error) {
	if err := d.presiding(c, "move the reading pointer"); err != nil {
		return nil, err
	}
	r := d.CurrentReading()
	if r == nil {
		return nil, Errorf(ECONFLICT, "no reading is open in %s; open one in a meeting first", d.label())
	}
	p, err := d.Paragraph(cmd.Para)
	if err != nil {
		return nil, err
	}
	if r.Now == p.ID {
		return nil, Errorf(ECONFLICT, "paragraph %s is already being read", d.displayName(p))
	}
	return []EventData{ParagraphRead(cmd)}, nil
}

// EventType implements EventData.
func (ParagraphRead) EventType() string { return "reading.now" }

func (ev ParagraphRead) apply(d *Document, e Event) {
	r := d.CurrentReading()
	if r.Now != "" {
		d.setStatus(r.Now, StatusPending, StatusUnderReading)
	}
	r.Now = ev.Para
	d.setStatus(ev.Para, StatusUnderReading, StatusNotRead, StatusPending)
}

// ReopenParagraph takes a paragraph agreed ad ref back to pending, when
// the package that made it acceptable comes apart.
type ReopenParagraph struct {
	Para ParagraphID `json:"para"`
}

// ParagraphReopened records a paragraph reopened.
type ParagraphReopened ReopenParagraph

func (cmd ReopenParagraph) decide(d *Document, c Context) ([]EventData, error) {
	if err := d.presiding(c, "reopen a paragraph"); err != nil {
		return nil, err
	}
	p, err := d.Paragraph(cmd.Para)
	if err != nil {
		return nil, err
	}
	if p.Status != StatusAgreedAdRef {
		return nil, Errorf(ECONFLICT, "paragraph %s is %s; only a paragraph agreed ad ref can be reopened", d.displayName(p), p.Status)
	}
	return []EventData{ParagraphReopened(cmd)}, nil
}

// EventType implements EventData.
func (ParagraphReopened) EventType() string { return "paragraph.reopened" }

func (ev ParagraphReopened) apply(d *Document, e Event) {
	d.setStatus(ev.Para, StatusPending, StatusAgreedAdRef)
}

func init() {
	RegisterEvent(func() EventData { return new(ReadingOpened) })
	RegisterEvent(func() EventData { return new(ReadingClosed) })
	RegisterEvent(func() EventData { return new(ParagraphRead) })
	RegisterEvent(func() EventData { return new(ParagraphReopened) })
}
