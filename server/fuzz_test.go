package server

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine"
)

// FuzzClientMessage feeds arbitrary bytes through what the server does
// with a websocket message before it reaches a room: decode the envelope,
// decode and authorise the command. Nothing may panic, and every refusal
// must be a user-facing error with a code.
func FuzzClientMessage(f *testing.F) {
	for _, s := range []string{
		`{"type":"command","id":"c1","name":"amendment.propose","command":{"proposer":"FRA","op":"replace","para":"p2","version":1,"start":0,"end":6,"newText":"Les États"}}`,
		`{"type":"command","id":"c2","name":"paragraph.edit","command":{"para":"p1","version":1,"start":0,"end":0,"insert":"各国"}}`,
		`{"type":"command","id":"c3","name":"position.state","command":{"state":"EGY","para":"p1","kind":"oppose","comment":"ينبغي"}}`,
		`{"type":"command","id":"c4","name":"brackets.add","command":{"para":"p1","version":1,"start":0,"end":3,"by":["RUS"]}}`,
		`{"type":"command","name":"revision.issue","command":{"kind":"rev","date":"2027-01-01T00:00:00Z"}}`,
		`{"type":"command","name":"amendment.decide","command":{"amendment":"a1","outcome":"withdrawn"}}`,
		`{"type":"command","name":"nope","command":[]}`,
		`{"type":"command","name":"paragraph.edit","command":{"version":"one"}}`,
		`[1,2,3]`, `{"type":`, "\xff\xfe",
	} {
		f.Add([]byte(s))
	}
	actors := []engine.Actor{
		{Person: "d", State: "FRA", Role: engine.RoleDelegate},
		{Person: "c", Role: engine.RoleOfficer},
		{Person: "s", Role: engine.RoleSecretariat},
		{Person: "o", Role: engine.RoleObserver},
	}
	doc := engine.NewDocument()
	draft, _, _ := engine.ImportDraft(testDraftForFuzz)
	if _, err := doc.Execute(engine.Context{Actor: actors[2]}, engine.CreateDocument{ID: "f", Draft: draft}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var msg ClientMessage
		if err := json.Unmarshal(data, &msg); err != nil {
			return
		}
		for _, a := range actors {
			cmd, err := decodeCommand(fuzzServer, "f", a, msg.Name, msg.Command)
			if err != nil {
				if engine.ErrorCode(err) == engine.EINTERNAL || engine.ErrorMessage(err) == "" {
					t.Fatalf("refusal without a user-facing message: %v", err)
				}
				continue
			}
			if a.Role == engine.RoleObserver {
				t.Fatalf("an observer's %s got through", msg.Name)
			}
			// The engine must refuse or accept without panicking.
			if _, err := doc.Decide(engine.Context{Actor: a}, cmd); err != nil && engine.ErrorCode(err) == engine.EINTERNAL {
				t.Fatalf("internal error deciding %s: %v", msg.Name, err)
			}
		}
	})
}

// fuzzServer has no processes: a reading cannot be opened, with a clear
// refusal.
var fuzzServer = &Server{processes: map[engine.ProcessID]*processEntry{}}

const testDraftForFuzz = "# T\n<!-- symbol: X/1 -->\n\n## A\n\n1. States [shall][should] act.\n\n2. ينبغي للدول [أن تنظر].\n"

// FuzzAPIBody sends arbitrary bytes as the body of every endpoint that
// reads one, through the real handler of a server on a real SQLite file
// with a document and a process, as the secretariat, a delegate, an
// observer and nobody. Nothing may panic, nothing may
// fail as an internal error (500), and every refusal must be the API's
// one error shape with a code and a message.
func FuzzAPIBody(f *testing.F) {
	for _, s := range []string{
		`{"code":"K7QF-M2XP-9D3A"}`,
		`{"id":"gbr-1","name":"United Kingdom","role":"delegate","state":"GBR"}`,
		`{"id":"x","name":"ngo","role":"observer","org":"<script>alert(1)</script>"}`,
		`{"template":"oewg-2021-2025"}`,
		`{"name":"meeting.schedule","command":{"kind":"plenary","start":"2027-01-01T10:00:00Z"}}`,
		`{"id":"d2","text":"# T\n<!-- symbol: X/2 -->\n\n## A\n\n1. States [shall][should] act.\n"}`,
		`{"name":"paragraph.edit","command":{"para":"p1","version":1,"start":0,"end":0,"insert":"各国"}}`,
		`{"name":"position.state","command":{"state":"FRA","para":"p1","kind":"oppose","comment":"ينبغي"}}`,
		`{"name":"amendment.propose","command":{"proposer":"CHN","op":"replace","para":"p1","version":1,"start":0,"end":3,"newText":"x"}}`,
		`{"unknown":1}`, `[]`, `null`, `{"name":`, "\xff\xfe\x00", `{"code":"` + strings.Repeat("A", 300) + `"}`,
	} {
		f.Add([]byte(s))
	}
	ts, tok := roomWithPeople(f, Config{})
	var pm ProcessSummary
	if st := ts.call(tok["sec"], "POST", "/api/processes", CreateProcessRequest{Template: "permanent-mechanism"}, &pm); st != 201 {
		f.Fatalf("creating the process: %d", st)
	}
	pmCommands := "/api/processes/" + string(pm.ID) + "/commands"
	endpoints := []struct{ token, path string }{
		{"", "/api/login"},
		{tok["sec"], "/api/people"},
		{tok["sec"], "/api/people/fra-1/logins"},
		{tok["sec"], "/api/processes"},
		{tok["sec"], pmCommands},
		{tok["fra"], pmCommands},
		{tok["sec"], "/api/documents"},
		{tok["sec"], "/api/documents/pr/commands"},
		{tok["fra"], "/api/documents/pr/commands"},
		{tok["ngo"], "/api/documents/pr/commands"},
	}
	h := ts.srv.Handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, e := range endpoints {
			req := httptest.NewRequest("POST", e.path, bytes.NewReader(body))
			req.RemoteAddr = "127.0.0.1:1"
			req.Host = "127.0.0.1" // the server answers to its own host only (DNS rebinding)
			req.Header.Set("Content-Type", "application/json")
			if e.token != "" {
				req.Header.Set("Authorization", "Bearer "+e.token)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code >= 500 {
				t.Fatalf("POST %s answered %d to %q: %s", e.path, rec.Code, body, rec.Body)
			}
			if rec.Code < 400 {
				continue
			}
			var eb ErrorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &eb); err != nil || eb.Error.Code == "" || eb.Error.Message == "" {
				t.Fatalf("POST %s refused %q with %d and a body that is not the error shape: %s", e.path, body, rec.Code, rec.Body)
			}
		}
	})
}
