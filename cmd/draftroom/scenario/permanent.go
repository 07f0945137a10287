package scenario

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/server"
)

// The permanent mechanism's script: docs/walkthrough.md tells it step by
// step.
const (
	pmProcess engine.ProcessID  = "permanent-mechanism"
	pmDoc     engine.DocumentID = "gm-elements-2030"
	pmMeeting engine.MeetingID  = "plenary-2030"
)

// pmDelegations are the delegations of the script, with their groups.
var pmDelegations = []struct {
	state engine.StateCode
	name  string
}{
	{"FRA", "Délégué de la France"},
	{"CHN", "Delegate of China"},
	{"USA", "Delegate of the United States"},
	{"RUS", "Delegate of the Russian Federation"},
	{"IND", "Delegate of India"},
	{"JPN", "Delegate of Japan"},
	{"MEX", "Delegado de México"},
	{"KEN", "Delegate of Kenya"},
	{"EGY", "مندوب مصر"},
	{"AUS", "Delegate of Australia"},
	{"BRA", "Delegado do Brasil"},
	{"EU", "Delegate of the European Union"},
	{"G77", "Delegate of the Group of 77 and China"},
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02T15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func permanentMechanism(r *run) {
	sec := r.sec
	r.do(sec, "sets up the permanent mechanism from its template", func() error {
		return sec.Call("POST", "/api/processes", server.CreateProcessRequest{Template: string(pmProcess)}, nil)
	})

	// People: the chair, the delegations, an NGO's representative.
	chair := r.person(server.Person{ID: "chair-2030", Name: "Chair of the Global Mechanism", Role: engine.RoleOfficer}, "Chair")
	del := map[engine.StateCode]*Client{}
	for _, d := range pmDelegations {
		id := "del-" + strings.ToLower(string(d.state))
		del[d.state] = r.person(server.Person{ID: engine.PersonID(id), Name: d.name, Role: engine.RoleDelegate, State: d.state}, d.name)
		r.do(sec, "registers "+d.name+" as a participant of the process", func() error {
			return sec.Proc(pmProcess, "participant.register", engine.RegisterParticipant{Person: engine.PersonID(id), Name: d.name, Role: engine.RoleDelegate, State: d.state})
		})
	}

	// Meetings: organizational session, consultation the day before the
	// plenary, the plenary; a meeting in parallel is refused.
	for _, m := range []engine.ScheduleMeeting{
		{ID: "org-2030", Body: "plenary", Kind: engine.OrganizationalSession, Title: "Organizational session of the third cycle", Start: day("2030-03-18T10:00"), End: day("2030-03-19T18:00"), Venue: "New York"},
		{ID: "sc-2030", Body: "plenary", Kind: engine.StakeholderConsultation, Title: "Stakeholder consultation before the fifth substantive plenary session", Start: day("2030-07-07T10:00"), End: day("2030-07-07T18:00"), Venue: "New York"},
		{ID: pmMeeting, Body: "plenary", Kind: engine.SubstantivePlenary, Title: "Fifth substantive plenary session", Session: "Fifth substantive plenary session", Start: day("2030-07-08T10:00"), End: day("2030-07-12T18:00"), Venue: "New York"},
	} {
		r.do(sec, "schedules "+m.Title, func() error { return sec.Proc(pmProcess, "meeting.schedule", m) })
	}
	r.refused(sec, "schedules a meeting of the thematic group on confidence-building measures during the plenary", "overlaps meeting plenary-2030", func() error {
		return sec.Proc(pmProcess, "meeting.schedule", engine.ScheduleMeeting{ID: "cbms-2030-07", Body: "dtg-cbms", Kind: engine.GroupMeeting, Title: "Thematic group on CBMs", Start: day("2030-07-10T10:00"), End: day("2030-07-10T18:00"), Venue: "New York"})
	})

	// The organizational session's business: its agenda, adopted by
	// consensus (the secretariat presides: no chair holds office yet), and
	// the election of the officers in it: a chair for 2030–2032 under
	// geographic rotation, and vice-chairs of two thematic groups.
	r.do(sec, "proposes the agenda of the organizational session and, no delegation objecting, declares it adopted", func() error {
		if err := sec.Proc(pmProcess, "agenda.propose", engine.ProposeAgenda{Meeting: "org-2030", Items: []string{"Opening of the session", "Election of officers", "Adoption of the agenda", "Organization of work"}}); err != nil {
			return err
		}
		return sec.Proc(pmProcess, "agenda.adopt", engine.AdoptAgenda{Meeting: "org-2030"})
	})
	chairSeat := engine.Seat{Role: engine.RoleChair}
	r.refused(sec, "records Mexico's nomination of a chair from the Latin American and Caribbean States for 2030–2032", "rotation", func() error {
		return sec.Proc(pmProcess, "officer.nominate", engine.NominateOfficer{Seat: chairSeat, Person: "chair-mex", Name: "Ambassador of Mexico", State: "MEX", TermStart: day("2030-03-24T00:00")})
	})
	r.do(sec, "records the nomination of the Ambassador of Indonesia as chair for 2030–2032", func() error {
		return sec.Proc(pmProcess, "officer.nominate", engine.NominateOfficer{Seat: chairSeat, Person: "chair-2030", Name: "Ambassador of Indonesia", State: "IDN", TermStart: day("2030-03-24T00:00")})
	})
	r.do(sec, "records the election of the chair by consensus in the organizational session (no objection)", func() error {
		return sec.Proc(pmProcess, "officer.elect", engine.ElectOfficer{Seat: chairSeat, Person: "chair-2030", Meeting: "org-2030"})
	})
	for _, vc := range []struct {
		body   engine.BodyID
		person engine.PersonID
		name   string
		state  engine.StateCode
	}{
		{"dtg-international-law", "vc-il-2030", "Vice-Chair for international law", "POL"},
		{"dtg-cbms", "vc-cbms-2030", "Vice-Chair for confidence-building measures", "GHA"},
	} {
		seat := engine.Seat{Role: engine.RoleViceChair, Body: vc.body}
		r.do(sec, "records the nomination and election of the "+vc.name+" for 2030–2032", func() error {
			if err := sec.Proc(pmProcess, "officer.nominate", engine.NominateOfficer{Seat: seat, Person: vc.person, Name: vc.name, State: vc.state, TermStart: day("2030-03-24T00:00"), TermEnd: day("2032-03-24T00:00")}); err != nil {
				return err
			}
			return sec.Proc(pmProcess, "officer.elect", engine.ElectOfficer{Seat: seat, Person: vc.person, Meeting: "org-2030"})
		})
	}

	// Observers, under the non-objection rule: one is blocked.
	deadline := time.Now().Add(3 * time.Second).UTC().Truncate(time.Second).Add(time.Second)
	for _, o := range []engine.ProposeObserver{
		{ID: "cyber-peace", Name: "Cyber Peace Network", Category: engine.CategoryNGO, Deadline: deadline},
		{ID: "open-net-lab", Name: "Open Net Lab", Category: engine.CategoryAcademia, Deadline: deadline},
	} {
		r.do(sec, "proposes "+o.Name+" for accreditation; Member States may object until the deadline", func() error { return sec.Proc(pmProcess, "observer.propose", o) })
	}
	r.do(del["RUS"], "objects to the accreditation of Open Net Lab", func() error {
		return del["RUS"].Proc(pmProcess, "observer.object", engine.ObjectToObserver{Observer: "open-net-lab", State: "RUS", Reason: "Its activities are not relevant to the mandate."})
	})
	r.wait(deadline.Add(200 * time.Millisecond))
	for _, o := range []engine.ObserverID{"cyber-peace", "open-net-lab"} {
		r.do(sec, "closes the accreditation of "+string(o)+" at its deadline", func() error {
			return sec.Proc(pmProcess, "accreditation.close", engine.CloseAccreditation{Observer: o})
		})
	}
	proc, err := sec.Process(pmProcess)
	r.must(err)
	for _, o := range proc.Observers {
		switch o.ID {
		case "cyber-peace":
			r.check(o.Status == engine.Accredited, "Cyber Peace Network is %s, want accredited", o.Status)
		case "open-net-lab":
			r.check(o.Status == engine.NotAccredited, "Open Net Lab is %s, want not accredited", o.Status)
		}
	}
	ngo := r.person(server.Person{ID: "obs-cyber-peace", Name: "Representative of Cyber Peace Network", Role: engine.RoleObserver, Org: "Cyber Peace Network"}, "Cyber Peace Network")
	r.do(sec, "registers the representative of the accredited NGO as a participant", func() error {
		return sec.Proc(pmProcess, "participant.register", engine.RegisterParticipant{Person: "obs-cyber-peace", Name: "Representative of Cyber Peace Network", Role: engine.RoleObserver, Observer: "cyber-peace"})
	})

	// The elements paper.
	r.do(sec, "imports the Chair's draft elements paper into the plenary, for its 2030 session: the process allocates A/AC.292/2030/CRP.1", func() error {
		var out server.CreateDocumentResponse
		if err := sec.Call("POST", "/api/documents", server.CreateDocumentRequest{ID: pmDoc, Type: engine.ElementsPaper, Language: "en", Text: r.draft("elements-paper.md"), Process: pmProcess, Body: "plenary", Meeting: pmMeeting}, &out); err != nil {
			return err
		}
		if out.Document.Symbol != "A/AC.292/2030/CRP.1" {
			return fmt.Errorf("the process allocated %s, want A/AC.292/2030/CRP.1", out.Document.Symbol)
		}
		return nil
	})
	r.do(sec, "issues the zero draft", func() error {
		_, err := sec.Doc(pmDoc, "revision.issue", engine.IssueRevision{Kind: engine.ZeroDraft})
		return err
	})

	// First reading: general comments.
	open := func(kind engine.ReadingKind) func() error {
		return func() error {
			_, err := chair.Doc(pmDoc, "reading.open", server.OpenReadingRequest{Kind: kind, Process: pmProcess, Meeting: pmMeeting})
			return err
		}
	}
	r.do(chair, "opens the first reading (general comments) in the plenary", open(engine.FirstReading))
	for _, s := range []engine.StateCode{"G77", "EU", "CHN"} {
		r.do(del[s], "asks for the floor", func() error { _, err := del[s].Doc(pmDoc, "floor.ask", engine.AskFloor{Delegation: s}); return err })
	}
	comments := []struct {
		state  engine.StateCode
		number string
		kind   engine.PositionKind
		text   string
	}{
		{"G77", "10", engine.Support, "The Group welcomes the emphasis on demand-driven capacity-building."},
		{"EU", "5", engine.Support, "The European Union and its member States remain committed to the framework."},
		{"CHN", "4", engine.Reservation, "China needs more time to consider the reference to artificial intelligence."},
	}
	for _, c := range comments {
		r.do(chair, "gives the floor to "+string(c.state), func() error { _, err := chair.Doc(pmDoc, "floor.next", engine.NextSpeaker{}); return err })
		p := r.para(pmDoc, c.number)
		r.do(del[c.state], "makes a general comment on paragraph "+c.number, func() error {
			_, err := del[c.state].Doc(pmDoc, "position.state", engine.StatePosition{State: c.state, Para: p.ID, Kind: c.kind, Comment: c.text})
			return err
		})
	}
	p3 := r.para(pmDoc, "3")
	r.refused(del["CHN"], "proposes a textual amendment during the first reading", "general comments only", func() error {
		_, err := del["CHN"].Doc(pmDoc, "amendment.propose", engine.ProposeAmendment{Proposer: "CHN", Op: engine.OpInsert, Para: p3.ID, Version: p3.Version, Start: 0, End: 0, NewText: "All "})
		return err
	})
	r.refused(ngo, "tries to state France’s support for paragraph 10", "never propose text or take part in decisions", func() error {
		_, err := ngo.Doc(pmDoc, "position.state", engine.StatePosition{State: "FRA", Para: r.para(pmDoc, "10").ID, Kind: engine.Support})
		return err
	})
	r.do(chair, "closes the first reading", func() error { _, err := chair.Doc(pmDoc, "reading.close", engine.CloseReading{}); return err })

	// Second reading: textual proposals from eleven delegations.
	r.do(chair, "opens the second reading (textual proposals)", open(engine.SecondReading))
	type proposal struct {
		state      engine.StateCode
		number     string
		op         engine.AmendmentOp
		old, text  string
		cosponsors []engine.StateCode
	}
	proposals := []proposal{
		{state: "USA", number: "3", op: engine.OpInsert, old: "critical infrastructure", text: " and essential services"},
		{state: "CHN", number: "5", op: engine.OpReplace, old: "voluntary, non-binding norms", text: "norms"},
		{state: "G77", number: "11", op: engine.OpInsert, old: "developing countries", text: ", in particular least developed countries", cosponsors: []engine.StateCode{"EGY", "IND"}},
		{state: "EU", number: "10", op: engine.OpReplace, old: "gender-sensitive", text: "gender-responsive"},
		{state: "RUS", number: "8", op: engine.OpDelete, old: " and on international humanitarian law"},
		{state: "IND", number: "9", op: engine.OpAddParagraph, text: "States encouraged regular exercises to test the points of contact directory."},
		{state: "JPN", number: "12", op: engine.OpReplace, old: "a roundtable", text: "a global roundtable"},
		{state: "MEX", number: "1", op: engine.OpInsert, old: "New York", text: " and online"},
		{state: "KEN", number: "2", op: engine.OpInsert, old: "basis for negotiation", text: ", which States welcomed"},
		{state: "EGY", number: "7", op: engine.OpReplace, old: "is applicable and essential", text: "is applicable"},
		{state: "AUS", number: "6", op: engine.OpReplace, old: "[agreed][recommended]", text: "agreed"},
	}
	ids := map[engine.StateCode]engine.AmendmentID{}
	for _, pr := range proposals {
		p := r.para(pmDoc, pr.number)
		a := engine.ProposeAmendment{Proposer: pr.state, Op: pr.op, Para: p.ID, Version: p.Version, NewText: pr.text}
		if pr.op != engine.OpAddParagraph {
			a.Start, a.End = r.span(p.Text, pr.old)
			if pr.op == engine.OpInsert {
				a.Start = a.End
			}
		}
		r.do(del[pr.state], fmt.Sprintf("proposes to %s in paragraph %s", pr.op, pr.number), func() error {
			res, err := del[pr.state].Doc(pmDoc, "amendment.propose", a)
			if err != nil {
				return err
			}
			for _, e := range res.Events {
				if x, ok := e.Data.(*engine.AmendmentProposed); ok {
					ids[pr.state] = x.Amendment.ID
				}
			}
			return nil
		})
	}
	r.check(len(ids) == len(proposals), "found the identities of %d amendments of %d", len(ids), len(proposals))
	// Co-sponsorship is given, never taken: each co-sponsor joins with its
	// own command once the amendment is proposed.
	for _, pr := range proposals {
		for _, co := range pr.cosponsors {
			r.do(del[co], fmt.Sprintf("co-sponsors %s's amendment", pr.state), func() error {
				_, err := del[co].Doc(pmDoc, "amendment.cosponsor", engine.CoSponsor{Amendment: ids[pr.state], State: co})
				return err
			})
		}
	}
	r.do(del["KEN"], "co-sponsors the Group of 77's amendment", func() error {
		_, err := del["KEN"].Doc(pmDoc, "amendment.cosponsor", engine.CoSponsor{Amendment: ids["G77"], State: "KEN"})
		return err
	})
	for _, pos := range []struct {
		state engine.StateCode
		of    engine.StateCode
		kind  engine.PositionKind
		why   string
	}{
		{"EU", "CHN", engine.Oppose, "The norms are voluntary and non-binding; the words matter."},
		{"USA", "RUS", engine.Oppose, "International humanitarian law applies."},
		{"FRA", "RUS", engine.Oppose, ""},
		{"BRA", "USA", engine.Support, ""},
		{"AUS", "JPN", engine.Support, ""},
	} {
		r.do(del[pos.state], fmt.Sprintf("states %s on %s's amendment", pos.kind, pos.of), func() error {
			_, err := del[pos.state].Doc(pmDoc, "position.state", engine.StatePosition{State: pos.state, Amendment: ids[pos.of], Kind: pos.kind, Comment: pos.why})
			return err
		})
	}
	p4 := r.para(pmDoc, "4")
	a, b := r.span(p4.Text, "artificial intelligence")
	r.do(chair, "puts “artificial intelligence” in paragraph 4 in brackets at the request of China and the Russian Federation", func() error {
		_, err := chair.Doc(pmDoc, "brackets.add", engine.AddBrackets{Para: p4.ID, Version: p4.Version, Start: a, End: b, By: []engine.StateCode{"CHN", "RUS"}})
		return err
	})
	r.refused(chair, "accepts China's amendment over the objection of the European Union", "EU (European Union and its member States) objects", func() error {
		_, err := chair.Doc(pmDoc, "decision.take", engine.TakeDecision{Kind: engine.AcceptAmendment, Amendment: ids["CHN"]})
		return err
	})
	decide := func(s engine.StateCode, outcome engine.AmendmentStatus, what string) {
		r.do(chair, what, func() error {
			_, err := chair.Doc(pmDoc, "amendment.decide", engine.DecideAmendment{Amendment: ids[s], Outcome: outcome})
			return err
		})
	}
	for _, s := range []engine.StateCode{"USA", "G77", "EU", "IND", "JPN"} {
		r.do(chair, "accepts the amendment of "+string(s)+" by consensus", func() error {
			_, err := chair.Doc(pmDoc, "decision.take", engine.TakeDecision{Kind: engine.AcceptAmendment, Amendment: ids[s]})
			return err
		})
	}
	decide("CHN", engine.InBrackets, "incorporates China's amendment in the text in brackets")
	decide("RUS", engine.InBrackets, "incorporates the Russian Federation's amendment in brackets")
	r.do(del["MEX"], "withdraws its amendment", func() error {
		_, err := del["MEX"].Doc(pmDoc, "amendment.decide", engine.DecideAmendment{Amendment: ids["MEX"], Outcome: engine.Withdrawn})
		return err
	})
	decide("KEN", engine.Rejected, "rejects Kenya's amendment, which the room did not take up")

	// Rev.1 and the compare against the zero draft.
	r.do(sec, "issues Rev.1", func() error {
		_, err := sec.Doc(pmDoc, "revision.issue", engine.IssueRevision{Kind: engine.Rev})
		return err
	})
	r.export(sec, pmDoc, "compare-rev1-zero.html", url.Values{"report": {"compare"}, "format": {"html"}, "rev": {"1"}, "against": {"0"}})
	r.export(sec, pmDoc, "compare-rev1-zero.docx", url.Values{"report": {"compare"}, "format": {"docx"}, "rev": {"1"}, "against": {"0"}})

	// Paragraphs without brackets or objections are agreed ad ref.
	for _, num := range []string{"1", "2", "3", "9", "10", "11", "12", "13"} {
		p := r.para(pmDoc, num)
		r.do(chair, "reads paragraph "+num+" and agrees it ad ref", func() error {
			if _, err := chair.Doc(pmDoc, "reading.read", engine.ReadParagraph{Para: p.ID}); err != nil {
				return err
			}
			_, err := chair.Doc(pmDoc, "decision.take", engine.TakeDecision{Kind: engine.AgreeAdRef, Para: p.ID})
			return err
		})
	}

	// Paragraph 8: a silence procedure broken, a compromise, a second
	// silence procedure that holds.
	p8 := r.para(pmDoc, "8")
	r.do(chair, "reads paragraph 8", func() error {
		_, err := chair.Doc(pmDoc, "reading.read", engine.ReadParagraph{Para: p8.ID})
		return err
	})
	r.do(chair, "proposes a text for paragraph 8 without the bracketed words, as the Russian Federation asked", func() error {
		_, err := chair.Doc(pmDoc, "paragraph.replace", engine.ReplaceText{Para: p8.ID, Version: p8.Version, Text: "States continued their exchanges on how international law applies to the use of ICTs, including on State responsibility."})
		return err
	})
	silence := func(what string) time.Time {
		dl := time.Now().Add(3 * time.Second).UTC().Truncate(time.Second).Add(time.Second)
		p := r.para(pmDoc, "8")
		r.do(chair, what, func() error {
			_, err := chair.Doc(pmDoc, "silence.open", engine.OpenSilence{Para: p.ID, Deadline: dl, Shorten: "the plenary session closes this week"})
			return err
		})
		return dl
	}
	silence("puts paragraph 8 under a silence procedure")
	r.do(del["USA"], "breaks the silence", func() error {
		_, err := del["USA"].Doc(pmDoc, "silence.break", engine.BreakSilence{State: "USA", Explanation: "The paragraph must keep the reference to international humanitarian law."})
		return err
	})
	p8 = r.para(pmDoc, "8")
	r.do(chair, "proposes a second compromise on paragraph 8", func() error {
		_, err := chair.Doc(pmDoc, "paragraph.replace", engine.ReplaceText{Para: p8.ID, Version: p8.Version, Text: "States continued their exchanges on how international law applies to the use of ICTs, including on State responsibility and on how international humanitarian law applies, where applicable."})
		return err
	})
	dl := silence("puts the compromise under a second silence procedure")
	r.wait(dl.Add(1500 * time.Millisecond))
	r.check(r.para(pmDoc, "8").Status == engine.StatusAgreedAdRef, "paragraph 8 is %s after the unbroken silence, want agreed ad ref", r.para(pmDoc, "8").Status)

	// The remaining brackets: the chair's compromise, then agreement.
	for _, num := range []string{"4", "5", "6", "7"} {
		p := r.para(pmDoc, num)
		var merges []engine.AmendmentID
		for _, am := range r.view(pmDoc).Amendments {
			if am.Para == p.ID && am.Status == engine.Proposed {
				merges = append(merges, am.ID)
			}
		}
		r.do(chair, "settles paragraph "+num+" (brackets removed, open proposals merged into the compromise)", func() error {
			_, err := chair.Doc(pmDoc, "paragraph.replace", engine.ReplaceText{Para: p.ID, Version: p.Version, Text: engine.SettleBrackets(p.Brackets), Merges: merges})
			return err
		})
	}
	r.do(del["CHN"], "withdraws its reservation on paragraph 4", func() error {
		_, err := del["CHN"].Doc(pmDoc, "position.state", engine.StatePosition{State: "CHN", Para: r.para(pmDoc, "4").ID, Withdraw: true})
		return err
	})
	r.agreeAll(chair, pmDoc)

	// Adoption, then a dissociation on the record.
	r.do(chair, "takes the decision to adopt the progress report", func() error {
		_, err := chair.Doc(pmDoc, "decision.take", engine.TakeDecision{Kind: engine.AdoptDocument})
		return err
	})
	r.do(del["RUS"], "dissociates itself from paragraph 4", func() error {
		_, err := del["RUS"].Doc(pmDoc, "position.state", engine.StatePosition{State: "RUS", Para: r.para(pmDoc, "4").ID, Kind: engine.Dissociation, Comment: "The Russian Federation dissociates itself from the reference to artificial intelligence."})
		return err
	})
	r.do(chair, "closes the second reading", func() error { _, err := chair.Doc(pmDoc, "reading.close", engine.CloseReading{}); return err })

	r.do(sec, "issues the adopted text as the final progress report, dated the last day of the session: the process allocates A/AC.292/2030/1, a document of general distribution (PM 12a)", func() error {
		return r.issued(sec, pmDoc, engine.IssueRevision{Kind: engine.Final, Date: day("2030-07-12T00:00")}, "A/AC.292/2030/1")
	})
	for _, f := range []struct{ name, report, format string }{
		{"final-clean.docx", "clean", "docx"},
		{"final-clean.html", "clean", "html"},
		{"final-clean.akn.xml", "clean", "akn"},
		{"compilation.html", "compilation", "html"},
		{"status.html", "status", "html"},
	} {
		q := url.Values{"report": {f.report}, "format": {f.format}, "rev": {"2"}}
		if f.report == "clean" {
			q.Set("final", "1")
		}
		r.export(sec, pmDoc, f.name, q)
	}
	r.res.Views[pmDoc] = r.view(pmDoc)
}
