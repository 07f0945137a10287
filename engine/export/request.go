package export

import (
	"strings"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// Live names the live state of a document in a Request, where a revision
// number is otherwise expected.
const Live = -1

// Request says which report of a document to build: the one mechanism
// behind the server's download endpoint and "draftroom export --db".
type Request struct {
	// Report is "clean", "compare", "compilation" or "status".
	Report string
	// Revision is the text reported on: a revision number, or Live.
	Revision int
	// Against is the earlier text of a compare: a revision number, or
	// Live. It is ignored by the other reports.
	Against int
	// Style is the compare's house style.
	Style Style
	// Final builds a final clean text, refused while anything is open.
	Final bool
	// Language is the language of the report: "" or the working language
	// for the source text, or a language version ("fr", "ar", …), whose
	// outdated and missing translations are marked. "all" gives the clean
	// text in every language (one Akoma Ntoso expression each).
	Language string
	// Lines numbers the fixed lines (LineStarts) of a clean text's
	// paragraphs, of the later text of a compare (not in the columns
	// style) and of a compilation's paragraphs, in HTML, Word and the PDF
	// printed from HTML.
	Lines bool
	// Beside is, for a parallel text, the language of the left-hand
	// column ("" for the working language); Language is the right-hand
	// one.
	Beside string
}

// Build builds the requested report of d. logHead is the hash of the last
// event of the log folded into d, and now the time the live state is read
// at; both are named in the output. Errors name the revision or report
// that is wrong.
func Build(d *engine.Document, req Request, logHead string, now time.Time) (Report, error) {
	text := func(n int) (*engine.Revision, error) {
		if n == Live {
			return nil, nil
		}
		return d.Revision(n)
	}
	rev, err := text(req.Revision)
	if err != nil {
		return nil, err
	}
	meta := LiveMeta(d, now, logHead)
	if rev != nil {
		meta = RevisionMeta(d, rev, logHead)
	}
	lang := req.Language
	if lang == d.WorkingLanguage() {
		lang = ""
	}
	if lang != "" && lang != "all" && !engine.IsUNLanguage(lang) {
		return nil, engine.Errorf(engine.EINVALID, "language %q is not one of the six official languages (%s) nor \"all\"", lang, strings.Join(engine.UNLanguages, ", "))
	}
	if lang == "all" && (req.Report != "" && req.Report != "clean") {
		return nil, engine.Errorf(engine.EINVALID, "language \"all\" is for the clean text; the %s report is built in one language at a time", req.Report)
	}
	if lang != "" && lang != "all" && req.Report == "status" {
		return nil, engine.Errorf(engine.EINVALID, "the status report is about the negotiation, in the working language; for the language versions ask for the translations report")
	}
	switch req.Report {
	case "", "clean":
		if lang == "all" {
			return BuildLanguageSet(d, rev, meta)
		}
		o, err := languageOutline(d, rev, lang)
		if err != nil {
			return nil, err
		}
		if lang != "" {
			meta = inLanguage(meta, o)
		}
		return Clean(o, meta, CleanOptions{Final: req.Final, Doc: d, Lines: req.Lines})
	case "parallel":
		left, right := nonEmpty(req.Beside, d.WorkingLanguage()), nonEmpty(lang, d.WorkingLanguage())
		if req.Beside != "" && !engine.IsUNLanguage(req.Beside) {
			return nil, engine.Errorf(engine.EINVALID, "beside %q is not one of the six official languages (%s)", req.Beside, strings.Join(engine.UNLanguages, ", "))
		}
		return BuildParallel(d, rev, left, right, meta)
	case "translations":
		if rev != nil {
			return nil, engine.Errorf(engine.EINVALID, "revision: the translation status is of the live text; an issued revision keeps its language versions as they stood (ask for its clean text in a language)")
		}
		return BuildTranslationReport(d, meta), nil
	case "compare":
		if req.Against == req.Revision {
			return nil, engine.Errorf(engine.EINVALID, "against: a compare needs two different texts")
		}
		old, err := text(req.Against)
		if err != nil {
			return nil, err
		}
		if old == nil {
			return nil, engine.Errorf(engine.EINVALID, "against: the earlier text must be an issued revision")
		}
		if rev != nil && rev.Number < old.Number {
			return nil, engine.Errorf(engine.EINVALID, "against: revision %d is later than revision %d; compare the earlier with the later", old.Number, rev.Number)
		}
		if lang != "" {
			return compareIn(d, old, rev, lang, meta, req.Style)
		}
		return CompareRevisions(d, old, rev, meta, CompareOptions{Style: req.Style, Lines: req.Lines}), nil
	case "compilation":
		c := BuildCompilation(d, meta)
		if lang != "" {
			var err error
			if c, err = BuildCompilationIn(d, meta, lang); err != nil {
				return nil, err
			}
		}
		c.Lines = req.Lines
		return c, nil
	case "status":
		return BuildStatus(d, meta, StatusOptions{}), nil
	}
	return nil, engine.Errorf(engine.EINVALID, "report %q is not one of clean, compare, compilation, status, parallel, translations", req.Report)
}

// compareIn compares two texts of d in a language version: the earlier
// revision's version as issued with the later one's (new nil: the live
// version). Changes are not attributed to amendments, which were made in
// the working language; the compare goes by word, or by character in
// Chinese, as every compare does.
func compareIn(d *engine.Document, old, new *engine.Revision, lang string, meta Meta, style Style) (*Compare, error) {
	oo, err := old.LanguageOutline(lang)
	if err != nil {
		return nil, err
	}
	no, err := languageOutline(d, new, lang)
	if err != nil {
		return nil, err
	}
	if meta.Against == nil {
		s := RevisionSource(old)
		meta.Against = &s
	}
	c := CompareOutlines(oo, no, inLanguage(meta, no), CompareOptions{Style: style, DefaultAuthor: "Secretariat"})
	for i := range c.Rows {
		r := &c.Rows[i]
		if n := translationNote(r.Translation); n != "" && r.Change != Deleted && r.Change != MovedAway {
			r.Note = strings.TrimPrefix(r.Note+"; "+n, "; ")
		}
	}
	return c, nil
}

// ContentType is the media type of a format, and FileExtension its usual
// file name extension.
func ContentType(f Format) string {
	switch f {
	case Markdown:
		return "text/markdown; charset=utf-8"
	case HTML:
		return "text/html; charset=utf-8"
	case DOCX:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case AkomaNtoso:
		return "application/akn+xml"
	}
	return "application/json"
}

// FileExtension is the file name extension of a format, without the dot.
func FileExtension(f Format) string {
	switch f {
	case Markdown:
		return "md"
	case HTML:
		return "html"
	case DOCX:
		return "docx"
	case AkomaNtoso:
		return "akn.xml"
	}
	return "json"
}
