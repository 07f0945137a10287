package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/draftroom/draftroom/engine/sqlite"
)

func init() { register(&backupCommand{}) }

// backupCommand copies a database, live or not, to a new file and checks
// the copy.
type backupCommand struct{}

func (*backupCommand) Name() string { return "backup" }
func (*backupCommand) Synopsis() string {
	return "copy a database to a new file (VACUUM INTO), then check the copy's integrity and chain"
}

func (c *backupCommand) Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: draftroom backup DB OUT\n\nCopies DB to the new file OUT while a server may be writing to DB, then\nruns PRAGMA integrity_check on OUT and walks its hash chain. OUT must not exist.")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return fmt.Errorf("%w: expected DB and OUT, got %d arguments", errUsage, fs.NArg())
	}
	rep, err := sqlite.Backup(ctx, fs.Arg(0), fs.Arg(1))
	if err != nil {
		return storeError(err)
	}
	fmt.Fprintf(stdout, "ok: %s written and checked, %d events verified, head %s\n", fs.Arg(1), rep.Events, headOf(rep))
	return nil
}
