package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/chain"
)

// Anchor is a head of the log seen at some time (chain.Anchor): the Seq
// of an event in the whole log and that event's hash.
type Anchor = chain.Anchor

// ParseAnchor reads a head as "SEQ:HASH" or a bare HASH
// (chain.ParseAnchor).
func ParseAnchor(s string) (Anchor, error) { return chain.ParseAnchor(s) }

// ReadAnchors reads an anchor file (chain.ReadAnchors).
func ReadAnchors(path string) ([]Anchor, error) { return chain.ReadAnchors(path) }

// openAnchors opens the anchor file of l (creating it), checks that its
// last anchor is still in the log and starts the writer that appends the
// heads the committer hands it. The current head is anchored at once.
func (l *Log) openAnchors(ctx context.Context) error {
	top, err := chain.TopAnchor(l.opts.AnchorFile)
	if err != nil {
		return err
	}
	if top.Seq > 0 {
		if err := checkAnchor(ctx, l.write, l.path, top); err != nil {
			return err
		}
	}
	l.anchors, err = chain.OpenAnchorFile(l.opts.AnchorFile, l.lastSeq, l.lastHash, top.Seq)
	return err
}

// checkAnchor checks that the event at a.Seq in the database still has
// a.Hash, with a message saying what was lost when it does not.
func checkAnchor(ctx context.Context, q rowsQueryer, path string, a Anchor) error {
	var hash string
	err := q.QueryRowContext(ctx, `SELECT hash FROM events WHERE seq = ?`, a.Seq).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		last, _, herr := logHead(ctx, q)
		if herr != nil {
			return sqlError(path, "read the log head", herr)
		}
		return engine.Errorf(engine.EINTERNAL, "the log %s ends at event %d, but %s says event %d was written: events are missing from its end; check it with draftroom verify", path, last, a.Source, a.Seq)
	} else if err != nil {
		return sqlError(path, "read an anchored event", err)
	}
	if hash != a.Hash {
		return engine.Errorf(engine.EINTERNAL, "event %d of the log %s has hash %s, but %s says %s: the log was rewritten; check it with draftroom verify", a.Seq, path, hash, a.Source, a.Hash)
	}
	return nil
}

// anchor hands the committed head to the anchor file's writer. Only the
// committer calls it.
func (l *Log) anchor(seq uint64, hash string) { l.anchors.Anchor(seq, hash) }

// closeAnchors lets the writer write the last head and closes the file.
// The committer has stopped.
func (l *Log) closeAnchors() error { return l.anchors.Close() }
