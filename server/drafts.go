package server

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/draftroom/draftroom/engine"
)

// draftsEntry holds the group drafts of one document (engine.GroupDrafts,
// stream drafts/<document>), loaded on first use; a mutex orders their
// commands. They never go through the room, whose every event all its
// clients receive: a delegation reads its groups' drafts over HTTP.
type draftsEntry struct {
	mu  sync.Mutex
	g   *engine.GroupDrafts
	seq uint64
}

// catchUp folds in the drafts stored after de.seq (by other nodes). The
// caller holds de.mu.
func (de *draftsEntry) catchUp(ctx context.Context, log engine.EventLog, id engine.DocumentID) error {
	seq, _, err := engine.Fold(ctx, log, engine.DraftsStream(id), de.seq, de.g.Apply)
	de.seq = seq
	return err
}

// groupDrafts returns the drafts of a document, loading them once.
func (s *Server) groupDrafts(ctx context.Context, id engine.DocumentID) (*draftsEntry, error) {
	if _, err := s.room(id); err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.drafts == nil {
		s.drafts = map[engine.DocumentID]*draftsEntry{}
	}
	de, ok := s.drafts[id]
	if !ok {
		de = &draftsEntry{g: engine.NewGroupDrafts()}
		s.drafts[id] = de
		de.mu.Lock() // loaded before anyone else uses it
		s.mu.Unlock()
		defer de.mu.Unlock()
		if err := de.catchUp(ctx, s.log, id); err != nil {
			s.mu.Lock()
			delete(s.drafts, id)
			s.mu.Unlock()
			return nil, err
		}
		return de, nil
	}
	s.mu.Unlock()
	return de, nil
}

// DraftsResponse is what a delegation sees of the group drafts of a
// document: those of its own delegation and of the groups its State
// belongs to.
type DraftsResponse struct {
	Groups []engine.StateCode  `json:"groups"`
	Drafts []engine.GroupDraft `json:"drafts"`
}

// draftGroups lists the delegation and groups a delegate drafts in.
func draftGroups(p Person) []engine.StateCode {
	out := []engine.StateCode{p.State}
	for _, g := range groupsOf(p.State) {
		out = append(out, g.Code)
	}
	return out
}

func onlyDelegates(p Person) error {
	if p.Role != engine.RoleDelegate || p.State == "" {
		return engine.Errorf(engine.EFORBIDDEN, "group drafts are seen and written only by the delegates of the delegation or group; you are a %s", p.Role)
	}
	return nil
}

// listDrafts answers GET /api/documents/{id}/drafts.
func (s *Server) listDrafts(w http.ResponseWriter, r *http.Request, p Person) {
	if err := onlyDelegates(p); err != nil {
		writeError(w, r, err)
		return
	}
	de, err := s.groupDrafts(r.Context(), engine.DocumentID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, err)
		return
	}
	de.mu.Lock()
	out := DraftsResponse{Groups: draftGroups(p), Drafts: de.g.For(p.State)}
	de.mu.Unlock()
	if out.Drafts == nil {
		out.Drafts = []engine.GroupDraft{}
	}
	writeJSON(w, http.StatusOK, out)
}

// TableRequest tables a group draft: the room is sent the amendment,
// proposed by the tabling delegate's own delegation (the group's own
// delegates table it as the group).
type TableRequest struct {
	ID int `json:"id"`
}

var draftCommands = map[string]func(json.RawMessage) (any, error){
	"draft.save":  decodeAny[engine.SaveDraft],
	"draft.drop":  decodeAny[engine.DropDraft],
	"draft.table": decodeAny[TableRequest],
}

func decodeAny[T any](raw json.RawMessage) (any, error) {
	var v T
	if len(raw) == 0 {
		raw = json.RawMessage("{}")
	}
	if err := decodeStrict(raw, &v, "command."); err != nil {
		return nil, err
	}
	return v, nil
}

// draftCommand answers POST /api/documents/{id}/drafts {name, command}:
// draft.save, draft.drop, draft.table.
func (s *Server) draftCommand(w http.ResponseWriter, r *http.Request, p Person) {
	if err := onlyDelegates(p); err != nil {
		writeError(w, r, err)
		return
	}
	id := engine.DocumentID(r.PathValue("id"))
	var req CommandRequest
	if err := decodeJSON(r, maxBody, &req); err != nil {
		writeError(w, r, err)
		return
	}
	dec, ok := draftCommands[req.Name]
	if !ok {
		names := make([]string, 0, len(draftCommands))
		for n := range draftCommands {
			names = append(names, n)
		}
		sort.Strings(names)
		writeError(w, r, engine.Errorf(engine.EINVALID, "unknown draft command %q; one of %s", req.Name, strings.Join(names, ", ")))
		return
	}
	cmd, err := dec(req.Command)
	if err != nil {
		writeError(w, r, err)
		return
	}
	de, err := s.groupDrafts(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	c := engine.Context{Now: s.now(), Actor: p.Actor()}
	de.mu.Lock()
	defer de.mu.Unlock()
	var dc engine.DraftsCommand
	switch x := cmd.(type) {
	case engine.SaveDraft:
		dc = x
	case engine.DropDraft:
		dc = x
	case TableRequest:
		// The room decides the proposal like any other; only once it is
		// stored is the draft marked tabled.
		d, ok := de.g.Drafts[x.ID]
		if !ok || !engine.MemberOf(p.State, d.Group) {
			writeError(w, r, engine.Errorf(engine.ENOTFOUND, "draft %d does not exist among your delegation's drafts", x.ID))
			return
		}
		if d.Status != engine.DraftOpen {
			writeError(w, r, engine.Errorf(engine.ECONFLICT, "draft %d was %s already", x.ID, d.Status))
			return
		}
		rm, err := s.room(id)
		if err != nil {
			writeError(w, r, err)
			return
		}
		prop := d.Proposal(p.State)
		if err := authorize(p.Actor(), "amendment.propose", commandSpecs["amendment.propose"], prop); err != nil {
			writeError(w, r, err)
			return
		}
		evs, err := rm.Submit(r.Context(), p.Actor(), "amendment.propose", prop)
		if err != nil {
			writeError(w, r, err)
			return
		}
		var am engine.AmendmentID
		for _, e := range evs {
			if ap, ok := e.Data.(*engine.AmendmentProposed); ok {
				am = ap.Amendment.ID
			} else if ap, ok := e.Data.(engine.AmendmentProposed); ok {
				am = ap.Amendment.ID
			}
		}
		dc = engine.MarkTabled{ID: x.ID, Amendment: am}
	}
	var stored []engine.Event
	for attempt := 0; ; attempt++ {
		evs, err := de.g.Decide(c, dc)
		if err != nil {
			writeError(w, r, err)
			return
		}
		stored, err = s.log.Append(r.Context(), engine.DraftsStream(id), de.seq, evs)
		if err == nil {
			break
		}
		if s.cluster == nil || attempt >= maxRetries || engine.ErrorCode(err) != engine.ECONFLICT {
			writeError(w, r, err)
			return
		}
		// Another node wrote the drafts first: decide again on them.
		backOff(attempt)
		if err := de.catchUp(r.Context(), s.log, id); err != nil {
			writeError(w, r, err)
			return
		}
	}
	for _, e := range stored {
		if err := de.g.Apply(e); err != nil {
			writeError(w, r, err)
			return
		}
		de.seq = e.StreamSeq
	}
	writeJSON(w, http.StatusOK, DraftsResponse{Groups: draftGroups(p), Drafts: nonNil(de.g.For(p.State))})
}

func nonNil(d []engine.GroupDraft) []engine.GroupDraft {
	if d == nil {
		return []engine.GroupDraft{}
	}
	return d
}
