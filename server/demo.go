package server

import (
	"context"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/fixtures"
)

// DemoPerson is a person the demo creates, with their one-time login.
type DemoPerson struct {
	Person Person
	Code   string
}

// demoPeople are the demo's participants: the secretariat, two officers,
// delegates of several States and groups, an observer, and the viewer
// login of the room's projector. The officers
// are people who may hold office; they preside because the process's
// template elects them (fixtures/processes/permanent-mechanism: the chair
// for 2026–2028 and the vice-chair of the group on international law),
// not because of their role here.
var demoPeople = []Person{
	{ID: "secretariat", Name: "Secretariat officer", Role: engine.RoleSecretariat},
	{ID: "chair-gm-1", Name: "Chair of the Global Mechanism 2025–2027 (Kenya)", Role: engine.RoleOfficer},
	{ID: "vc-dtg-international-law", Name: "Vice-Chair for international law (Colombia)", Role: engine.RoleOfficer},
	{ID: "fra-1", Name: "Delegate of France", Role: engine.RoleDelegate, State: "FRA"},
	{ID: "chn-1", Name: "Delegate of China", Role: engine.RoleDelegate, State: "CHN"},
	{ID: "bra-1", Name: "Delegate of Brazil", Role: engine.RoleDelegate, State: "BRA"},
	{ID: "ken-1", Name: "Delegate of Kenya", Role: engine.RoleDelegate, State: "KEN"},
	{ID: "usa-1", Name: "Delegate of the United States", Role: engine.RoleDelegate, State: "USA"},
	{ID: "rus-1", Name: "Delegate of the Russian Federation", Role: engine.RoleDelegate, State: "RUS"},
	{ID: "egy-1", Name: "Delegate of Egypt", Role: engine.RoleDelegate, State: "EGY"},
	{ID: "eu-1", Name: "Delegate of the European Union", Role: engine.RoleDelegate, State: "EU"},
	{ID: "g77-1", Name: "Delegate of the Group of 77 and China", Role: engine.RoleDelegate, State: "G77"},
	{ID: "ngo-1", Name: "Representative of an accredited NGO", Role: engine.RoleObserver, Org: "Cyber Peace Network"},
	{ID: "projector", Name: "Projector of the conference room", Role: engine.RoleViewer},
	{ID: "translator-fr", Name: "French translator (Secretariat)", Role: engine.RoleTranslator, Language: "fr"},
	{ID: "translator-ar", Name: "Arabic translator (Secretariat)", Role: engine.RoleTranslator, Language: "ar"},
}

// SetupDemo sets up the permanent mechanism from its template, registers
// the demo participants, imports the draft as document docID of its
// plenary and seeds a few amendments and positions so that a newcomer sees
// a live room at once. It returns everyone's one-time login.
// It does nothing but return fresh logins when the document exists.
func (s *Server) SetupDemo(ctx context.Context, docID engine.DocumentID, draft string) ([]DemoPerson, error) {
	sys := engine.Actor{Person: "system", Role: engine.RoleSystem}
	var out []DemoPerson
	for _, p := range demoPeople {
		if _, ok := s.dir.Person(p.ID); !ok {
			if _, err := s.dir.AddPerson(ctx, sys, p); err != nil {
				return nil, fmt.Errorf("demo person %s: %w", p.ID, err)
			}
		}
		code, err := s.dir.IssueLogin(ctx, sys, p.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, DemoPerson{p, code})
	}
	if _, err := s.room(docID); err == nil {
		return out, nil
	}
	sec, _ := s.dir.Person("secretariat")
	if _, err := s.process("permanent-mechanism"); err != nil {
		if _, err := s.CreateProcess(ctx, sec, CreateProcessRequest{Template: "permanent-mechanism"}); err != nil {
			return nil, fmt.Errorf("demo process: %w", err)
		}
	}
	// The draft is the biennial progress report to be adopted at the
	// 2027 session (permanent mechanism, paragraph 12a): the process
	// allocates its symbol in that year's series of conference room
	// papers, A/AC.292/2027/CRP.1; the draft's own symbol line is not used.
	if _, _, err := s.CreateDocument(ctx, sec, CreateDocumentRequest{ID: docID, Type: engine.DraftProgressReport, Language: "en", Text: draft,
		Process: "permanent-mechanism", Body: "plenary", Meeting: "plenary-2027"}); err != nil {
		return nil, fmt.Errorf("demo draft: %w", err)
	}
	rm, _ := s.room(docID)
	var doc *engine.Document
	if err := rm.Read(ctx, func(d *engine.Document, _ uint64, _ string) { doc = d }); err != nil {
		return nil, err
	}
	// The document is only read here to find paragraphs; commands go
	// through the room like any other.
	find := func(num string) *engine.Paragraph {
		p, _ := doc.FindByNumber(num)
		return p
	}
	submit := func(who engine.PersonID, cmd engine.DocumentCommand) error {
		p, _ := s.dir.Person(who)
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_, err := rm.Submit(ctx, p.Actor(), "demo", cmd)
		return err
	}
	// The French and Arabic versions, numbered as the draft is, go in
	// before the zero draft is issued with them.
	for _, l := range []string{"fr", "ar"} {
		text, err := fs.ReadFile(fixtures.FS, "drafts/progress-report-zero-draft."+l+".md")
		if err != nil {
			return nil, fmt.Errorf("demo %s version: %w", l, err)
		}
		if err := submit(engine.PersonID("translator-"+l), engine.ImportTranslation{Language: l, Text: string(text), File: "progress-report-zero-draft." + l + ".md"}); err != nil {
			return nil, fmt.Errorf("demo %s version: %w", l, err)
		}
	}
	if _, err := rm.Submit(ctx, sec.Actor(), "revision.issue", engine.IssueRevision{Kind: engine.ZeroDraft}); err != nil {
		return nil, err
	}
	if err := demoOutdated(ctx, rm, submit); err != nil {
		return nil, fmt.Errorf("demo translations: %w", err)
	}
	if p := find("3"); p != nil {
		n := len([]rune(p.Text))
		_ = submit("fra-1", engine.ProposeAmendment{Proposer: "FRA", Op: engine.OpInsert, Para: p.ID, Version: p.Version, Start: n, End: n, NewText: " (to be completed)"})
		_ = submit("eu-1", engine.CoSponsor{Amendment: "a1", State: "EU"})
		_ = submit("chn-1", engine.StatePosition{State: "CHN", Para: p.ID, Kind: engine.Reservation, Comment: "We need more time to consider this paragraph."})
	}
	if p := find("5"); p != nil {
		_ = submit("g77-1", engine.ProposeAmendment{Proposer: "G77", Op: engine.OpAddParagraph, Para: p.ID, NewText: "States underlined the importance of capacity-building for developing countries."})
	}
	// The plenary of 2026 has held its first reading; the second reading
	// is open, so the chair can move the pointer and take decisions.
	if ref, err := s.meetingRef("permanent-mechanism", "plenary-2026"); err == nil {
		for _, cmd := range []engine.DocumentCommand{engine.OpenReading{Kind: engine.FirstReading, Meeting: ref}, engine.CloseReading{}, engine.OpenReading{Kind: engine.SecondReading, Meeting: ref}} {
			if err := submit("chair-gm-1", cmd); err != nil {
				return nil, fmt.Errorf("demo reading: %w", err)
			}
		}
		if p := find("1"); p != nil {
			if err := submit("chair-gm-1", engine.ReadParagraph{Para: p.ID}); err != nil {
				return nil, fmt.Errorf("demo reading: %w", err)
			}
		}
	}
	return out, nil
}

// demoOutdated has the secretariat correct two paragraphs after the zero
// draft, and each translator catch up with one of them, so that the demo
// opens with one outdated paragraph in each language version: French 2
// and Arabic 30.
func demoOutdated(ctx context.Context, rm *Room, submit func(engine.PersonID, engine.DocumentCommand) error) error {
	type fix struct {
		num, old, new string
		lang          string // the translator who catches up
		trOld, trNew  string
	}
	fixes := []fix{
		{"30", "one hundred and twelve", "one hundred and fifteen", "fr", "[cent douze]", "[cent quinze]"},
		{"2", "in New York in March 2026", "in New York from 23 to 27 March 2026", "ar", "في نيويورك في آذار/مارس 2026", "في نيويورك في الفترة من 23 إلى 27 آذار/مارس 2026"},
	}
	for _, f := range fixes {
		var p *engine.Paragraph
		var tr *engine.Translation
		if err := rm.Read(ctx, func(d *engine.Document, _ uint64, _ string) {
			p, _ = d.FindByNumber(f.num)
			if p != nil {
				cp := *p
				p = &cp
				if t, _ := d.Translation(f.lang, p.ID); t != nil {
					c := *t
					tr = &c
				}
			}
		}); err != nil {
			return err
		}
		if p == nil || tr == nil || !strings.Contains(p.Text, f.old) || !strings.Contains(tr.Text, f.trOld) {
			return fmt.Errorf("paragraph %s is not the one the demo corrects", f.num)
		}
		i := strings.Index(p.Text, f.old)
		start := len([]rune(p.Text[:i]))
		if err := submit("secretariat", engine.EditText{Para: p.ID, Version: p.Version, Start: start, End: start + len([]rune(f.old)), Insert: f.new}); err != nil {
			return err
		}
		if err := submit(engine.PersonID("translator-"+f.lang), engine.TranslateParagraph{Language: f.lang, Para: p.ID, Version: tr.Version, Source: p.Version + 1,
			Text: strings.Replace(tr.Text, f.trOld, f.trNew, 1)}); err != nil {
			return err
		}
	}
	return nil
}
