package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine"
)

// writeLog creates a closed log at path holding n note events on doc/a
// (the note of event i says "MARKER-i") and returns what Append returned.
func writeLog(t *testing.T, path string, n int) []engine.Event {
	t.Helper()
	l, err := Open(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	evs := notes(0, n)
	for i := range evs {
		evs[i].Data = &note{N: i + 1, Text: "MARKER-" + string(rune('A'+i)) + " Государства"}
	}
	out, err := l.Append(context.Background(), "doc/a", 0, evs)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestVerifyEmptyAndWhole(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "log.db")
	l := open(t, path, Options{})
	rep := mustVerify(t, path, 0)
	if rep.Head != "" {
		t.Errorf("empty log: head %q, want none", rep.Head)
	}
	out, err := l.Append(ctx, "doc/a", 0, notes(0, 4))
	if err != nil {
		t.Fatal(err)
	}
	// Verify reads a live log (with its WAL) without disturbing it.
	rep = mustVerify(t, path, 4)
	if rep.Head != out[3].Hash {
		t.Errorf("head %q, want the last event's hash %q", rep.Head, out[3].Hash)
	}
}

func TestVerifyFindsTampering(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name, sql, reason string
		seq               uint64
		verified          uint64 // events verified before the break
		hashes            bool   // the break reports stored and expected hashes
	}{
		{"payload changed", `UPDATE events SET data = replace(data, 'Государства', 'Страны') WHERE seq = 3`, "its content does not match its hash: it was changed after it was written", 3, 2, true},
		{"event deleted", `DELETE FROM events WHERE seq = 2`, "the global sequence jumps from 1 to 3: events are missing", 3, 1, false},
		{"last event deleted", `DELETE FROM events WHERE seq = 5`, "the streams table puts the stream at 5 but its last event is 4", 4, 4, false},
		{"actor changed", `UPDATE events SET actor = '{"person":"p","state":"USA","role":"delegate"}' WHERE seq = 4`, "its content does not match its hash", 4, 3, true},
		{"time changed", `UPDATE events SET at = '2027-03-01T10:00:09Z' WHERE seq = 2`, "its content does not match its hash", 2, 1, true},
		{"time not canonical", `UPDATE events SET at = '2027-03-01T11:00:01+01:00' WHERE seq = 2`, "is not in the canonical form", 2, 1, false},
		{"hash rewritten", `UPDATE events SET hash = 'abc' WHERE seq = 2`, "its content does not match its hash", 2, 1, true},
		{"rehashed but unlinked", `UPDATE events SET prev_hash = 'abc' WHERE seq = 2`, "its link to the previous event does not match", 2, 1, true},
		{"moved to another stream", `UPDATE events SET stream = 'doc/b', stream_seq = 1 WHERE seq = 5`, "its content does not match its hash", 5, 4, true},
		{"stream sequence changed", `UPDATE events SET stream_seq = 7 WHERE seq = 3`, "the stream's sequence jumps from 2 to 7", 3, 2, false},
		{"line break in actor", `UPDATE events SET actor = '{"person":"p",' || char(10) || '"role":"delegate"}' WHERE seq = 1`, "a field holds a line break", 1, 0, false},
		{"streams table behind", `UPDATE streams SET head = 3`, "the streams table puts the stream at 3 but its last event is 5", 5, 5, false},
		{"stream missing from the streams table", `DELETE FROM streams`, "the stream is missing from the streams table", 5, 5, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "log.db")
			writeLog(t, path, 5)
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(tt.sql); err != nil {
				t.Fatal(err)
			}
			db.Close()
			rep, err := Verify(ctx, path)
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

// TestVerifyByteFlip changes one byte of an event's payload in the
// database file itself, as a failing disk or a hand with a hex editor
// would, and checks that Verify names that event and both hashes.
func TestVerifyByteFlip(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "log.db")
	out := writeLog(t, path, 6)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	marker := []byte("MARKER-D") // in event 4's payload
	if n := bytes.Count(b, marker); n != 1 {
		t.Fatalf("the marker occurs %d times in the file, want once", n)
	}
	i := bytes.Index(b, marker) + len("MARKER-")
	b[i] ^= 0x01 // 'D' becomes 'E'
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := Verify(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	want := Break{Seq: 4, Stream: "doc/a", Reason: "its content does not match its hash: it was changed after it was written", Stored: out[3].Hash}
	if rep.Broken == nil || rep.Broken.Seq != want.Seq || rep.Broken.Stream != want.Stream || rep.Broken.Reason != want.Reason || rep.Broken.Stored != want.Stored || rep.Broken.Expected == want.Stored {
		t.Fatalf("got break %v, want %v with a different expected hash", rep.Broken, &want)
	}
	if rep.Events != 3 || rep.Head != out[2].Hash {
		t.Errorf("verified %d events up to %q, want 3 up to %q", rep.Events, rep.Head, out[2].Hash)
	}
}

// TestVerifyDoesNotWrite checks that verifying leaves the file's bytes
// alone.
func TestVerifyDoesNotWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "log.db")
	writeLog(t, path, 3)
	before, _ := os.ReadFile(path)
	mustVerify(t, path, 3)
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("Verify changed the database file")
	}
}
