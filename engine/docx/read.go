// Package docx reads Word documents (.docx, Office Open XML) into
// draftroom's model: a draft to create a document from (ImportDraft), and
// the tracked changes of a delegation's file as amendments to the current
// text of a document (Proposals).
//
// It is pure, like the engine: it works on the bytes it is given with
// archive/zip and encoding/xml, reads no file, opens no connection and
// reads no clock (a test checks its imports). It is its own package rather
// than part of engine because archive/zip brings os and io/fs into the
// dependency graph, which engine/purity_test.go refuses for the engine; the
// reader never calls them (zip.NewReader over a bytes.Reader).
//
// Every limit is checked before the work it protects: the file size, the
// number of parts, the declared and the actual uncompressed size of each
// part read (a zip bomb is refused once it has produced MaxPartBytes, never
// inflated whole), the number of paragraphs and the length of each.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/draftroom/draftroom/engine"
)

// Limits on what Read accepts.
const (
	// MaxFileBytes is the largest .docx accepted.
	MaxFileBytes = 32 << 20
	// MaxPartBytes is the most any part read (document.xml, styles.xml,
	// …) may inflate to.
	MaxPartBytes = 48 << 20
	// MaxParts is the most entries the archive may hold.
	MaxParts = 2000
)

const (
	nsW    = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	relDoc = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
)

// Emphasis is the inline formatting of a run that draftroom keeps.
type Emphasis uint8

// Italic and Bold are the formattings kept; they become Markdown "*" and
// "**" in paragraph text.
const (
	Italic Emphasis = 1 << iota
	Bold
)

// ChangeKind says how a run or a paragraph mark is tracked.
type ChangeKind uint8

// Tracked change kinds: text kept, inserted (w:ins), deleted (w:del), the
// source of a move (w:moveFrom) and its destination (w:moveTo).
const (
	Kept ChangeKind = iota
	Inserted
	Deleted
	MovedFrom
	MovedTo
)

// String names the kind as the documentation does.
func (k ChangeKind) String() string {
	return [...]string{"kept", "inserted", "deleted", "moved-from", "moved-to"}[k]
}

// Change is a tracked change: its kind, author and date (as written, ISO
// 8601), and for a move its name.
type Change struct {
	Kind   ChangeKind
	Author string
	Date   string
	ID     string
	Move   string // w:name of the move range, for moves
}

// Run is a stretch of text of one formatting and one change.
type Run struct {
	Text     string
	Emphasis Emphasis
	// Footnote is the footnote's w:id when the run is a footnote
	// reference (Text is then empty); Mark is its custom reference mark
	// (w:customMarkFollows), the label draftroom exports for a footnote
	// whose label is not its number in order.
	Footnote string
	Mark     string
	Change   Change
	// Restyled is a tracked formatting change (w:rPrChange): the run had
	// OldEmphasis before it.
	Restyled    *Change
	OldEmphasis Emphasis
	// Comments are the ids of the comments whose range holds the run.
	Comments []string
}

// Para is one paragraph of the body (or one row of a table, its cells
// joined by " | ").
type Para struct {
	Index     int    // position in the body, from 1
	Style     string // w:pStyle
	NumID     string // w:numPr/w:numId, own or from the style ("" none)
	Ilvl      int
	Indent    int  // left indentation in twips, resolved (paragraph, numbering, style)
	Table     bool // a table row
	Runs      []Run
	Mark      Change   // the paragraph mark's tracked change
	Refs      []string // comments referenced in the paragraph (w:commentReference)
	heading   int      // outline level from the style: 1, 2, … (0 none)
	label     string   // automatic number as Word prints it ("12.", "(a)")
	numFmt    string
	bullet    bool
	ownIndent bool
}

// Comment is a Word comment.
type Comment struct {
	ID, Author, Date, Text string
}

// File is a .docx as draftroom reads it.
type File struct {
	Paras     []Para
	Footnotes map[string][]Run // by w:id, the footnote's text (paragraphs joined by a space)
	Comments  map[string]Comment
	Title     string            // docProps/core.xml dc:title
	Props     map[string]string // docProps/custom.xml
	Language  string            // docProps/core.xml dc:language
	styles    map[string]*style
	numbering *numbering
}

// bad is the error for a file that cannot be read.
func bad(format string, args ...any) error {
	return engine.Errorf(engine.EINVALID, "the .docx "+format, args...)
}

// Read opens a .docx from its bytes and reads its body, styles,
// numbering, footnotes, comments and properties. It refuses, with an
// EINVALID error naming the part and line, anything that is not a Word
// document within the limits.
func Read(b []byte) (*File, error) {
	if len(b) > MaxFileBytes {
		return nil, bad("file is %d bytes; the limit is %d", len(b), MaxFileBytes)
	}
	if len(b) < 4 || string(b[:2]) != "PK" {
		return nil, bad("file is not a Word document (.docx is a zip archive; this does not start like one)")
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, bad("file is not a readable zip archive: %v", err)
	}
	if len(zr.File) > MaxParts {
		return nil, bad("archive has %d entries; the limit is %d", len(zr.File), MaxParts)
	}
	parts := map[string]*zip.File{}
	for _, f := range zr.File {
		parts[strings.TrimPrefix(f.Name, "/")] = f
	}
	read := func(name string) ([]byte, error) {
		f, ok := parts[name]
		if !ok {
			return nil, nil
		}
		if f.UncompressedSize64 > MaxPartBytes {
			return nil, bad("part %s declares %d bytes uncompressed; the limit is %d", name, f.UncompressedSize64, MaxPartBytes)
		}
		rc, err := f.Open()
		if err != nil {
			return nil, bad("part %s cannot be opened: %v", name, err)
		}
		defer rc.Close()
		data, err := io.ReadAll(io.LimitReader(rc, MaxPartBytes+1))
		if err != nil {
			return nil, bad("part %s cannot be inflated: %v", name, err)
		}
		if len(data) > MaxPartBytes {
			return nil, bad("part %s inflates to more than %d bytes (a zip bomb?)", name, MaxPartBytes)
		}
		return data, nil
	}
	main := "word/document.xml"
	if rels, err := read("_rels/.rels"); err != nil {
		return nil, err
	} else if rels != nil {
		for _, r := range parseRels(rels) {
			if r.typ == relDoc {
				main = strings.TrimPrefix(path.Clean("/"+r.target), "/")
			}
		}
	}
	if _, ok := parts[main]; !ok {
		return nil, bad("archive has no %s: it is not a Word document", main)
	}
	// The main part's relationships name the other parts.
	dir := path.Dir(main)
	byType := map[string]string{}
	rels, err := read(path.Join(dir, "_rels", path.Base(main)+".rels"))
	if err != nil {
		return nil, err
	}
	for _, r := range parseRels(rels) {
		t := r.typ[strings.LastIndex(r.typ, "/")+1:]
		if r.external {
			continue
		}
		byType[t] = strings.TrimPrefix(path.Clean("/"+path.Join(dir, r.target)), "/")
	}
	part := func(typ, fallback string) string {
		if p, ok := byType[typ]; ok {
			return p
		}
		return path.Join(dir, fallback)
	}
	f := &File{Footnotes: map[string][]Run{}, Comments: map[string]Comment{}, Props: map[string]string{}, styles: map[string]*style{}}
	steps := []struct {
		name string
		fn   func(*File, []byte, string) error
	}{
		{part("styles", "styles.xml"), (*File).readStyles},
		{part("numbering", "numbering.xml"), (*File).readNumbering},
		{part("footnotes", "footnotes.xml"), (*File).readFootnotes},
		{part("comments", "comments.xml"), (*File).readComments},
		{"docProps/core.xml", (*File).readCore},
		{"docProps/custom.xml", (*File).readCustom},
		{main, (*File).readBody},
	}
	for _, s := range steps {
		data, err := read(s.name)
		if err != nil {
			return nil, err
		}
		if data == nil {
			continue
		}
		if err := s.fn(f, data, s.name); err != nil {
			return nil, err
		}
	}
	return f, nil
}

type rel struct {
	typ, target string
	external    bool
}

// parseRels reads a relationships part; a broken one names nothing.
func parseRels(b []byte) []rel {
	var doc struct {
		Rels []struct {
			Type       string `xml:"Type,attr"`
			Target     string `xml:"Target,attr"`
			TargetMode string `xml:"TargetMode,attr"`
		} `xml:"Relationship"`
	}
	if xml.Unmarshal(b, &doc) != nil {
		return nil
	}
	var out []rel
	for _, r := range doc.Rels {
		out = append(out, rel{r.Type, r.Target, r.TargetMode == "External"})
	}
	return out
}

// xmlReader walks the tokens of one part, naming the part and line of any
// error.
type xmlReader struct {
	dec  *xml.Decoder
	name string
	data []byte
}

func newXMLReader(data []byte, name string) *xmlReader {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	return &xmlReader{dec: d, name: name, data: data}
}

// next returns the next token; io.EOF at the end.
func (x *xmlReader) next() (xml.Token, error) {
	t, err := x.dec.Token()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		line, _ := x.dec.InputPos()
		msg := err.Error()
		if se, ok := err.(*xml.SyntaxError); ok {
			msg, line = se.Msg, se.Line
		}
		return nil, bad("part %s is not well-formed XML at line %d: %s", x.name, line, msg)
	}
	return t, nil
}

// skip passes over the rest of the element just started.
func (x *xmlReader) skip() error {
	depth := 1
	for depth > 0 {
		t, err := x.next()
		if err != nil {
			if err == io.EOF {
				return bad("part %s ends inside an element", x.name)
			}
			return err
		}
		switch t.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local && (a.Name.Space == nsW || a.Name.Space == "") {
			return a.Value
		}
	}
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// onOff reads a toggle property such as <w:b/> or <w:b w:val="0"/>.
func onOff(e xml.StartElement) bool {
	switch attr(e, "val") {
	case "0", "false", "off", "none":
		return false
	}
	return true
}

func atoi(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return 0
	}
	return n
}

// style is a paragraph or character style.
type style struct {
	id, name, basedOn string
	outline           int // outline level + 1; 0 none
	indent            int
	hasIndent         bool
	numID             string
	ilvl              int
	emphasis          Emphasis // character styles: bold or italic
}

func (f *File) readStyles(data []byte, name string) error {
	x := newXMLReader(data, name)
	var cur *style
	var inRPr, inPPr bool
	for {
		t, err := x.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch e := t.(type) {
		case xml.StartElement:
			if e.Name.Space != nsW {
				continue
			}
			switch e.Name.Local {
			case "style":
				cur = &style{id: attr(e, "styleId")}
				f.styles[cur.id] = cur
			case "name":
				if cur != nil {
					cur.name = strings.ToLower(attr(e, "val"))
				}
			case "basedOn":
				if cur != nil {
					cur.basedOn = attr(e, "val")
				}
			case "outlineLvl":
				if cur != nil && inPPr {
					if v := atoi(attr(e, "val")); v < 9 {
						cur.outline = v + 1
					}
				}
			case "ind":
				if cur != nil && inPPr {
					cur.indent, cur.hasIndent = indentOf(e), true
				}
			case "numId":
				if cur != nil && inPPr {
					cur.numID = attr(e, "val")
				}
			case "ilvl":
				if cur != nil && inPPr {
					cur.ilvl = atoi(attr(e, "val"))
				}
			case "pPr":
				inPPr = true
			case "rPr":
				inRPr = true
			case "b":
				if cur != nil && inRPr && onOff(e) {
					cur.emphasis |= Bold
				}
			case "i":
				if cur != nil && inRPr && onOff(e) {
					cur.emphasis |= Italic
				}
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "style":
				cur = nil
			case "pPr":
				inPPr = false
			case "rPr":
				inRPr = false
			}
		}
	}
}

func indentOf(e xml.StartElement) int {
	if v := attr(e, "left"); v != "" {
		return atoi(v)
	}
	return atoi(attr(e, "start"))
}

// styleChain follows w:basedOn from a style, at most 16 steps (a loop in
// a broken file ends there).
func (f *File) styleChain(id string) []*style {
	var out []*style
	for i := 0; i < 16 && id != ""; i++ {
		s, ok := f.styles[id]
		if !ok {
			break
		}
		out = append(out, s)
		id = s.basedOn
	}
	return out
}

// headingLevel is the outline level of a paragraph style: 1 for "heading
// 1", 2 for "heading 2" and below; 0 for body text.
func (f *File) headingLevel(id string) int {
	for _, s := range f.styleChain(id) {
		if s.outline > 0 {
			return s.outline
		}
		if strings.HasPrefix(s.name, "heading ") {
			if n := atoi(strings.TrimPrefix(s.name, "heading ")); n > 0 {
				return n
			}
		}
	}
	if strings.HasPrefix(id, "Heading") {
		return atoi(strings.TrimPrefix(id, "Heading"))
	}
	return 0
}

// styleName is the lower-case name of a style, or its id.
func (f *File) styleName(id string) string {
	if s, ok := f.styles[id]; ok && s.name != "" {
		return s.name
	}
	return strings.ToLower(id)
}

func (f *File) readComments(data []byte, name string) error {
	x := newXMLReader(data, name)
	for {
		t, err := x.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		e, ok := t.(xml.StartElement)
		if !ok || e.Name.Space != nsW || e.Name.Local != "comment" {
			continue
		}
		c := Comment{ID: attr(e, "id"), Author: attr(e, "author"), Date: attr(e, "date")}
		paras, err := f.readBlock(x, "comment")
		if err != nil {
			return err
		}
		var texts []string
		for _, p := range paras {
			if s := strings.TrimSpace(plainText(p.Runs, acceptView)); s != "" {
				texts = append(texts, s)
			}
		}
		c.Text = strings.Join(texts, "\n")
		f.Comments[c.ID] = c
	}
}

func (f *File) readFootnotes(data []byte, name string) error {
	x := newXMLReader(data, name)
	for {
		t, err := x.next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		e, ok := t.(xml.StartElement)
		if !ok || e.Name.Space != nsW || e.Name.Local != "footnote" {
			continue
		}
		id, typ := attr(e, "id"), attr(e, "type")
		paras, err := f.readBlock(x, "footnote")
		if err != nil {
			return err
		}
		if typ != "" && typ != "normal" {
			continue // separators
		}
		var runs []Run
		for i, p := range paras {
			if i > 0 {
				runs = append(runs, Run{Text: " "})
			}
			for _, r := range p.Runs {
				if r.Footnote != "" {
					continue // the footnote's own number
				}
				runs = append(runs, r)
			}
		}
		f.Footnotes[id] = runs
	}
}

func (f *File) readCore(data []byte, name string) error {
	var doc struct {
		Title    string `xml:"title"`
		Language string `xml:"language"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		return nil // metadata only: a broken core.xml costs the title, not the import
	}
	f.Title, f.Language = strings.TrimSpace(doc.Title), strings.TrimSpace(doc.Language)
	return nil
}

func (f *File) readCustom(data []byte, name string) error {
	var doc struct {
		Props []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:",any"`
		} `xml:"property"`
	}
	if err := xml.Unmarshal(data, &doc); err != nil {
		return nil
	}
	for _, p := range doc.Props {
		f.Props[p.Name] = strings.TrimSpace(p.Value)
	}
	return nil
}

func (f *File) readBody(data []byte, name string) error {
	x := newXMLReader(data, name)
	for {
		t, err := x.next()
		if err == io.EOF {
			return bad("part %s has no w:body", name)
		}
		if err != nil {
			return err
		}
		if e, ok := t.(xml.StartElement); ok && e.Name.Space == nsW && e.Name.Local == "body" {
			break
		}
	}
	paras, err := f.readBlock(x, "body")
	if err != nil {
		return err
	}
	if len(paras) > engine.MaxParagraphs {
		return bad("body has %d paragraphs; a document may hold %d", len(paras), engine.MaxParagraphs)
	}
	for i := range paras {
		paras[i].Index = i + 1
		f.resolve(&paras[i])
	}
	f.Paras = paras
	return nil
}

// blockReader reads the paragraphs of one container (the body, a
// footnote, a comment) with its tracked-change and comment state.
type blockReader struct {
	f          *File
	x          *xmlReader
	paras      []Para
	changes    []Change              // open w:ins / w:del / w:moveFrom / w:moveTo
	comments   []string              // open comment ranges
	moveRange  map[string]ChangeKind // open move ranges by w:id
	moveName   [5]string             // name of the open range of each kind
	closedMove [2]string             // kind and name of the range closed last
	size       int                   // bytes of text so far in the current paragraph
}

// readBlock reads paragraphs until the end of the element named end.
func (f *File) readBlock(x *xmlReader, end string) ([]Para, error) {
	b := &blockReader{f: f, x: x, moveRange: map[string]ChangeKind{}}
	if err := b.content(end, nil); err != nil {
		return nil, err
	}
	return b.paras, nil
}

// cell collects the paragraphs of a table row.
type cell struct {
	paras [][]Para
}

// content reads block content (paragraphs, tables, containers) until the
// end element named end. row, when set, collects the paragraphs of the
// table cell being read.
func (b *blockReader) content(end string, row *cell) error {
	for {
		t, err := b.x.next()
		if err == io.EOF {
			return bad("part %s ends inside w:%s", b.x.name, end)
		}
		if err != nil {
			return err
		}
		switch e := t.(type) {
		case xml.StartElement:
			if e.Name.Space != nsW {
				if err := b.x.skip(); err != nil { // mc:AlternateContent, …
					return err
				}
				continue
			}
			switch e.Name.Local {
			case "p":
				p, err := b.paragraph()
				if err != nil {
					return err
				}
				if row != nil {
					row.paras[len(row.paras)-1] = append(row.paras[len(row.paras)-1], p)
				} else {
					b.paras = append(b.paras, p)
				}
			case "tbl":
				if err := b.table(row); err != nil {
					return err
				}
			case "tc":
				if row != nil {
					row.paras = append(row.paras, nil)
				}
			case "sectPr", "tblPr", "tblGrid", "trPr", "tcPr", "customXmlPr", "sdtPr", "sdtEndPr":
				if err := b.x.skip(); err != nil {
					return err
				}
			case "ins", "del", "moveFrom", "moveTo":
				b.changes = append(b.changes, b.change(e))
			case "moveFromRangeStart", "moveToRangeStart", "moveFromRangeEnd", "moveToRangeEnd":
				b.moveRangeMark(e)
			case "commentRangeStart":
				b.comments = append(b.comments, attr(e, "id"))
			case "commentRangeEnd":
				b.endComment(attr(e, "id"))
			}
		case xml.EndElement:
			if e.Name.Space != nsW {
				continue
			}
			switch e.Name.Local {
			case end:
				return nil
			case "ins", "del", "moveFrom", "moveTo":
				if len(b.changes) > 0 {
					b.changes = b.changes[:len(b.changes)-1]
				}
			}
		}
	}
}

func (b *blockReader) endComment(id string) {
	for i, c := range b.comments {
		if c == id {
			b.comments = append(b.comments[:i:i], b.comments[i+1:]...)
			return
		}
	}
}

// change reads the attributes of a w:ins, w:del, w:moveFrom or w:moveTo.
func (b *blockReader) change(e xml.StartElement) Change {
	c := Change{Author: attr(e, "author"), Date: attr(e, "date"), ID: attr(e, "id")}
	switch e.Name.Local {
	case "ins":
		c.Kind = Inserted
	case "del":
		c.Kind = Deleted
	case "moveFrom":
		c.Kind = MovedFrom
	case "moveTo":
		c.Kind = MovedTo
	}
	return c
}

// current is the innermost open change.
func (b *blockReader) current() Change {
	if n := len(b.changes); n > 0 {
		c := b.changes[n-1]
		if c.Kind == MovedFrom || c.Kind == MovedTo {
			c.Move = b.lastMove(c.Kind)
		}
		return c
	}
	return Change{}
}

// lastMove names the move range a move belongs to: the open range of its
// kind.
func (b *blockReader) lastMove(k ChangeKind) string { return b.moveName[k] }

// moveRangeMark opens or closes a move range.
func (b *blockReader) moveRangeMark(e xml.StartElement) {
	id := attr(e, "id")
	switch e.Name.Local {
	case "moveFromRangeStart":
		b.moveRange[id], b.moveName[MovedFrom] = MovedFrom, attr(e, "name")
	case "moveToRangeStart":
		b.moveRange[id], b.moveName[MovedTo] = MovedTo, attr(e, "name")
	default:
		if k, ok := b.moveRange[id]; ok {
			delete(b.moveRange, id)
			b.closedMove = [2]string{k.String(), b.moveName[k]}
			b.moveName[k] = ""
		}
	}
}

// table reads a table as text: each row one paragraph, its cells joined
// by " | ", the paragraphs of a cell by a space. Inside a table cell (a
// nested table) the rows become paragraphs of that cell.
func (b *blockReader) table(outer *cell) error {
	for {
		t, err := b.x.next()
		if err == io.EOF {
			return bad("part %s ends inside a table", b.x.name)
		}
		if err != nil {
			return err
		}
		switch e := t.(type) {
		case xml.StartElement:
			if e.Name.Space != nsW {
				if err := b.x.skip(); err != nil {
					return err
				}
				continue
			}
			switch e.Name.Local {
			case "tr":
				row := &cell{}
				if err := b.content("tr", row); err != nil {
					return err
				}
				p := Para{Table: true}
				for i, c := range row.paras {
					if i > 0 {
						p.Runs = append(p.Runs, Run{Text: " | "})
					}
					for j, cp := range c {
						if j > 0 {
							p.Runs = append(p.Runs, Run{Text: " "})
						}
						p.Runs = append(p.Runs, cp.Runs...)
						p.Refs = append(p.Refs, cp.Refs...)
					}
				}
				if outer != nil {
					outer.paras[len(outer.paras)-1] = append(outer.paras[len(outer.paras)-1], p)
				} else {
					b.paras = append(b.paras, p)
				}
			case "tblPr", "tblGrid":
				if err := b.x.skip(); err != nil {
					return err
				}
			}
		case xml.EndElement:
			if e.Name.Space == nsW && e.Name.Local == "tbl" {
				return nil
			}
		}
	}
}

// paragraph reads one w:p.
func (b *blockReader) paragraph() (Para, error) {
	var p Para
	p.Ilvl = -1
	b.size = 0
	for {
		t, err := b.x.next()
		if err == io.EOF {
			return p, bad("part %s ends inside a paragraph", b.x.name)
		}
		if err != nil {
			return p, err
		}
		switch e := t.(type) {
		case xml.StartElement:
			if e.Name.Space != nsW {
				if err := b.x.skip(); err != nil {
					return p, err
				}
				continue
			}
			switch e.Name.Local {
			case "pPr":
				if err := b.paraProps(&p); err != nil {
					return p, err
				}
			case "r":
				if err := b.run(&p); err != nil {
					return p, err
				}
			case "ins", "del", "moveFrom", "moveTo":
				b.changes = append(b.changes, b.change(e))
			case "moveFromRangeStart", "moveToRangeStart", "moveFromRangeEnd", "moveToRangeEnd":
				b.moveRangeMark(e)
			case "commentRangeStart":
				b.comments = append(b.comments, attr(e, "id"))
			case "commentRangeEnd":
				b.endComment(attr(e, "id"))
			case "p", "tbl", "txbxContent":
				if err := b.x.skip(); err != nil { // text boxes are not the text
					return p, err
				}
			}
		case xml.EndElement:
			if e.Name.Space != nsW {
				continue
			}
			switch e.Name.Local {
			case "p":
				if (p.Mark.Kind == MovedFrom || p.Mark.Kind == MovedTo) && p.Mark.Move == "" {
					// The range started after the paragraph's properties.
					for _, r := range p.Runs {
						if r.Change.Kind == p.Mark.Kind && r.Change.Move != "" {
							p.Mark.Move = r.Change.Move
						}
					}
					if p.Mark.Move == "" {
						if n := b.moveName[p.Mark.Kind]; n != "" {
							p.Mark.Move = n
						} else if b.closedMove[0] == p.Mark.Kind.String() {
							p.Mark.Move = b.closedMove[1]
						}
					}
				}
				return p, nil
			case "ins", "del", "moveFrom", "moveTo":
				if len(b.changes) > 0 {
					b.changes = b.changes[:len(b.changes)-1]
				}
			}
		}
	}
}

// paraProps reads w:pPr: style, numbering, indentation and the tracked
// paragraph mark.
func (b *blockReader) paraProps(p *Para) error {
	depth := 1
	inRPr, inChange := false, 0
	for depth > 0 {
		t, err := b.x.next()
		if err != nil {
			if err == io.EOF {
				return bad("part %s ends inside w:pPr", b.x.name)
			}
			return err
		}
		switch e := t.(type) {
		case xml.StartElement:
			depth++
			if e.Name.Space != nsW {
				continue
			}
			if inChange > 0 {
				if e.Name.Local == "pPrChange" || e.Name.Local == "rPrChange" {
					inChange++
				}
				continue
			}
			switch e.Name.Local {
			case "pPrChange", "rPrChange":
				inChange = 1
			case "pStyle":
				p.Style = attr(e, "val")
			case "numId":
				p.NumID = attr(e, "val")
				if p.NumID == "" {
					p.NumID = "0"
				}
			case "ilvl":
				p.Ilvl = atoi(attr(e, "val"))
			case "ind":
				if !inRPr {
					p.Indent, p.ownIndent = indentOf(e), true
				}
			case "rPr":
				inRPr = true
			case "ins", "del", "moveFrom", "moveTo":
				if inRPr {
					p.Mark = b.change(e)
					if p.Mark.Kind == MovedFrom || p.Mark.Kind == MovedTo {
						p.Mark.Move = b.lastMove(p.Mark.Kind)
					}
				}
			}
		case xml.EndElement:
			depth--
			if e.Name.Space != nsW {
				continue
			}
			if inChange > 0 {
				if e.Name.Local == "pPrChange" || e.Name.Local == "rPrChange" {
					inChange--
				}
				continue
			}
			if e.Name.Local == "rPr" {
				inRPr = false
			}
		}
	}
	return nil
}

// run reads one w:r.
func (b *blockReader) run(p *Para) error {
	var em, oldEm Emphasis
	var restyle *Change
	ch := b.current()
	comments := append([]string(nil), b.comments...)
	add := func(r Run) {
		r.Change, r.Comments = ch, comments
		r.Emphasis, r.Restyled, r.OldEmphasis = em, restyle, oldEm
		if r.Text != "" && len(p.Runs) > 0 {
			last := &p.Runs[len(p.Runs)-1]
			if last.Footnote == "" && last.Emphasis == em && last.Change == ch && last.Restyled == restyle && sameStrings(last.Comments, comments) {
				last.Text += r.Text
				return
			}
		}
		p.Runs = append(p.Runs, r)
	}
	customMark := -1 // index of a footnote reference whose custom mark follows
	text := func(s string) error {
		if customMark >= 0 {
			p.Runs[customMark].Mark += strings.TrimSpace(s)
			return nil
		}
		b.size += len(s)
		if b.size > engine.MaxParagraphText {
			return bad("paragraph %d of %s is more than %d bytes long; the limit is %d", len(b.paras)+1, b.x.name, engine.MaxParagraphText, engine.MaxParagraphText)
		}
		add(Run{Text: s})
		return nil
	}
	for {
		t, err := b.x.next()
		if err != nil {
			if err == io.EOF {
				return bad("part %s ends inside a run", b.x.name)
			}
			return err
		}
		switch e := t.(type) {
		case xml.StartElement:
			if e.Name.Space != nsW {
				if err := b.x.skip(); err != nil {
					return err
				}
				continue
			}
			switch e.Name.Local {
			case "rPr":
				var err error
				em, oldEm, restyle, err = b.runProps()
				if err != nil {
					return err
				}
			case "t", "delText":
				s, err := b.chars(e.Name.Local)
				if err != nil {
					return err
				}
				if err := text(s); err != nil {
					return err
				}
			case "tab", "ptab":
				if err := text("\t"); err != nil {
					return err
				}
				if err := b.x.skip(); err != nil {
					return err
				}
			case "br", "cr":
				if err := text(" "); err != nil {
					return err
				}
				if err := b.x.skip(); err != nil {
					return err
				}
			case "noBreakHyphen":
				if err := text("\u2011"); err != nil {
					return err
				}
				if err := b.x.skip(); err != nil {
					return err
				}
			case "footnoteReference":
				add(Run{Footnote: attr(e, "id")})
				if onOff(xml.StartElement{Attr: []xml.Attr{{Name: xml.Name{Local: "val"}, Value: attr(e, "customMarkFollows")}}}) && attr(e, "customMarkFollows") != "" {
					customMark = len(p.Runs) - 1
				}
				if err := b.x.skip(); err != nil {
					return err
				}
			case "commentReference":
				p.Refs = append(p.Refs, attr(e, "id"))
				if err := b.x.skip(); err != nil {
					return err
				}
			default:
				// fldChar, instrText, drawing, footnoteRef, …: not text.
				if err := b.x.skip(); err != nil {
					return err
				}
			}
		case xml.EndElement:
			if e.Name.Space == nsW && e.Name.Local == "r" {
				return nil
			}
		}
	}
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// chars reads the character data of a w:t or w:delText.
func (b *blockReader) chars(end string) (string, error) {
	var s strings.Builder
	for {
		t, err := b.x.next()
		if err != nil {
			if err == io.EOF {
				return "", bad("part %s ends inside w:%s", b.x.name, end)
			}
			return "", err
		}
		switch e := t.(type) {
		case xml.CharData:
			s.Write(e)
		case xml.StartElement:
			if err := b.x.skip(); err != nil {
				return "", err
			}
		case xml.EndElement:
			return cleanText(s.String()), nil
		}
	}
}

// cleanText replaces line breaks and control characters, which a
// paragraph's text may not hold, by spaces.
func cleanText(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return (r < 0x20 && r != '\t') || r == 0x7f || r == utf8.RuneError }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\t') || r == 0x7f {
			return ' '
		}
		if r == utf8.RuneError {
			return '\uFFFD'
		}
		return r
	}, s)
}

// runProps reads w:rPr: bold, italic, a character style, and a tracked
// formatting change.
func (b *blockReader) runProps() (em, oldEm Emphasis, restyle *Change, err error) {
	depth := 1
	target := &em
	var explicitB, explicitI [2]int // 0 unset, 1 on, 2 off, for em and oldEm
	for depth > 0 {
		t, err := b.x.next()
		if err != nil {
			if err == io.EOF {
				return 0, 0, nil, bad("part %s ends inside w:rPr", b.x.name)
			}
			return 0, 0, nil, err
		}
		switch e := t.(type) {
		case xml.StartElement:
			depth++
			if e.Name.Space != nsW {
				continue
			}
			k := 0
			if target == &oldEm {
				k = 1
			}
			switch e.Name.Local {
			case "rPrChange":
				c := b.change(e)
				restyle = &c
				target = &oldEm
			case "b":
				explicitB[k] = 2
				if onOff(e) {
					explicitB[k] = 1
				}
			case "i":
				explicitI[k] = 2
				if onOff(e) {
					explicitI[k] = 1
				}
			case "rStyle":
				if s, ok := b.f.styles[attr(e, "val")]; ok {
					*target |= s.emphasis
				}
				switch b.f.styleName(attr(e, "val")) {
				case "strong":
					*target |= Bold
				case "emphasis":
					*target |= Italic
				}
			}
		case xml.EndElement:
			depth--
		}
	}
	set := func(e *Emphasis, bit Emphasis, v int) {
		switch v {
		case 1:
			*e |= bit
		case 2:
			*e &^= bit
		}
	}
	set(&em, Bold, explicitB[0])
	set(&em, Italic, explicitI[0])
	set(&oldEm, Bold, explicitB[1])
	set(&oldEm, Italic, explicitI[1])
	if restyle != nil && oldEm == em {
		restyle = nil // a change of something else (size, colour): not ours
	}
	return em, oldEm, restyle, nil
}

// resolve fills what a paragraph takes from its style and numbering:
// heading level, numbering and indentation, and the automatic number.
func (f *File) resolve(p *Para) {
	ownIndent := p.ownIndent
	p.heading = f.headingLevel(p.Style)
	numID, ilvl := p.NumID, p.Ilvl
	if numID == "" || ilvl < 0 {
		for _, s := range f.styleChain(p.Style) {
			if s.numID != "" {
				if numID == "" {
					numID = s.numID
				}
				if ilvl < 0 {
					ilvl = s.ilvl
				}
				break
			}
		}
	}
	if ilvl < 0 {
		ilvl = 0
	}
	p.NumID, p.Ilvl = numID, ilvl
	indent, hasIndent := p.Indent, ownIndent
	if numID != "" && numID != "0" && f.numbering != nil {
		if lv := f.numbering.level(numID, ilvl); lv != nil {
			p.numFmt = lv.format
			p.bullet = lv.format == "bullet"
			if lv.format != "none" && p.Mark.Kind != Deleted && p.Mark.Kind != MovedFrom {
				p.label = f.numbering.next(numID, ilvl)
			} else if lv.format != "none" {
				p.label = f.numbering.peek(numID, ilvl)
			}
			if !hasIndent && lv.hasIndent {
				indent, hasIndent = lv.indent, true
			}
		}
	}
	if !hasIndent {
		for _, s := range f.styleChain(p.Style) {
			if s.hasIndent {
				indent = s.indent
				break
			}
		}
	}
	p.Indent = indent
}
