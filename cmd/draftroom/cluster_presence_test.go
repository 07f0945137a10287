package main

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine/postgres/pgtest"
	"github.com/draftroom/draftroom/server"
	"github.com/gorilla/websocket"
)

// presenceWatcher is a websocket client that keeps the room's presence as
// a browser does: the hello's list, then each change (people 0: gone).
type presenceWatcher struct {
	mu       sync.Mutex
	presence map[string]server.Presence // by State, or by person
	nodes    []string                   // the hello's node addresses
	raw      []string                   // every presence list as received, for the viewer's
	conn     *websocket.Conn
}

func watchPresence(t *testing.T, base, token string) *presenceWatcher {
	t.Helper()
	h := http.Header{}
	h.Set("Authorization", "Bearer "+token)
	conn, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(base, "http")+"/ws/documents/progress-report", h)
	if err != nil {
		t.Fatalf("open the room on %s: %v", base, err)
	}
	w := &presenceWatcher{presence: map[string]server.Presence{}, conn: conn}
	t.Cleanup(func() { conn.Close() })
	go func() {
		for {
			_, data, err := conn.ReadMessage()
			if err != nil {
				return
			}
			var msgs []json.RawMessage
			if json.Unmarshal(data, &msgs) != nil {
				continue
			}
			for _, raw := range msgs {
				var m server.ServerMessage
				if json.Unmarshal(raw, &m) != nil || (m.Type != server.MsgHello && m.Type != server.MsgPresence) {
					continue
				}
				var list struct {
					Presence json.RawMessage `json:"presence"`
				}
				json.Unmarshal(raw, &list)
				w.mu.Lock()
				w.raw = append(w.raw, string(list.Presence))
				if m.Type == server.MsgHello {
					w.nodes = m.Nodes
				}
				for _, p := range m.Presence {
					k := string(p.State)
					if k == "" {
						k = string(p.Person)
					}
					if p.People == 0 {
						delete(w.presence, k)
					} else {
						w.presence[k] = p
					}
				}
				w.mu.Unlock()
			}
		}
	}()
	return w
}

// has reports whether the watcher holds an entry for key with people.
func (w *presenceWatcher) has(key string, people int) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	p, ok := w.presence[key]
	return ok && p.People == people
}

func (w *presenceWatcher) gone(key string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	_, ok := w.presence[key]
	return !ok
}

// TestClusterPresence: presence is room-wide across the nodes of a
// cluster. Two draftroom serve nodes on one PostgreSQL database: a client
// on each sees the other node's people (a State's delegates on both nodes
// are one entry, its people counted once each), the hello names both
// nodes, a viewer on one node is told of the other node's officer without
// the officer's identity (the viewer filter applies to merged presence as
// to local), and after SIGKILL of one node its people leave the room on
// the other within the presence TTL (waited for, not timed).
func TestClusterPresence(t *testing.T) {
	bin := buildBinary(t)
	url := pgtest.NewDatabase(t)
	a := startServe(t, bin, url)
	defer func() { a.cmd.Process.Kill(); a.cmd.Wait() }()
	b := startServe(t, bin, url)
	defer func() { b.cmd.Process.Kill(); b.cmd.Wait() }()
	a.codes, b.codes = b.codes, a.codes // the logins of one node are valid on the other

	onA := watchPresence(t, a.base, a.login(t, "fra-1"))
	onB := watchPresence(t, b.base, b.login(t, "chn-1"))
	waitUntil(t, 60*time.Second, "the client on node B to see France, connected to node A", func() bool { return onB.has("FRA", 1) && onB.has("CHN", 1) })
	waitUntil(t, 60*time.Second, "the client on node A to see China, connected to node B", func() bool { return onA.has("CHN", 1) && onA.has("FRA", 1) })

	// A second delegate of France, on node B, and the same delegate
	// twice: France is one entry, two people, three connections.
	_ = watchPresence(t, b.base, b.login(t, "fra-1"))
	waitUntil(t, 60*time.Second, "France counted once per person over both nodes", func() bool {
		onA.mu.Lock()
		defer onA.mu.Unlock()
		p := onA.presence["FRA"]
		return p.People == 1 && p.Conns == 2
	})
	_ = watchPresence(t, a.base, a.login(t, "chair-gm-1"))
	viewer := watchPresence(t, b.base, b.login(t, "projector"))
	waitUntil(t, 60*time.Second, "the viewer on node B to see the chair, on node A, as an officer", func() bool {
		viewer.mu.Lock()
		defer viewer.mu.Unlock()
		for _, raw := range viewer.raw {
			if strings.Contains(raw, `"officer"`) {
				return true
			}
		}
		return false
	})
	waitUntil(t, 60*time.Second, "the hello to name both nodes", func() bool {
		w := watchPresence(t, b.base, b.login(t, "bra-1"))
		time.Sleep(200 * time.Millisecond)
		w.mu.Lock()
		defer w.mu.Unlock()
		return slices.Contains(w.nodes, a.base) && slices.Contains(w.nodes, b.base)
	})
	viewer.mu.Lock()
	for _, raw := range viewer.raw {
		if strings.Contains(raw, "chair-gm-1") || strings.Contains(raw, "Chair of the Global") || strings.Contains(raw, `"person"`) {
			t.Errorf("a viewer was told who is present: %s", raw)
		}
	}
	viewer.mu.Unlock()

	waitUntil(t, 60*time.Second, "the client on node B to see the chair, on node A", func() bool { return onB.has("chair-gm-1", 1) })

	// Node A dies without a word: its people leave the room on node B
	// once its beats are older than the TTL; node B's stay.
	a.cmd.Process.Signal(syscall.SIGKILL)
	a.cmd.Wait()
	waitUntil(t, 120*time.Second, "the chair, connected only to the killed node A, to leave the room on node B", func() bool { return onB.gone("chair-gm-1") })
	waitUntil(t, 120*time.Second, "France to count only its connection to node B", func() bool {
		onB.mu.Lock()
		defer onB.mu.Unlock()
		p := onB.presence["FRA"]
		return p.People == 1 && p.Conns == 1
	})
	if !onB.has("CHN", 1) {
		t.Errorf("China, on node B, left the room on node B when node A died")
	}
}
