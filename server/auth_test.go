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

// TestInterfaceLanguageChoice: the interface language is the person's,
// kept in the directory's log: chosen through POST /api/me/language,
// answered with /api/me on every later login and after a restart; only
// the six languages are taken, and a viewer (a projector) keeps its
// language in its browser.
func TestInterfaceLanguageChoice(t *testing.T) {
	ts := startServer(t, Config{})
	fra := ts.person(Person{ID: "fra-1", Name: "Delegate of France", Role: engine.RoleDelegate, State: "FRA"})
	screen := ts.person(Person{ID: "hall-1", Name: "Hall 1", Role: engine.RoleViewer})
	var me Me
	if ts.call(fra, "GET", "/api/me", nil, &me); me.UILanguage != "" {
		t.Errorf("before any choice: %q", me.UILanguage)
	}
	if st := ts.call(fra, "POST", "/api/me/language", LanguageChoice{Language: "fr"}, &me); st != 200 || me.UILanguage != "fr" || me.ID != "fra-1" {
		t.Fatalf("choosing French: %d %+v", st, me)
	}
	for _, c := range []struct {
		token, lang string
		status      int
		want        string
	}{
		{fra, "de", 400, `language "de" is not one of the six official languages (ar, zh, en, fr, ru, es)`},
		{fra, "", 400, "language is required"},
		{fra, "fr-CA", 400, `language "fr-CA" is not one of the six`},
		{screen, "ar", 403, "a viewer (projector or public screen) keeps its interface language in the browser"},
	} {
		var e apiError
		if st := ts.call(c.token, "POST", "/api/me/language", LanguageChoice{Language: c.lang}, &e); st != c.status || !strings.Contains(e.Error.Message, c.want) {
			t.Errorf("%q: %d %q, want %d %q", c.lang, st, e.Error.Message, c.status, c.want)
		}
	}
	// A second login (another browser) gets the choice.
	code, err := ts.srv.dir.IssueLogin(context.Background(), engine.Actor{Person: "t", Role: engine.RoleSystem}, "fra-1")
	if err != nil {
		t.Fatal(err)
	}
	var login struct {
		Token  string `json:"token"`
		Person Person `json:"person"`
	}
	if st := ts.call("", "POST", "/api/login", map[string]string{"code": code}, &login); st != 200 || login.Person.UILanguage != "fr" {
		t.Errorf("second login: %d %+v", st, login.Person)
	}
	var again Me
	if ts.call(login.Token, "GET", "/api/me", nil, &again); again.UILanguage != "fr" {
		t.Errorf("/api/me on the second login: %q", again.UILanguage)
	}
	// The choice is in the log: a server started again on it knows it.
	ts.stop()
	srv, err := New(context.Background(), Config{Log: ts.log})
	if err != nil {
		t.Fatal(err)
	}
	if p, ok := srv.dir.Person("fra-1"); !ok || p.UILanguage != "fr" {
		t.Errorf("after a restart: %+v", p)
	}
}
