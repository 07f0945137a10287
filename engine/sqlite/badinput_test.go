package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// makeSQLite creates a SQLite database at path with the given statements,
// outside draftroom.
func makeSQLite(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
}

// TestOpenRefuses hands Open, Verify and Backup files that are not a
// draftroom database they can use, and checks that each is refused with
// a message naming the file, and left byte for byte as it was.
func TestOpenRefuses(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name    string
		make    func(t *testing.T, path string)
		wantMsg string // %s is the path
	}{
		{"garbage", func(t *testing.T, path string) {
			os.WriteFile(path, []byte("this is a Word document, honest\n"+strings.Repeat("x", 5000)), 0o644)
		}, "%s is not a draftroom database: it is not a SQLite file"},
		{"shorter than a header", func(t *testing.T, path string) {
			os.WriteFile(path, []byte("SQLite"), 0o644)
		}, "%s is not a draftroom database: it is not a SQLite file"},
		{"a SQLite header and garbage", func(t *testing.T, path string) {
			os.WriteFile(path, append([]byte(sqliteMagic), bytes.Repeat([]byte{0xff}, 8192)...), 0o644)
		}, "%s is not a draftroom database: SQLite cannot read it"},
		{"another application's database", func(t *testing.T, path string) {
			makeSQLite(t, path, `CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)`, `INSERT INTO customers VALUES (1, 'ACME')`)
		}, "%s is not a draftroom database: it is a SQLite database of another application"},
		{"another application's database in WAL mode", func(t *testing.T, path string) {
			makeSQLite(t, path, `PRAGMA journal_mode = WAL`, `CREATE TABLE events (seq INTEGER)`)
		}, "%s is not a draftroom database: it is a SQLite database of another application"},
		{"another application's empty database with an id", func(t *testing.T, path string) {
			makeSQLite(t, path, `PRAGMA application_id = 1234`, `CREATE TABLE x (y)`, `DROP TABLE x`)
		}, "%s is not a draftroom database: it is a SQLite database of another application"},
		{"a newer draftroom's database", func(t *testing.T, path string) {
			l, err := Open(ctx, path, Options{})
			if err != nil {
				t.Fatal(err)
			}
			l.Append(ctx, "doc/a", 0, notes(0, 1))
			l.Close()
			makeSQLite(t, path, `INSERT INTO schema_migrations VALUES (999, '0999_future.sql', '2030-01-01T00:00:00Z')`, `PRAGMA wal_checkpoint(TRUNCATE)`)
		}, fmt.Sprintf("%%s: database schema version 999 is newer than this draftroom (knows up to %d); upgrade draftroom", SchemaVersion())},
		{"a directory", func(t *testing.T, path string) {
			os.Mkdir(path, 0o755)
		}, "%s is a directory, not a draftroom database"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "in.db")
			tt.make(t, path)
			before := snapshotDir(t, dir)
			want := fmt.Sprintf(tt.wantMsg, path)
			l, err := Open(ctx, path, Options{})
			if err == nil {
				l.Close()
			}
			if engine.ErrorCode(err) != engine.EINVALID || engine.ErrorMessage(err) != want {
				t.Errorf("Open: got %v (%s), want invalid %q", err, engine.ErrorCode(err), want)
			}
			if _, err := Verify(ctx, path); engine.ErrorMessage(err) != want {
				t.Errorf("Verify: got %v, want %q", err, want)
			}
			out := filepath.Join(t.TempDir(), "backup.db")
			if _, err := Backup(ctx, path, out); engine.ErrorMessage(err) != want {
				t.Errorf("Backup: got %v, want %q", err, want)
			}
			if _, err := os.Stat(out); err == nil {
				t.Error("Backup of a refused file left a copy")
			}
			if after := snapshotDir(t, dir); after != before {
				t.Errorf("the refused file was changed:\nbefore %s\nafter  %s", before, after)
			}
		})
	}
}

// snapshotDir describes every file in dir and its bytes.
func snapshotDir(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, _ := os.ReadFile(p)
		fmt.Fprintf(&b, "%s:%x ", filepath.Base(p), data)
		return nil
	})
	return fmt.Sprintf("%.200s… (%d bytes)", b.String(), b.Len())
}

func TestMissingFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "none.db")
	want := path + " does not exist"
	if _, err := Verify(ctx, path); engine.ErrorCode(err) != engine.ENOTFOUND || engine.ErrorMessage(err) != want {
		t.Errorf("Verify: got %v, want not found %q", err, want)
	}
	if _, err := Backup(ctx, path, path+".bak"); engine.ErrorMessage(err) != want {
		t.Errorf("Backup: got %v, want %q", err, want)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("Verify or Backup created the missing file")
	}
}

// fillUp appends batches of 20 large events from several goroutines until
// the disk is full, and returns, per stream, the events acknowledged and
// the first error.
func fillUp(t *testing.T, l *Log) (map[engine.StreamID][]engine.Event, error) {
	t.Helper()
	ctx := context.Background()
	var mu sync.Mutex
	acked := map[engine.StreamID][]engine.Event{}
	var firstErr error
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			stream := engine.StreamID(fmt.Sprintf("doc/%d", w))
			var seq uint64
			for i := 0; i < 10000; i++ {
				batch := notes(i, 20)
				for j := range batch {
					batch[j].Data = &note{N: j, Text: strings.Repeat("текст ", 300)}
				}
				out, err := l.Append(ctx, stream, seq, batch)
				mu.Lock()
				if err != nil {
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				acked[stream] = append(acked[stream], out...)
				mu.Unlock()
				seq = out[len(out)-1].StreamSeq
			}
		}(w)
	}
	wg.Wait()
	return acked, firstErr
}

// checkAfterFull checks that every acknowledged event is stored, that
// only whole batches are, and that the chain verifies.
func checkAfterFull(t *testing.T, path string, l *Log, acked map[engine.StreamID][]engine.Event) {
	t.Helper()
	ctx := context.Background()
	var total uint64
	for stream, evs := range acked {
		got, err := l.Read(ctx, stream, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(evs) || len(got)%20 != 0 {
			t.Errorf("%s holds %d events, %d were acknowledged; want the same, in whole batches of 20", stream, len(got), len(evs))
		}
		for i := range min(len(got), len(evs)) {
			if got[i].Hash != evs[i].Hash {
				t.Fatalf("%s event %d: stored hash %s, acknowledged %s", stream, i+1, got[i].Hash, evs[i].Hash)
			}
		}
		total += uint64(len(got))
	}
	if total == 0 {
		t.Fatal("nothing was stored before the disk filled up; the test proves nothing")
	}
	mustVerify(t, path, total)
}

// TestDiskFull fills the database up to a size cap (max_page_count), the
// portable way to run out of space.
func TestDiskFull(t *testing.T) {
	path := filepath.Join(t.TempDir(), "full.db")
	l := open(t, path, Options{MaxPageCount: 60})
	acked, err := fillUp(t, l)
	want := "the disk holding " + path + " is full: nothing was stored; free space and try again"
	if engine.ErrorMessage(err) != want {
		t.Fatalf("disk full: got %v, want %q", err, want)
	}
	checkAfterFull(t, path, l, acked)
	// With room again, the log goes on from where it was.
	l.Close()
	l = open(t, path, Options{})
	stream := engine.StreamID("doc/0")
	seq, _, _ := l.Head(context.Background(), stream)
	if _, err := l.Append(context.Background(), stream, seq, notes(0, 1)); err != nil {
		t.Fatalf("append after making room: %v", err)
	}
}

// TestDiskFullTmpfs runs out of real space on a small tmpfs: the WAL
// cannot grow and the kernel says ENOSPC. It needs root (to mount) and is
// skipped otherwise; TestDiskFull covers the same path with a size cap.
func TestDiskFullTmpfs(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := filepath.Join(t.TempDir(), "mnt")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	path := filepath.Join(dir, "full.db")
	l := open(t, path, Options{})
	acked, err := fillUp(t, l)
	want := "the disk holding " + path + " is full: nothing was stored; free space and try again"
	if engine.ErrorMessage(err) != want {
		t.Fatalf("disk full: got %v, want %q", err, want)
	}
	checkAfterFull(t, path, l, acked)
}

// TestLockedDatabase holds the write lock from another connection beyond
// the busy timeout: the append fails with a clear message and writes
// nothing, reads and Verify still work, and once the lock is gone the
// same append succeeds.
func TestLockedDatabase(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "locked.db")
	l := open(t, path, Options{BusyTimeout: 100 * time.Millisecond})
	if _, err := l.Append(ctx, "doc/a", 0, notes(0, 2)); err != nil {
		t.Fatal(err)
	}
	for _, lock := range []string{"immediate", "exclusive"} {
		t.Run(lock, func(t *testing.T) {
			other, err := sql.Open("sqlite", "file:"+path+"?_txlock="+lock)
			if err != nil {
				t.Fatal(err)
			}
			defer other.Close()
			other.SetMaxOpenConns(1)
			tx, err := other.Begin()
			if err != nil {
				t.Fatal(err)
			}
			_, err = l.Append(ctx, "doc/a", 2, notes(2, 1))
			want := "the database " + path + " is locked by another program: nothing was stored; stop the other program and try again"
			if engine.ErrorMessage(err) != want {
				t.Errorf("append while locked: got %v, want %q", err, want)
			}
			if evs, err := l.Read(ctx, "doc/a", 0, 0); err != nil || len(evs) != 2 {
				t.Errorf("read while locked: %d events, %v; want 2", len(evs), err)
			}
			mustVerify(t, path, 2)
			tx.Rollback()
		})
	}
	if _, err := l.Append(ctx, "doc/a", 2, notes(2, 1)); err != nil {
		t.Fatalf("append once the lock is gone: %v", err)
	}
	mustVerify(t, path, 3)
}
