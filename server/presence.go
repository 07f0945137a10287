package server

import (
	"context"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// Presence across nodes (docs/architecture.md, several nodes). Each room
// counts the connections of its own node's clients (Room.presence) and,
// on a node of a cluster, hands every change of a person's count to the
// cluster at most every presenceEvery (publishPresence), which stores it
// and notifies the other nodes. Each node reads the other nodes' rows of
// a room when notified and gives them to the room (Room.remote), which
// merges them into what it sends its clients: a State's delegates on
// three nodes are one entry, its people counted once each. A node beats
// every presenceBeat; the rows of a node whose last beat is older than
// presenceTTL no longer count, so the people of a killed node leave
// every room within about presenceTTL. Presence never enters the event
// log.

// Presence across nodes, timing.
const (
	// presenceBeat is how often a node records that it is alive and
	// learns which nodes are.
	presenceBeat = time.Second
	// presenceTTL is how long a node's presence counts after its last
	// beat: several beats, so that a loaded node is not taken for dead.
	presenceTTL = 6 * time.Second
)

// NodePresence is the connections of one person to one node in one room,
// as nodes tell each other (Cluster.PublishPresence).
type NodePresence struct {
	Node   string // the node's address
	Stream engine.StreamID
	Person engine.PersonID
	State  engine.StateCode
	Role   engine.Role
	Conns  int // 0: the person left the room on that node
}

// actor is the person of a presence row, as presenceKey groups them.
func (p NodePresence) actor() engine.Actor {
	return engine.Actor{Person: p.Person, State: p.State, Role: p.Role}
}

// presenceOut collects the presence changes of a node's rooms for the
// cluster, the latest per room and person, between two publications.
type presenceOut struct {
	mu      sync.Mutex
	pending map[presenceSlot]NodePresence
	kick    chan struct{}
}

type presenceSlot struct {
	stream engine.StreamID
	person engine.PersonID
}

// publishPresence queues a room's presence changes for the other nodes;
// it never waits.
func (s *Server) publishPresence(rows []NodePresence) {
	out := &s.cluster.presOut
	out.mu.Lock()
	if out.pending == nil {
		out.pending = map[presenceSlot]NodePresence{}
	}
	for _, p := range rows {
		out.pending[presenceSlot{p.Stream, p.Person}] = p
	}
	out.mu.Unlock()
	select {
	case out.kick <- struct{}{}:
	default:
	}
}

// liveNodes returns the addresses of the nodes alive at the last beat,
// this one included, sorted.
func (s *Server) liveNodes() []string {
	if s.cluster == nil {
		return nil
	}
	s.cluster.liveMu.Lock()
	defer s.cluster.liveMu.Unlock()
	return s.cluster.live
}

// runPresence beats, publishes this node's presence changes and reads
// the other nodes' when they change, until the server closes; then it
// clears this node's presence, so that the others drop its people at
// once.
func (s *Server) runPresence() {
	cl := s.cluster
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		_ = cl.c.FollowPresence(s.roomCtx, nil, func(stream engine.StreamID, node string) {
			if node != cl.node {
				s.presenceDirty(stream)
			}
		})
	}()
	go func() {
		defer s.wg.Done()
		defer func() {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := cl.c.ClearPresence(ctx, cl.node); err != nil {
				slog.Warn("cluster: clear this node's presence", "err", err)
			}
		}()
		beat := time.NewTicker(presenceBeat)
		defer beat.Stop()
		s.beat()
		s.presenceDirty("")
		for {
			select {
			case <-s.roomCtx.Done():
				return
			case <-beat.C:
				s.beat()
				s.sendPresence() // what a failed publication left, if anything
			case <-cl.presOut.kick:
				s.sendPresence()
			case <-cl.presRead:
				cl.presMu.Lock()
				every, streams := cl.presAll, make([]engine.StreamID, 0, len(cl.presDirty))
				for st := range cl.presDirty {
					streams = append(streams, st)
				}
				cl.presAll, cl.presDirty = false, map[engine.StreamID]bool{}
				cl.presMu.Unlock()
				s.readPresence(every, streams)
			}
		}
	}()
}

// presenceDirty asks for the other nodes' presence in a room to be read
// again (every room's, for an empty stream).
func (s *Server) presenceDirty(stream engine.StreamID) {
	cl := s.cluster
	cl.presMu.Lock()
	if stream == "" {
		cl.presAll = true
	} else {
		if cl.presDirty == nil {
			cl.presDirty = map[engine.StreamID]bool{}
		}
		cl.presDirty[stream] = true
	}
	cl.presMu.Unlock()
	select {
	case cl.presRead <- struct{}{}:
	default:
	}
}

// beat records this node as alive and learns the live nodes; when they
// changed (a node died, or one came) every room's presence is read
// again.
func (s *Server) beat() {
	cl := s.cluster
	ctx, cancel := context.WithTimeout(s.roomCtx, presenceTTL/2)
	defer cancel()
	live, err := cl.c.Beat(ctx, cl.node, presenceTTL)
	if err != nil {
		if s.roomCtx.Err() == nil {
			slog.Error("cluster: heartbeat", "err", err)
		}
		return
	}
	sort.Strings(live)
	cl.liveMu.Lock()
	changed := !slices.Equal(live, cl.live)
	cl.live = live
	cl.liveMu.Unlock()
	if changed {
		s.presenceDirty("")
	}
}

// sendPresence publishes the presence changes queued since the last time.
func (s *Server) sendPresence() {
	cl := s.cluster
	cl.presOut.mu.Lock()
	pending := cl.presOut.pending
	cl.presOut.pending = nil
	cl.presOut.mu.Unlock()
	if len(pending) == 0 {
		return
	}
	rows := make([]NodePresence, 0, len(pending))
	for _, p := range pending {
		p.Node = cl.node
		rows = append(rows, p)
	}
	ctx, cancel := context.WithTimeout(s.roomCtx, 10*time.Second)
	defer cancel()
	if err := cl.c.PublishPresence(ctx, cl.node, rows); err != nil && s.roomCtx.Err() == nil {
		slog.Error("cluster: publish presence", "err", err)
		// Again with the next changes, unless a newer count of the same
		// person came meanwhile.
		out := &cl.presOut
		out.mu.Lock()
		if out.pending == nil {
			out.pending = map[presenceSlot]NodePresence{}
		}
		for _, p := range rows {
			if _, newer := out.pending[presenceSlot{p.Stream, p.Person}]; !newer {
				out.pending[presenceSlot{p.Stream, p.Person}] = p
			}
		}
		out.mu.Unlock()
	}
}

// readPresence reads the other nodes' presence in the given rooms (every
// room of this node when all) and hands each room its rows.
func (s *Server) readPresence(all bool, streams []engine.StreamID) {
	s.mu.Lock()
	rooms := map[engine.StreamID]*Room{}
	for _, r := range s.rooms {
		rooms[r.stream] = r
	}
	s.mu.Unlock()
	if all {
		streams = streams[:0]
		for st := range rooms {
			streams = append(streams, st)
		}
	}
	streams = slices.DeleteFunc(streams, func(st engine.StreamID) bool { return rooms[st] == nil })
	if len(streams) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(s.roomCtx, 10*time.Second)
	defer cancel()
	rows, err := s.cluster.c.ReadPresence(ctx, s.cluster.node, presenceTTL, streams)
	if err != nil {
		if s.roomCtx.Err() == nil {
			slog.Error("cluster: read the other nodes' presence", "err", err)
		}
		return
	}
	by := map[engine.StreamID][]NodePresence{}
	for _, p := range rows {
		by[p.Stream] = append(by[p.Stream], p)
	}
	for _, st := range streams {
		rooms[st].setRemote(by[st])
	}
}

// setRemote gives the room the other nodes' presence rows, replacing
// those it had; it never waits for the room.
func (r *Room) setRemote(rows []NodePresence) {
	r.remoteMu.Lock()
	r.remoteNext, r.remoteNew = rows, true
	r.remoteMu.Unlock()
	select {
	case r.remoteC <- struct{}{}:
	default:
	}
}

// takeRemote merges the latest rows of the other nodes into the room's
// view of them, marking the entries that changed for the next presence
// broadcast. Entries that emptied stay, with no people, until that
// broadcast says they left.
func (r *Room) takeRemote() {
	r.remoteMu.Lock()
	rows, ok := r.remoteNext, r.remoteNew
	r.remoteNext, r.remoteNew = nil, false
	r.remoteMu.Unlock()
	if !ok {
		return
	}
	next := map[string]*presenceEntry{}
	for _, p := range rows {
		if p.Conns <= 0 {
			continue
		}
		key := presenceKey(p.actor())
		pe := next[key]
		if pe == nil {
			pe = &presenceEntry{actor: p.actor(), people: map[engine.PersonID]int{}}
			next[key] = pe
		}
		pe.people[p.Person] += p.Conns
		pe.conns += p.Conns
	}
	for key, old := range r.remote {
		if pe := next[key]; pe == nil {
			if len(old.people) > 0 {
				next[key] = &presenceEntry{actor: old.actor, people: map[engine.PersonID]int{}}
				r.changed[key] = true
			} else {
				next[key] = old // emptied before, its leaving not broadcast yet
			}
		} else if !samePeople(old, pe) {
			r.changed[key] = true
		}
	}
	for key := range next {
		if r.remote[key] == nil {
			r.changed[key] = true
		}
	}
	r.remote = next
}

// samePeople reports whether two entries count the same people and
// connections.
func samePeople(a, b *presenceEntry) bool {
	if a.conns != b.conns || len(a.people) != len(b.people) {
		return false
	}
	for p, n := range a.people {
		if b.people[p] != n {
			return false
		}
	}
	return true
}

// localChange notes that a person's connections to this room on this
// node changed, for the other nodes.
func (r *Room) localChange(a engine.Actor) {
	if r.srv.cluster == nil {
		return
	}
	if r.localChanged == nil {
		r.localChanged = map[engine.PersonID]engine.Actor{}
	}
	r.localChanged[a.Person] = a
}

// flushLocalPresence hands the people whose connections changed since
// the last time to the cluster, with their counts now.
func (r *Room) flushLocalPresence() {
	if len(r.localChanged) == 0 {
		return
	}
	rows := make([]NodePresence, 0, len(r.localChanged))
	for person, a := range r.localChanged {
		n := 0
		if pe := r.presence[presenceKey(a)]; pe != nil {
			n = pe.people[person]
		}
		rows = append(rows, NodePresence{Stream: r.stream, Person: person, State: a.State, Role: a.Role, Conns: n})
	}
	r.localChanged = nil
	r.srv.publishPresence(rows)
}
