package postgres

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/postgres/pgtest"
	"github.com/draftroom/draftroom/engine/storetest"
)

// follow starts Follow on l, returning the notifications as they come.
func follow(t *testing.T, l *Log) <-chan Notification {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan Notification, 1024)
	ready := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.Follow(ctx, ready, func(n Notification) { ch <- n })
	}()
	t.Cleanup(func() { cancel(); <-done })
	<-ready
	return ch
}

// next waits for a notification; the deadline only bounds a failing test.
func next(t *testing.T, ch <-chan Notification) Notification {
	t.Helper()
	select {
	case n := <-ch:
		return n
	case <-time.After(30 * time.Second):
		t.Fatal("no notification in 30 s")
		return Notification{}
	}
}

// TestFollow: a node following the log is told, once each transaction of
// another node commits, which streams moved and to which StreamSeq, one
// notification per stream; it reads the events themselves from the log.
// A refused append notifies nothing. Logs in other schemas of the same
// database are not heard.
func TestFollow(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewSchema(t)
	a := open(t, url, Options{})
	b := open(t, url, Options{})
	other := open(t, pgtest.NewSchema(t), Options{})
	ch := follow(t, b)
	if _, err := other.Append(ctx, "doc/a", 0, storetest.Notes(0, 2)); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Append(ctx, "doc/a", 0, storetest.Notes(0, 3)); err != nil {
		t.Fatal(err)
	}
	if n := next(t, ch); n != (Notification{"doc/a", 3}) {
		t.Fatalf("got %+v, want doc/a at 3 (and nothing from the other schema)", n)
	}
	if _, err := a.Append(ctx, "doc/a", 0, storetest.Notes(3, 1)); engine.ErrorCode(err) != engine.ECONFLICT {
		t.Fatalf("stale append: %v", err)
	}
	// Two streams in one transaction (queued while the committer is
	// busy or not): each stream notified with its own head.
	errs := make(chan error, 2)
	go func() { _, err := a.Append(ctx, "doc/b", 0, storetest.Notes(0, 2)); errs <- err }()
	go func() { _, err := a.Append(ctx, "doc/a", 3, storetest.Notes(3, 1)); errs <- err }()
	for i := 0; i < 2; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	got := map[engine.StreamID]uint64{}
	for len(got) < 2 {
		n := next(t, ch)
		got[n.Stream] = n.StreamSeq
	}
	if fmt.Sprint(got) != "map[doc/a:4 doc/b:2]" {
		t.Fatalf("notifications %v, want doc/a at 4 and doc/b at 2", got)
	}
	select {
	case n := <-ch:
		t.Fatalf("an extra notification %+v (the refused append must notify nothing)", n)
	case <-time.After(200 * time.Millisecond):
	}
	evs, err := b.Read(ctx, "doc/a", 3, 0)
	if err != nil || len(evs) != 1 || evs[0].StreamSeq != 4 {
		t.Fatalf("reading what the notification named: %v, %v", evs, err)
	}
}

// TestFollowReconnects: when the following connection is cut (the
// server restarted, a network blip), Follow reconnects and says so with
// an empty Notification, so the follower re-reads what it may have
// missed; later notifications arrive again.
func TestFollowReconnects(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewSchema(t)
	a := open(t, url, Options{})
	b := open(t, url, Options{})
	ch := follow(t, b)
	pgtest.Exec(t, pgtest.ServerURL(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = 'LISTEN "draftroom:' || $1 || '"'`, b.schema)
	if n := next(t, ch); n != (Notification{}) {
		t.Fatalf("after the cut: %+v, want the empty notification", n)
	}
	if _, err := a.Append(ctx, "doc/a", 0, storetest.Notes(0, 1)); err != nil {
		t.Fatal(err)
	}
	if n := next(t, ch); n != (Notification{"doc/a", 1}) {
		t.Fatalf("after reconnecting: %+v, want doc/a at 1", n)
	}
}

// TestLease: one process at a time holds a room's lease; the others are
// told no at once. When the holder's session dies (its connection cut, as
// when the process is killed) the lease is lost to it and another takes
// it; a stale write from the old holder is still refused by the stream
// sequence. Leases are per schema.
func TestLease(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewSchema(t)
	a := open(t, url, Options{})
	b := open(t, url, Options{})
	la, ok, err := a.TryLeaseAs(ctx, "doc/x", "http://node-a:8080")
	if err != nil || !ok {
		t.Fatalf("first lease: %v, %v", ok, err)
	}
	if h, err := b.Holders(ctx); err != nil || len(h) != 1 || h["doc/x"] != "http://node-a:8080" {
		t.Fatalf("holders while a holds doc/x: %v, %v", h, err)
	}
	if _, ok, err := b.TryLease(ctx, "doc/x"); ok || err != nil {
		t.Fatalf("second lease on a held name: %v, %v; want no", ok, err)
	}
	lb, ok, err := b.TryLease(ctx, "doc/y")
	if err != nil || !ok {
		t.Fatalf("lease on another name: %v, %v", ok, err)
	}
	lb.Release()
	other := open(t, pgtest.NewSchema(t), Options{})
	lo, ok, err := other.TryLease(ctx, "doc/x")
	if err != nil || !ok {
		t.Fatalf("the same name in another schema: %v, %v; want a lease of its own", ok, err)
	}
	lo.Release()

	// a writes as the owner, then loses its session.
	if _, err := a.Append(ctx, "doc/x", 0, storetest.Notes(0, 2)); err != nil {
		t.Fatal(err)
	}
	pgtest.Exec(t, pgtest.ServerURL(), `SELECT pg_terminate_backend($1)`, int64(la.pid))
	select {
	case <-la.Lost():
	case <-time.After(30 * time.Second):
		t.Fatal("the lease was not reported lost after its session ended")
	}
	if h, err := b.Holders(ctx); err != nil || len(h) != 0 {
		t.Fatalf("holders once a's session is gone: %v, %v; want none (its row is stale)", h, err)
	}
	var lb2 *Lease
	for deadline := time.Now().Add(30 * time.Second); lb2 == nil; {
		l, ok, err := b.TryLeaseAs(ctx, "doc/x", "http://node-b:8080")
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			lb2 = l
		} else if time.Now().After(deadline) {
			t.Fatal("the lease of a dead session was not free")
		}
	}
	defer lb2.Release()
	if h, err := a.Holders(ctx); err != nil || h["doc/x"] != "http://node-b:8080" {
		t.Fatalf("holders once b took doc/x over: %v, %v", h, err)
	}
	if _, err := b.Append(ctx, "doc/x", 2, storetest.Notes(2, 1)); err != nil {
		t.Fatal(err)
	}
	// The old owner, not knowing, writes from where it was: fenced.
	if _, err := a.Append(ctx, "doc/x", 2, storetest.Notes(2, 1)); engine.ErrorCode(err) != engine.ECONFLICT {
		t.Fatalf("the old owner's stale write: %v, want a conflict", err)
	}
	mustVerify(t, url, 3)
	la.Release()
}
