package storetest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/chain"
)

// KnownChain is three events whose hashes were computed from the
// definition in docs/store.md by an independent implementation (Python's
// hashlib):
//
//	sha256("\n".join([prev, str(seq), stream, str(stream_seq), type, at, actor, data]))
//
// with type "storetest.note" and actor {"person":"p","state":"FRA","role":"delegate"}.
var KnownChain = []struct {
	Seq, StreamSeq uint64
	Stream, At     string
	Payload        string
	Hash           string
}{
	{1, 1, "doc/a", "2027-03-01T10:00:00Z", `{"n":0,"text":"Государства [должны] 各国 ينبغي"}`, "ab468c0fcf60566c6452492e7a806a80e689d1a69c6bc2991542aa4b9e95c449"},
	{2, 2, "doc/a", "2027-03-01T10:00:01Z", `{"n":1,"text":"Государства [должны] 各国 ينبغي"}`, "bf474f248d6465d74dc20e8d3ac149469d39c7bf4c192de41dd41cf6e2788432"},
	{3, 1, "doc/b", "2027-03-01T10:00:02.5Z", `{"n":2,"text":"x"}`, "48b04616e3515eef5b1f215639dcbd7ba62a3065a82d4c36d1990763d78ec9ee"},
}

// testChainHashKnownAnswers pins the chain to fixed values, so that a
// change to what is hashed (dropping the previous hash, a field, a
// separator) or to how a store encodes an event fails here rather than
// going unnoticed because every hash is recomputed the same wrong way.
// It checks chain.Hash, the hashes Append returns, and what is stored.
func testChainHashKnownAnswers(t *testing.T, s Store) {
	actor := []byte(`{"person":"p","state":"FRA","role":"delegate"}`)
	prev := ""
	for _, k := range KnownChain {
		if got := chain.Hash(prev, k.Seq, k.Stream, k.StreamSeq, "storetest.note", k.At, actor, []byte(k.Payload)); got != k.Hash {
			t.Errorf("chain.Hash of event %d = %s, want %s", k.Seq, got, k.Hash)
		}
		prev = k.Hash
	}
	ctx := context.Background()
	l := open(t, s, Options{})
	a, err := l.Append(ctx, "doc/a", 0, Notes(0, 2))
	if err != nil {
		t.Fatal(err)
	}
	b, err := l.Append(ctx, "doc/b", 0, []engine.Event{engine.NewEvent(T0.Add(2500*time.Millisecond), Actor, &Note{N: 2, Text: "x"})})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := l.ReadRows(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range append(a, b...) {
		k := KnownChain[i]
		if e.Hash != k.Hash {
			t.Errorf("Append returned event %d with hash %s, want %s", e.Seq, e.Hash, k.Hash)
		}
		r := rows[i]
		if r.Hash != k.Hash || r.At != k.At || string(r.Data) != k.Payload || !bytes.Equal(r.Actor, actor) {
			t.Errorf("stored event %d = %+v, want at %s, payload %s, hash %s", r.Seq, r, k.At, k.Payload, k.Hash)
		}
	}
}

// replaceInData changes the stored payload of event seq, as someone with
// access to the database would.
func replaceInData(t testing.TB, s Store, seq uint64, old, new string) {
	t.Helper()
	r := rowsFrom(t, s, seq)[0]
	if !bytes.Contains(r.Data, []byte(old)) {
		t.Fatalf("event %d's payload %s does not hold %q", seq, r.Data, old)
	}
	s.Exec(t, `UPDATE events SET data = $1 WHERE seq = $2`, bytes.Replace(r.Data, []byte(old), []byte(new), 1), int64(seq))
}

// rowsFrom reads the stored events from seq on.
func rowsFrom(t testing.TB, s Store, seq uint64) []chain.Row {
	t.Helper()
	l, err := s.Open(t, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	rows, err := l.ReadRows(context.Background(), seq-1, 0)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// rehash recomputes, with chain.Hash, the hash of every event from seq
// on and links each to the one before: what a forger who knows the
// algorithm does after changing an event. With relinkAll false it fixes
// only the event at seq and the link of the next one, leaving the next
// one's own hash as it was. On PostgreSQL it also moves the log's head,
// as that forger would.
func rehash(t testing.TB, s Store, from uint64, relinkAll bool) {
	t.Helper()
	evs := rowsFrom(t, s, from)
	prev := evs[0].PrevHash
	for i, e := range evs {
		if i > 0 {
			s.Exec(t, `UPDATE events SET prev_hash = $1 WHERE seq = $2`, prev, int64(e.Seq))
			if !relinkAll {
				return
			}
		}
		prev = chain.Hash(prev, e.Seq, e.Stream, e.StreamSeq, e.Type, e.At, e.Actor, e.Data)
		s.Exec(t, `UPDATE events SET hash = $1 WHERE seq = $2`, prev, int64(e.Seq))
	}
	if s.Dialect() == "postgres" {
		s.Exec(t, `UPDATE log_head SET hash = $1`, prev)
	}
}

func testVerifyEmptyAndWhole(t *testing.T, s Store) {
	ctx := context.Background()
	l := open(t, s, Options{})
	rep := mustVerify(t, s, 0)
	if rep.Head != "" {
		t.Errorf("empty log: head %q, want none", rep.Head)
	}
	out, err := l.Append(ctx, "doc/a", 0, Notes(0, 4))
	if err != nil {
		t.Fatal(err)
	}
	// Verify reads a live log without disturbing it.
	rep = mustVerify(t, s, 4)
	if rep.Head != out[3].Hash || rep.HeadSeq != 4 {
		t.Errorf("head %d:%q, want the last event's 4:%q", rep.HeadSeq, rep.Head, out[3].Hash)
	}
	if _, err := l.Append(ctx, "doc/a", 4, Notes(4, 1)); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, s, 5)
}

func testVerifyFindsTampering(t *testing.T, s Store) {
	for _, tt := range []struct {
		name, sql string
		args      []any
		data      [2]string // or: replace data[0] by data[1] in event seq's payload
		reason    string
		seq       uint64
		verified  uint64 // events verified before the break
		hashes    bool   // the break reports stored and expected hashes
	}{
		{name: "payload changed", data: [2]string{"Государства", "Страны"}, reason: "its content does not match its hash: it was changed after it was written", seq: 3, verified: 2, hashes: true},
		{name: "event deleted", sql: `DELETE FROM events WHERE seq = 2`, reason: "the global sequence jumps from 1 to 3: events are missing", seq: 3, verified: 1},
		{name: "last event deleted", sql: `DELETE FROM events WHERE seq = 5`, reason: "the streams table puts the stream at 5 but its last event is 4", seq: 4, verified: 4},
		{name: "actor changed", sql: `UPDATE events SET actor = '{"person":"p","state":"USA","role":"delegate"}' WHERE seq = 4`, reason: "its content does not match its hash", seq: 4, verified: 3, hashes: true},
		{name: "time changed", sql: `UPDATE events SET at = '2027-03-01T10:00:09Z' WHERE seq = 2`, reason: "its content does not match its hash", seq: 2, verified: 1, hashes: true},
		{name: "time not canonical", sql: `UPDATE events SET at = '2027-03-01T11:00:01+01:00' WHERE seq = 2`, reason: "is not in the canonical form", seq: 2, verified: 1},
		{name: "hash rewritten", sql: `UPDATE events SET hash = 'abc' WHERE seq = 2`, reason: "its content does not match its hash", seq: 2, verified: 1, hashes: true},
		{name: "rehashed but unlinked", sql: `UPDATE events SET prev_hash = 'abc' WHERE seq = 2`, reason: "its link to the previous event does not match", seq: 2, verified: 1, hashes: true},
		{name: "moved to another stream", sql: `UPDATE events SET stream = 'doc/b', stream_seq = 1 WHERE seq = 5`, reason: "its content does not match its hash", seq: 5, verified: 4, hashes: true},
		{name: "stream sequence changed", sql: `UPDATE events SET stream_seq = 7 WHERE seq = 3`, reason: "the stream's sequence jumps from 2 to 7", seq: 3, verified: 2},
		{name: "line break in actor", sql: `UPDATE events SET actor = $1 WHERE seq = 1`, args: []any{"{\"person\":\"p\",\n\"role\":\"delegate\"}"}, reason: "a field holds a line break", seq: 1},
		{name: "streams table behind", sql: `UPDATE streams SET head = 3`, reason: "the streams table puts the stream at 3 but its last event is 5", seq: 5, verified: 5},
		{name: "stream missing from the streams table", sql: `DELETE FROM streams`, reason: "the stream is missing from the streams table", seq: 5, verified: 5},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := subStore(t, s) // a fresh place per case
			writeLog(t, s, 5)
			if tt.sql != "" {
				s.Exec(t, tt.sql, tt.args...)
			} else {
				replaceInData(t, s, tt.seq, tt.data[0], tt.data[1])
			}
			rep, err := s.Verify(t, nil)
			if err != nil {
				t.Fatal(err)
			}
			b := rep.Broken
			if b == nil || b.Seq != tt.seq || b.Stream == "" || !strings.Contains(b.Reason, tt.reason) {
				t.Fatalf("got break %v, want one at event %d: %s", b, tt.seq, tt.reason)
			}
			if tt.hashes && (b.Stored == "" || b.Expected == "" || b.Stored == b.Expected) {
				t.Errorf("break %v: want differing stored and expected hashes", b)
			}
			if rep.Events != tt.verified {
				t.Errorf("%d events verified before the break, want %d", rep.Events, tt.verified)
			}
		})
	}
}

// subStores makes the fresh stores of subtests; Run sets it.
var subStores func(t testing.TB) Store

// subStore returns a fresh, empty store for a subtest that needs its own.
func subStore(t testing.TB, s Store) Store {
	t.Helper()
	if subStores == nil {
		t.Fatal("storetest: subtests need Run's store maker")
	}
	return subStores(t)
}

// testVerifyLongChain breaks chains of 300 events far beyond their
// start, in every way a break can be found, and checks Verify names the
// event.
func testVerifyLongChain(t *testing.T, s Store) {
	ctx := context.Background()
	const n = 300
	for _, tt := range []struct {
		name    string
		stmt    string
		replace [2]string
		seq     uint64
		reason  string
	}{
		{name: "payload changed at 250", replace: [2]string{`"n":250`, `"n":251`}, seq: 250, reason: "does not match its hash"},
		{name: "link broken at 101", stmt: `UPDATE events SET prev_hash = (SELECT hash FROM events WHERE seq = 99) WHERE seq = 101`, seq: 101, reason: "its link to the previous event"},
		{name: "event 200 deleted", stmt: `DELETE FROM events WHERE seq = 200`, seq: 201, reason: "the global sequence jumps from 199 to 201"},
		{name: "last event changed", stmt: fmt.Sprintf(`UPDATE events SET actor = '{"person":"q"}' WHERE seq = %d`, n), seq: n, reason: "does not match its hash"},
		{name: "time changed at 299", stmt: `UPDATE events SET at = '2030-01-01T00:00:00Z' WHERE seq = 299`, seq: 299, reason: "does not match its hash"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := subStore(t, s)
			l, err := s.Open(t, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < n; i += 50 { // several commits
				if _, err := l.Append(ctx, "doc/a", uint64(i), Notes(i+1, 50)); err != nil {
					t.Fatal(err)
				}
			}
			l.Close()
			mustVerify(t, s, n)
			if tt.stmt != "" {
				s.Exec(t, tt.stmt)
			} else {
				replaceInData(t, s, tt.seq, tt.replace[0], tt.replace[1])
			}
			rep, err := s.Verify(t, nil)
			if err != nil {
				t.Fatal(err)
			}
			if b := rep.Broken; b == nil || b.Seq != tt.seq || !strings.Contains(b.Reason, tt.reason) {
				t.Fatalf("got break %v, want one at event %d: %s", b, tt.seq, tt.reason)
			}
		})
	}
}

// testVerifyRewriteAndRelink changes an event, recomputes its hash and
// relinks the next event to it: the next event's own hash no longer
// matches, and Verify says so there.
func testVerifyRewriteAndRelink(t *testing.T, s Store) {
	writeLog(t, s, 6)
	replaceInData(t, s, 3, "Государства", "Страны")
	rehash(t, s, 3, false)
	rep, err := s.Verify(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b := rep.Broken; b == nil || b.Seq != 4 || !strings.Contains(b.Reason, "does not match its hash") {
		t.Fatalf("got break %v, want one at event 4: its content does not match its hash", b)
	}
}

// testVerifyRewriteAndRehashAll is the forger who recomputes every hash
// after the changed event: the chain holds again, and only a head seen
// before the change shows it. Verify with that head (from an anchor
// file, or given as SEQ:HASH or as a bare hash, as exports name it)
// names the place.
func testVerifyRewriteAndRehashAll(t *testing.T, s Store) {
	out := writeLog(t, s, 6)
	head := out[5]
	replaceInData(t, s, 3, "Государства", "Страны")
	rehash(t, s, 3, true)
	mustVerify(t, s, 6) // the chain alone cannot tell
	for _, a := range []chain.Anchor{
		{Seq: head.Seq, Hash: head.Hash, Source: "the published head"},
		{Hash: head.Hash, Source: "an export"},
		{Seq: out[3].Seq, Hash: out[3].Hash, Source: "an older head"},
	} {
		rep, err := s.Verify(t, []chain.Anchor{a})
		if err != nil {
			t.Fatal(err)
		}
		b := rep.Broken
		if b == nil || !strings.Contains(b.Reason, a.Source) {
			t.Fatalf("anchor %v: got break %v, want one naming %q", a, b, a.Source)
		}
		if a.Seq != 0 && (b.Seq != a.Seq || b.Expected != a.Hash || b.Stored == a.Hash) {
			t.Errorf("anchor %v: got break %v, want it at event %d with both hashes", a, b, a.Seq)
		}
	}
	// The heads up to the changed event still hold.
	rep, err := s.Verify(t, []chain.Anchor{{Seq: out[1].Seq, Hash: out[1].Hash, Source: "head 2"}, {Hash: out[0].Hash, Source: "hash 1"}})
	if err != nil || rep.Broken != nil || rep.Anchors != 2 {
		t.Fatalf("heads before the change: %v, broken %v, %d anchors checked; want both to hold", err, rep.Broken, rep.Anchors)
	}
}

// testAnchorFileCatchesTruncation is the attack of issue 16: delete the
// last 100 events and set the stream heads (and, on PostgreSQL, the log
// head) to match. The chain alone verifies; the anchor file the log
// wrote catches it, in Verify and in Open, which refuses to go on
// writing after the lost tail.
func testAnchorFileCatchesTruncation(t *testing.T, s Store) {
	ctx := context.Background()
	anchors := filepath.Join(t.TempDir(), "elsewhere.anchors")
	l, err := s.Open(t, Options{AnchorFile: anchors})
	if err != nil {
		t.Fatal(err)
	}
	var last engine.Event
	for i := 0; i < 300; i += 30 {
		out, err := l.Append(ctx, "doc/a", uint64(i), Notes(i+1, 30))
		if err != nil {
			t.Fatal(err)
		}
		last = out[len(out)-1]
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	as, err := chain.ReadAnchors(anchors)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(as); n == 0 || as[n-1].Seq != last.Seq || as[n-1].Hash != last.Hash {
		t.Fatalf("anchor file %v: want its last line to be the head %d %s", as, last.Seq, last.Hash)
	}
	rep, err := s.Verify(t, as)
	if err != nil || rep.Broken != nil || rep.Anchors != len(as) {
		t.Fatalf("before the attack: %v, broken %v, %d of %d anchors; want all to hold", err, rep.Broken, rep.Anchors, len(as))
	}

	s.Exec(t, `DELETE FROM events WHERE seq > 200`)
	s.Exec(t, `UPDATE streams SET head = 200`)
	if s.Dialect() == "postgres" {
		s.Exec(t, `UPDATE log_head SET seq = 200, hash = (SELECT hash FROM events WHERE seq = 200)`)
	}
	mustVerify(t, s, 200) // the chain alone cannot tell
	rep, err = s.Verify(t, as)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("the log ends at event 200, but %s line %d names event 300: events 201 to 300 at least are missing from its end", anchors, len(as))
	if b := rep.Broken; b == nil || b.Seq != 201 || b.Reason != want {
		t.Fatalf("after deleting the tail: break %v, want at event 201: %s", b, want)
	}
	_, err = s.Open(t, Options{AnchorFile: anchors})
	wantOpen := fmt.Sprintf("the log %s ends at event 200, but %s line %d says event 300 was written: events are missing from its end; check it with draftroom verify", s.Name(), anchors, len(as))
	if engine.ErrorMessage(err) != wantOpen {
		t.Fatalf("Open after deleting the tail: %v, want %q", err, wantOpen)
	}
}

// testAnchorFileRewrittenTail: the tail is rewritten and rehashed rather
// than deleted; the anchor file names the event whose hash changed, and
// Open refuses.
func testAnchorFileRewrittenTail(t *testing.T, s Store) {
	ctx := context.Background()
	anchors := filepath.Join(t.TempDir(), "a.anchors")
	l, err := s.Open(t, Options{AnchorFile: anchors})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Append(ctx, "doc/a", 0, Notes(1, 10)); err != nil {
		t.Fatal(err)
	}
	l.Close()
	replaceInData(t, s, 5, `"n":5`, `"n":6`)
	rehash(t, s, 5, true)
	mustVerify(t, s, 10)
	as, err := chain.ReadAnchors(anchors)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.Verify(t, as)
	if err != nil {
		t.Fatal(err)
	}
	if b := rep.Broken; b == nil || b.Seq != 10 || !strings.Contains(b.Reason, "the log was rewritten") {
		t.Fatalf("got break %v, want one at event 10: the log was rewritten", b)
	}
	if _, err := s.Open(t, Options{AnchorFile: anchors}); err == nil || !strings.Contains(engine.ErrorMessage(err), "the log was rewritten") {
		t.Fatalf("Open of a rewritten log: %v, want a refusal", err)
	}
	if _, err := os.Stat(anchors); err != nil {
		t.Fatal(err)
	}
}

// testRowsRoundTrip writes the raw rows of one log into another place
// with WriteRows: the copy verifies with the same head, reads back the
// same events, goes on appending after them, and refuses rows that do
// not continue its chain.
func testRowsRoundTrip(t *testing.T, s Store) {
	ctx := context.Background()
	src := open(t, s, Options{})
	if _, err := src.Append(ctx, "doc/a", 0, Notes(0, 5)); err != nil {
		t.Fatal(err)
	}
	if _, err := src.Append(ctx, "doc/b", 0, Notes(5, 3)); err != nil {
		t.Fatal(err)
	}
	rows, err := src.ReadRows(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	d := subStore(t, s)
	dst := open(t, d, Options{})
	if err := dst.WriteRows(ctx, rows[:4]); err != nil {
		t.Fatal(err)
	}
	bad := append([]chain.Row{}, rows[5:]...) // skips event 5
	if err := dst.WriteRows(ctx, bad); engine.ErrorCode(err) != engine.EINVALID || !strings.Contains(engine.ErrorMessage(err), "the global sequence jumps from 4 to 6") {
		t.Fatalf("rows that skip an event: %v, want a refusal naming the jump", err)
	}
	forged := append([]chain.Row{}, rows[4:]...)
	forged[0].Data = []byte(`{"n":99,"text":"forged"}`)
	if err := dst.WriteRows(ctx, forged); engine.ErrorCode(err) != engine.EINVALID || !strings.Contains(engine.ErrorMessage(err), "does not match its hash") {
		t.Fatalf("rows with a changed payload: %v, want a refusal", err)
	}
	if err := dst.WriteRows(ctx, rows[4:]); err != nil {
		t.Fatal(err)
	}
	a, b := mustVerify(t, s, 8), mustVerify(t, d, 8)
	if a.Head != b.Head {
		t.Fatalf("copy's head %s, source's %s", b.Head, a.Head)
	}
	seq, hash, err := dst.Head(ctx, "doc/b")
	if err != nil || seq != 3 || hash != a.Head {
		t.Fatalf("copy's Head(doc/b) = %d %s %v; want 3 %s", seq, hash, err, a.Head)
	}
	next, err := dst.Append(ctx, "doc/a", 5, Notes(8, 1))
	if err != nil || next[0].Seq != 9 || next[0].PrevHash != a.Head {
		t.Fatalf("append after the copy: %v, %v; want event 9 linked to %s", next, err, a.Head)
	}
	mustVerify(t, d, 9)
}
