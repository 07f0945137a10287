package server

import (
	"errors"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
)

// capListener caps the connections open at once from one client address:
// beyond the cap a new connection is closed as soon as it is accepted, so
// that one address cannot hold the server's connections (a slow-body
// attack opens hundreds and trickles a byte now and then). Connections
// from trusted proxies are not counted: behind a proxy every client has
// its address, and the per-person and per-session limits apply instead.
type capListener struct {
	net.Listener
	limit   int
	trusted func(addr string) bool
	refused *atomic.Uint64

	mu   sync.Mutex
	open map[string]int
}

func newCapListener(ln net.Listener, limit int, trusted func(string) bool, refused *atomic.Uint64) net.Listener {
	if limit < 0 {
		return ln
	}
	return &capListener{Listener: ln, limit: limit, trusted: trusted, refused: refused, open: map[string]int{}}
}

// Accept returns the next connection whose address is under the cap.
func (l *capListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		addr := hostOf(c.RemoteAddr())
		if l.trusted(addr) {
			return c, nil
		}
		l.mu.Lock()
		n := l.open[addr]
		if n >= l.limit {
			l.mu.Unlock()
			l.refused.Add(1)
			slog.Warn("connection refused: too many from one address", "addr", addr, "open", n)
			_ = c.Close()
			continue
		}
		l.open[addr] = n + 1
		l.mu.Unlock()
		return &cappedConn{Conn: c, l: l, addr: addr}, nil
	}
}

func (l *capListener) release(addr string) {
	l.mu.Lock()
	if l.open[addr]--; l.open[addr] <= 0 {
		delete(l.open, addr)
	}
	l.mu.Unlock()
}

// cappedConn gives its place back when closed (once, however often it is
// closed: net/http and the websocket code may both close it).
type cappedConn struct {
	net.Conn
	l    *capListener
	addr string
	once sync.Once
}

// Close closes the connection and releases its place.
func (c *cappedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c.addr) })
	return err
}

// hostOf is the IP address of a network address, without its port.
func hostOf(a net.Addr) string {
	if ta, ok := a.(*net.TCPAddr); ok {
		return ta.IP.String()
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	return host
}

// SyscallConn gives the socket underneath, so that broadcasts keep their
// non-blocking write (writeNonBlocking); a connection that is not a
// socket says so and is written the ordinary way.
func (c *cappedConn) SyscallConn() (syscall.RawConn, error) {
	if sc, ok := c.Conn.(syscall.Conn); ok {
		return sc.SyscallConn()
	}
	return nil, errors.New("not a socket")
}
