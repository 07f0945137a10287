package docx_test

import (
	"bytes"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestPackageDoesNoIO asserts that the reader's own code imports nothing
// that reads files, the network or the clock: it reads the bytes it is
// given. (archive/zip itself imports os for zip.OpenReader, which is why
// the reader is not in package engine; it never calls it.)
func TestPackageDoesNoIO(t *testing.T) {
	forbidden := map[string]bool{"os": true, "os/exec": true, "net": true, "net/http": true, "io/ioutil": true, "io/fs": true,
		"path/filepath": true, "database/sql": true, "syscall": true, "embed": true, "log": true, "log/slog": true,
		"math/rand": true, "math/rand/v2": true, "crypto/rand": true, "unsafe": true}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		checked++
		af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if forbidden[p] {
				t.Errorf("%s imports %s: the .docx reader does no I/O", f, p)
			}
		}
		src, _ := os.ReadFile(f)
		for _, call := range []string{"time.Now(", "zip.OpenReader(", "os."} {
			if bytes.Contains(src, []byte(call)) {
				t.Errorf("%s calls %s: the reader works on the bytes it is given", f, call)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no source files checked")
	}
}
