package engine

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// Role is what a person does in a process.
type Role string

// Roles of the people who act in a room.
const (
	RoleSecretariat Role = "secretariat"
	RoleChair       Role = "chair"
	RoleViceChair   Role = "vice-chair"
	RoleCoChair     Role = "co-chair"
	RoleFacilitator Role = "facilitator"
	RoleDelegate    Role = "delegate"
	RoleObserver    Role = "observer"
	// RoleTranslator is a member of the secretariat who translates one
	// language version (Actor.Language) and changes nothing else.
	RoleTranslator Role = "translator"
	RoleSystem     Role = "system"
	// RoleOfficer is a person who may hold office (chair, vice-chair,
	// co-chair, facilitator) but is no office by that fact: presiding is a
	// seat of a body held for a term by election. In a room the caller
	// gives such a person the role of the seat they hold over the
	// document's body, and the engine checks the seat against the
	// process's offices (Context.Offices) whatever the role says.
	RoleOfficer Role = "officer"
	// RoleViewer is a projector or public screen: it follows rooms,
	// read-only, and is sent no names of individual people. It never
	// acts, so the engine never sees it.
	RoleViewer Role = "viewer"
)

// Actor is who caused an event: a person, the delegation they speak for
// (empty for officers and the secretariat) and their role. Every event
// carries one so that the record is attributable.
type Actor struct {
	Person PersonID  `json:"person,omitempty"`
	State  StateCode `json:"state,omitempty"`
	Role   Role      `json:"role,omitempty"`
	// Language is a translator's language: the one language version
	// they may change.
	Language string `json:"language,omitempty"`
}

// EventData is the payload of one event type. Each concrete type is
// registered under its name with RegisterEvent so that a stored event can
// be decoded back into it.
type EventData interface {
	// EventType is the stable name of the event in the log, e.g.
	// "paragraph.added". It must never change once events are stored.
	EventType() string
}

// Event is one fact in a stream. The engine fills Type, At, Actor and Data;
// the event log fills Stream, Seq, StreamSeq, PrevHash and Hash when it
// commits the event.
type Event struct {
	Stream    StreamID  `json:"stream,omitempty"`
	Seq       uint64    `json:"seq,omitempty"`       // global order across all streams, from 1
	StreamSeq uint64    `json:"streamSeq,omitempty"` // position within the stream, from 1
	Type      string    `json:"type"`
	At        time.Time `json:"at"`
	Actor     Actor     `json:"actor"`
	Data      EventData `json:"-"`
	PrevHash  string    `json:"prevHash,omitempty"` // hex SHA-256 of the previous event in the log
	Hash      string    `json:"hash,omitempty"`     // hex SHA-256 of this event, chained
}

var eventTypes = map[string]func() EventData{}

// RegisterEvent makes an event type decodable. It panics on a duplicate
// name, which is a programming error.
func RegisterEvent(newData func() EventData) {
	name := newData().EventType()
	if _, dup := eventTypes[name]; dup {
		panic("engine: duplicate event type " + name)
	}
	eventTypes[name] = newData
}

// EventTypes lists every registered event type name, sorted.
func EventTypes() []string {
	names := make([]string, 0, len(eventTypes))
	for n := range eventTypes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// NewEvent wraps data in an event at time at, caused by actor.
func NewEvent(at time.Time, actor Actor, data EventData) Event {
	return Event{Type: data.EventType(), At: at.UTC(), Actor: actor, Data: data}
}

type eventJSON struct {
	Stream    StreamID        `json:"stream,omitempty"`
	Seq       uint64          `json:"seq,omitempty"`
	StreamSeq uint64          `json:"streamSeq,omitempty"`
	Type      string          `json:"type"`
	At        time.Time       `json:"at"`
	Actor     Actor           `json:"actor"`
	Data      json.RawMessage `json:"data"`
	PrevHash  string          `json:"prevHash,omitempty"`
	Hash      string          `json:"hash,omitempty"`
}

// MarshalJSON encodes the event with its payload under "data".
func (e Event) MarshalJSON() ([]byte, error) {
	data, err := json.Marshal(e.Data)
	if err != nil {
		return nil, fmt.Errorf("encode %s event: %w", e.Type, err)
	}
	return json.Marshal(eventJSON{e.Stream, e.Seq, e.StreamSeq, e.Type, e.At, e.Actor, data, e.PrevHash, e.Hash})
}

// UnmarshalJSON decodes an event, resolving its payload type from the
// registry. An unknown type is an error naming it.
func (e *Event) UnmarshalJSON(b []byte) error {
	var j eventJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	newData, ok := eventTypes[j.Type]
	if !ok {
		return Errorf(EINVALID, "unknown event type %q", j.Type)
	}
	data := newData()
	if len(j.Data) > 0 && string(j.Data) != "null" {
		if err := json.Unmarshal(j.Data, data); err != nil {
			return Errorf(EINVALID, "decode %s event data: %v", j.Type, err)
		}
	}
	*e = Event{j.Stream, j.Seq, j.StreamSeq, j.Type, j.At, j.Actor, data, j.PrevHash, j.Hash}
	return nil
}

// PayloadJSON returns the canonical JSON of the event's payload, the bytes
// the log stores and hashes.
func (e Event) PayloadJSON() ([]byte, error) { return json.Marshal(e.Data) }

// DecodePayload rebuilds an event payload of the named type from its JSON.
func DecodePayload(typ string, data []byte) (EventData, error) {
	newData, ok := eventTypes[typ]
	if !ok {
		return nil, Errorf(EINVALID, "unknown event type %q", typ)
	}
	d := newData()
	if err := json.Unmarshal(data, d); err != nil {
		return nil, Errorf(EINVALID, "decode %s event data: %v", typ, err)
	}
	return d, nil
}
