package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runImport runs "draftroom import" with args and returns its output.
func runImport(t *testing.T, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), append([]string{"import"}, args...), &out, &errb); code != 0 {
		t.Fatalf("import %v: exit %d: %s", args, code, errb.String())
	}
	return out.String()
}

// TestImportCommandBrackets: the report tells brackets that span
// paragraphs from brackets with no partner.
func TestImportCommandBrackets(t *testing.T) {
	out := runImport(t, "../../engine/testdata/import/brackets-span-paragraphs.md")
	for _, want := range []string{
		"5 paragraphs, 4 brackets (nested 1 deep at most), 1 spanning paragraphs, 2 unbalanced",
		`spanning: lines 3–7, section 1: spans paragraph 12 to paragraph 12 (b) (opens at character 0, closes at character 22)`,
		`unbalanced: line 9, section 1, paragraph 13, character 41: closing bracket ']' without an opening '['`,
		`unbalanced: line 11, section 1, paragraph 14, character 0: opening bracket '[' is never closed`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestImportFormatStable: "draftroom import -format" on every shared real
// text, then on its own output, gives the same text and the same
// structure: import → -format → import is stable.
func TestImportFormatStable(t *testing.T) {
	var files []string
	for _, dir := range []string{"cop21-okfn-paris-drafts/*.md", "akn-parlamento-ai/*.txt"} {
		root := filepath.Join("..", "..", "..", "shared", "research-fixtures")
		if _, err := os.Stat(root); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("research fixtures missing in CI: %v", err)
			}
			t.Skipf("research fixtures not available: %v", err)
		}
		fs, _ := filepath.Glob(filepath.Join(root, dir))
		files = append(files, fs...)
	}
	if len(files) < 12 {
		t.Fatalf("found %d shared texts, want 12", len(files))
	}
	dir := t.TempDir()
	structure := func(listing string) string {
		s, _, _ := strings.Cut(listing, "\n\n") // the header
		_, body, _ := strings.Cut(listing, "\n\n")
		if i := strings.LastIndex(body, "\n\n"); i >= 0 {
			body = body[:i] // the report names source lines
		}
		return s + body
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			first := runImport(t, "-format", f)
			again := filepath.Join(dir, filepath.Base(f)+".formatted.md")
			if err := os.WriteFile(again, []byte(first), 0o644); err != nil {
				t.Fatal(err)
			}
			if second := runImport(t, "-format", again); second != first {
				t.Errorf("-format of the formatted text differs from it")
			}
			if a, b := structure(runImport(t, f)), structure(runImport(t, again)); a != b {
				t.Errorf("the formatted text imports to another structure:\n%.2000s\n---\n%.2000s", a, b)
			}
		})
	}
}
