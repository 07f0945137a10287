package export_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine/export"
)

// aknSchema is the OASIS Akoma Ntoso 3.0 schema shared with the project.
const aknSchema = "../../../shared/akn/akomantoso30.xsd"

// xmllint returns the path of xmllint and the schema, or skips (fails on
// CI) when either is missing.
func xmllint(t *testing.T) (string, string) {
	t.Helper()
	path, err := exec.LookPath("xmllint")
	schema, _ := filepath.Abs(aknSchema)
	_, serr := os.Stat(schema)
	if err != nil || serr != nil {
		msg := "xmllint (apt-get install libxml2-utils) or the Akoma Ntoso schema " + schema + " is missing"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return path, schema
}

// TestAKNValidates validates every Akoma Ntoso output against the OASIS
// schema with xmllint.
func TestAKNValidates(t *testing.T) {
	lint, schema := xmllint(t)
	dir := t.TempDir()
	docs := map[string]export.Report{}
	for name, r := range reports(t) {
		if r.Kind() == "clean" || r.Kind() == "compare" {
			docs[name] = r
		}
	}
	ar := arabicRoom(t)
	c, err := export.Clean(ar.doc.Outline(), export.LiveMeta(ar.doc, day(3, 1, 12), ar.head), export.CleanOptions{Doc: ar.doc})
	if err != nil {
		t.Fatal(err)
	}
	docs["multilingual/clean-ar"] = c
	var files []string
	for name, r := range docs {
		b, err := r.AKN()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		f := filepath.Join(dir, strings.ReplaceAll(name, "/", "_")+".xml")
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	out, err := exec.Command(lint, append([]string{"--noout", "--schema", schema}, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}
	if n := strings.Count(string(out), " validates"); n != len(files) {
		t.Errorf("xmllint validated %d of %d files:\n%s", n, len(files), out)
	}
}
