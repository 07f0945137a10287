package engine

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// DecisionKind is what a decision by consensus on a document does.
type DecisionKind string

// Decisions on a document. The election of an officer is a decision of the
// process (ElectOfficer) and follows the same rule.
const (
	// AgreeAdRef agrees a paragraph (with its subparagraphs) ad ref:
	// subject to the whole package, since nothing is agreed until
	// everything is agreed. For a struck-through paragraph it agrees the
	// deletion, and the paragraph leaves the text.
	AgreeAdRef DecisionKind = "agree-ad-ref"
	// AdoptDocument adopts the whole text: every paragraph becomes
	// adopted and the text no longer changes.
	AdoptDocument DecisionKind = "adopt-document"
	// AcceptAmendment accepts an amendment (as proposed or as modified)
	// into the text.
	AcceptAmendment DecisionKind = "accept-amendment"
)

// DecisionVia is how a decision was taken.
type DecisionVia string

// Ways a decision is taken.
const (
	// ViaConsensus is the chair's gavel in a meeting, no objection
	// standing.
	ViaConsensus DecisionVia = "consensus"
	// ViaSilence is an unbroken silence procedure.
	ViaSilence DecisionVia = "silence-procedure"
)

// Decision is a decision taken on the document, on the record.
type Decision struct {
	Number    int          `json:"number"` // from 1, in order
	Kind      DecisionKind `json:"kind"`
	Para      ParagraphID  `json:"para,omitempty"`
	Amendment AmendmentID  `json:"amendment,omitempty"`
	Via       DecisionVia  `json:"via"`
	Meeting   MeetingID    `json:"meeting,omitempty"` // the meeting it was taken in, for ViaConsensus
	Silence   int          `json:"silence,omitempty"` // the silence procedure's number, for ViaSilence
	At        time.Time    `json:"at"`                // for a silence procedure, its deadline
	By        PersonID     `json:"by,omitempty"`
	// Consulted are the delegations whose objections, stated on an
	// earlier text, the chair set aside after asking them whether they
	// still stand on the current text: on the record with the decision.
	Consulted []StateCode `json:"consulted,omitempty"`
}

// Objection is a standing objection: the current Oppose position of a
// Member State or negotiating group on a paragraph or an amendment. An
// opposition stays standing when the text it was given on changes (Stale
// is then set): consensus never passes over a delegation that objected
// only because the words moved; the delegation withdraws it or states a
// new position. Observer States and unknown codes hold no objection.
type Objection struct {
	State     StateCode   `json:"state"`
	Para      ParagraphID `json:"para,omitempty"`
	Amendment AmendmentID `json:"amendment,omitempty"`
	Stale     bool        `json:"stale,omitempty"`
	Comment   string      `json:"comment,omitempty"`
}

// ObjectionsTo returns the objections standing on a paragraph and its
// subparagraphs, or with para empty on any paragraph of the document,
// ordered by State and then reading order. Objections to amendments are
// not included (see ObjectionsToAmendment).
func (d *Document) ObjectionsTo(para ParagraphID) []Objection {
	order := map[ParagraphID]int{}
	var in []*Paragraph
	if para == "" {
		in = d.Order()
	} else {
		in = d.subtree(para)
	}
	for i, p := range in {
		order[p.ID] = i
	}
	var out []Objection
	for _, pos := range d.Positions {
		if _, ok := order[pos.Para]; ok && pos.Amendment == "" && pos.Kind == Oppose && isDelegation(pos.State) {
			out = append(out, Objection{State: pos.State, Para: pos.Para, Stale: d.Stale(pos), Comment: pos.Comment})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].State != out[j].State {
			return out[i].State < out[j].State
		}
		return order[out[i].Para] < order[out[j].Para]
	})
	return out
}

// ObjectionsToAmendment returns the objections standing on an amendment,
// ordered by State.
func (d *Document) ObjectionsToAmendment(id AmendmentID) []Objection {
	var out []Objection
	for _, pos := range d.PositionsOn("", id) {
		if pos.Kind == Oppose && isDelegation(pos.State) {
			out = append(out, Objection{State: pos.State, Amendment: id, Para: pos.Para, Stale: d.Stale(pos), Comment: pos.Comment})
		}
	}
	return out
}

// objectionItem is one objection as a refusal names it.
type objectionItem struct {
	state  StateCode
	target string
}

func (d *Document) objectionItems(objs []Objection) []objectionItem {
	items := make([]objectionItem, len(objs))
	for i, o := range objs {
		t := "amendment " + string(o.Amendment)
		if o.Amendment == "" {
			t = "paragraph " + d.displayName(d.Paragraphs[o.Para])
		}
		if o.Stale {
			t += " (stated on an earlier text)"
		}
		items[i] = objectionItem{o.State, t}
	}
	return items
}

// setAside applies the chair's confirmation that the delegations in
// consulted, asked about their objections stated on an earlier text, do
// not maintain them: it returns the objections that still stand. Naming a
// delegation that holds no stale objection here, or whose objection was
// stated on the current text, is refused: consulting sets aside only what
// the words moving under a delegation made uncertain.
func (d *Document) setAside(objs []Objection, consulted []StateCode) ([]Objection, error) {
	for _, st := range consulted {
		stale, current := false, false
		for _, o := range objs {
			if o.State == st {
				stale = stale || o.Stale
				current = current || !o.Stale
			}
		}
		if current {
			return nil, Errorf(ECONFLICT, "%s objects on the current text; the chair sets aside only an objection stated on an earlier text, once the delegation confirms it does not maintain it", delegationName(st))
		}
		if !stale {
			return nil, Errorf(EINVALID, "consulted: %s holds no objection stated on an earlier text here", delegationName(st))
		}
	}
	var out []Objection
	for _, o := range objs {
		if !(o.Stale && slices.Contains(consulted, o.State)) {
			out = append(out, o)
		}
	}
	return out, nil
}

// staleHint says what the chair does about stale objections in a refusal.
func staleHint(objs []Objection) string {
	var states []string
	for _, o := range objs {
		if o.Stale && !slices.Contains(states, string(o.State)) {
			states = append(states, string(o.State))
		}
	}
	if len(states) == 0 {
		return ""
	}
	return fmt.Sprintf(" — the chair asks %s whether the objection stands on the current text; if not, the decision names them in consulted", andList(states))
}

// hint appends advice to a refusal's message.
func (e *Error) hint(h string) *Error {
	e.Message += h
	return e
}

// noConsensus is the one refusal of a decision while objections stand:
// "no consensus to agree paragraph 7 ad ref: CHN (China) objects to
// paragraph 7; RUS (Russian Federation) objects to paragraph 7 (stated on
// an earlier text)". Items come ordered by State.
func noConsensus(what string, items []objectionItem) *Error {
	var parts []string
	for i := 0; i < len(items); {
		j := i
		var targets []string
		for ; j < len(items) && items[j].state == items[i].state; j++ {
			targets = append(targets, items[j].target)
		}
		parts = append(parts, fmt.Sprintf("%s objects to %s", delegationName(items[i].state), andList(targets)))
		i = j
	}
	return Errorf(ECONFLICT, "no consensus to %s: %s", what, strings.Join(parts, "; "))
}

// blockersIn returns what keeps the paragraphs of a subtree from being
// agreed: brackets, unbalanced brackets, pending amendments, struck
// through subparagraphs.
func (d *Document) blockersIn(root ParagraphID) []string {
	var out []string
	for _, b := range d.FinalBlockers() {
		if d.inSubtree(root, b.Para) && !(b.Para == root && d.Paragraphs[root].Deleted) {
			out = append(out, b.Message)
		}
	}
	return out
}

// checkAgree refuses to agree a paragraph ad ref unless it has been read,
// nothing in it is open and no objection stands.
func (d *Document) checkAgree(p *Paragraph, consulted []StateCode) error {
	switch p.Status {
	case StatusAdopted:
		return Errorf(ECONFLICT, "paragraph %s is already adopted", d.displayName(p))
	case StatusAgreedAdRef:
		return Errorf(ECONFLICT, "paragraph %s is already agreed ad ref", d.displayName(p))
	case StatusNotRead:
		return Errorf(ECONFLICT, "paragraph %s has not been read yet; a paragraph is agreed after it is read", d.displayName(p))
	}
	if !p.Deleted {
		if bs := d.blockersIn(p.ID); len(bs) > 0 {
			return Errorf(ECONFLICT, "paragraph %s cannot be agreed ad ref while %s", d.displayName(p), strings.Join(bs, "; "))
		}
	}
	objs, err := d.setAside(d.ObjectionsTo(p.ID), consulted)
	if err != nil {
		return err
	}
	if len(objs) > 0 {
		what := fmt.Sprintf("agree paragraph %s ad ref", d.displayName(p))
		if p.Deleted {
			what = fmt.Sprintf("agree the deletion of paragraph %s", d.displayName(p))
		}
		return noConsensus(what, d.objectionItems(objs)).hint(staleHint(objs))
	}
	return nil
}

// checkAdopt refuses to adopt the document while anything is open or any
// objection stands.
func (d *Document) checkAdopt(consulted []StateCode) error {
	if d.Type == ChairsSummary {
		return Errorf(ECONFLICT, "%s is a Chair's summary, issued under the chair's own responsibility; it is not adopted by consensus", d.label())
	}
	if !d.Adopted.IsZero() {
		return Errorf(ECONFLICT, "%s was already adopted on %s", d.label(), day(d.Adopted))
	}
	if nc := d.NoConsensus; nc != nil {
		return Errorf(ECONFLICT, "%s was closed without adoption on %s", d.label(), day(nc.At))
	}
	if bs := d.FinalBlockers(); len(bs) > 0 {
		msgs := make([]string, len(bs))
		for i, b := range bs {
			msgs[i] = b.Message
		}
		return Errorf(ECONFLICT, "%s cannot be adopted with %s still open: %s", d.label(), plural(len(bs), "thing"), strings.Join(msgs, "; "))
	}
	objs, err := d.setAside(d.ObjectionsTo(""), consulted)
	if err != nil {
		return err
	}
	if len(objs) > 0 {
		return noConsensus("adopt "+d.label(), d.objectionItems(objs)).hint(staleHint(objs))
	}
	return nil
}

// checkAccept refuses to accept an amendment while an objection to it
// stands. It is the rule for DecideAmendment's accepting outcomes too.
func (d *Document) checkAccept(a *Amendment, consulted []StateCode) error {
	objs, err := d.setAside(d.ObjectionsToAmendment(a.ID), consulted)
	if err != nil {
		return err
	}
	if len(objs) > 0 {
		return noConsensus("accept amendment "+string(a.ID), d.objectionItems(objs)).hint(staleHint(objs))
	}
	return nil
}

// decision checks a decision on agreeing or adopting and returns the
// events that carry it out. It is shared by TakeDecision and the close of
// a silence procedure.
func (d *Document) decision(dec Decision) ([]EventData, error) {
	dec.Number = len(d.Decisions) + 1
	switch dec.Kind {
	case AgreeAdRef:
		p, err := d.Paragraph(dec.Para)
		if err != nil {
			return nil, err
		}
		if err := d.checkAgree(p, dec.Consulted); err != nil {
			return nil, err
		}
		out := []EventData{DecisionTaken{Decision: dec}}
		if p.Deleted {
			out = append(out, ParagraphRemoved{Para: p.ID})
		}
		return out, nil
	case AdoptDocument:
		if dec.Para != "" || dec.Amendment != "" {
			return nil, Errorf(EINVALID, "a decision to adopt the document names no paragraph or amendment")
		}
		if err := d.checkAdopt(dec.Consulted); err != nil {
			return nil, err
		}
		return []EventData{DecisionTaken{Decision: dec}}, nil
	}
	return nil, Errorf(EINVALID, "kind %q is not one of agree-ad-ref, adopt-document, accept-amendment", dec.Kind)
}

// TakeDecision is the chair's decision by consensus in a meeting: agree a
// paragraph ad ref, adopt the document or accept an amendment. It passes
// only while no Member State or negotiating group holds an objection; the
// refusal names them. Decisions are taken in meetings that take decisions
// (not in intersessional meetings or stakeholder consultations); outside a
// meeting, use a silence procedure.
type TakeDecision struct {
	Kind      DecisionKind `json:"kind"`
	Para      ParagraphID  `json:"para,omitempty"`
	Amendment AmendmentID  `json:"amendment,omitempty"`
	// Outcome and NewText are for AcceptAmendment: accepted (the
	// default) or accepted-as-modified with the text as modified.
	Outcome AmendmentStatus `json:"outcome,omitempty"`
	NewText string          `json:"newText,omitempty"`
	// Consulted names the delegations whose objections, stated on an
	// earlier text, the chair asked about and that do not maintain them;
	// only those objections are set aside, and the list goes on the
	// record with the decision.
	Consulted []StateCode `json:"consulted,omitempty"`
}

// DecisionTaken records a decision. The changes it brings (an amendment's
// text, a paragraph removed) follow as their own events.
type DecisionTaken struct {
	Decision Decision `json:"decision"`
}

func (cmd TakeDecision) decide(d *Document, c Context) ([]EventData, error) {
	if err := d.presiding(c, "take a decision"); err != nil {
		return nil, err
	}
	if d.Type == ChairsSummary {
		return nil, d.checkAdopt(nil)
	}
	r := d.CurrentReading()
	if r == nil {
		return nil, Errorf(ECONFLICT, "decisions are taken in a meeting, and no meeting is in session in %s; open a reading, or use a silence procedure", d.label())
	}
	if r.Meeting.Kind.informal() {
		return nil, Errorf(ECONFLICT, "meeting %s is %s, which is informal and takes no decisions", r.Meeting.label(), r.Meeting.Kind.words())
	}
	dec := Decision{Kind: cmd.Kind, Para: cmd.Para, Amendment: cmd.Amendment, Via: ViaConsensus, Meeting: r.Meeting.ID, At: c.Now.UTC(), By: c.Actor.Person, Consulted: cmd.Consulted}
	switch cmd.Kind {
	case AdoptDocument:
		if d.Body != "" && r.Meeting.Body != "" && d.Body != r.Meeting.Body {
			return nil, Errorf(ECONFLICT, "%s is a document of body %s and is adopted in its meetings; meeting %s is a meeting of %s", d.label(), d.Body, r.Meeting.label(), r.Meeting.Body)
		}
		if d.Type == DraftProgressReport {
			if r.Meeting.Kind != SubstantivePlenary {
				return nil, Errorf(ECONFLICT, "%s is a progress report, considered and adopted by a substantive plenary session; meeting %s is %s", d.label(), r.Meeting.label(), r.Meeting.Kind.words())
			}
			if rc := r.Meeting.ProgressReports; rc != nil && !rc.Due {
				return nil, Errorf(ECONFLICT, "progress reports are adopted every %s, at the end of each cycle counted from the first substantive plenary session (%d): in %s; meeting %s is in %d", plural(rc.Every, "year"), rc.From, rc.years(), r.Meeting.label(), rc.Year)
			}
		}
	case AcceptAmendment:
		a, err := d.Amendment(cmd.Amendment)
		if err != nil {
			return nil, err
		}
		if a.Status != Proposed {
			return nil, Errorf(ECONFLICT, "amendment %s is already %s", a.ID, a.Status)
		}
		outcome := cmd.Outcome
		if outcome == "" {
			outcome = Accepted
		}
		if outcome != Accepted && outcome != AcceptedAsModified {
			return nil, Errorf(EINVALID, "outcome %q: a decision accepts an amendment (accepted or accepted-as-modified); reject it or bracket it with amendment.decide", cmd.Outcome)
		}
		if err := d.checkAccept(a, dec.Consulted); err != nil {
			return nil, err
		}
		rest, err := DecideAmendment{Amendment: a.ID, Outcome: outcome, NewText: cmd.NewText}.decide(d, c)
		if err != nil {
			return nil, err
		}
		dec.Number, dec.Para = len(d.Decisions)+1, a.Para
		return append([]EventData{DecisionTaken{Decision: dec}}, rest...), nil
	}
	return d.decision(dec)
}

// EventType implements EventData.
func (DecisionTaken) EventType() string { return "decision.taken" }

func (ev DecisionTaken) apply(d *Document, e Event) {
	dec := ev.Decision
	d.Decisions = append(d.Decisions, dec)
	switch dec.Kind {
	case AgreeAdRef:
		if p := d.Paragraphs[dec.Para]; p != nil && !p.Deleted {
			d.setStatus(dec.Para, StatusAgreedAdRef, StatusNotRead, StatusUnderReading, StatusPending)
		}
	case AdoptDocument:
		for _, p := range d.Order() {
			p.Status = StatusAdopted
		}
		d.Adopted = dec.At
	}
}

func init() { RegisterEvent(func() EventData { return new(DecisionTaken) }) }
