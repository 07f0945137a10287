package export

import (
	"strings"
	"unicode"

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
	ta, tb := engine.Tokenize(old), engine.Tokenize(new)
	// Non-space tokens, each with the white space before it.
	type tok struct{ space, text string }
	split := func(ts []string) ([]tok, string) {
		var out []tok
		space := ""
		for _, t := range ts {
			if isSpaceToken(t) {
				space += t
				continue
			}
			out = append(out, tok{space, t})
			space = ""
		}
		return out, space
	}
	a, tailA := split(ta)
	b, tailB := split(tb)
	index := map[string]rune{}
	encode := func(ts []tok) []rune {
		rs := make([]rune, len(ts))
		for i, t := range ts {
			r, ok := index[t.text]
			if !ok {
				r = tokenRune(len(index))
				index[t.text] = r
			}
			rs[i] = r
		}
		return rs
	}
	ra, rb := encode(a), encode(b)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	var out []engine.Diff
	add := func(op engine.DiffOp, s string) {
		if s == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Op == op {
			out[n-1].Text += s
			return
		}
		out = append(out, engine.Diff{Op: op, Text: s})
	}
	i, j := 0, 0
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		n := len([]rune(d.Text))
		for k := 0; k < n; k++ {
			switch d.Type {
			case diffmatchpatch.DiffEqual:
				if a[i].space == b[j].space {
					add(engine.DiffEqual, a[i].space)
				} else {
					add(engine.DiffDelete, a[i].space)
					add(engine.DiffInsert, b[j].space)
				}
				add(engine.DiffEqual, a[i].text)
				i++
				j++
			case diffmatchpatch.DiffDelete:
				add(engine.DiffDelete, a[i].space+a[i].text)
				i++
			case diffmatchpatch.DiffInsert:
				add(engine.DiffInsert, b[j].space+b[j].text)
				j++
			}
		}
	}
	if tailA == tailB {
		add(engine.DiffEqual, tailA)
	} else {
		add(engine.DiffDelete, tailA)
		add(engine.DiffInsert, tailB)
	}
	return tidy(out)
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
