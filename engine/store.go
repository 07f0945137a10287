package engine

import (
	"context"
	"encoding/json"
)

// EventLog is the durable, append-only, hash-chained log of events. The
// engine decides; the log remembers. Implementations live in subpackages
// named after their technology (engine/sqlite); a PostgreSQL one can follow
// without touching the engine.
type EventLog interface {
	// Append commits events at the end of stream as one transaction. expect
	// is the stream's current last StreamSeq as the caller saw it; if the
	// stream has moved on, Append returns an ECONFLICT error and writes
	// nothing. On success the returned events carry Stream, Seq, StreamSeq,
	// PrevHash and Hash, and they are durable: Append returns only after the
	// transaction committed.
	Append(ctx context.Context, stream StreamID, expect uint64, events []Event) ([]Event, error)

	// Read returns up to limit events of stream with StreamSeq > after, in
	// order. limit <= 0 means no limit.
	Read(ctx context.Context, stream StreamID, after uint64, limit int) ([]Event, error)

	// Head returns the last StreamSeq of stream (0 when empty) and the hash
	// of the last event in the whole log ("" when empty).
	Head(ctx context.Context, stream StreamID) (streamSeq uint64, logHash string, err error)

	// SaveSnapshot stores an encoded state of stream as of StreamSeq so that
	// loading does not replay everything.
	SaveSnapshot(ctx context.Context, stream StreamID, snap Snapshot) error

	// LoadSnapshot returns the newest snapshot of stream, if any.
	LoadSnapshot(ctx context.Context, stream StreamID) (Snapshot, bool, error)

	// Streams lists every stream that has at least one event.
	Streams(ctx context.Context) ([]StreamID, error)

	// Close releases the log.
	Close() error
}

// Snapshot is the encoded state of a stream as of StreamSeq.
type Snapshot struct {
	StreamSeq uint64
	Data      []byte
}

// LoadDocument rebuilds a document from the newest snapshot of its stream
// and the events after it. It returns the document, the StreamSeq it is
// current to, the StreamSeq of the snapshot it started from (0 for none)
// and the hash of the last event folded in, which names the state in
// exports.
func LoadDocument(ctx context.Context, log EventLog, id DocumentID) (doc *Document, seq, snapSeq uint64, hash string, err error) {
	stream := DocumentStream(id)
	doc = NewDocument()
	if snap, ok, err := log.LoadSnapshot(ctx, stream); err != nil {
		return nil, 0, 0, "", err
	} else if ok {
		if err := json.Unmarshal(snap.Data, doc); err != nil {
			return nil, 0, 0, "", Errorf(EINTERNAL, "decode the snapshot of %s at %d: %v", stream, snap.StreamSeq, err)
		}
		seq, snapSeq = snap.StreamSeq, snap.StreamSeq
		if last, err := log.Read(ctx, stream, seq-1, 1); err == nil && len(last) == 1 {
			hash = last[0].Hash
		}
	}
	last, lastHash, err := Fold(ctx, log, stream, seq, func(e Event) error {
		if err := doc.Apply(e); err != nil {
			return Errorf(EINTERNAL, "apply event %d of %s: %v", e.StreamSeq, stream, err)
		}
		return nil
	})
	if err != nil {
		return nil, 0, 0, "", err
	}
	if last > seq {
		seq, hash = last, lastHash
	}
	if doc.ID == "" {
		return nil, 0, 0, "", Errorf(ENOTFOUND, "document %q does not exist", id)
	}
	return doc, seq, snapSeq, hash, nil
}

// Fold reads the events of stream stored after seq, a page at a time,
// and hands each to apply in order; it returns the StreamSeq and hash of
// the last event folded (seq and "" when there was none). It stops at the
// first error of the log or of apply.
func Fold(ctx context.Context, log EventLog, stream StreamID, seq uint64, apply func(Event) error) (uint64, string, error) {
	const page = 5000
	hash := ""
	for {
		evs, err := log.Read(ctx, stream, seq, page)
		if err != nil {
			return seq, hash, err
		}
		for _, e := range evs {
			if err := apply(e); err != nil {
				return seq, hash, err
			}
			seq, hash = e.StreamSeq, e.Hash
		}
		if len(evs) < page {
			return seq, hash, nil
		}
	}
}

// CreateDocumentIn decides a CreateDocument, stores its events as the
// first of the document's stream and returns the new document. It refuses
// with ECONFLICT when the document already exists.
func CreateDocumentIn(ctx context.Context, log EventLog, c Context, cmd CreateDocument) (*Document, []Event, error) {
	doc := NewDocument()
	evs, err := doc.Decide(c, cmd)
	if err != nil {
		return nil, nil, err
	}
	stored, err := log.Append(ctx, DocumentStream(cmd.ID), 0, evs)
	if err != nil {
		if ErrorCode(err) == ECONFLICT {
			return nil, nil, Errorf(ECONFLICT, "document %q already exists", cmd.ID)
		}
		return nil, nil, err
	}
	for _, e := range stored {
		if err := doc.Apply(e); err != nil {
			return nil, nil, err
		}
	}
	return doc, stored, nil
}

// LoadProcess rebuilds a process from its stream, returning it with the
// StreamSeq it is current to.
func LoadProcess(ctx context.Context, log EventLog, id ProcessID) (*Process, uint64, error) {
	p := NewProcess()
	seq, _, err := Fold(ctx, log, ProcessStream(id), 0, func(e Event) error {
		if err := p.Apply(e); err != nil {
			return Errorf(EINTERNAL, "apply event %d of process %s: %v", e.StreamSeq, id, err)
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return p, seq, nil
}

// ProcessCommandIn decides cmd on process id as stored in log and appends
// its events, expecting the stream's sequence it read. When another writer
// appended first (the log refuses with ECONFLICT) it reads the process
// again and decides again on that state, up to tries times: this is how
// two writers allocating document symbols (RegisterDocument,
// AllocateSymbol) never take one number. It returns the events stored.
func ProcessCommandIn(ctx context.Context, log EventLog, c Context, id ProcessID, cmd ProcessCommand, tries int) ([]Event, error) {
	for attempt := 1; ; attempt++ {
		p, seq, err := LoadProcess(ctx, log, id)
		if err != nil {
			return nil, err
		}
		if seq == 0 {
			return nil, Errorf(ENOTFOUND, "process %q does not exist", id)
		}
		evs, err := p.Decide(c, cmd)
		if err != nil {
			return nil, err
		}
		stored, err := log.Append(ctx, ProcessStream(id), seq, evs)
		if err == nil || ErrorCode(err) != ECONFLICT || attempt >= tries {
			return stored, err
		}
	}
}
