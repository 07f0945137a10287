package server

import (
	"context"
	"testing"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/sqlite"
)

// openTestLog opens a real SQLite event log; it closes with the test.
func openTestLog(t testing.TB, path string) engine.EventLog {
	t.Helper()
	l, err := sqlite.Open(context.Background(), path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	return l
}
