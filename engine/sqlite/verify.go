package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// Report is the result of walking the hash chain of a database.
type Report struct {
	// Events is the number of events verified: all of them when the chain
	// holds, those before the first broken link otherwise.
	Events uint64
	// Head is the hash of the last event verified ("" for an empty log),
	// and HeadSeq its Seq.
	Head    string
	HeadSeq uint64
	// Anchors is the number of anchors checked and found in the chain.
	Anchors int
	// Broken is the first broken link, nil when the whole chain holds.
	Broken *Break
}

// Break is the first place where the chain does not hold.
type Break struct {
	// Seq and Stream name the event at which the chain breaks.
	Seq    uint64
	Stream string
	// Reason says in words what is wrong.
	Reason string
	// Stored and Expected are, when the break is about a hash, the hash
	// stored in the database and the hash the chain requires there.
	Stored, Expected string
}

// String describes the break in one line, with both hashes when it is
// about a hash.
func (b *Break) String() string {
	s := fmt.Sprintf("event %d (stream %s): %s", b.Seq, b.Stream, b.Reason)
	if b.Stream == "" {
		s = fmt.Sprintf("event %d: %s", b.Seq, b.Reason)
	}
	if b.Stored != "" || b.Expected != "" {
		s += fmt.Sprintf("; stored %s, expected %s", orNone(b.Stored), orNone(b.Expected))
	}
	return s
}

func orNone(h string) string {
	if h == "" {
		return `""`
	}
	return h
}

// Verify walks the whole chain of the database at path in Seq order,
// recomputing every hash, and reports the first broken link: an event
// changed after it was written, a missing or reordered event, a link to
// the previous event that does not match, or a streams table that
// disagrees with the events. It opens the file read-only and never
// changes its content; the one write it may cause is SQLite's own crash
// recovery, when a writer killed inside a transaction left a hot journal
// that must be rolled back before anyone can read the last committed
// state. The error is for a file that cannot be read as a draftroom
// database at all; a database that reads but does not verify is a Report
// with Broken set.
func Verify(ctx context.Context, path string) (Report, error) {
	return VerifyAnchored(ctx, path, nil)
}

// VerifyAnchored is Verify, and also checks that every anchor (a head
// seen earlier: from an anchor file, or published) is still in the chain:
// the event at its Seq has its hash, or, for an anchor with Seq 0, some
// event has its hash. The chain alone cannot show that events were
// removed from its end, or that an event was rewritten and every hash
// after it recomputed; an anchor taken before does. The first anchor that
// does not hold is reported as a Break, after any broken link that comes
// before it in the log.
func VerifyAnchored(ctx context.Context, path string, anchors []Anchor) (Report, error) {
	db, err := openReadOnly(ctx, path)
	if err != nil {
		return Report{}, err
	}
	defer db.Close()
	return verifyDB(ctx, db, path, anchors)
}

// openReadOnly opens an existing draftroom database read-only, refusing
// anything else with a message naming path.
func openReadOnly(ctx context.Context, path string) (*sql.DB, error) {
	state, err := checkFile(path)
	if err != nil {
		return nil, err
	}
	switch state {
	case fileMissing:
		return nil, engine.Errorf(engine.ENOTFOUND, "%s does not exist", path)
	case fileEmpty:
		return nil, engine.Errorf(engine.EINVALID, "%s is empty: it is not a draftroom database", path)
	}
	in, err := probe(ctx, path)
	if err != nil {
		return nil, err
	}
	if in.appID != applicationID || !in.events {
		return nil, engine.Errorf(engine.EINVALID, "%s is not a draftroom database: it holds no event log", path)
	}
	db, err := sql.Open("sqlite", dsn(path, modeReadOnly, 0, 0))
	if err != nil {
		return nil, sqlError(path, "open", err)
	}
	return db, nil
}

// verifyDB walks the chain of an open database.
func verifyDB(ctx context.Context, db *sql.DB, path string, anchors []Anchor) (Report, error) {
	var rep Report
	// One read transaction, so the walk sees one state even while a
	// server appends.
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return rep, sqlError(path, "begin reading", err)
	}
	defer func() { _ = tx.Rollback() }()
	rows, err := tx.QueryContext(ctx, `SELECT `+eventColumns+` FROM events ORDER BY seq`)
	if err != nil {
		return rep, sqlError(path, "read events", err)
	}
	defer rows.Close()
	var (
		prev    string
		lastSeq uint64
		heads   = map[string]uint64{} // StreamSeq of the last event of each stream
		lastOf  = map[string]uint64{} // Seq of the last event of each stream
		atSeq   = map[uint64][]Anchor{}
		byHash  = map[string][]Anchor{} // anchors that name a hash alone
		found   = map[string]bool{}
	)
	for _, a := range anchors {
		if a.Seq == 0 {
			byHash[a.Hash] = append(byHash[a.Hash], a)
		} else {
			atSeq[a.Seq] = append(atSeq[a.Seq], a)
		}
	}
	for rows.Next() {
		var seq, streamSeq uint64
		var stream, typ, at, actor, prevHash, hash string
		var payload []byte
		if err := rows.Scan(&seq, &stream, &streamSeq, &typ, &at, &actor, &payload, &prevHash, &hash); err != nil {
			return rep, sqlError(path, "read events", err)
		}
		if b := checkLink(prev, lastSeq, heads[stream], seq, stream, streamSeq, typ, at, actor, payload, prevHash, hash); b != nil {
			rep.Broken = b
			return rep, nil
		}
		for _, a := range atSeq[seq] {
			if a.Hash != hash {
				rep.Broken = &Break{Seq: seq, Stream: stream, Reason: fmt.Sprintf("its hash is not the one %s names: the log was rewritten from this event or before it, and its hashes recomputed", a.Source),
					Stored: hash, Expected: a.Hash}
				return rep, nil
			}
			rep.Anchors++
		}
		if len(byHash[hash]) > 0 {
			found[hash] = true
		}
		prev, lastSeq = hash, seq
		heads[stream], lastOf[stream] = streamSeq, seq
		rep.Events++
		rep.Head, rep.HeadSeq = hash, seq
	}
	if err := rows.Err(); err != nil {
		return rep, sqlError(path, "read events", err)
	}
	rows.Close()
	// The streams table is what Append checks expectations against: it
	// must agree with the events, or a half-written state is visible.
	srows, err := tx.QueryContext(ctx, `SELECT stream, head FROM streams ORDER BY stream`)
	if err != nil {
		return rep, sqlError(path, "read stream heads", err)
	}
	defer srows.Close()
	seen := map[string]bool{}
	for srows.Next() {
		var stream string
		var head uint64
		if err := srows.Scan(&stream, &head); err != nil {
			return rep, sqlError(path, "read stream heads", err)
		}
		seen[stream] = true
		if head != heads[stream] {
			rep.Broken = &Break{Seq: lastOf[stream], Stream: stream, Reason: fmt.Sprintf("the streams table puts the stream at %d but its last event is %d", head, heads[stream])}
			return rep, nil
		}
	}
	if err := srows.Err(); err != nil {
		return rep, sqlError(path, "read stream heads", err)
	}
	for stream, seq := range lastOf {
		if !seen[stream] {
			rep.Broken = &Break{Seq: seq, Stream: stream, Reason: "the stream is missing from the streams table"}
			return rep, nil
		}
	}
	// Anchors beyond the end: the log lost its tail. The highest one is
	// reported: it shows the most that is missing.
	var beyond *Anchor
	for _, as := range atSeq {
		for i := range as {
			if as[i].Seq > lastSeq && (beyond == nil || as[i].Seq > beyond.Seq) {
				beyond = &as[i]
			}
		}
	}
	if beyond != nil {
		rep.Broken = &Break{Seq: lastSeq + 1, Reason: fmt.Sprintf("the log ends at event %d, but %s names event %d: events %d to %d at least are missing from its end", lastSeq, beyond.Source, beyond.Seq, lastSeq+1, beyond.Seq)}
		return rep, nil
	}
	for _, a := range anchors {
		if a.Seq == 0 && !found[a.Hash] {
			rep.Broken = &Break{Seq: lastSeq + 1, Reason: fmt.Sprintf("no event of the log has the hash %s names: the event was removed, or rewritten and rehashed", a.Source)}
			return rep, nil
		}
		if a.Seq == 0 {
			rep.Anchors++
		}
	}
	return rep, nil
}

// checkLink checks one event against the one before it in the log (whose
// hash is prev and Seq lastSeq) and the one before it in its stream (at
// streamHead). It returns nil when the link holds.
func checkLink(prev string, lastSeq, streamHead, seq uint64, stream string, streamSeq uint64, typ, at, actor string, payload []byte, prevHash, hash string) *Break {
	brk := func(reason string) *Break { return &Break{Seq: seq, Stream: stream, Reason: reason} }
	switch {
	case seq != lastSeq+1:
		return brk(fmt.Sprintf("the global sequence jumps from %d to %d: events are missing", lastSeq, seq))
	case streamSeq != streamHead+1:
		return brk(fmt.Sprintf("the stream's sequence jumps from %d to %d", streamHead, streamSeq))
	case strings.ContainsAny(stream, "\n\r") || strings.ContainsAny(typ, "\n\r") || strings.ContainsAny(actor, "\n\r"):
		return brk("a field holds a line break: it is not in the canonical form that is hashed")
	}
	if t, err := time.Parse(timeFormat, at); err != nil || t.UTC().Format(timeFormat) != at {
		return brk(fmt.Sprintf("its time %q is not in the canonical form (RFC 3339, UTC)", at))
	}
	if !json.Valid([]byte(actor)) || !json.Valid(payload) {
		return brk("its actor or payload is not valid JSON")
	}
	if prevHash != prev {
		b := brk("its link to the previous event does not match that event's hash")
		b.Stored, b.Expected = prevHash, prev
		return b
	}
	if want := ChainHash(prev, seq, stream, streamSeq, typ, at, []byte(actor), payload); want != hash {
		b := brk("its content does not match its hash: it was changed after it was written")
		b.Stored, b.Expected = hash, want
		return b
	}
	return nil
}
