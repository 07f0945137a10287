package export

import (
	"strings"
	"unicode"

	"github.com/draftroom/draftroom/engine"
)

// minSimilarity is how alike two paragraphs of independently imported
// drafts must be (Dice coefficient of their word bags, 0–1) to be taken as
// one paragraph changed rather than one deleted and another added.
const minSimilarity = 0.5

// CompareDrafts compares two independently imported drafts, whose
// paragraph identities mean nothing to each other. Sections are matched
// by heading (brackets, emphasis, case and spacing ignored), in order;
// paragraphs of matched sections are matched first where their normalized
// texts are equal, in order, and then, between those, by word similarity
// (a monotone alignment that maximizes it); matched paragraphs are
// compared word by word. Unmatched paragraphs are added or deleted, or
// moved when the same text is deleted in one place and added in another.
func CompareDrafts(old, new engine.Outline, meta Meta, opts CompareOptions) *Compare {
	opts.Doc = nil
	c := newCompare(new, meta, opts)
	c.Drafts = true
	at := newAttributor(opts, c.Meta)
	os, ns := draftSections(old), draftSections(new)
	pairs := alignSeq(len(os), len(ns),
		func(i, j int) bool { return os[i].key == ns[j].key },
		func(i, j int) float64 {
			if os[i].key == "" || ns[j].key == "" {
				return 0
			}
			return similarity(os[i].words, ns[j].words)
		})
	var rows []draftRow
	for _, p := range pairs {
		switch {
		case p.old < 0:
			rows = append(rows, draftRow{new: &ns[p.new].head})
			for k := range ns[p.new].paras {
				rows = append(rows, draftRow{new: &ns[p.new].paras[k]})
			}
		case p.new < 0:
			rows = append(rows, draftRow{old: &os[p.old].head})
			for k := range os[p.old].paras {
				rows = append(rows, draftRow{old: &os[p.old].paras[k]})
			}
		default:
			rows = append(rows, draftRow{old: &os[p.old].head, new: &ns[p.new].head})
			rows = append(rows, alignParagraphs(os[p.old].paras, ns[p.new].paras)...)
		}
	}
	// A paragraph deleted in one place and added, with the same text,
	// elsewhere moved.
	deletedAt := map[string][]int{}
	for k, r := range rows {
		if r.new == nil && r.old.row.Kind == ParagraphRow && r.old.norm != "" {
			deletedAt[r.old.norm] = append(deletedAt[r.old.norm], k)
		}
	}
	movedTo := map[int]int{} // row of the old place -> row of the new place
	movedFrom := map[int]int{}
	for k, r := range rows {
		if r.old == nil && r.new.row.Kind == ParagraphRow {
			if ks := deletedAt[r.new.norm]; len(ks) > 0 {
				movedTo[ks[0]] = k
				movedFrom[k] = ks[0]
				deletedAt[r.new.norm] = ks[1:]
			}
		}
	}
	for k, r := range rows {
		switch {
		case r.old != nil && r.new != nil:
			if r.old.row.Kind == HeadingRow && r.old.row.Text == "" && r.new.row.Text == "" {
				continue
			}
			c.add(at.matched(r.old.item, r.new.item, false))
		case r.new == nil:
			if to, ok := movedTo[k]; ok {
				c.add(at.movedAway(r.old.item, rows[to].new.item))
			} else if r.old.row.Kind != HeadingRow || r.old.row.Text != "" {
				c.add(at.deleted(r.old.item))
			}
		default:
			if from, ok := movedFrom[k]; ok {
				c.add(at.matched(rows[from].old.item, r.new.item, true))
			} else if r.new.row.Kind != HeadingRow || r.new.row.Text != "" {
				c.add(at.added(r.new.item))
			}
		}
	}
	return c
}

// draftItem is an item of an independently imported draft with its
// normalized text and word bag.
type draftItem struct {
	item
	norm  string
	words map[string]int
	n     int // number of words
}

type draftSection struct {
	key   string // normalized heading
	words map[string]int
	head  draftItem
	paras []draftItem
}

type draftRow struct{ old, new *draftItem }

// draftSections splits an outline into sections of items.
func draftSections(o engine.Outline) []draftSection {
	items := flatten(o)
	var out []draftSection
	// Each outline section starts with its heading row, except a section
	// with an empty heading, which gets an empty one here.
	k := 0
	for _, s := range o.Sections {
		sec := draftSection{}
		if s.Heading != "" {
			sec.head = newDraftItem(items[k])
			k++
		} else {
			sec.head = newDraftItem(item{key: "s:" + string(s.ID), row: Row{Kind: HeadingRow, ID: string(s.ID), EID: s.EID, Level: max(1, s.Level)}})
		}
		sec.key, sec.words = sec.head.norm, sec.head.words
		n := 0
		engine.Outline{Sections: []engine.OutlineSection{s}}.Walk(func(*engine.OutlineSection, *engine.OutlineParagraph) { n++ })
		for ; n > 0; n-- {
			sec.paras = append(sec.paras, newDraftItem(items[k]))
			k++
		}
		out = append(out, sec)
	}
	return out
}

func newDraftItem(it item) draftItem {
	ws := normWords(it.row.Text)
	bag := make(map[string]int, len(ws))
	for _, w := range ws {
		bag[w]++
	}
	return draftItem{item: it, norm: strings.Join(ws, " "), words: bag, n: len(ws)}
}

// normWords splits text into lower-case words of letters and digits,
// dropping brackets, emphasis and punctuation; characters of scripts
// written without spaces are words of their own.
func normWords(text string) []string {
	var out []string
	for _, t := range engine.Tokenize(strings.ToLower(text)) {
		w := strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return r
			}
			return -1
		}, t)
		if w != "" {
			out = append(out, w)
		}
	}
	return out
}

// similarity is the Dice coefficient of two word bags.
func similarity(a, b map[string]int) float64 {
	na, nb := 0, 0
	for _, n := range a {
		na += n
	}
	for _, n := range b {
		nb += n
	}
	if na+nb == 0 {
		return 1
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	common := 0
	for w, n := range a {
		common += min(n, b[w])
	}
	return 2 * float64(common) / float64(na+nb)
}

// alignParagraphs matches the paragraphs of two matched sections.
func alignParagraphs(a, b []draftItem) []draftRow {
	pairs := alignSeq(len(a), len(b),
		func(i, j int) bool { return a[i].norm == b[j].norm && a[i].row.Level == b[j].row.Level },
		func(i, j int) float64 { return similarity(a[i].words, b[j].words) })
	out := make([]draftRow, 0, len(pairs))
	for _, p := range pairs {
		var r draftRow
		if p.old >= 0 {
			r.old = &a[p.old]
		}
		if p.new >= 0 {
			r.new = &b[p.new]
		}
		out = append(out, r)
	}
	return out
}

// pair is one step of an alignment: old and new indices, -1 for none.
type pair struct{ old, new int }

// alignSeq aligns two sequences: first the longest common subsequence of
// items that are equal, then, in each gap between those, the monotone
// matching of similar items (similarity at least minSimilarity) with the
// greatest total similarity. Unmatched old items come before unmatched new
// ones in each gap.
func alignSeq(n, m int, equal func(i, j int) bool, sim func(i, j int) float64) []pair {
	anchors := lcsPairs(n, m, equal)
	var out []pair
	pi, pj := 0, 0
	for _, an := range append(anchors, pair{n, m}) {
		out = append(out, alignGap(pi, an.old, pj, an.new, sim)...)
		if an.old < n {
			out = append(out, an)
		}
		pi, pj = an.old+1, an.new+1
	}
	return out
}

// lcsPairs returns the pairs of a longest common subsequence.
func lcsPairs(n, m int, equal func(i, j int) bool) []pair {
	// Trim the common ends first: drafts share most of their text.
	var head, tail []pair
	for len(head) < n && len(head) < m && equal(len(head), len(head)) {
		head = append(head, pair{len(head), len(head)})
	}
	for k := 0; n-k-1 >= len(head) && m-k-1 >= len(head) && equal(n-k-1, m-k-1); k++ {
		tail = append([]pair{{n - k - 1, m - k - 1}}, tail...)
	}
	lo, hiA, hiB := len(head), n-len(tail), m-len(tail)
	a, b := hiA-lo, hiB-lo
	dp := make([][]int32, a+1)
	for i := range dp {
		dp[i] = make([]int32, b+1)
	}
	for i := a - 1; i >= 0; i-- {
		for j := b - 1; j >= 0; j-- {
			if equal(lo+i, lo+j) {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	out := head
	for i, j := 0, 0; i < a && j < b; {
		switch {
		case equal(lo+i, lo+j) && dp[i][j] == dp[i+1][j+1]+1:
			out = append(out, pair{lo + i, lo + j})
			i++
			j++
		case dp[i+1][j] >= dp[i][j+1]:
			i++
		default:
			j++
		}
	}
	return append(out, tail...)
}

// alignGap matches old[i0:i1] with new[j0:j1] by similarity.
func alignGap(i0, i1, j0, j1 int, sim func(i, j int) float64) []pair {
	a, b := i1-i0, j1-j0
	if a == 0 && b == 0 {
		return nil
	}
	score := make([][]float64, a+1)
	for i := range score {
		score[i] = make([]float64, b+1)
	}
	s := make([][]float64, a)
	for i := range s {
		s[i] = make([]float64, b)
		for j := range s[i] {
			s[i][j] = sim(i0+i, j0+j)
		}
	}
	for i := a - 1; i >= 0; i-- {
		for j := b - 1; j >= 0; j-- {
			best := max(score[i+1][j], score[i][j+1])
			if s[i][j] >= minSimilarity {
				best = max(best, score[i+1][j+1]+s[i][j])
			}
			score[i][j] = best
		}
	}
	var out, olds, news []pair
	flush := func() {
		out = append(out, olds...)
		out = append(out, news...)
		olds, news = nil, nil
	}
	i, j := 0, 0
	for i < a || j < b {
		switch {
		case i < a && j < b && s[i][j] >= minSimilarity && score[i][j] == score[i+1][j+1]+s[i][j]:
			flush()
			out = append(out, pair{i0 + i, j0 + j})
			i++
			j++
		case i < a && (j == b || score[i][j] == score[i+1][j]):
			olds = append(olds, pair{i0 + i, -1})
			i++
		default:
			news = append(news, pair{-1, j0 + j})
			j++
		}
	}
	flush()
	return out
}
