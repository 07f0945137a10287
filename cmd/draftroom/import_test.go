package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/sqlite"
	"github.com/draftroom/draftroom/fixtures"
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

// TestImportIntoProcess: "draftroom import -db -process" registers the
// document with its process, which allocates its symbol (the draft's
// symbol line is not used, and stderr says so); a second import takes the
// next number; the stored document and process replay with them; errors
// name the flag.
func TestImportIntoProcess(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "import.db")
	log, err := sqlite.Open(ctx, db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := fs.ReadFile(fixtures.FS, "processes/permanent-mechanism/process.json")
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := engine.ParseProcessTemplate(data)
	if err != nil {
		t.Fatal(err)
	}
	_, evs, err := engine.BuildProcess(engine.Context{Now: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), Actor: engine.Actor{Person: "system", Role: engine.RoleSystem}}, tpl)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := log.Append(ctx, engine.ProcessStream("permanent-mechanism"), 0, evs); err != nil {
		t.Fatal(err)
	}
	log.Close()
	draft := "../../fixtures/drafts/progress-report-zero-draft.md"
	cli := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		code := run(ctx, append([]string{"import"}, args...), &out, &errb)
		return code, errb.String()
	}
	code, errs := cli("-db", db, "-id", "apr-2027", "-process", "permanent-mechanism", "-meeting", "plenary-2027", draft)
	// The draft's line says A/AC.292/2027/CRP.1, the symbol allocated:
	// nothing to note.
	if code != 0 || !strings.Contains(errs, "symbol: A/AC.292/2027/CRP.1\n") || strings.Contains(errs, "is not used") {
		t.Fatalf("first import: %d %s", code, errs)
	}
	code, errs = cli("-db", db, "-id", "il-recs", "-type", "recommendations", "-process", "permanent-mechanism", "-body", "dtg-international-law", "-meeting", "international-law-2027-12", draft)
	if code != 0 || !strings.Contains(errs, "symbol: A/AC.292/2027/CRP.2\n") || !strings.Contains(errs, "note: the draft's symbol A/AC.292/2027/CRP.1 is not used: permanent-mechanism allocates its documents' symbols") {
		t.Fatalf("second import: %d %s", code, errs)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-db", db, "-id", "x", "-body", "plenary", draft}, "-body and -meeting need -process"},
		{[]string{"-id", "x", "-process", "permanent-mechanism", draft}, "-process needs -db"},
		{[]string{"-db", db, "-id", "x", "-process", "nope", draft}, `process "nope" does not exist in the database (-process)`},
		{[]string{"-db", db, "-id", "x", "-process", "permanent-mechanism", "-meeting", "plenary-2040", draft}, "meeting: meeting plenary-2040 does not exist in Global Mechanism"},
	} {
		if code, errs := cli(c.args...); code == 0 || !strings.Contains(errs, c.want) {
			t.Errorf("import %v: %d %q, want an error with %q", c.args, code, errs, c.want)
		}
	}
	log, err = sqlite.Open(ctx, db, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	for id, want := range map[engine.DocumentID]string{"apr-2027": "A/AC.292/2027/CRP.1", "il-recs": "A/AC.292/2027/CRP.2"} {
		d, _, _, _, err := engine.LoadDocument(ctx, log, id)
		if err != nil || d.Symbol != want || !d.SymbolsAllocated || d.Process != "permanent-mechanism" {
			t.Errorf("%s as stored: %v %+v", id, err, d)
		}
	}
	p, _, err := engine.LoadProcess(ctx, log, "permanent-mechanism")
	if err != nil || p.Symbols["A/AC.292/2027/CRP."] != 2 {
		t.Errorf("the process as stored counts %v (%v), want 2 papers of 2027", p.Symbols, err)
	}
}
