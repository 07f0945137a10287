package engine

import (
	"encoding/json"
	"testing"
	"time"
)

// Helpers for process tests. Times are UTC so that messages are easy to
// read.

func at(s string) time.Time {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t
		}
	}
	panic("bad time " + s)
}

var (
	procSec    = Context{Now: at("2026-03-01"), Actor: Actor{Person: "sec", Role: RoleSecretariat}}
	procChair  = Context{Now: at("2026-07-06T10:00"), Actor: Actor{Person: "chair-ken", Role: RoleChair}}
	procSystem = Context{Now: at("2026-03-01"), Actor: Actor{Person: "system", Role: RoleSystem}}
)

func procDelegate(s StateCode, now string) Context {
	return Context{Now: at(now), Actor: Actor{Person: PersonID("del-" + string(s)), State: s, Role: RoleDelegate}}
}

func procObserver(id ObserverID) Context {
	return Context{Now: at("2026-07-06T10:00"), Actor: Actor{Person: PersonID("obs-" + string(id)), State: StateCode(id), Role: RoleObserver}}
}

// pmust executes a process command and fails the test on error.
func pmust(t *testing.T, p *Process, c Context, cmd ProcessCommand) []Event {
	t.Helper()
	evs, err := p.Execute(c, cmd)
	if err != nil {
		t.Fatalf("%T: %v", cmd, err)
	}
	return evs
}

// refusal is one row of a table of refused commands: the exact message
// and code.
type refusal struct {
	name string
	c    Context
	cmd  any // a ProcessCommand or a DocumentCommand
	code string
	want string
}

// checkRefusals runs every row against the same state (Decide changes
// nothing) and compares the error text exactly.
func checkRefusals(t *testing.T, p *Process, d *Document, rows []refusal) {
	t.Helper()
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			var err error
			switch cmd := r.cmd.(type) {
			case ProcessCommand:
				_, err = p.Decide(r.c, cmd)
			case DocumentCommand:
				_, err = d.Decide(r.c, cmd)
			default:
				t.Fatalf("%T is not a command", r.cmd)
			}
			if err == nil {
				t.Fatalf("%T succeeded; want %s %q", r.cmd, r.code, r.want)
			}
			if ErrorCode(err) != r.code || err.Error() != r.want {
				t.Errorf("%T refused with\n got: %s %q\nwant: %s %q", r.cmd, ErrorCode(err), err, r.code, r.want)
			}
		})
	}
}

// testProcess is a small permanent-mechanism-like process: a plenary open
// to every category, a thematic group open to intergovernmental
// organisations, an additional group of fixed duration, a chair from Kenya
// (2026–2028), an organizational session, a stakeholder consultation and
// the first plenary.
func testProcess(t *testing.T) *Process {
	t.Helper()
	p := NewProcess()
	pmust(t, p, procSec, CreateProcess{ID: "gm", Name: "Global Mechanism on ICT security", Short: "GM", Start: at("2026-03-23"),
		Rules: ProcessRules{ChairTermYears: 2, GeographicRotation: true, ReviewEveryYears: 4, ConsultationBeforePlenary: true}})
	pmust(t, p, procSec, EstablishBody{ID: "plenary", Kind: BodyPlenary, Name: "Plenary", Participation: StakeholderCategories()})
	pmust(t, p, procSec, EstablishBody{ID: "il", Kind: BodyThematicGroup, Name: "International law", Objectives: []string{"How international law applies."},
		Participation: []StakeholderCategory{CategoryIntergovernmental}})
	pmust(t, p, procSec, EstablishBody{ID: "ag", Kind: BodyAdditionalGroup, Name: "Emerging technologies", Start: at("2027-09-01"), End: at("2029-07-01"),
		Participation: []StakeholderCategory{CategoryNGO, CategoryAcademia}})
	pmust(t, p, procSec, RegisterParticipant{Person: "sec", Name: "Secretary", Role: RoleSecretariat})
	pmust(t, p, procSec, ScheduleMeeting{ID: "org", Body: "plenary", Kind: OrganizationalSession, Title: "Organizational session", Start: at("2026-03-23T10:00"), End: at("2026-03-24T18:00")})
	pmust(t, p, procSec, NominateOfficer{Seat: Seat{Role: RoleChair}, Person: "chair-ken", Name: "A. Chair", State: "KEN", TermStart: at("2026-03-23")})
	pmust(t, p, procSec, ElectOfficer{Seat: Seat{Role: RoleChair}, Person: "chair-ken", Meeting: "org"})
	pmust(t, p, procSec, ScheduleMeeting{ID: "sc-2026", Body: "plenary", Kind: StakeholderConsultation, Title: "Stakeholder consultation", Start: at("2026-07-02T10:00"), End: at("2026-07-02T18:00")})
	pmust(t, p, procSec, ScheduleMeeting{ID: "pl-2026", Body: "plenary", Kind: SubstantivePlenary, Title: "First plenary session", Session: "First session", Start: at("2026-07-06T10:00"), End: at("2026-07-10T18:00")})
	return p
}

func TestProcessSetUp(t *testing.T) {
	p := testProcess(t)
	if pl := p.Plenary(); pl == nil || pl.ID != "plenary" {
		t.Fatalf("plenary = %+v", pl)
	}
	chair, ok := p.Holder(Seat{Role: RoleChair}, at("2027-01-01"))
	if !ok || chair.State != "KEN" || chair.Region != RegionalGroupAfrican || !chair.TermEnd.Equal(at("2028-03-23")) {
		t.Fatalf("chair = %+v, want KEN, African States, term to 23 March 2028", chair)
	}
	m, _ := p.Meeting("pl-2026")
	if m.StateOnly() || len(m.Admits) != 5 {
		t.Errorf("plenary meeting admits %v; want the plenary's five categories", m.Admits)
	}
	if got := ProcessStream("gm"); got != "process/gm" {
		t.Errorf("ProcessStream = %q", got)
	}
}

func TestProcessRefusals(t *testing.T) {
	p := testProcess(t)
	empty := NewProcess()
	rows := []refusal{
		{"command before the process exists", procSec, EstablishBody{ID: "x", Kind: BodyPlenary, Name: "X"}, ENOTFOUND, "the process does not exist yet"},
		{"process twice", procSec, CreateProcess{ID: "gm", Name: "Again", Start: at("2026-01-01")}, ECONFLICT, "process gm already exists"},
		{"delegate sets up", procDelegate("FRA", "2026-03-01"), EstablishBody{ID: "x", Kind: BodyThematicGroup, Name: "X"}, EFORBIDDEN, "only the secretariat can establish a body; a delegate cannot"},
		{"observer sets up", procObserver("ICRC"), ScheduleMeeting{ID: "x"}, EFORBIDDEN, "observers never take part in decisions: an observer cannot schedule a meeting; the secretariat does"},
		// bodies
		{"second plenary", procSec, EstablishBody{ID: "pl2", Kind: BodyPlenary, Name: "Another plenary"}, ECONFLICT, "GM already has a plenary, plenary (Plenary); a process has one"},
		{"body twice", procSec, EstablishBody{ID: "il", Kind: BodyThematicGroup, Name: "Law"}, ECONFLICT, "body il already exists: International law"},
		{"unknown body kind", procSec, EstablishBody{ID: "wg", Kind: "working-group", Name: "WG"}, EINVALID, `kind "working-group" is not one of plenary, thematic-group, additional-group`},
		{"additional group without duration", procSec, EstablishBody{ID: "ag2", Kind: BodyAdditionalGroup, Name: "AI", Start: at("2027-01-01")}, EINVALID, "additional group ag2 has a fixed duration: start and end are required"},
		{"body ends before it starts", procSec, EstablishBody{ID: "ag2", Kind: BodyAdditionalGroup, Name: "AI", Start: at("2027-01-01"), End: at("2026-01-01")}, EINVALID, "body ag2 ends (1 January 2026) before it starts (1 January 2027)"},
		{"unknown category", procSec, EstablishBody{ID: "x", Kind: BodyThematicGroup, Name: "X", Participation: []StakeholderCategory{CategoryNGO, "press"}}, EINVALID, `participation[1]: "press" is not one of business, ngo, academia, intergovernmental, observer-state`},
		{"category twice", procSec, EstablishBody{ID: "x", Kind: BodyThematicGroup, Name: "X", Participation: []StakeholderCategory{CategoryNGO, CategoryNGO}}, EINVALID, "participation[1]: ngo is listed twice"},
		// meetings
		{"overlapping meeting", procSec, ScheduleMeeting{ID: "il-1", Body: "il", Kind: GroupMeeting, Title: "IL", Start: at("2026-07-10T15:00"), End: at("2026-07-10T20:00")}, ECONFLICT,
			"meeting il-1 (IL, 10 July 2026, 15:00–20:00 UTC) overlaps meeting pl-2026 (First plenary session, 6 July 2026, 10:00 UTC – 10 July 2026, 18:00 UTC): meetings of one process are never held in parallel"},
		{"meeting id twice", procSec, ScheduleMeeting{ID: "org", Body: "plenary", Kind: IntersessionalMeeting, Title: "X", Start: at("2026-09-01T10:00"), End: at("2026-09-01T12:00")}, ECONFLICT, "meeting org already exists: Organizational session"},
		{"unknown body", procSec, ScheduleMeeting{ID: "x", Body: "cbm", Kind: GroupMeeting, Title: "X", Start: at("2026-09-01T10:00"), End: at("2026-09-01T12:00")}, ENOTFOUND, "body cbm does not exist in GM"},
		{"group meeting of the plenary", procSec, ScheduleMeeting{ID: "x", Body: "plenary", Kind: GroupMeeting, Title: "X", Start: at("2026-09-01T10:00"), End: at("2026-09-01T12:00")}, EINVALID, "a thematic group meeting is a meeting of a group; body plenary (Plenary) is the plenary"},
		{"plenary meeting of a group", procSec, ScheduleMeeting{ID: "x", Body: "il", Kind: SubstantivePlenary, Title: "X", Start: at("2026-09-01T10:00"), End: at("2026-09-01T12:00")}, EINVALID, "a substantive plenary meeting is a meeting of the plenary; body il (International law) is a thematic group"},
		{"unknown meeting kind", procSec, ScheduleMeeting{ID: "x", Body: "plenary", Kind: "retreat", Title: "X", Start: at("2026-09-01T10:00"), End: at("2026-09-01T12:00")}, EINVALID, `kind "retreat" is not one of organizational-session, substantive-plenary, thematic-group-meeting, intersessional, stakeholder-consultation, review-conference`},
		{"meeting ends before it starts", procSec, ScheduleMeeting{ID: "x", Body: "il", Kind: GroupMeeting, Title: "X", Start: at("2026-09-01T10:00"), End: at("2026-09-01T09:00")}, EINVALID, "meeting x ends (1 September 2026, 09:00 UTC) before it starts (1 September 2026, 10:00 UTC)"},
		{"meeting before the process", procSec, ScheduleMeeting{ID: "x", Body: "il", Kind: GroupMeeting, Title: "X", Start: at("2026-01-05T10:00"), End: at("2026-01-05T12:00")}, EINVALID, "meeting x starts on 5 January 2026, before GM began on 23 March 2026"},
		{"meeting outside the fixed duration", procSec, ScheduleMeeting{ID: "x", Body: "ag", Kind: GroupMeeting, Title: "X", Start: at("2029-09-01T10:00"), End: at("2029-09-01T12:00")}, EINVALID,
			"meeting x (1 September 2029, 10:00–12:00 UTC) falls outside the fixed duration of ag (Emerging technologies), from 1 September 2027 to 30 June 2029"},
		{"State-only meeting that admits", procSec, ScheduleMeeting{ID: "x", Body: "plenary", Kind: IntersessionalMeeting, Title: "X", Start: at("2026-09-01T10:00"), End: at("2026-09-01T12:00"), StateOnly: true, Admits: []StakeholderCategory{CategoryNGO}}, EINVALID,
			"meeting x is State-only and admits no observers, yet admits lists ngo"},
		{"meeting admits more than the body", procSec, ScheduleMeeting{ID: "x", Body: "il", Kind: GroupMeeting, Title: "X", Start: at("2026-09-01T10:00"), End: at("2026-09-01T12:00"), Admits: []StakeholderCategory{CategoryBusiness}}, EINVALID,
			"body il (International law) admits intergovernmental; meeting x cannot admit business"},
		{"short stakeholder consultation", procSec, ScheduleMeeting{ID: "sc", Body: "plenary", Kind: StakeholderConsultation, Title: "SC", Start: at("2027-06-28T10:00"), End: at("2027-06-28T13:00")}, EINVALID,
			"a stakeholder consultation lasts at least one meeting day (10:00 to 18:00, 8 hours); sc lasts 3 hours"},
		{"State-only stakeholder consultation", procSec, ScheduleMeeting{ID: "sc", Body: "plenary", Kind: StakeholderConsultation, Title: "SC", StateOnly: true, Start: at("2027-06-28T10:00"), End: at("2027-06-28T18:00")}, EINVALID,
			"stakeholder consultation sc must admit at least one category of stakeholders"},
		{"plenary without consultation", procSec, ScheduleMeeting{ID: "pl-2027", Body: "plenary", Kind: SubstantivePlenary, Title: "Second plenary session", Session: "Second session", Start: at("2027-07-05T10:00"), End: at("2027-07-09T18:00")}, ECONFLICT,
			"substantive plenary pl-2027 (Second plenary session, 5 July 2027, 10:00 UTC – 9 July 2027, 18:00 UTC) has no stakeholder consultation of at least one day before it (after the previous plenary session ended on 10 July 2026); schedule the consultation first"},
		{"review conference too early", procSec, ScheduleMeeting{ID: "rc", Body: "plenary", Kind: ReviewConference, Title: "Review", Start: at("2029-03-25T10:00"), End: at("2029-03-27T18:00")}, EINVALID,
			"review conferences are held every 4 years: the one after 2026 (when GM began) falls in 2030, and rc falls in 2029"},
		{"cancel the consultation a plenary needs", procSec, CancelMeeting{Meeting: "sc-2026", Reason: "budget"}, ECONFLICT,
			"meeting sc-2026 cannot be cancelled: substantive plenary pl-2026 (First plenary session, 6 July 2026, 10:00 UTC – 10 July 2026, 18:00 UTC) has no stakeholder consultation of at least one day before it; schedule the consultation first"},
		{"cancel without reason", procSec, CancelMeeting{Meeting: "org"}, EINVALID, "reason is required"},
		// officers
		{"chair with a body", procSec, NominateOfficer{Seat: Seat{Role: RoleChair, Body: "plenary"}, Person: "x", Name: "X", State: "BRA", TermStart: at("2028-03-23")}, EINVALID, "the chair presides over the whole process; leave body empty (plenary given)"},
		{"vice-chair of the plenary", procSec, NominateOfficer{Seat: Seat{Role: RoleViceChair, Body: "plenary"}, Person: "x", Name: "X", State: "BRA", TermStart: at("2026-03-23"), TermEnd: at("2028-03-23")}, EINVALID, "vice-chairs lead groups; plenary (Plenary) is the plenary, presided over by the chair"},
		{"facilitator of a thematic group", procSec, NominateOfficer{Seat: Seat{Role: RoleFacilitator, Body: "il"}, Person: "x", Name: "X", State: "BRA", TermStart: at("2026-03-23"), TermEnd: at("2028-03-23")}, EINVALID, "a facilitator leads an additional group; il (International law) is a thematic group, led by a vice-chair"},
		{"not an office", procSec, NominateOfficer{Seat: Seat{Role: RoleDelegate}, Person: "x", Name: "X", State: "BRA", TermStart: at("2026-03-23")}, EINVALID, `role "delegate" is not an office: chair, vice-chair, co-chair or facilitator`},
		{"officer of a group", procSec, NominateOfficer{Seat: Seat{Role: RoleChair}, Person: "x", Name: "X", State: "EU", TermStart: at("2028-03-23")}, EINVALID, `an officer is nominated by a Member State; "EU" is not one`},
		{"chair's term is two years", procSec, NominateOfficer{Seat: Seat{Role: RoleChair}, Person: "x", Name: "X", State: "BRA", TermStart: at("2028-03-23"), TermEnd: at("2029-03-23")}, EINVALID,
			"the chair's term is 2 years: from 23 March 2028 to 23 March 2030, not to 23 March 2029"},
		{"seat taken", procSec, NominateOfficer{Seat: Seat{Role: RoleChair}, Person: "x", Name: "X", State: "BRA", TermStart: at("2027-03-23")}, ECONFLICT,
			"the seat of chair is held by A. Chair (Kenya) from 23 March 2026 to 23 March 2028; nominate a substitute (replaces) or a term that starts after it"},
		{"rotation", procSec, NominateOfficer{Seat: Seat{Role: RoleChair}, Person: "x", Name: "X", State: "NGA", TermStart: at("2028-03-23")}, ECONFLICT,
			"geographic rotation: the African States held the chair from 23 March 2026 to 23 March 2028 (A. Chair (Kenya)); the next chair comes from the Asia-Pacific States, Eastern European States, Latin American and Caribbean States or Western European and other States"},
		{"substitute without extraordinary circumstances", procSec, NominateOfficer{Seat: Seat{Role: RoleChair}, Person: "x", Name: "X", State: "NGA", TermStart: at("2027-01-10"), Replaces: "chair-ken"}, EINVALID,
			"an officer is substituted only in extraordinary circumstances (inability to carry out the duties of the office): give the reason"},
		{"substitute from another group", procSec, NominateOfficer{Seat: Seat{Role: RoleChair}, Person: "x", Name: "X", State: "BRA", TermStart: at("2027-01-10"), Replaces: "chair-ken", Reason: "ill"}, EINVALID,
			"a substitute chair comes from the same regional group as the chair replaced (African States); Brazil is in Latin American and Caribbean States"},
		{"substitute for someone else", procSec, NominateOfficer{Seat: Seat{Role: RoleChair}, Person: "x", Name: "X", State: "NGA", TermStart: at("2027-01-10"), Replaces: "nobody", Reason: "ill"}, ENOTFOUND,
			"nobody does not hold the seat of chair on 10 January 2027; there is no one to substitute"},
		{"substitute for a new term", procSec, NominateOfficer{Seat: Seat{Role: RoleChair}, Person: "x", Name: "X", State: "NGA", TermStart: at("2027-01-10"), TermEnd: at("2029-01-10"), Replaces: "chair-ken", Reason: "ill"}, EINVALID,
			"a substitute serves the rest of A. Chair (Kenya)'s term, until 23 March 2028, not until 10 January 2029"},
		{"elect someone not nominated", procChair, ElectOfficer{Seat: Seat{Role: RoleViceChair, Body: "il"}, Person: "x", Meeting: "org"}, ENOTFOUND, "x is not nominated as vice-chair of il (International law)"},
		{"delegate elects", procDelegate("FRA", "2026-07-06"), ElectOfficer{Seat: Seat{Role: RoleChair}, Person: "x", Meeting: "org"}, EFORBIDDEN, "a delegate of FRA cannot elect an officer; the presiding officer does"},
		{"object for another State", procDelegate("FRA", "2026-07-06"), ObjectToNomination{Seat: Seat{Role: RoleChair}, Person: "x", State: "DEU"}, EFORBIDDEN, "a delegate of FRA cannot object to a candidate for DEU"},
		{"observer State objects", procChair, ObjectToNomination{Seat: Seat{Role: RoleChair}, Person: "x", State: "VAT"}, EINVALID, `"VAT" is not a Member State or negotiating group; only they object to a candidate`},
		// participants
		{"delegate of no State", procSec, RegisterParticipant{Person: "d1", Name: "D", Role: RoleDelegate, State: "XYZ"}, EINVALID, `"XYZ" is not a Member State or negotiating group`},
		{"delegate of an observer State", procSec, RegisterParticipant{Person: "d1", Name: "D", Role: RoleDelegate, State: "VAT"}, EINVALID, "VAT (Holy See) is an observer State: its representatives register as observers"},
		{"registered twice", procSec, RegisterParticipant{Person: "sec", Name: "S", Role: RoleSecretariat}, ECONFLICT, "sec is already registered in GM, as the secretariat"},
		{"officer registered", procSec, RegisterParticipant{Person: "c", Name: "C", Role: RoleChair}, EINVALID, "a chair is elected, not registered: nominate the person and elect them by consensus"},
		{"observer not known", procSec, RegisterParticipant{Person: "o", Name: "O", Role: RoleObserver, Observer: "ICRC"}, ENOTFOUND, "observer ICRC is not known to GM"},
		{"secretariat for a State", procSec, RegisterParticipant{Person: "s2", Name: "S", Role: RoleSecretariat, State: "FRA"}, EINVALID, "the secretariat speaks for no delegation: leave state and observer empty"},
		{"translator without a language", procSec, RegisterParticipant{Person: "t1", Name: "T", Role: RoleTranslator}, EINVALID, "language is required: one of ar, zh, en, fr, ru, es"},
		{"translator into Latin", procSec, RegisterParticipant{Person: "t1", Name: "T", Role: RoleTranslator, Language: "la"}, EINVALID, `language "la" is not one of the six official languages (ar, zh, en, fr, ru, es)`},
		{"translator for a State", procSec, RegisterParticipant{Person: "t1", Name: "T", Role: RoleTranslator, Language: "fr", State: "FRA"}, EINVALID, "a translator belongs to the secretariat and speaks for no delegation: leave state and observer empty"},
		{"delegate with a language", procSec, RegisterParticipant{Person: "d1", Name: "D", Role: RoleDelegate, State: "FRA", Language: "fr"}, EINVALID, "language is a translator's: a delegate works in every language; leave it empty"},
		{"unknown role", procSec, RegisterParticipant{Person: "s2", Name: "S", Role: "press"}, EINVALID, `role "press" is not one of delegate, secretariat, translator, observer`},
		{"withdraw someone unknown", procSec, WithdrawParticipant{Person: "zz"}, ENOTFOUND, "zz is not a participant of GM"},
		// accreditation
		{"no deadline", procSec, ProposeObserver{ID: "ICRC", Name: "International Committee of the Red Cross", Category: CategoryIntergovernmental}, EINVALID, "deadline is required: the time until which Member States may object"},
		{"deadline in the past", procSec, ProposeObserver{ID: "ICRC", Name: "ICRC", Category: CategoryIntergovernmental, Deadline: at("2026-02-01")}, EINVALID, "the deadline for objections (1 February 2026, 00:00 UTC) must be after now (1 March 2026, 00:00 UTC)"},
		{"unknown category", procSec, ProposeObserver{ID: "X", Name: "X", Category: "press", Deadline: at("2026-04-01")}, EINVALID, `category "press" is not one of business, ngo, academia, intergovernmental, observer-state`},
		{"not an observer State", procSec, ProposeObserver{ID: "TWN", Name: "X", Category: CategoryObserverState}, EINVALID, "TWN is not an observer State of the General Assembly (VAT, PSE)"},
		{"a delegation as observer", procSec, ProposeObserver{ID: "EU", Name: "European Union", Category: CategoryIntergovernmental, Deadline: at("2026-04-01")}, EINVALID, "EU (European Union and its member States) is a delegation, not an observer"},
		{"close nothing", procSec, CloseAccreditation{}, ECONFLICT, "no accreditation is pending in GM"},
		// documents
		{"recommendations of the plenary", procSec, RegisterDocument{Document: "d1", Body: "plenary", Type: Recommendations, Title: "R"}, EINVALID, "recommendations come from a thematic or additional group; plenary (Plenary) is the plenary"},
		{"progress report of a group", procSec, RegisterDocument{Document: "d1", Body: "il", Type: DraftProgressReport, Title: "R"}, EINVALID, "a draft-progress-report is the plenary's; il (International law) is a thematic group, whose text is its recommendations"},
		{"unknown type", procSec, RegisterDocument{Document: "d1", Body: "il", Type: "memo", Title: "R"}, EINVALID, `type "memo" is not one of draft-progress-report, final-report, elements-paper, recommendations, chairs-summary, compilation`},
		{"transmit unknown", procSec, TransmitDocument{Document: "d9", To: "plenary"}, ENOTFOUND, "document d9 is not registered in GM"},
	}
	checkRefusals(t, p, nil, rows[1:])
	checkRefusals(t, empty, nil, rows[:1])
}

func TestProcessMoreRefusals(t *testing.T) {
	p := NewProcess()
	pmust(t, p, procSec, CreateProcess{ID: "oewg", Name: "OEWG", Short: "OEWG", Start: at("2021-06-01"), End: at("2025-08-01")})
	pmust(t, p, procSec, EstablishBody{ID: "plenary", Kind: BodyPlenary, Name: "Plenary"})
	pmust(t, p, procSec, EstablishBody{ID: "il", Kind: BodyThematicGroup, Name: "International law"})
	checkRefusals(t, p, nil, []refusal{
		{"after the process", procSec, ScheduleMeeting{ID: "x", Body: "plenary", Kind: SubstantivePlenary, Title: "X", Start: at("2025-08-04T10:00"), End: at("2025-08-04T18:00")}, EINVALID,
			"meeting x ends on 4 August 2025, after OEWG ends on 31 July 2025"},
		{"no review conference", procSec, ScheduleMeeting{ID: "rc", Body: "plenary", Kind: ReviewConference, Title: "Review", Start: at("2025-03-04T10:00"), End: at("2025-03-04T18:00")}, EINVALID,
			"OEWG holds no review conference (its rules set none); rc cannot be one"},
		{"no times", procSec, ScheduleMeeting{ID: "x", Body: "plenary", Kind: SubstantivePlenary, Title: "X"}, EINVALID, "meeting x: start and end are required"},
		{"vice-chair of nothing", procSec, NominateOfficer{Seat: Seat{Role: RoleViceChair}, Person: "v", Name: "V", State: "MEX", TermStart: at("2021-12-13")}, EINVALID, "a vice-chair leads a group: body is required"},
		{"no term start", procSec, NominateOfficer{Seat: Seat{Role: RoleViceChair, Body: "il"}, Person: "v", Name: "V", State: "MEX"}, EINVALID, "termStart is required: the day the term begins"},
		{"term ends before it starts", procSec, NominateOfficer{Seat: Seat{Role: RoleViceChair, Body: "il"}, Person: "v", Name: "V", State: "MEX", TermStart: at("2021-12-13"), TermEnd: at("2021-06-01")}, EINVALID,
			"the term ends (1 June 2021) before it starts (13 December 2021)"},
		{"delegate of an observer", procSec, RegisterParticipant{Person: "d", Name: "D", Role: RoleDelegate, State: "FRA", Observer: "ICRC"}, EINVALID, "a delegate belongs to a delegation (state), not to an observer"},
	})
	// The chair of the OEWG serves for the life of the process.
	pmust(t, p, procSec, NominateOfficer{Seat: Seat{Role: RoleChair}, Person: "c", Name: "C", State: "SGP", TermStart: at("2021-06-01")})
	if n := p.Nominations[0]; !n.TermEnd.Equal(p.End) {
		t.Errorf("chair's term ends %v, want the end of the process", n.TermEnd)
	}
}

func TestProcessCreateRefusals(t *testing.T) {
	checkRefusals(t, NewProcess(), nil, []refusal{
		{"no id", procSec, CreateProcess{Name: "X", Start: at("2026-01-01")}, EINVALID, "process id is required"},
		{"no start", procSec, CreateProcess{ID: "x", Name: "X"}, EINVALID, "start is required: the day the process began"},
		{"ends before it starts", procSec, CreateProcess{ID: "x", Name: "X", Start: at("2026-01-01"), End: at("2025-01-01")}, EINVALID, "process x ends (1 January 2025) before it starts (1 January 2026)"},
		{"long chair term", procSec, CreateProcess{ID: "x", Name: "X", Start: at("2026-01-01"), Rules: ProcessRules{ChairTermYears: 12}}, EINVALID, "chairTermYears is 12; a chair's term is 0 (the life of the process) to 10 years"},
		{"delegate creates", procDelegate("FRA", "2026-01-01"), CreateProcess{ID: "x", Name: "X", Start: at("2026-01-01")}, EFORBIDDEN, "only the secretariat can create a process; a delegate cannot"},
		{"review too rare", procSec, CreateProcess{ID: "x", Name: "X", Start: at("2026-01-01"), Rules: ProcessRules{ReviewEveryYears: 30}}, EINVALID, "reviewEveryYears is 30; write 0 for no review conference, or a number of years up to 20"},
	})
}

// TestMeetingsSessionPattern schedules an OEWG-style session: opening
// plenary, group meetings one after another, closing plenary. The closing
// plenary is of the same session and needs no consultation of its own.
func TestMeetingsSessionPattern(t *testing.T) {
	p := testProcess(t)
	pmust(t, p, procSec, ScheduleMeeting{ID: "sc-2027", Body: "plenary", Kind: StakeholderConsultation, Title: "Consultation", Start: at("2027-06-30T10:00"), End: at("2027-06-30T18:00")})
	pmust(t, p, procSec, ScheduleMeeting{ID: "open", Body: "plenary", Kind: SubstantivePlenary, Title: "Opening plenary", Session: "Second session", Start: at("2027-07-05T10:00"), End: at("2027-07-05T13:00")})
	pmust(t, p, procSec, ScheduleMeeting{ID: "il-1", Body: "il", Kind: GroupMeeting, Title: "International law", Session: "Second session", Start: at("2027-07-05T15:00"), End: at("2027-07-05T18:00")})
	pmust(t, p, procSec, ScheduleMeeting{ID: "close", Body: "plenary", Kind: SubstantivePlenary, Title: "Closing plenary", Session: "Second session", Start: at("2027-07-06T10:00"), End: at("2027-07-06T18:00")})
	// A State-only meeting of the plenary, by flag.
	pmust(t, p, procSec, ScheduleMeeting{ID: "closed", Body: "plenary", Kind: IntersessionalMeeting, Title: "Closed consultations", StateOnly: true, Start: at("2027-07-07T10:00"), End: at("2027-07-07T13:00")})
	pmust(t, p, procSec, ScheduleMeeting{ID: "rc", Body: "plenary", Kind: ReviewConference, Title: "Review conference", Start: at("2030-03-25T10:00"), End: at("2030-03-27T18:00")})
	checkRefusals(t, p, nil, []refusal{
		{"second review conference too soon", procSec, ScheduleMeeting{ID: "rc2", Body: "plenary", Kind: ReviewConference, Title: "Review", Start: at("2033-03-25T10:00"), End: at("2033-03-27T18:00")}, EINVALID,
			"review conferences are held every 4 years: the one after 2030 (review conference rc) falls in 2034, and rc2 falls in 2033"},
	})
	var titles []string
	for _, m := range p.Schedule() {
		titles = append(titles, string(m.ID))
	}
	if got, want := len(titles), 9; got != want {
		t.Fatalf("schedule %v, want %d meetings", titles, want)
	}
	pmust(t, p, procSec, CancelMeeting{Meeting: "closed", Reason: "not needed"})
	if m, _ := p.Meeting("closed"); !m.Cancelled || len(p.Schedule()) != 8 {
		t.Errorf("cancelled meeting still scheduled")
	}
	checkRefusals(t, p, nil, []refusal{
		{"cancel twice", procSec, CancelMeeting{Meeting: "closed", Reason: "again"}, ECONFLICT, "meeting closed is already cancelled"},
	})
	pmust(t, p, procSec, RegisterParticipant{Person: "del-fra", Name: "F", Role: RoleDelegate, State: "FRA"})
	if err := p.MayAttend("del-fra", "closed"); err == nil || err.Error() != "meeting closed was cancelled: not needed" {
		t.Errorf("MayAttend a cancelled meeting: %v", err)
	}
	// A cancelled meeting no longer blocks its slot.
	pmust(t, p, procSec, ScheduleMeeting{ID: "closed2", Body: "plenary", Kind: IntersessionalMeeting, Title: "Closed consultations", StateOnly: true, Start: at("2027-07-07T10:00"), End: at("2027-07-07T13:00")})
}

// TestOfficerElectionConsensus: a nomination objected to cannot be
// elected; the refusal names the objecting States; once the objection is
// withdrawn, the election passes. A substitution is a consensus decision
// too, and ends the replaced officer's service.
func TestOfficerElectionConsensus(t *testing.T) {
	p := testProcess(t)
	vc := Seat{Role: RoleViceChair, Body: "il"}
	pmust(t, p, procSec, NominateOfficer{Seat: vc, Person: "vc-mex", Name: "B. Vice", State: "MEX", TermStart: at("2026-07-06"), TermEnd: at("2028-03-23")})
	pmust(t, p, procDelegate("RUS", "2026-07-06"), ObjectToNomination{Seat: vc, Person: "vc-mex", State: "RUS"})
	pmust(t, p, procDelegate("CHN", "2026-07-06"), ObjectToNomination{Seat: vc, Person: "vc-mex", State: "CHN"})
	checkRefusals(t, p, nil, []refusal{
		{"objections stand", procChair, ElectOfficer{Seat: vc, Person: "vc-mex", Meeting: "org"}, ECONFLICT,
			"no consensus to elect B. Vice (Mexico) as vice-chair of il (International law): CHN (China) objects to the nomination; RUS (Russian Federation) objects to the nomination"},
		{"object twice", procDelegate("RUS", "2026-07-06"), ObjectToNomination{Seat: vc, Person: "vc-mex", State: "RUS"}, ECONFLICT, "RUS already objects to B. Vice as vice-chair of il (International law)"},
		{"nominate twice", procSec, NominateOfficer{Seat: vc, Person: "vc-mex", Name: "B. Vice", State: "MEX", TermStart: at("2026-07-06"), TermEnd: at("2028-03-23")}, ECONFLICT, "vc-mex is already nominated as vice-chair of il (International law)"},
		{"open-ended term", procSec, NominateOfficer{Seat: Seat{Role: RoleViceChair, Body: "il"}, Person: "y", Name: "Y", State: "FRA", TermStart: at("2026-07-06")}, EINVALID, "termEnd is required: GM is open-ended"},
	})
	pmust(t, p, procDelegate("RUS", "2026-07-06"), ObjectToNomination{Seat: vc, Person: "vc-mex", State: "RUS", Withdraw: true})
	checkRefusals(t, p, nil, []refusal{
		{"one objection stands", procChair, ElectOfficer{Seat: vc, Person: "vc-mex", Meeting: "org"}, ECONFLICT,
			"no consensus to elect B. Vice (Mexico) as vice-chair of il (International law): CHN (China) objects to the nomination"},
		{"withdraw what is not there", procDelegate("RUS", "2026-07-06"), ObjectToNomination{Seat: vc, Person: "vc-mex", State: "RUS", Withdraw: true}, ECONFLICT, "RUS has no objection to B. Vice as vice-chair of il (International law) to withdraw"},
	})
	pmust(t, p, procDelegate("CHN", "2026-07-06"), ObjectToNomination{Seat: vc, Person: "vc-mex", State: "CHN", Withdraw: true})
	pmust(t, p, procChair, ElectOfficer{Seat: vc, Person: "vc-mex", Meeting: "org"})
	if o, ok := p.Holder(vc, at("2027-01-01")); !ok || o.Person != "vc-mex" {
		t.Fatalf("vice-chair not elected: %+v", p.Officers)
	}

	// The chair is substituted: nominated with replaces, elected by consensus.
	chairSeat := Seat{Role: RoleChair}
	pmust(t, p, procSec, NominateOfficer{Seat: chairSeat, Person: "chair-nga", Name: "C. Substitute", State: "NGA", TermStart: at("2027-01-10"), Replaces: "chair-ken", Reason: "The chair can no longer carry out the duties of the office."})
	pmust(t, p, procDelegate("USA", "2027-01-05"), ObjectToNomination{Seat: chairSeat, Person: "chair-nga", State: "USA"})
	checkRefusals(t, p, nil, []refusal{
		{"substitution needs consensus", procChair, ElectOfficer{Seat: chairSeat, Person: "chair-nga", Meeting: "org"}, ECONFLICT,
			"no consensus to substitute C. Substitute for chair-ken as chair: USA (United States of America) objects to the nomination"},
	})
	pmust(t, p, procDelegate("USA", "2027-01-05"), ObjectToNomination{Seat: chairSeat, Person: "chair-nga", State: "USA", Withdraw: true})
	pmust(t, p, procSec, NominateOfficer{Seat: chairSeat, Person: "chair-zaf", Name: "E. Other", State: "ZAF", TermStart: at("2027-01-10"), Replaces: "chair-ken", Reason: "The chair can no longer carry out the duties of the office."})
	pmust(t, p, procChair, ElectOfficer{Seat: chairSeat, Person: "chair-nga", Meeting: "org"})
	checkRefusals(t, p, nil, []refusal{
		{"substitute someone already substituted", procChair, ElectOfficer{Seat: chairSeat, Person: "chair-zaf", Meeting: "org"}, ECONFLICT,
			"chair-ken no longer holds the seat of chair on 10 January 2027; there is no one to substitute"},
	})
	if o, _ := p.Holder(chairSeat, at("2027-06-01")); o == nil || o.Person != "chair-nga" || !o.TermEnd.Equal(at("2028-03-23")) {
		t.Fatalf("chair after substitution = %+v", o)
	}
	if o, _ := p.Holder(chairSeat, at("2026-12-01")); o == nil || o.Person != "chair-ken" || o.SubstitutedBy != "chair-nga" || !o.Left.Equal(at("2027-01-10")) {
		t.Fatalf("replaced chair = %+v", o)
	}
	// Rotation counts terms, not substitutes: the next chair cannot be
	// African.
	checkRefusals(t, p, nil, []refusal{
		{"rotation after a substitution", procSec, NominateOfficer{Seat: chairSeat, Person: "z", Name: "Z", State: "ZAF", TermStart: at("2028-03-23")}, ECONFLICT,
			"geographic rotation: the African States held the chair from 23 March 2026 to 23 March 2028 (A. Chair (Kenya)); the next chair comes from the Asia-Pacific States, Eastern European States, Latin American and Caribbean States or Western European and other States"},
	})
	pmust(t, p, procSec, NominateOfficer{Seat: chairSeat, Person: "chair-usa", Name: "D. Next", State: "USA", TermStart: at("2028-03-23")})
	pmust(t, p, procChair, ElectOfficer{Seat: chairSeat, Person: "chair-usa", Meeting: "org"})
	if o, _ := p.Holder(chairSeat, at("2029-01-01")); o == nil || o.Region != RegionalGroupNone {
		t.Fatalf("chair 2028 = %+v", o)
	}
	// The United States counts with the Western European and other States.
	checkRefusals(t, p, nil, []refusal{
		{"rotation, United States", procSec, NominateOfficer{Seat: chairSeat, Person: "z", Name: "Z", State: "FRA", TermStart: at("2030-03-23")}, ECONFLICT,
			"geographic rotation: the Western European and other States held the chair from 23 March 2028 to 23 March 2030 (D. Next (United States of America)); the next chair comes from the Asia-Pacific States, Eastern European States or Latin American and Caribbean States"},
	})
}

// TestAccreditationNonObjection: proposed observers are accredited at the
// deadline unless a Member State objected before it.
func TestAccreditationNonObjection(t *testing.T) {
	p := testProcess(t)
	pmust(t, p, procSec, ProposeObserver{ID: "ICRC", Name: "International Committee of the Red Cross", Category: CategoryIntergovernmental, Deadline: at("2026-04-01")})
	pmust(t, p, procSec, ProposeObserver{ID: "CYBERNGO", Name: "Cyber Peace NGO", Category: CategoryNGO, Deadline: at("2026-04-01")})
	pmust(t, p, procSec, ProposeObserver{ID: "UNI", Name: "A University", Category: CategoryAcademia, Deadline: at("2026-05-01")})
	evs := pmust(t, p, procSec, ProposeObserver{ID: "VAT", Name: "Holy See", Category: CategoryObserverState})
	if len(evs) != 2 || p.Observers[3].Status != Accredited {
		t.Fatalf("observer State not accredited at once: %v", p.Observers[3])
	}
	pmust(t, p, procDelegate("RUS", "2026-03-10"), ObjectToObserver{Observer: "CYBERNGO", State: "RUS", Reason: "not relevant to the mandate"})
	checkRefusals(t, p, nil, []refusal{
		{"group objects", procDelegate("EU", "2026-03-10"), ObjectToObserver{Observer: "CYBERNGO", State: "EU"}, EINVALID, `"EU" is not a Member State; under the non-objection rule only Member States object`},
		{"object for another", procDelegate("FRA", "2026-03-10"), ObjectToObserver{Observer: "CYBERNGO", State: "DEU"}, EFORBIDDEN, "a delegate of FRA cannot object to an accreditation for DEU"},
		{"object twice", procDelegate("RUS", "2026-03-11"), ObjectToObserver{Observer: "CYBERNGO", State: "RUS"}, ECONFLICT, "RUS already objects to observer CYBERNGO (Cyber Peace NGO, ngo)"},
		{"object after the deadline", procDelegate("CHN", "2026-04-02"), ObjectToObserver{Observer: "ICRC", State: "CHN"}, ECONFLICT, "objections to observer ICRC (International Committee of the Red Cross, intergovernmental) closed at 1 April 2026, 00:00 UTC; it is now 2 April 2026, 00:00 UTC"},
		{"object to an accredited observer", procDelegate("CHN", "2026-03-10"), ObjectToObserver{Observer: "VAT", State: "CHN"}, ECONFLICT, "observer VAT (Holy See, observer-state) is already accredited"},
		{"close before the deadline", Context{Now: at("2026-03-31"), Actor: procSec.Actor}, CloseAccreditation{Observer: "ICRC"}, ECONFLICT,
			"Member States may object to observer ICRC (International Committee of the Red Cross, intergovernmental) until 1 April 2026, 00:00 UTC; it is now 31 March 2026, 00:00 UTC"},
		{"close all before any deadline", Context{Now: at("2026-03-31"), Actor: procSec.Actor}, CloseAccreditation{}, ECONFLICT,
			"no accreditation is due: the next deadline is 1 April 2026, 00:00 UTC, for observer ICRC (International Committee of the Red Cross, intergovernmental)"},
		{"propose twice", procSec, ProposeObserver{ID: "ICRC", Name: "ICRC", Category: CategoryIntergovernmental, Deadline: at("2026-04-01")}, ECONFLICT, "observer ICRC (International Committee of the Red Cross, intergovernmental) is already proposed"},
		{"register an observer not yet accredited", procSec, RegisterParticipant{Person: "o", Name: "O", Role: RoleObserver, Observer: "ICRC"}, ECONFLICT,
			"observer ICRC (International Committee of the Red Cross, intergovernmental) is not accredited (proposed); its representatives register once it is"},
	})
	evs = pmust(t, p, Context{Now: at("2026-04-01"), Actor: procSystem.Actor}, CloseAccreditation{})
	if len(evs) != 2 {
		t.Fatalf("closed %d accreditations, want 2 (ICRC and CYBERNGO; UNI is due later)", len(evs))
	}
	icrc, _ := p.Observer("ICRC")
	ngo, _ := p.Observer("CYBERNGO")
	uni, _ := p.Observer("UNI")
	if icrc.Status != Accredited || ngo.Status != NotAccredited || uni.Status != ProposedObserver {
		t.Fatalf("statuses: ICRC %s, CYBERNGO %s, UNI %s", icrc.Status, ngo.Status, uni.Status)
	}
	if ngo.Outcome != "objected to by RUS (Russian Federation)" {
		t.Errorf("outcome = %q", ngo.Outcome)
	}
	// Representatives of accredited observers attend what their
	// category may.
	pmust(t, p, procSec, RegisterParticipant{Person: "obs-icrc", Name: "ICRC delegate", Role: RoleObserver, Observer: "ICRC"})
	pmust(t, p, procSec, RegisterParticipant{Person: "obs-vat", Name: "Holy See delegate", Role: RoleObserver, Observer: "VAT"})
	pmust(t, p, procSec, RegisterParticipant{Person: "del-fra", Name: "French delegate", Role: RoleDelegate, State: "FRA"})
	pmust(t, p, procSec, RegisterParticipant{Person: "del-fra-2", Name: "Second French delegate", Role: RoleDelegate, State: "FRA"})
	pmust(t, p, procSec, ScheduleMeeting{ID: "il-2026", Body: "il", Kind: GroupMeeting, Title: "International law", Start: at("2026-12-07T10:00"), End: at("2026-12-07T18:00")})
	pmust(t, p, procSec, ScheduleMeeting{ID: "closed", Body: "plenary", Kind: IntersessionalMeeting, Title: "Closed", StateOnly: true, Start: at("2026-12-08T10:00"), End: at("2026-12-08T18:00")})
	if got := len(p.Delegates("FRA")); got != 2 {
		t.Errorf("FRA has %d delegates, want 2", got)
	}
	if a := p.Participants[1].Actor(); a.Role != RoleObserver || a.State != "ICRC" {
		t.Errorf("observer acts as %+v", a)
	}
	for _, c := range []struct {
		person  PersonID
		meeting MeetingID
		want    string
	}{
		{"obs-icrc", "il-2026", ""},
		{"del-fra", "closed", ""},
		{"chair-ken", "closed", ""},
		{"obs-vat", "il-2026", "observer VAT (Holy See, observer-state) may not attend meeting il-2026 (International law, 7 December 2026, 10:00–18:00 UTC): it admits only intergovernmental"},
		{"obs-icrc", "closed", "observer ICRC (International Committee of the Red Cross, intergovernmental) may not attend meeting closed (Closed, 8 December 2026, 10:00–18:00 UTC): it is State-only"},
		{"nobody", "closed", "nobody is not a participant of GM"},
	} {
		err := p.MayAttend(c.person, c.meeting)
		if got := ErrorMessage(err); got != c.want {
			t.Errorf("MayAttend(%s, %s) = %q, want %q", c.person, c.meeting, got, c.want)
		}
	}
	pmust(t, p, procSec, WithdrawParticipant{Person: "del-fra-2"})
	if got := len(p.Delegates("FRA")); got != 1 {
		t.Errorf("FRA has %d delegates after a withdrawal, want 1", got)
	}
}

// TestReporting: a group's recommendations go to the plenary.
func TestReporting(t *testing.T) {
	p := testProcess(t)
	pmust(t, p, procSec, RegisterDocument{Document: "il-recs", Body: "il", Type: Recommendations, Title: "Recommendations on international law"})
	pmust(t, p, procSec, RegisterDocument{Document: "apr", Body: "plenary", Type: DraftProgressReport, Title: "Progress report"})
	checkRefusals(t, p, nil, []refusal{
		{"register twice", procSec, RegisterDocument{Document: "apr", Body: "plenary", Type: DraftProgressReport, Title: "X"}, ECONFLICT, "document apr is already registered to body plenary"},
		{"transmit a report", procSec, TransmitDocument{Document: "apr", To: "plenary"}, EINVALID, "only a group's recommendations go to the plenary; document apr is a draft-progress-report"},
		{"transmit to a group", procSec, TransmitDocument{Document: "il-recs", To: "ag"}, EINVALID, "recommendations go to the plenary; ag (Emerging technologies) is an additional group"},
	})
	pmust(t, p, procSec, TransmitDocument{Document: "il-recs", To: "plenary"})
	checkRefusals(t, p, nil, []refusal{
		{"transmit twice", procSec, TransmitDocument{Document: "il-recs", To: "plenary"}, ECONFLICT, "document il-recs already went to plenary on 1 March 2026"},
	})
}

// TestProcessReplay: replaying a process's events after a JSON round trip
// gives the same state.
func TestProcessReplay(t *testing.T) {
	p := NewProcess()
	var log []Event
	run := func(c Context, cmd ProcessCommand) {
		log = append(log, pmust(t, p, c, cmd)...)
	}
	run(procSec, CreateProcess{ID: "gm", Name: "GM", Start: at("2026-03-23"), Rules: ProcessRules{ChairTermYears: 2, GeographicRotation: true}})
	run(procSec, EstablishBody{ID: "plenary", Kind: BodyPlenary, Name: "Plenary", Participation: []StakeholderCategory{CategoryNGO}})
	run(procSec, EstablishBody{ID: "il", Kind: BodyThematicGroup, Name: "IL"})
	run(procSec, ScheduleMeeting{ID: "org", Body: "plenary", Kind: OrganizationalSession, Title: "Org", Start: at("2026-03-23T10:00"), End: at("2026-03-24T18:00")})
	run(procSec, NominateOfficer{Seat: Seat{Role: RoleChair}, Person: "chair-ken", Name: "C1", State: "KEN", TermStart: at("2026-03-23")})
	run(procDelegate("FRA", "2026-03-01"), ObjectToNomination{Seat: Seat{Role: RoleChair}, Person: "chair-ken", State: "FRA"})
	run(procDelegate("FRA", "2026-03-01"), ObjectToNomination{Seat: Seat{Role: RoleChair}, Person: "chair-ken", State: "FRA", Withdraw: true})
	run(procSec, ElectOfficer{Seat: Seat{Role: RoleChair}, Person: "chair-ken", Meeting: "org"})
	run(procSec, NominateOfficer{Seat: Seat{Role: RoleChair}, Person: "c2", Name: "C2", State: "NGA", TermStart: at("2027-01-01"), Replaces: "chair-ken", Reason: "ill"})
	run(procChair, ElectOfficer{Seat: Seat{Role: RoleChair}, Person: "c2", Meeting: "org"})
	run(procSec, ProposeObserver{ID: "NGO1", Name: "NGO one", Category: CategoryNGO, Deadline: at("2026-03-10")})
	run(procDelegate("CHN", "2026-03-02"), ObjectToObserver{Observer: "NGO1", State: "CHN", Reason: "no"})
	run(Context{Now: at("2026-03-10"), Actor: procSec.Actor}, CloseAccreditation{})
	run(procSec, RegisterParticipant{Person: "d", Name: "D", Role: RoleDelegate, State: "BRA"})
	run(procSec, WithdrawParticipant{Person: "d"})
	run(procSec, ScheduleMeeting{ID: "m1", Body: "il", Kind: GroupMeeting, Title: "M1", Start: at("2026-05-01T10:00"), End: at("2026-05-01T13:00")})
	run(procSec, CancelMeeting{Meeting: "m1", Reason: "moved"})
	run(procSec, RegisterDocument{Document: "r", Body: "il", Type: Recommendations, Title: "R"})
	run(procSec, TransmitDocument{Document: "r", To: "plenary"})

	replayed := NewProcess()
	for i, e := range log {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		var back Event
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("decode event %d (%s): %v", i, e.Type, err)
		}
		if err := replayed.Apply(back); err != nil {
			t.Fatalf("apply event %d: %v", i, err)
		}
	}
	want, _ := json.Marshal(p)
	got, _ := json.Marshal(replayed)
	if string(got) != string(want) {
		t.Fatalf("replayed process differs\nlive:     %s\nreplayed: %s", want, got)
	}
	if err := NewDocument().Apply(log[0]); err == nil || err.Error() != `event "process.created" does not apply to a document` {
		t.Errorf("a document applied a process event: %v", err)
	}
	if err := replayed.Apply(NewEvent(t0, Actor{}, &PositionStated{})); err == nil || err.Error() != `event "position.stated" does not apply to a process` {
		t.Errorf("a process applied a document event: %v", err)
	}
}
