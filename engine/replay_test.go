package engine

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

var replayStates = []StateCode{"FRA", "CHN", "BRA", "EU", "G77", "KEN", "IND"}

// randomCommand picks a plausible command against the current document.
// Many are refused (stale versions, wrong outcomes): the property holds for
// whatever the engine accepts.
func randomCommand(r *rand.Rand, d *Document) (Context, DocumentCommand) {
	order := d.Order()
	p := order[r.IntN(len(order))]
	n := runeLen(p.Text)
	a, b := r.IntN(n+1), r.IntN(n+1)
	if a > b {
		a, b = b, a
	}
	st := replayStates[r.IntN(len(replayStates))]
	words := []string{"States", " shall", "[consider]", "各国", " الدول", " меры", ", inter alia,", ""}
	w := words[r.IntN(len(words))]
	var ams []*Amendment
	for _, x := range d.Amendments {
		ams = append(ams, x)
	}
	sortAmendments(ams)
	pick := func() AmendmentID {
		if len(ams) == 0 {
			return "a1"
		}
		return ams[r.IntN(len(ams))].ID
	}
	version := p.Version
	if r.IntN(5) == 0 && version > 1 {
		version -= 1 + r.IntN(version-1) // a stale client
	}
	switch r.IntN(16) {
	case 0, 1:
		return chair, EditText{Para: p.ID, Version: version, Start: a, End: b, Insert: w}
	case 2:
		ops := []AmendmentOp{OpInsert, OpDelete, OpReplace}
		op := ops[r.IntN(3)]
		if op == OpInsert {
			b = a
		}
		return delegate(st), ProposeAmendment{Proposer: st, Op: op, Para: p.ID, Version: version, Start: a, End: b, NewText: w + "x"}
	case 3:
		ops := []AmendmentOp{OpAddParagraph, OpDeleteParagraph, OpReplaceParagraph, OpMoveParagraph}
		after := order[r.IntN(len(order))].ID
		return delegate(st), ProposeAmendment{Proposer: st, Op: ops[r.IntN(4)], Para: p.ID, Version: p.Version, NewText: "New text " + w, After: after}
	case 4:
		outs := []AmendmentStatus{Accepted, AcceptedAsModified, InBrackets, Rejected, Withdrawn}
		return chair, DecideAmendment{Amendment: pick(), Outcome: outs[r.IntN(len(outs))], NewText: "modified " + w}
	case 5:
		kinds := []PositionKind{Support, Oppose, Reservation, Flexible}
		if r.IntN(2) == 0 {
			return delegate(st), StatePosition{State: st, Amendment: pick(), Kind: kinds[r.IntN(4)]}
		}
		return delegate(st), StatePosition{State: st, Para: p.ID, Kind: kinds[r.IntN(4)]}
	case 6:
		return delegate(st), CoSponsor{Amendment: pick(), State: st, Withdraw: r.IntN(3) == 0}
	case 7:
		return chair, AddBrackets{Para: p.ID, Version: version, Start: a, End: b, By: []StateCode{st}}
	case 8:
		return chair, ClearBrackets{Para: p.ID, Version: p.Version, Index: r.IntN(3), Drop: r.IntN(2) == 0}
	case 9:
		return chair, AddParagraph{After: p.ID, Numbered: p.Numbered, Text: "Added " + w}
	case 10:
		if r.IntN(2) == 0 {
			return chair, DeleteParagraph{Para: p.ID}
		}
		return chair, RemoveParagraph{Para: p.ID}
	case 11:
		kinds := []RevisionKind{ZeroDraft, Rev, Rev, Final}
		return secretary, IssueRevision{Kind: kinds[r.IntN(len(kinds))]}
	case 12:
		return chair, ReplaceText{Para: p.ID, Version: p.Version, Text: p.Text + w, Merges: []AmendmentID{pick()}}
	case 14:
		lang := []string{"fr", "ar", "zh"}[r.IntN(3)]
		cur := 0
		if t, _ := d.Translation(lang, p.ID); t != nil {
			cur = t.Version
		}
		return translator(lang), TranslateParagraph{Language: lang, Para: p.ID, Version: cur, Source: max(1, p.Version-r.IntN(2)), Text: "Texte " + w}
	case 15:
		return translator("fr"), ImportTranslation{Language: "fr", Text: "# Titre\n\n## A. Introduction\n\n1. Première." + w + "\n\n2. Deuxième.\n\n7. Septième.\n"}
	default:
		if ams := d.PendingAmendments(); len(ams) > 0 {
			x := ams[r.IntN(len(ams))]
			if x.NewText != "" && x.Parent == "" {
				m := runeLen(x.NewText)
				return delegate(st), ProposeAmendment{Proposer: st, Parent: x.ID, Op: OpReplace, Version: x.TextVer, Start: 0, End: min(m, 3), NewText: "Zz"}
			}
		}
		return chair, MoveParagraph{Para: p.ID, After: order[r.IntN(len(order))].ID}
	}
}

// TestReplayEqualsLive is the property that state is the fold of events:
// for random command sequences, replaying the stored events (after a JSON
// round trip, as the log keeps them) from empty gives the live state.
func TestReplayEqualsLive(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 7))
			live := newDoc(t, sampleDraft)
			draft, _, _ := ImportDraft(sampleDraft)
			first, _ := NewDocument().Decide(secretary, CreateDocument{ID: "d1", Draft: draft})
			log := append([]Event(nil), first...)
			accepted := 0
			for i := 0; i < 150; i++ {
				c, cmd := randomCommand(r, live)
				c.Now = t0.Add(time.Duration(i) * time.Minute)
				evs, err := live.Execute(c, cmd)
				if err != nil {
					if ErrorCode(err) == EINTERNAL {
						t.Fatalf("step %d %T: internal error %v", i, cmd, err)
					}
					continue
				}
				accepted++
				log = append(log, evs...)
				if len(live.Order()) == 0 {
					break
				}
			}
			replayed := NewDocument()
			for i, e := range log {
				b, err := json.Marshal(e)
				if err != nil {
					t.Fatalf("encode event %d: %v", i, err)
				}
				var back Event
				if err := json.Unmarshal(b, &back); err != nil {
					t.Fatalf("decode event %d (%s): %v", i, e.Type, err)
				}
				if err := replayed.Apply(back); err != nil {
					t.Fatalf("apply event %d: %v", i, err)
				}
			}
			want, _ := json.Marshal(live)
			got, _ := json.Marshal(replayed)
			if string(got) != string(want) {
				t.Fatalf("replayed state differs from live after %d accepted commands\nlive:     %.600s\nreplayed: %.600s", accepted, want, got)
			}
			if accepted < 20 {
				t.Errorf("only %d of 150 random commands were accepted; the property is barely exercised", accepted)
			}
			t.Logf("accepted %d, events %d, amendments %d, revisions %d", accepted, len(log), len(live.Amendments), len(live.Revisions))
			checkInvariants(t, live)
		})
	}
}

// checkInvariants asserts what must hold in any reachable state.
func checkInvariants(t *testing.T, d *Document) {
	t.Helper()
	seen := map[ParagraphID]bool{}
	for _, p := range d.Order() {
		if seen[p.ID] {
			t.Fatalf("paragraph %s appears twice in the text", p.ID)
		}
		seen[p.ID] = true
		if ParseBrackets(p.Text).Render() != p.Text {
			t.Fatalf("paragraph %s does not round-trip", p.ID)
		}
	}
	for _, a := range d.PendingAmendments() {
		if a.Parent != "" || !a.Op.spanOp() {
			continue
		}
		p := d.Paragraphs[a.Para]
		if err := a.Anchor.Check(p.Text); err != nil {
			t.Fatalf("pending amendment %s no longer fits paragraph %s: %v", a.ID, p.ID, err)
		}
	}
	eids := map[string]bool{}
	for _, p := range d.Order() {
		e := d.EID(p)
		if eids[e] {
			t.Fatalf("eId %s is not unique", e)
		}
		eids[e] = true
	}
}
