package engine

import (
	"os/exec"
	"strings"
	"testing"
)

// TestEngineDoesNoIO asserts that the engine, and every non-standard
// package it depends on, imports nothing that does I/O: no files, network,
// database, processes or clock-free system calls. Storage, transport and
// rendering depend on the engine, never the other way round.
func TestEngineDoesNoIO(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}:{{join .Imports \" \"}}{{end}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	forbidden := map[string]bool{"os": true, "os/exec": true, "os/signal": true, "net": true, "net/http": true, "database/sql": true,
		"syscall": true, "io/ioutil": true, "io/fs": true, "path/filepath": true, "embed": true, "plugin": true, "log": true, "log/slog": true,
		"math/rand": true, "math/rand/v2": true, "crypto/rand": true, "unsafe": true}
	allowed := map[string]bool{"github.com/draftroom/draftroom/engine": true, "github.com/sergi/go-diff/diffmatchpatch": true}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) < 2 {
		t.Fatalf("go list printed %q; expected the engine and go-diff", out)
	}
	for _, line := range lines {
		pkg, imports, _ := strings.Cut(line, ":")
		if !allowed[pkg] {
			t.Errorf("engine depends on %s; only go-diff is allowed outside the standard library", pkg)
		}
		for _, imp := range strings.Fields(imports) {
			if forbidden[imp] {
				t.Errorf("%s imports %s: the engine must do no I/O and draw no randomness", pkg, imp)
			}
		}
	}
}
