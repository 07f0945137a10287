package engine

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// MeetingKind is what a meeting is for.
type MeetingKind string

// Kinds of meetings.
const (
	// OrganizationalSession sets the process up: it elects the chair and
	// agrees the programme of work. A plenary meeting.
	OrganizationalSession MeetingKind = "organizational-session"
	// SubstantivePlenary is a meeting of a substantive plenary session,
	// where reports are negotiated and adopted. A session may be several
	// such meetings (the OEWG opened and closed each session in plenary,
	// with group meetings between); Meeting.Session groups them.
	SubstantivePlenary MeetingKind = "substantive-plenary"
	// GroupMeeting is a meeting of a thematic or additional group.
	GroupMeeting MeetingKind = "thematic-group-meeting"
	// IntersessionalMeeting is an informal meeting between sessions; it
	// takes no decisions.
	IntersessionalMeeting MeetingKind = "intersessional"
	// StakeholderConsultation is an informal meeting with accredited
	// stakeholders, at least one meeting day long; it takes no decisions.
	StakeholderConsultation MeetingKind = "stakeholder-consultation"
	// ReviewConference reviews the functioning of the process, every
	// ProcessRules.ReviewEveryYears years. A plenary meeting.
	ReviewConference MeetingKind = "review-conference"
)

// MeetingDay is the shortest stakeholder consultation ("at least one day
// in length", permanent mechanism paragraph 12d): one full United Nations
// meeting day, from the opening of the morning meeting at 10:00 to the
// close of the afternoon meeting at 18:00 — two three-hour meetings and
// the break between them. Not 24 hours, and not six hours of meetings
// that could be squeezed into an afternoon and an evening.
const MeetingDay = 8 * time.Hour

// DefaultSessionWorkingDays is the longest substantive session, in working
// days, when the rules say nothing: one week.
const DefaultSessionWorkingDays = 5

// consultationCategories are the interested parties a stakeholder
// consultation is open to, besides States: "regional organizations,
// businesses, non-governmental organizations and academia" (paragraph
// 12d).
var consultationCategories = []StakeholderCategory{CategoryBusiness, CategoryNGO, CategoryAcademia, CategoryIntergovernmental}

// formal reports whether meetings of this kind are formal meetings of the
// process, convened at its formal venue.
func (k MeetingKind) formal() bool { return !k.informal() }

// informal reports whether meetings of this kind take no decisions.
func (k MeetingKind) informal() bool {
	return k == IntersessionalMeeting || k == StakeholderConsultation
}

func (k MeetingKind) words() string {
	switch k {
	case OrganizationalSession:
		return "an organizational session"
	case SubstantivePlenary:
		return "a substantive plenary meeting"
	case GroupMeeting:
		return "a thematic group meeting"
	case IntersessionalMeeting:
		return "an intersessional meeting"
	case StakeholderConsultation:
		return "a stakeholder consultation"
	case ReviewConference:
		return "a review conference"
	}
	return fmt.Sprintf("a meeting of kind %q", string(k))
}

// Meeting is one meeting of a body of the process. Admits lists the
// stakeholder categories that may attend; a meeting that admits none is
// State-only. Meetings of one process never overlap.
type Meeting struct {
	ID        MeetingID             `json:"id"`
	Body      BodyID                `json:"body"`
	Kind      MeetingKind           `json:"kind"`
	Title     string                `json:"title"`
	Session   string                `json:"session,omitempty"` // e.g. "Third substantive session"
	Venue     string                `json:"venue,omitempty"`
	Start     time.Time             `json:"start"`
	End       time.Time             `json:"end"` // exclusive
	Admits    []StakeholderCategory `json:"admits,omitempty"`
	Cancelled bool                  `json:"cancelled,omitempty"`
	Reason    string                `json:"reason,omitempty"` // why it was cancelled
	Agenda    *Agenda               `json:"agenda,omitempty"`
}

// StateOnly reports whether the meeting admits no observers.
func (m *Meeting) StateOnly() bool { return len(m.Admits) == 0 }

func (m *Meeting) label() string {
	return fmt.Sprintf("%s (%s, %s)", m.ID, m.Title, span(m.Start, m.End))
}

// Ref returns what a room needs to know of the meeting a reading is held
// in; see OpenReading. Process.MeetingRef adds the process and its report
// cycle.
func (m *Meeting) Ref() MeetingRef {
	return MeetingRef{ID: m.ID, Body: m.Body, Kind: m.Kind, Title: m.Title, Start: m.Start, End: m.End, Admits: slices.Clone(m.Admits)}
}

// MeetingRef is a meeting as a document's room records it: a copy of the
// facts of the process's Meeting that the room's rules depend on.
type MeetingRef struct {
	ID      MeetingID             `json:"id"`
	Process ProcessID             `json:"process,omitempty"`
	Body    BodyID                `json:"body,omitempty"`
	Kind    MeetingKind           `json:"kind"`
	Title   string                `json:"title,omitempty"`
	Start   time.Time             `json:"start,omitzero"` // whoever holds the presiding seat then presides over the meeting
	End     time.Time             `json:"end,omitzero"`
	Admits  []StakeholderCategory `json:"admits,omitempty"`
	// ProgressReports, when the process's rules set a cycle, says
	// whether a progress report is due in the year of the meeting.
	ProgressReports *ReportCycle `json:"progressReports,omitempty"`
}

// StateOnly reports whether the meeting admits no observers.
func (m MeetingRef) StateOnly() bool { return len(m.Admits) == 0 }

func (m MeetingRef) label() string {
	if m.Title != "" {
		return fmt.Sprintf("%s (%s)", m.ID, m.Title)
	}
	return string(m.ID)
}

// Meeting returns the meeting with the given identity, or ENOTFOUND.
func (p *Process) Meeting(id MeetingID) (*Meeting, error) {
	for _, m := range p.Meetings {
		if m.ID == id {
			return m, nil
		}
	}
	return nil, Errorf(ENOTFOUND, "meeting %s does not exist in %s", id, p.label())
}

// Schedule returns the meetings that are not cancelled, in order of start.
func (p *Process) Schedule() []*Meeting {
	var out []*Meeting
	for _, m := range p.Meetings {
		if !m.Cancelled {
			out = append(out, m)
		}
	}
	sortMeetings(out)
	return out
}

func sortMeetings(ms []*Meeting) {
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].Start.Before(ms[j].Start) })
}

// ScheduleMeeting schedules a meeting of a body. Admits narrows which
// stakeholder categories may attend (it defaults to the body's
// participation rules); StateOnly admits none.
type ScheduleMeeting struct {
	ID        MeetingID             `json:"id"`
	Body      BodyID                `json:"body"`
	Kind      MeetingKind           `json:"kind"`
	Title     string                `json:"title"`
	Session   string                `json:"session,omitempty"`
	Venue     string                `json:"venue,omitempty"`
	Start     time.Time             `json:"start"`
	End       time.Time             `json:"end"`
	StateOnly bool                  `json:"stateOnly,omitempty"`
	Admits    []StakeholderCategory `json:"admits,omitempty"`
}

// MeetingScheduled records a meeting, whole, with the categories it admits
// worked out.
type MeetingScheduled struct {
	Meeting Meeting `json:"meeting"`
}

func (cmd ScheduleMeeting) decide(p *Process, c Context) ([]EventData, error) {
	// The chair convenes intersessional meetings (permanent mechanism,
	// paragraph 12c); the secretariat schedules everything.
	if !(cmd.Kind == IntersessionalMeeting && p.holds(c.Actor.Person, Seat{Role: RoleChair}, c.Now) != nil) {
		if err := setUp(c, "schedule a meeting"); err != nil {
			return nil, err
		}
	}
	if err := nonEmpty("meeting id", string(cmd.ID)); err != nil {
		return nil, err
	}
	if err := nonEmpty("meeting title", cmd.Title); err != nil {
		return nil, err
	}
	if err := checkTexts("meeting title", cmd.Title, "session", cmd.Session, "venue", cmd.Venue); err != nil {
		return nil, err
	}
	if m, err := p.Meeting(cmd.ID); err == nil {
		return nil, Errorf(ECONFLICT, "meeting %s already exists: %s", m.ID, m.Title)
	}
	b, err := p.Body(cmd.Body)
	if err != nil {
		return nil, err
	}
	switch cmd.Kind {
	case OrganizationalSession, SubstantivePlenary, ReviewConference, StakeholderConsultation:
		if b.Kind != BodyPlenary {
			return nil, Errorf(EINVALID, "%s is a meeting of the plenary; body %s is %s", cmd.Kind.words(), b.label(), b.Kind.words())
		}
	case GroupMeeting:
		if !b.Kind.group() {
			return nil, Errorf(EINVALID, "a thematic group meeting is a meeting of a group; body %s is the plenary", b.label())
		}
	case IntersessionalMeeting:
	default:
		return nil, Errorf(EINVALID, "kind %q is not one of organizational-session, substantive-plenary, thematic-group-meeting, intersessional, stakeholder-consultation, review-conference", cmd.Kind)
	}
	if cmd.Start.IsZero() || cmd.End.IsZero() {
		return nil, Errorf(EINVALID, "meeting %s: start and end are required", cmd.ID)
	}
	if !cmd.End.After(cmd.Start) {
		return nil, Errorf(EINVALID, "meeting %s ends (%s) before it starts (%s)", cmd.ID, when(cmd.End), when(cmd.Start))
	}
	if cmd.Start.Before(p.Start) {
		return nil, Errorf(EINVALID, "meeting %s starts on %s, before %s began on %s", cmd.ID, day(cmd.Start), p.label(), day(p.Start))
	}
	if !p.End.IsZero() && cmd.End.After(p.End) {
		return nil, Errorf(EINVALID, "meeting %s ends on %s, after %s ends on %s", cmd.ID, day(cmd.End), p.label(), day(p.End.Add(-time.Nanosecond)))
	}
	if b.Kind == BodyAdditionalGroup && (cmd.Start.Before(b.Start) || cmd.End.After(b.End)) {
		return nil, Errorf(EINVALID, "meeting %s (%s) falls outside the fixed duration of %s, from %s to %s", cmd.ID, span(cmd.Start, cmd.End), b.label(), day(b.Start), day(b.End.Add(-time.Nanosecond)))
	}
	m := Meeting{ID: cmd.ID, Body: b.ID, Kind: cmd.Kind, Title: cmd.Title, Session: cmd.Session, Venue: cmd.Venue, Start: cmd.Start.UTC(), End: cmd.End.UTC()}
	switch {
	case cmd.StateOnly && len(cmd.Admits) > 0:
		return nil, Errorf(EINVALID, "meeting %s is State-only and admits no observers, yet admits lists %s", cmd.ID, categoryList(cmd.Admits))
	case cmd.StateOnly:
	case cmd.Admits != nil:
		if err := checkCategories("admits", cmd.Admits); err != nil {
			return nil, err
		}
		for _, cat := range cmd.Admits {
			if !b.Admits(cat) {
				return nil, Errorf(EINVALID, "body %s admits %s; meeting %s cannot admit %s", b.label(), orNone(categoryList(b.Participation)), cmd.ID, cat)
			}
		}
		m.Admits = slices.Clone(cmd.Admits)
	default:
		m.Admits = slices.Clone(b.Participation)
	}
	if m.Kind == StakeholderConsultation {
		if m.StateOnly() {
			return nil, Errorf(EINVALID, "stakeholder consultation %s must admit at least one category of stakeholders", m.ID)
		}
		var missing []string
		for _, cat := range consultationCategories {
			if !m.admits(cat) {
				missing = append(missing, string(cat))
			}
		}
		if len(missing) > 0 {
			return nil, Errorf(EINVALID, "a stakeholder consultation is open to all interested parties, including regional organizations, businesses, NGOs and academia; %s does not admit %s", m.ID, andList(missing))
		}
		if d := m.End.Sub(m.Start); d < MeetingDay {
			return nil, Errorf(EINVALID, "a stakeholder consultation lasts at least one meeting day (10:00 to 18:00, 8 hours); %s lasts %s", m.ID, hours(d))
		}
	}
	if v := p.RulesAt(m.Start).FormalVenue; v != "" && m.Kind.formal() && !strings.EqualFold(strings.TrimSpace(m.Venue), v) {
		return nil, Errorf(EINVALID, "formal meetings of %s are convened in %s; %s is %s and is set in %q", p.label(), v, m.ID, m.Kind.words(), m.Venue)
	}
	for _, o := range p.Schedule() {
		if m.Start.Before(o.End) && o.Start.Before(m.End) {
			return nil, Errorf(ECONFLICT, "meeting %s overlaps meeting %s: meetings of one process are never held in parallel", m.label(), o.label())
		}
	}
	schedule := append(p.Schedule(), &m)
	sortMeetings(schedule)
	if err := p.checkReviews(schedule); err != nil {
		return nil, err
	}
	if err := p.checkConsultations(schedule); err != nil {
		return nil, err
	}
	if err := p.checkSessions(schedule); err != nil {
		return nil, err
	}
	return []EventData{MeetingScheduled{Meeting: m}}, nil
}

func orNone(s string) string {
	if s == "" {
		return "no observers"
	}
	return s
}

// checkReviews checks that review conferences in a schedule fall every
// ReviewEveryYears years, counted from the year the process began.
func (p *Process) checkReviews(schedule []*Meeting) error {
	prev, from := p.Start.Year(), "when "+p.label()+" began"
	for _, m := range schedule {
		if m.Kind != ReviewConference {
			continue
		}
		n := p.RulesAt(m.Start).ReviewEveryYears
		if n == 0 {
			return Errorf(EINVALID, "%s holds no review conference (its rules set none); %s cannot be one", p.label(), m.ID)
		}
		if y := m.Start.Year(); y != prev+n {
			return Errorf(EINVALID, "review conferences are held every %d years: the one after %d (%s) falls in %d, and %s falls in %d", n, prev, from, prev+n, m.ID, y)
		}
		prev, from = m.Start.Year(), "review conference "+string(m.ID)
	}
	return nil
}

// checkConsultations checks, when the process requires it, that every
// substantive plenary session has a stakeholder consultation of at least
// one meeting day before it: after the previous session's last plenary
// meeting and before its own first. Later plenary meetings of the same
// session (the closing plenary) need none of their own.
func (p *Process) checkConsultations(schedule []*Meeting) error {
	var prevEnd time.Time
	prevSession := "\x00"
	for _, m := range schedule {
		if m.Kind != SubstantivePlenary {
			continue
		}
		if m.Session != "" && m.Session == prevSession {
			prevEnd = m.End
			continue
		}
		found := !p.RulesAt(m.Start).ConsultationBeforePlenary
		for _, c := range schedule {
			if c.Kind == StakeholderConsultation && !c.End.After(m.Start) && !c.Start.Before(prevEnd) {
				found = true
				break
			}
		}
		if !found {
			since := ""
			if !prevEnd.IsZero() {
				since = fmt.Sprintf(" (after the previous plenary session ended on %s)", day(prevEnd))
			}
			return Errorf(ECONFLICT, "substantive plenary %s has no stakeholder consultation of at least one day before it%s; schedule the consultation first", m.label(), since)
		}
		prevEnd, prevSession = m.End, m.Session
		if m.Session == "" {
			prevSession = "\x00"
		}
	}
	return nil
}

// session is the meetings of one substantive session: those sharing a
// session label, or a substantive plenary meeting on its own.
type session struct {
	name     string
	meetings []*Meeting
}

func (s session) start() time.Time { return s.meetings[0].Start }
func (s session) end() time.Time {
	e := s.meetings[0].End
	for _, m := range s.meetings {
		if m.End.After(e) {
			e = m.End
		}
	}
	return e
}

// substantiveSessions groups a schedule into substantive sessions: every
// session with a substantive plenary meeting or a group meeting in it (a
// group meeting with no session label is no session), in order.
func substantiveSessions(schedule []*Meeting) []session {
	byName := map[string]*session{}
	var out []*session
	for _, m := range schedule {
		key := m.Session
		if key == "" {
			key = "\x00" + string(m.ID)
		}
		s := byName[key]
		if s == nil {
			s = &session{name: m.Session}
			if s.name == "" {
				s.name = string(m.ID)
			}
			byName[key] = s
			out = append(out, s)
		}
		s.meetings = append(s.meetings, m)
	}
	var res []session
	for _, s := range out {
		if slices.ContainsFunc(s.meetings, func(m *Meeting) bool {
			return m.Kind == SubstantivePlenary || (m.Kind == GroupMeeting && m.Session != "")
		}) {
			res = append(res, *s)
		}
	}
	return res
}

// workingDays counts the days Monday to Friday from start's date to end's
// date, both included (UTC dates).
func workingDays(start, end time.Time) int {
	n := 0
	for d := start.UTC().Truncate(24 * time.Hour); !d.After(end.UTC()); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n++
		}
	}
	return n
}

// checkSessions checks the calendar of substantive sessions: at most
// PlenarySessionsPerYear a year, each lasting at most SessionWorkingDays
// working days, and with SessionPattern, opening and closing in plenary
// with the group meetings between.
func (p *Process) checkSessions(schedule []*Meeting) error {
	perYear := map[int][]string{}
	for _, s := range substantiveSessions(schedule) {
		rules := p.RulesAt(s.start()) // the rules in force when the session opens
		maxDays := rules.SessionWorkingDays
		if maxDays == 0 {
			maxDays = DefaultSessionWorkingDays
		}
		if n := workingDays(s.start(), s.end()); n > maxDays {
			return Errorf(EINVALID, "substantive session %q runs from %s to %s, %s; a session lasts at most %s (rules.sessionWorkingDays)", s.name, day(s.start()), day(s.end()), plural(n, "working day"), plural(maxDays, "working day"))
		}
		y := s.start().Year()
		if slices.ContainsFunc(s.meetings, func(m *Meeting) bool { return m.Kind == SubstantivePlenary }) {
			perYear[y] = append(perYear[y], s.name)
		}
		if n := rules.PlenarySessionsPerYear; n > 0 && len(perYear[y]) > n {
			return Errorf(ECONFLICT, "%s holds %s a year; in %d it would hold %s", p.label(), plural(n, "substantive plenary session"), y, andList(quoteAll(perYear[y])))
		}
		if !rules.SessionPattern {
			continue
		}
		sortMeetings(s.meetings)
		closed := ""
		for i, m := range s.meetings {
			switch {
			case m.Kind == GroupMeeting && i == 0:
				return Errorf(ECONFLICT, "session %q opens in plenary: group meeting %s comes before any plenary meeting of the session", s.name, m.label())
			case m.Kind == GroupMeeting && closed != "":
				return Errorf(ECONFLICT, "session %q closes in plenary: group meeting %s comes after its closing plenary %s", s.name, m.label(), closed)
			case m.Kind == SubstantivePlenary && i > 0 && slices.ContainsFunc(s.meetings[:i], func(x *Meeting) bool { return x.Kind == GroupMeeting }):
				closed = string(m.ID)
			}
		}
	}
	return nil
}

func quoteAll(words []string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = fmt.Sprintf("%q", w)
	}
	return out
}

// MeetingRef returns what a room needs to know of a meeting of the
// process (see Meeting.Ref), with whether a progress report is due in it.
func (p *Process) MeetingRef(id MeetingID) (MeetingRef, error) {
	m, err := p.Meeting(id)
	if err != nil {
		return MeetingRef{}, err
	}
	ref := m.Ref()
	ref.Process = p.ID
	if n := p.RulesAt(m.Start).ProgressReportEveryYears; n > 0 {
		from := p.Start.Year()
		for _, x := range p.Schedule() {
			if x.Kind == SubstantivePlenary {
				from = x.Start.Year()
				break
			}
		}
		ref.ProgressReports = &ReportCycle{Every: n, From: from, Year: m.Start.Year(), Due: (m.Start.Year()-from)%n == n-1}
	}
	return ref, nil
}

// ReportCycle says when progress reports are due: every Every years, at
// the end of each cycle counted from the year From of the first
// substantive plenary session; Due says whether one is due in the year of
// the meeting.
type ReportCycle struct {
	Every int  `json:"every"`
	From  int  `json:"from"`
	Year  int  `json:"year"` // the meeting's
	Due   bool `json:"due"`
}

// years lists the first few years in which reports are due.
func (rc ReportCycle) years() string {
	var ys []string
	for y := rc.From + rc.Every - 1; len(ys) < 3; y += rc.Every {
		ys = append(ys, fmt.Sprint(y))
	}
	return strings.Join(ys, ", ") + "…"
}

// EventType implements EventData.
func (MeetingScheduled) EventType() string { return "meeting.scheduled" }

func (ev MeetingScheduled) apply(p *Process, e Event) {
	m := ev.Meeting
	p.Meetings = append(p.Meetings, &m)
}

// CancelMeeting cancels a scheduled meeting, with the reason.
type CancelMeeting struct {
	Meeting MeetingID `json:"meeting"`
	Reason  string    `json:"reason"`
}

// MeetingCancelled records a cancelled meeting.
type MeetingCancelled CancelMeeting

func (cmd CancelMeeting) decide(p *Process, c Context) ([]EventData, error) {
	if err := setUp(c, "cancel a meeting"); err != nil {
		return nil, err
	}
	m, err := p.Meeting(cmd.Meeting)
	if err != nil {
		return nil, err
	}
	if m.Cancelled {
		return nil, Errorf(ECONFLICT, "meeting %s is already cancelled", m.ID)
	}
	if err := nonEmpty("reason", cmd.Reason); err != nil {
		return nil, err
	}
	if err := checkComment("reason", cmd.Reason); err != nil {
		return nil, err
	}
	schedule := slices.DeleteFunc(p.Schedule(), func(o *Meeting) bool { return o.ID == m.ID })
	if err := p.checkConsultations(schedule); err != nil {
		return nil, Errorf(ECONFLICT, "meeting %s cannot be cancelled: %s", m.ID, Because(err))
	}
	return []EventData{MeetingCancelled(cmd)}, nil
}

// EventType implements EventData.
func (MeetingCancelled) EventType() string { return "meeting.cancelled" }

func (ev MeetingCancelled) apply(p *Process, e Event) {
	m, _ := p.Meeting(ev.Meeting)
	m.Cancelled, m.Reason = true, ev.Reason
}

func init() {
	RegisterEvent(func() EventData { return new(MeetingScheduled) })
	RegisterEvent(func() EventData { return new(MeetingCancelled) })
}
