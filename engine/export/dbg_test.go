package export_test

import (
	"os"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine/export"
)

func TestDebugRows(t *testing.T) {
	p := strings.Split(os.Getenv("PAIR"), ",")
	old, new := parisOutline(t, p[0]), parisOutline(t, p[1])
	c := export.CompareDrafts(old, new, export.Meta{Title: "Paris"}, export.CompareOptions{})
	for _, r := range c.Rows {
		txt := r.Text
		if r.Change == export.Deleted || r.Change == export.MovedAway {
			txt = r.OldText
		}
		if len(txt) > 80 {
			txt = txt[:80]
		}
		t.Logf("%-10s %5q %5q %s", r.Change, r.OldNumber, r.Number, txt)
	}
}
