package export_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/export"
)

// multilingualRoom is the progress report with its French and Arabic
// versions imported from the fixtures (numbered as the draft is), the zero
// draft issued (23 bis becomes 24, so 29 becomes 30), then one source
// paragraph edited so that each version has one outdated paragraph (30),
// and one paragraph added that neither version has yet (46 bis).
func multilingualRoom(t testing.TB) *room {
	r := createRoom(t, readFixture(t, "fixtures/drafts/progress-report-zero-draft.md"), "crp1", "en")
	r.at(day(3, 1, 9))
	for _, l := range []string{"fr", "ar"} {
		r.do(engine.Actor{Person: engine.PersonID("tr-" + l), Role: engine.RoleTranslator, Language: l},
			engine.ImportTranslation{Language: l, Text: readFixture(t, "fixtures/drafts/progress-report-zero-draft."+l+".md")})
	}
	r.do(secretariat, engine.IssueRevision{Kind: engine.ZeroDraft})
	p := r.para("30")
	a, b := r.span(p, "one hundred and twelve")
	r.do(secretariat, engine.EditText{Para: p.ID, Version: p.Version, Start: a, End: b, Insert: "one hundred and fifteen"})
	r.do(secretariat, engine.AddParagraph{After: r.find("eighty-fourth").ID, Numbered: true, Text: "The present report was adopted by consensus."})
	return r
}

func TestLanguageReports(t *testing.T) {
	r := multilingualRoom(t)
	build := func(req export.Request) export.Report {
		t.Helper()
		rep, err := export.Build(r.doc, req, r.head, day(3, 2, 9))
		if err != nil {
			t.Fatalf("%+v: %v", req, err)
		}
		return rep
	}
	render := func(rep export.Report, f export.Format) string {
		t.Helper()
		b, err := export.Render(rep, f)
		if err != nil {
			t.Fatalf("%s %s: %v", rep.Kind(), f, err)
		}
		if f == export.DOCX {
			return docxText(t, b)
		}
		return string(b)
	}
	// The French clean text: French title and text, paragraph 29 marked
	// outdated, 45 bis marked not yet translated, in every format.
	fr := build(export.Request{Report: "clean", Revision: export.Live, Language: "fr"})
	for _, f := range []export.Format{export.Markdown, export.HTML, export.DOCX} {
		out := render(fr, f)
		for _, want := range []string{"Projet de rapport d'étape du Mécanisme mondial", "Les États se sont félicités de la mise en service du répertoire mondial",
			"translation outdated: the source text changed since", "not yet translated: the source text", "The present report was adopted by consensus."} {
			if !strings.Contains(out, want) {
				t.Errorf("French clean %s lacks %q", f, want)
			}
		}
		if n := strings.Count(out, "translation outdated"); n != 1 {
			t.Errorf("French clean %s marks %d paragraphs outdated, want 1 (30)", f, n)
		}
	}
	html := render(fr, export.HTML)
	if !strings.Contains(html, `<html lang="fr" dir="ltr">`) || !strings.Contains(html, `translation-outdated" id="para_30"`) {
		t.Errorf("French HTML: language or outdated mark of 29 missing")
	}
	// Arabic: right to left, the option label in Arabic.
	ar := render(build(export.Request{Report: "clean", Revision: export.Live, Language: "ar"}), export.HTML)
	for _, want := range []string{`<html lang="ar" dir="rtl">`, "الخيار 1:", "translation-outdated\" id=\"para_30\""} {
		if !strings.Contains(ar, want) {
			t.Errorf("Arabic clean HTML lacks %q", want)
		}
	}
	// The zero draft was issued with its French version, all current.
	z, err := export.Build(r.doc, export.Request{Report: "clean", Revision: 0, Language: "fr"}, r.head, day(3, 2, 9))
	if err != nil {
		t.Fatal(err)
	}
	if zt := render(z, export.Markdown); !strings.Contains(zt, "[cent douze][plus de cent]") || strings.Contains(zt, "translation outdated") {
		t.Errorf("the zero draft in French is not the French as issued")
	}
	if _, err := export.Build(r.doc, export.Request{Report: "clean", Revision: 0, Language: "ru"}, r.head, day(3, 2, 9)); engine.ErrorCode(err) != engine.ENOTFOUND {
		t.Errorf("zero draft in Russian: %v", err)
	}
	// The compilation in French: French text, English proposals, marks.
	comp := render(build(export.Request{Report: "compilation", Revision: export.Live, Language: "fr"}), export.Markdown)
	if !strings.Contains(comp, "Les États ont rappelé que le Mécanisme mondial fait rapport") || !strings.Contains(comp, "translation outdated") {
		t.Errorf("French compilation:\n%s", comp[:min(len(comp), 600)])
	}
	// The parallel text: English beside French; both columns, marks, the
	// Arabic column right to left.
	par := build(export.Request{Report: "parallel", Revision: export.Live, Language: "fr"})
	p := par.(*export.Parallel)
	if p.Left != "en" || p.Right != "fr" || p.Outdated != 1 || p.Missing != 1 {
		t.Errorf("parallel: %s|%s outdated %d missing %d", p.Left, p.Right, p.Outdated, p.Missing)
	}
	for _, row := range p.Rows {
		if row.Number == "7" && (!strings.HasPrefix(row.Left, "States expressed concern that the malicious use") || !strings.HasPrefix(row.Right, "Les États se sont dits préoccupés par le fait")) {
			t.Errorf("paragraph 7 not aligned: %q | %q", row.Left, row.Right)
		}
	}
	for _, f := range []export.Format{export.Markdown, export.HTML, export.DOCX} {
		out := render(par, f)
		for _, want := range []string{"one hundred and fifteen", "cent douze", "translation outdated", "French"} {
			if !strings.Contains(out, want) {
				t.Errorf("parallel %s lacks %q", f, want)
			}
		}
	}
	arPar := render(build(export.Request{Report: "parallel", Revision: export.Live, Language: "ar", Beside: "fr"}), export.HTML)
	if !strings.Contains(arPar, `<td lang="ar" dir="rtl" class="para level-0">`) || !strings.Contains(arPar, `<td lang="fr" dir="ltr"`) {
		t.Errorf("French|Arabic parallel: cells lack their language and direction")
	}
	arDocx, _ := export.Render(build(export.Request{Report: "parallel", Revision: export.Live, Language: "ar"}), export.DOCX)
	if doc := string(docxPart(t, arDocx, "word/document.xml")); !strings.Contains(doc, "<w:bidi/>") || strings.Count(doc, "<w:bidi/>") >= strings.Count(doc, "<w:p>") {
		t.Errorf("English|Arabic parallel .docx: the Arabic cells must be right to left and the English ones not")
	}
	// The translation status: 76 paragraphs + 45 bis.
	st := build(export.Request{Report: "translations", Revision: export.Live}).(*export.TranslationReport)
	got := map[string][3]int{}
	for _, s := range st.Languages {
		got[s.Language] = [3]int{s.Current, s.Outdated, s.Missing}
	}
	if got["fr"] != [3]int{75, 1, 1} || got["ar"] != [3]int{75, 1, 1} || got["zh"] != [3]int{0, 0, 77} {
		t.Errorf("translation status: %v", got)
	}
	for _, f := range []export.Format{export.Markdown, export.HTML, export.DOCX} {
		out := render(st, f)
		if !strings.Contains(out, "outdated: 30 (translates version 1 of 2)") || !strings.Contains(out, "missing: 45 bis") || !strings.Contains(out, "French") {
			t.Errorf("translation status %s:\n%s", f, out)
		}
	}
	// Refusals name what is wrong.
	for _, c := range []struct {
		req  export.Request
		want string
	}{
		{export.Request{Report: "clean", Revision: export.Live, Language: "de"}, `language "de" is not one of the six official languages`},
		{export.Request{Report: "clean", Revision: export.Live, Language: "ru"}, "has no Russian version (it has: en, ar, fr)"},
		{export.Request{Report: "status", Revision: export.Live, Language: "fr"}, "the status report is about the negotiation"},
		{export.Request{Report: "parallel", Revision: export.Live, Language: "en"}, "a parallel text needs two languages; both are English"},
		{export.Request{Report: "compilation", Revision: export.Live, Language: "all"}, `language "all" is for the clean text`},
	} {
		if _, err := export.Build(r.doc, c.req, r.head, day(3, 2, 9)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.req, err, c.want)
		}
	}
}

// TestLanguageCompare compares two revisions within a language version:
// Arabic right to left, Chinese character by character.
func TestLanguageCompare(t *testing.T) {
	r := multilingualRoom(t)
	zh := engine.Actor{Person: "tr-zh", Role: engine.RoleTranslator, Language: "zh"}
	p := r.para("30")
	r.do(zh, engine.TranslateParagraph{Language: "zh", Para: p.ID, Source: p.Version, Text: "各国欢迎全球政府间联络点名录投入运行，并注意到截至报告期结束时已有[一百一十五个][一百多个]国家指定了外交和技术联络点。"})
	r.do(secretariat, engine.IssueRevision{Kind: engine.Rev})
	r.do(zh, engine.TranslateParagraph{Language: "zh", Para: p.ID, Version: 1, Source: p.Version, Text: "各国欢迎全球政府间联络点名录投入运行，并注意到截至报告期结束时已有一百一十五个国家指定了外交和技术联络点。"})
	ar := engine.Actor{Person: "tr-ar", Role: engine.RoleTranslator, Language: "ar"}
	tr, _ := r.doc.Translation("ar", p.ID)
	r.do(ar, engine.TranslateParagraph{Language: "ar", Para: p.ID, Version: tr.Version, Source: p.Version, Text: strings.Replace(tr.Text, "مائة واثنتي عشرة", "مائة وخمس عشرة", 1)})
	c, err := export.Build(r.doc, export.Request{Report: "compare", Revision: export.Live, Against: 1, Language: "zh"}, r.head, day(3, 3, 9))
	if err != nil {
		t.Fatal(err)
	}
	var segs []string
	for _, row := range c.(*export.Compare).Rows {
		if row.Number == "30" {
			for _, s := range row.Segments {
				if s.Op != export.OpEqual {
					segs = append(segs, string(s.Op)+":"+s.Text)
				}
			}
		}
	}
	if strings.Join(segs, " ") != "delete:[ delete:][一百多个]" {
		t.Errorf("Chinese compare of 30, by character: %v", segs)
	}
	a, err := export.Build(r.doc, export.Request{Report: "compare", Revision: export.Live, Against: 1, Language: "ar"}, r.head, day(3, 3, 9))
	if err != nil {
		t.Fatal(err)
	}
	h, _ := export.Render(a, export.HTML)
	if !strings.Contains(string(h), `<html lang="ar" dir="rtl">`) || !strings.Contains(string(h), "<del>واثنتي</del>") && !strings.Contains(string(h), "واثنتي</del>") {
		t.Errorf("Arabic compare: not right to left or the change is not marked:\n%s", h)
	}
}

// TestLanguageAKNValidates validates the Akoma Ntoso of each language
// version, and the collection of every language, against the OASIS schema.
func TestLanguageAKNValidates(t *testing.T) {
	lint, schema := xmllint(t)
	r := multilingualRoom(t)
	dir := t.TempDir()
	var files []string
	for _, lang := range []string{"en", "fr", "ar", "all"} {
		rep, err := export.Build(r.doc, export.Request{Report: "clean", Revision: export.Live, Language: lang}, r.head, day(3, 2, 9))
		if err != nil {
			t.Fatal(err)
		}
		b, err := rep.AKN()
		if err != nil {
			t.Fatal(err)
		}
		x := string(b)
		switch lang {
		case "all":
			for _, want := range []string{`<documentCollection name="languageVersions">`, `<FRBRlanguage language="eng"/><FRBRlanguage language="ara"/><FRBRlanguage language="fra"/>`,
				`/eng@2027-03-02"/>`, `/fra@2027-03-02"/>`, `/ara@2027-03-02"/>`} {
				if !strings.Contains(x, want) {
					t.Errorf("collection lacks %s", want)
				}
			}
			if n := strings.Count(x, "<component "); n != 3 {
				t.Errorf("collection has %d components, want 3 (one expression per language)", n)
			}
		case "fr", "ar":
			want := map[string]string{"fr": "fra", "ar": "ara"}[lang]
			if !strings.Contains(x, `<FRBRlanguage language="`+want+`"/>`) || !strings.Contains(x, `class="translation-outdated"`) {
				t.Errorf("%s AKN lacks FRBRlanguage %s or the outdated mark", lang, want)
			}
		}
		f := filepath.Join(dir, "clean-"+lang+".xml")
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	out, err := exec.Command(lint, append([]string{"--noout", "--schema", schema}, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), " validates"); n != len(files) {
		t.Errorf("xmllint validated %d of %d files:\n%s", n, len(files), out)
	}
}

// TestParallelDocxInLibreOffice opens the parallel .docx in LibreOffice,
// converts it to PDF and reads the text back with pdftotext: both
// languages, side by side, the outdated mark included.
func TestParallelDocxInLibreOffice(t *testing.T) {
	soffice, pdftotext := tool(t, "soffice", "libreoffice-writer-nogui"), tool(t, "pdftotext", "poppler-utils")
	r := multilingualRoom(t)
	dir := t.TempDir()
	for _, lang := range []string{"fr", "ar"} {
		rep, err := export.Build(r.doc, export.Request{Report: "parallel", Revision: export.Live, Language: lang}, r.head, day(3, 2, 9))
		if err != nil {
			t.Fatal(err)
		}
		b, err := rep.DOCX()
		if err != nil {
			t.Fatal(err)
		}
		in := filepath.Join(dir, "parallel-"+lang+".docx")
		if err := os.WriteFile(in, b, 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"), "--headless", "--convert-to", "pdf", "--outdir", dir, in)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("soffice: %v\n%s", err, out)
		}
		txt, err := exec.Command(pdftotext, "-enc", "UTF-8", filepath.Join(dir, "parallel-"+lang+".pdf"), "-").Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		text := strings.Join(strings.Fields(string(txt)), " ")
		want := map[string][]string{
			"fr": {"Draft progress report of the Global Mechanism", "Projet de rapport d'étape", "The organizational session of the Global Mechanism was held",
				"La session d'organisation du Mécanisme mondial s'est tenue", "translation outdated"},
			"ar": {"Draft progress report of the Global Mechanism", "العالمية المعنية بالتطورات", "translation outdated"},
		}[lang]
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("the %s parallel text as LibreOffice prints it lacks %q:\n%s", lang, w, text[:min(len(text), 1500)])
			}
		}
	}
}

// tool returns the path of a program the test needs, skipping when it is
// missing (failing under CI=true).
func tool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		msg := name + " is missing (apt-get install " + pkg + ")"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return p
}

// docxText is the text of a .docx's document part, tags dropped.
func docxText(t testing.TB, b []byte) string {
	doc := string(docxPart(t, b, "word/document.xml"))
	var out strings.Builder
	in := false
	for _, c := range doc {
		switch {
		case c == '<':
			in = true
		case c == '>':
			in = false
		case !in:
			out.WriteRune(c)
		}
	}
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&apos;", "'").Replace(out.String())
}
