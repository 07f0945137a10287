package postgres

import (
	"context"
	"testing"

	"github.com/draftroom/draftroom/engine/chain"
	"github.com/draftroom/draftroom/engine/postgres/pgtest"
	"github.com/draftroom/draftroom/engine/storetest"
)

// store is a PostgreSQL database of its own for the contract suite.
type store struct{ url string }

func (s store) Name() string {
	_, name, _ := parseURL(s.url)
	return name
}

func (s store) Dialect() string { return "postgres" }

func (s store) Open(t testing.TB, o storetest.Options) (storetest.Log, error) {
	l, err := Open(context.Background(), s.url, Options{NoGroupCommit: o.NoGroupCommit, AnchorFile: o.AnchorFile})
	if err != nil {
		return nil, err
	}
	return l, nil
}

func (s store) Verify(t testing.TB, anchors []chain.Anchor) (chain.Report, error) {
	return Verify(context.Background(), s.url, anchors)
}

func (s store) Exec(t testing.TB, query string, args ...any) {
	t.Helper()
	pgtest.Exec(t, s.url, query, args...)
}

// TestContract runs the contract of every draftroom event log
// (engine/storetest) on PostgreSQL, a schema per test.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t testing.TB) storetest.Store { return store{pgtest.NewSchema(t)} })
}
