// Package server runs draftroom's live rooms: an authenticated JSON API and
// a websocket protocol over the engine and an event log. Every command is
// authorised, decided by the engine, stored durably in the log and only
// then applied and published to the room.
package server

import (
	"encoding/json"
	"log/slog"
	"net/http"

	"github.com/draftroom/draftroom/engine"
)

// statusOf maps engine error codes to HTTP statuses: one table, used by
// every handler.
var statusOf = map[string]int{
	engine.EINVALID:      http.StatusBadRequest,
	engine.ENOTFOUND:     http.StatusNotFound,
	engine.ECONFLICT:     http.StatusConflict,
	engine.EFORBIDDEN:    http.StatusForbidden,
	engine.EUNAUTHORIZED: http.StatusUnauthorized,
	engine.EINTERNAL:     http.StatusInternalServerError,
	ERATELIMITED:         http.StatusTooManyRequests,
}

// ErrorBody is the one JSON shape of every error the API returns.
type ErrorBody struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Key     string            `json:"key,omitempty"`
		Params  map[string]string `json:"params,omitempty"`
	} `json:"error"`
}

// writeError answers with err's code and user-facing message. Internal
// errors (a full disk, a locked database…) are logged with their detail,
// which names server files, and shown to users only as a plain sentence.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := engine.ErrorCode(err)
	if code == engine.EINTERNAL {
		slog.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
		err = errInternal()
	}
	var body ErrorBody
	body.Error.Code, body.Error.Message = code, engine.ErrorMessage(err)
	body.Error.Key, body.Error.Params = engine.ErrorKey(err)
	setRetryAfter(w, err)
	writeJSON(w, statusOf[code], body)
}

// errInternal is what a person is shown of an internal error (a full
// disk, a locked database…), whose detail names server files and goes to
// the log only.
func errInternal() error {
	return engine.Errorf(engine.EINTERNAL, "the server could not do this; nothing was changed. Try again, and tell the secretariat if it persists")
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
