package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/draftroom/draftroom/engine/chain"
	"github.com/draftroom/draftroom/engine/postgres"
	"github.com/draftroom/draftroom/engine/sqlite"
)

func init() { register(&backupCommand{}) }

// backupCommand copies a database, live or not, to a new file and checks
// the copy.
type backupCommand struct{}

func (*backupCommand) Name() string { return "backup" }
func (*backupCommand) Synopsis() string {
	return "copy a database (SQLite or PostgreSQL) to a new SQLite file, then check the copy's integrity and chain"
}

func (c *backupCommand) Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: draftroom backup DB OUT\n\nCopies DB to the new SQLite file OUT while a server may be writing to DB, then\nchecks OUT and walks its hash chain. OUT must not exist. A SQLite DB is copied\nwith VACUUM INTO and checked with PRAGMA integrity_check; a postgres:// DB is\ncopied event by event as 'draftroom store copy' does and must end at the head\nDB had when the copy began.")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return fmt.Errorf("%w: expected DB and OUT, got %d arguments", errUsage, fs.NArg())
	}
	var rep chain.Report
	if postgres.IsURL(fs.Arg(0)) {
		if _, err := os.Lstat(fs.Arg(1)); err == nil {
			return fmt.Errorf("%s already exists; choose a new file for the backup", fs.Arg(1))
		}
		r, _, err := copyStore(ctx, fs.Arg(0), fs.Arg(1))
		if err != nil {
			return err
		}
		rep = r
	} else {
		r, err := sqlite.Backup(ctx, fs.Arg(0), fs.Arg(1))
		if err != nil {
			return storeError(err)
		}
		rep = r
	}
	fmt.Fprintf(stdout, "ok: %s written and checked, %d events verified, head %s\n", fs.Arg(1), rep.Events, headOf(rep))
	return nil
}
