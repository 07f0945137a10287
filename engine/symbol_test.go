package engine

import (
	"encoding/json"
	"testing"
)

// symbolProcess is testProcess with the symbol prefix of the seed
// processes, a plenary in 2026 and one in 2027.
func symbolProcess(t *testing.T) (*Process, *[]Event) {
	t.Helper()
	p := NewProcess()
	var log []Event
	run := func(cmd ProcessCommand) { log = append(log, pmust(t, p, procSec, cmd)...) }
	run(CreateProcess{ID: "gm", Name: "Global Mechanism on ICT security", Short: "GM", SymbolPrefix: "A/AC.292", Start: at("2026-03-23")})
	run(EstablishBody{ID: "plenary", Kind: BodyPlenary, Name: "Plenary"})
	run(EstablishBody{ID: "il", Kind: BodyThematicGroup, Name: "International law"})
	run(ScheduleMeeting{ID: "pl-2026", Body: "plenary", Kind: SubstantivePlenary, Title: "First plenary session", Start: at("2026-07-06T10:00"), End: at("2026-07-10T18:00")})
	run(ScheduleMeeting{ID: "il-2026", Body: "il", Kind: GroupMeeting, Title: "International law", Start: at("2026-12-07T10:00"), End: at("2026-12-07T18:00")})
	run(ScheduleMeeting{ID: "pl-2027", Body: "plenary", Kind: SubstantivePlenary, Title: "Second plenary session", Start: at("2027-07-05T10:00"), End: at("2027-07-09T18:00")})
	return p, &log
}

// registered returns the symbol the process recorded for a document.
func registered(t *testing.T, p *Process, id DocumentID) string {
	t.Helper()
	x, err := p.Document(id)
	if err != nil {
		t.Fatal(err)
	}
	return x.Symbol
}

// TestSymbolAllocation: conference room papers, L-documents and general
// documents are numbered per series and year across every body of the
// process; a new year starts each series again at 1; the events carry the
// symbols, so a replay gives the same ones.
func TestSymbolAllocation(t *testing.T) {
	p, log := symbolProcess(t)
	run := func(c Context, cmd ProcessCommand) []Event {
		evs := pmust(t, p, c, cmd)
		*log = append(*log, evs...)
		return evs
	}
	reg := func(id DocumentID, body BodyID, typ DocumentType, meeting MeetingID) string {
		run(procSec, RegisterDocument{Document: id, Body: body, Type: typ, Title: string(id), Meeting: meeting})
		return registered(t, p, id)
	}
	if got, _ := p.RegistrationSymbol("pl-2026", procSec); got != "A/AC.292/2026/CRP.1" {
		t.Errorf("RegistrationSymbol before any = %q, want A/AC.292/2026/CRP.1", got)
	}
	// One series for every body: the group's paper takes the next number.
	for _, c := range []struct {
		id      DocumentID
		body    BodyID
		typ     DocumentType
		meeting MeetingID
		want    string
	}{
		{"apr", "plenary", DraftProgressReport, "pl-2026", "A/AC.292/2026/CRP.1"},
		{"il-recs", "il", Recommendations, "il-2026", "A/AC.292/2026/CRP.2"},
		{"elements", "plenary", ElementsPaper, "", "A/AC.292/2026/CRP.3"}, // the year of the command: 1 March 2026
		{"apr-2027", "plenary", DraftProgressReport, "pl-2027", "A/AC.292/2027/CRP.1"},
		{"summary", "plenary", ChairsSummary, "pl-2026", "A/AC.292/2026/CRP.4"},
	} {
		if got := reg(c.id, c.body, c.typ, c.meeting); got != c.want {
			t.Errorf("%s registered as %q, want %q", c.id, got, c.want)
		}
	}
	if got, _ := p.RegistrationSymbol("pl-2027", procSec); got != "A/AC.292/2027/CRP.2" {
		t.Errorf("RegistrationSymbol(pl-2027) = %q, want A/AC.292/2027/CRP.2", got)
	}

	alloc := func(id DocumentID, k RevisionKind, date string) string {
		evs := run(procSec, AllocateSymbol{Document: id, Kind: k, Date: at(date)})
		return evs[0].Data.(*SymbolAllocated).Symbol
	}
	if got, _, _ := p.IssueSymbol("apr", LDocument, 2026); got != "A/AC.292/2026/L.1" {
		t.Errorf("IssueSymbol(apr, l-document) before allocation = %q", got)
	}
	for _, c := range []struct {
		id         DocumentID
		kind       RevisionKind
		date, want string
	}{
		{"apr", LDocument, "2026-07-09", "A/AC.292/2026/L.1"},
		{"elements", LDocument, "2026-07-09", "A/AC.292/2026/L.2"},
		{"apr", Final, "2026-07-10", "A/AC.292/2026/1"},
		{"apr-2027", LDocument, "2027-07-08", "A/AC.292/2027/L.1"},
		{"elements", Final, "2027-01-15", "A/AC.292/2027/1"}, // issued in the new year: its year's series
		{"apr-2027", Final, "2027-07-09", "A/AC.292/2027/2"},
	} {
		if got := alloc(c.id, c.kind, c.date); got != c.want {
			t.Errorf("%s %s allocated %q, want %q", c.id, c.kind, got, c.want)
		}
	}
	if got, _, _ := p.IssueSymbol("apr", LDocument, 2030); got != "A/AC.292/2026/L.1" {
		t.Errorf("IssueSymbol of an allocated kind = %q, want the allocated A/AC.292/2026/L.1", got)
	}
	want := map[string]int{"A/AC.292/2026/CRP.": 4, "A/AC.292/2027/CRP.": 1, "A/AC.292/2026/L.": 2, "A/AC.292/2027/L.": 1, "A/AC.292/2026/": 1, "A/AC.292/2027/": 2}
	if got, _ := json.Marshal(p.Symbols); string(got) != mustJSON(want) {
		t.Errorf("counters = %s, want %s", got, mustJSON(want))
	}

	checkRefusals(t, p, nil, []refusal{
		{"typed symbol", procSec, RegisterDocument{Document: "x", Body: "plenary", Type: ElementsPaper, Title: "X", Symbol: "A/AC.292/2026/CRP.9"}, EINVALID,
			`symbol: the symbols of GM's documents are allocated by the process from its prefix A/AC.292 and the year; leave symbol out ("A/AC.292/2026/CRP.9" was given)`},
		{"unknown meeting", procSec, RegisterDocument{Document: "x", Body: "plenary", Type: ElementsPaper, Title: "X", Meeting: "pl-2040"}, ENOTFOUND, "meeting: meeting pl-2040 does not exist in GM"},
		{"allocate twice", procSec, AllocateSymbol{Document: "apr", Kind: Final}, ECONFLICT, "document apr already has its final symbol, A/AC.292/2026/1"},
		{"allocate a rev", procSec, AllocateSymbol{Document: "apr", Kind: Rev}, EINVALID,
			`kind "rev": the process allocates the symbols of l-document and final issues; a zero draft has the document's symbol and a rev adds /Rev.n to it`},
		{"unregistered document", procSec, AllocateSymbol{Document: "nope", Kind: Final}, ENOTFOUND, "document nope is not registered in GM"},
		{"delegate allocates", procDelegate("FRA", "2026-03-01"), AllocateSymbol{Document: "apr", Kind: LDocument}, EFORBIDDEN, "only the secretariat can allocate a document symbol; a delegate cannot"},
	})

	// A replay from the log, after a JSON round trip, gives the same
	// symbols and counters.
	replayed := NewProcess()
	for i, e := range *log {
		b, _ := json.Marshal(e)
		var back Event
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("decode event %d (%s): %v", i, e.Type, err)
		}
		if err := replayed.Apply(back); err != nil {
			t.Fatal(err)
		}
	}
	if a, b := mustJSON(p), mustJSON(replayed); a != b {
		t.Fatalf("replayed process differs\nlive:     %s\nreplayed: %s", a, b)
	}
	if got := registered(t, replayed, "il-recs"); got != "A/AC.292/2026/CRP.2" {
		t.Errorf("replayed il-recs = %q", got)
	}
}

// TestSymbolAllocationRace: two secretariat officers register a document
// each on the same state of the process. Both decisions allocate the same
// number; the log takes the first and refuses the second (its expected
// sequence is stale); decided again on the new state it gets the next
// number. The store half of this is in enginetest, on a real SQLite log.
func TestSymbolAllocationRace(t *testing.T) {
	p, _ := symbolProcess(t)
	a, err := p.Decide(procSec, RegisterDocument{Document: "a", Body: "plenary", Type: ElementsPaper, Title: "A", Meeting: "pl-2026"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := p.Decide(procSec, RegisterDocument{Document: "b", Body: "plenary", Type: ElementsPaper, Title: "B", Meeting: "pl-2026"})
	if err != nil {
		t.Fatal(err)
	}
	if x, y := a[0].Data.(*DocumentRegistered).Document.Symbol, b[0].Data.(*DocumentRegistered).Document.Symbol; x != y || x != "A/AC.292/2026/CRP.1" {
		t.Fatalf("decided on one state: %q and %q, want both A/AC.292/2026/CRP.1 (the log refuses the second)", x, y)
	}
	for _, e := range a {
		if err := p.Apply(e); err != nil {
			t.Fatal(err)
		}
	}
	b, err = p.Decide(procSec, RegisterDocument{Document: "b", Body: "plenary", Type: ElementsPaper, Title: "B", Meeting: "pl-2026"})
	if err != nil {
		t.Fatal(err)
	}
	if got := b[0].Data.(*DocumentRegistered).Document.Symbol; got != "A/AC.292/2026/CRP.2" {
		t.Errorf("decided again after the first: %q, want A/AC.292/2026/CRP.2", got)
	}
}

// TestSymbolsWithoutPrefix: a process without a symbol prefix allocates
// nothing and takes the symbol the secretariat gives.
func TestSymbolsWithoutPrefix(t *testing.T) {
	p := testProcess(t)
	pmust(t, p, procSec, RegisterDocument{Document: "apr", Body: "plenary", Type: DraftProgressReport, Title: "APR", Symbol: "GM/2026/1"})
	if got := registered(t, p, "apr"); got != "GM/2026/1" || len(p.Symbols) != 0 {
		t.Errorf("symbol = %q, counters %v; want the typed GM/2026/1 and no counter", got, p.Symbols)
	}
	checkRefusals(t, p, nil, []refusal{
		{"allocate", procSec, AllocateSymbol{Document: "apr", Kind: Final}, EINVALID, "GM has no symbol prefix: its documents carry the symbols the secretariat gives them"},
	})
}

// TestIssueAllocatedSymbols: a document whose symbols its process
// allocates refuses a typed symbol; its L-document and final issues carry
// the allocated symbol; its Revs add /Rev.n to its own.
func TestIssueAllocatedSymbols(t *testing.T) {
	draft, _, err := ImportDraft(sampleDraft)
	if err != nil {
		t.Fatal(err)
	}
	draft.Symbol = "A/AC.292/2027/CRP.3"
	d := NewDocument()
	if _, err := d.Execute(secretary, CreateDocument{ID: "d1", Draft: draft, SymbolsAllocated: true}); err == nil ||
		err.Error() != "symbolsAllocated: only a document of a process has its symbols allocated, and then the draft carries the allocated symbol" {
		t.Fatalf("allocated symbols outside a process: %v", err)
	}
	must(t, d, secretary, CreateDocument{ID: "d1", Draft: draft, Process: "gm", Body: "plenary", SymbolsAllocated: true})
	refuse(t, d, secretary, IssueRevision{Kind: ZeroDraft, Symbol: "A/AC.292/2027/CRP.9"}, EINVALID,
		`symbol: the symbols of A/AC.292/2027/CRP.3 are allocated by its process; leave symbol out ("A/AC.292/2027/CRP.9" was given)`)
	must(t, d, secretary, IssueRevision{Kind: ZeroDraft})
	must(t, d, secretary, IssueRevision{Kind: Rev})
	refuse(t, d, secretary, IssueRevision{Kind: LDocument, Symbol: "A/AC.292/2027/L.7"}, EINVALID, "symbol: the symbols of A/AC.292/2027/CRP.3 are allocated by its process")
	refuse(t, d, secretary, IssueRevision{Kind: LDocument}, EINVALID, "allocated: the symbol of A/AC.292/2027/CRP.3 as an L-document is allocated by its process, and none was given")
	must(t, d, secretary, IssueRevision{Kind: LDocument, Allocated: "A/AC.292/2027/L.1"})
	refuse(t, d, secretary, IssueRevision{Kind: LDocument, Allocated: "A/AC.292/2027/L.1"}, ECONFLICT, "symbol A/AC.292/2027/L.1 is already used by revision 2")
	var got []string
	for _, r := range d.Revisions {
		got = append(got, r.Symbol)
	}
	if mustJSON(got) != mustJSON([]string{"A/AC.292/2027/CRP.3", "A/AC.292/2027/CRP.3/Rev.1", "A/AC.292/2027/L.1"}) {
		t.Errorf("revisions = %v", got)
	}
	// A document with a typed symbol (outside a process, or from a log
	// written before symbols were allocated) keeps it and takes typed
	// ones; an allocation is refused for it.
	old := newDoc(t, sampleDraft)
	refuse(t, old, secretary, IssueRevision{Kind: ZeroDraft, Allocated: "A/AC.292/2027/CRP.1"}, EINVALID, "allocated: the symbols of A/AC.292/2027/CRP.1 are not allocated by a process; give symbol instead")
	must(t, old, secretary, IssueRevision{Kind: ZeroDraft})
	must(t, old, secretary, IssueRevision{Kind: LDocument, Symbol: "A/AC.292/2027/L.9"})
	if got := old.CurrentSymbol(); got != "A/AC.292/2027/L.9" {
		t.Errorf("typed L-document = %q", got)
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// TestSymbolsOldLog: a process log written before symbols were allocated
// (a document.registered event without symbol or allocation) replays as
// it was: the document has no symbol and the series count nothing, so
// the next paper of the year is still CRP.1.
func TestSymbolsOldLog(t *testing.T) {
	p, _ := symbolProcess(t)
	var old DocumentRegistered
	if err := json.Unmarshal([]byte(`{"document":{"id":"old","body":"plenary","type":"elements-paper","title":"Old paper","registered":"2026-01-05T09:00:00Z"}}`), &old); err != nil {
		t.Fatal(err)
	}
	if err := p.Apply(NewEvent(at("2026-01-05"), procSec.Actor, &old)); err != nil {
		t.Fatal(err)
	}
	if x, err := p.Document("old"); err != nil || x.Symbol != "" || len(p.Symbols) != 0 {
		t.Fatalf("old registration: %+v %v, counters %v", x, err, p.Symbols)
	}
	if got := reg(t, p, "new", "pl-2026"); got != "A/AC.292/2026/CRP.1" {
		t.Errorf("first paper after an old registration = %q", got)
	}
}

func reg(t *testing.T, p *Process, id DocumentID, meeting MeetingID) string {
	t.Helper()
	pmust(t, p, procSec, RegisterDocument{Document: id, Body: "plenary", Type: ElementsPaper, Title: string(id), Meeting: meeting})
	return registered(t, p, id)
}
