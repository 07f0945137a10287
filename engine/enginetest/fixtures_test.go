package enginetest

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/fixtures"
)

var system = engine.Context{Now: time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC), Actor: engine.Actor{Person: "system", Role: engine.RoleSystem}}

// loadTemplate reads and parses fixtures/processes/<name>/process.json.
func loadTemplate(t *testing.T, name string) engine.ProcessTemplate {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "processes", name, "process.json"))
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := engine.ParseProcessTemplate(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return tpl
}

// buildFixture applies a fixture template and checks that replaying its
// events, after a JSON round trip, gives the same process.
func buildFixture(t *testing.T, name string) (*engine.Process, []engine.Event) {
	t.Helper()
	p, evs, err := engine.BuildProcess(system, loadTemplate(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	replayed := engine.NewProcess()
	for i, e := range evs {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var back engine.Event
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		if err := replayed.Apply(back); err != nil {
			t.Fatal(err)
		}
	}
	want, _ := json.Marshal(p)
	got, _ := json.Marshal(replayed)
	if string(want) != string(got) {
		t.Fatalf("%s: replayed process differs from the live one", name)
	}
	return p, evs
}

func bodiesOf(p *engine.Process, kind engine.BodyKind) []engine.BodyID {
	var out []engine.BodyID
	for _, b := range p.Bodies {
		if b.Kind == kind {
			out = append(out, b.ID)
		}
	}
	return out
}

func TestOEWGFixture(t *testing.T) {
	p, _ := buildFixture(t, "oewg-2021-2025")
	groups := bodiesOf(p, engine.BodyThematicGroup)
	want := []engine.BodyID{"threats-norms", "international-law", "cbms", "capacity-building", "regular-dialogue", "humanitarian"}
	if !slices.Equal(groups, want) {
		t.Fatalf("subgroups %v, want %v", groups, want)
	}
	if h, _ := p.Body("humanitarian"); !h.Optional {
		t.Error("the humanitarian subgroup is not marked optional")
	}
	chair, ok := p.Holder(engine.Seat{Role: engine.RoleChair}, time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC))
	if !ok || chair.State != "SGP" || !chair.TermEnd.Equal(p.End) {
		t.Errorf("chair %+v, want Singapore for the life of the process", chair)
	}
	// Every substantive session opens in plenary, meets in the five
	// subgroups and closes in plenary (OEWG concept III), except the
	// sessions of April and June 2025, dedicated to the final report.
	sessions := map[string][]*engine.Meeting{}
	var order []string
	for _, m := range p.Schedule() {
		if m.Session == "" || m.Kind == engine.OrganizationalSession {
			continue
		}
		if _, ok := sessions[m.Session]; !ok {
			order = append(order, m.Session)
		}
		sessions[m.Session] = append(sessions[m.Session], m)
	}
	if len(order) != 11 {
		t.Fatalf("%d substantive sessions, want 11", len(order))
	}
	for _, s := range order {
		ms := sessions[s]
		var kinds []engine.MeetingKind
		for _, m := range ms {
			kinds = append(kinds, m.Kind)
		}
		wantKinds := []engine.MeetingKind{engine.SubstantivePlenary, engine.GroupMeeting, engine.GroupMeeting, engine.GroupMeeting, engine.GroupMeeting, engine.GroupMeeting, engine.SubstantivePlenary, engine.SubstantivePlenary}
		if y, mo := ms[0].Start.Year(), ms[0].Start.Month(); y == 2025 && (mo == time.April || mo == time.June) {
			wantKinds = []engine.MeetingKind{engine.SubstantivePlenary, engine.SubstantivePlenary, engine.SubstantivePlenary}
		}
		for _, m := range ms {
			if m.Venue != "New York" {
				t.Errorf("%s meets in %q; all substantive sessions are held in New York", m.ID, m.Venue)
			}
		}
		if !slices.Equal(kinds, wantKinds) {
			t.Errorf("%s: meetings %v, want opening plenary, five subgroups, plenary, closing plenary", s, kinds)
		}
	}
	// The seed's working schedule: organizational session 1-2 June 2021,
	// first substantive session 6-10 December 2021, then sessions in the
	// months it gives.
	first, last := p.Schedule()[0], p.Schedule()[len(p.Schedule())-1]
	if first.Kind != engine.OrganizationalSession || first.Start.Format("2006-01-02") != "2021-06-01" || first.End.Format("2006-01-02") != "2021-06-02" || last.End.Format("2006-01-02") != "2025-06-27" {
		t.Errorf("schedule runs from %s (%s) to %s", first.ID, first.Start, last.End)
	}
	var months []string
	for _, s := range order {
		months = append(months, sessions[s][0].Start.Format("2006-01-02"))
	}
	if want := []string{"2021-12-06", "2022-03-21", "2022-09-12", "2023-03-06", "2023-09-11", "2024-03-04", "2024-06-10", "2024-09-09", "2025-02-17", "2025-04-07", "2025-06-23"}; !slices.Equal(months, want) {
		t.Errorf("sessions open on %v, want %v", months, want)
	}
	// Subgroups that admit stakeholders, as the seed says.
	for body, want := range map[engine.BodyID][]engine.StakeholderCategory{
		"international-law": {engine.CategoryNGO, engine.CategoryAcademia},
		"capacity-building": {engine.CategoryBusiness, engine.CategoryNGO},
		"regular-dialogue":  {engine.CategoryBusiness, engine.CategoryNGO, engine.CategoryAcademia},
	} {
		b, _ := p.Body(body)
		for _, c := range want {
			if !b.Admits(c) {
				t.Errorf("subgroup %s does not admit %s", body, c)
			}
		}
	}
	if !p.Rules.NGOsWithECOSOCStatus || p.Rules.FormalVenue != "New York" || !p.Rules.SessionPattern {
		t.Errorf("rules %+v", p.Rules)
	}
}

func TestPermanentMechanismFixture(t *testing.T) {
	p, _ := buildFixture(t, "permanent-mechanism")
	if got, want := bodiesOf(p, engine.BodyThematicGroup), []engine.BodyID{"dtg-international-law", "dtg-cbms", "dtg-capacity-building", "dtg-critical-infrastructure"}; !slices.Equal(got, want) {
		t.Errorf("dedicated thematic groups %v, want %v", got, want)
	}
	if got := bodiesOf(p, engine.BodyAdditionalGroup); len(got) != 1 {
		t.Errorf("additional groups %v", got)
	}
	chairs := p.Chairs()
	if len(chairs) != 2 || chairs[0].Region == chairs[1].Region || chairs[0].TermEnd.Sub(chairs[0].TermStart) < 730*24*time.Hour {
		t.Errorf("chairs %+v: two two-year terms from different regional groups", chairs)
	}
	for _, b := range bodiesOf(p, engine.BodyThematicGroup) {
		if _, ok := p.Holder(engine.Seat{Role: engine.RoleViceChair, Body: b}, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)); !ok {
			t.Errorf("group %s has no vice-chair", b)
		}
	}
	if _, ok := p.Holder(engine.Seat{Role: engine.RoleFacilitator, Body: "ag-emerging-technologies"}, time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)); !ok {
		t.Error("the additional group has no facilitator")
	}
	// One substantive plenary a year, each after a stakeholder
	// consultation of at least one day; a review conference in 2029; no
	// two meetings at once.
	var prev *engine.Meeting
	plenaries, reviews := 0, 0
	var lastConsultation *engine.Meeting
	for _, m := range p.Schedule() {
		if prev != nil && m.Start.Before(prev.End) {
			t.Errorf("%s overlaps %s", m.ID, prev.ID)
		}
		prev = m
		switch m.Kind {
		case engine.StakeholderConsultation:
			lastConsultation = m
			if m.End.Sub(m.Start) < engine.MeetingDay {
				t.Errorf("consultation %s is shorter than a meeting day", m.ID)
			}
		case engine.SubstantivePlenary:
			plenaries++
			if lastConsultation == nil || m.Start.Sub(lastConsultation.End) > 30*24*time.Hour {
				t.Errorf("plenary %s has no consultation just before it", m.ID)
			}
			lastConsultation = nil
		case engine.ReviewConference:
			reviews++
			if m.Start.Year() != 2029 { // PM 12e: every four years from 2025
				t.Errorf("review conference in %d", m.Start.Year())
			}
		}
	}
	if plenaries != 4 || reviews != 1 {
		t.Errorf("%d plenaries, %d review conferences", plenaries, reviews)
	}

	// The refusal quoted in fixtures/processes/README.md.
	tpl := loadTemplate(t, "permanent-mechanism")
	tpl.Meetings = slices.DeleteFunc(tpl.Meetings, func(m engine.MeetingTemplate) bool { return m.ID == "sc-2027" })
	_, _, err := engine.BuildProcess(system, tpl)
	want := "meetings[12] (plenary-2027): substantive plenary plenary-2027 (Second substantive plenary session, adoption of the biennial progress report, 5 July 2027, 14:00 UTC – 9 July 2027, 22:00 UTC) has no stakeholder consultation of at least one day before it (after the previous plenary session ended on 27 March 2026); schedule the consultation first"
	if err == nil || err.Error() != want {
		t.Errorf("without the 2027 consultation:\n got %v\nwant %s", err, want)
	}
	readme, _ := os.ReadFile(filepath.Join("..", "..", "fixtures", "processes", "README.md"))
	if !strings.Contains(string(readme), want) {
		t.Error("fixtures/processes/README.md does not quote the refusal as the engine gives it")
	}
}

// TestFixturesEmbedded: the binary carries the process templates.
func TestFixturesEmbedded(t *testing.T) {
	for _, name := range []string{"oewg-2021-2025", "permanent-mechanism"} {
		data, err := fs.ReadFile(fixtures.FS, "processes/"+name+"/process.json")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := engine.ParseProcessTemplate(data); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
