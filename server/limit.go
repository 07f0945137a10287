package server

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// Default limits (docs/protocol.md, Limits and flow control).
const (
	commandRate       = 20   // commands per second per person and per session, sustained
	commandBurst      = 60   // commands a person or session may send at once
	socketsPerSession = 16   // websockets open at once on one session (a browser's tabs, a program)
	socketsPerPerson  = 32   // websockets open at once by one person, over all their sessions
	connsPerAddr      = 1024 // TCP connections open at once from one client address (trusted proxies exempt)
)

// Limits bounds what one person, session or address may use. Zero fields
// take the defaults above.
type Limits struct {
	// CommandRate and CommandBurst are the token bucket of commands, one
	// per person and one per session, shared by HTTP and the websocket: a
	// command is taken only when both buckets have a token.
	CommandRate, CommandBurst int
	// SocketsPerSession and SocketsPerPerson cap open websockets.
	SocketsPerSession, SocketsPerPerson int
	// ConnsPerAddr caps the TCP connections open at once from one client
	// address; connections from trusted proxies are not counted. A
	// negative value turns the cap off.
	ConnsPerAddr int
	// Clock is the command limiter's clock; nil means time.Now. Tests
	// stop it so that no token refills while they exceed the burst.
	Clock func() time.Time
	// ReadTimeout bounds the time to read a whole request, body included
	// (0: 60 s), so that a body trickled a byte at a time does not hold a
	// connection; HeaderTimeout the headers alone (0: 10 s); WriteTimeout
	// the writing of a response other than a websocket's (0: 120 s, for
	// large exports); IdleTimeout a kept-alive connection between
	// requests (0: 120 s).
	ReadTimeout, HeaderTimeout, WriteTimeout, IdleTimeout time.Duration
}

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	def(&l.CommandRate, commandRate)
	def(&l.CommandBurst, commandBurst)
	def(&l.SocketsPerSession, socketsPerSession)
	def(&l.SocketsPerPerson, socketsPerPerson)
	def(&l.ConnsPerAddr, connsPerAddr)
	dur := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	dur(&l.ReadTimeout, 60*time.Second)
	dur(&l.HeaderTimeout, 10*time.Second)
	dur(&l.WriteTimeout, 120*time.Second)
	dur(&l.IdleTimeout, 120*time.Second)
	if l.Clock == nil {
		l.Clock = time.Now
	}
	return l
}

// ERATELIMITED is the code of a refusal for going too fast: HTTP 429
// with a Retry-After header, or a websocket error with retryAfter.
const ERATELIMITED = "rate_limited"

// limitError is a refusal for going too fast, with the time after which
// the same request would be taken.
type limitError struct {
	err   *engine.Error
	retry time.Duration
}

func (e *limitError) Error() string { return e.err.Message }
func (e *limitError) Unwrap() error { return e.err }

// tooFast returns a rate-limit refusal whose message says when to retry.
func tooFast(retry time.Duration, format string, args ...any) error {
	return &limitError{err: engine.Errorf(ERATELIMITED, format, args...), retry: retry}
}

// retryAfter returns the whole seconds after which a refused request may
// be retried (at least 1), and whether err is a rate-limit refusal.
func retryAfter(err error) (int, bool) {
	var le *limitError
	if !errors.As(err, &le) {
		return 0, false
	}
	return max(1, int(math.Ceil(le.retry.Seconds()))), true
}

// commandLimiter is the one command rate limit, per person and per
// session, whatever the transport.
type commandLimiter struct {
	rate, burst float64
	clock       func() time.Time

	mu      sync.Mutex
	buckets map[string]*tokenBucket // "p/" + person, "s/" + the session token's hash
}

func newCommandLimiter(l Limits) *commandLimiter {
	return &commandLimiter{rate: float64(l.CommandRate), burst: float64(l.CommandBurst), clock: l.Clock, buckets: map[string]*tokenBucket{}}
}

// take spends a token of the person's bucket and one of the session's
// (by the hash of its token), or refuses with the time until both have
// one again.
func (cl *commandLimiter) take(person engine.PersonID, session string) error {
	now := cl.clock()
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if len(cl.buckets) > 100000 {
		cl.prune(now) // bound memory under many sessions
	}
	pb, sb := cl.bucket("p/"+string(person)), cl.bucket("s/"+session)
	wait := max(pb.wait(now), sb.wait(now))
	if wait > 0 {
		return tooFast(wait, "too many commands: at most %d a second (bursts of %d) per person and per session, over HTTP and websockets together; wait %s and slow down",
			int(cl.rate), int(cl.burst), seconds(wait))
	}
	pb.tokens--
	sb.tokens--
	return nil
}

func (cl *commandLimiter) bucket(key string) *tokenBucket {
	b := cl.buckets[key]
	if b == nil {
		b = &tokenBucket{rate: cl.rate, burst: cl.burst, tokens: cl.burst}
		cl.buckets[key] = b
	}
	return b
}

// prune forgets buckets that are full again: they hold nothing a new
// bucket would not.
func (cl *commandLimiter) prune(now time.Time) {
	for k, b := range cl.buckets {
		if b.refill(now); b.tokens >= b.burst {
			delete(cl.buckets, k)
		}
	}
}

// seconds writes a wait in words, "1 second" or "3 seconds".
func seconds(d time.Duration) string {
	n := max(1, int(math.Ceil(d.Seconds())))
	if n == 1 {
		return "1 second"
	}
	return fmt.Sprintf("%d seconds", n)
}

// tokenBucket is a rate of rate tokens a second with bursts of burst.
type tokenBucket struct {
	rate, burst float64
	tokens      float64
	last        time.Time
}

// refill adds the tokens earned since the last refill.
func (b *tokenBucket) refill(now time.Time) {
	if !b.last.IsZero() && now.After(b.last) {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	if now.After(b.last) {
		b.last = now
	}
}

// wait refills the bucket and returns how long until it has a token; 0
// when it has one now.
func (b *tokenBucket) wait(now time.Time) time.Duration {
	b.refill(now)
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
}

// limited applies the command rate limit to an HTTP command endpoint.
func (s *Server) limited(h func(http.ResponseWriter, *http.Request, Person)) func(http.ResponseWriter, *http.Request, Person) {
	return func(w http.ResponseWriter, r *http.Request, p Person) {
		if err := s.commands.take(p.ID, hashSecret(sessionToken(r))); err != nil {
			s.metrics.rateLimited.Add(1)
			writeError(w, r, err)
			return
		}
		h(w, r, p)
	}
}

// setRetryAfter sets the Retry-After header of a rate-limit refusal.
func setRetryAfter(w http.ResponseWriter, err error) {
	if n, ok := retryAfter(err); ok {
		w.Header().Set("Retry-After", strconv.Itoa(n))
	}
}

// socketCounts counts open websockets per session and per person.
type socketCounts struct {
	mu         sync.Mutex
	perSession map[string]int // by session token hash
	perPerson  map[engine.PersonID]int
}

// acquire takes a place for a new websocket of a person's session, or
// refuses when either already has its most.
func (s *Server) acquireSocket(person engine.PersonID, session string) error {
	sc := &s.sockets
	sc.mu.Lock()
	defer sc.mu.Unlock()
	switch {
	case sc.perSession[session] >= s.limits.SocketsPerSession:
		return tooFast(10*time.Second, "this session already has %d rooms open, the most it may; close some tabs or connections and try again", sc.perSession[session])
	case sc.perPerson[person] >= s.limits.SocketsPerPerson:
		return tooFast(10*time.Second, "you already have %d rooms open over all your devices, the most one person may; close some and try again", sc.perPerson[person])
	}
	sc.perSession[session]++
	sc.perPerson[person]++
	return nil
}

// releaseSocket gives back the place of a websocket that closed.
func (s *Server) releaseSocket(person engine.PersonID, session string) {
	sc := &s.sockets
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if sc.perSession[session]--; sc.perSession[session] <= 0 {
		delete(sc.perSession, session)
	}
	if sc.perPerson[person]--; sc.perPerson[person] <= 0 {
		delete(sc.perPerson, person)
	}
}
