package pdf_test

import (
	"context"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/draftroom/draftroom/engine/export"
)

// chromeCPU is the CPU time used so far by the Chromium processes started
// by this test process (its descendants named chrom*), read from /proc.
func chromeCPU() time.Duration {
	entries, _ := os.ReadDir("/proc")
	parent := map[int]int{}
	cpu := map[int]time.Duration{}
	chrome := map[int]bool{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		s := string(b)
		i, j := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if i < 0 || j < 0 {
			continue
		}
		f := strings.Fields(s[j+2:])
		if len(f) < 13 {
			continue
		}
		pp, _ := strconv.Atoi(f[1])
		ut, _ := strconv.Atoi(f[11])
		st, _ := strconv.Atoi(f[12])
		parent[pid] = pp
		cpu[pid] = time.Duration(ut+st) * 10 * time.Millisecond // USER_HZ 100
		chrome[pid] = strings.HasPrefix(s[i+1:j], "chrom") || strings.HasPrefix(s[i+1:j], "headless")
	}
	self := os.Getpid()
	var total time.Duration
	for pid, d := range cpu {
		if !chrome[pid] {
			continue
		}
		for p := parent[pid]; p > 1; p = parent[p] {
			if p == self {
				total += d
				break
			}
		}
	}
	return total
}

func selfCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPrintParis prints the clean text of the Paris draft of 23
// October 2015 (523 paragraphs) as PDF, Chromium already running. Target:
// 3 s. Besides the wall time it reports the CPU time of the Go process and
// of Chromium per print (the machine is shared).
func BenchmarkPrintParis(b *testing.B) {
	p := printer(b)
	src, err := os.ReadFile("../../shared/research-fixtures/cop21-okfn-paris-drafts/paris-agreement-draft-2015-10-23.md")
	if err != nil {
		if os.Getenv("CI") == "true" {
			b.Fatal(err)
		}
		b.Skip(err)
	}
	o := draft(b, string(src))
	c, err := export.Clean(o, export.Meta{Title: o.Title, Source: export.Source{Symbol: "FCCC/ADP/2015/L.6", Revision: "Draft", Date: time.Date(2015, 10, 23, 0, 0, 0, 0, time.UTC)}, Language: "en"}, export.CleanOptions{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := p.PrintReport(ctx, c, "", false); err != nil { // start Chromium
		b.Fatal(err)
	}
	b.ResetTimer()
	self0, chrome0 := selfCPU(), chromeCPU()
	var size int
	for i := 0; i < b.N; i++ {
		out, err := p.PrintReport(ctx, c, "", false)
		if err != nil {
			b.Fatal(err)
		}
		size = len(out)
	}
	b.StopTimer()
	b.ReportMetric(float64((selfCPU()-self0).Milliseconds())/float64(b.N), "go-cpu-ms/op")
	b.ReportMetric(float64((chromeCPU()-chrome0).Milliseconds())/float64(b.N), "chromium-cpu-ms/op")
	b.ReportMetric(float64(size)/1024, "KiB")
}
