package sqlite

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
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
