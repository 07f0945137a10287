package sqlite

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// ChainHash is the hash of one event in the chain: SHA-256, in lower-case
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
// types with one, RFC 3339 has none and encoding/json escapes it; Verify
// treats a stored line feed in any of them as a broken link.
func ChainHash(prev string, seq uint64, stream string, streamSeq uint64, typ, at string, actor, payload []byte) string {
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

// timeFormat is how an event's time is stored and hashed.
const timeFormat = time.RFC3339Nano

// record is an event encoded for storage: the bytes that are stored and
// hashed. Append encodes in the caller's goroutine so that the committer
// only numbers, hashes and writes.
type record struct {
	ev      engine.Event // Type, At (UTC, as stored), Actor and Data
	at      string
	actor   []byte
	payload []byte
}

// checkStream refuses a stream name that cannot be stored and hashed.
func checkStream(stream engine.StreamID) error {
	if stream == "" || strings.ContainsAny(string(stream), "\n\r") {
		return engine.Errorf(engine.EINVALID, "stream name %q is not valid: it must be non-empty and on one line", stream)
	}
	return nil
}

// encode checks one event handed to Append and turns it into a record.
// i and stream name the event in messages.
func encode(stream engine.StreamID, i int, e engine.Event) (record, error) {
	if e.Data == nil {
		return record{}, engine.Errorf(engine.EINVALID, "event %d of the append to %s has no payload", i+1, stream)
	}
	typ := e.Data.EventType()
	if e.Type != typ {
		return record{}, engine.Errorf(engine.EINVALID, "event %d of the append to %s says type %q but carries a %q payload", i+1, stream, e.Type, typ)
	}
	if typ == "" || strings.ContainsAny(typ, "\n\r") {
		return record{}, engine.Errorf(engine.EINVALID, "event %d of the append to %s has an invalid type %q", i+1, stream, typ)
	}
	if _, err := engine.DecodePayload(typ, []byte("null")); err != nil {
		return record{}, engine.Errorf(engine.EINVALID, "event %d of the append to %s has type %q, which is not registered: it could not be read back", i+1, stream, typ)
	}
	at := e.At.UTC().Round(0)
	if y := at.Year(); y < 0 || y > 9999 {
		return record{}, engine.Errorf(engine.EINVALID, "event %d of the append to %s has a time outside years 0–9999: %v", i+1, stream, e.At)
	}
	actor, err := json.Marshal(e.Actor)
	if err != nil {
		return record{}, engine.Errorf(engine.EINVALID, "event %d of the append to %s: its actor cannot be encoded: %v", i+1, stream, err)
	}
	payload, err := e.PayloadJSON()
	if err != nil {
		return record{}, engine.Errorf(engine.EINVALID, "event %d of the append to %s (%s): its payload cannot be encoded: %v", i+1, stream, typ, err)
	}
	e.At = at
	return record{ev: e, at: at.Format(timeFormat), actor: actor, payload: payload}, nil
}

// eventColumns are the columns scanEvent reads, in its order.
const eventColumns = `seq, stream, stream_seq, type, at, actor, data, prev_hash, hash`

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// scanEvent reads one event row (eventColumns) and decodes it. An event
// whose type this build does not know is an error naming it: it was
// written by a newer draftroom.
func scanEvent(s scanner) (engine.Event, error) {
	var e engine.Event
	var stream, at, actor string
	var payload []byte
	if err := s.Scan(&e.Seq, &stream, &e.StreamSeq, &e.Type, &at, &actor, &payload, &e.PrevHash, &e.Hash); err != nil {
		return e, err
	}
	e.Stream = engine.StreamID(stream)
	t, err := time.Parse(timeFormat, at)
	if err != nil {
		return e, engine.Errorf(engine.EINTERNAL, "event %d (%s %d) has an unreadable time %q", e.Seq, stream, e.StreamSeq, at)
	}
	e.At = t
	if err := json.Unmarshal([]byte(actor), &e.Actor); err != nil {
		return e, engine.Errorf(engine.EINTERNAL, "event %d (%s %d) has an unreadable actor: %v", e.Seq, stream, e.StreamSeq, err)
	}
	if e.Data, err = engine.DecodePayload(e.Type, payload); err != nil {
		return e, engine.Errorf(engine.EINTERNAL, "event %d (%s %d) cannot be read: %s", e.Seq, stream, e.StreamSeq, engine.ErrorMessage(err))
	}
	return e, nil
}

// conflict is the error of an Append whose expectation is stale.
func conflict(stream engine.StreamID, head, expect uint64) error {
	return engine.Errorf(engine.ECONFLICT, "stream %s is at %d, not %d: someone else wrote to it", stream, head, expect)
}
