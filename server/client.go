package server

import (
	"context"
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/gorilla/websocket"
)

// Connection settings, after gorilla/websocket's chat example.
const (
	writeWait      = 10 * time.Second  // time allowed to write a frame
	pongWait       = 60 * time.Second  // time allowed to read the next pong
	pingPeriod     = pongWait * 9 / 10 // ping at this period; less than pongWait
	maxMessageSize = 256 << 10         // largest message a client may send
	sendQueue      = 64                // frames queued per client before it is cut off (events are coalesced, so 64 frames are seconds of backlog)
	commandRate    = 20                // commands per second per client, sustained
	commandBurst   = 60                // commands a client may send at once
	closeGrace     = 2 * time.Second   // time given to a close frame
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

	send chan frame
	once sync.Once
	quit chan struct{} // closed to stop the writer
	code int
	why  string
}

// kick closes the connection with a close code and reason.
func (c *client) kick(code int, reason string) {
	c.once.Do(func() {
		c.code, c.why = code, reason
		close(c.quit)
	})
}

// readPump reads commands, authorises each one against the session (which
// may have ended) and hands it to the room. It runs in the connection's
// goroutine until the connection fails.
func (c *client) readPump() {
	defer func() {
		select {
		case c.room.leaves <- c:
		case <-c.room.done:
		}
		c.kick(websocket.CloseNormalClosure, "")
	}()
	c.conn.SetReadLimit(maxMessageSize)
	_ = c.conn.SetReadDeadline(time.Now().Add(pongWait))
	c.conn.SetPongHandler(func(string) error { return c.conn.SetReadDeadline(time.Now().Add(pongWait)) })
	bucket := newTokenBucket(commandRate, commandBurst)
	for {
		var msg ClientMessage
		_, data, err := c.conn.ReadMessage()
		if err != nil {
			if websocket.IsUnexpectedCloseError(err, websocket.CloseGoingAway, websocket.CloseNormalClosure, websocket.CloseNoStatusReceived) {
				slog.Debug("client read", "person", c.actor.Person, "err", err)
			}
			if err == websocket.ErrReadLimit {
				c.kick(closeTooBig, "message larger than 256 KiB")
			}
			return
		}
		if err := json.Unmarshal(data, &msg); err != nil {
			c.reply(ServerMessage{Type: MsgError, Code: engine.EINVALID, Message: engine.ErrorMessage(jsonError(err, maxMessageSize))})
			continue
		}
		if msg.Type != MsgCommand {
			c.reply(ServerMessage{Type: MsgError, ID: msg.ID, Code: engine.EINVALID, Message: "type must be \"command\""})
			continue
		}
		if !bucket.take(time.Now()) {
			c.room.srv.metrics.rateLimited.Add(1)
			c.reply(ServerMessage{Type: MsgError, ID: msg.ID, Code: engine.EINVALID, Message: "too many commands: at most 20 a second; slow down"})
			continue
		}
		// The session is checked on every message, not only at connect.
		if _, ok := c.room.srv.dir.Session(c.token); !ok {
			c.kick(closeLoggedOut, "your session ended; log in again")
			return
		}
		cmd, err := decodeCommand(c.room.srv, c.actor, msg.Name, msg.Command)
		if err != nil {
			c.reply(ServerMessage{Type: MsgError, ID: msg.ID, Code: engine.ErrorCode(err), Message: engine.ErrorMessage(err)})
			continue
		}
		go c.submit(msg.ID, msg.Name, cmd)
	}
}

// submit waits for the room to store a command and answers the client.
func (c *client) submit(id, name string, cmd engine.DocumentCommand) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	evs, err := c.room.Submit(ctx, c.actor, name, cmd)
	if err != nil {
		c.reply(ServerMessage{Type: MsgError, ID: id, Code: engine.ErrorCode(err), Message: engine.ErrorMessage(err)})
		return
	}
	c.reply(ServerMessage{Type: MsgAck, ID: id, Seq: evs[len(evs)-1].StreamSeq})
}

// reply queues a message for this client alone; if its queue is full it
// is cut off like any slow client.
func (c *client) reply(m ServerMessage) {
	data, err := json.Marshal([]any{m})
	if err != nil {
		return
	}
	select {
	case c.send <- frame{data: data}:
	case <-c.quit:
	default:
		c.kick(closeTooSlow, "you fell behind; reconnect to catch up")
	}
}

// frame is one queued websocket message: JSON bytes written as they are
// (and merged with others when the client is behind), or a prepared
// message encoded — and compressed, when the client accepts it — once for
// every client, as the whole-view snapshot is.
type frame struct {
	data     []byte
	prepared *websocket.PreparedMessage
}

// writePump writes queued frames, merging a backlog into one frame, and
// pings; it owns all writes to the connection.
func (c *client) writePump() {
	ticker := time.NewTicker(pingPeriod)
	defer func() {
		ticker.Stop()
		_ = c.conn.Close()
	}()
	var carry *frame // a frame taken from the queue while merging, written next
	for {
		var f frame
		if carry != nil {
			f, carry = *carry, nil
		} else {
			select {
			case f = <-c.send:
			case <-ticker.C:
				_ = c.conn.SetWriteDeadline(time.Now().Add(writeWait))
				if err := c.conn.WriteMessage(websocket.PingMessage, nil); err != nil {
					c.kick(websocket.CloseAbnormalClosure, "")
					return
				}
				continue
			case <-c.quit:
				if c.code != websocket.CloseAbnormalClosure {
					msg := websocket.FormatCloseMessage(c.code, c.why)
					_ = c.conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(closeGrace))
				}
				return
			}
		}
		_ = c.conn.SetWriteDeadline(time.Now().Add(writeWait))
		var err error
		if f.prepared != nil {
			c.conn.EnableWriteCompression(true)
			err = c.conn.WritePreparedMessage(f.prepared)
			c.conn.EnableWriteCompression(false)
		} else {
			var data []byte
			data, carry = merge(f.data, c.send)
			err = c.conn.WriteMessage(websocket.TextMessage, data)
		}
		if err != nil {
			c.kick(websocket.CloseAbnormalClosure, "")
			return
		}
	}
}

// merge joins a frame with the plain frames queued behind it into one
// JSON array, so that a client behind by a burst gets one frame rather
// than many. A prepared frame met in the queue is returned to be written
// next.
func merge(first []byte, queue chan frame) ([]byte, *frame) {
	if len(queue) == 0 {
		return first, nil
	}
	out := append([]byte(nil), first[:len(first)-1]...)
	for i := 0; i < maxFrameBatch; i++ {
		select {
		case next := <-queue:
			if next.prepared != nil {
				return append(out, ']'), &next
			}
			out = append(out, ',')
			out = append(out, next.data[1:len(next.data)-1]...)
		default:
			return append(out, ']'), nil
		}
	}
	return append(out, ']'), nil
}

// tokenBucket limits a client's command rate.
type tokenBucket struct {
	rate, burst float64
	tokens      float64
	last        time.Time
}

func newTokenBucket(rate, burst int) *tokenBucket {
	return &tokenBucket{rate: float64(rate), burst: float64(burst), tokens: float64(burst)}
}

func (b *tokenBucket) take(now time.Time) bool {
	if !b.last.IsZero() {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
