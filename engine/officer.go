package engine

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// Seat is an office of a process: the chair (Body empty: the chair
// presides over the whole process), the vice-chair leading a group, or the
// facilitator leading an additional group.
type Seat struct {
	Role Role   `json:"role"`
	Body BodyID `json:"body,omitempty"`
}

// NominationStatus is where a nomination stands.
type NominationStatus string

// Nomination statuses.
const (
	Nominated NominationStatus = "nominated"
	Elected   NominationStatus = "elected"
)

// Nomination is a candidate for a seat, with the Member States that object
// to the candidate. A nomination with Replaces set proposes to substitute
// the officer who holds the seat.
type Nomination struct {
	Seat
	Person     PersonID         `json:"person"`
	Name       string           `json:"name"`
	State      StateCode        `json:"state"`
	Region     RegionalGroup    `json:"region"`
	TermStart  time.Time        `json:"termStart"`
	TermEnd    time.Time        `json:"termEnd"`
	Replaces   PersonID         `json:"replaces,omitempty"`
	Reason     string           `json:"reason,omitempty"` // for a substitute: the extraordinary circumstances
	Objections []StateCode      `json:"objections,omitempty"`
	Status     NominationStatus `json:"status"`
	Nominated  time.Time        `json:"nominated"`
}

// Officer is a person elected to a seat for a term. An officer substituted
// before the end of the term has Left and SubstitutedBy set.
type Officer struct {
	Seat
	Person        PersonID      `json:"person"`
	Name          string        `json:"name"`
	State         StateCode     `json:"state"`
	Region        RegionalGroup `json:"region"`
	TermStart     time.Time     `json:"termStart"`
	TermEnd       time.Time     `json:"termEnd"`
	Elected       time.Time     `json:"elected"`
	Replaces      PersonID      `json:"replaces,omitempty"`
	SubstitutedBy PersonID      `json:"substitutedBy,omitempty"`
	Left          time.Time     `json:"left,omitzero"`
	Meeting       MeetingID     `json:"meeting,omitempty"` // where the election was held
}

// until is when the officer's service ends: the end of the term, or the
// day a substitute took over.
func (o *Officer) until() time.Time {
	if !o.Left.IsZero() {
		return o.Left
	}
	return o.TermEnd
}

func (o *Officer) label() string {
	return fmt.Sprintf("%s (%s)", o.Name, stateName(o.State))
}

func stateName(code StateCode) string {
	if m, ok := LookupMemberState(code); ok {
		return m.Name
	}
	return string(code)
}

// rotationGroup is the regional group a State counts in for the rotation
// of the chair: its own, or for the United States, which belongs to no
// group, the Western European and other States, with which it is counted
// for electoral purposes.
func rotationGroup(code StateCode) RegionalGroup {
	m, _ := LookupMemberState(code)
	if m.Group == RegionalGroupNone {
		return RegionalGroupWesternEuropeanOther
	}
	return m.Group
}

// seatName names a seat for messages: "chair", "vice-chair of
// international-law (Dedicated thematic group on international law)".
func (p *Process) seatName(s Seat) string {
	if s.Body == "" {
		return string(s.Role)
	}
	if b, err := p.Body(s.Body); err == nil {
		return fmt.Sprintf("%s of %s", s.Role, b.label())
	}
	return fmt.Sprintf("%s of %s", s.Role, s.Body)
}

// bodyName names a body for messages, or gives its identity.
func (p *Process) bodyName(id BodyID) string {
	if b, err := p.Body(id); err == nil {
		return b.label()
	}
	return string(id)
}

// Holder returns the officer who holds a seat at instant t, if any.
func (p *Process) Holder(s Seat, t time.Time) (*Officer, bool) {
	for _, o := range p.Officers {
		if o.Seat == s && !t.Before(o.TermStart) && t.Before(o.until()) {
			return o, true
		}
	}
	return nil, false
}

// holds returns the term in which person holds a seat at t, or nil.
func (p *Process) holds(person PersonID, s Seat, t time.Time) *Officer {
	if o, ok := p.Holder(s, t); ok && o.Person == person && person != "" {
		return o
	}
	return nil
}

// presides refuses anyone but the chair in office at t (and the system)
// for the chair's acts in the process. The refusal names who holds the
// chair then.
func (p *Process) presides(c Context, what string, t time.Time) error {
	if err := presidingRole(c, what); err != nil {
		return err
	}
	if c.Actor.Role == RoleSystem {
		return nil
	}
	chair := Seat{Role: RoleChair}
	if p.holds(c.Actor.Person, chair, t) != nil {
		return nil
	}
	if o, ok := p.Holder(chair, t); ok {
		return Errorf(EFORBIDDEN, "%s cannot %s: the chair presides, held on %s by %s [%s]", c.Actor.Person, what, day(t), o.label(), o.Person)
	}
	return Errorf(EFORBIDDEN, "%s cannot %s: the chair presides, and no one holds the chair on %s; the secretariat presides over the election of a chair", c.Actor.Person, what, day(t))
}

// Chairs returns every officer elected chair, in order of term.
func (p *Process) Chairs() []*Officer {
	var out []*Officer
	for _, o := range p.Officers {
		if o.Seat == (Seat{Role: RoleChair}) {
			out = append(out, o)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].TermStart.Before(out[j].TermStart) })
	return out
}

// nomination returns the open nomination of person for a seat, or
// ENOTFOUND.
func (p *Process) nomination(s Seat, person PersonID) (*Nomination, error) {
	for _, n := range p.Nominations {
		if n.Seat == s && n.Person == person && n.Status == Nominated {
			return n, nil
		}
	}
	return nil, Errorf(ENOTFOUND, "%s is not nominated as %s", person, p.seatName(s))
}

// checkSeat refuses a seat that does not fit the process's bodies.
func (p *Process) checkSeat(s Seat) error {
	switch s.Role {
	case RoleChair:
		if s.Body != "" {
			return Errorf(EINVALID, "the chair presides over the whole process; leave body empty (%s given)", s.Body)
		}
		return nil
	case RoleViceChair, RoleCoChair, RoleFacilitator:
	default:
		return Errorf(EINVALID, "role %q is not an office: chair, vice-chair, co-chair or facilitator", s.Role)
	}
	if s.Body == "" {
		return Errorf(EINVALID, "a %s leads a group: body is required", s.Role)
	}
	b, err := p.Body(s.Body)
	if err != nil {
		return err
	}
	if s.Role == RoleViceChair && !b.Kind.group() {
		return Errorf(EINVALID, "vice-chairs lead groups; %s is the plenary, presided over by the chair", b.label())
	}
	if s.Role == RoleCoChair && b.Kind != BodyThematicGroup {
		return Errorf(EINVALID, "co-chairs lead a thematic group together (the OEWG concept of work: capacity-building co-chaired by a donor and a recipient State); %s is %s", b.label(), b.Kind.words())
	}
	if s.Role == RoleFacilitator && b.Kind != BodyAdditionalGroup {
		return Errorf(EINVALID, "a facilitator leads an additional group; %s is %s, led by a vice-chair", b.label(), b.Kind.words())
	}
	return nil
}

// NominateOfficer puts a candidate forward for a seat for a term. For the
// chair of a process with a fixed term, TermEnd may be left zero and is
// worked out. A substitute (Replaces set) serves the rest of the replaced
// officer's term. The candidate takes office only when elected by
// consensus (ElectOfficer).
type NominateOfficer struct {
	Seat
	Person    PersonID  `json:"person"`
	Name      string    `json:"name"`
	State     StateCode `json:"state"`
	TermStart time.Time `json:"termStart"`
	TermEnd   time.Time `json:"termEnd,omitzero"`
	Replaces  PersonID  `json:"replaces,omitempty"`
	// Reason says, for a substitute, the extraordinary circumstances
	// (the OEWG concept, section IV: senior officials "may be substituted
	// only in extraordinary circumstances (inability to execute his/her
	// duties) and by consensus").
	Reason string `json:"reason,omitempty"`
}

// OfficerNominated records a nomination, whole.
type OfficerNominated struct {
	Nomination Nomination `json:"nomination"`
}

func (cmd NominateOfficer) decide(p *Process, c Context) ([]EventData, error) {
	if c.Actor.Role != RoleSecretariat && c.Actor.Role != RoleSystem && p.holds(c.Actor.Person, Seat{Role: RoleChair}, c.Now) == nil {
		if err := setUp(c, "nominate an officer"); err != nil {
			return nil, err
		}
	}
	if err := p.checkSeat(cmd.Seat); err != nil {
		return nil, err
	}
	if cmd.Role == RoleFacilitator && cmd.Replaces == "" {
		return nil, Errorf(EINVALID, "a facilitator is appointed by the chair, not elected (facilitator.appoint)")
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
	m, ok := LookupMemberState(cmd.State)
	if !ok {
		return nil, Errorf(EINVALID, "an officer is nominated by a Member State; %q is not one", cmd.State)
	}
	if _, err := p.nomination(cmd.Seat, cmd.Person); err == nil {
		return nil, Errorf(ECONFLICT, "%s is already nominated as %s", cmd.Person, p.seatName(cmd.Seat))
	}
	if cmd.TermStart.IsZero() {
		return nil, Errorf(EINVALID, "termStart is required: the day the term begins")
	}
	n := Nomination{Seat: cmd.Seat, Person: cmd.Person, Name: cmd.Name, State: m.Code, Region: m.Group,
		TermStart: cmd.TermStart.UTC(), TermEnd: utcOrZero(cmd.TermEnd), Replaces: cmd.Replaces, Reason: cmd.Reason, Status: Nominated, Nominated: c.Now.UTC()}
	if cmd.Replaces != "" {
		if err := nonEmpty("reason", cmd.Reason); err != nil {
			return nil, Errorf(EINVALID, "an officer is substituted only in extraordinary circumstances (inability to carry out the duties of the office): give the reason")
		}
		if err := checkComment("reason", cmd.Reason); err != nil {
			return nil, err
		}
		old, ok := p.Holder(cmd.Seat, n.TermStart)
		if !ok || old.Person != cmd.Replaces {
			return nil, Errorf(ENOTFOUND, "%s does not hold the seat of %s on %s; there is no one to substitute", cmd.Replaces, p.seatName(cmd.Seat), day(n.TermStart))
		}
		if !n.TermEnd.IsZero() && !n.TermEnd.Equal(old.TermEnd) {
			return nil, Errorf(EINVALID, "a substitute serves the rest of %s's term, until %s, not until %s", old.label(), day(old.TermEnd), day(n.TermEnd))
		}
		n.TermEnd = old.TermEnd
		if cmd.Role == RoleChair && p.RulesAt(n.TermStart).GeographicRotation && rotationGroup(n.State) != rotationGroup(old.State) {
			return nil, Errorf(EINVALID, "a substitute chair comes from the same regional group as the chair replaced (%s); %s is in %s", rotationGroup(old.State), m.Name, m.Group)
		}
	} else {
		if err := p.termOf(&n); err != nil {
			return nil, err
		}
		if err := p.seatFree(n); err != nil {
			return nil, err
		}
		if cmd.Role == RoleChair && p.RulesAt(n.TermStart).GeographicRotation {
			if err := p.checkRotation(n); err != nil {
				return nil, err
			}
		}
		if err := p.checkRepresentation(n); err != nil {
			return nil, err
		}
	}
	return []EventData{OfficerNominated{Nomination: n}}, nil
}

// termOf works out and checks the end of a new (not substitute) term.
func (p *Process) termOf(n *Nomination) error {
	years := 0
	switch n.Role {
	case RoleChair:
		years = p.RulesAt(n.TermStart).ChairTermYears
	case RoleViceChair, RoleCoChair:
		years = p.RulesAt(n.TermStart).ViceChairTermYears
	}
	if years > 0 {
		want := n.TermStart.AddDate(years, 0, 0)
		if n.TermEnd.IsZero() {
			n.TermEnd = want
		} else if !n.TermEnd.Equal(want) {
			return Errorf(EINVALID, "the %s's term is %s: from %s to %s, not to %s", n.Role, plural(years, "year"), day(n.TermStart), day(want), day(n.TermEnd))
		}
		return nil
	}
	if n.TermEnd.IsZero() {
		if b, err := p.Body(n.Body); err == nil && !b.End.IsZero() {
			n.TermEnd = b.End
		} else {
			n.TermEnd = p.End
		}
	}
	if n.TermEnd.IsZero() {
		return Errorf(EINVALID, "termEnd is required: %s is open-ended", p.label())
	}
	if !n.TermEnd.After(n.TermStart) {
		return Errorf(EINVALID, "the term ends (%s) before it starts (%s)", day(n.TermEnd), day(n.TermStart))
	}
	return nil
}

// seatFree refuses a new term that overlaps the service of another
// officer in the same seat. A thematic group is led by one vice-chair or
// by two co-chairs, never both.
func (p *Process) seatFree(n Nomination) error {
	overlaps := func(o *Officer) bool { return o.TermStart.Before(n.TermEnd) && n.TermStart.Before(o.until()) }
	var cochairs []*Officer
	for _, o := range p.Officers {
		if !overlaps(o) || o.Body != n.Body {
			continue
		}
		switch {
		case o.Seat == n.Seat && n.Role == RoleCoChair:
			cochairs = append(cochairs, o)
		case o.Seat == n.Seat:
			return Errorf(ECONFLICT, "the seat of %s is held by %s from %s to %s; nominate a substitute (replaces) or a term that starts after it", p.seatName(n.Seat), o.label(), day(o.TermStart), day(o.until()))
		case (o.Role == RoleViceChair && n.Role == RoleCoChair) || (o.Role == RoleCoChair && n.Role == RoleViceChair):
			return Errorf(ECONFLICT, "%s is led by %s %s from %s to %s; a group is led by a vice-chair or by two co-chairs, not both", p.bodyName(n.Body), o.Role, o.label(), day(o.TermStart), day(o.until()))
		}
	}
	if len(cochairs) >= 2 {
		return Errorf(ECONFLICT, "%s has two co-chairs during that term already: %s and %s", p.bodyName(n.Body), cochairs[0].label(), cochairs[1].label())
	}
	return nil
}

// checkRotation refuses a chair from a regional group that holds the chair
// in any of the four terms before or after the candidate's, so that the
// chair passes through the five groups in turn (permanent mechanism,
// paragraph 13: "on the basis of equitable geographical rotation"). The
// terms are the elected chairs' (substitutes serve the rest of a term and
// do not count). It runs at nomination and again at election, when other
// terms, earlier or later, may have been elected meanwhile: open
// nominations are candidacies, not terms, and two may conflict; the first
// elected binds the other.
func (p *Process) checkRotation(n Nomination) error {
	type term struct {
		start, end time.Time
		group      RegionalGroup
		label      string
		candidate  bool
	}
	terms := []term{{start: n.TermStart, end: n.TermEnd, group: rotationGroup(n.State), candidate: true}}
	for _, o := range p.Chairs() {
		if o.Replaces == "" {
			terms = append(terms, term{o.TermStart, o.TermEnd, rotationGroup(o.State), o.label(), false})
		}
	}
	sort.SliceStable(terms, func(i, j int) bool { return terms[i].start.Before(terms[j].start) })
	k := slices.IndexFunc(terms, func(t term) bool { return t.candidate })
	window := len(RegionalGroups()) - 1
	used := map[RegionalGroup]bool{}
	var clash *term
	for j := max(0, k-window); j <= min(len(terms)-1, k+window); j++ {
		if j == k {
			continue
		}
		used[terms[j].group] = true
		if terms[j].group == terms[k].group && (clash == nil || j < k) {
			clash = &terms[j]
		}
	}
	if clash == nil {
		return nil
	}
	var next []string
	for _, rg := range RegionalGroups() {
		if !used[rg] {
			next = append(next, string(rg))
		}
	}
	g := terms[k].group
	if clash.start.Before(n.TermStart) {
		return Errorf(ECONFLICT, "geographic rotation: the %s held the chair from %s to %s (%s); the next chair comes from the %s", g, day(clash.start), day(clash.end), clash.label, orList(next))
	}
	return Errorf(ECONFLICT, "geographic rotation: the %s are elected to the chair from %s to %s (%s), within four terms after this one; the chair from %s comes from the %s", g, day(clash.start), day(clash.end), clash.label, day(n.TermStart), orList(next))
}

// checkRepresentation refuses a vice-chair from a regional group that
// already holds another vice-chair during the term, unless the process's
// rules allow it (permanent mechanism, paragraph 13: vice-chairs elected
// "on the basis of equitable geographic representation"). Co-chairs, a
// pair by design (a donor and a recipient State), are not counted.
func (p *Process) checkRepresentation(n Nomination) error {
	if n.Role != RoleViceChair || p.RulesAt(n.TermStart).SameGroupViceChairs {
		return nil
	}
	g := rotationGroup(n.State)
	for _, o := range p.Officers {
		if o.Role == RoleViceChair && o.Body != n.Body && rotationGroup(o.State) == g && o.TermStart.Before(n.TermEnd) && n.TermStart.Before(o.until()) {
			return Errorf(ECONFLICT, "equitable geographic representation: the %s already hold a vice-chair from %s to %s (%s, %s); vice-chairs serving at the same time come from different regional groups (rules.sameGroupViceChairs allows otherwise)", g, day(o.TermStart), day(o.until()), o.label(), p.seatName(o.Seat))
		}
	}
	return nil
}

// orList joins words as "a", "a or b", "a, b or c".
func orList(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	out := words[0]
	for i, w := range words[1:] {
		if i == len(words)-2 {
			out += " or " + w
		} else {
			out += ", " + w
		}
	}
	return out
}

// EventType implements EventData.
func (OfficerNominated) EventType() string { return "officer.nominated" }

func (ev OfficerNominated) apply(p *Process, e Event) {
	n := ev.Nomination
	p.Nominations = append(p.Nominations, &n)
}

// ObjectToNomination records (or with Withdraw takes back) a Member
// State's objection to a candidate. While it stands, the candidate cannot
// be elected by consensus.
type ObjectToNomination struct {
	Seat
	Person   PersonID  `json:"person"`
	State    StateCode `json:"state"`
	Withdraw bool      `json:"withdraw,omitempty"`
}

// NominationObjection records an objection to a candidate made or taken
// back.
type NominationObjection ObjectToNomination

func (cmd ObjectToNomination) decide(p *Process, c Context) ([]EventData, error) {
	if err := actingFor(c, cmd.State, "object to a candidate"); err != nil {
		return nil, err
	}
	if !isDelegation(cmd.State) {
		return nil, Errorf(EINVALID, "%q is not a Member State or negotiating group; only they object to a candidate", cmd.State)
	}
	n, err := p.nomination(cmd.Seat, cmd.Person)
	if err != nil {
		return nil, err
	}
	has := slices.Contains(n.Objections, cmd.State)
	if has && !cmd.Withdraw {
		return nil, Errorf(ECONFLICT, "%s already objects to %s as %s", cmd.State, n.Name, p.seatName(n.Seat))
	}
	if !has && cmd.Withdraw {
		return nil, Errorf(ECONFLICT, "%s has no objection to %s as %s to withdraw", cmd.State, n.Name, p.seatName(n.Seat))
	}
	return []EventData{NominationObjection(cmd)}, nil
}

// EventType implements EventData.
func (NominationObjection) EventType() string { return "officer.objection" }

func (ev NominationObjection) apply(p *Process, e Event) {
	n, _ := p.nomination(ev.Seat, ev.Person)
	if ev.Withdraw {
		n.Objections = slices.DeleteFunc(n.Objections, func(s StateCode) bool { return s == ev.State })
		return
	}
	n.Objections = append(n.Objections, ev.State)
	slices.Sort(n.Objections)
}

// ElectOfficer elects a nominated candidate by consensus: it passes only
// while no Member State objects to the candidate. Electing a substitute
// ends the replaced officer's service the day the substitute's term
// begins; this is the only way an officer is replaced.
type ElectOfficer struct {
	Seat
	Person PersonID `json:"person"`
	// Meeting is the meeting in which the election is held: the
	// organizational session (permanent mechanism, paragraph 19a; the OEWG
	// concept, section IV), a substantive plenary or a review conference.
	// It goes on the record with the officer.
	Meeting MeetingID `json:"meeting"`
}

// OfficerElected records an election.
type OfficerElected ElectOfficer

func (cmd ElectOfficer) decide(p *Process, c Context) ([]EventData, error) {
	m, err := p.formalMeeting(cmd.Meeting, "an election is held")
	if err != nil {
		return nil, err
	}
	// The secretariat records elections (and presides over the election
	// of the first chair); otherwise the chair in office at the meeting
	// presides.
	if c.Actor.Role != RoleSecretariat {
		if err := p.presides(c, "elect an officer", m.Start); err != nil {
			return nil, err
		}
	}
	n, err := p.nomination(cmd.Seat, cmd.Person)
	if err != nil {
		return nil, err
	}
	what := fmt.Sprintf("elect %s (%s) as %s", n.Name, stateName(n.State), p.seatName(n.Seat))
	if n.Replaces != "" {
		if old, ok := p.Holder(n.Seat, n.TermStart); !ok || old.Person != n.Replaces {
			return nil, Errorf(ECONFLICT, "%s no longer holds the seat of %s on %s; there is no one to substitute", n.Replaces, p.seatName(n.Seat), day(n.TermStart))
		}
		what = fmt.Sprintf("substitute %s for %s as %s", n.Name, n.Replaces, p.seatName(n.Seat))
	} else {
		// The rules are checked again at election: other candidates may
		// have been elected, earlier or later, since the nomination.
		if err := p.seatFree(*n); err != nil {
			return nil, err
		}
		if n.Role == RoleChair && p.RulesAt(n.TermStart).GeographicRotation {
			if err := p.checkRotation(*n); err != nil {
				return nil, err
			}
		}
		if err := p.checkRepresentation(*n); err != nil {
			return nil, err
		}
	}
	if len(n.Objections) > 0 {
		items := make([]objectionItem, len(n.Objections))
		for i, s := range n.Objections {
			items[i] = objectionItem{state: s, target: "the nomination"}
		}
		return nil, noConsensus(what, items)
	}
	return []EventData{OfficerElected(cmd)}, nil
}

// EventType implements EventData.
func (OfficerElected) EventType() string { return "officer.elected" }

func (ev OfficerElected) apply(p *Process, e Event) {
	n, _ := p.nomination(ev.Seat, ev.Person)
	n.Status = Elected
	if n.Replaces != "" {
		if old, ok := p.Holder(n.Seat, n.TermStart); ok {
			old.Left, old.SubstitutedBy = n.TermStart, n.Person
		}
	}
	p.Officers = append(p.Officers, &Officer{Seat: n.Seat, Person: n.Person, Name: n.Name, State: n.State, Region: n.Region,
		TermStart: n.TermStart, TermEnd: n.TermEnd, Elected: e.At, Replaces: n.Replaces, Meeting: ev.Meeting})
}

func init() {
	RegisterEvent(func() EventData { return new(OfficerNominated) })
	RegisterEvent(func() EventData { return new(NominationObjection) })
	RegisterEvent(func() EventData { return new(OfficerElected) })
}

// Offices is a process's record of its bodies and of every term of office
// in it, as a caller copies it from the process (Process.Offices) into the
// Context of a document command. The engine never reads one aggregate
// from another; with this copy a room checks each presiding act against
// the holder of the seat of the document's body at that moment.
type Offices struct {
	Process  ProcessID `json:"process"`
	Short    string    `json:"short,omitempty"`
	End      time.Time `json:"end,omitzero"` // the process's end (exclusive); zero if open-ended
	Bodies   []BodyRef `json:"bodies"`
	Officers []Officer `json:"officers,omitempty"`
}

// BodyRef is what the record of offices says of a body: which seats
// preside over it follows from its kind.
type BodyRef struct {
	ID   BodyID   `json:"id"`
	Kind BodyKind `json:"kind"`
	Name string   `json:"name"`
}

func (b BodyRef) label() string { return fmt.Sprintf("%s (%s)", b.ID, b.Name) }

// Offices returns a copy of the process's bodies and officers for a
// document command's Context.
func (p *Process) Offices() *Offices {
	o := &Offices{Process: p.ID, Short: p.Short, End: p.End}
	for _, b := range p.Bodies {
		o.Bodies = append(o.Bodies, BodyRef{ID: b.ID, Kind: b.Kind, Name: b.Name})
	}
	for _, x := range p.Officers {
		o.Officers = append(o.Officers, *x)
	}
	return o
}

// PresidingSeats returns the seats that preside over a body of a kind: the
// chair over the plenary; the vice-chair (or two co-chairs) over a
// thematic group; the facilitator over an additional group.
func PresidingSeats(body BodyID, kind BodyKind) []Seat {
	switch kind {
	case BodyPlenary:
		return []Seat{{Role: RoleChair}}
	case BodyThematicGroup:
		return []Seat{{Role: RoleViceChair, Body: body}, {Role: RoleCoChair, Body: body}}
	case BodyAdditionalGroup:
		return []Seat{{Role: RoleFacilitator, Body: body}}
	}
	return nil
}

// Body returns the body with the given identity in the record.
func (o *Offices) Body(id BodyID) (BodyRef, bool) {
	for _, b := range o.Bodies {
		if b.ID == id {
			return b, true
		}
	}
	return BodyRef{}, false
}

// Presiding returns the officers who preside over a body at instant t:
// the holders of its presiding seats then.
func (o *Offices) Presiding(body BodyID, t time.Time) []Officer {
	b, ok := o.Body(body)
	if !ok {
		return nil
	}
	var out []Officer
	for _, s := range PresidingSeats(b.ID, b.Kind) {
		for _, x := range o.Officers {
			if x.Seat == s && !t.Before(x.TermStart) && t.Before(x.until()) {
				out = append(out, x)
			}
		}
	}
	return out
}

// moment is the instant whose office holders preside: t, or for a process
// that has ended, its last instant (the officers in office when it ended
// close its business, such as a Chair's summary issued afterwards).
func (o *Offices) moment(t time.Time) time.Time {
	if !o.End.IsZero() && !t.Before(o.End) {
		return o.End.Add(-time.Nanosecond)
	}
	return t
}

// presidingSeatWords names the presiding seat of a body for messages:
// "the chair", "the vice-chair or co-chairs of il (International law)".
func presidingSeatWords(b BodyRef) string {
	switch b.Kind {
	case BodyPlenary:
		return "the chair"
	case BodyThematicGroup:
		return "the vice-chair or co-chairs of " + b.label()
	case BodyAdditionalGroup:
		return "the facilitator of " + b.label()
	}
	return "the officers of " + b.label()
}

func officerList(os []Officer) string {
	words := make([]string, len(os))
	for i := range os {
		words[i] = fmt.Sprintf("%s, %s", os[i].Seat.Role, os[i].label())
		if os[i].Person != "" {
			words[i] += " [" + string(os[i].Person) + "]"
		}
	}
	return andList(words)
}

// AppointFacilitator records the chair's appointment of the facilitator
// of an additional group (permanent mechanism, paragraph 15: additional
// groups "to be led by facilitators appointed by the Chair"). No election
// and no consensus: By must hold the chair on the day the appointment is
// made (TermStart). The chair appoints; the secretariat (or a template,
// as the system) may record the appointment the chair made.
type AppointFacilitator struct {
	Body      BodyID    `json:"body"`
	Person    PersonID  `json:"person"`
	Name      string    `json:"name"`
	State     StateCode `json:"state"`
	TermStart time.Time `json:"termStart"`
	TermEnd   time.Time `json:"termEnd,omitzero"`
	By        PersonID  `json:"by"` // the chair who appoints
}

// FacilitatorAppointed records an appointment, whole.
type FacilitatorAppointed struct {
	Officer Officer  `json:"officer"`
	By      PersonID `json:"by"`
}

func (cmd AppointFacilitator) decide(p *Process, c Context) ([]EventData, error) {
	switch c.Actor.Role {
	case RoleSecretariat, RoleSystem:
	default:
		if err := presidingRole(c, "appoint a facilitator"); err != nil {
			return nil, err
		}
		if cmd.By != c.Actor.Person {
			return nil, Errorf(EFORBIDDEN, "%s cannot appoint a facilitator on behalf of %s", c.Actor.Person, cmd.By)
		}
	}
	seat := Seat{Role: RoleFacilitator, Body: cmd.Body}
	if err := p.checkSeat(seat); err != nil {
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
	m, ok := LookupMemberState(cmd.State)
	if !ok {
		return nil, Errorf(EINVALID, "a facilitator comes from a Member State; %q is not one", cmd.State)
	}
	if cmd.TermStart.IsZero() {
		return nil, Errorf(EINVALID, "termStart is required: the day the appointment takes effect")
	}
	if p.holds(cmd.By, Seat{Role: RoleChair}, cmd.TermStart) == nil {
		if o, ok := p.Holder(Seat{Role: RoleChair}, cmd.TermStart); ok {
			return nil, Errorf(EFORBIDDEN, "facilitators are appointed by the chair; on %s the chair is %s [%s], not %q", day(cmd.TermStart), o.label(), o.Person, cmd.By)
		}
		return nil, Errorf(EFORBIDDEN, "facilitators are appointed by the chair, and no one holds the chair on %s", day(cmd.TermStart))
	}
	n := Nomination{Seat: seat, Person: cmd.Person, Name: cmd.Name, State: m.Code, Region: m.Group, TermStart: cmd.TermStart.UTC(), TermEnd: utcOrZero(cmd.TermEnd)}
	if err := p.termOf(&n); err != nil {
		return nil, err
	}
	if err := p.seatFree(n); err != nil {
		return nil, err
	}
	return []EventData{FacilitatorAppointed{By: cmd.By, Officer: Officer{Seat: seat, Person: n.Person, Name: n.Name, State: n.State, Region: n.Region,
		TermStart: n.TermStart, TermEnd: n.TermEnd, Elected: c.Now.UTC()}}}, nil
}

// EventType implements EventData.
func (FacilitatorAppointed) EventType() string { return "officer.appointed" }

func (ev FacilitatorAppointed) apply(p *Process, e Event) {
	o := ev.Officer
	o.Elected = e.At
	p.Officers = append(p.Officers, &o)
}

func init() { RegisterEvent(func() EventData { return new(FacilitatorAppointed) }) }
