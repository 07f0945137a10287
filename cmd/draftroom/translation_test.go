package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportTranslationCommand stores the progress report, takes its
// French version from a file with "draftroom import -translation", reports
// what did not match, and exports the French clean text, the parallel text
// and the translation status from the database.
func TestImportTranslationCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "dr.db")
	runImport(t, "-db", db, "-id", "crp1", zeroDraft)
	out := runImport(t, "-db", db, "-id", "crp1", "-translation", "fr", "../../fixtures/drafts/progress-report-zero-draft.fr.md")
	if !strings.Contains(out, "French version: 76 paragraph(s) taken, 0 already current, 0 paragraph(s) of the file unmatched, 0 paragraph(s) of the document not in the file") {
		t.Errorf("import -translation:\n%s", out)
	}
	// A file numbered otherwise: the unmatched paragraphs are named.
	odd := filepath.Join(t.TempDir(), "odd.fr.md")
	writeFile(t, odd, "# Titre\n\n## A. Introduction\n\n1. Premier paragraphe.\n\n99. Un paragraphe de trop.\n")
	out = runImport(t, "-db", db, "-id", "crp1", "-translation", "fr", odd)
	for _, want := range []string{"French version: 1 paragraph(s) taken, 0 already current, 1 paragraph(s) of the file unmatched, 75 paragraph(s) of the document not in the file",
		`unmatched: line 7: paragraph 99 matches no paragraph of the document: "Un paragraphe de trop."`} {
		if !strings.Contains(out, want) {
			t.Errorf("import -translation of a file numbered otherwise lacks %q:\n%s", want, out)
		}
	}
	var so, se bytes.Buffer
	if code := run(context.Background(), []string{"import", "-db", db, "-id", "crp1", "-translation", "de", odd}, &so, &se); code == 0 || !strings.Contains(se.String(), `language "de" is not one of the six official languages`) {
		t.Errorf("German version: exit %d, %s", code, se.String())
	}
	export := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if code := run(context.Background(), append([]string{"export", "-db", db, "-doc", "crp1"}, args...), &out, &errb); code != 0 {
			t.Fatalf("export %v: exit %d: %s", args, code, errb.String())
		}
		return out.String()
	}
	if fr := export("-lang", "fr"); !strings.Contains(fr, "Premier paragraphe.") || !strings.Contains(fr, "Les États ont réaffirmé que le cadre cumulatif") {
		t.Errorf("French clean text:\n%.600s", fr)
	}
	if par := export("-report", "parallel", "-lang", "fr", "-format", "html"); !strings.Contains(par, `<td lang="fr" dir="ltr"`) {
		t.Errorf("parallel text:\n%.600s", par)
	}
	if st := export("-report", "translations"); !strings.Contains(st, "| French | 76 | 0 | 0 |") || !strings.Contains(st, "| Arabic | 0 | 0 | 76 |") {
		t.Errorf("translation status:\n%s", st)
	}
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
