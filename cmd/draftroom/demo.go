package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/draftroom/draftroom/cmd/draftroom/scenario"
	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/server"
)

func init() { register(&demoCommand{}) }

// demoCommand plays a seed process end to end against a server of its
// own, so that a newcomer can watch it happen in the browser.
type demoCommand struct{}

func (*demoCommand) Name() string { return "demo" }
func (*demoCommand) Synopsis() string {
	return "play a seed process end to end (" + strings.Join(scenario.Names(), ", ") + ") on a server you can watch"
}

func (c *demoCommand) Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dbPath := fs.String("db", "", "SQLite database file; must not exist yet (default: a new file in the temporary directory)")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	pace := fs.Duration("pace", 1500*time.Millisecond, "pause after each step, to follow it in the browser; 0 plays at full speed")
	exports := fs.String("exports", "", "write the texts the script downloads (clean, compare, compilation, status) to this directory (default: NAME-exports next to the database)")
	exit := fs.Bool("exit", false, "stop when the script has ended instead of serving on")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: draftroom demo [flags] NAME [flags]\n\nPlays a seed process from set-up to adopted report through the API, as its people would.\nNAME is one of:\n")
		for _, n := range scenario.Names() {
			fmt.Fprintf(stderr, "  %-22s %s\n", n, scenario.Title(n))
		}
		fmt.Fprintln(stderr, "\nFlags:")
		fs.PrintDefaults()
	}
	// Flags may come before or after the name:
	// "draftroom demo permanent-mechanism -pace 0.2s" works.
	var names []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		names = append(names, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(names) != 1 {
		fs.Usage()
		return fmt.Errorf("%w: expected one NAME, got %d: %s", errUsage, len(names), strings.Join(names, " "))
	}
	name := names[0]
	if scenario.Title(name) == "" {
		return fmt.Errorf("%w: no seed process %q; the names are %s", errUsage, name, strings.Join(scenario.Names(), ", "))
	}
	if *dbPath == "" {
		dir, err := os.MkdirTemp("", "draftroom-demo-")
		if err != nil {
			return err
		}
		*dbPath = filepath.Join(dir, name+".db")
	} else if _, err := os.Stat(*dbPath); err == nil {
		return fmt.Errorf("%s already exists: the demo plays a process from its set-up, on a new database", *dbPath)
	}
	if *exports == "" {
		// The script's downloads are always written somewhere, and the
		// end of the play says where.
		*exports = filepath.Join(filepath.Dir(*dbPath), name+"-exports")
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	log, err := openLog(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer log.Close()
	srv, err := server.New(ctx, server.Config{Log: log})
	if err != nil {
		return fmt.Errorf("%s: %s", *dbPath, engine.ErrorMessage(err))
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		srv.Close()
		return err
	}
	base := "http://" + ln.Addr().String()
	sys := engine.Actor{Person: "system", Role: engine.RoleSystem}
	dir := srv.Directory()
	code := ""
	for _, p := range []server.Person{
		{ID: "secretariat", Name: "Secretariat", Role: engine.RoleSecretariat},
		{ID: "watcher", Name: "Newcomer watching the demo", Role: engine.RoleObserver, Org: "draftroom demo"},
	} {
		if _, err := dir.AddPerson(ctx, sys, p); err != nil {
			srv.Close()
			return err
		}
		c, err := dir.IssueLogin(ctx, sys, p.ID)
		if err != nil {
			srv.Close()
			return err
		}
		if p.ID == "secretariat" {
			code = c
		} else {
			fmt.Fprintf(stdout, "draftroom demo %s on %s (database %s)\nWatch it: open %s/login?code=%s and then the room from the document list.\n\n", name, base, *dbPath, base, c)
		}
	}
	serveCtx, stop := context.WithCancel(ctx)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- srv.Serve(serveCtx, ln) }()

	start := time.Now()
	res, err := scenario.Play(ctx, base, code, name, scenario.Options{Out: stdout, Pace: *pace, Exports: *exports})
	if err != nil {
		stop()
		<-served
		return err
	}
	fmt.Fprintf(stdout, "\n%s played to the end: %d steps in %s", name, res.Steps, time.Since(start).Round(time.Millisecond))
	if len(res.Files) > 0 {
		fmt.Fprintf(stdout, "; texts in %s: %s", *exports, strings.Join(res.Files, ", "))
	}
	fmt.Fprintln(stdout)
	if *exit {
		stop()
	} else {
		fmt.Fprintf(stdout, "Still serving on %s; Ctrl-C stops.\n", base)
	}
	if err := <-served; err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
