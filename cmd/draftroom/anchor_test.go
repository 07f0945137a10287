package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// TestAttackTruncatedTail is attack 10 of issue 16, through the real
// binary on a real SQLite file: a server stores commands and stops; the
// secretariat notes the head verify prints; then someone deletes the
// last 100 events and fixes the streams table. The chain alone still
// verifies. The anchor file the server wrote (DB.anchors) and the head
// noted earlier both catch it: verify exits 1 naming the missing events,
// and serve refuses to start on the shortened log.
func TestAttackTruncatedTail(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "room.db")
	r := startServe(t, bin, db)
	token := r.login(t, "fra-1")
	for i := 0; i < 120; i++ {
		cmd, _ := json.Marshal(engine.StatePosition{State: "FRA", Para: engine.ParagraphID(fmt.Sprintf("p%d", 1+i%30)), Kind: []engine.PositionKind{engine.Support, engine.Oppose}[i%2]})
		body, _ := json.Marshal(map[string]any{"name": "position.state", "command": json.RawMessage(cmd)})
		req, _ := http.NewRequest("POST", r.base+"/api/documents/progress-report/commands", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests {
			// The command rate limit: wait as told and send it again.
			wait, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
			time.Sleep(time.Duration(max(wait, 1)) * time.Second)
			i--
			continue
		}
		if resp.StatusCode != 200 {
			t.Fatalf("command %d: status %d", i, resp.StatusCode)
		}
	}
	r.cmd.Process.Signal(syscall.SIGTERM)
	if err := r.cmd.Wait(); err != nil {
		t.Fatalf("serve did not stop cleanly: %v", err)
	}
	out, err := exec.Command(bin, "verify", db).CombinedOutput()
	m := regexp.MustCompile(`(?m)^ok: (\d+) events verified, head (\d+:[0-9a-f]{64})\nok: \d+ anchors of \S+room\.db\.anchors are in the chain\n$`).FindStringSubmatch(string(out))
	if err != nil || m == nil {
		t.Fatalf("verify before the attack: %v\n%s", err, out)
	}
	head := m[2]
	var total int
	fmt.Sscan(m[1], &total)

	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	stmts := []string{
		fmt.Sprintf(`DELETE FROM events WHERE seq > %d`, total-100),
		`UPDATE streams SET head = (SELECT max(stream_seq) FROM events WHERE events.stream = streams.stream)`,
	}
	for _, s := range stmts {
		if _, err := raw.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	// The chain alone holds: this is what the attack relied on.
	out, err = exec.Command(bin, "verify", db, "-anchors", "none").CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), fmt.Sprintf("ok: %d events verified", total-100)) {
		t.Fatalf("verify without anchors after the attack: %v\n%s", err, out)
	}
	// The anchor file, found beside the database.
	out, err = exec.Command(bin, "verify", db).CombinedOutput()
	want := fmt.Sprintf("broken: event %d: the log ends at event %d, but %s.anchors line ", total-99, total-100, db)
	if code := exitCode(err); code != 1 || !strings.HasPrefix(string(out), want) || !strings.Contains(string(out), fmt.Sprintf("names event %d: events %d to %d at least are missing from its end", total, total-99, total)) {
		t.Fatalf("verify with the anchor file: exit %d\n%s\nwant exit 1 and %q", code, out, want)
	}
	// The head noted before, kept elsewhere: flags after DB, as documented.
	out, err = exec.Command(bin, "verify", db, "-anchors", "none", "-head", head).CombinedOutput()
	if code := exitCode(err); code != 1 || !strings.Contains(string(out), fmt.Sprintf("but -head %s names event %d", head, total)) {
		t.Fatalf("verify -head %s: exit %d\n%s", head, code, out)
	}
	// serve refuses to write after a lost tail.
	out, err = exec.Command(bin, "serve", "--db", db, "--addr", "127.0.0.1:0").CombinedOutput()
	if code := exitCode(err); code != 1 || !strings.Contains(string(out), fmt.Sprintf("ends at event %d, but %s.anchors line", total-100, db)) || !strings.Contains(string(out), "events are missing from its end") {
		t.Fatalf("serve on the shortened log: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(db + ".anchors"); err != nil {
		t.Fatal(err)
	}
}

// TestVerifyHeadFlag checks -head on a log that holds: the printed head,
// an older head and a bare hash hold; a wrong hash, a head beyond the
// end and a malformed head are reported.
func TestVerifyHeadFlag(t *testing.T) {
	db := filepath.Join(t.TempDir(), "h.db")
	if code, _, errs := runCLI("append-burst", "--db", db, "--n", "20", "--writers", "1", "--stream", "probe/head"); code != 0 {
		t.Fatal(errs)
	}
	code, out, _ := runCLI("verify", db)
	m := regexp.MustCompile(`head (20):([0-9a-f]{64})`).FindStringSubmatch(out)
	if code != 0 || m == nil {
		t.Fatalf("verify: %d %s", code, out)
	}
	hash := m[2]
	raw, _ := sql.Open("sqlite", db)
	var h5 string
	raw.QueryRow(`SELECT hash FROM events WHERE seq = 5`).Scan(&h5)
	raw.Close()
	other := strings.Repeat("ab", 32)
	for _, tt := range []struct {
		args     []string
		code     int
		out, err string
	}{
		{[]string{"-head", "20:" + hash}, 0, "ok: 1 heads given are in the chain\n", ""},
		{[]string{"-head", "5:" + h5, "-head", hash}, 0, "ok: 2 heads given are in the chain\n", ""},
		{[]string{"-head", "5:" + other}, 1, "broken: event 5 (stream probe/head): its hash is not the one -head 5:" + other + " names", "broken at event 5"},
		{[]string{"-head", "21:" + hash}, 1, "broken: event 21: the log ends at event 20, but -head 21:" + hash + " names event 21", "broken at event 21"},
		{[]string{"-head", other}, 1, "no event of the log has the hash -head " + other + " names", ""},
		{[]string{"-head", "x:" + hash}, 2, "", `head "x:` + hash + `": "x" before the colon is not an event number`},
	} {
		code, out, errs := runCLI(append([]string{"verify", db}, tt.args...)...)
		if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errs, tt.err) {
			t.Errorf("verify %v: exit %d\nstdout %q\nstderr %q\nwant exit %d, stdout with %q, stderr with %q", tt.args, code, out, errs, tt.code, tt.out, tt.err)
		}
	}
}

// exitCode is the exit status of a finished command (0 for nil).
func exitCode(err error) int {
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}
