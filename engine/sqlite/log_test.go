package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// note is the test payload. Its name is prefixed so that it can never
// collide with an engine event type.
type note struct {
	N    int    `json:"n"`
	Text string `json:"text"`
}

func (note) EventType() string { return "sqlitetest.note" }

func init() { engine.RegisterEvent(func() engine.EventData { return new(note) }) }

// unregistered is a payload type nobody registers.
type unregistered struct{}

func (unregistered) EventType() string { return "sqlitetest.unregistered" }

var t0 = time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)

var fra = engine.Actor{Person: "p", State: "FRA", Role: engine.RoleDelegate}

// notes returns n note events numbered from from.
func notes(from, n int) []engine.Event {
	out := make([]engine.Event, n)
	for i := range out {
		out[i] = engine.NewEvent(t0.Add(time.Duration(from+i)*time.Second), fra, &note{N: from + i, Text: "Государства [должны] 各国 ينبغي"})
	}
	return out
}

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

func TestAppendRead(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "log.db")
	l := open(t, path, Options{})
	a, err := l.Append(ctx, "doc/a", 0, notes(0, 3))
	if err != nil {
		t.Fatal(err)
	}
	b, err := l.Append(ctx, "doc/b", 0, notes(10, 2))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name           string
		got            engine.Event
		seq, streamSeq uint64
		stream         engine.StreamID
		prevHash       string
	}{
		{"first event", a[0], 1, 1, "doc/a", ""},
		{"third event of a", a[2], 3, 3, "doc/a", a[1].Hash},
		{"first event of b", b[0], 4, 1, "doc/b", a[2].Hash},
		{"second event of b", b[1], 5, 2, "doc/b", b[0].Hash},
	} {
		e := tt.got
		if e.Seq != tt.seq || e.StreamSeq != tt.streamSeq || e.Stream != tt.stream || e.PrevHash != tt.prevHash || len(e.Hash) != 64 {
			t.Errorf("%s: got seq %d, stream %s #%d, prev %q, hash %q; want seq %d, stream %s #%d, prev %q, a 64-digit hash",
				tt.name, e.Seq, e.Stream, e.StreamSeq, e.PrevHash, e.Hash, tt.seq, tt.stream, tt.streamSeq, tt.prevHash)
		}
	}
	got, err := l.Read(ctx, "doc/a", 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("Read(doc/a, after 1) returned %d events, want 2", len(got))
	}
	for i, e := range got {
		want := a[i+1]
		if e.Seq != want.Seq || e.StreamSeq != want.StreamSeq || e.Hash != want.Hash || e.PrevHash != want.PrevHash || !e.At.Equal(want.At) || e.Actor != want.Actor || *e.Data.(*note) != *want.Data.(*note) {
			t.Errorf("read event %d = %+v, want what Append returned: %+v", i, e, want)
		}
	}
	if got, _ := l.Read(ctx, "doc/a", 0, 1); len(got) != 1 || got[0].StreamSeq != 1 {
		t.Errorf("Read with limit 1 = %+v, want event 1 alone", got)
	}
	if got, err := l.Read(ctx, "doc/none", 0, 0); err != nil || len(got) != 0 {
		t.Errorf("Read of an unknown stream = %v, %v; want nothing", got, err)
	}
	seq, head, err := l.Head(ctx, "doc/a")
	if err != nil || seq != 3 || head != b[1].Hash {
		t.Errorf("Head(doc/a) = %d, %q, %v; want 3, %q", seq, head, err, b[1].Hash)
	}
	if seq, _, _ := l.Head(ctx, "doc/none"); seq != 0 {
		t.Errorf("Head of an unknown stream = %d, want 0", seq)
	}
	streams, err := l.Streams(ctx)
	if err != nil || fmt.Sprint(streams) != "[doc/a doc/b]" {
		t.Errorf("Streams = %v, %v; want [doc/a doc/b]", streams, err)
	}
	if st := l.Stats(); st.Events != 5 || st.Requests != 2 {
		t.Errorf("Stats = %+v, want 5 events in 2 requests", st)
	}
}

func TestAppendConflict(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "log.db")
	l := open(t, path, Options{})
	if _, err := l.Append(ctx, "doc/a", 0, notes(0, 3)); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		expect  uint64
		wantMsg string
	}{
		{"behind", 2, "stream doc/a is at 3, not 2: someone else wrote to it"},
		{"new stream expected", 0, "stream doc/a is at 3, not 0: someone else wrote to it"},
		{"ahead", 7, "stream doc/a is at 3, not 7: someone else wrote to it"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			evs, err := l.Append(ctx, "doc/a", tt.expect, notes(3, 2))
			if engine.ErrorCode(err) != engine.ECONFLICT || engine.ErrorMessage(err) != tt.wantMsg || evs != nil {
				t.Errorf("got %v (%s), %d events; want conflict %q and nothing", err, engine.ErrorCode(err), len(evs), tt.wantMsg)
			}
		})
	}
	// Nothing was written by the refused appends.
	mustVerify(t, path, 3)
}

func TestAppendInvalid(t *testing.T) {
	ctx := context.Background()
	l := open(t, filepath.Join(t.TempDir(), "log.db"), Options{})
	good := notes(0, 1)[0]
	mismatch := good
	mismatch.Type = "sqlitetest.other"
	noData := good
	noData.Data = nil
	future := good
	future.At = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		name    string
		stream  engine.StreamID
		ev      engine.Event
		wantMsg string
	}{
		{"empty stream", "", good, `stream name "" is not valid: it must be non-empty and on one line`},
		{"stream with a line break", "doc/a\nb", good, `stream name "doc/a\nb" is not valid: it must be non-empty and on one line`},
		{"no payload", "doc/a", noData, "event 1 of the append to doc/a has no payload"},
		{"type mismatch", "doc/a", mismatch, `event 1 of the append to doc/a says type "sqlitetest.other" but carries a "sqlitetest.note" payload`},
		{"unregistered type", "doc/a", engine.NewEvent(t0, fra, unregistered{}), `event 1 of the append to doc/a has type "sqlitetest.unregistered", which is not registered: it could not be read back`},
		{"year 10000", "doc/a", future, "event 1 of the append to doc/a has a time outside years 0–9999: 10000-01-01 00:00:00 +0000 UTC"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := l.Append(ctx, tt.stream, 0, []engine.Event{tt.ev})
			if engine.ErrorCode(err) != engine.EINVALID || engine.ErrorMessage(err) != tt.wantMsg {
				t.Errorf("got %v (%s); want invalid %q", err, engine.ErrorCode(err), tt.wantMsg)
			}
		})
	}
	if seq, head, _ := l.Head(ctx, "doc/a"); seq != 0 || head != "" {
		t.Errorf("after refused appends the log head is %d %q, want empty", seq, head)
	}
}

// TestAppendNormalisesTime checks that what Append returns is what Read
// returns: the time in UTC, without a monotonic reading.
func TestAppendNormalisesTime(t *testing.T) {
	ctx := context.Background()
	l := open(t, filepath.Join(t.TempDir(), "log.db"), Options{})
	ev := notes(0, 1)
	ev[0].At = time.Now().In(time.FixedZone("UTC+3", 3*3600))
	out, err := l.Append(ctx, "doc/a", 0, ev)
	if err != nil {
		t.Fatal(err)
	}
	back, err := l.Read(ctx, "doc/a", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if out[0].At != back[0].At || out[0].At.Location() != time.UTC {
		t.Errorf("Append returned time %v, Read %v; want the same UTC time", out[0].At, back[0].At)
	}
}

func TestReopenContinuesChain(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "log.db")
	l := open(t, path, Options{})
	first, err := l.Append(ctx, "doc/a", 0, notes(0, 3))
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	l = open(t, path, Options{})
	if _, err := l.Append(ctx, "doc/a", 2, notes(3, 1)); engine.ErrorCode(err) != engine.ECONFLICT {
		t.Errorf("stale append after reopening: got %v, want a conflict", err)
	}
	next, err := l.Append(ctx, "doc/a", 3, notes(3, 1))
	if err != nil {
		t.Fatal(err)
	}
	if next[0].Seq != 4 || next[0].PrevHash != first[2].Hash {
		t.Errorf("after reopening, the next event has seq %d and prev %q; want 4 and %q", next[0].Seq, next[0].PrevHash, first[2].Hash)
	}
	mustVerify(t, path, 4)
}

// TestTwoProcesses opens the same file twice, as draftroom import next to
// a running server would, and appends through both: each sees the other's
// events, conflicts are detected across them, and the chain stays one.
func TestTwoProcesses(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "log.db")
	a := open(t, path, Options{})
	b := open(t, path, Options{})
	if _, err := a.Append(ctx, "doc/a", 0, notes(0, 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Append(ctx, "doc/a", 0, notes(0, 1)); engine.ErrorCode(err) != engine.ECONFLICT {
		t.Errorf("second log, stale expect: got %v, want a conflict", err)
	}
	seq, _, _ := b.Head(ctx, "doc/a")
	if seq != 2 {
		t.Fatalf("second log sees doc/a at %d, want 2", seq)
	}
	if _, err := b.Append(ctx, "doc/a", 2, notes(2, 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Append(ctx, "doc/b", 0, notes(0, 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Append(ctx, "doc/a", 2, notes(2, 1)); engine.ErrorCode(err) != engine.ECONFLICT {
		t.Errorf("first log, stale expect: got %v, want a conflict", err)
	}
	mustVerify(t, path, 5)
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
	reqs := make([]*appendReq, len(calls))
	for i, c := range calls {
		recs := make([]record, c.n)
		for j, e := range notes(10*i, c.n) {
			if recs[j], err = encode(c.stream, j, e); err != nil {
				t.Fatal(err)
			}
		}
		reqs[i] = &appendReq{stream: c.stream, expect: c.expect, recs: recs, reply: make(chan appendRes, 1)}
		l.reqs <- reqs[i]
	}
	// Every request is queued before the lock goes: whatever the committer
	// took before it blocked on BEGIN is one transaction, the rest the next.
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	wantErr := []string{"", "", "stream doc/a is at 2, not 0: someone else wrote to it", "", ""}
	for i, r := range reqs {
		res := <-r.reply
		if got := engine.ErrorMessage(res.err); got != wantErr[i] {
			t.Errorf("append %d: got error %q, want %q", i, got, wantErr[i])
		}
		if res.err == nil && len(res.events) != calls[i].n {
			t.Errorf("append %d: got %d events, want %d", i, len(res.events), calls[i].n)
		}
	}
	if st := l.Stats(); st.Commits > maxCommits || st.Requests != 4 || st.Events != 7 {
		t.Errorf("Stats = %+v; want at most %d commits of 4 requests and 7 events", st, maxCommits)
	}
	mustVerify(t, path, 7)
}

func TestGroupCommitConcurrent(t *testing.T) {
	for _, tt := range []struct {
		name string
		opts Options
	}{{"group", Options{}}, {"single", Options{NoGroupCommit: true}}} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "log.db")
			l := open(t, path, tt.opts)
			var wg sync.WaitGroup
			errs := make(chan error, 64)
			const writers, rounds = 32, 10
			for w := 0; w < writers; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					stream := engine.StreamID(fmt.Sprintf("doc/%d", w%8))
					for i := 0; i < rounds; i++ {
						for {
							head, _, err := l.Head(ctx, stream)
							if err != nil {
								errs <- err
								return
							}
							_, err = l.Append(ctx, stream, head, notes(i, 2))
							if engine.ErrorCode(err) == engine.ECONFLICT {
								continue // another writer of the same stream won; read again and retry
							}
							if err != nil {
								errs <- err
							}
							break
						}
					}
				}(w)
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			mustVerify(t, path, writers*rounds*2)
			if st := l.Stats(); tt.opts.NoGroupCommit && st.Commits != st.Requests {
				t.Errorf("without group commit, %d commits held %d requests; want one each", st.Commits, st.Requests)
			}
		})
	}
}

// TestCloseAnswersEveryAppend closes the log while appends are running:
// each either commits (and is then in the file) or is refused, none is
// left waiting.
func TestCloseAnswersEveryAppend(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "log.db")
	l, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var acked uint64
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			stream := engine.StreamID(fmt.Sprintf("doc/%d", w))
			for i := uint64(0); ; i++ {
				if _, err := l.Append(ctx, stream, i, notes(0, 1)); err != nil {
					if engine.ErrorMessage(err) != "the event log "+path+" is closed" {
						t.Errorf("append after close: %v", err)
					}
					return
				}
				mu.Lock()
				acked++
				mu.Unlock()
			}
		}(w)
	}
	for l.Stats().Events < 50 {
		runtime.Gosched()
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if err := l.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	mustVerify(t, path, acked)
}
