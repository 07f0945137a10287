package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// Login and session settings.
const (
	sessionCookie  = "draftroom_session"
	codeLifetime   = 14 * 24 * time.Hour
	sessionTTL     = 30 * 24 * time.Hour
	loginPerMinute = 10 // wrong login codes per address, and per code, in a minute before they are answered rate_limited
)

// DirectoryStream holds people, logins and sessions.
const DirectoryStream engine.StreamID = "directory"

// Person is someone who may log in: a delegate of a State, an officer,
// a member of the secretariat or an observer's representative.
type Person struct {
	ID    engine.PersonID  `json:"id"`
	Name  string           `json:"name"`
	Role  engine.Role      `json:"role"`
	State engine.StateCode `json:"state,omitempty"` // for delegates: the State they represent
	Org   string           `json:"org,omitempty"`   // for observers: the organisation
	// Language is, for a translator, the one language version they
	// translate.
	Language string `json:"language,omitempty"`
	// UILanguage is the language the person chose for the interface, one
	// of the six (engine.ChooseInterfaceLanguage); empty until they
	// choose. It is the person's, so it follows them to any browser.
	UILanguage string `json:"uiLanguage,omitempty"`
}

// Actor returns the engine actor a person acts as.
func (p Person) Actor() engine.Actor {
	return engine.Actor{Person: p.ID, State: p.State, Role: p.Role, Language: p.Language}
}

// Directory events. Secrets are never stored: only SHA-256 hashes of
// login codes and session tokens.
type (
	// PersonAdded records a person the secretariat registered.
	PersonAdded struct {
		Person Person `json:"person"`
	}
	// LoginIssued records a one-time login code issued to a person.
	LoginIssued struct {
		Person   engine.PersonID `json:"person"`
		CodeHash string          `json:"codeHash"`
		Expires  time.Time       `json:"expires"`
	}
	// SessionStarted records a login code exchanged for a session.
	SessionStarted struct {
		Person      engine.PersonID `json:"person"`
		CodeHash    string          `json:"codeHash"`
		SessionHash string          `json:"sessionHash"`
		Expires     time.Time       `json:"expires"`
	}
	// SessionEnded records a logout.
	SessionEnded struct {
		SessionHash string `json:"sessionHash"`
	}
	// LanguageChosen records a person's choice of interface language.
	LanguageChosen struct {
		Person   engine.PersonID `json:"person"`
		Language string          `json:"language"`
	}
)

// EventType implements engine.EventData.
func (PersonAdded) EventType() string { return "directory.person-added" }

// EventType implements engine.EventData.
func (LoginIssued) EventType() string { return "directory.login-issued" }

// EventType implements engine.EventData.
func (SessionStarted) EventType() string { return "directory.session-started" }

// EventType implements engine.EventData.
func (SessionEnded) EventType() string { return "directory.session-ended" }

// EventType implements engine.EventData.
func (LanguageChosen) EventType() string { return "directory.language-chosen" }

func init() {
	engine.RegisterEvent(func() engine.EventData { return new(PersonAdded) })
	engine.RegisterEvent(func() engine.EventData { return new(LoginIssued) })
	engine.RegisterEvent(func() engine.EventData { return new(SessionStarted) })
	engine.RegisterEvent(func() engine.EventData { return new(SessionEnded) })
	engine.RegisterEvent(func() engine.EventData { return new(LanguageChosen) })
}

type codeEntry struct {
	person  engine.PersonID
	expires time.Time
	used    bool
}

type sessionEntry struct {
	person  engine.PersonID
	expires time.Time
}

// Directory is who may log in, their open login codes and sessions. It is
// the fold of the directory stream of the log.
type Directory struct {
	log engine.EventLog
	now func() time.Time

	writeMu sync.Mutex // one writer of the stream at a time
	mu      sync.RWMutex
	seq     uint64
	people  map[engine.PersonID]*Person
	codes   map[string]*codeEntry
	tokens  map[string]*sessionEntry

	limiter *rateLimiter

	// shared is set on a node of several: other nodes write the stream
	// too, so an append refused as stale catches up and decides again,
	// and a session token not known yet is looked for in the log.
	shared    bool
	lookupMu  sync.Mutex
	lastCatch time.Time
}

func newDirectory(ctx context.Context, log engine.EventLog, now func() time.Time) (*Directory, error) {
	d := &Directory{log: log, now: now, people: map[engine.PersonID]*Person{}, codes: map[string]*codeEntry{},
		tokens: map[string]*sessionEntry{}, limiter: newRateLimiter(loginPerMinute, time.Minute)}
	if _, _, err := engine.Fold(ctx, log, DirectoryStream, 0, func(e engine.Event) error { d.apply(e); return nil }); err != nil {
		return nil, err
	}
	return d, nil
}

func (d *Directory) apply(e engine.Event) {
	switch ev := e.Data.(type) {
	case *PersonAdded:
		p := ev.Person
		d.people[p.ID] = &p
	case *LoginIssued:
		d.codes[ev.CodeHash] = &codeEntry{person: ev.Person, expires: ev.Expires}
	case *SessionStarted:
		if c := d.codes[ev.CodeHash]; c != nil {
			c.used = true
		}
		d.tokens[ev.SessionHash] = &sessionEntry{person: ev.Person, expires: ev.Expires}
	case *SessionEnded:
		delete(d.tokens, ev.SessionHash)
	case *LanguageChosen:
		if p := d.people[ev.Person]; p != nil {
			p.UILanguage = ev.Language
		}
	}
	d.seq = e.StreamSeq
}

// append stores directory events (pointers, as the log decodes them) and
// folds them in. check, if not nil, is what must still hold for them: on
// a node of several, an append refused because another node wrote first
// catches up with the log and, if check still passes, tries again.
func (d *Directory) append(ctx context.Context, actor engine.Actor, check func() error, data ...engine.EventData) error {
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	evs := make([]engine.Event, len(data))
	for i, x := range data {
		evs[i] = engine.NewEvent(d.now(), actor, x)
	}
	for attempt := 0; ; attempt++ {
		if check != nil {
			if err := check(); err != nil {
				return err
			}
		}
		d.mu.RLock()
		seq := d.seq
		d.mu.RUnlock()
		stored, err := d.log.Append(ctx, DirectoryStream, seq, evs)
		if err != nil {
			if d.shared && attempt < maxRetries && engine.ErrorCode(err) == engine.ECONFLICT {
				backOff(attempt)
				if cerr := d.catchUpLocked(ctx); cerr != nil {
					return cerr
				}
				continue
			}
			return err
		}
		d.mu.Lock()
		defer d.mu.Unlock()
		for _, e := range stored {
			d.apply(e)
		}
		return nil
	}
}

// holds reports whether the directory has applied its stream up to seq:
// a notification of a write it already holds (this node's own, or one
// read with an earlier catch-up) needs no read.
func (d *Directory) holds(seq uint64) bool {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.seq >= seq
}

// catchUp folds in the directory events other nodes stored.
func (d *Directory) catchUp(ctx context.Context) error {
	d.writeMu.Lock()
	defer d.writeMu.Unlock()
	return d.catchUpLocked(ctx)
}

// catchUpLocked is catchUp with writeMu held.
func (d *Directory) catchUpLocked(ctx context.Context) error {
	for {
		d.mu.RLock()
		seq := d.seq
		d.mu.RUnlock()
		evs, err := d.log.Read(ctx, DirectoryStream, seq, 10000)
		if err != nil {
			return err
		}
		d.mu.Lock()
		for _, e := range evs {
			d.apply(e)
		}
		d.mu.Unlock()
		if len(evs) < 10000 {
			return nil
		}
	}
}

// AddPerson registers a person. The ID must be new.
func (d *Directory) AddPerson(ctx context.Context, by engine.Actor, p Person) (Person, error) {
	p.Name = strings.TrimSpace(p.Name)
	switch {
	case p.ID == "":
		return p, engine.Errorf(engine.EINVALID, "id is required")
	case p.Name == "":
		return p, engine.Errorf(engine.EINVALID, "name is required")
	case len(p.ID) > 64 || strings.ContainsAny(string(p.ID), " /?#%"):
		return p, engine.Errorf(engine.EINVALID, "id %q must be at most 64 characters without spaces or / ? # %%", p.ID)
	}
	if p.Language != "" && p.Role != engine.RoleTranslator {
		return p, engine.Errorf(engine.EINVALID, "language: only a translator has one language; a %s works in every language, leave it empty", p.Role)
	}
	switch p.Role {
	case engine.RoleTranslator:
		if p.State != "" {
			return p, engine.Errorf(engine.EINVALID, "state: a translator belongs to the secretariat and acts for no State; leave it empty")
		}
		if !engine.IsUNLanguage(p.Language) || strings.Contains(p.Language, "-") || strings.ToLower(p.Language) != p.Language {
			return p, engine.Errorf(engine.EINVALID, "language %q: a translator translates into one of the six official languages (%s)", p.Language, strings.Join(engine.UNLanguages, ", "))
		}
	case engine.RoleDelegate:
		if _, ok := engine.LookupDelegation(p.State); !ok {
			return p, engine.Errorf(engine.EINVALID, "state %q is not a Member State or negotiating group; a delegate represents one", p.State)
		}
	case engine.RoleObserver:
		if p.State != "" {
			if _, ok := engine.LookupMemberState(p.State); ok {
				return p, engine.Errorf(engine.EINVALID, "state: an observer cannot represent Member State %s", p.State)
			}
		}
	case engine.RoleViewer:
		if p.State != "" || p.Org != "" {
			return p, engine.Errorf(engine.EINVALID, "state: a viewer is a projector or public screen; it represents nobody, leave state and org empty")
		}
	case engine.RoleSecretariat, engine.RoleOfficer:
		if p.State != "" {
			who := "the secretariat"
			if p.Role == engine.RoleOfficer {
				who = "an officer"
			}
			return p, engine.Errorf(engine.EINVALID, "state: %s acts for the body, not for a State; leave it empty", who)
		}
	case engine.RoleChair, engine.RoleViceChair, engine.RoleCoChair, engine.RoleFacilitator:
		// Presiding is an office held by election for a body and a term,
		// not a label on a person.
		return p, engine.Errorf(engine.EINVALID, "role %q is an office, held by election, not a role a person is given: add the person as an officer and elect them in the process (officer.nominate, officer.elect)", p.Role)
	default:
		return p, engine.Errorf(engine.EINVALID, "role %q is not one of secretariat, translator, officer, delegate, observer, viewer", p.Role)
	}
	return p, d.append(ctx, by, func() error {
		d.mu.RLock()
		_, dup := d.people[p.ID]
		d.mu.RUnlock()
		if dup {
			return engine.Errorf(engine.ECONFLICT, "person %q already exists", p.ID)
		}
		return nil
	}, &PersonAdded{p})
}

// IssueLogin issues a one-time login code for a person and returns it. Only
// its hash is stored; the code is shown once.
func (d *Directory) IssueLogin(ctx context.Context, by engine.Actor, id engine.PersonID) (string, error) {
	if _, ok := d.Person(id); !ok {
		return "", engine.Errorf(engine.ENOTFOUND, "person %q does not exist", id)
	}
	code := newCode()
	return code, d.append(ctx, by, nil, &LoginIssued{Person: id, CodeHash: hashSecret(normalizeCode(code)), Expires: d.now().Add(codeLifetime)})
}

// Login exchanges a one-time code for a session token. addr is the
// client's address (behind a trusted proxy, the one it names), for the
// limit on failed attempts.
//
// A valid code is always taken: the limit never refuses the right code
// because of wrong ones sent from the same address (behind a reverse
// proxy or a conference's network, that address is everyone's). Wrong
// codes count per address and per code; past loginPerMinute of either in
// a minute, wrong codes are refused with rate_limited and Retry-After
// instead of unauthorized. What keeps guessing hopeless is the code's 60
// random bits: with ten thousand codes open, a guess is right with
// probability below 10⁻¹⁴. A used, expired or unknown code gets the one
// same message, so that an answer never tells a guesser that a code
// exists.
func (d *Directory) Login(ctx context.Context, addr, code string) (string, Person, error) {
	h := hashSecret(normalizeCode(code))
	now := d.now()
	d.mu.RLock()
	c := d.codes[h]
	var p *Person
	if c != nil {
		p = d.people[c.person]
	}
	d.mu.RUnlock()
	if c == nil || p == nil || c.used || now.After(c.expires) {
		wait := max(d.limiter.failed("addr/"+addr, now), d.limiter.failed("code/"+h, now))
		if wait > 0 {
			return "", Person{}, tooFast(wait, "too many wrong login codes from your address; wait %s and try again, or ask the secretariat for a new code", seconds(wait))
		}
		return "", Person{}, engine.Errorf(engine.EUNAUTHORIZED, "this login code is not valid: it is unknown, already used or expired; check it or ask the secretariat for a new one")
	}
	token := newToken()
	err := d.append(ctx, p.Actor(), func() error {
		d.mu.RLock()
		defer d.mu.RUnlock()
		if c.used {
			// Another node took the code first, between the check and now.
			return engine.Errorf(engine.EUNAUTHORIZED, "this login code is not valid: it is unknown, already used or expired; check it or ask the secretariat for a new one")
		}
		return nil
	}, &SessionStarted{Person: p.ID, CodeHash: h, SessionHash: hashSecret(token), Expires: d.now().Add(sessionTTL)})
	return token, *p, err
}

// Logout ends a session.
func (d *Directory) Logout(ctx context.Context, who Person, token string) error {
	return d.append(ctx, who.Actor(), nil, &SessionEnded{SessionHash: hashSecret(token)})
}

// ChooseLanguage records the language a person chose for the interface
// (engine.ChooseInterfaceLanguage checks it). A viewer, a projector or
// public screen that several people may set up, keeps its language in the
// browser it runs in and is refused.
func (d *Directory) ChooseLanguage(ctx context.Context, who Person, lang string) (Person, error) {
	if err := (engine.ChooseInterfaceLanguage{Language: lang}).Check(); err != nil {
		return who, err
	}
	if who.Role == engine.RoleViewer {
		return who, engine.Errorf(engine.EFORBIDDEN, "a viewer (projector or public screen) keeps its interface language in the browser it runs in; it is not stored with the login")
	}
	if cur, ok := d.Person(who.ID); ok && cur.UILanguage == lang {
		return cur, nil
	}
	if err := d.append(ctx, who.Actor(), func() error {
		if _, ok := d.Person(who.ID); !ok {
			return engine.Errorf(engine.ENOTFOUND, "person %q does not exist", who.ID)
		}
		return nil
	}, &LanguageChosen{Person: who.ID, Language: lang}); err != nil {
		return who, err
	}
	p, _ := d.Person(who.ID)
	return p, nil
}

// Session returns the person a session token belongs to. On a node of
// several, a token not known here may be a login on another node whose
// event has not reached this one yet: the directory is read from the log
// once (at most every 50 ms) before the token is refused.
func (d *Directory) Session(token string) (Person, bool) {
	p, ok := d.session(token)
	if ok || !d.shared || token == "" {
		return p, ok
	}
	d.lookupMu.Lock()
	if time.Since(d.lastCatch) >= 50*time.Millisecond {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = d.catchUp(ctx)
		cancel()
		d.lastCatch = time.Now()
	}
	d.lookupMu.Unlock()
	return d.session(token)
}

// session looks a token up in what the directory holds.
func (d *Directory) session(token string) (Person, bool) {
	if token == "" {
		return Person{}, false
	}
	h := hashSecret(token)
	d.mu.RLock()
	defer d.mu.RUnlock()
	s := d.tokens[h]
	if s == nil || d.now().After(s.expires) {
		return Person{}, false
	}
	p := d.people[s.person]
	if p == nil {
		return Person{}, false
	}
	return *p, true
}

// Person returns a registered person.
func (d *Directory) Person(id engine.PersonID) (Person, bool) {
	d.mu.RLock()
	defer d.mu.RUnlock()
	p := d.people[id]
	if p == nil {
		return Person{}, false
	}
	return *p, true
}

// People lists everyone registered, in order of identity.
func (d *Directory) People() []Person {
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := make([]Person, 0, len(d.people))
	for _, p := range d.people {
		out = append(out, *p)
	}
	sortPeople(out)
	return out
}

func sortPeople(ps []Person) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].ID < ps[j-1].ID; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

func (d *Directory) name(id engine.PersonID) string {
	if p, ok := d.Person(id); ok {
		return p.Name
	}
	return ""
}

// codeAlphabet has no easily confused characters (no 0/O, 1/I/L).
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// newCode returns a 12-character login code in groups of four, easy to
// type on a tablet: 60 bits of randomness.
func newCode() string {
	b := make([]byte, 12)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	var sb strings.Builder
	for i, x := range b {
		if i > 0 && i%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(codeAlphabet[int(x)%len(codeAlphabet)])
	}
	return sb.String()
}

func normalizeCode(code string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' {
			return -1
		}
		if r >= 'a' && r <= 'z' {
			return r - 'a' + 'A'
		}
		return r
	}, code)
}

func newToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// sessionToken reads the session token of a request: the session cookie,
// or an "Authorization: Bearer" header for programs.
func sessionToken(r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	if a := r.Header.Get("Authorization"); len(a) > 7 && strings.EqualFold(a[:7], "bearer ") {
		return strings.TrimSpace(a[7:])
	}
	return ""
}

// rateLimiter counts events per key in fixed windows.
type rateLimiter struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	counts map[string]*windowCount
}

type windowCount struct {
	start time.Time
	n     int
}

func newRateLimiter(limit int, window time.Duration) *rateLimiter {
	return &rateLimiter{limit: limit, window: window, counts: map[string]*windowCount{}}
}

// failed counts one failure for key in the current window and returns,
// when key has now gone past the limit, how long until the window ends;
// 0 while it is within the limit.
func (l *rateLimiter) failed(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	w := l.counts[key]
	if w == nil || now.Sub(w.start) >= l.window {
		if len(l.counts) > 100000 {
			l.counts = map[string]*windowCount{} // bound memory under a spray of addresses
		}
		w = &windowCount{start: now}
		l.counts[key] = w
	}
	w.n++
	if w.n <= l.limit {
		return 0
	}
	return w.start.Add(l.window).Sub(now)
}
