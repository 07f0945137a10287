package export_test

import (
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/export"
)

// htmlLines reads the numbered lines of a report's HTML: for each
// paragraph with line numbers, the words of each line in order (notes
// left out, deleted words of a compare kept, as they are shown).
func htmlLines(t *testing.T, page []byte) [][][]string {
	t.Helper()
	note := regexp.MustCompile(`<span class="note"[^>]*>[^<]*</span>`)
	var out [][][]string
	for _, m := range htmlRow.FindAllStringSubmatch(string(page), -1) {
		inner := m[3]
		i := strings.Index(inner, `<span class="lines">`)
		if i < 0 {
			continue
		}
		var para [][]string
		for _, seg := range strings.Split(inner[i:], `<span class="ln" aria-hidden="true">`)[1:] {
			_, text, _ := strings.Cut(seg, "</span>")
			para = append(para, strings.Fields(html2text(note.ReplaceAllString(text, ""))))
		}
		out = append(out, para)
	}
	if len(out) == 0 {
		t.Fatal("no numbered paragraph in the HTML")
	}
	return out
}

// html2text is the text of inline HTML, tags dropped.
func html2text(s string) string {
	return html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(s, ""))
}

// TestLinesDocxInLibreOffice prints the clean text, compare and
// compilation .docx with line numbers through LibreOffice and reads the PDF back: every line of every
// paragraph is a printed line of its own that starts with its number and
// holds the words the HTML (and so the room) puts on that line: Word's
// layout neither wraps a line nor runs two together, and "paragraph 12,
// line 3" cites the same words on paper as on screen.
func TestLinesDocxInLibreOffice(t *testing.T) {
	soffice, pdftotext := tool(t, "soffice", "libreoffice-writer-nogui"), tool(t, "pdftotext", "poppler-utils")
	s := buildScenario(t)
	d := s.doc
	clean, err := export.Clean(d.Outline(), export.LiveMeta(d, s.liveAt, s.head), export.CleanOptions{Doc: d, Lines: true})
	if err != nil {
		t.Fatal(err)
	}
	comp := export.BuildCompilation(d, export.LiveMeta(d, s.liveAt, s.head))
	comp.Lines = true
	reports := map[string]export.Report{
		"clean":       clean,
		"compare":     export.CompareRevisions(d, s.zero, nil, export.LiveMeta(d, s.liveAt, s.head), export.CompareOptions{Lines: true}),
		"compilation": comp,
	}
	dir := t.TempDir()
	var ins []string
	for name, r := range reports {
		b, err := r.(interface{ DOCX() ([]byte, error) }).DOCX()
		if err != nil {
			t.Fatal(err)
		}
		in := filepath.Join(dir, name+".docx")
		if err := os.WriteFile(in, b, 0o644); err != nil {
			t.Fatal(err)
		}
		ins = append(ins, in)
	}
	cmd := exec.Command(soffice, append([]string{"-env:UserInstallation=file://" + filepath.Join(dir, "profile"), "--headless", "--convert-to", "pdf", "--outdir", dir}, ins...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	for name, r := range reports {
		txt, err := exec.Command(pdftotext, "-layout", "-enc", "UTF-8", filepath.Join(dir, name+".pdf"), "-").Output()
		if err != nil {
			t.Fatalf("pdftotext %s: %v", name, err)
		}
		var printed [][]string // the PDF's lines, as words
		for _, l := range strings.Split(string(txt), "\n") {
			if f := strings.Fields(l); len(f) > 0 {
				printed = append(printed, f)
			}
		}
		paras := htmlLines(t, r.HTML())
		at, lines := 0, 0
		for pi, para := range paras {
			// The first line: its number, the paragraph's number, its words.
			first := para[0]
			for at < len(printed) && !(printed[at][0] == "1" && endsWith(printed[at], first)) {
				at++
			}
			if at == len(printed) {
				t.Fatalf("%s: paragraph %d (line 1 %q) is not printed as a numbered line", name, pi+1, strings.Join(first, " "))
			}
			for k, words := range para[1:] {
				at++
				want := append([]string{strconv.Itoa(k + 2)}, words...)
				if at >= len(printed) || strings.Join(printed[at], " ") != strings.Join(want, " ") {
					got := ""
					if at < len(printed) {
						got = strings.Join(printed[at], " ")
					}
					t.Fatalf("%s: paragraph %d, line %d is printed\n  %q\nwant\n  %q", name, pi+1, k+2, got, strings.Join(want, " "))
				}
			}
			lines += len(para)
		}
		t.Logf("%s: %d paragraphs, %d numbered lines, each printed as the HTML sets it", name, len(paras), lines)
	}
}

// endsWith reports whether a printed line is want after its line and
// paragraph numbers (a number as long as "17 alt." may touch the text).
func endsWith(line, want []string) bool {
	l, w := strings.Join(line, " "), strings.Join(want, " ")
	return strings.HasSuffix(l, w) && len(l)-len(w) <= len("1 17 quater. ")
}

// TestCompilationCitesLines: a compilation cites each amendment that
// changes words by the line its words begin on ("paragraph 14, line 1"),
// the line of the numbered text where those words are.
func TestCompilationCitesLines(t *testing.T) {
	s := buildScenario(t)
	d := s.doc
	c := export.BuildCompilation(d, export.LiveMeta(d, s.liveAt, s.head))
	c.Lines = true
	page := c.HTML()
	rows := htmlRow.FindAllStringSubmatch(string(page), -1)
	cited := 0
	for _, e := range c.Entries {
		for _, a := range e.Amendments {
			am := d.Amendments[a.ID]
			if a.Line == 0 {
				if am.Parent == "" && am.Op.SpanOp() && am.Status == engine.Proposed && am.Anchor.Check(d.Paragraphs[am.Para].Text) == nil {
					t.Errorf("pending amendment %s on paragraph %s cites no line", a.ID, e.Number)
				}
				continue
			}
			cited++
			if want := "paragraph " + e.Number + ", line " + strconv.Itoa(a.Line); e.Level == 0 && a.Cite != want {
				t.Errorf("amendment %s cites %q, want %q", a.ID, a.Cite, want)
			}
			// The words it changes (or, for an insertion, those it goes
			// before) begin on that line of the numbered text.
			word := strings.Fields(am.Anchor.Text + " " + am.Anchor.After)[0]
			var lines [][]string
			for _, r := range rows {
				if strings.Contains(r[2], `id="`+e.EID+`"`) {
					lines = htmlLines(t, []byte(r[0]))[0]
				}
			}
			if a.Line > len(lines) || !strings.Contains(strings.Join(lines[a.Line-1], " "), strings.Trim(word, "*_")) {
				t.Errorf("amendment %s (%s) changes %q, not on that line: %q", a.ID, a.Cite, word, lines)
			}
		}
	}
	if cited < 3 {
		t.Fatalf("only %d amendments cite a line", cited)
	}
	md := string(c.Markdown())
	if !strings.Contains(md, "Delete (paragraph 14, line 1): ") {
		t.Errorf("the Markdown compilation does not cite the line:\n%s", md)
	}
}

// TestLinesWithFootnotes: a footnote reference counts as the room counts
// it ("[^1]", four characters), in HTML as in Word, so a paragraph with
// references has the room's lines in both.
func TestLinesWithFootnotes(t *testing.T) {
	text := "States " + strings.Repeat("recalled the importance[^1] of cooperation and ", 4) + "agreed."
	r := createRoom(t, "# T\n<!-- symbol: A/1 -->\n\n## A\n\n1. "+text+"\n\n[^1]: A note.\n", "fn", "en")
	src := r.doc.Order()[0].Text
	starts := export.LineStarts(src)
	if len(starts) < 2 {
		t.Fatalf("the paragraph has %d lines", len(starts)+1)
	}
	rs := []rune(src)
	c, err := export.Build(r.doc, export.Request{Report: "clean", Revision: export.Live, Lines: true}, "", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	// HTML: each numbered line begins with the room's words.
	lines := htmlLines(t, c.HTML())[0]
	if len(lines) != len(starts)+1 {
		t.Fatalf("the HTML sets %d lines, the room %d", len(lines), len(starts)+1)
	}
	for k, s := range starts {
		want := strings.Split(strings.Fields(string(rs[s:]))[0], "[^")[0]
		if got := lines[k+1][0]; !strings.HasPrefix(got, want) {
			t.Errorf("HTML line %d begins with %q, the room's with %q", k+2, got, want)
		}
	}
	// Word: the text after each line number begins with the room's words.
	b, err := c.DOCX()
	if err != nil {
		t.Fatal(err)
	}
	doc := string(docxPart(t, b, "word/document.xml"))
	parts := strings.Split(doc, `<w:rStyle w:val="DRLineNumber"/>`)
	if len(parts) != len(starts)+2 {
		t.Fatalf("Word numbers %d lines, the room has %d", len(parts)-1, len(starts)+1)
	}
	for k, s := range starts {
		after := regexp.MustCompile(`<w:t xml:space="preserve">([^<]*)</w:t>`).FindStringSubmatch(parts[k+2])
		want := strings.Split(strings.Fields(string(rs[s:]))[0], "[^")[0]
		if after == nil || !strings.HasPrefix(after[1], want) {
			t.Errorf("Word line %d begins with %v, the room's with %q", k+2, after, want)
		}
	}
}
