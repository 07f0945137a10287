package export_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// day is a fixed time on a day of the negotiation, so that outputs are
// deterministic.
func day(month time.Month, d, hour int) time.Time {
	return time.Date(2027, month, d, hour, 0, 0, 0, time.UTC)
}

// room is a document driven through engine commands, with a stand-in for
// the hash chain of the event log it would be stored in.
type room struct {
	tb   testing.TB
	doc  *engine.Document
	head string
	now  time.Time
}

func newRoom(tb testing.TB) *room {
	return &room{tb: tb, doc: engine.NewDocument(), head: strings.Repeat("0", 64)}
}

var secretariat = engine.Actor{Person: "sec-1", Role: engine.RoleSecretariat}
var chairActor = engine.Actor{Person: "chair-1", Role: engine.RoleChair}

func delegateOf(s engine.StateCode) engine.Actor {
	return engine.Actor{Person: engine.PersonID("del-" + strings.ToLower(string(s))), State: s, Role: engine.RoleDelegate}
}

// do executes a command as actor and chains the events into the head
// hash, as the log would.
func (r *room) do(actor engine.Actor, cmd engine.DocumentCommand) {
	r.tb.Helper()
	r.now = r.now.Add(time.Minute)
	evs, err := r.doc.Execute(engine.Context{Now: r.now, Actor: actor}, cmd)
	if err != nil {
		r.tb.Fatalf("%T: %v", cmd, err)
	}
	for _, e := range evs {
		payload, err := e.PayloadJSON()
		if err != nil {
			r.tb.Fatal(err)
		}
		h := sha256.Sum256([]byte(r.head + "\n" + e.Type + "\n" + e.At.Format(time.RFC3339Nano) + "\n" + string(payload)))
		r.head = hex.EncodeToString(h[:])
	}
}

// at sets the clock of the next commands.
func (r *room) at(t time.Time) *room { r.now = t; return r }

// cosponsor has each State join an amendment as co-sponsor, itself.
func (r *room) cosponsor(a engine.AmendmentID, states ...engine.StateCode) {
	for _, st := range states {
		r.do(delegateOf(st), engine.CoSponsor{Amendment: a, State: st})
	}
}

// para finds a top-level paragraph by its number.
func (r *room) para(num string) *engine.Paragraph {
	r.tb.Helper()
	p, ok := r.doc.FindByNumber(num)
	if !ok {
		r.tb.Fatalf("no paragraph %s", num)
	}
	return p
}

// find returns the paragraph whose text holds s.
func (r *room) find(s string) *engine.Paragraph {
	r.tb.Helper()
	var found *engine.Paragraph
	for _, p := range r.doc.Order() {
		if strings.Contains(p.Text, s) {
			if found != nil {
				r.tb.Fatalf("%q is in paragraphs %s and %s", s, r.doc.Number(found), r.doc.Number(p))
			}
			found = p
		}
	}
	if found == nil {
		r.tb.Fatalf("no paragraph holds %q", s)
	}
	return found
}

// span returns the rune offsets of s in the paragraph's text.
func (r *room) span(p *engine.Paragraph, s string) (int, int) {
	r.tb.Helper()
	i := strings.Index(p.Text, s)
	if i < 0 {
		r.tb.Fatalf("paragraph %s: %q not in %q", r.doc.Number(p), s, p.Text)
	}
	start := len([]rune(p.Text[:i]))
	return start, start + len([]rune(s))
}

// lastAmendment is the identity of the amendment proposed last.
func (r *room) lastAmendment() engine.AmendmentID {
	return engine.AmendmentID("a" + itoa(r.doc.Counters.Amendment))
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}

func readFixture(tb testing.TB, rel string) string {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", rel))
	if err != nil {
		tb.Fatalf("read fixture: %v", err)
	}
	return string(b)
}

// createRoom imports a draft file and creates the document.
func createRoom(tb testing.TB, src, id, lang string) *room {
	tb.Helper()
	draft, _, err := engine.ImportDraft(src)
	if err != nil {
		tb.Fatalf("ImportDraft: %v", err)
	}
	r := newRoom(tb).at(day(1, 20, 9))
	r.do(secretariat, engine.CreateDocument{ID: engine.DocumentID(id), Type: engine.DraftProgressReport, Language: lang, Draft: draft})
	return r
}

// scenario is the fixture negotiation: the zero draft of the progress
// report, a first reading with amendments by several delegations, Rev.1,
// and more changes in the live state after it.
type scenario struct {
	*room
	zero, rev1 *engine.Revision
	liveAt     time.Time
}

func buildScenario(tb testing.TB) *scenario {
	r := createRoom(tb, readFixture(tb, "fixtures/drafts/progress-report-zero-draft.md"), "crp1", "en")
	r.do(secretariat, engine.IssueRevision{Kind: engine.ZeroDraft, Date: day(2, 1, 0)})
	s := &scenario{room: r, zero: r.doc.Revisions[0]}

	// First reading, 10 February.
	r.at(day(2, 10, 10))
	p6 := r.find("remains the basis of the work")
	r.do(delegateOf("IND"), engine.StatePosition{State: "IND", Para: p6.ID, Kind: engine.Support})
	a, b := r.span(p6, "the basis")
	r.do(delegateOf("EU"), engine.ProposeAmendment{Proposer: "EU", Op: engine.OpReplace,
		Para: p6.ID, Version: p6.Version, Start: a, End: b, NewText: "the foundation", Comment: "Aligns with the 2025 final report."})
	a1 := r.lastAmendment()
	r.cosponsor(a1, "NOR", "CHE")
	r.do(delegateOf("USA"), engine.StatePosition{State: "USA", Amendment: a1, Kind: engine.Support})
	r.do(chairActor, engine.DecideAmendment{Amendment: a1, Outcome: engine.Accepted})

	p11 := r.find("attractive targets for malicious actors")
	a, b = r.span(p11, "attractive targets for malicious actors")
	r.do(delegateOf("CHN"), engine.ProposeAmendment{Proposer: "CHN", Op: engine.OpReplace, Para: p11.ID, Version: p11.Version,
		Start: a, End: b, NewText: "targets of malicious ICT activities"})
	r.do(chairActor, engine.DecideAmendment{Amendment: r.lastAmendment(), Outcome: engine.InBrackets})

	p30 := r.find("encouraged those States that have not yet done so to nominate")
	r.do(delegateOf("USA"), engine.ProposeAmendment{Proposer: "USA", Op: engine.OpAddParagraph,
		Para: p30.ID, NewText: "States encouraged the use of the points of contact directory in times of crisis, including through regular communication checks."})
	r.cosponsor(r.lastAmendment(), "GBR", "AUS")
	r.do(chairActor, engine.DecideAmendment{Amendment: r.lastAmendment(), Outcome: engine.Accepted})

	p36 := r.find("and financed from voluntary contributions")
	a, _ = r.span(p36, " and financed")
	r.do(delegateOf("G77"), engine.ProposeAmendment{Proposer: "G77", Op: engine.OpInsert, Para: p36.ID,
		Version: p36.Version, Start: a, End: a, NewText: ", with due regard to the needs of developing countries,"})
	a4 := r.lastAmendment()
	r.cosponsor(a4, "AG")
	for _, st := range []engine.StateCode{"BRA", "IND"} {
		r.do(delegateOf(st), engine.StatePosition{State: st, Amendment: a4, Kind: engine.Support})
	}
	r.do(delegateOf("USA"), engine.StatePosition{State: "USA", Amendment: a4, Kind: engine.Oppose, Comment: "Conditions on the fund prejudge the discussion."})
	r.do(delegateOf("EU"), engine.StatePosition{State: "EU", Amendment: a4, Kind: engine.Reservation})

	p44 := r.find("take note of the present report")
	r.do(delegateOf("RUS"), engine.ProposeAmendment{Proposer: "RUS", Op: engine.OpDeleteParagraph, Para: p44.ID, Version: p44.Version})
	a5 := r.lastAmendment()
	r.do(delegateOf("FRA"), engine.StatePosition{State: "FRA", Amendment: a5, Kind: engine.Oppose})
	r.do(delegateOf("CHN"), engine.StatePosition{State: "CHN", Amendment: a5, Kind: engine.Support})

	p20 := r.find("elaboration of additional norms over time")
	r.do(delegateOf("ARG"), engine.ProposeAmendment{Proposer: "ARG", Op: engine.OpDeleteParagraph, Para: p20.ID, Version: p20.Version})
	r.do(chairActor, engine.DecideAmendment{Amendment: r.lastAmendment(), Outcome: engine.Accepted})

	p35 := r.find("capacity-building portal")
	r.do(delegateOf("JPN"), engine.ProposeAmendment{Proposer: "JPN", Op: engine.OpMoveParagraph, Para: p35.ID, After: p36.ID})
	r.do(chairActor, engine.DecideAmendment{Amendment: r.lastAmendment(), Outcome: engine.Accepted})

	p2 := r.find("organizational session of the Global Mechanism")
	a, b = r.span(p2, "no two meetings of the Global Mechanism were held in parallel")
	r.do(chairActor, engine.AddBrackets{Para: p2.ID, Version: p2.Version, Start: a, End: b, By: []engine.StateCode{"IRN"}})

	p17 := r.find("providing services to the public, [including")
	r.do(delegateOf("FRA"), engine.StatePosition{State: "FRA", Para: p17.ID, Kind: engine.Support})
	r.do(delegateOf("CHN"), engine.StatePosition{State: "CHN", Para: p17.ID, Kind: engine.Oppose, Comment: "The norm is voluntary."})
	r.do(delegateOf("KEN"), engine.StatePosition{State: "KEN", Para: p17.ID, Kind: engine.Flexible})

	p14 := r.find("Chair noted proposals to develop")
	a, b = r.span(p14, "on a voluntary basis, ")
	r.do(delegateOf("CAN"), engine.ProposeAmendment{Proposer: "CAN", Op: engine.OpDelete, Para: p14.ID, Version: p14.Version, Start: a, End: b})
	r.do(chairActor, engine.DecideAmendment{Amendment: r.lastAmendment(), Outcome: engine.Rejected})

	p5 := r.find("modalities for the participation")
	a, _ = r.span(p5, " had been applied")
	r.do(delegateOf("AUS"), engine.ProposeAmendment{Proposer: "AUS", Op: engine.OpInsert, Para: p5.ID, Version: p5.Version, Start: a, End: a, NewText: " consistently"})
	r.do(delegateOf("AUS"), engine.DecideAmendment{Amendment: r.lastAmendment(), Outcome: engine.Withdrawn})

	p7 := r.find("scope, scale, severity")
	r.do(delegateOf("CHN"), engine.StatePosition{State: "CHN", Para: p7.ID, Kind: engine.Oppose})

	// Rev.1, 15 March.
	r.at(day(3, 15, 9))
	r.do(secretariat, engine.IssueRevision{Kind: engine.Rev, Date: day(3, 15, 0)})
	s.rev1 = r.doc.Revisions[1]

	// Second reading, 20 March: changes in the live state.
	r.at(day(3, 20, 10))
	p38 := r.find("bridging the digital divide")
	a, b = r.span(p38, "bridging the digital divide")
	r.do(delegateOf("MEX"), engine.ProposeAmendment{Proposer: "MEX", Op: engine.OpReplace, Para: p38.ID, Version: p38.Version, Start: a, End: b, NewText: "closing the digital divides"})
	r.do(chairActor, engine.DecideAmendment{Amendment: r.lastAmendment(), Outcome: engine.AcceptedAsModified, NewText: "narrowing the digital divide"})

	a4t := r.doc.Amendments[a4].NewText
	i := strings.Index(a4t, "developing countries")
	start := len([]rune(a4t[:i]))
	r.do(delegateOf("EGY"), engine.ProposeAmendment{Proposer: "EGY", Op: engine.OpReplace, Parent: a4, Version: r.doc.Amendments[a4].TextVer,
		Start: start, End: start + len([]rune("developing countries")), NewText: "developing and least developed countries"})

	p7 = r.para("7")
	r.do(chairActor, engine.ClearBrackets{Para: p7.ID, Version: p7.Version, Index: 1, Drop: true})
	p7 = r.para("7")
	r.do(chairActor, engine.ClearBrackets{Para: p7.ID, Version: p7.Version, Index: 0})
	s.liveAt = day(3, 20, 18)
	return s
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update and review the diff):\n%s", name, firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + itoa(i+1) + ":\n  want: " + w + "\n  got:  " + g
		}
	}
	return "(same lines, different bytes)"
}

// docxPart returns one part of a .docx.
func docxPart(t testing.TB, docx []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(docx), int64(len(docx)))
	if err != nil {
		t.Fatalf("open docx: %v", err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
	}
	t.Fatalf("docx has no %s", name)
	return nil
}
