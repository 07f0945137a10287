package export

import (
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
	switch req.Report {
	case "", "clean":
		o := d.Outline()
		if rev != nil {
			o = rev.Outline
		}
		return Clean(o, meta, CleanOptions{Final: req.Final, Doc: d})
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
		return CompareRevisions(d, old, rev, meta, CompareOptions{Style: req.Style}), nil
	case "compilation":
		return BuildCompilation(d, meta), nil
	case "status":
		return BuildStatus(d, meta, StatusOptions{}), nil
	}
	return nil, engine.Errorf(engine.EINVALID, "report %q is not one of clean, compare, compilation, status", req.Report)
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
