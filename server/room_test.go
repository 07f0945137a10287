package server

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// roomWithPeople starts a server with a document and the usual cast.
func roomWithPeople(t testing.TB, cfg Config) (*testServer, map[string]string) {
	ts := startServer(t, cfg)
	tok := map[string]string{
		"sec":   ts.person(Person{ID: "sec", Name: "Secretariat", Role: engine.RoleSecretariat}),
		"chair": ts.person(Person{ID: "chair", Name: "Chair", Role: engine.RoleOfficer}),
		"fra":   ts.person(Person{ID: "fra-1", Name: "France", Role: engine.RoleDelegate, State: "FRA"}),
		"chn":   ts.person(Person{ID: "chn-1", Name: "China", Role: engine.RoleDelegate, State: "CHN"}),
		"ngo":   ts.person(Person{ID: "ngo-1", Name: "NGO", Role: engine.RoleObserver, Org: "An NGO"}),
	}
	ts.createDoc(tok["sec"], "pr", testDraft)
	return ts, tok
}

func paraByNumber(t *testing.T, v *View, num string) ParagraphView {
	t.Helper()
	for _, p := range v.Paragraphs {
		if p.Number == num {
			return p
		}
	}
	t.Fatalf("no paragraph %s in view", num)
	return ParagraphView{}
}

// TestReading runs a short reading with two delegations and a chair, each
// on its own websocket: a proposal, support, an objection, acceptance.
func TestReading(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{})
	chair, fra, chn := ts.dial(tok["chair"], "pr", 0), ts.dial(tok["fra"], "pr", 0), ts.dial(tok["chn"], "pr", 0)
	hello := fra.hello()
	if hello.You.State != "FRA" || hello.View == nil || len(hello.View.Paragraphs) != 3 {
		t.Fatalf("hello = %+v", hello)
	}
	p2 := paraByNumber(t, hello.View, "2")
	for _, c := range []*wsClient{chair, chn} {
		c.hello()
	}
	fra.send("c1", "amendment.propose", engine.ProposeAmendment{Proposer: "FRA", Op: engine.OpReplace, Para: p2.ID, Version: p2.Version, Start: 7, End: 15, NewText: "reaffirmed"})
	ack := fra.ack("c1")
	for _, c := range []*wsClient{chair, fra, chn} {
		m := c.event("amendment.proposed")
		if len(m.Amendments) != 1 || m.Amendments[0].Proposer != "FRA" || m.Amendments[0].Anchor.Text != "recalled" {
			t.Fatalf("amendment as seen by a client: %+v", m.Amendments)
		}
		if m.Seq != ack.Seq {
			t.Errorf("events seq %d, ack seq %d", m.Seq, ack.Seq)
		}
	}
	chn.send("c2", "position.state", engine.StatePosition{State: "CHN", Amendment: "a1", Kind: engine.Oppose, Comment: "We prefer the original."})
	chn.ack("c2")
	chn.send("c3", "position.state", engine.StatePosition{State: "FRA", Amendment: "a1", Kind: engine.Support})
	if m := chn.wait("refusal", func(m ServerMessage) bool { return m.ID == "c3" }); m.Type != MsgError || m.Code != engine.EFORBIDDEN || m.Message != "a delegate of CHN cannot act for FRA" {
		t.Errorf("acting for another State: %+v", m)
	}
	m := fra.event("position.stated")
	if ps := m.Positions; len(ps) != 1 || ps[0].State != "CHN" || ps[0].Kind != engine.Oppose || ps[0].Amendment != "a1" {
		t.Errorf("positions seen by France: %+v", ps)
	}
	chn.send("c4", "position.state", engine.StatePosition{State: "CHN", Amendment: "a1", Kind: engine.Flexible})
	chn.ack("c4")
	chair.send("c5", "amendment.decide", engine.DecideAmendment{Amendment: "a1", Outcome: engine.Accepted})
	chair.ack("c5")
	for _, c := range []*wsClient{chair, fra, chn} {
		m := c.event("paragraph.edited")
		if len(m.Paragraphs) != 1 || m.Paragraphs[0].Text != "States reaffirmed resolution 75/240." {
			t.Fatalf("paragraph after acceptance: %+v", m.Paragraphs)
		}
	}
	// Every client saw the same gapless sequence.
	want := chair.seqs()
	for i := 1; i < len(want); i++ {
		if want[i] != want[i-1]+1 {
			t.Fatalf("gap in sequence: %v", want)
		}
	}
	if got := fra.seqs(); !slices.Equal(got, want) {
		t.Errorf("France saw %v, the chair %v", got, want)
	}
}

// TestResume reconnects a client after it missed events and checks it gets
// exactly those, without gaps or duplicates; a client too far behind gets
// a snapshot instead.
func TestResume(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{})
	fra := ts.dial(tok["fra"], "pr", 0)
	h := fra.hello()
	p3 := paraByNumber(t, h.View, "3")
	fra.conn.Close()
	last := h.Seq
	for i := 0; i < 5; i++ {
		st, e := ts.command(tok["chair"], "pr", "paragraph.edit", engine.EditText{Para: p3.ID, Version: p3.Version + i, Start: 0, End: 0, Insert: "x"})
		if st != 200 {
			t.Fatalf("edit %d: %d %+v", i, st, e)
		}
	}
	again := ts.dial(tok["fra"], "pr", last)
	r := again.hello()
	if !r.Resumed || r.View != nil {
		t.Fatalf("resume hello: resumed=%v view=%v", r.Resumed, r.View != nil)
	}
	var got []uint64
	for _, e := range r.Events {
		got = append(got, e.StreamSeq)
	}
	if !slices.Equal(got, []uint64{last + 1, last + 2, last + 3, last + 4, last + 5}) {
		t.Fatalf("resumed events %v, want the five after %d", got, last)
	}
	if len(r.Paragraphs) != 1 || !strings.HasPrefix(r.Paragraphs[0].Text, "xxxxx") {
		t.Errorf("resumed paragraph = %+v", r.Paragraphs)
	}
	// A sequence the room never reached gets a fresh snapshot.
	fresh := ts.dial(tok["fra"], "pr", 9999)
	if m := fresh.hello(); m.Resumed || m.View == nil {
		t.Errorf("hello for an unknown sequence: resumed=%v view=%v", m.Resumed, m.View != nil)
	}
}

// TestConflictingEdits sends two whole-text replacements written against
// the same version: the second is refused as a conflict, and a span edit
// written against the old version is carried over when it is safe.
func TestConflictingEdits(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{})
	vice := ts.person(Person{ID: "vc", Name: "Vice-Chair", Role: engine.RoleOfficer})
	var doc DocumentResponse
	ts.call(tok["sec"], "GET", "/api/documents/pr", nil, &doc)
	p2 := paraByNumber(t, doc.View, "2")
	if st, e := ts.command(tok["chair"], "pr", "paragraph.replace", engine.ReplaceText{Para: p2.ID, Version: p2.Version, Text: "States welcomed resolution 75/240."}); st != 200 {
		t.Fatalf("first replace: %d %+v", st, e)
	}
	st, e := ts.command(vice, "pr", "paragraph.replace", engine.ReplaceText{Para: p2.ID, Version: p2.Version, Text: "States noted resolution 75/240."})
	if st != 409 || e.Error.Code != engine.ECONFLICT || !strings.Contains(e.Error.Message, "paragraph 2 is at version 2, not 1") {
		t.Fatalf("second replace: %d %+v", st, e)
	}
	// "resolution 75/240" is untouched by the first edit: carried over.
	if st, e := ts.command(vice, "pr", "paragraph.edit", engine.EditText{Para: p2.ID, Version: p2.Version, Start: 16, End: 26, Insert: "decision"}); st != 200 {
		t.Fatalf("stale but safe edit: %d %+v", st, e)
	}
	ts.call(tok["sec"], "GET", "/api/documents/pr", nil, &doc)
	if got := paraByNumber(t, doc.View, "2").Text; got != "States welcomed decision 75/240." {
		t.Errorf("text = %q", got)
	}
}

// TestSlowClientCutOff lets one client stop reading while the pen-holder
// types: it is cut off, and the others keep receiving every event.
func TestSlowClientCutOff(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{SendQueue: 2, Limits: Limits{CommandRate: 1 << 20, CommandBurst: 1 << 20}})
	slow := ts.dial(tok["chn"], "pr", 0)
	slow.hello()
	fast := ts.dial(tok["fra"], "pr", 0)
	h := fast.hello()
	// Long paragraphs make every frame large, so TCP buffers fill fast.
	long := strings.Repeat("States stressed the importance of capacity-building. ", 1100)
	var paras []ParagraphView
	for _, num := range []string{"1", "2", "3"} {
		p := paraByNumber(t, h.View, num)
		if st, e := ts.command(tok["chair"], "pr", "paragraph.replace", engine.ReplaceText{Para: p.ID, Version: p.Version, Text: long}); st != 200 {
			t.Fatalf("replace: %d %+v", st, e)
		}
		p.Version++
		paras = append(paras, p)
	}
	stopReading(slow) // from now on it never reads again
	before := ts.srv.Metrics().SlowCut
	deadline := time.Now().Add(20 * time.Second)
	for i := 0; ts.srv.Metrics().SlowCut == before && time.Now().Before(deadline); i++ {
		p := &paras[i%3]
		if st, e := ts.command(tok["chair"], "pr", "paragraph.edit", engine.EditText{Para: p.ID, Version: p.Version, Start: 0, End: 0, Insert: "a"}); st != 200 {
			t.Fatalf("edit %d: %d %+v", i, st, e)
		}
		p.Version++
	}
	if ts.srv.Metrics().SlowCut == before {
		t.Fatal("the client that stopped reading was never cut off")
	}
	// Its connection is closed soon after, although the server's writer
	// was blocked writing to it (writes carry no deadline): only the fast
	// client's socket remains.
	deadline = time.Now().Add(closeGrace + 5*time.Second)
	for ts.srv.Metrics().Sockets > 1 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := ts.srv.Metrics().Sockets; n != 1 {
		t.Fatalf("%d sockets open %v after the cut, want 1 (the fast client's): the blocked write to the slow client was never ended", n, closeGrace+5*time.Second)
	}
	// The fast client still gets everything, in order, without gaps.
	want := h.Seq + 1
	final := ts.lastSeq(t, tok["sec"])
	fast.wait("latest edit", func(m ServerMessage) bool { return m.Type == MsgEvents && m.Seq >= final })
	seqs := fast.seqs()
	if len(seqs) == 0 || seqs[0] != want {
		t.Fatalf("fast client's first event %v, want %d", seqs[:min(3, len(seqs))], want)
	}
	for i := 1; i < len(seqs); i++ {
		if seqs[i] != seqs[i-1]+1 {
			t.Fatalf("fast client saw a gap at %d: %v", i, seqs[i-1:i+1])
		}
	}
}

// stopReading makes a client stop draining its socket.
func stopReading(c *wsClient) {
	c.conn.SetReadDeadline(time.Now().Add(-time.Second))
}

func (ts *testServer) lastSeq(t *testing.T, token string) uint64 {
	var doc DocumentResponse
	ts.call(token, "GET", "/api/documents/pr", nil, &doc)
	return doc.Seq
}

// TestOriginAllowlist refuses a websocket from another site and accepts
// the server's own origin and configured ones.
func TestOriginAllowlist(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{Origins: []string{"https://portal.example.org"}})
	if _, err := ts.tryDial(tok["fra"], "pr", 0, "https://evil.example.com"); err == nil || !strings.Contains(err.Error(), "403") {
		t.Errorf("cross-site websocket: %v, want refused with 403", err)
	}
	if _, err := ts.tryDial(tok["fra"], "pr", 0, ts.base); err != nil {
		t.Errorf("own origin refused: %v", err)
	}
	if _, err := ts.tryDial(tok["fra"], "pr", 0, "https://portal.example.org"); err != nil {
		t.Errorf("configured origin refused: %v", err)
	}
	if _, err := ts.tryDial("forged-token", "pr", 0, ""); err == nil || !strings.Contains(err.Error(), "401") {
		t.Errorf("forged session: %v, want 401", err)
	}
}

// TestSessionCheckedPerMessage logs a delegate out while connected: the
// next command closes the socket.
func TestSessionCheckedPerMessage(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{})
	c := ts.dial(tok["fra"], "pr", 0)
	c.hello()
	if st := ts.call(tok["fra"], "POST", "/api/logout", nil, nil); st != 200 {
		t.Fatalf("logout: %d", st)
	}
	c.send("c1", "position.state", engine.StatePosition{State: "FRA", Para: "p1", Kind: engine.Support})
	if ce := c.closed(); ce == nil || ce.Code != closeLoggedOut {
		t.Fatalf("after logout the socket ended with %v, want close %d", ce, closeLoggedOut)
	}
}

// TestGracefulShutdown stores what was handed to the room and closes every
// client with a reason.
func TestGracefulShutdown(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{})
	c := ts.dial(tok["fra"], "pr", 0)
	h := c.hello()
	c.send("c1", "position.state", engine.StatePosition{State: "FRA", Para: h.View.Paragraphs[0].ID, Kind: engine.Support})
	c.ack("c1")
	ts.stop()
	if ce := c.closed(); ce == nil || ce.Code != closeGoingAway || !strings.Contains(ce.Text, "shutting down") {
		t.Fatalf("close on shutdown: %v", ce)
	}
	evs, err := ts.log.Read(context.Background(), engine.DocumentStream("pr"), 0, 0)
	if err != nil || evs[len(evs)-1].Type != "position.stated" {
		t.Fatalf("acknowledged position not in the log: %v", err)
	}
}

// TestNetworkDropMidFrame has a client send half a frame and vanish: the
// room keeps serving the others.
func TestNetworkDropMidFrame(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{})
	broken := ts.dial(tok["chn"], "pr", 0)
	broken.hello()
	other := ts.dial(tok["fra"], "pr", 0)
	h := other.hello()
	// A masked text frame header announcing 1,000 bytes, then only 10.
	raw := broken.conn.UnderlyingConn()
	if _, err := raw.Write(append([]byte{0x81, 0xFE, 0x03, 0xE8, 1, 2, 3, 4}, make([]byte, 10)...)); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	p := paraByNumber(t, h.View, "1")
	other.send("c1", "position.state", engine.StatePosition{State: "FRA", Para: p.ID, Kind: engine.Support})
	other.ack("c1")
	other.event("position.stated")
	var m Metrics
	for i := 0; i < 100; i++ {
		ts.call(tok["sec"], "GET", "/metrics", nil, &m)
		if m.Clients == 1 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if m.Clients != 1 {
		t.Errorf("%d clients connected after one dropped mid-frame, want 1", m.Clients)
	}
}
