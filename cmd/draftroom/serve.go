package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof" // profiles for -pprof only: served on DefaultServeMux, never on the product's handler
	"strings"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/postgres"
	"github.com/draftroom/draftroom/fixtures"
	"github.com/draftroom/draftroom/server"
)

func init() { register(&serveCommand{}) }

// serveCommand starts the server on an embedded SQLite file or a
// PostgreSQL database.
type serveCommand struct{}

func (*serveCommand) Name() string { return "serve" }
func (*serveCommand) Synopsis() string {
	return "start the server (embedded SQLite file or PostgreSQL; --demo loads a demo room)"
}

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func (c *serveCommand) Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", "draftroom.db", "the event log: a SQLite database `FILE` (created if missing) or a PostgreSQL URL postgres://USER@HOST:PORT/DATABASE (the database must exist; tables are created)")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	demo := fs.Bool("demo", false, "load the demo: participants with logins and the fictional draft progress report")
	anchors := fs.String("anchors", "", "append-only `FILE` the log writes its head to after commits, checked at start and by 'draftroom verify'; default DB.anchors for a SQLite DB and none for PostgreSQL, \"none\" for none. Keep it on another disk or ship it elsewhere (docs/store.md)")
	minFree := fs.Int64("min-free", 8<<20, "`BYTES` that must stay free on the disk holding a SQLite DB; below that /healthz and /readyz answer 503 (0 or less: no check; PostgreSQL: not checked)")
	pprofAddr := fs.String("pprof", "", "serve Go profiles (net/http/pprof) on this address, e.g. 127.0.0.1:6060, for performance work")
	var origins, hosts, proxies stringList
	fs.Var(&origins, "origin", "extra origin allowed to open websockets and send requests, e.g. https://portal.example.org (repeatable)")
	publicURL := fs.String("public-url", "", "the address people use, e.g. https://room.example.org behind a reverse proxy that ends TLS: its host is answered to, its origin allowed, and with https the session cookie is Secure")
	fs.Var(&hosts, "host", "another host name the server answers to besides IP addresses, localhost and the public URL's host (repeatable)")
	fs.Var(&proxies, "trusted-proxy", "address or CIDR prefix of a reverse proxy whose X-Forwarded-For is believed and whose connections are not capped per address (repeatable)")
	tlsCert := fs.String("tls-cert", "", "serve HTTPS with this certificate file (PEM; with -tls-key)")
	tlsKey := fs.String("tls-key", "", "the private key of -tls-cert (PEM)")
	logFormat := fs.String("log-format", "text", "how the log lines on stderr are written: text (key=value) or json (one JSON object a line, for log collectors)")
	nodeURL := fs.String("node-url", "", "on PostgreSQL: the address the other nodes reach this node at, to forward a room's commands to it (default http://ADDR, the address listened on)")
	connsPerAddr := fs.Int("conns-per-addr", 1024, "connections open at once from one client address (trusted proxies exempt); -1 for no cap")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if (*tlsCert == "") != (*tlsKey == "") {
		return fmt.Errorf("%w: -tls-cert and -tls-key go together", errUsage)
	}
	var tlsConfig *tls.Config
	if *tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(*tlsCert, *tlsKey)
		if err != nil {
			return fmt.Errorf("-tls-cert/-tls-key: %w", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	if *connsPerAddr == 0 {
		return fmt.Errorf("%w: -conns-per-addr 0 would refuse every connection; use -1 for no cap", errUsage)
	}
	if fs.NArg() != 0 {
		return fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	}
	switch *logFormat {
	case "text":
		slog.SetDefault(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))
	case "json":
		slog.SetDefault(slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo})))
	default:
		return fmt.Errorf("%w: -log-format %q is not text or json", errUsage, *logFormat)
	}
	if *pprofAddr != "" {
		go func() { slog.Error("pprof", "err", http.ListenAndServe(*pprofAddr, nil)) }()
	}
	opts := storeOptions{anchorFile: *anchors, minFree: *minFree}
	if *minFree <= 0 {
		opts.minFree = -1
	}
	switch {
	case *anchors == "" && !postgres.IsURL(*dbPath):
		opts.anchorFile = *dbPath + ".anchors"
	case *anchors == "none":
		opts.anchorFile = ""
	}
	log, err := openStore(ctx, *dbPath, opts)
	if err != nil {
		return err
	}
	defer log.Close()
	// Listen first: a node of several tells the others its address.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	cfg := server.Config{Log: log, Origins: origins, PublicURL: *publicURL, Hosts: hosts, TrustedProxies: proxies, TLS: tlsConfig,
		Limits: server.Limits{ConnsPerAddr: *connsPerAddr}}
	if pg, ok := log.(*postgres.Log); ok {
		cfg.Cluster, cfg.NodeURL = pgCluster{pg}, *nodeURL
		if tcp, ok := ln.Addr().(*net.TCPAddr); ok && cfg.NodeURL == "" && tcp.IP.IsUnspecified() {
			ln.Close()
			return fmt.Errorf("%w: on PostgreSQL, -addr %s listens on every interface: give -node-url, the address the other nodes reach this one at (e.g. http://10.0.0.12:8080)", errUsage, *addr)
		}
		if cfg.NodeURL == "" {
			scheme := "http://"
			if tlsConfig != nil {
				scheme = "https://"
			}
			cfg.NodeURL = scheme + ln.Addr().String()
		}
	}
	srv, err := server.New(ctx, cfg)
	if err != nil {
		ln.Close()
		return fmt.Errorf("%s: %s", storeName(*dbPath), engine.ErrorMessage(err))
	}
	listen := "http://" + ln.Addr().String()
	if tlsConfig != nil {
		listen = "https://" + ln.Addr().String()
	}
	fmt.Fprintf(stdout, "draftroom serving %s on %s\n", storeName(*dbPath), listen)
	base := listen // where login links point
	if *publicURL != "" {
		base = strings.TrimRight(*publicURL, "/")
	}
	if *demo {
		if err := setupDemo(ctx, srv, stdout, base); err != nil {
			srv.Close()
			return err
		}
	} else if err := bootstrap(ctx, srv, stdout, base); err != nil {
		srv.Close()
		return err
	}
	err = srv.Serve(ctx, ln)
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return err
}

// bootstrap gives a fresh database its first secretariat login, so that
// someone can set up the rest from the browser.
func bootstrap(ctx context.Context, srv *server.Server, stdout io.Writer, base string) error {
	dir := srv.Directory()
	for _, p := range dir.People() {
		if p.Role == engine.RoleSecretariat {
			return nil
		}
	}
	sys := engine.Actor{Person: "system", Role: engine.RoleSystem}
	if _, err := dir.AddPerson(ctx, sys, server.Person{ID: "secretariat", Name: "Secretariat", Role: engine.RoleSecretariat}); err != nil {
		return err
	}
	code, err := dir.IssueLogin(ctx, sys, "secretariat")
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nFirst start: log in as the secretariat with this one-time link:\n  %s/login?code=%s\n\n", base, code)
	return nil
}

// setupDemo loads the demo room and prints everyone's login link.
func setupDemo(ctx context.Context, srv *server.Server, stdout io.Writer, base string) error {
	draft, err := fs.ReadFile(fixtures.FS, "drafts/progress-report-zero-draft.md")
	if err != nil {
		return err
	}
	people, err := srv.SetupDemo(ctx, "progress-report", string(draft))
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nDemo room: %s/#/documents/progress-report\nOne-time logins (each link works once; open them in separate browser profiles):\n", base)
	for _, p := range people {
		who := string(p.Person.Role)
		if p.Person.State != "" {
			who += " of " + string(p.Person.State)
		}
		if p.Person.Role == engine.RoleViewer {
			who += " (projector, read-only)"
		}
		fmt.Fprintf(stdout, "  %-24s %-32s %s/login?code=%s\n", p.Person.ID, who, base, p.Code)
	}
	fmt.Fprintln(stdout)
	return nil
}

// pgCluster makes a PostgreSQL log the cluster of the nodes serving it:
// its notifications, leases and their holders.
type pgCluster struct{ l *postgres.Log }

func (c pgCluster) Follow(ctx context.Context, ready chan<- struct{}, f func(engine.StreamID, uint64)) error {
	return c.l.Follow(ctx, ready, func(n postgres.Notification) { f(n.Stream, n.StreamSeq) })
}

func (c pgCluster) TryLease(ctx context.Context, name, node string) (server.Lease, bool, error) {
	le, ok, err := c.l.TryLeaseAs(ctx, name, node)
	if !ok || err != nil {
		return nil, ok, err
	}
	return le, true, nil
}

func (c pgCluster) Holders(ctx context.Context) (map[string]string, error) { return c.l.Holders(ctx) }

func (c pgCluster) PublishPresence(ctx context.Context, node string, rows []server.NodePresence) error {
	out := make([]postgres.PresenceRow, len(rows))
	for i, p := range rows {
		out[i] = postgres.PresenceRow{Node: p.Node, Stream: p.Stream, Person: string(p.Person), State: string(p.State), Role: string(p.Role), Conns: p.Conns}
	}
	return c.l.PublishPresence(ctx, node, out)
}

func (c pgCluster) ReadPresence(ctx context.Context, node string, ttl time.Duration, streams []engine.StreamID) ([]server.NodePresence, error) {
	rows, err := c.l.ReadPresence(ctx, node, ttl, streams)
	out := make([]server.NodePresence, len(rows))
	for i, p := range rows {
		out[i] = server.NodePresence{Node: p.Node, Stream: p.Stream, Person: engine.PersonID(p.Person), State: engine.StateCode(p.State), Role: engine.Role(p.Role), Conns: p.Conns}
	}
	return out, err
}

func (c pgCluster) FollowPresence(ctx context.Context, ready chan<- struct{}, f func(engine.StreamID, string)) error {
	return c.l.FollowPresence(ctx, ready, f)
}

func (c pgCluster) Beat(ctx context.Context, node string, ttl time.Duration) ([]string, error) {
	return c.l.Beat(ctx, node, ttl)
}

func (c pgCluster) ClearPresence(ctx context.Context, node string) error {
	return c.l.ClearPresence(ctx, node)
}
