package sqlite

import (
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// hotJournalEnv names the database the test binary, started again as a
// child, leaves with a hot journal.
const hotJournalEnv = "DRAFTROOM_TEST_HOT_JOURNAL"

func init() {
	if path := os.Getenv(hotJournalEnv); path != "" {
		leaveHotJournal(path)
	}
}

// leaveHotJournal switches the database at path to a rollback journal,
// writes more than the page cache holds inside a transaction, so that
// changed pages reach the file, and exits without committing, as a killed
// writer would.
func leaveHotJournal(path string) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(DELETE)&_pragma=cache_size(10)")
	if err != nil {
		os.Exit(2)
	}
	db.SetMaxOpenConns(1)
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		os.Exit(3)
	}
	for _, q := range []string{
		`BEGIN IMMEDIATE`,
		`CREATE TABLE half_written (b BLOB)`,
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM n WHERE i < 300) INSERT INTO half_written SELECT randomblob(4000) FROM n`,
		`UPDATE streams SET head = head + 1000`,
	} {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			os.Stderr.WriteString(q + ": " + err.Error() + "\n")
			os.Exit(4)
		}
	}
	os.Exit(0) // no COMMIT, no close: the journal stays hot
}

// TestRecoverHotJournal: a database left by a writer that died inside a
// transaction is recovered by verify, backup and open alike, which see
// exactly the committed events; before, a read-only open refused it with
// "attempt to write a readonly database".
func TestRecoverHotJournal(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "crashed.db")
	out := writeLog(t, path, 5)

	crash := func() {
		t.Helper()
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), hotJournalEnv+"="+path)
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("the crashing writer failed before crashing: %v\n%s", err, b)
		}
		if fi, err := os.Stat(path + "-journal"); err != nil || fi.Size() == 0 {
			t.Fatalf("no hot journal beside the database after the crash: %v", err)
		}
	}

	crash()
	rep := mustVerify(t, path, 5)
	if rep.Head != out[4].Hash {
		t.Errorf("head after recovery %s, want the last committed event's %s", rep.Head, out[4].Hash)
	}
	if _, err := os.Stat(path + "-journal"); !os.IsNotExist(err) {
		t.Errorf("the hot journal is still there after verify: %v", err)
	}

	crash()
	cp := filepath.Join(dir, "copy.db")
	if _, err := Backup(ctx, path, cp); err != nil {
		t.Fatalf("backup of a crashed database: %v", err)
	}
	mustVerify(t, cp, 5)

	crash()
	l, err := Open(ctx, path, Options{})
	if err != nil {
		t.Fatalf("open of a crashed database: %v", err)
	}
	defer l.Close()
	evs, err := l.Read(ctx, "doc/a", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 5 {
		t.Fatalf("read %d events after recovery, want the 5 committed", len(evs))
	}
	if h, _, _ := l.Head(ctx, "doc/a"); h != 5 {
		t.Errorf("stream head %d after recovery, want 5 (the uncommitted update must be rolled back)", h)
	}
}
