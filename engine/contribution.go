package engine

import (
	"fmt"
	"slices"
	"time"
)

// Contribution is a written contribution submitted to a meeting: a text,
// a file, or both, by the representative of an accredited observer (or a
// delegation). Stakeholders contribute in writing where the seeds admit
// them — in stakeholder consultations and in the meetings of groups and
// intersessional meetings open to their category — and never amend the
// States' text: negotiation and decision-making are exclusive
// prerogatives of States (permanent mechanism, paragraph 11).
type Contribution struct {
	ID        string      `json:"id"` // c1, c2, … in order of submission
	Meeting   MeetingID   `json:"meeting"`
	By        PersonID    `json:"by"`
	Observer  ObserverID  `json:"observer,omitempty"` // for an observer's representative
	State     StateCode   `json:"state,omitempty"`    // for a delegate
	Title     string      `json:"title"`
	Text      string      `json:"text,omitempty"`
	File      *Attachment `json:"file,omitempty"`
	Submitted time.Time   `json:"submitted"`
}

// Attachment is a file attached to a contribution, whole.
type Attachment struct {
	Name      string `json:"name"`
	MediaType string `json:"mediaType"`
	Data      []byte `json:"data"` // base64 in JSON
}

// MaxAttachment is the largest file accepted with a contribution.
const MaxAttachment = 512 << 10

// contributionKinds are the meetings that take written contributions
// from stakeholders.
func (k MeetingKind) takesStakeholders() bool {
	return k == StakeholderConsultation || k == GroupMeeting || k == IntersessionalMeeting
}

// ContributionsTo returns the contributions submitted to a meeting, in
// order of submission.
func (p *Process) ContributionsTo(meeting MeetingID) []*Contribution {
	var out []*Contribution
	for _, c := range p.Contributions {
		if c.Meeting == meeting {
			out = append(out, c)
		}
	}
	return out
}

// SubmitContribution submits a written contribution to a meeting. The
// submitter is the registered participant acting (c.Actor.Person): an
// observer's representative, for a meeting that admits the observer's
// category and takes stakeholders' contributions; or a delegate, for
// their delegation. It is refused after the meeting ended.
type SubmitContribution struct {
	Meeting MeetingID   `json:"meeting"`
	Title   string      `json:"title"`
	Text    string      `json:"text,omitempty"`
	File    *Attachment `json:"file,omitempty"`
}

// ContributionSubmitted records a contribution, whole.
type ContributionSubmitted struct {
	Contribution Contribution `json:"contribution"`
}

func (cmd SubmitContribution) decide(p *Process, c Context) ([]EventData, error) {
	x, err := p.Participant(c.Actor.Person)
	if err != nil {
		return nil, Errorf(EFORBIDDEN, "%s; written contributions come from registered participants", Because(err))
	}
	m, err := p.Meeting(cmd.Meeting)
	if err != nil {
		return nil, err
	}
	if m.Cancelled {
		return nil, Errorf(ECONFLICT, "meeting %s was cancelled: %s", m.ID, m.Reason)
	}
	if !c.Now.Before(m.End) {
		return nil, Errorf(ECONFLICT, "meeting %s ended at %s; written contributions are submitted before it ends", m.label(), when(m.End))
	}
	if err := nonEmpty("title", cmd.Title); err != nil {
		return nil, err
	}
	if err := checkTexts("title", cmd.Title); err != nil {
		return nil, err
	}
	if err := checkComment("text of the contribution", cmd.Text); err != nil {
		return nil, err
	}
	if cmd.File == nil && cmd.Text == "" {
		return nil, Errorf(EINVALID, "a contribution has a text, a file or both")
	}
	if f := cmd.File; f != nil {
		if err := nonEmpty("file name", f.Name); err != nil {
			return nil, err
		}
		if err := checkTexts("file name", f.Name, "file media type", f.MediaType); err != nil {
			return nil, err
		}
		if len(f.Data) == 0 {
			return nil, Errorf(EINVALID, "file %s is empty", f.Name)
		}
		if len(f.Data) > MaxAttachment {
			return nil, Errorf(EINVALID, "file %s is %d bytes; the limit is %d", f.Name, len(f.Data), MaxAttachment)
		}
	}
	ct := Contribution{ID: fmt.Sprintf("c%d", len(p.Contributions)+1), Meeting: m.ID, By: x.Person, Title: cmd.Title, Text: cmd.Text, Submitted: c.Now.UTC()}
	if cmd.File != nil {
		f := *cmd.File
		f.Data = slices.Clone(f.Data)
		ct.File = &f
	}
	switch x.Role {
	case RoleObserver:
		o, err := p.Observer(x.Observer)
		if err != nil {
			return nil, err
		}
		if !m.Kind.takesStakeholders() {
			return nil, Errorf(EFORBIDDEN, "meeting %s is %s, where States negotiate; %s contributes in writing to stakeholder consultations and to the meetings of groups and intersessional meetings open to it", m.label(), m.Kind.words(), o.label())
		}
		if m.StateOnly() {
			return nil, Errorf(EFORBIDDEN, "%s cannot contribute to meeting %s: it is State-only", o.label(), m.label())
		}
		if !m.admits(o.Category) {
			return nil, Errorf(EFORBIDDEN, "%s cannot contribute to meeting %s: it admits only %s", o.label(), m.label(), categoryList(m.Admits))
		}
		ct.Observer = o.ID
	case RoleDelegate:
		ct.State = x.State
	default:
		return nil, Errorf(EFORBIDDEN, "%s speaks for no delegation or observer; written contributions come from delegations and observers", roleName(x.Role))
	}
	return []EventData{ContributionSubmitted{Contribution: ct}}, nil
}

// EventType implements EventData.
func (ContributionSubmitted) EventType() string { return "contribution.submitted" }

func (ev ContributionSubmitted) apply(p *Process, e Event) {
	ct := ev.Contribution
	p.Contributions = append(p.Contributions, &ct)
}

func init() { RegisterEvent(func() EventData { return new(ContributionSubmitted) }) }
