package export_test

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

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

// lcsChanges is the independent word diff: a plain dynamic-programming
// longest common subsequence over normalized words, returning the words
// of old not in it (deleted) and of new not in it (inserted).
func lcsChanges(old, new []word) (deleted, inserted []string) {
	n, m := len(old), len(new)
	dp := make([][]int32, n+1)
	for i := range dp {
		dp[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if old[i].norm == new[j].norm {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n && j < m {
		switch {
		case old[i].norm == new[j].norm:
			i++
			j++
		case dp[i+1][j] >= dp[i][j+1]:
			deleted = append(deleted, old[i].norm)
			i++
		default:
			inserted = append(inserted, new[j].norm)
			j++
		}
	}
	for ; i < n; i++ {
		deleted = append(deleted, old[i].norm)
	}
	for ; j < m; j++ {
		inserted = append(inserted, new[j].norm)
	}
	return deleted, inserted
}

// exportChanges reads the words a compare row marks: a word of the new
// text is inserted when any of its letters or digits is in an inserted
// segment, a word of the old text deleted when any is in a deleted one.
func exportChanges(segs []export.Segment, oldText, newText string) (deleted, inserted []string) {
	insAt := make([]bool, len(newText))
	delAt := make([]bool, len(oldText))
	po, pn := 0, 0
	for _, s := range segs {
		n := len(s.Text)
		switch s.Op {
		case export.OpEqual:
			po += n
			pn += n
		case export.OpInsert:
			for k := pn; k < pn+n; k++ {
				insAt[k] = true
			}
			pn += n
		case export.OpDelete:
			for k := po; k < po+n; k++ {
				delAt[k] = true
			}
			po += n
		}
	}
	marked := func(text string, at []bool, w word) bool {
		for k := w.start; k < w.end; {
			r, size := utf8.DecodeRuneInString(text[k:])
			if (unicode.IsLetter(r) || unicode.IsDigit(r)) && at[k] {
				return true
			}
			k += size
		}
		return false
	}
	for _, w := range words(oldText) {
		if marked(oldText, delAt, w) {
			deleted = append(deleted, w.norm)
		}
	}
	for _, w := range words(newText) {
		if marked(newText, insAt, w) {
			inserted = append(inserted, w.norm)
		}
	}
	return deleted, inserted
}

func wordNorms(text string) []string {
	var out []string
	for _, w := range words(text) {
		out = append(out, w.norm)
	}
	return out
}

// multisetAgreement is |A ∩ B| / max(|A|, |B|) for multisets of words.
func multisetAgreement(a, b []string) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	count := map[string]int{}
	for _, w := range a {
		count[w]++
	}
	common := 0
	for _, w := range b {
		if count[w] > 0 {
			count[w]--
			common++
		}
	}
	return float64(common) / float64(max(len(a), len(b)))
}

// TestCompareParisDrafts compares the Paris Agreement drafts of 4 and 9
// December 2015, two independently imported texts, and checks the compare
// against an independent word diff.
func TestCompareParisDrafts(t *testing.T) {
	old := parisOutline(t, "paris-agreement-draft-2015-12-04.md")
	new := parisOutline(t, "paris-agreement-draft-2015-12-09.md")
	meta := export.Meta{Title: "Paris Agreement draft", Source: export.Source{Symbol: "ADP.2015.12-09", Revision: "9 December 2015 draft", Date: day(12, 9, 0).AddDate(-12, 0, 0)},
		Against: &export.Source{Symbol: "ADP.2015.12-04", Revision: "4 December 2015 draft", Date: day(12, 4, 0).AddDate(-12, 0, 0)}}
	c := export.CompareDrafts(old, new, meta, export.CompareOptions{})

	// Every paragraph and heading of each text is in the compare once, and
	// each row's segments rebuild both of its texts.
	oldRows, newRows := 0, 0
	var expDel, expIns, indDel, indIns []string
	for _, r := range c.Rows {
		var oldT, newT string
		for _, s := range r.Segments {
			if s.Op != export.OpInsert {
				oldT += s.Text
			}
			if s.Op != export.OpDelete {
				newT += s.Text
			}
		}
		switch r.Change {
		case export.Added:
			newRows++
			if newT != r.Text || oldT != "" {
				t.Errorf("added row %s does not rebuild its text", r.EID)
			}
			expIns = append(expIns, wordNorms(r.Text)...)
			indIns = append(indIns, wordNorms(r.Text)...)
		case export.Deleted:
			oldRows++
			if oldT != r.OldText || newT != "" {
				t.Errorf("deleted row %s does not rebuild its text", r.OldEID)
			}
			expDel = append(expDel, wordNorms(r.OldText)...)
			indDel = append(indDel, wordNorms(r.OldText)...)
		case export.MovedAway:
			oldRows++
		default:
			if r.Change != export.MovedHere {
				oldRows++
			}
			newRows++
			if oldT != r.OldText || newT != r.Text {
				t.Errorf("row %s: segments rebuild %q / %q, want %q / %q", r.EID, oldT, newT, r.OldText, r.Text)
			}
			d, i := exportChanges(r.Segments, r.OldText, r.Text)
			expDel, expIns = append(expDel, d...), append(expIns, i...)
			d, i = lcsChanges(words(r.OldText), words(r.Text))
			indDel, indIns = append(indDel, d...), append(indIns, i...)
		}
	}
	count := func(o engine.Outline) int {
		n := 0
		for _, s := range o.Sections {
			if s.Heading != "" {
				n++
			}
		}
		o.Walk(func(*engine.OutlineSection, *engine.OutlineParagraph) { n++ })
		return n
	}
	if want := count(old); oldRows != want {
		t.Errorf("the compare shows %d headings and paragraphs of the 4 December draft, it has %d", oldRows, want)
	}
	if want := count(new); newRows != want {
		t.Errorf("the compare shows %d headings and paragraphs of the 9 December draft, it has %d", newRows, want)
	}
	agreeDel, agreeIns := multisetAgreement(expDel, indDel), multisetAgreement(expIns, indIns)
	t.Logf("Paris 4 → 9 December 2015: %d paragraphs unchanged, %d changed, %d added, %d deleted, %d moved",
		c.Counts.Unchanged, c.Counts.Changed, c.Counts.Added, c.Counts.Deleted, c.Counts.Moved)
	t.Logf("words (engine tokens): %d inserted, %d deleted", c.Counts.WordsInserted, c.Counts.WordsDeleted)
	t.Logf("whitespace words: export %d deleted / %d inserted; independent LCS %d deleted / %d inserted; multiset agreement %.4f / %.4f",
		len(expDel), len(expIns), len(indDel), len(indIns), agreeDel, agreeIns)
	if c.Counts.Changed == 0 || c.Counts.Unchanged == 0 {
		t.Errorf("counts %+v: the drafts share text and differ", c.Counts)
	}
	// The two diffs tokenize differently (the export splits punctuation
	// and hyphens from words, the independent diff does not) and may break
	// ties of the longest common subsequence differently, so they may part
	// on a few words; the counts must agree within 1% and the words
	// themselves within 3%.
	within := func(a, b int) bool { return float64(abs(a-b)) <= 0.01*float64(max(a, b)) }
	if !within(len(expDel), len(indDel)) || !within(len(expIns), len(indIns)) {
		t.Errorf("the export marks %d words deleted and %d inserted, the independent diff %d and %d",
			len(expDel), len(expIns), len(indDel), len(indIns))
	}
	const minAgreement = 0.97
	if agreeDel < minAgreement || agreeIns < minAgreement {
		t.Errorf("deleted words agree %.4f, inserted %.4f with the independent diff; want at least %.2f\nonly in export (deleted): %v\nonly in LCS (deleted): %v",
			agreeDel, agreeIns, minAgreement, onlyIn(expDel, indDel, 20), onlyIn(indDel, expDel, 20))
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// onlyIn lists up to n words of a missing from b (as multisets).
func onlyIn(a, b []string, n int) []string {
	count := map[string]int{}
	for _, w := range b {
		count[w]++
	}
	var out []string
	for _, w := range a {
		if count[w] > 0 {
			count[w]--
			continue
		}
		out = append(out, w)
	}
	sort.Strings(out)
	if len(out) > n {
		out = out[:n]
	}
	return out
}
