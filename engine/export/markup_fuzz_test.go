package export

import (
	"strings"
	"testing"
)

// FuzzMarkup checks that the negotiation markup never lets raw HTML
// through, whatever the text, and that encoding any text as inline
// Markdown and rendering it never panics.
func FuzzMarkup(f *testing.F) {
	f.Add("States [shall][should]{>>EU<<} act {++now++}{--later--}.")
	f.Add("<script>alert(1)</script> [x](javascript:y) {>>a<<} ++} {-- [^1]")
	f.Add("*a [b* c] \\[d\\] &amp; <b>")
	f.Fuzz(func(t *testing.T, s string) {
		for _, src := range []string{s, mdText(s, inlineOpts{lineStart: true}), mdInline([]Segment{{Op: OpDelete, Text: s}, {Op: OpInsert, Text: s}}, inlineOpts{})} {
			// Footnote references are the one link the converter writes.
			out := strings.ReplaceAll(inlineHTML(src), `<sup class="fn-ref"><a href="#fn-`, "")
			if strings.Contains(out, "<script") || strings.Contains(out, "<img") || strings.Contains(out, "<a ") {
				t.Fatalf("%q renders raw HTML: %s", src, out)
			}
		}
	})
}
