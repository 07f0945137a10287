package server

import (
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/draftroom/draftroom/engine"
)

// The few pages the server draws itself (a refused login link) are
// written in the reader's language from the UI's own catalogs
// (server/ui/i18n), so that they say what the rest of the interface says.

// uiLanguages are the interface languages, in the UN's order.
var uiLanguages = []string{"ar", "zh", "en", "fr", "ru", "es"}

// catalogs holds the decoded catalogs of the embedded UI by file
// ("fr", "refusals/fr").
var catalogs sync.Map

// catalog returns the embedded catalog i18n/<name>.json: its strings
// (plural forms are left out); an empty map when there is none.
func catalog(name string) map[string]string {
	if c, ok := catalogs.Load(name); ok {
		return c.(map[string]string)
	}
	out := map[string]string{}
	if data, err := uiFiles.ReadFile("ui/i18n/" + name + ".json"); err == nil {
		var raw map[string]any
		if json.Unmarshal(data, &raw) == nil {
			for k, v := range raw {
				if s, ok := v.(string); ok {
					out[k] = s
				}
			}
		}
	}
	catalogs.Store(name, out)
	return out
}

// requestLanguage is the interface language the request's
// Accept-Language asks for most, English when it names none of the six.
func requestLanguage(r *http.Request) string {
	type pref struct {
		lang string
		q    float64
	}
	var prefs []pref
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		for _, l := range uiLanguages {
			if primary == l && q > 0 {
				prefs = append(prefs, pref{l, q})
			}
		}
	}
	if len(prefs) == 0 {
		return "en"
	}
	sort.SliceStable(prefs, func(i, j int) bool { return prefs[i].q > prefs[j].q })
	return prefs[0].lang
}

// uiString is the interface string key in lang, English when lang has none.
func uiString(lang, key string) string {
	if s, ok := catalog(lang)[key]; ok {
		return s
	}
	return catalog("en")[key]
}

var numbered = regexp.MustCompile(`\{(\d+)\}`)

// refusalIn writes err for a reader of lang: the refusal catalog's
// sentence for its key, its reasons translated too (as i18n.js's refusal
// does), or else its English message as a sentence.
func refusalIn(lang string, err error) string {
	key, params := engine.ErrorKey(err)
	if lang != "en" {
		if s, ok := fillRefusal(catalog("refusals/"+lang), key, params, ""); ok {
			return s
		}
	}
	msg := []rune(engine.ErrorMessage(err))
	if len(msg) > 0 {
		msg[0] = unicode.ToUpper(msg[0])
	}
	text := string(msg)
	if !strings.HasSuffix(text, ".") {
		text += "."
	}
	return text
}

// fillRefusal fills the sentence for key with the values under prefix.
func fillRefusal(cat map[string]string, key string, params map[string]string, prefix string) (string, bool) {
	s, ok := cat[key]
	if !ok || key == "" {
		return "", false
	}
	return numbered.ReplaceAllStringFunc(s, func(m string) string {
		n := prefix + m[1:len(m)-1]
		if inner := params[n+":key"]; inner != "" {
			if r, ok := fillRefusal(cat, inner, params, n+":"); ok {
				return strings.TrimRight(r, ".。")
			}
		}
		if v, ok := params[n]; ok {
			return v
		}
		return m
	}), true
}
