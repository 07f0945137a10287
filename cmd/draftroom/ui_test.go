package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/draftroom/draftroom/server"
)

// chromium finds Debian's Chromium; with CI=true a missing browser fails
// the test instead of skipping it.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed (apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed")
	return ""
}

// TestBrowserRoom opens the demo room in real headless Chromium as a
// delegate: the page logs in through the one-time link, connects to the
// room over the websocket and shows the text, its brackets and the
// amendment on paragraph 3; markup pasted into a paragraph shows as text.
func TestBrowserRoom(t *testing.T) {
	chrome := chromium(t)
	bin := buildBinary(t)
	r := startServe(t, bin, filepath.Join(t.TempDir(), "ui.db"))
	defer func() { r.cmd.Process.Signal(syscall.SIGKILL); r.cmd.Wait() }()
	sec := r.login(t, "secretariat")
	if err := post(r.base, sec, "/api/documents", server.CreateDocumentRequest{ID: "xss", Language: "en",
		Text: "# Markup test\n\n## A\n\n1. States noted <img src=x onerror=alert(1)> and <script>alert(2)</script>.\n"}, nil); err != nil {
		t.Fatal(err)
	}
	profile := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
			"--disable-component-update", "--disable-sync", "--user-data-dir=" + profile, "--virtual-time-budget=5000"}
		out, err := exec.Command(chrome, append(base, args...)...).Output()
		if err != nil {
			t.Fatalf("chromium %v: %v", args, err)
		}
		return string(out)
	}
	// dumpUntil loads a page until its DOM holds want: headless Chromium's
	// virtual time can end before the room's first frames arrive over the
	// real socket, so a slow load is retried rather than judged.
	dumpUntil := func(url, want string) string {
		t.Helper()
		var dom string
		for i := 0; i < 6; i++ {
			if dom = run("--dump-dom", url); strings.Contains(dom, want) {
				break
			}
		}
		return dom
	}
	run("--dump-dom", r.base+"/login?code="+r.codes["fra-1"])
	dom := dumpUntil(r.base+"/#/documents/progress-report", "A. Introduction")
	// What a delegate must see, whatever the page's wording: who they are,
	// the text, the pending amendment's text and the comment of China's
	// reservation.
	for _, want := range []string{"Delegate of France", "A. Introduction", "(to be completed)", "We need more time to consider this paragraph."} {
		if !strings.Contains(dom, want) {
			t.Errorf("the delegation view lacks %q", want)
		}
	}
	if dir := os.Getenv("DRAFTROOM_SCREENSHOTS"); dir != "" {
		run("--window-size=1200,1400", "--screenshot="+filepath.Join(dir, "delegation-view.png"), r.base+"/#/documents/progress-report")
	}
	dom = dumpUntil(r.base+"/#/documents/xss", "States noted")
	if !strings.Contains(dom, "States noted &lt;img src=x onerror=alert(1)&gt; and &lt;script&gt;alert(2)&lt;/script&gt;.") {
		t.Errorf("pasted markup is not shown as text")
	}
	if strings.Contains(dom, "<img src=\"x\"") || strings.Contains(dom, "<img src=x") {
		t.Errorf("pasted markup became an element")
	}
}
