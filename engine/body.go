package engine

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// BodyKind is what a body of a process is.
type BodyKind string

// Kinds of bodies.
const (
	// BodyPlenary is the process as a whole, open to every Member State;
	// a process has exactly one. It adopts the progress and final reports.
	BodyPlenary BodyKind = "plenary"
	// BodyThematicGroup is a standing group on one theme (a dedicated
	// thematic group of the permanent mechanism, a subgroup of the OEWG),
	// led by a vice-chair. Its recommendations go to the plenary.
	BodyThematicGroup BodyKind = "thematic-group"
	// BodyAdditionalGroup is a group of fixed duration, led by a
	// facilitator.
	BodyAdditionalGroup BodyKind = "additional-group"
)

// words names the kind for messages: "the plenary", "a thematic group",
// "an additional group".
func (k BodyKind) words() string {
	switch k {
	case BodyPlenary:
		return "the plenary"
	case BodyThematicGroup:
		return "a thematic group"
	case BodyAdditionalGroup:
		return "an additional group"
	}
	return fmt.Sprintf("a body of kind %q", string(k))
}

// group reports whether a body of this kind is a group (not the plenary).
func (k BodyKind) group() bool { return k == BodyThematicGroup || k == BodyAdditionalGroup }

// StakeholderCategory is a kind of observer. A body's participation rules
// list the categories that may attend its meetings.
type StakeholderCategory string

// Stakeholder categories.
const (
	CategoryBusiness          StakeholderCategory = "business"
	CategoryNGO               StakeholderCategory = "ngo"
	CategoryAcademia          StakeholderCategory = "academia"
	CategoryIntergovernmental StakeholderCategory = "intergovernmental"
	CategoryObserverState     StakeholderCategory = "observer-state"
)

// StakeholderCategories returns every stakeholder category, in the order
// messages list them.
func StakeholderCategories() []StakeholderCategory {
	return []StakeholderCategory{CategoryBusiness, CategoryNGO, CategoryAcademia, CategoryIntergovernmental, CategoryObserverState}
}

// checkCategories refuses an unknown or repeated category; field names the
// list in the message.
func checkCategories(field string, cats []StakeholderCategory) error {
	for i, c := range cats {
		if !slices.Contains(StakeholderCategories(), c) {
			return Errorf(EINVALID, "%s[%d]: %q is not one of business, ngo, academia, intergovernmental, observer-state", field, i, c)
		}
		if slices.Contains(cats[:i], c) {
			return Errorf(EINVALID, "%s[%d]: %s is listed twice", field, i, c)
		}
	}
	return nil
}

func categoryList(cats []StakeholderCategory) string {
	words := make([]string, len(cats))
	for i, c := range cats {
		words[i] = string(c)
	}
	return strings.Join(words, ", ")
}

// Body is the plenary or a group of a process. Participation lists the
// stakeholder categories that may attend its meetings; a body that lists
// none is State-only.
type Body struct {
	ID            BodyID                `json:"id"`
	Kind          BodyKind              `json:"kind"`
	Name          string                `json:"name"`
	Objectives    []string              `json:"objectives,omitempty"`
	Participation []StakeholderCategory `json:"participation,omitempty"`
	// Start and End bound an additional group's fixed duration (End is
	// exclusive); they are optional for other bodies.
	Start time.Time `json:"start,omitzero"`
	End   time.Time `json:"end,omitzero"`
	// Optional marks a body that is foreseen but meets only if the
	// plenary so decides, such as the OEWG's subgroup on humanitarian
	// aspects.
	Optional    bool      `json:"optional,omitempty"`
	Established time.Time `json:"established"`
}

// Admits reports whether observers of a category may attend the body's
// meetings.
func (b *Body) Admits(c StakeholderCategory) bool { return slices.Contains(b.Participation, c) }

// Body returns the body with the given identity, or ENOTFOUND.
func (p *Process) Body(id BodyID) (*Body, error) {
	for _, b := range p.Bodies {
		if b.ID == id {
			return b, nil
		}
	}
	return nil, Errorf(ENOTFOUND, "body %s does not exist in %s", id, p.label())
}

// Plenary returns the plenary of the process, or nil before it is
// established.
func (p *Process) Plenary() *Body {
	for _, b := range p.Bodies {
		if b.Kind == BodyPlenary {
			return b
		}
	}
	return nil
}

func (b *Body) label() string { return fmt.Sprintf("%s (%s)", b.ID, b.Name) }

// EstablishBody sets up the plenary or a group of the process, with its
// objectives and participation rules.
type EstablishBody struct {
	ID            BodyID                `json:"id"`
	Kind          BodyKind              `json:"kind"`
	Name          string                `json:"name"`
	Objectives    []string              `json:"objectives,omitempty"`
	Participation []StakeholderCategory `json:"participation,omitempty"`
	Start         time.Time             `json:"start,omitzero"`
	End           time.Time             `json:"end,omitzero"`
	Optional      bool                  `json:"optional,omitempty"`
}

// BodyEstablished records a new body.
type BodyEstablished EstablishBody

func (cmd EstablishBody) decide(p *Process, c Context) ([]EventData, error) {
	// The chair convenes additional groups of fixed duration (permanent
	// mechanism, paragraph 15); the secretariat establishes every body.
	if !(cmd.Kind == BodyAdditionalGroup && p.holds(c.Actor.Person, Seat{Role: RoleChair}, c.Now) != nil) {
		if err := setUp(c, "establish a body"); err != nil {
			return nil, err
		}
	}
	if err := nonEmpty("body id", string(cmd.ID)); err != nil {
		return nil, err
	}
	if err := nonEmpty("body name", cmd.Name); err != nil {
		return nil, err
	}
	if err := checkText("body name", cmd.Name); err != nil {
		return nil, err
	}
	if b, err := p.Body(cmd.ID); err == nil {
		return nil, Errorf(ECONFLICT, "body %s already exists: %s", b.ID, b.Name)
	}
	for i, o := range cmd.Objectives {
		if err := checkComment(fmt.Sprintf("objective %d of body %s", i+1, cmd.ID), o); err != nil {
			return nil, err
		}
	}
	if err := checkCategories("participation", cmd.Participation); err != nil {
		return nil, err
	}
	switch cmd.Kind {
	case BodyPlenary:
		if pl := p.Plenary(); pl != nil {
			return nil, Errorf(ECONFLICT, "%s already has a plenary, %s; a process has one", p.label(), pl.label())
		}
	case BodyThematicGroup:
	case BodyAdditionalGroup:
		if cmd.Start.IsZero() || cmd.End.IsZero() {
			return nil, Errorf(EINVALID, "additional group %s has a fixed duration: start and end are required", cmd.ID)
		}
	default:
		return nil, Errorf(EINVALID, "kind %q is not one of plenary, thematic-group, additional-group", cmd.Kind)
	}
	if !cmd.Start.IsZero() && !cmd.End.IsZero() && !cmd.End.After(cmd.Start) {
		return nil, Errorf(EINVALID, "body %s ends (%s) before it starts (%s)", cmd.ID, day(cmd.End), day(cmd.Start))
	}
	cmd.Start, cmd.End = utcOrZero(cmd.Start), utcOrZero(cmd.End)
	return []EventData{BodyEstablished(cmd)}, nil
}

// EventType implements EventData.
func (BodyEstablished) EventType() string { return "body.established" }

func (ev BodyEstablished) apply(p *Process, e Event) {
	p.Bodies = append(p.Bodies, &Body{ID: ev.ID, Kind: ev.Kind, Name: ev.Name, Objectives: ev.Objectives,
		Participation: ev.Participation, Start: ev.Start, End: ev.End, Optional: ev.Optional, Established: e.At})
}

func init() { RegisterEvent(func() EventData { return new(BodyEstablished) }) }
