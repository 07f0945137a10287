package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/gorilla/websocket"
)

// The attacks of issue 16, each through the real server on a real SQLite
// file; docs/reliability.md lists them with the result expected and seen.

// TestAttackForgedCoSponsors: a delegate of France names other States as
// co-sponsors of its proposal, made-up codes, markup and ten thousand
// entries. Every such proposal is refused naming the field and nothing is
// stored; the United States then co-sponsors by its own command, which is
// the only way a State's name gets onto another's amendment.
func TestAttackForgedCoSponsors(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{})
	usa := ts.person(Person{ID: "usa-1", Name: "United States", Role: engine.RoleDelegate, State: "USA"})
	var doc DocumentResponse
	ts.call(tok["fra"], "GET", "/api/documents/pr", nil, &doc)
	p2 := paraByNumber(t, doc.View, "2")
	many := make([]engine.StateCode, 10000)
	for i := range many {
		many[i] = engine.StateCode(fmt.Sprintf("X%04d", i))
	}
	for _, tt := range []struct {
		name string
		co   []engine.StateCode
		want string
	}{
		{"other States and groups", []engine.StateCode{"CHN", "USA", "RUS", "G77", "EU"}, `coSponsors: a proposal by FRA cannot name "CHN" as co-sponsor`},
		{"made-up code", []engine.StateCode{"ZZZ"}, `cannot name "ZZZ" as co-sponsor`},
		{"markup", []engine.StateCode{"<script>alert(1)</script>"}, `cannot name "<script>alert(1)</script>" as co-sponsor`},
		{"ten thousand entries", many, `cannot name "X0000" as co-sponsor`},
	} {
		st, e := ts.command(tok["fra"], "pr", "amendment.propose", engine.ProposeAmendment{Proposer: "FRA", CoSponsors: tt.co, Op: engine.OpReplace, Para: p2.ID, Version: p2.Version, Start: 7, End: 15, NewText: "reaffirmed"})
		if st != 400 || e.Error.Code != engine.EINVALID || !strings.Contains(e.Error.Message, tt.want) {
			t.Errorf("%s: %d %+v, want 400 containing %q", tt.name, st, e, tt.want)
		}
	}
	// The pen cannot forge them either.
	if st, e := ts.command(tok["chair"], "pr", "amendment.propose", engine.ProposeAmendment{Proposer: "FRA", CoSponsors: []engine.StateCode{"USA"}, Op: engine.OpReplace, Para: p2.ID, Version: p2.Version, Start: 7, End: 15, NewText: "reaffirmed"}); st != 400 {
		t.Errorf("chair naming USA as co-sponsor of France: %d %+v", st, e)
	}
	var evs []engine.Event
	ts.call(tok["fra"], "GET", "/api/documents/pr/events", nil, &evs)
	for _, e := range evs {
		if e.Type == "amendment.proposed" {
			t.Fatalf("a refused proposal was stored: %+v", e)
		}
	}
	// Consent: France proposes alone (naming itself is harmless), the
	// United States joins by itself.
	if st, e := ts.command(tok["fra"], "pr", "amendment.propose", engine.ProposeAmendment{Proposer: "FRA", CoSponsors: []engine.StateCode{"FRA"}, Op: engine.OpReplace, Para: p2.ID, Version: p2.Version, Start: 7, End: 15, NewText: "reaffirmed"}); st != 200 {
		t.Fatalf("proposal: %d %+v", st, e)
	}
	if st, e := ts.command(tok["fra"], "pr", "amendment.cosponsor", engine.CoSponsor{Amendment: "a1", State: "USA"}); st != 403 {
		t.Errorf("France co-sponsoring for the United States: %d %+v, want 403", st, e)
	}
	if st, e := ts.command(tok["chair"], "pr", "amendment.cosponsor", engine.CoSponsor{Amendment: "a1", State: "ZZZ"}); st != 400 || !strings.Contains(e.Error.Message, `"ZZZ" is not a Member State or negotiating group`) {
		t.Errorf("made-up co-sponsor by the pen: %d %+v", st, e)
	}
	if st, e := ts.command(usa, "pr", "amendment.cosponsor", engine.CoSponsor{Amendment: "a1", State: "USA"}); st != 200 {
		t.Fatalf("USA co-sponsoring: %d %+v", st, e)
	}
	ts.call(tok["fra"], "GET", "/api/documents/pr", nil, &doc)
	if len(doc.View.Amendments) != 1 || fmt.Sprint(doc.View.Amendments[0].CoSponsors) != "[USA]" {
		b, _ := json.Marshal(doc.View.Amendments)
		t.Fatalf("amendments = %s, want a1 co-sponsored by USA alone", b)
	}
}

// rawCall makes a request with exactly the given body and headers and
// returns the status, the headers and the body.
func (ts *testServer) rawCall(token, method, path, body string, hdr map[string]string) (int, http.Header, string) {
	ts.t.Helper()
	req, err := http.NewRequest(method, ts.base+path, strings.NewReader(body))
	if err != nil {
		ts.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range hdr {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// login logs a person in once more, for a second session.
func (ts *testServer) login(id engine.PersonID) string {
	ts.t.Helper()
	sys := engine.Actor{Person: "test", Role: engine.RoleSystem}
	code, err := ts.srv.dir.IssueLogin(context.Background(), sys, id)
	if err != nil {
		ts.t.Fatal(err)
	}
	var resp struct {
		Token string `json:"token"`
	}
	if st := ts.call("", "POST", "/api/login", map[string]string{"code": code}, &resp); st != 200 {
		ts.t.Fatalf("login of %s: status %d", id, st)
	}
	return resp.Token
}

// TestAttackCommandFlood: one delegate floods the room with commands
// over HTTP and the websocket at once (the attack sent 10,000 amendments
// over HTTP in 2.6 s). The limiter's clock is stopped, so no token comes
// back while the test runs whatever the machine's speed: exactly the
// burst is taken, per person over both transports and both of their
// sessions; the next is refused 429 with Retry-After over HTTP and
// rate_limited with retryAfter over the websocket; another delegate is
// not affected; a second later there is room again.
func TestAttackCommandFlood(t *testing.T) {
	clk := &clock{t: time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)}
	ts, tok := roomWithPeople(t, Config{Limits: Limits{Clock: clk.now}})
	var doc DocumentResponse
	ts.call(tok["fra"], "GET", "/api/documents/pr", nil, &doc)
	p2 := paraByNumber(t, doc.View, "2")
	pos := func(i int) engine.StatePosition {
		return engine.StatePosition{State: "FRA", Para: p2.ID, Kind: []engine.PositionKind{engine.Support, engine.Oppose}[i%2]}
	}
	second := ts.login("fra-1") // the same person on another device
	ws := ts.dial(second, "pr", 0)
	ws.hello()
	taken := 0
	for i := range commandBurst - 10 {
		if st, e := ts.command(tok["fra"], "pr", "position.state", pos(i)); st != 200 {
			t.Fatalf("command %d of the burst: %d %+v", i, st, e)
		}
		taken++
	}
	for i := range 10 {
		id := fmt.Sprintf("w%d", i)
		ws.send(id, "position.state", pos(i))
		ws.ack(id)
		taken++
	}
	// The burst is spent, for this person, on both sessions and both
	// transports.
	raw, _ := json.Marshal(pos(0))
	body, _ := json.Marshal(map[string]any{"name": "position.state", "command": json.RawMessage(raw)})
	for _, token := range []string{tok["fra"], second} {
		st, h, b := ts.rawCall(token, "POST", "/api/documents/pr/commands", string(body), nil)
		if st != 429 || h.Get("Retry-After") != "1" || !strings.Contains(b, `"code":"rate_limited"`) || !strings.Contains(b, "at most 20 a second (bursts of 60) per person and per session") {
			t.Fatalf("command %d over HTTP: %d Retry-After %q %s, want 429 with Retry-After 1", taken+1, st, h.Get("Retry-After"), b)
		}
	}
	ws.send("over", "position.state", pos(0))
	m := ws.wait("answer to over", func(m ServerMessage) bool { return m.ID == "over" })
	if m.Type != MsgError || m.Code != ERATELIMITED || m.RetryAfter != 1 || m.Seq == 0 {
		t.Fatalf("command %d over the websocket: %+v, want error rate_limited with retryAfter 1 and the room's seq", taken+1, m)
	}
	// Another delegation is not slowed down by France.
	if st, e := ts.command(tok["chn"], "pr", "position.state", engine.StatePosition{State: "CHN", Para: p2.ID, Kind: engine.Oppose}); st != 200 {
		t.Fatalf("China while France is limited: %d %+v", st, e)
	}
	var evs []engine.Event
	ts.call(tok["fra"], "GET", "/api/documents/pr/events", nil, &evs)
	stated := 0
	for _, e := range evs {
		if e.Type == "position.stated" && e.Actor.State == "FRA" {
			stated++
		}
	}
	if stated != commandBurst {
		t.Errorf("%d commands of France stored, want the burst of %d", stated, commandBurst)
	}
	clk.add(time.Second)
	if st, e := ts.command(second, "pr", "position.state", pos(1)); st != 200 {
		t.Fatalf("a second later: %d %+v", st, e)
	}
	if n := ts.srv.Metrics().RateLimited; n != 3 {
		t.Errorf("metrics count %d rate-limited commands, want 3", n)
	}
}

// TestWebsocketBurst exceeds the token bucket's burst over the websocket
// alone, with the limiter's clock stopped: of burst+5 commands sent at
// once, exactly the burst is taken and 5 are refused. A bucket that never
// spends a token refuses none.
func TestWebsocketBurst(t *testing.T) {
	clk := &clock{t: time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)}
	ts, tok := roomWithPeople(t, Config{Limits: Limits{Clock: clk.now}})
	ws := ts.dial(tok["fra"], "pr", 0)
	h := ws.hello()
	p2 := paraByNumber(t, h.View, "2")
	n := commandBurst + 5
	for i := range n {
		ws.send(fmt.Sprintf("c%d", i), "position.state", engine.StatePosition{State: "FRA", Para: p2.ID, Kind: []engine.PositionKind{engine.Support, engine.Oppose}[i%2]})
	}
	limited := 0
	for i := range n {
		id := fmt.Sprintf("c%d", i)
		m := ws.wait("answer to "+id, func(m ServerMessage) bool { return m.ID == id && (m.Type == MsgAck || m.Type == MsgError) })
		switch {
		case m.Type == MsgError && m.Code == ERATELIMITED:
			limited++
		case m.Type == MsgError:
			t.Fatalf("%s refused: %s %s", id, m.Code, m.Message)
		}
	}
	if limited != 5 {
		t.Fatalf("%d of %d commands refused for the rate, want 5 (burst %d)", limited, n, commandBurst)
	}
}

// TestAttackAmendmentFlood: with the rate limit out of the way, one
// delegation still cannot grow the room's view without bound: its 201st
// pending amendment in the document is refused (409), naming the limit.
func TestAttackAmendmentFlood(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{Limits: Limits{CommandRate: 1 << 20, CommandBurst: 1 << 20}})
	var doc DocumentResponse
	ts.call(tok["fra"], "GET", "/api/documents/pr", nil, &doc)
	p2 := paraByNumber(t, doc.View, "2")
	add := engine.ProposeAmendment{Proposer: "FRA", Op: engine.OpAddParagraph, Para: p2.ID, NewText: "States considered it."}
	for i := range engine.MaxPendingAmendments {
		if st, e := ts.command(tok["fra"], "pr", "amendment.propose", add); st != 200 {
			t.Fatalf("amendment %d: %d %+v", i+1, st, e)
		}
	}
	st, e := ts.command(tok["fra"], "pr", "amendment.propose", add)
	if st != 409 || !strings.Contains(e.Error.Message, "FRA already has 200 amendments pending") {
		t.Fatalf("amendment 201: %d %+v, want 409 naming the limit", st, e)
	}
}

// TestAttackDeflateBomb sends a 32 MiB message compressed with
// permessage-deflate, as browsers and the Node ws client offer it: about
// 32 KiB on the wire, far below the 256 KiB read limit, which counts the
// bytes on the wire. The server must count the bytes once inflated: it
// closes the connection with 1009 without reading the message whole, and
// goes on serving.
func TestAttackDeflateBomb(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{})
	d := *websocket.DefaultDialer
	d.EnableCompression = true
	h := http.Header{}
	h.Set("Authorization", "Bearer "+tok["fra"])
	conn, resp, err := d.Dial(strings.Replace(ts.base, "http", "ws", 1)+"/ws/documents/pr", h)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if ext := resp.Header.Get("Sec-WebSocket-Extensions"); !strings.Contains(ext, "permessage-deflate") {
		t.Fatalf("the server did not negotiate compression (%q); the test would prove nothing", ext)
	}
	bomb := []byte(`{"type":"command","id":"bomb","name":"position.state","command":{"state":"FRA","comment":"` + strings.Repeat("a", 32<<20) + `"}}`)
	conn.EnableWriteCompression(true)
	// The server may close while the bomb is still being written, so the
	// write's own error says nothing; what the server answers does.
	go func() { _ = conn.WriteMessage(websocket.TextMessage, bomb) }()
	for {
		_, data, err := conn.ReadMessage()
		var ce *websocket.CloseError
		switch {
		case errors.As(err, &ce):
			if ce.Code != websocket.CloseMessageTooBig {
				t.Fatalf("close %d %q, want 1009", ce.Code, ce.Text)
			}
		case errors.Is(err, syscall.ECONNRESET):
			// The close frame was lost to the reset of a connection
			// closed with the bomb's unread end in its buffer.
		case err != nil:
			t.Fatalf("connection ended with %v, want close 1009", err)
		case strings.Contains(string(data), `"id":"bomb"`):
			t.Fatalf("the server read the whole 32 MiB message and answered it: %.200s", data)
		default:
			continue
		}
		break
	}
	// The room still serves.
	c := ts.dial(tok["chn"], "pr", 0)
	c.hello()
}

// TestAttackCrossSiteForgery: a page of another site makes the browser
// of a logged-in delegate send a command with the session cookie. A form
// (not JSON), a sandboxed frame (Origin null), another port of the same
// host, a sibling subdomain and a same-site page without Origin are all
// refused, and nothing is stored; the server's own pages and the origins
// given with -origin are served. A page on a name made to resolve to the
// server (DNS rebinding) is refused by its Host header.
func TestAttackCrossSiteForgery(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{Origins: []string{"https://portal.example.org"}, PublicURL: "https://room.example.org"})
	var doc DocumentResponse
	ts.call(tok["fra"], "GET", "/api/documents/pr", nil, &doc)
	p2 := paraByNumber(t, doc.View, "2")
	raw, _ := json.Marshal(engine.StatePosition{State: "FRA", Para: p2.ID, Kind: engine.Support})
	body, _ := json.Marshal(map[string]any{"name": "position.state", "command": json.RawMessage(raw)})
	cookie := sessionCookie + "=" + tok["fra"]
	other := ts.base[:strings.LastIndex(ts.base, ":")] + ":1"
	for _, tt := range []struct {
		name   string
		hdr    map[string]string
		status int
		want   string
	}{
		{"form post from a sandboxed frame", map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": "null"}, 400, "must be sent with Content-Type: application/json"},
		{"text/plain form", map[string]string{"Content-Type": "text/plain"}, 400, "must be sent with Content-Type: application/json"},
		{"JSON from Origin null", map[string]string{"Origin": "null"}, 403, `null\" may not send requests`},
		{"another port of the same host", map[string]string{"Origin": other}, 403, "may not send requests"},
		{"a sibling subdomain", map[string]string{"Origin": "https://evil.example.org"}, 403, "may not send requests"},
		{"same-site page without Origin", map[string]string{"Sec-Fetch-Site": "same-site"}, 403, "from a same-site page is refused"},
		{"cross-site page without Origin", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, "from a cross-site page is refused"},
		{"DNS rebinding", map[string]string{"Host": "attacker.example:80", "Origin": "http://attacker.example:80"}, 403, `does not answer to the host \"attacker.example:80\"`},
		{"own page", map[string]string{"Origin": ts.base, "Sec-Fetch-Site": "same-origin"}, 200, `"events"`},
		{"own page by its public URL", map[string]string{"Origin": "https://room.example.org", "Host": "room.example.org"}, 200, `"events"`},
		{"allowed portal", map[string]string{"Origin": "https://portal.example.org"}, 200, `"events"`},
		{"localhost", map[string]string{"Host": "localhost" + ts.base[strings.LastIndex(ts.base, ":"):], "Origin": "http://localhost" + ts.base[strings.LastIndex(ts.base, ":"):]}, 200, `"events"`},
	} {
		hdr := map[string]string{"Cookie": cookie}
		for k, v := range tt.hdr {
			hdr[k] = v
		}
		st, _, b := ts.rawCall("", "POST", "/api/documents/pr/commands", string(body), hdr)
		if st != tt.status || !strings.Contains(b, tt.want) {
			t.Errorf("%s: %d %s, want %d containing %q", tt.name, st, b, tt.status, tt.want)
		}
	}
	var evs []engine.Event
	ts.call(tok["fra"], "GET", "/api/documents/pr/events", nil, &evs)
	stated := 0
	for _, e := range evs {
		if e.Type == "position.stated" {
			stated++
		}
	}
	if stated != 4 {
		t.Errorf("%d positions stored, want 4 (only the allowed requests)", stated)
	}
	// DNS rebinding reads nothing either.
	if st, _, b := ts.rawCall(tok["fra"], "GET", "/api/documents/pr", "", map[string]string{"Host": "attacker.example"}); st != 403 {
		t.Errorf("GET with a foreign Host: %d %.100s", st, b)
	}
}

// TestAttackBadInput: invalid UTF-8 is refused naming the field (not
// stored as U+FFFD), unknown fields are refused naming them, a date
// without a time is refused in plain words, and a revision that does not
// exist is 404, over HTTP and the websocket.
func TestAttackBadInput(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{})
	var doc DocumentResponse
	ts.call(tok["fra"], "GET", "/api/documents/pr", nil, &doc)
	p2 := paraByNumber(t, doc.View, "2")
	for _, tt := range []struct {
		name, token, body string
		status            int
		want              string
	}{
		{"invalid UTF-8", tok["fra"], `{"name":"amendment.propose","command":{"proposer":"FRA","op":"insert","para":"` + string(p2.ID) + `","version":1,"start":0,"end":0,"newText":"caf` + "\xe9" + `"}}`, 400, `field \"command.newText\" is not valid UTF-8`},
		{"invalid UTF-8 in a key", tok["fra"], `{"name":"position.state","command":{"st` + "\xff" + `":"FRA"}}`, 400, `is not valid UTF-8`},
		{"unknown field in the command", tok["fra"], `{"name":"position.state","command":{"state":"FRA","para":"` + string(p2.ID) + `","kind":"support","weight":3}}`, 400, `unknown field command.weight`},
		{"unknown field in the envelope", tok["fra"], `{"name":"position.state","command":{},"priority":1}`, 400, `unknown field priority`},
		{"wrong type", tok["fra"], `{"name":"amendment.propose","command":{"proposer":"FRA","version":"4"}}`, 400, `field \"command.version\" must be a whole number, not a string`},
		{"plain date", tok["sec"], `{"name":"revision.issue","command":{"kind":"rev","date":"2027-03-01"}}`, 400, `field \"command.date\" must be a date and time such as \"2027-03-01T10:00:00Z\" (RFC 3339, with a time zone), not \"2027-03-01\"`},
		{"two values", tok["fra"], `{"name":"position.state","command":{}} {}`, 400, `holds more than one JSON value`},
		{"truncated", tok["fra"], `{"name":"position.state","command":{`, 400, `ends in the middle of a JSON value`},
	} {
		st, _, b := ts.rawCall(tt.token, "POST", "/api/documents/pr/commands", tt.body, nil)
		if st != tt.status || !strings.Contains(b, tt.want) || strings.Contains(b, "Go value") || strings.Contains(b, "2006-01-02") {
			t.Errorf("%s: %d %s, want %d containing %q", tt.name, st, b, tt.status, tt.want)
		}
	}
	// The same over the websocket, where the answer repeats the id.
	ws := ts.dial(tok["fra"], "pr", 0)
	ws.hello()
	if err := ws.conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"command","id":"u1","name":"position.state","command":{"state":"FRA","para":"`+string(p2.ID)+`","kind":"support","colour":"red"}}`)); err != nil {
		t.Fatal(err)
	}
	if m := ws.wait("u1", func(m ServerMessage) bool { return m.ID == "u1" }); m.Type != MsgError || m.Message != "unknown field command.colour; the fields are those of docs/protocol.md" || m.Seq == 0 {
		t.Errorf("unknown field over the websocket: %+v", m)
	}
	if err := ws.conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"command","id":"u2","name":"position.state","command":{"state":"FRA","para":"`+string(p2.ID)+`","kind":"support","comment":"caf`+"\xe9"+`"}}`)); err != nil {
		t.Fatal(err)
	}
	if m := ws.wait("u2", func(m ServerMessage) bool { return m.Type == MsgError }); !strings.Contains(m.Message, `field "command.comment" is not valid UTF-8`) {
		t.Errorf("invalid UTF-8 over the websocket: %+v", m)
	}
	var evs []engine.Event
	ts.call(tok["fra"], "GET", "/api/documents/pr/events", nil, &evs)
	for _, e := range evs {
		if b, _ := json.Marshal(e); strings.ContainsRune(string(b), '\uFFFD') || e.Type == "position.stated" || e.Type == "amendment.proposed" {
			t.Errorf("refused input was stored: %s", b)
		}
	}
	for _, path := range []string{"/api/documents/pr/revisions/-1", "/api/documents/pr/revisions/7"} {
		if st, _, b := ts.rawCall(tok["fra"], "GET", path, "", nil); st == 200 || (st != 404 && st != 400) || !strings.Contains(b, `"error"`) {
			t.Errorf("GET %s: %d %s, want 404 or 400 with an error", path, st, b)
		}
	}
	if st, _, b := ts.rawCall(tok["fra"], "GET", "/api/documents/pr/revisions/7", "", nil); st != 404 || !strings.Contains(b, "has no revision 7") {
		t.Errorf("GET revision 7: %d %s, want 404", st, b)
	}
}
