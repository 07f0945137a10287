package server

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/pdf"
	"github.com/gorilla/websocket"
)

// Request size limits.
const (
	maxBody   = 1 << 20                      // JSON API bodies
	maxImport = engine.MaxImportBytes + 4096 // a draft to import, with its envelope
	// maxImportDocx is a new document's request: a draft as text, or a
	// Word file of up to engine.MaxImportBytes in base64.
	maxImportDocx = (engine.MaxImportBytes+2)/3*4 + 4096
)

// Config sets up a Server.
type Config struct {
	// Log is the durable event log.
	Log engine.EventLog
	// Origins lists extra origins (scheme://host:port) allowed to open
	// websockets besides the server's own host.
	Origins []string
	// Now is the clock; nil means time.Now. Tests pass a fixed clock.
	Now func() time.Time
	// SendQueue is how many frames may wait for one client before it is
	// cut off; 0 means 64.
	SendQueue int
	// Limits bounds commands, websockets and connections per person,
	// session and address; zero fields take the defaults.
	Limits Limits
	// PublicURL is the address people use to reach the server, e.g.
	// https://room.example.org when a reverse proxy ends TLS in front of
	// it. Its host is accepted in Host headers, its origin may send
	// requests, and when it is https the session cookie is Secure.
	PublicURL string
	// Hosts lists other host names the server answers to. IP addresses
	// and localhost are always accepted; any other name only when it is
	// the public URL's host or listed here (DNS rebinding).
	Hosts []string
	// TrustedProxies lists the addresses (IPs or CIDR prefixes) of
	// reverse proxies: only from them is X-Forwarded-For believed, and
	// their connections do not count against the per-address cap.
	TrustedProxies []string
	// TLS, when set, makes Serve speak HTTPS itself (draftroom serve
	// -tls-cert/-tls-key); cookies are then Secure.
	TLS *tls.Config
	// Cluster, when set, makes the server one node of several on one
	// log (PostgreSQL): rooms owned by lease, followed elsewhere.
	Cluster Cluster
	// NodeURL is the address the other nodes reach this one at, e.g.
	// http://10.0.0.12:8080; required with Cluster.
	NodeURL string
}

// Server is draftroom's HTTP and websocket server.
type Server struct {
	log     engine.EventLog
	dir     *Directory
	origins []string
	clock   func() time.Time
	queue   int
	mux     *http.ServeMux

	mu        sync.Mutex
	rooms     map[engine.DocumentID]*Room
	processes map[engine.ProcessID]*processEntry
	drafts    map[engine.DocumentID]*draftsEntry // group drafts, loaded on first use (drafts.go)
	roomCtx   context.Context
	stop      context.CancelFunc
	wg        sync.WaitGroup
	closing   atomic.Bool

	metrics  metrics
	exports  *exporter
	printer  *pdf.Printer // PDFs of reports; Chromium starts at the first
	upgr     websocket.Upgrader
	limits   Limits
	commands *commandLimiter
	sockets  socketCounts
	public   *url.URL       // the public URL, if configured
	hosts    []string       // host names answered to besides IPs and localhost
	proxies  []netip.Prefix // trusted reverse proxies
	tls      *tls.Config
	cluster  *clusterState // nil for a single node
}

type metrics struct {
	acks        latencyRing
	clients     atomic.Int64
	sockets     atomic.Int64
	events      atomic.Uint64
	slowCut     atomic.Uint64
	rateLimited atomic.Uint64
	// connsRefused counts connections closed at once for the
	// per-address cap.
	connsRefused atomic.Uint64
	started      time.Time
	// appendLatency is the time of rooms' appends; followLag, on a
	// follower, from an event's decision to its application here.
	appendLatency *histogram
	followLag     *histogram
}

// New loads the directory and every document room from the log and
// returns a server ready to serve.
func New(ctx context.Context, cfg Config) (_ *Server, err error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SendQueue <= 0 {
		cfg.SendQueue = sendQueue
	}
	s := &Server{log: cfg.Log, origins: cfg.Origins, clock: cfg.Now, queue: cfg.SendQueue, rooms: map[engine.DocumentID]*Room{}, processes: map[engine.ProcessID]*processEntry{}}
	s.metrics.started = cfg.Now()
	s.metrics.appendLatency, s.metrics.followLag = newHistogram(latencyBounds), newHistogram(latencyBounds)
	s.exports = newExporter(s)
	s.printer = pdf.New("")
	s.limits = cfg.Limits.withDefaults()
	s.commands = newCommandLimiter(s.limits)
	s.sockets = socketCounts{perSession: map[string]int{}, perPerson: map[engine.PersonID]int{}}
	s.tls = cfg.TLS
	if cfg.PublicURL != "" {
		u, err := url.Parse(cfg.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, engine.Errorf(engine.EINVALID, "public URL %q must be an http:// or https:// address such as https://room.example.org", cfg.PublicURL)
		}
		s.public = u
		s.hosts = append(s.hosts, strings.ToLower(u.Hostname()))
	}
	for _, h := range cfg.Hosts {
		s.hosts = append(s.hosts, strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), "."))
	}
	proxies, err := parseProxies(cfg.TrustedProxies)
	if err != nil {
		return nil, err
	}
	s.proxies = proxies
	s.roomCtx, s.stop = context.WithCancel(context.Background())
	defer func() {
		if err != nil {
			s.Close() // the rooms and the cluster's goroutines started so far
		}
	}()
	if cfg.Cluster != nil {
		if err := s.startCluster(ctx, cfg.Cluster, cfg.NodeURL); err != nil {
			return nil, err
		}
		if u, err := url.Parse(s.cluster.node); err == nil && u.Hostname() != "" {
			s.hosts = append(s.hosts, strings.ToLower(u.Hostname())) // forwarded commands name it
		}
	}
	dir, err := newDirectory(ctx, cfg.Log, cfg.Now)
	if err != nil {
		return nil, err
	}
	dir.shared = cfg.Cluster != nil
	s.dir = dir
	streams, err := cfg.Log.Streams(ctx)
	if err != nil {
		return nil, err
	}
	for _, st := range streams {
		if id, ok := strings.CutPrefix(string(st), "process/"); ok {
			p, seq, err := engine.LoadProcess(ctx, cfg.Log, engine.ProcessID(id))
			if err != nil {
				return nil, err
			}
			s.processes[engine.ProcessID(id)] = &processEntry{p: p, seq: seq}
			continue
		}
		id, ok := strings.CutPrefix(string(st), "doc/")
		if !ok {
			continue
		}
		doc, seq, snap, hash, err := engine.LoadDocument(ctx, cfg.Log, engine.DocumentID(id))
		if err != nil {
			return nil, err
		}
		s.startRoom(engine.DocumentID(id), doc, seq, snap, hash)
	}
	// Buffers: each connection reads through its own 1 KiB buffer (larger
	// messages are read around it), so the HTTP server's 4 KiB one is
	// released at the upgrade; write buffers come from a pool and are
	// held only while a frame is written, so an idle connection costs
	// little memory.
	// Compression (permessage-deflate) is offered, but used only for the
	// snapshot, which is compressed once for every client.
	if s.cluster != nil {
		s.runCluster()
	}
	s.upgr = websocket.Upgrader{ReadBufferSize: 1024, WriteBufferSize: 8192, WriteBufferPool: &sync.Pool{}, CheckOrigin: s.checkOrigin, EnableCompression: true}
	s.routes()
	return s, nil
}

func (s *Server) now() time.Time { return s.clock() }

// Directory returns the people, logins and sessions of the server.
func (s *Server) Directory() *Directory { return s.dir }

func (s *Server) startRoom(id engine.DocumentID, doc *engine.Document, seq, snap uint64, hash string) *Room {
	return s.runRoom(newRoom(s, id, doc, seq, snap, hash))
}

// runRoom registers a room and starts its goroutine; s.mu is held.
func (s *Server) runRoom(r *Room) *Room {
	id := r.id
	s.rooms[id] = r
	s.wg.Add(1)
	go r.run(s.roomCtx, &s.wg)
	if s.cluster != nil {
		s.presenceDirty(r.stream) // who is in it on the other nodes
	}
	return r
}

// room returns the room of a document, or ENOTFOUND.
func (s *Server) room(id engine.DocumentID) (*Room, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.rooms[id]
	if !ok {
		return nil, engine.Errorf(engine.ENOTFOUND, "document %q does not exist", id)
	}
	return r, nil
}

// Handler returns the server's HTTP handler: every endpoint behind the
// Host and forgery checks (guard).
func (s *Server) Handler() http.Handler { return s.guard(s.mux) }

// checkOrigin allows websockets from the server's own host and the
// configured origins only, so another site cannot open a room with a
// delegate's cookies (cross-site websocket hijacking). Programs that send
// no Origin header authenticate with a bearer token.
func (s *Server) checkOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	return origin == "" || s.originAllowed(r, origin)
}

// Serve serves on ln until ctx ends, then shuts down gracefully: it stops
// accepting, lets HTTP requests finish, has every room store and
// acknowledge the commands it was given, and closes every websocket with
// a reason.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	// Timeouts: a request must arrive whole, body included, within
	// ReadTimeout, so a body trickled a byte at a time cannot hold a
	// connection; WriteTimeout bounds a response (the websocket upgrade
	// clears both deadlines: a room connection has its own pings).
	l := s.limits
	hs := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: l.HeaderTimeout, ReadTimeout: l.ReadTimeout, WriteTimeout: l.WriteTimeout,
		IdleTimeout: l.IdleTimeout, MaxHeaderBytes: 64 << 10, TLSConfig: s.tls}
	ln = newCapListener(ln, l.ConnsPerAddr, s.trusted, &s.metrics.connsRefused)
	if s.tls != nil {
		ln = tls.NewListener(ln, s.tls)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		s.Close()
		return err
	case <-ctx.Done():
	}
	slog.Info("shutting down")
	s.closing.Store(true)
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err := hs.Shutdown(sctx)
	s.Close()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// Close stops every room after it has stored what it was given, closing
// its clients with a reason.
func (s *Server) Close() {
	s.stop()
	s.wg.Wait()
	s.printer.Close()
}

// Metrics is a point-in-time reading of the server.
type Metrics struct {
	Rooms int `json:"rooms"`
	// Cluster says, on a node of several, which rooms it owns and
	// follows and how often it took a room's lease.
	Cluster *ClusterInfo `json:"cluster,omitempty"`
	Clients int64        `json:"clients"`
	// Sockets counts open websocket connections: the clients in rooms and
	// those cut off whose connection is still being closed.
	Sockets     int64   `json:"sockets"`
	Events      uint64  `json:"events"`
	EventsPerS  float64 `json:"eventsPerSecond"`
	SlowCut     uint64  `json:"slowClientsCut"`
	RateLimited uint64  `json:"rateLimited"`
	Uptime      float64 `json:"uptimeSeconds"`
	// AckP50 and AckP99 are the server's own time from a command reaching
	// its room to its acknowledgement (stored), over the last 4,096
	// commands, in milliseconds.
	AckP50 float64 `json:"ackP50Ms"`
	AckP99 float64 `json:"ackP99Ms"`
	ProcessStats
}

// Metrics returns the current counters. EventsPerS is the average since
// start.
func (s *Server) Metrics() Metrics {
	s.mu.Lock()
	n := len(s.rooms)
	s.mu.Unlock()
	up := s.now().Sub(s.metrics.started).Seconds()
	ev := s.metrics.events.Load()
	m := Metrics{Rooms: n, Clients: s.metrics.clients.Load(), Sockets: s.metrics.sockets.Load(), Events: ev, SlowCut: s.metrics.slowCut.Load(), RateLimited: s.metrics.rateLimited.Load(), Uptime: up, ProcessStats: ReadProcessStats()}
	if up > 0 {
		m.EventsPerS = float64(ev) / up
	}
	m.AckP50, m.AckP99 = s.metrics.acks.percentiles()
	m.Cluster = s.clusterInfo()
	return m
}

// latencyRing keeps the last 4,096 latencies.
type latencyRing struct {
	mu  sync.Mutex
	buf [4096]time.Duration
	n   int
}

func (l *latencyRing) add(d time.Duration) {
	l.mu.Lock()
	l.buf[l.n%len(l.buf)] = d
	l.n++
	l.mu.Unlock()
}

// percentiles returns the median and 99th percentile in milliseconds.
func (l *latencyRing) percentiles() (p50, p99 float64) {
	l.mu.Lock()
	n := min(l.n, len(l.buf))
	ds := append([]time.Duration(nil), l.buf[:n]...)
	l.mu.Unlock()
	if n == 0 {
		return 0, 0
	}
	slices.Sort(ds)
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	return ms(ds[n/2]), ms(ds[min(n-1, n*99/100)])
}
