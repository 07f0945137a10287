package export_test

import (
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/export"
)

// FuzzCompareDrafts compares two arbitrary drafts: whatever they hold
// (emphasis, brackets, footnote references, markup characters, any
// script), accepting every change of the compare gives the later text and
// rejecting every change the earlier one, in md, HTML, .docx and JSON.
func FuzzCompareDrafts(f *testing.F) {
	f.Add("1. States *welcomed the report* on this.\n\n2. Second [shall][should] stay.", "1. Second [shall] stay.\n\n2. States *noted the report* on this[^2].")
	f.Add("1. One. Two three four five six.", "1. One.\n\n2. Two three four five six.")
	f.Add("1. a *b c* d\n\n2. e {++f++} g", "1. a b *c d*\n\n2. e {--f--} g ~~h~~ <i>")
	f.Add("1. 所有会员国都应该合作。\n\n2. الدول الأعضاء", "1. 所有国家都应该合作。\n\n2. الدول")
	f.Fuzz(func(t *testing.T, a, b string) {
		if len(a) > 2000 || len(b) > 2000 {
			return
		}
		old, _, err1 := engine.ImportDraft("# Draft\n\n" + a)
		new, _, err2 := engine.ImportDraft("# Draft\n\n" + b)
		if err1 != nil || err2 != nil {
			return
		}
		o := outlineOf(t, old)
		n := outlineOf(t, new)
		if o == nil || n == nil {
			return
		}
		c := export.CompareDrafts(*o, *n, export.Meta{Title: "Draft"}, export.CompareOptions{})
		checkReconstruction(t, c, *o, *n)
	})
}

// outlineOf creates a document from a draft and returns its outline, or
// nil when the engine refuses the draft.
func outlineOf(t *testing.T, d engine.Draft) *engine.Outline {
	r := newRoom(t)
	_, err := r.doc.Execute(engine.Context{Now: r.now, Actor: secretariat}, engine.CreateDocument{ID: "fuzz", Type: engine.DraftProgressReport, Language: "en", Draft: d})
	if err != nil {
		if strings.Contains(err.Error(), "internal") {
			t.Fatal(err)
		}
		return nil
	}
	o := r.doc.Outline()
	return &o
}
