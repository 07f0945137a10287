package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// A room on several nodes (docs/deploy.md, several nodes). The node
// holding the room's lease owns it: its room decides and stores commands
// as on a single node. On every other node the room follows: it applies
// the events other nodes stored, read from the log when a notification
// says the stream moved, publishes them to its own clients, and forwards
// its clients' commands to the owner. A follower that finds no live owner
// takes the lease and, once it has read the log to its head, owns the
// room. Appends expect the stream sequence the room holds, so an owner
// that lost its lease without knowing is refused by the database.

// poke tells the room that its stream moved to seq (a notification).
func (r *Room) poke(seq uint64) {
	for {
		old := r.notified.Load()
		if seq <= old || r.notified.CompareAndSwap(old, seq) {
			break
		}
	}
	select {
	case r.pokeC <- struct{}{}:
	default:
	}
}

// catchUp applies the events stored after the room's sequence, in order,
// and publishes them (held while commands forwarded before are
// unanswered). An event that does not apply makes the room reload from
// the log, as after a failed append.
func (r *Room) catchUp() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		evs, err := r.log.Read(ctx, r.stream, r.seq, 1000)
		if err != nil {
			slog.Error("room: read the events of other nodes", "room", r.id, "err", err)
			return
		}
		if len(evs) == 0 {
			return
		}
		for i, e := range evs {
			if err := r.doc.Apply(e); err != nil {
				slog.Error("room: a followed event does not apply; reloading", "room", r.id, "seq", e.StreamSeq, "err", err)
				r.hold(evs[:i])
				r.reload(ctx)
				return
			}
			r.seq, r.hash = e.StreamSeq, e.Hash
		}
		r.lastSeq.Store(r.seq)
		r.eventCount.Add(uint64(len(evs)))
		if !r.owner {
			now := time.Now()
			for _, e := range evs {
				r.srv.metrics.followLag.observe(now.Sub(e.At))
			}
		}
		r.hold(evs)
		if len(evs) < 1000 {
			return
		}
	}
}

// reload rebuilds the document from the log; the events stored after
// the room's sequence (by another node, when this one lost its lease) go
// out to the clients like followed events, so that none is skipped.
func (r *Room) reload(ctx context.Context) {
	from := r.seq
	doc, seq, snap, hash, err := engine.LoadDocument(ctx, r.log, r.id)
	if err != nil {
		slog.Error("room: reload failed; the room keeps its last stored state", "room", r.id, "err", err)
		return
	}
	var gap []engine.Event
	if seq > from {
		if gap, err = r.log.Read(ctx, r.stream, from, int(seq-from)); err != nil {
			slog.Error("room: read the events stored by another node; the clients will resume", "room", r.id, "err", err)
			r.closeClients(closeGoingAway, "the room was reloaded; reconnect to catch up")
			gap = nil
		}
	}
	r.doc, r.seq, r.snapSeq, r.hash = doc, seq, snap, hash
	r.lastSeq.Store(seq)
	r.hold(gap)
}

// hold queues followed events behind the commands forwarded so far, and
// publishes what may go out.
func (r *Room) hold(evs []engine.Event) {
	if len(evs) == 0 {
		return
	}
	r.held = append(r.held, heldEvents{events: evs, barrier: r.fwdNext})
	r.release()
}

// release publishes the held events whose forwarded commands are all
// answered, in order, then lets in the clients that waited for them.
func (r *Room) release() {
	for len(r.held) > 0 {
		h := r.held[0]
		for id := range r.inflight {
			if id <= h.barrier {
				return
			}
		}
		r.held = r.held[1:]
		r.publish(h.events)
	}
	r.held = nil
	if len(r.waiting) > 0 {
		r.publishNow()
		for _, c := range r.waiting {
			r.join(c)
		}
		r.waiting = nil
	}
}

// takeOver takes the room's lease if no live node holds it; once held,
// the room reads the log to its head and decides from then on.
func (r *Room) takeOver() {
	if r.owner {
		return
	}
	cl := r.srv.cluster
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	lease, ok, err := cl.c.TryLease(ctx, string(r.stream), cl.node)
	if err != nil {
		slog.Error("room: take the lease", "room", r.id, "err", err)
		return
	}
	if !ok {
		return // another node holds it; the sweep says which
	}
	r.own(lease)
	r.catchUp() // everything the previous owner stored, before deciding anything
	slog.Info("room: this node owns the room", "room", r.id, "seq", r.seq)
}

// own makes the room its lease's owner.
func (r *Room) own(lease Lease) {
	r.owner, r.lease, r.leaseLost, r.ownerURL = true, lease, lease.Lost(), ""
	r.owned.Store(true)
	r.srv.cluster.leaseChanges.Add(1)
}

// stepDown gives the lease up (or forgets a lost one): the room follows.
func (r *Room) stepDown() {
	if r.lease != nil {
		_ = r.lease.Release()
	}
	if r.srv.cluster != nil {
		r.owner = false
		r.owned.Store(false)
	}
	r.lease, r.leaseLost, r.ownerURL = nil, nil, ""
}

// forward sends each command of a batch to the room's owner, in the
// background; the answers come back through r.replies. With no owner
// known the room first tries to take the room over.
func (r *Room) forward(batch []*request) {
	if r.ownerURL == "" {
		r.takeOver()
		if r.owner {
			r.process(batch)
			return
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		holders, err := r.srv.cluster.c.Holders(ctx)
		cancel()
		if err == nil && holders[string(r.stream)] != r.srv.cluster.node {
			r.ownerURL = holders[string(r.stream)]
		}
	}
	for _, req := range batch {
		switch {
		case req.forwarded:
			r.answer(req, result{err: notOwner(r.id)})
			continue
		case r.ownerURL == "":
			r.answer(req, result{err: errNoOwner(r.id)})
			continue
		case req.token == "":
			r.answer(req, result{err: engine.Errorf(engine.ECONFLICT, "document %q is decided by the node at %s; send this there", r.id, r.ownerURL)})
			continue
		}
		r.fwdNext++
		id, owner := r.fwdNext, r.ownerURL
		r.inflight[id] = true
		go func() {
			res, gone := r.srv.forwardCommand(owner, r.id, req)
			select {
			case r.replies <- forwarded{id: id, req: req, res: res, gone: gone}:
			case <-r.done:
			}
		}()
	}
}

// forwardAnswered answers a forwarded command's sender with the owner's
// answer, then publishes the events held for it. The answer names events
// the room may not have read yet: it reads them now rather than wait for
// their notification.
func (r *Room) forwardAnswered(f forwarded) {
	delete(r.inflight, f.id)
	if f.gone {
		r.ownerURL = "" // look for the owner again, or take over
	}
	if f.res.err == nil && len(f.res.events) > 0 {
		r.srv.metrics.acks.add(time.Since(f.req.at))
		if last := f.res.events[len(f.res.events)-1].StreamSeq; last > r.seq {
			r.poke(last)
		}
	} else if isNotOwner(f.res.err) {
		r.ownerURL = "" // the room moved: ask again who owns it
	}
	r.answer(f.req, f.res)
	if r.notified.Load() > r.seq {
		r.catchUp()
	}
	r.release()
}
