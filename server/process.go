package server

import (
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/fixtures"
)

// processEntry is one process held in memory, its commands serialised by
// its mutex (processes change rarely: set-up, scheduling, elections).
type processEntry struct {
	mu  sync.Mutex
	p   *engine.Process
	seq uint64
}

// catchUp folds in the events of the process stored after pe.seq (by
// other nodes). The caller holds pe.mu.
func (pe *processEntry) catchUp(ctx context.Context, log engine.EventLog, id engine.ProcessID) error {
	seq, _, err := engine.Fold(ctx, log, engine.ProcessStream(id), pe.seq, pe.p.Apply)
	pe.seq = seq
	return err
}

// process returns a process by identity, or ENOTFOUND.
func (s *Server) process(id engine.ProcessID) (*processEntry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	pe, ok := s.processes[id]
	if !ok {
		return nil, engine.Errorf(engine.ENOTFOUND, "process %q does not exist", id)
	}
	return pe, nil
}

// meetingRef copies a meeting from its process, for a reading: the room's
// rules for observers depend on whether it is State-only.
func (s *Server) meetingRef(process engine.ProcessID, meeting engine.MeetingID) (engine.MeetingRef, error) {
	pe, err := s.process(process)
	if err != nil {
		return engine.MeetingRef{}, err
	}
	pe.mu.Lock()
	defer pe.mu.Unlock()
	return pe.p.MeetingRef(meeting)
}

// offices copies the record of offices of a process for a document
// command (nil for a document outside any process, or an unknown one: the
// engine then lets no one preside over a process's document).
func (s *Server) offices(process engine.ProcessID) *engine.Offices {
	if process == "" {
		return nil
	}
	pe, err := s.process(process)
	if err != nil {
		return nil
	}
	pe.mu.Lock()
	defer pe.mu.Unlock()
	return pe.p.Offices()
}

// officesOf lists every term of office a person holds or held, in every
// process, in order of process and term.
func (s *Server) officesOf(person engine.PersonID) []OfficeHeld {
	s.mu.Lock()
	ids := make([]engine.ProcessID, 0, len(s.processes))
	for id := range s.processes {
		ids = append(ids, id)
	}
	s.mu.Unlock()
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	var out []OfficeHeld
	for _, id := range ids {
		pe, err := s.process(id)
		if err != nil {
			continue
		}
		pe.mu.Lock()
		for _, o := range pe.p.Officers {
			if o.Person == person {
				out = append(out, OfficeHeld{Process: id, Officer: *o})
			}
		}
		pe.mu.Unlock()
	}
	return out
}

// observerCode gives an observer's representative the code of the
// observer they represent in the process (Actor.State), under which they
// ask for the floor, when the directory does not say it.
func (s *Server) observerCode(process engine.ProcessID, a engine.Actor) engine.Actor {
	if a.Role != engine.RoleObserver || a.State != "" || process == "" {
		return a
	}
	pe, err := s.process(process)
	if err != nil {
		return a
	}
	pe.mu.Lock()
	defer pe.mu.Unlock()
	if x, err := pe.p.Participant(a.Person); err == nil && x.Role == engine.RoleObserver {
		a.State = engine.StateCode(x.Observer)
	}
	return a
}

// officeHeld gives a person who may hold office the role of the seat they
// hold over the document's body for this command (chair, vice-chair,
// co-chair, facilitator), so that the record says in which capacity they
// acted. It confers nothing: the engine checks the seat itself.
func officeHeld(d *engine.Document, c engine.Context, cmd engine.DocumentCommand) engine.Actor {
	a := c.Actor
	switch a.Role {
	case engine.RoleOfficer, engine.RoleChair, engine.RoleViceChair, engine.RoleCoChair, engine.RoleFacilitator:
	default:
		return a
	}
	for _, o := range d.PresidingOfficers(c, cmd) {
		if o.Person == a.Person {
			a.Role = o.Role
			return a
		}
	}
	return a
}

// CreateProcessRequest sets up a process from a template: one of the
// templates we ship (by name) or a template of the secretariat's own.
type CreateProcessRequest struct {
	Template string          `json:"template,omitempty"` // "permanent-mechanism" or "oewg-2021-2025"
	Custom   json.RawMessage `json:"custom,omitempty"`   // a template in the fixtures/processes format
}

// ProcessSummary lists a process.
type ProcessSummary struct {
	ID   engine.ProcessID `json:"id"`
	Name string           `json:"name"`
	Seq  uint64           `json:"seq"`
}

// Templates lists the process templates shipped in the binary.
func Templates() []string {
	entries, _ := fs.ReadDir(fixtures.FS, "processes")
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	return out
}

// CreateProcess builds a process from a template and stores its events.
func (s *Server) CreateProcess(ctx context.Context, by Person, req CreateProcessRequest) (ProcessSummary, error) {
	if by.Role != engine.RoleSecretariat && by.Role != engine.RoleSystem {
		return ProcessSummary{}, engine.Errorf(engine.EFORBIDDEN, "only the secretariat can set up a process")
	}
	data := []byte(req.Custom)
	if req.Template != "" {
		if strings.ContainsAny(req.Template, "/.\\") {
			return ProcessSummary{}, engine.Errorf(engine.EINVALID, "template %q is not one of %s", req.Template, strings.Join(Templates(), ", "))
		}
		b, err := fs.ReadFile(fixtures.FS, "processes/"+req.Template+"/process.json")
		if err != nil {
			return ProcessSummary{}, engine.Errorf(engine.EINVALID, "template %q is not one of %s", req.Template, strings.Join(Templates(), ", "))
		}
		data = b
	}
	if len(data) == 0 {
		return ProcessSummary{}, engine.Errorf(engine.EINVALID, "template or custom is required")
	}
	t, err := engine.ParseProcessTemplate(data)
	if err != nil {
		return ProcessSummary{}, err
	}
	p, evs, err := engine.BuildProcess(engine.Context{Now: s.now(), Actor: by.Actor()}, t)
	if err != nil {
		return ProcessSummary{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.processes[p.ID]; dup {
		return ProcessSummary{}, engine.Errorf(engine.ECONFLICT, "process %q already exists", p.ID)
	}
	stored, err := s.log.Append(ctx, engine.ProcessStream(p.ID), 0, evs)
	if err != nil {
		return ProcessSummary{}, err
	}
	pe := &processEntry{p: p, seq: stored[len(stored)-1].StreamSeq}
	s.processes[p.ID] = pe
	return ProcessSummary{p.ID, p.Name, pe.seq}, nil
}

// processSpecs names the process commands the API takes. The engine checks
// who may do each (the secretariat sets up; the chair takes decisions; a
// delegate objects for their own State) and refuses with its own words;
// the server keeps observers out.
var processSpecs = map[string]func(json.RawMessage) (engine.ProcessCommand, error){
	"body.establish":       decodeProc[engine.EstablishBody],
	"meeting.schedule":     decodeProc[engine.ScheduleMeeting],
	"meeting.cancel":       decodeProc[engine.CancelMeeting],
	"participant.register": decodeProc[engine.RegisterParticipant],
	"participant.withdraw": decodeProc[engine.WithdrawParticipant],
	"observer.propose":     decodeProc[engine.ProposeObserver],
	"observer.object":      decodeProc[engine.ObjectToObserver],
	"accreditation.close":  decodeProc[engine.CloseAccreditation],
	"officer.nominate":     decodeProc[engine.NominateOfficer],
	"officer.object":       decodeProc[engine.ObjectToNomination],
	"officer.elect":        decodeProc[engine.ElectOfficer],
	"facilitator.appoint":  decodeProc[engine.AppointFacilitator],
	"document.register":    decodeProc[engine.RegisterDocument],
	"document.transmit":    decodeProc[engine.TransmitDocument],
	"contribution.submit":  decodeProc[engine.SubmitContribution],
	"agenda.propose":       decodeProc[engine.ProposeAgenda],
	"agenda.object":        decodeProc[engine.ObjectToAgenda],
	"agenda.adopt":         decodeProc[engine.AdoptAgenda],
	"rules.propose":        decodeProc[engine.ProposeRuleChange],
	"rules.object":         decodeProc[engine.ObjectToRuleChange],
	"rules.decide":         decodeProc[engine.DecideRuleChange],
}

func decodeProc[T engine.ProcessCommand](raw json.RawMessage) (engine.ProcessCommand, error) {
	var v T
	if len(raw) == 0 {
		raw = json.RawMessage("{}")
	}
	if err := decodeStrict(raw, &v, "command."); err != nil {
		return nil, err
	}
	return v, nil
}

// ProcessCommand decides and stores one process command.
func (s *Server) ProcessCommand(ctx context.Context, id engine.ProcessID, by Person, name string, raw json.RawMessage) ([]engine.Event, error) {
	dec, ok := processSpecs[name]
	if !ok {
		names := make([]string, 0, len(processSpecs))
		for n := range processSpecs {
			names = append(names, n)
		}
		sort.Strings(names)
		return nil, engine.Errorf(engine.EINVALID, "unknown process command %q; one of %s", name, strings.Join(names, ", "))
	}
	if by.Role == engine.RoleObserver && name != "contribution.submit" {
		return nil, engine.Errorf(engine.EFORBIDDEN, "observers follow the process and submit written contributions (contribution.submit); they cannot change it")
	}
	cmd, err := dec(raw)
	if err != nil {
		return nil, err
	}
	pe, err := s.process(id)
	if err != nil {
		return nil, err
	}
	pe.mu.Lock()
	defer pe.mu.Unlock()
	return s.appendProcess(ctx, id, pe, func(p *engine.Process) ([]engine.Event, error) {
		return p.Decide(engine.Context{Now: s.now(), Actor: by.Actor()}, cmd)
	})
}

// appendProcess decides with decide on the process as held, stores the
// events expecting the sequence held and applies them. An append refused
// because the stream moved on (another node, or "draftroom import" on the
// same database, wrote first) is followed by a catch-up from the log and
// a new decision on that state: this is what keeps two allocations of a
// document symbol from taking one number. decide returning no events
// stores nothing. The caller holds pe.mu.
func (s *Server) appendProcess(ctx context.Context, id engine.ProcessID, pe *processEntry, decide func(*engine.Process) ([]engine.Event, error)) ([]engine.Event, error) {
	var stored []engine.Event
	for attempt := 0; ; attempt++ {
		evs, err := decide(pe.p)
		if err != nil || len(evs) == 0 {
			return nil, err
		}
		stored, err = s.log.Append(ctx, engine.ProcessStream(id), pe.seq, evs)
		if err == nil {
			break
		}
		if attempt >= maxRetries || engine.ErrorCode(err) != engine.ECONFLICT {
			return nil, err
		}
		if s.cluster != nil {
			backOff(attempt)
		}
		// Another writer changed the process first: decide again on its
		// state as stored.
		if err := pe.catchUp(ctx, s.log, id); err != nil {
			return nil, err
		}
	}
	for _, e := range stored {
		if err := pe.p.Apply(e); err != nil {
			return nil, err
		}
		pe.seq = e.StreamSeq
	}
	return stored, nil
}

func (s *Server) listProcesses(w http.ResponseWriter, r *http.Request, p Person) {
	s.mu.Lock()
	out := []ProcessSummary{}
	for id, pe := range s.processes {
		pe.mu.Lock()
		out = append(out, ProcessSummary{id, pe.p.Name, pe.seq})
		pe.mu.Unlock()
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	writeJSON(w, http.StatusOK, map[string]any{"processes": out, "templates": Templates()})
}

func (s *Server) createProcess(w http.ResponseWriter, r *http.Request, by Person) {
	var req CreateProcessRequest
	if err := decodeJSON(r, maxImport, &req); err != nil {
		writeError(w, r, err)
		return
	}
	sum, err := s.CreateProcess(r.Context(), by, req)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, sum)
}

func (s *Server) getProcess(w http.ResponseWriter, r *http.Request, p Person) {
	pe, err := s.process(engine.ProcessID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, err)
		return
	}
	pe.mu.Lock()
	b, err := json.Marshal(struct {
		Seq     uint64          `json:"seq"`
		Process *engine.Process `json:"process"`
	}{pe.seq, pe.p})
	pe.mu.Unlock()
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = w.Write(b)
}

func (s *Server) processCommand(w http.ResponseWriter, r *http.Request, p Person) {
	var req CommandRequest
	if err := decodeJSON(r, maxBody, &req); err != nil {
		writeError(w, r, err)
		return
	}
	evs, err := s.ProcessCommand(r.Context(), engine.ProcessID(r.PathValue("id")), p, req.Name, req.Command)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, CommandResponse{Seq: evs[len(evs)-1].StreamSeq, Events: evs})
}
