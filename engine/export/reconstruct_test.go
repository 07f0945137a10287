package export_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/export"
)

// The reconstruction readers: each reads one format of a compare back as
// a reader of that format would, and rebuilds the text that accepting
// every change (or rejecting every change) leaves, paragraph by paragraph.
// Their rules are the ones docs/formats.md states:
//   - accepting drops deleted text and keeps inserted text; rejecting the
//     reverse;
//   - a move is a pair: accepting drops its source (the old place),
//     rejecting drops its destination (the new place) whole;
//   - a paragraph whose mark is deleted (a merge) joins the next one when
//     accepting, one whose mark is inserted (a split) when rejecting; an
//     added paragraph (mark inserted) is empty once rejected and so
//     vanishes, a deleted one likewise when accepting.
// Option labels and notes are not text.

// recPara is one paragraph of a compare as a reader sees it.
type recPara struct {
	accept, reject string
	joinAccept     bool // its mark is deleted: accepting joins it with the next
	joinReject     bool // its mark is inserted: rejecting joins it with the next
	goneAccept     bool // a move's source
	goneReject     bool // a move's destination
}

// rebuild applies the rules to a format's paragraphs.
func rebuild(ps []recPara, accept bool) []string {
	var out []string
	carry, carrying := "", false
	for _, p := range ps {
		txt, gone, join := p.reject, p.goneReject, p.joinReject
		if accept {
			txt, gone, join = p.accept, p.goneAccept, p.joinAccept
		}
		if gone {
			continue
		}
		if carrying {
			txt = carry + txt
			carry, carrying = "", false
		}
		if join {
			carry, carrying = txt, true
			continue
		}
		out = append(out, txt)
	}
	if carrying {
		out = append(out, carry)
	}
	var kept []string
	for _, t := range out {
		if t = norm(t); t != "" {
			kept = append(kept, t)
		}
	}
	return kept
}

var spaces = regexp.MustCompile(`[\s\x{00a0}]+`)

// norm collapses white space (spaces, tabs, the no-break spaces of
// Markdown indentation) and trims.
func norm(s string) string { return strings.TrimSpace(spaces.ReplaceAllString(s, " ")) }

// htmlInner reads the inline HTML of one row: text outside <del> is
// accepted, outside <ins> rejected; notes are skipped; a trailing
// paragraph mark (¶ in an <ins> or <del> of class para-mark, or alone in
// one) sets the join flags.
func htmlInner(inner string) recPara {
	var p recPara
	var acc, rej strings.Builder
	inIns, inDel, skip := 0, 0, 0
	var stack []string
	tag := regexp.MustCompile(`^<(/?)([a-zA-Z0-9]+)([^>]*)>`)
	for i := 0; i < len(inner); {
		if inner[i] == '<' {
			m := tag.FindStringSubmatch(inner[i:])
			if m != nil {
				closing, name, attrs := m[1] == "/", m[2], m[3]
				if !closing && name == "br" {
					// A line break of numbered lines: presentation.
					i += len(m[0])
					continue
				}
				if !closing {
					kind := ""
					switch {
					case name == "span" && (strings.Contains(attrs, `class="note"`) || strings.Contains(attrs, `class="ln"`)),
						name == "a" && strings.Contains(attrs, `class="fn-back"`):
						kind = "note"
						skip++
					case name == "sup" && strings.Contains(attrs, `class="fn-ref"`):
						// A footnote reference: the label as Markdown
						// writes it.
						kind = "fnref"
						if skip == 0 {
							if inIns == 0 {
								rej.WriteString("[^")
							}
							if inDel == 0 {
								acc.WriteString("[^")
							}
						}
					case (name == "ins" || name == "del") && strings.HasPrefix(inner[i+len(m[0]):], "¶</"+name+">"):
						// A paragraph mark: the paragraph joins the next
						// one when the change is undone (ins) or made (del).
						if name == "ins" {
							p.joinReject = true
						} else {
							p.joinAccept = true
						}
						i += len(m[0]) + len("¶</"+name+">")
						continue
					case name == "ins":
						kind = "ins"
						inIns++
					case name == "del":
						kind = "del"
						inDel++
					}
					stack = append(stack, kind)
				} else if len(stack) > 0 {
					switch stack[len(stack)-1] {
					case "fnref":
						if skip == 0 {
							if inIns == 0 {
								rej.WriteString("]")
							}
							if inDel == 0 {
								acc.WriteString("]")
							}
						}
					case "note":
						skip--
					case "ins":
						inIns--
					case "del":
						inDel--
					}
					stack = stack[:len(stack)-1]
				}
				i += len(m[0])
				continue
			}
		}
		j := strings.IndexByte(inner[i+1:], '<')
		if j < 0 {
			j = len(inner)
		} else {
			j += i + 1
		}
		text := html.UnescapeString(inner[i:j])
		if skip == 0 {
			if inIns == 0 {
				rej.WriteString(text)
			}
			if inDel == 0 {
				acc.WriteString(text)
			}
		}
		i = j
	}
	p.accept, p.reject = acc.String(), rej.String()
	return p
}

var htmlRow = regexp.MustCompile(`(?m)^<(p|h[1-6])( [^>]*)?>(.*)</(?:p|h[1-6])>$`)

// readHTMLCompare reads the rows of an HTML compare (or clean text):
// paragraphs and headings of the text, not the report's header or option
// labels.
func readHTMLCompare(t *testing.T, page []byte) []recPara {
	t.Helper()
	body := string(page)
	if i := strings.Index(body, "</header>"); i >= 0 {
		body = body[i:]
	}
	var out []recPara
	for _, m := range htmlRow.FindAllStringSubmatch(body, -1) {
		attrs := m[2]
		if m[1] == "p" && !strings.Contains(attrs, `class="para`) {
			continue // option labels, metadata
		}
		p := htmlInner(m[3])
		change := ""
		if k := strings.Index(attrs, `data-change="`); k >= 0 {
			change = attrs[k+len(`data-change="`):]
			change = change[:strings.IndexByte(change, '"')]
		}
		p.goneAccept = change == "moved-away"
		p.goneReject = change == "moved"
		if k := strings.Index(attrs, `data-footnote="`); k >= 0 {
			// A footnote: the definition it stands for.
			l := attrs[k+len(`data-footnote="`):]
			l = "[^" + html.UnescapeString(l[:strings.IndexByte(l, '"')]) + "]: "
			p.accept, p.reject = l+strings.TrimSpace(p.accept), l+strings.TrimSpace(p.reject)
			if change == "added" {
				p.reject = ""
			}
			if change == "deleted" {
				p.accept = ""
			}
		}
		out = append(out, p)
	}
	return out
}

// readMarkdownCompare reads a Markdown compare through the goldmark
// converter for the negotiation markup: each block after the report's
// metadata is a row; a note "moved from …" marks a move's destination,
// "moved to …" its source.
func readMarkdownCompare(t *testing.T, md []byte) []recPara {
	t.Helper()
	blocks := strings.Split(string(md), "\n\n")
	var out []recPara
	for _, b := range blocks[2:] { // the title, the metadata list
		b = strings.TrimSpace(b)
		if t := strings.TrimLeft(b, "\u00a0"); t == "" || (strings.HasPrefix(t, "**") && strings.HasSuffix(t, ":**")) {
			continue // option labels
		}
		var buf bytes.Buffer
		if err := export.NewMarkdown().Convert([]byte(b), &buf); err != nil {
			t.Fatal(err)
		}
		h := strings.TrimSpace(buf.String())
		h = regexp.MustCompile(`^<(p|h[1-6])>|</(p|h[1-6])>$`).ReplaceAllString(h, "")
		p := htmlInner(h)
		p.goneAccept = strings.Contains(b, "{>>moved to ")
		p.goneReject = strings.Contains(b, "{>>moved from ")
		out = append(out, p)
	}
	return out
}

// readDocxCompare reads the text paragraphs of a Word compare as Accept
// All and Reject All see them.
func readDocxCompare(t *testing.T, docx []byte) []recPara {
	var out []recPara
	var refs []wordRef
	for _, p := range readWordParas(t, docx) {
		refs = append(refs, p.refs...)
		if strings.HasPrefix(p.style, "DR") || p.style == "" || p.style == "TextOption" {
			continue
		}
		out = append(out, recPara{accept: p.accept.String(), reject: p.reject.String(),
			joinAccept: p.markDel, joinReject: p.markIns, goneAccept: p.moveFrom, goneReject: p.moveTo})
	}
	return append(out, docxFootnotes(t, docx, refs)...)
}

// docxFootnotes reads the footnotes of a Word report as the definitions
// they stand for ("[^label]: text"), one per label, in the order of the
// references: in each view, the footnote of the first reference that the
// view keeps.
func docxFootnotes(t *testing.T, docx []byte, refs []wordRef) []recPara {
	if len(refs) == 0 {
		return nil
	}
	notes := map[string]*wordPara{}
	for _, p := range readWordPart(t, docxPart(t, docx, "word/footnotes.xml")) {
		if p.footnote != "" && p.style == "FootnoteText" {
			notes[p.footnote] = p
		}
	}
	byLabel := map[string]*recPara{}
	var out []*recPara
	for _, r := range refs {
		n := notes[r.id]
		if n == nil {
			t.Fatalf("footnote reference %s (%q) has no footnote", r.id, r.mark)
		}
		rp := byLabel[r.mark]
		if rp == nil {
			rp = &recPara{}
			byLabel[r.mark] = rp
			out = append(out, rp)
		}
		// The footnote's text starts with its mark and a space.
		text := func(s string) string {
			return "[^" + r.mark + "]: " + strings.TrimPrefix(strings.TrimPrefix(s, r.mark), " ")
		}
		if r.accept && rp.accept == "" {
			rp.accept = text(n.accept.String())
		}
		if r.reject && rp.reject == "" {
			rp.reject = text(n.reject.String())
		}
	}
	res := make([]recPara, len(out))
	for i, p := range out {
		res[i] = *p
	}
	return res
}

// readJSONCompare decodes a JSON compare and rebuilds each row from its
// number fields and runs.
func readJSONCompare(t *testing.T, js []byte) []recPara {
	t.Helper()
	var c struct {
		Rows []struct {
			Kind          string `json:"kind"`
			Level         int    `json:"level"`
			OldLevel      int    `json:"oldLevel"`
			Number        string `json:"number"`
			OldNumber     string `json:"oldNumber"`
			Change        string `json:"change"`
			ParagraphMark string `json:"paragraphMark"`
			Runs          []struct {
				Op   string `json:"op"`
				Text string `json:"text"`
			} `json:"runs"`
		} `json:"rows"`
	}
	if err := json.Unmarshal(js, &c); err != nil {
		t.Fatal(err)
	}
	label := func(n string, level int) string {
		if n == "" {
			return ""
		}
		if level == 0 && !strings.HasSuffix(n, ".") {
			n += "."
		}
		return n + " "
	}
	var out []recPara
	for _, r := range c.Rows {
		var p recPara
		if r.Change != "added" {
			p.reject = label(r.OldNumber, r.OldLevel)
		}
		if r.Change != "deleted" && r.Change != "moved-away" {
			p.accept = label(r.Number, r.Level)
		}
		for _, x := range r.Runs {
			if x.Op != "insert" {
				p.reject += x.Text
			}
			if x.Op != "delete" {
				p.accept += x.Text
			}
		}
		if r.Change == "added" {
			p.reject = ""
		}
		if r.Change == "deleted" {
			p.accept = ""
		}
		p.joinAccept = r.ParagraphMark == "delete"
		p.joinReject = r.ParagraphMark == "insert"
		p.goneAccept = r.Change == "moved-away"
		p.goneReject = r.Change == "moved"
		out = append(out, p)
	}
	return out
}

// cleanParas is the text of an outline, paragraph by paragraph, as the
// clean HTML shows it: the reference every reconstruction must give.
func cleanParas(t *testing.T, o engine.Outline) []string {
	t.Helper()
	c, err := export.Clean(o, export.Meta{}, export.CleanOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return rebuild(readHTMLCompare(t, c.HTML()), true)
}

// checkReconstruction renders a compare in md, HTML, .docx and JSON and
// checks that accepting every change gives the later text and rejecting
// every change the earlier one, in each; and again in HTML and .docx with
// the later text's lines numbered, whose numbers and breaks are
// presentation, not text.
func checkReconstruction(t *testing.T, c *export.Compare, old, new engine.Outline) {
	t.Helper()
	wantNew, wantOld := cleanParas(t, new), cleanParas(t, old)
	docx, err := c.DOCX()
	if err != nil {
		t.Fatal(err)
	}
	js, err := c.JSON()
	if err != nil {
		t.Fatal(err)
	}
	lined := *c
	lined.Lines = true
	linedDocx, err := lined.DOCX()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		name  string
		paras []recPara
	}{
		{"md", readMarkdownCompare(t, c.Markdown())},
		{"html", readHTMLCompare(t, c.HTML())},
		{"docx", readDocxCompare(t, docx)},
		{"json", readJSONCompare(t, js)},
		{"html with line numbers", readHTMLCompare(t, lined.HTML())},
		{"docx with line numbers", readDocxCompare(t, linedDocx)},
	} {
		for _, accept := range []bool{true, false} {
			got, want, what := rebuild(f.paras, accept), wantNew, "accept all"
			if !accept {
				want, what = wantOld, "reject all"
			}
			// Footnotes are at the end in HTML and Word, in place in
			// Markdown and JSON: the footnote definitions are compared
			// as a set, the rest in order.
			gotBody, gotNotes := splitDefs(got)
			wantBody, wantNotes := splitDefs(want)
			if d := firstParaDiff(gotBody, wantBody); d != "" {
				t.Errorf("%s, %s: %s", f.name, what, d)
			}
			if d := firstParaDiff(gotNotes, wantNotes); d != "" {
				t.Errorf("%s, %s, footnotes: %s", f.name, what, d)
			}
		}
	}
}

// footnoteDefLine matches a footnote definition.
var footnoteDefLine = regexp.MustCompile(`^\[\^[^\]\s\[]+\]:`)

// splitDefs splits paragraphs into the others, in order, and the footnote
// definitions, sorted.
func splitDefs(ps []string) (body, defs []string) {
	for _, p := range ps {
		if footnoteDefLine.MatchString(p) {
			defs = append(defs, p)
		} else {
			body = append(body, p)
		}
	}
	sort.Strings(defs)
	return body, defs
}

// firstParaDiff describes the first difference between two lists of
// paragraphs, or returns "".
func firstParaDiff(got, want []string) string {
	for i := 0; i < len(got) || i < len(want); i++ {
		var g, w string
		if i < len(got) {
			g = got[i]
		}
		if i < len(want) {
			w = want[i]
		}
		if g != w {
			return fmt.Sprintf("paragraph %d of %d (want %d):\n got: %q\nwant: %q", i+1, len(got), len(want), g, w)
		}
	}
	return ""
}

// TestCompareReconstructsScenario checks every compare of the fixture
// negotiation (moves by amendment, added and deleted paragraphs,
// renumbering) in every format.
func TestCompareReconstructsScenario(t *testing.T) {
	s := buildScenario(t)
	d := s.doc
	for _, tc := range []struct {
		name     string
		old, new engine.Outline
		cmp      *export.Compare
	}{
		{"zero draft → Rev.1", s.zero.Outline, s.rev1.Outline, export.CompareRevisions(d, s.zero, s.rev1, export.RevisionMeta(d, s.rev1, s.head), export.CompareOptions{})},
		{"Rev.1 → live", s.rev1.Outline, d.Outline(), export.CompareRevisions(d, s.rev1, nil, export.LiveMeta(d, s.liveAt, s.head), export.CompareOptions{})},
	} {
		t.Run(tc.name, func(t *testing.T) { checkReconstruction(t, tc.cmp, tc.old, tc.new) })
	}
}
