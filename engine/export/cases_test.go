package export_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/export"
)

// TestCompareCases compares the small drafts of testdata/compare-cases,
// one case per folder (old.md, new.md): the Markdown and HTML compares
// match their golden files (go test -update rewrites them), and every
// format rebuilds both texts.
func TestCompareCases(t *testing.T) {
	dirs, err := filepath.Glob("testdata/compare-cases/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no compare cases: %v", err)
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			read := func(name string) engine.Outline {
				b, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				return createRoom(t, string(b), "case", "en").doc.Outline()
			}
			old, new := read("old.md"), read("new.md")
			c := export.CompareDrafts(old, new, export.Meta{Title: "Case"}, export.CompareOptions{})
			golden(t, "compare-cases/"+filepath.Base(dir)+"/compare.md", c.Markdown())
			// The page's style and header are the same for every case
			// (the progress-report goldens keep them); the case is its rows.
			page := string(c.HTML())
			if i := strings.Index(page, "</header>"); i >= 0 {
				page = page[i+len("</header>"):]
			}
			golden(t, "compare-cases/"+filepath.Base(dir)+"/compare.html", []byte(page))
			checkReconstruction(t, c, old, new)
		})
	}
}
