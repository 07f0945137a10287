package engine

import (
	"testing"
)

// TestRuleChanges: the rules are data that only a consensus decision
// taken in a review conference changes (permanent mechanism, paragraph
// 12e); the process keeps which rules were in force when, with the text
// of the decision.
func TestRuleChanges(t *testing.T) {
	p := testProcess(t) // chair from Kenya 2026–2028; review conferences every 4 years from 2026
	pmust(t, p, procSec, NominateOfficer{Seat: Seat{Role: RoleChair}, Person: "chair-fra", Name: "E. Chair", State: "FRA", TermStart: at("2030-03-23")})
	pmust(t, p, procSec, ElectOfficer{Seat: Seat{Role: RoleChair}, Person: "chair-fra", Meeting: "org"})
	pmust(t, p, procSec, ScheduleMeeting{ID: "rc", Body: "plenary", Kind: ReviewConference, Title: "Review conference", Start: at("2030-03-25T10:00"), End: at("2030-03-27T18:00")})
	newRules := p.Rules
	newRules.SessionWorkingDays = 4
	change := ProposeRuleChange{ID: "rc-1", Meeting: "rc", Rules: newRules, Text: "States decide that substantive plenary sessions last at most four working days."}
	during := func(c Context) Context { c.Now = at("2030-03-26T11:00"); return c }
	chairFRA := Context{Now: at("2030-03-26T11:00"), Actor: Actor{Person: "chair-fra", Role: RoleChair}}
	checkRefusals(t, p, nil, []refusal{
		{"outside a review conference", procSec, ProposeRuleChange{ID: "x", Meeting: "pl-2026", Rules: newRules, Text: "T"}, ECONFLICT,
			"the rules of GM are modified only by consensus in a review conference; meeting pl-2026 (First plenary session, 6 July 2026, 10:00 UTC – 10 July 2026, 18:00 UTC) is a substantive plenary meeting"},
		{"by a delegate", procDelegate("FRA", "2026-03-01"), change, EFORBIDDEN, "a delegate of FRA cannot propose a rule change; the presiding officer does"},
		{"no text", procSec, ProposeRuleChange{ID: "x", Meeting: "rc", Rules: newRules}, EINVALID, "text of the decision is required"},
		{"rules out of range", procSec, ProposeRuleChange{ID: "x", Meeting: "rc", Rules: ProcessRules{ChairTermYears: 12}, Text: "T"}, EINVALID,
			"rules: chairTermYears is 12; a chair's term is 0 (the life of the process) to 10 years"},
	})
	pmust(t, p, procSec, change)
	pmust(t, p, procDelegate("RUS", "2030-03-20"), ObjectToRuleChange{Change: "rc-1", State: "RUS"})
	checkRefusals(t, p, nil, []refusal{
		{"before the conference", Context{Now: at("2030-03-20"), Actor: chairFRA.Actor}, DecideRuleChange{Change: "rc-1"}, ECONFLICT,
			"rule change rc-1 is decided during review conference rc (Review conference, 25 March 2030, 10:00 UTC – 27 March 2030, 18:00 UTC); it is now 20 March 2030, 00:00 UTC"},
		{"an objection stands", chairFRA, DecideRuleChange{Change: "rc-1"}, ECONFLICT,
			"no consensus to modify the rules of GM (rc-1): RUS (Russian Federation) objects to the rule change"},
		{"not the chair", during(procChair), DecideRuleChange{Change: "rc-1"}, EFORBIDDEN,
			"chair-ken cannot decide a rule change: the chair presides, held on 25 March 2030 by E. Chair (France) [chair-fra]"},
		{"an observer", procObserver("ICRC"), ObjectToRuleChange{Change: "rc-1", State: "ICRC"}, EFORBIDDEN, "observers never take part in decisions: an observer cannot object to a rule change"},
	})
	pmust(t, p, procDelegate("RUS", "2030-03-26"), ObjectToRuleChange{Change: "rc-1", State: "RUS", Withdraw: true})
	pmust(t, p, chairFRA, DecideRuleChange{Change: "rc-1"})
	if got := p.RulesAt(at("2029-01-01")).SessionWorkingDays; got != 0 {
		t.Errorf("rules in 2029: sessionWorkingDays %d, want the original 0 (default 5)", got)
	}
	if got := p.RulesAt(at("2031-01-01")).SessionWorkingDays; got != 4 || p.Rules.SessionWorkingDays != 4 {
		t.Errorf("rules in 2031: sessionWorkingDays %d, want 4", got)
	}
	if h := p.RuleHistory; len(h) != 2 || h[1].Text != change.Text || h[1].Meeting != "rc" || h[1].Decided != "chair-fra" || !h[0].From.Equal(p.Start) {
		t.Fatalf("rule history %+v", h)
	}
	// The new rule binds, and its refusal quotes it.
	pmust(t, p, procSec, ScheduleMeeting{ID: "sc-2031", Body: "plenary", Kind: StakeholderConsultation, Title: "C", Start: at("2031-07-01T10:00"), End: at("2031-07-01T18:00")})
	checkRefusals(t, p, nil, []refusal{
		{"a five-day session under the new rules", procSec, ScheduleMeeting{ID: "pl-2031", Body: "plenary", Kind: SubstantivePlenary, Title: "S", Session: "S", Start: at("2031-07-07T10:00"), End: at("2031-07-11T18:00")}, EINVALID,
			`substantive session "S" runs from 7 July 2031 to 11 July 2031, 5 working days; a session lasts at most 4 working days (rules.sessionWorkingDays)`},
		{"decided twice", chairFRA, DecideRuleChange{Change: "rc-1"}, ECONFLICT, "rule change rc-1 was already decided on 26 March 2030"},
	})
}
