package server

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/gorilla/websocket"
)

// TestProtocolConformance is a client written from docs/protocol.md
// alone: it speaks raw JSON (maps and lists, never the server's own
// types), over HTTP and a websocket, and checks what the document
// promises: the login exchange, the hello and snapshot, the order of ack
// and events and which sequence an ack names, the error shapes and their
// codes, resuming with since, the command answer over HTTP, and the
// listing, revision, events and export endpoints with their content
// types. Only the first secretariat login code comes from outside the
// API, as "draftroom serve" prints it on first start.
func TestProtocolConformance(t *testing.T) {
	ts := startServer(t, Config{})
	sys := engine.Actor{Person: "system", Role: engine.RoleSystem}
	if _, err := ts.srv.dir.AddPerson(context.Background(), sys, Person{ID: "secretariat", Name: "Secretariat", Role: engine.RoleSecretariat}); err != nil {
		t.Fatal(err)
	}
	firstCode, _ := ts.srv.dir.IssueLogin(context.Background(), sys, "secretariat")

	type obj = map[string]any
	// call sends a JSON request as the document says: a bearer token,
	// Content-Type application/json on anything that is not a GET.
	call := func(token, method, path string, body any) (int, http.Header, any) {
		t.Helper()
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = strings.NewReader(string(b))
		}
		req, _ := http.NewRequest(method, ts.base+path, rd)
		if method != "GET" {
			req.Header.Set("Content-Type", "application/json")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		var out any
		if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			if err := json.Unmarshal(b, &out); err != nil {
				t.Fatalf("%s %s: not JSON: %q", method, path, b)
			}
		} else {
			out = string(b)
		}
		return resp.StatusCode, resp.Header, out
	}
	errorOf := func(v any) (string, string) {
		t.Helper()
		e, ok := v.(obj)["error"].(obj)
		if !ok {
			t.Fatalf("not the error shape: %v", v)
		}
		return e["code"].(string), e["message"].(string)
	}
	num := func(v any) uint64 { f, _ := v.(float64); return uint64(f) }

	// Logging in.
	st, _, out := call("", "POST", "/api/login", obj{"code": firstCode})
	if st != 200 {
		t.Fatalf("login: %d %v", st, out)
	}
	sec := out.(obj)["token"].(string)
	if st, _, out = call("", "POST", "/api/login", obj{"code": firstCode}); st != 401 {
		t.Fatalf("used code: %d %v", st, out)
	} else if code, _ := errorOf(out); code != "unauthorized" {
		t.Fatalf("used code: %v", out)
	}
	if st, _, out = call(sec, "POST", "/api/people", obj{"id": "fra-1", "name": "Delegate of France", "role": "delegate", "state": "FRA"}); st != 201 {
		t.Fatalf("register: %d %v", st, out)
	}
	st, _, out = call(sec, "POST", "/api/people/fra-1/logins", nil)
	if st != 201 || !strings.HasPrefix(out.(obj)["link"].(string), "/login?code=") {
		t.Fatalf("issue login: %d %v", st, out)
	}
	_, _, out = call("", "POST", "/api/login", obj{"code": out.(obj)["code"]})
	fra := out.(obj)["token"].(string)
	if _, _, out = call(fra, "GET", "/api/me", nil); out.(obj)["state"] != "FRA" {
		t.Fatalf("me: %v", out)
	}

	// A document.
	draft := "# Draft\n<!-- symbol: A/AC.292/2027/CRP.1 -->\n\n## A. Introduction\n\n1. States recalled resolution 75/240.\n\n2. States met in New York.\n"
	if st, _, out = call(sec, "POST", "/api/documents", obj{"id": "pr", "text": draft, "language": "en"}); st != 201 {
		t.Fatalf("create: %d %v", st, out)
	}
	_, _, out = call(fra, "GET", "/api/documents", nil)
	if list := out.([]any); len(list) != 1 || list[0].(obj)["id"] != "pr" {
		t.Fatalf("list: %v", out)
	}

	// Opening a room: hello, then snapshot, each with seq.
	type socket struct {
		conn *websocket.Conn
		msgs []obj
	}
	open := func(token string, since uint64) *socket {
		t.Helper()
		h := http.Header{"Authorization": {"Bearer " + token}}
		conn, _, err := websocket.DefaultDialer.Dial(fmt.Sprintf("%s/ws/documents/pr?since=%d", strings.Replace(ts.base, "http", "ws", 1), since), h)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		return &socket{conn: conn}
	}
	// next reads messages (every frame is an array of messages) until one
	// satisfies f.
	next := func(s *socket, what string, f func(obj) bool) obj {
		t.Helper()
		_ = s.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		for {
			for _, m := range s.msgs {
				if f(m) {
					return m
				}
			}
			_, data, err := s.conn.ReadMessage()
			if err != nil {
				t.Fatalf("waiting for %s: %v", what, err)
			}
			var batch []any
			if err := json.Unmarshal(data, &batch); err != nil {
				t.Fatalf("a frame is not an array of messages: %s", data)
			}
			for _, m := range batch {
				m := m.(obj)
				if _, ok := m["seq"]; !ok {
					t.Fatalf("message without seq: %v", m)
				}
				s.msgs = append(s.msgs, m)
			}
		}
	}
	is := func(typ string) func(obj) bool { return func(m obj) bool { return m["type"] == typ } }
	ws := open(fra, 0)
	hello := next(ws, "hello", is("hello"))
	if ws.msgs[0]["type"] != "hello" || hello["room"] != "pr" || hello["you"].(obj)["state"] != "FRA" {
		t.Fatalf("hello: %v", hello)
	}
	snap := next(ws, "snapshot", is("snapshot"))
	if num(snap["seq"]) != num(hello["seq"]) {
		t.Fatalf("snapshot seq %v, hello seq %v", snap["seq"], hello["seq"])
	}
	var para obj
	for _, p := range snap["view"].(obj)["paragraphs"].([]any) {
		if p.(obj)["number"] == "1" {
			para = p.(obj)
		}
	}
	start := num(hello["seq"])

	// A command: the ack comes first and names the streamSeq of the
	// command's last event; the events message carrying it follows.
	send := func(s *socket, m obj) {
		t.Helper()
		b, _ := json.Marshal(m)
		if err := s.conn.WriteMessage(websocket.TextMessage, b); err != nil {
			t.Fatal(err)
		}
	}
	send(ws, obj{"type": "command", "id": "c1", "name": "amendment.propose", "command": obj{"proposer": "FRA", "op": "replace", "para": para["id"], "version": para["version"], "start": 7, "end": 15, "newText": "reaffirmed"}})
	ack := next(ws, "ack c1", func(m obj) bool { return m["id"] == "c1" })
	if ack["type"] != "ack" || num(ack["seq"]) != start+1 {
		t.Fatalf("ack: %v, want seq %d", ack, start+1)
	}
	ackAt := len(ws.msgs) - 1
	for i, m := range ws.msgs {
		if m["id"] == "c1" {
			ackAt = i
		}
	}
	ev := next(ws, "events", func(m obj) bool {
		if m["type"] != "events" {
			return false
		}
		for _, e := range m["events"].([]any) {
			if num(e.(obj)["streamSeq"]) == num(ack["seq"]) {
				return true
			}
		}
		return false
	})
	for i, m := range ws.msgs {
		if m["type"] == "events" && i < ackAt {
			t.Fatalf("an events message (%v) came before the ack", m)
		}
	}
	if a := ev["amendments"].([]any); len(a) != 1 || a[0].(obj)["proposer"] != "FRA" || num(ev["seq"]) < num(ack["seq"]) {
		t.Fatalf("events message: %v", ev)
	}

	// Errors: the error message repeats the id, carries a code, a plain
	// message naming the field and the room's seq.
	send(ws, obj{"type": "command", "id": "c2", "name": "position.state", "command": obj{"state": "FRA", "para": para["id"], "kind": "support", "weight": 2}})
	e := next(ws, "error c2", func(m obj) bool { return m["id"] == "c2" })
	if e["type"] != "error" || e["code"] != "invalid" || !strings.Contains(e["message"].(string), "unknown field command.weight") || num(e["seq"]) != start+1 {
		t.Fatalf("error: %v", e)
	}
	send(ws, obj{"type": "command", "id": "c3", "name": "position.state", "command": obj{"state": "CHN", "para": para["id"], "kind": "oppose"}})
	if e := next(ws, "error c3", func(m obj) bool { return m["id"] == "c3" }); e["code"] != "forbidden" {
		t.Fatalf("acting for another State: %v", e)
	}

	// Over HTTP: the same names and bodies; the answer's seq is the last
	// event's streamSeq.
	st, _, out = call(fra, "POST", "/api/documents/pr/commands", obj{"name": "position.state", "command": obj{"state": "FRA", "para": para["id"], "kind": "support"}})
	if st != 200 {
		t.Fatalf("HTTP command: %d %v", st, out)
	}
	evs := out.(obj)["events"].([]any)
	if num(out.(obj)["seq"]) != num(evs[len(evs)-1].(obj)["streamSeq"]) || num(out.(obj)["seq"]) != start+2 {
		t.Fatalf("HTTP answer: %v", out)
	}
	for _, tt := range []struct {
		method, path string
		body         any
		status       int
		code         string
	}{
		{"POST", "/api/documents/pr/commands", obj{"name": "no.such", "command": obj{}}, 400, "invalid"},
		{"POST", "/api/documents/pr/commands", obj{"name": "revision.issue", "command": obj{"kind": "rev"}}, 403, "forbidden"},
		{"GET", "/api/documents/nope", nil, 404, "not_found"},
		{"GET", "/api/documents/pr/revisions/9", nil, 404, "not_found"},
		{"POST", "/api/documents/pr/commands", obj{"name": "amendment.propose", "command": obj{"proposer": "FRA", "op": "replace", "para": para["id"], "version": 99, "start": 7, "end": 15, "newText": "x"}}, 409, "conflict"},
	} {
		st, _, out := call(fra, tt.method, tt.path, tt.body)
		if code, _ := errorOf(out); st != tt.status || code != tt.code {
			t.Errorf("%s %s: %d %v, want %d %s", tt.method, tt.path, st, out, tt.status, tt.code)
		}
	}
	if st, _, out := call("", "GET", "/api/me", nil); st != 401 {
		t.Errorf("no session: %d %v", st, out)
	}

	// Resuming: since = the last streamSeq seen before; exactly the
	// events after it.
	ws2 := open(fra, start+1)
	h2 := next(ws2, "hello", is("hello"))
	if h2["resumed"] != true || len(h2["events"].([]any)) != 1 || num(h2["events"].([]any)[0].(obj)["streamSeq"]) != start+2 {
		t.Fatalf("resumed hello: %v", h2)
	}

	// Events, revisions, exports.
	_, _, out = call(fra, "GET", fmt.Sprintf("/api/documents/pr/events?since=%d", start), nil)
	if list := out.([]any); len(list) != 2 || num(list[0].(obj)["streamSeq"]) != start+1 {
		t.Fatalf("events since %d: %v", start, out)
	}
	st, _, out = call(sec, "POST", "/api/documents/pr/commands", obj{"name": "revision.issue", "command": obj{"kind": "zero-draft", "date": "2027-03-01T10:00:00Z"}})
	if st != 200 {
		t.Fatalf("revision.issue: %d %v", st, out)
	}
	if st, _, out = call(fra, "GET", "/api/documents/pr/revisions/0", nil); st != 200 || out.(obj)["kind"] != "zero-draft" {
		t.Fatalf("revision 0: %d %v", st, out)
	}
	for format, ctype := range map[string]string{"": "text/markdown", "md": "text/markdown", "html": "text/html", "json": "application/json", "akn": "application/akn+xml",
		"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"} {
		st, h, _ := call(fra, "GET", "/api/documents/pr/export?format="+format, nil)
		if st != 200 || !strings.HasPrefix(h.Get("Content-Type"), ctype) || !strings.Contains(h.Get("Content-Disposition"), "attachment") {
			t.Errorf("export format %q: %d %q", format, st, h.Get("Content-Type"))
		}
	}
	if st, _, out := call(fra, "GET", "/api/documents/pr/export?report=tally", nil); st != 400 {
		t.Errorf("unknown report: %d %v", st, out)
	}
}
