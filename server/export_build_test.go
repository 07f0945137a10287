package server

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/export"
)

// setHook sets the exporter's test hook.
func (x *exporter) setHook(f func()) {
	x.mu.Lock()
	x.hook = f
	x.mu.Unlock()
}

// fillPositions has FRA and CHN state positions on the test draft's
// paragraphs, n commands in all, through the room (concurrently, so the
// room batches them).
func fillPositions(t testing.TB, ts *testServer, n int) {
	t.Helper()
	rm, err := ts.srv.room("pr")
	if err != nil {
		t.Fatal(err)
	}
	states := []struct {
		actor engine.Actor
		state engine.StateCode
	}{
		{engine.Actor{Person: "fra-1", State: "FRA", Role: engine.RoleDelegate}, "FRA"},
		{engine.Actor{Person: "chn-1", State: "CHN", Role: engine.RoleDelegate}, "CHN"},
	}
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	for w := 0; w < 6; w++ { // one worker per (State, paragraph): its positions alternate
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			st := states[w%2]
			para := engine.ParagraphID(fmt.Sprintf("p%d", 1+w/2))
			for i := w; i < n; i += 6 {
				kind := []engine.PositionKind{engine.Support, engine.Oppose}[(i/6)%2]
				if _, err := rm.Submit(context.Background(), st.actor, "position.state", &engine.StatePosition{State: st.state, Para: para, Kind: kind}); err != nil {
					select {
					case errs <- err:
					default:
					}
					return
				}
			}
		}(w)
	}
	wg.Wait()
	select {
	case err := <-errs:
		t.Fatal(err)
	default:
	}
}

// download GETs a path as a person and returns the status, headers and
// body.
func download(t testing.TB, ts *testServer, token, path string) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", ts.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := (&http.Client{Timeout: 2 * time.Minute}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// TestRecordStreamed checks that the record, read from the log a page at
// a time (2,400 events: three pages), is byte for byte the record built
// at once from every event, in JSON (streamed entry by entry) and in
// Markdown and HTML.
func TestRecordStreamed(t *testing.T) {
	at := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	ts, tok := roomWithPeople(t, Config{Now: func() time.Time { return at }})
	fillPositions(t, ts, 2400)
	ctx := context.Background()
	doc, _, _, hash, err := engine.LoadDocument(ctx, ts.log, "pr")
	if err != nil {
		t.Fatal(err)
	}
	evs, err := ts.log.Read(ctx, engine.DocumentStream("pr"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) <= 2*recordPage {
		t.Fatalf("%d events: the record must span several pages", len(evs))
	}
	rec, err := export.BuildRecord(doc, evs, "", export.LiveMeta(doc, at, hash), ts.srv.dir.name)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []export.Format{export.JSON, export.Markdown, export.HTML} {
		want, err := export.Render(rec, f)
		if err != nil {
			t.Fatal(err)
		}
		code, h, got := download(t, ts, tok["ngo"], "/api/documents/pr/record?format="+string(f))
		if code != 200 || h.Get("Content-Type") != export.ContentType(f) {
			t.Fatalf("record %s: %d %s", f, code, h.Get("Content-Type"))
		}
		if !bytes.Equal(got, want) {
			i := 0
			for i < len(got) && i < len(want) && got[i] == want[i] {
				i++
			}
			t.Fatalf("record %s differs from the one built at once at byte %d of %d/%d: got %.80q, want %.80q", f, i, len(got), len(want), got[i:], want[i:])
		}
	}
	code, _, got := download(t, ts, tok["ngo"], "/api/documents/pr/record?format=json&meeting=none")
	if code != 404 {
		t.Fatalf("record of a meeting never held: %d %s", code, got)
	}
	// No entries, with a meeting: the same shape as encoding/json's.
	empty := &export.Record{Meta: rec.Meta, Meeting: "m-1", Entries: []export.RecordEntry{}}
	want, _ := empty.JSON()
	var buf bytes.Buffer
	if err := streamRecordJSON(empty, func(func([]export.RecordEntry) error) error { return nil }, func() {}, &buf); err != nil || !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("a record without entries: %v\n%s\nwant\n%s", err, buf.Bytes(), want)
	}
}

// TestExportCache: a second identical request is served from the cache;
// a command moves the stream on and the next request builds anew; five
// identical requests made while one build is held share it.
func TestExportCache(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{})
	x := ts.srv.exports
	for _, path := range []string{"/api/documents/pr/export?report=clean&format=md", "/api/documents/pr/record?format=json"} {
		b0 := x.built.Load()
		_, _, first := download(t, ts, tok["ngo"], path)
		_, _, second := download(t, ts, tok["chn"], path)
		if x.built.Load() != b0+1 || !bytes.Equal(first, second) {
			t.Fatalf("%s: %d builds for two identical requests (want 1), same body %v", path, x.built.Load()-b0, bytes.Equal(first, second))
		}
	}
	if st, e := ts.command(tok["fra"], "pr", "position.state", engine.StatePosition{State: "FRA", Para: "p1", Kind: engine.Support}); st != 200 {
		t.Fatalf("command: %d %+v", st, e)
	}
	b0 := x.built.Load()
	_, _, body := download(t, ts, tok["ngo"], "/api/documents/pr/record?format=json")
	if x.built.Load() != b0+1 || !bytes.Contains(body, []byte("FRA: support on paragraph 1")) {
		t.Fatalf("after a command: %d builds (want 1), record names the position: %v", x.built.Load()-b0, bytes.Contains(body, []byte("FRA: support")))
	}

	release := make(chan struct{})
	x.setHook(func() { <-release })
	defer x.setHook(nil)
	b0, h0 := x.built.Load(), x.hits.Load()
	var wg sync.WaitGroup
	bodies := make([][]byte, 5)
	for i := range bodies {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			_, _, bodies[i] = download(t, ts, tok["ngo"], "/api/documents/pr/export?report=status&format=html")
		}(i)
	}
	time.Sleep(50 * time.Millisecond) // lets the requests arrive; the counts below hold either way
	close(release)
	wg.Wait()
	if built, hits := x.built.Load()-b0, x.hits.Load()-h0; built != 1 || hits != 4 {
		t.Fatalf("five identical requests: %d builds and %d served from the one build, want 1 and 4", built, hits)
	}
	for _, b := range bodies[1:] {
		if !bytes.Equal(b, bodies[0]) {
			t.Fatal("identical requests got different bodies")
		}
	}
}

// TestAttackExportsDoNotHoldTheRoom is attack 4 of issue 16 made
// independent of speed: an observer's export is held in the middle of its
// build (a test hook), and a delegate's command is acknowledged
// meanwhile. When exports were built inside the room's goroutine, the
// command waited for the export, however long it took.
func TestAttackExportsDoNotHoldTheRoom(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{})
	x := ts.srv.exports
	entered, release := make(chan struct{}), make(chan struct{})
	var once sync.Once
	x.setHook(func() { once.Do(func() { close(entered) }); <-release })
	done := make(chan int)
	go func() {
		code, _, _ := download(t, ts, tok["ngo"], "/api/documents/pr/record?format=json")
		done <- code
	}()
	<-entered
	acked := make(chan int)
	go func() {
		st, _ := ts.command(tok["fra"], "pr", "position.state", engine.StatePosition{State: "FRA", Para: "p2", Kind: engine.Oppose})
		acked <- st
	}()
	select {
	case st := <-acked:
		if st != 200 {
			t.Fatalf("command during an export: %d", st)
		}
	case <-time.After(60 * time.Second): // only a room held by the export gets here
		close(release)
		t.Fatal("a command was not acknowledged while an export was being built: the export holds the room")
	}
	close(release)
	if code := <-done; code != 200 {
		t.Fatalf("the export: %d", code)
	}
}

// TestAttackExportFlood: with every build slot held, at most the queue
// waits; the next distinct export is refused with 503 and Retry-After,
// and the ones that waited are all answered once the slots free up.
func TestAttackExportFlood(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{})
	x := ts.srv.exports
	x.queue = 2
	var inBuild atomic.Int64
	release := make(chan struct{})
	x.setHook(func() { inBuild.Add(1); <-release })
	slots := int64(cap(x.slots))
	reqs := []string{"clean&format=md", "clean&format=html", "clean&format=json", "status&format=md", "status&format=html", "status&format=json", "compilation&format=md", "compilation&format=html"}
	n := int(slots + x.queue)
	if n >= len(reqs) {
		t.Skipf("%d slots: more than this test has distinct reports", slots)
	}
	codes := make(chan int, n)
	for _, q := range reqs[:n] {
		go func(q string) {
			code, _, _ := download(t, ts, tok["ngo"], "/api/documents/pr/export?report="+q)
			codes <- code
		}(q)
	}
	deadline := time.Now().Add(60 * time.Second)
	for inBuild.Load() < slots || x.waiting.Load() < x.queue {
		if time.Now().After(deadline) {
			t.Fatalf("%d building, %d waiting; want %d and %d", inBuild.Load(), x.waiting.Load(), slots, x.queue)
		}
		time.Sleep(5 * time.Millisecond)
	}
	if got := inBuild.Load(); got != slots {
		t.Fatalf("%d builds at once, want at most %d", got, slots)
	}
	code, h, body := download(t, ts, tok["ngo"], "/api/documents/pr/export?report="+reqs[n])
	if code != 503 || h.Get("Retry-After") == "" || !bytes.Contains(body, []byte("too many exports are being built")) {
		t.Fatalf("an export beyond the queue: %d Retry-After %q %s", code, h.Get("Retry-After"), body)
	}
	// The room is not affected.
	if st, e := ts.command(tok["fra"], "pr", "position.state", engine.StatePosition{State: "FRA", Para: "p1", Kind: engine.Support}); st != 200 {
		t.Fatalf("command while exports queue: %d %+v", st, e)
	}
	close(release)
	for i := 0; i < n; i++ {
		if c := <-codes; c != 200 {
			t.Fatalf("a queued export: %d", c)
		}
	}
	if got := inBuild.Load(); got != int64(n) {
		t.Fatalf("%d builds, want %d", got, n)
	}
}
