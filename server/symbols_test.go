package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// TestSymbolsFromProcess: through the API, a document of the permanent
// mechanism gets its symbol from the process — a conference room paper of
// the year of the meeting it is prepared for, numbered across the bodies;
// a symbol typed for it is refused, naming the field; the desk's preview
// shows the symbol before it is allocated; two creations at once get
// distinct numbers, also when "draftroom import" wrote to the log behind
// the server's back; L-document and final issues take their symbols from
// the process, and an issue the room refuses takes no number; a restart
// replays the same symbols. A document outside any process keeps its
// typed symbol.
func TestSymbolsFromProcess(t *testing.T) {
	clk := &clock{t: time.Date(2026, 2, 2, 10, 0, 0, 0, time.UTC)}
	cfg := Config{Now: clk.now}
	ts := startServer(t, cfg)
	cfg.Log = ts.log
	sec := ts.person(Person{ID: "sec", Name: "Secretariat", Role: engine.RoleSecretariat})
	fra := ts.person(Person{ID: "fra-1", Name: "France", Role: engine.RoleDelegate, State: "FRA"})
	var e apiError
	if st := ts.call(sec, "POST", "/api/processes", CreateProcessRequest{Template: "permanent-mechanism"}, &e); st != 201 {
		t.Fatalf("process from template: %d %+v", st, e)
	}
	next := func(path, want string) {
		t.Helper()
		var n NextSymbol
		if st := ts.call(sec, "GET", path, nil, &n); st != 200 || n.Symbol != want || !n.Allocated {
			t.Errorf("GET %s: %d %+v, want %s, allocated", path, st, n, want)
		}
	}
	next("/api/processes/permanent-mechanism/next-symbol?meeting=plenary-2026", "A/AC.292/2026/CRP.1")
	next("/api/processes/permanent-mechanism/next-symbol?meeting=plenary-2027", "A/AC.292/2027/CRP.1")
	next("/api/processes/permanent-mechanism/next-symbol", "A/AC.292/2026/CRP.1") // the server's date: 2 February 2026
	if st := ts.call(fra, "GET", "/api/processes/permanent-mechanism/next-symbol", nil, &e); st != 403 {
		t.Errorf("a delegate asks for the next symbol: %d", st)
	}

	// A typed symbol is refused, naming the field; nothing is allocated.
	st := ts.call(sec, "POST", "/api/documents", CreateDocumentRequest{ID: "typed", Text: testDraft, Process: "permanent-mechanism", Body: "plenary", Symbol: "A/AC.292/2026/CRP.7"}, &e)
	if want := `symbol: the symbols of Global Mechanism's documents are allocated by the process from its prefix A/AC.292 and the year; leave symbol out ("A/AC.292/2026/CRP.7" was given)`; st != 400 || e.Error.Message != want {
		t.Errorf("typed symbol: %d %q\nwant 400 %q", st, e.Error.Message, want)
	}
	// A bad draft takes no number either.
	if st := ts.call(sec, "POST", "/api/documents", CreateDocumentRequest{ID: "bad", Text: "# T\n\n1. \x00", Process: "permanent-mechanism", Body: "plenary"}, &e); st != 400 {
		t.Errorf("bad draft: %d %+v", st, e)
	}
	next("/api/processes/permanent-mechanism/next-symbol?meeting=plenary-2026", "A/AC.292/2026/CRP.1")

	create := func(id engine.DocumentID, typ engine.DocumentType, body engine.BodyID, meeting engine.MeetingID) CreateDocumentResponse {
		t.Helper()
		var out CreateDocumentResponse
		if st := ts.call(sec, "POST", "/api/documents", CreateDocumentRequest{ID: id, Type: typ, Text: testDraft, Process: "permanent-mechanism", Body: body, Meeting: meeting}, &out); st != 201 {
			t.Fatalf("create %s: %d", id, st)
		}
		return out
	}
	apr := create("apr", engine.DraftProgressReport, "plenary", "plenary-2026")
	if apr.Document.Symbol != "A/AC.292/2026/CRP.1" {
		t.Errorf("apr = %s, want A/AC.292/2026/CRP.1", apr.Document.Symbol)
	}
	if n := apr.Report.Notes; len(n) == 0 || n[len(n)-1].Key != "symbolNotUsed" || n[len(n)-1].Text != "the draft's symbol A/AC.292/2027/CRP.1 is not used: Global Mechanism allocates its documents' symbols, and this one is A/AC.292/2026/CRP.1" {
		t.Errorf("import notes = %q", n)
	}
	if got := create("il", engine.Recommendations, "dtg-international-law", "international-law-2026-12").Document.Symbol; got != "A/AC.292/2026/CRP.2" {
		t.Errorf("the group's paper = %s, want A/AC.292/2026/CRP.2 (one series for every body)", got)
	}
	if got := create("apr-2027", engine.DraftProgressReport, "plenary", "plenary-2027").Document.Symbol; got != "A/AC.292/2027/CRP.1" {
		t.Errorf("a paper for 2027 = %s, want A/AC.292/2027/CRP.1", got)
	}

	// "draftroom import" registers a paper in the log behind the
	// server's back: the server's next append is refused, it catches up
	// and allocates the number after it.
	p, seq, err := engine.LoadProcess(context.Background(), ts.log, "permanent-mechanism")
	if err != nil {
		t.Fatal(err)
	}
	evs, err := p.Decide(engine.Context{Now: clk.now(), Actor: engine.Actor{Person: "cli", Role: engine.RoleSecretariat}},
		engine.RegisterDocument{Document: "cli", Body: "plenary", Type: engine.ElementsPaper, Title: "From the command line", Meeting: "plenary-2026"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.log.Append(context.Background(), engine.ProcessStream("permanent-mechanism"), seq, evs); err != nil {
		t.Fatal(err)
	}
	// Two officers at once.
	var wg sync.WaitGroup
	got := make([]string, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var out CreateDocumentResponse
			if st := ts.call(sec, "POST", "/api/documents", CreateDocumentRequest{ID: engine.DocumentID(fmt.Sprintf("paper-%d", i)), Type: engine.ElementsPaper, Text: testDraft,
				Process: "permanent-mechanism", Body: "plenary", Meeting: "plenary-2026"}, &out); st == 201 {
				got[i] = out.Document.Symbol
			}
		}()
	}
	wg.Wait()
	if !(got[0] == "A/AC.292/2026/CRP.4" && got[1] == "A/AC.292/2026/CRP.5" || got[0] == "A/AC.292/2026/CRP.5" && got[1] == "A/AC.292/2026/CRP.4") {
		t.Errorf("two papers created at once after the command line's CRP.3: %q, want CRP.4 and CRP.5", got)
	}

	// Issues: a typed symbol is refused; so is an allocation a client
	// makes up.
	issue := func(token string, cmd any) (int, apiError) { return ts.command(token, "apr", "revision.issue", cmd) }
	if st, e := issue(sec, engine.IssueRevision{Kind: engine.ZeroDraft, Symbol: "A/AC.292/2026/CRP.9"}); st != 400 ||
		e.Error.Message != `symbol: the symbols of A/AC.292/2026/CRP.1 are allocated by its process; leave symbol out ("A/AC.292/2026/CRP.9" was given)` {
		t.Errorf("typed zero-draft symbol: %d %+v", st, e)
	}
	if st, e := issue(sec, map[string]any{"kind": "l-document", "allocated": "A/AC.292/2026/L.99"}); st != 400 ||
		e.Error.Message != "command.allocated: the server asks the process for the allocated symbol; a client never sends it" {
		t.Errorf("client-made allocation: %d %+v", st, e)
	}
	if st, e := issue(sec, engine.IssueRevision{Kind: engine.ZeroDraft}); st != 200 {
		t.Fatalf("zero draft: %d %+v", st, e)
	}
	next("/api/documents/apr/next-symbol?kind=rev", "A/AC.292/2026/CRP.1/Rev.1")
	next("/api/documents/apr/next-symbol?kind=l-document", "A/AC.292/2026/L.1")
	next("/api/documents/apr/next-symbol?kind=l-document&date=2027-01-04", "A/AC.292/2027/L.1")
	// A final text with brackets is refused before the process is
	// asked: no number is taken.
	if st, e := issue(sec, engine.IssueRevision{Kind: engine.Final}); st != 409 || !strings.Contains(e.Error.Message, "the text cannot be final") {
		t.Errorf("final with brackets: %d %+v", st, e)
	}
	next("/api/documents/apr/next-symbol?kind=final", "A/AC.292/2026/1")
	var pr struct {
		Process engine.Process `json:"process"`
	}
	if ts.call(sec, "GET", "/api/processes/permanent-mechanism", nil, &pr); pr.Process.Symbols["A/AC.292/2026/"] != 0 {
		t.Errorf("a refused final took a number: %v", pr.Process.Symbols)
	}
	if st, e := issue(sec, engine.IssueRevision{Kind: engine.LDocument}); st != 200 {
		t.Fatalf("L-document: %d %+v", st, e)
	}
	if st, e := ts.command(sec, "il", "revision.issue", engine.IssueRevision{Kind: engine.LDocument}); st != 200 {
		t.Fatalf("L-document of the group: %d %+v", st, e)
	}
	revs := func(ts *testServer, id engine.DocumentID) []string {
		var d DocumentResponse
		ts.call(sec, "GET", "/api/documents/"+string(id), nil, &d)
		var out []string
		for _, r := range d.View.Revisions {
			out = append(out, r.Symbol)
		}
		return out
	}
	want := map[engine.DocumentID]string{"apr": `["A/AC.292/2026/CRP.1","A/AC.292/2026/L.1"]`, "il": `["A/AC.292/2026/L.2"]`}
	for id, w := range want {
		if b, _ := json.Marshal(revs(ts, id)); string(b) != w {
			t.Errorf("%s revisions = %s, want %s", id, b, w)
		}
	}

	// Outside any process a typed symbol is the escape.
	var out CreateDocumentResponse
	if st := ts.call(sec, "POST", "/api/documents", CreateDocumentRequest{ID: "free", Text: testDraft, Symbol: "GM/INF/1"}, &out); st != 201 || out.Document.Symbol != "GM/INF/1" {
		t.Errorf("document outside any process: %d %+v", st, out.Document)
	}
	if st, e := ts.command(sec, "free", "revision.issue", engine.IssueRevision{Kind: engine.LDocument, Symbol: "GM/L.1"}); st != 200 {
		t.Errorf("typed L-document outside any process: %d %+v", st, e)
	}

	// A process without a symbol prefix takes the symbol given.
	custom := json.RawMessage(`{"id": "np", "name": "A process without a prefix", "start": "2026-01-01", "bodies": [{"id": "plenary", "kind": "plenary", "name": "Plenary"}]}`)
	if st := ts.call(sec, "POST", "/api/processes", CreateProcessRequest{Custom: custom}, &e); st != 201 {
		t.Fatalf("custom process: %d %+v", st, e)
	}
	if st := ts.call(sec, "POST", "/api/documents", CreateDocumentRequest{ID: "np-1", Text: testDraft, Process: "np", Body: "plenary", Symbol: "NP/2026/1"}, &out); st != 201 || out.Document.Symbol != "NP/2026/1" {
		t.Errorf("typed symbol in a process without a prefix: %d %+v", st, out.Document)
	}

	// A restart replays the same symbols, and the next allocation
	// continues the series.
	ts.stop()
	ts2 := startServer(t, cfg)
	sec = ts2.person(Person{ID: "sec2", Name: "Secretariat", Role: engine.RoleSecretariat})
	for id, w := range want {
		if b, _ := json.Marshal(revs(ts2, id)); string(b) != w {
			t.Errorf("after a restart %s revisions = %s, want %s", id, b, w)
		}
	}
	var n NextSymbol
	if ts2.call(sec, "GET", "/api/processes/permanent-mechanism/next-symbol?meeting=plenary-2026", nil, &n); n.Symbol != "A/AC.292/2026/CRP.6" {
		t.Errorf("after a restart the next paper is %q, want A/AC.292/2026/CRP.6", n.Symbol)
	}
}
