package engine

import (
	"testing"
)

// TestMeetingOverlap: meetings of one process are never held in parallel
// (permanent mechanism, paragraph 17), however they overlap: one that
// starts inside another, one that starts before another and ends during
// it, one that encloses another, one enclosed. Meetings that touch (one
// ends when the next starts) do not overlap.
func TestMeetingOverlap(t *testing.T) {
	p := testProcess(t) // pl-2026: 2026-07-06 10:00 – 2026-07-10 18:00
	const pl = "meeting pl-2026 (First plenary session, 6 July 2026, 10:00 UTC – 10 July 2026, 18:00 UTC): meetings of one process are never held in parallel"
	meeting := func(id MeetingID, start, end string) ScheduleMeeting {
		return ScheduleMeeting{ID: id, Body: "il", Kind: GroupMeeting, Title: "IL", Start: at(start), End: at(end), Venue: "New York"}
	}
	checkRefusals(t, p, nil, []refusal{
		{"starts inside", procSec, meeting("in", "2026-07-10T15:00", "2026-07-10T20:00"), ECONFLICT,
			"meeting in (IL, 10 July 2026, 15:00–20:00 UTC) overlaps " + pl},
		{"starts before, ends during", procSec, meeting("before", "2026-07-05T10:00", "2026-07-06T12:00"), ECONFLICT,
			"meeting before (IL, 5 July 2026, 10:00 UTC – 6 July 2026, 12:00 UTC) overlaps " + pl},
		{"encloses", procSec, meeting("around", "2026-07-05T10:00", "2026-07-11T12:00"), ECONFLICT,
			"meeting around (IL, 5 July 2026, 10:00 UTC – 11 July 2026, 12:00 UTC) overlaps " + pl},
		{"enclosed", procSec, meeting("within", "2026-07-07T10:00", "2026-07-07T12:00"), ECONFLICT,
			"meeting within (IL, 7 July 2026, 10:00–12:00 UTC) overlaps " + pl},
		{"same times", procSec, meeting("same", "2026-07-06T10:00", "2026-07-10T18:00"), ECONFLICT,
			"meeting same (IL, 6 July 2026, 10:00 UTC – 10 July 2026, 18:00 UTC) overlaps " + pl},
	})
	pmust(t, p, procSec, meeting("right-after", "2026-07-10T18:00", "2026-07-10T20:00"))
	pmust(t, p, procSec, meeting("right-before", "2026-07-06T08:00", "2026-07-06T10:00"))
	// A cancelled meeting frees its slot.
	pmust(t, p, procSec, CancelMeeting{Meeting: "right-after", Reason: "moved"})
	pmust(t, p, procSec, meeting("again", "2026-07-10T18:00", "2026-07-10T19:00"))
}

// TestCalendar: the calendar rules of the permanent mechanism (paragraphs
// 12a, 12d, 18d) and the OEWG's session pattern.
func TestCalendar(t *testing.T) {
	p := NewProcess()
	pmust(t, p, procSec, CreateProcess{ID: "gm", Name: "GM", Short: "GM", Start: at("2025-12-01"), Rules: ProcessRules{ChairTermYears: 2,
		PlenarySessionsPerYear: 1, ProgressReportEveryYears: 2, FormalVenue: "New York", ConsultationBeforePlenary: true}})
	pmust(t, p, procSec, EstablishBody{ID: "plenary", Kind: BodyPlenary, Name: "Plenary", Participation: StakeholderCategories()})
	pmust(t, p, procSec, EstablishBody{ID: "il", Kind: BodyThematicGroup, Name: "International law", Participation: []StakeholderCategory{CategoryNGO, CategoryAcademia}})
	ny := func(m ScheduleMeeting) ScheduleMeeting { m.Venue = "New York"; return m }
	pmust(t, p, procSec, ny(ScheduleMeeting{ID: "org", Body: "plenary", Kind: OrganizationalSession, Title: "Organizational session", Start: at("2025-12-08T10:00"), End: at("2025-12-09T18:00")}))
	pmust(t, p, procSec, ScheduleMeeting{ID: "sc-2026", Body: "plenary", Kind: StakeholderConsultation, Title: "Consultation", Start: at("2026-03-16T10:00"), End: at("2026-03-16T18:00"), Venue: "Virtual"})
	pmust(t, p, procSec, ny(ScheduleMeeting{ID: "pl-2026", Body: "plenary", Kind: SubstantivePlenary, Title: "First session", Session: "First session", Start: at("2026-03-23T10:00"), End: at("2026-03-27T18:00")}))
	pmust(t, p, procSec, ScheduleMeeting{ID: "sc-2026b", Body: "plenary", Kind: StakeholderConsultation, Title: "Consultation", Start: at("2026-09-07T10:00"), End: at("2026-09-07T18:00"), Venue: "New York"})
	checkRefusals(t, p, nil, []refusal{
		{"a second plenary session in a year", procSec, ny(ScheduleMeeting{ID: "pl-2026b", Body: "plenary", Kind: SubstantivePlenary, Title: "Another", Session: "Another session", Start: at("2026-09-14T10:00"), End: at("2026-09-18T18:00")}), ECONFLICT,
			`GM holds 1 substantive plenary session a year; in 2026 it would hold "First session" and "Another session"`},
		{"a three-week plenary", procSec, ny(ScheduleMeeting{ID: "pl-2027", Body: "plenary", Kind: SubstantivePlenary, Title: "Long", Session: "Long session", Start: at("2027-03-08T10:00"), End: at("2027-03-26T18:00")}), EINVALID,
			`substantive session "Long session" runs from 8 March 2027 to 26 March 2027, 15 working days; a session lasts at most 5 working days (rules.sessionWorkingDays)`},
		{"a formal plenary in Geneva", procSec, ScheduleMeeting{ID: "pl-2027", Body: "plenary", Kind: SubstantivePlenary, Title: "Geneva", Start: at("2027-03-08T10:00"), End: at("2027-03-12T18:00"), Venue: "Geneva"}, EINVALID,
			`formal meetings of GM are convened in New York; pl-2027 is a substantive plenary meeting and is set in "Geneva"`},
		{"a group meeting in Geneva", procSec, ScheduleMeeting{ID: "il-1", Body: "il", Kind: GroupMeeting, Title: "IL", Start: at("2026-10-05T10:00"), End: at("2026-10-05T18:00"), Venue: "Geneva"}, EINVALID,
			`formal meetings of GM are convened in New York; il-1 is a thematic group meeting and is set in "Geneva"`},
		{"a consultation that leaves out businesses", procSec, ScheduleMeeting{ID: "sc-x", Body: "plenary", Kind: StakeholderConsultation, Title: "C", Start: at("2026-10-05T10:00"), End: at("2026-10-05T18:00"), Admits: []StakeholderCategory{CategoryNGO, CategoryAcademia}}, EINVALID,
			"a stakeholder consultation is open to all interested parties, including regional organizations, businesses, NGOs and academia; sc-x does not admit business and intergovernmental"},
		{"a six-hour consultation", procSec, ScheduleMeeting{ID: "sc-x", Body: "plenary", Kind: StakeholderConsultation, Title: "C", Start: at("2026-10-05T10:00"), End: at("2026-10-05T16:00")}, EINVALID,
			"a stakeholder consultation lasts at least one meeting day (10:00 to 18:00, 8 hours); sc-x lasts 6 hours"},
	})
	// A week Monday to Friday is five working days, across a weekend too.
	pmust(t, p, procSec, ny(ScheduleMeeting{ID: "pl-2027", Body: "plenary", Kind: SubstantivePlenary, Title: "Second session", Session: "Second session", Start: at("2027-03-10T10:00"), End: at("2027-03-16T18:00")}))
	// Progress reports: every two years, at the end of each cycle counted
	// from the first plenary session (2026), in a substantive plenary.
	for _, c := range []struct {
		id  MeetingID
		due bool
	}{{"pl-2026", false}, {"pl-2027", true}} {
		if ref, _ := p.MeetingRef(c.id); ref.ProgressReports == nil || ref.ProgressReports.Due != c.due {
			t.Errorf("%s: report cycle %+v, want due %v", c.id, ref.ProgressReports, c.due)
		}
	}
	r := newRoom(t, shortDraft, DraftProgressReport, "plenary")
	org, _ := p.MeetingRef("org")
	pl27, _ := p.MeetingRef("pl-2027")
	pl26, _ := p.MeetingRef("pl-2026")
	for _, m := range []MeetingRef{org, pl26, pl27} {
		m.Process = "gm"
		m.Start = at("2027-03-10T10:00") // the chair of testOffices presides
		r.do(chair, OpenReading{Kind: FirstReading, Meeting: m})
		if m.ID != "pl-2027" {
			r.refuse(refusal{"adopt in " + string(m.ID), chair, TakeDecision{Kind: AdoptDocument}, ECONFLICT, map[MeetingID]string{
				"org":     "A/AC.292/2027/L.1 is a progress report, considered and adopted by a substantive plenary session; meeting org (Organizational session) is an organizational session",
				"pl-2026": "progress reports are adopted every 2 years, at the end of each cycle counted from the first substantive plenary session (2026): in 2027, 2029, 2031…; meeting pl-2026 (First session) is in 2026",
			}[m.ID]})
			r.do(chair, CloseReading{})
		}
	}
	r.do(chair, ReadParagraph{Para: r.para("2").ID})
	r.do(chair, ClearBrackets{Para: r.para("2").ID, Version: r.para("2").Version, Index: 0})
	r.do(chair, TakeDecision{Kind: AdoptDocument})

	// The OEWG's pattern: a session opens and closes in plenary.
	o := NewProcess()
	pmust(t, o, procSec, CreateProcess{ID: "oewg", Name: "OEWG", Short: "OEWG", Start: at("2021-06-01"), Rules: ProcessRules{SessionPattern: true}})
	pmust(t, o, procSec, EstablishBody{ID: "plenary", Kind: BodyPlenary, Name: "Plenary"})
	pmust(t, o, procSec, EstablishBody{ID: "cbms", Kind: BodyThematicGroup, Name: "CBMs"})
	s1 := func(id MeetingID, body BodyID, kind MeetingKind, start, end string) ScheduleMeeting {
		return ScheduleMeeting{ID: id, Body: body, Kind: kind, Title: string(id), Session: "First session", Start: at(start), End: at(end)}
	}
	checkRefusals(t, o, nil, []refusal{
		{"a group before the opening plenary", procSec, s1("g0", "cbms", GroupMeeting, "2021-12-06T10:00", "2021-12-06T13:00"), ECONFLICT,
			`session "First session" opens in plenary: group meeting g0 (g0, 6 December 2021, 10:00–13:00 UTC) comes before any plenary meeting of the session`},
	})
	pmust(t, o, procSec, s1("open", "plenary", SubstantivePlenary, "2021-12-06T15:00", "2021-12-06T18:00"))
	pmust(t, o, procSec, s1("g1", "cbms", GroupMeeting, "2021-12-07T10:00", "2021-12-07T18:00"))
	pmust(t, o, procSec, s1("close", "plenary", SubstantivePlenary, "2021-12-09T10:00", "2021-12-09T18:00"))
	checkRefusals(t, o, nil, []refusal{
		{"a group after the closing plenary", procSec, s1("g2", "cbms", GroupMeeting, "2021-12-10T10:00", "2021-12-10T18:00"), ECONFLICT,
			`session "First session" closes in plenary: group meeting g2 (g2, 10 December 2021, 10:00–18:00 UTC) comes after its closing plenary close`},
	})
}
