// Package chain is what every draftroom event log shares, whatever
// database holds it: how an event is encoded for storage, the hash chain
// over the stored bytes (Hash), the walk that verifies a chain (Walker),
// anchors (heads seen earlier) and the anchor file, and the raw rows that
// move a whole log from one store to another (Copy).
//
// engine/sqlite and engine/postgres both build on it, so an event has the
// same bytes, the same hash and the same verdict from verify on either
// store, and a log copied from one to the other keeps its head hash.
package chain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/draftroom/draftroom/engine"
)

// Hash is the hash of one event in the chain: SHA-256, in lower-case
// hex, of these fields joined by a line feed (0x0A), with no line feed
// after the last:
//
//	prevHash  hex hash of the previous event in the whole log, "" for the first
//	seq       decimal, global order from 1
//	stream    the stream's name
//	streamSeq decimal, order within the stream from 1
//	type      the event type, e.g. "paragraph.added"
//	at        the time, RFC 3339 with nanoseconds in UTC, as stored
//	actor     the actor's JSON, as stored
//	payload   the payload's JSON, as stored
//
// The encoding is unambiguous because no field but the last can hold a
// line feed: hashes and numbers are digits, Append refuses streams and
// types with one, RFC 3339 has none and encoding/json escapes it; a
// Walker treats a stored line feed in any of them as a broken link.
func Hash(prev string, seq uint64, stream string, streamSeq uint64, typ, at string, actor, payload []byte) string {
	h := sha256.New()
	var num [20]byte
	h.Write([]byte(prev))
	h.Write([]byte{'\n'})
	h.Write(strconv.AppendUint(num[:0], seq, 10))
	h.Write([]byte{'\n'})
	h.Write([]byte(stream))
	h.Write([]byte{'\n'})
	h.Write(strconv.AppendUint(num[:0], streamSeq, 10))
	h.Write([]byte{'\n'})
	h.Write([]byte(typ))
	h.Write([]byte{'\n'})
	h.Write([]byte(at))
	h.Write([]byte{'\n'})
	h.Write(actor)
	h.Write([]byte{'\n'})
	h.Write(payload)
	return hex.EncodeToString(h.Sum(nil))
}

// TimeFormat is how an event's time is stored and hashed: RFC 3339 with
// nanoseconds (trailing zeros dropped), always in UTC.
const TimeFormat = time.RFC3339Nano

// Record is an event encoded for storage: the bytes that are stored and
// hashed. Logs encode in the caller's goroutine so that their committer
// only numbers, hashes and writes.
type Record struct {
	// Event has Type, At (UTC, as stored), Actor and Data set.
	Event engine.Event
	// At, Actor and Payload are the stored forms of the time, the actor
	// and the payload.
	At      string
	Actor   []byte
	Payload []byte
}

// Stamp numbers the record as event seq of the log and streamSeq of
// stream, links it to prev and returns the event with its hash.
func (r Record) Stamp(prev string, seq uint64, stream engine.StreamID, streamSeq uint64) engine.Event {
	e := r.Event
	e.Stream, e.Seq, e.StreamSeq, e.PrevHash = stream, seq, streamSeq, prev
	e.Hash = Hash(prev, seq, string(stream), streamSeq, e.Type, r.At, r.Actor, r.Payload)
	return e
}

// oneLine reports whether s can be stored and hashed as a name: not
// empty, on one line, valid UTF-8 without NUL (which PostgreSQL's text
// cannot hold).
func oneLine(s string) bool {
	return s != "" && !strings.ContainsAny(s, "\n\r\x00") && utf8.ValidString(s)
}

// CheckStream refuses a stream name that cannot be stored and hashed.
func CheckStream(stream engine.StreamID) error {
	if !oneLine(string(stream)) {
		return engine.Errorf(engine.EINVALID, "stream name %q is not valid: it must be non-empty and on one line", stream)
	}
	return nil
}

// Encode checks one event handed to Append and turns it into a Record.
// i and stream name the event in messages.
func Encode(stream engine.StreamID, i int, e engine.Event) (Record, error) {
	if e.Data == nil {
		return Record{}, engine.Errorf(engine.EINVALID, "event %d of the append to %s has no payload", i+1, stream)
	}
	typ := e.Data.EventType()
	if e.Type != typ {
		return Record{}, engine.Errorf(engine.EINVALID, "event %d of the append to %s says type %q but carries a %q payload", i+1, stream, e.Type, typ)
	}
	if !oneLine(typ) {
		return Record{}, engine.Errorf(engine.EINVALID, "event %d of the append to %s has an invalid type %q", i+1, stream, typ)
	}
	if _, err := engine.DecodePayload(typ, []byte("null")); err != nil {
		return Record{}, engine.Errorf(engine.EINVALID, "event %d of the append to %s has type %q, which is not registered: it could not be read back", i+1, stream, typ)
	}
	at := e.At.UTC().Round(0)
	if y := at.Year(); y < 0 || y > 9999 {
		return Record{}, engine.Errorf(engine.EINVALID, "event %d of the append to %s has a time outside years 0–9999: %v", i+1, stream, e.At)
	}
	actor, err := json.Marshal(e.Actor)
	if err != nil {
		return Record{}, engine.Errorf(engine.EINVALID, "event %d of the append to %s: its actor cannot be encoded: %v", i+1, stream, err)
	}
	payload, err := e.PayloadJSON()
	if err != nil {
		return Record{}, engine.Errorf(engine.EINVALID, "event %d of the append to %s (%s): its payload cannot be encoded: %v", i+1, stream, typ, err)
	}
	e.At = at
	return Record{Event: e, At: at.Format(TimeFormat), Actor: actor, Payload: payload}, nil
}

// Row is one event as a log stores it: every column, as stored. It is
// what Verify walks and what Copy moves between stores, byte for byte.
type Row struct {
	Seq       uint64
	Stream    string
	StreamSeq uint64
	Type      string
	At        string
	Actor     []byte
	Data      []byte
	PrevHash  string
	Hash      string
}

// Decode turns a stored row into an event. An event whose type this
// build does not know is an error naming it: it was written by a newer
// draftroom.
func (r Row) Decode() (engine.Event, error) {
	e := engine.Event{Seq: r.Seq, Stream: engine.StreamID(r.Stream), StreamSeq: r.StreamSeq, Type: r.Type, PrevHash: r.PrevHash, Hash: r.Hash}
	t, err := time.Parse(TimeFormat, r.At)
	if err != nil {
		return e, engine.Errorf(engine.EINTERNAL, "event %d (%s %d) has an unreadable time %q", r.Seq, r.Stream, r.StreamSeq, r.At)
	}
	e.At = t
	if err := json.Unmarshal(r.Actor, &e.Actor); err != nil {
		return e, engine.Errorf(engine.EINTERNAL, "event %d (%s %d) has an unreadable actor: %v", r.Seq, r.Stream, r.StreamSeq, err)
	}
	if e.Data, err = engine.DecodePayload(r.Type, r.Data); err != nil {
		return e, engine.Errorf(engine.EINTERNAL, "event %d (%s %d) cannot be read: %s", r.Seq, r.Stream, r.StreamSeq, engine.ErrorMessage(err))
	}
	return e, nil
}

// Conflict is the error of an Append whose expectation is stale: the
// stream is at head, the caller expected expect.
func Conflict(stream engine.StreamID, head, expect uint64) error {
	return engine.Errorf(engine.ECONFLICT, "stream %s is at %d, not %d: someone else wrote to it", stream, head, expect)
}

// Stats counts what a log has committed since it was opened.
type Stats struct {
	// Commits is the number of write transactions committed.
	Commits uint64
	// Requests is the number of Append and SaveSnapshot calls they held;
	// Requests/Commits is the mean size of a group.
	Requests uint64
	// Events is the number of events appended.
	Events uint64
}

// Source is a log whose stored events and snapshots can be read as they
// are: both engine/sqlite and engine/postgres logs are.
type Source interface {
	ReadRows(ctx context.Context, after uint64, limit int) ([]Row, error)
	Snapshots(ctx context.Context) (map[engine.StreamID][]engine.Snapshot, error)
}

// Sink is a log that stored events can be written to as they are.
type Sink interface {
	Source
	WriteRows(ctx context.Context, rows []Row) error
	SaveSnapshot(ctx context.Context, stream engine.StreamID, snap engine.Snapshot) error
}

// copyPage is how many events Copy moves per transaction.
const copyPage = 2000

// Copy writes the events of from with Seq up to upTo (all of them when
// upTo is 0) to the empty log to, byte for byte: the same Seq, StreamSeq,
// time, actor, payload and hashes, so the copy has the same head hash and
// every anchor and export hash of the original holds for it. The sink
// checks every link as it writes (WriteRows), a page of events per
// transaction; then the snapshots of from are saved to it. It returns the
// number of events copied. to must hold no events.
func Copy(ctx context.Context, from Source, to Sink, upTo uint64) (uint64, error) {
	if rows, err := to.ReadRows(ctx, 0, 1); err != nil {
		return 0, err
	} else if len(rows) > 0 {
		return 0, engine.Errorf(engine.EINVALID, "the destination already holds events: copy into a new, empty store")
	}
	var after, n uint64
	for upTo == 0 || after < upTo {
		rows, err := from.ReadRows(ctx, after, copyPage)
		if err != nil {
			return n, err
		}
		for i, r := range rows {
			if upTo > 0 && r.Seq > upTo {
				rows = rows[:i]
				break
			}
		}
		if len(rows) == 0 {
			break
		}
		if err := to.WriteRows(ctx, rows); err != nil {
			return n, err
		}
		n += uint64(len(rows))
		after = rows[len(rows)-1].Seq
	}
	snaps, err := from.Snapshots(ctx)
	if err != nil {
		return n, err
	}
	for stream, ss := range snaps {
		for _, s := range ss { // oldest first: the newest is kept last
			if err := to.SaveSnapshot(ctx, stream, s); err != nil && engine.ErrorCode(err) != engine.EINVALID {
				return n, err
			}
		}
	}
	return n, nil
}
