package sqlite

import (
	"context"
	"database/sql"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/chain"
)

// Report is the result of walking the hash chain of a database
// (chain.Report).
type Report = chain.Report

// Break is the first place where the chain does not hold (chain.Break).
type Break = chain.Break

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

// verifyDB walks the chain of an open database with a chain.Walker.
func verifyDB(ctx context.Context, db *sql.DB, path string, anchors []Anchor) (Report, error) {
	w := chain.NewWalker(anchors)
	// One read transaction, so the walk sees one state even while a
	// server appends.
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Report{}, sqlError(path, "begin reading", err)
	}
	defer func() { _ = tx.Rollback() }()
	rows, err := tx.QueryContext(ctx, `SELECT `+eventColumns+` FROM events ORDER BY seq`)
	if err != nil {
		return Report{}, sqlError(path, "read events", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return Report{}, sqlError(path, "read events", err)
		}
		if !w.Event(r) {
			return w.Finish(), nil
		}
	}
	if err := rows.Err(); err != nil {
		return Report{}, sqlError(path, "read events", err)
	}
	rows.Close()
	srows, err := tx.QueryContext(ctx, `SELECT stream, head FROM streams ORDER BY stream`)
	if err != nil {
		return Report{}, sqlError(path, "read stream heads", err)
	}
	defer srows.Close()
	for srows.Next() {
		var stream string
		var head uint64
		if err := srows.Scan(&stream, &head); err != nil {
			return Report{}, sqlError(path, "read stream heads", err)
		}
		if !w.StreamHead(stream, head) {
			return w.Finish(), nil
		}
	}
	if err := srows.Err(); err != nil {
		return Report{}, sqlError(path, "read stream heads", err)
	}
	return w.Finish(), nil
}
