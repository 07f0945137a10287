package engine

import (
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"
)

// Context is what the engine is told about a command besides its content:
// when it happens (time is passed in, never read) and who acts.
type Context struct {
	Now   time.Time
	Actor Actor
	// Offices is the record of the offices of the document's process,
	// copied by the caller from the process (Process.Offices): the engine
	// cannot read another aggregate. Every presiding act on a document of
	// a process is checked against the holder of the seat of the
	// document's body it records; without it, no one but the system
	// presides. Process commands ignore it: the process has its own.
	Offices *Offices
}

// DocumentCommand is a request to change a document. The engine validates
// it against the current state and turns it into events; it never changes
// state itself.
type DocumentCommand interface {
	decide(d *Document, c Context) ([]EventData, error)
}

// documentEvent is an event that changes a document when applied.
type documentEvent interface {
	EventData
	apply(d *Document, e Event)
}

// Decide validates cmd against the document and returns the events that
// carry it out, stamped with c's time and actor. The rules of the room
// that hold whatever the command (observers, adopted text, a text under a
// silence procedure: see guard) are checked before the command's own. The
// document is not changed: apply the events (after storing them) with
// Apply.
func (d *Document) Decide(c Context, cmd DocumentCommand) ([]Event, error) {
	if d.ID == "" {
		if _, ok := cmd.(CreateDocument); !ok {
			return nil, Errorf(ENOTFOUND, "the document does not exist yet")
		}
	}
	if err := d.guard(c, cmd); err != nil {
		return nil, err
	}
	data, err := cmd.decide(d, c)
	if err != nil {
		return nil, err
	}
	return stamp(c, data)
}

// stamp turns decided payloads into events stamped with c's time and
// actor. Events are applied live in exactly the form the log gives back on
// replay: decoded from their JSON. Every aggregate's Decide ends here.
func stamp(c Context, data []EventData) ([]Event, error) {
	evs := make([]Event, len(data))
	for i, x := range data {
		b, err := json.Marshal(x)
		if err != nil {
			return nil, Errorf(EINTERNAL, "encode %s: %v", x.EventType(), err)
		}
		if x, err = DecodePayload(x.EventType(), b); err != nil {
			return nil, err
		}
		evs[i] = NewEvent(c.Now, c.Actor, x)
	}
	return evs, nil
}

// Apply folds one event into the document. Applying the same events in the
// same order always gives the same state. An event that is not a document
// event is an error.
func (d *Document) Apply(e Event) error {
	de, ok := e.Data.(documentEvent)
	if !ok {
		return Errorf(EINVALID, "event %q does not apply to a document", e.Type)
	}
	de.apply(d, e)
	return nil
}

// Execute decides cmd and applies the resulting events at once. It is for
// tests and tools that keep no log; the server stores events before it
// applies them.
func (d *Document) Execute(c Context, cmd DocumentCommand) ([]Event, error) {
	evs, err := d.Decide(c, cmd)
	if err != nil {
		return nil, err
	}
	for _, e := range evs {
		if err := d.Apply(e); err != nil {
			return nil, err
		}
	}
	return evs, nil
}

// Limits on text that the engine accepts.
const (
	// MaxParagraphText is the longest paragraph text accepted, in bytes.
	MaxParagraphText = 64 << 10
	// MaxParagraphs is the most paragraphs a document may hold.
	MaxParagraphs = 20000
)

// checkText refuses text that is not valid UTF-8, too long, or holds
// control characters other than tab. A paragraph is one block of text, so
// line breaks are refused too. field names what is being checked in the
// error ("text of paragraph 12").
func checkText(field, text string) error {
	if i := strings.IndexAny(text, "\n\r"); i >= 0 {
		return Errorf(EINVALID, "%s has a line break at character %d; a paragraph is one block of text", field, utf8.RuneCountInString(text[:i]))
	}
	return checkComment(field, text)
}

// checkComment is checkText for free text that may span lines, such as
// comments and explanations of position.
func checkComment(field, text string) error {
	if !utf8.ValidString(text) {
		return Errorf(EINVALID, "%s is not valid UTF-8", field)
	}
	if len(text) > MaxParagraphText {
		return Errorf(EINVALID, "%s is %d bytes; the limit is %d", field, len(text), MaxParagraphText)
	}
	for i, r := range text {
		if (r < 0x20 && r != '\t' && r != '\n') || r == 0x7f {
			return Errorf(EINVALID, "%s has a control character U+%04X at character %d", field, r, utf8.RuneCountInString(text[:i]))
		}
	}
	return nil
}

// nonEmpty refuses a blank required field.
func nonEmpty(field, v string) error {
	if strings.TrimSpace(v) == "" {
		return Errorf(EINVALID, "%s is required", field)
	}
	return nil
}
