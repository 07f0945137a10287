package engine

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// AccreditationStatus is where an observer's accreditation stands.
type AccreditationStatus string

// Accreditation statuses.
const (
	// ProposedObserver: Member States may object until the deadline.
	ProposedObserver AccreditationStatus = "proposed"
	// Accredited: no Member State objected by the deadline (or, for an
	// observer State, invited by the General Assembly).
	Accredited AccreditationStatus = "accredited"
	// NotAccredited: a Member State objected by the deadline.
	NotAccredited AccreditationStatus = "not-accredited"
)

// Observer is an organisation (business, NGO, academia, intergovernmental)
// or observer State that may follow the meetings open to its category.
// Other stakeholders are accredited under the non-objection rule: proposed
// with a deadline, and accredited at the deadline unless a Member State
// objected.
type Observer struct {
	ID         ObserverID          `json:"id"`
	Name       string              `json:"name"`
	Category   StakeholderCategory `json:"category"`
	Status     AccreditationStatus `json:"status"`
	Proposed   time.Time           `json:"proposed"`
	Deadline   time.Time           `json:"deadline,omitzero"`
	Objections []ObserverObjection `json:"objections,omitempty"`
	Decided    time.Time           `json:"decided,omitzero"`
	Outcome    string              `json:"outcome,omitempty"` // why it was accredited or not
	Note       string              `json:"note,omitempty"`
	// ECOSOCStatus is an NGO's consultative status (general, special,
	// roster), when it has one.
	ECOSOCStatus string `json:"ecosocStatus,omitempty"`
}

// ObserverObjection is a Member State's objection to an accreditation,
// with its reason.
type ObserverObjection struct {
	State  StateCode `json:"state"`
	Reason string    `json:"reason,omitempty"`
	At     time.Time `json:"at"`
}

// Observer returns the observer with the given identity, or ENOTFOUND.
func (p *Process) Observer(id ObserverID) (*Observer, error) {
	for _, o := range p.Observers {
		if o.ID == id {
			return o, nil
		}
	}
	return nil, Errorf(ENOTFOUND, "observer %s is not known to %s", id, p.label())
}

func (o *Observer) label() string {
	return fmt.Sprintf("observer %s (%s, %s)", o.ID, o.Name, o.Category)
}

func (o *Observer) objectors() []StateCode {
	out := make([]StateCode, len(o.Objections))
	for i, x := range o.Objections {
		out[i] = x.State
	}
	return out
}

// ProposeObserver proposes an organisation for accreditation under the
// non-objection rule, with the deadline for objections. An observer State
// (category observer-state, the Holy See or the State of Palestine) is
// invited by the General Assembly and accredited at once.
type ProposeObserver struct {
	ID       ObserverID          `json:"id"`
	Name     string              `json:"name"`
	Category StakeholderCategory `json:"category"`
	Deadline time.Time           `json:"deadline,omitzero"`
	Note     string              `json:"note,omitempty"`
	// ECOSOCStatus is an NGO's consultative status with the Economic and
	// Social Council: general, special or roster. A process whose rules
	// require it (the OEWG: "NGOs with ECOSOC consultative status")
	// accredits no NGO without it.
	ECOSOCStatus string `json:"ecosocStatus,omitempty"`
}

// ObserverProposed records a proposed observer, whole.
type ObserverProposed struct {
	Observer Observer `json:"observer"`
}

func (cmd ProposeObserver) decide(p *Process, c Context) ([]EventData, error) {
	if err := setUp(c, "propose an observer"); err != nil {
		return nil, err
	}
	if err := nonEmpty("observer id", string(cmd.ID)); err != nil {
		return nil, err
	}
	if err := nonEmpty("observer name", cmd.Name); err != nil {
		return nil, err
	}
	if err := checkTexts("observer name", cmd.Name, "note", cmd.Note); err != nil {
		return nil, err
	}
	if o, err := p.Observer(cmd.ID); err == nil {
		return nil, Errorf(ECONFLICT, "%s is already %s", o.label(), o.Status)
	}
	if isDelegation(StateCode(cmd.ID)) {
		return nil, Errorf(EINVALID, "%s is a delegation, not an observer", delegationName(StateCode(cmd.ID)))
	}
	o := Observer{ID: cmd.ID, Name: cmd.Name, Category: cmd.Category, Status: ProposedObserver, Proposed: c.Now.UTC(), Note: cmd.Note, ECOSOCStatus: cmd.ECOSOCStatus}
	if err := checkCategories("category", []StakeholderCategory{cmd.Category}); err != nil {
		return nil, Errorf(EINVALID, "category %q is not one of business, ngo, academia, intergovernmental, observer-state", cmd.Category)
	}
	switch cmd.ECOSOCStatus {
	case "", "general", "special", "roster":
	default:
		return nil, Errorf(EINVALID, "ecosocStatus %q is not one of general, special, roster", cmd.ECOSOCStatus)
	}
	if cmd.ECOSOCStatus != "" && cmd.Category != CategoryNGO {
		return nil, Errorf(EINVALID, "ecosocStatus is an NGO's consultative status; %s is %s", cmd.ID, cmd.Category)
	}
	if cmd.Category == CategoryNGO && p.Rules.NGOsWithECOSOCStatus && cmd.ECOSOCStatus == "" {
		return nil, Errorf(EINVALID, "%s takes NGOs with ECOSOC consultative status; give the status of %s (%s): general, special or roster", p.label(), cmd.ID, cmd.Name)
	}
	if cmd.Category == CategoryObserverState {
		if _, ok := LookupObserverState(StateCode(cmd.ID)); !ok {
			return nil, Errorf(EINVALID, "%s is not an observer State of the General Assembly (VAT, PSE)", cmd.ID)
		}
		return []EventData{ObserverProposed{Observer: o},
			AccreditationClosed{Observer: o.ID, Status: Accredited, Reason: "an observer State invited by the General Assembly"}}, nil
	}
	if cmd.Deadline.IsZero() {
		return nil, Errorf(EINVALID, "deadline is required: the time until which Member States may object")
	}
	if !cmd.Deadline.After(c.Now) {
		return nil, Errorf(EINVALID, "the deadline for objections (%s) must be after now (%s)", when(cmd.Deadline), when(c.Now))
	}
	o.Deadline = cmd.Deadline.UTC()
	return []EventData{ObserverProposed{Observer: o}}, nil
}

// EventType implements EventData.
func (ObserverProposed) EventType() string { return "observer.proposed" }

func (ev ObserverProposed) apply(p *Process, e Event) {
	o := ev.Observer
	p.Observers = append(p.Observers, &o)
}

// ObjectToObserver records a Member State's objection to a proposed
// observer (or with Withdraw takes it back) before the deadline.
type ObjectToObserver struct {
	Observer ObserverID `json:"observer"`
	State    StateCode  `json:"state"`
	Reason   string     `json:"reason,omitempty"`
	Withdraw bool       `json:"withdraw,omitempty"`
}

// ObserverObjected records an objection made or taken back.
type ObserverObjected ObjectToObserver

func (cmd ObjectToObserver) decide(p *Process, c Context) ([]EventData, error) {
	if err := actingFor(c, cmd.State, "object to an accreditation"); err != nil {
		return nil, err
	}
	if _, ok := LookupMemberState(cmd.State); !ok {
		return nil, Errorf(EINVALID, "%q is not a Member State; under the non-objection rule only Member States object", cmd.State)
	}
	if err := checkComment("reason", cmd.Reason); err != nil {
		return nil, err
	}
	o, err := p.Observer(cmd.Observer)
	if err != nil {
		return nil, err
	}
	if o.Status != ProposedObserver {
		return nil, Errorf(ECONFLICT, "%s is already %s", o.label(), o.Status)
	}
	if !c.Now.Before(o.Deadline) {
		return nil, Errorf(ECONFLICT, "objections to %s closed at %s; it is now %s", o.label(), when(o.Deadline), when(c.Now))
	}
	has := slices.Contains(o.objectors(), cmd.State)
	if has && !cmd.Withdraw {
		return nil, Errorf(ECONFLICT, "%s already objects to %s", cmd.State, o.label())
	}
	if !has && cmd.Withdraw {
		return nil, Errorf(ECONFLICT, "%s has no objection to %s to withdraw", cmd.State, o.label())
	}
	return []EventData{ObserverObjected(cmd)}, nil
}

// EventType implements EventData.
func (ObserverObjected) EventType() string { return "observer.objection" }

func (ev ObserverObjected) apply(p *Process, e Event) {
	o, _ := p.Observer(ev.Observer)
	if ev.Withdraw {
		o.Objections = slices.DeleteFunc(o.Objections, func(x ObserverObjection) bool { return x.State == ev.State })
		return
	}
	o.Objections = append(o.Objections, ObserverObjection{State: ev.State, Reason: ev.Reason, At: e.At})
}

// CloseAccreditation applies the non-objection rule once the deadline has
// passed (time is the command's Context.Now): each proposed observer is
// accredited unless a Member State objected. With Observer empty it closes
// every accreditation whose deadline has passed; a server runs it on a
// timer.
type CloseAccreditation struct {
	Observer ObserverID `json:"observer,omitempty"`
}

// AccreditationClosed records the outcome of an accreditation.
type AccreditationClosed struct {
	Observer   ObserverID          `json:"observer"`
	Status     AccreditationStatus `json:"status"`
	ObjectedBy []StateCode         `json:"objectedBy,omitempty"`
	Reason     string              `json:"reason,omitempty"`
}

func (cmd CloseAccreditation) decide(p *Process, c Context) ([]EventData, error) {
	if err := setUp(c, "close an accreditation"); err != nil {
		return nil, err
	}
	var due []*Observer
	if cmd.Observer != "" {
		o, err := p.Observer(cmd.Observer)
		if err != nil {
			return nil, err
		}
		if o.Status != ProposedObserver {
			return nil, Errorf(ECONFLICT, "%s is already %s", o.label(), o.Status)
		}
		if c.Now.Before(o.Deadline) {
			return nil, Errorf(ECONFLICT, "Member States may object to %s until %s; it is now %s", o.label(), when(o.Deadline), when(c.Now))
		}
		due = append(due, o)
	} else {
		var next *Observer
		for _, o := range p.Observers {
			if o.Status != ProposedObserver {
				continue
			}
			if !c.Now.Before(o.Deadline) {
				due = append(due, o)
			} else if next == nil || o.Deadline.Before(next.Deadline) {
				next = o
			}
		}
		if len(due) == 0 && next == nil {
			return nil, Errorf(ECONFLICT, "no accreditation is pending in %s", p.label())
		}
		if len(due) == 0 {
			return nil, Errorf(ECONFLICT, "no accreditation is due: the next deadline is %s, for %s", when(next.Deadline), next.label())
		}
		sort.SliceStable(due, func(i, j int) bool { return due[i].Deadline.Before(due[j].Deadline) })
	}
	out := make([]EventData, len(due))
	for i, o := range due {
		ev := AccreditationClosed{Observer: o.ID, Status: Accredited, Reason: "no Member State objected by the deadline"}
		if by := o.objectors(); len(by) > 0 {
			slices.Sort(by)
			ev.Status, ev.ObjectedBy = NotAccredited, by
			ev.Reason = "objected to by " + andList(stateWords(by))
		}
		out[i] = ev
	}
	return out, nil
}

func stateWords(codes []StateCode) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = delegationName(c)
	}
	return out
}

// EventType implements EventData.
func (AccreditationClosed) EventType() string { return "observer.accreditation-closed" }

func (ev AccreditationClosed) apply(p *Process, e Event) {
	o, _ := p.Observer(ev.Observer)
	o.Status, o.Decided, o.Outcome = ev.Status, e.At, ev.Reason
}

func init() {
	RegisterEvent(func() EventData { return new(ObserverProposed) })
	RegisterEvent(func() EventData { return new(ObserverObjected) })
	RegisterEvent(func() EventData { return new(AccreditationClosed) })
}
