package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/postgres"
	"github.com/draftroom/draftroom/engine/postgres/pgtest"
	"github.com/draftroom/draftroom/server"
	"github.com/gorilla/websocket"
)

// clusterClient is a delegate's websocket client for the cluster test. It
// sends amendments one at a time (the next once the last is answered),
// records every event it receives in order with its hash, and, when its
// node dies, reconnects to the next node of its list from the last
// sequence it saw.
type clusterClient struct {
	token string
	state engine.StateCode
	nodes []string // websocket URLs, its own node first

	mu      sync.Mutex
	node    int
	seen    []engine.Event // every event received, in order of arrival
	last    uint64
	acked   map[uint64]bool // streamSeq of each acknowledged command's last event
	answers int
	resumes int // reconnections that resumed (hello with resumed true)
	early   int // acks that came after the events of their command
	fresh   int // reconnections answered with a snapshot instead
	sending bool
	sent    int
}

// run keeps the client connected and sending until ctx ends (sending
// stops when stop is closed).
func (c *clusterClient) run(ctx context.Context, stop <-chan struct{}, wg *sync.WaitGroup) {
	defer wg.Done()
	first := true
	for ctx.Err() == nil {
		c.mu.Lock()
		url, since := c.nodes[c.node%len(c.nodes)], c.last
		c.mu.Unlock()
		h := http.Header{}
		h.Set("Authorization", "Bearer "+c.token)
		conn, _, err := websocket.DefaultDialer.DialContext(ctx, fmt.Sprintf("%s?since=%d", url, since), h)
		if err != nil {
			c.mu.Lock()
			c.node++ // that node is gone: the next one
			c.mu.Unlock()
			time.Sleep(100 * time.Millisecond)
			continue
		}
		go func() { <-ctx.Done(); conn.Close() }()
		answered := make(chan struct{}, 1)
		answered <- struct{}{}
		sendDone, connDone := make(chan struct{}), make(chan struct{})
		go func() { // the sender: one command in flight at a time
			defer close(sendDone)
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				case <-ctx.Done():
					return
				case <-connDone:
					return
				case <-answered:
				case <-time.After(30 * time.Second):
					// no answer (the node died with the command): send on
				}
				cmd, _ := json.Marshal(engine.ProposeAmendment{Proposer: c.state, Op: engine.OpAddParagraph, Para: "p3", NewText: fmt.Sprintf("%s proposal %d.", c.state, n)})
				c.mu.Lock()
				c.sent++
				id := fmt.Sprintf("%s-%d", c.state, c.sent)
				c.mu.Unlock()
				if conn.WriteJSON(server.ClientMessage{Type: server.MsgCommand, ID: id, Name: "amendment.propose", Command: cmd}) != nil {
					return
				}
			}
		}()
		for {
			_, data, err := conn.ReadMessage()
			if err != nil {
				break
			}
			var msgs []server.ServerMessage
			if json.Unmarshal(data, &msgs) != nil {
				continue
			}
			c.mu.Lock()
			for _, m := range msgs {
				switch m.Type {
				case server.MsgHello:
					if !first {
						if m.Resumed {
							c.resumes++
						} else {
							c.fresh++
						}
					}
					first = false
				case server.MsgSnapshot:
					if m.Seq > c.last {
						c.last = m.Seq
					}
				case server.MsgAck:
					if m.Seq <= c.last {
						c.early++
					}
					c.acked[m.Seq] = true
					c.answers++
				case server.MsgError:
					c.answers++
					if m.RetryAfter > 0 {
						time.AfterFunc(time.Duration(m.RetryAfter)*time.Second, func() { answered <- struct{}{} })
						continue
					}
				}
				for _, e := range m.Events {
					c.seen = append(c.seen, e)
					if e.StreamSeq > c.last {
						c.last = e.StreamSeq
					}
				}
				if m.Type == server.MsgAck || (m.Type == server.MsgError && m.RetryAfter == 0) {
					select {
					case answered <- struct{}{}:
					default:
					}
				}
			}
			c.mu.Unlock()
		}
		conn.Close()
		close(connDone)
		<-sendDone
		c.mu.Lock()
		c.node++ // its node is gone (or cut it off): resume on the next
		c.mu.Unlock()
	}
}

// nodeMetrics reads a node's /metrics.
func nodeMetrics(t *testing.T, base string) server.Metrics {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatalf("metrics of %s: %v", base, err)
	}
	defer resp.Body.Close()
	var m server.Metrics
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil {
		t.Fatalf("metrics of %s: %v", base, err)
	}
	return m
}

// waitUntil polls cond every 50 ms until it holds, failing the test after
// limit (a generous bound, not a measurement).
func waitUntil(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(limit); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waited %s for %s", limit, what)
		}
	}
}

// TestClusterFailover is issue 18's multi-process test: three draftroom
// serve nodes on one PostgreSQL database, three delegations' clients on
// each node in one room, all proposing amendments at once (each node's
// clients' commands forwarded to the owner), and the node owning the room
// killed with SIGKILL in the middle of the burst. Another node takes the
// room over; the dead node's clients reconnect to the others and resume
// from the last sequence they saw; the burst goes on. At the end every
// client has seen every event from where it joined to the head exactly
// once and in order, with the hashes the log holds (no fork, no
// duplicate), every acknowledged event is in the log, and verify passes.
func TestClusterFailover(t *testing.T) {
	bin := buildBinary(t)
	url := pgtest.NewDatabase(t)
	var nodes []*running
	for i := 0; i < 3; i++ {
		n := startServe(t, bin, url)
		defer func() { n.cmd.Process.Kill(); n.cmd.Wait() }()
		nodes = append(nodes, n)
	}
	// Who owns the room: the node that created it, or whichever took the
	// lease first; each node says so in /metrics.
	owner := -1
	waitUntil(t, 60*time.Second, "one node to own the room and the two others to follow it", func() bool {
		owner = -1
		followers := 0
		for i, n := range nodes {
			m := nodeMetrics(t, n.base)
			if m.Cluster == nil {
				t.Fatalf("node %d on PostgreSQL reports no cluster in /metrics", i)
			}
			if len(m.Cluster.Owned) == 1 && m.Cluster.Owned[0] == "progress-report" {
				owner = i
			} else if len(m.Cluster.Followed) == 1 {
				followers++
			}
		}
		return owner >= 0 && followers == 2
	})
	t.Logf("node %d owns the room", owner)

	ws := func(i int) string {
		return "ws" + strings.TrimPrefix(nodes[i%3].base, "http") + "/ws/documents/progress-report"
	}
	delegates := []struct {
		who   string
		state engine.StateCode
	}{{"fra-1", "FRA"}, {"chn-1", "CHN"}, {"bra-1", "BRA"}, {"ken-1", "KEN"}, {"usa-1", "USA"}, {"rus-1", "RUS"}, {"egy-1", "EGY"}, {"eu-1", "EU"}, {"g77-1", "G77"}}
	var clients []*clusterClient
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i, d := range delegates {
		home := i % 3
		// Each logs in on the node it uses: the login is stored by that
		// node and is valid on every node.
		c := &clusterClient{token: nodes[home].login(t, d.who), state: d.state, acked: map[uint64]bool{}}
		for k := 0; k < 3; k++ {
			c.nodes = append(c.nodes, ws(home+k))
		}
		clients = append(clients, c)
		wg.Add(1)
		go c.run(ctx, stop, &wg)
	}
	acks := func() int {
		n := 0
		for _, c := range clients {
			c.mu.Lock()
			n += len(c.acked)
			c.mu.Unlock()
		}
		return n
	}
	// Mid-burst: once every client has had commands acknowledged.
	waitUntil(t, 120*time.Second, "every client to have 5 commands acknowledged", func() bool {
		for _, c := range clients {
			c.mu.Lock()
			n := len(c.acked)
			c.mu.Unlock()
			if n < 5 {
				return false
			}
		}
		return true
	})
	before := acks()
	atKill := map[*clusterClient]int{}
	for _, c := range clients {
		c.mu.Lock()
		atKill[c] = len(c.acked)
		c.mu.Unlock()
	}
	killed := time.Now()
	nodes[owner].cmd.Process.Signal(syscall.SIGKILL)
	nodes[owner].cmd.Wait()
	t.Logf("killed node %d (the owner) with SIGKILL after %d acknowledged commands", owner, before)

	// Another node takes the room over and commands are acknowledged
	// again, by clients of every node.
	var newOwner int
	waitUntil(t, 120*time.Second, "another node to own the room", func() bool {
		for i, n := range nodes {
			if i == owner {
				continue
			}
			if m := nodeMetrics(t, n.base); len(m.Cluster.Owned) == 1 {
				newOwner = i
				return true
			}
		}
		return false
	})
	takeover := time.Since(killed)
	waitUntil(t, 120*time.Second, "every client, those of the killed node included, to have 5 more commands acknowledged after the kill", func() bool {
		for _, c := range clients {
			c.mu.Lock()
			n := len(c.acked)
			c.mu.Unlock()
			if n < atKill[c]+5 {
				return false
			}
		}
		return true
	})
	t.Logf("node %d took the room over %s after the kill (seen by polling /metrics every 50 ms); %d commands acknowledged %s after the kill", newOwner, takeover.Round(time.Millisecond), acks()-before, time.Since(killed).Round(time.Millisecond))
	close(stop)

	// Wait for the answers in flight, then for every client to reach the
	// head of the stream.
	time.Sleep(500 * time.Millisecond)
	log, err := postgres.Open(context.Background(), url, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	var head uint64
	waitUntil(t, 60*time.Second, "the stream's head to stay put", func() bool {
		h, _, err := log.Head(context.Background(), "doc/progress-report")
		if err != nil {
			t.Fatal(err)
		}
		same := h == head
		head = h
		return same
	})
	waitUntil(t, 120*time.Second, "every client to see the head", func() bool {
		for _, c := range clients {
			c.mu.Lock()
			last := c.last
			c.mu.Unlock()
			if last < head {
				return false
			}
		}
		return true
	})
	cancel()
	wg.Wait()

	stored, err := log.Read(context.Background(), "doc/progress-report", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if uint64(len(stored)) != head {
		t.Fatalf("the stream holds %d events up to head %d", len(stored), head)
	}
	resumed := 0
	for _, c := range clients {
		if len(c.seen) == 0 {
			t.Fatalf("%s saw no events", c.state)
		}
		// Exactly once, in order: from the first event received to the
		// head, each sequence once, with the log's hash.
		from := c.seen[0].StreamSeq
		if uint64(len(c.seen)) != head-from+1 {
			t.Errorf("%s received %d events for %d..%d: some missed or duplicated", c.state, len(c.seen), from, head)
		}
		for i, e := range c.seen {
			if e.StreamSeq != from+uint64(i) {
				t.Fatalf("%s: event %d of those received is %d, want %d (out of order, missing or duplicated)", c.state, i, e.StreamSeq, from+uint64(i))
			}
			if want := stored[e.StreamSeq-1].Hash; e.Hash != want {
				t.Fatalf("%s received event %d with hash %s; the log holds %s (a fork)", c.state, e.StreamSeq, e.Hash, want)
			}
		}
		for seq := range c.acked {
			if seq > head || seq < 1 {
				t.Errorf("%s: acknowledged event %d is not in the stream (head %d)", c.state, seq, head)
			}
		}
		if c.early > 0 {
			t.Errorf("%s received the events of %d of its commands before their acks", c.state, c.early)
		}
		resumed += c.resumes
		if c.fresh > 0 {
			t.Errorf("%s reconnected %d times without resuming (a snapshot instead of the events missed)", c.state, c.fresh)
		}
	}
	if resumed < 3 {
		t.Errorf("%d reconnections resumed; the three clients of the killed node should each have resumed on another node", resumed)
	}
	t.Logf("%d events, %d commands acknowledged, %d resumptions", head, acks(), resumed)
	// The nodes say it in Prometheus's format too.
	for i, n := range nodes {
		if i == owner {
			continue
		}
		req, _ := http.NewRequest("GET", n.base+"/metrics", nil)
		req.Header.Set("Accept", "text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		text := string(b)
		role, count := "followed", "draftroom_follow_lag_seconds_count"
		if i == newOwner {
			role, count = "owned", "draftroom_append_seconds_count"
			if !strings.Contains(text, "draftroom_lease_changes_total 1\n") {
				t.Errorf("the new owner's metrics do not count the lease it took:\n%s", text)
			}
		}
		if !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain; version=0.0.4") || !strings.Contains(text, "draftroom_rooms{role=\""+role+"\"} 1\n") ||
			!regexp.MustCompile(`(?m)^`+count+` [1-9]`).MatchString(text) || !strings.Contains(text, "# TYPE draftroom_append_seconds histogram") {
			t.Errorf("node %d's Prometheus metrics (%s, want the room %s and %s > 0):\n%s", i, resp.Header.Get("Content-Type"), role, count, text)
		}
	}
	for i, n := range nodes {
		if i != owner {
			n.cmd.Process.Signal(syscall.SIGTERM)
			n.cmd.Wait()
		}
	}
	if code, out := runBin(t, bin, "verify", url); code != 0 {
		t.Fatalf("verify after the failover: exit %d\n%s", code, out)
	}
}

// TestLogFormatJSON: serve -log-format json writes every log line as one
// JSON object; an unknown format is refused before anything starts.
func TestLogFormatJSON(t *testing.T) {
	bin := buildBinary(t)
	db := t.TempDir() + "/log.db"
	if code, out := runBin(t, bin, "serve", "-db", db, "-log-format", "yaml"); code != 2 || !strings.Contains(out, `-log-format "yaml" is not text or json`) {
		t.Fatalf("serve -log-format yaml: exit %d\n%s", code, out)
	}
	cmd := exec.Command(bin, "serve", "-db", db, "-addr", "127.0.0.1:0", "-log-format", "json")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() && !strings.Contains(sc.Text(), "/login?code=") { // the first start has stored its login
	}
	go io.Copy(io.Discard, stdout)
	cmd.Process.Signal(syscall.SIGTERM)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("serve: %v\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(stderr.String()), "\n")
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil || m["msg"] == nil || m["level"] == nil {
			t.Fatalf("a log line that is not a JSON object with msg and level: %q (%v)", l, err)
		}
	}
	if !strings.Contains(stderr.String(), `"msg":"shutting down"`) {
		t.Fatalf("no shutdown line in the JSON log:\n%s", stderr.String())
	}
}
