package engine

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxImportBytes is the largest draft ImportDraft accepts.
const MaxImportBytes = 8 << 20

// ImportReport says what an import found: counts, and every unbalanced
// bracket with where it is.
type ImportReport struct {
	Sections   int            `json:"sections"`
	Paragraphs int            `json:"paragraphs"` // paragraphs and subparagraphs
	Brackets   int            `json:"brackets"`   // matched bracket pairs
	MaxDepth   int            `json:"maxDepth"`   // deepest nesting
	Unbalanced []BracketIssue `json:"unbalanced,omitempty"`
	Notes      []string       `json:"notes,omitempty"` // things read but not kept as text, e.g. front matter keys
}

// BracketIssue is an unbalanced bracket found on import.
type BracketIssue struct {
	Line    int    `json:"line"`    // source line where the paragraph or heading starts, from 1
	Where   string `json:"where"`   // e.g. `section "Article 3", paragraph 2 (a)`
	Offset  int    `json:"offset"`  // character offset in the paragraph text
	Char    string `json:"char"`    // "[" or "]"
	Message string `json:"message"` // what is wrong
}

// String renders the issue as one line for a report.
func (b BracketIssue) String() string {
	return fmt.Sprintf("line %d, %s, character %d: %s", b.Line, b.Where, b.Offset, b.Message)
}

var (
	reHeading  = regexp.MustCompile(`^(#{1,6})\s+(.*?)\s*$`)
	reSymbol   = regexp.MustCompile(`^<!--\s*symbol:\s*(.*?)\s*-->\s*$`)
	reOption   = regexp.MustCompile(`^\*\*((?:Option|Alternative)\s+[^*:]+?)\s*:?\*\*\s*:?\s*(.*)$`)
	reNumbered = regexp.MustCompile(`^(\d{1,4})(?:\s?(` + strings.Join(latinSuffixes, "|") + `))?(?:\s*(alt)(?:\s*(\d+))?)?\.(?:\s+|$)`)
	reLettered = regexp.MustCompile(`^\(?([a-z]{1,4})(?:\s+(` + strings.Join(latinSuffixes, "|") + `))?(?:\s+(alt)(?:\s+(\d+))?)?\)(?:\s+|$)`)
	reBullet   = regexp.MustCompile(`^[-*+]\s+`)
)

// ImportDraft reads a draft in plain text or Markdown: a "# " title, an
// optional "<!-- symbol: … -->" line, "##"/"###" section headings,
// numbered paragraphs ("1.", "12 bis.", "17 alt."), lettered and roman
// subparagraphs ("(a)", "(i)", nested by indentation or by kind),
// "**Option 1:**" lines for paragraph-level options, emphasis and square
// brackets. Text is kept as written (hard-wrapped lines are joined with a
// space), so every paragraph of the source survives. Unbalanced brackets are
// not fatal: they are listed in the report with their paragraph, line and
// character offset.
func ImportDraft(src string) (Draft, ImportReport, error) {
	var rep ImportReport
	if len(src) > MaxImportBytes {
		return Draft{}, rep, Errorf(EINVALID, "the draft is %d bytes; the limit is %d", len(src), MaxImportBytes)
	}
	if !utf8.ValidString(src) {
		line := 1 + strings.Count(src[:firstInvalid(src)], "\n")
		return Draft{}, rep, Errorf(EINVALID, "line %d is not valid UTF-8", line)
	}
	src = strings.TrimPrefix(src, "\ufeff")
	src = strings.ReplaceAll(src, "\r\n", "\n")
	lines := strings.Split(src, "\n")
	im := &importer{}
	start := im.frontMatter(lines, &rep)
	for i := start; i < len(lines); i++ {
		if err := im.line(i+1, strings.ReplaceAll(lines[i], "\t", "    ")); err != nil {
			return Draft{}, rep, err
		}
	}
	d := im.draft
	if len(im.sections) > 0 {
		d.Sections = make([]DraftSection, len(im.sections))
		for i, s := range im.sections {
			d.Sections[i] = s.freeze()
		}
	}
	if d.Title == "" {
		d.Title = "Untitled draft"
		rep.Notes = append(rep.Notes, "the draft has no '# ' title; it is called \"Untitled draft\"")
	}
	for _, sec := range im.sections {
		if err := tooLong(sec.paras); err != nil {
			return Draft{}, rep, err
		}
	}
	d.Numbering = detectNumbering(d)
	if im.comments > 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("%s not kept", plural(im.comments, "HTML comment line")))
	}
	im.report(d, &rep)
	return d, rep, nil
}

func firstInvalid(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return len(s)
}

// para is a paragraph being built, with its children.
type para struct {
	DraftParagraph
	kids   []*para
	indent int
	level  int
}

func (p *para) freeze() DraftParagraph {
	out := p.DraftParagraph
	out.Children = nil
	for _, k := range p.kids {
		out.Children = append(out.Children, k.freeze())
	}
	return out
}

type section struct {
	heading string
	level   int
	line    int
	paras   []*para
}

func (s *section) freeze() DraftSection {
	out := DraftSection{Heading: s.heading, Level: s.level}
	for _, p := range s.paras {
		out.Paras = append(out.Paras, p.freeze())
	}
	return out
}

type importer struct {
	draft    Draft
	sections []*section
	stack    []*para // open paragraphs by nesting, for attaching children
	current  *para   // paragraph still taking continuation lines
	option   string
	optLevel int
	comments int
	lastNum  [3]int // number of the last numbered paragraph at each level
}

// frontMatter skips a YAML front matter block, keeping its title.
func (im *importer) frontMatter(lines []string, rep *ImportReport) int {
	if len(lines) == 0 || strings.TrimSpace(lines[0]) != "---" {
		return 0
	}
	for i := 1; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == "---" {
			return i + 1
		}
		if k, v, ok := strings.Cut(l, ":"); ok {
			switch strings.TrimSpace(k) {
			case "title":
				im.draft.Title = strings.Trim(strings.TrimSpace(v), `"'`)
			case "symbol":
				im.draft.Symbol = strings.Trim(strings.TrimSpace(v), `"'`)
			default:
				rep.Notes = append(rep.Notes, fmt.Sprintf("front matter %q not kept", strings.TrimSpace(k)))
			}
		}
	}
	return 0
}

func (im *importer) line(n int, raw string) error {
	trimmed := strings.TrimSpace(raw)
	indent := len(raw) - len(strings.TrimLeft(raw, " "))
	if trimmed == "" {
		im.current = nil
		return nil
	}
	if m := reHeading.FindStringSubmatch(trimmed); m != nil && indent < 4 {
		im.current, im.stack, im.option, im.lastNum = nil, nil, "", [3]int{}
		if len(m[1]) == 1 && im.draft.Title == "" {
			im.draft.Title = m[2]
			return nil
		}
		im.sections = append(im.sections, &section{heading: m[2], level: max(1, len(m[1])-1), line: n})
		return nil
	}
	if m := reSymbol.FindStringSubmatch(trimmed); m != nil {
		im.draft.Symbol = m[1]
		return nil
	}
	if strings.HasPrefix(trimmed, "<!--") && strings.HasSuffix(trimmed, "-->") {
		// A comment line separates Markdown lists; it is not text.
		im.current = nil
		im.comments++
		return nil
	}
	if m := reOption.FindStringSubmatch(trimmed); m != nil {
		im.current = nil
		im.option = m[1]
		im.optLevel = im.levelFor(indent)
		if m[2] != "" {
			im.add(n, indent, m[2], DraftParagraph{})
		}
		return nil
	}
	if m := reNumbered.FindStringSubmatch(trimmed); m != nil && strings.TrimLeft(m[1], "0") != "" {
		// Paragraphs are numbered from 1: "0." or "00 alt." is text.
		base, _ := strconv.Atoi(m[1])
		dp := DraftParagraph{Numbered: true, Base: base, Suffix: ParseLatinSuffix(m[2])}
		if m[3] != "" {
			dp.Alt = 1
			if m[4] != "" {
				dp.Alt, _ = strconv.Atoi(m[4])
			}
		}
		im.add(n, indent, trimmed[len(m[0]):], dp)
		return nil
	}
	if m := reLettered.FindStringSubmatch(trimmed); m != nil {
		hint := 0
		if indent > 0 {
			hint = im.levelFor(indent)
		}
		if level, base := im.subNumber(m[1], hint); base > 0 {
			dp := DraftParagraph{Numbered: true, Base: base, Suffix: ParseLatinSuffix(m[2])}
			if m[3] != "" {
				dp.Alt = 1
				if m[4] != "" {
					dp.Alt, _ = strconv.Atoi(m[4])
				}
			}
			if indent == 0 {
				indent = level // "(a)" at the margin still belongs to the paragraph above
			}
			im.add(n, indent, trimmed[len(m[0]):], dp)
			return nil
		}
	}
	if reBullet.MatchString(trimmed) && !strings.HasPrefix(trimmed, "**") {
		im.add(n, indent, trimmed, DraftParagraph{})
		return nil
	}
	if im.current != nil {
		im.current.Text += " " + trimmed
		return nil
	}
	if strings.HasPrefix(trimmed, `\`) && readsAsStructure(strings.TrimLeft(trimmed, `\`)) {
		trimmed = trimmed[1:] // an escaped marker: the text starts with it
	}
	im.add(n, indent, trimmed, DraftParagraph{})
	return nil
}

// readsAsStructure reports whether a line would be read as a heading,
// paragraph number, subparagraph label, option label or comment rather than
// as text.
func readsAsStructure(line string) bool {
	return reHeading.MatchString(line) || reOption.MatchString(line) || reNumbered.MatchString(line) ||
		reLettered.MatchString(line) || strings.HasPrefix(line, "<!--")
}

// subNumber reads a subparagraph label: letters are level 1, roman
// numerals level 2. Indentation decides where it tells; otherwise labels
// that are both ("i", "v", "x", "c") are read by
// what came before: the next letter after "(h)" is "(i)", the next roman
// after "(iv)" is "(v)", and a first "(i)" under a letter is roman.
func (im *importer) subNumber(label string, hint int) (level, base int) {
	prevLetter, prevRoman := im.lastNum[1], im.lastNum[2]
	letter, roman := parseLetterNumber(label), parseRomanNumber(label)
	switch {
	case roman > 0 && letter > 0 && hint == 2:
		return 2, roman // indented under a subparagraph
	case roman > 0 && letter > 0 && hint == 1 && !(prevLetter == 0 && len(label) > 1):
		return 1, letter
	case roman > 0 && letter > 0:
		if len(label) > 1 && prevLetter < 26 {
			return 2, roman // "ii" is roman unless the letters ran past "z"
		}
		if prevRoman > 0 && (roman == prevRoman || roman == prevRoman+1) {
			return 2, roman
		}
		if prevLetter > 0 && (letter == prevLetter || letter == prevLetter+1) {
			return 1, letter
		}
		if roman == 1 && prevLetter > 0 {
			return 2, roman
		}
		return 1, letter
	case roman > 0:
		if prevLetter > 0 {
			return 2, roman
		}
		return 1, roman
	case letter > 0:
		return 1, letter
	}
	return 0, 0
}

// levelFor is the nesting level a block at this indentation would take.
func (im *importer) levelFor(indent int) int {
	n := 0
	for _, p := range im.stack {
		if p.indent < indent {
			n++
		}
	}
	return min(n, 2)
}

// add opens a new paragraph at the given indentation.
func (im *importer) add(line, indent int, text string, dp DraftParagraph) {
	if len(im.sections) == 0 {
		im.sections = append(im.sections, &section{line: line})
	}
	sec := im.sections[len(im.sections)-1]
	for len(im.stack) > 0 && im.stack[len(im.stack)-1].indent >= indent {
		im.stack = im.stack[:len(im.stack)-1]
	}
	level := min(len(im.stack), 2)
	dp.Text, dp.Line = text, line
	if im.option != "" {
		if level < im.optLevel {
			im.option = ""
		} else if level == im.optLevel {
			dp.Option = im.option
		}
	}
	p := &para{DraftParagraph: dp, indent: indent, level: level}
	if dp.Numbered {
		im.lastNum[level] = dp.Base
	}
	for k := level + 1; k < len(im.lastNum); k++ {
		im.lastNum[k] = 0
	}
	if level == 0 {
		sec.paras = append(sec.paras, p)
	} else {
		parent := im.stack[level-1]
		parent.kids = append(parent.kids, p)
	}
	im.stack = append(im.stack[:min(len(im.stack), level+1)], p)
	im.current = p
}

// tooLong refuses a paragraph longer than MaxParagraphText before anything
// parses it, naming its line: a crafted draft must not exhaust memory.
func tooLong(ps []*para) error {
	for _, p := range ps {
		if len(p.Text) > MaxParagraphText {
			return Errorf(EINVALID, "the paragraph at line %d is %d bytes; the limit is %d", p.Line, len(p.Text), MaxParagraphText)
		}
		if err := tooLong(p.kids); err != nil {
			return err
		}
	}
	return nil
}

// detectNumbering chooses per-section numbering when top-level numbers
// restart in a later section, as treaty articles do.
func detectNumbering(d Draft) Numbering {
	seen := false
	for _, s := range d.Sections {
		for _, p := range s.Paras {
			if p.Numbered && p.Base > 0 {
				if seen && p.Base == 1 {
					return NumberPerSection
				}
				seen = true
				break
			}
		}
	}
	return NumberContinuous
}

// report counts what was imported and lists unbalanced brackets.
func (im *importer) report(d Draft, rep *ImportReport) {
	rep.Sections = len(d.Sections)
	check := func(line int, where, text string) {
		t := ParseBrackets(text)
		rep.Brackets += t.Count
		rep.MaxDepth = max(rep.MaxDepth, t.MaxDepth)
		for _, p := range t.Problems {
			rep.Unbalanced = append(rep.Unbalanced, BracketIssue{Line: line, Where: where, Offset: p.Offset, Char: p.Char, Message: p.Message})
		}
	}
	for si, s := range d.Sections {
		secName := fmt.Sprintf("section %d", si+1)
		if s.Heading != "" {
			secName = fmt.Sprintf("section %q", s.Heading)
			check(im.sections[si].line, "heading of "+secName, s.Heading)
		}
		var walk func(ps []DraftParagraph, prefix string, level int)
		walk = func(ps []DraftParagraph, prefix string, level int) {
			unnumbered := 0
			for _, p := range ps {
				rep.Paragraphs++
				label := draftLabel(p, level)
				if label == "" {
					unnumbered++
					label = fmt.Sprintf("unnumbered paragraph %d", unnumbered)
					if prefix != "" {
						label = "text " + strconv.Itoa(unnumbered)
					}
				} else if prefix == "" {
					label = "paragraph " + label
				}
				where := secName + ", " + strings.TrimSpace(prefix+" "+label)
				check(p.Line, where, p.Text)
				walk(p.Children, strings.TrimSpace(prefix+" "+label), level+1)
			}
		}
		walk(s.Paras, "", 0)
	}
}

// draftLabel is the number a draft paragraph had in its source.
func draftLabel(p DraftParagraph, level int) string {
	if !p.Numbered || p.Base == 0 {
		return ""
	}
	var d Document
	return d.Number(&Paragraph{Numbered: true, Level: level, Base: p.Base, Suffix: p.Suffix, Alt: p.Alt})
}

// FormatDraft writes an outline back in the import format. Importing the
// result gives the same sections, paragraph texts, numbers and options.
func FormatDraft(o Outline) string {
	var b strings.Builder
	b.WriteString("# " + o.Title + "\n")
	if o.Symbol != "" {
		b.WriteString("<!-- symbol: " + o.Symbol + " -->\n")
	}
	for _, s := range o.Sections {
		if s.Heading != "" {
			b.WriteString("\n" + strings.Repeat("#", s.Level+1) + " " + s.Heading + "\n")
		}
		writeParas(&b, s.Paras, "")
	}
	return b.String()
}

func writeParas(b *strings.Builder, ps []OutlineParagraph, indent string) {
	option := ""
	for _, p := range ps {
		b.WriteString("\n")
		if p.Option != option {
			option = p.Option
			if option != "" {
				b.WriteString(indent + "**" + option + ":**\n\n")
			}
		}
		b.WriteString(indent)
		if p.Number != "" {
			if p.Level == 0 {
				b.WriteString(p.Number + ". ")
			} else {
				b.WriteString(p.Number + " ")
			}
		}
		text := p.Text
		if p.Number == "" && readsAsStructure(strings.TrimLeft(text, `\`)) {
			text = `\` + text // escape, so that it is read back as text
		}
		b.WriteString(text + "\n")
		writeParas(b, p.Children, indent+"    ")
	}
}
