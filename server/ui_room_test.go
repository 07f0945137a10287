package server

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/draftroom/draftroom/engine"
)

// uiDraft is the draft the secretariat imports in the browser test: a
// character outside the Basic Multilingual Plane before the words France
// amends (offsets are code points, JavaScript counts UTF-16 units), markup
// pasted into a paragraph, alternatives, nested brackets and a bracket
// never closed (the import report lists it).
const uiDraft = `# Draft progress report of the test mechanism
<!-- symbol: A/AC.999/2027/CRP.1 -->

## A. Introduction

1. The Mechanism 🌐 held its first session in New York in March 2027.

2. States recalled resolution 75/240 and [noted][welcomed] the reports of the Secretary-General.

3. States should consider voluntary measures <img src=x onerror=alert(1)> and <script>alert(2)</script>.

## B. Recommendations

4. States [are encouraged to [continue to]] share information on threats.

5. The next meeting will be held [in Geneva.
`

// TestBrowserNegotiation runs a short reading in real Chromium: the
// secretariat imports the draft, registers Kenya's delegate and issues
// the zero draft on its desk; the chair opens the readings and moves the
// pointer; France proposes an amendment by selecting words; Kenya (logged
// in by typing the code the secretariat issued, on a tablet-sized screen)
// supports it with the keyboard and objects to another paragraph; the
// chair sees the objection, is refused when gavelling over it, accepts the
// amendment, agrees paragraph 1 ad ref and brackets words for Kenya; the
// server restarts and every page catches up without a reload; the
// secretariat issues Rev.1 and downloads the compare; the projector view
// follows the reading. Every page is checked for what it shows, and none
// may run pasted markup, throw, or break the Content-Security-Policy.
func TestBrowserNegotiation(t *testing.T) {
	start := time.Now()
	u := startUIServer(t)
	b := newBrowser(t)
	secLink := u.loginLink(Person{ID: "sec", Name: "Secretariat officer", Role: engine.RoleSecretariat})
	chairLink := u.loginLink(Person{ID: "chair-gm-1", Name: "Chair", Role: engine.RoleOfficer})
	fraLink := u.loginLink(Person{ID: "fra-1", Name: "Delegate of France", Role: engine.RoleDelegate, State: "FRA"})

	sec, chair, fra, ken := b.tab("secretariat"), b.tab("chair"), b.tab("France"), b.tab("Kenya")
	tabs := []*tab{sec, chair, fra, ken}
	defer func() {
		for _, tb := range tabs {
			tb.checkProblems()
		}
	}()

	// The secretariat logs in with the link and imports the draft on its
	// desk; the import report lists the bracket never closed.
	sec.do("log in", chromedp.Navigate(secLink))
	sec.waitText("#who", "Secretariat officer")
	sec.do("open the desk", chromedp.Navigate(u.base+"/#/desk"))
	// It sets up the permanent mechanism from its template.
	sec.waitFor("the templates", `!!document.querySelector("#template option[value='permanent-mechanism']")`)
	sec.setField("#template", "permanent-mechanism")
	sec.click(`#process-form button[type="submit"]`)
	sec.waitFor("the process listed", `!!document.querySelector('button[data-process="permanent-mechanism"]')`)
	sec.waitFor("the import form", `!!document.querySelector("#imp-process option[value='permanent-mechanism']")`)
	sec.setField("#imp-id", "pr")
	sec.setField("#imp-process", "permanent-mechanism")
	sec.waitFor("the bodies of the process", `document.querySelector("#imp-body").value === "plenary"`)
	// The symbol is not typed: the desk shows the one the process will
	// allocate, for the meeting the draft is prepared for.
	var n int
	if sec.eval(`document.querySelectorAll("#import-form input#imp-symbol, #import-form input[id*=symbol]").length`, &n); n != 0 {
		t.Errorf("the import form has %d symbol inputs; the process allocates the symbol", n)
	}
	sec.waitFor("the meetings of the plenary", `!!document.querySelector("#imp-meeting option[value='plenary-2027']")`)
	sec.setField("#imp-meeting", "plenary-2027")
	sec.waitText("#imp-symbol", "Symbol, allocated by the process: A/AC.292/2027/CRP.1")
	sec.setField("#imp-text", uiDraft)
	sec.click(`#import-form button[type="submit"]`)
	sec.waitText(".import-report", "1 unbalanced bracket")
	report := sec.text(".import-report")
	if got := sec.text(".import-report .unbalanced td"); got != "16" {
		t.Errorf("the unbalanced bracket is reported on line %q, want 16", got)
	}
	for _, want := range []string{"A/AC.292/2027/CRP.1", "5 paragraphs", "The draft’s symbol A/AC.999/2027/CRP.1 is not used", `section "B. Recommendations", paragraph 5`, "“[”"} {
		if !strings.Contains(report, want) {
			t.Errorf("the import report lacks %q: %s", want, report)
		}
	}
	// It imports a second document from a Word file.
	wordFile := filepath.Join(t.TempDir(), "report.docx")
	if err := os.WriteFile(wordFile, wordExport(t, docxDraft), 0o644); err != nil {
		t.Fatal(err)
	}
	sec.setField("#imp-id", "word")
	sec.setField("#imp-process", "")
	sec.do("choose the Word file", chromedp.SetUploadFiles(chromedp.CSS("#imp-file"), []string{wordFile}))
	sec.waitFor("the Word file read", `document.querySelector("#imp-text").placeholder.startsWith("Word file report.docx")`)
	sec.click(`#import-form button[type="submit"]`)
	sec.waitText(".import-report", "2 paragraphs")

	// It registers Kenya's delegate and issues a login, shown once.
	sec.setField("#person-id", "ken-1")
	sec.setField("#person-name", "Delegate of Kenya")
	sec.setField("#person-role", "delegate")
	sec.setField("#person-state", "KEN")
	sec.click(`#person-form button[type="submit"]`)
	sec.waitFor("Kenya's row", `!!document.querySelector('button[data-person="ken-1"]')`)
	sec.click(`button[data-person="ken-1"]`)
	sec.waitFor("the login code", `/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(document.querySelector(".login-code")?.textContent || "")`)
	kenCode := sec.text(".login-code")
	if link := sec.text(".login-link"); !strings.HasSuffix(link, "/login?code="+kenCode) {
		t.Errorf("the login link is %q", link)
	}
	sec.screenshot("secretariat-desk")

	// A meeting that overlaps another of the process is refused, and the
	// desk says which.
	sec.click(`button[data-process="permanent-mechanism"]`)
	sec.waitFor("the meeting form", `!!document.querySelector("#meeting-form")`)
	sec.setField("#meeting-id", "extra-2027")
	sec.setField("#meeting-title", "Extra meeting")
	sec.setField("#meeting-kind", "intersessional")
	sec.setField("#meeting-start", "2027-07-06T11:00")
	sec.setField("#meeting-end", "2027-07-06T13:00")
	sec.click(`#meeting-form button[type="submit"]`)
	sec.waitText("#process-error", "overlaps meeting")

	// It establishes an additional group of fixed duration, open to NGOs
	// and academia; the bodies table shows it with its objectives.
	sec.setField("#body-id", "group-capacity")
	sec.setField("#body-name", "Groupe de travail sur le renforcement des capacités")
	sec.setField("#body-kind", "additional-group")
	sec.setField("#body-objectives", "Map capacity-building needs\nPropose a roster of experts")
	sec.setField("#body-start", "2027-09-01")
	sec.setField("#body-end", "2028-09-01")
	sec.click(`#body-form input[data-participation="ngo"]`)
	sec.click(`#body-form input[data-participation="academia"]`)
	sec.click(`#body-form button[type="submit"]`)
	sec.waitText(`tr[data-body="group-capacity"]`, "renforcement des capacités")
	if row := sec.text(`tr[data-body="group-capacity"]`); !strings.Contains(row, "non-governmental organization and academia") || !strings.Contains(row, "Propose a roster of experts") || !strings.Contains(row, "additional group") {
		t.Errorf("the new group's row: %q", row)
	}
	if plenary := sec.text(`tr[data-body="plenary"]`); plenary == "" {
		t.Error("the plenary of the template is not among the bodies")
	}

	// Zero draft, from the room.
	sec.do("open the room", chromedp.Navigate(u.base+"/#/documents/pr"))
	sec.waitText("#conn", "connected")
	sec.click(`button[data-k="issue"]`)
	sec.waitText("dialog[open] .symbol-preview", "A/AC.292/2027/CRP.1")
	if sec.eval(`document.querySelectorAll("dialog[open] .field:not([hidden]) input:not([type=date])").length`, &n); n != 0 {
		t.Errorf("the issue dialog offers %d symbol fields for a document whose process allocates its symbols", n)
	}
	sec.dialog("Issue a revision", map[string]string{"select": "zero-draft"})
	sec.waitText(`section[aria-label="Revisions"]`, "A/AC.292/2027/CRP.1")

	// Kenya types the code on the log-in page of a tablet-sized screen.
	ken.do("tablet", chromedp.EmulateViewport(820, 1180))
	ken.do("open the log-in page", chromedp.Navigate(u.base+"/"))
	ken.waitFor("the log-in form", `!!document.querySelector("#code")`)
	ken.do("type the code", chromedp.SendKeys(chromedp.CSS("#code"), strings.ToLower(kenCode)+kb.Enter))
	ken.waitText("#who", "Delegate of Kenya (delegation, KEN)")
	ken.do("open the room", chromedp.Navigate(u.base+"/#/documents/pr"))

	chair.do("log in", chromedp.Navigate(chairLink))
	chair.do("open the room", chromedp.Navigate(u.base+"/#/documents/pr"))
	fra.do("log in", chromedp.Navigate(fraLink))
	fra.do("open the room", chromedp.Navigate(u.base+"/#/documents/pr"))
	for _, tb := range []*tab{chair, fra, ken} {
		tb.waitText("#conn", "connected")
		tb.waitText("#para-p1 .text", "held its first session")
	}

	// Pasted markup is text on every page.
	for _, tb := range tabs {
		if tb == sec {
			continue
		}
		if got := tb.text("#para-p3 .text"); !strings.Contains(got, "<img src=x onerror=alert(1)> and <script>alert(2)</script>") {
			t.Errorf("%s: paragraph 3 shows %q", tb.name, got)
		}
		var n int
		tb.eval(`document.querySelectorAll(".text-col img, .text-col script").length`, &n)
		if n != 0 {
			t.Errorf("%s: pasted markup became %d element(s)", tb.name, n)
		}
	}
	// Brackets are drawn from the tree: alternatives and nesting.
	var brackets struct{ Alts, Nested int }
	fra.eval(`({alts: document.querySelectorAll("#para-p2 .alts > .bracket").length, nested: document.querySelectorAll("#para-p4 .bracket .bracket").length})`, &brackets)
	if brackets.Alts != 2 || brackets.Nested != 1 {
		t.Errorf("brackets drawn: %+v, want 2 alternatives in paragraph 2 and 1 nested bracket in paragraph 4", brackets)
	}
	if got := fra.text("#para-p5 .problems"); !strings.Contains(got, "Unbalanced “[”") {
		t.Errorf("paragraph 5 does not show its unbalanced bracket: %q", got)
	}

	// The chair opens a first reading, closes it, opens the second
	// reading and reads paragraph 1.
	chair.click(`button[data-k="open-reading"]`)
	chair.dialog("Open a reading", map[string]string{"select:nth-of-type(1)": "first", ".field:nth-of-type(2) select": "plenary-2027"})
	chair.waitText(`section[aria-label="Reading"]`, "First reading")
	chair.click(`button[data-k="close-reading"]`)
	chair.waitText(`section[aria-label="Reading"]`, "No reading in progress")
	chair.click(`button[data-k="open-reading"]`)
	chair.dialog("Open a reading", map[string]string{"select:nth-of-type(1)": "second", ".field:nth-of-type(2) select": "plenary-2027"})
	chair.waitText(`section[aria-label="Reading"]`, "Second reading")
	chair.click(`button[data-k="next"]`)
	for _, tb := range []*tab{chair, fra, ken} {
		tb.waitFor("paragraph 1 highlighted", `document.querySelector("#para-p1").classList.contains("now")`)
	}
	if got := ken.text(".now-link"); got != "Now reading: 1" {
		t.Errorf("Kenya's pointer reads %q", got)
	}

	// France selects "first session" (after 🌐, two UTF-16 units, one
	// character) and proposes "inaugural session".
	fra.selectText("p1", "first session")
	fra.click(`button[data-k="p1/propose"]`)
	fra.waitText("dialog[open] .quote", "first session")
	fra.dialog("Propose an amendment to paragraph 1", map[string]string{"select": "replace", "textarea": "inaugural session"})
	for _, tb := range []*tab{chair, fra, ken} {
		tb.waitText("#amend-a1", "proposed by FRA")
		tb.waitText("#amend-a1 del", "first session")
		tb.waitText("#amend-a1 ins", "inaugural session")
		// The preview is the exports' redline runs (context kept).
		tb.waitText("#amend-a1 .preview ins", "inaugural session")
	}

	// Kenya supports it from the keyboard, and objects to paragraph 1.
	ken.do("focus Support", chromedp.Focus(chromedp.CSS(`button[data-k="a1/support"]`)))
	ken.do("press Enter", chromedp.KeyEvent(kb.Enter))
	ken.waitFor("Support pressed", `document.querySelector('button[data-k="a1/support"]').getAttribute("aria-pressed") === "true"`)
	ken.click(`button[data-k="p1/oppose"]`)
	for _, tb := range []*tab{chair, fra, ken} {
		tb.waitText("#amend-a1 .positions", "Support: KEN")
		tb.waitText("#para-p1 .objections", "KEN")
	}
	chair.waitText(`section[aria-label="Standing objections"]`, "KEN on paragraph 1")
	fra.screenshot("delegation-view")
	ken.screenshot("delegation-tablet")
	var overflow bool
	ken.eval(`document.documentElement.scrollWidth > window.innerWidth + 1`, &overflow)
	if overflow {
		t.Errorf("the tablet page scrolls sideways")
	}

	// The chair accepts France's amendment: every page shows the new text
	// and Kenya's objection as given on an earlier text.
	chair.click(`button[data-k="a1/accept"]`)
	for _, tb := range []*tab{chair, fra, ken} {
		tb.waitText("#para-p1 .text", "The Mechanism 🌐 held its inaugural session in New York")
		tb.waitText("#para-p1 .objections", "stated on an earlier text")
	}

	// Gavelling over Kenya's objection is refused, and the chair reads why.
	chair.click(`button[data-k="p1/agree"]`)
	chair.waitFor("the refusal", `!document.querySelector("#toast").hidden && document.querySelector("#toast").textContent.includes("KEN")`)
	if got := chair.text("#toast"); !strings.HasPrefix(got, "No consensus") {
		t.Errorf("the refusal reads %q", got)
	}
	chair.screenshot("chair-console")

	// Kenya can live with the new text; the chair agrees paragraph 1 ad ref.
	ken.click(`button[data-k="p1/flexible"]`)
	chair.waitFor("no objection left", `!document.querySelector("#para-p1 .objections")`)
	chair.click(`button[data-k="p1/agree"]`)
	for _, tb := range []*tab{chair, fra, ken} {
		tb.waitText("#para-p1 .badge", "agreed ad ref")
	}
	ken.waitText("#para-p1 .positions", "Flexible: KEN")

	// The pen: the chair brackets "voluntary measures" for Kenya.
	chair.click(`details[data-k="p3/more"] > summary`)
	chair.selectText("p3", "voluntary measures")
	chair.click(`button[data-k="p3/bracket"]`)
	chair.dialog("Put words of paragraph 3 in brackets", map[string]string{"input": "KEN"})
	fra.waitText("#para-p3 .bracket .by", "KEN")
	fra.waitText("#para-p3 .bracket", "[voluntary measures]")

	// The server restarts: the pages say so, reconnect with ?since= and
	// catch up with what happened meanwhile, without a reload.
	fra.eval(`window.notReloaded = true`, nil)
	u.restart(1200 * time.Millisecond)
	fra.waitText("#conn", "reconnecting")
	for _, tb := range []*tab{chair, fra, ken, sec} {
		tb.waitText("#conn", "connected")
	}
	chair.click(`button[data-k="next"]`)
	fra.waitFor("paragraph 2 highlighted after the restart", `document.querySelector("#para-p2").classList.contains("now") && window.notReloaded === true`)
	ken.waitFor("paragraph 2 highlighted after the restart", `document.querySelector("#para-p2").classList.contains("now")`)

	// The floor: Kenya asks, the chair gives it.
	ken.click(`button[data-k="floor-ask"]`)
	chair.waitText(`ol.queue`, "KEN")
	chair.click(`button[data-k="floor-next"]`)
	for _, tb := range []*tab{chair, fra, ken} {
		tb.waitText(`section[aria-label="Floor"]`, "Speaking: KEN")
	}

	// The chair settles the alternatives of paragraph 2: drops "noted",
	// keeps "welcomed".
	chair.click(`button[data-k="p2/clear"]`)
	chair.waitText("dialog[open] .bracket-list li:nth-child(1)", "[noted]")
	chair.click(`dialog[open] input[data-choice="0/drop"]`)
	chair.click(`dialog[open] input[data-choice="1/keep"]`)
	chair.click(`dialog[open] button[type="submit"]`)
	fra.waitText("#para-p2 .text", "States recalled resolution 75/240 and welcomed the reports")

	// A silence procedure on paragraph 2, which France breaks.
	chair.click(`button[data-k="p2/silence"]`)
	chair.dialog("Silence procedure on paragraph 2", nil)
	for _, tb := range []*tab{chair, fra, ken} {
		tb.waitFor("the silence clock", `/\d\d:\d\d:\d\d left/.test(document.querySelector(".countdown")?.textContent || "")`)
	}
	fra.click(`button[data-k="break"]`)
	fra.dialog("Break the silence", map[string]string{"textarea": "We need to consult capital."})
	for _, tb := range []*tab{chair, fra, ken} {
		tb.waitText(`section[aria-label="Decisions"]`, "The silence was broken by FRA")
	}

	// Rev.1, and the compare with the zero draft.
	sec.click(`button[data-k="issue"]`)
	sec.dialog("Issue a revision", map[string]string{"select": "rev"})
	for _, tb := range []*tab{sec, fra} {
		tb.waitText(`section[aria-label="Revisions"]`, "A/AC.292/2027/CRP.1/Rev.1")
	}
	sec.setField(`select[data-k="dl-report"]`, "compare")
	sec.setField(`select[data-k="dl-format"]`, "html")
	var dl struct {
		Href, Type, Body string
		Status           int
	}
	sec.eval(`(async () => { const a = document.querySelector("#download-link"); const r = await fetch(a.href);
		return {href: a.getAttribute("href"), status: r.status, type: r.headers.get("Content-Type"), body: await r.text()}; })()`, &dl)
	if dl.Status != 200 || !strings.Contains(dl.Type, "html") || !strings.Contains(dl.Href, "report=compare") || !strings.Contains(dl.Href, "against=0") {
		t.Errorf("compare download: %d %s %s", dl.Status, dl.Type, dl.Href)
	}
	for _, want := range []string{"Rev.1", "inaugural"} {
		if !strings.Contains(dl.Body, want) {
			t.Errorf("the compare lacks %q", want)
		}
	}
	// "Download PDF" beside it: the same report printed.
	sec.evalWithin(90*time.Second, `(async () => { const a = document.querySelector("#download-pdf"); const r = await fetch(a.href);
		return {href: a.getAttribute("href"), status: r.status, type: r.headers.get("Content-Type"), body: (await r.text()).slice(0, 5)}; })()`, &dl)
	if dl.Status != 200 || dl.Type != "application/pdf" || dl.Body != "%PDF-" || !strings.Contains(dl.Href, "report=compare") || !strings.Contains(dl.Href, "format=pdf") {
		t.Errorf("compare PDF download: %d %s %q %s", dl.Status, dl.Type, dl.Body, dl.Href)
	}

	// The projector view follows the reading, in large type, with no
	// controls.
	chair.do("projector", chromedp.Navigate(u.base+"/#/documents/pr/projector"))
	chair.waitFor("the projector view", `document.body.classList.contains("projector-mode") && !!document.querySelector(".room.projector #para-p2.now")`)
	var buttons int
	chair.eval(`document.querySelectorAll(".room.projector .text-col button").length`, &buttons)
	if buttons != 0 {
		t.Errorf("the projector view shows %d buttons", buttons)
	}
	chair.screenshot("projector")

	// An Arabic text reads right to left.
	if _, _, err := u.srv.CreateDocument(context.Background(), Person{ID: "sec", Role: engine.RoleSecretariat}, CreateDocumentRequest{ID: "ar", Language: "ar",
		Text: "# مشروع التقرير المرحلي\n\n## ألف - مقدمة\n\n1. تؤكد الدول [على] أهمية التعاون الدولي.\n"}); err != nil {
		t.Fatal(err)
	}
	ken.do("open the Arabic room", chromedp.Navigate(u.base+"/#/documents/ar"))
	ken.waitText("#para-p1 .text", "تؤكد الدول")
	var dir struct{ Para, Lang, Direction string }
	ken.eval(`({para: document.querySelector("#para-p1").dir, lang: document.querySelector(".text-col").lang, direction: getComputedStyle(document.querySelector("#para-p1 .text")).direction})`, &dir)
	if dir.Para != "rtl" || dir.Lang != "ar" || dir.Direction != "rtl" {
		t.Errorf("the Arabic paragraph: %+v, want rtl in a text of language ar", dir)
	}
	// The page's own English words keep their direction inside it.
	var btnDir string
	ken.eval(`getComputedStyle(document.querySelector("#para-p1 .actions button")).direction`, &btnDir)
	if btnDir != "ltr" {
		t.Errorf("a button in the Arabic paragraph reads %q, want its English label left to right", btnDir)
	}
	ken.screenshot("arabic")

	// A Chair's summary is issued by the chair from the room, and every
	// screen then says whose text it is.
	if _, _, err := u.srv.CreateDocument(context.Background(), Person{ID: "sec", Role: engine.RoleSecretariat}, CreateDocumentRequest{ID: "cs", Type: engine.ChairsSummary, Language: "en",
		Text: "# Chair's summary\n\n## Summary\n\n1. The Chair notes that views differed on paragraph 4.\n"}); err != nil {
		t.Fatal(err)
	}
	chair.do("open the Chair's summary", chromedp.Navigate(u.base+"/#/documents/cs"))
	chair.click(`button[data-k="issue-summary"]`)
	chair.dialog("Issue the Chair's summary", map[string]string{"input": "pr"})
	chair.waitText(`[data-k="summary-statement"]`, "issued under the Chair's own responsibility")
	ken.do("open the Chair's summary", chromedp.Navigate(u.base+"/#/documents/cs"))
	ken.waitText(`[data-k="summary-statement"]`, "does not reflect consensus")
	var offered int
	ken.eval(`document.querySelectorAll('button[data-k="issue-summary"]').length`, &offered)
	if offered != 0 {
		t.Errorf("a delegation is offered to issue the Chair's summary (%d buttons)", offered)
	}
	t.Logf("browser scenario took %v; screenshots in %s", time.Since(start).Round(time.Millisecond), b.shot)
}
