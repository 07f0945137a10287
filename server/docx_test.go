package server

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/export"
)

const docxDraft = "# Report of the Group\n\n1. States shall report every year.\n\n2. The Group met twice.\n"

// wordExport is the clean Word text of a draft, as the secretariat would
// have circulated it.
func wordExport(t *testing.T, src string) []byte {
	t.Helper()
	d, _, err := engine.ImportDraft(src)
	if err != nil {
		t.Fatal(err)
	}
	doc := engine.NewDocument()
	if _, err := doc.Execute(engine.Context{Actor: engine.Actor{Role: engine.RoleSecretariat}}, engine.CreateDocument{ID: "x", Draft: d}); err != nil {
		t.Fatal(err)
	}
	c, err := export.Clean(doc.Outline(), export.Meta{Title: doc.Title, Source: export.Source{Date: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC)}}, export.CleanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.DOCX()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// trackedFile is a delegate's Word file: "shall" replaced by "should" by
// Jane Doe, with a comment.
func trackedFile(t *testing.T) []byte {
	const w = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	doc := `<?xml version="1.0"?><w:document ` + w + `><w:body>` +
		`<w:p><w:r><w:t xml:space="preserve">1.	States </w:t></w:r><w:commentRangeStart w:id="0"/>` +
		`<w:del w:id="1" w:author="Jane Doe"><w:r><w:delText>shall</w:delText></w:r></w:del><w:ins w:id="2" w:author="Jane Doe"><w:r><w:t>should</w:t></w:r></w:ins>` +
		`<w:commentRangeEnd w:id="0"/><w:r><w:t xml:space="preserve"> report every year.</w:t></w:r></w:p>` +
		`<w:p><w:r><w:t xml:space="preserve">2.	The Group met twice.</w:t></w:r></w:p></w:body></w:document>`
	comments := `<?xml version="1.0"?><w:comments ` + w + `><w:comment w:id="0" w:author="Jane Doe"><w:p><w:r><w:t>Softer, please.</w:t></w:r></w:p></w:comment></w:comments>`
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{"word/document.xml": doc, "word/comments.xml": comments} {
		f, _ := zw.Create(name)
		io.WriteString(f, body)
	}
	zw.Close()
	return buf.Bytes()
}

// TestDocxImportAndChanges creates a document from a Word file over the
// API, then reads a delegation's tracked changes as amendments: a preview
// names the author with no State, proposing is refused until the
// secretariat maps the author, then the amendment is proposed for that
// State with the Word comment, and the mapping is remembered. Only the
// secretariat may do it; a broken file is refused with the reason.
func TestDocxImportAndChanges(t *testing.T) {
	ts := startServer(t, Config{})
	sec := ts.person(Person{ID: "sec", Name: "Secretariat", Role: engine.RoleSecretariat})
	fra := ts.person(Person{ID: "fra-1", Name: "France", Role: engine.RoleDelegate, State: "FRA"})
	var created CreateDocumentResponse
	if st := ts.call(sec, "POST", "/api/documents", CreateDocumentRequest{ID: "w", Docx: wordExport(t, docxDraft), Language: "en"}, &created); st != 201 {
		t.Fatalf("create from .docx: %d", st)
	}
	if created.Document.Title != "Report of the Group" || created.Report.Paragraphs != 2 {
		t.Fatalf("created %+v", created)
	}
	var bad apiError
	if st := ts.call(sec, "POST", "/api/documents", CreateDocumentRequest{ID: "bad", Docx: []byte("PK\x03\x04nope")}, &bad); st != 400 || !strings.Contains(bad.Error.Message, "docx: the .docx file is not a readable zip archive") {
		t.Errorf("broken file: %d %+v", st, bad)
	}
	path := "/api/documents/w/docx-changes"
	var preview DocxChangesResponse
	if st := ts.call(sec, "POST", path, DocxChangesRequest{Docx: trackedFile(t)}, &preview); st != 200 {
		t.Fatalf("preview: %d", st)
	}
	if len(preview.Authors) != 1 || preview.Authors[0].Author != "Jane Doe" || preview.Authors[0].State != "" || len(preview.Proposals) != 1 {
		t.Fatalf("preview %+v", preview)
	}
	var refused apiError
	if st := ts.call(sec, "POST", path, DocxChangesRequest{Docx: trackedFile(t), Propose: true}, &refused); st != 409 || !strings.Contains(refused.Error.Message, `"Jane Doe"`) {
		t.Fatalf("unmapped author: %d %+v", st, refused)
	}
	var forbidden apiError
	if st := ts.call(fra, "POST", path, DocxChangesRequest{Docx: trackedFile(t), Authors: map[string]engine.StateCode{"Jane Doe": "FRA"}, Propose: true}, &forbidden); st != 403 {
		t.Errorf("a delegate imported changes: %d", st)
	}
	var done DocxChangesResponse
	if st := ts.call(sec, "POST", path, DocxChangesRequest{Docx: trackedFile(t), Authors: map[string]engine.StateCode{"Jane Doe": "FRA"}, Propose: true}, &done); st != 200 {
		t.Fatalf("propose: %d", st)
	}
	if len(done.Proposals) != 1 || done.Proposals[0].Amendment == "" || len(done.Unmatched) != 0 {
		t.Fatalf("proposed %+v", done)
	}
	var doc DocumentResponse
	ts.call(sec, "GET", "/api/documents/w", nil, &doc)
	var found bool
	for _, a := range doc.View.Amendments {
		if a.ID == done.Proposals[0].Amendment && a.Proposer == "FRA" && a.NewText == "should" && a.Comment == "Softer, please." {
			found = true
		}
	}
	if !found {
		t.Errorf("amendment %s by FRA replacing with \"should\" and the comment not in the view", done.Proposals[0].Amendment)
	}
	var again DocxChangesResponse
	ts.call(sec, "POST", path, DocxChangesRequest{Docx: trackedFile(t)}, &again)
	if len(again.Authors) != 1 || again.Authors[0].State != "FRA" {
		t.Errorf("the mapping is not remembered: %+v", again.Authors)
	}
}
