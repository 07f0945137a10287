package server

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine"
)

// TestLoginAttacks: a one-time code works once; a used, an expired and an
// unknown code get the same answer; past ten wrong codes a minute from an
// address, wrong codes are answered 429 with Retry-After, but a right
// code is still taken; a forged token opens nothing.
func TestLoginAttacks(t *testing.T) {
	ts := startServer(t, Config{})
	sys := engine.Actor{Person: "t", Role: engine.RoleSystem}
	if _, err := ts.srv.dir.AddPerson(context.Background(), sys, Person{ID: "fra-1", Name: "France", Role: engine.RoleDelegate, State: "FRA"}); err != nil {
		t.Fatal(err)
	}
	code, _ := ts.srv.dir.IssueLogin(context.Background(), sys, "fra-1")
	login := func(code string, hdr map[string]string) (int, string, apiError) {
		t.Helper()
		b, _ := json.Marshal(map[string]string{"code": code})
		st, h, body := ts.rawCall("", "POST", "/api/login", string(b), hdr)
		var e apiError
		_ = json.Unmarshal([]byte(body), &e)
		return st, h.Get("Retry-After"), e
	}
	if st, _, _ := login(strings.ToLower(code), nil); st != 200 {
		t.Fatalf("first use of the code (typed in lower case): %d", st)
	}
	const oneMessage = "this login code is not valid: it is unknown, already used or expired; check it or ask the secretariat for a new one"
	if st, _, e := login(code, nil); st != 401 || e.Error.Message != oneMessage {
		t.Fatalf("replayed code: %d %q", st, e.Error.Message)
	}
	if st, _, e := login("AAAA-BBBB-CCCC", nil); st != 401 || e.Error.Message != oneMessage {
		t.Fatalf("unknown code: %d %q, want the same answer as a used one", st, e.Error.Message)
	}
	// Eight more wrong codes reach the limit of ten a minute; an
	// X-Forwarded-For header from a client that is not a trusted proxy
	// changes nothing.
	for range 8 {
		login("AAAA-BBBB-CCCC", map[string]string{"X-Forwarded-For": "203.0.113.9"})
	}
	st, retry, e := login("AAAA-BBBB-DDDD", map[string]string{"X-Forwarded-For": "203.0.113.10"})
	if st != 429 || e.Error.Code != ERATELIMITED || retry == "" || !strings.Contains(e.Error.Message, "too many wrong login codes") {
		t.Fatalf("eleventh wrong code: %d Retry-After %q %+v, want 429", st, retry, e)
	}
	fresh, _ := ts.srv.dir.IssueLogin(context.Background(), sys, "fra-1")
	if st, _, e := login(fresh, nil); st != 200 {
		t.Fatalf("a right code after the wrong ones got %d %q; a valid code is never refused for wrong ones' sake", st, e.Error.Message)
	}
	var out apiError
	if st := ts.call("forged-"+strings.Repeat("x", 40), "GET", "/api/me", nil, &out); st != 401 {
		t.Fatalf("forged token: %d", st)
	}
}

// TestLoginBehindProxy: behind a trusted reverse proxy every client
// arrives from the proxy's address; the limit counts the address the
// proxy names in X-Forwarded-For, so one guesser does not lock the others
// out, and a client cannot pick its address by adding its own header.
func TestLoginBehindProxy(t *testing.T) {
	ts := startServer(t, Config{TrustedProxies: []string{"127.0.0.0/8"}})
	login := func(code, xff string) int {
		b, _ := json.Marshal(map[string]string{"code": code})
		st, _, _ := ts.rawCall("", "POST", "/api/login", string(b), map[string]string{"X-Forwarded-For": xff})
		return st
	}
	// Every guess is a different code, so that only the address counts.
	guess := func(i int) string { return fmt.Sprintf("AAAA-BBBB-%04d", i) }
	for i := range 10 {
		login(guess(i), "198.51.100.7")
	}
	if st := login(guess(10), "198.51.100.7"); st != 429 {
		t.Fatalf("guesser's eleventh wrong code: %d, want 429", st)
	}
	// The guesser adds a header of its own: the proxy appends the real
	// address, which is the one counted.
	if st := login(guess(11), "192.0.2.1, 198.51.100.7"); st != 429 {
		t.Fatalf("guesser with a forged X-Forwarded-For: %d, want 429", st)
	}
	if st := login(guess(12), "198.51.100.8"); st != 401 {
		t.Fatalf("another client behind the same proxy: %d, want 401 (its own count)", st)
	}
}
