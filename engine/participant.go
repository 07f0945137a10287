package engine

import (
	"time"
)

// Participant is a person registered in a process: a delegate of a Member
// State or negotiating group, a member of the secretariat, or the
// representative of an accredited observer. Officers (the chair,
// vice-chairs, facilitators) are elected, not registered; see
// ElectOfficer.
type Participant struct {
	Person     PersonID   `json:"person"`
	Name       string     `json:"name"`
	Role       Role       `json:"role"`
	State      StateCode  `json:"state,omitempty"`    // delegates: the delegation they belong to
	Observer   ObserverID `json:"observer,omitempty"` // observers: the organisation or observer State
	Language   string     `json:"language,omitempty"` // translators: the language version they translate
	Registered time.Time  `json:"registered"`
	Withdrawn  time.Time  `json:"withdrawn,omitzero"`
}

// Participant returns the registered (and not withdrawn) participant with
// the given identity, or ENOTFOUND.
func (p *Process) Participant(person PersonID) (*Participant, error) {
	for _, x := range p.Participants {
		if x.Person == person && x.Withdrawn.IsZero() {
			return x, nil
		}
	}
	return nil, Errorf(ENOTFOUND, "%s is not a participant of %s", person, p.label())
}

// Delegates returns the registered delegates of a delegation, in order of
// registration. A State may send several; they share one place on the
// floor.
func (p *Process) Delegates(state StateCode) []*Participant {
	var out []*Participant
	for _, x := range p.Participants {
		if x.Role == RoleDelegate && x.State == state && x.Withdrawn.IsZero() {
			out = append(out, x)
		}
	}
	return out
}

// Actor returns the actor a registered participant acts as in rooms:
// observers act under their observer's code, delegates under their
// delegation's. The caller gives an officer's role itself, from the seat
// the person holds.
func (x *Participant) Actor() Actor {
	a := Actor{Person: x.Person, Role: x.Role, State: x.State, Language: x.Language}
	if x.Role == RoleObserver {
		a.State = StateCode(x.Observer)
	}
	return a
}

// MayAttend says whether a person may attend a meeting: delegates, the
// secretariat and officers may attend every meeting; an observer's
// representative only meetings that admit its category. The refusal names
// the meeting and what it admits.
func (p *Process) MayAttend(person PersonID, meeting MeetingID) error {
	m, err := p.Meeting(meeting)
	if err != nil {
		return err
	}
	if m.Cancelled {
		return Errorf(ECONFLICT, "meeting %s was cancelled: %s", m.ID, m.Reason)
	}
	x, err := p.Participant(person)
	if err != nil {
		for _, o := range p.Officers {
			if o.Person == person {
				return nil
			}
		}
		return err
	}
	if x.Role != RoleObserver {
		return nil
	}
	// Representatives register only once their observer is accredited,
	// and an accreditation is not withdrawn.
	o, err := p.Observer(x.Observer)
	if err != nil {
		return err
	}
	if m.StateOnly() {
		return Errorf(EFORBIDDEN, "%s may not attend meeting %s: it is State-only", o.label(), m.label())
	}
	if !m.admits(o.Category) {
		return Errorf(EFORBIDDEN, "%s may not attend meeting %s: it admits only %s", o.label(), m.label(), categoryList(m.Admits))
	}
	return nil
}

func (m *Meeting) admits(c StakeholderCategory) bool {
	for _, a := range m.Admits {
		if a == c {
			return true
		}
	}
	return false
}

// RegisterParticipant registers a person in the process: a delegate (State
// is a Member State or a negotiating group), a member of the secretariat,
// a translator of the secretariat (Language is the one language version
// they translate), or the representative of an accredited observer
// (Observer set).
type RegisterParticipant struct {
	Person   PersonID   `json:"person"`
	Name     string     `json:"name"`
	Role     Role       `json:"role"`
	State    StateCode  `json:"state,omitempty"`
	Observer ObserverID `json:"observer,omitempty"`
	Language string     `json:"language,omitempty"`
}

// ParticipantRegistered records a registration, whole.
type ParticipantRegistered struct {
	Participant Participant `json:"participant"`
}

func (cmd RegisterParticipant) decide(p *Process, c Context) ([]EventData, error) {
	if err := setUp(c, "register a participant"); err != nil {
		return nil, err
	}
	if err := nonEmpty("person", string(cmd.Person)); err != nil {
		return nil, err
	}
	if err := nonEmpty("name", cmd.Name); err != nil {
		return nil, err
	}
	if err := checkText("name", cmd.Name); err != nil {
		return nil, err
	}
	if x, err := p.Participant(cmd.Person); err == nil {
		return nil, Errorf(ECONFLICT, "%s is already registered in %s, as %s", cmd.Person, p.label(), x.describe())
	}
	x := Participant{Person: cmd.Person, Name: cmd.Name, Role: cmd.Role, Registered: c.Now.UTC()}
	if cmd.Language != "" && cmd.Role != RoleTranslator {
		return nil, Errorf(EINVALID, "language is a translator's: a %s works in every language; leave it empty", cmd.Role)
	}
	switch cmd.Role {
	case RoleDelegate:
		if cmd.Observer != "" {
			return nil, Errorf(EINVALID, "a delegate belongs to a delegation (state), not to an observer")
		}
		if !isDelegation(cmd.State) {
			if _, ok := LookupObserverState(cmd.State); ok {
				return nil, Errorf(EINVALID, "%s is an observer State: its representatives register as observers", delegationName(cmd.State))
			}
			return nil, Errorf(EINVALID, "%q is not a Member State or negotiating group", cmd.State)
		}
		x.State = cmd.State
	case RoleSecretariat:
		if cmd.State != "" || cmd.Observer != "" {
			return nil, Errorf(EINVALID, "the secretariat speaks for no delegation: leave state and observer empty")
		}
	case RoleTranslator:
		if cmd.State != "" || cmd.Observer != "" {
			return nil, Errorf(EINVALID, "a translator belongs to the secretariat and speaks for no delegation: leave state and observer empty")
		}
		if err := checkUNLanguage("language", cmd.Language); err != nil {
			return nil, err
		}
		x.Language = cmd.Language
	case RoleObserver:
		o, err := p.Observer(cmd.Observer)
		if err != nil {
			return nil, err
		}
		if o.Status != Accredited {
			return nil, Errorf(ECONFLICT, "%s is not accredited (%s); its representatives register once it is", o.label(), o.Status)
		}
		x.Observer = o.ID
	case RoleChair, RoleViceChair, RoleFacilitator:
		return nil, Errorf(EINVALID, "a %s is elected, not registered: nominate the person and elect them by consensus", cmd.Role)
	default:
		return nil, Errorf(EINVALID, "role %q is not one of delegate, secretariat, translator, observer", cmd.Role)
	}
	return []EventData{ParticipantRegistered{Participant: x}}, nil
}

func (x *Participant) describe() string {
	switch x.Role {
	case RoleDelegate:
		return "a delegate of " + delegationName(x.State)
	case RoleObserver:
		return "the representative of observer " + string(x.Observer)
	case RoleTranslator:
		return "a translator into " + LanguageName(x.Language)
	}
	return roleName(x.Role)
}

// EventType implements EventData.
func (ParticipantRegistered) EventType() string { return "participant.registered" }

func (ev ParticipantRegistered) apply(p *Process, e Event) {
	x := ev.Participant
	p.Participants = append(p.Participants, &x)
}

// WithdrawParticipant ends a person's registration.
type WithdrawParticipant struct {
	Person PersonID `json:"person"`
}

// ParticipantWithdrawn records the end of a registration.
type ParticipantWithdrawn WithdrawParticipant

func (cmd WithdrawParticipant) decide(p *Process, c Context) ([]EventData, error) {
	if err := setUp(c, "withdraw a participant"); err != nil {
		return nil, err
	}
	if _, err := p.Participant(cmd.Person); err != nil {
		return nil, err
	}
	return []EventData{ParticipantWithdrawn(cmd)}, nil
}

// EventType implements EventData.
func (ParticipantWithdrawn) EventType() string { return "participant.withdrawn" }

func (ev ParticipantWithdrawn) apply(p *Process, e Event) {
	x, _ := p.Participant(ev.Person)
	x.Withdrawn = e.At
}

func init() {
	RegisterEvent(func() EventData { return new(ParticipantRegistered) })
	RegisterEvent(func() EventData { return new(ParticipantWithdrawn) })
}

// ChooseInterfaceLanguage is a person's choice of the language the
// interface speaks to them in, kept with the person (not with a browser)
// so that it follows them to any screen they log in from. The interface is
// in the six official languages, so only those are taken, by their
// two-letter tag.
type ChooseInterfaceLanguage struct {
	Language string `json:"language"`
}

// Check refuses anything but one of the six official languages, written
// as UNLanguages writes them ("fr", not "FR", "fr-CA" or "de").
func (cmd ChooseInterfaceLanguage) Check() error {
	return checkUNLanguage("language", cmd.Language)
}
