package postgres

import (
	"context"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/chain"
	"github.com/jackc/pgx/v5"
)

// Verify walks the whole chain of the database at url in Seq order with
// a chain.Walker, exactly as engine/sqlite's Verify does: every hash
// recomputed, every link, the stream heads and the log head checked, and
// every anchor (a head seen earlier) looked for. It reads inside one
// read-only REPEATABLE READ transaction, so it sees one state while
// servers append, and changes nothing: it does not even apply
// migrations. The error is for a database that cannot be read as a
// draftroom log at all; a log that reads but does not verify is a Report
// with Broken set.
func Verify(ctx context.Context, url string, anchors []chain.Anchor) (chain.Report, error) {
	cfg, name, err := parseURL(url)
	if err != nil {
		return chain.Report{}, err
	}
	conn, err := pgx.ConnectConfig(ctx, cfg.ConnConfig)
	if err != nil {
		return chain.Report{}, pgError(name, "connect", err)
	}
	defer conn.Close(context.Background())
	tx, err := conn.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return chain.Report{}, pgError(name, "begin reading", err)
	}
	defer func() { _ = tx.Rollback(context.Background()) }()
	in, err := inspect(ctx, tx)
	if err != nil {
		return chain.Report{}, pgError(name, "read the schema", err)
	}
	if err := in.check(name); err != nil {
		return chain.Report{}, err
	}
	if !in.ours || !in.events {
		return chain.Report{}, engine.Errorf(engine.EINVALID, "%s is not a draftroom database: it holds no event log", name)
	}
	w := chain.NewWalker(anchors)
	rows, err := tx.Query(ctx, `SELECT `+eventColumns+` FROM events ORDER BY seq`)
	if err != nil {
		return chain.Report{}, pgError(name, "read events", err)
	}
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			rows.Close()
			return chain.Report{}, pgError(name, "read events", err)
		}
		if !w.Event(r) {
			rows.Close()
			return w.Finish(), nil
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return chain.Report{}, pgError(name, "read events", err)
	}
	srows, err := tx.Query(ctx, `SELECT stream, head FROM streams ORDER BY stream COLLATE "C"`)
	if err != nil {
		return chain.Report{}, pgError(name, "read stream heads", err)
	}
	for srows.Next() {
		var s string
		var h int64
		if err := srows.Scan(&s, &h); err != nil {
			srows.Close()
			return chain.Report{}, pgError(name, "read stream heads", err)
		}
		if !w.StreamHead(s, uint64(h)) {
			srows.Close()
			return w.Finish(), nil
		}
	}
	srows.Close()
	if err := srows.Err(); err != nil {
		return chain.Report{}, pgError(name, "read stream heads", err)
	}
	seq, hash, err := logHead(ctx, tx)
	if err != nil {
		return chain.Report{}, pgError(name, "read the log head", err)
	}
	w.LogHead(seq, hash)
	return w.Finish(), nil
}
