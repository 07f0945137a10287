package engine

import (
	"fmt"
	"slices"
	"time"
)

// AgendaItem is one item of a meeting's agenda.
type AgendaItem struct {
	Number int    `json:"number"` // from 1
	Title  string `json:"title"`
}

// Agenda is a meeting's agenda: proposed, then adopted by consensus at
// the meeting (permanent mechanism, paragraph 19a: the organizational
// session carries out "the election of officers, and the adoption of the
// agenda").
type Agenda struct {
	Items      []AgendaItem `json:"items"`
	Proposed   time.Time    `json:"proposed"`
	Objections []StateCode  `json:"objections,omitempty"`
	Adopted    time.Time    `json:"adopted,omitzero"`
	AdoptedBy  PersonID     `json:"adoptedBy,omitempty"`
}

// formalMeeting returns a meeting that can take the process's business
// (an organizational session, a substantive plenary meeting or a review
// conference), not cancelled; what names the business in refusals.
func (p *Process) formalMeeting(id MeetingID, what string) (*Meeting, error) {
	if err := nonEmpty("meeting", string(id)); err != nil {
		return nil, Errorf(EINVALID, "meeting is required: the meeting in which %s (an organizational session, a substantive plenary or a review conference)", what)
	}
	m, err := p.Meeting(id)
	if err != nil {
		return nil, err
	}
	switch m.Kind {
	case OrganizationalSession, SubstantivePlenary, ReviewConference:
	default:
		return nil, Errorf(ECONFLICT, "meeting %s is %s; %s in an organizational session, a substantive plenary or a review conference", m.label(), m.Kind.words(), what)
	}
	if m.Cancelled {
		return nil, Errorf(ECONFLICT, "meeting %s was cancelled: %s", m.ID, m.Reason)
	}
	return m, nil
}

// presidesMeeting refuses anyone but the chair in office at the start of
// the meeting; the secretariat presides (and the system acts) only where
// no chair holds office then, as at the opening of the first
// organizational session.
func (p *Process) presidesMeeting(c Context, what string, m *Meeting) error {
	if c.Actor.Role == RoleSystem {
		return nil
	}
	if c.Actor.Role == RoleSecretariat {
		if o, ok := p.Holder(Seat{Role: RoleChair}, m.Start); ok {
			return Errorf(EFORBIDDEN, "the chair presides over meeting %s: %s [%s]; the secretariat presides only where no chair holds office", m.label(), o.label(), o.Person)
		}
		return nil
	}
	return p.presides(c, what, m.Start)
}

// ProposeAgenda proposes (or, until it is adopted, replaces) the agenda
// of a meeting. The secretariat or the chair proposes it.
type ProposeAgenda struct {
	Meeting MeetingID `json:"meeting"`
	Items   []string  `json:"items"`
}

// AgendaProposed records a proposed agenda, whole.
type AgendaProposed struct {
	Meeting MeetingID `json:"meeting"`
	Agenda  Agenda    `json:"agenda"`
}

func (cmd ProposeAgenda) decide(p *Process, c Context) ([]EventData, error) {
	if c.Actor.Role != RoleSecretariat && c.Actor.Role != RoleSystem {
		if err := p.presides(c, "propose an agenda", c.Now); err != nil {
			return nil, err
		}
	}
	m, err := p.formalMeeting(cmd.Meeting, "an agenda is adopted")
	if err != nil {
		return nil, err
	}
	if m.Agenda != nil && !m.Agenda.Adopted.IsZero() {
		return nil, Errorf(ECONFLICT, "the agenda of meeting %s was adopted on %s", m.ID, day(m.Agenda.Adopted))
	}
	if len(cmd.Items) == 0 {
		return nil, Errorf(EINVALID, "items is empty: an agenda has at least one item")
	}
	a := Agenda{Proposed: c.Now.UTC()}
	for i, t := range cmd.Items {
		field := fmt.Sprintf("agenda item %d", i+1)
		if err := nonEmpty(field, t); err != nil {
			return nil, err
		}
		if err := checkText(field, t); err != nil {
			return nil, err
		}
		a.Items = append(a.Items, AgendaItem{Number: i + 1, Title: t})
	}
	return []EventData{AgendaProposed{Meeting: m.ID, Agenda: a}}, nil
}

// EventType implements EventData.
func (AgendaProposed) EventType() string { return "agenda.proposed" }

func (ev AgendaProposed) apply(p *Process, e Event) {
	m, _ := p.Meeting(ev.Meeting)
	a := ev.Agenda
	m.Agenda = &a
}

// ObjectToAgenda records (or with Withdraw takes back) a delegation's
// objection to a proposed agenda.
type ObjectToAgenda struct {
	Meeting  MeetingID `json:"meeting"`
	State    StateCode `json:"state"`
	Withdraw bool      `json:"withdraw,omitempty"`
}

// AgendaObjection records an objection to an agenda made or taken back.
type AgendaObjection ObjectToAgenda

func (cmd ObjectToAgenda) decide(p *Process, c Context) ([]EventData, error) {
	if err := actingFor(c, cmd.State, "object to an agenda"); err != nil {
		return nil, err
	}
	if !isDelegation(cmd.State) {
		return nil, Errorf(EINVALID, "%q is not a Member State or negotiating group; only they object to an agenda", cmd.State)
	}
	m, err := p.Meeting(cmd.Meeting)
	if err != nil {
		return nil, err
	}
	if m.Agenda == nil {
		return nil, Errorf(ENOTFOUND, "meeting %s has no proposed agenda", m.ID)
	}
	if !m.Agenda.Adopted.IsZero() {
		return nil, Errorf(ECONFLICT, "the agenda of meeting %s was adopted on %s", m.ID, day(m.Agenda.Adopted))
	}
	has := slices.Contains(m.Agenda.Objections, cmd.State)
	if has && !cmd.Withdraw {
		return nil, Errorf(ECONFLICT, "%s already objects to the agenda of meeting %s", cmd.State, m.ID)
	}
	if !has && cmd.Withdraw {
		return nil, Errorf(ECONFLICT, "%s has no objection to the agenda of meeting %s to withdraw", cmd.State, m.ID)
	}
	return []EventData{AgendaObjection(cmd)}, nil
}

// EventType implements EventData.
func (AgendaObjection) EventType() string { return "agenda.objection" }

func (ev AgendaObjection) apply(p *Process, e Event) {
	m, _ := p.Meeting(ev.Meeting)
	if ev.Withdraw {
		m.Agenda.Objections = slices.DeleteFunc(m.Agenda.Objections, func(s StateCode) bool { return s == ev.State })
		return
	}
	m.Agenda.Objections = append(m.Agenda.Objections, ev.State)
	slices.Sort(m.Agenda.Objections)
}

// AdoptAgenda adopts a meeting's proposed agenda by consensus: it passes
// only while no delegation objects. The chair in office at the meeting
// presides (the secretariat where no chair holds office yet).
type AdoptAgenda struct {
	Meeting MeetingID `json:"meeting"`
}

// AgendaAdopted records an agenda adopted.
type AgendaAdopted AdoptAgenda

func (cmd AdoptAgenda) decide(p *Process, c Context) ([]EventData, error) {
	m, err := p.formalMeeting(cmd.Meeting, "an agenda is adopted")
	if err != nil {
		return nil, err
	}
	if err := p.presidesMeeting(c, "adopt an agenda", m); err != nil {
		return nil, err
	}
	if m.Agenda == nil {
		return nil, Errorf(ENOTFOUND, "meeting %s has no proposed agenda", m.ID)
	}
	if !m.Agenda.Adopted.IsZero() {
		return nil, Errorf(ECONFLICT, "the agenda of meeting %s was adopted on %s", m.ID, day(m.Agenda.Adopted))
	}
	if len(m.Agenda.Objections) > 0 {
		items := make([]objectionItem, len(m.Agenda.Objections))
		for i, s := range m.Agenda.Objections {
			items[i] = objectionItem{state: s, target: "the agenda"}
		}
		return nil, noConsensus("adopt the agenda of meeting "+string(m.ID), items)
	}
	return []EventData{AgendaAdopted(cmd)}, nil
}

// EventType implements EventData.
func (AgendaAdopted) EventType() string { return "agenda.adopted" }

func (ev AgendaAdopted) apply(p *Process, e Event) {
	m, _ := p.Meeting(ev.Meeting)
	m.Agenda.Adopted, m.Agenda.AdoptedBy = e.At, e.Actor.Person
}

func init() {
	RegisterEvent(func() EventData { return new(AgendaProposed) })
	RegisterEvent(func() EventData { return new(AgendaObjection) })
	RegisterEvent(func() EventData { return new(AgendaAdopted) })
}
