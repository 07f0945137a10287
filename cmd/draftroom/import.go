package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/docx"
)

func init() { register(&importCommand{}) }

// importCommand parses a draft and prints its structure and bracket report.
type importCommand struct{}

func (*importCommand) Name() string { return "import" }
func (*importCommand) Synopsis() string {
	return "parse a draft (Markdown, plain text or Word .docx) and print its structure and bracket report"
}

func (c *importCommand) Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the parsed draft and report as JSON")
	format := fs.Bool("format", false, "print the draft back in the import format (as exported)")
	title := fs.String("title", "", "title to use when the draft has no '# ' title")
	db := fs.String("db", "", "also store the draft as a new document in this database (a SQLite `FILE` or a postgres:// URL)")
	id := fs.String("id", "", "with -db: the new document's `ID`")
	lang := fs.String("lang", "en", "with -db: the language of the text (ar is right to left)")
	typ := fs.String("type", string(engine.DraftProgressReport), "with -db: the document type")
	process := fs.String("process", "", "with -db: the `PROCESS` the document belongs to; it is registered with it, and a process with a symbol prefix allocates its symbol (the draft's symbol line is then not used)")
	body := fs.String("body", "", "with -process: the `BODY` whose document it is (default: the plenary)")
	meeting := fs.String("meeting", "", "with -process: the `MEETING` the document is prepared for; its symbol is numbered in that meeting's year (default: this year)")
	translation := fs.String("translation", "", "with -db and -id: take FILE as the `LANG` version (fr, ar, …) of the existing document ID, aligned by paragraph numbers, and report what did not match")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: draftroom import [-json|-format] [-db DB -id ID [-process PROCESS [-body BODY] [-meeting MEETING]]] FILE\n\nParses a draft and prints its sections, numbered paragraphs, every bracket that spans paragraphs\nand every unbalanced bracket;\nwith -db, also stores it as a new document in the database; with -process, as a document of\nthat process, whose symbol the process allocates.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("%w: expected one FILE, got %d arguments", errUsage, fs.NArg())
	}
	if *translation != "" {
		if *db == "" || *id == "" {
			return fmt.Errorf("%w: -translation needs -db and -id: the document whose language version FILE is", errUsage)
		}
		return importTranslation(ctx, *db, engine.DocumentID(*id), *translation, fs.Arg(0), *asJSON, stdout)
	}
	if (*body != "" || *meeting != "") && *process == "" {
		return fmt.Errorf("%w: -body and -meeting need -process, the process the document belongs to", errUsage)
	}
	if *process != "" && *db == "" {
		return fmt.Errorf("%w: -process needs -db, the database that holds the process", errUsage)
	}
	draft, rep, err := readDraft(fs.Arg(0), *title)
	if err != nil {
		return err
	}
	if *db != "" {
		if *id == "" {
			return fmt.Errorf("%w: -db needs -id, the new document's identifier", errUsage)
		}
		log, err := openLog(ctx, *db)
		if err != nil {
			return err
		}
		defer log.Close()
		c := engine.Context{Now: time.Now(), Actor: engine.Actor{Person: "cli", Role: engine.RoleSecretariat}}
		create := engine.CreateDocument{ID: engine.DocumentID(*id), Type: engine.DocumentType(*typ), Language: *lang, Draft: draft}
		if *process != "" {
			if create, err = registerImport(ctx, log, c, create, engine.ProcessID(*process), engine.BodyID(*body), engine.MeetingID(*meeting), stderr); err != nil {
				return fmt.Errorf("%s: %s", storeName(*db), engine.ErrorMessage(err))
			}
		}
		doc, evs, err := engine.CreateDocumentIn(ctx, log, c, create)
		if err != nil {
			return fmt.Errorf("%s: %s", storeName(*db), engine.ErrorMessage(err))
		}
		fmt.Fprintf(stderr, "stored as document %q in %s (event %d, hash %s)\n", doc.ID, storeName(*db), evs[0].Seq, evs[0].Hash)
		if doc.Symbol != "" {
			fmt.Fprintf(stderr, "symbol: %s\n", doc.Symbol)
		}
	}
	switch {
	case *asJSON:
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Draft  engine.Draft        `json:"draft"`
			Report engine.ImportReport `json:"report"`
		}{draft, rep})
	case *format:
		doc, err := draftDocument(draft)
		if err != nil {
			return err
		}
		_, err = io.WriteString(stdout, engine.FormatDraft(doc.Outline()))
		return err
	}
	doc, err := draftDocument(draft)
	if err != nil {
		return err
	}
	printStructure(stdout, doc, rep)
	return nil
}

// registerImport registers a document imported with -process with its
// process, through the log like the server (a server running on the same
// database, or another import, may register at the same moment: the log
// refuses the second append and it is decided again), and returns the
// creation with the symbol the process allocated. The draft's own symbol
// line is not used by a process that allocates symbols: stderr says so.
func registerImport(ctx context.Context, log engine.EventLog, c engine.Context, create engine.CreateDocument, process engine.ProcessID, body engine.BodyID, meeting engine.MeetingID, stderr io.Writer) (engine.CreateDocument, error) {
	if _, err := engine.NewDocument().Decide(c, create); err != nil {
		return create, err // the draft is refused before a symbol is taken
	}
	if create.Type == "" {
		create.Type = engine.DraftProgressReport
	}
	p, _, err := engine.LoadProcess(ctx, log, process)
	if err != nil {
		return create, err
	}
	if p.ID == "" {
		return create, engine.Errorf(engine.ENOTFOUND, "process %q does not exist in the database (-process)", process)
	}
	if body == "" {
		if pl := p.Plenary(); pl != nil {
			body = pl.ID
		}
	}
	cmd := engine.RegisterDocument{Document: create.ID, Body: body, Type: create.Type, Title: create.Draft.Title, Meeting: meeting}
	if p.SymbolPrefix == "" {
		cmd.Symbol = create.Draft.Symbol
	}
	stored, err := engine.ProcessCommandIn(ctx, log, c, process, cmd, 32)
	if err != nil {
		return create, err
	}
	sym := stored[0].Data.(*engine.DocumentRegistered).Document.Symbol
	create.Process, create.Body = process, body
	if p.SymbolPrefix != "" {
		if create.Draft.Symbol != "" && create.Draft.Symbol != sym {
			fmt.Fprintf(stderr, "note: the draft's symbol %s is not used: %s allocates its documents' symbols\n", create.Draft.Symbol, process)
		}
		create.Draft.Symbol, create.SymbolsAllocated = sym, true
	}
	return create, nil
}

// readDraft reads and imports a draft file — Markdown or plain text, or a
// Word document (.docx, recognised by its zip signature) — errors name the
// file.
func readDraft(path, title string) (engine.Draft, engine.ImportReport, error) {
	f, err := os.Open(path)
	if err != nil {
		return engine.Draft{}, engine.ImportReport{}, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max(engine.MaxImportBytes, docx.MaxFileBytes)+1))
	if err != nil {
		return engine.Draft{}, engine.ImportReport{}, fmt.Errorf("%s: %w", path, err)
	}
	var draft engine.Draft
	var rep engine.ImportReport
	if isDocx(path, b) {
		draft, rep, err = docx.ImportDraft(b)
	} else {
		draft, rep, err = engine.ImportDraft(string(b))
	}
	if err != nil {
		return draft, rep, fmt.Errorf("%s: %s", path, engine.ErrorMessage(err))
	}
	if title != "" && strings.HasPrefix(draft.Title, "Untitled") {
		draft.Title = title
	}
	return draft, rep, nil
}

// isDocx says whether a file is a Word document: named .docx, or a zip
// archive (a Markdown draft never starts with "PK\x03\x04").
func isDocx(path string, b []byte) bool {
	return strings.EqualFold(filepath.Ext(path), ".docx") || bytes.HasPrefix(b, []byte("PK\x03\x04"))
}

// draftDocument builds a document from a draft without a log.
func draftDocument(draft engine.Draft) (*engine.Document, error) {
	doc := engine.NewDocument()
	_, err := doc.Execute(engine.Context{Actor: engine.Actor{Role: engine.RoleSecretariat}},
		engine.CreateDocument{ID: "import", Draft: draft})
	if err != nil {
		return nil, fmt.Errorf("%s", engine.ErrorMessage(err))
	}
	return doc, nil
}

func printStructure(w io.Writer, doc *engine.Document, rep engine.ImportReport) {
	fmt.Fprintf(w, "Title:     %s\n", doc.Title)
	if doc.Symbol != "" {
		fmt.Fprintf(w, "Symbol:    %s\n", doc.Symbol)
	}
	fmt.Fprintf(w, "Numbering: %s\n\n", doc.Numbering)
	o := doc.Outline()
	for _, s := range o.Sections {
		if s.Heading != "" {
			fmt.Fprintf(w, "%s %s\n", strings.Repeat("#", s.Level+1), s.Heading)
		}
		var walk func(ps []engine.OutlineParagraph, indent string)
		walk = func(ps []engine.OutlineParagraph, indent string) {
			for _, p := range ps {
				num := p.Number
				if num == "" {
					num = "·"
				}
				opt := ""
				if p.Option != "" {
					opt = " [" + p.Option + "]"
				}
				fmt.Fprintf(w, "%s%-8s %-22s%s %s\n", indent, num, p.EID, opt, preview(p.Text, 60))
				walk(p.Children, indent+"  ")
			}
		}
		walk(s.Paras, "  ")
	}
	fmt.Fprintf(w, "\n%d sections, %d paragraphs, %d brackets (nested %d deep at most), %d spanning paragraphs, %d unbalanced\n",
		rep.Sections, rep.Paragraphs, rep.Brackets, rep.MaxDepth, len(rep.Spanning), len(rep.Unbalanced))
	for _, s := range rep.Spanning {
		fmt.Fprintf(w, "  spanning: %s\n", s)
	}
	for _, u := range rep.Unbalanced {
		fmt.Fprintf(w, "  unbalanced: %s\n", u)
	}
	for _, n := range rep.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
}

// preview shortens text to n characters for a one-line listing.
func preview(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// importTranslation stores FILE as the lang version of document id in the
// database, as the secretariat, and prints the alignment report: what was
// taken, the file's paragraphs that match none of the document's and the
// document's paragraphs the file lacks.
func importTranslation(ctx context.Context, db string, id engine.DocumentID, lang, path string, asJSON bool, stdout io.Writer) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if len(b) > engine.MaxImportBytes {
		return fmt.Errorf("%s: %d bytes; the limit is %d", path, len(b), engine.MaxImportBytes)
	}
	log, err := openLog(ctx, db)
	if err != nil {
		return err
	}
	defer log.Close()
	doc, seq, _, _, err := engine.LoadDocument(ctx, log, id)
	if err != nil {
		return fmt.Errorf("%s: %s", db, engine.ErrorMessage(err))
	}
	c := engine.Context{Now: time.Now(), Actor: engine.Actor{Person: "cli", Role: engine.RoleSecretariat}}
	evs, err := doc.Decide(c, engine.ImportTranslation{Language: lang, Text: string(b), File: filepath.Base(path)})
	if err != nil {
		return fmt.Errorf("%s: %s", path, engine.ErrorMessage(err))
	}
	stored, err := log.Append(ctx, engine.DocumentStream(id), seq, evs)
	if err != nil {
		return fmt.Errorf("%s: %s", db, engine.ErrorMessage(err))
	}
	ev := stored[0].Data.(*engine.TranslationImported)
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(ev)
	}
	for _, l := range ev.Report() {
		fmt.Fprintln(stdout, l)
	}
	fmt.Fprintf(stdout, "stored in %s (event %d, hash %s)\n", db, stored[0].Seq, stored[0].Hash)
	return nil
}
