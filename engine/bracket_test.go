package engine

import (
	"reflect"
	"testing"
	"unicode/utf8"
)

func TestParseBrackets(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		count     int
		depth     int
		alts      int   // number of Alternatives nodes at top level
		problems  []int // offsets of unbalanced brackets
		firstText string
	}{
		{"plain", "States recalled resolution 75/240.", 0, 0, 0, nil, ""},
		{"one", "States [shall] consider", 1, 1, 0, nil, "shall"},
		{"nested", "[States [should][shall] consider [, inter alia,]]", 4, 2, 0, nil, ""},
		{"alternatives", "States [shall][should][may] consider", 3, 1, 1, nil, "shall"},
		{"separate", "[below 1.5 °C] [or] [well]", 3, 1, 0, nil, "below 1.5 °C"},
		{"deep", "[a [b [c [d [e]]]]]", 5, 5, 0, nil, ""},
		{"escaped", `a \[not a bracket\] b`, 0, 0, 0, nil, ""},
		{"footnote", "[NDMCs[^1]] and [^2]", 1, 1, 0, nil, "NDMCs[^1]"},
		{"unclosed", "[Parties [collectively] aim", 1, 1, 0, []int{0}, "collectively"},
		{"unopened", "aim]] to reach [the goal]", 1, 1, 0, []int{3, 4}, ""},
		{"arabic", "ينبغي للدول [أن تنظر][أن تعتمد] في", 2, 1, 1, nil, "أن تنظر"},
		{"chinese", "各国[应][宜]考虑[采取]措施]", 3, 1, 1, []int{16}, "应"},
		{"russian", "Государства [должны] рассмотреть", 1, 1, 0, nil, "должны"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tree := ParseBrackets(tt.text)
			if got := tree.Render(); got != tt.text {
				t.Fatalf("Render() = %q, want the input %q", got, tt.text)
			}
			if tree.Count != tt.count {
				t.Errorf("Count = %d, want %d", tree.Count, tt.count)
			}
			if tree.MaxDepth != tt.depth {
				t.Errorf("MaxDepth = %d, want %d", tree.MaxDepth, tt.depth)
			}
			alts := 0
			for _, n := range tree.Nodes {
				if n.Kind == Alternatives {
					alts++
				}
			}
			if alts != tt.alts {
				t.Errorf("top-level alternatives = %d, want %d", alts, tt.alts)
			}
			var offs []int
			for _, p := range tree.Problems {
				offs = append(offs, p.Offset)
				if got := string([]rune(tt.text)[p.Offset]); got != p.Char {
					t.Errorf("problem at %d names %q but the text has %q there", p.Offset, p.Char, got)
				}
			}
			if !reflect.DeepEqual(offs, tt.problems) {
				t.Errorf("problem offsets = %v, want %v", offs, tt.problems)
			}
			if tt.firstText != "" {
				b := tree.Brackets()[0]
				inner := string([]rune(tt.text)[b.Start+1 : b.End-1])
				if inner != tt.firstText {
					t.Errorf("first bracket holds %q, want %q", inner, tt.firstText)
				}
			}
		})
	}
}

func TestBracketIndexOrder(t *testing.T) {
	tree := ParseBrackets("[a [b] [c]] [d]")
	var got []string
	rs := []rune("[a [b] [c]] [d]")
	for i, b := range tree.Brackets() {
		if b.Index != i {
			t.Errorf("bracket %d has Index %d", i, b.Index)
		}
		got = append(got, string(rs[b.Start:b.End]))
	}
	want := []string{"[a [b] [c]]", "[b]", "[c]", "[d]"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("brackets = %q, want %q", got, want)
	}
}

// FuzzParseBrackets checks that parsing never panics, rendering gives the
// input back and every offset is inside the text.
func FuzzParseBrackets(f *testing.F) {
	for _, s := range scriptSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		tree := ParseBrackets(text)
		if got := tree.Render(); got != text {
			t.Fatalf("Render() = %q, want %q", got, text)
		}
		n := utf8.RuneCountInString(text)
		for _, p := range tree.Problems {
			if p.Offset < 0 || p.Offset >= n {
				t.Fatalf("problem offset %d outside text of %d characters", p.Offset, n)
			}
		}
		for _, b := range tree.Brackets() {
			if b.Start < 0 || b.End > n || b.End-b.Start < 2 {
				t.Fatalf("bracket %d–%d outside text of %d characters", b.Start, b.End, n)
			}
		}
	})
}

// scriptSeeds are seed texts in the six UN languages, with brackets.
var scriptSeeds = []string{
	"States [shall][should] consider [, inter alia, [voluntary]] measures.",
	"Les États [devraient][doivent] examiner [des mesures [volontaires]].",
	"Los Estados [deberían][deben] considerar [medidas [voluntarias]].",
	"Государства [должны][могли бы] рассмотреть [добровольные] меры.",
	"ينبغي للدول [أن تنظر][أن تعتمد] في [تدابير [طوعية]].",
	"各国[应][宜]考虑[采取[自愿]]措施。",
	"[unclosed [nested] text",
	"closing] without [opening]]",
	`escaped \[ and \] and footnote[^1]`,
}

// TestSettleBrackets: every bracket lifted, nested ones too, and of each
// set of alternatives the first kept, in any script.
func TestSettleBrackets(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"States [shall][should] report.", "States shall report."},
		{"States [are encouraged to [continue to]] share.", "States are encouraged to continue to share."},
		{"[[a][b] c][d] e", "a c e"},
		{"No brackets at all.", "No brackets at all."},
		{"Unbalanced [text stays.", "Unbalanced [text stays."},
		{"تؤكد الدول [على][أهمية] التعاون.", "تؤكد الدول على التعاون."},
		{"各国[应][可]加强合作。", "各国应加强合作。"},
	} {
		if got := SettleBrackets(ParseBrackets(c.in).Nodes); got != c.want {
			t.Errorf("SettleBrackets(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
