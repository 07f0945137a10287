package server

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine"
)

// The attacks of issue 16, each through the real server on a real SQLite
// file; docs/reliability.md lists them with the result expected and seen.

// TestAttackForgedCoSponsors: a delegate of France names other States as
// co-sponsors of its proposal, made-up codes, markup and ten thousand
// entries. Every such proposal is refused naming the field and nothing is
// stored; the United States then co-sponsors by its own command, which is
// the only way a State's name gets onto another's amendment.
func TestAttackForgedCoSponsors(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{})
	usa := ts.person(Person{ID: "usa-1", Name: "United States", Role: engine.RoleDelegate, State: "USA"})
	var doc DocumentResponse
	ts.call(tok["fra"], "GET", "/api/documents/pr", nil, &doc)
	p2 := paraByNumber(t, doc.View, "2")
	many := make([]engine.StateCode, 10000)
	for i := range many {
		many[i] = engine.StateCode(fmt.Sprintf("X%04d", i))
	}
	for _, tt := range []struct {
		name string
		co   []engine.StateCode
		want string
	}{
		{"other States and groups", []engine.StateCode{"CHN", "USA", "RUS", "G77", "EU"}, `coSponsors: a proposal by FRA cannot name "CHN" as co-sponsor`},
		{"made-up code", []engine.StateCode{"ZZZ"}, `cannot name "ZZZ" as co-sponsor`},
		{"markup", []engine.StateCode{"<script>alert(1)</script>"}, `cannot name "<script>alert(1)</script>" as co-sponsor`},
		{"ten thousand entries", many, `cannot name "X0000" as co-sponsor`},
	} {
		st, e := ts.command(tok["fra"], "pr", "amendment.propose", engine.ProposeAmendment{Proposer: "FRA", CoSponsors: tt.co, Op: engine.OpReplace, Para: p2.ID, Version: p2.Version, Start: 7, End: 15, NewText: "reaffirmed"})
		if st != 400 || e.Error.Code != engine.EINVALID || !strings.Contains(e.Error.Message, tt.want) {
			t.Errorf("%s: %d %+v, want 400 containing %q", tt.name, st, e, tt.want)
		}
	}
	// The pen cannot forge them either.
	if st, e := ts.command(tok["chair"], "pr", "amendment.propose", engine.ProposeAmendment{Proposer: "FRA", CoSponsors: []engine.StateCode{"USA"}, Op: engine.OpReplace, Para: p2.ID, Version: p2.Version, Start: 7, End: 15, NewText: "reaffirmed"}); st != 400 {
		t.Errorf("chair naming USA as co-sponsor of France: %d %+v", st, e)
	}
	var evs []engine.Event
	ts.call(tok["fra"], "GET", "/api/documents/pr/events", nil, &evs)
	for _, e := range evs {
		if e.Type == "amendment.proposed" {
			t.Fatalf("a refused proposal was stored: %+v", e)
		}
	}
	// Consent: France proposes alone (naming itself is harmless), the
	// United States joins by itself.
	if st, e := ts.command(tok["fra"], "pr", "amendment.propose", engine.ProposeAmendment{Proposer: "FRA", CoSponsors: []engine.StateCode{"FRA"}, Op: engine.OpReplace, Para: p2.ID, Version: p2.Version, Start: 7, End: 15, NewText: "reaffirmed"}); st != 200 {
		t.Fatalf("proposal: %d %+v", st, e)
	}
	if st, e := ts.command(tok["fra"], "pr", "amendment.cosponsor", engine.CoSponsor{Amendment: "a1", State: "USA"}); st != 403 {
		t.Errorf("France co-sponsoring for the United States: %d %+v, want 403", st, e)
	}
	if st, e := ts.command(tok["chair"], "pr", "amendment.cosponsor", engine.CoSponsor{Amendment: "a1", State: "ZZZ"}); st != 400 || !strings.Contains(e.Error.Message, `"ZZZ" is not a Member State or negotiating group`) {
		t.Errorf("made-up co-sponsor by the pen: %d %+v", st, e)
	}
	if st, e := ts.command(usa, "pr", "amendment.cosponsor", engine.CoSponsor{Amendment: "a1", State: "USA"}); st != 200 {
		t.Fatalf("USA co-sponsoring: %d %+v", st, e)
	}
	ts.call(tok["fra"], "GET", "/api/documents/pr", nil, &doc)
	if len(doc.View.Amendments) != 1 || fmt.Sprint(doc.View.Amendments[0].CoSponsors) != "[USA]" {
		b, _ := json.Marshal(doc.View.Amendments)
		t.Fatalf("amendments = %s, want a1 co-sponsored by USA alone", b)
	}
}
