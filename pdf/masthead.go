package pdf

import (
	"bytes"
	"html"
	"strings"

	"github.com/draftroom/draftroom/engine/export"
)

// Distribution is the distribution a UN document is issued for.
type Distribution string

// Distributions, as printed under the symbol.
const (
	General    Distribution = "General"
	Limited    Distribution = "Limited"
	Restricted Distribution = "Restricted"
)

// ParseDistribution reads "general", "limited" or "restricted"; "" gives
// "", which MastheadOf decides from the symbol.
func ParseDistribution(s string) (Distribution, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return "", true
	case "general":
		return General, true
	case "limited":
		return Limited, true
	case "restricted":
		return Restricted, true
	}
	return "", false
}

// Masthead is what the first page of a UN document carries: the
// organization, the symbol, the distribution, the date, the original
// language and the title.
type Masthead struct {
	Symbol       string
	Distribution Distribution
	Date         string // as printed, e.g. "15 March 2027"
	Original     string // the original language, e.g. "English"
	Title        string
}

// Options tune a print.
type Options struct {
	Masthead Masthead
	// LineNumbers prints a number in the margin of every fifth line of
	// the text, counted through the document.
	LineNumbers bool
}

// languages names the six official languages (and a few more) in
// English, as a masthead's "Original:" line does.
var languages = map[string]string{"ar": "Arabic", "zh": "Chinese", "en": "English", "fr": "French", "ru": "Russian", "es": "Spanish", "de": "German", "pt": "Portuguese"}

// MastheadOf is the masthead of a report: its symbol, date and title, the
// original language from its language tag, and the distribution given or,
// when empty, read from the symbol: an L-document (".../L.n") is
// Limited, a conference room paper ("CRP") Restricted, anything else
// General.
func MastheadOf(m export.Meta, d Distribution) Masthead {
	if d == "" {
		d = General
		for _, part := range strings.Split(m.Symbol, "/") {
			switch {
			case strings.HasPrefix(part, "L.") && len(part) > 2:
				d = Limited
			case strings.HasPrefix(part, "CRP"):
				d = Restricted
			}
		}
	}
	base, _, _ := strings.Cut(strings.ToLower(m.Language), "-")
	orig := languages[base]
	if orig == "" {
		orig = languages["en"]
		if base != "" {
			orig = m.Language
		}
	}
	date := ""
	if !m.Date.IsZero() {
		date = m.Date.UTC().Format("2 January 2006")
	}
	return Masthead{Symbol: m.Symbol, Distribution: d, Date: date, Original: orig, Title: m.Title}
}

// printCSS is added to the report's own style sheet for print: A4 pages,
// the masthead, fonts for every official language (Noto from Debian's
// fonts-noto-core and fonts-noto-cjk where Times is missing), and line
// numbers in the margin (logical properties: the margin is on the right
// in Arabic).
const printCSS = `@page{size:A4;margin:22mm 20mm 22mm 20mm}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{max-width:none;margin:0;padding:0;font-family:"Times New Roman","Liberation Serif","Noto Serif","Noto Naskh Arabic","Noto Serif CJK SC","Noto Sans CJK SC",serif;font-size:11pt}
html[lang|="ar"] body{font-family:"Noto Naskh Arabic","Noto Sans Arabic","Times New Roman",serif;font-size:12pt}
html[lang|="zh"] body{font-family:"Noto Serif CJK SC","Noto Sans CJK SC","Times New Roman",serif}
html[lang|="ru"] body{font-family:"Times New Roman","Liberation Serif","Noto Serif",serif}
.un-masthead{display:grid;grid-template-columns:1fr auto;border-bottom:2px solid #000;padding-bottom:4mm;margin-bottom:6mm}
.un-masthead .org{font-size:16pt;font-weight:bold;align-self:end}
.un-masthead .symbol{font-size:14pt;font-weight:bold;text-align:end}
.un-masthead .dist{grid-column:2;text-align:start;font-size:10pt;line-height:1.3}
.un-title{font-size:15pt;font-weight:bold;margin:0 0 6mm}
header.meta .symbol,header.meta h1{display:none}
header.meta{font-size:9pt;color:#333}
p,li{orphans:2;widows:2}h1,h2,h3,h4,p.option{break-after:avoid-page}
tr{break-inside:avoid}
main p,main h2,main h3,main h4{position:relative}
.ln{position:absolute;inset-inline-start:-12mm;width:9mm;text-align:end;font-size:8pt;color:#555;font-weight:normal;font-style:normal;line-height:1}
.lines .ln{position:static;width:2em;line-height:inherit}
`

// Decorate adds the print style sheet and the masthead to a report's HTML
// page.
func Decorate(page []byte, o Options) []byte {
	m := o.Masthead
	esc := html.EscapeString
	var mh strings.Builder
	mh.WriteString(`<div class="un-masthead" dir="ltr" lang="en"><div class="org">United Nations</div><div class="symbol"><bdi>` + esc(m.Symbol) + `</bdi></div><div class="dist">`)
	if m.Distribution != "" {
		mh.WriteString(`Distr.: ` + esc(string(m.Distribution)) + `<br>`)
	}
	if m.Date != "" {
		mh.WriteString(esc(m.Date) + `<br>`)
	}
	if m.Original != "" {
		mh.WriteString(`Original: ` + esc(m.Original))
	}
	mh.WriteString("</div></div>\n")
	if m.Title != "" {
		mh.WriteString(`<p class="un-title">` + esc(m.Title) + "</p>\n")
	}
	out := bytes.Replace(page, []byte("</style>"), []byte(printCSS+"</style>"), 1)
	if i := bytes.Index(out, []byte("<body")); i >= 0 {
		if j := bytes.IndexByte(out[i:], '>'); j >= 0 {
			at := i + j + 1
			out = append(out[:at:at], append([]byte("\n"+mh.String()), out[at:]...)...)
		}
	}
	return out
}

// headerTemplate prints the symbol at the top of every page.
func headerTemplate(m Masthead) string {
	return `<div style="font-size:8pt;width:100%;margin:0 20mm;text-align:right;font-family:'Times New Roman','Noto Serif',serif">` + html.EscapeString(m.Symbol) + `</div>`
}

// footerTemplate prints the page number and the number of pages.
const footerTemplate = `<div style="font-size:9pt;width:100%;text-align:center;font-family:'Times New Roman','Noto Serif',serif"><span class="pageNumber"></span>/<span class="totalPages"></span></div>`

// lineNumbersJS numbers every fifth line of the text in the margin: it
// finds each paragraph's line boxes (the client rectangles of its text)
// at the printed width and puts a number, positioned within the
// paragraph, at the top of every fifth line.
const lineNumbersJS = `(() => {
  let n = 0;
  for (const el of document.querySelectorAll('main p, main h2, main h3, main h4')) {
    const r = document.createRange();
    r.selectNodeContents(el);
    const box = el.getBoundingClientRect();
    const tops = [];
    for (const rc of r.getClientRects()) {
      if (rc.width < 1 || rc.height < 1) continue;
      if (!tops.some(t => Math.abs(t - rc.top) < rc.height / 2)) tops.push(rc.top);
    }
    tops.sort((a, b) => a - b);
    for (const t of tops) {
      n++;
      if (n % 5 !== 0) continue;
      const s = document.createElement('span');
      s.className = 'ln';
      s.textContent = String(n);
      s.style.top = (t - box.top) + 'px';
      el.appendChild(s);
    }
  }
  return n;
})()`
