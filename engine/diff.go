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
// digits, runs of white space, footnote references ("[^12]") whole, and
// single other characters (punctuation, brackets). Characters of scripts written without spaces (Chinese,
// Japanese, Thai, Lao, Khmer, Myanmar) are tokens of one character each, so
// a compare of Chinese text is character-level while one of Arabic,
// Russian or French is word-level.
func Tokenize(text string) []string {
	var toks []string
	start := 0
	class := -1
	skip := 0 // end of a footnote reference being passed over
	for i, r := range text {
		if i < skip {
			continue
		}
		c := tokenClass(r)
		if r == '[' && IsFootnoteRef(text[i:]) {
			// A footnote reference ("[^12]") is one token: a compare
			// replaces it whole, never its digits inside the brackets.
			if i > start {
				toks = append(toks, text[start:i])
			}
			skip = i + strings.IndexByte(text[i:], ']') + 1
			toks = append(toks, text[i:skip])
			start, class = skip, -1
			continue
		}
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

// WordDiff compares two texts on word tokens with go-diff: the tokens of
// Tokenize (words, single punctuation marks, single characters of scripts
// written without spaces) other than white space, which travels with the
// token after it. Aligning on the spaces between words would make a
// heavily rewritten paragraph alternate one word out, one word in. There
// is no time limit (DiffTimeout 0), so the result is the same on every
// machine; it is meant for one paragraph at a time, never a whole
// document. Unchanged texts short-cut.
func WordDiff(old, new string) []Diff {
	if old == new {
		if old == "" {
			return nil
		}
		return []Diff{{Op: DiffEqual, Text: old}}
	}
	a, tailA := spacedTokens(old)
	b, tailB := spacedTokens(new)
	index := map[string]rune{}
	encode := func(src string, ts []spacedToken) []rune {
		rs := make([]rune, len(ts))
		for i, t := range ts {
			w := src[t.text:t.end]
			r, ok := index[w]
			if !ok {
				r = tokenRune(len(index))
				index[w] = r
			}
			rs[i] = r
		}
		return rs
	}
	ra, rb := encode(old, a), encode(new, b)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	// Segments are byte ranges of old (equal, delete) or new (insert);
	// adjacent ranges of one kind merge.
	type span struct {
		op         DiffOp
		start, end int
	}
	var spans []span
	add := func(op DiffOp, start, end int) {
		if end <= start {
			return
		}
		if n := len(spans); n > 0 && spans[n-1].op == op && spans[n-1].end == start {
			spans[n-1].end = end
			return
		}
		spans = append(spans, span{op, start, end})
	}
	i, j := 0, 0
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		n := utf8.RuneCountInString(d.Text)
		for k := 0; k < n; k++ {
			switch d.Type {
			case diffmatchpatch.DiffEqual:
				ta, tb := a[i], b[j]
				if old[ta.space:ta.text] == new[tb.space:tb.text] {
					add(DiffEqual, ta.space, ta.end)
				} else {
					add(DiffDelete, ta.space, ta.text)
					add(DiffInsert, tb.space, tb.text)
					add(DiffEqual, ta.text, ta.end)
				}
				i++
				j++
			case diffmatchpatch.DiffDelete:
				add(DiffDelete, a[i].space, a[i].end)
				i++
			case diffmatchpatch.DiffInsert:
				add(DiffInsert, b[j].space, b[j].end)
				j++
			}
		}
	}
	if old[tailA:] == new[tailB:] {
		add(DiffEqual, tailA, len(old))
	} else {
		add(DiffDelete, tailA, len(old))
		add(DiffInsert, tailB, len(new))
	}
	ds := make([]Diff, 0, len(spans))
	for _, s := range spans {
		src := old
		if s.op == DiffInsert {
			src = new
		}
		if n := len(ds); n > 0 && ds[n-1].Op == s.op {
			ds[n-1].Text += src[s.start:s.end]
			continue
		}
		ds = append(ds, Diff{Op: s.op, Text: src[s.start:s.end]})
	}
	return tidy(ds)
}

// spacedToken is a word token with the white space before it, as byte
// offsets: space..text is the white space, text..end the token.
type spacedToken struct{ space, text, end int }

// spacedTokens splits text into the tokens of Tokenize other than
// white space, each with the white space before it, and returns the
// offset of the trailing white space. Pure ASCII text, the common case, is
// split here directly (letters, digits and apostrophes make words; each
// other character but white space is a token of its own, as Tokenize
// does); other text goes through Tokenize.
func spacedTokens(text string) ([]spacedToken, int) {
	var out []spacedToken
	space := 0
	if isASCII(text) {
		for i := 0; i < len(text); {
			c := text[i]
			switch {
			case asciiSpace(c):
				i++
				continue
			case c == '[' && IsFootnoteRef(text[i:]):
				j := i + strings.IndexByte(text[i:], ']') + 1
				out = append(out, spacedToken{space, i, j})
				i = j
			case asciiWord(c):
				j := i + 1
				for j < len(text) && asciiWord(text[j]) {
					j++
				}
				out = append(out, spacedToken{space, i, j})
				i = j
			default:
				out = append(out, spacedToken{space, i, i + 1})
				i++
			}
			space = i
		}
		return out, space
	}
	pos := 0
	for _, t := range Tokenize(text) {
		if !isSpaceToken(t) {
			out = append(out, spacedToken{space, pos, pos + len(t)})
			space = pos + len(t)
		}
		pos += len(t)
	}
	return out, space
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func asciiSpace(c byte) bool { return c == ' ' || (c >= '\t' && c <= '\r') }

func asciiWord(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\''
}

// tidy orders each run of changes deletion first, then insertion; folds
// into it an equal run of punctuation or space caught between two changes
// ("{--a--}, {--b--}" reads as one deletion); and gives white space that
// both sides of a change begin or end with back to the text around it
// ("pose{-- [--}{++ ++}a" becomes "pose {--[--}a"). No word that is the
// same in both texts is hidden.
func tidy(ds []Diff) []Diff {
	var out []Diff
	push := func(op DiffOp, s string) {
		if s == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += s
			return
		}
		out = append(out, Diff{Op: op, Text: s})
	}
	var del, ins strings.Builder
	flush := func() {
		d, i := del.String(), ins.String()
		del.Reset()
		ins.Reset()
		p := commonSpace(d, i, true)
		d, i = d[len(p):], i[len(p):]
		q := commonSpace(d, i, false)
		d, i = d[:len(d)-len(q)], i[:len(i)-len(q)]
		push(DiffEqual, p)
		push(DiffDelete, d)
		push(DiffInsert, i)
		push(DiffEqual, q)
	}
	for k, d := range ds {
		switch d.Op {
		case DiffDelete:
			del.WriteString(d.Text)
		case DiffInsert:
			ins.WriteString(d.Text)
		default:
			between := k > 0 && k+1 < len(ds) && ds[k-1].Op != DiffEqual && ds[k+1].Op != DiffEqual
			if between && isMinor(d.Text) && del.Len() > 0 && ins.Len() > 0 {
				del.WriteString(d.Text)
				ins.WriteString(d.Text)
				continue
			}
			flush()
			push(DiffEqual, d.Text)
		}
	}
	flush()
	return out
}

// commonSpace is the white space both a and b start with (or, with
// prefix false, end with).
func commonSpace(a, b string, prefix bool) string {
	n := 0
	for n < len(a) && n < len(b) {
		var ca, cb byte
		if prefix {
			ca, cb = a[n], b[n]
		} else {
			ca, cb = a[len(a)-1-n], b[len(b)-1-n]
		}
		if ca != cb || (ca != ' ' && ca != '\t') {
			break
		}
		n++
	}
	if prefix {
		return a[:n]
	}
	return a[len(a)-n:]
}

func isSpaceToken(t string) bool {
	for _, r := range t {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return t != ""
}

// isMinor reports whether s holds no letter or digit: punctuation and
// space only.
func isMinor(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// tokenRune numbers tokens with valid runes from U+0100,
// skipping the surrogate range so every rune survives UTF-8 encoding.
func tokenRune(i int) rune {
	r := rune(0x100 + i)
	if r >= 0xD800 {
		r += 0x800
	}
	return r
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
