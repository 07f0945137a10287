package engine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"time"
)

// ProcessTemplate is a process as a secretariat writes it, in JSON
// (fixtures/processes/<id>/process.json; the format is described in
// fixtures/processes/README.md). It is data, not code: Steps turns it into
// the process commands that set the process up, and the engine checks
// every rule as it would for commands sent one by one.
//
// Dates are written "2026-03-23"; times "2026-07-06T10:00", read in
// UTCOffset (or the meeting's own), or with their offset
// ("2026-07-06T10:00-04:00"). The engine reads no time zone database, so
// offsets are explicit.
type ProcessTemplate struct {
	Comment      string       `json:"comment,omitempty"`
	ID           ProcessID    `json:"id"`
	Name         string       `json:"name"`
	Short        string       `json:"short,omitempty"`
	Mandate      string       `json:"mandate,omitempty"`
	SymbolPrefix string       `json:"symbolPrefix,omitempty"`
	UTCOffset    string       `json:"utcOffset,omitempty"` // "-04:00"; UTC when empty
	Start        string       `json:"start"`               // first day
	End          string       `json:"end,omitempty"`       // last day; empty for an open-ended process
	Rules        ProcessRules `json:"rules"`

	Bodies      []BodyTemplate    `json:"bodies"`
	Secretariat []PersonTemplate  `json:"secretariat,omitempty"`
	Officers    []OfficerTemplate `json:"officers,omitempty"`
	Meetings    []MeetingTemplate `json:"meetings,omitempty"`
}

// BodyTemplate is a body in a ProcessTemplate. Start and End are its first
// and last day (required for an additional group).
type BodyTemplate struct {
	Comment       string                `json:"comment,omitempty"`
	ID            BodyID                `json:"id"`
	Kind          BodyKind              `json:"kind"`
	Name          string                `json:"name"`
	Objectives    []string              `json:"objectives,omitempty"`
	Participation []StakeholderCategory `json:"participation,omitempty"`
	Start         string                `json:"start,omitempty"`
	End           string                `json:"end,omitempty"`
	Optional      bool                  `json:"optional,omitempty"`
}

// PersonTemplate is a member of the secretariat in a ProcessTemplate.
type PersonTemplate struct {
	Person PersonID `json:"person"`
	Name   string   `json:"name"`
}

// OfficerTemplate is an officer in a ProcessTemplate: nominated and then
// elected by consensus when the template is applied. TermEnd is the day
// the term ends (the next term begins); for the chair of a process with a
// fixed term it may be left out.
type OfficerTemplate struct {
	Comment   string    `json:"comment,omitempty"`
	Role      Role      `json:"role"`
	Body      BodyID    `json:"body,omitempty"`
	Person    PersonID  `json:"person"`
	Name      string    `json:"name"`
	State     StateCode `json:"state"`
	TermStart string    `json:"termStart"`
	TermEnd   string    `json:"termEnd,omitempty"`
	// Meeting is the meeting of the template in which the officer is
	// elected; it defaults to the first organizational session.
	Meeting MeetingID `json:"meeting,omitempty"`
}

// MeetingTemplate is a meeting in a ProcessTemplate. Admits defaults to
// the body's participation rules.
type MeetingTemplate struct {
	Comment   string                `json:"comment,omitempty"`
	ID        MeetingID             `json:"id"`
	Body      BodyID                `json:"body"`
	Kind      MeetingKind           `json:"kind"`
	Title     string                `json:"title"`
	Session   string                `json:"session,omitempty"`
	Venue     string                `json:"venue,omitempty"`
	Start     string                `json:"start"`
	End       string                `json:"end"`
	UTCOffset string                `json:"utcOffset,omitempty"`
	StateOnly bool                  `json:"stateOnly,omitempty"`
	Admits    []StakeholderCategory `json:"admits,omitempty"`
}

// TemplateStep is one command of a template, with the template field it
// comes from so that a refusal can say where to look.
type TemplateStep struct {
	Field   string
	Command ProcessCommand
}

// ParseProcessTemplate decodes a process template and checks its shape:
// unknown fields, wrong types and malformed dates are refused with the
// field and line. The rules of the process (overlapping meetings, terms,
// rotation…) are checked when it is applied (BuildProcess).
func ParseProcessTemplate(data []byte) (ProcessTemplate, error) {
	var t ProcessTemplate
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return t, templateJSONError(data, dec.InputOffset(), err)
	}
	end := dec.InputOffset()
	if err := dec.Decode(&struct{}{}); err != io.EOF {
		rest := data[end:]
		end += int64(len(rest) - len(bytes.TrimLeft(rest, " \t\r\n")))
		return t, Errorf(EINVALID, "process template, line %d: there is more after the template's closing brace", lineAt(data, end+1))
	}
	if _, err := t.Steps(); err != nil {
		return t, err
	}
	return t, nil
}

var reUnknownField = regexp.MustCompile(`unknown field "([^"]*)"`)

// templateJSONError turns a JSON decoding error into one that names the
// line and the field.
func templateJSONError(data []byte, at int64, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := lineCol(data, syn.Offset)
		return Errorf(EINVALID, "process template, line %d, column %d: %s", line, col, syn.Error())
	case errors.As(err, &typ):
		return Errorf(EINVALID, "process template, line %d: field %s: expected %s, found a JSON %s", lineAt(data, typ.Offset), typ.Field, kindWords(typ.Type), typ.Value)
	case errors.Is(err, io.EOF):
		return Errorf(EINVALID, "process template is empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return Errorf(EINVALID, "process template ends in the middle (line %d)", lineAt(data, int64(len(data))))
	}
	if m := reUnknownField.FindStringSubmatch(err.Error()); m != nil {
		// The decoder reports an unknown field without its place: find
		// where the name is used as a key.
		key := regexp.MustCompile(regexp.QuoteMeta(strconv.Quote(m[1])) + `\s*:`)
		if loc := key.FindIndex(data); loc != nil {
			at = int64(loc[0]) + 1
		}
		return Errorf(EINVALID, "process template, line %d: unknown field %q (check its spelling against fixtures/processes/README.md)", lineAt(data, at), m[1])
	}
	return Errorf(EINVALID, "process template, line %d: %v", lineAt(data, at), err)
}

// kindWords says what a JSON value of a Go type looks like.
func kindWords(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32:
		return "a whole number"
	case reflect.Slice:
		return "a list [ … ]"
	case reflect.Struct, reflect.Map:
		return "an object { … }"
	}
	return t.String()
}

func lineAt(data []byte, off int64) int {
	line, _ := lineCol(data, off)
	return line
}

// lineCol returns the line and column (from 1) of the byte before offset
// off: the decoder's offsets count the bytes read, the offending one
// included.
func lineCol(data []byte, off int64) (line, col int) {
	i := min(max(off-1, 0), int64(len(data)))
	before := data[:i]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(i) - bytes.LastIndexByte(before, '\n')
	return line, col
}

// templateTime reads the dates and times of a template.
type templateTime struct{ loc *time.Location }

func parseOffset(field, s string) (*time.Location, error) {
	if s == "" || s == "Z" || s == "+00:00" {
		return time.UTC, nil
	}
	t, err := time.Parse("-07:00", s)
	if err != nil || len(s) != 6 {
		return nil, Errorf(EINVALID, "%s: %q is not a UTC offset; write it as -04:00 or +02:00", field, s)
	}
	_, secs := t.Zone()
	return time.FixedZone("UTC"+s, secs), nil
}

// date reads "2026-03-23" as midnight at the template's offset.
func (tt templateTime) date(field, s string) (time.Time, error) {
	t, err := time.ParseInLocation("2006-01-02", s, tt.loc)
	if err != nil {
		return time.Time{}, Errorf(EINVALID, "%s: %q is not a date; write it as 2026-03-23", field, s)
	}
	return t.UTC(), nil
}

// dayAfter reads a last day as the instant it ends (midnight after it).
func (tt templateTime) dayAfter(field, s string) (time.Time, error) {
	t, err := tt.date(field, s)
	if err != nil {
		return t, err
	}
	return t.In(tt.loc).AddDate(0, 0, 1).UTC(), nil
}

// moment reads "2026-07-06T10:00" at the template's offset, or a time with
// its own offset.
func (tt templateTime) moment(field, s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, tt.loc); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, Errorf(EINVALID, "%s: %q is not a date and time; write it as 2026-07-06T10:00 (at the template's utcOffset) or 2026-07-06T10:00-04:00", field, s)
}

// Steps turns the template into the process commands that set the process
// up, in order: the process, its bodies, the secretariat, the meetings in
// order of start, and each officer's nomination and election in its
// meeting. Applied to
// a new process (see BuildProcess), they give the process the template
// describes.
func (t ProcessTemplate) Steps() ([]TemplateStep, error) {
	if err := nonEmpty("process template: id", string(t.ID)); err != nil {
		return nil, err
	}
	if err := nonEmpty("process template: name", t.Name); err != nil {
		return nil, err
	}
	if err := nonEmpty("process template: start", t.Start); err != nil {
		return nil, err
	}
	if len(t.Bodies) == 0 {
		return nil, Errorf(EINVALID, "process template: bodies is empty; a process has at least its plenary")
	}
	loc, err := parseOffset("utcOffset", t.UTCOffset)
	if err != nil {
		return nil, err
	}
	tt := templateTime{loc}
	create := CreateProcess{ID: t.ID, Name: t.Name, Short: t.Short, Mandate: t.Mandate, SymbolPrefix: t.SymbolPrefix, Rules: t.Rules}
	if create.Start, err = tt.date("start", t.Start); err != nil {
		return nil, err
	}
	if t.End != "" {
		if create.End, err = tt.dayAfter("end", t.End); err != nil {
			return nil, err
		}
	}
	steps := []TemplateStep{{"process", create}}
	for i, b := range t.Bodies {
		field := fmt.Sprintf("bodies[%d] (%s)", i, b.ID)
		cmd := EstablishBody{ID: b.ID, Kind: b.Kind, Name: b.Name, Objectives: b.Objectives, Participation: b.Participation, Optional: b.Optional}
		if b.Start != "" {
			if cmd.Start, err = tt.date(field+".start", b.Start); err != nil {
				return nil, err
			}
		}
		if b.End != "" {
			if cmd.End, err = tt.dayAfter(field+".end", b.End); err != nil {
				return nil, err
			}
		}
		steps = append(steps, TemplateStep{field, cmd})
	}
	for i, s := range t.Secretariat {
		field := fmt.Sprintf("secretariat[%d] (%s)", i, s.Person)
		steps = append(steps, TemplateStep{field, RegisterParticipant{Person: s.Person, Name: s.Name, Role: RoleSecretariat}})
	}
	var meetings []TemplateStep
	for i, m := range t.Meetings {
		field := fmt.Sprintf("meetings[%d] (%s)", i, m.ID)
		mt := tt
		if m.UTCOffset != "" {
			if mt.loc, err = parseOffset(field+".utcOffset", m.UTCOffset); err != nil {
				return nil, err
			}
		}
		cmd := ScheduleMeeting{ID: m.ID, Body: m.Body, Kind: m.Kind, Title: m.Title, Session: m.Session, Venue: m.Venue, StateOnly: m.StateOnly, Admits: m.Admits}
		if cmd.Start, err = mt.moment(field+".start", m.Start); err != nil {
			return nil, err
		}
		if cmd.End, err = mt.moment(field+".end", m.End); err != nil {
			return nil, err
		}
		meetings = append(meetings, TemplateStep{field, cmd})
	}
	sort.SliceStable(meetings, func(i, j int) bool {
		return meetings[i].Command.(ScheduleMeeting).Start.Before(meetings[j].Command.(ScheduleMeeting).Start)
	})
	var officers []TemplateStep
	firstOrg := MeetingID("")
	for _, st := range meetings {
		if m := st.Command.(ScheduleMeeting); m.Kind == OrganizationalSession && (firstOrg == "" || m.Start.Before(firstOrgStart(meetings, firstOrg))) {
			firstOrg = m.ID
		}
	}
	for i, o := range t.Officers {
		field := fmt.Sprintf("officers[%d] (%s)", i, o.Person)
		cmd := NominateOfficer{Seat: Seat{Role: o.Role, Body: o.Body}, Person: o.Person, Name: o.Name, State: o.State}
		if cmd.TermStart, err = tt.date(field+".termStart", o.TermStart); err != nil {
			return nil, err
		}
		if o.TermEnd != "" {
			if cmd.TermEnd, err = tt.date(field+".termEnd", o.TermEnd); err != nil {
				return nil, err
			}
		}
		if o.Role == RoleFacilitator {
			// PM 15: appointed by the chair; the template records the
			// appointment by whoever it elects chair for that day.
			chair := PersonID("")
			for _, x := range t.Officers {
				if x.Role == RoleChair && x.TermStart <= o.TermStart {
					chair = x.Person
				}
			}
			officers = append(officers, TemplateStep{field, AppointFacilitator{Body: o.Body, Person: o.Person, Name: o.Name, State: o.State, TermStart: cmd.TermStart, TermEnd: cmd.TermEnd, By: chair}})
			continue
		}
		meeting := o.Meeting
		if meeting == "" {
			meeting = firstOrg
		}
		if meeting == "" {
			return nil, Errorf(EINVALID, "%s.meeting is required: the meeting in which the officer is elected (the template has no organizational session)", field)
		}
		officers = append(officers, TemplateStep{field, cmd}, TemplateStep{field, ElectOfficer{Seat: cmd.Seat, Person: o.Person, Meeting: meeting}})
	}
	steps = append(steps, meetings...)
	return append(steps, officers...), nil
}

func firstOrgStart(meetings []TemplateStep, id MeetingID) time.Time {
	for _, st := range meetings {
		if m := st.Command.(ScheduleMeeting); m.ID == id {
			return m.Start
		}
	}
	return time.Time{}
}

// Commands returns the template's process commands in order (see Steps).
func (t ProcessTemplate) Commands() ([]ProcessCommand, error) {
	steps, err := t.Steps()
	if err != nil {
		return nil, err
	}
	out := make([]ProcessCommand, len(steps))
	for i, s := range steps {
		out[i] = s.Command
	}
	return out, nil
}

// BuildProcess applies a template to a new process, as actor c (the
// secretariat or the system), and returns the process and its events. A
// refusal names the template field it comes from, e.g. `meetings[12]
// (pm-2027-plenary): meeting pm-2027-plenary (…) overlaps meeting …`.
func BuildProcess(c Context, t ProcessTemplate) (*Process, []Event, error) {
	steps, err := t.Steps()
	if err != nil {
		return nil, nil, err
	}
	p := NewProcess()
	var log []Event
	for _, s := range steps {
		evs, err := p.Execute(c, s.Command)
		if err != nil {
			return nil, nil, Errorf(ErrorCode(err), "%s: %s", s.Field, Because(err))
		}
		log = append(log, evs...)
	}
	return p, log, nil
}
