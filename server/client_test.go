package server

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/gorilla/websocket"
)

// TestPing: the room's clock pings its clients (there is no timer per
// connection), and a client that answers keeps its connection past the
// first ping.
func TestPing(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{})
	h := http.Header{}
	h.Set("Authorization", "Bearer "+tok["fra"])
	conn, _, err := websocket.DefaultDialer.Dial(strings.Replace(ts.base, "http", "ws", 1)+"/ws/documents/pr", h)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	pinged := make(chan struct{}, 4)
	conn.SetPingHandler(func(data string) error {
		pinged <- struct{}{}
		return conn.WriteControl(websocket.PongMessage, []byte(data), time.Now().Add(time.Second))
	})
	c := &wsClient{t: t, conn: conn, used: map[int]bool{}}
	c.cond = sync.NewCond(&c.mu)
	go c.read()
	select {
	case <-pinged:
	case <-time.After(5 * time.Second):
		t.Fatal("no ping within 5 s of joining: the room's first tick pings every client")
	}
	// Still connected and served after the ping.
	p := paraByNumber(t, c.hello().View, "1")
	if st, e := ts.command(tok["chair"], "pr", "paragraph.edit", engine.EditText{Para: p.ID, Version: p.Version, Start: 0, End: 0, Insert: "a"}); st != 200 {
		t.Fatalf("edit: %d %+v", st, e)
	}
	c.wait("the event after the ping", func(m ServerMessage) bool { return m.Type == MsgEvents })
}

// TestOutbox: the queue is bounded, hands its frames over whole and in
// order, starts one writer at a time, and a close drops what is queued.
func TestOutbox(t *testing.T) {
	o := outbox{limit: 2}
	a, b, c := frame{data: []byte(`[1]`)}, frame{data: []byte(`[2]`)}, frame{data: []byte(`[3]`)}
	if ok, start := o.push(a); !ok || !start {
		t.Fatalf("first push: ok %v start %v, want a writer started", ok, start)
	}
	if ok, start := o.push(b); !ok || start {
		t.Fatalf("second push: ok %v start %v, want queued behind the running writer", ok, start)
	}
	if ok, _ := o.push(c); ok {
		t.Fatal("third push accepted past the limit of 2")
	}
	got := o.next()
	if len(got) != 2 || string(got[0].data) != "[1]" || string(got[1].data) != "[2]" {
		t.Fatalf("next: %v", got)
	}
	if got := o.next(); got != nil {
		t.Fatalf("next on an empty queue: %v, want nil (the writer ends)", got)
	}
	if ok, start := o.push(c); !ok || !start {
		t.Fatalf("push after the writer ended: ok %v start %v, want a new writer", ok, start)
	}
	if start := o.close(frame{control: websocket.CloseMessage, code: closeTooSlow}); start {
		t.Fatal("close started a second writer while one runs")
	}
	if ok, start := o.push(a); !ok || start {
		t.Fatalf("push after close: ok %v start %v, want dropped quietly", ok, start)
	}
	got = o.next()
	if len(got) != 1 || got[0].control != websocket.CloseMessage || got[0].code != closeTooSlow {
		t.Fatalf("after close the queue holds %v, want only the close frame", got)
	}
	if got := merge([]frame{a, b, c}); string(got) != "[1,2,3]" {
		t.Fatalf("merge: %s", got)
	}
}

// TestSnapshotDue: a snapshot every 500 events for a small document; for
// a large one, only once the events since weigh about as much as it.
func TestSnapshotDue(t *testing.T) {
	for _, tt := range []struct {
		since uint64
		bytes int
		want  bool
	}{
		{499, 0, false},
		{500, 0, true},
		{500, 100 << 10, true}, // 100 KiB: 500 events of 256 bytes outweigh it
		{500, 800 << 10, false},
		{3199, 800 << 10, false},
		{3200, 800 << 10, true},
	} {
		r := &Room{seq: 1000 + tt.since, snapSeq: 1000, snapBytes: tt.bytes}
		if got := r.snapshotDue(); got != tt.want {
			t.Errorf("%d events after a snapshot of %d bytes: due %v, want %v", tt.since, tt.bytes, got, tt.want)
		}
	}
}
