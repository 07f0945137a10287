package sqlite

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

func TestMigrationsNumbered(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || SchemaVersion() != len(ms) {
		t.Fatalf("%d migrations, SchemaVersion %d; want at least one, numbered 1…N", len(ms), SchemaVersion())
	}
}

func TestMigrationsRecorded(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "log.db")
	at := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)
	for round := 0; round < 2; round++ { // the second open applies nothing
		l := open(t, path, Options{Now: func() time.Time { return at.Add(time.Duration(round) * time.Hour) }})
		var n, version int
		var applied string
		if err := l.read.QueryRowContext(ctx, `SELECT count(*), max(version), min(applied) FROM schema_migrations`).Scan(&n, &version, &applied); err != nil {
			t.Fatal(err)
		}
		if n != SchemaVersion() || version != SchemaVersion() || applied != "2027-01-02T03:04:05Z" {
			t.Errorf("open %d: %d migrations recorded up to %d, applied %s; want %d, applied 2027-01-02T03:04:05Z", round+1, n, version, applied, SchemaVersion())
		}
		var appID int
		if err := l.read.QueryRowContext(ctx, `PRAGMA application_id`).Scan(&appID); err != nil || appID != applicationID {
			t.Errorf("application_id = %#x, %v; want %#x", appID, err, applicationID)
		}
		var mode string
		if err := l.read.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
			t.Errorf("journal_mode = %q, %v; want wal", mode, err)
		}
		l.Close()
	}
}
