package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestPragmas checks that the connections get the settings dsn promises.
func TestPragmas(t *testing.T) {
	ctx := context.Background()
	l := open(t, filepath.Join(t.TempDir(), "log.db"), Options{BusyTimeout: 1234 * time.Millisecond})
	for _, tt := range []struct {
		conn   string
		pragma string
		want   string
	}{
		{"write", "journal_mode", "wal"},
		{"write", "synchronous", "2"}, // FULL
		{"write", "busy_timeout", "1234"},
		{"write", "query_only", "0"},
		{"read", "query_only", "1"},
		{"read", "busy_timeout", "1234"},
	} {
		db := l.read
		if tt.conn == "write" {
			db = l.write // no append is running: the committer is idle
		}
		var got string
		if err := db.QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got); err != nil || got != tt.want {
			t.Errorf("%s connection: PRAGMA %s = %q, %v; want %q", tt.conn, tt.pragma, got, err, tt.want)
		}
	}
	if _, err := l.read.ExecContext(ctx, `DELETE FROM events`); err == nil {
		t.Error("the read pool accepted a write")
	}
}

// TestOddFileNames opens logs whose names hold characters that mean
// something in a SQLite URI.
func TestOddFileNames(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, name := range []string{"a b.db", "what?.db", "hash#tag.db", "per%20cent.db", "mode=ro&x.db"} {
		path := filepath.Join(dir, name)
		l := open(t, path, Options{})
		if _, err := l.Append(ctx, "doc/a", 0, notes(0, 1)); err != nil {
			t.Errorf("%q: %v", name, err)
			continue
		}
		l.Close()
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%q: the database is not where it was asked to be: %v", name, err)
		}
		mustVerify(t, path, 1)
	}
}
