package engine

import (
	"strings"
	"testing"
)

// TestMapWordAuthors: the secretariat maps Word authors to States, the
// mapping is remembered (and replays), "" forgets an author, and anything
// else is refused with what is wrong.
func TestMapWordAuthors(t *testing.T) {
	d := NewDocument()
	sec := Context{Actor: Actor{Person: "s", Role: RoleSecretariat}}
	if _, err := d.Execute(sec, CreateDocument{ID: "d", Draft: Draft{Title: "T", Sections: []DraftSection{{Paras: []DraftParagraph{{Text: "x"}}}}}}); err != nil {
		t.Fatal(err)
	}
	evs, err := d.Execute(sec, MapWordAuthors{Authors: map[string]StateCode{"Jane Doe": "FRA", "Pierre": "DEU"}})
	if err != nil {
		t.Fatal(err)
	}
	if d.WordAuthors["Jane Doe"] != "FRA" || d.WordAuthors["Pierre"] != "DEU" {
		t.Fatalf("mapping %v", d.WordAuthors)
	}
	if _, err := d.Execute(sec, MapWordAuthors{Authors: map[string]StateCode{"Pierre": ""}}); err != nil || len(d.WordAuthors) != 1 {
		t.Fatalf("forget: %v %v", err, d.WordAuthors)
	}
	if evs[0].Type != "word-authors.mapped" {
		t.Errorf("event %s", evs[0].Type)
	}
	for _, tc := range []struct {
		ctx  Context
		cmd  MapWordAuthors
		want string
	}{
		{sec, MapWordAuthors{Authors: map[string]StateCode{"Jane": "XXX"}}, `"Jane" is mapped to "XXX", which is not a Member State`},
		{sec, MapWordAuthors{}, "at least one"},
		{sec, MapWordAuthors{Authors: map[string]StateCode{" ": "FRA"}}, "is not a Word author name"},
		{Context{Actor: Actor{Person: "f", Role: RoleDelegate, State: "FRA"}}, MapWordAuthors{Authors: map[string]StateCode{"Jane": "FRA"}}, "only the secretariat"},
	} {
		if _, err := d.Execute(tc.ctx, tc.cmd); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.cmd, err, tc.want)
		}
	}
}
