package engine

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

var (
	t0        = time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	chair     = Context{Now: t0, Actor: Actor{Person: "chair", Role: RoleChair}, Offices: testOffices}
	secretary = Context{Now: t0, Actor: Actor{Person: "sec", Role: RoleSecretariat}, Offices: testOffices}
	// testOffices are the offices of process gm in the tests' rooms: the
	// chair presides over the plenary, a vice-chair over each group.
	testOffices = &Offices{Process: "gm", Short: "GM",
		Bodies: []BodyRef{{"plenary", BodyPlenary, "Plenary"}, {"il", BodyThematicGroup, "International law"}, {"cb", BodyThematicGroup, "Capacity-building"}},
		Officers: []Officer{
			{Seat: Seat{Role: RoleChair}, Person: "chair", Name: "A. Chair", State: "KEN", TermStart: at("2026-03-23"), TermEnd: at("2030-03-23")},
			{Seat: Seat{Role: RoleViceChair, Body: "il"}, Person: "vc-il", Name: "B. Vice", State: "MEX", TermStart: at("2026-03-23"), TermEnd: at("2028-03-23")},
			{Seat: Seat{Role: RoleViceChair, Body: "cb"}, Person: "vc-cb", Name: "C. Vice", State: "IND", TermStart: at("2026-03-23"), TermEnd: at("2028-03-23")},
		}}
)

// viceChair is the context of the vice-chair of a group of testOffices.
func viceChair(body BodyID) Context {
	return Context{Now: t0, Actor: Actor{Person: PersonID("vc-" + string(body)), Role: RoleViceChair}, Offices: testOffices}
}

func delegate(state StateCode) Context {
	return Context{Now: t0, Actor: Actor{Person: PersonID("del-" + strings.ToLower(string(state))), State: state, Role: RoleDelegate}, Offices: testOffices}
}

const sampleDraft = `# Draft progress report
<!-- symbol: A/AC.292/2027/CRP.1 -->

## A. Introduction

1. The Mechanism held its first session in [New York][Geneva].

2. States recalled resolution 75/240.

## B. Recommendations

3. States [should] consider the following:
    (a) voluntary measures;
    (b) [capacity-building [programmes]];

4. The Chair noted the discussions.
`

// newDoc imports src and creates a document from it, failing the test on
// any error.
func newDoc(t *testing.T, src string) *Document {
	t.Helper()
	draft, _, err := ImportDraft(src)
	if err != nil {
		t.Fatalf("ImportDraft: %v", err)
	}
	d := NewDocument()
	if _, err := d.Execute(secretary, CreateDocument{ID: "d1", Draft: draft}); err != nil {
		t.Fatalf("CreateDocument: %v", err)
	}
	return d
}

// must executes a command and fails the test on error.
func must(t *testing.T, d *Document, c Context, cmd DocumentCommand) []Event {
	t.Helper()
	evs, err := d.Execute(c, cmd)
	if err != nil {
		t.Fatalf("%T: %v", cmd, err)
	}
	return evs
}

// refuse executes a command that must fail with code and a message
// containing want.
func refuse(t *testing.T, d *Document, c Context, cmd DocumentCommand, code, want string) {
	t.Helper()
	_, err := d.Execute(c, cmd)
	if err == nil {
		t.Fatalf("%T succeeded, want %s error containing %q", cmd, code, want)
	}
	if ErrorCode(err) != code || !strings.Contains(err.Error(), want) {
		t.Fatalf("%T error = %s %q, want %s containing %q", cmd, ErrorCode(err), err, code, want)
	}
}

func numbered(t *testing.T, d *Document, num string) *Paragraph {
	t.Helper()
	p, ok := d.FindByNumber(num)
	if !ok {
		t.Fatalf("no paragraph numbered %q", num)
	}
	return p
}

func numbers(d *Document) []string {
	var out []string
	for _, p := range d.Order() {
		if n := d.Number(p); n != "" {
			out = append(out, n)
		}
	}
	return out
}

func TestNumberingBisTer(t *testing.T) {
	d := newDoc(t, sampleDraft)
	p2 := numbered(t, d, "2")
	must(t, d, chair, AddParagraph{After: p2.ID, Numbered: true, Text: "New text after 2."})
	bis := numbered(t, d, "2 bis")
	must(t, d, chair, AddParagraph{After: bis.ID, Numbered: true, Text: "Another."})
	// Inserted between 2 and 2 bis: keeps its own label, 2 bis keeps its.
	must(t, d, chair, AddParagraph{After: p2.ID, Numbered: true, Text: "Squeezed in."})
	want := []string{"1", "2", "2 quater", "2 bis", "2 ter", "3", "(a)", "(b)", "4"}
	if got := numbers(d); !reflect.DeepEqual(got, want) {
		t.Fatalf("numbers = %v, want %v", got, want)
	}
	if got := d.EID(bis); got != "para_2-bis" {
		t.Errorf("EID(2 bis) = %q, want para_2-bis", got)
	}
	sub := numbered(t, d, "3").Children[0]
	if got := d.EID(d.Paragraphs[sub]); got != "para_3__point_a" {
		t.Errorf("EID((a)) = %q, want para_3__point_a", got)
	}
	must(t, d, chair, AddParagraph{After: sub, Numbered: true, Text: "a new point;"})
	if got := numbers(d); got[7] != "(a bis)" {
		t.Errorf("subparagraph added after (a) is %q, want (a bis)", got[7])
	}

	// Issuing a revision renumbers consecutively and records old → new.
	must(t, d, secretary, IssueRevision{Kind: ZeroDraft})
	want = []string{"1", "2", "3", "4", "5", "6", "(a)", "(b)", "(c)", "7"}
	if got := numbers(d); !reflect.DeepEqual(got, want) {
		t.Fatalf("after revision numbers = %v, want %v", got, want)
	}
	if r := d.Renumbered[bis.ID]; r != (Renumbering{Old: "2 bis", New: "4"}) {
		t.Errorf("renumbering of 2 bis = %+v, want 2 bis → 4", r)
	}
	if d.Paragraphs[bis.ID].ID != bis.ID {
		t.Error("identity changed on renumbering")
	}
}

func TestLatinSuffixes(t *testing.T) {
	for n, want := range map[int]string{1: "bis", 2: "ter", 3: "quater", 4: "quinquies", 5: "sexies", 9: "decies"} {
		if got := LatinSuffix(n); got != want {
			t.Errorf("LatinSuffix(%d) = %q, want %q", n, got, want)
		}
		if got := ParseLatinSuffix(want); got != n {
			t.Errorf("ParseLatinSuffix(%q) = %d, want %d", want, got, n)
		}
	}
	for n, want := range map[int]string{1: "i", 4: "iv", 9: "ix", 14: "xiv", 40: "xl"} {
		if got := romanNumber(n); got != want || parseRomanNumber(want) != n {
			t.Errorf("roman %d = %q (parsed back %d), want %q", n, got, parseRomanNumber(want), want)
		}
	}
	if letterNumber(27) != "aa" || parseLetterNumber("aa") != 27 {
		t.Errorf("letterNumber(27) = %q, want aa", letterNumber(27))
	}
}

func TestAltAndOptionsRenumber(t *testing.T) {
	d := newDoc(t, `# T
<!-- symbol: X/1 -->

## A

1. One.

**Option 1:**

2. Two, option one.

3. Three, option one.

**Option 2:**

2. Two, option two.

4. Four.

4 alt. Four, alternative.

5. Five.
`)
	want := []string{"1", "2", "3", "2", "4", "4 alt", "5"}
	if got := numbers(d); !reflect.DeepEqual(got, want) {
		t.Fatalf("imported numbers = %v, want %v", got, want)
	}
	must(t, d, secretary, IssueRevision{Kind: ZeroDraft})
	// Each option restarts at the number where the choice began; the alt
	// shares the number of the paragraph it is an alternative of. Without
	// an indentation or heading to close it, option 2 runs to the section's
	// end.
	want = []string{"1", "2", "3", "2", "3", "3 alt", "4"}
	if got := numbers(d); !reflect.DeepEqual(got, want) {
		t.Fatalf("after revision numbers = %v, want %v", got, want)
	}
}

func TestRevisionSymbolsAndFinal(t *testing.T) {
	d := newDoc(t, sampleDraft)
	refuse(t, d, secretary, IssueRevision{Kind: Rev}, ECONFLICT, "zero draft")
	must(t, d, secretary, IssueRevision{Kind: ZeroDraft, Date: t0})
	must(t, d, secretary, IssueRevision{Kind: Rev, Date: t0.Add(24 * time.Hour)})
	if got := d.CurrentSymbol(); got != "A/AC.292/2027/CRP.1/Rev.1" {
		t.Errorf("symbol = %q, want A/AC.292/2027/CRP.1/Rev.1", got)
	}
	refuse(t, d, secretary, IssueRevision{Kind: LDocument}, EINVALID, "symbol is required")
	refuse(t, d, secretary, IssueRevision{Kind: Final}, ECONFLICT, "paragraph 1 has 2 brackets")
	// The revision is a snapshot: later edits do not change it.
	p1 := numbered(t, d, "1")
	before := d.Revisions[1].Outline.Sections[0].Paras[0].Text
	must(t, d, chair, EditText{Para: p1.ID, Version: p1.Version, Start: 0, End: 3, Insert: "This"})
	if got := d.Revisions[1].Outline.Sections[0].Paras[0].Text; got != before {
		t.Errorf("revision text changed to %q after an edit", got)
	}
}

func TestFinalTextRefusedListsEverything(t *testing.T) {
	d := newDoc(t, "# T\n\n## A\n\n1. Agreed text.\n\n2. [Open] text.\n")
	p1 := numbered(t, d, "1")
	must(t, d, delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpInsert, Para: p1.ID, Version: 1, Start: 6, End: 6, NewText: " and welcome"})
	_, err := d.Execute(secretary, IssueRevision{Kind: Final})
	for _, want := range []string{"paragraph 2 has 1 bracket", "amendment a1 by FRA to paragraph 1 is pending"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("final refused with %v, want it to mention %q", err, want)
		}
	}
}
