// Command draftroom is the negotiation room for multilateral draft reports.
//
// Each subcommand is one type with its own flag.FlagSet, registered from
// the file that defines it; main only dispatches.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// command is one draftroom subcommand.
type command interface {
	// Name is the word typed after "draftroom".
	Name() string
	// Synopsis is the one-line help shown by "draftroom help".
	Synopsis() string
	// Run executes the subcommand with the arguments that follow its name.
	Run(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

var commands = map[string]command{}

// register adds a subcommand; each subcommand's file calls it from init.
func register(c command) { commands[c.Name()] = c }

// errUsage marks an error caused by wrong arguments; main exits with 2.
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "draftroom: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	if err := c.Run(ctx, args[1:], stdout, stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		if errors.Is(err, errUsage) {
			fmt.Fprintf(stderr, "draftroom %s: %v\n", c.Name(), err)
			return 2
		}
		fmt.Fprintf(stderr, "draftroom %s: %v\n", c.Name(), err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "draftroom: the negotiation room for multilateral draft reports.")
	fmt.Fprintln(w, "\nUsage: draftroom COMMAND [flags] [args]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].Synopsis())
	}
	fmt.Fprintln(w, "\nRun 'draftroom COMMAND -h' for a command's flags.")
}
