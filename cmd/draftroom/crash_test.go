package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/sqlite"
)

// buildBinary builds the real draftroom binary once per test.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "draftroom")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// running is a started "draftroom serve --demo".
type running struct {
	cmd   *exec.Cmd
	base  string
	codes map[string]string
}

var (
	reServing = regexp.MustCompile(`serving .* on (http://\S+)`)
	reLogin   = regexp.MustCompile(`^\s+(\S+)\s+.*/login\?code=(\S+)$`)
)

// startServe starts the binary on a fresh port and reads its URL and the
// demo logins from its output.
func startServe(t *testing.T, bin, db string) *running {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--db", db, "--demo", "--addr", "127.0.0.1:0")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	r := &running{cmd: cmd, codes: map[string]string{}}
	sc := bufio.NewScanner(stdout)
	deadline := time.AfterFunc(20*time.Second, func() { cmd.Process.Kill() })
	defer deadline.Stop()
	for sc.Scan() {
		line := sc.Text()
		if m := reServing.FindStringSubmatch(line); m != nil {
			r.base = m[1]
		}
		if m := reLogin.FindStringSubmatch(line); m != nil {
			r.codes[m[1]] = m[2]
		}
		if r.base != "" && len(r.codes) > 0 && line == "" {
			break
		}
	}
	go io.Copy(io.Discard, stdout)
	if r.base == "" || r.codes["fra-1"] == "" {
		t.Fatalf("serve did not print its URL and logins (got %q, %d codes)", r.base, len(r.codes))
	}
	return r
}

func (r *running) login(t *testing.T, who string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"code": r.codes[who]})
	resp, err := http.Post(r.base+"/api/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&out)
	if out.Token == "" {
		t.Fatalf("login %s: status %d", who, resp.StatusCode)
	}
	return out.Token
}

// acked is an event the server acknowledged.
type acked struct {
	seq  uint64
	hash string
}

// TestCrashRecovery starts the real binary, drives a burst of commands
// from several delegations, kills it with SIGKILL at a random moment,
// restarts it, and checks that every acknowledged event is in the log
// with the hash it was acknowledged with, that the stream has no gap and
// that the hash chain verifies. It does this 20 times.
func TestCrashRecovery(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "crash.db")
	rng := rand.New(rand.NewPCG(42, 7))
	var mu sync.Mutex
	var all []acked
	states := map[string]engine.StateCode{"fra-1": "FRA", "chn-1": "CHN", "bra-1": "BRA", "ken-1": "KEN", "egy-1": "EGY"}
	kinds := []engine.PositionKind{engine.Support, engine.Oppose, engine.Reservation, engine.Flexible}
	for round := 0; round < 20; round++ {
		r := startServe(t, bin, db)
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for who, state := range states {
			token := r.login(t, who)
			wg.Add(1)
			go func(token string, state engine.StateCode, seed uint64) {
				defer wg.Done()
				local := rand.New(rand.NewPCG(seed, uint64(round)))
				for i := 0; ctx.Err() == nil; i++ {
					cmd, _ := json.Marshal(engine.StatePosition{State: state, Para: engine.ParagraphID(fmt.Sprintf("p%d", 1+local.IntN(40))), Kind: kinds[local.IntN(4)]})
					body, _ := json.Marshal(map[string]any{"name": "position.state", "command": json.RawMessage(cmd)})
					req, _ := http.NewRequestWithContext(ctx, "POST", r.base+"/api/documents/progress-report/commands", bytes.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+token)
					resp, err := http.DefaultClient.Do(req)
					if err != nil {
						return // killed
					}
					var out struct {
						Events []engine.Event `json:"events"`
					}
					err = json.NewDecoder(resp.Body).Decode(&out)
					resp.Body.Close()
					if err != nil || resp.StatusCode != 200 {
						continue
					}
					mu.Lock()
					for _, e := range out.Events {
						all = append(all, acked{e.StreamSeq, e.Hash})
					}
					mu.Unlock()
				}
			}(token, state, uint64(len(state))*1000+uint64(rng.IntN(1000)))
		}
		time.Sleep(time.Duration(30+rng.IntN(250)) * time.Millisecond)
		r.cmd.Process.Signal(syscall.SIGKILL)
		r.cmd.Wait()
		cancel()
		wg.Wait()
	}
	if len(all) < 100 {
		t.Fatalf("only %d events were acknowledged over 20 rounds; the test did not exercise the store", len(all))
	}
	// Check with the binary's own verify, then read the log directly.
	out, err := exec.Command(bin, "verify", db).CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "ok: ") {
		t.Fatalf("draftroom verify after 20 kills: %v\n%s", err, out)
	}
	l, err := sqlite.Open(context.Background(), db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	evs, err := l.Read(context.Background(), engine.DocumentStream("progress-report"), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	byseq := map[uint64]string{}
	for i, e := range evs {
		if e.StreamSeq != uint64(i+1) {
			t.Fatalf("stream has a gap: event %d has StreamSeq %d", i, e.StreamSeq)
		}
		byseq[e.StreamSeq] = e.Hash
	}
	for _, a := range all {
		if byseq[a.seq] != a.hash {
			t.Fatalf("acknowledged event %d (hash %s) is missing or different after the crashes", a.seq, a.hash)
		}
	}
	t.Logf("%d acknowledged events over 20 SIGKILLs, all present; log holds %d document events", len(all), len(evs))
}
