package engine

import (
	"testing"
)

// TestOrganizationalSession: the organizational session has business — an
// agenda adopted by consensus and elections held in it (permanent
// mechanism, paragraph 19a).
func TestOrganizationalSession(t *testing.T) {
	p := testProcess(t) // chair-ken elected at org, 2026-03-23
	if o, _ := p.Holder(Seat{Role: RoleChair}, at("2026-04-01")); o == nil || o.Meeting != "org" {
		t.Fatalf("the chair's election is not recorded in the organizational session: %+v", o)
	}
	pmust(t, p, procSec, ScheduleMeeting{ID: "int", Body: "plenary", Kind: IntersessionalMeeting, Title: "Informal", Start: at("2026-05-04T10:00"), End: at("2026-05-04T18:00")})
	items := []string{"Opening of the session", "Election of officers", "Adoption of the agenda", "Organization of work"}
	vc := Seat{Role: RoleViceChair, Body: "il"}
	pmust(t, p, procSec, NominateOfficer{Seat: vc, Person: "vc-mex", Name: "B. Vice", State: "MEX", TermStart: at("2026-03-23"), TermEnd: at("2028-03-23")})
	checkRefusals(t, p, nil, []refusal{
		{"an election outside a meeting", procSec, ElectOfficer{Seat: vc, Person: "vc-mex"}, EINVALID,
			"meeting is required: the meeting in which an election is held (an organizational session, a substantive plenary or a review conference)"},
		{"an election in an informal meeting", procSec, ElectOfficer{Seat: vc, Person: "vc-mex", Meeting: "int"}, ECONFLICT,
			"meeting int (Informal, 4 May 2026, 10:00–18:00 UTC) is an intersessional meeting; an election is held in an organizational session, a substantive plenary or a review conference"},
		{"an agenda for an informal meeting", procSec, ProposeAgenda{Meeting: "int", Items: items}, ECONFLICT,
			"meeting int (Informal, 4 May 2026, 10:00–18:00 UTC) is an intersessional meeting; an agenda is adopted in an organizational session, a substantive plenary or a review conference"},
		{"an empty agenda", procSec, ProposeAgenda{Meeting: "org", Items: nil}, EINVALID, "items is empty: an agenda has at least one item"},
		{"a blank item", procSec, ProposeAgenda{Meeting: "org", Items: []string{"Opening", " "}}, EINVALID, "agenda item 2 is required"},
		{"adopt nothing", procChair, AdoptAgenda{Meeting: "org"}, ENOTFOUND, "meeting org has no proposed agenda"},
	})
	pmust(t, p, procSec, ProposeAgenda{Meeting: "org", Items: items})
	pmust(t, p, procDelegate("RUS", "2026-03-23"), ObjectToAgenda{Meeting: "org", State: "RUS"})
	checkRefusals(t, p, nil, []refusal{
		{"an objection stands", procChair, AdoptAgenda{Meeting: "org"}, ECONFLICT, "no consensus to adopt the agenda of meeting org: RUS (Russian Federation) objects to the agenda"},
		{"the secretariat where a chair holds office", procSec, AdoptAgenda{Meeting: "org"}, EFORBIDDEN,
			"the chair presides over meeting org (Organizational session, 23 March 2026, 10:00 UTC – 24 March 2026, 18:00 UTC): A. Chair (Kenya) [chair-ken]; the secretariat presides only where no chair holds office"},
		{"a delegate", procDelegate("FRA", "2026-03-23"), AdoptAgenda{Meeting: "org"}, EFORBIDDEN, "a delegate of FRA cannot adopt an agenda; the presiding officer does"},
		{"an observer objects", procObserver("ICRC"), ObjectToAgenda{Meeting: "org", State: "ICRC"}, EFORBIDDEN, "observers never take part in decisions: an observer cannot object to an agenda"},
	})
	pmust(t, p, procDelegate("RUS", "2026-03-23"), ObjectToAgenda{Meeting: "org", State: "RUS", Withdraw: true})
	pmust(t, p, procChair, AdoptAgenda{Meeting: "org"})
	pmust(t, p, procChair, ElectOfficer{Seat: vc, Person: "vc-mex", Meeting: "org"})
	org, _ := p.Meeting("org")
	if org.Agenda == nil || org.Agenda.Adopted.IsZero() || len(org.Agenda.Items) != 4 || org.Agenda.Items[1].Title != "Election of officers" || org.Agenda.AdoptedBy != "chair-ken" {
		t.Fatalf("agenda %+v", org.Agenda)
	}
	checkRefusals(t, p, nil, []refusal{
		{"adopted once", procChair, AdoptAgenda{Meeting: "org"}, ECONFLICT, "the agenda of meeting org was adopted on 6 July 2026"},
		{"no change after adoption", procSec, ProposeAgenda{Meeting: "org", Items: items}, ECONFLICT, "the agenda of meeting org was adopted on 6 July 2026"},
	})
}
