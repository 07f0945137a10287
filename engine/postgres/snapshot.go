package postgres

import (
	"context"
	"errors"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/chain"
	"github.com/jackc/pgx/v5"
)

// SaveSnapshot implements engine.EventLog. The snapshot goes through the
// committer like an Append (possibly in the same transaction as other
// requests) and is refused with EINVALID when it claims a StreamSeq the
// stream has not reached. Older snapshots of the stream beyond the newest
// two are deleted.
func (l *Log) SaveSnapshot(ctx context.Context, stream engine.StreamID, snap engine.Snapshot) error {
	if err := chain.CheckStream(stream); err != nil {
		return err
	}
	snap.Data = append([]byte{}, snap.Data...)
	return l.committer.Submit(ctx, &chain.Request{Stream: stream, Snap: &snap}).Err
}

// queueSnapshot queues in b the two statements that write a snapshot and
// prune old ones.
func queueSnapshot(b *pgx.Batch, stream engine.StreamID, snap engine.Snapshot) {
	b.Queue(`INSERT INTO snapshots (stream, stream_seq, data) VALUES ($1, $2, $3)
ON CONFLICT (stream, stream_seq) DO UPDATE SET data = excluded.data`, string(stream), int64(snap.StreamSeq), snap.Data)
	b.Queue(`DELETE FROM snapshots WHERE stream = $1 AND stream_seq NOT IN (
    SELECT stream_seq FROM snapshots WHERE stream = $1 ORDER BY stream_seq DESC LIMIT $2)`, string(stream), snapshotsKept)
}

// LoadSnapshot implements engine.EventLog: it returns the snapshot of
// stream with the highest StreamSeq.
func (l *Log) LoadSnapshot(ctx context.Context, stream engine.StreamID) (engine.Snapshot, bool, error) {
	var s engine.Snapshot
	var seq int64
	err := l.pool.QueryRow(ctx, `SELECT stream_seq, data FROM snapshots WHERE stream = $1 ORDER BY stream_seq DESC LIMIT 1`, string(stream)).Scan(&seq, &s.Data)
	if errors.Is(err, pgx.ErrNoRows) {
		return engine.Snapshot{}, false, nil
	}
	if err != nil {
		return engine.Snapshot{}, false, pgError(l.name, "load the snapshot of "+string(stream), err)
	}
	s.StreamSeq = uint64(seq)
	if s.Data == nil {
		s.Data = []byte{}
	}
	return s, true, nil
}
