package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/draftroom/draftroom/engine/chain"
)

func (l *Log) setCommitErr(err error) {
	l.healthMu.Lock()
	l.commitErr = err
	l.healthMu.Unlock()
}

func (l *Log) failing() bool {
	l.healthMu.Lock()
	defer l.healthMu.Unlock()
	return l.commitErr != nil
}

// Health returns nil when the log can take writes, and otherwise an error
// saying why not, in words:
//
//   - the last write transaction failed (the server is unreachable or
//     read-only, its disk is full), and no write has succeeded since.
//     While that lasts the committer tries a probe write every
//     Options.ProbeEvery (a row inserted and deleted in one transaction),
//     so the log becomes healthy again once writes work, whether or not
//     anyone appends;
//   - the last write to the anchor file failed.
//
// Unlike engine/sqlite it does not look at free disk space: the disk is
// the PostgreSQL server's, which its own monitoring watches.
func (l *Log) Health() error {
	l.healthMu.Lock()
	err := l.commitErr
	l.healthMu.Unlock()
	return errors.Join(err, l.anchors.Err())
}

// probe tries one write transaction. On success the log is healthy
// again. Only the committer calls it.
func (l *Log) probe() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := func() error {
		tx, err := l.pool.Begin(ctx)
		if err != nil {
			return pgError(l.name, "begin a transaction", err)
		}
		defer func() { _ = tx.Rollback(ctx) }()
		if _, err := tx.Exec(ctx, `INSERT INTO health_probe (id, pad) VALUES (1, $1)`, make([]byte, 64<<10)); err != nil {
			return pgError(l.name, "probe", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM health_probe`); err != nil {
			return pgError(l.name, "probe", err)
		}
		return pgError(l.name, "commit", tx.Commit(ctx))
	}()
	l.setCommitErr(err)
}

// openAnchors opens the anchor file (creating it), checks that its last
// anchor is still in the log and starts its writer; the current head is
// anchored at once.
func (l *Log) openAnchors(ctx context.Context) error {
	top, err := chain.TopAnchor(l.opts.AnchorFile)
	if err != nil {
		return err
	}
	if top.Seq > 0 {
		if err := checkAnchor(ctx, l.pool, l.name, top); err != nil {
			return err
		}
	}
	seq, hash, err := logHead(ctx, l.pool)
	if err != nil {
		return pgError(l.name, "read the log head", err)
	}
	l.anchors, err = chain.OpenAnchorFile(l.opts.AnchorFile, seq, hash, top.Seq)
	return err
}
