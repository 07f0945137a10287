package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/draftroom/draftroom/server"
	"github.com/gorilla/websocket"
)

// runHub drives the bare broadcast hub of the performance comparison
// (cmd/compare/hub) with the typing scenario: the same clients, rate and
// duration as against draftroom, and the same measurement. The pen-holder
// sends frames shaped and sized like draftroom's typing events
// (-frame-bytes), each carrying "streamSeq":N, so the clients' reader and
// the report are draftroom's own. There is nothing to log in to and
// nothing is acknowledged: a message counts as sent when it is written.
func (l *loader) runHub(ctx context.Context) error {
	if l.f.scenario != "typing" {
		return fmt.Errorf("%w: -target hub runs -scenario typing only", errUsage)
	}
	if !strings.HasPrefix(l.f.url, "ws://") {
		return fmt.Errorf("%w: -url for -target hub is the hub's websocket address, ws://HOST:PORT/ws; got %q", errUsage, l.f.url)
	}
	fmt.Fprintf(l.out, "setting up %d clients on %s (bare hub)…\n", l.f.clients, l.f.url)
	start := time.Now()
	l.sent = map[uint64]time.Time{}
	l.conns = make([]*loadClient, l.f.clients)
	err := l.parallel(l.f.clients, func(i int) error {
		c, err := l.dialHub()
		if err != nil {
			return err
		}
		l.conns[i] = c
		return nil
	})
	if err != nil {
		return err
	}
	pen, err := l.dialHub()
	if err != nil {
		return err
	}
	time.Sleep(500 * time.Millisecond) // the hub registers clients as they arrive
	fmt.Fprintf(l.out, "set up in %.1fs\n", time.Since(start).Seconds())
	before := l.hubMetrics()
	genBefore := cpuSeconds()
	t0 := time.Now()
	tick := time.NewTicker(time.Duration(float64(time.Second) / l.f.rate))
	defer tick.Stop()
	end := time.After(l.f.duration)
loop:
	for seq := uint64(1); ; seq++ {
		select {
		case <-end:
			break loop
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		msg := hubFrame(seq, l.f.frame)
		sentAt := time.Now()
		if err := pen.conn.WriteMessage(websocket.TextMessage, msg); err != nil {
			return fmt.Errorf("pen-holder: %w", err)
		}
		l.acks.Add(1)
		l.mu.Lock()
		l.sent[seq] = sentAt
		l.mu.Unlock()
	}
	time.Sleep(time.Second) // let the last messages arrive
	wall := time.Since(t0).Seconds()
	after := l.hubMetrics()
	l.report(wall, before, after, cpuSeconds()-genBefore)
	for _, c := range append(l.conns, pen) {
		c.conn.Close()
	}
	return nil
}

// dialHub opens one client of the hub.
func (l *loader) dialHub() (*loadClient, error) {
	conn, _, err := dialer.Dial(l.f.url, nil)
	if err != nil {
		return nil, err
	}
	c := &loadClient{conn: conn, l: l, hello: make(chan time.Time, 1), acks: map[string]chan uint64{}}
	go c.read()
	return c, nil
}

// hubFrame is a typing event frame as draftroom sends it, padded to size
// bytes: the hub relays it as it is.
func hubFrame(seq uint64, size int) []byte {
	head := fmt.Sprintf(`[{"type":"events","seq":%d,"events":[{"streamSeq":%d,"type":"paragraph.edited","data":{"para":"p1","insert":"x"}}],"paragraphs":[{"id":"p1","text":"`, seq, seq)
	tail := `"}]}]`
	pad := max(0, size-len(head)-len(tail))
	return []byte(head + strings.Repeat("x", pad) + tail)
}

// hubMetrics reads the hub's client count; its CPU and memory are read
// from outside (cmd/compare/run.sh reads /proc for every server alike).
func (l *loader) hubMetrics() server.Metrics {
	var m struct{ Clients int64 }
	u := strings.Replace(strings.TrimSuffix(l.f.url, "/ws"), "ws://", "http://", 1) + "/metrics"
	if resp, err := http.Get(u); err == nil {
		_ = json.NewDecoder(resp.Body).Decode(&m)
		resp.Body.Close()
	}
	return server.Metrics{Clients: m.Clients}
}
