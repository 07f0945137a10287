package server

import (
	"encoding/json"

	"github.com/draftroom/draftroom/engine"
)

// Message types of the live room protocol (see docs/protocol.md).
const (
	// Server to client.
	MsgHello    = "hello"    // first message: who you are, presence, missed events when resuming
	MsgSnapshot = "snapshot" // the whole view, after a hello that does not resume
	MsgEvents   = "events"   // stored events with the views they changed
	MsgAck      = "ack"      // a command of yours was stored
	MsgError    = "error"    // a command of yours was refused
	MsgPresence = "presence" // who is connected
	// Client to server.
	MsgCommand = "command"
)

// ServerMessage is every message the server sends. Frames are JSON arrays
// of messages, so a burst goes out in one frame.
type ServerMessage struct {
	Type       string            `json:"type"`
	Seq        uint64            `json:"seq"` // the room's last stored event sequence
	Room       engine.DocumentID `json:"room,omitempty"`
	You        *Who              `json:"you,omitempty"`
	Resumed    bool              `json:"resumed,omitempty"`
	Events     []engine.Event    `json:"events,omitempty"`
	View       *View             `json:"view,omitempty"`
	Paragraphs []ParagraphView   `json:"paragraphs,omitempty"`
	Amendments []AmendmentView   `json:"amendments,omitempty"`
	Positions  []PositionView    `json:"positions,omitempty"`
	RoomState  *RoomView         `json:"roomState,omitempty"` // the proceedings, when they changed
	Presence   []Presence        `json:"presence,omitempty"`
	// Nodes, in the hello on a node of several, are the addresses of
	// the nodes alive (draftroom serve -node-url): a client whose node
	// goes away reconnects to another of them.
	Nodes   []string `json:"nodes,omitempty"`
	ID      string   `json:"id,omitempty"` // the command this answers
	Code    string   `json:"code,omitempty"`
	Message string   `json:"message,omitempty"`
	// Key and Params name a refusal for a client that shows it in its
	// reader's language (engine.Error.Key).
	Key    string            `json:"key,omitempty"`
	Params map[string]string `json:"params,omitempty"`
	// RetryAfter, on a refusal for going too fast, is the seconds after
	// which the command would be taken.
	RetryAfter int `json:"retryAfter,omitempty"`
}

// ClientMessage is what a client sends: a command, by name, with its body
// and an id of the client's choosing that the ack or error repeats.
type ClientMessage struct {
	Type    string          `json:"type"`
	ID      string          `json:"id"`
	Name    string          `json:"name"`
	Command json.RawMessage `json:"command"`
}

// Close codes sent to clients, with a reason.
const (
	closeGoingAway = 1001 // server shutting down
	closePolicy    = 1008 // rate limit or message refused
	closeTooBig    = 1009
	closeTooSlow   = 4008 // the client fell behind and must resync
	closeLoggedOut = 4001 // the session ended
)
