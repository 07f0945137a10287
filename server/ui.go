package server

import (
	"embed"
	"io/fs"
	"net/http"
)

// uiFiles is the browser UI, served by the binary: no Node at run time.
//
//go:embed ui
var uiFiles embed.FS

// ui serves the embedded browser UI with headers that keep it safe: a
// strict Content-Security-Policy (no inline scripts, no other origins) so
// that text pasted by a participant can never run as code.
func (s *Server) ui() http.Handler {
	sub, err := fs.Sub(uiFiles, "ui")
	if err != nil {
		panic(err)
	}
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		files.ServeHTTP(w, r)
	})
}
