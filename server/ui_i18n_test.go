package server

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/draftroom/draftroom/engine"
)

// untranslatedJS lists the UI strings on the page still in English: every
// text node, option and aria-label/title/placeholder outside the document
// text is compared with the pieces of the English catalog's strings (the
// text between {placeholders}), skipping pieces the page's own catalog
// writes the same (a format name, "Word (.docx)").
const untranslatedJS = `(async () => {
  const en = await (await fetch("/i18n/en.json")).json();
  const lang = document.documentElement.lang;
  const own = await (await fetch("/i18n/" + lang + ".json")).json();
  const flat = (v) => typeof v === "string" ? [v] : Object.values(v || {});
  const same = new Set(Object.values(own).flatMap(flat));
  const pieces = new Set();
  for (const v of Object.values(en).flatMap(flat)) {
    if (same.has(v)) continue;
    for (let p of v.split(/\{\w+\}/)) {
      p = p.replace(/^[\s:;,.()…▶◀↓·—-]+|[\s:;,.()…▶◀↓·—-]+$/g, "");
      if (/[A-Za-z]{3}/.test(p) && !same.has(p)) pieces.add(p);
    }
  }
  const doc = ".text-col .text, .translation-text, .section-head, .doc-head h1, .doc-head [dir=auto], .preview, ins, del, .quote, .comment, .symbol, .applied-text, .pos-comment, .ctx, .data, td[dir=auto], #who";
  const found = new Set();
  const check = (s, where) => {
    for (const p of pieces) {
      const i = s.indexOf(p);
      if (i < 0) continue;
      const before = s[i - 1] || " ", after = s[i + p.length] || " ";
      if (/[A-Za-z]/.test(before) || /[A-Za-z]/.test(after)) continue;
      found.add(where + ": " + JSON.stringify(p) + " in " + JSON.stringify(s.trim().slice(0, 80)));
    }
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement;
    if (!e || e.closest(doc) || e.closest("script,style")) continue;
    if (e.closest("[hidden]") && !e.closest("option")) continue;
    check(n.data, e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ")[0] : ""));
  }
  for (const e of document.querySelectorAll("[aria-label],[title],[placeholder]")) {
    if (e.closest(doc)) continue;
    for (const a of ["aria-label", "title", "placeholder"]) if (e.hasAttribute(a)) check(e.getAttribute(a), e.tagName.toLowerCase() + "@" + a);
  }
  return [...found].sort();
})()`

// noEnglish fails the test with every English UI string on the page.
func (tb *tab) noEnglish(view string) {
	tb.t.Helper()
	var found []string
	tb.eval(untranslatedJS, &found)
	if len(found) > 0 {
		tb.t.Errorf("%s, %s: English strings in the interface:\n%s", tb.name, view, strings.Join(found, "\n"))
	}
}

// afterReload waits for predicate across a reload the page starts itself,
// while evaluating may fail because the old page is gone.
func (tb *tab) afterReload(what, predicate string) {
	tb.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(tb.ctx, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](predicate))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			tb.t.Fatalf("%s: waiting for %s: %v", tb.name, what, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestBrowserInterfaceLanguages: with the interface in Arabic and in
// Chinese, the room of a delegation, the Chair's room with a reading and
// the floor, the list of amendments and the projector show no English
// string outside the document text; Arabic runs right to left, the room
// mirrored; dates are written per language; the choice is made in the
// header and remembered.
func TestBrowserInterfaceLanguages(t *testing.T) {
	u := startUIServer(t)
	setUpRoom(t, u, liveDraft)
	// The process has participants of every kind and an observer proposed,
	// so that the desk's detail of it shows them.
	secretariat := Person{ID: "sec", Name: "Secretariat officer", Role: engine.RoleSecretariat}
	for name, cmd := range map[string]any{
		"participant.register": engine.RegisterParticipant{Person: "ken-d1", Name: "Wanjiru Kamau", Role: engine.RoleDelegate, State: "KEN"},
		"observer.propose":     engine.ProposeObserver{ID: "cpn", Name: "Cyber Peace Network", Category: engine.CategoryNGO, Deadline: time.Now().Add(48 * time.Hour)},
	} {
		raw, _ := json.Marshal(cmd)
		if _, err := u.srv.ProcessCommand(context.Background(), "permanent-mechanism", secretariat, name, raw); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	raw, _ := json.Marshal(engine.RegisterParticipant{Person: "tr-fr", Name: "Claire Dubois", Role: engine.RoleTranslator, Language: "fr"})
	if _, err := u.srv.ProcessCommand(context.Background(), "permanent-mechanism", secretariat, "participant.register", raw); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	for _, lang := range []string{"ar", "zh"} {
		chair, ken, screen := b.tab(lang+" Chair"), b.tab(lang+" Kenya"), b.tab(lang+" projector")
		chairLink := u.loginLink(Person{ID: "chair-gm-1", Name: "Ahmed Salem", Role: engine.RoleOfficer})
		kenLink := u.loginLink(Person{ID: engine.PersonID("ken-" + lang), Name: "Wanjiru Kamau", Role: engine.RoleDelegate, State: "KEN"})
		screenLink := u.loginLink(Person{ID: engine.PersonID("screen-" + lang), Name: "Hall 1", Role: engine.RoleViewer})
		// Kenya chooses the language in the header, on the log-in page.
		ken.do("open the log-in page", chromedp.Navigate(u.base+"/"))
		ken.waitFor("the language chooser", `!!document.querySelector("#ui-language")`)
		ken.setField("#ui-language", lang)
		// The choice reloads the page, in the language chosen.
		ken.afterReload("the page in "+lang, `document.documentElement.lang === "`+lang+`" && !!document.querySelector("#ui-language")`)
		ken.noEnglish("log-in page")
		ken.enter(kenLink, "#/documents/pr")
		// Chosen on the log-in page, the language becomes Kenya's.
		ken.waitFor("connected", `document.querySelector("#conn").dataset.state === "connected"`)
		if p, _ := u.srv.dir.Person(engine.PersonID("ken-" + lang)); p.UILanguage != lang {
			t.Errorf("%s: Kenya chose %s on the log-in page; the server keeps %q", lang, lang, p.UILanguage)
		}
		// The chair had chosen it before, on another browser: it is the
		// person's, kept by the server. The projector, a viewer, had
		// chosen it in its own browser.
		if _, err := u.srv.dir.ChooseLanguage(context.Background(), Person{ID: "chair-gm-1", Role: engine.RoleOfficer}, lang); err != nil {
			t.Fatal(err)
		}
		screen.do("open the site", chromedp.Navigate(u.base+"/"))
		screen.eval(`localStorage.setItem("draftroom.lang", "`+lang+`")`, nil)
		chair.do("a 1440 px screen", chromedp.EmulateViewport(1440, 900))
		ken.do("a 1440 px screen", chromedp.EmulateViewport(1440, 900))
		chair.enter(chairLink, "#/documents/pr")
		screen.enter(screenLink, "#/documents/pr/projector")
		for _, tb := range []*tab{chair, ken, screen} {
			tb.waitFor("connected", `document.querySelector("#conn").dataset.state === "connected"`)
			var got string
			tb.eval(`document.documentElement.lang + "/" + document.documentElement.dir`, &got)
			want := lang + "/ltr"
			if lang == "ar" {
				want = "ar/rtl"
			}
			if got != want {
				t.Errorf("%s: <html lang/dir> %s, want %s", tb.name, got, want)
			}
		}
		// The chair opens a reading; Kenya asks for the floor and proposes
		// an amendment; the chair gives Kenya the floor.
		for _, kind := range []string{"first", "second"} {
			chair.click(`button[data-k="open-reading"]`)
			chair.waitFor("the reading dialog", `!!document.querySelector("dialog[open] select")`)
			chair.noEnglish("reading dialog")
			chair.setField("dialog[open] select", kind)
			chair.setField("dialog[open] .field:nth-of-type(2) select", "plenary-2027")
			chair.click(`dialog[open] button[type="submit"]`)
			chair.waitFor("the reading", `!!document.querySelector('button[data-k="close-reading"]')`)
			chair.click(`button[data-k="next"]`)
			chair.waitFor("paragraph 1 read", `!!document.querySelector("#para-p1.now")`)
			if kind == "first" {
				// A textual proposal in a first reading is refused; the
				// refusal comes with its key and is shown in the language.
				ken.waitFor("the first reading", `!!document.querySelector("#para-p1.now")`)
				ken.selectText("p4", "promote")
				ken.click(`button[data-k="p4/propose"]`)
				ken.waitFor("the proposal dialog", `!!document.querySelector("dialog[open] select")`)
				ken.setField("dialog[open] select", "replace")
				ken.setField("dialog[open] textarea", "foster")
				ken.click(`dialog[open] button[type="submit"]`)
				ken.waitFor("the refusal", `document.querySelector("dialog[open] .dialog-error").textContent !== ""`)
				got := ken.text("dialog[open] .dialog-error")
				want := map[string]string{"ar": "القراءة الأولى", "zh": "一读"}[lang]
				if !strings.Contains(got, want) || strings.Contains(got, "general comments") || !strings.Contains(got, "A/AC.292/2027/CRP.1") {
					t.Errorf("%s: the refusal reads %q", lang, got)
				}
				// A refusal given as the reason inside another is written in
				// the language too, sentence and reason.
				var nested string
				ken.eval(`import("/i18n.js").then(m => m.refusal("paragraph {1}: {2}", {"1": "4", "2": "only FRA, the proposer, can withdraw amendment a3",
					"2:key": "only {1}, the proposer, can withdraw amendment {2}", "2:1": "FRA", "2:2": "a3"}, "paragraph 4: only FRA …"))`, &nested)
				wantNested := map[string]string{"ar": "لا يجوز سحب التعديل a3 إلا لمقدّمه FRA", "zh": "只有提案方FRA可以撤回修正案a3"}[lang]
				if !strings.Contains(nested, wantNested) || !strings.Contains(nested, "4") || strings.Contains(nested, "only") {
					t.Errorf("%s: a refusal with its reason reads %q, want the reason %q in it", lang, nested, wantNested)
				}
				// A date in a refusal is written the reader's way.
				var dated string
				ken.eval(`import("/i18n.js").then(m => m.refusal("the agenda of meeting {1} was adopted on {2}", {"1": "m1", "2": "5 July 2027",
					"2:day": "2027-07-05T10:00:00Z"}, "the agenda of meeting m1 was adopted on 5 July 2027"))`, &dated)
				wantDay := map[string]string{"ar": "5 يوليو 2027", "zh": "2027年7月5日"}[lang]
				if !strings.Contains(dated, wantDay) || strings.Contains(dated, "July") {
					t.Errorf("%s: a refusal with a date reads %q, want the date written %q", lang, dated, wantDay)
				}
				ken.click(`dialog[open] button.secondary`)
				chair.click(`button[data-k="close-reading"]`)
				chair.waitFor("no reading", `!!document.querySelector('button[data-k="open-reading"]')`)
			}
		}
		ken.click(`button[data-k="floor-ask"]`)
		chair.click(`button[data-k="give/KEN"]`)
		ken.selectText("p4", "promote")
		ken.click(`button[data-k="p4/propose"]`)
		ken.waitFor("the proposal dialog", `!!document.querySelector("dialog[open] select")`)
		ken.noEnglish("proposal dialog")
		ken.setField("dialog[open] select", "replace")
		ken.setField("dialog[open] textarea", "foster")
		ken.click(`dialog[open] button[type="submit"]`)
		ken.waitFor("the amendment", `!!document.querySelector("#amend-a1")`)
		chair.waitFor("the amendment", `!!document.querySelector("#amend-a1")`)
		screen.waitFor("the amendment", `!!document.querySelector("#amend-a1")`)
		chair.noEnglish("room (Chair)")
		ken.noEnglish("room (delegation)")
		screen.noEnglish("projector")
		ken.do("the list of amendments", chromedp.Navigate(u.base+"/#/documents/pr/amendments"))
		ken.waitFor("the list", `!!document.querySelector("#al-count")`)
		ken.noEnglish("list of amendments")
		ken.do("the list of documents", chromedp.Navigate(u.base+"/#/"))
		ken.waitFor("the documents", `!!document.querySelector(".docs")`)
		ken.noEnglish("list of documents")
		if lang == "ar" {
			// Mirrored: the proceedings are left of the text.
			var mirrored bool
			chair.eval(`document.querySelector(".side-col").getBoundingClientRect().right <= document.querySelector(".text-col").getBoundingClientRect().left + 1`, &mirrored)
			if !mirrored {
				t.Errorf("Arabic: the proceedings column is not left of the text")
			}
			// The English document keeps its own direction.
			var dirs string
			chair.eval(`getComputedStyle(document.querySelector(".text-col")).direction + "/" + getComputedStyle(document.querySelector("#para-p1")).direction`, &dirs)
			if dirs != "ltr/ltr" {
				t.Errorf("Arabic interface: the English document's text runs %s, want ltr/ltr", dirs)
			}
			chair.screenshot("interface-arabic")
		}
		chair.click(`button[data-k="close-reading"]`)
		// The secretariat desk.
		sec := b.tab(lang + " secretariat")
		sec.do("open the site", chromedp.Navigate(u.base+"/"))
		sec.eval(`localStorage.setItem("draftroom.lang", "`+lang+`")`, nil)
		sec.enter(u.loginLink(Person{ID: engine.PersonID("sec-" + lang), Name: "Maria Lopez", Role: engine.RoleSecretariat}), "#/desk")
		sec.waitFor("the desk", `!!document.querySelector("#versions-table tr") && !!document.querySelector("#person-form") && !!document.querySelector("#import-form")`)
		sec.noEnglish("secretariat desk")
		// The detail of a process: bodies, participants, officers,
		// meetings, contributions, rules and observers, every part open;
		// and the dialog that cancels a meeting.
		sec.click(`button[data-process="permanent-mechanism"]`)
		sec.waitFor("the process detail", `!!document.querySelector(".process-detail tr[data-participant]") && !!document.querySelector(".process-detail li[data-observer]") && !!document.querySelector(".process-detail tr[data-meeting]")`)
		sec.eval(`document.querySelectorAll(".process-detail details").forEach((d) => { d.open = true; }), true`, nil)
		sec.noEnglish("process detail")
		sec.eval(`document.querySelector(".process-detail details.participants").scrollIntoView({block: "start"}), true`, nil)
		sec.screenshot("desk-process-" + lang)
		sec.click(`.process-detail button[data-cancel]`)
		sec.waitFor("the cancel dialog", `!!document.querySelector("dialog[open] input")`)
		sec.noEnglish("dialog cancelling a meeting")
		sec.click(`dialog[open] button.secondary`)
		// A language version imported through the desk, with a paragraph
		// of the file that matches none, paragraphs the file lacks and a
		// section too many: the report is in the interface's language.
		file := filepath.Join(t.TempDir(), "pr."+lang+".md")
		if err := os.WriteFile(file, []byte("# Projet de rapport\n\n## A. Généralités\n\n1. Les États sont convenus.\n\n## B. Autres\n\n5. Un paragraphe que la source n'a pas.\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		sec.setField("#version-language", map[string]string{"ar": "fr", "zh": "es"}[lang])
		sec.do("choose the file", chromedp.SetUploadFiles("#version-file", []string{file}))
		sec.click(`#version-form button[type="submit"]`)
		sec.waitFor("the import report", `document.querySelectorAll("#version-report li").length === 4 && !!document.querySelector("#version-report q")`)
		if got := sec.text("#version-report li:nth-child(2)"); !strings.Contains(got, map[string]string{"ar": "السطر", "zh": "第9行"}[lang]) || !strings.Contains(got, "Un paragraphe que la source n'a pas.") {
			t.Errorf("%s: the unmatched paragraph is reported as %q", lang, got)
		}
		sec.noEnglish("language-import report")
		// The choice is remembered after a reload.
		ken.do("reload", chromedp.Reload())
		ken.waitFor("the page in "+lang+" after a reload", `document.documentElement.lang === "`+lang+`"`)
	}
	// Dates per language.
	tb := b.tab("dates")
	tb.do("open the site", chromedp.Navigate(u.base+"/"))
	for lang, want := range map[string]string{"en": "3 December 2026", "fr": "3 décembre 2026", "es": "3 de diciembre de 2026", "zh": "2026年12月3日", "ru": "3 декабря 2026 г."} {
		tb.eval(`localStorage.setItem("draftroom.lang", "`+lang+`")`, nil)
		tb.do("reload", chromedp.Reload())
		tb.waitFor("the page in "+lang, `document.documentElement.lang === "`+lang+`"`)
		var got string
		tb.eval(`import("/i18n.js").then((m) => m.formatDay("2026-12-03"))`, &got)
		if got != want {
			t.Errorf("%s: 3 December 2026 written %q, want %q", lang, got, want)
		}
	}
}

// TestBrowserLanguageFollowsPerson: the interface language is the
// person's. A delegate chooses French in one browser; logging in from a
// second, fresh browser, the interface is in French at once. A projector
// (a viewer) keeps the choice of its own browser, and the server keeps
// none for it.
func TestBrowserLanguageFollowsPerson(t *testing.T) {
	u := startUIServer(t)
	b := newBrowser(t)
	fra := Person{ID: "fra-1", Name: "Delegate of France", Role: engine.RoleDelegate, State: "FRA"}
	first, second, screen := b.tab("first browser"), b.tab("second browser"), b.tab("projector")
	defer func() {
		for _, tb := range []*tab{first, second, screen} {
			tb.checkProblems()
		}
	}()
	first.enter(u.loginLink(fra), "#/")
	first.waitFor("the list of documents in English", `document.documentElement.lang === "en" && !!document.querySelector(".list h1")`)
	first.setField("#ui-language", "fr")
	first.afterReload("the page in French", `document.documentElement.lang === "fr" && !!document.querySelector(".list h1")`)
	if p, _ := u.srv.dir.Person("fra-1"); p.UILanguage != "fr" {
		t.Fatalf("the server keeps %q for the delegate, want fr", p.UILanguage)
	}
	second.enter(u.loginLink(fra), "#/")
	second.afterReload("the second browser in French", `document.documentElement.lang === "fr" && !!document.querySelector(".list h1")`)
	if got, want := second.text("#logout"), "Se déconnecter"; got != want {
		t.Errorf("second browser: the log-out button reads %q, want %q", got, want)
	}
	second.noEnglish("list of documents, second browser")
	// Someone else logs in on the first browser: the page stays in the
	// browser's French, but French does not become their choice.
	bra := Person{ID: "bra-1", Name: "Delegate of Brazil", Role: engine.RoleDelegate, State: "BRA"}
	braLink := u.loginLink(bra)
	first.click("#logout")
	first.waitFor("the log-in page", `!!document.querySelector("#code")`)
	first.enter(braLink, "#/")
	first.waitFor("Brazil's list of documents in French", `document.documentElement.lang === "fr" && !!document.querySelector(".list h1")`)
	if p, _ := u.srv.dir.Person("bra-1"); p.UILanguage != "" {
		t.Errorf("Brazil, who chose nothing, has %q kept as their language", p.UILanguage)
	}
	// The projector chose Arabic in its browser, then Chinese in the
	// header: its page follows, and nothing is stored for it.
	screen.do("open the site", chromedp.Navigate(u.base+"/"))
	screen.eval(`localStorage.setItem("draftroom.lang", "ar")`, nil)
	screen.enter(u.loginLink(Person{ID: "hall-1", Name: "Hall 1", Role: engine.RoleViewer}), "#/")
	screen.afterReload("the projector in Arabic", `document.documentElement.lang === "ar" && !!document.querySelector("#ui-language")`)
	screen.setField("#ui-language", "zh")
	screen.afterReload("the projector in Chinese", `document.documentElement.lang === "zh" && !!document.querySelector(".list h1")`)
	if p, _ := u.srv.dir.Person("hall-1"); p.UILanguage != "" {
		t.Errorf("the server keeps %q for a viewer, want nothing", p.UILanguage)
	}
}
