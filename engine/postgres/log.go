package postgres

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/chain"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

var _ engine.EventLog = (*Log)(nil)

// Options tune a Log. The zero value is what production uses.
type Options struct {
	// NoGroupCommit commits every Append in its own transaction. It
	// exists to measure group commit against; never use it in production.
	NoGroupCommit bool
	// MaxGroup is the most Append calls committed in one transaction;
	// 0 means 512.
	MaxGroup int
	// Conns is the most connections the log opens to the server (one is
	// the committer's, the rest serve reads); 0 means the number of CPUs
	// plus one, at least 5.
	Conns int
	// CommitTimeout bounds one write transaction, from BEGIN to COMMIT;
	// past it the transaction is cancelled and its appends refused
	// (PostgreSQL rolls it back). 0 means 30 seconds.
	CommitTimeout time.Duration
	// Now is the clock that stamps applied migrations; nil means
	// time.Now.
	Now func() time.Time
	// AnchorFile, when set, is an append-only file to which the log
	// writes the head of the whole log after its own commits, at most
	// every 100 ms and always at Close (chain.AnchorFile). Open refuses a
	// database that no longer holds the last anchor in the file.
	AnchorFile string
	// ProbeEvery is how often a log whose last write failed tries a probe
	// write; 0 means 2 seconds.
	ProbeEvery time.Duration
}

// Bounds of a write.
const (
	defaultCommitTimeout = 30 * time.Second
	snapshotsKept        = 2 // the newest snapshot of a stream and the one before
)

// Log is the PostgreSQL event log. It implements engine.EventLog.
//
// One committer goroutine writes. Append encodes its events, queues them
// and waits; the committer takes every Append waiting at that moment
// (group commit) and, in one transaction, locks the log's head row, reads
// the heads of the streams concerned, checks each Append's expectation
// against them, numbers, hashes and inserts the events, moves the stream
// heads (only from the heads it read: the database refuses anything
// else) and the log head, commits once and answers each caller. Reads use
// the other connections of the pool and never wait for the writer.
type Log struct {
	name    string // the database, for messages: postgres://user@host:port/db
	pool    *pgxpool.Pool
	opts    Options
	schema  string // the schema the tables are in
	channel string // the NOTIFY channel of this log: "draftroom:" and the schema

	committer *chain.Committer // the one writer (group commit)
	closeOnce sync.Once
	closeErr  error

	commits, requests, events atomic.Uint64 // for Stats

	healthMu  sync.Mutex
	commitErr error // the last write transaction failed with this; nil once one succeeds

	anchors *chain.AnchorFile // nil without Options.AnchorFile
}

// pgxQueryer is a *pgxpool.Pool, a *pgx.Conn or a pgx.Tx.
type pgxQueryer interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

// Open connects to the PostgreSQL database at url (postgres://…),
// refuses a schema that holds another application's tables or a newer
// draftroom's, applies pending migrations and starts the committer. The
// database must exist; the schema is the first of the search_path (add
// ?search_path=NAME to the URL for another than public).
func Open(ctx context.Context, url string, opts Options) (*Log, error) {
	cfg, name, err := parseURL(url)
	if err != nil {
		return nil, err
	}
	n := opts.Conns
	if n <= 0 {
		n = max(5, runtime.NumCPU()+1)
	}
	cfg.MaxConns = int32(n)
	cfg.MinConns = 1
	l := &Log{name: name, opts: opts}
	if l.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return nil, pgError(name, "connect", err)
	}
	if err := l.pool.Ping(ctx); err != nil {
		l.pool.Close()
		return nil, pgError(name, "connect", err)
	}
	if err := l.migrate(ctx); err != nil {
		l.pool.Close()
		return nil, err
	}
	if err := l.pool.QueryRow(ctx, `SELECT current_schema()`).Scan(&l.schema); err != nil {
		l.pool.Close()
		return nil, pgError(name, "read the schema", err)
	}
	l.channel = "draftroom:" + l.schema
	if opts.AnchorFile != "" {
		if err := l.openAnchors(ctx); err != nil {
			l.pool.Close()
			return nil, err
		}
	}
	l.startCommitter()
	return l, nil
}

// Name is the database the log is in, as messages name it (without a
// password).
func (l *Log) Name() string { return l.name }

func (l *Log) now() time.Time {
	if l.opts.Now != nil {
		return l.opts.Now()
	}
	return time.Now()
}

// Stats returns the counts so far; they only grow.
func (l *Log) Stats() chain.Stats {
	return chain.Stats{Commits: l.commits.Load(), Requests: l.requests.Load(), Events: l.events.Load()}
}

// logHead returns the Seq and hash of the last event in the log.
func logHead(ctx context.Context, q pgxQueryer) (uint64, string, error) {
	var seq int64
	var hash string
	err := q.QueryRow(ctx, `SELECT seq, hash FROM log_head WHERE id = 1`).Scan(&seq, &hash)
	return uint64(seq), hash, err
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
		Name: l.name, MaxGroup: l.opts.MaxGroup, NoGroupCommit: l.opts.NoGroupCommit, Commit: l.commit, IdleEvery: l.opts.ProbeEvery,
		Idle: func() {
			if l.failing() {
				l.probe()
			}
		},
	})
}

// commit writes a batch in one transaction and answers every request in
// it. If the transaction fails for a reason that may belong to one
// request alone (a full disk, a row too big, a constraint), the requests
// are tried again one transaction each; otherwise every request gets the
// error. Either way each request is all present or all absent.
func (l *Log) commit(batch []*chain.Request) {
	answers, err := l.tryCommit(batch)
	l.setCommitErr(err)
	if err == nil {
		for i, r := range batch {
			r.Reply <- answers[i]
		}
		return
	}
	if len(batch) > 1 {
		switch pgCode(err) {
		case "53100", "54000", "23505", "23514", "22001", "22021":
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

// errFenced is a transaction that found the heads it read moved under its
// lock; it cannot happen while every writer takes the lock on log_head.
var errFenced = errors.New("the stream heads moved during the transaction")

// tryCommit writes the batch in one transaction. A request whose expect
// is stale gets its conflict in answers and writes nothing; the others
// are written and committed together. It returns an error, and has
// written nothing, if the transaction failed.
//
// The transaction costs two round trips to the server: BEGIN, the lock
// and the stream heads in one pipeline; the inserts, the moves of the
// heads and COMMIT in another.
func (l *Log) tryCommit(batch []*chain.Request) (answers []chain.Result, err error) {
	// The shared transaction is not bound to any caller's context: one
	// caller giving up must not fail the others.
	timeout := l.opts.CommitTimeout
	if timeout <= 0 {
		timeout = defaultCommitTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	c, err := l.pool.Acquire(ctx)
	if err != nil {
		return nil, pgError(l.name, "connect", err)
	}
	defer c.Release()
	conn := c.Conn()
	open := false // a transaction is open on conn
	defer func() {
		if open {
			rctx, rcancel := context.WithTimeout(context.Background(), 5*time.Second)
			if _, rerr := conn.Exec(rctx, `ROLLBACK`); rerr != nil {
				conn.Close(rctx) // the pool drops a closed connection
			}
			rcancel()
		}
	}()
	// The heads of the streams concerned, as the database has them: the
	// expectations are checked against these, never against what this
	// node remembers.
	names := make([]string, 0, len(batch))
	for _, r := range batch {
		if r.Rows == nil {
			names = append(names, string(r.Stream))
		}
		for _, row := range r.Rows {
			names = append(names, row.Stream)
		}
	}
	// Lock the head of the log: from here until COMMIT no other
	// transaction, on this node or another, appends. Each later statement
	// of this transaction (READ COMMITTED) sees every commit made before
	// the lock was granted, the stream heads read next included.
	b := &pgx.Batch{}
	b.Queue(`BEGIN`)
	b.Queue(`SELECT seq, hash FROM log_head WHERE id = 1 FOR UPDATE`)
	b.Queue(`SELECT stream, head FROM streams WHERE stream = ANY($1)`, names)
	open = true
	br := conn.SendBatch(ctx, b)
	var seq uint64
	var hash string
	stored := map[engine.StreamID]uint64{}
	err = func() error {
		defer br.Close()
		if _, err := br.Exec(); err != nil {
			return pgError(l.name, "begin a transaction", err)
		}
		var seq64 int64
		if err := br.QueryRow().Scan(&seq64, &hash); err != nil {
			return pgError(l.name, "lock the log head", err)
		}
		seq = uint64(seq64)
		rows, err := br.Query()
		if err != nil {
			return pgError(l.name, "read stream heads", err)
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			var h int64
			if err := rows.Scan(&s, &h); err != nil {
				return pgError(l.name, "read stream heads", err)
			}
			stored[engine.StreamID(s)] = uint64(h)
		}
		if err := rows.Err(); err != nil {
			return pgError(l.name, "read stream heads", err)
		}
		rows.Close()
		return pgError(l.name, "read stream heads", br.Close())
	}()
	if err != nil {
		return nil, err
	}
	first, firstHash := seq, hash
	moved := map[engine.StreamID]uint64{} // heads changed by this batch
	head := func(s engine.StreamID) uint64 {
		if h, ok := moved[s]; ok {
			return h
		}
		return stored[s]
	}
	var ev eventColumnsArrays
	var snaps []snapshotReq
	answers = make([]chain.Result, len(batch))
	written := 0
	for i, r := range batch {
		switch {
		case r.Rows != nil: // alone in its batch
			for _, row := range r.Rows {
				if b := chain.CheckLink(hash, seq, head(engine.StreamID(row.Stream)), row); b != nil {
					answers[i].Err = engine.Errorf(engine.EINVALID, "the events to write do not continue the chain of %s: %s", l.name, b)
					return answers, nil // the deferred ROLLBACK ends the transaction
				}
				ev.add(row)
				seq, hash = row.Seq, row.Hash
				moved[engine.StreamID(row.Stream)] = row.StreamSeq
			}
			written++
			continue
		case r.Snap != nil:
			h := head(r.Stream)
			if r.Snap.StreamSeq == 0 || r.Snap.StreamSeq > h {
				answers[i].Err = engine.Errorf(engine.EINVALID, "a snapshot of %s as of event %d cannot be saved: the stream is at %d", r.Stream, r.Snap.StreamSeq, h)
				continue
			}
			snaps = append(snaps, snapshotReq{r.Stream, *r.Snap})
			written++
			continue
		}
		h := head(r.Stream)
		if h != r.Expect {
			answers[i].Err = chain.Conflict(r.Stream, h, r.Expect)
			continue
		}
		out := make([]engine.Event, len(r.Recs))
		for j, rec := range r.Recs {
			seq++
			h++
			e := rec.Stamp(hash, seq, r.Stream, h)
			ev.add(chain.Row{Seq: seq, Stream: string(r.Stream), StreamSeq: h, Type: e.Type, At: rec.At, Actor: rec.Actor, Data: rec.Payload, PrevHash: e.PrevHash, Hash: e.Hash})
			hash = e.Hash
			out[j] = e
		}
		moved[r.Stream] = h
		answers[i].Events = out
		written++
	}
	if written == 0 {
		return answers, nil // every request was refused; the deferred ROLLBACK ends the transaction
	}
	b = &pgx.Batch{}
	var readEvents func(pgx.BatchResults) error
	if seq != first {
		readEvents = l.queueEvents(b, &ev, moved, stored, first, firstHash, seq, hash)
	}
	for _, sn := range snaps {
		queueSnapshot(b, sn.stream, sn.snap)
	}
	b.Queue(`COMMIT`)
	br = conn.SendBatch(ctx, b)
	err = func() error {
		defer br.Close()
		if readEvents != nil {
			if err := readEvents(br); err != nil {
				return err
			}
		}
		for range snaps {
			for k := 0; k < 2; k++ {
				if _, err := br.Exec(); err != nil {
					return pgError(l.name, "save a snapshot", err)
				}
			}
		}
		if _, err := br.Exec(); err != nil {
			return pgError(l.name, "commit", err)
		}
		return pgError(l.name, "commit", br.Close())
	}()
	if err != nil {
		return nil, err
	}
	open = false
	if seq != first {
		l.anchors.Anchor(seq, hash)
	}
	l.commits.Add(1)
	l.requests.Add(uint64(written))
	l.events.Add(seq - first)
	return answers, nil
}

// snapshotReq is a snapshot to save in a transaction.
type snapshotReq struct {
	stream engine.StreamID
	snap   engine.Snapshot
}

// eventColumnsArrays holds the events of one transaction column by
// column, for one INSERT … SELECT FROM unnest(…).
type eventColumnsArrays struct {
	seq, streamSeq                         []int64
	stream, typ, at, actor, prevHash, hash []string
	data                                   [][]byte
}

func (a *eventColumnsArrays) add(r chain.Row) {
	a.seq = append(a.seq, int64(r.Seq))
	a.stream = append(a.stream, r.Stream)
	a.streamSeq = append(a.streamSeq, int64(r.StreamSeq))
	a.typ = append(a.typ, r.Type)
	a.at = append(a.at, r.At)
	a.actor = append(a.actor, string(r.Actor))
	a.data = append(a.data, r.Data)
	a.prevHash = append(a.prevHash, r.PrevHash)
	a.hash = append(a.hash, r.Hash)
}

// queueEvents queues in b the statements that insert the events of a
// transaction and move the heads of their streams and of the log, and
// returns the function that reads their results. The heads move only
// from the values this transaction read (stored, and first/firstHash for
// the log): the database itself refuses any other, so a transaction that
// somehow lost its lock fails rather than forks the chain.
func (l *Log) queueEvents(b *pgx.Batch, ev *eventColumnsArrays, moved, stored map[engine.StreamID]uint64, first uint64, firstHash string, seq uint64, hash string) func(pgx.BatchResults) error {
	var names []string
	var heads, olds []int64
	for s, h := range moved {
		names = append(names, string(s))
		heads = append(heads, int64(h))
		olds = append(olds, int64(stored[s]))
	}
	b.Queue(`INSERT INTO events (seq, stream, stream_seq, type, at, actor, data, prev_hash, hash)
SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::bytea[], $8::text[], $9::text[])`,
		ev.seq, ev.stream, ev.streamSeq, ev.typ, ev.at, ev.actor, ev.data, ev.prevHash, ev.hash)
	b.Queue(`WITH u AS (SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS u(s, h, o)),
upd AS (UPDATE streams SET head = u.h FROM u WHERE streams.stream = u.s AND streams.head = u.o AND u.o > 0 RETURNING 1),
ins AS (INSERT INTO streams (stream, head) SELECT s, h FROM u WHERE o = 0 ON CONFLICT (stream) DO NOTHING RETURNING 1)
SELECT (SELECT count(*) FROM upd) + (SELECT count(*) FROM ins)`, names, heads, olds)
	b.Queue(`UPDATE log_head SET seq = $1, hash = $2 WHERE id = 1 AND seq = $3 AND hash = $4`, int64(seq), hash, int64(first), firstHash)
	// Every node following the log learns, when (and only if) the
	// transaction commits, which streams moved and how far: the
	// notification carries sequence numbers, never events.
	b.Queue(`SELECT count(pg_notify($1, s || ' ' || h)) FROM unnest($2::text[], $3::bigint[]) AS u(s, h)`, l.channel, names, heads)
	return func(br pgx.BatchResults) error {
		if _, err := br.Exec(); err != nil {
			if pgCode(err) == "23505" {
				return engine.Errorf(engine.ECONFLICT, "another writer stored events at the same places in %s: nothing was stored [%v]", l.name, err)
			}
			return pgError(l.name, "store events", err)
		}
		var n int64
		if err := br.QueryRow().Scan(&n); err != nil {
			return pgError(l.name, "store stream heads", err)
		}
		if n != int64(len(names)) {
			return pgError(l.name, "store stream heads", errFenced)
		}
		tag, err := br.Exec()
		if err != nil {
			return pgError(l.name, "store the log head", err)
		}
		if tag.RowsAffected() != 1 {
			return pgError(l.name, "store the log head", errFenced)
		}
		if _, err := br.Exec(); err != nil {
			return pgError(l.name, "notify the other nodes", err)
		}
		return nil
	}
}

// Read implements engine.EventLog.
func (l *Log) Read(ctx context.Context, stream engine.StreamID, after uint64, limit int) ([]engine.Event, error) {
	var lim *int64
	if limit > 0 {
		n := int64(limit)
		lim = &n
	}
	rows, err := l.pool.Query(ctx, `SELECT `+eventColumns+` FROM events WHERE stream = $1 AND stream_seq > $2 ORDER BY stream_seq LIMIT $3`, string(stream), int64(after), lim)
	if err != nil {
		return nil, pgError(l.name, "read events", err)
	}
	defer rows.Close()
	var out []engine.Event
	for rows.Next() {
		r, err := scanRow(rows)
		if err != nil {
			return nil, pgError(l.name, "read events", err)
		}
		e, err := r.Decode()
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, pgError(l.name, "read events", err)
	}
	return out, nil
}

// eventColumns are the columns scanRow reads, in its order.
const eventColumns = `seq, stream, stream_seq, type, at, actor, data, prev_hash, hash`

// scanRow reads one event row (eventColumns) as stored.
func scanRow(s pgx.Row) (chain.Row, error) {
	var r chain.Row
	var seq, streamSeq int64
	var actor string
	err := s.Scan(&seq, &r.Stream, &streamSeq, &r.Type, &r.At, &actor, &r.Data, &r.PrevHash, &r.Hash)
	r.Seq, r.StreamSeq, r.Actor = uint64(seq), uint64(streamSeq), []byte(actor)
	return r, err
}

// Head implements engine.EventLog. It reads the database, so it sees
// what every node appended.
func (l *Log) Head(ctx context.Context, stream engine.StreamID) (uint64, string, error) {
	var seq int64
	var hash string
	err := l.pool.QueryRow(ctx, `SELECT COALESCE((SELECT head FROM streams WHERE stream = $1), 0), (SELECT hash FROM log_head WHERE id = 1)`, string(stream)).Scan(&seq, &hash)
	if err != nil {
		return 0, "", pgError(l.name, "read the head of "+string(stream), err)
	}
	return uint64(seq), hash, nil
}

// Streams implements engine.EventLog. The streams are sorted by name,
// byte by byte (COLLATE "C"), as engine/sqlite sorts them.
func (l *Log) Streams(ctx context.Context) ([]engine.StreamID, error) {
	rows, err := l.pool.Query(ctx, `SELECT stream FROM streams WHERE head > 0 ORDER BY stream COLLATE "C"`)
	if err != nil {
		return nil, pgError(l.name, "list streams", err)
	}
	defer rows.Close()
	var out []engine.StreamID
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, pgError(l.name, "list streams", err)
		}
		out = append(out, engine.StreamID(s))
	}
	if err := rows.Err(); err != nil {
		return nil, pgError(l.name, "list streams", err)
	}
	return out, nil
}

// Close implements engine.EventLog. Appends already queued are committed
// and answered first; later ones are refused. Closing twice is harmless.
func (l *Log) Close() error {
	l.closeOnce.Do(func() {
		l.committer.Close()
		l.closeErr = l.anchors.Close()
		l.pool.Close()
	})
	return l.closeErr
}
