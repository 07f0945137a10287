package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/draftroom/draftroom/engine/sqlite"
)

func init() { register(&verifyCommand{}) }

// verifyCommand walks the hash chain of a database, read-only.
type verifyCommand struct{}

func (*verifyCommand) Name() string { return "verify" }
func (*verifyCommand) Synopsis() string {
	return "walk the hash chain of a database (read-only) and report the first broken link"
}

func (c *verifyCommand) Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: draftroom verify DB\n\nOpens DB read-only, recomputes the hash of every event in order and prints\n\"ok: N events verified, head HASH\", or the first broken link and exits 1.")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("%w: expected one DB, got %d arguments", errUsage, fs.NArg())
	}
	db := fs.Arg(0)
	rep, err := sqlite.Verify(ctx, db)
	if err != nil {
		return storeError(err)
	}
	if rep.Broken != nil {
		fmt.Fprintf(stdout, "broken: %s\n%d events verified before it, head %s\n", rep.Broken, rep.Events, headOrNone(rep.Head))
		return fmt.Errorf("the hash chain of %s is broken at event %d", db, rep.Broken.Seq)
	}
	fmt.Fprintf(stdout, "ok: %d events verified, head %s\n", rep.Events, headOrNone(rep.Head))
	return nil
}

// headOrNone prints a log head, or says the log is empty.
func headOrNone(h string) string {
	if h == "" {
		return "(none: the log is empty)"
	}
	return h
}
