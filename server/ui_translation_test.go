package server

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/draftroom/draftroom/fixtures"
)

// TestBrowserDeskLanguageVersions: on the demo, the secretariat's desk
// shows per language how many paragraphs are current, outdated or
// missing, names the outdated ones, and imports a language version from a
// file, listing the paragraphs that did not align.
func TestBrowserDeskLanguageVersions(t *testing.T) {
	u := startUIServer(t)
	b := newBrowser(t)
	draft, _ := fs.ReadFile(fixtures.FS, "drafts/progress-report-zero-draft.md")
	people, err := u.srv.SetupDemo(context.Background(), "progress-report", string(draft))
	if err != nil {
		t.Fatal(err)
	}
	var code string
	for _, p := range people {
		if p.Person.ID == "secretariat" {
			code = p.Code
		}
	}
	sec := b.tab("secretariat")
	defer sec.checkProblems()
	sec.do("log in", chromedp.Navigate(u.base+"/login?code="+code))
	sec.waitText("#who", "Secretariat officer")
	sec.do("open the desk", chromedp.Navigate(u.base+"/#/desk"))
	sec.waitFor("the language versions", `!!document.querySelector("#versions-table tr[data-language=fr]")`)
	for _, c := range []struct{ lang, row string }{
		{"fr", "French75 1 0 outdated: 2"},
		{"ar", "Arabic75 1 0 outdated: 30"},
		{"zh", "Chinese0 0 76 "},
	} {
		var got string
		sec.eval(`Array.from(document.querySelectorAll("#versions-table tr[data-language=`+c.lang+`] > *")).map((x) => x.textContent).join(" ").replace(/^(\S+) /, "$1")`, &got)
		if got != c.row {
			t.Errorf("%s row: %q, want %q", c.lang, got, c.row)
		}
	}
	// Import a Spanish version numbered with one paragraph too many.
	file := filepath.Join(t.TempDir(), "informe.es.md")
	if err := os.WriteFile(file, []byte("# Proyecto de informe\n\n## A. Introducción\n\n1. El Mecanismo Mundial fue establecido.\n\n77. Un párrafo de más.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sec.setField("#version-language", "es")
	sec.do("choose the file", chromedp.SetUploadFiles("#version-file", []string{file}))
	sec.click(`#version-form button[type="submit"]`)
	sec.waitText("#version-report", "Line 7: paragraph 77 of the file matches no paragraph of the document: Un párrafo de más.")
	sec.waitText("#version-report", "Spanish version: 1 paragraph taken; 0 paragraphs already current.")
	sec.waitText("#version-report", "Not in the file: paragraphs 2, 3,")
	sec.waitFor("the Spanish row", `document.querySelector("#versions-table tr[data-language=es]").textContent.startsWith("Spanish10")`)
}
