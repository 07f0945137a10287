package docx_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/docx"
	"github.com/draftroom/draftroom/engine/export"
)

var (
	secretariat = engine.Context{Now: time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC), Actor: engine.Actor{Person: "sec", Role: engine.RoleSecretariat}}
)

// proposeAndAccept proposes every amendment read from a file and accepts
// them all in order of submission; it returns the refusals.
func proposeAndAccept(t *testing.T, doc *engine.Document, ch docx.Changes) []string {
	t.Helper()
	var refused []string
	var ids []engine.AmendmentID
	accept := func() {
		for _, id := range ids {
			if _, err := doc.Execute(secretariat, engine.DecideAmendment{Amendment: id, Outcome: engine.Accepted}); err != nil {
				refused = append(refused, fmt.Sprintf("accept %s: %s", id, engine.ErrorMessage(err)))
			}
		}
		ids = nil
	}
	for _, p := range ch.Proposals {
		evs, err := doc.Execute(secretariat, p.Command)
		if err != nil {
			refused = append(refused, fmt.Sprintf("propose %s %s: %s", p.Command.Op, p.Where, engine.ErrorMessage(err)))
			continue
		}
		for _, e := range evs {
			if ap, ok := e.Data.(*engine.AmendmentProposed); ok {
				ids = append(ids, ap.Amendment.ID)
			}
		}
		if len(ids) == engine.MaxPendingAmendments {
			accept() // a delegation may have only so many pending
		}
	}
	accept()
	return refused
}

// texts is the visible text of every paragraph still in the text (struck
// ones, whose deletion was accepted, excluded), in reading order.
func texts(o engine.Outline) []string {
	var out []string
	var walk func(ps []engine.OutlineParagraph)
	walk = func(ps []engine.OutlineParagraph) {
		for _, p := range ps {
			if !p.Deleted {
				out = append(out, visible(p.Text))
			}
			walk(p.Children)
		}
	}
	for _, s := range o.Sections {
		walk(s.Paras)
	}
	return out
}

func listDiff(got, want []string) string {
	for i := 0; i < len(got) || i < len(want); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			return fmt.Sprintf("paragraph %d of %d (want %d):\n got: %s\nwant: %s", i+1, len(got), len(want), g, w)
		}
	}
	return ""
}

// reproduce imports the Word compare of old → new as amendments to a
// document holding old, accepts them all, and checks that the text is
// new, paragraph by paragraph.
func reproduce(t *testing.T, oldDraft, newDraft engine.Draft) docx.Changes {
	t.Helper()
	old, new := document(t, oldDraft), document(t, newDraft)
	c := export.CompareDrafts(old.Outline(), new.Outline(), export.Meta{Title: "Case", Source: export.Source{Date: secretariat.Now}}, export.CompareOptions{})
	b, err := c.DOCX()
	if err != nil {
		t.Fatal(err)
	}
	f, err := docx.Read(b)
	if err != nil {
		t.Fatal(err)
	}
	ch := docx.Proposals(old, f, map[string]engine.StateCode{"Secretariat": "FRA"})
	for _, u := range ch.Unmatched {
		if !strings.Contains(u.Reason, "heading") && !strings.Contains(u.Reason, "option label") {
			t.Errorf("unmatched: %+v", u)
		}
	}
	for _, r := range proposeAndAccept(t, old, ch) {
		t.Error(r)
	}
	if d := listDiff(texts(old.Outline()), texts(new.Outline())); d != "" {
		t.Errorf("accepting every imported amendment does not give the later text: %s", d)
	}
	return ch
}

func draftOf(t *testing.T, path string) engine.Draft {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	d, _, err := engine.ImportDraft(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestCompareImportsAsAmendments reads draftroom's own Word compares
// (tracked insertions, deletions, moves, split and merged paragraphs,
// formatting changes) of the compare cases as amendments: accepting them
// all reproduces the later text.
func TestCompareImportsAsAmendments(t *testing.T) {
	dirs, _ := filepath.Glob("../export/testdata/compare-cases/*")
	if len(dirs) < 5 {
		t.Fatalf("found %d compare cases", len(dirs))
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			ch := reproduce(t, draftOf(t, filepath.Join(dir, "old.md")), draftOf(t, filepath.Join(dir, "new.md")))
			if len(ch.Proposals) == 0 {
				t.Error("no proposals read")
			}
		})
	}
}

// TestParisCompareImportsAsAmendments reads the Word compare of a real
// pair of the Paris drafts (9 December → L.9/Rev.1: 250 paragraphs
// rewritten into 188, with moves out of and into subparagraphs and
// restructured articles) as amendments. The engine accepts every one; a
// change that cannot be an amendment is listed with its reason; and
// accepting them all gives nearly every paragraph of the later text
// (moves of subparagraphs on their own, which the engine does not allow,
// account for most of the rest).
func TestParisCompareImportsAsAmendments(t *testing.T) {
	oldDraft, newDraft := draftOf(t, filepath.Join(parisDir, "paris-agreement-draft-2015-12-09.md")), draftOf(t, filepath.Join(parisDir, "paris-agreement-2015-12-12-L9Rev1.md"))
	old, new := document(t, oldDraft), document(t, newDraft)
	c := export.CompareDrafts(old.Outline(), new.Outline(), export.Meta{Title: "Paris"}, export.CompareOptions{})
	b, err := c.DOCX()
	if err != nil {
		t.Fatal(err)
	}
	f, err := docx.Read(b)
	if err != nil {
		t.Fatal(err)
	}
	ch := docx.Proposals(old, f, map[string]engine.StateCode{"Secretariat": "FRA"})
	for _, u := range ch.Unmatched {
		if u.Reason == "" || u.Where == "" {
			t.Errorf("unmatched without where or why: %+v", u)
		}
	}
	for _, r := range proposeAndAccept(t, old, ch) {
		t.Error(r)
	}
	want := map[string]int{}
	for _, p := range texts(new.Outline()) {
		want[p]++
	}
	got, total := 0, 0
	for _, n := range want {
		total += n
	}
	for _, p := range texts(old.Outline()) {
		if want[p] > 0 {
			want[p]--
			got++
		}
	}
	t.Logf("%d proposals, %d unmatched (headings included); %d of %d later paragraphs reproduced", len(ch.Proposals), len(ch.Unmatched), got, total)
	if float64(got) < 0.9*float64(total) {
		t.Errorf("only %d of %d paragraphs of the later text reproduced", got, total)
	}
}

// delegationFile is a Word file as a delegation sends it: the text of a
// clean export with tracked changes by two people and comments.
func delegationFile(t *testing.T) []byte {
	const w = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	run := func(s string) string { return `<w:r><w:t xml:space="preserve">` + s + `</w:t></w:r>` }
	del := func(id, who, s string) string {
		return `<w:del w:id="` + id + `" w:author="` + who + `" w:date="2027-03-02T09:00:00Z"><w:r><w:delText xml:space="preserve">` + s + `</w:delText></w:r></w:del>`
	}
	ins := func(id, who, s string) string {
		return `<w:ins w:id="` + id + `" w:author="` + who + `" w:date="2027-03-02T09:00:00Z"><w:r><w:t xml:space="preserve">` + s + `</w:t></w:r></w:ins>`
	}
	para := func(mark, body string) string {
		return `<w:p><w:pPr><w:pStyle w:val="TextPara0"/>` + mark + `</w:pPr>` + body + `</w:p>`
	}
	doc := `<?xml version="1.0"?><w:document ` + w + `><w:body>` +
		para("", run("1.\tStates ")+`<w:commentRangeStart w:id="0"/>`+del("1", "Jane Doe", "shall")+ins("2", "Jane Doe", "should")+`<w:commentRangeEnd w:id="0"/>`+run(" report ")+`<w:commentRangeStart w:id="2"/>`+run("every year.")+`<w:commentRangeEnd w:id="2"/>`) +
		para("", run("2.\tThe Group met ")+`<w:commentRangeStart w:id="1"/>`+ins("3", "Pierre Martin", "at least ")+`<w:commentRangeEnd w:id="1"/>`+run("twice.")) +
		para(`<w:rPr><w:del w:id="4" w:author="Pierre Martin"/></w:rPr>`, del("5", "Pierre Martin", "3.\tThe old paragraph goes.")) +
		para(`<w:rPr><w:ins w:id="6" w:author="Jane Doe"/></w:rPr>`, ins("7", "Jane Doe", "3 bis.\tA new paragraph.")) +
		para("", run("4.\tThe last paragraph ")+del("8", "Jane Doe", "[never] ")+ins("9", "Ghost", "really ")+run("changes.")) +
		`</w:body></w:document>`
	comments := `<?xml version="1.0"?><w:comments ` + w + `>` +
		`<w:comment w:id="0" w:author="Jane Doe"><w:p><w:r><w:t>Softer language, as agreed with the Group.</w:t></w:r></w:p></w:comment>` +
		`<w:comment w:id="1" w:author="Pierre Martin"><w:p><w:r><w:t>It met twice in 2026.</w:t></w:r></w:p></w:comment>` +
		`<w:comment w:id="2" w:author="An observer"><w:p><w:r><w:t>Why every year?</w:t></w:r></w:p></w:comment></w:comments>`
	return pack(t, "word/document.xml", doc, "word/comments.xml", comments)
}

// TestDelegationFile: the tracked changes of two people become
// amendments of the States they are mapped to, with their comments; a
// change whose author is not mapped has no proposer (the caller asks);
// a comment on no change and a change on text that is gone are listed; a
// file written before the text changed is carried onto the current text.
func TestDelegationFile(t *testing.T) {
	src := "# Report\n\n1. States shall report every year.\n\n2. The Group met twice.\n\n3. The old paragraph goes.\n\n4. The last paragraph changes.\n"
	d, _, err := engine.ImportDraft(src)
	if err != nil {
		t.Fatal(err)
	}
	doc := document(t, d)
	// The text changed since the file was written.
	p2 := doc.Order()[1]
	if _, err := doc.Execute(secretariat, engine.EditText{Para: p2.ID, Version: p2.Version, Start: 19, End: 20, Insert: " in Geneva."}); err != nil {
		t.Fatal(engine.ErrorMessage(err))
	}
	f, err := docx.Read(delegationFile(t))
	if err != nil {
		t.Fatal(engine.ErrorMessage(err))
	}
	ch := docx.Proposals(doc, f, map[string]engine.StateCode{"Jane Doe": "FRA", "Pierre Martin": "DEU"})
	if got := ch.Unmapped(); len(got) != 1 || got[0] != "Ghost" {
		t.Errorf("unmapped = %q, want [Ghost]", got)
	}
	byAuthor := map[string][]docx.Proposal{}
	for _, p := range ch.Proposals {
		byAuthor[p.Author] = append(byAuthor[p.Author], p)
	}
	if len(byAuthor["Jane Doe"]) != 2 || len(byAuthor["Pierre Martin"]) != 2 || len(byAuthor["Ghost"]) != 1 || byAuthor["Ghost"][0].Command.Proposer != "" {
		t.Fatalf("proposals by author: %+v", ch.Proposals)
	}
	jane := byAuthor["Jane Doe"][0].Command
	if jane.Proposer != "FRA" || jane.Op != engine.OpReplace || jane.NewText != "should" || jane.Comment != "Softer language, as agreed with the Group." {
		t.Errorf("Jane's first proposal: %+v", jane)
	}
	if add := byAuthor["Jane Doe"][1].Command; add.Op != engine.OpAddParagraph || add.NewText != "A new paragraph." {
		t.Errorf("Jane's second proposal: %+v", add)
	}
	if pm := byAuthor["Pierre Martin"][0].Command; pm.Proposer != "DEU" || pm.Op != engine.OpInsert || pm.NewText != "at least " || pm.Comment != "It met twice in 2026." {
		t.Errorf("Pierre's first proposal: %+v", pm)
	}
	var orphan, gone bool
	for _, u := range ch.Unmatched {
		if u.Text == "Why every year?" && strings.Contains(u.Reason, "no tracked change") {
			orphan = true
		}
		if u.Author == "Jane Doe" && strings.Contains(u.Text, "[never]") && strings.Contains(u.Reason, "no longer in paragraph 4") {
			gone = true
		}
	}
	if !orphan || !gone {
		t.Errorf("the observer's comment or the change on text that is gone is not listed: %+v", ch.Unmatched)
	}
	// Accept everything mapped: the text is the file's, carried onto the
	// edit made since.
	var mapped docx.Changes
	for _, p := range ch.Proposals {
		if p.Command.Proposer != "" {
			mapped.Proposals = append(mapped.Proposals, p)
		}
	}
	for _, r := range proposeAndAccept(t, doc, mapped) {
		t.Error(r)
	}
	want := []string{"States should report every year.", "The Group met at least twice in Geneva.", "A new paragraph.", "The last paragraph changes."}
	// (paragraph 3 is struck through, its deletion accepted; Ghost's
	// insertion is not proposed until Ghost is mapped)
	var got []string
	for _, p := range texts(doc.Outline()) {
		got = append(got, strings.TrimSuffix(strings.TrimPrefix(p, "0:"), "|"))
	}
	if d := listDiff(got, want); d != "" {
		t.Errorf("after accepting: %s", d)
	}
}
