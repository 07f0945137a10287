package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/gorilla/websocket"
)

// testServer is a real server on a real SQLite file, listening on
// 127.0.0.1.
type testServer struct {
	t      testing.TB
	srv    *Server
	base   string
	log    engine.EventLog
	cancel context.CancelFunc
	done   chan error
	tokens map[engine.PersonID]string
}

func startServer(t testing.TB, cfg Config) *testServer {
	t.Helper()
	if cfg.Log == nil {
		cfg.Log = openTestLog(t, filepath.Join(t.TempDir(), "room.db"))
	}
	srv, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	ts := &testServer{t: t, srv: srv, base: "http://" + ln.Addr().String(), log: cfg.Log, cancel: cancel, done: make(chan error, 1), tokens: map[engine.PersonID]string{}}
	go func() { ts.done <- srv.Serve(ctx, ln) }()
	t.Cleanup(ts.stop)
	return ts
}

func (ts *testServer) stop() {
	if ts.cancel != nil {
		ts.cancel()
		<-ts.done
		ts.cancel = nil
	}
}

// person registers a person directly and logs them in through the API.
func (ts *testServer) person(p Person) string {
	ts.t.Helper()
	sys := engine.Actor{Person: "test", Role: engine.RoleSystem}
	if _, err := ts.srv.dir.AddPerson(context.Background(), sys, p); err != nil {
		ts.t.Fatal(err)
	}
	code, err := ts.srv.dir.IssueLogin(context.Background(), sys, p.ID)
	if err != nil {
		ts.t.Fatal(err)
	}
	var resp struct {
		Token string `json:"token"`
	}
	if st := ts.call("", "POST", "/api/login", map[string]string{"code": code}, &resp); st != 200 {
		ts.t.Fatalf("login of %s: status %d", p.ID, st)
	}
	ts.tokens[p.ID] = resp.Token
	return resp.Token
}

// call makes an API request as a person (by token) and decodes the
// answer into out; it returns the status.
func (ts *testServer) call(token, method, path string, body, out any) int {
	ts.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, ts.base+path, rd)
	if method != "GET" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if _, isErr := out.(*apiError); isErr && resp.StatusCode < 400 {
		return resp.StatusCode
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			ts.t.Fatalf("%s %s: decode %q: %v", method, path, b, err)
		}
	}
	return resp.StatusCode
}

// apiError is the error shape.
type apiError struct {
	Error struct{ Code, Message string } `json:"error"`
}

// command sends a command over HTTP as a person.
func (ts *testServer) command(token string, doc engine.DocumentID, name string, cmd any) (int, apiError) {
	ts.t.Helper()
	var out apiError
	raw, _ := json.Marshal(cmd)
	st := ts.call(token, "POST", "/api/documents/"+string(doc)+"/commands", CommandRequest{Name: name, Command: raw}, &out)
	return st, out
}

// createDoc imports a draft as the secretariat.
func (ts *testServer) createDoc(token string, id engine.DocumentID, text string) {
	ts.t.Helper()
	var out apiError
	if st := ts.call(token, "POST", "/api/documents", CreateDocumentRequest{ID: id, Text: text, Language: "en"}, &out); st != 201 {
		ts.t.Fatalf("create document: %d %+v", st, out)
	}
}

// wsClient is a real websocket client that records every message.
type wsClient struct {
	t    testing.TB
	conn *websocket.Conn
	mu   sync.Mutex
	msgs []ServerMessage
	cond *sync.Cond
	err  error
	used map[int]bool // messages already returned by wait
}

func (ts *testServer) dial(token string, doc engine.DocumentID, since uint64) *wsClient {
	ts.t.Helper()
	c, err := ts.tryDial(token, doc, since, "")
	if err != nil {
		ts.t.Fatal(err)
	}
	return c
}

func (ts *testServer) tryDial(token string, doc engine.DocumentID, since uint64, origin string) (*wsClient, error) {
	h := http.Header{}
	h.Set("Authorization", "Bearer "+token)
	if origin != "" {
		h.Set("Origin", origin)
	}
	url := strings.Replace(ts.base, "http", "ws", 1) + fmt.Sprintf("/ws/documents/%s?since=%d", doc, since)
	conn, resp, err := websocket.DefaultDialer.Dial(url, h)
	if err != nil {
		if resp != nil {
			return nil, fmt.Errorf("dial: %w (status %d)", err, resp.StatusCode)
		}
		return nil, err
	}
	c := &wsClient{t: ts.t, conn: conn, used: map[int]bool{}}
	c.cond = sync.NewCond(&c.mu)
	go c.read()
	ts.t.Cleanup(func() { conn.Close() })
	return c, nil
}

func (c *wsClient) read() {
	for {
		_, data, err := c.conn.ReadMessage()
		c.mu.Lock()
		if err != nil {
			c.err = err
			c.cond.Broadcast()
			c.mu.Unlock()
			return
		}
		var batch []ServerMessage
		if err := json.Unmarshal(data, &batch); err != nil {
			c.err = fmt.Errorf("frame is not an array of messages: %v", err)
		}
		c.msgs = append(c.msgs, batch...)
		c.cond.Broadcast()
		c.mu.Unlock()
	}
}

// wait returns the first message not yet returned that satisfies f; it
// fails the test after a timeout.
func (c *wsClient) wait(what string, f func(ServerMessage) bool) ServerMessage {
	c.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	timer := time.AfterFunc(10*time.Second, func() { c.mu.Lock(); c.cond.Broadcast(); c.mu.Unlock() })
	defer timer.Stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	for {
		for i, m := range c.msgs {
			if !c.used[i] && f(m) {
				c.used[i] = true
				return m
			}
		}
		if c.err != nil || time.Now().After(deadline) {
			var types []string
			for _, m := range c.msgs {
				types = append(types, m.Type+"/"+m.ID)
			}
			c.t.Fatalf("waiting for %s: %v (got %v)", what, c.err, types)
		}
		c.cond.Wait()
	}
}

// hello waits for the hello and, unless it resumed, the snapshot that
// follows it; it returns the hello with the snapshot's view.
func (c *wsClient) hello() ServerMessage {
	c.t.Helper()
	h := c.wait("hello", func(m ServerMessage) bool { return m.Type == MsgHello })
	if !h.Resumed {
		s := c.wait("snapshot", func(m ServerMessage) bool { return m.Type == MsgSnapshot })
		if s.Seq != h.Seq || s.View == nil {
			c.t.Fatalf("snapshot seq %d (view %v) after hello seq %d", s.Seq, s.View != nil, h.Seq)
		}
		h.View = s.View
	}
	return h
}

// closed waits until the connection ends and returns the close frame the
// server sent, or nil when it ended without one.
func (c *wsClient) closed() *websocket.CloseError {
	c.t.Helper()
	timer := time.AfterFunc(10*time.Second, func() { c.conn.Close() })
	defer timer.Stop()
	c.mu.Lock()
	defer c.mu.Unlock()
	for c.err == nil {
		c.cond.Wait()
	}
	ce, _ := c.err.(*websocket.CloseError)
	return ce
}

func (c *wsClient) send(id, name string, cmd any) {
	c.t.Helper()
	raw, _ := json.Marshal(cmd)
	if err := c.conn.WriteJSON(ClientMessage{Type: MsgCommand, ID: id, Name: name, Command: raw}); err != nil {
		c.t.Fatal(err)
	}
}

// ack waits for the answer to command id and fails on an error.
func (c *wsClient) ack(id string) ServerMessage {
	c.t.Helper()
	m := c.wait("answer to "+id, func(m ServerMessage) bool { return m.ID == id && (m.Type == MsgAck || m.Type == MsgError) })
	if m.Type == MsgError {
		c.t.Fatalf("command %s refused: %s %s", id, m.Code, m.Message)
	}
	return m
}

// event waits for an events message holding an event of the given type.
func (c *wsClient) event(typ string) ServerMessage {
	c.t.Helper()
	return c.wait("event "+typ, func(m ServerMessage) bool {
		if m.Type != MsgEvents {
			return false
		}
		for _, e := range m.Events {
			if e.Type == typ {
				return true
			}
		}
		return false
	})
}

// seqs lists the stream sequences of every event received so far.
func (c *wsClient) seqs() []uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []uint64
	for _, m := range c.msgs {
		for _, e := range m.Events {
			out = append(out, e.StreamSeq)
		}
	}
	return out
}

const testDraft = `# Draft progress report
<!-- symbol: A/AC.292/2027/CRP.1 -->

## A. Introduction

1. The Mechanism held its first session in [New York][Geneva].

2. States recalled resolution 75/240.

## B. Recommendations

3. States [should] consider voluntary measures.
`
