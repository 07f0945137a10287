package engine

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// DiffOp is the kind of one diff segment.
type DiffOp int

// Diff segment kinds.
const (
	DiffEqual DiffOp = iota
	DiffDelete
	DiffInsert
)

// Diff is one segment of a difference between two texts.
type Diff struct {
	Op   DiffOp `json:"op"`
	Text string `json:"text"`
}

// Tokenize splits text into word tokens for diffing: runs of letters and
// digits, runs of white space, and single other characters (punctuation,
// brackets). Characters of scripts written without spaces (Chinese,
// Japanese, Thai, Lao, Khmer, Myanmar) are tokens of one character each, so
// a compare of Chinese text is character-level while one of Arabic,
// Russian or French is word-level.
func Tokenize(text string) []string {
	var toks []string
	start := 0
	class := -1
	for i, r := range text {
		c := tokenClass(r)
		if i > start && (c != class || c >= 2) {
			toks = append(toks, text[start:i])
			start = i
		}
		class = c
	}
	if start < len(text) {
		toks = append(toks, text[start:])
	}
	return toks
}

// tokenClass: 0 word character, 1 space, 2 single-character token.
func tokenClass(r rune) int {
	switch {
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Thai, unicode.Lao, unicode.Khmer, unicode.Myanmar):
		return 2
	case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == '\'' || r == '’':
		return 0
	case unicode.IsSpace(r):
		return 1
	}
	return 2
}

// WordDiff compares two texts on word tokens with go-diff. It has no time
// limit (DiffTimeout 0), so the result is the same on every machine; it is
// meant for one paragraph at a time, never a whole document.
func WordDiff(old, new string) []Diff {
	if old == new {
		if old == "" {
			return nil
		}
		return []Diff{{DiffEqual, old}}
	}
	// Map each distinct token to one rune so that go-diff works on tokens.
	index := map[string]rune{}
	var tokens []string
	encode := func(text string) []rune {
		toks := Tokenize(text)
		rs := make([]rune, len(toks))
		for i, t := range toks {
			r, ok := index[t]
			if !ok {
				r = tokenRune(len(tokens))
				index[t] = r
				tokens = append(tokens, t)
			}
			rs[i] = r
		}
		return rs
	}
	a, b := encode(old), encode(new)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	raw := dmp.DiffMainRunes(a, b, false)
	out := make([]Diff, 0, len(raw))
	for _, d := range raw {
		var sb strings.Builder
		for _, r := range d.Text {
			sb.WriteString(tokens[runeToken(r)])
		}
		op := DiffEqual
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = DiffDelete
		case diffmatchpatch.DiffInsert:
			op = DiffInsert
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += sb.String()
			continue
		}
		out = append(out, Diff{op, sb.String()})
	}
	return out
}

// tokenRune and runeToken number tokens with valid runes from U+0100,
// skipping the surrogate range so every rune survives UTF-8 encoding.
func tokenRune(i int) rune {
	r := rune(0x100 + i)
	if r >= 0xD800 {
		r += 0x800
	}
	return r
}

func runeToken(r rune) int {
	if r >= 0xE000 {
		r -= 0x800
	}
	return int(r - 0x100)
}

// SpliceDiff returns the diff of replacing the characters [start, end) of
// text by insert, without searching: the edit is known.
func SpliceDiff(text string, start, end int, insert string) []Diff {
	rs := []rune(text)
	var out []Diff
	if start > 0 {
		out = append(out, Diff{DiffEqual, string(rs[:start])})
	}
	if end > start {
		out = append(out, Diff{DiffDelete, string(rs[start:end])})
	}
	if insert != "" {
		out = append(out, Diff{DiffInsert, insert})
	}
	if end < len(rs) {
		out = append(out, Diff{DiffEqual, string(rs[end:])})
	}
	return out
}

// DiffOld and DiffNew rebuild the two texts from a diff.
func DiffOld(ds []Diff) string { return diffText(ds, DiffInsert) }

// DiffNew rebuilds the new text from a diff.
func DiffNew(ds []Diff) string { return diffText(ds, DiffDelete) }

func diffText(ds []Diff, skip DiffOp) string {
	var b strings.Builder
	for _, d := range ds {
		if d.Op != skip {
			b.WriteString(d.Text)
		}
	}
	return b.String()
}

// runeLen is the number of characters in s.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
