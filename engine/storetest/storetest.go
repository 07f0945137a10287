// Package storetest is the contract every engine.EventLog of draftroom
// keeps, as one suite of tests run against each implementation
// (engine/sqlite, engine/postgres): appends and reads, conflicts on a
// stale expectation, refusal of bad events, group commit, two writers on
// one store, close, snapshots, the hash chain with known answers, verify
// finding every kind of tampering, and anchors.
//
// An implementation's tests call Run with a function that makes a Store:
// an empty place for a log (a file in a temporary directory, a database
// of its own) and the few things the suite needs that are not in
// engine.EventLog (open it again, verify it, change it with SQL as an
// attacker would).
package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/chain"
)

// Options are the settings of a log that the suite varies.
type Options struct {
	// NoGroupCommit commits every Append alone.
	NoGroupCommit bool
	// AnchorFile is the anchor file the log writes its head to.
	AnchorFile string
}

// Log is an event log under test: engine.EventLog and what every draftroom
// log also offers (counts, raw rows, every snapshot).
type Log interface {
	engine.EventLog
	Stats() chain.Stats
	ReadRows(ctx context.Context, after uint64, limit int) ([]chain.Row, error)
	WriteRows(ctx context.Context, rows []chain.Row) error
	Snapshots(ctx context.Context) (map[engine.StreamID][]engine.Snapshot, error)
}

// Store is one place for a log, made empty for one test.
type Store interface {
	// Name is how the log names its place in messages: the file's path,
	// the database's URL without a password.
	Name() string
	// Dialect is "sqlite" or "postgres".
	Dialect() string
	// Open opens a log at the place; the test closes it, or the store
	// does at the end of the test. Opening the place twice gives two
	// writers on one log, as two processes would be.
	Open(t testing.TB, opts Options) (Log, error)
	// Verify walks the chain at the place, read-only, checking anchors.
	Verify(t testing.TB, anchors []chain.Anchor) (chain.Report, error)
	// Exec runs one SQL statement at the place, as someone with access to
	// the database would; $1, $2… are its arguments.
	Exec(t testing.TB, query string, args ...any)
}

// Run runs the whole contract against stores made by newStore, one per
// test (and one more for subtests that need a place of their own). Run
// is not safe for concurrent use: call it from one test at a time.
func Run(t *testing.T, newStore func(t testing.TB) Store) {
	subStores = newStore
	for _, tc := range []struct {
		name string
		test func(t *testing.T, s Store)
	}{
		{"AppendRead", testAppendRead},
		{"AppendConflict", testAppendConflict},
		{"AppendInvalid", testAppendInvalid},
		{"AppendNormalisesTime", testAppendNormalisesTime},
		{"ReopenContinuesChain", testReopenContinuesChain},
		{"TwoWriters", testTwoWriters},
		{"GroupCommitConcurrent", testGroupCommitConcurrent},
		{"CloseAnswersEveryAppend", testCloseAnswersEveryAppend},
		{"ChainHashKnownAnswers", testChainHashKnownAnswers},
		{"SnapshotPlusTailEqualsReplay", testSnapshotPlusTailEqualsReplay},
		{"SnapshotTailEqualsReplayFold", testSnapshotTailEqualsReplayFold},
		{"Snapshots", testSnapshots},
		{"VerifyEmptyAndWhole", testVerifyEmptyAndWhole},
		{"VerifyFindsTampering", testVerifyFindsTampering},
		{"VerifyLongChain", testVerifyLongChain},
		{"VerifyRewriteAndRelink", testVerifyRewriteAndRelink},
		{"VerifyRewriteAndRehashAll", testVerifyRewriteAndRehashAll},
		{"AnchorFileCatchesTruncation", testAnchorFileCatchesTruncation},
		{"AnchorFileRewrittenTail", testAnchorFileRewrittenTail},
		{"RowsRoundTrip", testRowsRoundTrip},
	} {
		t.Run(tc.name, func(t *testing.T) { tc.test(t, newStore(t)) })
	}
}

// Note is the suite's event payload. Its type is prefixed so that it
// can never collide with an engine event type.
type Note struct {
	N    int    `json:"n"`
	Text string `json:"text"`
}

// EventType implements engine.EventData.
func (Note) EventType() string { return "storetest.note" }

func init() { engine.RegisterEvent(func() engine.EventData { return new(Note) }) }

// unregistered is a payload type nobody registers.
type unregistered struct{}

func (unregistered) EventType() string { return "storetest.unregistered" }

// T0 is the time of the first Note event.
var T0 = time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)

// Actor is who writes the Note events.
var Actor = engine.Actor{Person: "p", State: "FRA", Role: engine.RoleDelegate}

// Notes returns n Note events numbered from from, one second apart from
// T0 plus from seconds, with text in several scripts.
func Notes(from, n int) []engine.Event {
	out := make([]engine.Event, n)
	for i := range out {
		out[i] = engine.NewEvent(T0.Add(time.Duration(from+i)*time.Second), Actor, &Note{N: from + i, Text: "Государства [должны] 各国 ينبغي"})
	}
	return out
}

// open opens a log that is closed at the end of the test.
func open(t testing.TB, s Store, opts Options) Log {
	t.Helper()
	l, err := s.Open(t, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// mustVerify checks that the chain holds and has want events.
func mustVerify(t testing.TB, s Store, want uint64) chain.Report {
	t.Helper()
	rep, err := s.Verify(t, nil)
	if err != nil {
		t.Fatalf("Verify(%s): %v", s.Name(), err)
	}
	if rep.Broken != nil || rep.Events != want {
		t.Fatalf("Verify(%s) = %d events, broken %v; want %d events, unbroken", s.Name(), rep.Events, rep.Broken, want)
	}
	return rep
}

// writeLog writes n Note events on doc/a in one append and closes the
// log; the note of event i says "MARKER-" and a letter.
func writeLog(t testing.TB, s Store, n int) []engine.Event {
	t.Helper()
	l, err := s.Open(t, Options{})
	if err != nil {
		t.Fatal(err)
	}
	evs := Notes(0, n)
	for i := range evs {
		evs[i].Data = &Note{N: i + 1, Text: "MARKER-" + string(rune('A'+i%26)) + " Государства"}
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
