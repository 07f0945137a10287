package server

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/draftroom/draftroom/engine"
)

// liveDraft is the draft of the live-truth test: Markdown emphasis in
// paragraph 1, alternatives in paragraph 2, a bracket in paragraph 3 and
// a long paragraph 4 whose words an amendment changes.
const liveDraft = `# Draft report of the test mechanism
<!-- symbol: A/AC.999/2027/CRP.1 -->

## A. General

1. States agreed that *no two meetings* are held in parallel, and **first** things first.

2. States recalled resolution 75/240 and [noted with appreciation][welcomed] the reports.

3. States [noted] the importance of the maintenance of international peace and security.

4. The Mechanism will promote confidence-building measures among States in every region.
`

// setUpRoom sets up the permanent mechanism and imports draft as document
// pr of its plenary, as the secretariat does on its desk.
func setUpRoom(t *testing.T, u *uiServer, draft string) {
	t.Helper()
	sec := Person{ID: "sec", Name: "Secretariat officer", Role: engine.RoleSecretariat}
	if _, err := u.srv.CreateProcess(context.Background(), sec, CreateProcessRequest{Template: "permanent-mechanism"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := u.srv.CreateDocument(context.Background(), sec, CreateDocumentRequest{ID: "pr", Text: draft, Process: "permanent-mechanism", Body: "plenary", Meeting: "plenary-2027"}); err != nil {
		t.Fatal(err)
	}
}

// enter logs a tab in with a one-time link and opens the room. The page
// may reload itself once logged in, to take the language the person chose
// on another browser.
func (tb *tab) enter(link, hash string) {
	tb.t.Helper()
	tb.do("log in", chromedp.Navigate(link))
	tb.afterReload("logged in", `document.querySelector("#who").textContent !== ""`)
	tb.do("open "+hash, chromedp.Navigate(strings.SplitN(link, "/login", 2)[0]+"/"+hash))
}

// TestBrowserLiveTruth: every open screen tells the truth without a
// reload, and the chair's and delegates' tools say and offer only what
// applies (issue 17, defects 1–5, 9 and 10). The chair, France, China and
// the secretariat each have a browser context of their own; the chair's
// screen is 1440 px wide.
func TestBrowserLiveTruth(t *testing.T) {
	u := startUIServer(t)
	setUpRoom(t, u, liveDraft)
	b := newBrowser(t)
	secLink := u.loginLink(Person{ID: "sec", Name: "Secretariat officer", Role: engine.RoleSecretariat})
	chairLink := u.loginLink(Person{ID: "chair-gm-1", Name: "Chair", Role: engine.RoleOfficer})
	fraLink := u.loginLink(Person{ID: "fra-1", Name: "Delegate of France", Role: engine.RoleDelegate, State: "FRA"})
	chnLink := u.loginLink(Person{ID: "chn-1", Name: "Delegate of China", Role: engine.RoleDelegate, State: "CHN"})
	sec, chair, fra, chn := b.tab("secretariat"), b.tab("chair"), b.tab("France"), b.tab("China")
	all := []*tab{sec, chair, fra, chn}
	defer func() {
		for _, tb := range all {
			tb.checkProblems()
		}
	}()
	chair.do("a 1440 px screen", chromedp.EmulateViewport(1440, 900))
	for tb, link := range map[*tab]string{sec: secLink, chair: chairLink, fra: fraLink, chn: chnLink} {
		tb.enter(link, "#/documents/pr")
	}
	for _, tb := range all {
		tb.waitText("#conn", "connected")
		tb.waitText("#para-p4 .text", "confidence-building")
		tb.eval(`window.notReloaded = true`, nil)
	}

	// Defect 10: "Chair (Chair)" — a role the name says is not repeated.
	if got := chair.text("#who"); strings.Count(strings.ToLower(got), "chair") != 1 {
		t.Errorf("the chair's header reads %q", got)
	}

	// Defect 4: Markdown emphasis is drawn, its marks hidden, on every
	// screen (the projector and observers draw the same paragraphs).
	for _, tb := range all {
		var md struct {
			Em, Strong, Visible string
		}
		tb.eval(`({em: document.querySelector("#para-p1 .text em")?.textContent || "", strong: document.querySelector("#para-p1 .text strong")?.textContent || "",
			visible: document.querySelector("#para-p1 .text").innerText})`, &md)
		if md.Em != "no two meetings" || md.Strong != "first" || strings.Contains(md.Visible, "*") {
			t.Errorf("%s: paragraph 1 is drawn as %+v", tb.name, md)
		}
	}

	// The secretariat issues the zero draft. Defect 10: the revisions
	// are not numbered from "0.", and dates are written "3 December 2026".
	sec.click(`button[data-k="issue"]`)
	sec.dialog("Issue a revision", map[string]string{"select": "zero-draft"})
	fra.waitText(`section[aria-label="Revisions"]`, "A/AC.292/2027/CRP.1")
	var rev struct {
		Ordered bool
		Text    string
	}
	fra.eval(`({ordered: !!document.querySelector('section[aria-label="Revisions"] ol'), text: document.querySelector('section[aria-label="Revisions"] li').textContent})`, &rev)
	unDate := regexp.MustCompile(`\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\b`)
	if rev.Ordered || !unDate.MatchString(rev.Text) {
		t.Errorf("France's list of revisions: ordered %v, %q", rev.Ordered, rev.Text)
	}

	// The chair holds a first reading, then opens the second and reads
	// paragraph 1.
	chair.click(`button[data-k="open-reading"]`)
	chair.dialog("Open a reading", map[string]string{"select:nth-of-type(1)": "first", ".field:nth-of-type(2) select": "plenary-2027"})
	chair.click(`button[data-k="close-reading"]`)
	chair.waitText(`section[aria-label="Reading"]`, "No reading in progress")
	chair.click(`button[data-k="open-reading"]`)
	chair.dialog("Open a reading", map[string]string{"select:nth-of-type(1)": "second", ".field:nth-of-type(2) select": "plenary-2027"})
	chair.click(`button[data-k="next"]`)
	for _, tb := range all {
		tb.waitFor("paragraph 1 read", `document.querySelector("#para-p1").classList.contains("now")`)
	}

	// Defect 9: no "Read now" on the paragraph being read, no "Agree ad
	// ref" on one not yet read, and the pen's tools folded elsewhere.
	var console struct {
		ReadNowHere, AgreeUnread, ReadNowThere bool
		Visible                                int
	}
	chair.eval(`(() => { const vis = (sel) => [...document.querySelectorAll(sel)].filter((b) => b.checkVisibility());
		return {readNowHere: vis('button[data-k="p1/read"]').length > 0, agreeUnread: vis('button[data-k="p2/agree"]').length > 0,
			readNowThere: vis('button[data-k="p2/read"]').length > 0, visible: vis('#para-p2 > .actions button').length}; })()`, &console)
	var labels []string
	chair.eval(`[...document.querySelectorAll('#para-p2 > .actions button')].filter((b) => b.checkVisibility()).map((b) => b.textContent)`, &labels)
	if console.ReadNowHere || console.AgreeUnread || !console.ReadNowThere || console.Visible > 3 {
		t.Errorf("the chair's console: %+v (want no Read now on the paragraph being read, no Agree on an unread one, at most 3 buttons shown on paragraph 2: %q)", console, labels)
	}

	// France replaces "first", which is in bold: the selection is mapped
	// to the text with its marks.
	fra.selectText("p1", "first")
	fra.click(`button[data-k="p1/propose"]`)
	fra.dialog("Propose an amendment to paragraph 1", map[string]string{"select": "replace", "textarea": "foremost"})
	chn.waitText("#amend-a1 del", "first")
	chn.waitText("#amend-a1 ins", "foremost")
	// The chair accepts it: the paragraph keeps its emphasis.
	chair.click(`button[data-k="a1/accept"]`)
	fra.waitText("#para-p1 .text strong", "foremost")

	// Defect 5: an amendment that opens a bracket it never closes is
	// refused, in words that start with a capital letter (defect 10).
	fra.selectText("p4", "promote")
	fra.click(`button[data-k="p4/propose"]`)
	fra.waitText("dialog[open] h2", "Propose an amendment to paragraph 4")
	fra.setField("dialog[open] select", "replace")
	fra.setField("dialog[open] textarea", "[foster")
	fra.click(`dialog[open] button[type="submit"]`)
	fra.waitText("dialog[open] .dialog-error", "unbalanced “[”")
	if msg := fra.text("dialog[open] .dialog-error"); !strings.HasPrefix(msg, "The text of the amendment to paragraph 4") {
		t.Errorf("the refusal reads %q", msg)
	}
	fra.setField("dialog[open] textarea", "foster")
	fra.click(`dialog[open] button[type="submit"]`)
	fra.waitFor("the dialog to close", `!document.querySelector("dialog[open]")`)
	// …and its context is cut between words.
	for _, tb := range all {
		tb.waitText("#amend-a2 ins", "foster")
	}
	if ctx := chn.text("#amend-a2 .change .preview"); !strings.HasSuffix(ctx, " confidence-building…") || strings.Contains(ctx, "mea…") {
		t.Errorf("the context of a2 is %q, want it cut between words", ctx)
	}
	// The amendment applied: the whole paragraph as it would read, with
	// the words it changes struck and inserted.
	chn.click(`summary[data-k="a2/applied"]`)
	chn.waitText("#amend-a2 .applied-text", "among States in every region.")
	if got := chn.text("#amend-a2 .applied-text"); got != "The Mechanism will promotefoster confidence-building measures among States in every region." ||
		chn.text("#amend-a2 .applied-text del") != "promote" || chn.text("#amend-a2 .applied-text ins") != "foster" {
		t.Errorf("a2 applied reads %q", got)
	}

	// Defect 10: France is not offered Support or Object on its own
	// amendment; China is.
	var offered struct{ Own, Other int }
	fra.eval(`({own: document.querySelectorAll('button[data-k="a2/support"], button[data-k="a2/oppose"]').length})`, &offered)
	chn.eval(`({other: document.querySelectorAll('button[data-k="a2/support"], button[data-k="a2/oppose"]').length})`, &offered)
	if offered.Own != 0 {
		t.Errorf("France is offered %d position buttons on its own amendment", offered.Own)
	}
	chn.click(`button[data-k="a2/oppose"]`)
	chair.waitText(`section[aria-label="Standing objections"]`, "CHN on amendment a2 (paragraph 4)")

	// Defects 1 and 2: the chair edits paragraph 4 and drops the word a2
	// replaces. Every open screen moves a2 to the decided amendments as
	// obsolete, offers no decision on it any more, and the standing
	// objection to it goes — without a reload.
	chair.click(`button[data-k="p4/read"]`)
	chair.waitFor("paragraph 4 read", `document.querySelector("#para-p4").classList.contains("now")`)
	chair.click(`button[data-k="p4/edit"]`)
	chair.dialog("Edit paragraph 4", map[string]string{"textarea": "The Mechanism will encourage confidence-building measures among States in every region."})
	for _, tb := range all {
		tb.waitFor("a2 obsolete on "+tb.name, `(() => { const a = document.querySelector("#amend-a2");
			return !!a && !!a.closest("details.decided") && a.textContent.includes("obsolete") && !a.querySelector("button"); })()`)
	}
	chair.waitText(`section[aria-label="Standing objections"]`, "None")
	// The paragraph's history: who changed it, by which decision, and
	// what.
	fra.click(`button[data-k="p4/history"]`)
	fra.waitText("dialog[open] h2", "History of paragraph 4")
	fra.waitText(`dialog[open] li[data-version="2"]`, "text edited")
	if v2 := fra.text(`dialog[open] li[data-version="2"]`); !strings.Contains(v2, "Chair") || fra.text(`dialog[open] li[data-version="2"] del`) != "promote" ||
		fra.text(`dialog[open] li[data-version="2"] ins`) != "encourage" || !strings.Contains(fra.text(`dialog[open] li[data-version="1"]`), "as first issued") {
		t.Errorf("the history of paragraph 4 reads %q", fra.text("dialog[open] ol.history"))
	}
	fra.click(`dialog[open] button.secondary`)
	fra.click(`button[data-k="p1/history"]`)
	fra.waitText(`dialog[open] li[data-version="2"]`, "amendment a1 by FRA accepted")
	fra.click(`dialog[open] button.secondary`)
	for _, tb := range all {
		var kept bool
		tb.eval(`window.notReloaded === true`, &kept)
		if !kept {
			t.Errorf("%s: the page was reloaded", tb.name)
		}
	}
	// Paragraph 4 agreed ad ref: the objection to the obsolete amendment
	// does not come back, not even after a reload.
	chair.click(`button[data-k="p4/agree"]`)
	fra.waitText("#para-p4 .badge", "agreed ad ref")
	chair.do("reload", chromedp.Reload())
	chair.waitText("#conn", "connected")
	chair.waitText(`section[aria-label="Standing objections"]`, "None")

	// Defect 3: clearing brackets is choose, then confirm. A choice
	// alone changes nothing: the chair chooses, cancels, then moves the
	// pointer — once the pointer has moved on France's screen, anything
	// the chair's page had sent before would be there too.
	chair.click(`button[data-k="p2/read"]`)
	chair.waitFor("paragraph 2 read", `document.querySelector("#para-p2").classList.contains("now")`)
	chair.click(`button[data-k="p2/clear"]`)
	chair.waitText("dialog[open] h2", "Brackets in paragraph 2")
	chair.click(`dialog[open] input[data-choice="0/drop"]`)
	chair.click(`dialog[open] button.secondary`) // Cancel
	chair.click(`button[data-k="p3/read"]`)
	fra.waitFor("paragraph 3 read", `document.querySelector("#para-p3").classList.contains("now")`)
	if got := fra.text("#para-p2 .text"); !strings.Contains(got, "[noted with appreciation][welcomed]") {
		t.Errorf("a choice in the dialog, cancelled, changed paragraph 2: %q", got)
	}
	chair.click(`button[data-k="p2/clear"]`)
	chair.click(`dialog[open] input[data-choice="0/drop"]`)
	chair.click(`dialog[open] input[data-choice="1/keep"]`)
	chair.click(`dialog[open] button[type="submit"]`)
	chair.waitFor("the dialog to close", `!document.querySelector("dialog[open]")`)
	for _, tb := range all {
		tb.waitText("#para-p2 .text", "States recalled resolution 75/240 and welcomed the reports.")
	}

	// Defect 9: a refusal does not cover the standing objections.
	chair.click(`button[data-k="p3/agree"]`)
	chair.waitFor("the refusal", `!document.querySelector("#toast").hidden`)
	var cover struct {
		Overlap bool
		Msg     string
	}
	chair.eval(`(() => { const o = document.querySelector('section[aria-label="Standing objections"]'); o.scrollIntoView({block: "end", behavior: "instant"});
		const a = document.querySelector("#toast").getBoundingClientRect(), b = o.getBoundingClientRect();
		return {overlap: a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom, msg: document.querySelector("#toast .toast-msg").textContent}; })()`, &cover)
	if cover.Overlap {
		t.Errorf("the refusal %q covers the standing objections", cover.Msg)
	}
	if !strings.HasPrefix(cover.Msg, "Paragraph 3 cannot be agreed ad ref") || !strings.Contains(cover.Msg, "1 bracket") || strings.Contains(cover.Msg, "(s)") {
		t.Errorf("the refusal reads %q", cover.Msg)
	}
	// Decisions are dated in the one style.
	chair.waitText(`section[aria-label="Decisions taken"]`, "paragraph 4")
	if got := chair.text(`section[aria-label="Decisions taken"]`); !unDate.MatchString(got) {
		t.Errorf("the decisions read %q", got)
	}
	chair.screenshot("chair-console-refusal-1440")

	// Defect 12: in the Word compare of Rev.1 with the zero draft, the
	// words the chair dropped while clearing brackets are a tracked
	// deletion by the Chair, not by the secretariat.
	sec.click(`button[data-k="issue"]`)
	sec.dialog("Issue a revision", map[string]string{"select": "rev"})
	sec.waitText(`section[aria-label="Revisions"]`, "Rev.1")
	var docx string
	sec.eval(`(async () => { const r = await fetch("/api/documents/pr/export?report=compare&format=docx&rev=1&against=0");
		const b = new Uint8Array(await r.arrayBuffer()); let s = ""; for (const x of b) s += String.fromCharCode(x); return btoa(s); })()`, &docx)
	raw, err := base64.StdEncoding.DecodeString(docx)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		t.Fatalf("the compare is not a .docx: %v", err)
	}
	var body []byte
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			body, _ = io.ReadAll(rc)
			rc.Close()
		}
	}
	del := regexp.MustCompile(`<w:del [^>]*w:author="([^"]*)"[^>]*>(?:(?:.(?:[^<]|<[^/]|</[^w]|</w:[^d])*?))noted with appreciation`)
	if m := del.FindSubmatch(body); m == nil || string(m[1]) != "Chair" {
		t.Errorf("the deletion of [noted with appreciation] in the compare is authored %q, want Chair", m)
	}
	t.Logf("screenshots in %s", b.shot)
}

// TestBrowserViewerAndLogins: a projector logs in as a viewer, shows the
// room read-only and is never sent a delegate's name or identity (issue
// 17, defect 6); a used login link gives a page in the UI's style with the
// way back to the log-in form (defect 7); the secretariat's desk uses a
// 1440 px screen (defect 8).
func TestBrowserViewerAndLogins(t *testing.T) {
	u := startUIServer(t)
	setUpRoom(t, u, liveDraft)
	b := newBrowser(t)
	chairLink := u.loginLink(Person{ID: "chair-gm-1", Name: "Chair", Role: engine.RoleOfficer})
	fraLink := u.loginLink(Person{ID: "fra-1", Name: "Delegate of France", Role: engine.RoleDelegate, State: "FRA"})
	viewerLink := u.loginLink(Person{ID: "projector", Name: "Projector of room 4", Role: engine.RoleViewer})
	secLink := u.loginLink(Person{ID: "sec", Name: "Secretariat officer", Role: engine.RoleSecretariat})
	chair, fra, screen, late, sec := b.tab("chair"), b.tab("France"), b.tab("projector"), b.tab("late comer"), b.tab("secretariat")
	all := []*tab{chair, fra, screen, late, sec}
	defer func() {
		for _, tb := range all {
			tb.checkProblems()
		}
	}()

	// The projector records every frame its page receives.
	if _, err := chromedp.Call(screen.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: `(() => { window.__frames = []; const W = window.WebSocket;
			window.WebSocket = function (...a) { const ws = new W(...a); ws.addEventListener("message", (m) => window.__frames.push(String(m.data))); return ws; };
			window.WebSocket.prototype = W.prototype; window.WebSocket.OPEN = W.OPEN; })()`}); err != nil {
		t.Fatal(err)
	}
	chair.enter(chairLink, "#/documents/pr")
	fra.enter(fraLink, "#/documents/pr")
	screen.do("log in", chromedp.Navigate(viewerLink))
	screen.waitFor("the list of documents", `!!document.querySelector("a.doc-link")`)
	screen.click("a.doc-link")
	screen.waitFor("the projector view", `document.body.classList.contains("projector-mode") && !!document.querySelector(".room.projector #para-p1")`)
	for _, tb := range []*tab{chair, fra} {
		tb.waitText("#conn", "connected")
	}

	// The chair reads paragraph 1 after a first reading; France proposes
	// and states a position: the projector follows, live.
	chair.click(`button[data-k="open-reading"]`)
	chair.dialog("Open a reading", map[string]string{"select:nth-of-type(1)": "first", ".field:nth-of-type(2) select": "plenary-2027"})
	chair.click(`button[data-k="next"]`)
	screen.waitFor("paragraph 1 on the projector", `document.querySelector("#para-p1").classList.contains("now")`)
	fra.click(`button[data-k="p1/support"]`)
	chair.click(`button[data-k="close-reading"]`)
	chair.click(`button[data-k="open-reading"]`)
	chair.dialog("Open a reading", map[string]string{"select:nth-of-type(1)": "second", ".field:nth-of-type(2) select": "plenary-2027"})
	fra.selectText("p4", "promote")
	fra.click(`button[data-k="p4/propose"]`)
	fra.dialog("Propose an amendment to paragraph 4", map[string]string{"select": "replace", "textarea": "foster"})
	screen.waitText("#amend-a1 ins", "foster")
	var shown struct {
		Buttons int
		Leave   bool
		Who     string
	}
	screen.eval(`({buttons: document.querySelectorAll(".text-col button").length, leave: !!document.querySelector(".projector-bar .leave"), who: document.body.innerText})`, &shown)
	if shown.Buttons != 0 || shown.Leave {
		t.Errorf("the projector offers %d buttons, leave %v", shown.Buttons, shown.Leave)
	}
	// Read-only: a command, the events and the record are refused.
	var refused struct {
		Command, Events, Record int
		Message                 string
	}
	screen.eval(`(async () => { const c = await fetch("/api/documents/pr/commands", {method: "POST", headers: {"Content-Type": "application/json"},
			body: JSON.stringify({name: "floor.ask", command: {delegation: "FRA"}})});
		const e = await fetch("/api/documents/pr/events"); const r = await fetch("/api/documents/pr/record");
		return {command: c.status, events: e.status, record: r.status, message: (await c.json()).error.message}; })()`, &refused)
	if refused.Command != 403 || refused.Events != 403 || refused.Record != 403 || !strings.Contains(refused.Message, "a viewer shows the room") {
		t.Errorf("the viewer's requests: %+v", refused)
	}
	// No frame, no document view, names a delegate or any other person.
	var got struct {
		Frames []string
		View   string
	}
	screen.eval(`(async () => ({frames: window.__frames, view: await (await fetch("/api/documents/pr")).text()}))()`, &got)
	all17 := strings.Join(got.Frames, "\n") + got.View
	if len(got.Frames) < 3 || !strings.Contains(all17, `"FRA"`) {
		t.Fatalf("the projector recorded %d frames: %.300s", len(got.Frames), all17)
	}
	for _, who := range []string{"fra-1", "Delegate of France", "chair-gm-1", `"Chair"`} {
		if strings.Contains(all17, who) {
			t.Errorf("the viewer was sent %q", who)
		}
	}
	screen.screenshot("projector-viewer")

	// Defect 7: a used login link.
	late.do("open a used link", chromedp.Navigate(fraLink))
	late.waitText("#login-refused h1", "This login link cannot be used")
	var refusedPage struct {
		Msg   string
		Width string
	}
	late.eval(`({msg: document.querySelector("#login-refused .error-text").textContent, width: getComputedStyle(document.querySelector(".login")).maxWidth})`, &refusedPage)
	if !strings.HasPrefix(refusedPage.Msg, "This login code is not valid") || refusedPage.Width == "none" {
		t.Errorf("the refused link's page: %+v (want the message and the UI's style)", refusedPage)
	}
	late.do("follow the link back", chromedp.Click(chromedp.CSS("#to-login")))
	late.do("the log-in form", chromedp.WaitVisible(chromedp.CSS("#code")))

	// Defect 8: the desk at 1440 px: every "Issue login" button whole,
	// the processes across the page.
	for _, p := range demoPeople { // long names, organisations
		if p.ID != "chair-gm-1" && p.ID != "fra-1" && p.ID != "projector" {
			u.loginLink(p)
		}
	}
	sec.do("a 1440 px screen", chromedp.EmulateViewport(1440, 900))
	sec.enter(secLink, "#/desk")
	sec.waitFor("the people", `document.querySelectorAll("button[data-person]").length >= 4`)
	var desk struct {
		Cut        []string
		Processes  float64
		Grid       float64
		Scrollable bool
	}
	check := `(() => { const cut = [];
		for (const b of document.querySelectorAll("button[data-person]")) { const w = b.closest(".table-wrap").getBoundingClientRect(), r = b.getBoundingClientRect();
			if (r.right > w.right + 0.5 || r.left < w.left - 0.5) cut.push(b.dataset.person); }
		return {cut, processes: document.querySelector('[aria-labelledby="h-processes"]').getBoundingClientRect().width,
			grid: document.querySelector(".desk-grid").getBoundingClientRect().width, scrollable: document.documentElement.scrollWidth > window.innerWidth + 1}; })()`
	sec.eval(check, &desk)
	if len(desk.Cut) > 0 || desk.Processes < 0.9*desk.Grid || desk.Scrollable {
		t.Errorf("the desk at 1440 px: %+v", desk)
	}
	sec.screenshot("secretariat-desk-1440")
	sec.do("a 768 px screen", chromedp.EmulateViewport(768, 1024))
	sec.eval(check, &desk)
	if len(desk.Cut) > 0 || desk.Scrollable {
		t.Errorf("the desk at 768 px: %+v", desk)
	}
	sec.screenshot("secretariat-desk-768")
}

// TestBrowserAmendmentList: one view of all amendments, filtered by State,
// paragraph, status and positions and searched by words, kept current
// live while other delegations propose and object.
func TestBrowserAmendmentList(t *testing.T) {
	u := startUIServer(t)
	setUpRoom(t, u, liveDraft)
	b := newBrowser(t)
	fra, chn, ken := b.tab("France"), b.tab("China"), b.tab("Kenya")
	all := []*tab{fra, chn, ken}
	defer func() {
		for _, tb := range all {
			tb.checkProblems()
		}
	}()
	fra.enter(u.loginLink(Person{ID: "fra-1", Name: "Delegate of France", Role: engine.RoleDelegate, State: "FRA"}), "#/documents/pr")
	chn.enter(u.loginLink(Person{ID: "chn-1", Name: "Delegate of China", Role: engine.RoleDelegate, State: "CHN"}), "#/documents/pr")
	ken.enter(u.loginLink(Person{ID: "ken-1", Name: "Delegate of Kenya", Role: engine.RoleDelegate, State: "KEN"}), "#/documents/pr/amendments")
	for _, tb := range all {
		tb.waitText("#conn", "connected")
	}
	ken.waitText("#al-count", "0 amendments of 0 shown")
	ken.eval(`window.notReloaded = true`, nil)
	propose := func(tb *tab, para, words, op, text string) {
		// A selection is read when the button is pressed; should the
		// paragraph be redrawn in between, the dialog offers no
		// "replace", and the delegate selects again.
		for try := 0; ; try++ {
			tb.selectText(para, words)
			tb.click(`button[data-k="` + para + `/propose"]`)
			tb.waitText("dialog[open] h2", "Propose an amendment")
			var has bool
			tb.eval(`!!document.querySelector('dialog[open] select option[value="`+op+`"]')`, &has)
			if has {
				break
			}
			if try == 3 {
				t.Fatalf("%s: the dialog never offered %s", tb.name, op)
			}
			tb.click(`dialog[open] button.secondary`)
			tb.waitFor("the dialog to close", `!document.querySelector("dialog[open]")`)
		}
		tb.setField("dialog[open] select", op)
		if op != "delete" {
			tb.setField("dialog[open] textarea", text)
		}
		tb.click(`dialog[open] button[type="submit"]`)
		tb.waitFor("the dialog to close", `!document.querySelector("dialog[open]")`)
	}
	propose(fra, "p4", "promote", "replace", "foster")
	propose(chn, "p3", "maintenance", "replace", "preservation")
	propose(fra, "p3", "international", "delete", "")
	// Kenya's list follows, live, without a reload; it searches as it
	// types and keeps what it typed.
	ken.waitText("#al-count", "3 amendments of 3 shown")
	ken.do("type a search", chromedp.SendKeys(chromedp.CSS("#al-q"), "preserv"))
	ken.waitText("#al-count", "1 amendment of 3 shown")
	if got := ken.text("tbody tr"); !strings.Contains(got, "a2") || !strings.Contains(got, "CHN") {
		t.Errorf("the search found %q", got)
	}
	chn.click(`button[data-k="a1/oppose"]`)
	propose(chn, "p4", "every region", "replace", "all regions")
	ken.waitText("#al-count", "1 amendment of 4 shown")
	var focus string
	ken.eval(`document.activeElement.id + "=" + document.activeElement.value`, &focus)
	if focus != "al-q=preserv" {
		t.Errorf("the search box lost its focus or text: %q", focus)
	}
	ken.setField("#al-q", "")
	ken.setField("#al-stance", "objected")
	ken.waitText("#al-count", "1 amendment of 4 shown")
	ken.waitText("tbody tr", "Object: CHN")
	ken.setField("#al-stance", "")
	ken.setField("#al-state", "FRA")
	ken.waitText("#al-count", "2 amendments of 4 shown")
	ken.setField("#al-para", "p4")
	ken.waitText("#al-count", "1 amendment of 4 shown")
	ken.setField("#al-state", "")
	ken.waitText("#al-count", "2 amendments of 4 shown")
	// France withdraws a1: the status filter sees it at once.
	ken.setField("#al-para", "")
	ken.setField("#al-status", "withdrawn")
	ken.waitText("#al-count", "0 amendments of 4 shown")
	fra.click(`button[data-k="a1/withdraw"]`)
	ken.waitText("#al-count", "1 amendment of 4 shown")
	ken.waitText("tbody tr", "withdrawn")
	var kept bool
	ken.eval(`window.notReloaded === true`, &kept)
	if !kept {
		t.Error("Kenya's page was reloaded")
	}
	ken.screenshot("amendment-list")
	// From the list to the amendment in the text.
	ken.setField("#al-status", "")
	ken.click(`tr[data-amendment="a3"] a[data-para]`)
	ken.waitFor("the amendment in the text", `document.activeElement && document.activeElement.id === "amend-a3"`)
}

// TestBrowserSpeakersList: the chair sets a speaking time that every
// screen and the projector count down; member States speak on behalf of
// their group; a right of reply waits for the end of the list.
func TestBrowserSpeakersList(t *testing.T) {
	u := startUIServer(t)
	setUpRoom(t, u, liveDraft)
	b := newBrowser(t)
	chair, egy, fra, rus, screen := b.tab("chair"), b.tab("Egypt"), b.tab("France"), b.tab("Russian Federation"), b.tab("projector")
	all := []*tab{chair, egy, fra, rus, screen}
	defer func() {
		for _, tb := range all {
			tb.checkProblems()
		}
	}()
	chair.enter(u.loginLink(Person{ID: "chair-gm-1", Name: "Chair", Role: engine.RoleOfficer}), "#/documents/pr")
	egy.enter(u.loginLink(Person{ID: "egy-1", Name: "Delegate of Egypt", Role: engine.RoleDelegate, State: "EGY"}), "#/documents/pr")
	fra.enter(u.loginLink(Person{ID: "fra-1", Name: "Delegate of France", Role: engine.RoleDelegate, State: "FRA"}), "#/documents/pr")
	rus.enter(u.loginLink(Person{ID: "rus-1", Name: "Delegate of the Russian Federation", Role: engine.RoleDelegate, State: "RUS"}), "#/documents/pr")
	screen.enter(u.loginLink(Person{ID: "projector", Name: "Projector", Role: engine.RoleViewer}), "#/documents/pr/projector")
	chair.waitText("#conn", "connected")
	chair.click(`button[data-k="open-reading"]`)
	chair.dialog("Open a reading", map[string]string{"select:nth-of-type(1)": "first", ".field:nth-of-type(2) select": "plenary-2027"})
	chair.click(`button[data-k="floor-time"]`)
	chair.dialog("Speaking time", map[string]string{"#speaking-minutes": "3", "#reply-minutes": "1"})
	for _, tb := range []*tab{egy, fra, rus} {
		tb.waitText(`section[aria-label="Floor"]`, "Speaking time: 3 minutes; right of reply: 1 minute.")
	}
	// Egypt speaks for the G77, France for the EU; Russia asks for a
	// right of reply. France is offered the EU, not the G77.
	var offered []string
	fra.eval(`[...document.querySelectorAll('button[data-k^="floor-ask/"]')].map((b) => b.textContent)`, &offered)
	if strings.Join(offered, ",") != "Ask on behalf of EU" {
		t.Errorf("France is offered %q", offered)
	}
	rus.click(`button[data-k="floor-reply"]`)
	egy.click(`button[data-k="floor-ask/G77"]`)
	fra.click(`button[data-k="floor-ask/EU"]`)
	chair.waitText(`ol.queue li[data-delegation="RUS"]`, "RUS (right of reply)")
	chair.waitText(`ol.queue li[data-delegation="EGY"]`, "EGY on behalf of G77")
	chair.waitText(`ol.queue li[data-delegation="FRA"]`, "FRA on behalf of EU")
	chair.click(`button[data-k="floor-next"]`)
	clock := regexp.MustCompile(`^[0-3]:[0-5]\d$`)
	for _, tb := range []*tab{screen, rus} {
		tb.waitText(".speaking-clock", ":")
	}
	screen.waitText(".projector-bar .floor-now", "Floor: EGY on behalf of G77")
	if c := screen.text(".projector-bar .speaking-clock"); !clock.MatchString(c) {
		t.Errorf("the projector's clock reads %q", c)
	}
	chair.click(`button[data-k="floor-next"]`)
	screen.waitText(".projector-bar .floor-now", "Floor: FRA on behalf of EU")
	chair.click(`button[data-k="floor-next"]`)
	screen.waitText(".projector-bar .floor-now", "Floor: RUS (right of reply)")
	// The reply's time runs out: every screen says so.
	chair.click(`button[data-k="floor-time"]`)
	chair.dialog("Speaking time", map[string]string{"#speaking-minutes": "3", "#reply-minutes": "0.02"})
	for _, tb := range []*tab{screen, chair, rus} {
		tb.waitFor("the time up on "+tb.name, `(() => { const c = document.querySelector(".speaking-clock"); return !!c && c.textContent === "time is up" && c.classList.contains("over"); })()`)
	}
	screen.screenshot("projector-floor")
}

// TestBrowserLineNumbers: line numbers, fixed at 80 characters a line,
// shown in the room when asked for and always on the projector, and used
// to cite an amendment ("paragraph 4, line 2").
func TestBrowserLineNumbers(t *testing.T) {
	u := startUIServer(t)
	setUpRoom(t, u, liveDraft+"\n5. States "+strings.Repeat("recalled the *importance* of cooperation and ", 4)+"agreed.\n")
	b := newBrowser(t)
	fra, screen := b.tab("France"), b.tab("projector")
	defer fra.checkProblems()
	defer screen.checkProblems()
	fra.enter(u.loginLink(Person{ID: "fra-1", Name: "Delegate of France", Role: engine.RoleDelegate, State: "FRA"}), "#/documents/pr")
	screen.enter(u.loginLink(Person{ID: "projector", Name: "Projector", Role: engine.RoleViewer}), "#/documents/pr/projector")
	fra.waitText("#conn", "connected")
	var n int
	fra.eval(`document.querySelectorAll("#para-p5 .ln").length`, &n)
	if n != 0 {
		t.Errorf("line numbers shown before they were asked for: %d", n)
	}
	fra.click("#lines")
	fra.waitFor("the line numbers", `document.querySelectorAll("#para-p5 .ln").length === 3`)
	var ln []string
	fra.eval(`[...document.querySelectorAll("#para-p5 .ln")].map((x) => x.textContent)`, &ln)
	if strings.Join(ln, ",") != "1,2,3" {
		t.Errorf("paragraph 5's lines are numbered %v", ln)
	}
	screen.waitFor("the projector's line numbers", `document.querySelectorAll("#para-p5 .ln").length === 3`)
	// The line numbers are not text: a selection across them maps to
	// the words, and the proposal names its line.
	fra.selectText("p5", "agreed")
	fra.click(`button[data-k="p5/propose"]`)
	fra.waitText("dialog[open] #cite", "Paragraph 5, line 3")
	fra.setField("dialog[open] select", "replace")
	fra.setField("dialog[open] textarea", "concluded")
	fra.click(`dialog[open] button[type="submit"]`)
	fra.waitFor("the dialog to close", `!document.querySelector("dialog[open]")`)
	fra.waitText("#amend-a1 .cite", "line 3")
	fra.waitText("#amend-a1 del", "agreed")
	screen.waitText("#amend-a1 .cite", "line 3")
	// The clean text in HTML numbers the same lines.
	fra.setField(`select[data-k="dl-report"]`, "clean")
	fra.setField(`select[data-k="dl-format"]`, "html")
	fra.click("#dl-lines")
	var page string
	fra.eval(`(async () => { const a = document.querySelector("#download-link"); return a.getAttribute("href") + "\n" + await (await fetch(a.href)).text(); })()`, &page)
	if !strings.Contains(page, "lines=1") || strings.Count(page, `<span class="ln" aria-hidden="true">`) < 3+4 || !strings.Contains(page, `<span class="ln" aria-hidden="true">3</span>`) {
		t.Errorf("the clean text with numbered lines: %.600s", page)
	}
	// The compilation numbers them too and cites the amendment by them;
	// the Word download asks for them; a two-column compare is not offered
	// them.
	fra.setField(`select[data-k="dl-report"]`, "compilation")
	fra.eval(`(async () => { const a = document.querySelector("#download-link"); return a.getAttribute("href") + "\n" + await (await fetch(a.href)).text(); })()`, &page)
	if !strings.Contains(page, "lines=1") || !strings.Contains(page, `<span class="ln" aria-hidden="true">3</span>`) || !strings.Contains(page, "Replace (paragraph 5, line 3)") {
		t.Errorf("the compilation with numbered lines: %.600s", page)
	}
	fra.setField(`select[data-k="dl-format"]`, "docx")
	var href string
	fra.eval(`document.querySelector("#download-link").getAttribute("href")`, &href)
	if !strings.Contains(href, "format=docx") || !strings.Contains(href, "lines=1") {
		t.Errorf("the Word compilation is downloaded without its lines: %s", href)
	}
	fra.setField(`select[data-k="dl-report"]`, "compare")
	fra.setField(`select[data-k="dl-style"]`, "two-columns")
	var hidden bool
	fra.eval(`document.querySelector("#dl-lines").closest("label").hidden && !document.querySelector("#download-link").getAttribute("href").includes("lines=1")`, &hidden)
	if !hidden {
		t.Error("line numbers are offered for a two-column compare, which has none")
	}
	// The choice is kept: after a reload the numbers are still there.
	fra.do("reload", chromedp.Reload())
	fra.waitFor("the line numbers after a reload", `document.querySelectorAll("#para-p5 .ln").length === 3`)
	fra.screenshot("line-numbers")
}

// TestBrowserGroupDrafts: France drafts an amendment for the EU; only the
// EU's members and its coordinator see it, with its note, until the EU
// tables it, when it becomes an amendment of the EU in every screen.
func TestBrowserGroupDrafts(t *testing.T) {
	u := startUIServer(t)
	setUpRoom(t, u, liveDraft)
	b := newBrowser(t)
	fra, deu, eu, usa := b.tab("France"), b.tab("Germany"), b.tab("European Union"), b.tab("United States")
	all := []*tab{fra, deu, eu, usa}
	defer func() {
		for _, tb := range all {
			tb.checkProblems()
		}
	}()
	fra.enter(u.loginLink(Person{ID: "fra-1", Name: "Delegate of France", Role: engine.RoleDelegate, State: "FRA"}), "#/documents/pr")
	deu.enter(u.loginLink(Person{ID: "deu-1", Name: "Delegate of Germany", Role: engine.RoleDelegate, State: "DEU"}), "#/documents/pr")
	eu.enter(u.loginLink(Person{ID: "eu-1", Name: "Delegate of the European Union", Role: engine.RoleDelegate, State: "EU"}), "#/documents/pr")
	usa.enter(u.loginLink(Person{ID: "usa-1", Name: "Delegate of the United States", Role: engine.RoleDelegate, State: "USA"}), "#/documents/pr")
	for _, tb := range all {
		tb.waitText("#conn", "connected")
	}
	fra.selectText("p4", "promote")
	fra.click(`button[data-k="p4/propose"]`)
	fra.dialog("Propose an amendment to paragraph 4", map[string]string{"select[name=op]": "replace", "textarea": "foster", "#propose-target": "EU", "#draft-note": "to check with capitals"})
	for _, tb := range []*tab{fra, deu, eu} {
		tb.waitText(`section[aria-label="Group drafts"] li[data-draft="1"]`, "EU draft 1 on paragraph 4 by FRA")
		tb.waitText(`section[aria-label="Group drafts"] li[data-draft="1"]`, "to check with capitals")
	}
	// The United States sees nothing of it: no draft, no amendment.
	var seen struct {
		Drafts int
		Text   string
	}
	usa.eval(`(async () => ({drafts: (await (await fetch("/api/documents/pr/drafts")).json()).drafts.length, text: document.body.innerText}))()`, &seen)
	if seen.Drafts != 0 || strings.Contains(seen.Text, "foster") || strings.Contains(seen.Text, "capitals") {
		t.Errorf("the United States sees %d drafts; its page mentions the draft: %v", seen.Drafts, strings.Contains(seen.Text, "foster"))
	}
	// The EU's coordinator tables it as the EU.
	eu.click(`button[data-k="draft/1/table"]`)
	for _, tb := range all {
		tb.waitText("#amend-a1", "proposed by EU")
		tb.waitText("#amend-a1 ins", "foster")
	}
	fra.waitText(`section[aria-label="Group drafts"]`, "Tabled as a1")
	usa.eval(`(async () => ({drafts: (await (await fetch("/api/documents/pr/drafts")).json()).drafts.length, text: document.body.innerText}))()`, &seen)
	if seen.Drafts != 0 || strings.Contains(seen.Text, "capitals") {
		t.Errorf("after tabling, the United States sees %d drafts or the note", seen.Drafts)
	}
	fra.screenshot("group-drafts")
}
