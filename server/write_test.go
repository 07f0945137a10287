package server

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// wsPair opens a real websocket on 127.0.0.1 and returns the server's end
// as a client with an idle writer, and the far end. The server's socket
// gets a small send buffer and the far end a small receive buffer, so that
// a large frame cannot be written at once.
func wsPair(t *testing.T) (*client, *websocket.Conn) {
	t.Helper()
	up := websocket.Upgrader{}
	got := make(chan *websocket.Conn, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			t.Error(err)
			return
		}
		got <- conn
	}))
	t.Cleanup(srv.Close)
	dialer := websocket.Dialer{NetDialContext: (&net.Dialer{}).DialContext}
	far, _, err := dialer.Dial("ws"+strings.TrimPrefix(srv.URL, "http"), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { far.Close() })
	if err := far.NetConn().(*net.TCPConn).SetReadBuffer(64 << 10); err != nil {
		t.Fatal(err)
	}
	conn := <-got
	t.Cleanup(func() { conn.Close() })
	if err := conn.NetConn().(*net.TCPConn).SetWriteBuffer(64 << 10); err != nil {
		t.Fatal(err)
	}
	return &client{conn: conn, out: outbox{limit: 16}}, far
}

// TestWireFrame: a broadcast frame built once and written raw is read by a
// websocket client as the message it carries, for each of the three
// length encodings (7-bit, 16-bit and 64-bit).
func TestWireFrame(t *testing.T) {
	c, far := wsPair(t)
	sizes := []int{2, 125, 126, 65535, 65536, 300_000}
	for _, n := range sizes {
		f := frame{data: payload(n, n)}
		f.wire = wireFrame(f.data)
		waitIdle(t, c) // the frame must go out through writeNow, not a writer still running
		if ok, start := c.out.push(f); !ok || !start {
			t.Fatalf("push: ok %v start %v", ok, start)
		}
		go c.writeNow()
		_ = far.SetReadDeadline(time.Now().Add(10 * time.Second))
		typ, got, err := far.ReadMessage()
		if err != nil {
			t.Fatalf("%d bytes: %v", n, err)
		}
		if typ != websocket.TextMessage || !bytes.Equal(got, f.data) {
			t.Fatalf("%d bytes: got type %d, %d bytes, want the text message as sent", n, typ, len(got))
		}
	}
}

// TestWriteNowDoesNotWait: a frame larger than the socket can take is
// written in part by the fan-out, which does not wait for the reader, and
// the rest by a writer goroutine; the client then reads every message
// whole and in order, including ones queued behind the partial frame.
func TestWriteNowDoesNotWait(t *testing.T) {
	c, far := wsPair(t)
	var sent [][]byte
	for i := range 4 {
		f := frame{data: payload(i, 1<<20)} // 1 MiB: far more than both socket buffers
		f.wire = wireFrame(f.data)
		ok, start := c.out.push(f)
		if !ok {
			t.Fatal("queue full")
		}
		sent = append(sent, f.data)
		if i == 0 {
			if !start {
				t.Fatal("no writer to start for the first frame")
			}
			done := make(chan struct{})
			go func() { c.writeNow(); close(done) }()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("writeNow waited for a reader that is not reading: the fan-out would stall on one client")
			}
		}
	}
	// Frames queued behind a busy writer are merged into one array, so
	// the messages are compared element by element.
	var want, got []string
	for _, data := range sent {
		var msgs []string
		if err := json.Unmarshal(data, &msgs); err != nil {
			t.Fatal(err)
		}
		want = append(want, msgs...)
	}
	for len(got) < len(want) {
		_ = far.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, data, err := far.ReadMessage()
		if err != nil {
			t.Fatalf("after %d of %d messages: %v", len(got), len(want), err)
		}
		var msgs []string
		if err := json.Unmarshal(data, &msgs); err != nil {
			t.Fatalf("after %d of %d messages, a frame that is not a JSON array (%d bytes, starting %.20q): %v", len(got), len(want), len(data), data, err)
		}
		got = append(got, msgs...)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("message %d: %d bytes starting %.20q, want %d bytes starting %.20q", i, len(got[i]), got[i], len(want[i]), want[i])
		}
	}
}

// waitIdle waits until no writer runs for the client.
func waitIdle(t *testing.T, c *client) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		c.out.mu.Lock()
		running := c.out.running
		c.out.mu.Unlock()
		if !running {
			return
		}
	}
	t.Fatal("the client's writer is still running 5 s after its last message was read")
}

// payload is a JSON array of n bytes (n ≥ 2) whose content says which
// message it is; one too short to carry its number is the empty array.
func payload(id, n int) []byte {
	head := fmt.Sprintf(`["%d`, id)
	if n < len(head)+2 {
		return []byte(`[]`)
	}
	b := make([]byte, 0, n)
	b = append(b, head...)
	for len(b) < n-2 {
		b = append(b, byte('a'+len(b)%26))
	}
	return append(b, '"', ']')
}
