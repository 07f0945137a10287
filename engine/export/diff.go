package export

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/draftroom/draftroom/engine"
	"github.com/sergi/go-diff/diffmatchpatch"
)

// compareDiff compares two paragraph texts for a compare: on the word
// tokens of engine.Tokenize (words, single punctuation marks, single
// characters of scripts written without spaces), with go-diff and no time
// limit, as engine.WordDiff does — except that runs of white space are not
// matched. WordDiff counts every space as a token, so in a heavily
// rewritten paragraph the longest common subsequence is made of the
// spaces between words and the redline alternates one word out, one word
// in; here the alignment is made on words and punctuation only, and the
// white space before a token travels with it. Unchanged texts short-cut.
func compareDiff(old, new string) []engine.Diff {
	if old == new {
		if old == "" {
			return nil
		}
		return []engine.Diff{{Op: engine.DiffEqual, Text: old}}
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
		op         engine.DiffOp
		start, end int
	}
	var spans []span
	add := func(op engine.DiffOp, start, end int) {
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
					add(engine.DiffEqual, ta.space, ta.end)
				} else {
					add(engine.DiffDelete, ta.space, ta.text)
					add(engine.DiffInsert, tb.space, tb.text)
					add(engine.DiffEqual, ta.text, ta.end)
				}
				i++
				j++
			case diffmatchpatch.DiffDelete:
				add(engine.DiffDelete, a[i].space, a[i].end)
				i++
			case diffmatchpatch.DiffInsert:
				add(engine.DiffInsert, b[j].space, b[j].end)
				j++
			}
		}
	}
	if old[tailA:] == new[tailB:] {
		add(engine.DiffEqual, tailA, len(old))
	} else {
		add(engine.DiffDelete, tailA, len(old))
		add(engine.DiffInsert, tailB, len(new))
	}
	ds := make([]engine.Diff, 0, len(spans))
	for _, s := range spans {
		src := old
		if s.op == engine.DiffInsert {
			src = new
		}
		if n := len(ds); n > 0 && ds[n-1].Op == s.op {
			ds[n-1].Text += src[s.start:s.end]
			continue
		}
		ds = append(ds, engine.Diff{Op: s.op, Text: src[s.start:s.end]})
	}
	return tidy(ds)
}

// spacedToken is a word token with the white space before it, as byte
// offsets: space..text is the white space, text..end the token.
type spacedToken struct{ space, text, end int }

// spacedTokens splits text into the tokens of engine.Tokenize other than
// white space, each with the white space before it, and returns the
// offset of the trailing white space. Pure ASCII text, the common case, is
// split here directly (letters, digits and apostrophes make words; each
// other character but white space is a token of its own, as Tokenize
// does); other text goes through engine.Tokenize.
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
	for _, t := range engine.Tokenize(text) {
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
func tidy(ds []engine.Diff) []engine.Diff {
	var out []engine.Diff
	push := func(op engine.DiffOp, s string) {
		if s == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += s
			return
		}
		out = append(out, engine.Diff{Op: op, Text: s})
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
		push(engine.DiffEqual, p)
		push(engine.DiffDelete, d)
		push(engine.DiffInsert, i)
		push(engine.DiffEqual, q)
	}
	for k, d := range ds {
		switch d.Op {
		case engine.DiffDelete:
			del.WriteString(d.Text)
		case engine.DiffInsert:
			ins.WriteString(d.Text)
		default:
			between := k > 0 && k+1 < len(ds) && ds[k-1].Op != engine.DiffEqual && ds[k+1].Op != engine.DiffEqual
			if between && isMinor(d.Text) && del.Len() > 0 && ins.Len() > 0 {
				del.WriteString(d.Text)
				ins.WriteString(d.Text)
				continue
			}
			flush()
			push(engine.DiffEqual, d.Text)
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

// tokenRune numbers tokens with valid runes from U+0100, skipping the
// surrogate range, as engine.WordDiff does.
func tokenRune(i int) rune {
	r := rune(0x100 + i)
	if r >= 0xD800 {
		r += 0x800
	}
	return r
}
