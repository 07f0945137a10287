package engine

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"
)

// Tests of the room's proceedings: readings, the floor, observers,
// consensus, silence procedures, the Chair's summary and taking a group's
// text in.

var (
	openPlenary = MeetingRef{ID: "pl-2027", Body: "plenary", Kind: SubstantivePlenary, Title: "Second plenary session", Admits: StakeholderCategories()}
	closedRoom  = MeetingRef{ID: "closed", Body: "plenary", Kind: SubstantivePlenary, Title: "Closed plenary"}
	informal    = MeetingRef{ID: "int", Body: "plenary", Kind: IntersessionalMeeting, Title: "Intersessional", Admits: StakeholderCategories()}
)

const shortDraft = `# Draft report
<!-- symbol: A/AC.292/2027/L.1 -->

## A. Introduction

1. The Mechanism held its session.

2. States [welcomed] the report.
`

// roomRun is a document with the log of its events, so that a test can
// check at the end that replaying the log gives the same state.
type roomRun struct {
	t   *testing.T
	d   *Document
	log []Event
}

func newRoom(t *testing.T, src string, typ DocumentType, body BodyID) *roomRun {
	t.Helper()
	draft, _, err := ImportDraft(src)
	if err != nil {
		t.Fatal(err)
	}
	r := &roomRun{t: t, d: NewDocument()}
	r.do(secretary, CreateDocument{ID: "d1", Type: typ, Draft: draft, Process: "gm", Body: body})
	return r
}

func (r *roomRun) do(c Context, cmd DocumentCommand) []Event {
	r.t.Helper()
	evs, err := r.d.Execute(c, cmd)
	if err != nil {
		r.t.Fatalf("%T: %v", cmd, err)
	}
	r.log = append(r.log, evs...)
	return evs
}

func (r *roomRun) refuse(rows ...refusal) {
	r.t.Helper()
	checkRefusals(r.t, nil, r.d, rows)
}

func (r *roomRun) para(num string) *Paragraph {
	r.t.Helper()
	return numbered(r.t, r.d, num)
}

// checkReplay replays the log after a JSON round trip of each event and
// compares the state.
func (r *roomRun) checkReplay() {
	r.t.Helper()
	replayed := NewDocument()
	for i, e := range r.log {
		b, err := json.Marshal(e)
		if err != nil {
			r.t.Fatal(err)
		}
		var back Event
		if err := json.Unmarshal(b, &back); err != nil {
			r.t.Fatalf("decode event %d (%s): %v", i, e.Type, err)
		}
		if err := replayed.Apply(back); err != nil {
			r.t.Fatalf("apply event %d: %v", i, err)
		}
	}
	want, _ := json.Marshal(r.d)
	got, _ := json.Marshal(replayed)
	if string(got) != string(want) {
		r.t.Fatalf("replayed state differs\nlive:     %s\nreplayed: %s", want, got)
	}
}

func (r *roomRun) types(evs []Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Type)
	}
	return out
}

func at2(s string) Context { c := chair; c.Now = at(s); return c }

func observerCtx(id StateCode) Context {
	return Context{Now: t0, Actor: Actor{Person: PersonID("obs-" + string(id)), State: id, Role: RoleObserver}}
}

func delegateAt(s StateCode, when string) Context {
	c := delegate(s)
	c.Now = at(when)
	return c
}

func TestReadings(t *testing.T) {
	r := newRoom(t, sampleDraft, DraftProgressReport, "plenary")
	p1, p3 := r.para("1"), r.para("3")
	r.refuse(
		refusal{"pointer without a reading", chair, ReadParagraph{Para: p1.ID}, ECONFLICT, "no reading is open in A/AC.292/2027/CRP.1; open one in a meeting first"},
		refusal{"second before first", chair, OpenReading{Kind: SecondReading, Meeting: openPlenary}, ECONFLICT, "hold a first reading of A/AC.292/2027/CRP.1 (general comments) before the second reading"},
		refusal{"no meeting", chair, OpenReading{Kind: FirstReading}, EINVALID, "meeting id is required"},
		refusal{"unknown reading", chair, OpenReading{Kind: "third", Meeting: openPlenary}, EINVALID, `kind "third" is not one of first, second`},
		refusal{"delegate opens", delegate("FRA"), OpenReading{Kind: FirstReading, Meeting: openPlenary}, EFORBIDDEN, "a delegate of FRA cannot open a reading; the presiding officer does"},
		refusal{"secretariat opens", secretary, OpenReading{Kind: FirstReading, Meeting: openPlenary}, EFORBIDDEN, "only the presiding officer can open a reading; the secretariat cannot"},
		refusal{"close nothing", chair, CloseReading{}, ECONFLICT, "no reading is open in A/AC.292/2027/CRP.1"},
	)
	r.do(chair, OpenReading{Kind: FirstReading, Meeting: openPlenary})
	r.do(chair, ReadParagraph{Para: p1.ID})
	if p1.Status != StatusUnderReading {
		t.Fatalf("paragraph 1 is %s, want under-reading", p1.Status)
	}
	r.do(chair, ReadParagraph{Para: p3.ID})
	if p1.Status != StatusPending {
		t.Errorf("paragraph 1 after the pointer moved on is %s, want pending", p1.Status)
	}
	for _, q := range r.d.subtree(p3.ID) {
		if q.Status != StatusUnderReading {
			t.Errorf("paragraph %s is %s, want under-reading with its paragraph", r.d.displayName(q), q.Status)
		}
	}
	r.refuse(
		refusal{"another reading", chair, OpenReading{Kind: SecondReading, Meeting: openPlenary}, ECONFLICT, "the first reading in meeting pl-2027 (Second plenary session) is still open; close it before opening another"},
		refusal{"same paragraph", chair, ReadParagraph{Para: p3.ID}, ECONFLICT, "paragraph 3 is already being read"},
		refusal{"textual proposal in a first reading", delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpReplace, Para: p1.ID, Version: 1, Start: 0, End: 3, NewText: "A"}, ECONFLICT,
			"meeting pl-2027 (Second plenary session) is holding the first reading of A/AC.292/2027/CRP.1: general comments only; textual proposals are taken in the second reading"},
		refusal{"delegate moves the pointer", delegate("FRA"), ReadParagraph{Para: p1.ID}, EFORBIDDEN, "a delegate of FRA cannot move the reading pointer; the presiding officer does"},
	)
	// Positions and comments are taken in a first reading.
	r.do(delegate("FRA"), StatePosition{State: "FRA", Para: p3.ID, Kind: Reservation, Comment: "general comment"})
	r.do(chair, CloseReading{})
	if p3.Status != StatusPending || r.d.CurrentReading() != nil {
		t.Fatalf("after closing: paragraph 3 is %s, reading %v", p3.Status, r.d.CurrentReading())
	}
	r.do(chair, OpenReading{Kind: SecondReading, Meeting: openPlenary})
	r.do(delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpReplace, Para: p1.ID, Version: 1, Start: 0, End: 3, NewText: "A"})
	if got := len(r.d.Readings); got != 2 || r.d.Readings[0].Closed.IsZero() {
		t.Errorf("readings = %d", got)
	}
	r.checkReplay()
}

func TestFloor(t *testing.T) {
	r := newRoom(t, sampleDraft, DraftProgressReport, "plenary")
	fra2 := Context{Now: t0.Add(time.Minute), Actor: Actor{Person: "del-fra-2", State: "FRA", Role: RoleDelegate}}
	r.refuse(refusal{"no meeting", delegate("FRA"), AskFloor{Delegation: "FRA"}, ECONFLICT, "no meeting is in session in A/AC.292/2027/CRP.1: the floor opens with a reading"})
	r.do(chair, OpenReading{Kind: FirstReading, Meeting: openPlenary})
	r.do(delegate("FRA"), AskFloor{Delegation: "FRA"})
	r.do(delegate("CHN"), AskFloor{Delegation: "CHN"})
	r.do(delegate("BRA"), AskFloor{Delegation: "BRA"})
	r.do(chair, AskFloor{Delegation: "EU"}) // the chair puts a delegation on the list
	r.refuse(
		refusal{"second delegate of the same State", fra2, AskFloor{Delegation: "FRA"}, ECONFLICT,
			"FRA (France) already has place 1 in the queue, asked by del-fra at 1 March 2027, 10:00 UTC: a delegation's delegates share one place"},
		refusal{"for another State", delegate("FRA"), AskFloor{Delegation: "DEU"}, EFORBIDDEN, "a delegate of FRA cannot ask for the floor for DEU"},
		refusal{"withdraw another State", delegate("FRA"), WithdrawFloor{Delegation: "CHN"}, EFORBIDDEN, "a delegate of FRA cannot withdraw CHN from the queue"},
		refusal{"delegate gives the floor", delegate("FRA"), NextSpeaker{}, EFORBIDDEN, "a delegate of FRA cannot give the floor; the presiding officer does"},
	)
	r.do(fra2, WithdrawFloor{Delegation: "FRA"}) // any delegate of the State may give its place up
	r.do(delegate("FRA"), AskFloor{Delegation: "FRA"})
	r.do(delegate("BRA"), WithdrawFloor{Delegation: "BRA"})
	r.refuse(refusal{"withdraw twice", delegate("BRA"), WithdrawFloor{Delegation: "BRA"}, ENOTFOUND, "BRA (Brazil) is not waiting for the floor in meeting pl-2027 (Second plenary session)"})
	r.do(chair, NextSpeaker{}) // CHN
	r.do(chair, GiveFloor{Delegation: "FRA"})
	r.do(chair, GiveFloor{Delegation: "RUS"}) // a right of reply, not queued
	r.do(chair, NextSpeaker{})                // EU
	r.refuse(refusal{"empty queue", chair, NextSpeaker{}, ECONFLICT, "no one is waiting for the floor in meeting pl-2027 (Second plenary session)"})
	rd := r.d.CurrentReading()
	var order []StateCode
	for _, s := range rd.Speakers {
		order = append(order, s.Delegation)
	}
	if !slices.Equal(order, []StateCode{"CHN", "FRA", "RUS", "EU"}) {
		t.Errorf("speakers %v", order)
	}
	if s, ok := rd.Speaking(); !ok || s.Delegation != "EU" || s.Person != "chair" {
		t.Errorf("speaking %+v", s)
	}
	r.do(delegate("IND"), AskFloor{Delegation: "IND"})
	r.do(chair, CloseReading{})
	if len(rd.Queue) != 0 {
		t.Errorf("queue survives the reading: %v", rd.Queue)
	}
	// Each meeting has its own floor.
	r.do(chair, OpenReading{Kind: SecondReading, Meeting: closedRoom})
	if q := r.d.CurrentReading().Queue; len(q) != 0 {
		t.Errorf("new meeting starts with queue %v", q)
	}
	r.refuse(refusal{"observer on the list of a State-only meeting", chair, GiveFloor{Delegation: "ICRC"}, EFORBIDDEN, "ICRC is not a Member State or negotiating group, and meeting closed (Closed plenary) is State-only"})
	r.checkReplay()
}

func TestObservers(t *testing.T) {
	r := newRoom(t, sampleDraft, DraftProgressReport, "plenary")
	icrc := observerCtx("ICRC")
	p1 := r.para("1")
	amend := ProposeAmendment{Proposer: "ICRC", Op: OpInsert, Para: p1.ID, Version: 1, Start: 4, End: 4, NewText: "Global "}
	never := "observers never propose amendments to the States' text: negotiation and decision-making are exclusive prerogatives of States; an observer submits a written contribution to a meeting open to it (contribution.submit)"
	r.refuse(
		refusal{"text outside a meeting", icrc, amend, EFORBIDDEN, never},
		refusal{"floor outside a meeting", icrc, AskFloor{Delegation: "ICRC"}, EFORBIDDEN, "observers take the floor only in a meeting open to them, and no meeting is in session in A/AC.292/2027/CRP.1"},
	)
	r.do(chair, OpenReading{Kind: FirstReading, Meeting: closedRoom})
	r.do(chair, CloseReading{})
	r.do(chair, OpenReading{Kind: SecondReading, Meeting: closedRoom})
	r.refuse(
		refusal{"text in a State-only meeting", icrc, amend, EFORBIDDEN, never},
		refusal{"floor in a State-only meeting", icrc, AskFloor{Delegation: "ICRC"}, EFORBIDDEN, "observers do not take the floor in State-only meetings: meeting closed (Closed plenary) is State-only"},
		refusal{"position", icrc, StatePosition{State: "ICRC", Para: p1.ID, Kind: Oppose}, EFORBIDDEN, "observers never take part in decisions: an observer cannot state a position"},
		refusal{"decision", icrc, TakeDecision{Kind: AgreeAdRef, Para: p1.ID}, EFORBIDDEN, "observers never take part in decisions: an observer cannot take a decision"},
		refusal{"silence", icrc, BreakSilence{State: "ICRC"}, EFORBIDDEN, "observers never take part in decisions: an observer cannot break a silence procedure"},
		refusal{"co-sponsor", icrc, CoSponsor{Amendment: "a1", State: "ICRC"}, EFORBIDDEN, "observers never take part in decisions: an observer cannot co-sponsor an amendment"},
		refusal{"pen", icrc, EditText{Para: p1.ID, Version: 1, Start: 0, End: 0, Insert: "X"}, EFORBIDDEN, "an observer cannot edit the text; observers follow the room and, in meetings open to them, ask for the floor and submit written contributions"},
	)
	r.do(chair, CloseReading{})
	// A plenary open to observers: they follow it, but States negotiate
	// and take the floor there.
	r.do(chair, OpenReading{Kind: SecondReading, Meeting: openPlenary})
	r.refuse(
		refusal{"amendment in an open plenary", icrc, amend, EFORBIDDEN, never},
		refusal{"on behalf of a State", icrc, ProposeAmendment{Proposer: "FRA", Op: OpInsert, Para: p1.ID, Version: 1, Start: 4, End: 4, NewText: "Global "}, EFORBIDDEN, never},
		refusal{"floor in a plenary", icrc, AskFloor{Delegation: "ICRC"}, EFORBIDDEN, "observers take the floor in stakeholder consultations and in the meetings of groups and intersessional meetings open to them; meeting pl-2027 (Second plenary session) is a substantive plenary meeting, where States take the floor"},
		refusal{"decision in an open meeting", icrc, TakeDecision{Kind: AgreeAdRef, Para: p1.ID}, EFORBIDDEN, "observers never take part in decisions: an observer cannot take a decision"},
	)
	r.do(chair, CloseReading{})
	// In a stakeholder consultation they take the floor.
	r.do(chair, OpenReading{Kind: FirstReading, Meeting: MeetingRef{ID: "sc", Body: "plenary", Kind: StakeholderConsultation, Title: "Consultation", Admits: StakeholderCategories()}})
	r.refuse(
		refusal{"floor for another", icrc, AskFloor{Delegation: "UNI"}, EFORBIDDEN, "an observer for ICRC cannot ask for the floor for UNI"},
		refusal{"amendment in a consultation", icrc, amend, EFORBIDDEN, never},
	)
	r.do(icrc, AskFloor{Delegation: "ICRC"})
	r.do(chair, NextSpeaker{})
	if s, ok := r.d.CurrentReading().Speaking(); !ok || s.Delegation != "ICRC" {
		t.Fatalf("the observer was not given the floor: %+v", s)
	}
	r.checkReplay()
}

func TestConsensus(t *testing.T) {
	r := newRoom(t, sampleDraft, DraftProgressReport, "plenary")
	p1, p2, p4 := r.para("1"), r.para("2"), r.para("4")
	r.refuse(refusal{"no meeting", chair, TakeDecision{Kind: AgreeAdRef, Para: p2.ID}, ECONFLICT,
		"decisions are taken in a meeting, and no meeting is in session in A/AC.292/2027/CRP.1; open a reading, or use a silence procedure"})
	r.do(chair, OpenReading{Kind: FirstReading, Meeting: informal})
	r.do(chair, ReadParagraph{Para: p2.ID})
	r.refuse(refusal{"informal meeting", chair, TakeDecision{Kind: AgreeAdRef, Para: p2.ID}, ECONFLICT,
		"meeting int (Intersessional) is an intersessional meeting, which is informal and takes no decisions"})
	r.do(chair, CloseReading{})
	r.do(chair, OpenReading{Kind: SecondReading, Meeting: openPlenary})
	r.refuse(
		refusal{"not read", chair, TakeDecision{Kind: AgreeAdRef, Para: p4.ID}, ECONFLICT, "paragraph 4 has not been read yet; a paragraph is agreed after it is read"},
		refusal{"delegate decides", delegate("FRA"), TakeDecision{Kind: AgreeAdRef, Para: p2.ID}, EFORBIDDEN, "a delegate of FRA cannot take a decision; the presiding officer does"},
		refusal{"unknown decision", chair, TakeDecision{Kind: "table", Para: p2.ID}, EINVALID, `kind "table" is not one of agree-ad-ref, adopt-document, accept-amendment`},
	)
	r.do(chair, ReadParagraph{Para: p2.ID})
	r.do(delegate("FRA"), StatePosition{State: "FRA", Para: p2.ID, Kind: Oppose})
	r.do(delegate("CHN"), StatePosition{State: "CHN", Para: p2.ID, Kind: Oppose, Comment: "cannot accept"})
	r.do(delegate("VAT"), StatePosition{State: "VAT", Para: p2.ID, Kind: Oppose}) // an observer State holds no objection
	r.do(delegate("BRA"), StatePosition{State: "BRA", Para: p2.ID, Kind: Reservation})
	r.refuse(refusal{"objections stand", chair, TakeDecision{Kind: AgreeAdRef, Para: p2.ID}, ECONFLICT,
		"no consensus to agree paragraph 2 ad ref: CHN (China) objects to paragraph 2; FRA (France) objects to paragraph 2"})
	// The text changes: the oppositions go stale but still stand.
	r.do(chair, EditText{Para: p2.ID, Version: 1, Start: 0, End: 0, Insert: "All "})
	// A stale objection is shown as stale and still stands: the chair
	// asks the delegation, and sets it aside only by saying so
	// (consulted), on the record.
	r.refuse(refusal{"stale objections stand", chair, TakeDecision{Kind: AgreeAdRef, Para: p2.ID}, ECONFLICT,
		"no consensus to agree paragraph 2 ad ref: CHN (China) objects to paragraph 2 (stated on an earlier text); FRA (France) objects to paragraph 2 (stated on an earlier text) — the chair asks CHN and FRA whether the objection stands on the current text; if not, the decision names them in consulted"},
		refusal{"one consulted, one not", chair, TakeDecision{Kind: AgreeAdRef, Para: p2.ID, Consulted: []StateCode{"CHN"}}, ECONFLICT,
			"no consensus to agree paragraph 2 ad ref: FRA (France) objects to paragraph 2 (stated on an earlier text) — the chair asks FRA whether the objection stands on the current text; if not, the decision names them in consulted"},
		refusal{"consulting someone without a stale objection", chair, TakeDecision{Kind: AgreeAdRef, Para: p2.ID, Consulted: []StateCode{"BRA"}}, EINVALID,
			"consulted: BRA (Brazil) holds no objection stated on an earlier text here"})
	if objs := r.d.ObjectionsTo(p2.ID); len(objs) != 2 || !objs[0].Stale || objs[0].Comment != "cannot accept" {
		t.Errorf("objections = %+v", objs)
	}
	// France restates its objection on the current text: consulting
	// cannot set that aside.
	r.do(delegate("FRA"), StatePosition{State: "FRA", Para: p2.ID, Kind: Oppose})
	r.refuse(refusal{"a current objection", chair, TakeDecision{Kind: AgreeAdRef, Para: p2.ID, Consulted: []StateCode{"CHN", "FRA"}}, ECONFLICT,
		"FRA (France) objects on the current text; the chair sets aside only an objection stated on an earlier text, once the delegation confirms it does not maintain it"})
	r.do(delegate("FRA"), StatePosition{State: "FRA", Para: p2.ID, Withdraw: true})
	evs := r.do(chair, TakeDecision{Kind: AgreeAdRef, Para: p2.ID, Consulted: []StateCode{"CHN"}})
	if p2.Status != StatusAgreedAdRef || len(evs) != 1 || r.d.Decisions[0].Via != ViaConsensus || r.d.Decisions[0].Meeting != "pl-2027" || !slices.Equal(r.d.Decisions[0].Consulted, []StateCode{"CHN"}) {
		t.Fatalf("paragraph 2 is %s; decisions %+v", p2.Status, r.d.Decisions)
	}
	r.do(chair, ReadParagraph{Para: p1.ID})
	r.refuse(
		refusal{"agreed twice", chair, TakeDecision{Kind: AgreeAdRef, Para: p2.ID}, ECONFLICT, "paragraph 2 is already agreed ad ref"},
		refusal{"brackets", chair, TakeDecision{Kind: AgreeAdRef, Para: p1.ID}, ECONFLICT, "paragraph 1 cannot be agreed ad ref while paragraph 1 has 2 brackets"},
		refusal{"amend agreed text", delegate("RUS"), ProposeAmendment{Proposer: "RUS", Op: OpReplace, Para: p2.ID, Version: p2.Version, Start: 0, End: 3, NewText: "Some"}, ECONFLICT,
			"paragraph 2 is agreed ad ref; the chair reopens it before amendments to it are taken"},
		refusal{"reopen pending", chair, ReopenParagraph{Para: p1.ID}, ECONFLICT, "paragraph 1 is under-reading; only a paragraph agreed ad ref can be reopened"},
	)
	// A subparagraph's brackets and amendments hold its paragraph back.
	p3 := r.para("3")
	r.do(chair, ReadParagraph{Para: p3.ID})
	r.refuse(refusal{"subparagraph brackets", chair, TakeDecision{Kind: AgreeAdRef, Para: p3.ID}, ECONFLICT,
		"paragraph 3 cannot be agreed ad ref while paragraph 3 has 1 bracket; paragraph (b) has 2 brackets"})
	// Editing agreed text reopens it; so does the chair.
	r.do(chair, EditText{Para: p2.ID, Version: p2.Version, Start: 0, End: 4, Insert: ""})
	if p2.Status != StatusPending {
		t.Errorf("paragraph 2 after its text changed is %s, want pending", p2.Status)
	}
	r.do(chair, TakeDecision{Kind: AgreeAdRef, Para: p2.ID, Consulted: []StateCode{"CHN"}})
	r.do(chair, ReopenParagraph{Para: p2.ID})
	if p2.Status != StatusPending {
		t.Errorf("paragraph 2 reopened is %s", p2.Status)
	}

	// Accepting an amendment is a consensus decision, whichever command.
	r.do(chair, ReadParagraph{Para: p4.ID})
	s, e := spanOf(t, p4.Text, "noted")
	r.do(delegate("BRA"), ProposeAmendment{Proposer: "BRA", Op: OpReplace, Para: p4.ID, Version: 1, Start: s, End: e, NewText: "welcomed"})
	r.do(delegate("RUS"), StatePosition{State: "RUS", Amendment: "a1", Kind: Oppose})
	r.refuse(
		refusal{"accept over an objection", chair, TakeDecision{Kind: AcceptAmendment, Amendment: "a1"}, ECONFLICT, "no consensus to accept amendment a1: RUS (Russian Federation) objects to amendment a1"},
		refusal{"pen-holder accepts over an objection", chair, DecideAmendment{Amendment: "a1", Outcome: Accepted}, ECONFLICT, "no consensus to accept amendment a1: RUS (Russian Federation) objects to amendment a1"},
		refusal{"accept by rejecting", chair, TakeDecision{Kind: AcceptAmendment, Amendment: "a1", Outcome: Rejected}, EINVALID,
			`outcome "rejected": a decision accepts an amendment (accepted or accepted-as-modified); reject it or bracket it with amendment.decide`},
		refusal{"unknown amendment", chair, TakeDecision{Kind: AcceptAmendment, Amendment: "a9"}, ENOTFOUND, "amendment a9 does not exist in A/AC.292/2027/CRP.1"},
	)
	r.do(delegate("RUS"), StatePosition{State: "RUS", Amendment: "a1", Withdraw: true})
	evs = r.do(chair, TakeDecision{Kind: AcceptAmendment, Amendment: "a1"})
	if got := r.types(evs); !slices.Equal(got, []string{"decision.taken", "amendment.decided", "paragraph.edited"}) {
		t.Errorf("events %v", got)
	}
	if p4.Text != "The Chair welcomed the discussions." {
		t.Errorf("paragraph 4 = %q", p4.Text)
	}
	r.refuse(refusal{"accept twice", chair, TakeDecision{Kind: AcceptAmendment, Amendment: "a1"}, ECONFLICT, "amendment a1 is already accepted"})

	// Agreeing the deletion of a struck-through paragraph removes it.
	r.do(chair, DeleteParagraph{Para: p4.ID})
	r.do(delegate("IND"), StatePosition{State: "IND", Para: p4.ID, Kind: Oppose})
	r.refuse(refusal{"deletion opposed", chair, TakeDecision{Kind: AgreeAdRef, Para: p4.ID}, ECONFLICT, "no consensus to agree the deletion of paragraph 4: IND (India) objects to paragraph 4"})
	r.do(delegate("IND"), StatePosition{State: "IND", Para: p4.ID, Withdraw: true})
	evs = r.do(chair, TakeDecision{Kind: AgreeAdRef, Para: p4.ID})
	if got := r.types(evs); !slices.Equal(got, []string{"decision.taken", "paragraph.removed"}) || !p4.Removed {
		t.Errorf("deletion agreed: events %v, removed %v", got, p4.Removed)
	}
	r.checkReplay()
}

func TestAdoption(t *testing.T) {
	r := newRoom(t, shortDraft, DraftProgressReport, "plenary")
	p1, p2 := r.para("1"), r.para("2")
	r.do(chair, OpenReading{Kind: FirstReading, Meeting: openPlenary})
	r.do(chair, CloseReading{})
	r.do(chair, OpenReading{Kind: SecondReading, Meeting: openPlenary})
	r.refuse(refusal{"brackets remain", chair, TakeDecision{Kind: AdoptDocument}, ECONFLICT,
		"A/AC.292/2027/L.1 cannot be adopted with 1 thing still open: paragraph 2 has 1 bracket"})
	r.do(chair, ClearBrackets{Para: p2.ID, Version: 1, Index: 0})
	r.do(delegate("FRA"), StatePosition{State: "FRA", Para: p1.ID, Kind: Oppose})
	r.do(delegate("EU"), StatePosition{State: "EU", Para: p2.ID, Kind: Oppose})
	r.do(delegate("EU"), StatePosition{State: "EU", Para: p1.ID, Kind: Oppose})
	r.refuse(refusal{"objections", chair, TakeDecision{Kind: AdoptDocument}, ECONFLICT,
		"no consensus to adopt A/AC.292/2027/L.1: EU (European Union and its member States) objects to paragraph 1 and paragraph 2; FRA (France) objects to paragraph 1"})
	r.do(delegate("FRA"), StatePosition{State: "FRA", Para: p1.ID, Withdraw: true})
	r.do(delegate("EU"), StatePosition{State: "EU", Para: p1.ID, Kind: Support})
	r.do(delegate("EU"), StatePosition{State: "EU", Para: p2.ID, Kind: Flexible})
	r.do(at2("2027-07-09T17:00"), TakeDecision{Kind: AdoptDocument})
	if !r.d.Adopted.Equal(at("2027-07-09T17:00")) || p1.Status != StatusAdopted || p2.Status != StatusAdopted {
		t.Fatalf("adopted %v; statuses %s %s", r.d.Adopted, p1.Status, p2.Status)
	}
	r.do(delegate("EU"), StatePosition{State: "EU", Para: p2.ID, Kind: Dissociation, Comment: "The European Union dissociates itself from paragraph 2."})
	r.do(delegate("RUS"), ExplainPosition{State: "RUS", Text: "The Russian Federation joined the consensus."})
	r.refuse(
		refusal{"adopt twice", chair, TakeDecision{Kind: AdoptDocument}, ECONFLICT, "A/AC.292/2027/L.1 was already adopted on 9 July 2027"},
		refusal{"edit adopted text", chair, EditText{Para: p1.ID, Version: 1, Start: 0, End: 0, Insert: "X"}, ECONFLICT,
			"A/AC.292/2027/L.1 was adopted on 9 July 2027; its text no longer changes (a delegation may still dissociate from a paragraph or explain its position)"},
		refusal{"amend adopted text", delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpDeleteParagraph, Para: p1.ID}, ECONFLICT,
			"A/AC.292/2027/L.1 was adopted on 9 July 2027; its text no longer changes (a delegation may still dissociate from a paragraph or explain its position)"},
		refusal{"no consensus after adoption", chair, RecordNoConsensus{}, ECONFLICT, "A/AC.292/2027/L.1 was adopted on 9 July 2027"},
	)
	r.refuse(
		refusal{"agree adopted text", chair, TakeDecision{Kind: AgreeAdRef, Para: p1.ID}, ECONFLICT, "paragraph 1 is already adopted"},
		refusal{"adoption names a paragraph", chair, TakeDecision{Kind: AdoptDocument, Para: p1.ID}, EINVALID, "a decision to adopt the document names no paragraph or amendment"},
		refusal{"observer State explains", delegate("VAT"), ExplainPosition{State: "VAT", Text: "x"}, EINVALID, `"VAT" is not a Member State or negotiating group`},
		refusal{"empty explanation", delegate("RUS"), ExplainPosition{State: "RUS"}, EINVALID, "text of the explanation is required"},
	)
	r.do(chair, CloseReading{})
	r.refuse(refusal{"read adopted text", chair, OpenReading{Kind: SecondReading, Meeting: openPlenary}, ECONFLICT, "A/AC.292/2027/L.1 was adopted on 9 July 2027; there is nothing left to read"})
	r.do(secretary, IssueRevision{Kind: Final, Symbol: "A/79/100"})
	r.checkReplay()

	// A group's document is read, and adopted, in the group's meetings.
	g := newRoom(t, "# Recommendations\n<!-- symbol: A/AC.292/2027/WG.1 -->\n\n1. States agreed.\n", Recommendations, "il")
	g.refuse(refusal{"wrong body", viceChair("il"), OpenReading{Kind: FirstReading, Meeting: openPlenary}, EINVALID,
		"meeting pl-2027 (Second plenary session) is a meeting of body plenary; A/AC.292/2027/WG.1 is a document of body il and is read in its meetings (a group's agreed text goes to the plenary's report with section.takein)"},
		refusal{"another process", viceChair("il"), OpenReading{Kind: FirstReading, Meeting: MeetingRef{ID: "x", Process: "oewg", Body: "il", Kind: GroupMeeting}}, EINVALID,
			"meeting x is a meeting of oewg; A/AC.292/2027/WG.1 is a document of gm and is read in its meetings"})
}

func TestSilence(t *testing.T) {
	r := newRoom(t, shortDraft, DraftProgressReport, "plenary")
	p1, p2 := r.para("1"), r.para("2")
	r.refuse(refusal{"brackets", chair, OpenSilence{}, ECONFLICT, "A/AC.292/2027/L.1 cannot be adopted with 1 thing still open: paragraph 2 has 1 bracket"})
	r.do(chair, ClearBrackets{Para: p2.ID, Version: 1, Index: 0})
	r.refuse(
		refusal{"too short", chair, OpenSilence{Deadline: t0.Add(24 * time.Hour)}, EINVALID,
			"a silence procedure runs at least 72 hours, until 4 March 2027, 10:00 UTC; to shorten it to 2 March 2027, 10:00 UTC the chair states why (shorten)"},
		refusal{"in the past", chair, OpenSilence{Deadline: t0.Add(-24 * time.Hour), Shorten: "urgent"}, EINVALID, "the deadline (28 February 2027, 10:00 UTC) must be after now (1 March 2027, 10:00 UTC)"},
		refusal{"delegate opens", delegate("FRA"), OpenSilence{}, EFORBIDDEN, "a delegate of FRA cannot open a silence procedure; the presiding officer does"},
		refusal{"nothing to break", delegate("FRA"), BreakSilence{State: "FRA"}, ECONFLICT, "no silence procedure is open on A/AC.292/2027/L.1"},
		refusal{"nothing to close", chair, CloseSilence{}, ECONFLICT, "no silence procedure is open on A/AC.292/2027/L.1"},
	)
	// Default: 72 hours.
	r.do(chair, OpenSilence{})
	s := r.d.CurrentSilence()
	if s == nil || !s.Deadline.Equal(t0.Add(72*time.Hour)) || s.Shortened != "" {
		t.Fatalf("silence = %+v", s)
	}
	r.do(delegateAt("IND", "2027-03-02T09:00"), ExplainPosition{State: "IND", Para: p1.ID, Text: "India understands paragraph 1 to refer to the second session."})
	r.refuse(
		refusal{"twice", chair, OpenSilence{}, ECONFLICT, "a silence procedure on A/AC.292/2027/L.1 is already open until 4 March 2027, 10:00 UTC"},
		refusal{"text frozen", chair, EditText{Para: p1.ID, Version: 1, Start: 0, End: 0, Insert: "X"}, ECONFLICT,
			"A/AC.292/2027/L.1 is under a silence procedure until 4 March 2027, 10:00 UTC: its text cannot change; a delegation that objects breaks the silence"},
		refusal{"close early", at2("2027-03-02T10:00"), CloseSilence{}, ECONFLICT, "the silence procedure on A/AC.292/2027/L.1 runs until 4 March 2027, 10:00 UTC; it is now 2 March 2027, 10:00 UTC"},
		refusal{"observer State breaks", delegate("VAT"), BreakSilence{State: "VAT"}, EINVALID, `"VAT" is not a Member State or negotiating group; only they break a silence procedure`},
		refusal{"break for another", delegate("FRA"), BreakSilence{State: "DEU"}, EFORBIDDEN, "a delegate of FRA cannot break a silence procedure for DEU"},
		refusal{"no consensus while silent", chair, RecordNoConsensus{}, ECONFLICT, "a silence procedure on A/AC.292/2027/L.1 is open until 4 March 2027, 10:00 UTC; it decides first"},
		refusal{"gavel while silent", chair, TakeDecision{Kind: AgreeAdRef, Para: p1.ID}, ECONFLICT, "A/AC.292/2027/L.1 is under a silence procedure until 4 March 2027, 10:00 UTC; the procedure decides it"},
	)
	r.do(delegateAt("RUS", "2027-03-03T12:00"), BreakSilence{State: "RUS", Explanation: "The Russian Federation breaks silence: paragraph 2 is not acceptable."})
	if s.Status != SilenceStatusBroken || s.BrokenBy != "RUS" || r.d.CurrentSilence() != nil {
		t.Fatalf("silence after objection: %+v", s)
	}
	if x := r.d.Explanations[0]; x.Silence != 1 || x.State != "IND" {
		t.Errorf("explanation %+v", x)
	}

	// A second procedure, broken by an opposition stated on the text.
	r.do(at2("2027-03-05T10:00"), OpenSilence{})
	evs := r.do(delegateAt("CHN", "2027-03-06T10:00"), StatePosition{State: "CHN", Para: p1.ID, Kind: Oppose, Comment: "China objects."})
	if got := r.types(evs); !slices.Equal(got, []string{"position.stated", "silence.broken"}) {
		t.Fatalf("events %v", got)
	}
	// The opposition stands: no new procedure until it is lifted.
	r.refuse(refusal{"objection stands", at2("2027-03-07T10:00"), OpenSilence{}, ECONFLICT, "no consensus to adopt A/AC.292/2027/L.1: CHN (China) objects to paragraph 1"})
	r.do(delegateAt("CHN", "2027-03-07T10:00"), StatePosition{State: "CHN", Para: p1.ID, Withdraw: true})

	// A third, shortened by the chair with a reason, passes unbroken.
	r.do(at2("2027-03-08T10:00"), OpenSilence{Deadline: at("2027-03-09T10:00"), Shorten: "the report must reach the General Assembly before its deadline"})
	r.refuse(
		refusal{"break after the deadline", delegateAt("RUS", "2027-03-09T11:00"), BreakSilence{State: "RUS"}, ECONFLICT,
			"the silence procedure on A/AC.292/2027/L.1 ended at 9 March 2027, 10:00 UTC; it is now 9 March 2027, 11:00 UTC"},
		refusal{"oppose after the deadline", delegateAt("RUS", "2027-03-09T11:00"), StatePosition{State: "RUS", Para: p1.ID, Kind: Oppose}, ECONFLICT,
			"the silence procedure on A/AC.292/2027/L.1 ended at 9 March 2027, 10:00 UTC without objection and awaits closing; positions on that text are no longer taken"},
	)
	// Support during the silence breaks nothing.
	r.do(delegateAt("BRA", "2027-03-08T12:00"), StatePosition{State: "BRA", Para: p1.ID, Kind: Support})
	evs = r.do(Context{Now: at("2027-03-09T12:00"), Actor: Actor{Person: "system", Role: RoleSystem}}, CloseSilence{})
	if got := r.types(evs); !slices.Equal(got, []string{"silence.closed", "decision.taken"}) {
		t.Fatalf("events %v", got)
	}
	if !r.d.Adopted.Equal(at("2027-03-09T10:00")) {
		t.Errorf("adopted at %v, want the deadline", r.d.Adopted)
	}
	last := r.d.Decisions[len(r.d.Decisions)-1]
	if last.Via != ViaSilence || last.Silence != 3 || last.By != "chair" {
		t.Errorf("decision %+v", last)
	}
	if s := r.d.Silences[2]; s.Status != SilenceStatusPassed || s.Shortened == "" {
		t.Errorf("silence %+v", s)
	}
	r.checkReplay()
}

func TestSilenceOnParagraph(t *testing.T) {
	r := newRoom(t, sampleDraft, DraftProgressReport, "plenary")
	p2, p4 := r.para("2"), r.para("4")
	r.refuse(refusal{"not read", chair, OpenSilence{Para: p2.ID}, ECONFLICT, "paragraph 2 has not been read yet; a paragraph is agreed after it is read"})
	r.do(chair, OpenReading{Kind: FirstReading, Meeting: openPlenary})
	r.do(chair, ReadParagraph{Para: p2.ID})
	r.do(chair, CloseReading{})
	r.do(chair, OpenSilence{Para: p2.ID})
	r.do(chair, EditText{Para: p4.ID, Version: 1, Start: 0, End: 0, Insert: "Finally, "}) // other text may change
	r.refuse(
		refusal{"text under silence", chair, EditText{Para: p2.ID, Version: 1, Start: 0, End: 0, Insert: "X"}, ECONFLICT,
			"paragraph 2 is under a silence procedure until 4 March 2027, 10:00 UTC: its text cannot change; a delegation that objects breaks the silence"},
		refusal{"amend under silence", delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpDeleteParagraph, Para: p2.ID}, ECONFLICT,
			"paragraph 2 is under a silence procedure until 4 March 2027, 10:00 UTC: its text cannot change; a delegation that objects breaks the silence"},
	)
	r.do(chair, OpenReading{Kind: SecondReading, Meeting: openPlenary})
	r.refuse(refusal{"gavel while silent", chair, TakeDecision{Kind: AgreeAdRef, Para: p2.ID}, ECONFLICT,
		"paragraph 2 is under a silence procedure until 4 March 2027, 10:00 UTC; the procedure decides it"})
	r.do(chair, ReadParagraph{Para: p4.ID})
	r.do(chair, TakeDecision{Kind: AgreeAdRef, Para: p4.ID}) // other paragraphs are decided in the meeting
	r.do(chair, CloseReading{})
	// An opposition elsewhere does not break it.
	evs := r.do(delegate("CHN"), StatePosition{State: "CHN", Para: p4.ID, Kind: Oppose})
	if len(evs) != 1 {
		t.Fatalf("an opposition to another paragraph broke the silence: %v", r.types(evs))
	}
	r.do(at2("2027-03-04T10:00"), CloseSilence{})
	if p2.Status != StatusAgreedAdRef {
		t.Fatalf("paragraph 2 is %s, want agreed-ad-ref", p2.Status)
	}
	r.checkReplay()
}

func TestChairsSummary(t *testing.T) {
	report := newRoom(t, shortDraft, DraftProgressReport, "plenary")
	sum := newRoom(t, "# Chair's summary\n<!-- symbol: A/AC.292/2027/CRP.2 -->\n\n1. The Chair notes that views differed on the report.\n\n2. [Some] States called for further work.\n", ChairsSummary, "plenary")
	p2 := sum.para("2")
	sum.refuse(
		refusal{"not adopted by consensus", chair, TakeDecision{Kind: AdoptDocument}, ECONFLICT,
			"A/AC.292/2027/CRP.2 is a Chair's summary, issued under the chair's own responsibility; it is not adopted by consensus"},
		refusal{"no silence either", chair, OpenSilence{}, ECONFLICT,
			"A/AC.292/2027/CRP.2 is a Chair's summary, issued under the chair's own responsibility; it is not adopted by consensus"},
		refusal{"not read", chair, OpenReading{Kind: FirstReading, Meeting: openPlenary}, ECONFLICT,
			"A/AC.292/2027/CRP.2 is a Chair's summary, issued under the chair's own responsibility; it is not read or negotiated"},
		refusal{"brackets", chair, IssueChairsSummary{Report: "d1"}, ECONFLICT, "a Chair's summary is the chair's own text, with nothing left open, yet paragraph 2 has 1 bracket"},
		refusal{"no consensus on a summary", chair, RecordNoConsensus{}, ECONFLICT, "A/AC.292/2027/CRP.2 is a Chair's summary, which needs no consensus"},
	)
	sum.do(chair, ClearBrackets{Para: p2.ID, Version: 1, Index: 0, Drop: true})
	// Objections do not stop it: no consensus is needed.
	sum.do(delegate("USA"), StatePosition{State: "USA", Para: p2.ID, Kind: Oppose})
	report.do(chair, RecordNoConsensus{Summary: "d1", Note: "Consensus could not be reached on paragraph 2."})
	sum.do(chair, IssueChairsSummary{Report: "d1"})
	if sum.d.Summary == nil || sum.d.Summary.Statement != ChairsSummaryStatement || sum.d.Summary.Report != "d1" {
		t.Fatalf("summary %+v", sum.d.Summary)
	}
	sum.refuse(
		refusal{"issued twice", chair, IssueChairsSummary{}, ECONFLICT, "the Chair's summary A/AC.292/2027/CRP.2 was already issued on 1 March 2027"},
		refusal{"text fixed", chair, EditText{Para: p2.ID, Version: p2.Version, Start: 0, End: 0, Insert: "X"}, ECONFLICT, "the Chair's summary A/AC.292/2027/CRP.2 was issued on 1 March 2027; its text no longer changes"},
		refusal{"delegate issues", delegate("FRA"), IssueChairsSummary{}, EFORBIDDEN, "a delegate of FRA cannot issue a Chair's summary; the presiding officer does"},
	)
	report.refuse(
		refusal{"a report is no summary", chair, IssueChairsSummary{}, ECONFLICT, "A/AC.292/2027/L.1 is a draft-progress-report; a Chair's summary is a document of type chairs-summary"},
		refusal{"closed report", chair, OpenSilence{}, ECONFLICT, "A/AC.292/2027/L.1 was closed without adoption on 1 March 2027"},
		refusal{"closed twice", chair, RecordNoConsensus{}, ECONFLICT, "A/AC.292/2027/L.1 was already closed without adoption on 1 March 2027"},
	)
	sum.checkReplay()
	report.checkReplay()
}

const groupDraft = `# Recommendations of the dedicated thematic group on capacity-building
<!-- symbol: A/AC.292/2027/WG.3 -->

## Recommendations

1. States recommend a voluntary fund.

2. States recommend the following:
    (a) a needs-mapping survey;
    (b) a roundtable every two years.
`

func TestTakeInSection(t *testing.T) {
	g := newRoom(t, groupDraft, Recommendations, "cb")
	g1, g2 := g.para("1"), g.para("2")
	vc := viceChair("cb")
	g.do(vc, OpenReading{Kind: FirstReading, Meeting: MeetingRef{ID: "cb-1", Body: "cb", Kind: GroupMeeting, Title: "Capacity-building"}})
	g.do(vc, ReadParagraph{Para: g1.ID})
	g.do(vc, ReadParagraph{Para: g2.ID})
	g.do(vc, TakeDecision{Kind: AgreeAdRef, Para: g1.ID})

	r := newRoom(t, sampleDraft, DraftProgressReport, "plenary")
	take := TakeInSection{From: "cb-recs", Body: "cb", Outline: g.d.Outline(), Heading: "Recommendations of the group on capacity-building"}
	r.refuse(
		refusal{"pending text", chair, take, ECONFLICT, "paragraph 2 of A/AC.292/2027/WG.3 is under-reading; only text the group agreed (agreed ad ref or adopted) is taken in"},
		refusal{"unknown section", chair, TakeInSection{From: "cb-recs", Outline: g.d.Outline(), Heading: "X", Sections: []SectionID{"s9"}}, ENOTFOUND, "section s9 is not in the outline of A/AC.292/2027/WG.3"},
		refusal{"delegate", delegate("FRA"), take, EFORBIDDEN, "a delegate of FRA cannot take a group's text in; the presiding officer does"},
		refusal{"no heading", chair, TakeInSection{From: "cb-recs", Outline: g.d.Outline()}, EINVALID, "heading is required"},
		refusal{"nothing to take", chair, TakeInSection{From: "cb-recs", Outline: Outline{Symbol: "X"}, Heading: "H"}, EINVALID, "the outline of X has no paragraphs to take in"},
	)
	g.do(vc, TakeDecision{Kind: AgreeAdRef, Para: g2.ID})
	take.Outline = g.d.Outline()
	bracketed := g.d.Outline()
	bracketed.Sections[0].Paras[0].Text = "States [recommend] a fund."
	deep := g.d.Outline()
	deep.Sections[0].Paras[1].Children[0].Children = []OutlineParagraph{{ID: "x", Number: "(i)", Status: StatusAgreedAdRef, Text: "i",
		Children: []OutlineParagraph{{ID: "y", Status: StatusAgreedAdRef, Text: "too deep"}}}}
	huge := Outline{Symbol: "BIG", Sections: []OutlineSection{{}}}
	for i := 0; i < MaxParagraphs; i++ {
		huge.Sections[0].Paras = append(huge.Sections[0].Paras, OutlineParagraph{Status: StatusAgreedAdRef, Text: "x"})
	}
	r.refuse(
		refusal{"own text", chair, TakeInSection{From: "d1", Outline: take.Outline, Heading: "H"}, EINVALID, "a document cannot take its own text in"},
		refusal{"brackets in agreed text", chair, TakeInSection{From: "cb-recs", Outline: bracketed, Heading: "H"}, ECONFLICT, "paragraph 1 of A/AC.292/2027/WG.3 still has brackets; only agreed text is taken in"},
		refusal{"too deep", chair, TakeInSection{From: "cb-recs", Outline: deep, Heading: "H"}, EINVALID, "paragraph (i) of A/AC.292/2027/WG.3: subparagraphs nest two levels deep at most"},
		refusal{"unknown place", chair, TakeInSection{From: "cb-recs", Outline: take.Outline, Heading: "H", After: "s99"}, ENOTFOUND, "section s99 does not exist in A/AC.292/2027/CRP.1"},
		refusal{"too many paragraphs", chair, TakeInSection{From: "big", Outline: huge, Heading: "H"}, EINVALID, "the document has 6 paragraphs and would have 20006; the limit is 20000"},
	)
	evs := r.do(secretary, take)
	if got := r.types(evs); !slices.Equal(got, []string{"section.added", "paragraph.added", "paragraph.added", "paragraph.added", "paragraph.added"}) {
		t.Fatalf("events %v", got)
	}
	last := r.d.Sections[len(r.d.Sections)-1]
	if last.Heading != take.Heading || last.Source == nil || last.Source.Document != "cb-recs" || last.Source.Symbol != "A/AC.292/2027/WG.3" {
		t.Fatalf("section %+v", last)
	}
	var got []string
	for _, id := range last.Paras {
		p := r.d.Paragraphs[id]
		got = append(got, r.d.Number(p)+" "+p.Text)
		for _, c := range p.Children {
			got = append(got, r.d.Number(r.d.Paragraphs[c])+" "+r.d.Paragraphs[c].Text)
		}
		if p.Status != StatusNotRead {
			t.Errorf("taken-in paragraph is %s; the plenary has not read it", p.Status)
		}
	}
	want := []string{"5 States recommend a voluntary fund.", "6 States recommend the following:", "(a) a needs-mapping survey;", "(b) a roundtable every two years."}
	if !slices.Equal(got, want) {
		t.Errorf("taken in:\n%q\nwant\n%q", got, want)
	}
	// Taken in the middle, the paragraphs are numbered bis, ter… until a
	// revision renumbers.
	take.After = r.d.Sections[0].ID
	r.do(secretary, take)
	mid := r.d.Sections[1]
	if mid.Source == nil {
		t.Fatalf("second section taken in is not after the first: %+v", r.d.Sections)
	}
	var nums []string
	for _, id := range mid.Paras {
		nums = append(nums, r.d.Number(r.d.Paragraphs[id]))
	}
	if !slices.Equal(nums, []string{"2 bis", "2 ter"}) {
		t.Errorf("numbers %v, want 2 bis, 2 ter", nums)
	}
	r.do(secretary, IssueRevision{Kind: ZeroDraft})
	if n := r.d.Number(r.d.Paragraphs[mid.Paras[1]]); n != "4" {
		t.Errorf("after the revision, 2 ter is %q, want 4", n)
	}
	r.checkReplay()
	g.checkReplay()
}

// TestSpeakersList: a member State speaks on behalf of its group, a right
// of reply waits until the speakers' list is exhausted, and the chair sets
// the speaking time (issue 17).
func TestSpeakersList(t *testing.T) {
	r := newRoom(t, sampleDraft, DraftProgressReport, "plenary")
	r.do(chair, OpenReading{Kind: FirstReading, Meeting: openPlenary})
	r.do(delegate("RUS"), AskFloor{Delegation: "RUS", Reply: true})
	r.do(delegate("EGY"), AskFloor{Delegation: "EGY", OnBehalf: "G77"})
	r.do(delegate("FRA"), AskFloor{Delegation: "FRA", OnBehalf: "EU"})
	r.refuse(
		refusal{"not a member", delegate("USA"), AskFloor{Delegation: "USA", OnBehalf: "EU"}, EFORBIDDEN, "USA (United States of America) is not a member of the European Union and its member States and cannot speak on its behalf"},
		refusal{"not a group", delegate("CHN"), AskFloor{Delegation: "CHN", OnBehalf: "BRICS"}, EINVALID, `onBehalf: "BRICS" is not a negotiating group (EU, G77, AG)`},
		refusal{"itself", delegate("EU"), AskFloor{Delegation: "EU", OnBehalf: "EU"}, EINVALID, "onBehalf: EU speaks for itself; onBehalf names the group a member State speaks for"},
		refusal{"too long", chair, SetSpeakingTime{Seconds: 7200}, EINVALID, "seconds: a speaking time is from 0 (no limit) to 3600 seconds, not 7200"},
		refusal{"a delegate", delegate("FRA"), SetSpeakingTime{Seconds: 60}, EFORBIDDEN, "a delegate of FRA cannot set the speaking time; the presiding officer does"},
	)
	r.do(chair, SetSpeakingTime{Seconds: 180, ReplySeconds: 60})
	r.do(chair, NextSpeaker{}) // EGY for the G77, ahead of RUS's reply
	r.do(chair, NextSpeaker{}) // FRA for the EU
	r.do(chair, NextSpeaker{}) // RUS, in reply
	rd := r.d.CurrentReading()
	if rd.SpeakingTime != 180 || rd.ReplyTime != 60 {
		t.Errorf("speaking time %d, reply %d", rd.SpeakingTime, rd.ReplyTime)
	}
	var got []string
	for _, s := range rd.Speakers {
		got = append(got, fmt.Sprintf("%s/%s/%v", s.Delegation, s.OnBehalf, s.Reply))
	}
	if want := []string{"EGY/G77/false", "FRA/EU/false", "RUS//true"}; !slices.Equal(got, want) {
		t.Errorf("speakers %v, want %v", got, want)
	}
	r.checkReplay()
}
