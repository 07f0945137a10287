package engine

import (
	"strings"
	"testing"
)

// TestContributions: accredited stakeholders contribute in writing to
// consultations and to the meetings of groups that admit their category;
// never to a plenary where States negotiate; never after the meeting.
func TestContributions(t *testing.T) {
	p := testProcess(t)
	pmust(t, p, procSec, ProposeObserver{ID: "CPN", Name: "Cyber Peace Network", Category: CategoryNGO, Deadline: at("2026-04-01")})
	pmust(t, p, procSec, ProposeObserver{ID: "ICRC", Name: "International Committee of the Red Cross", Category: CategoryIntergovernmental, Deadline: at("2026-04-01")})
	pmust(t, p, Context{Now: at("2026-04-02"), Actor: procSec.Actor}, CloseAccreditation{})
	pmust(t, p, procSec, RegisterParticipant{Person: "ngo-1", Name: "NGO rep", Role: RoleObserver, Observer: "CPN"})
	pmust(t, p, procSec, RegisterParticipant{Person: "icrc-1", Name: "ICRC rep", Role: RoleObserver, Observer: "ICRC"})
	pmust(t, p, procSec, RegisterParticipant{Person: "del-FRA", Name: "France", Role: RoleDelegate, State: "FRA"})
	pmust(t, p, procSec, ScheduleMeeting{ID: "il-2026", Body: "il", Kind: GroupMeeting, Title: "International law", Start: at("2026-12-07T10:00"), End: at("2026-12-07T18:00")})
	ngo := Context{Now: at("2026-06-01"), Actor: Actor{Person: "ngo-1", Role: RoleObserver, State: "CPN"}}
	icrc := Context{Now: at("2026-06-01"), Actor: Actor{Person: "icrc-1", Role: RoleObserver, State: "ICRC"}}
	note := SubmitContribution{Meeting: "sc-2026", Title: "Views of the Cyber Peace Network", Text: "We recommend that the points of contact directory include CERTs."}
	checkRefusals(t, p, nil, []refusal{
		{"the plenary", ngo, SubmitContribution{Meeting: "pl-2026", Title: "T", Text: "x"}, EFORBIDDEN,
			"meeting pl-2026 (First plenary session, 6 July 2026, 10:00 UTC – 10 July 2026, 18:00 UTC) is a substantive plenary meeting, where States negotiate; observer CPN (Cyber Peace Network, ngo) contributes in writing to stakeholder consultations and to the meetings of groups and intersessional meetings open to it"},
		{"a group that does not admit NGOs", ngo, SubmitContribution{Meeting: "il-2026", Title: "T", Text: "x"}, EFORBIDDEN,
			"observer CPN (Cyber Peace Network, ngo) cannot contribute to meeting il-2026 (International law, 7 December 2026, 10:00–18:00 UTC): it admits only intergovernmental"},
		{"after the meeting", Context{Now: at("2026-07-03"), Actor: ngo.Actor}, note, ECONFLICT,
			"meeting sc-2026 (Stakeholder consultation, 2 July 2026, 10:00–18:00 UTC) ended at 2 July 2026, 18:00 UTC; written contributions are submitted before it ends"},
		{"not registered", Context{Now: ngo.Now, Actor: Actor{Person: "ghost", Role: RoleObserver}}, note, EFORBIDDEN, "ghost is not a participant of GM; written contributions come from registered participants"},
		{"the secretariat", procSec, note, EFORBIDDEN, "the secretariat speaks for no delegation or observer; written contributions come from delegations and observers"},
		{"empty", ngo, SubmitContribution{Meeting: "sc-2026", Title: "T"}, EINVALID, "a contribution has a text, a file or both"},
		{"no title", ngo, SubmitContribution{Meeting: "sc-2026", Text: "x"}, EINVALID, "title is required"},
		{"file too large", ngo, SubmitContribution{Meeting: "sc-2026", Title: "T", File: &Attachment{Name: "a.pdf", MediaType: "application/pdf", Data: []byte(strings.Repeat("x", MaxAttachment+1))}}, EINVALID,
			"file a.pdf is 524289 bytes; the limit is 524288"},
		{"unknown meeting", ngo, SubmitContribution{Meeting: "nope", Title: "T", Text: "x"}, ENOTFOUND, "meeting nope does not exist in GM"},
	})
	pmust(t, p, ngo, note)
	pmust(t, p, icrc, SubmitContribution{Meeting: "il-2026", Title: "ICRC on IHL", File: &Attachment{Name: "ihl.pdf", MediaType: "application/pdf", Data: []byte("%PDF-1.7 …")}})
	pmust(t, p, procDelegate("FRA", "2026-06-01"), SubmitContribution{Meeting: "sc-2026", Title: "France", Text: "La France salue les contributions."})
	got := p.ContributionsTo("sc-2026")
	if len(got) != 2 || got[0].Observer != "CPN" || got[0].By != "ngo-1" || got[1].State != "FRA" || got[0].ID != "c1" {
		t.Fatalf("contributions to sc-2026: %+v", got)
	}
	if f := p.ContributionsTo("il-2026")[0].File; f == nil || string(f.Data) != "%PDF-1.7 …" {
		t.Fatalf("the file was not kept whole: %+v", f)
	}
}

// TestECOSOCStatus: a process that takes NGOs with ECOSOC consultative
// status accredits no NGO without it.
func TestECOSOCStatus(t *testing.T) {
	p := NewProcess()
	pmust(t, p, procSec, CreateProcess{ID: "oewg", Name: "OEWG", Short: "OEWG", Start: at("2021-06-01"), Rules: ProcessRules{NGOsWithECOSOCStatus: true}})
	checkRefusals(t, p, nil, []refusal{
		{"no status", procSec, ProposeObserver{ID: "CPN", Name: "Cyber Peace Network", Category: CategoryNGO, Deadline: at("2026-04-01")}, EINVALID,
			"OEWG takes NGOs with ECOSOC consultative status; give the status of CPN (Cyber Peace Network): general, special or roster"},
		{"unknown status", procSec, ProposeObserver{ID: "CPN", Name: "Cyber Peace Network", Category: CategoryNGO, ECOSOCStatus: "gold", Deadline: at("2026-04-01")}, EINVALID,
			`ecosocStatus "gold" is not one of general, special, roster`},
		{"status of a business", procSec, ProposeObserver{ID: "ACME", Name: "Acme", Category: CategoryBusiness, ECOSOCStatus: "special", Deadline: at("2026-04-01")}, EINVALID,
			"ecosocStatus is an NGO's consultative status; ACME is business"},
	})
	pmust(t, p, procSec, ProposeObserver{ID: "CPN", Name: "Cyber Peace Network", Category: CategoryNGO, ECOSOCStatus: "special", Deadline: at("2026-04-01")})
	pmust(t, p, procSec, ProposeObserver{ID: "ACME", Name: "Acme", Category: CategoryBusiness, Deadline: at("2026-04-01")})
}
