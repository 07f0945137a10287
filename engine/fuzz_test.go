package engine

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzAmendmentApplication proposes and decides amendments on arbitrary
// text: no panics, accepted text is exactly the splice, and every pending
// amendment stays anchored on the text it was written against.
func FuzzAmendmentApplication(f *testing.F) {
	for i, s := range scriptSeeds {
		f.Add(s, i%5, i%7+1, "[новый]", uint8(i))
	}
	f.Fuzz(func(t *testing.T, text string, start, end int, insert string, choice uint8) {
		if !utf8.ValidString(text) || !utf8.ValidString(insert) || strings.ContainsAny(text+insert, "\n\r\x00") {
			return
		}
		d := NewDocument()
		draft := Draft{Title: "T", Symbol: "X/1", Sections: []DraftSection{{Heading: "A", Paras: []DraftParagraph{{Numbered: true, Base: 1, Text: text}, {Numbered: true, Base: 2, Text: text + " 2"}}}}}
		if _, err := d.Execute(secretary, CreateDocument{ID: "f", Draft: draft}); err != nil {
			return
		}
		p := d.Paragraphs["p1"]
		n := runeLen(text)
		start, end = clamp(start, n), clamp(end, n)
		if start > end {
			start, end = end, start
		}
		ops := []AmendmentOp{OpInsert, OpDelete, OpReplace}
		op := ops[int(choice)%3]
		if op == OpInsert {
			end = start
		}
		// A second amendment elsewhere must survive the first being accepted
		// whenever the spans do not overlap.
		_, err := d.Execute(delegate("FRA"), ProposeAmendment{Proposer: "FRA", Op: op, Para: p.ID, Version: 1, Start: start, End: end, NewText: insert})
		if err != nil {
			return
		}
		other := ProposeAmendment{Proposer: "CHN", Op: OpInsert, Para: p.ID, Version: 1, Start: n, End: n, NewText: " 各国"}
		if _, err := d.Execute(delegate("CHN"), other); err != nil {
			t.Fatalf("second amendment refused: %v", err)
		}
		outcomes := []AmendmentStatus{Accepted, InBrackets, Rejected}
		out := outcomes[int(choice/3)%3]
		before := p.Text
		if _, err := d.Execute(chair, DecideAmendment{Amendment: "a1", Outcome: out}); err != nil {
			if ErrorCode(err) == EINTERNAL {
				t.Fatal(err)
			}
			return
		}
		if out == Accepted {
			want := string([]rune(before)[:start]) + insert + string([]rune(before)[end:])
			if p.Text != want {
				t.Fatalf("accepted text = %q, want %q", p.Text, want)
			}
		}
		if ParseBrackets(p.Text).Render() != p.Text {
			t.Fatal("text no longer round-trips")
		}
		a2 := d.Amendments["a2"]
		if a2.Status == Proposed {
			if err := a2.Anchor.Check(p.Text); err != nil {
				t.Fatalf("a2 not carried: %v", err)
			}
		} else if out == Accepted && end < n {
			t.Fatalf("a2 (insert at end) became %s though the accepted change ended before it", a2.Status)
		}
	})
}

func clamp(v, n int) int {
	if v < 0 {
		v = -v
	}
	if n == 0 {
		return 0
	}
	return v % (n + 1)
}

// FuzzMapAnchor checks the rebase property: whenever an anchor is carried
// onto new text, it holds exactly the text it held before.
func FuzzMapAnchor(f *testing.F) {
	f.Add("States shall consider measures", "All States should consider voluntary measures", 7, 12)
	f.Add("各国应考虑采取措施", "各国宜考虑采取自愿措施", 2, 3)
	f.Add("ينبغي للدول أن تنظر في التدابير", "ينبغي لجميع الدول أن تنظر في التدابير", 6, 12)
	f.Fuzz(func(t *testing.T, old, new string, start, end int) {
		if !utf8.ValidString(old) || !utf8.ValidString(new) {
			return
		}
		n := runeLen(old)
		start, end = clamp(start, n), clamp(end, n)
		if start > end {
			start, end = end, start
		}
		a, err := NewAnchor(old, start, end)
		if err != nil {
			t.Fatal(err)
		}
		ds := WordDiff(old, new)
		if DiffOld(ds) != old || DiffNew(ds) != new {
			t.Fatalf("diff does not rebuild both texts")
		}
		m, ok := MapAnchor(a, ds)
		if !ok {
			return
		}
		if err := m.Check(new); err != nil || m.Text != a.Text {
			t.Fatalf("carried anchor %+v does not hold %q in %q: %v", m, a.Text, new, err)
		}
	})
}
