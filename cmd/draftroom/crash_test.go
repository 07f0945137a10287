package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/postgres"
	"github.com/draftroom/draftroom/engine/postgres/pgtest"
	"github.com/jackc/pgx/v5"
)

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// buildBinary builds the real draftroom binary, once for all the tests of
// the package; it lives in a temporary directory removed by TestMain.
func buildBinary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "draftroom-bin")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "draftroom")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// TestMain removes the shared binary after the tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
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

// startServe starts the binary on a fresh port, with extra flags, and
// reads its URL and the demo logins from its output.
func startServe(t testing.TB, bin, db string, extra ...string) *running {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--db", db, "--demo", "--addr", "127.0.0.1:0"}, extra...)...)
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

func (r *running) login(t testing.TB, who string) string {
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
	db := filepath.Join(t.TempDir(), "crash.db")
	testCrashRecovery(t, db, db+".anchors")
}

// TestCrashRecoveryPostgres is TestCrashRecovery with the server on a
// PostgreSQL database: 20 SIGKILLs of the node mid-burst, and every event
// it acknowledged is in the database afterwards, in a chain that
// verifies, with the node's anchor file still in it.
func TestCrashRecoveryPostgres(t *testing.T) {
	testCrashRecovery(t, pgtest.NewDatabase(t), filepath.Join(t.TempDir(), "node.anchors"))
}

// testCrashRecovery runs the crash test on the store db (a SQLite file or
// a postgres:// URL), serve writing its anchor file to anchors.
func testCrashRecovery(t *testing.T, db, anchors string) {
	bin := buildBinary(t)
	rng := rand.New(rand.NewPCG(42, 7))
	var mu sync.Mutex
	var all []acked
	states := map[string]engine.StateCode{"fra-1": "FRA", "chn-1": "CHN", "bra-1": "BRA", "ken-1": "KEN", "egy-1": "EGY"}
	kinds := []engine.PositionKind{engine.Support, engine.Oppose, engine.Reservation, engine.Flexible}
	for round := 0; round < 20; round++ {
		r := startServe(t, bin, db, "-anchors", anchors)
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
	// verify also checks the anchor file serve wrote beside the database
	// (serve -anchors): a head it anchored before a kill is still there.
	out, err := exec.Command(bin, "verify", db, "-anchors", anchors).CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "ok: ") || !strings.Contains(string(out), "anchors of "+anchors+" are in the chain") {
		t.Fatalf("draftroom verify after 20 kills: %v\n%s", err, out)
	}
	l, err := openLog(context.Background(), db)
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

// TestAppendBurstCrash runs the real binary's append-burst (four
// concurrent writers on one stream) and kills it with SIGKILL, 25 times on
// the same file. Five rounds are killed at a random moment in their first
// 120 ms, during start-up and recovery; the other twenty are killed only
// once the process has printed its first acknowledgement, after a random
// further 0–20 ms: between commits, in the middle of one. Waiting for an
// acknowledgement rather than for a time keeps the test's pass condition
// independent of how fast the machine is (a loaded CI runner reaches its
// first commit later, not never). After every kill it checks, read-only,
// that every event the process printed as acknowledged is stored with the
// hash it was acknowledged with, that the stream has no gap and no more
// than was written, and that Verify accepts the whole chain (which also
// checks the streams table against the events: no half-written state).
func TestAppendBurstCrash(t *testing.T) {
	testAppendBurstCrash(t, filepath.Join(t.TempDir(), "burst.db"))
}

// TestAppendBurstCrashPostgres is TestAppendBurstCrash on a PostgreSQL
// database: 25 SIGKILLs of a process committing group after group
// (some at start-up, while the migrations run), and every event it
// acknowledged is in the database with its hash, with no gap, in a chain
// that verifies.
func TestAppendBurstCrashPostgres(t *testing.T) {
	testAppendBurstCrash(t, pgtest.NewDatabase(t))
}

// testAppendBurstCrash runs the burst crash test on the store db (a
// SQLite file or a postgres:// URL).
func testAppendBurstCrash(t *testing.T, db string) {
	bin := buildBinary(t)
	const stream = "probe/crash"
	rng := rand.New(rand.NewPCG(7, 42))
	acked := map[uint64]string{} // StreamSeq → hash, over all rounds
	const rounds, early = 25, 5  // early rounds are killed at a random time
	for round := 0; round < rounds; round++ {
		cmd := exec.Command(bin, "append-burst", "--db", db, "--n", "10000000", "--stream", stream, "--writers", "4")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		first := make(chan struct{})
		lines := make(chan []string, 1)
		go func() {
			// Only whole lines count: a line cut by the kill was not
			// acknowledged to anyone.
			var whole []string
			rd := bufio.NewReader(stdout)
			for {
				line, err := rd.ReadString('\n')
				if err != nil {
					break
				}
				if len(whole) == 0 {
					close(first)
				}
				whole = append(whole, strings.TrimSuffix(line, "\n"))
			}
			lines <- whole
		}()
		exited := make(chan error, 1)
		if round < early {
			time.Sleep(time.Duration(rng.IntN(120)) * time.Millisecond)
		} else {
			select {
			case <-first:
			case <-time.After(2 * time.Minute): // only a hung process gets here
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatalf("round %d: append-burst printed no acknowledgement in 2 minutes: %s", round, stderr.String())
			}
			time.Sleep(time.Duration(rng.IntN(20)) * time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		go func() { exited <- cmd.Wait() }()
		werr := <-exited
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("round %d: append-burst ended before it was killed (%v): %s", round, werr, stderr.String())
		}
		n := 0
		for _, line := range <-lines {
			f := strings.Fields(line) // "ack", seq, hash
			if len(f) != 3 || f[0] != "ack" {
				t.Fatalf("round %d: unexpected output %q", round, line)
			}
			var seq uint64
			fmt.Sscan(f[1], &seq)
			if prev, ok := acked[seq]; ok && prev != f[2] {
				t.Fatalf("round %d: event %d acknowledged twice, as %s and as %s: an acknowledged event was lost", round, seq, prev, f[2])
			}
			acked[seq] = f[2]
			n++
		}
		if round >= early && n == 0 {
			t.Fatalf("round %d: killed after its first acknowledgement, yet no acknowledgement was read", round)
		}
		checkBurst(t, round, db, stream, acked)
	}
	out, err := exec.Command(bin, "verify", db).CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "ok: ") {
		t.Fatalf("draftroom verify after %d kills: %v\n%s", rounds, err, out)
	}
	t.Logf("%d SIGKILLs, %d of them after acknowledgements, %d acknowledged events, all present; %s", rounds, rounds-early, len(acked), strings.TrimSpace(string(out)))
}

// checkBurst checks the database after a kill without writing to it.
func checkBurst(t *testing.T, round int, db, stream string, acked map[uint64]string) {
	t.Helper()
	ctx := context.Background()
	rep, err := verifyStore(ctx, db, nil)
	if err != nil {
		if len(acked) == 0 && engine.ErrorCode(err) != engine.EINTERNAL {
			// Killed before the first migration committed: the file is
			// missing, empty or without a schema, and the next run
			// starts it afresh. Nothing was acknowledged, nothing is lost.
			return
		}
		t.Fatalf("round %d: verify: %v", round, err)
	}
	if rep.Broken != nil {
		t.Fatalf("round %d: the chain is broken after a kill: %s", round, rep.Broken)
	}
	seqs, hashes, err := streamHashes(ctx, db, stream)
	if err != nil {
		if len(acked) == 0 {
			return // killed before the schema was committed
		}
		t.Fatalf("round %d: %v", round, err)
	}
	stored := map[uint64]string{}
	var last uint64
	for i, seq := range seqs {
		if seq != last+1 {
			t.Fatalf("round %d: the stream jumps from %d to %d", round, last, seq)
		}
		stored[seq], last = hashes[i], seq
	}
	for seq, hash := range acked {
		if stored[seq] != hash {
			t.Fatalf("round %d: acknowledged event %d (hash %s) is stored as %q after the kill", round, seq, hash, stored[seq])
		}
	}
}

// streamHashes reads the StreamSeq and hash of every event of stream in
// the store db, read-only, without opening it as a log (which would
// apply migrations or recover it).
func streamHashes(ctx context.Context, db, stream string) (seqs []uint64, hashes []string, err error) {
	if postgres.IsURL(db) {
		conn, err := pgx.Connect(ctx, db)
		if err != nil {
			return nil, nil, err
		}
		defer conn.Close(ctx)
		rows, err := conn.Query(ctx, `SELECT stream_seq, hash FROM events WHERE stream = $1 ORDER BY stream_seq`, stream)
		if err != nil {
			return nil, nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var seq int64
			var hash string
			if err := rows.Scan(&seq, &hash); err != nil {
				return nil, nil, err
			}
			seqs, hashes = append(seqs, uint64(seq)), append(hashes, hash)
		}
		return seqs, hashes, rows.Err()
	}
	ro, err := sql.Open("sqlite", "file:"+db+"?mode=ro")
	if err != nil {
		return nil, nil, err
	}
	defer ro.Close()
	rows, err := ro.QueryContext(ctx, `SELECT stream_seq, hash FROM events WHERE stream = ? ORDER BY stream_seq`, stream)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var seq uint64
		var hash string
		if err := rows.Scan(&seq, &hash); err != nil {
			return nil, nil, err
		}
		seqs, hashes = append(seqs, seq), append(hashes, hash)
	}
	return seqs, hashes, rows.Err()
}
