package server

import (
	"context"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/fixtures"
)

// TestDemoTranslations: the demo opens with the progress report in English
// and its French and Arabic versions, one paragraph of each outdated;
// translators change their own version through the room's commands and
// nothing else; the status and the room's view say where each stands.
func TestDemoTranslations(t *testing.T) {
	ts := startServer(t, Config{})
	draft, _ := fs.ReadFile(fixtures.FS, "drafts/progress-report-zero-draft.md")
	people, err := ts.srv.SetupDemo(context.Background(), "progress-report", string(draft))
	if err != nil {
		t.Fatal(err)
	}
	token := map[engine.PersonID]string{}
	for _, p := range people {
		var resp struct{ Token string }
		if st := ts.call("", "POST", "/api/login", map[string]string{"code": p.Code}, &resp); st != 200 {
			t.Fatalf("login %s: %d", p.Person.ID, st)
		}
		token[p.Person.ID] = resp.Token
	}
	status := func() map[string]engine.LanguageStatus {
		t.Helper()
		var r TranslationsResponse
		if st := ts.call(token["fra-1"], "GET", "/api/documents/progress-report/translations", nil, &r); st != 200 {
			t.Fatalf("translations: %d", st)
		}
		out := map[string]engine.LanguageStatus{}
		for _, l := range r.Languages {
			out[l.Language] = l
		}
		return out
	}
	st := status()
	if fr := st["fr"]; fr.Current != 75 || fr.Outdated != 1 || fr.Missing != 0 || fr.Paras[0].Number != "2" {
		t.Errorf("French: %+v", fr)
	}
	if ar := st["ar"]; ar.Current != 75 || ar.Outdated != 1 || ar.Paras[0].Number != "30" {
		t.Errorf("Arabic: %+v", ar)
	}
	if zh := st["zh"]; zh.Missing != 76 {
		t.Errorf("Chinese: %+v", zh)
	}
	// The room's view carries each paragraph's translations and state.
	var doc DocumentResponse
	ts.call(token["fra-1"], "GET", "/api/documents/progress-report", nil, &doc)
	var p2 ParagraphView
	for _, p := range doc.View.Paragraphs {
		if p.Number == "2" {
			p2 = p
		}
	}
	if p2.Translations["fr"].State != engine.TranslationOutdated || p2.Translations["ar"].State != engine.TranslationCurrent ||
		!strings.Contains(p2.Translations["ar"].Text, "في الفترة من 23 إلى 27 آذار/مارس 2026") {
		t.Errorf("paragraph 2's translations in the view: %+v", p2.Translations)
	}
	if len(doc.View.Versions) != 2 || doc.View.Versions[0].Language != "ar" || !strings.HasPrefix(doc.View.Versions[1].Title, "Projet de rapport") {
		t.Errorf("versions: %+v", doc.View.Versions)
	}
	// Refusals: the French translator cannot touch the Arabic version nor
	// the English text; a delegate cannot translate.
	fr := token["translator-fr"]
	for _, c := range []struct {
		tok, name string
		cmd       any
		code      int
		want      string
	}{
		{fr, "translation.paragraph", engine.TranslateParagraph{Language: "ar", Para: p2.ID, Version: 2, Source: p2.Version, Text: "نص"}, 403,
			"a translator into French cannot change the Arabic version; only its translators and the secretariat can"},
		{fr, "paragraph.edit", engine.EditText{Para: p2.ID, Version: p2.Version, Start: 0, End: 3, Insert: "A"}, 403, "a translator cannot edit the text"},
		{token["fra-1"], "translation.paragraph", engine.TranslateParagraph{Language: "fr", Para: p2.ID, Version: 1, Source: p2.Version, Text: "Texte"}, 403,
			"a delegate cannot translate the text (the secretariat's translators do)"},
	} {
		code, e := ts.command(c.tok, "progress-report", c.name, c.cmd)
		if code != c.code || !strings.Contains(e.Error.Message, c.want) {
			t.Errorf("%s: %d %q, want %d %q", c.name, code, e.Error.Message, c.code, c.want)
		}
	}
	// The French translator catches up with paragraph 2: current again.
	text := strings.Replace(p2.Translations["fr"].Text, "à New York en mars 2026", "à New York du 23 au 27 mars 2026", 1)
	if code, e := ts.command(fr, "progress-report", "translation.paragraph", engine.TranslateParagraph{Language: "fr", Para: p2.ID, Version: p2.Translations["fr"].Version, Source: p2.Version, Text: text}); code != 200 {
		t.Fatalf("French update: %d %s", code, e.Error.Message)
	}
	if fr := status()["fr"]; fr.Current != 76 || fr.Outdated != 0 {
		t.Errorf("French after the update: %+v", fr)
	}
	// The downloads in a language: the Arabic clean text right to left with
	// 30 marked, the parallel text, the translation status.
	for _, c := range []struct{ q, want string }{
		{"report=clean&format=html&language=ar", `translation-outdated" id="para_30"`},
		{"report=parallel&format=html&language=ar&beside=fr", `<td lang="ar" dir="rtl"`},
		{"report=translations&format=md", "| French | 76 | 0 | 0 |"},
		{"report=clean&format=akn&language=all", `<FRBRlanguage language="eng"/><FRBRlanguage language="ara"/><FRBRlanguage language="fra"/>`},
	} {
		req, _ := http.NewRequest("GET", ts.base+"/api/documents/progress-report/export?"+c.q, nil)
		req.Header.Set("Authorization", "Bearer "+token["fra-1"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), c.want) {
			t.Errorf("export %s: %d, lacks %q", c.q, resp.StatusCode, c.want)
		}
	}
	// An import through the API reports what did not align.
	var resp CommandResponse
	raw := []byte(`{"language":"fr","text":"# Titre\n\n## A. Introduction\n\n1. Premier.\n\n99. De trop.\n"}`)
	if st := ts.call(token["secretariat"], "POST", "/api/documents/progress-report/commands", CommandRequest{Name: "translation.import", Command: raw}, &resp); st != 200 {
		t.Fatalf("import: %d", st)
	}
	b, _ := resp.Events[0].PayloadJSON()
	if !strings.Contains(string(b), `"unmatched":[{"line":7,"number":"99","eId":"para_99","excerpt":"De trop."}]`) {
		t.Errorf("import event: %s", b)
	}
}
