package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestRequestLanguage picks the interface language from Accept-Language.
func TestRequestLanguage(t *testing.T) {
	for header, want := range map[string]string{
		"":                            "en",
		"fr-CH, fr;q=0.9, en;q=0.8":   "fr",
		"de-DE, es;q=0.5, en;q=0.7":   "en",
		"de, zh-Hans-CN;q=0.9":        "zh",
		"ar-EG":                       "ar",
		"ru;q=0, es;q=0.2":            "es",
		"pt-BR, it":                   "en",
		"en-GB;q=0.4, ru-RU;q=0.6, *": "ru",
	} {
		r := httptest.NewRequest("GET", "/login", nil)
		r.Header.Set("Accept-Language", header)
		if got := requestLanguage(r); got != want {
			t.Errorf("Accept-Language %q: %s, want %s", header, got, want)
		}
	}
}

// TestLoginRefusedInLanguage opens an unknown login link from browsers
// asking for French and Arabic: the page, the reason included, is in
// their language, and Arabic runs right to left.
func TestLoginRefusedInLanguage(t *testing.T) {
	ts := startServer(t, Config{})
	english := ""
	for _, c := range []struct {
		lang string
		want []string
	}{
		{"en-GB", []string{`lang="en" dir="ltr"`, "This login link cannot be used", "Go to the log-in page"}},
		{"fr-FR,fr;q=0.9", []string{`lang="fr" dir="ltr"`, "Ce lien de connexion ne peut pas être utilisé", "Aller à la page de connexion"}},
		{"ar", []string{`lang="ar" dir="rtl"`, "لا يمكن استخدام رابط الدخول هذا", "الانتقال إلى صفحة الدخول"}},
	} {
		lang, want := c.lang, c.want
		req, _ := http.NewRequest("GET", ts.base+"/login?code=AAAA-BBBB-CCCC", nil)
		req.Header.Set("Accept-Language", lang)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page := string(body)
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("%s: the refused-login page lacks %q:\n%s", lang, w, page)
			}
		}
		reason := page[strings.Index(page, `role="alert">`)+len(`role="alert">`):]
		reason = reason[:strings.Index(reason, "<")]
		if english == "" {
			english = reason
		} else if reason == english || reason == "" {
			t.Errorf("%s: the reason is still English: %q", lang, reason)
		}
	}
}
