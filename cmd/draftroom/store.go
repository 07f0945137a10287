package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/chain"
	"github.com/draftroom/draftroom/engine/postgres"
	"github.com/draftroom/draftroom/engine/sqlite"
)

// storeOptions are the settings of a store that subcommands pass on.
type storeOptions struct {
	// anchorFile is the anchor file the log writes its head to, "" for
	// none.
	anchorFile string
	// minFree is sqlite.Options.MinFree (SQLite only).
	minFree int64
}

// storeLog is what draftroom's logs offer beyond engine.EventLog: the
// raw rows and snapshots that store copy moves, and health.
type storeLog interface {
	engine.EventLog
	chain.Sink
	Health() error
}

var (
	_ storeLog = (*sqlite.Log)(nil)
	_ storeLog = (*postgres.Log)(nil)
)

// openLog opens the event log db names, with default settings: a
// PostgreSQL database when db is a postgres:// URL, a SQLite file
// otherwise. Errors name the file or the database.
func openLog(ctx context.Context, db string) (engine.EventLog, error) {
	return openStore(ctx, db, storeOptions{})
}

// openStore opens the event log db names (a postgres:// URL or a SQLite
// file) with options.
func openStore(ctx context.Context, db string, opts storeOptions) (storeLog, error) {
	if postgres.IsURL(db) {
		l, err := postgres.Open(ctx, db, postgres.Options{AnchorFile: opts.anchorFile})
		if err != nil {
			return nil, storeError(err)
		}
		return l, nil
	}
	l, err := sqlite.Open(ctx, db, sqlite.Options{AnchorFile: opts.anchorFile, MinFree: opts.minFree})
	if err != nil {
		return nil, storeError(err)
	}
	return l, nil
}

// storeName is how messages name the store db: a URL without its
// password, or the file.
func storeName(db string) string {
	if postgres.IsURL(db) {
		return postgres.Redact(db)
	}
	return db
}

// verifyStore walks the chain of the store db, read-only, checking
// anchors.
func verifyStore(ctx context.Context, db string, anchors []chain.Anchor) (chain.Report, error) {
	if postgres.IsURL(db) {
		return postgres.Verify(ctx, db, anchors)
	}
	return sqlite.VerifyAnchored(ctx, db, anchors)
}

// storeError is what a subcommand prints for an error of the store: the
// message of an *engine.Error, which is written for people and names the
// file, without the SQLite or PostgreSQL detail kept in its chain for
// logs; any other error as it is, since the person at the terminal runs
// the program.
func storeError(err error) error {
	var e *engine.Error
	if errors.As(err, &e) {
		return errors.New(e.Message)
	}
	return err
}

func init() { register(&storeCommand{}) }

// storeCommand gathers the operations on a whole store: copy.
type storeCommand struct{}

func (*storeCommand) Name() string { return "store" }
func (*storeCommand) Synopsis() string {
	return "copy FROM TO: move a whole log between SQLite files and PostgreSQL databases, verified"
}

func (c *storeCommand) Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("store", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, `Usage: draftroom store copy FROM TO

Copies the whole event log FROM (a SQLite file or a postgres:// URL) into TO
(a new or empty SQLite file, or an empty PostgreSQL database or schema):
every event byte for byte, with its sequence numbers and hashes, and the
snapshots. FROM is verified first and a broken chain is not copied; the copy
is verified afterwards and must end at the same head (SEQ:HASH), so every
anchor and every export hash of FROM holds for TO. FROM may be in use; events
appended to it after the copy starts are not copied.`)
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 3 || fs.Arg(0) != "copy" {
		fs.Usage()
		return fmt.Errorf("%w: expected copy FROM TO", errUsage)
	}
	from, to := fs.Arg(1), fs.Arg(2)
	rep, n, err := copyStore(ctx, from, to)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "ok: %d events copied from %s to %s and verified, head %s on both\n", n, storeName(from), storeName(to), headOf(rep))
	return nil
}

// copyStore verifies from, copies it into to and verifies the copy, which
// must end at the head from had when the copy began.
func copyStore(ctx context.Context, from, to string) (chain.Report, uint64, error) {
	if from == to {
		return chain.Report{}, 0, fmt.Errorf("%w: FROM and TO are the same store", errUsage)
	}
	src, err := verifyStore(ctx, from, nil)
	if err != nil {
		return src, 0, storeError(err)
	}
	if src.Broken != nil {
		return src, 0, fmt.Errorf("%s does not verify (%s): a broken chain is not copied", storeName(from), src.Broken)
	}
	in, err := openStore(ctx, from, storeOptions{minFree: -1})
	if err != nil {
		return src, 0, err
	}
	defer in.Close()
	out, err := openStore(ctx, to, storeOptions{minFree: -1})
	if err != nil {
		return src, 0, err
	}
	n, err := chain.Copy(ctx, in, out, src.HeadSeq)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return src, n, fmt.Errorf("copy %s to %s: %w", storeName(from), storeName(to), storeError(err))
	}
	dst, err := verifyStore(ctx, to, nil)
	if err != nil {
		return src, n, storeError(err)
	}
	if dst.Broken != nil || dst.HeadSeq != src.HeadSeq || dst.Head != src.Head {
		return dst, n, fmt.Errorf("the copy %s does not end where %s did: head %s, broken %v; want head %s", storeName(to), storeName(from), headOf(dst), dst.Broken, headOf(src))
	}
	return dst, n, nil
}
