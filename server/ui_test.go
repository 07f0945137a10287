package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/draftroom/draftroom/engine"
)

// This file is the harness of the browser tests: the real server in
// process on 127.0.0.1 with a real SQLite log, and Debian's Chromium
// driven through chromedp, one browser context (its own cookies) per
// participant. The scenarios are in ui_room_test.go.

// uiServer is a real server that a test can stop and start again on the
// same address and log, as a network drop or a restart looks to a browser.
type uiServer struct {
	t      *testing.T
	log    engine.EventLog
	addr   string
	base   string
	srv    *Server
	cancel context.CancelFunc
	done   chan error
}

func startUIServer(t *testing.T) *uiServer {
	t.Helper()
	u := &uiServer{t: t, log: openTestLog(t, filepath.Join(t.TempDir(), "ui.db"))}
	u.start("127.0.0.1:0")
	u.base = "http://" + u.addr
	t.Cleanup(u.stop)
	return u
}

func (u *uiServer) start(addr string) {
	u.t.Helper()
	srv, err := New(context.Background(), Config{Log: u.log})
	if err != nil {
		u.t.Fatal(err)
	}
	var ln net.Listener
	for i := 0; ; i++ {
		if ln, err = net.Listen("tcp", addr); err == nil || i == 50 {
			break
		}
		time.Sleep(50 * time.Millisecond) // the old listener is still closing
	}
	if err != nil {
		u.t.Fatal(err)
	}
	u.addr = ln.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	u.srv, u.cancel, u.done = srv, cancel, make(chan error, 1)
	go func() { u.done <- srv.Serve(ctx, ln) }()
}

func (u *uiServer) stop() {
	if u.cancel != nil {
		u.cancel()
		<-u.done
		u.cancel = nil
	}
}

// restart stops the server (every socket is closed) and, after down,
// starts a new one on the same address and log.
func (u *uiServer) restart(down time.Duration) {
	u.t.Helper()
	u.stop()
	time.Sleep(down)
	u.start(u.addr)
}

var sysActor = engine.Actor{Person: "test", Role: engine.RoleSystem}

// loginLink registers a person (unless known) and returns a fresh
// one-time login link for them.
func (u *uiServer) loginLink(p Person) string {
	u.t.Helper()
	if _, ok := u.srv.dir.Person(p.ID); !ok {
		if _, err := u.srv.dir.AddPerson(context.Background(), sysActor, p); err != nil {
			u.t.Fatal(err)
		}
	}
	code, err := u.srv.dir.IssueLogin(context.Background(), sysActor, p.ID)
	if err != nil {
		u.t.Fatal(err)
	}
	return u.base + "/login?code=" + code
}

// findChromium returns Debian's Chromium. Without it the browser tests
// skip, except in CI (CI=true), where they fail.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed: the browser tests never skip in CI (apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium)")
	return ""
}

// browser is one headless Chromium with a new empty profile.
type browser struct {
	t    *testing.T
	root context.Context
	shot string // where screenshots go
	n    int
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	exe := findChromium(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.Flag("lang", "en-GB"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	root, cancelRoot := chromedp.NewContext(alloc)
	if err := chromedp.Do(root); err != nil {
		cancelRoot()
		cancelAlloc()
		t.Fatalf("starting chromium: %v", err)
	}
	t.Cleanup(func() { cancelRoot(); cancelAlloc() })
	// Screenshots are the test's artefacts: they outlive the run, in
	// $DRAFTROOM_SCREENSHOTS or else draftroom-screenshots/TestName in
	// the temporary directory, and the test logs where.
	dir := os.Getenv("DRAFTROOM_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "draftroom-screenshots", t.Name())
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, root: root, shot: dir}
}

// tab is one participant's page, in a browser context of its own.
type tab struct {
	t    *testing.T
	b    *browser
	name string
	ctx  context.Context

	mu       sync.Mutex
	problems []string // alerts, uncaught exceptions, CSP violations
}

func (b *browser) tab(name string) *tab {
	b.t.Helper()
	ctx, _ := chromedp.NewContext(b.root, chromedp.WithNewBrowserContext())
	tb := &tab{t: b.t, b: b, name: name, ctx: ctx}
	if err := chromedp.Listen(ctx, tb.watch); err != nil {
		b.t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		b.t.Fatal(err)
	}
	return tb
}

// watch records what must never happen on a page: a JavaScript dialog
// (pasted markup that ran), an uncaught exception, a CSP violation.
func (tb *tab) watch(ev any) {
	var p string
	switch e := ev.(type) {
	case *page.EventJavascriptDialogOpening:
		p = "a JavaScript dialog opened: " + e.Message
		go func() {
			_, _ = chromedp.Call(tb.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: true})
		}()
	case *cdpruntime.EventExceptionThrown:
		p = "uncaught exception: " + e.ExceptionDetails.Text
		if e.ExceptionDetails.Exception != nil {
			p += " " + e.ExceptionDetails.Exception.Description
		}
	case *cdplog.EventEntryAdded:
		if e.Entry.Source == "security" || strings.Contains(e.Entry.Text, "Content Security Policy") {
			p = "security: " + e.Entry.Text
		}
	}
	if p != "" {
		tb.mu.Lock()
		tb.problems = append(tb.problems, p)
		tb.mu.Unlock()
	}
}

func (tb *tab) checkProblems() {
	tb.t.Helper()
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, p := range tb.problems {
		tb.t.Errorf("%s: %s", tb.name, p)
	}
	tb.problems = nil
}

// do runs actions with a time limit.
func (tb *tab) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.t.Fatalf("%s: %s: %v", tb.name, what, err)
	}
}

// eval evaluates a JavaScript expression and decodes its value into out.
func (tb *tab) eval(js string, out any) {
	tb.t.Helper()
	tb.evalWithin(10*time.Second, js, out)
}

// evalWithin is eval for an expression that may take long on a loaded
// machine (a PDF printed by the server), waited for up to d.
func (tb *tab) evalWithin(d time.Duration, js string, out any) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, d)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("%s: evaluating %s: %v", tb.name, js, err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			tb.t.Fatalf("%s: decoding %s: %v", tb.name, raw, err)
		}
	}
}

// waitFor waits until the JavaScript predicate holds; on a timeout it
// fails the test with what the page shows.
func (tb *tab) waitFor(what, predicate string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Poll[chromedp.Void](predicate, chromedp.WithPollingInterval(40*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		var shown string
		sctx, scancel := context.WithTimeout(tb.ctx, 3*time.Second)
		shown, _ = chromedp.Run(sctx, chromedp.Evaluate[string](`document.body.innerText.slice(0, 3000)`))
		scancel()
		tb.screenshot("failed-" + strings.ReplaceAll(what, " ", "-"))
		tb.t.Fatalf("%s: waiting for %s: %v\nthe page shows:\n%s", tb.name, what, err, shown)
	}
}

// waitText waits until the element matching sel holds text.
func (tb *tab) waitText(sel, text string) {
	tb.t.Helper()
	tb.waitFor(fmt.Sprintf("%q in %s", text, sel), fmt.Sprintf(`(() => { const e = document.querySelector(%s); return !!e && e.textContent.includes(%s); })()`, jsString(sel), jsString(text)))
}

// text returns the text content of the first element matching sel.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	var s string
	tb.eval(fmt.Sprintf(`(() => { const e = document.querySelector(%s); return e ? e.textContent : ""; })()`, jsString(sel)), &s)
	return s
}

// click clicks the element matching sel with real mouse events (press
// and release at its centre, as a person would), once it is there and
// enabled. A live page can move under the pointer between finding the
// element and clicking it, so the click is checked and tried again when
// it missed.
func (tb *tab) click(sel string) {
	tb.t.Helper()
	tb.waitFor(sel+" to be there", fmt.Sprintf(`(() => { const e = document.querySelector(%s); return !!e && !e.disabled; })()`, jsString(sel)))
	// A control covered for a while (a redraw, a closing dialog) is tried
	// again until a deadline generous for a loaded machine.
	deadline := time.Now().Add(30 * time.Second)
	for {
		var at struct {
			X, Y float64
			OK   bool
		}
		tb.eval(fmt.Sprintf(`(() => { const e = document.querySelector(%s); if (!e) return {ok: false};
			e.scrollIntoView({block: "center", behavior: "instant"});
			window.clicked = false;
			e.addEventListener("click", () => { window.clicked = true; }, {once: true, capture: true});
			const r = e.getBoundingClientRect(); const x = r.left + r.width / 2, y = r.top + r.height / 2;
			const hit = document.elementFromPoint(x, y);
			return {x, y, ok: !!hit && (hit === e || e.contains(hit))}; })()`, jsString(sel)), &at)
		if at.OK {
			tb.do("click "+sel, chromedp.MouseClickXY(at.X, at.Y))
			var clicked bool
			tb.eval(`window.clicked === true`, &clicked)
			if clicked {
				return
			}
		}
		if time.Now().After(deadline) {
			tb.t.Fatalf("%s: could not click %s", tb.name, sel)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// setField sets an input, select or textarea and tells the page it changed.
func (tb *tab) setField(sel, value string) {
	tb.t.Helper()
	var ok bool
	tb.eval(fmt.Sprintf(`(() => { const e = document.querySelector(%s); if (!e) return false; e.value = %s;
		e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); return e.value === %s; })()`,
		jsString(sel), jsString(value), jsString(value)), &ok)
	if !ok {
		tb.t.Fatalf("%s: could not set %s to %q", tb.name, sel, value)
	}
}

// selectText selects the first occurrence of words in the text of a
// paragraph, as a person dragging the mouse over them would.
func (tb *tab) selectText(para, words string) {
	tb.t.Helper()
	var ok bool
	tb.eval(fmt.Sprintf(`(() => {
		const t = document.querySelector('#para-%s .text');
		const w = document.createTreeWalker(t, NodeFilter.SHOW_TEXT);
		for (let n = w.nextNode(); n; n = w.nextNode()) {
			const i = n.data.indexOf(%s);
			if (i < 0) continue;
			const r = document.createRange();
			r.setStart(n, i); r.setEnd(n, i + %s.length);
			const s = getSelection(); s.removeAllRanges(); s.addRange(r);
			return true;
		}
		return false; })()`, para, jsString(words), jsString(words)), &ok)
	if !ok {
		tb.t.Fatalf("%s: %q is not in paragraph %s", tb.name, words, para)
	}
}

// dialog fills the open dialog's fields (by CSS selector inside it) and
// submits it.
func (tb *tab) dialog(title string, fields map[string]string) {
	tb.t.Helper()
	tb.waitText("dialog[open] h2", title)
	for sel, v := range fields {
		tb.setField("dialog[open] "+sel, v)
	}
	tb.click(`dialog[open] button[type="submit"]`)
	tb.waitFor("the dialog "+title+" to close", `!document.querySelector("dialog[open]")`)
}

func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, 10*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Logf("%s: screenshot %s: %v", tb.name, name, err)
		return
	}
	path := filepath.Join(tb.b.shot, name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		tb.t.Errorf("saving screenshot: %v", err)
	}
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
