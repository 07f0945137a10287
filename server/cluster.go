package server

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// Cluster is what several nodes serving one event log need of it
// (engine/postgres.Log, adapted by draftroom serve): notifications of
// every commit, and leases. With a Cluster, a room is decided by the node
// holding its lease (the owner); every other node follows its events from
// the log and forwards its clients' commands to the owner; the directory
// and the processes are followed the same way (docs/deploy.md, several
// nodes). Without one (SQLite), the server is the only node.
type Cluster interface {
	// Follow calls f with each stream moved by a commit of any node and
	// its new StreamSeq, from one goroutine, until ctx ends; an empty
	// stream says that notifications may have been missed. ready is
	// closed once it listens.
	Follow(ctx context.Context, ready chan<- struct{}, f func(stream engine.StreamID, streamSeq uint64)) error
	// TryLease takes the lease on name, recording node as its holder,
	// if no live process holds it; it does not wait.
	TryLease(ctx context.Context, name, node string) (Lease, bool, error)
	// Holders lists the node of every name whose lease a live process
	// holds.
	Holders(ctx context.Context) (map[string]string, error)

	// Presence across nodes (server/presence.go); it never enters the
	// event log.

	// PublishPresence stores a node's presence changes (Conns 0 removes
	// a person from a room on that node) and notifies the other nodes
	// of the rooms that changed.
	PublishPresence(ctx context.Context, node string, rows []NodePresence) error
	// ReadPresence returns the presence of every node but node in the
	// given rooms, of the nodes that beat within ttl.
	ReadPresence(ctx context.Context, node string, ttl time.Duration, streams []engine.StreamID) ([]NodePresence, error)
	// FollowPresence calls f with each room whose presence a node
	// changed and that node, from one goroutine, until ctx ends; an
	// empty stream means: read every room again.
	FollowPresence(ctx context.Context, ready chan<- struct{}, f func(stream engine.StreamID, node string)) error
	// Beat records that node is alive and returns the nodes that beat
	// within ttl.
	Beat(ctx context.Context, node string, ttl time.Duration) ([]string, error)
	// ClearPresence removes a node's presence and beat.
	ClearPresence(ctx context.Context, node string) error
}

// Lease is one node's right to decide a room's commands. It says who may
// try to write: a holder that lost it without knowing is still refused
// by the stream sequence its appends expect.
type Lease interface {
	// Lost is closed once the lease may be held by another node.
	Lost() <-chan struct{}
	// Release gives the lease up.
	Release() error
}

// Cluster settings.
const (
	// sweepEvery is how often a node looks for rooms without a live
	// owner (and takes them over) and learns who owns the others.
	sweepEvery = 500 * time.Millisecond
	// forwardTimeout bounds a command forwarded to the owner.
	forwardTimeout = 15 * time.Second
	// forwardedHeader marks a command a follower forwarded; the receiving
	// node never forwards it again.
	forwardedHeader = "X-Draftroom-Forwarded-By"
)

// clusterState is a server's part of a cluster.
type clusterState struct {
	c            Cluster
	node         string // this node's address, where the others forward commands
	client       *http.Client
	leaseChanges atomic.Uint64
	notes        chan note
	presOut      presenceOut
	liveMu       sync.Mutex
	live         []string // the nodes alive at the last beat, sorted
	// The rooms whose presence on the other nodes is to be read again
	// (all of them when presAll), signalled on presRead.
	presMu    sync.Mutex
	presDirty map[engine.StreamID]bool
	presAll   bool
	presRead  chan struct{}
}

// note is one notification: a stream moved to seq; an empty stream means
// that notifications may have been missed.
type note struct {
	stream engine.StreamID
	seq    uint64
}

// startCluster listens for the log's notifications before anything is
// loaded, so that nothing committed after the load is missed; they are
// queued and dispatched once New has loaded everything (runCluster).
func (s *Server) startCluster(ctx context.Context, c Cluster, node string) error {
	if node == "" {
		return engine.Errorf(engine.EINVALID, "a node of a cluster needs the address the other nodes reach it at (draftroom serve -node-url)")
	}
	s.cluster = &clusterState{c: c, node: strings.TrimRight(node, "/"), notes: make(chan note, 4096),
		// At most 128 connections to each other node, well under the
		// per-address cap (-conns-per-addr, 1,024) that node applies.
		client: &http.Client{Timeout: forwardTimeout, Transport: &http.Transport{MaxConnsPerHost: 128, MaxIdleConnsPerHost: 128, IdleConnTimeout: 90 * time.Second}}}
	s.cluster.presOut.kick, s.cluster.presRead = make(chan struct{}, 1), make(chan struct{}, 1)
	// What a previous run of this node left is stale.
	if err := c.ClearPresence(ctx, s.cluster.node); err != nil {
		return err
	}
	ready := make(chan struct{})
	go func() {
		_ = c.Follow(s.roomCtx, ready, func(stream engine.StreamID, seq uint64) {
			select {
			case s.cluster.notes <- note{stream, seq}:
			case <-s.roomCtx.Done():
			}
		})
	}()
	select {
	case <-ready:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// runCluster dispatches notifications and sweeps the leases until the
// server closes.
func (s *Server) runCluster() {
	s.runPresence()
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		for {
			select {
			case <-s.roomCtx.Done():
				return
			case n := <-s.cluster.notes:
				s.dispatch(n)
			}
		}
	}()
	go func() {
		defer s.wg.Done()
		t := time.NewTicker(sweepEvery)
		defer t.Stop()
		for {
			s.sweep()
			select {
			case <-s.roomCtx.Done():
				return
			case <-t.C:
			}
		}
	}()
}

// dispatch brings what a notification names up to date: the directory, a
// process (loaded if new), a room (started as a follower if new).
func (s *Server) dispatch(n note) {
	ctx, cancel := context.WithTimeout(s.roomCtx, 30*time.Second)
	defer cancel()
	if n.stream == "" {
		// Notifications may have been missed: catch everything up and
		// look for new streams.
		if err := s.dir.catchUp(ctx); err != nil {
			slog.Error("cluster: directory catch-up", "err", err)
		}
		streams, err := s.log.Streams(ctx)
		if err != nil {
			slog.Error("cluster: list streams", "err", err)
			return
		}
		for _, st := range streams {
			s.dispatch(note{st, ^uint64(0)})
		}
		return
	}
	switch st := string(n.stream); {
	case n.stream == DirectoryStream:
		if s.dir.holds(n.seq) {
			return // applied already: this node's own write, or read with an earlier one
		}
		if err := s.dir.catchUp(ctx); err != nil {
			slog.Error("cluster: directory catch-up", "err", err)
		}
	case strings.HasPrefix(st, "process/"):
		id := engine.ProcessID(strings.TrimPrefix(st, "process/"))
		s.mu.Lock()
		pe, ok := s.processes[id]
		s.mu.Unlock()
		if ok {
			pe.mu.Lock()
			if pe.seq >= n.seq {
				pe.mu.Unlock()
				return // applied already
			}
			err := pe.catchUp(ctx, s.log, id)
			pe.mu.Unlock()
			if err != nil {
				slog.Error("cluster: process catch-up", "process", id, "err", err)
			}
			return
		}
		p, seq, err := engine.LoadProcess(ctx, s.log, id)
		if err != nil {
			slog.Error("cluster: load process", "process", id, "err", err)
			return
		}
		s.mu.Lock()
		if _, ok := s.processes[id]; !ok {
			s.processes[id] = &processEntry{p: p, seq: seq}
		}
		s.mu.Unlock()
	case strings.HasPrefix(st, "drafts/"):
		// Group drafts are loaded on first use: bring them up to date
		// only where they are.
		id := engine.DocumentID(strings.TrimPrefix(st, "drafts/"))
		s.mu.Lock()
		de, ok := s.drafts[id]
		s.mu.Unlock()
		if ok {
			de.mu.Lock()
			err := de.catchUp(ctx, s.log, id)
			de.mu.Unlock()
			if err != nil {
				slog.Error("cluster: group drafts catch-up", "document", id, "err", err)
			}
		}
	case strings.HasPrefix(st, "doc/"):
		id := engine.DocumentID(strings.TrimPrefix(st, "doc/"))
		s.mu.Lock()
		defer s.mu.Unlock()
		if r, ok := s.rooms[id]; ok {
			r.poke(n.seq)
			return
		}
		doc, seq, snap, hash, err := engine.LoadDocument(ctx, s.log, id)
		if err != nil {
			slog.Error("cluster: load document", "document", id, "err", err)
			return
		}
		s.startRoom(id, doc, seq, snap, hash)
	}
}

// sweep learns who owns every room and has each room without a live
// owner try to take it over.
func (s *Server) sweep() {
	ctx, cancel := context.WithTimeout(s.roomCtx, 10*time.Second)
	defer cancel()
	holders, err := s.cluster.c.Holders(ctx)
	if err != nil {
		if s.roomCtx.Err() == nil {
			slog.Error("cluster: read the lease holders", "err", err)
		}
		return
	}
	s.mu.Lock()
	rooms := make([]*Room, 0, len(s.rooms))
	for _, r := range s.rooms {
		rooms = append(rooms, r)
	}
	s.mu.Unlock()
	for _, r := range rooms {
		if r.owned.Load() {
			continue
		}
		node := holders[string(r.stream)]
		select {
		case r.holder <- node:
		default:
			select { // replace a value the room has not taken yet
			case <-r.holder:
			default:
			}
			select {
			case r.holder <- node:
			default:
			}
		}
	}
}

// maxRetries is how many times an append to the directory or a process
// refused because another node wrote first is decided again on the new
// state before the refusal is passed on.
const maxRetries = 32

// backOff waits before a retry, a random time growing with the attempt
// (up to about 25 ms), so that nodes writing the same stream at once do
// not keep colliding.
func backOff(attempt int) {
	if attempt < 2 {
		return
	}
	time.Sleep(time.Duration(rand.Int64N(int64(min(attempt, 25)) * int64(time.Millisecond))))
}

// forwarded is the answer to a command forwarded to the owner.
type forwarded struct {
	id  uint64
	req *request
	res result
	// gone is true when the owner did not answer at all: it may be dead,
	// and the room looks for a new owner.
	gone bool
}

// forwardCommand sends a command to the owner of a room over its HTTP
// API, as the person who sent it (their session token: the directory is
// shared), and returns the owner's answer.
func (s *Server) forwardCommand(owner string, room engine.DocumentID, req *request) (result, bool) {
	raw := req.raw
	if raw == nil {
		b, err := json.Marshal(req.cmd)
		if err != nil {
			return result{err: err}, false
		}
		raw = b
	}
	body, err := json.Marshal(CommandRequest{Name: req.name, Command: raw})
	if err != nil {
		return result{err: err}, false
	}
	ctx, cancel := context.WithTimeout(s.roomCtx, forwardTimeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, owner+"/api/documents/"+string(room)+"/commands", bytes.NewReader(body))
	if err != nil {
		return result{err: err}, false
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Authorization", "Bearer "+req.token)
	hr.Header.Set(forwardedHeader, s.cluster.node)
	resp, err := s.cluster.client.Do(hr)
	if err != nil {
		return result{err: engine.Errorf(engine.ECONFLICT, "the node deciding document %q (%s) did not answer, so the change may not have been stored; another node takes the room over within seconds: check the room and send it again", room, owner)}, true
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusOK {
		var out CommandResponse
		if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || len(out.Events) == 0 {
			return result{err: engine.Errorf(engine.ECONFLICT, "the node deciding document %q (%s) answered with something unreadable; check the room and send it again", room, owner)}, true
		}
		return result{events: out.Events}, false
	}
	var eb ErrorBody
	if err := json.NewDecoder(resp.Body).Decode(&eb); err != nil || eb.Error.Code == "" {
		return result{err: engine.Errorf(engine.ECONFLICT, "the node deciding document %q (%s) answered %s; check the room and send it again", room, owner, resp.Status)}, resp.StatusCode >= 500
	}
	// The owner's refusal reaches the client as the owner made it, its
	// key and values too, so it is shown in the reader's language.
	refusal := &engine.Error{Code: eb.Error.Code, Message: eb.Error.Message, Key: eb.Error.Key, Params: eb.Error.Params}
	if eb.Error.Code == ERATELIMITED {
		n, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return result{err: &limitError{err: refusal, retry: time.Duration(max(n, 1)) * time.Second}}, false
	}
	return result{err: refusal}, false
}

// ClusterInfo says what a node of a cluster does.
type ClusterInfo struct {
	Node         string   `json:"node"`
	Owned        []string `json:"owned"`
	Followed     []string `json:"followed"`
	LeaseChanges uint64   `json:"leaseChanges"`
}

// clusterInfo reads the rooms this node owns and follows.
func (s *Server) clusterInfo() *ClusterInfo {
	if s.cluster == nil {
		return nil
	}
	ci := &ClusterInfo{Node: s.cluster.node, Owned: []string{}, Followed: []string{}, LeaseChanges: s.cluster.leaseChanges.Load()}
	s.mu.Lock()
	for id, r := range s.rooms {
		if r.owned.Load() {
			ci.Owned = append(ci.Owned, string(id))
		} else {
			ci.Followed = append(ci.Followed, string(id))
		}
	}
	s.mu.Unlock()
	return ci
}

// notOwner is the refusal of a forwarded command by a node that no longer
// decides the room: the sender looks for the owner again.
func notOwner(id engine.DocumentID) error {
	return engine.Errorf(engine.ECONFLICT, "this node no longer decides document %q: its room moved to another node; send it again in a moment", id)
}

// isNotOwner reports whether err is a notOwner refusal (from another node).
func isNotOwner(err error) bool {
	return engine.ErrorCode(err) == engine.ECONFLICT && strings.HasPrefix(engine.ErrorMessage(err), "this node no longer decides document")
}

// errNoOwner refuses a command while no node decides the room.
func errNoOwner(id engine.DocumentID) error {
	return engine.Errorf(engine.ECONFLICT, "no node decides document %q at this moment (its node is being replaced); send it again in a moment", id)
}
