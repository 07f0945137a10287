package engine

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Language versions. A document is issued under one symbol in the six
// official languages of the United Nations. Its text in the working
// language (Document.Language) is the source; each other language version
// holds, per paragraph identity, a translation that records the version of
// the source paragraph it translates. When the source paragraph's text
// changes (an edit, an accepted amendment, a bracket settled, a compromise
// text) its version goes up and every translation of it is outdated until a
// translator updates it. Structure is shared: numbers, order, sections,
// struck-through and removed paragraphs are the source's in every language.

// UNLanguages lists the six official languages of the United Nations by
// BCP 47 tag, in the order UN documents list them (Arabic, Chinese,
// English, French, Russian, Spanish).
var UNLanguages = []string{"ar", "zh", "en", "fr", "ru", "es"}

var languageNames = map[string]string{"ar": "Arabic", "zh": "Chinese", "en": "English", "fr": "French", "ru": "Russian", "es": "Spanish"}

// LanguageName names a language for messages: "French"; an unknown tag is
// returned as it is, quoted.
func LanguageName(tag string) string {
	if n, ok := languageNames[baseLanguage(tag)]; ok {
		return n
	}
	return fmt.Sprintf("%q", tag)
}

// baseLanguage is the primary subtag of a BCP 47 tag, lower case: "zh" for
// "zh-Hans".
func baseLanguage(tag string) string {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
	return base
}

// IsUNLanguage reports whether tag is one of the six official languages
// (its primary subtag: "zh-Hans" is Chinese).
func IsUNLanguage(tag string) bool { return slices.Contains(UNLanguages, baseLanguage(tag)) }

// checkUNLanguage refuses a tag that is not one of the six languages; field
// names what holds it.
func checkUNLanguage(field, tag string) error {
	if tag == "" {
		return Errorf(EINVALID, "%s is required: one of %s", field, strings.Join(UNLanguages, ", "))
	}
	if !IsUNLanguage(tag) || tag != baseLanguage(tag) {
		return Errorf(EINVALID, "%s %q is not one of the six official languages (%s)", field, tag, strings.Join(UNLanguages, ", "))
	}
	return nil
}

// WorkingLanguage is the language of the source text: the document's
// language, English when it names none.
func (d *Document) WorkingLanguage() string {
	if d.Language == "" {
		return "en"
	}
	return baseLanguage(d.Language)
}

// TranslationState says where one paragraph of a language version stands.
type TranslationState string

// Translation states.
const (
	// TranslationCurrent is a translation of the source paragraph's
	// current text.
	TranslationCurrent TranslationState = "current"
	// TranslationOutdated is a translation of an earlier text of the
	// source paragraph.
	TranslationOutdated TranslationState = "outdated"
	// TranslationMissing is a paragraph with no translation yet.
	TranslationMissing TranslationState = "missing"
)

// LanguageVersion is the document in one language other than the working
// language: a translated title and headings, and per paragraph identity
// its translation.
type LanguageVersion struct {
	Language string                       `json:"language"`
	Title    string                       `json:"title,omitempty"`
	Headings map[SectionID]string         `json:"headings,omitempty"`
	Paras    map[ParagraphID]*Translation `json:"paras"`
}

// Translation is the text of one paragraph in a language version.
type Translation struct {
	Text string `json:"text"`
	// Version is raised by every change of the translation, from 1; a
	// translator's command names the version it replaces.
	Version int `json:"version"`
	// Source is the version of the source paragraph this text translates.
	Source int `json:"source"`
	// At and By say when and by whom the text was last set.
	At time.Time `json:"at"`
	By PersonID  `json:"by,omitempty"`
}

// Languages lists the languages of the document: the working language
// first, then every language version, in the UN order.
func (d *Document) Languages() []string {
	out := []string{d.WorkingLanguage()}
	for _, l := range UNLanguages {
		if d.Translations[l] != nil && l != out[0] {
			out = append(out, l)
		}
	}
	return out
}

// Translation returns a paragraph's translation into lang and where it
// stands; nil and TranslationMissing when there is none.
func (d *Document) Translation(lang string, id ParagraphID) (*Translation, TranslationState) {
	var t *Translation
	if v := d.Translations[lang]; v != nil {
		t = v.Paras[id]
	}
	p := d.Paragraphs[id]
	switch {
	case t == nil || p == nil:
		return nil, TranslationMissing
	case t.Source != p.Version:
		return t, TranslationOutdated
	}
	return t, TranslationCurrent
}

// LanguageStatus counts, for one language, the paragraphs of the text
// whose translation is current, outdated or missing, and names the
// outdated and missing ones.
type LanguageStatus struct {
	Language string         `json:"language"`
	Current  int            `json:"current"`
	Outdated int            `json:"outdated"`
	Missing  int            `json:"missing"`
	Paras    []ParagraphRef `json:"paras,omitempty"` // every paragraph not current, in reading order
}

// ParagraphRef names a paragraph in a translation status: its identity,
// display number, and where its translation stands.
type ParagraphRef struct {
	ID     ParagraphID      `json:"id"`
	Number string           `json:"number,omitempty"`
	State  TranslationState `json:"state"`
	// Source and Translated are the version of the source text and the
	// version the translation translates (0 when missing).
	Source     int `json:"source"`
	Translated int `json:"translated,omitempty"`
}

// TranslationStatus reports, for each of the six languages other than the
// working language, how many paragraphs of the text (struck-through ones
// included) have a current, an outdated or no translation: what the
// secretariat checks before issuing.
func (d *Document) TranslationStatus() []LanguageStatus {
	var out []LanguageStatus
	order := d.Order()
	for _, l := range UNLanguages {
		if l == d.WorkingLanguage() {
			continue
		}
		s := LanguageStatus{Language: l}
		for _, p := range order {
			t, st := d.Translation(l, p.ID)
			switch st {
			case TranslationCurrent:
				s.Current++
				continue
			case TranslationOutdated:
				s.Outdated++
			default:
				s.Missing++
			}
			ref := ParagraphRef{ID: p.ID, Number: d.displayName(p), State: st, Source: p.Version}
			if t != nil {
				ref.Translated = t.Source
			}
			s.Paras = append(s.Paras, ref)
		}
		out = append(out, s)
	}
	return out
}

// LanguageOutline returns the live text in lang: the working language's
// Outline, or the language version's, where each paragraph carries its
// translation and where it stands. A paragraph with no translation keeps
// the source text, marked missing; a heading or title with none keeps the
// source's.
func (d *Document) LanguageOutline(lang string) (Outline, error) {
	if lang == "" || baseLanguage(lang) == d.WorkingLanguage() {
		return d.Outline(), nil
	}
	v := d.Translations[lang]
	if v == nil {
		return Outline{}, Errorf(ENOTFOUND, "%s has no %s version (it has: %s)", d.label(), LanguageName(lang), strings.Join(d.Languages(), ", "))
	}
	return d.translateOutline(d.Outline(), lang), nil
}

// translateOutline puts the language version's texts into an outline of
// the source.
func (d *Document) translateOutline(o Outline, lang string) Outline {
	v := d.Translations[lang]
	o.Language = lang
	if v.Title != "" {
		o.Title = v.Title
	}
	for i := range o.Sections {
		s := &o.Sections[i]
		if h := v.Headings[s.ID]; h != "" {
			s.Heading = h
		}
	}
	o.Walk(func(_ *OutlineSection, p *OutlineParagraph) {
		t, st := d.Translation(lang, p.ID)
		p.Translation = st
		if t != nil {
			p.Text, p.Version = t.Text, t.Version
		}
	})
	return o
}

// translatorMay applies the rule for translators: they work on their own
// language version and nothing else.
func translatorMay(c Context, cmd DocumentCommand) error {
	lang := ""
	switch x := cmd.(type) {
	case TranslateParagraph:
		lang = x.Language
	case TranslateHeading:
		lang = x.Language
	case ImportTranslation:
		lang = x.Language
	default:
		return Errorf(EFORBIDDEN, "a translator into %s works on the %s version only and cannot %s", LanguageName(c.Actor.Language), LanguageName(c.Actor.Language), describeCommand(cmd))
	}
	if lang != c.Actor.Language {
		return Errorf(EFORBIDDEN, "a translator into %s cannot change the %s version; only its translators and the secretariat can", LanguageName(c.Actor.Language), LanguageName(lang))
	}
	return nil
}

// mayTranslate refuses anyone but the secretariat, the system and
// translators (whose language guard has checked) a translation command.
func mayTranslate(d *Document, c Context, lang string) error {
	switch c.Actor.Role {
	case RoleSecretariat, RoleSystem, RoleTranslator:
		return nil
	case RoleDelegate:
		return Errorf(EFORBIDDEN, "a delegate of %s cannot change the %s version of %s; the secretariat's translators do", c.Actor.State, LanguageName(lang), d.label())
	}
	return Errorf(EFORBIDDEN, "%s cannot change the %s version of %s; the secretariat's translators do", roleName(c.Actor.Role), LanguageName(lang), d.label())
}

// checkVersionLanguage refuses the working language and anything but the
// six languages as the language of a version.
func (d *Document) checkVersionLanguage(lang string) error {
	if err := checkUNLanguage("language", lang); err != nil {
		return err
	}
	if lang == d.WorkingLanguage() {
		return Errorf(EINVALID, "%s is the working language of %s: its text is the source, changed by the pen-holder, not a translation", LanguageName(lang), d.label())
	}
	return nil
}

// TranslateParagraph sets the text of one paragraph in a language version
// (a translator, or the secretariat). Version is the version of the
// translation it replaces (0 when there is none yet); Source the version of
// the source paragraph the text translates, normally its current one.
type TranslateParagraph struct {
	Language string      `json:"language"`
	Para     ParagraphID `json:"para"`
	Version  int         `json:"version"`
	Source   int         `json:"source"`
	Text     string      `json:"text"`
}

// ParagraphTranslated records a paragraph's new text in a language
// version.
type ParagraphTranslated TranslateParagraph

func (cmd TranslateParagraph) decide(d *Document, c Context) ([]EventData, error) {
	if err := d.checkVersionLanguage(cmd.Language); err != nil {
		return nil, err
	}
	if err := mayTranslate(d, c, cmd.Language); err != nil {
		return nil, err
	}
	p, err := d.Paragraph(cmd.Para)
	if err != nil {
		return nil, err
	}
	field := fmt.Sprintf("%s text of paragraph %s", LanguageName(cmd.Language), d.displayName(p))
	if err := nonEmpty(field, cmd.Text); err != nil {
		return nil, err
	}
	if err := checkText(field, cmd.Text); err != nil {
		return nil, err
	}
	cur := 0
	if t, _ := d.Translation(cmd.Language, p.ID); t != nil {
		cur = t.Version
	}
	if cmd.Version != cur {
		return nil, Errorf(ECONFLICT, "the %s text of paragraph %s is at version %d, not %d: someone changed it; reload and try again", LanguageName(cmd.Language), d.displayName(p), cur, cmd.Version)
	}
	if cmd.Source < 1 || cmd.Source > p.Version {
		return nil, Errorf(EINVALID, "source: paragraph %s is at version %d; a translation translates one of versions 1 to %d, not %d", d.displayName(p), p.Version, p.Version, cmd.Source)
	}
	return []EventData{ParagraphTranslated(cmd)}, nil
}

// EventType implements EventData.
func (ParagraphTranslated) EventType() string { return "translation.paragraph" }

func (ev ParagraphTranslated) apply(d *Document, e Event) {
	v := d.languageVersion(ev.Language)
	t := v.Paras[ev.Para]
	if t == nil {
		t = &Translation{}
		v.Paras[ev.Para] = t
	}
	t.Text, t.Source, t.At, t.By = ev.Text, ev.Source, e.At, e.Actor.Person
	t.Version++
}

// languageVersion returns the version in lang, created empty if needed.
func (d *Document) languageVersion(lang string) *LanguageVersion {
	if d.Translations == nil {
		d.Translations = map[string]*LanguageVersion{}
	}
	v := d.Translations[lang]
	if v == nil {
		v = &LanguageVersion{Language: lang, Paras: map[ParagraphID]*Translation{}}
		d.Translations[lang] = v
	}
	return v
}

// TranslateHeading sets a section heading in a language version, or with
// Section empty the document's title.
type TranslateHeading struct {
	Language string    `json:"language"`
	Section  SectionID `json:"section,omitempty"`
	Text     string    `json:"text"`
}

// HeadingTranslated records a heading (or the title) in a language
// version.
type HeadingTranslated TranslateHeading

func (cmd TranslateHeading) decide(d *Document, c Context) ([]EventData, error) {
	if err := d.checkVersionLanguage(cmd.Language); err != nil {
		return nil, err
	}
	if err := mayTranslate(d, c, cmd.Language); err != nil {
		return nil, err
	}
	field := LanguageName(cmd.Language) + " title"
	if cmd.Section != "" {
		s, _ := d.section(cmd.Section)
		if s == nil {
			return nil, Errorf(ENOTFOUND, "section %s does not exist in %s", cmd.Section, d.label())
		}
		field = fmt.Sprintf("%s heading of section %s", LanguageName(cmd.Language), cmd.Section)
	}
	if err := nonEmpty(field, cmd.Text); err != nil {
		return nil, err
	}
	if err := checkText(field, cmd.Text); err != nil {
		return nil, err
	}
	return []EventData{HeadingTranslated(cmd)}, nil
}

// EventType implements EventData.
func (HeadingTranslated) EventType() string { return "translation.heading" }

func (ev HeadingTranslated) apply(d *Document, e Event) {
	v := d.languageVersion(ev.Language)
	if ev.Section == "" {
		v.Title = ev.Text
		return
	}
	if v.Headings == nil {
		v.Headings = map[SectionID]string{}
	}
	v.Headings[ev.Section] = ev.Text
}

// ImportTranslation takes a language version from a file in the import
// format (see ImportDraft), numbered as the source is now. Paragraphs are
// aligned by their numbers ("12", "12 bis", "(a)" under 12; unnumbered
// ones by their place among the unnumbered paragraphs of their section,
// which is how the source's eIds name them), headings by the order of
// sections, the title by the first "# " line. Every matched paragraph
// whose text differs from its translation gets it, as a translation of
// the source paragraph's current version; paragraphs of the file that
// match none of the document, and paragraphs of the document the file
// lacks, are listed in the event.
type ImportTranslation struct {
	Language string `json:"language"`
	Text     string `json:"text"`
	// File names the file for the record (optional).
	File string `json:"file,omitempty"`
}

// TranslationImported records what an import took into a language version
// and what it could not align.
type TranslationImported struct {
	Language string               `json:"language"`
	File     string               `json:"file,omitempty"`
	Title    string               `json:"title,omitempty"`
	Headings map[SectionID]string `json:"headings,omitempty"`
	Paras    []ImportedParagraph  `json:"paras"`
	// Unchanged counts matched paragraphs whose translation already held
	// the file's text for the current source.
	Unchanged int `json:"unchanged,omitempty"`
	// Unmatched lists the paragraphs of the file that match no paragraph
	// of the document; Absent the paragraphs of the document the file
	// does not have (their translations are left as they were).
	Unmatched []UnmatchedParagraph `json:"unmatched,omitempty"`
	Absent    []ParagraphRef       `json:"absent,omitempty"`
	// SectionCounts is set when the file's sections do not line up with
	// the document's (their headings were then not taken): how many each
	// has. It is data, not a sentence, so that each reader's interface
	// words it in its own language.
	SectionCounts *SectionCounts `json:"sectionCounts,omitempty"`
}

// SectionCounts are the numbers of sections of an imported file and of
// the document, when they differ.
type SectionCounts struct {
	File     int `json:"file"`
	Document int `json:"document"`
}

// ImportedParagraph is one paragraph taken from an imported file.
type ImportedParagraph struct {
	Para   ParagraphID `json:"para"`
	Source int         `json:"source"`
	Text   string      `json:"text"`
	Line   int         `json:"line,omitempty"`
}

// UnmatchedParagraph is a paragraph of an imported file that matches no
// paragraph of the document.
type UnmatchedParagraph struct {
	Line    int    `json:"line"`
	Number  string `json:"number,omitempty"`
	EID     string `json:"eId"`
	Excerpt string `json:"excerpt"`
}

// String renders an unmatched paragraph for a report.
func (u UnmatchedParagraph) String() string {
	n := u.Number
	if n == "" {
		n = "an unnumbered paragraph (" + u.EID + ")"
	} else {
		n = "paragraph " + n
	}
	return fmt.Sprintf("line %d: %s matches no paragraph of the document: %q", u.Line, n, u.Excerpt)
}

func (cmd ImportTranslation) decide(d *Document, c Context) ([]EventData, error) {
	if err := d.checkVersionLanguage(cmd.Language); err != nil {
		return nil, err
	}
	if err := mayTranslate(d, c, cmd.Language); err != nil {
		return nil, err
	}
	if err := checkText("file name", cmd.File); err != nil {
		return nil, err
	}
	ev, err := d.AlignTranslation(cmd.Language, cmd.Text)
	if err != nil {
		return nil, err
	}
	ev.File = cmd.File
	return []EventData{ev}, nil
}

// AlignTranslation reads a file in the import format and aligns it with
// the document's paragraphs by number, as ImportTranslation does; it
// changes nothing and is what the import command records. A file of which
// no paragraph matches is refused.
func (d *Document) AlignTranslation(lang, text string) (TranslationImported, error) {
	ev := TranslationImported{Language: lang, Paras: []ImportedParagraph{}}
	draft, _, err := ImportDraft(text)
	if err != nil {
		return ev, err
	}
	// The file's paragraphs get the identifiers the source would give
	// paragraphs numbered as they are: a scratch document made from it.
	draft.Numbering = d.Numbering
	scratch := NewDocument()
	if draft.Title == "" {
		draft.Title = "-"
	}
	DocumentCreated(CreateDocument{ID: "scratch", Draft: draft}).apply(scratch, Event{})
	lines := map[ParagraphID]int{}
	var walkLines func(ps []DraftParagraph)
	n := 0
	walkLines = func(ps []DraftParagraph) {
		for _, p := range ps {
			n++
			lines[ParagraphID(fmt.Sprintf("p%d", n))] = p.Line
			walkLines(p.Children)
		}
	}
	for _, s := range draft.Sections {
		walkLines(s.Paras)
	}
	byEID := map[string]*Paragraph{}
	srcEIDs := d.eids()
	for id, e := range srcEIDs {
		byEID[e] = d.Paragraphs[id]
	}
	found := map[ParagraphID]bool{}
	seids := scratch.eids()
	for _, sp := range scratch.Order() {
		e := seids[sp.ID]
		p := byEID[e]
		if p == nil || found[p.ID] {
			ev.Unmatched = append(ev.Unmatched, UnmatchedParagraph{Line: lines[sp.ID], Number: scratch.Number(sp), EID: e, Excerpt: excerpt(sp.Text, 60)})
			continue
		}
		found[p.ID] = true
		if err := checkText(fmt.Sprintf("the paragraph at line %d", lines[sp.ID]), sp.Text); err != nil {
			return ev, err
		}
		if t, st := d.Translation(lang, p.ID); st == TranslationCurrent && t.Text == sp.Text {
			ev.Unchanged++
			continue
		}
		ev.Paras = append(ev.Paras, ImportedParagraph{Para: p.ID, Source: p.Version, Text: sp.Text, Line: lines[sp.ID]})
	}
	for _, p := range d.Order() {
		if !found[p.ID] {
			ev.Absent = append(ev.Absent, ParagraphRef{ID: p.ID, Number: d.displayName(p), State: TranslationMissing, Source: p.Version})
		}
	}
	if len(found) == 0 {
		return ev, Errorf(EINVALID, "no paragraph of the file matches a paragraph of %s by number (%d paragraph(s) in the file, %d in the document); number the file as the document is numbered now", d.label(), len(scratch.Order()), len(d.Order()))
	}
	if draft.Title != "-" && draft.Title != "" {
		ev.Title = draft.Title
	}
	// Headings line up by the order of sections; a file with another
	// number of sections is not guessed at.
	fs := draft.Sections
	if len(fs) > 0 && len(d.Sections) > 0 && fs[0].Heading == "" && d.Sections[0].Heading != "" && len(fs[0].Paras) == 0 {
		fs = fs[1:]
	}
	if len(fs) != len(d.Sections) {
		ev.SectionCounts = &SectionCounts{File: len(fs), Document: len(d.Sections)}
	} else {
		for i, s := range fs {
			if s.Heading != "" && d.Sections[i].Heading != "" {
				if ev.Headings == nil {
					ev.Headings = map[SectionID]string{}
				}
				ev.Headings[d.Sections[i].ID] = s.Heading
			}
		}
	}
	return ev, nil
}

// excerpt is the first n characters of s, with an ellipsis when cut.
func excerpt(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// EventType implements EventData.
func (TranslationImported) EventType() string { return "translation.imported" }

func (ev TranslationImported) apply(d *Document, e Event) {
	v := d.languageVersion(ev.Language)
	if ev.Title != "" {
		v.Title = ev.Title
	}
	for id, h := range ev.Headings {
		if v.Headings == nil {
			v.Headings = map[SectionID]string{}
		}
		v.Headings[id] = h
	}
	for _, ip := range ev.Paras {
		t := v.Paras[ip.Para]
		if t == nil {
			t = &Translation{}
			v.Paras[ip.Para] = t
		}
		t.Text, t.Source, t.At, t.By = ip.Text, ip.Source, e.At, e.Actor.Person
		t.Version++
	}
}

// Report says in lines what an import took and what it could not align.
func (ev TranslationImported) Report() []string {
	out := []string{fmt.Sprintf("%s version: %d paragraph(s) taken, %d already current, %d paragraph(s) of the file unmatched, %d paragraph(s) of the document not in the file",
		LanguageName(ev.Language), len(ev.Paras), ev.Unchanged, len(ev.Unmatched), len(ev.Absent))}
	for _, u := range ev.Unmatched {
		out = append(out, "unmatched: "+u.String())
	}
	if len(ev.Absent) > 0 {
		nums := make([]string, len(ev.Absent))
		for i, a := range ev.Absent {
			nums[i] = a.Number
		}
		out = append(out, "not in the file: paragraph(s) "+strings.Join(nums, ", "))
	}
	if c := ev.SectionCounts; c != nil {
		out = append(out, fmt.Sprintf("headings: the file has %d section(s) and the document %d; headings were not taken", c.File, c.Document))
	}
	return out
}

func init() {
	RegisterEvent(func() EventData { return new(ParagraphTranslated) })
	RegisterEvent(func() EventData { return new(HeadingTranslated) })
	RegisterEvent(func() EventData { return new(TranslationImported) })
}
