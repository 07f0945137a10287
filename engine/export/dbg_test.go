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
		if r.Change == export.MovedAway {
			continue
		}
		var o, n []string
		got := 0
		for _, x := range r.Runs {
			if x.Op != export.OpInsert {
				o = append(o, wordNorms(x.Text)...)
			}
			if x.Op != export.OpDelete {
				n = append(n, wordNorms(x.Text)...)
			}
			if x.Op != export.OpEqual {
				got += len(wordNorms(x.Text))
			}
		}
		min := len(o) + len(n) - 2*lcsLength(o, n)
		if got > min {
			t.Logf("%s %q→%q: %d vs %d", r.Change, r.OldNumber, r.Number, got, min)
			for _, x := range r.Runs {
				if x.Op != export.OpEqual {
					t.Logf("   %s %q", x.Op, x.Text)
				}
			}
		}
	}
}
