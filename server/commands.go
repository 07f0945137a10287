package server

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	"github.com/draftroom/draftroom/engine"
)

// officers hold the pen and run the reading.
var officers = []engine.Role{engine.RoleChair, engine.RoleViceChair, engine.RoleFacilitator}

// commandSpec says how to decode a named command and who may send it.
type commandSpec struct {
	decode func(json.RawMessage) (engine.DocumentCommand, error)
	// roles may send the command for any delegation.
	roles []engine.Role
	// delegate, when set, lets a delegate send the command for the State
	// it returns (and only for their own State).
	delegate func(engine.DocumentCommand) engine.StateCode
	// acting, when set, names the delegation a command speaks for; it must
	// be a Member State or a negotiating group.
	acting func(engine.DocumentCommand) engine.StateCode
}

func decodeAs[T engine.DocumentCommand](raw json.RawMessage) (engine.DocumentCommand, error) {
	var v T
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, jsonError(err, maxMessageSize)
	}
	return v, nil
}

var penHolders = append([]engine.Role{engine.RoleSecretariat}, officers...)

// commandSpecs is the table of every command a room takes, by name.
var commandSpecs = map[string]commandSpec{
	"paragraph.edit":    {decode: decodeAs[engine.EditText], roles: penHolders},
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
	"revision.issue": {decode: decodeAs[engine.IssueRevision], roles: []engine.Role{engine.RoleSecretariat}},
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

// decodeCommand decodes a named command and checks that actor may send
// it. Refusals name the role and the command.
func decodeCommand(actor engine.Actor, name string, raw json.RawMessage) (engine.DocumentCommand, error) {
	spec, ok := commandSpecs[name]
	if !ok {
		return nil, engine.Errorf(engine.EINVALID, "unknown command %q", name)
	}
	if len(raw) == 0 {
		raw = json.RawMessage("{}")
	}
	cmd, err := spec.decode(raw)
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
	if spec.acting != nil {
		if s := spec.acting(cmd); s != "" {
			if _, ok := engine.LookupDelegation(s); !ok {
				return engine.Errorf(engine.EINVALID, "%q is not a Member State or negotiating group", s)
			}
		}
	}
	if slices.Contains(spec.roles, actor.Role) {
		return nil
	}
	if actor.Role == engine.RoleDelegate && spec.delegate != nil {
		switch s := spec.delegate(cmd); {
		case s == "*":
			return nil
		case s == actor.State && s != "":
			return nil
		case s != "":
			return engine.Errorf(engine.EFORBIDDEN, "a delegate of %s cannot act for %s", actor.State, s)
		}
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
	"paragraph.edit":      "edit the text (the pen is held by the chair and the secretariat)",
	"paragraph.replace":   "replace a paragraph's text",
	"paragraph.add":       "add a paragraph directly (propose an amendment instead)",
	"paragraph.delete":    "delete a paragraph directly (propose an amendment instead)",
	"paragraph.remove":    "remove a paragraph",
	"paragraph.move":      "move a paragraph directly (propose an amendment instead)",
	"brackets.add":        "put text in brackets (ask the chair)",
	"brackets.clear":      "clear brackets",
	"amendment.propose":   "propose amendments",
	"amendment.cosponsor": "co-sponsor amendments",
	"amendment.decide":    "decide on amendments",
	"position.state":      "state positions",
	"revision.issue":      "issue revisions",
}
