package server

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/draftroom/draftroom/engine"
)

// TestPresenceMerge: a room merges the other nodes' presence rows with
// its own connections: a State's delegates on several nodes are one
// entry, each person counted once among its people and each connection
// once; an entry of the other nodes that empties is broadcast as left
// (people 0) even when the rows are read again before the broadcast.
func TestPresenceMerge(t *testing.T) {
	srv, err := New(context.Background(), Config{Log: openTestLog(t, filepath.Join(t.TempDir(), "p.db"))})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	r := newRoom(srv, "x", nil, 0, 0, "")
	fra := engine.Actor{Person: "fra-1", State: "FRA", Role: engine.RoleDelegate}
	r.presence[presenceKey(fra)] = &presenceEntry{actor: fra, people: map[engine.PersonID]int{"fra-1": 1}, conns: 1}
	r.changed[presenceKey(fra)] = true
	r.setRemote([]NodePresence{
		{Node: "http://b", Stream: r.stream, Person: "fra-1", State: "FRA", Role: engine.RoleDelegate, Conns: 1},
		{Node: "http://c", Stream: r.stream, Person: "fra-2", State: "FRA", Role: engine.RoleDelegate, Conns: 2},
		{Node: "http://b", Stream: r.stream, Person: "chair", Role: engine.RoleOfficer, Conns: 1},
	})
	r.takeRemote()
	byKey := func(list []Presence) map[string]Presence {
		m := map[string]Presence{}
		for _, p := range list {
			k := string(p.State)
			if k == "" {
				k = string(p.Person)
			}
			m[k] = p
		}
		return m
	}
	all := byKey(r.presenceList(nil))
	if p := all["FRA"]; p.People != 2 || p.Conns != 4 {
		t.Errorf("France over three nodes: %d people, %d connections; want 2 people (fra-1 once), 4 connections", p.People, p.Conns)
	}
	if p := all["chair"]; p.People != 1 || p.Role != engine.RoleOfficer {
		t.Errorf("the chair, on another node only: %+v", p)
	}
	if len(r.changed) != 2 {
		t.Errorf("changed entries: %v, want France and the chair", r.changed)
	}
	r.presenceList(r.changed)
	r.changed = map[string]bool{}

	// The other nodes' people leave; the rows are read twice before the
	// next broadcast.
	r.setRemote(nil)
	r.takeRemote()
	r.setRemote(nil)
	r.takeRemote()
	got := byKey(r.presenceList(r.changed))
	if p, ok := got["chair"]; !ok || p.People != 0 {
		t.Errorf("the chair left on the other node: broadcast %+v (present %v), want people 0", p, ok)
	}
	if p := got["FRA"]; p.People != 1 || p.Conns != 1 {
		t.Errorf("France after the other nodes' delegates left: %+v, want 1 person, 1 connection (this node's)", p)
	}
	if _, ok := r.remote["chair"]; ok || len(r.remote) != 0 {
		t.Errorf("entries kept after their leaving was broadcast: %v", r.remote)
	}
}
