package server

import (
	"fmt"
	"testing"

	"github.com/draftroom/draftroom/engine"
)

// TestRoleActionMatrix sends every command as every role over the real
// API and checks who is let through and who is refused with 403. The
// expectations are written out here, not derived from the server's table,
// so that loosening a rule breaks this test.
func TestRoleActionMatrix(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{})
	tok["vc"] = ts.person(Person{ID: "vc", Name: "Vice-Chair", Role: engine.RoleOfficer})
	tok["fac"] = ts.person(Person{ID: "fac", Name: "Facilitator", Role: engine.RoleOfficer})
	tok["tr-fr"] = ts.person(Person{ID: "tr-fr", Name: "French translator", Role: engine.RoleTranslator, Language: "fr"})
	// An amendment by France for the decide/withdraw rows.
	if st, e := ts.command(tok["fra"], "pr", "amendment.propose", engine.ProposeAmendment{Proposer: "FRA", Op: engine.OpInsert, Para: "p2", Version: 1, Start: 0, End: 0, NewText: "All "}); st != 200 {
		t.Fatalf("setup amendment: %d %+v", st, e)
	}
	roles := []string{"sec", "chair", "vc", "fac", "fra", "chn", "ngo", "tr-fr"}
	const Y, N = true, false
	tests := []struct {
		name  string
		cmd   any
		allow []bool // in the order of roles
	}{
		{"paragraph.edit", engine.EditText{Para: "p1", Version: 1, Start: 0, End: 0, Insert: "x"}, []bool{Y, Y, Y, Y, N, N, N, N}},
		{"word-authors.map", engine.MapWordAuthors{Authors: map[string]engine.StateCode{"Jane Doe": "FRA"}}, []bool{Y, N, N, N, N, N, N, N}},
		{"paragraph.replace", engine.ReplaceText{Para: "p1", Version: 99, Text: "x"}, []bool{Y, Y, Y, Y, N, N, N, N}},
		{"paragraph.add", engine.AddParagraph{After: "p1", Numbered: true, Text: "x"}, []bool{Y, Y, Y, Y, N, N, N, N}},
		{"paragraph.delete", engine.DeleteParagraph{Para: "p99"}, []bool{Y, Y, Y, Y, N, N, N, N}},
		{"paragraph.remove", engine.RemoveParagraph{Para: "p99"}, []bool{Y, Y, Y, Y, N, N, N, N}},
		{"paragraph.move", engine.MoveParagraph{Para: "p99"}, []bool{Y, Y, Y, Y, N, N, N, N}},
		{"brackets.add", engine.AddBrackets{Para: "p2", Version: 99, Start: 0, End: 3, By: []engine.StateCode{"CHN"}}, []bool{Y, Y, Y, Y, N, N, N, N}},
		{"brackets.clear", engine.ClearBrackets{Para: "p1", Version: 99}, []bool{Y, Y, Y, Y, N, N, N, N}},
		{"amendment.propose", engine.ProposeAmendment{Proposer: "FRA", Op: engine.OpDelete, Para: "p2", Version: 1, Start: 0, End: 6}, []bool{Y, Y, Y, Y, Y, N, N, N}},
		{"amendment.cosponsor", engine.CoSponsor{Amendment: "a99", State: "FRA"}, []bool{Y, Y, Y, Y, Y, N, N, N}},
		{"amendment.decide", engine.DecideAmendment{Amendment: "a99", Outcome: engine.Accepted}, []bool{N, Y, Y, Y, N, N, N, N}},
		{"amendment.decide", engine.DecideAmendment{Amendment: "a1", Outcome: engine.Withdrawn}, []bool{N, Y, Y, Y, Y, N, N, N}},
		{"position.state", engine.StatePosition{State: "FRA", Para: "p99", Kind: engine.Support}, []bool{Y, Y, Y, Y, Y, N, N, N}},
		{"revision.issue", engine.IssueRevision{Kind: "nonsense"}, []bool{Y, N, N, N, N, N, N, N}},
		{"reading.open", OpenReadingRequest{Kind: engine.FirstReading, Process: "none", Meeting: "m1"}, []bool{N, Y, Y, Y, N, N, N, N}},
		{"reading.close", engine.CloseReading{}, []bool{N, Y, Y, Y, N, N, N, N}},
		{"reading.read", engine.ReadParagraph{Para: "p1"}, []bool{N, Y, Y, Y, N, N, N, N}},
		{"reading.reopen", engine.ReopenParagraph{Para: "p1"}, []bool{N, Y, Y, Y, N, N, N, N}},
		{"floor.ask", engine.AskFloor{Delegation: "FRA"}, []bool{N, Y, Y, Y, Y, N, N, N}},
		{"floor.withdraw", engine.WithdrawFloor{Delegation: "FRA"}, []bool{N, Y, Y, Y, Y, N, N, N}},
		{"floor.give", engine.GiveFloor{Delegation: "FRA"}, []bool{N, Y, Y, Y, N, N, N, N}},
		{"floor.next", engine.NextSpeaker{}, []bool{N, Y, Y, Y, N, N, N, N}},
		{"floor.limit", engine.SetSpeakingTime{Seconds: 180}, []bool{N, Y, Y, Y, N, N, N, N}},
		{"decision.take", engine.TakeDecision{Kind: "nonsense"}, []bool{N, Y, Y, Y, N, N, N, N}},
		{"silence.open", engine.OpenSilence{Para: "p99"}, []bool{N, Y, Y, Y, N, N, N, N}},
		{"silence.close", engine.CloseSilence{}, []bool{N, Y, Y, Y, N, N, N, N}},
		{"silence.break", engine.BreakSilence{State: "FRA"}, []bool{N, N, N, N, Y, N, N, N}},
		{"position.explain", engine.ExplainPosition{State: "FRA", Text: "x"}, []bool{N, N, N, N, Y, N, N, N}},
		{"summary.issue", engine.IssueChairsSummary{}, []bool{N, Y, Y, Y, N, N, N, N}},
		{"consensus.none", engine.RecordNoConsensus{}, []bool{N, Y, Y, Y, N, N, N, N}},
		{"section.takein", TakeInRequest{From: "nowhere", Heading: "x"}, []bool{Y, Y, Y, Y, N, N, N, N}},
		// Translators change their own language version and nothing else.
		{"translation.paragraph", engine.TranslateParagraph{Language: "fr", Para: "p99", Source: 1, Text: "x"}, []bool{Y, N, N, N, N, N, N, Y}},
		{"translation.paragraph", engine.TranslateParagraph{Language: "ar", Para: "p99", Source: 1, Text: "x"}, []bool{Y, N, N, N, N, N, N, N}},
		{"translation.heading", engine.TranslateHeading{Language: "fr", Section: "s99", Text: "x"}, []bool{Y, N, N, N, N, N, N, Y}},
		{"translation.import", engine.ImportTranslation{Language: "fr", Text: "99. x"}, []bool{Y, N, N, N, N, N, N, Y}},
		{"translation.import", engine.ImportTranslation{Language: "zh", Text: "99. x"}, []bool{Y, N, N, N, N, N, N, N}},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.name] = true
		for i, role := range roles {
			t.Run(fmt.Sprintf("%s/%v/%s", tt.name, tt.cmd, role), func(t *testing.T) {
				st, e := ts.command(tok[role], "pr", tt.name, tt.cmd)
				if tt.allow[i] && (st == 403 || st == 401) {
					t.Errorf("%s was refused: %d %s", role, st, e.Error.Message)
				}
				if !tt.allow[i] && (st != 403 || e.Error.Code != engine.EFORBIDDEN || e.Error.Message == "") {
					t.Errorf("%s was not refused: %d %+v", role, st, e)
				}
			})
		}
	}
	for _, name := range CommandNames() {
		if !covered[name] {
			t.Errorf("command %s is not in the role × action table", name)
		}
	}

	// Endpoints: only the secretariat manages people and documents; no
	// session, no access.
	endpoints := []struct {
		method, path string
		body         any
		allow        []bool
	}{
		{"GET", "/api/people", nil, []bool{Y, N, N, N, N, N, N, N}},
		{"POST", "/api/people", Person{ID: "new-" + "x", Name: "X", Role: engine.RoleDelegate, State: "KEN"}, []bool{Y, N, N, N, N, N, N, N}},
		{"POST", "/api/people/chn-1/logins", nil, []bool{Y, N, N, N, N, N, N, N}},
		{"POST", "/api/documents", CreateDocumentRequest{ID: "other", Text: "# T\n\n1. x\n"}, []bool{Y, N, N, N, N, N, N, N}},
		{"GET", "/api/documents", nil, []bool{Y, Y, Y, Y, Y, Y, Y, Y}},
		{"GET", "/api/documents/pr", nil, []bool{Y, Y, Y, Y, Y, Y, Y, Y}},
	}
	for _, ep := range endpoints {
		for i, role := range roles {
			var e apiError
			st := ts.call(tok[role], ep.method, ep.path, ep.body, &e)
			if ep.allow[i] && st >= 400 && st != 409 {
				t.Errorf("%s %s as %s: %d %+v", ep.method, ep.path, role, st, e)
			}
			if !ep.allow[i] && st != 403 {
				t.Errorf("%s %s as %s: %d, want 403", ep.method, ep.path, role, st)
			}
		}
		if st := ts.call("", ep.method, ep.path, ep.body, nil); st != 401 {
			t.Errorf("%s %s without a session: %d, want 401", ep.method, ep.path, st)
		}
	}
}

// TestObserverRefusals checks the wording observers get.
func TestObserverRefusals(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{})
	st, e := ts.command(tok["ngo"], "pr", "amendment.propose", engine.ProposeAmendment{Proposer: "FRA", Op: engine.OpInsert, Para: "p1", Version: 1, NewText: "x"})
	if st != 403 || e.Error.Message != "observers follow the room but cannot propose amendments: they never propose text or take part in decisions" {
		t.Errorf("observer proposing: %d %q", st, e.Error.Message)
	}
	st, e = ts.command(tok["fra"], "pr", "amendment.propose", engine.ProposeAmendment{Proposer: "XXX", Op: engine.OpInsert, Para: "p1", Version: 1, NewText: "x"})
	if st != 400 || e.Error.Message != `"XXX" is not a Member State or negotiating group` {
		t.Errorf("unknown proposer: %d %q", st, e.Error.Message)
	}
}
