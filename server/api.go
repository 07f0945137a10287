package server

import (
	"context"
	"encoding/json"
	"html/template"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/docx"
	"github.com/draftroom/draftroom/engine/export"
)

// routes registers every endpoint (stdlib ServeMux method patterns).
func (s *Server) routes() {
	m := http.NewServeMux()
	m.HandleFunc("GET /healthz", s.health)
	m.HandleFunc("GET /readyz", s.ready)
	m.HandleFunc("GET /metrics", s.metricsHandler)
	m.HandleFunc("POST /api/login", s.login)
	m.HandleFunc("GET /login", s.loginLink)
	m.HandleFunc("POST /api/logout", s.authed(s.logout))
	m.HandleFunc("GET /api/me", s.authed(s.me))
	m.HandleFunc("POST /api/me/language", s.authed(s.chooseLanguage))
	m.HandleFunc("GET /api/people", s.authed(s.secretariat(s.listPeople)))
	m.HandleFunc("POST /api/people", s.authed(s.secretariat(s.addPerson)))
	m.HandleFunc("POST /api/people/{id}/logins", s.authed(s.secretariat(s.issueLogin)))
	m.HandleFunc("GET /api/processes", s.authed(s.listProcesses))
	m.HandleFunc("POST /api/processes", s.authed(s.secretariat(s.createProcess)))
	m.HandleFunc("GET /api/processes/{id}", s.authed(s.getProcess))
	m.HandleFunc("GET /api/processes/{id}/next-symbol", s.authed(s.secretariat(s.processNextSymbol)))
	m.HandleFunc("POST /api/processes/{id}/commands", s.authed(s.limited(s.processCommand)))
	m.HandleFunc("GET /api/documents", s.authed(s.listDocuments))
	m.HandleFunc("POST /api/documents", s.authed(s.secretariat(s.createDocument)))
	m.HandleFunc("GET /api/documents/{id}", s.authed(s.getDocument))
	m.HandleFunc("POST /api/documents/{id}/commands", s.authed(s.limited(s.command)))
	m.HandleFunc("POST /api/documents/{id}/docx-changes", s.authed(s.secretariat(s.limited(s.docxChanges))))
	m.HandleFunc("GET /api/documents/{id}/events", s.authed(s.notViewer(s.events)))
	m.HandleFunc("GET /api/documents/{id}/revisions/{n}", s.authed(s.revision))
	m.HandleFunc("GET /api/documents/{id}/next-symbol", s.authed(s.secretariat(s.documentNextSymbol)))
	m.HandleFunc("GET /api/documents/{id}/paragraphs/{para}/history", s.authed(s.notViewer(s.paragraphHistory)))
	m.HandleFunc("GET /api/documents/{id}/drafts", s.authed(s.listDrafts))
	m.HandleFunc("POST /api/documents/{id}/drafts", s.authed(s.limited(s.draftCommand)))
	m.HandleFunc("GET /api/documents/{id}/translations", s.authed(s.translations))
	m.HandleFunc("GET /api/documents/{id}/export", s.authed(s.exportReport))
	m.HandleFunc("GET /api/documents/{id}/record", s.authed(s.notViewer(s.record)))
	m.HandleFunc("GET /ws/documents/{id}", s.websocket)
	m.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, engine.Errorf(engine.ENOTFOUND, "no endpoint %s %s", r.Method, r.URL.Path))
	})
	m.Handle("/", s.ui())
	s.mux = m
}

// authed runs h with the person of the request's session, or answers 401.
func (s *Server) authed(h func(http.ResponseWriter, *http.Request, Person)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := sessionToken(r)
		p, ok := s.dir.Session(token)
		if !ok {
			writeError(w, r, engine.Errorf(engine.EUNAUTHORIZED, "log in first: no valid session"))
			return
		}
		// The token goes with the request, for a command a follower
		// forwards to its room's owner (Room.Submit).
		h(w, r.WithContext(context.WithValue(r.Context(), tokenKey{}, token)), p)
	}
}

// secretariat lets only the secretariat through.
func (s *Server) secretariat(h func(http.ResponseWriter, *http.Request, Person)) func(http.ResponseWriter, *http.Request, Person) {
	return func(w http.ResponseWriter, r *http.Request, p Person) {
		if p.Role != engine.RoleSecretariat {
			writeError(w, r, engine.Errorf(engine.EFORBIDDEN, "only the secretariat can do this; you are a %s", p.Role))
			return
		}
		h(w, r, p)
	}
}

// storeHealth is implemented by event logs that can tell whether they
// take writes (sqlite.Log.Health).
type storeHealth interface{ Health() error }

// Health is what /healthz and /readyz answer.
type Health struct {
	// Status is "ok", "store-failing" or "shutting-down".
	Status string `json:"status"`
	// Store says, when the store cannot take writes, why not.
	Store string `json:"store,omitempty"`
}

// storeError returns why the log cannot take writes, or nil.
func (s *Server) storeError() error {
	if h, ok := s.log.(storeHealth); ok {
		return h.Health()
	}
	return nil
}

// health is GET /healthz: 503 while the store cannot take writes (the
// last commit failed and no write has succeeded since, or the disk is
// full), 200 otherwise, also while shutting down.
func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	s.answerHealth(w, false)
}

// ready is GET /readyz, for load balancers: as /healthz, and 503 as soon
// as the server is shutting down, so no new work is sent to it.
func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	s.answerHealth(w, true)
}

func (s *Server) answerHealth(w http.ResponseWriter, shutdownFails bool) {
	w.Header().Set("Cache-Control", "no-store")
	h, code := Health{Status: "ok"}, http.StatusOK
	if s.closing.Load() {
		h.Status = "shutting-down"
		if shutdownFails {
			code = http.StatusServiceUnavailable
		}
	}
	if err := s.storeError(); err != nil {
		h.Status, h.Store, code = "store-failing", engine.ErrorMessage(err), http.StatusServiceUnavailable
	}
	writeJSON(w, code, h)
}

func (s *Server) metricsHandler(w http.ResponseWriter, r *http.Request) {
	if wantsPrometheus(r) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		s.writePrometheus(w)
		return
	}
	writeJSON(w, http.StatusOK, s.Metrics())
}

type loginBody struct {
	Code string `json:"code"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var b loginBody
	if err := decodeJSON(r, maxBody, &b); err != nil {
		writeError(w, r, err)
		return
	}
	token, p, err := s.dir.Login(r.Context(), s.clientAddr(r), b.Code)
	if err != nil {
		writeError(w, r, err)
		return
	}
	s.setSession(w, r, token)
	writeJSON(w, http.StatusOK, map[string]any{"person": p, "token": token})
}

// loginLink is the one-time link: /login?code=XXXX-XXXX-XXXX.
func (s *Server) loginLink(w http.ResponseWriter, r *http.Request) {
	token, _, err := s.dir.Login(r.Context(), s.clientAddr(r), r.URL.Query().Get("code"))
	if err != nil {
		setRetryAfter(w, err)
		loginRefused(w, r, statusOf[engine.ErrorCode(err)], err)
		return
	}
	s.setSession(w, r, token)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// loginRefusedPage is what a person who opened a used, expired or unknown
// login link sees: the page in the UI's own style and in the language the
// browser asks for (Accept-Language), the reason, and the way back to the
// log-in form.
var loginRefusedPage = template.Must(template.New("refused").Parse(`<!doctype html>
<html lang="{{.Lang}}" dir="{{.Dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} — draftroom</title>
<link rel="stylesheet" href="/app.css">
</head>
<body>
<header class="bar"><a href="/" class="brand">draftroom</a></header>
<main id="app">
<div class="login" id="login-refused">
<h1>{{.Title}}</h1>
<p class="error-text" role="alert">{{.Reason}}</p>
<p>{{.Help}}</p>
<p><a class="button-link primary" href="/" id="to-login">{{.Back}}</a></p>
</div>
</main>
</body>
</html>
`))

// loginRefused answers a refused login link with loginRefusedPage.
func loginRefused(w http.ResponseWriter, r *http.Request, status int, err error) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'none'; style-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	lang := requestLanguage(r)
	h.Set("Content-Language", lang)
	h.Add("Vary", "Accept-Language")
	w.WriteHeader(status)
	dir := "ltr"
	if lang == "ar" {
		dir = "rtl"
	}
	_ = loginRefusedPage.Execute(w, map[string]string{
		"Lang": lang, "Dir": dir,
		"Title":  uiString(lang, "loginRefused.title"),
		"Reason": refusalIn(lang, err),
		"Help":   uiString(lang, "loginRefused.help"),
		"Back":   uiString(lang, "loginRefused.back"),
	})
}

// setSession sets the session cookie: HttpOnly, SameSite=Strict, and
// Secure when the request came over TLS or the public URL is https.
func (s *Server) setSession(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		Secure: s.secure(r), MaxAge: int(sessionTTL.Seconds())})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, p Person) {
	if err := s.dir.Logout(r.Context(), p, sessionToken(r)); err != nil {
		writeError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: s.secure(r)})
	writeJSON(w, http.StatusOK, map[string]string{"status": "logged out"})
}

// Me is the person logged in, with the offices they hold or have held in
// every process: presiding is an office held by election, and a person's
// role says only that they may hold one.
type Me struct {
	Person
	Offices []OfficeHeld `json:"offices,omitempty"`
	// Groups are the negotiating groups a delegate's State belongs to,
	// on whose behalf it may take the floor.
	Groups []GroupRef `json:"groups,omitempty"`
}

// GroupRef names a negotiating group.
type GroupRef struct {
	Code engine.StateCode `json:"code"`
	Name string           `json:"name"`
}

// groupsOf lists the negotiating groups a State is a member of.
func groupsOf(s engine.StateCode) []GroupRef {
	var out []GroupRef
	for _, g := range engine.NegotiatingGroups() {
		for _, m := range g.Members {
			if m == s && s != "" {
				out = append(out, GroupRef{g.Code, g.Name})
			}
		}
	}
	return out
}

// OfficeHeld is one term of office of a person in a process.
type OfficeHeld struct {
	Process engine.ProcessID `json:"process"`
	engine.Officer
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, p Person) {
	me := Me{Person: p, Offices: s.officesOf(p.ID)}
	if p.Role == engine.RoleDelegate {
		me.Groups = groupsOf(p.State)
	}
	writeJSON(w, http.StatusOK, me)
}

// LanguageChoice is the body of POST /api/me/language.
type LanguageChoice struct {
	Language string `json:"language"`
}

// chooseLanguage stores the interface language the person chose and
// answers as /api/me does.
func (s *Server) chooseLanguage(w http.ResponseWriter, r *http.Request, p Person) {
	var b LanguageChoice
	if err := decodeJSON(r, maxBody, &b); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := s.dir.ChooseLanguage(r.Context(), p, b.Language)
	if err != nil {
		writeError(w, r, err)
		return
	}
	s.me(w, r, p)
}

func (s *Server) listPeople(w http.ResponseWriter, r *http.Request, p Person) {
	writeJSON(w, http.StatusOK, s.dir.People())
}

func (s *Server) addPerson(w http.ResponseWriter, r *http.Request, by Person) {
	var p Person
	if err := decodeJSON(r, maxBody, &p); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := s.dir.AddPerson(r.Context(), by.Actor(), p)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, p)
}

// LoginCode is a one-time login as issued: shown once, stored only hashed.
type LoginCode struct {
	Person engine.PersonID `json:"person"`
	Code   string          `json:"code"`
	Link   string          `json:"link"`
}

func (s *Server) issueLogin(w http.ResponseWriter, r *http.Request, by Person) {
	id := engine.PersonID(r.PathValue("id"))
	code, err := s.dir.IssueLogin(r.Context(), by.Actor(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, LoginCode{Person: id, Code: code, Link: "/login?code=" + code})
}

// DocumentSummary lists a document.
type DocumentSummary struct {
	ID     engine.DocumentID   `json:"id"`
	Title  string              `json:"title"`
	Symbol string              `json:"symbol"`
	Type   engine.DocumentType `json:"type"`
	Seq    uint64              `json:"seq"`
}

func (s *Server) listDocuments(w http.ResponseWriter, r *http.Request, p Person) {
	s.mu.Lock()
	rooms := make([]*Room, 0, len(s.rooms))
	for _, rm := range s.rooms {
		rooms = append(rooms, rm)
	}
	s.mu.Unlock()
	out := []DocumentSummary{}
	for _, rm := range rooms {
		err := rm.Read(r.Context(), func(d *engine.Document, seq uint64, _ string) {
			out = append(out, DocumentSummary{d.ID, d.Title, d.CurrentSymbol(), d.Type, seq})
		})
		if err != nil {
			writeError(w, r, err)
			return
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	writeJSON(w, http.StatusOK, out)
}

// CreateDocumentRequest imports a draft as a new document.
type CreateDocumentRequest struct {
	ID       engine.DocumentID   `json:"id"`
	Type     engine.DocumentType `json:"type"`
	Language string              `json:"language"`
	Title    string              `json:"title"` // overrides the draft's title when set
	// Symbol overrides the draft's symbol, for a document outside any
	// process (or of a process without a symbol prefix) only: a process
	// with a prefix allocates its documents' symbols, and a symbol given
	// for one is refused.
	Symbol string `json:"symbol"`
	Text   string `json:"text"` // the draft, in the import format
	// Docx is a Word document (.docx), base64 in JSON, read instead of
	// Text; at most engine.MaxImportBytes.
	Docx []byte `json:"docx,omitempty"`
	// Process and Body, when set, say whose document it is; the body must
	// exist in the process.
	Process engine.ProcessID `json:"process,omitempty"`
	Body    engine.BodyID    `json:"body,omitempty"`
	// Meeting, in a process, is the meeting the document is prepared
	// for: its symbol is numbered in that meeting's year (else in the
	// year it is created).
	Meeting engine.MeetingID `json:"meeting,omitempty"`
}

// CreateDocumentResponse is the created document with its import report.
type CreateDocumentResponse struct {
	Document DocumentSummary     `json:"document"`
	Report   engine.ImportReport `json:"report"`
}

func (s *Server) createDocument(w http.ResponseWriter, r *http.Request, by Person) {
	var req CreateDocumentRequest
	if err := decodeJSON(r, maxImportDocx, &req); err != nil {
		writeError(w, r, err)
		return
	}
	doc, rep, err := s.CreateDocument(r.Context(), by, req)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, CreateDocumentResponse{Document: doc, Report: rep})
}

// CreateDocument imports a draft and opens its room.
func (s *Server) CreateDocument(ctx context.Context, by Person, req CreateDocumentRequest) (DocumentSummary, engine.ImportReport, error) {
	if by.Role != engine.RoleSecretariat {
		return DocumentSummary{}, engine.ImportReport{}, engine.Errorf(engine.EFORBIDDEN, "only the secretariat can create documents")
	}
	id := engine.DocumentID(strings.TrimSpace(string(req.ID)))
	if id == "" || len(id) > 64 || strings.ContainsAny(string(id), " /?#%") {
		return DocumentSummary{}, engine.ImportReport{}, engine.Errorf(engine.EINVALID, "id %q must be 1 to 64 characters without spaces or / ? # %%", req.ID)
	}
	var draft engine.Draft
	var rep engine.ImportReport
	var err error
	switch {
	case len(req.Docx) > 0 && req.Text != "":
		return DocumentSummary{}, rep, engine.Errorf(engine.EINVALID, "send the draft as text or as docx, not both")
	case len(req.Docx) > engine.MaxImportBytes:
		return DocumentSummary{}, rep, engine.Errorf(engine.EINVALID, "docx: the file is %d bytes; the limit is %d", len(req.Docx), engine.MaxImportBytes)
	case len(req.Docx) > 0:
		if draft, rep, err = docx.ImportDraft(req.Docx); err != nil {
			return DocumentSummary{}, rep, engine.Errorf(engine.EINVALID, "docx: %s", engine.Because(err))
		}
	default:
		if draft, rep, err = engine.ImportDraft(req.Text); err != nil {
			return DocumentSummary{}, rep, engine.Errorf(engine.EINVALID, "text: %s", engine.Because(err))
		}
	}
	if req.Title != "" {
		draft.Title = req.Title
	}
	if req.Process == "" && req.Body == "" && req.Meeting != "" {
		return DocumentSummary{}, rep, engine.Errorf(engine.EINVALID, "meeting: a document outside any process is prepared for no meeting; give process and body")
	}
	if req.Symbol != "" {
		draft.Symbol = req.Symbol // refused below for a process that allocates symbols
	}
	typ := req.Type
	if typ == "" {
		typ = engine.DraftProgressReport
	}
	create := engine.CreateDocument{ID: id, Type: typ, Language: req.Language, Draft: draft, Process: req.Process, Body: req.Body}
	s.mu.Lock()
	_, dup := s.rooms[id]
	s.mu.Unlock()
	if dup {
		return DocumentSummary{}, rep, engine.Errorf(engine.ECONFLICT, "document %q already exists", id)
	}
	if req.Process != "" || req.Body != "" {
		// The process registers the document and allocates its symbol
		// (after the draft is found good, so that no number is taken
		// by a document that is never created).
		if _, err := engine.NewDocument().Decide(engine.Context{Now: s.now(), Actor: by.Actor()}, create); err != nil {
			return DocumentSummary{}, rep, err
		}
		if create, err = s.registerDocument(ctx, by, req, create, &rep); err != nil {
			return DocumentSummary{}, rep, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.rooms[id]; dup {
		return DocumentSummary{}, rep, engine.Errorf(engine.ECONFLICT, "document %q already exists", id)
	}
	// On a node of several, the node creating a room owns it: it takes
	// the lease before the creation is stored (and notified), so that
	// no other node takes the new room first.
	var lease Lease
	if s.cluster != nil {
		le, ok, err := s.cluster.c.TryLease(ctx, string(engine.DocumentStream(id)), s.cluster.node)
		if err != nil {
			return DocumentSummary{}, rep, err
		}
		if ok {
			lease = le
		}
	}
	doc, stored, err := engine.CreateDocumentIn(ctx, s.log, engine.Context{Now: s.now(), Actor: by.Actor()}, create)
	if err != nil {
		if lease != nil {
			_ = lease.Release()
		}
		return DocumentSummary{}, rep, err
	}
	last := stored[len(stored)-1]
	seq := last.StreamSeq
	r := newRoom(s, id, doc, seq, 0, last.Hash)
	if lease != nil {
		r.own(lease)
	}
	s.runRoom(r)
	slog.Info("document created", "id", id, "by", by.ID, "paragraphs", rep.Paragraphs)
	return DocumentSummary{id, doc.Title, doc.CurrentSymbol(), doc.Type, seq}, rep, nil
}

// DocumentResponse is a document's view and the sequence it is current to.
type DocumentResponse struct {
	Seq  uint64 `json:"seq"`
	View *View  `json:"view"`
}

func (s *Server) getDocument(w http.ResponseWriter, r *http.Request, p Person) {
	rm, err := s.room(engine.DocumentID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, err)
		return
	}
	var resp DocumentResponse
	if err := rm.Read(r.Context(), func(d *engine.Document, seq uint64, _ string) { resp = DocumentResponse{seq, buildView(d)} }); err != nil {
		writeError(w, r, err)
		return
	}
	if isViewer(p.Role) {
		b, err := json.Marshal(resp)
		if err != nil {
			writeError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(publicJSON(b))
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// CommandRequest is a command sent over HTTP; the same names and bodies as
// over the websocket.
type CommandRequest struct {
	Name    string          `json:"name"`
	Command json.RawMessage `json:"command"`
}

// CommandResponse acknowledges a stored command.
type CommandResponse struct {
	Seq    uint64         `json:"seq"`
	Events []engine.Event `json:"events"`
}

func (s *Server) command(w http.ResponseWriter, r *http.Request, p Person) {
	rm, err := s.room(engine.DocumentID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req CommandRequest
	if err := decodeJSON(r, maxBody, &req); err != nil {
		writeError(w, r, err)
		return
	}
	cmd, err := decodeCommand(s, rm.id, p.Actor(), req.Name, req.Command)
	if err != nil {
		writeError(w, r, err)
		return
	}
	evs, err := rm.submit(r.Context(), &request{at: time.Now(), actor: p.Actor(), cmd: cmd, name: req.Name, reply: make(chan result, 1),
		raw: req.Command, token: sessionToken(r), forwarded: r.Header.Get(forwardedHeader) != ""})
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, CommandResponse{Seq: evs[len(evs)-1].StreamSeq, Events: evs})
}

func (s *Server) events(w http.ResponseWriter, r *http.Request, p Person) {
	id := engine.DocumentID(r.PathValue("id"))
	if _, err := s.room(id); err != nil {
		writeError(w, r, err)
		return
	}
	since, err := strconv.ParseUint(r.URL.Query().Get("since"), 10, 64)
	if err != nil && r.URL.Query().Get("since") != "" {
		writeError(w, r, engine.Errorf(engine.EINVALID, "since must be a sequence number"))
		return
	}
	evs, err := s.log.Read(r.Context(), engine.DocumentStream(id), since, 1000)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if evs == nil {
		evs = []engine.Event{}
	}
	writeJSON(w, http.StatusOK, evs)
}

func (s *Server) revision(w http.ResponseWriter, r *http.Request, p Person) {
	rm, err := s.room(engine.DocumentID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 0 {
		writeError(w, r, engine.Errorf(engine.EINVALID, "revision number %q is not a number (0 for the zero draft, 1, 2, …)", r.PathValue("n")))
		return
	}
	var rev *engine.Revision
	var rerr error
	if err := rm.Read(r.Context(), func(d *engine.Document, _ uint64, _ string) { rev, rerr = d.Revision(n) }); err != nil {
		writeError(w, r, err)
		return
	}
	if rerr != nil {
		writeError(w, r, rerr)
		return
	}
	writeJSON(w, http.StatusOK, rev)
}

// TranslationsResponse is the translation status of a document: its
// working language and, for each other official language, how many
// paragraphs are current, outdated or missing, naming those not current.
type TranslationsResponse struct {
	Seq       uint64                  `json:"seq"`
	Symbol    string                  `json:"symbol"`
	Language  string                  `json:"language"`
	Languages []engine.LanguageStatus `json:"languages"`
}

// translations is GET /api/documents/{id}/translations.
func (s *Server) translations(w http.ResponseWriter, r *http.Request, p Person) {
	rm, err := s.room(engine.DocumentID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, err)
		return
	}
	var resp TranslationsResponse
	if err := rm.Read(r.Context(), func(d *engine.Document, seq uint64, _ string) {
		resp = TranslationsResponse{Seq: seq, Symbol: d.CurrentSymbol(), Language: d.WorkingLanguage(), Languages: d.TranslationStatus()}
	}); err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// websocket upgrades an authenticated request to a live room connection.
func (s *Server) websocket(w http.ResponseWriter, r *http.Request) {
	token := sessionToken(r)
	p, ok := s.dir.Session(token)
	if !ok {
		writeError(w, r, engine.Errorf(engine.EUNAUTHORIZED, "log in first: no valid session"))
		return
	}
	if !s.checkOrigin(r) {
		writeError(w, r, engine.Errorf(engine.EFORBIDDEN, "origin %q may not open a room", r.Header.Get("Origin")))
		return
	}
	rm, err := s.room(engine.DocumentID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, err)
		return
	}
	since, err := strconv.ParseUint(orDefault(r.URL.Query().Get("since"), "0"), 10, 64)
	if err != nil {
		writeError(w, r, engine.Errorf(engine.EINVALID, "since must be an event sequence number (0 or more), not %q", r.URL.Query().Get("since")))
		return
	}
	session := hashSecret(token)
	if err := s.acquireSocket(p.ID, session); err != nil {
		s.metrics.rateLimited.Add(1)
		writeError(w, r, err)
		return
	}
	conn, err := s.upgr.Upgrade(w, r, nil)
	if err != nil {
		s.releaseSocket(p.ID, session)
		return // the upgrader has answered
	}
	conn.EnableWriteCompression(false) // only prepared snapshots are compressed
	c := &client{room: rm, conn: conn, actor: p.Actor(), who: Who{p.ID, p.Name, p.Role, p.State}, since: since, token: token, session: session,
		out: outbox{limit: s.queue}}
	select {
	case rm.joins <- c:
	case <-rm.done:
		_ = conn.Close()
		s.releaseSocket(p.ID, session)
		return
	}
	// The reader gets a goroutine of its own and the handler returns: the
	// connection is hijacked, so net/http forgets it, and the request, the
	// response and the HTTP server's buffers are released instead of
	// living on the stack of a handler that would last as long as the
	// connection (about 10 KiB per idle connection; docs/performance.md).
	// Writers are started as frames arrive (client.flush).
	s.metrics.sockets.Add(1)
	go c.readPump()
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// revisionParam reads "live" or a revision number.
func revisionParam(name, v string) (int, error) {
	if v == "" || v == "live" {
		return export.Live, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, engine.Errorf(engine.EINVALID, "%s must be a revision number or \"live\", not %q", name, v)
	}
	return n, nil
}

// fileName makes a download name from the symbol and the request, e.g.
// "A-AC.292-2027-CRP.1-Rev.1-compare.docx".
func fileName(symbol string, req export.Request, f export.Format) string {
	base := strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == '"' || r < 0x20 {
			return '-'
		}
		return r
	}, symbol)
	if base == "" {
		base = "document"
	}
	if req.Language != "" {
		base += "-" + strings.Map(func(r rune) rune {
			if (r >= 'a' && r <= 'z') || r == '-' {
				return r
			}
			return '-'
		}, req.Language)
	}
	return base + "-" + req.Report + "." + export.FileExtension(f)
}
