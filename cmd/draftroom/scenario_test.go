package main

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/draftroom/draftroom/cmd/draftroom/scenario"
	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/server"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden exports of the seed processes in testdata/golden")

// aknSchema is the OASIS Akoma Ntoso 3.0 schema shared with the project.
const aknSchema = "../../../shared/akn/akomantoso30.xsd"

// TestSeedProcesses plays both seed processes end to end against the real
// binary ("draftroom serve" on a new SQLite file, on 127.0.0.1), through
// its API, each person with their own login. It then checks the final
// state through the API (every paragraph's status, the positions on
// record, the amendments' outcomes), compares the exported texts with the
// golden files, validates the Akoma Ntoso exports against the schema and
// has "draftroom verify" walk the log.
func TestSeedProcesses(t *testing.T) {
	bin := buildBinary(t)
	for _, name := range scenario.Names() {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			db := filepath.Join(dir, "seed.db")
			base, code, stop := serveBinary(t, bin, db)
			exports := filepath.Join(dir, "exports")
			res, err := scenario.Play(context.Background(), base, code, name, scenario.Options{Exports: exports})
			if err != nil {
				t.Fatal(err)
			}
			switch name {
			case "permanent-mechanism":
				checkPermanentMechanism(t, res)
			case "oewg-2021-2025":
				checkOEWG(t, res)
			}
			checkExports(t, name, exports, res.Files)
			stop()
			out, err := exec.Command(bin, "verify", db).CombinedOutput()
			if err != nil || !strings.HasPrefix(string(out), "ok: ") {
				t.Fatalf("draftroom verify: %v\n%s", err, out)
			}
			t.Logf("%d steps; %s", res.Steps, strings.TrimSpace(string(out)))
		})
	}
}

// serveBinary starts "draftroom serve" on db and returns its address, the
// first secretariat login and a function that stops it.
func serveBinary(t *testing.T, bin, db string) (base, code string, stop func()) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--db", db, "--addr", "127.0.0.1:0")
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			cmd.Process.Signal(os.Interrupt)
			cmd.Wait()
		}
	}
	t.Cleanup(stop)
	sc := bufio.NewScanner(stdout)
	timer := time.AfterFunc(20*time.Second, func() { cmd.Process.Kill() })
	for sc.Scan() && code == "" {
		if m := reServing.FindStringSubmatch(sc.Text()); m != nil {
			base = m[1]
		}
		if m := regexp.MustCompile(`/login\?code=(\S+)`).FindStringSubmatch(sc.Text()); m != nil {
			code = m[1]
		}
	}
	timer.Stop()
	go io.Copy(io.Discard, stdout)
	if base == "" || code == "" {
		t.Fatal("serve printed no address or first-start login")
	}
	return base, code, stop
}

func wantStatuses(t *testing.T, doc engine.DocumentID, v *server.View, want engine.ParagraphStatus, n int) {
	t.Helper()
	got := 0
	for _, p := range v.Paragraphs {
		if p.Number == "" || p.Deleted {
			continue
		}
		got++
		if p.Status != want {
			t.Errorf("%s paragraph %s is %s, want %s", doc, p.Number, p.Status, want)
		}
	}
	if got != n {
		t.Errorf("%s has %d paragraphs, want %d", doc, got, n)
	}
}

func checkPermanentMechanism(t *testing.T, res *scenario.Result) {
	v := res.Views["gm-elements-2030"]
	if v == nil {
		t.Fatal("no final view of the elements paper")
	}
	wantStatuses(t, "gm-elements-2030", v, engine.StatusAdopted, 13)
	outcomes := map[engine.StateCode]engine.AmendmentStatus{}
	for _, a := range v.Amendments {
		outcomes[a.Proposer] = a.Status
	}
	for s, want := range map[engine.StateCode]engine.AmendmentStatus{
		"USA": engine.Accepted, "G77": engine.Accepted, "EU": engine.Accepted, "IND": engine.Accepted, "JPN": engine.Accepted,
		"CHN": engine.InBrackets, "RUS": engine.InBrackets, "MEX": engine.Withdrawn, "KEN": engine.Rejected,
		"EGY": engine.Merged, "AUS": engine.Merged,
	} {
		if outcomes[s] != want {
			t.Errorf("the amendment of %s is %q, want %q", s, outcomes[s], want)
		}
	}
	var g77 *server.AmendmentView
	for i := range v.Amendments {
		if v.Amendments[i].Proposer == "G77" {
			g77 = &v.Amendments[i]
		}
	}
	if g77 == nil || !slices.Contains(g77.CoSponsors, "KEN") || !slices.Contains(g77.CoSponsors, "EGY") {
		t.Errorf("the Group of 77's amendment lacks its co-sponsors: %+v", g77)
	}
	var positions []string
	for _, p := range v.Positions {
		positions = append(positions, string(p.State)+"/"+string(p.Kind))
	}
	for _, want := range []string{"RUS/dissociation", "G77/support", "EU/support"} {
		if !slices.Contains(positions, want) {
			t.Errorf("position %s is not on record: %v", want, positions)
		}
	}
	if len(v.Revisions) != 3 || v.Revisions[1].Symbol != "A/AC.292/2030/CRP.1/Rev.1" || v.Revisions[2].Symbol != "A/AC.292/2030/1" {
		t.Errorf("revisions: %+v", v.Revisions)
	}
	p8 := ""
	for _, p := range v.Paragraphs {
		if p.Number == "8" {
			p8 = p.Text
		}
	}
	if !strings.Contains(p8, "how international humanitarian law applies, where applicable") {
		t.Errorf("paragraph 8 is not the compromise that held: %q", p8)
	}
}

func checkOEWG(t *testing.T, res *scenario.Result) {
	wantStatuses(t, "oewg-apr-2023", res.Views["oewg-apr-2023"], engine.StatusAdopted, 8)
	wantStatuses(t, "oewg-sg-cbms-2023", res.Views["oewg-sg-cbms-2023"], engine.StatusAdopted, 2)
	wantStatuses(t, "oewg-sg-cb-2023", res.Views["oewg-sg-cb-2023"], engine.StatusAdopted, 2)
	var headings []string
	for _, s := range res.Views["oewg-apr-2023"].Sections {
		headings = append(headings, s.Heading)
	}
	if got := strings.Join(headings, " | "); !strings.Contains(got, "D. Confidence-building measures | E. Capacity-building") {
		t.Errorf("the subgroups' texts are not sections of the report: %s", got)
	}
	r24 := res.Views["oewg-apr-2024"]
	if r24 == nil || r24.Room == nil {
		t.Fatal("no view of the 2024 report")
	}
	for _, p := range r24.Paragraphs {
		if p.Status == engine.StatusAgreedAdRef || p.Status == engine.StatusAdopted {
			t.Errorf("2024 report paragraph %s is %s although consensus failed", p.Number, p.Status)
		}
	}
	var positions []string
	for _, p := range r24.Positions {
		positions = append(positions, string(p.State)+"/"+string(p.Kind))
	}
	if !slices.Contains(positions, "USA/oppose") || !slices.Contains(positions, "RUS/support") {
		t.Errorf("positions on the 2024 report: %v", positions)
	}
	if s := res.Views["oewg-summary-2024"]; s == nil || s.Type != engine.ChairsSummary {
		t.Errorf("the Chair's summary: %+v", s)
	}
}

// stamp matches what differs from run to run in an export: dates and
// times, and hashes of the log.
var stamp = regexp.MustCompile(`\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z| UTC)?)?|\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}(?:, \d{2}:\d{2}(?::\d{2})?(?: UTC)?)?|\b[0-9a-f]{64}\b`)

func normalise(b []byte) []byte { return stamp.ReplaceAll(b, []byte("⟨stamp⟩")) }

// checkExports compares the text exports with testdata/golden/NAME/ and
// validates the Akoma Ntoso ones; Word files are checked to be Word files
// holding the report's words.
func checkExports(t *testing.T, name, dir string, files []string) {
	t.Helper()
	golden := filepath.Join("testdata", "golden", name)
	var akn []string
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f, ".docx") {
			zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Errorf("%s is not a Word file: %v", f, err)
				continue
			}
			found := false
			for _, zf := range zr.File {
				if zf.Name == "word/document.xml" {
					rc, _ := zf.Open()
					x, _ := io.ReadAll(rc)
					rc.Close()
					found = bytes.Contains(x, []byte("States"))
				}
			}
			if !found {
				t.Errorf("%s has no document text", f)
			}
			continue
		}
		if strings.HasSuffix(f, ".akn.xml") {
			akn = append(akn, filepath.Join(dir, f))
		}
		got := normalise(b)
		path := filepath.Join(golden, f)
		if *updateGolden {
			if err := os.MkdirAll(golden, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: no golden file (run go test ./cmd/draftroom -run TestSeedProcesses -update): %v", f, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s; the export is in %s (go test -update rewrites the golden files)", f, path, filepath.Join(dir, f))
		}
	}
	if name == "oewg-2021-2025" {
		b, _ := os.ReadFile(filepath.Join(dir, "summary-2024.html"))
		if !bytes.Contains(b, []byte(engine.ChairsSummaryStatement)) {
			t.Error("the Chair's summary does not say it is issued under the chair's own responsibility")
		}
	}
	if len(akn) == 0 {
		t.Fatal("no Akoma Ntoso export to validate")
	}
	lint, err := exec.LookPath("xmllint")
	schema, _ := filepath.Abs(aknSchema)
	if _, serr := os.Stat(schema); err != nil || serr != nil {
		msg := "xmllint (apt-get install libxml2-utils) or the Akoma Ntoso schema " + schema + " is missing"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	out, err := exec.Command(lint, append([]string{"--noout", "--schema", schema}, akn...)...).CombinedOutput()
	if err != nil || strings.Count(string(out), " validates") != len(akn) {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}
}

// TestDemoCommand plays the OEWG through "draftroom demo" itself, and
// checks that an unknown name is refused with the names.
func TestDemoCommand(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	out, err := exec.Command(bin, "demo", "-pace", "0", "-exit", "-addr", "127.0.0.1:0", "-db", filepath.Join(dir, "demo.db"), "-exports", filepath.Join(dir, "out"), "oewg-2021-2025").CombinedOutput()
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	for _, want := range []string{"Watch it: open http://127.0.0.1:", "Chair: issues the Chair's summary", "oewg-2021-2025 played to the end"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "summary-2024.html")); err != nil {
		t.Error(err)
	}
	// Flags after the name, and no -exports: the downloads go next to the
	// database, and the play says where; refusals the script provokes are
	// labelled as expected (issue 17, defect 11).
	db2 := filepath.Join(dir, "second", "demo.db")
	if err := os.MkdirAll(filepath.Dir(db2), 0o755); err != nil {
		t.Fatal(err)
	}
	out, err = exec.Command(bin, "demo", "oewg-2021-2025", "-pace", "0s", "-exit", "-addr", "127.0.0.1:0", "-db", db2).CombinedOutput()
	if err != nil {
		t.Fatalf("demo with the flags after the name: %v\n%s", err, out)
	}
	written := filepath.Join(dir, "second", "oewg-2021-2025-exports")
	for _, want := range []string{"(expected to be refused)", "refused, as the rules require: ", "texts in " + written} {
		if !strings.Contains(string(out), want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	if files, err := os.ReadDir(written); err != nil || len(files) == 0 {
		t.Errorf("the downloads were not written to %s: %v", written, err)
	}
	out, err = exec.Command(bin, "demo", "-exit", "plenary-of-nowhere").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "oewg-2021-2025, permanent-mechanism") {
		t.Errorf("an unknown name: %v\n%s", err, out)
	}
	out, err = exec.Command(bin, "demo", "-exit", "-db", filepath.Join(dir, "demo.db"), "oewg-2021-2025").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "already exists") {
		t.Errorf("an existing database: %v\n%s", err, out)
	}
}
