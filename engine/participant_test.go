package engine

import (
	"strings"
	"testing"
)

// TestChooseInterfaceLanguage: a person's interface language is one of the
// six official languages by its two-letter tag; anything else is refused
// with a message naming the field, the value and the six.
func TestChooseInterfaceLanguage(t *testing.T) {
	for _, l := range UNLanguages {
		if err := (ChooseInterfaceLanguage{Language: l}).Check(); err != nil {
			t.Errorf("%s refused: %v", l, err)
		}
	}
	for _, c := range []struct{ lang, want string }{
		{"", "language is required: one of ar, zh, en, fr, ru, es"},
		{"de", `language "de" is not one of the six official languages (ar, zh, en, fr, ru, es)`},
		{"FR", `language "FR" is not one of the six official languages`},
		{"zh-Hans", `language "zh-Hans" is not one of the six official languages`},
		{"english", `language "english" is not one of the six official languages`},
	} {
		err := ChooseInterfaceLanguage{Language: c.lang}.Check()
		if err == nil {
			t.Errorf("%q taken, want refused", c.lang)
			continue
		}
		if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), c.want) {
			t.Errorf("%q: %s %q, want invalid %q", c.lang, ErrorCode(err), ErrorMessage(err), c.want)
		}
	}
}
