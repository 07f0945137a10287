package export

import (
	"fmt"
	"strings"

	"github.com/draftroom/draftroom/engine"
)

// Reports on language versions: every report can be built in one
// language (Request.Language), the parallel text sets two languages side
// by side, the translation status counts what is current, outdated and
// missing per language, and the clean text of every language together is
// one Akoma Ntoso documentCollection with an expression per language.

// translationNote says in words where a paragraph's translation stands,
// or "" for a current one and for the working language.
func translationNote(st engine.TranslationState) string {
	switch st {
	case engine.TranslationOutdated:
		return "translation outdated: the source text changed since"
	case engine.TranslationMissing:
		return "not yet translated: the source text"
	}
	return ""
}

// translationCSS styles the marks of translations that are not current;
// a report in a language version carries it.
const translationCSS = `<style>.translation-outdated{background:#fde8e8}.translation-missing{color:#666;font-style:italic}table.parallel td{width:50%}</style>
`

// translationStyle is translationCSS when any row is of a language
// version, else "" (reports in the working language are unchanged).
func translationStyle(rows []Row) string {
	for _, r := range rows {
		if r.Translation != "" {
			return translationCSS
		}
	}
	return ""
}

// translationClass is the class that marks a paragraph whose translation
// is not current, in HTML and Akoma Ntoso.
func translationClass(st engine.TranslationState) string {
	if st == engine.TranslationOutdated || st == engine.TranslationMissing {
		return "translation-" + string(st)
	}
	return ""
}

// optionWords are "Option" in each language, for option labels of the
// source ("Option 1") shown in a language version.
var optionWords = map[string]string{"ar": "الخيار", "zh": "备选案文", "fr": "Option", "ru": "Вариант", "es": "Opción"}

// localOption renders an option label of the source in lang: "Option 2"
// becomes "الخيار 2" in Arabic; other labels are kept.
func localOption(label, lang string) string {
	w, ok := optionWords[lang]
	if rest, cut := strings.CutPrefix(label, "Option "); ok && cut {
		return w + " " + rest
	}
	return label
}

// languageOutline is the outline of d (rev nil: the live state) in lang.
func languageOutline(d *engine.Document, rev *engine.Revision, lang string) (engine.Outline, error) {
	if rev == nil {
		return d.LanguageOutline(lang)
	}
	return rev.LanguageOutline(lang)
}

// inLanguage sets a meta to a language version's title and language.
func inLanguage(m Meta, o engine.Outline) Meta {
	m.Language, m.Title = nonEmpty(o.Language, m.Language), nonEmpty(o.Title, m.Title)
	return m
}

// ParallelRow is a heading or paragraph in two languages.
type ParallelRow struct {
	Kind        RowKind                `json:"kind"`
	ID          string                 `json:"id"`
	EID         string                 `json:"eId"`
	Level       int                    `json:"level"`
	Number      string                 `json:"number,omitempty"`
	Option      string                 `json:"option,omitempty"`
	OptionStart bool                   `json:"optionStart,omitempty"`
	Status      engine.ParagraphStatus `json:"status,omitempty"`
	Deleted     bool                   `json:"deleted,omitempty"`
	Left        string                 `json:"left"`
	Right       string                 `json:"right"`
	// LeftState and RightState say where each side's translation stands
	// (empty for the working language).
	LeftState  engine.TranslationState `json:"leftState,omitempty"`
	RightState engine.TranslationState `json:"rightState,omitempty"`
}

// Parallel is the text in two languages side by side, paragraph by
// paragraph, aligned by paragraph identity.
type Parallel struct {
	Meta Meta `json:"meta"`
	// Left and Right are the languages of the two columns; RightTitle the
	// title in the right-hand language.
	Left       string        `json:"left"`
	Right      string        `json:"right"`
	RightTitle string        `json:"rightTitle"`
	Rows       []ParallelRow `json:"rows"`
	// Outdated and Missing count the paragraphs of either column whose
	// translation is not current.
	Outdated int `json:"outdated"`
	Missing  int `json:"missing"`
}

// BuildParallel sets the text of d (rev nil: the live state) in language
// left beside its text in language right. meta names the text.
func BuildParallel(d *engine.Document, rev *engine.Revision, left, right string, meta Meta) (*Parallel, error) {
	if left == right {
		return nil, engine.Errorf(engine.EINVALID, "beside: a parallel text needs two languages; both are %s", engine.LanguageName(left))
	}
	lo, err := languageOutline(d, rev, left)
	if err != nil {
		return nil, err
	}
	ro, err := languageOutline(d, rev, right)
	if err != nil {
		return nil, err
	}
	p := &Parallel{Meta: inLanguage(meta, lo), Left: left, Right: right, RightTitle: ro.Title}
	rr := map[string]Row{}
	for _, r := range outlineRows(ro) {
		rr[string(r.Kind)+r.ID] = r
	}
	for _, l := range outlineRows(lo) {
		r := rr[string(l.Kind)+l.ID]
		row := ParallelRow{Kind: l.Kind, ID: l.ID, EID: l.EID, Level: l.Level, Number: l.Number, Option: l.Option, OptionStart: l.OptionStart,
			Status: l.Status, Deleted: l.Deleted, Left: l.Text, Right: r.Text, LeftState: l.Translation, RightState: r.Translation}
		for _, st := range []engine.TranslationState{l.Translation, r.Translation} {
			switch st {
			case engine.TranslationOutdated:
				p.Outdated++
			case engine.TranslationMissing:
				p.Missing++
			}
		}
		p.Rows = append(p.Rows, row)
	}
	return p, nil
}

// Kind implements Report.
func (*Parallel) Kind() string { return "parallel" }

// Metadata implements Report.
func (p *Parallel) Metadata() Meta { return p.Meta }

// JSON implements Report.
func (p *Parallel) JSON() ([]byte, error) {
	return marshalReport("parallel", struct {
		Report string `json:"report"`
		*Parallel
	}{"parallel", p})
}

// AKN implements Report: a parallel text has no Akoma Ntoso form; each
// language is its own expression (the clean text with language "all").
func (p *Parallel) AKN() ([]byte, error) {
	return nil, engine.Errorf(engine.EINVALID, "a parallel text has no Akoma Ntoso form: ask for the clean text with language \"all\", one expression per language")
}

func (p *Parallel) extra() []string {
	return []string{"Report: parallel text", fmt.Sprintf("Languages: %s | %s", engine.LanguageName(p.Left), engine.LanguageName(p.Right)),
		fmt.Sprintf("Translations not current: %d outdated, %d missing", p.Outdated, p.Missing)}
}

// Markdown implements Report: a two-column table, one row per heading or
// paragraph.
func (p *Parallel) Markdown() []byte {
	var b strings.Builder
	mdMeta(&b, p.Meta.Title, p.Meta, p.extra()...)
	cell := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	fmt.Fprintf(&b, "| %s | %s |\n|---|---|\n", engine.LanguageName(p.Left), engine.LanguageName(p.Right))
	fmt.Fprintf(&b, "| **%s** | **%s** |\n", cell(mdText(p.Meta.Title, inlineOpts{})), cell(mdText(p.RightTitle, inlineOpts{})))
	side := func(r ParallelRow, text, lang string, st engine.TranslationState) string {
		s := ""
		if r.OptionStart {
			s = "**" + mdText(localOption(r.Option, lang), inlineOpts{}) + ":** "
		}
		if r.Kind == HeadingRow {
			return s + "**" + mdText(text, inlineOpts{}) + "**"
		}
		s += numberLabel(r.Number, r.Level)
		if s != "" {
			s += " "
		}
		t := mdText(text, inlineOpts{lineStart: true})
		if r.Deleted {
			t = "~~" + t + "~~"
		}
		s += t
		if n := translationNote(st); n != "" {
			s += " {>>" + n + "<<}"
		}
		return s
	}
	for _, r := range p.Rows {
		fmt.Fprintf(&b, "| %s | %s |\n", cell(side(r, r.Left, p.Left, r.LeftState)), cell(side(r, r.Right, p.Right, r.RightState)))
	}
	return []byte(b.String())
}

// HTML implements Report: a table of two columns, each with its own
// language and direction.
func (p *Parallel) HTML() []byte {
	var b strings.Builder
	b.WriteString(translationCSS)
	dir := func(l string) string {
		if rtlLanguage(l) {
			return "rtl"
		}
		return "ltr"
	}
	td := func(lang, class, inner string) string {
		return fmt.Sprintf("<td lang=\"%s\" dir=\"%s\" class=\"%s\">%s</td>", escapeHTML(lang), dir(lang), strings.TrimSpace(class), inner)
	}
	b.WriteString("<table class=\"parallel\">\n<thead><tr>")
	fmt.Fprintf(&b, "<th lang=\"%s\" dir=\"%s\">%s</th><th lang=\"%s\" dir=\"%s\">%s</th></tr>\n", p.Left, dir(p.Left), escapeHTML(engine.LanguageName(p.Left)), p.Right, dir(p.Right), escapeHTML(engine.LanguageName(p.Right)))
	fmt.Fprintf(&b, "<tr>%s%s</tr></thead>\n<tbody>\n", td(p.Left, "title", inlineHTML(mdText(p.Meta.Title, inlineOpts{}))), td(p.Right, "title", inlineHTML(mdText(p.RightTitle, inlineOpts{}))))
	side := func(r ParallelRow, text, lang string, st engine.TranslationState) string {
		if r.Kind == HeadingRow {
			return td(lang, "heading", inlineHTML(mdText(text, inlineOpts{})))
		}
		inner := ""
		if r.OptionStart {
			inner = "<strong>" + inlineHTML(mdText(localOption(r.Option, lang), inlineOpts{})) + ":</strong> "
		}
		t := inlineHTML(mdText(text, inlineOpts{}))
		if r.Deleted {
			t = "<s>" + t + "</s>"
		}
		inner += htmlNum(r.Number, r.Level) + t
		if n := translationNote(st); n != "" {
			inner += " <span class=\"note\">" + escapeHTML(n) + "</span>"
		}
		return td(lang, fmt.Sprintf("para level-%d %s", r.Level, translationClass(st)), inner)
	}
	for _, r := range p.Rows {
		fmt.Fprintf(&b, "<tr id=\"%s\">%s%s</tr>\n", escapeHTML(r.EID), side(r, r.Left, p.Left, r.LeftState), side(r, r.Right, p.Right, r.RightState))
	}
	b.WriteString("</tbody>\n</table>\n")
	return htmlPage("parallel", p.Meta.Title, p.Meta, "", p.extra(), b.String(), nil)
}

// DOCX implements Report: a two-column table; each cell is written in its
// language's direction.
func (p *Parallel) DOCX() ([]byte, error) {
	w := newDocx(p.Meta)
	w.meta(p.Meta.Title, p.Meta, p.extra()...)
	cell := func(lang string, o paraOpts, runs []Run) string {
		keep := w.rtl
		w.rtl = rtlLanguage(lang)
		defer func() { w.rtl = keep }()
		return w.paraXML(o, runs)
	}
	side := func(r ParallelRow, text, lang string, st engine.TranslationState) string {
		if r.Kind == HeadingRow {
			return cell(lang, paraOpts{style: docxHeadingStyle(r.Level)}, textRuns(text, OpEqual, Attribution{}))
		}
		out := ""
		if r.OptionStart {
			out = cell(lang, paraOpts{style: wsOption}, []Run{plain(localOption(r.Option, lang) + ":")})
		}
		o := paraOpts{}
		if r.Deleted {
			o.extra = fmtStrike
		}
		runs := append(numberRun(r.Number, r.Level, OpEqual, Attribution{}), textRuns(text, OpEqual, Attribution{})...)
		if n := translationNote(st); n != "" {
			runs = append(runs, Run{Text: " (" + n + ")", Emphasis: Italic, Op: OpEqual})
		}
		return out + cell(lang, o, runs)
	}
	rows := [][]string{
		{cell(p.Left, paraOpts{}, []Run{bold(engine.LanguageName(p.Left))}), cell(p.Right, paraOpts{}, []Run{bold(engine.LanguageName(p.Right))})},
		{cell(p.Left, paraOpts{}, []Run{bold(p.Meta.Title)}), cell(p.Right, paraOpts{}, []Run{bold(p.RightTitle)})},
	}
	for _, r := range p.Rows {
		rows = append(rows, []string{side(r, r.Left, p.Left, r.LeftState), side(r, r.Right, p.Right, r.RightState)})
	}
	w.table([]int{4513, 4513}, rows)
	return w.finish(p.Meta.Title, p.Meta, "parallel")
}

// TranslationReport is the translation status of a document: for each
// official language other than the working language, how many paragraphs
// are current, outdated or missing, and which.
type TranslationReport struct {
	Meta      Meta                    `json:"meta"`
	Working   string                  `json:"working"`
	Languages []engine.LanguageStatus `json:"languages"`
}

// BuildTranslationReport reports on the language versions of the live
// state of d.
func BuildTranslationReport(d *engine.Document, meta Meta) *TranslationReport {
	return &TranslationReport{Meta: fillMeta(meta, d), Working: d.WorkingLanguage(), Languages: d.TranslationStatus()}
}

// Kind implements Report.
func (*TranslationReport) Kind() string { return "translations" }

// Metadata implements Report.
func (t *TranslationReport) Metadata() Meta { return t.Meta }

// JSON implements Report.
func (t *TranslationReport) JSON() ([]byte, error) {
	return marshalReport("translations", struct {
		Report string `json:"report"`
		*TranslationReport
	}{"translations", t})
}

// AKN implements Report: the translation status has no Akoma Ntoso form.
func (t *TranslationReport) AKN() ([]byte, error) {
	return nil, engine.Errorf(engine.EINVALID, "the translation status has no Akoma Ntoso form; use md, html, docx or json")
}

func (t *TranslationReport) title() string { return "Translation status: " + t.Meta.Title }

func (t *TranslationReport) extra() []string {
	return []string{"Report: translation status", "Working language (source): " + engine.LanguageName(t.Working)}
}

// notCurrent lists a language's outdated and missing paragraphs as
// "outdated: 2, 29" and "missing: 1 bis".
func notCurrent(s engine.LanguageStatus) []string {
	var out []string
	for _, st := range []engine.TranslationState{engine.TranslationOutdated, engine.TranslationMissing} {
		var nums []string
		for _, p := range s.Paras {
			if p.State == st {
				n := p.Number
				if st == engine.TranslationOutdated {
					n += fmt.Sprintf(" (translates version %d of %d)", p.Translated, p.Source)
				}
				nums = append(nums, n)
			}
		}
		if len(nums) > 0 {
			out = append(out, fmt.Sprintf("%s: %s", st, strings.Join(nums, ", ")))
		}
	}
	return out
}

// Markdown implements Report.
func (t *TranslationReport) Markdown() []byte {
	var b strings.Builder
	mdMeta(&b, t.title(), t.Meta, t.extra()...)
	b.WriteString("| Language | Current | Outdated | Missing |\n|---|---:|---:|---:|\n")
	for _, s := range t.Languages {
		fmt.Fprintf(&b, "| %s | %d | %d | %d |\n", engine.LanguageName(s.Language), s.Current, s.Outdated, s.Missing)
	}
	for _, s := range t.Languages {
		if l := notCurrent(s); len(l) > 0 && s.Current > 0 {
			b.WriteString("\n## " + engine.LanguageName(s.Language) + "\n\n")
			for _, x := range l {
				b.WriteString("- " + mdText(x, inlineOpts{}) + "\n")
			}
		}
	}
	return []byte(b.String())
}

// HTML implements Report.
func (t *TranslationReport) HTML() []byte {
	var b strings.Builder
	b.WriteString("<table class=\"counts\">\n<thead><tr><th>Language</th><th>Current</th><th>Outdated</th><th>Missing</th></tr></thead>\n<tbody>\n")
	for _, s := range t.Languages {
		fmt.Fprintf(&b, "<tr data-language=\"%s\"><td>%s</td><td>%d</td><td>%d</td><td>%d</td></tr>\n", s.Language, escapeHTML(engine.LanguageName(s.Language)), s.Current, s.Outdated, s.Missing)
	}
	b.WriteString("</tbody>\n</table>\n")
	for _, s := range t.Languages {
		if l := notCurrent(s); len(l) > 0 && s.Current > 0 {
			b.WriteString("<h2>" + escapeHTML(engine.LanguageName(s.Language)) + "</h2>\n")
			htmlList(&b, len(l), func(i int) string { return l[i] })
		}
	}
	return htmlPage("translations", t.title(), t.Meta, "", t.extra(), b.String(), nil)
}

// DOCX implements Report.
func (t *TranslationReport) DOCX() ([]byte, error) {
	w := newDocx(t.Meta)
	w.meta(t.title(), t.Meta, t.extra()...)
	row := func(r func(string) Run, cells ...string) []string {
		out := make([]string, len(cells))
		for i, c := range cells {
			out[i] = w.paraXML(paraOpts{}, []Run{r(c)})
		}
		return out
	}
	rows := [][]string{row(bold, "Language", "Current", "Outdated", "Missing")}
	for _, s := range t.Languages {
		rows = append(rows, row(plain, engine.LanguageName(s.Language), fmt.Sprint(s.Current), fmt.Sprint(s.Outdated), fmt.Sprint(s.Missing)))
	}
	w.table([]int{3026, 2000, 2000, 2000}, rows)
	for _, s := range t.Languages {
		if l := notCurrent(s); len(l) > 0 && s.Current > 0 {
			w.para(paraOpts{style: wsHeading1}, []Run{plain(engine.LanguageName(s.Language))})
			for _, x := range l {
				w.para(paraOpts{style: wsNote}, []Run{plain(x)})
			}
		}
	}
	return w.finish(t.title(), t.Meta, "translations")
}

// LanguageSet is the clean text of a document in every language it has:
// the working language first, then each language version.
type LanguageSet struct {
	Meta  Meta         `json:"meta"`
	Texts []*CleanText `json:"texts"`
}

// BuildLanguageSet builds the clean text of d (rev nil: the live state) in
// each of its languages. meta names the text in the working language.
func BuildLanguageSet(d *engine.Document, rev *engine.Revision, meta Meta) (*LanguageSet, error) {
	s := &LanguageSet{Meta: meta}
	langs := d.Languages()
	if rev != nil {
		langs = langs[:1]
		for _, l := range engine.UNLanguages {
			if _, ok := rev.Translations[l]; ok {
				langs = append(langs, l)
			}
		}
	}
	for _, l := range langs {
		o, err := languageOutline(d, rev, l)
		if err != nil {
			return nil, err
		}
		c, err := Clean(o, inLanguage(meta, o), CleanOptions{Doc: d})
		if err != nil {
			return nil, err
		}
		s.Texts = append(s.Texts, c)
	}
	return s, nil
}

// Kind implements Report.
func (*LanguageSet) Kind() string { return "clean" }

// Metadata implements Report.
func (s *LanguageSet) Metadata() Meta { return s.Meta }

// JSON implements Report.
func (s *LanguageSet) JSON() ([]byte, error) {
	return marshalReport("clean", struct {
		Report string `json:"report"`
		*LanguageSet
	}{"clean", s})
}

// Markdown implements Report: each language's clean text in turn.
func (s *LanguageSet) Markdown() []byte {
	var parts []string
	for _, c := range s.Texts {
		parts = append(parts, string(c.Markdown()))
	}
	return []byte(strings.Join(parts, "\n---\n\n"))
}

// HTML implements Report: one page, each language in its own section with
// its language and direction.
func (s *LanguageSet) HTML() []byte {
	var b strings.Builder
	for _, c := range s.Texts {
		dir := "ltr"
		if c.Meta.RTL() {
			dir = "rtl"
		}
		fmt.Fprintf(&b, "<section class=\"language\" lang=\"%s\" dir=\"%s\">\n<h1>%s</h1>\n", escapeHTML(c.Meta.Language), dir, inlineHTML(mdText(c.Meta.Title, inlineOpts{})))
		ids := idSet{}
		b.WriteString(translationStyle(c.Rows))
		for _, r := range c.Rows {
			htmlCleanRow(&b, r, ids, "")
		}
		b.WriteString("</section>\n")
	}
	var names []string
	for _, c := range s.Texts {
		names = append(names, engine.LanguageName(c.Meta.Language))
	}
	return htmlPage("clean", s.Meta.Title, s.Meta, "", []string{"Report: clean text in every language", "Languages: " + strings.Join(names, ", ")}, b.String(), nil)
}

// DOCX implements Report: Word takes one language at a time.
func (s *LanguageSet) DOCX() ([]byte, error) {
	return nil, engine.Errorf(engine.EINVALID, "language \"all\" comes in Akoma Ntoso, HTML, Markdown or JSON; ask for one language at a time in .docx")
}

// AKN implements Report: an Akoma Ntoso <documentCollection> of the work,
// with one component per language, each a whole <doc> expression whose
// FRBRlanguage is its language.
func (s *LanguageSet) AKN() ([]byte, error) {
	var comps strings.Builder
	var langs []string
	for _, c := range s.Texts {
		b, err := c.AKN()
		if err != nil {
			return nil, err
		}
		x := string(b)
		start, end := strings.Index(x, "<doc "), strings.LastIndex(x, "</akomaNtoso>")
		if start < 0 || end < start {
			return nil, engine.Errorf(engine.EINTERNAL, "the %s expression has no <doc>", engine.LanguageName(c.Meta.Language))
		}
		lang := aknLanguage(c.Meta.Language)
		langs = append(langs, lang)
		// eIds are unique in the whole collection: each component's are
		// prefixed with its own ("cmp_fra__para_12"), as are the
		// references to them.
		prefix := "cmp_" + lang
		inner := strings.NewReplacer(`eId="`, `eId="`+prefix+`__`, `="#`, `="#`+prefix+`__`).Replace(x[start:end])
		fmt.Fprintf(&comps, "<component eId=\"%s\" refersTo=\"#expr-%s\">\n%s</component>\n", prefix, lang, inner)
	}
	m := s.Meta
	date := aknDate(m)
	work := "/akn/un/doc/report/" + date + "/" + aknName(baseSymbol(nonEmpty(m.Symbol, m.Title)))
	expr := work + "/mul@" + date
	var h strings.Builder
	h.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	h.WriteString(`<akomaNtoso xmlns="` + aknNS + `">` + "\n")
	h.WriteString(`<documentCollection name="languageVersions">` + "\n<meta>\n")
	h.WriteString(`<identification source="#draftroom">` + "\n")
	h.WriteString(frbrWork(work, date, m))
	h.WriteString("<FRBRExpression>" + `<FRBRthis value="` + xmlAttr(expr+"/!main") + `"/><FRBRuri value="` + xmlAttr(expr) + `"/>` +
		`<FRBRdate date="` + date + `" name="` + xmlAttr(nonEmpty(m.Revision, "version")) + `"/><FRBRauthor href="#secretariat"/>`)
	for _, l := range langs {
		h.WriteString(`<FRBRlanguage language="` + l + `"/>`)
	}
	h.WriteString("</FRBRExpression>\n")
	h.WriteString("<FRBRManifestation>" + `<FRBRthis value="` + xmlAttr(expr+"/!main.xml") + `"/><FRBRuri value="` + xmlAttr(expr+".akn") + `"/>` +
		`<FRBRdate date="` + date + `" name="generated"/><FRBRauthor href="#draftroom"/><FRBRformat value="application/akn+xml"/></FRBRManifestation>` + "\n")
	h.WriteString("</identification>\n")
	h.WriteString(`<references source="#draftroom">` + "\n")
	h.WriteString(`<TLCOrganization eId="secretariat" href="/ontology/organization/un/secretariat" showAs="Secretariat"/>` + "\n")
	h.WriteString(`<TLCOrganization eId="draftroom" href="/ontology/organization/draftroom" showAs="draftroom"/>` + "\n")
	for _, l := range langs {
		h.WriteString(`<TLCConcept eId="expr-` + l + `" href="` + xmlAttr(work+"/"+l+"@"+date) + `" showAs="` + xmlAttr(l) + `"/>` + "\n")
	}
	h.WriteString("</references>\n</meta>\n<collectionBody>\n")
	h.WriteString(comps.String())
	h.WriteString("</collectionBody>\n</documentCollection>\n</akomaNtoso>\n")
	return []byte(h.String()), nil
}

// ensure the reports implement Report.
var (
	_ Report = (*Parallel)(nil)
	_ Report = (*TranslationReport)(nil)
	_ Report = (*LanguageSet)(nil)
)
