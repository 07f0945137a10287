package export

import (
	"fmt"
	"strings"

	"github.com/draftroom/draftroom/engine"
)

// indentUnit is how a subparagraph is indented in Markdown: no-break
// spaces, which CommonMark keeps as text (four plain spaces would start a
// code block).
const indentUnit = "\u00a0\u00a0\u00a0\u00a0"

// mdMeta writes the title and the metadata list every Markdown report
// starts with.
func mdMeta(b *strings.Builder, title string, m Meta, extra ...string) {
	b.WriteString("# " + mdText(title, inlineOpts{}) + "\n\n")
	b.WriteString("- Symbol: " + mdText(nonEmpty(m.Symbol, "—"), inlineOpts{}) + "\n")
	b.WriteString("- Revision: " + mdText(nonEmpty(m.Revision, "—"), inlineOpts{}) + "\n")
	b.WriteString("- Date: " + dayText(m.Date) + "\n")
	if m.Against != nil {
		b.WriteString("- Compared with: " + mdText(nonEmpty(m.Against.Symbol, "—"), inlineOpts{}) + " (" +
			mdText(nonEmpty(m.Against.Revision, "—"), inlineOpts{}) + ", " + dayText(m.Against.Date) + ")\n")
	}
	if m.LogHead == "" {
		b.WriteString("- Event log head: " + m.logHeadText() + "\n")
	} else {
		b.WriteString("- Event log head: `" + strings.ReplaceAll(m.LogHead, "`", "") + "`\n")
	}
	for _, e := range extra {
		b.WriteString("- " + e + "\n")
	}
	b.WriteString("\n")
	if m.Statement != "" {
		b.WriteString("**" + mdText(m.Statement, inlineOpts{}) + "**\n\n")
	}
}

// mdNumber writes a paragraph's number at the start of its line, escaped
// so that "12." is not read as a list item.
func mdNumber(number string, level int) string {
	label := numberLabel(number, level)
	if label == "" {
		return ""
	}
	if n := blockMarker(label + " "); n >= 0 {
		label = label[:n] + `\` + label[n:]
	}
	return label + " "
}

// Markdown implements Report.
func (c *CleanText) Markdown() []byte {
	var b strings.Builder
	kind := "Clean text"
	if c.Final {
		kind = "Final text"
	}
	mdMeta(&b, c.Meta.Title, c.Meta, "Report: "+kind)
	for _, r := range c.Rows {
		mdCleanRow(&b, r)
	}
	return []byte(b.String())
}

func mdCleanRow(b *strings.Builder, r Row) {
	if r.Kind == HeadingRow {
		b.WriteString(strings.Repeat("#", r.Level+1) + " " + mdText(r.Text, inlineOpts{}) + "\n\n")
		return
	}
	indent := strings.Repeat(indentUnit, r.Level)
	if r.OptionStart {
		b.WriteString(indent + "**" + mdText(r.Option, inlineOpts{}) + ":**\n\n")
	}
	o := inlineOpts{notes: bracketNotes(r.Brackets), lineStart: r.Number == ""}
	text := mdText(r.Text, o)
	if r.Deleted {
		// Struck through, not deleted: the paragraph is still text.
		text += " {>>struck through: deletion pending agreement<<}"
	}
	if n := translationNote(r.Translation); n != "" {
		text += " {>>" + n + "<<}"
	}
	b.WriteString(indent + mdNumber(r.Number, r.Level) + text + "\n\n")
}

// styleLegend explains a house style in words.
func styleLegend(s Style) string {
	switch s {
	case StrikeBold:
		return "House style: strike/bold — deleted text struck through, inserted text in bold"
	case Columns:
		return "House style: two columns — original | amended"
	}
	return "House style: strike/underline — deleted text struck through, inserted text underlined"
}

func countsText(c CompareCounts) string {
	structure := ""
	for _, x := range []struct {
		n    int
		what string
	}{{c.Renumbered, "renumbered"}, {c.Split, "split"}, {c.Merged, "merged"}, {c.Restructured, "rewritten as a block"}} {
		if x.n > 0 {
			structure += fmt.Sprintf(", %d %s", x.n, x.what)
		}
	}
	return fmt.Sprintf("Changes: %s changed, %d added, %d deleted, %d moved%s, %d unchanged; %s inserted, %d deleted",
		engine.Plural(c.Changed, "paragraph"), c.Added, c.Deleted, c.Moved, structure, c.Unchanged, engine.Plural(c.WordsInserted, "word"), c.WordsDeleted)
}

// Markdown implements Report. Deleted text is written {--like this--} and
// inserted text {++like this++}, each followed by a note naming the
// amendment that brought it when known; the house style decides how HTML
// and Word show them. The two-column style is a table.
func (c *Compare) Markdown() []byte {
	var b strings.Builder
	mdMeta(&b, "Compare: "+c.Meta.Title, c.Meta, "Report: compare", styleLegend(c.Style), countsText(c.Counts))
	if c.Style == Columns {
		old, new := "Original", "Amended"
		if c.Meta.Against != nil {
			old += " (" + mdText(nonEmpty(c.Meta.Against.Revision, c.Meta.Against.Symbol), inlineOpts{table: true}) + ")"
		}
		new += " (" + mdText(nonEmpty(c.Meta.Revision, c.Meta.Symbol), inlineOpts{table: true}) + ")"
		b.WriteString("| " + old + " | " + new + " |\n|---|---|\n")
		for _, r := range c.Rows {
			l, rt := columnCells(r)
			b.WriteString("| " + l + " | " + rt + " |\n")
		}
		return []byte(b.String())
	}
	for _, r := range c.Rows {
		mdCompareRow(&b, r)
	}
	return []byte(b.String())
}

// columnCells renders a compare row as the two cells of the columns style:
// the earlier text with its deletions, the later with its insertions.
func columnCells(r Row) (string, string) {
	o := inlineOpts{table: true, authors: true}
	wrap := func(s string) string {
		if r.Kind == HeadingRow && s != "" {
			return "**" + s + "**"
		}
		return s
	}
	nums, text := numberRuns(r), r.Runs
	var left, right string
	if r.Change != Added {
		left = mdNumberRuns(sideRuns(nums, OpInsert), o) + mdRuns(sideRuns(text, OpInsert), o)
	}
	if r.Change != Deleted && r.Change != MovedAway {
		right = mdNumberRuns(sideRuns(nums, OpDelete), o) + mdRuns(sideRuns(text, OpDelete), o)
	}
	if r.Note != "" {
		note := "{>>" + noteText(r.Note) + "<<}"
		if r.Change == Deleted || r.Change == MovedAway {
			left += note
		} else {
			right += note
		}
	}
	return wrap(left), wrap(right)
}

// mdNumberRuns writes a row's number runs and the space after them. A
// number kept as it was is escaped so it does not start a Markdown list.
func mdNumberRuns(nums []Run, o inlineOpts) string {
	if len(nums) == 0 {
		return ""
	}
	if len(nums) == 1 && nums[0].Op == OpEqual {
		n := nums[0].Text
		if k := blockMarker(n + " "); k >= 0 {
			n = n[:k] + `\` + n[k:]
		}
		return n + " "
	}
	nums, sep := withSeparator(nums, " ")
	return mdRuns(nums, inlineOpts{table: o.table, authors: false}) + sep
}

// numberPrefix is a paragraph's number as it opens the paragraph.
func numberPrefix(number string, level int) string {
	if l := numberLabel(number, level); l != "" {
		return l + " "
	}
	return ""
}

func mdCompareRow(b *strings.Builder, r Row) {
	o := inlineOpts{authors: true}
	note := ""
	if r.Note != "" {
		note = "{>>" + noteText(r.Note) + "<<}"
	}
	if r.Kind == HeadingRow {
		b.WriteString(strings.Repeat("#", r.Level+1) + " " + mdRuns(r.Runs, o) + note + "\n\n")
		return
	}
	indent := strings.Repeat(indentUnit, r.Level)
	if r.OptionStart && r.Change != Deleted && r.Change != MovedAway {
		b.WriteString(indent + "**" + mdText(r.Option, inlineOpts{}) + ":**\n\n")
	}
	nums := mdNumberRuns(numberRuns(r), o)
	o.lineStart = nums == ""
	line := nums + mdRuns(r.Runs, o)
	switch r.ParagraphMark {
	case OpInsert:
		line += "{++" + pilcrow + "++}"
	case OpDelete:
		line += "{--" + pilcrow + "--}"
	}
	b.WriteString(indent + line + note + "\n\n")
}

// Markdown implements Report.
func (c *Compilation) Markdown() []byte {
	var b strings.Builder
	mdMeta(&b, "Compilation of proposals: "+c.Meta.Title, c.Meta, "Report: compilation of proposals",
		compilationCountsText(c.Counts))
	for _, e := range c.Entries {
		if e.Kind == HeadingRow {
			mdCleanRow(&b, e.Row)
			continue
		}
		mdCleanRow(&b, e.Row)
		meta := "*Status:* " + StatusLabel(e.Status)
		if len(e.Positions) > 0 {
			meta += " · *Positions:* " + positionsText(e.Positions)
		}
		if len(e.Amendments) == 0 {
			meta += " · *No proposals.*"
		}
		b.WriteString(strings.Repeat(indentUnit, e.Level) + meta + "\n\n")
		for _, a := range e.Amendments {
			mdAmendment(&b, a)
		}
		if len(e.Amendments) > 0 {
			b.WriteString("\n")
		}
	}
	return []byte(b.String())
}

func compilationCountsText(c CompilationCounts) string {
	var parts []string
	for _, st := range amendmentStatuses {
		if n := c.ByStatus[st]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, amendmentStatusLabel(st)))
		}
	}
	s := fmt.Sprintf("Proposals: %s on %s", engine.Plural(c.Amendments, "amendment"), engine.Plural(c.Paragraphs, "paragraph"))
	if len(parts) > 0 {
		s += " (" + strings.Join(parts, ", ") + ")"
	}
	return s + fmt.Sprintf("; %s, %d stale", engine.Plural(c.Positions, "position"), c.Stale)
}

var amendmentStatuses = []engine.AmendmentStatus{engine.Proposed, engine.Accepted, engine.AcceptedAsModified, engine.InBrackets,
	engine.Merged, engine.Withdrawn, engine.Rejected, engine.Obsolete}

// amendmentStatusLabel names an amendment status in words.
func amendmentStatusLabel(s engine.AmendmentStatus) string {
	switch s {
	case engine.Proposed:
		return "pending"
	case engine.Accepted:
		return "accepted"
	case engine.AcceptedAsModified:
		return "accepted as modified"
	case engine.InBrackets:
		return "incorporated in brackets"
	case engine.Merged:
		return "merged into a compromise"
	case engine.Withdrawn:
		return "withdrawn"
	case engine.Rejected:
		return "rejected"
	case engine.Obsolete:
		return "obsolete"
	}
	return string(s)
}

// opText says what an amendment does, in words.
func opText(a AmendmentLine) string {
	if a.Cite != "" {
		return opName(a) + " (" + a.Cite + ")"
	}
	return opName(a)
}

// opName names what an amendment does.
func opName(a AmendmentLine) string {
	switch a.Op {
	case engine.OpInsert:
		return "Insert"
	case engine.OpDelete:
		return "Delete"
	case engine.OpReplace:
		return "Replace"
	case engine.OpAddParagraph:
		return "New paragraph after " + a.After
	case engine.OpDeleteParagraph:
		return "Delete the paragraph"
	case engine.OpMoveParagraph:
		return "Move the paragraph after " + a.After
	case engine.OpReplaceParagraph:
		return "Replace the paragraph"
	}
	return string(a.Op)
}

var positionKinds = []engine.PositionKind{engine.Support, engine.Oppose, engine.Reservation, engine.Flexible, engine.Dissociation}

func positionKindLabel(k engine.PositionKind) string {
	switch k {
	case engine.Support:
		return "support"
	case engine.Oppose:
		return "oppose"
	case engine.Reservation:
		return "reservation"
	case engine.Flexible:
		return "can live with"
	case engine.Dissociation:
		return "dissociation"
	}
	return string(k)
}

// positionsText lists positions by kind: "support: BRA, IND · oppose: USA
// (stale)".
func positionsText(ps []PositionLine) string {
	var parts []string
	for _, k := range positionKinds {
		var ss []string
		for _, p := range ps {
			if p.Kind != k {
				continue
			}
			s := string(p.State)
			if p.Comment != "" {
				s += " (“" + mdText(strings.Join(strings.Fields(p.Comment), " "), inlineOpts{}) + "”)"
			}
			if p.Stale {
				s += " *(stale)*"
			}
			ss = append(ss, s)
		}
		if len(ss) > 0 {
			parts = append(parts, positionKindLabel(k)+": "+strings.Join(ss, ", "))
		}
	}
	return strings.Join(parts, " · ")
}

// amendmentHead is the first line of an amendment in a compilation:
// identity, proposer, co-sponsors, dates and status.
func amendmentHead(a AmendmentLine) string {
	s := string(a.ID) + " by " + string(a.Proposer)
	if len(a.CoSponsors) > 0 {
		s += ", co-sponsored by " + statesText(a.CoSponsors)
	}
	s += " (" + dayText(a.Proposed) + ")"
	if a.Parent != "" {
		s += ", amending " + string(a.Parent)
	}
	s += " — " + amendmentStatusLabel(a.Status)
	if !a.Decided.IsZero() {
		s += " (" + dayText(a.Decided) + ")"
	}
	return s
}

func mdAmendment(b *strings.Builder, a AmendmentLine) {
	pad := "- "
	if a.Parent != "" {
		pad = "    - "
	}
	cont := strings.Repeat(" ", len(pad))
	b.WriteString(pad + "**" + mdText(amendmentHead(a), inlineOpts{}) + "**  \n")
	line := opText(a)
	if len(a.Segments) > 0 {
		line += ": " + mdRuns(proposalRuns(a.Segments), inlineOpts{})
	}
	b.WriteString(cont + line)
	if len(a.Positions) > 0 {
		b.WriteString("  \n" + cont + "Positions: " + positionsText(a.Positions))
	}
	if a.Comment != "" {
		b.WriteString("  \n" + cont + "Comment: " + mdText(strings.Join(strings.Fields(a.Comment), " "), inlineOpts{}))
	}
	if a.Reason != "" {
		b.WriteString("  \n" + cont + "Obsolete: " + mdText(a.Reason, inlineOpts{}))
	}
	b.WriteString("\n")
}

// Markdown implements Report.
func (s *StatusReport) Markdown() []byte {
	var b strings.Builder
	mdMeta(&b, "Status report: "+s.Meta.Title, s.Meta, "Report: status")
	b.WriteString("## Summary\n\n| Status | Paragraphs |\n|---|---:|\n")
	for _, c := range s.Counts {
		fmt.Fprintf(&b, "| %s | %d |\n", c.Label, c.Count)
	}
	fmt.Fprintf(&b, "| **Total** | **%d** |\n\n", s.Total)
	for _, l := range statusSummary(s) {
		b.WriteString("- " + l + "\n")
	}
	b.WriteString("\n## Paragraphs by status\n")
	for _, c := range s.Counts {
		if c.Count == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n### %s (%d)\n\n", c.Label, c.Count)
		for _, p := range s.Paragraphs {
			if p.Status != c.Status {
				continue
			}
			b.WriteString("- **" + mdText(statusName(p), inlineOpts{}) + "**")
			if len(p.Reasons) > 0 {
				b.WriteString(" — " + mdText(strings.Join(p.Reasons, "; "), inlineOpts{}))
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("\n## Standing objections\n\n")
	if len(s.Objections) == 0 {
		b.WriteString("None.\n")
	}
	for _, o := range s.Objections {
		b.WriteString("- " + mdText(objectionText(o), inlineOpts{}) + "\n")
	}
	b.WriteString("\n## Open silence procedures\n\n")
	if len(s.Silence) == 0 {
		b.WriteString("None.\n")
	}
	for _, sp := range s.Silence {
		b.WriteString("- " + mdText(silenceText(sp), inlineOpts{}) + "\n")
	}
	return []byte(b.String())
}

// statusSummary is the summary of what is open, one line each.
func statusSummary(s *StatusReport) []string {
	final := "Final text: could be issued now"
	if s.FinalBlockers > 0 {
		final = fmt.Sprintf("Final text: blocked by %s", engine.Plural(s.FinalBlockers, "open item"))
	}
	return []string{
		fmt.Sprintf("Brackets: %s in %s", engine.Plural(s.Open.Brackets, "pair"), engine.Plural(s.Open.Bracketed, "paragraph")),
		fmt.Sprintf("Pending amendments: %d", s.Open.PendingAmendments),
		fmt.Sprintf("Standing objections: %d", s.Open.Objections),
		fmt.Sprintf("Open silence procedures: %d", s.Open.Silence),
		final,
	}
}

// statusName names a paragraph in the status report.
func statusName(p StatusParagraph) string {
	n := nonEmpty(p.Number, string(p.ID))
	if p.Level > 0 && p.Number != "" {
		return n + " (" + string(p.ID) + ")"
	}
	return n
}

func objectionText(o Objection) string {
	target := "paragraph " + nonEmpty(o.Number, string(o.Para))
	if o.Amendment != "" {
		target = fmt.Sprintf("amendment %s by %s to %s", o.Amendment, o.Proposer, target)
	}
	s := fmt.Sprintf("%s objects to %s (since %s)", o.State, target, dayText(o.Since))
	if o.Stale {
		s += "; stale: the text has changed since"
	}
	if o.Comment != "" {
		s += " — “" + strings.Join(strings.Fields(o.Comment), " ") + "”"
	}
	return s
}

func silenceText(sp SilenceProcedure) string {
	s := sp.Subject
	if sp.Number != "" {
		s = "paragraph " + sp.Number + ": " + s
	}
	return fmt.Sprintf("%s — opened %s, deadline %s", s, sp.Opened.UTC().Format("2 January 2006, 15:04 MST"), sp.Deadline.UTC().Format("2 January 2006, 15:04 MST"))
}
