package engine

import "time"

// The rules of the room that hold whatever the command, checked by
// Document.Decide before each command's own rules:
//
//   - observers never take part in decisions and never propose amendments
//     to the States' text; they take the floor only in a meeting in
//     session open to them where stakeholders speak (a consultation, a
//     group's or an intersessional meeting);
//   - an adopted document, and an issued Chair's summary, no longer change;
//   - the text under a silence procedure does not change while it runs, is
//     not decided by any other means, and after its deadline takes no more
//     positions until it is closed;
//   - a first reading takes no textual proposals, and a paragraph agreed ad
//     ref takes none until the chair reopens it;
//   - an amendment is accepted only while no objection to it stands.
//
// Whether the room is State-only comes from the open reading: the meeting
// it was opened in was copied from the process (OpenReading), so the rule
// is decided from the room's own log and replays the same. Outside a
// meeting the room is State-only.

// guard checks the rules of the room for cmd.
func (d *Document) guard(c Context, cmd DocumentCommand) error {
	if d.ID == "" {
		return nil
	}
	if c.Actor.Role == RoleObserver {
		if err := d.observerMay(c, cmd); err != nil {
			return err
		}
	}
	if c.Actor.Role == RoleTranslator {
		if err := translatorMay(c, cmd); err != nil {
			return err
		}
	}
	if what, ok := penAct(cmd); ok && c.Actor.Role != RoleObserver {
		if err := d.penHolder(c, what); err != nil {
			return err
		}
	}
	paras, whole := d.touches(cmd)
	if whole || len(paras) > 0 {
		if !d.Adopted.IsZero() {
			return Errorf(ECONFLICT, "%s was adopted on %s; its text no longer changes (a delegation may still dissociate from a paragraph or explain its position)", d.label(), day(d.Adopted))
		}
		if d.Summary != nil {
			return Errorf(ECONFLICT, "the Chair's summary %s was issued on %s; its text no longer changes", d.label(), day(d.Summary.Date))
		}
		for _, id := range paras {
			if p := d.Paragraphs[id]; p != nil && p.Status == StatusAdopted {
				return Errorf(ECONFLICT, "paragraph %s is adopted; its text no longer changes", d.displayName(p))
			}
		}
		if s := d.CurrentSilence(); s != nil {
			hit := s.Para == ""
			for _, id := range paras {
				hit = hit || s.covers(d, id)
			}
			if hit {
				return Errorf(ECONFLICT, "%s is under a silence procedure until %s: its text cannot change; a delegation that objects breaks the silence", d.silenceSubject(s), when(s.Deadline))
			}
		}
	}
	switch x := cmd.(type) {
	case ProposeAmendment:
		if r := d.CurrentReading(); r != nil && r.Kind == FirstReading {
			return Errorf(ECONFLICT, "meeting %s is holding the first reading of %s: general comments only; textual proposals are taken in the second reading", r.Meeting.label(), d.label())
		}
		if p := d.Paragraphs[d.amendedPara(x)]; p != nil && p.Status == StatusAgreedAdRef {
			return Errorf(ECONFLICT, "paragraph %s is agreed ad ref; the chair reopens it before amendments to it are taken", d.displayName(p))
		}
	case DecideAmendment:
		if a := d.Amendments[x.Amendment]; a != nil && a.Status == Proposed && (x.Outcome == Accepted || x.Outcome == AcceptedAsModified) {
			if err := d.checkAccept(a, nil); err != nil {
				return err
			}
		}
	case TakeDecision:
		if s := d.CurrentSilence(); s != nil && (s.Para == "" || x.Kind == AdoptDocument || (x.Para != "" && s.covers(d, x.Para))) {
			return Errorf(ECONFLICT, "%s is under a silence procedure until %s; the procedure decides it", d.silenceSubject(s), when(s.Deadline))
		}
	case StatePosition:
		if s := d.CurrentSilence(); s != nil && !c.Now.Before(s.Deadline) && x.Amendment == "" && s.covers(d, x.Para) {
			return Errorf(ECONFLICT, "the silence procedure on %s ended at %s without objection and awaits closing; positions on that text are no longer taken", d.silenceSubject(s), when(s.Deadline))
		}
	}
	return nil
}

// penAct says whether cmd is an act of the pen-holder (the secretariat or
// the presiding officer): changing the text directly, brackets, deciding
// on an amendment (a delegation withdrawing its own is not).
func penAct(cmd DocumentCommand) (string, bool) {
	switch x := cmd.(type) {
	case EditText, ReplaceText, AddParagraph, DeleteParagraph, RemoveParagraph, MoveParagraph, AddBrackets, ClearBrackets:
		return describeCommand(cmd), true
	case DecideAmendment:
		return describeCommand(cmd), x.Outcome != Withdrawn
	}
	return "", false
}

// presiding refuses anyone but the officer who presides over the
// document's body at the moment of the act: the start of the meeting the
// open reading is held in, or else now (for a process that has ended, its
// last instant). Who holds which seat comes from the process's record of
// offices in c.Offices; the refusal names who holds the seat. The system
// (a timer) may act; a document outside any process has no seat, and
// there anyone who may hold office presides.
func (d *Document) presiding(c Context, what string) error {
	var at time.Time
	if r := d.CurrentReading(); r != nil {
		at = r.Meeting.Start
	}
	return d.presidingAt(c, what, at)
}

// PresidingOfficers returns who presides over the document for cmd, as
// the engine will check it: the holders, in c.Offices, of the seat of the
// document's body at the start of the meeting of the open reading (of the
// meeting a reading is being opened in), or else now. A caller uses it to
// give an officer the role of the seat they hold, for the record.
func (d *Document) PresidingOfficers(c Context, cmd DocumentCommand) []Officer {
	if c.Offices == nil || d.Process == "" || c.Offices.Process != d.Process {
		return nil
	}
	var at time.Time
	if x, ok := cmd.(OpenReading); ok {
		at = x.Meeting.Start
	} else if r := d.CurrentReading(); r != nil {
		at = r.Meeting.Start
	}
	if at.IsZero() {
		at = c.Offices.moment(c.Now)
	}
	return c.Offices.Presiding(d.Body, at)
}

// presidingAt is presiding at the start of a given meeting (zero: now).
func (d *Document) presidingAt(c Context, what string, meetingStart time.Time) error {
	if err := presidingRole(c, what); err != nil {
		return err
	}
	if c.Actor.Role == RoleSystem || d.Process == "" {
		return nil
	}
	o := c.Offices
	if o == nil || o.Process != d.Process {
		return Errorf(EFORBIDDEN, "who holds office in %s is not known, so %s cannot %s in %s; the offices of the process go with every command", d.Process, c.Actor.Person, what, d.label())
	}
	b, ok := o.Body(d.Body)
	if !ok {
		return Errorf(ENOTFOUND, "body %s of %s is not in the offices of %s", d.Body, d.label(), d.Process)
	}
	at := meetingStart
	if at.IsZero() {
		at = o.moment(c.Now)
	}
	holders := o.Presiding(b.ID, at)
	for _, h := range holders {
		if h.Person == c.Actor.Person {
			return nil
		}
	}
	if len(holders) == 0 {
		return Errorf(EFORBIDDEN, "%s cannot %s: %s is a document of %s, presided over by %s, and no one holds that seat on %s; elect one first", c.Actor.Person, what, d.label(), b.label(), presidingSeatWords(b), day(at))
	}
	return Errorf(EFORBIDDEN, "%s cannot %s: %s is a document of %s, presided over on %s by %s", c.Actor.Person, what, d.label(), b.label(), day(at), officerList(holders))
}

// amendedPara is the paragraph an amendment proposal is about: its own,
// or for an amendment to an amendment, the parent's.
func (d *Document) amendedPara(x ProposeAmendment) ParagraphID {
	if x.Parent != "" {
		if a := d.Amendments[x.Parent]; a != nil {
			return a.Para
		}
	}
	return x.Para
}

// touches says which paragraphs a command changes (their text, place or
// status), and whether it changes the document as a whole (adds a
// paragraph or a section). Proposing an amendment counts as a change: it
// is refused on text that no longer changes.
func (d *Document) touches(cmd DocumentCommand) (paras []ParagraphID, whole bool) {
	switch x := cmd.(type) {
	case EditText:
		return []ParagraphID{x.Para}, false
	case ReplaceText:
		return []ParagraphID{x.Para}, false
	case AddBrackets:
		return []ParagraphID{x.Para}, false
	case ClearBrackets:
		return []ParagraphID{x.Para}, false
	case DeleteParagraph:
		return []ParagraphID{x.Para}, false
	case RemoveParagraph:
		return []ParagraphID{x.Para}, false
	case MoveParagraph:
		return []ParagraphID{x.Para}, false
	case ReopenParagraph:
		return []ParagraphID{x.Para}, false
	case AddParagraph:
		if x.AltOf != "" {
			return []ParagraphID{x.AltOf}, true
		}
		return nil, true
	case TakeInSection:
		return nil, true
	case ProposeAmendment:
		return []ParagraphID{d.amendedPara(x)}, false
	case DecideAmendment:
		if x.Outcome == Accepted || x.Outcome == AcceptedAsModified || x.Outcome == InBrackets {
			if a := d.Amendments[x.Amendment]; a != nil {
				return []ParagraphID{a.Para}, a.Op == OpAddParagraph
			}
		}
	case TakeDecision:
		if x.Kind == AcceptAmendment {
			if a := d.Amendments[x.Amendment]; a != nil {
				return []ParagraphID{a.Para}, a.Op == OpAddParagraph
			}
		}
	}
	return nil, false
}

// observerMay applies the rules for observers: they never take part in
// decisions and never amend the States' text; in a meeting in session
// that admits observers and gives stakeholders the floor they may ask for
// it, under their own code; nothing else. Their written contributions go
// to the process (SubmitContribution).
func (d *Document) observerMay(c Context, cmd DocumentCommand) error {
	r := d.CurrentReading()
	switch x := cmd.(type) {
	case ProposeAmendment:
		return Errorf(EFORBIDDEN, "observers never propose amendments to the States' text: negotiation and decision-making are exclusive prerogatives of States; an observer submits a written contribution to a meeting open to it (contribution.submit)")
	case AskFloor, WithdrawFloor:
		var who StateCode
		if a, ok := x.(AskFloor); ok {
			who = a.Delegation
		} else {
			who = x.(WithdrawFloor).Delegation
		}
		if r == nil {
			return Errorf(EFORBIDDEN, "observers take the floor only in a meeting open to them, and no meeting is in session in %s", d.label())
		}
		if r.Meeting.StateOnly() {
			return Errorf(EFORBIDDEN, "observers do not take the floor in State-only meetings: meeting %s is State-only", r.Meeting.label())
		}
		if !r.Meeting.Kind.takesStakeholders() {
			return Errorf(EFORBIDDEN, "observers take the floor in stakeholder consultations and in the meetings of groups and intersessional meetings open to them; meeting %s is %s, where States take the floor", r.Meeting.label(), r.Meeting.Kind.words())
		}
		if who != c.Actor.State {
			return Errorf(EFORBIDDEN, "an observer for %s cannot ask for the floor for %s", c.Actor.State, who)
		}
		return nil
	case StatePosition, CoSponsor, DecideAmendment, TakeDecision, OpenSilence, BreakSilence, CloseSilence, ExplainPosition, RecordNoConsensus:
		return Errorf(EFORBIDDEN, "observers never take part in decisions: an observer cannot %s", describeCommand(cmd))
	}
	return Errorf(EFORBIDDEN, "an observer cannot %s; observers follow the room and, in meetings open to them, ask for the floor and submit written contributions", describeCommand(cmd))
}

// describeCommand says in words what a command does, for refusals.
func describeCommand(cmd DocumentCommand) string {
	switch cmd.(type) {
	case CreateDocument:
		return "create a document"
	case EditText:
		return "edit the text"
	case ReplaceText:
		return "replace a paragraph's text"
	case AddParagraph:
		return "add a paragraph"
	case DeleteParagraph:
		return "delete a paragraph"
	case RemoveParagraph:
		return "remove a paragraph"
	case MoveParagraph:
		return "move a paragraph"
	case AddBrackets:
		return "put text in brackets"
	case ClearBrackets:
		return "clear brackets"
	case CoSponsor:
		return "co-sponsor an amendment"
	case DecideAmendment:
		return "decide on an amendment"
	case StatePosition:
		return "state a position"
	case IssueRevision:
		return "issue a revision"
	case OpenReading:
		return "open a reading"
	case CloseReading:
		return "close a reading"
	case ReadParagraph:
		return "move the reading pointer"
	case ReopenParagraph:
		return "reopen a paragraph"
	case GiveFloor, NextSpeaker:
		return "give the floor"
	case SetSpeakingTime:
		return "set the speaking time"
	case TakeDecision:
		return "take a decision"
	case OpenSilence:
		return "open a silence procedure"
	case BreakSilence:
		return "break a silence procedure"
	case CloseSilence:
		return "close a silence procedure"
	case ExplainPosition:
		return "explain a position"
	case IssueChairsSummary:
		return "issue a Chair's summary"
	case RecordNoConsensus:
		return "record that consensus failed"
	case TakeInSection:
		return "take a group's text in"
	case TranslateParagraph:
		return "translate a paragraph"
	case TranslateHeading:
		return "translate a heading"
	case ImportTranslation:
		return "import a language version"
	}
	return "do that"
}
