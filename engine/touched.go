package engine

// Touched says which paragraphs an event changed, so that a room can send
// clients just those paragraphs (with their amendments and positions)
// rather than the whole text. whole is true for events that change the
// structure or numbering (a paragraph added, moved or removed, a revision)
// and for any event this function does not know.
func (d *Document) Touched(e Event) (paras []ParagraphID, whole bool) {
	switch ev := e.Data.(type) {
	case *TextEdited:
		return []ParagraphID{ev.Para}, false
	case *TextReplaced:
		return []ParagraphID{ev.Para}, false
	case *BracketsAdded:
		return []ParagraphID{ev.Para}, false
	case *BracketsCleared:
		return []ParagraphID{ev.Para}, false
	case *ParagraphDeleted:
		return []ParagraphID{ev.Para}, false
	case *AmendmentProposed:
		return []ParagraphID{ev.Amendment.Para}, false
	case *CoSponsorChanged:
		return d.amendmentPara(ev.Amendment)
	case *AmendmentDecided:
		return d.amendmentPara(ev.Amendment)
	case *AmendmentTextChanged:
		return d.amendmentPara(ev.Amendment)
	case *PositionStated:
		return []ParagraphID{ev.Position.Para}, false
	}
	return nil, true
}

func (d *Document) amendmentPara(id AmendmentID) ([]ParagraphID, bool) {
	if a, ok := d.Amendments[id]; ok {
		return []ParagraphID{a.Para}, false
	}
	return nil, true
}
