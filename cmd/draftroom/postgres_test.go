package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine/postgres/pgtest"
	"github.com/jackc/pgx/v5"
)

// sendPositions sends n position.state commands as token, waiting out
// the command rate limit, and fails the test on any other refusal.
func sendPositions(t *testing.T, base, token string, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		switch code := sendPosition(t, base, token, i); code {
		case 200:
		case 429:
			time.Sleep(time.Second)
			i--
		default:
			t.Fatalf("command %d: status %d", i, code)
		}
	}
}

// reHead is what verify, backup and store copy print as the head.
var reHead = regexp.MustCompile(`head (\d+:[0-9a-f]{64})`)

// runBin runs the binary and returns its exit code and output.
func runBin(t *testing.T, bin string, args ...string) (int, string) {
	t.Helper()
	out, err := exec.Command(bin, args...).CombinedOutput()
	return exitCode(err), string(out)
}

// TestPostgresStore is the store switch through the real binary: serve
// on a PostgreSQL database (the demo, commands from a delegation, health,
// an anchor file), then verify (with and without heads), export -db,
// backup to a SQLite file, store copy to SQLite and from there to a
// second PostgreSQL database, each copy ending at the same head; the
// export of the copy names the same hash; serve runs on the copy;
// copying onto a log that holds events and verifying a tampered one are
// refused.
func TestPostgresStore(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	url := pgtest.NewDatabase(t)
	anchors := filepath.Join(dir, "node.anchors")
	r := startServe(t, bin, url, "-anchors", anchors)
	if code, body := healthOf(t, r.base, "/healthz"); code != 200 || !strings.Contains(body, `"ok"`) {
		t.Fatalf("/healthz on PostgreSQL: %d %s", code, body)
	}
	sendPositions(t, r.base, r.login(t, "fra-1"), 30)
	r.cmd.Process.Signal(syscall.SIGTERM)
	if err := r.cmd.Wait(); err != nil {
		t.Fatalf("serve did not stop cleanly: %v", err)
	}

	code, out := runBin(t, bin, "verify", url, "-anchors", anchors)
	m := reHead.FindStringSubmatch(out)
	if code != 0 || m == nil || !strings.Contains(out, "anchors of "+anchors+" are in the chain") {
		t.Fatalf("verify %s: exit %d\n%s", url, code, out)
	}
	head := m[1]
	hash := head[strings.IndexByte(head, ':')+1:]
	if code, out := runBin(t, bin, "verify", url, "-head", head); code != 0 || !strings.Contains(out, "ok: 1 heads given are in the chain") {
		t.Fatalf("verify -head %s: exit %d\n%s", head, code, out)
	}
	seq, _ := strconv.Atoi(head[:strings.IndexByte(head, ':')])
	if code, out := runBin(t, bin, "verify", url, "-head", strconv.Itoa(seq+5)+":"+hash); code != 1 || !strings.Contains(out, "missing from its end") {
		t.Fatalf("verify with a head beyond the log: exit %d\n%s", code, out)
	}

	code, md := runBin(t, bin, "export", "-db", url, "-doc", "progress-report", "-format", "md")
	if code != 0 || !strings.Contains(md, hash) {
		t.Fatalf("export -db %s: exit %d, want the log's head hash %s in it\n%.500s", url, code, hash, md)
	}

	backup := filepath.Join(dir, "backup.db")
	if code, out := runBin(t, bin, "backup", url, backup); code != 0 || !strings.Contains(out, "head "+head) {
		t.Fatalf("backup %s: exit %d\n%s", url, code, out)
	}
	if code, out := runBin(t, bin, "verify", backup, "-anchors", anchors); code != 0 || !strings.Contains(out, "head "+head) {
		t.Fatalf("verify the backup with the node's anchors: exit %d\n%s", code, out)
	}
	if code, out := runBin(t, bin, "backup", url, backup); code != 1 || !strings.Contains(out, "already exists") {
		t.Fatalf("backup over a file: exit %d\n%s", code, out)
	}

	lite := filepath.Join(dir, "copy.db")
	if code, out := runBin(t, bin, "store", "copy", url, lite); code != 0 || !strings.Contains(out, "head "+head+" on both") {
		t.Fatalf("store copy to SQLite: exit %d\n%s", code, out)
	}
	url2 := pgtest.NewDatabase(t)
	if code, out := runBin(t, bin, "store", "copy", lite, url2); code != 0 || !strings.Contains(out, "head "+head+" on both") {
		t.Fatalf("store copy back to PostgreSQL: exit %d\n%s", code, out)
	}
	if code, out := runBin(t, bin, "store", "copy", lite, url2); code != 1 || !strings.Contains(out, "already holds events") {
		t.Fatalf("store copy onto a log with events: exit %d\n%s", code, out)
	}
	if code, md2 := runBin(t, bin, "export", "-db", url2, "-doc", "progress-report", "-format", "md"); code != 0 || !strings.Contains(md2, hash) {
		t.Fatalf("export of the copy: exit %d, want the same head hash %s\n%.500s", code, hash, md2)
	}
	r2 := startServe(t, bin, url2)
	sendPositions(t, r2.base, r2.login(t, "fra-1"), 3)
	r2.cmd.Process.Signal(syscall.SIGTERM)
	r2.cmd.Wait()
	if code, out := runBin(t, bin, "verify", url2, "-head", head); code != 0 {
		t.Fatalf("the copy after serving on it: exit %d\n%s", code, out)
	}

	pgtest.Exec(t, url, `UPDATE events SET actor = '{"person":"x"}' WHERE seq = 7`)
	if code, out := runBin(t, bin, "verify", url); code != 1 || !strings.Contains(out, "broken: event 7") {
		t.Fatalf("verify of a tampered database: exit %d\n%s", code, out)
	}
	if code, out := runBin(t, bin, "store", "copy", url, filepath.Join(dir, "never.db")); code != 1 || !strings.Contains(out, "a broken chain is not copied") {
		t.Fatalf("store copy of a broken log: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "never.db")); err == nil {
		t.Error("store copy of a broken log created the destination")
	}
}

// TestPostgresHealth: /healthz and /readyz answer 503 naming the trouble
// once a command fails because the database refuses writes (set
// read-only, every session cut), and 200 again once it takes them, with
// nobody sending anything: the server probes the store itself.
func TestPostgresHealth(t *testing.T) {
	bin := buildBinary(t)
	url := pgtest.NewDatabase(t)
	r := startServe(t, bin, url)
	defer func() { r.cmd.Process.Kill(); r.cmd.Wait() }()
	token := r.login(t, "fra-1")
	sendPositions(t, r.base, token, 2)
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	admin := pgtest.ServerURL()
	pgtest.Exec(t, admin, `ALTER DATABASE `+cfg.Database+` SET default_transaction_read_only = on`)
	pgtest.Exec(t, admin, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, cfg.Database)
	failed := false
	for i := 0; i < 20 && !failed; i++ {
		failed = sendPosition(t, r.base, token, i) >= 500
	}
	if !failed {
		t.Fatal("commands still succeed on a read-only database")
	}
	body := waitFor(t, r.base, "/healthz", 503)
	if !strings.Contains(body, "read-only") && !strings.Contains(body, "went away") {
		t.Errorf("/healthz while read-only: %s", body)
	}
	waitFor(t, r.base, "/readyz", 503)
	pgtest.Exec(t, admin, `ALTER DATABASE `+cfg.Database+` RESET default_transaction_read_only`)
	pgtest.Exec(t, admin, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, cfg.Database)
	waitFor(t, r.base, "/healthz", 200)
	waitFor(t, r.base, "/readyz", 200)
	sendPositions(t, r.base, token, 2)
}

// TestPostgresTwoNodesShared: two serve nodes on one PostgreSQL database
// share logins, processes and rooms through the log. The second start
// issued login codes the first node's directory learns of only from the
// log: a login there with such a code works (it was refused as a
// conflict before nodes followed each other). Commands sent to either
// node are decided by the room's one owner and reach both nodes' state;
// process commands sent to each node in turn, each on a state the other
// just changed, are all stored; the chain stays one and verifies.
func TestPostgresTwoNodesShared(t *testing.T) {
	bin := buildBinary(t)
	url := pgtest.NewDatabase(t)
	a := startServe(t, bin, url)
	defer func() { a.cmd.Process.Kill(); a.cmd.Wait() }()
	b := startServe(t, bin, url)
	defer func() { b.cmd.Process.Kill(); b.cmd.Wait() }()
	// Each node logs in with the codes the other issued.
	a.codes, b.codes = b.codes, a.codes
	fraA, fraB := a.login(t, "fra-1"), b.login(t, "fra-1")
	sendPositions(t, a.base, fraA, 3)
	sendPositions(t, b.base, fraB, 3)
	// The owner loses its lease (its session ends, the node lives on):
	// it follows from then on, the room is taken over, commands to both
	// nodes go on.
	pgtest.Exec(t, url, `SELECT pg_terminate_backend(pid) FROM lease_holders WHERE name = 'doc/progress-report'`)
	// While the room changes hands a command may be refused as a
	// conflict (409: nothing stored, send it again); never anything else.
	for _, n := range []struct{ base, token string }{{a.base, fraA}, {b.base, fraB}, {a.base, fraA}} {
		for i, deadline := 0, time.Now().Add(60*time.Second); i < 3; i++ {
			switch code := sendPosition(t, n.base, n.token, i); {
			case code == 200:
			case (code == 409 || code == 429) && time.Now().Before(deadline):
				time.Sleep(100 * time.Millisecond)
				i--
			default:
				t.Fatalf("command %d to %s after the lease was lost: status %d", i, n.base, code)
			}
		}
	}

	secA, secB := a.login(t, "secretariat"), b.login(t, "secretariat")
	for i := 0; i < 4; i++ {
		base, token := a.base, secA
		if i%2 == 1 {
			base, token = b.base, secB
		}
		cmd := fmt.Sprintf(`{"name":"meeting.schedule","command":{"id":"m%d","body":"plenary","kind":"intersessional","title":"Meeting %d","venue":"New York","start":"2027-0%d-01T10:00:00Z","end":"2027-0%d-01T13:00:00Z"}}`, i, i, i+1, i+1)
		req, _ := http.NewRequest("POST", base+"/api/processes/permanent-mechanism/commands", strings.NewReader(cmd))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("meeting.schedule %d on %s: %d %s", i, base, resp.StatusCode, msg)
		}
	}
	// Group drafts, saved on each node in turn (the second on a state the
	// other node just changed), are all there on both.
	for i, n := range []struct{ base, token string }{{a.base, fraA}, {b.base, fraB}, {a.base, fraA}} {
		body := fmt.Sprintf(`{"name":"draft.save","command":{"group":"FRA","op":"add-paragraph","para":"p1","newText":"France's draft %d."}}`, i)
		req, _ := http.NewRequest("POST", n.base+"/api/documents/progress-report/drafts", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+n.token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		msg, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("draft.save %d on %s: %d %s", i, n.base, resp.StatusCode, msg)
		}
	}
	drafts := func(base, token string) int {
		req, _ := http.NewRequest("GET", base+"/api/documents/progress-report/drafts", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct{ Drafts []json.RawMessage }
		json.NewDecoder(resp.Body).Decode(&out)
		return len(out.Drafts)
	}
	waitUntil(t, 60*time.Second, "both nodes to list the three drafts", func() bool { return drafts(a.base, fraA) == 3 && drafts(b.base, fraB) == 3 })

	// A document created on b is owned by b and followed by a, which
	// learns of it from the log; a command sent to a is decided by b.
	doc := `{"id":"second","text":"# Second\n\n## A\n\n1. States act.\n","language":"en"}`
	req, _ := http.NewRequest("POST", b.base+"/api/documents", strings.NewReader(doc))
	req.Header.Set("Authorization", "Bearer "+secB)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("create a document on b: %d", resp.StatusCode)
	}
	waitUntil(t, 60*time.Second, "node a to follow the document created on b, which owns it", func() bool {
		ma, mb := nodeMetrics(t, a.base), nodeMetrics(t, b.base)
		return slices.Contains(mb.Cluster.Owned, "second") && slices.Contains(ma.Cluster.Followed, "second")
	})
	pos := `{"name":"position.state","command":{"state":"FRA","para":"p1","kind":"support"}}`
	req, _ = http.NewRequest("POST", a.base+"/api/documents/second/commands", strings.NewReader(pos))
	req.Header.Set("Authorization", "Bearer "+fraA)
	req.Header.Set("Content-Type", "application/json")
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("a command on a for the document b owns: %d", resp.StatusCode)
	}
	head := func(base, token, path string) uint64 {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct{ Seq uint64 }
		json.NewDecoder(resp.Body).Decode(&out)
		return out.Seq
	}
	for _, path := range []string{"/api/documents/progress-report", "/api/documents/second", "/api/processes/permanent-mechanism"} {
		var sa, sb uint64
		for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(50 * time.Millisecond) {
			sa, sb = head(a.base, secA, path), head(b.base, secB, path)
			if sa == sb && sa > 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: node a is at %d, node b at %d after 60 s", path, sa, sb)
			}
		}
	}
	a.cmd.Process.Signal(syscall.SIGTERM)
	a.cmd.Wait()
	b.cmd.Process.Signal(syscall.SIGTERM)
	b.cmd.Wait()
	if code, out := runBin(t, bin, "verify", url); code != 0 {
		t.Fatalf("verify after two nodes: exit %d\n%s", code, out)
	}
}
