package main

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/pdf"
)

const zeroDraft = "../../fixtures/drafts/progress-report-zero-draft.md"

// TestExportCommand runs "draftroom export" on the fixture draft in each
// report and format.
func TestExportCommand(t *testing.T) {
	dir := t.TempDir()
	later := filepath.Join(dir, "later.md")
	src, err := os.ReadFile(zeroDraft)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), "remains the basis of the work", "remains the foundation of the work", 1)
	if err := os.WriteFile(later, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		code int
		want string // in the output
	}{
		{"clean markdown", []string{"-date", "2027-02-01", zeroDraft}, 0, "- Symbol: A/AC.292/2027/CRP.1"},
		{"clean html", []string{"-format", "html", "-date", "2027-02-01", zeroDraft}, 0, `<meta name="draftroom:symbol" content="A/AC.292/2027/CRP.1">`},
		{"compare", []string{"-against", zeroDraft, "-date", "2027-02-02", later}, 0, "remains the {--basis--}{++foundation++} of"},
		{"compare columns", []string{"-against", zeroDraft, "-style", "columns", later}, 0, "| Original (earlier draft (progress-report-zero-draft.md)) |"},
		{"compilation", []string{"-report", "compilation", zeroDraft}, 0, "*Status:* Not yet read"},
		{"clean html with line numbers", []string{"-format", "html", "-line-numbers", zeroDraft}, 0, `<br class="lb"><span class="ln" aria-hidden="true">2</span>`},
		{"compare html with line numbers", []string{"-format", "html", "-line-numbers", "-against", zeroDraft, later}, 0, `<br class="lb"><span class="ln" aria-hidden="true">2</span>`},
		{"compilation html with line numbers", []string{"-format", "html", "-line-numbers", "-report", "compilation", zeroDraft}, 0, `<br class="lb"><span class="ln" aria-hidden="true">2</span>`},
		{"status json", []string{"-report", "status", "-format", "json", zeroDraft}, 0, `"report": "status"`},
		{"akn", []string{"-format", "akn", zeroDraft}, 0, `<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0">`},
		{"final refused", []string{"-final", zeroDraft}, 1, "cannot be built with"},
		{"compare without the earlier text", []string{"-report", "compare", zeroDraft}, 2, "-against OLDFILE"},
		{"unknown format", []string{"-format", "rtf", zeroDraft}, 2, `format "rtf" is not one of md, html, docx, akn, json (or pdf)`},
		{"unknown distribution", []string{"-format", "pdf", "-distribution", "secret", zeroDraft}, 2, `-distribution "secret" is not one of general, limited, restricted`},
		{"no compilation in AKN", []string{"-report", "status", "-format", "akn", zeroDraft}, 1, "no Akoma Ntoso form"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), append([]string{"export"}, tt.args...), &out, &errb)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tt.code, errb.String())
			}
			if got := out.String() + errb.String(); !strings.Contains(got, tt.want) {
				t.Errorf("output lacks %q:\n%.600s", tt.want, got)
			}
		})
	}
	// A Word document goes to the file named by -o.
	docx := filepath.Join(dir, "compare.docx")
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"export", "-against", zeroDraft, "-format", "docx", "-o", docx, later}, &out, &errb); code != 0 {
		t.Fatalf("docx: exit %d: %s", code, errb.String())
	}
	b, err := os.ReadFile(docx)
	if err != nil || !bytes.HasPrefix(b, []byte("PK")) {
		t.Errorf("%s is not a zip file (err %v)", docx, err)
	}
	// -line-numbers numbers the lines in Word too, and only when given.
	for _, lines := range []bool{false, true} {
		args := []string{"export", "-format", "docx", "-o", docx, zeroDraft}
		if lines {
			args = append(args[:1], append([]string{"-line-numbers"}, args[1:]...)...)
		}
		if code := run(context.Background(), args, &out, &errb); code != 0 {
			t.Fatalf("docx: exit %d: %s", code, errb.String())
		}
		zr, err := zip.OpenReader(docx)
		if err != nil {
			t.Fatal(err)
		}
		f, err := zr.Open("word/document.xml")
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := io.ReadAll(f)
		zr.Close()
		if got := bytes.Contains(doc, []byte(`<w:rStyle w:val="DRLineNumber"/>`)); got != lines {
			t.Errorf("-line-numbers %v: Word line numbers %v", lines, got)
		}
	}
}

// TestImportDocxCommand exports the fixture draft as Word and imports the
// .docx back with "draftroom import": the same text in the import format.
func TestImportDocxCommand(t *testing.T) {
	dir := t.TempDir()
	docx := filepath.Join(dir, "zero.docx")
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"export", "-format", "docx", "-o", docx, zeroDraft}, &out, &errb); code != 0 {
		t.Fatalf("export: exit %d: %s", code, errb.String())
	}
	var want, got bytes.Buffer
	if code := run(context.Background(), []string{"import", "-format", zeroDraft}, &want, &errb); code != 0 {
		t.Fatalf("import md: exit %d: %s", code, errb.String())
	}
	if code := run(context.Background(), []string{"import", "-format", docx}, &got, &errb); code != 0 {
		t.Fatalf("import docx: exit %d: %s", code, errb.String())
	}
	if got.String() != want.String() {
		t.Errorf("the .docx imports as\n%.800s\nwant\n%.800s", got.String(), want.String())
	}
	// A broken .docx is refused with the file and the reason.
	bad := filepath.Join(dir, "bad.docx")
	os.WriteFile(bad, []byte("PK\x03\x04 not really"), 0o644)
	out.Reset()
	errb.Reset()
	if code := run(context.Background(), []string{"import", bad}, &out, &errb); code == 0 || !strings.Contains(errb.String(), "bad.docx: the .docx file is not a readable zip archive") {
		t.Errorf("exit %d, stderr %q", code, errb.String())
	}
}

// TestExportPDFCommand prints a compare as PDF with "draftroom export
// -format pdf" (pdftotext reads the symbol and the distribution back);
// without Chromium the command fails with the package to install.
func TestExportPDFCommand(t *testing.T) {
	if _, err := pdf.LookPath(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing: install the Debian package poppler-utils")
		}
		t.Skip("pdftotext is missing (poppler-utils)")
	}
	out := filepath.Join(t.TempDir(), "c.pdf")
	var stdout, errb bytes.Buffer
	if code := run(context.Background(), []string{"export", "-format", "pdf", "-distribution", "limited", "-line-numbers", "-report", "compilation", "-o", out, zeroDraft}, &stdout, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	text, err := exec.Command(tool, out, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"A/AC.292/2027/CRP.1", "Distr.: Limited", "Compilation of proposals"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	t.Setenv("PATH", t.TempDir())
	t.Setenv("DRAFTROOM_CHROMIUM", "")
	errb.Reset()
	if code := run(context.Background(), []string{"export", "-format", "pdf", "-o", out, zeroDraft}, &stdout, &errb); code == 0 || !strings.Contains(errb.String(), "apt-get install chromium") {
		t.Errorf("without Chromium: exit %d, stderr %q; want the package to install", code, errb.String())
	}
}
