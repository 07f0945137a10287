// Command hub is the floor reference of draftroom's performance comparison
// (docs/performance.md): a bare gorilla/websocket broadcast hub, in the
// shape of gorilla's chat example, that does nothing but relay. Every text
// message a client sends is written to every client connected, the sender
// included. It has no logins, no document, no storage and no
// acknowledgements, so whatever draftroom costs beyond it is the price of
// what draftroom does.
//
// Usage:
//
//	hub -addr 127.0.0.1:18100
//
// Clients connect to ws://ADDR/ws. GET /metrics answers {"clients":N}.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/gorilla/websocket"
)

const (
	writeWait  = 10 * time.Second
	pongWait   = 60 * time.Second
	pingPeriod = pongWait * 9 / 10
	sendQueue  = 64 // frames queued per client before it is dropped
)

// hub relays every message to every client.
type hub struct {
	mu      sync.Mutex
	clients map[*client]bool
}

// client is one connection: a reader, a writer and a queue between them.
type client struct {
	h    *hub
	conn *websocket.Conn
	send chan *websocket.PreparedMessage
}

func newHub() *hub { return &hub{clients: map[*client]bool{}} }

// broadcast queues a message for every client, dropping those whose queue
// is full, as a real hub must.
func (h *hub) broadcast(data []byte) {
	pm, err := websocket.NewPreparedMessage(websocket.TextMessage, data)
	if err != nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		select {
		case c.send <- pm:
		default:
			delete(h.clients, c)
			close(c.send)
		}
	}
}

func (h *hub) add(c *client) {
	h.mu.Lock()
	h.clients[c] = true
	h.mu.Unlock()
}

func (h *hub) remove(c *client) {
	h.mu.Lock()
	if h.clients[c] {
		delete(h.clients, c)
		close(c.send)
	}
	h.mu.Unlock()
}

func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

var upgrader = websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 4096, WriteBufferPool: &sync.Pool{}, CheckOrigin: func(*http.Request) bool { return true }}

func (h *hub) serveWS(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	c := &client{h: h, conn: conn, send: make(chan *websocket.PreparedMessage, sendQueue)}
	h.add(c)
	go c.writePump()
	go c.readPump()
}

func (c *client) readPump() {
	defer func() {
		c.h.remove(c)
		c.conn.Close()
	}()
	c.conn.SetReadLimit(64 << 10)
	_ = c.conn.SetReadDeadline(time.Now().Add(pongWait))
	c.conn.SetPongHandler(func(string) error { return c.conn.SetReadDeadline(time.Now().Add(pongWait)) })
	for {
		_, data, err := c.conn.ReadMessage()
		if err != nil {
			return
		}
		c.h.broadcast(data)
	}
}

func (c *client) writePump() {
	ticker := time.NewTicker(pingPeriod)
	defer func() {
		ticker.Stop()
		c.conn.Close()
	}()
	for {
		select {
		case pm, ok := <-c.send:
			_ = c.conn.SetWriteDeadline(time.Now().Add(writeWait))
			if !ok {
				_ = c.conn.WriteMessage(websocket.CloseMessage, []byte{})
				return
			}
			if err := c.conn.WritePreparedMessage(pm); err != nil {
				return
			}
		case <-ticker.C:
			_ = c.conn.SetWriteDeadline(time.Now().Add(writeWait))
			if err := c.conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				return
			}
		}
	}
}

// handler is the hub's HTTP surface: /ws and /metrics.
func (h *hub) handler() http.Handler {
	m := http.NewServeMux()
	m.HandleFunc("GET /ws", h.serveWS)
	m.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]int{"clients": h.count()})
	})
	return m
}

func main() {
	addr := flag.String("addr", "127.0.0.1:18100", "address to listen on")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("hub listening on ws://%s/ws\n", ln.Addr())
	srv := &http.Server{Handler: newHub().handler()}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
		log.Fatal(err)
	}
}
