package engine

import (
	"fmt"
	"time"
)

// PositionKind is what a delegation says of a text.
type PositionKind string

// Position kinds.
const (
	Support     PositionKind = "support"
	Oppose      PositionKind = "oppose"
	Reservation PositionKind = "reservation"
	Flexible    PositionKind = "flexible" // "can live with"
	// Dissociation is stated after adoption, with an explanation that stays
	// on the record.
	Dissociation PositionKind = "dissociation"
)

// PositionKey identifies the current position of one delegation on one
// paragraph or amendment.
type PositionKey string

// Position is a delegation's current stand on a paragraph or an amendment,
// given on a version of its text. When the text changes the position goes
// stale (see Document.Stale) and says so until restated.
type Position struct {
	State     StateCode    `json:"state"`
	Para      ParagraphID  `json:"para,omitempty"`
	Amendment AmendmentID  `json:"amendment,omitempty"`
	Kind      PositionKind `json:"kind"`
	Comment   string       `json:"comment,omitempty"`
	Version   int          `json:"version"` // text version it was given on
	At        time.Time    `json:"at"`
	By        PersonID     `json:"by,omitempty"`
}

// PositionRecord is a position as it was stated, kept in order on the
// record even after it is changed or withdrawn (Withdrawn set).
type PositionRecord struct {
	Position
	Withdrawn bool `json:"withdrawn,omitempty"`
}

// Key returns the key of the position in Document.Positions.
func (p Position) Key() PositionKey {
	if p.Amendment != "" {
		return PositionKey(fmt.Sprintf("amendment/%s/%s", p.Amendment, p.State))
	}
	return PositionKey(fmt.Sprintf("paragraph/%s/%s", p.Para, p.State))
}

// Stale reports whether the text a position was given on has changed
// since.
func (d *Document) Stale(pos *Position) bool {
	if pos.Amendment != "" {
		a := d.Amendments[pos.Amendment]
		return a == nil || pos.Version != a.TextVer
	}
	p := d.Paragraphs[pos.Para]
	return p == nil || pos.Version != p.Version
}

// PositionsOn returns the current positions on a paragraph (amendment
// empty) or on an amendment, ordered by state code.
func (d *Document) PositionsOn(para ParagraphID, amendment AmendmentID) []*Position {
	var out []*Position
	for _, pos := range d.Positions {
		if (amendment != "" && pos.Amendment == amendment) || (amendment == "" && pos.Amendment == "" && pos.Para == para) {
			out = append(out, pos)
		}
	}
	sortPositions(out)
	return out
}

func sortPositions(ps []*Position) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].State < ps[j-1].State; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// StatePosition records a delegation's position on a paragraph or an
// amendment; with Withdraw it takes the current position back.
type StatePosition struct {
	State     StateCode    `json:"state"`
	Para      ParagraphID  `json:"para,omitempty"`
	Amendment AmendmentID  `json:"amendment,omitempty"`
	Kind      PositionKind `json:"kind,omitempty"`
	Comment   string       `json:"comment,omitempty"`
	Withdraw  bool         `json:"withdraw,omitempty"`
}

// PositionStated records a position stated or withdrawn.
type PositionStated struct {
	Position  Position `json:"position"`
	Withdrawn bool     `json:"withdrawn,omitempty"`
}

func (cmd StatePosition) decide(d *Document, c Context) ([]EventData, error) {
	if err := nonEmpty("state", string(cmd.State)); err != nil {
		return nil, err
	}
	if c.Actor.Role == RoleDelegate && c.Actor.State != cmd.State {
		return nil, Errorf(EFORBIDDEN, "a delegate of %s cannot state a position for %s", c.Actor.State, cmd.State)
	}
	if err := checkComment("comment", cmd.Comment); err != nil {
		return nil, err
	}
	pos := Position{State: cmd.State, Kind: cmd.Kind, Comment: cmd.Comment, At: c.Now.UTC(), By: c.Actor.Person}
	var status ParagraphStatus
	if cmd.Amendment != "" {
		a, err := d.Amendment(cmd.Amendment)
		if err != nil {
			return nil, err
		}
		if a.Status != Proposed && !cmd.Withdraw {
			return nil, Errorf(ECONFLICT, "amendment %s is %s; positions are taken on proposed amendments", a.ID, a.Status)
		}
		pos.Amendment, pos.Para, pos.Version = a.ID, a.Para, a.TextVer
	} else {
		p, err := d.Paragraph(cmd.Para)
		if err != nil {
			return nil, err
		}
		pos.Para, pos.Version, status = p.ID, p.Version, p.Status
	}
	if cmd.Withdraw {
		if _, ok := d.Positions[pos.Key()]; !ok {
			return nil, Errorf(ENOTFOUND, "%s has no position to withdraw there", cmd.State)
		}
		return []EventData{PositionStated{Position: pos, Withdrawn: true}}, nil
	}
	switch cmd.Kind {
	case Support, Oppose, Reservation, Flexible:
		if status == StatusAdopted {
			return nil, Errorf(ECONFLICT, "paragraph %s is adopted; a delegation can only dissociate from it now", d.displayName(d.Paragraphs[pos.Para]))
		}
	case Dissociation:
		if cmd.Amendment != "" || status != StatusAdopted {
			return nil, Errorf(ECONFLICT, "a delegation dissociates from an adopted paragraph; this one is %s", status)
		}
		if err := nonEmpty("comment (the explanation of the dissociation)", cmd.Comment); err != nil {
			return nil, err
		}
	default:
		return nil, Errorf(EINVALID, "kind %q is not one of support, oppose, reservation, flexible, dissociation", cmd.Kind)
	}
	out := []EventData{PositionStated{Position: pos}}
	if brk, ok := d.breaksSilence(c, pos); ok {
		out = append(out, brk) // an objection during a silence procedure breaks it
	}
	return out, nil
}

// EventType implements EventData.
func (PositionStated) EventType() string { return "position.stated" }

func (ev PositionStated) apply(d *Document, e Event) {
	p := ev.Position
	d.Record = append(d.Record, PositionRecord{Position: p, Withdrawn: ev.Withdrawn})
	if ev.Withdrawn {
		delete(d.Positions, p.Key())
		return
	}
	d.Positions[p.Key()] = &p
}

func init() { RegisterEvent(func() EventData { return new(PositionStated) }) }
