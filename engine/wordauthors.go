package engine

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// MapWordAuthors remembers, for a document, which State each author of
// tracked changes in a Word file speaks for (the w:author of a change is
// a person's name as their Word knows it: "Jane Doe", "MFA-FR-12"). The
// secretariat says it once per author; the next file from the same person
// is read with it. A State given as "" forgets the author.
type MapWordAuthors struct {
	Authors map[string]StateCode `json:"authors"`
}

// WordAuthorsMapped records a mapping of Word authors to States.
type WordAuthorsMapped MapWordAuthors

// EventType implements EventData.
func (WordAuthorsMapped) EventType() string { return "word-authors.mapped" }

func init() { RegisterEvent(func() EventData { return &WordAuthorsMapped{} }) }

// MaxWordAuthorName is the longest Word author name remembered, in bytes.
const MaxWordAuthorName = 256

func (cmd MapWordAuthors) decide(d *Document, c Context) ([]EventData, error) {
	if c.Actor.Role != RoleSecretariat && c.Actor.Role != RoleSystem {
		return nil, Errorf(EFORBIDDEN, "only the secretariat maps the authors of Word files to States")
	}
	if len(cmd.Authors) == 0 {
		return nil, Errorf(EINVALID, "authors: give at least one Word author and its State")
	}
	names := make([]string, 0, len(cmd.Authors))
	for a := range cmd.Authors {
		names = append(names, a)
	}
	sort.Strings(names)
	for _, a := range names {
		s := cmd.Authors[a]
		if strings.TrimSpace(a) == "" || !utf8.ValidString(a) || len(a) > MaxWordAuthorName {
			return nil, Errorf(EINVALID, "authors: %q is not a Word author name (1 to %d bytes of text)", a, MaxWordAuthorName)
		}
		if s != "" {
			if _, ok := LookupDelegation(s); !ok {
				return nil, Errorf(EINVALID, "authors: %q is mapped to %q, which is not a Member State or negotiating group", a, s)
			}
		}
	}
	return []EventData{WordAuthorsMapped(cmd)}, nil
}

func (ev WordAuthorsMapped) apply(d *Document, e Event) {
	if d.WordAuthors == nil {
		d.WordAuthors = map[string]StateCode{}
	}
	for a, s := range ev.Authors {
		if s == "" {
			delete(d.WordAuthors, a)
		} else {
			d.WordAuthors[a] = s
		}
	}
}
