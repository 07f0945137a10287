package sqlite

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/storetest"
)

// TestAnchorFileGrowsAndSurvivesATornLine: a log reopened goes on
// appending; a torn last line (a writer killed while appending) is
// skipped by ReadAnchors and ended by the next Open; a line that is not
// an anchor is refused, naming the line.
func TestAnchorFileGrowsAndSurvivesATornLine(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path, anchors := filepath.Join(dir, "log.db"), filepath.Join(dir, "a.anchors")
	l := open(t, path, Options{AnchorFile: anchors})
	if _, err := l.Append(ctx, "doc/a", 0, notes(1, 3)); err != nil {
		t.Fatal(err)
	}
	l.Close()
	f, err := os.OpenFile(anchors, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("3 6b66c3a1") // torn
	f.Close()
	as, err := ReadAnchors(anchors)
	if err != nil || len(as) != 1 || as[0].Seq != 3 {
		t.Fatalf("with a torn last line: %v, %v; want the one whole anchor, at 3", as, err)
	}
	l = open(t, path, Options{AnchorFile: anchors})
	if _, err := l.Append(ctx, "doc/a", 3, notes(4, 2)); err != nil {
		t.Fatal(err)
	}
	l.Close()
	as, err = ReadAnchors(anchors)
	if err != nil || len(as) != 2 || as[1].Seq != 5 {
		t.Fatalf("after reopening: %v, %v; want anchors at 3 and 5", as, err)
	}
	if err := os.WriteFile(anchors, []byte("3 nothash 2027-01-01T00:00:00Z\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadAnchors(anchors); engine.ErrorMessage(err) != anchors+` line 1: "nothash" is not a hash (64 lower-case hex digits)` {
		t.Fatalf("a bad line: %v", err)
	}
}

func TestParseAnchor(t *testing.T) {
	h := storetest.KnownChain[0].Hash
	for _, tt := range []struct {
		in   string
		want Anchor
		err  string
	}{
		{"12:" + h, Anchor{Seq: 12, Hash: h}, ""},
		{h, Anchor{Hash: h}, ""},
		{"x:" + h, Anchor{}, `"x" before the colon is not an event number`},
		{"0:" + h, Anchor{}, `"0" before the colon is not an event number`},
		{"12:" + strings.ToUpper(h), Anchor{}, "is not a hash"},
		{"12:abc", Anchor{}, "is not a hash"},
	} {
		a, err := ParseAnchor(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(engine.ErrorMessage(err), tt.err) {
				t.Errorf("ParseAnchor(%q) = %v, %v; want an error saying %q", tt.in, a, err, tt.err)
			}
			continue
		}
		if err != nil || a.Seq != tt.want.Seq || a.Hash != tt.want.Hash || a.String() != tt.in {
			t.Errorf("ParseAnchor(%q) = %v, %v; want %v", tt.in, a, err, tt.want)
		}
	}
}
