package server

import (
	"encoding/binary"
	"encoding/json"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/gorilla/websocket"
)

// Connection settings, after gorilla/websocket's chat example.
const (
	pongWait       = 60 * time.Second  // time allowed to read the next pong
	pingPeriod     = pongWait * 9 / 10 // ping at this period; less than pongWait
	maxMessageSize = 256 << 10         // largest message a client may send
	sendQueue      = 64                // frames queued per client before it is cut off (events are coalesced, so 64 frames are seconds of backlog)
	closeGrace     = 2 * time.Second   // time given to a close frame, and to a writer still writing when a client is cut off
	maxFrameBatch  = 64                // queued frames merged into one write
)

// Who tells a client who it is connected as.
type Who struct {
	Person engine.PersonID  `json:"person"`
	Name   string           `json:"name"`
	Role   engine.Role      `json:"role"`
	State  engine.StateCode `json:"state,omitempty"`
}

// client is one websocket connection to a room: one reader and one writer
// goroutine, and a bounded queue of frames between the room and the
// writer.
type client struct {
	room  *Room
	conn  *websocket.Conn
	actor engine.Actor
	who   Who
	since uint64
	token string
	// session is the hash of token: the key of the session's websocket
	// count, given back when the connection ends.
	session string

	out  outbox
	once sync.Once
}

// kick closes the connection with a close code and reason: frames still
// queued are dropped, the close frame is written (unless the connection
// already failed) and the connection is closed, which ends the reader.
//
// Writes carry no deadline (moving the socket's deadline before every
// write cost a tenth of the fan-out's CPU; docs/performance.md), so a
// writer may be blocked in a write to a client that stopped reading. When
// a writer is running at the kick, the connection is therefore closed
// closeGrace later whatever it is doing, which ends a blocked write. A
// client that stops reading is cut off when its queue fills, or when its
// pong is overdue (pongWait) if nothing more is sent to it.
func (c *client) kick(code int, reason string) {
	c.once.Do(func() {
		if c.out.close(frame{control: websocket.CloseMessage, code: code, reason: reason}) {
			go c.writer(nil, nil)
			return
		}
		time.AfterFunc(closeGrace, func() { _ = c.conn.Close() })
	})
}

// queue queues a frame for the writer, starting one if none is running;
// false when the queue is full.
func (c *client) queue(f frame) bool {
	ok, start := c.out.push(f)
	if start {
		go c.writer(nil, nil)
	}
	return ok
}

// readPump reads commands and hands each to handle. It runs in the
// connection's goroutine until the connection fails. It is kept small on
// purpose: an idle connection is this goroutine blocked in a read, and
// its stack is most of what the connection costs (docs/performance.md).
func (c *client) readPump() {
	defer c.room.srv.metrics.sockets.Add(-1)
	defer c.room.srv.releaseSocket(c.actor.Person, c.session)
	defer c.leave()
	c.conn.SetReadLimit(maxMessageSize)
	_ = c.conn.SetReadDeadline(time.Now().Add(pongWait))
	c.conn.SetPongHandler(c.pong)
	for {
		data, err := c.readMessage()
		if err != nil {
			c.readFailed(err)
			return
		}
		if !c.handle(data) {
			return
		}
	}
}

// readMessage reads the next message, refusing one larger than
// maxMessageSize once decompressed. The connection's read limit counts
// the bytes on the wire, which a permessage-deflate message multiplies
// (32 MiB of one letter compress to 32 KiB): the reader is cut at the
// limit as it inflates, so a decompression bomb costs at most
// maxMessageSize of memory.
func (c *client) readMessage() ([]byte, error) {
	_, r, err := c.conn.NextReader()
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(r, maxMessageSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxMessageSize {
		return nil, websocket.ErrReadLimit
	}
	return data, nil
}

// pong extends the read deadline when the client answers a ping.
func (c *client) pong(string) error { return c.conn.SetReadDeadline(time.Now().Add(pongWait)) }

// leave takes the client out of its room and closes the connection.
func (c *client) leave() {
	select {
	case c.room.leaves <- c:
	case <-c.room.done:
	}
	c.kick(websocket.CloseNormalClosure, "")
}

// readFailed logs an unexpected read error and answers a message that was
// too large.
func (c *client) readFailed(err error) {
	if websocket.IsUnexpectedCloseError(err, websocket.CloseGoingAway, websocket.CloseNormalClosure, websocket.CloseNoStatusReceived) {
		slog.Debug("client read", "person", c.actor.Person, "err", err)
	}
	if err == websocket.ErrReadLimit {
		c.kick(closeTooBig, "message larger than 256 KiB")
	}
}

// handle decodes one message, authorises it against the session (which
// may have ended) and the command rate, and hands the command to the
// room. It reports false when the connection must end.
func (c *client) handle(data []byte) bool {
	var msg ClientMessage
	if err := decodeStrict(data, &msg, ""); err != nil {
		c.replyError(msg.ID, err)
		return true
	}
	if msg.Type != MsgCommand {
		c.replyError(msg.ID, engine.Errorf(engine.EINVALID, "field \"type\" must be \"command\", not %q", msg.Type))
		return true
	}
	if err := c.room.srv.commands.take(c.actor.Person, c.session); err != nil {
		c.room.srv.metrics.rateLimited.Add(1)
		c.replyError(msg.ID, err)
		return true
	}
	// The session is checked on every message, not only at connect.
	if _, ok := c.room.srv.dir.Session(c.token); !ok {
		c.kick(closeLoggedOut, "your session ended; log in again")
		return false
	}
	cmd, err := decodeCommand(c.room.srv, c.room.id, c.actor, msg.Name, msg.Command)
	if err != nil {
		c.replyError(msg.ID, err)
		return true
	}
	// The room answers the command itself, in its own goroutine, queuing
	// the ack (or error) for this client before it publishes the events:
	// a client always receives its ack before the events message that
	// carries the command's events (docs/protocol.md).
	req := &request{at: time.Now(), actor: c.actor, cmd: cmd, name: msg.Name, client: c, id: msg.ID, raw: msg.Command, token: c.token}
	select {
	case c.room.requests <- req:
	case <-c.room.done:
		c.replyError(msg.ID, engine.Errorf(engine.ECONFLICT, "the room is closing; try again in a moment"))
	}
	return true
}

// replyError answers command id with a refusal: its code and plain
// message, the room's last stored sequence and, when the client went too
// fast, the seconds after which to retry.
func (c *client) replyError(id string, err error) {
	c.reply(errorMessage(id, c.room.lastSeq.Load(), err))
}

// errorMessage is the error message answering command id.
func errorMessage(id string, seq uint64, err error) ServerMessage {
	if engine.ErrorCode(err) == engine.EINTERNAL {
		slog.Error("internal error", "command", id, "err", err)
		err = errInternal()
	}
	m := ServerMessage{Type: MsgError, ID: id, Seq: seq, Code: engine.ErrorCode(err), Message: engine.ErrorMessage(err)}
	m.Key, m.Params = engine.ErrorKey(err)
	if n, ok := retryAfter(err); ok {
		m.RetryAfter = n
	}
	return m
}

// reply queues a message for this client alone; if its queue is full it
// is cut off like any slow client.
func (c *client) reply(m ServerMessage) {
	data, err := json.Marshal([]any{m})
	if err != nil {
		return
	}
	if !c.queue(frame{data: data}) {
		c.kick(closeTooSlow, "you fell behind; reconnect to catch up")
	}
}

// frame is one queued websocket message: JSON bytes written as they are
// (and merged with others when the client is behind), a prepared message
// encoded — and compressed, when the client accepts it — once for every
// client, as the whole-view snapshot is, or a control frame (ping, close).
type frame struct {
	data     []byte
	wire     []byte // data framed as a websocket text message, for a broadcast (see writeNow)
	prepared *websocket.PreparedMessage
	control  int    // websocket.PingMessage or websocket.CloseMessage; 0 for a data frame
	code     int    // close code, for a close frame
	reason   string // close reason, for a close frame
}

// pingFrame asks the writer to ping the client.
var pingFrame = frame{control: websocket.PingMessage}

// writer is the connection's writer. It is not a goroutine for the life
// of the connection: one is started when frames arrive in an empty queue
// (or a broadcast frame could not be written at once, see writeNow) and it
// ends when the queue is empty again, so that an idle connection has only
// its reader (docs/performance.md, idle density). At most one writes at a
// time, so it owns all writes to the connection. It first writes rest, the
// unwritten end of a broadcast frame, then batch, then whatever is queued.
func (c *client) writer(rest []byte, batch []frame) {
	if len(rest) > 0 {
		if _, err := c.conn.NetConn().Write(rest); err != nil {
			c.failed()
			return
		}
	}
	for {
		if batch == nil {
			if batch = c.out.next(); batch == nil {
				return
			}
		}
		if done := c.write(batch); done {
			return
		}
		batch = nil
	}
}

// writeNow writes what the room has just queued for a client whose writer
// was idle, in the goroutine of the room's fan-out rather than one of the
// client's own (Room.broadcast): a broadcast frame, alone in the queue, is
// written with one write that does not wait (writeNonBlocking), and
// anything else — a batch, or the part of the frame the socket could not
// take at once — is handed to a writer goroutine. A room of 1,500 clients
// thus makes 1,500 writes per edit without starting 1,500 goroutines.
func (c *client) writeNow() {
	for {
		batch := c.out.next()
		if batch == nil {
			return
		}
		if len(batch) > 1 || batch[0].wire == nil {
			go c.writer(nil, batch)
			return
		}
		wire := batch[0].wire
		n, err := writeNonBlocking(c.conn.NetConn(), wire)
		if err != nil {
			c.failed()
			return
		}
		if n < len(wire) {
			go c.writer(wire[n:], nil)
			return
		}
	}
}

// failed closes a connection whose write failed, without a close frame;
// the reader's read fails and it leaves the room.
func (c *client) failed() {
	c.kick(websocket.CloseAbnormalClosure, "")
	_ = c.conn.Close()
}

// wireFrame frames a JSON message as one unmasked, uncompressed websocket
// text frame (RFC 6455 §5.2), as a server sends it.
func wireFrame(payload []byte) []byte {
	n := len(payload)
	b := make([]byte, 0, n+10)
	b = append(b, 0x81) // FIN, text
	switch {
	case n < 126:
		b = append(b, byte(n))
	case n <= 0xFFFF:
		b = append(b, 126, byte(n>>8), byte(n))
	default:
		b = append(b, 127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	return append(b, payload...)
}

// write writes a batch taken from the queue: runs of plain frames merged
// into one JSON array of at most maxFrameBatch messages, so that a client
// behind by a burst gets one frame rather than many, and each prepared or
// control frame on its own. It reports true when the connection is closed:
// after a close frame, or when a write failed.
func (c *client) write(batch []frame) (done bool) {
	for len(batch) > 0 {
		var err error
		n := 1
		switch f := batch[0]; {
		case f.control == websocket.CloseMessage:
			if f.code != websocket.CloseAbnormalClosure {
				msg := websocket.FormatCloseMessage(f.code, f.reason)
				_ = c.conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(closeGrace))
			}
			_ = c.conn.Close()
			return true
		case f.control == websocket.PingMessage:
			err = c.conn.WriteMessage(websocket.PingMessage, nil)
		case f.prepared != nil:
			c.conn.EnableWriteCompression(true)
			err = c.conn.WritePreparedMessage(f.prepared)
			c.conn.EnableWriteCompression(false)
		default:
			for n < len(batch) && n < maxFrameBatch && batch[n].prepared == nil && batch[n].control == 0 {
				n++
			}
			err = c.conn.WriteMessage(websocket.TextMessage, merge(batch[:n]))
		}
		if err != nil {
			c.failed()
			return true
		}
		batch = batch[n:]
	}
	return false
}

// merge joins plain frames, each a JSON array of messages, into one array.
func merge(frames []frame) []byte {
	if len(frames) == 1 {
		return frames[0].data
	}
	size := 1
	for _, f := range frames {
		size += len(f.data) - 1
	}
	out := make([]byte, 0, size)
	for i, f := range frames {
		if i == 0 {
			out = append(out, f.data[:len(f.data)-1]...)
		} else {
			out = append(out, ',')
			out = append(out, f.data[1:len(f.data)-1]...)
		}
	}
	return append(out, ']')
}

// outbox is a client's bounded queue of frames and the state of its
// writer. Unlike a buffered channel it costs nothing while empty: the
// slice is handed to the writer whole and a new one starts with the next
// frame, so an idle connection holds no queue memory.
type outbox struct {
	mu      sync.Mutex
	frames  []frame
	limit   int
	running bool // a writer is running (or the connection is closed for good)
	closed  bool // a close frame was queued; later frames are dropped
}

// push queues a frame. ok is false when the queue already holds limit
// frames; start is true when no writer is running and the caller must
// start one. Frames pushed after close are dropped.
func (o *outbox) push(f frame) (ok, start bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return true, false
	}
	if len(o.frames) >= o.limit {
		return false, false
	}
	o.frames = append(o.frames, f)
	start = !o.running
	o.running = true
	return true, start
}

// close replaces whatever is queued with the close frame f and refuses
// later frames; start is as for push.
func (o *outbox) close(f frame) (start bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.closed = true
	o.frames = append(o.frames[:0], f)
	start = !o.running
	o.running = true
	return start
}

// next removes and returns every queued frame, in order; when there are
// none it returns nil and the writer must end.
func (o *outbox) next() []frame {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.frames) == 0 {
		o.running = false
		return nil
	}
	out := o.frames
	o.frames = nil
	return out
}
