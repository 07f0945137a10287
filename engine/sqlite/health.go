package sqlite

import (
	"context"
	"errors"
	"sync"

	"github.com/draftroom/draftroom/engine"
)

// Defaults of the health checks.
const (
	defaultMinFree = 8 << 20  // bytes free on the disk below which it counts as full
	probeBytes     = 64 << 10 // what a probe writes (and deletes) to show the disk takes writes
)

// health is what Log.Health reports, written by the committer and the
// anchorer.
type health struct {
	mu        sync.Mutex
	commitErr error // the last write transaction failed with this; nil once one succeeds
}

func (h *health) setCommit(err error) {
	h.mu.Lock()
	h.commitErr = err
	h.mu.Unlock()
}

func (h *health) failing() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.commitErr != nil
}

// Health returns nil when the log can take writes, and otherwise an error
// saying why not, in words:
//
//   - the last write transaction failed (a full disk, a lock held by
//     another program, an I/O error), and no write has succeeded since.
//     While that lasts the committer tries a probe write every
//     Options.ProbeEvery (a 64 KiB row inserted and deleted in one
//     transaction), so the log becomes healthy again once writes work,
//     whether or not anyone appends;
//   - the disk holding the database has less than Options.MinFree bytes
//     free (checked at every call, where the platform can tell);
//   - the last write to the anchor file failed.
//
// A failed Append says the same thing to its caller; Health is for
// /healthz and load balancers, which must know before anyone appends.
func (l *Log) Health() error {
	l.health.mu.Lock()
	errs := l.health.commitErr
	l.health.mu.Unlock()
	errs = errors.Join(errs, l.anchors.Err())
	if errs != nil {
		return errs
	}
	min := l.opts.MinFree
	if min == 0 {
		min = defaultMinFree
	}
	if min > 0 {
		if free, ok := diskFree(l.path); ok && free < uint64(min) {
			return engine.Errorf(engine.EINTERNAL, "the disk holding %s is full: %d KiB free, less than the %d KiB the log keeps in reserve", l.path, free>>10, min>>10)
		}
	}
	return nil
}

// probe tries one write transaction: a row of probeBytes inserted and
// deleted. On success the log is healthy again. Only the committer calls
// it.
func (l *Log) probe() {
	ctx := context.Background()
	err := func() error {
		tx, err := l.write.BeginTx(ctx, nil)
		if err != nil {
			return sqlError(l.path, "begin a transaction", err)
		}
		defer func() { _ = tx.Rollback() }()
		if _, err := tx.ExecContext(ctx, `INSERT INTO health_probe (id, pad) VALUES (1, zeroblob(?))`, probeBytes); err != nil {
			return sqlError(l.path, "probe", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM health_probe`); err != nil {
			return sqlError(l.path, "probe", err)
		}
		if err := tx.Commit(); err != nil {
			_, _ = l.write.ExecContext(ctx, `ROLLBACK`)
			return sqlError(l.path, "commit", err)
		}
		return nil
	}()
	if err == nil {
		// Another process may have written meanwhile; the heads are read
		// again at the next commit anyway, but a probe must not leave
		// them stale.
		err = l.loadHeads(ctx, l.write)
	}
	l.health.setCommit(err)
}
