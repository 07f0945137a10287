package pdf_test

import (
	"context"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/export"
	"github.com/draftroom/draftroom/pdf"
)

var screenshots = flag.Bool("screenshots", false, "write page 1 of the Arabic and Chinese reports to docs/screenshots")

// needTool finds a command, failing the test on CI when it is missing and
// skipping it elsewhere.
func needTool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing: install the Debian package %s", name, pkg)
		}
		t.Skipf("%s is missing (Debian package %s)", name, pkg)
	}
	return p
}

// printer is a printer on the installed Chromium.
func printer(t testing.TB) *pdf.Printer {
	t.Helper()
	if _, err := pdf.LookPath(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	p := pdf.New("")
	t.Cleanup(p.Close)
	return p
}

// draft imports a Markdown draft as a document outline.
func draft(t testing.TB, src string) engine.Outline {
	t.Helper()
	d, _, err := engine.ImportDraft(src)
	if err != nil {
		t.Fatal(err)
	}
	doc := engine.NewDocument()
	if _, err := doc.Execute(engine.Context{Actor: engine.Actor{Role: engine.RoleSecretariat}}, engine.CreateDocument{ID: "d", Draft: d}); err != nil {
		t.Fatal(engine.ErrorMessage(err))
	}
	return doc.Outline()
}

// printClean prints the clean text of an outline.
func printClean(t testing.TB, p *pdf.Printer, o engine.Outline, m export.Meta, lines bool) []byte {
	t.Helper()
	c, err := export.Clean(o, m, export.CleanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	b, err := p.Print(ctx, c.HTML(), pdf.Options{Masthead: pdf.MastheadOf(c.Meta, ""), LineNumbers: lines})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pdfText is the text pdftotext reads from pages first to last (0: to the
// end), white space collapsed.
func pdfText(t testing.TB, b []byte, first, last int) string {
	t.Helper()
	tool := needTool(t, "pdftotext", "poppler-utils")
	f := filepath.Join(t.TempDir(), "r.pdf")
	if err := os.WriteFile(f, b, 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"-enc", "UTF-8"}
	if first > 0 {
		args = append(args, "-f", itoa(first), "-l", itoa(last))
	}
	out, err := exec.Command(tool, append(args, f, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + string(rune('0'+n%10))) }

// visible is a paragraph's text as printed: Markdown marks dropped, white
// space collapsed.
func visible(md string) string {
	var b strings.Builder
	for _, r := range export.TextRuns(md) {
		b.WriteString(r.Text)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// TestPrintClean prints the clean text of the progress report zero draft
// (with line numbers): pdftotext finds the symbol, the masthead, every
// paragraph and the page numbers.
func TestPrintClean(t *testing.T) {
	p := printer(t)
	src, err := os.ReadFile("../fixtures/drafts/progress-report-zero-draft.md")
	if err != nil {
		t.Fatal(err)
	}
	o := draft(t, string(src))
	m := export.Meta{Title: o.Title, Source: export.Source{Symbol: "A/AC.292/2027/L.3", Revision: "Zero draft", Date: time.Date(2027, 3, 15, 0, 0, 0, 0, time.UTC)}, Language: "en"}
	b := printClean(t, p, o, m, true)
	if !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("not a PDF: %.20q", b)
	}
	text := pdfText(t, b, 0, 0)
	for _, want := range []string{"United Nations", "A/AC.292/2027/L.3", "Distr.: Limited", "15 March 2027", "Original: English"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	// A paragraph may run over a page break (the footer's page number
	// and the header's symbol come between) and carries line numbers:
	// numbers and the symbol are left out on both sides; pdftotext joins
	// a word hyphenated at the end of a line, so hyphens are too.
	strip := func(s string) string {
		var out []string
		s = strings.ReplaceAll(strings.ReplaceAll(s, "A/AC.292/2027/L.3", " "), "-", "")
		for _, w := range strings.Fields(s) {
			if !regexp.MustCompile(`^[\d/]+$`).MatchString(w) {
				out = append(out, w)
			}
		}
		return strings.Join(out, "") // lines break where the text has no space ("][")
	}
	body := strip(text)
	n := 0
	o.Walk(func(_ *engine.OutlineSection, para *engine.OutlineParagraph) {
		n++
		if v := strip(visible(para.Text)); !strings.Contains(body, v) {
			t.Errorf("the PDF lacks paragraph %s: %q", para.EID, v)
		}
	})
	if n < 10 {
		t.Fatalf("only %d paragraphs in the fixture", n)
	}
	pages := regexp.MustCompile(`\b(\d+)/(\d+)\b`).FindAllStringSubmatch(strings.ReplaceAll(text, "A/AC.292/2027/L.3", ""), -1)
	total := ""
	seen := map[string]bool{}
	for _, m := range pages {
		seen[m[1]] = true
		total = m[2]
	}
	if !seen["1"] || !seen["2"] || total == "" || !seen[total] {
		t.Errorf("page numbers missing: found %v of %s", seen, total)
	}
	if !regexp.MustCompile(`\b5\b.*\b10\b.*\b15\b`).MatchString(text) {
		t.Errorf("no line numbers 5, 10, 15 in the PDF")
	}
}

// TestPrintArabicChinese prints the Arabic and the Chinese passages of the
// multilingual fixture: pdftotext reads their words back (the Noto fonts
// are embedded: a missing glyph would come back as nothing), and
// pdftoppm renders page 1 of each.
func TestPrintArabicChinese(t *testing.T) {
	p := printer(t)
	ppm := needTool(t, "pdftoppm", "poppler-utils")
	src, err := os.ReadFile("../fixtures/drafts/multilingual-passage.md")
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(string(src), "\n## ")
	for _, tc := range []struct {
		lang, heading, symbol string
		words                 []string
	}{
		{"ar", "العربية", "A/AC.292/2027/CRP.2", []string{"جهات", "الاتصال", "القدرات"}},
		{"zh", "中文", "A/AC.292/2027/CRP.2", []string{"联络点", "能力建设"}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			var body string
			for _, part := range parts {
				if strings.HasPrefix(part, tc.heading) {
					body = part[len(tc.heading):]
				}
			}
			if body == "" {
				t.Fatalf("no %s passage in the fixture", tc.heading)
			}
			o := draft(t, "# "+tc.heading+"\n"+body)
			m := export.Meta{Title: tc.heading, Source: export.Source{Symbol: tc.symbol, Revision: "Draft", Date: time.Date(2027, 3, 15, 0, 0, 0, 0, time.UTC)}, Language: tc.lang}
			b := printClean(t, p, o, m, false)
			text := pdfText(t, b, 1, 1)
			for _, w := range append(tc.words, tc.symbol, "Distr.: Restricted") {
				if !strings.Contains(text, w) && !strings.Contains(strings.ReplaceAll(text, " ", ""), w) {
					t.Errorf("page 1 lacks %q: %s", w, text)
				}
			}
			dir := t.TempDir()
			f := filepath.Join(dir, "r.pdf")
			if err := os.WriteFile(f, b, 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(ppm, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", f, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
				t.Fatalf("pdftoppm: %v %s", err, out)
			}
			png, err := os.ReadFile(filepath.Join(dir, "page.png"))
			if err != nil || len(png) < 2000 || string(png[1:4]) != "PNG" {
				t.Fatalf("pdftoppm rendered no page 1 (%d bytes, %v)", len(png), err)
			}
			if *screenshots {
				if err := os.WriteFile("../docs/screenshots/pdf-"+tc.lang+".png", png, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

// TestMissingChromium: without Chromium, printing fails with an error that
// names the package to install.
func TestMissingChromium(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv("DRAFTROOM_CHROMIUM", "")
	_, err := pdf.New("").Print(context.Background(), []byte("<html></html>"), pdf.Options{})
	if !errors.Is(err, pdf.ErrNoChromium) || !strings.Contains(err.Error(), "apt-get install chromium") {
		t.Fatalf("got %v, want ErrNoChromium naming the package", err)
	}
}

// TestMastheadOf: the distribution follows the symbol unless given.
func TestMastheadOf(t *testing.T) {
	for sym, want := range map[string]pdf.Distribution{"A/AC.292/2027/L.3": pdf.Limited, "A/AC.292/2027/CRP.1/Rev.1": pdf.Restricted, "A/79/123": pdf.General} {
		if got := pdf.MastheadOf(export.Meta{Source: export.Source{Symbol: sym}}, "").Distribution; got != want {
			t.Errorf("%s: distribution %s, want %s", sym, got, want)
		}
	}
	if got := pdf.MastheadOf(export.Meta{Language: "ar"}, pdf.General); got.Original != "Arabic" || got.Distribution != pdf.General {
		t.Errorf("ar: %+v", got)
	}
}
