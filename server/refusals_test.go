package server

import (
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine"
)

var updateRefusals = flag.Bool("update-refusals", false, "rewrite ui/i18n/refusals/en.json from the sources")

// refusalSources are the packages whose refusals reach people through the
// API, the websocket and the UI: the engine's commands, its exports and
// readers, the server itself and the PDF printer.
var refusalSources = []string{"../engine", "../engine/export", "../engine/docx", ".", "../pdf"}

// refusalWrappers are the functions that make a refusal from a format of
// their own argument: their calls are the refusals, the format being
// prefix plus the call's argument at.
var refusalWrappers = map[string]struct {
	prefix string
	at     int
}{
	"docx.bad":       {"the .docx ", 0},
	"server.tooFast": {"", 1},
}

// refusalSite is one call that makes a refusal.
type refusalSite struct {
	key   string
	where string
}

// sourceRefusals reads every engine.Errorf (and tooFast) call of the
// refusal sources and returns the key of each, with where it is.
func sourceRefusals(t *testing.T) []refusalSite {
	t.Helper()
	var out []refusalSite
	fset := token.NewFileSet()
	for _, dir := range refusalSources {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			for _, decl := range f.Decls {
				fd, ok := decl.(*ast.FuncDecl)
				if !ok {
					continue
				}
				_, wrapper := refusalWrappers[f.Name.Name+"."+fd.Name.Name]
				ast.Inspect(fd, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					at, prefix := -1, ""
					switch fn := call.Fun.(type) {
					case *ast.Ident:
						if w, ok := refusalWrappers[f.Name.Name+"."+fn.Name]; ok {
							at, prefix = w.at, w.prefix
						} else if fn.Name == "Errorf" && f.Name.Name == "engine" && !wrapper {
							at = 1
						}
					case *ast.SelectorExpr:
						if x, ok := fn.X.(*ast.Ident); ok && x.Name == "engine" && fn.Sel.Name == "Errorf" && !wrapper {
							at = 1
						}
					}
					if at < 0 || len(call.Args) <= at {
						return true
					}
					pos := fset.Position(call.Pos())
					where := fmt.Sprintf("%s:%d", filepath.ToSlash(pos.Filename), pos.Line)
					format, ok := constantString(call.Args[at])
					if !ok {
						t.Errorf("%s: the refusal's format is not a constant string, so no catalog can translate it", where)
						return true
					}
					if key := engine.MessageKey(prefix + format); key != "" {
						out = append(out, refusalSite{key: key, where: where})
					}
					return true
				})
			}
		}
	}
	return out
}

// constantString evaluates a string literal or a sum of them.
func constantString(e ast.Expr) (string, bool) {
	switch x := e.(type) {
	case *ast.BasicLit:
		if x.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(x.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if x.Op != token.ADD {
			return "", false
		}
		a, ok1 := constantString(x.X)
		b, ok2 := constantString(x.Y)
		return a + b, ok1 && ok2
	case *ast.ParenExpr:
		return constantString(x.X)
	}
	return "", false
}

var placeholder = regexp.MustCompile(`\{\d+\}`)

// placeholders returns the sorted distinct {n} of a sentence.
func placeholders(s string) []string {
	ps := placeholder.FindAllString(s, -1)
	sort.Strings(ps)
	return slices.Compact(ps)
}

// TestRefusalCatalogs holds every refusal a person can be shown to a
// translation in each official language: a new or reworded refusal
// without one fails here, naming the call and the catalog. The English
// list (refusals/en.json, key to key) is written from the sources with
// -update-refusals; translators work from it, and from the worksheet
// written to $REFUSAL_WORKSHEET with it (each key with its source lines).
func TestRefusalCatalogs(t *testing.T) {
	sites := sourceRefusals(t)
	if len(sites) < 300 {
		t.Fatalf("found %d refusals in the sources; the scan is broken", len(sites))
	}
	where := map[string]string{}
	for _, s := range sites {
		if _, ok := where[s.key]; !ok {
			where[s.key] = s.where
		}
	}
	dir := filepath.Join("ui", "i18n", "refusals")
	if *updateRefusals {
		en := map[string]string{}
		for k := range where {
			en[k] = k
		}
		data, err := json.MarshalIndent(en, "", " ")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "en.json"), append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		if path := os.Getenv("REFUSAL_WORKSHEET"); path != "" {
			writeWorksheet(t, path, sites)
		}
	}
	for _, lang := range []string{"en", "ar", "zh", "fr", "ru", "es"} {
		data, err := os.ReadFile(filepath.Join(dir, lang+".json"))
		if err != nil {
			t.Errorf("refusal catalog %s: %v", lang, err)
			continue
		}
		var cat map[string]string
		if err := json.Unmarshal(data, &cat); err != nil {
			t.Errorf("refusal catalog %s: %v", lang, err)
			continue
		}
		keys := make([]string, 0, len(where))
		for k := range where {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v, ok := cat[k]
			if !ok || strings.TrimSpace(v) == "" {
				t.Errorf("refusals/%s.json has no sentence for the refusal at %s: %q", lang, where[k], k)
				continue
			}
			if got, want := placeholders(v), placeholders(k); !slices.Equal(got, want) {
				t.Errorf("refusals/%s.json: the sentence for %q (%s) has values %v, the refusal gives %v", lang, k, where[k], got, want)
			}
			if lang != "en" && v == k {
				t.Errorf("refusals/%s.json: the sentence for %q (%s) is still English", lang, k, where[k])
			}
		}
		for k := range cat {
			if _, ok := where[k]; !ok {
				t.Errorf("refusals/%s.json has a sentence for %q, which no refusal makes any more", lang, k)
			}
		}
	}
}

// writeWorksheet writes each refusal's key with the source lines that
// make it, so translators see what each value is.
func writeWorksheet(t *testing.T, path string, sites []refusalSite) {
	t.Helper()
	var b strings.Builder
	seen := map[string]bool{}
	for _, s := range sites {
		if seen[s.key] {
			continue
		}
		seen[s.key] = true
		file, lineText, _ := strings.Cut(s.where, ":")
		line, _ := strconv.Atoi(lineText)
		data, _ := os.ReadFile(file)
		lines := strings.Split(string(data), "\n")
		fmt.Fprintf(&b, "KEY: %s\nAT: %s\n", s.key, s.where)
		for i := max(line-3, 0); i < min(line+1, len(lines)); i++ {
			fmt.Fprintf(&b, "    %s\n", lines[i])
		}
		b.WriteString("\n")
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}
