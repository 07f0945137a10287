package postgres

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/postgres/pgtest"
)

// TestPresence: a node's presence rows reach the other nodes, with a
// notification naming the room and the node; a row with no connections
// removes the person; a node's own rows are not read back; a node that
// stops beating stops counting once its last beat is older than the TTL;
// ClearPresence removes a node's rows at once. Nothing enters the log.
func TestPresence(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewSchema(t)
	a := open(t, url, Options{})
	b := open(t, url, Options{})
	type heard struct {
		stream engine.StreamID
		node   string
	}
	notes := make(chan heard, 64)
	fctx, cancel := context.WithCancel(ctx)
	ready, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		b.FollowPresence(fctx, ready, func(s engine.StreamID, n string) { notes <- heard{s, n} })
	}()
	t.Cleanup(func() { cancel(); <-done })
	<-ready

	const ttl = time.Hour
	for _, n := range []string{"http://a", "http://b"} {
		if _, err := a.Beat(ctx, n, ttl); err != nil {
			t.Fatal(err)
		}
	}
	rows := []PresenceRow{
		{Stream: "doc/x", Person: "fra-1", State: "FRA", Role: "delegate", Conns: 2},
		{Stream: "doc/x", Person: "chair", Role: "officer", Conns: 1},
		{Stream: "doc/y", Person: "fra-1", State: "FRA", Role: "delegate", Conns: 1},
	}
	if err := a.PublishPresence(ctx, "http://a", rows); err != nil {
		t.Fatal(err)
	}
	if err := b.PublishPresence(ctx, "http://b", []PresenceRow{{Stream: "doc/x", Person: "chn-1", State: "CHN", Role: "delegate", Conns: 1}}); err != nil {
		t.Fatal(err)
	}
	got := map[heard]bool{}
	for len(got) < 3 {
		select {
		case h := <-notes:
			got[h] = true
		case <-time.After(30 * time.Second):
			t.Fatalf("presence notifications: got %v, want doc/x and doc/y from http://a and doc/x from http://b", got)
		}
	}
	if !got[heard{"doc/x", "http://a"}] || !got[heard{"doc/y", "http://a"}] || !got[heard{"doc/x", "http://b"}] {
		t.Errorf("presence notifications: got %v", got)
	}
	read := func(node string, ttl time.Duration, streams ...engine.StreamID) []PresenceRow {
		t.Helper()
		out, err := b.ReadPresence(ctx, node, ttl, streams)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	byPerson := func(rs []PresenceRow) map[string]int {
		m := map[string]int{}
		for _, r := range rs {
			m[string(r.Stream)+" "+r.Person] = r.Conns
		}
		return m
	}
	if g, w := byPerson(read("http://b", ttl, "doc/x")), map[string]int{"doc/x fra-1": 2, "doc/x chair": 1}; !reflect.DeepEqual(g, w) {
		t.Errorf("node b reads doc/x: %v, want %v (its own rows left out)", g, w)
	}
	if err := a.PublishPresence(ctx, "http://a", []PresenceRow{{Stream: "doc/x", Person: "fra-1", State: "FRA", Role: "delegate", Conns: 0}}); err != nil {
		t.Fatal(err)
	}
	if g, w := byPerson(read("http://b", ttl, "doc/x", "doc/y")), map[string]int{"doc/x chair": 1, "doc/y fra-1": 1}; !reflect.DeepEqual(g, w) {
		t.Errorf("after fra-1 left doc/x on a: %v, want %v", g, w)
	}
	// Node a stops beating: with a TTL shorter than the time since its
	// beat, its rows no longer count.
	time.Sleep(50 * time.Millisecond)
	if g := read("http://b", 10*time.Millisecond, "doc/x"); len(g) != 0 {
		t.Errorf("rows of a node whose beat is older than the TTL: %v, want none", g)
	}
	live, err := b.Beat(ctx, "http://b", 10*time.Millisecond)
	if err != nil || !reflect.DeepEqual(live, []string{"http://b"}) {
		t.Errorf("live nodes with a short TTL: %v, %v; want only http://b", live, err)
	}
	if err := a.ClearPresence(ctx, "http://a"); err != nil {
		t.Fatal(err)
	}
	if g := read("http://b", ttl, "doc/x", "doc/y"); len(g) != 0 {
		t.Errorf("after ClearPresence: %v, want none", g)
	}
	if streams, err := a.Streams(ctx); err != nil || len(streams) != 0 {
		t.Errorf("presence wrote to the log: streams %v, %v", streams, err)
	}
}
