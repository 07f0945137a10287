package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// sharedDir finds ../shared/<rel> from the repository; with CI=true a
// missing corpus is a failure, not a skip.
func sharedDir(t testing.TB, rel string) string {
	t.Helper()
	dir := filepath.Join("..", "..", "shared", rel)
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("research fixtures missing in CI: %v", err)
		}
		t.Skipf("research fixtures not available: %v", err)
	}
	return dir
}

func TestImportLineKinds(t *testing.T) {
	d, rep, err := ImportDraft(`---
title: From front matter
authors: ["x"]
---
<!-- symbol: A/AC.292/2027/L.1 -->

Text before any heading.

## I. Section one

1. First paragraph
continued on a second line.
2. Second paragraph [open
    (a) letter a;
    (b) letter b:
        (i) roman one;
        (ii) roman two;
    (c) letter c.

12 bis. Inserted.

17 alt. Alternative.

### Sub-heading

**Option 1:** No text

**Option 2:**

3. Option two text.

a) margin letter belongs to 3;

- a bullet
`)
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "From front matter" || d.Symbol != "A/AC.292/2027/L.1" {
		t.Errorf("title/symbol = %q/%q", d.Title, d.Symbol)
	}
	if !reflect.DeepEqual(rep.Notes, []string{`front matter "authors" not kept`}) {
		t.Errorf("notes = %q", rep.Notes)
	}
	if len(d.Sections) != 3 || d.Sections[0].Heading != "" || d.Sections[2].Level != 2 {
		t.Fatalf("sections = %+v", d.Sections)
	}
	s1 := d.Sections[1].Paras
	if s1[0].Text != "First paragraph continued on a second line." || s1[0].Base != 1 || s1[0].Line != 11 {
		t.Errorf("paragraph 1 = %+v", s1[0])
	}
	kids := s1[1].Children
	if len(kids) != 3 || kids[1].Base != 2 || len(kids[1].Children) != 2 || kids[1].Children[1].Base != 2 || kids[1].Children[1].Text != "roman two;" {
		t.Errorf("subparagraphs of 2 = %+v", kids)
	}
	if s1[2].Base != 12 || s1[2].Suffix != 1 || s1[3].Base != 17 || s1[3].Alt != 1 {
		t.Errorf("bis/alt = %+v %+v", s1[2], s1[3])
	}
	s2 := d.Sections[2].Paras
	if s2[0].Option != "Option 1" || s2[0].Text != "No text" || s2[1].Option != "Option 2" || s2[1].Base != 3 {
		t.Errorf("options = %+v", s2[:2])
	}
	if len(s2[1].Children) != 1 || s2[1].Children[0].Base != 1 {
		t.Errorf("margin letter not attached to 3: %+v", s2[1].Children)
	}
	if s2[2].Text != "- a bullet" {
		t.Errorf("bullet = %+v", s2[2])
	}
	if len(rep.Unbalanced) != 1 {
		t.Fatalf("unbalanced = %+v, want one", rep.Unbalanced)
	}
	u := rep.Unbalanced[0]
	if u.Line != 13 || u.Offset != 17 || u.Where != `section "I. Section one", paragraph 2` {
		t.Errorf("unbalanced = %+v, want line 13, offset 17 in paragraph 2", u)
	}
}

func TestImportRefusals(t *testing.T) {
	if _, _, err := ImportDraft("# T\n\nok\n\nbad \xff byte\n"); err == nil || err.Error() != "line 5 is not valid UTF-8" {
		t.Errorf("invalid UTF-8: %v", err)
	}
	if _, _, err := ImportDraft(strings.Repeat("x", MaxImportBytes+1)); err == nil || !strings.Contains(err.Error(), "the limit is 8388608") {
		t.Errorf("oversized: %v", err)
	}
	// A crafted draft: one enormous paragraph of opening brackets is
	// refused before the bracket parser sees it.
	if _, _, err := ImportDraft("# T\n\n1. " + strings.Repeat("[", 6<<20) + "\n"); err == nil || err.Error() != "the paragraph at line 3 is 6291456 bytes; the limit is 65536" {
		t.Errorf("huge paragraph: %v", err)
	}
	draft, _, _ := ImportDraft("# T\n\n1. a \x01 b\n")
	_, err := NewDocument().Decide(secretary, CreateDocument{ID: "x", Draft: draft})
	if err == nil || err.Error() != "text of the paragraph at line 3 has a control character U+0001 at character 2" {
		t.Errorf("control character: %v", err)
	}
}

// markerRE strips what the importer reads as structure at the start of a
// line: headings, numbers, letters, option labels, symbol comments. It is
// deliberately simpler than the importer, as an independent check.
var markerRE = regexp.MustCompile(`^(#{1,6}\s|\d{1,4}\s?(bis|ter|quater|quinquies|sexies)?(\s*alt(\s*\d+)?)?\.(\s|$)|\(?[a-z]{1,4}\)(\s|$)|\*\*(Option|Alternative)[^*]*\*\*:?|<!--.*-->)`)

func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// sourceText is the source without front matter and markers, without
// white space.
func sourceText(src string) string {
	lines := strings.Split(src, "\n")
	if strings.TrimSpace(lines[0]) == "---" {
		for i := 1; i < len(lines); i++ {
			if strings.TrimSpace(lines[i]) == "---" {
				lines = lines[i+1:]
				break
			}
		}
	}
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(markerRE.ReplaceAllString(strings.TrimSpace(l), ""))
	}
	return squeeze(b.String())
}

// outlineText is everything the imported outline holds as text, in order.
func outlineText(o Outline, title bool) string {
	var b strings.Builder
	if title {
		b.WriteString(o.Title)
	}
	for _, s := range o.Sections {
		b.WriteString(s.Heading)
		var walk func(ps []OutlineParagraph)
		walk = func(ps []OutlineParagraph) {
			for _, p := range ps {
				b.WriteString(p.Text)
				walk(p.Children)
			}
		}
		walk(s.Paras)
	}
	return squeeze(b.String())
}

// TestImportParisDrafts imports every Paris Agreement draft of 2015 and
// checks that nothing is lost: every character of the source other than
// structure markers is in the imported text, in order; formatting the
// document back and importing it again gives the same draft; and the
// bracket report agrees with a plain count of bracket characters.
func TestImportParisDrafts(t *testing.T) {
	dir := sharedDir(t, "research-fixtures/cop21-okfn-paris-drafts")
	files, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	if len(files) < 6 {
		t.Fatalf("found %d drafts in %s, want 6", len(files), dir)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			src := string(b)
			draft, rep, err := ImportDraft(src)
			if err != nil {
				t.Fatal(err)
			}
			doc := newDocFromDraft(t, draft)
			o := doc.Outline()
			hasTitle := strings.HasPrefix(strings.TrimSpace(src), "# ")
			if got, want := outlineText(o, hasTitle && !strings.HasPrefix(draft.Title, "Untitled")), sourceText(src); got != want {
				i := 0
				for i < len(got) && i < len(want) && got[i] == want[i] {
					i++
				}
				t.Fatalf("imported text differs from the source at byte %d:\nsource: %.120q\nimport: %.120q", i, want[i:], got[i:])
			}
			again, rep2, err := ImportDraft(FormatDraft(o))
			if err != nil {
				t.Fatal(err)
			}
			if again.Title = draft.Title; !sameDraft(draft, again) {
				t.Errorf("format → import does not give the same draft back: %s", draftDiff(draft, again))
			}
			if rep2.Brackets != rep.Brackets || len(rep2.Unbalanced) != len(rep.Unbalanced) {
				t.Errorf("brackets after round trip: %d/%d unbalanced, want %d/%d", rep2.Brackets, len(rep2.Unbalanced), rep.Brackets, len(rep.Unbalanced))
			}
			// Every "[" and "]" outside escapes and footnote references is
			// either in a matched pair or reported.
			body := src
			if strings.HasPrefix(body, "---\n") {
				body = body[strings.Index(body[4:], "\n---")+8:]
			}
			opens := strings.Count(body, "[") - strings.Count(body, `\[`)
			closes := strings.Count(body, "]") - strings.Count(body, `\]`)
			notes := len(regexp.MustCompile(`\[\^[^\]\s\[]+\]`).FindAllString(body, -1))
			if got := 2*rep.Brackets + len(rep.Unbalanced); got != opens+closes-2*notes {
				t.Errorf("brackets: %d pairs + %d unbalanced account for %d bracket characters, the source has %d", rep.Brackets, len(rep.Unbalanced), got, opens+closes-2*notes)
			}
			t.Logf("%s: %d sections, %d paragraphs, %d brackets (max depth %d), %d unbalanced", filepath.Base(f), rep.Sections, rep.Paragraphs, rep.Brackets, rep.MaxDepth, len(rep.Unbalanced))
		})
	}
}

func newDocFromDraft(t testing.TB, draft Draft) *Document {
	t.Helper()
	d := NewDocument()
	if _, err := d.Execute(secretary, CreateDocument{ID: "d1", Draft: draft}); err != nil {
		t.Fatalf("CreateDocument: %v", err)
	}
	return d
}

// draftDiff names the first paragraph that differs between two drafts.
func draftDiff(a, b Draft) string {
	flat := func(d Draft) []string {
		var out []string
		var walk func(ps []DraftParagraph, depth int)
		walk = func(ps []DraftParagraph, depth int) {
			for _, p := range ps {
				out = append(out, fmt.Sprintf("%d %v %d/%d/%d %q %q", depth, p.Numbered, p.Base, p.Suffix, p.Alt, p.Option, p.Text))
				walk(p.Children, depth+1)
			}
		}
		for _, s := range d.Sections {
			out = append(out, "## "+s.Heading)
			walk(s.Paras, 0)
		}
		return out
	}
	fa, fb := flat(a), flat(b)
	for i := 0; i < len(fa) && i < len(fb); i++ {
		if fa[i] != fb[i] {
			return fmt.Sprintf("item %d: %s\nbecame %s", i, fa[i], fb[i])
		}
	}
	return fmt.Sprintf("%d items became %d", len(fa), len(fb))
}

// sameDraft compares drafts ignoring source line numbers.
func sameDraft(a, b Draft) bool {
	strip := func(d Draft) Draft {
		var walk func(ps []DraftParagraph) []DraftParagraph
		walk = func(ps []DraftParagraph) []DraftParagraph {
			out := make([]DraftParagraph, len(ps))
			for i, p := range ps {
				p.Line = 0
				p.Children = walk(p.Children)
				out[i] = p
			}
			return out
		}
		secs := make([]DraftSection, len(d.Sections))
		for i, s := range d.Sections {
			s.Paras = walk(s.Paras)
			secs[i] = s
		}
		d.Sections = secs
		return d
	}
	return reflect.DeepEqual(strip(a), strip(b))
}

// TestImportFixtures imports the drafts we ship and checks what they are
// meant to exercise.
func TestImportFixtures(t *testing.T) {
	b, err := os.ReadFile("../fixtures/drafts/progress-report-zero-draft.md")
	if err != nil {
		t.Fatal(err)
	}
	draft, rep, err := ImportDraft(string(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Unbalanced) != 0 || rep.Brackets < 40 || rep.MaxDepth < 2 {
		t.Errorf("fixture draft: %d brackets, depth %d, unbalanced %v", rep.Brackets, rep.MaxDepth, rep.Unbalanced)
	}
	d := newDocFromDraft(t, draft)
	for _, num := range []string{"1", "17", "17 alt", "23 bis", "45"} {
		if _, ok := d.FindByNumber(num); !ok {
			t.Errorf("fixture draft has no paragraph %s", num)
		}
	}
	if d.Symbol != "A/AC.292/2027/CRP.1" || d.Numbering != NumberContinuous {
		t.Errorf("symbol %q numbering %s", d.Symbol, d.Numbering)
	}

	b, err = os.ReadFile("../fixtures/drafts/multilingual-passage.md")
	if err != nil {
		t.Fatal(err)
	}
	draft, rep, err = ImportDraft(string(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Unbalanced) != 0 || len(draft.Sections) < 6 {
		t.Fatalf("multilingual: %d sections, unbalanced %v", len(draft.Sections), rep.Unbalanced)
	}
	d = newDocFromDraft(t, draft)
	if d.Numbering != NumberPerSection {
		t.Errorf("multilingual numbering = %s, want per-section", d.Numbering)
	}
	for _, s := range draft.Sections {
		if len(s.Paras) == 0 || !HasBrackets(s.Paras[0].Text+s.Paras[len(s.Paras)-1].Text) && !anyBrackets(s.Paras) {
			t.Errorf("section %q has no bracketed text", s.Heading)
		}
	}
}

func anyBrackets(ps []DraftParagraph) bool {
	for _, p := range ps {
		if HasBrackets(p.Text) || anyBrackets(p.Children) {
			return true
		}
	}
	return false
}

// FuzzImportDraft checks that importing never panics and that formatting an
// imported draft and importing it again gives the same draft.
func FuzzImportDraft(f *testing.F) {
	f.Add(sampleDraft)
	for _, s := range scriptSeeds {
		f.Add("# T\n\n## A\n\n1. " + s + "\n    (a) " + s + "\n\n**Option 1:** " + s + "\n")
	}
	f.Fuzz(func(t *testing.T, src string) {
		draft, _, err := ImportDraft(src)
		if err != nil {
			return
		}
		d := NewDocument()
		if _, err := d.Execute(secretary, CreateDocument{ID: "f", Draft: draft}); err != nil {
			return // e.g. control characters, refused with a message
		}
		again, _, err := ImportDraft(FormatDraft(d.Outline()))
		if err != nil {
			t.Fatalf("re-import failed: %v", err)
		}
		if got, want := outlineText(newDocFromDraft(t, again).Outline(), false), outlineText(d.Outline(), false); got != want {
			t.Fatalf("text changed on round trip:\n got %q\nwant %q", got, want)
		}
	})
}
