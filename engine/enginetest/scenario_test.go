package enginetest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// scenario drives one room and one process through a negotiation, keeping
// both event logs.
type scenario struct {
	t      *testing.T
	p      *engine.Process
	plog   []engine.Event
	d      *engine.Document
	dlog   []engine.Event
	groups map[engine.DocumentID]*engine.Document
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02T15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func as(role engine.Role, person engine.PersonID, state engine.StateCode, now string) engine.Context {
	return engine.Context{Now: utc(now), Actor: engine.Actor{Person: person, State: state, Role: role}}
}

func chairAt(now string) engine.Context { return as(engine.RoleChair, "chair-gm-1", "", now) }
func secAt(now string) engine.Context   { return as(engine.RoleSecretariat, "sec-gm-1", "", now) }
func delAt(s engine.StateCode, now string) engine.Context {
	return as(engine.RoleDelegate, engine.PersonID("del-"+strings.ToLower(string(s))), s, now)
}

func (s *scenario) proc(c engine.Context, cmd engine.ProcessCommand) {
	s.t.Helper()
	evs, err := s.p.Execute(c, cmd)
	if err != nil {
		s.t.Fatalf("%T: %v", cmd, err)
	}
	s.plog = append(s.plog, evs...)
}

func (s *scenario) do(c engine.Context, cmd engine.DocumentCommand) []engine.Event {
	s.t.Helper()
	c.Offices = s.p.Offices() // as a server does: the process's offices go with every document command
	evs, err := s.d.Execute(c, cmd)
	if err != nil {
		s.t.Fatalf("%T: %v", cmd, err)
	}
	s.dlog = append(s.dlog, evs...)
	return evs
}

// refuse checks that a command is refused with exactly this message.
func (s *scenario) refuse(c engine.Context, cmd engine.DocumentCommand, code, want string) {
	s.t.Helper()
	c.Offices = s.p.Offices()
	_, err := s.d.Decide(c, cmd)
	if err == nil || engine.ErrorCode(err) != code || err.Error() != want {
		s.t.Fatalf("%T:\n got %s %v\nwant %s %s", cmd, engine.ErrorCode(err), err, code, want)
	}
}

func (s *scenario) para(num string) *engine.Paragraph {
	s.t.Helper()
	p, ok := s.d.FindByNumber(num)
	if !ok {
		s.t.Fatalf("no paragraph %s", num)
	}
	return p
}

// spanOf returns the rune offsets of sub in text.
func spanOf(t *testing.T, text, sub string) (int, int) {
	t.Helper()
	i := strings.Index(text, sub)
	if i < 0 {
		t.Fatalf("%q not in %q", sub, text)
	}
	start := len([]rune(text[:i]))
	return start, start + len([]rune(sub))
}

const cbRecommendations = `# Recommendations of the dedicated thematic group on capacity-building
<!-- symbol: A/AC.292/2027/DTG.3/1 -->

## Recommendations

1. States recommend that the voluntary fund for capacity-building give priority to developing countries.

2. States recommend the following:
    (a) a survey of capacity-building needs every two years;
    (b) a global roundtable on capacity-building every two years.
`

// TestScenarioReading runs the permanent mechanism's 2027 negotiation of
// its first progress report on the fixture zero draft: observers
// accredited under the non-objection rule, a group's recommendations taken
// in, a first reading in closed consultations, a second reading with
// amendments and positions, consensus refused then reached, agreement ad
// ref, a silence procedure broken then passed, adoption, a dissociation;
// then checks the final state, the event log, and that replaying both
// logs from empty gives the same state.
func TestScenarioReading(t *testing.T) {
	p, plog := buildFixture(t, "permanent-mechanism")
	s := &scenario{t: t, p: p, plog: plog}

	// Participants and observers.
	for _, st := range []engine.StateCode{"FRA", "CHN", "RUS", "USA", "BRA", "IND", "G77", "EU", "KEN"} {
		s.proc(secAt("2027-05-01T09:00"), engine.RegisterParticipant{Person: engine.PersonID("del-" + strings.ToLower(string(st))), Name: "Delegate of " + string(st), Role: engine.RoleDelegate, State: st})
	}
	s.proc(secAt("2027-05-01T09:00"), engine.RegisterParticipant{Person: "del-fra-2", Name: "Second delegate of France", Role: engine.RoleDelegate, State: "FRA"})
	s.proc(secAt("2027-05-01T10:00"), engine.ProposeObserver{ID: "ICRC", Name: "International Committee of the Red Cross", Category: engine.CategoryIntergovernmental, Deadline: utc("2027-06-01T00:00")})
	s.proc(secAt("2027-05-01T10:00"), engine.ProposeObserver{ID: "HACKERS-ASSOC", Name: "Association of Ethical Hackers", Category: engine.CategoryNGO, Deadline: utc("2027-06-01T00:00")})
	s.proc(delAt("RUS", "2027-05-20T10:00"), engine.ObjectToObserver{Observer: "HACKERS-ASSOC", State: "RUS", Reason: "Its activities are not relevant to the mandate."})
	s.proc(as(engine.RoleSystem, "system", "", "2027-06-01T00:00"), engine.CloseAccreditation{})
	if o, _ := s.p.Observer("HACKERS-ASSOC"); o.Status != engine.NotAccredited {
		t.Fatalf("objected observer is %s", o.Status)
	}
	s.proc(secAt("2027-06-02T09:00"), engine.RegisterParticipant{Person: "obs-icrc", Name: "ICRC representative", Role: engine.RoleObserver, Observer: "ICRC"})
	icrc, _ := s.p.Participant("obs-icrc")
	icrcActor := icrc.Actor()
	obsAt := func(now string) engine.Context { return engine.Context{Now: utc(now), Actor: icrcActor} }

	// The dedicated thematic group on capacity-building adopts its
	// recommendations in April; they go to the plenary.
	cbMeeting, err := s.p.Meeting("capacity-building-2027-04")
	if err != nil {
		t.Fatal(err)
	}
	cbDraft, _, _ := engine.ImportDraft(cbRecommendations)
	cb := engine.NewDocument()
	vc := func(now string) engine.Context { return as(engine.RoleViceChair, "vc-dtg-capacity-building", "", now) }
	for _, step := range []struct {
		c   engine.Context
		cmd engine.DocumentCommand
	}{
		{secAt("2027-04-01T09:00"), engine.CreateDocument{ID: "cb-recs-2027", Type: engine.Recommendations, Draft: cbDraft, Process: s.p.ID, Body: "dtg-capacity-building"}},
		{vc("2027-04-14T14:00"), engine.OpenReading{Kind: engine.FirstReading, Meeting: cbMeeting.Ref()}},
		{vc("2027-04-14T14:05"), engine.ReadParagraph{Para: "p1"}},
		{vc("2027-04-14T14:20"), engine.ReadParagraph{Para: "p2"}},
		{vc("2027-04-14T15:00"), engine.TakeDecision{Kind: engine.AgreeAdRef, Para: "p1"}},
		{vc("2027-04-14T15:05"), engine.TakeDecision{Kind: engine.AgreeAdRef, Para: "p2"}},
		{vc("2027-04-14T17:00"), engine.TakeDecision{Kind: engine.AdoptDocument}},
	} {
		step.c.Offices = s.p.Offices()
		if _, err := cb.Execute(step.c, step.cmd); err != nil {
			t.Fatalf("group document, %T: %v", step.cmd, err)
		}
	}
	s.proc(secAt("2027-04-15T09:00"), engine.RegisterDocument{Document: "cb-recs-2027", Body: "dtg-capacity-building", Type: engine.Recommendations, Title: cb.Title})
	s.proc(secAt("2027-04-15T09:00"), engine.TransmitDocument{Document: "cb-recs-2027", To: "plenary"})

	// The zero draft of the progress report.
	src, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "drafts", "progress-report-zero-draft.md"))
	if err != nil {
		t.Fatal(err)
	}
	draft, rep, err := engine.ImportDraft(string(src))
	if err != nil || len(rep.Unbalanced) > 0 {
		t.Fatalf("import: %v %v", err, rep.Unbalanced)
	}
	s.d = engine.NewDocument()
	s.proc(secAt("2027-05-15T09:00"), engine.RegisterDocument{Document: "apr-2027", Body: "plenary", Type: engine.DraftProgressReport, Title: draft.Title})
	s.do(secAt("2027-05-15T09:00"), engine.CreateDocument{ID: "apr-2027", Type: engine.DraftProgressReport, Draft: draft, Process: s.p.ID, Body: "plenary"})
	s.do(secAt("2027-05-15T09:05"), engine.IssueRevision{Kind: engine.ZeroDraft, Date: utc("2027-05-15T00:00")})
	// The group's agreed recommendations become a section after
	// "F. Capacity-building".
	var afterF engine.SectionID
	for _, sec := range s.d.Sections {
		if sec.Heading == "F. Capacity-building" {
			afterF = sec.ID
		}
	}
	s.do(secAt("2027-05-15T09:10"), engine.TakeInSection{From: "cb-recs-2027", Body: "dtg-capacity-building", Outline: cb.Outline(),
		Heading: "Recommendations of the dedicated thematic group on capacity-building", After: afterF})
	if p := s.para("39 bis"); !strings.HasPrefix(p.Text, "States recommend that the voluntary fund") {
		t.Fatalf("39 bis = %q", p.Text)
	}

	// First reading in closed, State-only informal consultations.
	s.proc(secAt("2027-05-20T09:00"), engine.ScheduleMeeting{ID: "informals-2027-06", Body: "plenary", Kind: engine.IntersessionalMeeting,
		Title: "Informal consultations on the zero draft", StateOnly: true, Start: utc("2027-06-14T14:00"), End: utc("2027-06-14T22:00")})
	closed, _ := s.p.Meeting("informals-2027-06")
	if err := s.p.MayAttend("obs-icrc", closed.ID); err == nil {
		t.Fatal("an observer may attend a State-only meeting")
	}
	s.do(chairAt("2027-06-14T14:00"), engine.OpenReading{Kind: engine.FirstReading, Meeting: closed.Ref()})
	s.refuse(obsAt("2027-06-14T14:01"), engine.AskFloor{Delegation: "ICRC"}, engine.EFORBIDDEN,
		"observers do not take the floor in State-only meetings: meeting informals-2027-06 (Informal consultations on the zero draft) is State-only")
	s.refuse(obsAt("2027-06-14T14:01"), engine.ProposeAmendment{Proposer: "ICRC", Op: engine.OpInsert, Para: s.para("11").ID, Version: 1, Start: 0, End: 0, NewText: "Humanitarian "}, engine.EFORBIDDEN,
		"observers never propose amendments to the States' text: negotiation and decision-making are exclusive prerogatives of States; an observer submits a written contribution to a meeting open to it (contribution.submit)")
	for i, num := range []string{"1", "2", "3", "4", "5", "6", "7"} {
		s.do(chairAt("2027-06-14T14:"+[]string{"05", "10", "15", "20", "25", "30", "35"}[i]), engine.ReadParagraph{Para: s.para(num).ID})
	}
	s.do(delAt("FRA", "2027-06-14T14:36"), engine.AskFloor{Delegation: "FRA"})
	s.refuse(as(engine.RoleDelegate, "del-fra-2", "FRA", "2027-06-14T14:37"), engine.AskFloor{Delegation: "FRA"}, engine.ECONFLICT,
		"FRA (France) already has place 1 in the queue, asked by del-fra at 14 June 2027, 14:36 UTC: a delegation's delegates share one place")
	s.do(delAt("CHN", "2027-06-14T14:38"), engine.AskFloor{Delegation: "CHN"})
	s.do(chairAt("2027-06-14T14:40"), engine.NextSpeaker{})
	s.do(delAt("FRA", "2027-06-14T14:41"), engine.StatePosition{State: "FRA", Para: s.para("7").ID, Kind: engine.Support, Comment: "France supports 'an increasing'."})
	s.do(chairAt("2027-06-14T14:45"), engine.NextSpeaker{})
	s.do(delAt("CHN", "2027-06-14T14:46"), engine.StatePosition{State: "CHN", Para: s.para("6").ID, Kind: engine.Oppose, Comment: "The framework is a basis, not the basis."})
	s.refuse(delAt("CHN", "2027-06-14T14:47"), engine.ProposeAmendment{Proposer: "CHN", Op: engine.OpReplace, Para: s.para("6").ID, Version: 1, Start: 0, End: 6, NewText: "All States"}, engine.ECONFLICT,
		"meeting informals-2027-06 (Informal consultations on the zero draft) is holding the first reading of A/AC.292/2027/CRP.1: general comments only; textual proposals are taken in the second reading")
	s.do(chairAt("2027-06-14T21:55"), engine.CloseReading{})

	// Second reading in the substantive plenary, open to observers.
	plenary, _ := s.p.Meeting("plenary-2027")
	s.do(chairAt("2027-07-05T14:00"), engine.OpenReading{Kind: engine.SecondReading, Meeting: plenary.Ref()})
	s.refuse(obsAt("2027-07-05T14:01"), engine.AskFloor{Delegation: "ICRC"}, engine.EFORBIDDEN,
		"observers take the floor in stakeholder consultations and in the meetings of groups and intersessional meetings open to them; meeting plenary-2027 (Second substantive plenary session, adoption of the biennial progress report) is a substantive plenary meeting, where States take the floor")
	s.refuse(obsAt("2027-07-05T14:03"), engine.StatePosition{State: "ICRC", Para: s.para("11").ID, Kind: engine.Support}, engine.EFORBIDDEN,
		"observers never take part in decisions: an observer cannot state a position")

	// Paragraph 6: an objection, an amendment objected to, a chair's
	// compromise, then consensus.
	p6 := s.para("6")
	s.do(chairAt("2027-07-05T14:10"), engine.ReadParagraph{Para: p6.ID})
	s.refuse(chairAt("2027-07-05T14:11"), engine.TakeDecision{Kind: engine.AgreeAdRef, Para: p6.ID}, engine.ECONFLICT,
		"no consensus to agree paragraph 6 ad ref: CHN (China) objects to paragraph 6")
	a, b := spanOf(t, p6.Text, "remains the basis")
	s.do(delAt("CHN", "2027-07-05T14:12"), engine.ProposeAmendment{Proposer: "CHN", Op: engine.OpReplace, Para: p6.ID, Version: p6.Version, Start: a, End: b, NewText: "remains a basis"})
	s.do(delAt("RUS", "2027-07-05T14:12"), engine.CoSponsor{Amendment: "a1", State: "RUS"})
	s.do(delAt("USA", "2027-07-05T14:13"), engine.StatePosition{State: "USA", Amendment: "a1", Kind: engine.Oppose, Comment: "The framework is the basis."})
	s.refuse(chairAt("2027-07-05T14:14"), engine.TakeDecision{Kind: engine.AcceptAmendment, Amendment: "a1"}, engine.ECONFLICT,
		"no consensus to accept amendment a1: USA (United States of America) objects to amendment a1")
	s.do(chairAt("2027-07-05T14:20"), engine.ReplaceText{Para: p6.ID, Version: p6.Version, Text: strings.Replace(p6.Text, "remains the basis", "remains the foundation", 1), Merges: []engine.AmendmentID{"a1"}})
	s.refuse(chairAt("2027-07-05T14:21"), engine.TakeDecision{Kind: engine.AgreeAdRef, Para: p6.ID}, engine.ECONFLICT,
		"no consensus to agree paragraph 6 ad ref: CHN (China) objects to paragraph 6 (stated on an earlier text) — the chair asks CHN whether the objection stands on the current text; if not, the decision names them in consulted")
	s.do(delAt("CHN", "2027-07-05T14:22"), engine.StatePosition{State: "CHN", Para: p6.ID, Kind: engine.Flexible, Comment: "China can live with the compromise."})
	s.do(chairAt("2027-07-05T14:23"), engine.TakeDecision{Kind: engine.AgreeAdRef, Para: p6.ID})

	// Paragraph 7: the alternatives are settled, then agreed.
	p7 := s.para("7")
	s.do(chairAt("2027-07-05T14:30"), engine.ReadParagraph{Para: p7.ID})
	s.do(chairAt("2027-07-05T14:31"), engine.ClearBrackets{Para: p7.ID, Version: p7.Version, Index: 0, Drop: true})
	s.do(chairAt("2027-07-05T14:32"), engine.ClearBrackets{Para: p7.ID, Version: p7.Version, Index: 0})
	s.do(chairAt("2027-07-05T14:33"), engine.TakeDecision{Kind: engine.AgreeAdRef, Para: p7.ID})

	// Paragraph 11 is agreed as it stands.
	s.do(chairAt("2027-07-05T14:40"), engine.ReadParagraph{Para: s.para("11").ID})
	s.do(chairAt("2027-07-05T14:41"), engine.TakeDecision{Kind: engine.AgreeAdRef, Para: s.para("11").ID})

	// Paragraph 37 (36 in the draft as imported; the zero draft
	// renumbered 23 bis): the Group of 77's amendment, objected to by the EU,
	// then accepted once the EU can live with it.
	p36 := s.para("37")
	s.do(chairAt("2027-07-06T14:00"), engine.ReadParagraph{Para: p36.ID})
	a, b = spanOf(t, p36.Text, "[decided to establish][recommended the establishment of]")
	s.do(delAt("G77", "2027-07-06T14:05"), engine.ProposeAmendment{Proposer: "G77", Op: engine.OpReplace, Para: p36.ID, Version: p36.Version, Start: a, End: b, NewText: "decided to establish"})
	s.do(delAt("EU", "2027-07-06T14:06"), engine.StatePosition{State: "EU", Amendment: "a2", Kind: engine.Oppose})
	s.do(delAt("KEN", "2027-07-06T14:07"), engine.CoSponsor{Amendment: "a2", State: "KEN"})
	s.refuse(chairAt("2027-07-06T14:08"), engine.DecideAmendment{Amendment: "a2", Outcome: engine.Accepted}, engine.ECONFLICT,
		"no consensus to accept amendment a2: EU (European Union and its member States) objects to amendment a2")
	s.do(delAt("EU", "2027-07-06T15:30"), engine.StatePosition{State: "EU", Amendment: "a2", Kind: engine.Flexible})
	s.do(chairAt("2027-07-06T15:31"), engine.TakeDecision{Kind: engine.AcceptAmendment, Amendment: "a2"})
	if !strings.Contains(p36.Text, "and decided to establish such a fund") {
		t.Fatalf("paragraph 36 = %q", p36.Text)
	}

	// 17 alt and Option 2 (paragraphs 42 and 43) are struck; their
	// deletion is agreed.
	for _, num := range []string{"17 alt", "42", "43"} {
		p := s.para(num)
		s.do(chairAt("2027-07-07T14:00"), engine.DeleteParagraph{Para: p.ID})
		s.do(chairAt("2027-07-07T14:01"), engine.TakeDecision{Kind: engine.AgreeAdRef, Para: p.ID})
		if !p.Removed {
			t.Fatalf("paragraph %s not removed", num)
		}
	}

	// The Russian Federation objects to paragraph 24, which the draft
	// inserted as 23 bis in brackets.
	p23bis := s.para("24")
	s.do(delAt("RUS", "2027-07-08T14:00"), engine.StatePosition{State: "RUS", Para: p23bis.ID, Kind: engine.Oppose, Comment: "This paragraph selects some principles and not others."})

	// The chair's compromise: every remaining bracket lifted, the first
	// alternative kept, pending amendments merged.
	for _, p := range s.d.Order() {
		tree := engine.ParseBrackets(p.Text)
		if tree.Count == 0 {
			continue
		}
		var merges []engine.AmendmentID
		for _, am := range s.d.AmendmentsOn(p.ID) {
			if am.Status == engine.Proposed {
				merges = append(merges, am.ID)
			}
		}
		s.do(chairAt("2027-07-09T14:00"), engine.ReplaceText{Para: p.ID, Version: p.Version, Text: engine.SettleBrackets(tree.Nodes), Merges: merges})
	}
	if bs := s.d.FinalBlockers(); len(bs) > 0 {
		t.Fatalf("blockers remain: %v", bs)
	}
	// Adoption in the meeting fails: the objection stands on the text
	// that changed.
	s.refuse(chairAt("2027-07-09T21:00"), engine.TakeDecision{Kind: engine.AdoptDocument}, engine.ECONFLICT,
		"no consensus to adopt A/AC.292/2027/CRP.1: RUS (Russian Federation) objects to paragraph 24 (stated on an earlier text) — the chair asks RUS whether the objection stands on the current text; if not, the decision names them in consulted")
	s.do(chairAt("2027-07-09T21:55"), engine.CloseReading{})
	// The Russian Federation withdraws its objection after the session.
	s.do(delAt("RUS", "2027-07-11T10:00"), engine.StatePosition{State: "RUS", Para: p23bis.ID, Withdraw: true})

	// Silence procedure 1: broken by China.
	s.do(chairAt("2027-07-12T14:00"), engine.OpenSilence{})
	s.refuse(chairAt("2027-07-13T14:00"), engine.EditText{Para: p6.ID, Version: p6.Version, Start: 0, End: 0, Insert: "All "}, engine.ECONFLICT,
		"A/AC.292/2027/CRP.1 is under a silence procedure until 15 July 2027, 14:00 UTC: its text cannot change; a delegation that objects breaks the silence")
	s.do(delAt("CHN", "2027-07-14T09:00"), engine.BreakSilence{State: "CHN", Explanation: "China breaks silence: paragraph 27 does not reflect the views of many States."})
	s.refuse(as(engine.RoleSystem, "system", "", "2027-07-15T14:00"), engine.CloseSilence{}, engine.ECONFLICT, "no silence procedure is open on A/AC.292/2027/CRP.1")

	// Consultations; Rev.1 with a new sentence in paragraph 27; silence
	// procedure 2 passes.
	p26 := s.para("27")
	s.do(chairAt("2027-07-15T16:00"), engine.EditText{Para: p26.ID, Version: p26.Version, Start: len([]rune(p26.Text)), End: len([]rune(p26.Text)), Insert: " Many States stressed that these views should be reflected in future work."})
	s.do(secAt("2027-07-16T09:00"), engine.IssueRevision{Kind: engine.Rev, Date: utc("2027-07-16T00:00")})
	s.do(chairAt("2027-07-16T14:00"), engine.OpenSilence{})
	s.do(delAt("IND", "2027-07-17T10:00"), engine.ExplainPosition{State: "IND", Text: "India joins consensus on the understanding that the voluntary fund will be demand-driven."})
	s.do(delAt("BRA", "2027-07-17T11:00"), engine.StatePosition{State: "BRA", Para: p26.ID, Kind: engine.Support})
	s.refuse(as(engine.RoleSystem, "system", "", "2027-07-18T14:00"), engine.CloseSilence{}, engine.ECONFLICT,
		"the silence procedure on A/AC.292/2027/CRP.1 runs until 19 July 2027, 14:00 UTC; it is now 18 July 2027, 14:00 UTC")
	closeEvs := s.do(as(engine.RoleSystem, "system", "", "2027-07-19T14:05"), engine.CloseSilence{})

	// After adoption: a dissociation with its explanation, the final
	// text.
	s.do(delAt("CHN", "2027-07-20T10:00"), engine.StatePosition{State: "CHN", Para: p26.ID, Kind: engine.Dissociation, Comment: "China dissociates itself from paragraph 27."})
	s.refuse(delAt("CHN", "2027-07-20T10:01"), engine.StatePosition{State: "CHN", Para: p26.ID, Kind: engine.Oppose}, engine.ECONFLICT,
		"paragraph 27 is adopted; a delegation can only dissociate from it now")
	s.do(secAt("2027-07-21T09:00"), engine.IssueRevision{Kind: engine.Final, Symbol: "A/82/101", Date: utc("2027-07-21T00:00")})

	// The final state.
	d := s.d
	if !d.Adopted.Equal(utc("2027-07-19T14:00")) {
		t.Errorf("adopted %v, want at the deadline of the second silence procedure", d.Adopted)
	}
	for _, p := range d.Order() {
		if p.Status != engine.StatusAdopted || engine.HasBrackets(p.Text) {
			t.Errorf("paragraph %s is %s: %q", d.Number(p), p.Status, p.Text)
		}
	}
	var kinds []string
	for _, dec := range d.Decisions {
		kinds = append(kinds, string(dec.Kind)+"/"+string(dec.Via))
	}
	wantKinds := []string{"agree-ad-ref/consensus", "agree-ad-ref/consensus", "agree-ad-ref/consensus", "accept-amendment/consensus",
		"agree-ad-ref/consensus", "agree-ad-ref/consensus", "agree-ad-ref/consensus", "adopt-document/silence-procedure"}
	if !slices.Equal(kinds, wantKinds) {
		t.Errorf("decisions %v\nwant      %v", kinds, wantKinds)
	}
	if len(d.Silences) != 2 || d.Silences[0].Status != engine.SilenceStatusBroken || d.Silences[0].BrokenBy != "CHN" || d.Silences[1].Status != engine.SilenceStatusPassed {
		t.Errorf("silences %+v %+v", d.Silences[0], d.Silences[1])
	}
	if len(d.Explanations) != 1 || d.Explanations[0].Silence != 2 {
		t.Errorf("explanations %+v", d.Explanations)
	}
	last := d.Record[len(d.Record)-1]
	if last.Kind != engine.Dissociation || last.State != "CHN" || last.Comment == "" {
		t.Errorf("last record %+v", last)
	}
	if a1, a2 := d.Amendments["a1"], d.Amendments["a2"]; a1.Status != engine.Merged || a2.Status != engine.Accepted || len(a2.CoSponsors) != 1 {
		t.Errorf("amendments: a1 %s, a2 %s %v", a1.Status, a2.Status, a2.CoSponsors)
	}
	if n := len(d.Revisions); n != 3 || d.Revisions[2].Symbol != "A/82/101" || d.Revisions[1].Symbol != "A/AC.292/2027/CRP.1/Rev.1" {
		t.Errorf("revisions %d", n)
	}
	if len(d.Readings) != 2 || d.Readings[0].Meeting.ID != "informals-2027-06" || d.Readings[1].Meeting.ID != "plenary-2027" {
		t.Errorf("readings %+v", d.Readings)
	}
	var spoke []engine.StateCode
	for _, r := range d.Readings {
		for _, sp := range r.Speakers {
			spoke = append(spoke, sp.Delegation)
		}
	}
	if !slices.Equal(spoke, []engine.StateCode{"FRA", "CHN"}) {
		t.Errorf("speakers %v", spoke)
	}
	sec := d.Sections[slices.IndexFunc(d.Sections, func(x *engine.Section) bool { return x.Source != nil })]
	if sec.Source.Document != "cb-recs-2027" || sec.Source.Symbol != "A/AC.292/2027/DTG.3/1" {
		t.Errorf("section taken in: %+v", sec.Source)
	}
	if x, _ := s.p.Document("cb-recs-2027"); x.TransmittedTo != "plenary" {
		t.Errorf("recommendations not transmitted: %+v", x)
	}

	// The event log: who did what, in order.
	if got := []string{closeEvs[0].Type, closeEvs[1].Type}; !slices.Equal(got, []string{"silence.closed", "decision.taken"}) {
		t.Errorf("closing the silence gave %v", got)
	}
	count := map[string]int{}
	var order []string
	for _, e := range s.dlog {
		count[e.Type]++
		if e.Actor.Role == "" || e.At.IsZero() {
			t.Errorf("event %s is not attributed: %+v", e.Type, e.Actor)
		}
		switch e.Type {
		case "reading.opened", "reading.closed", "silence.opened", "silence.broken", "silence.closed", "revision.issued", "section.added":
			order = append(order, e.Type)
		}
	}
	wantOrder := []string{"revision.issued", "section.added", "reading.opened", "reading.closed", "reading.opened", "reading.closed",
		"silence.opened", "silence.broken", "revision.issued", "silence.opened", "silence.closed", "revision.issued"}
	if !slices.Equal(order, wantOrder) {
		t.Errorf("milestones %v\nwant       %v", order, wantOrder)
	}
	for typ, want := range map[string]int{"decision.taken": 8, "floor.asked": 2, "floor.given": 2, "amendment.proposed": 2, "paragraph.removed": 3, "position.explained": 1} {
		if count[typ] != want {
			t.Errorf("%d %s events, want %d", count[typ], typ, want)
		}
	}
	t.Logf("%d room events, %d process events, %d paragraphs adopted", len(s.dlog), len(s.plog), len(d.Order()))

	// Replaying both logs from empty, after a JSON round trip of each
	// event, gives the same state.
	replayDoc := engine.NewDocument()
	for i, e := range s.dlog {
		back := roundTrip(t, e)
		if err := replayDoc.Apply(back); err != nil {
			t.Fatalf("apply event %d (%s): %v", i, e.Type, err)
		}
	}
	want, _ := json.Marshal(d)
	got, _ := json.Marshal(replayDoc)
	if string(want) != string(got) {
		t.Fatal("replaying the room's log gives another state")
	}
	replayProc := engine.NewProcess()
	for _, e := range s.plog {
		if err := replayProc.Apply(roundTrip(t, e)); err != nil {
			t.Fatal(err)
		}
	}
	want, _ = json.Marshal(s.p)
	got, _ = json.Marshal(replayProc)
	if string(want) != string(got) {
		t.Fatal("replaying the process's log gives another state")
	}
}

func roundTrip(t *testing.T, e engine.Event) engine.Event {
	t.Helper()
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var back engine.Event
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatalf("decode %s: %v", e.Type, err)
	}
	return back
}
