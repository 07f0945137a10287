package postgres

import (
	"context"
	"errors"
	"hash/fnv"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/jackc/pgx/v5"
)

// Notification says that a stream moved: it now ends at StreamSeq. Every
// transaction that appends sends one per stream it moved, delivered by
// PostgreSQL only once it commits (NOTIFY). It carries no events: a
// follower reads them from the log (Read after the StreamSeq it has).
// A Notification with an empty Stream says that notifications may have
// been missed (the follower's connection was lost and is back): re-read
// every stream followed from the last StreamSeq it holds.
type Notification struct {
	Stream    engine.StreamID
	StreamSeq uint64
}

// Follow listens for the notifications of this log's appends — those of
// every process writing to the same database and schema, this one's
// included — and calls f with each, in the order the server delivers
// them, from one goroutine, until ctx ends. It returns ctx's error. It
// reconnects after a lost connection (waiting a second between tries)
// and then calls f with the empty Notification, so nothing is missed.
// ready, if not nil, is closed once the first LISTEN is in place.
func (l *Log) Follow(ctx context.Context, ready chan<- struct{}, f func(Notification)) error {
	return l.follow(ctx, l.channel, ready, func(payload string) {
		if payload == "" {
			f(Notification{}) // back after a gap: catch up from the log
			return
		}
		stream, seq, ok := strings.Cut(payload, " ")
		h, err := strconv.ParseUint(seq, 10, 64)
		if !ok || err != nil {
			return // not one of ours
		}
		f(Notification{Stream: engine.StreamID(stream), StreamSeq: h})
	})
}

// follow listens on channel and calls f with each notification's
// payload, from one goroutine, until ctx ends; after a lost connection it
// listens again (waiting a second between tries) and calls f with ""
// (payloads are never empty), so that the caller catches up. ready, if
// not nil, is closed once the first LISTEN is in place.
func (l *Log) follow(ctx context.Context, channel string, ready chan<- struct{}, f func(payload string)) error {
	first := true
	for {
		err := l.listen(ctx, channel, func() {
			if first {
				first = false
				if ready != nil {
					close(ready)
				}
			} else {
				f("")
			}
		}, f)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		_ = err // the connection was lost; try again
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// listen holds one connection with LISTEN on channel and hands the
// notifications' payloads to f until the connection fails or ctx ends.
func (l *Log) listen(ctx context.Context, channel string, listening func(), f func(string)) error {
	c, err := l.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	conn := c.Hijack() // a LISTENing connection never goes back to the pool
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, `LISTEN `+pgx.Identifier{channel}.Sanitize()); err != nil {
		return err
	}
	listening()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if n.Payload != "" {
			f(n.Payload)
		}
	}
}

// Lease is a PostgreSQL session advisory lock on a name (a room's stream),
// held on a connection of its own for as long as that session lives: at
// most one process holds a name's lease at a time, and when the holding
// process dies its session ends and the lease is free for another. It is
// how one node at a time decides a room's commands. A lease says who may
// try to write, not who may write: a node that lost its lease without
// knowing it is still stopped by the expectation Append checks in the
// database, the stream sequence being the fencing token.
type Lease struct {
	name string
	conn *pgx.Conn // used by watch alone until Release
	key  int64
	pid  uint32 // the server process of the lease's session

	lost     chan struct{} // closed once the session is known to be gone
	stop     chan struct{}
	once     sync.Once
	released sync.Once
	done     chan struct{}
}

// leaseKey is the advisory lock key of a name in this log's schema.
func (l *Log) leaseKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte(l.schema))
	h.Write([]byte{0})
	h.Write([]byte(name))
	return int64(h.Sum64())
}

// leaseCheck is how often a held lease checks that its session is alive.
const leaseCheck = 500 * time.Millisecond

// TryLease takes the lease on name if no process holds it, and reports
// whether it did. It does not wait.
func (l *Log) TryLease(ctx context.Context, name string) (*Lease, bool, error) {
	return l.TryLeaseAs(ctx, name, "")
}

// TryLeaseAs is TryLease that also records node (the holder's address,
// where other nodes forward a room's commands) for Holders, on the
// lease's own session, once the lease is taken.
func (l *Log) TryLeaseAs(ctx context.Context, name, node string) (*Lease, bool, error) {
	c, err := l.pool.Acquire(ctx)
	if err != nil {
		return nil, false, pgError(l.name, "connect", err)
	}
	conn := c.Hijack()
	key := l.leaseKey(name)
	var got bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&got); err != nil {
		conn.Close(context.Background())
		return nil, false, pgError(l.name, "take the lease on "+name, err)
	}
	if !got {
		conn.Close(context.Background())
		return nil, false, nil
	}
	if node != "" {
		if _, err := conn.Exec(ctx, `INSERT INTO lease_holders (key, name, node, pid, since) VALUES ($1, $2, $3, pg_backend_pid(), $4)
ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, node = EXCLUDED.node, pid = EXCLUDED.pid, since = EXCLUDED.since`,
			key, name, node, l.now().UTC().Format(time.RFC3339Nano)); err != nil {
			conn.Close(context.Background()) // the session ends, and the lock with it
			return nil, false, pgError(l.name, "record the holder of the lease on "+name, err)
		}
	}
	le := &Lease{name: name, conn: conn, key: key, pid: conn.PgConn().PID(), lost: make(chan struct{}), stop: make(chan struct{}), done: make(chan struct{})}
	go le.watch()
	return le, true, nil
}

// Holders returns the node recorded by TryLeaseAs for every name whose
// lease is held now, by a session that is alive and still holds the
// advisory lock: a holder that died is not listed, whatever its row says.
func (l *Log) Holders(ctx context.Context) (map[string]string, error) {
	rows, err := l.pool.Query(ctx, `SELECT h.name, h.node FROM lease_holders h
WHERE EXISTS (SELECT 1 FROM pg_locks k
    WHERE k.locktype = 'advisory' AND k.granted AND k.pid = h.pid AND k.objsubid = 1
      AND k.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND k.classid::bigint = ((h.key >> 32) & 4294967295) AND k.objid::bigint = (h.key & 4294967295))`)
	if err != nil {
		return nil, pgError(l.name, "read the lease holders", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, node string
		if err := rows.Scan(&name, &node); err != nil {
			return nil, pgError(l.name, "read the lease holders", err)
		}
		out[name] = node
	}
	return out, pgError(l.name, "read the lease holders", rows.Err())
}

// watch pings the lease's session until it fails (then the lease is
// lost) or the lease is released.
func (le *Lease) watch() {
	defer close(le.done)
	t := time.NewTicker(leaseCheck)
	defer t.Stop()
	for {
		select {
		case <-le.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			err := le.conn.Ping(ctx)
			cancel()
			if err != nil {
				le.once.Do(func() { close(le.lost) })
				return
			}
		}
	}
}

// Lost is closed once the lease's session is known to be gone (the
// connection to the server failed): from then on another process may
// hold the name.
func (le *Lease) Lost() <-chan struct{} { return le.lost }

// Release gives the lease up and closes its connection. Releasing twice
// is harmless.
func (le *Lease) Release() error {
	var err error
	le.released.Do(func() {
		close(le.stop)
		<-le.done
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, uerr := le.conn.Exec(ctx, `SELECT pg_advisory_unlock($1)`, le.key)
		err = errors.Join(uerr, le.conn.Close(ctx))
		le.once.Do(func() { close(le.lost) })
	})
	return err
}
