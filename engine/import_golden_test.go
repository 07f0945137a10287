package engine

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata/import")

// dumpImport renders an imported draft as its structure, each paragraph
// with its display number, option and text, then the import report.
func dumpImport(t testing.TB, draft Draft, rep ImportReport) string {
	t.Helper()
	o := newDocFromDraft(t, draft).Outline()
	var b strings.Builder
	fmt.Fprintf(&b, "title: %s\n", o.Title)
	if o.Symbol != "" {
		fmt.Fprintf(&b, "symbol: %s\n", o.Symbol)
	}
	fmt.Fprintf(&b, "numbering: %s\n", draft.Numbering)
	var walk func(ps []OutlineParagraph, indent string)
	walk = func(ps []OutlineParagraph, indent string) {
		for _, p := range ps {
			num := p.Number
			if num == "" {
				num = "·"
			}
			opt := ""
			if p.Option != "" {
				opt = "[" + p.Option + "] "
			}
			fmt.Fprintf(&b, "%s%-8s %s%q\n", indent, num, opt, p.Text)
			walk(p.Children, indent+"    ")
		}
	}
	for _, s := range o.Sections {
		if s.Heading != "" {
			fmt.Fprintf(&b, "\n%s %s\n", strings.Repeat("#", s.Level+1), s.Heading)
		} else {
			b.WriteString("\n(no heading)\n")
		}
		walk(s.Paras, "")
	}
	fmt.Fprintf(&b, "\n%d sections, %d paragraphs, %d bracket pairs, depth %d\n", rep.Sections, rep.Paragraphs, rep.Brackets, rep.MaxDepth)
	for _, s := range rep.Spanning {
		fmt.Fprintf(&b, "spanning: %s\n", s)
	}
	for _, u := range rep.Unbalanced {
		fmt.Fprintf(&b, "unbalanced: %s\n", u)
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	return b.String()
}

// TestImportGolden imports each small case in testdata/import (one case
// per file) and compares what it reads with the .golden file next to it
// (go test -run TestImportGolden -update rewrites them). Every case must
// also be stable: formatting it back and importing again gives the same
// document, and formatting that gives the same text.
func TestImportGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/import/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases in testdata/import: %v", err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".md"), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			draft, rep, err := ImportDraft(string(src))
			if err != nil {
				t.Fatal(err)
			}
			got := dumpImport(t, draft, rep)
			golden := strings.TrimSuffix(f, ".md") + ".golden"
			if *updateGolden {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("import of %s differs from %s:\n--- got\n%s\n--- want\n%s", f, golden, got, want)
			}
			assertStable(t, draft)
		})
	}
}

// assertStable checks that import → FormatDraft → import gives the same
// document, and that formatting is a fixed point.
func assertStable(t testing.TB, draft Draft) {
	t.Helper()
	o := newDocFromDraft(t, draft).Outline()
	text := FormatDraft(o)
	again, _, err := ImportDraft(text)
	if err != nil {
		t.Fatalf("re-import failed: %v", err)
	}
	o2 := newDocFromDraft(t, again).Outline()
	if !reflect.DeepEqual(o, o2) {
		t.Fatalf("import → format → import is not the same document: %s\nformatted:\n%s", outlineDiff(o, o2), text)
	}
	if text2 := FormatDraft(o2); text2 != text {
		t.Fatalf("formatting is not stable:\nfirst:\n%s\nsecond:\n%s", text, text2)
	}
}

// outlineDiff names the first paragraph that differs between two outlines.
func outlineDiff(a, b Outline) string {
	flat := func(o Outline) []string {
		out := []string{"title " + o.Title, "symbol " + o.Symbol}
		var walk func(ps []OutlineParagraph)
		walk = func(ps []OutlineParagraph) {
			for _, p := range ps {
				out = append(out, fmt.Sprintf("%s %s level %d number %q option %q text %q", p.ID, p.EID, p.Level, p.Number, p.Option, p.Text))
				walk(p.Children)
			}
		}
		for _, s := range o.Sections {
			out = append(out, fmt.Sprintf("section %s %s level %d %q", s.ID, s.EID, s.Level, s.Heading))
			walk(s.Paras)
		}
		return out
	}
	fa, fb := flat(a), flat(b)
	for i := 0; i < len(fa) && i < len(fb); i++ {
		if fa[i] != fb[i] {
			return fmt.Sprintf("item %d: %s\nbecame    %s", i, fa[i], fb[i])
		}
	}
	return fmt.Sprintf("%d items became %d", len(fa), len(fb))
}
