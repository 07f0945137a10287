package export

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/draftroom/draftroom/engine"
)

// Alignment of two independently imported drafts, whose paragraph
// identities mean nothing to each other. Paragraphs are paired by what
// they say, not by their number or their section:
//
//  1. paragraphs whose words are the same are paired in order (a longest
//     common subsequence), then any left with the same words elsewhere
//     (moved unchanged);
//  2. the rest are paired by similarity (the mean of the Dice
//     coefficients of their word bags and of their word-pair bags), best
//     pairs first, a pair that keeps the order of the pairs of step 1
//     preferred to one that breaks it;
//  3. a paragraph next to a pair whose words it shares joins it when that
//     makes the two sides more alike: one paragraph split into several, or
//     several merged into one;
//  4. headings are paired by the paragraphs their sections share (an
//     article renumbered keeps its paragraphs), else by their words.
//
// Pairs whose places keep their order relative to the most others (a
// longest increasing subsequence) stay in place; the others moved, and
// show at their new place with their own word-level redline, and at their
// old place as the source of the move.

// minSimilarity is how alike two paragraphs must be (0–1) to be taken as
// one paragraph changed rather than one deleted and another added.
const minSimilarity = 0.5

// minSimilarityInOrder is the similarity enough for a pair that keeps
// the order of the unchanged paragraphs around it: a paragraph rewritten
// in its place.
const minSimilarityInOrder = 0.3

// inOrderBonus favours, between pairs of like similarity, the one that
// keeps the order of the unchanged paragraphs around it.
const inOrderBonus = 0.1

// minContained is how much of a paragraph (share of its words) must be
// found in the paragraph beside it for it to be part of a split or merge.
const minContained = 0.6

// draftItem is an item of an independently imported draft with its words.
type draftItem struct {
	item
	norm    string
	words   []int32 // word ids, in order
	bag     []int32 // word ids, sorted
	pairs   []int64 // ids of consecutive word pairs, sorted
	section int     // the section the item is in
}

// group is a set of old items paired with a set of new items: one to one,
// one to several (split) or several to one (merge). Indices are into the
// flattened item lists.
type group struct {
	olds, news []int
	exact      bool
}

// CompareDrafts compares two independently imported drafts, aligning their
// paragraphs by content (see above) and comparing paired paragraphs word
// by word (character by character in scripts written without spaces).
func CompareDrafts(old, new engine.Outline, meta Meta, opts CompareOptions) *Compare {
	opts.Doc = nil
	c := newCompare(new, meta, opts)
	c.Drafts = true
	at := newAttributor(opts, c.Meta)
	vocab := map[string]int32{}
	a, b := draftItems(old, vocab), draftItems(new, vocab)
	groups := alignDrafts(a, b)
	stable := stableGroups(groups)
	groups, stable = addBlocks(a, b, groups, stable)

	oldGroup := make([]int, len(a))
	newGroup := make([]int, len(b))
	for i := range oldGroup {
		oldGroup[i] = -1
	}
	for j := range newGroup {
		newGroup[j] = -1
	}
	for g, gr := range groups {
		for _, i := range gr.olds {
			oldGroup[i] = g
		}
		for _, j := range gr.news {
			newGroup[j] = g
		}
	}

	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && oldGroup[i] < 0:
			if a[i].row.Kind == ParagraphRow || a[i].row.Text != "" {
				c.add(at.deleted(a[i].item))
			}
			i++
		case i < len(a) && !stable[oldGroup[i]]:
			gr := groups[oldGroup[i]]
			c.add(at.movedAway(a[i].item, b[gr.news[0]].item))
			i++
		case j < len(b) && newGroup[j] < 0:
			c.add(at.added(b[j].item))
			j++
		case j < len(b) && !stable[newGroup[j]]:
			gr := groups[newGroup[j]]
			for _, r := range groupRows(at, a, b, gr, true) {
				c.add(r)
			}
			j = gr.news[len(gr.news)-1] + 1
		default:
			gr := groups[oldGroup[i]]
			for _, r := range groupRows(at, a, b, gr, false) {
				c.add(r)
			}
			i = gr.olds[len(gr.olds)-1] + 1
			j = gr.news[len(gr.news)-1] + 1
		}
	}
	markFootnotes(c.Rows)
	return c
}

// stableGroups says which groups keep their place: those whose old places
// increase along a longest run of the groups in the order of the later
// text. The others moved.
func stableGroups(groups []group) []bool {
	order := make([]int, len(groups))
	for g := range order {
		order[g] = g
	}
	sort.Slice(order, func(x, y int) bool { return groups[order[x]].news[0] < groups[order[y]].news[0] })
	firstOld := make([]int, len(order))
	for k, g := range order {
		firstOld[k] = groups[g].olds[0]
	}
	keep := map[int]bool{}
	for _, i := range longestIncreasing(firstOld) {
		keep[i] = true
	}
	stable := make([]bool, len(groups))
	for g, gr := range groups {
		stable[g] = keep[gr.olds[0]]
	}
	return stable
}

// minBlockSimilarity is how alike (Dice of their word bags) a run of
// deleted paragraphs and a run of added ones between the same kept
// paragraphs must be to be compared as one rewritten block rather than
// struck and added whole.
const minBlockSimilarity = 0.1

// addBlocks pairs, between each two consecutive groups that kept their
// place, the runs of paragraphs left unpaired on both sides, in order
// (alignRuns). Such a block is compared word by word across its paragraphs, so
// the words it keeps are shown kept; its paragraph breaks that came or
// went are shown as inserted or deleted paragraph marks.
func addBlocks(a, b []draftItem, groups []group, stable []bool) ([]group, []bool) {
	linkedA, linkedB := make([]bool, len(a)), make([]bool, len(b))
	var anchors []group
	for g, gr := range groups {
		for _, i := range gr.olds {
			linkedA[i] = true
		}
		for _, j := range gr.news {
			linkedB[j] = true
		}
		if stable[g] {
			anchors = append(anchors, gr)
		}
	}
	sort.Slice(anchors, func(x, y int) bool { return anchors[x].news[0] < anchors[y].news[0] })
	anchors = append(anchors, group{olds: []int{len(a)}, news: []int{len(b)}})
	runs := func(items []draftItem, linked []bool, from, to int) [][]int {
		var out [][]int
		var cur []int
		for k := from; k < to; k++ {
			if !linked[k] && items[k].row.Kind == ParagraphRow {
				cur = append(cur, k)
				continue
			}
			if len(cur) > 0 {
				out = append(out, cur)
				cur = nil
			}
		}
		if len(cur) > 0 {
			out = append(out, cur)
		}
		return out
	}
	prevA, prevB := 0, 0
	for _, an := range anchors {
		ra, rb := runs(a, linkedA, prevA, an.olds[0]), runs(b, linkedB, prevB, an.news[0])
		for _, p := range alignRuns(a, b, ra, rb) {
			{
				groups = append(groups, group{olds: ra[p.old], news: rb[p.new]})
				stable = append(stable, true)
			}
		}
		prevA, prevB = an.olds[len(an.olds)-1]+1, an.news[len(an.news)-1]+1
	}
	return groups, stable
}

// alignRuns pairs runs of unpaired paragraphs of a gap in order: the
// monotone matching of runs alike enough (minBlockSimilarity) that keeps
// the most words in common.
func alignRuns(a, b []draftItem, ra, rb [][]int) []pair {
	if len(ra) == 0 || len(rb) == 0 {
		return nil
	}
	ma := make([]*draftItem, len(ra))
	for i, r := range ra {
		ma[i] = merged(a, r)
	}
	mb := make([]*draftItem, len(rb))
	for j, r := range rb {
		mb[j] = merged(b, r)
	}
	w := make([][]int, len(ra))
	for i := range w {
		w[i] = make([]int, len(rb))
		for j := range w[i] {
			if dice(ma[i].bag, mb[j].bag) >= minBlockSimilarity {
				w[i][j] = common(ma[i].bag, mb[j].bag)
			}
		}
	}
	best := make([][]int, len(ra)+1)
	for i := range best {
		best[i] = make([]int, len(rb)+1)
	}
	for i := len(ra) - 1; i >= 0; i-- {
		for j := len(rb) - 1; j >= 0; j-- {
			best[i][j] = max(best[i+1][j], best[i][j+1])
			if w[i][j] > 0 {
				best[i][j] = max(best[i][j], best[i+1][j+1]+w[i][j])
			}
		}
	}
	var out []pair
	for i, j := 0, 0; i < len(ra) && j < len(rb); {
		switch {
		case w[i][j] > 0 && best[i][j] == best[i+1][j+1]+w[i][j]:
			out = append(out, pair{i, j})
			i++
			j++
		case best[i][j] == best[i+1][j]:
			i++
		default:
			j++
		}
	}
	return out
}

// draftItems flattens an outline into items with their words, numbering
// words through a vocabulary shared by both drafts.
func draftItems(o engine.Outline, vocab map[string]int32) []draftItem {
	items := flatten(o)
	out := make([]draftItem, len(items))
	section := 0
	for k, it := range items {
		if it.row.Kind == HeadingRow {
			section++
		}
		ws := normWords(it.row.Text)
		d := draftItem{item: it, norm: strings.Join(ws, " "), section: section}
		d.words = make([]int32, len(ws))
		for x, w := range ws {
			id, ok := vocab[w]
			if !ok {
				id = int32(len(vocab))
				vocab[w] = id
			}
			d.words[x] = id
		}
		d.bag = append([]int32(nil), d.words...)
		sort.Slice(d.bag, func(x, y int) bool { return d.bag[x] < d.bag[y] })
		for x := 0; x+1 < len(d.words); x++ {
			d.pairs = append(d.pairs, int64(d.words[x])<<32|int64(d.words[x+1]))
		}
		sort.Slice(d.pairs, func(x, y int) bool { return d.pairs[x] < d.pairs[y] })
		out[k] = d
	}
	return out
}

// normWords splits text into lower-case words of letters and digits,
// dropping brackets, emphasis and punctuation; characters of scripts
// written without spaces are words of their own.
func normWords(text string) []string {
	if isASCII(text) {
		// The same words as below, without the Unicode tables: runs of
		// letters, digits and apostrophes, apostrophes dropped.
		var out []string
		var w []byte
		for i := 0; i <= len(text); i++ {
			var c byte
			if i < len(text) {
				c = text[i]
			}
			switch {
			case c >= 'A' && c <= 'Z':
				w = append(w, c+'a'-'A')
			case (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'):
				w = append(w, c)
			case c == '\'':
			default:
				if len(w) > 0 {
					out = append(out, string(w))
					w = w[:0]
				}
			}
		}
		return out
	}
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

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// common counts the elements two sorted multisets share.
func common[T int32 | int64](x, y []T) int {
	n, i, j := 0, 0, 0
	for i < len(x) && j < len(y) {
		switch {
		case x[i] == y[j]:
			n++
			i++
			j++
		case x[i] < y[j]:
			i++
		default:
			j++
		}
	}
	return n
}

// dice is the Dice coefficient of two sorted multisets.
func dice[T int32 | int64](x, y []T) float64 {
	if len(x)+len(y) == 0 {
		return 1
	}
	return 2 * float64(common(x, y)) / float64(len(x)+len(y))
}

// similarity of two items: the mean of the Dice coefficients of their
// words and of their word pairs (order counts through the pairs).
func similarity(x, y *draftItem) float64 {
	if len(x.pairs)+len(y.pairs) == 0 {
		return dice(x.bag, y.bag)
	}
	return (dice(x.bag, y.bag) + dice(x.pairs, y.pairs)) / 2
}

// merged is a pseudo-item standing for several consecutive items read as
// one.
func merged(items []draftItem, idx []int) *draftItem {
	if len(idx) == 1 {
		return &items[idx[0]]
	}
	var d draftItem
	for _, k := range idx {
		d.words = append(d.words, items[k].words...)
	}
	d.bag = append([]int32(nil), d.words...)
	sort.Slice(d.bag, func(x, y int) bool { return d.bag[x] < d.bag[y] })
	for x := 0; x+1 < len(d.words); x++ {
		d.pairs = append(d.pairs, int64(d.words[x])<<32|int64(d.words[x+1]))
	}
	sort.Slice(d.pairs, func(x, y int) bool { return d.pairs[x] < d.pairs[y] })
	return &d
}

// alignDrafts pairs the items of two drafts into groups (see the comment
// at the top of this file).
func alignDrafts(a, b []draftItem) []group {
	oldTo := make([]int, len(a)) // group of each old item, -1 for none
	newTo := make([]int, len(b))
	for i := range oldTo {
		oldTo[i] = -1
	}
	for j := range newTo {
		newTo[j] = -1
	}
	var groups []group
	link := func(olds, news []int, exact bool) {
		g := len(groups)
		groups = append(groups, group{olds: olds, news: news, exact: exact})
		for _, i := range olds {
			oldTo[i] = g
		}
		for _, j := range news {
			newTo[j] = g
		}
	}
	pa, pb := paragraphsOf(a), paragraphsOf(b)

	// 1. The same words, in order, then anywhere.
	for _, p := range lcsPairs(len(pa), len(pb), func(x, y int) bool {
		return a[pa[x]].norm != "" && a[pa[x]].norm == b[pb[y]].norm
	}) {
		link([]int{pa[p.old]}, []int{pb[p.new]}, true)
	}
	byNorm := map[string][]int{}
	for _, i := range pa {
		if oldTo[i] < 0 && a[i].norm != "" {
			byNorm[a[i].norm] = append(byNorm[a[i].norm], i)
		}
	}
	for _, j := range pb {
		if newTo[j] >= 0 || b[j].norm == "" {
			continue
		}
		if is := byNorm[b[j].norm]; len(is) > 0 {
			link([]int{is[0]}, []int{j}, true)
			byNorm[b[j].norm] = is[1:]
		}
	}

	// 2. Similar paragraphs, best first, in order preferred.
	gapOld, gapNew := gaps(a, oldTo), gaps(b, newTo)
	var cands []candidate
	uo, un := unlinked(pa, oldTo), unlinked(pb, newTo)
	// Candidates share a word pair (or, for a paragraph of one word, the
	// word) that is not in most paragraphs ("of the"); the similarity is
	// then computed on all words.
	keys := func(d *draftItem) []int64 {
		if len(d.pairs) == 0 {
			out := make([]int64, len(d.bag))
			for k, w := range d.bag {
				out[k] = -1 - int64(w)
			}
			return out
		}
		return d.pairs
	}
	index := map[int64][]int{} // word pair -> unlinked new items holding it
	for _, j := range un {
		prev := int64(-1 << 62)
		for _, w := range keys(&b[j]) {
			if w != prev {
				index[w] = append(index[w], j)
				prev = w
			}
		}
	}
	frequent := max(8, len(un)/5)
	seen := map[int]bool{}
	for _, i := range uo {
		clear(seen)
		prev := int64(-1 << 62)
		for _, w := range keys(&a[i]) {
			if w == prev || len(index[w]) > frequent {
				continue
			}
			prev = w
			for _, j := range index[w] {
				if seen[j] {
					continue
				}
				seen[j] = true
				la, lb := len(a[i].bag), len(b[j].bag)
				if 2*float64(min(la, lb)) < minSimilarityInOrder*float64(la+lb) {
					continue // lengths too far apart for the pair to be alike
				}
				s := similarity(&a[i], &b[j])
				if s < minSimilarityInOrder || (s < minSimilarity && gapOld[i] != gapNew[j]) {
					continue
				}
				if a[i].row.Level == b[j].row.Level {
					s += inOrderBonus / 2
				}
				if gapOld[i] == gapNew[j] {
					s += inOrderBonus
				}
				cands = append(cands, candidate{i, j, s})
			}
		}
	}
	sortCandidates(cands)
	for _, cd := range cands {
		if oldTo[cd.i] < 0 && newTo[cd.j] < 0 {
			link([]int{cd.i}, []int{cd.j}, false)
		}
	}

	// 3. Splits and merges: an unpaired paragraph beside a pair, mostly
	// found in the pair's other side, joins the pair it saves the most
	// changed words in; again while any join saves words.
	growGroups(a, b, groups, oldTo, newTo)
	// An unpaired paragraph that several unpaired paragraphs beside each
	// other came from (or went into).
	for _, i := range unlinked(pa, oldTo) {
		if run := containedRun(a[i], b, newTo); len(run) > 1 && similarity(&a[i], merged(b, run)) >= minSimilarity {
			link([]int{i}, run, false)
		}
	}
	for _, j := range unlinked(pb, newTo) {
		if run := containedRun(b[j], a, oldTo); len(run) > 1 && similarity(merged(a, run), &b[j]) >= minSimilarity {
			link(run, []int{j}, false)
		}
	}

	// 4. Headings.
	alignHeadings(a, b, oldTo, newTo, groups, link)
	return groups
}

// candidate is a possible pair of an old and a new item, with its score.
type candidate struct {
	i, j  int
	score float64
}

// sortCandidates orders candidates best first, ties by position, so the
// alignment is the same on every run.
func sortCandidates(cs []candidate) {
	sort.Slice(cs, func(x, y int) bool {
		if cs[x].score != cs[y].score {
			return cs[x].score > cs[y].score
		}
		if cs[x].i != cs[y].i {
			return cs[x].i < cs[y].i
		}
		return cs[x].j < cs[y].j
	})
}

// paragraphsOf lists the indices of the paragraph items.
func paragraphsOf(items []draftItem) []int {
	var out []int
	for k, it := range items {
		if it.row.Kind == ParagraphRow {
			out = append(out, k)
		}
	}
	return out
}

// unlinked keeps the indices not yet in a group.
func unlinked(idx []int, to []int) []int {
	var out []int
	for _, k := range idx {
		if to[k] < 0 {
			out = append(out, k)
		}
	}
	return out
}

// gaps numbers each item by the exact pairs before it: on the old side by
// the count of exact pairs at or before it, on the new side likewise, so
// that an old and a new item with the same number lie between the same
// unchanged paragraphs.
func gaps(items []draftItem, to []int) []int {
	out := make([]int, len(items))
	n := 0
	for k := range items {
		if to[k] >= 0 {
			n++
		}
		out[k] = n
	}
	return out
}

// growGroups joins unpaired paragraphs to the pairs beside them: each
// time the join that saves the most changed words (a pair's changed words
// plus the paragraph's own, struck or added alone, against the changed
// words of the pair with it), as long as one saves any. A paragraph joins
// only a pair whose other side holds most of its words (minContained), in
// its section; a pair grows on one side only (a split or a merge).
func growGroups(a, b []draftItem, groups []group, oldTo, newTo []int) {
	costs := make([]int, len(groups))
	for g := range costs {
		costs[g] = -1
	}
	cost := func(g int) int {
		if costs[g] < 0 {
			costs[g] = changedWords(a, b, groups[g].olds, groups[g].news)
		}
		return costs[g]
	}
	type join struct {
		g, k  int
		old   bool // k is an old item
		gain  int
		front bool
	}
	for {
		best := join{gain: 0}
		consider := func(g int, items, others []draftItem, mine, theirs []int, to []int, old bool) {
			for _, front := range []bool{true, false} {
				k := mine[len(mine)-1] + 1
				if front {
					k = mine[0] - 1
				}
				if k < 0 || k >= len(items) || to[k] >= 0 || items[k].row.Kind != ParagraphRow ||
					items[k].section != items[mine[0]].section || len(items[k].words) == 0 ||
					contained(&items[k], merged(others, theirs)) < minContained {
					continue
				}
				next := append([]int(nil), mine...)
				if front {
					next = append([]int{k}, next...)
				} else {
					next = append(next, k)
				}
				var with int
				if old {
					with = changedWords(a, b, next, groups[g].news)
				} else {
					with = changedWords(a, b, groups[g].olds, next)
				}
				if gain := cost(g) + len(items[k].words) - with; gain > best.gain {
					best = join{g: g, k: k, old: old, gain: gain, front: front}
				}
			}
		}
		for g, gr := range groups {
			if gr.exact {
				continue
			}
			if len(gr.olds) == 1 {
				consider(g, b, a, gr.news, gr.olds, newTo, false)
			}
			if len(gr.news) == 1 {
				consider(g, a, b, gr.olds, gr.news, oldTo, true)
			}
		}
		if best.gain <= 0 {
			return
		}
		gr := &groups[best.g]
		side, to := &gr.news, newTo
		if best.old {
			side, to = &gr.olds, oldTo
		}
		if best.front {
			*side = append([]int{best.k}, *side...)
		} else {
			*side = append(*side, best.k)
		}
		to[best.k] = best.g
		costs[best.g] = -1
	}
}

// changedWords is how many words the word diff of two runs of paragraphs
// (joined) marks deleted or inserted.
func changedWords(a, b []draftItem, olds, news []int) int {
	join := func(items []draftItem, idx []int) string {
		var parts []string
		for _, k := range idx {
			parts = append(parts, items[k].row.Text)
		}
		return strings.Join(parts, paraSep)
	}
	n := 0
	for _, d := range engine.WordDiff(join(a, olds), join(b, news)) {
		if d.Op != engine.DiffEqual {
			n += countWords(d.Text)
		}
	}
	return n
}

// contained is the share of x's words found in y.
func contained(x, y *draftItem) float64 {
	if len(x.bag) == 0 {
		return 0
	}
	return float64(common(x.bag, y.bag)) / float64(len(x.bag))
}

// containedRun finds the longest run of consecutive unpaired paragraphs
// of one section, each mostly found in x.
func containedRun(x draftItem, items []draftItem, to []int) []int {
	var best, cur []int
	for k := range items {
		ok := to[k] < 0 && items[k].row.Kind == ParagraphRow && len(items[k].bag) > 0 && contained(&items[k], &x) >= minContained &&
			(len(cur) == 0 || (cur[len(cur)-1] == k-1 && items[k].section == items[cur[0]].section))
		if ok {
			cur = append(cur, k)
			if len(cur) > len(best) {
				best = append([]int(nil), cur...)
			}
			continue
		}
		cur = nil
		if to[k] < 0 && items[k].row.Kind == ParagraphRow && len(items[k].bag) > 0 && contained(&items[k], &x) >= minContained {
			cur = []int{k}
		}
	}
	return best
}

// alignHeadings pairs headings: by the paragraph pairs their sections
// share (most first), else by equal or similar words.
func alignHeadings(a, b []draftItem, oldTo, newTo []int, groups []group, link func(olds, news []int, exact bool)) {
	headsOf := func(items []draftItem) map[int]int { // section -> heading item
		m := map[int]int{}
		for k, it := range items {
			if it.row.Kind == HeadingRow {
				m[it.section] = k
			}
		}
		return m
	}
	ha, hb := headsOf(a), headsOf(b)
	size := func(items []draftItem) map[int]int {
		m := map[int]int{}
		for _, it := range items {
			if it.row.Kind == ParagraphRow {
				m[it.section]++
			}
		}
		return m
	}
	sa, sb := size(a), size(b)
	shared := map[[2]int]int{}
	for _, gr := range groups {
		shared[[2]int{a[gr.olds[0]].section, b[gr.news[0]].section}]++
	}
	var cands []candidate
	for key, n := range shared {
		i, okA := ha[key[0]]
		j, okB := hb[key[1]]
		if !okA || !okB {
			continue
		}
		score := float64(n) / float64(max(sa[key[0]], sb[key[1]], 1))
		if score >= 0.3 || n >= 3 {
			cands = append(cands, candidate{i, j, 1 + score + similarity(&a[i], &b[j])/10})
		}
	}
	for _, i := range ha {
		for _, j := range hb {
			if s := similarity(&a[i], &b[j]); s >= minSimilarity && a[i].row.Level == b[j].row.Level {
				cands = append(cands, candidate{i, j, s})
			}
		}
	}
	sortCandidates(cands)
	for _, cd := range cands {
		if oldTo[cd.i] < 0 && newTo[cd.j] < 0 {
			link([]int{cd.i}, []int{cd.j}, a[cd.i].norm == b[cd.j].norm)
		}
	}
}

// groupRows turns a group into compare rows: a pair compared word by
// word, a split or a merge as fragments, each holding the part of the
// other side it matches. moved places them at the new place as the
// destination of a move.
func groupRows(at *attributor, a, b []draftItem, gr group, moved bool) []Row {
	if len(gr.olds) == 1 && len(gr.news) == 1 {
		return []Row{at.matched(a[gr.olds[0]].item, b[gr.news[0]].item, moved)}
	}
	if moved && len(gr.olds) > 1 {
		// Paragraphs merged as they moved: their old texts stand at their
		// old places; the new one is compared with them joined.
		r := at.matched(a[gr.olds[0]].item, b[gr.news[0]].item, true)
		var olds []string
		for _, i := range gr.olds {
			olds = append(olds, a[i].row.Text)
		}
		r.OldText = strings.Join(olds, " ")
		r.Segments = segments(engine.WordDiff(r.OldText, r.Text))
		r.Note += fmt.Sprintf("; %d paragraphs merged", len(gr.olds))
		return []Row{r}
	}
	var olds, news []string
	for _, i := range gr.olds {
		olds = append(olds, a[i].row.Text)
	}
	for _, j := range gr.news {
		news = append(news, b[j].row.Text)
	}
	frags := fragments(engine.WordDiff(strings.Join(olds, paraSep), strings.Join(news, paraSep)))
	oldSt, newSt := joinedStyles(olds), joinedStyles(news)
	rows := make([]Row, len(frags))
	change, first, rest := Restructured, "", ""
	o0, n0 := a[gr.olds[0]].row, b[gr.news[0]].row
	switch {
	case len(gr.olds) == 1:
		change = Split
		first = fmt.Sprintf("%s split into %d paragraphs", capitalize(paragraphName(o0.Number, o0.Level)), len(gr.news))
		rest = "from the split of " + paragraphName(o0.Number, o0.Level)
	case len(gr.news) == 1:
		change = Merged
		first = fmt.Sprintf("%d paragraphs merged into %s", len(gr.olds), paragraphName(n0.Number, n0.Level))
		rest = "merged into " + paragraphName(n0.Number, n0.Level)
	default:
		first = fmt.Sprintf("%d paragraphs rewritten as %d", len(gr.olds), len(gr.news))
		rest = "part of the rewritten paragraphs"
	}
	for k, f := range frags {
		n := b[gr.news[f.newIdx]].row
		r := n
		if !f.startsNew {
			r = Row{Kind: ParagraphRow, Level: n.Level, EID: fmt.Sprintf("%s-part%d", n.EID, k), Status: n.Status}
		}
		if f.startsOld {
			o := a[gr.olds[f.oldIdx]].row
			r.OldID, r.OldEID, r.OldNumber, r.OldLevel, r.OldOption, r.OldOptionStart = o.ID, o.EID, o.Number, o.Level, o.Option, o.OptionStart
		} else {
			r.OldLevel = r.Level
		}
		r.Change, r.Note = change, rest
		if k == 0 {
			r.Note = first
		}
		if moved {
			r.Change = MovedHere
			r.Note = fmt.Sprintf("moved from %s, after %s; %s", paragraphName(a[gr.olds[0]].row.Number, a[gr.olds[0]].row.Level), a[gr.olds[0]].prev, r.Note)
		}
		r.Segments, r.OldText, r.Text, r.ParagraphMark = f.segs, f.old, f.new, f.mark
		r.Attribution = at.fallback
		for s := range r.Segments {
			if r.Segments[s].Op != OpEqual {
				r.Segments[s].Attribution = at.fallback
			}
		}
		// Formatting is read on whole paragraphs: emphasis may span a
		// fragment's ends.
		r.Runs = styledRuns(r.Segments, r.OldText, r.Text, oldSt[f.oldStart:f.oldStart+len(f.old)], newSt[f.newStart:f.newStart+len(f.new)])
		rows[k] = r
	}
	return rows
}

// joinedStyles reads the formatting of paragraphs joined by paraSep,
// each paragraph on its own.
func joinedStyles(texts []string) []Emphasis {
	var out []Emphasis
	for k, t := range texts {
		if k > 0 {
			for n := 0; n < len(paraSep); n++ {
				out = append(out, hiddenMark)
			}
		}
		out = append(out, textStyles(t)...)
	}
	return out
}

// paraSep joins the paragraphs of a split or merge for one word diff: a
// white space character (so it travels with the word after it) that no
// imported paragraph holds.
const paraSep = "\u2029"

// fragment is the part of a split, merge or rewritten block that one row
// shows.
type fragment struct {
	segs     []Segment
	old, new string
	mark     Op // the paragraph mark that ends it: inserted (split) or deleted (merge); "" for one in both texts
	// oldIdx and newIdx are the paragraphs (of the old and new sides of
	// the group) the fragment lies in; startsOld and startsNew say it is
	// the first fragment of that paragraph.
	oldIdx, newIdx       int
	startsOld, startsNew bool
	// oldStart and newStart are the byte offsets of the fragment's texts
	// in the joined texts.
	oldStart, newStart int
}

// fragments cuts the diff of joined paragraphs at each paragraph
// separator: one inserted cuts a split, one deleted a merge, one in both
// texts a paragraph break that stays.
func fragments(ds []engine.Diff) []fragment {
	var out []fragment
	cur := fragment{startsOld: true, startsNew: true}
	po, pn := 0, 0 // offsets in the joined texts
	add := func(op Op, text string) {
		if op != OpInsert {
			po += len(text)
		}
		if op != OpDelete {
			pn += len(text)
		}
		if text == "" {
			return
		}
		if n := len(cur.segs); n > 0 && cur.segs[n-1].Op == op {
			cur.segs[n-1].Text += text
		} else {
			cur.segs = append(cur.segs, Segment{Op: op, Text: text})
		}
		if op != OpInsert {
			cur.old += text
		}
		if op != OpDelete {
			cur.new += text
		}
	}
	for _, s := range segments(ds) {
		parts := strings.Split(s.Text, paraSep)
		for k, p := range parts {
			if k > 0 {
				if s.Op == OpEqual {
					cur.mark = ""
				} else {
					cur.mark = s.Op
				}
				out = append(out, cur)
				next := fragment{oldIdx: cur.oldIdx, newIdx: cur.newIdx}
				if s.Op != OpInsert {
					next.oldIdx++
					next.startsOld = true
					po += len(paraSep)
				}
				if s.Op != OpDelete {
					next.newIdx++
					next.startsNew = true
					pn += len(paraSep)
				}
				next.oldStart, next.newStart = po, pn
				cur = next
			}
			add(s.Op, p)
		}
	}
	return append(out, cur)
}

// capitalize upper-cases the first letter.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// pair is one step of an alignment: old and new indices, -1 for none.
type pair struct{ old, new int }

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
