package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/chain"
	"github.com/draftroom/draftroom/engine/storetest"
)

// The test events are the contract suite's (engine/storetest).
type note = storetest.Note

var (
	notes = storetest.Notes
	t0    = storetest.T0
	fra   = storetest.Actor
)

// open opens a log that the test closes at its end.
func open(t testing.TB, path string, opts Options) *Log {
	t.Helper()
	l, err := Open(context.Background(), path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

// store is a SQLite file for the contract suite.
type store struct{ path string }

func (s store) Name() string    { return s.path }
func (s store) Dialect() string { return "sqlite" }

func (s store) Open(t testing.TB, o storetest.Options) (storetest.Log, error) {
	l, err := Open(context.Background(), s.path, Options{NoGroupCommit: o.NoGroupCommit, AnchorFile: o.AnchorFile})
	if err != nil {
		return nil, err
	}
	return l, nil
}

func (s store) Verify(t testing.TB, anchors []chain.Anchor) (chain.Report, error) {
	return VerifyAnchored(context.Background(), s.path, anchors)
}

// dollar matches the $1, $2… of the suite's SQL, which SQLite writes ?1, ?2….
var dollar = regexp.MustCompile(`\$([0-9]+)`)

func (s store) Exec(t testing.TB, query string, args ...any) {
	t.Helper()
	db, err := sql.Open("sqlite", s.path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(dollar.ReplaceAllString(query, "?$1"), args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// TestContract runs the contract of every draftroom event log
// (engine/storetest) on SQLite files.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t testing.TB) storetest.Store { return store{filepath.Join(t.TempDir(), "log.db")} })
}

// mustVerify checks that the chain at path holds and has want events.
func mustVerify(t *testing.T, path string, want uint64) Report {
	t.Helper()
	rep, err := Verify(context.Background(), path)
	if err != nil {
		t.Fatalf("Verify(%s): %v", path, err)
	}
	if rep.Broken != nil || rep.Events != want {
		t.Fatalf("Verify(%s) = %d events, broken %v; want %d events, unbroken", path, rep.Events, rep.Broken, want)
	}
	return rep
}

// TestGroupCommitOneTransaction queues several appends while another
// connection holds the write lock, then releases it: they are committed
// together, and the one whose expectation is stale gets its own conflict
// while the others commit.
func TestGroupCommitOneTransaction(t *testing.T) {
	for _, tt := range []struct {
		name       string
		opts       Options
		maxCommits uint64
	}{
		// Two at most: what the committer took before it blocked, then the rest.
		{"group", Options{}, 2},
		{"single", Options{NoGroupCommit: true}, 4},
	} {
		t.Run(tt.name, func(t *testing.T) { testGroupCommit(t, tt.opts, tt.maxCommits) })
	}
}

func testGroupCommit(t *testing.T, opts Options, maxCommits uint64) {
	path := filepath.Join(t.TempDir(), "log.db")
	l := open(t, path, opts)
	// Hold the write lock from outside.
	other, err := sql.Open("sqlite", dsn(path, modeWrite, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.SetMaxOpenConns(1)
	tx, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	// The committer takes the first request (and perhaps more) and waits
	// for the lock; the rest queue up behind it.
	type call struct {
		stream engine.StreamID
		expect uint64
		n      int
	}
	calls := []call{
		{"doc/x", 0, 1},
		{"doc/a", 0, 2},
		{"doc/a", 0, 1}, // stale: doc/a is at 2 by then
		{"doc/c", 0, 3},
		{"doc/a", 2, 1},
	}
	reqs := make([]*chain.Request, len(calls))
	for i, c := range calls {
		recs := make([]chain.Record, c.n)
		for j, e := range notes(10*i, c.n) {
			if recs[j], err = chain.Encode(c.stream, j, e); err != nil {
				t.Fatal(err)
			}
		}
		reqs[i] = &chain.Request{Stream: c.stream, Expect: c.expect, Recs: recs}
		if err := l.committer.Enqueue(reqs[i]); err != nil {
			t.Fatal(err)
		}
	}
	// Every request is queued before the lock goes: whatever the committer
	// took before it blocked on BEGIN is one transaction, the rest the next.
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	wantErr := []string{"", "", "stream doc/a is at 2, not 0: someone else wrote to it", "", ""}
	for i, r := range reqs {
		res := <-r.Reply
		if got := engine.ErrorMessage(res.Err); got != wantErr[i] {
			t.Errorf("append %d: got error %q, want %q", i, got, wantErr[i])
		}
		if res.Err == nil && len(res.Events) != calls[i].n {
			t.Errorf("append %d: got %d events, want %d", i, len(res.Events), calls[i].n)
		}
	}
	if st := l.Stats(); st.Commits > maxCommits || st.Requests != 4 || st.Events != 7 {
		t.Errorf("Stats = %+v; want at most %d commits of 4 requests and 7 events", st, maxCommits)
	}
	mustVerify(t, path, 7)
}
