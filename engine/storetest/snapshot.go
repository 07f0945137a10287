package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// testSnapshotPlusTailEqualsReplay stores a document's events, saves a
// snapshot part-way, stores more, and checks that loading from the
// snapshot and the tail gives exactly the state of replaying every event
// from empty.
func testSnapshotPlusTailEqualsReplay(t *testing.T, s Store) {
	ctx := context.Background()
	l := open(t, s, Options{})
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

// tally is a tiny fold of Note events: how many, and their numbers in
// order. It stands in for an engine aggregate.
type tally struct {
	Count int    `json:"count"`
	Ns    string `json:"ns"`
}

func (s *tally) apply(e engine.Event) {
	s.Count++
	s.Ns += fmt.Sprintf("%d,", e.Data.(*Note).N)
}

// testSnapshotTailEqualsReplayFold saves snapshots of a small fold at
// several points and checks, at each, that the newest snapshot plus the
// events after it fold to exactly the state of replaying everything.
func testSnapshotTailEqualsReplayFold(t *testing.T, s Store) {
	ctx := context.Background()
	l := open(t, s, Options{})
	const stream = engine.StreamID("doc/fold")
	var live tally
	var seq uint64
	for round, tt := range []struct {
		append   int  // events to append
		snapshot bool // then save a snapshot of the live state
	}{
		{5, false}, {3, true}, {4, false}, {1, true}, {6, true}, {7, false},
	} {
		out, err := l.Append(ctx, stream, seq, Notes(int(seq), tt.append))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range out {
			live.apply(e)
			seq = e.StreamSeq
		}
		if tt.snapshot {
			b, _ := json.Marshal(live)
			if err := l.SaveSnapshot(ctx, stream, engine.Snapshot{StreamSeq: seq, Data: b}); err != nil {
				t.Fatal(err)
			}
		}
		var fromSnap tally
		var after uint64
		if snap, ok, err := l.LoadSnapshot(ctx, stream); err != nil {
			t.Fatal(err)
		} else if ok {
			if err := json.Unmarshal(snap.Data, &fromSnap); err != nil {
				t.Fatal(err)
			}
			after = snap.StreamSeq
		}
		tail, err := l.Read(ctx, stream, after, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range tail {
			fromSnap.apply(e)
		}
		var replay tally
		all, err := l.Read(ctx, stream, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range all {
			replay.apply(e)
		}
		if fromSnap != replay || replay != live {
			t.Errorf("round %d: snapshot (at %d) + tail = %+v, full replay = %+v, live = %+v; want all equal", round, after, fromSnap, replay, live)
		}
	}
}

func testSnapshots(t *testing.T, s Store) {
	ctx := context.Background()
	l := open(t, s, Options{})
	if _, ok, err := l.LoadSnapshot(ctx, "doc/a"); ok || err != nil {
		t.Fatalf("LoadSnapshot of an empty stream = %v, %v; want none", ok, err)
	}
	if _, err := l.Append(ctx, "doc/a", 0, Notes(0, 30)); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		seq     uint64
		wantErr string
	}{
		{"at 10", 10, ""},
		{"at 30", 30, ""},
		{"at 20, older than the newest", 20, ""},
		{"ahead of the stream", 31, "a snapshot of doc/a as of event 31 cannot be saved: the stream is at 30"},
		{"at 0", 0, "a snapshot of doc/a as of event 0 cannot be saved: the stream is at 30"},
	} {
		err := l.SaveSnapshot(ctx, "doc/a", engine.Snapshot{StreamSeq: tt.seq, Data: []byte(fmt.Sprint(tt.seq))})
		if engine.ErrorMessage(err) != tt.wantErr {
			t.Errorf("%s: got error %v, want %q", tt.name, err, tt.wantErr)
		}
	}
	if err := l.SaveSnapshot(ctx, "doc/none", engine.Snapshot{StreamSeq: 1}); engine.ErrorCode(err) != engine.EINVALID {
		t.Errorf("snapshot of an empty stream: got %v, want invalid", err)
	}
	got, ok, err := l.LoadSnapshot(ctx, "doc/a")
	if !ok || err != nil || got.StreamSeq != 30 || string(got.Data) != "30" {
		t.Errorf("LoadSnapshot = %+v, %v, %v; want the one at 30", got, ok, err)
	}
	all, err := l.Snapshots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var kept []uint64
	for _, sn := range all["doc/a"] {
		kept = append(kept, sn.StreamSeq)
	}
	if fmt.Sprint(kept) != "[20 30]" || len(all) != 1 {
		t.Errorf("snapshots kept: %v, want the newest two of doc/a: [20 30]", all)
	}
}
