package server

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/draftroom/draftroom/engine"
)

// A viewer is the login of a projector or a public screen: it follows the
// rooms, read-only, and is never told who individual delegates are.
// Everything a viewer receives goes through publicJSON, which removes the
// identity of people wherever a message carries it: every "person" (an
// event's actor, a floor request, a presence entry, with the entry's
// "name") and every "by" that names a person (who submitted an amendment,
// stated a position, took a decision). A bracket's "by", the delegations
// that asked for it, is a list of State codes and stays. Delegations are
// named by their State, as on the room's own screen.

// isViewer reports whether an actor or person is a viewer.
func isViewer(role engine.Role) bool { return role == engine.RoleViewer }

// publicJSON returns a JSON text without the identities of people; a text
// it cannot read comes back as it is.
func publicJSON(data []byte) []byte {
	var v any
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return data
	}
	strip(v)
	out, err := json.Marshal(v)
	if err != nil {
		return data
	}
	return out
}

func strip(v any) {
	switch x := v.(type) {
	case map[string]any:
		if _, ok := x["person"]; ok {
			delete(x, "person")
			delete(x, "name")
		}
		if by, ok := x["by"].(string); ok && by != "" {
			delete(x, "by")
		}
		for _, c := range x {
			strip(c)
		}
	case []any:
		for _, c := range x {
			strip(c)
		}
	}
}

// notViewer refuses a viewer what only participants read: the record and
// the events, which name the people who acted.
func (s *Server) notViewer(h func(http.ResponseWriter, *http.Request, Person)) func(http.ResponseWriter, *http.Request, Person) {
	return func(w http.ResponseWriter, r *http.Request, p Person) {
		if isViewer(p.Role) {
			writeError(w, r, engine.Errorf(engine.EFORBIDDEN, "a viewer shows the live room on a projector or public screen; it does not read the record or the events, which name the people who acted"))
			return
		}
		h(w, r, p)
	}
}
