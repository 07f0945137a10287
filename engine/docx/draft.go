package docx

import (
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/draftroom/draftroom/engine"
)

// Styles of draftroom's own Word exports that hold a report's metadata
// rather than the text (see engine/export/docx.go).
func reportStyle(style string) bool {
	return strings.HasPrefix(style, "DR") && style != "DRTitle"
}

var (
	suffixPattern = func() string {
		var s []string
		for i := 1; ; i++ {
			w := engine.LatinSuffix(i)
			if strings.Contains(w, ".") {
				break
			}
			s = append(s, w)
		}
		return strings.Join(s, "|")
	}()
	// typed labels at the start of a paragraph's text, as the Markdown
	// importer reads them
	reTypedNumber = regexp.MustCompile(`^(\d{1,4})(?:\s?(` + suffixPattern + `))?(?:\s*(alt)(?:\s*(\d+))?)?\.(?:\s+|$)`)
	reTypedLetter = regexp.MustCompile(`^\(([a-z]{1,4})(?:\s+(` + suffixPattern + `))?(?:\s+(alt)(?:\s+(\d+))?)?\)(?:\s+|$)`)
	// automatic labels as Word prints them ("12.", "(a)", "iv)")
	reAutoLabel = regexp.MustCompile(`^\(?([0-9]{1,4}|[a-zA-Z]{1,8})(?:\s+(` + suffixPattern + `))?[.)]?$`)
	reOption    = regexp.MustCompile(`^\*\*((?:Option|Alternative)\s+[^*:]+?)\s*:?\*\*\s*:?\s*(.*)$`)
	reOptionRaw = regexp.MustCompile(`^((?:Option|Alternative)\s+[^*:]+?)\s*:$`)
)

// label is a paragraph number read from a Word paragraph.
type label struct {
	level             int // 0 "12.", 1 "(a)", 2 "(i)"; -1 none
	base, suffix, alt int
}

// ImportDraft reads a .docx into a draft: the title (a "Title" style, else
// the document's title property), the symbol (draftroom's own "Symbol"
// property), sections from heading styles (heading 1 → level 1, heading
// 2 and below → level 2), numbered paragraphs and subparagraphs from
// Word's automatic numbering (w:numPr with numbering.xml: "1.", "(a)",
// "(i)") or from numbers typed at the start of the text ("12 bis.",
// "(a bis)"), option labels ("Option 1:"), bold and italic as Markdown
// emphasis, footnotes as "[^n]" references with their text appended as
// "[^n]: …" paragraphs at the end (as the Markdown format has them),
// tables as one paragraph per row, cells joined by " | ", and brackets as
// written. Tracked changes are read as accepted; the report says how many.
// Subparagraphs hang under the paragraph before them; an unnumbered
// paragraph indented further than the one before it is its child.
func ImportDraft(b []byte) (engine.Draft, engine.ImportReport, error) {
	var rep engine.ImportReport
	f, err := Read(b)
	if err != nil {
		return engine.Draft{}, rep, err
	}
	return f.Draft(&rep)
}

// Draft builds the draft of a file read with Read, filling rep.
func (f *File) Draft(rep *engine.ImportReport) (engine.Draft, engine.ImportReport, error) {
	if rep == nil {
		rep = &engine.ImportReport{}
	}
	d := engine.Draft{Symbol: f.Props["Symbol"]}
	labels, order := f.footnoteLabels(acceptView)
	fnLabel := func(id string) string { return labels[id] }
	bd := &builder{}
	tracked, carry := 0, []piece(nil)
	for i := range f.Paras {
		p := &f.Paras[i]
		for _, r := range p.Runs {
			if r.Change.Kind != Kept || r.Restyled != nil {
				tracked++
			}
		}
		if p.Mark.Kind != Kept {
			tracked++
		}
		if reportStyle(p.Style) {
			continue
		}
		ps := pieces(p.Runs, acceptView, fnLabel)
		if carry != nil {
			ps = append(carry, ps...)
			carry = nil
		}
		if p.Mark.Kind == Deleted || p.Mark.Kind == MovedFrom {
			// The paragraph mark goes: what is left of the paragraph joins
			// the next one.
			carry = ps
			if carry == nil {
				carry = []piece{}
			}
			continue
		}
		if err := bd.paragraph(f, p, ps, &d); err != nil {
			return engine.Draft{}, *rep, err
		}
	}
	if len(carry) > 0 {
		if err := bd.paragraph(f, &Para{Index: len(f.Paras)}, carry, &d); err != nil {
			return engine.Draft{}, *rep, err
		}
	}
	// Footnotes, in the order of their labels' first use; a label that
	// several references share (draftroom's exports write a footnote per
	// reference, each with the label as its custom mark) is defined once.
	// Numbered labels come in the order of their numbers, as drafts list
	// their footnotes (a text may refer to footnote 4 before footnote 3),
	// the others after them in order of first reference.
	sortLabels(order, func(id string) string { return labels[id] })
	defined := map[string]bool{}
	for _, id := range order {
		if defined[labels[id]] {
			continue
		}
		defined[labels[id]] = true
		runs, ok := f.Footnotes[id]
		if !ok {
			rep.Notes = append(rep.Notes, engine.Note("footnoteMissing", map[string]any{"label": labels[id]}, "footnote reference [^%s] has no footnote text in the file", labels[id]))
			continue
		}
		text := markdown(trimMark(pieces(runs, acceptView, fnLabel), f.customMark(id)))
		bd.add(&Para{Index: len(f.Paras)}, "[^"+labels[id]+"]: "+text, label{level: -1}, 0)
	}
	if d.Title == "" {
		d.Title = f.Title
	}
	if d.Title == "" {
		d.Title = "Untitled draft"
		rep.Notes = append(rep.Notes, engine.Note("docxNoTitle", nil, "the document has no title (no paragraph in the Title style, no title property); it is called \"Untitled draft\""))
	}
	d.Sections = bd.freeze()
	d.Numbering = engine.NumberContinuous
	seen := false
	for _, s := range d.Sections {
		for _, p := range s.Paras {
			if p.Numbered && p.Base > 0 {
				if seen && p.Base == 1 {
					d.Numbering = engine.NumberPerSection
				}
				seen = true
				break
			}
		}
	}
	if tracked > 0 {
		rep.Notes = append(rep.Notes, engine.Note("trackedChanges", map[string]any{"n": tracked}, "%d tracked change(s) read as accepted; to propose them as amendments, import the file as changes to a document", tracked))
	}
	if len(f.Comments) > 0 {
		rep.Notes = append(rep.Notes, engine.Note("comments", map[string]any{"n": len(f.Comments)}, "%d comment(s) not kept in the text", len(f.Comments)))
	}
	if bd.tables > 0 {
		rep.Notes = append(rep.Notes, engine.Note("tableRows", map[string]any{"n": bd.tables}, "%d table row(s) read as paragraphs, cells joined by \" | \"", bd.tables))
	}
	report(d, bd, rep)
	return d, *rep, nil
}

// sortLabels orders footnotes by their labels: numbered labels in the
// order of their numbers, the others after them as they are.
func sortLabels(ids []string, label func(string) string) {
	sort.SliceStable(ids, func(i, j int) bool {
		a, errA := strconv.Atoi(label(ids[i]))
		b, errB := strconv.Atoi(label(ids[j]))
		switch {
		case errA == nil && errB == nil:
			return a < b
		case errA == nil:
			return true
		}
		return false
	})
}

// customMark is the custom reference mark of a footnote, if it has one.
func (f *File) customMark(id string) string {
	for _, p := range f.Paras {
		for _, r := range p.Runs {
			if r.Footnote == id {
				return r.Mark
			}
		}
	}
	return ""
}

// trimMark drops a footnote's custom mark from the start of its text.
func trimMark(ps []piece, mark string) []piece {
	if mark == "" || len(ps) == 0 {
		return ps
	}
	ps = tidyPieces(ps)
	if len(ps) > 0 && strings.HasPrefix(ps[0].text, mark) {
		ps = dropPrefix(ps, len(mark))
	}
	return ps
}

// footnoteLabels gives each footnote referenced in the body its label
// (its custom mark, else its number in order of reference: 1, 2, …) and
// lists the footnotes in order of first reference.
func (f *File) footnoteLabels(v view) (map[string]string, []string) {
	labels := map[string]string{}
	var order []string
	for _, p := range f.Paras {
		for _, r := range p.Runs {
			if r.Footnote == "" {
				continue
			}
			if ok, _ := r.visible(v); !ok {
				continue
			}
			if _, done := labels[r.Footnote]; done {
				continue
			}
			order = append(order, r.Footnote)
			l := r.Mark
			if l == "" {
				l = strconv.Itoa(len(order))
			}
			labels[r.Footnote] = l
		}
	}
	return labels, order
}

// node is a paragraph being built.
type node struct {
	engine.DraftParagraph
	kids   []*node
	level  int
	indent int
}

func (n *node) freeze() engine.DraftParagraph {
	out := n.DraftParagraph
	out.Children = nil
	for _, k := range n.kids {
		out.Children = append(out.Children, k.freeze())
	}
	return out
}

type bsection struct {
	heading string
	level   int
	index   int
	paras   []*node
}

// builder builds the sections and paragraph tree.
type builder struct {
	sections []*bsection
	stack    []*node
	option   string
	optLevel int // -1: the option applies to the next paragraph's level
	lastNum  [3]int
	tables   int
	title    bool
}

func (bd *builder) freeze() []engine.DraftSection {
	var out []engine.DraftSection
	for _, s := range bd.sections {
		ds := engine.DraftSection{Heading: s.heading, Level: s.level}
		for _, p := range s.paras {
			ds.Paras = append(ds.Paras, p.freeze())
		}
		out = append(out, ds)
	}
	return out
}

// paragraph reads one Word paragraph into the draft.
func (bd *builder) paragraph(f *File, p *Para, ps []piece, d *engine.Draft) error {
	ps = tidyPieces(ps)
	plain := ""
	for _, x := range ps {
		plain += x.text
	}
	if strings.TrimSpace(plain) == "" && p.label == "" {
		return nil
	}
	style := f.styleName(p.Style)
	if p.Style == "DRTitle" || style == "title" {
		if d.Title == "" {
			d.Title = markdown(ps)
			return nil
		}
	}
	if h := p.heading; h > 0 {
		text := markdown(ps)
		if p.label != "" && !p.bullet {
			text = strings.TrimSpace(p.label + " " + text)
		}
		bd.stack, bd.option, bd.lastNum = nil, "", [3]int{}
		bd.sections = append(bd.sections, &bsection{heading: text, level: min(max(h, 1), 2), index: p.Index})
		return nil
	}
	lb := label{level: -1}
	switch {
	case p.label != "" && p.bullet:
		ps = append([]piece{{text: "- "}}, ps...)
	case p.label != "":
		lb = bd.autoLabel(p.label, p.numFmt)
		if lb.level < 0 {
			// A label draftroom cannot number ("A.", "Article 1"): text.
			ps = append([]piece{{text: p.label + " "}}, ps...)
		}
	default:
		if m := reTypedNumber.FindStringSubmatch(plain); m != nil && strings.TrimLeft(m[1], "0") != "" {
			base, _ := strconv.Atoi(m[1])
			lb = label{level: 0, base: base, suffix: engine.ParseLatinSuffix(m[2]), alt: alt(m[3], m[4])}
			ps = dropPrefix(ps, len(m[0]))
		} else if m := reTypedLetter.FindStringSubmatch(plain); m != nil {
			if level, base := bd.subNumber(m[1], p); base > 0 {
				lb = label{level: level, base: base, suffix: engine.ParseLatinSuffix(m[2]), alt: alt(m[3], m[4])}
				ps = dropPrefix(ps, len(m[0]))
			}
		}
	}
	if m := reTextParaStyle.FindStringSubmatch(p.Style); m != nil && lb.level >= 0 {
		lb.level = int(m[1][0] - '0') // draftroom's own export says the level
	}
	text := markdown(ps)
	if lb.level < 0 {
		if m := reOption.FindStringSubmatch(text); m != nil {
			bd.option, bd.optLevel = m[1], -1
			if m[2] == "" {
				return nil
			}
			text = m[2]
		} else if m := reOptionRaw.FindStringSubmatch(text); m != nil && (p.Style == "TextOption" || len(text) < 40) {
			bd.option, bd.optLevel = m[1], -1
			return nil
		}
	}
	if p.Table {
		bd.tables++
	}
	if len(text) > engine.MaxParagraphText {
		return bad("paragraph %d is %d bytes; the limit is %d", p.Index, len(text), engine.MaxParagraphText)
	}
	bd.add(p, text, lb, p.Indent)
	return nil
}

var reTextParaStyle = regexp.MustCompile(`^TextPara([0-2])$`)

func alt(word, n string) int {
	if word == "" {
		return 0
	}
	if n == "" {
		return 1
	}
	v, _ := strconv.Atoi(n)
	return v
}

// autoLabel reads an automatic number: decimal formats are paragraphs,
// letters subparagraphs, roman numerals sub-subparagraphs.
func (bd *builder) autoLabel(s, format string) label {
	s = strings.TrimSpace(s)
	m := reAutoLabel.FindStringSubmatch(s)
	if m == nil {
		return label{level: -1}
	}
	v, suffix := strings.ToLower(m[1]), engine.ParseLatinSuffix(m[2])
	switch format {
	case "decimal", "decimalZero":
		n, _ := strconv.Atoi(v)
		if n > 0 && !strings.HasPrefix(s, "(") {
			return label{level: 0, base: n, suffix: suffix}
		}
	case "lowerLetter", "upperLetter":
		if n := letterValue(v); n > 0 {
			return label{level: 1, base: n, suffix: suffix}
		}
	case "lowerRoman", "upperRoman":
		if n := romanValue(v); n > 0 {
			return label{level: 2, base: n, suffix: suffix}
		}
	}
	return label{level: -1}
}

// subNumber reads a typed subparagraph label: letters are level 1, roman
// numerals level 2; a label that is both ("i", "v", "x") is read by what
// came before, as the Markdown importer does ("(i)" after "(h)" is a
// letter, after "(a)" a roman numeral).
func (bd *builder) subNumber(v string, p *Para) (level, base int) {
	letter, rom := letterValue(v), romanValue(v)
	prevLetter, prevRoman := bd.lastNum[1], bd.lastNum[2]
	if m := reTextParaStyle.FindStringSubmatch(p.Style); m != nil {
		switch m[1] {
		case "1":
			return 1, letter
		case "2":
			return 2, rom
		}
	}
	switch {
	case rom > 0 && letter > 0:
		if len(v) > 1 && prevLetter < 26 {
			return 2, rom
		}
		if prevRoman > 0 && (rom == prevRoman || rom == prevRoman+1) {
			return 2, rom
		}
		if prevLetter > 0 && (letter == prevLetter || letter == prevLetter+1) {
			return 1, letter
		}
		if rom == 1 && prevLetter > 0 {
			return 2, rom
		}
		return 1, letter
	case rom > 0:
		if prevLetter > 0 {
			return 2, rom
		}
		return 1, rom
	case letter > 0:
		return 1, letter
	}
	return 0, 0
}

func letterValue(s string) int {
	if s == "" || strings.Trim(s, s[:1]) != "" || s[0] < 'a' || s[0] > 'z' {
		return 0
	}
	return int(s[0]-'a') + 1 + 26*(len(s)-1)
}

func romanValue(s string) int {
	for n := 1; n < 4000; n++ {
		if roman(n) == s {
			return n
		}
		if len(roman(n)) > len(s)+4 && n > 100 {
			break
		}
	}
	return 0
}

// add places a paragraph: a numbered one at its label's level under the
// last paragraph of the level above; an unnumbered one under the deepest
// open paragraph indented less than it (at the top when none is).
func (bd *builder) add(p *Para, text string, lb label, indent int) {
	if len(bd.sections) == 0 {
		bd.sections = append(bd.sections, &bsection{index: p.Index})
	}
	sec := bd.sections[len(bd.sections)-1]
	dp := engine.DraftParagraph{Text: text, Line: p.Index}
	level := 0
	if lb.level >= 0 {
		dp.Numbered, dp.Base, dp.Suffix, dp.Alt = true, lb.base, lb.suffix, lb.alt
		level = min(lb.level, len(bd.stack))
	} else if m := reTextParaStyle.FindStringSubmatch(p.Style); m != nil {
		level = min(int(m[1][0]-'0'), len(bd.stack))
	} else {
		level = 0
		for i, n := range bd.stack {
			if n.indent < indent && indent > 0 {
				level = i + 1
			}
		}
		level = min(level, 2)
	}
	if bd.option != "" {
		if bd.optLevel < 0 {
			bd.optLevel = level
		}
		if level < bd.optLevel {
			bd.option = ""
		} else if level == bd.optLevel {
			dp.Option = bd.option
		}
	}
	n := &node{DraftParagraph: dp, level: level, indent: indent}
	if dp.Numbered {
		bd.lastNum[level] = dp.Base
	}
	for k := level + 1; k < len(bd.lastNum); k++ {
		bd.lastNum[k] = 0
	}
	if level == 0 {
		sec.paras = append(sec.paras, n)
	} else {
		parent := bd.stack[level-1]
		parent.kids = append(parent.kids, n)
	}
	bd.stack = append(bd.stack[:level], n)
}

// report counts what was imported and lists unbalanced brackets, as the
// Markdown importer's report does; Line is the paragraph's position in
// the Word body (from 1).
func report(d engine.Draft, bd *builder, rep *engine.ImportReport) {
	rep.Sections = len(d.Sections)
	check := func(line int, where, text string) {
		t := engine.ParseBrackets(text)
		rep.Brackets += t.Count
		rep.MaxDepth = max(rep.MaxDepth, t.MaxDepth)
		for _, p := range t.Problems {
			rep.Unbalanced = append(rep.Unbalanced, engine.BracketIssue{Line: line, Where: where, Offset: p.Offset, Char: p.Char, Message: p.Message})
		}
	}
	var doc engine.Document
	for si, s := range d.Sections {
		secName := fmt.Sprintf("section %d", si+1)
		if s.Heading != "" {
			secName = fmt.Sprintf("section %q", s.Heading)
			check(bd.sections[si].index, "heading of "+secName, s.Heading)
		}
		var walk func(ps []engine.DraftParagraph, prefix string, level int)
		walk = func(ps []engine.DraftParagraph, prefix string, level int) {
			unnumbered := 0
			for _, p := range ps {
				rep.Paragraphs++
				lbl := ""
				if p.Numbered && p.Base > 0 {
					lbl = doc.Number(&engine.Paragraph{Numbered: true, Level: level, Base: p.Base, Suffix: p.Suffix, Alt: p.Alt})
				}
				if lbl == "" {
					unnumbered++
					lbl = fmt.Sprintf("unnumbered paragraph %d", unnumbered)
					if prefix != "" {
						lbl = "text " + strconv.Itoa(unnumbered)
					}
				} else if prefix == "" {
					lbl = "paragraph " + lbl
				}
				where := secName + ", " + strings.TrimSpace(prefix+" "+lbl)
				check(p.Line, where+" (Word paragraph "+strconv.Itoa(p.Line)+")", p.Text)
				walk(p.Children, strings.TrimSpace(prefix+" "+lbl), level+1)
			}
		}
		walk(s.Paras, "", 0)
	}
}
