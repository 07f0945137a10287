package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/draftroom/draftroom/engine"
)

func init() {
	register(&appendBurstCommand{})
	engine.RegisterEvent(func() engine.EventData { return new(storeProbe) })
}

// storeProbe is the event append-burst writes: a counter and the writer
// that appended it. It belongs to this command, not to the engine, and
// only ever lives in streams of its own.
type storeProbe struct {
	Writer  int `json:"writer"`
	Counter int `json:"counter"`
}

// EventType implements engine.EventData.
func (storeProbe) EventType() string { return "store.probe" }

// appendBurstCommand appends probe events from several concurrent writers
// and prints each acknowledgement. It exists to exercise the store: the
// crash test kills it at random moments and checks that every event it
// printed as acknowledged survived.
type appendBurstCommand struct{}

func (*appendBurstCommand) Name() string { return "append-burst" }
func (*appendBurstCommand) Synopsis() string {
	return "(testing) append N probe events from concurrent writers, printing each ack"
}

func (c *appendBurstCommand) Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("append-burst", flag.ContinueOnError)
	fs.SetOutput(stderr)
	db := fs.String("db", "", "SQLite database `FILE` (created if missing) or postgres:// URL")
	n := fs.Int("n", 1000, "number of events to append")
	stream := fs.String("stream", "probe", "the `STREAM` to append to")
	writers := fs.Int("writers", 4, "concurrent writers, each appending one event at a time")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: draftroom append-burst --db DB [--n N] [--stream S] [--writers W]\n\nAppends N \"store.probe\" events to stream S from W concurrent writers (each reads\nthe head and retries on conflict) and prints \"ack STREAMSEQ HASH\" for each\nevent once Append has returned, that is once it is durably committed.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() != 0:
		return fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	case *db == "":
		return fmt.Errorf("%w: --db is required", errUsage)
	case *n < 0:
		return fmt.Errorf("%w: --n must not be negative", errUsage)
	case *writers < 1:
		return fmt.Errorf("%w: --writers must be at least 1", errUsage)
	}
	l, err := openLog(ctx, *db)
	if err != nil {
		return err
	}
	defer l.Close()
	var (
		next    atomic.Int64 // the last counter taken
		outMu   sync.Mutex
		wg      sync.WaitGroup
		errOnce sync.Once
		first   error
	)
	actor := engine.Actor{Person: "append-burst", Role: engine.RoleSystem}
	for w := 1; w <= *writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for ctx.Err() == nil {
				counter := int(next.Add(1))
				if counter > *n {
					return
				}
				ev := engine.NewEvent(time.Now(), actor, &storeProbe{Writer: w, Counter: counter})
				for {
					head, _, err := l.Head(ctx, engine.StreamID(*stream))
					if err == nil {
						var out []engine.Event
						out, err = l.Append(ctx, engine.StreamID(*stream), head, []engine.Event{ev})
						if err == nil {
							// Acknowledged: the commit is durable. One write per
							// line, so that a kill never splits a line in two.
							outMu.Lock()
							fmt.Fprintf(stdout, "ack %d %s\n", out[0].StreamSeq, out[0].Hash)
							outMu.Unlock()
							break
						}
					}
					if engine.ErrorCode(err) == engine.ECONFLICT {
						continue // another writer took that place; read the head again
					}
					if ctx.Err() == nil {
						errOnce.Do(func() { first = err })
					}
					return
				}
			}
		}(w)
	}
	wg.Wait()
	if first != nil {
		return storeError(first)
	}
	if err := ctx.Err(); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
