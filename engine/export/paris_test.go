package export_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/export"
)

// parisDir holds the Paris Agreement drafts of 2015 (research fixtures
// shared with the project, outside the repository).
const parisDir = "../../../shared/research-fixtures/cop21-okfn-paris-drafts"

// parisOutline imports one Paris draft as a document outline.
func parisOutline(t testing.TB, name string) engine.Outline {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(parisDir, name))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Paris draft missing on CI: %v", err)
		}
		t.Skipf("Paris draft not available: %v", err)
	}
	r := createRoom(t, string(b), "paris", "en")
	return r.doc.Outline()
}

// word is a whitespace-separated word with its byte span.
type word struct {
	norm       string
	start, end int
}

// words splits text on white space and normalizes each word to its
// lower-case letters and digits, dropping words with none.
func words(text string) []word {
	var out []word
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		n := strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return unicode.ToLower(r)
			}
			return -1
		}, text[start:end])
		if n != "" {
			out = append(out, word{n, start, end})
		}
		start = -1
	}
	for i, r := range text {
		if unicode.IsSpace(r) {
			flush(i)
		} else if start < 0 {
			start = i
		}
	}
	flush(len(text))
	return out
}

func wordNorms(text string) []string {
	var out []string
	for _, w := range words(text) {
		out = append(out, w.norm)
	}
	return out
}

// lcsLength is the length of a longest common subsequence of two word
// lists: the independent minimal word diff (a plain dynamic program in
// two rows, nothing of the project's own diff).
func lcsLength(x, y []string) int {
	prev := make([]int32, len(y)+1)
	cur := make([]int32, len(y)+1)
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			switch {
			case x[i-1] == y[j-1]:
				cur[j] = prev[j-1] + 1
			case prev[j] >= cur[j-1]:
				cur[j] = prev[j]
			default:
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return int(prev[len(y)])
}

// redlineWords counts the words a compare marks as changed: the words of
// its deleted and inserted runs and of changed numbers. The old place of
// a moved paragraph is the source of the move, not a change of words;
// its text is compared at the new place.
func redlineWords(c *export.Compare) int {
	n := 0
	for _, r := range c.Rows {
		if r.Change == export.MovedAway {
			continue
		}
		if r.OldNumber != r.Number {
			if r.Change != export.Added {
				n += len(wordNorms(r.OldNumber))
			}
			if r.Change != export.Deleted {
				n += len(wordNorms(r.Number))
			}
		}
		for _, x := range r.Runs {
			if x.Op != export.OpEqual {
				n += len(wordNorms(x.Text))
			}
		}
	}
	return n
}

// parisPairs are the consecutive drafts of the Paris Agreement (and the
// ADP draft decision of 6 November against the 23 October draft).
var parisPairs = []struct {
	old, new string
	// maxRatio bounds the words the redline marks changed against a
	// minimal word diff of the two texts.
	maxRatio float64
}{
	{"paris-agreement-draft-2015-10-23.md", "paris-agreement-draft-2015-12-04.md", 1.10},
	{"paris-agreement-draft-2015-12-04.md", "paris-agreement-draft-2015-12-09.md", 1.10},
	{"paris-agreement-draft-2015-12-09.md", "paris-agreement-2015-12-12-L9Rev1.md", 1.10},
	{"paris-agreement-2015-12-12-L9Rev1.md", "paris-agreement-2016-01-29-corrected.md", 1.10},
	// Two different texts (the ADP draft decision against the draft
	// agreement; 3 paragraphs in common): held to the same bound.
	{"adp-draft-decision-2015-11-06-edited-version.md", "paris-agreement-draft-2015-10-23.md", 1.10},
}

// TestCompareParisPairs compares every consecutive pair of the shared
// Paris drafts: the redline's changed words are at most 1.10 times those
// of an independent minimal word diff, and accepting (rejecting) every
// change in md, HTML, .docx and JSON gives the later (earlier) text.
func TestCompareParisPairs(t *testing.T) {
	for _, p := range parisPairs {
		t.Run(p.old+"→"+p.new, func(t *testing.T) {
			old, new := parisOutline(t, p.old), parisOutline(t, p.new)
			c := export.CompareDrafts(old, new, export.Meta{Title: "Paris"}, export.CompareOptions{})
			var ow, nw []string
			for _, s := range cleanParas(t, old) {
				ow = append(ow, wordNorms(s)...)
			}
			for _, s := range cleanParas(t, new) {
				nw = append(nw, wordNorms(s)...)
			}
			minimal := len(ow) + len(nw) - 2*lcsLength(ow, nw)
			got := redlineWords(c)
			ratio := float64(got) / float64(max(minimal, 1))
			t.Logf("%d/%d words; redline changes %d words, a minimal word diff %d: %.2f×; %+v", len(ow), len(nw), got, minimal, ratio, c.Counts)
			if ratio > p.maxRatio {
				t.Errorf("the redline changes %d words, %.2f× the %d of a minimal word diff (at most %.2f×)", got, ratio, minimal, p.maxRatio)
			}
			checkReconstruction(t, c, old, new)
		})
	}
}
