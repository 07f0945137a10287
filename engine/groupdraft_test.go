package engine

import (
	"strings"
	"testing"
)

// TestGroupDrafts: a group's drafts are written and seen by its members
// only, change until tabled or dropped, and then no more.
func TestGroupDrafts(t *testing.T) {
	g := NewGroupDrafts()
	do := func(c Context, cmd DraftsCommand) error {
		evs, err := g.Decide(c, cmd)
		if err != nil {
			return err
		}
		for _, e := range evs {
			if err := g.Apply(e); err != nil {
				t.Fatal(err)
			}
		}
		return nil
	}
	save := SaveDraft{Group: "EU", Op: OpReplace, Para: "p4", Version: 1, Start: 19, End: 26, NewText: "foster", Note: "check with capitals"}
	if err := do(delegate("FRA"), save); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		who  Context
		cmd  DraftsCommand
		want string
	}{
		{delegate("USA"), save, "USA is not a member of EU and cannot draft among its members"},
		{delegate("USA"), DropDraft{ID: 1}, "draft 1 does not exist among your delegation's drafts"},
		{chair, save, "group drafts are written by delegates"},
		{delegate("FRA"), SaveDraft{Group: "XX", Op: OpReplace}, `group: "XX" is not a Member State or negotiating group`},
		{delegate("FRA"), SaveDraft{Group: "EU", Op: OpMoveParagraph}, `op "move-paragraph"`},
	} {
		if err := do(c.who, c.cmd); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%T by %s: %v, want %q", c.cmd, c.who.Actor.State, err, c.want)
		}
	}
	if n := len(g.For("DEU")); n != 1 {
		t.Errorf("Germany sees %d drafts", n)
	}
	if n := len(g.For("USA")); n != 0 {
		t.Errorf("the United States sees %d drafts", n)
	}
	if err := do(delegate("EU"), MarkTabled{ID: 1, Amendment: "a1"}); err != nil {
		t.Fatal(err)
	}
	if err := do(delegate("DEU"), DropDraft{ID: 1}); err == nil || !strings.Contains(err.Error(), "draft 1 was tabled") {
		t.Errorf("dropping a tabled draft: %v", err)
	}
	if d := g.Drafts[1]; d.Status != DraftIsTabled || d.Amendment != "a1" || d.Author != "FRA" {
		t.Errorf("draft after tabling: %+v", d)
	}
}
