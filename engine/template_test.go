package engine

import (
	"strings"
	"testing"
)

const miniTemplate = `{
  "id": "mini",
  "name": "A small process",
  "short": "Mini",
  "utcOffset": "-04:00",
  "start": "2026-03-23",
  "rules": {"chairTermYears": 2, "geographicRotation": true, "reviewEveryYears": 4, "consultationBeforePlenary": true},
  "bodies": [
    {"id": "plenary", "kind": "plenary", "name": "Plenary", "participation": ["business", "ngo", "academia", "intergovernmental"]},
    {"id": "il", "kind": "thematic-group", "name": "International law", "objectives": ["How international law applies."]},
    {"id": "ag", "kind": "additional-group", "name": "Emerging technologies", "start": "2027-09-01", "end": "2029-06-30", "participation": ["academia"]}
  ],
  "secretariat": [{"person": "sec", "name": "Secretary"}],
  "officers": [
    {"role": "chair", "person": "c1", "name": "K. Chair", "state": "KEN", "termStart": "2026-03-23"},
    {"role": "vice-chair", "body": "il", "person": "v1", "name": "M. Vice", "state": "MEX", "termStart": "2026-03-23", "termEnd": "2028-03-23"},
    {"role": "facilitator", "body": "ag", "person": "f1", "name": "S. Facilitator", "state": "SGP", "termStart": "2027-09-01"}
  ],
  "meetings": [
    {"id": "pl-2026", "body": "plenary", "kind": "substantive-plenary", "title": "First session", "start": "2026-07-06T10:00", "end": "2026-07-10T18:00"},
    {"id": "sc-2026", "body": "plenary", "kind": "stakeholder-consultation", "title": "Consultation", "start": "2026-07-02T10:00", "end": "2026-07-02T18:00"},
    {"id": "il-2026", "body": "il", "kind": "thematic-group-meeting", "title": "International law", "start": "2026-12-07T10:00", "end": "2026-12-07T18:00", "utcOffset": "-05:00"},
    {"id": "ag-2027", "body": "ag", "kind": "thematic-group-meeting", "title": "Emerging technologies", "start": "2027-10-04T10:00+02:00", "end": "2027-10-04T18:00+02:00"},
    {"id": "org-2026", "body": "plenary", "kind": "organizational-session", "title": "Organizational session", "start": "2026-03-23T10:00", "end": "2026-03-24T18:00"}
  ]
}`

func TestProcessTemplate(t *testing.T) {
	tpl, err := ParseProcessTemplate([]byte(miniTemplate))
	if err != nil {
		t.Fatal(err)
	}
	cmds, err := tpl.Commands()
	if err != nil {
		t.Fatal(err)
	}
	// process, 3 bodies, secretariat, 5 meetings, 2 × (nominate, elect),
	// the facilitator's appointment by the chair
	if len(cmds) != 1+3+1+5+4+1 {
		t.Fatalf("%d commands", len(cmds))
	}
	// Meetings are scheduled in order of start, whatever the file's order,
	// and before the elections, which are held in the organizational
	// session unless an officer names another meeting.
	if m, ok := cmds[5].(ScheduleMeeting); !ok || m.ID != "org-2026" {
		t.Errorf("first meeting scheduled is %+v, want the organizational session", cmds[5])
	}
	if m, ok := cmds[6].(ScheduleMeeting); !ok || m.ID != "sc-2026" {
		t.Errorf("second meeting scheduled is %+v, want the consultation", cmds[6])
	}
	if e, ok := cmds[11].(ElectOfficer); !ok || e.Meeting != "org-2026" {
		t.Errorf("the chair's election is %+v, want it held in the organizational session", cmds[11])
	}
	p, evs, err := BuildProcess(procSystem, tpl)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != len(cmds) {
		t.Errorf("%d events for %d commands", len(evs), len(cmds))
	}
	pl, _ := p.Meeting("pl-2026")
	if got := when(pl.Start).String(); got != "6 July 2026, 14:00 UTC" {
		t.Errorf("plenary starts %s, want 10:00 at -04:00", got)
	}
	il, _ := p.Meeting("il-2026")
	if got := when(il.Start).String(); got != "7 December 2026, 15:00 UTC" || !il.StateOnly() {
		t.Errorf("group meeting starts %s (State-only %v), want 10:00 at -05:00, State-only", got, il.StateOnly())
	}
	ag, _ := p.Body("ag")
	if got := when(ag.End).String(); got != "1 July 2029, 04:00 UTC" {
		t.Errorf("additional group ends %s, want the midnight after its last day", got)
	}
	if f, ok := p.Holder(Seat{Role: RoleFacilitator, Body: "ag"}, at("2028-01-01")); !ok || !f.TermEnd.Equal(ag.End) {
		t.Errorf("facilitator %+v, term to the group's end", f)
	}
	if c, _ := p.Holder(Seat{Role: RoleChair}, at("2027-01-01")); c == nil || when(c.TermEnd).String() != "23 March 2028, 04:00 UTC" {
		t.Errorf("chair %+v", c)
	}
}

func TestProcessTemplateRefusals(t *testing.T) {
	edit := func(pairs ...string) string {
		src := miniTemplate
		for i := 0; i+1 < len(pairs); i += 2 {
			if !strings.Contains(src, pairs[i]) {
				t.Fatalf("template has no %q", pairs[i])
			}
			src = strings.Replace(src, pairs[i], pairs[i+1], 1)
		}
		return src
	}
	for _, c := range []struct {
		name, src, want string
	}{
		{"empty", "", "process template is empty"},
		{"syntax", `{"id": "x",}`, "process template, line 1, column 12: invalid character '}' looking for beginning of object key string"},
		{"truncated", "{\n\"id\": \"x\",\n", "process template ends in the middle (line 2)"},
		{"wrong type", edit(`"chairTermYears": 2`, `"chairTermYears": "two"`), "process template, line 7: field rules.chairTermYears: expected a whole number, found a JSON string"},
		{"list expected", edit(`"participation": ["academia"]`, `"participation": "academia"`), "process template, line 11: field bodies.participation: expected a list [ … ], found a JSON string"},
		{"unknown field", edit(`"short": "Mini"`, `"shrot": "Mini"`), `process template, line 4: unknown field "shrot" (check its spelling against fixtures/processes/README.md)`},
		{"trailing data", miniTemplate + "\n{}", "process template, line 27: there is more after the template's closing brace"},
		{"no id", edit(`"id": "mini",`, ``), "process template: id is required"},
		{"no bodies", `{"id": "x", "name": "X", "start": "2026-01-01", "bodies": []}`, "process template: bodies is empty; a process has at least its plenary"},
		{"bad date", edit(`"start": "2026-03-23"`, `"start": "23/03/2026"`), `start: "23/03/2026" is not a date; write it as 2026-03-23`},
		{"bad offset", edit(`"utcOffset": "-04:00"`, `"utcOffset": "EST"`), `utcOffset: "EST" is not a UTC offset; write it as -04:00 or +02:00`},
		{"bad body date", edit(`"end": "2029-06-30"`, `"end": "2029-06-31"`), `bodies[2] (ag).end: "2029-06-31" is not a date; write it as 2026-03-23`},
		{"bad meeting time", edit(`"start": "2026-07-06T10:00"`, `"start": "6 July 2026 10:00"`),
			`meetings[0] (pl-2026).start: "6 July 2026 10:00" is not a date and time; write it as 2026-07-06T10:00 (at the template's utcOffset) or 2026-07-06T10:00-04:00`},
		{"bad term", edit(`"termStart": "2027-09-01"`, `"termStart": "next year"`), `officers[2] (f1).termStart: "next year" is not a date; write it as 2026-03-23`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseProcessTemplate([]byte(c.src))
			if err == nil || err.Error() != c.want || ErrorCode(err) != EINVALID {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
		})
	}
	// The process's own rules are checked when the template is applied,
	// and the refusal says which entry to fix.
	for _, c := range []struct {
		name, src, want string
	}{
		{"overlap", edit(`"start": "2026-12-07T10:00"`, `"start": "2026-07-10T10:00"`),
			"meetings[2] (il-2026): meeting il-2026 (International law, 10 July 2026, 15:00 UTC – 7 December 2026, 23:00 UTC) overlaps meeting pl-2026 (First session, 6 July 2026, 14:00 UTC – 10 July 2026, 22:00 UTC): meetings of one process are never held in parallel"},
		{"no consultation", edit(`"start": "2026-07-02T10:00", "end": "2026-07-02T18:00"`, `"start": "2026-07-20T10:00", "end": "2026-07-20T18:00"`),
			"meetings[0] (pl-2026): substantive plenary pl-2026 (First session, 6 July 2026, 14:00 UTC – 10 July 2026, 22:00 UTC) has no stakeholder consultation of at least one day before it; schedule the consultation first"},
		{"rotation", edit(`"termStart": "2026-03-23"}`, `"termStart": "2026-03-23"},
    {"role": "chair", "person": "c2", "name": "N. Chair", "state": "NGA", "termStart": "2028-03-23"}`),
			"officers[1] (c2): geographic rotation: the African States held the chair from 23 March 2026 to 23 March 2028 (K. Chair (Kenya)); the next chair comes from the Asia-Pacific States, Eastern European States, Latin American and Caribbean States or Western European and other States"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tpl, err := ParseProcessTemplate([]byte(c.src))
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = BuildProcess(procSystem, tpl)
			if err == nil || err.Error() != c.want {
				t.Errorf("got  %v\nwant %s", err, c.want)
			}
		})
	}
}
