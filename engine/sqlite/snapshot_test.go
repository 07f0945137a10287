package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// TestSnapshotPlusTailEqualsReplay stores a document's events in a real
// log, saves a snapshot part-way, stores more, and checks that loading
// from the snapshot and the tail gives exactly the state of replaying
// every event from empty.
func TestSnapshotPlusTailEqualsReplay(t *testing.T) {
	ctx := context.Background()
	l := open(t, filepath.Join(t.TempDir(), "snap.db"), Options{})
	draft, _, err := engine.ImportDraft("# Report\n<!-- symbol: A/AC.292/2027/CRP.1 -->\n\n## A\n\n1. States [shall][should] act.\n\n2. ينبغي للدول [أن تنظر] في التدابير.\n\n3. 各国[应]考虑措施。\n")
	if err != nil {
		t.Fatal(err)
	}
	c := engine.Context{Now: time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC), Actor: engine.Actor{Person: "sec", Role: engine.RoleSecretariat}}
	live, stored, err := engine.CreateDocumentIn(ctx, l, c, engine.CreateDocument{ID: "d", Draft: draft})
	if err != nil {
		t.Fatal(err)
	}
	seq := stored[len(stored)-1].StreamSeq
	do := func(cmd engine.DocumentCommand) {
		t.Helper()
		evs, err := live.Decide(c, cmd)
		if err != nil {
			t.Fatalf("%T: %v", cmd, err)
		}
		out, err := l.Append(ctx, engine.DocumentStream("d"), seq, evs)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range out {
			live.Apply(e)
			seq = e.StreamSeq
		}
	}
	for i := 0; i < 40; i++ {
		p := live.Paragraphs[engine.ParagraphID(fmt.Sprintf("p%d", 1+i%3))]
		do(engine.EditText{Para: p.ID, Version: p.Version, Start: 0, End: 0, Insert: "x"})
		do(engine.StatePosition{State: "FRA", Para: p.ID, Kind: engine.Support})
		if i == 20 {
			b, _ := json.Marshal(live)
			if err := l.SaveSnapshot(ctx, engine.DocumentStream("d"), engine.Snapshot{StreamSeq: seq, Data: b}); err != nil {
				t.Fatal(err)
			}
		}
	}
	do(engine.ProposeAmendment{Proposer: "CHN", Op: engine.OpInsert, Para: "p3", Version: live.Paragraphs["p3"].Version, Start: 0, End: 0, NewText: "所有"})
	do(engine.IssueRevision{Kind: engine.ZeroDraft})

	fromSnap, gotSeq, snapSeq, _, err := engine.LoadDocument(ctx, l, "d")
	if err != nil {
		t.Fatal(err)
	}
	if snapSeq == 0 || gotSeq != seq {
		t.Fatalf("loaded to %d from snapshot %d; want %d from a snapshot", gotSeq, snapSeq, seq)
	}
	replay := engine.NewDocument()
	evs, err := l.Read(ctx, engine.DocumentStream("d"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		replay.Apply(e)
	}
	a, _ := json.Marshal(fromSnap)
	b, _ := json.Marshal(replay)
	w, _ := json.Marshal(live)
	if string(a) != string(b) || string(b) != string(w) {
		t.Fatalf("snapshot + tail differs from full replay or live state\nsnapshot+tail: %.300s\nreplay:        %.300s", a, b)
	}
}
