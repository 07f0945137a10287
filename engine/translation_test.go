package engine

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// translator is the context of the secretariat's translator into lang.
func translator(lang string) Context {
	return Context{Now: t0, Actor: Actor{Person: PersonID("tr-" + lang), Role: RoleTranslator, Language: lang}, Offices: testOffices}
}

// translateAll gives every paragraph of d a French and an Arabic text,
// translating the current source, as each language's translator.
func translateAll(t *testing.T, d *Document) {
	t.Helper()
	for _, p := range d.Order() {
		for _, lang := range []string{"fr", "ar"} {
			cur := 0
			if tr, _ := d.Translation(lang, p.ID); tr != nil {
				cur = tr.Version
			}
			must(t, d, translator(lang), TranslateParagraph{Language: lang, Para: p.ID, Version: cur, Source: p.Version, Text: lang + ": " + string(p.ID)})
		}
	}
}

// states returns where every paragraph's translation into lang stands,
// by display number.
func states(d *Document, lang string) map[string]TranslationState {
	out := map[string]TranslationState{}
	for _, p := range d.Order() {
		_, st := d.Translation(lang, p.ID)
		out[d.displayName(p)] = st
	}
	return out
}

// TestTranslationOutdatedOnEverySourceChange changes the source text in
// every way the room can and checks that exactly the translations of the
// changed paragraphs become outdated (or missing, for a new paragraph), in
// both languages, and that a translator's update makes them current again.
func TestTranslationOutdatedOnEverySourceChange(t *testing.T) {
	type change struct {
		name string
		// do changes the source; it returns the paragraphs (by number after
		// the change) whose translations must now be outdated, and those
		// that must be missing.
		do func(t *testing.T, d *Document) (outdated, missing []string)
	}
	amend := func(t *testing.T, d *Document, a ProposeAmendment, outcome AmendmentStatus, text string) {
		t.Helper()
		evs := must(t, d, delegate("FRA"), a)
		id := evs[0].Data.(*AmendmentProposed).Amendment.ID
		must(t, d, chair, DecideAmendment{Amendment: id, Outcome: outcome, NewText: text})
	}
	changes := []change{
		{"an edit by the pen-holder", func(t *testing.T, d *Document) ([]string, []string) {
			p := numbered(t, d, "2")
			must(t, d, chair, EditText{Para: p.ID, Version: p.Version, Start: 0, End: 6, Insert: "Delegations"})
			return []string{"2"}, nil
		}},
		{"a revised text (the secretariat's correction)", func(t *testing.T, d *Document) ([]string, []string) {
			p := numbered(t, d, "4")
			must(t, d, secretary, ReplaceText{Para: p.ID, Version: p.Version, Text: "The Chair noted the discussions held."})
			return []string{"4"}, nil
		}},
		{"an accepted amendment", func(t *testing.T, d *Document) ([]string, []string) {
			p := numbered(t, d, "2")
			amend(t, d, ProposeAmendment{Proposer: "FRA", Op: OpInsert, Para: p.ID, Version: p.Version, Start: 5, End: 5, NewText: " also"}, Accepted, "")
			return []string{"2"}, nil
		}},
		{"an amendment accepted as modified", func(t *testing.T, d *Document) ([]string, []string) {
			p := numbered(t, d, "2")
			amend(t, d, ProposeAmendment{Proposer: "FRA", Op: OpReplace, Para: p.ID, Version: p.Version, Start: 7, End: 15, NewText: "reaffirmed"}, AcceptedAsModified, "welcomed")
			return []string{"2"}, nil
		}},
		{"an amendment incorporated in brackets", func(t *testing.T, d *Document) ([]string, []string) {
			p := numbered(t, d, "4")
			amend(t, d, ProposeAmendment{Proposer: "FRA", Op: OpDelete, Para: p.ID, Version: p.Version, Start: 16, End: 31}, InBrackets, "")
			return []string{"4"}, nil
		}},
		{"a paragraph replaced by amendment", func(t *testing.T, d *Document) ([]string, []string) {
			p := numbered(t, d, "2")
			amend(t, d, ProposeAmendment{Proposer: "FRA", Op: OpReplaceParagraph, Para: p.ID, Version: p.Version, NewText: "States recalled resolution 79/237."}, Accepted, "")
			return []string{"2"}, nil
		}},
		{"a replacement in brackets: the original bracketed, the proposal added as 2 alt", func(t *testing.T, d *Document) ([]string, []string) {
			p := numbered(t, d, "2")
			amend(t, d, ProposeAmendment{Proposer: "FRA", Op: OpReplaceParagraph, Para: p.ID, Version: p.Version, NewText: "States recalled resolution 79/237."}, InBrackets, "")
			return []string{"2"}, []string{"2 alt"}
		}},
		{"a paragraph added by amendment", func(t *testing.T, d *Document) ([]string, []string) {
			p := numbered(t, d, "1")
			amend(t, d, ProposeAmendment{Proposer: "FRA", Op: OpAddParagraph, Para: p.ID, NewText: "States welcomed the report."}, Accepted, "")
			return nil, []string{"1 bis"}
		}},
		{"brackets added", func(t *testing.T, d *Document) ([]string, []string) {
			p := numbered(t, d, "2")
			must(t, d, chair, AddBrackets{Para: p.ID, Version: p.Version, Start: 16, End: 32, By: []StateCode{"RUS"}})
			return []string{"2"}, nil
		}},
		{"a bracket settled: text kept", func(t *testing.T, d *Document) ([]string, []string) {
			p := numbered(t, d, "3")
			must(t, d, chair, ClearBrackets{Para: p.ID, Version: p.Version, Index: 0})
			return []string{"3"}, nil
		}},
		{"an alternative chosen: the other dropped", func(t *testing.T, d *Document) ([]string, []string) {
			p := numbered(t, d, "1")
			must(t, d, chair, ClearBrackets{Para: p.ID, Version: p.Version, Index: 1, Drop: true})
			return []string{"1"}, nil
		}},
		{"a subparagraph edited", func(t *testing.T, d *Document) ([]string, []string) {
			p := d.Paragraphs[numbered(t, d, "3").Children[1]]
			must(t, d, chair, ClearBrackets{Para: p.ID, Version: p.Version, Index: 0, Drop: true})
			return []string{"(b)"}, nil
		}},
		{"a compromise text merging an amendment", func(t *testing.T, d *Document) ([]string, []string) {
			p := numbered(t, d, "4")
			evs := must(t, d, delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpInsert, Para: p.ID, Version: p.Version, Start: 0, End: 0, NewText: "Finally, "})
			id := evs[0].Data.(*AmendmentProposed).Amendment.ID
			must(t, d, chair, ReplaceText{Para: p.ID, Version: p.Version, Text: "Lastly, the Chair noted the discussions.", Merges: []AmendmentID{id}})
			return []string{"4"}, nil
		}},
	}
	for _, ch := range changes {
		t.Run(ch.name, func(t *testing.T) {
			d := newDoc(t, sampleDraft)
			translateAll(t, d)
			for _, lang := range []string{"fr", "ar"} {
				for num, st := range states(d, lang) {
					if st != TranslationCurrent {
						t.Fatalf("before the change, %s %s is %s", lang, num, st)
					}
				}
			}
			outdated, missing := ch.do(t, d)
			for _, lang := range []string{"fr", "ar"} {
				want := map[string]TranslationState{}
				for num := range states(d, lang) {
					want[num] = TranslationCurrent
				}
				for _, n := range outdated {
					want[n] = TranslationOutdated
				}
				for _, n := range missing {
					want[n] = TranslationMissing
				}
				if got := states(d, lang); !reflect.DeepEqual(got, want) {
					t.Fatalf("%s after %s:\n got %v\nwant %v", lang, ch.name, got, want)
				}
				// The status report counts them.
				for _, s := range d.TranslationStatus() {
					if s.Language == lang && (s.Outdated != len(outdated) || s.Missing != len(missing) || s.Current != len(d.Order())-len(outdated)-len(missing)) {
						t.Fatalf("%s status = %+v, want %d outdated, %d missing", lang, s, len(outdated), len(missing))
					}
				}
				o, err := d.LanguageOutline(lang)
				if err != nil {
					t.Fatal(err)
				}
				o.Walk(func(_ *OutlineSection, p *OutlineParagraph) {
					if p.Translation != want[nonEmpty2(p.Number, string(p.ID))] {
						t.Errorf("%s outline: paragraph %s marked %q, want %q", lang, p.Number, p.Translation, want[p.Number])
					}
				})
			}
			// The translators update them: current again.
			translateAll(t, d)
			for _, lang := range []string{"fr", "ar"} {
				for num, st := range states(d, lang) {
					if st != TranslationCurrent {
						t.Errorf("after the update, %s %s is %s", lang, num, st)
					}
				}
			}
		})
	}
}

func nonEmpty2(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestTranslationFollowsStructure: structure is the source's in every
// language. A paragraph struck through is struck through in every version
// (nothing to translate, so its translation stays current); one whose
// deletion is agreed leaves every version; a moved paragraph moves; a
// revision renumbers every version and freezes the versions as they
// stand, outdated marks included.
func TestTranslationFollowsStructure(t *testing.T) {
	d := newDoc(t, sampleDraft)
	translateAll(t, d)
	p2, p4 := numbered(t, d, "2"), numbered(t, d, "4")
	must(t, d, chair, DeleteParagraph{Para: p2.ID})
	fr, _ := d.LanguageOutline("fr")
	struck := false
	fr.Walk(func(_ *OutlineSection, p *OutlineParagraph) {
		if p.ID == p2.ID {
			struck = p.Deleted && p.Translation == TranslationCurrent && p.Text == "fr: "+string(p2.ID)
		}
	})
	if !struck {
		t.Fatalf("paragraph 2 struck through in English is not struck through (and current) in French: %+v", fr)
	}
	must(t, d, chair, RemoveParagraph{Para: p2.ID})
	for _, s := range d.TranslationStatus() {
		if s.Language != "fr" && s.Language != "ar" {
			continue
		}
		if s.Current != len(d.Order()) || s.Outdated+s.Missing != 0 {
			t.Fatalf("%s after removal: %+v (the text has %d paragraphs)", s.Language, s, len(d.Order()))
		}
	}
	// Edit 4 so that French is outdated there, then issue a revision: 3
	// becomes 2 and 4 becomes 3 in every language, and the revision keeps
	// the French as it stood.
	must(t, d, chair, EditText{Para: p4.ID, Version: p4.Version, Start: 0, End: 3, Insert: "This"})
	must(t, d, secretary, IssueRevision{Kind: ZeroDraft})
	rev := d.Revisions[0]
	for _, lang := range []string{"fr", "ar"} {
		o, err := rev.LanguageOutline(lang)
		if err != nil {
			t.Fatal(err)
		}
		var nums []string
		o.Walk(func(_ *OutlineSection, p *OutlineParagraph) {
			if p.Level == 0 {
				nums = append(nums, p.Number+"="+string(p.Translation))
			}
		})
		if got := strings.Join(nums, " "); got != "1=current 2=current 3=outdated" {
			t.Errorf("revision 0 in %s: %s", lang, got)
		}
	}
	if _, st := d.Translation("fr", numbered(t, d, "2").ID); st != TranslationCurrent {
		t.Errorf("issuing a revision changed no text, yet paragraph 2 (renumbered) is %s in French", st)
	}
	// The frozen version does not move when the translator updates.
	tr, _ := d.Translation("fr", p4.ID)
	must(t, d, translator("fr"), TranslateParagraph{Language: "fr", Para: p4.ID, Version: tr.Version, Source: p4.Version, Text: "Ce paragraphe."})
	o, _ := rev.LanguageOutline("fr")
	o.Walk(func(_ *OutlineSection, p *OutlineParagraph) {
		if p.ID == p4.ID && (p.Text == "Ce paragraphe." || p.Translation != TranslationOutdated) {
			t.Errorf("revision 0's French changed after it was issued: %+v", p)
		}
	})
	if _, err := rev.LanguageOutline("ru"); ErrorCode(err) != ENOTFOUND {
		t.Errorf("revision 0 in Russian: %v, want not found", err)
	}
}

// TestTranslationRefusals: translators change their own language version
// and nothing else; no one else but the secretariat translates.
func TestTranslationRefusals(t *testing.T) {
	d := newDoc(t, sampleDraft)
	p1 := numbered(t, d, "1")
	must(t, d, translator("fr"), TranslateParagraph{Language: "fr", Para: p1.ID, Version: 0, Source: 1, Text: "Le Mécanisme a tenu sa première session à [New York][Genève]."})
	rows := []struct {
		name string
		c    Context
		cmd  DocumentCommand
		code string
		want string
	}{
		{"French translator edits the Arabic version", translator("fr"), TranslateParagraph{Language: "ar", Para: p1.ID, Source: 1, Text: "نص"}, EFORBIDDEN,
			"a translator into French cannot change the Arabic version; only its translators and the secretariat can"},
		{"Arabic translator edits the French version", translator("ar"), TranslateParagraph{Language: "fr", Para: p1.ID, Version: 1, Source: 1, Text: "Texte"}, EFORBIDDEN,
			"a translator into Arabic cannot change the French version"},
		{"Arabic translator imports into French", translator("ar"), ImportTranslation{Language: "fr", Text: "1. Texte."}, EFORBIDDEN,
			"a translator into Arabic cannot change the French version"},
		{"Chinese translator renames the French title", translator("zh"), TranslateHeading{Language: "fr", Text: "Titre"}, EFORBIDDEN,
			"a translator into Chinese cannot change the French version"},
		{"translator edits the source", translator("fr"), EditText{Para: p1.ID, Version: 1, Start: 0, End: 3, Insert: "A"}, EFORBIDDEN,
			"a translator into French works on the French version only and cannot edit the text"},
		{"translator settles a bracket", translator("fr"), ClearBrackets{Para: p1.ID, Version: 1, Index: 0}, EFORBIDDEN,
			"a translator into French works on the French version only and cannot clear brackets"},
		{"translator proposes", translator("fr"), ProposeAmendment{Proposer: "FRA", Op: OpDelete, Para: p1.ID, Version: 1, Start: 0, End: 3}, EFORBIDDEN,
			"a translator into French works on the French version only and cannot do that"},
		{"delegate translates", delegate("FRA"), TranslateParagraph{Language: "fr", Para: p1.ID, Version: 1, Source: 1, Text: "Texte"}, EFORBIDDEN,
			"a delegate of FRA cannot change the French version of A/AC.292/2027/CRP.1; the secretariat's translators do"},
		{"chair translates", chair, TranslateParagraph{Language: "fr", Para: p1.ID, Version: 1, Source: 1, Text: "Texte"}, EFORBIDDEN,
			"a chair cannot change the French version of A/AC.292/2027/CRP.1; the secretariat's translators do"},
		{"the working language", secretary, TranslateParagraph{Language: "en", Para: p1.ID, Source: 1, Text: "Text"}, EINVALID,
			"English is the working language of A/AC.292/2027/CRP.1: its text is the source, changed by the pen-holder, not a translation"},
		{"not a UN language", secretary, TranslateParagraph{Language: "de", Para: p1.ID, Source: 1, Text: "Text"}, EINVALID,
			`language "de" is not one of the six official languages (ar, zh, en, fr, ru, es)`},
		{"a region subtag", secretary, TranslateParagraph{Language: "fr-CA", Para: p1.ID, Source: 1, Text: "Text"}, EINVALID,
			`language "fr-CA" is not one of the six official languages`},
		{"stale translation version", translator("fr"), TranslateParagraph{Language: "fr", Para: p1.ID, Version: 0, Source: 1, Text: "Texte"}, ECONFLICT,
			"the French text of paragraph 1 is at version 1, not 0: someone changed it; reload and try again"},
		{"source version from the future", translator("fr"), TranslateParagraph{Language: "fr", Para: p1.ID, Version: 1, Source: 2, Text: "Texte"}, EINVALID,
			"source: paragraph 1 is at version 1; a translation translates one of versions 1 to 1, not 2"},
		{"no such paragraph", translator("fr"), TranslateParagraph{Language: "fr", Para: "p99", Source: 1, Text: "Texte"}, ENOTFOUND,
			"paragraph p99 does not exist"},
		{"empty text", translator("fr"), TranslateParagraph{Language: "fr", Para: p1.ID, Version: 1, Source: 1, Text: " "}, EINVALID,
			"French text of paragraph 1 is required"},
		{"a line break", translator("fr"), TranslateParagraph{Language: "fr", Para: p1.ID, Version: 1, Source: 1, Text: "a\nb"}, EINVALID,
			"French text of paragraph 1 has a line break at character 1"},
		{"no such section", translator("fr"), TranslateHeading{Language: "fr", Section: "s9", Text: "Titre"}, ENOTFOUND,
			"section s9 does not exist in A/AC.292/2027/CRP.1"},
		{"a file that matches nothing", translator("fr"), ImportTranslation{Language: "fr", Text: "# Titre\n\n77. Rien.\n"}, EINVALID,
			"no paragraph of the file matches a paragraph of A/AC.292/2027/CRP.1 by number (1 paragraph(s) in the file, 6 in the document)"},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) { refuse(t, d, r.c, r.cmd, r.code, r.want) })
	}
	if tr, _ := d.Translation("fr", p1.ID); tr.Version != 1 || tr.By != "tr-fr" {
		t.Errorf("the refusals changed the French text: %+v", tr)
	}
	// The secretariat may translate any version; an adopted text may still
	// be translated (the final report is issued in six languages).
	must(t, d, secretary, TranslateParagraph{Language: "ar", Para: p1.ID, Source: 1, Text: "عقدت الآلية دورتها الأولى في [نيويورك][جنيف]."})
	d.Adopted = t0
	must(t, d, translator("fr"), TranslateParagraph{Language: "fr", Para: p1.ID, Version: 1, Source: 1, Text: "Le Mécanisme a tenu sa première session."})
}

const frenchFile = `# Projet de rapport d'étape
<!-- symbol: A/AC.292/2027/CRP.1 -->

## A. Introduction

1. Le Mécanisme a tenu sa première session à [New York][Genève].

2. Les États ont rappelé la résolution 75/240.

## B. Recommandations

3. Les États [devraient] examiner ce qui suit :
    (a) des mesures volontaires ;
    (c) une mesure que la source n'a pas ;

5. Un paragraphe que la source n'a pas.
`

// TestImportTranslation aligns a file by paragraph numbers, takes what
// matches, and reports what does not: paragraphs of the file the document
// lacks, and paragraphs of the document the file lacks.
func TestImportTranslation(t *testing.T) {
	d := newDoc(t, sampleDraft)
	evs := must(t, d, translator("fr"), ImportTranslation{Language: "fr", Text: frenchFile, File: "crp1-fr.md"})
	ev := evs[0].Data.(*TranslationImported)
	if len(ev.Paras) != 4 || ev.Unchanged != 0 {
		t.Fatalf("taken %d paragraphs (%d unchanged), want 4: %+v", len(ev.Paras), ev.Unchanged, ev.Paras)
	}
	var un []string
	for _, u := range ev.Unmatched {
		un = append(un, u.String())
	}
	want := []string{
		`line 14: paragraph (c) matches no paragraph of the document: "une mesure que la source n'a pas ;"`,
		`line 16: paragraph 5 matches no paragraph of the document: "Un paragraphe que la source n'a pas."`,
	}
	if !reflect.DeepEqual(un, want) {
		t.Errorf("unmatched:\n%s\nwant\n%s", strings.Join(un, "\n"), strings.Join(want, "\n"))
	}
	var absent []string
	for _, a := range ev.Absent {
		absent = append(absent, a.Number)
	}
	if strings.Join(absent, " ") != "(b) 4" {
		t.Errorf("absent = %v, want (b) 4", absent)
	}
	rep := strings.Join(ev.Report(), "\n")
	for _, w := range []string{"French version: 4 paragraph(s) taken, 0 already current, 2 paragraph(s) of the file unmatched, 2 paragraph(s) of the document not in the file",
		"not in the file: paragraph(s) (b), 4", "unmatched: line 16: paragraph 5"} {
		if !strings.Contains(rep, w) {
			t.Errorf("report lacks %q:\n%s", w, rep)
		}
	}
	if v := d.Translations["fr"]; v.Title != "Projet de rapport d'étape" || v.Headings["s2"] != "B. Recommandations" || v.Headings["s1"] != "A. Introduction" {
		t.Errorf("title and headings: %q %v", v.Title, v.Headings)
	}
	a, _ := d.Translation("fr", d.Paragraphs[numbered(t, d, "3").Children[0]].ID)
	if a == nil || a.Text != "des mesures volontaires ;" || a.By != "tr-fr" || a.Source != 1 {
		t.Errorf("(a) = %+v", a)
	}
	st := d.TranslationStatus()
	if st[2].Language != "fr" || st[2].Current != 4 || st[2].Missing != 2 || st[2].Outdated != 0 {
		t.Errorf("French status after the import: %+v", st[2])
	}
	// Importing the same file again changes nothing; after an edit of the
	// source, it takes that paragraph again as a translation of the new
	// text (the file is the translator's word that it is current).
	evs = must(t, d, translator("fr"), ImportTranslation{Language: "fr", Text: frenchFile})
	if ev := evs[0].Data.(*TranslationImported); len(ev.Paras) != 0 || ev.Unchanged != 4 {
		t.Errorf("second import took %d, unchanged %d", len(ev.Paras), ev.Unchanged)
	}
	p2 := numbered(t, d, "2")
	must(t, d, chair, EditText{Para: p2.ID, Version: 1, Start: 0, End: 6, Insert: "Delegations"})
	if _, s := d.Translation("fr", p2.ID); s != TranslationOutdated {
		t.Fatalf("French 2 after the edit: %s", s)
	}
	evs = must(t, d, translator("fr"), ImportTranslation{Language: "fr", Text: strings.Replace(frenchFile, "Les États ont rappelé", "Les délégations ont rappelé", 1)})
	if ev := evs[0].Data.(*TranslationImported); len(ev.Paras) != 1 || ev.Paras[0].Para != p2.ID || ev.Paras[0].Source != 2 {
		t.Errorf("third import: %+v", ev.Paras)
	}
	if _, s := d.Translation("fr", p2.ID); s != TranslationCurrent {
		t.Errorf("French 2 after the import: %s", s)
	}
	// A file with another number of sections: paragraphs align by number,
	// headings are not guessed at.
	evs = must(t, d, translator("ar"), ImportTranslation{Language: "ar", Text: "# مشروع\n\n## ألف\n\n1. عقدت الآلية دورتها الأولى.\n\n2. أشارت الدول.\n\n3. تنظر الدول.\n\n4. أحاط الرئيس علماً بالمناقشات.\n"})
	ev = evs[0].Data.(*TranslationImported)
	if c := ev.SectionCounts; c == nil || *c != (SectionCounts{File: 1, Document: 2}) || !strings.Contains(strings.Join(ev.Report(), "\n"), "headings: the file has 1 section(s) and the document 2; headings were not taken") || len(ev.Headings) != 0 || len(ev.Paras) != 4 {
		t.Errorf("Arabic import: %+v", ev)
	}
	ar, _ := d.LanguageOutline("ar")
	if ar.Language != "ar" || ar.Title != "مشروع" || ar.Sections[1].Heading != "B. Recommendations" {
		t.Errorf("Arabic outline: %s %q %q", ar.Language, ar.Title, ar.Sections[1].Heading)
	}
}

// TestTranslationEventsReplay: translation events survive the log's JSON
// round trip and fold to the same state.
func TestTranslationEventsReplay(t *testing.T) {
	d := newDoc(t, sampleDraft)
	draft, _, _ := ImportDraft(sampleDraft)
	log, _ := NewDocument().Decide(secretary, CreateDocument{ID: "d1", Draft: draft})
	log = append(log, must(t, d, translator("fr"), ImportTranslation{Language: "fr", Text: frenchFile})...)
	log = append(log, must(t, d, translator("fr"), TranslateHeading{Language: "fr", Section: "s2", Text: "B. Recommandations finales"})...)
	p := numbered(t, d, "4")
	log = append(log, must(t, d, translator("ar"), TranslateParagraph{Language: "ar", Para: p.ID, Source: 1, Text: "أحاط الرئيس علماً بالمناقشات."})...)
	log = append(log, must(t, d, chair, EditText{Para: p.ID, Version: 1, Start: 0, End: 3, Insert: "This"})...)
	log = append(log, must(t, d, secretary, IssueRevision{Kind: ZeroDraft})...)
	r := NewDocument()
	for _, e := range log {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var back Event
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if err := r.Apply(back); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := json.Marshal(d)
	b, _ := json.Marshal(r)
	if string(a) != string(b) {
		t.Fatalf("replayed state differs:\n%s\n%s", a, b)
	}
	if _, s := r.Translation("ar", p.ID); s != TranslationOutdated {
		t.Errorf("replayed Arabic 4: %s", s)
	}
}
