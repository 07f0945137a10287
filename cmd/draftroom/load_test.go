package main

import (
	"bufio"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestLoadCommand runs "draftroom load" against a real "draftroom serve"
// on a fresh database with a few clients of each scenario, and checks
// that every event reached every client and nothing was dropped. It checks
// that the tool works, not how fast: speed lives in docs/performance.md.
func TestLoadCommand(t *testing.T) {
	bin := buildBinary(t)
	base, code, stop := serveBinary(t, bin, filepath.Join(t.TempDir(), "load.db"))
	defer stop()
	// The one-time code is used once; the load tool logs in with it.
	out, err := exec.Command(bin, "load", "-url", base, "-code", code, "-clients", "30", "-scenario", "typing", "-rate", "20", "-duration", "1s", "-prefill", "40", "-exports", "2").CombinedOutput()
	if err != nil {
		t.Fatalf("load: %v\n%s", err, out)
	}
	text := string(out)
	// Two observers downloaded the record during the run, none failed.
	if m := regexp.MustCompile(`exports \(2 at once, record\?format=json\): (\d+) downloaded .*, (\d+) failed`).FindStringSubmatch(text); m == nil || m[1] == "0" || m[2] != "0" || !strings.Contains(text, "prefilled 40 positions") {
		t.Fatalf("exports during the load:\n%s", text)
	}
	m := regexp.MustCompile(`n=(\d+) of (\d+) expected`).FindStringSubmatch(text)
	if m == nil || m[1] != m[2] || m[1] == "0" {
		t.Fatalf("not every event reached every client:\n%s", text)
	}
	if !strings.Contains(text, "dropped connections: 0") || !strings.Contains(text, "refused or lost: 0") {
		t.Fatalf("drops or refusals:\n%s", text)
	}
	// A reconnect storm by clients that offer compression, as browsers
	// do: every one receives the whole view, compressed once by the server.
	// The one-time code is spent, so on a second server.
	base, code, stop2 := serveBinary(t, bin, filepath.Join(t.TempDir(), "join.db"))
	defer stop2()
	out, err = exec.Command(bin, "load", "-url", base, "-code", code, "-clients", "30", "-scenario", "join", "-deflate").CombinedOutput()
	if err != nil {
		t.Fatalf("load -scenario join -deflate: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "synced (dial → whole view received): n=30 ") {
		t.Fatalf("not every client of the join storm received the whole view:\n%s", out)
	}
}

// TestLoadHub runs "draftroom load -target hub" against the comparison's
// bare broadcast hub (cmd/compare/hub), built and started as its own
// program, and checks that every message reached every client.
func TestLoadHub(t *testing.T) {
	bin := buildBinary(t)
	hub := filepath.Join(filepath.Dir(bin), "hub")
	if out, err := exec.Command("go", "build", "-o", hub, "../compare/hub").CombinedOutput(); err != nil {
		t.Fatalf("building the hub: %v\n%s", err, out)
	}
	cmd := exec.Command(hub, "-addr", "127.0.0.1:0")
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { cmd.Process.Kill(); cmd.Wait() }()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	m := regexp.MustCompile(`(ws://\S+)`).FindStringSubmatch(line)
	if err != nil || m == nil {
		t.Fatalf("the hub printed no address: %q %v", line, err)
	}
	out, err := exec.Command(bin, "load", "-target", "hub", "-url", m[1], "-clients", "30", "-rate", "20", "-duration", "1s").CombinedOutput()
	if err != nil {
		t.Fatalf("load: %v\n%s", err, out)
	}
	text := string(out)
	n := regexp.MustCompile(`n=(\d+) of (\d+) expected`).FindStringSubmatch(text)
	if n == nil || n[1] != n[2] || n[1] == "0" {
		t.Fatalf("not every message reached every client:\n%s", text)
	}
	if !strings.Contains(text, "dropped connections: 0") {
		t.Fatalf("drops:\n%s", text)
	}
	// Against draftroom's API the hub target is refused with its reason.
	out, err = exec.Command(bin, "load", "-target", "hub", "-url", "http://127.0.0.1:1", "-clients", "1").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "ws://HOST:PORT/ws") {
		t.Errorf("load -target hub with an http URL: %v\n%s", err, out)
	}
}
