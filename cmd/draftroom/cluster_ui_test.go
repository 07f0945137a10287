package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/postgres/pgtest"
)

// TestBrowserClusterFailover: a delegate's page in real Chromium, loaded
// from node A of two draftroom serve nodes on one PostgreSQL database,
// keeps the room when node A is killed with SIGKILL: the room connection
// goes to node B (named in the hello), whose session check accepts the
// cookie node A set (the sessions are in the shared log) and whose origin
// check and the page's connect-src allow it, resumes from the last
// sequence it saw, and shows an amendment proposed on node B after the
// kill.
func TestBrowserClusterFailover(t *testing.T) {
	exe := chromium(t)
	bin := buildBinary(t)
	url := pgtest.NewDatabase(t)
	a := startServe(t, bin, url)
	defer func() { a.cmd.Process.Kill(); a.cmd.Wait() }()
	b := startServe(t, bin, url)
	defer func() { b.cmd.Process.Kill(); b.cmd.Wait() }()

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(exe), chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true), chromedp.Flag("no-first-run", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("lang", "en-GB"), chromedp.UserDataDir(t.TempDir()))
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil { // the browser starts here, not under a timeout
		t.Fatalf("starting chromium: %v", err)
	}
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		c, cc := context.WithTimeout(ctx, 60*time.Second)
		defer cc()
		if err := chromedp.Do(c, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	waitFor := func(what, predicate string) {
		t.Helper()
		c, cc := context.WithTimeout(ctx, 120*time.Second)
		defer cc()
		if err := chromedp.Do(c, chromedp.Poll[chromedp.Void](predicate, chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(120*time.Second))); err != nil {
			sc, scc := context.WithTimeout(ctx, 5*time.Second)
			shown, _ := chromedp.Run(sc, chromedp.Evaluate[string](`document.body.innerText.slice(0, 2000)`))
			scc()
			t.Fatalf("waiting for %s: %v\nthe page shows:\n%s", what, err, shown)
		}
	}
	do("log in on node A", chromedp.Navigate(a.base+"/login?code="+a.codes["fra-1"]))
	waitFor("logged in", `document.querySelector("#who") && document.querySelector("#who").textContent !== ""`)
	do("open the room on node A", chromedp.Navigate(a.base+"/#/documents/progress-report"))
	connected := `document.querySelector("#conn").dataset.state === "connected"`
	waitFor("the room open", connected+` && document.body.innerText.includes("A. Introduction")`)

	a.cmd.Process.Signal(syscall.SIGKILL)
	a.cmd.Wait()
	t.Logf("node A killed")
	// A delegate of China, on node B, proposes an amendment once the room
	// takes commands again (while it changes node they are refused as a
	// conflict: nothing stored).
	chn := b.login(t, "chn-1")
	text := "Text proposed on node B after node A died."
	cmd, _ := json.Marshal(engine.ProposeAmendment{Proposer: "CHN", Op: engine.OpAddParagraph, Para: "p3", NewText: text})
	body, _ := json.Marshal(map[string]any{"name": "amendment.propose", "command": json.RawMessage(cmd)})
	for deadline := time.Now().Add(120 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		req, _ := http.NewRequest("POST", b.base+"/api/documents/progress-report/commands", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+chn)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == 200 {
			break
		}
		if (resp.StatusCode != 409 && resp.StatusCode != 429) || time.Now().After(deadline) {
			t.Fatalf("amendment on node B after node A died: status %d", resp.StatusCode)
		}
	}
	waitFor("the page, reconnected to node B, to show the amendment proposed there", connected+fmt.Sprintf(` && document.body.innerText.includes(%q)`, text))
	rc, rcc := context.WithTimeout(ctx, 30*time.Second)
	shown, err := chromedp.Run(rc, chromedp.Evaluate[string](`document.body.innerText`))
	rcc()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(shown, "A. Introduction") {
		t.Errorf("after the failover the room lost its text")
	}
}
