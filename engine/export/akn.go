package export

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/draftroom/draftroom/engine"
)

// aknNS is the Akoma Ntoso 3.0 namespace; draftroomNS holds the report's
// own metadata in <proprietary>.
const (
	aknNS       = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
	draftroomNS = "https://draftroom.org/ns/export/1"
)

// aknLanguage maps a BCP 47 tag to the three-letter code AKN IRIs use.
func aknLanguage(lang string) string {
	base, _, _ := strings.Cut(strings.ToLower(lang), "-")
	switch base {
	case "", "en":
		return "eng"
	case "fr":
		return "fra"
	case "es":
		return "spa"
	case "ru":
		return "rus"
	case "zh":
		return "zho"
	case "ar":
		return "ara"
	}
	if len(base) == 3 {
		return base
	}
	return "mul"
}

// aknName turns a document symbol into an IRI component:
// "A/AC.292/2027/CRP.1" → "a-ac-292-2027-crp-1".
func aknName(symbol string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(symbol) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimSuffix(nonEmpty(b.String(), "untitled"), "-")
}

// baseSymbol drops the revision suffix ("/Rev.1") from a symbol: the
// revisions of a document are expressions of one work.
func baseSymbol(s string) string {
	if i := strings.LastIndex(s, "/Rev."); i > 0 {
		return s[:i]
	}
	return s
}

// aknWriter builds an Akoma Ntoso document.
type aknWriter struct {
	b       strings.Builder
	ids     idSet
	states  map[string]bool // delegations referred to, for <references>
	offices map[string]bool // offices that made changes (the Chair), for <references>
}

// officeNames are the authors of changes that are offices, not
// delegations (officeName).
var officeNames = map[string]bool{"Chair": true, "Vice-Chair": true, "Co-Chair": true, "Facilitator": true, "Presiding officer": true}

// stateRef is the reference to a delegation in <references>.
func (w *aknWriter) stateRef(code string) string {
	code = strings.TrimSpace(code)
	if code == "" || code == "Secretariat" {
		return "#secretariat"
	}
	if officeNames[code] {
		if w.offices == nil {
			w.offices = map[string]bool{}
		}
		w.offices[code] = true
		return "#office-" + aknName(code)
	}
	w.states[code] = true
	return "#state-" + aknName(code)
}

// header writes everything up to <mainBody>.
func (w *aknWriter) header(name string, m Meta, kind string, body string) []byte {
	date := aknDate(m)
	work := "/akn/un/doc/" + name + "/" + date + "/" + aknName(baseSymbol(nonEmpty(m.Symbol, m.Title)))
	lang := aknLanguage(m.Language)
	expr := work + "/" + lang + "@" + date
	var h strings.Builder
	h.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	h.WriteString(`<akomaNtoso xmlns="` + aknNS + `">` + "\n")
	h.WriteString(`<doc name="` + name + `">` + "\n<meta>\n")
	h.WriteString(`<identification source="#draftroom">` + "\n")
	h.WriteString(frbrWork(work, date, m))
	h.WriteString("<FRBRExpression>" + `<FRBRthis value="` + xmlAttr(expr+"/!main") + `"/><FRBRuri value="` + xmlAttr(expr) + `"/>` +
		`<FRBRdate date="` + date + `" name="` + xmlAttr(nonEmpty(m.Revision, "version")) + `"/><FRBRauthor href="#secretariat"/>` +
		`<FRBRversionNumber value="` + xmlAttr(nonEmpty(m.Revision, "-")) + `"/><FRBRlanguage language="` + lang + `"/></FRBRExpression>` + "\n")
	h.WriteString("<FRBRManifestation>" + `<FRBRthis value="` + xmlAttr(expr+"/!main.xml") + `"/><FRBRuri value="` + xmlAttr(expr+".akn") + `"/>` +
		`<FRBRdate date="` + date + `" name="generated"/><FRBRauthor href="#draftroom"/><FRBRformat value="application/akn+xml"/></FRBRManifestation>` + "\n")
	h.WriteString("</identification>\n")
	h.WriteString(`<references source="#draftroom">` + "\n")
	h.WriteString(`<TLCOrganization eId="secretariat" href="/ontology/organization/un/secretariat" showAs="Secretariat"/>` + "\n")
	h.WriteString(`<TLCOrganization eId="draftroom" href="/ontology/organization/draftroom" showAs="draftroom"/>` + "\n")
	var codes []string
	for c := range w.states {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		h.WriteString(`<TLCOrganization eId="state-` + aknName(c) + `" href="/ontology/organization/un/` + aknName(c) + `" showAs="` + xmlAttr(c) + `"/>` + "\n")
	}
	var offices []string
	for c := range w.offices {
		offices = append(offices, c)
	}
	sort.Strings(offices)
	for _, c := range offices {
		h.WriteString(`<TLCRole eId="office-` + aknName(c) + `" href="/ontology/role/un/` + aknName(c) + `" showAs="` + xmlAttr(c) + `"/>` + "\n")
	}
	h.WriteString("</references>\n")
	h.WriteString(`<proprietary source="#draftroom">` + "\n" + `<dr:report xmlns:dr="` + draftroomNS + `">`)
	for _, kv := range [][2]string{{"kind", kind}, {"symbol", m.Symbol}, {"revision", m.Revision}, {"date", dateText(m.Date)}, {"logHead", m.LogHead}} {
		h.WriteString("<dr:" + kv[0] + ">" + xmlText(kv[1]) + "</dr:" + kv[0] + ">")
	}
	if m.Against != nil {
		h.WriteString(`<dr:against symbol="` + xmlAttr(m.Against.Symbol) + `" revision="` + xmlAttr(m.Against.Revision) + `" date="` + dateText(m.Against.Date) + `"/>`)
	}
	h.WriteString("</dr:report>\n</proprietary>\n</meta>\n")
	h.WriteString("<preface>\n")
	h.WriteString(`<p class="symbol"><docNumber>` + xmlText(m.Symbol) + "</docNumber></p>\n")
	if m.Statement != "" {
		h.WriteString(`<p class="statement">` + xmlText(m.Statement) + "</p>\n")
	}
	if m.Against != nil {
		h.WriteString(`<p class="against">Compared with ` + xmlText(m.Against.Symbol+" ("+m.Against.Revision+", "+dateText(m.Against.Date)+")") + "</p>\n")
	}
	h.WriteString(`<p class="revision"><docStage>` + xmlText(m.Revision) + `</docStage>, <docDate date="` + date + `">` + date + "</docDate></p>\n")
	h.WriteString(`<p class="title"><docTitle>` + xmlText(m.Title) + "</docTitle></p>\n")
	h.WriteString(`<p class="logHead">Built from event log head ` + xmlText(m.logHeadText()) + "</p>\n")
	h.WriteString("</preface>\n<mainBody>\n")
	h.WriteString(body)
	h.WriteString("</mainBody>\n</doc>\n</akomaNtoso>\n")
	return []byte(h.String())
}

// aknDate is the date of a text in Akoma Ntoso identifiers (ISO 8601; the
// epoch when the text has none).
func aknDate(m Meta) string {
	if m.Date.IsZero() {
		return "1970-01-01"
	}
	return m.Date.UTC().Format("2006-01-02")
}

// frbrWork writes the FRBRWork of a text: its work IRI, date, symbol and
// title.
func frbrWork(work, date string, m Meta) string {
	return "<FRBRWork>" + `<FRBRthis value="` + xmlAttr(work+"/!main") + `"/><FRBRuri value="` + xmlAttr(work) + `"/>` +
		`<FRBRdate date="` + date + `" name="issued"/><FRBRauthor href="#secretariat"/><FRBRcountry value="un"/>` +
		`<FRBRnumber value="` + xmlAttr(m.Symbol) + `"/><FRBRname value="` + xmlAttr(m.Title) + `"/></FRBRWork>` + "\n"
}

// formatted writes a run with its emphasis as <i>, <b> and a code span.
func formatted(r Run) string {
	s := xmlText(r.Text)
	if r.Emphasis&Code != 0 {
		s = `<span class="code">` + s + "</span>"
	}
	if r.Emphasis&Italic != 0 {
		s = "<i>" + s + "</i>"
	}
	if r.Emphasis&Bold != 0 {
		s = "<b>" + s + "</b>"
	}
	return s
}

// changeRuns writes runs, wrapping inserted and deleted ones in <ins> and
// <del> that name who brought them.
func (w *aknWriter) changeRuns(runs []Run) string {
	var b strings.Builder
	for i := 0; i < len(runs); {
		r := runs[i]
		if r.Op == OpEqual {
			b.WriteString(formatted(r))
			i++
			continue
		}
		j := i + 1
		for j < len(runs) && runs[j].Op == r.Op && runs[j].Attribution == r.Attribution {
			j++
		}
		tag := "ins"
		if r.Op == OpDelete {
			tag = "del"
		}
		b.WriteString("<" + tag)
		if r.Author != "" {
			b.WriteString(` refersTo="` + w.stateRef(r.Author) + `"`)
			title := r.Author
			if r.Amendment != "" {
				title += ", amendment " + string(r.Amendment)
			}
			if !r.Date.IsZero() {
				title += ", " + dateText(r.Date)
			}
			b.WriteString(` title="` + xmlAttr(title) + `"`)
		}
		b.WriteString(">")
		for _, x := range runs[i:j] {
			b.WriteString(formatted(x))
		}
		b.WriteString("</" + tag + ">")
		i = j
	}
	return b.String()
}

// bracketed writes a clean paragraph text with each bracket as
// <inline name="bracket"> (and groups of alternatives as <inline
// name="alternatives">), naming who asked for it when known.
func (w *aknWriter) bracketed(text string, by []BracketBy) string {
	styles := textStyles(text)
	tree := engine.ParseBrackets(text)
	if tree.Count == 0 {
		return w.changeRuns(appendRuns(nil, text, styles, 0, len(text), OpEqual, Attribution{}))
	}
	// Byte offset of every rune offset.
	off := make([]int, 0, utf8.RuneCountInString(text)+1)
	for i := range text {
		off = append(off, i)
	}
	off = append(off, len(text))
	who := map[int][]engine.StateCode{}
	for _, b := range by {
		who[b.Index] = b.By
	}
	var b strings.Builder
	span := func(from, to int) {
		for _, r := range appendRuns(nil, text, styles, off[from], off[to], OpEqual, Attribution{}) {
			b.WriteString(formatted(r))
		}
	}
	var walk func(ns []*engine.BracketNode)
	walk = func(ns []*engine.BracketNode) {
		for _, n := range ns {
			switch n.Kind {
			case engine.PlainText:
				span(n.Start, n.End)
			case engine.Alternatives:
				b.WriteString(`<inline name="alternatives">`)
				walk(n.Children)
				b.WriteString("</inline>")
			case engine.Bracketed:
				b.WriteString(`<inline name="bracket"`)
				if states := who[n.Index]; len(states) > 0 {
					refs := make([]string, len(states))
					for i, s := range states {
						refs[i] = w.stateRef(string(s))
					}
					b.WriteString(` refersTo="` + strings.Join(refs, " ") + `" title="` + xmlAttr("Bracketed at the request of "+statesText(states)) + `"`)
				}
				b.WriteString(">")
				span(n.Start, n.Start+1)
				walk(n.Children)
				span(n.End-1, n.End)
				b.WriteString("</inline>")
			}
		}
	}
	walk(tree.Nodes)
	return b.String()
}

// aknTree nests flat rows into sections and paragraphs with points.
type aknTree struct {
	w        *aknWriter
	b        strings.Builder
	sections int // open <section> (0, 1) and <subsection> (0, 1) levels
	sub      bool
	paraOpen []int // levels of open paragraph/point elements
}

// closeParas closes open paragraphs and points down to level.
func (t *aknTree) closeParas(level int) {
	for len(t.paraOpen) > 0 && t.paraOpen[len(t.paraOpen)-1] >= level {
		if t.paraOpen[len(t.paraOpen)-1] == 0 {
			t.b.WriteString("</paragraph>\n")
		} else {
			t.b.WriteString("</point>\n")
		}
		t.paraOpen = t.paraOpen[:len(t.paraOpen)-1]
	}
}

// heading opens a section (level 1) or a subsection (level 2).
func (t *aknTree) heading(level int, eID, class, heading string) {
	t.closeParas(0)
	if level >= 2 && t.sections > 0 {
		if t.sub {
			t.b.WriteString("</subsection>\n")
		}
		t.b.WriteString(`<subsection eId="` + xmlAttr(t.w.ids.id(eID)) + `"` + class + `><heading>` + heading + "</heading>\n")
		t.sub = true
		return
	}
	t.closeSections()
	t.b.WriteString(`<section eId="` + xmlAttr(t.w.ids.id(eID)) + `"` + class + `><heading>` + heading + "</heading>\n")
	t.sections = 1
}

func (t *aknTree) closeSections() {
	t.closeParas(0)
	if t.sub {
		t.b.WriteString("</subsection>\n")
		t.sub = false
	}
	if t.sections > 0 {
		t.b.WriteString("</section>\n")
		t.sections = 0
	}
}

// paragraph writes a paragraph or a point. The content of a paragraph with
// points goes in <intro>; since points come after it, a paragraph is
// written as soon as it is known whether the next row is its point.
func (t *aknTree) paragraph(level int, eID, class, num, option, content string, hasChildren bool) {
	t.closeParas(level)
	tag := "paragraph"
	if level > 0 {
		tag = "point"
		if len(t.paraOpen) == 0 {
			// A point with no paragraph to hold it (its paragraph was
			// deleted or moved): it stands as a paragraph.
			tag, level = "paragraph", 0
		}
	}
	t.b.WriteString("<" + tag + ` eId="` + xmlAttr(t.w.ids.id(eID)) + `"` + class + ">")
	if num != "" {
		t.b.WriteString("<num>" + num + "</num>")
	}
	if option != "" {
		t.b.WriteString("<subheading>" + xmlText(option) + "</subheading>")
	}
	if hasChildren {
		t.b.WriteString("<intro><p>" + content + "</p></intro>\n")
		t.paraOpen = append(t.paraOpen, level)
		return
	}
	t.b.WriteString("<content><p>" + content + "</p></content></" + tag + ">\n")
}

func (t *aknTree) finish() string {
	t.closeSections()
	if t.b.Len() == 0 {
		return "<p/>\n"
	}
	return t.b.String()
}

// hasChildren reports whether row i is followed by a deeper paragraph row.
func hasChildren(rows []Row, i int) bool {
	return i+1 < len(rows) && rows[i+1].Kind == ParagraphRow && rows[i].Kind == ParagraphRow && rows[i+1].Level > rows[i].Level
}

// AKN implements Report: the clean text as an Akoma Ntoso <doc
// name="report">, sections and subsections with their headings,
// paragraphs with <num> and points for subparagraphs, eIds from the
// outline, brackets as <inline name="bracket">.
func (c *CleanText) AKN() ([]byte, error) {
	w := &aknWriter{ids: idSet{}, states: map[string]bool{}}
	t := &aknTree{w: w}
	for i, r := range c.Rows {
		if r.Kind == HeadingRow {
			t.heading(r.Level, r.EID, "", w.bracketed(r.Text, nil))
			continue
		}
		content := w.bracketed(r.Text, r.Brackets)
		var classes []string
		if r.Deleted {
			content = "<del>" + content + "</del>"
			classes = append(classes, "struck")
		}
		if tc := translationClass(r.Translation); tc != "" {
			classes = append(classes, tc)
		}
		class := ""
		if len(classes) > 0 {
			class = ` class="` + strings.Join(classes, " ") + `"`
		}
		option := ""
		if r.OptionStart {
			option = r.Option
		}
		t.paragraph(r.Level, r.EID, class, xmlText(numberLabel(r.Number, r.Level)), option, content, hasChildren(c.Rows, i))
	}
	body := t.finish()
	return w.header("report", c.Meta, "clean", body), nil
}

// AKN implements Report: the later text as an Akoma Ntoso <doc
// name="compare"> with <ins> and <del> for what changed (refersTo naming
// the State that proposed it), added paragraphs class="added", deleted
// ones class="deleted" with their old eId suffixed "-deleted", and the old
// places of moved ones class="moved-from".
func (c *Compare) AKN() ([]byte, error) {
	w := &aknWriter{ids: idSet{}, states: map[string]bool{}}
	t := &aknTree{w: w}
	for i, r := range c.Rows {
		class := ` class="` + string(r.Change) + `"`
		nums := numberRuns(r)
		num := xmlText(numberLabel(r.Number, r.Level))
		if len(nums) != 1 || nums[0].Op != OpEqual {
			num = w.changeRuns(nums)
		}
		content := w.changeRuns(r.Runs)
		switch r.ParagraphMark {
		case OpInsert:
			content += w.changeRuns([]Run{{Op: OpInsert, Text: pilcrow}})
		case OpDelete:
			content += w.changeRuns([]Run{{Op: OpDelete, Text: pilcrow}})
		}
		num = strings.ReplaceAll(num, "\t", "")
		if r.Kind == HeadingRow {
			t.heading(r.Level, rowID(r), class, content)
			continue
		}
		if r.Deleted {
			class = ` class="` + string(r.Change) + ` struck"`
		}
		option := ""
		if r.OptionStart {
			option = r.Option
		}
		if r.Note != "" {
			content += ` <span class="note">(` + xmlText(r.Note) + ")</span>"
		}
		t.paragraph(r.Level, rowID(r), class, num, option, content, hasChildren(c.Rows, i))
	}
	body := t.finish()
	return w.header("compare", c.Meta, "compare", body), nil
}
