package export

import (
	"fmt"
	"strings"

	"github.com/draftroom/draftroom/engine"
)

// pageCSS is the style sheet every HTML report carries, so that a page
// saved to disk or mailed looks the same. Logical properties (margin-inline-
// start) make it work right to left as well.
const pageCSS = `body{font-family:"Times New Roman",Times,serif;max-width:48em;margin:2em auto;padding:0 1em;line-height:1.4}
header.meta{border-bottom:1px solid #999;margin-bottom:1.5em}
header.meta .symbol{text-align:end;font-weight:bold}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.1em 1em;font-size:.9em}
dl.meta dt{font-weight:bold}dl.meta dd{margin:0}
p.para .num{display:inline-block;min-width:2.5em}p.para .num del{margin-inline-end:.3em}
p.level-1{margin-inline-start:2.5em}p.level-2{margin-inline-start:5em}
p.option{font-weight:bold}
.bracket{background:#fff4c2}.bracket .bracket{background:#ffe68a}
.bracket.alternative{outline:1px dotted #b08800}
.bk{color:#8a6d00;font-weight:bold}
.restyled{border-bottom:1px dotted #004f9f}
del{color:#a00;text-decoration:line-through}
ins{color:#004f9f;text-decoration:underline}
body.style-strike-bold ins{text-decoration:none;font-weight:bold}
.note{font-style:italic;color:#555;font-size:.85em;margin-inline-start:.4em}.note::before{content:"("}.note::after{content:")"}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #bbb;padding:.3em;vertical-align:top;text-align:start}
td.heading{font-weight:bold;background:#f3f3f3}
.stale{color:#777}.stale::after{content:"*"}
article.entry{border-top:1px solid #ddd;padding-top:.5em}
p.entry-meta{font-size:.9em;color:#333}
sup.fn-ref{line-height:0;font-size:.75em}sup.fn-ref a{text-decoration:none}
section.footnotes{border-top:1px solid #999;margin-top:2em;font-size:.9em}
p.footnote .fn-back{display:inline-block;min-width:2.5em;text-decoration:none;vertical-align:super;font-size:.8em}
`

// htmlPage writes a standalone HTML page around body, linking the
// footnote references in it to the footnotes of fns.
func htmlPage(kind, title string, m Meta, bodyClass string, extra []string, body string, fns *footnoteIndex) []byte {
	body = linkFootnotes(body, fns)
	var b strings.Builder
	lang := nonEmpty(m.Language, "en")
	dir := "ltr"
	if m.RTL() {
		dir = "rtl"
	}
	b.WriteString("<!DOCTYPE html>\n<html lang=\"" + escapeHTML(lang) + "\" dir=\"" + dir + "\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<title>" + escapeHTML(nonEmpty(m.Symbol, title)+" — "+title) + "</title>\n")
	b.WriteString("<meta name=\"generator\" content=\"draftroom\">\n")
	for _, kv := range [][2]string{{"report", kind}, {"symbol", m.Symbol}, {"revision", m.Revision}, {"date", dateText(m.Date)}, {"log-head", m.LogHead}} {
		b.WriteString("<meta name=\"draftroom:" + kv[0] + "\" content=\"" + escapeHTML(kv[1]) + "\">\n")
	}
	if m.Against != nil {
		b.WriteString("<meta name=\"draftroom:against\" content=\"" + escapeHTML(m.Against.Symbol+" ("+m.Against.Revision+", "+dateText(m.Against.Date)+")") + "\">\n")
	}
	b.WriteString("<style>\n" + pageCSS + "</style>\n</head>\n")
	b.WriteString("<body class=\"report-" + kind + " " + bodyClass + "\">\n<header class=\"meta\">\n")
	b.WriteString("<p class=\"symbol\">" + escapeHTML(m.Symbol) + "</p>\n<h1>" + inlineHTML(mdText(title, inlineOpts{})) + "</h1>\n<dl class=\"meta\">\n")
	dd := func(k, v string) { b.WriteString("<dt>" + escapeHTML(k) + "</dt><dd>" + v + "</dd>\n") }
	dd("Symbol", escapeHTML(nonEmpty(m.Symbol, "—")))
	dd("Revision", escapeHTML(nonEmpty(m.Revision, "—")))
	dd("Date", "<time datetime=\""+dateText(m.Date)+"\">"+dayText(m.Date)+"</time>")
	if m.Against != nil {
		dd("Compared with", escapeHTML(nonEmpty(m.Against.Symbol, "—")+" ("+nonEmpty(m.Against.Revision, "—")+", "+dayText(m.Against.Date)+")"))
	}
	if m.LogHead == "" {
		dd("Event log head", escapeHTML(m.logHeadText()))
	} else {
		dd("Event log head", "<code>"+escapeHTML(m.LogHead)+"</code>")
	}
	for _, e := range extra {
		k, v, _ := strings.Cut(e, ": ")
		dd(k, escapeHTML(v))
	}
	b.WriteString("</dl>\n")
	if m.Statement != "" {
		b.WriteString("<p class=\"statement\"><strong>" + escapeHTML(m.Statement) + "</strong></p>\n")
	}
	b.WriteString("</header>\n<main>\n" + body + "</main>\n</body>\n</html>\n")
	return []byte(b.String())
}

// idSet hands out unique HTML ids.
type idSet map[string]int

func (s idSet) id(base string) string {
	if base == "" {
		return ""
	}
	n := s[base]
	s[base] = n + 1
	if n == 0 {
		return base
	}
	return fmt.Sprintf("%s-%d", base, n+1)
}

func htmlNum(number string, level int) string {
	if l := numberLabel(number, level); l != "" {
		return "<span class=\"num\">" + escapeHTML(l) + "</span> "
	}
	return ""
}

// HTML implements Report.
func (c *CleanText) HTML() []byte {
	var b strings.Builder
	b.WriteString(translationStyle(c.Rows))
	if c.Lines {
		b.WriteString(linesStyle)
	}
	ids := idSet{}
	for _, r := range c.Rows {
		if r.Footnote == "" {
			htmlCleanRowLines(&b, r, ids, "", c.Lines)
		}
	}
	htmlFootnotes(&b, c.Rows)
	kind := "Clean text"
	if c.Final {
		kind = "Final text"
	}
	return htmlPage("clean", c.Meta.Title, c.Meta, "", []string{"Report: " + kind}, b.String(), indexFootnotes(c.Rows))
}

func htmlCleanRow(b *strings.Builder, r Row, ids idSet, extraClass string) {
	htmlCleanRowLines(b, r, ids, extraClass, false)
}

// htmlCleanRowLines writes a row of a clean text, its lines numbered when
// lines is set.
func htmlCleanRowLines(b *strings.Builder, r Row, ids idSet, extraClass string, lines bool) {
	if r.Kind == HeadingRow {
		tag := fmt.Sprintf("h%d", min(r.Level+1, 6))
		fmt.Fprintf(b, "<%s id=\"%s\">%s</%s>\n", tag, escapeHTML(ids.id(r.EID)), inlineHTML(mdText(r.Text, inlineOpts{})), tag)
		return
	}
	if r.OptionStart {
		fmt.Fprintf(b, "<p class=\"option level-%d\">%s:</p>\n", r.Level, inlineHTML(mdText(r.Option, inlineOpts{})))
	}
	o := inlineOpts{notes: bracketNotes(r.Brackets)}
	text := mdText(r.Text, o)
	class := fmt.Sprintf("para level-%d", r.Level)
	inner := inlineHTML(text)
	if lines {
		inner = `<span class="lines">` + numberLines(inner) + `</span>`
	}
	if r.Deleted {
		// Struck through, not deleted: the paragraph is still text.
		inner = "<s>" + inner + "</s> <span class=\"note\">struck through: deletion pending agreement</span>"
		class += " struck"
	}
	if _, ok := isDefRow(r); ok {
		inner = unlinkFootnotes(inner)
	}
	if n := translationNote(r.Translation); n != "" {
		inner += " <span class=\"note\">" + escapeHTML(n) + "</span>"
		class += " " + translationClass(r.Translation)
	}
	fmt.Fprintf(b, "<p class=\"%s%s\" id=\"%s\" data-status=\"%s\">%s%s</p>\n", class, extraClass, escapeHTML(ids.id(r.EID)),
		escapeHTML(string(r.Status)), htmlNum(r.Number, r.Level), inner)
}

// HTML implements Report.
func (c *Compare) HTML() []byte {
	var b strings.Builder
	ids := idSet{}
	if c.Style == Columns {
		old, new := "Original", "Amended"
		if c.Meta.Against != nil {
			old += " (" + nonEmpty(c.Meta.Against.Revision, c.Meta.Against.Symbol) + ")"
		}
		new += " (" + nonEmpty(c.Meta.Revision, c.Meta.Symbol) + ")"
		b.WriteString("<table class=\"compare-columns\">\n<thead><tr><th>" + escapeHTML(old) + "</th><th>" + escapeHTML(new) + "</th></tr></thead>\n<tbody>\n")
		for _, r := range c.Rows {
			if r.Footnote != "" {
				continue
			}
			l, rt := columnHTML(r)
			td := "<td>"
			if r.Kind == HeadingRow {
				td = `<td class="heading">`
			}
			fmt.Fprintf(&b, "<tr id=\"%s\" data-change=\"%s\">%s%s</td>%s%s</td></tr>\n", escapeHTML(ids.id(rowID(r))), r.Change,
				td, l, td, rt)
		}
		b.WriteString("</tbody>\n</table>\n")
	} else {
		if c.Lines {
			b.WriteString(linesStyle)
		}
		for _, r := range c.Rows {
			if r.Footnote == "" {
				htmlCompareRow(&b, r, ids, c.Lines)
			}
		}
	}
	htmlFootnotes(&b, c.Rows)
	return htmlPage("compare", "Compare: "+c.Meta.Title, c.Meta, "style-"+string(c.Style),
		[]string{"Report: compare", styleLegend(c.Style), countsText(c.Counts)}, b.String(), indexFootnotes(c.Rows))
}

// columnHTML renders a compare row as the two cells of the columns
// style: the earlier text with its deletions, the later with its
// insertions.
func columnHTML(r Row) (string, string) {
	nums, text := numberRuns(r), r.Runs
	var left, right string
	if r.Change != Added {
		left = htmlNumberRuns(sideRuns(nums, OpInsert)) + htmlRuns(sideRuns(text, OpInsert), true)
	}
	if r.Change != Deleted && r.Change != MovedAway {
		right = htmlNumberRuns(sideRuns(nums, OpDelete)) + htmlRuns(sideRuns(text, OpDelete), true)
	}
	if r.Note != "" {
		note := "<span class=\"note\">" + escapeHTML(r.Note) + "</span>"
		if r.Change == Deleted || r.Change == MovedAway {
			left += note
		} else {
			right += note
		}
	}
	return left, right
}

// rowID is the HTML id of a compare row: its eId, or for the old place of
// a deleted or moved paragraph its old eId marked as such.
func rowID(r Row) string {
	switch r.Change {
	case Deleted:
		return r.OldEID + "-deleted"
	case MovedAway:
		return r.OldEID + "-moved-from"
	}
	return r.EID
}

func htmlCompareRow(b *strings.Builder, r Row, ids idSet, lines bool) {
	note := ""
	if r.Note != "" {
		note = "<span class=\"note\">" + escapeHTML(r.Note) + "</span>"
	}
	id := escapeHTML(ids.id(rowID(r)))
	if r.Kind == HeadingRow {
		tag := fmt.Sprintf("h%d", min(r.Level+1, 6))
		fmt.Fprintf(b, "<%s id=\"%s\" data-change=\"%s\">%s%s</%s>\n", tag, id, r.Change, htmlRuns(r.Runs, true), note, tag)
		return
	}
	if r.OptionStart && r.Change != Deleted && r.Change != MovedAway {
		fmt.Fprintf(b, "<p class=\"option level-%d\">%s:</p>\n", r.Level, inlineHTML(mdText(r.Option, inlineOpts{})))
	}
	text := htmlRuns(r.Runs, true)
	if lines && r.Change != Deleted && r.Change != MovedAway {
		// The later text's lines; a deleted or moved-away paragraph is no
		// line of it.
		text = `<span class="lines">` + numberLinesOf(text, true) + `</span>`
	}
	inner := htmlNumberRuns(numberRuns(r)) + text
	class := ""
	if r.Deleted {
		// Struck through pending agreement: still text, so <s>, not <del>.
		inner, class = "<s>"+inner+"</s>", " struck"
	}
	switch r.ParagraphMark {
	case OpInsert:
		inner += `<ins class="para-mark" title="paragraph break inserted">` + pilcrow + `</ins>`
	case OpDelete:
		inner += `<del class="para-mark" title="paragraph break deleted">` + pilcrow + `</del>`
	}
	if _, ok := isDefRow(r); ok {
		inner = unlinkFootnotes(inner)
	}
	fmt.Fprintf(b, "<p class=\"para level-%d change-%s%s\" id=\"%s\" data-change=\"%s\">%s%s</p>\n", r.Level, r.Change, class, id, r.Change, inner, note)
}

// htmlNumberRuns writes a row's number runs, and the space after them.
func htmlNumberRuns(nums []Run) string {
	if len(nums) == 0 {
		return ""
	}
	nums, sep := withSeparator(nums, " ")
	return "<span class=\"num\">" + htmlRuns(nums, false) + "</span>" + sep
}

// HTML implements Report.
func (c *Compilation) HTML() []byte {
	var b strings.Builder
	rows := make([]Row, len(c.Entries))
	for i, e := range c.Entries {
		rows[i] = e.Row
	}
	b.WriteString(translationStyle(rows))
	if c.Lines {
		b.WriteString(linesStyle)
	}
	ids := idSet{}
	var notes []CompilationEntry
	for _, e := range c.Entries {
		if e.Footnote != "" {
			notes = append(notes, e)
		}
	}
	entry := func(e CompilationEntry) {
		if e.Kind == HeadingRow {
			htmlCleanRow(&b, e.Row, ids, "")
			return
		}
		b.WriteString("<article class=\"entry\">\n")
		if e.Footnote != "" {
			b.WriteString(htmlFootnote(e.Row, ""))
		} else {
			htmlCleanRowLines(&b, e.Row, ids, "", c.Lines)
		}
		meta := "Status: " + escapeHTML(StatusLabel(e.Status))
		if len(e.Positions) > 0 {
			meta += " · Positions on the paragraph: " + htmlPositions(e.Positions)
		}
		if len(e.Amendments) == 0 {
			meta += " · No proposals."
		}
		b.WriteString("<p class=\"entry-meta\">" + meta + "</p>\n")
		if len(e.Amendments) > 0 {
			b.WriteString("<table class=\"amendments\">\n<thead><tr><th>Amendment</th><th>Proposer</th><th>Co-sponsors</th><th>Proposal</th><th>Support</th><th>Oppose</th><th>Other positions</th><th>Status</th></tr></thead>\n<tbody>\n")
			for _, a := range e.Amendments {
				htmlAmendmentRow(&b, a)
			}
			b.WriteString("</tbody>\n</table>\n")
		}
		b.WriteString("</article>\n")
	}
	for _, e := range c.Entries {
		if e.Footnote == "" {
			entry(e)
		}
	}
	if len(notes) > 0 {
		// The footnotes, each with its status and the proposals on it.
		b.WriteString("<section class=\"footnotes\" aria-label=\"Footnotes\">\n<h2 id=\"footnotes\">Footnotes</h2>\n")
		for _, e := range notes {
			entry(e)
		}
		b.WriteString("</section>\n")
	}
	return htmlPage("compilation", "Compilation of proposals: "+c.Meta.Title, c.Meta, "", []string{"Report: compilation of proposals", compilationCountsText(c.Counts)}, b.String(), indexFootnotes(rows))
}

func htmlAmendmentRow(b *strings.Builder, a AmendmentLine) {
	id := string(a.ID)
	if a.Parent != "" {
		id += " (amends " + string(a.Parent) + ")"
	}
	proposal := escapeHTML(opText(a))
	if len(a.Segments) > 0 {
		proposal += ": " + htmlRuns(proposalRuns(a.Segments), false)
	}
	if a.Comment != "" {
		proposal += "<br><span class=\"note\">" + escapeHTML(a.Comment) + "</span>"
	}
	var support, oppose, other []PositionLine
	for _, p := range a.Positions {
		switch p.Kind {
		case engine.Support:
			support = append(support, p)
		case engine.Oppose:
			oppose = append(oppose, p)
		default:
			other = append(other, p)
		}
	}
	status := escapeHTML(amendmentStatusLabel(a.Status))
	if !a.Decided.IsZero() {
		status += " (" + dayText(a.Decided) + ")"
	}
	if a.Reason != "" {
		status += "<br><span class=\"note\">" + escapeHTML(a.Reason) + "</span>"
	}
	fmt.Fprintf(b, "<tr id=\"amendment-%s\" data-status=\"%s\"><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
		escapeHTML(string(a.ID)), escapeHTML(string(a.Status)), escapeHTML(id), escapeHTML(string(a.Proposer)+" ("+dayText(a.Proposed)+")"),
		escapeHTML(statesText(a.CoSponsors)), proposal, htmlStates(support), htmlStates(oppose), htmlPositions(other), status)
}

// htmlStates lists the States of positions, the stale ones marked.
func htmlStates(ps []PositionLine) string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = htmlState(p)
	}
	return strings.Join(out, ", ")
}

func htmlState(p PositionLine) string {
	s := escapeHTML(string(p.State))
	title := ""
	if p.Comment != "" {
		title = p.Comment
	}
	if p.Stale {
		title = strings.TrimSpace("Stale: given on an earlier text. " + title)
		return "<span class=\"stale\" title=\"" + escapeHTML(title) + "\">" + s + "</span>"
	}
	if title != "" {
		return "<span title=\"" + escapeHTML(title) + "\">" + s + "</span>"
	}
	return s
}

// htmlPositions lists positions by kind.
func htmlPositions(ps []PositionLine) string {
	var parts []string
	for _, k := range positionKinds {
		var ss []string
		for _, p := range ps {
			if p.Kind == k {
				ss = append(ss, htmlState(p))
			}
		}
		if len(ss) > 0 {
			parts = append(parts, escapeHTML(positionKindLabel(k))+": "+strings.Join(ss, ", "))
		}
	}
	return strings.Join(parts, " · ")
}

// HTML implements Report.
func (s *StatusReport) HTML() []byte {
	var b strings.Builder
	b.WriteString("<h2 id=\"summary\">Summary</h2>\n<table class=\"counts\">\n<thead><tr><th>Status</th><th>Paragraphs</th></tr></thead>\n<tbody>\n")
	for _, c := range s.Counts {
		fmt.Fprintf(&b, "<tr data-status=\"%s\"><td>%s</td><td>%d</td></tr>\n", escapeHTML(string(c.Status)), escapeHTML(c.Label), c.Count)
	}
	fmt.Fprintf(&b, "<tr><th>Total</th><th>%d</th></tr>\n</tbody>\n</table>\n<ul class=\"open\">\n", s.Total)
	for _, l := range statusSummary(s) {
		b.WriteString("<li>" + escapeHTML(l) + "</li>\n")
	}
	b.WriteString("</ul>\n<h2 id=\"by-status\">Paragraphs by status</h2>\n")
	for _, c := range s.Counts {
		if c.Count == 0 {
			continue
		}
		fmt.Fprintf(&b, "<h3 id=\"status-%s\">%s (%d)</h3>\n<ul>\n", escapeHTML(string(c.Status)), escapeHTML(c.Label), c.Count)
		for _, p := range s.Paragraphs {
			if p.Status != c.Status {
				continue
			}
			b.WriteString("<li data-para=\"" + escapeHTML(string(p.ID)) + "\"><strong>" + escapeHTML(statusName(p)) + "</strong>")
			if len(p.Reasons) > 0 {
				b.WriteString(" — " + escapeHTML(strings.Join(p.Reasons, "; ")))
			}
			b.WriteString("</li>\n")
		}
		b.WriteString("</ul>\n")
	}
	b.WriteString("<h2 id=\"objections\">Standing objections</h2>\n")
	htmlList(&b, len(s.Objections), func(i int) string { return objectionText(s.Objections[i]) })
	b.WriteString("<h2 id=\"silence\">Open silence procedures</h2>\n")
	htmlList(&b, len(s.Silence), func(i int) string { return silenceText(s.Silence[i]) })
	return htmlPage("status", "Status report: "+s.Meta.Title, s.Meta, "", []string{"Report: status"}, b.String(), nil)
}

func htmlList(b *strings.Builder, n int, item func(int) string) {
	if n == 0 {
		b.WriteString("<p>None.</p>\n")
		return
	}
	b.WriteString("<ul>\n")
	for i := 0; i < n; i++ {
		b.WriteString("<li>" + escapeHTML(item(i)) + "</li>\n")
	}
	b.WriteString("</ul>\n")
}
