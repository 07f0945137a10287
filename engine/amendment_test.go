package engine

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// spanOf returns the rune offsets of the first occurrence of s in text.
func spanOf(t *testing.T, text, s string) (int, int) {
	t.Helper()
	i := strings.Index(text, s)
	if i < 0 {
		t.Fatalf("%q not in %q", s, text)
	}
	start := runeLen(text[:i])
	return start, start + runeLen(s)
}

func TestAmendmentOperations(t *testing.T) {
	tests := []struct {
		name    string
		op      AmendmentOp
		span    string // text to anchor on in paragraph 2 ("" for paragraph ops)
		newText string
		outcome AmendmentStatus
		want    string // text of paragraph 2 afterwards
		numbers []string
	}{
		{"insert accepted", OpInsert, "resolution", "General Assembly ", Accepted, "States recalled General Assembly resolution 75/240.", nil},
		{"delete accepted", OpDelete, " 75/240", "", Accepted, "States recalled resolution.", nil},
		{"replace accepted", OpReplace, "recalled", "reaffirmed", Accepted, "States reaffirmed resolution 75/240.", nil},
		{"replace as modified", OpReplace, "recalled", "reaffirmed", AcceptedAsModified, "States welcomed resolution 75/240.", nil},
		{"insert in brackets", OpInsert, "resolution", "General Assembly ", InBrackets, "States recalled [General Assembly ]resolution 75/240.", nil},
		{"delete in brackets", OpDelete, " 75/240", "", InBrackets, "States recalled resolution[ 75/240].", nil},
		{"replace in brackets", OpReplace, "recalled", "reaffirmed", InBrackets, "States [recalled][reaffirmed] resolution 75/240.", nil},
		{"rejected", OpReplace, "recalled", "reaffirmed", Rejected, "States recalled resolution 75/240.", nil},
		{"withdrawn", OpReplace, "recalled", "reaffirmed", Withdrawn, "States recalled resolution 75/240.", nil},
		{"add paragraph", OpAddParagraph, "", "A new paragraph.", Accepted, "States recalled resolution 75/240.", []string{"1", "2", "2 bis", "3", "(a)", "(b)", "4"}},
		{"add paragraph in brackets", OpAddParagraph, "", "A new paragraph.", InBrackets, "States recalled resolution 75/240.", []string{"1", "2", "2 bis", "3", "(a)", "(b)", "4"}},
		{"replace paragraph", OpReplaceParagraph, "", "States welcomed the report.", Accepted, "States welcomed the report.", nil},
		{"replace paragraph in brackets", OpReplaceParagraph, "", "States welcomed the report.", InBrackets, "[States recalled resolution 75/240.]", []string{"1", "2", "2 alt", "3", "(a)", "(b)", "4"}},
		{"delete paragraph", OpDeleteParagraph, "", "", Accepted, "States recalled resolution 75/240.", nil},
		{"delete paragraph in brackets", OpDeleteParagraph, "", "", InBrackets, "[States recalled resolution 75/240.]", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDoc(t, sampleDraft)
			p := numbered(t, d, "2")
			cmd := ProposeAmendment{Proposer: "EU", CoSponsors: []StateCode{"EU"}, Op: tt.op, Para: p.ID, Version: p.Version, NewText: tt.newText}
			if tt.span != "" {
				cmd.Start, cmd.End = spanOf(t, p.Text, tt.span)
				if tt.op == OpInsert {
					cmd.End = cmd.Start
				}
			}
			must(t, d, delegate("EU"), cmd)
			must(t, d, delegate("NOR"), CoSponsor{Amendment: "a1", State: "NOR"})
			must(t, d, delegate("CHE"), CoSponsor{Amendment: "a1", State: "CHE"})
			a := d.Amendments["a1"]
			if !reflect.DeepEqual(a.CoSponsors, []StateCode{"NOR", "CHE"}) {
				t.Errorf("co-sponsors = %v, want [NOR CHE] (the proposer not among them, each joined by itself)", a.CoSponsors)
			}
			dec := DecideAmendment{Amendment: "a1", Outcome: tt.outcome}
			if tt.outcome == AcceptedAsModified {
				dec.NewText = "welcomed"
			}
			c := chair
			if tt.outcome == Withdrawn {
				c = delegate("EU")
			}
			must(t, d, c, dec)
			if a.Status != tt.outcome {
				t.Errorf("status = %s, want %s", a.Status, tt.outcome)
			}
			if p.Text != tt.want {
				t.Errorf("paragraph 2 = %q, want %q", p.Text, tt.want)
			}
			if tt.numbers != nil {
				if got := numbers(d); !reflect.DeepEqual(got, tt.numbers) {
					t.Errorf("numbers = %v, want %v", got, tt.numbers)
				}
			}
			if tt.op == OpDeleteParagraph && tt.outcome == Accepted && (!p.Deleted || p.Status != StatusDeletedPending) {
				t.Errorf("deleted paragraph: Deleted=%v status=%s, want struck through and deleted-pending", p.Deleted, p.Status)
			}
			if tt.outcome == InBrackets {
				var by []StateCode
				for _, q := range d.Order() {
					for _, b := range d.Brackets(q).Brackets() {
						if len(b.By) > 0 {
							by = b.By
						}
					}
				}
				if !reflect.DeepEqual(by, []StateCode{"EU", "NOR", "CHE"}) {
					t.Errorf("brackets asked for by %v, want [EU NOR CHE]", by)
				}
			}
		})
	}
}

func TestMoveParagraph(t *testing.T) {
	d := newDoc(t, sampleDraft)
	p4, p1 := numbered(t, d, "4"), numbered(t, d, "1")
	must(t, d, delegate("BRA"), ProposeAmendment{Proposer: "BRA", Op: OpMoveParagraph, Para: p4.ID, After: p1.ID})
	refuse(t, d, chair, DecideAmendment{Amendment: "a1", Outcome: InBrackets}, EINVALID, "a move cannot be incorporated in brackets")
	must(t, d, chair, DecideAmendment{Amendment: "a1", Outcome: Accepted})
	if got, want := numbers(d), []string{"1", "4", "2", "3", "(a)", "(b)"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("numbers = %v, want %v", got, want)
	}
	if p4.Section != p1.Section {
		t.Errorf("moved paragraph is in section %s, want %s", p4.Section, p1.Section)
	}
	must(t, d, secretary, IssueRevision{Kind: ZeroDraft})
	if got, want := numbers(d), []string{"1", "2", "3", "4", "(a)", "(b)"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("after revision numbers = %v, want %v", got, want)
	}
	if r := d.Renumbered[p4.ID]; r.Old != "4" || r.New != "2" {
		t.Errorf("renumbering = %+v, want 4 → 2", r)
	}
}

func TestAmendmentRefusals(t *testing.T) {
	d := newDoc(t, sampleDraft)
	p := numbered(t, d, "2")
	for _, tt := range []struct {
		name string
		c    Context
		cmd  DocumentCommand
		code string
		want string
	}{
		{"other state", delegate("FRA"), ProposeAmendment{Proposer: "DEU", Op: OpDelete, Para: p.ID, Version: 1, Start: 0, End: 6}, EFORBIDDEN, "a delegate of FRA cannot propose on behalf of DEU"},
		{"no proposer", chair, ProposeAmendment{Op: OpDelete, Para: p.ID, Version: 1, Start: 0, End: 6}, EINVALID, "proposer is required"},
		{"unknown paragraph", delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpDelete, Para: "p99", Version: 1, Start: 0, End: 6}, ENOTFOUND, "paragraph p99 does not exist in A/AC.292/2027/CRP.1"},
		{"span outside", delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpDelete, Para: p.ID, Version: 1, Start: 30, End: 99}, EINVALID, "paragraph 2: span 30–99 is outside the text (34 characters)"},
		{"insert with span", delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpInsert, Para: p.ID, Version: 1, Start: 0, End: 6, NewText: "x"}, EINVALID, "an insertion needs an insertion point"},
		{"empty delete", delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpDelete, Para: p.ID, Version: 1, Start: 3, End: 3}, EINVALID, "a deletion needs a span"},
		{"same replacement", delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpReplace, Para: p.ID, Version: 1, Start: 0, End: 6, NewText: "States"}, EINVALID, "the replacement text is the same"},
		{"bad op", delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: "rewrite", Para: p.ID, Version: 1}, EINVALID, `op "rewrite" is not one of`},
		{"control char", delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpInsert, Para: p.ID, Version: 1, NewText: "a\x00b"}, EINVALID, "text of the amendment has a control character U+0000 at character 1"},
		{"bad utf8", delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpInsert, Para: p.ID, Version: 1, NewText: "a\xffb"}, EINVALID, "text of the amendment is not valid UTF-8"},
		{"forged co-sponsor", delegate("FRA"), ProposeAmendment{Proposer: "FRA", CoSponsors: []StateCode{"FRA", "USA"}, Op: OpDelete, Para: p.ID, Version: 1, Start: 0, End: 6}, EINVALID, `coSponsors: a proposal by FRA cannot name "USA" as co-sponsor; a State co-sponsors an amendment itself, with amendment.cosponsor`},
		{"forged co-sponsor by the pen", chair, ProposeAmendment{Proposer: "FRA", CoSponsors: []StateCode{"G77"}, Op: OpDelete, Para: p.ID, Version: 1, Start: 0, End: 6}, EINVALID, `a proposal by FRA cannot name "G77" as co-sponsor`},
		{"made-up co-sponsor", delegate("FRA"), ProposeAmendment{Proposer: "FRA", CoSponsors: []StateCode{"<script>"}, Op: OpDelete, Para: p.ID, Version: 1, Start: 0, End: 6}, EINVALID, `cannot name "<script>" as co-sponsor`},
		{"made-up proposer", chair, ProposeAmendment{Proposer: "XXX", Op: OpDelete, Para: p.ID, Version: 1, Start: 0, End: 6}, EINVALID, `proposer "XXX" is not a Member State or negotiating group`},
		{"future version", delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpDelete, Para: p.ID, Version: 7, Start: 0, End: 6}, ECONFLICT, "version 7 is too old to carry the change over"},
	} {
		t.Run(tt.name, func(t *testing.T) { refuse(t, d, tt.c, tt.cmd, tt.code, tt.want) })
	}
	must(t, d, delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpDelete, Para: p.ID, Version: 1, Start: 0, End: 7})
	refuse(t, d, delegate("DEU"), DecideAmendment{Amendment: "a1", Outcome: Withdrawn}, EFORBIDDEN, "only FRA, the proposer, can withdraw amendment a1")
	refuse(t, d, delegate("DEU"), CoSponsor{Amendment: "a1", State: "ITA"}, EFORBIDDEN, "a delegate of DEU cannot co-sponsor on behalf of ITA")
	refuse(t, d, delegate("FRA"), CoSponsor{Amendment: "a1", State: "FRA"}, EINVALID, "FRA proposed amendment a1")
	refuse(t, d, chair, CoSponsor{Amendment: "a1", State: "XYZ"}, EINVALID, `state "XYZ" is not a Member State or negotiating group`)
	must(t, d, delegate("DEU"), CoSponsor{Amendment: "a1", State: "DEU"})
	refuse(t, d, delegate("DEU"), CoSponsor{Amendment: "a1", State: "DEU"}, ECONFLICT, "DEU already co-sponsors amendment a1")
	must(t, d, delegate("DEU"), CoSponsor{Amendment: "a1", State: "DEU", Withdraw: true})
	must(t, d, chair, DecideAmendment{Amendment: "a1", Outcome: Rejected})
	refuse(t, d, chair, DecideAmendment{Amendment: "a1", Outcome: Accepted}, ECONFLICT, "amendment a1 is already rejected")
	refuse(t, d, chair, DecideAmendment{Amendment: "a9", Outcome: Accepted}, ENOTFOUND, "amendment a9 does not exist")
}

func TestRebase(t *testing.T) {
	d := newDoc(t, sampleDraft)
	p := numbered(t, d, "2")
	text := p.Text // "States recalled resolution 75/240."
	s, e := spanOf(t, text, "resolution 75/240")
	must(t, d, delegate("CHN"), ProposeAmendment{Proposer: "CHN", Op: OpReplace, Para: p.ID, Version: 1, Start: s, End: e, NewText: "resolutions 75/240 and 79/237"})
	s, e = spanOf(t, text, "recalled")
	must(t, d, delegate("RUS"), ProposeAmendment{Proposer: "RUS", Op: OpReplace, Para: p.ID, Version: 1, Start: s, End: e, NewText: "noted"})
	must(t, d, delegate("USA"), ProposeAmendment{Proposer: "USA", Op: OpInsert, Para: p.ID, Version: 1, Start: 6, End: 6, NewText: " Members"})
	must(t, d, delegate("CHN"), StatePosition{State: "CHN", Para: p.ID, Kind: Support})
	must(t, d, delegate("RUS"), StatePosition{State: "RUS", Amendment: "a1", Kind: Oppose})

	// The pen-holder inserts text at the start: every span shifts.
	must(t, d, chair, EditText{Para: p.ID, Version: 1, Start: 0, End: 0, Insert: "All "})
	a1, a2, a3 := d.Amendments["a1"], d.Amendments["a2"], d.Amendments["a3"]
	for _, a := range []*Amendment{a1, a2, a3} {
		if a.Status != Proposed || a.Version != 2 || a.Anchor.Check(p.Text) != nil {
			t.Fatalf("amendment %s after edit: status %s version %d anchor %+v on %q", a.ID, a.Status, a.Version, a.Anchor, p.Text)
		}
	}
	if a3.Anchor.Start != 10 {
		t.Errorf("insertion point moved to %d, want 10 (after \"All States\")", a3.Anchor.Start)
	}
	pos := d.Positions[Position{State: "CHN", Para: p.ID}.Key()]
	if !d.Stale(pos) {
		t.Error("position on the old text is not stale after the text changed")
	}
	if d.Stale(d.Positions[Position{State: "RUS", Amendment: "a1"}.Key()]) {
		t.Error("position on amendment a1 went stale though a1's text did not change")
	}

	// Accepting a2 rewrites "recalled": a1 and a3 are carried over.
	must(t, d, chair, DecideAmendment{Amendment: "a2", Outcome: Accepted})
	if p.Text != "All States noted resolution 75/240." {
		t.Fatalf("text = %q", p.Text)
	}
	if a1.Anchor.Text != "resolution 75/240" || a1.Anchor.Check(p.Text) != nil {
		t.Errorf("a1 anchor = %+v on %q", a1.Anchor, p.Text)
	}
	// A whole-text replacement that drops the resolution makes a1
	// obsolete, while the insertion point after "States" survives.
	must(t, d, chair, ReplaceText{Para: p.ID, Version: p.Version, Text: "All States noted the report of the Secretary-General."})
	if a1.Status != Obsolete || !strings.Contains(a1.Reason, "resolution 75/240") {
		t.Errorf("a1 = %s (%s), want obsolete naming its text", a1.Status, a1.Reason)
	}
	if a3.Status != Proposed || a3.Anchor.Start != 10 {
		t.Errorf("a3 = %s at %d, want proposed at 10", a3.Status, a3.Anchor.Start)
	}
}

func TestStaleCommandsCarriedOrRefused(t *testing.T) {
	d := newDoc(t, sampleDraft)
	p := numbered(t, d, "2") // "States recalled resolution 75/240."
	must(t, d, chair, EditText{Para: p.ID, Version: 1, Start: 0, End: 0, Insert: "Member "})
	// Written against version 1: "recalled" is untouched, so it is carried.
	s, e := spanOf(t, "States recalled resolution 75/240.", "recalled")
	must(t, d, delegate("IND"), ProposeAmendment{Proposer: "IND", Op: OpReplace, Para: p.ID, Version: 1, Start: s, End: e, NewText: "reaffirmed"})
	if a := d.Amendments["a1"]; a.Anchor.Text != "recalled" || a.Anchor.Start != s+7 {
		t.Errorf("carried anchor = %+v, want \"recalled\" at %d", a.Anchor, s+7)
	}
	// Now the pen-holder replaces "recalled"; an edit of it written against
	// version 2 cannot be carried.
	s2, e2 := spanOf(t, p.Text, "recalled")
	must(t, d, chair, EditText{Para: p.ID, Version: 2, Start: s2, End: e2, Insert: "welcomed"})
	refuse(t, d, chair, EditText{Para: p.ID, Version: 2, Start: s2, End: e2, Insert: "noted"}, ECONFLICT, `the text "recalled" you edited is no longer there`)
	refuse(t, d, chair, ReplaceText{Para: p.ID, Version: 2, Text: "x"}, ECONFLICT, "paragraph 2 is at version 3, not 2")
	if a := d.Amendments["a1"]; a.Status != Obsolete {
		t.Errorf("amendment on replaced text is %s, want obsolete", a.Status)
	}
}

func TestAmendmentToAmendment(t *testing.T) {
	d := newDoc(t, sampleDraft)
	p := numbered(t, d, "2")
	must(t, d, delegate("G77"), ProposeAmendment{Proposer: "G77", Op: OpAddParagraph, Para: p.ID, NewText: "States stressed the need for capacity-building."})
	parent := d.Amendments["a1"]
	s, e := spanOf(t, parent.NewText, "stressed")
	must(t, d, delegate("AUS"), ProposeAmendment{Proposer: "AUS", Parent: "a1", Op: OpReplace, Version: 1, Start: s, End: e, NewText: "recognized"})
	s, e = spanOf(t, parent.NewText, "capacity-building")
	must(t, d, delegate("JPN"), ProposeAmendment{Proposer: "JPN", Parent: "a1", Op: OpInsert, Version: 1, Start: e, End: e, NewText: " and cooperation"})
	refuse(t, d, delegate("JPN"), ProposeAmendment{Proposer: "JPN", Parent: "a2", Op: OpDelete, Version: 1, Start: 0, End: 2}, EINVALID, "amendment a2 already amends a1")
	must(t, d, delegate("G77"), StatePosition{State: "G77", Amendment: "a1", Kind: Support})
	must(t, d, chair, DecideAmendment{Amendment: "a2", Outcome: Accepted})
	if parent.NewText != "States recognized the need for capacity-building." || parent.TextVer != 2 {
		t.Fatalf("parent text = %q v%d", parent.NewText, parent.TextVer)
	}
	if !d.Stale(d.Positions[Position{State: "G77", Amendment: "a1"}.Key()]) {
		t.Error("position on a1 is not stale after its text changed")
	}
	a3 := d.Amendments["a3"]
	if a3.Status != Proposed || a3.Anchor.Check(parent.NewText) != nil {
		t.Fatalf("sub-amendment a3 not carried: %s %+v", a3.Status, a3.Anchor)
	}
	must(t, d, chair, DecideAmendment{Amendment: "a3", Outcome: Accepted})
	must(t, d, chair, DecideAmendment{Amendment: "a1", Outcome: Accepted})
	added := numbered(t, d, "2 bis")
	if added.Text != "States recognized the need for capacity-building and cooperation." {
		t.Errorf("added paragraph = %q", added.Text)
	}
}

func TestCompromiseMergesAmendments(t *testing.T) {
	d := newDoc(t, sampleDraft)
	p := numbered(t, d, "2")
	must(t, d, delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpReplace, Para: p.ID, Version: 1, Start: 7, End: 15, NewText: "welcomed"})
	must(t, d, delegate("EGY"), ProposeAmendment{Proposer: "EGY", Op: OpReplace, Para: p.ID, Version: 1, Start: 7, End: 15, NewText: "noted"})
	must(t, d, chair, ReplaceText{Para: p.ID, Version: 1, Text: "States took note with appreciation of resolution 75/240.", Merges: []AmendmentID{"a1", "a2"}})
	for _, id := range []AmendmentID{"a1", "a2"} {
		if s := d.Amendments[id].Status; s != Merged {
			t.Errorf("%s = %s, want merged into compromise", id, s)
		}
	}
}

func TestBracketCommands(t *testing.T) {
	d := newDoc(t, sampleDraft)
	p := numbered(t, d, "2") // "States recalled resolution 75/240."
	s, e := spanOf(t, p.Text, "resolution 75/240")
	must(t, d, chair, AddBrackets{Para: p.ID, Version: 1, Start: s, End: e, By: []StateCode{"IRN", "SYR"}})
	if p.Text != "States recalled [resolution 75/240]." {
		t.Fatalf("text = %q", p.Text)
	}
	must(t, d, chair, EditText{Para: p.ID, Version: 2, Start: 0, End: 0, Insert: "All "})
	b := d.Brackets(p).Brackets()[0]
	if !reflect.DeepEqual(b.By, []StateCode{"IRN", "SYR"}) {
		t.Errorf("bracket asked for by %v after an edit elsewhere, want [IRN SYR]", b.By)
	}
	refuse(t, d, chair, AddBrackets{Para: p.ID, Version: 3, Start: 0, End: 25, By: []StateCode{"IRN"}}, EINVALID, "would cut a bracket in two")
	refuse(t, d, chair, ClearBrackets{Para: p.ID, Version: 3, Index: 4}, EINVALID, "paragraph 2 has 1 bracket; there is no bracket 4")
	must(t, d, chair, ClearBrackets{Para: p.ID, Version: 3, Index: 0})
	if p.Text != "All States recalled resolution 75/240." {
		t.Errorf("after clearing: %q", p.Text)
	}
	if len(d.Attrib[p.ID]) != 0 {
		t.Errorf("attribution kept after the bracket was cleared: %+v", d.Attrib[p.ID])
	}
	// Choosing an alternative: keep one, drop the other.
	p1 := numbered(t, d, "1") // "…in [New York][Geneva]."
	must(t, d, chair, ClearBrackets{Para: p1.ID, Version: 1, Index: 1, Drop: true})
	must(t, d, chair, ClearBrackets{Para: p1.ID, Version: 2, Index: 0})
	if p1.Text != "The Mechanism held its first session in New York." {
		t.Errorf("after choosing: %q", p1.Text)
	}
}

func TestPositions(t *testing.T) {
	d := newDoc(t, sampleDraft)
	p := numbered(t, d, "2")
	must(t, d, delegate("MEX"), StatePosition{State: "MEX", Para: p.ID, Kind: Flexible, Comment: "can live with it"})
	must(t, d, delegate("MEX"), StatePosition{State: "MEX", Para: p.ID, Kind: Support})
	refuse(t, d, delegate("MEX"), StatePosition{State: "ARG", Para: p.ID, Kind: Oppose}, EFORBIDDEN, "a delegate of MEX cannot state a position for ARG")
	refuse(t, d, delegate("MEX"), StatePosition{State: "MEX", Para: p.ID, Kind: "maybe"}, EINVALID, `kind "maybe" is not one of`)
	refuse(t, d, delegate("MEX"), StatePosition{State: "MEX", Para: p.ID, Kind: Dissociation, Comment: "x"}, ECONFLICT, "a delegation dissociates from an adopted paragraph; this one is not-read")
	if got := d.PositionsOn(p.ID, ""); len(got) != 1 || got[0].Kind != Support {
		t.Fatalf("positions = %+v, want MEX support", got)
	}
	if len(d.Record) != 2 {
		t.Errorf("record has %d entries, want 2 (both statements stay on the record)", len(d.Record))
	}
	must(t, d, delegate("MEX"), StatePosition{State: "MEX", Para: p.ID, Withdraw: true})
	if got := d.PositionsOn(p.ID, ""); len(got) != 0 {
		t.Errorf("positions after withdrawal = %+v", got)
	}
}

// TestPendingAmendmentCap: a delegation may have at most
// MaxPendingAmendments pending in one document; a decision or a withdrawal
// makes room again, and other delegations are not affected.
func TestPendingAmendmentCap(t *testing.T) {
	d := newDoc(t, sampleDraft)
	p := numbered(t, d, "2")
	ins := func(s StateCode) ProposeAmendment {
		return ProposeAmendment{Proposer: s, Op: OpInsert, Para: p.ID, Version: p.Version, Start: 0, End: 0, NewText: "Also, "}
	}
	for range MaxPendingAmendments {
		must(t, d, delegate("FRA"), ins("FRA"))
	}
	refuse(t, d, delegate("FRA"), ins("FRA"), ECONFLICT, "FRA already has 200 amendments pending in A/AC.292/2027/CRP.1, the most a delegation may have; withdraw some or wait for decisions on them")
	must(t, d, delegate("DEU"), ins("DEU"))
	must(t, d, delegate("FRA"), DecideAmendment{Amendment: "a1", Outcome: Withdrawn})
	must(t, d, delegate("FRA"), ins("FRA"))
	refuse(t, d, chair, ins("FRA"), ECONFLICT, "FRA already has 200 amendments pending")
}

// TestTouchedNamesAmendmentsMadeObsolete: an edit that removes the words
// an amendment changes makes it obsolete, and Touched names it, so every
// screen learns it is no longer pending (issue 17, defect 1).
func TestTouchedNamesAmendmentsMadeObsolete(t *testing.T) {
	d := newDoc(t, sampleDraft)
	p := numbered(t, d, "2") // "States recalled resolution 75/240."
	s, e := spanOf(t, p.Text, "recalled")
	must(t, d, delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpReplace, Para: p.ID, Version: p.Version, Start: s, End: e, NewText: "reaffirmed"})
	evs := must(t, d, chair, ReplaceText{Para: p.ID, Version: p.Version, Text: "States noted resolution 75/240."})
	if a := d.Amendments["a1"]; a.Status != Obsolete {
		t.Fatalf("a1 is %s, want obsolete", a.Status)
	}
	ch := d.Touched(evs[len(evs)-1])
	if !slices.Contains(ch.Amendments, "a1") {
		t.Errorf("Touched(%s) = %+v: the amendment it made obsolete is not named", evs[len(evs)-1].Type, ch)
	}
}

// TestAmendmentWithUnbalancedBrackets: an amendment whose text opens a
// bracket it does not close is refused, naming the bracket; one that keeps
// the brackets balanced is taken (issue 17, defect 5).
func TestAmendmentWithUnbalancedBrackets(t *testing.T) {
	d := newDoc(t, sampleDraft)
	p := numbered(t, d, "2") // "States recalled resolution 75/240."
	s, e := spanOf(t, p.Text, "recalled")
	refuse(t, d, delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpReplace, Para: p.ID, Version: p.Version, Start: s, End: e, NewText: "[reaffirmed"},
		EINVALID, "the text of the amendment to paragraph 2 has an unbalanced “[” at character 1")
	refuse(t, d, delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpAddParagraph, Para: p.ID, NewText: "States noted] the report."},
		EINVALID, "unbalanced “]”")
	// A span that cuts a bracket pair is taken, with a warning.
	d3 := newDoc(t, "# T\n<!-- symbol: A/1 -->\n\n## A\n\n1. States [are encouraged to] share information.\n")
	q := numbered(t, d3, "1")
	s3, e3 := spanOf(t, q.Text, "[are")
	must(t, d3, delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpDelete, Para: q.ID, Version: q.Version, Start: s3, End: e3})
	if w := d3.BracketWarnings(d3.Amendments["a1"]); len(w) != 1 || !strings.Contains(w[0], "unbalanced “]”") {
		t.Errorf("warnings = %q", w)
	}
	must(t, d, delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpReplace, Para: p.ID, Version: p.Version, Start: s, End: e, NewText: "[reaffirmed][recalled]"})
	a := d.Amendments["a1"]
	if got, ok := d.AppliedText(a); !ok || got != "States [reaffirmed][recalled] resolution 75/240." {
		t.Errorf("AppliedText = %q, %v", got, ok)
	}
}

// TestSettleBrackets: the chair's choices for several brackets of a
// paragraph are stored together, and the alternatives of "[shall][should]"
// are never left half-settled (issue 17, defect 3).
func TestSettleSeveralBrackets(t *testing.T) {
	d := newDoc(t, sampleDraft)
	p1 := numbered(t, d, "1") // "…in [New York][Geneva]."
	evs := must(t, d, chair, ClearBrackets{Para: p1.ID, Version: 1, Settle: []BracketChoice{{Index: 0}, {Index: 1, Drop: true}}})
	if p1.Text != "The Mechanism held its first session in New York." || len(evs) != 2 {
		t.Errorf("after settling: %q in %d events", p1.Text, len(evs))
	}
	p2 := numbered(t, d, "2")
	refuse(t, d, chair, ClearBrackets{Para: p2.ID, Version: p2.Version, Settle: []BracketChoice{{Index: 3}}}, EINVALID, "settle: paragraph 2 has 0 brackets; there is no bracket 3")
	refuse(t, d, chair, ClearBrackets{Para: p1.ID, Version: 1, Settle: []BracketChoice{{Index: 0}}}, ECONFLICT, "is at version 3, not 1")
	// Nested: the inner bracket kept, the outer dropped with it.
	d2 := newDoc(t, "# T\n\n## A\n\n1. States [are encouraged to [continue to]] share [information].\n")
	q := numbered(t, d2, "1")
	must(t, d2, chair, ClearBrackets{Para: q.ID, Version: q.Version, Settle: []BracketChoice{{Index: 1}, {Index: 0, Drop: true}, {Index: 2}}})
	if q.Text != "States  share information." {
		t.Errorf("nested settled: %q", q.Text)
	}
	refuse(t, d2, chair, ClearBrackets{Para: q.ID, Version: q.Version, Settle: []BracketChoice{{Index: 0}, {Index: 0}}}, EINVALID, "")
}

// TestParagraphHistory: every change of a paragraph's text is on its
// history with who made it and the decision behind it, and every earlier
// text can be read back (issue 17: a paragraph shows its history; the
// compare names the pen-holder's office).
func TestParagraphHistory(t *testing.T) {
	d := newDoc(t, sampleDraft)
	p := numbered(t, d, "2") // "States recalled resolution 75/240."
	v1 := p.Text
	s, e := spanOf(t, p.Text, "recalled")
	must(t, d, delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: OpReplace, Para: p.ID, Version: p.Version, Start: s, End: e, NewText: "reaffirmed"})
	must(t, d, chair, DecideAmendment{Amendment: "a1", Outcome: Accepted})
	v2 := p.Text
	must(t, d, chair, EditText{Para: p.ID, Version: p.Version, Start: 0, End: 0, Insert: "All "})
	if len(p.History) != 2 {
		t.Fatalf("history = %+v", p.History)
	}
	h := p.History[0]
	if h.Version != 2 || h.Amendment != "a1" || h.Deleted != "recalled" || h.Inserted != "reaffirmed" || h.By.Role != RoleChair || h.Event != "paragraph.edited" {
		t.Errorf("the accepted amendment's change: %+v", h)
	}
	if h := p.History[1]; h.Amendment != "" || h.Inserted != "All " || h.Start != 0 || h.By.Person != "chair" {
		t.Errorf("the pen's change: %+v", h)
	}
	for v, want := range map[int]string{1: v1, 2: v2, 3: p.Text} {
		if got, ok := p.TextAt(v); !ok || got != want {
			t.Errorf("TextAt(%d) = %q, %v; want %q", v, got, ok, want)
		}
	}
	if _, ok := p.TextAt(0); ok {
		t.Error("TextAt(0) is known")
	}
}
