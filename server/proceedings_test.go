package server

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// clock is a test clock the test moves forward.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// TestProceedings sets up the permanent mechanism from its template, opens
// a second reading of a plenary document in the 2026 substantive plenary,
// runs the floor, refuses consensus while a State objects, and lets a
// silence procedure pass unbroken when its clock runs out.
func TestProceedings(t *testing.T) {
	clk := &clock{t: time.Date(2026, 7, 7, 10, 0, 0, 0, time.UTC)}
	ts := startServer(t, Config{Now: clk.now})
	tok := map[string]string{
		"sec":   ts.person(Person{ID: "sec", Name: "Secretariat", Role: engine.RoleSecretariat}),
		"chair": ts.person(Person{ID: "chair-gm-1", Name: "Chair", Role: engine.RoleOfficer}),
		"fra":   ts.person(Person{ID: "fra-1", Name: "France", Role: engine.RoleDelegate, State: "FRA"}),
		"chn":   ts.person(Person{ID: "chn-1", Name: "China", Role: engine.RoleDelegate, State: "CHN"}),
	}
	var e apiError
	if st := ts.call(tok["sec"], "POST", "/api/processes", CreateProcessRequest{Template: "permanent-mechanism"}, &e); st != 201 {
		t.Fatalf("process from template: %d %+v", st, e)
	}
	if st := ts.call(tok["sec"], "POST", "/api/processes", CreateProcessRequest{Template: "../etc"}, &e); st != 400 || !strings.Contains(e.Error.Message, "is not one of") {
		t.Errorf("bad template: %d %+v", st, e)
	}
	var created CreateDocumentResponse
	if st := ts.call(tok["sec"], "POST", "/api/documents", CreateDocumentRequest{ID: "pr", Text: testDraft, Process: "permanent-mechanism", Body: "plenary"}, &created); st != 201 {
		t.Fatalf("document in the plenary: %d", st)
	}
	if st := ts.call(tok["sec"], "POST", "/api/documents", CreateDocumentRequest{ID: "x", Text: testDraft, Process: "permanent-mechanism", Body: "nope"}, &e); st != 404 || !strings.HasPrefix(e.Error.Message, "body: ") {
		t.Errorf("unknown body: %d %+v", st, e)
	}
	chair := ts.dial(tok["chair"], "pr", 0)
	fra := ts.dial(tok["fra"], "pr", 0)
	chair.hello()
	fra.hello()
	step := func(c *wsClient, id, name string, cmd any) {
		t.Helper()
		c.send(id, name, cmd)
		c.ack(id)
	}
	step(chair, "r0", "reading.open", OpenReadingRequest{Kind: engine.FirstReading, Process: "permanent-mechanism", Meeting: "plenary-2026"})
	fra.send("a0", "amendment.propose", engine.ProposeAmendment{Proposer: "FRA", Op: engine.OpDelete, Para: "p2", Version: 1, Start: 0, End: 7})
	if m := fra.wait("refusal", func(m ServerMessage) bool { return m.ID == "a0" }); m.Type != MsgError || !strings.Contains(m.Message, "general comments only") {
		t.Errorf("textual proposal in the first reading: %+v", m)
	}
	step(chair, "r00", "reading.close", engine.CloseReading{})
	step(chair, "r1", "reading.open", OpenReadingRequest{Kind: engine.SecondReading, Process: "permanent-mechanism", Meeting: "plenary-2026"})
	step(chair, "r2", "reading.read", engine.ReadParagraph{Para: "p2"})
	step(fra, "f1", "floor.ask", engine.AskFloor{Delegation: "FRA"})
	m := chair.event("floor.asked")
	room := m.RoomState
	if m.View != nil { // coalesced with the pointer move, which sends the whole view
		room = m.View.Room
	}
	if room == nil || room.Reading == nil || len(room.Reading.Queue) != 1 || room.Reading.Queue[0].Delegation != "FRA" || room.Reading.Now != "p2" {
		t.Errorf("the chair's view of the floor after France asked: %+v", room)
	}
	fra.send("f2", "floor.ask", engine.AskFloor{Delegation: "FRA"})
	if m := fra.wait("refusal", func(m ServerMessage) bool { return m.ID == "f2" }); m.Type != MsgError || !strings.Contains(m.Message, "a delegation's delegates share one place") {
		t.Errorf("second request for the floor: %+v", m)
	}
	step(chair, "f3", "floor.next", engine.NextSpeaker{})
	step(fra, "a1", "amendment.propose", engine.ProposeAmendment{Proposer: "FRA", Op: engine.OpReplace, Para: "p2", Version: 1, Start: 7, End: 15, NewText: "reaffirmed"})
	if st, e := ts.command(tok["chn"], "pr", "position.state", engine.StatePosition{State: "CHN", Para: "p2", Kind: engine.Oppose}); st != 200 {
		t.Fatalf("objection: %d %+v", st, e)
	}
	step(fra, "a2", "amendment.decide", engine.DecideAmendment{Amendment: "a1", Outcome: engine.Withdrawn})
	chair.send("d1", "decision.take", engine.TakeDecision{Kind: engine.AgreeAdRef, Para: "p2"})
	if m := chair.wait("refusal", func(m ServerMessage) bool { return m.ID == "d1" }); m.Type != MsgError || !strings.Contains(m.Message, "China") && !strings.Contains(m.Message, "CHN") {
		t.Errorf("consensus with an objection standing: %+v", m)
	}
	// Paragraph 3 is uncontroversial: a silence procedure on it, then the
	// clock runs out and the room closes it.
	step(chair, "r3", "reading.read", engine.ReadParagraph{Para: "p3"})
	step(chair, "b1", "brackets.clear", engine.ClearBrackets{Para: "p3", Version: 1, Index: 0})
	step(chair, "s1", "silence.open", engine.OpenSilence{Para: "p3"})
	req, _ := http.NewRequest("GET", ts.base+"/api/documents/pr/export?report=status&format=md", nil)
	req.Header.Set("Authorization", "Bearer "+tok["fra"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "paragraph 3 (agreement ad ref)") || !strings.Contains(string(body), "10 July 2026") {
		t.Errorf("status report does not list the open silence procedure with its deadline:\n%s", body)
	}
	// The record of the meeting names who did what, when.
	req, _ = http.NewRequest("GET", ts.base+"/api/documents/pr/record?meeting=plenary-2026&format=md", nil)
	req.Header.Set("Authorization", "Bearer "+tok["chn"])
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{"Record of meeting plenary-2026", "France, FRA, delegate · FRA proposed amendment a1 (replace) to paragraph 2",
		"China, CHN, delegate · CHN: oppose on paragraph 2", "7 July 2026, 10:00:00 UTC"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("record lacks %q:\n%s", want, body)
		}
	}
	req, _ = http.NewRequest("GET", ts.base+"/api/documents/pr/record?meeting=org-2026", nil)
	req.Header.Set("Authorization", "Bearer "+tok["chn"])
	if resp, err = http.DefaultClient.Do(req); err != nil || resp.StatusCode != 404 {
		t.Errorf("record of a meeting with no reading: %v %d", err, resp.StatusCode)
	}
	clk.add(73 * time.Hour)
	m = fra.event("silence.closed")
	var status engine.ParagraphStatus
	for _, p := range m.Paragraphs {
		if p.ID == "p3" {
			status = p.Status
		}
	}
	if m.View != nil {
		for _, p := range m.View.Paragraphs {
			if p.ID == "p3" {
				status = p.Status
			}
		}
	}
	if status != engine.StatusAgreedAdRef {
		t.Errorf("paragraph 3 after an unbroken silence: %q, want agreed ad ref", status)
	}
	// A restart rebuilds the process and the room from the log.
	ts.stop()
	again, err := New(context.Background(), Config{Log: ts.log, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if _, err := again.meetingRef("permanent-mechanism", "plenary-2026"); err != nil {
		t.Errorf("process not rebuilt after a restart: %v", err)
	}
	rm, err := again.room("pr")
	if err != nil {
		t.Fatal(err)
	}
	rm.Read(context.Background(), func(d *engine.Document, _ uint64, _ string) {
		if d.Paragraphs["p3"].Status != engine.StatusAgreedAdRef || d.Process != "permanent-mechanism" {
			t.Errorf("room after a restart: p3 %s, process %q", d.Paragraphs["p3"].Status, d.Process)
		}
	})
}
