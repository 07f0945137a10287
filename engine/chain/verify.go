package chain

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Report is the result of walking the hash chain of a log.
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

// Walker verifies a chain fed to it in Seq order: every event (Event),
// then the stream heads the store keeps (StreamHead), then Finish. It
// checks, for each event: Seq follows the previous one, StreamSeq follows
// the stream's previous one, no field holds a line break, the time is in
// canonical form, actor and payload are JSON, the link equals the
// previous event's hash and the stored hash equals the recomputed one;
// then that the store's stream heads agree with the events; then that
// every anchor (a head seen earlier) is still in the chain. The first
// failure is the Report's Broken, and the walk stops there: Event and
// StreamHead return false.
type Walker struct {
	rep     Report
	anchors []Anchor
	prev    string
	lastSeq uint64
	heads   map[string]uint64 // StreamSeq of the last event of each stream
	lastOf  map[string]uint64 // Seq of the last event of each stream
	atSeq   map[uint64][]Anchor
	byHash  map[string][]Anchor // anchors that name a hash alone
	found   map[string]bool
	seen    map[string]bool // streams the store listed
}

// NewWalker starts a walk that also checks anchors.
func NewWalker(anchors []Anchor) *Walker {
	w := &Walker{anchors: anchors, heads: map[string]uint64{}, lastOf: map[string]uint64{}, atSeq: map[uint64][]Anchor{},
		byHash: map[string][]Anchor{}, found: map[string]bool{}, seen: map[string]bool{}}
	for _, a := range anchors {
		if a.Seq == 0 {
			w.byHash[a.Hash] = append(w.byHash[a.Hash], a)
		} else {
			w.atSeq[a.Seq] = append(w.atSeq[a.Seq], a)
		}
	}
	return w
}

// Broken reports whether the walk has found a broken link.
func (w *Walker) Broken() bool { return w.rep.Broken != nil }

// Event checks the next event of the log. It returns false once the
// chain is broken.
func (w *Walker) Event(r Row) bool {
	if w.rep.Broken != nil {
		return false
	}
	if b := CheckLink(w.prev, w.lastSeq, w.heads[r.Stream], r); b != nil {
		w.rep.Broken = b
		return false
	}
	for _, a := range w.atSeq[r.Seq] {
		if a.Hash != r.Hash {
			w.rep.Broken = &Break{Seq: r.Seq, Stream: r.Stream, Reason: fmt.Sprintf("its hash is not the one %s names: the log was rewritten from this event or before it, and its hashes recomputed", a.Source),
				Stored: r.Hash, Expected: a.Hash}
			return false
		}
		w.rep.Anchors++
	}
	if len(w.byHash[r.Hash]) > 0 {
		w.found[r.Hash] = true
	}
	w.prev, w.lastSeq = r.Hash, r.Seq
	w.heads[r.Stream], w.lastOf[r.Stream] = r.StreamSeq, r.Seq
	w.rep.Events++
	w.rep.Head, w.rep.HeadSeq = r.Hash, r.Seq
	return true
}

// StreamHead checks one row of the store's table of stream heads (what
// Append checks expectations against) against the events walked: it
// must agree with them, or a half-written state is visible. It returns
// false once the chain is broken.
func (w *Walker) StreamHead(stream string, head uint64) bool {
	if w.rep.Broken != nil {
		return false
	}
	w.seen[stream] = true
	if head != w.heads[stream] {
		w.rep.Broken = &Break{Seq: w.lastOf[stream], Stream: stream, Reason: fmt.Sprintf("the streams table puts the stream at %d but its last event is %d", head, w.heads[stream])}
		return false
	}
	return true
}

// LogHead checks a head the store keeps for the whole log (PostgreSQL's
// log_head) against the events walked.
func (w *Walker) LogHead(seq uint64, hash string) bool {
	if w.rep.Broken != nil {
		return false
	}
	if seq != w.lastSeq || hash != w.prev {
		w.rep.Broken = &Break{Seq: w.lastSeq + 1, Reason: fmt.Sprintf("the log's head is recorded as event %d but its last event is %d", seq, w.lastSeq), Stored: hash, Expected: w.prev}
		return false
	}
	return true
}

// Finish ends the walk: streams that have events but no head, anchors
// beyond the end of the log, anchors naming a hash no event has.
func (w *Walker) Finish() Report {
	if w.rep.Broken != nil {
		return w.rep
	}
	for stream, seq := range w.lastOf {
		if !w.seen[stream] {
			w.rep.Broken = &Break{Seq: seq, Stream: stream, Reason: "the stream is missing from the streams table"}
			return w.rep
		}
	}
	// Anchors beyond the end: the log lost its tail. The highest one is
	// reported: it shows the most that is missing.
	var beyond *Anchor
	for _, as := range w.atSeq {
		for i := range as {
			if as[i].Seq > w.lastSeq && (beyond == nil || as[i].Seq > beyond.Seq) {
				beyond = &as[i]
			}
		}
	}
	if beyond != nil {
		w.rep.Broken = &Break{Seq: w.lastSeq + 1, Reason: fmt.Sprintf("the log ends at event %d, but %s names event %d: events %d to %d at least are missing from its end", w.lastSeq, beyond.Source, beyond.Seq, w.lastSeq+1, beyond.Seq)}
		return w.rep
	}
	for _, a := range w.anchors {
		if a.Seq == 0 && !w.found[a.Hash] {
			w.rep.Broken = &Break{Seq: w.lastSeq + 1, Reason: fmt.Sprintf("no event of the log has the hash %s names: the event was removed, or rewritten and rehashed", a.Source)}
			return w.rep
		}
		if a.Seq == 0 {
			w.rep.Anchors++
		}
	}
	return w.rep
}

// CheckLink checks one stored event against the one before it in the log
// (whose hash is prev and Seq lastSeq) and the one before it in its
// stream (at streamHead). It returns nil when the link holds.
func CheckLink(prev string, lastSeq, streamHead uint64, r Row) *Break {
	brk := func(reason string) *Break { return &Break{Seq: r.Seq, Stream: r.Stream, Reason: reason} }
	actor := string(r.Actor)
	switch {
	case r.Seq != lastSeq+1:
		return brk(fmt.Sprintf("the global sequence jumps from %d to %d: events are missing", lastSeq, r.Seq))
	case r.StreamSeq != streamHead+1:
		return brk(fmt.Sprintf("the stream's sequence jumps from %d to %d", streamHead, r.StreamSeq))
	case strings.ContainsAny(r.Stream, "\n\r") || strings.ContainsAny(r.Type, "\n\r") || strings.ContainsAny(actor, "\n\r"):
		return brk("a field holds a line break: it is not in the canonical form that is hashed")
	}
	if t, err := time.Parse(TimeFormat, r.At); err != nil || t.UTC().Format(TimeFormat) != r.At {
		return brk(fmt.Sprintf("its time %q is not in the canonical form (RFC 3339, UTC)", r.At))
	}
	if !json.Valid(r.Actor) || !json.Valid(r.Data) {
		return brk("its actor or payload is not valid JSON")
	}
	if r.PrevHash != prev {
		b := brk("its link to the previous event does not match that event's hash")
		b.Stored, b.Expected = r.PrevHash, prev
		return b
	}
	if want := Hash(prev, r.Seq, r.Stream, r.StreamSeq, r.Type, r.At, r.Actor, r.Data); want != r.Hash {
		b := brk("its content does not match its hash: it was changed after it was written")
		b.Stored, b.Expected = r.Hash, want
		return b
	}
	return nil
}
