package storetest

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
)

func testAppendRead(t *testing.T, s Store) {
	ctx := context.Background()
	l := open(t, s, Options{})
	a, err := l.Append(ctx, "doc/a", 0, Notes(0, 3))
	if err != nil {
		t.Fatal(err)
	}
	b, err := l.Append(ctx, "doc/b", 0, Notes(10, 2))
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
		if e.Seq != want.Seq || e.StreamSeq != want.StreamSeq || e.Hash != want.Hash || e.PrevHash != want.PrevHash || !e.At.Equal(want.At) || e.Actor != want.Actor || *e.Data.(*Note) != *want.Data.(*Note) {
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
	// Streams are sorted byte by byte, whatever the database's collation.
	if _, err := l.Append(ctx, "doc/B", 0, Notes(20, 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Append(ctx, "doc/_", 0, Notes(21, 1)); err != nil {
		t.Fatal(err)
	}
	streams, err := l.Streams(ctx)
	if err != nil || fmt.Sprint(streams) != "[doc/B doc/_ doc/a doc/b]" {
		t.Errorf("Streams = %v, %v; want [doc/B doc/_ doc/a doc/b]", streams, err)
	}
	if st := l.Stats(); st.Events != 7 || st.Requests != 4 {
		t.Errorf("Stats = %+v, want 7 events in 4 requests", st)
	}
}

func testAppendConflict(t *testing.T, s Store) {
	ctx := context.Background()
	l := open(t, s, Options{})
	if _, err := l.Append(ctx, "doc/a", 0, Notes(0, 3)); err != nil {
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
			evs, err := l.Append(ctx, "doc/a", tt.expect, Notes(3, 2))
			if engine.ErrorCode(err) != engine.ECONFLICT || engine.ErrorMessage(err) != tt.wantMsg || evs != nil {
				t.Errorf("got %v (%s), %d events; want conflict %q and nothing", err, engine.ErrorCode(err), len(evs), tt.wantMsg)
			}
		})
	}
	// Nothing was written by the refused appends.
	mustVerify(t, s, 3)
}

func testAppendInvalid(t *testing.T, s Store) {
	ctx := context.Background()
	l := open(t, s, Options{})
	good := Notes(0, 1)[0]
	mismatch := good
	mismatch.Type = "storetest.other"
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
		{"stream with a NUL", "doc/a\x00", good, `stream name "doc/a\x00" is not valid: it must be non-empty and on one line`},
		{"stream not UTF-8", "doc/\xff", good, `stream name "doc/\xff" is not valid: it must be non-empty and on one line`},
		{"no payload", "doc/a", noData, "event 1 of the append to doc/a has no payload"},
		{"type mismatch", "doc/a", mismatch, `event 1 of the append to doc/a says type "storetest.other" but carries a "storetest.note" payload`},
		{"unregistered type", "doc/a", engine.NewEvent(T0, Actor, unregistered{}), `event 1 of the append to doc/a has type "storetest.unregistered", which is not registered: it could not be read back`},
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

// testAppendNormalisesTime checks that what Append returns is what Read
// returns: the time in UTC, without a monotonic reading.
func testAppendNormalisesTime(t *testing.T, s Store) {
	ctx := context.Background()
	l := open(t, s, Options{})
	ev := Notes(0, 1)
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

func testReopenContinuesChain(t *testing.T, s Store) {
	ctx := context.Background()
	l := open(t, s, Options{})
	first, err := l.Append(ctx, "doc/a", 0, Notes(0, 3))
	if err != nil {
		t.Fatal(err)
	}
	l.Close()
	l = open(t, s, Options{})
	if _, err := l.Append(ctx, "doc/a", 2, Notes(3, 1)); engine.ErrorCode(err) != engine.ECONFLICT {
		t.Errorf("stale append after reopening: got %v, want a conflict", err)
	}
	next, err := l.Append(ctx, "doc/a", 3, Notes(3, 1))
	if err != nil {
		t.Fatal(err)
	}
	if next[0].Seq != 4 || next[0].PrevHash != first[2].Hash {
		t.Errorf("after reopening, the next event has seq %d and prev %q; want 4 and %q", next[0].Seq, next[0].PrevHash, first[2].Hash)
	}
	mustVerify(t, s, 4)
}

// testTwoWriters opens the same place twice, as draftroom import next to
// a running server, or two server nodes, would, and appends through
// both: each sees the other's events, conflicts are detected across
// them (the expectation is checked against the store, not against what
// a writer remembers), and the chain stays one.
func testTwoWriters(t *testing.T, s Store) {
	ctx := context.Background()
	a := open(t, s, Options{})
	b := open(t, s, Options{})
	if _, err := a.Append(ctx, "doc/a", 0, Notes(0, 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Append(ctx, "doc/a", 0, Notes(0, 1)); engine.ErrorCode(err) != engine.ECONFLICT {
		t.Errorf("second log, stale expect: got %v, want a conflict", err)
	}
	seq, _, _ := b.Head(ctx, "doc/a")
	if seq != 2 {
		t.Fatalf("second log sees doc/a at %d, want 2", seq)
	}
	if _, err := b.Append(ctx, "doc/a", 2, Notes(2, 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Append(ctx, "doc/b", 0, Notes(0, 1)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Append(ctx, "doc/a", 2, Notes(2, 1)); engine.ErrorCode(err) != engine.ECONFLICT {
		t.Errorf("first log, stale expect: got %v, want a conflict", err)
	}
	// Both writing at once, to the same streams: every append either
	// commits or is refused as a conflict, and the chain is one.
	var wg sync.WaitGroup
	var mu sync.Mutex
	acked := uint64(5)
	for w, l := range []Log{a, b, a, b} {
		wg.Add(1)
		go func(w int, l Log) {
			defer wg.Done()
			stream := engine.StreamID(fmt.Sprintf("doc/%d", w%2))
			for i := 0; i < 20; i++ {
				head, _, err := l.Head(ctx, stream)
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := l.Append(ctx, stream, head, Notes(i, 2)); err == nil {
					mu.Lock()
					acked += 2
					mu.Unlock()
				} else if engine.ErrorCode(err) != engine.ECONFLICT {
					t.Error(err)
					return
				}
			}
		}(w, l)
	}
	wg.Wait()
	mustVerify(t, s, acked)
}

func testGroupCommitConcurrent(t *testing.T, s Store) {
	for _, tt := range []struct {
		name string
		opts Options
	}{{"group", Options{}}, {"single", Options{NoGroupCommit: true}}} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			l := open(t, s, tt.opts)
			// The subtests share the store: count what is there already.
			rows, err := l.ReadRows(ctx, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			before := uint64(len(rows))
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
							_, err = l.Append(ctx, stream, head, Notes(i, 2))
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
			mustVerify(t, s, before+writers*rounds*2)
			if st := l.Stats(); tt.opts.NoGroupCommit && st.Commits != st.Requests {
				t.Errorf("without group commit, %d commits held %d requests; want one each", st.Commits, st.Requests)
			}
		})
	}
}

// testCloseAnswersEveryAppend closes the log while appends are running:
// each either commits (and is then stored) or is refused, none is left
// waiting.
func testCloseAnswersEveryAppend(t *testing.T, s Store) {
	ctx := context.Background()
	l, err := s.Open(t, Options{})
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
				if _, err := l.Append(ctx, stream, i, Notes(0, 1)); err != nil {
					if engine.ErrorMessage(err) != "the event log "+s.Name()+" is closed" {
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
	mustVerify(t, s, acked)
}
