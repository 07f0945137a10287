package server

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/draftroom/draftroom/engine"
)

// TestBrowserKeyboardChair: the chair runs a reading with the keyboard
// only — Tab and Shift+Tab to move, Enter and Space to act, arrow keys in
// a group of choices, Escape to close — at 1440 and at 768 px: opens the
// room from the list of documents, opens a reading, moves it to a
// paragraph, clears its brackets (choose, then confirm), agrees it ad
// ref, opens a dialog and closes it with Escape, and runs the speakers'
// list. At every step the focus is somewhere (never lost to the page when
// the control used goes away), shows (a visible outline), stays inside an
// open dialog, comes back to the control that opened a dialog when it
// closes, and the page is no wider than the screen. Delegations ask for
// the floor from their own screens, with the mouse.
func TestBrowserKeyboardChair(t *testing.T) {
	for _, width := range []int{1440, 768} {
		t.Run(fmt.Sprintf("%dpx", width), func(t *testing.T) { keyboardChair(t, width) })
	}
}

func keyboardChair(t *testing.T, width int) {
	u := startUIServer(t)
	setUpRoom(t, u, liveDraft)
	b := newBrowser(t)
	chair, fra, chn := b.tab("chair"), b.tab("France"), b.tab("China")
	for _, tb := range []*tab{chair, fra, chn} {
		defer tb.checkProblems()
	}
	chair.do("width", chromedp.EmulateViewport(int64(width), 900))
	chair.do("log in", chromedp.Navigate(u.loginLink(Person{ID: "chair-gm-1", Name: "Chair of the Global Mechanism", Role: engine.RoleOfficer})))
	chair.waitFor("logged in", `document.querySelector("#who").textContent !== ""`)
	fra.enter(u.loginLink(Person{ID: "fra-1", Name: "Delegate of France", Role: engine.RoleDelegate, State: "FRA"}), "#/documents/pr")
	chn.enter(u.loginLink(Person{ID: "chn-1", Name: "Delegate of China", Role: engine.RoleDelegate, State: "CHN"}), "#/documents/pr")

	key := func(what string, k string, mods ...chromedp.KeyOption) {
		chair.do(what, chromedp.KeyEvent(k, mods...))
	}
	enter := func() { key("Enter", kb.Enter) }
	// focused checks where the focus is after a step: on the control
	// want (a selector; "" for anywhere but the page itself), drawn with
	// a visible outline, and the page no wider than the screen. The focus
	// is given back when a dialog's close event has run and the page has
	// drawn what the step changed: it waits for that (with the harness's
	// generous deadline), not for a time.
	focused := func(step, want string) {
		t.Helper()
		var got struct {
			OK      bool
			Where   string
			Outline bool
			TooWide bool
		}
		probe := fmt.Sprintf(`(() => { const a = document.activeElement; const want = %s;
			const ok = !!a && a !== document.body && a !== document.documentElement && (!want || a === document.querySelector(want));
			const s = a ? getComputedStyle(a) : null;
			const outline = !!s && ((s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2) || (s.boxShadow && s.boxShadow !== "none"));
			return {ok, where: a ? a.outerHTML.slice(0, 160) : "nothing", outline,
				tooWide: document.documentElement.scrollWidth > window.innerWidth + 1}; })()`, jsString(want))
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(40 * time.Millisecond) {
			chair.eval(probe, &got)
			if got.OK || time.Now().After(deadline) {
				break
			}
		}
		if !got.OK {
			t.Errorf("%s: the focus is on %s, want %s", step, got.Where, nonEmptyString(want, "a control"))
		} else if !got.Outline {
			t.Errorf("%s: the focused control shows no focus outline: %s", step, got.Where)
		}
		if got.TooWide {
			t.Errorf("%s: the page is wider than the screen (%d px)", step, width)
		}
	}
	// trapped presses Tab and Shift+Tab through an open dialog, more
	// times than it has controls, and checks the focus never leaves it.
	trapped := func(step string) {
		t.Helper()
		for i := 0; i < 12; i++ {
			mods := []chromedp.KeyOption{}
			if i >= 6 {
				mods = append(mods, chromedp.KeyModifiers(chromedp.ModifierShift))
			}
			key("Tab in the dialog", kb.Tab, mods...)
			var in bool
			chair.eval(`!!document.activeElement && !!document.activeElement.closest("dialog[open]")`, &in)
			if !in {
				var where string
				chair.eval(`document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : "nothing"`, &where)
				t.Fatalf("%s: Tab %d left the open dialog for %s", step, i+1, where)
			}
		}
	}

	// The room, from the list of documents.
	// (A page load of its own: the hash change after the log-in would
	// draw the list a second time, under the keys.)
	chair.do("the documents", chromedp.Navigate(u.base+"/#/"), chromedp.Reload())
	chair.waitFor("the list", `!!document.querySelector("a.doc-link")`)
	chair.tabTo("a.doc-link")
	focused("the document's link", "a.doc-link")
	enter()
	chair.waitText("#conn", "connected")

	// A reading: the dialog takes the focus and keeps it; Enter on its
	// button opens the reading.
	chair.tabTo(`button[data-k="open-reading"]`)
	focused("Open a reading", `button[data-k="open-reading"]`)
	enter()
	chair.waitText("dialog[open] h2", "Open a reading")
	focused("the reading dialog", "dialog[open] select")
	trapped("the reading dialog")
	// The meeting: the plenary, chosen by typing the start of its name
	// in the list.
	chair.tabTo(`dialog[open] .field:nth-of-type(2) select`)
	chair.do("type the meeting", chromedp.KeyEvent("Second substantive plenary session, adoption"))
	var meeting string
	chair.eval(`document.querySelector("dialog[open] .field:nth-of-type(2) select").value`, &meeting)
	if meeting != "plenary-2027" {
		t.Fatalf("typing chose the meeting %q", meeting)
	}
	chair.tabTo(`dialog[open] button[type="submit"]`)
	enter()
	chair.waitFor("the reading open", `!!document.querySelector('button[data-k="next"]')`)
	chair.waitFor("the dialog closed", `!document.querySelector("dialog")`)
	// The button that opened the dialog is gone with the reading it
	// opened; the focus goes on to the reading's controls.
	focused("after opening the reading", `button[data-k="next"]`)

	// Move the reading on to paragraph 2: Enter on "Next paragraph" twice
	// (the focus stays on it as the panel is redrawn), then back with
	// Shift+Tab to "Previous" and forward again.
	enter()
	chair.waitFor("paragraph 1 read", `document.querySelector("#para-p1").classList.contains("now")`)
	focused("after reading paragraph 1", `button[data-k="next"]`)
	enter()
	chair.waitFor("paragraph 2 read", `document.querySelector("#para-p2").classList.contains("now")`)
	focused("after reading paragraph 2", `button[data-k="next"]`)
	key("Shift+Tab", kb.Tab, chromedp.KeyModifiers(chromedp.ModifierShift))
	focused("Shift+Tab from Next", `button[data-k="prev"]`)

	// Clear the brackets of paragraph 2: choose with the arrow keys
	// (nothing is sent), then confirm.
	chair.tabTo(`button[data-k="p2/clear"]`)
	focused("Clear brackets", `button[data-k="p2/clear"]`)
	enter()
	chair.waitText("dialog[open] h2", "Brackets in paragraph 2")
	focused("the brackets dialog", "dialog[open] input[type=radio]")
	trapped("the brackets dialog")
	chair.tabTo(`dialog[open] input[data-choice$="/leave"]`)
	key("choose: keep the first", kb.ArrowDown)
	key("Tab to the second", kb.Tab)
	key("choose: drop the second", kb.ArrowDown)
	key("choose: drop the second", kb.ArrowDown)
	var chosen []string
	chair.eval(`[...document.querySelectorAll("dialog[open] input[type=radio]:checked")].map((r) => r.value)`, &chosen)
	if strings.Join(chosen, ",") != "keep,drop" {
		t.Fatalf("the keys chose %v, want keep, drop", chosen)
	}
	chair.waitFor("nothing sent yet", `document.querySelector("#para-p2 .text").textContent.includes("[noted with appreciation][welcomed]")`)
	chair.tabTo(`dialog[open] button[type="submit"]`)
	enter()
	chair.waitFor("the dialog closed", `!document.querySelector("dialog")`)
	chair.waitFor("the brackets cleared", `(() => { const x = document.querySelector("#para-p2 .text").textContent; return !x.includes("[") && !x.includes("welcomed") && x.includes("noted with appreciation the reports"); })()`)
	// "Clear brackets" is gone with the brackets: the focus is on the
	// paragraph, not lost.
	focused("after clearing the brackets", "")

	// Agree paragraph 2 ad ref with Space.
	chair.tabTo(`button[data-k="p2/agree"]`)
	focused("Agree ad ref", `button[data-k="p2/agree"]`)
	key("Space", " ")
	chair.waitFor("paragraph 2 agreed", `document.querySelector("#para-p2").getAttribute("data-status") === "agreed-ad-ref" || document.querySelector("#para-p2").className.includes("agreed")`)
	focused("after agreeing ad ref", "")

	// A dialog closed with Escape gives the focus back to its button.
	chair.tabTo(`button[data-k="floor-time"]`)
	enter()
	chair.waitText("dialog[open] h2", "Speaking time")
	focused("the speaking time dialog", "dialog[open] input")
	key("Escape", kb.Escape)
	chair.waitFor("the dialog closed by Escape", `!document.querySelector("dialog")`)
	focused("after Escape", `button[data-k="floor-time"]`)

	// The speakers' list: France and China ask for the floor; the chair
	// gives it to France, then calls the next speaker, and sets a
	// speaking time by typing it.
	fra.click(`button[data-k="floor-ask"]`)
	chair.waitFor("France on the list", `!!document.querySelector('button[data-k="give/FRA"]')`)
	chn.click(`button[data-k="floor-ask"]`)
	chair.waitFor("China on the list", `!!document.querySelector('button[data-k="give/CHN"]')`)
	chair.tabTo(`button[data-k="give/FRA"]`)
	focused("Give the floor to France", `button[data-k="give/FRA"]`)
	enter()
	chair.waitText(".speaking", "FRA")
	focused("after giving the floor", "")
	chair.tabTo(`button[data-k="floor-next"]`)
	enter()
	chair.waitText(".speaking", "CHN")
	focused("after calling the next speaker", "")
	chair.tabTo(`button[data-k="floor-time"]`)
	enter()
	chair.waitText("dialog[open] h2", "Speaking time")
	chair.do("type three minutes", chromedp.KeyEvent(kb.End), chromedp.KeyEvent("3"))
	chair.tabTo(`dialog[open] button[type="submit"]`)
	enter()
	chair.waitFor("the dialog closed", `!document.querySelector("dialog")`)
	chair.waitFor("the speaking time set", `[...document.querySelectorAll(".hint")].some((h) => h.textContent.includes("3 minutes"))`)
	focused("after setting the speaking time", `button[data-k="floor-time"]`)
	for _, tb := range []*tab{fra, chn} {
		tb.waitText(".speaking", "CHN")
	}
	chair.screenshot(fmt.Sprintf("keyboard-chair-%d", width))
	if !strings.Contains(chair.text(".speaking"), "CHN") {
		t.Error("China does not have the floor")
	}
}

func nonEmptyString(s, or string) string {
	if s == "" {
		return or
	}
	return s
}
