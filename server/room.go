package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/gorilla/websocket"
)

// Room limits.
const (
	// maxBatch is the most commands a room decides and commits together.
	maxBatch = 256
	// resumeWindow is how far behind a reconnecting client may be and still
	// be sent the events it missed rather than a fresh snapshot.
	resumeWindow = 2000
	// snapshotEvery is the fewest events between stored snapshots. A
	// large document waits longer: see snapshotDue.
	snapshotEvery = 500
	// snapshotBytesPerEvent is the payload a typical event adds to the
	// log; snapshotDue uses it to weigh a snapshot against the events it
	// saves replaying.
	snapshotBytesPerEvent = 256
	// presenceEvery is the most often presence is broadcast.
	presenceEvery = 250 * time.Millisecond
	// publishEvery is the shortest time between two events messages: a
	// change after a quiet spell goes out at once, but under a burst the
	// events of many commands share one frame, so that 1,500 clients get
	// one write per burst interval rather than one per command.
	publishEvery = 40 * time.Millisecond
)

// request is a command waiting for its room.
type request struct {
	at    time.Time // when it reached the room's queue
	actor engine.Actor
	cmd   engine.DocumentCommand
	name  string
	reply chan result // for Submit; nil for a websocket command
	// client and id, for a command sent over the websocket: the room
	// queues the answer for the client itself, before publishing.
	client *client
	id     string
	// raw and token, for a follower forwarding the command to the
	// owner: the command as sent and the sender's session token.
	raw   json.RawMessage
	token string
	// forwarded is set for a command another node forwarded here: it is
	// never forwarded again.
	forwarded bool
}

// answer answers a request: over its reply channel, or, for a websocket
// command, by queuing the ack or the error for its client. Called in the
// room goroutine, before the events are published, so the ack always
// precedes them.
func (r *Room) answer(req *request, res result) {
	if req.client == nil {
		req.reply <- res
		return
	}
	m := ServerMessage{Type: MsgAck, ID: req.id}
	if res.err != nil {
		m = errorMessage(req.id, r.seq, res.err)
	} else {
		m.Seq = res.events[len(res.events)-1].StreamSeq
	}
	data, err := json.Marshal([]any{m})
	if err != nil {
		slog.Error("room: encode answer", "room", r.id, "err", err)
		return
	}
	r.send(req.client, data)
}

// result answers a request once its events are durably stored (or it was
// refused).
type result struct {
	events []engine.Event
	err    error
}

// Room is the hub of one document under negotiation. One goroutine owns
// the document and the set of clients; commands are decided in batches,
// stored in one transaction, and only then applied for good and published.
type Room struct {
	id     engine.DocumentID
	stream engine.StreamID
	log    engine.EventLog
	srv    *Server

	requests chan *request
	joins    chan *client
	leaves   chan *client
	reads    chan func(*engine.Document, uint64, string)
	done     chan struct{}

	// Owned by the room goroutine.
	doc       *engine.Document
	seq       uint64 // last StreamSeq applied
	hash      string // hash of that event: names the state in exports
	snapSeq   uint64
	clients   map[*client]bool
	presence  map[string]*presenceEntry // by presence key: a State, or a person without one
	changed   map[string]bool           // presence keys changed since the last broadcast
	unsent    []engine.Event            // stored events not yet published
	published time.Time                 // when events were last published
	flush     *time.Timer               // pending publication of unsent, if any
	flushC    <-chan time.Time
	viewCache *websocket.PreparedMessage // snapshot message as of viewSeq
	viewSeq   uint64
	// publicViewCache is the snapshot message for viewers (publicJSON),
	// as of publicViewSeq.
	publicViewCache *websocket.PreparedMessage
	publicViewSeq   uint64
	lastPing        time.Time      // when every client was last pinged
	snapBytes       int            // size of the last snapshot taken
	snapping        atomic.Bool    // a snapshot is being stored
	snapWG          sync.WaitGroup // the snapshot being stored, waited for when the room stops
	eventCount      atomic.Uint64
	// lastSeq mirrors seq for the connections' reader goroutines, which
	// put it on the refusals they send themselves.
	lastSeq atomic.Uint64

	// Several nodes (Server.cluster); without a cluster the room is
	// always its own owner. owned mirrors owner for other goroutines.
	owned     atomic.Bool
	owner     bool
	lease     Lease
	leaseLost <-chan struct{}
	ownerURL  string          // the owner's address, when another node owns the room
	holder    chan string     // the sweep's news of the owner ("" for none)
	pokeC     chan struct{}   // the stream moved (notified holds to where)
	notified  atomic.Uint64   // the highest StreamSeq notified
	replies   chan forwarded  // answers of forwarded commands
	fwdNext   uint64          // identities of forwarded commands
	inflight  map[uint64]bool // forwarded commands not answered yet
	held      []heldEvents    // followed events waiting for those answers
	waiting   []*client       // joins waiting for held events to go out

	// Presence on the other nodes (server/presence.go): remote holds
	// their entries, merged with presence in what clients are sent;
	// localChanged the people whose connections here changed since the
	// last publication. remoteNext is the latest read, handed over
	// under remoteMu and signalled on remoteC.
	remote       map[string]*presenceEntry
	localChanged map[engine.PersonID]engine.Actor
	remoteMu     sync.Mutex
	remoteNext   []NodePresence
	remoteNew    bool
	remoteC      chan struct{}
}

// heldEvents are events a follower read from the log while commands it
// had forwarded were unanswered: they go out once every command
// forwarded before they were read is answered, so that a client gets the
// ack of its command before the events of it (docs/protocol.md).
type heldEvents struct {
	events  []engine.Event
	barrier uint64 // the forwarded commands 1..barrier must be answered first
}

type presenceEntry struct {
	actor  engine.Actor
	people map[engine.PersonID]int // connections per person
	conns  int
}

// Presence says who is connected: one entry per State (all its delegates
// together), or per person for officers, the secretariat and observers.
// An entry with People 0 means they have all left.
type Presence struct {
	State  engine.StateCode `json:"state,omitempty"`
	Person engine.PersonID  `json:"person,omitempty"` // for participants without a State
	Role   engine.Role      `json:"role"`
	Name   string           `json:"name,omitempty"`
	People int              `json:"people"`
	Conns  int              `json:"connections"`
}

// presenceKey groups a State's delegates together.
func presenceKey(a engine.Actor) string {
	if a.State != "" {
		return "state/" + string(a.State)
	}
	return "person/" + string(a.Person)
}

func newRoom(srv *Server, id engine.DocumentID, doc *engine.Document, seq, snapSeq uint64, hash string) *Room {
	r := &Room{
		id: id, stream: engine.DocumentStream(id), log: srv.log, srv: srv,
		requests: make(chan *request, 1024), joins: make(chan *client, 64), leaves: make(chan *client, 64),
		reads: make(chan func(*engine.Document, uint64, string), 16), done: make(chan struct{}),
		doc: doc, seq: seq, snapSeq: snapSeq, hash: hash, clients: map[*client]bool{}, presence: map[string]*presenceEntry{}, changed: map[string]bool{}, remote: map[string]*presenceEntry{}, remoteC: make(chan struct{}, 1),
		holder: make(chan string, 1), pokeC: make(chan struct{}, 1), replies: make(chan forwarded, 64), inflight: map[uint64]bool{},
	}
	r.owner = srv.cluster == nil
	r.owned.Store(r.owner)
	r.lastSeq.Store(seq)
	return r
}

// Submit asks the room to carry out a command and waits until its events
// are durably stored (or it is refused, or ctx ends).
// On a node that follows the room, the command is forwarded to the owner
// as the person of the HTTP request ctx comes from; without one (the
// demo's set-up, say) it is refused there.
func (r *Room) Submit(ctx context.Context, actor engine.Actor, name string, cmd engine.DocumentCommand) ([]engine.Event, error) {
	token, _ := ctx.Value(tokenKey{}).(string)
	return r.submit(ctx, &request{at: time.Now(), actor: actor, cmd: cmd, name: name, reply: make(chan result, 1), token: token})
}

// tokenKey is the context key of the session token of an authenticated
// HTTP request.
type tokenKey struct{}

// submit hands a request to the room and waits for its answer.
func (r *Room) submit(ctx context.Context, req *request) ([]engine.Event, error) {
	select {
	case r.requests <- req:
	case <-r.done:
		return nil, engine.Errorf(engine.ECONFLICT, "the room is closing; try again in a moment")
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case res := <-req.reply:
		return res.events, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Read runs f on the room's committed state, inside the room goroutine,
// with the sequence and hash of the last event it holds.
func (r *Room) Read(ctx context.Context, f func(d *engine.Document, seq uint64, hash string)) error {
	done := make(chan struct{})
	wrapped := func(d *engine.Document, seq uint64, hash string) { f(d, seq, hash); close(done) }
	select {
	case r.reads <- wrapped:
	case <-r.done:
		return engine.Errorf(engine.ECONFLICT, "the room is closing; try again in a moment")
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// run is the room goroutine.
func (r *Room) run(ctx context.Context, wg *sync.WaitGroup) {
	defer wg.Done()
	defer r.snapWG.Wait() // the log must not close under a snapshot being stored
	defer close(r.done)
	defer r.stepDown()
	if r.srv.cluster != nil {
		r.takeOver() // a new room, or a node starting: own it if nobody does
	}
	// Presence is sent at most every presenceEvery, so that a storm of
	// joins costs one broadcast per tick rather than one per join.
	tick := time.NewTicker(presenceEvery)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			r.flushLocalPresence()
			if len(r.changed) > 0 {
				r.broadcastPresence()
			}
			if r.owner {
				r.silenceClock()
			}
			if now := time.Now(); now.Sub(r.lastPing) >= pingPeriod {
				// One clock pings every client of the room, rather
				// than a timer per connection.
				r.lastPing = now
				for c := range r.clients {
					c.queue(pingFrame)
				}
			}
		case <-r.flushC:
			r.flushC = nil
			r.publishNow()
		case <-ctx.Done():
			r.drain()
			r.publishNow()
			r.closeClients(closeGoingAway, "the server is shutting down; reconnect shortly")
			return
		case c := <-r.joins:
			if len(r.held) > 0 {
				r.waiting = append(r.waiting, c) // after the held events
				continue
			}
			r.publishNow() // the newcomer's snapshot must not hold unpublished events
			r.join(c)
		case c := <-r.leaves:
			r.leave(c)
		case <-r.remoteC:
			r.takeRemote()
		case <-r.pokeC:
			if r.notified.Load() > r.seq {
				r.catchUp()
			}
		case node := <-r.holder:
			if !r.owner {
				if node == "" {
					r.takeOver()
				} else {
					r.ownerURL = node
				}
			}
		case <-r.leaseLost:
			slog.Warn("room: lease lost; following the room from now on", "room", r.id)
			r.stepDown()
			r.catchUp()
		case f := <-r.replies:
			r.forwardAnswered(f)
		case f := <-r.reads:
			r.publishNow()
			f(r.doc, r.seq, r.hash)
		case req := <-r.requests:
			batch := []*request{req}
		more:
			for len(batch) < maxBatch {
				select {
				case req := <-r.requests:
					batch = append(batch, req)
				default:
					break more
				}
			}
			if r.owner {
				r.process(batch)
			} else {
				r.forward(batch)
			}
		}
	}
}

// silenceClock closes a silence procedure whose deadline has passed
// unbroken: the text is adopted (or agreed) at the deadline, by the
// system, with the decision on the record like any other.
func (r *Room) silenceClock() {
	s := r.doc.CurrentSilence()
	if s == nil || r.srv.now().Before(s.Deadline) {
		return
	}
	req := &request{at: time.Now(), actor: engine.Actor{Person: "system", Role: engine.RoleSystem}, cmd: engine.CloseSilence{}, name: "silence.close", reply: make(chan result, 1)}
	r.process([]*request{req})
	if res := <-req.reply; res.err != nil {
		slog.Error("room: closing a silence procedure at its deadline", "room", r.id, "err", res.err)
	}
}

// drain answers every queued command before shutdown, so that work already
// handed to the room is stored and acknowledged.
func (r *Room) drain() {
	for {
		select {
		case req := <-r.requests:
			if r.owner {
				r.process([]*request{req})
			} else {
				r.answer(req, result{err: engine.Errorf(engine.ECONFLICT, "the room is closing; try again in a moment")})
			}
		default:
			return
		}
	}
}

// pendingOut is one decided command of a batch.
type pendingOut struct {
	req    *request
	events []engine.Event
}

// process decides a batch of commands against the document, applying each
// one's events so the next is decided on the state it will find, stores
// all their events in one append, and publishes them. If the store fails,
// the document is reloaded from the log and every command in the batch is
// refused: nothing that was not stored is ever shown.
func (r *Room) process(batch []*request) {
	now := r.srv.now()
	offices := r.srv.offices(r.doc.Process)
	var outs []pendingOut
	var all []engine.Event
	for _, req := range batch {
		c := engine.Context{Now: now, Actor: req.actor, Offices: offices}
		c.Actor = r.srv.observerCode(r.doc.Process, c.Actor)
		c.Actor = officeHeld(r.doc, c, req.cmd)
		evs, err := r.doc.Decide(c, req.cmd)
		if err != nil {
			r.answer(req, result{err: err})
			continue
		}
		for _, e := range evs {
			if err := r.doc.Apply(e); err != nil {
				// Cannot happen for events the engine just decided; treat it
				// as a store failure so that state is rebuilt.
				r.fail(append(outs, pendingOut{req: req}), err)
				return
			}
		}
		outs = append(outs, pendingOut{req, evs})
		all = append(all, evs...)
	}
	if len(all) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	began := time.Now()
	stored, err := r.log.Append(ctx, r.stream, r.seq, all)
	cancel()
	r.srv.metrics.appendLatency.observe(time.Since(began))
	if err != nil {
		r.fail(outs, err)
		return
	}
	i := 0
	for k := range outs {
		n := len(outs[k].events)
		outs[k].events = stored[i : i+n]
		i += n
	}
	r.seq, r.hash = stored[len(stored)-1].StreamSeq, stored[len(stored)-1].Hash
	r.lastSeq.Store(r.seq)
	r.eventCount.Add(uint64(len(stored)))
	r.srv.metrics.events.Add(uint64(len(stored)))
	for _, o := range outs {
		r.answer(o.req, result{events: o.events})
		r.srv.metrics.acks.add(time.Since(o.req.at))
	}
	// Through the held events: a room that has just taken over may still
	// hold events it followed, which go out first.
	r.hold(stored)
	if r.snapshotDue() {
		r.snapshot()
	}
}

// fail refuses every decided command of a batch whose events could not be
// stored, and rebuilds the document from the log.
func (r *Room) fail(outs []pendingOut, cause error) {
	slog.Error("room: events not stored", "room", r.id, "err", cause)
	// An internal cause is shown as errInternal's plain sentence by
	// whichever transport answers.
	refusal := cause
	if code := engine.ErrorCode(cause); code != engine.EINTERNAL {
		refusal = engine.Errorf(code, "the change was not stored: %s", engine.Because(cause))
	}
	for _, o := range outs {
		r.answer(o.req, result{err: refusal})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	r.reload(ctx)
}

// snapshotDue reports whether the room should store a snapshot: after
// snapshotEvery events, and for a large document only once the events
// since the last snapshot weigh about as much as that snapshot. A
// snapshot of a document with a thousand amendments is close to a
// megabyte; written every 500 events in a burst it made up most of what
// the store wrote, and every checkpoint of those megabytes stalled the
// commits behind it (docs/performance.md, burst). Start-up then replays
// at most about one snapshot's worth of events.
func (r *Room) snapshotDue() bool {
	n := r.seq - r.snapSeq
	return n >= snapshotEvery && n*snapshotBytesPerEvent >= uint64(r.snapBytes)
}

// snapshot stores the document's state so that start-up replays only the
// events after it. The state is encoded here, in the room goroutine that
// owns it, but stored in the background: writing a snapshot of a large
// document (megabytes, fsynced) used to stall the room for hundreds of
// milliseconds under a burst (docs/performance.md, burst).
// One snapshot is stored at a time; a snapshot that fails only costs
// replay time at the next start, so it is logged and the next one comes
// when snapshotDue says so again.
func (r *Room) snapshot() {
	if !r.snapping.CompareAndSwap(false, true) {
		return // the previous one is still being stored
	}
	b, err := json.Marshal(r.doc)
	if err != nil {
		r.snapping.Store(false)
		slog.Error("room: encode snapshot", "room", r.id, "err", err)
		return
	}
	seq := r.seq
	r.snapSeq, r.snapBytes = seq, len(b)
	r.snapWG.Add(1)
	go func() {
		defer r.snapWG.Done()
		defer r.snapping.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := r.log.SaveSnapshot(ctx, r.stream, engine.Snapshot{StreamSeq: seq, Data: b}); err != nil {
			slog.Error("room: save snapshot", "room", r.id, "seq", seq, "err", err)
		}
	}()
}

// publish queues stored events for every client: at once after a quiet
// spell, else when publishEvery has passed since the last publication.
func (r *Room) publish(evs []engine.Event) {
	r.unsent = append(r.unsent, evs...)
	if r.flushC != nil {
		return // a publication is already scheduled
	}
	if wait := publishEvery - time.Since(r.published); wait > 0 {
		if r.flush == nil {
			r.flush = time.NewTimer(wait)
		} else {
			r.flush.Reset(wait)
		}
		r.flushC = r.flush.C
		return
	}
	r.publishNow()
}

// publishNow sends the unsent events to every client, with the views they
// changed, encoded once for all.
func (r *Room) publishNow() {
	if len(r.unsent) == 0 {
		return
	}
	evs := r.unsent
	r.unsent = nil
	r.published = time.Now()
	if r.flushC != nil {
		r.flush.Stop()
		r.flushC = nil
	}
	if len(r.clients) == 0 {
		return
	}
	frame, err := json.Marshal([]any{r.eventsMessage(evs)})
	if err != nil {
		slog.Error("room: encode events", "room", r.id, "err", err)
		return
	}
	r.broadcast(frame)
}

// eventsMessage builds the message for a run of events: the events and the
// current views of what they touched, or the whole view.
func (r *Room) eventsMessage(evs []engine.Event) ServerMessage {
	msg := ServerMessage{Type: MsgEvents, Seq: evs[len(evs)-1].StreamSeq, Events: evs}
	paras := map[engine.ParagraphID]bool{}
	ams := map[engine.AmendmentID]bool{}
	pos := map[engine.PositionKey]engine.Position{}
	var posOrder []engine.PositionKey
	for _, e := range evs {
		ch := r.doc.Touched(e)
		if ch.Whole {
			msg.View = buildView(r.doc)
			return msg
		}
		if ch.Room {
			msg.RoomState = roomView(r.doc)
		}
		for _, p := range ch.Positions {
			if _, seen := pos[p.Key()]; !seen {
				posOrder = append(posOrder, p.Key())
			}
			pos[p.Key()] = p
		}
		for _, p := range ch.Paragraphs {
			paras[p] = true
		}
		for _, a := range ch.Amendments {
			ams[a] = true
		}
	}
	var eids map[engine.ParagraphID]string
	for _, p := range r.doc.Order() {
		if !paras[p.ID] {
			continue
		}
		if eids == nil {
			eids = r.doc.EIDs()
		}
		msg.Paragraphs = append(msg.Paragraphs, paragraphView(r.doc, p, eids))
	}
	ids := make([]engine.AmendmentID, 0, len(ams))
	for id := range ams {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return amendmentLess(ids[i], ids[j]) })
	for _, id := range ids {
		if a, ok := r.doc.Amendments[id]; ok {
			msg.Amendments = append(msg.Amendments, amendmentView(r.doc, a))
		}
	}
	for _, k := range posOrder {
		if cur, ok := r.doc.Positions[k]; ok {
			msg.Positions = append(msg.Positions, PositionView{Position: *cur, Stale: r.doc.Stale(cur)})
		} else {
			p := pos[k]
			msg.Positions = append(msg.Positions, PositionView{Position: engine.Position{State: p.State, Para: p.Para, Amendment: p.Amendment}, Withdrawn: true})
		}
	}
	return msg
}

// amendmentLess orders amendment identities a1, a2, … a10 by number.
func amendmentLess(a, b engine.AmendmentID) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

// send queues a frame for a client; a client whose queue is full is cut
// off and will resync, rather than slow the room down.
func (r *Room) send(c *client, data []byte) { r.sendFrame(c, frame{data: data}) }

// sendFrame queues a frame for a client, cutting it off when its queue is
// full.
func (r *Room) sendFrame(c *client, f frame) {
	if !c.queue(f) {
		r.cutOff(c)
	}
}

// cutOff cuts off a client whose queue is full.
func (r *Room) cutOff(c *client) {
	r.srv.metrics.slowCut.Add(1)
	slog.Warn("room: client too slow, cut off", "room", r.id, "person", c.actor.Person)
	r.remove(c)
	c.kick(closeTooSlow, "you fell behind; reconnect to catch up")
}

// fanOutChunk is how many clients one fan-out goroutine writes to.
const fanOutChunk = 128

// broadcast sends one message to every client of the room. The frame is
// queued for each client in the room goroutine, as any frame is (a full
// queue cuts the client off); the clients whose writer was idle are then
// written to by a few fan-out goroutines, fanOutChunk clients each, with
// writes that do not wait (client.writeNow), rather than by a writer
// goroutine started per client. On a loopback test with 1,500 clients
// this takes goroutine starts, stack growth and scheduling out of every
// edit's fan-out (docs/performance.md, typing).
func (r *Room) broadcast(data []byte) {
	f := frame{data: data, wire: wireFrame(data)}
	var pub *frame // the frame for viewers, made when one is there
	var idle []*client
	for c := range r.clients {
		g := f
		if isViewer(c.actor.Role) {
			if pub == nil {
				p := publicJSON(data)
				pub = &frame{data: p, wire: wireFrame(p)}
			}
			g = *pub
		}
		ok, start := c.out.push(g)
		switch {
		case !ok:
			r.cutOff(c)
		case start:
			idle = append(idle, c)
		}
	}
	for len(idle) > 0 {
		chunk := idle[:min(len(idle), fanOutChunk)]
		idle = idle[len(chunk):]
		go func() {
			for _, c := range chunk {
				c.writeNow()
			}
		}()
	}
}

// join welcomes a client: the events it missed when it resumes from a
// recent sequence, else a fresh snapshot.
func (r *Room) join(c *client) {
	r.clients[c] = true
	r.srv.metrics.clients.Add(1)
	key := presenceKey(c.actor)
	pe := r.presence[key]
	if pe == nil {
		pe = &presenceEntry{actor: c.actor, people: map[engine.PersonID]int{}}
		r.presence[key] = pe
	}
	pe.people[c.actor.Person]++
	pe.conns++
	r.changed[key] = true
	r.localChange(c.actor)
	hello := ServerMessage{Type: MsgHello, Seq: r.seq, You: &c.who, Room: r.id, Nodes: r.srv.liveNodes()}
	if c.since > 0 && c.since <= r.seq && r.seq-c.since <= resumeWindow {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		missed, err := r.log.Read(ctx, r.stream, c.since, 0)
		cancel()
		for len(missed) > 0 && missed[len(missed)-1].StreamSeq > r.seq {
			missed = missed[:len(missed)-1] // a follower: not applied here yet, published when it is
		}
		if err == nil {
			hello.Resumed = true
			if len(missed) > 0 {
				m := r.eventsMessage(missed)
				hello.Events, hello.Paragraphs, hello.Amendments, hello.Positions, hello.View = missed, m.Paragraphs, m.Amendments, m.Positions, m.View
				hello.RoomState = roomView(r.doc)
			}
		}
	}
	hello.Presence = r.presenceList(nil)
	data, err := json.Marshal([]any{hello})
	if err != nil {
		slog.Error("room: encode hello", "err", err)
		return
	}
	viewer := isViewer(c.actor.Role)
	if viewer {
		data = publicJSON(data)
	}
	r.send(c, data)
	if !hello.Resumed {
		// The whole view follows as a snapshot message, prepared (encoded
		// and compressed) once per state and shared by every client that
		// joins at that state: a join storm costs one encoding.
		if pm := r.snapshotMessage(viewer); pm != nil {
			r.sendFrame(c, frame{prepared: pm})
		}
	}
}

func (r *Room) leave(c *client) {
	if !r.remove(c) {
		for i, w := range r.waiting {
			if w == c {
				r.waiting = append(r.waiting[:i], r.waiting[i+1:]...)
				break
			}
		}
	}
}

// snapshotMessage returns the snapshot message of the current state (for
// a viewer, without people's identities), preparing it only when the
// state moved on since the last time.
func (r *Room) snapshotMessage(viewer bool) *websocket.PreparedMessage {
	cache, seq := &r.viewCache, &r.viewSeq
	if viewer {
		cache, seq = &r.publicViewCache, &r.publicViewSeq
	}
	if *cache == nil || *seq != r.seq {
		b, err := json.Marshal([]any{ServerMessage{Type: MsgSnapshot, Seq: r.seq, View: buildView(r.doc)}})
		if err != nil {
			slog.Error("room: encode view", "room", r.id, "err", err)
			return nil
		}
		if viewer {
			b = publicJSON(b)
		}
		pm, err := websocket.NewPreparedMessage(websocket.TextMessage, b)
		if err != nil {
			slog.Error("room: prepare view", "room", r.id, "err", err)
			return nil
		}
		*cache, *seq = pm, r.seq
	}
	return *cache
}

// remove forgets a client; it reports whether it was there.
func (r *Room) remove(c *client) bool {
	if !r.clients[c] {
		return false
	}
	delete(r.clients, c)
	r.srv.metrics.clients.Add(-1)
	key := presenceKey(c.actor)
	if pe := r.presence[key]; pe != nil {
		pe.conns--
		if pe.people[c.actor.Person]--; pe.people[c.actor.Person] <= 0 {
			delete(pe.people, c.actor.Person)
		}
		r.changed[key] = true
		r.localChange(c.actor)
	}
	return true
}

// presenceList returns the presence entries with the given keys (all when
// keys is nil), sorted, this node's and the other nodes' merged: a person
// connected to several nodes counts once among the people, each of their
// connections once. Entries whose people have all left, here and on the
// other nodes, come with People 0 and are then forgotten.
func (r *Room) presenceList(keys map[string]bool) []Presence {
	out := []Presence{}
	add := func(key string) {
		local, remote := r.presence[key], r.remote[key]
		var p Presence
		if local != nil {
			p = Presence{State: local.actor.State, Role: local.actor.Role, People: len(local.people), Conns: local.conns}
			if p.State == "" {
				p.Person = local.actor.Person
			}
		}
		if remote != nil {
			if local == nil {
				p = Presence{State: remote.actor.State, Role: remote.actor.Role}
				if p.State == "" {
					p.Person = remote.actor.Person
				}
			}
			for person := range remote.people {
				if local == nil || local.people[person] == 0 {
					p.People++
				}
			}
			p.Conns += remote.conns
		}
		if p.Person != "" {
			p.Name = r.srv.dir.name(p.Person)
		}
		out = append(out, p)
	}
	if keys == nil {
		for key, pe := range r.presence {
			if len(pe.people) > 0 {
				add(key)
			}
		}
		for key, pe := range r.remote {
			if len(pe.people) > 0 && (r.presence[key] == nil || len(r.presence[key].people) == 0) {
				add(key)
			}
		}
	} else {
		for key := range keys {
			local, remote := r.presence[key], r.remote[key]
			if local == nil && remote == nil {
				continue
			}
			add(key)
			if local != nil && len(local.people) == 0 {
				delete(r.presence, key)
			}
			if remote != nil && len(remote.people) == 0 {
				delete(r.remote, key)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].State != out[j].State {
			return out[i].State < out[j].State
		}
		return out[i].Person < out[j].Person
	})
	return out
}

// broadcastPresence tells every client what changed in who is connected
// since the last broadcast: one entry per State or person that changed.
func (r *Room) broadcastPresence() {
	list := r.presenceList(r.changed)
	r.changed = map[string]bool{}
	frame, err := json.Marshal([]any{ServerMessage{Type: MsgPresence, Seq: r.seq, Presence: list}})
	if err != nil {
		return
	}
	r.broadcast(frame)
}

func (r *Room) closeClients(code int, reason string) {
	for _, c := range r.waiting {
		c.kick(code, reason)
	}
	r.waiting = nil
	for c := range r.clients {
		r.remove(c)
		c.kick(code, reason)
	}
}
