package engine

import "context"

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
