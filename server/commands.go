package server

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// officers hold the pen and run the reading. A person's directory role
// is "officer"; the room gives them the role of the seat they hold (see
// Room.process), and the engine checks every presiding act against the
// holder of the seat of the document's body (engine.Context.Offices). The
// table lets officers through; the engine decides whether this one
// presides here and now.
var officers = []engine.Role{engine.RoleOfficer, engine.RoleChair, engine.RoleViceChair, engine.RoleCoChair, engine.RoleFacilitator}

// commandSpec says how to decode a named command and who may send it.
type commandSpec struct {
	decode func(json.RawMessage) (engine.DocumentCommand, error)
	// build, when set instead of decode, builds the command with what the
	// server knows besides the room (a meeting copied from its process).
	build func(s *Server, doc engine.DocumentID, actor engine.Actor, raw json.RawMessage) (engine.DocumentCommand, error)
	// roles may send the command for any delegation.
	roles []engine.Role
	// delegate, when set, lets a delegate send the command for the State
	// it returns (and only for their own State).
	delegate func(engine.DocumentCommand) engine.StateCode
	// acting, when set, names the delegation a command speaks for; it must
	// be a Member State or a negotiating group.
	acting func(engine.DocumentCommand) engine.StateCode
	// observers, when set, lets observers' representatives send the
	// command; the engine decides where they may (a consultation, a
	// group's meeting open to them) and for whom (their own code).
	observers bool
}

func decodeAs[T engine.DocumentCommand](raw json.RawMessage) (engine.DocumentCommand, error) {
	var v T
	if err := decodeStrict(raw, &v, "command."); err != nil {
		return nil, err
	}
	return v, nil
}

var penHolders = append([]engine.Role{engine.RoleSecretariat}, officers...)

// translators change the language versions: the secretariat, and each
// translator their own language (the engine checks which).
var translators = []engine.Role{engine.RoleSecretariat, engine.RoleTranslator}

// commandSpecs is the table of every command a room takes, by name.
var commandSpecs = map[string]commandSpec{
	"paragraph.edit":    {decode: decodeAs[engine.EditText], roles: penHolders},
	"word-authors.map":  {decode: decodeAs[engine.MapWordAuthors], roles: []engine.Role{engine.RoleSecretariat}},
	"paragraph.replace": {decode: decodeAs[engine.ReplaceText], roles: penHolders},
	"paragraph.add":     {decode: decodeAs[engine.AddParagraph], roles: penHolders},
	"paragraph.delete":  {decode: decodeAs[engine.DeleteParagraph], roles: penHolders},
	"paragraph.remove":  {decode: decodeAs[engine.RemoveParagraph], roles: penHolders},
	"paragraph.move":    {decode: decodeAs[engine.MoveParagraph], roles: penHolders},
	"brackets.add":      {decode: decodeAs[engine.AddBrackets], roles: penHolders},
	"brackets.clear":    {decode: decodeAs[engine.ClearBrackets], roles: penHolders},
	"amendment.propose": {decode: decodeAs[engine.ProposeAmendment], roles: penHolders,
		delegate: func(c engine.DocumentCommand) engine.StateCode { return c.(engine.ProposeAmendment).Proposer },
		acting:   func(c engine.DocumentCommand) engine.StateCode { return c.(engine.ProposeAmendment).Proposer }},
	"amendment.cosponsor": {decode: decodeAs[engine.CoSponsor], roles: penHolders,
		delegate: func(c engine.DocumentCommand) engine.StateCode { return c.(engine.CoSponsor).State },
		acting:   func(c engine.DocumentCommand) engine.StateCode { return c.(engine.CoSponsor).State }},
	"amendment.decide": {decode: decodeAs[engine.DecideAmendment], roles: officers,
		// A delegate may only withdraw; the engine checks it is their own.
		delegate: func(c engine.DocumentCommand) engine.StateCode {
			if c.(engine.DecideAmendment).Outcome == engine.Withdrawn {
				return "*"
			}
			return ""
		}},
	"position.state": {decode: decodeAs[engine.StatePosition], roles: penHolders,
		delegate: func(c engine.DocumentCommand) engine.StateCode { return c.(engine.StatePosition).State },
		acting:   func(c engine.DocumentCommand) engine.StateCode { return c.(engine.StatePosition).State }},
	"revision.issue": {build: buildIssueRevision, roles: []engine.Role{engine.RoleSecretariat}},

	"reading.open":   {build: buildOpenReading, roles: officers},
	"reading.close":  {decode: decodeAs[engine.CloseReading], roles: officers},
	"reading.read":   {decode: decodeAs[engine.ReadParagraph], roles: officers},
	"reading.reopen": {decode: decodeAs[engine.ReopenParagraph], roles: officers},
	"floor.ask": {decode: decodeAs[engine.AskFloor], roles: officers, observers: true,
		delegate: func(c engine.DocumentCommand) engine.StateCode { return c.(engine.AskFloor).Delegation }},
	"floor.withdraw": {decode: decodeAs[engine.WithdrawFloor], roles: officers, observers: true,
		delegate: func(c engine.DocumentCommand) engine.StateCode { return c.(engine.WithdrawFloor).Delegation }},
	"floor.give":    {decode: decodeAs[engine.GiveFloor], roles: officers},
	"floor.next":    {decode: decodeAs[engine.NextSpeaker], roles: officers},
	"floor.limit":   {decode: decodeAs[engine.SetSpeakingTime], roles: officers},
	"decision.take": {decode: decodeAs[engine.TakeDecision], roles: officers},
	"silence.open":  {decode: decodeAs[engine.OpenSilence], roles: officers},
	"silence.close": {decode: decodeAs[engine.CloseSilence], roles: officers},
	"silence.break": {decode: decodeAs[engine.BreakSilence],
		delegate: func(c engine.DocumentCommand) engine.StateCode { return c.(engine.BreakSilence).State },
		acting:   func(c engine.DocumentCommand) engine.StateCode { return c.(engine.BreakSilence).State }},
	"position.explain": {decode: decodeAs[engine.ExplainPosition],
		delegate: func(c engine.DocumentCommand) engine.StateCode { return c.(engine.ExplainPosition).State },
		acting:   func(c engine.DocumentCommand) engine.StateCode { return c.(engine.ExplainPosition).State }},
	"section.takein": {build: buildTakeIn, roles: penHolders},
	"summary.issue":  {decode: decodeAs[engine.IssueChairsSummary], roles: officers},
	"consensus.none": {decode: decodeAs[engine.RecordNoConsensus], roles: officers},

	"translation.paragraph": {decode: decodeAs[engine.TranslateParagraph], roles: translators},
	"translation.heading":   {decode: decodeAs[engine.TranslateHeading], roles: translators},
	"translation.import":    {decode: decodeAs[engine.ImportTranslation], roles: translators},
}

// OpenReadingRequest opens a reading in a meeting of the document's
// process; the server copies the meeting from the process.
type OpenReadingRequest struct {
	Kind    engine.ReadingKind `json:"kind"`
	Process engine.ProcessID   `json:"process"`
	Meeting engine.MeetingID   `json:"meeting"`
}

func buildOpenReading(s *Server, _ engine.DocumentID, _ engine.Actor, raw json.RawMessage) (engine.DocumentCommand, error) {
	var req OpenReadingRequest
	if err := decodeStrict(raw, &req, "command."); err != nil {
		return nil, err
	}
	if req.Process == "" || req.Meeting == "" {
		return nil, engine.Errorf(engine.EINVALID, "process and meeting are required: the meeting in which the reading is held")
	}
	ref, err := s.meetingRef(req.Process, req.Meeting)
	if err != nil {
		return nil, err
	}
	return engine.OpenReading{Kind: req.Kind, Meeting: ref}, nil
}

// TakeInRequest takes a group's agreed text into this document (the
// plenary's progress report) as a new section. The server reads the
// group's document from its own room, so the outline taken in is the one
// on record, not one a client made up.
type TakeInRequest struct {
	From     engine.DocumentID  `json:"from"`
	Heading  string             `json:"heading"`
	After    engine.SectionID   `json:"after,omitempty"`
	Sections []engine.SectionID `json:"sections,omitempty"`
}

func buildTakeIn(s *Server, _ engine.DocumentID, _ engine.Actor, raw json.RawMessage) (engine.DocumentCommand, error) {
	var req TakeInRequest
	if err := decodeStrict(raw, &req, "command."); err != nil {
		return nil, err
	}
	if req.From == "" {
		return nil, engine.Errorf(engine.EINVALID, "from is required: the group's document whose agreed text is taken in")
	}
	rm, err := s.room(req.From)
	if err != nil {
		return nil, err
	}
	var out engine.Outline
	var body engine.BodyID
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := rm.Read(ctx, func(d *engine.Document, _ uint64, _ string) { out, body = d.Outline(), d.Body }); err != nil {
		return nil, err
	}
	return engine.TakeInSection{From: req.From, Body: body, Outline: out, Sections: req.Sections, Heading: req.Heading, After: req.After}, nil
}

// CommandNames lists every command a room takes.
func CommandNames() []string {
	names := make([]string, 0, len(commandSpecs))
	for n := range commandSpecs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// decodeCommand decodes a named command for document doc and checks that
// actor may send it. Refusals name the role and the command.
func decodeCommand(s *Server, doc engine.DocumentID, actor engine.Actor, name string, raw json.RawMessage) (engine.DocumentCommand, error) {
	spec, ok := commandSpecs[name]
	if !ok {
		return nil, engine.Errorf(engine.EINVALID, "unknown command %q", name)
	}
	if len(raw) == 0 {
		raw = json.RawMessage("{}")
	}
	var cmd engine.DocumentCommand
	var err error
	if spec.build != nil {
		if !slices.Contains(spec.roles, actor.Role) {
			return nil, authorize(actor, name, spec, nil)
		}
		cmd, err = spec.build(s, doc, actor, raw)
	} else {
		cmd, err = spec.decode(raw)
	}
	if err != nil {
		return nil, err
	}
	if err := authorize(actor, name, spec, cmd); err != nil {
		return nil, err
	}
	return cmd, nil
}

// authorize applies the role and State rules of a command spec.
func authorize(actor engine.Actor, name string, spec commandSpec, cmd engine.DocumentCommand) error {
	if spec.acting != nil && cmd != nil {
		if s := spec.acting(cmd); s != "" {
			if _, ok := engine.LookupDelegation(s); !ok {
				return engine.Errorf(engine.EINVALID, "%q is not a Member State or negotiating group", s)
			}
		}
	}
	if slices.Contains(spec.roles, actor.Role) || (spec.observers && actor.Role == engine.RoleObserver) {
		return nil
	}
	if actor.Role == engine.RoleDelegate && spec.delegate != nil && cmd != nil {
		switch s := spec.delegate(cmd); {
		case s == "*":
			return nil
		case s == actor.State && s != "":
			return nil
		case s != "":
			return engine.Errorf(engine.EFORBIDDEN, "a delegate of %s cannot act for %s", actor.State, s)
		}
	}
	if isViewer(actor.Role) {
		return engine.Errorf(engine.EFORBIDDEN, "a viewer shows the room on a projector or public screen and cannot %s", describe(name))
	}
	if actor.Role == engine.RoleObserver {
		return engine.Errorf(engine.EFORBIDDEN, "observers follow the room but cannot %s: they never propose text or take part in decisions", describe(name))
	}
	return engine.Errorf(engine.EFORBIDDEN, "a %s cannot %s", actor.Role, describe(name))
}

// describe turns a command name into words for messages.
func describe(name string) string {
	if d, ok := commandWords[name]; ok {
		return d
	}
	return fmt.Sprintf("send %q", name)
}

var commandWords = map[string]string{
	"paragraph.edit":        "edit the text (the pen is held by the chair and the secretariat)",
	"paragraph.replace":     "replace a paragraph's text",
	"paragraph.add":         "add a paragraph directly (propose an amendment instead)",
	"paragraph.delete":      "delete a paragraph directly (propose an amendment instead)",
	"paragraph.remove":      "remove a paragraph",
	"paragraph.move":        "move a paragraph directly (propose an amendment instead)",
	"brackets.add":          "put text in brackets (ask the chair)",
	"brackets.clear":        "clear brackets",
	"amendment.propose":     "propose amendments",
	"amendment.cosponsor":   "co-sponsor amendments",
	"amendment.decide":      "decide on amendments",
	"position.state":        "state positions",
	"revision.issue":        "issue revisions",
	"reading.open":          "open a reading",
	"reading.close":         "close a reading",
	"reading.read":          "move the reading pointer",
	"reading.reopen":        "reopen a paragraph",
	"floor.ask":             "ask for the floor",
	"floor.withdraw":        "withdraw from the speakers' list",
	"floor.give":            "give the floor",
	"floor.next":            "give the floor to the next speaker",
	"floor.limit":           "set the speaking time",
	"decision.take":         "take decisions",
	"silence.open":          "open a silence procedure",
	"silence.close":         "close a silence procedure",
	"silence.break":         "break a silence procedure",
	"position.explain":      "explain a position",
	"summary.issue":         "issue a Chair's summary",
	"consensus.none":        "record that consensus was not reached",
	"section.takein":        "take a group's agreed text in",
	"word-authors.map":      "map the authors of Word files to States",
	"translation.paragraph": "translate the text (the secretariat's translators do)",
	"translation.heading":   "translate a heading (the secretariat's translators do)",
	"translation.import":    "import a language version (the secretariat's translators do)",
}
