package engine

import (
	"time"
)

// SilenceMinimum is the default and shortest duration of a silence
// procedure: 72 hours, so that every capital can react whatever its time
// zone and weekend. The chair may shorten it only explicitly, by stating
// why (OpenSilence.Shorten), and the reason stays on the record.
const SilenceMinimum = 72 * time.Hour

// SilenceStatus is where a silence procedure stands.
type SilenceStatus string

// Silence procedure statuses.
const (
	SilenceStatusOpen   SilenceStatus = "open"
	SilenceStatusBroken SilenceStatus = "broken"
	// SilenceStatusPassed: the deadline passed with no objection; the
	// text was agreed or adopted as of the deadline.
	SilenceStatusPassed SilenceStatus = "passed"
)

// Silence is a silence procedure: the chair circulates a text (one
// paragraph to agree ad ref, or the whole document to adopt) with a
// deadline; any objection by a Member State or negotiating group before
// the deadline breaks the silence; otherwise the text is agreed or adopted
// at the deadline.
type Silence struct {
	Number      int           `json:"number"`         // from 1
	Para        ParagraphID   `json:"para,omitempty"` // empty: adoption of the whole document
	Opened      time.Time     `json:"opened"`
	Deadline    time.Time     `json:"deadline"`
	Shortened   string        `json:"shortened,omitempty"` // the chair's reason for a deadline under 72 hours
	By          PersonID      `json:"by,omitempty"`
	Status      SilenceStatus `json:"status"`
	BrokenBy    StateCode     `json:"brokenBy,omitempty"`
	Explanation string        `json:"explanation,omitempty"` // the objection, as the delegation gave it
	Ended       time.Time     `json:"ended,omitzero"`
}

// CurrentSilence returns the silence procedure in progress, or nil.
func (d *Document) CurrentSilence() *Silence {
	if n := len(d.Silences); n > 0 && d.Silences[n-1].Status == SilenceStatusOpen {
		return d.Silences[n-1]
	}
	return nil
}

// silenceSubject names what a silence procedure is on, for messages.
func (d *Document) silenceSubject(s *Silence) string {
	if s.Para == "" {
		return d.label()
	}
	if p := d.Paragraphs[s.Para]; p != nil {
		return "paragraph " + d.displayName(p)
	}
	return "paragraph " + string(s.Para)
}

// covers reports whether a paragraph is part of the text under the
// silence procedure.
func (s *Silence) covers(d *Document, para ParagraphID) bool {
	return s.Para == "" || d.inSubtree(s.Para, para)
}

// OpenSilence opens a silence procedure on a paragraph (to agree it ad
// ref) or, with Para empty, on the whole document (to adopt it). The text
// must be ready for the decision: nothing open in it and no objection
// standing. Deadline defaults to 72 hours from now; an earlier deadline
// needs Shorten, the chair's reason. While it is open the text under
// silence does not change.
type OpenSilence struct {
	Para     ParagraphID `json:"para,omitempty"`
	Deadline time.Time   `json:"deadline,omitzero"`
	Shorten  string      `json:"shorten,omitempty"`
}

// SilenceOpened records a silence procedure opened.
type SilenceOpened struct {
	Silence Silence `json:"silence"`
}

func (cmd OpenSilence) decide(d *Document, c Context) ([]EventData, error) {
	if err := d.presiding(c, "open a silence procedure"); err != nil {
		return nil, err
	}
	if s := d.CurrentSilence(); s != nil {
		return nil, Errorf(ECONFLICT, "a silence procedure on %s is already open until %s", d.silenceSubject(s), when(s.Deadline))
	}
	if cmd.Para != "" {
		p, err := d.Paragraph(cmd.Para)
		if err != nil {
			return nil, err
		}
		if err := d.checkAgree(p, nil); err != nil {
			return nil, err
		}
	} else if err := d.checkAdopt(nil); err != nil {
		return nil, err
	}
	if err := checkComment("shorten (the reason for a shorter silence)", cmd.Shorten); err != nil {
		return nil, err
	}
	deadline := cmd.Deadline.UTC()
	if cmd.Deadline.IsZero() {
		deadline = c.Now.UTC().Add(SilenceMinimum)
	}
	if !deadline.After(c.Now) {
		return nil, Errorf(EINVALID, "the deadline (%s) must be after now (%s)", when(deadline), when(c.Now))
	}
	if earliest := c.Now.Add(SilenceMinimum); deadline.Before(earliest) && cmd.Shorten == "" {
		return nil, Errorf(EINVALID, "a silence procedure runs at least 72 hours, until %s; to shorten it to %s the chair states why (shorten)", when(earliest), when(deadline))
	}
	shortened := ""
	if deadline.Before(c.Now.Add(SilenceMinimum)) {
		shortened = cmd.Shorten
	}
	return []EventData{SilenceOpened{Silence: Silence{Number: len(d.Silences) + 1, Para: cmd.Para, Opened: c.Now.UTC(),
		Deadline: deadline, Shortened: shortened, By: c.Actor.Person, Status: SilenceStatusOpen}}}, nil
}

// EventType implements EventData.
func (SilenceOpened) EventType() string { return "silence.opened" }

func (ev SilenceOpened) apply(d *Document, e Event) {
	s := ev.Silence
	d.Silences = append(d.Silences, &s)
}

// BreakSilence is a delegation's objection to the text under a silence
// procedure, before the deadline. An Oppose position stated on that text
// before the deadline breaks it too.
type BreakSilence struct {
	State       StateCode `json:"state"`
	Explanation string    `json:"explanation,omitempty"`
}

// SilenceBroken records the objection that broke a silence procedure.
type SilenceBroken struct {
	State       StateCode   `json:"state"`
	Para        ParagraphID `json:"para,omitempty"` // the paragraph opposed, when broken by a position
	Explanation string      `json:"explanation,omitempty"`
}

func (cmd BreakSilence) decide(d *Document, c Context) ([]EventData, error) {
	if err := actingFor(c, cmd.State, "break a silence procedure"); err != nil {
		return nil, err
	}
	if !isDelegation(cmd.State) {
		return nil, Errorf(EINVALID, "%q is not a Member State or negotiating group; only they break a silence procedure", cmd.State)
	}
	if err := checkComment("explanation", cmd.Explanation); err != nil {
		return nil, err
	}
	s := d.CurrentSilence()
	if s == nil {
		return nil, Errorf(ECONFLICT, "no silence procedure is open on %s", d.label())
	}
	if !c.Now.Before(s.Deadline) {
		return nil, Errorf(ECONFLICT, "the silence procedure on %s ended at %s; it is now %s", d.silenceSubject(s), when(s.Deadline), when(c.Now))
	}
	return []EventData{SilenceBroken{State: cmd.State, Explanation: cmd.Explanation}}, nil
}

// breaksSilence returns the event by which an opposition stated on the
// text under an open silence procedure, before its deadline, breaks it.
func (d *Document) breaksSilence(c Context, pos Position) (EventData, bool) {
	s := d.CurrentSilence()
	if s == nil || pos.Kind != Oppose || pos.Amendment != "" || !c.Now.Before(s.Deadline) || !isDelegation(pos.State) || !s.covers(d, pos.Para) {
		return nil, false
	}
	return SilenceBroken{State: pos.State, Para: pos.Para, Explanation: pos.Comment}, true
}

// EventType implements EventData.
func (SilenceBroken) EventType() string { return "silence.broken" }

func (ev SilenceBroken) apply(d *Document, e Event) {
	s := d.CurrentSilence()
	s.Status, s.BrokenBy, s.Explanation, s.Ended = SilenceStatusBroken, ev.State, ev.Explanation, e.At
}

// CloseSilence closes a silence procedure whose deadline has passed
// unbroken (time is the command's Context.Now): the paragraph is agreed ad
// ref, or the document adopted, as of the deadline. A server runs it on a
// timer.
type CloseSilence struct{}

// SilenceClosed records a silence procedure that passed; the decision
// follows as its own event.
type SilenceClosed struct {
	Number   int       `json:"number"`
	Deadline time.Time `json:"deadline"`
}

func (cmd CloseSilence) decide(d *Document, c Context) ([]EventData, error) {
	if err := d.presiding(c, "close a silence procedure"); err != nil {
		return nil, err
	}
	s := d.CurrentSilence()
	if s == nil {
		return nil, Errorf(ECONFLICT, "no silence procedure is open on %s", d.label())
	}
	if c.Now.Before(s.Deadline) {
		return nil, Errorf(ECONFLICT, "the silence procedure on %s runs until %s; it is now %s", d.silenceSubject(s), when(s.Deadline), when(c.Now))
	}
	dec := Decision{Kind: AdoptDocument, Para: s.Para, Via: ViaSilence, Silence: s.Number, At: s.Deadline, By: s.By}
	if s.Para != "" {
		dec.Kind = AgreeAdRef
	}
	evs, err := d.decision(dec)
	if err != nil {
		return nil, err
	}
	return append([]EventData{SilenceClosed{Number: s.Number, Deadline: s.Deadline}}, evs...), nil
}

// EventType implements EventData.
func (SilenceClosed) EventType() string { return "silence.closed" }

func (ev SilenceClosed) apply(d *Document, e Event) {
	s := d.CurrentSilence()
	s.Status, s.Ended = SilenceStatusPassed, ev.Deadline
}

// Explanation is an explanation of position: what a delegation wants on
// the record about a paragraph or the whole text, without objecting.
type Explanation struct {
	State   StateCode   `json:"state"`
	Para    ParagraphID `json:"para,omitempty"`
	Text    string      `json:"text"`
	At      time.Time   `json:"at"`
	By      PersonID    `json:"by,omitempty"`
	Meeting MeetingID   `json:"meeting,omitempty"` // the meeting in session, if any
	Silence int         `json:"silence,omitempty"` // the silence procedure open, if any
}

// ExplainPosition records a delegation's explanation of position, during a
// silence procedure, before or after a decision. It breaks nothing.
type ExplainPosition struct {
	State StateCode   `json:"state"`
	Para  ParagraphID `json:"para,omitempty"`
	Text  string      `json:"text"`
}

// PositionExplained records an explanation of position.
type PositionExplained struct {
	Explanation Explanation `json:"explanation"`
}

func (cmd ExplainPosition) decide(d *Document, c Context) ([]EventData, error) {
	if err := actingFor(c, cmd.State, "explain a position"); err != nil {
		return nil, err
	}
	if !isDelegation(cmd.State) {
		return nil, Errorf(EINVALID, "%q is not a Member State or negotiating group", cmd.State)
	}
	if err := nonEmpty("text of the explanation", cmd.Text); err != nil {
		return nil, err
	}
	if err := checkComment("text of the explanation", cmd.Text); err != nil {
		return nil, err
	}
	if cmd.Para != "" {
		if _, err := d.Paragraph(cmd.Para); err != nil {
			return nil, err
		}
	}
	x := Explanation{State: cmd.State, Para: cmd.Para, Text: cmd.Text, At: c.Now.UTC(), By: c.Actor.Person}
	if r := d.CurrentReading(); r != nil {
		x.Meeting = r.Meeting.ID
	}
	if s := d.CurrentSilence(); s != nil {
		x.Silence = s.Number
	}
	return []EventData{PositionExplained{Explanation: x}}, nil
}

// EventType implements EventData.
func (PositionExplained) EventType() string { return "position.explained" }

func (ev PositionExplained) apply(d *Document, e Event) {
	d.Explanations = append(d.Explanations, ev.Explanation)
}

func init() {
	RegisterEvent(func() EventData { return new(SilenceOpened) })
	RegisterEvent(func() EventData { return new(SilenceBroken) })
	RegisterEvent(func() EventData { return new(SilenceClosed) })
	RegisterEvent(func() EventData { return new(PositionExplained) })
}
