package export_test

import (
	"testing"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/export"
)

// reports builds every report of the fixture negotiation, by golden file
// stem.
func reports(t testing.TB) map[string]export.Report {
	s := buildScenario(t)
	d := s.doc
	out := map[string]export.Report{}
	clean, err := export.Clean(s.rev1.Outline, export.RevisionMeta(d, s.rev1, s.head), export.CleanOptions{Doc: d})
	if err != nil {
		t.Fatal(err)
	}
	out["progress-report/clean-rev1"] = clean
	live, err := export.Clean(d.Outline(), export.LiveMeta(d, s.liveAt, s.head), export.CleanOptions{Doc: d})
	if err != nil {
		t.Fatal(err)
	}
	out["progress-report/clean-live"] = live
	for _, st := range []export.Style{export.StrikeUnderline, export.StrikeBold, export.Columns} {
		out["progress-report/compare-zero-rev1-"+string(st)] = export.CompareRevisions(d, s.zero, s.rev1, export.RevisionMeta(d, s.rev1, s.head), export.CompareOptions{Style: st})
	}
	out["progress-report/compare-rev1-live"] = export.CompareRevisions(d, s.rev1, nil, export.LiveMeta(d, s.liveAt, s.head), export.CompareOptions{})
	out["progress-report/compilation"] = export.BuildCompilation(d, export.LiveMeta(d, s.liveAt, s.head))
	out["progress-report/status"] = export.BuildStatus(d, export.LiveMeta(d, s.liveAt, s.head), export.StatusOptions{})
	return out
}

// goldenFormats says which formats each report is kept in as a golden
// file (every format of every report is rendered and checked for errors).
var goldenFormats = map[string][]export.Format{
	"progress-report/clean-rev1":                         {export.Markdown, export.HTML, export.DOCX, export.AkomaNtoso, export.JSON},
	"progress-report/clean-live":                         {export.Markdown, export.HTML},
	"progress-report/compare-zero-rev1-strike-underline": {export.Markdown, export.HTML, export.DOCX, export.AkomaNtoso, export.JSON},
	"progress-report/compare-zero-rev1-strike-bold":      {export.HTML},
	"progress-report/compare-zero-rev1-columns":          {export.Markdown, export.HTML, export.DOCX},
	"progress-report/compare-rev1-live":                  {export.Markdown, export.DOCX, export.AkomaNtoso},
	"progress-report/compilation":                        {export.Markdown, export.HTML, export.DOCX, export.JSON},
	"progress-report/status":                             {export.Markdown, export.HTML, export.DOCX, export.JSON},
}

var extension = map[export.Format]string{
	export.Markdown: ".md", export.HTML: ".html", export.DOCX: ".docx.xml", export.AkomaNtoso: ".akn.xml", export.JSON: ".json",
}

func TestGolden(t *testing.T) {
	for name, r := range reports(t) {
		keep := map[export.Format]bool{}
		for _, f := range goldenFormats[name] {
			keep[f] = true
		}
		for _, f := range export.Formats {
			b, err := export.Render(r, f)
			if f == export.AkomaNtoso && (r.Kind() == "compilation" || r.Kind() == "status") {
				if engine.ErrorCode(err) != engine.EINVALID {
					t.Errorf("%s as AKN: err = %v, want an EINVALID error", name, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s as %s: %v", name, f, err)
				continue
			}
			if f == export.DOCX {
				b = docxPart(t, b, "word/document.xml")
			}
			if keep[f] {
				golden(t, name+extension[f], b)
			}
		}
	}
}
