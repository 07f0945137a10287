package server

import (
	"archive/zip"
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/pdf"
)

// TestExportDownloads issues a zero draft and Rev.1 with an accepted
// amendment between them and downloads the compare and clean text.
func TestExportDownloads(t *testing.T) {
	ts, tok := roomWithPeople(t, Config{})
	steps := []struct {
		who, name string
		cmd       any
	}{
		{"sec", "revision.issue", engine.IssueRevision{Kind: engine.ZeroDraft}},
		{"fra", "amendment.propose", engine.ProposeAmendment{Proposer: "FRA", Op: engine.OpReplace, Para: "p2", Version: 1, Start: 7, End: 15, NewText: "reaffirmed"}},
		{"chair", "amendment.decide", engine.DecideAmendment{Amendment: "a1", Outcome: engine.Accepted}},
		{"sec", "revision.issue", engine.IssueRevision{Kind: engine.Rev}},
	}
	for _, s := range steps {
		if st, e := ts.command(tok[s.who], "pr", s.name, s.cmd); st != 200 {
			t.Fatalf("%s: %d %+v", s.name, st, e)
		}
	}
	get := func(query string) (*http.Response, string) {
		req, _ := http.NewRequest("GET", ts.base+"/api/documents/pr/export?"+query, nil)
		req.Header.Set("Authorization", "Bearer "+tok["chn"])
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	resp, body := get("report=compare&format=docx&rev=1&against=0")
	if resp.StatusCode != 200 || !strings.HasPrefix(body, "PK") || resp.Header.Get("Content-Disposition") != `attachment; filename="A-AC.292-2027-CRP.1-Rev.1-compare.docx"` {
		t.Fatalf("compare docx: %d %q %.20q", resp.StatusCode, resp.Header.Get("Content-Disposition"), body)
	}
	if !strings.Contains(body, "w:author=\"FRA\"") && !strings.Contains(body, "word/document.xml") {
		t.Errorf("docx has no document part")
	}
	// lines=1 numbers the room's fixed lines in Word too (a run of the
	// line number style at each line), and only when asked.
	for _, q := range []string{"report=clean&format=docx", "report=compare&format=docx&rev=1&against=0"} {
		for _, lines := range []bool{false, true} {
			query := q
			if lines {
				query += "&lines=1"
			}
			_, body := get(query)
			zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
			if err != nil {
				t.Fatalf("%s: %v", query, err)
			}
			f, err := zr.Open("word/document.xml")
			if err != nil {
				t.Fatalf("%s: %v", query, err)
			}
			doc, _ := io.ReadAll(f)
			if got := strings.Contains(string(doc), `<w:rStyle w:val="DRLineNumber"/>`); got != lines {
				t.Errorf("%s: line numbers %v, want %v", query, got, lines)
			}
		}
	}
	evs, _ := ts.log.Read(context.Background(), engine.DocumentStream("pr"), 0, 0)
	head := evs[len(evs)-1].Hash
	resp, body = get("report=compare&format=md&rev=1&against=0")
	for _, want := range []string{"A/AC.292/2027/CRP.1/Rev.1", head, "{--recalled--}{>>FRA, amendment a1<<}{++reaffirmed++}"} {
		if !strings.Contains(body, want) {
			t.Errorf("compare markdown lacks %q:\n%s", want, body)
		}
	}
	resp, body = get("report=clean&format=html")
	if resp.StatusCode != 200 || !strings.Contains(body, "States reaffirmed resolution 75/240.") || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("clean html: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	resp, body = get("report=clean&format=rtf")
	if resp.StatusCode != 400 || !strings.Contains(body, `format \"rtf\" is not one of md, html, docx, akn, json (or pdf)`) {
		t.Errorf("bad format: %d %s", resp.StatusCode, body)
	}
	// A PDF, through the same pool and cache; without Chromium a clear
	// 503 that names the package, and the rest of the server works.
	if _, err := pdf.LookPath(); err == nil {
		for _, q := range []string{"report=compare&format=pdf&rev=1&against=0&lines=1", "report=status&format=pdf&distribution=limited"} {
			resp, body = get(q)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(body, "%PDF-") {
				t.Errorf("%s: %d %s %.40q", q, resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
		}
		if !strings.HasSuffix(resp.Header.Get("Content-Disposition"), `-status.pdf"`) {
			t.Errorf("PDF file name: %q", resp.Header.Get("Content-Disposition"))
		}
		req, _ := http.NewRequest("GET", ts.base+"/api/documents/pr/record?format=pdf", nil)
		req.Header.Set("Authorization", "Bearer "+tok["chn"])
		if rr, err := http.DefaultClient.Do(req); err != nil || rr.StatusCode != 200 || rr.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("record PDF: %v %v", err, rr)
		} else {
			rr.Body.Close()
		}
		hits := ts.srv.exports.hits.Load()
		if resp, _ = get("report=status&format=pdf&distribution=limited"); resp.StatusCode != 200 || ts.srv.exports.hits.Load() != hits+1 {
			t.Errorf("the same PDF again was not served from the cache: %d", resp.StatusCode)
		}
	} else if os.Getenv("CI") == "true" {
		t.Fatal(err)
	}
	ts.srv.printer = pdf.New("/nonexistent/chromium")
	resp, body = get("report=clean&format=pdf&distribution=general")
	if resp.StatusCode != 503 || !strings.Contains(body, "apt-get install chromium") {
		t.Errorf("PDF without Chromium: %d %s", resp.StatusCode, body)
	}
	if resp, _ = get("report=clean&format=docx"); resp.StatusCode != 200 {
		t.Errorf("docx after a failed PDF: %d", resp.StatusCode)
	}
	resp, body = get("report=clean&format=pdf&distribution=secret")
	if resp.StatusCode != 400 || !strings.Contains(body, "not one of general, limited, restricted") {
		t.Errorf("bad distribution: %d %s", resp.StatusCode, body)
	}
	resp, body = get("report=clean&final=1")
	if resp.StatusCode != 409 || !strings.Contains(body, "bracket") {
		t.Errorf("final with brackets: %d %s", resp.StatusCode, body)
	}
	resp, body = get("report=compare&rev=0&against=7")
	if resp.StatusCode != 404 || !strings.Contains(body, "has no revision 7") {
		t.Errorf("unknown revision: %d %s", resp.StatusCode, body)
	}
}
