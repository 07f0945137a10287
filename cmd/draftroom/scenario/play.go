package scenario

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/fixtures"
	"github.com/draftroom/draftroom/server"
)

// Options control a play.
type Options struct {
	// Out is told every step as it is played ("[12] Chair (Brazil): opens
	// the second reading"); nil tells nothing.
	Out io.Writer
	// Pace is the pause after each step, so that someone watching in a
	// browser can follow; 0 plays at full speed.
	Pace time.Duration
	// Exports is the directory the script's exported texts are written
	// to; "" writes none.
	Exports string
}

// Result is what a script left behind, for the caller to check.
type Result struct {
	// Views are the final views of the documents the script negotiated.
	Views map[engine.DocumentID]*server.View
	// Files are the exported texts, relative to Options.Exports.
	Files []string
	// Steps is the number of steps played.
	Steps int
}

// script is one seed process played from its set-up to its reports.
type script struct {
	title string
	play  func(r *run)
}

var scripts = map[string]script{
	"permanent-mechanism": {"the permanent mechanism: election, meetings, accreditation, two readings, Rev.1, silence procedures, adoption", permanentMechanism},
	"oewg-2021-2025":      {"the OEWG 2021–2025: a substantive session with subgroups, an annual progress report adopted and one that ends as a Chair's summary", oewg},
}

// Names lists the scripts, sorted.
func Names() []string {
	var out []string
	for n := range scripts {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Title describes a script in a line; "" for an unknown name.
func Title(name string) string { return scripts[name].title }

// Play plays the script named name against the server at base, starting
// from a one-time login code of the secretariat. It stops at the first
// step that fails, with an error naming the step and the person; the
// server keeps what was done until then.
func Play(ctx context.Context, base, secretariatCode, name string, opts Options) (res *Result, err error) {
	sc, ok := scripts[name]
	if !ok {
		return nil, fmt.Errorf("no script %q; the scripts are %s", name, strings.Join(Names(), ", "))
	}
	if opts.Out == nil {
		opts.Out = io.Discard
	}
	sec, err := Login(base, secretariatCode, "Secretariat")
	if err != nil {
		return nil, err
	}
	r := &run{ctx: ctx, base: base, opts: opts, sec: sec, people: map[string]*Client{}, res: &Result{Views: map[engine.DocumentID]*server.View{}}}
	defer func() {
		if p := recover(); p != nil {
			f, ok := p.(failure)
			if !ok {
				panic(p)
			}
			res, err = r.res, f.err
		}
	}()
	sc.play(r)
	r.res.Steps = r.n
	return r.res, nil
}

// failure carries a failed step out of a script.
type failure struct{ err error }

// run is one play of a script.
type run struct {
	ctx    context.Context
	base   string
	opts   Options
	sec    *Client
	people map[string]*Client // by person id
	n      int
	res    *Result
}

// do plays one step: who does what. A failure ends the play.
func (r *run) do(who *Client, what string, f func() error) {
	r.n++
	if err := r.ctx.Err(); err != nil {
		panic(failure{err})
	}
	fmt.Fprintf(r.opts.Out, "[%d] %s: %s\n", r.n, who.Who, what)
	if err := f(); err != nil {
		panic(failure{fmt.Errorf("step %d (%s: %s): %w", r.n, who.Who, what, err)})
	}
	r.pause()
}

// refused plays a step that must be refused with a message containing
// want, as the server's rules require.
func (r *run) refused(who *Client, what, want string, f func() error) {
	r.n++
	fmt.Fprintf(r.opts.Out, "[%d] %s: %s (expected to be refused)\n", r.n, who.Who, what)
	err := f()
	var ae *APIError
	if !errors.As(err, &ae) || !strings.Contains(ae.Message, want) {
		panic(failure{fmt.Errorf("step %d (%s: %s): want a refusal saying %q, got %v", r.n, who.Who, what, want, err)})
	}
	fmt.Fprintf(r.opts.Out, "     refused, as the rules require: %s\n", ae.Message)
	r.pause()
}

// check fails the play when a condition on the state does not hold.
func (r *run) check(ok bool, format string, args ...any) {
	if !ok {
		panic(failure{fmt.Errorf("after step %d: "+format, append([]any{r.n}, args...)...)})
	}
}

// must ends the play on an error outside a step.
func (r *run) must(err error) {
	if err != nil {
		panic(failure{fmt.Errorf("after step %d: %w", r.n, err)})
	}
}

func (r *run) pause() {
	if r.opts.Pace <= 0 {
		return
	}
	select {
	case <-time.After(r.opts.Pace):
	case <-r.ctx.Done():
	}
}

// wait sleeps until t (a deadline the script set), whatever the pace.
func (r *run) wait(t time.Time) {
	select {
	case <-time.After(time.Until(t)):
	case <-r.ctx.Done():
	}
}

// person registers someone with the secretariat, gives them a one-time
// login and logs them in, as they would on their own device.
func (r *run) person(p server.Person, who string) *Client {
	r.do(r.sec, fmt.Sprintf("registers %s (%s) and gives them a one-time login", p.Name, p.Role), func() error {
		if err := r.sec.Call("POST", "/api/people", p, nil); err != nil {
			return err
		}
		var lc server.LoginCode
		if err := r.sec.Call("POST", "/api/people/"+url.PathEscape(string(p.ID))+"/logins", nil, &lc); err != nil {
			return err
		}
		c, err := Login(r.base, lc.Code, who)
		if err != nil {
			return err
		}
		r.people[string(p.ID)] = c
		return nil
	})
	return r.people[string(p.ID)]
}

// view reads a document, failing the play if it cannot.
func (r *run) view(doc engine.DocumentID) *server.View {
	v, err := r.sec.View(doc)
	r.must(err)
	return v
}

// issued issues a revision and checks the symbol the process gave it:
// nobody types it.
func (r *run) issued(who *Client, doc engine.DocumentID, cmd engine.IssueRevision, want string) error {
	res, err := who.Doc(doc, "revision.issue", cmd)
	if err != nil {
		return err
	}
	for _, e := range res.Events {
		if x, ok := e.Data.(*engine.RevisionIssued); ok && x.Symbol != want {
			return fmt.Errorf("issued as %s, want %s", x.Symbol, want)
		}
	}
	return nil
}

// para finds a paragraph by its number as displayed now.
func (r *run) para(doc engine.DocumentID, number string) server.ParagraphView {
	for _, p := range r.view(doc).Paragraphs {
		if p.Number == number {
			return p
		}
	}
	r.check(false, "%s has no paragraph %s", doc, number)
	return server.ParagraphView{}
}

// amendment finds an amendment by its proposer and new text.
func (r *run) amendment(doc engine.DocumentID, proposer engine.StateCode, newText string) engine.AmendmentID {
	for _, a := range r.view(doc).Amendments {
		if a.Proposer == proposer && a.NewText == newText {
			return a.ID
		}
	}
	r.check(false, "%s has no amendment by %s with text %q", doc, proposer, newText)
	return ""
}

// span is the rune offsets of sub in text.
func (r *run) span(text, sub string) (int, int) {
	i := strings.Index(text, sub)
	r.check(i >= 0, "%q is not in %q", sub, text)
	start := len([]rune(text[:i]))
	return start, start + len([]rune(sub))
}

// draft reads a draft we ship.
func (r *run) draft(name string) string {
	b, err := fs.ReadFile(fixtures.FS, "drafts/"+name)
	r.must(err)
	return string(b)
}

// export downloads a report of doc and writes it to the exports
// directory as name.
func (r *run) export(who *Client, doc engine.DocumentID, name string, q url.Values) {
	r.do(who, fmt.Sprintf("downloads %s (%s)", name, q.Encode()), func() error {
		b, err := who.Export(doc, q)
		if err != nil {
			return err
		}
		if len(b) == 0 {
			return fmt.Errorf("%s is empty", name)
		}
		if r.opts.Exports == "" {
			return nil
		}
		if err := os.MkdirAll(r.opts.Exports, 0o755); err != nil {
			return err
		}
		r.res.Files = append(r.res.Files, name)
		return os.WriteFile(filepath.Join(r.opts.Exports, name), b, 0o644)
	})
}

// agreeAll agrees ad ref, as chair, every paragraph of doc not yet agreed,
// reading each first.
func (r *run) agreeAll(chair *Client, doc engine.DocumentID) {
	for _, p := range r.view(doc).Paragraphs {
		if p.Deleted || p.Status == engine.StatusAgreedAdRef || p.Status == engine.StatusAdopted || p.Number == "" {
			continue
		}
		r.do(chair, "reads paragraph "+p.Number+" and, hearing no objection, agrees it ad ref", func() error {
			if _, err := chair.Doc(doc, "reading.read", engine.ReadParagraph{Para: p.ID}); err != nil {
				return err
			}
			_, err := chair.Doc(doc, "decision.take", engine.TakeDecision{Kind: engine.AgreeAdRef, Para: p.ID})
			return err
		})
	}
}

// statuses maps each numbered paragraph of a view to its status.
func statuses(v *server.View) map[string]engine.ParagraphStatus {
	out := map[string]engine.ParagraphStatus{}
	for _, p := range v.Paragraphs {
		if p.Number != "" && !p.Deleted {
			out[p.Number] = p.Status
		}
	}
	return out
}
