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
	held := "A/AC.292/2027/CRP.1 is a document of plenary (Plenary), presided over on 5 July 2027 by chair, A. Chair (Kenya) [chair]"
	open := OpenReading{Kind: FirstReading, Meeting: MeetingRef{ID: "pl-2027", Process: "gm", Body: "plenary", Kind: SubstantivePlenary, Title: "Second plenary session",
		Start: at("2027-07-05T10:00"), End: at("2027-07-09T18:00"), Admits: StakeholderCategories()}}
	r.refuse(
		refusal{"an unelected chair", impostor, open, EFORBIDDEN, "impostor cannot open a reading: " + held},
		refusal{"an officer holding no seat", officer, open, EFORBIDDEN, "impostor cannot open a reading: " + held},
		refusal{"a vice-chair outside their group", vcIL, open, EFORBIDDEN, "vc-il cannot open a reading: " + held},
		refusal{"no record of offices", noOffices, open, EFORBIDDEN, "who holds office in gm is not known, so chair cannot open a reading in A/AC.292/2027/CRP.1; the offices of the process go with every command"},
		refusal{"the offices of another process", otherProcess, open, EFORBIDDEN, "who holds office in gm is not known, so chair cannot open a reading in A/AC.292/2027/CRP.1; the offices of the process go with every command"},
		refusal{"a meeting after the chair's term", chair, OpenReading{Kind: FirstReading, Meeting: MeetingRef{ID: "pl-2031", Process: "gm", Body: "plenary", Kind: SubstantivePlenary, Start: at("2031-07-07T10:00")}}, EFORBIDDEN,
			"chair cannot open a reading: A/AC.292/2027/CRP.1 is a document of plenary (Plenary), presided over by the chair, and no one holds that seat on 7 July 2031; elect one first"},
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
		refusal{"the chair in a group", chair, ilMeeting, EFORBIDDEN, "chair cannot open a reading: A/AC.292/2027/WG.1 is a document of il (International law), presided over on 12 April 2027 by vice-chair, B. Vice (Mexico) [vc-il]"},
		refusal{"another group's vice-chair", viceChair("cb"), ilMeeting, EFORBIDDEN, "vc-cb cannot open a reading: A/AC.292/2027/WG.1 is a document of il (International law), presided over on 12 April 2027 by vice-chair, B. Vice (Mexico) [vc-il]"},
	)
	g.do(vcIL, ilMeeting)

	// The moment is the meeting's start: the term of the vice-chair ends
	// on 2028-03-23, so a meeting after it has no one presiding, whatever
	// the day the command is sent.
	g.do(vcIL, CloseReading{})
	late := OpenReading{Kind: SecondReading, Meeting: MeetingRef{ID: "il-2", Process: "gm", Body: "il", Kind: GroupMeeting, Title: "International law", Start: at("2028-04-10T10:00")}}
	g.refuse(refusal{"after the term", vcIL, late, EFORBIDDEN,
		"vc-il cannot open a reading: A/AC.292/2027/WG.1 is a document of il (International law), presided over by the vice-chair or co-chairs of il (International law), and no one holds that seat on 10 April 2028; elect one first"})

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
		"chair cannot open a reading: A/AC.292/2027/L.1 is a document of plenary (Plenary), presided over on 5 July 2027 by chair, D. Substitute (Nigeria) [chair-sub]"})
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

// TestElectionRules: geographic rotation and equitable representation are
// checked at election too, against terms elected earlier and later;
// vice-chairs serve two years; a group has one vice-chair or two
// co-chairs.
func TestElectionRules(t *testing.T) {
	p := testProcess(t) // chair from Kenya (African States), 2026–2028
	chairSeat := Seat{Role: RoleChair}
	nominate := func(person PersonID, state StateCode, start string) NominateOfficer {
		return NominateOfficer{Seat: chairSeat, Person: person, Name: string(person), State: state, TermStart: at(start)}
	}
	// Two candidates of one group for terms four apart, both nominated
	// before either is elected: the second election is refused.
	pmust(t, p, procSec, nominate("est", "EST", "2034-03-23"))
	pmust(t, p, procSec, nominate("pol", "POL", "2036-03-23"))
	pmust(t, p, procSec, ElectOfficer{Seat: chairSeat, Person: "est", Meeting: "org"})
	checkRefusals(t, p, nil, []refusal{
		{"rotation at election, an earlier term", procSec, ElectOfficer{Seat: chairSeat, Person: "pol", Meeting: "org"}, ECONFLICT,
			"geographic rotation: the Eastern European States held the chair from 23 March 2034 to 23 March 2036 (est (Estonia)); the next chair comes from the Asia-Pacific States, Latin American and Caribbean States or Western European and other States"},
	})
	// A later term elected first: an earlier candidate of its group is
	// refused at nomination, and at election if nominated before.
	pmust(t, p, procSec, nominate("arg", "ARG", "2028-03-23"))
	pmust(t, p, procSec, nominate("bra", "BRA", "2030-03-23"))
	pmust(t, p, procSec, ElectOfficer{Seat: chairSeat, Person: "bra", Meeting: "org"})
	checkRefusals(t, p, nil, []refusal{
		{"rotation at election, a later term", procSec, ElectOfficer{Seat: chairSeat, Person: "arg", Meeting: "org"}, ECONFLICT,
			"geographic rotation: the Latin American and Caribbean States are elected to the chair from 23 March 2030 to 23 March 2032 (bra (Brazil)), within four terms after this one; the chair from 23 March 2028 comes from the Asia-Pacific States or Western European and other States"},
		{"rotation at nomination, a later term", procSec, nominate("mex", "MEX", "2028-03-23"), ECONFLICT,
			"geographic rotation: the Latin American and Caribbean States are elected to the chair from 23 March 2030 to 23 March 2032 (bra (Brazil)), within four terms after this one; the chair from 23 March 2028 comes from the Asia-Pacific States or Western European and other States"},
	})
	pmust(t, p, procSec, nominate("jpn", "JPN", "2028-03-23"))
	pmust(t, p, procSec, ElectOfficer{Seat: chairSeat, Person: "jpn", Meeting: "org"})

	// Vice-chairs: two-year terms, one regional group once at a time.
	q := NewProcess()
	pmust(t, q, procSec, CreateProcess{ID: "gm", Name: "GM", Short: "GM", Start: at("2026-03-23"), Rules: ProcessRules{ChairTermYears: 2, ViceChairTermYears: 2, GeographicRotation: true}})
	pmust(t, q, procSec, EstablishBody{ID: "plenary", Kind: BodyPlenary, Name: "Plenary"})
	pmust(t, q, procSec, EstablishBody{ID: "il", Kind: BodyThematicGroup, Name: "International law"})
	pmust(t, q, procSec, EstablishBody{ID: "cbm", Kind: BodyThematicGroup, Name: "CBMs"})
	pmust(t, q, procSec, EstablishBody{ID: "cb", Kind: BodyThematicGroup, Name: "Capacity-building"})
	pmust(t, q, procSec, ScheduleMeeting{ID: "org", Body: "plenary", Kind: OrganizationalSession, Title: "Organizational session", Start: at("2026-03-23T10:00"), End: at("2026-03-24T18:00")})
	vc := func(body BodyID, person PersonID, state StateCode, start, end string) NominateOfficer {
		n := NominateOfficer{Seat: Seat{Role: RoleViceChair, Body: body}, Person: person, Name: string(person), State: state, TermStart: at(start)}
		if end != "" {
			n.TermEnd = at(end)
		}
		return n
	}
	pmust(t, q, procSec, vc("il", "fra", "FRA", "2026-03-23", ""))
	pmust(t, q, procSec, vc("cbm", "deu", "DEU", "2026-03-23", ""))
	pmust(t, q, procSec, ElectOfficer{Seat: Seat{Role: RoleViceChair, Body: "il"}, Person: "fra", Meeting: "org"})
	if o, _ := q.Holder(Seat{Role: RoleViceChair, Body: "il"}, at("2027-01-01")); o == nil || !o.TermEnd.Equal(at("2028-03-23")) {
		t.Fatalf("vice-chair's term = %+v, want two years", o)
	}
	checkRefusals(t, q, nil, []refusal{
		{"a ten-year term", procSec, vc("cb", "ind", "IND", "2026-03-23", "2036-03-23"), EINVALID, "the vice-chair's term is 2 years: from 23 March 2026 to 23 March 2028, not to 23 March 2036"},
		{"two Western European vice-chairs at nomination", procSec, vc("cb", "ita", "ITA", "2026-03-23", ""), ECONFLICT,
			"equitable geographic representation: the Western European and other States already hold a vice-chair from 23 March 2026 to 23 March 2028 (fra (France), vice-chair of il (International law)); vice-chairs serving at the same time come from different regional groups (rules.sameGroupViceChairs allows otherwise)"},
		{"two Western European vice-chairs at election", procSec, ElectOfficer{Seat: Seat{Role: RoleViceChair, Body: "cbm"}, Person: "deu", Meeting: "org"}, ECONFLICT,
			"equitable geographic representation: the Western European and other States already hold a vice-chair from 23 March 2026 to 23 March 2028 (fra (France), vice-chair of il (International law)); vice-chairs serving at the same time come from different regional groups (rules.sameGroupViceChairs allows otherwise)"},
		{"a co-chair where a vice-chair leads", procSec, NominateOfficer{Seat: Seat{Role: RoleCoChair, Body: "il"}, Person: "x", Name: "x", State: "IND", TermStart: at("2026-03-23")}, ECONFLICT,
			"il (International law) is led by vice-chair fra (France) from 23 March 2026 to 23 March 2028; a group is led by a vice-chair or by two co-chairs, not both"},
		{"a co-chair of the plenary", procSec, NominateOfficer{Seat: Seat{Role: RoleCoChair, Body: "plenary"}, Person: "x", Name: "x", State: "IND", TermStart: at("2026-03-23")}, EINVALID,
			"co-chairs lead a thematic group together (the OEWG concept of work: capacity-building co-chaired by a donor and a recipient State); plenary (Plenary) is the plenary"},
	})
	// The next term, another group: fine.
	pmust(t, q, procSec, vc("il", "ita", "ITA", "2028-03-23", ""))

	// Co-chairs: a donor and a recipient State lead capacity-building
	// together; a third is refused; both preside.
	co := Seat{Role: RoleCoChair, Body: "cb"}
	for _, x := range []struct {
		person PersonID
		state  StateCode
	}{{"co-nld", "NLD"}, {"co-ken", "KEN"}} {
		pmust(t, q, procSec, NominateOfficer{Seat: co, Person: x.person, Name: string(x.person), State: x.state, TermStart: at("2026-03-23")})
		pmust(t, q, procSec, ElectOfficer{Seat: co, Person: x.person, Meeting: "org"})
	}
	checkRefusals(t, q, nil, []refusal{
		{"a third co-chair", procSec, NominateOfficer{Seat: co, Person: "co-bra", Name: "co-bra", State: "BRA", TermStart: at("2026-03-23")}, ECONFLICT,
			"cb (Capacity-building) has two co-chairs during that term already: co-nld (Netherlands (Kingdom of the)) and co-ken (Kenya)"},
	})
	if got := q.Offices().Presiding("cb", at("2027-01-01")); len(got) != 2 {
		t.Fatalf("co-chairs presiding over cb: %+v", got)
	}
}

// TestChairsPrerogatives: the chair convenes intersessional meetings and
// additional groups and appoints their facilitators (permanent
// mechanism, paragraphs 12c and 15); a facilitator is not elected.
func TestChairsPrerogatives(t *testing.T) {
	p := testProcess(t) // chair-ken, 2026–2028; ag: additional group 2027-09-01 to 2029-06-30
	chairNow := Context{Now: at("2027-01-10"), Actor: Actor{Person: "chair-ken", Role: RoleChair}}
	checkRefusals(t, p, nil, []refusal{
		{"a facilitator elected", procSec, NominateOfficer{Seat: Seat{Role: RoleFacilitator, Body: "ag"}, Person: "f", Name: "F", State: "SGP", TermStart: at("2027-09-01")}, EINVALID,
			"a facilitator is appointed by the chair, not elected (facilitator.appoint)"},
		{"appointed by someone not the chair", procSec, AppointFacilitator{Body: "ag", Person: "f", Name: "F", State: "SGP", TermStart: at("2027-09-01"), By: "sec"}, EFORBIDDEN,
			`facilitators are appointed by the chair; on 1 September 2027 the chair is A. Chair (Kenya) [chair-ken], not "sec"`},
		{"a delegate appoints", procDelegate("FRA", "2027-01-10"), AppointFacilitator{Body: "ag", Person: "f", Name: "F", State: "SGP", TermStart: at("2027-09-01"), By: "del-FRA"}, EFORBIDDEN,
			"a delegate of FRA cannot appoint a facilitator; the presiding officer does"},
		{"after the chair's term", procSec, AppointFacilitator{Body: "ag", Person: "f", Name: "F", State: "SGP", TermStart: at("2028-09-01"), By: "chair-ken"}, EFORBIDDEN,
			"facilitators are appointed by the chair, and no one holds the chair on 1 September 2028"},
		{"a delegate convenes", procDelegate("FRA", "2027-01-10"), ScheduleMeeting{ID: "int", Body: "plenary", Kind: IntersessionalMeeting, Title: "I", Start: at("2027-02-01T10:00"), End: at("2027-02-01T18:00")}, EFORBIDDEN,
			"only the secretariat can schedule a meeting; a delegate cannot"},
		{"the chair schedules a formal meeting", chairNow, ScheduleMeeting{ID: "il-x", Body: "il", Kind: GroupMeeting, Title: "IL", Start: at("2027-02-01T10:00"), End: at("2027-02-01T18:00")}, EFORBIDDEN,
			"only the secretariat can schedule a meeting; a chair cannot"},
	})
	pmust(t, p, chairNow, AppointFacilitator{Body: "ag", Person: "fac-sgp", Name: "S. Facilitator", State: "SGP", TermStart: at("2027-09-01"), By: "chair-ken"})
	if o, ok := p.Holder(Seat{Role: RoleFacilitator, Body: "ag"}, at("2028-01-01")); !ok || o.Person != "fac-sgp" || !o.TermEnd.Equal(at("2029-07-01")) {
		t.Fatalf("facilitator %+v, want fac-sgp for the group's duration", o)
	}
	pmust(t, p, chairNow, ScheduleMeeting{ID: "int", Body: "plenary", Kind: IntersessionalMeeting, Title: "Intersessional meeting on the POC directory", Start: at("2027-02-01T10:00"), End: at("2027-02-01T18:00")})
	pmust(t, p, chairNow, EstablishBody{ID: "ag2", Kind: BodyAdditionalGroup, Name: "Quantum", Start: at("2027-03-01"), End: at("2028-03-01")})
}
