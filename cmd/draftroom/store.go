package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/sqlite"
)

func init() {
	register(&verifyCommand{})
	register(&backupCommand{})
}

// openLog opens the SQLite event log at path; errors name the file.
func openLog(ctx context.Context, path string) (engine.EventLog, error) {
	l, err := sqlite.Open(ctx, path, sqlite.Options{})
	if err != nil {
		return nil, errors.New(engine.ErrorMessage(err))
	}
	return l, nil
}

// verifyCommand walks the hash chain of a database.
type verifyCommand struct{}

func (*verifyCommand) Name() string { return "verify" }
func (*verifyCommand) Synopsis() string {
	return "walk the hash chain of a database and report the first broken link"
}

func (c *verifyCommand) Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, "Usage: draftroom verify DB") }
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("%w: expected one DB", errUsage)
	}
	rep, err := sqlite.Verify(ctx, fs.Arg(0))
	if err != nil {
		return errors.New(engine.ErrorMessage(err))
	}
	if rep.Broken != nil {
		fmt.Fprintf(stdout, "BROKEN after %d good events: %s\n", rep.Events, rep.Broken)
		return fmt.Errorf("the hash chain of %s is broken at event %d", fs.Arg(0), rep.Broken.Seq)
	}
	fmt.Fprintf(stdout, "ok: %d events verified, head %s\n", rep.Events, rep.Head)
	return nil
}

// backupCommand copies a live database safely.
type backupCommand struct{}

func (*backupCommand) Name() string { return "backup" }
func (*backupCommand) Synopsis() string {
	return "copy a database (VACUUM INTO), then check the copy's integrity and chain"
}

func (c *backupCommand) Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, "Usage: draftroom backup DB OUT") }
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return fmt.Errorf("%w: expected DB and OUT", errUsage)
	}
	rep, err := sqlite.Backup(ctx, fs.Arg(0), fs.Arg(1))
	if err != nil {
		return errors.New(engine.ErrorMessage(err))
	}
	fmt.Fprintf(stdout, "ok: %s written, %d events verified, head %s\n", fs.Arg(1), rep.Events, rep.Head)
	return nil
}
