package server

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
)

// rawConn opens a TCP connection to the test server.
func (ts *testServer) rawConn() net.Conn {
	ts.t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(ts.base, "http://"))
	if err != nil {
		ts.t.Fatal(err)
	}
	ts.t.Cleanup(func() { c.Close() })
	return c
}

// closedByServer waits (at most 20 s, a bound that only a server that
// never closes reaches) until the server ends the connection; whatever it
// wrote before is returned.
func closedByServer(t *testing.T, c net.Conn) (string, bool) {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(20 * time.Second))
	b, err := io.ReadAll(c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return string(b), false
	}
	return string(b), true
}

// TestAttackSlowBody: requests whose body comes a byte now and then, with
// no login needed (the attack held 500 such connections open for as long
// as it liked). Each is closed once the read timeout passes.
func TestAttackSlowBody(t *testing.T) {
	ts := startServer(t, Config{Limits: Limits{ReadTimeout: time.Second, HeaderTimeout: time.Second}})
	conns := make([]net.Conn, 20)
	for i := range conns {
		conns[i] = ts.rawConn()
		fmt.Fprintf(conns[i], "POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{\"code\":")
	}
	for i, c := range conns {
		if _, closed := closedByServer(t, c); !closed {
			t.Fatalf("slow body %d: still open after 20 s with a read timeout of 1 s", i)
		}
	}
	// A slow header is cut too.
	c := ts.rawConn()
	fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
	if _, closed := closedByServer(t, c); !closed {
		t.Fatal("slow header: still open after 20 s")
	}
}

// TestAttackConnectionsPerAddress: one address may hold at most
// ConnsPerAddr connections; the next is closed at once, while those open
// are served. A trusted proxy's connections are not counted.
func TestAttackConnectionsPerAddress(t *testing.T) {
	ts := startServer(t, Config{Limits: Limits{ConnsPerAddr: 5}})
	var held []net.Conn
	for range 5 {
		c := ts.rawConn()
		fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("connection %d under the cap: %v %v", len(held)+1, resp, err)
		}
		resp.Body.Close()
		held = append(held, c)
	}
	c := ts.rawConn()
	fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	if got, closed := closedByServer(t, c); !closed || got != "" {
		t.Fatalf("sixth connection: closed %v, answered %q; want closed unanswered", closed, got)
	}
	if n := ts.srv.metrics.connsRefused.Load(); n != 1 {
		t.Errorf("%d connections refused, want 1", n)
	}
	// A place comes back when a connection closes.
	held[0].Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(ts.base + "/healthz")
		if err == nil && resp.StatusCode == 200 {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no place came back after a connection closed: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}

	proxied := startServer(t, Config{Limits: Limits{ConnsPerAddr: 5}, TrustedProxies: []string{"127.0.0.1"}})
	for i := range 8 {
		c := proxied.rawConn()
		fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
		if resp, err := http.ReadResponse(bufio.NewReader(c), nil); err != nil || resp.StatusCode != 200 {
			t.Fatalf("connection %d from a trusted proxy: %v %v", i+1, resp, err)
		}
	}
}

// TestAttackWebsocketsPerSession: the attack opened 3,000 websockets on
// one token. A session may hold SocketsPerSession, a person
// SocketsPerPerson over all their sessions; the next is refused 429 with
// Retry-After before the upgrade, and a place comes back when one closes.
func TestAttackWebsocketsPerSession(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{Limits: Limits{SocketsPerSession: 2, SocketsPerPerson: 3}})
	a1 := ts.dial(tok["fra"], "pr", 0)
	a1.hello()
	ts.dial(tok["fra"], "pr", 0).hello()
	if _, err := ts.tryDial(tok["fra"], "pr", 0, ""); err == nil || !strings.Contains(err.Error(), "status 429") {
		t.Fatalf("third socket on one session: %v, want 429", err)
	}
	other := ts.login("fra-1")
	ts.dial(other, "pr", 0).hello()
	if _, err := ts.tryDial(other, "pr", 0, ""); err == nil || !strings.Contains(err.Error(), "status 429") {
		t.Fatalf("fourth socket of one person: %v, want 429", err)
	}
	st, h, body := ts.rawCall(other, "GET", "/ws/documents/pr", "", map[string]string{"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})
	if st != 429 || h.Get("Retry-After") == "" || !strings.Contains(body, "rooms open over all your devices") {
		t.Fatalf("refused upgrade: %d Retry-After %q %s", st, h.Get("Retry-After"), body)
	}
	// Another person is not affected.
	ts.dial(tok["chn"], "pr", 0).hello()
	a1.conn.Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := ts.tryDial(tok["fra"], "pr", 0, "")
		if err == nil {
			c.hello()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no place came back after a socket closed: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestSecureCookies: the session cookie is Secure when the public URL is
// https (TLS ends at a reverse proxy) and when the server speaks TLS
// itself; not on plain http, where the browser would drop it.
func TestSecureCookies(t *testing.T) {
	loginCookie := func(client *http.Client, base string, ts *testServer) *http.Cookie {
		t.Helper()
		sys := engine.Actor{Person: "t", Role: engine.RoleSystem}
		if _, ok := ts.srv.dir.Person("fra-1"); !ok {
			ts.srv.dir.AddPerson(context.Background(), sys, Person{ID: "fra-1", Name: "France", Role: engine.RoleDelegate, State: "FRA"})
		}
		code, _ := ts.srv.dir.IssueLogin(context.Background(), sys, "fra-1")
		b, _ := json.Marshal(map[string]string{"code": code})
		resp, err := client.Post(base+"/api/login", "application/json", strings.NewReader(string(b)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for _, c := range resp.Cookies() {
			if c.Name == sessionCookie {
				return c
			}
		}
		t.Fatalf("no session cookie (status %d)", resp.StatusCode)
		return nil
	}
	plain := startServer(t, Config{})
	if c := loginCookie(http.DefaultClient, plain.base, plain); c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode {
		t.Errorf("plain http: %+v, want HttpOnly, SameSite=Strict, not Secure", c)
	}
	proxied := startServer(t, Config{PublicURL: "https://room.example.org"})
	if c := loginCookie(http.DefaultClient, proxied.base, proxied); !c.Secure {
		t.Errorf("behind an https proxy: %+v, want Secure", c)
	}
	cert := selfSigned(t)
	direct := startServer(t, Config{TLS: &tls.Config{Certificates: []tls.Certificate{cert}}, Log: openTestLog(t, filepath.Join(t.TempDir(), "tls.db"))})
	pool := x509.NewCertPool()
	pool.AddCert(cert.Leaf)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	if c := loginCookie(client, strings.Replace(direct.base, "http://", "https://", 1), direct); !c.Secure {
		t.Errorf("direct TLS: %+v, want Secure", c)
	}
}

// selfSigned makes a certificate for 127.0.0.1.
func selfSigned(t *testing.T) tls.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
}
