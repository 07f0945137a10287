package server

import (
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"

	"github.com/draftroom/draftroom/engine"
)

// guard checks every request before it reaches an endpoint: the Host
// header (DNS rebinding), and for state-changing requests from a browser
// the content type and the origin (cross-site request forgery).
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hostAllowed(r.Host) {
			writeError(w, r, engine.Errorf(engine.EFORBIDDEN, "this server does not answer to the host %q; use its own address (draftroom serve -public-url or -host)", r.Host))
			return
		}
		if err := s.checkForgery(r); err != nil {
			writeError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// hostAllowed reports whether the server answers to a Host header: an IP
// address, localhost, the host of the public URL or one given with
// -host. A page of another site whose name was made to resolve to this
// server (DNS rebinding) sends its own name and is refused; IP addresses
// cannot be rebound.
func (s *Server) hostAllowed(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if _, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return true
	}
	return host == "localhost" || slices.Contains(s.hosts, host)
}

// stateChanging reports whether a method changes something.
func stateChanging(method string) bool {
	return method != http.MethodGet && method != http.MethodHead && method != http.MethodOptions
}

// checkForgery refuses a state-changing request that a page of another
// site could have made the browser send with the session cookie: its
// body must be declared JSON (which a plain HTML form cannot do), and
// its Origin (or, without one, its Sec-Fetch-Site) must be this server's
// own origin or one given with -origin. SameSite=Strict cookies alone do
// not suffice: a sibling subdomain or another port of the same host is
// the "same site". Programs that authenticate with a bearer token and
// send no cookie cannot be forged this way and are not checked.
func (s *Server) checkForgery(r *http.Request) error {
	if !stateChanging(r.Method) {
		return nil
	}
	if _, err := r.Cookie(sessionCookie); err != nil && r.Header.Get("Authorization") != "" {
		return nil
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return engine.Errorf(engine.EINVALID, "a %s request must be sent with Content-Type: application/json, not %q", r.Method, r.Header.Get("Content-Type"))
	}
	if origin := r.Header.Get("Origin"); origin != "" {
		if !s.originAllowed(r, origin) {
			return engine.Errorf(engine.EFORBIDDEN, "origin %q may not send requests to this server", origin)
		}
		return nil
	}
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "", "same-origin", "none":
		return nil
	default:
		return engine.Errorf(engine.EFORBIDDEN, "a %s request from a %s page is refused; use the server's own pages", r.Method, site)
	}
}

// originAllowed reports whether an Origin header names this server (its
// Host, or its public URL), one of the origins given with -origin, or,
// on a node of several, another live node (its -node-url).
// "null" (a sandboxed frame, a file, a redirect across sites) never does.
func (s *Server) originAllowed(r *http.Request, origin string) bool {
	origin = strings.TrimRight(origin, "/")
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) || (s.public != nil && strings.EqualFold(origin, s.public.Scheme+"://"+s.public.Host)) {
		return true
	}
	if slices.Contains(s.origins, origin) {
		return true
	}
	// On a node of several, the pages of the other nodes: a browser
	// whose node went away reconnects here (ServerMessage.Nodes).
	for _, n := range s.liveNodes() {
		if strings.EqualFold(strings.TrimRight(n, "/"), origin) {
			return true
		}
	}
	return false
}

// clientAddr is the address of the client of a request: the remote
// address, or, when that is a trusted reverse proxy, the address it
// names in X-Forwarded-For (the last one not itself a trusted proxy, so
// that a client cannot choose its address by sending the header itself).
func (s *Server) clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.trusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if hop == "" {
			continue
		}
		if !s.trusted(hop) {
			return hop
		}
		host = hop
	}
	return host
}

// trusted reports whether an address is one of the trusted proxies.
func (s *Server) trusted(addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range s.proxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// parseProxies reads trusted proxy addresses: IP addresses or CIDR
// prefixes.
func parseProxies(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, v := range list {
		v = strings.TrimSpace(v)
		if p, err := netip.ParsePrefix(v); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(v)
		if err != nil {
			return nil, engine.Errorf(engine.EINVALID, "trusted proxy %q is not an IP address or a CIDR prefix such as 10.0.0.0/8", v)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// secure reports whether cookies must be Secure: the request came over
// TLS, or the public URL is https (TLS ends at a reverse proxy).
func (s *Server) secure(r *http.Request) bool {
	return r.TLS != nil || (s.public != nil && s.public.Scheme == "https")
}
