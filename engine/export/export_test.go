package export_test

import (
	"bytes"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/export"
)

// TestFinalTextRefused checks that a final text is refused while anything
// is open, and that the error lists what.
func TestFinalTextRefused(t *testing.T) {
	s := buildScenario(t)
	_, err := export.Clean(s.doc.Outline(), export.LiveMeta(s.doc, s.liveAt, s.head), export.CleanOptions{Final: true, Doc: s.doc})
	if engine.ErrorCode(err) != engine.ECONFLICT {
		t.Fatalf("final text of the live state: err = %v, want a conflict", err)
	}
	msg := engine.ErrorMessage(err)
	for _, want := range []string{
		"cannot be built with",
		"paragraph 3 has 2 brackets",
		"amendment a4 by G77 to paragraph 37 is pending",
		"amendment a5 by RUS to paragraph 45 is pending",
		"paragraph 20 is struck through",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("error does not say %q:\n%s", want, msg)
		}
	}
	// Without the document, the outline's own brackets are enough to refuse.
	_, err = export.Clean(s.rev1.Outline, export.Meta{}, export.CleanOptions{Final: true})
	if engine.ErrorCode(err) != engine.ECONFLICT || !strings.Contains(engine.ErrorMessage(err), "brackets") {
		t.Errorf("final text of Rev.1 without the document: err = %v, want a conflict listing brackets", err)
	}
	// A text with nothing open builds.
	r := createRoom(t, "# Agreed text\n\n## A. Text\n\n1. States agreed.\n\n2. States *also* agreed.\n", "final", "en")
	c, err := export.Clean(r.doc.Outline(), export.LiveMeta(r.doc, day(4, 1, 9), r.head), export.CleanOptions{Final: true, Doc: r.doc})
	if err != nil {
		t.Fatalf("final text with nothing open: %v", err)
	}
	if md := string(c.Markdown()); !strings.Contains(md, "- Report: Final text") || !strings.Contains(md, "2\\. States *also* agreed.") {
		t.Errorf("final Markdown:\n%s", md)
	}
}

// TestUserTextIsEscaped checks that raw HTML and link syntax in paragraph
// text, amendments and comments come out as text in every format.
func TestUserTextIsEscaped(t *testing.T) {
	src := "# A <b>title</b>\n\n## <i>Section</i>\n\n1. States <script>alert(1)</script> agreed [to [click](javascript:alert(2))] &amp; more.\n\n2. Text.\n"
	r := createRoom(t, src, "xss", "en")
	r.do(secretariat, engine.IssueRevision{Kind: engine.ZeroDraft, Symbol: "X/1", Date: day(1, 21, 0)})
	p := r.find("States")
	a, b := r.span(p, "agreed")
	r.do(delegateOf("FRA"), engine.ProposeAmendment{Proposer: "FRA", Op: engine.OpReplace, Para: p.ID, Version: p.Version, Start: a, End: b,
		NewText: "<img src=x onerror=alert(3)>", Comment: "<script>alert(4)</script>"})
	r.do(delegateOf("FRA"), engine.StatePosition{State: "FRA", Para: p.ID, Kind: engine.Oppose, Comment: "</td><script>alert(5)</script>"})
	d := r.doc
	meta := export.LiveMeta(d, day(2, 1, 9), r.head)
	clean, err := export.Clean(d.Outline(), meta, export.CleanOptions{Doc: d})
	if err != nil {
		t.Fatal(err)
	}
	r.do(chairActor, engine.DecideAmendment{Amendment: "a1", Outcome: engine.Accepted})
	cmp := export.CompareRevisions(d, d.Revisions[0], nil, meta, export.CompareOptions{})
	for _, rep := range []export.Report{clean, cmp, export.BuildCompilation(d, meta), export.BuildStatus(d, meta, export.StatusOptions{})} {
		h := rep.HTML()
		for _, bad := range []string{"<script", "<img", "<b>title", "<i>Section", `href="javascript`, "<a "} {
			if bytes.Contains(h, []byte(bad)) {
				i := bytes.Index(h, []byte(bad))
				t.Errorf("%s HTML lets %q through: …%s…", rep.Kind(), bad, h[max(0, i-80):min(len(h), i+80)])
			}
		}
		if !bytes.Contains(h, []byte("&lt;script&gt;")) {
			t.Errorf("%s HTML does not show <script> as text", rep.Kind())
		}
		// The whole Markdown report, read by the goldmark converter, lets no
		// raw HTML through either.
		var out bytes.Buffer
		if err := export.NewMarkdown().Convert(rep.Markdown(), &out); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"<script", "<img", "raw HTML omitted", "<a "} {
			if bytes.Contains(out.Bytes(), []byte(bad)) {
				t.Errorf("%s Markdown rendered by goldmark has %q", rep.Kind(), bad)
			}
		}
		if x, err := rep.DOCX(); err != nil {
			t.Errorf("%s DOCX: %v", rep.Kind(), err)
		} else if doc := docxPart(t, x, "word/document.xml"); bytes.Contains(doc, []byte("<script")) {
			t.Errorf("%s DOCX has a raw <script>", rep.Kind())
		}
	}
	if x, err := clean.AKN(); err != nil || bytes.Contains(x, []byte("<script")) {
		t.Errorf("clean AKN: err %v, or raw <script> in it", err)
	}
}

// TestMarkupExtension checks the goldmark extension on the negotiation
// markup.
func TestMarkupExtension(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"bracket", "States [shall] act.", `<p>States <span class="bracket" data-depth="1">[shall]</span> act.</p>`},
		{"alternatives with who asked", "[shall][should]{>>EU<<}",
			`<p><span class="bracket alternative" data-depth="1">[shall]</span><span class="bracket alternative" data-depth="1" data-by="EU" title="Bracketed at the request of EU">[should]</span></p>`},
		{"nested", "[a [b] c]", `<p><span class="bracket" data-depth="1">[a <span class="bracket" data-depth="2">[b]</span> c]</span></p>`},
		{"insert and delete", "a {--old--}{++new++}{>>EU, amendment a1<<} b",
			`<p>a <del>old</del><ins data-by="EU, amendment a1" title="EU, amendment a1">new</ins> b</p>`},
		{"bracket around changes", "x [{--a--}{++b++}] y", `<p>x <span class="bracket" data-depth="1">[<del>a</del><ins>b</ins>]</span> y</p>`},
		{"brackets split by a change stay text", "{++[++}a b{++]++}", `<p><ins>[</ins>a b<ins>]</ins></p>`},
		{"unpaired marks are text", "a ++} b {++ c ] d [", `<p>a ++} b {++ c ] d [</p>`},
		{"escaped marks", `\[a\] \{++b++\}`, `<p>[a] {++b++}</p>`},
		{"footnote reference", "[NDMCs[^1]]", `<p><span class="bracket" data-depth="1">[NDMCs[^1]]</span></p>`},
		{"emphasis", "*[a]* and **b**", `<p><em><span class="bracket" data-depth="1">[a]</span></em> and <strong>b</strong></p>`},
		{"crossing emphasis", "*a [b* c]", `<p><em>a [b</em> c]</p>`},
		{"no links", "[text](javascript:alert(1))", `<p><span class="bracket" data-depth="1">[text]</span>(javascript:alert(1))</p>`},
		{"no raw html", "<script>alert(1)</script>", `<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>`},
		{"chinese", "各国[宜][应]考虑", `<p>各国<span class="bracket alternative" data-depth="1">[宜]</span><span class="bracket alternative" data-depth="1">[应]</span>考虑</p>`},
		{"note alone", "text {>>a note<<}", `<p>text <span class="note">a note</span></p>`},
	}
	md := export.NewMarkdown()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := md.Convert([]byte(tt.in), &b); err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(b.String()); got != tt.want {
				t.Errorf("%s\n got: %s\nwant: %s", tt.in, got, tt.want)
			}
		})
	}
}

// TestCompareCharacterLevel checks that text without spaces between words
// is compared character by character, and spaced scripts word by word.
func TestCompareCharacterLevel(t *testing.T) {
	src := readFixture(t, "fixtures/drafts/multilingual-passage.md")
	r := createRoom(t, src, "crp2", "")
	r.do(secretariat, engine.IssueRevision{Kind: engine.ZeroDraft, Date: day(2, 1, 0)})
	zh := r.find("联络点名录投入运行")
	a, b := r.span(zh, "所有国家")
	r.do(chairActor, engine.EditText{Para: zh.ID, Version: zh.Version, Start: a, End: b, Insert: "所有会员国"})
	ru := r.find("справочника контактных пунктов")
	a, b = r.span(ru, "все государства")
	r.do(chairActor, engine.EditText{Para: ru.ID, Version: ru.Version, Start: a, End: b, Insert: "все государства-члены"})
	c := export.CompareRevisions(r.doc, r.doc.Revisions[0], nil, export.LiveMeta(r.doc, day(2, 2, 0), r.head), export.CompareOptions{})
	var inserted, deleted []string
	for _, row := range c.Rows {
		for _, s := range row.Segments {
			switch s.Op {
			case export.OpInsert:
				inserted = append(inserted, s.Text)
			case export.OpDelete:
				deleted = append(deleted, s.Text)
			}
		}
	}
	// 所有国家 → 所有会员国: two characters in, one out; the Russian gains
	// a word.
	if want := []string{"会员", "-члены"}; strings.Join(inserted, "|") != strings.Join(want, "|") {
		t.Errorf("inserted = %q, want %q", inserted, want)
	}
	if want := []string{"家"}; strings.Join(deleted, "|") != strings.Join(want, "|") {
		t.Errorf("deleted = %q, want %q", deleted, want)
	}
	if md := string(c.Markdown()); !strings.Contains(md, "所有{++会员++}国{--家--}") {
		t.Errorf("Chinese compare Markdown lacks 所有{++会员++}国{--家--}")
	}
}

// TestPackageDoesNoIO asserts that the package's own code imports nothing
// that reads files, the network or the clock of the machine: it renders
// what it is given.
func TestPackageDoesNoIO(t *testing.T) {
	forbidden := map[string]bool{"os": true, "os/exec": true, "net": true, "net/http": true, "io/ioutil": true, "io/fs": true,
		"path/filepath": true, "database/sql": true, "syscall": true, "embed": true, "log": true, "log/slog": true, "math/rand": true, "math/rand/v2": true}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if forbidden[p] {
				t.Errorf("%s imports %s: the export package does no I/O", f, p)
			}
		}
		src, _ := os.ReadFile(f)
		if bytes.Contains(src, []byte("time.Now(")) {
			t.Errorf("%s reads the clock: times come in Meta", f)
		}
	}
}

// TestConcurrentRendering renders reports from several goroutines at once,
// as the server's download endpoints will (run with -race).
func TestConcurrentRendering(t *testing.T) {
	rs := reports(t)
	done := make(chan error)
	n := 0
	for _, r := range rs {
		for _, f := range []export.Format{export.Markdown, export.HTML, export.DOCX} {
			n++
			go func() {
				_, err := export.Render(r, f)
				done <- err
			}()
		}
	}
	for ; n > 0; n-- {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
