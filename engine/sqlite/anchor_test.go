package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// The known answers below were computed from the definition in
// docs/store.md by an independent implementation (Python's hashlib):
//
//	sha256("\n".join([prev, str(seq), stream, str(stream_seq), type, at, actor, data]))
var knownChain = []struct {
	seq, streamSeq uint64
	stream, at     string
	payload        string
	hash           string
}{
	{1, 1, "doc/a", "2027-03-01T10:00:00Z", `{"n":0,"text":"Государства [должны] 各国 ينبغي"}`, "6b66c3a1dd44c791505ba9d3043c4c1a35056f96518a9b66f4bbf1fefafb8f65"},
	{2, 2, "doc/a", "2027-03-01T10:00:01Z", `{"n":1,"text":"Государства [должны] 各国 ينبغي"}`, "6ef83d319f32983d28010583c8bfdcf9481b5a223bca5628b51c14e4e3e4dc49"},
	{3, 1, "doc/b", "2027-03-01T10:00:02.5Z", `{"n":2,"text":"x"}`, "77594bab90d9028658b4a1c416224d53c7b148641271f5001840b1e29fdcd026"},
}

// TestChainHashKnownAnswers pins ChainHash to fixed values, so that a
// change to what is hashed (dropping the previous hash, a field, a
// separator) fails here rather than going unnoticed because every hash
// is recomputed the same wrong way. It checks the function, and the
// hashes Append stores for the same events.
func TestChainHashKnownAnswers(t *testing.T) {
	actor := []byte(`{"person":"p","state":"FRA","role":"delegate"}`)
	prev := ""
	for _, k := range knownChain {
		if got := ChainHash(prev, k.seq, k.stream, k.streamSeq, "sqlitetest.note", k.at, actor, []byte(k.payload)); got != k.hash {
			t.Errorf("ChainHash of event %d = %s, want %s", k.seq, got, k.hash)
		}
		prev = k.hash
	}
	// The same through Append: its encoding of time, actor and payload.
	ctx := context.Background()
	l := open(t, filepath.Join(t.TempDir(), "log.db"), Options{})
	a, err := l.Append(ctx, "doc/a", 0, notes(0, 2))
	if err != nil {
		t.Fatal(err)
	}
	b, err := l.Append(ctx, "doc/b", 0, []engine.Event{engine.NewEvent(t0.Add(2500*time.Millisecond), fra, &note{N: 2, Text: "x"})})
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range append(a, b...) {
		if e.Hash != knownChain[i].hash {
			t.Errorf("Append stored event %d with hash %s, want %s", e.Seq, e.Hash, knownChain[i].hash)
		}
	}
}

// tamper runs SQL on a closed database, as someone with the file would.
func tamper(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// rehash recomputes, with ChainHash, the hash of every event from seq on
// and links each to the one before: what a forger who knows the
// algorithm does after changing an event. With relinkAll false it fixes
// only the event at seq and the link of the next one, leaving the next
// one's own hash as it was.
func rehash(t *testing.T, path string, from uint64, relinkAll bool) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT `+eventColumns+` FROM events WHERE seq >= ? ORDER BY seq`, from)
	if err != nil {
		t.Fatal(err)
	}
	type ev struct {
		seq, streamSeq                         uint64
		stream, typ, at, actor, prevHash, hash string
		payload                                []byte
	}
	var evs []ev
	for rows.Next() {
		var e ev
		if err := rows.Scan(&e.seq, &e.stream, &e.streamSeq, &e.typ, &e.at, &e.actor, &e.payload, &e.prevHash, &e.hash); err != nil {
			t.Fatal(err)
		}
		evs = append(evs, e)
	}
	rows.Close()
	prev := evs[0].prevHash
	for i, e := range evs {
		if i > 0 {
			if _, err := db.Exec(`UPDATE events SET prev_hash = ? WHERE seq = ?`, prev, e.seq); err != nil {
				t.Fatal(err)
			}
			if !relinkAll {
				return
			}
		}
		prev = ChainHash(prev, e.seq, e.stream, e.streamSeq, e.typ, e.at, []byte(e.actor), e.payload)
		if _, err := db.Exec(`UPDATE events SET hash = ? WHERE seq = ?`, prev, e.seq); err != nil {
			t.Fatal(err)
		}
	}
}

// TestVerifyRewriteAndRelink changes an event, recomputes its hash and
// relinks the next event to it: the next event's own hash no longer
// matches, and Verify says so there.
func TestVerifyRewriteAndRelink(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.db")
	writeLog(t, path, 6)
	tamper(t, path, `UPDATE events SET data = replace(data, 'Государства', 'Страны') WHERE seq = 3`)
	rehash(t, path, 3, false)
	rep, err := Verify(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if b := rep.Broken; b == nil || b.Seq != 4 || !strings.Contains(b.Reason, "does not match its hash") {
		t.Fatalf("got break %v, want one at event 4: its content does not match its hash", b)
	}
}

// TestVerifyRewriteAndRehashAll is the forger who recomputes every hash
// after the changed event: the chain holds again, and only a head seen
// before the change shows it. Verify with that head (from an anchor file,
// or given as SEQ:HASH or as a bare hash, as exports name it) names the
// place.
func TestVerifyRewriteAndRehashAll(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "log.db")
	out := writeLog(t, path, 6)
	head := out[5]
	tamper(t, path, `UPDATE events SET data = replace(data, 'Государства', 'Страны') WHERE seq = 3`)
	rehash(t, path, 3, true)
	mustVerify(t, path, 6) // the chain alone cannot tell
	for _, a := range []Anchor{
		{Seq: head.Seq, Hash: head.Hash, Source: "the published head"},
		{Hash: head.Hash, Source: "an export"},
		{Seq: out[3].Seq, Hash: out[3].Hash, Source: "an older head"},
	} {
		rep, err := VerifyAnchored(ctx, path, []Anchor{a})
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
	rep, err := VerifyAnchored(ctx, path, []Anchor{{Seq: out[1].Seq, Hash: out[1].Hash, Source: "head 2"}, {Hash: out[0].Hash, Source: "hash 1"}})
	if err != nil || rep.Broken != nil || rep.Anchors != 2 {
		t.Fatalf("heads before the change: %v, broken %v, %d anchors checked; want both to hold", err, rep.Broken, rep.Anchors)
	}
}

// TestVerifyLongChain breaks chains of 300 events far beyond their start,
// in every way a break can be found, and checks Verify names the event.
func TestVerifyLongChain(t *testing.T) {
	ctx := context.Background()
	const n = 300
	for _, tt := range []struct {
		name   string
		stmts  []string
		seq    uint64
		reason string
	}{
		{"payload changed at 250", []string{`UPDATE events SET data = replace(data, '"n":250', '"n":251') WHERE seq = 250`}, 250, "does not match its hash"},
		{"link broken at 101", []string{`UPDATE events SET prev_hash = (SELECT hash FROM events WHERE seq = 99) WHERE seq = 101`}, 101, "its link to the previous event"},
		{"event 200 deleted", []string{`DELETE FROM events WHERE seq = 200`}, 201, "the global sequence jumps from 199 to 201"},
		{"last event changed", []string{fmt.Sprintf(`UPDATE events SET actor = '{"person":"q"}' WHERE seq = %d`, n)}, n, "does not match its hash"},
		{"time changed at 299", []string{`UPDATE events SET at = '2030-01-01T00:00:00Z' WHERE seq = 299`}, 299, "does not match its hash"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "log.db")
			l, err := Open(ctx, path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < n; i += 50 { // several commits
				if _, err := l.Append(ctx, "doc/a", uint64(i), notes(i+1, 50)); err != nil {
					t.Fatal(err)
				}
			}
			l.Close()
			mustVerify(t, path, n)
			tamper(t, path, tt.stmts...)
			rep, err := Verify(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			if b := rep.Broken; b == nil || b.Seq != tt.seq || !strings.Contains(b.Reason, tt.reason) {
				t.Fatalf("got break %v, want one at event %d: %s", b, tt.seq, tt.reason)
			}
		})
	}
}

// TestAnchorFileCatchesTruncation is the attack of issue 16: delete the
// last 100 events and set the streams table to match. The chain alone
// verifies; the anchor file the log wrote catches it, in Verify and in
// Open, which refuses to go on writing after the lost tail.
func TestAnchorFileCatchesTruncation(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path, anchors := filepath.Join(dir, "log.db"), filepath.Join(dir, "elsewhere.anchors")
	l, err := Open(ctx, path, Options{AnchorFile: anchors})
	if err != nil {
		t.Fatal(err)
	}
	var last engine.Event
	for i := 0; i < 300; i += 30 {
		out, err := l.Append(ctx, "doc/a", uint64(i), notes(i+1, 30))
		if err != nil {
			t.Fatal(err)
		}
		last = out[len(out)-1]
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	as, err := ReadAnchors(anchors)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(as); n == 0 || as[n-1].Seq != last.Seq || as[n-1].Hash != last.Hash {
		t.Fatalf("anchor file %v: want its last line to be the head %d %s", as, last.Seq, last.Hash)
	}
	rep, err := VerifyAnchored(ctx, path, as)
	if err != nil || rep.Broken != nil || rep.Anchors != len(as) {
		t.Fatalf("before the attack: %v, broken %v, %d of %d anchors; want all to hold", err, rep.Broken, rep.Anchors, len(as))
	}

	tamper(t, path, `DELETE FROM events WHERE seq > 200`, `UPDATE streams SET head = 200`)
	mustVerify(t, path, 200) // the chain alone cannot tell
	rep, err = VerifyAnchored(ctx, path, as)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("the log ends at event 200, but %s line %d names event 300: events 201 to 300 at least are missing from its end", anchors, len(as))
	if b := rep.Broken; b == nil || b.Seq != 201 || b.Reason != want {
		t.Fatalf("after deleting the tail: break %v, want at event 201: %s", b, want)
	}
	_, err = Open(ctx, path, Options{AnchorFile: anchors})
	wantOpen := fmt.Sprintf("the log %s ends at event 200, but %s line %d says event 300 was written: events are missing from its end; check it with draftroom verify", path, anchors, len(as))
	if engine.ErrorMessage(err) != wantOpen {
		t.Fatalf("Open after deleting the tail: %v, want %q", err, wantOpen)
	}
}

// TestAnchorFileRewrittenTail: the tail is rewritten and rehashed rather
// than deleted; the anchor file names the event whose hash changed, and
// Open refuses.
func TestAnchorFileRewrittenTail(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path, anchors := filepath.Join(dir, "log.db"), filepath.Join(dir, "a.anchors")
	l, err := Open(ctx, path, Options{AnchorFile: anchors})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l.Append(ctx, "doc/a", 0, notes(1, 10)); err != nil {
		t.Fatal(err)
	}
	l.Close()
	tamper(t, path, `UPDATE events SET data = replace(data, '"n":5', '"n":6') WHERE seq = 5`)
	rehash(t, path, 5, true)
	mustVerify(t, path, 10)
	as, err := ReadAnchors(anchors)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := VerifyAnchored(ctx, path, as)
	if err != nil {
		t.Fatal(err)
	}
	if b := rep.Broken; b == nil || b.Seq != 10 || !strings.Contains(b.Reason, "the log was rewritten") {
		t.Fatalf("got break %v, want one at event 10: the log was rewritten", b)
	}
	if _, err := Open(ctx, path, Options{AnchorFile: anchors}); err == nil || !strings.Contains(engine.ErrorMessage(err), "the log was rewritten") {
		t.Fatalf("Open of a rewritten log: %v, want a refusal", err)
	}
}

// TestAnchorFileGrowsAndSurvivesATornLine: a log reopened goes on
// appending; a torn last line (a writer killed while appending) is
// skipped by ReadAnchors and ended by the next Open; a line that is not
// an anchor is refused, naming the line.
func TestAnchorFileGrowsAndSurvivesATornLine(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path, anchors := filepath.Join(dir, "log.db"), filepath.Join(dir, "a.anchors")
	l := open(t, path, Options{AnchorFile: anchors})
	if _, err := l.Append(ctx, "doc/a", 0, notes(1, 3)); err != nil {
		t.Fatal(err)
	}
	l.Close()
	f, err := os.OpenFile(anchors, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("3 6b66c3a1") // torn
	f.Close()
	as, err := ReadAnchors(anchors)
	if err != nil || len(as) != 1 || as[0].Seq != 3 {
		t.Fatalf("with a torn last line: %v, %v; want the one whole anchor, at 3", as, err)
	}
	l = open(t, path, Options{AnchorFile: anchors})
	if _, err := l.Append(ctx, "doc/a", 3, notes(4, 2)); err != nil {
		t.Fatal(err)
	}
	l.Close()
	as, err = ReadAnchors(anchors)
	if err != nil || len(as) != 2 || as[1].Seq != 5 {
		t.Fatalf("after reopening: %v, %v; want anchors at 3 and 5", as, err)
	}
	if err := os.WriteFile(anchors, []byte("3 nothash 2027-01-01T00:00:00Z\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadAnchors(anchors); engine.ErrorMessage(err) != anchors+` line 1: "nothash" is not a hash (64 lower-case hex digits)` {
		t.Fatalf("a bad line: %v", err)
	}
}

func TestParseAnchor(t *testing.T) {
	h := knownChain[0].hash
	for _, tt := range []struct {
		in   string
		want Anchor
		err  string
	}{
		{"12:" + h, Anchor{Seq: 12, Hash: h}, ""},
		{h, Anchor{Hash: h}, ""},
		{"x:" + h, Anchor{}, `"x" before the colon is not an event number`},
		{"0:" + h, Anchor{}, `"0" before the colon is not an event number`},
		{"12:" + strings.ToUpper(h), Anchor{}, "is not a hash"},
		{"12:abc", Anchor{}, "is not a hash"},
	} {
		a, err := ParseAnchor(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(engine.ErrorMessage(err), tt.err) {
				t.Errorf("ParseAnchor(%q) = %v, %v; want an error saying %q", tt.in, a, err, tt.err)
			}
			continue
		}
		if err != nil || a.Seq != tt.want.Seq || a.Hash != tt.want.Hash || a.String() != tt.in {
			t.Errorf("ParseAnchor(%q) = %v, %v; want %v", tt.in, a, err, tt.want)
		}
	}
}
