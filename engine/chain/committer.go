package chain

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// Bounds of one group commit, the same for every store.
const (
	DefaultMaxGroup = 512  // requests per transaction
	MaxGroupEvents  = 8192 // events per transaction, beyond which the group is cut
	QueueLen        = 4096 // requests waiting for the committer
	// DefaultIdleEvery is how often a committer with nothing to do runs
	// its Idle (a failing log's probe write).
	DefaultIdleEvery = 2 * time.Second
)

// Request is one Append, SaveSnapshot or WriteRows waiting for a log's
// committer: an Append has Recs, a SaveSnapshot Snap, a WriteRows Rows
// (and is committed alone).
type Request struct {
	Stream engine.StreamID
	Expect uint64
	Recs   []Record
	Snap   *engine.Snapshot
	Rows   []Row
	// Reply receives the one answer; Submit makes it.
	Reply chan Result
}

// Result is the committer's answer to one Request.
type Result struct {
	Events []engine.Event
	Err    error
}

// CommitterOptions say how a log writes its groups.
type CommitterOptions struct {
	// Name is the log, as messages name it (a file, a database).
	Name string
	// MaxGroup is the most requests committed together; 0 means
	// DefaultMaxGroup.
	MaxGroup int
	// NoGroupCommit commits every request alone (MaxGroup 1), to measure
	// group commit against.
	NoGroupCommit bool
	// Commit writes one group in one transaction and sends each request
	// its answer on Reply. It runs on the committer's goroutine only.
	Commit func(group []*Request)
	// Idle, when set, runs every IdleEvery (0 means DefaultIdleEvery)
	// while no request waits: a log whose last write failed probes the
	// disk from there.
	Idle      func()
	IdleEvery time.Duration
}

// Committer is the one goroutine that writes a log (group commit): each
// caller queues its request and waits; the committer takes the first
// waiting request and every other one queued at that moment, up to the
// group bounds, and hands them to Commit together, so one transaction and
// one fsync serve them all.
type Committer struct {
	opts    CommitterOptions
	closeMu sync.RWMutex // held for reading while a request queues, for writing by Close
	closed  bool
	reqs    chan *Request
	done    chan struct{} // closed when every request is answered and the goroutine stopped
}

// StartCommitter starts the committer's goroutine.
func StartCommitter(opts CommitterOptions) *Committer {
	if opts.MaxGroup <= 0 {
		opts.MaxGroup = DefaultMaxGroup
	}
	if opts.NoGroupCommit {
		opts.MaxGroup = 1
	}
	if opts.IdleEvery <= 0 {
		opts.IdleEvery = DefaultIdleEvery
	}
	c := &Committer{opts: opts, reqs: make(chan *Request, QueueLen), done: make(chan struct{})}
	go c.run()
	return c
}

// Append is engine.EventLog's Append for a store on this committer: the
// events are checked and encoded in the caller's goroutine (a bad event
// refuses the whole Append with EINVALID before anything is queued), then
// submitted; it returns once the transaction holding them committed.
func (c *Committer) Append(ctx context.Context, stream engine.StreamID, expect uint64, events []engine.Event) ([]engine.Event, error) {
	if err := CheckStream(stream); err != nil {
		return nil, err
	}
	if len(events) == 0 {
		return nil, nil
	}
	recs := make([]Record, len(events))
	for i, e := range events {
		r, err := Encode(stream, i, e)
		if err != nil {
			return nil, err
		}
		recs[i] = r
	}
	res := c.Submit(ctx, &Request{Stream: stream, Expect: expect, Recs: recs})
	return res.Events, res.Err
}

// Submit queues req and waits for its answer. Once queued, the request is
// committed or refused whatever ctx does afterwards, and the answer says
// which; a request that could not be queued before ctx ended is refused.
func (c *Committer) Submit(ctx context.Context, req *Request) Result {
	req.Reply = make(chan Result, 1)
	c.closeMu.RLock()
	if c.closed {
		c.closeMu.RUnlock()
		return Result{Err: engine.Errorf(engine.EINTERNAL, "the event log %s is closed", c.opts.Name)}
	}
	select {
	case c.reqs <- req:
		c.closeMu.RUnlock()
	case <-ctx.Done():
		c.closeMu.RUnlock()
		return Result{Err: fmt.Errorf("append to %s: %w", req.Stream, ctx.Err())}
	}
	return <-req.Reply
}

// Enqueue queues req without waiting for its answer, which arrives on
// req.Reply (made here); it waits only while the queue is full. Tests use
// it to queue requests behind a held lock.
func (c *Committer) Enqueue(req *Request) error {
	req.Reply = make(chan Result, 1)
	c.closeMu.RLock()
	defer c.closeMu.RUnlock()
	if c.closed {
		return engine.Errorf(engine.EINTERNAL, "the event log %s is closed", c.opts.Name)
	}
	c.reqs <- req
	return nil
}

// Close stops taking requests and returns once every queued one has its
// answer. It is safe to call more than once.
func (c *Committer) Close() {
	c.closeMu.Lock()
	if c.closed {
		c.closeMu.Unlock()
		<-c.done
		return
	}
	c.closed = true
	close(c.reqs)
	c.closeMu.Unlock()
	<-c.done
}

func (c *Committer) run() {
	defer close(c.done)
	var idle <-chan time.Time
	if c.opts.Idle != nil {
		t := time.NewTicker(c.opts.IdleEvery)
		defer t.Stop()
		idle = t.C
	}
	for {
		var first *Request
		select {
		case r, ok := <-c.reqs:
			if !ok {
				return
			}
			first = r
		case <-idle:
			c.opts.Idle()
			continue
		}
		group := []*Request{first}
		events := len(first.Recs)
	gather:
		for first.Rows == nil && len(group) < c.opts.MaxGroup && events < MaxGroupEvents {
			select {
			case r, ok := <-c.reqs:
				if !ok {
					break gather
				}
				if r.Rows != nil { // a WriteRows is committed alone
					c.opts.Commit(group)
					group = []*Request{r}
					break gather
				}
				group = append(group, r)
				events += len(r.Recs)
			default:
				break gather
			}
		}
		c.opts.Commit(group)
	}
}
