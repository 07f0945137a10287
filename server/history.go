package server

import (
	"net/http"
	"time"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/export"
)

// ParagraphHistory is every version of a paragraph's text, oldest first,
// each with who made it and the decision behind it.
type ParagraphHistory struct {
	Para     engine.ParagraphID `json:"para"`
	Number   string             `json:"number"`
	Versions []VersionView      `json:"versions"`
	// Earlier counts the older versions not given (only the latest 100
	// are).
	Earlier int `json:"earlier,omitempty"`
}

// VersionView is one version of a paragraph's text: the text, and the
// change that made it from the version before (none for the first
// version known): when, by whom (with their name), which event, the
// amendment accepted or the amendments merged, and the word diff against
// the version before as redline runs.
type VersionView struct {
	Version   int                  `json:"version"`
	Text      string               `json:"text"`
	At        *time.Time           `json:"at,omitempty"`
	By        *Who                 `json:"by,omitempty"`
	Event     string               `json:"event,omitempty"`
	Amendment *engine.Amendment    `json:"amendment,omitempty"`
	Merges    []engine.AmendmentID `json:"merges,omitempty"`
	Runs      []export.Run         `json:"runs,omitempty"`
}

// historyShown is how many of the latest versions of a paragraph the
// history gives; a pen-holder typing makes a version per keystroke.
const historyShown = 100

// paragraphHistory answers GET /api/documents/{id}/paragraphs/{para}/history.
// The texts are read back inside the room in one pass from the current
// text; the word diffs are computed outside it.
func (s *Server) paragraphHistory(w http.ResponseWriter, r *http.Request, p Person) {
	rm, err := s.room(engine.DocumentID(r.PathValue("id")))
	if err != nil {
		writeError(w, r, err)
		return
	}
	var out ParagraphHistory
	var changes []engine.TextChange
	var rerr error
	amendments := map[engine.AmendmentID]engine.Amendment{}
	if err := rm.Read(r.Context(), func(d *engine.Document, _ uint64, _ string) {
		para, err := d.Paragraph(engine.ParagraphID(r.PathValue("para")))
		if err != nil {
			rerr = err
			return
		}
		out = ParagraphHistory{Para: para.ID, Number: d.Number(para)}
		hs := para.History
		if len(hs) > historyShown {
			out.Earlier = len(hs) - historyShown
			hs = hs[len(hs)-historyShown:]
		}
		changes = append([]engine.TextChange(nil), hs...)
		// Undo the changes from the last: text of every version shown.
		rs := []rune(para.Text)
		texts := []string{para.Text}
		for i := len(hs) - 1; i >= 0; i-- {
			h := hs[i]
			n := len([]rune(h.Inserted))
			if h.Start < 0 || h.Start+n > len(rs) {
				break
			}
			rs = append(append(append([]rune(nil), rs[:h.Start]...), []rune(h.Deleted)...), rs[h.Start+n:]...)
			texts = append(texts, string(rs))
		}
		for i := len(texts) - 1; i >= 0; i-- {
			out.Versions = append(out.Versions, VersionView{Version: para.Version - i, Text: texts[i]})
		}
		for _, h := range hs {
			if a, ok := d.Amendments[h.Amendment]; ok {
				amendments[a.ID] = *a
			}
		}
	}); err != nil {
		writeError(w, r, err)
		return
	}
	if rerr != nil {
		writeError(w, r, rerr)
		return
	}
	byVersion := map[int]engine.TextChange{}
	for _, h := range changes {
		byVersion[h.Version] = h
	}
	for i := range out.Versions {
		vv := &out.Versions[i]
		h, ok := byVersion[vv.Version]
		if !ok || i == 0 {
			continue
		}
		at := h.At
		vv.At, vv.Event, vv.Merges = &at, h.Event, h.Merges
		vv.By = &Who{Person: h.By.Person, Name: s.dir.name(h.By.Person), Role: h.By.Role, State: h.By.State}
		if a, ok := amendments[h.Amendment]; ok {
			vv.Amendment = &a
		}
		vv.Runs = export.ChangeRuns(out.Versions[i-1].Text, vv.Text)
	}
	writeJSON(w, http.StatusOK, out)
}
