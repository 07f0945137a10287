package docx

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/export"
)

// Proposal is one amendment read from the tracked changes of a file: the
// command to propose it (Proposer set when the author is mapped to a
// State), the Word author, and where it applies in words.
type Proposal struct {
	Author  string                  `json:"author"`
	Where   string                  `json:"where"` // "paragraph 12"
	Command engine.ProposeAmendment `json:"command"`
}

// Unmatched is a tracked change (or a comment) that could not become an
// amendment, with the reason. Nothing in a file is dropped silently.
type Unmatched struct {
	Author string `json:"author,omitempty"`
	Where  string `json:"where"`  // "Word paragraph 14" and what it was matched to
	Text   string `json:"text"`   // what the change or comment says
	Reason string `json:"reason"` // why it is not an amendment
}

// AuthorChanges counts the changes of one Word author and says which
// State they are proposed for ("" while unmapped).
type AuthorChanges struct {
	Author    string           `json:"author"`
	State     engine.StateCode `json:"state,omitempty"`
	Proposals int              `json:"proposals"`
}

// Changes is what the tracked changes of a file come to against a
// document's current text.
type Changes struct {
	Authors   []AuthorChanges `json:"authors"`
	Proposals []Proposal      `json:"proposals"`
	Unmatched []Unmatched     `json:"unmatched,omitempty"`
}

// Unmapped lists the authors with changes that no State is given for.
func (c Changes) Unmapped() []string {
	var out []string
	for _, a := range c.Authors {
		if a.State == "" {
			out = append(out, a.Author)
		}
	}
	return out
}

// unit is one paragraph of the file as the compare sees it.
type unit struct {
	p        *Para
	kind     string // "kept", "added", "deleted", "from", "to"
	old, new string // Markdown text, number stripped, in each view
	joinOld  bool   // the mark is inserted: the earlier text joins it with the next (a split)
	joinNew  bool   // the mark is deleted: the later text joins it with the next (a merge)
	rawOld   string // old and new with the white space at their edges, for joining
	rawNew   string
	inBlock  bool
	level    int // -1 unknown
	match    *engine.Paragraph
	fnLabel  func(string) string
}

// Proposals reads the tracked changes of a file (w:ins, w:del,
// w:moveFrom/w:moveTo, w:rPrChange, inserted and deleted paragraph marks)
// as amendments to the current text of doc, each proposed for the State
// that authors maps its w:author to, with the Word comments on it as its
// comment:
//
//   - words inserted, deleted or replaced in a paragraph → insert, delete
//     or replace on that paragraph, one amendment per stretch of changes by
//     one author (a formatting change is a replacement of the words with
//     their new emphasis);
//   - a paragraph inserted whole → add-paragraph after the paragraph
//     before it; deleted whole → delete-paragraph; moved → move-paragraph
//     after the paragraph before its destination (and its edits there as
//     amendments on it);
//   - a paragraph split or merged (an inserted or deleted paragraph mark)
//     → the texts replaced, paragraphs added or deleted so that accepting
//     them all gives the later text.
//
// Paragraphs are found by their text: the current text, an earlier
// version the engine keeps (the amendment is then carried by the engine
// as any command on an older version), or the most similar paragraph, the
// change carried onto its current text when the words it touches are
// still there. A change that cannot be placed — on a heading, an option
// label, before the first paragraph, in text that is gone — is listed in
// Unmatched with the reason, as is a comment on no change.
func Proposals(doc *engine.Document, f *File, authors map[string]engine.StateCode) Changes {
	c := &collector{doc: doc, f: f, authors: authors, used: map[engine.ParagraphID]bool{}, seen: map[string]bool{}}
	c.run()
	return c.result()
}

type collector struct {
	doc     *engine.Document
	f       *File
	authors map[string]engine.StateCode
	units   []*unit
	out     Changes
	used    map[engine.ParagraphID]bool
	order   []*engine.Paragraph
	index   map[engine.ParagraphID]int
	seen    map[string]bool // comments attached
	counts  map[string]int
}

func (c *collector) result() Changes {
	var names []string
	for a := range c.counts {
		names = append(names, a)
	}
	sort.Strings(names)
	for _, a := range names {
		c.out.Authors = append(c.out.Authors, AuthorChanges{Author: a, State: c.authors[a], Proposals: c.counts[a]})
	}
	// Comments on nothing that became an amendment.
	var ids []string
	for id := range c.f.Comments {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return atoi(ids[i]) < atoi(ids[j]) })
	for _, id := range ids {
		if !c.seen[id] {
			cm := c.f.Comments[id]
			c.out.Unmatched = append(c.out.Unmatched, Unmatched{Author: cm.Author, Where: c.commentWhere(id), Text: cm.Text, Reason: "a comment on no tracked change; comments travel with the amendments they annotate"})
		}
	}
	return c.out
}

func (c *collector) commentWhere(id string) string {
	for _, p := range c.f.Paras {
		for _, r := range p.Runs {
			for _, x := range r.Comments {
				if x == id {
					return fmt.Sprintf("Word paragraph %d", p.Index)
				}
			}
		}
		for _, x := range p.Refs {
			if x == id {
				return fmt.Sprintf("Word paragraph %d", p.Index)
			}
		}
	}
	return "the comments part"
}

// visibility of a run for the earlier text of a unit (moveTo is the
// moved text itself at its destination).
func oldVisible(r Run, dest bool) (bool, Emphasis) {
	if dest && r.Change.Kind == MovedTo {
		em := r.Emphasis
		if r.Restyled != nil {
			em = r.OldEmphasis
		}
		return true, em
	}
	if r.Change.Kind == MovedFrom {
		return true, r.Emphasis
	}
	return r.visible(rejectView)
}

func newVisible(r Run) (bool, Emphasis) {
	if r.Change.Kind == MovedFrom {
		return false, 0
	}
	return r.visible(acceptView)
}

// text renders runs with a visibility rule, the paragraph number
// stripped.
func (c *collector) text(p *Para, vis func(int, Run) (bool, Emphasis), fn func(string) string) string {
	return markdown(stripNumber(tidyPieces(c.pieces(p, vis, fn)), p))
}

// rawText is text without trimming the paragraph's edges, for the parts
// of a split or merged paragraph, which are joined as they are.
func (c *collector) rawText(p *Para, vis func(int, Run) (bool, Emphasis), fn func(string) string, first bool) string {
	ps := c.pieces(p, vis, fn)
	lead, trail := "", ""
	if len(ps) > 0 && ps[0].fn == "" {
		t := strings.TrimLeftFunc(ps[0].text, unicode.IsSpace)
		lead = ps[0].text[:len(ps[0].text)-len(t)]
	}
	if n := len(ps); n > 0 && ps[n-1].fn == "" {
		t := strings.TrimRightFunc(ps[n-1].text, unicode.IsSpace)
		trail = ps[n-1].text[len(t):]
	}
	stripped := stripNumber(tidyPieces(ps), p)
	if first || len(stripped) != len(tidyPieces(ps)) || (len(stripped) > 0 && stripped[0].text != tidyPieces(ps)[0].text) {
		lead = "" // a paragraph's start, or a part that starts with its number
	}
	return lead + markdown(stripped) + trail
}

func (c *collector) pieces(p *Para, vis func(int, Run) (bool, Emphasis), fn func(string) string) []piece {
	var ps []piece
	for i, r := range p.Runs {
		ok, em := vis(i, r)
		if !ok {
			continue
		}
		if r.Footnote != "" {
			ps = append(ps, piece{text: "[^" + fn(r.Footnote) + "]", fn: r.Footnote})
			continue
		}
		ps = append(ps, piece{text: r.Text, em: em})
	}
	return ps
}

// stripNumber drops a number typed at the start of a paragraph ("12.",
// "(a)", a renumbered "3." of a compare); automatic numbers are not text.
func stripNumber(ps []piece, p *Para) []piece {
	plain := ""
	for _, x := range ps {
		plain += x.text
	}
	if m := reTypedNumber.FindString(plain); m != "" {
		return dropPrefix(ps, len(m))
	}
	if m := reTypedLetter.FindString(plain); m != "" {
		return dropPrefix(ps, len(m))
	}
	return ps
}

func (c *collector) run() {
	c.counts = map[string]int{}
	c.order = c.doc.Order()
	c.index = map[engine.ParagraphID]int{}
	for i, p := range c.order {
		c.index[p.ID] = i
	}
	accLabels, _ := c.f.footnoteLabels(acceptView)
	rejLabels, _ := c.f.footnoteLabels(rejectView)
	fn := func(id string) string {
		if l, ok := accLabels[id]; ok {
			return l
		}
		if l, ok := rejLabels[id]; ok {
			return l
		}
		return id
	}
	paras := make([]*Para, 0, len(c.f.Paras))
	for i := range c.f.Paras {
		paras = append(paras, &c.f.Paras[i])
	}
	for _, p := range append(paras, c.footnoteParas(fn)...) {
		if reportStyle(p.Style) || p.Style == "DRTitle" {
			continue
		}
		u := &unit{p: p, fnLabel: fn, level: -1}
		dest := p.Mark.Kind == MovedTo
		oldVis := func(_ int, r Run) (bool, Emphasis) { return oldVisible(r, dest) }
		newVis := func(_ int, r Run) (bool, Emphasis) { return newVisible(r) }
		u.old = c.text(p, oldVis, fn)
		u.new = c.text(p, newVis, fn)
		first := len(c.units) == 0 || !(c.units[len(c.units)-1].joinOld || c.units[len(c.units)-1].joinNew)
		u.rawOld = c.rawText(p, oldVis, fn, first)
		u.rawNew = c.rawText(p, newVis, fn, first)
		hasOld, hasNew := false, false
		for _, r := range p.Runs {
			if ok, _ := r.visible(rejectView); ok || r.Change.Kind == MovedFrom {
				hasOld = hasOld || strings.TrimSpace(r.Text) != "" || r.Footnote != ""
			}
			if ok, _ := newVisible(r); ok {
				hasNew = hasNew || strings.TrimSpace(r.Text) != "" || r.Footnote != ""
			}
		}
		switch {
		case p.Mark.Kind == MovedFrom:
			u.kind = "from"
		case p.Mark.Kind == MovedTo:
			u.kind = "to"
		case p.Mark.Kind == Inserted && !hasOld:
			u.kind = "added"
		case p.Mark.Kind == Deleted && !hasNew:
			u.kind = "deleted"
		default:
			u.kind = "kept"
			u.joinOld = p.Mark.Kind == Inserted
			u.joinNew = p.Mark.Kind == Deleted
		}
		if u.old == "" && u.new == "" && !u.joinOld && !u.joinNew {
			continue
		}
		if h := p.heading; h > 0 || p.Style == "TextOption" || (reOptionRaw.MatchString(u.new) && reOptionRaw.MatchString(u.old)) ||
			(reOptionRaw.MatchString(u.new) && u.kind == "added") || (reOptionRaw.MatchString(u.old) && u.kind == "deleted") {
			if c.changed(p) && u.old != u.new {
				what := "a heading"
				if h == 0 {
					what = "an option label"
				}
				c.unmatched(p, fmt.Sprintf("%q → %q", u.old, u.new), what+" is not amended; the secretariat edits it")
			}
			continue
		}
		c.units = append(c.units, u)
	}
	c.matchAll()
	c.propose()
}

// footnoteParas gives each footnote the text refers to as the paragraph
// the Markdown format keeps it as, "[^label]: text", after the body: a
// footnote whose reference was inserted is an added paragraph (its mark
// is the reference's insertion), one whose reference was deleted a
// deleted one; the tracked changes inside a footnote are changes to that
// paragraph. A label referred to more than once is one paragraph.
func (c *collector) footnoteParas(fn func(string) string) []*Para {
	type ref struct {
		id  string
		run Run
	}
	var order []string
	refs := map[string][]ref{}
	for _, p := range c.f.Paras {
		for _, r := range p.Runs {
			if r.Footnote == "" {
				continue
			}
			l := fn(r.Footnote)
			if refs[l] == nil {
				order = append(order, l)
			}
			refs[l] = append(refs[l], ref{r.Footnote, r})
		}
	}
	sortLabels(order, func(l string) string { return l })
	var out []*Para
	for _, l := range order {
		rs := refs[l]
		// The footnote of the first reference the later text keeps, else
		// of the first one.
		pick := rs[0]
		inOld, inNew := false, false
		for _, r := range rs {
			if ok, _ := r.run.visible(rejectView); ok {
				inOld = true
			}
			if ok, _ := r.run.visible(acceptView); ok {
				if !inNew {
					pick = r
				}
				inNew = true
			}
		}
		runs, ok := c.f.Footnotes[pick.id]
		if !ok {
			continue
		}
		p := &Para{Index: len(c.f.Paras) + len(out) + 1}
		switch {
		case inNew && !inOld:
			p.Mark = pick.run.Change
		case inOld && !inNew:
			p.Mark = pick.run.Change
		}
		prefix := Run{Text: "[^" + l + "]: ", Change: p.Mark}
		p.Runs = append([]Run{prefix}, trimMarkRuns(runs, c.f.customMark(pick.id))...)
		out = append(out, p)
	}
	return out
}

// trimMarkRuns drops a footnote's custom mark and the white space after
// it from the start of its text.
func trimMarkRuns(runs []Run, mark string) []Run {
	out := append([]Run(nil), runs...)
	for len(out) > 0 && out[0].Footnote == "" {
		t := strings.TrimLeftFunc(out[0].Text, unicode.IsSpace)
		if mark != "" && strings.HasPrefix(t, mark) {
			t = strings.TrimLeftFunc(t[len(mark):], unicode.IsSpace)
			mark = ""
		}
		if t != "" {
			out[0].Text = t
			break
		}
		out = out[1:]
	}
	return out
}

// changed reports whether a paragraph has any tracked change.
func (c *collector) changed(p *Para) bool {
	if p.Mark.Kind != Kept {
		return true
	}
	for _, r := range p.Runs {
		if r.Change.Kind != Kept || r.Restyled != nil {
			return true
		}
	}
	return false
}

func (c *collector) author(p *Para) string {
	if p.Mark.Kind != Kept {
		return p.Mark.Author
	}
	for _, r := range p.Runs {
		if r.Change.Kind != Kept {
			return r.Change.Author
		}
		if r.Restyled != nil {
			return r.Restyled.Author
		}
	}
	return ""
}

func (c *collector) unmatched(p *Para, text, reason string) {
	c.out.Unmatched = append(c.out.Unmatched, Unmatched{Author: c.author(p), Where: fmt.Sprintf("Word paragraph %d", p.Index), Text: text, Reason: reason})
}

// matchAll finds the document paragraph of each unit that has earlier
// text: the same text first (current or a kept earlier version), in
// order; then the most similar unused paragraph.
func (c *collector) matchAll() {
	byText := map[string][]*engine.Paragraph{}
	for _, p := range c.order {
		byText[visibleKey(p.Text)] = append(byText[visibleKey(p.Text)], p)
		for _, past := range p.Past {
			k := visibleKey(past.Text)
			byText[k] = append(byText[k], p)
		}
	}
	for i, u := range c.units {
		// The parts of a split or merge are matched in their block.
		u.inBlock = u.joinOld || u.joinNew || (i > 0 && (c.units[i-1].joinOld || c.units[i-1].joinNew))
	}
	last := -1
	for _, u := range c.units {
		if u.kind == "added" || u.kind == "to" || u.inBlock {
			continue // a move's destination is its source's paragraph
		}
		key := visibleKey(u.old)
		var best *engine.Paragraph
		for _, p := range byText[key] {
			if c.used[p.ID] {
				continue
			}
			if best == nil || (c.index[best.ID] <= last && c.index[p.ID] > last) {
				best = p
			}
		}
		if best != nil {
			u.match, c.used[best.ID] = best, true
			last = c.index[best.ID]
		}
	}
	for _, u := range c.units {
		if u.match != nil || u.kind == "added" || u.kind == "to" || u.old == "" || u.inBlock {
			continue
		}
		words := wordBag(u.old)
		var best *engine.Paragraph
		bestScore := 0.5
		for _, p := range c.order {
			if c.used[p.ID] {
				continue
			}
			if s := dice(words, wordBag(p.Text)); s > bestScore {
				best, bestScore = p, s
			}
		}
		if best != nil {
			u.match, c.used[best.ID] = best, true
		}
	}
}

// visibleKey is a text as a reader sees it: "\*" and a lone "*" are the
// same.
func visibleKey(md string) string {
	var b strings.Builder
	for _, r := range export.TextRuns(md) {
		b.WriteByte(byte('0' + r.Emphasis))
		b.WriteString(r.Text)
		b.WriteByte(0)
	}
	return b.String()
}

func wordBag(s string) map[string]int {
	m := map[string]int{}
	for _, t := range engine.Tokenize(strings.ToLower(s)) {
		r, _ := utf8.DecodeRuneInString(t)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			m[t]++
		}
	}
	return m
}

func dice(a, b map[string]int) float64 {
	na, nb, common := 0, 0, 0
	for w, n := range a {
		na += n
		common += min(n, b[w])
	}
	for _, n := range b {
		nb += n
	}
	if na+nb == 0 {
		return 0
	}
	return 2 * float64(common) / float64(na+nb)
}

// where names a document paragraph.
func (c *collector) where(p *engine.Paragraph) string {
	if n := c.doc.Number(p); n != "" {
		if p.Level == 0 {
			return "paragraph " + n
		}
		parent := p
		for parent.Parent != "" {
			parent = c.doc.Paragraphs[parent.Parent]
		}
		return "paragraph " + c.doc.Number(parent) + " " + n
	}
	return "paragraph " + c.doc.EID(p)
}

func (c *collector) add(u *unit, author string, cmd engine.ProposeAmendment, comments []string) {
	cmd.Proposer = c.authors[author]
	cmd.Comment = c.comment(u.p, author, comments)
	c.counts[author]++
	where := ""
	if p, ok := c.doc.Paragraphs[cmd.Para]; ok {
		where = c.where(p)
	}
	c.out.Proposals = append(c.out.Proposals, Proposal{Author: author, Where: where, Command: cmd})
}

// comment gathers the Word comments on a change (and those referenced in
// its paragraph by its author that are not yet used).
func (c *collector) comment(p *Para, author string, ids []string) string {
	var texts []string
	use := func(id string) {
		if c.seen[id] {
			return
		}
		cm, ok := c.f.Comments[id]
		if !ok || strings.TrimSpace(cm.Text) == "" {
			return
		}
		c.seen[id] = true
		texts = append(texts, cm.Text)
	}
	for _, id := range ids {
		use(id)
	}
	for _, id := range p.Refs {
		if cm, ok := c.f.Comments[id]; ok && cm.Author == author {
			use(id)
		}
	}
	return strings.Join(texts, "\n")
}

// propose turns the units into amendments.
func (c *collector) propose() {
	// Pair moves by name.
	dests := map[string]*unit{}
	sources := map[string]*unit{}
	for _, u := range c.units {
		switch u.kind {
		case "to":
			dests[u.p.Mark.Move] = u
		case "from":
			sources[u.p.Mark.Move] = u
		}
	}
	var pendingAdds []func()
	flushAdds := func() {
		// Several paragraphs added after one are proposed last first, so
		// that accepting them in order of submission keeps their order.
		for i := len(pendingAdds) - 1; i >= 0; i-- {
			pendingAdds[i]()
		}
		pendingAdds = nil
	}
	var prev *engine.Paragraph // the last paragraph of the later text that exists now
	for i := 0; i < len(c.units); i++ {
		u := c.units[i]
		switch {
		case u.kind == "added" || (u.kind == "to" && sources[u.p.Mark.Move] == nil):
			after := topLevel(c.doc, prev)
			text := u.new
			uu := u
			if after == nil {
				c.unmatched(u.p, text, "a paragraph added before the first paragraph of the text; an amendment adds a paragraph after another")
				continue
			}
			pendingAdds = append(pendingAdds, func() {
				c.add(uu, c.author(uu.p), engine.ProposeAmendment{Op: engine.OpAddParagraph, Para: after.ID, NewText: text}, runComments(uu.p.Runs))
			})
			continue
		}
		flushAdds()
		switch {
		case u.kind == "deleted" || (u.kind == "from" && dests[u.p.Mark.Move] == nil):
			if u.match == nil {
				c.unmatched(u.p, u.old, "a paragraph deleted that is not in the current text")
				continue
			}
			c.add(u, c.author(u.p), engine.ProposeAmendment{Op: engine.OpDeleteParagraph, Para: u.match.ID, Version: u.match.Version}, runComments(u.p.Runs))
		case u.kind == "from":
			// Proposed at its destination.
		case u.kind == "to":
			src := sources[u.p.Mark.Move]
			if src.match == nil {
				c.unmatched(u.p, src.old, "a paragraph moved that is not in the current text")
				continue
			}
			p := src.match
			if p.Parent != "" {
				if !movedWithParent(c, p, sources) {
					c.unmatched(u.p, u.old, "a subparagraph moved on its own; a subparagraph moves with its paragraph")
				}
			} else {
				after := topLevel(c.doc, prev)
				if after != nil && after.ID == p.ID {
					after = nil
				}
				if after == nil {
					c.unmatched(u.p, u.old, "a paragraph moved to the start of the text; an amendment moves a paragraph after another")
				} else {
					c.add(u, u.p.Mark.Author, engine.ProposeAmendment{Op: engine.OpMoveParagraph, Para: p.ID, After: after.ID}, runComments(u.p.Runs))
				}
			}
			u.match = p
			c.edits(u, p, true)
			prev = p
		default:
			// A block of paragraphs joined by inserted or deleted marks.
			j := i
			for j < len(c.units) && c.units[j].kind == "kept" && (c.units[j].joinOld || c.units[j].joinNew) {
				j++
			}
			if j == i {
				if u.match == nil {
					if c.changed(u.p) {
						c.unmatched(u.p, u.old, "the paragraph it changes is not in the current text")
					}
					continue
				}
				c.edits(u, u.match, false)
				prev = u.match
				continue
			}
			if j == len(c.units) {
				j--
			}
			prev = c.block(c.units[i:j+1], prev)
			i = j
		}
	}
	flushAdds()
}

// movedWithParent reports whether a subparagraph's paragraph is moved too.
func movedWithParent(c *collector, p *engine.Paragraph, sources map[string]*unit) bool {
	for _, s := range sources {
		if s.match != nil && s.match.ID == p.Parent {
			return true
		}
	}
	return false
}

func topLevel(doc *engine.Document, p *engine.Paragraph) *engine.Paragraph {
	for p != nil && p.Parent != "" {
		p = doc.Paragraphs[p.Parent]
	}
	return p
}

func runComments(runs []Run) []string {
	var ids []string
	for _, r := range runs {
		ids = append(ids, r.Comments...)
	}
	return ids
}

// group is a stretch of tracked changes by one author in a paragraph.
type group struct {
	author   string
	from, to int // runs
}

// edits proposes the word changes of one paragraph, one amendment per
// stretch of changes by one author.
func (c *collector) edits(u *unit, p *engine.Paragraph, dest bool) {
	runs := u.p.Runs
	isChange := func(r Run) (bool, string) {
		switch r.Change.Kind {
		case Inserted, Deleted:
			return true, r.Change.Author
		}
		if r.Restyled != nil {
			return true, r.Restyled.Author
		}
		return false, ""
	}
	var groups []group
	for i := 0; i < len(runs); i++ {
		ok, a := isChange(runs[i])
		if !ok {
			continue
		}
		g := group{author: a, from: i, to: i + 1}
		for g.to < len(runs) {
			ok, b := isChange(runs[g.to])
			if !ok || b != a {
				break
			}
			g.to++
		}
		groups = append(groups, g)
		i = g.to - 1
	}
	for _, g := range groups {
		hybrid := c.text(u.p, func(idx int, r Run) (bool, Emphasis) {
			if idx >= g.from && idx < g.to {
				return newVisible(r)
			}
			return oldVisible(r, dest)
		}, u.fnLabel)
		if hybrid == u.old {
			continue // a change of the number only: numbers are the outline's
		}
		c.span(u, p, g.author, u.old, hybrid, runComments(runs[g.from:g.to]))
	}
}

// span proposes the change from old to changed (two texts of a
// paragraph) as an insert, delete or replace of the smallest span of
// whole words, carried onto the paragraph's current text.
func (c *collector) span(u *unit, p *engine.Paragraph, author, old, changed string, comments []string) {
	o, n := []rune(old), []rune(changed)
	pre := 0
	for pre < len(o) && pre < len(n) && o[pre] == n[pre] {
		pre++
	}
	suf := 0
	for suf < len(o)-pre && suf < len(n)-pre && o[len(o)-1-suf] == n[len(n)-1-suf] {
		suf++
	}
	// Whole words: widen while a letter or digit is cut.
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	for pre > 0 && (word(o[pre-1]) && (pre < len(o)-suf && word(o[pre]) || pre < len(n)-suf && word(n[pre]))) {
		pre--
	}
	for suf > 0 && (word(o[len(o)-suf]) && (len(o)-suf-1 >= pre && word(o[len(o)-suf-1]) || len(n)-suf-1 >= pre && word(n[len(n)-suf-1]))) {
		suf--
	}
	start, end := pre, len(o)-suf
	newText := string(n[pre : len(n)-suf])
	version := p.Version
	if old != p.Text {
		found := false
		for _, past := range p.Past {
			if past.Text == old {
				version, found = past.Version, true
			}
		}
		if !found {
			anc, err := engine.NewAnchor(old, start, end)
			if err != nil {
				c.unmatched(u.p, newText, engine.ErrorMessage(err))
				return
			}
			m, ok := engine.MapAnchor(anc, engine.WordDiff(old, p.Text))
			if !ok {
				c.unmatched(u.p, describe(string(o[start:end]), newText), fmt.Sprintf("the text it changes is no longer in %s", c.where(p)))
				return
			}
			start, end = m.Start, m.End
		}
	}
	op := engine.OpReplace
	switch {
	case start == end:
		op = engine.OpInsert
	case newText == "":
		op = engine.OpDelete
	}
	c.add(u, author, engine.ProposeAmendment{Op: op, Para: p.ID, Version: version, Start: start, End: end, NewText: newText}, comments)
}

func describe(old, new string) string {
	switch {
	case old == "":
		return "insert " + fmt.Sprintf("%q", new)
	case new == "":
		return "delete " + fmt.Sprintf("%q", old)
	}
	return fmt.Sprintf("replace %q by %q", old, new)
}

// block proposes a split or merge: the paragraphs of the earlier text
// (joined where a mark was inserted) become those of the later text
// (joined where a mark was deleted). It returns the last paragraph of the
// later text that exists now.
func (c *collector) block(us []*unit, prev *engine.Paragraph) *engine.Paragraph {
	var olds, news []string
	var oldUnits []*unit
	cur, curNew := "", ""
	var first *unit
	for _, u := range us {
		if first == nil {
			first = u
		}
		cur += u.rawOld
		if !u.joinOld {
			olds = append(olds, strings.TrimSpace(cur))
			oldUnits = append(oldUnits, first)
			cur, first = "", nil
		}
		curNew += u.rawNew
		if !u.joinNew {
			news = append(news, strings.TrimSpace(curNew))
			curNew = ""
		}
	}
	if strings.TrimSpace(cur) != "" {
		olds = append(olds, strings.TrimSpace(cur))
		oldUnits = append(oldUnits, first)
	}
	if strings.TrimSpace(curNew) != "" {
		news = append(news, strings.TrimSpace(curNew))
	}
	author := ""
	for _, u := range us {
		if u.p.Mark.Kind != Kept {
			author = u.p.Mark.Author
			break
		}
	}
	// Match each earlier paragraph afresh: a split's parts were not.
	var matched []*engine.Paragraph
	for k, o := range olds {
		var m *engine.Paragraph
		if oldUnits[k] != nil && oldUnits[k].match != nil && visibleKey(oldUnits[k].match.Text) == visibleKey(o) {
			m = oldUnits[k].match
		}
		if m == nil {
			for _, p := range c.order {
				if visibleKey(p.Text) == visibleKey(o) && (!c.used[p.ID] || (oldUnits[k] != nil && oldUnits[k].match == p)) {
					m = p
					break
				}
			}
		}
		if m == nil {
			c.unmatched(us[0].p, o, "a split or merged paragraph whose earlier text is not in the current text")
			return prev
		}
		c.used[m.ID] = true
		matched = append(matched, m)
	}
	u := us[0]
	for k := 0; k < len(olds) && k < len(news); k++ {
		if olds[k] != news[k] {
			c.span(u, matched[k], author, olds[k], news[k], nil)
		}
		prev = matched[k]
	}
	if len(news) > len(olds) {
		after := topLevel(c.doc, prev)
		for k := len(news) - 1; k >= len(olds); k-- {
			c.add(u, author, engine.ProposeAmendment{Op: engine.OpAddParagraph, Para: after.ID, NewText: news[k]}, nil)
		}
	}
	for k := len(news); k < len(olds); k++ {
		c.add(u, author, engine.ProposeAmendment{Op: engine.OpDeleteParagraph, Para: matched[k].ID, Version: matched[k].Version}, nil)
	}
	for _, x := range us {
		c.comment(x.p, author, runComments(x.p.Runs))
	}
	return prev
}
