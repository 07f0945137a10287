package sqlite

import (
	"context"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/chain"
)

// ReadRows returns up to limit events of the whole log with Seq > after,
// in order, as stored (limit <= 0: no limit). The log is append-only, so
// paging through it with ReadRows sees one consistent prefix of it.
func (l *Log) ReadRows(ctx context.Context, after uint64, limit int) ([]chain.Row, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, err := l.read.QueryContext(ctx, `SELECT `+eventColumns+` FROM events WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
	if err != nil {
		return nil, sqlError(l.path, "read events", err)
	}
	defer rows.Close()
	var out []chain.Row
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return nil, sqlError(l.path, "read events", err)
		}
		out = append(out, r)
	}
	return out, sqlError(l.path, "read events", rows.Err())
}

// WriteRows appends events exactly as they are stored in another log
// (chain.Copy): numbered, linked and hashed already. They must continue
// this log's chain (the first links to its head, each to the one before,
// every hash holds), or nothing is written and the error says where the
// chain breaks. Rows are committed in one transaction of their own.
func (l *Log) WriteRows(ctx context.Context, rows []chain.Row) error {
	if len(rows) == 0 {
		return nil
	}
	return l.committer.Submit(ctx, &chain.Request{Stream: engine.StreamID(rows[0].Stream), Rows: rows}).Err
}

// Snapshots returns every snapshot stored, stream by stream, oldest
// first.
func (l *Log) Snapshots(ctx context.Context) (map[engine.StreamID][]engine.Snapshot, error) {
	rows, err := l.read.QueryContext(ctx, `SELECT stream, stream_seq, data FROM snapshots ORDER BY stream, stream_seq`)
	if err != nil {
		return nil, sqlError(l.path, "read snapshots", err)
	}
	defer rows.Close()
	out := map[engine.StreamID][]engine.Snapshot{}
	for rows.Next() {
		var s string
		var snap engine.Snapshot
		if err := rows.Scan(&s, &snap.StreamSeq, &snap.Data); err != nil {
			return nil, sqlError(l.path, "read snapshots", err)
		}
		out[engine.StreamID(s)] = append(out[engine.StreamID(s)], snap)
	}
	return out, sqlError(l.path, "read snapshots", rows.Err())
}
