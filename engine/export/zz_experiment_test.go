package export_test

import (
	"os"
	"testing"

	"github.com/draftroom/draftroom/engine/export"
)

func TestZZExperiment(t *testing.T) {
	s := buildScenario(t)
	d := s.doc
	clean, _ := export.Clean(d.Outline(), export.LiveMeta(d, s.liveAt, s.head), export.CleanOptions{Doc: d, Lines: true})
	b, err := clean.DOCX()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile("/tmp/exp17/clean.docx", b, 0o644)
	os.WriteFile("/tmp/exp17/clean.html", clean.HTML(), 0o644)
	c := export.CompareRevisions(d, s.zero, nil, export.LiveMeta(d, s.liveAt, s.head), export.CompareOptions{Lines: true})
	b, _ = c.DOCX()
	os.WriteFile("/tmp/exp17/compare.docx", b, 0o644)
	os.WriteFile("/tmp/exp17/compare.html", c.HTML(), 0o644)
}
