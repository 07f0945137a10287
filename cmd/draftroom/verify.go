package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/chain"
	"github.com/draftroom/draftroom/engine/postgres"
)

func init() { register(&verifyCommand{}) }

// verifyCommand walks the hash chain of a database, read-only, and checks
// that the heads seen earlier are still in it.
type verifyCommand struct{}

func (*verifyCommand) Name() string { return "verify" }
func (*verifyCommand) Synopsis() string {
	return "walk the hash chain of a database (read-only), check heads seen earlier, report the first broken link"
}

func (c *verifyCommand) Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var heads stringList
	fs.Var(&heads, "head", "a head seen earlier, `SEQ:HASH` as verify prints it or a bare HASH as exports name it, that must still be in the chain (repeatable)")
	anchorFile := fs.String("anchors", "", "the server's anchor `FILE` (serve -anchors); default DB.anchors when DB is a SQLite file and it exists; \"none\" to check none")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: draftroom verify DB [-head SEQ:HASH]... [-anchors FILE]\n\nDB is a SQLite file or a postgres:// URL. Opens DB read-only, recomputes the hash of every event in order, checks that\nevery head given and every anchor in the anchor file is still in the chain, and\nprints \"ok: N events verified, head SEQ:HASH\", or the first broken link and\nexits 1.\n\nFlags (before or after DB):")
		fs.PrintDefaults()
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return fmt.Errorf("%w: expected one DB, got %d arguments", errUsage, len(pos))
	}
	db := pos[0]
	var anchors []chain.Anchor
	for _, h := range heads {
		a, err := chain.ParseAnchor(h)
		if err != nil {
			return fmt.Errorf("%w: %s", errUsage, engine.ErrorMessage(err))
		}
		a.Source = "-head " + h
		anchors = append(anchors, a)
	}
	file := *anchorFile
	if file == "" && !postgres.IsURL(db) {
		if _, err := os.Stat(db + ".anchors"); err == nil {
			file = db + ".anchors"
		}
	}
	fromFile := 0
	if file != "" && file != "none" {
		as, err := chain.ReadAnchors(file)
		if err != nil {
			return errors.New(engine.ErrorMessage(err))
		}
		fromFile = len(as)
		anchors = append(anchors, as...)
	}
	rep, err := verifyStore(ctx, db, anchors)
	if err != nil {
		return storeError(err)
	}
	if rep.Broken != nil {
		fmt.Fprintf(stdout, "broken: %s\n%d events verified before it, head %s\n", rep.Broken, rep.Events, headOf(rep))
		return fmt.Errorf("the hash chain of %s is broken at event %d", storeName(db), rep.Broken.Seq)
	}
	fmt.Fprintf(stdout, "ok: %d events verified, head %s\n", rep.Events, headOf(rep))
	if len(heads) > 0 {
		fmt.Fprintf(stdout, "ok: %d heads given are in the chain\n", len(heads))
	}
	if file != "" && file != "none" {
		fmt.Fprintf(stdout, "ok: %d anchors of %s are in the chain\n", fromFile, file)
	}
	return nil
}

// parseInterleaved parses flags that may come before, between or after
// the positional arguments, which it returns.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// headOf prints the head of a verified chain as SEQ:HASH, the form
// verify -head reads back, or says the log is empty.
func headOf(rep chain.Report) string {
	if rep.Head == "" {
		return "(none: the log is empty)"
	}
	return strconv.FormatUint(rep.HeadSeq, 10) + ":" + rep.Head
}
