package export

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/draftroom/draftroom/engine"
)

// CleanOptions tunes a clean text.
type CleanOptions struct {
	// Final builds a final text: it is refused while anything remains open
	// (see Clean).
	Final bool
	// Doc, when set, is the document the outline comes from. It tells who
	// asked for each bracket (for paragraphs whose text is still the one in
	// Doc) and, for a final text, which amendments are pending.
	Doc *engine.Document
	// Lines numbers the lines of every paragraph (HTML): fixed lines of
	// engine.LineWidth characters, as the room and the projector show.
	Lines bool
}

// CleanText is the clean text of a revision or of the live state: its
// sections and paragraphs with the numbers the outline gives them,
// unagreed text in brackets, struck-through paragraphs still shown.
type CleanText struct {
	Meta  Meta  `json:"meta"`
	Final bool  `json:"final,omitempty"`
	Rows  []Row `json:"rows"`
	// Lines numbers the paragraphs' lines in HTML (CleanOptions.Lines).
	Lines bool `json:"-"`
}

// Kind implements Report.
func (*CleanText) Kind() string { return "clean" }

// Metadata implements Report.
func (c *CleanText) Metadata() Meta { return c.Meta }

// JSON implements Report.
func (c *CleanText) JSON() ([]byte, error) {
	return marshalReport("clean", struct {
		Report string `json:"report"`
		*CleanText
	}{"clean", c})
}

// Clean builds the clean text of an outline (Revision.Outline for an
// issued text, Document.Outline for the live state). A final text
// (opts.Final) is refused with an ECONFLICT error listing everything that
// keeps it from being final: with opts.Doc, Doc.FinalBlockers (brackets,
// unbalanced brackets, struck-through paragraphs, pending amendments);
// without, the brackets and struck-through paragraphs of the outline.
func Clean(o engine.Outline, meta Meta, opts CleanOptions) (*CleanText, error) {
	if meta.Title == "" {
		meta.Title = o.Title
	}
	if meta.Symbol == "" {
		meta.Symbol = o.Symbol
	}
	if meta.Language == "" {
		meta.Language = o.Language
	}
	if opts.Final {
		var bs []engine.Blocker
		if opts.Doc != nil {
			bs = opts.Doc.FinalBlockers()
		} else {
			bs = outlineBlockers(o)
		}
		if len(bs) > 0 {
			msgs := make([]string, len(bs))
			for i, b := range bs {
				msgs[i] = b.Message
			}
			return nil, engine.Errorf(engine.ECONFLICT, "the final text of %s cannot be built with %s still open: %s",
				nonEmpty(meta.Symbol, meta.Title), engine.Plural(len(bs), "thing"), strings.Join(msgs, "; "))
		}
	}
	c := &CleanText{Meta: meta, Final: opts.Final, Rows: outlineRows(o), Lines: opts.Lines}
	markFootnotes(c.Rows)
	if opts.Doc != nil {
		for i := range c.Rows {
			r := &c.Rows[i]
			if r.Kind == ParagraphRow {
				r.Brackets = bracketsBy(opts.Doc, engine.ParagraphID(r.ID), r.Text)
			}
		}
	}
	return c, nil
}

// outlineBlockers lists what keeps an outline from being final when no
// document is at hand: brackets and struck-through paragraphs.
func outlineBlockers(o engine.Outline) []engine.Blocker {
	var out []engine.Blocker
	o.Walk(func(_ *engine.OutlineSection, p *engine.OutlineParagraph) {
		name := nonEmpty(p.Number, string(p.ID))
		t := engine.ParseBrackets(p.Text)
		if t.Count > 0 {
			out = append(out, engine.Blocker{Para: p.ID, Number: p.Number, Message: fmt.Sprintf("paragraph %s has %s", name, engine.Plural(t.Count, "bracket"))})
		}
		if len(t.Problems) > 0 {
			out = append(out, engine.Blocker{Para: p.ID, Number: p.Number, Message: fmt.Sprintf("paragraph %s has %s", name, engine.Plural(len(t.Problems), "unbalanced bracket"))})
		}
		if p.Deleted {
			out = append(out, engine.Blocker{Para: p.ID, Number: p.Number, Message: fmt.Sprintf("paragraph %s is struck through; its deletion is not agreed", name)})
		}
	})
	return out
}

// outlineRows flattens an outline into rows in reading order.
func outlineRows(o engine.Outline) []Row {
	var rows []Row
	for _, s := range o.Sections {
		if s.Heading != "" {
			rows = append(rows, Row{Kind: HeadingRow, ID: string(s.ID), EID: s.EID, Level: max(1, s.Level), Text: s.Heading})
		}
		var walk func(ps []engine.OutlineParagraph)
		walk = func(ps []engine.OutlineParagraph) {
			option := ""
			for _, p := range ps {
				r := Row{Kind: ParagraphRow, ID: string(p.ID), EID: p.EID, Level: p.Level, Number: p.Number, Option: p.Option,
					Text: p.Text, Status: p.Status, Deleted: p.Deleted, Translation: p.Translation}
				if p.Option != "" {
					r.Option = localOption(p.Option, o.Language)
				}
				if p.Option != option {
					option = p.Option
					r.OptionStart = option != ""
				}
				rows = append(rows, r)
				walk(p.Children)
			}
		}
		walk(s.Paras)
	}
	return rows
}

// bracketsBy tells who asked for each bracket of a paragraph, when the
// document knows and the text is still the one the document holds.
func bracketsBy(d *engine.Document, id engine.ParagraphID, text string) []BracketBy {
	p := d.Paragraphs[id]
	if p == nil || p.Text != text || len(d.Attrib[id]) == 0 {
		return nil
	}
	var out []BracketBy
	for _, b := range d.Brackets(p).Brackets() {
		if len(b.By) > 0 {
			out = append(out, BracketBy{Index: b.Index, Start: b.Start, End: b.End, By: b.By})
		}
	}
	return out
}

func nonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// marshalReport encodes a report model, indented, with a trailing
// newline.
func marshalReport(kind string, v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode %s report: %w", kind, err)
	}
	return append(b, '\n'), nil
}
