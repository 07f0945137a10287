package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/chain"
)

// snapshotsKept is how many snapshots of a stream are kept: the newest,
// and the one before in case the newest cannot be decoded by a later
// build.
const snapshotsKept = 2

// SaveSnapshot implements engine.EventLog. The snapshot goes through the
// committer like an Append (possibly in the same transaction as other
// requests) and is refused with EINVALID when it claims a StreamSeq the
// stream has not reached. Older snapshots of the stream beyond the newest
// two are deleted.
func (l *Log) SaveSnapshot(ctx context.Context, stream engine.StreamID, snap engine.Snapshot) error {
	if err := chain.CheckStream(stream); err != nil {
		return err
	}
	snap.Data = append([]byte(nil), snap.Data...)
	return l.committer.Submit(ctx, &chain.Request{Stream: stream, Snap: &snap}).Err
}

// saveSnapshot writes a snapshot and prunes old ones inside tx.
func saveSnapshot(ctx context.Context, tx *sql.Tx, stream engine.StreamID, snap engine.Snapshot) error {
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO snapshots (stream, stream_seq, data) VALUES (?, ?, ?)`, string(stream), snap.StreamSeq, snap.Data); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM snapshots WHERE stream = ?1 AND stream_seq NOT IN (
    SELECT stream_seq FROM snapshots WHERE stream = ?1 ORDER BY stream_seq DESC LIMIT ?2)`, string(stream), snapshotsKept)
	return err
}

// LoadSnapshot implements engine.EventLog: it returns the snapshot of
// stream with the highest StreamSeq.
func (l *Log) LoadSnapshot(ctx context.Context, stream engine.StreamID) (engine.Snapshot, bool, error) {
	var s engine.Snapshot
	err := l.read.QueryRowContext(ctx, `SELECT stream_seq, data FROM snapshots WHERE stream = ? ORDER BY stream_seq DESC LIMIT 1`, string(stream)).Scan(&s.StreamSeq, &s.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return engine.Snapshot{}, false, nil
	}
	if err != nil {
		return engine.Snapshot{}, false, sqlError(l.path, "load the snapshot of "+string(stream), err)
	}
	return s, true, nil
}
