package engine

import (
	"strings"
	"time"
)

// ChairsSummaryStatement marks every Chair's summary: it is the chair's
// text, not the body's.
const ChairsSummaryStatement = "This summary is issued under the Chair's own responsibility. It was not negotiated, does not reflect consensus and is without prejudice to the positions of States."

// SummaryIssue records that a Chair's summary was issued, and says so.
type SummaryIssue struct {
	Report    DocumentID `json:"report,omitempty"` // the report that could not be adopted
	Date      time.Time  `json:"date"`
	By        PersonID   `json:"by,omitempty"`
	Statement string     `json:"statement"`
}

// IssueChairsSummary issues a document of type chairs-summary under the
// chair's own responsibility: no consensus is needed and no objection
// stops it, and it is marked with ChairsSummaryStatement. Its text no
// longer changes once issued. Report names the report that could not be
// adopted.
type IssueChairsSummary struct {
	Report DocumentID `json:"report,omitempty"`
	Date   time.Time  `json:"date,omitzero"`
}

// ChairsSummaryIssued records a Chair's summary issued.
type ChairsSummaryIssued struct {
	Summary SummaryIssue `json:"summary"`
}

func (cmd IssueChairsSummary) decide(d *Document, c Context) ([]EventData, error) {
	if err := d.presiding(c, "issue a Chair's summary"); err != nil {
		return nil, err
	}
	if d.Type != ChairsSummary {
		return nil, Errorf(ECONFLICT, "%s is a %s; a Chair's summary is a document of type chairs-summary", d.label(), d.Type)
	}
	if d.Summary != nil {
		return nil, Errorf(ECONFLICT, "the Chair's summary %s was already issued on %s", d.label(), day(d.Summary.Date))
	}
	if bs := d.FinalBlockers(); len(bs) > 0 {
		msgs := make([]string, len(bs))
		for i, b := range bs {
			msgs[i] = b.Message
		}
		return nil, Errorf(ECONFLICT, "a Chair's summary is the chair's own text, with nothing left open, yet %s", strings.Join(msgs, "; "))
	}
	date := cmd.Date
	if date.IsZero() {
		date = c.Now
	}
	return []EventData{ChairsSummaryIssued{Summary: SummaryIssue{Report: cmd.Report, Date: date.UTC(), By: c.Actor.Person, Statement: ChairsSummaryStatement}}}, nil
}

// EventType implements EventData.
func (ChairsSummaryIssued) EventType() string { return "chairs-summary.issued" }

func (ev ChairsSummaryIssued) apply(d *Document, e Event) {
	s := ev.Summary
	d.Summary = &s
}

// NoConsensus records that a report could not be adopted.
type NoConsensus struct {
	Summary DocumentID `json:"summary,omitempty"` // the Chair's summary issued instead, if any
	Note    string     `json:"note,omitempty"`
	At      time.Time  `json:"at"`
	By      PersonID   `json:"by,omitempty"`
}

// RecordNoConsensus records that the report could not be adopted by
// consensus; it can no longer be adopted. Summary names the Chair's
// summary issued instead.
type RecordNoConsensus struct {
	Summary DocumentID `json:"summary,omitempty"`
	Note    string     `json:"note,omitempty"`
}

// NoConsensusRecorded records that a report was not adopted.
type NoConsensusRecorded struct {
	NoConsensus NoConsensus `json:"noConsensus"`
}

func (cmd RecordNoConsensus) decide(d *Document, c Context) ([]EventData, error) {
	if err := d.presiding(c, "record that consensus failed"); err != nil {
		return nil, err
	}
	if d.Type == ChairsSummary {
		return nil, Errorf(ECONFLICT, "%s is a Chair's summary, which needs no consensus", d.label())
	}
	if !d.Adopted.IsZero() {
		return nil, Errorf(ECONFLICT, "%s was adopted on %s", d.label(), day(d.Adopted))
	}
	if nc := d.NoConsensus; nc != nil {
		return nil, Errorf(ECONFLICT, "%s was already closed without adoption on %s", d.label(), day(nc.At))
	}
	if s := d.CurrentSilence(); s != nil {
		return nil, Errorf(ECONFLICT, "a silence procedure on %s is open until %s; it decides first", d.silenceSubject(s), when(s.Deadline))
	}
	if err := checkComment("note", cmd.Note); err != nil {
		return nil, err
	}
	return []EventData{NoConsensusRecorded{NoConsensus: NoConsensus{Summary: cmd.Summary, Note: cmd.Note, At: c.Now.UTC(), By: c.Actor.Person}}}, nil
}

// EventType implements EventData.
func (NoConsensusRecorded) EventType() string { return "document.no-consensus" }

func (ev NoConsensusRecorded) apply(d *Document, e Event) {
	nc := ev.NoConsensus
	d.NoConsensus = &nc
}

func init() {
	RegisterEvent(func() EventData { return new(ChairsSummaryIssued) })
	RegisterEvent(func() EventData { return new(NoConsensusRecorded) })
}
