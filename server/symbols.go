package server

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// Document symbols come from the process (engine/symbol.go): the server
// registers each document of a process with it, which allocates the
// document's symbol, and asks it for the symbol of an L-document or a
// final issue. Nobody types a symbol for a document of a process with a
// symbol prefix; documents outside any process keep the symbol their
// draft (or the request's symbol field) gives them.

// registerDocument registers a new document with its process and returns
// the creation with the symbol the process allocated (or, in a process
// without a symbol prefix, the one typed). A symbol given in the request
// for a process that allocates them is refused, naming the field; the
// draft's own symbol line is replaced, and the import report says so. A
// document already registered (by "document.register", or by a creation
// the store failed to finish) keeps the symbol it was registered with.
func (s *Server) registerDocument(ctx context.Context, by Person, req CreateDocumentRequest, create engine.CreateDocument, rep *engine.ImportReport) (engine.CreateDocument, error) {
	pe, err := s.process(req.Process)
	if err != nil {
		return create, engine.Errorf(engine.ENOTFOUND, "process: %s", engine.Because(err))
	}
	pe.mu.Lock()
	defer pe.mu.Unlock()
	p := pe.p
	if _, err := p.Body(req.Body); err != nil {
		return create, engine.Errorf(engine.ENOTFOUND, "body: %s", engine.Because(err))
	}
	typed := create.Draft.Symbol // the request's symbol, else the draft's line
	if p.SymbolPrefix != "" && req.Symbol != "" {
		// The engine refuses a typed symbol, naming the field.
		_, err := p.Decide(engine.Context{Now: s.now(), Actor: by.Actor()}, engine.RegisterDocument{Document: create.ID, Body: req.Body, Type: create.Type, Title: create.Draft.Title, Symbol: req.Symbol})
		if err == nil {
			err = engine.Errorf(engine.EINTERNAL, "a typed symbol went through for %s", p.ID)
		}
		return create, err
	}
	if x, err := p.Document(create.ID); err == nil {
		if x.Body != req.Body {
			return create, engine.Errorf(engine.ECONFLICT, "document %s is already registered to body %s, not %s", x.ID, x.Body, req.Body)
		}
		return s.withSymbol(p, create, x.Symbol, typed, rep), nil
	}
	cmd := engine.RegisterDocument{Document: create.ID, Body: req.Body, Type: create.Type, Title: create.Draft.Title, Meeting: req.Meeting}
	if p.SymbolPrefix == "" {
		cmd.Symbol = typed
	}
	stored, err := s.appendProcess(ctx, req.Process, pe, func(p *engine.Process) ([]engine.Event, error) {
		return p.Decide(engine.Context{Now: s.now(), Actor: by.Actor()}, cmd)
	})
	if err != nil {
		return create, err
	}
	reg := stored[0].Data.(*engine.DocumentRegistered)
	return s.withSymbol(p, create, reg.Document.Symbol, typed, rep), nil
}

// withSymbol puts the symbol registered with the process on the
// creation; when the process allocated it, a different symbol in the
// draft is noted in the import report as replaced.
func (s *Server) withSymbol(p *engine.Process, create engine.CreateDocument, registered, typed string, rep *engine.ImportReport) engine.CreateDocument {
	if p.SymbolPrefix == "" || registered == "" {
		return create
	}
	if typed != "" && typed != registered {
		name := p.Short
		if name == "" {
			name = string(p.ID)
		}
		rep.Notes = append(rep.Notes, engine.Note("symbolNotUsed", map[string]any{"typed": typed, "process": name, "symbol": registered},
			"the draft's symbol %s is not used: %s allocates its documents' symbols, and this one is %s", typed, name, registered))
	}
	create.Draft.Symbol, create.SymbolsAllocated = registered, true
	return create
}

// buildIssueRevision decides the symbol of an issue. A document whose
// symbols its process allocates refuses a typed symbol (the engine says
// so); for its L-document or final issue the server checks the issue
// against the room first (so that no number is taken by an issue the
// room would refuse, a final text with brackets), then asks the process
// for the symbol — the one already allocated to the document for that
// kind, or the next of its series in the year of the issue's date — and
// passes it to the room in Allocated. A client never sets Allocated.
func buildIssueRevision(s *Server, id engine.DocumentID, actor engine.Actor, raw json.RawMessage) (engine.DocumentCommand, error) {
	var cmd engine.IssueRevision
	if err := decodeStrict(raw, &cmd, "command."); err != nil {
		return nil, err
	}
	if cmd.Allocated != "" {
		return nil, engine.Errorf(engine.EINVALID, "command.allocated: the server asks the process for the allocated symbol; a client never sends it")
	}
	rm, err := s.room(id)
	if err != nil {
		return nil, err
	}
	if cmd.Date.IsZero() {
		cmd.Date = s.now().UTC()
	}
	var allocated bool
	var process engine.ProcessID
	var check error
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := rm.Read(ctx, func(d *engine.Document, _ uint64, _ string) {
		allocated, process = d.SymbolsAllocated, d.Process
		if allocated && cmd.Symbol == "" && issueAllocates(cmd.Kind) {
			probe := cmd
			probe.Allocated = "\x00" // a symbol no revision has: the check is of everything else
			_, check = d.Decide(engine.Context{Now: s.now(), Actor: actor}, probe)
		}
	}); err != nil {
		return nil, err
	}
	if !allocated || cmd.Symbol != "" || !issueAllocates(cmd.Kind) {
		return cmd, nil // the room decides (and refuses a typed symbol)
	}
	if check != nil {
		return nil, check
	}
	pe, err := s.process(process)
	if err != nil {
		return nil, err
	}
	pe.mu.Lock()
	defer pe.mu.Unlock()
	if x, err := pe.p.Document(id); err == nil && x.Symbols[cmd.Kind] != "" {
		cmd.Allocated = x.Symbols[cmd.Kind]
		return cmd, nil
	}
	stored, err := s.appendProcess(ctx, process, pe, func(p *engine.Process) ([]engine.Event, error) {
		if x, err := p.Document(id); err == nil && x.Symbols[cmd.Kind] != "" {
			return nil, nil // allocated meanwhile (another node): taken below
		}
		return p.Decide(engine.Context{Now: s.now(), Actor: actor}, engine.AllocateSymbol{Document: id, Kind: cmd.Kind, Date: cmd.Date})
	})
	if err != nil {
		return nil, err
	}
	if len(stored) > 0 {
		cmd.Allocated = stored[0].Data.(*engine.SymbolAllocated).Symbol
	} else {
		x, _ := pe.p.Document(id)
		cmd.Allocated = x.Symbols[cmd.Kind]
	}
	return cmd, nil
}

// issueAllocates reports whether the process allocates the symbol of an
// issue of kind k.
func issueAllocates(k engine.RevisionKind) bool { return k == engine.LDocument || k == engine.Final }

// NextSymbol is the symbol a document will have, as the desk and the
// issue dialog show it before the secretariat acts. Allocated is true
// when the process allocates it (no symbol is typed); Symbol is empty
// when one has to be typed (an L-document outside any process).
type NextSymbol struct {
	Symbol    string `json:"symbol"`
	Allocated bool   `json:"allocated"`
}

// processNextSymbol answers GET /api/processes/{id}/next-symbol?meeting=:
// the symbol a document registered now for that meeting would get.
func (s *Server) processNextSymbol(w http.ResponseWriter, r *http.Request, by Person) {
	pe, err := s.process(engine.ProcessID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, err)
		return
	}
	pe.mu.Lock()
	var out NextSymbol
	if pe.p.SymbolPrefix != "" {
		out.Allocated = true
		out.Symbol, err = pe.p.RegistrationSymbol(engine.MeetingID(r.URL.Query().Get("meeting")), engine.Context{Now: s.now(), Actor: by.Actor()})
	}
	pe.mu.Unlock()
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// documentNextSymbol answers GET /api/documents/{id}/next-symbol?kind=&date=:
// the symbol an issue of that kind on that date (YYYY-MM-DD; today when
// left out) would carry.
func (s *Server) documentNextSymbol(w http.ResponseWriter, r *http.Request, by Person) {
	id := engine.DocumentID(r.PathValue("id"))
	rm, err := s.room(id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	kind := engine.RevisionKind(r.URL.Query().Get("kind"))
	date := s.now().UTC()
	if v := r.URL.Query().Get("date"); v != "" {
		if date, err = time.Parse("2006-01-02", v); err != nil {
			writeError(w, r, engine.Errorf(engine.EINVALID, "date %q is not a date (YYYY-MM-DD)", v))
			return
		}
	}
	switch kind {
	case engine.ZeroDraft, engine.Rev, engine.Final, engine.LDocument:
	default:
		writeError(w, r, engine.Errorf(engine.EINVALID, "kind %q is not one of zero-draft, rev, l-document, final", kind))
		return
	}
	var out NextSymbol
	var process engine.ProcessID
	if err := rm.Read(r.Context(), func(d *engine.Document, _ uint64, _ string) {
		out.Allocated, process = d.SymbolsAllocated, d.Process
		// An L-document of a document whose symbols are typed has none
		// until one is typed.
		if out.Allocated && !issueAllocates(kind) || !out.Allocated && kind != engine.LDocument {
			out.Symbol, err = d.IssueSymbol(kind, "", "")
		}
	}); err != nil {
		writeError(w, r, err)
		return
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	if out.Allocated && issueAllocates(kind) {
		pe, err := s.process(process)
		if err != nil {
			writeError(w, r, err)
			return
		}
		pe.mu.Lock()
		out.Symbol, _, err = pe.p.IssueSymbol(id, kind, date.Year())
		pe.mu.Unlock()
		if err != nil {
			writeError(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, out)
}
