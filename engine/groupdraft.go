package engine

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// Group coordination before tabling (as in the European Parliament's
// AT4AM): a delegation or a negotiating group drafts amendments to a
// document that only its members see, and tables them — proposes them in
// the room — when ready. The drafts of a document are their own aggregate
// (GroupDrafts, stream drafts/<document>), never folded into the room, so
// that no other delegation is ever sent them.

// DraftsStream is the stream of the group drafts of a document.
func DraftsStream(id DocumentID) StreamID { return StreamID("drafts/" + string(id)) }

// DraftStatus is where a group's draft amendment stands.
type DraftStatus string

// Draft statuses.
const (
	DraftOpen      DraftStatus = "draft"
	DraftIsTabled  DraftStatus = "tabled"
	DraftIsDropped DraftStatus = "dropped"
)

// GroupDraft is an amendment a delegation or group prepares among its
// members: what it would propose (as ProposeAmendment has it), who wrote
// and last changed it, and, once tabled, the amendment it became.
type GroupDraft struct {
	ID      int         `json:"id"`
	Group   StateCode   `json:"group"` // the delegation or negotiating group whose members see it
	Op      AmendmentOp `json:"op"`
	Para    ParagraphID `json:"para"`
	Version int         `json:"version"`
	Start   int         `json:"start"`
	End     int         `json:"end"`
	NewText string      `json:"newText,omitempty"`
	Comment string      `json:"comment,omitempty"`
	// Note is for the group's members only: why, who agrees, what to
	// check with capitals.
	Note      string      `json:"note,omitempty"`
	Author    StateCode   `json:"author"`
	By        PersonID    `json:"by,omitempty"`
	Created   time.Time   `json:"created"`
	Updated   time.Time   `json:"updated"`
	Status    DraftStatus `json:"status"`
	Amendment AmendmentID `json:"amendment,omitempty"` // once tabled
}

// GroupDrafts are the drafts of one document, of every group.
type GroupDrafts struct {
	Drafts map[int]*GroupDraft `json:"drafts"`
	Next   int                 `json:"next"`
}

// NewGroupDrafts returns the empty drafts of a document.
func NewGroupDrafts() *GroupDrafts { return &GroupDrafts{Drafts: map[int]*GroupDraft{}} }

// MemberOf reports whether a delegation belongs to a group for drafting:
// it is the group itself, or a member State of the negotiating group.
func MemberOf(state, group StateCode) bool {
	if state == "" || group == "" {
		return false
	}
	if state == group {
		return true
	}
	g, ok := LookupNegotiatingGroup(group)
	return ok && slices.Contains(g.Members, state)
}

// For returns the drafts a delegation sees, oldest first: those of the
// groups it belongs to.
func (g *GroupDrafts) For(state StateCode) []GroupDraft {
	var out []GroupDraft
	for _, d := range g.Drafts {
		if MemberOf(state, d.Group) {
			out = append(out, *d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// SaveDraft writes a group's draft amendment: a new one (ID 0) or a new
// text of one still a draft. Only a delegate of the group or of one of its
// member States writes in it.
type SaveDraft struct {
	ID      int         `json:"id,omitempty"`
	Group   StateCode   `json:"group"`
	Op      AmendmentOp `json:"op"`
	Para    ParagraphID `json:"para"`
	Version int         `json:"version"`
	Start   int         `json:"start"`
	End     int         `json:"end"`
	NewText string      `json:"newText,omitempty"`
	Comment string      `json:"comment,omitempty"`
	Note    string      `json:"note,omitempty"`
}

// DraftSaved records a draft written.
type DraftSaved struct {
	Draft GroupDraft `json:"draft"`
}

// DropDraft drops a group's draft that was never tabled.
type DropDraft struct {
	ID int `json:"id"`
}

// DraftDropped records a draft dropped.
type DraftDropped DropDraft

// MarkTabled records that a draft was tabled as an amendment: the server
// sends it once the room took the proposal.
type MarkTabled struct {
	ID        int         `json:"id"`
	Amendment AmendmentID `json:"amendment"`
}

// DraftTabled records a draft tabled.
type DraftTabled MarkTabled

// DraftsCommand is a command on the group drafts of a document.
type DraftsCommand interface {
	decideDrafts(g *GroupDrafts, c Context) ([]EventData, error)
}

type draftsEvent interface{ applyDrafts(g *GroupDrafts, e Event) }

// Decide validates a command against the drafts and returns its events.
func (g *GroupDrafts) Decide(c Context, cmd DraftsCommand) ([]Event, error) {
	data, err := cmd.decideDrafts(g, c)
	if err != nil {
		return nil, err
	}
	return stamp(c, data)
}

// Apply folds one event into the drafts.
func (g *GroupDrafts) Apply(e Event) error {
	de, ok := e.Data.(draftsEvent)
	if !ok {
		return Errorf(EINVALID, "event %q does not apply to group drafts", e.Type)
	}
	de.applyDrafts(g, e)
	return nil
}

func (g *GroupDrafts) draft(c Context, id int) (*GroupDraft, error) {
	d, ok := g.Drafts[id]
	if !ok || !MemberOf(c.Actor.State, d.Group) {
		return nil, Errorf(ENOTFOUND, "draft %d does not exist among your delegation's drafts", id)
	}
	if d.Status != DraftOpen {
		return nil, Errorf(ECONFLICT, "draft %d was %s; it no longer changes", id, d.Status)
	}
	return d, nil
}

func (cmd SaveDraft) decideDrafts(g *GroupDrafts, c Context) ([]EventData, error) {
	if c.Actor.Role != RoleDelegate {
		return nil, Errorf(EFORBIDDEN, "group drafts are written by delegates, among the members of their delegation or group")
	}
	if _, ok := LookupDelegation(cmd.Group); !ok {
		return nil, Errorf(EINVALID, "group: %q is not a Member State or negotiating group", cmd.Group)
	}
	if !MemberOf(c.Actor.State, cmd.Group) {
		return nil, Errorf(EFORBIDDEN, "%s is not a member of %s and cannot draft among its members", c.Actor.State, cmd.Group)
	}
	if err := checkText("newText", cmd.NewText); err != nil {
		return nil, err
	}
	for _, f := range []struct{ name, v string }{{"comment", cmd.Comment}, {"note", cmd.Note}} {
		if err := checkComment(f.name, f.v); err != nil {
			return nil, err
		}
	}
	switch cmd.Op {
	case OpInsert, OpDelete, OpReplace, OpAddParagraph, OpDeleteParagraph, OpReplaceParagraph:
	default:
		return nil, Errorf(EINVALID, "op %q: a draft inserts, deletes or replaces words, or adds, deletes or replaces a paragraph", cmd.Op)
	}
	d := GroupDraft{ID: cmd.ID, Group: cmd.Group, Op: cmd.Op, Para: cmd.Para, Version: cmd.Version, Start: cmd.Start, End: cmd.End,
		NewText: cmd.NewText, Comment: cmd.Comment, Note: cmd.Note, Author: c.Actor.State, By: c.Actor.Person, Created: c.Now.UTC(), Updated: c.Now.UTC(), Status: DraftOpen}
	if cmd.ID == 0 {
		d.ID = g.Next + 1
	} else {
		old, err := g.draft(c, cmd.ID)
		if err != nil {
			return nil, err
		}
		if old.Group != cmd.Group {
			return nil, Errorf(EINVALID, "group: draft %d belongs to %s", cmd.ID, old.Group)
		}
		d.Created, d.Author = old.Created, old.Author
	}
	return []EventData{DraftSaved{Draft: d}}, nil
}

func (cmd DropDraft) decideDrafts(g *GroupDrafts, c Context) ([]EventData, error) {
	if _, err := g.draft(c, cmd.ID); err != nil {
		return nil, err
	}
	return []EventData{DraftDropped(cmd)}, nil
}

func (cmd MarkTabled) decideDrafts(g *GroupDrafts, c Context) ([]EventData, error) {
	if _, err := g.draft(c, cmd.ID); err != nil {
		return nil, err
	}
	if cmd.Amendment == "" {
		return nil, Errorf(EINVALID, "amendment: the amendment the draft became is required")
	}
	return []EventData{DraftTabled(cmd)}, nil
}

// Proposal is the amendment a draft becomes when tabled by proposer.
func (d GroupDraft) Proposal(proposer StateCode) ProposeAmendment {
	return ProposeAmendment{Proposer: proposer, Op: d.Op, Para: d.Para, Version: d.Version, Start: d.Start, End: d.End, NewText: d.NewText, Comment: d.Comment}
}

// EventType implements EventData.
func (DraftSaved) EventType() string { return "draft.saved" }

// EventType implements EventData.
func (DraftDropped) EventType() string { return "draft.dropped" }

// EventType implements EventData.
func (DraftTabled) EventType() string { return "draft.tabled" }

func (ev DraftSaved) applyDrafts(g *GroupDrafts, e Event) {
	d := ev.Draft
	g.Drafts[d.ID] = &d
	g.Next = max(g.Next, d.ID)
}

func (ev DraftDropped) applyDrafts(g *GroupDrafts, e Event) {
	if d := g.Drafts[ev.ID]; d != nil {
		d.Status, d.Updated = DraftIsDropped, e.At
	}
}

func (ev DraftTabled) applyDrafts(g *GroupDrafts, e Event) {
	if d := g.Drafts[ev.ID]; d != nil {
		d.Status, d.Amendment, d.Updated = DraftIsTabled, ev.Amendment, e.At
	}
}

func init() {
	RegisterEvent(func() EventData { return new(DraftSaved) })
	RegisterEvent(func() EventData { return new(DraftDropped) })
	RegisterEvent(func() EventData { return new(DraftTabled) })
}

// String names a draft in messages: "draft 3 of EU".
func (d GroupDraft) String() string { return fmt.Sprintf("draft %d of %s", d.ID, d.Group) }
