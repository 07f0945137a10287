package server

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/draftroom/draftroom/engine"
)

// failingAppends is a real SQLite log whose appends to document streams
// fail while fail is set, as they do when the disk is full.
type failingAppends struct {
	engine.EventLog
	fail atomic.Bool
}

func (f *failingAppends) Append(ctx context.Context, stream engine.StreamID, expect uint64, evs []engine.Event) ([]engine.Event, error) {
	if f.fail.Load() && stream != DirectoryStream {
		return nil, errors.New("write room.db: no space left on device")
	}
	return f.EventLog.Append(ctx, stream, expect, evs)
}

// TestNothingPublishedWhenAppendFails makes the log's append fail and
// checks that no client receives the events of the commands it refused:
// the sender gets an error, a watcher nothing, and once the log works
// again the next events message holds exactly the next stored command,
// numbered on from the last stored event. Publishing before the append
// commits fails it.
func TestNothingPublishedWhenAppendFails(t *testing.T) {
	log := &failingAppends{EventLog: openTestLog(t, filepath.Join(t.TempDir(), "room.db"))}
	ts, tok := roomWithPeople(t, Config{Log: log})
	fra, chn := ts.dial(tok["fra"], "pr", 0), ts.dial(tok["chn"], "pr", 0)
	h := fra.hello()
	chn.hello()
	p2 := paraByNumber(t, h.View, "2")
	log.fail.Store(true)
	fra.send("lost", "amendment.propose", engine.ProposeAmendment{Proposer: "FRA", Op: engine.OpReplace, Para: p2.ID, Version: p2.Version, Start: 7, End: 15, NewText: "lost"})
	m := fra.wait("answer to lost", func(m ServerMessage) bool { return m.ID == "lost" })
	if m.Type != MsgError || m.Code != engine.EINTERNAL || m.Seq != h.Seq {
		t.Fatalf("answer while the log fails: %+v, want an internal error at seq %d", m, h.Seq)
	}
	// The person is told plainly, in their language, and never shown the
	// server's files.
	if strings.Contains(m.Message, "room.db") || !strings.HasPrefix(m.Message, "the server could not do this") || m.Key == "" {
		t.Errorf("internal error shown as %q (key %q): want the plain sentence with its key", m.Message, m.Key)
	}
	if st, e := ts.command(tok["chn"], "pr", "position.state", engine.StatePosition{State: "CHN", Para: p2.ID, Kind: engine.Oppose}); st != 500 {
		t.Fatalf("HTTP command while the log fails: %d %+v, want 500", st, e)
	}
	log.fail.Store(false)
	fra.send("kept", "amendment.propose", engine.ProposeAmendment{Proposer: "FRA", Op: engine.OpReplace, Para: p2.ID, Version: p2.Version, Start: 7, End: 15, NewText: "kept"})
	ack := fra.ack("kept")
	if ack.Seq != h.Seq+1 {
		t.Fatalf("ack seq %d, want %d: the refused commands left a trace", ack.Seq, h.Seq+1)
	}
	for name, c := range map[string]*wsClient{"sender": fra, "watcher": chn} {
		ev := c.event("amendment.proposed")
		if len(ev.Amendments) != 1 || ev.Amendments[0].NewText != "kept" {
			t.Errorf("%s: amendments %+v, want only the stored one", name, ev.Amendments)
		}
		if got := c.seqs(); !slices.Equal(got, []uint64{h.Seq + 1}) {
			t.Errorf("%s received events %v, want only [%d]", name, got, h.Seq+1)
		}
	}
}

// TestAckBeforeEvents: a client's ack always arrives before the events
// message that carries the command's events, and names the streamSeq of
// the command's last event (docs/protocol.md, ack / error). The commands
// go out at once, so that many share a batch and a publication.
func TestAckBeforeEvents(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{})
	fra := ts.dial(tok["fra"], "pr", 0)
	h := fra.hello()
	p2 := paraByNumber(t, h.View, "2")
	const n = 50
	for i := range n {
		fra.send(fmt.Sprintf("c%d", i), "position.state", engine.StatePosition{State: "FRA", Para: p2.ID, Kind: []engine.PositionKind{engine.Support, engine.Oppose}[i%2]})
	}
	acks := map[string]uint64{}
	for i := range n {
		acks[fmt.Sprintf("c%d", i)] = fra.ack(fmt.Sprintf("c%d", i)).Seq
	}
	fra.wait("the last event", func(m ServerMessage) bool {
		return m.Type == MsgEvents && slices.ContainsFunc(m.Events, func(e engine.Event) bool { return e.StreamSeq == h.Seq+n })
	})
	fra.mu.Lock()
	defer fra.mu.Unlock()
	ackAt, eventAt := map[uint64]int{}, map[uint64]int{}
	for i, m := range fra.msgs {
		switch m.Type {
		case MsgAck:
			ackAt[m.Seq] = i
		case MsgEvents:
			for _, e := range m.Events {
				eventAt[e.StreamSeq] = i
			}
		}
	}
	for id, seq := range acks {
		ai, ok1 := ackAt[seq]
		ei, ok2 := eventAt[seq]
		if !ok1 || !ok2 {
			t.Fatalf("%s: ack seq %d is not the streamSeq of an event received", id, seq)
		}
		if ai >= ei {
			t.Errorf("%s: the events message carrying seq %d (message %d) came before its ack (message %d)", id, seq, ei, ai)
		}
	}
}
