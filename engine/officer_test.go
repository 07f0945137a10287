package engine

import (
	"testing"
)

// TestPresidingIsAnOffice: every presiding act in a room is checked against
// the holder of the seat that presides over the document's body at the
// moment of the act, and the refusal names who holds it. A "chair" label
// on a person confers nothing.
func TestPresidingIsAnOffice(t *testing.T) {
	r := newRoom(t, sampleDraft, DraftProgressReport, "plenary")
	p1, p2 := r.para("1"), r.para("2")
	impostor := Context{Now: t0, Actor: Actor{Person: "impostor", Role: RoleChair}, Offices: testOffices}
	officer := Context{Now: t0, Actor: Actor{Person: "impostor", Role: RoleOfficer}, Offices: testOffices}
	vcIL := viceChair("il")
	noOffices := chair
	noOffices.Offices = nil
	otherProcess := chair
	otherProcess.Offices = &Offices{Process: "oewg", Bodies: testOffices.Bodies, Officers: testOffices.Officers}
	held := "A/AC.292/2027/CRP.1 is a document of plenary (Plenary), presided over on 2027-07-05 by chair, A. Chair (Kenya) [chair]"
	open := OpenReading{Kind: FirstReading, Meeting: MeetingRef{ID: "pl-2027", Process: "gm", Body: "plenary", Kind: SubstantivePlenary, Title: "Second plenary session",
		Start: at("2027-07-05T10:00"), End: at("2027-07-09T18:00"), Admits: StakeholderCategories()}}
	r.refuse(
		refusal{"an unelected chair", impostor, open, EFORBIDDEN, "impostor cannot open a reading: " + held},
		refusal{"an officer holding no seat", officer, open, EFORBIDDEN, "impostor cannot open a reading: " + held},
		refusal{"a vice-chair outside their group", vcIL, open, EFORBIDDEN, "vc-il cannot open a reading: " + held},
		refusal{"no record of offices", noOffices, open, EFORBIDDEN, "who holds office in gm is not known, so chair cannot open a reading in A/AC.292/2027/CRP.1; the offices of the process go with every command"},
		refusal{"the offices of another process", otherProcess, open, EFORBIDDEN, "who holds office in gm is not known, so chair cannot open a reading in A/AC.292/2027/CRP.1; the offices of the process go with every command"},
		refusal{"a meeting after the chair's term", chair, OpenReading{Kind: FirstReading, Meeting: MeetingRef{ID: "pl-2031", Process: "gm", Body: "plenary", Kind: SubstantivePlenary, Start: at("2031-07-07T10:00")}}, EFORBIDDEN,
			"chair cannot open a reading: A/AC.292/2027/CRP.1 is a document of plenary (Plenary), presided over by the chair, and no one holds that seat on 2031-07-07; elect one first"},
	)
	r.do(chair, open)
	r.do(chair, ReadParagraph{Para: p2.ID})
	r.do(chair, CloseReading{})
	r.do(chair, OpenReading{Kind: SecondReading, Meeting: open.Meeting})
	r.do(chair, ReadParagraph{Para: p1.ID})
	r.do(chair, AskFloor{Delegation: "FRA"})
	// Every presiding act, by someone who does not hold the seat.
	for _, c := range []struct {
		what string
		cmd  DocumentCommand
	}{
		{"move the reading pointer", ReadParagraph{Para: p2.ID}},
		{"close a reading", CloseReading{}},
		{"reopen a paragraph", ReopenParagraph{Para: p2.ID}},
		{"give the floor", NextSpeaker{}},
		{"give the floor", GiveFloor{Delegation: "FRA"}},
		{"put text in brackets", AddBrackets{Para: p2.ID, Version: p2.Version, Start: 0, End: 6, By: []StateCode{"CHN"}}},
		{"clear brackets", ClearBrackets{Para: p1.ID, Version: p1.Version, Index: 0}},
		{"edit the text", EditText{Para: p2.ID, Version: p2.Version, Start: 0, End: 0, Insert: "x"}},
		{"take a decision", TakeDecision{Kind: AgreeAdRef, Para: p2.ID}},
		{"open a silence procedure", OpenSilence{Para: p2.ID, Deadline: at("2027-03-05T10:00")}},
		{"record that consensus failed", RecordNoConsensus{Summary: "s"}},
	} {
		r.refuse(refusal{c.what + " (unelected)", impostor, c.cmd, EFORBIDDEN, "impostor cannot " + c.what + ": " + held},
			refusal{c.what + " (vice-chair)", vcIL, c.cmd, EFORBIDDEN, "vc-il cannot " + c.what + ": " + held})
	}
	r.do(chair, AddBrackets{Para: p2.ID, Version: p2.Version, Start: 0, End: 6, By: []StateCode{"CHN"}})
	r.checkReplay()

	// In a group's document the vice-chair of that group presides, not
	// the chair nor another group's vice-chair.
	g := newRoom(t, "# Recommendations\n<!-- symbol: A/AC.292/2027/WG.1 -->\n\n1. States agreed.\n", Recommendations, "il")
	ilMeeting := OpenReading{Kind: FirstReading, Meeting: MeetingRef{ID: "il-1", Process: "gm", Body: "il", Kind: GroupMeeting, Title: "International law", Start: at("2027-04-12T10:00")}}
	g.refuse(
		refusal{"the chair in a group", chair, ilMeeting, EFORBIDDEN, "chair cannot open a reading: A/AC.292/2027/WG.1 is a document of il (International law), presided over on 2027-04-12 by vice-chair, B. Vice (Mexico) [vc-il]"},
		refusal{"another group's vice-chair", viceChair("cb"), ilMeeting, EFORBIDDEN, "vc-cb cannot open a reading: A/AC.292/2027/WG.1 is a document of il (International law), presided over on 2027-04-12 by vice-chair, B. Vice (Mexico) [vc-il]"},
	)
	g.do(vcIL, ilMeeting)

	// The moment is the meeting's start: the term of the vice-chair ends
	// on 2028-03-23, so a meeting after it has no one presiding, whatever
	// the day the command is sent.
	g.do(vcIL, CloseReading{})
	late := OpenReading{Kind: SecondReading, Meeting: MeetingRef{ID: "il-2", Process: "gm", Body: "il", Kind: GroupMeeting, Title: "International law", Start: at("2028-04-10T10:00")}}
	g.refuse(refusal{"after the term", vcIL, late, EFORBIDDEN,
		"vc-il cannot open a reading: A/AC.292/2027/WG.1 is a document of il (International law), presided over by the vice-chair or co-chairs of il (International law), and no one holds that seat on 2028-04-10; elect one first"})

	// A substitute presides from the day their term begins; the officer
	// replaced no longer does.
	subst := *testOffices
	subst.Officers = append([]Officer(nil), testOffices.Officers...)
	subst.Officers[0].Left, subst.Officers[0].SubstitutedBy = at("2027-05-01"), "chair-sub"
	subst.Officers = append(subst.Officers, Officer{Seat: Seat{Role: RoleChair}, Person: "chair-sub", Name: "D. Substitute", State: "NGA", TermStart: at("2027-05-01"), TermEnd: at("2030-03-23"), Replaces: "chair"})
	s := newRoom(t, shortDraft, DraftProgressReport, "plenary")
	old, sub := chair, Context{Now: t0, Actor: Actor{Person: "chair-sub", Role: RoleChair}, Offices: &subst}
	old.Offices = &subst
	s.refuse(refusal{"the substituted chair", old, open, EFORBIDDEN,
		"chair cannot open a reading: A/AC.292/2027/L.1 is a document of plenary (Plenary), presided over on 2027-07-05 by chair, D. Substitute (Nigeria) [chair-sub]"})
	s.do(sub, open)

	// A process that has ended: its last officers close its business (a
	// Chair's summary issued after the end).
	ended := *testOffices
	ended.End = at("2029-07-01")
	sum := newRoom(t, "# Chair's summary\n<!-- symbol: A/AC.292/2029/CRP.2 -->\n\n1. The Chair notes that views differed.\n", ChairsSummary, "plenary")
	afterEnd := Context{Now: at("2031-01-10"), Actor: chair.Actor, Offices: &ended}
	sum.refuse(refusal{"a delegate", delegate("FRA"), IssueChairsSummary{}, EFORBIDDEN, "a delegate of FRA cannot issue a Chair's summary; the presiding officer does"})
	sum.do(afterEnd, IssueChairsSummary{})

	// A document outside any process has no seat: whoever may hold office
	// presides.
	free := &roomRun{t: t, d: NewDocument()}
	draft, _, _ := ImportDraft(shortDraft)
	free.do(secretary, CreateDocument{ID: "free", Draft: draft})
	free.do(officer, AddBrackets{Para: free.para("1").ID, Version: 1, Start: 0, End: 3, By: []StateCode{"CHN"}})
}
