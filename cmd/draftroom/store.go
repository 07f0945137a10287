package main

import (
	"context"
	"errors"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/sqlite"
)

// openLog opens the SQLite event log at path; errors name the file.
func openLog(ctx context.Context, path string) (engine.EventLog, error) {
	return openLogWith(ctx, path, sqlite.Options{})
}

// openLogWith opens the SQLite event log at path with options.
func openLogWith(ctx context.Context, path string, opts sqlite.Options) (engine.EventLog, error) {
	l, err := sqlite.Open(ctx, path, opts)
	if err != nil {
		return nil, storeError(err)
	}
	return l, nil
}

// storeError is what a subcommand prints for an error of the store: the
// message of an *engine.Error, which is written for people and names the
// file, without the SQLite detail kept in its chain for logs; any other
// error as it is, since the person at the terminal runs the program.
func storeError(err error) error {
	var e *engine.Error
	if errors.As(err, &e) {
		return errors.New(e.Message)
	}
	return err
}
