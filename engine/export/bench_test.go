package export_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/draftroom/draftroom/engine"
	"github.com/draftroom/draftroom/engine/export"
)

var benchWords = strings.Fields(`States recalled reaffirmed welcomed noted underlined encouraged recommended the importance of
	international security cooperation capacity-building critical infrastructure information and communications technologies
	confidence-building measures points of contact directory voluntary non-binding norms responsible behaviour in the use
	of ICTs developing countries regional organizations stakeholders framework consensus mechanism report General Assembly
	law Charter United Nations sovereignty peaceful settlement disputes threats ransomware supply chains vulnerabilities`)

var benchStates = []engine.StateCode{"EU", "G77", "USA", "CHN", "RUS", "IND", "BRA", "FRA", "GBR", "JPN", "AUS", "CAN", "MEX", "EGY", "KEN", "ZAF"}

// benchDraft is a synthetic report: 8 sections of 50 numbered paragraphs
// of 40 to 90 words, a third of them with a bracket or a pair of
// alternatives.
func benchDraft(rng *rand.Rand) string {
	var b strings.Builder
	b.WriteString("# Synthetic progress report\n<!-- symbol: A/AC.292/2099/CRP.9 -->\n")
	n := 0
	for s := 0; s < 8; s++ {
		fmt.Fprintf(&b, "\n## %c. Section %d\n", 'A'+s, s+1)
		for p := 0; p < 50; p++ {
			n++
			words := make([]string, 40+rng.IntN(50))
			for i := range words {
				words[i] = benchWords[rng.IntN(len(benchWords))]
			}
			switch n % 3 {
			case 0:
				k := rng.IntN(len(words) - 3)
				words[k] = "[" + words[k]
				words[k+2] += "]"
			case 1:
				k := rng.IntN(len(words) - 1)
				words[k] = "[shall][should] " + words[k]
			}
			fmt.Fprintf(&b, "\n%d. %s.\n", n, strings.Join(words, " "))
		}
	}
	return b.String()
}

// benchRoom is a 400-paragraph report with 3,000 amendments proposed by
// 16 delegations through engine commands after the zero draft: one in ten
// accepted, one in twenty incorporated in brackets, one in twenty
// rejected, the rest pending, with positions on a third of them.
func benchRoom(b *testing.B) (*room, *engine.Revision) {
	rng := rand.New(rand.NewPCG(1, 2))
	r := createRoom(b, benchDraft(rng), "bench", "en")
	r.do(secretariat, engine.IssueRevision{Kind: engine.ZeroDraft, Date: day(2, 1, 0)})
	zero := r.doc.Revisions[0]
	r.at(day(2, 10, 9))
	order := r.doc.Order()
	for k := 0; k < 3000; k++ {
		p := order[rng.IntN(len(order))]
		text := p.Text
		ws := strings.Fields(text)
		wi := rng.IntN(len(ws))
		prefix := strings.Join(ws[:wi], " ")
		start := len([]rune(prefix))
		if wi > 0 {
			start++
		}
		end := start + len([]rune(ws[wi]))
		st := benchStates[k%len(benchStates)]
		cmd := engine.ProposeAmendment{Proposer: st, Para: p.ID, Version: p.Version, Start: start, End: end}
		switch k % 4 {
		case 0:
			cmd.Op, cmd.NewText = engine.OpReplace, benchWords[rng.IntN(len(benchWords))]+" "+benchWords[rng.IntN(len(benchWords))]
		case 1:
			cmd.Op, cmd.End, cmd.NewText = engine.OpInsert, start, "inter alia "
		case 2:
			cmd.Op = engine.OpDelete
		default:
			cmd.Op, cmd.NewText = engine.OpReplace, "taking into account "+ws[wi]
		}
		if cmd.Op == engine.OpReplace && cmd.NewText == ws[wi] {
			cmd.NewText += " also"
		}
		if strings.ContainsAny(ws[wi], "[]") {
			cmd.Op, cmd.Start, cmd.End, cmd.NewText = engine.OpInsert, 0, 0, "Also, "
		}
		r.do(delegateOf(st), cmd)
		id := r.lastAmendment()
		if k%3 == 0 {
			r.do(delegateOf(benchStates[(k+5)%len(benchStates)]), engine.StatePosition{State: benchStates[(k+5)%len(benchStates)], Amendment: id, Kind: engine.Support})
		}
		switch k % 20 {
		case 0, 10:
			r.do(chairActor, engine.DecideAmendment{Amendment: id, Outcome: engine.Accepted})
		case 5:
			r.do(chairActor, engine.DecideAmendment{Amendment: id, Outcome: engine.InBrackets})
		case 15:
			r.do(chairActor, engine.DecideAmendment{Amendment: id, Outcome: engine.Rejected})
		}
	}
	if n := len(r.doc.Amendments); n != 3000 {
		b.Fatalf("%d amendments, want 3000", n)
	}
	return r, zero
}

// BenchmarkClean builds the clean text of the live state of a 400-paragraph
// report with 3,000 amendments, and renders it in each format.
func BenchmarkClean(b *testing.B) {
	r, _ := benchRoom(b)
	d := r.doc
	meta := export.LiveMeta(d, day(3, 1, 0), r.head)
	build := func() *export.CleanText {
		c, err := export.Clean(d.Outline(), meta, export.CleanOptions{Doc: d})
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	b.Run("model", func(b *testing.B) {
		for b.Loop() {
			build()
		}
	})
	benchFormats(b, func() export.Report { return build() })
	benchLines(b, func() export.Report { c := build(); c.Lines = true; return c })
}

// benchLines measures building a report with numbered lines and rendering
// it in the formats that number them.
func benchLines(b *testing.B, build func() export.Report) {
	for _, f := range []export.Format{export.HTML, export.DOCX} {
		b.Run(string(f)+"-lines", func(b *testing.B) {
			for b.Loop() {
				if _, err := export.Render(build(), f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCompare compares the zero draft of the synthetic report with its
// live state after 3,000 amendments, and renders it in each format.
func BenchmarkCompare(b *testing.B) {
	r, zero := benchRoom(b)
	d := r.doc
	meta := export.LiveMeta(d, day(3, 1, 0), r.head)
	build := func() *export.Compare { return export.CompareRevisions(d, zero, nil, meta, export.CompareOptions{}) }
	c := build()
	b.Logf("compare: %+v", c.Counts)
	b.Run("model", func(b *testing.B) {
		for b.Loop() {
			build()
		}
	})
	benchFormats(b, func() export.Report { return build() })
	benchLines(b, func() export.Report { c := build(); c.Lines = true; return c })
}

// benchFormats measures building a report and rendering it in each format.
func benchFormats(b *testing.B, build func() export.Report) {
	for _, f := range export.Formats {
		b.Run(string(f), func(b *testing.B) {
			for b.Loop() {
				if _, err := export.Render(build(), f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCompareParisDrafts compares the largest pair of the shared
// Paris drafts (23 October → 4 December 2015, 16,506 and 14,697 words)
// in process: alignment by content and the word-level redline. Target:
// at most 100 ms and 50 MB an operation. cpu-ms/op is the process's CPU
// time per compare (garbage collection included), which a loaded machine
// does not inflate as it does the wall time.
func BenchmarkCompareParisDrafts(b *testing.B) {
	old := parisOutline(b, "paris-agreement-draft-2015-10-23.md")
	new := parisOutline(b, "paris-agreement-draft-2015-12-04.md")
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	for i := 0; i < b.N; i++ {
		export.CompareDrafts(old, new, export.Meta{Title: "Paris"}, export.CompareOptions{})
	}
	b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
}
