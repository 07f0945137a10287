package export

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// RecordEntry is one event of the record: when, who (person, State, role)
// and what, with the event's place in the hash-chained log.
type RecordEntry struct {
	Seq    uint64           `json:"seq"`
	At     time.Time        `json:"at"`
	Person engine.PersonID  `json:"person,omitempty"`
	Name   string           `json:"name,omitempty"`
	State  engine.StateCode `json:"state,omitempty"`
	Role   engine.Role      `json:"role,omitempty"`
	Type   string           `json:"type"`
	What   string           `json:"what"`
	Hash   string           `json:"hash"`
}

// Record is the record of a room, or of one meeting in it: every change
// and decision, attributable to a person, a State and a time.
type Record struct {
	Meta    Meta          `json:"meta"`
	Meeting string        `json:"meeting,omitempty"`
	Entries []RecordEntry `json:"entries"`
}

// BuildRecord lists the events of a document's room. With meeting set,
// only the events of that meeting: from the opening of each reading held
// in it to its close. name gives a person's name (or "").
func BuildRecord(d *engine.Document, evs []engine.Event, meeting engine.MeetingID, meta Meta, name func(engine.PersonID) string) (*Record, error) {
	type window struct{ from, to time.Time }
	var windows []window
	if meeting != "" {
		for _, r := range d.Readings {
			if r.Meeting.ID == meeting {
				w := window{r.Opened, r.Closed}
				windows = append(windows, w)
			}
		}
		if len(windows) == 0 {
			return nil, engine.Errorf(engine.ENOTFOUND, "no reading of %s was held in meeting %s", d.CurrentSymbol(), meeting)
		}
	}
	in := func(t time.Time) bool {
		if meeting == "" {
			return true
		}
		for _, w := range windows {
			if !t.Before(w.from) && (w.to.IsZero() || !t.After(w.to)) {
				return true
			}
		}
		return false
	}
	rec := &Record{Meta: meta, Meeting: string(meeting), Entries: []RecordEntry{}}
	for _, e := range evs {
		if !in(e.At) {
			continue
		}
		rec.Entries = append(rec.Entries, RecordEntry{Seq: e.StreamSeq, At: e.At, Person: e.Actor.Person, Name: name(e.Actor.Person),
			State: e.Actor.State, Role: e.Actor.Role, Type: e.Type, What: describe(d, e), Hash: e.Hash})
	}
	return rec, nil
}

// describe says in words what an event did.
func describe(d *engine.Document, e engine.Event) string {
	num := func(id engine.ParagraphID) string {
		if p, ok := d.Paragraphs[id]; ok {
			if n := d.Number(p); n != "" {
				return "paragraph " + n
			}
		}
		return "paragraph " + string(id)
	}
	switch ev := e.Data.(type) {
	case *engine.DocumentCreated:
		return fmt.Sprintf("created the document %q", ev.Draft.Title)
	case *engine.TextEdited:
		return fmt.Sprintf("edited %s: %q", num(ev.Para), ev.Insert)
	case *engine.TextReplaced:
		return fmt.Sprintf("replaced the text of %s", num(ev.Para))
	case *engine.ParagraphAdded:
		return fmt.Sprintf("added %s", num(ev.Para))
	case *engine.ParagraphDeleted:
		return fmt.Sprintf("struck %s through", num(ev.Para))
	case *engine.ParagraphRemoved:
		return fmt.Sprintf("removed %s", num(ev.Para))
	case *engine.ParagraphMoved:
		return fmt.Sprintf("moved %s", num(ev.Para))
	case *engine.BracketsAdded:
		return fmt.Sprintf("bracketed text in %s at the request of %s", num(ev.Para), statesText(ev.By))
	case *engine.BracketsCleared:
		if ev.Drop {
			return fmt.Sprintf("deleted bracket %d of %s", ev.Index+1, num(ev.Para))
		}
		return fmt.Sprintf("cleared bracket %d of %s", ev.Index+1, num(ev.Para))
	case *engine.AmendmentProposed:
		a := ev.Amendment
		return fmt.Sprintf("%s proposed amendment %s (%s) to %s", a.Proposer, a.ID, a.Op, num(a.Para))
	case *engine.CoSponsorChanged:
		if ev.Withdraw {
			return fmt.Sprintf("%s withdrew as co-sponsor of amendment %s", ev.State, ev.Amendment)
		}
		return fmt.Sprintf("%s co-sponsored amendment %s", ev.State, ev.Amendment)
	case *engine.AmendmentDecided:
		return fmt.Sprintf("amendment %s: %s", ev.Amendment, ev.Outcome)
	case *engine.AmendmentTextChanged:
		return fmt.Sprintf("the text of amendment %s changed", ev.Amendment)
	case *engine.PositionStated:
		target := num(ev.Position.Para)
		if ev.Position.Amendment != "" {
			target = "amendment " + string(ev.Position.Amendment)
		}
		if ev.Withdrawn {
			return fmt.Sprintf("%s withdrew its position on %s", ev.Position.State, target)
		}
		s := fmt.Sprintf("%s: %s on %s", ev.Position.State, ev.Position.Kind, target)
		if ev.Position.Comment != "" {
			s += " — " + ev.Position.Comment
		}
		return s
	case *engine.RevisionIssued:
		return fmt.Sprintf("issued %s", ev.Symbol)
	}
	// Proceedings and any later event: its type and payload, as stored.
	b, _ := json.Marshal(e.Data)
	s := strings.ReplaceAll(e.Type, ".", " ")
	if len(b) > 2 && len(b) < 240 {
		s += " " + string(b)
	}
	return s
}

// Kind implements Report.
func (r *Record) Kind() string { return "record" }

// Metadata implements Report.
func (r *Record) Metadata() Meta { return r.Meta }

func (r *Record) title() string {
	if r.Meeting != "" {
		return "Record of meeting " + r.Meeting + ": " + r.Meta.Title
	}
	return "Record: " + r.Meta.Title
}

func who(e RecordEntry) string {
	parts := []string{}
	if e.Name != "" {
		parts = append(parts, e.Name)
	} else if e.Person != "" {
		parts = append(parts, string(e.Person))
	}
	if e.State != "" {
		parts = append(parts, string(e.State))
	}
	if e.Role != "" {
		parts = append(parts, string(e.Role))
	}
	return strings.Join(parts, ", ")
}

// Markdown implements Report: one line per event.
func (r *Record) Markdown() []byte {
	var b strings.Builder
	mdMeta(&b, r.title(), r.Meta, fmt.Sprintf("Report: record (%d events)", len(r.Entries)))
	for _, e := range r.Entries {
		b.WriteString(fmt.Sprintf("- %d · %s · %s · %s\n", e.Seq, e.At.UTC().Format("2 January 2006, 15:04:05 UTC"),
			mdText(who(e), inlineOpts{}), mdText(e.What, inlineOpts{})))
	}
	return []byte(b.String())
}

// HTML implements Report: a table, user text escaped.
func (r *Record) HTML() []byte {
	var b strings.Builder
	b.WriteString("<table class=\"record\">\n<thead><tr><th>Event</th><th>Time (UTC)</th><th>Who</th><th>What</th></tr></thead>\n<tbody>\n")
	for _, e := range r.Entries {
		fmt.Fprintf(&b, "<tr><td>%d</td><td>%s</td><td dir=\"auto\">%s</td><td dir=\"auto\">%s</td></tr>\n", e.Seq,
			e.At.UTC().Format("2 January 2006, 15:04:05 UTC"), escapeHTML(who(e)), escapeHTML(e.What))
	}
	b.WriteString("</tbody>\n</table>\n")
	return htmlPage("record", r.title(), r.Meta, "", []string{fmt.Sprintf("Report: record (%d events)", len(r.Entries))}, b.String(), nil)
}

// JSON implements Report.
func (r *Record) JSON() ([]byte, error) { return json.MarshalIndent(r, "", "  ") }

// DOCX implements Report; the record is offered in md, html and json.
func (r *Record) DOCX() ([]byte, error) {
	return nil, engine.Errorf(engine.EINVALID, "the record is offered as md, html or json")
}

// AKN implements Report; the record is offered in md, html and json.
func (r *Record) AKN() ([]byte, error) {
	return nil, engine.Errorf(engine.EINVALID, "the record is offered as md, html or json")
}

var _ Report = (*Record)(nil)
