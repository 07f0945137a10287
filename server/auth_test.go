package server

import (
	"context"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine"
)

// TestLoginAttacks: a one-time code works once; guessing codes is cut off
// after ten failures a minute from one address, even for a right code;
// a forged token opens nothing.
func TestLoginAttacks(t *testing.T) {
	ts := startServer(t, Config{})
	sys := engine.Actor{Person: "t", Role: engine.RoleSystem}
	if _, err := ts.srv.dir.AddPerson(context.Background(), sys, Person{ID: "fra-1", Name: "France", Role: engine.RoleDelegate, State: "FRA"}); err != nil {
		t.Fatal(err)
	}
	code, _ := ts.srv.dir.IssueLogin(context.Background(), sys, "fra-1")
	var e apiError
	if st := ts.call("", "POST", "/api/login", map[string]string{"code": strings.ToLower(code)}, nil); st != 200 {
		t.Fatalf("first use of the code (typed in lower case): %d", st)
	}
	if st := ts.call("", "POST", "/api/login", map[string]string{"code": code}, &e); st != 401 || !strings.Contains(e.Error.Message, "already used") {
		t.Fatalf("replayed code: %d %q", st, e.Error.Message)
	}
	// Nine more failures reach the limit of ten a minute.
	for i := 0; i < 9; i++ {
		ts.call("", "POST", "/api/login", map[string]string{"code": "AAAA-BBBB-CCCC"}, nil)
	}
	fresh, _ := ts.srv.dir.IssueLogin(context.Background(), sys, "fra-1")
	if st := ts.call("", "POST", "/api/login", map[string]string{"code": fresh}, &e); st != 401 || !strings.Contains(e.Error.Message, "too many failed login attempts") {
		t.Fatalf("after ten failures a right code got %d %q, want refused for the minute", st, e.Error.Message)
	}
	if st := ts.call("forged-"+strings.Repeat("x", 40), "GET", "/api/me", nil, &e); st != 401 {
		t.Fatalf("forged token: %d", st)
	}
}
