package chain

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/draftroom/draftroom/engine"
)

// TestCommitterGroups queues requests behind a held commit and checks that
// the waiting ones are committed together, that a WriteRows is committed
// alone, and that every request gets exactly its own answer.
func TestCommitterGroups(t *testing.T) {
	hold := make(chan struct{})
	var mu sync.Mutex
	var groups [][]string
	first := true
	c := StartCommitter(CommitterOptions{Name: "test", MaxGroup: 3, Commit: func(g []*Request) {
		mu.Lock()
		wait := first
		first = false
		mu.Unlock()
		if wait {
			<-hold
		}
		mu.Lock()
		var names []string
		for _, r := range g {
			names = append(names, string(r.Stream))
		}
		groups = append(groups, names)
		mu.Unlock()
		for _, r := range g {
			r.Reply <- Result{Events: []engine.Event{{Stream: r.Stream}}}
		}
	}})
	reqs := []*Request{{Stream: "a"}, {Stream: "b"}, {Stream: "c"}, {Stream: "d"}, {Stream: "e", Rows: []Row{{}}}, {Stream: "f"}}
	if err := c.Enqueue(reqs[0]); err != nil {
		t.Fatal(err)
	}
	for {
		mu.Lock()
		busy := !first
		mu.Unlock()
		if busy {
			break
		}
	}
	for _, r := range reqs[1:] {
		if err := c.Enqueue(r); err != nil {
			t.Fatal(err)
		}
	}
	close(hold)
	for _, r := range reqs {
		if res := <-r.Reply; len(res.Events) != 1 || res.Events[0].Stream != r.Stream {
			t.Errorf("request %s got %+v", r.Stream, res)
		}
	}
	c.Close()
	got := make([]string, len(groups))
	for i, g := range groups {
		got[i] = strings.Join(g, "")
	}
	if want := "a bcd e f"; strings.Join(got, " ") != want {
		t.Errorf("groups %q, want %q (the waiting ones together up to MaxGroup, a WriteRows alone)", strings.Join(got, " "), want)
	}
	if res := c.Submit(context.Background(), &Request{Stream: "g"}); engine.ErrorCode(res.Err) != engine.EINTERNAL || !strings.Contains(res.Err.Error(), "test is closed") {
		t.Errorf("Submit after Close = %v", res.Err)
	}
}
