package engine

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"
)

// AmendmentOp is what an amendment does.
type AmendmentOp string

// Amendment operations.
const (
	OpInsert           AmendmentOp = "insert"            // insert NewText at an insertion point
	OpDelete           AmendmentOp = "delete"            // delete the anchored span
	OpReplace          AmendmentOp = "replace"           // replace the anchored span by NewText
	OpAddParagraph     AmendmentOp = "add-paragraph"     // add a paragraph with NewText after Para
	OpDeleteParagraph  AmendmentOp = "delete-paragraph"  // delete Para
	OpMoveParagraph    AmendmentOp = "move-paragraph"    // move Para after After
	OpReplaceParagraph AmendmentOp = "replace-paragraph" // replace Para's whole text by NewText
)

// spanOp reports whether the operation works on a span of text.
func (op AmendmentOp) spanOp() bool { return op == OpInsert || op == OpDelete || op == OpReplace }

// SpanOp reports whether the amendment changes words of a paragraph
// (insert, delete, replace) rather than a whole paragraph.
func (op AmendmentOp) SpanOp() bool { return op.spanOp() }

// AmendmentStatus is where an amendment is in its lifecycle.
type AmendmentStatus string

// The lifecycle of an amendment: Proposed, then one of the others.
const (
	Proposed           AmendmentStatus = "proposed"
	Accepted           AmendmentStatus = "accepted"
	AcceptedAsModified AmendmentStatus = "accepted-as-modified"
	InBrackets         AmendmentStatus = "incorporated-in-brackets"
	Merged             AmendmentStatus = "merged-into-compromise"
	Withdrawn          AmendmentStatus = "withdrawn"
	Rejected           AmendmentStatus = "rejected"
	Obsolete           AmendmentStatus = "obsolete"
)

// Amendment is a proposal to change the text, attributed to the delegation
// that made it. It is anchored to a paragraph's identity, the version of
// the text it was written against and the span's text with context; an
// amendment to an amendment (Parent set) is anchored to the parent's
// NewText instead.
type Amendment struct {
	ID         AmendmentID     `json:"id"`
	Proposer   StateCode       `json:"proposer"`
	By         PersonID        `json:"by,omitempty"` // the delegate who submitted it
	CoSponsors []StateCode     `json:"coSponsors,omitempty"`
	Op         AmendmentOp     `json:"op"`
	Para       ParagraphID     `json:"para"`
	Version    int             `json:"version"` // text version the anchor refers to
	Anchor     Anchor          `json:"anchor"`
	NewText    string          `json:"newText,omitempty"`
	After      ParagraphID     `json:"after,omitempty"` // move-paragraph target
	Parent     AmendmentID     `json:"parent,omitempty"`
	TextVer    int             `json:"textVersion"` // version of NewText, raised by accepted sub-amendments
	Status     AmendmentStatus `json:"status"`
	Proposed   time.Time       `json:"proposed"`
	Decided    time.Time       `json:"decided,omitzero"`
	Reason     string          `json:"reason,omitempty"` // why it became obsolete
	Rebased    int             `json:"rebased,omitempty"`
	Comment    string          `json:"comment,omitempty"`
}

func (a *Amendment) setStatus(s AmendmentStatus, e Event) {
	a.Status, a.Decided = s, e.At
}

// Amendment returns the amendment with the given identity, or ENOTFOUND.
func (d *Document) Amendment(id AmendmentID) (*Amendment, error) {
	a, ok := d.Amendments[id]
	if !ok {
		return nil, Errorf(ENOTFOUND, "amendment %s does not exist in %s", id, d.label())
	}
	return a, nil
}

// pendingOn returns the proposed amendments on a paragraph, in order of
// identity.
func (d *Document) pendingOn(id ParagraphID) []*Amendment {
	var out []*Amendment
	for _, a := range d.Amendments {
		if a.Para == id && a.Status == Proposed {
			out = append(out, a)
		}
	}
	sortAmendments(out)
	return out
}

// AmendmentsOn returns every amendment on a paragraph, pending or decided,
// in order of submission.
func (d *Document) AmendmentsOn(id ParagraphID) []*Amendment {
	var out []*Amendment
	for _, a := range d.Amendments {
		if a.Para == id {
			out = append(out, a)
		}
	}
	sortAmendments(out)
	return out
}

// PendingAmendments returns every proposed amendment in the document, in
// order of submission.
func (d *Document) PendingAmendments() []*Amendment {
	var out []*Amendment
	for _, a := range d.Amendments {
		if a.Status == Proposed {
			out = append(out, a)
		}
	}
	sortAmendments(out)
	return out
}

func sortAmendments(as []*Amendment) {
	sort.Slice(as, func(i, j int) bool { return amendmentNumber(as[i].ID) < amendmentNumber(as[j].ID) })
}

func amendmentNumber(id AmendmentID) int {
	n, _ := strconv.Atoi(string(id)[1:])
	return n
}

// ProposeAmendment submits an amendment on behalf of a delegation.
// Start/End are rune offsets into the text at Version: the paragraph's
// text, or the parent amendment's NewText at its TextVer for an amendment
// to an amendment. Span operations on a paragraph written against an
// older version are carried onto the current text when safe.
type ProposeAmendment struct {
	Proposer   StateCode   `json:"proposer"`
	CoSponsors []StateCode `json:"coSponsors,omitempty"`
	Op         AmendmentOp `json:"op"`
	Para       ParagraphID `json:"para,omitempty"`
	Parent     AmendmentID `json:"parent,omitempty"`
	Version    int         `json:"version"`
	Start      int         `json:"start"`
	End        int         `json:"end"`
	NewText    string      `json:"newText,omitempty"`
	After      ParagraphID `json:"after,omitempty"`
	Comment    string      `json:"comment,omitempty"`
}

// AmendmentProposed records a new amendment, whole.
type AmendmentProposed struct {
	Amendment Amendment `json:"amendment"`
}

func (cmd ProposeAmendment) decide(d *Document, c Context) ([]EventData, error) {
	if err := nonEmpty("proposer", string(cmd.Proposer)); err != nil {
		return nil, err
	}
	if c.Actor.State != "" && c.Actor.State != cmd.Proposer && c.Actor.Role == RoleDelegate {
		return nil, Errorf(EFORBIDDEN, "a delegate of %s cannot propose on behalf of %s", c.Actor.State, cmd.Proposer)
	}
	if _, ok := LookupDelegation(cmd.Proposer); !ok && (c.Actor.Role != RoleObserver || c.Actor.State != cmd.Proposer) {
		// An observer proposes for its own organisation, in meetings open
		// to it (guard.go); everyone else for a delegation.
		return nil, Errorf(EINVALID, "proposer %q is not a Member State or negotiating group", cmd.Proposer)
	}
	// Co-sponsorship is given, never taken: a proposal names only its
	// proposer, and every other State joins with its own CoSponsor.
	for _, s := range cmd.CoSponsors {
		if s != cmd.Proposer {
			return nil, Errorf(EINVALID, "coSponsors: a proposal by %s cannot name %q as co-sponsor; a State co-sponsors an amendment itself, with amendment.cosponsor, once it is proposed", cmd.Proposer, s)
		}
	}
	if n := d.pendingBy(cmd.Proposer); n >= MaxPendingAmendments {
		return nil, Errorf(ECONFLICT, "%s already has %d amendments pending in %s, the most a delegation may have; withdraw some or wait for decisions on them", cmd.Proposer, n, d.label())
	}
	if err := checkText("text of the amendment", cmd.NewText); err != nil {
		return nil, err
	}
	if err := checkComment("comment", cmd.Comment); err != nil {
		return nil, err
	}
	a := Amendment{ID: AmendmentID(fmt.Sprintf("a%d", d.Counters.Amendment+1)), Proposer: cmd.Proposer, By: c.Actor.Person,
		Op: cmd.Op, Para: cmd.Para, NewText: cmd.NewText,
		After: cmd.After, Parent: cmd.Parent, Status: Proposed, Proposed: c.Now.UTC(), Comment: cmd.Comment, TextVer: 1}
	if cmd.Parent != "" {
		parent, err := d.Amendment(cmd.Parent)
		if err != nil {
			return nil, err
		}
		if parent.Status != Proposed {
			return nil, Errorf(ECONFLICT, "amendment %s is %s; only a proposed amendment can be amended", parent.ID, parent.Status)
		}
		if parent.Parent != "" {
			return nil, Errorf(EINVALID, "amendment %s already amends %s; amend the original amendment instead", parent.ID, parent.Parent)
		}
		if !cmd.Op.spanOp() && cmd.Op != OpReplaceParagraph {
			return nil, Errorf(EINVALID, "an amendment to an amendment inserts, deletes or replaces text of the proposal, or replaces it whole (op %q given)", cmd.Op)
		}
		if parent.NewText == "" {
			return nil, Errorf(EINVALID, "amendment %s proposes no text to amend", parent.ID)
		}
		if cmd.Version != parent.TextVer {
			return nil, Errorf(ECONFLICT, "amendment %s's text is at version %d, not %d; reload it", parent.ID, parent.TextVer, cmd.Version)
		}
		a.Para, a.Version = parent.Para, parent.TextVer
		if cmd.Op == OpReplaceParagraph {
			cmd.Start, cmd.End = 0, runeLen(parent.NewText)
		}
		anc, err := NewAnchor(parent.NewText, cmd.Start, cmd.End)
		if err != nil {
			return nil, Errorf(EINVALID, "amendment %s: %s", parent.ID, Because(err))
		}
		a.Anchor = anc
		if err := a.checkShape(); err != nil {
			return nil, err
		}
		return []EventData{AmendmentProposed{a}}, nil
	}
	p, err := d.Paragraph(cmd.Para)
	if err != nil {
		return nil, err
	}
	a.Version = p.Version
	switch cmd.Op {
	case OpInsert, OpDelete, OpReplace:
		anc, err := d.currentAnchor(p, cmd.Version, cmd.Start, cmd.End)
		if err != nil {
			return nil, err
		}
		a.Anchor = anc
	case OpAddParagraph, OpDeleteParagraph, OpReplaceParagraph:
		if cmd.Version != 0 && cmd.Version != p.Version && cmd.Op != OpAddParagraph {
			return nil, Errorf(ECONFLICT, "paragraph %s is at version %d, not %d: someone changed it; reload and try again", d.displayName(p), p.Version, cmd.Version)
		}
	case OpMoveParagraph:
		if _, err := d.planMove(MoveParagraph{Para: p.ID, After: cmd.After, Section: p.Section}); err != nil {
			return nil, err
		}
	default:
		return nil, Errorf(EINVALID, "op %q is not one of insert, delete, replace, add-paragraph, delete-paragraph, move-paragraph, replace-paragraph", cmd.Op)
	}
	if err := a.checkShape(); err != nil {
		return nil, err
	}
	if err := d.checkBalanced(p, &a); err != nil {
		return nil, err
	}
	return []EventData{AmendmentProposed{a}}, nil
}

// AppliedText is the paragraph's text as it would read with the amendment
// applied: the span replaced, the paragraph replaced or deleted (""), the
// new paragraph's text. It is false for an amendment that does not apply
// to the current text (decided, or a move) or is an amendment to an
// amendment.
func (d *Document) AppliedText(a *Amendment) (string, bool) {
	p := d.Paragraphs[a.Para]
	if p == nil || a.Parent != "" || a.Status != Proposed {
		return "", false
	}
	switch a.Op {
	case OpInsert, OpDelete, OpReplace:
		if a.Anchor.Check(p.Text) != nil {
			return "", false
		}
		rs := []rune(p.Text)
		return string(rs[:a.Anchor.Start]) + a.NewText + string(rs[a.Anchor.End:]), true
	case OpReplaceParagraph, OpAddParagraph:
		return a.NewText, true
	case OpDeleteParagraph:
		return "", true
	}
	return "", false
}

// checkBalanced refuses an amendment that leaves a bracket open or closed
// on its own in the text it proposes: the paragraph with it applied would
// have more unbalanced brackets than it has now. The refusal names the
// bracket and where it is in the amendment's text.
func (d *Document) checkBalanced(p *Paragraph, a *Amendment) error {
	was := ""
	if a.Op != OpAddParagraph {
		was = p.Text
	}
	text, ok := d.AppliedText(a)
	if !ok {
		return nil
	}
	before, after := ParseBrackets(was).Problems, ParseBrackets(text).Problems
	if len(after) <= len(before) {
		return nil
	}
	at := 0
	if a.Op.spanOp() {
		at = a.Anchor.Start
	}
	for _, pr := range after {
		if pr.Offset >= at && pr.Offset < at+runeLen(a.NewText) {
			return Errorf(EINVALID, "the text of the amendment to paragraph %s has an unbalanced “%s” at character %d (%s); close the bracket, or leave brackets to the chair", d.displayName(p), pr.Char, pr.Offset-at+1, pr.Message)
		}
	}
	// The span cuts a bracket pair (a Word redline often does): taken,
	// with the warning BracketWarnings gives wherever it is shown.
	return nil
}

// BracketWarnings says, for a pending amendment, which brackets of the
// paragraph it would leave unbalanced ("“]” at character 130 would be
// left without its “[”"); nil when it leaves them as they are.
func (d *Document) BracketWarnings(a *Amendment) []string {
	p := d.Paragraphs[a.Para]
	text, ok := d.AppliedText(a)
	if p == nil || !ok {
		return nil
	}
	was := p.Text
	if a.Op == OpAddParagraph {
		was = ""
	}
	before, after := ParseBrackets(was).Problems, ParseBrackets(text).Problems
	if len(after) <= len(before) {
		return nil
	}
	var out []string
	for _, pr := range after[:len(after)-len(before)] {
		out = append(out, fmt.Sprintf("with it, paragraph %s would have an unbalanced “%s” at character %d (%s)", d.displayName(p), pr.Char, pr.Offset+1, pr.Message))
	}
	return out
}

// checkShape refuses an amendment whose fields do not fit its operation.
func (a *Amendment) checkShape() error {
	switch a.Op {
	case OpInsert:
		if a.Anchor.Start != a.Anchor.End {
			return Errorf(EINVALID, "an insertion needs an insertion point (start = end), not a span")
		}
		if a.NewText == "" {
			return Errorf(EINVALID, "newText is required: the text to insert")
		}
	case OpDelete:
		if a.Anchor.Start == a.Anchor.End {
			return Errorf(EINVALID, "a deletion needs a span of text to delete (start < end)")
		}
		if a.NewText != "" {
			return Errorf(EINVALID, "a deletion takes no newText; use op replace")
		}
	case OpReplace:
		if a.Anchor.Start == a.Anchor.End {
			return Errorf(EINVALID, "a replacement needs a span of text to replace (start < end)")
		}
		if a.NewText == a.Anchor.Text {
			return Errorf(EINVALID, "the replacement text is the same as the text it replaces")
		}
	case OpAddParagraph, OpReplaceParagraph:
		if a.NewText == "" {
			return Errorf(EINVALID, "newText is required: the text of the paragraph")
		}
	}
	return nil
}

// MaxPendingAmendments is the most amendments one delegation may have
// pending (proposed, not yet decided or withdrawn) in one document. It
// keeps one delegation from flooding the room's view for everyone; a
// delegation at the limit withdraws some or waits for decisions.
const MaxPendingAmendments = 200

// pendingBy counts the amendments a delegation has pending.
func (d *Document) pendingBy(s StateCode) int {
	n := 0
	for _, a := range d.Amendments {
		if a.Proposer == s && a.Status == Proposed {
			n++
		}
	}
	return n
}

// EventType implements EventData.
func (AmendmentProposed) EventType() string { return "amendment.proposed" }

func (ev AmendmentProposed) apply(d *Document, e Event) {
	d.Counters.Amendment++
	a := ev.Amendment
	d.Amendments[a.ID] = &a
}

// CoSponsor adds (or with Withdraw removes) a delegation as co-sponsor of
// a proposed amendment.
type CoSponsor struct {
	Amendment AmendmentID `json:"amendment"`
	State     StateCode   `json:"state"`
	Withdraw  bool        `json:"withdraw,omitempty"`
}

// CoSponsorChanged records a co-sponsorship given or withdrawn.
type CoSponsorChanged CoSponsor

func (cmd CoSponsor) decide(d *Document, c Context) ([]EventData, error) {
	a, err := d.Amendment(cmd.Amendment)
	if err != nil {
		return nil, err
	}
	if err := nonEmpty("state", string(cmd.State)); err != nil {
		return nil, err
	}
	if c.Actor.Role == RoleDelegate && c.Actor.State != cmd.State {
		return nil, Errorf(EFORBIDDEN, "a delegate of %s cannot co-sponsor on behalf of %s", c.Actor.State, cmd.State)
	}
	if _, ok := LookupDelegation(cmd.State); !ok {
		return nil, Errorf(EINVALID, "state %q is not a Member State or negotiating group", cmd.State)
	}
	if a.Status != Proposed {
		return nil, Errorf(ECONFLICT, "amendment %s is %s; co-sponsors can join or leave only while it is proposed", a.ID, a.Status)
	}
	if cmd.State == a.Proposer {
		return nil, Errorf(EINVALID, "%s proposed amendment %s; a proposer is not also a co-sponsor", cmd.State, a.ID)
	}
	has := slices.Contains(a.CoSponsors, cmd.State)
	if has && !cmd.Withdraw {
		return nil, Errorf(ECONFLICT, "%s already co-sponsors amendment %s", cmd.State, a.ID)
	}
	if !has && cmd.Withdraw {
		return nil, Errorf(ECONFLICT, "%s does not co-sponsor amendment %s", cmd.State, a.ID)
	}
	return []EventData{CoSponsorChanged(cmd)}, nil
}

// EventType implements EventData.
func (CoSponsorChanged) EventType() string { return "amendment.cosponsor" }

func (ev CoSponsorChanged) apply(d *Document, e Event) {
	a := d.Amendments[ev.Amendment]
	if ev.Withdraw {
		a.CoSponsors = slices.DeleteFunc(a.CoSponsors, func(s StateCode) bool { return s == ev.State })
	} else {
		a.CoSponsors = append(a.CoSponsors, ev.State)
	}
}

// DecideAmendment settles a proposed amendment: Accepted, AcceptedAsModified
// (with NewText, the text as modified), InBrackets (incorporated in the text
// in square brackets), Rejected, or Withdrawn by its proposer. Merged is
// reached through OpReplace with Merges; Obsolete only by rebasing.
type DecideAmendment struct {
	Amendment AmendmentID     `json:"amendment"`
	Outcome   AmendmentStatus `json:"outcome"`
	NewText   string          `json:"newText,omitempty"`
}

// AmendmentDecided records the outcome of an amendment. The text changes
// it brings follow as their own events.
type AmendmentDecided DecideAmendment

func (cmd DecideAmendment) decide(d *Document, c Context) ([]EventData, error) {
	a, err := d.Amendment(cmd.Amendment)
	if err != nil {
		return nil, err
	}
	if cmd.Outcome == Withdrawn && c.Actor.Role == RoleDelegate && c.Actor.State != a.Proposer {
		return nil, Errorf(EFORBIDDEN, "only %s, the proposer, can withdraw amendment %s", a.Proposer, a.ID)
	}
	if a.Status != Proposed {
		return nil, Errorf(ECONFLICT, "amendment %s is already %s", a.ID, a.Status)
	}
	switch cmd.Outcome {
	case Accepted, Rejected:
	case AcceptedAsModified:
		if err := checkText("modified text", cmd.NewText); err != nil {
			return nil, err
		}
		if (a.Op == OpInsert || a.Op == OpAddParagraph || a.Op == OpReplaceParagraph) && cmd.NewText == "" {
			return nil, Errorf(EINVALID, "newText is required: the text as modified")
		}
	case Withdrawn:
	case InBrackets:
		if a.Op == OpMoveParagraph {
			return nil, Errorf(EINVALID, "a move cannot be incorporated in brackets; accept or reject it")
		}
	default:
		return nil, Errorf(EINVALID, "outcome %q is not one of accepted, accepted-as-modified, incorporated-in-brackets, rejected, withdrawn", cmd.Outcome)
	}
	out := []EventData{AmendmentDecided(cmd)}
	if cmd.Outcome == Rejected || cmd.Outcome == Withdrawn {
		return out, nil
	}
	text := a.NewText
	if cmd.Outcome == AcceptedAsModified {
		text = cmd.NewText
	}
	by := append([]StateCode{a.Proposer}, a.CoSponsors...)
	if a.Parent != "" {
		parent := d.Amendments[a.Parent]
		if cmd.Outcome == InBrackets {
			text = bracketSpan(a.Op, a.Anchor.Text, text)
		}
		return append(out, AmendmentTextChanged{Amendment: parent.ID, Version: parent.TextVer, Text: ApplySpan(parent.NewText, a.Anchor, text)}), nil
	}
	p, err := d.Paragraph(a.Para)
	if err != nil {
		return nil, err
	}
	switch a.Op {
	case OpInsert, OpDelete, OpReplace:
		if err := a.Anchor.Check(p.Text); err != nil {
			return nil, Errorf(ECONFLICT, "amendment %s no longer fits paragraph %s: %s", a.ID, d.displayName(p), Because(err))
		}
		if cmd.Outcome == InBrackets {
			text = bracketSpan(a.Op, a.Anchor.Text, text)
			return append(out, BracketsAdded{Para: p.ID, Version: p.Version, Start: a.Anchor.Start, End: a.Anchor.End, Text: text, By: by}), nil
		}
		return append(out, TextEdited{Para: p.ID, Version: p.Version, Start: a.Anchor.Start, End: a.Anchor.End, Insert: text}), nil
	case OpAddParagraph:
		if cmd.Outcome == InBrackets {
			text = "[" + text + "]"
		}
		add, err := d.planAdd(AddParagraph{After: p.ID, Numbered: p.Numbered, Text: text}, 0)
		if err != nil {
			return nil, err
		}
		add.Amendment = a.ID
		out = append(out, add)
		if cmd.Outcome == InBrackets {
			out = append(out, BracketsAdded{Para: add.Para, Version: 1, Start: 0, End: runeLen(text), Text: text, By: by})
		}
		return out, nil
	case OpDeleteParagraph:
		if cmd.Outcome == InBrackets {
			text = "[" + p.Text + "]"
			return append(out, BracketsAdded{Para: p.ID, Version: p.Version, Start: 0, End: runeLen(p.Text), Text: text, By: by}), nil
		}
		return append(out, ParagraphDeleted{Para: p.ID}), nil
	case OpMoveParagraph:
		mv, err := d.planMove(MoveParagraph{Para: p.ID, After: a.After, Section: p.Section})
		if err != nil {
			return nil, err
		}
		return append(out, mv), nil
	case OpReplaceParagraph:
		if cmd.Outcome == InBrackets {
			// UN practice: the original stays in brackets and the proposal
			// follows as "N alt", also in brackets.
			old := "[" + p.Text + "]"
			add, err := d.planAdd(AddParagraph{AltOf: p.ID, Text: "[" + text + "]"}, 0)
			if err != nil {
				return nil, err
			}
			add.Amendment = a.ID
			return append(out,
				BracketsAdded{Para: p.ID, Version: p.Version, Start: 0, End: runeLen(p.Text), Text: old, By: by},
				add,
				BracketsAdded{Para: add.Para, Version: 1, Start: 0, End: runeLen(add.Text), Text: add.Text, By: by}), nil
		}
		return append(out, TextReplaced{Para: p.ID, Version: p.Version, Text: text}), nil
	}
	return nil, Errorf(EINTERNAL, "amendment %s has an unknown op %q", a.ID, a.Op)
}

// bracketSpan is how an amendment enters the text in brackets: an
// insertion as "[new]", a deletion as "[old]", a replacement as the
// alternatives "[old][new]".
func bracketSpan(op AmendmentOp, old, new string) string {
	switch op {
	case OpInsert:
		return "[" + new + "]"
	case OpDelete:
		return "[" + old + "]"
	}
	return "[" + old + "][" + new + "]"
}

// EventType implements EventData.
func (AmendmentDecided) EventType() string { return "amendment.decided" }

func (ev AmendmentDecided) apply(d *Document, e Event) {
	a := d.Amendments[ev.Amendment]
	a.setStatus(ev.Outcome, e)
	if ev.Outcome == AcceptedAsModified {
		a.NewText = ev.NewText
	}
	if ev.Outcome == Accepted || ev.Outcome == AcceptedAsModified || ev.Outcome == InBrackets {
		d.deciding.Amendment, d.deciding.At = a.ID, e.At
	}
}

// AmendmentTextChanged records a new text of a proposed amendment, after an
// amendment to it was accepted. Positions on the amendment go stale.
type AmendmentTextChanged struct {
	Amendment AmendmentID `json:"amendment"`
	Version   int         `json:"version"`
	Text      string      `json:"text"`
}

// EventType implements EventData.
func (AmendmentTextChanged) EventType() string { return "amendment.text-changed" }

func (ev AmendmentTextChanged) apply(d *Document, e Event) {
	a := d.Amendments[ev.Amendment]
	ds := WordDiff(a.NewText, ev.Text)
	a.NewText = ev.Text
	a.TextVer++
	for _, sub := range d.Amendments {
		if sub.Parent != a.ID || sub.Status != Proposed {
			continue
		}
		if m, ok := MapAnchor(sub.Anchor, ds); ok {
			sub.Anchor, sub.Version = m, a.TextVer
			sub.Rebased++
		} else {
			sub.setStatus(Obsolete, e)
			sub.Reason = fmt.Sprintf("the text %q it was written against is no longer in amendment %s", sub.Anchor.Text, a.ID)
		}
	}
}

func init() {
	RegisterEvent(func() EventData { return new(AmendmentProposed) })
	RegisterEvent(func() EventData { return new(CoSponsorChanged) })
	RegisterEvent(func() EventData { return new(AmendmentDecided) })
	RegisterEvent(func() EventData { return new(AmendmentTextChanged) })
}

func uniqueStates(states []StateCode, except StateCode) []StateCode {
	var out []StateCode
	for _, s := range states {
		if s != "" && s != except && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}
