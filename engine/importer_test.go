package engine

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
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
	if !reflect.DeepEqual(rep.Notes, []ReportNote{{Key: "frontMatter", Params: map[string]any{"key": "authors"}, Text: `front matter "authors" not kept`}}) {
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

func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
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

// sourceBody is the source without front matter, without the "# " title
// line and without HTML comment lines: the text the importer keeps.
func sourceBody(src string) string {
	src = strings.ReplaceAll(strings.TrimPrefix(src, "\ufeff"), "\r\n", "\n")
	lines := strings.Split(src, "\n")
	if strings.TrimSpace(lines[0]) == "---" {
		for i := 1; i < len(lines); i++ {
			if strings.TrimSpace(lines[i]) == "---" {
				lines = lines[i+1:]
				break
			}
		}
	}
	var out []string
	title := false
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if !title && strings.HasPrefix(t, "# ") {
			title = true
			continue
		}
		if strings.HasPrefix(t, "<!--") && strings.HasSuffix(t, "-->") {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// wordRE finds words: runs of letters and runs of digits.
var wordRE = regexp.MustCompile(`\p{L}+|\p{N}+`)

// wordsOf counts the words of s into counts.
func wordsOf(counts map[string]int, s string) {
	for _, w := range wordRE.FindAllString(s, -1) {
		counts[w]++
	}
}

// importedWords counts the words an imported draft holds: title, symbol,
// headings, option labels, numbers and texts. A number counts both as its
// label and as digits, since a Markdown list nested as "1." is a "(a)".
func importedWords(d Draft) map[string]int {
	counts := map[string]int{}
	wordsOf(counts, d.Title)
	wordsOf(counts, d.Symbol)
	var walk func(ps []DraftParagraph, level int)
	walk = func(ps []DraftParagraph, level int) {
		for _, p := range ps {
			if p.Numbered {
				wordsOf(counts, draftLabel(p, level))
				if level > 0 {
					wordsOf(counts, strconv.Itoa(p.Base))
				}
			}
			wordsOf(counts, p.Option)
			wordsOf(counts, p.Text)
			walk(p.Children, level+1)
		}
	}
	for _, s := range d.Sections {
		wordsOf(counts, s.Heading)
		walk(s.Paras, 0)
	}
	return counts
}

// isSubsequence reports whether every rune of sub appears in s in order,
// and if not, the index in sub of the first that does not.
func isSubsequence(sub, s string) (bool, int) {
	rs := []rune(s)
	j := 0
	for i, r := range []rune(sub) {
		for j < len(rs) && rs[j] != r {
			j++
		}
		if j == len(rs) {
			return false, i
		}
		j++
	}
	return true, 0
}

// countBrackets is an independent bracket count over a whole text: one
// stack over every "[" and "]", footnote references ("[^12]") and escaped
// brackets left out. Depth counts matched brackets only.
func countBrackets(text string) (pairs, depth, unmatched int) {
	text = regexp.MustCompile(`\[\^[^\]\s\[]+\]`).ReplaceAllString(text, "")
	text = strings.NewReplacer(`\[`, "", `\]`, "").Replace(text)
	matched := map[int]bool{}
	var stack []int
	for i, c := range text {
		switch c {
		case '[':
			stack = append(stack, i)
		case ']':
			if len(stack) == 0 {
				unmatched++
				continue
			}
			matched[stack[len(stack)-1]], matched[i] = true, true
			stack = stack[:len(stack)-1]
			pairs++
		}
	}
	unmatched += len(stack)
	d := 0
	for i, c := range text {
		if matched[i] {
			if c == '[' {
				d++
				depth = max(depth, d)
			} else {
				d--
			}
		}
	}
	return pairs, depth, unmatched
}

// sharedTexts lists the real texts of ../shared/research-fixtures: the
// Paris Agreement drafts of 2015 and the ADP draft decision (Markdown),
// and the plain-text extractions of the Akoma Ntoso corpus.
func sharedTexts(t *testing.T) []string {
	paris, _ := filepath.Glob(filepath.Join(sharedDir(t, "research-fixtures/cop21-okfn-paris-drafts"), "*.md"))
	akn, _ := filepath.Glob(filepath.Join(sharedDir(t, "research-fixtures/akn-parlamento-ai"), "*.txt"))
	if len(paris) < 6 || len(akn) < 6 {
		t.Fatalf("found %d Paris drafts and %d Akoma Ntoso texts, want 6 of each", len(paris), len(akn))
	}
	return append(paris, akn...)
}

// TestImportSharedTexts imports every shared real text and checks that
// nothing is lost or invented (every word of the source is in the
// document, and the document's text is the source's in order), that
// import → FormatDraft → import gives the same document, and that the
// bracket report agrees with an independent count over the whole text.
func TestImportSharedTexts(t *testing.T) {
	for _, f := range sharedTexts(t) {
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
			o := newDocFromDraft(t, draft).Outline()
			body := sourceBody(src)

			// Every word of the source survives.
			want, got := map[string]int{}, importedWords(draft)
			wordsOf(want, body)
			total, missing := 0, 0
			for w, n := range want {
				total += n
				if got[w] < n {
					missing += n - got[w]
					t.Errorf("word %q: %d in the source, %d imported", w, n, got[w])
				}
			}
			// The imported text is the source's, in order.
			if ok, at := isSubsequence(outlineText(o, false), squeeze(body)); !ok {
				t.Errorf("imported text is not the source's in order: from %.80q", string([]rune(outlineText(o, false))[at:]))
			}

			assertStable(t, draft)

			pairs, depth, unmatched := countBrackets(body)
			if rep.Brackets != pairs || rep.MaxDepth != depth || len(rep.Unbalanced) != unmatched {
				t.Errorf("report: %d pairs, depth %d, %d unbalanced; independent count: %d pairs, depth %d, %d unmatched",
					rep.Brackets, rep.MaxDepth, len(rep.Unbalanced), pairs, depth, unmatched)
			}
			t.Logf("%s: %d sections, %d paragraphs, %d/%d words, %d bracket pairs (depth %d, %d spanning paragraphs), %d unbalanced",
				filepath.Base(f), rep.Sections, rep.Paragraphs, total-missing, total, rep.Brackets, rep.MaxDepth, len(rep.Spanning), len(rep.Unbalanced))
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

// FuzzImportDraft checks that importing never panics and that import →
// FormatDraft → import gives the same document: the same sections,
// headings, numbers, levels, options and texts, and that formatting it
// again gives the same text.
func FuzzImportDraft(f *testing.F) {
	f.Add(sampleDraft)
	f.Add("0\n 1000.")
	for _, s := range scriptSeeds {
		f.Add("# T\n\n## A\n\n1. " + s + "\n    (a) " + s + "\n\n**Option 1:** " + s + "\n")
	}
	for _, name := range []string{"resolution-labels", "plain-article-headings", "option-plain-labels", "nested-digit-list", "brackets-span-paragraphs"} {
		b, err := os.ReadFile("testdata/import/" + name + ".md")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
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
		assertStable(t, draft)
	})
}
