package engine

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxImportBytes is the largest draft ImportDraft accepts.
const MaxImportBytes = 8 << 20

// ImportReport says what an import found: counts, every bracket pair that
// spans paragraphs, and every bracket with no partner, with where it is.
// Brackets are matched over the whole text (MatchBrackets), headings
// included.
type ImportReport struct {
	Sections   int            `json:"sections"`
	Paragraphs int            `json:"paragraphs"` // paragraphs and subparagraphs
	Brackets   int            `json:"brackets"`   // matched bracket pairs, within or across paragraphs
	MaxDepth   int            `json:"maxDepth"`   // deepest nesting, counted across paragraphs
	Spanning   []BracketSpan  `json:"spanning,omitempty"`
	Unbalanced []BracketIssue `json:"unbalanced,omitempty"` // brackets with no partner anywhere
	Notes      []ReportNote   `json:"notes,omitempty"`      // things read but not kept as text, e.g. front matter keys
}

// ReportNote is a note of an import report. Key names what it says and
// Params its particulars, so that an interface words it in its reader's
// language; Text says it in English, for the command line and logs.
type ReportNote struct {
	Key    string         `json:"key"`
	Params map[string]any `json:"params,omitempty"`
	Text   string         `json:"text"`
}

// Note makes a report note.
func Note(key string, params map[string]any, format string, args ...any) ReportNote {
	return ReportNote{Key: key, Params: params, Text: fmt.Sprintf(format, args...)}
}

// String is the note in English.
func (n ReportNote) String() string { return n.Text }

// BracketSpan is a matched bracket pair that opens in one paragraph (or
// heading) and closes in a later one: not an error, but worth knowing, as
// settling it settles text in several paragraphs.
type BracketSpan struct {
	Line      int    `json:"line"`      // source line of the paragraph where it opens
	EndLine   int    `json:"endLine"`   // source line of the paragraph where it closes
	Where     string `json:"where"`     // the section, e.g. `section "Article 3"`
	Offset    int    `json:"offset"`    // character offset of "[" in its paragraph
	EndOffset int    `json:"endOffset"` // character offset of "]" in its paragraph
	Depth     int    `json:"depth"`     // 1 for a bracket inside no other
	Message   string `json:"message"`   // e.g. "spans paragraphs 12–14"
}

// String renders the span as one line for a report.
func (b BracketSpan) String() string {
	return fmt.Sprintf("lines %d–%d, %s: %s (opens at character %d, closes at character %d)", b.Line, b.EndLine, b.Where, b.Message, b.Offset, b.EndOffset)
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
	reHeading = regexp.MustCompile(`^(#{1,6})\s+(.*?)\s*$`)
	reSymbol  = regexp.MustCompile(`^<!--\s*symbol:\s*(.*?)\s*-->\s*$`)
	// reOption is a bold option label: "**Option 1:**", "**Alt.**".
	reOption = regexp.MustCompile(`^\*\*((?:Option|Alternative)(?:\s+[^*:]+?)?|Alt\.?(?:\s*[^*:\s][^*:]*?)?)\s*:?\*\*\s*:?\s*(.*)$`)
	// rePlainOption is an option label without emphasis, with a colon:
	// "Option 1:", "Option (a):", "Alternative 2:", "Alt.:", "Alt 2:".
	rePlainOption = regexp.MustCompile(`^((?:Option|OPTION|Alternative|ALTERNATIVE)(?:\s+(?:\d{1,3}|[A-Za-z]|[IVX]{1,5}|\([a-z0-9]{1,4}\))(?:\s?(?:` + strings.Join(latinSuffixes, "|") + `))?)?|Alt\.?(?:\s?\d{1,3})?)\s*:\s*(.*)$`)
	// reAltLabel is "Alt." or "Alt. 2" before text, or a label alone on
	// its line: "Option 2", "Alternative 3", "Alt".
	reAltLabel  = regexp.MustCompile(`^(Alt\.(?:\s?\d{1,3})?)(?:\s+(.*))?$`)
	reLoneLabel = regexp.MustCompile(`^((?:Option|OPTION|Alternative|ALTERNATIVE)\s+(?:\d{1,3}|[A-Z]|\([a-z0-9]{1,4}\))|Alt)$`)
	// reNumbered is a paragraph number: "12.", "12 bis.", "9bis.", "17 alt.",
	// "1.Recalling" (no space before a word), "[1. " (a bracket opened
	// before the number, kept in the text).
	reNumbered = regexp.MustCompile(`^(\[*)(\d{1,4})(?:\s?(` + strings.Join(latinSuffixes, "|") + `))?(?:\s*(alt)(?:\s*(\d+))?)?\.(\s+|$|[\p{Lu}\p{Lo}"“‘'*(\[])`)
	// reLettered is a subparagraph label: "(a)", "a)", "(a bis)",
	// "(a)bis.", "[(b) " (a bracket before the label, kept in the text).
	reLettered = regexp.MustCompile(`^(\[*)\(?([a-z]{1,4})(?:\s+(` + strings.Join(latinSuffixes, "|") + `))?(?:\s+(alt)(?:\s+(\d+))?)?\)(?:\s?(` + strings.Join(latinSuffixes, "|") + `)\.)?(\s+|$|[\p{Lu}"“‘'*(\[])`)
	// rePreamble is a preambular or operative label of a resolution:
	// "PP1", "OP 3.", "Op2 bis:", "pp4)".
	rePreamble = regexp.MustCompile(`^(\[*)(PP|Pp|pp|OP|Op|op)\s?(\d{1,3})(?:\s?(` + strings.Join(latinSuffixes, "|") + `))?(?:\s*(alt)(?:\s*(\d+))?)?[.:)]?(?:\s+|$)`)
	// reRecital is a lettered preambular paragraph: "A. Whereas …".
	reRecital = regexp.MustCompile(`^(\[*)([A-Z])\.(?:\s+|$)`)
	reBullet  = regexp.MustCompile(`^[-*+](?:\s+|$)`)
	// reSuffixFirst is text that starts like the suffix of "(a) bis.".
	reSuffixFirst = regexp.MustCompile(`^(?:` + strings.Join(latinSuffixes, "|") + `)\.`)
	// reKeywordHeading is a plain-text heading that starts with a word
	// such as "Article 3 bis", "CHAPTER I – GENERAL PROVISIONS", "Annex",
	// "Статья 2", "第三条"; a title after the word needs a number.
	reKeywordHeading = regexp.MustCompile(`^(?:(?:` + headingWords + `)\s+(?:\d{1,3}|[IVXLC]{1,7}|[A-Z])(?:\s?(?:` + strings.Join(latinSuffixes, "|") + `))?(?:\s*[.:\-–—]?\s+(\S.*)|\s*[.:]?)|(?:` + headingWords + `)\s*[.:]?|第[一二三四五六七八九十百零〇0-9]{1,6}[条章部分节编](?:\s*(\S.*))?)$`)
	reHeadingWord    = regexp.MustCompile(`^(` + headingWords + `|第[一二三四五六七八九十百零〇0-9]{1,6}[条章部分节编])`)
	// reLabelHeading is a plain-text heading with a roman or capital
	// letter label: "I. Introduction", "A. Background".
	reLabelHeading = regexp.MustCompile(`^([IVXLC]{1,7}|[A-Z])\.\s+(\S.*)$`)
)

// headingWords start plain-text headings in the six UN languages and
// Spanish and French legislative texts; the rank tells nesting (lower is
// higher).
const headingWords = `Part|PART|Partie|PARTIE|Parte|PARTE|Часть|ЧАСТЬ|الجزء|Title|TITLE|Titre|TITRE|Título|TÍTULO|` +
	`Chapter|CHAPTER|Chapitre|CHAPITRE|Capítulo|CAPÍTULO|Глава|ГЛАВА|الفصل|` +
	`Section|SECTION|Sección|SECCIÓN|Раздел|РАЗДЕЛ|` +
	`Article|ARTICLE|Artículo|ARTÍCULO|Статья|СТАТЬЯ|المادة|` +
	`Annex|ANNEX|Annexe|ANNEXE|Anexo|ANEXO|Приложение|ПРИЛОЖЕНИЕ|المرفق|Appendix|APPENDIX|Appendice|Apéndice|` +
	`Preamble|PREAMBLE|Préambule|PRÉAMBULE|Preámbulo|PREÁMBULO|Преамбула|ПРЕАМБУЛА|الديباجة`

// headingRank is how high a plain-text heading stands: parts and annexes
// 0, chapters and roman-numbered headings 1, sections and lettered
// headings 2, articles and the preamble 3.
func headingRank(word, label string) int {
	switch {
	case word == "":
		if len(label) == 1 && label != "I" && label != "V" && label != "X" {
			return 2
		}
		return 1
	case strings.ContainsAny(word, "部编"):
		return 0
	case strings.Contains(word, "章"):
		return 1
	case strings.Contains(word, "节"):
		return 2
	case strings.Contains(word, "条"):
		return 3
	}
	w := strings.ToLower(word)
	for _, g := range []struct {
		rank  int
		words string
	}{
		{0, "part partie parte часть الجزء title titre título annex annexe anexo приложение المرفق appendix appendice apéndice"},
		{1, "chapter chapitre capítulo глава الفصل"},
		{2, "section sección раздел"},
	} {
		for _, x := range strings.Fields(g.words) {
			if w == x {
				return g.rank
			}
		}
	}
	return 3
}

// ImportDraft reads a draft in plain text or Markdown: a "# " title, an
// optional "<!-- symbol: … -->" line, "##"/"###" section headings or
// plain-text headings ("Article 3 bis", "CHAPTER I", "A. Introduction",
// "II. Mandate" on a line of their own), numbered paragraphs ("1.", "12
// bis.", "9bis.", "17 alt.", "1.Recalling", "[1. " with the bracket kept in
// the text), resolution labels ("PP1" for an unnumbered preambular
// paragraph, "OP1" for operative paragraph 1), lettered preambular
// paragraphs ("A.", "B.", …), lettered and roman subparagraphs ("(a)",
// "(i)", "(a)bis."), option labels ("**Option 1:**", "Option 2:",
// "Alternative 2:", "Alt."), emphasis and square brackets. The level of a
// numbered line comes from its numbering scheme (digits are paragraphs,
// letters subparagraphs, roman numerals under letters), indentation only
// settling labels that could be either. Text is kept as written
// (hard-wrapped lines are joined with a space), so every paragraph of the
// source survives. Brackets are matched over the whole text: a bracket
// that closes in a later paragraph is reported as spanning those
// paragraphs, and only a bracket with no partner anywhere is reported as
// unbalanced, with its paragraph, line and character offset.
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
	for i, l := range lines {
		lines[i] = strings.ReplaceAll(l, "\t", "    ")
	}
	im := &importer{lines: lines, topRank: -1}
	start := im.frontMatter(lines, &rep)
	for i := start; i < len(lines); i++ {
		im.line(i)
		i += im.skip
		im.skip = 0
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
		rep.Notes = append(rep.Notes, Note("noTitle", nil, "the draft has no '# ' title; it is called \"Untitled draft\""))
	}
	for _, sec := range im.sections {
		if err := tooLong(sec.paras); err != nil {
			return Draft{}, rep, err
		}
	}
	d.Numbering = detectNumbering(d)
	if im.comments > 0 {
		rep.Notes = append(rep.Notes, Note("htmlComments", map[string]any{"n": im.comments}, "%s not kept", plural(im.comments, "HTML comment line")))
	}
	rep.Notes = append(rep.Notes, im.labels.notes()...)
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
	label  string // a label read and not kept ("PP3", "B."), kept as the text if there is no other
}

func (p *para) freeze() DraftParagraph {
	out := p.DraftParagraph
	if !out.Numbered && out.Text == "" {
		out.Text = p.label // "PP3" alone is text, not an empty paragraph
	}
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
	lines        []string
	draft        Draft
	sections     []*section
	stack        []*para // open paragraphs by level, for attaching children
	current      *para   // paragraph still taking continuation lines
	option       string
	optLevel     int  // level of the paragraphs the option holds
	optIndent    int  // indentation of the option label: text left of it ends the option
	optFirst     bool // the next paragraph is the first of the option
	optOwned     bool // the label followed a number standing alone ("60."): the next number ends it
	optProvision bool // the option's first paragraph is unnumbered text ending as a provision ends
	comments     int
	lastNum      [3]int  // number of the last numbered paragraph at each level
	digits       [3]bool // whether the last subparagraph at a level was numbered with digits
	listIndent   [3]int  // indentation of that subparagraph
	recital      byte    // letter of the last lettered preambular paragraph in this section
	topRank      int     // rank of the highest plain-text heading so far, -1 before any
	labels       labelLog
	skip         int // lines after this one that it took in (a heading's title line)
}

// labelLog remembers the resolution and preambular labels read, for the
// report's notes.
type labelLog struct {
	pp, op, recitals []string // labels as written, in order
	ppLines          []int
	lost             []ReportNote // labels whose number could not be kept
}

func (l labelLog) notes() []ReportNote {
	var out []ReportNote
	span := func(ls []string) string {
		if len(ls) == 1 {
			return ls[0]
		}
		return ls[0] + "–" + ls[len(ls)-1]
	}
	if len(l.pp) > 0 {
		out = append(out, Note("preambularLabels", map[string]any{"n": len(l.pp), "labels": span(l.pp)}, "%d preambular label(s) %s read as unnumbered preambular paragraphs, as a resolution is issued; the k-th of a section is its intro_k", len(l.pp), span(l.pp)))
	}
	if len(l.op) > 0 {
		out = append(out, Note("operativeLabels", map[string]any{"n": len(l.op), "labels": span(l.op)}, "%d operative label(s) %s read as numbered paragraphs", len(l.op), span(l.op)))
	}
	if len(l.recitals) > 0 {
		out = append(out, Note("letteredRecitals", map[string]any{"n": len(l.recitals), "labels": span(l.recitals)}, "%d lettered preambular paragraph(s) %s read as unnumbered preambular paragraphs, in order", len(l.recitals), span(l.recitals)))
	}
	const most = 10
	for i, s := range l.lost {
		if i == most {
			out = append(out, Note("moreOutOfSequence", map[string]any{"n": len(l.lost) - most}, "and %d more label(s) out of sequence", len(l.lost)-most))
			break
		}
		out = append(out, s)
	}
	return out
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
				rep.Notes = append(rep.Notes, Note("frontMatter", map[string]any{"key": strings.TrimSpace(k)}, "front matter %q not kept", strings.TrimSpace(k)))
			}
		}
	}
	return 0
}

// startSection opens a section and forgets the paragraphs before it.
func (im *importer) startSection(n int, heading string, level int) {
	im.current, im.stack, im.option, im.lastNum, im.digits, im.recital = nil, nil, "", [3]int{}, [3]bool{}, 0
	im.sections = append(im.sections, &section{heading: heading, level: level, line: n})
}

// line reads source line i (from 0).
func (im *importer) line(i int) {
	n, raw := i+1, im.lines[i]
	trimmed := strings.TrimSpace(raw)
	indent := len(raw) - len(strings.TrimLeft(raw, " "))
	if trimmed == "" {
		im.current = nil
		return
	}
	if m := reHeading.FindStringSubmatch(trimmed); m != nil && indent < 4 {
		if len(m[1]) == 1 && im.draft.Title == "" {
			im.current, im.stack, im.option, im.lastNum, im.digits, im.recital = nil, nil, "", [3]int{}, [3]bool{}, 0
			im.draft.Title = m[2]
			return
		}
		im.startSection(n, m[2], max(1, len(m[1])-1))
		return
	}
	if m := reSymbol.FindStringSubmatch(trimmed); m != nil {
		im.draft.Symbol = m[1]
		return
	}
	if strings.HasPrefix(trimmed, "<!--") && strings.HasSuffix(trimmed, "-->") {
		// A comment line separates Markdown lists and ends an option; it
		// is not text.
		im.current, im.option = nil, ""
		im.comments++
		return
	}
	if label, rest, ok := optionLabel(trimmed); ok {
		im.current = nil
		level := im.levelFor(indent)
		// The next option of the same choice is owned as the first was.
		owned := im.option != "" && im.optOwned && level == im.optLevel
		owner := im.stack
		if len(owner) > level {
			owner = owner[:level+1]
		}
		if o := len(owner) - 1; o >= 0 && owner[o].Numbered && owner[o].Text == "" && owner[o].level == level {
			owned = true
		}
		im.option, im.optIndent, im.optFirst, im.optLevel, im.optOwned = label, indent, true, level, owned
		if rest != "" {
			im.body(n, indent, rest)
		}
		return
	}
	if m := reNumbered.FindStringSubmatch(trimmed); m != nil && strings.TrimLeft(m[2], "0") != "" {
		// Paragraphs are numbered from 1: "0." or "00 alt." is text. A
		// number is a paragraph whatever its indentation.
		base, _ := strconv.Atoi(m[2])
		dp := DraftParagraph{Numbered: true, Base: base, Suffix: ParseLatinSuffix(m[3]), Alt: altNumber(m[4], m[5])}
		level := im.numberLevel(indent, dp)
		im.add(n, indent, level, m[1]+afterMarker(trimmed, m[0], m[6]), dp)
		im.digits[level], im.listIndent[level] = level > 0, indent
		return
	}
	if m := rePreamble.FindStringSubmatch(trimmed); m != nil && strings.TrimLeft(m[3], "0") != "" {
		im.resolutionLabel(n, indent, trimmed, m)
		return
	}
	if m := reLettered.FindStringSubmatch(trimmed); m != nil {
		hint := 0
		if indent > 0 {
			hint = im.levelFor(indent)
		}
		if level, base := im.subNumber(m[2], hint); base > 0 && len(im.stack) >= level && labelFits(level, base) {
			suffix := ParseLatinSuffix(m[3])
			if suffix == 0 {
				suffix = ParseLatinSuffix(m[6])
			}
			dp := DraftParagraph{Numbered: true, Base: base, Suffix: suffix, Alt: altNumber(m[4], m[5])}
			if indent == 0 {
				indent = level // "(a)" at the margin still belongs to the paragraph above
			}
			im.add(n, indent, level, m[1]+afterMarker(trimmed, m[0], m[7]), dp)
			return
		}
	}
	if im.current == nil {
		if heading, rank, ok := im.plainHeading(i, trimmed, indent); ok {
			level := 1
			if im.topRank >= 0 && im.topRank < rank {
				level = 2
			}
			if im.topRank < 0 || rank < im.topRank {
				im.topRank = rank
			}
			im.startSection(n, heading, level)
			return
		}
	}
	if m := reRecital.FindStringSubmatch(trimmed); m != nil && im.recitalFollows(i, m[2][0]) {
		im.recital = m[2][0]
		im.labels.recitals = append(im.labels.recitals, m[2]+".")
		im.add(n, indent, 0, m[1]+trimmed[len(m[0]):], DraftParagraph{})
		im.current.label = strings.TrimSpace(m[0])
		return
	}
	if reBullet.MatchString(trimmed) && !strings.HasPrefix(trimmed, "**") {
		im.add(n, indent, -1, trimmed, DraftParagraph{})
		return
	}
	if im.current != nil {
		if im.current.Text == "" {
			im.current.Text = trimmed // the number stood alone on its line
		} else {
			im.current.Text += " " + trimmed
		}
		return
	}
	if strings.HasPrefix(trimmed, `\`) && readsAsStructure(strings.TrimLeft(trimmed, `\`)) {
		trimmed = trimmed[1:] // an escaped marker: the text starts with it
	}
	im.add(n, indent, -1, trimmed, DraftParagraph{})
}

// body reads the text after an option label on the same line: a
// numbered paragraph or subparagraph, or text.
func (im *importer) body(n, indent int, rest string) {
	if m := reNumbered.FindStringSubmatch(rest); m != nil && strings.TrimLeft(m[2], "0") != "" {
		base, _ := strconv.Atoi(m[2])
		dp := DraftParagraph{Numbered: true, Base: base, Suffix: ParseLatinSuffix(m[3]), Alt: altNumber(m[4], m[5])}
		level := im.numberLevel(indent, dp)
		im.add(n, indent, level, m[1]+afterMarker(rest, m[0], m[6]), dp)
		im.digits[level], im.listIndent[level] = level > 0, indent
		return
	}
	if m := reLettered.FindStringSubmatch(rest); m != nil {
		if level, base := im.subNumber(m[2], 0); base > 0 && len(im.stack) >= level && labelFits(level, base) {
			suffix := ParseLatinSuffix(m[3])
			if suffix == 0 {
				suffix = ParseLatinSuffix(m[6])
			}
			im.add(n, max(indent, level), level, m[1]+afterMarker(rest, m[0], m[7]), DraftParagraph{Numbered: true, Base: base, Suffix: suffix, Alt: altNumber(m[4], m[5])})
			return
		}
	}
	if strings.HasPrefix(rest, `\`) && readsAsStructure(strings.TrimLeft(rest, `\`)) {
		rest = rest[1:]
	}
	im.add(n, indent, -1, rest, DraftParagraph{})
}

// scopeOption tags a new paragraph with the option it belongs to and ends
// the option where its text ends. An option label holds the paragraph
// after it and the paragraphs of the same level that follow, until a
// paragraph left of the label or above its level (a number that the
// numbering puts above it but that stands right of the label, "3 bis."
// under "Option 1:" under 3, stays in), the next number when the label
// followed a number standing alone ("60." then "Option 1:"), a comment
// line, a new label or a heading.
func (im *importer) scopeOption(indent, level int, dp *DraftParagraph) {
	if im.option == "" {
		return
	}
	switch {
	case indent < im.optIndent:
		im.option = ""
	case im.optFirst, level < im.optLevel && dp.Numbered && im.optIndent > 0:
		dp.Option = im.option
		im.optLevel, im.optFirst = level, false
		im.optProvision = !dp.Numbered && endsAsProvision(dp.Text)
	case level < im.optLevel:
		im.option = ""
	case level > im.optLevel:
	case dp.Numbered && (im.optOwned || im.optProvision && im.optIndent == 0):
		// The options were the texts of a number standing alone ("60."
		// then "Option 1:"), or the option, at the margin, is a provision
		// of its own ("Option 2: [should facilitate access …]."): the next
		// number is the next paragraph. An option block indented under a
		// paragraph holds the numbers indented in it.
		im.option = ""
	default:
		dp.Option = im.option
	}
}

// endsAsProvision reports whether text ends as the text of a provision
// does ("…;", "…].", "…,"), not as a chapeau (":") or an editorial
// description of what follows ("*(paragraphs 1 to 7)*", "The following
// text to be part of Article 4").
func endsAsProvision(text string) bool {
	t := strings.TrimRight(text, " *_")
	return t != "" && strings.ContainsAny(lastRune(t), ".;,]。；，")
}

// numberLevel is the level of a line numbered with digits. Digits number
// paragraphs: "7." is paragraph 7 however deep it is indented (after
// "(ii)", say), and "1 bis." indented under 1 is paragraph 1 bis. Only a
// list that Markdown nests under a paragraph, as converters write "(a)",
// "(b)" ("1." indented under paragraph 3, or after a chapeau ending in
// ":"), is a list of subparagraphs: a "1." that does not continue the
// paragraphs starts one, and numbers that go on from its last item, at
// its indentation or deeper, continue it.
func (im *importer) numberLevel(indent int, dp DraftParagraph) int {
	next := func(prev int) bool {
		return dp.Base == prev+1 || dp.Base == prev && prev > 0 && (dp.Suffix > 0 || dp.Alt > 0)
	}
	fits := func(level int) int {
		if !labelFits(level, dp.Base) || len(im.stack) < level {
			return 0
		}
		return level
	}
	top := im.lastNum[0]
	continuesTop := next(top)
	for level := 2; level >= 1; level-- {
		prev := im.lastNum[level]
		if !im.digits[level] || prev == 0 || len(im.stack) < level || indent < im.listIndent[level] {
			continue
		}
		if next(prev) || !continuesTop && dp.Base > prev && dp.Base <= prev+5 {
			return fits(level)
		}
	}
	if continuesTop || dp.Base != 1 || len(im.stack) == 0 {
		return 0
	}
	if level := im.levelFor(indent); level > 0 {
		return fits(level)
	}
	if last := im.stack[len(im.stack)-1]; last.indent == indent && last.level < 2 && strings.HasSuffix(strings.TrimRight(last.Text, " *]"), ":") {
		return fits(last.level + 1)
	}
	return 0
}

// labelFits reports whether a subparagraph numbered base at level 1
// (letters) or 2 (roman numerals) has a label that reads back as the same
// number: at most four characters ("(mc)" read as a letter would be
// "(hhh…h)").
func labelFits(level, base int) bool {
	label := letterNumber(base)
	if level == 2 {
		label = romanNumber(base)
	}
	return len(label) <= 4
}

// afterMarker is the text of a line after its number: m0 is the whole
// match and last the character matched after the number, which belongs to
// the text when it is not white space ("1.Recalling").
func afterMarker(line, m0, last string) string {
	if last != "" && strings.TrimSpace(last) == last {
		return line[len(m0)-len(last):]
	}
	return line[len(m0):]
}

func altNumber(alt, n string) int {
	if alt == "" {
		return 0
	}
	if k, err := strconv.Atoi(n); err == nil && k > 0 {
		return k
	}
	return 1
}

// optionLabel reads an option label line: bold ("**Option 1:** text"),
// plain with a colon ("Option 2:", "Alternative 2: text", "Alt.:"), "Alt."
// or "Alt. 2" before text, or a label alone on its line ("Option 2").
func optionLabel(line string) (label, rest string, ok bool) {
	if m := reOption.FindStringSubmatch(line); m != nil {
		return m[1], m[2], true
	}
	if m := rePlainOption.FindStringSubmatch(line); m != nil {
		return m[1], m[2], true
	}
	if m := reAltLabel.FindStringSubmatch(line); m != nil && !strings.HasPrefix(m[2], ".") {
		return m[1], m[2], true
	}
	if m := reLoneLabel.FindStringSubmatch(line); m != nil {
		return m[1], "", true
	}
	return "", "", false
}

// resolutionLabel reads "PP3 …" as an unnumbered preambular paragraph and
// "OP3 …" as paragraph 3, as a resolution is issued.
func (im *importer) resolutionLabel(n, indent int, line string, m []string) {
	base, _ := strconv.Atoi(m[3])
	label := strings.ToUpper(m[2]) + m[3]
	if m[4] != "" {
		label += " " + m[4]
	}
	if m[5] != "" {
		label += " alt"
		if m[6] != "" {
			label += " " + m[6]
		}
	}
	text := m[1] + line[len(m[0]):]
	if strings.EqualFold(m[2], "pp") {
		im.labels.pp = append(im.labels.pp, label)
		im.labels.ppLines = append(im.labels.ppLines, n)
		if want := len(im.labels.pp); base != want || m[4] != "" || m[5] != "" {
			im.labels.lost = append(im.labels.lost, Note("labelOutOfSequence", map[string]any{"line": n, "label": label, "position": want}, "line %d: %s is the %s preambular label read; a preambular paragraph has no number, so its label is not kept", n, label, ordinal(want)))
		}
		im.add(n, indent, 0, text, DraftParagraph{})
		im.current.label = strings.TrimSpace(m[0])
		return
	}
	im.labels.op = append(im.labels.op, label)
	im.add(n, indent, 0, text, DraftParagraph{Numbered: true, Base: base, Suffix: ParseLatinSuffix(m[4]), Alt: altNumber(m[5], m[6])})
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// recitalFollows reports whether "X." at the start of line i is the label
// of a lettered preambular paragraph: "A." where a block starts, or the
// letter after the last one in this section. A line continuing a sentence
// ("J. Smith said") is not one.
func (im *importer) recitalFollows(i int, letter byte) bool {
	if im.recital != 0 && letter == im.recital+1 {
		return true
	}
	return letter == 'A' && im.current == nil && (i+1 >= len(im.lines) || strings.TrimSpace(im.lines[i+1]) == "" || reRecital.MatchString(strings.TrimSpace(im.lines[i+1])))
}

// plainHeading reads a heading written without "#": a line that starts
// with a heading word and a number ("Article 3 bis", "CHAPTER II –
// FINANCE") or a roman or capital-letter label ("I. Introduction"), that
// is short and stands alone: after a blank line, and before a blank line,
// the end, or a line that starts a numbered paragraph, a subparagraph, an
// option or another heading. A heading word may also be followed directly
// by a line of text that starts a new sentence ("Article 1 Subject
// matter" over "1 This Regulation…"); a heading word and number alone
// take in a short title line under them that stands alone ("Article 1"
// over "Use of terms"). Sentences are not headings: a title
// ending in ",", ";" or ":", or holding a full stop inside, is text.
func (im *importer) plainHeading(i int, line string, indent int) (string, int, bool) {
	if indent >= 4 {
		return "", 0, false
	}
	word, label, title := "", "", ""
	if m := reKeywordHeading.FindStringSubmatch(line); m != nil {
		word = reHeadingWord.FindString(line)
		title = m[1] + m[2]
	} else if m := reLabelHeading.FindStringSubmatch(line); m != nil {
		label, title = m[1], m[2]
		if len(label) > 1 && parseRomanNumber(strings.ToLower(label)) == 0 {
			return "", 0, false
		}
	} else {
		return "", 0, false
	}
	// Legislative headings can be long ("Article 16 Relationship with other
	// obligations to make data available to public sector bodies, …");
	// labelled ones ("A. Introduction") are short.
	runes, words := utf8.RuneCountInString(line), len(strings.Fields(line))
	if word != "" && (runes > 200 || words > 32) || word == "" && (runes > 100 || words > 14) {
		return "", 0, false
	}
	if r, _ := utf8.DecodeRuneInString(title); title != "" && !unicode.IsUpper(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Lo, r) && !strings.ContainsRune(`"“«(*[`, r) {
		return "", 0, false // "Article 4 of the Convention applies": a sentence
	}
	if prev := i - 1; prev >= 0 && strings.TrimSpace(im.lines[prev]) != "" && !reHeading.MatchString(strings.TrimSpace(im.lines[prev])) {
		return "", 0, false
	}
	t := strings.TrimRight(title, " ")
	if strings.HasSuffix(t, ",") || strings.HasSuffix(t, ";") || strings.HasSuffix(t, ":") && word == "" ||
		strings.ContainsAny(lastRune(t), "。；，：！？") {
		return "", 0, false // "第一条 为了……，制定本协定。": the article's text, not its title
	}
	if k := strings.Index(t, ". "); k >= 0 {
		return "", 0, false // two sentences
	}
	if word == "" && strings.HasSuffix(t, ".") && len(strings.Fields(t)) > 4 {
		return "", 0, false
	}
	next, after := "", ""
	if i+1 < len(im.lines) {
		next = strings.TrimSpace(im.lines[i+1])
	}
	if i+2 < len(im.lines) {
		after = strings.TrimSpace(im.lines[i+2])
	}
	if r, _ := utf8.DecodeRuneInString(next); word != "" && title == "" && next != "" && !readsAsStructure(next) &&
		(after == "" || readsAsStructure(after)) && utf8.RuneCountInString(next) <= 120 && !unicode.IsLower(r) &&
		!strings.HasPrefix(next, "[^") && strings.TrimRight(next, ".,;:") == next {
		// "Article 1" over "Use of terms": the title line is the heading's.
		im.skip = 1
		return line + " " + next, headingRank(word, label), true
	}
	switch {
	case next == "" || readsAsStructure(next):
	case word != "" && !strings.HasSuffix(t, "."):
		// A heading word may stand over its text; a line that goes on in
		// a lower-case word was a sentence wrapped in two.
		if r, _ := utf8.DecodeRuneInString(next); unicode.IsLower(r) {
			return "", 0, false
		}
	default:
		return "", 0, false
	}
	return line, headingRank(word, label), true
}

// lastRune is the last character of s, or "".
func lastRune(s string) string {
	r, size := utf8.DecodeLastRuneInString(s)
	if size == 0 {
		return ""
	}
	return string(r)
}

// readsAsStructure reports whether a line would be read as a heading,
// paragraph number, subparagraph label, resolution label, option label or
// comment rather than as text, where it stands alone.
func readsAsStructure(line string) bool {
	_, _, opt := optionLabel(line)
	return opt || reHeading.MatchString(line) || reNumbered.MatchString(line) || rePreamble.MatchString(line) ||
		reLettered.MatchString(line) || reRecital.MatchString(line) || reKeywordHeading.MatchString(line) ||
		reLabelHeading.MatchString(line) || strings.HasPrefix(line, "<!--")
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

// add opens a new paragraph at the given level, or with level -1 at the
// level its indentation gives.
func (im *importer) add(line, indent, level int, text string, dp DraftParagraph) {
	if len(im.sections) == 0 {
		im.sections = append(im.sections, &section{line: line})
	}
	sec := im.sections[len(im.sections)-1]
	if level < 0 {
		for len(im.stack) > 0 && im.stack[len(im.stack)-1].indent >= indent {
			im.stack = im.stack[:len(im.stack)-1]
		}
		level = min(len(im.stack), 2)
	}
	level = min(level, len(im.stack))
	im.stack = im.stack[:level]
	dp.Text, dp.Line = text, line
	im.scopeOption(indent, level, &dp)
	if level == 0 && dp.Numbered {
		im.recital = 0 // the operative part has begun
	}
	p := &para{DraftParagraph: dp, indent: indent, level: level}
	if dp.Numbered {
		im.lastNum[level] = dp.Base
	}
	if dp.Numbered {
		im.digits[level] = false
	}
	for k := level + 1; k < len(im.lastNum); k++ {
		im.lastNum[k], im.digits[k] = 0, false
	}
	if level == 0 {
		sec.paras = append(sec.paras, p)
	} else {
		parent := im.stack[level-1]
		parent.kids = append(parent.kids, p)
	}
	im.stack = append(im.stack, p)
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

// report counts what was imported and matches brackets over the whole
// text (MatchBrackets): pairs that span paragraphs are listed as such, and
// only brackets with no partner as unbalanced.
func (im *importer) report(d Draft, rep *ImportReport) {
	rep.Sections = len(d.Sections)
	type block struct {
		line           int
		section, label string
	}
	var texts []string
	var blocks []block
	for si, s := range d.Sections {
		secName := fmt.Sprintf("section %d", si+1)
		if s.Heading != "" {
			secName = fmt.Sprintf("section %q", s.Heading)
			texts = append(texts, s.Heading)
			blocks = append(blocks, block{im.sections[si].line, secName, "heading"})
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
				label = strings.TrimSpace(prefix + " " + label)
				texts = append(texts, p.Text)
				blocks = append(blocks, block{p.Line, secName, label})
				walk(p.Children, label, level+1)
			}
		}
		walk(s.Paras, "", 0)
	}
	m := MatchBrackets(texts)
	rep.Brackets, rep.MaxDepth = m.Pairs, m.MaxDepth
	where := func(b block) string {
		if b.label == "heading" {
			return "heading of " + b.section
		}
		return b.section + ", " + b.label
	}
	for _, u := range m.Unmatched {
		b := blocks[u.Block]
		rep.Unbalanced = append(rep.Unbalanced, BracketIssue{Line: b.line, Where: where(b), Offset: u.Offset, Char: u.Char, Message: u.Message})
	}
	for _, p := range m.Spanning {
		from, to := blocks[p.Open.Block], blocks[p.Close.Block]
		sp := BracketSpan{Line: from.line, EndLine: to.line, Where: from.section, Offset: p.Open.Offset, EndOffset: p.Close.Offset, Depth: p.Depth}
		switch {
		case from.section != to.section:
			sp.Where = from.section + " to " + to.section
			sp.Message = "spans " + where(from) + " to " + where(to)
		case strings.HasPrefix(from.label, "paragraph ") && strings.HasPrefix(to.label, "paragraph ") && !strings.Contains(from.label+to.label, "text") &&
			strings.Fields(from.label)[1] != strings.Fields(to.label)[1]:
			sp.Message = "spans paragraphs " + strings.TrimPrefix(from.label, "paragraph ") + "–" + strings.TrimPrefix(to.label, "paragraph ")
		default:
			sp.Message = "spans " + from.label + " to " + to.label
		}
		rep.Spanning = append(rep.Spanning, sp)
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
	open := false // an option label of this level may still hold the next paragraph
	for _, p := range ps {
		b.WriteString("\n")
		switch {
		case p.Option != "":
			// A label before every paragraph of an option: a nested option
			// in the paragraphs above may have replaced it.
			b.WriteString(indent + "**" + p.Option + ":**\n\n")
			open = true
		case open:
			b.WriteString(indent + "<!-- -->\n\n") // ends the option
			open = false
		}
		b.WriteString(indent)
		if p.Number != "" {
			if p.Level == 0 {
				b.WriteString(p.Number + ". ")
			} else if reSuffixFirst.MatchString(p.Text) {
				// Two spaces, or "(a) bis. …" would be read back as "(a bis)".
				b.WriteString(p.Number + "  ")
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
