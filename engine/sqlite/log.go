// Package sqlite is the durable event log of draftroom on SQLite
// (modernc.org/sqlite, no cgo): append-only, hash-chained, with group
// commit, snapshots and embedded migrations. It implements
// engine.EventLog.
package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/draftroom/draftroom/engine"
	sqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

var _ engine.EventLog = (*Log)(nil)

// applicationID marks a draftroom database in the SQLite header ("DRFT").
const applicationID = 0x44524654

// Options tune a Log.
type Options struct {
	// NoGroupCommit commits every Append in its own transaction. It exists
	// to measure group commit against; never use it in production.
	NoGroupCommit bool
	// BusyTimeout is how long a write waits for a lock held by another
	// process; 0 means 5 seconds.
	BusyTimeout time.Duration
	// MaxPageCount caps the database size in pages (of 4 KiB); 0 means no
	// cap. Tests use it to fill the "disk".
	MaxPageCount int
}

// maxGroup is the most Append calls committed in one transaction.
const maxGroup = 512

// Log is the SQLite event log. One writer connection owned by a committer
// goroutine takes every Append waiting at the time into one transaction
// (group commit); reads use a separate pool.
type Log struct {
	path  string
	write *sql.DB
	read  *sql.DB
	opts  Options

	reqs chan *appendReq
	quit chan struct{}
	wg   sync.WaitGroup

	mu       sync.RWMutex // guards the committed heads below
	heads    map[engine.StreamID]uint64
	lastSeq  uint64
	lastHash string
}

type appendReq struct {
	stream engine.StreamID
	expect uint64
	events []engine.Event
	reply  chan appendRes
}

type appendRes struct {
	events []engine.Event
	err    error
}

// dsn builds the connection string. The pragmas live here, in one place:
//   - journal_mode(WAL): readers never block the writer nor the writer
//     readers, and a commit is one append to the WAL;
//   - synchronous(FULL): the WAL is fsynced at every commit, so an
//     acknowledged event survives a power cut, not only a crash;
//   - busy_timeout: wait for a lock held by another process rather than
//     fail at once;
//   - _txlock=immediate: write transactions take the write lock at BEGIN,
//     so they never fail half-way on a lock upgrade.
func dsn(path string, busy time.Duration, readOnly bool, maxPages ...int) string {
	q := url.Values{}
	if len(maxPages) > 0 && maxPages[0] > 0 {
		q.Add("_pragma", fmt.Sprintf("max_page_count(%d)", maxPages[0]))
	}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(FULL)")
		q.Add("_txlock", "immediate")
	}
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating if needed) the event log at path, checks that it is
// a draftroom database and applies pending migrations.
func Open(ctx context.Context, path string, opts Options) (*Log, error) {
	if opts.BusyTimeout == 0 {
		opts.BusyTimeout = 5 * time.Second
	}
	if err := checkFile(path); err != nil {
		return nil, err
	}
	w, err := sql.Open("sqlite", dsn(path, opts.BusyTimeout, false, opts.MaxPageCount))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	l := &Log{path: path, write: w, opts: opts, reqs: make(chan *appendReq, 4096), quit: make(chan struct{}), heads: map[engine.StreamID]uint64{}}
	if err := l.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", dsn(path, opts.BusyTimeout, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	l.read = r
	if err := l.loadHeads(ctx); err != nil {
		l.write.Close()
		l.read.Close()
		return nil, err
	}
	l.wg.Add(1)
	go l.committer()
	return l, nil
}

// checkFile refuses a path that exists and is not a SQLite file, before
// SQLite touches it.
func checkFile(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 16)
	n, _ := f.Read(head)
	if n == 0 {
		return nil // an empty file becomes a new database
	}
	if n < 16 || string(head) != "SQLite format 3\x00" {
		return engine.Errorf(engine.EINVALID, "%s is not a draftroom database: it is not a SQLite file", path)
	}
	return nil
}

func (l *Log) loadHeads(ctx context.Context) error {
	rows, err := l.write.QueryContext(ctx, `SELECT stream, head FROM streams`)
	if err != nil {
		return l.wrap("read stream heads", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var h uint64
		if err := rows.Scan(&s, &h); err != nil {
			return l.wrap("read stream heads", err)
		}
		l.heads[engine.StreamID(s)] = h
	}
	if err := rows.Err(); err != nil {
		return l.wrap("read stream heads", err)
	}
	err = l.write.QueryRowContext(ctx, `SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1`).Scan(&l.lastSeq, &l.lastHash)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return l.wrap("read the log head", err)
}

// Append implements engine.EventLog.
func (l *Log) Append(ctx context.Context, stream engine.StreamID, expect uint64, events []engine.Event) ([]engine.Event, error) {
	if len(events) == 0 {
		return nil, nil
	}
	req := &appendReq{stream: stream, expect: expect, events: events, reply: make(chan appendRes, 1)}
	select {
	case l.reqs <- req:
	case <-l.quit:
		return nil, engine.Errorf(engine.EINTERNAL, "the event log %s is closed", l.path)
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	// Once handed over, the request is committed or refused whatever the
	// caller's context does: its answer says which.
	res := <-req.reply
	return res.events, res.err
}

// committer owns the writer connection. It takes every request waiting
// and commits them together.
func (l *Log) committer() {
	defer l.wg.Done()
	for {
		var first *appendReq
		select {
		case first = <-l.reqs:
		case <-l.quit:
			// Answer what is still queued before closing.
			for {
				select {
				case r := <-l.reqs:
					l.commit([]*appendReq{r})
				default:
					return
				}
			}
		}
		batch := []*appendReq{first}
		if !l.opts.NoGroupCommit {
		more:
			for len(batch) < maxGroup {
				select {
				case r := <-l.reqs:
					batch = append(batch, r)
				default:
					break more
				}
			}
		}
		l.commit(batch)
	}
}

// commit writes a batch in one transaction: all of it or none of it.
func (l *Log) commit(batch []*appendReq) {
	l.mu.RLock()
	seq, hash := l.lastSeq, l.lastHash
	l.mu.RUnlock()
	heads := map[engine.StreamID]uint64{}
	head := func(s engine.StreamID) uint64 {
		if h, ok := heads[s]; ok {
			return h
		}
		l.mu.RLock()
		defer l.mu.RUnlock()
		return l.heads[s]
	}
	ctx := context.Background()
	tx, err := l.write.BeginTx(ctx, nil)
	if err != nil {
		l.failAll(batch, l.wrap("begin a transaction", err))
		return
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO events (seq, stream, stream_seq, type, at, actor, data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		tx.Rollback()
		l.failAll(batch, l.wrap("prepare", err))
		return
	}
	defer ins.Close()
	var ok []*appendReq
	var results [][]engine.Event
	for _, r := range batch {
		if h := head(r.stream); h != r.expect {
			r.reply <- appendRes{err: engine.Errorf(engine.ECONFLICT, "stream %s is at %d, not %d: someone else wrote to it", r.stream, h, r.expect)}
			continue
		}
		h := r.expect
		out := make([]engine.Event, len(r.events))
		for i, e := range r.events {
			h++
			seq++
			e.Stream, e.Seq, e.StreamSeq, e.PrevHash = r.stream, seq, h, hash
			actor, err := json.Marshal(e.Actor)
			if err != nil {
				tx.Rollback()
				l.failAll(batch, engine.Errorf(engine.EINVALID, "event %d of the batch: %v", i, err))
				return
			}
			data, err := e.PayloadJSON()
			if err != nil {
				tx.Rollback()
				l.failAll(batch, engine.Errorf(engine.EINVALID, "event %d of the batch (%s): %v", i, e.Type, err))
				return
			}
			at := e.At.UTC().Format(time.RFC3339Nano)
			e.Hash = ChainHash(hash, seq, string(r.stream), h, e.Type, at, actor, data)
			if _, err := ins.ExecContext(ctx, seq, string(r.stream), h, e.Type, at, string(actor), data, e.PrevHash, e.Hash); err != nil {
				tx.Rollback()
				l.failAll(batch, l.wrap("store an event", err))
				return
			}
			hash = e.Hash
			out[i] = e
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO streams (stream, head) VALUES (?, ?) ON CONFLICT (stream) DO UPDATE SET head = excluded.head`, string(r.stream), h); err != nil {
			tx.Rollback()
			l.failAll(batch, l.wrap("store a stream head", err))
			return
		}
		heads[r.stream] = h
		ok = append(ok, r)
		results = append(results, out)
	}
	if len(ok) == 0 {
		tx.Rollback()
		return
	}
	if err := tx.Commit(); err != nil {
		l.failAll(ok, l.wrap("commit", err))
		return
	}
	l.mu.Lock()
	for s, h := range heads {
		l.heads[s] = h
	}
	l.lastSeq, l.lastHash = seq, hash
	l.mu.Unlock()
	for i, r := range ok {
		r.reply <- appendRes{events: results[i]}
	}
}

func (l *Log) failAll(batch []*appendReq, err error) {
	for _, r := range batch {
		select {
		case r.reply <- appendRes{err: err}:
		default: // already answered (a conflict)
		}
	}
}

// ChainHash is the hash of one event in the chain: SHA-256, in hex, of the
// previous event's hash and the event's fields, each on its own line:
//
//	prevHash \n seq \n stream \n streamSeq \n type \n at \n actor-JSON \n payload-JSON
func ChainHash(prev string, seq uint64, stream string, streamSeq uint64, typ, at string, actor, data []byte) string {
	h := sha256.New()
	for _, part := range [][]byte{[]byte(prev), []byte(strconv.FormatUint(seq, 10)), []byte(stream), []byte(strconv.FormatUint(streamSeq, 10)), []byte(typ), []byte(at), actor} {
		h.Write(part)
		h.Write([]byte{'\n'})
	}
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

// Read implements engine.EventLog.
func (l *Log) Read(ctx context.Context, stream engine.StreamID, after uint64, limit int) ([]engine.Event, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, err := l.read.QueryContext(ctx, `SELECT seq, stream_seq, type, at, actor, data, prev_hash, hash FROM events WHERE stream = ? AND stream_seq > ? ORDER BY stream_seq LIMIT ?`, string(stream), after, limit)
	if err != nil {
		return nil, l.wrap("read events", err)
	}
	defer rows.Close()
	var out []engine.Event
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, l.wrap("read events", err)
		}
		e.Stream = stream
		out = append(out, e)
	}
	return out, l.wrap("read events", rows.Err())
}

type scanner interface{ Scan(...any) error }

func scanEvent(s scanner) (engine.Event, error) {
	var e engine.Event
	var at, actor string
	var data []byte
	if err := s.Scan(&e.Seq, &e.StreamSeq, &e.Type, &at, &actor, &data, &e.PrevHash, &e.Hash); err != nil {
		return e, err
	}
	t, err := time.Parse(time.RFC3339Nano, at)
	if err != nil {
		return e, fmt.Errorf("event %d: time %q: %w", e.Seq, at, err)
	}
	e.At = t
	if err := json.Unmarshal([]byte(actor), &e.Actor); err != nil {
		return e, fmt.Errorf("event %d: actor: %w", e.Seq, err)
	}
	if e.Data, err = engine.DecodePayload(e.Type, data); err != nil {
		return e, fmt.Errorf("event %d: %w", e.Seq, err)
	}
	return e, nil
}

// Head implements engine.EventLog.
func (l *Log) Head(ctx context.Context, stream engine.StreamID) (uint64, string, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.heads[stream], l.lastHash, nil
}

// SaveSnapshot implements engine.EventLog. Snapshots go through the same
// writer as events, in their own transaction.
func (l *Log) SaveSnapshot(ctx context.Context, stream engine.StreamID, snap engine.Snapshot) error {
	_, err := l.write.ExecContext(ctx, `INSERT OR REPLACE INTO snapshots (stream, stream_seq, data) VALUES (?, ?, ?)`, string(stream), snap.StreamSeq, snap.Data)
	if err != nil {
		return l.wrap("save a snapshot", err)
	}
	// Keep the newest two.
	_, err = l.write.ExecContext(ctx, `DELETE FROM snapshots WHERE stream = ? AND stream_seq < (SELECT MIN(stream_seq) FROM (SELECT stream_seq FROM snapshots WHERE stream = ? ORDER BY stream_seq DESC LIMIT 2))`, string(stream), string(stream))
	return l.wrap("prune snapshots", err)
}

// LoadSnapshot implements engine.EventLog.
func (l *Log) LoadSnapshot(ctx context.Context, stream engine.StreamID) (engine.Snapshot, bool, error) {
	var s engine.Snapshot
	err := l.read.QueryRowContext(ctx, `SELECT stream_seq, data FROM snapshots WHERE stream = ? ORDER BY stream_seq DESC LIMIT 1`, string(stream)).Scan(&s.StreamSeq, &s.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return s, false, nil
	}
	if err != nil {
		return s, false, l.wrap("load a snapshot", err)
	}
	return s, true, nil
}

// Streams implements engine.EventLog.
func (l *Log) Streams(ctx context.Context) ([]engine.StreamID, error) {
	l.mu.RLock()
	defer l.mu.RUnlock()
	out := make([]engine.StreamID, 0, len(l.heads))
	for s := range l.heads {
		out = append(out, s)
	}
	sortStreams(out)
	return out, nil
}

func sortStreams(s []engine.StreamID) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// Close implements engine.EventLog: it answers queued appends, then closes
// the database.
func (l *Log) Close() error {
	select {
	case <-l.quit:
		return nil
	default:
	}
	close(l.quit)
	l.wg.Wait()
	err1 := l.read.Close()
	err2 := l.write.Close()
	return errors.Join(err1, err2)
}

// wrap turns a SQLite error into an *engine.Error whose message says what
// happened in words, naming the database; nil stays nil.
func (l *Log) wrap(what string, err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_FULL:
			return &engine.Error{Code: engine.EINTERNAL, Message: fmt.Sprintf("the disk holding %s is full: nothing was stored; free space and try again", l.path)}
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return &engine.Error{Code: engine.EINTERNAL, Message: fmt.Sprintf("the database %s is locked by another program: nothing was stored; stop the other program and try again", l.path)}
		case sqlite3.SQLITE_NOTADB:
			return &engine.Error{Code: engine.EINVALID, Message: fmt.Sprintf("%s is not a draftroom database: SQLite cannot read it", l.path)}
		case sqlite3.SQLITE_CORRUPT:
			return &engine.Error{Code: engine.EINTERNAL, Message: fmt.Sprintf("the database %s is damaged (%s); restore it from a backup", l.path, strings.TrimSpace(se.Error()))}
		case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR:
			return &engine.Error{Code: engine.EINTERNAL, Message: fmt.Sprintf("cannot write to %s (%s): nothing was stored", l.path, strings.TrimSpace(se.Error()))}
		}
	}
	return fmt.Errorf("%s in %s: %w", what, l.path, err)
}
