package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/chain"
	sqlite3 "modernc.org/sqlite/lib"
)

var _ engine.EventLog = (*Log)(nil)

// Options tune a Log. The zero value is what production uses.
type Options struct {
	// NoGroupCommit commits every Append in its own transaction, one fsync
	// each. It exists to measure group commit against; never use it in
	// production.
	NoGroupCommit bool
	// MaxGroup is the most Append calls committed in one transaction;
	// 0 means 512.
	MaxGroup int
	// BusyTimeout is how long a statement waits for a lock held by another
	// connection or process before failing; 0 means 5 seconds.
	BusyTimeout time.Duration
	// MaxPageCount caps the database size in pages (of 4 KiB); 0 means no
	// cap. Tests use it to fill the "disk".
	MaxPageCount int
	// ReadConns is the size of the read pool; 0 means the number of CPUs,
	// at least 4.
	ReadConns int
	// Now is the clock that stamps applied migrations; nil means
	// time.Now.
	Now func() time.Time
	// AnchorFile, when set, is an append-only file to which the log
	// writes its head (Seq and hash of the last event) after commits, at
	// most every 100 ms and always at Close (see anchor.go). Open refuses
	// a log that no longer holds the last anchor in the file. Keep it
	// apart from the database: on another disk, or shipped elsewhere.
	AnchorFile string
	// MinFree is how many bytes must stay free on the disk holding the
	// database for Health to report it healthy; 0 means 8 MiB, a negative
	// value turns the check off.
	MinFree int64
	// ProbeEvery is how often a log whose last write failed tries a probe
	// write; 0 means 2 seconds.
	ProbeEvery time.Duration
}

// Log is the SQLite event log. It implements engine.EventLog.
//
// One committer goroutine owns the writer connection. Append encodes its
// events, queues them and waits; the committer takes every Append waiting
// at that moment (group commit), checks each against its stream's head,
// numbers, hashes and writes them in one transaction, commits once and
// answers each caller. Reads use a separate pool of query-only
// connections and never wait for the writer.
type Log struct {
	path  string
	write *sql.DB
	read  *sql.DB
	opts  Options

	committer *chain.Committer // the one writer (group commit)
	closeOnce sync.Once
	closeErr  error

	// Owned by the committer (and by Open before it starts): the committed
	// head of every stream and of the whole log.
	heads    map[engine.StreamID]uint64
	lastSeq  uint64
	lastHash string

	commits, requests, events atomic.Uint64 // for Stats

	health health // what Health reports

	// The anchor file (Options.AnchorFile), nil without one: the
	// committer hands it heads (latest wins).
	anchors *chain.AnchorFile
}

// Stats counts what a Log has committed since it was opened (chain.Stats).
type Stats = chain.Stats

// Stats returns the counts so far; they only grow.
func (l *Log) Stats() Stats {
	return Stats{Commits: l.commits.Load(), Requests: l.requests.Load(), Events: l.events.Load()}
}

// Open opens the event log at path, creating the file if needed. It
// refuses, without changing it, a file that is not SQLite, a SQLite
// database of another application and a database written by a newer
// draftroom; then it applies pending migrations and starts the committer.
func Open(ctx context.Context, path string, opts Options) (*Log, error) {
	state, err := checkFile(path)
	if err != nil {
		return nil, err
	}
	if state == fileSQLite {
		if _, err := probe(ctx, path); err != nil {
			return nil, err
		}
	}
	l := &Log{path: path, opts: opts, heads: map[engine.StreamID]uint64{}}
	l.write, err = sql.Open("sqlite", dsn(path, modeWrite, opts.BusyTimeout, opts.MaxPageCount))
	if err != nil {
		return nil, sqlError(path, "open", err)
	}
	l.write.SetMaxOpenConns(1)
	l.write.SetMaxIdleConns(1)
	l.write.SetConnMaxLifetime(0)
	l.write.SetConnMaxIdleTime(0)
	if err := l.migrate(ctx); err != nil {
		l.write.Close()
		return nil, err
	}
	l.read, err = sql.Open("sqlite", dsn(path, modeRead, opts.BusyTimeout, 0))
	if err != nil {
		l.write.Close()
		return nil, sqlError(path, "open", err)
	}
	n := opts.ReadConns
	if n <= 0 {
		n = max(4, runtime.NumCPU())
	}
	l.read.SetMaxOpenConns(n)
	l.read.SetMaxIdleConns(n)
	if err := l.loadHeads(ctx, l.write); err != nil {
		l.write.Close()
		l.read.Close()
		return nil, err
	}
	if opts.AnchorFile != "" {
		if err := l.openAnchors(ctx); err != nil {
			l.write.Close()
			l.read.Close()
			return nil, err
		}
	}
	l.startCommitter()
	return l, nil
}

func (l *Log) now() time.Time {
	if l.opts.Now != nil {
		return l.opts.Now()
	}
	return time.Now()
}

// rowsQueryer is a *sql.DB or a *sql.Tx.
type rowsQueryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// loadHeads reads the committed heads of every stream and of the log.
func (l *Log) loadHeads(ctx context.Context, q rowsQueryer) error {
	seq, hash, err := logHead(ctx, q)
	if err != nil {
		return sqlError(l.path, "read the log head", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT stream, head FROM streams`)
	if err != nil {
		return sqlError(l.path, "read stream heads", err)
	}
	defer rows.Close()
	heads := map[engine.StreamID]uint64{}
	for rows.Next() {
		var s string
		var h uint64
		if err := rows.Scan(&s, &h); err != nil {
			return sqlError(l.path, "read stream heads", err)
		}
		heads[engine.StreamID(s)] = h
	}
	if err := rows.Err(); err != nil {
		return sqlError(l.path, "read stream heads", err)
	}
	l.heads, l.lastSeq, l.lastHash = heads, seq, hash
	return nil
}

// logHead returns the Seq and hash of the last event in the log.
func logHead(ctx context.Context, q rowsQueryer) (uint64, string, error) {
	var seq uint64
	var hash string
	err := q.QueryRowContext(ctx, `SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1`).Scan(&seq, &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", nil
	}
	return seq, hash, err
}

// Append implements engine.EventLog. The events are checked and encoded
// here; a bad event refuses the whole Append with EINVALID before anything
// is queued. Once queued, the Append is committed or refused whatever its
// context does afterwards, and its answer says which: it returns only
// after the transaction that holds its events committed.
func (l *Log) Append(ctx context.Context, stream engine.StreamID, expect uint64, events []engine.Event) ([]engine.Event, error) {
	return l.committer.Append(ctx, stream, expect, events)
}

// startCommitter starts the one writer: it hands groups of waiting
// requests to commit and, while none waits, lets a failing log probe.
func (l *Log) startCommitter() {
	l.committer = chain.StartCommitter(chain.CommitterOptions{
		Name: l.path, MaxGroup: l.opts.MaxGroup, NoGroupCommit: l.opts.NoGroupCommit, Commit: l.commit, IdleEvery: l.opts.ProbeEvery,
		Idle: func() {
			if l.health.failing() {
				l.probe()
			}
		},
	})
}

// commit writes a batch in one transaction and answers every request in
// it. If the transaction fails for a reason that may belong to one request
// alone (the disk filled up, a row too big), the requests are tried again
// one transaction each, so that one request's failure is its own;
// otherwise (the database is locked or damaged) every request gets the
// error. Either way each request is all present or all absent.
func (l *Log) commit(batch []*chain.Request) {
	answers, err := l.tryCommit(batch)
	l.health.setCommit(err)
	if err == nil {
		for i, r := range batch {
			r.Reply <- answers[i]
		}
		return
	}
	// The transaction rolled back; what this goroutine believed about the
	// heads may be wrong if the failure was ambiguous, so read them again.
	if rerr := l.loadHeads(context.Background(), l.write); rerr != nil {
		err = errors.Join(err, rerr)
	}
	if len(batch) > 1 {
		switch sqliteCode(err) {
		case sqlite3.SQLITE_FULL, sqlite3.SQLITE_TOOBIG, sqlite3.SQLITE_CONSTRAINT:
			for _, r := range batch {
				l.commit([]*chain.Request{r})
			}
			return
		}
	}
	for _, r := range batch {
		r.Reply <- chain.Result{Err: err}
	}
}

// tryCommit writes the batch in one transaction. A request whose expect
// is stale gets its conflict in answers and writes nothing; the others are
// written and committed together. It returns an error, and has written
// nothing, if the transaction failed.
func (l *Log) tryCommit(batch []*chain.Request) (answers []chain.Result, err error) {
	// The shared transaction is not bound to any caller's context: one
	// caller giving up must not fail the others.
	ctx := context.Background()
	tx, err := l.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, sqlError(l.path, "begin a transaction", err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	// Another process may have appended since this one last committed
	// (draftroom import next to a running server): the write lock is held
	// now, so what is read here is the truth until the commit.
	seq, hash, err := logHead(ctx, tx)
	if err != nil {
		return nil, sqlError(l.path, "read the log head", err)
	}
	if seq != l.lastSeq || hash != l.lastHash {
		if err := l.loadHeads(ctx, tx); err != nil {
			return nil, err
		}
	}
	first := seq
	ins, err := tx.PrepareContext(ctx, `INSERT INTO events (`+eventColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, sqlError(l.path, "prepare to store events", err)
	}
	defer ins.Close()
	moved := map[engine.StreamID]uint64{} // heads changed by this batch
	head := func(s engine.StreamID) uint64 {
		if h, ok := moved[s]; ok {
			return h
		}
		return l.heads[s]
	}
	answers = make([]chain.Result, len(batch))
	written := 0
	for i, r := range batch {
		if r.Rows != nil { // alone in its batch
			for _, row := range r.Rows {
				if b := chain.CheckLink(hash, seq, head(engine.StreamID(row.Stream)), row); b != nil {
					answers[i].Err = engine.Errorf(engine.EINVALID, "the events to write do not continue the chain of %s: %s", l.path, b)
					_ = tx.Rollback()
					return answers, nil
				}
				if _, err := ins.ExecContext(ctx, row.Seq, row.Stream, row.StreamSeq, row.Type, row.At, row.Actor, row.Data, row.PrevHash, row.Hash); err != nil {
					return nil, sqlError(l.path, "store an event", err)
				}
				seq, hash = row.Seq, row.Hash
				moved[engine.StreamID(row.Stream)] = row.StreamSeq
			}
			written++
			continue
		}
		h := head(r.Stream)
		if r.Snap != nil {
			if r.Snap.StreamSeq == 0 || r.Snap.StreamSeq > h {
				answers[i].Err = engine.Errorf(engine.EINVALID, "a snapshot of %s as of event %d cannot be saved: the stream is at %d", r.Stream, r.Snap.StreamSeq, h)
				continue
			}
			if err := saveSnapshot(ctx, tx, r.Stream, *r.Snap); err != nil {
				return nil, sqlError(l.path, "save a snapshot", err)
			}
			written++
			continue
		}
		if h != r.Expect {
			answers[i].Err = conflict(r.Stream, h, r.Expect)
			continue
		}
		out := make([]engine.Event, len(r.Recs))
		for j, rec := range r.Recs {
			seq++
			h++
			e := rec.Stamp(hash, seq, r.Stream, h)
			if _, err := ins.ExecContext(ctx, seq, string(r.Stream), h, e.Type, rec.At, rec.Actor, rec.Payload, e.PrevHash, e.Hash); err != nil {
				return nil, sqlError(l.path, "store an event", err)
			}
			hash = e.Hash
			out[j] = e
		}
		moved[r.Stream] = h
		answers[i].Events = out
		written++
	}
	if written == 0 {
		_ = tx.Rollback() // every request was refused
		return answers, nil
	}
	for s, h := range moved {
		if _, err := tx.ExecContext(ctx, `INSERT INTO streams (stream, head) VALUES (?, ?) ON CONFLICT (stream) DO UPDATE SET head = excluded.head`, string(s), h); err != nil {
			return nil, sqlError(l.path, "store a stream head", err)
		}
	}
	if err := tx.Commit(); err != nil {
		// SQLite may keep the transaction open after a failed COMMIT (a
		// full disk, an I/O error); database/sql has let go of it, so end
		// it on the connection, which only this goroutine uses. When
		// SQLite already rolled back, this ROLLBACK fails harmlessly.
		_, _ = l.write.ExecContext(ctx, `ROLLBACK`)
		return nil, sqlError(l.path, "commit", err)
	}
	for s, h := range moved {
		l.heads[s] = h
	}
	l.lastSeq, l.lastHash = seq, hash
	if seq != first {
		l.anchor(seq, hash)
	}
	l.commits.Add(1)
	l.requests.Add(uint64(written))
	l.events.Add(seq - first)
	return answers, nil
}

// Read implements engine.EventLog.
func (l *Log) Read(ctx context.Context, stream engine.StreamID, after uint64, limit int) ([]engine.Event, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, err := l.read.QueryContext(ctx, `SELECT `+eventColumns+` FROM events WHERE stream = ? AND stream_seq > ? ORDER BY stream_seq LIMIT ?`, string(stream), after, limit)
	if err != nil {
		return nil, sqlError(l.path, "read events", err)
	}
	defer rows.Close()
	var out []engine.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, sqlError(l.path, "read events", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, sqlError(l.path, "read events", err)
	}
	return out, nil
}

// Head implements engine.EventLog. It reads the database, not the
// committer's memory, so it also sees what another process appended.
func (l *Log) Head(ctx context.Context, stream engine.StreamID) (uint64, string, error) {
	var seq uint64
	var hash string
	err := l.read.QueryRowContext(ctx, `SELECT
    COALESCE((SELECT head FROM streams WHERE stream = ?), 0),
    COALESCE((SELECT hash FROM events ORDER BY seq DESC LIMIT 1), '')`, string(stream)).Scan(&seq, &hash)
	if err != nil {
		return 0, "", sqlError(l.path, "read the head of "+string(stream), err)
	}
	return seq, hash, nil
}

// Streams implements engine.EventLog. The streams are sorted by name.
func (l *Log) Streams(ctx context.Context) ([]engine.StreamID, error) {
	rows, err := l.read.QueryContext(ctx, `SELECT stream FROM streams WHERE head > 0 ORDER BY stream`)
	if err != nil {
		return nil, sqlError(l.path, "list streams", err)
	}
	defer rows.Close()
	var out []engine.StreamID
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, sqlError(l.path, "list streams", err)
		}
		out = append(out, engine.StreamID(s))
	}
	if err := rows.Err(); err != nil {
		return nil, sqlError(l.path, "list streams", err)
	}
	return out, nil
}

// Close implements engine.EventLog. Appends already queued are committed
// and answered first; later ones are refused. Closing twice is harmless.
func (l *Log) Close() error {
	l.closeOnce.Do(func() {
		l.committer.Close()
		l.closeErr = errors.Join(l.closeAnchors(), l.read.Close(), l.write.Close())
	})
	return l.closeErr
}
