package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/fixtures"
	"github.com/draftroom/draftroom/server"
	"github.com/gorilla/websocket"
)

func init() { register(&loadCommand{}) }

// loadCommand drives a running server with many real websocket clients,
// as a plenary would, and reports latencies and the server's CPU and
// memory.
type loadCommand struct{}

func (*loadCommand) Name() string { return "load" }
func (*loadCommand) Synopsis() string {
	return "load-test a running server: N real clients, typing, amendment bursts, reconnect storms"
}

type loadFlags struct {
	url      string
	code     string
	clients  int
	scenario string
	rate     float64
	duration time.Duration
	workers  int
	rooms    int
	target   string
	frame    int
	deflate  bool
	exports  int
	export   string
	prefill  int
	nodes    string
}

func (c *loadCommand) Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f loadFlags
	fs.StringVar(&f.url, "url", "http://127.0.0.1:8080", "server base URL")
	fs.StringVar(&f.code, "code", "", "a one-time secretariat login `CODE` (printed by 'draftroom serve' on first start)")
	fs.IntVar(&f.clients, "clients", 1500, "number of websocket clients (delegates of the 193 Member States in turn)")
	fs.StringVar(&f.scenario, "scenario", "typing", "typing (pen-holder edits at -rate), burst (200 amendments in 1 s then -rate per second), join (all clients reconnect at once) or idle (clients spread over -rooms, holding still)")
	fs.IntVar(&f.rooms, "rooms", 1, "for -scenario idle: number of rooms the clients are spread over")
	fs.Float64Var(&f.rate, "rate", 10, "edits or amendments per second")
	fs.DurationVar(&f.duration, "duration", 20*time.Second, "how long to drive traffic")
	fs.IntVar(&f.workers, "workers", 64, "parallel set-up requests")
	fs.StringVar(&f.target, "target", "draftroom", "draftroom, or hub: the bare broadcast hub of the comparison (cmd/compare/hub; -url ws://HOST:PORT/ws, typing only)")
	fs.BoolVar(&f.deflate, "deflate", false, "clients offer permessage-deflate, as browsers do, so the whole-view snapshot comes compressed (the server compresses it once for all)")
	fs.IntVar(&f.exports, "exports", 0, "for typing and burst: this many observers download -export-path over and over, all at once, while the scenario runs")
	fs.StringVar(&f.export, "export-path", "record?format=json", "what -exports download, under /api/documents/{id}/")
	fs.IntVar(&f.prefill, "prefill", 0, "positions stated over HTTP before the scenario, to make the document's record heavy (for -exports)")
	fs.StringVar(&f.nodes, "nodes", "", "other nodes of a cluster (comma-separated base URLs): the clients are spread over -url and these in turn, and the report gives the fan-out per node and the CPU of every node")
	fs.IntVar(&f.frame, "frame-bytes", 950, "for -target hub: size of each message the pen-holder sends (a draftroom typing event frame is about 950 bytes)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if f.target == "hub" {
		l := &loader{f: f, out: stdout}
		return l.runHub(ctx)
	}
	if f.target != "draftroom" {
		return fmt.Errorf("%w: -target %q is not draftroom or hub", errUsage, f.target)
	}
	if f.code == "" {
		return fmt.Errorf("%w: -code is required (a secretariat login code)", errUsage)
	}
	l := &loader{f: f, out: stdout, http: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 128}}}
	l.bases = []string{strings.TrimRight(f.url, "/")}
	for _, n := range strings.Split(f.nodes, ",") {
		if n = strings.TrimRight(strings.TrimSpace(n), "/"); n != "" {
			l.bases = append(l.bases, n)
		}
	}
	return l.run(ctx)
}

// loader holds one load run.
type loader struct {
	f     loadFlags
	out   io.Writer
	http  *http.Client
	sec   string
	chair string
	doc   engine.DocumentID
	run0  string

	tokens []string
	states []engine.StateCode
	bases  []string // -url and -nodes: client i is on bases[i%len(bases)]
	conns  []*loadClient
	obs    []string // observers' tokens, for -exports

	expDone, expBusy, expErr, expBytes atomic.Int64
	expLat                             []time.Duration // under mu
	rssMax                             atomic.Int64

	mu       sync.Mutex
	sent     map[uint64]time.Time // event streamSeq → when its command was sent
	ackedAt  map[uint64]time.Time // event streamSeq → when the pen-holder read its ack (typing)
	recv     []recvTimes
	drops    atomic.Int64
	acks     atomic.Int64
	errs     atomic.Int64
	ackLat   []time.Duration
	lastErr  atomic.Value
	paraID   engine.ParagraphID
	paraVer  int
	amendSeq atomic.Int64
}

type recvTimes struct {
	seq uint64
	at  time.Time
}

// loadClient is one websocket client that records when each event arrives.
type loadClient struct {
	node  int // index in loader.bases
	conn  *websocket.Conn
	l     *loader
	mu    sync.Mutex
	seen  []recvTimes
	last  uint64
	hello chan time.Time
	acks  map[string]chan uint64
}

func (l *loader) api(token, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, l.f.url+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := l.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, strings.TrimSpace(string(b)))
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

func (l *loader) login(code string) (string, error) {
	var out struct{ Token string }
	err := l.api("", "POST", "/api/login", map[string]string{"code": code}, &out)
	return out.Token, err
}

// parallel runs f(i) for i in [0, n) on the configured number of workers.
func (l *loader) parallel(n int, f func(i int) error) error {
	var wg sync.WaitGroup
	var first atomic.Value
	next := atomic.Int64{}
	for w := 0; w < l.f.workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || first.Load() != nil {
					return
				}
				if err := f(i); err != nil {
					first.CompareAndSwap(nil, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, ok := first.Load().(error); ok {
		return err
	}
	return nil
}

func (l *loader) run(ctx context.Context) error {
	var err error
	if l.sec, err = l.login(l.f.code); err != nil {
		return fmt.Errorf("secretariat login: %w", err)
	}
	l.run0 = strconv.FormatInt(time.Now().Unix()%100000, 10)
	l.doc = engine.DocumentID("load-" + l.run0)
	fmt.Fprintf(l.out, "setting up %d clients on %s (document %s)…\n", l.f.clients, l.f.url, l.doc)
	start := time.Now()
	if err := l.setup(); err != nil {
		return err
	}
	fmt.Fprintf(l.out, "set up in %.1fs\n", time.Since(start).Seconds())
	before := l.metrics()
	cpuBefore := l.nodeCPU()
	genBefore := cpuSeconds()
	t0 := time.Now()
	stopExports := l.startExports(ctx)
	switch l.f.scenario {
	case "typing":
		err = l.typing(ctx)
	case "burst":
		err = l.burst(ctx)
	case "join":
		err = l.join(ctx)
	case "idle":
		time.Sleep(l.f.duration)
	default:
		err = fmt.Errorf("%w: -scenario %q is not typing, burst or join", errUsage, l.f.scenario)
	}
	if err != nil {
		stopExports()
		return err
	}
	time.Sleep(time.Second) // let the last events arrive
	wall := time.Since(t0).Seconds()
	after := l.metrics()
	cpuAfter := l.nodeCPU()
	stopExports()
	genCPU := cpuSeconds() - genBefore
	l.report(wall, before, after, genCPU)
	if len(l.bases) > 1 || l.f.scenario == "typing" {
		l.reportNodes(wall, cpuBefore, cpuAfter)
	}
	for _, c := range l.conns {
		c.conn.Close()
	}
	return nil
}

func (l *loader) metrics() server.Metrics {
	var m server.Metrics
	_ = l.api("", "GET", "/metrics", nil, &m)
	return m
}

// nodeCPU reads the CPU seconds of every node (-url and -nodes).
func (l *loader) nodeCPU() []float64 {
	out := make([]float64, len(l.bases))
	for i, b := range l.bases {
		resp, err := l.http.Get(b + "/metrics")
		if err != nil {
			continue
		}
		var m server.Metrics
		_ = json.NewDecoder(resp.Body).Decode(&m)
		resp.Body.Close()
		out[i] = m.CPUSeconds
	}
	return out
}

// setup registers the clients' people, logs them in, imports the draft
// and opens every websocket.
func (l *loader) setup() error {
	ms := engine.MemberStates()
	n := l.f.clients
	l.tokens = make([]string, n)
	l.states = make([]engine.StateCode, n)
	err := l.parallel(n+1, func(i int) error {
		p := server.Person{ID: engine.PersonID(fmt.Sprintf("load%s-%d", l.run0, i)), Name: fmt.Sprintf("Load delegate %d", i), Role: engine.RoleDelegate}
		if i == n {
			p = server.Person{ID: engine.PersonID("load" + l.run0 + "-chair"), Name: "Load chair", Role: engine.RoleOfficer}
		} else {
			p.State = ms[i%len(ms)].Code
			l.states[i] = p.State
		}
		if err := l.api(l.sec, "POST", "/api/people", p, nil); err != nil {
			return err
		}
		var lc server.LoginCode
		if err := l.api(l.sec, "POST", "/api/people/"+string(p.ID)+"/logins", nil, &lc); err != nil {
			return err
		}
		tok, err := l.login(lc.Code)
		if err != nil {
			return err
		}
		if i == n {
			l.chair = tok
		} else {
			l.tokens[i] = tok
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i := 0; i < l.f.exports; i++ {
		p := server.Person{ID: engine.PersonID(fmt.Sprintf("load%s-obs%d", l.run0, i)), Name: fmt.Sprintf("Load observer %d", i), Role: engine.RoleObserver, Org: "Load NGO"}
		if err := l.api(l.sec, "POST", "/api/people", p, nil); err != nil {
			return err
		}
		var lc server.LoginCode
		if err := l.api(l.sec, "POST", "/api/people/"+string(p.ID)+"/logins", nil, &lc); err != nil {
			return err
		}
		tok, err := l.login(lc.Code)
		if err != nil {
			return err
		}
		l.obs = append(l.obs, tok)
	}
	draft, _ := fs.ReadFile(fixtures.FS, "drafts/progress-report-zero-draft.md")
	text := string(draft)
	if l.f.scenario == "join" {
		text = bigDraft(text, 30000)
	}
	if err := l.api(l.sec, "POST", "/api/documents", server.CreateDocumentRequest{ID: l.doc, Text: text, Language: "en"}, nil); err != nil {
		return err
	}
	for k := 1; k < l.f.rooms; k++ {
		if err := l.api(l.sec, "POST", "/api/documents", server.CreateDocumentRequest{ID: l.roomID(k), Text: text, Language: "en"}, nil); err != nil {
			return err
		}
	}
	idleBefore = l.metrics()
	var doc server.DocumentResponse
	if err := l.api(l.sec, "GET", "/api/documents/"+string(l.doc), nil, &doc); err != nil {
		return err
	}
	p := doc.View.Paragraphs[0]
	l.paraID, l.paraVer = p.ID, p.Version
	if l.f.prefill > 0 { // before the clients connect, so that nobody waits for their fan-out
		start := time.Now()
		if err := l.prefillPositions(); err != nil {
			return err
		}
		fmt.Fprintf(l.out, "prefilled %d positions in %.1fs\n", l.f.prefill, time.Since(start).Seconds())
	}
	// The other nodes learn of the new document from the log.
	for _, b := range l.bases[1:] {
		for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			req, _ := http.NewRequest("GET", b+"/api/documents/"+string(l.doc), nil)
			req.Header.Set("Authorization", "Bearer "+l.sec)
			resp, err := l.http.Do(req)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					break
				}
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("node %s does not have document %s after 60 s", b, l.doc)
			}
		}
	}
	l.sent, l.ackedAt = map[uint64]time.Time{}, map[uint64]time.Time{}
	l.conns = make([]*loadClient, n)
	return l.parallel(n, func(i int) error {
		c, err := l.dialNode(i%len(l.bases), l.tokens[i], l.roomID(i%max(1, l.f.rooms)), 0)
		if err != nil {
			return err
		}
		l.conns[i] = c
		select {
		case <-c.hello:
		case <-time.After(30 * time.Second):
			return errors.New("no hello within 30 s")
		}
		return nil
	})
}

// idleBefore is the server's reading after set-up, before clients connect.
var idleBefore server.Metrics

var dialer = &websocket.Dialer{HandshakeTimeout: 30 * time.Second, ReadBufferSize: 4096, WriteBufferSize: 1024}

// deflateDialer is dialer offering permessage-deflate, as browsers do
// (-deflate).
var deflateDialer = func() *websocket.Dialer { d := *dialer; d.EnableCompression = true; return &d }()

// roomID names the k-th room of an idle run; room 0 is the main document.
func (l *loader) roomID(k int) engine.DocumentID {
	if k == 0 {
		return l.doc
	}
	return engine.DocumentID(fmt.Sprintf("%s-%d", l.doc, k))
}

func (l *loader) dial(token string, since uint64) (*loadClient, error) {
	return l.dialRoom(token, l.doc, since)
}

func (l *loader) dialRoom(token string, doc engine.DocumentID, since uint64) (*loadClient, error) {
	return l.dialNode(0, token, doc, since)
}

// dialNode opens a client's websocket on node (an index in l.bases).
func (l *loader) dialNode(node int, token string, doc engine.DocumentID, since uint64) (*loadClient, error) {
	h := http.Header{}
	h.Set("Authorization", "Bearer "+token)
	u := strings.Replace(l.bases[node], "http", "ws", 1) + fmt.Sprintf("/ws/documents/%s?since=%d", doc, since)
	d := dialer
	if l.f.deflate {
		d = deflateDialer
	}
	conn, _, err := d.Dial(u, h)
	if err != nil {
		return nil, err
	}
	c := &loadClient{node: node, conn: conn, l: l, hello: make(chan time.Time, 1), acks: map[string]chan uint64{}}
	go c.read()
	return c, nil
}

var (
	streamSeqKey = []byte(`"streamSeq":`)
	helloKey     = []byte(`"type":"snapshot"`) // synced: the whole view has arrived
	ackKey       = []byte(`"id":"`)
)

// read records when each event arrives, finding sequence numbers without
// decoding whole frames (the generator must stay cheap).
func (c *loadClient) read() {
	var buf bytes.Buffer // reused for every frame: the generator must not be the bottleneck
	for {
		data, err := c.next(&buf)
		now := time.Now()
		if err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) && ce.Code != websocket.CloseNormalClosure {
				c.l.drops.Add(1)
			}
			return
		}
		if len(c.hello) == 0 && bytes.Contains(data, helloKey) {
			select {
			case c.hello <- now:
			default:
			}
		}
		if bytes.Contains(data, ackKey) {
			c.ackFrame(data)
		}
		rest := data
		c.mu.Lock()
		for {
			i := bytes.Index(rest, streamSeqKey)
			if i < 0 {
				break
			}
			rest = rest[i+len(streamSeqKey):]
			j := 0
			for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
				j++
			}
			seq, _ := strconv.ParseUint(string(rest[:j]), 10, 64)
			if seq > c.last {
				c.last = seq
				c.seen = append(c.seen, recvTimes{seq, now})
			}
		}
		c.mu.Unlock()
	}
}

// next reads the next frame into buf, whose bytes stay valid until the
// next call.
func (c *loadClient) next(buf *bytes.Buffer) ([]byte, error) {
	_, r, err := c.conn.NextReader()
	if err != nil {
		return nil, err
	}
	buf.Reset()
	if _, err := buf.ReadFrom(r); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ackFrame finds the acks and errors in a frame without decoding it: the
// server writes them as {"type":"ack","seq":N,"id":"…"} and
// {"type":"error","seq":N,"id":"…",…}.
func (c *loadClient) ackFrame(data []byte) {
	for _, kind := range [][]byte{[]byte(`{"type":"ack","seq":`), []byte(`{"type":"error","seq":`)} {
		rest := data
		for {
			i := bytes.Index(rest, kind)
			if i < 0 {
				break
			}
			rest = rest[i+len(kind):]
			j := 0
			for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
				j++
			}
			seq, _ := strconv.ParseUint(string(rest[:j]), 10, 64)
			k := bytes.Index(rest, []byte(`"id":"`))
			if k < 0 {
				continue
			}
			idRest := rest[k+6:]
			end := bytes.IndexByte(idRest, '"')
			if end < 0 {
				continue
			}
			id := string(idRest[:end])
			c.mu.Lock()
			ch := c.acks[id]
			delete(c.acks, id)
			c.mu.Unlock()
			if ch == nil {
				continue
			}
			if kind[9] == 'e' { // error
				c.l.errs.Add(1)
				c.l.lastErr.Store("refused: " + id)
				close(ch)
				continue
			}
			ch <- seq
		}
	}
}

// command sends a command and returns a channel that yields its ack
// sequence (or closes on refusal).
func (c *loadClient) command(id, name string, cmd any) (chan uint64, error) {
	raw, _ := json.Marshal(cmd)
	ch := make(chan uint64, 1)
	c.mu.Lock()
	c.acks[id] = ch
	c.mu.Unlock()
	return ch, c.conn.WriteJSON(server.ClientMessage{Type: server.MsgCommand, ID: id, Name: name, Command: raw})
}

// typing has the chair type into the first paragraph at the given rate.
func (l *loader) typing(ctx context.Context) error {
	pen, err := l.dial(l.chair, 0)
	if err != nil {
		return err
	}
	<-pen.hello
	tick := time.NewTicker(time.Duration(float64(time.Second) / l.f.rate))
	defer tick.Stop()
	end := time.After(l.f.duration)
	version := l.paraVer
	for i := 0; ; i++ {
		select {
		case <-end:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		sentAt := time.Now()
		ch, err := pen.command(fmt.Sprintf("e%d", i), "paragraph.edit", engine.EditText{Para: l.paraID, Version: version, Start: 0, End: 0, Insert: "x"})
		if err != nil {
			return err
		}
		seq, ok := waitAck(ch)
		ackedAt := time.Now()
		if !ok {
			continue
		}
		version++
		l.acks.Add(1)
		l.mu.Lock()
		l.sent[seq] = sentAt
		l.ackedAt[seq] = ackedAt
		l.ackLat = append(l.ackLat, time.Since(sentAt))
		l.mu.Unlock()
	}
}

// burst has delegates propose 200 amendments within one second, then
// -rate a second for the duration.
func (l *loader) burst(ctx context.Context) error {
	var wg sync.WaitGroup
	send := func(k int) {
		defer wg.Done()
		i := k % len(l.conns)
		c := l.conns[i]
		sentAt := time.Now()
		ch, err := c.command(fmt.Sprintf("b%d", k), "position.state", engine.StatePosition{State: l.states[i], Para: l.paraID, Kind: engine.Support})
		if k%2 == 0 {
			n := int(l.amendSeq.Add(1))
			ch, err = c.command(fmt.Sprintf("b%d", k), "amendment.propose", engine.ProposeAmendment{Proposer: l.states[i], Op: engine.OpAddParagraph, Para: l.paraID, NewText: fmt.Sprintf("States considered proposal %d.", n)})
		}
		if err != nil {
			l.errs.Add(1)
			return
		}
		seq, ok := waitAck(ch)
		if !ok {
			return
		}
		l.acks.Add(1)
		l.mu.Lock()
		l.sent[seq] = sentAt
		l.ackLat = append(l.ackLat, time.Since(sentAt))
		l.mu.Unlock()
	}
	k := 0
	for ; k < 200; k++ {
		wg.Add(1)
		go send(k)
		time.Sleep(5 * time.Millisecond)
	}
	tick := time.NewTicker(time.Duration(float64(time.Second) / l.f.rate))
	defer tick.Stop()
	end := time.After(l.f.duration)
loop:
	for ; ; k++ {
		select {
		case <-end:
			break loop
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		wg.Add(1)
		go send(k)
	}
	wg.Wait()
	return nil
}

// join first makes the document heavy (amendments), then has every client
// drop and reconnect within two seconds; it measures the time from each
// dial to its hello.
func (l *loader) join(ctx context.Context) error {
	err := l.parallel(1000, func(i int) error {
		i = i % len(l.tokens)
		cmd, _ := json.Marshal(engine.ProposeAmendment{Proposer: l.states[i], Op: engine.OpAddParagraph, Para: l.paraID, NewText: fmt.Sprintf("States considered proposal %d.", i)})
		return l.api(l.tokens[i], "POST", "/api/documents/"+string(l.doc)+"/commands", server.CommandRequest{Name: "amendment.propose", Command: cmd}, nil)
	})
	if err != nil {
		return err
	}
	for _, c := range l.conns {
		c.conn.Close()
	}
	lat := make([]time.Duration, len(l.conns))
	var wg sync.WaitGroup
	spread := 2 * time.Second / time.Duration(len(l.conns))
	for i := range l.conns {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			t := time.Now()
			c, err := l.dial(l.tokens[i], 0)
			if err != nil {
				l.errs.Add(1)
				l.lastErr.Store(err.Error())
				lat[i] = -1
				return
			}
			select {
			case <-c.hello:
				lat[i] = time.Since(t)
			case <-time.After(30 * time.Second):
				lat[i] = -1
			}
			l.conns[i] = c
		}(i)
		time.Sleep(spread)
	}
	wg.Wait()
	var ok []time.Duration
	for _, d := range lat {
		if d >= 0 {
			ok = append(ok, d)
		}
	}
	l.mu.Lock()
	l.ackLat = ok // reported as "synced" latencies
	l.mu.Unlock()
	return nil
}

// waitAck waits for a command's acknowledgement; a refusal or no answer
// within 30 seconds counts as a lost command.
func waitAck(ch chan uint64) (uint64, bool) {
	select {
	case seq, ok := <-ch:
		return seq, ok
	case <-time.After(30 * time.Second):
		return 0, false
	}
}

// bigDraft repeats a draft, with its headings marked by part, until it
// holds about words words: the size of a real final report.
func bigDraft(draft string, words int) string {
	n := len(strings.Fields(draft))
	parts := (words + n - 1) / n
	var b strings.Builder
	for k := 1; k <= parts; k++ {
		for _, line := range strings.Split(draft, "\n") {
			if k > 1 && (strings.HasPrefix(line, "# ") || strings.HasPrefix(line, "<!--")) {
				continue
			}
			if strings.HasPrefix(line, "## ") || strings.HasPrefix(line, "### ") {
				line += fmt.Sprintf(" (part %d)", k)
			}
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	return ds[min(len(ds)-1, int(float64(len(ds))*p))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func (l *loader) report(wall float64, before, after server.Metrics, genCPU float64) {
	var fan []time.Duration
	l.mu.Lock()
	for _, c := range l.conns {
		c.mu.Lock()
		for _, r := range c.seen {
			if t, ok := l.sent[r.seq]; ok {
				fan = append(fan, r.at.Sub(t))
			}
		}
		c.mu.Unlock()
	}
	acks := append([]time.Duration(nil), l.ackLat...)
	expected := len(l.sent) * len(l.conns)
	l.mu.Unlock()
	sort.Slice(fan, func(i, j int) bool { return fan[i] < fan[j] })
	sort.Slice(acks, func(i, j int) bool { return acks[i] < acks[j] })
	cpu := after.CPUSeconds - before.CPUSeconds
	fmt.Fprintf(l.out, "\nscenario %s: %d clients, %.1f s\n", l.f.scenario, len(l.conns), wall)
	if l.f.scenario == "idle" {
		fmt.Fprintf(l.out, "  server RSS with the rooms open and no clients: %.1f MiB; with %d idle clients over %d rooms: %.1f MiB\n", float64(idleBefore.RSSBytes)/(1<<20), after.Clients, l.f.rooms, float64(after.RSSBytes)/(1<<20))
		fmt.Fprintf(l.out, "  memory per idle connection: %.1f KiB\n", float64(after.RSSBytes-idleBefore.RSSBytes)/1024/float64(max(1, after.Clients)))
	}
	if l.f.target == "hub" {
		fmt.Fprintf(l.out, "  fan-out latency (sent → seen by each client): n=%d of %d expected, p50 %s p95 %s p99 %s max %s\n", len(fan), expected, ms(percentile(fan, .5)), ms(percentile(fan, .95)), ms(percentile(fan, .99)), ms(percentile(fan, 1)))
	} else if l.f.scenario == "join" {
		fmt.Fprintf(l.out, "  synced (dial → whole view received): n=%d p50 %s p95 %s p99 %s max %s\n", len(acks), ms(percentile(acks, .5)), ms(percentile(acks, .95)), ms(percentile(acks, .99)), ms(percentile(acks, 1)))
	} else {
		fmt.Fprintf(l.out, "  commands acknowledged: %d, refused or lost: %d\n", l.acks.Load(), l.errs.Load())
		fmt.Fprintf(l.out, "  ack latency:     p50 %s p95 %s p99 %s\n", ms(percentile(acks, .5)), ms(percentile(acks, .95)), ms(percentile(acks, .99)))
		fmt.Fprintf(l.out, "  fan-out latency (sent → seen by each client): n=%d of %d expected, p50 %s p95 %s p99 %s max %s\n", len(fan), expected, ms(percentile(fan, .5)), ms(percentile(fan, .95)), ms(percentile(fan, .99)), ms(percentile(fan, 1)))
	}
	if e, ok := l.lastErr.Load().(string); ok {
		fmt.Fprintf(l.out, "  last refusal: %s\n", e)
	}
	if l.f.exports > 0 {
		l.mu.Lock()
		lat := append([]time.Duration(nil), l.expLat...)
		l.mu.Unlock()
		sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
		fmt.Fprintf(l.out, "  exports (%d at once, %s): %d downloaded (%.1f MiB each on average), %d refused busy (503), %d failed; download p50 %s p99 %s\n",
			l.f.exports, l.f.export, l.expDone.Load(), float64(l.expBytes.Load())/(1<<20)/float64(max(1, l.expDone.Load())), l.expBusy.Load(), l.expErr.Load(), ms(percentile(lat, .5)), ms(percentile(lat, .99)))
		fmt.Fprintf(l.out, "  server RSS: %.1f MiB before the scenario, peak %.1f MiB during it (%.2f×)\n", float64(before.RSSBytes)/(1<<20), float64(l.rssMax.Load())/(1<<20), float64(l.rssMax.Load())/float64(max(1, before.RSSBytes)))
	}
	if l.f.target == "hub" {
		fmt.Fprintf(l.out, "  messages sent: %d (the hub acknowledges nothing)\n", l.acks.Load())
		fmt.Fprintf(l.out, "  dropped connections: %d\n", l.drops.Load())
		fmt.Fprintf(l.out, "  server CPU and RSS: not reported by the hub; cmd/compare/run.sh reads them from /proc\n")
	} else {
		fmt.Fprintf(l.out, "  server-side ack (room queue → stored), last 4,096 commands: p50 %.1f ms p99 %.1f ms\n", after.AckP50, after.AckP99)
		fmt.Fprintf(l.out, "  dropped connections: %d (server cut %d slow clients)\n", l.drops.Load(), after.SlowCut-before.SlowCut)
		fmt.Fprintf(l.out, "  server CPU: %.2f s = %.1f%% of one core; RSS %.1f MiB (%.1f KiB per client)\n", cpu, 100*cpu/wall, float64(after.RSSBytes)/(1<<20), float64(after.RSSBytes)/1024/float64(max(1, after.Clients)))
	}
	fmt.Fprintf(l.out, "  generator CPU: %.2f s = %.1f%% of one core\n", genCPU, 100*genCPU/wall)
}

// reportNodes gives, for a cluster, the fan-out latency of each node's
// clients and each node's CPU.
//
// For typing it also gives the fan-out after the commit: from the
// pen-holder reading its command's ack (sent by the owner once the events
// are stored, before it publishes them) to each client seeing the
// events. That leaves the store's commit out, which on PostgreSQL is most
// of the end-to-end figure on a loaded machine, and keeps what several
// nodes add: the notification, the follower's read and its publication.
func (l *loader) reportNodes(wall float64, before, after []float64) {
	fan := make([][]time.Duration, len(l.bases))
	post := make([][]time.Duration, len(l.bases))
	l.mu.Lock()
	for _, c := range l.conns {
		c.mu.Lock()
		for _, r := range c.seen {
			if t, ok := l.sent[r.seq]; ok {
				fan[c.node] = append(fan[c.node], r.at.Sub(t))
			}
			if t, ok := l.ackedAt[r.seq]; ok {
				post[c.node] = append(post[c.node], max(0, r.at.Sub(t)))
			}
		}
		c.mu.Unlock()
	}
	l.mu.Unlock()
	total := 0.0
	for i, b := range l.bases {
		f, p := fan[i], post[i]
		sort.Slice(f, func(a, b int) bool { return f[a] < f[b] })
		sort.Slice(p, func(a, b int) bool { return p[a] < p[b] })
		cpu := after[i] - before[i]
		total += cpu
		fmt.Fprintf(l.out, "  node %d %s: fan-out n=%d p50 %s p99 %s max %s; CPU %.2f s = %.1f%% of one core\n", i, b, len(f), ms(percentile(f, .5)), ms(percentile(f, .99)), ms(percentile(f, 1)), cpu, 100*cpu/wall)
		if len(p) > 0 {
			fmt.Fprintf(l.out, "    after the commit (pen-holder's ack read → seen): p50 %s p99 %s max %s\n", ms(percentile(p, .5)), ms(percentile(p, .99)), ms(percentile(p, 1)))
		}
	}
	fmt.Fprintf(l.out, "  all nodes' CPU: %.2f s = %.1f%% of one core\n", total, 100*total/wall)
}

// cpuSeconds is the generator's own CPU time, read as the server reads
// its own.
func cpuSeconds() float64 { return server.ReadProcessStats().CPUSeconds }

// prefillPositions has the delegates state -prefill positions over HTTP
// (support and opposition in turn on the first paragraph), so that the
// record the exporters download is heavy.
func (l *loader) prefillPositions() error {
	var next atomic.Int64
	return l.parallel(min(64, len(l.tokens)), func(w int) error {
		for {
			k := int(next.Add(1)) - 1
			if k >= l.f.prefill {
				return nil
			}
			i := k % len(l.tokens)
			kind := []engine.PositionKind{engine.Support, engine.Oppose}[(k/len(l.tokens))%2]
			cmd, _ := json.Marshal(engine.StatePosition{State: l.states[i], Para: l.paraID, Kind: kind})
			for {
				err := l.api(l.tokens[i], "POST", "/api/documents/"+string(l.doc)+"/commands", server.CommandRequest{Name: "position.state", Command: cmd}, nil)
				if err == nil {
					break
				}
				if !strings.Contains(err.Error(), ": 429 ") {
					return err
				}
				time.Sleep(100 * time.Millisecond) // a rate limit: wait and send again
			}
		}
	})
}

// startExports starts -exports observers downloading -export-path in a
// loop, and a sampler of the server's RSS; the returned function stops
// them and waits.
func (l *loader) startExports(ctx context.Context) func() {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // RSS every 100 ms, with or without exports
		defer wg.Done()
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			if rss := int64(l.metrics().RSSBytes); rss > l.rssMax.Load() {
				l.rssMax.Store(rss)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	client := &http.Client{Timeout: 5 * time.Minute, Transport: &http.Transport{MaxIdleConnsPerHost: 64, DisableCompression: true}}
	for _, tok := range l.obs {
		wg.Add(1)
		go func(tok string) {
			defer wg.Done()
			for ctx.Err() == nil {
				req, _ := http.NewRequestWithContext(ctx, "GET", l.f.url+"/api/documents/"+string(l.doc)+"/"+l.f.export, nil)
				req.Header.Set("Authorization", "Bearer "+tok)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						l.expErr.Add(1)
						time.Sleep(100 * time.Millisecond)
					}
					continue
				}
				n, err := io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				switch {
				case err != nil:
					if ctx.Err() == nil {
						l.expErr.Add(1)
					}
				case resp.StatusCode == http.StatusServiceUnavailable:
					l.expBusy.Add(1)
					time.Sleep(time.Second)
				case resp.StatusCode != http.StatusOK:
					l.expErr.Add(1)
					l.lastErr.Store(fmt.Sprintf("export: %d", resp.StatusCode))
					time.Sleep(100 * time.Millisecond)
				default:
					l.expDone.Add(1)
					l.expBytes.Add(n)
					l.mu.Lock()
					l.expLat = append(l.expLat, time.Since(t0))
					l.mu.Unlock()
				}
			}
		}(tok)
	}
	return func() { cancel(); wg.Wait() }
}
