package engine

import (
	"slices"
	"time"
)

// FloorRequest is a delegation's place on the floor of a meeting: who
// asked, when, and when the floor was given. A State's delegates share one
// place: the request is the delegation's, not the person's.
type FloorRequest struct {
	Delegation StateCode `json:"delegation"` // a Member State, a negotiating group, or an observer's code
	// OnBehalf is the negotiating group a member State speaks for
	// ("Egypt, on behalf of the Group of 77 and China").
	OnBehalf StateCode `json:"onBehalf,omitempty"`
	// Reply marks a right of reply: the chair gives the floor for replies
	// once the speakers' list is exhausted, under their own time limit.
	Reply  bool      `json:"reply,omitempty"`
	Person PersonID  `json:"person,omitempty"`
	Asked  time.Time `json:"asked,omitzero"`
	Given  time.Time `json:"given,omitzero"`
}

// Speaking returns who has the floor, if anyone.
func (r *Reading) Speaking() (FloorRequest, bool) {
	if n := len(r.Speakers); n > 0 {
		return r.Speakers[n-1], true
	}
	return FloorRequest{}, false
}

func (r *Reading) queued(s StateCode) int {
	return slices.IndexFunc(r.Queue, func(q FloorRequest) bool { return q.Delegation == s })
}

// floorReading returns the open reading, or refuses: the floor exists only
// while a meeting is in session in the room.
func (d *Document) floorReading() (*Reading, error) {
	r := d.CurrentReading()
	if r == nil {
		return nil, Errorf(ECONFLICT, "no meeting is in session in %s: the floor opens with a reading", d.label())
	}
	return r, nil
}

// checkSpeaker refuses a speaker who is neither a delegation nor, in a
// meeting open to observers, an observer.
func checkSpeaker(r *Reading, s StateCode) error {
	if err := nonEmpty("delegation", string(s)); err != nil {
		return err
	}
	if !isDelegation(s) && r.Meeting.StateOnly() {
		return Errorf(EFORBIDDEN, "%s is not a Member State or negotiating group, and meeting %s is State-only", s, r.Meeting.label())
	}
	return nil
}

// AskFloor puts a delegation in the queue for the floor of the meeting in
// session. A delegate asks for their own delegation; officers and the
// secretariat may add any delegation. A delegation has one place however
// many of its delegates ask.
//
// OnBehalf asks for the floor for a negotiating group the delegation is a
// member of (the group's speaker: "Egypt, on behalf of the Group of 77 and
// China"); Reply asks for a right of reply.
type AskFloor struct {
	Delegation StateCode `json:"delegation"`
	OnBehalf   StateCode `json:"onBehalf,omitempty"`
	Reply      bool      `json:"reply,omitempty"`
}

// FloorAsked records a place taken in the queue.
type FloorAsked struct {
	Request FloorRequest `json:"request"`
}

func (cmd AskFloor) decide(d *Document, c Context) ([]EventData, error) {
	r, err := d.floorReading()
	if err != nil {
		return nil, err
	}
	if c.Actor.Role == RoleDelegate && c.Actor.State != cmd.Delegation {
		return nil, Errorf(EFORBIDDEN, "a delegate of %s cannot ask for the floor for %s", c.Actor.State, cmd.Delegation)
	}
	if err := checkSpeaker(r, cmd.Delegation); err != nil {
		return nil, err
	}
	if cmd.OnBehalf != "" {
		g, ok := LookupNegotiatingGroup(cmd.OnBehalf)
		switch {
		case !ok:
			return nil, Errorf(EINVALID, "onBehalf: %q is not a negotiating group (EU, G77, AG)", cmd.OnBehalf)
		case cmd.OnBehalf == cmd.Delegation:
			return nil, Errorf(EINVALID, "onBehalf: %s speaks for itself; onBehalf names the group a member State speaks for", cmd.Delegation)
		case !slices.Contains(g.Members, cmd.Delegation):
			return nil, Errorf(EFORBIDDEN, "%s is not a member of the %s and cannot speak on its behalf", delegationName(cmd.Delegation), g.Name)
		}
	}
	if i := r.queued(cmd.Delegation); i >= 0 {
		q := r.Queue[i]
		return nil, Errorf(ECONFLICT, "%s already has place %d in the queue, asked by %s at %s: a delegation's delegates share one place", delegationName(cmd.Delegation), i+1, q.Person, when(q.Asked))
	}
	return []EventData{FloorAsked{Request: FloorRequest{Delegation: cmd.Delegation, OnBehalf: cmd.OnBehalf, Reply: cmd.Reply, Person: c.Actor.Person, Asked: c.Now.UTC()}}}, nil
}

// EventType implements EventData.
func (FloorAsked) EventType() string { return "floor.asked" }

func (ev FloorAsked) apply(d *Document, e Event) {
	r := d.CurrentReading()
	r.Queue = append(r.Queue, ev.Request)
}

// WithdrawFloor takes a delegation out of the queue.
type WithdrawFloor struct {
	Delegation StateCode `json:"delegation"`
}

// FloorWithdrawn records a place given up.
type FloorWithdrawn WithdrawFloor

func (cmd WithdrawFloor) decide(d *Document, c Context) ([]EventData, error) {
	r, err := d.floorReading()
	if err != nil {
		return nil, err
	}
	if c.Actor.Role == RoleDelegate && c.Actor.State != cmd.Delegation {
		return nil, Errorf(EFORBIDDEN, "a delegate of %s cannot withdraw %s from the queue", c.Actor.State, cmd.Delegation)
	}
	if r.queued(cmd.Delegation) < 0 {
		return nil, Errorf(ENOTFOUND, "%s is not waiting for the floor in meeting %s", delegationName(cmd.Delegation), r.Meeting.label())
	}
	return []EventData{FloorWithdrawn(cmd)}, nil
}

// EventType implements EventData.
func (FloorWithdrawn) EventType() string { return "floor.withdrawn" }

func (ev FloorWithdrawn) apply(d *Document, e Event) {
	r := d.CurrentReading()
	r.Queue = slices.Delete(r.Queue, r.queued(ev.Delegation), r.queued(ev.Delegation)+1)
}

// GiveFloor gives the floor to a delegation, in the queue or not (a right
// of reply); it leaves the queue.
type GiveFloor struct {
	Delegation StateCode `json:"delegation"`
}

// NextSpeaker gives the floor to the first delegation in the queue.
type NextSpeaker struct{}

// FloorGiven records who was given the floor.
type FloorGiven struct {
	Request FloorRequest `json:"request"`
}

func (cmd GiveFloor) decide(d *Document, c Context) ([]EventData, error) {
	if err := d.presiding(c, "give the floor"); err != nil {
		return nil, err
	}
	r, err := d.floorReading()
	if err != nil {
		return nil, err
	}
	if err := checkSpeaker(r, cmd.Delegation); err != nil {
		return nil, err
	}
	req := FloorRequest{Delegation: cmd.Delegation}
	if i := r.queued(cmd.Delegation); i >= 0 {
		req = r.Queue[i]
	}
	req.Given = c.Now.UTC()
	return []EventData{FloorGiven{Request: req}}, nil
}

func (cmd NextSpeaker) decide(d *Document, c Context) ([]EventData, error) {
	if err := d.presiding(c, "give the floor"); err != nil {
		return nil, err
	}
	r, err := d.floorReading()
	if err != nil {
		return nil, err
	}
	if len(r.Queue) == 0 {
		return nil, Errorf(ECONFLICT, "no one is waiting for the floor in meeting %s", r.Meeting.label())
	}
	// The speakers' list first; rights of reply once it is exhausted.
	req := r.Queue[0]
	if i := slices.IndexFunc(r.Queue, func(q FloorRequest) bool { return !q.Reply }); i >= 0 {
		req = r.Queue[i]
	}
	req.Given = c.Now.UTC()
	return []EventData{FloorGiven{Request: req}}, nil
}

// MaxSpeakingTime is the longest speaking-time limit the chair may set.
const MaxSpeakingTime = 3600

// SetSpeakingTime sets the time limit of a statement in the meeting in
// session, and of a right of reply, in seconds (0: no limit). Every
// screen counts down the speaker's time from when the floor was given.
type SetSpeakingTime struct {
	Seconds      int `json:"seconds"`
	ReplySeconds int `json:"replySeconds,omitempty"`
}

// SpeakingTimeSet records the time limits set.
type SpeakingTimeSet SetSpeakingTime

func (cmd SetSpeakingTime) decide(d *Document, c Context) ([]EventData, error) {
	if err := d.presiding(c, "set the speaking time"); err != nil {
		return nil, err
	}
	if _, err := d.floorReading(); err != nil {
		return nil, err
	}
	for _, x := range []struct {
		name string
		n    int
	}{{"seconds", cmd.Seconds}, {"replySeconds", cmd.ReplySeconds}} {
		if x.n < 0 || x.n > MaxSpeakingTime {
			return nil, Errorf(EINVALID, "%s: a speaking time is from 0 (no limit) to %d seconds, not %d", x.name, MaxSpeakingTime, x.n)
		}
	}
	return []EventData{SpeakingTimeSet(cmd)}, nil
}

// EventType implements EventData.
func (SpeakingTimeSet) EventType() string { return "floor.time-set" }

func (ev SpeakingTimeSet) apply(d *Document, e Event) {
	r := d.CurrentReading()
	r.SpeakingTime, r.ReplyTime = ev.Seconds, ev.ReplySeconds
}

// EventType implements EventData.
func (FloorGiven) EventType() string { return "floor.given" }

func (ev FloorGiven) apply(d *Document, e Event) {
	r := d.CurrentReading()
	if i := r.queued(ev.Request.Delegation); i >= 0 {
		r.Queue = slices.Delete(r.Queue, i, i+1)
	}
	r.Speakers = append(r.Speakers, ev.Request)
}

func init() {
	RegisterEvent(func() EventData { return new(FloorAsked) })
	RegisterEvent(func() EventData { return new(FloorWithdrawn) })
	RegisterEvent(func() EventData { return new(FloorGiven) })
	RegisterEvent(func() EventData { return new(SpeakingTimeSet) })
}
