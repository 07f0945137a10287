package export_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/export"
)

// wordPara is a paragraph of word/document.xml as Word's Accept All and
// Reject All see it.
type wordPara struct {
	style       string
	markIns     bool // the paragraph mark is a tracked insertion
	markDel     bool // the paragraph mark is a tracked deletion
	moveFrom    bool // the paragraph is the source of a tracked move
	moveTo      bool // the paragraph is the destination of a tracked move
	accept      strings.Builder
	reject      strings.Builder
	tracked     int // tracked changes in the paragraph
	authors     []string
	hasAnything bool
	footnote    string    // in word/footnotes.xml: the footnote's w:id
	refs        []wordRef // the footnote references in the paragraph
}

// wordRef is a footnote reference: the footnote's w:id, its custom mark,
// and whether Accept All and Reject All keep it.
type wordRef struct {
	id, mark       string
	accept, reject bool
}

// readWordParas reads the paragraphs of a .docx with encoding/xml.
func readWordParas(t *testing.T, docx []byte) []*wordPara {
	t.Helper()
	return readWordPart(t, docxPart(t, docx, "word/document.xml"))
}

// readWordPart reads the paragraphs of a part of a .docx (the document,
// the footnotes). A footnote reference reads as "[^mark]".
func readWordPart(t *testing.T, part []byte) []*wordPara {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(part))
	const w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	var out []*wordPara
	var p *wordPara
	var inIns, inDel, inPPr, inText int
	label := false // in a run of a label (a line number), which is not text
	footnote := ""
	var ref *wordRef // a reference whose custom mark follows
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("document.xml: %v", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if e.Name.Space != w {
				continue
			}
			attr := func(name string) string {
				for _, a := range e.Attr {
					if a.Name.Local == name {
						return a.Value
					}
				}
				return ""
			}
			switch e.Name.Local {
			case "footnote":
				footnote = attr("id")
			case "footnoteReference":
				p.refs = append(p.refs, wordRef{id: attr("id"), accept: inDel == 0, reject: inIns == 0})
				ref = &p.refs[len(p.refs)-1]
			case "p":
				p = &wordPara{footnote: footnote}
				out = append(out, p)
			case "pPr":
				inPPr++
			case "pStyle":
				p.style = attr("val")
			case "rStyle":
				// Line numbers are presentation, as their breaks (w:br,
				// read as nothing) are: not text.
				label = strings.HasPrefix(attr("val"), "DR")
			case "moveFromRangeStart":
				p.moveFrom = true
			case "moveToRangeStart":
				p.moveTo = true
			case "ins", "moveTo":
				if inPPr > 0 {
					p.markIns = true
					p.moveTo = p.moveTo || e.Name.Local == "moveTo"
				} else {
					inIns++
					p.tracked++
					p.authors = append(p.authors, attr("author"))
				}
			case "del", "moveFrom":
				if inPPr > 0 {
					p.markDel = true
					p.moveFrom = p.moveFrom || e.Name.Local == "moveFrom"
				} else {
					inDel++
					p.tracked++
					p.authors = append(p.authors, attr("author"))
				}
			case "t", "delText":
				inText++
			case "tab":
				if inPPr == 0 && !label {
					if inIns == 0 {
						p.reject.WriteString("\t")
					}
					if inDel == 0 {
						p.accept.WriteString("\t")
					}
				}
			}
		case xml.EndElement:
			if e.Name.Space != w {
				continue
			}
			switch e.Name.Local {
			case "pPr":
				inPPr--
			case "ins", "moveTo":
				if inPPr == 0 {
					inIns--
				}
			case "del", "moveFrom":
				if inPPr == 0 {
					inDel--
				}
			case "t", "delText":
				inText--
			case "r":
				ref = nil
				label = false
			}
		case xml.CharData:
			if inText == 0 || p == nil || label {
				continue
			}
			p.hasAnything = true
			if ref != nil {
				ref.mark += string(e)
				e = xml.CharData("[^" + string(e) + "]")
			}
			if inIns == 0 {
				p.reject.Write(e)
			}
			if inDel == 0 {
				p.accept.Write(e)
			}
		}
	}
	return out
}

// textParas lists the paragraphs of the negotiated text (not the report's
// metadata), as accepted (or rejected) in full.
func textParas(t *testing.T, docx []byte, accept bool) []string {
	return rebuild(readDocxCompare(t, docx), accept)
}

func cleanDocx(t *testing.T, o engine.Outline) []byte {
	t.Helper()
	c, err := export.Clean(o, export.Meta{}, export.CleanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.DOCX()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestDocxAcceptReject opens compares back and checks that accepting
// every tracked change gives the later text and rejecting every change
// the earlier one, paragraph by paragraph.
func TestDocxAcceptReject(t *testing.T) {
	s := buildScenario(t)
	d := s.doc
	cases := []struct {
		name     string
		old, new engine.Outline
		cmp      *export.Compare
	}{
		{"zero draft → Rev.1", s.zero.Outline, s.rev1.Outline, export.CompareRevisions(d, s.zero, s.rev1, export.RevisionMeta(d, s.rev1, s.head), export.CompareOptions{})},
		{"Rev.1 → live", s.rev1.Outline, d.Outline(), export.CompareRevisions(d, s.rev1, nil, export.LiveMeta(d, s.liveAt, s.head), export.CompareOptions{})},
		{"zero draft → live", s.zero.Outline, d.Outline(), export.CompareRevisions(d, s.zero, nil, export.LiveMeta(d, s.liveAt, s.head), export.CompareOptions{})},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.cmp.DOCX()
			if err != nil {
				t.Fatal(err)
			}
			for _, accept := range []bool{true, false} {
				got := textParas(t, b, accept)
				want := textParas(t, cleanDocx(t, tc.new), true)
				what := "accepting all changes"
				if !accept {
					want = textParas(t, cleanDocx(t, tc.old), true)
					what = "rejecting all changes"
				}
				if len(got) != len(want) {
					t.Errorf("%s gives %d paragraphs, the clean text has %d", what, len(got), len(want))
				}
				for i := 0; i < len(got) && i < len(want); i++ {
					if got[i] != want[i] {
						t.Errorf("%s, paragraph %d:\n got: %q\nwant: %q", what, i+1, got[i], want[i])
						break
					}
				}
			}
			// Every change is attributed: to the proposing State or to the
			// secretariat.
			var authors []string
			tracked := 0
			for _, p := range readWordParas(t, b) {
				tracked += p.tracked
				authors = append(authors, p.authors...)
			}
			if tracked == 0 {
				t.Fatal("the compare has no tracked changes")
			}
			for _, a := range authors {
				if a == "" {
					t.Error("a tracked change has no w:author")
				}
			}
		})
	}
	// The EU's replacement in paragraph 6 is tracked under the EU's name
	// and the amendment's date.
	b, err := cases[0].cmp.DOCX()
	if err != nil {
		t.Fatal(err)
	}
	xmlDoc := string(docxPart(t, b, "word/document.xml"))
	want := `w:author="EU" w:date="2027-02-10T10:02:00Z"><w:r><w:delText xml:space="preserve">basis</w:delText>`
	if !strings.Contains(xmlDoc, want) {
		t.Errorf("document.xml lacks the EU's tracked deletion %s", want)
	}
}

// TestDocxRightToLeft checks that an Arabic text is laid out right to
// left in Word and HTML.
func TestDocxRightToLeft(t *testing.T) {
	r := arabicRoom(t)
	c, err := export.Clean(r.doc.Outline(), export.LiveMeta(r.doc, day(3, 1, 12), r.head), export.CleanOptions{Doc: r.doc})
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.DOCX()
	if err != nil {
		t.Fatal(err)
	}
	xmlDoc := string(docxPart(t, b, "word/document.xml"))
	for _, want := range []string{"<w:bidi/>", "<w:rtl/>", "رحبت الدول"} {
		if !strings.Contains(xmlDoc, want) {
			t.Errorf("Arabic document.xml lacks %s", want)
		}
	}
	if h := string(c.HTML()); !strings.Contains(h, `<html lang="ar" dir="rtl">`) {
		t.Errorf("Arabic HTML is not right to left:\n%.300s", h)
	}
	golden(t, "multilingual/clean-ar.html", c.HTML())
	golden(t, "multilingual/clean-ar.docx.xml", []byte(xmlDoc))
}

// arabicRoom is the Arabic section of the multilingual passage as a
// document in Arabic, with an amendment incorporated in brackets.
func arabicRoom(t testing.TB) *room {
	src := readFixture(t, "fixtures/drafts/multilingual-passage.md")
	end := strings.Index(src, "\n## 中文")
	r := createRoom(t, src[:end], "crp2-ar", "ar")
	p := r.find("بناء القدرات")
	a, b := r.span(p, "قائماً على الطلب")
	r.at(day(2, 10, 10))
	r.do(delegateOf("EGY"), engine.ProposeAmendment{Proposer: "EGY", Op: engine.OpReplace, Para: p.ID, Version: p.Version, Start: a, End: b, NewText: "مدفوعاً بالطلب"})
	r.do(chairActor, engine.DecideAmendment{Amendment: r.lastAmendment(), Outcome: engine.InBrackets})
	return r
}
