package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/chain"
	"github.com/draftroom/draftroom/engine/postgres/pgtest"
	"github.com/draftroom/draftroom/engine/storetest"
	"github.com/jackc/pgx/v5"
)

// open opens a log on url that the test closes at its end.
func open(t testing.TB, url string, opts Options) *Log {
	t.Helper()
	l, err := Open(context.Background(), url, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}

func mustVerify(t testing.TB, url string, want uint64) chain.Report {
	t.Helper()
	rep, err := Verify(context.Background(), url, nil)
	if err != nil || rep.Broken != nil || rep.Events != want {
		t.Fatalf("Verify = %d events, broken %v, %v; want %d events, unbroken", rep.Events, rep.Broken, err, want)
	}
	return rep
}

func TestMigrationsNumbered(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || SchemaVersion() != len(ms) {
		t.Fatalf("%d migrations, schema version %d", len(ms), SchemaVersion())
	}
}

// TestMigrationsRecorded opens a new database twice at once, as two nodes
// starting together would: each migration is applied and recorded once.
func TestMigrationsRecorded(t *testing.T) {
	url := pgtest.NewDatabase(t)
	errs := make(chan error, 2)
	for i := 0; i < 2; i++ {
		go func() {
			l, err := Open(context.Background(), url, Options{Now: func() time.Time { return time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC) }})
			if err == nil {
				err = l.Close()
			}
			errs <- err
		}()
	}
	for i := 0; i < 2; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n, v int
	var applied string
	if err := conn.QueryRow(context.Background(), `SELECT count(*), max(version), min(applied) FROM schema_migrations`).Scan(&n, &v, &applied); err != nil {
		t.Fatal(err)
	}
	if n != SchemaVersion() || v != SchemaVersion() || applied != "2027-03-01T09:00:00Z" {
		t.Errorf("schema_migrations: %d rows up to %d applied %s; want %d, once each, at the given time", n, v, applied, SchemaVersion())
	}
}

// TestOpenRefuses: a database holding another application's tables, and
// one written by a newer draftroom, are refused and left as they were;
// so is a URL that is not PostgreSQL's and a server that is not there.
func TestOpenRefuses(t *testing.T) {
	ctx := context.Background()
	foreign := pgtest.NewDatabase(t)
	pgtest.Exec(t, foreign, `CREATE TABLE invoices (id int PRIMARY KEY)`)
	_, err := Open(ctx, foreign, Options{})
	if msg := engine.ErrorMessage(err); !strings.HasSuffix(msg, "is not a draftroom database: schema public holds tables of another application") {
		t.Errorf("another application's database: %v", err)
	}
	if _, err := Verify(ctx, foreign, nil); !strings.Contains(engine.ErrorMessage(err), "is not a draftroom database") {
		t.Errorf("Verify of another application's database: %v", err)
	}
	var n int
	conn, err := pgx.Connect(ctx, foreign)
	if err != nil {
		t.Fatal(err)
	}
	conn.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&n)
	conn.Close(ctx)
	if n != 1 {
		t.Errorf("the foreign database now has %d tables, want its one", n)
	}

	newer := pgtest.NewDatabase(t)
	open(t, newer, Options{}).Close()
	pgtest.Exec(t, newer, `INSERT INTO schema_migrations (version, name, applied) VALUES (99, '0099_future.sql', '2030-01-01T00:00:00Z')`)
	_, err = Open(ctx, newer, Options{})
	if msg := engine.ErrorMessage(err); !strings.HasSuffix(msg, "database schema version 99 is newer than this draftroom (knows up to "+strconv.Itoa(SchemaVersion())+"); upgrade draftroom") {
		t.Errorf("a newer database: %v", err)
	}

	if _, err := Open(ctx, "/tmp/x.db", Options{}); engine.ErrorCode(err) != engine.EINVALID {
		t.Errorf("a file name: %v", err)
	}
	_, err = Open(ctx, "postgres://nobody:secret@127.0.0.1:1/none?connect_timeout=2", Options{})
	if msg := engine.ErrorMessage(err); !strings.Contains(msg, "cannot reach the PostgreSQL server of postgres://nobody@127.0.0.1:1/none") || strings.Contains(msg, "secret") {
		t.Errorf("no server: %v", err)
	}
}

// TestVerifyLogHead: the one-row head of the log must agree with the
// last event; a head left behind (or ahead) is a broken link.
func TestVerifyLogHead(t *testing.T) {
	url := pgtest.NewDatabase(t)
	l := open(t, url, Options{})
	if _, err := l.Append(context.Background(), "doc/a", 0, storetest.Notes(0, 3)); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, url, 3)
	pgtest.Exec(t, url, `UPDATE log_head SET seq = 2`)
	rep, err := Verify(context.Background(), url, nil)
	if err != nil || rep.Broken == nil || !strings.Contains(rep.Broken.Reason, "the log's head is recorded as event 2 but its last event is 3") {
		t.Fatalf("Verify with log_head behind: %v, %v", rep.Broken, err)
	}
}

// writeEvents sends what queueEvents queues in tx and reads the results.
func writeEvents(ctx context.Context, l *Log, tx pgx.Tx, ev *eventColumnsArrays, moved, stored map[engine.StreamID]uint64, first uint64, firstHash string, seq uint64, hash string) error {
	b := &pgx.Batch{}
	read := l.queueEvents(b, ev, moved, stored, first, firstHash, seq, hash)
	br := tx.SendBatch(ctx, b)
	defer br.Close()
	return read(br)
}

// TestFence is a node that read stream heads which have moved since (it
// lost its lock without knowing it): the database refuses to move the
// heads from values that are no longer there, and nothing is stored.
func TestFence(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	l := open(t, url, Options{})
	out, err := l.Append(ctx, "doc/a", 0, storetest.Notes(0, 3))
	if err != nil {
		t.Fatal(err)
	}
	tx, err := l.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	rec, err := chain.Encode("doc/a", 0, storetest.Notes(3, 1)[0])
	if err != nil {
		t.Fatal(err)
	}
	// The stale node believes doc/a is at 0 and the log at event 3 …
	e := rec.Stamp(out[2].Hash, 4, "doc/a", 4)
	var ev eventColumnsArrays
	ev.add(chain.Row{Seq: 4, Stream: "doc/a", StreamSeq: 4, Type: e.Type, At: rec.At, Actor: rec.Actor, Data: rec.Payload, PrevHash: e.PrevHash, Hash: e.Hash})
	err = writeEvents(ctx, l, tx, &ev, map[engine.StreamID]uint64{"doc/a": 4}, map[engine.StreamID]uint64{"doc/a": 2}, 3, out[2].Hash, 4, e.Hash)
	if !errors.Is(err, errFenced) {
		t.Fatalf("moving doc/a from a head it is not at: %v, want the fence", err)
	}
	tx.Rollback(ctx)
	// … or the log at an event it is not at.
	tx, err = l.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	err = writeEvents(ctx, l, tx, &ev, map[engine.StreamID]uint64{"doc/a": 4}, map[engine.StreamID]uint64{"doc/a": 3}, 2, out[1].Hash, 4, e.Hash)
	if !errors.Is(err, errFenced) {
		t.Fatalf("moving the log head from an event it is not at: %v, want the fence", err)
	}
	tx.Rollback(ctx)
	mustVerify(t, url, 3)
}

// TestGroupCommitOneTransaction queues appends while another session
// holds the lock on the log head, then lets it go: the committer, blocked
// on the lock with what it took first, commits the rest together, and
// the append whose expectation is stale gets its own conflict while the
// others commit.
func TestGroupCommitOneTransaction(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	l := open(t, url, Options{})
	other, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	tx, err := other.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `SELECT 1 FROM log_head FOR UPDATE`); err != nil {
		t.Fatal(err)
	}
	calls := []struct {
		stream engine.StreamID
		expect uint64
		n      int
	}{
		{"doc/x", 0, 1},
		{"doc/a", 0, 2},
		{"doc/a", 0, 1}, // stale: doc/a is at 2 by then
		{"doc/c", 0, 3},
		{"doc/a", 2, 1},
	}
	reqs := make([]*chain.Request, len(calls))
	for i, c := range calls {
		recs := make([]chain.Record, c.n)
		for j, e := range storetest.Notes(10*i, c.n) {
			if recs[j], err = chain.Encode(c.stream, j, e); err != nil {
				t.Fatal(err)
			}
		}
		reqs[i] = &chain.Request{Stream: c.stream, Expect: c.expect, Recs: recs}
		if err := l.committer.Enqueue(reqs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	wantErr := []string{"", "", "stream doc/a is at 2, not 0: someone else wrote to it", "", ""}
	for i, r := range reqs {
		res := <-r.Reply
		if got := engine.ErrorMessage(res.Err); got != wantErr[i] {
			t.Errorf("append %d: got error %q, want %q", i, got, wantErr[i])
		}
	}
	if st := l.Stats(); st.Commits > 2 || st.Requests != 4 || st.Events != 7 {
		t.Errorf("Stats = %+v; want at most 2 commits of 4 requests and 7 events", st)
	}
	mustVerify(t, url, 7)
}

// TestHealthFollowsWrites: a log whose server refuses writes (the
// database is set read-only) fails its appends and is unhealthy with the
// same message; once writes work again its probe makes it healthy
// without anyone appending.
func TestHealthFollowsWrites(t *testing.T) {
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	l := open(t, url, Options{ProbeEvery: 20 * time.Millisecond})
	if err := l.Health(); err != nil {
		t.Fatalf("a new log: %v", err)
	}
	if _, err := l.Append(ctx, "doc/a", 0, storetest.Notes(0, 1)); err != nil {
		t.Fatal(err)
	}
	cfg, _, _ := parseURL(url)
	dbname := cfg.ConnConfig.Database
	pgtest.Exec(t, pgtest.ServerURL(), `ALTER DATABASE `+dbname+` SET default_transaction_read_only = on`)
	l.pool.Reset() // new sessions pick the setting up
	_, aerr := l.Append(ctx, "doc/a", 1, storetest.Notes(1, 1))
	if !strings.Contains(engine.ErrorMessage(aerr), "is read-only") {
		t.Fatalf("append to a read-only database: %v", aerr)
	}
	if err := l.Health(); engine.ErrorMessage(err) != engine.ErrorMessage(aerr) {
		t.Fatalf("health after the failed append: %v, want %v", err, aerr)
	}
	time.Sleep(100 * time.Millisecond)
	if err := l.Health(); err == nil {
		t.Fatal("health while still read-only: nil")
	}
	pgtest.Exec(t, pgtest.ServerURL(), `ALTER DATABASE `+dbname+` RESET default_transaction_read_only`)
	l.pool.Reset()
	deadline := time.Now().Add(30 * time.Second)
	for l.Health() != nil && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if err := l.Health(); err != nil {
		t.Fatalf("health once writes work, with nobody appending: %v", err)
	}
	if _, err := l.Append(ctx, "doc/a", 1, storetest.Notes(1, 1)); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, url, 2)
}

// TestRedact: a password given in a URL never reaches a message.
func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:secret@h:5432/db":       "postgres://u:***@h:5432/db",
		"postgresql://u@h/db?sslmode=require": "postgresql://u@h/db?sslmode=require",
		"postgres://h/db":                     "postgres://h/db",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
	if _, name, _ := parseURL("postgres://u:secret@h:5432/db"); strings.Contains(name, "secret") || name != "postgres://u@h:5432/db" {
		t.Errorf("the name of a URL with a password: %q", name)
	}
}
