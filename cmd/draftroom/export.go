package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/export"
	"github.com/draftroom/draftroom/pdf"
)

func init() { register(&exportCommand{}) }

// exportCommand writes a report — clean text, compare, compilation of
// proposals or status — in Markdown, HTML, Word, Akoma Ntoso or JSON.
//
// For now it reads draft files. Where the report's input comes from is
// one step (load) that returns an exportInput, so that reading a document
// from the database (--db) is another loader beside loadDraftFiles, and the
// rest of the command stays as it is.
type exportCommand struct{}

func (*exportCommand) Name() string { return "export" }
func (*exportCommand) Synopsis() string {
	return "write a clean text, compare, compilation or status report (md, html, docx, akn, json, pdf)"
}

// exportFlags are the command's options.
type exportFlags struct {
	against  string
	report   string
	format   export.Format
	style    export.Style
	out      string
	final    bool
	date     time.Time
	revision string
	lang     string
	title    string
	// print: -format pdf, the report's HTML printed by Chromium.
	print pdfFlags
}

// pdfFlags are the options of -format pdf.
type pdfFlags struct {
	on           bool
	distribution pdf.Distribution
	lineNumbers  bool
}

// parseFormat reads -format: "pdf" is the HTML printed by Chromium.
func parseFormat(s string, p *pdfFlags, dist string) (export.Format, error) {
	if strings.EqualFold(strings.TrimSpace(s), "pdf") {
		p.on = true
		d, ok := pdf.ParseDistribution(dist)
		if !ok {
			return "", fmt.Errorf("%w: -distribution %q is not one of general, limited, restricted", errUsage, dist)
		}
		p.distribution = d
		return export.HTML, nil
	}
	f, err := export.ParseFormat(s)
	if err != nil {
		return "", fmt.Errorf("%w: %s (or pdf)", errUsage, engine.ErrorMessage(err))
	}
	return f, nil
}

// render renders a report in the format asked for, printing it as PDF
// with -format pdf.
func render(ctx context.Context, rep export.Report, f export.Format, p pdfFlags) ([]byte, error) {
	if p.on {
		pr := pdf.New("")
		defer pr.Close()
		return pr.PrintReport(ctx, rep, p.distribution, p.lineNumbers)
	}
	b, err := export.Render(rep, f)
	if err != nil {
		return nil, fmt.Errorf("%s", engine.ErrorMessage(err))
	}
	return b, nil
}

// exportInput is what a report is built from.
type exportInput struct {
	// doc is the document in its live state; compilation and status
	// reports read its amendments and positions.
	doc *engine.Document
	// text is the text reported on, and meta what the output names.
	text engine.Outline
	meta export.Meta
	// against is the earlier text of a compare, nil otherwise.
	against *engine.Outline
	// independent says text and against were imported separately, so
	// their paragraphs are matched by place and text, not identity.
	independent bool
}

func (c *exportCommand) Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var f exportFlags
	fs.StringVar(&f.against, "against", "", "compare with this earlier draft `FILE` (implies -report compare)")
	fs.StringVar(&f.report, "report", "", "report: clean, compare, compilation, status, parallel or translations (default clean, or compare with -against)")
	format := fs.String("format", "md", "output format: md, html, docx, akn, json or pdf (printed by Chromium)")
	dist := fs.String("distribution", "", "with -format pdf: the masthead's distribution, general, limited or restricted (default from the symbol: L. limited, CRP restricted, else general)")
	fs.BoolVar(&f.print.lineNumbers, "line-numbers", false, "number the lines of the text: the room's fixed lines of 80 characters in a clean text, a compare (the later text) and a compilation, in html, docx and pdf; a pdf of another report numbers every fifth printed line")
	style := fs.String("style", "strike-underline", "compare house style: strike-underline, strike-bold or columns")
	fs.StringVar(&f.out, "o", "", "write to `FILE` instead of standard output")
	fs.BoolVar(&f.final, "final", false, "build a final clean text: refused while brackets or struck-through paragraphs remain")
	date := fs.String("date", "", "date of the text, `YYYY-MM-DD` (default today)")
	fs.StringVar(&f.revision, "revision", "Draft", "name of the text in the output (e.g. \"Zero draft\", \"Rev.1\")")
	fs.StringVar(&f.lang, "lang", "", "language of the text, e.g. en, fr, ar (ar is written right to left); with -db, the language version to report on (all: every language, for the clean text)")
	fs.StringVar(&f.title, "title", "", "title to use when the draft has no '# ' title")
	db := fs.String("db", "", "read the document from this database (a SQLite `FILE` or a postgres:// URL) instead of a draft file")
	docID := fs.String("doc", "", "with -db: the document `ID`")
	rev := fs.String("rev", "live", "with -db: the text to report on, a revision `N` or live")
	againstRev := fs.String("against-rev", "", "with -db: compare with this earlier revision `N` (implies -report compare)")
	beside := fs.String("beside", "", "with -db and -report parallel: the language of the left-hand column (default the working language; -lang is the right-hand one)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: draftroom export [flags] FILE\n\nWrites a report on the draft FILE: its clean text, a compare with an earlier draft\n(-against OLDFILE), or its compilation of proposals or status.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *db != "" {
		return exportFromDB(ctx, stdout, *db, *docID, *rev, *againstRev, f.report, *format, *style, f.out, f.final, f.lang, *beside, *dist, f.print.lineNumbers)
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return fmt.Errorf("%w: expected one FILE, got %d arguments", errUsage, fs.NArg())
	}
	var err error
	if f.format, err = parseFormat(*format, &f.print, *dist); err != nil {
		return err
	}
	if f.style, err = export.ParseStyle(*style); err != nil {
		return fmt.Errorf("%w: %s", errUsage, engine.ErrorMessage(err))
	}
	f.date = time.Now().UTC().Truncate(24 * time.Hour)
	if *date != "" {
		if f.date, err = time.Parse("2006-01-02", *date); err != nil {
			return fmt.Errorf("%w: -date %q is not a date like 2027-03-15", errUsage, *date)
		}
	}
	if f.report == "" {
		f.report = "clean"
		if f.against != "" {
			f.report = "compare"
		}
	}
	in, err := loadDraftFiles(fs.Arg(0), f)
	if err != nil {
		return err
	}
	rep, err := buildReport(in, f)
	if err != nil {
		return err
	}
	b, err := render(ctx, rep, f.format, f.print)
	if err != nil {
		return err
	}
	if f.out == "" {
		_, err = stdout.Write(b)
		return err
	}
	return os.WriteFile(f.out, b, 0o644)
}

// loadDraftFiles builds the input from a draft file and, for a compare,
// an earlier one. The output names no event log: the text is not from one.
func loadDraftFiles(path string, f exportFlags) (exportInput, error) {
	draft, _, err := readDraft(path, f.title)
	if err != nil {
		return exportInput{}, err
	}
	doc, err := draftDocument(draft)
	if err != nil {
		return exportInput{}, fmt.Errorf("%s: %w", path, err)
	}
	in := exportInput{doc: doc, text: doc.Outline()}
	in.meta = export.Meta{Title: doc.Title, Source: export.Source{Symbol: doc.Symbol, Revision: f.revision, Date: f.date}, Language: f.lang}
	if f.against != "" {
		old, _, err := readDraft(f.against, f.title)
		if err != nil {
			return exportInput{}, err
		}
		od, err := draftDocument(old)
		if err != nil {
			return exportInput{}, fmt.Errorf("%s: %w", f.against, err)
		}
		o := od.Outline()
		in.against, in.independent = &o, true
		in.meta.Against = &export.Source{Symbol: od.Symbol, Revision: "earlier draft (" + filepath.Base(f.against) + ")"}
	}
	return in, nil
}

// buildReport builds the report the flags ask for.
func buildReport(in exportInput, f exportFlags) (export.Report, error) {
	switch f.report {
	case "clean":
		c, err := export.Clean(in.text, in.meta, export.CleanOptions{Final: f.final, Doc: in.doc, Lines: f.print.lineNumbers})
		if err != nil {
			return nil, fmt.Errorf("%s", engine.ErrorMessage(err))
		}
		return c, nil
	case "compare":
		if in.against == nil {
			return nil, fmt.Errorf("%w: a compare needs the earlier text: -against OLDFILE", errUsage)
		}
		opts := export.CompareOptions{Style: f.style, Lines: f.print.lineNumbers}
		if in.independent {
			return export.CompareDrafts(*in.against, in.text, in.meta, opts), nil
		}
		opts.Doc = in.doc
		return export.CompareOutlines(*in.against, in.text, in.meta, opts), nil
	case "compilation":
		c := export.BuildCompilation(in.doc, in.meta)
		c.Lines = f.print.lineNumbers
		return c, nil
	case "status":
		return export.BuildStatus(in.doc, in.meta, export.StatusOptions{}), nil
	}
	return nil, fmt.Errorf("%w: -report %q is not one of clean, compare, compilation, status", errUsage, f.report)
}

// exportFromDB builds a report of a document stored in a database, with
// the same builder as the server's download endpoint; the output names the
// hash of the last event it was built from.
func exportFromDB(ctx context.Context, stdout io.Writer, db, id, rev, against, report, format, style, out string, final bool, lang, beside, dist string, lineNumbers bool) error {
	if id == "" {
		return fmt.Errorf("%w: -db needs -doc ID", errUsage)
	}
	var req dbRequest
	var err error
	p := pdfFlags{lineNumbers: lineNumbers}
	if req.Format, err = parseFormat(format, &p, dist); err != nil {
		return err
	}
	if req.Style, err = export.ParseStyle(style); err != nil {
		return fmt.Errorf("%w: %s", errUsage, engine.ErrorMessage(err))
	}
	if req.Revision, err = parseRev("-rev", rev); err != nil {
		return err
	}
	req.Report, req.Final, req.Language, req.Beside, req.Lines = report, final, lang, beside, lineNumbers
	if against != "" {
		if req.Against, err = parseRev("-against-rev", against); err != nil {
			return err
		}
		if req.Report == "" {
			req.Report = "compare"
		}
	}
	log, err := openLog(ctx, db)
	if err != nil {
		return err
	}
	defer log.Close()
	doc, _, _, hash, err := engine.LoadDocument(ctx, log, engine.DocumentID(id))
	if err != nil {
		return fmt.Errorf("%s: %s", storeName(db), engine.ErrorMessage(err))
	}
	rep, err := export.Build(doc, req.Request, hash, time.Now().UTC())
	if err != nil {
		return fmt.Errorf("%s", engine.ErrorMessage(err))
	}
	b, err := render(ctx, rep, req.Format, p)
	if err != nil {
		return err
	}
	if out == "" {
		_, err = stdout.Write(b)
		return err
	}
	return os.WriteFile(out, b, 0o644)
}

// dbRequest is an export request with its output format.
type dbRequest struct {
	export.Request
	Format export.Format
}

func parseRev(flagName, v string) (int, error) {
	if v == "live" || v == "" {
		return export.Live, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%w: %s must be a revision number or live, not %q", errUsage, flagName, v)
	}
	return n, nil
}
