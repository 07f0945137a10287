package export_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/docx"
	"github.com/draftroom/draftroom/engine/export"
)

// footnoteCase reads the two texts of the footnotes compare case.
func footnoteCase(t *testing.T) (old, new engine.Outline) {
	t.Helper()
	read := func(name string) engine.Outline {
		b, err := os.ReadFile("testdata/compare-cases/footnotes/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return createRoom(t, string(b), "case", "en").doc.Outline()
	}
	return read("old.md"), read("new.md")
}

// TestFootnotesClean: a clean text's footnote definitions are footnotes:
// in Word, real footnotes (word/footnotes.xml, one w:footnoteReference
// per reference with the label as its custom mark, the part's
// relationship and content type); in HTML, a list at the end whose labels
// link back to the references. The importer reads the Word file back to
// the same references and definitions.
func TestFootnotesClean(t *testing.T) {
	_, o := footnoteCase(t)
	c, err := export.Clean(o, export.Meta{Title: "Case"}, export.CleanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.DOCX()
	if err != nil {
		t.Fatal(err)
	}
	doc := string(docxPart(t, b, "word/document.xml"))
	notes := string(docxPart(t, b, "word/footnotes.xml"))
	for _, want := range []string{`<w:footnoteReference w:customMarkFollows="1" w:id="1"/><w:t xml:space="preserve">1</w:t>`, `w:id="2"/><w:t xml:space="preserve">4</w:t>`, `w:id="3"/><w:t xml:space="preserve">3</w:t>`} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %s", want)
		}
	}
	if strings.Contains(doc, "[^") || strings.Contains(doc, "Including finance") {
		t.Errorf("document.xml still has footnotes as text:\n%s", doc)
	}
	for _, want := range []string{`<w:footnote w:id="1">`, "Including finance, technology development and transfer and capacity-building.", `<w:footnote w:id="2">`, "See the framework annexed", `w:type="separator"`} {
		if !strings.Contains(notes, want) {
			t.Errorf("footnotes.xml lacks %s", want)
		}
	}
	for part, want := range map[string]string{"[Content_Types].xml": `PartName="/word/footnotes.xml"`, "word/_rels/document.xml.rels": `Target="footnotes.xml"`, "word/styles.xml": `w:styleId="FootnoteText"`} {
		if !strings.Contains(string(docxPart(t, b, part)), want) {
			t.Errorf("%s lacks %s", part, want)
		}
	}
	// Round trip through the .docx importer.
	d, _, err := docx.ImportDraft(b)
	if err != nil {
		t.Fatal(engine.ErrorMessage(err))
	}
	var got []string
	for _, s := range d.Sections {
		for _, p := range s.Paras {
			got = append(got, p.Text)
		}
	}
	want := []string{
		"Parties shall report on support[^1] and on *capacity-building*[^4].",
		"The secretariat shall compile and publish the reports.[^3]",
		"[^1]: Including finance, technology development and transfer and capacity-building.",
		"[^3]: The compilation is issued six weeks before each session.",
		"[^4]: See the framework annexed to decision 1/CP.21, paragraphs 81 to 84.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("import of the export:\n got: %q\nwant: %q", got, want)
	}

	page := string(c.HTML())
	main := page[strings.Index(page, "<main>"):strings.Index(page, `<section class="footnotes"`)]
	if strings.Contains(main, "Including finance") || strings.Contains(main, "[^") {
		t.Errorf("the body of the HTML still has footnotes as paragraphs or text:\n%s", main)
	}
	for _, want := range []string{
		`support<sup class="fn-ref"><a id="fnref-1" href="#fn-1">1</a></sup>`,
		`<p class="para footnote" id="fn-1" data-footnote="1"><a class="fn-back" href="#fnref-1" title="back to the text">1</a> Including finance`,
		`<p class="para footnote" id="fn-4" data-footnote="4"><a class="fn-back" href="#fnref-4"`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("clean HTML lacks %s", want)
		}
	}
}

// TestFootnotesCompare: in a compare, a reference that changed is
// deleted and inserted whole, each a Word footnote of its own text (the
// earlier text's footnote for the deleted one), and a footnote's own
// changes are tracked inside it.
func TestFootnotesCompare(t *testing.T) {
	old, new := footnoteCase(t)
	c := export.CompareDrafts(old, new, export.Meta{Title: "Case"}, export.CompareOptions{})
	b, err := c.DOCX()
	if err != nil {
		t.Fatal(err)
	}
	doc := string(docxPart(t, b, "word/document.xml"))
	notes := string(docxPart(t, b, "word/footnotes.xml"))
	del := regexp.MustCompile(`<w:del [^>]*><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/>[^<]*(<w:[a-zA-Z]+/>)*</w:rPr><w:footnoteReference w:customMarkFollows="1" w:id="(\d+)"/><w:delText xml:space="preserve">2</w:delText></w:r>`)
	ins := regexp.MustCompile(`<w:ins [^>]*><w:r><w:rPr><w:rStyle w:val="FootnoteReference"/>[^<]*(<w:[a-zA-Z]+/>)*</w:rPr><w:footnoteReference w:customMarkFollows="1" w:id="(\d+)"/><w:t xml:space="preserve">4</w:t></w:r>`)
	md, mi := del.FindStringSubmatch(doc), ins.FindStringSubmatch(doc)
	if md == nil || mi == nil {
		t.Fatalf("the changed reference is not a deleted footnote 2 and an inserted footnote 4:\n%s", doc)
	}
	footnote := func(id string) string {
		m := regexp.MustCompile(`<w:footnote w:id="` + id + `">(.*?)</w:footnote>`).FindStringSubmatch(notes)
		if m == nil {
			t.Fatalf("footnotes.xml has no footnote %s", id)
		}
		return m[1]
	}
	if f := footnote(md[2]); !strings.Contains(f, "As defined in decision 2/CP.7.") || !strings.Contains(f, "<w:del ") {
		t.Errorf("the deleted reference's footnote is not the earlier text's, deleted: %s", f)
	}
	if f := footnote(mi[2]); !strings.Contains(f, "See the framework annexed") || !strings.Contains(f, "<w:ins ") {
		t.Errorf("the inserted reference's footnote is not the later text's, inserted: %s", f)
	}
	if !strings.Contains(notes, `<w:ins w:id="`) || !strings.Contains(notes, "development and") {
		t.Errorf("footnote 1's own insertion is not tracked in footnotes.xml:\n%s", notes)
	}
}

// TestFootnotesCompilation: the compilation shows references as links,
// and the footnotes, with their status and proposals, at the end.
func TestFootnotesCompilation(t *testing.T) {
	b, err := os.ReadFile("testdata/compare-cases/footnotes/new.md")
	if err != nil {
		t.Fatal(err)
	}
	r := createRoom(t, string(b), "case", "en")
	c := export.BuildCompilation(r.doc, export.LiveMeta(r.doc, day(1, 21, 9), ""))
	page := string(c.HTML())
	i := strings.Index(page, `<h2 id="footnotes">Footnotes</h2>`)
	if i < 0 {
		t.Fatalf("compilation HTML has no footnotes section:\n%s", page)
	}
	if !strings.Contains(page[:i], `<a id="fnref-3" href="#fn-3">3</a>`) || !strings.Contains(page[i:], `id="fn-3"`) || strings.Contains(page[:i], "The compilation is issued") {
		t.Errorf("compilation HTML does not link reference 3 to its footnote at the end:\n%s", page)
	}
	x, err := c.DOCX()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(docxPart(t, x, "word/footnotes.xml")), "The compilation is issued six weeks before each session.") {
		t.Errorf("compilation .docx has no footnote 3")
	}
}
