package export

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine"
)

// TestSpacedTokensMatchTokenize checks that the ASCII fast path splits
// text exactly as engine.Tokenize does, less the white space.
func TestSpacedTokensMatchTokenize(t *testing.T) {
	var inputs []string
	for c := 0; c < 128; c++ {
		for _, ctx := range []string{"%", "a%", "%b", "a%b", " %1", "%'s", "[%]"} {
			inputs = append(inputs, strings.ReplaceAll(ctx, "%", string(rune(c))))
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	const alphabet = "ab Z9'’[]-,. \t\n(é中"
	for n := 0; n < 2000; n++ {
		var b strings.Builder
		for k := rng.IntN(30); k > 0; k-- {
			rs := []rune(alphabet)
			b.WriteRune(rs[rng.IntN(len(rs))])
		}
		inputs = append(inputs, b.String())
	}
	for _, in := range inputs {
		var want []string
		for _, tok := range engine.Tokenize(in) {
			if !isSpaceToken(tok) {
				want = append(want, tok)
			}
		}
		toks, tail := spacedTokens(in)
		var got []string
		prev := 0
		for _, tok := range toks {
			if tok.space != prev || strings.TrimSpace(in[tok.space:tok.text]) != "" {
				t.Errorf("%q: token %q is not preceded by exactly the white space since the last one", in, in[tok.text:tok.end])
			}
			got = append(got, in[tok.text:tok.end])
			prev = tok.end
		}
		if strings.Join(got, "\x00") != strings.Join(want, "\x00") || strings.TrimSpace(in[tail:]) != "" {
			t.Errorf("%q: tokens %q, want %q (tail %q)", in, got, want, in[tail:])
		}
	}
}

// TestCompareDiffRebuilds checks that a compare's segments rebuild both
// texts, and that unchanged words stay equal.
func TestCompareDiffRebuilds(t *testing.T) {
	tests := []struct{ old, new, want string }{
		{"the basis of work", "the foundation of work", "the {-basis}{+foundation} of work"},
		{"pose [a serious][an increasing] risk", "pose a serious risk", "pose {-[}a serious{-][an increasing]} risk"},
		{"foo bar baz", "foo baz", "foo{- bar} baz"},
		{"a b", "a  b", "a {+ }b"},
		{"各国应考虑", "各国宜考虑", "各国{-应}{+宜}考虑"},
		{"", "new", "{+new}"},
		{"old", "", "{-old}"},
	}
	for _, tt := range tests {
		ds := compareDiff(tt.old, tt.new)
		if engine.DiffOld(ds) != tt.old || engine.DiffNew(ds) != tt.new {
			t.Errorf("%q → %q: segments rebuild %q → %q", tt.old, tt.new, engine.DiffOld(ds), engine.DiffNew(ds))
		}
		var b strings.Builder
		for _, d := range ds {
			switch d.Op {
			case engine.DiffDelete:
				b.WriteString("{-" + d.Text + "}")
			case engine.DiffInsert:
				b.WriteString("{+" + d.Text + "}")
			default:
				b.WriteString(d.Text)
			}
		}
		if b.String() != tt.want {
			t.Errorf("%q → %q: %s, want %s", tt.old, tt.new, b.String(), tt.want)
		}
	}
}

// FuzzCompareDiff checks that the segments of a compare always rebuild
// both texts.
func FuzzCompareDiff(f *testing.F) {
	f.Add("States [shall][should] act.", "States shall act now.")
	f.Add("各国[宜][应]考虑", "各国应考虑")
	f.Add("رحبت الدول [بتشغيل][ببدء تشغيل] دليل", "رحبت الدول بتشغيل دليل")
	f.Add("a  b\tc", "a b c ")
	f.Fuzz(func(t *testing.T, old, new string) {
		ds := compareDiff(old, new)
		if engine.DiffOld(ds) != old || engine.DiffNew(ds) != new {
			t.Fatalf("%q → %q: segments rebuild %q → %q", old, new, engine.DiffOld(ds), engine.DiffNew(ds))
		}
	})
}

// FuzzMarkup checks that the negotiation markup never lets raw HTML
// through, whatever the text, and that encoding any text as inline
// Markdown and rendering it never panics.
func FuzzMarkup(f *testing.F) {
	f.Add("States [shall][should]{>>EU<<} act {++now++}{--later--}.")
	f.Add("<script>alert(1)</script> [x](javascript:y) {>>a<<} ++} {-- [^1]")
	f.Add("*a [b* c] \\[d\\] &amp; <b>")
	f.Fuzz(func(t *testing.T, s string) {
		for _, src := range []string{s, mdText(s, inlineOpts{lineStart: true}), mdInline([]Segment{{Op: OpDelete, Text: s}, {Op: OpInsert, Text: s}}, inlineOpts{})} {
			out := inlineHTML(src)
			if strings.Contains(out, "<script") || strings.Contains(out, "<img") || strings.Contains(out, "<a ") {
				t.Fatalf("%q renders raw HTML: %s", src, out)
			}
		}
	})
}
