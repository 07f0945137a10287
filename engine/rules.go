package engine

import (
	"fmt"
	"slices"
	"time"
)

// RulesInForce is one period of a process's standing rules: the rules
// from From until the next period, and the decision that made them (none
// for the rules the process was created with).
type RulesInForce struct {
	From    time.Time    `json:"from"`
	Rules   ProcessRules `json:"rules"`
	Change  string       `json:"change,omitempty"`  // the rule change that made them
	Meeting MeetingID    `json:"meeting,omitempty"` // the review conference that decided it
	Text    string       `json:"text,omitempty"`    // the text of the decision
	Decided PersonID     `json:"decided,omitempty"` // who declared it adopted
}

// RuleChange is a proposal to modify the process's standing rules, with
// the Member States that object to it. Only a consensus decision taken in
// a review conference modifies them (permanent mechanism, paragraph 12e:
// "at the Review Conference, any modifications to the elements … could
// also be decided by States on the basis of consensus").
type RuleChange struct {
	ID         string       `json:"id"`
	Meeting    MeetingID    `json:"meeting"`
	Rules      ProcessRules `json:"rules"`
	Text       string       `json:"text"`
	Objections []StateCode  `json:"objections,omitempty"`
	Proposed   time.Time    `json:"proposed"`
	Decided    time.Time    `json:"decided,omitzero"`
}

// RulesAt returns the rules in force at instant t.
func (p *Process) RulesAt(t time.Time) ProcessRules {
	r := p.Rules
	for _, x := range p.RuleHistory {
		if !t.Before(x.From) {
			r = x.Rules
		}
	}
	return r
}

func (p *Process) ruleChange(id string) (*RuleChange, error) {
	for _, x := range p.RuleChanges {
		if x.ID == id {
			return x, nil
		}
	}
	return nil, Errorf(ENOTFOUND, "rule change %s is not proposed in %s", id, p.label())
}

// ProposeRuleChange puts a modification of the standing rules before a
// review conference: the whole rules as they would be, and the text of
// the decision. The chair in office or the secretariat proposes it.
type ProposeRuleChange struct {
	ID      string       `json:"id"`
	Meeting MeetingID    `json:"meeting"`
	Rules   ProcessRules `json:"rules"`
	Text    string       `json:"text"`
}

// RuleChangeProposed records a proposed rule change, whole.
type RuleChangeProposed struct {
	Change RuleChange `json:"change"`
}

func (cmd ProposeRuleChange) decide(p *Process, c Context) ([]EventData, error) {
	if c.Actor.Role != RoleSecretariat && c.Actor.Role != RoleSystem {
		if err := p.presides(c, "propose a rule change", c.Now); err != nil {
			return nil, err
		}
	}
	if err := nonEmpty("rule change id", cmd.ID); err != nil {
		return nil, err
	}
	if _, err := p.ruleChange(cmd.ID); err == nil {
		return nil, Errorf(ECONFLICT, "rule change %s is already proposed", cmd.ID)
	}
	if err := nonEmpty("text of the decision", cmd.Text); err != nil {
		return nil, err
	}
	if err := checkComment("text of the decision", cmd.Text); err != nil {
		return nil, err
	}
	m, err := p.reviewConference(cmd.Meeting)
	if err != nil {
		return nil, err
	}
	if _, err := (CreateProcess{ID: p.ID, Name: p.Name, Start: p.Start, Rules: cmd.Rules}).decide(&Process{}, Context{Actor: Actor{Role: RoleSystem}}); err != nil {
		return nil, Errorf(EINVALID, "rules: %s", Because(err))
	}
	return []EventData{RuleChangeProposed{Change: RuleChange{ID: cmd.ID, Meeting: m.ID, Rules: cmd.Rules, Text: cmd.Text, Proposed: c.Now.UTC()}}}, nil
}

// reviewConference returns a review conference of the process that is not
// cancelled, or refuses naming what the meeting is.
func (p *Process) reviewConference(id MeetingID) (*Meeting, error) {
	if err := nonEmpty("meeting", string(id)); err != nil {
		return nil, Errorf(EINVALID, "meeting is required: the review conference that decides the rule change")
	}
	m, err := p.Meeting(id)
	if err != nil {
		return nil, err
	}
	if m.Kind != ReviewConference {
		return nil, Errorf(ECONFLICT, "the rules of %s are modified only by consensus in a review conference; meeting %s is %s", p.label(), m.label(), m.Kind.words())
	}
	if m.Cancelled {
		return nil, Errorf(ECONFLICT, "meeting %s was cancelled: %s", m.ID, m.Reason)
	}
	return m, nil
}

// EventType implements EventData.
func (RuleChangeProposed) EventType() string { return "rules.proposed" }

func (ev RuleChangeProposed) apply(p *Process, e Event) {
	x := ev.Change
	p.RuleChanges = append(p.RuleChanges, &x)
}

// ObjectToRuleChange records (or with Withdraw takes back) a Member
// State's or negotiating group's objection to a proposed rule change.
type ObjectToRuleChange struct {
	Change   string    `json:"change"`
	State    StateCode `json:"state"`
	Withdraw bool      `json:"withdraw,omitempty"`
}

// RuleChangeObjection records an objection to a rule change made or taken
// back.
type RuleChangeObjection ObjectToRuleChange

func (cmd ObjectToRuleChange) decide(p *Process, c Context) ([]EventData, error) {
	if err := actingFor(c, cmd.State, "object to a rule change"); err != nil {
		return nil, err
	}
	if !isDelegation(cmd.State) {
		return nil, Errorf(EINVALID, "%q is not a Member State or negotiating group; only they object to a rule change", cmd.State)
	}
	x, err := p.ruleChange(cmd.Change)
	if err != nil {
		return nil, err
	}
	if !x.Decided.IsZero() {
		return nil, Errorf(ECONFLICT, "rule change %s was decided on %s", x.ID, day(x.Decided))
	}
	has := slices.Contains(x.Objections, cmd.State)
	if has && !cmd.Withdraw {
		return nil, Errorf(ECONFLICT, "%s already objects to rule change %s", cmd.State, x.ID)
	}
	if !has && cmd.Withdraw {
		return nil, Errorf(ECONFLICT, "%s has no objection to rule change %s to withdraw", cmd.State, x.ID)
	}
	return []EventData{RuleChangeObjection(cmd)}, nil
}

// EventType implements EventData.
func (RuleChangeObjection) EventType() string { return "rules.objection" }

func (ev RuleChangeObjection) apply(p *Process, e Event) {
	x, _ := p.ruleChange(ev.Change)
	if ev.Withdraw {
		x.Objections = slices.DeleteFunc(x.Objections, func(s StateCode) bool { return s == ev.State })
		return
	}
	x.Objections = append(x.Objections, ev.State)
	slices.Sort(x.Objections)
}

// DecideRuleChange declares a rule change adopted by consensus in its
// review conference: the chair in office presides, no Member State may
// object, and the review conference must be under way (the decision is
// taken at it, not before or after). The new rules are in force from the
// decision and the process keeps every period (Process.RuleHistory).
type DecideRuleChange struct {
	Change string `json:"change"`
}

// RulesAmended records the rules modified, with the decision's text.
type RulesAmended struct {
	InForce RulesInForce `json:"inForce"`
}

func (cmd DecideRuleChange) decide(p *Process, c Context) ([]EventData, error) {
	x, err := p.ruleChange(cmd.Change)
	if err != nil {
		return nil, err
	}
	m, err := p.reviewConference(x.Meeting)
	if err != nil {
		return nil, err
	}
	if c.Actor.Role != RoleSystem {
		if err := p.presides(c, "decide a rule change", m.Start); err != nil {
			return nil, err
		}
	}
	if !x.Decided.IsZero() {
		return nil, Errorf(ECONFLICT, "rule change %s was already decided on %s", x.ID, day(x.Decided))
	}
	if c.Now.Before(m.Start) || !c.Now.Before(m.End) {
		return nil, Errorf(ECONFLICT, "rule change %s is decided during review conference %s; it is now %s", x.ID, m.label(), when(c.Now))
	}
	if len(x.Objections) > 0 {
		items := make([]objectionItem, len(x.Objections))
		for i, s := range x.Objections {
			items[i] = objectionItem{state: s, target: "the rule change"}
		}
		return nil, noConsensus(fmt.Sprintf("modify the rules of %s (%s)", p.label(), x.ID), items)
	}
	return []EventData{RulesAmended{InForce: RulesInForce{From: c.Now.UTC(), Rules: x.Rules, Change: x.ID, Meeting: m.ID, Text: x.Text, Decided: c.Actor.Person}}}, nil
}

// EventType implements EventData.
func (RulesAmended) EventType() string { return "rules.amended" }

func (ev RulesAmended) apply(p *Process, e Event) {
	if len(p.RuleHistory) == 0 {
		p.RuleHistory = append(p.RuleHistory, RulesInForce{From: p.Start, Rules: p.Rules})
	}
	p.RuleHistory = append(p.RuleHistory, ev.InForce)
	p.Rules = ev.InForce.Rules
	if x, err := p.ruleChange(ev.InForce.Change); err == nil {
		x.Decided = ev.InForce.From
	}
}

func init() {
	RegisterEvent(func() EventData { return new(RuleChangeProposed) })
	RegisterEvent(func() EventData { return new(RuleChangeObjection) })
	RegisterEvent(func() EventData { return new(RulesAmended) })
}
