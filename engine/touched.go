package engine

// Changes names what an event changed, so that a room can send clients
// just those paragraphs and amendments rather than the whole text.
type Changes struct {
	// Paragraphs whose text, status or positions changed.
	Paragraphs []ParagraphID
	// Amendments whose status, text or anchor changed.
	Amendments []AmendmentID
	// Positions stated or withdrawn: the position as the event gives it
	// (look it up by Key to tell which).
	Positions []Position
	// Room is true when the proceedings changed: the floor, a silence
	// procedure, explanations of position.
	Room bool
	// Whole is true for events that change the structure or numbering (a
	// paragraph added, moved or removed, a revision) and for any event
	// Touched does not know.
	Whole bool
}

// Touched says what an event changed, read after the event was applied. A
// change of a paragraph's text also changes the anchors of the amendments
// pending on it, so those are named too, and so is every amendment the
// event decided on the way: one made obsolete because the words it changes
// are gone, a sub-amendment that fell with its parent. Without them a
// screen would go on offering a decision on an amendment that is no
// longer pending.
func (d *Document) Touched(e Event) Changes {
	c := d.touched(e)
	if c.Whole || (len(c.Paragraphs) == 0 && len(c.Amendments) == 0) {
		return c
	}
	named := map[AmendmentID]bool{}
	for _, id := range c.Amendments {
		named[id] = true
	}
	var also []AmendmentID
	for _, a := range d.Amendments {
		if a.Status != Proposed && !named[a.ID] && a.Decided.Equal(e.At) && !e.At.IsZero() {
			also = append(also, a.ID)
		}
	}
	if len(also) > 0 {
		c.Amendments = append(c.Amendments, also...)
		sortIDs(c.Amendments)
	}
	return c
}

func (d *Document) touched(e Event) Changes {
	para := func(id ParagraphID) Changes {
		c := Changes{Paragraphs: []ParagraphID{id}}
		for _, a := range d.pendingOn(id) {
			c.Amendments = append(c.Amendments, a.ID)
		}
		return c
	}
	switch ev := e.Data.(type) {
	case *TextEdited:
		return para(ev.Para)
	case *TextReplaced:
		c := para(ev.Para)
		return Changes{Paragraphs: c.Paragraphs, Amendments: append(c.Amendments, ev.Merges...)}
	case *BracketsAdded:
		return para(ev.Para)
	case *BracketsCleared:
		return para(ev.Para)
	case *ParagraphDeleted:
		return Changes{Paragraphs: []ParagraphID{ev.Para}}
	case *AmendmentProposed:
		return Changes{Amendments: []AmendmentID{ev.Amendment.ID}}
	case *CoSponsorChanged:
		return Changes{Amendments: []AmendmentID{ev.Amendment}}
	case *AmendmentDecided:
		return Changes{Amendments: []AmendmentID{ev.Amendment}}
	case *AmendmentTextChanged:
		c := Changes{Amendments: []AmendmentID{ev.Amendment}}
		for _, a := range d.Amendments {
			if a.Parent == ev.Amendment {
				c.Amendments = append(c.Amendments, a.ID)
			}
		}
		sortIDs(c.Amendments)
		return c
	case *PositionStated:
		c := Changes{Positions: []Position{ev.Position}}
		if s := d.CurrentSilence(); s != nil || len(d.Silences) > 0 {
			c.Room = true // an objection may have broken a silence procedure
		}
		return c
	case *ParagraphTranslated:
		return Changes{Paragraphs: []ParagraphID{ev.Para}}
	case *FloorAsked, *FloorWithdrawn, *FloorGiven, *SpeakingTimeSet, *SilenceOpened, *SilenceBroken, *PositionExplained:
		return Changes{Room: true}
	}
	// Readings opened or closed, the pointer moved, decisions, a silence
	// closed, summaries: they change statuses across the text.
	return Changes{Whole: true}
}

func sortIDs(ids []AmendmentID) {
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && amendmentNumber(ids[j]) < amendmentNumber(ids[j-1]); j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
}
