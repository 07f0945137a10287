package engine

import (
	"reflect"
	"strings"
	"testing"
)

func TestMatchBrackets(t *testing.T) {
	site := func(b, o int) BracketSite { return BracketSite{Block: b, Offset: o} }
	tests := []struct {
		name      string
		blocks    []string
		pairs     int
		depth     int
		spanning  []BracketPair
		unmatched []UnmatchedBracket
	}{
		{"none", []string{"plain", "text"}, 0, 0, nil, nil},
		{"within blocks", []string{"[a] b", "[c [d]]"}, 3, 2, nil, nil},
		{"chapeau and its list", []string{"[Each Party shall:", "(a) report;", "(b) review.]"}, 1, 1,
			[]BracketPair{{Open: site(0, 0), Close: site(2, 11), Depth: 1}}, nil},
		{"depth across blocks", []string{"[[Each [shall", "[report] [x]]", "y].]"}, 5, 4,
			[]BracketPair{{site(0, 0), site(2, 3), 1}, {site(0, 1), site(2, 1), 2}, {site(0, 7), site(1, 12), 3}}, nil},
		{"truly unmatched", []string{"a]", "[b", "c]"}, 1, 1,
			[]BracketPair{{site(1, 0), site(2, 1), 1}},
			[]UnmatchedBracket{{site(0, 1), "]", "closing bracket ']' without an opening '['"}}},
		{"never closed", []string{"[a", "b"}, 0, 0, nil,
			[]UnmatchedBracket{{site(0, 0), "[", "opening bracket '[' is never closed"}}},
		{"an unclosed bracket does not deepen the next", []string{"[x", "[a]"}, 1, 1, nil,
			[]UnmatchedBracket{{site(0, 0), "[", "opening bracket '[' is never closed"}}},
		{"footnotes and escapes are text", []string{"a[^1] \\[", "b\\] [^note]"}, 0, 0, nil, nil},
		{"offsets in characters", []string{"各国[应", "考虑]"}, 1, 1, []BracketPair{{site(0, 2), site(1, 2), 1}}, nil},
		{"unmatched brackets do not deepen", []string{"[ [a] ]]]"}, 2, 2, nil,
			[]UnmatchedBracket{{site(0, 7), "]", "closing bracket ']' without an opening '['"}, {site(0, 8), "]", "closing bracket ']' without an opening '['"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := MatchBrackets(tt.blocks)
			if m.Pairs != tt.pairs || m.MaxDepth != tt.depth {
				t.Errorf("pairs %d depth %d, want %d and %d", m.Pairs, m.MaxDepth, tt.pairs, tt.depth)
			}
			if !reflect.DeepEqual(m.Spanning, tt.spanning) {
				t.Errorf("spanning = %+v\nwant       %+v", m.Spanning, tt.spanning)
			}
			if !reflect.DeepEqual(m.Unmatched, tt.unmatched) {
				t.Errorf("unmatched = %+v\nwant        %+v", m.Unmatched, tt.unmatched)
			}
			// Within one block the count agrees with ParseBrackets.
			if len(tt.blocks) == 1 {
				tree := ParseBrackets(tt.blocks[0])
				if tree.Count != m.Pairs || tree.MaxDepth != m.MaxDepth || len(tree.Problems) != len(m.Unmatched) {
					t.Errorf("one block: ParseBrackets says %d pairs, depth %d, %d problems", tree.Count, tree.MaxDepth, len(tree.Problems))
				}
			}
		})
	}
}

// TestDocumentMatchBrackets matches brackets over a live document, so that
// a status report can tell a bracket spanning paragraphs from an unmatched
// one, and follows the text as it changes.
func TestDocumentMatchBrackets(t *testing.T) {
	draft, _, err := ImportDraft("# T\n\n## [Part] one\n\n12. [Each Party shall:\n    (a) report;\n    (b) review.]\n\n13. States [shall] act.]\n")
	if err != nil {
		t.Fatal(err)
	}
	d := newDocFromDraft(t, draft)
	p12, _ := d.FindByNumber("12")
	pb := d.Paragraphs[p12.Children[1]]
	p13, _ := d.FindByNumber("13")
	sec := d.Sections[0].ID
	m := d.MatchBrackets()
	want := DocumentBrackets{
		Pairs: 3, MaxDepth: 1,
		Spanning:  []DocumentBracketPair{{Open: DocumentBracketSite{sec, p12.ID, 0}, Close: DocumentBracketSite{sec, pb.ID, 7}, Depth: 1}},
		Unmatched: []DocumentUnmatchedBracket{{DocumentBracketSite{sec, p13.ID, 19}, "]", "closing bracket ']' without an opening '['"}},
	}
	if !reflect.DeepEqual(m, want) {
		t.Fatalf("MatchBrackets() = %+v\nwant %+v", m, want)
	}
	// Deleting the stray bracket leaves only the spanning pair.
	if _, err := d.Execute(secretary, EditText{Para: p13.ID, Version: p13.Version, Start: 19, End: 20}); err != nil {
		t.Fatal(err)
	}
	if m := d.MatchBrackets(); len(m.Unmatched) != 0 || len(m.Spanning) != 1 || m.Pairs != 3 {
		t.Errorf("after the edit: %+v", m)
	}
}

// FuzzMatchBrackets checks MatchBrackets against ParseBrackets of the
// blocks joined into one text: the same pairs, depth and unmatched
// brackets, and every spanning pair opens before it closes.
func FuzzMatchBrackets(f *testing.F) {
	f.Add("[Each Party shall:\x00(a) report;\x00(b) review.]")
	f.Add("a]\x00[b\x00c]")
	f.Add("[[x [y\x00[z] \\[ [^1]]\x00]].]")
	for _, s := range scriptSeeds {
		f.Add(s + "\x00" + s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		blocks := strings.Split(s, "\x00")
		m := MatchBrackets(blocks)
		tree := ParseBrackets(strings.Join(blocks, "\n"))
		if m.Pairs != tree.Count || m.MaxDepth != tree.MaxDepth || len(m.Unmatched) != len(tree.Problems) {
			t.Fatalf("MatchBrackets: %d pairs, depth %d, %d unmatched; ParseBrackets of the joined text: %d, %d, %d",
				m.Pairs, m.MaxDepth, len(m.Unmatched), tree.Count, tree.MaxDepth, len(tree.Problems))
		}
		for _, p := range m.Spanning {
			if p.Open.Block >= p.Close.Block {
				t.Fatalf("spanning pair %+v does not go forward", p)
			}
		}
	})
}
