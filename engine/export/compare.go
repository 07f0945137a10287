package export

import (
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/draftroom/draftroom/engine"
)

// CompareOptions tunes a compare.
type CompareOptions struct {
	// Style is the house style; "" is StrikeUnderline.
	Style Style
	// Doc, when set, is the document both outlines come from. Changes are
	// then attributed to the amendments that brought them: accepted,
	// accepted as modified, incorporated in brackets or merged into a
	// compromise, decided after Since and not after Until.
	Doc *engine.Document
	// Since and Until bound the decisions that may explain the changes:
	// the earlier text's issue time and the later text's (zero Until for
	// the live state).
	Since, Until time.Time
	// DefaultAuthor is named for changes no amendment explains; ""
	// is "Secretariat".
	DefaultAuthor string
}

// Compare is a redline between two texts of a document: every heading and
// paragraph of either, in reading order, with what changed word by word
// (character by character in scripts written without spaces).
type Compare struct {
	Meta   Meta          `json:"meta"`
	Style  Style         `json:"style"`
	Counts CompareCounts `json:"counts"`
	Rows   []Row         `json:"rows"`
	// Drafts is set when the two texts were imported independently and
	// their paragraphs matched by place and text rather than by identity.
	Drafts bool `json:"drafts,omitempty"`
}

// CompareCounts sums up a compare.
type CompareCounts struct {
	Unchanged     int `json:"unchanged"`
	Changed       int `json:"changed"`
	Added         int `json:"added"`
	Deleted       int `json:"deleted"`
	Moved         int `json:"moved"`
	Renumbered    int `json:"renumbered"`
	Split         int `json:"split"`        // paragraphs of the earlier text split
	Merged        int `json:"merged"`       // paragraphs of the later text merged from several
	Restructured  int `json:"restructured"` // runs of paragraphs rewritten as a run of another number
	WordsInserted int `json:"wordsInserted"`
	WordsDeleted  int `json:"wordsDeleted"`
}

// Kind implements Report.
func (*Compare) Kind() string { return "compare" }

// Metadata implements Report.
func (c *Compare) Metadata() Meta { return c.Meta }

// JSON implements Report.
func (c *Compare) JSON() ([]byte, error) {
	return marshalReport("compare", struct {
		Report string `json:"report"`
		*Compare
	}{"compare", c})
}

// item is a heading or paragraph of one side of a compare.
type item struct {
	key string // "s:" + section ID or "p:" + paragraph ID
	row Row
	// prev names the paragraph before it, for notes on moves.
	prev string
}

// flatten lists the headings and paragraphs of an outline as items.
func flatten(o engine.Outline) []item {
	rows := outlineRows(o)
	out := make([]item, len(rows))
	prev := ""
	for i, r := range rows {
		k := "p:" + r.ID
		if r.Kind == HeadingRow {
			k = "s:" + r.ID
		}
		out[i] = item{key: k, row: r, prev: prev}
		if r.Kind == ParagraphRow {
			prev = paragraphName(r.Number, r.Level)
		} else {
			prev = "the heading “" + r.Text + "”"
		}
	}
	return out
}

// CompareOutlines compares two outlines of one document (two revisions, or
// a revision and the live state). Paragraphs and sections are matched by
// identity: a paragraph in both is compared word by word; one only in the
// later text is added, one only in the earlier is deleted (shown struck);
// one whose place changed relative to the others is moved, shown at its new
// place and marked at its old one. meta names the later text; meta.Against
// the earlier.
func CompareOutlines(old, new engine.Outline, meta Meta, opts CompareOptions) *Compare {
	c := newCompare(new, meta, opts)
	at := newAttributor(opts, meta)
	a, b := flatten(old), flatten(new)
	inOld := make(map[string]int, len(a))
	for i, it := range a {
		inOld[it.key] = i
	}
	inNew := make(map[string]int, len(b))
	for j, it := range b {
		inNew[it.key] = j
	}
	// The common items whose relative order is kept are the longest
	// increasing run of old positions taken in new order; the others moved.
	// Paragraphs an accepted move brought elsewhere are moved whatever
	// the subsequence says: of two swapped paragraphs, the one moved is the
	// one the amendment names.
	var common []int // old positions, in new order
	for _, it := range b {
		if i, ok := inOld[it.key]; ok && !at.movedByAmendment(it.row) {
			common = append(common, i)
		}
	}
	stable := map[int]bool{}
	for _, i := range longestIncreasing(common) {
		stable[i] = true
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && !has(inNew, a[i].key):
			c.add(at.deleted(a[i]))
			i++
		case i < len(a) && !stable[i]:
			c.add(at.movedAway(a[i], b[inNew[a[i].key]]))
			i++
		case j < len(b) && !has(inOld, b[j].key):
			c.add(at.added(b[j]))
			j++
		case j < len(b) && !stable[inOld[b[j].key]]:
			c.add(at.matched(a[inOld[b[j].key]], b[j], true))
			j++
		default:
			c.add(at.matched(a[i], b[j], false))
			i++
			j++
		}
	}
	markFootnotes(c.Rows)
	return c
}

// has reports whether an item with key k is in the index m.
func has(m map[string]int, k string) bool { _, ok := m[k]; return ok }

// CompareRevisions compares two texts of a live document: rev old with
// rev new, or with the live state when new is nil. Changes are attributed
// to the amendments decided in between. meta names the later text; its
// Against is filled from old.
func CompareRevisions(d *engine.Document, old, new *engine.Revision, meta Meta, opts CompareOptions) *Compare {
	opts.Doc = d
	opts.Since = old.Issued
	no := d.Outline()
	if new != nil {
		no = new.Outline
		opts.Until = new.Issued
	}
	if meta.Against == nil {
		s := RevisionSource(old)
		meta.Against = &s
	}
	return CompareOutlines(old.Outline, no, meta, opts)
}

func newCompare(new engine.Outline, meta Meta, opts CompareOptions) *Compare {
	if meta.Title == "" {
		meta.Title = new.Title
	}
	if meta.Symbol == "" {
		meta.Symbol = new.Symbol
	}
	if meta.Language == "" {
		meta.Language = new.Language
	}
	if opts.Style == "" {
		opts.Style = StrikeUnderline
	}
	return &Compare{Meta: meta, Style: opts.Style}
}

// add appends a row, with its runs, and counts it.
func (c *Compare) add(r Row) {
	r.Renumbered = r.Kind == ParagraphRow && numberLabel(r.OldNumber, r.OldLevel) != numberLabel(r.Number, r.Level) &&
		r.Change != Added && r.Change != Deleted && r.Change != MovedAway && r.Change != Split && r.Change != Merged && r.Change != Restructured
	if r.Renumbered && r.Change == Unchanged {
		r.Change = Renumbered
	}
	if r.Runs == nil {
		r.Runs = segmentRuns(r.Segments, r.OldText, r.Text)
	}
	if r.Kind == ParagraphRow {
		if r.Renumbered {
			c.Counts.Renumbered++
		}
		switch r.Change {
		case Unchanged:
			c.Counts.Unchanged++
		case Changed:
			c.Counts.Changed++
		case Added:
			c.Counts.Added++
		case Deleted:
			c.Counts.Deleted++
		case MovedHere:
			c.Counts.Moved++
		case Split:
			if r.ParagraphMark == "" {
				c.Counts.Split++
			}
		case Merged:
			if r.ParagraphMark == "" {
				c.Counts.Merged++
			}
		case Restructured:
			if strings.Contains(r.Note, " rewritten as ") {
				c.Counts.Restructured++
			}
		}
		for _, s := range r.Segments {
			switch s.Op {
			case OpInsert:
				c.Counts.WordsInserted += countWords(s.Text)
			case OpDelete:
				c.Counts.WordsDeleted += countWords(s.Text)
			}
		}
	}
	c.Rows = append(c.Rows, r)
}

// countWords counts the word tokens (runs of letters or digits, or single
// characters of scripts written without spaces) in s.
func countWords(s string) int {
	n := 0
	for _, t := range engine.Tokenize(s) {
		for _, r := range t {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				n++
				break
			}
		}
	}
	return n
}

// segments turns an engine diff into compare segments.
func segments(ds []engine.Diff) []Segment {
	out := make([]Segment, 0, len(ds))
	for _, d := range ds {
		op := OpEqual
		switch d.Op {
		case engine.DiffInsert:
			op = OpInsert
		case engine.DiffDelete:
			op = OpDelete
		}
		out = append(out, Segment{Op: op, Text: d.Text})
	}
	return out
}

// longestIncreasing returns the values of a longest strictly increasing
// subsequence of xs (patience sorting, O(n log n)).
func longestIncreasing(xs []int) []int {
	if len(xs) == 0 {
		return nil
	}
	tails := []int{}             // indices into xs of the smallest tail of each length
	prev := make([]int, len(xs)) // predecessor index in the subsequence
	for k, x := range xs {
		n := sort.Search(len(tails), func(m int) bool { return xs[tails[m]] >= x })
		if n > 0 {
			prev[k] = tails[n-1]
		} else {
			prev[k] = -1
		}
		if n == len(tails) {
			tails = append(tails, k)
		} else {
			tails[n] = k
		}
	}
	out := make([]int, len(tails))
	for k, m := tails[len(tails)-1], len(tails)-1; m >= 0; k, m = prev[k], m-1 {
		out[m] = xs[k]
	}
	return out
}

// attributor says which amendment brought a change.
type attributor struct {
	opts     CompareOptions
	fallback Attribution
	byPara   map[engine.ParagraphID][]*engine.Amendment // decided in the window, in order of submission
	byText   map[string][]*engine.Amendment             // add- and replace-paragraph amendments by the text they added
}

// decidedIn reports whether an amendment changed the text within the
// window.
func (at *attributor) decidedIn(a *engine.Amendment) bool {
	switch a.Status {
	case engine.Accepted, engine.AcceptedAsModified, engine.InBrackets, engine.Merged:
	default:
		return false
	}
	if !at.opts.Since.IsZero() && !a.Decided.After(at.opts.Since) {
		return false
	}
	if !at.opts.Until.IsZero() && a.Decided.After(at.opts.Until) {
		return false
	}
	return true
}

func newAttributor(opts CompareOptions, meta Meta) *attributor {
	at := &attributor{opts: opts, fallback: Attribution{Author: nonEmpty(opts.DefaultAuthor, "Secretariat"), Date: meta.Date}}
	if opts.Doc == nil {
		return at
	}
	at.byPara = map[engine.ParagraphID][]*engine.Amendment{}
	at.byText = map[string][]*engine.Amendment{}
	for _, a := range opts.Doc.Amendments {
		if a.Parent != "" || !at.decidedIn(a) {
			continue
		}
		at.byPara[a.Para] = append(at.byPara[a.Para], a)
		if a.Op == engine.OpAddParagraph || a.Op == engine.OpReplaceParagraph {
			at.byText[a.NewText] = append(at.byText[a.NewText], a)
			at.byText["["+a.NewText+"]"] = append(at.byText["["+a.NewText+"]"], a)
		}
	}
	for _, as := range at.byPara {
		sortByNumber(as)
	}
	for _, as := range at.byText {
		sortByNumber(as)
	}
	return at
}

// sortByNumber orders amendments by the number in their identity ("a12").
func sortByNumber(as []*engine.Amendment) {
	sort.Slice(as, func(i, j int) bool {
		return amendmentNumber(as[i].ID) < amendmentNumber(as[j].ID)
	})
}

func amendmentNumber(id engine.AmendmentID) int {
	n := 0
	for _, r := range string(id) {
		if r >= '0' && r <= '9' {
			n = n*10 + int(r-'0')
		}
	}
	return n
}

func attributionOf(a *engine.Amendment) Attribution {
	return Attribution{Author: string(a.Proposer), Date: a.Proposed, Amendment: a.ID}
}

// movedByAmendment reports whether an accepted amendment moved the
// paragraph of row r.
func (at *attributor) movedByAmendment(r Row) bool {
	if r.Kind != ParagraphRow {
		return false
	}
	_, ok := at.paragraphOp(r.ID, engine.OpMoveParagraph)
	return ok
}

// paragraphOp returns the first amendment on a paragraph with the given
// operation.
func (at *attributor) paragraphOp(id string, ops ...engine.AmendmentOp) (Attribution, bool) {
	for _, a := range at.byPara[engine.ParagraphID(id)] {
		for _, op := range ops {
			if a.Op == op {
				return attributionOf(a), true
			}
		}
	}
	return Attribution{}, false
}

// deleted is the row of an item that is only in the earlier text.
func (at *attributor) deleted(it item) Row {
	r := it.row
	r.Change = Deleted
	r.OldID, r.OldEID, r.OldNumber, r.OldText, r.OldDeleted, r.OldLevel = r.ID, r.EID, r.Number, r.Text, r.Deleted, r.Level
	r.OldOption, r.OldOptionStart, r.OptionStart = r.Option, r.OptionStart, false
	r.Segments = []Segment{{Op: OpDelete, Text: r.Text}}
	r.Attribution = at.fallback
	if a, ok := at.paragraphOp(r.ID, engine.OpDeleteParagraph); ok {
		r.Attribution = a
	}
	r.Segments[0].Attribution = r.Attribution
	if r.Kind == HeadingRow {
		r.Note = "heading deleted"
	} else {
		r.Note = "deleted"
	}
	return r
}

// added is the row of an item that is only in the later text.
func (at *attributor) added(it item) Row {
	r := it.row
	r.Change = Added
	r.Segments = []Segment{{Op: OpInsert, Text: r.Text}}
	r.Attribution = at.fallback
	for _, a := range at.byText[r.Text] {
		r.Attribution = attributionOf(a)
		break
	}
	r.Segments[0].Attribution = r.Attribution
	if r.Kind == HeadingRow {
		r.Note = "new heading"
	} else {
		r.Note = "new paragraph"
	}
	return r
}

// movedAway is the row marking the old place of a moved item.
func (at *attributor) movedAway(old, new item) Row {
	r := old.row
	r.Change = MovedAway
	r.OldID, r.OldEID, r.OldNumber, r.OldText, r.OldDeleted, r.OldLevel = r.ID, r.EID, r.Number, r.Text, r.Deleted, r.Level
	r.OldOption, r.OldOptionStart, r.OptionStart = r.Option, r.OptionStart, false
	r.Segments = []Segment{{Op: OpDelete, Text: r.Text}}
	r.Attribution = at.fallback
	if a, ok := at.paragraphOp(r.ID, engine.OpMoveParagraph); ok {
		r.Attribution = a
	}
	r.Segments[0].Attribution = r.Attribution
	if r.Kind == ParagraphRow {
		r.Note = fmt.Sprintf("moved to %s, after %s", paragraphName(new.row.Number, new.row.Level), new.prev)
	} else {
		r.Note = "moved to after " + new.prev
	}
	return r
}

// matched is the row of an item in both texts; moved says its place
// changed relative to the others.
func (at *attributor) matched(old, new item, moved bool) Row {
	r := new.row
	r.OldID, r.OldEID, r.OldNumber, r.OldText, r.OldDeleted, r.OldLevel = old.row.ID, old.row.EID, old.row.Number, old.row.Text, old.row.Deleted, old.row.Level
	r.OldOption, r.OldOptionStart = old.row.Option, old.row.OptionStart
	if old.row.Text != "" || r.Text != "" {
		r.Segments = segments(engine.WordDiff(old.row.Text, r.Text))
	}
	r.Change = Unchanged
	if old.row.Text != r.Text || old.row.Deleted != r.Deleted {
		r.Change = Changed
	}
	var notes []string
	if moved {
		r.Change = MovedHere
		r.Attribution = at.fallback
		if a, ok := at.paragraphOp(r.ID, engine.OpMoveParagraph); ok {
			r.Attribution = a
		}
		if r.Kind == ParagraphRow {
			by := ""
			if r.Amendment != "" {
				by = fmt.Sprintf(" (%s, amendment %s)", r.Author, r.Amendment)
			}
			notes = append(notes, fmt.Sprintf("moved from %s, after %s%s", paragraphName(old.row.Number, old.row.Level), old.prev, by))
		} else {
			notes = append(notes, "moved from after "+old.prev)
		}
	}
	if new.row.Deleted && !old.row.Deleted {
		note := "struck through: deletion pending agreement"
		if a, ok := at.paragraphOp(r.ID, engine.OpDeleteParagraph); ok {
			note += " (" + a.Author + ", amendment " + string(a.Amendment) + ")"
		}
		notes = append(notes, note)
	}
	if old.row.Deleted && !new.row.Deleted {
		notes = append(notes, "no longer struck through")
	}
	if old.row.Option != new.row.Option {
		notes = append(notes, fmt.Sprintf("option: %s → %s", nonEmpty(old.row.Option, "none"), nonEmpty(new.row.Option, "none")))
	}
	at.attribute(&r)
	r.Note = strings.Join(notes, "; ")
	return r
}

// attribute gives each inserted or deleted segment of a row the
// amendment that brought it, or the fallback.
func (at *attributor) attribute(r *Row) {
	cands := at.byPara[engine.ParagraphID(r.ID)]
	whole, wholeOK := Attribution{}, false
	for _, a := range cands {
		if a.Op == engine.OpReplaceParagraph && a.NewText == r.Text {
			whole, wholeOK = attributionOf(a), true
		}
	}
	for i := range r.Segments {
		s := &r.Segments[i]
		if s.Op == OpEqual {
			continue
		}
		if wholeOK {
			s.Attribution = whole
			continue
		}
		core := strings.TrimFunc(s.Text, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
		if core == "" {
			continue
		}
		for _, a := range cands {
			var in string
			if s.Op == OpInsert {
				in = a.NewText
			} else {
				in = a.Anchor.Text
			}
			if in != "" && strings.Contains(in, core) {
				s.Attribution = attributionOf(a)
				break
			}
		}
	}
	// Brackets, spaces and punctuation that came with a change share its
	// attribution; anything left is the pen's: the office of whoever made
	// that change of the text in the period (the chair clearing brackets,
	// the secretariat correcting), from the paragraph's history, or else
	// the fallback.
	for i := range r.Segments {
		s := &r.Segments[i]
		if s.Op == OpEqual || s.Author != "" {
			continue
		}
		for _, k := range []int{i - 1, i + 1, i - 2, i + 2} {
			if k >= 0 && k < len(r.Segments) && r.Segments[k].Op != OpEqual && r.Segments[k].Amendment != "" && isMinor(s.Text) {
				s.Attribution = r.Segments[k].Attribution
				break
			}
		}
		if s.Author == "" {
			s.Attribution = at.penChange(r.ID, s)
		}
	}
}

// penChange attributes a change no amendment explains to the latest change
// of the paragraph's history in the period, made by the pen and not by an
// amendment's acceptance, that inserted or deleted its words: to the
// office of its actor, on its date. Without one it is the fallback.
func (at *attributor) penChange(id string, s *Segment) Attribution {
	if at.opts.Doc == nil {
		return at.fallback
	}
	p := at.opts.Doc.Paragraphs[engine.ParagraphID(id)]
	if p == nil {
		return at.fallback
	}
	// The words of the segment (a change next to it may have brought its
	// brackets), or, for brackets and punctuation alone, the marks.
	needle := strings.TrimFunc(s.Text, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	if needle == "" {
		needle = strings.TrimSpace(s.Text)
	}
	if needle == "" {
		return at.fallback
	}
	for i := len(p.History) - 1; i >= 0; i-- {
		h := p.History[i]
		if h.Amendment != "" || len(h.Merges) > 0 {
			continue
		}
		if (!at.opts.Since.IsZero() && !h.At.After(at.opts.Since)) || (!at.opts.Until.IsZero() && h.At.After(at.opts.Until)) {
			continue
		}
		in := h.Inserted
		if s.Op == OpDelete {
			in = h.Deleted
		}
		if strings.Contains(in, needle) {
			return Attribution{Author: officeName(h.By), Date: h.At}
		}
	}
	return at.fallback
}

// officeName names who made a change of the text in a tracked change: the
// office of an officer (the role of the seat they held when acting), or
// the secretariat.
func officeName(a engine.Actor) string {
	switch a.Role {
	case engine.RoleChair:
		return "Chair"
	case engine.RoleViceChair:
		return "Vice-Chair"
	case engine.RoleCoChair:
		return "Co-Chair"
	case engine.RoleFacilitator:
		return "Facilitator"
	case engine.RoleOfficer:
		return "Presiding officer"
	}
	return "Secretariat"
}

// isMinor reports whether a segment holds no letters or digits.
func isMinor(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
