package server

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/draftroom/draftroom/engine"
)

// axeScript is axe-core, installed from npm by .ci/run (npm ci in
// server/testdata/axe, pinned by its package-lock.json).
var axeScript = filepath.Join("testdata", "axe", "node_modules", "axe-core", "axe.min.js")

// loadAxe reads axe-core. Without it the test skips, except in CI
// (CI=true), where it fails.
func loadAxe(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(axeScript)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("axe-core is not installed (%v): run (cd server/testdata/axe && npm ci), as .ci/run does", err)
		}
		t.Skipf("axe-core is not installed (%v): (cd server/testdata/axe && npm ci)", err)
	}
	return string(b)
}

// axe runs axe-core on the page as it is and returns its serious and
// critical violations, each with the elements it found them on.
func (tb *tab) axe(src string) []string {
	tb.t.Helper()
	var loaded bool
	tb.eval(`typeof window.axe === "object"`, &loaded)
	if !loaded {
		tb.eval(src+"\n;true", nil)
	}
	var out []string
	tb.eval(`axe.run(document, {resultTypes: ["violations"]}).then((r) => r.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
		.map((v) => v.impact + " " + v.id + ": " + v.help + " — " + v.nodes.slice(0, 4).map((n) => n.target.join(" ")).join("; ")))`, &out)
	return out
}

// TestBrowserAccessibility opens every view of the UI at 1440 and 768 px
// (a laptop and a tablet) — the log-in page, a refused login link, the
// documents, the secretariat's desk, the room as the chair and as a
// delegation (with a dialog open), the list of amendments, a paragraph's
// history and the projector — and has axe-core check each: no serious or
// critical violation, and nothing wider than the screen. The screenshots
// are those of docs/user-guide.md (DRAFTROOM_SCREENSHOTS=docs/screenshots
// refreshes them).
func TestBrowserAccessibility(t *testing.T) {
	src := loadAxe(t)
	u := startUIServer(t)
	setUpRoom(t, u, liveDraft)
	for _, p := range demoPeople {
		if p.ID != "projector" {
			u.loginLink(p)
		}
	}
	b := newBrowser(t)
	secLink := u.loginLink(Person{ID: "sec", Name: "Secretariat officer", Role: engine.RoleSecretariat})
	chairLink := u.loginLink(Person{ID: "chair-gm-1", Name: "Chair of the Global Mechanism", Role: engine.RoleOfficer})
	fraLink := u.loginLink(Person{ID: "fra-1", Name: "Delegate of France", Role: engine.RoleDelegate, State: "FRA"})
	screenLink := u.loginLink(Person{ID: "projector", Name: "Projector of room 4", Role: engine.RoleViewer})
	sec, chair, fra, screen, guest := b.tab("secretariat"), b.tab("chair"), b.tab("France"), b.tab("projector"), b.tab("guest")
	tabs := []*tab{sec, chair, fra, screen, guest}
	defer func() {
		for _, tb := range tabs {
			tb.checkProblems()
		}
	}()
	sec.enter(secLink, "#/documents/pr")
	sec.waitText("#conn", "connected")
	sec.click(`button[data-k="issue"]`)
	sec.dialog("Issue a revision", map[string]string{"select": "zero-draft"})
	chair.enter(chairLink, "#/documents/pr")
	fra.enter(fraLink, "#/documents/pr")
	chair.waitText("#conn", "connected")
	fra.waitText("#conn", "connected")
	chair.click(`button[data-k="open-reading"]`)
	chair.dialog("Open a reading", map[string]string{"select:nth-of-type(1)": "first", ".field:nth-of-type(2) select": "plenary-2027"})
	chair.click(`button[data-k="close-reading"]`)
	chair.click(`button[data-k="open-reading"]`)
	chair.dialog("Open a reading", map[string]string{"select:nth-of-type(1)": "second", ".field:nth-of-type(2) select": "plenary-2027"})
	chair.click(`button[data-k="next"]`)
	fra.selectText("p4", "promote")
	fra.click(`button[data-k="p4/propose"]`)
	fra.dialog("Propose an amendment to paragraph 4", map[string]string{"select": "replace", "textarea": "foster"})
	fra.click(`button[data-k="p2/oppose"]`)
	chair.waitText("#amend-a1", "foster")
	chair.click(`button[data-k="p1/edit"]`)
	chair.dialog("Edit paragraph 1", map[string]string{"textarea": "States agreed that *no two meetings* are held in parallel, and **first** things come first."})
	screen.enter(screenLink, "#/documents/pr/projector")

	type view struct {
		name string
		tb   *tab
		open func() // brings the view up; the tab is already at the width
		done func()
	}
	closeDialog := func(tb *tab) func() {
		return func() {
			tb.click(`dialog[open] button.secondary`)
			tb.waitFor("the dialog to close", `!document.querySelector("dialog[open]")`)
		}
	}
	views := []view{
		{"login", guest, func() {
			guest.do("log-in page", chromedp.Navigate(u.base+"/"))
			guest.waitFor("the form", `!!document.querySelector("#code")`)
		}, nil},
		{"login-refused", guest, func() {
			guest.do("a used link", chromedp.Navigate(fraLink))
			guest.waitText("#login-refused h1", "cannot be used")
		}, nil},
		{"documents", fra, func() {
			fra.do("the documents", chromedp.Navigate(u.base+"/#/"))
			fra.waitFor("the list", `!!document.querySelector("a.doc-link")`)
		}, nil},
		{"secretariat-desk", sec, func() {
			sec.do("the desk", chromedp.Navigate(u.base+"/#/desk"))
			sec.waitFor("the processes", `!!document.querySelector('button[data-process="permanent-mechanism"]')`)
			sec.click(`button[data-process="permanent-mechanism"]`)
			sec.waitFor("the meeting form", `!!document.querySelector("#meeting-form")`)
		}, nil},
		{"chair-console", chair, func() {
			chair.do("the room", chromedp.Navigate(u.base+"/#/documents/pr"))
			chair.waitText("#amend-a1", "foster")
		}, nil},
		{"delegation-view", fra, func() {
			fra.do("the room", chromedp.Navigate(u.base+"/#/documents/pr"))
			fra.waitText("#amend-a1", "foster")
		}, nil},
		{"propose-dialog", fra, func() {
			fra.selectText("p3", "maintenance")
			fra.click(`button[data-k="p3/propose"]`)
			fra.waitText("dialog[open] h2", "Propose an amendment")
		}, closeDialog(fra)},
		{"clear-brackets-dialog", chair, func() {
			chair.click(`button[data-k="p2/clear"]`)
			chair.waitText("dialog[open] h2", "Brackets in paragraph 2")
		}, closeDialog(chair)},
		{"paragraph-history", fra, func() {
			fra.click(`button[data-k="p1/history"]`)
			fra.waitText("dialog[open] h2", "History of paragraph 1")
		}, closeDialog(fra)},
		{"amendment-list", fra, func() {
			fra.do("the list", chromedp.Navigate(u.base+"/#/documents/pr/amendments"))
			fra.waitText("#al-count", "1 amendment of 1 shown")
		}, nil},
		{"projector", screen, func() {
			screen.do("the projector", chromedp.Navigate(u.base+"/#/documents/pr/projector"))
			screen.waitFor("the projector view", `!!document.querySelector(".room.projector #para-p1.now")`)
		}, nil},
	}
	var problems []string
	for _, width := range []int{1440, 768} {
		for _, tb := range tabs {
			tb.do(fmt.Sprintf("%d px", width), chromedp.EmulateViewport(int64(width), 900))
		}
		for _, v := range views {
			v.open()
			for _, p := range v.tb.axe(src) {
				problems = append(problems, fmt.Sprintf("%s at %d px: %s", v.name, width, p))
			}
			var wide bool
			v.tb.eval(`document.documentElement.scrollWidth > window.innerWidth + 1`, &wide)
			if wide {
				problems = append(problems, fmt.Sprintf("%s at %d px: the page is wider than the screen", v.name, width))
			}
			v.tb.screenshot(fmt.Sprintf("%s-%d", v.name, width))
			if v.done != nil {
				v.done()
			}
		}
	}
	if len(problems) > 0 {
		t.Errorf("%d problems:\n%s", len(problems), strings.Join(problems, "\n"))
	}

	// The chair's flow with the keyboard only: Tab to a control, Enter
	// to use it, Escape to close a dialog.
	chair.do("1440 px", chromedp.EmulateViewport(1440, 900))
	chair.do("the room", chromedp.Navigate(u.base+"/#/documents/pr"))
	chair.waitText("#amend-a1", "foster")
	chair.tabTo(`button[data-k="next"]`)
	chair.do("Enter", chromedp.KeyEvent(kb.Enter))
	chair.waitFor("paragraph 2 read", `document.querySelector("#para-p2").classList.contains("now")`)
	// The text tools are open on the paragraph being read.
	var open bool
	chair.eval(`document.querySelector('details[data-k="p2/more"]').open`, &open)
	if !open {
		t.Error("the text tools are folded on the paragraph being read")
		chair.tabTo(`summary[data-k="p2/more-summary"]`)
		chair.do("Enter", chromedp.KeyEvent(kb.Enter))
	}
	chair.tabTo(`button[data-k="p2/edit"]`)
	chair.do("Enter", chromedp.KeyEvent(kb.Enter))
	chair.waitText("dialog[open] h2", "Edit paragraph 2")
	chair.do("type", chromedp.KeyEvent(kb.End, chromedp.KeyModifiers(chromedp.ModifierCtrl)), chromedp.KeyEvent(" Revised."))
	chair.tabTo(`dialog[open] button[type="submit"]`)
	chair.do("Enter", chromedp.KeyEvent(kb.Enter))
	chair.waitText("#para-p2 .text", "the reports. Revised.")
	chair.waitFor("the dialog closed", `!document.querySelector("dialog[open]")`)
	chair.tabTo(`button[data-k="p2/clear"]`)
	chair.do("Enter", chromedp.KeyEvent(kb.Enter))
	chair.waitText("dialog[open] h2", "Brackets in paragraph 2")
	chair.do("Escape", chromedp.KeyEvent(kb.Escape))
	chair.waitFor("the dialog closed by Escape", `!document.querySelector("dialog[open]")`)
	t.Logf("screenshots in %s", b.shot)
}

// tabTo presses Tab until the element matching sel has the focus, as a
// person using the keyboard only would; it fails after 400 presses.
func (tb *tab) tabTo(sel string) {
	tb.t.Helper()
	for i := 0; i < 400; i++ {
		var at bool
		tb.eval(fmt.Sprintf(`document.activeElement === document.querySelector(%s)`, jsString(sel)), &at)
		if at {
			return
		}
		tb.do("Tab", chromedp.KeyEvent(kb.Tab))
	}
	tb.t.Fatalf("%s: Tab never reached %s", tb.name, sel)
}
