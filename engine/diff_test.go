package engine

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestSpacedTokensMatchTokenize checks that the ASCII fast path splits
// text exactly as Tokenize does, less the white space.
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
		for _, tok := range Tokenize(in) {
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

// TestWordDiff checks that a compare's segments rebuild both
// texts, and that unchanged words stay equal.
func TestWordDiff(t *testing.T) {
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
		ds := WordDiff(tt.old, tt.new)
		if DiffOld(ds) != tt.old || DiffNew(ds) != tt.new {
			t.Errorf("%q → %q: segments rebuild %q → %q", tt.old, tt.new, DiffOld(ds), DiffNew(ds))
		}
		var b strings.Builder
		for _, d := range ds {
			switch d.Op {
			case DiffDelete:
				b.WriteString("{-" + d.Text + "}")
			case DiffInsert:
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

// FuzzWordDiff checks that the segments of a compare always rebuild
// both texts.
func FuzzWordDiff(f *testing.F) {
	f.Add("States [shall][should] act.", "States shall act now.")
	f.Add("各国[宜][应]考虑", "各国应考虑")
	f.Add("رحبت الدول [بتشغيل][ببدء تشغيل] دليل", "رحبت الدول بتشغيل دليل")
	f.Add("a  b\tc", "a b c ")
	f.Fuzz(func(t *testing.T, old, new string) {
		ds := WordDiff(old, new)
		if DiffOld(ds) != old || DiffNew(ds) != new {
			t.Fatalf("%q → %q: segments rebuild %q → %q", old, new, DiffOld(ds), DiffNew(ds))
		}
	})
}
