package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// runCLI runs draftroom in-process and returns its exit code and output.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

// TestStoreCommands runs append-burst, verify and backup in-process,
// with good and bad arguments, and checks exit codes and what they print.
func TestStoreCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "s.db")
	code, out, errs := runCLI("append-burst", "--db", db, "--n", "12", "--writers", "3", "--stream", "probe/cli")
	if code != 0 {
		t.Fatalf("append-burst: exit %d, %s", code, errs)
	}
	acks := regexp.MustCompile(`(?m)^ack (\d+) ([0-9a-f]{64})$`).FindAllStringSubmatch(out, -1)
	seen := map[string]bool{}
	for _, a := range acks {
		seen[a[1]] = true
	}
	if len(acks) != 12 || len(seen) != 12 {
		t.Fatalf("append-burst printed %d acks for %d distinct events, want 12 of 12:\n%s", len(acks), len(seen), out)
	}
	garbage := filepath.Join(dir, "garbage.db")
	os.WriteFile(garbage, []byte("not a database at all, not even close"), 0o644)
	for _, tt := range []struct {
		name       string
		args       []string
		wantCode   int
		wantStdout string // a regexp
		wantStderr string // a regexp
	}{
		{"verify", []string{"verify", db}, 0, `^ok: 12 events verified, head 12:[0-9a-f]{64}\n$`, `^$`},
		{"verify without DB", []string{"verify"}, 2, `^$`, `draftroom verify: usage: expected one DB, got 0 arguments`},
		{"verify a missing file", []string{"verify", db + ".none"}, 1, `^$`, `^draftroom verify: \S+s\.db\.none does not exist\n$`},
		{"verify garbage", []string{"verify", garbage}, 1, `^$`, `^draftroom verify: \S+garbage\.db is not a draftroom database: it is not a SQLite file\n$`},
		{"backup", []string{"backup", db, filepath.Join(dir, "b.db")}, 0, `^ok: \S+b\.db written and checked, 12 events verified, head 12:[0-9a-f]{64}\n$`, `^$`},
		{"backup over a file", []string{"backup", db, filepath.Join(dir, "b.db")}, 1, `^$`, `^draftroom backup: \S+b\.db already exists; choose a new file for the backup\n$`},
		{"backup with one argument", []string{"backup", db}, 2, `^$`, `usage: expected DB and OUT, got 1 arguments`},
		{"append-burst without --db", []string{"append-burst", "--n", "3"}, 2, `^$`, `usage: --db is required`},
		{"append-burst with no writers", []string{"append-burst", "--db", db, "--writers", "0"}, 2, `^$`, `usage: --writers must be at least 1`},
		{"append-burst onto garbage", []string{"append-burst", "--db", garbage}, 1, `^$`, `is not a draftroom database: it is not a SQLite file`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(tt.args...)
			if code != tt.wantCode || !regexp.MustCompile(tt.wantStdout).MatchString(out) || !regexp.MustCompile(tt.wantStderr).MatchString(errs) {
				t.Errorf("got exit %d\nstdout %q\nstderr %q\nwant exit %d, stdout matching %s, stderr matching %s", code, out, errs, tt.wantCode, tt.wantStdout, tt.wantStderr)
			}
		})
	}
	// A changed event: verify names it and exits 1.
	raw, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE events SET data = replace(data, '"writer"', '"Writer"') WHERE seq = 5`); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	code, out, errs = runCLI("verify", db)
	wantOut := regexp.MustCompile(`^broken: event 5 \(stream probe/cli\): its content does not match its hash: it was changed after it was written; stored [0-9a-f]{64}, expected [0-9a-f]{64}\n4 events verified before it, head 4:[0-9a-f]{64}\n$`)
	if code != 1 || !wantOut.MatchString(out) || !strings.HasSuffix(errs, fmt.Sprintf("the hash chain of %s is broken at event 5\n", db)) {
		t.Errorf("verify of a changed event: exit %d\nstdout %q\nstderr %q", code, out, errs)
	}
}
