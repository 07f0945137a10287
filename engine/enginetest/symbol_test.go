package enginetest

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/sqlite"
)

// TestConcurrentSymbolAllocation: two secretariat officers (two nodes, or
// a server and "draftroom import") each hold the permanent mechanism as
// stored and register a document at the same moment, both for the 2026
// plenary, on a real SQLite log. Both decide A/AC.292/2026/CRP.1 on the
// state they hold; the log takes one append and refuses the other, whose
// expected sequence is stale; that officer catches up from the log and
// decides again. The two documents get distinct, consecutive symbols, and
// the process loaded from the log has them.
func TestConcurrentSymbolAllocation(t *testing.T) {
	ctx := context.Background()
	log, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "symbols.db"), sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer log.Close()
	sys := engine.Context{Now: utc("2025-06-01T09:00"), Actor: engine.Actor{Person: "system", Role: engine.RoleSystem}}
	p, evs, err := engine.BuildProcess(sys, loadTemplate(t, "permanent-mechanism"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := log.Append(ctx, engine.ProcessStream(p.ID), 0, evs); err != nil {
		t.Fatal(err)
	}
	sec := engine.Context{Now: utc("2026-02-01T09:00"), Actor: engine.Actor{Person: "sec", Role: engine.RoleSecretariat}}

	// register is one officer: decide on the process as this officer
	// holds it, append expecting its sequence, and on a conflict catch
	// up and decide again.
	type officer struct {
		p       *engine.Process
		seq     uint64
		retries int
		symbol  string
	}
	load := func() *officer {
		p, seq, err := engine.LoadProcess(ctx, log, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		return &officer{p: p, seq: seq}
	}
	a, b := load(), load()
	var decided sync.WaitGroup
	decided.Add(2)
	register := func(o *officer, doc engine.DocumentID) error {
		cmd := engine.RegisterDocument{Document: doc, Body: "plenary", Type: engine.ElementsPaper, Title: string(doc), Meeting: "plenary-2026"}
		first := true
		for {
			evs, err := o.p.Decide(sec, cmd)
			if err != nil {
				return err
			}
			if first {
				// Both have decided on the same state before either
				// appends: the race is certain, not left to timing.
				decided.Done()
				decided.Wait()
				first = false
			}
			stored, err := log.Append(ctx, engine.ProcessStream(p.ID), o.seq, evs)
			if engine.ErrorCode(err) == engine.ECONFLICT {
				o.retries++
				fresh := load()
				o.p, o.seq = fresh.p, fresh.seq
				continue
			}
			if err != nil {
				return err
			}
			for _, e := range stored {
				if err := o.p.Apply(e); err != nil {
					return err
				}
				o.seq = e.StreamSeq
			}
			o.symbol = stored[0].Data.(*engine.DocumentRegistered).Document.Symbol
			return nil
		}
	}
	errs := make(chan error, 2)
	go func() { errs <- register(a, "paper-a") }()
	go func() { errs <- register(b, "paper-b") }()
	for range 2 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if a.retries+b.retries != 1 {
		t.Errorf("%d retries, want exactly 1: the log refuses the second append of the same state", a.retries+b.retries)
	}
	got := map[string]bool{a.symbol: true, b.symbol: true}
	if !got["A/AC.292/2026/CRP.1"] || !got["A/AC.292/2026/CRP.2"] {
		t.Fatalf("symbols %q and %q, want A/AC.292/2026/CRP.1 and CRP.2", a.symbol, b.symbol)
	}
	stored, _, err := engine.LoadProcess(ctx, log, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range []struct {
		doc engine.DocumentID
		sym string
	}{{"paper-a", a.symbol}, {"paper-b", b.symbol}} {
		x, err := stored.Document(o.doc)
		if err != nil || x.Symbol != o.sym {
			t.Errorf("%s replayed from the log: %+v, %v; want %s", o.doc, x, err, o.sym)
		}
	}
	if n := stored.Symbols["A/AC.292/2026/CRP."]; n != 2 {
		t.Errorf("counter for A/AC.292/2026/CRP. = %d, want 2", n)
	}
}
