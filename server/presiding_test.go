package server

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// TestPresidingThroughTheAPI: presiding is an office. Through the real
// API, on a real SQLite file, during the permanent mechanism's first
// plenary: a person the secretariat labelled an officer but nobody
// elected, the vice-chair of a group in the plenary, and an observer in
// the plenary are each refused with 403 naming the rule; the elected chair
// presides, and the record says in which capacity.
func TestPresidingThroughTheAPI(t *testing.T) {
	clk := &clock{t: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	ts := startServer(t, Config{Now: clk.now})
	sec := ts.person(Person{ID: "sec", Name: "Secretariat", Role: engine.RoleSecretariat})
	var e apiError
	if st := ts.call(sec, "POST", "/api/people", Person{ID: "fake", Name: "Fake chair", Role: engine.RoleChair}, &e); st != 400 ||
		e.Error.Message != `role "chair" is an office, held by election, not a role a person is given: add the person as an officer and elect them in the process (officer.nominate, officer.elect)` {
		t.Errorf("a person registered as chair: %d %q", st, e.Error.Message)
	}
	tok := map[string]string{
		"impostor": ts.person(Person{ID: "impostor", Name: "Never elected", Role: engine.RoleOfficer}),
		"chair":    ts.person(Person{ID: "chair-gm-1", Name: "Chair", Role: engine.RoleOfficer}),
		"vc":       ts.person(Person{ID: "vc-dtg-international-law", Name: "Vice-Chair for international law", Role: engine.RoleOfficer}),
		"ngo":      ts.person(Person{ID: "ngo-1", Name: "NGO", Role: engine.RoleObserver, Org: "Cyber Peace Network"}),
	}
	if st := ts.call(sec, "POST", "/api/processes", CreateProcessRequest{Template: "permanent-mechanism"}, &e); st != 201 {
		t.Fatalf("process: %d %+v", st, e)
	}
	// The offices a person holds are the processes' elections, shown with
	// the person; an unelected officer holds none.
	var me Me
	if ts.call(tok["chair"], "GET", "/api/me", nil, &me); me.Role != engine.RoleOfficer || len(me.Offices) != 1 || me.Offices[0].Role != engine.RoleChair || me.Offices[0].Process != "permanent-mechanism" || me.Offices[0].Meeting != "org-2025" {
		t.Errorf("the chair's offices: %+v", me)
	}
	var none Me
	if ts.call(tok["impostor"], "GET", "/api/me", nil, &none); none.ID != "impostor" || len(none.Offices) != 0 {
		t.Errorf("an unelected officer holds %+v", none.Offices)
	}
	proc := func(who, name string, cmd any) {
		t.Helper()
		if st := ts.call(who, "POST", "/api/processes/permanent-mechanism/commands", map[string]any{"name": name, "command": cmd}, &e); st != 200 {
			t.Fatalf("%s: %d %+v", name, st, e)
		}
	}
	proc(sec, "observer.propose", engine.ProposeObserver{ID: "cpn", Name: "Cyber Peace Network", Category: engine.CategoryNGO, Deadline: clk.now().Add(time.Hour)})
	clk.add(2 * time.Hour)
	proc(sec, "accreditation.close", engine.CloseAccreditation{Observer: "cpn"})
	proc(sec, "participant.register", engine.RegisterParticipant{Person: "ngo-1", Name: "NGO", Role: engine.RoleObserver, Observer: "cpn"})
	// Before the consultation, the NGO submits a written contribution to it.
	proc(tok["ngo"], "contribution.submit", engine.SubmitContribution{Meeting: "sc-2026", Title: "Views on the points of contact directory", Text: "CERTs should be listed."})
	if st := ts.call(tok["ngo"], "POST", "/api/processes/permanent-mechanism/commands", map[string]any{"name": "contribution.submit",
		"command": engine.SubmitContribution{Meeting: "plenary-2026", Title: "T", Text: "x"}}, &e); st != 403 || !strings.Contains(e.Error.Message, "is a substantive plenary meeting, where States negotiate") {
		t.Errorf("a contribution to the plenary: %d %q", st, e.Error.Message)
	}
	clk.t = time.Date(2026, 3, 24, 10, 0, 0, 0, time.UTC)
	var created CreateDocumentResponse
	if st := ts.call(sec, "POST", "/api/documents", CreateDocumentRequest{ID: "pr", Text: testDraft, Process: "permanent-mechanism", Body: "plenary"}, &created); st != 201 {
		t.Fatalf("document: %d", st)
	}
	open := OpenReadingRequest{Kind: engine.FirstReading, Process: "permanent-mechanism", Meeting: "plenary-2026"}
	held := "is a document of plenary (Substantive plenary of the Global Mechanism), presided over on 23 March 2026 by chair, Chair of the Global Mechanism 2025–2027 (Kenya) [chair-gm-1]"
	for _, c := range []struct {
		who, name string
		cmd       any
		want      string
	}{
		{"impostor", "reading.open", open, "impostor cannot open a reading: " + created.Document.Symbol + " " + held},
		{"vc", "reading.open", open, "vc-dtg-international-law cannot open a reading: " + created.Document.Symbol + " " + held},
	} {
		if st, e := ts.command(tok[c.who], "pr", c.name, c.cmd); st != 403 || e.Error.Code != engine.EFORBIDDEN || e.Error.Message != c.want {
			t.Errorf("%s %s: %d %q\nwant 403 %q", c.who, c.name, st, e.Error.Message, c.want)
		}
	}
	raw, _ := json.Marshal(open)
	var res CommandResponse
	st := ts.call(tok["chair"], "POST", "/api/documents/pr/commands", CommandRequest{Name: "reading.open", Command: raw}, &res)
	if st != 200 || len(res.Events) != 1 || res.Events[0].Actor.Role != engine.RoleChair {
		t.Fatalf("the elected chair opens the reading: %d %+v", st, res)
	}
	for _, c := range []struct {
		who, name string
		cmd       any
		want      string
	}{
		{"impostor", "decision.take", engine.TakeDecision{Kind: engine.AgreeAdRef, Para: "p1"}, "impostor cannot take a decision: " + created.Document.Symbol + " " + held},
		{"vc", "reading.read", engine.ReadParagraph{Para: "p1"}, "vc-dtg-international-law cannot move the reading pointer: " + created.Document.Symbol + " " + held},
		{"ngo", "floor.ask", engine.AskFloor{Delegation: "cpn"}, "observers take the floor in stakeholder consultations and in the meetings of groups and intersessional meetings open to them; meeting plenary-2026 (First substantive plenary session) is a substantive plenary meeting, where States take the floor"},
		{"ngo", "amendment.propose", engine.ProposeAmendment{Proposer: "FRA", Op: engine.OpInsert, Para: "p1", Version: 1, NewText: "x"}, "observers follow the room but cannot propose amendments: they never propose text or take part in decisions"},
	} {
		if st, e := ts.command(tok[c.who], "pr", c.name, c.cmd); st != 403 || e.Error.Code != engine.EFORBIDDEN || e.Error.Message != c.want {
			t.Errorf("%s %s: %d %q\nwant 403 %q", c.who, c.name, st, e.Error.Message, c.want)
		}
	}
	// In a stakeholder consultation the accredited NGO asks for the floor
	// under its own code (the server takes it from the process's
	// registration) and is given it.
	for _, c := range []struct {
		who, name string
		cmd       any
	}{
		{"chair", "reading.close", engine.CloseReading{}},
		{"chair", "reading.open", OpenReadingRequest{Kind: engine.FirstReading, Process: "permanent-mechanism", Meeting: "sc-2026"}},
		{"ngo", "floor.ask", engine.AskFloor{Delegation: "cpn"}},
		{"chair", "floor.next", engine.NextSpeaker{}},
	} {
		if st, e := ts.command(tok[c.who], "pr", c.name, c.cmd); st != 200 {
			t.Fatalf("%s %s: %d %q", c.who, c.name, st, e.Error.Message)
		}
	}
}
