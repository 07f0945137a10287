package server

import (
	"net/http"
	"sort"
	"strings"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/docx"
)

// DocxChangesRequest is a delegation's Word file whose tracked changes are
// to become amendments of a document.
type DocxChangesRequest struct {
	// Docx is the file, base64 in JSON, at most engine.MaxImportBytes.
	Docx []byte `json:"docx"`
	// Authors maps Word authors (w:author) to the States they speak for,
	// on top of those the document remembers; "" forgets one.
	Authors map[string]engine.StateCode `json:"authors,omitempty"`
	// Propose proposes the amendments (and remembers the mapping); without
	// it the answer only says what the file holds.
	Propose bool `json:"propose,omitempty"`
}

// DocxChangesResponse says what the file's changes come to: every author
// with its State, each proposal (with the amendment it became when
// proposed) and everything that could not be proposed, with the reason.
type DocxChangesResponse struct {
	Authors   []docx.AuthorChanges `json:"authors"`
	Proposals []DocxProposal       `json:"proposals"`
	Unmatched []docx.Unmatched     `json:"unmatched"`
	Seq       uint64               `json:"seq,omitempty"` // the document's sequence after proposing
}

// DocxProposal is one amendment read from the file.
type DocxProposal struct {
	docx.Proposal
	Amendment engine.AmendmentID `json:"amendment,omitempty"` // set once proposed
}

// docxChanges answers POST /api/documents/{id}/docx-changes: it reads the
// tracked changes of a Word file against the document's current text
// (the exporter's replica, so the room is not held up) and, with
// "propose", remembers the author mapping and proposes each amendment in
// the room as the secretariat for the mapped State. Authors with changes
// and no State refuse the proposal (409) naming them.
func (s *Server) docxChanges(w http.ResponseWriter, r *http.Request, p Person) {
	id := engine.DocumentID(r.PathValue("id"))
	rm, err := s.room(id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var req DocxChangesRequest
	if err := decodeJSON(r, maxImportDocx, &req); err != nil {
		writeError(w, r, err)
		return
	}
	if len(req.Docx) == 0 {
		writeError(w, r, engine.Errorf(engine.EINVALID, "docx: send the Word file (base64)"))
		return
	}
	if len(req.Docx) > engine.MaxImportBytes {
		writeError(w, r, engine.Errorf(engine.EINVALID, "docx: the file is %d bytes; the limit is %d", len(req.Docx), engine.MaxImportBytes))
		return
	}
	f, err := docx.Read(req.Docx)
	if err != nil {
		writeError(w, r, engine.Errorf(engine.EINVALID, "docx: %s", engine.Because(err)))
		return
	}
	rep, err := s.exports.current(r.Context(), id)
	if err != nil {
		writeError(w, r, err)
		return
	}
	authors := map[string]engine.StateCode{}
	for a, st := range rep.doc.WordAuthors {
		authors[a] = st
	}
	newMap := map[string]engine.StateCode{}
	for a, st := range req.Authors {
		if authors[a] != st {
			newMap[a] = st
		}
		if st == "" {
			delete(authors, a)
		} else {
			authors[a] = st
		}
	}
	ch := docx.Proposals(rep.doc, f, authors)
	rep.mu.Unlock()
	resp := DocxChangesResponse{Authors: ch.Authors, Unmatched: ch.Unmatched}
	for _, pr := range ch.Proposals {
		resp.Proposals = append(resp.Proposals, DocxProposal{Proposal: pr})
	}
	if resp.Unmatched == nil {
		resp.Unmatched = []docx.Unmatched{}
	}
	if !req.Propose {
		writeJSON(w, http.StatusOK, resp)
		return
	}
	if un := ch.Unmapped(); len(un) > 0 {
		sort.Strings(un)
		writeError(w, r, engine.Errorf(engine.ECONFLICT, "say which State each Word author speaks for before proposing: %q", un))
		return
	}
	actor := p.Actor()
	if len(newMap) > 0 {
		evs, err := rm.Submit(r.Context(), actor, "word-authors.map", engine.MapWordAuthors{Authors: newMap})
		if err != nil {
			writeError(w, r, err)
			return
		}
		resp.Seq = evs[len(evs)-1].StreamSeq
	}
	for i := range resp.Proposals {
		pr := &resp.Proposals[i]
		evs, err := rm.Submit(r.Context(), actor, "amendment.propose", pr.Command)
		if err != nil {
			if r.Context().Err() != nil {
				return
			}
			resp.Unmatched = append(resp.Unmatched, docx.Unmatched{Author: pr.Author, Where: pr.Where, Text: string(pr.Command.Op) + " " + strings.TrimSpace(pr.Command.NewText), Reason: "refused by the room: " + engine.ErrorMessage(err)})
			continue
		}
		for _, e := range evs {
			if ap, ok := e.Data.(*engine.AmendmentProposed); ok {
				pr.Amendment = ap.Amendment.ID
			}
		}
		resp.Seq = evs[len(evs)-1].StreamSeq
	}
	writeJSON(w, http.StatusOK, resp)
}
