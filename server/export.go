package server

import (
	"bytes"
	"container/list"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/export"
	"github.com/draftroom/draftroom/pdf"
)

// Exports are built away from the rooms. A room's goroutine decides and
// stores every command of its document, so a report built inside it (0.6 s
// for the record of a long negotiation) would hold up every command for
// that long. Instead:
//
//   - the exporter keeps its own copy of each exported document (a
//     replica), brought up to the log's head by applying the events stored
//     since, exactly as loading does; the room is never asked for anything;
//   - at most exportSlots reports are built at a time (half the CPUs, at
//     least one), so exports cannot take every core from the rooms; at most
//     exportQueue more wait, beyond which a request is refused with 503 and
//     Retry-After;
//   - a built report is cached per document, stream sequence and
//     parameters (and UTC day, which live reports print), the newest only
//     for each document and parameters, up to exportCacheBytes in all,
//     least recently used first out; identical requests made while one is
//     being built wait for it rather than build it again;
//   - the record is streamed: its events are read from the log a page at a
//     time and, in JSON, written as they are described, so it is never held
//     whole in memory with every decoded event.
const (
	exportQueue      = 64       // requests that may wait for a slot
	exportCacheBytes = 16 << 20 // all cached reports together
	exportCacheItem  = 4 << 20  // a report larger than this is not cached
	recordPage       = 256      // events read and described at a time
	yieldEvery       = 16       // entries or events between two yields of a build to the rooms
	exportWriteGrace = 20 * time.Second
	replicaIdle      = 10 * time.Minute // a replica unused this long is dropped
)

// exportSlots is how many reports may be built at once.
func exportSlots() int { return max(1, runtime.GOMAXPROCS(0)/2) }

// exporter builds, caches and streams the exports of a server.
type exporter struct {
	s       *Server // its log, clock and directory
	slots   chan struct{}
	queue   int64 // exportQueue; tests lower it
	waiting atomic.Int64
	// hook, when set (by tests, under mu), runs in each build with its
	// slot taken and the replica locked, before the report is produced.
	hook func()

	mu       sync.Mutex
	replicas map[engine.DocumentID]*replica
	inflight map[exportKey]*flight
	cache    exportCache

	built, hits atomic.Uint64 // for tests and metrics
}

// replica is the exporter's own copy of a document.
type replica struct {
	mu   sync.Mutex // held while it is advanced or read
	doc  *engine.Document
	seq  uint64
	hash string
	used time.Time
}

// exportKey names one built report.
type exportKey struct {
	doc    engine.DocumentID
	seq    uint64
	params string // the normalised query
	day    string // the UTC day: live reports print the date they were read
}

// flight is a report being built; those who asked for the same one wait
// on done.
type flight struct {
	done chan struct{}
	res  *builtExport // nil if the build failed or was too large to keep
	err  error
}

// builtExport is a report ready to send.
type builtExport struct {
	body        [][]byte // in the pieces it was written in: no doubling copies
	size        int
	contentType string
	name        string
}

// errBusy is the refusal when exportQueue requests already wait.
var errBusy = errors.New("too many exports are being built; try again in a few seconds")

func newExporter(s *Server) *exporter {
	return &exporter{s: s, slots: make(chan struct{}, exportSlots()), queue: exportQueue, replicas: map[engine.DocumentID]*replica{},
		inflight: map[exportKey]*flight{}, cache: exportCache{items: map[exportKey]*list.Element{}, order: list.New()}}
}

// acquire takes a build slot, waiting behind at most exportQueue others.
func (x *exporter) acquire(ctx context.Context) error {
	select {
	case x.slots <- struct{}{}:
		return nil
	default:
	}
	if x.waiting.Add(1) > x.queue {
		x.waiting.Add(-1)
		return errBusy
	}
	defer x.waiting.Add(-1)
	select {
	case x.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (x *exporter) release() { <-x.slots }

// current returns the replica of a document brought up to the log's head,
// locked; the caller unlocks it. Replicas unused for replicaIdle are
// dropped on the way.
func (x *exporter) current(ctx context.Context, id engine.DocumentID) (*replica, error) {
	now := time.Now()
	x.mu.Lock()
	for k, r := range x.replicas {
		if k != id && r.mu.TryLock() {
			if now.Sub(r.used) > replicaIdle {
				delete(x.replicas, k)
			}
			r.mu.Unlock()
		}
	}
	r, ok := x.replicas[id]
	if !ok {
		r = &replica{}
		x.replicas[id] = r
	}
	x.mu.Unlock()
	r.mu.Lock()
	r.used = now
	if r.doc == nil {
		doc, seq, _, hash, err := engine.LoadDocument(ctx, x.s.log, id)
		if err != nil {
			r.mu.Unlock()
			return nil, err
		}
		r.doc, r.seq, r.hash = doc, seq, hash
		return r, nil
	}
	const page = 5000
	stream := engine.DocumentStream(id)
	for {
		evs, err := x.s.log.Read(ctx, stream, r.seq, page)
		if err != nil {
			r.mu.Unlock()
			return nil, err
		}
		for i, e := range evs {
			if i%yieldEvery == yieldEvery-1 {
				runtime.Gosched()
			}
			if err := r.doc.Apply(e); err != nil {
				r.doc = nil // half applied: load afresh next time
				r.mu.Unlock()
				return nil, engine.Errorf(engine.EINTERNAL, "apply event %d of %s: %v", e.StreamSeq, stream, err)
			}
			r.seq, r.hash = e.StreamSeq, e.Hash
		}
		if len(evs) < page {
			return r, nil
		}
	}
}

// producer writes one report of d (current to seq, whose last event has
// hash) to out, calling start with its content type and file name before
// the first byte. It runs in a build slot with the replica locked; an
// error before start is answered as an error, one after it cuts the
// response short.
type producer func(d *engine.Document, seq uint64, hash string, start func(contentType, name string), out io.Writer) error

// serve answers one export request: from the cache, from an identical
// build already under way, or by building it in a slot, streaming it to
// the response and keeping a copy for the cache when it is not too large.
func (x *exporter) serve(w http.ResponseWriter, r *http.Request, id engine.DocumentID, params string, produce producer) {
	ctx := r.Context()
	seq, _, err := x.s.log.Head(ctx, engine.DocumentStream(id))
	if err != nil {
		writeError(w, r, err)
		return
	}
	key := exportKey{doc: id, seq: seq, params: params, day: x.s.now().UTC().Format(time.DateOnly)}
	var f *flight
	for f == nil {
		x.mu.Lock()
		if b, ok := x.cache.get(key); ok {
			x.mu.Unlock()
			x.hits.Add(1)
			sendBuilt(w, b)
			return
		}
		other, building := x.inflight[key]
		if !building {
			f = &flight{done: make(chan struct{})}
			x.inflight[key] = f
			x.mu.Unlock()
			break
		}
		x.mu.Unlock()
		select {
		case <-other.done:
		case <-ctx.Done():
			return
		}
		if other.err != nil {
			writeExportError(w, r, other.err)
			return
		}
		if other.res != nil {
			x.hits.Add(1)
			sendBuilt(w, other.res)
			return
		}
		// Built but too large to keep: build it here.
	}
	res, err := x.build(w, r, id, produce)
	f.err = err
	if errors.Is(err, errCutShort) || ctx.Err() != nil {
		f.err = nil // this request's own trouble, not the report's: the waiters build it
	}
	x.mu.Lock()
	delete(x.inflight, key)
	if res != nil {
		k := key
		k.seq = res.seq
		x.cache.put(k, &res.builtExport)
		f.res = &res.builtExport
	} else {
		f.res = nil
	}
	x.mu.Unlock()
	close(f.done)
}

// errCutShort marks a report whose response was cut short after it
// started: the client went away or was too slow.
var errCutShort = errors.New("the response was cut short")

// kept is a built report with the sequence it is current to.
type kept struct {
	builtExport
	seq uint64
}

// build builds a report in a slot and streams it to w. It returns the
// report when it is small enough to keep, nil otherwise; errors before
// the first byte are answered here.
func (x *exporter) build(w http.ResponseWriter, r *http.Request, id engine.DocumentID, produce producer) (*kept, error) {
	ctx := r.Context()
	if err := x.acquire(ctx); err != nil {
		writeExportError(w, r, err)
		return nil, err
	}
	defer x.release()
	rep, err := x.current(ctx, id)
	if err != nil {
		writeExportError(w, r, err)
		return nil, err
	}
	defer rep.mu.Unlock()
	x.mu.Lock()
	hook := x.hook
	x.mu.Unlock()
	if hook != nil {
		hook()
	}
	out := &exportWriter{w: w, rc: http.NewResponseController(w)}
	res := &kept{seq: rep.seq}
	start := func(ct, name string) {
		res.contentType, res.name = ct, name
		setExportHeaders(w, ct, name)
		out.started = true
	}
	if err := produce(rep.doc, rep.seq, rep.hash, start, out); err != nil {
		if !out.started {
			writeExportError(w, r, err)
			return nil, err
		}
		return nil, errCutShort
	}
	if out.err != nil {
		return nil, errCutShort
	}
	x.built.Add(1)
	if out.over {
		return nil, nil
	}
	res.body, res.size = out.copy, out.size
	return res, nil
}

// exportWriter writes a report to the response, giving the client
// exportWriteGrace for each write (a client that does not read cannot
// hold a build slot), and keeps a copy up to exportCacheItem bytes.
type exportWriter struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	started bool
	copy    [][]byte
	size    int
	over    bool // the copy was given up: too large to keep
	err     error
}

func (e *exportWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	if !e.over {
		if e.size+len(p) > exportCacheItem {
			e.over, e.copy = true, nil
		} else {
			e.copy = append(e.copy, bytes.Clone(p))
			e.size += len(p)
		}
	}
	_ = e.rc.SetWriteDeadline(time.Now().Add(exportWriteGrace))
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}

// setExportHeaders sets the headers of a download.
func setExportHeaders(w http.ResponseWriter, contentType, name string) {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
}

// sendBuilt answers with a report built before.
func sendBuilt(w http.ResponseWriter, b *builtExport) {
	setExportHeaders(w, b.contentType, b.name)
	w.Header().Set("Content-Length", strconv.Itoa(b.size))
	for _, p := range b.body {
		if _, err := w.Write(p); err != nil {
			return
		}
	}
}

// writeExportError answers an export that could not be built: 503 with
// Retry-After when too many wait, the error's own status otherwise.
func writeExportError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, pdf.ErrNoChromium) {
		// The server works without Chromium; only PDFs need it.
		var body ErrorBody
		body.Error.Code, body.Error.Message = "unavailable", pdf.ErrNoChromium.Error()
		writeJSON(w, http.StatusServiceUnavailable, body)
		return
	}
	if errors.Is(err, errBusy) {
		w.Header().Set("Retry-After", "5")
		var body ErrorBody
		body.Error.Code, body.Error.Message = "unavailable", errBusy.Error()
		writeJSON(w, http.StatusServiceUnavailable, body)
		return
	}
	if r.Context().Err() != nil {
		return // the client went away
	}
	writeError(w, r, err)
}

// exportCache keeps built reports, least recently used first out, up to
// exportCacheBytes. It keeps one report per document, parameters and day:
// the newest, since a live document only moves forward and an older
// state is not asked for again. The exporter's mutex guards it.
type exportCache struct {
	items map[exportKey]*list.Element // by key with seq 0
	order *list.List                  // front: most recently used
	bytes int
}

type cacheEntry struct {
	key exportKey // with its seq
	b   *builtExport
}

func (c *exportCache) get(k exportKey) (*builtExport, bool) {
	seq := k.seq
	k.seq = 0
	el, ok := c.items[k]
	if !ok || el.Value.(*cacheEntry).key.seq != seq {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cacheEntry).b, true
}

func (c *exportCache) put(k exportKey, b *builtExport) {
	if b.size > exportCacheItem {
		return
	}
	slot := k
	slot.seq = 0
	if el, ok := c.items[slot]; ok {
		e := el.Value.(*cacheEntry)
		if e.key.seq >= k.seq {
			return
		}
		c.order.Remove(el)
		delete(c.items, slot)
		c.bytes -= e.b.size
	}
	c.items[slot] = c.order.PushFront(&cacheEntry{k, b})
	c.bytes += b.size
	for c.bytes > exportCacheBytes {
		el := c.order.Back()
		e := el.Value.(*cacheEntry)
		c.order.Remove(el)
		old := e.key
		old.seq = 0
		delete(c.items, old)
		c.bytes -= e.b.size
	}
}

// printOptions are the options of a PDF download (format=pdf): the
// distribution printed in the masthead and line numbers.
type printOptions struct {
	on           bool
	distribution pdf.Distribution
	lineNumbers  bool
}

// key is the part of the cache key the options make.
func (p printOptions) key() string {
	if !p.on {
		return ""
	}
	return "pdf:" + string(p.distribution) + ":" + strconv.FormatBool(p.lineNumbers)
}

// parseExportFormat reads format=md|html|docx|akn|json|pdf; a PDF is the
// report's HTML printed by Chromium, with distribution=general|limited|
// restricted and lines=1.
func (s *Server) parseExportFormat(q url.Values) (export.Format, printOptions, error) {
	f := orDefault(q.Get("format"), "md")
	if strings.EqualFold(f, "pdf") {
		d, ok := pdf.ParseDistribution(q.Get("distribution"))
		if !ok {
			return "", printOptions{}, engine.Errorf(engine.EINVALID, "distribution %q is not one of general, limited, restricted", q.Get("distribution"))
		}
		return export.HTML, printOptions{on: true, distribution: d, lineNumbers: q.Get("lines") == "1" || q.Get("lines") == "true"}, nil
	}
	format, err := export.ParseFormat(f)
	if err != nil {
		return "", printOptions{}, engine.Errorf(engine.EINVALID, "%s (or pdf)", engine.Because(err))
	}
	return format, printOptions{}, nil
}

// pdfName is the file name of the PDF of a report whose HTML is name.
func pdfName(name string) string { return strings.TrimSuffix(name, ".html") + ".pdf" }

// exportReport downloads a report:
// GET /api/documents/{id}/export?report=clean|compare|compilation|status|parallel|translations
// &format=md|html|docx|akn|json|pdf&rev=N|live&against=N&style=…&final=1
// &language=fr|ar|…|all&beside=en (&distribution=…&lines=1 for a PDF).
func (s *Server) exportReport(w http.ResponseWriter, r *http.Request, p Person) {
	id := engine.DocumentID(r.PathValue("id"))
	if _, err := s.room(id); err != nil {
		writeError(w, r, err)
		return
	}
	q := r.URL.Query()
	format, print, err := s.parseExportFormat(q)
	if err != nil {
		writeError(w, r, err)
		return
	}
	style, err := export.ParseStyle(orDefault(q.Get("style"), "strike-underline"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	req := export.Request{Report: orDefault(q.Get("report"), "clean"), Style: style, Final: q.Get("final") == "1" || q.Get("final") == "true",
		// lines=1: the room's fixed lines in a clean text, a compare and
		// a compilation, in every format; a PDF prints them (and numbers
		// every fifth printed line of another report, printOptions).
		Lines:    q.Get("lines") == "1" || q.Get("lines") == "true",
		Language: q.Get("language"), Beside: q.Get("beside")}
	if req.Revision, err = revisionParam("rev", q.Get("rev")); err != nil {
		writeError(w, r, err)
		return
	}
	if req.Against, err = revisionParam("against", q.Get("against")); err != nil {
		writeError(w, r, err)
		return
	}
	params := strings.Join([]string{"export", req.Report, string(format), string(style), strconv.Itoa(req.Revision), strconv.Itoa(req.Against), strconv.FormatBool(req.Final), strconv.FormatBool(req.Lines), req.Language, req.Beside, print.key()}, "|")
	s.exports.serve(w, r, id, params, func(d *engine.Document, _ uint64, hash string, start func(string, string), out io.Writer) error {
		rep, err := export.Build(d, req, hash, s.now())
		if err != nil {
			return err
		}
		if print.on {
			body, err := s.printer.PrintReport(r.Context(), rep, print.distribution, print.lineNumbers)
			if err != nil {
				return err
			}
			start(pdf.ContentType, pdfName(fileName(d.CurrentSymbol(), req, format)))
			_, err = out.Write(body)
			return err
		}
		body, err := export.Render(rep, format)
		if err != nil {
			return err
		}
		start(export.ContentType(format), fileName(d.CurrentSymbol(), req, format))
		_, err = out.Write(body)
		return err
	})
}

// record downloads the record of a room, or of one meeting in it:
// GET /api/documents/{id}/record?meeting=M&format=md|html|json. Every
// change and decision, with the person, State and time. The events are
// read from the log recordPage at a time and described against the
// document as of the last of them; in JSON each page is written as soon
// as it is described, byte for byte what export.Record.JSON gives.
func (s *Server) record(w http.ResponseWriter, r *http.Request, p Person) {
	id := engine.DocumentID(r.PathValue("id"))
	if _, err := s.room(id); err != nil {
		writeError(w, r, err)
		return
	}
	format, print, err := s.parseExportFormat(r.URL.Query())
	if err != nil {
		writeError(w, r, err)
		return
	}
	meeting := engine.MeetingID(r.URL.Query().Get("meeting"))
	params := strings.Join([]string{"record", string(format), string(meeting), print.key()}, "|")
	s.exports.serve(w, r, id, params, func(d *engine.Document, seq uint64, hash string, start func(string, string), out io.Writer) error {
		meta := export.LiveMeta(d, s.now(), hash)
		// Checks the meeting (and the format) before the first byte.
		head, err := export.BuildRecord(d, nil, meeting, meta, s.dir.name)
		if err != nil {
			return err
		}
		if format != export.JSON {
			if _, err := export.Render(head, format); err != nil {
				return err
			}
		}
		name := fileName(d.CurrentSymbol(), export.Request{Report: "record"}, format)
		pages := func(each func(entries []export.RecordEntry) error) error {
			stream := engine.DocumentStream(d.ID)
			for after := uint64(0); after < seq; {
				evs, err := s.log.Read(r.Context(), stream, after, recordPage)
				if err != nil {
					return err
				}
				if len(evs) == 0 {
					return engine.Errorf(engine.EINTERNAL, "the log of %s ends at event %d, before %d", stream, after, seq)
				}
				for i, e := range evs {
					if e.StreamSeq > seq {
						evs = evs[:i]
						break
					}
				}
				after = evs[len(evs)-1].StreamSeq
				runtime.Gosched()
				page, err := export.BuildRecord(d, evs, meeting, meta, s.dir.name)
				if err != nil {
					return err
				}
				if err := each(page.Entries); err != nil {
					return err
				}
			}
			return nil
		}
		if format != export.JSON {
			// Markdown and HTML name the number of entries at the top:
			// the entries are gathered (not the events), then rendered.
			if err := pages(func(es []export.RecordEntry) error { head.Entries = append(head.Entries, es...); return nil }); err != nil {
				return err
			}
			if print.on {
				body, err := s.printer.PrintReport(r.Context(), head, print.distribution, print.lineNumbers)
				if err != nil {
					return err
				}
				start(pdf.ContentType, pdfName(name))
				_, err = out.Write(body)
				return err
			}
			body, err := export.Render(head, format)
			if err != nil {
				return err
			}
			start(export.ContentType(format), name)
			_, err = out.Write(body)
			return err
		}
		return streamRecordJSON(head, pages, func() { start(export.ContentType(format), name) }, out)
	})
}

// streamRecordJSON writes a record as json.MarshalIndent(rec, "", "  ")
// would, entry by entry: head holds the meta and meeting, pages hands
// over the entries a page at a time. start is called before the first
// byte, once the first page is described.
func streamRecordJSON(head *export.Record, pages func(func([]export.RecordEntry) error) error, start func(), out io.Writer) error {
	meta, err := json.MarshalIndent(head.Meta, "  ", "  ")
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.WriteString("{\n  \"meta\": ")
	b.Write(meta)
	if head.Meeting != "" {
		m, _ := json.Marshal(head.Meeting)
		b.WriteString(",\n  \"meeting\": ")
		b.Write(m)
	}
	b.WriteString(",\n  \"entries\": [")
	n, started := 0, false
	flush := func() error {
		if !started {
			start()
			started = true
		}
		_, err := out.Write(b.Bytes())
		b.Reset()
		return err
	}
	err = pages(func(es []export.RecordEntry) error {
		for _, e := range es {
			j, err := json.MarshalIndent(e, "    ", "  ")
			if err != nil {
				return err
			}
			if n > 0 {
				b.WriteByte(',')
			}
			b.WriteString("\n    ")
			b.Write(j)
			n++
			if n%yieldEvery == 0 {
				runtime.Gosched()
			}
		}
		return flush()
	})
	if err != nil {
		return err
	}
	if n > 0 {
		b.WriteString("\n  ")
	}
	b.WriteString("]\n}")
	return flush()
}
