package server

import (
	"context"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine"
)

// frenchLive is a French version of liveDraft without paragraph 4.
const frenchLive = `# Projet de rapport du mécanisme d'essai

## A. Généralités

1. Les États sont convenus qu'*aucune réunion* ne se tient en parallèle.

2. Les États ont rappelé la résolution 75/240 et [pris note avec satisfaction][salué] des rapports.

3. Les États ont [noté] l'importance du maintien de la paix et de la sécurité internationales.
`

// TestBrowserRoomTranslationMarker: in the room, a delegation following
// the French version sees its text beside each paragraph, and in words
// which paragraphs have no French text; when the chair edits a source
// paragraph, the marker "outdated" appears on every open screen following
// French without a reload, in the interface's language (French, Arabic).
func TestBrowserRoomTranslationMarker(t *testing.T) {
	u := startUIServer(t)
	setUpRoom(t, u, liveDraft)
	rm, err := u.srv.room("pr")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rm.Submit(context.Background(), engine.Actor{Person: "sec", Role: engine.RoleSecretariat}, "translation.import", engine.ImportTranslation{Language: "fr", Text: frenchLive}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	chair, fra, ken := b.tab("chair"), b.tab("France"), b.tab("Kenya")
	defer func() {
		for _, tb := range []*tab{chair, fra, ken} {
			tb.checkProblems()
		}
	}()
	fraP := Person{ID: "fra-1", Name: "Delegate of France", Role: engine.RoleDelegate, State: "FRA"}
	fraLink := u.loginLink(fraP)
	if _, err := u.srv.dir.ChooseLanguage(context.Background(), fraP, "fr"); err != nil {
		t.Fatal(err)
	}
	kenP := Person{ID: "ken-1", Name: "Delegate of Kenya", Role: engine.RoleDelegate, State: "KEN"}
	kenLink := u.loginLink(kenP)
	if _, err := u.srv.dir.ChooseLanguage(context.Background(), kenP, "ar"); err != nil {
		t.Fatal(err)
	}
	chair.enter(u.loginLink(Person{ID: "chair-gm-1", Name: "Ahmed Salem", Role: engine.RoleOfficer}), "#/documents/pr")
	fra.enter(fraLink, "#/documents/pr")
	ken.enter(kenLink, "#/documents/pr")
	for _, tb := range []*tab{chair, fra, ken} {
		tb.waitFor("connected", `document.querySelector("#conn").dataset.state === "connected"`)
	}
	// France, in a French interface, follows the French version by
	// default; Kenya, in an Arabic interface, chooses it in the head.
	fra.waitFor("the French text of paragraph 2", `!!document.querySelector('#para-p2 .translation[data-language=fr] .translation-text[lang=fr]')`)
	ken.setField("#version", "fr")
	ken.waitFor("the French text of paragraph 2", `!!document.querySelector('#para-p2 .translation[data-language=fr] .translation-text')`)
	for _, tb := range []*tab{fra, ken} {
		var states string
		tb.eval(`["p1", "p2", "p3", "p4"].map((p) => document.querySelector("#para-" + p + " .translation").dataset.state).join(" ")`, &states)
		if states != "current current current missing" {
			t.Errorf("%s: translation states %q, want current current current missing", tb.name, states)
		}
		if n := tb.text("#para-p2 .translation-state"); n != "" {
			t.Errorf("%s: a current translation is marked %q", tb.name, n)
		}
		tb.eval(`window.notReloaded = true`, nil)
	}
	if got := fra.text("#para-p4 .translation-state"); !strings.Contains(got, "Manquant") || !strings.Contains(got, "français") {
		t.Errorf("France: paragraph 4 is marked %q", got)
	}
	if got := fra.text("#version-status"); got != "1 paragraphe manquant" {
		t.Errorf("France: the head says %q of the French version, want 1 paragraphe manquant", got)
	}
	// The chair, in English and following no version, edits paragraph 2.
	var chairVersions int
	chair.eval(`document.querySelectorAll(".translation").length`, &chairVersions)
	if chairVersions != 0 {
		t.Errorf("the chair, following no version, sees %d translations", chairVersions)
	}
	chair.click(`summary[data-k="p2/more-summary"]`)
	chair.click(`button[data-k="p2/edit"]`)
	chair.dialog("Edit paragraph 2", map[string]string{"textarea": "States recalled General Assembly resolution 75/240 and [noted with appreciation][welcomed] the reports."})
	want := map[*tab]string{fra: "Périmé", ken: "غير محدَّث"}
	for _, tb := range []*tab{fra, ken} {
		tb.waitFor("the outdated marker on paragraph 2", `(() => { const m = document.querySelector("#para-p2 .translation[data-state=outdated] .translation-state[role=note]");
			return !!m && m.textContent.includes(`+jsString(want[tb])+`); })()`)
		var kept bool
		tb.eval(`window.notReloaded === true`, &kept)
		if !kept {
			t.Errorf("%s: the page was reloaded", tb.name)
		}
		if n := tb.text("#para-p1 .translation-state"); n != "" {
			t.Errorf("%s: paragraph 1, unchanged, is marked %q", tb.name, n)
		}
		tb.noEnglish("room following the French version")
		if tb == fra {
			tb.waitText("#version-status", "1 paragraphe périmé · 1 paragraphe manquant")
		}
	}
	ken.screenshot("room-translation-marker-arabic")
}
