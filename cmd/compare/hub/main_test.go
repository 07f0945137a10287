package main

import (
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// TestBroadcast: a message from one client reaches every client, the
// sender included, and a client that leaves is forgotten.
func TestBroadcast(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := newHub()
	srv := &http.Server{Handler: h.handler()}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	url := "ws://" + ln.Addr().String() + "/ws"
	var conns []*websocket.Conn
	for range 3 {
		c, _, err := websocket.DefaultDialer.Dial(url, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close() })
		conns = append(conns, c)
	}
	for deadline := time.Now().Add(5 * time.Second); h.count() != 3; {
		if time.Now().After(deadline) {
			t.Fatalf("%d clients registered, want 3", h.count())
		}
		time.Sleep(10 * time.Millisecond)
	}
	msg := `{"seq":1,"text":"States recalled resolution 75/240 — Les États ont rappelé — 各国回顾"}`
	if err := conns[1].WriteMessage(websocket.TextMessage, []byte(msg)); err != nil {
		t.Fatal(err)
	}
	for i, c := range conns {
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, data, err := c.ReadMessage()
		if err != nil {
			t.Fatalf("client %d: %v", i, err)
		}
		if string(data) != msg {
			t.Fatalf("client %d got %q, want %q", i, data, msg)
		}
	}
	conns[0].Close()
	for deadline := time.Now().Add(5 * time.Second); h.count() != 2; {
		if time.Now().After(deadline) {
			t.Fatalf("%d clients after one left, want 2", h.count())
		}
		time.Sleep(10 * time.Millisecond)
	}
	resp, err := http.Get("http://" + ln.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 256)
	n, _ := resp.Body.Read(buf)
	b.Write(buf[:n])
	if !strings.Contains(b.String(), `"clients":2`) {
		t.Errorf("metrics: %s", b.String())
	}
}
