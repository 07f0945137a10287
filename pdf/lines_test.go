package pdf_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/export"
)

// TestPrintFixedLines prints a clean text with the room's fixed lines
// (export's Lines) as the download endpoint does with lines=1: each line
// of each paragraph is a printed line that begins with its number, the
// numbers run 1, 2, 3 … within each paragraph (the room's, not every
// fifth printed line), and the words on printed line k of a paragraph
// are those of its line k.
func TestPrintFixedLines(t *testing.T) {
	p := printer(t)
	tool := needTool(t, "pdftotext", "poppler-utils")
	src, err := os.ReadFile(filepath.Join("..", "fixtures", "drafts", "progress-report-zero-draft.md"))
	if err != nil {
		t.Fatal(err)
	}
	o := draft(t, string(src))
	m := export.Meta{Title: o.Title, Source: export.Source{Symbol: "A/AC.292/2027/L.3", Revision: "Zero draft", Date: time.Date(2027, 3, 15, 0, 0, 0, 0, time.UTC)}, Language: "en"}
	c, err := export.Clean(o, m, export.CleanOptions{Lines: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b, err := p.PrintReport(ctx, c, "", true)
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "lines.pdf")
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(tool, "-layout", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	printed := map[string]bool{}
	for _, l := range strings.Split(string(out), "\n") {
		if w := strings.Fields(l); len(w) > 1 {
			printed[strings.Join(w, " ")] = true
		}
	}
	checked := 0
	o.Walk(func(_ *engine.OutlineSection, para *engine.OutlineParagraph) {
		var text strings.Builder
		for _, r := range export.TextRuns(para.Text) {
			text.WriteString(r.Text)
		}
		rs := []rune(text.String())
		starts := append(engine.LineStarts(string(rs), engine.LineWidth), len(rs))
		from := 0
		for k, s := range starts {
			line := strconv.Itoa(k+1) + " " + strings.Join(strings.Fields(string(rs[from:s])), " ")
			from = s
			if k == 0 {
				continue // after the paragraph's number
			}
			if !printed[line] {
				t.Errorf("paragraph %s: no printed line %q", para.Number, line)
			}
			checked++
		}
	})
	if checked < 50 {
		t.Fatalf("only %d lines after the first checked", checked)
	}
}
