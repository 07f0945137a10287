// Package pdf prints draftroom's reports as PDF: the report's own HTML
// (engine/export), with a UN masthead and print styles added, printed by
// headless Chromium through the DevTools protocol (chromedp,
// Page.printToPDF). It is outside engine/ because it runs a program: the
// engine and the exporter stay pure.
//
// Chromium is looked up when the first PDF is asked for, not at start-up:
// without it every other part of the server works, and a PDF request is
// answered with ErrNoChromium, which names the package to install.
package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"os"
	"os/exec"
	"regexp"
	"sync"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/draftroom/draftroom/engine/export"
)

// ErrNoChromium is returned when no Chromium (or Chrome) is installed.
var ErrNoChromium = errors.New("PDF printing needs Chromium, which is not installed on the server: install it with `apt-get install chromium` (Debian package chromium; fonts-noto-core and fonts-noto-cjk for Arabic and Chinese)")

// browsers are the program names looked up, in order.
var browsers = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"}

// LookPath finds Chromium: the DRAFTROOM_CHROMIUM environment variable
// when set, else the first of chromium, chromium-browser, google-chrome
// on the PATH. It fails with ErrNoChromium.
func LookPath() (string, error) {
	if p := os.Getenv("DRAFTROOM_CHROMIUM"); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("%w (DRAFTROOM_CHROMIUM=%s: %v)", ErrNoChromium, p, err)
		}
		return p, nil
	}
	for _, b := range browsers {
		if p, err := exec.LookPath(b); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChromium
}

// printWidthPx is the width of the printed text in CSS pixels: A4 (210 mm)
// less the 20 mm margins on each side (printCSS).
const printWidthPx = 643 // 170 * 96 / 25.4

// printTimeout bounds one print: a report of a few hundred pages prints
// in seconds.
const printTimeout = 2 * time.Minute

// Printer prints HTML pages to PDF with one headless Chromium, started at
// the first print and kept for the next ones (each print is a tab of its
// own). It is safe for concurrent use; callers bound the concurrency (the
// server prints in its export slots).
type Printer struct {
	path string // "" looks Chromium up at the first print

	mu      sync.Mutex
	browser context.Context // the browser's context, nil until started
	cancel  context.CancelFunc
}

// New returns a printer that runs the Chromium at path, or looks it up
// (LookPath) at the first print when path is empty.
func New(path string) *Printer { return &Printer{path: path} }

// start starts Chromium if it is not running.
func (p *Printer) start() (context.Context, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.browser != nil && p.browser.Err() == nil {
		return p.browser, nil
	}
	path := p.path
	if path == "" {
		var err error
		if path, err = LookPath(); err != nil {
			return nil, err
		}
	} else if _, err := exec.LookPath(path); err != nil {
		return nil, fmt.Errorf("%w (%s: %v)", ErrNoChromium, path, err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", os.Geteuid() == 0), // root in a container has no user namespace sandbox
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("font-render-hinting", "none"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	if err := chromedp.Do(browser); err != nil {
		cancelBrowser()
		cancelAlloc()
		return nil, fmt.Errorf("start Chromium (%s): %w", path, err)
	}
	p.browser = browser
	p.cancel = func() { cancelBrowser(); cancelAlloc() }
	return browser, nil
}

// Close stops Chromium, if it was started.
func (p *Printer) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cancel != nil {
		p.cancel()
		p.browser, p.cancel = nil, nil
	}
}

// Print prints a report's HTML page (as engine/export writes it) as PDF,
// with the masthead, page numbers and, if asked, line numbers of o.
func (p *Printer) Print(ctx context.Context, html []byte, o Options) ([]byte, error) {
	browser, err := p.start()
	if err != nil {
		return nil, err
	}
	tab, cancelTab := chromedp.NewContext(browser)
	defer cancelTab()
	// The caller's cancellation ends the tab too.
	stop := context.AfterFunc(ctx, cancelTab)
	defer stop()
	tab, cancelTimeout := context.WithTimeout(tab, printTimeout)
	defer cancelTimeout()
	doc := Decorate(html, o)
	var out []byte
	err = chromedp.Do(tab, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := chromedp.Navigate("about:blank")(ctx, t); err != nil {
			return err
		}
		tree, err := cdp.Call(ctx, t, page.GetFrameTree, cdp.Empty{})
		if err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, page.SetDocumentContent, page.SetDocumentContentParams{FrameID: tree.FrameTree.Frame.ID, HTML: string(doc)}); err != nil {
			return err
		}
		// Lay the page out as it prints (A4 less the margins, print
		// media), so that line numbers fall where the lines are.
		if _, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{Width: printWidthPx, Height: 1000, DeviceScaleFactor: 1}); err != nil {
			return err
		}
		if _, err := chromedp.Evaluate[bool](`document.fonts.ready.then(() => true)`, chromedp.EvalAwaitPromise)(ctx, t); err != nil {
			return err
		}
		if o.LineNumbers {
			if _, err := chromedp.Evaluate[int](lineNumbersJS)(ctx, t); err != nil {
				return err
			}
		}
		out, err = chromedp.PrintToPDF(
			chromedp.PDFPrintBackground(),
			chromedp.PDFPreferCSSPageSize(),
			chromedp.PDFHeaderTemplate(headerTemplate(o.Masthead)),
			chromedp.PDFFooterTemplate(footerTemplate),
		)(ctx, t)
		return err
	}))
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if browser.Err() != nil {
			p.Close() // Chromium died: start afresh next time
		}
		return nil, fmt.Errorf("print PDF: %w", err)
	}
	return out, nil
}

// PrintReport prints a report of engine/export (clean text, compare,
// compilation, status, record) from its HTML, with the masthead its
// metadata gives (MastheadOf) for the distribution d.
// The masthead's title is the report's own ("Compilation of proposals:
// …"). lineNumbers numbers every fifth printed line, unless the report
// numbers the room's fixed lines of its text itself (a clean text, compare
// or compilation built with Lines): those are printed, and no others.
func (p *Printer) PrintReport(ctx context.Context, r export.Report, d Distribution, lineNumbers bool) ([]byte, error) {
	page := r.HTML()
	if bytes.Contains(page, []byte(`<span class="lines">`)) {
		// The report numbers the fixed lines of its text (export's
		// Lines), those of the room: they are printed, and no others.
		lineNumbers = false
	}
	m := MastheadOf(r.Metadata(), d)
	if t := pageTitle(page); t != "" {
		m.Title = t
	}
	return p.Print(ctx, page, Options{Masthead: m, LineNumbers: lineNumbers})
}

var tag = regexp.MustCompile(`<[^>]*>`)

// pageTitle is the text of a page's <h1>.
func pageTitle(page []byte) string {
	i := bytes.Index(page, []byte("<h1>"))
	if i < 0 {
		return ""
	}
	j := bytes.Index(page[i:], []byte("</h1>"))
	if j < 0 {
		return ""
	}
	return html.UnescapeString(tag.ReplaceAllString(string(page[i+4:i+j]), ""))
}

// ContentType is the media type of a PDF.
const ContentType = "application/pdf"
