package server

import (
	"embed"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
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
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'"+s.nodeSources()+"; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		files.ServeHTTP(w, r)
	})
}

// nodeSources lists, for the page's connect-src, the websocket origins of
// the other live nodes of a cluster, where the room connection goes when
// this node goes away (ServerMessage.Nodes); "" on a single node.
func (s *Server) nodeSources() string {
	var b strings.Builder
	for _, n := range s.liveNodes() {
		u, err := url.Parse(n)
		if err != nil || u.Host == "" || strings.ContainsAny(u.Host, " ;,'") {
			continue
		}
		ws := "ws"
		if u.Scheme == "https" {
			ws = "wss"
		}
		b.WriteString(" " + ws + "://" + u.Host)
	}
	return b.String()
}
