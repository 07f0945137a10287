package enginetest

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine"
)

var system = engine.Context{Now: time.Date(2021, 5, 1, 0, 0, 0, 0, time.UTC), Actor: engine.Actor{Person: "system", Role: engine.RoleSystem}}

// loadTemplate reads and parses fixtures/processes/<name>/process.json.
func loadTemplate(t *testing.T, name string) engine.ProcessTemplate {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "fixtures", "processes", name, "process.json"))
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := engine.ParseProcessTemplate(data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return tpl
}

func TestFixturesBuild(t *testing.T) {
	for _, name := range []string{"oewg-2021-2025", "permanent-mechanism"} {
		t.Run(name, func(t *testing.T) {
			tpl := loadTemplate(t, name)
			p, evs, err := engine.BuildProcess(system, tpl)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%d events, %d bodies, %d meetings, %d officers", len(evs), len(p.Bodies), len(p.Meetings), len(p.Officers))
		})
	}
}
