package export

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"
)

// Word paragraph styles. Those starting with "DR" hold the report's
// metadata and labels rather than the negotiated text.
const (
	wsTitle    = "DRTitle"
	wsMeta     = "DRMeta"
	wsNote     = "DRNote"
	wsHeading1 = "Heading1"
	wsHeading2 = "Heading2"
	wsOption   = "TextOption"
	wsPara     = "TextPara" // + level: TextPara0, TextPara1, TextPara2
	wsProposal = "DRProposal"
)

// docxWriter builds word/document.xml.
type docxWriter struct {
	b   strings.Builder
	rtl bool
	id  int // next revision id
	// fallback is the attribution of a tracked change with no author.
	fallback Attribution
	// moves names each move (by the moved paragraph's old identity), so
	// its source and destination ranges share a w:name.
	moves map[string]string
	// notes are the report's footnotes by label: each reference to one is
	// written as a Word footnote (w:footnoteReference) whose text goes in
	// fn (word/footnotes.xml), numbered from 1 by fnID.
	notes *footnoteIndex
	fn    strings.Builder
	fnID  int
	// noRefs writes footnote references as text: in a definition left in
	// the body, and inside a footnote.
	noRefs bool
	// fnTracked writes the changes in a compare's footnotes as tracked
	// changes (else struck and underlined, as the columns style does).
	fnTracked bool
	// lines sets the text's paragraphs in their fixed lines, numbered
	// (linedPara), with the styles that lay them out (linedStyles).
	lines bool
}

// moveName is the w:name shared by the source and destination of the
// move of the paragraph whose old identity is id.
func (w *docxWriter) moveName(id string) string {
	if w.moves == nil {
		w.moves = map[string]string{}
	}
	n, ok := w.moves[id]
	if !ok {
		n = fmt.Sprintf("move%d", len(w.moves)+1)
		w.moves[id] = n
	}
	return n
}

func newDocx(m Meta) *docxWriter {
	w := &docxWriter{rtl: m.RTL(), fallback: Attribution{Author: "Secretariat", Date: m.Date}}
	w.b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	w.b.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` + "\n<w:body>\n")
	return w
}

func xmlText(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

func xmlAttr(s string) string {
	return strings.ReplaceAll(xmlText(s), `"`, "&#34;")
}

// change writes the attributes of a tracked change.
func (w *docxWriter) change(at Attribution) string {
	w.id++
	return fmt.Sprintf(` w:id="%d"`, w.id) + w.authorAttrs(at)
}

// authorAttrs writes who made a change and when.
func (w *docxWriter) authorAttrs(at Attribution) string {
	if at.Author == "" {
		at = w.fallback
	}
	s := ` w:author="` + xmlAttr(at.Author) + `"`
	if !at.Date.IsZero() {
		s += ` w:date="` + at.Date.UTC().Format(time.RFC3339) + `"`
	}
	return s
}

// extra formatting a paragraph puts on all its runs.
const (
	fmtStrike Emphasis = 1 << 6
	fmtUnder  Emphasis = 1 << 5
)

// runXML writes one run: <w:r> with its properties and text, tabs as
// <w:tab/>; deleted runs use w:delText. A footnote reference to one of
// the report's footnotes is a run of its own, a Word footnote.
func (w *docxWriter) runXML(r Run, extra Emphasis) string {
	var b strings.Builder
	props := w.runProps(r.Emphasis | extra)
	if r.Restyled {
		// A formatting change, tracked: the old properties kept.
		props += "<w:rPrChange" + w.change(r.Attribution) + "><w:rPr>" + w.runProps(r.OldEmphasis|extra) + "</w:rPr></w:rPrChange>"
	}
	open := "<w:r>"
	if props != "" {
		open += "<w:rPr>" + props + "</w:rPr>"
	}
	b.WriteString(open)
	tag := "w:t"
	if r.Op == OpDelete {
		tag = "w:delText"
	}
	text := func(s string) {
		for i, part := range strings.Split(s, "\t") {
			if i > 0 {
				b.WriteString("<w:tab/>")
			}
			if part != "" {
				b.WriteString("<" + tag + ` xml:space="preserve">` + xmlText(part) + "</" + tag + ">")
			}
		}
	}
	if w.notes == nil || w.noRefs || !strings.Contains(r.Text, "[^") {
		text(r.Text)
	} else {
		splitRefs(r.Text, func(s, ref string) {
			if row := w.notes.find(ref, r.Op == OpDelete); ref != "" && row != nil {
				b.WriteString("</w:r>" + w.footnoteRef(ref, row, tag, w.runProps(r.Emphasis|extra)) + open)
				return
			}
			text(s)
		})
	}
	b.WriteString("</w:r>")
	// A reference at either end of the run leaves an empty run there.
	return strings.ReplaceAll(b.String(), open+"</w:r>", "")
}

// footnoteRef writes a reference to the footnote row as a Word footnote:
// the reference (with the label as its custom mark, so that Word shows
// the label the text gives it and never renumbers it) and, in
// word/footnotes.xml, the footnote's text.
// The reference keeps the formatting of the text around it (props).
func (w *docxWriter) footnoteRef(label string, row *Row, tag, props string) string {
	w.fnID++
	id := fmt.Sprintf("%d", w.fnID)
	rtl := ""
	if w.rtl {
		rtl = "<w:rtl/>"
	}
	mark := `<w:rPr><w:rStyle w:val="FootnoteReference"/>` + rtl + `</w:rPr>`
	refMark := `<w:rPr><w:rStyle w:val="FootnoteReference"/>` + props + `</w:rPr>`
	// The footnote's text: its mark, a space, its runs.
	o := paraOpts{tracked: w.fnTracked}
	if row.Deleted {
		o.extra = fmtStrike
	}
	w.noRefs = true
	w.fn.WriteString(`<w:footnote w:id="` + id + `"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/>`)
	if w.rtl {
		w.fn.WriteString("<w:bidi/>")
	}
	w.fn.WriteString(`</w:pPr><w:r>` + mark + `<w:t xml:space="preserve">` + xmlText(label) + `</w:t></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r>`)
	w.fn.WriteString(w.runsXML(o, footnoteRuns(*row)))
	w.fn.WriteString("</w:p></w:footnote>\n")
	w.noRefs = false
	return `<w:r>` + refMark + `<w:footnoteReference w:customMarkFollows="1" w:id="` + id + `"/><` + tag + ` xml:space="preserve">` + xmlText(label) + `</` + tag + `></w:r>`
}

// useFootnotes makes the references to the footnotes among rows Word
// footnotes.
func (w *docxWriter) useFootnotes(rows []Row) { w.notes = indexFootnotes(rows) }

// runProps writes the run properties of a formatting.
func (w *docxWriter) runProps(st Emphasis) string {
	var props string
	if st&Bold != 0 {
		props += "<w:b/><w:bCs/>"
	}
	if st&Italic != 0 {
		props += "<w:i/><w:iCs/>"
	}
	if st&fmtStrike != 0 {
		props += "<w:strike/>"
	}
	if st&Code != 0 {
		props = `<w:rFonts w:ascii="Courier New" w:hAnsi="Courier New"/>` + props
	}
	if st&fmtUnder != 0 {
		props += `<w:u w:val="single"/>`
	}
	if w.rtl {
		props += "<w:rtl/>"
	}
	return props
}

// paraOpts are the properties of one Word paragraph.
type paraOpts struct {
	style string
	// mark tracks the paragraph mark: OpInsert for a paragraph that is
	// new, OpDelete for one that goes.
	mark   Op
	markAt Attribution
	// extra formatting for every run (strike for a struck-through
	// paragraph).
	extra Emphasis
	// tracked: insertions and deletions are tracked changes; otherwise
	// they are formatted (struck, underlined).
	tracked bool
	// move makes the paragraph the source ("from") or destination ("to")
	// of a tracked move named moveName: its mark and its kept text are
	// w:moveFrom or w:moveTo, inside a move range, so that Reject All
	// removes the destination whole and Accept All the source.
	move, moveName string
}

// para writes a paragraph of runs.
func (w *docxWriter) para(o paraOpts, runs []Run) {
	w.b.WriteString(w.paraXML(o, runs))
}

func (w *docxWriter) paraXML(o paraOpts, runs []Run) string {
	return w.paraXMLOf(o, func() string { return w.runsXML(o, runs) })
}

// paraXMLOf writes a paragraph whose runs body writes (called where the
// runs go, so that revision ids are given in document order).
func (w *docxWriter) paraXMLOf(o paraOpts, body func() string) string {
	var b strings.Builder
	b.WriteString("<w:p><w:pPr>")
	if o.style != "" {
		b.WriteString(`<w:pStyle w:val="` + o.style + `"/>`)
	}
	if w.rtl {
		b.WriteString("<w:bidi/>")
	}
	var mark string
	switch {
	case o.move == "from":
		mark = "<w:moveFrom" + w.change(o.markAt) + "/>"
	case o.move == "to":
		mark = "<w:moveTo" + w.change(o.markAt) + "/>"
	case o.mark == OpInsert:
		mark = "<w:ins" + w.change(o.markAt) + "/>"
	case o.mark == OpDelete:
		mark = "<w:del" + w.change(o.markAt) + "/>"
	}
	if mark != "" || w.rtl {
		b.WriteString("<w:rPr>" + mark)
		if w.rtl {
			b.WriteString("<w:rtl/>")
		}
		b.WriteString("</w:rPr>")
	}
	b.WriteString("</w:pPr>")
	rangeID := 0
	if o.move != "" {
		w.id++
		rangeID = w.id
		b.WriteString(fmt.Sprintf(`<w:move%sRangeStart w:id="%d" w:name="%s"%s/>`, title(o.move), rangeID, o.moveName, w.authorAttrs(o.markAt)))
	}
	b.WriteString(body())
	if o.move != "" {
		b.WriteString(fmt.Sprintf(`<w:move%sRangeEnd w:id="%d"/>`, title(o.move), rangeID))
	}
	b.WriteString("</w:p>\n")
	return b.String()
}

// runsXML writes the runs of a paragraph: kept text as it is, changes as
// tracked changes (o.tracked) or formatted.
func (w *docxWriter) runsXML(o paraOpts, runs []Run) string {
	var b strings.Builder
	for i := 0; i < len(runs); {
		r := runs[i]
		if (r.Op == OpEqual && o.move == "") || !o.tracked {
			extra := o.extra
			if !o.tracked && r.Op == OpDelete {
				extra |= fmtStrike
			}
			if !o.tracked && r.Op == OpInsert {
				extra |= fmtUnder
			}
			b.WriteString(w.runXML(r, extra))
			i++
			continue
		}
		// Consecutive runs of one change with one author share a w:ins,
		// w:del, w:moveFrom or w:moveTo.
		j := i + 1
		for j < len(runs) && runs[j].Op == r.Op && runs[j].Attribution == r.Attribution {
			j++
		}
		tag := "w:ins"
		switch {
		case o.move == "from":
			tag = "w:moveFrom"
		case o.move == "to" && r.Op == OpEqual:
			tag = "w:moveTo"
		case r.Op == OpDelete:
			tag = "w:del"
		}
		at := r.Attribution
		if tag == "w:moveFrom" || tag == "w:moveTo" {
			at = o.markAt
		}
		b.WriteString("<" + tag + w.change(at) + ">")
		for _, x := range runs[i:j] {
			if tag == "w:moveFrom" {
				x.Op = OpEqual // moved text is w:t, not w:delText
			}
			b.WriteString(w.runXML(x, o.extra))
		}
		b.WriteString("</" + tag + ">")
		i = j
	}
	return b.String()
}

// title capitalizes "from" and "to" for element names.
func title(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// plain is a run of plain text.
func plain(s string) Run { return Run{Text: s, Op: OpEqual} }

// bold is a run of bold text.
func bold(s string) Run { return Run{Text: s, Op: OpEqual, Emphasis: Bold} }

// meta writes the title and metadata paragraphs.
func (w *docxWriter) meta(title string, m Meta, extra ...string) {
	w.para(paraOpts{style: wsMeta}, []Run{bold(m.Symbol)})
	w.para(paraOpts{style: wsTitle}, textRuns(title, OpEqual, Attribution{}))
	lines := [][2]string{{"Symbol", nonEmpty(m.Symbol, "—")}, {"Revision", nonEmpty(m.Revision, "—")}, {"Date", dayText(m.Date)}}
	if m.Against != nil {
		lines = append(lines, [2]string{"Compared with", nonEmpty(m.Against.Symbol, "—") + " (" + nonEmpty(m.Against.Revision, "—") + ", " + dayText(m.Against.Date) + ")"})
	}
	lines = append(lines, [2]string{"Event log head", m.logHeadText()})
	for _, e := range extra {
		k, v, _ := strings.Cut(e, ": ")
		lines = append(lines, [2]string{k, v})
	}
	for _, l := range lines {
		w.para(paraOpts{style: wsMeta}, []Run{bold(l[0] + ": "), plain(l[1])})
	}
	if m.Statement != "" {
		w.para(paraOpts{}, []Run{bold(m.Statement)})
	}
}

// table writes a table of cells, each cell a list of paragraphs already in
// XML.
func (w *docxWriter) table(widths []int, rows [][]string) {
	w.b.WriteString(`<w:tbl><w:tblPr>`)
	if w.rtl {
		w.b.WriteString("<w:bidiVisual/>")
	}
	w.b.WriteString(`<w:tblW w:w="5000" w:type="pct"/><w:tblBorders>`)
	for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
		w.b.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="999999"/>`)
	}
	w.b.WriteString(`</w:tblBorders></w:tblPr><w:tblGrid>`)
	for _, wd := range widths {
		fmt.Fprintf(&w.b, `<w:gridCol w:w="%d"/>`, wd)
	}
	w.b.WriteString("</w:tblGrid>\n")
	for _, cells := range rows {
		w.b.WriteString("<w:tr>")
		for i, c := range cells {
			fmt.Fprintf(&w.b, `<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>`, widths[i])
			if c == "" {
				c = "<w:p/>"
			}
			w.b.WriteString(c + "</w:tc>")
		}
		w.b.WriteString("</w:tr>\n")
	}
	w.b.WriteString("</w:tbl>\n<w:p/>\n")
}

// finish closes the body and packs the document.
func (w *docxWriter) finish(title string, m Meta, kind string) ([]byte, error) {
	w.b.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/>`)
	if w.rtl {
		w.b.WriteString("<w:bidi/>")
	}
	w.b.WriteString("</w:sectPr>\n</w:body>\n</w:document>\n")
	return packDocx(w.b.String(), title, m, kind, w.fn.String(), w.lines)
}

// docxParaStyle is the style of a paragraph of the text at a level.
func docxParaStyle(level int) string { return fmt.Sprintf("%s%d", wsPara, min(level, 2)) }

func docxHeadingStyle(level int) string {
	if level >= 2 {
		return wsHeading2
	}
	return wsHeading1
}

// numberRun is the number of a paragraph and the tab after it.
func numberRun(number string, level int, op Op, at Attribution) []Run {
	if l := numberLabel(number, level); l != "" {
		return []Run{{Text: l + "\t", Op: op, Attribution: at}}
	}
	return nil
}

// DOCX implements Report: the clean text as a Word document, struck-
// through paragraphs struck.
func (c *CleanText) DOCX() ([]byte, error) {
	w := newDocx(c.Meta)
	kind := "Clean text"
	if c.Final {
		kind = "Final text"
	}
	w.meta(c.Meta.Title, c.Meta, "Report: "+kind)
	w.useFootnotes(c.Rows)
	w.lines = c.Lines
	for _, r := range c.Rows {
		if r.Footnote == "" {
			w.cleanRow(r)
		}
	}
	return w.finish(c.Meta.Title, c.Meta, "clean")
}

func (w *docxWriter) cleanRow(r Row) {
	if _, ok := isDefRow(r); ok && r.Footnote == "" {
		// A definition left in the body: its label is text.
		w.noRefs = true
		defer func() { w.noRefs = false }()
	}
	if r.Kind == HeadingRow {
		w.para(paraOpts{style: docxHeadingStyle(r.Level)}, textRuns(r.Text, OpEqual, Attribution{}))
		return
	}
	if r.OptionStart {
		w.para(paraOpts{style: wsOption}, []Run{plain(r.Option + ":")})
	}
	o := paraOpts{style: docxParaStyle(r.Level)}
	if r.Deleted {
		o.extra = fmtStrike
	}
	num, text := numberRun(r.Number, r.Level, OpEqual, Attribution{}), textRuns(r.Text, OpEqual, Attribution{})
	var tail []Run
	if n := translationNote(r.Translation); n != "" {
		tail = []Run{{Text: " (" + n + ")", Emphasis: Italic, Op: OpEqual}}
	}
	if w.lines {
		o.style = linedParaStyle(r.Level)
		w.linedPara(o, num, text, tail)
		return
	}
	w.para(o, append(append(num, text...), tail...))
}

// DOCX implements Report. Except in the columns style, the compare is the
// later text with the changes as Word tracked changes (w:ins, w:del) whose
// author is the State that proposed the amendment that brought the change
// (else the secretariat) and whose date is the amendment's, so that
// Accept All gives the later text and Reject All the earlier one. A moved
// paragraph is a tracked move (w:moveFrom at its old place, w:moveTo at its
// new one, with its own edits tracked there); a split or merge is an
// inserted or deleted paragraph mark. The
// columns style is a two-column table: the original with deletions struck,
// the amended text with insertions underlined.
func (c *Compare) DOCX() ([]byte, error) {
	w := newDocx(c.Meta)
	w.fallback.Date = c.Meta.Date
	w.meta("Compare: "+c.Meta.Title, c.Meta, "Report: compare", styleLegend(c.Style), countsText(c.Counts))
	if c.Style == Columns {
		var rows [][]string
		left := "Original"
		if c.Meta.Against != nil {
			left += " (" + nonEmpty(c.Meta.Against.Revision, c.Meta.Against.Symbol) + ")"
		}
		rows = append(rows, []string{w.paraXML(paraOpts{style: wsMeta}, []Run{bold(left)}),
			w.paraXML(paraOpts{style: wsMeta}, []Run{bold("Amended (" + nonEmpty(c.Meta.Revision, c.Meta.Symbol) + ")")})})
		w.useFootnotes(c.Rows)
		for _, r := range c.Rows {
			if r.Footnote == "" {
				rows = append(rows, w.columnRow(r))
			}
		}
		w.table([]int{4513, 4513}, rows)
	} else {
		w.useFootnotes(c.Rows)
		w.fnTracked = true
		w.lines = c.Lines
		for _, r := range c.Rows {
			if r.Footnote == "" {
				w.compareRow(r)
			}
		}
	}
	return w.finish("Compare: "+c.Meta.Title, c.Meta, "compare")
}

// compareRow writes one row of a compare as tracked changes. A moved
// paragraph is a tracked move: its old text the move's source, its new
// text at the destination with its own insertions and deletions. A split
// or merge is an inserted or deleted paragraph mark.
func (w *docxWriter) compareRow(r Row) {
	if _, ok := isDefRow(r); ok {
		w.noRefs = true
		defer func() { w.noRefs = false }()
	}
	style := docxParaStyle(r.Level)
	if r.Kind == HeadingRow {
		style = docxHeadingStyle(r.Level)
	}
	o := paraOpts{style: style, tracked: true, markAt: r.Attribution}
	switch r.Change {
	case Added, MovedHere:
		if r.OptionStart {
			w.para(paraOpts{style: wsOption, tracked: true, mark: OpInsert, markAt: r.Attribution}, []Run{{Text: r.Option + ":", Op: OpInsert, Attribution: r.Attribution}})
		}
		o.mark = OpInsert
		if r.Change == MovedHere {
			o.move, o.moveName = "to", w.moveName(r.OldID)
		}
		if r.Deleted {
			o.extra = fmtStrike
		}
	case Deleted, MovedAway:
		if r.OldOptionStart {
			w.para(paraOpts{style: wsOption, tracked: true, mark: OpDelete, markAt: r.Attribution}, []Run{{Text: r.OldOption + ":", Op: OpDelete, Attribution: r.Attribution}})
		}
		o.mark = OpDelete
		if r.Change == MovedAway {
			o.move, o.moveName = "from", w.moveName(r.OldID)
		}
		if r.OldDeleted {
			o.extra = fmtStrike
		}
	default:
		w.optionLabels(r)
		o.mark, o.markAt = r.ParagraphMark, Attribution{}
		if r.Deleted {
			o.extra = fmtStrike
		}
	}
	if w.lines && r.Kind == ParagraphRow && r.Change != Deleted && r.Change != MovedAway {
		// The later text's lines; a deleted or moved-away paragraph is no
		// line of it.
		o.style = linedParaStyle(r.Level)
		w.linedPara(o, tabbed(numberRuns(r)), r.Runs, nil)
		return
	}
	w.para(o, append(tabbed(numberRuns(r)), r.Runs...))
}

// tabbed puts the tab that separates a number from its paragraph after
// each number run.
func tabbed(nums []Run) []Run {
	for i := range nums {
		nums[i].Text += "\t"
	}
	return nums
}

// optionLabels writes the option label before a matched paragraph,
// tracking it when the options changed.
func (w *docxWriter) optionLabels(r Row) {
	switch {
	case r.OptionStart && r.OldOptionStart && r.Option == r.OldOption:
		w.para(paraOpts{style: wsOption}, []Run{plain(r.Option + ":")})
	default:
		if r.OldOptionStart {
			w.para(paraOpts{style: wsOption, tracked: true, mark: OpDelete}, []Run{{Text: r.OldOption + ":", Op: OpDelete}})
		}
		if r.OptionStart {
			w.para(paraOpts{style: wsOption, tracked: true, mark: OpInsert}, []Run{{Text: r.Option + ":", Op: OpInsert}})
		}
	}
}

// columnRow is one row of the two-column compare: formatted, not tracked.
func (w *docxWriter) columnRow(r Row) []string {
	if _, ok := isDefRow(r); ok {
		w.noRefs = true
		defer func() { w.noRefs = false }()
	}
	style := docxParaStyle(r.Level)
	if r.Kind == HeadingRow {
		style = docxHeadingStyle(r.Level)
	}
	o := paraOpts{style: style}
	nums, text := tabbed(numberRuns(r)), r.Runs
	var left, right string
	if r.Change != Added {
		left = w.paraXML(o, append(sideRuns(nums, OpInsert), sideRuns(text, OpInsert)...))
	}
	if r.Change != Deleted && r.Change != MovedAway {
		right = w.paraXML(o, append(sideRuns(nums, OpDelete), sideRuns(text, OpDelete)...))
	}
	if r.Note != "" {
		note := w.paraXML(paraOpts{style: wsNote}, []Run{{Text: "(" + r.Note + ")", Emphasis: Italic, Op: OpEqual}})
		if r.Change == Deleted || r.Change == MovedAway {
			left += note
		} else {
			right += note
		}
	}
	return []string{left, right}
}

// DOCX implements Report: each paragraph, then its status and positions,
// then each amendment with the proposed change struck and underlined.
func (c *Compilation) DOCX() ([]byte, error) {
	w := newDocx(c.Meta)
	w.meta("Compilation of proposals: "+c.Meta.Title, c.Meta, "Report: compilation of proposals", compilationCountsText(c.Counts))
	rows := make([]Row, len(c.Entries))
	var body, notes []CompilationEntry
	for i, e := range c.Entries {
		rows[i] = e.Row
		if e.Footnote != "" {
			notes = append(notes, e)
		} else {
			body = append(body, e)
		}
	}
	w.useFootnotes(rows)
	w.lines = c.Lines
	if len(notes) > 0 {
		// The footnotes are Word footnotes at their references and, with
		// their status and the proposals on them, entries at the end.
		body = append(body, CompilationEntry{Row: Row{Kind: HeadingRow, Level: 1, Text: "Footnotes"}})
		body = append(body, notes...)
	}
	for _, e := range body {
		if e.Footnote != "" {
			w.noRefs = true
			w.para(paraOpts{style: wsNote}, append([]Run{bold("[^" + e.Footnote + "]: ")}, footnoteRuns(e.Row)...))
			w.noRefs = false
		} else {
			w.cleanRow(e.Row)
		}
		if e.Kind == HeadingRow {
			continue
		}
		line := "Status: " + StatusLabel(e.Status)
		if len(e.Positions) > 0 {
			line += " · Positions: " + plainPositions(e.Positions)
		}
		if len(e.Amendments) == 0 {
			line += " · No proposals."
		}
		w.para(paraOpts{style: wsNote}, []Run{{Text: line, Emphasis: Italic, Op: OpEqual}})
		for _, a := range e.Amendments {
			w.para(paraOpts{style: wsProposal}, []Run{bold(amendmentHead(a))})
			runs := []Run{plain(opText(a))}
			if len(a.Segments) > 0 {
				runs[0].Text += ": "
				runs = append(runs, proposalRuns(a.Segments)...)
			}
			w.para(paraOpts{style: wsProposal}, runs)
			if len(a.Positions) > 0 {
				w.para(paraOpts{style: wsProposal}, []Run{plain("Positions: " + plainPositions(a.Positions))})
			}
			if a.Comment != "" {
				w.para(paraOpts{style: wsProposal}, []Run{plain("Comment: " + a.Comment)})
			}
			if a.Reason != "" {
				w.para(paraOpts{style: wsProposal}, []Run{plain("Obsolete: " + a.Reason)})
			}
		}
	}
	return w.finish("Compilation of proposals: "+c.Meta.Title, c.Meta, "compilation")
}

// plainPositions lists positions by kind, in plain text.
func plainPositions(ps []PositionLine) string {
	var parts []string
	for _, k := range positionKinds {
		var ss []string
		for _, p := range ps {
			if p.Kind != k {
				continue
			}
			s := string(p.State)
			if p.Comment != "" {
				s += " (“" + strings.Join(strings.Fields(p.Comment), " ") + "”)"
			}
			if p.Stale {
				s += " (stale)"
			}
			ss = append(ss, s)
		}
		if len(ss) > 0 {
			parts = append(parts, positionKindLabel(k)+": "+strings.Join(ss, ", "))
		}
	}
	return strings.Join(parts, " · ")
}

// DOCX implements Report.
func (s *StatusReport) DOCX() ([]byte, error) {
	w := newDocx(s.Meta)
	w.meta("Status report: "+s.Meta.Title, s.Meta, "Report: status")
	w.para(paraOpts{style: wsHeading1}, []Run{plain("Summary")})
	rows := [][]string{{w.paraXML(paraOpts{}, []Run{bold("Status")}), w.paraXML(paraOpts{}, []Run{bold("Paragraphs")})}}
	for _, c := range s.Counts {
		rows = append(rows, []string{w.paraXML(paraOpts{}, []Run{plain(c.Label)}), w.paraXML(paraOpts{}, []Run{plain(fmt.Sprint(c.Count))})})
	}
	rows = append(rows, []string{w.paraXML(paraOpts{}, []Run{bold("Total")}), w.paraXML(paraOpts{}, []Run{bold(fmt.Sprint(s.Total))})})
	w.table([]int{6000, 3026}, rows)
	for _, l := range statusSummary(s) {
		w.para(paraOpts{style: wsNote}, []Run{plain(l)})
	}
	w.para(paraOpts{style: wsHeading1}, []Run{plain("Paragraphs by status")})
	for _, c := range s.Counts {
		if c.Count == 0 {
			continue
		}
		w.para(paraOpts{style: wsHeading2}, []Run{plain(fmt.Sprintf("%s (%d)", c.Label, c.Count))})
		for _, p := range s.Paragraphs {
			if p.Status != c.Status {
				continue
			}
			runs := []Run{bold(statusName(p))}
			if len(p.Reasons) > 0 {
				runs = append(runs, plain(" — "+strings.Join(p.Reasons, "; ")))
			}
			w.para(paraOpts{style: wsNote}, runs)
		}
	}
	w.para(paraOpts{style: wsHeading1}, []Run{plain("Standing objections")})
	if len(s.Objections) == 0 {
		w.para(paraOpts{style: wsNote}, []Run{plain("None.")})
	}
	for _, o := range s.Objections {
		w.para(paraOpts{style: wsNote}, []Run{plain(objectionText(o))})
	}
	w.para(paraOpts{style: wsHeading1}, []Run{plain("Open silence procedures")})
	if len(s.Silence) == 0 {
		w.para(paraOpts{style: wsNote}, []Run{plain("None.")})
	}
	for _, sp := range s.Silence {
		w.para(paraOpts{style: wsNote}, []Run{plain(silenceText(sp))})
	}
	return w.finish("Status report: "+s.Meta.Title, s.Meta, "status")
}

// docxStyles is word/styles.xml: the paragraph styles the reports use.
func docxStyles(rtl bool, lang string, lines bool) string {
	bidi := ""
	if rtl {
		bidi = "<w:bidi/>"
	}
	l := nonEmpty(lang, "en")
	para := func(id, name string, left, hanging int, extra string) string {
		return `<w:style w:type="paragraph" w:customStyle="1" w:styleId="` + id + `"><w:name w:val="` + name + `"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr>` +
			fmt.Sprintf(`<w:tabs><w:tab w:val="left" w:pos="%d"/></w:tabs>`, left) + bidi +
			fmt.Sprintf(`<w:spacing w:after="120"/><w:ind w:left="%d" w:hanging="%d"/>`, left, hanging) +
			`<w:jc w:val="both"/></w:pPr>` + extra + `</w:style>`
	}
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="SimSun" w:cs="Arial"/><w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="` + xmlAttr(l) + `" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>` + wrapPPr(bidi) + `</w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="` + wsTitle + `"><w:name w:val="Report title"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr>` + bidi + `<w:spacing w:before="240" w:after="240"/><w:jc w:val="center"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="` + wsMeta + `"><w:name w:val="Report metadata"/><w:basedOn w:val="Normal"/><w:pPr>` + bidi + `<w:spacing w:after="0"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="` + wsNote + `"><w:name w:val="Report note"/><w:basedOn w:val="Normal"/><w:pPr>` + bidi + `<w:ind w:left="567"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="` + wsProposal + `"><w:name w:val="Proposal"/><w:basedOn w:val="Normal"/><w:pPr>` + bidi + `<w:spacing w:after="0"/><w:ind w:left="1134"/></w:pPr><w:rPr><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/>` + bidi + `<w:spacing w:before="360" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:bCs/><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/>` + bidi + `<w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:bCs/><w:i/><w:iCs/></w:rPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="` + wsOption + `"><w:name w:val="Option label"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/>` + bidi + `</w:pPr><w:rPr><w:b/><w:bCs/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/><w:pPr>` + bidi + `<w:spacing w:after="0"/></w:pPr><w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
` + para(docxParaStyle(0), "Paragraph", 567, 567, "") + "\n" + para(docxParaStyle(1), "Subparagraph", 1134, 567, "") + "\n" + para(docxParaStyle(2), "Subparagraph 2", 1701, 567, "") + "\n" +
		linedStyles(lines, bidi) + `</w:styles>
`
}

// linedStyles are the styles of a text set in numbered lines (linedPara),
// when it is: for each level, a paragraph whose lines start in the
// margin (w:ind left -lineMargin), a right tab for the line number, a
// left tab for the paragraph number and one for the text, at the places
// they have without line numbers (and one further on, for a number as
// long as "17 alt."); and the line numbers' character style.
// The text is set a point smaller, so that a line of 80 characters fits
// the column at every level in the usual fonts and is never wrapped, and
// ranged left: Word stretches a justified line that ends in a break.
func linedStyles(lines bool, bidi string) string {
	if !lines {
		return ""
	}
	var b strings.Builder
	for level, name := range []string{"Paragraph, numbered lines", "Subparagraph, numbered lines", "Subparagraph 2, numbered lines"} {
		fmt.Fprintf(&b, `<w:style w:type="paragraph" w:customStyle="1" w:styleId="%s"><w:name w:val="%s"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr>`+
			`<w:tabs><w:tab w:val="right" w:pos="%d"/><w:tab w:val="left" w:pos="%d"/><w:tab w:val="left" w:pos="%d"/><w:tab w:val="left" w:pos="%d"/></w:tabs>%s`+
			`<w:spacing w:after="120"/><w:ind w:left="%d" w:hanging="0"/><w:jc w:val="left"/></w:pPr><w:rPr><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>`+"\n",
			linedParaStyle(level), name, -lineGap, level*567, (level+1)*567, (level+2)*567, bidi, -lineMargin)
	}
	b.WriteString(`<w:style w:type="character" w:customStyle="1" w:styleId="` + wsLineNumber + `"><w:name w:val="Line number"/><w:rPr><w:color w:val="666666"/><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>` + "\n")
	return b.String()
}

// lineMargin is how far into the page margin a numbered line starts
// (twips), and lineGap the space between its number and the text's
// column.
const (
	lineMargin = 680
	lineGap    = 170
)

func wrapPPr(inner string) string {
	if inner == "" {
		return ""
	}
	return "<w:pPr>" + inner + "</w:pPr>"
}

// packDocx zips the parts of a Word document. Every entry has the same
// fixed time, so the same report gives the same bytes.
func packDocx(document, title string, m Meta, kind, footnotes string, lines bool) ([]byte, error) {
	stamp := m.Date.UTC()
	if stamp.IsZero() || stamp.Year() < 1980 {
		stamp = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	created := stamp.Format(time.RFC3339)
	props := [][2]string{{"DraftroomReport", kind}, {"Symbol", m.Symbol}, {"Revision", m.Revision}, {"Date", dateText(m.Date)}, {"EventLogHead", m.LogHead}}
	if m.Against != nil {
		props = append(props, [2]string{"ComparedWith", m.Against.Symbol + " (" + m.Against.Revision + ", " + dateText(m.Against.Date) + ")"})
	}
	var custom strings.Builder
	custom.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">`)
	for i, p := range props {
		fmt.Fprintf(&custom, `<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="%d" name="%s"><vt:lpwstr>%s</vt:lpwstr></property>`, i+2, p[0], xmlText(p[1]))
	}
	custom.WriteString("</Properties>\n")
	// Footnotes, when the report has any: word/footnotes.xml with the two
	// separators Word expects, its relationship and content type.
	var fnType, fnRel, fnPr string
	if footnotes != "" {
		fnType = `<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>`
		fnRel = `<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>`
		fnPr = `<w:footnotePr><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>`
	}
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` + fnType + `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>
`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties" Target="docProps/custom.xml"/></Relationships>
`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>` + fnRel + `</Relationships>
`},
		{"word/document.xml", document},
		{"word/styles.xml", docxStyles(m.RTL(), m.Language, lines)},
		{"word/settings.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:defaultTabStop w:val="567"/>` + fnPr + `<w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>
`},
		{"docProps/core.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>` +
			xmlText(title) + `</dc:title><dc:subject>` + xmlText(m.Symbol+" "+m.Revision) + `</dc:subject><dc:creator>draftroom</dc:creator><cp:keywords>` + xmlText(kind) +
			`</cp:keywords><dc:description>` + xmlText("Built from event log head "+m.logHeadText()) + `</dc:description><dc:language>` + xmlText(nonEmpty(m.Language, "en")) +
			`</dc:language><dcterms:created xsi:type="dcterms:W3CDTF">` + created + `</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">` + created + `</dcterms:modified></cp:coreProperties>
`},
		{"docProps/custom.xml", custom.String()},
	}
	if footnotes != "" {
		parts = append(parts, struct{ name, body string }{"word/footnotes.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
` + footnotes + "</w:footnotes>\n"})
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	// Fast compression: a report is written on request, often, and the
	// text compresses well at any level.
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestSpeed) })
	for _, p := range parts {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return nil, fmt.Errorf("docx %s: %w", p.name, err)
		}
		if _, err := f.Write([]byte(p.body)); err != nil {
			return nil, fmt.Errorf("docx %s: %w", p.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	return buf.Bytes(), nil
}

// wsLineNumber is the character style of a line number: a label of the
// report, not text, like the paragraph styles starting with "DR".
const wsLineNumber = "DRLineNumber"

// linedParaStyle is the paragraph style of a paragraph of the text at a
// level set in numbered lines.
func linedParaStyle(level int) string { return fmt.Sprintf("%sLines%d", wsPara, min(level, 2)) }

// linedPara writes a paragraph of the text in its fixed lines
// (splitLines): each line after the first begins with a line break
// (w:br), and each line with its number in the margin, a run of the
// DRLineNumber style ("\tN\t", the tabs of linedParaStyle setting the
// number right-aligned in the margin and the text at its column). Word's
// own line numbering (w:lnNumType) counts the lines of its layout; these
// are ours, the ones the room and the HTML show, so "paragraph 12, line 3"
// cites the same words everywhere. A line too long for the page (80
// characters of a script written without spaces) wraps unnumbered. The
// number runs stand outside tracked changes; a reader of the text skips
// them and the breaks, which are presentation (as it skips the labels).
// lead is the paragraph number, tail what follows the text (a note).
func (w *docxWriter) linedPara(o paraOpts, lead, text, tail []Run) {
	w.b.WriteString(w.paraXMLOf(o, func() string {
		var b strings.Builder
		for k, line := range splitLines(text) {
			tabs := "<w:tab/>"
			if k > 0 {
				b.WriteString("<w:r><w:br/></w:r>")
			}
			if k > 0 || len(lead) == 0 {
				tabs += "<w:tab/>" // past the paragraph number's stop
			}
			b.WriteString(w.lineNumberRun(k+1, tabs))
			if k == 0 {
				b.WriteString(w.runsXML(o, lead))
			}
			b.WriteString(w.runsXML(o, line))
		}
		b.WriteString(w.runsXML(o, tail))
		return b.String()
	}))
}

// lineNumberRun is the number of a line, in the margin: a tab to the
// number's stop, the number, and tabs to where the text goes.
func (w *docxWriter) lineNumberRun(n int, tabs string) string {
	rtl := ""
	if w.rtl {
		rtl = "<w:rtl/>"
	}
	return fmt.Sprintf(`<w:r><w:rPr><w:rStyle w:val="%s"/>%s</w:rPr><w:tab/><w:t>%d</w:t>%s</w:r>`, wsLineNumber, rtl, n, tabs)
}
