package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// waitHealth polls Health until ok(err) or a generous deadline; the
// deadline only bounds a failing test, it is no speed requirement.
func waitHealth(t *testing.T, l *Log, ok func(error) bool) error {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		err := l.Health()
		if ok(err) || time.Now().After(deadline) {
			return err
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestHealthFollowsWrites: a healthy log; a lock held by another program
// makes an append fail, and the log unhealthy with the same message; once
// the lock is gone the log's own probe writes and it is healthy again,
// without anyone appending.
func TestHealthFollowsWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "h.db")
	l := open(t, path, Options{BusyTimeout: 50 * time.Millisecond, ProbeEvery: 20 * time.Millisecond})
	if err := l.Health(); err != nil {
		t.Fatalf("a new log: %v", err)
	}
	if _, err := l.Append(ctx, "doc/a", 0, notes(0, 1)); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite", "file:"+path+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.SetMaxOpenConns(1)
	tx, err := other.Begin()
	if err != nil {
		t.Fatal(err)
	}
	_, aerr := l.Append(ctx, "doc/a", 1, notes(1, 1))
	want := "the database " + path + " is locked by another program: nothing was stored; stop the other program and try again"
	if engine.ErrorMessage(aerr) != want {
		t.Fatalf("append while locked: %v", aerr)
	}
	if err := l.Health(); engine.ErrorMessage(err) != want {
		t.Fatalf("health after the failed append: %v, want %q", err, want)
	}
	// The probe keeps failing while the lock is held.
	time.Sleep(100 * time.Millisecond)
	if err := l.Health(); err == nil {
		t.Fatal("health while still locked: nil")
	}
	tx.Rollback()
	if err := waitHealth(t, l, func(err error) bool { return err == nil }); err != nil {
		t.Fatalf("health after the lock is gone, with nobody appending: %v", err)
	}
	if _, err := l.Append(ctx, "doc/a", 1, notes(1, 1)); err != nil {
		t.Fatal(err)
	}
	mustVerify(t, path, 2)
	var n int
	if err := l.read.QueryRow(`SELECT count(*) FROM health_probe`).Scan(&n); err != nil || n != 0 {
		t.Errorf("health_probe holds %d rows (%v); a probe leaves nothing", n, err)
	}
}

// TestHealthDiskFree: a disk with less free space than MinFree is
// reported full before any append fails.
func TestHealthDiskFree(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h.db")
	free, ok := diskFree(path)
	if !ok {
		t.Skip("this platform cannot tell free space")
	}
	l := open(t, path, Options{MinFree: int64(free) * 4})
	if err := l.Health(); err == nil || !strings.Contains(engine.ErrorMessage(err), "the disk holding "+path+" is full") {
		t.Fatalf("health with MinFree above the free space: %v", err)
	}
	l2 := open(t, filepath.Join(t.TempDir(), "h2.db"), Options{MinFree: -1})
	if err := l2.Health(); err != nil {
		t.Fatalf("health with the check off: %v", err)
	}
}
