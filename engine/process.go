package engine

import (
	"fmt"
	"strings"
	"time"
)

// Process is a negotiating process, such as the Open-ended Working Group
// on ICT security 2021–2025 or the permanent mechanism that succeeds it:
// its bodies, officers, participants, accredited observers, meetings and
// the documents its bodies negotiate. It is the fold of the events of the
// stream process/<id> (see ProcessStream).
//
// The documents themselves are separate aggregates (Document); the
// process only records which body owns each one and where it was sent.
// The engine never reads one aggregate from another: a caller that needs
// a fact of the process in a room (the meeting a reading is held in, a
// group's agreed text) reads it from the Process and passes it in the
// document command.
type Process struct {
	ID           ProcessID    `json:"id"`
	Name         string       `json:"name"`
	Short        string       `json:"short,omitempty"`
	Mandate      string       `json:"mandate,omitempty"`
	SymbolPrefix string       `json:"symbolPrefix,omitempty"`
	Start        time.Time    `json:"start"`
	End          time.Time    `json:"end,omitzero"` // exclusive; zero for an open-ended process
	Rules        ProcessRules `json:"rules"`
	Created      time.Time    `json:"created"`

	Bodies       []*Body            `json:"bodies,omitempty"`
	Nominations  []*Nomination      `json:"nominations,omitempty"`
	Officers     []*Officer         `json:"officers,omitempty"`
	Participants []*Participant     `json:"participants,omitempty"`
	Observers    []*Observer        `json:"observers,omitempty"`
	Meetings     []*Meeting         `json:"meetings,omitempty"`
	Documents    []*ProcessDocument `json:"documents,omitempty"`
	// Contributions are the written contributions submitted to meetings.
	Contributions []*Contribution `json:"contributions,omitempty"`
	// RuleChanges are the proposed modifications of the rules; RuleHistory
	// the periods of rules in force, once the rules were first modified
	// (Rules is always the rules in force now).
	RuleChanges []*RuleChange  `json:"ruleChanges,omitempty"`
	RuleHistory []RulesInForce `json:"ruleHistory,omitempty"`
	// Symbols is the last number allocated in each series of document
	// symbols, by stem ("A/AC.292/2027/CRP." → 2); see symbol.go.
	Symbols map[string]int `json:"symbols,omitempty"`
}

// ProcessRules are the standing rules in which processes differ.
type ProcessRules struct {
	// ChairTermYears is the length of the chair's term in years (two for
	// the permanent mechanism); 0 means the chair serves for the life of
	// the process, as in the OEWG.
	ChairTermYears int `json:"chairTermYears,omitempty"`
	// GeographicRotation makes the chair rotate among the five regional
	// groups: a chair cannot come from a group that held the chair in
	// the last four terms.
	GeographicRotation bool `json:"geographicRotation,omitempty"`
	// ReviewEveryYears is how often a review conference is held, counted
	// from the year the process began; 0 means it holds none.
	ReviewEveryYears int `json:"reviewEveryYears,omitempty"`
	// ViceChairTermYears is the length of a vice-chair's (or co-chair's)
	// term in years (two for the permanent mechanism, paragraph 13); 0
	// leaves the term to the nomination (by default the group's or the
	// process's life).
	ViceChairTermYears int `json:"viceChairTermYears,omitempty"`
	// SameGroupViceChairs allows two vice-chairs of one regional group to
	// serve at the same time; by default vice-chairs serving together come
	// from different groups (equitable geographic representation).
	SameGroupViceChairs bool `json:"sameGroupViceChairs,omitempty"`
	// PlenarySessionsPerYear is the most substantive plenary sessions
	// held in a calendar year (one for the permanent mechanism, paragraph
	// 12a); 0: no limit.
	PlenarySessionsPerYear int `json:"plenarySessionsPerYear,omitempty"`
	// SessionWorkingDays is the most working days (Monday to Friday) a
	// substantive session lasts, from its first meeting to its last ("each
	// session lasting for one week"; the OEWG's "5-day substantive
	// session"); 0 means the default, DefaultSessionWorkingDays.
	SessionWorkingDays int `json:"sessionWorkingDays,omitempty"`
	// ProgressReportEveryYears makes progress reports due every so many
	// years, at the end of each cycle counted from the year of the first
	// substantive plenary session (two: "on a biennial basis", paragraph
	// 12a; one for the OEWG's annual reports); they are adopted only in a substantive plenary
	// meeting of a year in which one is due. 0: any year.
	ProgressReportEveryYears int `json:"progressReportEveryYears,omitempty"`
	// FormalVenue, when set, is where formal meetings (organizational
	// sessions, substantive plenaries, review conferences, group meetings)
	// are convened ("UNHQ in New York", paragraph 18d). Informal meetings
	// (intersessional, stakeholder consultations) may meet elsewhere.
	FormalVenue string `json:"formalVenue,omitempty"`
	// SessionPattern makes every substantive session that holds group
	// meetings open and close in plenary, with the group meetings between
	// (the OEWG concept of work, section III).
	SessionPattern bool `json:"sessionPattern,omitempty"`
	// NGOsWithECOSOCStatus accredits only NGOs in consultative status with
	// the Economic and Social Council (the OEWG concept of work, section
	// II: "NGOs with ECOSOC consultative status").
	NGOsWithECOSOCStatus bool `json:"ngosWithEcosocStatus,omitempty"`
	// Comment is a note for the editors of a template; it has no effect.
	Comment string `json:"comment,omitempty"`
	// ConsultationBeforePlenary requires a stakeholder consultation of at
	// least one meeting day before each substantive plenary session.
	ConsultationBeforePlenary bool `json:"consultationBeforePlenary,omitempty"`
}

// NewProcess returns an empty process state, ready for its
// "process.created" event.
func NewProcess() *Process { return &Process{} }

// ProcessCommand is a request to change a process. Like a DocumentCommand
// it is validated against the current state and turned into events; it
// never changes state itself.
type ProcessCommand interface {
	decide(p *Process, c Context) ([]EventData, error)
}

// processEvent is an event that changes a process when applied.
type processEvent interface {
	EventData
	apply(p *Process, e Event)
}

// Decide validates cmd against the process and returns the events that
// carry it out, stamped with c's time and actor. The process is not
// changed: apply the events (after storing them) with Apply.
func (p *Process) Decide(c Context, cmd ProcessCommand) ([]Event, error) {
	if p.ID == "" {
		if _, ok := cmd.(CreateProcess); !ok {
			return nil, Errorf(ENOTFOUND, "the process does not exist yet")
		}
	}
	data, err := cmd.decide(p, c)
	if err != nil {
		return nil, err
	}
	return stamp(c, data)
}

// Apply folds one event into the process. Applying the same events in the
// same order always gives the same state. An event that is not a process
// event is an error.
func (p *Process) Apply(e Event) error {
	pe, ok := e.Data.(processEvent)
	if !ok {
		return Errorf(EINVALID, "event %q does not apply to a process", e.Type)
	}
	pe.apply(p, e)
	return nil
}

// Execute decides cmd and applies the resulting events at once. It is for
// tests and tools that keep no log.
func (p *Process) Execute(c Context, cmd ProcessCommand) ([]Event, error) {
	evs, err := p.Decide(c, cmd)
	if err != nil {
		return nil, err
	}
	for _, e := range evs {
		if err := p.Apply(e); err != nil {
			return nil, err
		}
	}
	return evs, nil
}

func (p *Process) label() string {
	if p.Short != "" {
		return p.Short
	}
	return string(p.ID)
}

// CreateProcess starts a process with its standing rules. Start is the day
// it began; End, when set, is the instant it ends (exclusive).
type CreateProcess struct {
	ID           ProcessID    `json:"id"`
	Name         string       `json:"name"`
	Short        string       `json:"short,omitempty"`
	Mandate      string       `json:"mandate,omitempty"`
	SymbolPrefix string       `json:"symbolPrefix,omitempty"`
	Start        time.Time    `json:"start"`
	End          time.Time    `json:"end,omitzero"`
	Rules        ProcessRules `json:"rules"`
}

// ProcessCreated is the first event of a process's stream.
type ProcessCreated CreateProcess

func (cmd CreateProcess) decide(p *Process, c Context) ([]EventData, error) {
	if p.ID != "" {
		return nil, Errorf(ECONFLICT, "process %s already exists", p.ID)
	}
	if err := setUp(c, "create a process"); err != nil {
		return nil, err
	}
	if err := nonEmpty("process id", string(cmd.ID)); err != nil {
		return nil, err
	}
	if err := nonEmpty("process name", cmd.Name); err != nil {
		return nil, err
	}
	if err := checkTexts("process name", cmd.Name, "short name", cmd.Short, "mandate", cmd.Mandate, "symbol prefix", cmd.SymbolPrefix); err != nil {
		return nil, err
	}
	if cmd.Start.IsZero() {
		return nil, Errorf(EINVALID, "start is required: the day the process began")
	}
	if !cmd.End.IsZero() && !cmd.End.After(cmd.Start) {
		return nil, Errorf(EINVALID, "process %s ends (%s) before it starts (%s)", cmd.ID, day(cmd.End), day(cmd.Start))
	}
	if r := cmd.Rules; r.ChairTermYears < 0 || r.ChairTermYears > 10 {
		return nil, Errorf(EINVALID, "chairTermYears is %d; a chair's term is 0 (the life of the process) to 10 years", r.ChairTermYears)
	}
	if r := cmd.Rules; r.ViceChairTermYears < 0 || r.ViceChairTermYears > 10 {
		return nil, Errorf(EINVALID, "viceChairTermYears is %d; a vice-chair's term is 0 (set by each nomination) to 10 years", r.ViceChairTermYears)
	}
	if r := cmd.Rules; r.PlenarySessionsPerYear < 0 || r.SessionWorkingDays < 0 || r.SessionWorkingDays > 30 || r.ProgressReportEveryYears < 0 || r.ProgressReportEveryYears > 10 {
		return nil, Errorf(EINVALID, "plenarySessionsPerYear (%d), sessionWorkingDays (%d, at most 30) and progressReportEveryYears (%d, at most 10) are whole numbers of at least 0", r.PlenarySessionsPerYear, r.SessionWorkingDays, r.ProgressReportEveryYears)
	}
	if err := checkTexts("formalVenue", cmd.Rules.FormalVenue); err != nil {
		return nil, err
	}
	if r := cmd.Rules; r.ReviewEveryYears < 0 || r.ReviewEveryYears > 20 {
		return nil, Errorf(EINVALID, "reviewEveryYears is %d; write 0 for no review conference, or a number of years up to 20", r.ReviewEveryYears)
	}
	cmd.Start, cmd.End = cmd.Start.UTC(), utcOrZero(cmd.End)
	return []EventData{ProcessCreated(cmd)}, nil
}

// EventType implements EventData.
func (ProcessCreated) EventType() string { return "process.created" }

func (ev ProcessCreated) apply(p *Process, e Event) {
	p.ID, p.Name, p.Short, p.Mandate, p.SymbolPrefix = ev.ID, ev.Name, ev.Short, ev.Mandate, ev.SymbolPrefix
	p.Start, p.End, p.Rules, p.Created = ev.Start, ev.End, ev.Rules, e.At
}

// setUp refuses anyone but the secretariat (or the system, loading a
// template) for the commands that set a process up.
func setUp(c Context, what string) error {
	switch c.Actor.Role {
	case RoleSecretariat, RoleSystem:
		return nil
	case RoleObserver:
		return Errorf(EFORBIDDEN, "observers never take part in decisions: an observer cannot %s; the secretariat does", what)
	}
	return Errorf(EFORBIDDEN, "only the secretariat can %s; %s cannot", what, roleName(c.Actor.Role))
}

// presidingRole refuses, by role alone, anyone who can never preside:
// delegates, observers, the secretariat. Whether a person who may hold
// office holds the seat that presides is checked against the offices:
// Document.presiding in a room, Process.presides in the process.
func presidingRole(c Context, what string) error {
	switch c.Actor.Role {
	case RoleChair, RoleViceChair, RoleCoChair, RoleFacilitator, RoleOfficer, RoleSystem:
		return nil
	case RoleObserver:
		return Errorf(EFORBIDDEN, "observers never take part in decisions: an observer cannot %s", what)
	case RoleDelegate:
		return Errorf(EFORBIDDEN, "a delegate of %s cannot %s; the presiding officer does", c.Actor.State, what)
	}
	return Errorf(EFORBIDDEN, "only the presiding officer can %s; %s cannot", what, roleName(c.Actor.Role))
}

// actingFor refuses a delegate who acts for another delegation, and any
// observer, for the acts by which a State takes part in a decision
// (objecting, breaking a silence).
func actingFor(c Context, state StateCode, what string) error {
	if c.Actor.Role == RoleObserver {
		return Errorf(EFORBIDDEN, "observers never take part in decisions: an observer cannot %s", what)
	}
	if c.Actor.Role == RoleDelegate && c.Actor.State != state {
		return Errorf(EFORBIDDEN, "a delegate of %s cannot %s for %s", c.Actor.State, what, state)
	}
	return nil
}

func roleName(r Role) string {
	switch r {
	case "":
		return "someone without a role"
	case RoleSecretariat:
		return "the secretariat"
	case RoleObserver, RoleViceChair, RoleOfficer:
		return "an " + string(r)
	}
	return "a " + string(r)
}

// delegationName names a delegation for messages: "CHN (China)", or the
// bare code when it is unknown.
func delegationName(code StateCode) string {
	if name, ok := LookupDelegation(code); ok {
		return fmt.Sprintf("%s (%s)", code, name)
	}
	if o, ok := LookupObserverState(code); ok {
		return fmt.Sprintf("%s (%s)", code, o.Name)
	}
	return string(code)
}

// isDelegation reports whether code is a Member State or a negotiating
// group: a delegation whose objection blocks consensus.
func isDelegation(code StateCode) bool {
	_, ok := LookupDelegation(code)
	return ok
}

// moment is a date, an instant or an interval as a message names it. It
// prints in English, in the UN style the interface and the exports use
// (String); Errorf also passes it on as ISO 8601 values (its kind
// "day", "when" or "span", with from and to), so that a client writes it
// the reader's way.
type moment struct {
	kind     string
	from, to time.Time
}

// String writes the moment in UTC: "5 July 2027"; "5 July 2027, 10:00
// UTC"; "5 July 2027, 10:00–13:00 UTC" on one day and "5 July 2027, 10:00
// UTC – 9 July 2027, 18:00 UTC" across days.
func (m moment) String() string {
	from, to := m.from.UTC(), m.to.UTC()
	switch m.kind {
	case "day":
		return from.Format("2 January 2006")
	case "when":
		return from.Format("2 January 2006, 15:04 UTC")
	}
	if from.Format("20060102") == to.Format("20060102") {
		return from.Format("2 January 2006, 15:04") + "–" + to.Format("15:04") + " UTC"
	}
	return from.Format("2 January 2006, 15:04 UTC") + " – " + to.Format("2 January 2006, 15:04 UTC")
}

// day names the UTC date of an instant in a message: "5 July 2027".
func day(t time.Time) moment { return moment{kind: "day", from: t} }

// when names an instant in a message: "5 July 2027, 10:00 UTC".
func when(t time.Time) moment { return moment{kind: "when", from: t} }

// span names an interval in a message (moment.String).
func span(start, end time.Time) moment { return moment{kind: "span", from: start, to: end} }

// hours formats a duration in words for messages: "3 hours", "1 hour 30
// minutes".
func hours(d time.Duration) string {
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	var parts []string
	if h > 0 {
		parts = append(parts, plural(h, "hour"))
	}
	if m > 0 || h == 0 {
		parts = append(parts, plural(m, "minute"))
	}
	return strings.Join(parts, " ")
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// andList joins words as "a", "a and b", "a, b and c".
func andList(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// checkTexts runs checkText on field, value pairs in order.
func checkTexts(pairs ...string) error {
	for i := 0; i+1 < len(pairs); i += 2 {
		if err := checkText(pairs[i], pairs[i+1]); err != nil {
			return err
		}
	}
	return nil
}

func utcOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.UTC()
}

func init() { RegisterEvent(func() EventData { return new(ProcessCreated) }) }
