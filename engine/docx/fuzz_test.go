package docx_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"io"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/docx"
)

// pack builds a .docx-like archive from parts.
func pack(t testing.TB, parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(parts); i += 2 {
		w, err := zw.Create(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, parts[i+1])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const wDoc = `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`

// refusal checks that Read refuses b with an EINVALID error whose message
// holds every one of parts.
func refusal(t *testing.T, b []byte, parts ...string) {
	t.Helper()
	_, _, err := docx.ImportDraft(b)
	if err == nil {
		t.Fatalf("accepted; want a refusal naming %q", parts)
	}
	if engine.ErrorCode(err) != engine.EINVALID {
		t.Fatalf("code %s (%v), want invalid", engine.ErrorCode(err), err)
	}
	t.Logf("refused: %v", err)
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not name %q", err, p)
		}
	}
}

// TestRefusals: what is not a Word document, or too big, is refused with
// a message saying what and where, before it is inflated whole.
func TestRefusals(t *testing.T) {
	t.Run("not a zip", func(t *testing.T) { refusal(t, []byte("# A Markdown draft\n\n1. Text"), "not a Word document") })
	t.Run("truncated zip", func(t *testing.T) {
		b := pack(t, "word/document.xml", wDoc+`<w:p/></w:body></w:document>`)
		refusal(t, b[:len(b)/2], "not a readable zip")
	})
	t.Run("no document part", func(t *testing.T) { refusal(t, pack(t, "hello.txt", "hi"), "word/document.xml") })
	t.Run("malformed XML", func(t *testing.T) {
		refusal(t, pack(t, "word/document.xml", wDoc+"\n<w:p><w:r><w:t>a</w:r></w:p></w:body></w:document>"), "word/document.xml", "line 2")
	})
	t.Run("unclosed body", func(t *testing.T) {
		refusal(t, pack(t, "word/document.xml", wDoc+`<w:p><w:r><w:t>a</w:t></w:r></w:p>`), "word/document.xml")
	})
	t.Run("huge file", func(t *testing.T) {
		refusal(t, make([]byte, docx.MaxFileBytes+1), "bytes; the limit is")
	})
	t.Run("zip bomb", func(t *testing.T) {
		// 49 MiB of one repeated paragraph deflates to about 50 KiB.
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
		w, _ := zw.Create("word/document.xml")
		io.WriteString(w, wDoc)
		chunk := []byte(strings.Repeat("<w:p><w:r><w:t>aaaaaaaa</w:t></w:r></w:p>", 1024))
		for n := 0; n <= docx.MaxPartBytes; n += len(chunk) {
			w.Write(chunk)
		}
		io.WriteString(w, `</w:body></w:document>`)
		zw.Close()
		if buf.Len() > 2<<20 {
			t.Fatalf("the bomb is %d bytes compressed; expected far less", buf.Len())
		}
		refusal(t, buf.Bytes(), "word/document.xml", "limit")
	})
	t.Run("lying sizes", func(t *testing.T) {
		// A part whose header claims 100 bytes but inflates to 49 MiB.
		var comp bytes.Buffer
		fw, _ := flate.NewWriter(&comp, flate.BestSpeed)
		fw.Write([]byte(wDoc))
		zeros := make([]byte, 1<<20)
		for i := 0; i <= docx.MaxPartBytes>>20; i++ {
			fw.Write(zeros)
		}
		fw.Close()
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate, CompressedSize64: uint64(comp.Len()), UncompressedSize64: 100})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(comp.Bytes())
		zw.Close()
		refusal(t, buf.Bytes(), "word/document.xml")
	})
	t.Run("too many paragraphs", func(t *testing.T) {
		body := strings.Repeat("<w:p><w:r><w:t>a</w:t></w:r></w:p>", engine.MaxParagraphs+1)
		refusal(t, pack(t, "word/document.xml", wDoc+body+`</w:body></w:document>`), "paragraphs")
	})
	t.Run("paragraph too long", func(t *testing.T) {
		run := "<w:r><w:t>" + strings.Repeat("word ", 2000) + "</w:t></w:r>"
		body := "<w:p><w:r><w:t>first</w:t></w:r></w:p><w:p>" + strings.Repeat(run, 8) + "</w:p>"
		refusal(t, pack(t, "word/document.xml", wDoc+body+`</w:body></w:document>`), "paragraph 2", "limit")
	})
}

// FuzzImportDraft feeds the reader arbitrary bytes and mutated Word
// files: it must return a draft or an EINVALID error, never panic, and
// every draft it returns must create a document.
func FuzzImportDraft(f *testing.F) {
	f.Add(pack(f, "word/document.xml", wDoc+`<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:rPr><w:b/></w:rPr><w:t>[a] *b*</w:t></w:r></w:p></w:body></w:document>`))
	f.Add(pack(f, "word/document.xml", wDoc+`<w:p><w:ins w:author="FRA"><w:r><w:t>x</w:t></w:r></w:ins><w:del w:author="x"><w:r><w:delText>y</w:delText></w:r></w:del><w:r><w:footnoteReference w:id="2"/></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>c</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>`,
		"word/numbering.xml", `<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="lowerRoman"/><w:lvlText w:val="(%1)"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>`,
		"word/footnotes.xml", `<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:footnote w:id="2"><w:p><w:r><w:t>note</w:t></w:r></w:p></w:footnote></w:footnotes>`))
	f.Add([]byte("PK\x03\x04garbage"))
	f.Add(cleanDocx(f, importFile(f, "../../fixtures/drafts/multilingual-passage.md"), "ar"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, _, err := docx.ImportDraft(b)
		if err != nil {
			if engine.ErrorCode(err) != engine.EINVALID {
				t.Fatalf("error %v has code %s, want invalid", err, engine.ErrorCode(err))
			}
			return
		}
		doc := engine.NewDocument()
		if _, err := doc.Execute(engine.Context{Actor: engine.Actor{Role: engine.RoleSecretariat}}, engine.CreateDocument{ID: "d", Draft: d}); err != nil && engine.ErrorCode(err) != engine.EINVALID {
			t.Fatalf("the draft cannot create a document: %v", err)
		}
	})
}
