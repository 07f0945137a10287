package postgres

import (
	"context"
	"errors"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/chain"
	"github.com/jackc/pgx/v5"
)

// ReadRows returns up to limit events of the whole log with Seq > after,
// in order, as stored (limit <= 0: no limit). The log is append-only and
// its events become visible in Seq order, so paging through it with
// ReadRows sees one consistent prefix of it.
func (l *Log) ReadRows(ctx context.Context, after uint64, limit int) ([]chain.Row, error) {
	var lim *int64
	if limit > 0 {
		n := int64(limit)
		lim = &n
	}
	rows, err := l.pool.Query(ctx, `SELECT `+eventColumns+` FROM events WHERE seq > $1 ORDER BY seq LIMIT $2`, int64(after), lim)
	if err != nil {
		return nil, pgError(l.name, "read events", err)
	}
	defer rows.Close()
	var out []chain.Row
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return nil, pgError(l.name, "read events", err)
		}
		out = append(out, r)
	}
	return out, pgError(l.name, "read events", rows.Err())
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

// Snapshots returns every snapshot stored, stream by stream.
func (l *Log) Snapshots(ctx context.Context) (map[engine.StreamID][]engine.Snapshot, error) {
	rows, err := l.pool.Query(ctx, `SELECT stream, stream_seq, data FROM snapshots ORDER BY stream, stream_seq`)
	if err != nil {
		return nil, pgError(l.name, "read snapshots", err)
	}
	defer rows.Close()
	out := map[engine.StreamID][]engine.Snapshot{}
	for rows.Next() {
		var s string
		var seq int64
		var data []byte
		if err := rows.Scan(&s, &seq, &data); err != nil {
			return nil, pgError(l.name, "read snapshots", err)
		}
		out[engine.StreamID(s)] = append(out[engine.StreamID(s)], engine.Snapshot{StreamSeq: uint64(seq), Data: data})
	}
	return out, pgError(l.name, "read snapshots", rows.Err())
}

// checkAnchor checks that the event at a.Seq still has a.Hash, with a
// message saying what was lost when it does not.
func checkAnchor(ctx context.Context, q pgxQueryer, name string, a chain.Anchor) error {
	var hash string
	err := q.QueryRow(ctx, `SELECT hash FROM events WHERE seq = $1`, int64(a.Seq)).Scan(&hash)
	if errors.Is(err, pgx.ErrNoRows) {
		last, _, herr := logHead(ctx, q)
		if herr != nil {
			return pgError(name, "read the log head", herr)
		}
		return engine.Errorf(engine.EINTERNAL, "the log %s ends at event %d, but %s says event %d was written: events are missing from its end; check it with draftroom verify", name, last, a.Source, a.Seq)
	} else if err != nil {
		return pgError(name, "read an anchored event", err)
	}
	if hash != a.Hash {
		return engine.Errorf(engine.EINTERNAL, "event %d of the log %s has hash %s, but %s says %s: the log was rewritten; check it with draftroom verify", a.Seq, name, hash, a.Source, a.Hash)
	}
	return nil
}
